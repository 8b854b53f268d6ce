//! kubelab's `kubectl create … --dry-run=client` against the real kubectl v1.32 binary.
//!
//! Client-side dry runs and argument errors need no server, so `/usr/bin/kubectl` answers them
//! offline: each case runs there and in a fresh kubelab session, and stdout, stderr and the exit
//! code must be the same bytes. klog headers (`W1125 15:45:46.377556    5201 `) carry a wall
//! clock and a pid, so both sides' headers are masked before comparing. Without the binary the
//! test prints why it did nothing.

use kubelab_kubectl::{Session, SessionOptions, Stream};
use std::path::{Path, PathBuf};
use std::process::Command;

const KUBECTL: &str = "/usr/bin/kubectl";

/// Files both sides can read with `--from-file` / `--from-env-file`.
const FILES: &[(&str, &str)] = &[
    ("f.txt", "hello\n"),
    ("env.txt", "A=1\n# comment\n\n  B=two words\nC=\n"),
    ("bad-env.txt", "A=1\nB C=2\n"),
    ("conf/a.properties", "x=1\n"),
    ("conf/b.txt", "bee\n"),
    ("bad.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n bad: [\n"),
    (
        "bad-mapping.yaml",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web: x\n",
    ),
    (
        "bad-flow.yaml",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n  labels: {app: web\n",
    ),
    ("bad-quote.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: \"x\n"),
    ("bad-indent.yaml", "apiVersion: v1\nkind: Pod\n  metadata:\n  name: x\n"),
    ("nokind.yaml", "apiVersion: v1\nmetadata:\n  name: x\n"),
    ("noversion.yaml", "kind: Pod\nmetadata:\n  name: x\n"),
];

/// The cases: every generator with `-o yaml`, `-o json`, `-o name` and the default message,
/// plus the client-side errors of their flags and arguments.
fn cases() -> Vec<Vec<&'static str>> {
    let generators: Vec<Vec<&str>> = vec![
        vec!["create", "deployment", "web", "--image=nginx"],
        vec![
            "create",
            "deployment",
            "web",
            "--image=nginx:1.27",
            "--replicas=3",
            "--port=80",
        ],
        vec!["create", "deployment", "web", "--image=nginx", "--image=busybox"],
        vec!["create", "deployment", "web", "--image=busybox", "--", "sleep", "3600"],
        vec!["create", "deployment", "web", "--image=nginx", "-n", "dev"],
        vec!["create", "deployment", "web", "--image=nginx", "--save-config"],
        vec![
            "create",
            "deployment",
            "web",
            "--image=registry.k8s.io/nginx-slim:0.8@sha256:abc",
            "--replicas=0",
        ],
        vec![
            "create",
            "deployment",
            "api",
            "--image=nginx",
            "--port=0",
            "--replicas=-1",
        ],
        vec!["create", "deploy", "web", "--image=<&>"],
        vec!["create", "service", "clusterip", "web", "--tcp=80:8080"],
        vec!["create", "service", "clusterip", "web", "--clusterip=None"],
        vec!["create", "service", "clusterip", "web", "--tcp=80", "--tcp=443:https"],
        vec![
            "create",
            "service",
            "clusterip",
            "web",
            "--tcp=80,443",
            "--clusterip=10.96.0.50",
        ],
        vec![
            "create",
            "service",
            "nodeport",
            "web",
            "--tcp=80:8080",
            "--node-port=30080",
        ],
        vec!["create", "service", "nodeport", "web", "--tcp=0"],
        vec!["create", "service", "loadbalancer", "web", "--tcp=80:8080"],
        vec!["create", "svc", "externalname", "web", "--external-name=example.com"],
        vec![
            "create",
            "service",
            "externalname",
            "web",
            "--external-name=example.com",
            "--tcp=80",
        ],
        vec!["create", "namespace", "dev"],
        vec!["create", "ns", "dev", "--save-config"],
        vec![
            "create",
            "configmap",
            "app-config",
            "--from-literal=key1=value1",
            "--from-literal=key2=value2",
        ],
        vec![
            "create",
            "configmap",
            "c",
            "--from-file=f.txt",
            "--from-file=k2=f.txt",
            "--from-literal=x=y",
        ],
        vec!["create", "configmap", "c", "--from-env-file=env.txt"],
        vec![
            "create",
            "secret",
            "generic",
            "s",
            "--from-env-file=env.txt",
            "--type=kubernetes.io/basic-auth",
        ],
        vec!["create", "configmap", "c", "--from-file=conf"],
        vec!["create", "cm", "empty"],
        vec!["create", "configmap", "c", "--from-literal=quote=\"<b>\"", "-n", "dev"],
        vec![
            "create",
            "secret",
            "generic",
            "db-pass",
            "--from-literal=password=s3cr3t",
        ],
        vec![
            "create",
            "secret",
            "generic",
            "s",
            "--from-literal=a=b",
            "--type=Opaque",
            "--from-file=f.txt",
        ],
        vec!["create", "secret", "generic", "empty"],
        vec!["create", "job", "hello", "--image=busybox", "--", "echo", "hello"],
        vec!["create", "job", "hello", "--image=busybox"],
        vec![
            "create",
            "cronjob",
            "tick",
            "--image=busybox",
            "--schedule=*/1 * * * *",
            "--",
            "echo",
            "hello",
        ],
        vec![
            "create",
            "cj",
            "tick",
            "--image=busybox",
            "--schedule=0 * * * *",
            "--restart=Never",
        ],
    ];
    let mut out = Vec::new();
    for g in generators {
        for o in [&["-o", "yaml"][..], &["-o", "json"], &["-o", "name"], &[]] {
            let mut c = g.clone();
            // Flags go before `--`, where the command's own arguments start.
            let at = c.iter().position(|a| *a == "--").unwrap_or(c.len());
            for (i, x) in ["--dry-run=client"].iter().chain(o.iter()).enumerate() {
                c.insert(at + i, x);
            }
            out.push(c);
        }
    }
    let errors: Vec<Vec<&str>> = vec![
        vec!["create", "deployment", "--image=nginx", "--dry-run=client"],
        vec!["create", "deployment", "a", "b", "--image=nginx", "--dry-run=client"],
        vec!["create", "deployment", "web", "--dry-run=client"],
        vec!["create", "deployment"],
        vec!["create", "deployment", "web", "--image=nginx", "--dry-run=foo"],
        vec!["create", "deployment", "web", "--image=nginx", "--dry-run"],
        vec![
            "create",
            "deployment",
            "web",
            "--image=nginx",
            "--dry-run=true",
            "-o",
            "name",
        ],
        vec![
            "create",
            "deployment",
            "web",
            "--image=nginx",
            "--dry-run=client",
            "-o",
            "wide",
        ],
        vec![
            "create",
            "deployment",
            "web",
            "--image=nginx",
            "--image=busybox",
            "--dry-run=client",
            "--",
            "sleep",
            "1",
        ],
        vec!["create", "deployment", "Bad_Name", "--image=nginx", "--dry-run=client"],
        vec![
            "create",
            "deployment",
            "web",
            "--image=my.reg/x/busy_box:3",
            "--dry-run=client",
            "-o",
            "name",
        ],
        vec!["create", "service", "clusterip", "web", "--dry-run=client"],
        vec!["create", "service", "clusterip", "web", "--tcp=abc", "--dry-run=client"],
        vec![
            "create",
            "service",
            "clusterip",
            "web",
            "--tcp=70000",
            "--dry-run=client",
        ],
        vec![
            "create",
            "service",
            "clusterip",
            "web",
            "--tcp=80:0",
            "--dry-run=client",
        ],
        vec![
            "create",
            "service",
            "clusterip",
            "web",
            "--tcp=80:a_b",
            "--dry-run=client",
        ],
        vec![
            "create",
            "service",
            "clusterip",
            "web",
            "--tcp=80:verylongportname1",
            "--dry-run=client",
        ],
        vec![
            "create",
            "service",
            "externalname",
            "web",
            "--external-name=Bad_x",
            "--dry-run=client",
        ],
        vec!["create", "service", "externalname", "web", "--dry-run=client"],
        vec!["create", "namespace", "--dry-run=client"],
        vec!["create", "configmap", "c", "--from-literal=a", "--dry-run=client"],
        vec!["create", "configmap", "c", "--from-literal=b c=1", "--dry-run=client"],
        vec![
            "create",
            "configmap",
            "c",
            "--from-literal=a=1",
            "--from-literal=a=2",
            "--dry-run=client",
        ],
        vec![
            "create",
            "configmap",
            "c",
            "--from-env-file=bad-env.txt",
            "--dry-run=client",
        ],
        vec!["create", "configmap", "c", "--from-file=nosuch", "--dry-run=client"],
        vec![
            "create",
            "configmap",
            "c",
            "--from-env-file=env.txt",
            "--from-literal=a=b",
            "--dry-run=client",
        ],
        vec![
            "create",
            "secret",
            "generic",
            "s",
            "--from-env-file=env.txt",
            "--from-file=f.txt",
            "--dry-run=client",
        ],
        vec![
            "create",
            "secret",
            "generic",
            "s",
            "--from-literal=a=1",
            "--from-literal=a=2",
            "--dry-run=client",
        ],
        vec![
            "create",
            "secret",
            "generic",
            "s",
            "--from-literal=a b=1",
            "--dry-run=client",
        ],
        vec!["create", "job", "j", "--dry-run=client"],
        vec!["create", "cronjob", "cj", "--image=busybox", "--dry-run=client"],
        vec!["create"],
    ];
    out.extend(errors);
    out
}

