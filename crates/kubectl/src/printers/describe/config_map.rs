//! `ConfigMapDescriber`.

use super::prelude::*;

/// `ConfigMapDescriber`: each data key with its value under a `----` rule, then the binary keys
/// with their sizes. The lines without tabs end the tabwriter block, so `Events:` aligns on
/// its own.
pub(super) fn config_map(w: &mut W, cm: &ConfigMap, ctx: &Ctx) {
    let m = &cm.metadata;
    put!(w, 0, "Name:\t{}\n", m.name);
    put!(w, 0, "Namespace:\t{}\n", m.ns());
    labels_multiline(w, "", "Labels", &m.labels);
    annotations_multiline(w, "Annotations", &m.annotations);
    w.put(0, "\nData\n====\n");
    for (k, v) in &cm.data {
        put!(w, 0, "{k}:\n----\n");
        put!(w, 0, "{v}\n");
        w.put(0, "\n");
    }
    w.put(0, "\nBinaryData\n====\n");
    for (k, v) in &cm.binary_data {
        let len = crate::engine::base64::decode(v).map(|b| b.len()).unwrap_or(0);
        put!(w, 0, "{k}: {len} bytes\n");
    }
    w.put(0, "\n");
    events(w, ctx.events(m), ctx.now);
}
