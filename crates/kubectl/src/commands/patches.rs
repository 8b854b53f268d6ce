//! The three patch formats of `kubectl patch`, as pure functions on JSON values with the error
//! texts of the Go libraries kubectl and the API server use:
//!
//! * [`strategic`]: strategic merge patch (apimachinery `strategicpatch`): maps merge key by
//!   key and `null` deletes; lists the Kubernetes types tag `patchStrategy: merge` merge item by
//!   item on their merge key (containers, env, volumes by `name`, container ports by
//!   `containerPort`, service ports by `port`…) with the library's ordering (live items keep
//!   their order, patch items not in the live list go before the live items that follow
//!   them); other lists are replaced. The `$patch: delete|replace` directives work;
//!   `$retainKeys`, `$setElementOrder` and `$deleteFromPrimitiveList` (written by `kubectl
//!   apply`, rarely by hand) are dropped.
//! * [`merge`]: JSON merge patch, RFC 7386 (evanphx/json-patch `MergePatch`).
//! * [`json_patch`]: JSON patch, RFC 6902 (evanphx/json-patch v4, as vendored by kubectl
//!   v1.32), including its quirks: `replace` of a missing object key adds it, a path without
//!   a leading `/` is read from its second segment, negative array indices count from the end.

use kubelab_engine::sort::CompactSort;
use serde_json::{Map, Value};

// ---------------------------------------------------------------------------------------------
// Strategic merge patch
// ---------------------------------------------------------------------------------------------

/// Why a strategic merge patch failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SmpError {
    /// `mergepatch.ErrBadJSONDoc`: the patch is not a JSON object (BadRequest on a server).
    BadDoc,
    /// A list item without its merge key (the server's plain `Error from server: …`).
    NoMergeKey(String),
}

impl SmpError {
    pub fn message(&self) -> String {
        match self {
            SmpError::BadDoc => "invalid JSON document".into(),
            SmpError::NoMergeKey(m) => m.clone(),
        }
    }
}

/// Applies a strategic merge patch to `original`.
pub fn strategic(original: &Value, patch: &Value) -> Result<Value, SmpError> {
    match patch {
        Value::Null => Ok(original.clone()),
        Value::Object(p) => {
            let o = original.as_object().cloned().unwrap_or_default();
            Ok(merge_map(o, p)?.map(Value::Object).unwrap_or(Value::Null))
        }
        _ => Err(SmpError::BadDoc),
    }
}

/// The merge key of a list field whose Go type is tagged `patchStrategy: merge`, decided from
/// the field's name and, for `ports`, the items' shape. `Some("")` is a merged list of
/// scalars (`finalizers`).
fn merge_key(field: &str, items: &[Value]) -> Option<&'static str> {
    Some(match field {
        "containers"
        | "initContainers"
        | "ephemeralContainers"
        | "volumes"
        | "env"
        | "imagePullSecrets"
        | "resourceClaims" => "name",
        "ports" => {
            if items.iter().any(|i| i.get("containerPort").is_some()) {
                "containerPort"
            } else {
                "port"
            }
        }
        "volumeMounts" => "mountPath",
        "volumeDevices" => "devicePath",
        "hostAliases" => "ip",
        "conditions" | "addresses" => "type",
        "ownerReferences" => "uid",
        "topologySpreadConstraints" => "topologyKey",
        "finalizers" => "",
        _ => return None,
    })
}

fn is_directive(k: &str) -> bool {
    k.starts_with('$')
}

/// `mergeMap`: `None` when the patch deletes the whole map (`$patch: delete`).
fn merge_map(
    mut original: Map<String, Value>,
    patch: &Map<String, Value>,
) -> Result<Option<Map<String, Value>>, SmpError> {
    match patch.get("$patch").and_then(Value::as_str) {
        Some("replace") => {
            return Ok(Some(strip(patch)));
        }
        Some("delete") => return Ok(None),
        _ => {}
    }
    for (k, pv) in patch {
        if is_directive(k) {
            continue;
        }
        if pv.is_null() {
            original.remove(k);
            continue;
        }
        let merged = match (original.get(k), pv) {
            (Some(Value::Object(ov)), Value::Object(pm)) => match merge_map(ov.clone(), pm)? {
                Some(m) => Value::Object(m),
                None => {
                    original.remove(k);
                    continue;
                }
            },
            (ov, Value::Array(pa)) => match merge_key(k, pa) {
                Some(key) => {
                    let oa = ov.and_then(Value::as_array).cloned().unwrap_or_default();
                    Value::Array(merge_list(oa, pa, key)?)
                }
                None => clean(pv),
            },
            (_, Value::Object(pm)) => match merge_map(Map::new(), pm)? {
                Some(m) => Value::Object(m),
                None => continue,
            },
            _ => clean(pv),
        };
        original.insert(k.clone(), merged);
    }
    Ok(Some(original))
}

