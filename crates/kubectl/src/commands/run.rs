//! `kubectl run NAME --image=IMAGE [-- ARGS…]` (`k8s.io/kubectl/pkg/cmd/run/run.go`, v1.32,
//! whose pod comes from the `run-pod/v1` generator in `pkg/generate/versioned/run.go`).
//!
//! The order of the checks is kubectl's, verified against the real binary (see the oracle
//! test): `Complete` reads `--dry-run` and `-o`; `Run` then checks NAME,
//! `--pod-running-timeout`, the image (empty, then distribution/reference's grammar), `-t`
//! without `-i`, `--expose` without `--port`, `--restart`, `--rm` without attaching, attaching
//! with a dry run, `--image-pull-policy`; the generator finally parses `--env`,
//! `--annotations`, `--labels` and `--port`.
//!
//! The pod: `run: NAME` labels unless `--labels`, one container named NAME, arguments after
//! `--` as `args` (or `command` with `--command`), `dnsPolicy: ClusterFirst`, the restart
//! policy. `--expose` also creates a ClusterIP service selecting the pod; kubectl creates and
//! prints the service before it prints the pod.
//!
//! Attaching (`-i`, `--attach`, `-it --rm`) is simulated on the virtual clock, the way
//! `handleAttachPod` behaves: wait (at most `--pod-running-timeout`) until the pod runs and is
//! ready or has completed; a completed pod's logs are printed; otherwise the logs so far, the
//! `If you don't see a command prompt, try pressing enter.` notice with `-it`, then what the
//! container prints until it exits. A container running an interactive shell (`-i` and `sh`)
//! reads the console's input: the heredoc or pipe given to the command (the shell runs on it
//! in the container), else the terminal: the shell takes over the console (its prompt, the
//! lines typed next) until it exits ([`crate::terminal`]). Then kubectl waits for the exit code with
//! `--restart=Never|OnFailure`, and `--rm` deletes what it created (`pod "x" deleted`) before
//! an error is printed (`pod default/x terminated (Error)`, exit code = the container's).
//!
//! `--overrides` patches the generated pod (`--override-type` merge, strategic or json). The
//! simulated API has no `stdinOnce` field, so a created pod does not keep it (a dry run shows
//! it). Approximation: the interactive session is a shell started in the container (as
//! `exec` does), not the container's own process, so ending it does not end the container,
//! which the engine keeps waiting on its terminal; only `--rm` stops it.

use super::cmdutil;
use super::mutate::{self, DryRun, Encoding, Format, Printer, Waited};
use crate::engine::api::{Kind, Object, Pod};
use crate::engine::shell::{self, ShellInvocation};
use crate::engine::{images, runtime, Cluster, DeleteOptions, ExecError};
use crate::flags::Invocation;
use crate::session::Session;
use crate::terminal::{Foreground, Origin};
use crate::{errors, Output};
use serde_json::{json, Map, Value};

pub fn run(s: &mut Session, inv: &Invocation, stdin: Option<&str>) -> Output {
    if let Err(e) = mutate::check_required(s, inv) {
        return e;
    }
    mutate::command(s, inv, |s, out| run_pod(s, inv, stdin, out))
}

/// Everything `kubectl run` decided from its command line.
struct Plan {
    name: String,
    namespace: String,
    dry: DryRun,
    attach: bool,
    interactive: bool,
    tty: bool,
    quiet: bool,
    remove: bool,
    restart: &'static str,
    timeout_ms: u64,
    pod: Value,
    service: Option<Value>,
}

fn run_pod(s: &mut Session, inv: &Invocation, stdin: Option<&str>, out: &mut Output) -> Result<(), Output> {
    let plan = plan(s, inv, out)?;
    let mut printer = Printer::new(mutate::format(inv)?, plan.dry);
    if plan.dry == DryRun::Client {
        if let Some(svc) = &plan.service {
            print_service(&mut printer, out, svc, Encoding::Typed);
        }
        printer.print(out, &plan.pod, Encoding::Typed, "created");
        return Ok(());
    }
    let ns = plan.namespace.clone();
    let pod = create(&mut s.cluster, plan.dry, out, &plan.pod, &ns)?;
    let mut created: Vec<(Kind, String)> = vec![(Kind::Pod, plan.name.clone())];
    let mut failed: Option<Output> = None;
    if let Some(svc) = &plan.service {
        match create(&mut s.cluster, plan.dry, out, svc, &ns) {
            Ok(v) => {
                print_service(&mut printer, out, &v, Encoding::Typed);
                created.push((Kind::Service, plan.name.clone()));
            }
            Err(e) => failed = Some(e),
        }
    }
    if !plan.attach {
        printer.print(out, &pod, Encoding::Typed, "created");
        return match failed {
            Some(e) => Err(e),
            None => Ok(()),
        };
    }
    let removable = if plan.remove { created.clone() } else { Vec::new() };
    let result = attach(s, &plan, stdin, removable, out);
    if s.foreground.is_some() {
        // The container's shell owns the terminal now; what follows its exit (`--rm`, the
        // exit code) is `terminal::Foreground::finish`.
        return result;
    }
    if plan.remove {
        // `defer o.removeCreatedObjects(…)`: deleted before the error is printed, without
        // waiting, quietly with `-q`.
        for (kind, name) in &created {
            if s.cluster.delete(*kind, &ns, name, DeleteOptions::default()).is_ok() && !plan.quiet {
                out.outln(format!("{} \"{name}\" deleted", mutate::type_name(*kind)));
            }
        }
    }
    result
}

