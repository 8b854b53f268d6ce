//! kubectl's command-line layer against the real binary (`/usr/bin/kubectl` v1.32, which answers
//! these errors offline), plus unit tests of the parsing semantics.
//!
//! The oracle tests skip, with a message, when no kubectl is installed. The exhaustive check of
//! every declared flag against the binary is `#[ignore]`d (a few minutes):
//! `cargo test -p kubelab-kubectl --test flags -- --ignored`.

use std::io::Read;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use kubelab_kubectl::flags::{
    self, command_failed_line, parse_kubectl, required_flags_error, CommandSpec, FlagKind, Help, Invocation, KUBECTL,
};
use kubelab_kubectl::{Output, Stream};
use proptest::prelude::*;

fn argv(args: &[&str]) -> Vec<String> {
    std::iter::once("kubectl")
        .chain(args.iter().copied())
        .map(str::to_string)
        .collect()
}

fn ok(args: &[&str]) -> Invocation {
    match parse_kubectl(&argv(args)) {
        Ok(inv) => inv,
        Err(out) => panic!("{args:?} failed: {}", out.text()),
    }
}

fn err(args: &[&str]) -> Output {
    match parse_kubectl(&argv(args)) {
        Ok(inv) => panic!("{args:?} parsed: {inv:?}"),
        Err(out) => out,
    }
}

// ---------------------------------------------------------------------------------------------
// The oracle
// ---------------------------------------------------------------------------------------------

/// What a command line printed: stdout, stderr, exit code.
#[derive(Debug)]
struct Run {
    stdout: String,
    stderr: String,
    code: i32,
}

fn kubectl_binary() -> Option<PathBuf> {
    let candidates = [
        std::env::var_os("KUBELAB_KUBECTL").map(PathBuf::from),
        Some(PathBuf::from("/usr/bin/kubectl")),
    ];
    candidates.into_iter().flatten().find(|p| p.exists())
}

