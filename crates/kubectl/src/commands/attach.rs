//! `kubectl attach POD [-c C] [-i] [-t]` (`k8s.io/kubectl/pkg/cmd/attach/attach.go`), and the
//! pod a `POD` or `TYPE/NAME` argument means for commands that talk to one container
//! (`attach`, `logs`, `exec`): kubectl's `polymorphichelpers.AttachablePodForObject`. A pod is itself; a
//! Deployment, ReplicaSet or Service means its pods, waiting (on the virtual clock) for one to
//! exist. Each command orders the candidates its own way and takes the first.

use super::mutate::{self, Waited};
use crate::engine::api::Pod;
use crate::engine::api::{Kind, Object};
use crate::engine::selector::Selector;
use crate::engine::shell::{self, ShellInvocation};
use crate::engine::{images, runtime, ExecError};
use crate::engine::{ApiError, Cluster};
use crate::flags::Invocation;
use crate::session::Session;
use crate::terminal::{Foreground, Origin};
use crate::{errors, Output};
use std::sync::Arc;

/// The candidate pods for `arg` in `ns`: one pod, or a workload's pods. `not_found` words the
/// error for a missing object (`logs` says it differently from `exec`).
pub fn candidate_pods(
    s: &mut Session,
    arg: &str,
    ns: &str,
    timeout_ms: u64,
    not_found: impl Fn(Kind, &str) -> Output,
) -> Result<Vec<Arc<Object>>, Output> {
    let (kind, name) = match arg.split_once('/') {
        Some((t, n)) => (mutate::resolve_kind(t).map_err(errors::error)?, n.to_string()),
        None => (Kind::Pod, arg.to_string()),
    };
    let Some(obj) = s.cluster.get(kind, ns, &name).cloned() else {
        return Err(not_found(kind, &name));
    };
    let selector = match &*obj {
        Object::Pod(_) => return Ok(vec![obj]),
        Object::Deployment(d) => Selector::from_label_selector(&d.spec.selector),
        Object::ReplicaSet(rs) => Selector::from_label_selector(&rs.spec.selector),
        Object::Service(svc) => Ok(Selector::from_map(&svc.spec.selector)),
        other => {
            return Err(errors::error(format!(
                "cannot attach to {}: not implemented",
                other.kind().info().kind
            )));
        }
    }
    .map_err(errors::error)?;
    // GetFirstPod waits for a matching pod to exist.
    let matching = |c: &Cluster| -> Vec<Arc<Object>> {
        c.list(Kind::Pod, Some(ns))
            .into_iter()
            .filter(|p| selector.matches(&p.meta().labels))
            .cloned()
            .collect()
    };
    if matching(&s.cluster).is_empty()
        && mutate::wait_until(&mut s.cluster, Some(timeout_ms), |c| !matching(c).is_empty()) != Waited::Done
    {
        return Err(errors::error("timed out waiting for the condition"));
    }
    Ok(matching(&s.cluster))
}

/// The API server's NotFound, as `exec` prints it.
pub fn api_not_found(kind: Kind, name: &str) -> Output {
    errors::api_error(&ApiError::not_found(kind, name))
}

/// `kubectl attach`: with `-i`, to a container whose process is a shell reading its terminal
/// (`kubectl run -it … -- sh` made one), the console's next lines go to that shell until it
/// exits; kubelab runs them in a shell started in the container, as `exec` does. Order of
/// `AttachOptions.Run`: the pod (completed pods refused), the container, `-t` on a container
/// without a TTY (a note, then no TTY), a container with a TTY forces one, `SetupTTY`, then
/// "If you don't see a command prompt, try pressing enter." and, after a terminal session of a
/// `restartPolicy: Always` pod, how to resume it. Attaching only to the output stream (no
/// `-i`) follows the container until it exits, which the console cannot wait for.
pub fn run(s: &mut Session, inv: &Invocation, stdin: Option<&str>) -> Output {
    mutate::command(s, inv, |s, out| attach(s, inv, stdin, out))
}

fn attach(s: &mut Session, inv: &Invocation, stdin: Option<&str>, out: &mut Output) -> Result<(), Output> {
    let args = inv.all_args();
    let arg = match args.as_slice() {
        [] => return Err(errors::error("at least 1 argument is required for attach")),
        [one] => one.clone(),
        [kind, name] => format!("{kind}/{name}"),
        more => {
            return Err(errors::error(format!(
                "expected POD, TYPE/NAME, or TYPE NAME, (at most 2 arguments) saw {}: [{}]",
                more.len(),
                more.join(" ")
            )))
        }
    };
    let ns = super::namespace(s, inv);
    let obj = super::exec::pod_for(s, &arg, &ns, inv)?;
    let Some(pod) = obj.as_pod().cloned() else {
        return Ok(());
    };
    if matches!(pod.phase(), "Succeeded" | "Failed") {
        return Err(errors::error(format!(
            "cannot attach a container in a completed pod; current phase is {}",
            pod.phase()
        )));
    }
    let quiet = inv.get_bool("quiet");
    let mut name = inv.get_str("container").to_string();
    if name.is_empty() {
        name = super::exec::default_container(&pod, quiet, out);
    }
    let Some(container) = pod.spec.containers.iter().find(|c| c.name == name) else {
        return Err(errors::error(format!(
            "container {name} not found in pod {}",
            pod.metadata.name
        )));
    };
    let interactive = inv.get_bool("stdin");
    let mut tty = inv.get_bool("tty");
    if tty && !container.tty {
        tty = false;
        if !quiet {
            out.errln(format!(
                "error: Unable to use a TTY - container {name} did not allocate one"
            ));
        }
    } else if !tty && container.tty {
        tty = true;
    }
    // SetupTTY.
    if !interactive {
        tty = false;
    } else if tty && stdin.is_some() {
        out.errln("Unable to use a TTY - input is not a terminal or the right kind of file");
        tty = false;
    }
    let shell_argv = reads_terminal(&pod, container);
    if !(interactive && stdin.is_none() && shell_argv.is_some()) {
        return Err(errors::error(
            "kubelab attaches only a terminal (-i, -it) to a container whose process is a shell reading it (kubectl run -it … -- sh); use kubectl logs -f to follow output",
        ));
    }
    let argv = shell_argv.unwrap_or_default();
    let shell = match s.cluster.open_shell(&ns, &pod.metadata.name, &name, &argv) {
        Ok(sh) => sh,
        Err(ExecError::Api(e)) => return Err(errors::api_error(&e)),
        Err(ExecError::Stream(m)) => return Err(errors::error(m)),
    };
    if !quiet {
        out.errln("If you don't see a command prompt, try pressing enter.");
    }
    let resumable = !quiet && tty && pod.spec.restart_policy.as_deref().unwrap_or("Always") == "Always";
    s.foreground = Some(Foreground {
        shell,
        tty,
        origin: Origin::Attach {
            pod: pod.metadata.name.clone(),
            container: name,
            tty: resumable,
        },
    });
    Ok(())
}

/// The argv of a container whose process is a shell reading its standard input (`stdin: true`
/// and `sh` without a script).
fn reads_terminal(_pod: &Pod, c: &crate::engine::api::Container) -> Option<Vec<String>> {
    if !c.stdin {
        return None;
    }
    let argv = runtime::container_argv(c, &images::lookup(&c.image));
    matches!(shell::shell_invocation(&argv), Some((_, ShellInvocation::Stdin))).then_some(argv)
}
