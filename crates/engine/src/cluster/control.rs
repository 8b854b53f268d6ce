//! The runtime side of the workload, storage, configuration and policy kinds: which changes
//! wake which controller (`notify_ctl`), how each controller is fed from the store (`run_ctl`),
//! the admission steps that need cluster state (default StorageClass, LimitRange, quota, Job
//! selectors, Pod Security), status subresource merging, and the Eviction API. Kept beside
//! `cluster.rs` (a child module, so it sees the runtime's private state) to keep that file small.

use super::*;
use crate::controllers as ctl;
use crate::volume_manager;

mod nodes;

/// Work for the controllers wired here.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(super) enum CtlWork {
    StatefulSet(ObjKey),
    DaemonSet(ObjKey),
    Job(ObjKey),
    CronJob(ObjKey),
    /// The PersistentVolume controller and provisioner for one claim.
    Claim(ObjKey),
    /// The PersistentVolume controller for one volume (phase, reclaim).
    Volume(String),
    Disruption(ObjKey),
    Quota(ObjKey),
    /// `kube-root-ca.crt` and the `default` ServiceAccount of a namespace.
    NamespaceInit(String),
    Ingress(ObjKey),
    /// The node lifecycle controller for a node whose kubelet was stopped.
    NodeLifecycle(String),
}

/// State the runtime keeps for these controllers.
#[derive(Clone, Debug, Default)]
pub(super) struct State {
    /// Persistent volume contents by volume key (see [`Cluster::volume_data`]).
    pub volumes: BTreeMap<String, crate::vfs::Layer>,
    /// API warnings (`Warning: …` headers) of the last request, for kubectl to print.
    pub warnings: Vec<String>,
    /// Claim uid -> when its volume has been provisioned.
    pub provisioning: BTreeMap<String, SimTime>,
    /// Namespaces with ResourceQuotas -> what their objects use, kept up to date on every write
    /// so admission never rescans a namespace.
    pub quota_usage: BTreeMap<String, ctl::quota::Usage>,
    /// Nodes whose kubelet is stopped, since when.
    pub stopped: BTreeMap<String, SimTime>,
}

/// Which work a controller's `Requeue` of `key` means.
pub(super) fn requeue_work(key: ObjKey) -> Option<Work> {
    let w = match key.kind {
        Kind::StatefulSet => CtlWork::StatefulSet(key),
        Kind::DaemonSet => CtlWork::DaemonSet(key),
        Kind::Job => CtlWork::Job(key),
        Kind::CronJob => CtlWork::CronJob(key),
        Kind::PersistentVolumeClaim => CtlWork::Claim(key),
        Kind::PersistentVolume => CtlWork::Volume(key.name),
        Kind::PodDisruptionBudget => CtlWork::Disruption(key),
        Kind::ResourceQuota => CtlWork::Quota(key),
        Kind::Ingress => CtlWork::Ingress(key),
        Kind::Node => CtlWork::NodeLifecycle(key.name),
        _ => return None,
    };
    Some(Work::Ctl(w))
}

/// The claims a pod's volumes name (see `controllers::volume::claims_of`).
fn pod_claims(o: &Object) -> Vec<String> {
    o.as_pod().map(ctl::volume::claims_of).unwrap_or_default()
}

impl Cluster {
    fn enqueue_ctl(&mut self, w: CtlWork) {
        self.enqueue(Work::Ctl(w));
    }

