//! The PersistentVolume controller (binder), the rancher.io/local-path provisioner kind ships,
//! and the volume-binding rules the scheduler follows (upstream
//! `pkg/controller/volume/persistentvolume`, `sigs.k8s.io/sig-storage-lib-external-provisioner`,
//! scheduler plugin `VolumeBinding`).
//!
//! A claim binds to the smallest Available volume that fits (class, access modes, size, label
//! selector, volume mode). A claim of a `WaitForFirstConsumer` class waits until the scheduler
//! has picked a node for the first pod using it (`volume.kubernetes.io/selected-node`); then a
//! matching static volume is bound, or the class's provisioner makes one (`pvc-<claim uid>`),
//! pinned to that node. Deleting a claim releases its volume: `Delete` removes it (and its
//! data), `Retain` keeps it `Released` until an admin clears its `claimRef`.

use super::{Action, EventSpec};
use crate::api::*;
use crate::names::stable_hash;
use crate::selector::Selector;
use crate::store::ObjKey;
use crate::time::{SimTime, Timestamp};
use serde_json::{json, Value};

pub const LOCAL_PATH: &str = "rancher.io/local-path";
pub const SELECTED_NODE: &str = "volume.kubernetes.io/selected-node";
pub const BIND_COMPLETED: &str = "pv.kubernetes.io/bind-completed";
pub const BOUND_BY_CONTROLLER: &str = "pv.kubernetes.io/bound-by-controller";
pub const STORAGE_PROVISIONER: &str = "volume.kubernetes.io/storage-provisioner";
pub const BETA_STORAGE_PROVISIONER: &str = "volume.beta.kubernetes.io/storage-provisioner";
pub const PROVISIONED_BY: &str = "pv.kubernetes.io/provisioned-by";
pub const PVC_PROTECTION: &str = "kubernetes.io/pvc-protection";
pub const PV_PROTECTION: &str = "kubernetes.io/pv-protection";
const COMPONENT: &str = "persistentvolume-controller";
/// The PV controller resyncs unbound claims every 15 s, repeating its events (`(x6 over 75s)`).
pub const RESYNC_MS: u64 = 15_000;

/// What the binder observes about one claim.
pub struct ClaimObserved<'a> {
    pub claim: &'a PersistentVolumeClaim,
    /// The class the claim names, if it exists.
    pub class: Option<&'a StorageClass>,
    /// Every PersistentVolume (static binding looks for the best fit).
    pub volumes: Vec<&'a PersistentVolume>,
    /// The running provisioner's identity (`rancher.io/local-path_<pod>_<id>`), if any.
    pub provisioner: Option<&'static str>,
    /// When provisioning for this claim completes, if it has started.
    pub provisioning_done_at: Option<SimTime>,
    pub now: SimTime,
}

/// What one claim sync decided.
#[derive(Debug, Default)]
pub struct ClaimOutcome {
    pub actions: Vec<Action>,
    /// Provisioning started: the volume is ready at this time.
    pub provision_at: Option<SimTime>,
}

fn claim_key(c: &PersistentVolumeClaim) -> ObjKey {
    ObjKey::new(Kind::PersistentVolumeClaim, c.metadata.ns(), &c.metadata.name)
}

fn cond_phase_time(now: SimTime) -> Option<Timestamp> {
    Some(Timestamp(now))
}

