//! Traffic from the console. The console is a shell on the control-plane node, as in the
//! tutorials (`curl <pod IP>`, `curl <cluster IP>:<port>` and `curl <node IP>:<nodePort>` work
//! there: the pod network and kube-proxy route them), and kubectl runs beside it, so kind's
//! doors to the host are open too:
//!
//! - a pod's port through the API server and kubelet (`kubectl port-forward`); the process in
//!   the pod sees the connection come from `127.0.0.1`;
//! - the control-plane node's ports 80 and 443, mapped to the host by kind's
//!   `extraPortMappings` (the cluster configuration of kind's ingress guide), which reach a pod
//!   with that `hostPort` on the node (ingress-nginx's kind deployment uses them);
//! - a node's IP (`172.18.0.x`, the docker network) on a `hostPort` or a Service `nodePort`.
//!
//! Cluster DNS names do not resolve there (a node's resolver is not the cluster's DNS), and
//! addresses that are no pod, Service or node time out. An ingress-nginx controller pod answering on its host port routes by the
//! request's `Host` header and path through the Ingresses it serves (those it published an
//! address for), as [`route`] describes.

use crate::api::{Ingress, Kind, Object, Pod};
use crate::cluster::Cluster;
use crate::runtime::{self, PodRuntime, World};
use crate::shell::Http;
use crate::store::{ObjKey, Store};

/// Where a request from the host goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HostTarget {
    /// `kubectl port-forward`: straight to this pod's port.
    Pod { namespace: String, name: String, port: u16 },
    /// `localhost:PORT` for kind's mapped ports, or `NODE_IP:PORT`.
    Address { ip: String, port: u16 },
}

/// ingress-nginx's answer when no rule matches (its default backend).
pub const NGINX_404: &str = "<html>\n<head><title>404 Not Found</title></head>\n<body>\n<center><h1>404 Not Found</h1></center>\n<hr><center>nginx</center>\n</body>\n</html>\n";

/// ingress-nginx's answer when the backend Service is missing or has no ready endpoints.
pub const NGINX_503: &str = "<html>\n<head><title>503 Service Temporarily Unavailable</title></head>\n<body>\n<center><h1>503 Service Temporarily Unavailable</h1></center>\n<hr><center>nginx</center>\n</body>\n</html>\n";

/// The label ingress-nginx's manifests give the controller pods.
const CONTROLLER_LABEL: (&str, &str) = ("app.kubernetes.io/name", "ingress-nginx");

impl Cluster {
    /// Sends `GET path` from the host, with `host_header` (curl's `-H 'Host: …'`; the URL's host
    /// otherwise). `None` for the path opens a TCP connection only.
    pub fn host_http(&mut self, to: &HostTarget, path: &str, host_header: &str, user_agent: &str) -> Http {
        let (pod_ip, port, client) = match to {
            HostTarget::Pod { namespace, name, port } => {
                let Some(ip) = self
                    .get(Kind::Pod, namespace, name)
                    .and_then(|o| o.as_pod())
                    .and_then(|p| p.status.pod_ip.clone())
                else {
                    return Http::Refused;
                };
                (ip, *port, "127.0.0.1".to_string())
            }
            HostTarget::Address { ip, port } => {
                let local = ip == "127.0.0.1" || ip == "localhost";
                if !local && self.routed_in_cluster(ip) {
                    // The console is a shell on the control-plane node: kube-proxy's rules and
                    // the pod network route pod and Service IPs from there.
                    let client = self.control_plane_ip();
                    return self.send(ip, *port, path, user_agent, &client);
                }
                let node = if local {
                    if *port != 80 && *port != 443 {
                        return Http::Refused;
                    }
                    self.list(Kind::Node, None)
                        .into_iter()
                        .filter_map(|o| o.as_node())
                        .find(|n| n.is_control_plane())
                        .map(|n| n.metadata.name.clone())
                } else {
                    self.list(Kind::Node, None)
                        .into_iter()
                        .filter_map(|o| o.as_node())
                        .find(|n| n.internal_ip() == Some(ip.as_str()))
                        .map(|n| n.metadata.name.clone())
                };
                let Some(node) = node else {
                    return Http::Timeout;
                };
                if let Some((pod, container_port)) = self.host_port_pod(&node, *port) {
                    if pod.metadata.labels.get(CONTROLLER_LABEL.0).map(String::as_str) == Some(CONTROLLER_LABEL.1)
                        && (*port == 80 || *port == 443)
                    {
                        return self.ingress_request(&pod, path, host_header, user_agent);
                    }
                    let Some(ip) = pod.status.pod_ip.clone() else {
                        return Http::Refused;
                    };
                    (ip, container_port, "172.18.0.1".to_string())
                } else if let Some((svc_ip, svc_port)) = (!local).then(|| self.node_port(*port)).flatten() {
                    return self.send(&svc_ip, svc_port, path, user_agent, "172.18.0.1");
                } else {
                    return Http::Refused;
                }
            }
        };
        self.send(&pod_ip, port, path, user_agent, &client)
    }

