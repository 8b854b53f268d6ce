//! `describeStatefulSet`.

use super::persistent_volume_claim::claim_class;
use super::prelude::*;

/// `describeStatefulSet`: the replica counts, the update strategy (the partition only when the
/// rolling update sets one), the pods by phase, the template and the claim templates.
pub(super) fn stateful_set(w: &mut W, s: &StatefulSet, ctx: &Ctx) {
    let m = &s.metadata;
    put!(w, 0, "Name:\t{}\n", m.name);
    put!(w, 0, "Namespace:\t{}\n", m.ns());
    put!(w, 0, "CreationTimestamp:\t{}\n", rfc1123z_opt(m.creation_timestamp));
    put!(w, 0, "Selector:\t{}\n", selector_string(&s.spec.selector));
    labels_multiline(w, "", "Labels", &m.labels);
    annotations_multiline(w, "Annotations", &m.annotations);
    put!(
        w,
        0,
        "Replicas:\t{} desired | {} total\n",
        s.spec.replicas.unwrap_or(1),
        s.status.replicas
    );
    let strategy = &s.spec.update_strategy;
    put!(w, 0, "Update Strategy:\t{}\n", strategy.type_.as_deref().unwrap_or(""));
    if let Some(ru) = &strategy.rolling_update {
        if let Some(p) = ru.partition {
            put!(w, 1, "Partition:\t{p}\n");
            if let Some(mu) = &ru.max_unavailable {
                put!(w, 1, "MaxUnavailable:\t{mu}\n");
            }
        }
    }
    pods_status(w, ctx, m);
    pod_template(w, &s.spec.template);
    volume_claim_templates(w, &s.spec.volume_claim_templates);
    events(w, ctx.events(m), ctx.now);
}

/// `describeVolumeClaimTemplates`: name, class, labels, annotations, the requested size
/// (`<default>` without one) and the access modes as Go prints a slice (`[ReadWriteOnce]`).
fn volume_claim_templates(w: &mut W, templates: &[ClaimTemplate]) {
    if templates.is_empty() {
        w.put(0, "Volume Claims:\t<none>\n");
        return;
    }
    w.put(0, "Volume Claims:\n");
    for t in templates {
        put!(w, 1, "Name:\t{}\n", t.metadata.name);
        put!(w, 1, "StorageClass:\t{}\n", claim_class(&t.metadata, &t.spec));
        labels_multiline(w, "  ", "Labels", &t.metadata.labels);
        labels_multiline(w, "  ", "Annotations", &t.metadata.annotations);
        match ResourceRequirements::get(&t.spec.resources.requests, "storage") {
            Some(q) => put!(w, 1, "Capacity:\t{}\n", canonical_quantity(&q)),
            None => w.put(1, "Capacity:\t<default>\n"),
        }
        put!(w, 1, "Access Modes:\t{}\n", go_list(&t.spec.access_modes));
    }
}
