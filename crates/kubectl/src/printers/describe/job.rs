//! `describeJob`.

use super::prelude::*;
use crate::printers::duration::human_duration;

/// `describeJob`: the optional spec fields only when set (Completions says `<unset>`), start,
/// completion and their HumanDuration, and the pod counts (`(N Ready)` once the job
/// controller reports ready pods, which it always does since 1.29).
pub(super) fn job(w: &mut W, j: &Job, ctx: &Ctx) {
    let (m, spec, st) = (&j.metadata, &j.spec, &j.status);
    put!(w, 0, "Name:\t{}\n", m.name);
    put!(w, 0, "Namespace:\t{}\n", m.ns());
    put!(
        w,
        0,
        "Selector:\t{}\n",
        spec.selector.as_ref().map(selector_string).unwrap_or_default()
    );
    labels_multiline(w, "", "Labels", &m.labels);
    annotations_multiline(w, "Annotations", &m.annotations);
    if let Some(c) = m.controller() {
        put!(w, 0, "Controlled By:\t{}/{}\n", c.kind, c.name);
    }
    if let Some(p) = spec.parallelism {
        put!(w, 0, "Parallelism:\t{p}\n");
    }
    match spec.completions {
        Some(c) => put!(w, 0, "Completions:\t{c}\n"),
        None => w.put(0, "Completions:\t<unset>\n"),
    }
    if let Some(mode) = &spec.completion_mode {
        put!(w, 0, "Completion Mode:\t{mode}\n");
    }
    if let Some(s) = spec.suspend {
        put!(w, 0, "Suspend:\t{s}\n");
    }
    if let Some(b) = spec.backoff_limit {
        put!(w, 0, "Backoff Limit:\t{b}\n");
    }
    if let Some(ttl) = spec.ttl_seconds_after_finished {
        put!(w, 0, "TTL Seconds After Finished:\t{ttl}\n");
    }
    if let Some(t) = st.start_time {
        put!(w, 0, "Start Time:\t{}\n", rfc1123z(t));
    }
    if let Some(t) = st.completion_time {
        put!(w, 0, "Completed At:\t{}\n", rfc1123z(t));
    }
    if let (Some(start), Some(done)) = (st.start_time, st.completion_time) {
        // The API server keeps these to the second.
        let ms = (done.unix_secs() - start.unix_secs()) * 1000;
        put!(w, 0, "Duration:\t{}\n", human_duration(ms));
    }
    if let Some(d) = spec.active_deadline_seconds {
        put!(w, 0, "Active Deadline Seconds:\t{d}s\n");
    }
    match st.ready {
        Some(ready) => put!(
            w,
            0,
            "Pods Statuses:\t{} Active ({ready} Ready) / {} Succeeded / {} Failed\n",
            st.active,
            st.succeeded,
            st.failed
        ),
        None => put!(
            w,
            0,
            "Pods Statuses:\t{} Active / {} Succeeded / {} Failed\n",
            st.active,
            st.succeeded,
            st.failed
        ),
    }
    if spec.completion_mode.as_deref() == Some("Indexed") {
        put!(
            w,
            0,
            "Completed Indexes:\t{}\n",
            capped_indexes(st.completed_indexes.as_deref().unwrap_or(""), 50)
        );
    }
    pod_template(w, &spec.template);
    events(w, ctx.events(m), ctx.now);
}

/// `capIndexesListOrNone`: the list cut after the first comma past `soft_limit` characters.
fn capped_indexes(indexes: &str, soft_limit: usize) -> String {
    if indexes.is_empty() {
        return "<none>".into();
    }
    match indexes.get(soft_limit..).and_then(|rest| rest.find(',')) {
        Some(i) => format!("{}...", &indexes[..soft_limit + i + 1]),
        None => indexes.to_string(),
    }
}