/// A patch subtree as it lands in the object: directives removed.
fn clean(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(strip(m)),
        Value::Array(a) => Value::Array(a.iter().map(clean).collect()),
        other => other.clone(),
    }
}

fn strip(m: &Map<String, Value>) -> Map<String, Value> {
    m.iter()
        .filter(|(k, _)| !is_directive(k))
        .map(|(k, v)| (k.clone(), clean(v)))
        .collect()
}

/// `mergeSlice` for a list with a merge key (or a merged list of scalars when `key` is empty).
fn merge_list(original: Vec<Value>, patch: &[Value], key: &str) -> Result<Vec<Value>, SmpError> {
    if key.is_empty() {
        let mut out = original;
        for p in patch {
            if !out.contains(p) {
                out.push(p.clone());
            }
        }
        return Ok(out);
    }
    // `$patch: replace` anywhere in the list replaces it with the other items.
    if patch
        .iter()
        .any(|p| p.get("$patch").and_then(Value::as_str) == Some("replace"))
    {
        return Ok(patch.iter().filter(|p| p.get("$patch").is_none()).map(clean).collect());
    }
    let key_of = |v: &Value| v.get(key).cloned();
    let mut deleted = Vec::new();
    let mut right: Vec<Value> = Vec::new();
    for p in patch {
        let Some(pm) = p.as_object() else {
            right.push(p.clone());
            continue;
        };
        let Some(k) = key_of(p) else {
            return Err(SmpError::NoMergeKey(format!(
                "map: {} does not contain declared merge key: {key}",
                go_map(p)
            )));
        };
        if pm.get("$patch").and_then(Value::as_str) == Some("delete") {
            deleted.push(k);
            continue;
        }
        let merged = match original.iter().find(|o| key_of(o).as_ref() == Some(&k)) {
            Some(Value::Object(om)) => merge_map(om.clone(), pm)?.map(Value::Object),
            _ => Some(clean(p)),
        };
        if let Some(m) = merged {
            right.retain(|r| key_of(r).as_ref() != Some(&k));
            right.push(m);
        }
    }
    let in_patch = |v: &Value| {
        let k = key_of(v);
        k.is_some() && (deleted.contains(k.as_ref().unwrap()) || right.iter().any(|r| key_of(r) == k))
    };
    let left: Vec<Value> = original.iter().filter(|o| !in_patch(o)).cloned().collect();
    Ok(merge_sorted(left, right, &original, key))
}

/// `mergeSortedSlice`: interleaves the live-only items (`left`) with the patch's items
/// (`right`), keeping each list's order; a live item goes first only when both it and the
/// patch item are in the live list and it comes earlier there.
fn merge_sorted(left: Vec<Value>, right: Vec<Value>, server: &[Value], key: &str) -> Vec<Value> {
    let index = |v: &Value| {
        let k = v.get(key);
        server.iter().position(|s| s.get(key) == k)
    };
    let mut out = Vec::with_capacity(left.len() + right.len());
    let (mut i, mut j) = (0, 0);
    while i < left.len() || j < right.len() {
        let take_left = if i >= left.len() {
            false
        } else if j >= right.len() {
            true
        } else {
            matches!((index(&left[i]), index(&right[j])), (Some(l), Some(r)) if l < r)
        };
        if take_left {
            out.push(left[i].clone());
            i += 1;
        } else {
            out.push(right[j].clone());
            j += 1;
        }
    }
    out
}

