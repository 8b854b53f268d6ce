//! Pod Security Admission (the built-in `PodSecurity` plugin, policy version `latest` of
//! v1.32): the namespace labels `pod-security.kubernetes.io/{enforce,warn,audit}` name a level
//! (`privileged`, `baseline`, `restricted`); a pod violating the enforced level is refused with
//! `violates PodSecurity "restricted:latest": …`, and the warn level (or any level, for
//! workload templates) produces `would violate PodSecurity …` warnings. Check names, wording
//! and order are those of `k8s.io/pod-security-admission/policy`.

use crate::api::{Namespace, PodSpec};
use serde_json::Value;

pub const ENFORCE: &str = "pod-security.kubernetes.io/enforce";
pub const WARN: &str = "pod-security.kubernetes.io/warn";
pub const AUDIT: &str = "pod-security.kubernetes.io/audit";

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Privileged,
    Baseline,
    Restricted,
}

impl Level {
    pub fn parse(s: &str) -> Option<Level> {
        match s {
            "privileged" => Some(Level::Privileged),
            "baseline" => Some(Level::Baseline),
            "restricted" => Some(Level::Restricted),
            _ => None,
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            Level::Privileged => "privileged",
            Level::Baseline => "baseline",
            Level::Restricted => "restricted",
        }
    }
}

/// A namespace's level for one mode (`enforce`, `warn`, `audit`) and its version label, shown
/// as `restricted:latest`.
pub fn level_of(ns: &Namespace, mode_label: &str) -> Option<(Level, String)> {
    let level = Level::parse(ns.metadata.labels.get(mode_label)?)?;
    let version = ns
        .metadata
        .labels
        .get(&format!("{mode_label}-version"))
        .cloned()
        .unwrap_or_else(|| "latest".into());
    Some((level, version))
}

/// One failed check: its short reason and detail (`allowPrivilegeEscalation != false`,
/// `container "nginx" must set …`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    pub reason: String,
    pub detail: String,
}

impl Violation {
    fn new(reason: impl Into<String>, detail: impl Into<String>) -> Self {
        Violation {
            reason: reason.into(),
            detail: detail.into(),
        }
    }
}

