//! `kubectl logs` (`k8s.io/kubectl/pkg/cmd/logs/logs.go`).
//!
//! The text is what the simulated containers wrote: the engine's pod `log` subresource
//! ([`Cluster::log_lines`], which also answers the kubelet's errors: `is waiting to start`,
//! `previous terminated container … not found`). What is kubectl's is done here: choosing the
//! pod (`deploy/web` takes the first pod in kubectl's `ByLogging` order and says `Found 3 pods,
//! using pod/…`), defaulting the container (`Defaulted container "app" out of: …`), `-l`,
//! `--all-containers`, `--tail`, `--timestamps`, `--prefix`, and kubectl's own errors.

use super::mutate;
use crate::engine::api::{Container, Kind, Object, Pod};
use crate::engine::selector::Selector;
use crate::engine::Cluster;
use crate::flags::Invocation;
use crate::session::Session;
use crate::{errors, Output};
use kubelab_engine::sort::CompactSort;
use std::sync::Arc;

const USAGE: &str = "expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command";

/// How long kubectl waits for a pod of a workload to appear (`--pod-running-timeout`).
const POD_RUNNING_TIMEOUT_MS: u64 = 20_000;

/// The annotation that names a pod's default container.
const DEFAULT_CONTAINER: &str = "kubectl.kubernetes.io/default-container";

pub fn run(s: &mut Session, inv: &Invocation) -> Output {
    mutate::command(s, inv, |s, out| logs(s, inv, out))
}

/// The options that shape the text.
struct Opts {
    container: Option<String>,
    all_containers: bool,
    previous: bool,
    tail: i64,
    timestamps: bool,
    prefix: bool,
}

fn logs(s: &mut Session, inv: &Invocation, out: &mut Output) -> Result<(), Output> {
    let selector = inv.get_str("selector").to_string();
    let args = &inv.args;
    if !selector.is_empty() && !args.is_empty() {
        return Err(mutate::usage_error(
            inv,
            "only a selector (-l) or a POD name is allowed",
        ));
    }
    if selector.is_empty() && (args.is_empty() || args.len() > 2) {
        return Err(mutate::usage_error(inv, USAGE));
    }
    let mut container = Some(inv.get_str("container").to_string()).filter(|c| !c.is_empty());
    if args.len() == 2 {
        if container.is_some() {
            return Err(mutate::usage_error(
                inv,
                "only one of -c or an inline [CONTAINER] arg is allowed",
            ));
        }
        container = Some(args[1].clone());
    }
    let opts = Opts {
        container,
        all_containers: inv.get_bool("all-containers"),
        previous: inv.get_bool("previous"),
        tail: inv.get_int("tail"),
        timestamps: inv.get_bool("timestamps"),
        prefix: inv.get_bool("prefix"),
    };
    let ns = super::namespace(s, inv);

    let pods: Vec<Arc<Object>> = if !selector.is_empty() {
        let sel = Selector::parse(&selector).map_err(errors::error)?;
        let pods: Vec<Arc<Object>> = s
            .cluster
            .list(Kind::Pod, Some(&ns))
            .into_iter()
            .filter(|p| sel.matches(&p.meta().labels))
            .cloned()
            .collect();
        if pods.is_empty() {
            out.errln(format!("No resources found in {ns} namespace."));
            return Ok(());
        }
        pods
    } else {
        vec![pod_for(s, &args[0], &ns, out)?]
    };
    let many = pods.len() > 1;
    let mut failed = Vec::new();
    for p in pods {
        let Some(pod) = p.as_pod() else { continue };
        if let Err(e) = pod_logs(&s.cluster, pod, &opts, many, out) {
            if many {
                failed.push(e);
            } else {
                return Err(Output::fail(e));
            }
        }
    }
    for e in failed {
        out.errln(e);
        out.exit_code = 1;
    }
    Ok(())
}

