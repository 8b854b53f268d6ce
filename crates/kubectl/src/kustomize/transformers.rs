//! kustomize's built-in transformers, in the order kustomize runs them over a kustomization's
//! objects (`namespace`, `namePrefix`/`nameSuffix`, `commonLabels`/`labels`,
//! `commonAnnotations`, `images`, `replicas`), and the final pass of a top-level build: hash
//! suffixes, name references, legacy sort.

use super::Res;
use kubelab_engine::sort::CompactSort;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// Kinds that are not namespaced: `namespace:` leaves them alone.
const CLUSTER_SCOPED: &[&str] = &[
    "Namespace",
    "Node",
    "PersistentVolume",
    "StorageClass",
    "ClusterRole",
    "ClusterRoleBinding",
    "CustomResourceDefinition",
    "PriorityClass",
    "IngressClass",
    "MutatingWebhookConfiguration",
    "ValidatingWebhookConfiguration",
    "APIService",
    "CSIDriver",
    "RuntimeClass",
];

/// The pod template paths of the workload kinds (`commonLabels` adds to template labels,
/// images and references are looked up in their pod specs).
fn templates(kind: &str) -> &'static [&'static str] {
    match kind {
        "Deployment" | "ReplicaSet" | "StatefulSet" | "DaemonSet" | "Job" | "ReplicationController" => {
            &["/spec/template"]
        }
        "CronJob" => &["/spec/jobTemplate/spec/template"],
        _ => &[],
    }
}

/// Pod specs inside an object.
fn pod_specs(v: &mut Value) -> Vec<&mut Value> {
    let kind = v.get("kind").and_then(Value::as_str).unwrap_or("").to_string();
    if kind == "Pod" {
        return v.get_mut("spec").into_iter().collect();
    }
    match templates(&kind).first() {
        Some(t) => v.pointer_mut(&format!("{t}/spec")).into_iter().collect(),
        None => Vec::new(),
    }
}

/// Where a label selector lives for kinds whose selector follows `commonLabels`.
fn selector_path(kind: &str) -> Option<&'static str> {
    match kind {
        "Service" | "ReplicationController" => Some("/spec/selector"),
        "Deployment" | "ReplicaSet" | "StatefulSet" | "DaemonSet" | "PodDisruptionBudget" => {
            Some("/spec/selector/matchLabels")
        }
        "NetworkPolicy" => Some("/spec/podSelector/matchLabels"),
        _ => None,
    }
}

