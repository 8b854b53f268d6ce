//! The simulated kubelet: drives a bound pod through sandbox creation, init containers, image
//! pulls (with `ErrImagePull`/`ImagePullBackOff`), container starts and lifecycle hooks, probes,
//! exits and restarts with the crash back-off, and graceful termination, reporting status and
//! Events the way a real kubelet does (`shared/reference/describe-formats.md` §7.1,
//! `kubectl-behaviour.md` §4, §11.4–11.5).
//!
//! Each `sync` is one pass of the kubelet's `SyncPod` over a table of stages: admit → sandbox →
//! advance the containers to now (scripts, SIGTERM/SIGKILL, OOM) → probes → exits (restart,
//! back-off or done) → pod-worker resync (back-off events, pull retries) → start what should run
//! (one container at a time: pull, create, start, postStart) → phase and status. It then says
//! when it wants to be woken: a pod whose containers just run (10,000 nginx pods) asks for no
//! wakeups at all. Timings are a pure function of the pod (hashes of its uid), so no shared RNG
//! is consumed.

use crate::api::*;
use crate::backoff::{self, Backoff};
use crate::controllers::{Action, EventSpec};
use crate::images;
use crate::names::stable_hash;
use crate::probe;
use crate::runtime::{self, CState, ContainerRt, Job, JobStep, PodRuntime, Role, Termination, World};
use crate::store::{ObjKey, Store};
use crate::time::{SimTime, Timestamp};
use crate::vfs::Mount;
use crate::volume_manager;
use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::sync::Arc;

/// Per-node kubelet and container-runtime state.
#[derive(Clone, Debug, Default)]
pub struct NodeAgent {
    /// Images already in the node's containerd store (normalized names).
    pub images: BTreeSet<String>,
    /// The first three octets of the node's pod CIDR (`10.244.1` for `10.244.1.0/24`).
    pub subnet: String,
    /// Host part of pod IPs in use.
    pub ips: BTreeSet<u32>,
    /// Pod IP -> pod uid, for traffic between pods.
    pub by_ip: BTreeMap<String, String>,
    /// The runtime state of every pod on the node, by uid (shared on clone, copied on write).
    pub pods: BTreeMap<String, Arc<PodRuntime>>,
}

impl NodeAgent {
    fn allocate_ip(&mut self) -> Option<String> {
        let host = (2..255).find(|h| !self.ips.contains(h))?;
        self.ips.insert(host);
        Some(format!("{}.{host}", self.subnet))
    }
    fn release_ip(&mut self, ip: Option<&str>) {
        if let Some(h) = ip.and_then(|ip| ip.rsplit('.').next()).and_then(|h| h.parse().ok()) {
            self.ips.remove(&h);
        }
        if let Some(ip) = ip {
            self.by_ip.remove(ip);
        }
    }
}

/// What one sync decided.
#[derive(Debug, Default)]
pub struct Outcome {
    pub actions: Vec<Action>,
    /// Wake this pod's sync again after so many ms.
    pub wake_after: Option<u64>,
}

/// Go's `time.Duration.String()` for the pull-time message (`1.402s`, `520ms`, `1m2.5s`).
pub fn go_duration(ms: u64) -> String {
    if ms < 1000 {
        return format!("{ms}ms");
    }
    let trim = |s: String| s.trim_end_matches('0').trim_end_matches('.').to_string();
    let (m, rest) = (ms / 60_000, ms % 60_000);
    let secs = trim(format!("{}.{:03}", rest / 1000, rest % 1000));
    if m == 0 {
        format!("{secs}s")
    } else {
        format!("{m}m{secs}s")
    }
}

/// Pull time: image size over a ~50 MB/s link plus jitter; a cached image under `Always`
/// only checks the digest (a few hundred ms); a missing image fails after the registry answers.
fn pull_ms(uid: &str, image: &str, size: u64, cached: bool, failing: bool) -> u64 {
    let jitter = stable_hash(&[uid, image, "pull"]) % 400;
    if failing {
        600 + jitter * 2
    } else if cached {
        300 + jitter
    } else {
        (size / 50_000).max(400) + jitter
    }
}

/// What varies one pull's duration from another: the pod (the same for its restarts, so
/// transcripts stay stable).
fn pull_salt(uid: &str, _restart: i64) -> String {
    uid.to_string()
}

/// The pod's name as the kubelet formats it in messages: `name_namespace(uid)`.
fn pod_ref(p: &Pod) -> String {
    format!("{}_{}({})", p.metadata.name, p.metadata.ns(), p.metadata.uid())
}

/// Drops the runtime state of a pod whose object is gone (force-deleted, or deleted after it
/// completed).
pub fn forget(agents: &mut BTreeMap<String, NodeAgent>, pod: &Pod) {
    let Some(node) = pod.spec.node_name.as_deref() else {
        return;
    };
    let Some(agent) = agents.get_mut(node) else {
        return;
    };
    if let Some(rt) = agent.pods.remove(pod.metadata.uid()) {
        if !rt.terminal {
            agent.release_ip(rt.ip.as_deref());
        }
    }
}

/// One step for `pod`, bound to `node`.
pub fn sync(
    pod: &Pod,
    node: &Node,
    agents: &mut BTreeMap<String, NodeAgent>,
    shared: &mut BTreeMap<String, crate::vfs::Layer>,
    store: &Store,
    now: SimTime,
) -> Outcome {
    let node_name = node.metadata.name.clone();
    let uid = pod.metadata.uid().to_string();
    let agent = agents.entry(node_name.clone()).or_default();
    let mut rt: PodRuntime = match agent.pods.remove(&uid) {
        Some(a) => Arc::unwrap_or_clone(a),
        None => admit(pod, agent, now),
    };
    if rt.scheduled.is_some_and(|t| t <= now) {
        rt.scheduled = None;
    }
    let mut world = World {
        store,
        agents,
        shared,
        now,
    };
    let mut s = Sync {
        pod,
        node,
        rt: &mut rt,
        world: &mut world,
        now,
        actions: Vec::new(),
        removed: false,
    };
    s.run();
    let removed = s.removed;
    let actions = std::mem::take(&mut s.actions);
    let mut out = Outcome {
        actions,
        wake_after: None,
    };
    if removed {
        return out;
    }
    if let Some(next) = next_wake(&rt, pod, now) {
        let next = next.max(now.plus_ms(1));
        if rt.scheduled.is_none_or(|t| next < t) {
            rt.scheduled = Some(next);
            out.wake_after = Some(next.0 - now.0);
        }
    }
    if let Some(agent) = agents.get_mut(&node_name) {
        agent.pods.insert(uid, Arc::new(rt));
    }
    out
}

