//! `kubectl patch (-f FILE | TYPE NAME) -p PATCH [--type strategic|merge|json] [--local]`
//! (`k8s.io/kubectl/pkg/cmd/patch/patch.go`).
//!
//! Validate, in kubectl's order: `--patch` with `--patch-file`, neither, `--local` with named
//! resources, `--local` with `--dry-run=server`, `--type`. The patch text is YAML or JSON
//! (`yaml.ToJSON`). Each object is then patched ([`super::patches`]):
//!
//! * on the server (the default, and `--dry-run=server` on a copy of the cluster): the server
//!   applies the patch to the live object, decodes the result (unknown fields are dropped with
//!   a `Warning:`; the server's default field validation for a patch is `Warn`), keeps the
//!   status (a subresource), validates and stores it. The line reads `patched`, or
//!   `patched (no change)` when the stored object is the one kubectl had read. For objects
//!   named with `-f`, kubectl compares with the file's content, which always differs.
//! * locally (`--local -f FILE`, and `--dry-run=client`, which patches the live object without
//!   sending anything): the patch is applied in kubectl with the client libraries' errors
//!   (`Object to be patched is missing field (…)`).
//!
//! kubectl sets the printer's operation after `--dry-run` was applied to it, so `patch` never
//! prints `(dry run)`.

use super::create::{self, Validation};
use super::mutate::{self, DryRun, Encoding, Printer, WhenEmpty};
use super::patches::{self, JsonPatchError, SmpError};
use crate::engine::api::Object;
use crate::engine::Cluster;
use crate::flags::{go_quote, Invocation};
use crate::session::Session;
use crate::{errors, manifest, Output};
use serde_json::Value;

pub fn run(s: &mut Session, inv: &Invocation, stdin: Option<&str>) -> Output {
    mutate::command(s, inv, |s, out| patch(s, inv, stdin, out))
}

/// `--type`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PatchType {
    Strategic,
    Merge,
    Json,
}

/// Where a patch is applied: the libraries' errors read differently in kubectl and as the API
/// server's responses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Side {
    Client,
    Server,
}

fn patch(s: &mut Session, inv: &Invocation, stdin: Option<&str>, out: &mut Output) -> Result<(), Output> {
    // Complete.
    let dry = mutate::dry_run(s, inv, out)?;
    // Validate.
    let (text, file) = (inv.get_str("patch"), inv.get_str("patch-file"));
    let local = inv.get_bool("local");
    if !text.is_empty() && !file.is_empty() {
        return Err(errors::error("cannot specify --patch and --patch-file together"));
    }
    if text.is_empty() && file.is_empty() {
        return Err(errors::error(
            "must specify --patch or --patch-file containing the contents of the patch",
        ));
    }
    if local && !inv.args.is_empty() {
        return Err(errors::error("cannot specify --local and server resources"));
    }
    if local && dry == DryRun::Server {
        return Err(errors::error(
            "cannot specify --local and --dry-run=server - did you mean --dry-run=client?",
        ));
    }
    let ty = match inv.get_str("type").to_ascii_lowercase().as_str() {
        "" | "strategic" => PatchType::Strategic,
        "merge" => PatchType::Merge,
        "json" => PatchType::Json,
        _ => {
            return Err(errors::error(format!(
                "--type must be one of [json merge strategic], not {}",
                go_quote(inv.get_str("type"))
            )))
        }
    };
    // Run.
    let body = if file.is_empty() {
        text.to_string()
    } else {
        s.files.get(file).cloned().ok_or_else(|| {
            errors::error(format!(
                "unable to read patch file: open {file}: no such file or directory"
            ))
        })?
    };
    let patch =
        manifest::yaml_to_json(&body).map_err(|e| errors::error(format!("unable to parse {}: {e}", go_quote(text))))?;
    let format = mutate::format(inv)?;
    let mut printer = Printer::new(format, DryRun::None);
    let sel = mutate::selection(s, inv, inv.args.clone());
    let targets = mutate::select(s, &sel, stdin, WhenEmpty::ResourceOrFilename)?;
    // `--local` works on the files' own content.
    let docs = if local {
        super::targets::read_files(s, &sel.filenames, stdin).map_err(errors::error)?
    } else {
        Vec::new()
    };
    if targets.is_empty() {
        return Err(errors::error("no objects passed to patch"));
    }
    mutate::for_each(out, targets.into_iter().enumerate(), |out, (i, t)| {
        if local || dry == DryRun::Client {
            let original = match docs.get(i) {
                Some(d) => d.value.clone(),
                None => t.fetch(&s.cluster).map_err(|e| errors::api_error_text(&e))?.to_value(),
            };
            let patched = apply(ty, &original, &patch, Side::Client)?;
            if !patched.is_object() {
                return Err(format!(
                    "error: json: cannot unmarshal {} into Go value of type unstructured.detector",
                    if patched.is_array() { "array" } else { "string" }
                ));
            }
            let verb = operation(patched != original);
            printer.print(out, &patched, Encoding::Unstructured, verb);
            return Ok(());
        }
        let live = t.fetch(&s.cluster).map_err(|e| errors::api_error_text(&e))?;
        super::warnings::reset(&mut s.cluster);
        let stored = mutate::send(&mut s.cluster, dry, |c| server_patch(c, out, &live, ty, &patch));
        super::warnings::print(&mut s.cluster, out);
        let stored = stored?;
        let changed = t.source.is_some() || stored.to_value() != live.to_value();
        printer.print(out, &stored.to_value(), Encoding::Unstructured, operation(changed));
        Ok(())
    });
    Ok(())
}

