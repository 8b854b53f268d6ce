//! `describeIngressClassV1`.

use super::prelude::*;

/// `describeIngressClassV1`: the controller, and the parameters reference when there is one.
pub(super) fn ingress_class(w: &mut W, ic: &IngressClass, ctx: &Ctx) {
    let m = &ic.metadata;
    put!(w, 0, "Name:\t{}\n", m.name);
    labels_multiline(w, "", "Labels", &m.labels);
    annotations_multiline(w, "Annotations", &m.annotations);
    put!(w, 0, "Controller:\t{}\n", ic.spec.controller.as_deref().unwrap_or(""));
    if let Some(p) = &ic.spec.parameters {
        let s = |k: &str| p.get(k).and_then(Value::as_str).unwrap_or("").to_string();
        w.put(0, "Parameters:\n");
        if let Some(g) = p.get("apiGroup").and_then(Value::as_str) {
            put!(w, 1, "APIGroup:\t{g}\n");
        }
        put!(w, 1, "Kind:\t{}\n", s("kind"));
        put!(w, 1, "Name:\t{}\n", s("name"));
    }
    events(w, ctx.events(m), ctx.now);
}