    /// Whether `ip` is a pod's IP or a Service's cluster IP: addresses a node reaches through
    /// the pod network and kube-proxy.
    fn routed_in_cluster(&self, ip: &str) -> bool {
        self.pod_key_by_ip(ip).is_some()
            || self
                .list(Kind::Service, None)
                .into_iter()
                .filter_map(|o| o.as_service())
                .any(|s| s.spec.cluster_ip.as_deref() == Some(ip))
    }

    /// The control-plane node's internal IP: where the console's requests come from.
    fn control_plane_ip(&self) -> String {
        self.list(Kind::Node, None)
            .into_iter()
            .filter_map(|o| o.as_node())
            .find(|n| n.is_control_plane())
            .and_then(|n| n.internal_ip().map(str::to_string))
            .unwrap_or_else(|| "172.18.0.2".to_string())
    }

    /// A running pod on `node` with a container port published as `hostPort == port`, and
    /// that container port.
    fn host_port_pod(&self, node: &str, port: u16) -> Option<(Pod, u16)> {
        self.store()
            .pods_on_node(node)
            .filter_map(|o| o.as_pod())
            .find_map(|p| {
                if p.metadata.deletion_timestamp.is_some() || p.phase() != "Running" {
                    return None;
                }
                p.spec
                    .containers
                    .iter()
                    .flat_map(|c| c.ports.iter())
                    .find(|cp| cp.host_port == Some(i64::from(port)))
                    .map(|cp| (p.clone(), cp.container_port as u16))
            })
    }

    /// The Service whose `nodePort` is `port`: its cluster IP and port.
    fn node_port(&self, port: u16) -> Option<(String, u16)> {
        self.list(Kind::Service, None)
            .into_iter()
            .filter_map(|o| o.as_service())
            .find_map(|s| {
                let sp = s.spec.ports.iter().find(|p| p.node_port == Some(i64::from(port)))?;
                Some((s.spec.cluster_ip.clone()?, sp.port as u16))
            })
    }

    /// ingress-nginx answering on its host port: the matching Ingress rule's Service, else
    /// the default backend's 404.
    fn ingress_request(&mut self, controller: &Pod, path: &str, host_header: &str, user_agent: &str) -> Http {
        let pick = self.rng().range(0, 1 << 16);
        let now = self.now();
        let (agents, shared, store) = self.agents_and_store();
        let mut world = World {
            store,
            agents,
            shared,
            now,
        };
        let client = controller.status.pod_ip.clone().unwrap_or_default();
        ingress_answer(&mut world, &client, host_header, path, user_agent, pick)
    }

    /// One request through the pod network, from a client that is no pod (the host, or the
    /// ingress controller's proxy), picking a Service endpoint at random as kube-proxy does.
    fn send(&mut self, ip: &str, port: u16, path: &str, user_agent: &str, client: &str) -> Http {
        let pick = self.rng().range(0, 1 << 16);
        let now = self.now();
        let (agents, shared, store) = self.agents_and_store();
        let mut world = World {
            store,
            agents,
            shared,
            now,
        };
        let mut from = PodRuntime {
            rr: pick,
            ..PodRuntime::default()
        };
        let http = (!path.is_empty()).then_some((path, user_agent));
        let answer = runtime::connect(&mut world, &mut from, ip, port, http, client);
        if let Some(key) = self.pod_key_by_ip(ip) {
            self.kick_kubelet(&key);
        }
        answer
    }

    fn pod_key_by_ip(&self, ip: &str) -> Option<ObjKey> {
        self.list(Kind::Pod, None)
            .into_iter()
            .find(|o| o.as_pod().is_some_and(|p| p.status.pod_ip.as_deref() == Some(ip)))
            .map(|o| ObjKey::of(o))
    }
}

/// What the ingress-nginx controller at `controller_ip` answers to `GET path` with this `Host`:
/// the routed Service's answer (through its endpoints, the controller as the client), the
/// default backend's 404 without a matching rule, or 503 when the Service or its endpoints are
/// missing. Requests from inside the cluster arrive without a routable host header (kubelab's
/// `wget`/`curl` in pods do not send custom headers yet), so only rules without a host match.
pub fn ingress_answer(
    world: &mut World<'_>,
    controller_ip: &str,
    host_header: &str,
    path: &str,
    user_agent: &str,
    rr: u64,
) -> Http {
    let host = host_header.split(':').next().unwrap_or("").to_ascii_lowercase();
    let (path_only, query) = match path.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (path, None),
    };
    let Some(backend) = route(world.store, &host, path_only) else {
        return Http::Response {
            status: 404,
            reason: "Not Found",
            body: NGINX_404.to_string(),
        };
    };
    let target = world
        .store
        .get(&ObjKey::new(Kind::Service, &backend.namespace, &backend.service))
        .and_then(|o| o.as_service())
        .and_then(|s| {
            let sp = s.spec.ports.iter().find(|p| match &backend.port {
                BackendPort::Number(n) => p.port == *n,
                BackendPort::Name(n) => p.name.as_deref() == Some(n.as_str()),
            })?;
            Some((s.spec.cluster_ip.clone()?, sp.port as u16))
        });
    let unavailable = Http::Response {
        status: 503,
        reason: "Service Temporarily Unavailable",
        body: NGINX_503.to_string(),
    };
    let Some((ip, port)) = target else {
        return unavailable;
    };
    let upstream_path = match (&backend.rewrite, query) {
        (Some(r), Some(q)) => format!("{r}?{q}"),
        (Some(r), None) => r.clone(),
        (None, _) => path.to_string(),
    };
    let mut proxy = PodRuntime {
        rr,
        ..PodRuntime::default()
    };
    match runtime::connect(
        world,
        &mut proxy,
        &ip,
        port,
        Some((&upstream_path, user_agent)),
        controller_ip,
    ) {
        Http::Refused | Http::Timeout | Http::BadHost => unavailable,
        r => r,
    }
}