/// Go's `%v` of a decoded JSON map (`map[image:nope]`), as apimachinery's errors print it.
fn go_map(v: &Value) -> String {
    match v {
        Value::Null => "<nil>".into(),
        Value::String(s) => s.clone(),
        Value::Array(a) => format!("[{}]", a.iter().map(go_map).collect::<Vec<_>>().join(" ")),
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.compact_sort();
            let items: Vec<String> = keys.iter().map(|k| format!("{k}:{}", go_map(&m[*k]))).collect();
            format!("map[{}]", items.join(" "))
        }
        other => other.to_string(),
    }
}

// ---------------------------------------------------------------------------------------------
// JSON merge patch
// ---------------------------------------------------------------------------------------------

/// Applies an RFC 7386 merge patch. Errors are the library's (`Invalid JSON Patch` for a
/// `null` or scalar patch). A patch that is an array replaces the whole document, which then
/// cannot be an object (the caller reports that).
pub fn merge(original: &Value, patch: &Value) -> Result<Value, String> {
    match patch {
        Value::Object(p) => {
            let mut doc = original.clone();
            merge_into(&mut doc, p);
            Ok(doc)
        }
        Value::Array(a) => Ok(Value::Array(a.iter().map(prune_nulls).collect())),
        _ => Err("Invalid JSON Patch".into()),
    }
}

fn merge_into(doc: &mut Value, patch: &Map<String, Value>) {
    if !doc.is_object() {
        *doc = Value::Object(Map::new());
    }
    let Value::Object(d) = doc else { return };
    for (k, pv) in patch {
        match pv {
            Value::Null => {
                d.remove(k);
            }
            Value::Object(pm) => {
                let entry = d.entry(k.clone()).or_insert(Value::Null);
                merge_into(entry, pm);
            }
            other => {
                d.insert(k.clone(), prune_nulls(other));
            }
        }
    }
}

fn prune_nulls(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(_, x)| !x.is_null())
                .map(|(k, x)| (k.clone(), prune_nulls(x)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(prune_nulls).collect()),
        other => other.clone(),
    }
}

// ---------------------------------------------------------------------------------------------
// JSON patch
// ---------------------------------------------------------------------------------------------

/// Why a JSON patch failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum JsonPatchError {
    /// The patch is not a list of operations (`DecodePatch`, BadRequest on a server).
    Decode(String),
    /// An operation does not apply (the server answers 422, `The request is invalid`).
    Apply(String),
}

/// Go's name for a JSON value's type in `json: cannot unmarshal …` errors.
fn go_json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Applies an RFC 6902 patch the way evanphx/json-patch v4 does.
pub fn json_patch(doc: &Value, patch: &Value) -> Result<Value, JsonPatchError> {
    let ops: Vec<&Map<String, Value>> = match patch {
        Value::Null => Vec::new(),
        Value::Array(a) => {
            let mut ops = Vec::new();
            for item in a {
                match item {
                    Value::Object(m) => ops.push(m),
                    Value::Null => {}
                    other => {
                        return Err(JsonPatchError::Decode(format!(
                            "json: cannot unmarshal {} into Go value of type jsonpatch.Operation",
                            go_json_type(other)
                        )))
                    }
                }
            }
            ops
        }
        other => {
            return Err(JsonPatchError::Decode(format!(
                "json: cannot unmarshal {} into Go value of type jsonpatch.Patch",
                go_json_type(other)
            )))
        }
    };
    let mut doc = doc.clone();
    for op in ops {
        apply_op(&mut doc, op).map_err(JsonPatchError::Apply)?;
    }
    Ok(doc)
}

const MISSING: &str = "missing value";
const INVALID_INDEX: &str = "invalid index referenced";

fn str_field(op: &Map<String, Value>, f: &str) -> Result<String, ()> {
    match op.get(f) {
        Some(Value::String(s)) => Ok(s.clone()),
        _ => Err(()),
    }
}

