//! Resource quota: what a namespace uses against each ResourceQuota's `hard` limits (the quota
//! controller writes `status.used`), and the admission check that refuses what would exceed
//! them, with the API server's wording (`exceeded quota: compute, requested: …`).

use super::Action;
use crate::api::*;
use std::collections::BTreeMap;

/// Usage in milli-units per quota resource name.
pub type Usage = BTreeMap<String, i64>;

/// What one object adds to a namespace's usage (the quota evaluators).
pub fn usage_of(obj: &Object) -> Usage {
    let mut u = Usage::new();
    match obj {
        Object::Pod(p) if !p.is_terminal() => {
            u.insert("pods".into(), 1000);
            u.insert("count/pods".into(), 1000);
            for (res, from_limits) in [
                ("cpu", false),
                ("memory", false),
                ("cpu", true),
                ("memory", true),
                ("ephemeral-storage", false),
            ] {
                let sum = pod_resource(p, res, from_limits);
                let name = if from_limits {
                    format!("limits.{res}")
                } else {
                    format!("requests.{res}")
                };
                u.insert(name, sum);
                if !from_limits {
                    u.insert(res.to_string(), sum);
                }
            }
        }
        Object::Service(s) => {
            u.insert("services".into(), 1000);
            u.insert("count/services".into(), 1000);
            match s.type_() {
                "NodePort" => {
                    u.insert("services.nodeports".into(), 1000 * s.spec.ports.len() as i64);
                }
                "LoadBalancer" => {
                    u.insert("services.loadbalancers".into(), 1000);
                    u.insert("services.nodeports".into(), 1000 * s.spec.ports.len() as i64);
                }
                _ => {}
            }
        }
        Object::ConfigMap(_) => {
            u.insert("configmaps".into(), 1000);
            u.insert("count/configmaps".into(), 1000);
        }
        Object::Secret(_) => {
            u.insert("secrets".into(), 1000);
            u.insert("count/secrets".into(), 1000);
        }
        Object::PersistentVolumeClaim(c) => {
            u.insert("persistentvolumeclaims".into(), 1000);
            u.insert("count/persistentvolumeclaims".into(), 1000);
            u.insert("requests.storage".into(), c.request_bytes() * 1000);
            if !c.class().is_empty() {
                u.insert(
                    format!("{}.storageclass.storage.k8s.io/requests.storage", c.class()),
                    c.request_bytes() * 1000,
                );
                u.insert(
                    format!("{}.storageclass.storage.k8s.io/persistentvolumeclaims", c.class()),
                    1000,
                );
            }
        }
        Object::ResourceQuota(_) => {
            u.insert("resourcequotas".into(), 1000);
        }
        o => {
            let info = o.kind().info();
            let name = if info.group.is_empty() {
                format!("count/{}", info.plural)
            } else {
                format!("count/{}.{}", info.plural, info.group)
            };
            u.insert(name, 1000);
        }
    }
    u
}

/// A pod's request (or limit) of `res` in milli-units: app containers summed, the largest init
/// container if bigger.
fn pod_resource(p: &Pod, res: &str, limits: bool) -> i64 {
    let of = |c: &Container| {
        let m = if limits {
            &c.resources.limits
        } else {
            &c.resources.requests
        };
        ResourceRequirements::get(m, res)
            .and_then(|q| crate::quantity::parse_milli(&q))
            .unwrap_or(0)
    };
    let apps: i64 = p.spec.containers.iter().map(of).sum();
    let init = p.spec.init_containers.iter().map(of).max().unwrap_or(0);
    apps.max(init)
}

/// Sums usage over objects.
pub fn total<'a>(objs: impl Iterator<Item = &'a Object>) -> Usage {
    let mut u = Usage::new();
    for o in objs {
        for (k, v) in usage_of(o) {
            *u.entry(k).or_default() += v;
        }
    }
    u
}

/// A quantity in milli-units written the way `resource.Quantity` prints it: cpu-like values as
/// `250m` or `2`, byte values with the largest exact binary suffix (`64Mi`).
pub fn format_quantity(resource: &str, milli: i64) -> String {
    let bytes_like = resource.contains("memory") || resource.contains("storage");
    if bytes_like && milli % 1000 == 0 {
        let b = milli / 1000;
        for (suffix, f) in [("Ti", 1i64 << 40), ("Gi", 1 << 30), ("Mi", 1 << 20), ("Ki", 1 << 10)] {
            if b != 0 && b % f == 0 {
                return format!("{}{suffix}", b / f);
            }
        }
        return b.to_string();
    }
    if milli % 1000 == 0 {
        (milli / 1000).to_string()
    } else {
        format!("{milli}m")
    }
}

fn hard_milli(v: &serde_json::Value) -> Option<i64> {
    match v {
        serde_json::Value::String(s) => crate::quantity::parse_milli(s),
        serde_json::Value::Number(n) => crate::quantity::parse_milli(&n.to_string()),
        _ => None,
    }
}