/// A fresh runtime entry for a pod the kubelet has just been given.
fn admit(pod: &Pod, agent: &NodeAgent, now: SimTime) -> PodRuntime {
    let uid = pod.metadata.uid().to_string();
    let has_init = !pod.spec.init_containers.is_empty();
    let waiting = if has_init {
        "PodInitializing"
    } else {
        "ContainerCreating"
    };
    let sa_volume: BTreeSet<&str> = pod
        .spec
        .volumes
        .iter()
        .filter(|v| v.name.starts_with("kube-api-access-"))
        .map(|v| v.name.as_str())
        .collect();
    let api_data: BTreeSet<String> = pod
        .spec
        .volumes
        .iter()
        .filter(|v| volume_manager::is_api_data(v) && !sa_volume.contains(v.name.as_str()))
        .map(|v| v.name.clone())
        .collect();
    let mut containers = Vec::new();
    let mk = |c: &Container, role: Role, i: usize| ContainerRt {
        name: c.name.clone(),
        role,
        spec_index: i,
        restart_count: 0,
        state: CState::Waiting {
            reason: waiting.into(),
            message: None,
        },
        last_term: None,
        prev_term: None,
        backoff: Backoff::default(),
        logs: Vec::new(),
        image_ref: None,
        mounts: c
            .volume_mounts
            .iter()
            .filter(|m| !sa_volume.contains(m.name.as_str()))
            .map(|m| Mount {
                path: crate::vfs::normalize("/", &m.mount_path),
                volume: m.name.clone(),
                // API data is always mounted read-only (since Kubernetes 1.10).
                read_only: m.read_only == Some(true) || api_data.contains(m.name.as_str()),
                sub_path: m.sub_path.clone().unwrap_or_default(),
                backing: crate::vfs::Backing::Pod,
            })
            .collect(),
        kill_for_restart: false,
        pending_restart: false,
    };
    for (i, c) in pod.spec.init_containers.iter().enumerate() {
        let role = if c.restart_policy.as_deref() == Some("Always") {
            Role::Sidecar
        } else {
            Role::Init
        };
        containers.push(mk(c, role, i));
    }
    for (i, c) in pod.spec.containers.iter().enumerate() {
        containers.push(mk(c, Role::App, i));
    }
    PodRuntime {
        uid: uid.clone(),
        name: pod.metadata.name.clone(),
        namespace: pod.metadata.ns().to_string(),
        hostname: pod.spec.hostname.clone().unwrap_or_else(|| pod.metadata.name.clone()),
        admitted_at: now,
        sandbox_ready_at: now.plus_ms(200 + stable_hash(&[&uid, "sandbox"]) % 600),
        gateway: format!("{}.1", agent.subnet),
        containers,
        api_data,
        ..Default::default()
    }
}

/// The earliest time anything of this pod is due.
fn next_wake(rt: &PodRuntime, pod: &Pod, now: SimTime) -> Option<SimTime> {
    if rt.terminal {
        return None;
    }
    let mut times: Vec<SimTime> = Vec::new();
    if rt.ip.is_none() {
        times.push(rt.sandbox_ready_at);
    }
    times.extend(rt.mount_retry_at);
    times.extend(rt.projection_due);
    if let (Some(secs), Some(start)) = (pod.spec.active_deadline_seconds, pod.status.start_time) {
        times.push(start.0.plus_ms(secs.max(0) as u64 * 1000));
    }
    if let Some(job) = &rt.job {
        match job.step {
            JobStep::Pulling { until, .. } | JobStep::PostStart { until } => times.push(until),
            JobStep::Begin => times.push(now),
        }
    }
    times.extend(rt.resync_at);
    for c in &rt.containers {
        match &c.state {
            CState::Running(i) => {
                times.extend(i.wake);
                times.extend(i.exit_pending.as_ref().map(|e| e.0));
                times.extend(i.oom_at);
                times.extend(i.post_start_until);
                if let Some(s) = &i.stop {
                    times.push(s.deadline);
                    times.extend(s.pre_stop_until);
                    times.extend(s.exit_at.map(|e| e.0));
                    if s.pre_stop_until.is_some_and(|t| t > s.deadline) {
                        times.push(s.deadline.plus_ms(2000));
                    }
                } else if !pod.metadata.is_deleting() {
                    times.extend(i.probes.iter().filter_map(|p| p.next));
                }
            }
            CState::Exited { noticed, .. } => {
                if *noticed > now || !pod.metadata.is_deleting() {
                    times.push(*noticed);
                }
            }
            CState::BackOff { until, .. } => times.push(*until),
            CState::Waiting { .. } => {}
        }
    }
    // Things already handled at `now` do not count.
    times.into_iter().filter(|t| *t > now).min()
}

struct Sync<'a, 'w> {
    pod: &'a Pod,
    node: &'a Node,
    rt: &'a mut PodRuntime,
    world: &'a mut World<'w>,
    now: SimTime,
    actions: Vec<Action>,
    removed: bool,
}

