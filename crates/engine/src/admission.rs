//! What the API server does to an object before storing it: fill in defaults (so `-o yaml`
//! shows what a real cluster shows, `shared/reference/kubectl-behaviour.md` §10) and validate it
//! (so mistakes get the real `is invalid` messages, §8.3).

use crate::api::*;
use crate::error::{ApiError, FieldError};
use serde_json::{json, Value};

/// Defaults applied on create and update. Idempotent: running it twice changes nothing.
pub fn apply_defaults(obj: &mut Object) {
    match obj {
        Object::Pod(p) => {
            default_pod_spec(&mut p.spec);
            let sa = p
                .spec
                .service_account_name
                .get_or_insert_with(|| "default".into())
                .clone();
            p.spec.service_account.get_or_insert(sa);
            p.spec.enable_service_links.get_or_insert(true);
            p.spec
                .preemption_policy
                .get_or_insert_with(|| "PreemptLowerPriority".into());
            // The Priority admission plugin resolves the two built-in classes.
            let priority = match p.spec.priority_class_name.as_deref() {
                Some("system-node-critical") => 2_000_001_000,
                Some("system-cluster-critical") => 2_000_000_000,
                _ => 0,
            };
            p.spec.priority.get_or_insert(priority);
            for key in ["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"] {
                let has = p
                    .spec
                    .tolerations
                    .iter()
                    .any(|t| t.key.as_deref() == Some(key) && t.effect.as_deref() == Some("NoExecute"));
                if !has {
                    p.spec.tolerations.push(Toleration {
                        effect: Some("NoExecute".into()),
                        key: Some(key.into()),
                        operator: Some("Exists".into()),
                        toleration_seconds: Some(300),
                        value: None,
                    });
                }
            }
            p.status.phase.get_or_insert_with(|| "Pending".into());
            p.status.qos_class.get_or_insert_with(|| qos_class(&p.spec).into());
        }
        Object::Deployment(d) => {
            d.spec.replicas.get_or_insert(1);
            d.spec.revision_history_limit.get_or_insert(10);
            d.spec.progress_deadline_seconds.get_or_insert(600);
            let s = &mut d.spec.strategy;
            let t = s.type_.get_or_insert_with(|| "RollingUpdate".into()).clone();
            if t == "RollingUpdate" {
                let ru = s.rolling_update.get_or_insert_with(Default::default);
                ru.max_surge.get_or_insert(IntOrString::Str("25%".into()));
                ru.max_unavailable.get_or_insert(IntOrString::Str("25%".into()));
            }
            default_pod_spec(&mut d.spec.template.spec);
        }
        Object::ReplicaSet(rs) => {
            rs.spec.replicas.get_or_insert(1);
            default_pod_spec(&mut rs.spec.template.spec);
        }
        Object::Service(s) => {
            let spec = &mut s.spec;
            let t = spec.type_.get_or_insert_with(|| "ClusterIP".into()).clone();
            spec.session_affinity.get_or_insert_with(|| "None".into());
            if t != "ExternalName" {
                spec.internal_traffic_policy.get_or_insert_with(|| "Cluster".into());
                spec.ip_family_policy.get_or_insert_with(|| "SingleStack".into());
                if spec.ip_families.is_empty() {
                    spec.ip_families.push("IPv4".into());
                }
            }
            if t == "NodePort" || t == "LoadBalancer" {
                spec.external_traffic_policy.get_or_insert_with(|| "Cluster".into());
            }
            if t == "LoadBalancer" {
                spec.allocate_load_balancer_node_ports.get_or_insert(true);
            }
            for p in &mut spec.ports {
                p.protocol.get_or_insert_with(|| "TCP".into());
                p.target_port.get_or_insert(IntOrString::Int(p.port));
            }
        }
        Object::Namespace(n) => {
            if n.spec.finalizers.is_empty() {
                n.spec.finalizers.push("kubernetes".into());
            }
            n.status.phase.get_or_insert_with(|| "Active".into());
            let name = n.metadata.name.clone();
            n.metadata.labels.insert("kubernetes.io/metadata.name".into(), name);
        }
        _ => default_more(obj),
    }
}

