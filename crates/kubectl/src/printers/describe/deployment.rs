//! `describeDeployment`.

use super::prelude::*;
use kubelab_engine::sort::CompactSort;

/// `describeDeployment`: OldReplicaSets are every other ReplicaSet the deployment controls, the
/// NewReplicaSet the one whose template matches the deployment's (pod-template-hash aside).
pub(super) fn deployment(w: &mut W, d: &Deployment, ctx: &Ctx) {
    let m = &d.metadata;
    put!(w, 0, "Name:\t{}\n", m.name);
    put!(w, 0, "Namespace:\t{}\n", m.ns());
    put!(w, 0, "CreationTimestamp:\t{}\n", rfc1123z_opt(m.creation_timestamp));
    labels_multiline(w, "", "Labels", &m.labels);
    annotations_multiline(w, "Annotations", &m.annotations);
    put!(w, 0, "Selector:\t{}\n", selector_string(&d.spec.selector));
    let s = &d.status;
    put!(
        w,
        0,
        "Replicas:\t{} desired | {} updated | {} total | {} available | {} unavailable\n",
        d.replicas(),
        s.updated_replicas,
        s.replicas,
        s.available_replicas,
        s.unavailable_replicas
    );
    put!(
        w,
        0,
        "StrategyType:\t{}\n",
        d.spec.strategy.type_.as_deref().unwrap_or("")
    );
    put!(w, 0, "MinReadySeconds:\t{}\n", d.spec.min_ready_seconds.unwrap_or(0));
    if let Some(ru) = &d.spec.strategy.rolling_update {
        let show = |v: &Option<IntOrString>| v.as_ref().map(ToString::to_string).unwrap_or_else(|| "0".into());
        put!(
            w,
            0,
            "RollingUpdateStrategy:\t{} max unavailable, {} max surge\n",
            show(&ru.max_unavailable),
            show(&ru.max_surge)
        );
    }
    pod_template(w, &d.spec.template);
    conditions_with_reason(w, &s.conditions);
    let owned: Vec<ReplicaSet> = ctx
        .cluster
        .list(Kind::ReplicaSet, Some(m.ns()))
        .into_iter()
        .filter_map(|o| o.as_replicaset())
        .filter(|rs| rs.metadata.controller().is_some_and(|c| c.uid == m.uid()))
        .cloned()
        .collect();
    // FindNewReplicaSet: the oldest ReplicaSet whose template equals the deployment's.
    let mut by_age: Vec<&ReplicaSet> = owned.iter().collect();
    by_age.compact_sort_by_key(|rs| rs.metadata.creation_timestamp);
    let new = by_age
        .into_iter()
        .find(|rs| same_template(&rs.spec.template, &d.spec.template));
    let old: Vec<&ReplicaSet> = owned
        .iter()
        .filter(|rs| new.is_none_or(|n| n.metadata.name != rs.metadata.name))
        .collect();
    if !old.is_empty() || new.is_some() {
        put!(w, 0, "OldReplicaSets:\t{}\n", replica_sets_created(&old));
        put!(
            w,
            0,
            "NewReplicaSet:\t{}\n",
            replica_sets_created(&new.into_iter().collect::<Vec<_>>())
        );
    }
    events(w, ctx.events(m), ctx.now);
}

/// Templates equal apart from the `pod-template-hash` label (`EqualIgnoreHash`).
pub(super) fn same_template(a: &PodTemplateSpec, b: &PodTemplateSpec) -> bool {
    let strip = |t: &PodTemplateSpec| {
        let mut t = t.clone();
        t.metadata.labels.remove("pod-template-hash");
        t
    };
    strip(a) == strip(b)
}

/// `printReplicaSetsByLabels`: `web-7c5ddbdf54 (3/3 replicas created)`, `<none>` for none.
pub(super) fn replica_sets_created(rss: &[&ReplicaSet]) -> String {
    if rss.is_empty() {
        return "<none>".into();
    }
    rss.iter()
        .map(|rs| {
            format!(
                "{} ({}/{} replicas created)",
                rs.metadata.name,
                rs.status.replicas,
                rs.replicas()
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}