/// Manifests the client rejects before it would contact a server: syntax errors with go-yaml's
/// line numbers, missing kind or apiVersion, missing files.
fn manifest_cases() -> Vec<Vec<&'static str>> {
    let mut out = Vec::new();
    for f in [
        "bad.yaml",
        "bad-mapping.yaml",
        "bad-flow.yaml",
        "bad-quote.yaml",
        "bad-indent.yaml",
    ] {
        for verb in ["create", "apply", "delete"] {
            out.push(vec![verb, "-f", f]);
        }
    }
    for f in ["nokind.yaml", "noversion.yaml"] {
        out.push(vec!["create", "-f", f]);
        out.push(vec!["apply", "-f", f, "--dry-run=client"]);
    }
    out.push(vec!["delete", "-f", "nokind.yaml"]);
    out.push(vec!["apply", "-f", "nosuchfile.yaml"]);
    out.push(vec!["create", "-f", "nosuchfile.yaml"]);
    out.push(vec!["apply"]);
    out
}

/// Masks klog headers: `W1125 15:45:46.377556    5201 helpers.go:702] x` -> `W<klog> helpers.go:702] x`.
fn mask_klog(text: &str) -> String {
    text.lines()
        .map(|l| {
            let b = l.as_bytes();
            let is_klog = b.len() > 22
                && matches!(b[0], b'I' | b'W' | b'E' | b'F')
                && b[1..5].iter().all(u8::is_ascii_digit)
                && b[5] == b' '
                && b[8] == b':'
                && b[14] == b'.';
            if is_klog {
                let rest = &l[21..];
                let rest = rest.trim_start();
                let after_pid = rest.split_once(' ').map(|(_, r)| r).unwrap_or(rest);
                format!("{}<klog> {after_pid}\n", &l[..1])
            } else {
                format!("{l}\n")
            }
        })
        .collect()
}

