//! `kubectl delete` (`k8s.io/kubectl/pkg/cmd/delete/delete.go`).
//!
//! Named objects are not fetched first (`RequireObject(false)`): each DELETE is sent and its
//! NotFound reported. Each accepted delete prints `<kind>[.<group>] "<name>" deleted` at once
//! (`force deleted` with `--grace-period=0 --force`); errors come after, and with any error
//! kubectl does not wait. Otherwise `--wait` (the default) blocks until every deleted object is
//! really gone, which kubelab does by advancing virtual time (`Cluster::run_until`): a pod is
//! gone when its kubelet has stopped the containers, in about a second for nginx (which exits on
//! SIGTERM) and after the whole grace period (30 s by default) for a shell or `sleep`. If the
//! cluster has nothing left to do and the object is still there, kubelab stops waiting where
//! real kubectl would block until Ctrl-C (exit status 130).

use super::mutate::{self, DryRun, Selection, Target, Waited, WhenEmpty};
use crate::engine::{DeleteOptions, Propagation};
use crate::flags::Invocation;
use crate::session::Session;
use crate::{errors, Output};

pub fn run(s: &mut Session, inv: &Invocation, stdin: Option<&str>) -> Output {
    mutate::command(s, inv, |s, out| delete(s, inv, stdin, out))
}

fn delete(s: &mut Session, inv: &Invocation, stdin: Option<&str>, out: &mut Output) -> Result<(), Output> {
    // Complete.
    let propagation = cascade(inv.get_str("cascade"), out)?;
    let selecting = inv.get_bool("all") || inv.was_set("selector");
    let ignore_not_found = if selecting && !inv.was_set("ignore-not-found") {
        true
    } else {
        inv.get_bool("ignore-not-found")
    };
    let force = inv.get_bool("force");
    let mut grace = inv.get_int("grace-period");
    if inv.get_bool("now") {
        if grace != -1 {
            return Err(errors::error("--now and --grace-period cannot be specified together"));
        }
        grace = 1;
    }
    if grace == 0 && !force {
        // kubectl turns --grace-period=0 into 1 unless --force says otherwise.
        grace = 1;
    }
    if force && grace < 0 {
        grace = 0;
    }
    let dry = mutate::dry_run(s, inv, out)?;
    let sel: Selection = mutate::selection(s, inv, inv.args.clone());
    if let Some(dir) = &sel.kustomize {
        // The build's warnings come first, whatever happens next.
        if let Ok(built) = crate::kustomize::build(&s.files, dir) {
            super::kustomize::warn(out, &built.warnings);
        }
    }
    let targets = mutate::select(s, &sel, stdin, WhenEmpty::ResourceOrFilename)?;

    // Validate.
    let output = inv.get_str("output");
    if !output.is_empty() && output != "name" {
        return Err(errors::error(format!(
            "unexpected -o output mode: {output}. We only support '-o name'"
        )));
    }
    if force && grace == 0 {
        out.errln("Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.");
    } else if force && grace > 0 {
        return Err(errors::error(
            "--force and --grace-period greater than 0 cannot be specified together",
        ));
    }

    // Run.
    let opts = DeleteOptions {
        grace_period: (grace >= 0).then_some(grace),
        propagation,
    };
    let operation = if grace == 0 { "force deleted" } else { "deleted" };
    let mut warn_cluster_scope = sel.enforce_namespace && !sel.all_namespaces;
    let mut found = 0;
    let mut failed = false;
    // uid of each deleted object, to wait for that object and not a re-created namesake.
    let mut deleted: Vec<(Target, String)> = Vec::new();
    mutate::for_each(out, targets, |out, t| {
        found += 1;
        if warn_cluster_scope && !t.kind.info().namespaced {
            out.errln("warning: deleting cluster-scoped resources, not scoped to the provided namespace");
            warn_cluster_scope = false;
        }
        let print = |out: &mut Output| {
            if output == "name" {
                out.outln(format!("{}/{}", mutate::type_name(t.kind), t.name));
            } else {
                out.outln(format!(
                    "{} \"{}\" {operation}{}",
                    mutate::type_name(t.kind),
                    t.name,
                    dry.suffix()
                ));
            }
        };
        if dry == DryRun::Client {
            print(out);
            return Ok(());
        }
        let result = mutate::send(&mut s.cluster, dry, |c| c.delete(t.kind, &t.namespace, &t.name, opts));
        match result {
            Ok(obj) => {
                print(out);
                deleted.push((t, obj.meta().uid().to_string()));
                Ok(())
            }
            Err(e) if ignore_not_found && e.reason == crate::engine::Reason::NotFound => Ok(()),
            Err(e) => {
                failed = true;
                Err(match &t.source {
                    Some(src) => errors::api_error_for_file(&e, "deleting", src),
                    None => errors::api_error_text(&e),
                })
            }
        }
    });
    if failed {
        return Ok(());
    }
    if found == 0 {
        out.outln("No resources found");
        return Ok(());
    }
    if !inv.get_bool("wait") || dry != DryRun::None {
        return Ok(());
    }
    let gone = |c: &crate::engine::Cluster| {
        deleted.iter().all(|(t, uid)| {
            c.get(t.kind, &t.namespace, &t.name)
                .is_none_or(|o| o.meta().uid() != uid)
        })
    };
    // Waiting "forever" is bounded by the longest grace period involved.
    let longest_grace = deleted
        .iter()
        .filter_map(|(t, _)| s.cluster.get(t.kind, &t.namespace, &t.name))
        .filter_map(|o| o.meta().deletion_grace_period_seconds)
        .max()
        .unwrap_or(0);
    let forever = mutate::FOREVER_MS.max((longest_grace.max(0) as u64 + 60) * 1000);
    match mutate::wait_for(&mut s.cluster, mutate::timeout_ms(inv, "timeout"), forever, gone) {
        Waited::Done => {}
        Waited::TimedOut => {
            // cmd/wait names the first object still there.
            if let Some((t, _)) = deleted.iter().find(|(t, uid)| {
                s.cluster
                    .get(t.kind, &t.namespace, &t.name)
                    .is_some_and(|o| o.meta().uid() == uid)
            }) {
                out.extend(errors::error(format!(
                    "timed out waiting for the condition on {}/{}",
                    t.kind.info().plural,
                    t.name
                )));
            }
        }
        Waited::Stuck => out.exit_code = mutate::INTERRUPTED,
    }
    Ok(())
}

/// `--cascade`: `background` (default), `foreground`, `orphan`, or a deprecated boolean.
/// kubelab's garbage collector has no foreground mode; foreground deletes like background
/// (the owner goes first and its dependents right after).
pub fn cascade(v: &str, out: &mut Output) -> Result<Propagation, Output> {
    match v {
        "background" | "foreground" => Ok(Propagation::Background),
        "orphan" => Ok(Propagation::Orphan),
        _ => {
            match crate::flags::parse_bool(v) {
                Some(b) => {
                    let with = if b { "background" } else { "orphan" };
                    out.errln(format!("warning: --cascade={v} is deprecated (boolean value) and can be replaced with --cascade={with}."));
                    Ok(if b {
                        Propagation::Background
                    } else {
                        Propagation::Orphan
                    })
                }
                None => Err(errors::error(format!(
                    "invalid cascade value ({v}). Must be \"background\", \"foreground\", or \"orphan\""
                ))),
            }
        }
    }
}