impl<'a> Sync<'a, '_> {
    fn node_name(&self) -> String {
        self.node.metadata.name.clone()
    }

    fn agent(&mut self) -> &mut NodeAgent {
        let n = self.node_name();
        self.world.agents.entry(n).or_default()
    }

    fn event(&mut self, type_: &'static str, reason: &str, message: String) {
        self.actions.push(Action::Event(EventSpec {
            subject: ObjKey::new(Kind::Pod, self.pod.metadata.ns(), &self.pod.metadata.name),
            type_,
            reason: reason.into(),
            message,
            component: "kubelet",
            host: Some(self.node_name()),
        }));
    }

    /// The spec of container `i` (borrowed from the pod, not from `self`).
    fn spec(&self, i: usize) -> &'a Container {
        let pod: &'a Pod = self.pod;
        let (role, index) = (self.rt.containers[i].role, self.rt.containers[i].spec_index);
        match role {
            Role::App => &pod.spec.containers[index],
            _ => &pod.spec.init_containers[index],
        }
    }

    fn restart_policy(&self) -> &str {
        self.pod.spec.restart_policy.as_deref().unwrap_or("Always")
    }

    fn run(&mut self) {
        if self.pod.metadata.is_deleting() {
            self.terminate();
            return;
        }
        if self.rt.terminal || self.pod.is_terminal() {
            return;
        }
        // Stage 1: admitted. Phase Pending, containers waiting.
        if self.pod.status.start_time.is_none() {
            self.write_status();
            return;
        }
        // Stage 2: sandbox ready, the pod gets its IP and its generated files.
        if self.rt.ip.is_none() {
            if self.now < self.rt.sandbox_ready_at {
                return;
            }
            let uid = self.rt.uid.clone();
            let Some(ip) = self.agent().allocate_ip() else {
                self.event("Warning", "FailedCreatePodSandBox", "Failed to create pod sandbox: plugin type=\"ptp\" failed (add): failed to allocate for range 0: no IP addresses available in range set".into());
                self.rt.sandbox_ready_at = self.now.plus_ms(10_000);
                return;
            };
            self.agent().by_ip.insert(ip.clone(), uid);
            self.rt.ip = Some(ip.clone());
            self.generate_files(&ip);
        }
        // Stage 2b: ConfigMap and Secret volumes (the volume manager) before any container.
        if !self.mount_volumes() {
            self.write_status();
            return;
        }
        // Stage 3: containers move on to now.
        self.advance_all();
        if self.deadline_exceeded() {
            return;
        }
        self.restart_changed();
        // Stage 4: probes that are due.
        self.probe_all();
        // Stage 5: exits the kubelet has noticed, and back-offs that have ended.
        self.handle_exits();
        // Stage 6: the pod worker's periodic resync while something backs off.
        self.resync();
        // Stage 7: start what should run.
        self.plan();
        self.run_job();
        self.advance_all();
        // Arms the resync timer for what just started backing off.
        self.resync();
        // Stage 8: a pod whose regular containers are done stops its sidecars and ends.
        self.finish_pod();
        self.arm_probes();
        self.write_status();
    }

    /// The volume manager: projects API data (ConfigMap, Secret, downward API) into the pod
    /// and points PVC and `hostPath` mounts at their storage. A missing (non-optional) source
    /// is a `FailedMount` retried with the volume manager's back-off (0.5 s doubling to about
    /// 2 min); once mounted, [`Sync::refresh_volumes`] keeps the projections current.
    fn mount_volumes(&mut self) -> bool {
        if self.rt.volumes_ready {
            self.refresh_volumes();
            return true;
        }
        if self.rt.mount_retry_at.is_some_and(|t| t > self.now) {
            return false;
        }
        let mut layers = Vec::new();
        let mut shared = Vec::new();
        for v in &self.pod.spec.volumes {
            if v.name.starts_with("kube-api-access-") {
                // The service-account token directory is generated with the pod's files.
                continue;
            }
            match volume_manager::resolve(v, self.pod, &self.node.metadata.name, self.world.store) {
                Ok(volume_manager::Source::Projected { files, .. }) => layers.push((v.name.clone(), files)),
                Ok(volume_manager::Source::Shared(key)) => shared.push((v.name.clone(), key)),
                Ok(volume_manager::Source::Pod) => {}
                Err(e) => {
                    if let volume_manager::MountError::Missing(cause) = e {
                        self.event(
                            "Warning",
                            "FailedMount",
                            format!("MountVolume.SetUp failed for volume \"{}\" : {cause}", v.name),
                        );
                    }
                    let delay = (500u64 << self.rt.mount_attempts.min(8)).min(122_000);
                    self.rt.mount_attempts += 1;
                    self.rt.mount_retry_at = Some(self.now.plus_ms(delay));
                    return false;
                }
            }
        }
        for (n, l) in layers {
            self.rt.volumes.insert(n, l);
        }
        for c in &mut self.rt.containers {
            for m in &mut c.mounts {
                if let Some((_, key)) = shared.iter().find(|(n, _)| *n == m.volume) {
                    m.backing = crate::vfs::Backing::Shared(key.clone());
                }
            }
        }
        self.rt.volumes_ready = true;
        self.rt.mount_retry_at = None;
        true
    }

    /// Keeps API-data volumes current. Downward API files follow a pod update at once (the
    /// update itself syncs the pod and re-runs its volume setup); ConfigMap and Secret changes
    /// wait for the pod's next periodic resync ([`volume_manager::SYNC_PERIOD_MS`]). A source
    /// that has gone leaves the files as they were, as the kubelet does.
    fn refresh_volumes(&mut self) {
        if self.rt.api_data.is_empty() || self.pod.metadata.is_deleting() {
            return;
        }
        let due = self.rt.projection_due.is_some_and(|t| t <= self.now);
        let mut waiting = false;
        for v in &self.pod.spec.volumes {
            if !self.rt.api_data.contains(&v.name) {
                continue;
            }
            let Ok(volume_manager::Source::Projected { files, from_pod }) =
                volume_manager::resolve(v, self.pod, &self.node.metadata.name, self.world.store)
            else {
                continue;
            };
            if self.rt.volumes.get(&v.name) == Some(&files) {
                continue;
            }
            if from_pod || due {
                self.rt.volumes.insert(v.name.clone(), files);
            } else {
                waiting = true;
            }
        }
        if due {
            self.rt.projection_due = None;
        }
        if waiting && self.rt.projection_due.is_none() {
            self.rt.projection_due = Some(volume_manager::resync_due(self.rt.admitted_at, self.now));
        }
    }

    /// `activeDeadlineSeconds`: the pod fails with reason `DeadlineExceeded` and its containers
    /// are killed (the kubelet's `activeDeadlineHandler`).
    fn deadline_exceeded(&mut self) -> bool {
        let Some(secs) = self.pod.spec.active_deadline_seconds else {
            return false;
        };
        let Some(start) = self.pod.status.start_time else {
            return false;
        };
        if self.now.since(start.0) < secs.max(0) * 1000 {
            return false;
        }
        if self.pod.status.reason.as_deref() != Some("DeadlineExceeded") {
            self.event(
                "Normal",
                "DeadlineExceeded",
                "Pod was active on the node longer than the specified deadline".into(),
            );
        }
        self.rt.job = None;
        let grace = self.pod.spec.termination_grace_period_seconds.unwrap_or(30).max(0) as u64 * 1000;
        for i in 0..self.rt.containers.len() {
            let stopping = self.rt.containers[i].instance().is_some_and(|inst| inst.stop.is_some());
            if self.rt.containers[i].instance().is_some() && !stopping {
                let name = self.rt.containers[i].name.clone();
                self.event("Normal", "Killing", format!("Stopping container {name}"));
                self.stop_container(i, grace);
            }
        }
        self.advance_all();
        let mut p = self.pod.clone();
        for i in 0..self.rt.containers.len() {
            let s = self.container_status(i);
            let list = if self.rt.containers[i].role == Role::App {
                &mut p.status.container_statuses
            } else {
                &mut p.status.init_container_statuses
            };
            if let Some(slot) = list.iter_mut().find(|c| c.name == s.name) {
                *slot = s;
            }
        }
        p.status.phase = Some("Failed".into());
        p.status.reason = Some("DeadlineExceeded".into());
        p.status.message = Some("Pod was active on the node longer than the specified deadline".into());
        if self.rt.containers.iter().all(|c| c.instance().is_none()) && !self.rt.terminal {
            self.rt.terminal = true;
            let ip = self.rt.ip.clone();
            self.agent().release_ip(ip.as_deref());
        }
        set_conditions(&mut p, !self.rt.terminal, self.now);
        if p != *self.pod {
            self.actions.push(Action::UpdateStatus(Object::Pod(p)));
        }
        true
    }

    /// A running container whose image changed in the pod spec is killed and started again
    /// (`Container nginx definition changed, will be restarted`).
    fn restart_changed(&mut self) {
        for i in 0..self.rt.containers.len() {
            let spec = self.spec(i);
            let Some(inst) = self.rt.containers[i].instance() else {
                continue;
            };
            if inst.stop.is_some() || inst.image == spec.image {
                continue;
            }
            let name = spec.name.clone();
            self.event(
                "Normal",
                "Killing",
                format!("Container {name} definition changed, will be restarted"),
            );
            let grace = self.pod.spec.termination_grace_period_seconds.unwrap_or(30).max(0) as u64 * 1000;
            self.rt.containers[i].kill_for_restart = true;
            self.stop_container(i, grace);
        }
    }

    fn generate_files(&mut self, ip: &str) {
        let p = self.pod;
        let host = self.rt.hostname.clone();
        let ns = p.metadata.ns().to_string();
        let g = &mut self.rt.generated.files;
        g.insert("/etc/hostname".into(), format!("{host}\n"));
        g.insert(
            "/etc/hosts".into(),
            format!("# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n{ip}\t{host}\n"),
        );
        g.insert("/etc/resolv.conf".into(), format!("search {ns}.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n"));
        g.insert("/dev/termination-log".into(), String::new());
        if p.spec.automount_service_account_token != Some(false) {
            let d = "/var/run/secrets/kubernetes.io/serviceaccount";
            g.insert(format!("{d}/namespace"), ns.clone());
            g.insert(format!("{d}/ca.crt"), "-----BEGIN CERTIFICATE-----\nMIIDBTCCAe2gAwIBAgIIkubelab0000wDQYJKoZIhvcNAQELBQAwFTETMBEGA1UE\nAxMKa3ViZXJuZXRlczAeFw0yNjAzMDIwODU1MDBaFw0zNjAyMjgwOTAwMDBaMBUx\n-----END CERTIFICATE-----\n".into());
            g.insert(
                format!("{d}/token"),
                format!(
                    "eyJhbGciOiJSUzI1NiIsImtpZCI6Imt1YmVsYWIifQ.{}",
                    runtime::hex64(&[p.metadata.uid(), "token"])
                ),
            );
        }
    }

    /// Runs every running container up to now; exits become `Exited`.
    fn advance_all(&mut self) {
        for i in 0..self.rt.containers.len() {
            if self.rt.containers[i].instance().is_some() {
                let _ = runtime::advance(self.rt, i, self.world);
            }
        }
        // postStart hooks that have finished while the job waits are handled by the job.
    }

    fn has_probes(&self, i: usize) -> bool {
        let s = self.spec(i);
        s.startup_probe.is_some() || s.liveness_probe.is_some() || s.readiness_probe.is_some()
    }

    fn probe_all(&mut self) {
        let now = self.now;
        for i in 0..self.rt.containers.len() {
            if !self.has_probes(i) || self.rt.containers[i].instance().is_none() {
                continue;
            }
            let spec = self.spec(i);
            for kind in probe::Kind::ALL {
                let Some(p) = kind.of(spec).cloned() else {
                    continue;
                };
                let (due, started, started_at, stopping, hook) = {
                    let Some(inst) = self.rt.containers[i].instance_mut() else {
                        break;
                    };
                    let st = &mut inst.probes[kind as usize];
                    if st.next.is_none() {
                        st.next = None;
                    }
                    (
                        st.next,
                        inst.started,
                        inst.started_at,
                        inst.stop.is_some(),
                        inst.post_start_until.is_some(),
                    )
                };
                if stopping || hook {
                    continue;
                }
                let next = match due {
                    Some(t) => t,
                    None => {
                        let t = probe::next_tick(self.rt, &spec.name, kind, &p, started_at);
                        if let Some(inst) = self.rt.containers[i].instance_mut() {
                            inst.probes[kind as usize].next = Some(t);
                        }
                        t
                    }
                };
                if next > now {
                    continue;
                }
                let following = probe::next_tick(self.rt, &spec.name, kind, &p, now);
                if let Some(inst) = self.rt.containers[i].instance_mut() {
                    inst.probes[kind as usize].next = Some(following);
                }
                let gated = match kind {
                    probe::Kind::Startup => started,
                    _ => !started,
                };
                if gated || now.since(started_at) < probe::initial_delay_ms(&p) as i64 {
                    continue;
                }
                if spec.restart_policy.is_none() && self.rt.containers[i].role == Role::Init {
                    // Regular init containers have no probes (validation rejects them).
                    continue;
                }
                let (ok, message) = probe::run(self.rt, i, spec, &p, self.world);
                self.probe_result(i, kind, &p, ok, &message);
            }
        }
    }

    /// Gives every probe worker of a freshly started container its first tick.
    fn arm_probes(&mut self) {
        for i in 0..self.rt.containers.len() {
            if !self.has_probes(i) || self.rt.containers[i].instance().is_none() {
                continue;
            }
            let spec = self.spec(i);
            for kind in probe::Kind::ALL {
                let Some(p) = kind.of(spec) else { continue };
                let Some(inst) = self.rt.containers[i].instance() else {
                    break;
                };
                if inst.probes[kind as usize].next.is_some() || inst.stop.is_some() {
                    continue;
                }
                let t = probe::next_tick(self.rt, &spec.name, kind, p, inst.started_at);
                if let Some(inst) = self.rt.containers[i].instance_mut() {
                    inst.probes[kind as usize].next = Some(t);
                }
            }
        }
    }

    fn probe_result(&mut self, i: usize, kind: probe::Kind, p: &Probe, ok: bool, message: &str) {
        let name = self.rt.containers[i].name.clone();
        if !ok {
            let verb = if message.starts_with("rpc error:") {
                "errored"
            } else {
                "failed"
            };
            self.event(
                "Warning",
                "Unhealthy",
                format!("{} probe {verb}: {message}", kind.label()),
            );
        }
        let Some(inst) = self.rt.containers[i].instance_mut() else {
            return;
        };
        let st = &mut inst.probes[kind as usize];
        if ok {
            st.successes += 1;
            st.failures = 0;
        } else {
            st.failures += 1;
            st.successes = 0;
        }
        st.ok = Some(ok);
        let (succ, fail) = (st.successes, st.failures);
        match kind {
            probe::Kind::Readiness => {
                if ok && succ >= probe::success_threshold(p) {
                    inst.ready = true;
                } else if !ok && fail >= probe::failure_threshold(p) {
                    inst.ready = false;
                }
            }
            probe::Kind::Startup => {
                if ok {
                    inst.started = true;
                } else if fail >= probe::failure_threshold(p) {
                    self.kill_for_restart(i, p, &format!("Container {name} failed startup probe"));
                }
            }
            probe::Kind::Liveness => {
                if !ok && fail >= probe::failure_threshold(p) {
                    self.kill_for_restart(i, p, &format!("Container {name} failed liveness probe"));
                }
            }
        }
    }

    /// A failed liveness/startup probe: Killing event, stop, restart right after (per policy).
    fn kill_for_restart(&mut self, i: usize, p: &Probe, message: &str) {
        let restart = self.restart_policy() != "Never" || self.rt.containers[i].role == Role::Sidecar;
        let msg = if restart {
            format!("{message}, will be restarted")
        } else {
            message.to_string()
        };
        self.event("Normal", "Killing", msg);
        let grace = p
            .termination_grace_period_seconds
            .or(self.pod.spec.termination_grace_period_seconds)
            .unwrap_or(30)
            .max(0) as u64
            * 1000;
        self.rt.containers[i].kill_for_restart = true;
        self.stop_container(i, grace);
    }

    fn stop_container(&mut self, i: usize, grace_ms: u64) {
        let spec = self.spec(i);
        if let Some(failure) = runtime::begin_stop(self.rt, i, spec, grace_ms, self.world) {
            self.event("Warning", "FailedPreStopHook", failure);
        }
    }

    /// Whether an exited container runs again (`ShouldContainerBeRestarted`).
    fn should_restart(&self, i: usize, exit_code: i32) -> bool {
        let c = &self.rt.containers[i];
        if self.pod.metadata.is_deleting() {
            return false;
        }
        match c.role {
            Role::Sidecar => true,
            Role::Init => exit_code != 0 && self.restart_policy() != "Never",
            Role::App => match self.restart_policy() {
                "Never" => false,
                "OnFailure" => exit_code != 0,
                _ => true,
            },
        }
    }

    /// `doBackOff`: Some(until) while the container must wait, else records the restart.
    fn do_backoff(&mut self, i: usize, event: Option<SimTime>) -> Option<(SimTime, u64)> {
        let now = self.now;
        let ts = event?;
        let c = &mut self.rt.containers[i];
        if c.backoff.in_backoff_since(ts, now) {
            return Some((c.backoff.until(ts), c.backoff.delay_ms));
        }
        c.backoff.next(ts, now);
        None
    }

    fn backoff_event(&mut self, i: usize) {
        let name = self.rt.containers[i].name.clone();
        let msg = format!(
            "Back-off restarting failed container {name} in pod {}",
            pod_ref(self.pod)
        );
        self.event("Warning", "BackOff", msg);
    }

    fn handle_exits(&mut self) {
        let now = self.now;
        for i in 0..self.rt.containers.len() {
            let c = &self.rt.containers[i];
            match &c.state {
                CState::Exited { term, noticed } if *noticed <= now && !c.pending_restart => {
                    let (code, finished) = (term.exit_code, term.finished_at);
                    if !self.should_restart(i, code) {
                        continue;
                    }
                    let c = &self.rt.containers[i];
                    let event = if c.kill_for_restart {
                        c.prev_term.as_ref().map(|t| t.finished_at)
                    } else {
                        Some(finished)
                    };
                    match self.do_backoff(i, event) {
                        Some((until, delay_ms)) => {
                            self.rt.containers[i].state = CState::BackOff { until, delay_ms };
                            self.backoff_event(i);
                        }
                        None => self.rt.containers[i].pending_restart = true,
                    }
                }
                CState::BackOff { until, .. } if *until <= now && !c.pending_restart => {
                    let ts = c.last_term.as_ref().map(|t| t.finished_at);
                    match self.do_backoff(i, ts) {
                        Some((until, delay_ms)) => self.rt.containers[i].state = CState::BackOff { until, delay_ms },
                        None => self.rt.containers[i].pending_restart = true,
                    }
                }
                _ => {}
            }
        }
    }

    fn resync(&mut self) {
        let now = self.now;
        let backing_off = |c: &ContainerRt| match &c.state {
            CState::BackOff { .. } => !c.pending_restart,
            CState::Waiting { reason, .. } => {
                matches!(
                    reason.as_str(),
                    "ErrImagePull" | "ImagePullBackOff" | "CreateContainerConfigError"
                ) && !c.pending_restart
            }
            _ => false,
        };
        if !self.rt.containers.iter().any(backing_off) {
            self.rt.resync_at = None;
            return;
        }
        let jitter = |rt: &PodRuntime, t: SimTime| 10_000 + stable_hash(&[&rt.uid, &t.0.to_string(), "resync"]) % 5_000;
        match self.rt.resync_at {
            None => {
                let j = jitter(self.rt, now);
                self.rt.resync_at = Some(now.plus_ms(j));
            }
            Some(t) if t <= now => {
                for i in 0..self.rt.containers.len() {
                    let c = &self.rt.containers[i];
                    if !backing_off(c) {
                        continue;
                    }
                    match &c.state {
                        CState::BackOff { .. } => self.backoff_event(i),
                        _ => self.rt.containers[i].pending_restart = true,
                    }
                }
                let j = jitter(self.rt, now);
                self.rt.resync_at = Some(now.plus_ms(j));
            }
            Some(_) => {}
        }
    }

    /// Never created yet (still in the first `ContainerCreating`/`PodInitializing`).
    fn fresh(c: &ContainerRt) -> bool {
        matches!(&c.state, CState::Waiting { reason, .. } if reason == "ContainerCreating" || reason == "PodInitializing")
            && c.image_ref.is_none()
    }

    /// Which containers to start now (`computePodActions`).
    fn plan(&mut self) {
        if self.rt.job.is_some() {
            return;
        }
        let mut queue: VecDeque<usize> = VecDeque::new();
        let startable = |c: &ContainerRt| Self::fresh(c) || c.pending_restart;
        let mut initialized = self.rt.initialized;
        if !initialized {
            let mut all_done = true;
            for (i, c) in self.rt.containers.iter().enumerate() {
                match c.role {
                    Role::App => continue,
                    Role::Init => {
                        if matches!(&c.state, CState::Exited { term, .. } if term.exit_code == 0) {
                            continue;
                        }
                        all_done = false;
                        if startable(c) {
                            queue.push_back(i);
                        }
                        break;
                    }
                    Role::Sidecar => {
                        if c.instance()
                            .is_some_and(|inst| inst.started && inst.post_start_until.is_none())
                        {
                            continue;
                        }
                        all_done = false;
                        if startable(c) {
                            queue.push_back(i);
                        }
                        break;
                    }
                }
            }
            if all_done {
                initialized = true;
                self.rt.initialized = true;
            }
        }
        if initialized {
            for (i, c) in self.rt.containers.iter().enumerate() {
                if startable(c) {
                    queue.push_back(i);
                }
            }
        }
        if !queue.is_empty() {
            for &i in &queue {
                self.rt.containers[i].pending_restart = false;
            }
            self.rt.job = Some(Job {
                queue,
                step: JobStep::Begin,
            });
        }
    }

    fn set_waiting(&mut self, i: usize, reason: &str, message: Option<String>) {
        self.rt.containers[i].state = CState::Waiting {
            reason: reason.into(),
            message,
        };
    }

    fn pop_job(&mut self) {
        if let Some(j) = self.rt.job.as_mut() {
            j.queue.pop_front();
            j.step = JobStep::Begin;
        }
    }

    /// Starts the queued containers one after another: image, create, start, postStart.
    fn run_job(&mut self) {
        let now = self.now;
        for _ in 0..64 {
            let Some(job) = self.rt.job.clone() else {
                return;
            };
            let Some(&i) = job.queue.front() else {
                self.rt.job = None;
                return;
            };
            let spec = self.spec(i);
            let image = spec.image.clone();
            match job.step {
                JobStep::Begin => {
                    if self.rt.containers[i].instance().is_some() {
                        self.pop_job();
                        continue;
                    }
                    if images::invalid_reference(&image) {
                        self.set_waiting(i, "InvalidImageName", Some(format!("Failed to apply default image tag \"{image}\": couldn't parse image name \"{image}\": invalid reference format")));
                        self.event("Warning", "InspectFailed", format!("Failed to apply default image tag \"{image}\": couldn't parse image name \"{image}\": invalid reference format"));
                        self.event("Warning", "Failed", "Error: InvalidImageName".into());
                        self.pop_job();
                        continue;
                    }
                    let norm = images::normalized(&image);
                    let present = self.agent().images.contains(&norm);
                    let policy = spec
                        .image_pull_policy
                        .clone()
                        .unwrap_or_else(|| crate::admission::pull_policy_for(&image).to_string());
                    if policy == "Never" && !present {
                        let msg = format!("Container image \"{image}\" is not present with pull policy of Never");
                        self.set_waiting(i, "ErrImageNeverPull", Some(msg.clone()));
                        self.event("Warning", "ErrImageNeverPull", msg);
                        self.event("Warning", "Failed", "Error: ErrImageNeverPull".into());
                        self.pop_job();
                        continue;
                    }
                    if present && policy != "Always" {
                        self.event(
                            "Normal",
                            "Pulled",
                            format!("Container image \"{image}\" already present on machine"),
                        );
                        if !self.create_and_start(i, spec) {
                            return;
                        }
                        continue;
                    }
                    let key = image.clone();
                    if self
                        .rt
                        .pull_backoff
                        .get(&key)
                        .is_some_and(|b| b.in_backoff_since_update(now))
                    {
                        let msg = format!("Back-off pulling image \"{image}\"");
                        self.event("Normal", "BackOff", msg.clone());
                        self.event("Warning", "Failed", "Error: ImagePullBackOff".into());
                        self.set_waiting(i, "ImagePullBackOff", Some(msg));
                        self.pop_job();
                        continue;
                    }
                    let error = images::pull_error(&image);
                    let size = images::size(&image);
                    let salt = pull_salt(&self.rt.uid, self.rt.containers[i].restart_count);
                    let ms = pull_ms(&salt, &image, size, present, error.is_some());
                    self.event("Normal", "Pulling", format!("Pulling image \"{image}\""));
                    if let Some(j) = self.rt.job.as_mut() {
                        j.step = JobStep::Pulling {
                            until: now.plus_ms(ms),
                            error,
                            cached: present,
                        };
                    }
                    return;
                }
                JobStep::Pulling { until, .. } if until > now => return,
                JobStep::Pulling { error, until, cached } => match error {
                    None => {
                        let norm = images::normalized(&image);
                        let size = images::size(&image);
                        let salt = pull_salt(&self.rt.uid, self.rt.containers[i].restart_count);
                        let took = go_duration(pull_ms(&salt, &image, size, cached, false));
                        let _ = until;
                        self.event("Normal", "Pulled", format!("Successfully pulled image \"{image}\" in {took} ({took} including waiting). Image size: {size} bytes."));
                        self.agent().images.insert(norm);
                        if let Some(j) = self.rt.job.as_mut() {
                            j.step = JobStep::Begin;
                        }
                        if !self.create_and_start(i, spec) {
                            return;
                        }
                    }
                    Some(e) => {
                        self.event("Warning", "Failed", format!("Failed to pull image \"{image}\": {e}"));
                        self.event("Warning", "Failed", "Error: ErrImagePull".into());
                        self.rt.pull_backoff.entry(image.clone()).or_default().next(now, now);
                        self.set_waiting(i, "ErrImagePull", Some(e));
                        self.pop_job();
                    }
                },
                JobStep::PostStart { until } if until > now => return,
                JobStep::PostStart { .. } => {
                    let failure = self.rt.containers[i].instance_mut().and_then(|inst| {
                        inst.post_start_until = None;
                        inst.post_start_error.take()
                    });
                    self.pop_job();
                    if let Some(msg) = failure {
                        self.event("Warning", "FailedPostStartHook", msg);
                        self.event("Normal", "Killing", "FailedPostStartHook".into());
                        let grace = self.pod.spec.termination_grace_period_seconds.unwrap_or(30).max(0) as u64 * 1000;
                        self.rt.containers[i].kill_for_restart = true;
                        self.stop_container(i, grace);
                    }
                }
            }
        }
    }

    /// Creates and starts container `i`. Returns false when the job must wait (postStart).
    fn create_and_start(&mut self, i: usize, spec: &Container) -> bool {
        let now = self.now;
        let name = spec.name.clone();
        let result = runtime::start(self.rt, i, spec, self.pod, self.world);
        if !matches!(result, Err(runtime::StartFailure::Config(_))) {
            // The kubelet builds the container's config first: a config error means no Created.
            self.event("Normal", "Created", format!("Created container: {name}"));
        }
        match result {
            Err(runtime::StartFailure::Config(msg)) => {
                self.event("Warning", "Failed", format!("Error: {msg}"));
                self.set_waiting(i, "CreateContainerConfigError", Some(msg));
                self.pop_job();
                true
            }
            Err(runtime::StartFailure::Exec(msg)) => {
                self.event("Warning", "Failed", format!("Error: {msg}"));
                let c = &mut self.rt.containers[i];
                let id = runtime::hex64(&[&self.rt.uid, &name, &c.restart_count.to_string()]);
                let norm = images::normalized(&spec.image);
                let repo = norm
                    .rsplit_once(':')
                    .map(|(r, _)| r.to_string())
                    .unwrap_or_else(|| norm.clone());
                c.image_ref = Some((norm.clone(), format!("{repo}@sha256:{}", runtime::hex64(&[&norm]))));
                let term = Termination {
                    exit_code: 128,
                    reason: "StartError".into(),
                    message: Some(msg),
                    started_at: SimTime(0),
                    finished_at: now,
                    container_id: format!("containerd://{id}"),
                };
                c.prev_term = c.last_term.take();
                c.last_term = Some(term.clone());
                c.state = CState::Exited {
                    term,
                    noticed: now.plus_ms(300),
                };
                self.pop_job();
                true
            }
            Ok(()) => {
                self.event("Normal", "Started", format!("Started container {name}"));
                if let Some(h) = spec.lifecycle.as_ref().and_then(|l| l.post_start.as_ref()) {
                    let (code, output, took, blocked) = runtime::run_hook(self.rt, i, h, self.world);
                    let until = if blocked {
                        now.plus_ms(365 * 86_400_000)
                    } else {
                        now.plus_ms(took.max(1))
                    };
                    let error =
                        (code != 0).then(|| runtime::hook_failure("PostStart", h, &name, self.rt, code, &output));
                    if let Some(inst) = self.rt.containers[i].instance_mut() {
                        inst.post_start_until = Some(until);
                        inst.post_start_error = error;
                    }
                    if let Some(j) = self.rt.job.as_mut() {
                        j.step = JobStep::PostStart { until };
                    }
                    return false;
                }
                self.pop_job();
                true
            }
        }
    }

    /// Regular containers all done for good: stop the sidecars; the pod then reaches a
    /// terminal phase and its sandbox goes.
    fn finish_pod(&mut self) {
        let apps_done = self
            .rt
            .containers
            .iter()
            .enumerate()
            .filter(|(_, c)| c.role == Role::App)
            .all(|(i, c)| match &c.state {
                CState::Exited { term, noticed } => {
                    *noticed <= self.now && !c.pending_restart && !self.should_restart(i, term.exit_code)
                }
                _ => false,
            });
        let init_failed = self.restart_policy() == "Never"
            && self.rt.containers.iter().any(|c| {
                c.role == Role::Init && matches!(&c.state, CState::Exited { term, .. } if term.exit_code != 0)
            });
        if apps_done || init_failed {
            self.rt.job = None;
            let grace = self.pod.spec.termination_grace_period_seconds.unwrap_or(30).max(0) as u64 * 1000;
            for i in 0..self.rt.containers.len() {
                let stopping = self.rt.containers[i].instance().is_some_and(|inst| inst.stop.is_some());
                if self.rt.containers[i].instance().is_some() && !stopping {
                    let name = self.rt.containers[i].name.clone();
                    self.event("Normal", "Killing", format!("Stopping container {name}"));
                    self.stop_container(i, grace);
                }
            }
        }
    }

    /// Graceful deletion: stop every running container, then the pod object goes.
    fn terminate(&mut self) {
        self.rt.job = None;
        let grace = self.pod.metadata.deletion_grace_period_seconds.unwrap_or(30).max(0) as u64 * 1000;
        for i in 0..self.rt.containers.len() {
            let stopping = self.rt.containers[i].instance().is_some_and(|inst| inst.stop.is_some());
            if self.rt.containers[i].instance().is_some() && !stopping {
                let name = self.rt.containers[i].name.clone();
                self.event("Normal", "Killing", format!("Stopping container {name}"));
                self.stop_container(i, grace);
            }
        }
        self.advance_all();
        if self.rt.containers.iter().all(|c| c.instance().is_none()) {
            let ip = self.rt.ip.clone();
            if !self.rt.terminal {
                self.agent().release_ip(ip.as_deref());
            }
            self.removed = true;
            self.actions.push(Action::Remove(ObjKey::new(
                Kind::Pod,
                self.pod.metadata.ns(),
                &self.pod.metadata.name,
            )));
            return;
        }
        self.write_status();
    }

    fn container_status(&self, i: usize) -> ContainerStatus {
        let c = &self.rt.containers[i];
        let spec = self.spec(i);
        let (image, image_id) = c
            .image_ref
            .clone()
            .unwrap_or_else(|| (spec.image.clone(), String::new()));
        let terminated = |t: &Termination| StateTerminated {
            container_id: Some(t.container_id.clone()),
            exit_code: i64::from(t.exit_code),
            finished_at: Some(Timestamp(t.finished_at)),
            message: t.message.clone(),
            reason: Some(t.reason.clone()),
            signal: None,
            started_at: (t.started_at.0 > 0 || t.reason != "StartError")
                .then_some(Timestamp(t.started_at))
                .filter(|_| t.reason != "StartError"),
        };
        let last = |t: &Option<Termination>| ContainerState {
            terminated: t.as_ref().map(terminated),
            ..Default::default()
        };
        let waiting = |reason: &str, message: Option<String>| ContainerState {
            waiting: Some(StateWaiting {
                reason: Some(reason.into()),
                message,
            }),
            ..Default::default()
        };
        let last_id = c.last_term.as_ref().map(|t| t.container_id.clone());
        let (state, last_state, ready, started, container_id) = match &c.state {
            CState::Waiting { reason, message } => (
                waiting(reason, message.clone()),
                last(&c.last_term),
                false,
                Some(false),
                last_id,
            ),
            CState::Running(inst) if inst.post_start_until.is_some() => {
                let (st, ls) = match &c.last_term {
                    Some(t) => (
                        ContainerState {
                            terminated: Some(terminated(t)),
                            ..Default::default()
                        },
                        last(&c.prev_term),
                    ),
                    None => (
                        waiting(
                            if self.pod.spec.init_containers.is_empty() {
                                "ContainerCreating"
                            } else {
                                "PodInitializing"
                            },
                            None,
                        ),
                        ContainerState::default(),
                    ),
                };
                (st, ls, false, Some(false), last_id)
            }
            CState::Running(inst) => (
                ContainerState {
                    running: Some(StateRunning {
                        started_at: Some(Timestamp(inst.started_at)),
                    }),
                    ..Default::default()
                },
                last(&c.last_term),
                inst.started && (inst.ready || spec.readiness_probe.is_none()) && c.role != Role::Init,
                Some(inst.started),
                Some(format!("containerd://{}", inst.id)),
            ),
            CState::Exited { term, .. } => (
                ContainerState {
                    terminated: Some(terminated(term)),
                    ..Default::default()
                },
                last(&c.prev_term),
                c.role == Role::Init && term.exit_code == 0,
                Some(false),
                Some(term.container_id.clone()),
            ),
            CState::BackOff { delay_ms, .. } => (
                waiting(
                    "CrashLoopBackOff",
                    Some(format!(
                        "back-off {} restarting failed container={} pod={}",
                        backoff::go_secs(*delay_ms),
                        c.name,
                        pod_ref(self.pod)
                    )),
                ),
                last(&c.last_term),
                false,
                Some(false),
                last_id,
            ),
        };
        ContainerStatus {
            container_id,
            image,
            image_id,
            last_state,
            name: c.name.clone(),
            ready,
            restart_count: c.restart_count,
            started,
            state,
        }
    }

    /// Writes the pod's status as the runtime sees it. The status is built alone and the pod is
    /// copied only when it changed (most syncs change nothing, and a pod spec is a deep copy).
    fn write_status(&mut self) {
        let now = self.now;
        let mut status = self.pod.status.clone();
        if status.start_time.is_none() {
            status.start_time = Some(Timestamp(now));
            status.host_ip = self.node.internal_ip().map(str::to_string);
            status.host_ips = status.host_ip.iter().map(|ip| PodIp { ip: ip.clone() }).collect();
        }
        if let Some(ip) = &self.rt.ip {
            status.pod_ip = Some(ip.clone());
            status.pod_ips = vec![PodIp { ip: ip.clone() }];
        }
        let mut init = Vec::new();
        let mut apps = Vec::new();
        for i in 0..self.rt.containers.len() {
            let s = self.container_status(i);
            if self.rt.containers[i].role == Role::App {
                apps.push(s);
            } else {
                init.push(s);
            }
        }
        status.init_container_statuses = init;
        status.container_statuses = apps;
        let phase = phase_of(&self.pod.spec, &status);
        status.phase = Some(phase.to_string());
        let terminal = matches!(phase, "Succeeded" | "Failed");
        if terminal && !self.rt.terminal && !self.pod.metadata.is_deleting() {
            self.rt.terminal = true;
            self.rt.job = None;
            let ip = self.rt.ip.clone();
            self.agent().release_ip(ip.as_deref());
        }
        conditions_of(
            &self.pod.spec,
            &mut status,
            self.rt.ip.is_some() && !self.rt.terminal,
            now,
        );
        if status != self.pod.status {
            let p = Pod {
                metadata: self.pod.metadata.clone(),
                spec: self.pod.spec.clone(),
                status,
            };
            self.actions.push(Action::UpdateStatus(Object::Pod(p)));
        }
    }
}

