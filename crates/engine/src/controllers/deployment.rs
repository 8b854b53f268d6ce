//! Deployment controller: owns ReplicaSets, one per distinct pod template, and moves replicas
//! from the old ones to the new one (upstream `pkg/controller/deployment/{sync,rolling,recreate}.go`).
//!
//! Rolling update arithmetic, worked for 3 replicas at 25%/25%: maxSurge rounds up to 1,
//! maxUnavailable rounds down to 0, so at most 4 pods exist and at least 3 are available. Each
//! sync either scales the new ReplicaSet up (new 0->1), or, once a new pod is available, scales
//! an old one down (old 3->2); repeat until new=3, old=0.

use super::{controller_ref, Action, EventSpec};
use crate::api::*;
use crate::names::pod_template_hash;
use crate::sort::CompactSort;
use crate::store::ObjKey;
use crate::time::{SimTime, Timestamp};
use std::collections::BTreeMap;

pub const REVISION: &str = "deployment.kubernetes.io/revision";
pub const DESIRED: &str = "deployment.kubernetes.io/desired-replicas";
pub const MAX_REPLICAS: &str = "deployment.kubernetes.io/max-replicas";
pub const CHANGE_CAUSE: &str = "kubernetes.io/change-cause";

/// What the controller observes: the deployment, the ReplicaSets it controls (any order) and how
/// many pods (including terminating ones) each ReplicaSet still has.
pub struct Observed<'a> {
    pub deployment: &'a Deployment,
    pub replica_sets: Vec<&'a ReplicaSet>,
    pub pods_per_rs: BTreeMap<String, usize>,
    pub now: SimTime,
}

pub fn revision_of(meta: &ObjectMeta) -> i64 {
    meta.annotations.get(REVISION).and_then(|r| r.parse().ok()).unwrap_or(0)
}

/// Templates equal apart from the `pod-template-hash` label (`EqualIgnoreHash`).
pub fn equal_ignore_hash(a: &PodTemplateSpec, b: &PodTemplateSpec) -> bool {
    let strip = |t: &PodTemplateSpec| {
        let mut t = t.clone();
        t.metadata.labels.remove("pod-template-hash");
        t
    };
    strip(a) == strip(b)
}

pub fn reconcile(obs: &Observed) -> Vec<Action> {
    let d = obs.deployment;
    if d.metadata.is_deleting() {
        return Vec::new();
    }
    let key = ObjKey::new(Kind::Deployment, d.metadata.ns(), &d.metadata.name);
    let mut rss: Vec<&ReplicaSet> = obs.replica_sets.clone();
    rss.compact_sort_by(|a, b| {
        a.metadata
            .creation_timestamp
            .cmp(&b.metadata.creation_timestamp)
            .then(a.metadata.name.cmp(&b.metadata.name))
    });
    let new_rs = rss
        .iter()
        .copied()
        .find(|rs| equal_ignore_hash(&rs.spec.template, &d.spec.template));
    let old: Vec<&ReplicaSet> = rss.iter().copied().filter(|rs| Some(*rs) != new_rs).collect();
    let max_old_revision = old.iter().map(|rs| revision_of(&rs.metadata)).max().unwrap_or(0);
    let new_revision = match new_rs {
        Some(rs) if revision_of(&rs.metadata) > max_old_revision => revision_of(&rs.metadata),
        _ => max_old_revision + 1,
    };
    let (surge, unavailable) = d.fenceposts();
    let replicas = d.replicas();
    let mut out = Vec::new();
    let mut conditions = d.status.conditions.clone();

    // The deployment carries the revision of its newest ReplicaSet.
    if d.metadata.annotations.get(REVISION).map(String::as_str) != Some(&new_revision.to_string()) {
        let mut next = d.clone();
        next.metadata
            .annotations
            .insert(REVISION.into(), new_revision.to_string());
        out.push(Action::Update(Object::Deployment(next)));
        return out; // the update triggers the next sync
    }

    let Some(new_rs) = new_rs else {
        if d.spec.paused == Some(true) {
            return status_actions(obs, None, &rss, conditions, out);
        }
        let all_now: i64 = rss.iter().map(|rs| rs.replicas()).sum();
        let start = if d.is_recreate() {
            if all_now > 0 || obs.pods_per_rs.values().any(|n| *n > 0) {
                0
            } else {
                replicas
            }
        } else {
            (replicas + surge - all_now).clamp(0, replicas)
        };
        let rs = new_replica_set(d, new_revision, start, surge);
        let name = rs.metadata.name.clone();
        out.push(Action::Create {
            object: Object::ReplicaSet(rs),
            event: None,
        });
        if start > 0 {
            out.push(Action::Event(scaling_event(&key, "up", &name, 0, start)));
        }
        set_condition(
            &mut conditions,
            cond(
                "Progressing",
                "True",
                "NewReplicaSetCreated",
                format!("Created new replica set \"{name}\""),
                obs.now,
            ),
        );
        let mut next = d.clone();
        next.status.conditions = order_conditions(conditions);
        out.push(Action::UpdateStatus(Object::Deployment(next)));
        return out;
    };

    // A reused (rolled back to) ReplicaSet gets the new revision number.
    if revision_of(&new_rs.metadata) != new_revision {
        let mut rs = new_rs.clone();
        rs.metadata
            .annotations
            .insert(REVISION.into(), new_revision.to_string());
        if let Some(cause) = d.metadata.annotations.get(CHANGE_CAUSE) {
            rs.metadata.annotations.insert(CHANGE_CAUSE.into(), cause.clone());
        }
        out.push(Action::Update(Object::ReplicaSet(rs)));
        return out;
    }

    if d.spec.paused != Some(true) {
        let scaled = if d.is_recreate() {
            recreate(obs, &key, new_rs, &old, &mut out)
        } else {
            rolling(obs, &key, new_rs, &old, surge, unavailable, &mut out)
        };
        if scaled {
            return status_actions(obs, Some(new_rs), &rss, conditions, out);
        }
        cleanup_history(d, &old, &mut out);
    }
    if conditions.is_empty() {
        conditions.push(cond(
            "Progressing",
            "True",
            "NewReplicaSetCreated",
            format!("Created new replica set \"{}\"", new_rs.metadata.name),
            obs.now,
        ));
    }
    status_actions(obs, Some(new_rs), &rss, conditions, out)
}