/// Defaults of the workload, storage, configuration and policy kinds (§10).
fn default_more(obj: &mut Object) {
    match obj {
        Object::Secret(s) => {
            s.type_.get_or_insert_with(|| "Opaque".into());
            // `stringData` is folded into `data` by the v1 conversion; it is never stored.
            for (k, v) in std::mem::take(&mut s.string_data) {
                s.data.insert(k, crate::base64::encode(v.as_bytes()));
            }
        }
        Object::PersistentVolume(pv) => {
            pv.spec
                .persistent_volume_reclaim_policy
                .get_or_insert_with(|| "Retain".into());
            pv.spec.volume_mode.get_or_insert_with(|| "Filesystem".into());
            pv.status.phase.get_or_insert_with(|| "Pending".into());
        }
        Object::PersistentVolumeClaim(pvc) => {
            pvc.spec.volume_mode.get_or_insert_with(|| "Filesystem".into());
            pvc.status.phase.get_or_insert_with(|| "Pending".into());
        }
        Object::StatefulSet(s) => {
            let spec = &mut s.spec;
            spec.replicas.get_or_insert(1);
            spec.pod_management_policy.get_or_insert_with(|| "OrderedReady".into());
            spec.revision_history_limit.get_or_insert(10);
            let t = spec
                .update_strategy
                .type_
                .get_or_insert_with(|| "RollingUpdate".into())
                .clone();
            if t == "RollingUpdate" {
                let ru = spec.update_strategy.rolling_update.get_or_insert_with(Default::default);
                ru.partition.get_or_insert(0);
            }
            let rp = spec
                .persistent_volume_claim_retention_policy
                .get_or_insert_with(Default::default);
            rp.when_deleted.get_or_insert_with(|| "Retain".into());
            rp.when_scaled.get_or_insert_with(|| "Retain".into());
            for t in &mut spec.volume_claim_templates {
                t.api_version.get_or_insert_with(|| "v1".into());
                t.kind.get_or_insert_with(|| "PersistentVolumeClaim".into());
                t.spec.volume_mode.get_or_insert_with(|| "Filesystem".into());
                t.status.phase.get_or_insert_with(|| "Pending".into());
            }
            default_pod_spec(&mut spec.template.spec);
        }
        Object::DaemonSet(d) => {
            d.metadata
                .annotations
                .entry("deprecated.daemonset.template.generation".into())
                .or_insert_with(|| "1".into());
            let spec = &mut d.spec;
            spec.revision_history_limit.get_or_insert(10);
            let t = spec
                .update_strategy
                .type_
                .get_or_insert_with(|| "RollingUpdate".into())
                .clone();
            if t == "RollingUpdate" {
                let ru = spec.update_strategy.rolling_update.get_or_insert_with(Default::default);
                ru.max_unavailable.get_or_insert(IntOrString::Int(1));
                ru.max_surge.get_or_insert(IntOrString::Int(0));
            }
            default_pod_spec(&mut spec.template.spec);
        }
        Object::Job(j) => default_job_spec(&mut j.spec),
        Object::CronJob(c) => {
            let spec = &mut c.spec;
            spec.concurrency_policy.get_or_insert_with(|| "Allow".into());
            spec.suspend.get_or_insert(false);
            spec.successful_jobs_history_limit.get_or_insert(3);
            spec.failed_jobs_history_limit.get_or_insert(1);
            // Only the pod template inside is defaulted (SetDefaults_Job takes a Job, not a
            // JobSpec), so `-o yaml` shows no backoffLimit in the jobTemplate.
            default_pod_spec(&mut spec.job_template.spec.template.spec);
        }
        Object::StorageClass(sc) => {
            sc.reclaim_policy.get_or_insert_with(|| "Delete".into());
            sc.volume_binding_mode.get_or_insert_with(|| "Immediate".into());
        }
        Object::LimitRange(lr) => {
            for item in &mut lr.spec.limits {
                if item.type_ != "Container" {
                    continue;
                }
                // SetDefaults_LimitRangeItem: default limit <- max; default request <- default
                // limit, else min.
                for (k, v) in item.max.clone() {
                    item.default.entry(k).or_insert(v);
                }
                for (k, v) in item.default.clone() {
                    item.default_request.entry(k).or_insert(v);
                }
                for (k, v) in item.min.clone() {
                    item.default_request.entry(k).or_insert(v);
                }
            }
        }
        _ => {}
    }
}

/// Job defaults (SetDefaults_Job): both counts unset means one pod once; only parallelism set
/// leaves completions unset (a work queue).
pub fn default_job_spec(spec: &mut JobSpec) {
    if spec.completions.is_none() && spec.parallelism.is_none() {
        spec.completions = Some(1);
    }
    spec.parallelism.get_or_insert(1);
    if spec.backoff_limit_per_index.is_none() {
        spec.backoff_limit.get_or_insert(6);
    } else {
        spec.backoff_limit.get_or_insert(i32::MAX as i64);
    }
    spec.completion_mode.get_or_insert_with(|| "NonIndexed".into());
    spec.suspend.get_or_insert(false);
    if spec.pod_failure_policy.is_none() {
        spec.pod_replacement_policy
            .get_or_insert_with(|| "TerminatingOrFailed".into());
    }
    default_pod_spec(&mut spec.template.spec);
}

