//! `describeNode`, with the requests and limits of the pods on the node.

use super::prelude::*;

/// `describeNode`. The Lease section is what the node's kubelet keeps renewing every 10s while
/// it is Ready (kubelab models no Lease objects).
pub(super) fn node(w: &mut W, n: &Node, ctx: &Ctx) {
    let (m, spec, st) = (&n.metadata, &n.spec, &n.status);
    put!(w, 0, "Name:\t{}\n", m.name);
    let roles = node_roles(n);
    put!(
        w,
        0,
        "Roles:\t{}\n",
        if roles.is_empty() {
            "<none>".to_string()
        } else {
            roles.join(",")
        }
    );
    labels_multiline(w, "", "Labels", &m.labels);
    annotations_multiline(w, "Annotations", &m.annotations);
    put!(w, 0, "CreationTimestamp:\t{}\n", rfc1123z_opt(m.creation_timestamp));
    taints(w, &spec.taints);
    put!(w, 0, "Unschedulable:\t{}\n", spec.unschedulable == Some(true));
    w.put(0, "Lease:\n");
    put!(w, 1, "HolderIdentity:\t{}\n", m.name);
    w.put(1, "AcquireTime:\t<unset>\n");
    let renew = if n.is_ready() {
        rfc1123z(Timestamp(SimTime(ctx.now.0 / 10_000 * 10_000)))
    } else {
        condition(&st.conditions, "Ready")
            .and_then(|c| c.last_heartbeat_time)
            .map(rfc1123z)
            .unwrap_or_else(|| "<unset>".into())
    };
    put!(w, 1, "RenewTime:\t{renew}\n");
    if !st.conditions.is_empty() {
        w.put(
            0,
            "Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n",
        );
        w.put(
            1,
            "----\t------\t-----------------\t------------------\t------\t-------\n",
        );
        for c in &st.conditions {
            put!(
                w,
                1,
                "{} \t{} \t{} \t{} \t{} \t{}\n",
                c.type_,
                c.status,
                rfc1123z_opt(c.last_heartbeat_time),
                rfc1123z_opt(c.last_transition_time),
                c.reason.as_deref().unwrap_or(""),
                c.message.as_deref().unwrap_or("")
            );
        }
    }
    w.put(0, "Addresses:\n");
    for a in &st.addresses {
        put!(w, 1, "{}:\t{}\n", a.type_, a.address);
    }
    for (title, list) in [("Capacity", &st.capacity), ("Allocatable", &st.allocatable)] {
        if !list.is_empty() {
            put!(w, 0, "{title}:\n");
            for (k, v) in list {
                put!(w, 0, "  {k}:\t{}\n", canonical_quantity(v));
            }
        }
    }
    let info = st.node_info.clone().unwrap_or_default();
    w.put(0, "System Info:\n");
    for (k, v) in [
        ("Machine ID", &info.machine_id),
        ("System UUID", &info.system_uuid),
        ("Boot ID", &info.boot_id),
        ("Kernel Version", &info.kernel_version),
        ("OS Image", &info.os_image),
        ("Operating System", &info.operating_system),
        ("Architecture", &info.architecture),
        ("Container Runtime Version", &info.container_runtime_version),
        ("Kubelet Version", &info.kubelet_version),
        ("Kube-Proxy Version", &info.kube_proxy_version),
    ] {
        put!(w, 0, "  {k}:\t{v}\n");
    }
    if let Some(c) = spec.pod_cidr.as_deref().filter(|s| !s.is_empty()) {
        put!(w, 0, "PodCIDR:\t{c}\n");
    }
    if !spec.pod_cidrs.is_empty() {
        put!(w, 0, "PodCIDRs:\t{}\n", spec.pod_cidrs.join(","));
    }
    if let Some(p) = spec.provider_id.as_deref().filter(|s| !s.is_empty()) {
        put!(w, 0, "ProviderID:\t{p}\n");
    }
    node_resources(w, n, ctx);
    // Node events are recorded against the node's uid by controllers and against its name by
    // the kubelet; kubectl asks for both.
    let evs = ctx.events(m).map(|mut evs| {
        evs.extend(ctx.cluster.events_for(&m.name).into_iter().cloned());
        evs
    });
    events(w, evs, ctx.now);
}

