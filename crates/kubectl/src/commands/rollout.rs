//! `kubectl rollout status|history|undo|pause|resume|restart` for Deployments
//! (`k8s.io/kubectl/pkg/cmd/rollout`, `polymorphichelpers/{rollout_status,history,rollback,
//! objectpauser,objectresumer,objectrestarter}.go`).
//!
//! * `status` watches the deployment and prints the status viewer's line on every change it
//!   sees (repeats included, as kubectl does), advancing virtual time from one cluster event to
//!   the next until the rollout is done, `--timeout` passes, or the progress deadline is
//!   exceeded. With nothing left to happen, kubelab stops where kubectl would wait for Ctrl-C.
//! * `history` lists the revisions of the deployment's ReplicaSets; `--revision=N` prints that
//!   ReplicaSet's pod template the way `describe.DescribePodTemplate` does (tabs, no alignment).
//! * `undo` is done client-side like kubectl: the template of the target revision's ReplicaSet
//!   (minus `pod-template-hash`) and its annotations are written into the deployment.
//! * `pause`/`resume` set `spec.paused`; `restart` stamps the pod template with the
//!   `kubectl.kubernetes.io/restartedAt` annotation (the virtual clock, RFC 3339).

use super::mutate::{self, DryRun, Encoding, Printer, Target, Waited, WhenEmpty};
use crate::engine::api::{Deployment, Object, PodTemplateSpec, ReplicaSet};
use crate::engine::controllers::deployment::{
    equal_ignore_hash, revision_of, CHANGE_CAUSE, DESIRED, MAX_REPLICAS, REVISION,
};
use crate::engine::{Cluster, Timestamp};
use crate::flags::Invocation;
use crate::printers::table;
use crate::session::Session;
use crate::{errors, Output};
use std::collections::BTreeMap;
use std::fmt::Write as _;
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

