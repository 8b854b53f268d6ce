//! `kubectl apply -f FILE|DIR|-` (client-side apply, `k8s.io/kubectl/pkg/cmd/apply`).
//!
//! For each object of the manifests, in order:
//! * absent: it is created with the `kubectl.kubernetes.io/last-applied-configuration`
//!   annotation holding the manifest as applied -> `created`;
//! * present: a three-way merge of the last applied configuration (what the user said before),
//!   the manifest (what the user says now) and the live object (what the cluster has): fields of
//!   the manifest are set, fields that were applied before and are gone from the manifest are
//!   removed, everything else (server defaults, status, fields set by other commands) stays.
//!   Nothing to change -> `unchanged`, else the object is updated -> `configured`. An object
//!   created without the annotation (by `kubectl create`) gets kubectl's warning first, and
//!   nothing is removed since there is no record of what was applied.
//!
//! The merge follows strategic merge patch where learners meet it: maps merge key by key, a
//! `null` deletes, lists of named items (`containers`, `env`, `volumes`, named `ports`) merge
//! item by item by `name`, other lists are replaced whole.
//!
//! `--dry-run=client` touches nothing (and, like kubectl, reports `configured` for any existing
//! object without comparing); `--dry-run=server` does the real work on a copy of the cluster.
//! `--server-side` is approximated by the same merge without deletions.

use super::create::{self, Validation, LAST_APPLIED};
use super::mutate::{self, DryRun, Encoding, Format, Printer};
use crate::engine::api::Object;
use crate::engine::{ApiError, Cluster};
use crate::flags::Invocation;
use crate::manifest::DocError;
use crate::session::Session;
use crate::{errors, Output};
use serde_json::{json, Map, Value};
use std::sync::Arc;

pub fn run(s: &mut Session, inv: &Invocation, stdin: Option<&str>) -> Output {
    mutate::command(s, inv, |s, out| apply(s, inv, stdin, out))
}

fn apply(s: &mut Session, inv: &Invocation, stdin: Option<&str>, out: &mut Output) -> Result<(), Output> {
    let filenames = inv.get_all("filename");
    if filenames.is_empty() && !inv.was_set("kustomize") {
        return Err(errors::error("must specify one of -f and -k"));
    }
    if inv.get_bool("prune") {
        return Err(errors::error("kubelab does not simulate --prune yet"));
    }
    let dry = mutate::dry_run(s, inv, out)?;
    let mut printer = Printer::new(mutate::format(inv)?, dry);
    let docs = super::targets::read_input(s, inv, stdin, out).map_err(errors::error)?;
    let sel = mutate::selection(s, inv, Vec::new());
    let validation = Validation::from(inv);
    let server_side = inv.get_bool("server-side");

    // kubectl builds every object first: a document the client rejects stops everything.
    let mut decoded = Vec::new();
    for doc in &docs {
        match create::decode(doc, validation, out) {
            Ok((obj, value)) => {
                let ns =
                    mutate::namespace_for(obj.kind(), obj.meta().namespace.as_deref(), &sel).map_err(errors::error)?;
                decoded.push((doc, Ok((obj, value, ns))));
            }
            Err(DocError::Client(m)) => return Err(errors::error(m)),
            Err(DocError::BadRequest(m)) => decoded.push((doc, Err(m))),
        }
    }
    if decoded.is_empty() {
        return Err(errors::error("no objects passed to apply"));
    }

    let mut applied: Vec<Value> = Vec::new();
    mutate::for_each(out, decoded, |out, (doc, item)| {
        let (obj, value, ns) = match item {
            Ok(x) => x,
            Err(m) => {
                // The strict decoding error comes back from the create or the patch request.
                let exists =
                    kind_and_name(&doc.value).is_some_and(|(k, n)| s.cluster.get(k, &sel.namespace, &n).is_some());
                let verb = if exists { "patching" } else { "creating" };
                return Err(format!(
                    "Error from server (BadRequest): error when {verb} \"{}\": {m}",
                    doc.source
                ));
            }
        };
        let step = Step {
            value,
            server_side,
            source: &doc.source,
        };
        let existing = s.cluster.get(obj.kind(), &ns, obj.name()).cloned();
        let result = match (existing, dry) {
            (None, DryRun::Client) => {
                let mut v = step.value.clone();
                if !server_side {
                    create::set_annotation(&mut v, LAST_APPLIED, &create::last_applied_unstructured(&step.value));
                }
                if obj.kind().info().namespaced {
                    if let Some(Value::Object(m)) = v.get_mut("metadata") {
                        m.insert("namespace".into(), Value::String(ns.clone()));
                    }
                }
                Ok((v, "created"))
            }
            (Some(live), DryRun::Client) => Ok((live.to_value(), "configured")),
            (None, _) => super::warnings::send(&mut s.cluster, dry, out, |c| step.create(c, obj, &ns)),
            (Some(live), _) => {
                super::warnings::reset(&mut s.cluster);
                let r = mutate::send(&mut s.cluster, dry, |c| step.patch(c, out, &live));
                super::warnings::print(&mut s.cluster, out);
                r
            }
        };
        let (value, verb) = result?;
        let verb = if server_side { "serverside-applied" } else { verb };
        if matches!(printer.format, Format::Yaml | Format::Json) {
            applied.push(value);
        } else {
            printer.print(out, &value, Encoding::Unstructured, verb);
        }
        Ok(())
    });
    // apply.go `printObjects`, its post-processor: with -o yaml|json the objects are printed
    // once all were applied without error, several of them as one List.
    if out.exit_code == 0 {
        match applied.len() {
            0 => {}
            1 => printer.print(out, &applied[0], Encoding::Unstructured, ""),
            _ => {
                let list = json!({ "apiVersion": "v1", "items": applied, "kind": "List", "metadata": {} });
                printer.print(out, &list, Encoding::Unstructured, "");
            }
        }
    }
    Ok(())
}

