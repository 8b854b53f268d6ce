//! The columns of `kubectl get` tables: one constant table per kind, as the API server's table
//! convertor builds them (`pkg/printers/internalversion/printers.go`, v1.32), and the one place
//! that decorates them the way kubectl's client does (`-A`, kind prefixes, `-L`,
//! `--show-labels`; cli-runtime `printers/tableprinter.go` `decorateTable`).
//!
//! Adding a kind is one `const` table plus one line in [`tables!`]. Kinds without a table get
//! the server's generic `NAME AGE` (what real clusters print for kinds without a printer).
//! Column names and cell rules: `shared/reference/kubectl-behaviour.md` §2.

use crate::engine::api::*;
use crate::engine::{SimTime, Timestamp};
use crate::printers::duration::human_duration;
use crate::printers::pod_status;
use kubelab_engine::sort::CompactSort;
use std::collections::BTreeMap;

/// What a cell may depend on besides its object.
#[derive(Clone, Copy, Debug)]
pub struct Ctx {
    /// The cluster's clock when the table is printed (AGE, LAST SEEN, RESTARTS).
    pub now: SimTime,
    /// `-o wide`: some cells are not truncated then (load-balancer addresses).
    pub wide: bool,
}

/// One column: its header (already upper-cased, as kubectl prints it), whether it only shows
/// with `-o wide` (the server's priority-1 columns) and how to compute a cell.
pub struct Col<T: 'static> {
    pub head: &'static str,
    pub wide_only: bool,
    pub cell: fn(&T, &Ctx) -> String,
}

const fn col<T>(head: &'static str, cell: fn(&T, &Ctx) -> String) -> Col<T> {
    Col {
        head,
        wide_only: false,
        cell,
    }
}

const fn wide<T>(head: &'static str, cell: fn(&T, &Ctx) -> String) -> Col<T> {
    Col {
        head,
        wide_only: true,
        cell,
    }
}

/// `kubectl get pods`; `-o wide` adds where the pod runs. READY/STATUS/RESTARTS follow
/// `printPod` (see [`pod_status`]); IP is the first of `status.podIPs`.
pub const POD: &[Col<Pod>] = &[
    col("NAME", |p, _| p.metadata.name.clone()),
    col("READY", |p, _| pod_status::ready(p)),
    col("STATUS", |p, _| pod_status::status(p)),
    col("RESTARTS", |p, c| pod_status::restarts(p, c.now)),
    col("AGE", |p, c| age(&p.metadata, c)),
    wide("IP", |p, _| or_none(p.status.pod_ips.first().map(|i| i.ip.as_str()))),
    wide("NODE", |p, _| or_none(p.spec.node_name.as_deref())),
    // The simulated scheduler never preempts, so no pod is ever nominated.
    wide("NOMINATED NODE", |_, _| "<none>".into()),
    // `<ready>/<total>` of `spec.readinessGates`, which kubelab pods never declare.
    wide("READINESS GATES", |_, _| "<none>".into()),
];

/// `kubectl get deployments`: READY is `readyReplicas/spec.replicas`.
pub const DEPLOYMENT: &[Col<Deployment>] = &[
    col("NAME", |d, _| d.metadata.name.clone()),
    col("READY", |d, _| format!("{}/{}", d.status.ready_replicas, d.replicas())),
    col("UP-TO-DATE", |d, _| d.status.updated_replicas.to_string()),
    col("AVAILABLE", |d, _| d.status.available_replicas.to_string()),
    col("AGE", |d, c| age(&d.metadata, c)),
    wide("CONTAINERS", |d, _| container_names(&d.spec.template.spec)),
    wide("IMAGES", |d, _| container_images(&d.spec.template.spec)),
    wide("SELECTOR", |d, _| format_label_selector(&d.spec.selector)),
];

/// `kubectl get replicasets`: DESIRED is the spec, CURRENT and READY the status.
pub const REPLICA_SET: &[Col<ReplicaSet>] = &[
    col("NAME", |r, _| r.metadata.name.clone()),
    col("DESIRED", |r, _| r.replicas().to_string()),
    col("CURRENT", |r, _| r.status.replicas.to_string()),
    col("READY", |r, _| r.status.ready_replicas.to_string()),
    col("AGE", |r, c| age(&r.metadata, c)),
    wide("CONTAINERS", |r, _| container_names(&r.spec.template.spec)),
    wide("IMAGES", |r, _| container_images(&r.spec.template.spec)),
    wide("SELECTOR", |r, _| format_label_selector(&r.spec.selector)),
];

/// `kubectl get services` (`printService`).
pub const SERVICE: &[Col<Service>] = &[
    col("NAME", |s, _| s.metadata.name.clone()),
    col("TYPE", |s, _| s.type_().to_string()),
    col("CLUSTER-IP", |s, _| {
        or_none(s.spec.cluster_ips.first().map(String::as_str))
    }),
    col("EXTERNAL-IP", service_external_ip),
    col("PORT(S)", |s, _| {
        let ports = service_ports(s);
        if ports.is_empty() {
            "<none>".into()
        } else {
            ports
        }
    }),
    col("AGE", |s, c| age(&s.metadata, c)),
    wide("SELECTOR", |s, _| format_labels(&s.spec.selector)),
];

/// `kubectl get endpoints`.
pub const ENDPOINTS: &[Col<Endpoints>] = &[
    col("NAME", |e, _| e.metadata.name.clone()),
    col("ENDPOINTS", |e, _| format_endpoints(e)),
    col("AGE", |e, c| age(&e.metadata, c)),
];

