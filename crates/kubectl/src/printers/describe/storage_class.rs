//! `describeStorageClass`.

use super::prelude::*;

/// `describeStorageClass`: annotations and parameters on one line each (`labels.FormatLabels`),
/// `IsDefaultClass` from the default-class annotation.
pub(super) fn storage_class(w: &mut W, sc: &StorageClass, ctx: &Ctx) {
    let m = &sc.metadata;
    put!(w, 0, "Name:\t{}\n", m.name);
    put!(w, 0, "IsDefaultClass:\t{}\n", if is_default(m) { "Yes" } else { "No" });
    put!(w, 0, "Annotations:\t{}\n", format_labels(&m.annotations));
    put!(w, 0, "Provisioner:\t{}\n", sc.provisioner);
    put!(w, 0, "Parameters:\t{}\n", format_labels(&sc.parameters));
    put!(
        w,
        0,
        "AllowVolumeExpansion:\t{}\n",
        bool_or_unset(sc.allow_volume_expansion)
    );
    if sc.mount_options.is_empty() {
        w.put(0, "MountOptions:\t<none>\n");
    } else {
        w.put(0, "MountOptions:\n");
        for o in &sc.mount_options {
            put!(w, 1, "{o}\n");
        }
    }
    if let Some(p) = &sc.reclaim_policy {
        put!(w, 0, "ReclaimPolicy:\t{p}\n");
    }
    if let Some(mode) = &sc.volume_binding_mode {
        put!(w, 0, "VolumeBindingMode:\t{mode}\n");
    }
    if !sc.allowed_topologies.is_empty() {
        allowed_topologies(w, &sc.allowed_topologies);
    }
    events(w, ctx.events(m), ctx.now);
}

/// `IsDefaultAnnotation`: the GA or the beta annotation set to `true`.
fn is_default(m: &ObjectMeta) -> bool {
    [
        "storageclass.kubernetes.io/is-default-class",
        "storageclass.beta.kubernetes.io/is-default-class",
    ]
    .iter()
    .any(|k| m.annotations.get(*k).map(String::as_str) == Some("true"))
}

/// `printAllowedTopologies`: one `Term N:` per selector term, `key in [a, b]` per requirement.
fn allowed_topologies(w: &mut W, terms: &[Value]) {
    w.put(0, "AllowedTopologies:\t\n");
    for (i, term) in terms.iter().enumerate() {
        put!(w, 1, "Term {i}:\t");
        let reqs = term
            .get("matchLabelExpressions")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        if reqs.is_empty() {
            w.put(0, "<none>\n");
            continue;
        }
        for (j, req) in reqs.iter().enumerate() {
            if j != 0 {
                w.put(1, "\t");
            }
            let key = req.get("key").and_then(Value::as_str).unwrap_or("");
            let values: Vec<&str> = req
                .get("values")
                .and_then(Value::as_array)
                .map(|v| v.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            if values.is_empty() {
                put!(w, 0, "{key} in\n");
            } else {
                put!(w, 0, "{key} in [{}]\n", values.join(", "));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::{Session, SessionOptions};

    /// The bootstrap class describes as `captured/describe.txt` shows kind's `standard`.
    #[test]
    fn the_default_class_matches_the_capture() {
        let mut s = Session::new(SessionOptions::default());
        let argv: Vec<String> = ["kubectl", "describe", "sc", "standard"].map(String::from).to_vec();
        let got = s.kubectl(&argv, None).stdout();
        let want = "\
Name:                  standard
IsDefaultClass:        Yes
Annotations:           storageclass.kubernetes.io/is-default-class=true
Provisioner:           rancher.io/local-path
Parameters:            <none>
AllowVolumeExpansion:  <unset>
MountOptions:          <none>
ReclaimPolicy:         Delete
VolumeBindingMode:     WaitForFirstConsumer
Events:                <none>
";
        assert_eq!(got, want);
        let capture = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/reference/captured/describe.txt"
        ));
        if let Ok(capture) = capture {
            assert!(capture.contains(&format!("$ kubectl describe sc standard\n{want}[exit code 0]")));
        }
    }
}
