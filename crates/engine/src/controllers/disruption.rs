//! Disruption controller (upstream `pkg/controller/disruption`): keeps a PodDisruptionBudget's
//! status — how many selected pods are healthy, how many must be, and so how many voluntary
//! disruptions (evictions) are allowed right now.

use super::{Action, EventSpec};
use crate::api::*;
use crate::store::ObjKey;
use crate::time::{SimTime, Timestamp};
use std::collections::BTreeMap;

const COMPONENT: &str = "controllermanager";
/// An eviction not yet reflected in the pods (`DeletionTimeout`): after this it no longer counts.
pub const DISRUPTION_TIMEOUT_MS: u64 = 120_000;

/// What the controller observes: the budget, the pods its selector matches in its namespace,
/// and for each of their controllers (by uid) the replicas it wants, if known.
pub struct Observed<'a> {
    pub pdb: &'a PodDisruptionBudget,
    pub pods: Vec<&'a Pod>,
    pub scale: BTreeMap<String, i64>,
    pub now: SimTime,
}

pub fn reconcile(o: &Observed) -> Vec<Action> {
    let pdb = o.pdb;
    let key = ObjKey::new(Kind::PodDisruptionBudget, pdb.metadata.ns(), &pdb.metadata.name);
    let mut out = Vec::new();
    let pods: Vec<&Pod> = o.pods.iter().copied().filter(|p| !p.is_terminal()).collect();
    let healthy = pods
        .iter()
        .filter(|p| p.is_ready() && !p.metadata.is_deleting())
        .count() as i64;
    // Evictions still in flight count against the budget until the pod is gone.
    let disrupted: BTreeMap<String, Timestamp> = pdb
        .status
        .disrupted_pods
        .iter()
        .filter(|(name, at)| {
            o.now.since(at.0) < DISRUPTION_TIMEOUT_MS as i64
                && pods
                    .iter()
                    .any(|p| &p.metadata.name == *name && !p.metadata.is_deleting())
        })
        .map(|(k, v)| (k.clone(), *v))
        .collect();
    let (expected, desired, error) = match (&pdb.spec.min_available, &pdb.spec.max_unavailable) {
        (Some(IntOrString::Int(n)), _) => (pods.len() as i64, *n, None),
        (min, max) => {
            let mut expected = 0;
            let mut missing = None;
            let mut seen = std::collections::BTreeSet::new();
            for p in &pods {
                match p.metadata.controller() {
                    Some(r) => {
                        if seen.insert(r.uid.clone()) {
                            expected += o.scale.get(&r.uid).copied().unwrap_or(0);
                        }
                    }
                    None => missing = Some(p.metadata.name.clone()),
                }
            }
            let desired = match (min, max) {
                (Some(v), _) => v.scaled(expected, true).unwrap_or(0),
                (None, Some(v)) => expected - v.scaled(expected, true).unwrap_or(0),
                (None, None) => expected,
            };
            (expected, desired.max(0), missing)
        }
    };
    if let Some(pod) = &error {
        out.push(Action::Event(EventSpec::warning(
            key.clone(),
            COMPONENT,
            "NoControllers",
            format!("found no controllers for pod \"{pod}\""),
        )));
    }
    let allowed = if error.is_some() {
        0
    } else {
        (healthy - desired - disrupted.len() as i64).max(0)
    };
    let mut conditions = pdb.status.conditions.clone();
    let (status, reason) = if allowed > 0 {
        ("True", "SufficientPods")
    } else {
        ("False", "InsufficientPods")
    };
    set_condition(
        &mut conditions,
        Condition {
            last_transition_time: Some(Timestamp(o.now)),
            message: Some(String::new()),
            observed_generation: pdb.metadata.generation,
            reason: Some(reason.into()),
            status: status.into(),
            type_: "DisruptionAllowed".into(),
            ..Default::default()
        },
    );
    let next_status = PodDisruptionBudgetStatus {
        conditions,
        current_healthy: healthy,
        desired_healthy: desired,
        disrupted_pods: disrupted,
        disruptions_allowed: allowed,
        expected_pods: expected,
        observed_generation: pdb.metadata.generation.unwrap_or(0),
    };
    if !next_status.disrupted_pods.is_empty() {
        out.push(Action::Requeue {
            key,
            after_ms: DISRUPTION_TIMEOUT_MS,
        });
    }
    if next_status != pdb.status {
        let mut next = pdb.clone();
        next.status = next_status;
        out.push(Action::UpdateStatus(Object::PodDisruptionBudget(next)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pod(name: &str, ready: bool, owner: &str) -> Pod {
        let mut p = Pod {
            metadata: ObjectMeta::named(name, Some("default")),
            ..Default::default()
        };
        p.metadata.owner_references.push(OwnerReference {
            controller: true,
            uid: owner.into(),
            ..Default::default()
        });
        p.status.phase = Some("Running".into());
        p.status.conditions.push(Condition {
            type_: "Ready".into(),
            status: if ready { "True" } else { "False" }.into(),
            ..Default::default()
        });
        p
    }

    fn status_of(acts: &[Action]) -> PodDisruptionBudgetStatus {
        acts.iter()
            .find_map(|a| match a {
                Action::UpdateStatus(Object::PodDisruptionBudget(p)) => Some(p.status.clone()),
                _ => None,
            })
            .unwrap()
    }

    #[test]
    fn min_available_and_max_unavailable() {
        let pods = [pod("a", true, "rs"), pod("b", true, "rs"), pod("c", true, "rs")];
        let mut pdb = PodDisruptionBudget {
            metadata: ObjectMeta::named("web-pdb", Some("default")),
            ..Default::default()
        };
        pdb.spec.min_available = Some(IntOrString::Int(2));
        let o = Observed {
            pdb: &pdb,
            pods: pods.iter().collect(),
            scale: BTreeMap::new(),
            now: SimTime(0),
        };
        let s = status_of(&reconcile(&o));
        assert_eq!(
            (
                s.current_healthy,
                s.desired_healthy,
                s.disruptions_allowed,
                s.expected_pods
            ),
            (3, 2, 1, 3)
        );
        pdb.spec.min_available = None;
        pdb.spec.max_unavailable = Some(IntOrString::Str("50%".into()));
        let scale = [("rs".to_string(), 4)].into_iter().collect();
        let o = Observed {
            pdb: &pdb,
            pods: pods.iter().collect(),
            scale,
            now: SimTime(0),
        };
        let s = status_of(&reconcile(&o));
        // 50% of 4 rounds up to 2 unavailable: 2 must stay healthy, 3 are.
        assert_eq!((s.expected_pods, s.desired_healthy, s.disruptions_allowed), (4, 2, 1));
        assert_eq!(s.conditions[0].reason.as_deref(), Some("SufficientPods"));
    }
}