    /// Maps a change to these controllers' work (their informers' event handlers).
    pub(super) fn notify_ctl(&mut self, old: Option<&Object>, new: Option<&Object>) {
        let Some(any) = new.or(old) else { return };
        let key = ObjKey::of(any);
        let ns = key.namespace.clone();
        let added_or_removed = old.is_none() || new.is_none();
        // Quota usage of namespaces that have quotas.
        if key.kind != Kind::Event && self.ctl.quota_usage.contains_key(&ns) {
            let before = old.map(ctl::quota::usage_of).unwrap_or_default();
            let after = new.map(ctl::quota::usage_of).unwrap_or_default();
            if before != after {
                let u = self.ctl.quota_usage.entry(ns.clone()).or_default();
                for (k, v) in before {
                    *u.entry(k).or_default() -= v;
                }
                for (k, v) in after {
                    *u.entry(k).or_default() += v;
                }
                let quotas: Vec<ObjKey> = self
                    .store
                    .list(Kind::ResourceQuota, Some(&ns))
                    .map(|o| ObjKey::of(o))
                    .collect();
                for q in quotas {
                    self.enqueue_ctl(CtlWork::Quota(q));
                }
            }
        }
        if matches!(key.kind, Kind::ConfigMap | Kind::Secret) {
            self.resync_pods_showing(&key);
        }
        // ingress-nginx publishes addresses once a controller pod is ready and withdraws them
        // when none is: its pods' readiness re-syncs every Ingress.
        if key.kind == Kind::Pod && ns == "ingress-nginx" {
            let ready = |o: Option<&Object>| o.and_then(|o| o.as_pod()).is_some_and(|p| p.is_ready());
            if ready(old) != ready(new) {
                let all: Vec<ObjKey> = self.store.list(Kind::Ingress, None).map(|o| ObjKey::of(o)).collect();
                for k in all {
                    self.enqueue_ctl(CtlWork::Ingress(k));
                }
            }
        }
        match key.kind {
            Kind::Pod => {
                let metadata_changed = old.zip(new).is_some_and(|(a, b)| {
                    a.meta().labels != b.meta().labels || a.meta().annotations != b.meta().annotations
                });
                if metadata_changed
                    && new.and_then(|o| o.as_pod()).is_some_and(|p| {
                        p.spec.node_name.is_some() && p.spec.volumes.iter().any(volume_manager::shows_pod_metadata)
                    })
                {
                    // The pod update syncs the pod; its downward API files follow.
                    self.enqueue(Work::Kubelet(any.meta().uid().to_string()));
                }
                for o in [old, new].into_iter().flatten() {
                    if let Some(r) = o.meta().controller() {
                        let k = |kind| ObjKey::new(kind, &ns, &r.name);
                        match r.kind.as_str() {
                            "StatefulSet" => self.enqueue_ctl(CtlWork::StatefulSet(k(Kind::StatefulSet))),
                            "DaemonSet" => self.enqueue_ctl(CtlWork::DaemonSet(k(Kind::DaemonSet))),
                            "Job" => self.enqueue_ctl(CtlWork::Job(k(Kind::Job))),
                            _ => {}
                        }
                    }
                }
                if added_or_removed {
                    for c in pod_claims(any) {
                        self.enqueue_ctl(CtlWork::Claim(ObjKey::new(Kind::PersistentVolumeClaim, &ns, &c)));
                    }
                }
                // Budgets over this pod see it come, go, or change readiness.
                let health = |o: Option<&Object>| {
                    o.and_then(|o| o.as_pod())
                        .map(|p| (p.is_ready(), p.metadata.is_deleting(), p.is_terminal()))
                };
                let relabeled = old.zip(new).is_some_and(|(a, b)| a.meta().labels != b.meta().labels);
                if health(old) != health(new) || relabeled {
                    let pdbs: Vec<ObjKey> = self
                        .store
                        .list(Kind::PodDisruptionBudget, Some(&ns))
                        .filter_map(|o| o.as_pdb())
                        .filter(|pdb| {
                            let sel = pdb.spec.selector.clone().unwrap_or_default();
                            crate::selector::Selector::from_label_selector(&sel)
                                .is_ok_and(|s| [old, new].into_iter().flatten().any(|o| s.matches(&o.meta().labels)))
                        })
                        .map(|p| ObjKey::new(Kind::PodDisruptionBudget, p.metadata.ns(), &p.metadata.name))
                        .collect();
                    for k in pdbs {
                        self.enqueue_ctl(CtlWork::Disruption(k));
                    }
                }
            }
            Kind::StatefulSet => {
                self.enqueue_ctl(CtlWork::StatefulSet(key));
                self.budgets_in(&ns);
            }
            Kind::DaemonSet => self.enqueue_ctl(CtlWork::DaemonSet(key)),
            Kind::Deployment | Kind::ReplicaSet => {
                let scaled = match (old, new) {
                    (Some(Object::Deployment(a)), Some(Object::Deployment(b))) => a.spec.replicas != b.spec.replicas,
                    (Some(Object::ReplicaSet(a)), Some(Object::ReplicaSet(b))) => a.spec.replicas != b.spec.replicas,
                    _ => true,
                };
                if scaled {
                    self.budgets_in(&ns);
                }
            }
            Kind::ControllerRevision => {
                if let Some(r) = any.meta().controller() {
                    match r.kind.as_str() {
                        "StatefulSet" => {
                            self.enqueue_ctl(CtlWork::StatefulSet(ObjKey::new(Kind::StatefulSet, &ns, &r.name)))
                        }
                        "DaemonSet" => self.enqueue_ctl(CtlWork::DaemonSet(ObjKey::new(Kind::DaemonSet, &ns, &r.name))),
                        _ => {}
                    }
                }
            }
            Kind::Job => {
                self.enqueue_ctl(CtlWork::Job(key));
                if let Some(r) = any.meta().controller().filter(|r| r.kind == "CronJob") {
                    self.enqueue_ctl(CtlWork::CronJob(ObjKey::new(Kind::CronJob, &ns, &r.name)));
                }
            }
            Kind::CronJob => self.enqueue_ctl(CtlWork::CronJob(key)),
            Kind::PersistentVolumeClaim => {
                self.enqueue_ctl(CtlWork::Claim(key.clone()));
                for o in [old, new].into_iter().flatten() {
                    if let Some(v) = o.as_pvc().and_then(|c| c.spec.volume_name.clone()) {
                        self.enqueue_ctl(CtlWork::Volume(v));
                    }
                }
                if new.is_none() {
                    // Volumes whose claimRef named it are released.
                    let released: Vec<String> = self
                        .store
                        .list(Kind::PersistentVolume, None)
                        .filter_map(|o| o.as_pv())
                        .filter(|v| {
                            v.spec.claim_ref.as_ref().is_some_and(|r| {
                                r.name.as_deref() == Some(&key.name) && r.namespace.as_deref() == Some(&ns)
                            })
                        })
                        .map(|v| v.metadata.name.clone())
                        .collect();
                    for v in released {
                        self.enqueue_ctl(CtlWork::Volume(v));
                    }
                }
                let bound = |o: Option<&Object>| o.and_then(|o| o.as_pvc()).is_some_and(|c| c.phase() == "Bound");
                if (bound(new) && !bound(old)) || old.is_none() {
                    // Pods waiting for this claim can be scheduled now.
                    let waiting: Vec<ObjKey> = self
                        .store
                        .unscheduled_pods()
                        .filter(|k| k.namespace == ns)
                        .filter(|k| self.store.get(k).is_some_and(|p| pod_claims(p).contains(&key.name)))
                        .cloned()
                        .collect();
                    for k in waiting {
                        self.enqueue(Work::Schedule(k));
                    }
                }
            }
            Kind::PersistentVolume => {
                self.enqueue_ctl(CtlWork::Volume(key.name.clone()));
                for o in [old, new].into_iter().flatten() {
                    if let Some(r) = o.as_pv().and_then(|v| v.spec.claim_ref.clone()) {
                        let (Some(n), Some(cns)) = (r.name, r.namespace) else {
                            continue;
                        };
                        self.enqueue_ctl(CtlWork::Claim(ObjKey::new(Kind::PersistentVolumeClaim, &cns, &n)));
                    }
                }
                let available =
                    |o: Option<&Object>| o.and_then(|o| o.as_pv()).is_some_and(|v| v.phase() == "Available");
                if available(new) && !available(old) {
                    self.pending_claims();
                }
            }
            Kind::StorageClass => self.pending_claims(),
            Kind::Node => {
                if new.is_none() {
                    self.enqueue_ctl(CtlWork::NodeLifecycle(key.name.clone()));
                }
                let sets: Vec<ObjKey> = self.store.list(Kind::DaemonSet, None).map(|o| ObjKey::of(o)).collect();
                for k in sets {
                    self.enqueue_ctl(CtlWork::DaemonSet(k));
                }
            }
            Kind::Namespace if old.is_none() => self.enqueue_ctl(CtlWork::NamespaceInit(key.name)),
            Kind::Namespace => {
                let label = |o: Option<&Object>| o.and_then(|o| o.meta().labels.get(crate::psa::ENFORCE).cloned());
                if new.is_some() && label(old) != label(new) {
                    if let Some(ns) = new.and_then(|o| o.as_namespace()).cloned() {
                        self.warn_existing_pods(&ns);
                    }
                }
            }
            Kind::ConfigMap if new.is_none() && key.name == ctl::namespace::ROOT_CA_CONFIGMAP => {
                self.enqueue_ctl(CtlWork::NamespaceInit(ns));
            }
            Kind::ServiceAccount if new.is_none() && key.name == "default" => {
                self.enqueue_ctl(CtlWork::NamespaceInit(ns))
            }
            Kind::PodDisruptionBudget => self.enqueue_ctl(CtlWork::Disruption(key)),
            Kind::ResourceQuota => {
                if new.is_some() && !self.ctl.quota_usage.contains_key(&ns) {
                    // The first quota of a namespace: count what is there once.
                    let used = self.namespace_usage(&ns);
                    self.ctl.quota_usage.insert(ns.clone(), used);
                }
                if new.is_none() && self.store.list(Kind::ResourceQuota, Some(&ns)).next().is_none() {
                    self.ctl.quota_usage.remove(&ns);
                }
                self.enqueue_ctl(CtlWork::Quota(key));
            }
            Kind::Ingress => self.enqueue_ctl(CtlWork::Ingress(key)),
            Kind::IngressClass => {
                let all: Vec<ObjKey> = self.store.list(Kind::Ingress, None).map(|o| ObjKey::of(o)).collect();
                for k in all {
                    self.enqueue_ctl(CtlWork::Ingress(k));
                }
            }
            _ => {}
        }
    }

    /// A ConfigMap or Secret changed: the kubelets of the pods whose volumes show it look at
    /// it (they rewrite the files at the pod's next resync, see `volume_manager`).
    fn resync_pods_showing(&mut self, key: &ObjKey) {
        let secret = key.kind == Kind::Secret;
        let uids: Vec<String> = self
            .store
            .list(Kind::Pod, Some(&key.namespace))
            .filter_map(|o| o.as_pod())
            .filter(|p| p.spec.node_name.is_some())
            .filter(|p| {
                p.spec
                    .volumes
                    .iter()
                    .any(|v| volume_manager::shows(v, secret, &key.name))
            })
            .map(|p| p.metadata.uid().to_string())
            .collect();
        for uid in uids {
            self.enqueue(Work::Kubelet(uid));
        }
    }

