//! Job controller (upstream `pkg/controller/job`, v1.32): runs pods until `completions` of them
//! succeed, at most `parallelism` at a time, replacing failed ones with an exponential back-off
//! (10 s doubling, capped at 6 min) until more than `backoffLimit` have failed.
//!
//! Finished jobs get the v1.31+ condition pairs: `SuccessCriteriaMet` then `Complete`
//! (`CompletionsReached`), or `FailureTarget` then `Failed` (`BackoffLimitExceeded`,
//! `DeadlineExceeded`). Pods stay after the job finishes (`kubectl logs job/x` still works).

use super::{controller_ref, Action, EventSpec};
use crate::api::*;
use crate::store::ObjKey;
use crate::time::{SimTime, Timestamp};
use serde_json::json;

const COMPONENT: &str = "job-controller";
pub const CONTROLLER_UID: &str = "batch.kubernetes.io/controller-uid";
pub const JOB_NAME: &str = "batch.kubernetes.io/job-name";
pub const LEGACY_CONTROLLER_UID: &str = "controller-uid";
pub const LEGACY_JOB_NAME: &str = "job-name";
pub const COMPLETION_INDEX: &str = "batch.kubernetes.io/job-completion-index";
/// Pod failure back-off (`DefaultJobPodFailureBackOff`, `MaxJobPodFailureBackOff`).
const BACKOFF_MS: u64 = 10_000;
const MAX_BACKOFF_MS: u64 = 360_000;

/// The selector and labels the API server generates for a Job from its uid
/// (`generateSelector`): job pods carry both the `batch.kubernetes.io/` and legacy labels.
pub fn generate_selector(job: &mut Job) {
    if job.spec.manual_selector == Some(true) {
        return;
    }
    let uid = job.metadata.uid().to_string();
    let name = job.metadata.name.clone();
    let labels = &mut job.spec.template.metadata.labels;
    labels.insert(CONTROLLER_UID.into(), uid.clone());
    labels.insert(JOB_NAME.into(), name.clone());
    labels.insert(LEGACY_CONTROLLER_UID.into(), uid.clone());
    labels.insert(LEGACY_JOB_NAME.into(), name);
    let mut sel = LabelSelector::default();
    sel.match_labels.insert(CONTROLLER_UID.into(), uid);
    job.spec.selector = Some(sel);
    // The storage defaulting copies template labels to a job without labels.
    if job.metadata.labels.is_empty() {
        job.metadata.labels = job.spec.template.metadata.labels.clone();
    }
}

fn pod_key(p: &Pod) -> ObjKey {
    ObjKey::new(Kind::Pod, p.metadata.ns(), &p.metadata.name)
}

fn cond(type_: &str, reason: &str, message: &str, now: SimTime) -> Condition {
    Condition {
        last_probe_time: Some(NullTime(Some(Timestamp(now)))),
        last_transition_time: Some(Timestamp(now)),
        message: Some(message.into()),
        reason: Some(reason.into()),
        status: "True".into(),
        type_: type_.into(),
        ..Default::default()
    }
}

/// When a pod finished (its last container's finish, else its last condition change).
fn finished_at(p: &Pod) -> Option<SimTime> {
    p.status
        .container_statuses
        .iter()
        .filter_map(|c| c.state.terminated.as_ref()?.finished_at)
        .max()
        .or_else(|| p.status.conditions.iter().filter_map(|c| c.last_transition_time).max())
        .map(|t| t.0)
}

