//! The cluster world: store, clock, RNG, controllers and kubelets in one plain value.
//!
//! Everything outside the engine drives it through this API only: API-server verbs (`create`,
//! `update`, `delete`, `get`, `list`) and time (`advance`, `run_until`). Cloning a `Cluster` is a
//! snapshot (objects are shared `Arc`s), so time travel and many sandboxes cost little.

use crate::admission;
use crate::api::*;
use crate::clock::{Clock, Wake};
use crate::controllers::{self, Action, EventSpec};
use crate::error::ApiError;
use crate::kubelet::{self, NodeAgent};
use crate::rng::SimRng;
use crate::scheduler::{self, Usage};
use crate::sort::CompactSort;
use crate::store::{ObjKey, Store};
use crate::time::{SimTime, Timestamp};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
use std::sync::Arc;

mod control;

/// How a cluster is made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClusterConfig {
    pub seed: u64,
    /// Worker nodes besides the control plane.
    pub workers: u32,
}

impl Default for ClusterConfig {
    fn default() -> Self {
        ClusterConfig { seed: 1, workers: 3 }
    }
}

/// How `delete` treats dependents (`--cascade`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Propagation {
    #[default]
    Background,
    Orphan,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DeleteOptions {
    /// `--grace-period`; None uses the object's own.
    pub grace_period: Option<i64>,
    pub propagation: Propagation,
}

/// Work the runtime owes a controller.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Work {
    Deployment(ObjKey),
    ReplicaSet(ObjKey),
    Endpoints(ObjKey),
    Schedule(ObjKey),
    Kubelet(String),
    Collect(String),
    /// A terminating namespace: finish it once it is empty.
    Namespace(String),
    /// Workload, storage and policy controllers (`cluster/control.rs`).
    Ctl(control::CtlWork),
}

/// Kubelet wakeups are rounded up to this period (see `run`).
const KUBELET_TICK_MS: u64 = 100;

/// A guard against controllers that never settle: the most work items one `settle` may run.
const MAX_WORK_PER_SETTLE: usize = 2_000_000;

#[derive(Clone, Debug)]
pub struct Cluster {
    config: ClusterConfig,
    store: Store,
    clock: Clock,
    rng: SimRng,
    queue: VecDeque<Work>,
    /// What `queue` holds, for de-duplication. Only looked up, never iterated, so a hash set
    /// cannot change the order of anything (a tree costs a string compare per level).
    queued: HashSet<Work>,
    agents: BTreeMap<String, NodeAgent>,
    /// Node name -> a small index (grows only), so per-node scheduler state is a vector.
    node_ids: BTreeMap<String, usize>,
    /// Requests of the pods bound to each node, by node index.
    usage: Vec<Usage>,
    /// Aggregation key (subject uid, reason, message, component) -> event, so repeats count up.
    /// Only looked up, never iterated.
    event_index: HashMap<(String, String, String, &'static str), ObjKey>,
    service_ips: BTreeSet<u32>,
    node_ports: BTreeSet<i64>,
    /// controller uid -> bound pods it owns on each node, by node index (the scheduler's
    /// spreading input).
    spread: BTreeMap<String, Spread>,
    /// Where the scheduler starts its next node search (kube's `nextStartNodeIndex`).
    next_start_node: usize,
    /// The earliest pending requeue per object.
    requeues: BTreeMap<ObjKey, SimTime>,
    /// Nodes with their parsed allocatable resources; rebuilt when a node changes.
    node_cache: Option<Arc<Vec<CachedNode>>>,
    /// State of the controllers wired in `cluster/control.rs` (volume data, API warnings).
    ctl: control::State,
}

/// A node as the scheduler sees it, parsed once per node change.
#[derive(Clone, Debug)]
struct CachedNode {
    object: Arc<Object>,
    allocatable: Usage,
    name_hash: u64,
    /// The node's index in `usage` and `Spread::per_node`.
    id: usize,
}

/// How many pods of one controller are bound to each node.
#[derive(Clone, Debug, Default)]
struct Spread {
    total: i64,
    per_node: Vec<i64>,
}

impl Cluster {
    /// A new cluster, bootstrapped and settled: nodes Ready, system pods Running, the
    /// `kubernetes` service at 10.96.0.1. The clock then stands a few minutes after bootstrap.
    ///
    /// Bootstrapping runs ten minutes of the control plane (a few ms natively, tens of ms in
    /// wasm), so the last small cluster made is kept and the next `new` with the same config is a
    /// clone of it (objects are shared `Arc`s): the same value a fresh bootstrap gives, as the
    /// bootstrap is deterministic. Lesson resets, embedded sandboxes and tests start at once.
    pub fn new(config: ClusterConfig) -> Self {
        /// Clusters up to this many workers are kept for reuse (a big one would pin memory).
        const REUSE_MAX_WORKERS: u32 = 16;
        thread_local! {
            static LAST: std::cell::RefCell<Option<Cluster>> = const { std::cell::RefCell::new(None) };
        }
        if let Some(c) = LAST.with(|l| l.borrow().as_ref().filter(|c| c.config == config).cloned()) {
            return c;
        }
        let c = Cluster::bootstrapped(config);
        if c.config.workers <= REUSE_MAX_WORKERS {
            LAST.with(|l| *l.borrow_mut() = Some(c.clone()));
        }
        c
    }

