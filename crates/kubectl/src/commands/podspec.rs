//! The flow `kubectl set env` and `kubectl set resources` share (`set.CalculatePatches` and
//! the loop after it in `set_env.go`, `set_resources.go`): change the pod template of each
//! object, skip the objects the change leaves as they were, print the others locally
//! (`--local`, `--dry-run=client`) or patch them on the server, collect the errors.
//!
//! Objects come from the server (`TYPE NAME`, `TYPE/NAME`, `-l`, `--all`, `-f`) or, with
//! `--local`, from the files only; kubectl decodes local files into its typed structs, so they
//! print with Go's zero values (`creationTimestamp: null`, `resources: {}`, `status: {}`), see
//! [`typed_defaults`]. A per-object failure reads `error: <object> <message>` where the object
//! is `deployments/web` for server objects and, for local ones, cli-runtime's
//! `Info.ObjectName()` without a mapping, which ends grouped kinds with a stray newline
//! (`deployment.apps/web\n`), as the real binary prints.

use super::mutate::{self, DryRun, Encoding, Printer, WhenEmpty};
use super::set::pod_spec_mut;
use crate::engine::api::{Object, PodSpec};
use crate::flags::Invocation;
use crate::manifest;
use crate::session::Session;
use crate::{errors, Output};
use serde_json::{json, Value};

/// How one `set` subcommand words its results.
pub struct Words {
    /// `env updated`, `resource requirements updated`.
    pub verb: &'static str,
    /// `failed to patch env update to pod template: ` (with its punctuation).
    pub patch_failed: &'static str,
}

/// Go's type name of an object without a pod template, as `%T` prints it.
fn go_type(o: &Object) -> String {
    let info = o.kind().info();
    let pkg = match info.group {
        "" => "v1",
        "apps" => "v1",
        "batch" => "v1",
        "networking.k8s.io" => "v1",
        "policy" => "v1",
        "storage.k8s.io" => "v1",
        _ => info.version,
    };
    format!("*{pkg}.{}", info.kind)
}

/// One object to change: the object, and how kubectl names it in errors.
struct Item {
    obj: Object,
    name: String,
}

/// Runs `change` on the pod spec of every selected object and sends or prints the results.
/// `change` returns the message of a per-object failure; it may print warnings.
pub fn update_each(
    s: &mut Session,
    inv: &Invocation,
    stdin: Option<&str>,
    out: &mut Output,
    resources: Vec<String>,
    dry: DryRun,
    words: Words,
    mut change: impl FnMut(&Object, &mut PodSpec, &mut Output) -> Result<(), String>,
) -> Result<(), Output> {
    let local = inv.get_bool("local");
    let mut printer = Printer::new(mutate::format(inv)?, dry);
    let items = if local {
        local_items(s, inv, stdin)?
    } else {
        server_items(s, inv, stdin, resources)?
    };
    let mut errs = Vec::new();
    for item in items {
        let mut next = item.obj.clone();
        let result = match pod_spec_mut(&mut next) {
            Some(spec) => change(&item.obj, spec, out),
            None => Err(format!(
                "the object is not a pod or does not have a pod template: {}",
                go_type(&item.obj)
            )),
        };
        if let Err(e) = result {
            errs.push(format!("error: {} {e}\n", item.name));
            continue;
        }
        if local || dry == DryRun::Client {
            let (before, after) = (typed_defaults(item.obj.to_value()), typed_defaults(next.to_value()));
            if before != after {
                printer.print(out, &after, Encoding::Typed, words.verb);
            }
            continue;
        }
        if next == item.obj {
            continue;
        }
        match super::warnings::send(&mut s.cluster, dry, out, |c| mutate::patch(c, next)) {
            Ok(stored) => printer.print_object(out, &stored, Encoding::Unstructured, words.verb),
            Err(e) => errs.push(format!("{}{}", words.patch_failed, e.message)),
        }
    }
    // `utilerrors.NewAggregate(allErrs)` through `CheckErr`: messages already end in a
    // newline, and several get one more from `MultipleErrors`.
    match errs.as_slice() {
        [] => {}
        [one] => {
            out.err(mutate::error_line(one));
            if !one.ends_with('\n') {
                out.err("\n");
            }
            out.exit_code = 1;
        }
        many => {
            for e in many {
                out.errln(e);
            }
            out.exit_code = 1;
        }
    }
    Ok(())
}