/// `run --expose` prints the service as soon as it is created and, for YAML, its own `---`
/// after it (the shared printer then adds another before the pod, as real kubectl does).
fn print_service(printer: &mut Printer, out: &mut Output, svc: &Value, enc: Encoding) {
    printer.print(out, svc, enc, "created");
    if printer.format == Format::Yaml {
        out.out("---\n");
    }
}

/// Sends a generated object (`createGeneratedObject`) and returns what the server stored.
fn create(c: &mut Cluster, dry: DryRun, out: &mut Output, value: &Value, ns: &str) -> Result<Value, Output> {
    let mut value = value.clone();
    // The simulated API has no `stdinOnce` field (nothing reattaches a closed stdin there).
    if let Some(Value::Object(c)) = value.pointer_mut("/spec/containers/0") {
        c.remove("stdinOnce");
    }
    let mut obj = Object::decode(value)
        .map_err(|e| errors::error(format!("kubelab could not decode the generated object: {e:?}")))?;
    obj.meta_mut().namespace = Some(ns.to_string());
    super::warnings::send(c, dry, out, |c| c.create(obj))
        .map(|o| o.to_value())
        .map_err(|e| errors::api_error(&e))
}

/// The command line, checked in kubectl's order, and the objects it generates.
fn plan(s: &Session, inv: &Invocation, out: &mut Output) -> Result<Plan, Output> {
    // Complete.
    let dry = mutate::dry_run(s, inv, out)?;
    mutate::format(inv)?;
    let interactive = inv.get_bool("stdin");
    let tty = inv.get_bool("tty");
    let attach = if inv.was_set("attach") {
        inv.get_bool("attach")
    } else {
        interactive
    };
    // Run.
    let args = inv.all_args();
    let Some(name) = args.first().cloned() else {
        return Err(mutate::usage_error(inv, "NAME is required for run"));
    };
    let timeout_ns = inv.get_duration_nanos("pod-running-timeout");
    if timeout_ns <= 0 {
        return Err(mutate::usage_error(
            inv,
            "--pod-running-timeout must be higher than zero",
        ));
    }
    let image = inv.get_str("image");
    if image.is_empty() {
        return Err(errors::error("--image is required"));
    }
    if !cmdutil::is_image_reference(image) {
        return Err(errors::error(format!(
            "Invalid image name \"{image}\": invalid reference format"
        )));
    }
    if tty && !interactive {
        return Err(mutate::usage_error(
            inv,
            "-i/--stdin is required for containers with -t/--tty=true",
        ));
    }
    let expose = inv.get_bool("expose");
    let port = inv.get_str("port");
    if expose && port.is_empty() {
        return Err(mutate::usage_error(inv, "--port must be set when exposing a service"));
    }
    let restart = match inv.get_str("restart") {
        "" if interactive => "OnFailure",
        "" | "Always" => "Always",
        "OnFailure" => "OnFailure",
        "Never" => "Never",
        other => return Err(mutate::usage_error(inv, format!("invalid restart policy: {other}"))),
    };
    let remove = inv.get_bool("rm");
    if !attach && remove {
        return Err(mutate::usage_error(
            inv,
            "--rm should only be used for attached containers",
        ));
    }
    if attach && dry != DryRun::None {
        return Err(mutate::usage_error(
            inv,
            "--dry-run=[server|client] can't be used with attached containers options (--attach, --stdin, or --tty)",
        ));
    }
    let pull = inv.get_str("image-pull-policy");
    if !matches!(pull, "" | "Always" | "IfNotPresent" | "Never") {
        return Err(mutate::usage_error(inv, format!("invalid image pull policy: {pull}")));
    }
    // The generator.
    let mut env = Vec::new();
    for e in inv.get_all("env") {
        match e.split_once('=') {
            Some((k, v)) if cmdutil::is_env_var_name(k) => {
                env.push(json!({ "name": k, "value": v }));
            }
            _ => return Err(errors::error(format!("invalid env: {e}"))),
        }
    }
    let (annotations, _) =
        cmdutil::parse_pairs(&inv.get_all("annotations"), "annotations", false).map_err(errors::error)?;
    let label_spec = inv.get_str("labels");
    let labels = if label_spec.is_empty() {
        vec![("run".to_string(), name.clone())]
    } else {
        cmdutil::parse_label_spec(label_spec).map_err(errors::error)?
    };
    let port_no = if port.is_empty() {
        None
    } else {
        Some(cmdutil::atoi(port).map_err(errors::error)? as i32)
    };

    let namespace = super::namespace(s, inv);
    let to_map = |pairs: &[(String, String)]| -> Value {
        Value::Object(
            pairs
                .iter()
                .map(|(k, v)| (k.clone(), Value::String(v.clone())))
                .collect(),
        )
    };
    let mut meta = Map::new();
    meta.insert("name".into(), json!(name));
    if inv.was_set("namespace") {
        meta.insert("namespace".into(), json!(namespace));
    }
    meta.insert("creationTimestamp".into(), Value::Null);
    meta.insert("labels".into(), to_map(&labels));
    if !annotations.is_empty() {
        meta.insert("annotations".into(), to_map(&annotations));
    }
    let mut c = Map::new();
    c.insert("name".into(), json!(name));
    c.insert("image".into(), json!(image));
    let rest = &args[1..];
    if !rest.is_empty() {
        let field = if inv.get_bool("command") { "command" } else { "args" };
        c.insert(field.into(), json!(rest));
    }
    if let Some(p) = port_no {
        c.insert("ports".into(), json!([{ "containerPort": p }]));
    }
    if !env.is_empty() {
        c.insert("env".into(), Value::Array(env));
    }
    c.insert("resources".into(), json!({}));
    if !pull.is_empty() {
        c.insert("imagePullPolicy".into(), json!(pull));
    }
    if inv.get_bool("privileged") {
        c.insert("securityContext".into(), json!({ "privileged": true }));
    }
    if interactive {
        c.insert("stdin".into(), json!(true));
        if !inv.get_bool("leave-stdin-open") {
            c.insert("stdinOnce".into(), json!(true));
        }
    }
    if tty {
        c.insert("tty".into(), json!(true));
    }
    let pod_restart = match inv.get_str("restart") {
        "" => "Always",
        _ => restart,
    };
    let pod: Value = json!({
        "kind": "Pod",
        "apiVersion": "v1",
        "metadata": Value::Object(meta.clone()),
        "spec": {
            "containers": [Value::Object(c)],
            "restartPolicy": pod_restart,
            "dnsPolicy": "ClusterFirst"
        },
        "status": {}
    });
    let pod = overrides(inv, pod)?;
    // `--expose`: the `service/v2` generator with the pod's labels as selector; only labels the
    // user gave go on the service itself.
    let service = port_no.filter(|_| expose).map(|p| {
        let mut m = Map::new();
        m.insert("name".into(), json!(name));
        if let Some(ns) = meta.get("namespace") {
            m.insert("namespace".into(), ns.clone());
        }
        m.insert("creationTimestamp".into(), Value::Null);
        if !label_spec.is_empty() {
            m.insert("labels".into(), to_map(&labels));
        }
        json!({
            "kind": "Service",
            "apiVersion": "v1",
            "metadata": Value::Object(m),
            "spec": {
                "ports": [{ "port": p, "targetPort": p }],
                "selector": to_map(&labels)
            },
            "status": { "loadBalancer": {} }
        })
    });
    Ok(Plan {
        name,
        namespace,
        dry,
        attach,
        interactive,
        tty,
        quiet: inv.get_bool("quiet"),
        remove,
        restart,
        timeout_ms: (timeout_ns / 1_000_000) as u64,
        pod,
        service,
    })
}

