//! The simulated container runtime (containerd's part of the node): per pod its sandbox and
//! volumes, per container its instances — the main process (a [`Process`] script, a server from
//! [`crate::servers`], or `stress`), the writable layer, the environment, the log — and what
//! happens to them as virtual time passes (a script resumes after `sleep`, a server stops on
//! SIGTERM, SIGKILL at the end of the grace period, the OOM killer).
//!
//! Scripts reach the rest of the cluster through [`World`]: cluster DNS for Services and pods,
//! HTTP and TCP to Service IPs (round-robin over ready endpoints) and pod IPs (the server
//! listening on that port in that pod answers). The kubelet ([`crate::kubelet`]) decides what to
//! start and stop; this module does it.

use crate::api::*;
use crate::applets::{self, Outcome};
use crate::backoff::Backoff;
use crate::images::{self, ImageInfo};
use crate::servers::{self, Program, ServerKind};
use crate::shell::{self, Dns, Flavor, Http, Process, ShellInvocation, Sys, Userland, Yield};
use crate::store::Store;
use crate::time::SimTime;
use crate::vfs::{FsView, Generated, ImageFs, Layer, Mount};
use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::sync::Arc;

/// Lines kept per container instance (the kubelet rotates logs at 10 MiB; a simulation keeps
/// the tail).
const LOG_CAP: usize = 5000;

/// One entry of a container log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LogItem {
    Line {
        at: SimTime,
        text: String,
    },
    /// A server's start-up banner, rendered when read ([`servers::start_lines`]).
    Start {
        at: SimTime,
        kind: ServerKind,
    },
}

/// A container instance's stdout and stderr, interleaved as the CRI log file keeps them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Log {
    pub items: VecDeque<LogItem>,
}

impl Log {
    pub fn push(&mut self, at: SimTime, text: &str) {
        for line in text.split_inclusive('\n') {
            let line = line.strip_suffix('\n').unwrap_or(line);
            self.items.push_back(LogItem::Line {
                at,
                text: line.to_string(),
            });
        }
        while self.items.len() > LOG_CAP {
            self.items.pop_front();
        }
    }

    /// The log's lines with their times.
    pub fn render(&self, env: &servers::Env<'_>) -> Vec<(SimTime, String)> {
        let mut out = Vec::new();
        for item in &self.items {
            match item {
                LogItem::Line { at, text } => out.push((*at, text.clone())),
                LogItem::Start { at, kind } => out.extend(servers::start_lines(kind, *at, env)),
            }
        }
        out
    }
}

/// Why a container instance ended (`state.terminated` / `lastState.terminated`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Termination {
    pub exit_code: i32,
    /// `Completed`, `Error`, `OOMKilled`, `StartError`.
    pub reason: String,
    pub message: Option<String>,
    pub started_at: SimTime,
    pub finished_at: SimTime,
    pub container_id: String,
}

/// Init container, sidecar (an init container with `restartPolicy: Always`) or app container.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Init,
    Sidecar,
    App,
}

/// What a container is doing, as the runtime knows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CState {
    /// Not running: never created (`ContainerCreating`, `PodInitializing`) or failing to be
    /// (`ErrImagePull`, `ImagePullBackOff`, `InvalidImageName`).
    Waiting {
        reason: String,
        message: Option<String>,
    },
    Running(Box<Instance>),
    /// Exited; the kubelet notices at `noticed` (PLEG relists every second) and decides.
    Exited {
        term: Termination,
        noticed: SimTime,
    },
    /// Waiting out the restart back-off (`CrashLoopBackOff`).
    BackOff {
        until: SimTime,
        delay_ms: u64,
    },
}

/// A server running inside a container.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunningServer {
    pub kind: ServerKind,
    pub started_at: SimTime,
    pub pid: u32,
    /// Requests served (nginx numbers its connections `*1`, `*2`, …).
    pub requests: u64,
}

/// The container's PID 1.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Main {
    Shell(Box<Process>),
    /// A server from `servers` (index), run directly (nginx's default CMD).
    Server(usize),
    /// `stress --vm`: holds memory and spins.
    Stress,
    Done,
}

/// Why a container is being stopped, and the kill's progress.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stop {
    pub started: SimTime,
    /// SIGKILL time (grace period end).
    pub deadline: SimTime,
    /// preStop hook running until then.
    pub pre_stop_until: Option<SimTime>,
    pub term_sent: bool,
    /// When PID 1 exits after SIGTERM, and with what code.
    pub exit_at: Option<(SimTime, i32)>,
}

/// One running container instance.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Instance {
    pub id: String,
    /// The image as the spec named it when this instance was created.
    pub image: String,
    pub started_at: SimTime,
    pub main: Main,
    /// The command line `ps` shows for PID 1.
    pub main_cmd: String,
    /// PID 1 is a shell that `exec`ed a server: signals go to the server.
    pub servers: Vec<RunningServer>,
    pub layer: Layer,
    pub env: Vec<(String, String)>,
    /// When the main script resumes.
    pub wake: Option<SimTime>,
    /// An exit already decided (a program that prints and exits, a signal).
    pub exit_pending: Option<(SimTime, i32, String)>,
    pub memory: u64,
    pub oom_at: Option<SimTime>,
    /// postStart hook running until then; its failure message.
    pub post_start_until: Option<SimTime>,
    pub post_start_error: Option<String>,
    /// Startup probe passed (or none).
    pub started: bool,
    pub ready: bool,
    pub probes: [ProbeState; 3],
    pub stop: Option<Stop>,
    /// Blocked on stdin (`kubectl run -it`): stays up.
    pub interactive: bool,
}

/// A probe worker's counters for one container instance.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ProbeState {
    pub next: Option<SimTime>,
    pub successes: i64,
    pub failures: i64,
    /// Last result (None before the first probe).
    pub ok: Option<bool>,
}

/// A container as the runtime tracks it across restarts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContainerRt {
    pub name: String,
    pub role: Role,
    pub spec_index: usize,
    pub restart_count: i64,
    pub state: CState,
    /// The most recent finished instance.
    pub last_term: Option<Termination>,
    /// The one before (shown as `lastState` while the container is `Exited`).
    pub prev_term: Option<Termination>,
    pub backoff: Backoff,
    /// Logs of the latest instances by container ID, oldest first.
    pub logs: Vec<(String, Log)>,
    /// `image` / `imageID` as containerd reports them once created.
    pub image_ref: Option<(String, String)>,
    pub mounts: Vec<Mount>,
    /// Stopped by the kubelet itself (failed liveness/startup probe or postStart hook), which
    /// starts it again right away instead of waiting to notice the exit.
    pub kill_for_restart: bool,
    /// The kubelet decided to start it again (restart, or retry a failed image pull).
    pub pending_restart: bool,
}

impl ContainerRt {
    pub fn instance(&self) -> Option<&Instance> {
        match &self.state {
            CState::Running(i) => Some(i),
            _ => None,
        }
    }
    pub fn instance_mut(&mut self) -> Option<&mut Instance> {
        match &mut self.state {
            CState::Running(i) => Some(i),
            _ => None,
        }
    }
    pub fn log_mut(&mut self) -> Option<&mut Log> {
        self.logs.last_mut().map(|(_, l)| l)
    }
    pub fn log_of(&self, id: &str) -> Option<&Log> {
        self.logs.iter().find(|(i, _)| i == id).map(|(_, l)| l)
    }
}

/// Where the kubelet is with starting containers (one at a time, as `SyncPod` does).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Job {
    pub queue: VecDeque<usize>,
    pub step: JobStep,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum JobStep {
    Begin,
    /// `cached`: the image was present (policy `Always` only checks the digest).
    Pulling {
        until: SimTime,
        error: Option<String>,
        cached: bool,
    },
    PostStart {
        until: SimTime,
    },
}