/// An Ingress backend as the rule names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BackendPort {
    Number(i64),
    Name(String),
}

/// Where a request goes: the Service, its port and the path the backend sees.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Backend {
    pub namespace: String,
    pub service: String,
    pub port: BackendPort,
    /// `nginx.ingress.kubernetes.io/rewrite-target` without capture groups: the upstream path.
    pub rewrite: Option<String>,
}

/// ingress-nginx's routing over the Ingresses it serves (those with a published address):
/// a rule whose host equals the request's host beats a wildcard host (`*.example.com`, one
/// label) which beats a rule without host; among paths of that host, the longest match wins
/// and `Exact` beats `Prefix` of the same length. `Prefix` matches whole path elements
/// (`/shop` matches `/shop` and `/shop/cart`, not `/shopping`); `ImplementationSpecific` is
/// a plain string prefix in ingress-nginx. Without a matching rule, an Ingress's
/// `defaultBackend` answers, else the controller's default backend (404).
pub fn route(store: &Store, host: &str, path: &str) -> Option<Backend> {
    let served: Vec<&Ingress> = store
        .list(Kind::Ingress, None)
        .filter_map(|o| match &**o {
            Object::Ingress(i) if !i.status.load_balancer.ingress.is_empty() => Some(i),
            _ => None,
        })
        .collect();
    // (host rank, path length, exact) of the best match so far.
    let mut best: Option<((u8, usize, bool), Backend)> = None;
    for ing in &served {
        let rewrite = ing
            .metadata
            .annotations
            .get("nginx.ingress.kubernetes.io/rewrite-target")
            .filter(|r| !r.contains('$'))
            .cloned();
        for rule in &ing.spec.rules {
            let rank = match rule.host.as_deref() {
                Some(h) if h.eq_ignore_ascii_case(host) => 3,
                Some(h) if h.starts_with("*.") => match host.split_once('.') {
                    Some((_, rest)) if rest.eq_ignore_ascii_case(&h[2..]) => 2,
                    _ => continue,
                },
                Some(_) => continue,
                None => 1,
            };
            let Some(http) = &rule.http else { continue };
            for p in &http.paths {
                let want = p.path.as_deref().unwrap_or("/");
                let exact = p.path_type.as_deref() == Some("Exact");
                let hit = match p.path_type.as_deref() {
                    Some("Exact") => path == want,
                    Some("Prefix") => prefix_match(want, path),
                    _ => path.starts_with(want),
                };
                let Some(svc) = hit.then_some(p.backend.service.as_ref()).flatten() else {
                    continue;
                };
                let score = (rank, want.len(), exact);
                if best.as_ref().is_none_or(|(b, _)| score > *b) {
                    let port = match (&svc.port.number, &svc.port.name) {
                        (Some(n), _) => BackendPort::Number(*n),
                        (None, Some(n)) => BackendPort::Name(n.clone()),
                        (None, None) => continue,
                    };
                    best = Some((
                        score,
                        Backend {
                            namespace: ing.metadata.ns().to_string(),
                            service: svc.name.clone(),
                            port,
                            rewrite: rewrite.clone(),
                        },
                    ));
                }
            }
        }
    }
    if let Some((_, b)) = best {
        return Some(b);
    }
    served.iter().find_map(|ing| {
        let svc = ing.spec.default_backend.as_ref()?.service.as_ref()?;
        let port = match (&svc.port.number, &svc.port.name) {
            (Some(n), _) => BackendPort::Number(*n),
            (None, Some(n)) => BackendPort::Name(n.clone()),
            (None, None) => return None,
        };
        Some(Backend {
            namespace: ing.metadata.ns().to_string(),
            service: svc.name.clone(),
            port,
            rewrite: None,
        })
    })
}

/// `Prefix` path matching: element by element, a trailing `/` ignored.
fn prefix_match(want: &str, path: &str) -> bool {
    let want = want.trim_end_matches('/');
    if want.is_empty() {
        return true;
    }
    path == want || path.starts_with(&format!("{want}/"))
}

#[cfg(test)]
mod tests {
    use super::prefix_match;

    #[test]
    fn prefix_matches_whole_elements() {
        assert!(prefix_match("/", "/anything"));
        assert!(prefix_match("/shop", "/shop"));
        assert!(prefix_match("/shop/", "/shop/cart"));
        assert!(!prefix_match("/shop", "/shopping"));
    }
}