/// Pod spec defaults shared by pods and every pod template.
fn default_pod_spec(s: &mut PodSpec) {
    s.dns_policy.get_or_insert_with(|| "ClusterFirst".into());
    s.restart_policy.get_or_insert_with(|| "Always".into());
    s.scheduler_name.get_or_insert_with(|| "default-scheduler".into());
    s.security_context.get_or_insert_with(|| json!({}));
    s.termination_grace_period_seconds.get_or_insert(30);
    for c in s.containers.iter_mut().chain(s.init_containers.iter_mut()) {
        default_container(c);
    }
}

fn default_container(c: &mut Container) {
    c.image_pull_policy
        .get_or_insert_with(|| pull_policy_for(&c.image).into());
    c.termination_message_path
        .get_or_insert_with(|| "/dev/termination-log".into());
    c.termination_message_policy.get_or_insert_with(|| "File".into());
    for p in &mut c.ports {
        p.protocol.get_or_insert_with(|| "TCP".into());
    }
    // Limits without requests: requests default to the limits.
    for (k, v) in c.resources.limits.clone() {
        c.resources.requests.entry(k).or_insert(v);
    }
    for probe in [&mut c.liveness_probe, &mut c.readiness_probe, &mut c.startup_probe]
        .into_iter()
        .flatten()
    {
        probe.timeout_seconds.get_or_insert(1);
        probe.period_seconds.get_or_insert(10);
        probe.success_threshold.get_or_insert(1);
        probe.failure_threshold.get_or_insert(3);
        if let Some(h) = &mut probe.handler.http_get {
            h.scheme.get_or_insert_with(|| "HTTP".into());
            h.path.get_or_insert_with(|| "/".into());
        }
    }
    if let Some(l) = &mut c.lifecycle {
        for h in [&mut l.post_start, &mut l.pre_stop].into_iter().flatten() {
            if let Some(g) = &mut h.http_get {
                g.scheme.get_or_insert_with(|| "HTTP".into());
                g.path.get_or_insert_with(|| "/".into());
            }
        }
    }
}

/// `Always` for `:latest` or an untagged image without digest, else `IfNotPresent`.
pub fn pull_policy_for(image: &str) -> &'static str {
    if image.contains('@') {
        return "IfNotPresent";
    }
    let last = image.rsplit('/').next().unwrap_or(image);
    match last.split_once(':') {
        Some((_, "latest")) | None => "Always",
        Some(_) => "IfNotPresent",
    }
}

/// QoS class: Guaranteed when every container has equal cpu and memory requests and limits,
/// BestEffort when none sets any, Burstable otherwise.
pub fn qos_class(s: &PodSpec) -> &'static str {
    let all: Vec<&Container> = s.containers.iter().chain(s.init_containers.iter()).collect();
    let none = all
        .iter()
        .all(|c| c.resources.requests.is_empty() && c.resources.limits.is_empty());
    if none {
        return "BestEffort";
    }
    let guaranteed = all.iter().all(|c| {
        ["cpu", "memory"].iter().all(|r| {
            let l = ResourceRequirements::get(&c.resources.limits, r);
            let q = ResourceRequirements::get(&c.resources.requests, r).or_else(|| l.clone());
            l.is_some()
                && l.as_deref().and_then(crate::quantity::parse_milli)
                    == q.as_deref().and_then(crate::quantity::parse_milli)
        })
    });
    if guaranteed {
        "Guaranteed"
    } else {
        "Burstable"
    }
}

const SUBDOMAIN_MSG: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_MSG: &str = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const DNS1035_MSG: &str = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

fn is_label(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
        && b[0] != b'-'
        && b[b.len() - 1] != b'-'
}

fn is_subdomain(s: &str) -> bool {
    s.split('.').all(is_label)
}

fn check_name(errs: &mut Vec<FieldError>, path: &str, name: &str, rule: NameRule) {
    let (ok, msg, max) = match rule {
        NameRule::Subdomain => (is_subdomain(name), SUBDOMAIN_MSG, 253),
        NameRule::Label => (is_label(name), LABEL_MSG, 63),
        NameRule::Dns1035 => (
            is_label(name) && name.as_bytes()[0].is_ascii_lowercase(),
            DNS1035_MSG,
            63,
        ),
    };
    if name.chars().count() > max {
        errs.push(FieldError(format!(
            "{path}: Invalid value: \"{name}\": must be no more than {max} characters"
        )));
    }
    if !ok {
        errs.push(FieldError(format!("{path}: Invalid value: \"{name}\": {msg}")));
    }
}

#[derive(Clone, Copy)]
enum NameRule {
    Subdomain,
    Label,
    Dns1035,
}