/// `kubectl get nodes` (`printNode`).
pub const NODE: &[Col<Node>] = &[
    col("NAME", |n, _| n.metadata.name.clone()),
    col("STATUS", node_status),
    col("ROLES", |n, _| {
        let roles = node_roles(n);
        if roles.is_empty() {
            "<none>".into()
        } else {
            roles.join(",")
        }
    }),
    col("AGE", |n, c| age(&n.metadata, c)),
    col("VERSION", |n, _| {
        n.status
            .node_info
            .as_ref()
            .map(|i| i.kubelet_version.clone())
            .unwrap_or_default()
    }),
    wide("INTERNAL-IP", |n, _| node_address(n, "InternalIP")),
    wide("EXTERNAL-IP", |n, _| node_address(n, "ExternalIP")),
    wide("OS-IMAGE", |n, _| node_info(n, |i| &i.os_image)),
    wide("KERNEL-VERSION", |n, _| node_info(n, |i| &i.kernel_version)),
    wide("CONTAINER-RUNTIME", |n, _| {
        node_info(n, |i| &i.container_runtime_version)
    }),
];

/// `kubectl get namespaces`.
pub const NAMESPACE: &[Col<Namespace>] = &[
    col("NAME", |n, _| n.metadata.name.clone()),
    col("STATUS", |n, _| n.status.phase.clone().unwrap_or_default()),
    col("AGE", |n, c| age(&n.metadata, c)),
];

/// `kubectl get events` (`printEvent`): `-o wide` inserts SUBOBJECT and SOURCE before MESSAGE
/// and appends FIRST SEEN, COUNT and NAME.
pub const EVENT: &[Col<Event>] = &[
    col("LAST SEEN", event_last_seen),
    col("TYPE", |e, _| e.type_.clone().unwrap_or_default()),
    col("REASON", |e, _| e.reason.clone().unwrap_or_default()),
    col("OBJECT", |e, _| {
        let kind = e.involved_object.kind.clone().unwrap_or_default().to_lowercase();
        match e.involved_object.name.as_deref() {
            Some(n) if !n.is_empty() => format!("{kind}/{n}"),
            _ => kind,
        }
    }),
    wide("SUBOBJECT", |e, _| {
        e.involved_object.field_path.clone().unwrap_or_default()
    }),
    wide("SOURCE", |e, _| {
        let component = first_non_empty(e.source.component.as_deref(), &e.reporting_component);
        let host = first_non_empty(e.source.host.as_deref(), &e.reporting_instance);
        if host.is_empty() {
            component
        } else {
            format!("{component}, {host}")
        }
    }),
    col("MESSAGE", |e, _| e.message.as_deref().unwrap_or("").trim().to_string()),
    wide("FIRST SEEN", event_first_seen),
    wide("COUNT", |e, _| e.count.filter(|c| *c != 0).unwrap_or(1).to_string()),
    wide("NAME", |e, _| e.metadata.name.clone()),
];

/// `kubectl get statefulsets`: READY is `readyReplicas/spec.replicas`.
pub const STATEFUL_SET: &[Col<StatefulSet>] = &[
    col("NAME", |s, _| s.metadata.name.clone()),
    col("READY", |s, _| format!("{}/{}", s.status.ready_replicas, s.replicas())),
    col("AGE", |s, c| age(&s.metadata, c)),
    wide("CONTAINERS", |s, _| container_names(&s.spec.template.spec)),
    wide("IMAGES", |s, _| container_images(&s.spec.template.spec)),
];

/// `kubectl get daemonsets`: the status counters; NODE SELECTOR is the template's
/// `nodeSelector` (`labels.FormatLabels`).
pub const DAEMON_SET: &[Col<DaemonSet>] = &[
    col("NAME", |d, _| d.metadata.name.clone()),
    col("DESIRED", |d, _| d.status.desired_number_scheduled.to_string()),
    col("CURRENT", |d, _| d.status.current_number_scheduled.to_string()),
    col("READY", |d, _| d.status.number_ready.to_string()),
    col("UP-TO-DATE", |d, _| d.status.updated_number_scheduled.to_string()),
    col("AVAILABLE", |d, _| d.status.number_available.to_string()),
    col("NODE SELECTOR", |d, _| {
        format_labels(&d.spec.template.spec.node_selector)
    }),
    col("AGE", |d, c| age(&d.metadata, c)),
    wide("CONTAINERS", |d, _| container_names(&d.spec.template.spec)),
    wide("IMAGES", |d, _| container_images(&d.spec.template.spec)),
    wide("SELECTOR", |d, _| format_label_selector(&d.spec.selector)),
];

/// `kubectl get jobs` (`printJob`).
pub const JOB: &[Col<Job>] = &[
    col("NAME", |j, _| j.metadata.name.clone()),
    col("STATUS", |j, _| job_status(j).into()),
    col("COMPLETIONS", |j, _| job_completions(j)),
    col("DURATION", job_duration),
    col("AGE", |j, c| age(&j.metadata, c)),
    wide("CONTAINERS", |j, _| container_names(&j.spec.template.spec)),
    wide("IMAGES", |j, _| container_images(&j.spec.template.spec)),
    wide("SELECTOR", |j, _| {
        format_label_selector(&j.spec.selector.clone().unwrap_or_default())
    }),
];

/// `kubectl get cronjobs` (`printCronJob`).
pub const CRON_JOB: &[Col<CronJob>] = &[
    col("NAME", |j, _| j.metadata.name.clone()),
    col("SCHEDULE", |j, _| j.spec.schedule.clone()),
    col("TIMEZONE", |j, _| or_none(j.spec.time_zone.as_deref())),
    col("SUSPEND", |j, _| match j.spec.suspend {
        Some(s) => s.to_string(),
        None => "<none>".into(),
    }),
    col("ACTIVE", |j, _| j.status.active.len().to_string()),
    col("LAST SCHEDULE", |j, c| match j.status.last_schedule_time {
        Some(t) => since(Some(t), c.now),
        None => "<none>".into(),
    }),
    col("AGE", |j, c| age(&j.metadata, c)),
    wide("CONTAINERS", |j, _| {
        container_names(&j.spec.job_template.spec.template.spec)
    }),
    wide("IMAGES", |j, _| {
        container_images(&j.spec.job_template.spec.template.spec)
    }),
    wide("SELECTOR", |j, _| {
        format_label_selector(&j.spec.job_template.spec.selector.clone().unwrap_or_default())
    }),
];

