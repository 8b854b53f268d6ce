//! The default scheduler, reduced to what a learner can observe: filter nodes (cordoned, taints,
//! nodeSelector, pod count, cpu and memory requests against allocatable), then score the rest by
//! spreading pods of one owner and by least allocation. Ties break by a hash of the pod, so the
//! choice is deterministic but not always the first node.

use crate::api::{Node, Pod, Taint, Toleration};
use crate::names::stable_hash;
use crate::sort::CompactSort;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// What is already committed on a node.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Usage {
    pub pods: i64,
    pub cpu_milli: i64,
    pub memory_milli: i64,
}

/// Why a node was rejected, in the scheduler's words (`FailedScheduling` message parts).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Reject {
    Taint(String),
    Unschedulable,
    NodeSelector,
    /// Excluded before filtering by `matchFields: metadata.name` (DaemonSet pods).
    NodeAffinityPrefilter,
    TooManyPods,
    InsufficientCpu,
    InsufficientMemory,
    VolumeNodeAffinity,
}

impl Reject {
    fn text(&self) -> String {
        match self {
            Reject::Taint(t) => format!("node(s) had untolerated taint {{{t}}}"),
            Reject::Unschedulable => "node(s) were unschedulable".into(),
            Reject::NodeSelector => "node(s) didn't match Pod's node affinity/selector".into(),
            Reject::NodeAffinityPrefilter => "node(s) didn't satisfy plugin(s) [NodeAffinity]".into(),
            Reject::VolumeNodeAffinity => "node(s) had volume node affinity conflict".into(),
            Reject::TooManyPods => "Too many pods".into(),
            Reject::InsufficientCpu => "Insufficient cpu".into(),
            Reject::InsufficientMemory => "Insufficient memory".into(),
        }
    }
    /// Resource shortages could be solved by preemption in principle; the rest could not.
    fn preemption_might_help(&self) -> bool {
        matches!(
            self,
            Reject::TooManyPods | Reject::InsufficientCpu | Reject::InsufficientMemory
        )
    }
}

pub fn tolerates(tols: &[Toleration], taint: &Taint) -> bool {
    tols.iter().any(|t| {
        let key_ok = match &t.key {
            None => t.operator.as_deref() == Some("Exists"),
            Some(k) => k == &taint.key,
        };
        let effect_ok = t.effect.as_deref().is_none_or(|e| e.is_empty() || e == taint.effect);
        let value_ok = t.operator.as_deref() == Some("Exists")
            || t.value.as_deref().unwrap_or("") == taint.value.as_deref().unwrap_or("");
        key_ok && effect_ok && value_ok
    })
}

/// A node as the scheduler's cache holds it: the object and its allocatable resources, parsed
/// once when the node changes, with what is committed on it now.
#[derive(Clone, Copy, Debug)]
pub struct Candidate<'a> {
    pub node: &'a Node,
    pub allocatable: Usage,
    /// A hash of the node name, for cheap deterministic tie-breaking.
    pub name_hash: u64,
    /// What the pods bound to the node request.
    pub used: Usage,
    /// Pods on the node that share the pod's controller (the spreading score).
    pub spread: i64,
}

impl<'a> Candidate<'a> {
    pub fn new(node: &'a Node) -> Self {
        Candidate {
            node,
            allocatable: Usage {
                pods: node.allocatable("pods") / 1000,
                cpu_milli: node.allocatable("cpu"),
                memory_milli: node.allocatable("memory"),
            },
            name_hash: stable_hash(&[&node.metadata.name]),
            used: Usage::default(),
            spread: 0,
        }
    }
}

/// One `matchExpressions`/`matchFields` requirement of a node selector term.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NodeReq {
    pub key: String,
    pub operator: String,
    pub values: Vec<String>,
}

/// A node selector term: all its requirements must hold.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NodeTerm {
    pub expressions: Vec<NodeReq>,
    pub fields: Vec<NodeReq>,
}

fn reqs(v: Option<&Value>) -> Vec<NodeReq> {
    v.and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|r| NodeReq {
            key: r.get("key").and_then(Value::as_str).unwrap_or("").to_string(),
            operator: r.get("operator").and_then(Value::as_str).unwrap_or("").to_string(),
            values: r
                .get("values")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect(),
        })
        .collect()
}

/// The terms of `nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution` (ORed), if the
/// affinity has any.
pub fn required_node_terms(affinity: Option<&Value>) -> Option<Vec<NodeTerm>> {
    let terms = affinity?
        .get("nodeAffinity")?
        .get("requiredDuringSchedulingIgnoredDuringExecution")?
        .get("nodeSelectorTerms")?
        .as_array()?;
    Some(
        terms
            .iter()
            .map(|t| NodeTerm {
                expressions: reqs(t.get("matchExpressions")),
                fields: reqs(t.get("matchFields")),
            })
            .collect(),
    )
}

