//! `kubectl port-forward TYPE/NAME [LOCAL:]REMOTE…`: local ports on the machine kubectl runs
//! on that reach one pod's ports through the API server and the kubelet.
//!
//! Modelled rules (kubectl `pkg/cmd/portforward`): `svc/NAME` and workloads pick one pod once
//! (the forward stays on that pod); a Service port is translated to the pod's `targetPort`
//! (a named target port to the container's number) and printed as such; the pod must be
//! Running; every listening address is printed (`127.0.0.1` and `[::1]` for the default
//! `--address localhost`); each connection prints `Handling connection for PORT`.
//!
//! kubelab's choice: real `port-forward` blocks its terminal until Ctrl-C, so learners run it
//! in a second terminal (or with `&`). The console has one terminal, so the forward behaves as
//! if started with `&`: it stays open while the next commands run (`curl localhost:8080`
//! reaches the pod) until the pod goes away (then the next connection ends it with kubectl's
//! `lost connection to pod`) or a new forward takes the same local port.

use super::{attach, mutate};
use crate::engine::api::{Kind, Object};
use crate::engine::outside::HostTarget;
use crate::errors;
use crate::flags::Invocation;
use crate::session::Session;
use crate::Output;
use kubelab_engine::sort::CompactSort;
use std::sync::Arc;

/// One open forward.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Forward {
    pub local: u16,
    pub remote: u16,
    pub namespace: String,
    pub pod: String,
    /// The pod's uid when the forward began: a new pod of the same name is not this one.
    pub uid: String,
    /// Listening on the loopback addresses (the default `--address localhost`).
    pub addresses: Vec<String>,
}

const USAGE: &str = "TYPE/NAME and list of ports are required for port-forward";
const POD_RUNNING_TIMEOUT_MS: u64 = 60_000;

pub fn run(s: &mut Session, inv: &Invocation) -> Output {
    if inv.args.len() < 2 {
        let mut o = errors::error(USAGE);
        o.errln("See 'kubectl port-forward -h' for help and examples");
        return o;
    }
    let ns = super::namespace(s, inv);
    let arg = inv.args[0].clone();
    let mut pods = match attach::candidate_pods(s, &arg, &ns, POD_RUNNING_TIMEOUT_MS, attach::api_not_found) {
        Ok(p) => p,
        Err(e) => return e,
    };
    pods.compact_sort_by_key(|p| {
        let pod = p.as_pod();
        (
            pod.is_none_or(|p| p.phase() != "Running"),
            pod.is_none_or(|p| !p.is_ready()),
            p.name().to_string(),
        )
    });
    let pod_obj: Arc<Object> = pods.swap_remove(0);
    let Some(pod) = pod_obj.as_pod() else {
        return errors::error("cannot attach to this object");
    };
    let service = match arg.split_once('/') {
        Some((t, n)) if crate::resources::resolve(t) == Some(Kind::Service) => s
            .cluster
            .get(Kind::Service, &ns, n)
            .and_then(|o| o.as_service().cloned()),
        _ => None,
    };
    // Parse every port spec before anything listens.
    let mut pairs: Vec<(u16, u16, u16)> = Vec::new();
    for spec in &inv.args[1..] {
        let (local, remote) = match spec.split_once(':') {
            Some((l, r)) => (l.to_string(), r.to_string()),
            None => (spec.clone(), spec.clone()),
        };
        let remote_port = match &service {
            Some(svc) => {
                let Ok(n) = remote.parse::<i64>() else {
                    return errors::error(format!(
                        "Service '{}' does not have a named port '{remote}'",
                        svc.metadata.name
                    ));
                };
                let Some(sp) = svc.spec.ports.iter().find(|p| p.port == n) else {
                    return errors::error(format!(
                        "Service {} does not have a service port {n}",
                        svc.metadata.name
                    ));
                };
                match &sp.target_port {
                    Some(crate::engine::api::IntOrString::Int(t)) => *t,
                    Some(crate::engine::api::IntOrString::Str(name)) => {
                        match pod
                            .spec
                            .containers
                            .iter()
                            .flat_map(|c| c.ports.iter())
                            .find(|p| p.name.as_deref() == Some(name.as_str()))
                        {
                            Some(p) => p.container_port,
                            None => {
                                return errors::error(format!(
                                    "Pod '{}' does not have a named port '{name}'",
                                    pod.metadata.name
                                ))
                            }
                        }
                    }
                    None => n,
                }
            }
            None => match remote.parse::<i64>() {
                Ok(n) => n,
                Err(_) => match pod
                    .spec
                    .containers
                    .iter()
                    .flat_map(|c| c.ports.iter())
                    .find(|p| p.name.as_deref() == Some(remote.as_str()))
                {
                    Some(p) => p.container_port,
                    None => {
                        return errors::error(format!(
                            "Pod '{}' does not have a named port '{remote}'",
                            pod.metadata.name
                        ))
                    }
                },
            },
        };
        let Ok(remote_port) = u16::try_from(remote_port) else {
            return errors::error(format!(
                "Error parsing remote port '{remote}': port number out of range"
            ));
        };
        let local_port: u16 = if local.is_empty() {
            // A free port the kernel picks; kubelab derives it from the pod so runs repeat.
            let h = format!("{}/{remote}", pod.metadata.name)
                .bytes()
                .fold(0x811c_9dc5u32, |h, b| (h ^ u32::from(b)).wrapping_mul(0x0100_0193));
            32768 + (h % 28000) as u16
        } else {
            match local.parse::<u16>() {
                Ok(p) => p,
                Err(_) => {
                    return errors::error(format!(
                        "Error parsing local port '{local}': strconv.ParseUint: parsing \"{local}\": invalid syntax"
                    ))
                }
            }
        };
        pairs.push((local_port, remote_port, 0));
    }
    if pod.phase() != "Running" {
        return errors::error(format!(
            "unable to forward port because pod is not running. Current status={}",
            pod.phase()
        ));
    }
    let addresses: Vec<String> = inv
        .get_all("address")
        .iter()
        .flat_map(|a| match a.as_str() {
            "localhost" => vec!["127.0.0.1".to_string(), "[::1]".to_string()],
            other => vec![other.to_string()],
        })
        .collect();
    let mut out = Output::ok();
    for (local, remote, _) in pairs {
        if s.forwards.iter().any(|f| f.local == local) {
            // The first forward still holds the port.
            out.extend(errors::error(format!(
                "Unable to listen on port {local}: Listeners failed to create with the following errors: [unable to create listener: Error listen tcp4 127.0.0.1:{local}: bind: address already in use unable to create listener: Error listen tcp6 [::1]:{local}: bind: address already in use]"
            )));
            out.extend(errors::error(format!(
                "unable to listen on any of the requested ports: [{{{local} {remote}}}]"
            )));
            return out;
        }
        for a in &addresses {
            out.outln(format!("Forwarding from {a}:{local} -> {remote}"));
        }
        s.forwards.push(Forward {
            local,
            remote,
            namespace: ns.clone(),
            pod: pod.metadata.name.clone(),
            uid: pod.metadata.uid().to_string(),
            addresses: addresses.clone(),
        });
    }
    out
}