/// Validates an object as the v1.32 API server does for the rules kubelab models.
pub fn validate(obj: &Object) -> Result<(), ApiError> {
    let mut errs = Vec::new();
    let name = obj.name().to_string();
    let rule = match obj.kind() {
        Kind::Service => NameRule::Dns1035,
        Kind::Namespace => NameRule::Label,
        _ => NameRule::Subdomain,
    };
    if name.is_empty() {
        errs.push(FieldError(
            "metadata.name: Required value: name or generateName is required".into(),
        ));
    } else {
        check_name(&mut errs, "metadata.name", &name, rule);
    }
    match obj {
        Object::Pod(p) => validate_pod_spec(&mut errs, "spec", &p.spec),
        Object::Deployment(d) => {
            if d.spec.replicas.unwrap_or(1) < 0 {
                errs.push(FieldError(format!(
                    "spec.replicas: Invalid value: {}: must be greater than or equal to 0",
                    d.spec.replicas.unwrap_or(0)
                )));
            }
            validate_selector(&mut errs, &d.spec.selector, &d.spec.template);
            validate_pod_spec(&mut errs, "spec.template.spec", &d.spec.template.spec);
            if let Some(ru) = &d.spec.strategy.rolling_update {
                let zero = |v: &Option<IntOrString>| {
                    matches!(v, Some(IntOrString::Int(0))) || matches!(v, Some(IntOrString::Str(s)) if s == "0%")
                };
                if zero(&ru.max_surge) && zero(&ru.max_unavailable) {
                    errs.push(FieldError("spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}: may not be 0 when `maxSurge` is 0".into()));
                }
            }
        }
        Object::ReplicaSet(rs) => {
            validate_selector(&mut errs, &rs.spec.selector, &rs.spec.template);
            validate_pod_spec(&mut errs, "spec.template.spec", &rs.spec.template.spec);
        }
        Object::Service(s) => {
            let t = s.type_();
            if !matches!(t, "ClusterIP" | "NodePort" | "LoadBalancer" | "ExternalName") {
                errs.push(FieldError(format!(
                    "spec.type: Unsupported value: \"{t}\": supported values: \"ClusterIP\", \"ExternalName\", \"LoadBalancer\", \"NodePort\""
                )));
            }
            if s.spec.ports.is_empty() && t != "ExternalName" && !s.is_headless() {
                errs.push(FieldError("spec.ports: Required value".into()));
            }
            for (i, p) in s.spec.ports.iter().enumerate() {
                if !(1..=65535).contains(&p.port) {
                    errs.push(FieldError(format!(
                        "spec.ports[{i}].port: Invalid value: {}: must be between 1 and 65535, inclusive",
                        p.port
                    )));
                }
                if s.spec.ports.len() > 1 && p.name.as_deref().unwrap_or("").is_empty() {
                    errs.push(FieldError(format!("spec.ports[{i}].name: Required value")));
                }
            }
        }
        _ => validate_more(&mut errs, obj)?,
    }
    if errs.is_empty() {
        Ok(())
    } else {
        Err(ApiError::invalid(obj.kind(), &name, errs))
    }
}

const CONFIG_KEY_MSG: &str = "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";