/// The deployment status viewer: the line to print and whether the rollout is done.
pub fn deployment_status(d: &Deployment, revision: i64) -> Result<(String, bool), String> {
    let name = &d.metadata.name;
    if revision > 0 {
        let current = revision_of(&d.metadata);
        if current != revision {
            return Err(format!(
                "desired revision ({revision}) is different from the running revision ({current})"
            ));
        }
    }
    if d.metadata.generation.unwrap_or(0) > d.status.observed_generation {
        return Ok(("Waiting for deployment spec update to be observed...".into(), false));
    }
    let progressing = crate::engine::api::condition(&d.status.conditions, "Progressing");
    if progressing.is_some_and(|c| c.reason.as_deref() == Some("ProgressDeadlineExceeded")) {
        return Err(format!("deployment \"{name}\" exceeded its progress deadline"));
    }
    let st = &d.status;
    let line = if let Some(r) = d.spec.replicas.filter(|r| st.updated_replicas < *r) {
        format!(
            "Waiting for deployment \"{name}\" rollout to finish: {} out of {r} new replicas have been updated...",
            st.updated_replicas
        )
    } else if st.replicas > st.updated_replicas {
        format!(
            "Waiting for deployment \"{name}\" rollout to finish: {} old replicas are pending termination...",
            st.replicas - st.updated_replicas
        )
    } else if st.available_replicas < st.updated_replicas {
        format!(
            "Waiting for deployment \"{name}\" rollout to finish: {} of {} updated replicas are available...",
            st.available_replicas, st.updated_replicas
        )
    } else {
        return Ok((format!("deployment \"{name}\" successfully rolled out"), true));
    };
    Ok((line, false))
}

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
    if !matches!(&*obj, Object::Deployment(_)) {
        return Err(errors::error(format!(
            "no status viewer has been implemented for {}",
            obj.kind().info().kind
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
        let Some(d) = s
            .cluster
            .get(t.kind, &t.namespace, &t.name)
            .and_then(|o| o.as_deployment().cloned())
        else {
            return Err(errors::error("object has been deleted"));
        };
        if seen.as_deref() != d.metadata.resource_version.as_deref() {
            seen = d.metadata.resource_version.clone();
            let (line, done) = deployment_status(&d, revision).map_err(errors::error)?;
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

fn history(s: &mut Session, inv: &Invocation, stdin: Option<&str>, out: &mut Output) -> Result<(), Output> {
    let revision = revision_flag(inv, "revision")?;
    let found = objects(s, inv, stdin)?;
    mutate::for_each(out, found, |out, (_, obj)| {
        let Object::Deployment(d) = &*obj else {
            return Err(format!(
                "error: no history viewer has been implemented for {}",
                obj.kind().info().kind
            ));
        };
        let hist = history_of(&s.cluster, d);
        let text = if revision > 0 {
            let Some(rs) = hist.get(&revision) else {
                return Err("error: unable to find the specified revision".into());
            };
            format!(
                "with revision #{revision}\n{}",
                describe_pod_template(&rs.spec.template)
            )
        } else {
            let mut rows = vec![vec!["REVISION".to_string(), "CHANGE-CAUSE".to_string()]];
            for (r, rs) in &hist {
                let cause = rs
                    .metadata
                    .annotations
                    .get(CHANGE_CAUSE)
                    .filter(|c| !c.is_empty())
                    .cloned();
                rows.push(vec![r.to_string(), cause.unwrap_or_else(|| "<none>".into())]);
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
        let Object::Deployment(d) = &*obj else {
            return Err(format!(
                "error: no rollbacker has been implemented for \"{}\"",
                obj.kind().info().kind
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
            printer.print_object(
                out,
                &obj,
                Encoding::Unstructured,
                &describe_pod_template(&rs.spec.template),
            );
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
        let Object::Deployment(d) = &*obj else {
            let what = match which {
                Toggle::Pause => "pausing",
                Toggle::Resume => "resuming",
                Toggle::Restart => "restarting",
            };
            return Err(format!("error: {resource} \"{}\" {what} is not supported", obj.name()));
        };
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
                if d.spec.template.metadata.annotations.get(RESTARTED_AT) == Some(&now) {
                    return Err(mutate::error_line(&format!(
                        "failed to create patch for {}: if restart has already been triggered within the past second, please wait before attempting to trigger another",
                        d.metadata.name
                    )));
                }
                next.spec
                    .template
                    .metadata
                    .annotations
                    .insert(RESTARTED_AT.into(), now.clone());
                "restarted"
            }
        };
        if dry == DryRun::Client {
            printer.print_object(out, &Object::Deployment(next), Encoding::Unstructured, verb);
            return Ok(());
        }
        let result = mutate::send(&mut s.cluster, dry, |c| mutate::patch(c, Object::Deployment(next)));
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

// ---------------------------------------------------------------------------------------------
// The pod template, as describe prints it without a tabwriter
// ---------------------------------------------------------------------------------------------

/// `describe.DescribePodTemplate` written through a plain `PrefixWriter` (as `rollout history
/// --revision` and `rollout undo --dry-run` print it): literal tabs after the colons, levels
/// indented by two spaces.
pub fn describe_pod_template(t: &PodTemplateSpec) -> String {
    let mut w = String::new();
    w.push_str("Pod Template:\n");
    multiline(&mut w, "  Labels", &t.metadata.labels);
    if !t.metadata.annotations.is_empty() {
        multiline(&mut w, "  Annotations", &t.metadata.annotations);
    }
    let spec = &t.spec;
    if let Some(sa) = spec.service_account_name.as_deref().filter(|s| !s.is_empty()) {
        let _ = writeln!(w, "  Service Account:\t{sa}");
    }
    if !spec.init_containers.is_empty() {
        containers(&mut w, "Init Containers", &spec.init_containers);
    }
    containers(&mut w, "Containers", &spec.containers);
    if spec.volumes.is_empty() {
        w.push_str("  Volumes:\t<none>\n");
    } else {
        w.push_str("  Volumes:\n");
        for v in &spec.volumes {
            let _ = writeln!(w, "   {}:", v.name);
            volume(&mut w, v);
        }
    }
    if spec.node_selector.is_empty() {
        w.push_str("  Node-Selectors:\t<none>\n");
    } else {
        let sel: Vec<String> = spec.node_selector.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let _ = writeln!(w, "  Node-Selectors:\t{}", sel.join(","));
    }
    if spec.tolerations.is_empty() {
        w.push_str("  Tolerations:\t<none>\n");
    } else {
        w.push_str("  Tolerations:\t");
        for (i, t) in spec.tolerations.iter().enumerate() {
            if i > 0 {
                w.push_str("  \t");
            }
            let mut s = t.key.clone().unwrap_or_default();
            if let Some(v) = t.value.as_deref().filter(|v| !v.is_empty()) {
                s.push('=');
                s.push_str(v);
            }
            if let Some(e) = t.effect.as_deref().filter(|e| !e.is_empty()) {
                s.push(':');
                s.push_str(e);
            }
            if t.operator.as_deref() == Some("Exists") && t.value.as_deref().unwrap_or("").is_empty() {
                s.push_str(" op=Exists");
            }
            if let Some(secs) = t.toleration_seconds {
                let _ = write!(s, " for {secs}s");
            }
            w.push_str(&s);
            w.push('\n');
        }
    }
    if let Some(pc) = spec.priority_class_name.as_deref().filter(|s| !s.is_empty()) {
        let _ = writeln!(w, "  Priority Class Name:\t{pc}");
    }
    w
}

/// `printLabelsMultiline`: the first entry after the title, the others on lines of their own
/// starting with a tab.
fn multiline(w: &mut String, title: &str, m: &BTreeMap<String, String>) {
    let _ = write!(w, "{title}:\t");
    if m.is_empty() {
        w.push_str("<none>\n");
        return;
    }
    for (i, (k, v)) in m.iter().enumerate() {
        if i > 0 {
            w.push('\t');
        }
        let _ = writeln!(w, "{k}={v}");
    }
}

/// `describeContainers` for a template (no statuses).
fn containers(w: &mut String, label: &str, list: &[crate::engine::api::Container]) {
    let _ = writeln!(w, "  {label}:");
    for c in list {
        let _ = writeln!(w, "   {}:", c.name);
        let _ = writeln!(w, "    Image:\t{}", c.image);
        let ports: Vec<String> = c
            .ports
            .iter()
            .map(|p| format!("{}/{}", p.container_port, p.protocol.as_deref().unwrap_or("TCP")))
            .collect();
        let host: Vec<String> = c
            .ports
            .iter()
            .map(|p| {
                format!(
                    "{}/{}",
                    p.host_port.unwrap_or(0),
                    p.protocol.as_deref().unwrap_or("TCP")
                )
            })
            .collect();
        match ports.len() {
            0 => w.push_str("    Port:\t<none>\n"),
            1 => {
                let _ = writeln!(w, "    Port:\t{}", ports[0]);
            }
            _ => {
                let _ = writeln!(w, "    Ports:\t{}", ports.join(", "));
            }
        }
        match host.len() {
            0 => w.push_str("    Host Port:\t<none>\n"),
            1 => {
                let _ = writeln!(w, "    Host Port:\t{}", host[0]);
            }
            _ => {
                let _ = writeln!(w, "    Host Ports:\t{}", host.join(", "));
            }
        }
        if let Some(rp) = &c.restart_policy {
            let _ = writeln!(w, "    Restart Policy:\t{rp}");
        }
        for (title, items) in [("Command", &c.command), ("Args", &c.args)] {
            if !items.is_empty() {
                let _ = writeln!(w, "    {title}:");
                for line in items.iter().flat_map(|i| i.split('\n')) {
                    let _ = writeln!(w, "      {line}");
                }
            }
        }
        for (title, m) in [("Limits", &c.resources.limits), ("Requests", &c.resources.requests)] {
            if !m.is_empty() {
                let _ = writeln!(w, "    {title}:");
                for (k, v) in m {
                    let q = match v {
                        serde_json::Value::String(s) => s.clone(),
                        other => other.to_string(),
                    };
                    let _ = writeln!(w, "      {k}:\t{q}");
                }
            }
        }
        for (title, probe) in [
            ("Liveness", &c.liveness_probe),
            ("Readiness", &c.readiness_probe),
            ("Startup", &c.startup_probe),
        ] {
            if let Some(p) = probe {
                let _ = writeln!(w, "    {title}:\t{}", describe_probe(p));
            }
        }
        if c.env.is_empty() {
            w.push_str("    Environment:\t<none>\n");
        } else {
            w.push_str("    Environment:\n");
            for e in &c.env {
                match (&e.value, &e.value_from) {
                    (_, Some(from)) => {
                        let _ = writeln!(w, "      {}:\t{}", e.name, value_from(from));
                    }
                    (v, None) => {
                        for (i, line) in v.as_deref().unwrap_or("").split('\n').enumerate() {
                            if i == 0 {
                                let _ = writeln!(w, "      {}:\t{line}", e.name);
                            } else {
                                let _ = writeln!(w, "      \t{line}");
                            }
                        }
                    }
                }
            }
        }
        if c.volume_mounts.is_empty() {
            w.push_str("    Mounts:\t<none>\n");
        } else {
            w.push_str("    Mounts:\n");
            let mut mounts = c.volume_mounts.clone();
            mounts.sort_by(|a, b| a.mount_path.cmp(&b.mount_path));
            for m in mounts {
                let mut flags = vec![if m.read_only == Some(true) {
                    "ro".to_string()
                } else {
                    "rw".to_string()
                }];
                if let Some(sp) = m.sub_path.as_deref().filter(|s| !s.is_empty()) {
                    flags.push(format!("path={sp:?}"));
                }
                let _ = writeln!(w, "      {} from {} ({})", m.mount_path, m.name, flags.join(","));
            }
        }
    }
}

/// `DescribeProbe`: `http-get http://:80/ delay=0s timeout=1s period=10s #success=1 #failure=3`.
fn describe_probe(p: &crate::engine::api::Probe) -> String {
    let attrs = format!(
        "delay={}s timeout={}s period={}s #success={} #failure={}",
        p.initial_delay_seconds.unwrap_or(0),
        p.timeout_seconds.unwrap_or(1),
        p.period_seconds.unwrap_or(10),
        p.success_threshold.unwrap_or(1),
        p.failure_threshold.unwrap_or(3)
    );
    let h = &p.handler;
    if let Some(e) = &h.exec {
        return format!("exec [{}] {attrs}", e.command.join(" "));
    }
    if let Some(g) = &h.http_get {
        let scheme = g.scheme.as_deref().unwrap_or("HTTP").to_ascii_lowercase();
        return format!(
            "http-get {scheme}://{}:{}{} {attrs}",
            g.host.as_deref().unwrap_or(""),
            g.port,
            g.path.as_deref().unwrap_or("")
        );
    }
    if let Some(t) = &h.tcp_socket {
        return format!("tcp-socket {}:{} {attrs}", t.host.as_deref().unwrap_or(""), t.port);
    }
    format!("unknown {attrs}")
}

/// An env var's `valueFrom`, as describe words it for templates.
fn value_from(v: &serde_json::Value) -> String {
    if let Some(r) = v.get("configMapKeyRef") {
        return format!(
            "<set to the key '{}' of config map '{}'>\tOptional: {}",
            r.get("key").and_then(|x| x.as_str()).unwrap_or(""),
            r.get("name").and_then(|x| x.as_str()).unwrap_or(""),
            r.get("optional").and_then(|x| x.as_bool()).unwrap_or(false)
        );
    }
    if let Some(r) = v.get("secretKeyRef") {
        return format!(
            "<set to the key '{}' in secret '{}'>\tOptional: {}",
            r.get("key").and_then(|x| x.as_str()).unwrap_or(""),
            r.get("name").and_then(|x| x.as_str()).unwrap_or(""),
            r.get("optional").and_then(|x| x.as_bool()).unwrap_or(false)
        );
    }
    if let Some(r) = v.get("fieldRef") {
        return format!(
            " ({}:{})",
            r.get("apiVersion").and_then(|x| x.as_str()).unwrap_or("v1"),
            r.get("fieldPath").and_then(|x| x.as_str()).unwrap_or("")
        );
    }
    String::new()
}

/// The volume source lines of `describeVolumes`.
fn volume(w: &mut String, v: &crate::engine::api::Volume) {
    let get = |src: &serde_json::Value, k: &str| -> String {
        match src.get(k) {
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(other) => other.to_string(),
            None => String::new(),
        }
    };
    let flag = |src: &serde_json::Value, k: &str| src.get(k).and_then(|x| x.as_bool()).unwrap_or(false);
    if let Some(src) = v.source.get("emptyDir") {
        let limit = match get(src, "sizeLimit") {
            l if l.is_empty() => "<unset>".to_string(),
            l => l,
        };
        let _ = writeln!(
            w,
            "    Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:\t{}\n    SizeLimit:\t{limit}",
            get(src, "medium")
        );
    } else if let Some(src) = v.source.get("configMap") {
        let _ = writeln!(
            w,
            "    Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t{}\n    Optional:\t{}",
            get(src, "name"),
            flag(src, "optional")
        );
    } else if let Some(src) = v.source.get("secret") {
        let _ = writeln!(
            w,
            "    Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t{}\n    Optional:\t{}",
            get(src, "secretName"),
            flag(src, "optional")
        );
    } else if let Some(src) = v.source.get("persistentVolumeClaim") {
        let _ = writeln!(
            w,
            "    Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n    ClaimName:\t{}\n    ReadOnly:\t{}",
            get(src, "claimName"),
            flag(src, "readOnly")
        );
    } else if let Some(src) = v.source.get("hostPath") {
        let _ = writeln!(
            w,
            "    Type:\tHostPath (bare host directory volume)\n    Path:\t{}\n    HostPathType:\t{}",
            get(src, "path"),
            get(src, "type")
        );
    } else {
        let kind = v.source.keys().next().cloned().unwrap_or_default();
        let _ = writeln!(w, "    Type:\t{kind}");
    }
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
            describe_pod_template(&t),
            "Pod Template:\n  Labels:\tapp=web\n\tpod-template-hash=5d8b9c7f6d\n  Containers:\n   nginx:\n    Image:\tnginx:1.26\n    Port:\t80/TCP\n    Host Port:\t0/TCP\n    Environment:\t<none>\n    Mounts:\t<none>\n  Volumes:\t<none>\n  Node-Selectors:\t<none>\n  Tolerations:\t<none>\n"
        );
    }
}
