//! The simulated kubelet: drives a bound pod through sandbox creation, image pulls, container
//! starts, readiness and graceful termination, reporting status and Events the way a real
//! kubelet does (`shared/reference/describe-formats.md` §7.1).
//!
//! It is a table of stages (KWOK style): each `sync` looks at the pod's status, does the next
//! stage's effect, and says when it wants to be woken again. Timings are a pure function of the
//! pod (a hash of its uid), so no shared RNG is consumed.

use crate::api::*;
use crate::controllers::{Action, EventSpec};
use crate::images;
use crate::names::stable_hash;
use crate::store::ObjKey;
use crate::time::{SimTime, Timestamp};
use std::collections::{BTreeMap, BTreeSet};

/// Per-node kubelet and container-runtime state.
#[derive(Clone, Debug, Default)]
pub struct NodeAgent {
    /// Images already in the node's containerd store (normalized names).
    pub images: BTreeSet<String>,
    /// The first three octets of the node's pod CIDR (`10.244.1` for `10.244.1.0/24`).
    pub subnet: String,
    /// Host part of pod IPs in use.
    pub ips: BTreeSet<u32>,
    /// Pods being pulled: uid -> (container index, when the pull finishes).
    pub pulling: BTreeMap<String, (usize, SimTime)>,
    /// Pods being stopped: uid -> when their containers are gone.
    pub stopping: BTreeMap<String, SimTime>,
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
    }
}

/// What one sync decided.
#[derive(Debug, Default)]
pub struct Outcome {
    pub actions: Vec<Action>,
    /// Wake this pod's sync again after so many ms.
    pub wake_after: Option<u64>,
}

fn pod_key(p: &Pod) -> ObjKey {
    ObjKey::new(Kind::Pod, p.metadata.ns(), &p.metadata.name)
}