fn string_map(v: Option<&Value>) -> Map<String, Value> {
    v.and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .map(|(k, v)| {
                    let s = match v {
                        Value::String(s) => s.clone(),
                        Value::Null => String::new(),
                        other => other.to_string(),
                    };
                    (k.clone(), Value::String(s))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Adds `pairs` to the map at `path` (created when missing).
fn add_to(v: &mut Value, path: &str, pairs: &Map<String, Value>) {
    if pairs.is_empty() {
        return;
    }
    let mut cur = v;
    for part in path.trim_start_matches('/').split('/') {
        if !cur.is_object() {
            return;
        }
        cur = cur
            .as_object_mut()
            .map(|m| m.entry(part.to_string()).or_insert_with(|| Value::Object(Map::new())))
            .expect("checked object");
    }
    if let Some(m) = cur.as_object_mut() {
        for (k, val) in pairs {
            m.insert(k.clone(), val.clone());
        }
    }
}

/// Sets one field of the map at `path` (created when missing); objects of the wrong shape are
/// left alone, for the API server to refuse.
fn set(v: &mut Value, path: &str, field: &str, value: Value) {
    add_to(v, path, &Map::from_iter([(field.to_string(), value)]));
}

/// Runs a kustomization's transformers over its objects.
pub(super) fn apply(out: &mut [Res], k: &Map<String, Value>) -> Result<(), String> {
    if let Some(ns) = k.get("namespace").and_then(Value::as_str).filter(|n| !n.is_empty()) {
        for r in out.iter_mut() {
            if !CLUSTER_SCOPED.contains(&r.kind()) {
                add_to(
                    &mut r.value,
                    "/metadata",
                    &Map::from_iter([("namespace".to_string(), Value::String(ns.into()))]),
                );
            }
        }
    }
    let prefix = k.get("namePrefix").and_then(Value::as_str).unwrap_or("");
    let suffix = k.get("nameSuffix").and_then(Value::as_str).unwrap_or("");
    if !prefix.is_empty() || !suffix.is_empty() {
        for r in out.iter_mut() {
            if matches!(r.kind(), "Namespace" | "CustomResourceDefinition") {
                continue;
            }
            let name = format!("{prefix}{}{suffix}", r.name());
            set(&mut r.value, "/metadata", "name", Value::String(name));
        }
    }
    // `commonLabels` go everywhere, selectors included; `labels` entries only where they ask.
    let mut label_sets: Vec<(Map<String, Value>, bool, bool)> = Vec::new();
    let common = string_map(k.get("commonLabels"));
    if !common.is_empty() {
        label_sets.push((common, true, true));
    }
    for l in k.get("labels").and_then(Value::as_array).into_iter().flatten() {
        let selectors = l.get("includeSelectors").and_then(Value::as_bool).unwrap_or(false);
        let templates = l.get("includeTemplates").and_then(Value::as_bool).unwrap_or(false);
        label_sets.push((string_map(l.get("pairs")), selectors, selectors || templates));
    }
    for (pairs, selectors, in_templates) in &label_sets {
        for r in out.iter_mut() {
            let kind = r.kind().to_string();
            add_to(&mut r.value, "/metadata/labels", pairs);
            if *in_templates {
                for t in templates(&kind) {
                    add_to(&mut r.value, &format!("{t}/metadata/labels"), pairs);
                }
                if kind == "CronJob" {
                    add_to(&mut r.value, "/spec/jobTemplate/metadata/labels", pairs);
                }
                if kind == "StatefulSet" {
                    if let Some(list) = r
                        .value
                        .pointer_mut("/spec/volumeClaimTemplates")
                        .and_then(Value::as_array_mut)
                    {
                        for t in list {
                            add_to(t, "/metadata/labels", pairs);
                        }
                    }
                }
            }
            if *selectors {
                if let Some(p) = selector_path(&kind) {
                    add_to(&mut r.value, p, pairs);
                }
            }
        }
    }
    let annotations = string_map(k.get("commonAnnotations"));
    if !annotations.is_empty() {
        for r in out.iter_mut() {
            let kind = r.kind().to_string();
            add_to(&mut r.value, "/metadata/annotations", &annotations);
            for t in templates(&kind) {
                add_to(&mut r.value, &format!("{t}/metadata/annotations"), &annotations);
            }
            if kind == "CronJob" {
                add_to(&mut r.value, "/spec/jobTemplate/metadata/annotations", &annotations);
            }
        }
    }
    for img in k.get("images").and_then(Value::as_array).into_iter().flatten() {
        let Some(name) = img.get("name").and_then(Value::as_str) else {
            continue;
        };
        for r in out.iter_mut() {
            for spec in pod_specs(&mut r.value) {
                for list in ["initContainers", "containers"] {
                    for c in spec.get_mut(list).and_then(Value::as_array_mut).into_iter().flatten() {
                        let Some(current) = c.get("image").and_then(Value::as_str) else {
                            continue;
                        };
                        if let Some(new) = retag(current, name, img) {
                            c["image"] = Value::String(new);
                        }
                    }
                }
            }
        }
    }
    for rep in k.get("replicas").and_then(Value::as_array).into_iter().flatten() {
        let (Some(name), Some(count)) = (rep.get("name").and_then(Value::as_str), rep.get("count")) else {
            continue;
        };
        for r in out.iter_mut() {
            if r.name() == name
                && matches!(
                    r.kind(),
                    "Deployment" | "ReplicaSet" | "StatefulSet" | "ReplicationController"
                )
            {
                set(&mut r.value, "/spec", "replicas", count.clone());
            }
        }
    }
    Ok(())
}

/// Splits `repo[:tag][@digest]` (a registry port is not a tag).
fn split_image(image: &str) -> (&str, &str) {
    if let Some(i) = image.find('@') {
        return (&image[..i], &image[i..]);
    }
    let slash = image.rfind('/').map(|i| i + 1).unwrap_or(0);
    match image[slash..].find(':') {
        Some(i) => (&image[..slash + i], &image[slash + i..]),
        None => (image, ""),
    }
}

/// The `images` transformer for one container image: `newName`, then `digest` or `newTag`
/// (a digest wins), the old tag kept when neither is given.
fn retag(current: &str, name: &str, img: &Value) -> Option<String> {
    let (repo, tag) = split_image(current);
    if repo != name {
        return None;
    }
    let repo = img.get("newName").and_then(Value::as_str).unwrap_or(repo);
    let tag = if let Some(d) = img.get("digest").and_then(Value::as_str) {
        format!("@{d}")
    } else if let Some(t) = img.get("newTag") {
        let t = match t {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        format!(":{t}")
    } else {
        tag.to_string()
    };
    Some(format!("{repo}{tag}"))
}

/// Kind order of kustomize's legacy sort (`resid.orderFirst`, `orderLast`).
const ORDER_FIRST: &[&str] = &[
    "Namespace",
    "ResourceQuota",
    "StorageClass",
    "CustomResourceDefinition",
    "ServiceAccount",
    "PodSecurityPolicy",
    "Role",
    "ClusterRole",
    "RoleBinding",
    "ClusterRoleBinding",
    "ConfigMap",
    "Secret",
    "Endpoints",
    "Service",
    "LimitRange",
    "PriorityClass",
    "PersistentVolume",
    "PersistentVolumeClaim",
    "Deployment",
    "StatefulSet",
    "CronJob",
    "PodDisruptionBudget",
];
const ORDER_LAST: &[&str] = &["MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"];

/// The legacy sort key: known kinds by rank, other kinds between them by group/version/kind,
/// then namespace and name.
fn sort_key(r: &Res) -> (usize, String, String, String) {
    let kind = r.kind();
    let rank = if let Some(i) = ORDER_FIRST.iter().position(|k| *k == kind) {
        i
    } else if let Some(i) = ORDER_LAST.iter().position(|k| *k == kind) {
        ORDER_FIRST.len() + 1 + i
    } else {
        ORDER_FIRST.len()
    };
    let gvk = if rank == ORDER_FIRST.len() {
        let av = r.value.get("apiVersion").and_then(Value::as_str).unwrap_or("");
        let (group, version) = av.rsplit_once('/').unwrap_or(("", av));
        format!("{group}_{version}_{kind}")
    } else {
        String::new()
    };
    let ns = r
        .value
        .pointer("/metadata/namespace")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    (rank, gvk, ns, r.name().to_string())
}

/// The end of a top-level build: generated names get their hash, references follow renames,
/// objects come out in legacy order.
pub(super) fn finish(out: &mut [Res]) {
    for r in out.iter_mut() {
        if let Some(h) = &r.hash {
            let name = format!("{}-{h}", r.name());
            set(&mut r.value, "/metadata", "name", Value::String(name));
        }
    }
    // (kind, name as declared) -> final name.
    let renames: BTreeMap<(String, String), String> = out
        .iter()
        .filter(|r| r.original != r.name())
        .map(|r| ((r.kind().to_string(), r.original.clone()), r.name().to_string()))
        .collect();
    if !renames.is_empty() {
        for r in out.iter_mut() {
            fix_references(&mut r.value, &renames);
        }
    }
    out.compact_sort_by_key(sort_key);
}

/// Points the references of one object (pod specs, StatefulSet service, Ingress backends,
/// claims to volumes) at renamed objects.
fn fix_references(v: &mut Value, renames: &BTreeMap<(String, String), String>) {
    let rename = |field: Option<&mut Value>, kind: &str| {
        if let Some(f) = field {
            if let Some(new) = f.as_str().and_then(|n| renames.get(&(kind.to_string(), n.to_string()))) {
                *f = Value::String(new.clone());
            }
        }
    };
    let kind = v.get("kind").and_then(Value::as_str).unwrap_or("").to_string();
    match kind.as_str() {
        "StatefulSet" => rename(v.pointer_mut("/spec/serviceName"), "Service"),
        "PersistentVolumeClaim" => rename(v.pointer_mut("/spec/volumeName"), "PersistentVolume"),
        "Ingress" => {
            rename(v.pointer_mut("/spec/defaultBackend/service/name"), "Service");
            for rule in v
                .pointer_mut("/spec/rules")
                .and_then(Value::as_array_mut)
                .into_iter()
                .flatten()
            {
                for p in rule
                    .pointer_mut("/http/paths")
                    .and_then(Value::as_array_mut)
                    .into_iter()
                    .flatten()
                {
                    rename(p.pointer_mut("/backend/service/name"), "Service");
                }
            }
            for t in v
                .pointer_mut("/spec/tls")
                .and_then(Value::as_array_mut)
                .into_iter()
                .flatten()
            {
                rename(t.get_mut("secretName"), "Secret");
            }
        }
        _ => {}
    }
    for spec in pod_specs(v) {
        rename(spec.get_mut("serviceAccountName"), "ServiceAccount");
        for s in spec
            .get_mut("imagePullSecrets")
            .and_then(Value::as_array_mut)
            .into_iter()
            .flatten()
        {
            rename(s.get_mut("name"), "Secret");
        }
        for vol in spec
            .get_mut("volumes")
            .and_then(Value::as_array_mut)
            .into_iter()
            .flatten()
        {
            rename(vol.pointer_mut("/configMap/name"), "ConfigMap");
            rename(vol.pointer_mut("/secret/secretName"), "Secret");
            rename(
                vol.pointer_mut("/persistentVolumeClaim/claimName"),
                "PersistentVolumeClaim",
            );
            for src in vol
                .pointer_mut("/projected/sources")
                .and_then(Value::as_array_mut)
                .into_iter()
                .flatten()
            {
                rename(src.pointer_mut("/configMap/name"), "ConfigMap");
                rename(src.pointer_mut("/secret/name"), "Secret");
            }
        }
        for list in ["initContainers", "containers", "ephemeralContainers"] {
            for c in spec.get_mut(list).and_then(Value::as_array_mut).into_iter().flatten() {
                for e in c.get_mut("env").and_then(Value::as_array_mut).into_iter().flatten() {
                    rename(e.pointer_mut("/valueFrom/configMapKeyRef/name"), "ConfigMap");
                    rename(e.pointer_mut("/valueFrom/secretKeyRef/name"), "Secret");
                }
                for e in c.get_mut("envFrom").and_then(Value::as_array_mut).into_iter().flatten() {
                    rename(e.pointer_mut("/configMapRef/name"), "ConfigMap");
                    rename(e.pointer_mut("/secretRef/name"), "Secret");
                }
            }
        }
    }
}