/// Everything the node keeps for one pod.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PodRuntime {
    pub uid: String,
    pub name: String,
    pub namespace: String,
    pub hostname: String,
    pub admitted_at: SimTime,
    pub sandbox_ready_at: SimTime,
    pub ip: Option<String>,
    /// The node's CNI bridge address, where probes come from (`10.244.1.1`).
    pub gateway: String,
    pub containers: Vec<ContainerRt>,
    pub volumes: BTreeMap<String, Layer>,
    pub generated: Generated,
    pub job: Option<Job>,
    pub pull_backoff: BTreeMap<String, Backoff>,
    /// The pod worker's next resync while something is backing off.
    pub resync_at: Option<SimTime>,
    pub terminal: bool,
    /// The earliest wakeup already on the clock for this pod.
    pub scheduled: Option<SimTime>,
    /// Round-robin position for Service traffic this pod sends.
    pub rr: u64,
    /// Every init container has completed (sidecars started) once: app containers may run.
    pub initialized: bool,
    /// ConfigMap/Secret volumes are mounted; until then nothing starts.
    pub volumes_ready: bool,
    /// Failed mount attempts and when the volume manager tries again.
    pub mount_attempts: u32,
    pub mount_retry_at: Option<SimTime>,
    /// API-data volumes (ConfigMap, Secret, downward API, projected) by name: their `subPath`
    /// mounts are bound once per container start.
    pub api_data: BTreeSet<String>,
    /// A ConfigMap or Secret a volume shows has changed: the resync that rewrites the files.
    pub projection_due: Option<SimTime>,
}

impl PodRuntime {
    pub fn index_of(&self, role_init: bool, spec_index: usize) -> Option<usize> {
        self.containers
            .iter()
            .position(|c| (c.role != Role::App) == role_init && c.spec_index == spec_index)
    }
    pub fn by_name(&self, name: &str) -> Option<usize> {
        self.containers.iter().position(|c| c.name == name)
    }
}

/// What a script, probe or request can see of the cluster.
pub struct World<'a> {
    pub store: &'a Store,
    pub agents: &'a mut BTreeMap<String, crate::kubelet::NodeAgent>,
    /// Volume data that outlives pods (PersistentVolumes, `hostPath`), by data key; see
    /// [`crate::vfs::Backing::Shared`].
    pub shared: &'a mut BTreeMap<String, Layer>,
    pub now: SimTime,
}

/// Where a connection to `ip:port` lands.
enum Target {
    Pod { ip: String, port: u16 },
    Refused,
    Timeout,
}

impl World<'_> {
    /// Cluster DNS (CoreDNS's `kubernetes` plugin) for a fully qualified name.
    pub fn dns(&self, name: &str) -> Dns {
        let n = name.trim_end_matches('.').to_ascii_lowercase();
        let parts: Vec<&str> = n.split('.').collect();
        if let Some(head) = n.strip_suffix(".svc.cluster.local") {
            let h: Vec<&str> = head.split('.').collect();
            match h.as_slice() {
                [svc, ns] => {
                    let Some(s) = self
                        .store
                        .get(&crate::store::ObjKey::new(Kind::Service, ns, svc))
                        .and_then(|o| o.as_service())
                    else {
                        return Dns::NxDomain;
                    };
                    if s.is_headless() {
                        let addrs = self.endpoint_ips(ns, svc, None);
                        if addrs.is_empty() {
                            return Dns::NxDomain;
                        }
                        return Dns::Found { fqdn: n.clone(), addrs };
                    }
                    match s.spec.cluster_ip.clone() {
                        Some(ip) if ip != "None" => Dns::Found {
                            fqdn: n.clone(),
                            addrs: vec![ip],
                        },
                        _ => Dns::NxDomain,
                    }
                }
                [host, svc, ns] => {
                    let addrs = self.endpoint_ips(ns, svc, Some(host));
                    if addrs.is_empty() {
                        Dns::NxDomain
                    } else {
                        Dns::Found { fqdn: n.clone(), addrs }
                    }
                }
                _ => Dns::NxDomain,
            }
        } else if n.ends_with(".pod.cluster.local") && parts.len() == 5 {
            let ip = parts[0].replace('-', ".");
            if self.pod_by_ip(&ip).is_some() {
                Dns::Found {
                    fqdn: n.clone(),
                    addrs: vec![ip],
                }
            } else {
                Dns::NxDomain
            }
        } else {
            Dns::NxDomain
        }
    }

    fn endpoint_ips(&self, ns: &str, svc: &str, hostname: Option<&str>) -> Vec<String> {
        let Some(ep) = self
            .store
            .get(&crate::store::ObjKey::new(Kind::Endpoints, ns, svc))
            .and_then(|o| o.as_endpoints())
        else {
            return Vec::new();
        };
        ep.subsets
            .iter()
            .flat_map(|s| s.addresses.iter())
            .filter(|a| match hostname {
                Some(h) => {
                    a.hostname.as_deref() == Some(h) || a.target_ref.as_ref().and_then(|r| r.name.as_deref()) == Some(h)
                }
                None => true,
            })
            .map(|a| a.ip.clone())
            .collect()
    }

    /// (node, uid) of the pod with this IP.
    pub fn pod_by_ip(&self, ip: &str) -> Option<(String, String)> {
        self.agents
            .iter()
            .find_map(|(node, a)| a.by_ip.get(ip).map(|uid| (node.clone(), uid.clone())))
    }

    /// Resolves a Service IP and port to one ready endpoint (round-robin), or a pod IP to itself.
    fn target(&self, ip: &str, port: u16, rr: &mut u64) -> Target {
        let svc = self
            .store
            .list(Kind::Service, None)
            .filter_map(|o| o.as_service())
            .find(|s| s.spec.cluster_ip.as_deref() == Some(ip));
        if let Some(s) = svc {
            let Some(sp) = s.spec.ports.iter().find(|p| p.port == i64::from(port)) else {
                return Target::Timeout;
            };
            let ns = s.metadata.ns();
            let Some(ep) = self
                .store
                .get(&crate::store::ObjKey::new(Kind::Endpoints, ns, &s.metadata.name))
                .and_then(|o| o.as_endpoints())
            else {
                return Target::Refused;
            };
            let mut choices: Vec<(String, u16)> = Vec::new();
            for subset in &ep.subsets {
                let port_no = subset
                    .ports
                    .iter()
                    .find(|p| p.name == sp.name || subset.ports.len() == 1)
                    .map(|p| p.port as u16)
                    .unwrap_or(port);
                for a in &subset.addresses {
                    choices.push((a.ip.clone(), port_no));
                }
            }
            if choices.is_empty() {
                return Target::Refused;
            }
            let pick = choices[(*rr as usize) % choices.len()].clone();
            *rr += 1;
            return Target::Pod {
                ip: pick.0,
                port: pick.1,
            };
        }
        if self.pod_by_ip(ip).is_some() {
            return Target::Pod {
                ip: ip.to_string(),
                port,
            };
        }
        if ip.starts_with("10.96.") || ip.starts_with("10.244.") {
            return Target::Timeout;
        }
        Target::Timeout
    }
}

/// Finds the container and server of `pod` listening on `port` at `now`.
pub fn listener(pod: &PodRuntime, port: u16, now: SimTime) -> Option<(usize, usize)> {
    for (ci, c) in pod.containers.iter().enumerate() {
        let Some(inst) = c.instance() else { continue };
        if inst
            .stop
            .as_ref()
            .is_some_and(|s| s.term_sent && s.exit_at.is_some_and(|(t, _)| t <= now))
        {
            continue;
        }
        for (si, s) in inst.servers.iter().enumerate() {
            if s.kind.ports().contains(&port) && now.since(s.started_at) >= s.kind.listen_after_ms() as i64 {
                return Some((ci, si));
            }
        }
    }
    None
}

