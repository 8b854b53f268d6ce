//! `kubectl expose (-f FILE | TYPE NAME)` (`k8s.io/kubectl/pkg/cmd/expose/expose.go`): a
//! Service for a deployment, replicaset, pod or service, its selector, ports, protocols and
//! labels read from the object unless given (`--selector`, `--port`, `--protocol`, `--labels`),
//! `--target-port`, `--type`, `--name`, `--cluster-ip`, `--external-ip`, `--session-affinity`.
//! Prints `service/web exposed`.

use super::mutate::{self, DryRun, Encoding, Printer, WhenEmpty};
use crate::engine::api::{Container, Kind, Object};
use crate::flags::Invocation;
use crate::session::Session;
use crate::{errors, Output};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// The 63-character DNS-1035 label limit a default service name is cut to.
const MAX_NAME: usize = 63;

pub fn run(s: &mut Session, inv: &Invocation, stdin: Option<&str>) -> Output {
    mutate::command(s, inv, |s, out| expose(s, inv, stdin, out))
}

fn expose(s: &mut Session, inv: &Invocation, stdin: Option<&str>, out: &mut Output) -> Result<(), Output> {
    let dry = mutate::dry_run(s, inv, out)?;
    let mut printer = Printer::new(mutate::format(inv)?, dry);
    let mut sel = mutate::selection(s, inv, inv.args.clone());
    // expose's --selector is the new service's selector, not a filter on what to expose.
    sel.selector = None;
    let targets = mutate::select(s, &sel, stdin, WhenEmpty::ResourceOrFilename)?;
    mutate::for_each(out, targets, |out, t| {
        let obj = t.fetch(&s.cluster).map_err(|e| errors::api_error_text(&e))?;
        let service = service_for(inv, &obj)?;
        if dry == DryRun::Client {
            let mut v = service;
            if sel.enforce_namespace {
                v["metadata"]["namespace"] = Value::String(sel.namespace.clone());
            }
            printer.print(out, &v, Encoding::Typed, "exposed");
            return Ok(());
        }
        let mut svc = Object::decode(service).map_err(|e| format!("error: {e:?}"))?;
        svc.meta_mut().namespace = Some(sel.namespace.clone());
        if inv.get_bool("save-config") {
            let config = format!("{}\n", super::typed_json::to_json_compact(&svc.to_value()));
            svc.meta_mut()
                .annotations
                .insert(super::create::LAST_APPLIED.into(), config);
        }
        let created = super::warnings::send(&mut s.cluster, dry, out, |c| c.create(svc));
        match created {
            Ok(stored) => {
                printer.print_object(out, &stored, Encoding::Unstructured, "exposed");
                Ok(())
            }
            Err(e) => Err(errors::api_error_text(&e)),
        }
    });
    Ok(())
}

/// The pod selector of an exposable object (`MapBasedSelectorForObject`).
fn selector_of(obj: &Object) -> Result<BTreeMap<String, String>, String> {
    let none = |what: &str| {
        Err(format!(
            "couldn't retrieve selectors via --selector flag or introspection: {what}"
        ))
    };
    match obj {
        Object::Pod(p) if p.metadata.labels.is_empty() => none("the pod has no labels and cannot be exposed"),
        Object::Pod(p) => Ok(p.metadata.labels.clone()),
        Object::Service(svc) if svc.spec.selector.is_empty() => none("the service has no pod selector set"),
        Object::Service(svc) => Ok(svc.spec.selector.clone()),
        Object::Deployment(d) if !d.spec.selector.match_expressions.is_empty() => {
            none("couldn't convert expressions to map-based selector format")
        }
        Object::Deployment(d) => Ok(d.spec.selector.match_labels.clone()),
        Object::ReplicaSet(rs) if !rs.spec.selector.match_expressions.is_empty() => {
            none("couldn't convert expressions to map-based selector format")
        }
        Object::ReplicaSet(rs) => Ok(rs.spec.selector.match_labels.clone()),
        _ => none("cannot extract pod selector"),
    }
}

/// The containers whose ports an object exposes.
fn containers_of(obj: &Object) -> &[Container] {
    match obj {
        Object::Pod(p) => &p.spec.containers,
        Object::Deployment(d) => &d.spec.template.spec.containers,
        Object::ReplicaSet(rs) => &rs.spec.template.spec.containers,
        _ => &[],
    }
}

/// The ports (`PortsForObject`) and port -> protocols (`MultiProtocolsForObject`) of an object.
fn ports_of(obj: &Object) -> (Vec<String>, BTreeMap<String, Vec<String>>) {
    let mut ports = Vec::new();
    let mut protocols: BTreeMap<String, Vec<String>> = BTreeMap::new();
    if let Object::Service(svc) = obj {
        for p in &svc.spec.ports {
            ports.push(p.port.to_string());
            protocols
                .entry(p.port.to_string())
                .or_default()
                .push(p.protocol.clone().unwrap_or_else(|| "TCP".into()));
        }
    } else {
        for c in containers_of(obj) {
            for p in &c.ports {
                ports.push(p.container_port.to_string());
                protocols
                    .entry(p.container_port.to_string())
                    .or_default()
                    .push(p.protocol.clone().unwrap_or_else(|| "TCP".into()));
            }
        }
    }
    (ports, protocols)
}