/// `--overrides` (`cmdutil.Overrider`): a JSON patch of the generated pod, applied as
/// `--override-type` says (`merge` by default, `strategic`, `json`).
fn overrides(inv: &Invocation, pod: Value) -> Result<Value, Output> {
    let text = inv.get_str("overrides");
    if text.is_empty() {
        return Ok(pod);
    }
    let patch: Value =
        serde_json::from_str(text).map_err(|e| errors::error(format!("invalid JSON in --overrides: {e}")))?;
    let patched = match inv.get_str("override-type") {
        "merge" => super::patches::merge(&pod, &patch),
        "strategic" => super::patches::strategic(&pod, &patch).map_err(|e| e.message()),
        "json" => super::patches::json_patch(&pod, &patch).map_err(|e| match e {
            super::patches::JsonPatchError::Decode(m) | super::patches::JsonPatchError::Apply(m) => m,
        }),
        other => Err(format!("invalid override type: {other}")),
    };
    patched.map_err(errors::error)
}

/// The pod as it stands, if it still exists.
fn current(c: &Cluster, ns: &str, name: &str) -> Option<Pod> {
    c.get(Kind::Pod, ns, name).and_then(|o| o.as_pod().cloned())
}

fn completed(p: &Pod) -> bool {
    matches!(p.phase(), "Succeeded" | "Failed")
}

