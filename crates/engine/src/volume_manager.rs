//! The kubelet's volume manager: what each volume of a pod is before its containers start.
//!
//! - ConfigMap, Secret, downward API and projected volumes are *API data*: the kubelet writes
//!   their files into the pod (an atomic-writer directory, always mounted read-only) and
//!   rewrites them when the source changes (see [`resync_due`]).
//! - `persistentVolumeClaim` and `hostPath` volumes live outside the pod: their files are kept
//!   by data key ([`data_key`]) in the cluster, so they outlive the pod, are shared by every pod
//!   that mounts the same storage, and follow the volume's reclaim policy.
//! - Anything else (`emptyDir`, …) is a directory of the pod, gone with it.

use crate::api::*;
use crate::store::{ObjKey, Store};
use crate::time::SimTime;
use crate::vfs::{Entry, Layer};
use std::collections::BTreeMap;
use std::sync::Arc;

/// How often the kubelet's pod workers resync a running pod (`--sync-frequency`, 1 min). A
/// ConfigMap or Secret change reaches a pod's volume at its next resync: the kubelet's
/// watch-based cache has the new object at once, but nothing re-runs the pod's volume setup
/// until then. Real kubelets add up to 50% jitter to each resync (60–90 s); kubelab uses the
/// unjittered grid from the pod's admission, so `sleep 60` always sees the update and the same
/// script always prints the same thing.
pub const SYNC_PERIOD_MS: u64 = 60_000;

/// What one volume of a pod is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// API data projected into files; `from_pod` when every file comes from the pod itself
    /// (a `downwardAPI` volume), which a pod update re-projects at once.
    Projected { files: Layer, from_pod: bool },
    /// Storage outside the pod, by data key.
    Shared(String),
    /// A directory of the pod (`emptyDir` and the rest).
    Pod,
}

/// Why a volume cannot be set up yet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MountError {
    /// The `MountVolume.SetUp failed` cause: `configmap "x" not found`.
    Missing(String),
    /// A claim that is not (or no longer) bound: the kubelet waits without an event of its own.
    Unbound,
}

/// Where a PersistentVolume's files live. An NFS export is shared by every volume naming it; a
/// `hostPath` (local-path-provisioner's volumes are `hostPath` volumes pinned to one node) is a
/// directory of the node the pod runs on; anything else is the volume's own disk.
pub fn data_key(pv: &PersistentVolume, node: &str) -> String {
    if let Some(nfs) = &pv.spec.nfs {
        return format!("nfs:{}:{}", nfs.server, nfs.path);
    }
    if let Some(h) = &pv.spec.host_path {
        let pinned = crate::controllers::volume::volume_nodes(pv).and_then(|n| n.into_iter().next());
        return host_key(pinned.as_deref().unwrap_or(node), &h.path);
    }
    format!("pv:{}", pv.metadata.name)
}

/// A directory on a node (`hostPath`): each node has its own.
pub fn host_key(node: &str, path: &str) -> String {
    format!("host:{node}:{}", crate::vfs::normalize("/", path))
}

/// The data keys a volume's reclaim (`Delete`) removes: the volume's storage on every node it
/// may be on.
pub fn reclaimed_keys(pv: &PersistentVolume, nodes: &[String]) -> Vec<String> {
    if pv.spec.host_path.is_some() && crate::controllers::volume::volume_nodes(pv).is_none() {
        return nodes.iter().map(|n| data_key(pv, n)).collect();
    }
    vec![data_key(pv, "")]
}

