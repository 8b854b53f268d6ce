//! `kubectl describe`: the text kubectl's describers build (`k8s.io/kubectl/pkg/describe`,
//! v1.32), one function per kind over one renderer.
//!
//! The renderer is the describers' own: a `PrefixWriter` (two spaces per nesting level) feeding
//! the `tabbedString` tabwriter (minwidth 0, padding 2). Nothing aligns values by hand: each
//! line is written as `Key:\tvalue`, and the tabwriter's column blocks (runs of consecutive
//! lines that have a cell in a column) give the alignment real kubectl shows, including the
//! places where a line without a tab restarts it (`IPs:`, `Containers:`). Layouts:
//! `shared/reference/describe-formats.md` and `captured/describe.txt`.

use crate::engine::api::*;
use crate::engine::{Cluster, SimTime, Timestamp};
use crate::printers::columns::{
    format_label_selector, format_labels, join_host_port, node_roles, selector_string, since,
};
use crate::printers::table::TabWriter;
use serde_json::Value;
use std::collections::BTreeMap;

/// The describers' `PrefixWriter` over a `tabbedString` tabwriter.
struct W {
    tw: TabWriter,
}

impl W {
    fn new() -> Self {
        W {
            tw: TabWriter::tabbed(),
        }
    }

    /// `Write(level, text)`: the text after two spaces per level.
    fn put(&mut self, level: usize, text: &str) {
        for _ in 0..level {
            self.tw.write_str("  ");
        }
        self.tw.write_str(text);
    }

    fn flush(&mut self) {
        self.tw.flush();
    }

    fn finish(self) -> String {
        self.tw.finish()
    }
}

/// `w.Write(level, format, args…)`.
macro_rules! put {
    ($w:expr, $level:expr, $($arg:tt)*) => { $w.put($level, &format!($($arg)*)) };
}

/// Describes one object as `kubectl describe` does, reading what else the describer needs
/// (events, pods, ReplicaSets, endpoints) from the cluster.
/// `show_events` is `--show-events` (default true); without it no Events section is printed.
pub fn describe(obj: &Object, cluster: &Cluster, show_events: bool) -> String {
    let ctx = Ctx {
        cluster,
        now: cluster.now(),
        show_events,
    };
    let mut w = W::new();
    match obj {
        Object::Pod(p) => pod(&mut w, p, ctx.now, ctx.events(&p.metadata)),
        Object::Deployment(d) => deployment(&mut w, d, &ctx),
        Object::ReplicaSet(rs) => replica_set(&mut w, rs, &ctx),
        Object::Service(s) => service(&mut w, s, &ctx),
        Object::Node(n) => node(&mut w, n, &ctx),
        Object::Namespace(n) => namespace(&mut w, n),
        Object::Endpoints(e) => endpoints(&mut w, e, &ctx),
        #[allow(unreachable_patterns)]
        _ => generic(&mut w, obj, &ctx),
    }
    w.finish()
}

struct Ctx<'a> {
    cluster: &'a Cluster,
    now: SimTime,
    show_events: bool,
}

impl Ctx<'_> {
    /// The events about an object (`searchEvents` by involved object uid), `None` with
    /// `--show-events=false`.
    fn events(&self, m: &ObjectMeta) -> Option<Vec<Event>> {
        self.show_events
            .then(|| self.cluster.events_for(m.uid()).into_iter().cloned().collect())
    }
}

// ---------------------------------------------------------------------------------------------
// Kinds
// ---------------------------------------------------------------------------------------------

/// `describePod`. Needs nothing from the cluster but the pod's events.
fn pod(w: &mut W, p: &Pod, now: SimTime, pod_events: Option<Vec<Event>>) {
    let (m, spec, st) = (&p.metadata, &p.spec, &p.status);
    put!(w, 0, "Name:\t{}\n", m.name);
    put!(w, 0, "Namespace:\t{}\n", m.ns());
    if let Some(prio) = spec.priority {
        put!(w, 0, "Priority:\t{prio}\n");
    }
    if let Some(pc) = spec.priority_class_name.as_deref().filter(|s| !s.is_empty()) {
        put!(w, 0, "Priority Class Name:\t{pc}\n");
    }
    if let Some(sa) = spec.service_account_name.as_deref().filter(|s| !s.is_empty()) {
        put!(w, 0, "Service Account:\t{sa}\n");
    }
    match spec.node_name.as_deref() {
        Some(n) if !n.is_empty() => {
            put!(w, 0, "Node:\t{n}/{}\n", st.host_ip.as_deref().unwrap_or(""))
        }
        _ => w.put(0, "Node:\t<none>\n"),
    }
    if let Some(t) = st.start_time {
        put!(w, 0, "Start Time:\t{}\n", rfc1123z(t));
    }
    labels_multiline(w, "", "Labels", &m.labels);
    annotations_multiline(w, "Annotations", &m.annotations);
    match m.deletion_timestamp {
        Some(t) if !p.is_terminal() => {
            put!(w, 0, "Status:\tTerminating (lasts {})\n", since(Some(t), now));
            put!(
                w,
                0,
                "Termination Grace Period:\t{}s\n",
                m.deletion_grace_period_seconds.unwrap_or(0)
            );
        }
        _ => put!(w, 0, "Status:\t{}\n", st.phase.as_deref().unwrap_or("")),
    }
    if let Some(r) = st.reason.as_deref().filter(|s| !s.is_empty()) {
        put!(w, 0, "Reason:\t{r}\n");
    }
    if let Some(msg) = st.message.as_deref().filter(|s| !s.is_empty()) {
        put!(w, 0, "Message:\t{msg}\n");
    }
    put!(w, 0, "IP:\t{}\n", st.pod_ip.as_deref().unwrap_or(""));
    if st.pod_ips.is_empty() {
        w.put(0, "IPs:\t<none>\n");
    } else {
        w.put(0, "IPs:\n");
        for ip in &st.pod_ips {
            put!(w, 1, "IP:\t{}\n", ip.ip);
        }
    }
    if let Some(c) = m.controller() {
        put!(w, 0, "Controlled By:\t{}/{}\n", c.kind, c.name);
    }
    if !spec.init_containers.is_empty() {
        containers(
            w,
            "Init Containers",
            &spec.init_containers,
            Some(&st.init_container_statuses),
            Some(p),
            "",
        );
    }
    containers(
        w,
        "Containers",
        &spec.containers,
        Some(&st.container_statuses),
        Some(p),
        "",
    );
    if !st.conditions.is_empty() {
        w.put(0, "Conditions:\n  Type\tStatus\n");
        for c in &st.conditions {
            put!(w, 1, "{} \t{} \n", c.type_, c.status);
        }
    }
    volumes(w, &spec.volumes, "");
    put!(
        w,
        0,
        "QoS Class:\t{}\n",
        st.qos_class.as_deref().unwrap_or("BestEffort")
    );
    labels_multiline(w, "", "Node-Selectors", &spec.node_selector);
    tolerations(w, "Tolerations", &spec.tolerations);
    events(w, pod_events, now);
}