/// Syncs one claim (`syncClaim`).
pub fn sync_claim(o: &ClaimObserved) -> ClaimOutcome {
    let mut out = ClaimOutcome::default();
    let c = o.claim;
    let key = claim_key(c);
    if c.metadata.is_deleting() {
        return out;
    }
    if let Some(vname) = c.spec.volume_name.as_deref() {
        match o.volumes.iter().find(|v| v.metadata.name == vname) {
            Some(pv)
                if pv
                    .spec
                    .claim_ref
                    .as_ref()
                    .is_none_or(|r| r.uid.as_deref().is_none_or(|u| u == c.metadata.uid())) =>
            {
                if pv.spec.claim_ref.as_ref().is_none_or(|r| r.uid.is_none()) {
                    out.actions.extend(bind_volume(pv, c, o.now));
                }
                out.actions.extend(mark_claim_bound(c, pv, o.now, false));
            }
            Some(_) => {}
            None => {
                if c.phase() == "Bound" {
                    let mut next = c.clone();
                    next.status.phase = Some("Lost".into());
                    out.actions
                        .push(Action::UpdateStatus(Object::PersistentVolumeClaim(next)));
                    out.actions.push(Action::Event(EventSpec::warning(
                        key,
                        COMPONENT,
                        "ClaimLost",
                        "Bound claim has lost its PersistentVolume. Data on the volume is lost!".into(),
                    )));
                }
            }
        }
        return out;
    }
    // A volume provisioned for (or pre-bound to) this claim binds first.
    if let Some(pv) = o.volumes.iter().find(|v| {
        v.spec.claim_ref.as_ref().is_some_and(|r| {
            r.name.as_deref() == Some(&c.metadata.name)
                && r.namespace.as_deref() == Some(c.metadata.ns())
                && r.uid.as_deref().is_none_or(|u| u == c.metadata.uid())
        }) && !v.metadata.is_deleting()
    }) {
        out.actions.extend(bind_volume(pv, c, o.now));
        out.actions.extend(mark_claim_bound(c, pv, o.now, true));
        return out;
    }
    let class_name = c.class();
    let wffc = o.class.is_some_and(|k| k.wait_for_first_consumer());
    let selected = c.metadata.annotations.get(SELECTED_NODE).cloned();
    if !(wffc && selected.is_none()) {
        if let Some(pv) = best_fit(c, &o.volumes, selected.as_deref()) {
            out.actions.extend(bind_volume(pv, c, o.now));
            out.actions.extend(mark_claim_bound(c, pv, o.now, true));
            return out;
        }
    }
    let resync = Action::Requeue {
        key: key.clone(),
        after_ms: RESYNC_MS,
    };
    match o.class {
        None if class_name.is_empty() => {
            out.actions.push(Action::Event(EventSpec::normal(
                key,
                COMPONENT,
                "FailedBinding",
                "no persistent volumes available for this claim and no storage class is set".into(),
            )));
            out.actions.push(resync);
        }
        None => {
            out.actions.push(Action::Event(EventSpec::warning(
                key,
                COMPONENT,
                "ProvisioningFailed",
                format!("storageclass.storage.k8s.io \"{class_name}\" not found"),
            )));
            out.actions.push(resync);
        }
        Some(_) if wffc && selected.is_none() => {
            out.actions.push(Action::Event(EventSpec::normal(
                key,
                COMPONENT,
                "WaitForFirstConsumer",
                "waiting for first consumer to be created before binding".into(),
            )));
            out.actions.push(resync);
        }
        Some(class) => {
            // Hand the claim to the external provisioner.
            if c.metadata.annotations.get(STORAGE_PROVISIONER) != Some(&class.provisioner) {
                let mut next = c.clone();
                next.metadata
                    .annotations
                    .insert(BETA_STORAGE_PROVISIONER.into(), class.provisioner.clone());
                next.metadata
                    .annotations
                    .insert(STORAGE_PROVISIONER.into(), class.provisioner.clone());
                out.actions.push(Action::Update(Object::PersistentVolumeClaim(next)));
            }
            out.actions.push(Action::Event(EventSpec::normal(
                key.clone(),
                COMPONENT,
                "ExternalProvisioning",
                format!(
                    "Waiting for a volume to be created either by the external provisioner '{}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.",
                    class.provisioner
                ),
            )));
            match (class.provisioner.as_str(), o.provisioner) {
                (LOCAL_PATH, Some(identity)) => match o.provisioning_done_at {
                    None => {
                        let delay = 1500 + stable_hash(&[c.metadata.uid(), "provision"]) % 2000;
                        out.provision_at = Some(o.now.plus_ms(delay));
                        out.actions.push(Action::Event(EventSpec::normal(
                            key.clone(),
                            identity,
                            "Provisioning",
                            format!(
                                "External provisioner is provisioning volume for claim \"{}/{}\"",
                                c.metadata.ns(),
                                c.metadata.name
                            ),
                        )));
                        out.actions.push(Action::Requeue { key, after_ms: delay });
                    }
                    Some(t) if t > o.now => out.actions.push(Action::Requeue {
                        key,
                        after_ms: (t.0 - o.now.0).max(1),
                    }),
                    Some(_) => {
                        let pv = provision_local_path(c, class, selected.as_deref());
                        let msg = format!("Successfully provisioned volume {}", pv.metadata.name);
                        out.actions.push(Action::Create {
                            object: Object::PersistentVolume(pv),
                            event: None,
                        });
                        out.actions.push(Action::Event(EventSpec::normal(
                            key,
                            identity,
                            "ProvisioningSucceeded",
                            msg,
                        )));
                    }
                },
                _ => out.actions.push(resync),
            }
        }
    }
    out
}

