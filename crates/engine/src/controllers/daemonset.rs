//! DaemonSet controller (upstream `pkg/controller/daemon`, v1.32): one pod on every node the
//! template may run on (nodeSelector, required node affinity, taints against the pod's
//! tolerations plus the ones every daemon pod gets), following nodes as they join and leave.
//!
//! Pods are made with a `matchFields: metadata.name In [<node>]` node affinity and placed by
//! the default scheduler, as real DaemonSet pods are. Updates: `RollingUpdate` replaces pods
//! node by node within `maxUnavailable` (deleting first) or `maxSurge` (new pod first, old one
//! deleted once the new is available); `OnDelete` waits for the user to delete pods.

use super::history::{self, REVISION_HASH};
use super::{controller_ref, Action, EventSpec};
use crate::api::*;
use crate::scheduler::{self, NodeTerm};
use crate::sort::CompactSort;
use crate::store::ObjKey;
use crate::time::SimTime;
use serde_json::{json, Value};
use std::collections::BTreeMap;

pub const TEMPLATE_GENERATION_LABEL: &str = "pod-template-generation";
pub const TEMPLATE_GENERATION_ANNOTATION: &str = "deprecated.daemonset.template.generation";
const COMPONENT: &str = "daemonset-controller";
/// The most pods created in one sync (`BurstReplicas`); the rest follow in the next sync.
pub const BURST: usize = 250;

/// What the controller observes.
pub struct Observed<'a> {
    pub ds: &'a DaemonSet,
    /// Every node, in name order.
    pub nodes: Vec<&'a Node>,
    /// Pods the DaemonSet controls (any order, terminating ones included).
    pub pods: Vec<&'a Pod>,
    pub revisions: Vec<&'a ControllerRevision>,
    pub now: SimTime,
}

/// The tolerations every daemon pod gets (`AddOrUpdateDaemonPodTolerations`), so it keeps
/// running on nodes that are not ready, unreachable, under pressure or cordoned.
pub fn daemon_tolerations(host_network: bool) -> Vec<Toleration> {
    let t = |key: &str, effect: &str| Toleration {
        effect: Some(effect.into()),
        key: Some(key.into()),
        operator: Some("Exists".into()),
        toleration_seconds: None,
        value: None,
    };
    let mut v = vec![
        t("node.kubernetes.io/not-ready", "NoExecute"),
        t("node.kubernetes.io/unreachable", "NoExecute"),
        t("node.kubernetes.io/disk-pressure", "NoSchedule"),
        t("node.kubernetes.io/memory-pressure", "NoSchedule"),
        t("node.kubernetes.io/pid-pressure", "NoSchedule"),
        t("node.kubernetes.io/unschedulable", "NoSchedule"),
    ];
    if host_network {
        v.push(t("node.kubernetes.io/network-unavailable", "NoSchedule"));
    }
    v
}

/// The template's tolerations plus the daemon ones it lacks.
fn with_daemon_tolerations(spec: &PodSpec) -> Vec<Toleration> {
    let mut tols = spec.tolerations.clone();
    for t in daemon_tolerations(spec.host_network == Some(true)) {
        if !tols.iter().any(|x| x.key == t.key && x.effect == t.effect) {
            tols.push(t);
        }
    }
    tols
}

