//! `describeService`.

use super::prelude::*;

/// `describeService`. Endpoints come from the service's Endpoints object, read the way kubectl
/// reads EndpointSlices since 1.31 (`formatEndpointSlices`): ready addresses of the port with
/// the same name, `<none>` when the service has no endpoints object at all.
pub(super) fn service(w: &mut W, s: &Service, ctx: &Ctx) {
    let (m, spec) = (&s.metadata, &s.spec);
    put!(w, 0, "Name:\t{}\n", m.name);
    put!(w, 0, "Namespace:\t{}\n", m.ns());
    labels_multiline(w, "", "Labels", &m.labels);
    annotations_multiline(w, "Annotations", &m.annotations);
    put!(w, 0, "Selector:\t{}\n", format_labels(&spec.selector));
    put!(w, 0, "Type:\t{}\n", s.type_());
    if let Some(p) = &spec.ip_family_policy {
        put!(w, 0, "IP Family Policy:\t{p}\n");
    }
    if spec.ip_families.is_empty() {
        w.put(0, "IP Families:\t<none>\n");
    } else {
        put!(w, 0, "IP Families:\t{}\n", spec.ip_families.join(","));
    }
    put!(w, 0, "IP:\t{}\n", spec.cluster_ip.as_deref().unwrap_or(""));
    if spec.cluster_ips.is_empty() {
        w.put(0, "IPs:\t<none>\n");
    } else {
        put!(w, 0, "IPs:\t{}\n", spec.cluster_ips.join(","));
    }
    if !spec.external_ips.is_empty() {
        put!(w, 0, "External IPs:\t{}\n", spec.external_ips.join(","));
    }
    if let Some(ip) = spec.load_balancer_ip.as_deref().filter(|s| !s.is_empty()) {
        put!(w, 0, "Desired LoadBalancer IP:\t{ip}\n");
    }
    if let Some(n) = spec.external_name.as_deref().filter(|s| !s.is_empty()) {
        put!(w, 0, "External Name:\t{n}\n");
    }
    if let Some(Value::Array(ingress)) = s.status.load_balancer.get("ingress") {
        let list: Vec<String> = ingress
            .iter()
            .map(|i| {
                let ip = i.get("ip").and_then(Value::as_str).unwrap_or("");
                if ip.is_empty() {
                    i.get("hostname").and_then(Value::as_str).unwrap_or("").to_string()
                } else {
                    match i.get("ipMode").and_then(Value::as_str) {
                        Some(mode) => format!("{ip} ({mode})"),
                        None => ip.to_string(),
                    }
                }
            })
            .collect();
        if !list.is_empty() {
            put!(w, 0, "LoadBalancer Ingress:\t{}\n", list.join(", "));
        }
    }
    let ep = ctx
        .cluster
        .get(Kind::Endpoints, m.ns(), &m.name)
        .and_then(|o| o.as_endpoints())
        .cloned();
    for sp in &spec.ports {
        let name = sp.name.as_deref().filter(|n| !n.is_empty()).unwrap_or("<unset>");
        let proto = sp.protocol.as_deref().unwrap_or("TCP");
        put!(w, 0, "Port:\t{name}\t{}/{proto}\n", sp.port);
        match &sp.target_port {
            Some(IntOrString::Str(t)) => put!(w, 0, "TargetPort:\t{t}/{proto}\n"),
            Some(IntOrString::Int(t)) => put!(w, 0, "TargetPort:\t{t}/{proto}\n"),
            None => put!(w, 0, "TargetPort:\t0/{proto}\n"),
        }
        if let Some(np) = sp.node_port.filter(|n| *n != 0) {
            put!(w, 0, "NodePort:\t{name}\t{np}/{proto}\n");
        }
        put!(
            w,
            0,
            "Endpoints:\t{}\n",
            service_endpoints(ep.as_ref(), sp.name.as_deref().unwrap_or(""))
        );
    }
    put!(
        w,
        0,
        "Session Affinity:\t{}\n",
        spec.session_affinity.as_deref().unwrap_or("")
    );
    if let Some(p) = spec.external_traffic_policy.as_deref().filter(|s| !s.is_empty()) {
        put!(w, 0, "External Traffic Policy:\t{p}\n");
    }
    if let Some(p) = &spec.internal_traffic_policy {
        put!(w, 0, "Internal Traffic Policy:\t{p}\n");
    }
    events(w, ctx.events(m), ctx.now);
}

/// Up to three ready `ip:port` pairs of the named port, then ` + N more...`.
pub(super) fn service_endpoints(ep: Option<&Endpoints>, port_name: &str) -> String {
    let Some(ep) = ep else { return "<none>".into() };
    const MAX: usize = 3;
    let (mut list, mut count, mut more) = (Vec::new(), 0usize, false);
    for ss in &ep.subsets {
        for p in ss.ports.iter().filter(|p| p.name.as_deref().unwrap_or("") == port_name) {
            for a in &ss.addresses {
                if list.len() == MAX {
                    more = true;
                }
                if !more {
                    list.push(join_host_port(&a.ip, p.port));
                }
                count += 1;
            }
        }
    }
    let ret = list.join(",");
    if more {
        format!("{ret} + {} more...", count - MAX)
    } else {
        ret
    }
}