    fn bootstrapped(config: ClusterConfig) -> Self {
        let mut c = Cluster {
            rng: SimRng::new(config.seed),
            config,
            store: Store::default(),
            clock: Clock::default(),
            queue: VecDeque::new(),
            queued: HashSet::new(),
            agents: BTreeMap::new(),
            node_ids: BTreeMap::new(),
            usage: Vec::new(),
            event_index: HashMap::new(),
            service_ips: BTreeSet::new(),
            node_ports: BTreeSet::new(),
            spread: BTreeMap::new(),
            next_start_node: 0,
            requeues: BTreeMap::new(),
            node_cache: None,
            ctl: Default::default(),
        };
        crate::bootstrap::bootstrap(&mut c);
        c.advance(crate::bootstrap::UPTIME_MS);
        c
    }

    pub fn config(&self) -> &ClusterConfig {
        &self.config
    }

    pub fn now(&self) -> SimTime {
        self.clock.now()
    }

    /// Read access to every object and index.
    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn get(&self, kind: Kind, namespace: &str, name: &str) -> Option<&Arc<Object>> {
        let ns = if kind.info().namespaced { namespace } else { "" };
        self.store.get(&ObjKey::new(kind, ns, name))
    }

    pub fn list(&self, kind: Kind, namespace: Option<&str>) -> Vec<&Arc<Object>> {
        let ns = if kind.info().namespaced { namespace } else { None };
        self.store.list(kind, ns).collect()
    }

    /// Events about an object, oldest first.
    pub fn events_for(&self, uid: &str) -> Vec<&Event> {
        let mut v: Vec<&Event> = self.store.events_about(uid).filter_map(|o| o.as_event()).collect();
        v.compact_sort_by(|a, b| {
            a.first_timestamp
                .cmp(&b.first_timestamp)
                .then(a.metadata.name.cmp(&b.metadata.name))
        });
        v
    }

    // ----- API server verbs -------------------------------------------------------------

    /// Creates an object as the API server would: namespace checks, generateName, uid,
    /// timestamps, defaults, validation. Returns the stored object.
    pub fn create(&mut self, mut obj: Object) -> Result<Arc<Object>, ApiError> {
        let kind = obj.kind();
        let info = kind.info();
        if info.namespaced {
            let ns = obj.meta().namespace.clone().unwrap_or_else(|| "default".into());
            obj.meta_mut().namespace = Some(ns.clone());
            if self
                .store
                .get(&ObjKey::new(Kind::Namespace, "", &ns))
                .is_none_or(|n| n.meta().is_deleting())
            {
                if self.store.get(&ObjKey::new(Kind::Namespace, "", &ns)).is_some() {
                    return Err(ApiError::forbidden(format!(
                        "{} \"{}\" is forbidden: unable to create new content in namespace {ns} because it is being terminated",
                        info.plural,
                        obj.name()
                    )));
                }
                return Err(ApiError::not_found(Kind::Namespace, &ns));
            }
        } else {
            obj.meta_mut().namespace = None;
        }
        if obj.name().is_empty() {
            if let Some(prefix) = obj.meta().generate_name.clone() {
                let base: String = prefix.chars().take(58).collect();
                loop {
                    let candidate = format!("{base}{}", self.rng.name_suffix(5));
                    if self
                        .store
                        .get(&ObjKey::new(kind, obj.namespace(), &candidate))
                        .is_none()
                    {
                        obj.meta_mut().name = candidate;
                        break;
                    }
                }
            }
        }
        admission::apply_defaults(&mut obj);
        admission::validate(&obj)?;
        if self.store.get(&ObjKey::of(&obj)).is_some() {
            return Err(ApiError::already_exists(kind, obj.name()));
        }
        let now = self.now();
        let uid = self.rng.uuid();
        {
            let m = obj.meta_mut();
            m.uid = Some(uid);
            m.creation_timestamp = Some(Timestamp(now));
            m.resource_version = None;
            m.deletion_timestamp = None;
            if has_generation(kind) {
                m.generation = Some(1);
            }
        }
        self.on_admit(&mut obj)?;
        let stored = self.write(obj);
        Ok(stored)
    }

    /// Replaces an object (PUT). A set resourceVersion must match the stored one (optimistic
    /// concurrency); generation bumps when the spec changed.
    pub fn update(&mut self, mut obj: Object) -> Result<Arc<Object>, ApiError> {
        let key = self.key_for(&obj);
        let Some(old) = self.store.get(&key).cloned() else {
            return Err(ApiError::not_found(obj.kind(), obj.name()));
        };
        if let Some(rv) = obj.meta().resource_version.as_deref() {
            if Some(rv) != old.meta().resource_version.as_deref() {
                return Err(ApiError::conflict(obj.kind(), obj.name()));
            }
        }
        obj.meta_mut().namespace = old.meta().namespace.clone();
        admission::apply_defaults(&mut obj);
        admission::validate(&obj)?;
        check_immutable(&old, &obj)?;
        carry_system_fields(&old, &mut obj);
        if has_generation(obj.kind()) && spec_changed(&old, &obj) {
            obj.meta_mut().generation = Some(old.meta().generation.unwrap_or(1) + 1);
        }
        if *old == obj {
            return Ok(old);
        }
        let stored = self.write(obj);
        self.finish_if_finalized(&stored);
        Ok(stored)
    }

