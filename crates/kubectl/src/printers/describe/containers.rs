//! `describeContainers`: one block per container of a pod or a template.

use super::prelude::*;
use kubelab_engine::sort::CompactSort;

/// `describeContainers`: one block per container; statuses only for pods (templates have none).
pub(super) fn containers(
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
            mounts.compact_sort_by(|a, b| a.mount_path.cmp(&b.mount_path));
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
pub(super) fn container_state(w: &mut W, title: &str, s: &ContainerState) {
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
pub(super) fn env_vars(w: &mut W, c: &Container, pod: Option<&Pod>) {
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
pub(super) fn field_path_value(p: &Pod, path: &str) -> String {
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
pub(super) fn describe_probe(p: &Probe) -> String {
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

pub(super) fn bracket_v6(host: &str) -> String {
    if host.contains(':') {
        format!("[{host}]")
    } else {
        host.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