fn apply_op(doc: &mut Value, op: &Map<String, Value>) -> Result<(), String> {
    let kind = op.get("op").and_then(Value::as_str).unwrap_or("unknown");
    let value = op.get("value").cloned().unwrap_or(Value::Null);
    let path = || str_field(op, "path");
    let from = || str_field(op, "from");
    match kind {
        "add" => {
            let path = path().map_err(|_| format!("add operation failed to decode path: {MISSING}"))?;
            let (con, key) = find(doc, &path)
                .ok_or_else(|| format!("add operation does not apply: doc is missing path: \"{path}\": {MISSING}"))?;
            add(con, &key, value).map_err(|e| format!("error in add for path: '{path}': {e}"))
        }
        "remove" => {
            let path = path().map_err(|_| format!("remove operation failed to decode path: {MISSING}"))?;
            let (con, key) = find(doc, &path).ok_or_else(|| {
                format!("remove operation does not apply: doc is missing path: \"{path}\": {MISSING}")
            })?;
            remove(con, &key)
                .map(|_| ())
                .map_err(|e| format!("error in remove for path: '{path}': {e}"))
        }
        "replace" => {
            let path = path().map_err(|_| format!("replace operation failed to decode path: {MISSING}"))?;
            if path.is_empty() {
                if value.is_object() || value.is_array() {
                    *doc = value;
                }
                return Ok(());
            }
            let (con, key) = find(doc, &path)
                .ok_or_else(|| format!("replace operation does not apply: doc is missing path: {path}: {MISSING}"))?;
            if get(con, &key).is_err() {
                return Err(format!(
                    "replace operation does not apply: doc is missing key: {path}: {MISSING}"
                ));
            }
            set(con, &key, value).map_err(|e| format!("error in remove for path: '{path}': {e}"))
        }
        "move" => {
            let from = from().map_err(|_| format!("move operation failed to decode from: {MISSING}"))?;
            let (con, key) = find(doc, &from)
                .ok_or_else(|| format!("move operation does not apply: doc is missing from path: {from}: {MISSING}"))?;
            get(con, &key).map_err(|e| format!("error in move for path: '{key}': {e}"))?;
            let val = remove(con, &key).map_err(|e| format!("error in move for path: '{key}': {e}"))?;
            let path = path().map_err(|_| format!("move operation failed to decode path: {MISSING}"))?;
            let (con, key) = find(doc, &path).ok_or_else(|| {
                format!("move operation does not apply: doc is missing destination path: {path}: {MISSING}")
            })?;
            add(con, &key, val).map_err(|e| format!("error in move for path: '{path}': {e}"))
        }
        "copy" => {
            let from = from().map_err(|_| format!("copy operation failed to decode from: {MISSING}"))?;
            let (con, key) = find(doc, &from)
                .ok_or_else(|| format!("copy operation does not apply: doc is missing from path: {from}: {MISSING}"))?;
            let val = get(con, &key)
                .map_err(|e| format!("error in copy for from: '{from}': {e}"))?
                .cloned()
                .unwrap_or(Value::Null);
            let path = path().map_err(|_| format!("copy operation failed to decode path: {MISSING}"))?;
            let (con, key) = find(doc, &path).ok_or_else(|| {
                format!("copy operation does not apply: doc is missing destination path: {path}: {MISSING}")
            })?;
            add(con, &key, val).map_err(|e| format!("error while adding value during copy: {e}"))
        }
        "test" => {
            let path = path().map_err(|_| format!("test operation failed to decode path: {MISSING}"))?;
            let failed = || format!("testing value {path} failed: test failed");
            if path.is_empty() {
                return if *doc == value { Ok(()) } else { Err(failed()) };
            }
            let (con, key) = find(doc, &path)
                .ok_or_else(|| format!("test operation does not apply: is missing path: {path}: {MISSING}"))?;
            let found = get(con, &key).map_err(|e| format!("error in test for path: '{path}': {e}"))?;
            match found.filter(|v| !v.is_null()) {
                None if value.is_null() => Ok(()),
                Some(v) if json_equal(v, &value) => Ok(()),
                _ => Err(failed()),
            }
        }
        other => Err(format!("Unexpected kind: {other}")),
    }
}

/// Numbers compare by value (`1` equals `1.0`), like the library's `lazyNode.equal`.
fn json_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(p, q)| json_equal(p, q)),
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| json_equal(v, w)))
        }
        _ => a == b,
    }
}

