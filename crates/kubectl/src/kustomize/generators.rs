//! `configMapGenerator` and `secretGenerator`: a ConfigMap or Secret from `literals`, `files`
//! and `envs`, with the generator's and `generatorOptions`' labels and annotations, and a
//! content hash for the name unless `disableNameSuffixHash`.
//!
//! The hash is kubectl's `--append-hash` hash (`cmdutil::config_map_hash`) of the data with an
//! *empty* name: kustomize hashes the generated object before it is named, so the suffix does
//! not change when a prefix or suffix is added (`app-config-747dfcb89d` in a base and
//! `prod-app-config-v1-747dfcb89d` in an overlay), and differs from `kubectl create configmap
//! --append-hash` for the same data.

use super::Res;
use crate::commands::cmdutil;
use crate::commands::create::{base64, base_name, file_source};
use crate::vfiles;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// One generator entry of a kustomization in `dir`.
pub(super) fn generate(
    files: &BTreeMap<String, String>,
    dir: &str,
    g: &Value,
    global: &Value,
    secret: bool,
) -> Result<Res, String> {
    let name = g.get("name").and_then(Value::as_str).unwrap_or("").to_string();
    let strings = |field: &str| -> Vec<String> {
        g.get(field)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect()
    };
    let mut data: BTreeMap<String, String> = BTreeMap::new();
    let mut add = |k: String, v: String| -> Result<(), String> {
        if data.contains_key(&k) {
            return Err(format!("configmap {name} illegally repeats the key `{k}`"));
        }
        data.insert(k, v);
        Ok(())
    };
    let mut envs = strings("envs");
    if let Some(e) = g.get("env").and_then(Value::as_str) {
        envs.insert(0, e.to_string());
    }
    for env in envs {
        let path = vfiles::join(dir, &env);
        let Some(vfiles::Node::File(text)) = vfiles::stat(files, &path) else {
            return Err(missing(&env, &path));
        };
        for (k, v) in cmdutil::env_file_pairs(text) {
            if let Err(e) = crate::commands::create::env_var_name(k) {
                return Err(format!("\"{k}\" is not a valid key name: {e}"));
            }
            add(k.to_string(), v.to_string())?;
        }
    }
    for lit in strings("literals") {
        let Some((k, v)) = lit.split_once('=').filter(|(k, _)| !k.is_empty()) else {
            return Err(format!("invalid literal source {lit}, expected key=value"));
        };
        add(k.to_string(), unquote(v).to_string())?;
    }
    for f in strings("files") {
        let (key, rel) = file_source(&f)?;
        let path = vfiles::join(dir, &rel);
        let Some(vfiles::Node::File(text)) = vfiles::stat(files, &path) else {
            return Err(missing(&rel, &path));
        };
        add(key.unwrap_or_else(|| base_name(&rel)), text.to_string())?;
    }
    let option = |field: &str| -> Option<&Value> { g.pointer(&format!("/options/{field}")) };
    let merged = |field: &str| -> Map<String, Value> {
        let mut m = global
            .get(field)
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        if let Some(own) = option(field).and_then(Value::as_object) {
            m.extend(own.clone());
        }
        m
    };
    let no_hash = option("disableNameSuffixHash")
        .or_else(|| global.get("disableNameSuffixHash"))
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let immutable = option("immutable")
        .or_else(|| global.get("immutable"))
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let mut meta = Map::new();
    let annotations = merged("annotations");
    if !annotations.is_empty() {
        meta.insert("annotations".into(), Value::Object(annotations));
    }
    let labels = merged("labels");
    if !labels.is_empty() {
        meta.insert("labels".into(), Value::Object(labels));
    }
    meta.insert("name".into(), Value::String(name.clone()));
    if let Some(ns) = g.get("namespace").and_then(Value::as_str) {
        meta.insert("namespace".into(), Value::String(ns.to_string()));
    }
    let (mut value, hash) = if secret {
        let type_ = g.get("type").and_then(Value::as_str).unwrap_or("Opaque").to_string();
        let encoded: BTreeMap<String, String> = data.iter().map(|(k, v)| (k.clone(), base64(v.as_bytes()))).collect();
        let hash = cmdutil::secret_hash("", &type_, &encoded);
        let mut v = json!({ "apiVersion": "v1", "kind": "Secret", "metadata": meta, "type": type_ });
        if !encoded.is_empty() {
            v["data"] = json!(encoded);
        }
        (v, hash)
    } else {
        let hash = cmdutil::config_map_hash("", &data);
        let mut v = json!({ "apiVersion": "v1", "kind": "ConfigMap", "metadata": meta });
        if !data.is_empty() {
            v["data"] = json!(data);
        }
        (v, hash)
    };
    if immutable {
        value["immutable"] = Value::Bool(true);
    }
    Ok(Res {
        value,
        original: name,
        hash: (!no_hash).then_some(hash),
    })
}

/// kustomize strips one pair of matching quotes around a literal's value (`x="a b"`).
fn unquote(v: &str) -> &str {
    for q in ['"', '\''] {
        if v.len() >= 2 && v.starts_with(q) && v.ends_with(q) {
            return &v[1..v.len() - 1];
        }
    }
    v
}

/// A generator's file that is not there.
fn missing(given: &str, path: &str) -> String {
    format!("evalsymlink failure on '{path}' : lstat {given}: no such file or directory")
}
