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
        &["patch", "--local", "-f", "pod.yaml", "-p", r#"{"spec":{"containers":[{"name":"sidecar","image":"busybox:1.36"}]}}"#, "-o", "yaml"],
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
        &["replace", "-f", "deploy.yaml", "--timeout=3s", "--force", "--dry-run=client"],
        &["edit"],
    ]);
    files().compare("wait", &cases);
}