    fn budgets_in(&mut self, ns: &str) {
        let pdbs: Vec<ObjKey> = self
            .store
            .list(Kind::PodDisruptionBudget, Some(ns))
            .map(|o| ObjKey::of(o))
            .collect();
        for k in pdbs {
            self.enqueue_ctl(CtlWork::Disruption(k));
        }
    }

    /// Every claim still unbound gets another look (a volume or class appeared).
    fn pending_claims(&mut self) {
        let pending: Vec<ObjKey> = self
            .store
            .list(Kind::PersistentVolumeClaim, None)
            .filter(|o| o.as_pvc().is_some_and(|c| c.spec.volume_name.is_none()))
            .map(|o| ObjKey::of(o))
            .collect();
        for k in pending {
            self.enqueue_ctl(CtlWork::Claim(k));
        }
    }

    /// What a namespace's objects use, counted from scratch (once per namespace with quotas).
    fn namespace_usage(&self, ns: &str) -> ctl::quota::Usage {
        let kinds = Kind::ALL.iter().filter(|k| k.info().namespaced && **k != Kind::Event);
        ctl::quota::total(kinds.flat_map(|k| self.store.list(*k, Some(ns))).map(|o| &**o))
    }

    pub(super) fn run_ctl(&mut self, w: &CtlWork, now: SimTime) -> Vec<Action> {
        match w {
            CtlWork::StatefulSet(key) => {
                let Some(set) = self.store.get(key).and_then(|o| o.as_statefulset().cloned()) else {
                    return Vec::new();
                };
                let owned: Vec<Arc<Object>> = self.store.dependents(set.metadata.uid()).cloned().collect();
                let pods: Vec<&Pod> = owned.iter().filter_map(|o| o.as_pod()).collect();
                let revisions: Vec<&ControllerRevision> =
                    owned.iter().filter_map(|o| o.as_controllerrevision()).collect();
                let top = pods
                    .iter()
                    .filter_map(|p| ctl::statefulset::ordinal_of(&set.metadata.name, &p.metadata.name))
                    .max()
                    .map_or(0, |o| o + 1)
                    .max(set.start_ordinal() + set.replicas());
                let mut claim_objs: Vec<Arc<Object>> = Vec::new();
                for ord in set.start_ordinal()..top {
                    for n in ctl::statefulset::claim_names(&set, ord) {
                        if let Some(o) = self
                            .store
                            .get(&ObjKey::new(Kind::PersistentVolumeClaim, &key.namespace, &n))
                        {
                            claim_objs.push(o.clone());
                        }
                    }
                }
                let claims = claim_objs
                    .iter()
                    .filter_map(|o| o.as_pvc())
                    .map(|c| (c.metadata.name.clone(), c))
                    .collect();
                ctl::statefulset::reconcile(&ctl::statefulset::Observed {
                    set: &set,
                    pods,
                    revisions,
                    claims,
                    now,
                })
            }
            CtlWork::DaemonSet(key) => {
                let Some(ds) = self.store.get(key).and_then(|o| o.as_daemonset().cloned()) else {
                    return Vec::new();
                };
                let owned: Vec<Arc<Object>> = self.store.dependents(ds.metadata.uid()).cloned().collect();
                let cache = self.nodes();
                let nodes: Vec<&Node> = cache.iter().filter_map(|n| n.object.as_node()).collect();
                ctl::daemonset::reconcile(&ctl::daemonset::Observed {
                    ds: &ds,
                    nodes,
                    pods: owned.iter().filter_map(|o| o.as_pod()).collect(),
                    revisions: owned.iter().filter_map(|o| o.as_controllerrevision()).collect(),
                    now,
                })
            }
            CtlWork::Job(key) => {
                let Some(job) = self.store.get(key).and_then(|o| o.as_job().cloned()) else {
                    return Vec::new();
                };
                let owned: Vec<Arc<Object>> = self.store.dependents(job.metadata.uid()).cloned().collect();
                let pods: Vec<&Pod> = owned.iter().filter_map(|o| o.as_pod()).collect();
                ctl::job::reconcile(&job, &pods, now)
            }
            CtlWork::CronJob(key) => {
                let Some(cj) = self.store.get(key).and_then(|o| o.as_cronjob().cloned()) else {
                    return Vec::new();
                };
                let owned: Vec<Arc<Object>> = self.store.dependents(cj.metadata.uid()).cloned().collect();
                let jobs: Vec<&Job> = owned.iter().filter_map(|o| o.as_job()).collect();
                ctl::cronjob::reconcile(&cj, &jobs, now)
            }
            CtlWork::Claim(key) => self.sync_claim(key, now),
            CtlWork::Volume(name) => {
                let Some(pv) = self
                    .store
                    .get(&ObjKey::new(Kind::PersistentVolume, "", name))
                    .and_then(|o| o.as_pv().cloned())
                else {
                    return Vec::new();
                };
                let claim = pv.spec.claim_ref.as_ref().and_then(|r| {
                    let k = ObjKey::new(Kind::PersistentVolumeClaim, r.namespace.as_deref()?, r.name.as_deref()?);
                    self.store.get(&k).cloned()
                });
                let actions = ctl::volume::sync_volume(&pv, claim.as_deref().and_then(|o| o.as_pvc()), now);
                if !pv.metadata.is_deleting() && actions.iter().any(|a| matches!(a, Action::Remove(_))) {
                    // Reclaim policy Delete: the data goes with the volume. Deleting the volume
                    // object itself (`kubectl delete pv`) leaves the storage alone.
                    let nodes: Vec<String> = self.nodes().iter().map(|n| n.object.meta().name.clone()).collect();
                    for k in volume_manager::reclaimed_keys(&pv, &nodes) {
                        self.ctl.volumes.remove(&k);
                    }
                }
                actions
            }
            CtlWork::Disruption(key) => {
                let Some(pdb) = self.store.get(key).and_then(|o| o.as_pdb().cloned()) else {
                    return Vec::new();
                };
                // A budget without a selector selects no pods (policy/v1).
                let pods: Vec<Arc<Object>> = match pdb
                    .spec
                    .selector
                    .as_ref()
                    .map(crate::selector::Selector::from_label_selector)
                {
                    Some(Ok(sel)) => self
                        .store
                        .list(Kind::Pod, Some(&key.namespace))
                        .filter(|o| sel.matches(&o.meta().labels))
                        .cloned()
                        .collect(),
                    _ => Vec::new(),
                };
                let mut scale = BTreeMap::new();
                for p in pods.iter().filter_map(|o| o.as_pod()) {
                    if let Some(r) = p.metadata.controller() {
                        if !scale.contains_key(&r.uid) {
                            let n = self.scale_of(&r.uid);
                            scale.insert(r.uid.clone(), n);
                        }
                    }
                }
                ctl::disruption::reconcile(&ctl::disruption::Observed {
                    pdb: &pdb,
                    pods: pods.iter().filter_map(|o| o.as_pod()).collect(),
                    scale,
                    now,
                })
            }
            CtlWork::Quota(key) => {
                let Some(q) = self.store.get(key).and_then(|o| o.as_resourcequota().cloned()) else {
                    return Vec::new();
                };
                let used = match self.ctl.quota_usage.get(&key.namespace) {
                    Some(u) => u.clone(),
                    None => {
                        let u = self.namespace_usage(&key.namespace);
                        self.ctl.quota_usage.insert(key.namespace.clone(), u.clone());
                        u
                    }
                };
                ctl::quota::reconcile(&q, &used)
            }
            CtlWork::NamespaceInit(name) => {
                let Some(ns) = self
                    .store
                    .get(&ObjKey::new(Kind::Namespace, "", name))
                    .and_then(|o| o.as_namespace().cloned())
                else {
                    return Vec::new();
                };
                let has_ca = self
                    .store
                    .get(&ObjKey::new(Kind::ConfigMap, name, ctl::namespace::ROOT_CA_CONFIGMAP))
                    .is_some();
                let has_sa = self
                    .store
                    .get(&ObjKey::new(Kind::ServiceAccount, name, "default"))
                    .is_some();
                ctl::namespace::reconcile(&ns, has_ca, has_sa)
            }
            CtlWork::Ingress(key) => self.sync_ingress(key),
            CtlWork::NodeLifecycle(name) => self.node_lifecycle(name),
        }
    }

