//! Node operations for scenarios (`kubelab`'s `sim` commands): a node joins, its kubelet stops
//! or comes back. The node lifecycle controller and the taint-based eviction follow
//! `kubectl-behaviour.md` §11.6: 40 s without heartbeats and the node's conditions turn
//! `Unknown` with `node.kubernetes.io/unreachable` taints, its pods are marked not ready, and
//! pods are evicted once their toleration of that taint runs out (300 s by default; daemon
//! pods tolerate it forever). Evicted pods stay `Terminating` until the node is back, since
//! nothing confirms they stopped; their controllers replace them elsewhere meanwhile
//! (StatefulSets only once the old pod is really gone).

use super::*;

/// `--node-monitor-grace-period`.
pub(crate) const NODE_MONITOR_GRACE_MS: u64 = 40_000;
pub(crate) const UNREACHABLE: &str = "node.kubernetes.io/unreachable";

impl Cluster {
    /// Adds a worker node, as `kind` joins one: `kind-worker<N>` with the next free N, Ready,
    /// with the system images loaded. Its DaemonSet pods follow. Returns its name.
    pub fn add_node(&mut self) -> String {
        let mut i = 1;
        while self
            .store
            .get(&ObjKey::new(Kind::Node, "", &crate::bootstrap::worker_name(i)))
            .is_some()
        {
            i += 1;
        }
        let name = crate::bootstrap::worker_name(i);
        self.join_node(&name, i);
        name
    }

    /// Adds a worker node with a given name (a DNS-1123 subdomain, not taken). Its pod subnet
    /// and address are the next ones no node uses.
    pub fn add_named_node(&mut self, name: &str) -> Result<String, ApiError> {
        if self.store.get(&ObjKey::new(Kind::Node, "", name)).is_some() {
            return Err(ApiError::already_exists(Kind::Node, name));
        }
        let used: Vec<String> = self
            .store
            .list(Kind::Node, None)
            .filter_map(|o| o.as_node().and_then(|n| n.spec.pod_cidr.clone()))
            .collect();
        let mut i = 1;
        while used
            .iter()
            .any(|c| c.starts_with(&format!("{}.", crate::bootstrap::pod_subnet(i))))
        {
            i += 1;
        }
        self.join_node(name, i);
        Ok(name.to_string())
    }

    fn join_node(&mut self, name: &str, i: u32) {
        let mut node = crate::bootstrap::node_object(name, i, false);
        let now = Timestamp(self.now());
        for c in &mut node.status.conditions {
            c.last_heartbeat_time = Some(now);
            c.last_transition_time = Some(now);
        }
        self.add_agent(name, crate::bootstrap::pod_subnet(i));
        for img in crate::bootstrap::SYSTEM_IMAGES {
            self.preload_image(name, img);
        }
        let _ = self.create(Object::Node(node));
        self.settle();
    }

    /// Stops a node's kubelet (the machine died or lost its network): nothing on it moves any
    /// more, and after the grace period the control plane notices.
    pub fn stop_node(&mut self, name: &str) -> Result<(), ApiError> {
        if self.store.get(&ObjKey::new(Kind::Node, "", name)).is_none() {
            return Err(ApiError::not_found(Kind::Node, name));
        }
        let now = self.now();
        self.ctl.stopped.entry(name.to_string()).or_insert(now);
        self.apply(vec![Action::Requeue {
            key: ObjKey::new(Kind::Node, "", name),
            after_ms: NODE_MONITOR_GRACE_MS,
        }]);
        Ok(())
    }

