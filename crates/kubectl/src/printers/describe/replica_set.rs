//! `describeReplicaSet`.

use super::prelude::*;

/// `describeReplicaSet`; Pods Status counts the pods it controls by phase.
pub(super) fn replica_set(w: &mut W, rs: &ReplicaSet, ctx: &Ctx) {
    let m = &rs.metadata;
    put!(w, 0, "Name:\t{}\n", m.name);
    put!(w, 0, "Namespace:\t{}\n", m.ns());
    put!(w, 0, "Selector:\t{}\n", format_label_selector(&rs.spec.selector));
    labels_multiline(w, "", "Labels", &m.labels);
    annotations_multiline(w, "Annotations", &m.annotations);
    if let Some(c) = m.controller() {
        put!(w, 0, "Controlled By:\t{}/{}\n", c.kind, c.name);
    }
    put!(
        w,
        0,
        "Replicas:\t{} current / {} desired\n",
        rs.status.replicas,
        rs.replicas()
    );
    pods_status(w, ctx, m);
    pod_template(w, &rs.spec.template);
    conditions_with_reason(w, &rs.status.conditions);
    events(w, ctx.events(m), ctx.now);
}
