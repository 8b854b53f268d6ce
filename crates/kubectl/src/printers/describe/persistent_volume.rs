//! `describePersistentVolume`.

use super::prelude::*;

/// `describePersistentVolume`: finalizers and access modes as kubectl prints them, the claim
/// as `namespace/name`, the node affinity the local-path provisioner sets, then the source.
pub(super) fn persistent_volume(w: &mut W, pv: &PersistentVolume, ctx: &Ctx) {
    let (m, spec) = (&pv.metadata, &pv.spec);
    put!(w, 0, "Name:\t{}\n", m.name);
    labels_multiline(w, "", "Labels", &m.labels);
    annotations_multiline(w, "Annotations", &m.annotations);
    put!(w, 0, "Finalizers:\t{}\n", go_list(&m.finalizers));
    put!(w, 0, "StorageClass:\t{}\n", volume_class(pv));
    match m.deletion_timestamp {
        Some(t) => put!(w, 0, "Status:\tTerminating (lasts {})\n", since(Some(t), ctx.now)),
        None => put!(w, 0, "Status:\t{}\n", pv.phase()),
    }
    match &spec.claim_ref {
        Some(r) => put!(
            w,
            0,
            "Claim:\t{}/{}\n",
            r.namespace.as_deref().unwrap_or(""),
            r.name.as_deref().unwrap_or("")
        ),
        None => w.put(0, "Claim:\t\n"),
    }
    put!(
        w,
        0,
        "Reclaim Policy:\t{}\n",
        spec.persistent_volume_reclaim_policy.as_deref().unwrap_or("")
    );
    put!(w, 0, "Access Modes:\t{}\n", access_modes(&spec.access_modes));
    if let Some(mode) = &spec.volume_mode {
        put!(w, 0, "VolumeMode:\t{mode}\n");
    }
    let capacity = ResourceRequirements::get(&spec.capacity, "storage")
        .map(|q| canonical_quantity(&q))
        .unwrap_or_else(|| "0".into());
    put!(w, 0, "Capacity:\t{capacity}\n");
    node_affinity(w, spec.node_affinity.as_ref());
    put!(w, 0, "Message:\t{}\n", pv.status.message.as_deref().unwrap_or(""));
    w.put(0, "Source:\n");
    if let Some(h) = &spec.host_path {
        host_path(w, &h.path, h.type_.as_deref());
    } else if let Some(n) = &spec.nfs {
        nfs(w, &n.server, &n.path, n.read_only.unwrap_or(false));
    } else if let Some(l) = &spec.local {
        local(w, l);
    } else {
        w.put(1, "<unknown>\n");
    }
    events(w, ctx.events(m), ctx.now);
}

/// `GetPersistentVolumeClass`: the beta annotation wins over `spec.storageClassName`.
fn volume_class(pv: &PersistentVolume) -> &str {
    pv.metadata
        .annotations
        .get("volume.beta.kubernetes.io/storage-class")
        .map(String::as_str)
        .unwrap_or_else(|| pv.class())
}

/// `printVolumeNodeAffinity`: `<none>`, or the required terms one per line, each requirement
/// as `key operator [values]` with the operator in lower case.
fn node_affinity(w: &mut W, affinity: Option<&Value>) {
    w.put(0, "Node Affinity:\t");
    let Some(required) = affinity.and_then(|a| a.get("required")) else {
        w.put(0, "<none>\n");
        return;
    };
    w.put(0, "\n");
    w.put(1, "Required Terms:\t");
    let terms = required
        .get("nodeSelectorTerms")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if terms.is_empty() {
        w.put(0, "<none>\n");
        return;
    }
    w.put(0, "\n");
    for (i, term) in terms.iter().enumerate() {
        put!(w, 2, "Term {i}:\t");
        let reqs = term
            .get("matchExpressions")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        if reqs.is_empty() {
            w.put(0, "<none>\n");
            continue;
        }
        for (j, req) in reqs.iter().enumerate() {
            if j != 0 {
                w.put(2, "\t");
            }
            let key = req.get("key").and_then(Value::as_str).unwrap_or("");
            let op = req.get("operator").and_then(Value::as_str).unwrap_or("").to_lowercase();
            let values: Vec<&str> = req
                .get("values")
                .and_then(Value::as_array)
                .map(|v| v.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            if values.is_empty() {
                put!(w, 0, "{key} {op}\n");
            } else {
                put!(w, 0, "{key} {op} [{}]\n", values.join(", "));
            }
        }
    }
}

/// `printLocalVolumeSource`.
fn local(w: &mut W, l: &Value) {
    let path = l.get("path").and_then(Value::as_str).unwrap_or("");
    put!(
        w,
        2,
        "Type:\tLocalVolume (a persistent volume backed by local storage on a node)\n    Path:\t{path}\n"
    );
}
