//! `describeCronJob`.

use super::prelude::*;

/// `describeCronJob` as v1.32 prints it (`captured/describe.txt`): no Time Zone line yet; unset
/// limits and deadlines say `<unset>`; the job template's selector, parallelism and completions
/// come before its pod template.
pub(super) fn cron_job(w: &mut W, c: &CronJob, ctx: &Ctx) {
    let (m, spec) = (&c.metadata, &c.spec);
    put!(w, 0, "Name:\t{}\n", m.name);
    put!(w, 0, "Namespace:\t{}\n", m.ns());
    labels_multiline(w, "", "Labels", &m.labels);
    annotations_multiline(w, "Annotations", &m.annotations);
    put!(w, 0, "Schedule:\t{}\n", spec.schedule);
    put!(
        w,
        0,
        "Concurrency Policy:\t{}\n",
        spec.concurrency_policy.as_deref().unwrap_or("")
    );
    put!(w, 0, "Suspend:\t{}\n", bool_or_unset(spec.suspend));
    let or_unset = |v: Option<i64>, unit: &str| v.map_or("<unset>".to_string(), |v| format!("{v}{unit}"));
    put!(
        w,
        0,
        "Successful Job History Limit:\t{}\n",
        or_unset(spec.successful_jobs_history_limit, "")
    );
    put!(
        w,
        0,
        "Failed Job History Limit:\t{}\n",
        or_unset(spec.failed_jobs_history_limit, "")
    );
    put!(
        w,
        0,
        "Starting Deadline Seconds:\t{}\n",
        or_unset(spec.starting_deadline_seconds, "s")
    );
    let job = &spec.job_template.spec;
    match &job.selector {
        Some(s) => put!(w, 0, "Selector:\t{}\n", selector_string(s)),
        None => w.put(0, "Selector:\t<unset>\n"),
    }
    put!(w, 0, "Parallelism:\t{}\n", or_unset(job.parallelism, ""));
    put!(w, 0, "Completions:\t{}\n", or_unset(job.completions, ""));
    if let Some(d) = job.active_deadline_seconds {
        put!(w, 0, "Active Deadline Seconds:\t{d}s\n");
    }
    pod_template(w, &job.template);
    match c.status.last_schedule_time {
        Some(t) => put!(w, 0, "Last Schedule Time:\t{}\n", rfc1123z(t)),
        None => w.put(0, "Last Schedule Time:\t<unset>\n"),
    }
    w.put(0, "Active Jobs:\t");
    if c.status.active.is_empty() {
        w.put(0, "<none>\n");
    } else {
        let names: Vec<&str> = c
            .status
            .active
            .iter()
            .map(|r| r.name.as_deref().unwrap_or(""))
            .collect();
        put!(w, 0, "{}\n", names.join(", "));
    }
    events(w, ctx.events(m), ctx.now);
}