    /// Brings a stopped node's kubelet back: it reports Ready again, the unreachable taints go,
    /// and it finishes what happened meanwhile (pods deleted while it was away are cleaned up).
    pub fn start_node(&mut self, name: &str) -> Result<(), ApiError> {
        let key = ObjKey::new(Kind::Node, "", name);
        let Some(node) = self.store.get(&key).and_then(|o| o.as_node().cloned()) else {
            return Err(ApiError::not_found(Kind::Node, name));
        };
        if self.ctl.stopped.remove(name).is_none() {
            return Ok(());
        }
        let now = Timestamp(self.now());
        let mut next = node.clone();
        next.spec.taints.retain(|t| t.key != UNREACHABLE);
        for c in &mut next.status.conditions {
            let (status, reason, message) = match c.type_.as_str() {
                "Ready" => ("True", "KubeletReady", "kubelet is posting ready status"),
                "MemoryPressure" => (
                    "False",
                    "KubeletHasSufficientMemory",
                    "kubelet has sufficient memory available",
                ),
                "DiskPressure" => ("False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
                "PIDPressure" => (
                    "False",
                    "KubeletHasSufficientPID",
                    "kubelet has sufficient PID available",
                ),
                _ => continue,
            };
            if c.status != status {
                c.last_transition_time = Some(now);
            }
            c.status = status.into();
            c.reason = Some(reason.into());
            c.message = Some(message.into());
            c.last_heartbeat_time = Some(now);
        }
        if next != node {
            self.update(Object::Node(Node {
                status: Default::default(),
                ..next.clone()
            }))?;
            self.update_status(Object::Node(next))?;
            self.record(EventSpec::normal(
                key,
                "kubelet",
                "NodeReady",
                format!("Node {name} status is now: NodeReady"),
            ));
        }
        let pods: Vec<String> = self
            .store
            .pods_on_node(name)
            .map(|o| o.meta().uid().to_string())
            .collect();
        for uid in pods {
            self.enqueue(Work::Kubelet(uid));
        }
        self.settle();
        Ok(())
    }

    /// Whether a node's kubelet has been stopped with [`Cluster::stop_node`].
    pub fn node_stopped(&self, name: &str) -> bool {
        self.ctl.stopped.contains_key(name)
    }

    /// The node lifecycle controller and taint eviction for one node.
    pub(super) fn node_lifecycle(&mut self, name: &str) -> Vec<Action> {
        let mut out = Vec::new();
        let key = ObjKey::new(Kind::Node, "", name);
        let Some(node) = self.store.get(&key).and_then(|o| o.as_node().cloned()) else {
            // PodGC: pods bound to a node that no longer exists are removed at once.
            self.ctl.stopped.remove(name);
            return self
                .store
                .pods_on_node(name)
                .map(|o| Action::Remove(ObjKey::of(o)))
                .collect();
        };
        let Some(stopped_at) = self.ctl.stopped.get(name).copied() else {
            return out;
        };
        let now = self.now();
        let due = stopped_at.plus_ms(NODE_MONITOR_GRACE_MS);
        if now < due {
            out.push(Action::Requeue {
                key,
                after_ms: due.0 - now.0,
            });
            return out;
        }
        let pods: Vec<Arc<Object>> = self.store.pods_on_node(name).cloned().collect();
        if !node.spec.taints.iter().any(|t| t.key == UNREACHABLE) {
            let mut next = node.clone();
            for effect in ["NoSchedule", "NoExecute"] {
                next.spec.taints.push(Taint {
                    effect: effect.into(),
                    key: UNREACHABLE.into(),
                    time_added: (effect == "NoExecute").then_some(Timestamp(now)),
                    value: None,
                });
            }
            let mut status = next.status.clone();
            for c in &mut status.conditions {
                if c.status != "Unknown" {
                    c.last_transition_time = Some(Timestamp(now));
                }
                c.status = "Unknown".into();
                c.reason = Some("NodeStatusUnknown".into());
                c.message = Some("Kubelet stopped posting node status.".into());
            }
            out.push(Action::Update(Object::Node(next.clone())));
            out.push(Action::UpdateStatus(Object::Node(Node { status, ..next })));
            out.push(Action::Event(EventSpec::normal(
                key.clone(),
                "node-controller",
                "NodeNotReady",
                format!("Node {name} status is now: NodeNotReady"),
            )));
            // MarkPodsNotReady.
            for o in &pods {
                let Some(p) = o.as_pod() else { continue };
                let mut np = p.clone();
                if let Some(c) = np
                    .status
                    .conditions
                    .iter_mut()
                    .find(|c| c.type_ == "Ready" && c.status != "False")
                {
                    c.status = "False".into();
                    c.last_transition_time = Some(Timestamp(now));
                    out.push(Action::UpdateStatus(Object::Pod(np)));
                    out.push(Action::Event(EventSpec::warning(
                        ObjKey::of(o),
                        "node-controller",
                        "NodeNotReady",
                        "Node is not ready".into(),
                    )));
                }
            }
        }
        // Taint-based eviction: each pod goes when its toleration of the NoExecute taint ends.
        let tainted_at = node
            .spec
            .taints
            .iter()
            .find(|t| t.key == UNREACHABLE && t.effect == "NoExecute")
            .and_then(|t| t.time_added)
            .map_or(now, |t| t.0);
        let mut next_eviction: Option<SimTime> = None;
        for o in &pods {
            let Some(p) = o.as_pod() else { continue };
            if p.metadata.is_deleting() || p.is_terminal() {
                continue;
            }
            let taint = Taint {
                effect: "NoExecute".into(),
                key: UNREACHABLE.into(),
                ..Default::default()
            };
            let tol = p
                .spec
                .tolerations
                .iter()
                .find(|t| crate::scheduler::tolerates(std::slice::from_ref(t), &taint));
            let at = match tol {
                None => tainted_at,
                Some(t) => match t.toleration_seconds {
                    None => continue,
                    Some(s) => tainted_at.plus_secs(s.max(0) as u64),
                },
            };
            if at <= now {
                let mut np = p.clone();
                set_condition(
                    &mut np.status.conditions,
                    Condition {
                        last_probe_time: Some(NullTime(None)),
                        last_transition_time: Some(Timestamp(now)),
                        message: Some("Taint manager: deleting due to NoExecute taint".into()),
                        reason: Some("DeletionByTaintManager".into()),
                        status: "True".into(),
                        type_: "DisruptionTarget".into(),
                        ..Default::default()
                    },
                );
                out.push(Action::UpdateStatus(Object::Pod(np)));
                out.push(Action::Event(EventSpec::normal(
                    ObjKey::of(o),
                    "taint-eviction-controller",
                    "TaintManagerEviction",
                    format!("Marking for deletion Pod {}/{}", p.metadata.ns(), p.metadata.name),
                )));
                out.push(Action::Delete {
                    key: ObjKey::of(o),
                    grace: None,
                });
            } else {
                next_eviction = Some(next_eviction.map_or(at, |n| n.min(at)));
            }
        }
        if let Some(at) = next_eviction {
            out.push(Action::Requeue {
                key,
                after_ms: at.0 - now.0,
            });
        }
        out
    }
}
