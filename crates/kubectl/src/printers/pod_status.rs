//! A pod's READY, STATUS and RESTARTS cells, exactly as `printPod` (v1.32) computes them
//! (`shared/reference/kubectl-behaviour.md` §3.2 and §4). The diagram uses the same STATUS.

use crate::engine::api::{ContainerStatus, Pod};
use crate::engine::SimTime;
use crate::printers::duration::human_duration;

fn is_sidecar(p: &Pod, name: &str) -> bool {
    p.spec
        .init_containers
        .iter()
        .any(|c| c.name == name && c.restart_policy.as_deref() == Some("Always"))
}

/// `<ready>/<total>`: app containers plus sidecars; a container counts when ready and running.
pub fn ready(p: &Pod) -> String {
    let sidecars = p
        .spec
        .init_containers
        .iter()
        .filter(|c| c.restart_policy.as_deref() == Some("Always"))
        .count();
    let total = p.spec.containers.len() + sidecars;
    let ready_apps = p
        .status
        .container_statuses
        .iter()
        .filter(|s| s.ready && s.state.running.is_some())
        .count();
    let ready_sidecars = p
        .status
        .init_container_statuses
        .iter()
        .filter(|s| is_sidecar(p, &s.name) && s.ready && s.started == Some(true))
        .count();
    format!("{}/{total}", ready_apps + ready_sidecars)
}

/// The STATUS column (printPod's algorithm, in its order).
pub fn status(p: &Pod) -> String {
    let mut reason = p.status.reason.clone().unwrap_or_else(|| p.phase().to_string());
    if p.status
        .conditions
        .iter()
        .any(|c| c.type_ == "PodScheduled" && c.reason.as_deref() == Some("SchedulingGated"))
    {
        reason = "SchedulingGated".into();
    }
    let n_init = p.spec.init_containers.len();
    let mut initializing = false;
    for (i, s) in p.status.init_container_statuses.iter().enumerate() {
        if let Some(t) = &s.state.terminated {
            if t.exit_code == 0 {
                continue;
            }
            reason = match &t.reason {
                Some(r) if !r.is_empty() => format!("Init:{r}"),
                _ => match t.signal {
                    Some(sig) if sig != 0 => format!("Init:Signal:{sig}"),
                    _ => format!("Init:ExitCode:{}", t.exit_code),
                },
            };
            initializing = true;
            break;
        }
        if is_sidecar(p, &s.name) && s.started == Some(true) {
            continue;
        }
        match s.state.waiting.as_ref().and_then(|w| w.reason.as_deref()) {
            Some(r) if !r.is_empty() && r != "PodInitializing" => reason = format!("Init:{r}"),
            _ => reason = format!("Init:{i}/{n_init}"),
        }
        initializing = true;
        break;
    }
    let initialized = p
        .status
        .conditions
        .iter()
        .any(|c| c.type_ == "Initialized" && c.is_true());
    if !initializing || initialized {
        let mut has_running = false;
        for s in p.status.container_statuses.iter().rev() {
            if let Some(w) = s
                .state
                .waiting
                .as_ref()
                .and_then(|w| w.reason.clone())
                .filter(|r| !r.is_empty())
            {
                reason = w;
            } else if let Some(t) = &s.state.terminated {
                reason = match &t.reason {
                    Some(r) if !r.is_empty() => r.clone(),
                    _ => match t.signal {
                        Some(sig) if sig != 0 => format!("Signal:{sig}"),
                        _ => format!("ExitCode:{}", t.exit_code),
                    },
                };
            } else if s.ready && s.state.running.is_some() {
                has_running = true;
            }
        }
        if reason == "Completed" && has_running {
            reason = if p.is_ready() {
                "Running".into()
            } else {
                "NotReady".into()
            };
        }
    }
    if p.metadata.deletion_timestamp.is_some() {
        if p.status.reason.as_deref() == Some("NodeLost") {
            reason = "Unknown".into();
        } else if !p.is_terminal() {
            reason = "Terminating".into();
        }
    }
    reason
}

/// The RESTARTS column: the restart count, with `(<age> ago)` of the last termination.
pub fn restarts(p: &Pod, now: SimTime) -> String {
    let initializing = !p
        .status
        .conditions
        .iter()
        .any(|c| c.type_ == "Initialized" && c.is_true());
    let counted: Vec<&ContainerStatus> = if initializing && !p.status.init_container_statuses.is_empty() {
        p.status.init_container_statuses.iter().collect()
    } else {
        p.status
            .container_statuses
            .iter()
            .chain(
                p.status
                    .init_container_statuses
                    .iter()
                    .filter(|s| is_sidecar(p, &s.name)),
            )
            .collect()
    };
    let total: i64 = counted.iter().map(|s| s.restart_count).sum();
    let last = counted
        .iter()
        .filter_map(|s| s.last_state.terminated.as_ref().and_then(|t| t.finished_at))
        .max();
    match last {
        Some(t) if total > 0 => format!("{total} ({} ago)", human_duration(now.since(t.0))),
        _ => total.to_string(),
    }
}