fn new_replica_set(d: &Deployment, revision: i64, replicas: i64, surge: i64) -> ReplicaSet {
    let hash = pod_template_hash(&d.spec.template, d.status.collision_count);
    let mut template = d.spec.template.clone();
    template
        .metadata
        .labels
        .insert("pod-template-hash".into(), hash.clone());
    let mut selector = d.spec.selector.clone();
    selector.match_labels.insert("pod-template-hash".into(), hash.clone());
    let mut annotations = BTreeMap::new();
    annotations.insert(DESIRED.to_string(), d.replicas().to_string());
    annotations.insert(MAX_REPLICAS.to_string(), (d.replicas() + surge).to_string());
    annotations.insert(REVISION.to_string(), revision.to_string());
    if let Some(cause) = d.metadata.annotations.get(CHANGE_CAUSE) {
        annotations.insert(CHANGE_CAUSE.into(), cause.clone());
    }
    ReplicaSet {
        metadata: ObjectMeta {
            name: format!("{}-{hash}", d.metadata.name),
            namespace: d.metadata.namespace.clone(),
            labels: template.metadata.labels.clone(),
            annotations,
            owner_references: vec![controller_ref("Deployment", "apps/v1", &d.metadata)],
            ..Default::default()
        },
        spec: ReplicaSetSpec {
            min_ready_seconds: d.spec.min_ready_seconds,
            replicas: Some(replicas),
            selector,
            template,
        }
        .into(),
        status: Default::default(),
    }
}

/// Sets a ReplicaSet's replicas (and the deployment's bookkeeping annotations on it).
fn scale(d: &Deployment, rs: &ReplicaSet, to: i64, surge: i64) -> Action {
    let mut next = rs.clone();
    next.spec.replicas = Some(to);
    next.metadata
        .annotations
        .insert(DESIRED.into(), d.replicas().to_string());
    next.metadata
        .annotations
        .insert(MAX_REPLICAS.into(), (d.replicas() + surge).to_string());
    Action::Update(Object::ReplicaSet(next))
}

fn scaling_event(key: &ObjKey, dir: &str, rs: &str, from: i64, to: i64) -> EventSpec {
    EventSpec::normal(
        key.clone(),
        "deployment-controller",
        "ScalingReplicaSet",
        format!("Scaled {dir} replica set {rs} from {from} to {to}"),
    )
}