fn req_matches(r: &NodeReq, value: Option<&str>) -> bool {
    match r.operator.as_str() {
        "In" => value.is_some_and(|v| r.values.iter().any(|x| x == v)),
        "NotIn" => value.is_none_or(|v| !r.values.iter().any(|x| x == v)),
        "Exists" => value.is_some(),
        "DoesNotExist" => value.is_none(),
        op @ ("Gt" | "Lt") => {
            let (Some(v), Some(bound)) = (
                value.and_then(|v| v.parse::<i64>().ok()),
                r.values.first().and_then(|b| b.parse::<i64>().ok()),
            ) else {
                return false;
            };
            if op == "Gt" {
                v > bound
            } else {
                v < bound
            }
        }
        _ => false,
    }
}

/// Whether `node` satisfies any of the terms (an empty term matches nothing, as upstream).
pub fn terms_match(terms: &[NodeTerm], node: &Node) -> bool {
    terms.iter().any(|t| {
        (!t.expressions.is_empty() || !t.fields.is_empty())
            && t.expressions
                .iter()
                .all(|r| req_matches(r, node.metadata.labels.get(&r.key).map(String::as_str)))
            && t.fields
                .iter()
                .all(|r| r.key == "metadata.name" && req_matches(r, Some(&node.metadata.name)))
    })
}

/// The node names every term pins with `matchFields: metadata.name In [...]`, if all do (the
/// NodeAffinity pre-filter result DaemonSet pods rely on).
pub fn pinned_nodes(terms: &[NodeTerm]) -> Option<BTreeSet<String>> {
    let mut out = BTreeSet::new();
    for t in terms {
        let r = t
            .fields
            .iter()
            .find(|r| r.key == "metadata.name" && r.operator == "In")?;
        out.extend(r.values.iter().cloned());
    }
    Some(out)
}

/// Node placement rules of a pod, parsed once per scheduling attempt.
#[derive(Clone, Debug, Default)]
pub struct Constraints {
    pub affinity: Option<Vec<NodeTerm>>,
    /// Nodes the pod's bound volumes are pinned to (None: anywhere).
    pub volume_nodes: Option<BTreeSet<String>>,
    /// The pod's cpu and memory requests ([`Pod::request`]), parsed once, not once per node.
    pub cpu_milli: i64,
    pub memory_milli: i64,
}

impl Constraints {
    pub fn of(pod: &Pod) -> Self {
        Constraints {
            affinity: required_node_terms(pod.spec.affinity.as_ref()),
            volume_nodes: None,
            cpu_milli: pod.request("cpu"),
            memory_milli: pod.request("memory"),
        }
    }
}

/// Whether `node` is one the pod may be placed on at all, resources aside: nodeSelector,
/// required node affinity, and NoSchedule/NoExecute taints (what a DaemonSet checks per node).
pub fn fits_node(pod: &Pod, terms: Option<&[NodeTerm]>, node: &Node) -> bool {
    pod.spec
        .node_selector
        .iter()
        .all(|(k, v)| node.metadata.labels.get(k) == Some(v))
        && terms.is_none_or(|t| terms_match(t, node))
        && node
            .spec
            .taints
            .iter()
            .all(|t| !(t.effect == "NoSchedule" || t.effect == "NoExecute") || tolerates(&pod.spec.tolerations, t))
}

/// The first reason `node` cannot run `pod`, if any.
pub fn check(pod: &Pod, cand: &Candidate, used: Usage) -> Option<Reject> {
    check_with(pod, &Constraints::of(pod), cand, used)
}

/// [`check`] with the pod's constraints already parsed.
pub fn check_with(pod: &Pod, cons: &Constraints, cand: &Candidate, used: Usage) -> Option<Reject> {
    let node = cand.node;
    if node.spec.unschedulable == Some(true) {
        let tolerated = pod
            .spec
            .tolerations
            .iter()
            .any(|t| t.key.as_deref() == Some("node.kubernetes.io/unschedulable"));
        if !tolerated {
            return Some(Reject::Unschedulable);
        }
    }
    for taint in &node.spec.taints {
        if (taint.effect == "NoSchedule" || taint.effect == "NoExecute") && !tolerates(&pod.spec.tolerations, taint) {
            let v = taint.value.as_deref().unwrap_or("");
            return Some(Reject::Taint(format!("{}: {v}", taint.key)));
        }
    }
    if !pod
        .spec
        .node_selector
        .iter()
        .all(|(k, v)| node.metadata.labels.get(k) == Some(v))
        || cons.affinity.as_deref().is_some_and(|t| !terms_match(t, node))
    {
        return Some(Reject::NodeSelector);
    }
    let alloc = cand.allocatable;
    if used.pods + 1 > alloc.pods {
        return Some(Reject::TooManyPods);
    }
    if used.cpu_milli + cons.cpu_milli > alloc.cpu_milli {
        return Some(Reject::InsufficientCpu);
    }
    if used.memory_milli + cons.memory_milli > alloc.memory_milli {
        return Some(Reject::InsufficientMemory);
    }
    if cons
        .volume_nodes
        .as_ref()
        .is_some_and(|v| !v.contains(&node.metadata.name))
    {
        return Some(Reject::VolumeNodeAffinity);
    }
    None
}