    /// Writes only an object's status (the `/status` subresource controllers and kubelets use):
    /// no defaulting or validation, spec and metadata stay as stored.
    pub fn update_status(&mut self, obj: Object) -> Result<Arc<Object>, ApiError> {
        let key = self.key_for(&obj);
        let Some(old) = self.store.get(&key).cloned() else {
            return Err(ApiError::not_found(obj.kind(), obj.name()));
        };
        let same_base = obj.meta().resource_version == old.meta().resource_version;
        let next = match (&*old, obj) {
            // Derived from the stored version: take it whole (cheap path, no re-merge).
            (_, o) if same_base => o,
            (Object::Pod(a), Object::Pod(b)) => Object::Pod(Pod {
                status: b.status,
                ..a.clone()
            }),
            (Object::Deployment(a), Object::Deployment(b)) => Object::Deployment(Deployment {
                status: b.status,
                ..a.clone()
            }),
            (Object::ReplicaSet(a), Object::ReplicaSet(b)) => Object::ReplicaSet(ReplicaSet {
                status: b.status,
                ..a.clone()
            }),
            (Object::Node(a), Object::Node(b)) => Object::Node(Node {
                status: b.status,
                ..a.clone()
            }),
            (Object::Namespace(a), Object::Namespace(b)) => Object::Namespace(Namespace {
                status: b.status,
                ..a.clone()
            }),
            (Object::Service(a), Object::Service(b)) => Object::Service(Service {
                status: b.status,
                ..a.clone()
            }),
            (old, o) => match control::with_status(old, o) {
                Ok(next) => next,
                Err(o) => return self.update(*o),
            },
        };
        if *old == next {
            return Ok(old);
        }
        Ok(self.write(next))
    }

    /// Deletes an object. Pods on a node get a grace period (they show `Terminating` until the
    /// kubelet has stopped them); everything else goes at once and the garbage collector
    /// removes its dependents.
    pub fn delete(
        &mut self,
        kind: Kind,
        namespace: &str,
        name: &str,
        opts: DeleteOptions,
    ) -> Result<Arc<Object>, ApiError> {
        let ns = if kind.info().namespaced { namespace } else { "" };
        let key = ObjKey::new(kind, ns, name);
        let Some(old) = self.store.get(&key).cloned() else {
            return Err(ApiError::not_found(kind, name));
        };
        if opts.propagation == Propagation::Orphan {
            let uid = old.meta().uid().to_string();
            let dependents: Vec<Object> = self.store.dependents(&uid).map(|o| (**o).clone()).collect();
            for mut d in dependents {
                d.meta_mut().owner_references.retain(|r| r.uid != uid);
                self.write(d);
            }
        }
        if let Object::Pod(p) = &*old {
            let grace = opts
                .grace_period
                .unwrap_or_else(|| p.spec.termination_grace_period_seconds.unwrap_or(30));
            if p.spec.node_name.is_some() && grace > 0 && !p.is_terminal() {
                if p.metadata.is_deleting() {
                    return Ok(old);
                }
                let mut next = p.clone();
                next.metadata.deletion_timestamp = Some(Timestamp(self.now().plus_secs(grace as u64)));
                next.metadata.deletion_grace_period_seconds = Some(grace);
                return Ok(self.write(Object::Pod(next)));
            }
        }
        if kind == Kind::Namespace {
            return self.delete_namespace(&old);
        }
        if let Some(marked) = self.delete_with_finalizers(&old) {
            return Ok(marked);
        }
        self.remove(&key);
        Ok(old)
    }

    /// Namespaces empty themselves: everything inside is deleted, then the namespace goes.
    fn delete_namespace(&mut self, ns: &Arc<Object>) -> Result<Arc<Object>, ApiError> {
        let name = ns.name().to_string();
        if matches!(
            name.as_str(),
            "default" | "kube-system" | "kube-public" | "kube-node-lease"
        ) {
            return Err(ApiError::forbidden(format!(
                "namespaces \"{name}\" is forbidden: this namespace may not be deleted"
            )));
        }
        let mut next = (**ns).clone();
        if let Object::Namespace(n) = &mut next {
            n.metadata.deletion_timestamp = Some(Timestamp(self.now()));
            n.status.phase = Some("Terminating".into());
        }
        let stored = self.write(next);
        let keys: Vec<ObjKey> = Kind::ALL
            .iter()
            .filter(|k| k.info().namespaced)
            .flat_map(|k| {
                self.store
                    .list(*k, Some(&name))
                    .map(|o| ObjKey::of(o))
                    .collect::<Vec<_>>()
            })
            .collect();
        for k in keys {
            let _ = self.delete(k.kind, &k.namespace, &k.name, DeleteOptions::default());
        }
        self.enqueue(Work::Namespace(name));
        Ok(stored)
    }

    // ----- time -------------------------------------------------------------------------

    /// Advances virtual time by `ms`, firing every wakeup due on the way and letting the
    /// controllers settle after each instant.
    pub fn advance(&mut self, ms: u64) {
        let target = self.now().plus_ms(ms);
        self.settle();
        while let Some(t) = self.clock.next_due().filter(|t| *t <= target) {
            while let Some(w) = self.clock.pop_due(t) {
                self.wake(w);
            }
            self.settle();
        }
        self.clock.set(target);
    }

    /// Advances in steps to each next wakeup until `done` holds or `max_ms` passed. Returns
    /// whether `done` held. Used by commands that wait (`rollout status`, `delete`, `wait`).
    pub fn run_until(&mut self, max_ms: u64, mut done: impl FnMut(&Cluster) -> bool) -> bool {
        let deadline = self.now().plus_ms(max_ms);
        self.settle();
        loop {
            if done(self) {
                return true;
            }
            match self.clock.next_due() {
                Some(t) if t <= deadline => {
                    while let Some(w) = self.clock.pop_due(t) {
                        self.wake(w);
                    }
                    self.settle();
                }
                _ => {
                    self.clock.set(deadline);
                    return done(self);
                }
            }
        }
    }

    /// The time of the next thing due, if anything is scheduled.
    pub fn next_wakeup(&self) -> Option<SimTime> {
        self.clock.next_due()
    }