/// One step of a rolling update. Returns whether anything was scaled.
fn rolling(
    obs: &Observed,
    key: &ObjKey,
    new_rs: &ReplicaSet,
    old: &[&ReplicaSet],
    surge: i64,
    unavailable: i64,
    out: &mut Vec<Action>,
) -> bool {
    let d = obs.deployment;
    let replicas = d.replicas();
    let new_now = new_rs.replicas();
    let all: i64 = new_now + old.iter().map(|rs| rs.replicas()).sum::<i64>();

    // Scale the new ReplicaSet up (or down, if the deployment shrank) within maxSurge.
    let target = if new_now > replicas {
        replicas
    } else {
        let room = (replicas + surge - all).max(0);
        new_now + room.min(replicas - new_now)
    };
    if target != new_now {
        out.push(scale(d, new_rs, target, surge));
        let dir = if target > new_now { "up" } else { "down" };
        out.push(Action::Event(scaling_event(
            key,
            dir,
            &new_rs.metadata.name,
            new_now,
            target,
        )));
        return true;
    }

    // Scale old ReplicaSets down while keeping replicas - maxUnavailable available.
    let old_total: i64 = old.iter().map(|rs| rs.replicas()).sum();
    if old_total == 0 {
        return false;
    }
    let min_available = replicas - unavailable;
    let new_unavailable = new_rs.replicas() - new_rs.status.available_replicas;
    let mut budget = all - min_available - new_unavailable;
    if budget <= 0 {
        return false;
    }
    let mut targets: BTreeMap<&str, i64> = old
        .iter()
        .map(|rs| (rs.metadata.name.as_str(), rs.replicas()))
        .collect();
    // First drop old pods that are not available anyway (cleanupUnhealthyReplicas).
    for rs in old {
        if budget == 0 {
            break;
        }
        let t = targets.get_mut(rs.metadata.name.as_str()).expect("listed");
        let unhealthy = (*t - rs.status.available_replicas).max(0).min(budget);
        *t -= unhealthy;
        budget -= unhealthy;
    }
    // Then available ones, oldest first, down to the availability floor.
    let available: i64 =
        new_rs.status.available_replicas + old.iter().map(|rs| rs.status.available_replicas).sum::<i64>();
    let mut removable = (available - min_available).max(0).min(budget);
    for rs in old {
        if removable == 0 {
            break;
        }
        let t = targets.get_mut(rs.metadata.name.as_str()).expect("listed");
        let cut = (*t).min(removable);
        *t -= cut;
        removable -= cut;
    }
    let mut scaled = false;
    for rs in old {
        let t = targets[rs.metadata.name.as_str()];
        if t != rs.replicas() {
            out.push(scale(d, rs, t, surge));
            out.push(Action::Event(scaling_event(
                key,
                "down",
                &rs.metadata.name,
                rs.replicas(),
                t,
            )));
            scaled = true;
        }
    }
    scaled
}

/// Recreate: every old pod gone before the new ReplicaSet is scaled up.
fn recreate(obs: &Observed, key: &ObjKey, new_rs: &ReplicaSet, old: &[&ReplicaSet], out: &mut Vec<Action>) -> bool {
    let d = obs.deployment;
    let mut scaled = false;
    for rs in old.iter().filter(|rs| rs.replicas() > 0) {
        out.push(scale(d, rs, 0, 0));
        out.push(Action::Event(scaling_event(
            key,
            "down",
            &rs.metadata.name,
            rs.replicas(),
            0,
        )));
        scaled = true;
    }
    if scaled {
        return true;
    }
    let old_pods: usize = old
        .iter()
        .map(|rs| obs.pods_per_rs.get(rs.metadata.uid()).copied().unwrap_or(0))
        .sum();
    if old_pods > 0 {
        return false;
    }
    if new_rs.replicas() != d.replicas() {
        out.push(scale(d, new_rs, d.replicas(), 0));
        let dir = if d.replicas() > new_rs.replicas() { "up" } else { "down" };
        out.push(Action::Event(scaling_event(
            key,
            dir,
            &new_rs.metadata.name,
            new_rs.replicas(),
            d.replicas(),
        )));
        return true;
    }
    false
}

/// Deletes the oldest empty ReplicaSets beyond `revisionHistoryLimit`.
fn cleanup_history(d: &Deployment, old: &[&ReplicaSet], out: &mut Vec<Action>) {
    let limit = d.spec.revision_history_limit.unwrap_or(10).max(0) as usize;
    let empty: Vec<&&ReplicaSet> = old
        .iter()
        .filter(|rs| rs.replicas() == 0 && rs.status.replicas == 0 && !rs.metadata.is_deleting())
        .collect();
    if empty.len() > limit {
        let mut by_rev = empty;
        by_rev.compact_sort_by_key(|rs| revision_of(&rs.metadata));
        for rs in by_rev.iter().take(by_rev.len() - limit) {
            out.push(Action::Delete {
                key: ObjKey::new(Kind::ReplicaSet, rs.metadata.ns(), &rs.metadata.name),
                grace: None,
            });
        }
    }
}

fn cond(type_: &str, status: &str, reason: &str, message: String, now: SimTime) -> Condition {
    Condition {
        last_transition_time: Some(Timestamp(now)),
        last_update_time: Some(Timestamp(now)),
        message: Some(message),
        reason: Some(reason.into()),
        status: status.into(),
        type_: type_.into(),
        ..Default::default()
    }
}