/// `--local -f FILE`: the files' objects, decoded as kubectl decodes them.
fn local_items(s: &Session, inv: &Invocation, stdin: Option<&str>) -> Result<Vec<Item>, Output> {
    let files = inv.get_all("filename");
    if files.is_empty() {
        return Err(errors::error("you must specify resources by --filename when --local is set.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'"));
    }
    let docs = super::targets::read_files(s, &files, stdin).map_err(errors::error)?;
    let mut items = Vec::new();
    for doc in &docs {
        let (obj, _) =
            super::create::decode(doc, super::create::Validation::Ignore, &mut Output::ok()).map_err(|e| match e {
                manifest::DocError::Client(m) | manifest::DocError::BadRequest(m) => errors::error(m),
            })?;
        let info = obj.kind().info();
        let name = if info.group.is_empty() {
            format!("{}/{}", info.kind.to_lowercase(), obj.name())
        } else {
            format!("{}.{}/{}\n", info.kind.to_lowercase(), info.group, obj.name())
        };
        items.push(Item { obj, name });
    }
    Ok(items)
}

/// The builder with `Latest()`: every object fetched first; a missing one ends the command.
fn server_items(
    s: &Session,
    inv: &Invocation,
    stdin: Option<&str>,
    resources: Vec<String>,
) -> Result<Vec<Item>, Output> {
    let sel = mutate::selection(s, inv, resources);
    let targets = mutate::select(s, &sel, stdin, WhenEmpty::ResourceOrFilename)?;
    let mut items = Vec::new();
    let mut missing = Vec::new();
    for t in targets {
        match t.fetch(&s.cluster) {
            Ok(o) => items.push(Item {
                obj: (*o).clone(),
                name: t.object_name(),
            }),
            Err(e) => missing.push(errors::api_error_text(&e)),
        }
    }
    if !missing.is_empty() {
        return Err(Output::fail(missing.join("\n")));
    }
    Ok(items)
}

/// The zero values Go's typed structs print for an object read from a file: metadata and pod
/// template `creationTimestamp: null`, `resources: {}` on every container, a workload's
/// empty `strategy`, `status: {}`.
pub fn typed_defaults(mut v: Value) -> Value {
    fn containers(spec: &mut Value) {
        for field in ["initContainers", "containers"] {
            if let Some(Value::Array(cs)) = spec.get_mut(field) {
                for c in cs {
                    if let Value::Object(m) = c {
                        m.entry("resources").or_insert_with(|| json!({}));
                    }
                }
            }
        }
    }
    fn meta(m: &mut Value) {
        if let Value::Object(o) = m {
            o.entry("creationTimestamp").or_insert(Value::Null);
        }
    }
    let kind = v.get("kind").and_then(Value::as_str).unwrap_or("").to_string();
    let Value::Object(top) = &mut v else { return v };
    meta(top.entry("metadata").or_insert_with(|| json!({})));
    let template = match kind.as_str() {
        "Deployment" | "ReplicaSet" | "StatefulSet" | "DaemonSet" | "Job" => Some("/spec/template"),
        "CronJob" => Some("/spec/jobTemplate/spec/template"),
        _ => None,
    };
    match kind.as_str() {
        "Deployment" => {
            if let Some(Value::Object(spec)) = top.get_mut("spec") {
                spec.entry("strategy").or_insert_with(|| json!({}));
            }
        }
        "StatefulSet" | "DaemonSet" => {
            if let Some(Value::Object(spec)) = top.get_mut("spec") {
                spec.entry("updateStrategy").or_insert_with(|| json!({}));
            }
        }
        _ => {}
    }
    top.entry("status").or_insert_with(|| json!({}));
    if let Some(path) = template {
        if let Some(t) = v.pointer_mut(path) {
            if let Value::Object(o) = t {
                meta(o.entry("metadata").or_insert_with(|| json!({})));
            }
            if let Some(spec) = t.get_mut("spec") {
                containers(spec);
            }
        }
    } else if kind == "Pod" {
        if let Some(spec) = v.get_mut("spec") {
            containers(spec);
        }
    }
    v
}