/// `~1` is `/`, `~0` is `~`.
fn decode_key(k: &str) -> String {
    k.replace("~1", "/").replace("~0", "~")
}

/// `findObject`: the container of the path's last segment and that segment. Intermediate
/// segments must name existing objects or arrays (a `null` counts as missing).
fn find<'a>(doc: &'a mut Value, path: &str) -> Option<(&'a mut Value, String)> {
    let split: Vec<&str> = path.split('/').collect();
    if split.len() < 2 {
        return None;
    }
    let key = decode_key(split[split.len() - 1]);
    let mut cur = doc;
    for part in &split[1..split.len() - 1] {
        let part = decode_key(part);
        let next = match cur {
            Value::Object(m) => m.get_mut(&part),
            Value::Array(a) => {
                let i = array_index(&part, a.len(), false).ok()?;
                a.get_mut(i)
            }
            _ => None,
        }?;
        if !(next.is_object() || next.is_array()) {
            return None;
        }
        cur = next;
    }
    if cur.is_object() || cur.is_array() {
        Some((cur, key))
    } else {
        None
    }
}

/// An array index: Go's `strconv.Atoi`, negative indices counting from the end; `len` is the
/// size the index must stay below (`inclusive` allows `len` itself, for insertions).
fn array_index(key: &str, len: usize, inclusive: bool) -> Result<usize, String> {
    let idx = super::cmdutil::atoi(key)?;
    let limit = if inclusive { len + 1 } else { len } as i64;
    let bad = || format!("Unable to access invalid index: {idx}: {INVALID_INDEX}");
    if idx >= limit {
        return Err(bad());
    }
    let idx = if idx < 0 {
        if idx < -limit {
            return Err(bad());
        }
        idx + limit
    } else {
        idx
    };
    Ok(idx as usize)
}

fn get<'a>(con: &'a Value, key: &str) -> Result<Option<&'a Value>, String> {
    match con {
        Value::Object(m) => Ok(m.get(key)),
        Value::Array(a) => {
            let i = array_index(key, a.len(), false)?;
            Ok(a.get(i))
        }
        _ => Ok(None),
    }
}

fn add(con: &mut Value, key: &str, val: Value) -> Result<(), String> {
    match con {
        Value::Object(m) => {
            m.insert(key.to_string(), val);
            Ok(())
        }
        Value::Array(a) => {
            if key == "-" {
                a.push(val);
                return Ok(());
            }
            let i = array_index(key, a.len(), true).map_err(|e| {
                if e.starts_with("strconv") {
                    format!("value was not a proper array index: '{key}': {e}")
                } else {
                    e
                }
            })?;
            a.insert(i, val);
            Ok(())
        }
        _ => Ok(()),
    }
}

fn set(con: &mut Value, key: &str, val: Value) -> Result<(), String> {
    match con {
        Value::Object(m) => {
            m.insert(key.to_string(), val);
            Ok(())
        }
        Value::Array(a) => {
            let i = array_index(key, a.len(), false)?;
            a[i] = val;
            Ok(())
        }
        _ => Ok(()),
    }
}