/// `kubectl get configmaps`: DATA counts `data` and `binaryData` keys.
pub const CONFIG_MAP: &[Col<ConfigMap>] = &[
    col("NAME", |m, _| m.metadata.name.clone()),
    col("DATA", |m, _| (m.data.len() + m.binary_data.len()).to_string()),
    col("AGE", |m, c| age(&m.metadata, c)),
];

/// `kubectl get secrets`.
pub const SECRET: &[Col<Secret>] = &[
    col("NAME", |s, _| s.metadata.name.clone()),
    col("TYPE", |s, _| s.type_().to_string()),
    col("DATA", |s, _| s.data.len().to_string()),
    col("AGE", |s, c| age(&s.metadata, c)),
];

/// `kubectl get serviceaccounts`.
pub const SERVICE_ACCOUNT: &[Col<ServiceAccount>] = &[
    col("NAME", |s, _| s.metadata.name.clone()),
    col("SECRETS", |s, _| s.secrets.len().to_string()),
    col("AGE", |s, c| age(&s.metadata, c)),
];

/// `kubectl get persistentvolumes` (`printPersistentVolume`).
pub const PERSISTENT_VOLUME: &[Col<PersistentVolume>] = &[
    col("NAME", |v, _| v.metadata.name.clone()),
    col("CAPACITY", |v, _| {
        v.spec
            .capacity
            .get("storage")
            .map(quantity_text)
            .unwrap_or_else(|| "0".into())
    }),
    col("ACCESS MODES", |v, _| access_modes(&v.spec.access_modes)),
    col("RECLAIM POLICY", |v, _| v.reclaim_policy().to_string()),
    col("STATUS", |v, _| {
        if v.metadata.is_deleting() {
            "Terminating".into()
        } else {
            v.phase().to_string()
        }
    }),
    col("CLAIM", |v, _| match &v.spec.claim_ref {
        Some(r) => format!(
            "{}/{}",
            r.namespace.as_deref().unwrap_or(""),
            r.name.as_deref().unwrap_or("")
        ),
        None => String::new(),
    }),
    col("STORAGECLASS", |v, _| v.class().to_string()),
    col("VOLUMEATTRIBUTESCLASS", |v, _| {
        unset(v.spec.volume_attributes_class_name.as_deref())
    }),
    col("REASON", |v, _| v.status.reason.clone().unwrap_or_default()),
    col("AGE", |v, c| age(&v.metadata, c)),
    wide("VOLUMEMODE", |v, _| unset(v.spec.volume_mode.as_deref())),
];

/// `kubectl get persistentvolumeclaims` (`printPersistentVolumeClaim`): VOLUME, CAPACITY
/// and ACCESS MODES stay empty until the claim is bound.
pub const PERSISTENT_VOLUME_CLAIM: &[Col<PersistentVolumeClaim>] = &[
    col("NAME", |c, _| c.metadata.name.clone()),
    col("STATUS", |c, _| {
        if c.metadata.is_deleting() {
            "Terminating".into()
        } else {
            c.phase().to_string()
        }
    }),
    col("VOLUME", |c, _| c.spec.volume_name.clone().unwrap_or_default()),
    col("CAPACITY", |c, _| match &c.spec.volume_name {
        Some(_) => c.status.capacity.get("storage").cloned().unwrap_or_default(),
        None => String::new(),
    }),
    col("ACCESS MODES", |c, _| match &c.spec.volume_name {
        Some(_) => access_modes(&c.status.access_modes),
        None => String::new(),
    }),
    col("STORAGECLASS", |c, _| c.class().to_string()),
    col("VOLUMEATTRIBUTESCLASS", |c, _| {
        unset(c.spec.volume_attributes_class_name.as_deref())
    }),
    col("AGE", |c, x| age(&c.metadata, x)),
    wide("VOLUMEMODE", |c, _| unset(c.spec.volume_mode.as_deref())),
];

/// `kubectl get storageclasses`: the default class is marked `(default)`.
pub const STORAGE_CLASS: &[Col<StorageClass>] = &[
    col("NAME", |s, _| {
        let beta = s
            .metadata
            .annotations
            .get("storageclass.beta.kubernetes.io/is-default-class")
            .map(String::as_str)
            == Some("true");
        if s.is_default() || beta {
            format!("{} (default)", s.metadata.name)
        } else {
            s.metadata.name.clone()
        }
    }),
    col("PROVISIONER", |s, _| s.provisioner.clone()),
    col("RECLAIMPOLICY", |s, _| {
        s.reclaim_policy.clone().unwrap_or_else(|| "Delete".into())
    }),
    col("VOLUMEBINDINGMODE", |s, _| {
        s.volume_binding_mode.clone().unwrap_or_else(|| "Immediate".into())
    }),
    col("ALLOWVOLUMEEXPANSION", |s, _| {
        s.allow_volume_expansion.unwrap_or(false).to_string()
    }),
    col("AGE", |s, c| age(&s.metadata, c)),
];

/// `kubectl get ingresses` (`printIngress`).
pub const INGRESS: &[Col<Ingress>] = &[
    col("NAME", |i, _| i.metadata.name.clone()),
    col("CLASS", |i, _| {
        let class = i
            .spec
            .ingress_class_name
            .clone()
            .or_else(|| i.metadata.annotations.get("kubernetes.io/ingress.class").cloned());
        or_none(class.as_deref())
    }),
    col("HOSTS", |i, _| ingress_hosts(i)),
    col("ADDRESS", |i, _| {
        i.status
            .load_balancer
            .ingress
            .iter()
            .filter_map(|a| a.ip.clone().filter(|ip| !ip.is_empty()).or(a.hostname.clone()))
            .collect::<Vec<_>>()
            .join(",")
    }),
    col("PORTS", |i, _| {
        if i.spec.tls.is_empty() {
            "80".into()
        } else {
            "80, 443".into()
        }
    }),
    col("AGE", |i, c| age(&i.metadata, c)),
];

