//! `kubectl rollout status|history|undo|pause|resume|restart` for Deployments, StatefulSets
//! and DaemonSets (`k8s.io/kubectl/pkg/cmd/rollout`, `polymorphichelpers/{rollout_status,
//! history,rollback,objectpauser,objectresumer,objectrestarter}.go`).
//!
//! * `status` watches the object and prints its kind's status viewer line
//!   ([`status_viewers`]) on every change it sees (repeats included, as kubectl does),
//!   advancing virtual time from one cluster event to the next until the rollout is done,
//!   `--timeout` passes, or a Deployment's progress deadline is exceeded. With nothing left to
//!   happen, kubelab stops where kubectl would wait for Ctrl-C.
//! * `history` lists the revisions (a Deployment's ReplicaSets, a StatefulSet's or DaemonSet's
//!   ControllerRevisions) with their change cause; `--revision=N` prints that revision's pod
//!   template the way `describe.DescribePodTemplate` does through a bare `PrefixWriter`.
//! * `undo` is done client-side like kubectl: for a Deployment the template of the target
//!   revision's ReplicaSet (minus `pod-template-hash`) and its annotations are written into the
//!   deployment; for the others the revision's patch is sent as it is.
//! * `pause`/`resume` set a Deployment's `spec.paused` (the other kinds cannot be paused);
//!   `restart` stamps the pod template with the `kubectl.kubernetes.io/restartedAt` annotation
//!   (the virtual clock, RFC 3339).

mod controller_history;
pub mod status_viewers;

use super::mutate::{self, DryRun, Encoding, Printer, Target, Waited, WhenEmpty};
use crate::engine::api::{Deployment, Object, PodTemplateSpec, ReplicaSet};
use crate::engine::controllers::deployment::{
    equal_ignore_hash, revision_of, CHANGE_CAUSE, DESIRED, MAX_REPLICAS, REVISION,
};
use crate::engine::{Cluster, Timestamp};
use crate::flags::Invocation;
use crate::printers::describe::pod_template_text;
use crate::printers::table;
use crate::session::Session;
use crate::{errors, Output};
use std::collections::BTreeMap;
use std::sync::Arc;

pub const RESTARTED_AT: &str = "kubectl.kubernetes.io/restartedAt";

pub fn run(s: &mut Session, inv: &Invocation, stdin: Option<&str>) -> Output {
    mutate::command(s, inv, |s, out| match inv.path.get(1).copied() {
        Some("status") => status(s, inv, stdin, out),
        Some("history") => history(s, inv, stdin, out),
        Some("undo") => undo(s, inv, stdin, out),
        Some("pause") => toggle(s, inv, stdin, out, Toggle::Pause),
        Some("resume") => toggle(s, inv, stdin, out, Toggle::Resume),
        Some("restart") => toggle(s, inv, stdin, out, Toggle::Restart),
        _ => Err(super::not_simulated(inv)),
    })
}

/// The builder every rollout subcommand uses (`Latest()`): the named objects, fetched. A
/// missing one ends the command with the server's NotFound.
fn objects(s: &Session, inv: &Invocation, stdin: Option<&str>) -> Result<Vec<(Target, Arc<Object>)>, Output> {
    let mut sel = mutate::selection(s, inv, inv.args.clone());
    sel.bare_type_selects_all = true;
    if sel.args.is_empty() && sel.filenames.is_empty() {
        return Err(errors::error(WhenEmpty::Required.message()));
    }
    let targets = mutate::select(s, &sel, stdin, WhenEmpty::Required)?;
    let mut found = Vec::new();
    let mut missing = Vec::new();
    for t in targets {
        match t.fetch(&s.cluster) {
            Ok(o) => found.push((t, o)),
            Err(e) => missing.push(errors::api_error_text(&e)),
        }
    }
    if !missing.is_empty() {
        return Err(Output::fail(missing.join("\n")));
    }
    Ok(found)
}

/// `schema.GroupKind.String()`: `ReplicaSet.apps`, `Pod`, how the viewer lookups name a kind
/// they have nothing for.
fn group_kind(obj: &Object) -> String {
    let info = obj.kind().info();
    if info.group.is_empty() {
        info.kind.to_string()
    } else {
        format!("{}.{}", info.kind, info.group)
    }
}