fn event(p: &Pod, node: &str, type_: &'static str, reason: &str, message: String) -> Action {
    Action::Event(EventSpec {
        subject: pod_key(p),
        type_,
        reason: reason.into(),
        message,
        component: "kubelet",
        host: Some(node.into()),
    })
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

/// Sets the kubelet's four conditions in the order the kubelet reports them, keeping
/// PodScheduled (the scheduler's) last and transition times of unchanged conditions.
fn set_conditions(p: &mut Pod, sandbox: bool, now: SimTime) {
    let names: Vec<String> = p.spec.containers.iter().map(|c| c.name.clone()).collect();
    let unready: Vec<&String> = names
        .iter()
        .filter(|n| !p.status.container_statuses.iter().any(|s| &s.name == *n && s.ready))
        .collect();
    let ready = unready.is_empty();
    let msg = (!ready).then(|| {
        format!("containers with unready status: [{}]", unready.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(" "))
    });
    let reason = (!ready).then(|| "ContainersNotReady".to_string());
    let mut fresh = vec![
        pod_condition("PodReadyToStartContainers", sandbox, now, None, None),
        pod_condition("Initialized", true, now, None, None),
        pod_condition("Ready", ready, now, reason.clone(), msg.clone()),
        pod_condition("ContainersReady", ready, now, reason, msg),
    ];
    for c in &mut fresh {
        if let Some(old) = condition(&p.status.conditions, &c.type_) {
            if old.status == c.status {
                c.last_transition_time = old.last_transition_time;
            }
        }
    }
    fresh.extend(p.status.conditions.iter().filter(|c| c.type_ == "PodScheduled").cloned());
    p.status.conditions = fresh;
}

fn waiting(reason: &str) -> ContainerState {
    ContainerState {
        waiting: Some(StateWaiting { reason: Some(reason.into()), message: None }),
        ..Default::default()
    }
}

/// One step for `pod`, bound to `node`.
pub fn sync(pod: &Pod, node: &Node, agent: &mut NodeAgent, now: SimTime) -> Outcome {
    let node_name = node.metadata.name.as_str();
    let uid = pod.metadata.uid().to_string();
    let mut out = Outcome::default();

    if pod.metadata.is_deleting() {
        return terminate(pod, node_name, agent, now);
    }
    if pod.is_terminal() {
        return out;
    }

    // Stage 1: admitted. Phase Pending, containers waiting in ContainerCreating.
    if pod.status.start_time.is_none() {
        let mut p = pod.clone();
        p.status.phase = Some("Pending".into());
        p.status.host_ip = node.internal_ip().map(str::to_string);
        p.status.host_ips = p.status.host_ip.iter().map(|ip| PodIp { ip: ip.clone() }).collect();
        p.status.start_time = Some(Timestamp(now));
        p.status.container_statuses = p
            .spec
            .containers
            .iter()
            .map(|c| ContainerStatus {
                image: c.image.clone(),
                name: c.name.clone(),
                state: waiting("ContainerCreating"),
                started: Some(false),
                ..Default::default()
            })
            .collect();
        set_conditions(&mut p, false, now);
        out.actions.push(Action::UpdateStatus(Object::Pod(p)));
        out.wake_after = Some(200 + stable_hash(&[&uid, "sandbox"]) % 600);
        return out;
    }

    let mut p = pod.clone();
    // Stage 2: sandbox ready, the pod gets its IP.
    if p.status.pod_ip.is_none() {
        let Some(ip) = agent.allocate_ip() else {
            out.actions.push(event(pod, node_name, "Warning", "FailedCreatePodSandBox", "Failed to create pod sandbox: no IP addresses available in range set".into()));
            return out;
        };
        p.status.pod_ip = Some(ip.clone());
        p.status.pod_ips = vec![PodIp { ip }];
        set_conditions(&mut p, true, now);
    }

    // Stage 3: containers in order, each pulled (if needed), created and started.
    let mut changed = p != *pod;
    for i in 0..p.spec.containers.len() {
        if p.status.container_statuses.get(i).is_some_and(|s| s.state.running.is_some()) {
            continue;
        }
        let c = p.spec.containers[i].clone();
        let norm = images::normalized(&c.image);
        let info = images::lookup(&c.image);
        match agent.pulling.get(&uid).copied() {
            Some((idx, done)) if idx == i && done > now => {
                out.wake_after = Some(done.0 - now.0);
                break;
            }
            Some((idx, done)) if idx == i => {
                agent.pulling.remove(&uid);
                let took = go_duration(stable_pull_ms(&uid, &c.image, info.size_bytes, agent.images.contains(&norm)));
                let _ = done;
                out.actions.push(event(pod, node_name, "Normal", "Pulled", format!(
                    "Successfully pulled image \"{}\" in {took} ({took} including waiting). Image size: {} bytes.",
                    c.image, info.size_bytes
                )));
                agent.images.insert(norm.clone());
            }
            _ => {
                let policy = c.image_pull_policy.as_deref().unwrap_or("IfNotPresent");
                let present = agent.images.contains(&norm);
                if policy == "Always" || (policy == "IfNotPresent" && !present) {
                    let ms = stable_pull_ms(&uid, &c.image, info.size_bytes, present);
                    agent.pulling.insert(uid.clone(), (i, now.plus_ms(ms)));
                    out.actions.push(event(pod, node_name, "Normal", "Pulling", format!("Pulling image \"{}\"", c.image)));
                    out.wake_after = Some(ms);
                    break;
                }
                out.actions.push(event(pod, node_name, "Normal", "Pulled", format!(
                    "Container image \"{}\" already present on machine",
                    c.image
                )));
            }
        }
        out.actions.push(event(pod, node_name, "Normal", "Created", format!("Created container: {}", c.name)));
        out.actions.push(event(pod, node_name, "Normal", "Started", format!("Started container {}", c.name)));
        let status = ContainerStatus {
            container_id: Some(format!("containerd://{}", hex64(&[&uid, &c.name, "0"]))),
            image: norm.clone(),
            image_id: format!("{}@sha256:{}", norm.rsplit_once(':').map(|(r, _)| r).unwrap_or(&norm), hex64(&[&norm])),
            last_state: ContainerState::default(),
            name: c.name.clone(),
            ready: c.readiness_probe.is_none(),
            restart_count: 0,
            started: Some(true),
            state: ContainerState {
                running: Some(StateRunning { started_at: Some(Timestamp(now)) }),
                ..Default::default()
            },
        };
        if i < p.status.container_statuses.len() {
            p.status.container_statuses[i] = status;
        } else {
            p.status.container_statuses.push(status);
        }
        changed = true;
    }
    if p.status.container_statuses.iter().all(|s| s.state.running.is_some()) {
        p.status.phase = Some("Running".into());
    }
    set_conditions(&mut p, true, now);
    if changed || p != *pod {
        out.actions.push(Action::UpdateStatus(Object::Pod(p)));
    }
    out
}

/// Pull time: image size over a ~50 MB/s link plus jitter; a cached image under `Always`
/// only checks the digest (a few hundred ms).
fn stable_pull_ms(uid: &str, image: &str, size: u64, cached: bool) -> u64 {
    let jitter = stable_hash(&[uid, image, "pull"]) % 400;
    if cached {
        300 + jitter
    } else {
        (size / 50_000).max(400) + jitter
    }
}

fn hex64(parts: &[&str]) -> String {
    (0..4u8)
        .map(|i| format!("{:016x}", stable_hash(&[parts.join("/").as_str(), &i.to_string()])))
        .collect()
}

/// Graceful termination: "Stopping container" for each running container, then the containers
/// exit (promptly if the image handles SIGTERM, else at the end of the grace period) and the pod
/// object is removed.
fn terminate(pod: &Pod, node: &str, agent: &mut NodeAgent, now: SimTime) -> Outcome {
    let uid = pod.metadata.uid().to_string();
    let mut out = Outcome::default();
    agent.pulling.remove(&uid);
    let running: Vec<&ContainerStatus> =
        pod.status.container_statuses.iter().filter(|s| s.state.running.is_some()).collect();
    match agent.stopping.get(&uid).copied() {
        None if !running.is_empty() => {
            let grace = pod.metadata.deletion_grace_period_seconds.unwrap_or(30).max(0) as u64 * 1000;
            let all_stop_fast = pod
                .spec
                .containers
                .iter()
                .all(|c| images::lookup(&c.image).stops_on_sigterm && c.command.is_empty());
            let stop_ms = if all_stop_fast { (100 + stable_hash(&[&uid, "stop"]) % 600).min(grace) } else { grace };
            for s in running {
                out.actions.push(event(pod, node, "Normal", "Killing", format!("Stopping container {}", s.name)));
            }
            agent.stopping.insert(uid, now.plus_ms(stop_ms));
            out.wake_after = Some(stop_ms);
        }
        Some(at) if at > now => out.wake_after = Some(at.0 - now.0),
        _ => {
            agent.stopping.remove(&uid);
            agent.release_ip(pod.status.pod_ip.as_deref());
            out.actions.push(Action::Remove(pod_key(pod)));
        }
    }
    out
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