    fn wake(&mut self, w: Wake) {
        match w {
            Wake::Kubelet { uid } => self.enqueue(Work::Kubelet(uid)),
            Wake::Requeue { kind, namespace, name } => {
                let key = ObjKey::new(kind, &namespace, &name);
                if self.requeues.get(&key).is_some_and(|t| *t <= self.now()) {
                    self.requeues.remove(&key);
                }
                match kind {
                    Kind::Deployment => self.enqueue(Work::Deployment(key)),
                    Kind::ReplicaSet => self.enqueue(Work::ReplicaSet(key)),
                    Kind::Service => self.enqueue(Work::Endpoints(key)),
                    Kind::Pod => self.enqueue(Work::Schedule(key)),
                    _ => {
                        if let Some(w) = control::requeue_work(key) {
                            self.enqueue(w);
                        }
                    }
                }
            }
        }
    }

    /// Runs controllers until no work is left at the current instant.
    pub fn settle(&mut self) {
        let mut budget = MAX_WORK_PER_SETTLE;
        while let Some(w) = self.queue.pop_front() {
            self.queued.remove(&w);
            self.run(w);
            budget -= 1;
            if budget == 0 {
                // A livelock would freeze the page; drop the rest and let time move on.
                self.queue.clear();
                self.queued.clear();
                break;
            }
        }
    }

    fn enqueue(&mut self, w: Work) {
        if self.queued.insert(w.clone()) {
            self.queue.push_back(w);
        }
    }

    // ----- the runtime ------------------------------------------------------------------

    fn run(&mut self, w: Work) {
        let now = self.now();
        let actions = match &w {
            Work::ReplicaSet(key) => {
                let Some(rs) = self.store.get(key).and_then(|o| o.as_replicaset().cloned()) else {
                    return;
                };
                let pods: Vec<Arc<Object>> = self
                    .store
                    .dependents(rs.metadata.uid())
                    .filter(|o| o.kind() == Kind::Pod)
                    .cloned()
                    .collect();
                let pods: Vec<&Pod> = pods.iter().filter_map(|o| o.as_pod()).collect();
                controllers::replicaset::reconcile(&rs, &pods, now)
            }
            Work::Deployment(key) => {
                let Some(d) = self.store.get(key).and_then(|o| o.as_deployment().cloned()) else {
                    return;
                };
                let owned: Vec<Arc<Object>> = self
                    .store
                    .dependents(d.metadata.uid())
                    .filter(|o| o.kind() == Kind::ReplicaSet)
                    .cloned()
                    .collect();
                let rss: Vec<&ReplicaSet> = owned.iter().filter_map(|o| o.as_replicaset()).collect();
                let pods_per_rs = rss
                    .iter()
                    .map(|rs| {
                        (
                            rs.metadata.uid().to_string(),
                            self.store.dependents_count(rs.metadata.uid()),
                        )
                    })
                    .collect();
                controllers::deployment::reconcile(&controllers::deployment::Observed {
                    deployment: &d,
                    replica_sets: rss,
                    pods_per_rs,
                    now,
                })
            }
            Work::Endpoints(key) => self.endpoints_actions(key, now),
            Work::Ctl(c) => self.run_ctl(c, now),
            Work::Schedule(key) => {
                self.schedule(key);
                return;
            }
            Work::Kubelet(uid) => {
                let Some(key) = self.store.key_of_uid(uid).cloned() else {
                    return;
                };
                let Some(pod_obj) = self.store.get(&key).cloned() else {
                    return;
                };
                let Some(pod) = pod_obj.as_pod() else { return };
                let Some(node_name) = pod.spec.node_name.as_deref() else {
                    return;
                };
                if self.ctl.stopped.contains_key(node_name) {
                    // A stopped kubelet does nothing (see `Cluster::stop_node`).
                    return;
                }
                let Some(node_obj) = self.store.get(&ObjKey::new(Kind::Node, "", node_name)).cloned() else {
                    return;
                };
                let Some(node) = node_obj.as_node() else { return };
                let outcome = kubelet::sync(pod, node, &mut self.agents, &mut self.ctl.volumes, &self.store, now);
                if let Some(ms) = outcome.wake_after {
                    // The kubelet notices container changes on its relist tick (PLEG); wakeups
                    // land on 100 ms boundaries so many pods share one controller pass.
                    let due = now.0 + ms;
                    let tick = due.div_ceil(KUBELET_TICK_MS) * KUBELET_TICK_MS;
                    self.clock.after(tick - now.0, Wake::Kubelet { uid: uid.clone() });
                }
                outcome.actions
            }
            Work::Namespace(name) => {
                // The namespace controller: a terminating namespace goes once nothing is left
                // in it (pods may still be in their grace period).
                let empty = Kind::ALL
                    .iter()
                    .filter(|k| k.info().namespaced && **k != Kind::Event)
                    .all(|k| self.store.list(*k, Some(name)).next().is_none());
                if !empty {
                    return;
                }
                let events: Vec<ObjKey> = self
                    .store
                    .list(Kind::Event, Some(name))
                    .map(|o| ObjKey::of(o))
                    .collect();
                let mut actions: Vec<Action> = events.into_iter().map(Action::Remove).collect();
                actions.push(Action::Remove(ObjKey::new(Kind::Namespace, "", name)));
                actions
            }
            Work::Collect(uid) => {
                let dependents: Vec<ObjKey> = self.store.dependents(uid).map(|o| ObjKey::of(o)).collect();
                dependents
                    .into_iter()
                    .filter(|k| {
                        // Only dependents whose every owner is gone.
                        self.store.get(k).is_some_and(|o| {
                            o.meta()
                                .owner_references
                                .iter()
                                .all(|r| self.store.get_by_uid(&r.uid).is_none())
                        })
                    })
                    .map(|key| Action::Delete { key, grace: None })
                    .collect()
            }
        };
        self.apply(actions);
    }

