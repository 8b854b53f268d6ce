//! StatefulSet controller (upstream `pkg/controller/statefulset`, v1.32): pods with stable
//! identities `<set>-<ordinal>`, each with its own PersistentVolumeClaims
//! `<template>-<set>-<ordinal>` that outlive the pod.
//!
//! One sync, as `updateStatefulSet` does it:
//! 1. find or make the ControllerRevision of the template (the update revision);
//! 2. for each ordinal in range, lowest first: recreate a failed pod, create a missing one (its
//!    claims first); with `OrderedReady` stop at the first pod that was just created or is not
//!    yet Running and Ready, so pod N+1 never starts before pod N is Ready;
//! 3. scale down from the highest ordinal, one pod at a time with `OrderedReady`;
//! 4. `RollingUpdate`: delete the highest-ordinal pod (down to `partition`) that is not at the
//!    update revision, one at a time, each waiting for the ones above to be Ready again; the
//!    next sync recreates it from the new template. `OnDelete` leaves that to the user.
//!
//! Events are worded as the real controller's (`create Pod web-0 in StatefulSet web
//! successful`, `create Claim www-web-0 Pod web-0 in StatefulSet web success`).

use super::history::{self, HASH_LABEL, REVISION_HASH};
use super::{controller_ref, Action, EventSpec};
use crate::api::*;
use crate::sort::CompactSort;
use crate::store::ObjKey;
use crate::time::SimTime;
use serde_json::json;
use std::collections::BTreeMap;

pub const POD_NAME_LABEL: &str = "statefulset.kubernetes.io/pod-name";
pub const POD_INDEX_LABEL: &str = "apps.kubernetes.io/pod-index";
const COMPONENT: &str = "statefulset-controller";

/// What the controller observes.
pub struct Observed<'a> {
    pub set: &'a StatefulSet,
    /// Pods the set controls (any order, terminating ones included).
    pub pods: Vec<&'a Pod>,
    /// ControllerRevisions the set controls.
    pub revisions: Vec<&'a ControllerRevision>,
    /// Existing claims by name (at least those the set's pods would use).
    pub claims: BTreeMap<String, &'a PersistentVolumeClaim>,
    pub now: SimTime,
}

/// `web-3` -> 3 for set `web`.
pub fn ordinal_of(set: &str, pod: &str) -> Option<i64> {
    let rest = pod.strip_prefix(set)?.strip_prefix('-')?;
    if rest.is_empty() || !rest.bytes().all(|b| b.is_ascii_digit()) || (rest.len() > 1 && rest.starts_with('0')) {
        return None;
    }
    rest.parse().ok()
}

pub fn claim_name(template: &str, set: &str, ordinal: i64) -> String {
    format!("{template}-{set}-{ordinal}")
}

/// The claim names a set's pod at `ordinal` uses.
pub fn claim_names(set: &StatefulSet, ordinal: i64) -> Vec<String> {
    set.spec
        .volume_claim_templates
        .iter()
        .map(|t| claim_name(&t.metadata.name, &set.metadata.name, ordinal))
        .collect()
}

fn running_and_ready(p: &Pod) -> bool {
    p.phase() == "Running" && p.is_ready()
}

fn revision_of(p: &Pod) -> &str {
    p.metadata.labels.get(REVISION_HASH).map_or("", String::as_str)
}