/// The daemon pod for `node` from the DaemonSet's template.
pub fn new_pod(ds: &DaemonSet, node: &str, hash: &str) -> Pod {
    let t = &ds.spec.template;
    let mut labels = t.metadata.labels.clone();
    labels.insert(REVISION_HASH.into(), hash.into());
    let generation = ds
        .metadata
        .annotations
        .get(TEMPLATE_GENERATION_ANNOTATION)
        .cloned()
        .unwrap_or_else(|| ds.metadata.generation.unwrap_or(1).to_string());
    labels.insert(TEMPLATE_GENERATION_LABEL.into(), generation);
    let mut spec = t.spec.clone();
    spec.tolerations = with_daemon_tolerations(&spec);
    // `ReplaceDaemonSetPodNodeNameNodeAffinity`: the required terms become this one node.
    let mut affinity = spec.affinity.take().unwrap_or_else(|| json!({}));
    if !affinity.is_object() {
        affinity = json!({});
    }
    let na = affinity
        .as_object_mut()
        .map(|m| m.entry("nodeAffinity").or_insert_with(|| json!({})));
    if let Some(Value::Object(na)) = na {
        na.insert(
            "requiredDuringSchedulingIgnoredDuringExecution".into(),
            json!({"nodeSelectorTerms": [{"matchFields": [{"key": "metadata.name", "operator": "In", "values": [node]}]}]}),
        );
    }
    spec.affinity = Some(affinity);
    Pod {
        metadata: ObjectMeta {
            generate_name: Some(format!("{}-", ds.metadata.name)),
            namespace: ds.metadata.namespace.clone(),
            labels,
            annotations: t.metadata.annotations.clone(),
            owner_references: vec![controller_ref("DaemonSet", "apps/v1", &ds.metadata)],
            ..Default::default()
        },
        spec,
        status: Default::default(),
    }
}

/// The node a daemon pod belongs to: where it is bound, else where its affinity pins it.
pub fn node_of(p: &Pod) -> Option<String> {
    if let Some(n) = &p.spec.node_name {
        return Some(n.clone());
    }
    let terms = scheduler::required_node_terms(p.spec.affinity.as_ref())?;
    scheduler::pinned_nodes(&terms)?.into_iter().next()
}

/// (should run a new pod, may keep running an existing one) on `node` (`NodeShouldRunDaemonPod`).
fn should_run(probe: &Pod, terms: Option<&[NodeTerm]>, node: &Node) -> (bool, bool) {
    let placement_ok = probe
        .spec
        .node_selector
        .iter()
        .all(|(k, v)| node.metadata.labels.get(k) == Some(v))
        && terms.is_none_or(|t| scheduler::terms_match(t, node));
    if !placement_ok {
        return (false, false);
    }
    let mut run = true;
    for taint in &node.spec.taints {
        if scheduler::tolerates(&probe.spec.tolerations, taint) {
            continue;
        }
        match taint.effect.as_str() {
            "NoExecute" => return (false, false),
            "NoSchedule" => run = false,
            _ => {}
        }
    }
    (run, true)
}

fn pod_key(p: &Pod) -> ObjKey {
    ObjKey::new(Kind::Pod, p.metadata.ns(), &p.metadata.name)
}