/// The quota's status for the namespace's current usage.
pub fn reconcile(q: &ResourceQuota, used: &Usage) -> Vec<Action> {
    let mut status = ResourceQuotaStatus::default();
    for (k, v) in &q.spec.hard {
        let shown = match v {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        status.hard.insert(k.clone(), shown);
        status
            .used
            .insert(k.clone(), format_quantity(k, used.get(k).copied().unwrap_or(0)));
    }
    if status == q.status {
        return Vec::new();
    }
    let mut next = q.clone();
    next.status = status;
    vec![Action::UpdateStatus(Object::ResourceQuota(next))]
}

/// One exceeded resource: (name, requested, used, hard), in milli-units.
type Over = (String, i64, i64, i64);

/// The admission check for a new object in a namespace with `quotas`, whose current usage is
/// `used`: `Err` is the Forbidden message's tail (`exceeded quota: …` / `failed quota: …`).
pub fn admit(obj: &Object, quotas: &[&ResourceQuota], used: &Usage) -> Result<(), String> {
    let add = usage_of(obj);
    for q in quotas {
        // Pods must state what a quota on cpu/memory tracks.
        if let Object::Pod(p) = obj {
            let mut missing = Vec::new();
            for res in [
                "limits.cpu",
                "limits.memory",
                "requests.cpu",
                "requests.memory",
                "cpu",
                "memory",
            ] {
                if !q.spec.hard.contains_key(res) {
                    continue;
                }
                let (field, name) = match res.split_once('.') {
                    Some((f, n)) => (f, n),
                    None => ("requests", res),
                };
                let lacking: Vec<&str> = p
                    .spec
                    .containers
                    .iter()
                    .filter(|c| {
                        let m = if field == "limits" {
                            &c.resources.limits
                        } else {
                            &c.resources.requests
                        };
                        !m.contains_key(name)
                    })
                    .map(|c| c.name.as_str())
                    .collect();
                if !lacking.is_empty() {
                    missing.push(format!("{field}.{name} for: {}", lacking.join(",")));
                }
            }
            if !missing.is_empty() {
                missing.dedup();
                return Err(format!(
                    "failed quota: {}: must specify {}",
                    q.metadata.name,
                    missing.join("; ")
                ));
            }
        }
        let mut over: Vec<Over> = Vec::new();
        for (res, hard) in &q.spec.hard {
            let Some(add) = add.get(res).copied().filter(|a| *a > 0) else {
                continue;
            };
            let Some(limit) = hard_milli(hard) else { continue };
            let now = used.get(res).copied().unwrap_or(0);
            if now + add > limit {
                over.push((res.clone(), add, now, limit));
            }
        }
        if !over.is_empty() {
            let list = |f: &dyn Fn(&Over) -> String| over.iter().map(f).collect::<Vec<_>>().join(",");
            return Err(format!(
                "exceeded quota: {}, requested: {}, used: {}, limited: {}",
                q.metadata.name,
                list(&|(r, a, _, _)| format!("{r}={}", format_quantity(r, *a))),
                list(&|(r, _, u, _)| format!("{r}={}", format_quantity(r, *u))),
                list(&|(r, _, _, l)| format!("{r}={}", format_quantity(r, *l))),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pod(cpu: &str, mem: &str) -> Object {
        let mut p = Pod {
            metadata: ObjectMeta::named("p", Some("dev")),
            ..Default::default()
        };
        let mut c = Container {
            name: "nginx".into(),
            ..Default::default()
        };
        c.resources.requests.insert("cpu".into(), json!(cpu));
        c.resources.requests.insert("memory".into(), json!(mem));
        c.resources.limits.insert("cpu".into(), json!(cpu));
        c.resources.limits.insert("memory".into(), json!(mem));
        p.spec.containers.push(c);
        Object::Pod(p)
    }

    fn quota() -> ResourceQuota {
        let mut q = ResourceQuota {
            metadata: ObjectMeta::named("compute", Some("dev")),
            ..Default::default()
        };
        for (k, v) in [
            ("pods", "2"),
            ("requests.cpu", "1"),
            ("requests.memory", "1Gi"),
            ("limits.cpu", "2"),
            ("limits.memory", "2Gi"),
        ] {
            q.spec.hard.insert(k.into(), json!(v));
        }
        q
    }

    #[test]
    fn status_and_admission_messages() {
        let q = quota();
        let used = total([pod("250m", "64Mi")].iter());
        let Action::UpdateStatus(Object::ResourceQuota(s)) = &reconcile(&q, &used)[0] else {
            panic!()
        };
        assert_eq!(s.status.used["requests.cpu"], "250m");
        assert_eq!(s.status.used["requests.memory"], "64Mi");
        assert_eq!(s.status.used["pods"], "1");
        assert!(admit(&pod("500m", "64Mi"), &[&q], &used).is_ok());
        assert_eq!(
            admit(&pod("900m", "64Mi"), &[&q], &used).unwrap_err(),
            "exceeded quota: compute, requested: requests.cpu=900m, used: requests.cpu=250m, limited: requests.cpu=1"
        );
        let mut bare = Pod {
            metadata: ObjectMeta::named("b", Some("dev")),
            ..Default::default()
        };
        bare.spec.containers.push(Container {
            name: "nginx".into(),
            ..Default::default()
        });
        assert_eq!(
            admit(&Object::Pod(bare), &[&q], &used).unwrap_err(),
            "failed quota: compute: must specify limits.cpu for: nginx; limits.memory for: nginx; requests.cpu for: nginx; requests.memory for: nginx"
        );
    }
}