pub fn reconcile(obs: &Observed) -> Vec<Action> {
    let set = obs.set;
    let name = set.metadata.name.as_str();
    let key = ObjKey::new(Kind::StatefulSet, set.metadata.ns(), name);
    let mut out = Vec::new();
    let revs = history::sync_revision(
        "StatefulSet",
        &set.metadata,
        &set.spec.template,
        &obs.revisions,
        set.status.collision_count,
        HASH_LABEL,
        &mut out,
    );
    let update_rev = revs.update_name.clone();
    let current = obs
        .revisions
        .iter()
        .find(|r| !set.status.current_revision.is_empty() && r.metadata.name == set.status.current_revision)
        .copied();
    let current_rev = current.map_or(update_rev.clone(), |r| r.metadata.name.clone());
    let current_template = current
        .and_then(history::template_of)
        .unwrap_or_else(|| set.spec.template.clone());

    // Pods in range by index, the rest condemned (highest ordinal first).
    let start = set.start_ordinal();
    let replicas = set.replicas().max(0);
    let mut slots: Vec<Option<&Pod>> = vec![None; replicas as usize];
    let mut condemned: Vec<(i64, &Pod)> = Vec::new();
    for p in &obs.pods {
        let Some(ord) = ordinal_of(name, &p.metadata.name) else {
            continue;
        };
        if ord >= start && ord < start + replicas {
            slots[(ord - start) as usize] = Some(p);
        } else {
            condemned.push((ord, p));
        }
    }
    condemned.compact_sort_by_key(|(o, _)| std::cmp::Reverse(*o));
    let min_ready = set.spec.min_ready_seconds.unwrap_or(0);
    let healthy = |p: &Pod| running_and_ready(p) && p.is_available(min_ready, obs.now) && !p.metadata.is_deleting();

    let mut status = StatefulSetStatus {
        observed_generation: set.metadata.generation.unwrap_or(0),
        collision_count: Some(set.status.collision_count.unwrap_or(0)),
        conditions: set.status.conditions.clone(),
        ..Default::default()
    };
    for p in &obs.pods {
        status.replicas += 1;
        if running_and_ready(p) {
            status.ready_replicas += 1;
            if p.is_available(min_ready, obs.now) {
                status.available_replicas += 1;
            }
        }
        if !p.metadata.is_deleting() {
            if revision_of(p) == current_rev {
                status.current_replicas += 1;
            }
            if revision_of(p) == update_rev {
                status.updated_replicas += 1;
            }
        }
    }

    let monotonic = !set.is_parallel();
    let mut waiting = set.metadata.is_deleting();
    let mut requeue = false;
    if !waiting {
        for (i, slot) in slots.iter().enumerate() {
            let ord = start + i as i64;
            let use_current = !set.is_on_delete() && ord < set.partition() && current_rev != update_rev;
            let (template, rev) = if use_current {
                (&current_template, &current_rev)
            } else {
                (&set.spec.template, &update_rev)
            };
            match slot {
                Some(p) if p.is_terminal() && !p.metadata.is_deleting() => {
                    // A failed (or completed) pod is replaced at once under the same name.
                    out.push(Action::Delete {
                        key: pod_key(p),
                        grace: Some(0),
                    });
                    out.push(Action::Event(EventSpec::normal(
                        key.clone(),
                        COMPONENT,
                        "SuccessfulDelete",
                        format!("delete Pod {} in StatefulSet {name} successful", p.metadata.name),
                    )));
                    create_pod(set, template, rev, ord, &obs.claims, &key, &mut out);
                    if monotonic {
                        waiting = true;
                        break;
                    }
                }
                None => {
                    create_pod(set, template, rev, ord, &obs.claims, &key, &mut out);
                    if monotonic {
                        waiting = true;
                        break;
                    }
                }
                Some(p) => {
                    // Claims deleted under a live pod are made again.
                    create_claims(set, ord, &obs.claims, &key, &mut out);
                    if p.metadata.is_deleting() || !running_and_ready(p) {
                        if monotonic {
                            waiting = true;
                            break;
                        }
                    } else if !p.is_available(min_ready, obs.now) {
                        requeue = true;
                        if monotonic {
                            waiting = true;
                            break;
                        }
                    }
                }
            }
        }
    }
    if !waiting {
        // Scale down, highest ordinal first.
        let first_unhealthy = condemned.iter().rev().find(|(_, p)| !healthy(p)).map(|(o, _)| *o);
        for (ord, p) in &condemned {
            if p.metadata.is_deleting() {
                if monotonic {
                    waiting = true;
                    break;
                }
                continue;
            }
            if monotonic && !healthy(p) && first_unhealthy != Some(*ord) {
                waiting = true;
                break;
            }
            out.push(Action::Delete {
                key: pod_key(p),
                grace: None,
            });
            out.push(Action::Event(EventSpec::normal(
                key.clone(),
                COMPONENT,
                "SuccessfulDelete",
                format!("delete Pod {} in StatefulSet {name} successful", p.metadata.name),
            )));
            if monotonic {
                waiting = true;
                break;
            }
        }
        if !condemned.is_empty() {
            waiting = true;
        }
    }
    if !waiting && !set.is_on_delete() {
        // Rolling update: highest ordinal first, down to the partition, one pod at a time.
        let min = set.partition().max(0);
        for i in (0..slots.len()).rev().take_while(|i| *i as i64 >= min) {
            let Some(p) = slots[i] else { break };
            if revision_of(p) != update_rev && !p.metadata.is_deleting() {
                out.push(Action::Delete {
                    key: pod_key(p),
                    grace: None,
                });
                out.push(Action::Event(EventSpec::normal(
                    key.clone(),
                    COMPONENT,
                    "SuccessfulDelete",
                    format!("delete Pod {} in StatefulSet {name} successful", p.metadata.name),
                )));
                status.current_replicas -= i64::from(revision_of(p) == current_rev);
                break;
            }
            if !healthy(p) {
                break;
            }
        }
    }

    // `completeRollingUpdate`: once every pod runs the update revision it becomes current.
    status.update_revision = update_rev.clone();
    status.current_revision = current_rev.clone();
    if !set.is_on_delete() && status.updated_replicas == status.replicas && status.ready_replicas == status.replicas {
        status.current_replicas = status.updated_replicas;
        status.current_revision = update_rev.clone();
    }
    let mut live: Vec<&str> = vec![status.current_revision.as_str(), update_rev.as_str()];
    live.extend(obs.pods.iter().map(|p| revision_of(p)));
    history::truncate(
        &obs.revisions,
        &live,
        set.spec.revision_history_limit.unwrap_or(10),
        &mut out,
    );

    if status != set.status {
        let mut next = set.clone();
        next.status = status;
        out.push(Action::UpdateStatus(Object::StatefulSet(next)));
    }
    if requeue {
        out.push(Action::Requeue { key, after_ms: 1000 });
    }
    out
}

