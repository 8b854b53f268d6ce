//! `describeNamespace`.

use super::limit_range::namespace_limit_ranges;
use super::prelude::*;
use super::resource_quota::namespace_quotas;

/// `describeNamespace`: the status (kubelab keeps no namespace conditions), then the namespace's resource quotas and limit
/// ranges (or the sentences kubectl prints when there are none). No Events section.
pub(super) fn namespace(w: &mut W, n: &Namespace, ctx: &Ctx) {
    let m = &n.metadata;
    put!(w, 0, "Name:\t{}\n", m.name);
    labels_multiline(w, "", "Labels", &m.labels);
    annotations_multiline(w, "Annotations", &m.annotations);
    put!(w, 0, "Status:\t{}\n", n.status.phase.as_deref().unwrap_or(""));
    let quotas: Vec<&ResourceQuota> = ctx
        .cluster
        .list(Kind::ResourceQuota, Some(&m.name))
        .into_iter()
        .filter_map(|o| o.as_resourcequota())
        .collect();
    w.put(0, "\n");
    namespace_quotas(w, &quotas);
    let ranges: Vec<&LimitRange> = ctx
        .cluster
        .list(Kind::LimitRange, Some(&m.name))
        .into_iter()
        .filter_map(|o| o.as_limitrange())
        .collect();
    w.put(0, "\n");
    namespace_limit_ranges(w, &ranges);
}