/// `revision must be a positive integer` for a negative `--revision`.
fn revision_flag(inv: &Invocation, name: &str) -> Result<i64, Output> {
    let r = inv.get_int(name);
    if r < 0 {
        return Err(errors::error(format!("revision must be a positive integer: {r}")));
    }
    Ok(r)
}

// ---------------------------------------------------------------------------------------------
// status
// ---------------------------------------------------------------------------------------------

fn status(s: &mut Session, inv: &Invocation, stdin: Option<&str>, out: &mut Output) -> Result<(), Output> {
    let sel = mutate::selection(s, inv, inv.args.clone());
    if sel.args.is_empty() && sel.filenames.is_empty() {
        return Err(errors::error(WhenEmpty::Required.message()));
    }
    let revision = revision_flag(inv, "revision")?;
    let found = objects(s, inv, stdin)?;
    if found.len() != 1 {
        return Err(errors::error(format!(
            "rollout status is only supported on individual resources and resource collections - {} resources were found",
            found.len()
        )));
    }
    let (t, obj) = found.into_iter().next().expect("one object");
    if status_viewers::status(&obj, revision).is_none() {
        return Err(errors::error(format!(
            "no status viewer has been implemented for {}",
            group_kind(&obj)
        )));
    }
    let watch = inv.get_bool("watch");
    let timeout = mutate::timeout_ms(inv, "timeout");
    // Without --timeout kubectl waits until the rollout ends, at the latest when its progress
    // deadline passes; kubelab bounds that wait a minute past the deadline.
    let progress_deadline = obj
        .as_deployment()
        .and_then(|d| d.spec.progress_deadline_seconds)
        .unwrap_or(600)
        .max(0) as u64;
    let forever = mutate::FOREVER_MS.max((progress_deadline + 60) * 1000);
    let deadline = s.cluster.now().plus_ms(timeout.unwrap_or(forever));
    // Let the controllers see what the previous command did before the first look.
    s.cluster.settle();
    let mut seen: Option<String> = None;
    loop {
        let Some(current) = s.cluster.get(t.kind, &t.namespace, &t.name).cloned() else {
            return Err(errors::error("object has been deleted"));
        };
        if seen.as_deref() != current.meta().resource_version.as_deref() {
            seen = current.meta().resource_version.clone();
            let viewed = status_viewers::status(&current, revision).expect("the kind has a viewer");
            let (line, done) = viewed.map_err(errors::error)?;
            out.outln(line);
            if done || !watch {
                return Ok(());
            }
        }
        let remaining = deadline.0.saturating_sub(s.cluster.now().0);
        let changed = |c: &Cluster| {
            c.get(t.kind, &t.namespace, &t.name)
                .map(|o| o.meta().resource_version.clone())
                != Some(seen.clone())
        };
        match mutate::wait_until(&mut s.cluster, Some(remaining), changed) {
            Waited::Done => {}
            Waited::TimedOut if timeout.is_some() => return Err(errors::error("timed out waiting for the condition")),
            Waited::TimedOut | Waited::Stuck => {
                out.exit_code = mutate::INTERRUPTED;
                return Ok(());
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// history
// ---------------------------------------------------------------------------------------------

/// The ReplicaSets a deployment controls, by revision (`deploymentutil.GetAllReplicaSets`).
pub fn history_of(c: &Cluster, d: &Deployment) -> BTreeMap<i64, ReplicaSet> {
    c.store()
        .dependents(d.metadata.uid())
        .filter_map(|o| o.as_replicaset())
        .filter(|rs| rs.metadata.controller().is_some_and(|r| r.uid == d.metadata.uid()))
        .filter(|rs| rs.metadata.annotations.contains_key(REVISION))
        .map(|rs| (revision_of(&rs.metadata), rs.clone()))
        .collect()
}

/// A revision as `rollout history` shows it: its change cause and its pod template.
struct Revision {
    change_cause: Option<String>,
    template: PodTemplateSpec,
}

/// The revisions of a Deployment (its ReplicaSets) or of a StatefulSet or DaemonSet (its
/// ControllerRevisions, whose annotations are the owner's when they were made); `None` for
/// kinds without a history viewer.
fn revisions(c: &Cluster, obj: &Object) -> Option<BTreeMap<i64, Revision>> {
    let cause = |m: &std::collections::BTreeMap<String, String>| m.get(CHANGE_CAUSE).filter(|c| !c.is_empty()).cloned();
    match obj {
        Object::Deployment(d) => Some(
            history_of(c, d)
                .into_iter()
                .map(|(r, rs)| {
                    let rev = Revision {
                        change_cause: cause(&rs.metadata.annotations),
                        template: rs.spec.template.clone(),
                    };
                    (r, rev)
                })
                .collect(),
        ),
        Object::StatefulSet(_) | Object::DaemonSet(_) => Some(
            controller_history::revisions(c, obj)
                .into_iter()
                .filter_map(|(r, cr)| {
                    let applied = controller_history::applied(obj, &cr)?;
                    let template = controller_history::template(&applied)?.clone();
                    Some((
                        r,
                        Revision {
                            change_cause: cause(&cr.metadata.annotations),
                            template,
                        },
                    ))
                })
                .collect(),
        ),
        _ => None,
    }
}

/// `rollout history`: `printHistory`'s table (or `No rollout history found.`), or with
/// `--revision` that revision's template, after the object's name as the name printer puts it.
fn history(s: &mut Session, inv: &Invocation, stdin: Option<&str>, out: &mut Output) -> Result<(), Output> {
    let revision = revision_flag(inv, "revision")?;
    let found = objects(s, inv, stdin)?;
    mutate::for_each(out, found, |out, (_, obj)| {
        let Some(hist) = revisions(&s.cluster, &obj) else {
            return Err(format!(
                "error: no history viewer has been implemented for \"{}\"",
                group_kind(&obj)
            ));
        };
        let text = if hist.is_empty() {
            "\nNo rollout history found.".to_string()
        } else if revision > 0 {
            let Some(rev) = hist.get(&revision) else {
                return Err("error: unable to find the specified revision".into());
            };
            format!("with revision #{revision}\n{}", pod_template_text(&rev.template))
        } else {
            let mut rows = vec![vec!["REVISION".to_string(), "CHANGE-CAUSE".to_string()]];
            for (r, rev) in &hist {
                let cause = rev.change_cause.clone().unwrap_or_else(|| "<none>".into());
                rows.push(vec![r.to_string(), cause]);
            }
            format!("\n{}", table::render_tabbed(&rows))
        };
        out.outln(format!("{}/{} {text}", mutate::type_name(obj.kind()), obj.name()));
        Ok(())
    });
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// undo
// ---------------------------------------------------------------------------------------------

/// Annotations of the deployment that a rollback keeps, all others coming from the ReplicaSet
/// (rollback.go `annotationsToSkip`).
const ANNOTATIONS_TO_SKIP: &[&str] = &[
    super::create::LAST_APPLIED,
    REVISION,
    "deployment.kubernetes.io/revision-history",
    DESIRED,
    MAX_REPLICAS,
    "deprecated.deployment.rollback.to",
];

fn undo(s: &mut Session, inv: &Invocation, stdin: Option<&str>, out: &mut Output) -> Result<(), Output> {
    let dry = mutate::dry_run(s, inv, out)?;
    let mut printer = Printer::new(mutate::format(inv)?, dry);
    let to_revision = inv.get_int("to-revision");
    let found = objects(s, inv, stdin)?;
    mutate::for_each(out, found, |out, (_, obj)| {
        if matches!(&*obj, Object::StatefulSet(_) | Object::DaemonSet(_)) {
            return undo_to_controller_revision(s, &mut printer, out, dry, &obj, to_revision);
        }
        let Object::Deployment(d) = &*obj else {
            return Err(format!(
                "error: no rollbacker has been implemented for \"{}\"",
                group_kind(&obj)
            ));
        };
        if to_revision < 0 {
            return Err(format!(
                "error: unable to find specified revision {to_revision} in history"
            ));
        }
        let hist = history_of(&s.cluster, d);
        let rs = if to_revision > 0 {
            hist.get(&to_revision)
                .ok_or_else(|| format!("error: unable to find specified revision {to_revision} in history"))?
        } else {
            // The newest revision is the current one; roll back to the one before it.
            hist.values()
                .rev()
                .nth(1)
                .ok_or_else(|| format!("error: no rollout history found for deployment \"{}\"", d.metadata.name))?
        };
        if dry == DryRun::Client {
            printer.print_object(out, &obj, Encoding::Unstructured, &pod_template_text(&rs.spec.template));
            return Ok(());
        }
        if d.spec.paused == Some(true) {
            return Err("error: you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again".into());
        }
        let target = revision_of(&rs.metadata);
        if equal_ignore_hash(&rs.spec.template, &d.spec.template) {
            printer.print_object(
                out,
                &obj,
                Encoding::Unstructured,
                &format!("skipped rollback (current template already matches revision {target})"),
            );
            return Ok(());
        }
        let mut next = d.clone();
        next.spec.template = rs.spec.template.clone();
        next.spec.template.metadata.labels.remove("pod-template-hash");
        let mut annotations: BTreeMap<String, String> = d
            .metadata
            .annotations
            .iter()
            .filter(|(k, _)| ANNOTATIONS_TO_SKIP.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        for (k, v) in &rs.metadata.annotations {
            if !ANNOTATIONS_TO_SKIP.contains(&k.as_str()) {
                annotations.insert(k.clone(), v.clone());
            }
        }
        next.metadata.annotations = annotations;
        let result = mutate::send(&mut s.cluster, dry, |c| mutate::patch(c, Object::Deployment(next)));
        match result {
            Ok(stored) => {
                printer.print_object(out, &stored, Encoding::Unstructured, "rolled back");
                Ok(())
            }
            Err(e) => Err(format!("error: failed restoring revision {target}: {}", e.message)),
        }
    });
    Ok(())
}

/// `StatefulSetRollbacker`/`DaemonSetRollbacker`: the revision's patch sent as it is (kubectl
/// keeps the object's annotations, unlike a Deployment rollback). With `--to-revision` 0 the
/// target is the revision before the newest; a match with the current template is skipped,
/// its message naming the revision as given.
fn undo_to_controller_revision(
    s: &mut Session,
    printer: &mut Printer,
    out: &mut Output,
    dry: DryRun,
    obj: &Arc<Object>,
    to_revision: i64,
) -> Result<(), String> {
    let not_found = || format!("error: unable to find specified revision {to_revision} in history");
    if to_revision < 0 {
        return Err(not_found());
    }
    let history = controller_history::revisions(&s.cluster, obj);
    if to_revision == 0 && history.len() <= 1 {
        return Err("error: no last revision to roll back to".into());
    }
    let rev = controller_history::find(&history, to_revision).ok_or_else(not_found)?;
    let applied = controller_history::applied(obj, rev).ok_or_else(not_found)?;
    if dry == DryRun::Client {
        let template = controller_history::template(&applied).cloned().unwrap_or_default();
        let msg = format!("will roll back to {}", pod_template_text(&template));
        printer.print_object(out, obj, Encoding::Unstructured, &msg);
        return Ok(());
    }
    if controller_history::matches(obj, rev) {
        let msg = format!("skipped rollback (current template already matches revision {to_revision})");
        printer.print_object(out, obj, Encoding::Unstructured, &msg);
        return Ok(());
    }
    match super::warnings::send(&mut s.cluster, dry, out, |c| mutate::patch(c, applied)) {
        Ok(stored) => {
            printer.print_object(out, &stored, Encoding::Unstructured, "rolled back");
            Ok(())
        }
        Err(e) => Err(format!("error: failed restoring revision {to_revision}: {}", e.message)),
    }
}

// ---------------------------------------------------------------------------------------------
// pause, resume, restart
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq, Eq)]
enum Toggle {
    Pause,
    Resume,
    Restart,
}

fn toggle(
    s: &mut Session,
    inv: &Invocation,
    stdin: Option<&str>,
    out: &mut Output,
    which: Toggle,
) -> Result<(), Output> {
    let dry = if mutate::declares(inv, "dry-run") {
        mutate::dry_run(s, inv, out)?
    } else {
        DryRun::None
    };
    let mut printer = Printer::new(
        if mutate::declares(inv, "output") {
            mutate::format(inv)?
        } else {
            mutate::Format::Message
        },
        dry,
    );
    let found = objects(s, inv, stdin)?;
    let now = Timestamp(s.cluster.now()).to_string();
    mutate::for_each(out, found, |out, (_, obj)| {
        let resource = obj.kind().info().group_resource();
        let unsupported = || {
            let what = match which {
                Toggle::Pause => "pausing",
                Toggle::Resume => "resuming",
                Toggle::Restart => "restarting",
            };
            format!("error: {resource} \"{}\" {what} is not supported", obj.name())
        };
        let (next, verb) = match (&*obj, which) {
            (Object::Deployment(d), _) => {
                let paused = d.spec.paused == Some(true);
                let mut next = d.clone();
                let verb = match which {
                    Toggle::Pause if paused => {
                        return Err(format!("error: {resource} \"{}\" is already paused", d.metadata.name))
                    }
                    Toggle::Resume if !paused => {
                        return Err(format!("error: {resource} \"{}\" is not paused", d.metadata.name))
                    }
                    Toggle::Restart if paused => {
                        return Err(format!(
                            "error: {resource} \"{}\" can't restart paused deployment (run rollout resume first)",
                            d.metadata.name
                        ))
                    }
                    Toggle::Pause => {
                        next.spec.paused = Some(true);
                        "paused"
                    }
                    Toggle::Resume => {
                        next.spec.paused = None;
                        "resumed"
                    }
                    Toggle::Restart => {
                        stamp_restart(&mut next.spec.template, &d.metadata.name, &now)?;
                        "restarted"
                    }
                };
                (Object::Deployment(next), verb)
            }
            // StatefulSets and DaemonSets restart the same way; they have no pause.
            (Object::StatefulSet(set), Toggle::Restart) => {
                let mut next = set.clone();
                stamp_restart(&mut next.spec.template, &set.metadata.name, &now)?;
                (Object::StatefulSet(next), "restarted")
            }
            (Object::DaemonSet(ds), Toggle::Restart) => {
                let mut next = ds.clone();
                stamp_restart(&mut next.spec.template, &ds.metadata.name, &now)?;
                (Object::DaemonSet(next), "restarted")
            }
            _ => return Err(unsupported()),
        };
        if dry == DryRun::Client {
            printer.print_object(out, &next, Encoding::Unstructured, verb);
            return Ok(());
        }
        let result = super::warnings::send(&mut s.cluster, dry, out, |c| mutate::patch(c, next));
        match result {
            Ok(stored) => {
                printer.print_object(out, &stored, Encoding::Unstructured, verb);
                Ok(())
            }
            Err(e) => Err(mutate::error_line(&format!("failed to patch: {}", e.message))),
        }
    });
    Ok(())
}

/// `defaultObjectRestarter`: the `restartedAt` annotation on the pod template, the virtual
/// clock to the second. Stamping the same second twice makes an empty patch, which kubectl
/// refuses.
fn stamp_restart(t: &mut PodTemplateSpec, name: &str, now: &str) -> Result<(), String> {
    if t.metadata.annotations.get(RESTARTED_AT).map(String::as_str) == Some(now) {
        return Err(mutate::error_line(&format!(
            "failed to create patch for {name}: if restart has already been triggered within the past second, please wait before attempting to trigger another"
        )));
    }
    t.metadata.annotations.insert(RESTARTED_AT.into(), now.to_string());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::api::{Container, ContainerPort};

    #[test]
    fn pod_template_matches_the_capture() {
        // captured/mutating-and-errors.txt, `rollout history deploy/web --revision=1`.
        let mut t = PodTemplateSpec::default();
        t.metadata.labels.insert("app".into(), "web".into());
        t.metadata
            .labels
            .insert("pod-template-hash".into(), "5d8b9c7f6d".into());
        t.spec.containers.push(Container {
            name: "nginx".into(),
            image: "nginx:1.26".into(),
            ports: vec![ContainerPort {
                container_port: 80,
                protocol: Some("TCP".into()),
                ..Default::default()
            }],
            ..Default::default()
        });
        assert_eq!(
            pod_template_text(&t),
            "Pod Template:\n  Labels:\tapp=web\n\tpod-template-hash=5d8b9c7f6d\n  Containers:\n   nginx:\n    Image:\tnginx:1.26\n    Port:\t80/TCP\n    Host Port:\t0/TCP\n    Environment:\t<none>\n    Mounts:\t<none>\n  Volumes:\t<none>\n  Node-Selectors:\t<none>\n  Tolerations:\t<none>\n"
        );
    }
}
