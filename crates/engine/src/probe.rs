//! Container probes as the kubelet's prober runs them: `httpGet` from the node to the pod IP
//! (success for 200–399), `tcpSocket` (a listening port), `exec` (exit status 0, output as the
//! failure message), with the API defaults (period 10 s, timeout 1 s, failure threshold 3).
//!
//! Each probe worker ticks every `periodSeconds` from a phase fixed when the pod was admitted
//! (a hash of its uid, not the shared RNG), and skips ticks until `initialDelaySeconds` after
//! the container started. Liveness and readiness wait for the startup probe to succeed.

use crate::api::*;
use crate::names::stable_hash;
use crate::runtime::{self, PodRuntime, World};
use crate::shell::Http;
use crate::time::SimTime;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Startup = 0,
    Liveness = 1,
    Readiness = 2,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::Startup, Kind::Liveness, Kind::Readiness];

    pub fn label(self) -> &'static str {
        match self {
            Kind::Startup => "Startup",
            Kind::Liveness => "Liveness",
            Kind::Readiness => "Readiness",
        }
    }

    pub fn of(self, c: &Container) -> Option<&Probe> {
        match self {
            Kind::Startup => c.startup_probe.as_ref(),
            Kind::Liveness => c.liveness_probe.as_ref(),
            Kind::Readiness => c.readiness_probe.as_ref(),
        }
    }
}

pub fn period_ms(p: &Probe) -> u64 {
    p.period_seconds.unwrap_or(10).max(1) as u64 * 1000
}

pub fn initial_delay_ms(p: &Probe) -> u64 {
    p.initial_delay_seconds.unwrap_or(0).max(0) as u64 * 1000
}

pub fn failure_threshold(p: &Probe) -> i64 {
    p.failure_threshold.unwrap_or(3).max(1)
}

pub fn success_threshold(p: &Probe) -> i64 {
    p.success_threshold.unwrap_or(1).max(1)
}

/// The first tick of a probe worker strictly after `after`.
pub fn next_tick(pod: &PodRuntime, container: &str, kind: Kind, p: &Probe, after: SimTime) -> SimTime {
    let period = period_ms(p);
    let phase = stable_hash(&[&pod.uid, container, kind.label(), "probe"]) % period;
    let anchor = pod.admitted_at.0 + phase;
    if after.0 < anchor {
        return SimTime(anchor);
    }
    let k = (after.0 - anchor) / period + 1;
    SimTime(anchor + k * period)
}

/// Runs one probe against container `idx`: (success, message on failure).
pub fn run(pod: &mut PodRuntime, idx: usize, c: &Container, p: &Probe, world: &mut World<'_>) -> (bool, String) {
    let ip = pod.ip.clone().unwrap_or_default();
    let timeout_ms = p.timeout_seconds.unwrap_or(1).max(1) as u64 * 1000;
    let port_of = |v: &IntOrString| -> Option<u16> {
        match v {
            IntOrString::Int(n) => Some(*n as u16),
            IntOrString::Str(name) => c
                .ports
                .iter()
                .find(|cp| cp.name.as_deref() == Some(name.as_str()))
                .map(|cp| cp.container_port as u16),
        }
    };
    let h = &p.handler;
    if let Some(g) = &h.http_get {
        let host = g.host.clone().unwrap_or_else(|| ip.clone());
        let path = g.path.clone().unwrap_or_else(|| "/".into());
        let scheme = g.scheme.clone().unwrap_or_else(|| "HTTP".into()).to_lowercase();
        let Some(port) = port_of(&g.port) else {
            return (false, format!("unable to find port {:?}", g.port));
        };
        let url = format!("{scheme}://{host}:{port}{path}");
        let client = pod.gateway.clone();
        return match runtime::connect(world, pod, &host, port, Some((&path, "kube-probe/1.32")), &client) {
            Http::Response { status, .. } if (200..400).contains(&status) => (true, String::new()),
            Http::Response { status, .. } => (false, format!("HTTP probe failed with statuscode: {status}")),
            Http::Refused | Http::BadHost => (
                false,
                format!("Get \"{url}\": dial tcp {host}:{port}: connect: connection refused"),
            ),
            Http::Timeout => (
                false,
                format!("Get \"{url}\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)"),
            ),
        };
    }
    if let Some(t) = &h.tcp_socket {
        let host = t.host.clone().unwrap_or_else(|| ip.clone());
        let Some(port) = port_of(&t.port) else {
            return (false, format!("unable to find port {:?}", t.port));
        };
        let client = pod.gateway.clone();
        return match runtime::connect(world, pod, &host, port, None, &client) {
            Http::Response { .. } => (true, String::new()),
            Http::Timeout => (false, format!("dial tcp {host}:{port}: i/o timeout")),
            _ => (false, format!("dial tcp {host}:{port}: connect: connection refused")),
        };
    }
    if let Some(e) = &h.exec {
        let (code, output, took, blocked) = runtime::run_in_container(pod, idx, world, &e.command);
        if blocked || took > timeout_ms {
            return (false, format!("command {:?} timed out", e.command.join(" ")));
        }
        if code == 126 && output.starts_with("OCI runtime exec failed") {
            let id = pod.containers[idx].instance().map(|i| i.id.clone()).unwrap_or_default();
            return (false, format!("rpc error: code = Unknown desc = failed to exec in container: failed to start exec \"{}\": {output}", runtime::hex64(&[&id, &e.command.join(" ")])));
        }
        return (code == 0, output);
    }
    if let Some(g) = &h.grpc {
        let port = g.get("port").and_then(|v| v.as_u64()).unwrap_or(0) as u16;
        let client = pod.gateway.clone();
        return match runtime::connect(world, pod, &ip, port, None, &client) {
            Http::Response { .. } => (true, String::new()),
            _ => (
                false,
                format!("timeout: failed to connect service \"{ip}:{port}\" within 1s: context deadline exceeded"),
            ),
        };
    }
    (true, String::new())
}
