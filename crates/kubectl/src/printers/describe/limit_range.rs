//! `describeLimitRange`, and the limit-range section of `describeNamespace`.

use super::prelude::*;
use kubelab_engine::sort::CompactSort;

const HEADER: &str = "Type\tResource\tMin\tMax\tDefault Request\tDefault Limit\tMax Limit/Request Ratio\n";
const RULE: &str = "----\t--------\t---\t---\t---------------\t-------------\t-----------------------\n";

/// `describeLimitRange`: one row per item and resource, `-` where the item sets no value.
pub(super) fn limit_range(w: &mut W, l: &LimitRange) {
    let m = &l.metadata;
    put!(w, 0, "Name:\t{}\n", m.name);
    put!(w, 0, "Namespace:\t{}\n", m.ns());
    w.put(0, HEADER);
    w.put(0, RULE);
    rows(w, l, "");
}

/// `DescribeLimitRanges`, the namespace's section: all limit ranges in one table, indented one
/// space.
pub(super) fn namespace_limit_ranges(w: &mut W, ranges: &[&LimitRange]) {
    if ranges.is_empty() {
        w.put(0, "No LimitRange resource.\n");
        return;
    }
    put!(w, 0, "Resource Limits\n {HEADER}");
    put!(w, 0, " {RULE}");
    for l in ranges {
        rows(w, l, " ");
    }
}

/// `describeLimitRangeSpec`. kubectl walks a Go map (random order); kubelab sorts by resource.
fn rows(w: &mut W, l: &LimitRange, prefix: &str) {
    for item in &l.spec.limits {
        let mut resources: Vec<&String> = item
            .max
            .keys()
            .chain(item.min.keys())
            .chain(item.default.keys())
            .chain(item.default_request.keys())
            .chain(item.max_limit_request_ratio.keys())
            .collect();
        resources.compact_sort();
        resources.dedup();
        let cell = |map: &BTreeMap<String, Value>, k: &str| {
            ResourceRequirements::get(map, k)
                .map(|q| canonical_quantity(&q))
                .unwrap_or_else(|| "-".into())
        };
        for r in resources {
            put!(
                w,
                0,
                "{prefix}{}\t{r}\t{}\t{}\t{}\t{}\t{}\n",
                item.type_,
                cell(&item.min, r),
                cell(&item.max, r),
                cell(&item.default_request, r),
                cell(&item.default, r),
                cell(&item.max_limit_request_ratio, r)
            );
        }
    }
}