    /// The replicas the controller with `uid` wants (the top of its ownership chain, as the
    /// disruption controller's `getScaleController` finds it).
    fn scale_of(&self, uid: &str) -> i64 {
        let Some(o) = self.store.get_by_uid(uid) else { return 0 };
        match &**o {
            Object::ReplicaSet(rs) => match rs.metadata.controller().filter(|r| r.kind == "Deployment") {
                Some(d) => self.scale_of(&d.uid),
                None => rs.replicas(),
            },
            Object::Deployment(d) => d.replicas(),
            Object::StatefulSet(s) => s.replicas(),
            _ => 0,
        }
    }

    fn sync_claim(&mut self, key: &ObjKey, now: SimTime) -> Vec<Action> {
        let Some(obj) = self.store.get(key).cloned() else {
            return Vec::new();
        };
        let Some(claim) = obj.as_pvc() else { return Vec::new() };
        if claim.metadata.is_deleting() {
            return self.finalize_claim(claim);
        }
        let class_obj = match claim.spec.storage_class_name.as_deref() {
            Some(n) if !n.is_empty() => self.store.get(&ObjKey::new(Kind::StorageClass, "", n)).cloned(),
            _ => None,
        };
        let volumes: Vec<Arc<Object>> = self.store.list(Kind::PersistentVolume, None).cloned().collect();
        let provisioner = self.provisioner_identity();
        let uid = claim.metadata.uid().to_string();
        let outcome = ctl::volume::sync_claim(&ctl::volume::ClaimObserved {
            claim,
            class: class_obj.as_deref().and_then(|o| o.as_storageclass()),
            volumes: volumes.iter().filter_map(|o| o.as_pv()).collect(),
            provisioner,
            provisioning_done_at: self.ctl.provisioning.get(&uid).copied(),
            now,
        });
        if let Some(t) = outcome.provision_at {
            self.ctl.provisioning.insert(uid.clone(), t);
        }
        if outcome.actions.iter().any(|a| {
            matches!(
                a,
                Action::Create {
                    object: Object::PersistentVolume(_),
                    ..
                }
            )
        }) {
            self.ctl.provisioning.remove(&uid);
        }
        outcome.actions
    }

    /// `kubernetes.io/pvc-protection`: a deleted claim goes once no pod uses it.
    fn finalize_claim(&self, claim: &PersistentVolumeClaim) -> Vec<Action> {
        let in_use = self
            .store
            .list(Kind::Pod, Some(claim.metadata.ns()))
            .filter_map(|o| o.as_pod())
            .any(|p| !p.is_terminal() && ctl::volume::claims_of(p).contains(&claim.metadata.name));
        if in_use {
            return Vec::new();
        }
        vec![Action::Remove(ObjKey::new(
            Kind::PersistentVolumeClaim,
            claim.metadata.ns(),
            &claim.metadata.name,
        ))]
    }