pub fn reconcile(job: &Job, pods: &[&Pod], now: SimTime) -> Vec<Action> {
    let key = ObjKey::new(Kind::Job, job.metadata.ns(), &job.metadata.name);
    let mut out = Vec::new();
    let mut status = job.status.clone();
    status.uncounted_terminated_pods.get_or_insert_with(|| json!({}));
    let active: Vec<&Pod> = pods.iter().copied().filter(|p| p.is_active()).collect();
    let terminating = pods
        .iter()
        .filter(|p| p.metadata.is_deleting() && !p.is_terminal())
        .count() as i64;
    let indexed = job.spec.completion_mode.as_deref() == Some("Indexed");
    // Indexed jobs: which indexes are done and which are running.
    let index_of = |p: &Pod| {
        p.metadata
            .annotations
            .get(COMPLETION_INDEX)
            .and_then(|i| i.parse::<i64>().ok())
    };
    let done_indexes: std::collections::BTreeSet<i64> = pods
        .iter()
        .filter(|p| p.phase() == "Succeeded")
        .filter_map(|p| index_of(p))
        .collect();
    let active_indexes: std::collections::BTreeSet<i64> = active.iter().filter_map(|p| index_of(p)).collect();
    if indexed {
        status.completed_indexes = Some(compress_indexes(&done_indexes));
    }
    // Counted once and for good: deleting a finished pod does not uncount it.
    let succeeded = (pods.iter().filter(|p| p.phase() == "Succeeded").count() as i64).max(job.status.succeeded);
    let failed = (pods.iter().filter(|p| p.phase() == "Failed").count() as i64).max(job.status.failed);
    status.active = active.len() as i64;
    status.ready = Some(active.iter().filter(|p| p.is_ready()).count() as i64);
    status.terminating = Some(terminating);
    status.succeeded = succeeded;
    status.failed = failed;

    if !job.is_finished() && !job.metadata.is_deleting() {
        if job.is_suspended() {
            for p in &active {
                out.push(Action::Delete {
                    key: pod_key(p),
                    grace: None,
                });
            }
            if !status.conditions.iter().any(|c| c.type_ == "Suspended" && c.is_true()) {
                set_condition(
                    &mut status.conditions,
                    cond("Suspended", "JobSuspended", "Job suspended", now),
                );
                out.push(Action::Event(EventSpec::normal(
                    key.clone(),
                    COMPONENT,
                    "Suspended",
                    "Job suspended".into(),
                )));
            }
            status.start_time = None;
            status.active = 0;
        } else {
            if let Some(c) = status
                .conditions
                .iter_mut()
                .find(|c| c.type_ == "Suspended" && c.is_true())
            {
                c.status = "False".into();
                c.reason = Some("JobResumed".into());
                c.message = Some("Job resumed".into());
                c.last_transition_time = Some(Timestamp(now));
                out.push(Action::Event(EventSpec::normal(
                    key.clone(),
                    COMPONENT,
                    "Resumed",
                    "Job resumed".into(),
                )));
            }
            let start = *status.start_time.get_or_insert(Timestamp(now));
            let on_failure = job.spec.template.spec.restart_policy.as_deref() == Some("OnFailure");
            let restarts: i64 = active
                .iter()
                .flat_map(|p| p.status.container_statuses.iter())
                .map(|c| c.restart_count)
                .sum();
            let deadline = job
                .spec
                .active_deadline_seconds
                .map(|s| start.0.plus_secs(s.max(0) as u64));
            let finish: Option<(&str, &str, String)> =
                if job.completions().is_some_and(|c| {
                    if indexed {
                        done_indexes.len() as i64 >= c
                    } else {
                        succeeded >= c
                    }
                }) || (job.completions().is_none() && succeeded > 0 && active.is_empty())
                {
                    Some((
                        "Complete",
                        "CompletionsReached",
                        "Reached expected number of succeeded pods".into(),
                    ))
                } else if failed > job.backoff_limit()
                    || (on_failure && job.backoff_limit() > 0 && restarts >= job.backoff_limit())
                    || (on_failure && job.backoff_limit() == 0 && restarts > 0)
                {
                    Some((
                        "Failed",
                        "BackoffLimitExceeded",
                        "Job has reached the specified backoff limit".into(),
                    ))
                } else if deadline.is_some_and(|d| now >= d) {
                    Some((
                        "Failed",
                        "DeadlineExceeded",
                        "Job was active longer than specified deadline".into(),
                    ))
                } else {
                    None
                };
            match finish {
                Some((type_, reason, message)) => {
                    for p in &active {
                        out.push(Action::Delete {
                            key: pod_key(p),
                            grace: None,
                        });
                    }
                    let interim = if type_ == "Complete" {
                        "SuccessCriteriaMet"
                    } else {
                        "FailureTarget"
                    };
                    set_condition(&mut status.conditions, cond(interim, reason, &message, now));
                    set_condition(&mut status.conditions, cond(type_, reason, &message, now));
                    if type_ == "Complete" {
                        status.completion_time = Some(Timestamp(now));
                        out.push(Action::Event(EventSpec::normal(
                            key.clone(),
                            COMPONENT,
                            "Completed",
                            "Job completed".into(),
                        )));
                    } else {
                        out.push(Action::Event(EventSpec::warning(
                            key.clone(),
                            COMPONENT,
                            reason,
                            message.clone(),
                        )));
                    }
                    status.active = 0;
                    status.ready = Some(0);
                    if let Some(ttl) = job.spec.ttl_seconds_after_finished {
                        out.push(Action::Requeue {
                            key: key.clone(),
                            after_ms: (ttl.max(0) as u64) * 1000,
                        });
                    }
                }
                None => {
                    let want = match job.completions() {
                        Some(c) => job.parallelism().min(c - succeeded),
                        None if succeeded > 0 => 0,
                        None => job.parallelism(),
                    }
                    .max(0);
                    let missing = want - active.len() as i64;
                    // New pods after failures wait out the back-off since the last failure.
                    let backoff_until = (failed > 0)
                        .then(|| {
                            let last = pods
                                .iter()
                                .filter(|p| p.phase() == "Failed")
                                .filter_map(|p| finished_at(p))
                                .max()?;
                            let delay = BACKOFF_MS.saturating_mul(1 << (failed - 1).min(16)).min(MAX_BACKOFF_MS);
                            Some(last.plus_ms(delay))
                        })
                        .flatten();
                    if missing > 0 {
                        match backoff_until.filter(|t| *t > now) {
                            Some(t) => out.push(Action::Requeue {
                                key: key.clone(),
                                after_ms: t.0 - now.0,
                            }),
                            None => {
                                // Indexed jobs fill the lowest indexes neither done nor running.
                                let mut free = (0..job.completions().unwrap_or(0))
                                    .filter(|i| !done_indexes.contains(i) && !active_indexes.contains(i));
                                for _ in 0..missing.min(500) {
                                    let index = if indexed {
                                        match free.next() {
                                            Some(i) => Some(i),
                                            None => break,
                                        }
                                    } else {
                                        None
                                    };
                                    out.push(Action::Create {
                                        object: Object::Pod(new_pod_at(job, index)),
                                        event: Some(EventSpec::normal(
                                            key.clone(),
                                            COMPONENT,
                                            "SuccessfulCreate",
                                            "Created pod: {name}".into(),
                                        )),
                                    });
                                }
                                status.active += missing;
                            }
                        }
                    } else if missing < 0 {
                        for p in active.iter().rev().take((-missing) as usize) {
                            out.push(Action::Delete {
                                key: pod_key(p),
                                grace: None,
                            });
                            out.push(Action::Event(EventSpec::normal(
                                key.clone(),
                                COMPONENT,
                                "SuccessfulDelete",
                                format!("Deleted pod: {}", p.metadata.name),
                            )));
                        }
                    }
                    if let Some(d) = deadline {
                        out.push(Action::Requeue {
                            key: key.clone(),
                            after_ms: (d.0.saturating_sub(now.0)).max(1),
                        });
                    }
                }
            }
        }
    } else if job.is_finished() {
        if let (Some(ttl), Some(done)) = (job.spec.ttl_seconds_after_finished, finish_time(job)) {
            let expires = done.plus_secs(ttl.max(0) as u64);
            if now >= expires {
                out.push(Action::Delete {
                    key: key.clone(),
                    grace: None,
                });
            } else {
                out.push(Action::Requeue {
                    key: key.clone(),
                    after_ms: expires.0 - now.0,
                });
            }
        }
    }
    if status != job.status {
        let mut next = job.clone();
        next.status = status;
        out.push(Action::UpdateStatus(Object::Job(next)));
    }
    out
}