fn remove(con: &mut Value, key: &str) -> Result<Value, String> {
    match con {
        Value::Object(m) => m
            .remove(key)
            .ok_or_else(|| format!("Unable to remove nonexistent key: {key}: {MISSING}")),
        Value::Array(a) => {
            let i = array_index(key, a.len(), false)?;
            Ok(a.remove(i))
        }
        _ => Err(format!("Unable to remove nonexistent key: {key}: {MISSING}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn deploy() -> Value {
        json!({"spec": {"replicas": 2, "template": {"spec": {"containers": [
            {"name": "nginx", "image": "nginx:1.27", "env": [{"name": "MODE", "value": "prod"}]},
            {"name": "side", "image": "busybox"}
        ]}}}})
    }

    #[test]
    fn strategic_merges_containers_by_name_in_library_order() {
        let p = json!({"spec": {"template": {"spec": {"containers": [
            {"name": "side", "image": "busybox:1.36"}, {"name": "new", "image": "x"}]}}}});
        let got = strategic(&deploy(), &p).unwrap();
        let names: Vec<&str> = got
            .pointer("/spec/template/spec/containers")
            .unwrap()
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["nginx", "side", "new"]);
        // A new env var goes before the live ones (kubectl v1.32 prints NEW, then MODE).
        let p = json!({"spec": {"template": {"spec": {"containers": [
            {"name": "nginx", "env": [{"name": "NEW", "value": "1"}]}]}}}});
        let got = strategic(&deploy(), &p).unwrap();
        assert_eq!(
            got.pointer("/spec/template/spec/containers/0/env").unwrap(),
            &json!([{"name": "NEW", "value": "1"}, {"name": "MODE", "value": "prod"}])
        );
    }

    #[test]
    fn strategic_directives_and_errors() {
        let p = json!({"spec": {"template": {"spec": {"containers": [{"name": "side", "$patch": "delete"}]}}}});
        let got = strategic(&deploy(), &p).unwrap();
        assert_eq!(
            got.pointer("/spec/template/spec/containers")
                .unwrap()
                .as_array()
                .unwrap()
                .len(),
            1
        );
        let p = json!({"spec": {"template": {"spec": {"containers": [{"image": "nope"}]}}}});
        assert_eq!(
            strategic(&deploy(), &p),
            Err(SmpError::NoMergeKey(
                "map: map[image:nope] does not contain declared merge key: name".into()
            ))
        );
        assert_eq!(strategic(&deploy(), &json!([1])), Err(SmpError::BadDoc));
        assert_eq!(
            strategic(&deploy(), &json!({"spec": {"replicas": null}}))
                .unwrap()
                .pointer("/spec/replicas"),
            None
        );
    }

    #[test]
    fn merge_patch_replaces_lists() {
        let p = json!({"spec": {"template": {"spec": {"containers": [{"name": "side"}]}}}});
        let got = merge(&deploy(), &p).unwrap();
        assert_eq!(
            got.pointer("/spec/template/spec/containers").unwrap(),
            &json!([{"name": "side"}])
        );
        assert_eq!(merge(&deploy(), &json!("x")), Err("Invalid JSON Patch".into()));
    }

    #[test]
    fn json_patch_like_v4() {
        let p = json!([{"op": "replace", "path": "/spec/replicas", "value": 5},
                       {"op": "remove", "path": "/spec/template/spec/containers/1"},
                       {"op": "add", "path": "/spec/template/spec/containers/-", "value": {"name": "z"}},
                       {"op": "test", "path": "/spec/replicas", "value": 5}]);
        let got = json_patch(&deploy(), &p).unwrap();
        assert_eq!(got["spec"]["replicas"], json!(5));
        assert_eq!(got.pointer("/spec/template/spec/containers/1/name"), Some(&json!("z")));
        let err = |p: Value| match json_patch(&deploy(), &p) {
            Err(JsonPatchError::Apply(m)) | Err(JsonPatchError::Decode(m)) => m,
            Ok(_) => String::new(),
        };
        assert_eq!(
            err(json!([{"op": "remove", "path": "/spec/nothere"}])),
            "error in remove for path: '/spec/nothere': Unable to remove nonexistent key: nothere: missing value"
        );
        assert_eq!(
            err(json!([{"op": "add", "path": "/spec/a/b", "value": 1}])),
            "add operation does not apply: doc is missing path: \"/spec/a/b\": missing value"
        );
        assert_eq!(err(json!([{"op": "add", "path": "/spec/template/spec/containers/5", "value": {}}])),
            "error in add for path: '/spec/template/spec/containers/5': Unable to access invalid index: 5: invalid index referenced");
        assert_eq!(
            err(json!({"op": "add"})),
            "json: cannot unmarshal object into Go value of type jsonpatch.Patch"
        );
        assert_eq!(err(json!([{"op": "frob"}])), "Unexpected kind: frob");
        assert_eq!(
            err(json!([{"op": "move", "from": "/spec/x", "path": "/spec/y"}])),
            "error in move for path: 'x': Unable to remove nonexistent key: x: missing value"
        );
        // v4: replacing a missing object key adds it.
        assert!(json_patch(
            &deploy(),
            &json!([{"op": "replace", "path": "/spec/paused", "value": true}])
        )
        .is_ok());
    }
}