/// What `v` of `pod` (running on `node`) is right now.
pub fn resolve(v: &Volume, pod: &Pod, node: &str, store: &Store) -> Result<Source, MountError> {
    let ns = pod.metadata.ns();
    if let Some(c) = v.source.get("persistentVolumeClaim") {
        let claim = c.get("claimName").and_then(|n| n.as_str()).unwrap_or("");
        let pv = store
            .get(&ObjKey::new(Kind::PersistentVolumeClaim, ns, claim))
            .and_then(|o| o.as_pvc())
            .and_then(|c| c.spec.volume_name.clone())
            .and_then(|n| store.get(&ObjKey::new(Kind::PersistentVolume, "", &n)).cloned());
        return match pv.as_deref().and_then(|o| o.as_pv()) {
            Some(pv) => Ok(Source::Shared(data_key(pv, node))),
            None => Err(MountError::Unbound),
        };
    }
    if let Some(h) = v.source.get("hostPath") {
        let path = h.get("path").and_then(|p| p.as_str()).unwrap_or("/");
        return Ok(Source::Shared(host_key(node, path)));
    }
    let mut files = Layer::default();
    let from_pod = if let Some(src) = v.source.get("configMap") {
        project_config(&mut files, src, ns, false, store)?;
        false
    } else if let Some(src) = v.source.get("secret") {
        project_config(&mut files, src, ns, true, store)?;
        false
    } else if let Some(src) = v.source.get("downwardAPI") {
        project_downward(&mut files, src, pod, store);
        true
    } else if let Some(src) = v.source.get("projected") {
        for s in src.get("sources").and_then(|s| s.as_array()).into_iter().flatten() {
            if let Some(c) = s.get("configMap") {
                project_config(&mut files, c, ns, false, store)?;
            } else if let Some(c) = s.get("secret") {
                project_config(&mut files, c, ns, true, store)?;
            } else if let Some(d) = s.get("downwardAPI") {
                project_downward(&mut files, d, pod, store);
            }
        }
        false
    } else {
        return Ok(Source::Pod);
    };
    Ok(Source::Projected { files, from_pod })
}

/// Whether a volume holds API data (and is therefore mounted read-only).
pub fn is_api_data(v: &Volume) -> bool {
    ["configMap", "secret", "downwardAPI", "projected"]
        .iter()
        .any(|k| v.source.contains_key(*k))
}

/// Whether volume `v` shows ConfigMap (or Secret, `secret`) `name`.
pub fn shows(v: &Volume, secret: bool, name: &str) -> bool {
    let (kind, field) = if secret {
        ("secret", "secretName")
    } else {
        ("configMap", "name")
    };
    let names = |src: &serde_json::Value, field: &str| src.get(field).and_then(|n| n.as_str()) == Some(name);
    v.source.get(kind).is_some_and(|s| names(s, field))
        || v.source
            .get("projected")
            .and_then(|p| p.get("sources"))
            .and_then(|s| s.as_array())
            .into_iter()
            .flatten()
            .any(|s| s.get(kind).is_some_and(|s| names(s, "name")))
}

/// Whether a volume writes the pod's labels or annotations (a pod update re-projects it).
pub fn shows_pod_metadata(v: &Volume) -> bool {
    v.source.contains_key("downwardAPI") || v.source.contains_key("projected")
}

/// The first resync of a pod admitted at `admitted` that comes after `now` (see
/// [`SYNC_PERIOD_MS`]).
pub fn resync_due(admitted: SimTime, now: SimTime) -> SimTime {
    let since = now.0.saturating_sub(admitted.0);
    SimTime(admitted.0 + (since / SYNC_PERIOD_MS + 1) * SYNC_PERIOD_MS)
}

/// Writes a file (and its parent directories) of a projection.
fn put(files: &mut Layer, path: &str, content: &str) {
    let full = crate::vfs::normalize("/", path);
    let mut dir = full.as_str();
    while let Some(i) = dir.rfind('/').filter(|i| *i > 0) {
        dir = &dir[..i];
        files.entries.insert(dir.to_string(), Entry::Dir);
    }
    files.entries.insert(full, Entry::File(Arc::from(content)));
}

