//! Hostile input never panics the commands added for the "fidelity and breadth" issue (run,
//! patch, replace, edit, wait, taint, drain, top, explain, auth, set env/resources, autoscale,
//! the extra create generators, help): random command lines built from their words, run
//! against one session that keeps its state, as a learner's console does. `FUZZ_CASES` sets
//! the campaign's size (default 256).

use kubelab_kubectl::{Session, SessionOptions};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use std::cell::RefCell;

fn cases() -> u32 {
    std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(256)
}

fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "run",
            "patch",
            "replace",
            "edit",
            "wait",
            "taint",
            "drain",
            "top",
            "explain",
            "auth",
            "can-i",
            "whoami",
            "set",
            "env",
            "resources",
            "autoscale",
            "create",
            "secret",
            "tls",
            "docker-registry",
            "ingress",
            "quota",
            "pdb",
            "sa",
            "--help",
            "-h",
            "help",
            "node",
            "nodes",
            "pod",
            "pods",
            "deploy",
            "deployment/web",
            "web",
            "kind-worker",
            "--image=busybox",
            "--image=nginx",
            "-it",
            "-i",
            "--rm",
            "--restart=Never",
            "--",
            "sh",
            "-c",
            "echo hi; exit 3",
            "-p",
            "{\"spec\":{\"replicas\":2}}",
            "[{\"op\":\"remove\",\"path\":\"/spec\"}]",
            "--type=json",
            "--type=merge",
            "--local",
            "-f",
            "x.yaml",
            "--for=delete",
            "--for=condition=Ready",
            "--for=jsonpath={.status.phase}=Running",
            "--timeout=3s",
            "--timeout=0",
            "a=b:NoSchedule",
            "a-",
            "a:NoSchedule-",
            "--overwrite",
            "--ignore-daemonsets",
            "--force",
            "--delete-emptydir-data",
            "--dry-run=client",
            "--dry-run=server",
            "-o",
            "yaml",
            "json",
            "name",
            "--list",
            "--resolve",
            "A=1",
            "A-",
            "--from=configmap/c",
            "--limits=cpu=200m",
            "--requests=memory=1.5Gi",
            "--max=3",
            "--min=2",
            "--rule=foo.com/*=svc:80,tls=s",
            "--hard=cpu=1",
            "--selector=app=web",
            "--min-available=50%",
            "--cert=x.yaml",
            "--key=x.yaml",
            "pod.spec.containers",
            "--recursive",
            "--sort-by=cpu",
            "--containers",
            "--sum",
            "-A",
            "-l",
            "app=web",
            "--all",
        ])
        .prop_map(String::from),
        "[ -~]{0,10}",
        "\\PC{0,5}",
    ]
}

#[test]
fn new_commands_never_panic() {
    let session = RefCell::new(Session::new(SessionOptions::default()));
    {
        let mut s = session.borrow_mut();
        s.files.insert("x.yaml".into(), "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: nginx\n        image: nginx\n".into());
        let argv: Vec<String> = ["kubectl", "create", "deployment", "web", "--image=nginx"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        s.kubectl(&argv, None);
    }
    let mut r = TestRunner::new(Config {
        cases: cases().min(2000),
        failure_persistence: None,
        ..Config::default()
    });
    r.run(&prop::collection::vec(word(), 0..8), |words| {
        let mut argv = vec!["kubectl".to_string()];
        argv.extend(words);
        let _ = session.borrow_mut().kubectl(&argv, Some("echo from stdin\n"));
        Ok(())
    })
    .unwrap();
}