fn oracle_dir() -> PathBuf {
    // Nothing the cases run writes there (no kubeconfig edits, no server to cache discovery of).
    let dir = std::env::temp_dir().join("kubelab-flags-oracle");
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// Runs the real kubectl with no cluster (connection refused on localhost:8080), an empty
/// kubeconfig and home in a scratch directory, and a 10 s limit.
fn real(bin: &PathBuf, args: &[&str]) -> Run {
    let dir = oracle_dir();
    let mut child = Command::new(bin)
        .args(args)
        .env("KUBECONFIG", dir.join("kubeconfig"))
        .env("HOME", &dir)
        .env("EDITOR", "false")
        .env_remove("KUBECTL_EXTERNAL_DIFF")
        .current_dir(&dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn kubectl");
    let mut out_pipe = child.stdout.take().expect("stdout");
    let mut err_pipe = child.stderr.take().expect("stderr");
    let out_thread = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = out_pipe.read_to_end(&mut s);
        s
    });
    let err_thread = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = err_pipe.read_to_end(&mut s);
        s
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if start.elapsed() > Duration::from_secs(10) {
            let _ = child.kill();
            break child.wait().expect("wait");
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    Run {
        stdout: String::from_utf8_lossy(&out_thread.join().unwrap_or_default()).into_owned(),
        stderr: String::from_utf8_lossy(&err_thread.join().unwrap_or_default()).into_owned(),
        code: status.code().unwrap_or(-1),
    }
}

/// The part of kubectl's behaviour the flag layer decides, in a comparable form.
#[derive(Debug, PartialEq, Eq)]
enum Outcome {
    /// An error: stderr text and exit code.
    Error(String, i32),
    /// Help printed: on which stream, exit code, and the deprecation warnings before it.
    Help(Stream, i32, String),
    /// ``Unknown help topic [`x`]`` (first stderr line), exit 0.
    UnknownTopic(String),
    /// The command runs (what it does next is not the flag layer's business).
    Runs,
}

fn ours(args: &[&str]) -> Outcome {
    match parse_kubectl(&argv(args)) {
        Err(out) => {
            assert!(
                out.chunks.iter().all(|(s, _)| *s == Stream::Stderr),
                "{args:?}: errors go to stderr"
            );
            Outcome::Error(out.text(), out.exit_code)
        }
        Ok(inv) => {
            let warnings: String = inv.warnings.iter().map(|w| format!("{w}\n")).collect();
            match inv.help {
                Some(Help::Show) => Outcome::Help(Stream::Stdout, 0, warnings),
                Some(Help::ShowAndFail(stream)) => Outcome::Help(stream, 1, warnings),
                Some(Help::UnknownTopic(line)) => Outcome::UnknownTopic(line),
                None => Outcome::Runs,
            }
        }
    }
}

/// Classifies what the real kubectl printed, knowing what we predicted (help texts and
/// command-level errors are not compared here).
fn theirs(run: &Run, predicted: &Outcome) -> Outcome {
    let flag_layer = [
        "Error: unknown flag",
        "Error: unknown shorthand flag",
        "Error: flag needs an argument",
        "Error: invalid argument",
        "Error: bad flag syntax",
        "Error: unknown command",
        "Error: flags cannot be placed",
        "error: unknown flag",
        "error: unknown shorthand flag",
        "error: flag needs an argument",
        "error: invalid argument",
        "error: unknown command",
    ];
    if flag_layer.iter().any(|p| run.stderr.starts_with(p)) {
        return Outcome::Error(run.stderr.clone(), run.code);
    }
    match predicted {
        Outcome::Help(..) => {
            let (stream, text) = if run.stdout.is_empty() {
                (Stream::Stderr, &run.stderr)
            } else {
                (Stream::Stdout, &run.stdout)
            };
            // Deprecation warnings come first on stderr when the help goes to stdout.
            let warnings = if stream == Stream::Stdout {
                run.stderr.clone()
            } else {
                String::new()
            };
            if text.is_empty() {
                return Outcome::Error(format!("no help printed; stderr={:?}", run.stderr), run.code);
            }
            Outcome::Help(stream, run.code, warnings)
        }
        Outcome::UnknownTopic(_) => Outcome::UnknownTopic(run.stderr.lines().next().unwrap_or_default().to_string()),
        _ => Outcome::Runs,
    }
}

fn compare_with_kubectl(cases: &[&[&str]]) {
    let Some(bin) = kubectl_binary() else {
        println!("kubectl not found: skipping the comparison with the real binary");
        return;
    };
    let mut failures = Vec::new();
    for args in cases {
        let predicted = ours(args);
        let run = real(&bin, args);
        let actual = theirs(&run, &predicted);
        if predicted != actual {
            failures.push(format!(
                "kubectl {args:?}\n  ours:   {predicted:?}\n  kubectl: {actual:?}\n  (stdout {:?})",
                run.stdout.chars().take(80).collect::<String>()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} differences:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn errors_match_kubectl() {
    compare_with_kubectl(&[
        // Unknown commands and suggestions.
        &["foo"],
        &["gett"],
        &["gt", "pods"],
        &["xyzzy"],
        &["ge"],
        &["a"],
        &["c"],
        &["p"],
        &["GET"],
        &["des"],
        &["roll"],
        &["cre"],
        &["optio"],
        &["alph"],
        &["hel"],
        &["__complet"],
        &["-n", "default", "foo"],
        &["--foo", "get", "pods"],
        &["--namespace=x", "nosuch"],
        &["get-pods"],
        &["kubectl", "get"],
        &["é"],
        &["\u{1}x"],
        // Flags.
        &["get", "pods", "--foo"],
        &["get", "pods", "-z"],
        &["get", "pods", "-o"],
        &["get", "pods", "--namespace"],
        &["get", "po", "-n"],
        &["get", "pods", "-L"],
        &["apply", "-f"],
        &["logs", "-c"],
        &["-v"],
        &["--namespace"],
        &["get", "--all_namespacez"],
        &["get", "--=x"],
        &["get", "---x"],
        &["get", "-é"],
        &["get", "--é"],
        &["exec", "-iz"],
        &["exec", "-ié"],
        &["exec", "pod", "ls", "-la"],
        &["exec", "-it=x"],
        &["get", "-Aw=maybe"],
        &["get", "pods", "--watch=maybe"],
        &["get", "pods", "--watch="],
        &["scale", "deploy", "x", "--replicas=abc"],
        &["scale", "deploy", "x", "--replicas", "1e3"],
        &["scale", "deploy", "x", "--replicas=99999999999999999999"],
        &["scale", "deploy", "x", "--replicas=1__0"],
        &["scale", "deploy", "x", "--replicas=0x"],
        &["scale", "deploy", "x", "--replicas=\"3\""],
        &["create", "deployment", "x", "--image=a", "--replicas=99999999999"],
        &["create", "deployment", "x", "--image=a", "--port=-2147483649"],
        &["get", "-L", "a\"b"],
        &["get", "-L", "\"a"],
        &["get", "-L", "a,\"b"],
        &["get", "-L", "\"a\"x"],
        &["get", "-L", "\"a\nb"],
        &["get", "-L", "\n"],
        &["get", "-L", "x\ny\"z"],
        &["rollout", "status", "--timeout=abc"],
        &["rollout", "status", "--timeout=1"],
        &["rollout", "status", "--timeout=1x"],
        &["rollout", "status", "--timeout=.s"],
        &["rollout", "status", "--timeout=1µx"],
        &["rollout", "status", "--timeout=99999999999h"],
        &["logs", "--since=5d"],
        &["logs", "--since=-"],
        &["version", "--client", "-v=0x1"],
        &["version", "-v", "99999999999"],
        &["version", "--vmodule=a=-1"],
        &["version", "--vmodule=a=b=1"],
        &["get", "--log-flush-frequency=abc"],
        &["debug", "--env=zz9"],
        &["debug", "--env=a=1,b"],
        &["create", "clusterrole", "x", "--aggregation-rule=zz9"],
        &["diff", "--foo"],
        &["diff", "-o"],
        &["diff", "--concurrency=x"],
        &["create", "deploy", "--replicas"],
        &["rollout", "status", "deploy/x", "-w=nope"],
        &["config", "view", "--merge=abc"],
        &["get", "pods", "-o", "yaml", "--help", "--foo"],
        &["get", "pods", "--foo", "--help"],
        // Groups.
        &["rollout", "foo"],
        &["rollout", "foo", "bar"],
        &["rollout", "-n", "x", "foo"],
        &["create", "service", "foo"],
        &["create", "svc", "foo"],
        &["create", "secret", "foo"],
        &["config", "foo"],
        &["set", "foo"],
        &["top", "foo"],
        &["auth", "foo"],
        &["plugin", "foo"],
        &["rollout", "--", "foo"],
        &["options", "--foo"],
        &["options", "-n"],
    ]);
}

#[test]
fn help_and_group_behaviour_match_kubectl() {
    compare_with_kubectl(&[
        &[],
        &[""],
        &["-n", "get"],
        &["--help"],
        &["-h"],
        &["get", "--help"],
        &["get", "-h"],
        &["rollout", "status", "--help"],
        &["create", "deploy", "--help"],
        &["rollout"],
        &["set"],
        &["config"],
        &["top"],
        &["auth"],
        &["plugin"],
        &["create", "secret"],
        &["create", "service"],
        &["certificate"],
        &["certificate", "foo"],
        &["help"],
        &["help", "get"],
        &["help", "rollout", "status"],
        &["help", "rollout", "foo"],
        &["help", "foo"],
        &["help", "foo", "bar"],
        &["-n", "x", "help", "get"],
        &["scale", "--record", "--help"],
        &["label", "--record=false", "--record", "-h"],
    ]);
}

#[test]
fn accepted_command_lines_are_accepted_by_kubectl() {
    // Each of these gets past the flag layer in real kubectl (it then fails to reach a server).
    compare_with_kubectl(&[
        &["get", "pods"],
        &["get", "pods", "-o", "wide", "-n", "kube-system", "-w=false"],
        &["get", "pods", "-oyaml", "-A", "--all_namespaces"],
        &["get", "pods", "-o=json", "--chunk-size=0x_1"],
        &["get", "pods", "-h=false"],
        &["get", "pods", "--help=false"],
        &["-n", "x", "get", "pods"],
        &["--namespace", "x", "get", "pods"],
        &["-v=0", "get", "pods"],
        &["get", "-test.v", "pods"],
        &["get", "pods", "--", "-n"],
        &["scale", "deploy/web", "--replicas=-1"],
        &["scale", "deploy/web", "--replicas", "-1"],
        &["delete", "pod", "x", "--now", "--grace-period=0", "--cascade"],
        &["delete", "pod", "x", "--dry-run"],
        &["rollout", "status", "deploy/web", "--timeout=1m30s"],
        &["rollout", "undo", "deploy/web", "--to-revision=2"],
        &["logs", "pod", "-f", "--tail=10", "--since=1h"],
        &["describe", "pods", "-l", "app=web"],
        &["label", "pod", "x", "a=b", "--overwrite"],
        &["annotate", "pod", "x", "a=b"],
        &["cordon", "node1"],
        &[
            "drain",
            "node1",
            "--ignore-daemonsets",
            "--delete-emptydir-data",
            "--force",
        ],
        &["taint", "nodes", "node1", "key=value:NoSchedule"],
        &[
            "expose",
            "deploy",
            "web",
            "--port=80",
            "--target-port=8080",
            "--type=NodePort",
        ],
        &["set", "image", "deploy/web", "nginx=nginx:1.25"],
        &["wait", "--for=condition=Ready", "pod/x", "--timeout=5s"],
        &["top", "pods"],
        &["patch", "deploy", "web", "-p", "{}"],
        &["replace", "-f", "x.yaml"],
        &["api-resources"],
        &["explain", "pods.spec"],
        &["get", "--request-timeout=abc", "pods"],
    ]);
}

/// Every flag of every command, against the binary: a bad value, a missing value, a bare
/// boolean. Slow (thousands of runs): `cargo test -p kubelab-kubectl --test flags -- --ignored`.
#[test]
#[ignore]
fn every_declared_flag_matches_kubectl() {
    let mut cases: Vec<Vec<String>> = Vec::new();
    fn walk(c: &'static CommandSpec, path: Vec<String>, cases: &mut Vec<Vec<String>>) {
        let mut base = path.clone();
        base.push("--help".to_string());
        for f in c.flags.iter().chain(if path.is_empty() { c.persistent } else { &[] }) {
            let mut a = base.clone();
            a.push(format!("--{}", f.long));
            cases.push(a);
            let mut a = base.clone();
            a.push(format!("--{}=zz9\"", f.long));
            cases.push(a);
            if let Some(s) = f.short {
                let mut a = base.clone();
                a.push(format!("-{s}"));
                cases.push(a);
            }
        }
        let mut a = path.clone();
        a.push("--no-such-flag".to_string());
        cases.push(a);
        for sub in c.subcommands {
            let mut p = path.clone();
            p.push(sub.name.to_string());
            walk(sub, p, cases);
        }
    }
    walk(&KUBECTL, Vec::new(), &mut cases);
    let refs: Vec<Vec<&str>> = cases.iter().map(|c| c.iter().map(String::as_str).collect()).collect();
    let slices: Vec<&[&str]> = refs.iter().map(Vec::as_slice).collect();
    compare_with_kubectl(&slices);
}

// ---------------------------------------------------------------------------------------------
// Exact strings (captured from kubectl v1.32.4; also checked above when the binary is present)
// ---------------------------------------------------------------------------------------------

#[test]
fn captured_error_strings() {
    let cases: &[(&[&str], &str)] = &[
        (&["foo"], "Error: unknown command \"foo\" for \"kubectl\"\n\nDid you mean this?\n\ttop\n\n"),
        (&["gt", "pods"], "Error: unknown command \"gt\" for \"kubectl\"\n\nDid you mean this?\n\tset\n\tget\n\tcp\n\n"),
        (&["xyzzy"], "Error: unknown command \"xyzzy\" for \"kubectl\"\n"),
        (&["get", "pods", "--foo"], "Error: unknown flag: --foo\nSee 'kubectl get --help' for usage.\n"),
        (&["get", "pods", "-z"], "Error: unknown shorthand flag: 'z' in -z\nSee 'kubectl get --help' for usage.\n"),
        (&["get", "pods", "--namespace"], "Error: flag needs an argument: --namespace\nSee 'kubectl get --help' for usage.\n"),
        (&["get", "pods", "-o"], "Error: flag needs an argument: 'o' in -o\nSee 'kubectl get --help' for usage.\n"),
        (&["apply", "-f"], "Error: flag needs an argument: 'f' in -f\nSee 'kubectl apply --help' for usage.\n"),
        (
            &["scale", "deploy", "x", "--replicas=abc"],
            "Error: invalid argument \"abc\" for \"--replicas\" flag: strconv.ParseInt: parsing \"abc\": invalid syntax\nSee 'kubectl scale --help' for usage.\n",
        ),
        (
            &["get", "pods", "--watch=maybe"],
            "Error: invalid argument \"maybe\" for \"-w, --watch\" flag: strconv.ParseBool: parsing \"maybe\": invalid syntax\nSee 'kubectl get --help' for usage.\n",
        ),
        (
            &["rollout", "status", "deploy/x", "--timeout=abc"],
            "Error: invalid argument \"abc\" for \"--timeout\" flag: time: invalid duration \"abc\"\nSee 'kubectl rollout status --help' for usage.\n",
        ),
        (&["rollout", "foo"], "error: unknown command \"foo\"\nSee 'kubectl rollout -h' for help and examples\n"),
        (&["create", "service", "foo"], "error: unknown command \"foo\"\nSee 'kubectl create service -h' for help and examples\n"),
        (&["--foo", "get", "pods"], "Error: flags cannot be placed before plugin name: --foo\n"),
        (&["exec", "-ié"], "Error: unknown shorthand flag: 'Ã' in -é\nSee 'kubectl exec --help' for usage.\n"),
    ];
    for (args, want) in cases {
        let out = err(args);
        assert_eq!(out.text(), *want, "{args:?}");
        assert_eq!(out.exit_code, 1, "{args:?}");
    }
    let out = err(&["diff", "--foo"]);
    assert_eq!(
        out.text(),
        "error: unknown flag: --foo\nSee 'kubectl diff -h' for help and examples\n"
    );
    assert_eq!(out.exit_code, 2);
}

// ---------------------------------------------------------------------------------------------
// Parsing semantics
// ---------------------------------------------------------------------------------------------

#[test]
fn resolves_command_paths_and_aliases() {
    assert_eq!(ok(&["rollout", "status", "deploy/web"]).path, ["rollout", "status"]);
    assert_eq!(
        ok(&["create", "deploy", "web", "--image=nginx"]).path,
        ["create", "deployment"]
    );
    assert_eq!(
        ok(&["create", "svc", "clusterip", "web", "--tcp=80"]).path,
        ["create", "service", "clusterip"]
    );
    assert_eq!(
        ok(&["create", "secret", "generic", "s"]).path,
        ["create", "secret", "generic"]
    );
    assert_eq!(ok(&["config", "use", "ctx"]).path, ["config", "use-context"]);
    assert_eq!(ok(&["top", "po"]).path, ["top", "pod"]);
    let inv = ok(&["-n", "kube-system", "get", "pods"]);
    assert_eq!(inv.path, ["get"]);
    assert_eq!(inv.command.name, "get");
    assert_eq!(inv.command_path(), "kubectl get");
    assert_eq!(inv.get_str("namespace"), "kube-system");
    // `get` is not a subcommand of `create`: an argument of `create`.
    assert_eq!(ok(&["create", "get"]).path, ["create"]);
    assert_eq!(ok(&["create", "get"]).args, ["get"]);
}

#[test]
fn value_forms() {
    for args in [
        &["get", "pods", "-o", "yaml"][..],
        &["get", "pods", "-oyaml"],
        &["get", "pods", "-o=yaml"],
        &["get", "pods", "--output=yaml"],
        &["get", "pods", "--output", "yaml"],
        &["get", "-o", "json", "pods", "--output=yaml"],
    ] {
        let inv = ok(args);
        assert_eq!(inv.get_str("output"), "yaml", "{args:?}");
        assert_eq!(inv.args, ["pods"], "{args:?}");
        assert!(inv.was_set("output"));
    }
    let inv = ok(&["get", "pods"]);
    assert_eq!(inv.get_str("output"), "");
    assert!(!inv.was_set("output"));
    // `-o=` gives the value "=" in pflag (the `-f=value` form needs 3+ characters).
    assert_eq!(ok(&["get", "-o="]).get_str("output"), "=");
    // A flag needing a value takes the next argument even if it starts with a dash.
    assert_eq!(ok(&["get", "-o", "--watch"]).get_str("output"), "--watch");
}

#[test]
fn booleans() {
    let inv = ok(&["exec", "-it", "pod", "--", "sh"]);
    assert!(inv.get_bool("stdin") && inv.get_bool("tty"));
    assert!(!inv.get_bool("quiet"));
    let inv = ok(&["get", "pods", "--watch=false", "-A"]);
    assert!(!inv.get_bool("watch") && inv.was_set("watch"));
    assert!(inv.get_bool("all-namespaces"));
    for v in ["1", "t", "T", "TRUE", "true", "True"] {
        assert!(ok(&["get", &format!("-w={v}")]).get_bool("watch"), "{v}");
    }
    // A bare boolean does not take the next argument.
    let inv = ok(&["get", "-w", "false"]);
    assert!(inv.get_bool("watch"));
    assert_eq!(inv.args, ["false"]);
    // Defaults.
    assert!(ok(&["rollout", "status", "deploy/x"]).get_bool("watch"));
    assert!(ok(&["get"]).get_bool("server-print"));
}

#[test]
fn no_option_defaults() {
    assert_eq!(ok(&["delete", "pod", "x", "--dry-run"]).get_str("dry-run"), "unchanged");
    assert_eq!(
        ok(&["delete", "pod", "x", "--dry-run=client"]).get_str("dry-run"),
        "client"
    );
    assert_eq!(ok(&["delete", "pod", "x"]).get_str("dry-run"), "none");
    // A bare `--dry-run` does not swallow the next argument.
    assert_eq!(ok(&["delete", "--dry-run", "pod", "x"]).args, ["pod", "x"]);
    assert_eq!(
        ok(&["delete", "pod", "x", "--cascade"]).get_str("cascade"),
        "background"
    );
    assert_eq!(ok(&["apply", "-f", "x", "--validate"]).get_str("validate"), "strict");
}

#[test]
fn numbers() {
    assert_eq!(ok(&["scale", "deploy/x", "--replicas=-1"]).get_int("replicas"), -1);
    assert_eq!(ok(&["scale", "deploy/x", "--replicas", "-1"]).get_int("replicas"), -1);
    assert_eq!(ok(&["scale", "deploy/x", "--replicas=0x10"]).get_int("replicas"), 16);
    assert_eq!(ok(&["scale", "deploy/x", "--replicas=010"]).get_int("replicas"), 8);
    assert_eq!(ok(&["scale", "deploy/x", "--replicas=1_000"]).get_int("replicas"), 1000);
    assert_eq!(ok(&["scale", "deploy/x"]).get_int("replicas"), 0);
    assert_eq!(ok(&["create", "deploy", "x", "--image=i"]).get_int("replicas"), 1);
    assert_eq!(ok(&["-v=6", "get"]).get_int("v"), 6);
    assert_eq!(
        ok(&["rollout", "status", "x", "--timeout=1m30s"]).get_duration_nanos("timeout"),
        90_000_000_000
    );
    assert_eq!(
        ok(&["wait", "--for=delete", "pod/x"]).get_duration_nanos("timeout"),
        30_000_000_000
    );
}

#[test]
fn lists() {
    let inv = ok(&[
        "apply",
        "-f",
        "a.yaml,b.yaml",
        "-f",
        "c.yaml",
        "--filename=\"d,e.yaml\"",
    ]);
    assert_eq!(inv.get_all("filename"), ["a.yaml", "b.yaml", "c.yaml", "d,e.yaml"]);
    assert_eq!(ok(&["apply"]).get_all("filename"), Vec::<String>::new());
    let inv = ok(&["create", "cm", "c", "--from-literal=a=1,b=2", "--from-literal", "c=3"]);
    assert_eq!(inv.get_all("from-literal"), ["a=1,b=2", "c=3"]);
    let inv = ok(&["get", "pods", "-L", "app", "-L", "tier,env"]);
    assert_eq!(inv.get_all("label-columns"), ["app", "tier", "env"]);
    // Scalars: every value given.
    assert_eq!(ok(&["get", "-o", "a", "-o", "b"]).get_all("output"), ["a", "b"]);
}

#[test]
fn positionals_dash_and_interspersed_flags() {
    let inv = ok(&["get", "pods", "-n", "x", "-o", "wide", "nginx", "--show-labels"]);
    assert_eq!(inv.args, ["pods", "nginx"]);
    assert_eq!(inv.after_dash, None);
    assert_eq!(inv.args_len_at_dash(), -1);
    let inv = ok(&[
        "exec", "-it", "web-1", "-c", "app", "--", "sh", "-c", "echo hi", "--", "-x",
    ]);
    assert_eq!(inv.args, ["web-1"]);
    assert_eq!(
        inv.after_dash.as_deref(),
        Some(&["sh", "-c", "echo hi", "--", "-x"].map(String::from)[..])
    );
    assert_eq!(inv.args_len_at_dash(), 1);
    assert_eq!(inv.all_args().len(), 6);
    let inv = ok(&["exec", "pod", "--"]);
    assert_eq!(inv.after_dash, Some(Vec::new()));
    let inv = ok(&["create", "job", "j", "--image=busybox", "--", "echo", "hi"]);
    assert_eq!(inv.after_dash.unwrap(), ["echo", "hi"]);
    let inv = ok(&["run", "x", "--image=busybox", "--restart=Never", "--", "sleep", "3600"]);
    assert_eq!(
        (inv.args.as_slice(), inv.after_dash.unwrap().len()),
        (&["x".to_string()][..], 2)
    );
    // A lone `-` is an argument (`-f -` reads stdin).
    let inv = ok(&["apply", "-f", "-"]);
    assert_eq!(inv.get_all("filename"), ["-"]);
    assert_eq!(ok(&["get", "-"]).args, ["-"]);
}

#[test]
fn help_requests() {
    assert_eq!(ok(&[]).help, Some(Help::Show));
    assert_eq!(ok(&["get", "--help"]).help, Some(Help::Show));
    assert_eq!(ok(&["get", "pods", "-h"]).help, Some(Help::Show));
    assert_eq!(ok(&["get", "--help=false"]).help, None);
    assert_eq!(ok(&["rollout"]).help, Some(Help::ShowAndFail(Stream::Stdout)));
    assert_eq!(ok(&["config"]).help, Some(Help::ShowAndFail(Stream::Stderr)));
    assert_eq!(ok(&["certificate", "x"]).help, Some(Help::Show));
    assert_eq!(ok(&["alpha"]).help, Some(Help::Show));
    let inv = ok(&["help", "rollout", "status"]);
    assert_eq!(
        (inv.path.as_slice(), inv.help),
        (&["rollout", "status"][..], Some(Help::Show))
    );
    let inv = ok(&["help", "no", "such"]);
    assert_eq!(
        inv.help,
        Some(Help::UnknownTopic("Unknown help topic [`no` `such`]".to_string()))
    );
    // A flag error wins over --help wherever it is.
    assert!(parse_kubectl(&argv(&["get", "--help", "--nope"])).is_err());
}

#[test]
fn deprecation_warnings_and_required_flags() {
    let inv = ok(&["scale", "deploy/x", "--replicas=1", "--record", "--record"]);
    assert_eq!(
        inv.warnings,
        ["Flag --record has been deprecated, --record will be removed in the future"; 2]
    );
    assert!(ok(&["create", "deploy", "x"]).missing_required() == ["image"]);
    assert!(ok(&["create", "deploy", "x", "--image=nginx"])
        .missing_required()
        .is_empty());
    assert_eq!(
        ok(&["create", "cronjob", "x"]).missing_required(),
        ["image", "schedule"]
    );
    assert_eq!(
        required_flags_error(&["image", "schedule"]),
        "required flag(s) \"image\", \"schedule\" not set"
    );
    assert_eq!(
        command_failed_line("1125 14:35:28.300032", 19028, &required_flags_error(&["image"])),
        r#"E1125 14:35:28.300032   19028 run.go:72] "command failed" err="required flag(s) \"image\" not set""#
    );
    let inv = ok(&["get", "-o", "wide", "-w", "-n", "x"]);
    assert_eq!(inv.changed(), ["output", "watch", "namespace"]);
}

#[test]
fn tree_is_complete_for_the_commands_kubelab_implements() {
    let paths: &[&[&str]] = &[
        &["get"],
        &["describe"],
        &["create"],
        &["create", "deployment"],
        &["create", "service", "clusterip"],
        &["create", "service", "nodeport"],
        &["create", "service", "loadbalancer"],
        &["create", "namespace"],
        &["create", "configmap"],
        &["create", "secret", "generic"],
        &["create", "job"],
        &["apply"],
        &["delete"],
        &["scale"],
        &["expose"],
        &["set", "image"],
        &["rollout", "status"],
        &["rollout", "history"],
        &["rollout", "undo"],
        &["rollout", "pause"],
        &["rollout", "resume"],
        &["rollout", "restart"],
        &["logs"],
        &["label"],
        &["annotate"],
        &["run"],
        &["exec"],
        &["cordon"],
        &["uncordon"],
        &["drain"],
        &["taint"],
        &["version"],
        &["cluster-info"],
        &["api-resources"],
        &["explain"],
        &["wait"],
        &["top", "pod"],
        &["top", "node"],
        &["edit"],
        &["patch"],
        &["replace"],
        &["config", "view"],
        &["config", "current-context"],
        &["config", "use-context"],
        &["config", "get-contexts"],
        &["config", "set-context"],
    ];
    for path in paths {
        let mut c: &CommandSpec = &KUBECTL;
        for name in *path {
            c = c.subcommand(name).unwrap_or_else(|| panic!("no {path:?}"));
        }
    }
    // `-h` combines like any shorthand (not compared with the binary: Google Cloud SDK's
    // kubectl dispatcher prints its own usage for it).
    assert_eq!(ok(&["get", "-wh"]).help, Some(Help::Show));
    let get = KUBECTL.subcommand("get").unwrap();
    let watch = get.flags.iter().find(|f| f.long == "watch").unwrap();
    assert_eq!(
        (watch.short, watch.kind, watch.default),
        (Some('w'), FlagKind::Bool, "false")
    );
    assert_eq!(KUBECTL.subcommands.len(), 44);
}

#[test]
fn go_value_parsers() {
    use flags::{go_quote, parse_duration, parse_int, read_csv};
    assert_eq!(parse_int("0x_1F", 0, 64), Ok(31));
    assert_eq!(parse_int("-0b101", 0, 64), Ok(-5));
    assert_eq!(parse_int("0o17", 0, 64), Ok(15));
    assert_eq!(parse_int("-9223372036854775808", 0, 64), Ok(i64::MIN));
    assert_eq!(parse_int("9223372036854775808", 0, 64), Err("value out of range"));
    assert_eq!(parse_int("2147483648", 0, 32), Err("value out of range"));
    assert_eq!(parse_int("-2147483648", 0, 32), Ok(-2147483648));
    assert_eq!(parse_int("1__0", 0, 64), Err("invalid syntax"));
    assert_eq!(parse_int("_1", 0, 64), Err("invalid syntax"));
    assert_eq!(parse_int("08", 0, 64), Err("invalid syntax"));
    assert_eq!(parse_int("99999999999999999999x", 0, 64), Err("value out of range"));
    assert_eq!(parse_int("0x10", 10, 32), Err("invalid syntax"));
    assert_eq!(parse_int("", 0, 64), Err("invalid syntax"));
    assert_eq!(parse_int("+", 0, 64), Err("invalid syntax"));

    assert_eq!(parse_duration("1h2m3.5s"), Ok(3_723_500_000_000));
    assert_eq!(parse_duration("-1.5ms"), Ok(-1_500_000));
    assert_eq!(parse_duration("0"), Ok(0));
    assert_eq!(parse_duration("+0"), Ok(0));
    assert_eq!(parse_duration("1µs"), Ok(1000));
    assert_eq!(parse_duration(".5s"), Ok(500_000_000));
    assert_eq!(parse_duration("1").unwrap_err(), "time: missing unit in duration \"1\"");
    assert_eq!(
        parse_duration("1d").unwrap_err(),
        "time: unknown unit \"d\" in duration \"1d\""
    );
    assert_eq!(
        parse_duration("1é").unwrap_err(),
        "time: unknown unit \"\\xc3\\xa9\" in duration \"1\\xc3\\xa9\""
    );
    assert_eq!(parse_duration("").unwrap_err(), "time: invalid duration \"\"");
    assert_eq!(
        parse_duration("3000000h").unwrap_err(),
        "time: invalid duration \"3000000h\""
    );

    assert_eq!(
        read_csv("a,b,,c"),
        Ok(vec!["a".into(), "b".into(), "".into(), "c".into()])
    );
    assert_eq!(read_csv("\"a,b\",\"c\"\"d\""), Ok(vec!["a,b".into(), "c\"d".into()]));
    assert_eq!(read_csv("a\nb"), Ok(vec!["a".into()]));
    assert_eq!(read_csv("\n\na"), Ok(vec!["a".into()]));
    assert_eq!(read_csv("\"a\nb\",c"), Ok(vec!["a\nb".into(), "c".into()]));
    assert_eq!(
        read_csv("a\"b").unwrap_err(),
        "parse error on line 1, column 2: bare \" in non-quoted-field"
    );
    assert_eq!(read_csv("\n").unwrap_err(), "EOF");

    assert_eq!(
        go_quote("a\"b\\c\n\t\u{1}\u{7f}é\u{a0}\u{200b}🙂"),
        "\"a\\\"b\\\\c\\n\\t\\x01\\x7fé\\u00a0\\u200b🙂\""
    );
}

#[test]
fn levenshtein_suggestions_are_bounded_for_huge_input() {
    let long = "x".repeat(1 << 20);
    let out = err(&[&long]);
    assert!(out.text().starts_with("Error: unknown command \"xxx"));
    assert!(!out.text().contains("Did you mean"));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn parse_never_panics(args in proptest::collection::vec(
        prop_oneof![
            "(-|--|---)?[a-zA-Z_=é0-9-]{0,12}",
            Just("--".to_string()),
            Just("-".to_string()),
            Just("get".to_string()),
            Just("rollout".to_string()),
            Just("create".to_string()),
            Just("help".to_string()),
            Just("-o".to_string()),
            Just("-n".to_string()),
            Just("--help".to_string()),
            ".{0,8}",
        ],
        0..8,
    )) {
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        match parse_kubectl(&argv(&refs)) {
            Ok(inv) => {
                for f in inv.changed() {
                    let _ = (inv.get_str(f), inv.get_all(f), inv.get_int(f), inv.get_bool(f));
                }
            }
            Err(out) => prop_assert!(out.exit_code != 0 && !out.text().is_empty()),
        }
    }
}