fn finish_time(job: &Job) -> Option<SimTime> {
    job.status
        .conditions
        .iter()
        .filter(|c| (c.type_ == "Complete" || c.type_ == "Failed") && c.is_true())
        .filter_map(|c| c.last_transition_time)
        .map(|t| t.0)
        .next()
}

/// A pod for the job: `<job>-<5 random>`, owned by it, with the job's template labels.
pub fn new_pod(job: &Job) -> Pod {
    new_pod_at(job, None)
}

/// A pod for completion index `index` of an Indexed job (`<job>-<index>-<5 random>`, hostname
/// `<job>-<index>`, the index in an annotation, a label and `$JOB_COMPLETION_INDEX`), or a
/// plain one.
pub fn new_pod_at(job: &Job, index: Option<i64>) -> Pod {
    let t = &job.spec.template;
    let mut pod = Pod {
        metadata: ObjectMeta {
            generate_name: Some(format!("{}-", job.metadata.name)),
            namespace: job.metadata.namespace.clone(),
            labels: t.metadata.labels.clone(),
            annotations: t.metadata.annotations.clone(),
            owner_references: vec![controller_ref("Job", "batch/v1", &job.metadata)],
            ..Default::default()
        },
        spec: t.spec.clone(),
        status: Default::default(),
    };
    if let Some(i) = index {
        pod.metadata.generate_name = Some(format!("{}-{i}-", job.metadata.name));
        pod.metadata.annotations.insert(COMPLETION_INDEX.into(), i.to_string());
        pod.metadata.labels.insert(COMPLETION_INDEX.into(), i.to_string());
        pod.spec.hostname = Some(format!("{}-{i}", job.metadata.name));
        let env = EnvVar {
            name: "JOB_COMPLETION_INDEX".into(),
            value: None,
            value_from: Some(
                json!({"fieldRef": {"apiVersion": "v1", "fieldPath": format!("metadata.labels['{COMPLETION_INDEX}']")}}),
            ),
        };
        let spec = &mut *pod.spec;
        for c in spec.containers.iter_mut().chain(spec.init_containers.iter_mut()) {
            if !c.env.iter().any(|e| e.name == env.name) {
                c.env.insert(0, env.clone());
            }
        }
    }
    pod
}