fn pod_key(p: &Pod) -> ObjKey {
    ObjKey::new(Kind::Pod, p.metadata.ns(), &p.metadata.name)
}

/// Creates the pod's missing claims, then the pod (`createPersistentVolumeClaims` + `CreateStatefulPod`).
fn create_pod(
    set: &StatefulSet,
    template: &PodTemplateSpec,
    rev: &str,
    ord: i64,
    claims: &BTreeMap<String, &PersistentVolumeClaim>,
    key: &ObjKey,
    out: &mut Vec<Action>,
) {
    create_claims(set, ord, claims, key, out);
    let pod = new_pod(set, template, rev, ord);
    let msg = format!(
        "create Pod {} in StatefulSet {} successful",
        pod.metadata.name, set.metadata.name
    );
    out.push(Action::Create {
        object: Object::Pod(pod),
        event: Some(EventSpec::normal(key.clone(), COMPONENT, "SuccessfulCreate", msg)),
    });
}

fn create_claims(
    set: &StatefulSet,
    ord: i64,
    claims: &BTreeMap<String, &PersistentVolumeClaim>,
    key: &ObjKey,
    out: &mut Vec<Action>,
) {
    let pod = format!("{}-{ord}", set.metadata.name);
    for t in &set.spec.volume_claim_templates {
        let name = claim_name(&t.metadata.name, &set.metadata.name, ord);
        if claims.contains_key(&name) {
            continue;
        }
        let mut labels = t.metadata.labels.clone();
        labels.extend(set.spec.selector.match_labels.clone());
        let mut owners = Vec::new();
        let policy = set
            .spec
            .persistent_volume_claim_retention_policy
            .clone()
            .unwrap_or_default();
        if policy.when_deleted.as_deref() == Some("Delete") {
            owners.push(OwnerReference {
                api_version: "apps/v1".into(),
                block_owner_deletion: true,
                controller: false,
                kind: "StatefulSet".into(),
                name: set.metadata.name.clone(),
                uid: set.metadata.uid().to_string(),
            });
        }
        let claim = PersistentVolumeClaim {
            metadata: ObjectMeta {
                name: name.clone(),
                namespace: set.metadata.namespace.clone(),
                labels,
                annotations: t.metadata.annotations.clone(),
                owner_references: owners,
                ..Default::default()
            },
            spec: t.spec.clone(),
            status: Default::default(),
        };
        out.push(Action::Create {
            object: Object::PersistentVolumeClaim(claim),
            event: Some(EventSpec::normal(
                key.clone(),
                COMPONENT,
                "SuccessfulCreate",
                format!(
                    "create Claim {name} Pod {pod} in StatefulSet {} success",
                    set.metadata.name
                ),
            )),
        });
    }
}