    /// `rancher.io/local-path_<provisioner pod>_<id>`, the component name of the provisioner's
    /// events, while its pod runs.
    fn provisioner_identity(&self) -> Option<&'static str> {
        let pod = self
            .store
            .list(Kind::Pod, Some("local-path-storage"))
            .filter_map(|o| o.as_pod())
            .find(|p| {
                p.metadata.labels.get("app").map(String::as_str) == Some("local-path-provisioner")
                    && p.phase() == "Running"
            })?;
        let id = derived_uid(&[pod.metadata.uid(), "provisioner"]);
        Some(intern(&format!(
            "{}_{}_{}",
            ctl::volume::LOCAL_PATH,
            pod.metadata.name,
            id
        )))
    }

    /// An ingress controller publishes an address once it serves the Ingress's class: kind's
    /// ingress-nginx (`--publish-status-address=localhost`, running in the `ingress-nginx`
    /// namespace) reports `localhost`.
    fn sync_ingress(&self, key: &ObjKey) -> Vec<Action> {
        let Some(ing) = self.store.get(key).and_then(|o| o.as_ingress().cloned()) else {
            return Vec::new();
        };
        let class = match ing.spec.ingress_class_name.as_deref() {
            Some(n) => self
                .store
                .get(&ObjKey::new(Kind::IngressClass, "", n))
                .and_then(|o| o.as_ingressclass().cloned()),
            None => self
                .store
                .list(Kind::IngressClass, None)
                .filter_map(|o| o.as_ingressclass())
                .find(|c| {
                    c.metadata
                        .annotations
                        .get("ingressclass.kubernetes.io/is-default-class")
                        .map(String::as_str)
                        == Some("true")
                })
                .cloned(),
        };
        let served = class.is_some_and(|c| c.spec.controller.as_deref() == Some("k8s.io/ingress-nginx"))
            && self
                .store
                .list(Kind::Pod, Some("ingress-nginx"))
                .filter_map(|o| o.as_pod())
                .any(|p| {
                    p.metadata.labels.get("app.kubernetes.io/name").map(String::as_str) == Some("ingress-nginx")
                        && p.is_ready()
                });
        let want: Vec<IngressLoadBalancerIngress> = if served {
            vec![IngressLoadBalancerIngress {
                hostname: Some("localhost".into()),
                ..Default::default()
            }]
        } else {
            Vec::new()
        };
        if ing.status.load_balancer.ingress == want {
            return Vec::new();
        }
        let mut next = ing;
        next.status.load_balancer.ingress = want;
        vec![Action::UpdateStatus(Object::Ingress(next))]
    }

    /// Admission steps that need cluster state; runs after the uid is assigned.
    pub(super) fn admit_ctl(&mut self, obj: &mut Object) -> Result<(), ApiError> {
        self.ctl.warnings.clear();
        // The StorageObjectInUseProtection admission plugin: every claim and volume carries its
        // protection finalizer from the start (`Finalizers: [kubernetes.io/pvc-protection]` in
        // `describe pvc`), so deleting one in use waits (see `finalize_claim`).
        let protection = match obj.kind() {
            Kind::PersistentVolumeClaim => Some(ctl::volume::PVC_PROTECTION),
            Kind::PersistentVolume => Some(ctl::volume::PV_PROTECTION),
            _ => None,
        };
        if let Some(f) = protection {
            let fs = &mut obj.meta_mut().finalizers;
            if !fs.iter().any(|x| x == f) {
                fs.push(f.into());
            }
        }
        match obj {
            Object::Job(j) => ctl::job::generate_selector(j),
            Object::PersistentVolumeClaim(c) if c.spec.storage_class_name.is_none() => {
                // The DefaultStorageClass admission plugin: the newest default class.
                let default = self
                    .store
                    .list(Kind::StorageClass, None)
                    .filter_map(|o| o.as_storageclass())
                    .filter(|s| s.is_default())
                    .max_by(|a, b| {
                        a.metadata
                            .creation_timestamp
                            .cmp(&b.metadata.creation_timestamp)
                            .then(b.metadata.name.cmp(&a.metadata.name))
                    })
                    .map(|s| s.metadata.name.clone());
                c.spec.storage_class_name = default;
            }
            Object::Pod(p) => {
                self.admit_limit_ranges(p)?;
                self.admit_pod_security(p)?;
            }
            _ => self.warn_pod_security(obj),
        }
        let ns = obj.namespace().to_string();
        if obj.kind().info().namespaced && self.ctl.quota_usage.contains_key(&ns) {
            let quotas: Vec<Arc<Object>> = self.store.list(Kind::ResourceQuota, Some(&ns)).cloned().collect();
            let qs: Vec<&ResourceQuota> = quotas.iter().filter_map(|o| o.as_resourcequota()).collect();
            let used = self.ctl.quota_usage.get(&ns).cloned().unwrap_or_default();
            if let Err(msg) = ctl::quota::admit(obj, &qs, &used) {
                return Err(ApiError::forbidden(format!(
                    "{} \"{}\" is forbidden: {msg}",
                    obj.kind().info().plural,
                    obj.name()
                )));
            }
        }
        Ok(())
    }

    /// Pod Security Admission for a pod: the enforced level refuses, the warn level warns.
    fn admit_pod_security(&mut self, p: &Pod) -> Result<(), ApiError> {
        let Some(ns) = self
            .store
            .get(&ObjKey::new(Kind::Namespace, "", p.metadata.ns()))
            .and_then(|o| o.as_namespace().cloned())
        else {
            return Ok(());
        };
        if let Some((level, version)) = crate::psa::level_of(&ns, crate::psa::ENFORCE) {
            let v = crate::psa::check(level, &p.spec);
            if !v.is_empty() {
                return Err(ApiError::forbidden(format!(
                    "pods \"{}\" is forbidden: violates PodSecurity \"{}:{version}\": {}",
                    p.metadata.name,
                    level.name(),
                    crate::psa::describe(&v)
                )));
            }
        }
        if let Some((level, version)) = crate::psa::level_of(&ns, crate::psa::WARN) {
            let v = crate::psa::check(level, &p.spec);
            if !v.is_empty() {
                self.ctl.warnings.push(format!(
                    "would violate PodSecurity \"{}:{version}\": {}",
                    level.name(),
                    crate::psa::describe(&v)
                ));
            }
        }
        Ok(())
    }

    /// Workload templates are only warned about, against both the enforce and warn levels.
    fn warn_pod_security(&mut self, obj: &Object) {
        let spec = match obj {
            Object::Deployment(d) => &d.spec.template.spec,
            Object::ReplicaSet(r) => &r.spec.template.spec,
            Object::StatefulSet(s) => &s.spec.template.spec,
            Object::DaemonSet(d) => &d.spec.template.spec,
            Object::Job(j) => &j.spec.template.spec,
            Object::CronJob(c) => &c.spec.job_template.spec.template.spec,
            _ => return,
        };
        let Some(ns) = self
            .store
            .get(&ObjKey::new(Kind::Namespace, "", obj.namespace()))
            .and_then(|o| o.as_namespace().cloned())
        else {
            return;
        };
        let mut seen = Vec::new();
        for mode in [crate::psa::ENFORCE, crate::psa::WARN] {
            let Some((level, version)) = crate::psa::level_of(&ns, mode) else {
                continue;
            };
            if seen.contains(&(level, version.clone())) {
                continue;
            }
            seen.push((level, version.clone()));
            let v = crate::psa::check(level, spec);
            if !v.is_empty() {
                self.ctl.warnings.push(format!(
                    "would violate PodSecurity \"{}:{version}\": {}",
                    level.name(),
                    crate::psa::describe(&v)
                ));
            }
        }
    }

    /// Labelling a namespace with a new enforce level warns about the pods already violating it.
    fn warn_existing_pods(&mut self, ns: &Namespace) {
        let Some((level, version)) = crate::psa::level_of(ns, crate::psa::ENFORCE) else {
            return;
        };
        // `EvaluatePodsInNamespace`: pods with the same violations share one warning, named
        // after the lexically first of them (`a (and 4 other pods): …`); warnings sorted.
        let mut by_reason: BTreeMap<String, (String, usize)> = BTreeMap::new();
        for p in self
            .store
            .list(Kind::Pod, Some(&ns.metadata.name))
            .filter_map(|o| o.as_pod())
        {
            let v = crate::psa::check(level, &p.spec);
            if !v.is_empty() {
                let reasons: Vec<&str> = v.iter().map(|x| x.reason.as_str()).collect();
                let entry = by_reason
                    .entry(reasons.join(", "))
                    .or_insert_with(|| (p.metadata.name.clone(), 0));
                if p.metadata.name < entry.0 {
                    entry.0 = p.metadata.name.clone();
                }
                entry.1 += 1;
            }
        }
        let mut offenders: Vec<String> = by_reason
            .into_iter()
            .map(|(reason, (first, count))| match count {
                1 => format!("{first}: {reason}"),
                2 => format!("{first} (and 1 other pod): {reason}"),
                n => format!("{first} (and {} other pods): {reason}", n - 1),
            })
            .collect();
        offenders.compact_sort();
        if !offenders.is_empty() {
            self.ctl.warnings.push(format!(
                "existing pods in namespace \"{}\" violate the new PodSecurity enforce level \"{}:{version}\"",
                ns.metadata.name,
                level.name()
            ));
            self.ctl.warnings.extend(offenders);
        }
    }

    /// The LimitRanger admission plugin: container defaults from the namespace's LimitRanges,
    /// then their min/max bounds.
    fn admit_limit_ranges(&mut self, p: &mut Pod) -> Result<(), ApiError> {
        let ranges: Vec<Arc<Object>> = self
            .store
            .list(Kind::LimitRange, Some(p.metadata.ns()))
            .cloned()
            .collect();
        if ranges.is_empty() {
            return Ok(());
        }
        let q = |v: &serde_json::Value| match v {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        let milli = |v: &serde_json::Value| crate::quantity::parse_milli(&q(v));
        let mut notes: Vec<String> = Vec::new();
        let mut errs: Vec<String> = Vec::new();
        for lr in ranges.iter().filter_map(|o| o.as_limitrange()) {
            for item in lr.spec.limits.iter().filter(|i| i.type_ == "Container") {
                let spec = &mut *p.spec;
                for c in spec.containers.iter_mut().chain(spec.init_containers.iter_mut()) {
                    let mut req_set = Vec::new();
                    let mut lim_set = Vec::new();
                    for (k, v) in &item.default {
                        if !c.resources.limits.contains_key(k) {
                            c.resources.limits.insert(k.clone(), v.clone());
                            lim_set.push(k.clone());
                        }
                    }
                    for (k, v) in &item.default_request {
                        if !c.resources.requests.contains_key(k) {
                            c.resources.requests.insert(k.clone(), v.clone());
                            req_set.push(k.clone());
                        }
                    }
                    if !req_set.is_empty() {
                        notes.push(format!("{} request for container {}", req_set.join(", "), c.name));
                    }
                    if !lim_set.is_empty() {
                        notes.push(format!("{} limit for container {}", lim_set.join(", "), c.name));
                    }
                    for (k, max) in &item.max {
                        match c.resources.limits.get(k) {
                            Some(l) if milli(l) > milli(max) => errs.push(format!(
                                "maximum {k} usage per Container is {}, but limit is {}",
                                q(max),
                                q(l)
                            )),
                            None => errs.push(format!(
                                "maximum {k} usage per Container is {}.  No limit is specified",
                                q(max)
                            )),
                            _ => {}
                        }
                    }
                    for (k, min) in &item.min {
                        match c.resources.requests.get(k) {
                            Some(r) if milli(r) < milli(min) => errs.push(format!(
                                "minimum {k} usage per Container is {}, but request is {}",
                                q(min),
                                q(r)
                            )),
                            None => errs.push(format!(
                                "minimum {k} usage per Container is {}.  No request is specified",
                                q(min)
                            )),
                            _ => {}
                        }
                    }
                }
            }
        }
        if !errs.is_empty() {
            let msg = if errs.len() == 1 {
                errs.remove(0)
            } else {
                format!("[{}]", errs.join(", "))
            };
            return Err(ApiError::forbidden(format!(
                "pods \"{}\" is forbidden: {msg}",
                p.metadata.name
            )));
        }
        if !notes.is_empty() {
            p.metadata.annotations.insert(
                "kubernetes.io/limit-ranger".into(),
                format!("LimitRanger plugin set: {}", notes.join("; ")),
            );
            p.status.qos_class = Some(admission::qos_class(&p.spec).into());
        }
        Ok(())
    }

    /// Creates `obj` unless it exists, with a uid derived from its kind, namespace and name (and
    /// owner), so objects the control plane keeps in place do not consume the RNG.
    pub(crate) fn ensure(&mut self, mut obj: Object) {
        let key = ObjKey::of(&obj);
        if self.store.get(&key).is_some() {
            return;
        }
        if key.kind.info().namespaced
            && self
                .store
                .get(&ObjKey::new(Kind::Namespace, "", &key.namespace))
                .is_none_or(|n| n.meta().is_deleting())
        {
            return;
        }
        let owner = obj
            .meta()
            .owner_references
            .first()
            .map(|r| r.uid.clone())
            .unwrap_or_default();
        // The time keeps a re-created object (a deleted `default` account) from reusing a uid.
        let uid = derived_uid(&[
            key.kind.info().kind,
            &key.namespace,
            &key.name,
            &owner,
            &self.now().0.to_string(),
        ]);
        admission::apply_defaults(&mut obj);
        let now = self.now();
        let m = obj.meta_mut();
        m.uid = Some(uid);
        m.creation_timestamp = Some(Timestamp(now));
        m.resource_version = None;
        if has_generation(key.kind) {
            m.generation = Some(1);
        }
        self.write(obj);
    }

    // ----- finalizers ---------------------------------------------------------------------

    /// Deleting an object with finalizers only marks it (`deletionTimestamp`); it goes when
    /// the last finalizer is removed (the claim and volume protection controllers remove
    /// theirs). Pods and namespaces have their own deletion paths.
    pub(super) fn delete_with_finalizers(&mut self, old: &Arc<Object>) -> Option<Arc<Object>> {
        if old.meta().finalizers.is_empty() || matches!(old.kind(), Kind::Pod | Kind::Namespace) {
            return None;
        }
        if old.meta().is_deleting() {
            return Some(old.clone());
        }
        let mut next = (**old).clone();
        next.meta_mut().deletion_timestamp = Some(Timestamp(self.now()));
        next.meta_mut().deletion_grace_period_seconds = Some(0);
        Some(self.write(next))
    }

    /// An update that removed the last finalizer of a deleted object completes the deletion.
    pub(super) fn finish_if_finalized(&mut self, o: &Arc<Object>) {
        let m = o.meta();
        if m.is_deleting() && m.finalizers.is_empty() && !matches!(o.kind(), Kind::Pod | Kind::Namespace) {
            self.remove(&ObjKey::of(o));
        }
    }

    // ----- the scheduler's VolumeBinding plugin ------------------------------------------

    /// Checks a pod's claims before it is placed; see [`ctl::volume::gate`].
    pub(super) fn volume_gate(&self, pod: &Pod) -> ctl::volume::VolumeGate {
        let ns = pod.metadata.ns();
        ctl::volume::gate(pod, |claim| {
            let c = self
                .store
                .get(&ObjKey::new(Kind::PersistentVolumeClaim, ns, claim))
                .and_then(|o| o.as_pvc());
            let class = c
                .and_then(|c| c.spec.storage_class_name.as_deref())
                .filter(|n| !n.is_empty())
                .and_then(|n| self.store.get(&ObjKey::new(Kind::StorageClass, "", n)))
                .and_then(|o| o.as_storageclass());
            let pv = c
                .and_then(|c| c.spec.volume_name.as_deref())
                .and_then(|n| self.store.get(&ObjKey::new(Kind::PersistentVolume, "", n)))
                .and_then(|o| o.as_pv());
            (c, class, pv)
        })
    }

    /// The scheduler chose `node` for a pod whose `WaitForFirstConsumer` claims are unbound:
    /// it records the choice on the claims (`volume.kubernetes.io/selected-node`) and leaves the
    /// pod pending until they are bound.
    pub(super) fn select_node_for_claims(&mut self, ns: &str, claims: &[String], node: &str) {
        for name in claims {
            let k = ObjKey::new(Kind::PersistentVolumeClaim, ns, name);
            let Some(mut c) = self.store.get(&k).and_then(|o| o.as_pvc().cloned()) else {
                continue;
            };
            c.metadata
                .annotations
                .insert(ctl::volume::SELECTED_NODE.into(), node.into());
            c.metadata.resource_version = None;
            let _ = self.update(Object::PersistentVolumeClaim(c));
        }
    }

    /// A pod that cannot be placed for a reason found before any node was looked at
    /// (`PreFilter` failures: missing or unbound claims).
    pub(super) fn prefilter_failed(&mut self, key: &ObjKey, pod: &Pod, reason: &str) {
        let n = self.nodes().len();
        let message = format!(
            "0/{n} nodes are available: {reason}. preemption: 0/{n} nodes are available: {n} Preemption is not helpful for scheduling."
        );
        self.mark_unschedulable(key, pod, message);
    }

    /// Records that the scheduler could not place `pod`: the `PodScheduled=False` condition with
    /// reason `Unschedulable`, and a `FailedScheduling` warning event with the same message.
    pub(super) fn mark_unschedulable(&mut self, key: &ObjKey, pod: &Pod, message: String) {
        let mut p = pod.clone();
        set_condition(
            &mut p.status.conditions,
            Condition {
                last_probe_time: Some(NullTime(None)),
                last_transition_time: Some(Timestamp(self.now())),
                message: Some(message.clone()),
                reason: Some("Unschedulable".into()),
                status: "False".into(),
                type_: "PodScheduled".into(),
                ..Default::default()
            },
        );
        if p != *pod {
            self.write(Object::Pod(p));
        }
        self.record(EventSpec::warning(
            key.clone(),
            "default-scheduler",
            "FailedScheduling",
            message,
        ));
    }

    // ----- public API ---------------------------------------------------------------------

    /// The files of a persistent volume, shared by every pod that mounts it and kept when pods
    /// come and go (until the volume is reclaimed). NFS volumes are keyed by server and path, so
    /// two volumes on one export share their files, as they would; a `hostPath` volume pinned
    /// to a node (local-path) is that node's directory (see [`volume_manager::data_key`]).
    /// `None` until something was written.
    pub fn volume_data(&self, pv: &str) -> Option<&crate::vfs::Layer> {
        let v = self.store.get(&ObjKey::new(Kind::PersistentVolume, "", pv))?.as_pv()?;
        self.ctl.volumes.get(&volume_manager::data_key(v, ""))
    }

    /// Mutable access to a persistent volume's files (created empty on first use); `None` if
    /// there is no such volume.
    pub fn volume_data_mut(&mut self, pv: &str) -> Option<&mut crate::vfs::Layer> {
        let v = self.store.get(&ObjKey::new(Kind::PersistentVolume, "", pv))?.as_pv()?;
        let k = volume_manager::data_key(v, "");
        Some(self.ctl.volumes.entry(k).or_default())
    }

    /// The files of node `node`'s directory `path` (`hostPath`), if anything was written there.
    pub fn host_path_data(&self, node: &str, path: &str) -> Option<&crate::vfs::Layer> {
        self.ctl.volumes.get(&volume_manager::host_key(node, path))
    }

    /// The PersistentVolume bound to claim `claim` in `namespace`, if it is bound.
    pub fn claim_volume(&self, namespace: &str, claim: &str) -> Option<String> {
        let c = self
            .store
            .get(&ObjKey::new(Kind::PersistentVolumeClaim, namespace, claim))?
            .as_pvc()?;
        let v = c.spec.volume_name.clone()?;
        self.store.get(&ObjKey::new(Kind::PersistentVolume, "", &v))?;
        Some(v)
    }

    /// Warnings the API server attached to the last create (`Warning: would violate
    /// PodSecurity …`); kubectl prints them on stderr before the result line.
    pub fn take_warnings(&mut self) -> Vec<String> {
        std::mem::take(&mut self.ctl.warnings)
    }

    /// The Eviction API (`POST pods/<name>/eviction`, what `kubectl drain` uses): deletes the
    /// pod unless a PodDisruptionBudget covering it allows no disruption right now, in which
    /// case it answers 429 `Cannot evict pod as it would violate the pod's disruption budget.`
    pub fn evict(&mut self, namespace: &str, name: &str) -> Result<(), ApiError> {
        let key = ObjKey::new(Kind::Pod, namespace, name);
        let Some(obj) = self.store.get(&key).cloned() else {
            return Err(ApiError::not_found(Kind::Pod, name));
        };
        let Some(pod) = obj.as_pod() else {
            return Err(ApiError::not_found(Kind::Pod, name));
        };
        if pod.metadata.is_deleting() || pod.is_terminal() {
            self.delete(Kind::Pod, namespace, name, DeleteOptions::default())?;
            return Ok(());
        }
        let pdbs: Vec<PodDisruptionBudget> = self
            .store
            .list(Kind::PodDisruptionBudget, Some(namespace))
            .filter_map(|o| o.as_pdb())
            .filter(|b| {
                b.spec.selector.as_ref().is_some_and(|s| {
                    crate::selector::Selector::from_label_selector(s).is_ok_and(|s| s.matches(&pod.metadata.labels))
                })
            })
            .cloned()
            .collect();
        if pdbs.len() > 1 {
            return Err(ApiError::internal(
                "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.",
            ));
        }
        if let Some(pdb) = pdbs.into_iter().next() {
            // An unready pod may go while the budget is met (`IfHealthyBudget`).
            let budget_met = pdb.status.current_healthy >= pdb.status.desired_healthy;
            let allowed = if pod.is_ready() {
                pdb.status.disruptions_allowed > 0
            } else {
                budget_met
            };
            if !allowed {
                return Err(ApiError::too_many_requests(
                    "Cannot evict pod as it would violate the pod's disruption budget.",
                ));
            }
            if pod.is_ready() {
                let mut next = pdb.clone();
                next.status.disruptions_allowed -= 1;
                next.status
                    .disrupted_pods
                    .insert(name.to_string(), Timestamp(self.now()));
                self.update_status(Object::PodDisruptionBudget(next))?;
            }
        }
        self.delete(Kind::Pod, namespace, name, DeleteOptions::default())?;
        Ok(())
    }
}