/// Serves `GET path` on `pod`'s container `ci` server `si`, logging it there.
pub fn serve(
    pod: &mut PodRuntime,
    ci: usize,
    si: usize,
    client: &str,
    port: u16,
    path: &str,
    user_agent: &str,
    now: SimTime,
    shared: &mut BTreeMap<String, Layer>,
) -> Http {
    let image = pod.containers[ci]
        .image_ref
        .as_ref()
        .map(|r| r.0.clone())
        .unwrap_or_default();
    let image_fs = [images::base_fs(&image), images::fs(&image)];
    let pod_ip = pod.ip.clone().unwrap_or_default();
    let hostname = pod.hostname.clone();
    let PodRuntime {
        containers,
        volumes,
        generated,
        ..
    } = pod;
    let ContainerRt {
        state, mounts, logs, ..
    } = &mut containers[ci];
    let CState::Running(inst) = state else {
        return Http::Refused;
    };
    let Instance {
        layer,
        servers: srv,
        env,
        ..
    } = &mut **inst;
    let server = &mut srv[si];
    server.requests += 1;
    let no = server.requests;
    let fs = FsView {
        image: &image_fs,
        layer,
        volumes,
        shared,
        mounts,
        generated,
    };
    let mut read = |p: &str| -> Option<Result<String, bool>> {
        match fs.stat(p) {
            Some(crate::vfs::Stat::File(c)) => Some(Ok(c.to_string())),
            Some(crate::vfs::Stat::Dir) => Some(Err(true)),
            None => None,
        }
    };
    let senv = servers::Env {
        hostname: &hostname,
        pod_ip: &pod_ip,
        env,
    };
    let host_header = format!("{pod_ip}:{port}");
    let served = servers::serve(
        &server.kind,
        path,
        client,
        &host_header,
        user_agent,
        now,
        server.started_at,
        no,
        &senv,
        &mut read,
    );
    if let Some((_, log)) = logs.last_mut() {
        for l in &served.log {
            log.push(now, &format!("{l}\n"));
        }
    }
    Http::Response {
        status: served.status,
        reason: served.reason,
        body: served.body,
    }
}

/// Opens a TCP connection or sends an HTTP request from `from` (a pod, or the node for probes).
pub fn connect(
    world: &mut World<'_>,
    from: &mut PodRuntime,
    ip: &str,
    port: u16,
    http: Option<(&str, &str)>,
    client_ip: &str,
) -> Http {
    let now = world.now;
    let local = ip == "127.0.0.1" || ip == "localhost" || from.ip.as_deref() == Some(ip);
    let (ip, port) = if local {
        (from.ip.clone().unwrap_or_default(), port)
    } else {
        match world.target(ip, port, &mut from.rr) {
            Target::Pod { ip, port } => (ip, port),
            Target::Refused => return Http::Refused,
            Target::Timeout => return Http::Timeout,
        }
    };
    if from.ip.as_deref() == Some(ip.as_str()) {
        let Some((ci, si)) = listener(from, port, now) else {
            return Http::Refused;
        };
        return match http {
            Some((path, ua)) => serve(from, ci, si, client_ip, port, path, ua, now, world.shared),
            None => Http::Response {
                status: 200,
                reason: "OK",
                body: String::new(),
            },
        };
    }
    let Some((node, uid)) = world.pod_by_ip(&ip) else {
        return Http::Timeout;
    };
    let Some(agent) = world.agents.get_mut(&node) else {
        return Http::Timeout;
    };
    let Some(rt) = agent.pods.get_mut(&uid) else {
        return Http::Refused;
    };
    let Some((ci, si)) = listener(rt, port, now) else {
        return Http::Refused;
    };
    // ingress-nginx proxies what reaches its HTTP(S) ports to the Ingress rules' Services.
    let ingress = rt.containers[ci].instance().is_some_and(|i| {
        matches!(
            i.servers[si].kind,
            servers::ServerKind::Generic {
                name: "/nginx-ingress-controller",
                ..
            }
        )
    }) && (port == 80 || port == 443);
    if let (true, Some((path, ua))) = (ingress, http) {
        let rr = from.rr;
        from.rr += 1;
        return crate::outside::ingress_answer(world, &ip, "", path, ua, rr);
    }
    let Some(rt) = world.agents.get_mut(&node).and_then(|a| a.pods.get_mut(&uid)) else {
        return Http::Refused;
    };
    match http {
        Some((path, ua)) => serve(Arc::make_mut(rt), ci, si, client_ip, port, path, ua, now, world.shared),
        None => Http::Response {
            status: 200,
            reason: "OK",
            body: String::new(),
        },
    }
}

/// Where a script's output goes.
pub enum Output {
    /// The container log (the main process, hooks are not logged).
    Log,
    /// Collected (exec, probes, hooks).
    Buffer {
        stdout: String,
        stderr: String,
    },
    Discard,
}

/// A container as a [`Sys`] for scripts running in it.
pub struct CtrSys<'a, 'w> {
    pub pod: &'a mut PodRuntime,
    pub idx: usize,
    pub world: &'a mut World<'w>,
    pub out: Output,
    pub now: SimTime,
    image: String,
    info: ImageInfo,
    image_fs: [ImageFs; 2],
    userland: Userland,
    scratch: Layer,
    /// The script ran a server in the foreground (its shell now blocks on it).
    pub started_server: bool,
}

impl<'a, 'w> CtrSys<'a, 'w> {
    pub fn new(pod: &'a mut PodRuntime, idx: usize, world: &'a mut World<'w>, out: Output) -> Self {
        let image = pod.containers[idx]
            .image_ref
            .as_ref()
            .map(|r| r.0.clone())
            .unwrap_or_default();
        let now = world.now;
        CtrSys {
            image_fs: [images::base_fs(&image), images::fs(&image)],
            info: images::lookup(&image),
            userland: images::userland(&image),
            image,
            pod,
            idx,
            world,
            out,
            now,
            scratch: Layer::default(),
            started_server: false,
        }
    }

    fn inst(&mut self) -> Option<&mut Instance> {
        self.pod.containers[self.idx].instance_mut()
    }

    pub fn buffers(self) -> (String, String) {
        match self.out {
            Output::Buffer { stdout, stderr } => (stdout, stderr),
            _ => (String::new(), String::new()),
        }
    }
}