/// `1,3-5,7`: the completed indexes as the API shows them.
pub fn compress_indexes(done: &std::collections::BTreeSet<i64>) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut run: Option<(i64, i64)> = None;
    for &i in done {
        run = match run {
            Some((a, b)) if i == b + 1 => Some((a, i)),
            Some((a, b)) => {
                parts.push(if a == b { a.to_string() } else { format!("{a}-{b}") });
                Some((i, i))
            }
            None => Some((i, i)),
        };
    }
    if let Some((a, b)) = run {
        parts.push(if a == b { a.to_string() } else { format!("{a}-{b}") });
    }
    parts.join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(completions: i64, parallelism: i64) -> Job {
        let mut j = Job {
            metadata: ObjectMeta::named("pi", Some("default")),
            ..Default::default()
        };
        j.metadata.uid = Some("job-uid".into());
        j.spec.completions = Some(completions);
        j.spec.parallelism = Some(parallelism);
        j.spec.backoff_limit = Some(2);
        j.spec.template.spec.restart_policy = Some("Never".into());
        j.spec.template.spec.containers.push(Container {
            name: "pi".into(),
            image: "perl".into(),
            ..Default::default()
        });
        generate_selector(&mut j);
        j
    }

    fn pod(j: &Job, name: &str, phase: &str, finished: u64) -> Pod {
        let mut p = new_pod(j);
        p.metadata.name = name.into();
        p.status.phase = Some(phase.into());
        p.status.conditions.push(Condition {
            type_: "Ready".into(),
            status: "False".into(),
            last_transition_time: Some(Timestamp(SimTime(finished))),
            ..Default::default()
        });
        p
    }

    fn creates(acts: &[Action]) -> usize {
        acts.iter().filter(|a| matches!(a, Action::Create { .. })).count()
    }

    #[test]
    fn indexed_jobs_run_each_index_once() {
        let mut j = job(3, 2);
        j.spec.completion_mode = Some("Indexed".into());
        let acts = reconcile(&j, &[], SimTime(0));
        let made: Vec<String> = acts
            .iter()
            .filter_map(|a| match a {
                Action::Create {
                    object: Object::Pod(p), ..
                } => p.metadata.generate_name.clone(),
                _ => None,
            })
            .collect();
        assert_eq!(made, vec!["pi-0-", "pi-1-"]);
        let mut p0 = new_pod_at(&j, Some(0));
        p0.metadata.name = "pi-0-abcde".into();
        p0.status.phase = Some("Succeeded".into());
        assert_eq!(p0.spec.hostname.as_deref(), Some("pi-0"));
        assert_eq!(p0.spec.containers[0].env[0].name, "JOB_COMPLETION_INDEX");
        let mut p1 = new_pod_at(&j, Some(1));
        p1.metadata.name = "pi-1-abcde".into();
        p1.status.phase = Some("Running".into());
        let acts = reconcile(&j, &[&p0, &p1], SimTime(0));
        let Some(Action::Create {
            object: Object::Pod(p), ..
        }) = acts.iter().find(|a| matches!(a, Action::Create { .. }))
        else {
            panic!("{acts:?}")
        };
        assert_eq!(p.metadata.annotations[COMPLETION_INDEX], "2");
        assert_eq!(compress_indexes(&[0, 1, 2, 4, 6, 7].into_iter().collect()), "0-2,4,6-7");
    }

    #[test]
    fn selector_and_labels_follow_the_uid() {
        let j = job(1, 1);
        assert_eq!(
            j.spec.selector.as_ref().unwrap().match_labels[CONTROLLER_UID],
            "job-uid"
        );
        assert_eq!(j.spec.template.metadata.labels[LEGACY_JOB_NAME], "pi");
        assert_eq!(j.metadata.labels.len(), 4);
    }

    #[test]
    fn runs_parallel_pods_until_completions_then_completes() {
        let j = job(3, 2);
        let acts = reconcile(&j, &[], SimTime(0));
        assert_eq!(creates(&acts), 2);
        let a = pod(&j, "pi-a", "Succeeded", 0);
        let b = pod(&j, "pi-b", "Running", 0);
        assert_eq!(creates(&reconcile(&j, &[&a, &b], SimTime(1000))), 1);
        let c = pod(&j, "pi-c", "Succeeded", 0);
        let d = pod(&j, "pi-d", "Succeeded", 0);
        let acts = reconcile(&j, &[&a, &c, &d], SimTime(5000));
        let Some(Action::UpdateStatus(Object::Job(done))) = acts.iter().find(|a| matches!(a, Action::UpdateStatus(_)))
        else {
            panic!("{acts:?}")
        };
        let types: Vec<&str> = done.status.conditions.iter().map(|c| c.type_.as_str()).collect();
        assert_eq!(types, vec!["SuccessCriteriaMet", "Complete"]);
        assert_eq!(done.status.succeeded, 3);
        assert!(acts
            .iter()
            .any(|a| matches!(a, Action::Event(e) if e.reason == "Completed" && e.message == "Job completed")));
    }

    #[test]
    fn failures_back_off_then_exceed_the_limit() {
        let j = job(1, 1);
        let f1 = pod(&j, "pi-1", "Failed", 1000);
        // 10 s after the first failure.
        let acts = reconcile(&j, &[&f1], SimTime(2000));
        assert_eq!(creates(&acts), 0);
        assert!(acts.iter().any(|a| matches!(a, Action::Requeue { after_ms: 9000, .. })));
        assert_eq!(creates(&reconcile(&j, &[&f1], SimTime(11_000))), 1);
        let f2 = pod(&j, "pi-2", "Failed", 20_000);
        let f3 = pod(&j, "pi-3", "Failed", 60_000);
        let acts = reconcile(&j, &[&f1, &f2, &f3], SimTime(60_000));
        let Some(Action::UpdateStatus(Object::Job(done))) = acts.iter().find(|a| matches!(a, Action::UpdateStatus(_)))
        else {
            panic!()
        };
        assert_eq!(done.finished_type(), "Failed");
        assert_eq!(done.status.conditions[0].type_, "FailureTarget");
        assert!(acts
            .iter()
            .any(|a| matches!(a, Action::Event(e) if e.reason == "BackoffLimitExceeded" && e.type_ == "Warning")));
    }
}