/// The pod `POD` or `TYPE/NAME` names (`polymorphichelpers.AttachablePodForObject`).
fn pod_for(s: &mut Session, arg: &str, ns: &str, out: &mut Output) -> Result<Arc<Object>, Output> {
    // Unlike exec, logs words a missing pod with a lower-case prefix and the namespace.
    let not_found = |kind: Kind, name: &str| {
        if kind == Kind::Pod {
            errors::error(format!(
                "error from server (NotFound): pods \"{name}\" not found in namespace \"{ns}\""
            ))
        } else {
            super::attach::api_not_found(kind, name)
        }
    };
    let mut pods = super::attach::candidate_pods(s, arg, ns, POD_RUNNING_TIMEOUT_MS, not_found)?;
    pods.compact_sort_by_key(logging_order);
    if pods.len() > 1 {
        out.errln(format!("Found {} pods, using pod/{}", pods.len(), pods[0].name()));
    }
    Ok(pods.swap_remove(0))
}

/// kubectl's `ByLogging` order as a sort key: scheduled before unscheduled, Running before
/// Unknown before Pending, ready before not ready, ready longer first, more restarts first,
/// older first.
fn logging_order(o: &Arc<Object>) -> (bool, u8, bool, u64, i64, u64, String) {
    let Some(p) = o.as_pod() else {
        return (true, 9, true, u64::MAX, 0, u64::MAX, String::new());
    };
    let phase = match p.phase() {
        "Running" => 0,
        "Unknown" => 1,
        "Pending" => 2,
        _ => 3,
    };
    let ready_since = crate::engine::api::condition(&p.status.conditions, "Ready")
        .filter(|c| c.is_true())
        .and_then(|c| c.last_transition_time)
        .map(|t| t.0 .0)
        .unwrap_or(u64::MAX);
    let restarts: i64 = p.status.container_statuses.iter().map(|s| s.restart_count).sum();
    (
        p.spec.node_name.is_none(),
        phase,
        !p.is_ready(),
        ready_since,
        -restarts,
        p.metadata.creation_timestamp.map(|t| t.0 .0).unwrap_or(u64::MAX),
        p.metadata.name.clone(),
    )
}

/// The logs of one pod: the container(s) chosen, each one's lines.
fn pod_logs(c: &Cluster, pod: &Pod, opts: &Opts, many: bool, out: &mut Output) -> Result<(), String> {
    let name = &pod.metadata.name;
    let all: Vec<(&Container, bool)> = pod
        .spec
        .containers
        .iter()
        .map(|c| (c, false))
        .chain(pod.spec.init_containers.iter().map(|c| (c, true)))
        .collect();
    let chosen: Vec<&Container> = if opts.all_containers {
        pod.spec
            .init_containers
            .iter()
            .chain(pod.spec.containers.iter())
            .collect()
    } else if let Some(want) = &opts.container {
        match all.iter().find(|(c, _)| &c.name == want) {
            Some((c, _)) => vec![*c],
            None => return Err(format!("error: container {want} is not valid for pod {name}")),
        }
    } else {
        let annotated = pod
            .metadata
            .annotations
            .get(DEFAULT_CONTAINER)
            .and_then(|d| all.iter().find(|(c, _)| &c.name == d));
        let first = annotated.or_else(|| all.first()).map(|(c, _)| *c);
        let Some(first) = first else { return Ok(()) };
        if all.len() > 1 && annotated.is_none() {
            let names: Vec<String> = all
                .iter()
                .map(|(c, init)| {
                    if *init {
                        format!("{} (init)", c.name)
                    } else {
                        c.name.clone()
                    }
                })
                .collect();
            out.errln(format!(
                "Defaulted container \"{}\" out of: {}",
                first.name,
                names.join(", ")
            ));
        }
        vec![first]
    };
    for container in chosen {
        let lines = c
            .log_lines(pod.metadata.ns(), name, &container.name, opts.previous)
            .map_err(|e| errors::api_error_text(&e))?;
        let skip = if opts.tail >= 0 {
            lines.len().saturating_sub(opts.tail as usize)
        } else {
            0
        };
        for line in lines.into_iter().skip(skip) {
            let mut text = String::new();
            if opts.prefix || (many && opts.all_containers) {
                text.push_str(&format!("[pod/{name}/{}] ", container.name));
            }
            if opts.timestamps {
                text.push_str(&line.timestamp());
                text.push(' ');
            }
            text.push_str(&line.text);
            out.outln(text);
        }
    }
    Ok(())
}