/// The smallest Available volume that satisfies the claim (`findBestMatchForClaim`).
pub fn best_fit<'a>(
    c: &PersistentVolumeClaim,
    volumes: &[&'a PersistentVolume],
    node: Option<&str>,
) -> Option<&'a PersistentVolume> {
    let want = c.request_bytes();
    let sel = c.spec.selector.as_ref().map(Selector::from_label_selector);
    volumes
        .iter()
        .copied()
        .filter(|v| v.phase() == "Available" && v.spec.claim_ref.is_none() && !v.metadata.is_deleting())
        .filter(|v| v.class() == c.class())
        .filter(|v| v.spec.volume_mode == c.spec.volume_mode)
        .filter(|v| c.spec.access_modes.iter().all(|m| v.spec.access_modes.contains(m)))
        .filter(|v| v.capacity_bytes() >= want)
        .filter(|v| match &sel {
            Some(Ok(s)) => s.matches(&v.metadata.labels),
            Some(Err(_)) => false,
            None => true,
        })
        .filter(|v| node.is_none_or(|n| volume_allows_node(v, n)))
        .min_by(|a, b| {
            a.capacity_bytes()
                .cmp(&b.capacity_bytes())
                .then(a.metadata.name.cmp(&b.metadata.name))
        })
}

/// The volume's `nodeAffinity` admits `node` (only `kubernetes.io/hostname` terms are known).
pub fn volume_allows_node(v: &PersistentVolume, node: &str) -> bool {
    volume_nodes(v).is_none_or(|nodes| nodes.iter().any(|n| n == node))
}

/// The nodes a volume is pinned to by `nodeAffinity` (`kubernetes.io/hostname In [...]`).
pub fn volume_nodes(v: &PersistentVolume) -> Option<Vec<String>> {
    let terms = v
        .spec
        .node_affinity
        .as_ref()?
        .get("required")?
        .get("nodeSelectorTerms")?
        .as_array()?;
    let mut nodes = Vec::new();
    for t in terms {
        for e in t
            .get("matchExpressions")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if e.get("key").and_then(Value::as_str) == Some("kubernetes.io/hostname")
                && e.get("operator").and_then(Value::as_str) == Some("In")
            {
                nodes.extend(
                    e.get("values")
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                        .filter_map(Value::as_str)
                        .map(str::to_string),
                );
            }
        }
    }
    Some(nodes)
}

/// Points a volume at the claim (`bindVolumeToClaim`) and marks it Bound.
fn bind_volume(pv: &PersistentVolume, c: &PersistentVolumeClaim, now: SimTime) -> Vec<Action> {
    let mut out = Vec::new();
    let mut next = pv.clone();
    let want = ObjectReference {
        api_version: Some("v1".into()),
        kind: Some("PersistentVolumeClaim".into()),
        name: Some(c.metadata.name.clone()),
        namespace: Some(c.metadata.ns().to_string()),
        resource_version: c.metadata.resource_version.clone(),
        uid: Some(c.metadata.uid().to_string()),
        field_path: None,
    };
    let had_ref = pv.spec.claim_ref.is_some();
    if next.spec.claim_ref.as_ref().is_none_or(|r| r.uid.is_none()) {
        next.spec.claim_ref = Some(want);
        if !had_ref {
            next.metadata
                .annotations
                .insert(BOUND_BY_CONTROLLER.into(), "yes".into());
        }
        out.push(Action::Update(Object::PersistentVolume(next.clone())));
    }
    if pv.phase() != "Bound" {
        next.status.phase = Some("Bound".into());
        next.status.last_phase_transition_time = cond_phase_time(now);
        out.push(Action::UpdateStatus(Object::PersistentVolume(next)));
    }
    out
}

