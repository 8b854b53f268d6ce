//! Hostile input never panics: the kubectl line parser, the script interpreter driving a whole
//! session, and manifest decoding, each fed random and mutated input.
//!
//! The suite runs a short campaign (`FUZZ_CASES`, default 256 per target). A long campaign is
//! `FUZZ_CASES=1000000 cargo test --release -p kubelab-kubectl --test fuzz`. Inputs that once
//! broke something live in `tests/fuzz-corpus/` at the repository root and are replayed first,
//! every run.

use kubelab_kubectl::script::{run_script, Interpreter};
use kubelab_kubectl::{flags, manifest, Session, SessionOptions};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use std::cell::RefCell;
use std::path::Path;

fn cases() -> u32 {
    std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(256)
}

fn runner() -> TestRunner {
    TestRunner::new(Config {
        cases: cases(),
        failure_persistence: None,
        ..Config::default()
    })
}

/// Words kubectl command lines are made of, so random lines reach deep into the commands.
fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "get",
            "describe",
            "create",
            "apply",
            "delete",
            "scale",
            "expose",
            "set",
            "image",
            "rollout",
            "status",
            "history",
            "undo",
            "logs",
            "label",
            "annotate",
            "exec",
            "run",
            "cordon",
            "pods",
            "pod",
            "deploy",
            "deployment",
            "svc",
            "rs",
            "nodes",
            "ns",
            "all",
            "web",
            "web-1",
            "kind-worker",
            "-n",
            "default",
            "-A",
            "-o",
            "yaml",
            "json",
            "wide",
            "name",
            "-l",
            "app=web",
            "-f",
            "-",
            "--replicas=3",
            "--replicas=-1",
            "--image=nginx",
            "--port=80",
            "--",
            "sh",
            "-c",
            "deploy/web",
            "nginx=nginx:1.27",
            "--watch",
            "-w",
            "--all",
            "--force",
            "--grace-period=0",
            "--to-revision=1",
            "--dry-run=client",
            "jsonpath={.items[*].metadata.name}",
            "custom-columns=N:.metadata.name",
            "--sort-by=.metadata.name",
        ])
        .prop_map(String::from),
        "[ -~]{0,12}",
        "\\PC{0,6}",
    ]
}

#[test]
fn kubectl_argv_never_panics() {
    runner()
        .run(&prop::collection::vec(word(), 0..8), |words| {
            let mut argv = vec!["kubectl".to_string()];
            argv.extend(words);
            let _ = flags::parse_kubectl(&argv);
            Ok(())
        })
        .unwrap();
}

#[test]
fn whole_sessions_never_panic() {
    // A shared session keeps state across cases, as a learner's console does.
    let session = RefCell::new(Session::new(SessionOptions::default()));
    let cases = cases().min(2000);
    let mut r = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    r.run(&prop::collection::vec(word(), 0..7), |words| {
        let mut session = session.borrow_mut();
        let line = format!("kubectl {}", words.join(" "));
        let mut interp = Interpreter::new();
        let _ = interp.feed(&mut *session, &line);
        let _ = interp.finish(&mut *session);
        let _ = session.advance(1000);
        Ok(())
    })
    .unwrap();
}

fn yaml_text() -> impl Strategy<Value = String> {
    let doc = prop::sample::select(vec![
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: nginx\n        image: nginx\n",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: busybox\n    command: [sh, -c, 'sleep 3600']\n",
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  selector:\n    app: web\n  ports:\n  - port: 80\n",
        "a: &a [*a]\n",
        "a: &a ['x','x','x']\nb: &b [*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b]\nd: [*c,*c,*c,*c]\n",
        "{{{{{{{{{{",
        "- - - - - - - - - - - -",
        "---\n---\n...\n",
    ]);
    (doc, any::<u64>(), "\\PC{0,8}").prop_map(|(d, cut, junk)| {
        // Mutate: cut at a random place and splice junk in.
        let chars: Vec<char> = d.chars().collect();
        let at = (cut as usize) % (chars.len() + 1);
        let mut s: String = chars[..at].iter().collect();
        s.push_str(&junk);
        s.extend(chars[at..].iter());
        s
    })
}

#[test]
fn manifests_never_panic() {
    runner()
        .run(&yaml_text(), |text| {
            if let Ok(docs) = manifest::parse(&text, "fuzz.yaml") {
                for d in &docs {
                    let _ = manifest::decode(d);
                }
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn applying_mutated_manifests_keeps_the_session_alive() {
    let session = RefCell::new(Session::new(SessionOptions::default()));
    let mut r = TestRunner::new(Config {
        cases: cases().min(500),
        failure_persistence: None,
        ..Config::default()
    });
    r.run(&yaml_text(), |text| {
        let mut session = session.borrow_mut();
        session.files.insert("m.yaml".into(), text);
        let _ = run_script(&mut *session, "kubectl apply -f m.yaml\nsleep 1\nkubectl get all -A\n");
        Ok(())
    })
    .unwrap();
    // The cluster still works afterwards.
    let out = run_script(&mut *session.borrow_mut(), "kubectl get nodes\n");
    assert!(out.contains("kind-control-plane"), "{out}");
}

/// Every file in the corpus is a script that once crashed or hung something: it must now run.
#[test]
fn corpus_regressions() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fuzz-corpus");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.sort();
    assert!(!files.is_empty(), "the corpus in {} is empty", dir.display());
    for f in files {
        let script = std::fs::read_to_string(&f).unwrap();
        let mut s = Session::new(SessionOptions::default());
        let out = run_script(&mut s, &script);
        assert!(out.starts_with("$ "), "{}: {out}", f.display());
    }
}