/// Validation of the workload, storage, configuration and policy kinds. `Err` is for what the
/// API server refuses before validation even starts (undecodable Secret data).
fn validate_more(errs: &mut Vec<FieldError>, obj: &Object) -> Result<(), ApiError> {
    match obj {
        Object::ConfigMap(cm) => {
            for k in cm.data.keys().chain(cm.binary_data.keys()) {
                check_config_key(errs, "data", k);
            }
        }
        Object::Secret(sec) => {
            for (k, v) in &sec.data {
                if let Err(at) = crate::base64::decode(v) {
                    return Err(ApiError::bad_request(format!(
                        "Secret in version \"v1\" cannot be handled as a Secret: illegal base64 data at input byte {at}"
                    )));
                }
                check_config_key(errs, "data", k);
            }
            let required: &[&str] = match sec.type_() {
                "kubernetes.io/tls" => &["tls.crt", "tls.key"],
                "kubernetes.io/dockerconfigjson" => &[".dockerconfigjson"],
                "kubernetes.io/dockercfg" => &[".dockercfg"],
                "kubernetes.io/basic-auth" => &[],
                "kubernetes.io/ssh-auth" => &["ssh-privatekey"],
                _ => &[],
            };
            for k in required {
                if !sec.data.contains_key(*k) {
                    errs.push(FieldError(format!("data[{k}]: Required value")));
                }
            }
        }
        Object::StatefulSet(s) => {
            check_replicas(errs, s.spec.replicas);
            validate_selector(errs, &s.spec.selector, &s.spec.template);
            validate_pod_spec(errs, "spec.template.spec", &s.spec.template.spec);
            check_restart_always(errs, &s.spec.template.spec);
            let pmp = s.spec.pod_management_policy.as_deref().unwrap_or("OrderedReady");
            if !matches!(pmp, "OrderedReady" | "Parallel") {
                errs.push(FieldError(format!(
                    "spec.podManagementPolicy: Unsupported value: \"{pmp}\": supported values: \"OrderedReady\", \"Parallel\""
                )));
            }
            let t = s.spec.update_strategy.type_.as_deref().unwrap_or("RollingUpdate");
            if !matches!(t, "RollingUpdate" | "OnDelete") {
                errs.push(FieldError(format!(
                    "spec.updateStrategy: Invalid value: apps.StatefulSetUpdateStrategy{{Type:\"{t}\", RollingUpdate:(*apps.RollingUpdateStatefulSetStrategy)(nil)}}: must be 'RollingUpdate' or 'OnDelete'"
                )));
            }
            if s.partition() < 0 {
                errs.push(FieldError(format!(
                    "spec.updateStrategy.rollingUpdate.partition: Invalid value: {}: must be greater than or equal to 0",
                    s.partition()
                )));
            }
            for (i, t) in s.spec.volume_claim_templates.iter().enumerate() {
                validate_claim_spec(errs, &format!("spec.volumeClaimTemplates[{i}].spec"), &t.spec);
            }
        }
        Object::DaemonSet(d) => {
            validate_selector(errs, &d.spec.selector, &d.spec.template);
            validate_pod_spec(errs, "spec.template.spec", &d.spec.template.spec);
            check_restart_always(errs, &d.spec.template.spec);
            let t = d.spec.update_strategy.type_.as_deref().unwrap_or("RollingUpdate");
            if !matches!(t, "RollingUpdate" | "OnDelete") {
                errs.push(FieldError(format!(
                    "spec.updateStrategy: Unsupported value: \"{t}\": supported values: \"OnDelete\", \"RollingUpdate\""
                )));
            }
        }
        Object::Job(j) => validate_job_spec(errs, "spec", &j.spec),
        Object::CronJob(c) => {
            if c.metadata.name.chars().count() > 52 {
                errs.push(FieldError(format!(
                    "metadata.name: Invalid value: \"{}\": must be no more than 52 characters",
                    c.metadata.name
                )));
            }
            let sched = &c.spec.schedule;
            if sched.is_empty() {
                errs.push(FieldError("spec.schedule: Required value".into()));
            } else if sched.contains("TZ") {
                errs.push(FieldError(format!(
                    "spec.schedule: Invalid value: \"{sched}\": cannot use TZ or CRON_TZ in schedule, use timeZone field instead"
                )));
            } else if let Err(e) = crate::cron::parse(sched) {
                errs.push(FieldError(format!("spec.schedule: Invalid value: \"{sched}\": {e}")));
            }
            let cp = c.spec.concurrency_policy.as_deref().unwrap_or("Allow");
            if !matches!(cp, "Allow" | "Forbid" | "Replace") {
                errs.push(FieldError(format!(
                    "spec.concurrencyPolicy: Unsupported value: \"{cp}\": supported values: \"Allow\", \"Forbid\", \"Replace\""
                )));
            }
            validate_job_spec(errs, "spec.jobTemplate.spec", &c.spec.job_template.spec);
        }
        Object::PersistentVolumeClaim(pvc) => validate_claim_spec(errs, "spec", &pvc.spec),
        Object::PersistentVolume(pv) => {
            if pv.spec.access_modes.is_empty() {
                errs.push(FieldError("spec.accessModes: Required value".into()));
            }
            check_access_modes(errs, "spec.accessModes", &pv.spec.access_modes);
            if !pv.spec.capacity.contains_key("storage") {
                errs.push(FieldError("spec.capacity: Required value".into()));
            }
            let s = &pv.spec;
            let sources = [
                s.host_path.is_some(),
                s.nfs.is_some(),
                s.local.is_some(),
                s.csi.is_some(),
                s.aws_elastic_block_store.is_some(),
                s.azure_disk.is_some(),
                s.cephfs.is_some(),
                s.fc.is_some(),
                s.gce_persistent_disk.is_some(),
                s.glusterfs.is_some(),
                s.iscsi.is_some(),
                s.rbd.is_some(),
            ];
            match sources.iter().filter(|x| **x).count() {
                0 => errs.push(FieldError("spec: Required value: must specify a volume type".into())),
                1 => {}
                _ => errs.push(FieldError(
                    "spec: Forbidden: may not specify more than 1 volume type".into(),
                )),
            }
            if let Some(hp) = &s.host_path {
                if hp.path.is_empty() {
                    errs.push(FieldError("spec.hostPath.path: Required value".into()));
                }
            }
            if let Some(nfs) = &s.nfs {
                if nfs.server.is_empty() {
                    errs.push(FieldError("spec.nfs.server: Required value".into()));
                }
                if nfs.path.is_empty() {
                    errs.push(FieldError("spec.nfs.path: Required value".into()));
                } else if !nfs.path.starts_with('/') {
                    errs.push(FieldError(format!(
                        "spec.nfs.path: Invalid value: \"{}\": must be an absolute path",
                        nfs.path
                    )));
                }
            }
            let rp = pv.reclaim_policy();
            if !matches!(rp, "Retain" | "Delete" | "Recycle") {
                errs.push(FieldError(format!(
                    "spec.persistentVolumeReclaimPolicy: Unsupported value: \"{rp}\": supported values: \"Delete\", \"Recycle\", \"Retain\""
                )));
            }
        }
        Object::StorageClass(sc) => {
            if sc.provisioner.is_empty() {
                errs.push(FieldError("provisioner: Required value".into()));
            }
            let m = sc.volume_binding_mode.as_deref().unwrap_or("Immediate");
            if !matches!(m, "Immediate" | "WaitForFirstConsumer") {
                errs.push(FieldError(format!(
                    "volumeBindingMode: Unsupported value: \"{m}\": supported values: \"Immediate\", \"WaitForFirstConsumer\""
                )));
            }
        }
        Object::PodDisruptionBudget(pdb) => {
            if pdb.spec.min_available.is_some() && pdb.spec.max_unavailable.is_some() {
                errs.push(FieldError(
                    "spec: Invalid value: policy.PodDisruptionBudgetSpec{MinAvailable:(*intstr.IntOrString)(nil), Selector:(*v1.LabelSelector)(nil), MaxUnavailable:(*intstr.IntOrString)(nil), UnhealthyPodEvictionPolicy:(*policy.UnhealthyPodEvictionPolicyType)(nil)}: minAvailable and maxUnavailable cannot be both set".into(),
                ));
            }
            for (field, v) in [
                ("minAvailable", &pdb.spec.min_available),
                ("maxUnavailable", &pdb.spec.max_unavailable),
            ] {
                match v {
                    Some(IntOrString::Int(n)) if *n < 0 => errs.push(FieldError(format!(
                        "spec.{field}: Invalid value: {n}: must be greater than or equal to 0"
                    ))),
                    Some(IntOrString::Str(p)) if IntOrString::Str(p.clone()).scaled(100, false).is_none_or(|x| !(0..=100).contains(&x)) => {
                        errs.push(FieldError(format!(
                            "spec.{field}: Invalid value: \"{p}\": a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"
                        )))
                    }
                    _ => {}
                }
            }
        }
        Object::Ingress(ing) => {
            for (i, r) in ing.spec.rules.iter().enumerate() {
                let Some(http) = &r.http else { continue };
                for (j, p) in http.paths.iter().enumerate() {
                    let at = format!("spec.rules[{i}].http.paths[{j}]");
                    match p.path_type.as_deref() {
                        None => errs.push(FieldError(format!("{at}.pathType: Required value: pathType must be specified"))),
                        Some("Exact" | "Prefix" | "ImplementationSpecific") => {}
                        Some(t) => errs.push(FieldError(format!(
                            "{at}.pathType: Unsupported value: \"{t}\": supported values: \"Exact\", \"ImplementationSpecific\", \"Prefix\""
                        ))),
                    }
                    if let Some(path) = &p.path {
                        if !path.starts_with('/') && p.path_type.as_deref() != Some("ImplementationSpecific") {
                            errs.push(FieldError(format!(
                                "{at}.path: Invalid value: \"{path}\": must be an absolute path"
                            )));
                        }
                    }
                    if let Some(svc) = &p.backend.service {
                        if svc.port.name.is_none() && svc.port.number.is_none() {
                            errs.push(FieldError(format!(
                                "{at}.backend.service.port: Invalid value: \"\": port name or number is required"
                            )));
                        }
                    } else if p.backend.resource.is_none() {
                        errs.push(FieldError(format!(
                            "{at}.backend: Invalid value: \"\": resource or service backend is required"
                        )));
                    }
                }
            }
        }
        _ => {}
    }
    Ok(())
}

