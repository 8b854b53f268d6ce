//! `describeIngressV1`.

use super::prelude::*;
use super::service::service_endpoints;

/// `describeIngressV1`: Labels come before Namespace here; each rule's host (`*` without
/// one) on a line of its own, then its paths with the backend and the backend's endpoints;
/// a rule-less ingress shows its default backend under `* *`. Annotations come last.
pub(super) fn ingress(w: &mut W, i: &Ingress, ctx: &Ctx) {
    let (m, spec) = (&i.metadata, &i.spec);
    put!(w, 0, "Name:\t{}\n", m.name);
    labels_multiline(w, "", "Labels", &m.labels);
    put!(w, 0, "Namespace:\t{}\n", m.ns());
    let address: Vec<&str> = i
        .status
        .load_balancer
        .ingress
        .iter()
        .filter_map(|lb| lb.ip.as_deref().filter(|s| !s.is_empty()).or(lb.hostname.as_deref()))
        .collect();
    put!(w, 0, "Address:\t{}\n", address.join(","));
    put!(
        w,
        0,
        "Ingress Class:\t{}\n",
        spec.ingress_class_name.as_deref().unwrap_or("<none>")
    );
    let default = match &spec.default_backend {
        Some(b) => backend(ctx, m.ns(), b),
        None => "<default>".into(),
    };
    put!(w, 0, "Default backend:\t{default}\n");
    if !spec.tls.is_empty() {
        w.put(0, "TLS:\n");
        for t in &spec.tls {
            let hosts = t.hosts.join(",");
            match t.secret_name.as_deref().filter(|s| !s.is_empty()) {
                Some(secret) => put!(w, 1, "{secret} terminates {hosts}\n"),
                None => put!(w, 1, "SNI routes {hosts}\n"),
            }
        }
    }
    w.put(0, "Rules:\n  Host\tPath\tBackends\n");
    w.put(1, "----\t----\t--------\n");
    let mut count = 0;
    for rule in &spec.rules {
        let Some(http) = &rule.http else { continue };
        count += 1;
        let host = rule.host.as_deref().filter(|h| !h.is_empty()).unwrap_or("*");
        put!(w, 1, "{host}\t\n");
        for p in &http.paths {
            put!(
                w,
                2,
                "\t{} \t{}\n",
                p.path.as_deref().unwrap_or(""),
                backend(ctx, m.ns(), &p.backend)
            );
        }
    }
    if count == 0 {
        put!(w, 1, "*\t*\t{default}\n");
    }
    annotations_multiline(w, "Annotations", &m.annotations);
    events(w, ctx.events(m), ctx.now);
}

/// `describeBackendV1`: `service:port (endpoints)`, the endpoints being those of the service
/// port the backend names; `<error: …>` when the service does not exist.
fn backend(ctx: &Ctx, namespace: &str, b: &IngressBackend) -> String {
    if let Some(s) = &b.service {
        let port = match s.port.number.filter(|n| *n != 0) {
            Some(n) => n.to_string(),
            None => s.port.name.clone().unwrap_or_default(),
        };
        let text = format!("{}:{port}", s.name);
        let Some(svc) = ctx
            .cluster
            .get(Kind::Service, namespace, &s.name)
            .and_then(|o| o.as_service())
        else {
            return format!("{text} (<error: services \"{}\" not found>)", s.name);
        };
        let mut port_name = "";
        for sp in &svc.spec.ports {
            let name = sp.name.as_deref().unwrap_or("");
            if s.port.number.is_some_and(|n| n != 0 && n == sp.port)
                || s.port.name.as_deref().is_some_and(|n| !n.is_empty() && n == name)
            {
                port_name = name;
            }
        }
        let ep = ctx
            .cluster
            .get(Kind::Endpoints, namespace, &s.name)
            .and_then(|o| o.as_endpoints());
        return format!("{text} ({})", service_endpoints(ep, port_name));
    }
    if let Some(r) = &b.resource {
        let s = |k: &str| r.get(k).and_then(Value::as_str).unwrap_or("").to_string();
        let group = r.get("apiGroup").and_then(Value::as_str).unwrap_or("<none>");
        return format!("APIGroup: {group}, Kind: {}, Name: {}", s("kind"), s("name"));
    }
    String::new()
}