/// How many feasible nodes the scheduler looks for before it stops filtering
/// (`percentageOfNodesToScore`, adaptive: 50% minus 1% per 125 nodes, at least 5% and at least
/// 100 nodes). Small clusters are always searched completely.
pub fn feasible_nodes_to_find(total: usize) -> usize {
    if total <= 100 {
        return total;
    }
    let pct = (50i64 - total as i64 / 125).max(5) as usize;
    (total * pct / 100).max(100)
}

/// Picks a node for `pod`. Filtering starts at `start` (the scheduler rotates it so successive
/// pods look at different nodes first) and stops once enough feasible nodes were found. Each
/// candidate carries its usage and spread count, so a decision does no lookups by node name.
/// Err carries the FailedScheduling message.
pub fn pick<'a>(
    pod: &Pod,
    nodes: &[Candidate<'a>],
    start: usize,
    volume_nodes: Option<BTreeSet<String>>,
) -> Result<&'a Node, String> {
    let mut rejects: BTreeMap<Reject, usize> = BTreeMap::new();
    let mut best: Option<(i64, u64, &Node)> = None;
    let want = feasible_nodes_to_find(nodes.len());
    let pod_hash = stable_hash(&[&pod.metadata.name]);
    let mut found = 0;
    let cons = Constraints {
        volume_nodes,
        ..Constraints::of(pod)
    };
    // The NodeAffinity pre-filter: a pod pinned to named nodes (a DaemonSet pod) is only
    // checked against those; `nodes` is sorted by name.
    let order: Vec<usize> = match cons.affinity.as_deref().and_then(pinned_nodes) {
        Some(names) => {
            let idx: Vec<usize> = names
                .iter()
                .filter_map(|n| nodes.binary_search_by(|c| c.node.metadata.name.as_str().cmp(n)).ok())
                .collect();
            if nodes.len() > idx.len() {
                rejects.insert(Reject::NodeAffinityPrefilter, nodes.len() - idx.len());
            }
            idx
        }
        None => (0..nodes.len()).map(|i| (start + i) % nodes.len()).collect(),
    };
    for i in order {
        let cand = &nodes[i];
        let node = cand.node;
        let used = cand.used;
        if let Some(r) = check_with(pod, &cons, cand, used) {
            *rejects.entry(r).or_default() += 1;
            continue;
        }
        let spread = cand.spread;
        let alloc = cand.allocatable;
        let fullness =
            (used.cpu_milli * 100 / alloc.cpu_milli.max(1) + used.memory_milli * 100 / alloc.memory_milli.max(1)) / 2
                + used.pods * 100 / alloc.pods.max(1);
        let score = spread * 10_000 + fullness;
        let tie = (pod_hash ^ cand.name_hash).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        if best.is_none_or(|(s, t, _)| (score, tie) < (s, t)) {
            best = Some((score, tie, node));
        }
        found += 1;
        if found >= want {
            break;
        }
    }
    match best {
        Some((_, _, n)) => Ok(n),
        None => Err(failed_message(nodes.len(), &rejects)),
    }
}

/// `0/4 nodes are available: 1 node(s) had untolerated taint {…}, 3 Insufficient cpu.
/// preemption: 0/4 nodes are available: …` (v1.32 wording; reasons sorted as text).
pub fn failed_message(total: usize, rejects: &BTreeMap<Reject, usize>) -> String {
    let mut parts: Vec<String> = rejects.iter().map(|(r, n)| format!("{n} {}", r.text())).collect();
    parts.compact_sort();
    let helpful: usize = rejects
        .iter()
        .filter(|(r, _)| r.preemption_might_help())
        .map(|(_, n)| n)
        .sum();
    let unhelpful: usize = rejects
        .iter()
        .filter(|(r, _)| !r.preemption_might_help())
        .map(|(_, n)| n)
        .sum();
    let mut pre = Vec::new();
    if unhelpful > 0 {
        pre.push(format!("{unhelpful} Preemption is not helpful for scheduling"));
    }
    if helpful > 0 {
        pre.push(format!("{helpful} No preemption victims found for incoming pod"));
    }
    if total == 0 {
        return "no nodes available to schedule pods".into();
    }
    format!(
        "0/{total} nodes are available: {}. preemption: 0/{total} nodes are available: {}.",
        parts.join(", "),
        pre.join(", ")
    )
}