/// Completes a claim's binding (`bindClaimToVolume` + status).
fn mark_claim_bound(
    c: &PersistentVolumeClaim,
    pv: &PersistentVolume,
    now: SimTime,
    by_controller: bool,
) -> Vec<Action> {
    let mut out = Vec::new();
    let mut next = c.clone();
    let mut changed = false;
    if next.spec.volume_name.as_deref() != Some(&pv.metadata.name) {
        next.spec.volume_name = Some(pv.metadata.name.clone());
        changed = true;
    }
    for (k, on) in [(BIND_COMPLETED, true), (BOUND_BY_CONTROLLER, by_controller)] {
        if on && next.metadata.annotations.get(k).map(String::as_str) != Some("yes") {
            next.metadata.annotations.insert(k.into(), "yes".into());
            changed = true;
        }
    }
    if !next.metadata.finalizers.iter().any(|f| f == PVC_PROTECTION) {
        next.metadata.finalizers.push(PVC_PROTECTION.into());
        changed = true;
    }
    if changed {
        out.push(Action::Update(Object::PersistentVolumeClaim(next.clone())));
    }
    let capacity = pv
        .spec
        .capacity
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().map_or_else(|| v.to_string(), str::to_string)))
        .collect();
    if next.status.phase.as_deref() != Some("Bound") || next.status.capacity != capacity {
        next.status.phase = Some("Bound".into());
        next.status.access_modes = pv.spec.access_modes.clone();
        next.status.capacity = capacity;
        next.status.last_phase_transition_time = cond_phase_time(now);
        out.push(Action::UpdateStatus(Object::PersistentVolumeClaim(next)));
    }
    out
}

/// The volume local-path-provisioner makes for a claim: a host directory on the selected node.
pub fn provision_local_path(c: &PersistentVolumeClaim, class: &StorageClass, node: Option<&str>) -> PersistentVolume {
    let name = format!("pvc-{}", c.metadata.uid());
    let mut pv = PersistentVolume {
        metadata: ObjectMeta::named(&name, None),
        ..Default::default()
    };
    if let Some(n) = node {
        pv.metadata
            .annotations
            .insert("local.path.provisioner/selected-node".into(), n.into());
        pv.spec.node_affinity = Some(json!({"required": {"nodeSelectorTerms": [
            {"matchExpressions": [{"key": "kubernetes.io/hostname", "operator": "In", "values": [n]}]}
        ]}}));
    }
    pv.metadata
        .annotations
        .insert(PROVISIONED_BY.into(), class.provisioner.clone());
    pv.metadata.finalizers.push(PV_PROTECTION.into());
    pv.spec.access_modes = c.spec.access_modes.clone();
    if let Some(s) = c.spec.resources.requests.get("storage") {
        pv.spec.capacity.insert("storage".into(), s.clone());
    }
    pv.spec.claim_ref = Some(ObjectReference {
        api_version: Some("v1".into()),
        kind: Some("PersistentVolumeClaim".into()),
        name: Some(c.metadata.name.clone()),
        namespace: Some(c.metadata.ns().to_string()),
        resource_version: c.metadata.resource_version.clone(),
        uid: Some(c.metadata.uid().to_string()),
        field_path: None,
    });
    pv.spec.host_path = Some(HostPathSource {
        path: format!(
            "/var/local-path-provisioner/{name}_{}_{}",
            c.metadata.ns(),
            c.metadata.name
        ),
        type_: Some("DirectoryOrCreate".into()),
    });
    pv.spec.persistent_volume_reclaim_policy = class.reclaim_policy.clone().or(Some("Delete".into()));
    pv.spec.storage_class_name = Some(class.metadata.name.clone());
    pv.spec.volume_mode = c.spec.volume_mode.clone().or(Some("Filesystem".into()));
    pv
}