    fn endpoints_actions(&self, svc_key: &ObjKey, now: SimTime) -> Vec<Action> {
        let ep_key = ObjKey::new(Kind::Endpoints, &svc_key.namespace, &svc_key.name);
        let existing = self.store.get(&ep_key).and_then(|o| o.as_endpoints());
        match self.store.get(svc_key).and_then(|o| o.as_service()) {
            None => match existing {
                // The service is gone: its endpoints go with it.
                Some(_) => vec![Action::Remove(ep_key)],
                None => Vec::new(),
            },
            Some(svc) => {
                let pods: Vec<&Pod> = self
                    .store
                    .list(Kind::Pod, Some(&svc_key.namespace))
                    .filter_map(|o| o.as_pod())
                    .collect();
                controllers::endpoints::reconcile(svc, &pods, existing, now)
            }
        }
    }

    fn apply(&mut self, actions: Vec<Action>) {
        for a in actions {
            match a {
                Action::Create { object, event } => {
                    if let Ok(created) = self.create(object) {
                        if let Some(mut e) = event {
                            e.message = e.message.replace("{name}", created.name());
                            self.record(e);
                        }
                    }
                }
                Action::UpdateStatus(o) => {
                    let _ = self.update_status(o);
                }
                Action::Update(o) => {
                    let key = ObjKey::of(&o);
                    if let Some(old) = self.store.get(&key).cloned() {
                        // Controllers work from what they observed; keep concurrent metadata.
                        let mut o = o;
                        o.meta_mut().resource_version = old.meta().resource_version.clone();
                        let _ = self.update(o);
                    }
                }
                Action::Delete { key, grace } => {
                    let _ = self.delete(
                        key.kind,
                        &key.namespace,
                        &key.name,
                        DeleteOptions {
                            grace_period: grace,
                            ..Default::default()
                        },
                    );
                }
                Action::Remove(key) => {
                    self.remove(&key);
                }
                Action::Event(e) => self.record(e),
                Action::Ensure(o) => self.ensure(o),
                Action::Requeue { key, after_ms } => {
                    // One pending requeue per object: an earlier one already covers a later ask.
                    let due = self.now().plus_ms(after_ms);
                    if self.requeues.get(&key).is_none_or(|t| *t > due) {
                        self.requeues.insert(key.clone(), due);
                        self.clock.after(
                            after_ms,
                            Wake::Requeue {
                                kind: key.kind,
                                namespace: key.namespace,
                                name: key.name,
                            },
                        );
                    }
                }
            }
        }
    }

    /// Binds one pending pod, or records why it cannot be placed.
    fn schedule(&mut self, key: &ObjKey) {
        let Some(obj) = self.store.get(key).cloned() else {
            return;
        };
        let Some(pod) = obj.as_pod() else { return };
        if pod.spec.node_name.is_some() || pod.metadata.is_deleting() {
            return;
        }
        // VolumeBinding: claims must exist and be bound, or be chosen a node now.
        let (volume_nodes, select) = match self.volume_gate(pod) {
            crate::controllers::volume::VolumeGate::Ok { only, select } => {
                (only.map(|v| v.into_iter().collect()), select)
            }
            crate::controllers::volume::VolumeGate::Unschedulable(reason) => {
                return self.prefilter_failed(key, pod, &reason)
            }
            crate::controllers::volume::VolumeGate::Wait => return,
        };
        let cache = self.nodes();
        let same_owner = pod.metadata.controller().and_then(|o| self.spread.get(&o.uid));
        let candidates: Vec<scheduler::Candidate> = cache
            .iter()
            .filter_map(|n| {
                Some(scheduler::Candidate {
                    node: n.object.as_node()?,
                    allocatable: n.allocatable,
                    name_hash: n.name_hash,
                    used: self.usage.get(n.id).copied().unwrap_or_default(),
                    spread: same_owner.and_then(|s| s.per_node.get(n.id)).copied().unwrap_or(0),
                })
            })
            .collect();
        self.next_start_node = self.next_start_node.wrapping_add(1);
        let start = if candidates.is_empty() {
            0
        } else {
            self.next_start_node % candidates.len()
        };
        match scheduler::pick(pod, &candidates, start, volume_nodes) {
            Ok(node) if !select.is_empty() => {
                let node_name = node.metadata.name.clone();
                self.select_node_for_claims(&key.namespace, &select, &node_name);
            }
            Ok(node) => {
                let node_name = node.metadata.name.clone();
                let mut p = pod.clone();
                p.spec.node_name = Some(node_name.clone());
                let now = self.now();
                set_condition(
                    &mut p.status.conditions,
                    Condition {
                        last_probe_time: Some(NullTime(None)),
                        last_transition_time: Some(Timestamp(now)),
                        status: "True".into(),
                        type_: "PodScheduled".into(),
                        ..Default::default()
                    },
                );
                self.write(Object::Pod(p));
                self.record(EventSpec::normal(
                    key.clone(),
                    "default-scheduler",
                    "Scheduled",
                    format!("Successfully assigned {}/{} to {node_name}", key.namespace, key.name),
                ));
            }
            Err(message) => self.mark_unschedulable(key, pod, message),
        }
    }

    /// The scheduler's node cache, rebuilt after any node change.
    fn nodes(&mut self) -> Arc<Vec<CachedNode>> {
        if let Some(c) = &self.node_cache {
            return c.clone();
        }
        let nodes: Vec<Arc<Object>> = self.store.list(Kind::Node, None).cloned().collect();
        let cache: Vec<CachedNode> = nodes
            .into_iter()
            .filter_map(|o| {
                let c = scheduler::Candidate::new(o.as_node()?);
                let (allocatable, name_hash) = (c.allocatable, c.name_hash);
                let id = self.node_id(o.name());
                Some(CachedNode {
                    object: o,
                    allocatable,
                    name_hash,
                    id,
                })
            })
            .collect();
        let cache = Arc::new(cache);
        self.node_cache = Some(cache.clone());
        cache
    }