/// A ConfigMap or Secret source: every key as a file, or only the `items` (key -> path).
fn project_config(
    files: &mut Layer,
    src: &serde_json::Value,
    ns: &str,
    secret: bool,
    store: &Store,
) -> Result<(), MountError> {
    let name_field = if secret { "secretName" } else { "name" };
    let name = src
        .get(name_field)
        .or_else(|| src.get("name"))
        .and_then(|n| n.as_str())
        .unwrap_or("");
    let optional = src.get("optional").and_then(|o| o.as_bool()).unwrap_or(false);
    let data = match crate::runtime::config_data(store, ns, name, secret) {
        Some(d) => d,
        None if optional => return Ok(()),
        None => {
            let what = if secret { "secret" } else { "configmap" };
            return Err(MountError::Missing(format!("{what} \"{name}\" not found")));
        }
    };
    let items: Vec<(&str, &str)> = src
        .get("items")
        .and_then(|i| i.as_array())
        .into_iter()
        .flatten()
        .filter_map(|i| Some((i.get("key")?.as_str()?, i.get("path")?.as_str()?)))
        .collect();
    if items.is_empty() {
        for (k, val) in &data {
            put(files, k, val);
        }
        return Ok(());
    }
    for (key, path) in items {
        match data.iter().find(|(k, _)| k == key) {
            Some((_, val)) => put(files, path, val),
            None if optional => {}
            None => {
                let what = if secret { "secret" } else { "configmap" };
                return Err(MountError::Missing(format!(
                    "{what} references non-existent {} key: {key}",
                    if secret { "secret" } else { "config" }
                )));
            }
        }
    }
    Ok(())
}

/// A downward API source: `items` of `fieldRef` (labels and annotations as `key="value"`
/// lines) and `resourceFieldRef`.
fn project_downward(files: &mut Layer, src: &serde_json::Value, pod: &Pod, store: &Store) {
    for item in src.get("items").and_then(|i| i.as_array()).into_iter().flatten() {
        let Some(path) = item.get("path").and_then(|p| p.as_str()) else {
            continue;
        };
        let value = if let Some(f) = item.pointer("/fieldRef/fieldPath").and_then(|f| f.as_str()) {
            match f {
                "metadata.labels" => format_map(&pod.metadata.labels),
                "metadata.annotations" => format_map(&pod.metadata.annotations),
                _ => crate::runtime::field_ref(pod, f, pod.status.pod_ip.as_deref().unwrap_or("")),
            }
        } else if let Some(r) = item.get("resourceFieldRef") {
            crate::runtime::resource_field_ref(pod, r, None, store).unwrap_or_default()
        } else {
            continue;
        };
        put(files, path, &value);
    }
}

/// Labels or annotations as the downward API writes them: `key="value"` lines sorted by key,
/// the value quoted as Go's `%q` does, no newline after the last (`fieldpath.FormatMap`).
pub fn format_map(m: &BTreeMap<String, String>) -> String {
    m.iter()
        .map(|(k, v)| format!("{k}={}", go_quote(v)))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Go's `strconv.Quote`: backslash escapes for `"`, `\` and control characters.
fn go_quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\u{b}' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_written_as_quoted_lines() {
        let mut m = BTreeMap::new();
        m.insert("zone".to_string(), "us-est-coast".to_string());
        m.insert("cluster".to_string(), "test-cluster1".to_string());
        m.insert("q".to_string(), "a\"b\\c\n".to_string());
        assert_eq!(
            format_map(&m),
            "cluster=\"test-cluster1\"\nq=\"a\\\"b\\\\c\\n\"\nzone=\"us-est-coast\""
        );
    }

    #[test]
    fn updates_land_on_the_pods_resync_grid() {
        let admitted = SimTime(5_000);
        assert_eq!(resync_due(admitted, SimTime(5_000)), SimTime(65_000));
        assert_eq!(resync_due(admitted, SimTime(64_999)), SimTime(65_000));
        assert_eq!(resync_due(admitted, SimTime(65_000)), SimTime(125_000));
    }
}
