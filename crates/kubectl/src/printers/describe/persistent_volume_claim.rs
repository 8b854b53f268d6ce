//! `describePersistentVolumeClaim`.

use super::prelude::*;
use kubelab_engine::sort::CompactSort;

/// `describePersistentVolumeClaim`: capacity and access modes come from the status once the
/// claim names a volume (empty before), then the pods that use the claim.
pub(super) fn persistent_volume_claim(w: &mut W, c: &PersistentVolumeClaim, ctx: &Ctx) {
    let (m, spec) = (&c.metadata, &c.spec);
    put!(w, 0, "Name:\t{}\n", m.name);
    put!(w, 0, "Namespace:\t{}\n", m.ns());
    put!(w, 0, "StorageClass:\t{}\n", claim_class(m, spec));
    match m.deletion_timestamp {
        Some(t) => put!(w, 0, "Status:\tTerminating (lasts {})\n", since(Some(t), ctx.now)),
        None => put!(w, 0, "Status:\t{}\n", c.status.phase.as_deref().unwrap_or("")),
    }
    let volume = spec.volume_name.as_deref().unwrap_or("");
    put!(w, 0, "Volume:\t{volume}\n");
    labels_multiline(w, "", "Labels", &m.labels);
    annotations_multiline(w, "Annotations", &m.annotations);
    put!(w, 0, "Finalizers:\t{}\n", go_list(&m.finalizers));
    let (capacity, modes) = if volume.is_empty() {
        (String::new(), String::new())
    } else {
        let q = c.status.capacity.get("storage").map(|q| canonical_quantity(q));
        (q.unwrap_or_else(|| "0".into()), access_modes(&c.status.access_modes))
    };
    put!(w, 0, "Capacity:\t{capacity}\n");
    put!(w, 0, "Access Modes:\t{modes}\n");
    if let Some(mode) = &spec.volume_mode {
        put!(w, 0, "VolumeMode:\t{mode}\n");
    }
    if let Some(ds) = &spec.data_source {
        let s = |k: &str| ds.get(k).and_then(Value::as_str).unwrap_or("").to_string();
        w.put(0, "DataSource:\n");
        if let Some(g) = ds.get("apiGroup").and_then(Value::as_str) {
            put!(w, 1, "APIGroup:\t{g}\n");
        }
        put!(w, 1, "Kind:\t{}\n", s("kind"));
        put!(w, 1, "Name:\t{}\n", s("name"));
    }
    let users = used_by(ctx, c);
    w.put(0, "Used By:\t");
    if users.is_empty() {
        w.put(0, "<none>\n");
    } else {
        for (i, name) in users.iter().enumerate() {
            if i != 0 {
                w.put(0, "\t");
            }
            put!(w, 0, "{name}\n");
        }
    }
    if !c.status.conditions.is_empty() {
        w.put(0, "Conditions:\n");
        w.put(1, "Type\tStatus\tLastProbeTime\tLastTransitionTime\tReason\tMessage\n");
        w.put(
            1,
            "----\t------\t-----------------\t------------------\t------\t-------\n",
        );
        for cond in &c.status.conditions {
            put!(
                w,
                1,
                "{} \t{} \t{} \t{} \t{} \t{}\n",
                cond.type_,
                cond.status,
                rfc1123z_opt(cond.last_probe_time.and_then(|t| t.0)),
                rfc1123z_opt(cond.last_transition_time),
                cond.reason.as_deref().unwrap_or(""),
                cond.message.as_deref().unwrap_or("")
            );
        }
    }
    events(w, ctx.events(m), ctx.now);
}

/// `GetPersistentVolumeClaimClass`: the beta annotation wins over `spec.storageClassName`.
pub(super) fn claim_class<'a>(m: &'a ObjectMeta, spec: &'a PersistentVolumeClaimSpec) -> &'a str {
    m.annotations
        .get("volume.beta.kubernetes.io/storage-class")
        .map(String::as_str)
        .or(spec.storage_class_name.as_deref())
        .unwrap_or("")
}

/// `getPodsForPVC`: the pods of the namespace that mount the claim, then those that own it
/// (generic ephemeral volumes), sorted by name as `printPodsMultiline` prints them.
fn used_by(ctx: &Ctx, c: &PersistentVolumeClaim) -> Vec<String> {
    let pods: Vec<&Pod> = ctx
        .cluster
        .list(Kind::Pod, Some(c.metadata.ns()))
        .into_iter()
        .filter_map(|o| o.as_pod())
        .collect();
    let mut names: Vec<String> = Vec::new();
    for p in &pods {
        for v in &p.spec.volumes {
            let claim = v.source.get("persistentVolumeClaim").and_then(|s| s.get("claimName"));
            if claim.and_then(Value::as_str) == Some(c.metadata.name.as_str()) {
                names.push(p.metadata.name.clone());
            }
        }
    }
    for owner in c.metadata.owner_references.iter().filter(|r| r.kind == "Pod") {
        if let Some(p) = pods.iter().find(|p| p.metadata.uid() == owner.uid) {
            if !names.contains(&p.metadata.name) {
                names.push(p.metadata.name.clone());
            }
        }
    }
    names.compact_sort();
    names
}