impl Sys for CtrSys<'_, '_> {
    fn now(&self) -> SimTime {
        self.now
    }
    fn fs(&mut self) -> FsView<'_> {
        let PodRuntime {
            containers,
            volumes,
            generated,
            ..
        } = &mut *self.pod;
        let ContainerRt { state, mounts, .. } = &mut containers[self.idx];
        let layer = match state {
            CState::Running(i) => &mut i.layer,
            _ => &mut self.scratch,
        };
        FsView {
            image: &self.image_fs,
            layer,
            volumes,
            shared: self.world.shared,
            mounts,
            generated,
        }
    }
    fn userland(&self) -> Userland {
        self.userland
    }
    fn has_program(&self, name: &str) -> bool {
        let base = name.rsplit('/').next().unwrap_or(name);
        if base == "bash" && self.userland != Userland::Gnu {
            return false;
        }
        self.info
            .programs
            .iter()
            .any(|p| *p == name || p.rsplit('/').next() == Some(base))
            || (base == "bash" && self.userland == Userland::Gnu)
            || (base == "wget" && matches!(self.userland, Userland::Busybox { .. }))
            || (base == "curl"
                && images::split(&self.image).1.contains("alpine")
                && images::lookup(&self.image).repository == "nginx")
    }
    fn hostname(&self) -> String {
        self.pod.hostname.clone()
    }
    fn pod_ip(&self) -> String {
        self.pod.ip.clone().unwrap_or_default()
    }
    fn stdout(&mut self, text: &str) {
        match &mut self.out {
            Output::Log => {
                let now = self.now;
                if let Some(l) = self.pod.containers[self.idx].log_mut() {
                    l.push(now, text);
                }
            }
            Output::Buffer { stdout, .. } => stdout.push_str(text),
            Output::Discard => {}
        }
    }
    fn stderr(&mut self, text: &str) {
        match &mut self.out {
            Output::Log => {
                let now = self.now;
                if let Some(l) = self.pod.containers[self.idx].log_mut() {
                    l.push(now, text);
                }
            }
            Output::Buffer { stderr, .. } => stderr.push_str(text),
            Output::Discard => {}
        }
    }
    fn dns(&self, name: &str) -> Dns {
        self.world.dns(name)
    }
    fn search_path(&self) -> Vec<String> {
        vec![
            format!("{}.svc.cluster.local", self.pod.namespace),
            "svc.cluster.local".into(),
            "cluster.local".into(),
        ]
    }
    fn http_get(&mut self, host: &str, port: u16, path: &str, user_agent: &str) -> Http {
        let Some(ip) = self.resolve(host) else {
            return Http::BadHost;
        };
        let client = self.pod.ip.clone().unwrap_or_default();
        connect(self.world, self.pod, &ip, port, Some((path, user_agent)), &client)
    }
    fn tcp_open(&mut self, host: &str, port: u16) -> bool {
        let Some(ip) = self.resolve(host) else {
            return false;
        };
        if port == 0 {
            return self.world.pod_by_ip(&ip).is_some();
        }
        let client = self.pod.ip.clone().unwrap_or_default();
        matches!(
            connect(self.world, self.pod, &ip, port, None, &client),
            Http::Response { .. }
        )
    }
    fn program(&mut self, argv: &[String], env: &[(String, String)]) -> Option<Outcome> {
        let now = self.now;
        let base = argv[0].rsplit('/').next().unwrap_or(&argv[0]).to_string();
        if base == "nginx" && argv.get(1).map(String::as_str) == Some("-s") {
            let sig = match argv.get(2).map(String::as_str) {
                Some("quit") => 3,
                Some("stop") => 15,
                _ => return Some(Outcome::ok("")),
            };
            if !self.signal("nginx", sig) {
                let ts = {
                    let (y, mo, d, h, mi, s, _) = applets::civil(crate::time::Timestamp(now));
                    format!("{y}/{mo:02}/{d:02} {h:02}:{mi:02}:{s:02}")
                };
                return Some(Outcome::fail(1, format!("{ts} [notice] 1#1: signal process started\n{ts} [error] 1#1: open() \"/run/nginx.pid\" failed (2: No such file or directory)\nnginx: [error] open() \"/run/nginx.pid\" failed (2: No such file or directory)\n")));
            }
            return Some(Outcome::ok(""));
        }
        match servers::program(&self.info, &self.image, argv, env) {
            Program::Unknown => None,
            Program::Tool(o) => Some(o),
            Program::Exit { code, lines } => {
                let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
                Some(if code == 0 {
                    Outcome::ok(text)
                } else {
                    Outcome::fail(code, text)
                })
            }
            Program::Stress { bytes, lines } => {
                let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
                if let Some(i) = self.inst() {
                    i.memory = i.memory.max(bytes);
                }
                Some(Outcome {
                    status: 0,
                    stdout: text,
                    stderr: String::new(),
                    effect: applets::Effect::Block,
                })
            }
            Program::Server(kind, lines) => {
                let Some(inst) = self.inst() else {
                    return Some(Outcome::fail(1, ""));
                };
                if inst
                    .servers
                    .iter()
                    .any(|s| s.kind.process_name() == kind.process_name())
                {
                    let msg = if kind.process_name() == "nginx" {
                        "nginx: [emerg] bind() to 0.0.0.0:80 failed (98: Address in use)\n"
                    } else {
                        "Address already in use\n"
                    };
                    return Some(Outcome::fail(1, msg));
                }
                let pid = 7 + inst.servers.len() as u32 * 20;
                inst.memory = inst.memory.max(kind.memory_bytes());
                inst.servers.push(RunningServer {
                    kind: kind.clone(),
                    started_at: now,
                    pid,
                    requests: 0,
                });
                if let Some(l) = self.pod.containers[self.idx].log_mut() {
                    l.items.push_back(LogItem::Start { at: now, kind });
                    for (dt, line) in lines {
                        l.push(now.plus_ms(dt), &format!("{line}\n"));
                    }
                }
                self.started_server = true;
                Some(Outcome {
                    status: 0,
                    stdout: String::new(),
                    stderr: String::new(),
                    effect: applets::Effect::Block,
                })
            }
        }
    }
    fn signal(&mut self, target: &str, sig: i32) -> bool {
        let now = self.now;
        let Some(inst) = self.inst() else {
            return false;
        };
        let pid1 = target == "1";
        let idx = inst.servers.iter().position(|s| {
            s.kind.process_name() == target
                || s.pid.to_string() == target
                || (pid1 && matches!(inst.main, Main::Server(_)))
        });
        if sig == 0 {
            return pid1
                || idx.is_some()
                || matches!(&inst.main, Main::Shell(p) if target == "sh" || p.args.first().is_some_and(|a| a.ends_with(target)));
        }
        match idx {
            Some(i) => {
                let kind = inst.servers[i].kind.clone();
                let code = if sig == 9 { 137 } else { kind.on_term().exit_code };
                let at = now.plus_ms(if sig == 9 { 0 } else { kind.on_term().after_ms });
                if matches!(inst.main, Main::Server(m) if m == i) {
                    // PID 1 itself: the container ends.
                    inst.exit_pending = Some((at, code, if code == 0 { "Completed".into() } else { "Error".into() }));
                } else {
                    inst.servers.remove(i);
                    if let Main::Shell(_) = inst.main {
                        // The shell waiting on it carries on.
                        if inst.wake.is_none() {
                            inst.wake = Some(at);
                        }
                    }
                }
                true
            }
            // PID 1 without handlers ignores signals sent from inside its namespace, even
            // SIGKILL.
            None => pid1,
        }
    }
    fn processes(&self) -> Vec<(u32, String)> {
        let Some(inst) = self.pod.containers[self.idx].instance() else {
            return Vec::new();
        };
        let mut v = vec![(1, inst.main_cmd.clone())];
        for s in &inst.servers {
            if !matches!(inst.main, Main::Server(_)) {
                v.push((s.pid, s.kind.command_line()));
            }
            if let ServerKind::Nginx { alpine, .. } = s.kind {
                let first = if alpine { 30 } else { 29 };
                for w in 0..4 {
                    v.push((first + w, "nginx: worker process".into()));
                }
            }
        }
        v
    }
}

impl CtrSys<'_, '_> {
    fn resolve(&self, host: &str) -> Option<String> {
        if host == "localhost" || host == "127.0.0.1" {
            return Some("127.0.0.1".into());
        }
        if host.split('.').count() == 4 && host.split('.').all(|p| p.parse::<u8>().is_ok()) {
            return Some(host.to_string());
        }
        if host == self.pod.hostname {
            return self.pod.ip.clone();
        }
        let mut cands: Vec<String> = self.search_path().iter().map(|d| format!("{host}.{d}")).collect();
        cands.push(host.to_string());
        cands.into_iter().find_map(|c| match self.world.dns(&c) {
            Dns::Found { addrs, .. } => addrs.first().cloned(),
            Dns::NxDomain => None,
        })
    }
}

/// The process argv of a container: `command` replaces ENTRYPOINT (and drops CMD), `args`
/// replaces CMD.
pub fn container_argv(c: &Container, info: &ImageInfo) -> Vec<String> {
    if !c.command.is_empty() {
        let mut v = c.command.clone();
        v.extend(c.args.iter().cloned());
        return v;
    }
    let mut v: Vec<String> = info.entrypoint.iter().map(|s| s.to_string()).collect();
    if c.args.is_empty() {
        v.extend(info.cmd.iter().map(|s| s.to_string()));
    } else {
        v.extend(c.args.iter().cloned());
    }
    v
}

/// `runc`'s message for a missing executable, as the `StartError` termination message and the
/// `Failed` event show it.
pub fn exec_not_found(argv0: &str) -> String {
    let what = if argv0.contains('/') {
        format!("exec: \"{argv0}\": stat {argv0}: no such file or directory")
    } else {
        format!("exec: \"{argv0}\": executable file not found in $PATH")
    };
    format!("failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: {what}: unknown")
}

/// What PID 1 becomes for an argv in an image.
pub enum Launch {
    Shell(Process),
    Program(Program),
    /// The executable does not exist in the image.
    NotFound(String),
}