/// The container already ran and exited (a short command under `--restart=Always` is
/// restarting, or waiting in back-off): a watch would have seen it running.
fn exited_once(p: &Pod) -> bool {
    p.status
        .container_statuses
        .first()
        .is_some_and(|c| c.restart_count > 0 || c.state.terminated.is_some())
}

/// The id of the container's running instance.
fn running_id(p: &Pod) -> Option<String> {
    p.status
        .container_statuses
        .first()
        .filter(|c| c.state.running.is_some())
        .and_then(|c| c.container_id.clone())
}

/// Log lines of the pod's container (an error, like a container that never started, prints
/// nothing: kubectl only warns about pre-attach logs).
fn log_lines(c: &Cluster, ns: &str, name: &str, previous: bool) -> Vec<String> {
    c.log_lines(ns, name, "", previous)
        .map(|v| v.into_iter().map(|l| l.text).collect())
        .unwrap_or_default()
}

/// `handleAttachPod`, then the wait for the exit code. Prints into `out`; the error is what
/// kubectl reports after `--rm` has cleaned up.
fn attach(
    s: &mut Session,
    plan: &Plan,
    stdin: Option<&str>,
    removable: Vec<(Kind, String)>,
    out: &mut Output,
) -> Result<(), Output> {
    let (ns, name) = (plan.namespace.as_str(), plan.name.as_str());
    let not_found = || errors::api_error(&crate::engine::ApiError::not_found(Kind::Pod, name));
    // waitForPod(podRunningAndReady): a completed pod ends the wait too.
    let waited = mutate::wait_until(&mut s.cluster, Some(plan.timeout_ms), |c| {
        current(c, ns, name)
            .is_none_or(|p| completed(&p) || (p.phase() == "Running" && p.is_ready()) || exited_once(&p))
    });
    if waited != Waited::Done {
        return Err(errors::error("timed out waiting for the condition"));
    }
    let Some(pod) = current(&s.cluster, ns, name) else {
        return Err(not_found());
    };
    let mut session_code = None;
    if completed(&pod) || (exited_once(&pod) && running_id(&pod).is_none()) {
        // Nothing left to attach to: kubectl prints the logs (of the instance that ran).
        let previous = !completed(&pod)
            && running_id(&pod).is_none()
            && pod
                .status
                .container_statuses
                .first()
                .is_some_and(|c| c.state.terminated.is_none());
        for l in log_lines(&s.cluster, ns, name, previous) {
            out.outln(l);
        }
    } else {
        let shown = log_lines(&s.cluster, ns, name, false);
        for l in &shown {
            out.outln(l);
        }
        // `SetupTTY`: a heredoc or a pipe is not a terminal.
        let tty = plan.tty && stdin.is_none();
        if plan.interactive && plan.tty && stdin.is_some() {
            out.errln("Unable to use a TTY - input is not a terminal or the right kind of file");
        }
        // `AttachOptions.Run` prints this on every attach, terminal or not.
        if !plan.quiet {
            out.errln("If you don't see a command prompt, try pressing enter.");
        }
        match interactive_shell(&pod) {
            Some(argv) if plan.interactive && stdin.is_none() => {
                // The shell reads the terminal: the console's next lines go to it.
                return match s.cluster.open_shell(ns, name, "", &argv) {
                    Ok(shell) => {
                        s.foreground = Some(Foreground {
                            shell,
                            tty,
                            origin: Origin::Run {
                                namespace: ns.to_string(),
                                name: name.to_string(),
                                remove: removable,
                                quiet: plan.quiet,
                                restart: plan.restart.to_string(),
                                tty,
                            },
                        });
                        Ok(())
                    }
                    Err(ExecError::Api(e)) => Err(errors::api_error(&e)),
                    Err(ExecError::Stream(m)) => Err(errors::error(m)),
                };
            }
            Some(argv) if plan.interactive => {
                // The shell reads the console's input and ends with it.
                match s.cluster.exec(ns, name, "", &argv, Some(stdin.unwrap_or(""))) {
                    Ok(o) => {
                        out.out(o.stdout);
                        if plan.tty {
                            out.out(o.stderr);
                        } else {
                            out.err(o.stderr);
                        }
                        session_code = Some(o.exit_code);
                    }
                    Err(ExecError::Api(e)) => return Err(errors::api_error(&e)),
                    Err(ExecError::Stream(m)) => return Err(errors::error(m)),
                }
            }
            _ => {
                // Attached to the output until this instance of the container exits.
                let id = running_id(&pod);
                let waited = mutate::wait_for(&mut s.cluster, None, mutate::FOREVER_MS, |c| {
                    current(c, ns, name).is_none_or(|p| completed(&p) || running_id(&p) != id)
                });
                let Some(now) = current(&s.cluster, ns, name) else {
                    return Err(not_found());
                };
                let same = now
                    .status
                    .container_statuses
                    .first()
                    .and_then(|c| c.container_id.clone())
                    == id;
                let lines = log_lines(&s.cluster, ns, name, !same);
                for l in lines.iter().skip(shown.len()) {
                    out.outln(l);
                }
                if waited == Waited::Stuck {
                    // Still attached: real kubectl streams until Ctrl-C.
                    let mut o = Output::ok();
                    o.exit_code = mutate::INTERRUPTED;
                    return Err(o);
                }
            }
        }
        if plan.interactive && plan.tty && !plan.quiet && plan.restart == "Always" {
            out.outln(format!(
                "Session ended, resume using 'kubectl attach {name} -c {name} -i -t' command when the pod is running"
            ));
        }
    }
    if plan.restart == "Always" {
        return Ok(());
    }
    // waitForExitCode: Never waits for completion, OnFailure for success.
    if let Some(code) = session_code {
        // The simulated session ended the shell: its status is the container's.
        return exit_status(ns, name, code, "Error", "");
    }
    let on_failure = plan.restart == "OnFailure";
    let waited = mutate::wait_until(&mut s.cluster, Some(plan.timeout_ms), |c| {
        current(c, ns, name).is_none_or(|p| {
            if on_failure {
                p.phase() == "Succeeded"
            } else {
                completed(&p)
            }
        })
    });
    if waited != Waited::Done {
        return Err(errors::error("timed out waiting for the condition"));
    }
    let Some(pod) = current(&s.cluster, ns, name) else {
        return Err(not_found());
    };
    match pod.phase() {
        "Succeeded" => Ok(()),
        "Failed" => {
            let term = pod
                .status
                .container_statuses
                .first()
                .and_then(|c| c.state.terminated.clone());
            match term {
                Some(t) if t.exit_code != 0 => exit_status(
                    ns,
                    name,
                    t.exit_code as i32,
                    t.reason.as_deref().unwrap_or(""),
                    t.message.as_deref().unwrap_or(""),
                ),
                _ => Err(errors::error(format!("pod {ns}/{name} failed with unknown exit code"))),
            }
        }
        phase => Err(errors::error(format!("pod {ns}/{name} left in phase {phase}"))),
    }
}

/// The container's exit code as kubectl's `uexec.CodeExitError`: the message as is (no
/// `error: `), the exit status of the command: `pod default/x terminated (Error)`, then the
/// termination message if there is one.
fn exit_status(ns: &str, name: &str, code: i32, reason: &str, message: &str) -> Result<(), Output> {
    if code == 0 {
        return Ok(());
    }
    let text = format!("pod {ns}/{name} terminated ({reason})\n{message}");
    let mut o = Output::fail(text.trim_end_matches('\n'));
    o.exit_code = code;
    Err(o)
}

/// The argv of the pod's container when it is a shell reading its standard input.
fn interactive_shell(p: &Pod) -> Option<Vec<String>> {
    let c = p.spec.containers.first().filter(|c| c.stdin)?;
    let argv = runtime::container_argv(c, &images::lookup(&c.image));
    matches!(shell::shell_invocation(&argv), Some((_, ShellInvocation::Stdin))).then_some(argv)
}