fn check_config_key(errs: &mut Vec<FieldError>, field: &str, k: &str) {
    let ok = !k.is_empty()
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if !ok {
        errs.push(FieldError(format!(
            "{field}[{k}]: Invalid value: \"{k}\": {CONFIG_KEY_MSG}"
        )));
    } else if k == "." || k == ".." {
        errs.push(FieldError(format!(
            "{field}[{k}]: Invalid value: \"{k}\": must not be '.' or '..'"
        )));
    }
}

fn check_replicas(errs: &mut Vec<FieldError>, replicas: Option<i64>) {
    if let Some(r) = replicas.filter(|r| *r < 0) {
        errs.push(FieldError(format!(
            "spec.replicas: Invalid value: {r}: must be greater than or equal to 0"
        )));
    }
}

/// StatefulSet and DaemonSet pods must restart forever.
fn check_restart_always(errs: &mut Vec<FieldError>, s: &PodSpec) {
    if let Some(rp) = s.restart_policy.as_deref().filter(|rp| *rp != "Always") {
        errs.push(FieldError(format!(
            "spec.template.spec.restartPolicy: Unsupported value: \"{rp}\": supported values: \"Always\""
        )));
    }
}

fn validate_job_spec(errs: &mut Vec<FieldError>, path: &str, spec: &JobSpec) {
    for (field, v) in [
        ("parallelism", spec.parallelism),
        ("completions", spec.completions),
        ("backoffLimit", spec.backoff_limit),
    ] {
        if let Some(n) = v.filter(|n| *n < 0) {
            errs.push(FieldError(format!(
                "{path}.{field}: Invalid value: {n}: must be greater than or equal to 0"
            )));
        }
    }
    if spec.manual_selector == Some(true) {
        match &spec.selector {
            Some(sel) => validate_selector(errs, sel, &spec.template),
            None => errs.push(FieldError(format!("{path}.selector: Required value"))),
        }
    }
    let tpath = format!("{path}.template.spec");
    validate_pod_spec(errs, &tpath, &spec.template.spec);
    match spec.template.spec.restart_policy.as_deref() {
        Some("OnFailure" | "Never") => {}
        Some(rp) => errs.push(FieldError(format!(
            "{tpath}.restartPolicy: Unsupported value: \"{rp}\": supported values: \"OnFailure\", \"Never\""
        ))),
        None => errs.push(FieldError(format!(
            "{tpath}.restartPolicy: Required value: valid values: \"OnFailure\", \"Never\""
        ))),
    }
    if spec.completion_mode.as_deref() == Some("Indexed") && spec.completions.is_none() {
        errs.push(FieldError(format!(
            "{path}.completions: Required value: when completion mode is Indexed"
        )));
    }
    if let Some(m) = spec
        .completion_mode
        .as_deref()
        .filter(|m| !matches!(*m, "NonIndexed" | "Indexed"))
    {
        errs.push(FieldError(format!(
            "{path}.completionMode: Unsupported value: \"{m}\": supported values: \"NonIndexed\", \"Indexed\""
        )));
    }
}