/// Syncs one volume (`syncVolume`): Available when free, Released when its claim is gone, then
/// reclaimed. `claim` is the claim its `claimRef` names, if that still exists.
pub fn sync_volume(pv: &PersistentVolume, claim: Option<&PersistentVolumeClaim>, now: SimTime) -> Vec<Action> {
    let mut out = Vec::new();
    let key = ObjKey::new(Kind::PersistentVolume, "", &pv.metadata.name);
    let set_phase = |phase: &str, out: &mut Vec<Action>| {
        if pv.phase() != phase {
            let mut next = pv.clone();
            next.status.phase = Some(phase.into());
            next.status.last_phase_transition_time = cond_phase_time(now);
            out.push(Action::UpdateStatus(Object::PersistentVolume(next)));
        }
    };
    let Some(r) = &pv.spec.claim_ref else {
        if pv.metadata.is_deleting() {
            out.push(Action::Remove(key));
            return out;
        }
        set_phase("Available", &mut out);
        return out;
    };
    let same = claim.is_some_and(|c| r.uid.as_deref().is_none_or(|u| u == c.metadata.uid()));
    if pv.metadata.is_deleting() {
        // `kubernetes.io/pv-protection`: a deleted volume goes once no claim is bound to it.
        if !same {
            out.push(Action::Remove(key));
        }
        return out;
    }
    if same {
        // Pre-bound or bound: the claim's sync completes the binding.
        if r.uid.is_some() && claim.is_some_and(|c| c.spec.volume_name.as_deref() == Some(&pv.metadata.name)) {
            set_phase("Bound", &mut out);
        }
        return out;
    }
    if r.uid.is_none() {
        // Pre-bound to a claim that does not exist yet.
        set_phase("Available", &mut out);
        return out;
    }
    // The claim is gone.
    match pv.reclaim_policy() {
        "Delete" => out.push(Action::Remove(key)),
        "Recycle" => {
            let mut next = pv.clone();
            next.spec.claim_ref = None;
            out.push(Action::Update(Object::PersistentVolume(next)));
        }
        _ => set_phase("Released", &mut out),
    }
    out
}

/// Why the scheduler cannot place a pod because of its claims, or what it must respect.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VolumeGate {
    /// Schedulable; if `only` is set, just on those nodes (bound local volumes). `select` lists
    /// unbound `WaitForFirstConsumer` claims that need a node chosen.
    Ok {
        only: Option<Vec<String>>,
        select: Vec<String>,
    },
    /// Cannot be scheduled: the reason as the scheduler words it.
    Unschedulable(String),
    /// A node was chosen and the volume is being provisioned: leave the pod pending quietly.
    Wait,
}

/// The `VolumeBinding` pre-filter for a pod. `lookup(claim)` gives the claim, its class and its
/// bound volume as far as they exist.
pub fn gate<'a>(
    pod: &Pod,
    mut lookup: impl FnMut(
        &str,
    ) -> (
        Option<&'a PersistentVolumeClaim>,
        Option<&'a StorageClass>,
        Option<&'a PersistentVolume>,
    ),
) -> VolumeGate {
    let mut only: Option<Vec<String>> = None;
    let mut select = Vec::new();
    let mut wait = false;
    let mut unbound_immediate = false;
    for name in claims_of(pod) {
        let (claim, class, volume) = lookup(&name);
        let Some(c) = claim else {
            return VolumeGate::Unschedulable(format!("persistentvolumeclaim \"{name}\" not found"));
        };
        if c.metadata.is_deleting() {
            return VolumeGate::Unschedulable(format!("persistentvolumeclaim \"{name}\" is being deleted"));
        }
        match (c.spec.volume_name.as_deref(), volume) {
            (Some(_), Some(v)) if c.phase() == "Bound" => {
                if let Some(nodes) = volume_nodes(v) {
                    only = Some(match only {
                        None => nodes,
                        Some(prev) => prev.into_iter().filter(|n| nodes.contains(n)).collect(),
                    });
                }
            }
            _ if class.is_some_and(|k| k.wait_for_first_consumer()) => {
                if c.metadata.annotations.contains_key(SELECTED_NODE) {
                    wait = true;
                } else {
                    select.push(name);
                }
            }
            _ => unbound_immediate = true,
        }
    }
    if unbound_immediate {
        return VolumeGate::Unschedulable("pod has unbound immediate PersistentVolumeClaims".into());
    }
    if wait {
        return VolumeGate::Wait;
    }
    VolumeGate::Ok { only, select }
}

