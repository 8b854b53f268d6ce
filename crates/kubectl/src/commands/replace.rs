//! `kubectl replace -f FILE [--force]` (`k8s.io/kubectl/pkg/cmd/replace/replace.go`): a PUT
//! of each object in the files, whole: what the file leaves out is gone afterwards (the
//! server fills in its defaults again), except the status, which is a subresource. A file
//! without `metadata.resourceVersion` replaces whatever is stored (kubectl's helper copies the
//! live resourceVersion in); a stale one is a Conflict:
//! `Error from server (Conflict): error when replacing "web.yaml": Operation cannot be
//! fulfilled on deployments.apps "web": the object has been modified; please apply your
//! changes to the latest version and try again`.
//!
//! `--force` deletes the objects (`deployment.apps "web" deleted`), waits until they are gone
//! on the virtual clock (at most `--timeout`, 5 minutes by default), then creates them again.
//!
//! Checks, in kubectl's order (verified against the real binary): `--validate`,
//! `--dry-run`, `-o`, `--cascade`, `-f`/`-k`, `--grace-period` and `--timeout` without
//! `--force`, `--force` with a dry run.

use super::cmdutil;
use super::create;
use super::mutate::{self, DryRun, Encoding, Printer, Waited};
use crate::engine::api::{Kind, Object};
use crate::engine::DeleteOptions;
use crate::flags::Invocation;
use crate::manifest::DocError;
use crate::session::Session;
use crate::{errors, Output};
use serde_json::Value;

pub fn run(s: &mut Session, inv: &Invocation, stdin: Option<&str>) -> Output {
    mutate::command(s, inv, |s, out| replace(s, inv, stdin, out))
}

/// A document of the files: its source and the object, or the server's decoding error.
type Decoded = (String, Result<(Object, Value), String>);

/// How long `--force` waits for the deletions when `--timeout` is not given.
const FORCE_WAIT_MS: u64 = 5 * 60 * 1000;

fn replace(s: &mut Session, inv: &Invocation, stdin: Option<&str>, out: &mut Output) -> Result<(), Output> {
    // Complete.
    let validation = cmdutil::validation_directive(inv.get_str("validate")).map_err(errors::error)?;
    let dry = mutate::dry_run(s, inv, out)?;
    let mut printer = Printer::new(mutate::format(inv)?, dry);
    super::delete::cascade(inv.get_str("cascade"), out)?;
    let filenames = inv.get_all("filename");
    if filenames.is_empty() {
        if inv.was_set("kustomize") {
            return Err(super::not_simulated(inv));
        }
        return Err(errors::error("must specify one of -f and -k"));
    }
    // Validate.
    let force = inv.get_bool("force");
    let grace = inv.get_int("grace-period");
    if grace >= 0 && !force {
        return Err(errors::error("--grace-period must have --force specified"));
    }
    let timeout = mutate::timeout_ms(inv, "timeout");
    if timeout.is_some() && !force {
        return Err(errors::error("--timeout must have --force specified"));
    }
    if force && dry != DryRun::None {
        return Err(errors::error("--dry-run can not be used when --force is set"));
    }
    if !inv.get_str("raw").is_empty() {
        return Err(super::not_simulated(inv));
    }
    // Run: kubectl builds every object first; a document the client rejects stops everything.
    let docs = super::targets::read_files(s, &filenames, stdin).map_err(errors::error)?;
    let sel = mutate::selection(s, inv, Vec::new());
    let save_config = inv.get_bool("save-config");
    let mut objects = Vec::new();
    for doc in &docs {
        let item = match create::decode(doc, validation, out) {
            Ok((mut obj, mut value)) => {
                let ns =
                    mutate::namespace_for(obj.kind(), obj.meta().namespace.as_deref(), &sel).map_err(errors::error)?;
                if obj.kind().info().namespaced {
                    obj.meta_mut().namespace = Some(ns.clone());
                    if let Some(Value::Object(m)) = value.get_mut("metadata") {
                        m.insert("namespace".into(), Value::String(ns));
                    }
                }
                // `CreateOrUpdateAnnotation`: --save-config records the object; otherwise an
                // annotation the file already carries is brought up to date.
                if save_config || obj.meta().annotations.contains_key(create::LAST_APPLIED) {
                    let config = create::last_applied_unstructured(&value);
                    create::set_annotation(&mut value, create::LAST_APPLIED, &config);
                    obj.meta_mut().annotations.insert(create::LAST_APPLIED.into(), config);
                }
                Ok((obj, value))
            }
            Err(DocError::Client(m)) => return Err(errors::error(m)),
            Err(DocError::BadRequest(m)) => Err(format!(
                "Error from server (BadRequest): error when replacing \"{}\": {m}",
                doc.source
            )),
        };
        objects.push((doc.source.clone(), item));
    }
    if force {
        return force_replace(s, inv, objects, grace, timeout, &mut printer, out);
    }
    mutate::for_each(out, objects, |out, (source, item)| {
        let (mut obj, value) = item?;
        if dry == DryRun::Client {
            printer.print(out, &value, Encoding::Unstructured, "replaced");
            return Ok(());
        }
        let stored = super::warnings::send(&mut s.cluster, dry, out, |c| {
            let live = c
                .get(obj.kind(), obj.namespace(), obj.name())
                .cloned()
                .ok_or_else(|| crate::engine::ApiError::not_found(obj.kind(), obj.name()))?;
            if obj.meta().resource_version.as_deref().is_none_or(str::is_empty) {
                obj.meta_mut().resource_version = live.meta().resource_version.clone();
            }
            super::apply::keep_status(&mut obj, &live);
            c.update(obj)
        })
        .map_err(|e| errors::api_error_for_file(&e, "replacing", &source))?;
        printer.print_object(out, &stored, Encoding::Unstructured, "replaced");
        Ok(())
    });
    Ok(())
}