/// `kubectl get ingressclasses`.
pub const INGRESS_CLASS: &[Col<IngressClass>] = &[
    col("NAME", |i, _| i.metadata.name.clone()),
    col("CONTROLLER", |i, _| i.spec.controller.clone().unwrap_or_default()),
    col("PARAMETERS", |i, _| match &i.spec.parameters {
        Some(p) => {
            let field = |k: &str| p.get(k).and_then(|v| v.as_str()).unwrap_or("").to_string();
            let mut kind = field("kind");
            if let Some(g) = p.get("apiGroup").and_then(|v| v.as_str()) {
                kind = format!("{kind}.{g}");
            }
            format!("{kind}/{}", field("name"))
        }
        None => "<none>".into(),
    }),
    col("AGE", |i, c| age(&i.metadata, c)),
];

/// `kubectl get resourcequotas` (`printResourceQuota`): AGE comes second in the v1.32 table;
/// REQUEST lists `resource: used/hard` for the non-`limits.` resources, LIMIT the others.
pub const RESOURCE_QUOTA: &[Col<ResourceQuota>] = &[
    col("NAME", |q, _| q.metadata.name.clone()),
    col("AGE", |q, c| age(&q.metadata, c)),
    col("REQUEST", |q, _| quota_usage(q, false)),
    col("LIMIT", |q, _| quota_usage(q, true)),
];

/// LimitRanges have no printer: the API server's default table (`NAME`, `CREATED AT`).
pub const LIMIT_RANGE: &[Col<LimitRange>] = &[
    col("NAME", |l, _| l.metadata.name.clone()),
    col("CREATED AT", |l, _| {
        l.metadata.creation_timestamp.map(|t| t.to_string()).unwrap_or_default()
    }),
];

/// `kubectl get poddisruptionbudgets`: a budget sets one of the two, the other is `N/A`.
pub const POD_DISRUPTION_BUDGET: &[Col<PodDisruptionBudget>] = &[
    col("NAME", |p, _| p.metadata.name.clone()),
    col("MIN AVAILABLE", |p, _| {
        p.spec.min_available.as_ref().map_or("N/A".into(), |v| v.to_string())
    }),
    col("MAX UNAVAILABLE", |p, _| {
        p.spec.max_unavailable.as_ref().map_or("N/A".into(), |v| v.to_string())
    }),
    col("ALLOWED DISRUPTIONS", |p, _| p.status.disruptions_allowed.to_string()),
    col("AGE", |p, c| age(&p.metadata, c)),
];

/// `kubectl get controllerrevisions`: CONTROLLER is `statefulset.apps/web`.
pub const CONTROLLER_REVISION: &[Col<ControllerRevision>] = &[
    col("NAME", |r, _| r.metadata.name.clone()),
    col("CONTROLLER", |r, _| match r.metadata.controller() {
        Some(o) => {
            let group = o.api_version.split_once('/').map_or("", |(g, _)| g);
            let gk = if group.is_empty() {
                o.kind.clone()
            } else {
                format!("{}.{group}", o.kind)
            };
            format!("{}/{}", gk.to_lowercase(), o.name)
        }
        None => "<none>".into(),
    }),
    col("REVISION", |r, _| r.revision.to_string()),
    col("AGE", |r, c| age(&r.metadata, c)),
];

/// The server's default table for kinds without a printer.
const GENERIC: &[Col<Object>] = &[
    col("NAME", |o, _| o.name().to_string()),
    col("AGE", |o, c| age(o.meta(), c)),
];

/// Binds every kind to its table. A kind missing here prints [`GENERIC`].
macro_rules! tables {
    ($($variant:ident => $table:ident),* $(,)?) => {
        /// The column headers of `kind`'s table, before client-side decoration.
        pub fn base_headers(kind: Kind, wide: bool) -> Vec<&'static str> {
            #[allow(unreachable_patterns)]
            match kind {
                $(Kind::$variant => heads($table, wide),)*
                _ => heads(GENERIC, wide),
            }
        }

        /// One object's cells, before client-side decoration.
        pub fn base_cells(obj: &Object, ctx: &Ctx) -> Vec<String> {
            #[allow(unreachable_patterns)]
            match obj {
                $(Object::$variant(o) => cells($table, o, ctx),)*
                _ => cells(GENERIC, obj, ctx),
            }
        }
    };
}

tables! {
    Pod => POD,
    Node => NODE,
    Namespace => NAMESPACE,
    Service => SERVICE,
    Endpoints => ENDPOINTS,
    Event => EVENT,
    Deployment => DEPLOYMENT,
    ReplicaSet => REPLICA_SET,
    StatefulSet => STATEFUL_SET,
    DaemonSet => DAEMON_SET,
    Job => JOB,
    CronJob => CRON_JOB,
    ConfigMap => CONFIG_MAP,
    Secret => SECRET,
    ServiceAccount => SERVICE_ACCOUNT,
    PersistentVolume => PERSISTENT_VOLUME,
    PersistentVolumeClaim => PERSISTENT_VOLUME_CLAIM,
    StorageClass => STORAGE_CLASS,
    Ingress => INGRESS,
    IngressClass => INGRESS_CLASS,
    ResourceQuota => RESOURCE_QUOTA,
    LimitRange => LIMIT_RANGE,
    PodDisruptionBudget => POD_DISRUPTION_BUDGET,
    ControllerRevision => CONTROLLER_REVISION,
}

