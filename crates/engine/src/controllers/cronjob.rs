//! CronJob controller (upstream `pkg/controller/cronjob`, v2 controller of v1.32): makes a Job
//! at each scheduled time of the virtual clock, named `<cronjob>-<scheduled unix minutes>`,
//! honouring `concurrencyPolicy`, `suspend` and `startingDeadlineSeconds`, and keeps
//! `successfulJobsHistoryLimit`/`failedJobsHistoryLimit` finished Jobs.

use super::{controller_ref, Action, EventSpec};
use crate::api::*;
use crate::sort::CompactSort;
use crate::store::ObjKey;
use crate::time::{SimTime, Timestamp, EPOCH_UNIX_SECS};

const COMPONENT: &str = "cronjob-controller";
pub const SCHEDULED_TIMESTAMP: &str = "batch.kubernetes.io/cronjob-scheduled-timestamp";

fn unix(t: SimTime) -> i64 {
    EPOCH_UNIX_SECS + (t.0 / 1000) as i64
}

fn sim(unix_secs: i64) -> SimTime {
    SimTime(((unix_secs - EPOCH_UNIX_SECS).max(0) as u64) * 1000)
}

fn job_key(ns: &str, name: &str) -> ObjKey {
    ObjKey::new(Kind::Job, ns, name)
}

/// `jobs` are the Jobs the CronJob controls.
pub fn reconcile(cj: &CronJob, jobs: &[&Job], now: SimTime) -> Vec<Action> {
    let key = ObjKey::new(Kind::CronJob, cj.metadata.ns(), &cj.metadata.name);
    let ns = cj.metadata.ns();
    let mut out = Vec::new();
    let mut status = cj.status.clone();
    if cj.metadata.is_deleting() {
        return out;
    }
    // Forget active references to jobs that finished or went away.
    let mut still_active = Vec::new();
    for r in &status.active {
        let name = r.name.clone().unwrap_or_default();
        match jobs.iter().find(|j| j.metadata.name == name) {
            Some(j) if j.is_finished() => {
                out.push(Action::Event(EventSpec::normal(
                    key.clone(),
                    COMPONENT,
                    "SawCompletedJob",
                    format!("Saw completed job: {name}, status: {}", j.finished_type()),
                )));
                if j.finished_type() == "Complete" {
                    let done = j.status.completion_time;
                    if done > status.last_successful_time {
                        status.last_successful_time = done;
                    }
                }
            }
            Some(_) => still_active.push(r.clone()),
            None => {
                out.push(Action::Event(EventSpec::normal(
                    key.clone(),
                    COMPONENT,
                    "MissingJob",
                    format!("Active job went missing: {name}"),
                )));
            }
        }
    }
    // Adopt running jobs the status does not list yet.
    for j in jobs.iter().filter(|j| !j.is_finished() && !j.metadata.is_deleting()) {
        if !still_active.iter().any(|r| r.name.as_deref() == Some(&j.metadata.name)) {
            still_active.push(job_ref(j));
        }
    }
    status.active = still_active;

    let Ok(schedule) = crate::cron::parse(&cj.spec.schedule) else {
        out.push(Action::Event(EventSpec::warning(
            key,
            COMPONENT,
            "UnparseableSchedule",
            format!("unparseable schedule: {:?}", cj.spec.schedule),
        )));
        return finish(cj, status, out);
    };
    // The most recent time due since the last run (or creation), as `mostRecentScheduleTime`.
    let earliest = status
        .last_schedule_time
        .or(cj.metadata.creation_timestamp)
        .map_or(unix(now) - 60, |t| unix(t.0));
    let mut due = None;
    let mut t = earliest;
    let mut missed = 0;
    while let Some(n) = schedule.next(t).filter(|n| *n <= unix(now)) {
        due = Some(n);
        missed += 1;
        t = n;
        if missed > 100 {
            // Far behind (the clock jumped): only the latest time matters.
            let mut last = n;
            while let Some(n2) = schedule.next(last).filter(|n2| *n2 <= unix(now)) {
                last = n2;
            }
            due = Some(last);
            break;
        }
    }
    if let Some(at) = due.filter(|_| !cj.is_suspended()) {
        let too_late = cj.spec.starting_deadline_seconds.is_some_and(|d| unix(now) - at > d);
        let name = format!("{}-{}", cj.metadata.name, at / 60);
        let exists = jobs.iter().any(|j| j.metadata.name == name);
        if too_late {
            out.push(Action::Event(EventSpec::warning(
                key.clone(),
                COMPONENT,
                "MissSchedule",
                format!("Missed scheduled time to start a job: {}", Timestamp(sim(at))),
            )));
            status.last_schedule_time = Some(Timestamp(sim(at)));
        } else if !exists {
            let policy = cj.spec.concurrency_policy.as_deref().unwrap_or("Allow");
            if policy == "Forbid" && !status.active.is_empty() {
                out.push(Action::Event(EventSpec::normal(
                    key.clone(),
                    COMPONENT,
                    "JobAlreadyActive",
                    "Not starting job because prior execution is running and concurrency policy is Forbid".into(),
                )));
            } else {
                if policy == "Replace" {
                    for r in std::mem::take(&mut status.active) {
                        let n = r.name.unwrap_or_default();
                        out.push(Action::Delete {
                            key: job_key(ns, &n),
                            grace: None,
                        });
                        out.push(Action::Event(EventSpec::normal(
                            key.clone(),
                            COMPONENT,
                            "SuccessfulDelete",
                            format!("Deleted job {n}"),
                        )));
                    }
                }
                let job = new_job(cj, &name, at);
                out.push(Action::Create {
                    object: Object::Job(job),
                    event: Some(EventSpec::normal(
                        key.clone(),
                        COMPONENT,
                        "SuccessfulCreate",
                        format!("Created job {name}"),
                    )),
                });
                status.active.push(ObjectReference {
                    api_version: Some("batch/v1".into()),
                    kind: Some("Job".into()),
                    name: Some(name),
                    namespace: Some(ns.to_string()),
                    ..Default::default()
                });
                status.last_schedule_time = Some(Timestamp(sim(at)));
            }
        }
    }
    // History limits: the oldest finished jobs beyond the limits go.
    for (kind, limit) in [
        ("Complete", cj.spec.successful_jobs_history_limit.unwrap_or(3)),
        ("Failed", cj.spec.failed_jobs_history_limit.unwrap_or(1)),
    ] {
        let mut done: Vec<&&Job> = jobs
            .iter()
            .filter(|j| j.finished_type() == kind && !j.metadata.is_deleting())
            .collect();
        done.compact_sort_by(|a, b| {
            a.status
                .start_time
                .cmp(&b.status.start_time)
                .then(a.metadata.name.cmp(&b.metadata.name))
        });
        let excess = done.len().saturating_sub(limit.max(0) as usize);
        for j in done.into_iter().take(excess) {
            out.push(Action::Delete {
                key: job_key(ns, &j.metadata.name),
                grace: None,
            });
            out.push(Action::Event(EventSpec::normal(
                key.clone(),
                COMPONENT,
                "SuccessfulDelete",
                format!("Deleted job {}", j.metadata.name),
            )));
        }
    }
    // Wake at the next scheduled time.
    if let Some(next) = schedule.next(unix(now)) {
        out.push(Action::Requeue {
            key,
            after_ms: (sim(next).0.saturating_sub(now.0)).max(1),
        });
    }
    finish(cj, status, out)
}