/// `describeNodeResource`: the node's non-terminated pods with their requests and limits as
/// percentages of allocatable (truncated, as Go's `int64(float)`), then the totals.
pub(super) fn node_resources(w: &mut W, n: &Node, ctx: &Ctx) {
    let pods: Vec<&Pod> = ctx
        .cluster
        .store()
        .pods_on_node(&n.metadata.name)
        .filter_map(|o| o.as_pod())
        .filter(|p| !p.is_terminal())
        .collect();
    let allocatable = if n.status.allocatable.is_empty() {
        &n.status.capacity
    } else {
        &n.status.allocatable
    };
    let alloc = |r: &str| {
        allocatable
            .get(r)
            .and_then(|q| crate::engine::quantity::parse_milli(q))
            .unwrap_or(0)
    };
    let pct = |q: &Quantity, r: &str| -> i64 {
        let (num, den) = if r == "cpu" {
            (q.milli, alloc(r))
        } else {
            (q.value(), ceil_div(alloc(r), 1000))
        };
        if den == 0 {
            return 0;
        }
        (num as f64 / den as f64 * 100.0) as i64
    };
    put!(w, 0, "Non-terminated Pods:\t({} in total)\n", pods.len());
    w.put(
        1,
        "Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n",
    );
    w.put(
        1,
        "---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n",
    );
    let mut total_req: BTreeMap<String, Quantity> = BTreeMap::new();
    let mut total_lim: BTreeMap<String, Quantity> = BTreeMap::new();
    for p in &pods {
        let (req, lim) = pod_requests_and_limits(p);
        let get = |l: &BTreeMap<String, Quantity>, r: &str| l.get(r).cloned().unwrap_or_default();
        let (cr, cl, mr, ml) = (
            get(&req, "cpu"),
            get(&lim, "cpu"),
            get(&req, "memory"),
            get(&lim, "memory"),
        );
        put!(
            w,
            1,
            "{}\t{}\t\t{} ({}%)\t{} ({}%)\t{} ({}%)\t{} ({}%)\t{}\n",
            p.metadata.ns(),
            p.metadata.name,
            cr,
            pct(&cr, "cpu"),
            cl,
            pct(&cl, "cpu"),
            mr,
            pct(&mr, "memory"),
            ml,
            pct(&ml, "memory"),
            since(p.metadata.creation_timestamp, ctx.now)
        );
        add_all(&mut total_req, req);
        add_all(&mut total_lim, lim);
    }
    w.put(
        0,
        "Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n",
    );
    w.put(1, "Resource\tRequests\tLimits\n");
    w.put(1, "--------\t--------\t------\n");
    let mut rows: Vec<String> = vec!["cpu".into(), "memory".into(), "ephemeral-storage".into()];
    rows.extend(allocatable.keys().filter(|k| k.starts_with("hugepages-")).cloned());
    for r in &rows {
        let (q, l) = (
            total_req.get(r).cloned().unwrap_or_default(),
            total_lim.get(r).cloned().unwrap_or_default(),
        );
        let frac = |x: &Quantity| -> i64 {
            let den = if r == "cpu" { alloc(r) } else { ceil_div(alloc(r), 1000) };
            let num = if r == "cpu" { x.milli } else { x.value() };
            if den == 0 {
                0
            } else {
                (num as f64 / den as f64 * 100.0) as i64
            }
        };
        put!(w, 1, "{r}\t{q} ({}%)\t{l} ({}%)\n", frac(&q), frac(&l));
    }
    // Extended resources (not cpu, memory, storage, hugepages or pods) have no percentages.
    let standard = ["cpu", "memory", "ephemeral-storage", "storage", "pods"];
    for r in allocatable
        .keys()
        .filter(|k| !standard.contains(&k.as_str()) && !k.starts_with("hugepages-") && !k.starts_with("requests."))
    {
        let (q, l) = (
            total_req.get(r).cloned().unwrap_or_default(),
            total_lim.get(r).cloned().unwrap_or_default(),
        );
        put!(w, 1, "{r}\t{q}\t{l}\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Cluster;
    use crate::printers::describe::describe;

    #[test]
    fn node_lists_its_pods_with_request_percentages() {
        let mut c = Cluster::new(Default::default());
        let mut p = Pod {
            metadata: ObjectMeta::named("big", Some("default")),
            ..Default::default()
        };
        p.spec.node_name = Some("kind-worker".into());
        let mut ctr = Container {
            name: "app".into(),
            image: "nginx:1.27".into(),
            ..Default::default()
        };
        ctr.resources.requests.insert("cpu".into(), "500m".into());
        ctr.resources.requests.insert("memory".into(), "64Mi".into());
        ctr.resources.limits.insert("memory".into(), "128Mi".into());
        p.spec.containers.push(ctr);
        c.create(Object::Pod(p)).expect("valid pod");
        c.advance(5_000);
        let node = c.get(Kind::Node, "", "kind-worker").expect("bootstrap node").clone();
        let out = describe(&node, &c, true);
        assert!(out.starts_with("Name:               kind-worker\nRoles:              <none>\nLabels:             beta.kubernetes.io/arch=amd64\n"), "{out}");
        assert!(out.contains("\nTaints:             <none>\nUnschedulable:      false\nLease:\n  HolderIdentity:  kind-worker\n  AcquireTime:     <unset>\n"), "{out}");
        // 500m of 4 cpus is 12.5%, printed truncated; 64Mi of 8148080Ki is 0.8%.
        let row = out.lines().find(|l| l.contains(" big ")).expect("the pod is listed");
        assert!(row.starts_with("  default     "), "{row}");
        assert!(
            row.ends_with("500m (12%)    0 (0%)      64Mi (0%)        128Mi (1%)     5s"),
            "{row}"
        );
        assert!(
            out.contains("\n  cpu                500m (12%)  0 (0%)\n  memory             64Mi (0%)   128Mi (1%)\n"),
            "{out}"
        );
        assert!(
            out.ends_with("  hugepages-2Mi      0 (0%)      0 (0%)\nEvents:              <none>\n"),
            "{out}"
        );
        let cp = c
            .get(Kind::Node, "", "kind-control-plane")
            .expect("bootstrap node")
            .clone();
        let out = describe(&cp, &c, true);
        assert!(out.contains("\nRoles:              control-plane\n"), "{out}");
        assert!(
            out.contains("\nTaints:             node-role.kubernetes.io/control-plane:NoSchedule\n"),
            "{out}"
        );
    }
}