/// Decides what runs for `argv` (shells, BusyBox/coreutils applets, image programs).
pub fn launch(argv: &[String], image: &str, env: &[(String, String)], cwd: &str, stdin_open: bool) -> Launch {
    let info = images::lookup(image);
    let userland = images::userland(image);
    let Some(first) = argv.first() else {
        return Launch::NotFound("no command specified".into());
    };
    if let Some((flavor, inv)) = shell::shell_invocation(argv) {
        let present = match (flavor, userland) {
            (_, Userland::Bare) => false,
            // Alpine variants (`nginx:alpine`) ship BusyBox ash, not bash.
            (Flavor::Bash, Userland::Busybox { .. }) => false,
            _ => true,
        };
        if present {
            let flavor = if flavor == Flavor::Ash && userland == Userland::Gnu {
                Flavor::Dash
            } else {
                flavor
            };
            let p = match inv {
                ShellInvocation::Script { script, args } => Process::script(&script, args, env.to_vec(), cwd, flavor),
                ShellInvocation::Stdin if stdin_open => {
                    // `kubectl run -it --image=busybox`: the shell waits on its terminal.
                    Ok(Process::argv(
                        &["sleep".to_string(), "infinity".to_string()],
                        env.to_vec(),
                        cwd,
                    ))
                }
                ShellInvocation::Stdin => Process::script("", vec![first.clone()], env.to_vec(), cwd, flavor),
                ShellInvocation::File(f) => {
                    let files = images::fs(image);
                    match files
                        .files
                        .iter()
                        .find(|(p, _)| *p == f || p.ends_with(&format!("/{f}")))
                    {
                        Some((_, src)) => Process::script(src, vec![f.clone()], env.to_vec(), cwd, flavor),
                        None => Process::script(
                            &format!("echo \"{first}: can't open '{f}': No such file or directory\" >&2; exit 2"),
                            vec![first.clone()],
                            env.to_vec(),
                            cwd,
                            flavor,
                        ),
                    }
                }
            };
            return Launch::Shell(p.unwrap_or_else(|e| {
                let line = shell::syntax_message(flavor, first, &e).replace('\'', "'\\''");
                let script = format!("printf '%s\\n' '{line}' >&2; exit 2");
                Process::script(&script, vec![first.clone()], env.to_vec(), cwd, flavor)
                    .unwrap_or_else(|_| Process::argv(&["false".to_string()], env.to_vec(), cwd))
            }));
        }
        return Launch::NotFound(first.clone());
    }
    match servers::program(&info, image, argv, env) {
        Program::Unknown => {}
        p => return Launch::Program(p),
    }
    if applets::resolve(first, userland, &|n| info.programs.contains(&n)).is_some()
        || first.rsplit('/').next() == Some("busybox")
    {
        return Launch::Shell(Process::argv(argv, env.to_vec(), cwd));
    }
    Launch::NotFound(first.clone())
}

/// A ConfigMap or Secret key as a pod reads it; `Err` is the kubelet's message
/// (`configmap "app-config" not found`, `couldn't find key x in ConfigMap default/app-config`).
fn config_value(store: &Store, ns: &str, r: &serde_json::Value, secret: bool) -> Result<Option<String>, String> {
    let name = r.get("name").and_then(|v| v.as_str()).unwrap_or("");
    let key = r.get("key").and_then(|v| v.as_str()).unwrap_or("");
    let optional = r.get("optional").and_then(|v| v.as_bool()).unwrap_or(false);
    let data = config_data(store, ns, name, secret);
    match data {
        None if optional => Ok(None),
        None => Err(format!(
            "{} \"{name}\" not found",
            if secret { "secret" } else { "configmap" }
        )),
        Some(d) => match d.into_iter().find(|(k, _)| k == key) {
            Some((_, v)) => Ok(Some(v)),
            None if optional => Ok(None),
            None => Err(format!(
                "couldn't find key {key} in {} {ns}/{name}",
                if secret { "Secret" } else { "ConfigMap" }
            )),
        },
    }
}