/// `Available` before `Progressing`, as the API shows them.
fn order_conditions(mut c: Vec<Condition>) -> Vec<Condition> {
    c.compact_sort_by_key(|c| match c.type_.as_str() {
        "Available" => 0,
        "Progressing" => 1,
        _ => 2,
    });
    c
}

/// Status computed last, from what was observed (`calculateStatus` + `syncRolloutStatus`).
fn status_actions(
    obs: &Observed,
    new_rs: Option<&ReplicaSet>,
    rss: &[&ReplicaSet],
    mut conditions: Vec<Condition>,
    mut out: Vec<Action>,
) -> Vec<Action> {
    let d = obs.deployment;
    let now = obs.now;
    let replicas = d.replicas();
    let (_, unavailable_budget) = d.fenceposts();
    let available: i64 = rss.iter().map(|rs| rs.status.available_replicas).sum();
    let total_spec: i64 = rss.iter().map(|rs| rs.replicas()).sum();
    let status_replicas: i64 = rss.iter().map(|rs| rs.status.replicas).sum();
    let updated = new_rs.map(|rs| rs.status.replicas).unwrap_or(0);
    let mut status = DeploymentStatus {
        available_replicas: available,
        collision_count: d.status.collision_count,
        conditions: Vec::new(),
        observed_generation: d.metadata.generation.unwrap_or(0),
        ready_replicas: rss.iter().map(|rs| rs.status.ready_replicas).sum(),
        replicas: status_replicas,
        unavailable_replicas: (total_spec - available).max(0),
        updated_replicas: updated,
    };
    let avail = if available >= replicas - unavailable_budget {
        cond(
            "Available",
            "True",
            "MinimumReplicasAvailable",
            "Deployment has minimum availability.".into(),
            now,
        )
    } else {
        cond(
            "Available",
            "False",
            "MinimumReplicasUnavailable",
            "Deployment does not have minimum availability.".into(),
            now,
        )
    };
    set_condition_keep_update(&mut conditions, avail);
    if let Some(rs) = new_rs {
        let complete =
            updated == replicas && status_replicas == replicas && available >= replicas && rs.replicas() == replicas;
        let name = &rs.metadata.name;
        let prev = condition(&conditions, "Progressing").cloned();
        let deadline = d.spec.progress_deadline_seconds.unwrap_or(600);
        let progressed = prev.as_ref().is_none_or(|p| {
            // Progress means: something changed since the last status.
            status.updated_replicas != d.status.updated_replicas
                || status.available_replicas != d.status.available_replicas
                || status.replicas != d.status.replicas
                || p.reason.as_deref() == Some("NewReplicaSetCreated")
                    && p.message.as_deref() != Some(&format!("Created new replica set \"{name}\""))
        });
        if complete {
            if prev.as_ref().and_then(|p| p.reason.as_deref()) != Some("NewReplicaSetAvailable") {
                set_condition(
                    &mut conditions,
                    cond(
                        "Progressing",
                        "True",
                        "NewReplicaSetAvailable",
                        format!("ReplicaSet \"{name}\" has successfully progressed."),
                        now,
                    ),
                );
            }
        } else if d.spec.paused == Some(true) {
            // No progress is expected while paused.
        } else if progressed {
            set_condition(
                &mut conditions,
                cond(
                    "Progressing",
                    "True",
                    "ReplicaSetUpdated",
                    format!("ReplicaSet \"{name}\" is progressing."),
                    now,
                ),
            );
        } else if let Some(p) = prev.filter(|p| p.is_true()) {
            let since = p.last_update_time.map(|t| now.since(t.0)).unwrap_or(0);
            if since >= deadline * 1000 {
                set_condition(
                    &mut conditions,
                    cond(
                        "Progressing",
                        "False",
                        "ProgressDeadlineExceeded",
                        format!("ReplicaSet \"{name}\" has timed out progressing."),
                        now,
                    ),
                );
            } else {
                out.push(Action::Requeue {
                    key: ObjKey::new(Kind::Deployment, d.metadata.ns(), &d.metadata.name),
                    after_ms: (deadline * 1000 - since) as u64 + 1,
                });
            }
        }
    }
    status.conditions = order_conditions(conditions);
    if status != d.status {
        let mut next = d.clone();
        next.status = status;
        out.push(Action::UpdateStatus(Object::Deployment(next)));
    }
    out
}

/// Like `set_condition`, but also keeps `lastUpdateTime` when nothing about the condition changed.
fn set_condition_keep_update(conds: &mut Vec<Condition>, mut new: Condition) {
    if let Some(old) = condition(conds, &new.type_) {
        if old.status == new.status && old.reason == new.reason && old.message == new.message {
            new.last_update_time = old.last_update_time;
        }
    }
    set_condition(conds, new);
}