pub fn reconcile(obs: &Observed) -> Vec<Action> {
    let ds = obs.ds;
    let key = ObjKey::new(Kind::DaemonSet, ds.metadata.ns(), &ds.metadata.name);
    let mut out = Vec::new();
    let revs = history::sync_revision(
        "DaemonSet",
        &ds.metadata,
        &ds.spec.template,
        &obs.revisions,
        ds.status.collision_count,
        REVISION_HASH,
        &mut out,
    );
    let hash = revs.update_hash.clone();
    let min_ready = ds.spec.min_ready_seconds.unwrap_or(0);
    let probe = Pod {
        spec: PodSpec {
            tolerations: with_daemon_tolerations(&ds.spec.template.spec),
            ..(*ds.spec.template.spec).clone()
        }
        .into(),
        ..Default::default()
    };
    let terms = scheduler::required_node_terms(ds.spec.template.spec.affinity.as_ref());

    let mut by_node: BTreeMap<String, Vec<&Pod>> = BTreeMap::new();
    for p in &obs.pods {
        if let Some(n) = node_of(p) {
            by_node.entry(n).or_default().push(p);
        }
    }
    for pods in by_node.values_mut() {
        pods.compact_sort_by(|a, b| {
            a.metadata
                .creation_timestamp
                .cmp(&b.metadata.creation_timestamp)
                .then(a.metadata.name.cmp(&b.metadata.name))
        });
    }
    let is_updated = |p: &Pod| p.metadata.labels.get(REVISION_HASH) == Some(&hash);
    let available = |p: &Pod| p.is_available(min_ready, obs.now) && !p.metadata.is_deleting();

    let mut status = DaemonSetStatus {
        collision_count: ds.status.collision_count,
        conditions: ds.status.conditions.clone(),
        observed_generation: ds.metadata.generation.unwrap_or(0),
        ..Default::default()
    };
    let mut creates: Vec<String> = Vec::new();
    let mut deletes: Vec<&Pod> = Vec::new();
    // Nodes whose pod is old: (node, old pod, new pod if surged).
    let mut outdated: Vec<(&str, &Pod, Option<&Pod>)> = Vec::new();
    let mut unavailable = 0i64;
    let deleting = ds.metadata.is_deleting();
    for node in &obs.nodes {
        let name = node.metadata.name.as_str();
        let (run, keep) = should_run(&probe, terms.as_deref(), node);
        let pods: Vec<&Pod> = by_node.remove(name).unwrap_or_default();
        let live: Vec<&Pod> = pods.iter().copied().filter(|p| !p.metadata.is_deleting()).collect();
        if run {
            status.desired_number_scheduled += 1;
        }
        if !pods.is_empty() {
            if run || keep {
                status.current_number_scheduled += 1;
            } else {
                status.number_misscheduled += 1;
            }
        }
        if (run || keep) && live.iter().any(|p| p.is_ready()) {
            status.number_ready += 1;
        }
        if (run || keep) && live.iter().any(|p| available(p)) {
            status.number_available += 1;
        }
        if (run || keep) && live.iter().any(|p| is_updated(p)) {
            status.updated_number_scheduled += 1;
        }
        if deleting {
            continue;
        }
        if !(run || keep) {
            deletes.extend(live);
            continue;
        }
        // Failed daemon pods are killed and replaced.
        let (failed, healthy): (Vec<&Pod>, Vec<&Pod>) = live.iter().partition(|p| p.phase() == "Failed");
        for p in &failed {
            out.push(Action::Event(EventSpec::warning(
                key.clone(),
                COMPONENT,
                "FailedDaemonPod",
                format!(
                    "Found failed daemon pod {}/{} on node {name}, will try to kill it",
                    p.metadata.ns(),
                    p.metadata.name
                ),
            )));
            deletes.push(p);
        }
        match healthy.len() {
            0 if run && pods.iter().all(|p| p.metadata.is_deleting() || p.phase() == "Failed") => {
                if pods.iter().all(|p| !p.metadata.is_deleting()) {
                    creates.push(name.to_string());
                }
                unavailable += 1;
            }
            0 => {}
            _ => {
                let old: Vec<&Pod> = healthy.iter().copied().filter(|p| !is_updated(p)).collect();
                let new: Vec<&Pod> = healthy.iter().copied().filter(|p| is_updated(p)).collect();
                // More than one pod of a kind on a node: keep the oldest.
                deletes.extend(new.iter().skip(1));
                if !new.iter().chain(old.iter()).any(|p| available(p)) {
                    unavailable += 1;
                }
                if let Some(o) = old.first() {
                    deletes.extend(old.iter().skip(1));
                    outdated.push((name, o, new.first().copied()));
                }
            }
        }
    }
    // Daemon pods on nodes that no longer exist.
    if !deleting {
        for pods in by_node.values() {
            deletes.extend(pods.iter().filter(|p| !p.metadata.is_deleting()));
        }
    }

    if !deleting && !ds.is_on_delete() {
        let (max_surge, max_unavailable) = ds.budget(status.desired_number_scheduled);
        let mut budget = (max_unavailable - unavailable).max(0);
        let mut surge_budget = max_surge;
        for (node, old, new) in &outdated {
            match new {
                // Surged: the old pod goes once its replacement is available.
                Some(n) if available(n) => deletes.push(old),
                Some(_) => {}
                None if !available(old) => deletes.push(old),
                None if max_surge > 0 => {
                    if surge_budget > 0 {
                        surge_budget -= 1;
                        creates.push(node.to_string());
                    }
                }
                None => {
                    if budget > 0 {
                        budget -= 1;
                        deletes.push(old);
                    }
                }
            }
        }
    }

    for name in creates.iter().take(BURST) {
        out.push(Action::Create {
            object: Object::Pod(new_pod(ds, name, &hash)),
            event: Some(EventSpec::normal(
                key.clone(),
                COMPONENT,
                "SuccessfulCreate",
                "Created pod: {name}".into(),
            )),
        });
    }
    if creates.len() > BURST {
        out.push(Action::Requeue {
            key: key.clone(),
            after_ms: 1,
        });
    }
    let mut seen = std::collections::BTreeSet::new();
    for p in deletes {
        if !seen.insert(p.metadata.name.clone()) {
            continue;
        }
        out.push(Action::Delete {
            key: pod_key(p),
            grace: None,
        });
        out.push(Action::Event(EventSpec::normal(
            key.clone(),
            COMPONENT,
            "SuccessfulDelete",
            format!("Deleted pod: {}", p.metadata.name),
        )));
    }

    status.number_unavailable = (status.desired_number_scheduled - status.number_available).max(0);
    let mut live: Vec<&str> = vec![revs.update_name.as_str()];
    let pod_hashes: Vec<String> = obs
        .pods
        .iter()
        .filter_map(|p| p.metadata.labels.get(REVISION_HASH))
        .map(|h| format!("{}-{h}", ds.metadata.name))
        .collect();
    live.extend(pod_hashes.iter().map(String::as_str));
    history::truncate(
        &obs.revisions,
        &live,
        ds.spec.revision_history_limit.unwrap_or(10),
        &mut out,
    );
    if status != ds.status {
        let mut next = ds.clone();
        next.status = status.clone();
        out.push(Action::UpdateStatus(Object::DaemonSet(next)));
    }
    if min_ready > 0 && status.number_available < status.number_ready {
        out.push(Action::Requeue { key, after_ms: 1000 });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::Timestamp;

    fn node(name: &str, taints: &[(&str, &str)]) -> Node {
        let mut n = Node {
            metadata: ObjectMeta::named(name, None),
            ..Default::default()
        };
        n.metadata.labels.insert("kubernetes.io/os".into(), "linux".into());
        n.metadata.labels.insert("kubernetes.io/hostname".into(), name.into());
        n.spec.taints = taints
            .iter()
            .map(|(k, e)| Taint {
                key: k.to_string(),
                effect: e.to_string(),
                ..Default::default()
            })
            .collect();
        n
    }

    fn ds() -> DaemonSet {
        let mut d = DaemonSet {
            metadata: ObjectMeta::named("fluentd", Some("kube-system")),
            ..Default::default()
        };
        d.metadata.uid = Some("ds-uid".into());
        d.metadata.generation = Some(1);
        d.spec.selector.match_labels.insert("name".into(), "fluentd".into());
        d.spec.template.metadata.labels.insert("name".into(), "fluentd".into());
        d.spec.template.spec.containers.push(Container {
            name: "f".into(),
            image: "fluentd:v1".into(),
            ..Default::default()
        });
        d.spec.update_strategy.type_ = Some("RollingUpdate".into());
        d.spec.update_strategy.rolling_update = Some(DaemonSetRollingUpdate {
            max_unavailable: Some(IntOrString::Int(1)),
            max_surge: Some(IntOrString::Int(0)),
        });
        d
    }

    fn created_for(acts: &[Action]) -> Vec<String> {
        acts.iter()
            .filter_map(|a| match a {
                Action::Create {
                    object: Object::Pod(p), ..
                } => node_of(p),
                _ => None,
            })
            .collect()
    }

    fn bound(p: &Pod, n: &str, i: usize) -> Pod {
        let mut p = p.clone();
        p.metadata.name = format!("fluentd-{i}");
        p.spec.node_name = Some(n.into());
        p.status.phase = Some("Running".into());
        p.metadata.creation_timestamp = Some(Timestamp(SimTime(i as u64)));
        p.status.conditions.push(Condition {
            type_: "Ready".into(),
            status: "True".into(),
            last_transition_time: Some(Timestamp(SimTime(0))),
            ..Default::default()
        });
        p
    }

    #[test]
    fn one_pod_per_eligible_node() {
        let d = ds();
        let cp = node("cp", &[("node-role.kubernetes.io/control-plane", "NoSchedule")]);
        let w1 = node("w1", &[]);
        let mut w2 = node("w2", &[]);
        w2.spec.unschedulable = Some(true);
        let obs = Observed {
            ds: &d,
            nodes: vec![&cp, &w1, &w2],
            pods: vec![],
            revisions: vec![],
            now: SimTime(0),
        };
        let acts = reconcile(&obs);
        // The control plane's taint is not tolerated; cordoned nodes still get daemons.
        assert_eq!(created_for(&acts), vec!["w1", "w2"]);
        let pod = acts
            .iter()
            .find_map(|a| match a {
                Action::Create {
                    object: Object::Pod(p), ..
                } => Some(p.clone()),
                _ => None,
            })
            .unwrap();
        assert_eq!(pod.metadata.generate_name.as_deref(), Some("fluentd-"));
        assert_eq!(pod.metadata.labels[TEMPLATE_GENERATION_LABEL], "1");
        assert!(pod
            .spec
            .tolerations
            .iter()
            .any(|t| t.key.as_deref() == Some("node.kubernetes.io/unschedulable")));
        assert_eq!(
            pod.spec.affinity.as_ref().unwrap()["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]
                ["nodeSelectorTerms"][0]["matchFields"][0]["values"][0],
            "w1"
        );

        // A nodeSelector narrows it down; a tolerating template reaches the control plane.
        let mut d2 = ds();
        d2.spec
            .template
            .spec
            .node_selector
            .insert("kubernetes.io/hostname".into(), "w2".into());
        let obs = Observed {
            ds: &d2,
            nodes: vec![&cp, &w1, &w2],
            pods: vec![],
            revisions: vec![],
            now: SimTime(0),
        };
        assert_eq!(created_for(&reconcile(&obs)), vec!["w2"]);
        let mut d3 = ds();
        d3.spec.template.spec.tolerations.push(Toleration {
            operator: Some("Exists".into()),
            ..Default::default()
        });
        let obs = Observed {
            ds: &d3,
            nodes: vec![&cp, &w1, &w2],
            pods: vec![],
            revisions: vec![],
            now: SimTime(0),
        };
        assert_eq!(created_for(&reconcile(&obs)), vec!["cp", "w1", "w2"]);
    }

    #[test]
    fn rolling_update_replaces_within_max_unavailable() {
        let old = ds();
        let nodes: Vec<Node> = (1..=3).map(|i| node(&format!("w{i}"), &[])).collect();
        let pods: Vec<Pod> = nodes
            .iter()
            .enumerate()
            .map(|(i, n)| bound(&new_pod(&old, &n.metadata.name, "oldhash"), &n.metadata.name, i))
            .collect();
        let mut d = ds();
        d.spec.template.spec.containers[0].image = "fluentd:v2".into();
        let obs = Observed {
            ds: &d,
            nodes: nodes.iter().collect(),
            pods: pods.iter().collect(),
            revisions: vec![],
            now: SimTime(0),
        };
        let acts = reconcile(&obs);
        let deleted: Vec<&str> = acts
            .iter()
            .filter_map(|a| match a {
                Action::Delete { key, .. } if key.kind == Kind::Pod => Some(key.name.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(deleted, vec!["fluentd-0"]);
        let Some(Action::UpdateStatus(Object::DaemonSet(s))) =
            acts.iter().find(|a| matches!(a, Action::UpdateStatus(_)))
        else {
            panic!()
        };
        assert_eq!(
            (
                s.status.desired_number_scheduled,
                s.status.number_ready,
                s.status.updated_number_scheduled
            ),
            (3, 3, 0)
        );

        // maxSurge: the new pod comes first.
        d.spec.update_strategy.rolling_update = Some(DaemonSetRollingUpdate {
            max_unavailable: Some(IntOrString::Int(0)),
            max_surge: Some(IntOrString::Int(1)),
        });
        let obs = Observed {
            ds: &d,
            nodes: nodes.iter().collect(),
            pods: pods.iter().collect(),
            revisions: vec![],
            now: SimTime(0),
        };
        let acts = reconcile(&obs);
        assert_eq!(created_for(&acts), vec!["w1"]);
        assert!(!acts
            .iter()
            .any(|a| matches!(a, Action::Delete { key, .. } if key.kind == Kind::Pod)));
    }
}