/// Event components are `&'static str`; the few dynamic ones (the provisioner's identity) are
/// interned once.
fn intern(s: &str) -> &'static str {
    use std::sync::{Mutex, OnceLock};
    static NAMES: OnceLock<Mutex<std::collections::BTreeSet<&'static str>>> = OnceLock::new();
    let mut names = NAMES
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    if let Some(n) = names.get(s) {
        return n;
    }
    let leaked: &'static str = Box::leak(s.to_string().into_boxed_str());
    names.insert(leaked);
    leaked
}

/// A UUID v4-shaped id from a stable hash of `parts`.
pub(crate) fn derived_uid(parts: &[&str]) -> String {
    let a = crate::names::stable_hash(parts);
    let b = crate::names::stable_hash(&[&a.to_string(), "uid"]);
    let a = (a & 0xFFFF_FFFF_FFFF_0FFF) | 0x4000;
    let b = (b & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000;
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xFFFF,
        a & 0xFFFF,
        b >> 48,
        b & 0xFFFF_FFFF_FFFF
    )
}

/// Kinds whose strategy sets `metadata.generation` (those with a spec a controller observes).
pub(super) fn has_generation(kind: Kind) -> bool {
    matches!(
        kind,
        Kind::StatefulSet
            | Kind::DaemonSet
            | Kind::Job
            | Kind::CronJob
            | Kind::PodDisruptionBudget
            | Kind::Ingress
            | Kind::IngressClass
    )
}