/// The claims a pod's volumes name.
pub fn claims_of(pod: &Pod) -> Vec<String> {
    pod.spec
        .volumes
        .iter()
        .filter_map(|v| {
            v.source
                .get("persistentVolumeClaim")?
                .get("claimName")?
                .as_str()
                .map(str::to_string)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn class(wffc: bool) -> StorageClass {
        let mut sc = StorageClass {
            metadata: ObjectMeta::named("standard", None),
            provisioner: LOCAL_PATH.into(),
            ..Default::default()
        };
        sc.volume_binding_mode = Some(if wffc { "WaitForFirstConsumer" } else { "Immediate" }.into());
        sc.reclaim_policy = Some("Delete".into());
        sc
    }

    fn claim(name: &str, class: Option<&str>, size: &str) -> PersistentVolumeClaim {
        let mut c = PersistentVolumeClaim {
            metadata: ObjectMeta::named(name, Some("default")),
            ..Default::default()
        };
        c.metadata.uid = Some(format!("{name}-uid"));
        c.spec.access_modes = vec!["ReadWriteOnce".into()];
        c.spec.resources.requests.insert("storage".into(), json!(size));
        c.spec.storage_class_name = class.map(str::to_string);
        c.spec.volume_mode = Some("Filesystem".into());
        c
    }

    fn static_pv(name: &str, class: &str, size: &str, modes: &[&str]) -> PersistentVolume {
        let mut v = PersistentVolume {
            metadata: ObjectMeta::named(name, None),
            ..Default::default()
        };
        v.spec.access_modes = modes.iter().map(|m| m.to_string()).collect();
        v.spec.capacity.insert("storage".into(), json!(size));
        v.spec.storage_class_name = (!class.is_empty()).then(|| class.to_string());
        v.spec.volume_mode = Some("Filesystem".into());
        v.status.phase = Some("Available".into());
        v
    }

    fn messages(acts: &[Action]) -> Vec<String> {
        acts.iter()
            .filter_map(|a| match a {
                Action::Event(e) => Some(format!("{} {}", e.reason, e.message)),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn static_binding_picks_the_smallest_fit() {
        let c = claim("nfs-pvc", Some("nfs"), "1Gi");
        let big = static_pv("big", "nfs", "10Gi", &["ReadWriteMany", "ReadWriteOnce"]);
        let small = static_pv("small", "nfs", "2Gi", &["ReadWriteOnce"]);
        let tiny = static_pv("tiny", "nfs", "500Mi", &["ReadWriteOnce"]);
        let other = static_pv("other", "fast", "1Gi", &["ReadWriteOnce"]);
        let obs = ClaimObserved {
            claim: &c,
            class: None,
            volumes: vec![&big, &small, &tiny, &other],
            provisioner: None,
            provisioning_done_at: None,
            now: SimTime(0),
        };
        let acts = sync_claim(&obs).actions;
        let Some(Action::Update(Object::PersistentVolume(pv))) = acts.first() else {
            panic!("{acts:?}")
        };
        assert_eq!(pv.metadata.name, "small");
        assert_eq!(pv.spec.claim_ref.as_ref().unwrap().uid.as_deref(), Some("nfs-pvc-uid"));
        assert!(acts.iter().any(|a| matches!(a, Action::UpdateStatus(Object::PersistentVolumeClaim(c)) if c.phase() == "Bound" && c.status.capacity["storage"] == "2Gi")));
    }

    #[test]
    fn claims_without_volumes_report_why() {
        let c = claim("a", Some(""), "1Gi");
        let obs = ClaimObserved {
            claim: &c,
            class: None,
            volumes: vec![],
            provisioner: None,
            provisioning_done_at: None,
            now: SimTime(0),
        };
        assert_eq!(
            messages(&sync_claim(&obs).actions),
            vec!["FailedBinding no persistent volumes available for this claim and no storage class is set"]
        );
        let c = claim("b", Some("nfs"), "1Gi");
        let obs = ClaimObserved {
            claim: &c,
            class: None,
            volumes: vec![],
            provisioner: None,
            provisioning_done_at: None,
            now: SimTime(0),
        };
        assert_eq!(
            messages(&sync_claim(&obs).actions),
            vec!["ProvisioningFailed storageclass.storage.k8s.io \"nfs\" not found"]
        );
        let sc = class(true);
        let c = claim("c", Some("standard"), "1Gi");
        let obs = ClaimObserved {
            claim: &c,
            class: Some(&sc),
            volumes: vec![],
            provisioner: Some("lp"),
            provisioning_done_at: None,
            now: SimTime(0),
        };
        assert_eq!(
            messages(&sync_claim(&obs).actions),
            vec!["WaitForFirstConsumer waiting for first consumer to be created before binding"]
        );
    }

    #[test]
    fn local_path_provisions_on_the_selected_node() {
        let sc = class(true);
        let mut c = claim("data-db-0", Some("standard"), "1Gi");
        c.metadata
            .annotations
            .insert(SELECTED_NODE.into(), "kind-worker".into());
        let obs = ClaimObserved {
            claim: &c,
            class: Some(&sc),
            volumes: vec![],
            provisioner: Some("lp"),
            provisioning_done_at: None,
            now: SimTime(0),
        };
        let o = sync_claim(&obs);
        assert!(o.provision_at.is_some());
        assert_eq!(
            messages(&o.actions)[1],
            "Provisioning External provisioner is provisioning volume for claim \"default/data-db-0\""
        );
        let obs = ClaimObserved {
            provisioning_done_at: Some(SimTime(0)),
            ..obs
        };
        let acts = sync_claim(&obs).actions;
        let pv = acts
            .iter()
            .find_map(|a| match a {
                Action::Create {
                    object: Object::PersistentVolume(pv),
                    ..
                } => Some(pv.clone()),
                _ => None,
            })
            .unwrap();
        assert_eq!(pv.metadata.name, "pvc-data-db-0-uid");
        assert_eq!(volume_nodes(&pv), Some(vec!["kind-worker".to_string()]));
        assert_eq!(pv.reclaim_policy(), "Delete");
        assert_eq!(
            pv.spec.host_path.as_ref().unwrap().path,
            "/var/local-path-provisioner/pvc-data-db-0-uid_default_data-db-0"
        );
        assert!(messages(&acts)
            .iter()
            .any(|m| m == "ProvisioningSucceeded Successfully provisioned volume pvc-data-db-0-uid"));
    }

    #[test]
    fn released_volumes_are_reclaimed_by_policy() {
        let mut pv = static_pv("nfs", "nfs", "1Gi", &["ReadWriteMany"]);
        pv.spec.persistent_volume_reclaim_policy = Some("Retain".into());
        pv.spec.claim_ref = Some(ObjectReference {
            name: Some("gone".into()),
            namespace: Some("default".into()),
            uid: Some("u".into()),
            ..Default::default()
        });
        pv.status.phase = Some("Bound".into());
        assert!(
            matches!(&sync_volume(&pv, None, SimTime(0))[..], [Action::UpdateStatus(Object::PersistentVolume(v))] if v.phase() == "Released")
        );
        pv.spec.persistent_volume_reclaim_policy = Some("Delete".into());
        assert!(matches!(&sync_volume(&pv, None, SimTime(0))[..], [Action::Remove(_)]));
    }

    #[test]
    fn the_scheduler_gate_follows_binding_modes() {
        let mut pod = Pod::default();
        let mut v = Volume {
            name: "data".into(),
            ..Default::default()
        };
        v.source
            .insert("persistentVolumeClaim".into(), json!({"claimName": "data"}));
        pod.spec.volumes.push(v);
        assert_eq!(
            gate(&pod, |_| (None, None, None)),
            VolumeGate::Unschedulable("persistentvolumeclaim \"data\" not found".into())
        );
        let c = claim("data", Some("nfs"), "1Gi");
        assert_eq!(
            gate(&pod, |_| (Some(&c), None, None)),
            VolumeGate::Unschedulable("pod has unbound immediate PersistentVolumeClaims".into())
        );
        let sc = class(true);
        assert_eq!(
            gate(&pod, |_| (Some(&c), Some(&sc), None)),
            VolumeGate::Ok {
                only: None,
                select: vec!["data".into()]
            }
        );
    }
}