/// One object being applied.
struct Step<'a> {
    /// The manifest document (unknown fields already dropped when validation allowed it).
    value: Value,
    server_side: bool,
    source: &'a str,
}

impl Step<'_> {
    /// The object is new: create it with the annotation.
    fn create(&self, c: &mut Cluster, mut obj: Object, ns: &str) -> Result<(Value, &'static str), String> {
        if !self.server_side {
            obj.meta_mut()
                .annotations
                .insert(LAST_APPLIED.into(), create::last_applied_unstructured(&self.value));
        }
        if obj.kind().info().namespaced {
            obj.meta_mut().namespace = Some(ns.to_string());
        }
        c.create(obj)
            .map(|stored| (stored.to_value(), "created"))
            .map_err(|e| errors::api_error_for_file(&e, "creating", self.source))
    }

    /// The object exists: merge, and update if anything changed.
    fn patch(&self, c: &mut Cluster, out: &mut Output, live: &Arc<Object>) -> Result<(Value, &'static str), String> {
        let current = live.to_value();
        let annotation = live.meta().annotations.get(LAST_APPLIED);
        let mut modified = self.value.clone();
        let original = if self.server_side {
            None
        } else {
            if annotation.is_none() {
                let t = mutate::Target {
                    kind: live.kind(),
                    namespace: live.namespace().to_string(),
                    name: live.name().to_string(),
                    source: None,
                };
                out.errln(format!(
                    "Warning: resource {} is missing the {LAST_APPLIED} annotation which is required by kubectl apply. kubectl apply should only be used on resources created declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will be patched automatically.",
                    t.object_name()
                ));
            }
            create::set_annotation(
                &mut modified,
                LAST_APPLIED,
                &create::last_applied_unstructured(&self.value),
            );
            annotation.and_then(|a| serde_json::from_str::<Value>(a).ok())
        };
        let merged = merge(original.as_ref(), &modified, &current);
        if merged == current {
            return Ok((current, "unchanged"));
        }
        let mut next = match Object::decode(merged) {
            Ok(o) => o,
            Err(e) => {
                return Err(format!(
                    "Error from server (BadRequest): error when patching \"{}\": {e:?}",
                    self.source
                ))
            }
        };
        keep_status(&mut next, live);
        next.meta_mut().resource_version = live.meta().resource_version.clone();
        c.update(next)
            .map(|stored| (stored.to_value(), "configured"))
            .map_err(|e: ApiError| errors::api_error_for_file(&e, "patching", self.source))
    }
}

/// The kind and name a document names, if it names a served kind.
fn kind_and_name(v: &Value) -> Option<(crate::engine::api::Kind, String)> {
    let kind = crate::engine::api::Kind::from_type(
        v.get("apiVersion").and_then(Value::as_str)?,
        v.get("kind").and_then(Value::as_str)?,
    )?;
    Some((kind, v.pointer("/metadata/name").and_then(Value::as_str)?.to_string()))
}

/// Status is the server's (the status subresource): an apply never changes it. Copying the
/// typed status back also keeps its timestamps at full precision.
pub fn keep_status(next: &mut Object, live: &Object) {
    match (next, live) {
        (Object::Pod(n), Object::Pod(l)) => n.status = l.status.clone(),
        (Object::Deployment(n), Object::Deployment(l)) => n.status = l.status.clone(),
        (Object::ReplicaSet(n), Object::ReplicaSet(l)) => n.status = l.status.clone(),
        (Object::Service(n), Object::Service(l)) => n.status = l.status.clone(),
        (Object::Namespace(n), Object::Namespace(l)) => n.status = l.status.clone(),
        (Object::Node(n), Object::Node(l)) => n.status = l.status.clone(),
        _ => {}
    }
}

/// The three-way merge: `current` with `modified`'s fields set, `null`s and fields that were in
/// `original` but are no longer in `modified` removed.
pub fn merge(original: Option<&Value>, modified: &Value, current: &Value) -> Value {
    merge_field("", original, modified, current)
}

