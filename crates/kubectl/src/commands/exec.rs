//! `kubectl exec` (`k8s.io/kubectl/pkg/cmd/exec/exec.go`).
//!
//! kubectl's part is here: the command line (`exec POD [-c C] [-i] [-t] -- CMD…`, and the old
//! `exec POD CMD` form, which v1.32 rejects), choosing the pod (`POD` or `TYPE/NAME`, the first
//! active pod of a workload), refusing completed pods, defaulting the container with the
//! `Defaulted container … out of: …` notice, and printing `command terminated with exit code N`.
//! Running the command is the engine's `exec` subresource ([`Cluster::exec`]), which also
//! answers the server's errors (`container x is not valid for pod y`, `unable to upgrade
//! connection: container not found ("nginx")`).
//!
//! `-i` passes the command's standard input: a heredoc or a pipe, or else the terminal, where
//! a shell (`-- sh`, `-- bash`) takes over the console until it exits (see
//! [`crate::terminal`]); `-t` gives it a terminal (its prompt, stderr merged into the output),
//! only with `-i`, and with a note when the input is not a terminal (`SetupTTY`).

use super::mutate;
use crate::engine::api::{Object, Pod};
use kubelab_engine::sort::CompactSort;

use crate::engine::shell::{self, ShellInvocation};
use crate::engine::ExecError;
use crate::flags::Invocation;
use crate::session::Session;
use crate::terminal::{Foreground, Origin};
use crate::{errors, Output};
use std::sync::Arc;

/// The annotation that names a pod's default container.
const DEFAULT_CONTAINER: &str = "kubectl.kubernetes.io/default-container";

pub fn run(s: &mut Session, inv: &Invocation, stdin: Option<&str>) -> Output {
    mutate::command(s, inv, |s, out| exec(s, inv, stdin, out))
}

fn exec(s: &mut Session, inv: &Invocation, stdin: Option<&str>, out: &mut Output) -> Result<(), Output> {
    // Complete(): the resource is the first argument unless `--` comes first; the command is
    // what follows `--`. Arguments after the pod without `--` are the removed legacy form.
    let dash = inv.args_len_at_dash();
    let all = inv.all_args();
    let resource = if !all.is_empty() && dash != 0 {
        Some(all[0].clone())
    } else {
        None
    };
    let command: Vec<String> = if dash > -1 {
        all[dash as usize..].to_vec()
    } else if all.len() > 1 {
        return Err(mutate::usage_error(
            inv,
            "exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead",
        ));
    } else {
        Vec::new()
    };
    // Validate().
    let files = inv.get_all("filename");
    let Some(resource) = resource else {
        if files.is_empty() {
            return Err(errors::error("pod, type/name or --filename must be specified"));
        }
        return Err(super::not_simulated(inv));
    };
    if command.is_empty() {
        return Err(errors::error("you must specify at least one command for the container"));
    }
    let ns = super::namespace(s, inv);
    let pod = pod_for(s, &resource, &ns, inv)?;
    let Some(pod) = pod.as_pod() else {
        return Ok(());
    };
    if matches!(pod.phase(), "Succeeded" | "Failed") {
        return Err(errors::error(format!(
            "cannot exec into a container in a completed pod; current phase is {}",
            pod.phase()
        )));
    }
    let mut container = inv.get_str("container").to_string();
    if container.is_empty() {
        container = default_container(pod, inv.get_bool("quiet"), out);
    }
    // `StreamOptions.SetupTTY`: no TTY without stdin; with stdin that is not the terminal (a
    // heredoc, a pipe) kubectl says so and goes on without one.
    let interactive = inv.get_bool("stdin");
    let mut tty = interactive && inv.get_bool("tty");
    if tty && stdin.is_some() {
        out.errln("Unable to use a TTY - input is not a terminal or the right kind of file");
        tty = false;
    }
    let name = pod.metadata.name.clone();
    if interactive && stdin.is_none() && reads_terminal(&command) {
        // A shell reading the terminal: the console's next lines are its input.
        return match s.cluster.open_shell(&ns, &name, &container, &command) {
            Ok(shell) => {
                s.foreground = Some(Foreground {
                    shell,
                    tty,
                    origin: Origin::Exec,
                });
                Ok(())
            }
            Err(ExecError::Api(e)) => Err(errors::api_error(&e)),
            Err(ExecError::Stream(m)) => Err(errors::error(m)),
        };
    }
    let input = if interactive { stdin } else { None };
    match s.cluster.exec(&ns, &name, &container, &command, input) {
        Ok(o) => {
            out.out(o.stdout);
            if tty {
                // A terminal merges the command's stderr into what the user sees.
                out.out(o.stderr);
            } else {
                out.err(o.stderr);
            }
            if o.exit_code != 0 {
                out.errln(format!("command terminated with exit code {}", o.exit_code));
                out.exit_code = o.exit_code;
            }
            Ok(())
        }
        Err(ExecError::Api(e)) => Err(errors::api_error(&e)),
        Err(ExecError::Stream(m)) => Err(errors::error(m)),
    }
}

/// A shell started without a script (`sh`, `/bin/bash`, `sh -i`): it reads commands from its
/// standard input, which is the terminal.
pub fn reads_terminal(argv: &[String]) -> bool {
    matches!(shell::shell_invocation(argv), Some((_, ShellInvocation::Stdin)))
}

/// `podcmd.FindOrDefaultContainerByName`: the annotated default container, else the first
/// one, with a notice on stderr when the pod has more than one container.
pub(super) fn default_container(pod: &Pod, quiet: bool, out: &mut Output) -> String {
    if let Some(d) = pod.metadata.annotations.get(DEFAULT_CONTAINER) {
        if pod
            .spec
            .containers
            .iter()
            .chain(pod.spec.init_containers.iter())
            .any(|c| &c.name == d)
        {
            return d.clone();
        }
    }
    let Some(first) = pod.spec.containers.first() else {
        return String::new();
    };
    if !quiet && (pod.spec.containers.len() > 1 || !pod.spec.init_containers.is_empty()) {
        let names: Vec<String> = pod
            .spec
            .containers
            .iter()
            .map(|c| c.name.clone())
            .chain(pod.spec.init_containers.iter().map(|c| format!("{} (init)", c.name)))
            .collect();
        out.errln(format!(
            "Defaulted container \"{}\" out of: {}",
            first.name,
            names.join(", ")
        ));
    }
    first.name.clone()
}

/// The pod `POD` or `TYPE/NAME` names (`polymorphichelpers.AttachablePodForObject`): a
/// workload's first pod by `ActivePods` order (scheduled, running and ready longest first).
pub(super) fn pod_for(s: &mut Session, arg: &str, ns: &str, inv: &Invocation) -> Result<Arc<Object>, Output> {
    let timeout_ms = (inv.get_duration_nanos("pod-running-timeout") / 1_000_000).max(0) as u64;
    let mut pods = super::attach::candidate_pods(s, arg, ns, timeout_ms, super::attach::api_not_found)?;
    pods.compact_sort_by_key(|o| {
        let p = o.as_pod();
        let rank = |p: &Pod| match p.phase() {
            "Running" => 0,
            "Unknown" => 1,
            "Pending" => 2,
            _ => 3,
        };
        (
            p.is_none_or(|p| p.spec.node_name.is_none()),
            p.map(rank).unwrap_or(3),
            !p.is_some_and(|p| p.is_ready()),
            p.map(|p| p.status.container_statuses.iter().map(|s| s.restart_count).sum::<i64>())
                .unwrap_or(0),
            o.meta().creation_timestamp,
            o.name().to_string(),
        )
    });
    Ok(pods.swap_remove(0))
}
