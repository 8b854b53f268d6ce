//! The pod a `POD` or `TYPE/NAME` argument means for commands that talk to one container
//! (`logs`, `exec`): kubectl's `polymorphichelpers.AttachablePodForObject`. A pod is itself; a
//! Deployment, ReplicaSet or Service means its pods, waiting (on the virtual clock) for one to
//! exist. Each command orders the candidates its own way and takes the first.

use super::mutate::{self, Waited};
use crate::engine::api::{Kind, Object};
use crate::engine::selector::Selector;
use crate::engine::{ApiError, Cluster};
use crate::session::Session;
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
