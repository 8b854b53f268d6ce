//! Endpoints controller: a Service's Endpoints list the IPs of the pods its selector matches,
//! ready ones under `addresses` and the rest under `notReadyAddresses`; terminating pods drop out.
//! Services without a selector keep whatever Endpoints the user wrote.

use super::Action;
use crate::api::*;
use crate::sort::CompactSort;
use crate::time::{SimTime, Timestamp};

pub fn reconcile(svc: &Service, pods: &[&Pod], existing: Option<&Endpoints>, now: SimTime) -> Vec<Action> {
    if svc.spec.selector.is_empty() || svc.type_() == "ExternalName" {
        return Vec::new();
    }
    let sel = crate::selector::Selector::from_map(&svc.spec.selector);
    let mut ready = Vec::new();
    let mut not_ready = Vec::new();
    let mut ports: Option<Vec<EndpointPort>> = None;
    for p in pods.iter().filter(|p| sel.matches(&p.metadata.labels)) {
        let Some(ip) = p.status.pod_ip.clone() else { continue };
        if p.metadata.is_deleting() && svc.spec.publish_not_ready_addresses != Some(true) {
            continue;
        }
        // A pod whose subdomain is this service gets a DNS record by hostname
        // (`web-0.nginx.default.svc.cluster.local` for StatefulSet pods).
        let hostname = p
            .spec
            .hostname
            .clone()
            .filter(|_| p.spec.subdomain.as_deref() == Some(svc.metadata.name.as_str()));
        let addr = EndpointAddress {
            hostname,
            ip,
            node_name: p.spec.node_name.clone(),
            target_ref: Some(ObjectReference {
                kind: Some("Pod".into()),
                name: Some(p.metadata.name.clone()),
                namespace: p.metadata.namespace.clone(),
                uid: p.metadata.uid.clone(),
                ..Default::default()
            }),
        };
        if p.is_ready() || svc.spec.publish_not_ready_addresses == Some(true) {
            ready.push(addr);
        } else {
            not_ready.push(addr);
        }
        if ports.is_none() {
            ports = Some(svc.spec.ports.iter().filter_map(|sp| resolve_port(sp, p)).collect());
        }
    }
    let by_ip = |a: &EndpointAddress, b: &EndpointAddress| ip_key(&a.ip).cmp(&ip_key(&b.ip));
    ready.compact_sort_by(by_ip);
    not_ready.compact_sort_by(by_ip);
    let subsets = if ready.is_empty() && not_ready.is_empty() {
        Vec::new()
    } else {
        vec![EndpointSubset {
            addresses: ready,
            not_ready_addresses: not_ready,
            ports: ports.unwrap_or_default(),
        }]
    };
    let mut ep = existing.cloned().unwrap_or_else(|| Endpoints {
        metadata: ObjectMeta::named(&svc.metadata.name, svc.metadata.namespace.as_deref()),
        subsets: Vec::new(),
    });
    if existing.is_some() && ep.subsets == subsets {
        return Vec::new();
    }
    ep.metadata.labels = svc.metadata.labels.clone();
    ep.metadata.annotations.insert(
        "endpoints.kubernetes.io/last-change-trigger-time".into(),
        Timestamp(now).to_string(),
    );
    ep.subsets = subsets;
    if existing.is_some() {
        vec![Action::Update(Object::Endpoints(ep))]
    } else {
        vec![Action::Create {
            object: Object::Endpoints(ep),
            event: None,
        }]
    }
}

/// The endpoint port for one service port on one pod: a named targetPort is looked up among the
/// pod's container ports; a pod without that name contributes no port.
fn resolve_port(sp: &ServicePort, pod: &Pod) -> Option<EndpointPort> {
    let port = match &sp.target_port {
        Some(IntOrString::Int(n)) => *n,
        Some(IntOrString::Str(name)) => {
            pod.spec
                .containers
                .iter()
                .flat_map(|c| c.ports.iter())
                .find(|p| p.name.as_deref() == Some(name))?
                .container_port
        }
        None => sp.port,
    };
    Some(EndpointPort {
        name: sp.name.clone(),
        port,
        protocol: sp.protocol.clone(),
    })
}

/// Sorts IPv4 addresses numerically.
fn ip_key(ip: &str) -> Vec<u32> {
    ip.split('.').map(|p| p.parse().unwrap_or(0)).collect()
}