pub(super) fn spec_changed(old: &Object, new: &Object) -> bool {
    match (old, new) {
        (Object::StatefulSet(a), Object::StatefulSet(b)) => a.spec != b.spec,
        (Object::DaemonSet(a), Object::DaemonSet(b)) => a.spec != b.spec,
        (Object::Job(a), Object::Job(b)) => a.spec != b.spec,
        (Object::CronJob(a), Object::CronJob(b)) => a.spec != b.spec,
        (Object::PodDisruptionBudget(a), Object::PodDisruptionBudget(b)) => a.spec != b.spec,
        (Object::Ingress(a), Object::Ingress(b)) => a.spec != b.spec,
        (Object::IngressClass(a), Object::IngressClass(b)) => a.spec != b.spec,
        _ => false,
    }
}

/// The `/status` subresource of these kinds: the stored object with `new`'s status. `Err`
/// gives `new` back for kinds without one.
pub(super) fn with_status(old: &Object, new: Object) -> Result<Object, Box<Object>> {
    Ok(match (old, new) {
        (Object::StatefulSet(a), Object::StatefulSet(b)) => Object::StatefulSet(StatefulSet {
            status: b.status,
            ..a.clone()
        }),
        (Object::DaemonSet(a), Object::DaemonSet(b)) => Object::DaemonSet(DaemonSet {
            status: b.status,
            ..a.clone()
        }),
        (Object::Job(a), Object::Job(b)) => Object::Job(Job {
            status: b.status,
            ..a.clone()
        }),
        (Object::CronJob(a), Object::CronJob(b)) => Object::CronJob(CronJob {
            status: b.status,
            ..a.clone()
        }),
        (Object::PersistentVolume(a), Object::PersistentVolume(b)) => Object::PersistentVolume(PersistentVolume {
            status: b.status,
            ..a.clone()
        }),
        (Object::PersistentVolumeClaim(a), Object::PersistentVolumeClaim(b)) => {
            Object::PersistentVolumeClaim(PersistentVolumeClaim {
                status: b.status,
                ..a.clone()
            })
        }
        (Object::PodDisruptionBudget(a), Object::PodDisruptionBudget(b)) => {
            Object::PodDisruptionBudget(PodDisruptionBudget {
                status: b.status,
                ..a.clone()
            })
        }
        (Object::ResourceQuota(a), Object::ResourceQuota(b)) => Object::ResourceQuota(ResourceQuota {
            status: b.status,
            ..a.clone()
        }),
        (Object::Ingress(a), Object::Ingress(b)) => Object::Ingress(Ingress {
            status: b.status,
            ..a.clone()
        }),
        (_, o) => return Err(Box::new(o)),
    })
}