/// The kubelet's `getPhase`, for a pod that is not being deleted.
pub fn pod_phase(p: &Pod) -> &'static str {
    phase_of(&p.spec, &p.status)
}

/// [`pod_phase`] of a spec and a status that is not (yet) a pod's.
fn phase_of(spec: &PodSpec, status: &PodStatus) -> &'static str {
    let find = |list: &[ContainerStatus], name: &str| list.iter().find(|s| s.name == name).cloned();
    let (mut pending_init, mut failed_init) = (0, 0);
    let (mut unknown, mut running, mut waiting, mut stopped, mut succeeded) = (0, 0, 0, 0, 0);
    for c in &spec.init_containers {
        let sidecar = c.restart_policy.as_deref() == Some("Always");
        let Some(s) = find(&status.init_container_statuses, &c.name) else {
            if sidecar {
                unknown += 1;
            } else {
                pending_init += 1;
            }
            continue;
        };
        if sidecar {
            if s.state.running.is_some() {
                if s.started != Some(true) {
                    pending_init += 1;
                }
                running += 1;
            } else if s.state.terminated.is_some() || s.last_state.terminated.is_some() {
            } else if s.state.waiting.is_some() {
                pending_init += 1;
                waiting += 1;
            } else {
                unknown += 1;
            }
            continue;
        }
        if s.state.running.is_some() {
            pending_init += 1;
        } else if let Some(t) = &s.state.terminated {
            if t.exit_code != 0 {
                failed_init += 1;
            }
        } else if s.state.waiting.is_some() {
            match &s.last_state.terminated {
                Some(t) if t.exit_code != 0 => failed_init += 1,
                Some(_) => {}
                None => pending_init += 1,
            }
        } else {
            pending_init += 1;
        }
    }
    for c in &spec.containers {
        let Some(s) = find(&status.container_statuses, &c.name) else {
            unknown += 1;
            continue;
        };
        if s.state.running.is_some() {
            running += 1;
        } else if let Some(t) = &s.state.terminated {
            stopped += 1;
            if t.exit_code == 0 {
                succeeded += 1;
            }
        } else if s.state.waiting.is_some() {
            if s.last_state.terminated.is_some() {
                stopped += 1;
            } else {
                waiting += 1;
            }
        } else {
            unknown += 1;
        }
    }
    let policy = spec.restart_policy.as_deref().unwrap_or("Always");
    if failed_init > 0 && policy == "Never" {
        return "Failed";
    }
    let any_regular_started = status
        .container_statuses
        .iter()
        .any(|s| s.state.running.is_some() || s.state.terminated.is_some() || s.last_state.terminated.is_some());
    if (pending_init > 0 && !any_regular_started) || waiting > 0 {
        return "Pending";
    }
    if running > 0 && unknown == 0 {
        return "Running";
    }
    if running == 0 && stopped > 0 && unknown == 0 {
        if policy == "Always" {
            return "Running";
        }
        if stopped == succeeded {
            return "Succeeded";
        }
        if policy == "Never" {
            return "Failed";
        }
        return "Running";
    }
    "Pending"
}