fn heads<T>(cols: &[Col<T>], wide: bool) -> Vec<&'static str> {
    cols.iter().filter(|c| wide || !c.wide_only).map(|c| c.head).collect()
}

fn cells<T>(cols: &[Col<T>], obj: &T, ctx: &Ctx) -> Vec<String> {
    cols.iter()
        .filter(|c| ctx.wide || !c.wide_only)
        .map(|c| (c.cell)(obj, ctx))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Client-side decoration
// ---------------------------------------------------------------------------------------------

/// kubectl's print options for a table (cli-runtime `printers.PrintOptions`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TableOpts {
    /// `-o wide`.
    pub wide: bool,
    /// `-A` on a namespaced kind: a NAMESPACE column first.
    pub with_namespace: bool,
    /// Several types requested: the NAME column reads `deployment.apps/web`.
    pub with_kind: bool,
    /// `--show-labels`: a LABELS column last.
    pub show_labels: bool,
    /// `-L key,…`: one column per key, before LABELS.
    pub label_columns: Vec<String>,
}

/// The header row of `kind`'s table as kubectl prints it (`decorateTable` + `printTable`).
pub fn header_row(kind: Kind, opts: &TableOpts) -> Vec<String> {
    let mut row: Vec<String> = Vec::new();
    if opts.with_namespace {
        row.push("NAMESPACE".into());
    }
    row.extend(base_headers(kind, opts.wide).into_iter().map(str::to_string));
    // `-L app.kubernetes.io/name` is headed NAME: the last path segment, upper-cased.
    row.extend(
        opts.label_columns
            .iter()
            .map(|l| l.rsplit('/').next().unwrap_or(l).to_uppercase()),
    );
    if opts.show_labels {
        row.push("LABELS".into());
    }
    row
}

/// One object's row as kubectl prints it: the server's cells, the kind prefix on the NAME
/// column, then namespace, `-L` values (empty when the label is absent) and labels.
pub fn object_row(obj: &Object, opts: &TableOpts, now: SimTime) -> Vec<String> {
    let ctx = Ctx { now, wide: opts.wide };
    let mut cells = base_cells(obj, &ctx);
    if opts.with_kind {
        let heads = base_headers(obj.kind(), opts.wide);
        if let Some(i) = heads.iter().position(|h| *h == "NAME") {
            cells[i] = format!("{}/{}", kind_prefix(obj.kind()), cells[i]);
        }
    }
    let labels = &obj.meta().labels;
    let mut row = Vec::with_capacity(cells.len() + 2 + opts.label_columns.len());
    if opts.with_namespace {
        row.push(obj.namespace().to_string());
    }
    row.extend(cells);
    row.extend(
        opts.label_columns
            .iter()
            .map(|k| labels.get(k).cloned().unwrap_or_default()),
    );
    if opts.show_labels {
        row.push(format_labels(labels));
    }
    row
}

/// `pod`, `deployment.apps`: the lower-cased GroupKind kubectl puts before names (`-o name`, kind
/// prefixes of multi-type tables).
pub fn kind_prefix(kind: Kind) -> String {
    let info = kind.info();
    if info.group.is_empty() {
        info.kind.to_lowercase()
    } else {
        format!("{}.{}", info.kind.to_lowercase(), info.group)
    }
}

// ---------------------------------------------------------------------------------------------
// Cell helpers shared with `describe`
// ---------------------------------------------------------------------------------------------

/// `translateTimestampSince`: HumanDuration of the time since `ts`, `<unknown>` without one. The
/// API server stores timestamps with whole seconds, so the fraction is dropped before
/// subtracting, exactly as a real client sees them.
pub fn since(ts: Option<Timestamp>, now: SimTime) -> String {
    match ts {
        Some(t) => human_duration(now.0 as i64 - (t.0 .0 / 1000 * 1000) as i64),
        None => "<unknown>".into(),
    }
}

fn age(m: &ObjectMeta, c: &Ctx) -> String {
    since(m.creation_timestamp, c.now)
}

fn or_none(s: Option<&str>) -> String {
    match s {
        Some(s) if !s.is_empty() => s.to_string(),
        _ => "<none>".into(),
    }
}

fn first_non_empty(a: Option<&str>, b: &str) -> String {
    match a {
        Some(a) if !a.is_empty() => a.to_string(),
        _ => b.to_string(),
    }
}

/// `labels.FormatLabels`: `k=v,k2=v2` in key order, `<none>` when empty.
pub fn format_labels(labels: &BTreeMap<String, String>) -> String {
    if labels.is_empty() {
        return "<none>".into();
    }
    labels
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",")
}

/// `labels.Selector.String()` of a spec's LabelSelector: requirements sorted by key,
/// `k=v`, `k in (a,b)`, `k notin (a,b)`, `k`, `!k`, joined by commas; empty for an empty
/// selector.
pub fn selector_string(s: &LabelSelector) -> String {
    let mut reqs: Vec<(String, String)> = s
        .match_labels
        .iter()
        .map(|(k, v)| (k.clone(), format!("{k}={v}")))
        .collect();
    for e in &s.match_expressions {
        let mut values = e.values.clone();
        values.compact_sort();
        let text = match e.operator.as_str() {
            "In" => format!("{} in ({})", e.key, values.join(",")),
            "NotIn" => format!("{} notin ({})", e.key, values.join(",")),
            "Exists" => e.key.clone(),
            "DoesNotExist" => format!("!{}", e.key),
            _ => continue,
        };
        reqs.push((e.key.clone(), text));
    }
    reqs.compact_sort_by(|a, b| a.0.cmp(&b.0));
    reqs.into_iter().map(|(_, t)| t).collect::<Vec<_>>().join(",")
}

/// `metav1.FormatLabelSelector`: [`selector_string`], or `<none>` when it selects everything.
pub fn format_label_selector(s: &LabelSelector) -> String {
    let text = selector_string(s);
    if text.is_empty() {
        "<none>".into()
    } else {
        text
    }
}

