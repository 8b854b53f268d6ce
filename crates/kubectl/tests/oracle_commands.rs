//! The commands beyond get/create/apply (`run`, `patch --local`, `set env|resources --local`,
//! `taint`, `wait`, `top`, `autoscale`, more `create` generators, `--help`) against the real
//! kubectl v1.32 binary: their client-side errors and offline outputs must be the same bytes.
//! See `oracle/mod.rs`.

mod oracle;

use oracle::Oracle;

fn files() -> Oracle {
    Oracle::new(&[
        (
            "pod.yaml",
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  labels:\n    app: web\nspec:\n  containers:\n  - name: nginx\n    image: nginx:1.27\n    ports:\n    - containerPort: 80\n  - name: sidecar\n    image: busybox\n    command: [\"sleep\", \"3600\"]\n",
        ),
        (
            "deploy.yaml",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: nginx\n        image: nginx:1.27\n        env:\n        - name: MODE\n          value: prod\n",
        ),
        (
            "svc.yaml",
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n  - port: 80\n",
        ),
        (
            "two.yaml",
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p1\nspec:\n  containers:\n  - name: a\n    image: nginx\n    env:\n    - name: X\n      value: \"1\"\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p2\nspec:\n  containers:\n  - name: a\n    image: nginx\n    env:\n    - name: X\n      value: \"1\"\n",
        ),
    ])
}

fn v(cases: &[&[&'static str]]) -> Vec<Vec<&'static str>> {
    cases.iter().map(|c| c.to_vec()).collect()
}

#[test]
fn run_errors_match_real_kubectl() {
    let cases = v(&[
        &["run"],
        &["run", "x"],
        &["run", "--image=nginx"],
        &["run", "x", "--image=nginx", "--restart=Sometimes"],
        &["run", "x", "--image=nginx", "--image-pull-policy=Sometimes"],
        &["run", "x", "--image=BAD:::"],
        &["run", "x", "--image=Nginx"],
        &["run", "x", "--image=nginx:latest@sha256:abc"],
        &["run", "x", "--image="],
        &["run", "x", "--image=nginx", "-t"],
        &["run", "x", "--image=nginx", "--expose"],
        &["run", "x", "--image=nginx", "--port=abc"],
        &["run", "x", "--image=nginx", "--port=0x10", "--dry-run=client"],
        &["run", "x", "--image=nginx", "--labels=a"],
        &["run", "x", "--image=nginx", "--labels==b"],
        &["run", "x", "--image=nginx", "--env=A"],
        &["run", "x", "--image=nginx", "--env=1A=b"],
        &["run", "x", "--image=nginx", "--annotations=foo", "--annotations=bar"],
        &["run", "x", "--image=nginx", "--pod-running-timeout=0"],
        &["run", "x", "--image=nginx", "-o", "foo"],
        &["run", "x", "--image=nginx", "--dry-run=bogus"],
        &["run", "x", "--image=nginx", "--rm"],
        &["run", "x", "--image=nginx", "-i", "--dry-run=client"],
        &["run", "x", "--image=nginx", "--attach", "--rm", "--dry-run=server"],
        &["run", "--image=nginx", "--restart=S"],
        &["run", "x", "--image=nginx", "--restart=S", "--pod-running-timeout=0"],
        &["run", "x", "--image=nginx", "--image-pull-policy=S", "--restart=S"],
        &["run", "x", "--image=nginx", "--env=A", "--annotations=f", "--labels=a"],
        &["run", "x", "--image=nginx", "--labels=a", "--annotations=f"],
        &["run", "x", "--image=BAD", "-t", "--port=abc", "--rm", "--expose"],
        &["run", "x", "--image=nginx", "--port=abc", "--rm", "-o", "name"],
        &["run", "x", "--image=nginx", "-o", "foo", "--dry-run=client", "-i"],
    ]);
    files().compare("run", &cases);
}

#[test]
fn local_patches_match_real_kubectl() {
    const L: &[&str] = &["patch", "--local", "-f", "deploy.yaml"];
    let with = |extra: &[&'static str]| -> Vec<&'static str> {
        let mut c = L.to_vec();
        c.extend_from_slice(extra);
        c
    };
    let mut cases: Vec<Vec<&str>> = [
        &["-p", r#"{"spec":{"replicas":3}}"#, "-o", "yaml"][..],
        &["-p", r#"{"spec":{"replicas":2}}"#],
        &["-p", r#"{"spec":{"replicas":3}}"#],
        &["-p", r#"{"spec":{"replicas":3}}"#, "--dry-run=client"],
        &["-p", "spec: {replicas: 4}", "-o", "json"],
        &["-p", r#"{"spec":{"template":{"spec":{"containers":[{"name":"sidecar","image":"busybox"},{"name":"nginx","image":"nginx:1.28"}]}}}}"#, "-o", "yaml"],
        &["-p", r#"{"spec":{"template":{"spec":{"containers":[{"name":"nginx","env":[{"name":"NEW","value":"1"}]}]}}}}"#, "-o", "yaml"],
        &["-p", r#"{"spec":{"template":{"spec":{"containers":[{"name":"nginx","$patch":"delete"}]}}}}"#, "-o", "yaml"],
        &["-p", r#"{"spec":{"template":{"spec":{"containers":[{"image":"nope"}]}}}}"#],
        &["-p", r#"{"metadata":{"labels":{"a":"b"}},"spec":{"replicas":null}}"#, "-o", "yaml"],
        &["-p", "[1]"],
        &["-p", "null"],
        &["-p", "spec: {replicas: 4"],
        &["--type=merge", "-p", r#"{"spec":{"template":{"spec":{"containers":[{"name":"x","image":"y"}]}}}}"#, "-o", "yaml"],
        &["--type=merge", "-p", r#""str""#],
        &["--type=merge", "-p", "[1]"],
        &["--type=Merge", "-p", "{}"],
        &["--type=json", "-p", r#"[{"op":"replace","path":"/spec/replicas","value":5},{"op":"add","path":"/metadata/labels","value":{"a":"b"}},{"op":"remove","path":"/spec/template/spec/containers/0/env"}]"#, "-o", "yaml"],
        &["--type=json", "-p", r#"[{"op":"remove","path":"/spec/nothere"}]"#],
        &["--type=json", "-p", r#"[{"op":"replace","path":"/spec/nothere","value":1}]"#, "-o", "name"],
        &["--type=json", "-p", r#"[{"op":"replace","path":"/spec/template/spec/containers/9","value":1}]"#],
        &["--type=json", "-p", r#"[{"op":"add","path":"/spec/a/b","value":1}]"#],
        &["--type=json", "-p", r#"[{"op":"add","path":"/spec/template/spec/containers/5","value":{}}]"#],
        &["--type=json", "-p", r#"[{"op":"add","path":"/spec/template/spec/containers/-1","value":{"name":"a"}}]"#, "-o", "json"],
        &["--type=json", "-p", r#"[{"op":"test","path":"/spec/replicas","value":3}]"#],
        &["--type=json", "-p", r#"[{"op":"test","path":"/spec/replicas","value":2}]"#],
        &["--type=json", "-p", r#"[{"op":"move","from":"/spec/x","path":"/spec/y"}]"#],
        &["--type=json", "-p", r#"[{"op":"move","from":"/spec/replicas","path":"/spec/a/b"}]"#],
        &["--type=json", "-p", r#"[{"op":"copy","from":"/spec/replicas","path":"/spec/minReadySeconds"}]"#, "-o", "yaml"],
        &["--type=json", "-p", r#"[{"op":"copy","from":"/spec/a/b","path":"/spec/x"}]"#],
        &["--type=json", "-p", r#"[{"op":"frob","path":"/spec"}]"#],
        &["--type=json", "-p", r#"[{"path":"/spec"}]"#],
        &["--type=json", "-p", r#"[{"op":"remove"}]"#],
        &["--type=json", "-p", r#"{"op":"add"}"#],
        &["--type=json", "-p", "[]"],
        &["--type=foo", "-p", "{}"],
        &["--patch-file=nope.json"],
        &["-p", "{}", "--dry-run=server"],
        &["-p", "{}", "-o", "wide"],
    ]
    .iter()
    .map(|c| with(c))
    .collect();
    cases.extend(v(&[
        &["patch", "deploy", "web"],
        &["patch", "deploy", "web", "-p", "x", "--patch-file=y"],
        &["patch", "deploy", "web", "-p", "x", "--local"],
        &["patch", "--local", "-p", "{}"],
        &[
            "patch",
            "--local",
            "-f",
            "pod.yaml",
            "-p",
            r#"{"spec":{"containers":[{"name":"sidecar","image":"busybox:1.36"}]}}"#,
            "-o",
            "yaml",
        ],
    ]));
    files().compare("patch", &cases);
}

#[test]
fn wait_and_replace_errors_match_real_kubectl() {
    let cases = v(&[
        &["wait"],
        &["wait", "pod/x"],
        &["wait", "pod/x", "--for=foo"],
        &["wait", "pod/x", "--for=condition"],
        &["wait", "pod/x", "--for=CONDITION=Ready"],
        &["wait", "pod/x", "--for=jsonpath="],
        &["wait", "pod/x", "--for=jsonpath={.a}=b=c"],
        &["wait", "pod/x", "--for=jsonpath={.a"],
        &["wait", "pod/x", "--for=jsonpath={.a}=="],
        &["wait", "pod/x", "--for=jsonpath={.a}==b"],
        &["wait", "pod/x", "--for=jsonpath='{.a}'"],
        &["wait", "pod/x", "--for=jsonpath==b"],
        &["wait", "pod/x", "--for=jsonpath={.a}="],
        &["wait", "--for=delete"],
        &["wait", "--for=condition=Ready", "--all"],
        &["wait", "pod/x", "--for=create", "--local"],
        &["wait", "pod/x", "--for=condition=Ready", "-o", "foo"],
        &["wait", "pod/x", "--for=jsonpath={.a}=b", "--timeout=abc"],
        &["replace"],
        &["replace", "-f", "deploy.yaml", "--grace-period=5"],
        &["replace", "-f", "deploy.yaml", "--timeout=5s"],
        &["replace", "--grace-period=5"],
        &["replace", "-f", "nope.yaml", "--dry-run=client"],
        &["replace", "-f", "deploy.yaml", "--force", "--dry-run=client"],
        &["replace", "-f", "deploy.yaml", "--validate=foo", "--dry-run=client"],
        &["replace", "-f", "deploy.yaml", "--dry-run=bad", "--validate=bad"],
        &["replace", "--validate=bad"],
        &["replace", "--dry-run=bad"],
        &["replace", "-f", "deploy.yaml", "-o", "foo", "--dry-run=bad"],
        &["replace", "--cascade=bad"],
        &["replace", "-o", "foo"],
        &["replace", "-f", "deploy.yaml", "--grace-period=3", "--dry-run=client"],
        &[
            "replace",
            "-f",
            "deploy.yaml",
            "--timeout=3s",
            "--force",
            "--dry-run=client",
        ],
        &["edit"],
    ]);
    files().compare("wait", &cases);
}

/// The files of `files()` plus a self-signed certificate and its key.
fn files_with_tls() -> Oracle {
    let mut o = files();
    o.files
        .push(("tls.crt", include_str!("fixtures/oracle/tls.crt").to_string()));
    o.files
        .push(("tls.key", include_str!("fixtures/oracle/tls.key").to_string()));
    o.files.push(("f.txt", "hello\n".to_string()));
    o
}

#[test]
fn more_generators_match_real_kubectl() {
    let generators: Vec<Vec<&str>> = v(&[
        &["create", "secret", "tls", "t", "--cert=tls.crt", "--key=tls.key"],
        &[
            "create",
            "secret",
            "tls",
            "t",
            "--cert=tls.crt",
            "--key=tls.key",
            "--append-hash",
        ],
        &[
            "create",
            "secret",
            "docker-registry",
            "r",
            "--docker-username=u",
            "--docker-password=p",
        ],
        &[
            "create",
            "secret",
            "docker-registry",
            "r",
            "--docker-server=example.com",
            "--docker-username=u",
            "--docker-password=p",
            "--docker-email=e@x.io",
            "--append-hash",
        ],
        &["create", "secret", "docker-registry", "r", "--from-file=f.txt"],
        &["create", "serviceaccount", "sa1"],
        &["create", "sa", "sa1", "-n", "dev"],
        &["create", "quota", "q", "--hard=cpu=1,memory=1G,pods=2"],
        &[
            "create",
            "quota",
            "q",
            "--hard=requests.cpu=1000m,limits.memory=1.5Gi,requests.memory=0.5Gi",
            "--scopes=BestEffort,NotTerminating",
        ],
        &["create", "quota", "q"],
        &["create", "pdb", "p", "--selector=app=web", "--min-available=1"],
        &[
            "create",
            "poddisruptionbudget",
            "p",
            "--selector=app=web,tier in (b,a)",
            "--max-unavailable=50%",
        ],
        &["create", "pdb", "p", "--selector=!canary", "--min-available=0"],
        &["create", "ingress", "web", "--rule=foo.com/bar=svc1:8080"],
        &[
            "create",
            "ingress",
            "web",
            "--class=nginx",
            "--rule=foo.com/*=svc1:8080,tls=my-cert",
        ],
        &[
            "create",
            "ing",
            "web",
            "--rule=foo.com/=svc:http,tls",
            "--rule=foo.com/admin*=admin:8080",
            "--rule=bar.com/*=svc2:80,tls=s2",
            "--default-backend=def:80",
            "--annotation=a=b",
        ],
        &["create", "ingress", "web", "--rule=/path=svc:port"],
    ]);
    let mut cases = Vec::new();
    for g in generators {
        for o in [&["-o", "yaml"][..], &["-o", "json"], &["-o", "name"], &[]] {
            let mut c = g.clone();
            c.push("--dry-run=client");
            c.extend_from_slice(o);
            cases.push(c);
        }
    }
    cases.extend(v(&[
        &["create", "secret", "tls", "t", "--dry-run=client"],
        &["create", "secret", "tls", "t", "--cert=tls.crt", "--dry-run=client"],
        &[
            "create",
            "secret",
            "tls",
            "t",
            "--cert=nope",
            "--key=tls.key",
            "--dry-run=client",
        ],
        &[
            "create",
            "secret",
            "tls",
            "t",
            "--cert=f.txt",
            "--key=tls.key",
            "--dry-run=client",
        ],
        &[
            "create",
            "secret",
            "tls",
            "t",
            "--cert=tls.crt",
            "--key=f.txt",
            "--dry-run=client",
        ],
        &[
            "create",
            "secret",
            "tls",
            "t",
            "--cert=tls.crt",
            "--key=tls.crt",
            "--dry-run=client",
        ],
        &[
            "create",
            "secret",
            "tls",
            "t",
            "--cert=tls.key",
            "--key=tls.key",
            "--dry-run=client",
        ],
        &["create", "secret", "docker-registry", "r", "--dry-run=client"],
        &[
            "create",
            "secret",
            "docker-registry",
            "r",
            "--docker-username=u",
            "--dry-run=client",
        ],
        &["create", "quota", "q", "--hard=cpu", "--dry-run=client"],
        &["create", "quota", "q", "--hard=cpu=x", "--dry-run=client"],
        &["create", "pdb", "p", "--dry-run=client"],
        &["create", "pdb", "p", "--selector=app=web", "--dry-run=client"],
        &[
            "create",
            "pdb",
            "p",
            "--selector=app=web",
            "--min-available=1",
            "--max-unavailable=1",
            "--dry-run=client",
        ],
        &[
            "create",
            "pdb",
            "p",
            "--selector=a b",
            "--min-available=1",
            "--dry-run=client",
        ],
        &[
            "create",
            "pdb",
            "p",
            "--selector=a!=b",
            "--min-available=1",
            "--dry-run=client",
        ],
        &[
            "create",
            "pdb",
            "p",
            "--selector=app=web",
            "--min-available=x%",
            "--dry-run=client",
        ],
        &[
            "create",
            "pdb",
            "p",
            "--selector=app=web",
            "--max-unavailable=abc",
            "--dry-run=client",
        ],
        &["create", "ingress", "web", "--dry-run=client"],
        &["create", "ingress", "web", "--rule=foo.com=svc:80", "--dry-run=client"],
        &[
            "create",
            "ingress",
            "web",
            "--rule=foo.com/a=svc:80",
            "--annotation=x",
            "--dry-run=client",
        ],
        &["create", "ingress", "web", "--default-backend=svc", "--dry-run=client"],
        &["create", "serviceaccount", "--dry-run=client"],
    ]));
    files_with_tls().compare("generators", &cases);
}

#[test]
fn set_env_and_resources_match_real_kubectl() {
    let cases = v(&[
        &["set", "env", "--local", "-f", "deploy.yaml", "A=1", "-o", "yaml"],
        &["set", "env", "--local", "-f", "deploy.yaml", "MODE=dev", "NEW=x"],
        &["set", "env", "--local", "-f", "deploy.yaml", "MODE-", "-o", "json"],
        &["set", "env", "--local", "-f", "deploy.yaml", "--list"],
        &["set", "env", "--local", "-f", "deploy.yaml", "-e", "X=1", "--list"],
        &["set", "env", "--local", "-f", "deploy.yaml", "MODE=prod"],
        &[
            "set",
            "env",
            "--local",
            "-f",
            "deploy.yaml",
            "MODE=other",
            "--overwrite=false",
        ],
        &["set", "env", "--local", "-f", "deploy.yaml", "1A=b"],
        &["set", "env", "--local", "-f", "deploy.yaml", "A=1", "B-", "B=2"],
        &[
            "set",
            "env",
            "--local",
            "-f",
            "deploy.yaml",
            "A=1",
            "-c",
            "side*",
            "-o",
            "yaml",
        ],
        &["set", "env", "--local", "-f", "deploy.yaml", "A=1", "-c", "nomatch"],
        &["set", "env", "--local", "-f", "deploy.yaml"],
        &["set", "env", "--local", "-f", "deploy.yaml", "NOPE-"],
        &["set", "env", "--local", "-f", "deploy.yaml", "--keys=a"],
        &["set", "env", "--local", "-f", "deploy.yaml", "--list", "-o", "yaml"],
        &["set", "env", "--local", "-f", "deploy.yaml", "A=1", "--dry-run=server"],
        &[
            "set",
            "env",
            "--local",
            "-f",
            "deploy.yaml",
            "A=1",
            "--prefix=P_",
            "-o",
            "yaml",
        ],
        &["set", "env", "--local", "-f", "svc.yaml", "A=1"],
        &["set", "env", "--local", "-f", "two.yaml", "X=2", "--overwrite=false"],
        &["set", "env", "--local", "-f", "two.yaml", "X=2", "-o", "name"],
        &["set", "env", "--local", "-f", "two.yaml", "--list"],
        &["set", "env", "--local", "-f", "pod.yaml", "A=1", "-o", "yaml"],
        &["set", "env"],
        &["set", "env", "deploy/web", "A=1", "nope"],
        &["set", "env", "--all", "-l", "a=b", "deploy"],
        &["set", "resources", "--local", "-f", "deploy.yaml", "--limits=cpu=1"],
        &[
            "set",
            "resources",
            "--local",
            "-f",
            "deploy.yaml",
            "--limits=cpu=200m,memory=512Mi",
            "--requests=cpu=0.1",
            "-o",
            "yaml",
        ],
        &[
            "set",
            "resources",
            "--local",
            "-f",
            "deploy.yaml",
            "--limits=cpu=200m",
            "-c",
            "nginx",
            "-o",
            "json",
        ],
        &[
            "set",
            "resources",
            "--local",
            "-f",
            "deploy.yaml",
            "--limits=cpu=1",
            "-c",
            "nomatch",
        ],
        &["set", "resources", "--local", "-f", "deploy.yaml"],
        &["set", "resources", "--local", "-f", "deploy.yaml", "--requests=cpu"],
        &["set", "resources", "--local", "-f", "deploy.yaml", "--requests=cpu=x"],
        &["set", "resources", "--local", "-f", "svc.yaml", "--limits=cpu=1"],
        &[
            "set",
            "resources",
            "--local",
            "-f",
            "two.yaml",
            "--limits=cpu=1",
            "-c",
            "b",
        ],
        &[
            "set",
            "resources",
            "--local",
            "-f",
            "two.yaml",
            "--requests=memory=1.5Gi",
            "-o",
            "name",
        ],
    ]);
    files().compare("set", &cases);
}

#[test]
fn help_texts_match_real_kubectl() {
    let mut cases: Vec<Vec<&str>> = Vec::new();
    for cmd in [
        "get", "describe", "create", "apply", "delete", "logs", "exec", "run", "scale", "expose", "rollout", "label",
    ] {
        cases.push(vec![cmd, "--help"]);
        cases.push(vec![cmd, "-h"]);
        cases.push(vec!["help", cmd]);
    }
    cases.extend(v(&[
        &[],
        &["--help"],
        &["help"],
        &["help", "nosuch"],
        &["rollout"],
        &["logs", "-h", "--tail=abc"],
    ]));
    files().compare("help", &cases);
}

#[test]
fn drain_taint_top_auth_errors_match_real_kubectl() {
    let cases = v(&[
        &["drain"],
        &["drain", "x", "-l", "a=b"],
        &["drain", "--dry-run=bad"],
        &["drain", "x", "--pod-selector=a b"],
        &["taint"],
        &["taint", "nodes"],
        &["taint", "nodes", "n1"],
        &["taint", "nodes", "n1", "a=b"],
        &["taint", "nodes", "n1", "a=b:Foo"],
        &["taint", "nodes", "n1", "a=b=c:NoSchedule"],
        &["taint", "nodes", "n1", "a=b c:NoSchedule"],
        &["taint", "nodes", "n1", "a:b:c"],
        &["taint", "nodes", "n1", "a=b:NoSchedule", "a=c:NoSchedule"],
        &["taint", "nodes", "n1", "a=b:NoSchedule", "n2"],
        &["taint", "nodes", "n1", "-"],
        &[
            "taint",
            "nodes",
            "n1",
            "example.com/a_b:NoSchedule-",
            "x/y/z:NoSchedule",
        ],
        &["taint", "nodes", "n1", "Bad_/x:NoSchedule"],
        &["taint", "nodes", "n1", "a:NoSchedule", "--dry-run=x"],
        &["top", "pod", "--sort-by=foo"],
        &["top", "node", "--sort-by=foo"],
        &["top", "node", "a", "b"],
        &["top", "pod", "a", "b"],
        &["top", "pod", "a", "-l", "x=y"],
        &["top", "node", "a", "-l", "x=y"],
        &["auth", "can-i"],
        &["auth", "can-i", "get"],
        &["auth", "can-i", "get", "pods", "a", "b"],
        &["auth", "can-i", "get", "pods", "/x"],
        &["auth", "can-i", "--list", "get"],
        &["auth", "can-i", "--list", "-A"],
        &["explain"],
        &["explain", "pods", "deploy"],
    ]);
    files().compare("misc", &cases);
}