fn pod_condition(type_: &str, ok: bool, at: SimTime, reason: Option<String>, message: Option<String>) -> Condition {
    Condition {
        last_probe_time: Some(NullTime(None)),
        last_transition_time: Some(Timestamp(at)),
        message,
        reason,
        status: if ok { "True" } else { "False" }.into(),
        type_: type_.into(),
        ..Default::default()
    }
}

/// The kubelet's conditions, in the order it reports them, keeping PodScheduled (the
/// scheduler's) last and the transition times of unchanged conditions.
fn set_conditions(p: &mut Pod, sandbox: bool, now: SimTime) {
    conditions_of(&p.spec, &mut p.status, sandbox, now)
}

/// [`set_conditions`] on a status that is not (yet) a pod's.
fn conditions_of(spec: &PodSpec, status: &mut PodStatus, sandbox: bool, now: SimTime) {
    let phase = status.phase.as_deref().unwrap_or("Pending").to_string();
    let terminal_reason = match phase.as_str() {
        "Succeeded" => Some("PodCompleted".to_string()),
        "Failed" => Some("PodFailed".to_string()),
        _ => None,
    };
    // Initialized.
    let mut incomplete = Vec::new();
    for c in &spec.init_containers {
        let s = status.init_container_statuses.iter().find(|s| s.name == c.name);
        let done = if c.restart_policy.as_deref() == Some("Always") {
            s.is_some_and(|s| s.started == Some(true))
        } else {
            s.is_some_and(|s| s.state.terminated.as_ref().is_some_and(|t| t.exit_code == 0))
        };
        if !done {
            incomplete.push(c.name.clone());
        }
    }
    let regular_started = status
        .container_statuses
        .iter()
        .any(|s| s.state.running.is_some() || s.state.terminated.is_some() || s.last_state.terminated.is_some());
    let (init_ok, init_reason, init_msg) = if phase == "Succeeded" {
        (true, Some("PodCompleted".to_string()), None)
    } else if incomplete.is_empty() || regular_started {
        (true, None, None)
    } else {
        (
            false,
            Some("ContainersNotInitialized".to_string()),
            Some(format!("containers with incomplete status: [{}]", incomplete.join(" "))),
        )
    };
    // Ready / ContainersReady.
    let mut unready = Vec::new();
    for c in spec
        .init_containers
        .iter()
        .filter(|c| c.restart_policy.as_deref() == Some("Always"))
        .chain(spec.containers.iter())
    {
        let ok = status
            .container_statuses
            .iter()
            .chain(status.init_container_statuses.iter())
            .find(|s| s.name == c.name)
            .is_some_and(|s| s.ready);
        if !ok {
            unready.push(c.name.clone());
        }
    }
    let (ready, ready_reason, ready_msg) = match terminal_reason {
        Some(r) => (false, Some(r), None),
        None if unready.is_empty() => (true, None, None),
        None => (
            false,
            Some("ContainersNotReady".to_string()),
            Some(format!("containers with unready status: [{}]", unready.join(" "))),
        ),
    };
    let mut fresh = vec![
        pod_condition("PodReadyToStartContainers", sandbox, now, None, None),
        pod_condition("Initialized", init_ok, now, init_reason, init_msg),
        pod_condition("Ready", ready, now, ready_reason.clone(), ready_msg.clone()),
        pod_condition("ContainersReady", ready, now, ready_reason, ready_msg),
    ];
    for c in &mut fresh {
        if let Some(old) = condition(&status.conditions, &c.type_) {
            if old.status == c.status {
                c.last_transition_time = old.last_transition_time;
            }
        }
    }
    fresh.extend(status.conditions.iter().filter(|c| c.type_ == "PodScheduled").cloned());
    status.conditions = fresh;
}

#[cfg(test)]
mod tests {
    use super::go_duration;

    #[test]
    fn durations_print_like_go() {
        assert_eq!(go_duration(520), "520ms");
        assert_eq!(go_duration(1402), "1.402s");
        assert_eq!(go_duration(2000), "2s");
        assert_eq!(go_duration(62_500), "1m2.5s");
    }
}