fn check_access_modes(errs: &mut Vec<FieldError>, path: &str, modes: &[String]) {
    for m in modes {
        if !matches!(
            m.as_str(),
            "ReadWriteOnce" | "ReadOnlyMany" | "ReadWriteMany" | "ReadWriteOncePod"
        ) {
            errs.push(FieldError(format!(
                "{path}: Unsupported value: \"{m}\": supported values: \"ReadOnlyMany\", \"ReadWriteMany\", \"ReadWriteOnce\", \"ReadWriteOncePod\""
            )));
        }
    }
}

fn validate_claim_spec(errs: &mut Vec<FieldError>, path: &str, spec: &PersistentVolumeClaimSpec) {
    if spec.access_modes.is_empty() {
        errs.push(FieldError(format!(
            "{path}.accessModes: Required value: at least 1 access mode is required"
        )));
    }
    check_access_modes(errs, &format!("{path}.accessModes"), &spec.access_modes);
    match spec.resources.requests.get("storage") {
        None => errs.push(FieldError(format!("{path}.resources[storage]: Required value"))),
        Some(v) if quantity_bytes(v).is_none_or(|b| b <= 0) => {
            let shown = match v {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            errs.push(FieldError(format!(
                "{path}.resources[storage]: Invalid value: \"{shown}\": must be greater than zero"
            )));
        }
        Some(_) => {}
    }
}

fn validate_selector(errs: &mut Vec<FieldError>, sel: &LabelSelector, tpl: &PodTemplateSpec) {
    if sel.match_labels.is_empty() && sel.match_expressions.is_empty() {
        errs.push(FieldError("spec.selector: Required value".into()));
        return;
    }
    match crate::selector::Selector::from_label_selector(sel) {
        Ok(s) if !s.matches(&tpl.metadata.labels) => {
            let labels: Vec<String> = tpl
                .metadata
                .labels
                .iter()
                .map(|(k, v)| format!("{k:?}:{v:?}"))
                .collect();
            errs.push(FieldError(format!(
                "spec.template.metadata.labels: Invalid value: map[string]string{{{}}}: `selector` does not match template `labels`",
                labels.join(", ")
            )));
        }
        Ok(_) => {}
        Err(e) => errs.push(FieldError(format!("spec.selector: Invalid value: {e}"))),
    }
}

fn validate_pod_spec(errs: &mut Vec<FieldError>, path: &str, s: &PodSpec) {
    if s.containers.is_empty() {
        errs.push(FieldError(format!("{path}.containers: Required value")));
    }
    let groups = [("initContainers", &s.init_containers), ("containers", &s.containers)];
    for (field, list) in groups {
        for (i, c) in list.iter().enumerate() {
            let at = format!("{path}.{field}[{i}]");
            if c.name.is_empty() {
                errs.push(FieldError(format!("{at}.name: Required value")));
            } else {
                check_name(errs, &format!("{at}.name"), &c.name, NameRule::Label);
            }
            if c.image.trim().is_empty() {
                errs.push(FieldError(format!("{at}.image: Required value")));
            }
            if let Some(rp) = &c.restart_policy {
                if field == "containers" {
                    errs.push(FieldError(format!(
                        "{at}.restartPolicy: Forbidden: may not be set for non-init containers"
                    )));
                } else if rp != "Always" {
                    errs.push(FieldError(format!(
                        "{at}.restartPolicy: Unsupported value: \"{rp}\": supported values: \"Always\""
                    )));
                }
            }
        }
    }
    if let Some(rp) = &s.restart_policy {
        if !matches!(rp.as_str(), "Always" | "OnFailure" | "Never") {
            errs.push(FieldError(format!(
                "{path}.restartPolicy: Unsupported value: \"{rp}\": supported values: \"Always\", \"OnFailure\", \"Never\""
            )));
        }
    }
}

/// The projected service-account token volume every pod gets (`kube-api-access-<5>`).
pub fn service_account_volume(suffix: &str) -> (Volume, VolumeMount) {
    let name = format!("kube-api-access-{suffix}");
    let source: Value = json!({
        "defaultMode": 420,
        "sources": [
            {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
            {"configMap": {"items": [{"key": "ca.crt", "path": "ca.crt"}], "name": "kube-root-ca.crt"}},
            {"downwardAPI": {"items": [{"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}, "path": "namespace"}]}}
        ]
    });
    let mut v = Volume {
        name: name.clone(),
        ..Default::default()
    };
    v.source.insert("projected".into(), source);
    let m = VolumeMount {
        mount_path: "/var/run/secrets/kubernetes.io/serviceaccount".into(),
        name,
        read_only: Some(true),
        sub_path: None,
    };
    (v, m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pull_policy_follows_the_tag() {
        assert_eq!(pull_policy_for("nginx"), "Always");
        assert_eq!(pull_policy_for("nginx:latest"), "Always");
        assert_eq!(pull_policy_for("nginx:1.27"), "IfNotPresent");
        assert_eq!(pull_policy_for("localhost:5000/app"), "Always");
        assert_eq!(pull_policy_for("registry.k8s.io/nginx-slim:0.8"), "IfNotPresent");
    }

    #[test]
    fn names_follow_dns_rules() {
        let mut d = Deployment {
            metadata: ObjectMeta::named("Bad_Name", Some("default")),
            ..Default::default()
        };
        d.spec.selector.match_labels.insert("app".into(), "web".into());
        d.spec.template.metadata.labels.insert("app".into(), "web".into());
        d.spec.template.spec.containers.push(Container {
            name: "nginx".into(),
            image: "nginx".into(),
            ..Default::default()
        });
        let err = validate(&Object::Deployment(d.clone())).unwrap_err();
        assert!(err.message.starts_with("Deployment.apps \"Bad_Name\" is invalid: metadata.name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain"), "{}", err.message);
        d.metadata.name = "web".into();
        assert!(validate(&Object::Deployment(d.clone())).is_ok());
        d.spec.template.spec.containers[0].restart_policy = Some("Always".into());
        let err = validate(&Object::Deployment(d)).unwrap_err();
        assert!(err.message.contains(
            "spec.template.spec.containers[0].restartPolicy: Forbidden: may not be set for non-init containers"
        ));
    }

    #[test]
    fn qos_classes() {
        let mut s = PodSpec::default();
        s.containers.push(Container::default());
        assert_eq!(qos_class(&s), "BestEffort");
        s.containers[0].resources.limits.insert("cpu".into(), json!("500m"));
        s.containers[0].resources.limits.insert("memory".into(), json!("128Mi"));
        assert_eq!(qos_class(&s), "Guaranteed");
        s.containers[0].resources.requests.insert("cpu".into(), json!("250m"));
        assert_eq!(qos_class(&s), "Burstable");
    }
}
