//! `describeQuota`, and the quota section of `describeNamespace`.

use super::prelude::*;
use kubelab_engine::sort::CompactSort;

/// `describeQuota`: one row per hard limit, sorted by resource name. A used amount written in
/// another format than the limit is shown in the limit's format (`NewQuantity(used.Value(),
/// hard.Format)`), whole units rounded up.
pub(super) fn resource_quota(w: &mut W, q: &ResourceQuota) {
    let m = &q.metadata;
    put!(w, 0, "Name:\t{}\n", m.name);
    put!(w, 0, "Namespace:\t{}\n", m.ns());
    scopes(w, 0, " ", &q.spec.scopes);
    w.put(0, "Resource\tUsed\tHard\n");
    w.put(0, "--------\t----\t----\n");
    for (resource, hard_text) in &q.status.hard {
        let used_text = q.status.used.get(resource).map(String::as_str).unwrap_or("0");
        let (hard, used) = (Quantity::parse(hard_text), Quantity::parse(used_text));
        let used = match (hard, used) {
            (Some(h), Some(u)) if h.format != u.format => Quantity {
                milli: u.value() * 1000,
                format: h.format,
            }
            .to_string(),
            (_, Some(u)) => u.to_string(),
            _ => used_text.to_string(),
        };
        put!(w, 0, "{resource}\t{used}\t{}\n", canonical_quantity(hard_text));
    }
}

/// `DescribeResourceQuotas`, the namespace's section: every quota by name, its rows as the
/// server reports them.
pub(super) fn namespace_quotas(w: &mut W, quotas: &[&ResourceQuota]) {
    if quotas.is_empty() {
        w.put(0, "No resource quota.\n");
        return;
    }
    w.put(0, "Resource Quotas\n");
    for q in quotas {
        put!(w, 1, "Name:\t{}\n", q.metadata.name);
        scopes(w, 1, "", &q.spec.scopes);
        w.put(1, "Resource\tUsed\tHard\n");
        w.put(1, "--------\t---\t---\n");
        for (resource, hard) in &q.status.hard {
            let used = q.status.used.get(resource).map(String::as_str).unwrap_or("0");
            put!(
                w,
                1,
                "{resource}\t{}\t{}\n",
                canonical_quantity(used),
                canonical_quantity(hard)
            );
        }
    }
}

/// The quota's scopes, sorted, each followed by the help text kubectl has for it.
fn scopes(w: &mut W, level: usize, bullet_indent: &str, scopes: &[String]) {
    if scopes.is_empty() {
        return;
    }
    let mut sorted = scopes.to_vec();
    sorted.compact_sort();
    put!(w, level, "Scopes:\t{}\n", sorted.join(", "));
    for s in &sorted {
        let help = match s.as_str() {
            "Terminating" => "Matches all pods that have an active deadline. These pods have a limited lifespan on a node before being actively terminated by the system.",
            "NotTerminating" => "Matches all pods that do not have an active deadline. These pods usually include long running pods whose container command is not expected to terminate.",
            "BestEffort" => "Matches all pods that do not have resource requirements set. These pods have a best effort quality of service.",
            "NotBestEffort" => "Matches all pods that have at least one resource requirement set. These pods have a burstable or guaranteed quality of service.",
            _ => continue,
        };
        put!(w, level, "{bullet_indent}* {help}\n");
    }
}