fn operation(changed: bool) -> &'static str {
    if changed {
        "patched"
    } else {
        "patched (no change)"
    }
}

/// Applies the patch, with the errors worded for where it runs.
fn apply(ty: PatchType, original: &Value, patch: &Value, side: Side) -> Result<Value, String> {
    let server = side == Side::Server;
    match ty {
        PatchType::Strategic => patches::strategic(original, patch).map_err(|e| match (e, server) {
            (SmpError::BadDoc, true) => {
                format!("Error from server (BadRequest): {}", SmpError::BadDoc.message())
            }
            (SmpError::NoMergeKey(m), true) => format!("Error from server: {m}"),
            (e, false) => format!("error: {}", e.message()),
        }),
        PatchType::Merge => patches::merge(original, patch).map_err(|m| {
            if server {
                format!("Error from server (BadRequest): {m}")
            } else {
                format!("error: {m}")
            }
        }),
        PatchType::Json => patches::json_patch(original, patch).map_err(|e| match (e, server) {
            (JsonPatchError::Decode(m), true) => format!("Error from server (BadRequest): {m}"),
            // The API server answers 422 without details.
            (JsonPatchError::Apply(_), true) => "The request is invalid".to_string(),
            (JsonPatchError::Decode(m), false) => format!("error: {m}"),
            (JsonPatchError::Apply(m), false) => match m.find("doc is missing key") {
                // patch.go's rewording of the library's error.
                Some(_) => {
                    let key = &m[m.find("key:").map_or(0, |i| i + 5)..];
                    format!("error: Object to be patched is missing field ({key})")
                }
                None => format!("error: {m}"),
            },
        }),
    }
}

/// What the API server does with a PATCH: apply it to the stored object, decode the result
/// (field validation `Warn`), keep the status and the identity, validate and store.
fn server_patch(
    c: &mut Cluster,
    out: &mut Output,
    live: &Object,
    ty: PatchType,
    patch: &Value,
) -> Result<std::sync::Arc<Object>, String> {
    let current = live.to_value();
    let patched = apply(ty, &current, patch, Side::Server)?;
    if patched == current {
        // Nothing to write: the object keeps its resourceVersion.
        return Ok(std::sync::Arc::new(live.clone()));
    }
    let name = patched.pointer("/metadata/name").and_then(Value::as_str).unwrap_or("");
    if name != live.name() {
        return Err(format!(
            "Error from server (BadRequest): the name of the object ({name}) does not match the name on the URL ({})",
            live.name()
        ));
    }
    let doc = manifest::Doc {
        value: patched,
        source: String::new(),
    };
    let (mut next, _) = create::decode(&doc, Validation::Warn, out).map_err(|e| match e {
        manifest::DocError::Client(m) | manifest::DocError::BadRequest(m) => {
            format!("Error from server (BadRequest): {m}")
        }
    })?;
    if next.kind() != live.kind() {
        return Err(format!(
            "Error from server (BadRequest): the kind of the object ({}) does not match the kind of the resource ({})",
            next.kind().info().kind,
            live.kind().info().kind
        ));
    }
    super::apply::keep_status(&mut next, live);
    if next.to_value() == current {
        return Ok(std::sync::Arc::new(live.clone()));
    }
    mutate::patch(c, next).map_err(|e| errors::api_error_text(&e))
}