/// `violates PodSecurity "restricted:latest": a (…), b (…)`'s list.
pub fn describe(violations: &[Violation]) -> String {
    violations
        .iter()
        .map(|v| {
            if v.detail.is_empty() {
                v.reason.clone()
            } else {
                format!("{} ({})", v.reason, v.detail)
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn get<'a>(v: Option<&'a Value>, path: &[&str]) -> Option<&'a Value> {
    let mut cur = v?;
    for p in path {
        cur = cur.get(p)?;
    }
    Some(cur)
}

/// `container "a"` / `containers "a", "b"`.
fn containers_phrase(names: &[String]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("{n:?}")).collect();
    if names.len() == 1 {
        format!("container {}", quoted[0])
    } else {
        format!("containers {}", quoted.join(", "))
    }
}

/// Every check the level includes, in the policy's (check ID) order.
pub fn check(level: Level, spec: &PodSpec) -> Vec<Violation> {
    let mut out = Vec::new();
    if level == Level::Privileged {
        return out;
    }
    let restricted = level == Level::Restricted;
    let pod_sc = spec.security_context.as_ref();
    let all: Vec<(&str, Option<&Value>)> = spec
        .init_containers
        .iter()
        .chain(spec.containers.iter())
        .map(|c| (c.name.as_str(), c.security_context.as_ref()))
        .collect();
    let names = |pred: &dyn Fn(Option<&Value>) -> bool| -> Vec<String> {
        all.iter()
            .filter(|(_, sc)| pred(*sc))
            .map(|(n, _)| n.to_string())
            .collect()
    };

    // allowPrivilegeEscalation (restricted)
    if restricted {
        let bad = names(&|sc| get(sc, &["allowPrivilegeEscalation"]).and_then(Value::as_bool) != Some(false));
        if !bad.is_empty() {
            out.push(Violation::new(
                "allowPrivilegeEscalation != false",
                format!(
                    "{} must set securityContext.allowPrivilegeEscalation=false",
                    containers_phrase(&bad)
                ),
            ));
        }
    }
    // capabilities_baseline
    const BASELINE_CAPS: &[&str] = &[
        "AUDIT_WRITE",
        "CHOWN",
        "DAC_OVERRIDE",
        "FOWNER",
        "FSETID",
        "KILL",
        "MKNOD",
        "NET_BIND_SERVICE",
        "SETFCAP",
        "SETGID",
        "SETPCAP",
        "SETUID",
        "SYS_CHROOT",
    ];
    let added = |sc: Option<&Value>| -> Vec<String> {
        get(sc, &["capabilities", "add"])
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect()
    };
    let mut nondefault: Vec<String> = Vec::new();
    for (n, sc) in &all {
        let extra: Vec<String> = added(*sc)
            .into_iter()
            .filter(|c| !BASELINE_CAPS.contains(&c.as_str()))
            .collect();
        if !extra.is_empty() {
            let caps: Vec<String> = extra.iter().map(|c| format!("{c:?}")).collect();
            nondefault.push(format!(
                "container {n:?} must not include {} in securityContext.capabilities.add",
                caps.join(", ")
            ));
        }
    }
    if !nondefault.is_empty() {
        out.push(Violation::new("non-default capabilities", nondefault.join("; ")));
    }
    // capabilities_restricted
    if restricted {
        let mut parts = Vec::new();
        let no_drop = names(&|sc| {
            !get(sc, &["capabilities", "drop"])
                .and_then(Value::as_array)
                .is_some_and(|d| d.iter().any(|x| x.as_str() == Some("ALL")))
        });
        if !no_drop.is_empty() {
            parts.push(format!(
                "{} must set securityContext.capabilities.drop=[\"ALL\"]",
                containers_phrase(&no_drop)
            ));
        }
        for (n, sc) in &all {
            let extra: Vec<String> = added(*sc).into_iter().filter(|c| c != "NET_BIND_SERVICE").collect();
            if !extra.is_empty() {
                let caps: Vec<String> = extra.iter().map(|c| format!("{c:?}")).collect();
                parts.push(format!(
                    "container {n:?} must not include {} in securityContext.capabilities.add",
                    caps.join(", ")
                ));
            }
        }
        if !parts.is_empty() {
            out.push(Violation::new("unrestricted capabilities", parts.join("; ")));
        }
    }
    // hostNamespaces
    let mut hosts = Vec::new();
    for (field, v) in [("hostNetwork", spec.host_network), ("hostPID", None), ("hostIPC", None)] {
        if v == Some(true) {
            hosts.push(format!("{field}=true"));
        }
    }
    if !hosts.is_empty() {
        out.push(Violation::new("host namespaces", hosts.join(", ")));
    }
    // hostPathVolumes
    let host_paths: Vec<String> = spec
        .volumes
        .iter()
        .filter(|v| v.source.contains_key("hostPath"))
        .map(|v| format!("{:?}", v.name))
        .collect();
    if !host_paths.is_empty() {
        let noun = if host_paths.len() == 1 { "volume" } else { "volumes" };
        out.push(Violation::new(
            "hostPath volumes",
            format!("{noun} {}", host_paths.join(", ")),
        ));
    }
    // hostPorts
    let mut ports = Vec::new();
    for c in spec.init_containers.iter().chain(spec.containers.iter()) {
        let hp: Vec<String> = c
            .ports
            .iter()
            .filter_map(|p| p.host_port.filter(|h| *h != 0))
            .map(|h| h.to_string())
            .collect();
        if !hp.is_empty() {
            let noun = if hp.len() == 1 { "hostPort" } else { "hostPorts" };
            ports.push(format!("container {:?} uses {noun} {}", c.name, hp.join(", ")));
        }
    }
    if !ports.is_empty() {
        out.push(Violation::new("hostPort", ports.join("; ")));
    }
    // privileged
    let privileged = names(&|sc| get(sc, &["privileged"]).and_then(Value::as_bool) == Some(true));
    if !privileged.is_empty() {
        out.push(Violation::new(
            "privileged",
            format!(
                "{} must not set securityContext.privileged=true",
                containers_phrase(&privileged)
            ),
        ));
    }
    // restrictedVolumes
    if restricted {
        const ALLOWED: &[&str] = &[
            "configMap",
            "csi",
            "downwardAPI",
            "emptyDir",
            "ephemeral",
            "persistentVolumeClaim",
            "projected",
            "secret",
        ];
        let bad: Vec<String> = spec
            .volumes
            .iter()
            .filter_map(|v| {
                let kind = v.source.keys().next()?;
                (!ALLOWED.contains(&kind.as_str()))
                    .then(|| format!("volume {:?} uses restricted volume type {kind:?}", v.name))
            })
            .collect();
        if !bad.is_empty() {
            out.push(Violation::new("restricted volume types", bad.join("; ")));
        }
    }
    // runAsNonRoot
    if restricted {
        let pod_true = get(pod_sc, &["runAsNonRoot"]).and_then(Value::as_bool) == Some(true);
        let explicit_false = names(&|sc| get(sc, &["runAsNonRoot"]).and_then(Value::as_bool) == Some(false));
        let unset = names(&|sc| get(sc, &["runAsNonRoot"]).is_none());
        if !explicit_false.is_empty() {
            out.push(Violation::new(
                "runAsNonRoot != true",
                format!(
                    "{} must not set securityContext.runAsNonRoot=false",
                    containers_phrase(&explicit_false)
                ),
            ));
        } else if !pod_true && !unset.is_empty() {
            out.push(Violation::new(
                "runAsNonRoot != true",
                format!(
                    "pod or {} must set securityContext.runAsNonRoot=true",
                    containers_phrase(&unset)
                ),
            ));
        }
        // runAsUser
        let root_user = names(&|sc| get(sc, &["runAsUser"]).and_then(Value::as_i64) == Some(0));
        if get(pod_sc, &["runAsUser"]).and_then(Value::as_i64) == Some(0) {
            out.push(Violation::new("runAsUser=0", "pod must not set runAsUser=0"));
        } else if !root_user.is_empty() {
            out.push(Violation::new(
                "runAsUser=0",
                format!("{} must not set runAsUser=0", containers_phrase(&root_user)),
            ));
        }
    }
    // seccompProfile_baseline
    let pod_seccomp = get(pod_sc, &["seccompProfile", "type"]).and_then(Value::as_str);
    if pod_seccomp == Some("Unconfined") {
        out.push(Violation::new(
            "seccompProfile",
            "pod must not set securityContext.seccompProfile.type to \"Unconfined\"",
        ));
    }
    let unconfined = names(&|sc| get(sc, &["seccompProfile", "type"]).and_then(Value::as_str) == Some("Unconfined"));
    if !unconfined.is_empty() {
        out.push(Violation::new(
            "seccompProfile",
            format!(
                "{} must not set securityContext.seccompProfile.type to \"Unconfined\"",
                containers_phrase(&unconfined)
            ),
        ));
    }
    // seccompProfile_restricted
    if restricted && pod_seccomp != Some("Unconfined") && unconfined.is_empty() {
        let ok = |t: Option<&str>| matches!(t, Some("RuntimeDefault" | "Localhost"));
        let missing = names(&|sc| !ok(get(sc, &["seccompProfile", "type"]).and_then(Value::as_str)));
        if !ok(pod_seccomp) && !missing.is_empty() {
            out.push(Violation::new(
                "seccompProfile",
                format!(
                    "pod or {} must set securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\"",
                    containers_phrase(&missing)
                ),
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::Container;
    use serde_json::json;

    #[test]
    fn plain_nginx_violates_restricted_as_the_tutorial_shows() {
        let mut spec = PodSpec::default();
        spec.containers.push(Container {
            name: "nginx".into(),
            image: "nginx".into(),
            ..Default::default()
        });
        assert!(check(Level::Baseline, &spec).is_empty());
        assert_eq!(
            describe(&check(Level::Restricted, &spec)),
            "allowPrivilegeEscalation != false (container \"nginx\" must set securityContext.allowPrivilegeEscalation=false), unrestricted capabilities (container \"nginx\" must set securityContext.capabilities.drop=[\"ALL\"]), runAsNonRoot != true (pod or container \"nginx\" must set securityContext.runAsNonRoot=true), seccompProfile (pod or container \"nginx\" must set securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\")"
        );
        spec.security_context = Some(json!({"runAsNonRoot": true, "seccompProfile": {"type": "RuntimeDefault"}}));
        spec.containers[0].security_context =
            Some(json!({"allowPrivilegeEscalation": false, "capabilities": {"drop": ["ALL"]}}));
        assert!(check(Level::Restricted, &spec).is_empty());
    }

    #[test]
    fn baseline_rejects_privilege_and_host_access() {
        let mut spec = PodSpec::default();
        let mut c = Container {
            name: "c".into(),
            ..Default::default()
        };
        c.security_context = Some(json!({"privileged": true}));
        spec.containers.push(c);
        spec.host_network = Some(true);
        let mut v = crate::api::Volume {
            name: "host".into(),
            ..Default::default()
        };
        v.source.insert("hostPath".into(), json!({"path": "/"}));
        spec.volumes.push(v);
        assert_eq!(
            describe(&check(Level::Baseline, &spec)),
            "host namespaces (hostNetwork=true), hostPath volumes (volume \"host\"), privileged (container \"c\" must not set securityContext.privileged=true)"
        );
    }
}