/// `describeDeployment`: OldReplicaSets are every other ReplicaSet the deployment controls, the
/// NewReplicaSet the one whose template matches the deployment's (pod-template-hash aside).
fn deployment(w: &mut W, d: &Deployment, ctx: &Ctx) {
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
    by_age.sort_by_key(|rs| rs.metadata.creation_timestamp);
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
fn same_template(a: &PodTemplateSpec, b: &PodTemplateSpec) -> bool {
    let strip = |t: &PodTemplateSpec| {
        let mut t = t.clone();
        t.metadata.labels.remove("pod-template-hash");
        t
    };
    strip(a) == strip(b)
}

/// `printReplicaSetsByLabels`: `web-7c5ddbdf54 (3/3 replicas created)`, `<none>` for none.
fn replica_sets_created(rss: &[&ReplicaSet]) -> String {
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

/// `describeReplicaSet`; Pods Status counts the pods it controls by phase.
fn replica_set(w: &mut W, rs: &ReplicaSet, ctx: &Ctx) {
    let m = &rs.metadata;
    put!(w, 0, "Name:\t{}\n", m.name);
    put!(w, 0, "Namespace:\t{}\n", m.ns());
    put!(w, 0, "Selector:\t{}\n", format_label_selector(&rs.spec.selector));
    labels_multiline(w, "", "Labels", &m.labels);
    annotations_multiline(w, "Annotations", &m.annotations);
    if let Some(c) = m.controller() {
        put!(w, 0, "Controlled By:\t{}/{}\n", c.kind, c.name);
    }
    put!(
        w,
        0,
        "Replicas:\t{} current / {} desired\n",
        rs.status.replicas,
        rs.replicas()
    );
    let (running, waiting, succeeded, failed) = pod_phases(ctx, m);
    put!(
        w,
        0,
        "Pods Status:\t{running} Running / {waiting} Waiting / {succeeded} Succeeded / {failed} Failed\n"
    );
    pod_template(w, &rs.spec.template);
    if !rs.status.conditions.is_empty() {
        w.put(0, "Conditions:\n  Type\tStatus\tReason\n");
        w.put(1, "----\t------\t------\n");
        for c in &rs.status.conditions {
            put!(
                w,
                1,
                "{} \t{}\t{}\n",
                c.type_,
                c.status,
                c.reason.as_deref().unwrap_or("")
            );
        }
    }
    events(w, ctx.events(m), ctx.now);
}

/// `getPodStatusForController`: pods whose controller is `owner`, counted by phase.
fn pod_phases(ctx: &Ctx, owner: &ObjectMeta) -> (usize, usize, usize, usize) {
    let mut counts = (0, 0, 0, 0);
    for p in ctx
        .cluster
        .list(Kind::Pod, Some(owner.ns()))
        .into_iter()
        .filter_map(|o| o.as_pod())
    {
        if p.metadata.controller().is_none_or(|c| c.uid != owner.uid()) {
            continue;
        }
        match p.phase() {
            "Running" => counts.0 += 1,
            "Pending" => counts.1 += 1,
            "Succeeded" => counts.2 += 1,
            "Failed" => counts.3 += 1,
            _ => {}
        }
    }
    counts
}

/// `describeService`. Endpoints come from the service's Endpoints object, read the way kubectl
/// reads EndpointSlices since 1.31 (`formatEndpointSlices`): ready addresses of the port with
/// the same name, `<none>` when the service has no endpoints object at all.
fn service(w: &mut W, s: &Service, ctx: &Ctx) {
    let (m, spec) = (&s.metadata, &s.spec);
    put!(w, 0, "Name:\t{}\n", m.name);
    put!(w, 0, "Namespace:\t{}\n", m.ns());
    labels_multiline(w, "", "Labels", &m.labels);
    annotations_multiline(w, "Annotations", &m.annotations);
    put!(w, 0, "Selector:\t{}\n", format_labels(&spec.selector));
    put!(w, 0, "Type:\t{}\n", s.type_());
    if let Some(p) = &spec.ip_family_policy {
        put!(w, 0, "IP Family Policy:\t{p}\n");
    }
    if spec.ip_families.is_empty() {
        w.put(0, "IP Families:\t<none>\n");
    } else {
        put!(w, 0, "IP Families:\t{}\n", spec.ip_families.join(","));
    }
    put!(w, 0, "IP:\t{}\n", spec.cluster_ip.as_deref().unwrap_or(""));
    if spec.cluster_ips.is_empty() {
        w.put(0, "IPs:\t<none>\n");
    } else {
        put!(w, 0, "IPs:\t{}\n", spec.cluster_ips.join(","));
    }
    if !spec.external_ips.is_empty() {
        put!(w, 0, "External IPs:\t{}\n", spec.external_ips.join(","));
    }
    if let Some(ip) = spec.load_balancer_ip.as_deref().filter(|s| !s.is_empty()) {
        put!(w, 0, "Desired LoadBalancer IP:\t{ip}\n");
    }
    if let Some(n) = spec.external_name.as_deref().filter(|s| !s.is_empty()) {
        put!(w, 0, "External Name:\t{n}\n");
    }
    if let Some(Value::Array(ingress)) = s.status.load_balancer.get("ingress") {
        let list: Vec<String> = ingress
            .iter()
            .map(|i| {
                let ip = i.get("ip").and_then(Value::as_str).unwrap_or("");
                if ip.is_empty() {
                    i.get("hostname").and_then(Value::as_str).unwrap_or("").to_string()
                } else {
                    match i.get("ipMode").and_then(Value::as_str) {
                        Some(mode) => format!("{ip} ({mode})"),
                        None => ip.to_string(),
                    }
                }
            })
            .collect();
        if !list.is_empty() {
            put!(w, 0, "LoadBalancer Ingress:\t{}\n", list.join(", "));
        }
    }
    let ep = ctx
        .cluster
        .get(Kind::Endpoints, m.ns(), &m.name)
        .and_then(|o| o.as_endpoints())
        .cloned();
    for sp in &spec.ports {
        let name = sp.name.as_deref().filter(|n| !n.is_empty()).unwrap_or("<unset>");
        let proto = sp.protocol.as_deref().unwrap_or("TCP");
        put!(w, 0, "Port:\t{name}\t{}/{proto}\n", sp.port);
        match &sp.target_port {
            Some(IntOrString::Str(t)) => put!(w, 0, "TargetPort:\t{t}/{proto}\n"),
            Some(IntOrString::Int(t)) => put!(w, 0, "TargetPort:\t{t}/{proto}\n"),
            None => put!(w, 0, "TargetPort:\t0/{proto}\n"),
        }
        if let Some(np) = sp.node_port.filter(|n| *n != 0) {
            put!(w, 0, "NodePort:\t{name}\t{np}/{proto}\n");
        }
        put!(
            w,
            0,
            "Endpoints:\t{}\n",
            service_endpoints(ep.as_ref(), sp.name.as_deref().unwrap_or(""))
        );
    }
    put!(
        w,
        0,
        "Session Affinity:\t{}\n",
        spec.session_affinity.as_deref().unwrap_or("")
    );
    if let Some(p) = spec.external_traffic_policy.as_deref().filter(|s| !s.is_empty()) {
        put!(w, 0, "External Traffic Policy:\t{p}\n");
    }
    if let Some(p) = &spec.internal_traffic_policy {
        put!(w, 0, "Internal Traffic Policy:\t{p}\n");
    }
    events(w, ctx.events(m), ctx.now);
}

/// Up to three ready `ip:port` pairs of the named port, then ` + N more...`.
fn service_endpoints(ep: Option<&Endpoints>, port_name: &str) -> String {
    let Some(ep) = ep else { return "<none>".into() };
    const MAX: usize = 3;
    let (mut list, mut count, mut more) = (Vec::new(), 0usize, false);
    for ss in &ep.subsets {
        for p in ss.ports.iter().filter(|p| p.name.as_deref().unwrap_or("") == port_name) {
            for a in &ss.addresses {
                if list.len() == MAX {
                    more = true;
                }
                if !more {
                    list.push(join_host_port(&a.ip, p.port));
                }
                count += 1;
            }
        }
    }
    let ret = list.join(",");
    if more {
        format!("{ret} + {} more...", count - MAX)
    } else {
        ret
    }
}

/// `describeNode`. The Lease section is what the node's kubelet keeps renewing every 10s while
/// it is Ready (kubelab models no Lease objects).
fn node(w: &mut W, n: &Node, ctx: &Ctx) {
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
fn node_resources(w: &mut W, n: &Node, ctx: &Ctx) {
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

fn ceil_div(a: i64, b: i64) -> i64 {
    (a + b - 1).div_euclid(b)
}

/// `describeNamespace`: kubelab has no ResourceQuota or LimitRange objects yet, so both
/// sections say so, as kubectl does for a namespace without any.
fn namespace(w: &mut W, n: &Namespace) {
    let m = &n.metadata;
    put!(w, 0, "Name:\t{}\n", m.name);
    labels_multiline(w, "", "Labels", &m.labels);
    annotations_multiline(w, "Annotations", &m.annotations);
    put!(w, 0, "Status:\t{}\n", n.status.phase.as_deref().unwrap_or(""));
    w.put(0, "\n");
    w.put(0, "No resource quota.\n");
    w.put(0, "\n");
    w.put(0, "No LimitRange resource.\n");
}

/// `describeEndpoints`.
fn endpoints(w: &mut W, e: &Endpoints, ctx: &Ctx) {
    let m = &e.metadata;
    put!(w, 0, "Name:\t{}\n", m.name);
    put!(w, 0, "Namespace:\t{}\n", m.ns());
    labels_multiline(w, "", "Labels", &m.labels);
    annotations_multiline(w, "Annotations", &m.annotations);
    w.put(0, "Subsets:\n");
    let ips = |a: &[EndpointAddress]| {
        let s = a.iter().map(|a| a.ip.as_str()).collect::<Vec<_>>().join(",");
        if s.is_empty() {
            "<none>".to_string()
        } else {
            s
        }
    };
    for ss in &e.subsets {
        put!(w, 1, "Addresses:\t{}\n", ips(&ss.addresses));
        put!(w, 1, "NotReadyAddresses:\t{}\n", ips(&ss.not_ready_addresses));
        if !ss.ports.is_empty() {
            w.put(1, "Ports:\n");
            w.put(2, "Name\tPort\tProtocol\n");
            w.put(2, "----\t----\t--------\n");
            for p in &ss.ports {
                let name = p.name.as_deref().filter(|n| !n.is_empty()).unwrap_or("<unset>");
                put!(w, 2, "{name}\t{}\t{}\n", p.port, p.protocol.as_deref().unwrap_or(""));
            }
        }
        w.put(0, "\n");
    }
    events(w, ctx.events(m), ctx.now);
}

/// `genericDescriber`, for kinds without a describer of their own (events, and kinds added to
/// the engine before their describer): name, namespace, labels, annotations, then every other
/// field of the object as `Smart Label:\tvalue`, then its events.
fn generic(w: &mut W, obj: &Object, ctx: &Ctx) {
    let m = obj.meta();
    put!(w, 0, "Name:\t{}\n", m.name);
    put!(w, 0, "Namespace:\t{}\n", m.ns());
    labels_multiline(w, "", "Labels", &m.labels);
    annotations_multiline(w, "Annotations", &m.annotations);
    if let Value::Object(content) = obj.to_value() {
        let skip = [
            ".metadata.managedFields",
            ".metadata.name",
            ".metadata.namespace",
            ".metadata.labels",
            ".metadata.annotations",
        ];
        unstructured(w, 0, &content, "", &skip);
    }
    events(w, ctx.events(m), ctx.now);
}

fn unstructured(w: &mut W, level: usize, content: &serde_json::Map<String, Value>, prefix: &str, skip: &[&str]) {
    let mut fields: Vec<&String> = content.keys().collect();
    fields.sort();
    for field in fields {
        let path = format!("{prefix}.{field}");
        if skip.contains(&path.as_str()) {
            continue;
        }
        match &content[field] {
            Value::Object(map) => {
                put!(w, level, "{}:\n", smart_label(field));
                unstructured(w, level + 1, map, &path, skip);
            }
            Value::Array(items) => {
                put!(w, level, "{}:\n", smart_label(field));
                for item in items {
                    match item {
                        Value::Object(map) => unstructured(w, level + 1, map, &path, skip),
                        other => put!(w, level + 1, "{}\n", go_value(other)),
                    }
                }
            }
            other => put!(w, level, "{}:\t{}\n", smart_label(field), go_value(other)),
        }
    }
}

/// `%v` of a decoded JSON scalar.
fn go_value(v: &Value) -> String {
    match v {
        Value::Null => "<nil>".into(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// `smartLabelFor`: `creationTimestamp` → `Creation Timestamp`, `apiVersion` → `API Version`;
/// names with characters other than letters and `-` are kept as they are.
fn smart_label(field: &str) -> String {
    if field.chars().any(|c| !c.is_alphabetic() && c != '-') {
        return field.to_string();
    }
    let acronyms = ["API", "URL", "UID", "OSB", "GUID"];
    camel_split(field)
        .into_iter()
        .map(|part| {
            let upper = part.to_uppercase();
            if acronyms.contains(&upper.as_str()) {
                upper
            } else {
                let mut c = part.chars();
                c.next()
                    .map(|f| f.to_uppercase().chain(c).collect())
                    .unwrap_or_default()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// `camelcase.Split`: runs of lower case, upper case and other characters, with an upper-case
/// run's last letter starting the next word when lower case follows (`HTTPServer`).
fn camel_split(s: &str) -> Vec<String> {
    let class = |c: char| {
        if c.is_lowercase() {
            1
        } else if c.is_uppercase() {
            2
        } else if c.is_numeric() {
            3
        } else {
            4
        }
    };
    let mut runs: Vec<Vec<char>> = Vec::new();
    let mut last = 0;
    for c in s.chars() {
        let k = class(c);
        if k == last && !runs.is_empty() {
            if let Some(r) = runs.last_mut() {
                r.push(c);
            }
        } else {
            runs.push(vec![c]);
        }
        last = k;
    }
    for i in 0..runs.len().saturating_sub(1) {
        if runs[i][0].is_uppercase() && runs[i + 1][0].is_lowercase() {
            if let Some(c) = runs[i].pop() {
                runs[i + 1].insert(0, c);
            }
        }
    }
    runs.into_iter()
        .filter(|r| !r.is_empty())
        .map(|r| r.into_iter().collect())
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Shared sections
// ---------------------------------------------------------------------------------------------

/// `printLabelsMultilineWithIndent`: `Title:\tk=v`, further pairs on their own lines under the
/// first value, `<none>` when empty.
fn labels_multiline(w: &mut W, indent: &str, title: &str, labels: &BTreeMap<String, String>) {
    put!(w, 0, "{indent}{title}:\t");
    if labels.is_empty() {
        w.put(0, "<none>\n");
        return;
    }
    for (i, (k, v)) in labels.iter().enumerate() {
        if i != 0 {
            put!(w, 0, "{indent}\t");
        }
        put!(w, 0, "{k}={v}\n");
    }
}

/// `printAnnotationsMultiline`: `key: value`; long (over 140 characters) or multi-line values
/// go on their own lines, clipped at 138 characters. The last-applied configuration is hidden.
fn annotations_multiline(w: &mut W, title: &str, annotations: &BTreeMap<String, String>) {
    const MAX: usize = 140;
    put!(w, 0, "{title}:\t");
    let keys: Vec<&String> = annotations
        .keys()
        .filter(|k| k.as_str() != "kubectl.kubernetes.io/last-applied-configuration")
        .collect();
    if keys.is_empty() {
        w.put(0, "<none>\n");
        return;
    }
    for (i, k) in keys.into_iter().enumerate() {
        if i != 0 {
            w.put(0, "\t");
        }
        let value = annotations[k].strip_suffix('\n').unwrap_or(&annotations[k]);
        if value.len() + k.len() + 2 > MAX || value.contains('\n') {
            put!(w, 0, "{k}:\n");
            for line in value.split('\n') {
                put!(w, 0, "\t  {}\n", shorten(line, MAX - 2));
            }
        } else {
            put!(w, 0, "{k}: {value}\n");
        }
    }
}

/// Go's `s[:n] + "..."` on bytes, kept on a character boundary.
fn shorten(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_string();
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}...", &s[..end])
}

/// `printTaintsMultilineWithIndent`: sorted by effect then key, `key=value:effect`.
fn taints(w: &mut W, taints: &[Taint]) {
    w.put(0, "Taints:\t");
    if taints.is_empty() {
        w.put(0, "<none>\n");
        return;
    }
    let mut sorted: Vec<&Taint> = taints.iter().collect();
    sorted.sort_by(|a, b| format!("{},{}", a.effect, a.key).cmp(&format!("{},{}", b.effect, b.key)));
    for (i, t) in sorted.into_iter().enumerate() {
        if i != 0 {
            w.put(0, "\t");
        }
        let mut s = t.key.clone();
        if let Some(v) = t.value.as_deref().filter(|v| !v.is_empty()) {
            s.push('=');
            s.push_str(v);
        }
        if !t.effect.is_empty() {
            s.push(':');
            s.push_str(&t.effect);
        }
        put!(w, 0, "{s}\n");
    }
}

/// `printTolerationsMultilineWithIndent`: sorted by key, `key=value:effect op=Exists for Ns`.
fn tolerations(w: &mut W, title: &str, tolerations: &[Toleration]) {
    put!(w, 0, "{title}:\t");
    if tolerations.is_empty() {
        w.put(0, "<none>\n");
        return;
    }
    let mut sorted: Vec<&Toleration> = tolerations.iter().collect();
    sorted.sort_by(|a, b| a.key.cmp(&b.key));
    for (i, t) in sorted.into_iter().enumerate() {
        if i != 0 {
            w.put(0, "\t");
        }
        let key = t.key.as_deref().unwrap_or("");
        let value = t.value.as_deref().unwrap_or("");
        let effect = t.effect.as_deref().unwrap_or("");
        let mut s = key.to_string();
        if !value.is_empty() {
            s.push('=');
            s.push_str(value);
        }
        if !effect.is_empty() {
            s.push(':');
            s.push_str(effect);
        }
        if t.operator.as_deref() == Some("Exists") && value.is_empty() {
            s.push_str(if key.is_empty() && effect.is_empty() {
                "op=Exists"
            } else {
                " op=Exists"
            });
        }
        if let Some(secs) = t.toleration_seconds {
            s.push_str(&format!(" for {secs}s"));
        }
        put!(w, 0, "{s}\n");
    }
}

/// `Conditions:` with Type, Status and Reason (deployments, replica sets).
fn conditions_with_reason(w: &mut W, conds: &[Condition]) {
    if conds.is_empty() {
        return;
    }
    w.put(0, "Conditions:\n  Type\tStatus\tReason\n");
    w.put(1, "----\t------\t------\n");
    for c in conds {
        put!(
            w,
            1,
            "{} \t{}\t{}\n",
            c.type_,
            c.status,
            c.reason.as_deref().unwrap_or("")
        );
    }
}

/// `DescribePodTemplate`: the template of a workload, nested two spaces.
fn pod_template(w: &mut W, t: &PodTemplateSpec) {
    w.put(0, "Pod Template:\n");
    labels_multiline(w, "", "  Labels", &t.metadata.labels);
    if !t.metadata.annotations.is_empty() {
        annotations_multiline(w, "  Annotations", &t.metadata.annotations);
    }
    if let Some(sa) = t.spec.service_account_name.as_deref().filter(|s| !s.is_empty()) {
        put!(w, 1, "Service Account:\t{sa}\n");
    }
    if !t.spec.init_containers.is_empty() {
        containers(w, "Init Containers", &t.spec.init_containers, None, None, "  ");
    }
    containers(w, "Containers", &t.spec.containers, None, None, "  ");
    volumes(w, &t.spec.volumes, "  ");
    if let Some(pc) = t.spec.priority_class_name.as_deref().filter(|s| !s.is_empty()) {
        put!(w, 1, "Priority Class Name:\t{pc}\n");
    }
    labels_multiline(w, "", "  Node-Selectors", &t.spec.node_selector);
    tolerations(w, "  Tolerations", &t.spec.tolerations);
}

/// `describeContainers`: one block per container; statuses only for pods (templates have none).
fn containers(
    w: &mut W,
    label: &str,
    list: &[Container],
    statuses: Option<&[ContainerStatus]>,
    pod: Option<&Pod>,
    space: &str,
) {
    let none = if list.is_empty() { " <none>" } else { "" };
    put!(w, 0, "{space}{label}:{none}\n");
    let name_indent = if space.is_empty() { "" } else { " " };
    for c in list {
        let status = statuses.and_then(|s| s.iter().find(|s| s.name == c.name));
        put!(w, 1, "{name_indent}{}:\n", c.name);
        if let Some(s) = status {
            put!(w, 2, "Container ID:\t{}\n", s.container_id.as_deref().unwrap_or(""));
        }
        put!(w, 2, "Image:\t{}\n", c.image);
        if let Some(s) = status {
            put!(w, 2, "Image ID:\t{}\n", s.image_id);
        }
        let proto = |p: &ContainerPort| p.protocol.clone().unwrap_or_else(|| "TCP".into());
        let ports: Vec<String> = c
            .ports
            .iter()
            .map(|p| format!("{}/{}", p.container_port, proto(p)))
            .collect();
        let host_ports: Vec<String> = c
            .ports
            .iter()
            .map(|p| format!("{}/{}", p.host_port.unwrap_or(0), proto(p)))
            .collect();
        for (one, many, list) in [("Port", "Ports", ports), ("Host Port", "Host Ports", host_ports)] {
            let text = list.join(", ");
            if text.contains(',') {
                put!(w, 2, "{many}:\t{text}\n");
            } else {
                put!(w, 2, "{one}:\t{}\n", if text.is_empty() { "<none>" } else { &text });
            }
        }
        for (title, words) in [("Command", &c.command), ("Args", &c.args)] {
            if !words.is_empty() {
                put!(w, 2, "{title}:\n");
                for word in words.iter() {
                    for line in word.split('\n') {
                        put!(w, 3, "{line}\n");
                    }
                }
            }
        }
        if let Some(s) = status {
            container_state(w, "State", &s.state);
            if s.last_state.terminated.is_some() {
                container_state(w, "Last State", &s.last_state);
            }
            put!(w, 2, "Ready:\t{}\n", if s.ready { "True" } else { "False" });
            put!(w, 2, "Restart Count:\t{}\n", s.restart_count);
        }
        for (title, list) in [("Limits", &c.resources.limits), ("Requests", &c.resources.requests)] {
            if !list.is_empty() {
                put!(w, 2, "{title}:\n");
            }
            for (k, v) in list {
                let text = match v {
                    Value::String(s) => canonical_quantity(s),
                    other => canonical_quantity(&other.to_string()),
                };
                put!(w, 3, "{k}:\t{text}\n");
            }
        }
        for (title, probe) in [
            ("Liveness", &c.liveness_probe),
            ("Readiness", &c.readiness_probe),
            ("Startup", &c.startup_probe),
        ] {
            if let Some(p) = probe {
                put!(w, 2, "{title}:\t{}\n", describe_probe(p));
            }
        }
        if !c.env_from.is_empty() {
            w.put(2, "Environment Variables from:\n");
            for e in &c.env_from {
                let (from, r) = match (e.get("configMapRef"), e.get("secretRef")) {
                    (Some(r), _) => ("ConfigMap", r),
                    (None, Some(r)) => ("Secret", r),
                    _ => ("", &Value::Null),
                };
                let name = r.get("name").and_then(Value::as_str).unwrap_or("");
                let optional = r.get("optional").and_then(Value::as_bool).unwrap_or(false);
                match e.get("prefix").and_then(Value::as_str).filter(|p| !p.is_empty()) {
                    Some(prefix) => put!(w, 3, "{name}\t{from} with prefix '{prefix}'\tOptional: {optional}\n"),
                    None => put!(w, 3, "{name}\t{from}\tOptional: {optional}\n"),
                }
            }
        }
        env_vars(w, c, pod);
        if c.volume_mounts.is_empty() {
            w.put(2, "Mounts:\t<none>\n");
        } else {
            w.put(2, "Mounts:\n");
            let mut mounts: Vec<&VolumeMount> = c.volume_mounts.iter().collect();
            mounts.sort_by(|a, b| a.mount_path.cmp(&b.mount_path));
            for m in mounts {
                let mut flags = vec![if m.read_only == Some(true) {
                    "ro".to_string()
                } else {
                    "rw".to_string()
                }];
                if let Some(sp) = m.sub_path.as_deref().filter(|s| !s.is_empty()) {
                    flags.push(format!("path={sp:?}"));
                }
                put!(w, 3, "{} from {} ({})\n", m.mount_path, m.name, flags.join(","));
            }
        }
    }
}

/// `describeStatus`: Running with its start, Waiting with its reason, Terminated with reason,
/// message, exit code, signal, start and finish.
fn container_state(w: &mut W, title: &str, s: &ContainerState) {
    if let Some(r) = &s.running {
        put!(w, 2, "{title}:\tRunning\n");
        put!(w, 3, "Started:\t{}\n", rfc1123z_opt(r.started_at));
    } else if let Some(wt) = &s.waiting {
        put!(w, 2, "{title}:\tWaiting\n");
        if let Some(r) = wt.reason.as_deref().filter(|r| !r.is_empty()) {
            put!(w, 3, "Reason:\t{r}\n");
        }
    } else if let Some(t) = &s.terminated {
        put!(w, 2, "{title}:\tTerminated\n");
        if let Some(r) = t.reason.as_deref().filter(|r| !r.is_empty()) {
            put!(w, 3, "Reason:\t{r}\n");
        }
        if let Some(m) = t.message.as_deref().filter(|m| !m.is_empty()) {
            put!(w, 3, "Message:\t{m}\n");
        }
        put!(w, 3, "Exit Code:\t{}\n", t.exit_code);
        if let Some(sig) = t.signal.filter(|s| *s > 0) {
            put!(w, 3, "Signal:\t{sig}\n");
        }
        put!(w, 3, "Started:\t{}\n", rfc1123z_opt(t.started_at));
        put!(w, 3, "Finished:\t{}\n", rfc1123z_opt(t.finished_at));
    } else {
        put!(w, 2, "{title}:\tWaiting\n");
    }
}

/// `describeContainerEnvVars`, resolving `fieldRef`s against the pod as kubectl does.
fn env_vars(w: &mut W, c: &Container, pod: Option<&Pod>) {
    if c.env.is_empty() {
        w.put(2, "Environment:\t<none>\n");
        return;
    }
    w.put(2, "Environment:\n");
    for e in &c.env {
        let Some(from) = &e.value_from else {
            for (i, line) in e.value.as_deref().unwrap_or("").split('\n').enumerate() {
                if i == 0 {
                    put!(w, 3, "{}:\t{line}\n", e.name);
                } else {
                    put!(w, 3, "\t{line}\n");
                }
            }
            continue;
        };
        let s = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).unwrap_or("").to_string();
        let optional = |v: &Value| v.get("optional").and_then(Value::as_bool).unwrap_or(false);
        if let Some(f) = from.get("fieldRef") {
            let path = s(f, "fieldPath");
            let value = pod.map(|p| field_path_value(p, &path)).unwrap_or_default();
            let api = f.get("apiVersion").and_then(Value::as_str).unwrap_or("v1");
            put!(w, 3, "{}:\t{value} ({api}:{path})\n", e.name);
        } else if let Some(r) = from.get("resourceFieldRef") {
            let resource = s(r, "resource");
            let (kind, name) = resource.split_once('.').unwrap_or(("", ""));
            let list = if kind == "limits" {
                &c.resources.limits
            } else {
                &c.resources.requests
            };
            let mut value = ResourceRequirements::get(list, name)
                .map(|q| canonical_quantity(&q))
                .unwrap_or_else(|| "0".into());
            if value == "0" && (resource == "limits.cpu" || resource == "limits.memory") {
                value = "node allocatable".into();
            }
            put!(w, 3, "{}:\t{value} ({resource})\n", e.name);
        } else if let Some(r) = from.get("secretKeyRef") {
            put!(
                w,
                3,
                "{}:\t<set to the key '{}' in secret '{}'>\tOptional: {}\n",
                e.name,
                s(r, "key"),
                s(r, "name"),
                optional(r)
            );
        } else if let Some(r) = from.get("configMapKeyRef") {
            put!(
                w,
                3,
                "{}:\t<set to the key '{}' of config map '{}'>\tOptional: {}\n",
                e.name,
                s(r, "key"),
                s(r, "name"),
                optional(r)
            );
        }
    }
}

/// The downward-API field paths a pod can expose as environment variables.
fn field_path_value(p: &Pod, path: &str) -> String {
    let label = |prefix: &str, map: &BTreeMap<String, String>| {
        path.strip_prefix(prefix)
            .and_then(|r| r.strip_suffix("']"))
            .and_then(|k| map.get(k).cloned())
            .unwrap_or_default()
    };
    match path {
        "metadata.name" => p.metadata.name.clone(),
        "metadata.namespace" => p.metadata.ns().to_string(),
        "metadata.uid" => p.metadata.uid().to_string(),
        "spec.nodeName" => p.spec.node_name.clone().unwrap_or_default(),
        "spec.serviceAccountName" => p.spec.service_account_name.clone().unwrap_or_default(),
        "status.hostIP" => p.status.host_ip.clone().unwrap_or_default(),
        "status.podIP" => p.status.pod_ip.clone().unwrap_or_default(),
        "status.podIPs" => p
            .status
            .pod_ips
            .iter()
            .map(|i| i.ip.as_str())
            .collect::<Vec<_>>()
            .join(","),
        _ if path.starts_with("metadata.labels['") => label("metadata.labels['", &p.metadata.labels),
        _ if path.starts_with("metadata.annotations['") => label("metadata.annotations['", &p.metadata.annotations),
        _ => String::new(),
    }
}

/// `DescribeProbe`: `http-get http://:8080/healthz delay=0s timeout=1s period=10s #success=1 #failure=3`.
fn describe_probe(p: &Probe) -> String {
    let attrs = format!(
        "delay={}s timeout={}s period={}s #success={} #failure={}",
        p.initial_delay_seconds.unwrap_or(0),
        p.timeout_seconds.unwrap_or(0),
        p.period_seconds.unwrap_or(0),
        p.success_threshold.unwrap_or(0),
        p.failure_threshold.unwrap_or(0)
    );
    let h = &p.handler;
    if let Some(e) = &h.exec {
        return format!("exec [{}] {attrs}", e.command.join(" "));
    }
    if let Some(g) = &h.http_get {
        let scheme = g.scheme.as_deref().unwrap_or("").to_lowercase();
        let port = g.port.to_string();
        let host = g.host.as_deref().unwrap_or("");
        let authority = if port.is_empty() {
            host.to_string()
        } else {
            format!("{}:{port}", bracket_v6(host))
        };
        let path = g.path.as_deref().unwrap_or("");
        let url = if scheme.is_empty() {
            format!("//{authority}{path}")
        } else {
            format!("{scheme}://{authority}{path}")
        };
        return format!("http-get {url} {attrs}");
    }
    if let Some(t) = &h.tcp_socket {
        return format!("tcp-socket {}:{} {attrs}", t.host.as_deref().unwrap_or(""), t.port);
    }
    if let Some(g) = &h.grpc {
        let port = g.get("port").and_then(Value::as_i64).unwrap_or(0);
        let service = g.get("service").and_then(Value::as_str).unwrap_or("");
        return format!("grpc <pod>:{port} {service} {attrs}");
    }
    format!("unknown {attrs}")
}

fn bracket_v6(host: &str) -> String {
    if host.contains(':') {
        format!("[{host}]")
    } else {
        host.to_string()
    }
}

/// `describeVolumes`: one block per volume with its source's own lines.
fn volumes(w: &mut W, list: &[Volume], space: &str) {
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
            let t = h.get("type").and_then(Value::as_str).unwrap_or("<none>");
            put!(
                w,
                2,
                "Type:\tHostPath (bare host directory volume)\n    Path:\t{}\n    HostPathType:\t{t}\n",
                s(h, "path")
            );
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
fn projected(w: &mut W, p: &Value) {
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

/// `DescribeEvents`: `Events:\t<none>`, or a table sorted by last timestamp (stable over the
/// server's name order), ages as `89s (x6 over 15m)` for repeated events.
fn events(w: &mut W, list: Option<Vec<Event>>, now: SimTime) {
    let Some(mut list) = list else { return };
    if list.is_empty() {
        w.put(0, "Events:\t<none>\n");
        return;
    }
    w.flush();
    list.sort_by(|a, b| a.metadata.name.cmp(&b.metadata.name));
    list.dedup_by(|a, b| a.metadata.name == b.metadata.name);
    // SortableEvents compares lastTimestamp, which the server keeps to the second.
    list.sort_by_key(|e| e.last_timestamp.map(|t| t.0 .0 / 1000));
    w.put(0, "Events:\n  Type\tReason\tAge\tFrom\tMessage\n");
    w.put(1, "----\t------\t----\t----\t-------\n");
    for e in &list {
        let first = match e.event_time {
            Some(t) => since(Some(t), now),
            None => since(e.first_timestamp, now),
        };
        let count = e.count.unwrap_or(0);
        let interval = if count > 1 {
            format!("{} (x{count} over {first})", since(e.last_timestamp, now))
        } else {
            first
        };
        let source = match e.source.component.as_deref() {
            Some(c) if !c.is_empty() => c.to_string(),
            _ => e.reporting_component.clone(),
        };
        put!(
            w,
            1,
            "{}\t{}\t{interval}\t{source}\t{}\n",
            e.type_.as_deref().unwrap_or(""),
            e.reason.as_deref().unwrap_or(""),
            e.message.as_deref().unwrap_or("").trim()
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Quantities and times
// ---------------------------------------------------------------------------------------------

/// How a quantity was written, which its canonical form keeps (`resource.Format`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum QFormat {
    #[default]
    DecimalSI,
    BinarySI,
    DecimalExponent,
}

/// A `resource.Quantity`: a value in milli-units and the format it prints in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Quantity {
    milli: i64,
    format: QFormat,
}

impl Quantity {
    fn parse(text: &str) -> Option<Quantity> {
        let milli = crate::engine::quantity::parse_milli(text)?;
        let t = text.trim();
        let format = if t.ends_with('i') {
            QFormat::BinarySI
        } else if t.trim_start_matches(['+', '-']).contains(['e', 'E']) {
            QFormat::DecimalExponent
        } else {
            QFormat::DecimalSI
        };
        Some(Quantity { milli, format })
    }

    /// `Value()`: whole units, rounded up.
    fn value(&self) -> i64 {
        ceil_div(self.milli, 1000)
    }
}

/// `Quantity.String()`: the canonical form (`CanonicalizeBytes`). BinarySI values below 1Ki or
/// with a fraction print as DecimalSI; decimal values use the largest SI suffix that keeps the
/// mantissa an integer (`1500m`, `2`, `16k`).
impl std::fmt::Display for Quantity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let m = self.milli;
        if self.format == QFormat::BinarySI && m.abs() >= 1024 * 1000 && m % 1000 == 0 {
            let (mut n, mut k) = (m / 1000, 0);
            while n % 1024 == 0 && k < 6 {
                n /= 1024;
                k += 1;
            }
            return write!(f, "{n}{}", ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"][k]);
        }
        if m == 0 {
            return f.write_str("0");
        }
        let (mut mant, mut exp) = (m, -3i32);
        while mant % 1000 == 0 && exp < 18 {
            mant /= 1000;
            exp += 3;
        }
        let suffix = match (self.format, exp) {
            (QFormat::DecimalExponent, 0) => String::new(),
            (QFormat::DecimalExponent, e) => format!("e{e}"),
            (_, -3) => "m".into(),
            (_, 0) => String::new(),
            (_, e) => ["k", "M", "G", "T", "P", "E"][(e / 3 - 1) as usize].into(),
        };
        write!(f, "{mant}{suffix}")
    }
}

/// A quantity as `describe` prints it; text that does not parse is shown as it is.
fn canonical_quantity(text: &str) -> String {
    Quantity::parse(text)
        .map(|q| q.to_string())
        .unwrap_or_else(|| text.to_string())
}

/// `PodRequestsAndLimits`: per resource, the sum over app containers, or the largest init
/// container's value when that is bigger. Sums keep the format of the first term (`Add`).
fn pod_requests_and_limits(p: &Pod) -> (BTreeMap<String, Quantity>, BTreeMap<String, Quantity>) {
    let of = |list: &BTreeMap<String, Value>| -> BTreeMap<String, Quantity> {
        list.keys()
            .filter_map(|k| {
                ResourceRequirements::get(list, k)
                    .and_then(|t| Quantity::parse(&t))
                    .map(|q| (k.clone(), q))
            })
            .collect()
    };
    let mut req: BTreeMap<String, Quantity> = BTreeMap::new();
    let mut lim: BTreeMap<String, Quantity> = BTreeMap::new();
    for c in &p.spec.containers {
        add_all(&mut req, of(&c.resources.requests));
        add_all(&mut lim, of(&c.resources.limits));
    }
    for c in &p.spec.init_containers {
        for (target, list) in [
            (&mut req, of(&c.resources.requests)),
            (&mut lim, of(&c.resources.limits)),
        ] {
            for (k, q) in list {
                if target.get(&k).is_none_or(|cur| q.milli > cur.milli) {
                    target.insert(k, q);
                }
            }
        }
    }
    (req, lim)
}

fn add_all(total: &mut BTreeMap<String, Quantity>, more: BTreeMap<String, Quantity>) {
    for (k, q) in more {
        match total.get_mut(&k) {
            Some(cur) => cur.milli += q.milli,
            None => {
                total.insert(k, q);
            }
        }
    }
}

/// Go's `time.RFC1123Z` in UTC: `Wed, 25 Nov 2026 14:29:53 +0000`.
pub fn rfc1123z(t: Timestamp) -> String {
    let secs = t.unix_secs();
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (y, m, d) = civil_from_days(days);
    const WEEKDAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    format!(
        "{}, {d:02} {} {y:04} {:02}:{:02}:{:02} +0000",
        WEEKDAYS[(days + 4).rem_euclid(7) as usize],
        MONTHS[(m - 1) as usize],
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// A zero `metav1.Time` formats as Go's zero time.
fn rfc1123z_opt(t: Option<Timestamp>) -> String {
    t.map(rfc1123z)
        .unwrap_or_else(|| "Mon, 01 Jan 0001 00:00:00 +0000".into())
}

/// Proleptic Gregorian date of a day count since 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(f: impl FnOnce(&mut W)) -> String {
        let mut w = W::new();
        f(&mut w);
        w.finish()
    }

    #[test]
    fn times_print_as_rfc1123z() {
        assert_eq!(rfc1123z(Timestamp(SimTime(0))), "Mon, 02 Mar 2026 09:00:00 +0000");
        let later = Timestamp(SimTime(((268 * 24 + 5) * 3600 + 29 * 60 + 53) * 1000));
        assert_eq!(rfc1123z(later), "Wed, 25 Nov 2026 14:29:53 +0000");
    }

    #[test]
    fn quantities_print_canonically() {
        for (text, want) in [
            ("250m", "250m"),
            ("0.5", "500m"),
            ("1000m", "1"),
            ("64Mi", "64Mi"),
            ("8148080Ki", "8148080Ki"),
            ("1024", "1024"),
            ("16000", "16k"),
            ("512Ki", "512Ki"),
            ("1e3", "1e3"),
            ("0", "0"),
        ] {
            assert_eq!(canonical_quantity(text), want, "{text}");
        }
        let sum = Quantity {
            milli: 100 + 250,
            format: QFormat::DecimalSI,
        };
        assert_eq!(sum.to_string(), "350m");
        assert_eq!(Quantity::default().to_string(), "0");
    }

    #[test]
    fn labels_and_annotations_align_under_the_first_value() {
        let labels: BTreeMap<String, String> = [("app", "web"), ("pod-template-hash", "7c5")]
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let out = render(|w| {
            put!(w, 0, "Name:\t{}\n", "web-1");
            labels_multiline(w, "", "Labels", &labels);
            annotations_multiline(w, "Annotations", &BTreeMap::new());
        });
        assert_eq!(
            out,
            "Name:         web-1\nLabels:       app=web\n              pod-template-hash=7c5\nAnnotations:  <none>\n"
        );
        let long: BTreeMap<String, String> = [("k".to_string(), "x".repeat(150))].into_iter().collect();
        let out = render(|w| annotations_multiline(w, "Annotations", &long));
        assert_eq!(
            out,
            format!("Annotations:  k:\n{}  {}...\n", " ".repeat(14), "x".repeat(138))
        );
    }

    #[test]
    fn tolerations_and_taints_read_like_kubectl() {
        let t = |key: Option<&str>, op: &str, effect: Option<&str>, secs: Option<i64>| Toleration {
            key: key.map(str::to_string),
            operator: Some(op.into()),
            effect: effect.map(str::to_string),
            toleration_seconds: secs,
            value: None,
        };
        let out = render(|w| {
            tolerations(
                w,
                "Tolerations",
                &[
                    t(
                        Some("node.kubernetes.io/unreachable"),
                        "Exists",
                        Some("NoExecute"),
                        Some(300),
                    ),
                    t(None, "Exists", None, None),
                ],
            )
        });
        assert_eq!(
            out,
            "Tolerations:  op=Exists\n              node.kubernetes.io/unreachable:NoExecute op=Exists for 300s\n"
        );
        let taint = Taint {
            effect: "NoSchedule".into(),
            key: "node-role.kubernetes.io/control-plane".into(),
            ..Default::default()
        };
        assert_eq!(
            render(|w| taints(w, &[taint])),
            "Taints:  node-role.kubernetes.io/control-plane:NoSchedule\n"
        );
    }

    #[test]
    fn events_table_shows_repeats_and_none() {
        assert_eq!(render(|w| events(w, Some(Vec::new()), SimTime(0))), "Events:  <none>\n");
        let ev = |name: &str, reason: &str, first: u64, last: u64, count: i64| Event {
            metadata: ObjectMeta::named(name, Some("default")),
            count: Some(count),
            first_timestamp: Some(Timestamp(SimTime(first))),
            last_timestamp: Some(Timestamp(SimTime(last))),
            reason: Some(reason.into()),
            message: Some(format!("{reason} message")),
            type_: Some("Normal".into()),
            source: EventSource {
                component: Some("kubelet".into()),
                host: None,
            },
            ..Default::default()
        };
        let out = render(|w| {
            events(
                w,
                Some(vec![
                    ev("p.2", "Pulled", 0, 900_000 - 89_000, 6),
                    ev("p.1", "Scheduled", 0, 0, 1),
                ]),
                SimTime(900_000),
            )
        });
        let want = [
            "Events:",
            "  Type    Reason     Age                From     Message",
            "  ----    ------     ----               ----     -------",
            "  Normal  Scheduled  15m                kubelet  Scheduled message",
            "  Normal  Pulled     89s (x6 over 15m)  kubelet  Pulled message",
            "",
        ];
        assert_eq!(out, want.join("\n"));
    }

    /// `captured/describe.txt`, `kubectl describe pod crashy`, rebuilt from the same fixture.
    #[test]
    fn crash_looping_pod_matches_the_capture() {
        let ts = |s: &str| Timestamp::parse(s).expect("fixture timestamps are RFC 3339");
        let p: Pod = serde_json::from_value(serde_json::json!({
            "metadata": {"name": "crashy", "namespace": "default", "labels": {"run": "crashy"}},
            "spec": {
                "containers": [{"name": "crashy", "image": "busybox:1.36", "command": ["sh", "-c", "echo boom; exit 1"],
                    "volumeMounts": [{"mountPath": "/var/run/secrets/kubernetes.io/serviceaccount", "name": "kube-api-access-rashy", "readOnly": true}]}],
                "nodeName": "kind-worker2", "priority": 0, "serviceAccountName": "default",
                "tolerations": [
                    {"effect": "NoExecute", "key": "node.kubernetes.io/not-ready", "operator": "Exists", "tolerationSeconds": 300},
                    {"effect": "NoExecute", "key": "node.kubernetes.io/unreachable", "operator": "Exists", "tolerationSeconds": 300}
                ],
                "volumes": [{"name": "kube-api-access-rashy", "projected": {"defaultMode": 420, "sources": [
                    {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
                    {"configMap": {"items": [{"key": "ca.crt", "path": "ca.crt"}], "name": "kube-root-ca.crt"}},
                    {"downwardAPI": {"items": [{"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}, "path": "namespace"}]}}
                ]}}]
            },
            "status": {
                "phase": "Running",
                "qosClass": "BestEffort", "startTime": "2026-11-25T14:19:53Z",
                "conditions": [
                    {"type": "PodReadyToStartContainers", "status": "True"}, {"type": "Initialized", "status": "True"},
                    {"type": "Ready", "status": "False"}, {"type": "ContainersReady", "status": "False"},
                    {"type": "PodScheduled", "status": "True"}
                ]
            }
        }))
        .expect("the fixture is a valid pod");
        let mut p = p;
        p.status.host_ip = Some("172.18.0.3".into());
        p.status.pod_ip = Some("10.244.2.7".into());
        p.status.pod_ips = vec![PodIp {
            ip: "10.244.2.7".into(),
        }];
        p.status.container_statuses.push(ContainerStatus {
            name: "crashy".into(),
            image: "docker.io/library/busybox:1.36".into(),
            ready: false,
            restart_count: 5,
            container_id: Some("containerd://9f8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a39281706f5e4d3c2b1a0".into()),
            image_id:
                "docker.io/library/busybox@sha256:37f7b378a29ceb4c551b1b5582e27747b855bbfaa73fa11914fe0df028dc581f"
                    .into(),
            started: Some(false),
            state: ContainerState {
                waiting: Some(StateWaiting {
                    reason: Some("CrashLoopBackOff".into()),
                    message: None,
                }),
                ..Default::default()
            },
            last_state: ContainerState {
                terminated: Some(StateTerminated {
                    exit_code: 1,
                    reason: Some("Error".into()),
                    started_at: Some(ts("2026-11-25T14:33:38Z")),
                    finished_at: Some(ts("2026-11-25T14:33:38Z")),
                    ..Default::default()
                }),
                ..Default::default()
            },
        });
        let now = ts("2026-11-25T14:35:02Z").0;
        let ev = |name: &str, type_: &str, reason: &str, first: &str, last: &str, count: i64, msg: &str| Event {
            metadata: ObjectMeta::named(name, Some("default")),
            count: Some(count),
            first_timestamp: Some(ts(first)),
            last_timestamp: Some(ts(last)),
            reason: Some(reason.into()),
            message: Some(msg.into()),
            type_: Some(type_.into()),
            source: EventSource {
                component: Some(
                    if reason == "Scheduled" {
                        "default-scheduler"
                    } else {
                        "kubelet"
                    }
                    .into(),
                ),
                host: None,
            },
            ..Default::default()
        };
        let evs = vec![
            ev("crashy.5", "Warning", "BackOff", "2026-11-25T14:20:33Z", "2026-11-25T14:34:38Z", 40,
                "Back-off restarting failed container crashy in pod crashy_default(bd83c6ab-1acc-f84c-e71a-dde6f4039374)"),
            ev("crashy.1", "Normal", "Scheduled", "2026-11-25T14:19:53Z", "2026-11-25T14:19:53Z", 1,
                "Successfully assigned default/crashy to kind-worker2"),
            ev("crashy.2", "Normal", "Pulled", "2026-11-25T14:19:54Z", "2026-11-25T14:33:33Z", 6,
                "Container image \"busybox:1.36\" already present on machine"),
            ev("crashy.3", "Normal", "Created", "2026-11-25T14:19:54Z", "2026-11-25T14:33:33Z", 6, "Created container: crashy"),
            ev("crashy.4", "Normal", "Started", "2026-11-25T14:19:54Z", "2026-11-25T14:33:33Z", 6, "Started container crashy"),
        ];
        let out = render(|w| pod(w, &p, now, Some(evs)));
        let capture = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/reference/captured/describe.txt"
        ));
        let want = "\
Name:             crashy
Namespace:        default
Priority:         0
Service Account:  default
Node:             kind-worker2/172.18.0.3
Start Time:       Wed, 25 Nov 2026 14:19:53 +0000
Labels:           run=crashy
Annotations:      <none>
Status:           Running
IP:               10.244.2.7
IPs:
  IP:  10.244.2.7
Containers:
  crashy:
    Container ID:  containerd://9f8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a39281706f5e4d3c2b1a0
    Image:         busybox:1.36
    Image ID:      docker.io/library/busybox@sha256:37f7b378a29ceb4c551b1b5582e27747b855bbfaa73fa11914fe0df028dc581f
    Port:          <none>
    Host Port:     <none>
    Command:
      sh
      -c
      echo boom; exit 1
    State:          Waiting
      Reason:       CrashLoopBackOff
    Last State:     Terminated
      Reason:       Error
      Exit Code:    1
      Started:      Wed, 25 Nov 2026 14:33:38 +0000
      Finished:     Wed, 25 Nov 2026 14:33:38 +0000
    Ready:          False
    Restart Count:  5
    Environment:    <none>
    Mounts:
      /var/run/secrets/kubernetes.io/serviceaccount from kube-api-access-rashy (ro)
Conditions:
  Type                        Status
  PodReadyToStartContainers   True 
  Initialized                 True 
  Ready                       False 
  ContainersReady             False 
  PodScheduled                True 
Volumes:
  kube-api-access-rashy:
    Type:                    Projected (a volume that contains injected data from multiple sources)
    TokenExpirationSeconds:  3607
    ConfigMapName:           kube-root-ca.crt
    ConfigMapOptional:       <nil>
    DownwardAPI:             true
QoS Class:                   BestEffort
Node-Selectors:              <none>
Tolerations:                 node.kubernetes.io/not-ready:NoExecute op=Exists for 300s
                             node.kubernetes.io/unreachable:NoExecute op=Exists for 300s
Events:
  Type     Reason     Age                 From               Message
  ----     ------     ----                ----               -------
  Normal   Scheduled  15m                 default-scheduler  Successfully assigned default/crashy to kind-worker2
  Normal   Pulled     89s (x6 over 15m)   kubelet            Container image \"busybox:1.36\" already present on machine
  Normal   Created    89s (x6 over 15m)   kubelet            Created container: crashy
  Normal   Started    89s (x6 over 15m)   kubelet            Started container crashy
  Warning  BackOff    24s (x40 over 14m)  kubelet            Back-off restarting failed container crashy in pod crashy_default(bd83c6ab-1acc-f84c-e71a-dde6f4039374)
";
        assert_eq!(out, want);
        // The expected text is the capture's, byte for byte (when the reference is at hand).
        if let Ok(capture) = capture {
            assert!(capture.contains(&format!("$ kubectl describe pod crashy\n{want}[exit code 0]")));
        }
    }

    /// `captured/describe.txt`, `kubectl describe pod multi`: an init container, two app
    /// containers, no events.
    #[test]
    fn pod_with_init_and_sidecar_containers_matches_the_capture() {
        let ts = |s: &str| Timestamp::parse(s).expect("fixture timestamps are RFC 3339");
        let mount = serde_json::json!([{"mountPath": "/var/run/secrets/kubernetes.io/serviceaccount", "name": "kube-api-access-multi", "readOnly": true}]);
        let conditions: Vec<serde_json::Value> = [
            "PodReadyToStartContainers",
            "Initialized",
            "Ready",
            "ContainersReady",
            "PodScheduled",
        ]
        .iter()
        .map(|t| serde_json::json!({"type": t, "status": "True"}))
        .collect();
        let mut p: Pod = serde_json::from_value(serde_json::json!({
            "metadata": {"name": "multi", "namespace": "default", "labels": {"app": "multi"}},
            "spec": {
                "initContainers": [{"name": "init-db", "image": "busybox:1.36", "command": ["sh", "-c", "sleep 2"]}],
                "containers": [
                    {"name": "app", "image": "nginx:1.27", "volumeMounts": mount},
                    {"name": "sidecar", "image": "busybox:1.36", "command": ["sh", "-c", "sleep 3600"], "volumeMounts": mount}
                ],
                "nodeName": "kind-worker2", "priority": 0, "serviceAccountName": "default",
                "tolerations": [
                    {"effect": "NoExecute", "key": "node.kubernetes.io/not-ready", "operator": "Exists", "tolerationSeconds": 300},
                    {"effect": "NoExecute", "key": "node.kubernetes.io/unreachable", "operator": "Exists", "tolerationSeconds": 300}
                ],
                "volumes": [{"name": "kube-api-access-multi", "projected": {"sources": [
                    {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
                    {"configMap": {"name": "kube-root-ca.crt"}},
                    {"downwardAPI": {"items": []}}
                ]}}]
            },
            "status": {
                "phase": "Running", "qosClass": "BestEffort", "startTime": "2026-11-25T14:28:13Z",
                "conditions": conditions
            }
        }))
        .expect("the fixture is a valid pod");
        p.status.host_ip = Some("172.18.0.3".into());
        p.status.pod_ip = Some("10.244.2.9".into());
        p.status.pod_ips = vec![PodIp {
            ip: "10.244.2.9".into(),
        }];
        let running = |name: &str, id: &str, image_id: &str| ContainerStatus {
            name: name.into(),
            image: String::new(),
            image_id: image_id.into(),
            container_id: Some(id.into()),
            ready: true,
            restart_count: 0,
            started: Some(true),
            state: ContainerState {
                running: Some(StateRunning {
                    started_at: Some(ts("2026-11-25T14:28:23Z")),
                }),
                ..Default::default()
            },
            last_state: ContainerState::default(),
        };
        let mut init = running("init-db", "containerd://1111", "docker.io/library/busybox@sha256:37f7");
        init.state = ContainerState {
            terminated: Some(StateTerminated {
                exit_code: 0,
                reason: Some("Completed".into()),
                started_at: Some(ts("2026-11-25T14:28:15Z")),
                finished_at: Some(ts("2026-11-25T14:28:17Z")),
                ..Default::default()
            }),
            ..Default::default()
        };
        p.status.init_container_statuses.push(init);
        let sha = "sha256:0a399eb16751829e1af26fea27b20c3ec28d7ab1fb72182879dcae1cca21206a";
        p.status.container_statuses.push(running(
            "app",
            "containerd://4e624eb6c26a924d3c9ba3da58aa7b09abcdef0123456789abcdef0123456789",
            &format!("docker.io/library/nginx@{sha}"),
        ));
        p.status.container_statuses.push(running(
            "sidecar",
            "containerd://4c160729fe62e86b43820e23bdc34e5eabcdef0123456789abcdef0123456789",
            &format!("docker.io/library/busybox@{sha}"),
        ));
        let out = render(|w| pod(w, &p, ts("2026-11-25T14:35:02Z").0, Some(Vec::new())));
        let capture = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/reference/captured/describe.txt"
        ));
        assert!(out.contains("\nInit Containers:\n  init-db:\n    Container ID:  containerd://1111\n    Image:         busybox:1.36\n"), "{out}");
        assert!(
            out.contains("\n    State:          Terminated\n      Reason:       Completed\n      Exit Code:    0\n"),
            "{out}"
        );
        assert!(
            out.contains("\n    Environment:    <none>\n    Mounts:         <none>\nContainers:\n  app:\n"),
            "{out}"
        );
        assert!(out.ends_with("                             node.kubernetes.io/unreachable:NoExecute op=Exists for 300s\nEvents:                      <none>\n"), "{out}");
        if let Ok(capture) = capture {
            assert!(
                capture.contains(&format!("$ kubectl describe pod multi\n{out}[exit code 0]")),
                "{out}"
            );
        }
    }

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

    #[test]
    fn smart_labels_split_camel_case() {
        assert_eq!(smart_label("creationTimestamp"), "Creation Timestamp");
        assert_eq!(smart_label("apiVersion"), "API Version");
        assert_eq!(smart_label("involvedObject"), "Involved Object");
        assert_eq!(smart_label("HTTPServer"), "HTTP Server");
        assert_eq!(smart_label("field_path"), "field_path");
    }

    #[test]
    fn probes_describe_like_kubectl() {
        let mut p = Probe {
            initial_delay_seconds: Some(5),
            timeout_seconds: Some(1),
            period_seconds: Some(10),
            success_threshold: Some(1),
            failure_threshold: Some(3),
            ..Default::default()
        };
        p.handler.http_get = Some(HttpGetAction {
            host: None,
            http_headers: vec![],
            path: Some("/healthz".into()),
            port: IntOrString::Int(8080),
            scheme: Some("HTTP".into()),
        });
        assert_eq!(
            describe_probe(&p),
            "http-get http://:8080/healthz delay=5s timeout=1s period=10s #success=1 #failure=3"
        );
        p.handler.http_get = None;
        p.handler.exec = Some(ExecAction {
            command: vec!["cat".into(), "/tmp/healthy".into()],
        });
        assert_eq!(
            describe_probe(&p),
            "exec [cat /tmp/healthy] delay=5s timeout=1s period=10s #success=1 #failure=3"
        );
    }
}