/// [`merge`] of the value of field `field` (lists merge by that field's patch merge key).
fn merge_field(field: &str, original: Option<&Value>, modified: &Value, current: &Value) -> Value {
    match (modified, current) {
        (Value::Object(m), Value::Object(c)) => {
            let o = original.and_then(Value::as_object);
            let mut out: Map<String, Value> = c.clone();
            if let Some(o) = o {
                for k in o.keys() {
                    if !m.contains_key(k) {
                        out.remove(k);
                    }
                }
            }
            for (k, mv) in m {
                if mv.is_null() {
                    out.remove(k);
                    continue;
                }
                let merged = match c.get(k) {
                    Some(cv) => merge_field(k, o.and_then(|o| o.get(k)), mv, cv),
                    None => strip_nulls(mv),
                };
                out.insert(k.clone(), merged);
            }
            Value::Object(out)
        }
        (Value::Array(m), Value::Array(c)) if !m.is_empty() => match merge_key(field, m, c) {
            Some(key) => {
                let o = original.and_then(Value::as_array);
                Value::Array(merge_keyed(key, o.map(Vec::as_slice), m, c))
            }
            None => strip_nulls(modified),
        },
        _ => strip_nulls(modified),
    }
}

/// The patch merge key of a list field (the `patchMergeKey` tags of k8s.io/api), when every
/// item of both lists has it: containers, env, volumes by `name`, container ports by
/// `containerPort`, service ports by `port`, volume mounts by `mountPath`.
fn merge_key(field: &str, m: &[Value], c: &[Value]) -> Option<&'static str> {
    let candidates: &[&'static str] = match field {
        "ports" => &["containerPort", "port"],
        "volumeMounts" => &["mountPath"],
        "hostAliases" => &["ip"],
        "conditions" => &["type"],
        "ownerReferences" => &["uid"],
        _ => &["name"],
    };
    candidates.iter().copied().find(|k| {
        m.iter()
            .chain(c.iter())
            .all(|i| i.get(*k).is_some_and(|v| !v.is_null()))
    })
}

/// Merges lists of keyed items: the manifest's items in its order, each merged with the live
/// item with the same key; live items the manifest never had (added by the server or other
/// commands) are kept after them; items applied before and now gone are dropped.
fn merge_keyed(key: &str, original: Option<&[Value]>, m: &[Value], c: &[Value]) -> Vec<Value> {
    let key_of = |v: &Value| v.get(key).cloned();
    let mut out = Vec::new();
    for mv in m {
        let k = key_of(mv);
        let ov = original.and_then(|o| o.iter().find(|x| key_of(x) == k));
        out.push(match c.iter().find(|x| key_of(x) == k) {
            Some(cv) => merge_field("", ov, mv, cv),
            None => strip_nulls(mv),
        });
    }
    for cv in c {
        let k = key_of(cv);
        let in_manifest = m.iter().any(|x| key_of(x) == k);
        let applied_before = original.is_some_and(|o| o.iter().any(|x| key_of(x) == k));
        if !in_manifest && !applied_before {
            out.push(cv.clone());
        }
    }
    out
}

/// A new subtree as the server stores it: `null` fields are absent.
fn strip_nulls(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(_, x)| !x.is_null())
                .map(|(k, x)| (k.clone(), strip_nulls(x)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(strip_nulls).collect()),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn three_way_merge_sets_keeps_and_removes() {
        let original = json!({"metadata": {"labels": {"a": "1", "gone": "x"}}, "spec": {"replicas": 2}});
        let modified = json!({"metadata": {"labels": {"a": "2"}}, "spec": {"replicas": 3}});
        let current = json!({"metadata": {"labels": {"a": "1", "gone": "x", "other": "y"}, "uid": "u"},
            "spec": {"replicas": 2, "strategy": {"type": "RollingUpdate"}}, "status": {"replicas": 2}});
        let merged = merge(Some(&original), &modified, &current);
        assert_eq!(
            merged,
            json!({"metadata": {"labels": {"a": "2", "other": "y"}, "uid": "u"},
                "spec": {"replicas": 3, "strategy": {"type": "RollingUpdate"}}, "status": {"replicas": 2}})
        );
    }

    #[test]
    fn named_lists_merge_by_name() {
        let original = json!([{"name": "a", "image": "x:1"}, {"name": "b", "image": "y"}]);
        let modified = json!([{"name": "a", "image": "x:2"}]);
        let current = json!([{"name": "a", "image": "x:1", "imagePullPolicy": "IfNotPresent"}, {"name": "b", "image": "y"}, {"name": "kube-api-access-x"}]);
        assert_eq!(
            merge(Some(&original), &modified, &current),
            json!([{"name": "a", "image": "x:2", "imagePullPolicy": "IfNotPresent"}, {"name": "kube-api-access-x"}])
        );
    }

    #[test]
    fn container_ports_merge_by_container_port() {
        let modified = json!({"ports": [{"containerPort": 80}]});
        let current = json!({"ports": [{"containerPort": 80, "protocol": "TCP"}]});
        assert_eq!(merge(Some(&modified), &modified, &current), current);
    }

    #[test]
    fn null_deletes() {
        let merged = merge(
            None,
            &json!({"metadata": {"creationTimestamp": null}}),
            &json!({"metadata": {"creationTimestamp": "t", "name": "x"}}),
        );
        assert_eq!(merged, json!({"metadata": {"name": "x"}}));
    }
}