/// `forceReplace`: delete everything, wait until it is gone, create it again.
fn force_replace(
    s: &mut Session,
    inv: &Invocation,
    objects: Vec<Decoded>,
    grace: i64,
    timeout: Option<u64>,
    printer: &mut Printer,
    out: &mut Output,
) -> Result<(), Output> {
    let mut good = Vec::new();
    for (source, item) in objects {
        match item {
            Ok((obj, _)) => good.push((source, obj)),
            Err(e) => return Err(Output::fail(e)),
        }
    }
    let propagation = super::delete::cascade(inv.get_str("cascade"), &mut Output::ok())?;
    let opts = DeleteOptions {
        grace_period: (grace >= 0).then_some(grace),
        propagation,
    };
    let mut deleted: Vec<(Kind, String, String, String)> = Vec::new();
    for (source, obj) in &good {
        match s.cluster.delete(obj.kind(), obj.namespace(), obj.name(), opts) {
            Ok(gone) => {
                out.outln(format!("{} \"{}\" deleted", mutate::type_name(obj.kind()), obj.name()));
                deleted.push((
                    obj.kind(),
                    obj.namespace().to_string(),
                    obj.name().to_string(),
                    gone.meta().uid().to_string(),
                ));
            }
            Err(e) if e.reason == crate::engine::Reason::NotFound => {}
            Err(e) => return Err(Output::fail(errors::api_error_for_file(&e, "deleting", source))),
        }
    }
    let waited = mutate::wait_until(&mut s.cluster, Some(timeout.unwrap_or(FORCE_WAIT_MS)), |c| {
        deleted
            .iter()
            .all(|(k, ns, n, uid)| c.get(*k, ns, n).is_none_or(|o| o.meta().uid() != uid))
    });
    if waited != Waited::Done {
        return Err(errors::error("timed out waiting for the condition"));
    }
    let mut count = 0;
    for (source, obj) in good {
        let mut obj = obj;
        obj.meta_mut().resource_version = None;
        let created = super::warnings::send(&mut s.cluster, DryRun::None, out, |c| c.create(obj));
        match created {
            Ok(stored) => {
                count += 1;
                printer.print_object(out, &stored, Encoding::Unstructured, "replaced");
            }
            Err(e) => return Err(Output::fail(errors::api_error_for_file(&e, "creating", &source))),
        }
    }
    if count == 0 {
        return Err(errors::error("no objects passed to replace"));
    }
    Ok(())
}