fn finish(cj: &CronJob, status: CronJobStatus, mut out: Vec<Action>) -> Vec<Action> {
    if status != cj.status {
        let mut next = cj.clone();
        next.status = status;
        out.push(Action::UpdateStatus(Object::CronJob(next)));
    }
    out
}

fn job_ref(j: &Job) -> ObjectReference {
    ObjectReference {
        api_version: Some("batch/v1".into()),
        kind: Some("Job".into()),
        name: Some(j.metadata.name.clone()),
        namespace: j.metadata.namespace.clone(),
        resource_version: j.metadata.resource_version.clone(),
        uid: j.metadata.uid.clone(),
        field_path: None,
    }
}

/// The Job for the run scheduled at `at` (unix seconds), from the job template.
pub fn new_job(cj: &CronJob, name: &str, at: i64) -> Job {
    let t = &cj.spec.job_template;
    let mut annotations = t.metadata.annotations.clone();
    annotations.insert(SCHEDULED_TIMESTAMP.into(), Timestamp(sim(at)).to_string());
    Job {
        metadata: ObjectMeta {
            name: name.into(),
            namespace: cj.metadata.namespace.clone(),
            labels: t.metadata.labels.clone(),
            annotations,
            owner_references: vec![controller_ref("CronJob", "batch/v1", &cj.metadata)],
            ..Default::default()
        },
        spec: t.spec.clone().into(),
        status: Default::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cj(schedule: &str) -> CronJob {
        let mut c = CronJob {
            metadata: ObjectMeta::named("hello", Some("default")),
            ..Default::default()
        };
        c.metadata.uid = Some("cj-uid".into());
        c.metadata.creation_timestamp = Some(Timestamp(SimTime(0)));
        c.spec.schedule = schedule.into();
        c.spec.job_template.spec.template.spec.restart_policy = Some("OnFailure".into());
        c
    }

    fn created(acts: &[Action]) -> Vec<String> {
        acts.iter()
            .filter_map(|a| match a {
                Action::Create {
                    object: Object::Job(j), ..
                } => Some(j.metadata.name.clone()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn creates_a_job_per_minute_named_by_the_scheduled_minute() {
        let c = cj("* * * * *");
        // Nothing due yet: a requeue for the next minute.
        let acts = reconcile(&c, &[], SimTime(30_000));
        assert!(created(&acts).is_empty());
        assert!(acts
            .iter()
            .any(|a| matches!(a, Action::Requeue { after_ms: 30_000, .. })));
        let acts = reconcile(&c, &[], SimTime(60_000));
        let minutes = (EPOCH_UNIX_SECS + 60) / 60;
        assert_eq!(created(&acts), vec![format!("hello-{minutes}")]);
        assert!(acts.iter().any(|a| matches!(a, Action::Create { event: Some(e), .. } if e.message == format!("Created job hello-{minutes}"))));
    }

    #[test]
    fn forbid_skips_while_a_job_runs() {
        let mut c = cj("* * * * *");
        c.spec.concurrency_policy = Some("Forbid".into());
        let mut running = new_job(&c, "hello-1", EPOCH_UNIX_SECS);
        running.status.active = 1;
        let acts = reconcile(&c, &[&running], SimTime(60_000));
        assert!(created(&acts).is_empty());
        assert!(acts
            .iter()
            .any(|a| matches!(a, Action::Event(e) if e.reason == "JobAlreadyActive")));
    }
}