fn workdir() -> PathBuf {
    std::env::temp_dir().join(format!("kubelab-oracle-{}", std::process::id()))
}

fn real(dir: &Path, args: &[&str]) -> (String, String, i32) {
    let o = Command::new(KUBECTL)
        .args(args)
        .current_dir(dir)
        .env("KUBECONFIG", dir.join("no-kubeconfig"))
        .env_remove("KUBERNETES_SERVICE_HOST")
        .output()
        .expect("run kubectl");
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
        o.status.code().unwrap_or(-1),
    )
}

fn simulated(args: &[&str]) -> (String, String, i32) {
    let mut s = Session::new(SessionOptions::default());
    for (p, text) in FILES {
        s.files.insert(p.to_string(), text.to_string());
    }
    let mut argv = vec!["kubectl".to_string()];
    argv.extend(args.iter().map(|a| a.to_string()));
    let out = s.kubectl(&argv, None);
    let err: String = out
        .chunks
        .iter()
        .filter(|(st, _)| *st == Stream::Stderr)
        .map(|(_, t)| t.as_str())
        .collect();
    (out.stdout(), err, out.exit_code)
}

#[test]
fn generators_match_real_kubectl() {
    compare_with_oracle("generators", &cases());
}

#[test]
fn manifest_errors_match_real_kubectl() {
    compare_with_oracle("manifests", &manifest_cases());
}

/// Runs every case on both sides and fails with all the differences.
fn compare_with_oracle(what: &str, all: &[Vec<&str>]) {
    if !Path::new(KUBECTL).exists() {
        println!("skipped: {KUBECTL} is not installed, so there is no oracle to compare with");
        return;
    }
    let dir = workdir().join(what);
    for (p, text) in FILES {
        let path = dir.join(p);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let mut failures = Vec::new();
    for args in all {
        let (want_out, want_err, want_code) = real(&dir, args);
        if want_err.contains("localhost:8080") {
            failures.push(format!(
                "kubectl {}: the oracle needs a server for this case",
                args.join(" ")
            ));
            continue;
        }
        let (got_out, got_err, got_code) = simulated(args);
        let (want_err, got_err) = (mask_klog(&want_err), mask_klog(&got_err));
        if (&want_out, &want_err, want_code) != (&got_out, &got_err, got_code) {
            failures.push(format!(
                "kubectl {}\n--- kubectl (exit {want_code})\n{want_out}{want_err}--- kubelab (exit {got_code})\n{got_out}{got_err}",
                args.join(" ")
            ));
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        failures.is_empty(),
        "{} of {} cases differ:\n\n{}",
        failures.len(),
        all.len(),
        failures.join("\n\n")
    );
    println!("{} cases identical to {KUBECTL}", all.len());
}