fn container_names(spec: &PodSpec) -> String {
    spec.containers
        .iter()
        .map(|c| c.name.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

fn container_images(spec: &PodSpec) -> String {
    spec.containers
        .iter()
        .map(|c| c.image.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

/// `makePortString`: `port/PROTO`, or `port:nodePort/PROTO` when a node port is allocated.
pub fn service_ports(s: &Service) -> String {
    s.spec
        .ports
        .iter()
        .map(|p| {
            let proto = p.protocol.as_deref().unwrap_or("TCP");
            match p.node_port {
                Some(np) if np > 0 => format!("{}:{np}/{proto}", p.port),
                _ => format!("{}/{proto}", p.port),
            }
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// Load-balancer ingress addresses (`status.loadBalancer.ingress[].ip|hostname`).
fn load_balancer_ingress(s: &Service) -> Vec<String> {
    let Some(serde_json::Value::Array(items)) = s.status.load_balancer.get("ingress") else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|i| {
            let ip = i.get("ip").and_then(|v| v.as_str()).filter(|v| !v.is_empty());
            let host = i.get("hostname").and_then(|v| v.as_str());
            ip.or(host).map(str::to_string)
        })
        .collect()
}

/// `getServiceExternalIP`: external IPs for ClusterIP/NodePort (`<none>` without), the
/// load-balancer ingress or `<pending>` for LoadBalancer (clipped to 16 characters unless
/// `-o wide`), the external name for ExternalName.
fn service_external_ip(s: &Service, c: &Ctx) -> String {
    match s.type_() {
        "ClusterIP" | "NodePort" => {
            if s.spec.external_ips.is_empty() {
                "<none>".into()
            } else {
                s.spec.external_ips.join(",")
            }
        }
        "LoadBalancer" => {
            let mut lb = load_balancer_ingress(s).join(",");
            if !c.wide && lb.len() > 16 {
                lb = format!("{}...", &lb[..13]);
            }
            let mut all: Vec<String> = if lb.is_empty() {
                Vec::new()
            } else {
                lb.split(',').map(str::to_string).collect()
            };
            if !s.spec.external_ips.is_empty() {
                all.extend(s.spec.external_ips.iter().cloned());
                return all.join(",");
            }
            if lb.is_empty() {
                "<pending>".into()
            } else {
                lb
            }
        }
        "ExternalName" => s.spec.external_name.clone().unwrap_or_default(),
        _ => "<unknown>".into(),
    }
}

/// `formatEndpoints`: up to three `ip:port` pairs, then ` + N more...`; `<none>` without
/// subsets (an Endpoints object with only not-ready addresses prints an empty cell).
pub fn format_endpoints(e: &Endpoints) -> String {
    if e.subsets.is_empty() {
        return "<none>".into();
    }
    const MAX: usize = 3;
    let mut list: Vec<String> = Vec::new();
    let (mut count, mut more) = (0usize, false);
    for ss in &e.subsets {
        if ss.ports.is_empty() {
            count += ss.addresses.len();
            for a in &ss.addresses {
                if list.len() == MAX {
                    more = true;
                    break;
                }
                list.push(a.ip.clone());
            }
            continue;
        }
        for p in &ss.ports {
            count += ss.addresses.len();
            for a in &ss.addresses {
                if list.len() == MAX {
                    more = true;
                    break;
                }
                list.push(join_host_port(&a.ip, p.port));
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

/// Go's `net.JoinHostPort`: IPv6 hosts get brackets.
pub fn join_host_port(host: &str, port: i64) -> String {
    if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    }
}

/// `Ready`, `NotReady` (any Ready status but True) or `Unknown` (no Ready condition), plus
/// `,SchedulingDisabled` for a cordoned node.
fn node_status(n: &Node, _: &Ctx) -> String {
    let mut status: Vec<&str> = Vec::new();
    if let Some(c) = condition(&n.status.conditions, "Ready") {
        status.push(if c.is_true() { "Ready" } else { "NotReady" });
    }
    if status.is_empty() {
        status.push("Unknown");
    }
    if n.spec.unschedulable == Some(true) {
        status.push("SchedulingDisabled");
    }
    status.join(",")
}

/// `findNodeRoles`: the `node-role.kubernetes.io/<role>` label suffixes and the value of
/// `kubernetes.io/role`, sorted and without duplicates.
pub fn node_roles(n: &Node) -> Vec<String> {
    let mut roles: Vec<String> = Vec::new();
    for (k, v) in &n.metadata.labels {
        if let Some(role) = k.strip_prefix("node-role.kubernetes.io/") {
            if !role.is_empty() {
                roles.push(role.to_string());
            }
        } else if k == "kubernetes.io/role" && !v.is_empty() {
            roles.push(v.clone());
        }
    }
    roles.compact_sort();
    roles.dedup();
    roles
}

fn node_address(n: &Node, type_: &str) -> String {
    or_none(
        n.status
            .addresses
            .iter()
            .find(|a| a.type_ == type_)
            .map(|a| a.address.as_str()),
    )
}

fn node_info(n: &Node, field: fn(&NodeSystemInfo) -> &String) -> String {
    match n.status.node_info.as_ref().map(field) {
        Some(v) if !v.is_empty() => v.clone(),
        _ => "<unknown>".into(),
    }
}

/// `GetAccessModesAsString`: `RWO,ROX,RWX,RWOP` in that order, for the modes present.
pub fn access_modes(modes: &[String]) -> String {
    [
        ("ReadWriteOnce", "RWO"),
        ("ReadOnlyMany", "ROX"),
        ("ReadWriteMany", "RWX"),
        ("ReadWriteOncePod", "RWOP"),
    ]
    .iter()
    .filter(|(m, _)| modes.iter().any(|x| x == m))
    .map(|(_, a)| *a)
    .collect::<Vec<_>>()
    .join(",")
}

/// A quantity as written (`"1Gi"`, or a bare number).
fn quantity_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn unset(s: Option<&str>) -> String {
    s.filter(|s| !s.is_empty()).unwrap_or("<unset>").to_string()
}

/// STATUS of a job: the first that applies of Complete, Failed, Terminating, Suspended,
/// FailureTarget, SuccessCriteriaMet, else Running.
pub fn job_status(j: &Job) -> &'static str {
    let has = |t: &str| j.status.conditions.iter().any(|c| c.type_ == t && c.is_true());
    if has("Complete") {
        "Complete"
    } else if has("Failed") {
        "Failed"
    } else if j.metadata.is_deleting() {
        "Terminating"
    } else if has("Suspended") {
        "Suspended"
    } else if has("FailureTarget") {
        "FailureTarget"
    } else if has("SuccessCriteriaMet") {
        "SuccessCriteriaMet"
    } else {
        "Running"
    }
}

/// `succeeded/completions`, or `succeeded/1 of P` for a work queue with parallelism P > 1.
pub fn job_completions(j: &Job) -> String {
    let done = j.status.succeeded;
    match (j.spec.completions, j.spec.parallelism) {
        (Some(c), _) => format!("{done}/{c}"),
        (None, Some(p)) if p > 1 => format!("{done}/1 of {p}"),
        _ => format!("{done}/1"),
    }
}

/// DURATION: start to completion, or start to now while running; empty before it starts.
fn job_duration(j: &Job, c: &Ctx) -> String {
    let Some(start) = j.status.start_time else {
        return String::new();
    };
    let end = j
        .status
        .completion_time
        .map_or(c.now.0 as i64, |t| (t.0 .0 / 1000 * 1000) as i64);
    human_duration(end - (start.0 .0 / 1000 * 1000) as i64)
}

/// HOSTS: up to three rule hosts, then ` + N more...`; `*` when no rule names a host.
fn ingress_hosts(i: &Ingress) -> String {
    const MAX: usize = 3;
    let mut list: Vec<&str> = Vec::new();
    let mut more = false;
    for r in &i.spec.rules {
        if list.len() == MAX {
            more = true;
        }
        if !more {
            if let Some(h) = r.host.as_deref().filter(|h| !h.is_empty()) {
                list.push(h);
            }
        }
    }
    if list.is_empty() {
        return "*".into();
    }
    let ret = list.join(",");
    if more {
        format!("{ret} + {} more...", i.spec.rules.len() - MAX)
    } else {
        ret
    }
}

/// `res: used/hard` joined by `, `, sorted by resource, for the `limits.` resources or the rest.
fn quota_usage(q: &ResourceQuota, limits: bool) -> String {
    q.status
        .hard
        .iter()
        .filter(|(k, _)| k.starts_with("limits.") == limits)
        .map(|(k, hard)| {
            let used = q.status.used.get(k).map(String::as_str).unwrap_or("0");
            format!("{k}: {used}/{hard}")
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// FIRST SEEN: `firstTimestamp`, else `eventTime`.
fn event_first_seen(e: &Event, c: &Ctx) -> String {
    since(e.first_timestamp.or(e.event_time), c.now)
}

/// LAST SEEN: `lastTimestamp`, else the first-seen time.
fn event_last_seen(e: &Event, c: &Ctx) -> String {
    match e.last_timestamp {
        Some(t) => since(Some(t), c.now),
        None => event_first_seen(e, c),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(now_ms: u64) -> Ctx {
        Ctx {
            now: SimTime(now_ms),
            wide: false,
        }
    }

    fn meta(name: &str, created_ms: u64) -> ObjectMeta {
        let mut m = ObjectMeta::named(name, Some("default"));
        m.creation_timestamp = Some(Timestamp(SimTime(created_ms)));
        m
    }

    #[test]
    fn every_kind_has_its_reference_headers() {
        // kubectl-behaviour.md §2.
        let h = |k, w| base_headers(k, w).join(" ");
        assert_eq!(h(Kind::Pod, false), "NAME READY STATUS RESTARTS AGE");
        assert_eq!(
            h(Kind::Pod, true),
            "NAME READY STATUS RESTARTS AGE IP NODE NOMINATED NODE READINESS GATES"
        );
        assert_eq!(
            h(Kind::Deployment, true),
            "NAME READY UP-TO-DATE AVAILABLE AGE CONTAINERS IMAGES SELECTOR"
        );
        assert_eq!(h(Kind::ReplicaSet, false), "NAME DESIRED CURRENT READY AGE");
        assert_eq!(
            h(Kind::Service, true),
            "NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE SELECTOR"
        );
        assert_eq!(h(Kind::Endpoints, true), "NAME ENDPOINTS AGE");
        assert_eq!(
            h(Kind::Node, true),
            "NAME STATUS ROLES AGE VERSION INTERNAL-IP EXTERNAL-IP OS-IMAGE KERNEL-VERSION CONTAINER-RUNTIME"
        );
        assert_eq!(h(Kind::Namespace, false), "NAME STATUS AGE");
        assert_eq!(h(Kind::Event, false), "LAST SEEN TYPE REASON OBJECT MESSAGE");
        assert_eq!(
            h(Kind::Event, true),
            "LAST SEEN TYPE REASON OBJECT SUBOBJECT SOURCE MESSAGE FIRST SEEN COUNT NAME"
        );
    }

    #[test]
    fn service_cells_follow_print_service() {
        let mut s = Service {
            metadata: meta("web-np", 0),
            ..Default::default()
        };
        s.spec.type_ = Some("NodePort".into());
        s.spec.cluster_ips = vec!["10.96.200.7".into()];
        s.spec.ports = vec![ServicePort {
            port: 80,
            node_port: Some(30080),
            protocol: Some("TCP".into()),
            ..Default::default()
        }];
        s.spec.selector.insert("app".into(), "web".into());
        let c = Ctx {
            now: SimTime(26 * 60_000),
            wide: true,
        };
        assert_eq!(
            cells(SERVICE, &s, &c),
            [
                "web-np",
                "NodePort",
                "10.96.200.7",
                "<none>",
                "80:30080/TCP",
                "26m",
                "app=web"
            ]
        );
        s.spec.type_ = Some("LoadBalancer".into());
        assert_eq!(service_external_ip(&s, &c), "<pending>");
        s.status.load_balancer.insert(
            "ingress".into(),
            serde_json::json!([{"hostname": "a-very-long-hostname.example.com"}]),
        );
        assert_eq!(service_external_ip(&s, &ctx(0)), "a-very-long-h...");
        s.spec.ports.clear();
        assert_eq!(cells(SERVICE, &s, &c)[4], "<none>");
    }

    #[test]
    fn endpoints_show_three_then_count_the_rest() {
        let addr = |ip: &str| EndpointAddress {
            ip: ip.into(),
            ..Default::default()
        };
        let mut e = Endpoints {
            metadata: meta("web", 0),
            ..Default::default()
        };
        assert_eq!(format_endpoints(&e), "<none>");
        e.subsets.push(EndpointSubset {
            addresses: vec![
                addr("10.244.1.5"),
                addr("10.244.1.6"),
                addr("10.244.2.4"),
                addr("10.244.2.5"),
            ],
            not_ready_addresses: Vec::new(),
            ports: vec![EndpointPort {
                name: None,
                port: 80,
                protocol: Some("TCP".into()),
            }],
        });
        assert_eq!(
            format_endpoints(&e),
            "10.244.1.5:80,10.244.1.6:80,10.244.2.4:80 + 1 more..."
        );
        e.subsets[0].addresses.clear();
        assert_eq!(format_endpoints(&e), "");
    }

    #[test]
    fn selectors_sort_by_key_and_render_every_operator() {
        let mut s = LabelSelector::default();
        assert_eq!(format_label_selector(&s), "<none>");
        s.match_labels.insert("tier".into(), "fe".into());
        s.match_labels.insert("app".into(), "web".into());
        s.match_expressions.push(LabelSelectorRequirement {
            key: "env".into(),
            operator: "In".into(),
            values: vec!["qa".into(), "prod".into()],
        });
        s.match_expressions.push(LabelSelectorRequirement {
            key: "canary".into(),
            operator: "DoesNotExist".into(),
            values: vec![],
        });
        assert_eq!(format_label_selector(&s), "app=web,!canary,env in (prod,qa),tier=fe");
    }

    #[test]
    fn decoration_adds_namespace_kind_label_columns() {
        let mut p = Pod {
            metadata: meta("web-1", 0),
            ..Default::default()
        };
        p.metadata.labels.insert("app".into(), "web".into());
        p.metadata.labels.insert("pod-template-hash".into(), "abc".into());
        let opts = TableOpts {
            with_namespace: true,
            with_kind: true,
            show_labels: true,
            label_columns: vec!["app.kubernetes.io/name".into(), "app".into()],
            ..Default::default()
        };
        assert_eq!(
            header_row(Kind::Pod, &opts).join(" "),
            "NAMESPACE NAME READY STATUS RESTARTS AGE NAME APP LABELS"
        );
        let row = object_row(&Object::Pod(p), &opts, SimTime(125_000));
        assert_eq!(
            row,
            [
                "default",
                "pod/web-1",
                "0/0",
                "Pending",
                "0",
                "2m5s",
                "",
                "web",
                "app=web,pod-template-hash=abc"
            ]
        );
        assert_eq!(kind_prefix(Kind::Deployment), "deployment.apps");
        assert_eq!(kind_prefix(Kind::Endpoints), "endpoints");
    }

    #[test]
    fn node_status_and_roles() {
        let mut n = Node {
            metadata: meta("kind-control-plane", 0),
            ..Default::default()
        };
        assert_eq!(node_status(&n, &ctx(0)), "Unknown");
        n.status.conditions.push(Condition {
            type_: "Ready".into(),
            status: "Unknown".into(),
            ..Default::default()
        });
        n.spec.unschedulable = Some(true);
        assert_eq!(node_status(&n, &ctx(0)), "NotReady,SchedulingDisabled");
        n.metadata
            .labels
            .insert("node-role.kubernetes.io/control-plane".into(), String::new());
        n.metadata.labels.insert("kubernetes.io/role".into(), "infra".into());
        assert_eq!(node_roles(&n), ["control-plane", "infra"]);
    }

    #[test]
    fn ages_drop_the_sub_second_part_of_timestamps() {
        // Created at 0.9s, printed at 120.5s: the server stored 0s, so the age is 120s = 2m.
        assert_eq!(since(Some(Timestamp(SimTime(900))), SimTime(120_500)), "2m");
        assert_eq!(since(None, SimTime(0)), "<unknown>");
    }

    #[test]
    fn events_fall_back_to_first_timestamp_and_count_one() {
        let mut e = Event {
            metadata: meta("web.17", 0),
            ..Default::default()
        };
        e.first_timestamp = Some(Timestamp(SimTime(0)));
        e.involved_object.kind = Some("ReplicaSet".into());
        e.involved_object.name = Some("web-7c5".into());
        e.source.component = Some("kubelet".into());
        e.source.host = Some("kind-worker".into());
        e.message = Some(" Created pod: web-1 \n".into());
        let c = Ctx {
            now: SimTime(30_000),
            wide: true,
        };
        assert_eq!(
            cells(EVENT, &e, &c),
            [
                "30s",
                "",
                "",
                "replicaset/web-7c5",
                "",
                "kubelet, kind-worker",
                "Created pod: web-1",
                "30s",
                "1",
                "web.17"
            ]
        );
    }
}
