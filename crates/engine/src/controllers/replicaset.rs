//! ReplicaSet controller: keep `spec.replicas` live pods matching the template.
//!
//! Scale-down removes the least valuable pods first (kube's `ActivePods` order): unscheduled
//! before scheduled, Pending before Running, not-ready before ready, then the newest first.

use super::{controller_ref, Action, EventSpec};
use crate::api::{Object, ObjectMeta, Pod, ReplicaSet, ReplicaSetStatus};
use crate::sort::CompactSort;
use crate::store::ObjKey;
use crate::time::SimTime;
use std::cmp::Ordering;

/// The most pods created or deleted in one sync (the real controller's `burstReplicas`).
pub const BURST: usize = 500;

pub fn reconcile(rs: &ReplicaSet, pods: &[&Pod], now: SimTime) -> Vec<Action> {
    let mut out = Vec::new();
    let key = ObjKey::new(crate::api::Kind::ReplicaSet, rs.metadata.ns(), &rs.metadata.name);
    let active: Vec<&Pod> = pods.iter().copied().filter(|p| p.is_active()).collect();
    if !rs.metadata.is_deleting() {
        let want = rs.replicas().max(0) as usize;
        if active.len() < want {
            for _ in 0..(want - active.len()).min(BURST) {
                out.push(Action::Create {
                    object: Object::Pod(pod_from_template(rs)),
                    event: Some(EventSpec::normal(
                        key.clone(),
                        "replicaset-controller",
                        "SuccessfulCreate",
                        "Created pod: {name}".into(),
                    )),
                });
            }
        } else if active.len() > want {
            let mut doomed = active.clone();
            doomed.compact_sort_by(|a, b| deletion_rank(a, b, now));
            for p in doomed.into_iter().take((active.len() - want).min(BURST)) {
                out.push(Action::Delete {
                    key: ObjKey::new(crate::api::Kind::Pod, p.metadata.ns(), &p.metadata.name),
                    grace: None,
                });
                out.push(Action::Event(EventSpec::normal(
                    key.clone(),
                    "replicaset-controller",
                    "SuccessfulDelete",
                    format!("Deleted pod: {}", p.metadata.name),
                )));
            }
        }
    }
    let min_ready = rs.spec.min_ready_seconds.unwrap_or(0);
    let status = ReplicaSetStatus {
        replicas: active.len() as i64,
        fully_labeled_replicas: active.len() as i64,
        ready_replicas: active.iter().filter(|p| p.is_ready()).count() as i64,
        available_replicas: active.iter().filter(|p| p.is_available(min_ready, now)).count() as i64,
        observed_generation: rs.metadata.generation.unwrap_or(0),
        conditions: rs.status.conditions.clone(),
    };
    if status != rs.status {
        let mut next = rs.clone();
        next.status = status.clone();
        out.push(Action::UpdateStatus(Object::ReplicaSet(next)));
    }
    if min_ready > 0 && status.available_replicas < status.ready_replicas {
        out.push(Action::Requeue { key, after_ms: 1000 });
    }
    out
}

/// A new pod from the ReplicaSet's template, owned by it, named `<rs>-<5 random>`.
pub fn pod_from_template(rs: &ReplicaSet) -> Pod {
    let t = &rs.spec.template;
    Pod {
        metadata: ObjectMeta {
            generate_name: Some(format!("{}-", rs.metadata.name)),
            namespace: rs.metadata.namespace.clone(),
            labels: t.metadata.labels.clone(),
            annotations: t.metadata.annotations.clone(),
            owner_references: vec![controller_ref("ReplicaSet", "apps/v1", &rs.metadata)],
            ..Default::default()
        },
        spec: t.spec.clone(),
        status: Default::default(),
    }
}

/// Orders pods so the first ones are the best to delete.
fn deletion_rank(a: &Pod, b: &Pod, _now: SimTime) -> Ordering {
    let scheduled = |p: &Pod| p.spec.node_name.is_some();
    let phase = |p: &Pod| match p.phase() {
        "Pending" => 0,
        "Unknown" => 1,
        _ => 2,
    };
    scheduled(a)
        .cmp(&scheduled(b))
        .then(phase(a).cmp(&phase(b)))
        .then(a.is_ready().cmp(&b.is_ready()))
        // Newer first: larger creation time sorts earlier.
        .then(b.metadata.creation_timestamp.cmp(&a.metadata.creation_timestamp))
        .then(b.metadata.name.cmp(&a.metadata.name))
}