    /// Last-minute admission that needs cluster state: IP allocation for services, the
    /// service-account volume for pods.
    fn on_admit(&mut self, obj: &mut Object) -> Result<(), ApiError> {
        self.admit_ctl(obj)?;
        match obj {
            Object::Service(s) => {
                if s.spec.cluster_ip.is_none() && s.type_() != "ExternalName" {
                    let ip = self.allocate_service_ip();
                    s.spec.cluster_ip = Some(ip.clone());
                }
                if let Some(ip) = s.spec.cluster_ip.clone() {
                    if ip != "None" && s.spec.cluster_ips.is_empty() {
                        s.spec.cluster_ips = vec![ip.clone()];
                    }
                    if s.is_headless() && s.spec.cluster_ips.is_empty() {
                        s.spec.cluster_ips = vec!["None".into()];
                    }
                    if let Some(n) = parse_service_ip(&ip) {
                        self.service_ips.insert(n);
                    }
                }
                if matches!(s.type_(), "NodePort" | "LoadBalancer") {
                    for i in 0..s.spec.ports.len() {
                        if s.spec.ports[i].node_port.is_none() {
                            let port = self.allocate_node_port();
                            s.spec.ports[i].node_port = Some(port);
                        }
                    }
                }
            }
            Object::Pod(p)
                if p.spec.automount_service_account_token != Some(false)
                    && !p.spec.volumes.iter().any(|v| v.name.starts_with("kube-api-access-")) =>
            {
                let (vol, mount) = admission::service_account_volume(&self.rng.name_suffix(5));
                let spec = &mut *p.spec;
                spec.volumes.push(vol);
                for c in spec.containers.iter_mut().chain(spec.init_containers.iter_mut()) {
                    c.volume_mounts.push(mount.clone());
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn allocate_service_ip(&mut self) -> String {
        // 10.96.0.0/12 minus the first addresses the system services hold.
        loop {
            let n = self.rng.range(11, (1 << 20) - 2) as u32;
            if self.service_ips.insert(n) {
                return format_service_ip(n);
            }
        }
    }

    fn allocate_node_port(&mut self) -> i64 {
        loop {
            let p = self.rng.range(30000, 32767) as i64;
            if self.node_ports.insert(p) {
                return p;
            }
        }
    }

    /// Stores an object and tells every interested controller.
    pub(crate) fn write(&mut self, obj: Object) -> Arc<Object> {
        let key = ObjKey::of(&obj);
        let old = self.store.get(&key).cloned();
        self.track_usage(old.as_deref(), Some(&obj));
        let stored = self.store.put(obj);
        self.notify(old.as_deref(), Some(&stored));
        stored
    }

    fn remove(&mut self, key: &ObjKey) {
        if let Some(old) = self.store.remove(key) {
            self.track_usage(Some(&old), None);
            if let Object::Pod(p) = &*old {
                // The node forgets the pod's containers and logs with it.
                kubelet::forget(&mut self.agents, p);
            }
            if let Object::Service(s) = &*old {
                if let Some(n) = s.spec.cluster_ip.as_deref().and_then(parse_service_ip) {
                    self.service_ips.remove(&n);
                }
                for p in &s.spec.ports {
                    if let Some(np) = p.node_port {
                        self.node_ports.remove(&np);
                    }
                }
            }
            self.notify(Some(&old), None);
            self.enqueue(Work::Collect(old.meta().uid().to_string()));
            if old.kind().info().namespaced {
                let ns = old.namespace().to_string();
                if self
                    .store
                    .get(&ObjKey::new(Kind::Namespace, "", &ns))
                    .is_some_and(|n| n.meta().is_deleting())
                {
                    self.enqueue(Work::Namespace(ns));
                }
            }
        }
    }

    /// Keeps per-node requested resources current for the scheduler (no scans per decision).
    fn track_usage(&mut self, old: Option<&Object>, new: Option<&Object>) {
        fn counted(o: Option<&Object>) -> Option<(&str, Usage, Option<&str>)> {
            let p = o?.as_pod()?;
            let node = p.spec.node_name.as_deref()?;
            if p.is_terminal() {
                return None;
            }
            let owner = p.metadata.controller().map(|r| r.uid.as_str());
            Some((
                node,
                Usage {
                    pods: 1,
                    cpu_milli: p.request("cpu"),
                    memory_milli: p.request("memory"),
                },
                owner,
            ))
        }
        if let (Some(Object::Pod(a)), Some(Object::Pod(b))) = (old, new) {
            // A status write of a pod: same spec (so node and requests), owner and terminality.
            if Shared::ptr_eq(&a.spec, &b.spec)
                && a.is_terminal() == b.is_terminal()
                && a.metadata.controller().map(|r| &r.uid) == b.metadata.controller().map(|r| &r.uid)
            {
                return;
            }
        }
        let (before, after) = (counted(old), counted(new));
        if before == after {
            // Most writes are status updates of a bound pod: nothing the scheduler counts moved.
            return;
        }
        for (sign, counted) in [(-1, before), (1, after)] {
            if let Some((n, u, owner)) = counted {
                let id = self.node_id(n);
                let e = &mut self.usage[id];
                e.pods += sign * u.pods;
                e.cpu_milli += sign * u.cpu_milli;
                e.memory_milli += sign * u.memory_milli;
                if let Some(owner) = owner {
                    let per_owner = match self.spread.get_mut(owner) {
                        Some(s) => s,
                        None => self.spread.entry(owner.to_string()).or_default(),
                    };
                    if per_owner.per_node.len() <= id {
                        per_owner.per_node.resize(id + 1, 0);
                    }
                    per_owner.per_node[id] += sign;
                    per_owner.total += sign;
                    if per_owner.total == 0 {
                        self.spread.remove(owner);
                    }
                }
            }
        }
    }

    /// The index of node `name` in the per-node scheduler state, assigned on first sight.
    fn node_id(&mut self, name: &str) -> usize {
        if let Some(id) = self.node_ids.get(name) {
            return *id;
        }
        let id = self.node_ids.len();
        self.node_ids.insert(name.to_string(), id);
        self.usage.push(Usage::default());
        id
    }

    /// Maps a change to the controllers that must look at it (the informers' event handlers).
    fn notify(&mut self, old: Option<&Object>, new: Option<&Object>) {
        let Some(any) = new.or(old) else { return };
        let key = ObjKey::of(any);
        let owner_work = |o: &Object| -> Option<Work> {
            let r = o.meta().controller()?;
            let k = ObjKey::new(
                match r.kind.as_str() {
                    "ReplicaSet" => Kind::ReplicaSet,
                    "Deployment" => Kind::Deployment,
                    _ => return None,
                },
                o.namespace(),
                &r.name,
            );
            Some(if k.kind == Kind::ReplicaSet {
                Work::ReplicaSet(k)
            } else {
                Work::Deployment(k)
            })
        };
        match any.kind() {
            Kind::Pod => {
                for o in [old, new].into_iter().flatten() {
                    if let Some(w) = owner_work(o) {
                        self.enqueue(w);
                    }
                }
                let services: Vec<ObjKey> = self
                    .store
                    .list(Kind::Service, Some(&key.namespace))
                    .filter_map(|o| o.as_service())
                    .filter(|s| {
                        let sel = crate::selector::Selector::from_map(&s.spec.selector);
                        !s.spec.selector.is_empty()
                            && [old, new].into_iter().flatten().any(|o| sel.matches(&o.meta().labels))
                    })
                    .map(|s| ObjKey::new(Kind::Service, s.metadata.ns(), &s.metadata.name))
                    .collect();
                for s in services {
                    self.enqueue(Work::Endpoints(s));
                }
                match new.and_then(|o| o.as_pod()) {
                    Some(p) if p.spec.node_name.is_none() && !p.metadata.is_deleting() => {
                        self.enqueue(Work::Schedule(key.clone()));
                    }
                    Some(p) => {
                        let newly_bound = old.and_then(|o| o.as_pod()).is_none_or(|o| o.spec.node_name.is_none());
                        let deleting = p.metadata.is_deleting()
                            && !old.and_then(|o| o.as_pod()).is_some_and(|o| o.metadata.is_deleting());
                        // A changed container image (pods allow that update) restarts the container.
                        let spec_changed = old.and_then(|o| o.as_pod()).is_some_and(|o| {
                            !Shared::ptr_eq(&o.spec, &p.spec)
                                && (o.spec.containers != p.spec.containers
                                    || o.spec.init_containers != p.spec.init_containers)
                        });
                        if newly_bound || deleting || spec_changed {
                            self.enqueue(Work::Kubelet(p.metadata.uid().to_string()));
                        }
                    }
                    None => {
                        // A pod left: capacity may have freed up for pending pods.
                        if old.and_then(|o| o.as_pod()).is_some_and(|p| p.spec.node_name.is_some()) {
                            self.retry_pending();
                        }
                    }
                }
            }
            Kind::ReplicaSet => {
                self.enqueue(Work::ReplicaSet(key.clone()));
                for o in [old, new].into_iter().flatten() {
                    if let Some(w) = owner_work(o) {
                        self.enqueue(w);
                    }
                }
            }
            Kind::Deployment => self.enqueue(Work::Deployment(key)),
            Kind::Service => self.enqueue(Work::Endpoints(key)),
            Kind::Node => {
                self.node_cache = None;
                self.retry_pending();
            }
            _ => {}
        }
        self.notify_ctl(old, new);
    }

    fn retry_pending(&mut self) {
        let pending: Vec<ObjKey> = self.store.unscheduled_pods().cloned().collect();
        for k in pending {
            self.enqueue(Work::Schedule(k));
        }
    }

    /// Records an Event, counting up a repeat of the same reason and message (the event
    /// correlator), so `describe` shows `(x6 over 15m)`.
    pub fn record(&mut self, e: EventSpec) {
        let Some(subject) = self.store.get(&e.subject).cloned() else {
            return;
        };
        let uid = subject.meta().uid().to_string();
        let now = Timestamp(self.now());
        let agg = (uid.clone(), e.reason.clone(), e.message.clone(), e.component);
        if let Some(k) = self.event_index.get(&agg).cloned() {
            if let Some(Object::Event(mut ev)) = self.store.get(&k).map(|o| (**o).clone()) {
                ev.count = Some(ev.count.unwrap_or(1) + 1);
                ev.last_timestamp = Some(now);
                self.store.put(Object::Event(ev));
                return;
            }
        }
        let info = subject.kind().info();
        let nanos = (now.unix_secs() as u64) * 1_000_000_000
            + (self.now().0 % 1000) * 1_000_000
            + self.store.revision() % 1_000_000;
        let ns = if info.namespaced {
            subject.namespace().to_string()
        } else {
            "default".to_string()
        };
        let ev = Event {
            metadata: ObjectMeta {
                name: format!("{}.{nanos:016x}", subject.name()),
                namespace: Some(ns),
                uid: Some(self.rng.uuid()),
                creation_timestamp: Some(now),
                ..Default::default()
            },
            count: Some(1),
            event_time: None,
            first_timestamp: Some(now),
            involved_object: ObjectReference {
                api_version: Some(info.api_version()),
                field_path: None,
                kind: Some(info.kind.into()),
                name: Some(subject.name().into()),
                namespace: info.namespaced.then(|| subject.namespace().to_string()),
                resource_version: subject.meta().resource_version.clone(),
                uid: Some(uid),
            },
            last_timestamp: Some(now),
            message: Some(e.message),
            reason: Some(e.reason),
            reporting_component: e.component.into(),
            reporting_instance: e.host.clone().unwrap_or_default(),
            source: EventSource {
                component: Some(e.component.into()),
                host: e.host,
            },
            type_: Some(e.type_.into()),
        };
        let stored = self.store.put(Object::Event(ev));
        self.event_index.insert(agg, ObjKey::of(&stored));
    }

    fn key_for(&self, obj: &Object) -> ObjKey {
        let kind = obj.kind();
        let ns = if kind.info().namespaced {
            obj.meta().namespace.clone().unwrap_or_else(|| "default".into())
        } else {
            String::new()
        };
        ObjKey::new(kind, &ns, obj.name())
    }

    // ----- used by bootstrap ------------------------------------------------------------

    pub(crate) fn add_agent(&mut self, node: &str, subnet: String) {
        self.agents.insert(
            node.into(),
            NodeAgent {
                subnet,
                ..Default::default()
            },
        );
    }

    pub(crate) fn reserve_service_ip(&mut self, ip: &str) {
        if let Some(n) = parse_service_ip(ip) {
            self.service_ips.insert(n);
        }
    }

    pub(crate) fn rng(&mut self) -> &mut SimRng {
        &mut self.rng
    }

    // ----- used by the pod subresources (`pod_io.rs`) ------------------------------------

    pub(crate) fn agents_ref(&self) -> &BTreeMap<String, NodeAgent> {
        &self.agents
    }

    pub(crate) fn agents_and_store(
        &mut self,
    ) -> (
        &mut BTreeMap<String, NodeAgent>,
        &mut BTreeMap<String, crate::vfs::Layer>,
        &Store,
    ) {
        (&mut self.agents, &mut self.ctl.volumes, &self.store)
    }

    /// Lets the pod's kubelet look again now (after `exec` changed something in a container).
    pub(crate) fn kick_kubelet(&mut self, key: &ObjKey) {
        if let Some(uid) = self.store.get(key).map(|o| o.meta().uid().to_string()) {
            self.enqueue(Work::Kubelet(uid));
            self.settle();
        }
    }

    pub(crate) fn preload_image(&mut self, node: &str, image: &str) {
        if let Some(a) = self.agents.get_mut(node) {
            a.images.insert(crate::images::normalized(image));
        }
    }
}

fn has_generation(kind: Kind) -> bool {
    matches!(kind, Kind::Deployment | Kind::ReplicaSet) || control::has_generation(kind)
}

fn spec_changed(old: &Object, new: &Object) -> bool {
    match (old, new) {
        (Object::Deployment(a), Object::Deployment(b)) => a.spec != b.spec,
        (Object::ReplicaSet(a), Object::ReplicaSet(b)) => a.spec != b.spec,
        _ => control::spec_changed(old, new),
    }
}

/// Fields a client cannot change through an update: identity, creation time, the status of
/// objects whose status a controller owns, unless the caller is that controller.
fn carry_system_fields(old: &Object, new: &mut Object) {
    let (om, nm) = (old.meta().clone(), new.meta_mut());
    nm.uid = om.uid;
    nm.creation_timestamp = om.creation_timestamp;
    nm.generation = om.generation;
    if nm.deletion_timestamp.is_none() {
        nm.deletion_timestamp = om.deletion_timestamp;
        nm.deletion_grace_period_seconds = om.deletion_grace_period_seconds;
    }
    control::carry_status(old, new);
}

/// Immutable fields (deployment selector, a pod's spec beyond image and a few fields).
fn check_immutable(old: &Object, new: &Object) -> Result<(), ApiError> {
    match (old, new) {
        (Object::Deployment(a), Object::Deployment(b)) if a.spec.selector != b.spec.selector => Err(ApiError::invalid(
            Kind::Deployment,
            &b.metadata.name,
            vec![crate::error::FieldError(format!(
                "spec.selector: Invalid value: {}: field is immutable",
                go_label_selector(&b.spec.selector)
            ))],
        )),
        _ => control::check_immutable(old, new),
    }
}

/// `v1.LabelSelector{MatchLabels:map[string]string{"app":"web2"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}`
fn go_label_selector(s: &LabelSelector) -> String {
    let labels: Vec<String> = s.match_labels.iter().map(|(k, v)| format!("{k:?}:{v:?}")).collect();
    format!(
        "v1.LabelSelector{{MatchLabels:map[string]string{{{}}}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}}",
        labels.join(", ")
    )
}

fn parse_service_ip(ip: &str) -> Option<u32> {
    let o: Vec<u32> = ip.split('.').map(|p| p.parse().ok()).collect::<Option<_>>()?;
    if o.len() != 4 || o[0] != 10 || !(96..112).contains(&o[1]) {
        return None;
    }
    Some(((o[1] - 96) << 16) | (o[2] << 8) | o[3])
}

fn format_service_ip(n: u32) -> String {
    format!("10.{}.{}.{}", 96 + (n >> 16), (n >> 8) & 0xff, n & 0xff)
}