/// The decoded key/value pairs of a ConfigMap or Secret, if it exists.
pub fn config_data(store: &Store, ns: &str, name: &str, secret: bool) -> Option<Vec<(String, String)>> {
    let kind = if secret { Kind::Secret } else { Kind::ConfigMap };
    let obj = store.get(&crate::store::ObjKey::new(kind, ns, name))?;
    if secret {
        let s = obj.as_secret()?;
        let mut v: Vec<(String, String)> = s
            .data
            .keys()
            .map(|k| {
                (
                    k.clone(),
                    String::from_utf8_lossy(&s.decoded(k).unwrap_or_default()).into_owned(),
                )
            })
            .collect();
        for (k, val) in &s.string_data {
            v.retain(|(ek, _)| ek != k);
            v.push((k.clone(), val.clone()));
        }
        Some(v)
    } else {
        let c = obj.as_configmap()?;
        Some(c.data.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
    }
}

/// A downward API `fieldRef` (env or file) of `pod`; unknown paths (refused by validation) give
/// an empty value.
pub fn field_ref(pod: &Pod, field: &str, pod_ip: &str) -> String {
    let map_key = |prefix: &str| field.strip_prefix(prefix)?.strip_suffix("']").map(str::to_string);
    match field {
        "metadata.name" => pod.metadata.name.clone(),
        "metadata.namespace" => pod.metadata.ns().to_string(),
        "metadata.uid" => pod.metadata.uid().to_string(),
        "spec.nodeName" => pod.spec.node_name.clone().unwrap_or_default(),
        "spec.serviceAccountName" => pod.spec.service_account_name.clone().unwrap_or_default(),
        "status.podIP" | "status.podIPs" => pod_ip.to_string(),
        "status.hostIP" | "status.hostIPs" => pod.status.host_ip.clone().unwrap_or_default(),
        _ => {
            if let Some(k) = map_key("metadata.labels['") {
                pod.metadata.labels.get(&k).cloned().unwrap_or_default()
            } else if let Some(k) = map_key("metadata.annotations['") {
                pod.metadata.annotations.get(&k).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        }
    }
}

/// A downward API `resourceFieldRef`: a container's `limits.cpu`, `requests.memory`, … divided
/// by `divisor` (default `1`) and rounded up, as the kubelet's `ExtractResourceValueByContainerName`
/// does. An unset limit is the node's allocatable (the kubelet merges it in before it
/// resolves the reference), an unset request 0. `container` is the container whose env asks
/// (env references may leave `containerName` out); volumes name it.
pub fn resource_field_ref(
    pod: &Pod,
    r: &serde_json::Value,
    container: Option<&Container>,
    store: &Store,
) -> Option<String> {
    let resource = r.get("resource")?.as_str()?;
    let c = match r
        .get("containerName")
        .and_then(|n| n.as_str())
        .filter(|n| !n.is_empty())
    {
        Some(name) => pod
            .spec
            .containers
            .iter()
            .chain(&pod.spec.init_containers)
            .find(|c| c.name == name)?,
        None => container?,
    };
    let (which, name) = resource.split_once('.')?;
    let res = &c.resources;
    let set = match which {
        "limits" => ResourceRequirements::get(&res.limits, name),
        "requests" => ResourceRequirements::get(&res.requests, name),
        _ => return None,
    };
    let milli = match set.and_then(|q| crate::quantity::parse_milli(&q)) {
        Some(m) => m,
        None if which == "limits" => pod
            .spec
            .node_name
            .as_deref()
            .and_then(|n| store.get(&crate::store::ObjKey::new(Kind::Node, "", n)))
            .and_then(|o| o.as_node())
            .map(|n| n.allocatable(name))
            .unwrap_or(0),
        None => 0,
    };
    let divisor = match r.get("divisor") {
        Some(serde_json::Value::String(d)) => crate::quantity::parse_milli(d)?,
        Some(serde_json::Value::Number(n)) => crate::quantity::parse_milli(&n.to_string())?,
        _ => 1000,
    };
    if divisor <= 0 {
        return None;
    }
    // cpu divides milli-cores; memory and storage whole bytes (both sides in milli-units).
    Some(((milli as i128 + divisor as i128 - 1) / divisor as i128).to_string())
}

/// The environment of a new container: image ENV, `HOSTNAME`, `envFrom`, the container's `env`
/// (with `$(VAR)` references, the downward API, ConfigMap and Secret keys), the Service
/// variables of the namespace (`enableServiceLinks`), `HOME`. `Err` is a
/// `CreateContainerConfigError` message.
pub fn container_env(
    pod: &Pod,
    c: &Container,
    info: &ImageInfo,
    store: &Store,
    pod_ip: &str,
) -> Result<Vec<(String, String)>, String> {
    let mut env: Vec<(String, String)> = Vec::new();
    let hostname = pod.spec.hostname.clone().unwrap_or_else(|| pod.metadata.name.clone());
    // The catalogue lists one ENV per repository; nginx's image states the release its tag runs
    // (`nginx:1.17.10-alpine` says NGINX_VERSION=1.17.10).
    let tag = images::split(&c.image).1;
    let mut image_env = info.env.iter().map(|(k, v)| match *k {
        "NGINX_VERSION" => (k.to_string(), images::nginx_version(&tag)),
        _ => (k.to_string(), v.to_string()),
    });
    if let Some(path) = image_env.next() {
        env.push(path);
    }
    env.push(("HOSTNAME".into(), hostname));
    env.extend(image_env);
    let set = |env: &mut Vec<(String, String)>, k: &str, v: String| {
        env.retain(|(ek, _)| ek != k);
        env.push((k.to_string(), v));
    };
    let ns = pod.metadata.ns();
    for from in &c.env_from {
        let prefix = from.get("prefix").and_then(|v| v.as_str()).unwrap_or("");
        for (field, secret) in [("configMapRef", false), ("secretRef", true)] {
            let Some(r) = from.get(field) else { continue };
            let name = r.get("name").and_then(|v| v.as_str()).unwrap_or("");
            let optional = r.get("optional").and_then(|v| v.as_bool()).unwrap_or(false);
            match config_data(store, ns, name, secret) {
                Some(d) => {
                    for (k, v) in d {
                        set(&mut env, &format!("{prefix}{k}"), v);
                    }
                }
                None if optional => {}
                None => {
                    return Err(format!(
                        "{} \"{name}\" not found",
                        if secret { "secret" } else { "configmap" }
                    ))
                }
            }
        }
    }
    for e in &c.env {
        let value = match (&e.value, &e.value_from) {
            (Some(v), _) => expand_refs(v, &env),
            (None, Some(from)) if from.get("configMapKeyRef").is_some() || from.get("secretKeyRef").is_some() => {
                let secret = from.get("secretKeyRef").is_some();
                let r = from
                    .get(if secret { "secretKeyRef" } else { "configMapKeyRef" })
                    .cloned()
                    .unwrap_or_default();
                match config_value(store, ns, &r, secret)? {
                    Some(v) => v,
                    None => continue,
                }
            }
            (None, Some(from)) => {
                if let Some(r) = from.get("resourceFieldRef") {
                    resource_field_ref(pod, r, Some(c), store).unwrap_or_default()
                } else {
                    let field = from
                        .pointer("/fieldRef/fieldPath")
                        .and_then(|v| v.as_str())
                        .unwrap_or("");
                    field_ref(pod, field, pod_ip)
                }
            }
            (None, None) => String::new(),
        };
        set(&mut env, &e.name, value);
    }
    if pod.spec.enable_service_links != Some(false) {
        let mut seen = BTreeSet::new();
        let mut svcs: Vec<&Service> = store
            .list(Kind::Service, Some(pod.metadata.ns()))
            .filter_map(|o| o.as_service())
            .collect();
        if let Some(k) = store
            .get(&crate::store::ObjKey::new(Kind::Service, "default", "kubernetes"))
            .and_then(|o| o.as_service())
        {
            if pod.metadata.ns() != "default" {
                svcs.push(k);
            }
        }
        for s in svcs {
            let Some(ip) = s.spec.cluster_ip.clone().filter(|ip| ip != "None") else {
                continue;
            };
            if !seen.insert(s.metadata.name.clone())
                || c.env.iter().any(|e| e.name.starts_with(&svc_prefix(&s.metadata.name)))
            {
                continue;
            }
            let p = svc_prefix(&s.metadata.name);
            let Some(first) = s.spec.ports.first() else {
                continue;
            };
            let proto = |sp: &ServicePort| sp.protocol.clone().unwrap_or_else(|| "TCP".into());
            env.push((format!("{p}_SERVICE_HOST"), ip.clone()));
            env.push((format!("{p}_SERVICE_PORT"), first.port.to_string()));
            for sp in &s.spec.ports {
                if let Some(n) = sp.name.as_deref().filter(|n| !n.is_empty()) {
                    env.push((format!("{p}_SERVICE_PORT_{}", svc_prefix(n)), sp.port.to_string()));
                }
            }
            env.push((
                format!("{p}_PORT"),
                format!("{}://{ip}:{}", proto(first).to_lowercase(), first.port),
            ));
            for sp in &s.spec.ports {
                let pr = proto(sp);
                let base = format!("{p}_PORT_{}_{}", sp.port, pr);
                env.push((base.clone(), format!("{}://{ip}:{}", pr.to_lowercase(), sp.port)));
                env.push((format!("{base}_PROTO"), pr.to_lowercase()));
                env.push((format!("{base}_PORT"), sp.port.to_string()));
                env.push((format!("{base}_ADDR"), ip.clone()));
            }
        }
    }
    if !env.iter().any(|(k, _)| k == "HOME") {
        env.push(("HOME".into(), "/root".into()));
    }
    Ok(env)
}

fn svc_prefix(name: &str) -> String {
    name.to_ascii_uppercase().replace(['-', '.'], "_")
}

/// `$(VAR)` references in `env[].value` (Kubernetes' own expansion, not the shell's).
fn expand_refs(v: &str, env: &[(String, String)]) -> String {
    let mut out = String::new();
    let mut rest = v;
    while let Some(i) = rest.find("$(") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 2..];
        match after.find(')') {
            Some(j) => {
                let name = &after[..j];
                match env.iter().rev().find(|(k, _)| k == name) {
                    Some((_, val)) => out.push_str(val),
                    None => out.push_str(&format!("$({name})")),
                }
                rest = &after[j + 1..];
            }
            None => {
                out.push_str(&rest[i..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// Runs a script for a hook or an exec probe inside container `idx`, returning (exit code,
/// combined output, virtual time it took, whether it blocks for ever).
pub fn run_in_container(
    pod: &mut PodRuntime,
    idx: usize,
    world: &mut World<'_>,
    argv: &[String],
) -> (i32, String, u64, bool) {
    let image = pod.containers[idx]
        .image_ref
        .as_ref()
        .map(|r| r.0.clone())
        .unwrap_or_default();
    let Some(inst) = pod.containers[idx].instance() else {
        return (126, String::new(), 0, false);
    };
    let env = inst.env.clone();
    let mut proc_ = match launch(argv, &image, &env, "/", false) {
        Launch::Shell(p) => p,
        Launch::Program(p) => {
            let mut sys = CtrSys::new(
                pod,
                idx,
                world,
                Output::Buffer {
                    stdout: String::new(),
                    stderr: String::new(),
                },
            );
            let o = match p {
                Program::Tool(o) => o,
                Program::Exit { code, lines } => Outcome {
                    status: code,
                    stdout: lines.iter().map(|l| format!("{l}\n")).collect(),
                    stderr: String::new(),
                    effect: applets::Effect::None,
                },
                _ => {
                    let _ = sys.program(argv, &env);
                    return (0, String::new(), 0, true);
                }
            };
            return (o.status, format!("{}{}", o.stdout, o.stderr), 0, false);
        }
        Launch::NotFound(what) => {
            let msg = format!("OCI runtime exec failed: exec failed: unable to start container process: exec: \"{what}\": executable file not found in $PATH: unknown");
            return (126, msg, 0, false);
        }
    };
    let mut sys = CtrSys::new(
        pod,
        idx,
        world,
        Output::Buffer {
            stdout: String::new(),
            stderr: String::new(),
        },
    );
    let mut elapsed = 0u64;
    let mut blocked = false;
    let code = loop {
        match proc_.run(&mut sys) {
            Yield::Exit(c) => break c,
            Yield::Sleep(ms) => {
                elapsed += ms;
                sys.now = sys.now.plus_ms(ms);
                if elapsed > 3_600_000 {
                    blocked = true;
                    break 0;
                }
            }
            Yield::Busy => elapsed += 1000,
            Yield::Block => {
                blocked = true;
                break 0;
            }
        }
    };
    let (o, e) = sys.buffers();
    (code, format!("{o}{e}"), elapsed, blocked)
}

/// 64 hex digits derived from `parts` (container IDs, image digests).
pub fn hex64(parts: &[&str]) -> String {
    (0..4u8)
        .map(|i| {
            format!(
                "{:016x}",
                crate::names::stable_hash(&[parts.join("/").as_str(), &i.to_string()])
            )
        })
        .collect()
}

/// The memory limit of a container in bytes, if any.
pub fn memory_limit(c: &Container) -> Option<u64> {
    ResourceRequirements::get(&c.resources.limits, "memory")
        .and_then(|q| crate::quantity::parse_milli(&q))
        .map(|m| (m / 1000).max(0) as u64)
}

/// How long the kubelet takes to notice an exit (PLEG relists every second).
fn pleg_delay(uid: &str, name: &str, at: SimTime) -> u64 {
    200 + crate::names::stable_hash(&[uid, name, &at.0.to_string(), "pleg"]) % 700
}

/// Why a container could not be started.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StartFailure {
    /// Its env references a missing ConfigMap/Secret key (`CreateContainerConfigError`).
    Config(String),
    /// runc cannot find the executable (`StartError`, exit code 128).
    Exec(String),
}

/// Starts a new instance of container `idx` (its image is present).
pub fn start(
    pod: &mut PodRuntime,
    idx: usize,
    spec: &Container,
    pod_obj: &Pod,
    world: &mut World<'_>,
) -> Result<(), StartFailure> {
    let now = world.now;
    let image = spec.image.clone();
    let norm = images::normalized(&image);
    let repo = norm.rsplit_once(':').map(|(r, _)| r).unwrap_or(&norm).to_string();
    let info = images::lookup(&image);
    let c = &mut pod.containers[idx];
    if c.last_term.is_some() || c.instance().is_some() {
        c.restart_count += 1;
    }
    // A `subPath` into API data is bound to the files as they are now.
    for m in c.mounts.iter_mut() {
        if !m.sub_path.is_empty() && pod.api_data.contains(&m.volume) {
            let key = format!("{}\0{}", m.volume, c.name);
            let files = pod.volumes.get(&m.volume).cloned().unwrap_or_default();
            pod.volumes.insert(key.clone(), files);
            m.backing = crate::vfs::Backing::Snapshot(key);
        }
    }
    let id = hex64(&[&pod.uid, &c.name, &c.restart_count.to_string()]);
    c.image_ref = Some((norm.clone(), format!("{repo}@sha256:{}", hex64(&[&norm]))));
    c.logs.push((id.clone(), Log::default()));
    if c.logs.len() > 3 {
        c.logs.remove(0);
    }
    let env = match container_env(pod_obj, spec, &info, world.store, pod.ip.as_deref().unwrap_or("")) {
        Ok(e) => e,
        Err(msg) => {
            let c = &mut pod.containers[idx];
            c.logs.pop();
            if c.last_term.is_some() || c.instance().is_some() {
                c.restart_count -= 1;
            }
            return Err(StartFailure::Config(msg));
        }
    };
    let argv = container_argv(spec, &info);
    let cwd = spec.working_dir.clone().unwrap_or_else(|| info.workdir.to_string());
    let stdin_open = spec.stdin;
    let mut inst = Instance {
        id,
        image: image.clone(),
        started_at: now,
        main: Main::Done,
        main_cmd: argv.join(" "),
        servers: Vec::new(),
        layer: Layer::default(),
        env: env.clone(),
        wake: None,
        exit_pending: None,
        memory: 1 << 20,
        oom_at: None,
        post_start_until: None,
        post_start_error: None,
        started: spec.startup_probe.is_none(),
        ready: false,
        probes: [ProbeState::default(); 3],
        stop: None,
        interactive: false,
    };
    let mut start_log: Vec<LogItem> = Vec::new();
    let text = |lines: &[String], at: SimTime| -> Vec<LogItem> {
        lines.iter().map(|l| LogItem::Line { at, text: l.clone() }).collect()
    };
    match launch(&argv, &image, &env, &cwd, stdin_open) {
        Launch::NotFound(what) => {
            let c = &mut pod.containers[idx];
            c.logs.pop();
            return Err(StartFailure::Exec(exec_not_found(&what)));
        }
        Launch::Shell(p) => {
            inst.interactive =
                stdin_open && matches!(shell::shell_invocation(&argv), Some((_, ShellInvocation::Stdin)));
            inst.main = Main::Shell(Box::new(p));
            inst.wake = Some(now);
        }
        Launch::Program(Program::Server(kind, lines)) => {
            inst.memory = kind.memory_bytes();
            start_log.push(LogItem::Start {
                at: now,
                kind: kind.clone(),
            });
            for (dt, l) in lines {
                start_log.push(LogItem::Line {
                    at: now.plus_ms(dt),
                    text: l,
                });
            }
            inst.servers.push(RunningServer {
                kind,
                started_at: now,
                pid: 1,
                requests: 0,
            });
            inst.main = Main::Server(0);
        }
        Launch::Program(Program::Exit { code, lines }) => {
            let at = now.plus_ms(30 + crate::names::stable_hash(&[&inst.id, "exit"]) % 200);
            start_log.extend(text(&lines, now));
            inst.exit_pending = Some((at, code, if code == 0 { "Completed".into() } else { "Error".into() }));
        }
        Launch::Program(Program::Stress { bytes, lines }) => {
            start_log.extend(text(&lines, now));
            inst.memory = bytes;
            inst.main = Main::Stress;
        }
        Launch::Program(Program::Tool(o)) => {
            let mut l = Log::default();
            l.push(now, &o.stdout);
            l.push(now, &o.stderr);
            start_log.extend(l.items);
            inst.exit_pending = Some((
                now.plus_ms(20),
                o.status,
                if o.status == 0 {
                    "Completed".into()
                } else {
                    "Error".into()
                },
            ));
        }
        Launch::Program(Program::Unknown) => {
            let c = &mut pod.containers[idx];
            c.logs.pop();
            return Err(StartFailure::Exec(exec_not_found(&argv[0])));
        }
    }
    if let Some(limit) = memory_limit(spec) {
        if inst.memory > limit {
            inst.oom_at = Some(now.plus_ms(300 + crate::names::stable_hash(&[&inst.id, "oom"]) % 1200));
        }
    }
    let c = &mut pod.containers[idx];
    if let Some(l) = c.log_mut() {
        l.items.extend(start_log);
    }
    c.state = CState::Running(Box::new(inst));
    c.kill_for_restart = false;
    let _ = advance(pod, idx, world);
    Ok(())
}

/// Ends instance `idx` at `at`: the container becomes `Exited`.
pub fn finish(pod: &mut PodRuntime, idx: usize, at: SimTime, code: i32, reason: &str) -> Termination {
    let uid = pod.uid.clone();
    let c = &mut pod.containers[idx];
    let (id, started) = c.instance().map(|i| (i.id.clone(), i.started_at)).unwrap_or_default();
    let term = Termination {
        exit_code: code,
        reason: reason.to_string(),
        message: None,
        started_at: started,
        finished_at: at,
        container_id: format!("containerd://{id}"),
    };
    let noticed = if c.kill_for_restart {
        at
    } else {
        at.plus_ms(pleg_delay(&uid, &c.name, at))
    };
    c.prev_term = c.last_term.take();
    c.last_term = Some(term.clone());
    c.state = CState::Exited {
        term: term.clone(),
        noticed,
    };
    term
}

/// The exit code and delay PID 1 answers SIGTERM with, or `None` when it ignores it (a shell,
/// `sleep`, `stress`: PID 1 has no default signal actions).
fn on_term(inst: &Instance) -> Option<(i32, u64)> {
    match &inst.main {
        Main::Server(i) => inst.servers.get(*i).map(|s| {
            let t = s.kind.on_term();
            (t.exit_code, t.after_ms)
        }),
        Main::Done => Some((0, 0)),
        Main::Shell(_) | Main::Stress => None,
    }
}

/// Runs what is due in instance `idx` up to `world.now`; returns the termination if it ended.
pub fn advance(pod: &mut PodRuntime, idx: usize, world: &mut World<'_>) -> Option<Termination> {
    let now = world.now;
    for _ in 0..100_000 {
        let inst = pod.containers[idx].instance()?;
        if let Some((t, code, reason)) = inst.exit_pending.clone() {
            if t <= now {
                return Some(finish(pod, idx, t, code, &reason));
            }
        }
        if let Some(t) = inst.oom_at {
            if t <= now {
                return Some(finish(pod, idx, t, 137, "OOMKilled"));
            }
        }
        if let Some(stop) = inst.stop.clone() {
            if let Some((t, code)) = stop.exit_at {
                if t <= now {
                    let reason = if code == 0 { "Completed" } else { "Error" };
                    // Servers log their graceful shutdown.
                    let lines: Vec<(SimTime, String)> = inst
                        .servers
                        .iter()
                        .flat_map(|s| servers::stop_lines(&s.kind, t))
                        .collect();
                    if let Some(l) = pod.containers[idx].log_mut() {
                        for (at, line) in lines {
                            l.push(at, &format!("{line}\n"));
                        }
                    }
                    return Some(finish(pod, idx, t, code, reason));
                }
            }
            // A preStop hook still running at the deadline gets a one-off 2 s extension.
            let hook_over = stop
                .pre_stop_until
                .map(|t| t.max(stop.deadline))
                .unwrap_or(stop.deadline);
            let kill_at = if stop.pre_stop_until.is_some_and(|t| t > stop.deadline) {
                stop.deadline.plus_ms(2000).min(hook_over)
            } else {
                stop.deadline
            };
            if kill_at <= now {
                return Some(finish(pod, idx, kill_at, 137, "Error"));
            }
            if !stop.term_sent && stop.pre_stop_until.is_none_or(|t| t <= now) {
                let at = stop.pre_stop_until.unwrap_or(stop.started).max(stop.started);
                let answer = on_term(inst);
                let inst = pod.containers[idx].instance_mut()?;
                if let Some(s) = inst.stop.as_mut() {
                    s.term_sent = true;
                    s.exit_at = answer.map(|(code, after)| (at.plus_ms(after), code));
                }
                continue;
            }
        }
        let due = matches!(inst.main, Main::Shell(_)) && inst.wake.is_some_and(|w| w <= now);
        if due {
            run_main(pod, idx, world);
            continue;
        }
        break;
    }
    None
}

/// Resumes the main script at its wake time.
fn run_main(pod: &mut PodRuntime, idx: usize, world: &mut World<'_>) {
    let Some(inst) = pod.containers[idx].instance_mut() else {
        return;
    };
    let at = inst.wake.unwrap_or(world.now);
    let Main::Shell(mut p) = std::mem::replace(&mut inst.main, Main::Done) else {
        return;
    };
    let saved_now = world.now;
    world.now = at;
    let mut sys = CtrSys::new(pod, idx, world, Output::Log);
    let y = p.run(&mut sys);
    let started_server = sys.started_server;
    drop(sys);
    world.now = saved_now;
    let Some(inst) = pod.containers[idx].instance_mut() else {
        return;
    };
    inst.wake = None;
    match y {
        Yield::Sleep(ms) => inst.wake = Some(at.plus_ms(ms.max(1))),
        Yield::Busy => inst.wake = Some(at.plus_ms(1000)),
        Yield::Block => {}
        Yield::Exit(code) => {
            inst.exit_pending = Some((at, code, if code == 0 { "Completed".into() } else { "Error".into() }));
        }
    }
    if matches!(y, Yield::Block) && started_server && p.execed && !inst.servers.is_empty() {
        inst.main = Main::Server(inst.servers.len() - 1);
    } else {
        inst.main = Main::Shell(p);
    }
}

/// Begins stopping instance `idx`: preStop hook (if any) then SIGTERM, SIGKILL at the deadline.
/// Returns the preStop hook's failure message, if it failed.
pub fn begin_stop(
    pod: &mut PodRuntime,
    idx: usize,
    spec: &Container,
    grace_ms: u64,
    world: &mut World<'_>,
) -> Option<String> {
    let now = world.now;
    let inst = pod.containers[idx].instance()?;
    if inst.stop.is_some() {
        return None;
    }
    let mut pre_stop_until = None;
    let mut failure = None;
    if let Some(h) = spec.lifecycle.as_ref().and_then(|l| l.pre_stop.as_ref()) {
        let (code, output, took, blocked) = run_hook(pod, idx, h, world);
        pre_stop_until = Some(if blocked {
            now.plus_ms(grace_ms + 2000)
        } else {
            now.plus_ms(took)
        });
        if code != 0 {
            failure = Some(hook_failure("PreStop", h, &spec.name, pod, code, &output));
        }
    }
    let inst = pod.containers[idx].instance_mut()?;
    inst.stop = Some(Stop {
        started: now,
        deadline: now.plus_ms(grace_ms),
        pre_stop_until,
        term_sent: false,
        exit_at: None,
    });
    inst.ready = false;
    let _ = advance(pod, idx, world);
    failure
}

/// Runs a lifecycle hook in container `idx`: (exit code, output, duration, never returns).
pub fn run_hook(pod: &mut PodRuntime, idx: usize, h: &Handler, world: &mut World<'_>) -> (i32, String, u64, bool) {
    if let Some(e) = &h.exec {
        return run_in_container(pod, idx, world, &e.command);
    }
    if let Some(s) = &h.sleep {
        let secs = s.get("seconds").and_then(|v| v.as_u64()).unwrap_or(0);
        return (0, String::new(), secs * 1000, false);
    }
    if let Some(g) = &h.http_get {
        let ip = g.host.clone().unwrap_or_else(|| pod.ip.clone().unwrap_or_default());
        let port = match &g.port {
            IntOrString::Int(p) => *p as u16,
            IntOrString::Str(s) => s.parse().unwrap_or(80),
        };
        let path = g.path.clone().unwrap_or_else(|| "/".into());
        let client = pod.gateway.clone();
        return match connect(world, pod, &ip, port, Some((&path, "kube-lifecycle/1.32")), &client) {
            Http::Response { status, .. } if status < 400 => (0, String::new(), 5, false),
            Http::Response { status, .. } => (
                1,
                format!("HTTP lifecycle hook ({path}) for Container failed with statuscode: {status}"),
                5,
                false,
            ),
            _ => (
                1,
                format!("Get \"http://{ip}:{port}{path}\": dial tcp {ip}:{port}: connect: connection refused"),
                5,
                false,
            ),
        };
    }
    (0, String::new(), 0, false)
}

/// `Exec lifecycle hook ([…]) for Container "c" in Pod "p_ns(uid)" failed - error: …`.
pub fn hook_failure(_which: &str, h: &Handler, container: &str, pod: &PodRuntime, code: i32, output: &str) -> String {
    let pod_ref = format!("{}_{}({})", pod.name, pod.namespace, pod.uid);
    match &h.exec {
        Some(e) => {
            let cmd = e.command.join(" ");
            format!(
                "Exec lifecycle hook ([{cmd}]) for Container \"{container}\" in Pod \"{pod_ref}\" failed - error: command '{cmd}' exited with {code}: {output}, message: {:?}",
                output
            )
        }
        None => format!(
            "HTTP lifecycle hook ({}) for Container \"{container}\" in Pod \"{pod_ref}\" failed - error: {output}",
            h.http_get.as_ref().and_then(|g| g.path.clone()).unwrap_or_default()
        ),
    }
}
