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
            let sa = p.spec.service_account_name.get_or_insert_with(|| "default".into()).clone();
            p.spec.service_account.get_or_insert(sa);
            p.spec.enable_service_links.get_or_insert(true);
            p.spec.preemption_policy.get_or_insert_with(|| "PreemptLowerPriority".into());
            p.spec.priority.get_or_insert(0);
            for key in ["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"] {
                let has = p.spec.tolerations.iter().any(|t| {
                    t.key.as_deref() == Some(key) && t.effect.as_deref() == Some("NoExecute")
                });
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
        Object::Node(_) | Object::Endpoints(_) | Object::Event(_) => {}
    }
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
    c.image_pull_policy.get_or_insert_with(|| pull_policy_for(&c.image).into());
    c.termination_message_path.get_or_insert_with(|| "/dev/termination-log".into());
    c.termination_message_policy.get_or_insert_with(|| "File".into());
    for p in &mut c.ports {
        p.protocol.get_or_insert_with(|| "TCP".into());
    }
    // Limits without requests: requests default to the limits.
    for (k, v) in c.resources.limits.clone() {
        c.resources.requests.entry(k).or_insert(v);
    }
    for probe in [&mut c.liveness_probe, &mut c.readiness_probe, &mut c.startup_probe].into_iter().flatten() {
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
    let none = all.iter().all(|c| c.resources.requests.is_empty() && c.resources.limits.is_empty());
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
        && b.iter().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
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
        errs.push(FieldError("metadata.name: Required value: name or generateName is required".into()));
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
        _ => {}
    }
    if errs.is_empty() {
        Ok(())
    } else {
        Err(ApiError::invalid(obj.kind(), &name, errs))
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
    let mut v = Volume { name: name.clone(), ..Default::default() };
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
        let mut d = Deployment { metadata: ObjectMeta::named("Bad_Name", Some("default")), ..Default::default() };
        d.spec.selector.match_labels.insert("app".into(), "web".into());
        d.spec.template.metadata.labels.insert("app".into(), "web".into());
        d.spec.template.spec.containers.push(Container { name: "nginx".into(), image: "nginx".into(), ..Default::default() });
        let err = validate(&Object::Deployment(d.clone())).unwrap_err();
        assert!(err.message.starts_with("Deployment.apps \"Bad_Name\" is invalid: metadata.name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain"), "{}", err.message);
        d.metadata.name = "web".into();
        assert!(validate(&Object::Deployment(d.clone())).is_ok());
        d.spec.template.spec.containers[0].restart_policy = Some("Always".into());
        let err = validate(&Object::Deployment(d)).unwrap_err();
        assert!(err.message.contains("spec.template.spec.containers[0].restartPolicy: Forbidden: may not be set for non-init containers"));
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
