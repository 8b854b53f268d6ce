//! `describeVolumes`: one block per volume with its source's own lines.

use super::prelude::*;

/// `describeVolumes`: one block per volume with its source's own lines.
pub(super) fn volumes(w: &mut W, list: &[Volume], space: &str) {
    if list.is_empty() {
        put!(w, 0, "{space}Volumes:\t<none>\n");
        return;
    }
    put!(w, 0, "{space}Volumes:\n");
    let name_indent = if space.is_empty() { "" } else { " " };
    for v in list {
        put!(w, 1, "{name_indent}{}:\n", v.name);
        let src = &v.source;
        let s = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).unwrap_or("").to_string();
        let b = |v: &Value, k: &str| v.get(k).and_then(Value::as_bool).unwrap_or(false);
        if let Some(h) = src.get("hostPath") {
            host_path(w, &s(h, "path"), h.get("type").and_then(Value::as_str));
        } else if let Some(n) = src.get("nfs") {
            nfs(w, &s(n, "server"), &s(n, "path"), b(n, "readOnly"));
        } else if let Some(e) = src.get("emptyDir") {
            let limit = match e.get("sizeLimit") {
                Some(Value::String(q)) if crate::engine::quantity::parse_milli(q).unwrap_or(0) > 0 => q.clone(),
                Some(Value::Number(n)) if n.as_f64().unwrap_or(0.0) > 0.0 => n.to_string(),
                _ => "<unset>".into(),
            };
            put!(w, 2, "Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:\t{}\n    SizeLimit:\t{limit}\n", s(e, "medium"));
        } else if let Some(sec) = src.get("secret") {
            put!(
                w,
                2,
                "Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t{}\n    Optional:\t{}\n",
                s(sec, "secretName"),
                b(sec, "optional")
            );
        } else if let Some(cm) = src.get("configMap") {
            put!(
                w,
                2,
                "Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t{}\n    Optional:\t{}\n",
                s(cm, "name"),
                b(cm, "optional")
            );
        } else if let Some(c) = src.get("persistentVolumeClaim") {
            put!(
                w,
                2,
                "Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n    ClaimName:\t{}\n    ReadOnly:\t{}\n",
                s(c, "claimName"),
                b(c, "readOnly")
            );
        } else if let Some(d) = src.get("downwardAPI") {
            w.put(
                2,
                "Type:\tDownwardAPI (a volume populated by information about the pod)\n    Items:\n",
            );
            for item in d.get("items").and_then(Value::as_array).into_iter().flatten() {
                if let Some(f) = item.get("fieldRef") {
                    put!(w, 3, "{} -> {}\n", s(f, "fieldPath"), s(item, "path"));
                }
                if let Some(r) = item.get("resourceFieldRef") {
                    put!(w, 3, "{} -> {}\n", s(r, "resource"), s(item, "path"));
                }
            }
        } else if let Some(p) = src.get("projected") {
            projected(w, p);
        } else {
            w.put(1, "<unknown>\n");
        }
    }
}

/// `printProjectedVolumeSource` in v1.32: `ConfigMapOptional:  <nil>` prints the `*bool` as Go's
/// `%v` does, which is how the service-account volume of every pod reads.
pub(super) fn projected(w: &mut W, p: &Value) {
    w.put(
        2,
        "Type:\tProjected (a volume that contains injected data from multiple sources)\n",
    );
    let optional = |v: &Value| match v.get("optional").and_then(Value::as_bool) {
        Some(b) => b.to_string(),
        None => "<nil>".into(),
    };
    let name = |v: &Value| v.get("name").and_then(Value::as_str).unwrap_or("").to_string();
    for source in p.get("sources").and_then(Value::as_array).into_iter().flatten() {
        if let Some(s) = source.get("secret") {
            put!(w, 2, "SecretName:\t{}\n    SecretOptional:\t{}\n", name(s), optional(s));
        } else if source.get("downwardAPI").is_some() {
            w.put(2, "DownwardAPI:\ttrue\n");
        } else if let Some(c) = source.get("configMap") {
            put!(
                w,
                2,
                "ConfigMapName:\t{}\n    ConfigMapOptional:\t{}\n",
                name(c),
                optional(c)
            );
        } else if let Some(t) = source.get("serviceAccountToken") {
            put!(
                w,
                2,
                "TokenExpirationSeconds:\t{}\n",
                t.get("expirationSeconds").and_then(Value::as_i64).unwrap_or(3600)
            );
        }
    }
}

/// `printHostPathVolumeSource`, shared by pod volumes and PersistentVolume sources.
pub(super) fn host_path(w: &mut W, path: &str, type_: Option<&str>) {
    put!(
        w,
        2,
        "Type:\tHostPath (bare host directory volume)\n    Path:\t{path}\n    HostPathType:\t{}\n",
        type_.unwrap_or("<none>")
    );
}

/// `printNFSVolumeSource`.
pub(super) fn nfs(w: &mut W, server: &str, path: &str, read_only: bool) {
    put!(
        w,
        2,
        "Type:\tNFS (an NFS mount that lasts the lifetime of a pod)\n    Server:\t{server}\n    Path:\t{path}\n    ReadOnly:\t{read_only}\n"
    );
}