/// The pod for `ordinal` (`newVersionedStatefulSetPod`): identity labels, hostname and
/// subdomain, and its claims in place of the template's same-named volumes.
pub fn new_pod(set: &StatefulSet, template: &PodTemplateSpec, rev: &str, ord: i64) -> Pod {
    let name = format!("{}-{ord}", set.metadata.name);
    let mut labels = template.metadata.labels.clone();
    labels.insert(REVISION_HASH.into(), rev.into());
    labels.insert(POD_NAME_LABEL.into(), name.clone());
    labels.insert(POD_INDEX_LABEL.into(), ord.to_string());
    let mut spec = template.spec.clone();
    spec.hostname = Some(name.clone());
    if !set.spec.service_name.is_empty() {
        spec.subdomain = Some(set.spec.service_name.clone());
    }
    for t in &set.spec.volume_claim_templates {
        let mut v = Volume {
            name: t.metadata.name.clone(),
            ..Default::default()
        };
        v.source.insert(
            "persistentVolumeClaim".into(),
            json!({"claimName": claim_name(&t.metadata.name, &set.metadata.name, ord)}),
        );
        match spec.volumes.iter_mut().find(|x| x.name == v.name) {
            Some(existing) => *existing = v,
            None => spec.volumes.push(v),
        }
    }
    Pod {
        metadata: ObjectMeta {
            name,
            namespace: set.metadata.namespace.clone(),
            labels,
            annotations: template.metadata.annotations.clone(),
            owner_references: vec![controller_ref("StatefulSet", "apps/v1", &set.metadata)],
            ..Default::default()
        },
        spec,
        status: Default::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::Timestamp;

    fn set(replicas: i64) -> StatefulSet {
        let mut s = StatefulSet {
            metadata: ObjectMeta::named("web", Some("default")),
            ..Default::default()
        };
        s.metadata.uid = Some("sts-uid".into());
        s.metadata.generation = Some(1);
        s.spec.replicas = Some(replicas);
        s.spec.service_name = "nginx".into();
        s.spec.selector.match_labels.insert("app".into(), "nginx".into());
        s.spec.template.metadata.labels.insert("app".into(), "nginx".into());
        s.spec.template.spec.containers.push(Container {
            name: "nginx".into(),
            image: "nginx:1.27".into(),
            ..Default::default()
        });
        let mut t = ClaimTemplate::default();
        t.metadata.name = "www".into();
        t.spec.access_modes = vec!["ReadWriteOnce".into()];
        s.spec.volume_claim_templates.push(t);
        s
    }

    fn running(p: &Pod, ready: bool) -> Pod {
        let mut p = p.clone();
        p.metadata.uid = Some(format!("{}-uid", p.metadata.name));
        p.status.phase = Some("Running".into());
        p.status.conditions.push(Condition {
            type_: "Ready".into(),
            status: if ready { "True" } else { "False" }.into(),
            last_transition_time: Some(Timestamp(SimTime(0))),
            ..Default::default()
        });
        p
    }

    fn creates(acts: &[Action]) -> Vec<String> {
        acts.iter()
            .filter_map(|a| match a {
                Action::Create { object, .. } => Some(format!("{:?}/{}", object.kind(), object.name())),
                _ => None,
            })
            .collect()
    }

    fn revision(s: &StatefulSet) -> ControllerRevision {
        let mut out = Vec::new();
        history::sync_revision(
            "StatefulSet",
            &s.metadata,
            &s.spec.template,
            &[],
            None,
            HASH_LABEL,
            &mut out,
        );
        match out.remove(0) {
            Action::Ensure(Object::ControllerRevision(r)) => r,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn ordered_ready_creates_one_pod_at_a_time_with_its_claim_first() {
        let s = set(3);
        let obs = Observed {
            set: &s,
            pods: vec![],
            revisions: vec![],
            claims: BTreeMap::new(),
            now: SimTime(0),
        };
        let acts = reconcile(&obs);
        assert_eq!(creates(&acts), vec!["PersistentVolumeClaim/www-web-0", "Pod/web-0"]);
        let Some(Action::Ensure(Object::ControllerRevision(rev))) = acts.first() else {
            panic!("{acts:?}")
        };
        assert!(rev.metadata.name.starts_with("web-"));
        let pod = acts
            .iter()
            .find_map(|a| match a {
                Action::Create {
                    object: Object::Pod(p),
                    event,
                } => Some((p.clone(), event.clone().unwrap().message)),
                _ => None,
            })
            .unwrap();
        assert_eq!(pod.1, "create Pod web-0 in StatefulSet web successful");
        assert_eq!(pod.0.metadata.labels[POD_NAME_LABEL], "web-0");
        assert_eq!(pod.0.metadata.labels[POD_INDEX_LABEL], "0");
        assert_eq!(pod.0.metadata.labels[REVISION_HASH], rev.metadata.name);
        assert_eq!(pod.0.spec.hostname.as_deref(), Some("web-0"));
        assert_eq!(pod.0.spec.subdomain.as_deref(), Some("nginx"));
        assert_eq!(
            pod.0.spec.volumes[0].source["persistentVolumeClaim"]["claimName"],
            "www-web-0"
        );

        // web-0 exists but is not Ready yet: nothing more is created.
        let rev = revision(&s);
        let p0 = running(&new_pod(&s, &s.spec.template, &rev.metadata.name, 0), false);
        let claim = PersistentVolumeClaim {
            metadata: ObjectMeta::named("www-web-0", Some("default")),
            ..Default::default()
        };
        let claims: BTreeMap<String, &PersistentVolumeClaim> =
            [("www-web-0".to_string(), &claim)].into_iter().collect();
        let obs = Observed {
            set: &s,
            pods: vec![&p0],
            revisions: vec![&rev],
            claims: claims.clone(),
            now: SimTime(0),
        };
        assert!(creates(&reconcile(&obs)).is_empty());
        // Once Ready, web-1 follows.
        let p0 = running(&new_pod(&s, &s.spec.template, &rev.metadata.name, 0), true);
        let obs = Observed {
            set: &s,
            pods: vec![&p0],
            revisions: vec![&rev],
            claims,
            now: SimTime(0),
        };
        assert_eq!(
            creates(&reconcile(&obs)),
            vec!["PersistentVolumeClaim/www-web-1", "Pod/web-1"]
        );
    }

    #[test]
    fn parallel_creates_all_and_scale_down_takes_the_highest() {
        let mut s = set(3);
        s.spec.pod_management_policy = Some("Parallel".into());
        let obs = Observed {
            set: &s,
            pods: vec![],
            revisions: vec![],
            claims: BTreeMap::new(),
            now: SimTime(0),
        };
        assert_eq!(creates(&reconcile(&obs)).len(), 6);

        let s = set(1);
        let rev = revision(&s);
        let pods: Vec<Pod> = (0..3)
            .map(|i| running(&new_pod(&s, &s.spec.template, &rev.metadata.name, i), true))
            .collect();
        let claims: Vec<PersistentVolumeClaim> = (0..3)
            .map(|i| PersistentVolumeClaim {
                metadata: ObjectMeta::named(&format!("www-web-{i}"), Some("default")),
                ..Default::default()
            })
            .collect();
        let obs = Observed {
            set: &s,
            pods: pods.iter().collect(),
            revisions: vec![&rev],
            claims: claims.iter().map(|c| (c.metadata.name.clone(), c)).collect(),
            now: SimTime(0),
        };
        let acts = reconcile(&obs);
        let deleted: Vec<&str> = acts
            .iter()
            .filter_map(|a| match a {
                Action::Delete { key, .. } => Some(key.name.as_str()),
                _ => None,
            })
            .collect();
        // One at a time, highest first; claims are kept.
        assert_eq!(deleted, vec!["web-2"]);
    }

    #[test]
    fn rolling_update_goes_from_the_highest_ordinal_down_to_the_partition() {
        let old = set(3);
        let old_rev = revision(&old);
        let mut s = old.clone();
        s.spec.template.spec.containers[0].image = "nginx:1.28".into();
        s.status.current_revision = old_rev.metadata.name.clone();
        s.spec.update_strategy.rolling_update = Some(StatefulSetRollingUpdate {
            partition: Some(1),
            max_unavailable: None,
        });
        let pods: Vec<Pod> = (0..3)
            .map(|i| running(&new_pod(&old, &old.spec.template, &old_rev.metadata.name, i), true))
            .collect();
        let claims: Vec<PersistentVolumeClaim> = (0..3)
            .map(|i| PersistentVolumeClaim {
                metadata: ObjectMeta::named(&format!("www-web-{i}"), Some("default")),
                ..Default::default()
            })
            .collect();
        let obs = Observed {
            set: &s,
            pods: pods.iter().collect(),
            revisions: vec![&old_rev],
            claims: claims.iter().map(|c| (c.metadata.name.clone(), c)).collect(),
            now: SimTime(0),
        };
        let acts = reconcile(&obs);
        assert!(matches!(&acts[0], Action::Ensure(Object::ControllerRevision(r)) if r.revision == 2));
        let deleted: Vec<&str> = acts
            .iter()
            .filter_map(|a| match a {
                Action::Delete { key, .. } => Some(key.name.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(deleted, vec!["web-2"]);
        // Pod 0 is below the partition: recreated from the current (old) template.
        let p0 = new_pod(&s, &old.spec.template, &old_rev.metadata.name, 0);
        assert_eq!(p0.spec.containers[0].image, "nginx:1.27");
    }

    #[test]
    fn ordinals_parse_strictly() {
        assert_eq!(ordinal_of("web", "web-0"), Some(0));
        assert_eq!(ordinal_of("web", "web-12"), Some(12));
        assert_eq!(ordinal_of("web", "web-01"), None);
        assert_eq!(ordinal_of("web", "webx-1"), None);
        assert_eq!(ordinal_of("web", "web-"), None);
    }
}