/// A client's update never changes the status of these kinds (it goes through `/status`); the
/// DaemonSet template generation annotation follows template changes.
pub(super) fn carry_status(old: &Object, new: &mut Object) {
    match (old, new) {
        (Object::StatefulSet(a), Object::StatefulSet(b)) => b.status = a.status.clone(),
        (Object::DaemonSet(a), Object::DaemonSet(b)) => {
            b.status = a.status.clone();
            let mut gen = a
                .metadata
                .annotations
                .get(DS_TEMPLATE_GENERATION)
                .cloned()
                .unwrap_or_else(|| "1".into());
            if a.spec.template != b.spec.template {
                gen = (a.metadata.generation.unwrap_or(1) + 1).to_string();
            }
            b.metadata.annotations.insert(DS_TEMPLATE_GENERATION.into(), gen);
        }
        (Object::Job(a), Object::Job(b)) => b.status = a.status.clone(),
        (Object::CronJob(a), Object::CronJob(b)) => b.status = a.status.clone(),
        (Object::PersistentVolume(a), Object::PersistentVolume(b)) => b.status = a.status.clone(),
        (Object::PersistentVolumeClaim(a), Object::PersistentVolumeClaim(b)) => b.status = a.status.clone(),
        (Object::PodDisruptionBudget(a), Object::PodDisruptionBudget(b)) => b.status = a.status.clone(),
        (Object::ResourceQuota(a), Object::ResourceQuota(b)) => b.status = a.status.clone(),
        (Object::Ingress(a), Object::Ingress(b)) => b.status = a.status.clone(),
        _ => {}
    }
}

/// `deprecated.daemonset.template.generation`: the generation of the DaemonSet's template.
pub const DS_TEMPLATE_GENERATION: &str = "deprecated.daemonset.template.generation";

/// Update rules of these kinds (apps/batch/core validation `ValidateXUpdate`).
pub(super) fn check_immutable(old: &Object, new: &Object) -> Result<(), ApiError> {
    let invalid =
        |kind: Kind, name: &str, msg: String| Err(ApiError::invalid(kind, name, vec![crate::error::FieldError(msg)]));
    match (old, new) {
        (Object::StatefulSet(a), Object::StatefulSet(b)) => {
            // Everything but these fields is fixed after creation.
            let strip = |s: &StatefulSetSpec| StatefulSetSpec {
                replicas: None,
                ordinals: None,
                template: Default::default(),
                update_strategy: Default::default(),
                persistent_volume_claim_retention_policy: None,
                min_ready_seconds: None,
                ..s.clone()
            };
            if strip(&a.spec) != strip(&b.spec) {
                return invalid(
                    Kind::StatefulSet,
                    &b.metadata.name,
                    "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden".into(),
                );
            }
        }
        (Object::DaemonSet(a), Object::DaemonSet(b)) if a.spec.selector != b.spec.selector => {
            return invalid(
                Kind::DaemonSet,
                &b.metadata.name,
                format!(
                    "spec.selector: Invalid value: {}: field is immutable",
                    go_label_selector(&b.spec.selector)
                ),
            );
        }
        (Object::Job(a), Object::Job(b)) if a.spec.selector != b.spec.selector && a.spec.selector.is_some() => {
            let sel = b.spec.selector.clone().unwrap_or_default();
            return invalid(
                Kind::Job,
                &b.metadata.name,
                format!(
                    "spec.selector: Invalid value: {}: field is immutable",
                    go_label_selector(&sel)
                ),
            );
        }
        (Object::Job(a), Object::Job(b)) if a.spec.completions != b.spec.completions => {
            let shown = b.spec.completions.map_or("null".into(), |c| c.to_string());
            return invalid(
                Kind::Job,
                &b.metadata.name,
                format!("spec.completions: Invalid value: {shown}: field is immutable"),
            );
        }
        (Object::ConfigMap(a), Object::ConfigMap(b)) if a.immutable == Some(true) => {
            if a.data != b.data || a.binary_data != b.binary_data {
                return invalid(
                    Kind::ConfigMap,
                    &b.metadata.name,
                    "data: Forbidden: field is immutable when `immutable` is set".into(),
                );
            }
            if b.immutable != Some(true) {
                return invalid(
                    Kind::ConfigMap,
                    &b.metadata.name,
                    "immutable: Forbidden: field is immutable when `immutable` is set".into(),
                );
            }
        }
        (Object::Secret(a), Object::Secret(b)) => {
            if a.type_() != b.type_() {
                return invalid(
                    Kind::Secret,
                    &b.metadata.name,
                    format!("type: Invalid value: \"{}\": field is immutable", b.type_()),
                );
            }
            if a.immutable == Some(true) {
                if a.data != b.data {
                    return invalid(
                        Kind::Secret,
                        &b.metadata.name,
                        "data: Forbidden: field is immutable when `immutable` is set".into(),
                    );
                }
                if b.immutable != Some(true) {
                    return invalid(
                        Kind::Secret,
                        &b.metadata.name,
                        "immutable: Forbidden: field is immutable when `immutable` is set".into(),
                    );
                }
            }
        }
        (Object::PersistentVolumeClaim(a), Object::PersistentVolumeClaim(b)) => {
            let strip = |s: &PersistentVolumeClaimSpec| PersistentVolumeClaimSpec {
                resources: Default::default(),
                volume_attributes_class_name: None,
                volume_name: None,
                ..s.clone()
            };
            if strip(&a.spec) != strip(&b.spec)
                || (a.spec.volume_name.is_some() && a.spec.volume_name != b.spec.volume_name)
            {
                return invalid(
                    Kind::PersistentVolumeClaim,
                    &b.metadata.name,
                    "spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims".into(),
                );
            }
        }
        _ => {}
    }
    Ok(())
}