/// `key=value,key=value` (expose's `parseLabels`).
fn parse_labels(spec: &str) -> Result<BTreeMap<String, String>, String> {
    if spec.is_empty() {
        return Err("no label spec passed".into());
    }
    let mut out = BTreeMap::new();
    for part in spec.split(',') {
        let kv: Vec<&str> = part.split('=').collect();
        if kv.len() != 2 {
            return Err(format!("unexpected label spec: {part}"));
        }
        if kv[0].is_empty() {
            return Err("unexpected empty label key".into());
        }
        out.insert(kv[0].to_string(), kv[1].to_string());
    }
    Ok(out)
}

/// `intstr.Parse`: a number if it is one, else a name.
fn int_or_string(s: &str) -> Value {
    match s.parse::<i64>() {
        Ok(n) => json!(n),
        Err(_) => Value::String(s.to_string()),
    }
}

/// The Service kubectl generates for `obj` (`createService`), as typed JSON.
fn service_for(inv: &Invocation, obj: &Object) -> Result<Value, String> {
    let kind = obj.kind();
    if !matches!(kind, Kind::Pod | Kind::Service | Kind::Deployment | Kind::ReplicaSet) {
        let info = kind.info();
        let gk = if info.group.is_empty() {
            info.kind.to_string()
        } else {
            format!("{}.{}", info.kind, info.group)
        };
        return Err(format!("error: cannot expose a {gk}"));
    }
    let default_name: String = obj.name().chars().take(MAX_NAME).collect();
    let selector = match inv.get_str("selector") {
        "" => selector_of(obj).map_err(|e| format!("error: {e}"))?,
        s => parse_labels(s).map_err(|e| format!("error: {e}"))?,
    };
    let cluster_ip = inv.get_str("cluster-ip");
    let (found_ports, protocols) = ports_of(obj);
    let port_flag = inv.get_str("port");
    let port_string = if !port_flag.is_empty() {
        port_flag.to_string()
    } else {
        if found_ports.is_empty() && cluster_ip != "None" {
            return Err("error: couldn't find port via --port flag or introspection".into());
        }
        found_ports.join(",")
    };
    let labels = match inv.get_str("labels") {
        "" => obj.meta().labels.clone(),
        l => parse_labels(l).map_err(|e| format!("error: {e}"))?,
    };
    let name = match inv.get_str("name") {
        "" => default_name,
        n => n.to_string(),
    };
    let flag_protocol = inv.get_str("protocol");
    let mut ports = Vec::new();
    if !port_string.is_empty() {
        let list: Vec<&str> = port_string.split(',').collect();
        for (i, p) in list.iter().enumerate() {
            let port: i64 = p
                .parse()
                .map_err(|_| format!("error: strconv.Atoi: parsing \"{p}\": invalid syntax"))?;
            let port_name = if list.len() > 1 {
                format!("port-{}", i + 1)
            } else {
                String::new()
            };
            let mut protocol = flag_protocol.to_string();
            if protocol.is_empty() {
                protocol = "TCP".into();
                if let Some(found) = protocols.get(*p) {
                    if found.len() == 1 {
                        protocol = found[0].clone();
                    } else {
                        for pr in found {
                            ports.push(service_port(
                                &format!("port-{}-{}", i + 1, pr.to_ascii_lowercase()),
                                pr,
                                port,
                            ));
                        }
                        continue;
                    }
                }
            }
            ports.push(service_port(&port_name, &protocol, port));
        }
    }
    let target = inv.get_str("target-port");
    for p in &mut ports {
        let t = if target.is_empty() {
            p["port"].clone()
        } else {
            int_or_string(target)
        };
        p["targetPort"] = t;
    }
    let mut meta = Map::new();
    meta.insert("name".into(), Value::String(name));
    meta.insert("creationTimestamp".into(), Value::Null);
    if !labels.is_empty() {
        meta.insert("labels".into(), json!(labels));
    }
    let mut spec = Map::new();
    if !ports.is_empty() {
        spec.insert("ports".into(), Value::Array(ports));
    }
    spec.insert("selector".into(), json!(selector));
    if !cluster_ip.is_empty() {
        spec.insert("clusterIP".into(), Value::String(cluster_ip.to_string()));
    }
    let type_ = inv.get_str("type");
    if !type_.is_empty() {
        spec.insert("type".into(), Value::String(type_.to_string()));
    }
    let external_ip = inv.get_str("external-ip");
    if !external_ip.is_empty() {
        spec.insert("externalIPs".into(), json!([external_ip]));
    }
    let lb_ip = inv.get_str("load-balancer-ip");
    if type_ == "LoadBalancer" && !lb_ip.is_empty() {
        spec.insert("loadBalancerIP".into(), Value::String(lb_ip.to_string()));
    }
    match inv.get_str("session-affinity") {
        "" => {}
        a @ ("None" | "ClientIP") => {
            spec.insert("sessionAffinity".into(), Value::String(a.to_string()));
        }
        other => return Err(format!("error: unknown session affinity: {other}")),
    }
    Ok(json!({
        "kind": "Service",
        "apiVersion": "v1",
        "metadata": meta,
        "spec": spec,
        "status": { "loadBalancer": {} }
    }))
}

fn service_port(name: &str, protocol: &str, port: i64) -> Value {
    let mut p = Map::new();
    if !name.is_empty() {
        p.insert("name".into(), Value::String(name.to_string()));
    }
    p.insert("protocol".into(), Value::String(protocol.to_string()));
    p.insert("port".into(), json!(port));
    Value::Object(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_parse_like_expose() {
        assert_eq!(
            parse_labels("app=web").unwrap().get("app").map(String::as_str),
            Some("web")
        );
        assert_eq!(parse_labels("app"), Err("unexpected label spec: app".into()));
        assert_eq!(parse_labels("=x"), Err("unexpected empty label key".into()));
    }
}