/// A connection from the host to `localhost:port`, if a forward listens there: kubectl's
/// `Handling connection for PORT` line and where the request goes. A forward whose pod is gone
/// ends on its next connection, printing kubectl's error, and the connection is refused.
pub fn connect(s: &mut Session, port: u16, out: &mut Output) -> Option<HostTarget> {
    let i = s.forwards.iter().position(|f| f.local == port)?;
    let f = s.forwards[i].clone();
    out.outln(format!("Handling connection for {port}"));
    let alive = s
        .cluster
        .get(Kind::Pod, &f.namespace, &f.pod)
        .and_then(|o| o.as_pod())
        .is_some_and(|p| p.metadata.uid() == f.uid && p.phase() == "Running");
    if !alive {
        s.forwards.remove(i);
        out.errln(mutate::klog_line(
            s,
            'E',
            "portforward.go:424",
            &format!(
                "\"Unhandled Error\" err=\"an error occurred forwarding {port} -> {}: error forwarding port {} to pod {}, uid : failed to find sandbox in store: not found\"",
                f.remote, f.remote, f.uid
            ),
        ));
        out.errln("error: lost connection to pod");
        // Port 0: the connection was accepted and dropped (see `curl`).
        return Some(HostTarget::Address {
            ip: "127.0.0.1".into(),
            port: 0,
        });
    }
    Some(HostTarget::Pod {
        namespace: f.namespace,
        name: f.pod,
        port: f.remote,
    })
}

/// kubectl's log line when the pod refused a forwarded connection (nothing listens there).
pub fn refused_line(s: &Session, local: u16, remote: u16, uid: &str) -> String {
    mutate::klog_line(
        s,
        'E',
        "portforward.go:424",
        &format!(
            "\"Unhandled Error\" err=\"an error occurred forwarding {local} -> {remote}: error forwarding port {remote} to pod {uid}, uid : failed to execute portforward in network namespace: failed to connect to localhost:{remote} inside namespace: connection refused\""
        ),
    )
}
