//! `describeEndpoints`.

use super::prelude::*;

/// `describeEndpoints`.
pub(super) fn endpoints(w: &mut W, e: &Endpoints, ctx: &Ctx) {
    let m = &e.metadata;
    put!(w, 0, "Name:\t{}\n", m.name);
    put!(w, 0, "Namespace:\t{}\n", m.ns());
    labels_multiline(w, "", "Labels", &m.labels);
    annotations_multiline(w, "Annotations", &m.annotations);
    w.put(0, "Subsets:\n");
    let ips = |a: &[EndpointAddress]| {
        let s = a.iter().map(|a| a.ip.as_str()).collect::<Vec<_>>().join(",");
        if s.is_empty() {
            "<none>".to_string()
        } else {
            s
        }
    };
    for ss in &e.subsets {
        put!(w, 1, "Addresses:\t{}\n", ips(&ss.addresses));
        put!(w, 1, "NotReadyAddresses:\t{}\n", ips(&ss.not_ready_addresses));
        if !ss.ports.is_empty() {
            w.put(1, "Ports:\n");
            w.put(2, "Name\tPort\tProtocol\n");
            w.put(2, "----\t----\t--------\n");
            for p in &ss.ports {
                let name = p.name.as_deref().filter(|n| !n.is_empty()).unwrap_or("<unset>");
                put!(w, 2, "{name}\t{}\t{}\n", p.port, p.protocol.as_deref().unwrap_or(""));
            }
        }
        w.put(0, "\n");
    }
    events(w, ctx.events(m), ctx.now);
}
