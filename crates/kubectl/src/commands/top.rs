//! `kubectl top node|pod` (`k8s.io/kubectl/pkg/cmd/top`, `pkg/metricsutil/metrics_printer.go`,
//! v1.32).
//!
//! Real kubectl reads the Metrics API that metrics-server serves. The simulated cluster has no
//! metrics-server, so kubelab derives plausible usage here ([`container_usage`], a pure
//! function of the pod, its image and requests, and the virtual clock): the system components
//! of a kind cluster use what they typically use, known images a typical idle amount, other
//! containers a fraction of their requests; a stable hash of the pod and the current minute
//! makes the numbers move a little over time, the same in every replay. Limits cap usage. Like
//! metrics-server, a pod has metrics once its containers have run for a scrape interval (15s);
//! before that `kubectl top pod` answers `error: metrics not available yet`.
//!
//! Printing is kubectl's: a tabwriter table where every cell, the last one too, ends with a
//! tab, so every column (the last one too) is padded; CPU in millicores (`12m`), memory in
//! MiB (`24Mi`), node percentages of allocatable (`--show-capacity`: of capacity), truncated.

use super::mutate;
use crate::engine::api::{Container, Kind, Node, Pod, ResourceRequirements};
use crate::engine::names::stable_hash;
use crate::engine::quantity::parse_milli;
use crate::engine::selector::Selector;
use crate::engine::{images, Cluster, SimTime};
use crate::flags::Invocation;
use crate::printers::table;
use crate::session::Session;
use crate::{errors, Output};
use kubelab_engine::sort::CompactSort;

pub fn run(s: &mut Session, inv: &Invocation) -> Output {
    let result = match inv.path.get(1).copied() {
        Some("node") => top_node(s, inv),
        Some("pod") => top_pod(s, inv),
        _ => Err(super::not_simulated(inv)),
    };
    let mut out = mutate::parse_warnings(inv);
    match result {
        Ok(o) | Err(o) => out.extend(o),
    }
    out
}

const MI: i64 = 1024 * 1024;
/// metrics-server's scrape interval: a container has usage once it has run this long.
const SCRAPE_MS: u64 = 15_000;

/// Typical idle usage (millicores, MiB) of the images a learner meets.
fn profile(image: &str) -> Option<(i64, i64)> {
    let repo = images::lookup(image).repository;
    let name = if repo.is_empty() { image } else { repo };
    let base = name.rsplit('/').next().unwrap_or(name);
    let base = base.split([':', '@']).next().unwrap_or(base);
    Some(match base {
        "etcd" => (22, 38),
        "kube-apiserver" => (48, 212),
        "kube-controller-manager" => (16, 47),
        "kube-scheduler" => (4, 21),
        "kube-proxy" => (1, 14),
        "kindnetd" => (1, 9),
        "coredns" => (2, 13),
        "local-path-provisioner" => (1, 8),
        "nginx" | "nginx-slim" => (1, 3),
        "httpd" => (1, 7),
        "redis" => (3, 4),
        "postgres" => (4, 24),
        "mysql" | "mariadb" => (6, 180),
        "mongo" => (8, 90),
        "memcached" => (1, 2),
        "busybox" | "alpine" | "debian" | "ubuntu" | "pause" => (0, 1),
        _ => return None,
    })
}

/// Simulated usage of one container: (millicores, bytes).
pub fn container_usage(pod: &Pod, c: &Container, now: SimTime) -> (i64, i64) {
    let req = |map: &std::collections::BTreeMap<String, serde_json::Value>, r: &str| {
        ResourceRequirements::get(map, r).and_then(|q| parse_milli(&q))
    };
    let (cpu_base, mem_base) = match profile(&c.image) {
        Some((cpu, mem)) => (cpu, mem * MI),
        None => {
            let cpu = req(&c.resources.requests, "cpu").map_or(1, |m| (m / 20).max(1));
            let mem = req(&c.resources.requests, "memory").map_or(6 * MI, |m| (m / 1000 / 3).max(4 * MI));
            (cpu, mem)
        }
    };
    // A small, stable wobble per pod, container and minute.
    let minute = (now.0 / 60_000).to_string();
    let h = stable_hash(&[pod.metadata.uid(), &c.name, &minute]);
    let cpu_jitter = (h % 41) as i64 - 20; // ±20%
    let mem_jitter = ((h >> 8) % 11) as i64 - 5; // ±5%
    let mut cpu = (cpu_base * (100 + cpu_jitter) / 100).max(if cpu_base > 0 { 1 } else { 0 });
    let mut mem = mem_base * (100 + mem_jitter) / 100;
    if let Some(limit) = req(&c.resources.limits, "cpu") {
        cpu = cpu.min(limit);
    }
    if let Some(limit) = req(&c.resources.limits, "memory") {
        mem = mem.min(limit / 1000);
    }
    (cpu, mem)
}

/// Whether metrics-server would have a sample of the pod: running, every container up for a
/// scrape interval.
fn has_metrics(p: &Pod, now: SimTime) -> bool {
    p.phase() == "Running"
        && !p.status.container_statuses.is_empty()
        && p.status.container_statuses.iter().all(|s| {
            s.state
                .running
                .as_ref()
                .and_then(|r| r.started_at)
                .is_some_and(|t| t.0.plus_ms(SCRAPE_MS) <= now)
        })
}

/// Usage of each container of a pod.
fn pod_usage(p: &Pod, now: SimTime) -> Vec<(String, i64, i64)> {
    p.spec
        .containers
        .iter()
        .map(|c| {
            let (cpu, mem) = container_usage(p, c, now);
            (c.name.clone(), cpu, mem)
        })
        .collect()
}

/// A node's usage: its pods plus the kubelet, containerd and the OS.
fn node_usage(c: &Cluster, n: &Node, now: SimTime) -> (i64, i64) {
    let (mut cpu, mut mem) = if n.is_control_plane() {
        (38, 390 * MI)
    } else {
        (12, 118 * MI)
    };
    let minute = (now.0 / 60_000).to_string();
    let h = stable_hash(&[&n.metadata.name, &minute]);
    cpu += (h % 7) as i64;
    mem += ((h >> 8) % 9) as i64 * MI;
    for o in c.store().pods_on_node(&n.metadata.name) {
        let Some(p) = o.as_pod() else { continue };
        if p.phase() != "Running" {
            continue;
        }
        for (_, pc, pm) in pod_usage(p, now) {
            cpu += pc;
            mem += pm;
        }
    }
    (cpu, mem)
}

/// kubectl's metrics table: every cell tab-terminated, so the last column is padded too.
fn render(rows: Vec<Vec<String>>) -> String {
    let rows: Vec<Vec<String>> = rows
        .into_iter()
        .map(|mut r| {
            r.push(String::new());
            r
        })
        .collect();
    table::render(&rows)
}

fn check_sort_by(inv: &Invocation) -> Result<String, Output> {
    let sort_by = inv.get_str("sort-by").to_string();
    if !sort_by.is_empty() && sort_by != "cpu" && sort_by != "memory" {
        return Err(errors::error("--sort-by accepts only cpu or memory"));
    }
    Ok(sort_by)
}

/// A node's name, CPU (m), memory (bytes) and, when known, both as percentages.
type NodeLine = (String, i64, i64, Option<(i64, i64)>);

fn top_node(s: &mut Session, inv: &Invocation) -> Result<Output, Output> {
    let selector = inv.get_str("selector");
    if inv.args.len() > 1 {
        return Err(mutate::usage_error(inv, "node [NAME | -l label]"));
    }
    if !inv.args.is_empty() && !selector.is_empty() {
        return Err(errors::error("only one of NAME or --selector can be provided"));
    }
    let sel = Selector::parse(selector).map_err(errors::error)?;
    let sort_by = check_sort_by(inv)?;
    let c = &s.cluster;
    let now = c.now();
    let nodes: Vec<&Node> = match inv.args.first() {
        Some(name) => match c.get(Kind::Node, "", name).and_then(|o| o.as_node()) {
            Some(n) => vec![n],
            None => {
                return Err(Output::fail(format!(
                    "Error from server (NotFound): nodemetrics.metrics.k8s.io \"{name}\" not found"
                )))
            }
        },
        None => c
            .list(Kind::Node, None)
            .into_iter()
            .filter_map(|o| o.as_node())
            .filter(|n| sel.matches(&n.metadata.labels))
            .collect(),
    };
    let capacity = inv.get_bool("show-capacity");
    let mut lines: Vec<NodeLine> = nodes
        .iter()
        .map(|n| {
            let (cpu, mem) = node_usage(c, n, now);
            let avail = if capacity {
                &n.status.capacity
            } else {
                &n.status.allocatable
            };
            let get = |r: &str| avail.get(r).and_then(|q| parse_milli(q));
            let pct = match (get("cpu"), get("memory")) {
                (Some(ac), Some(am)) if ac > 0 && am > 0 => Some((cpu * 100_000 / ac / 1000, mem * 1000 * 100 / am)),
                _ => None,
            };
            (n.metadata.name.clone(), cpu, mem, pct)
        })
        .collect();
    match sort_by.as_str() {
        "cpu" => lines.compact_sort_by_key(|l| std::cmp::Reverse(l.1)),
        "memory" => lines.compact_sort_by_key(|l| std::cmp::Reverse(l.2)),
        _ => lines.compact_sort_by(|a, b| a.0.cmp(&b.0)),
    }
    let mut out = Output::ok();
    if lines.is_empty() {
        return Ok(out);
    }
    let mut rows = Vec::new();
    if !inv.get_bool("no-headers") {
        rows.push(
            ["NAME", "CPU(cores)", "CPU(%)", "MEMORY(bytes)", "MEMORY(%)"]
                .map(String::from)
                .to_vec(),
        );
    }
    for (name, cpu, mem, pct) in lines {
        let mut r = vec![name, format!("{cpu}m")];
        if let Some((pc, _)) = pct {
            r.push(format!("{pc}%"));
        }
        r.push(format!("{}Mi", mem / MI));
        if let Some((_, pm)) = pct {
            r.push(format!("{pm}%"));
        }
        rows.push(r);
    }
    out.out(render(rows));
    Ok(out)
}

fn top_pod(s: &mut Session, inv: &Invocation) -> Result<Output, Output> {
    let selector = inv.get_str("selector");
    if inv.args.len() > 1 {
        return Err(mutate::usage_error(inv, "pod [NAME | -l label]"));
    }
    if !inv.args.is_empty() && !selector.is_empty() {
        return Err(errors::error("only one of NAME or selector can be provided"));
    }
    let sel = Selector::parse(selector).map_err(errors::error)?;
    let sort_by = check_sort_by(inv)?;
    if !inv.get_str("field-selector").is_empty() {
        return Err(super::not_simulated(inv));
    }
    let all = inv.get_bool("all-namespaces");
    let ns = super::namespace(s, inv);
    let c = &s.cluster;
    let now = c.now();
    let candidates: Vec<&Pod> = match inv.args.first() {
        Some(name) => {
            let p = c.get(Kind::Pod, &ns, name).and_then(|o| o.as_pod());
            match p.filter(|p| has_metrics(p, now)) {
                Some(p) => vec![p],
                None => {
                    return Err(Output::fail(format!(
                        "Error from server (NotFound): podmetrics.metrics.k8s.io \"{ns}/{name}\" not found"
                    )))
                }
            }
        }
        None => c
            .list(Kind::Pod, (!all).then_some(ns.as_str()))
            .into_iter()
            .filter_map(|o| o.as_pod())
            .filter(|p| sel.matches(&p.metadata.labels))
            .collect(),
    };
    let with_metrics: Vec<&Pod> = candidates.iter().copied().filter(|p| has_metrics(p, now)).collect();
    let mut out = Output::ok();
    if with_metrics.is_empty() {
        // verifyEmptyMetrics: pods that exist but have no sample yet.
        if candidates.iter().any(|p| !p.is_terminal()) {
            return Err(errors::error("metrics not available yet"));
        }
        if all {
            out.errln("No resources found");
        } else {
            out.errln(format!("No resources found in {ns} namespace."));
        }
        return Ok(out);
    }
    struct Line {
        ns: String,
        name: String,
        containers: Vec<(String, i64, i64)>,
    }
    let total =
        |l: &Line, which: usize| -> i64 { l.containers.iter().map(|c| if which == 0 { c.1 } else { c.2 }).sum() };
    let mut lines: Vec<Line> = with_metrics
        .iter()
        .map(|p| Line {
            ns: p.metadata.ns().to_string(),
            name: p.metadata.name.clone(),
            containers: pod_usage(p, now),
        })
        .collect();
    match sort_by.as_str() {
        "cpu" => lines.compact_sort_by_key(|l| std::cmp::Reverse(total(l, 0))),
        "memory" => lines.compact_sort_by_key(|l| std::cmp::Reverse(total(l, 1))),
        _ => lines.compact_sort_by(|a, b| (all.then_some(&a.ns), &a.name).cmp(&(all.then_some(&b.ns), &b.name))),
    }
    let containers = inv.get_bool("containers");
    let mut rows = Vec::new();
    if !inv.get_bool("no-headers") {
        let mut h = Vec::new();
        if all {
            h.push("NAMESPACE".to_string());
        }
        if containers {
            h.push("POD".to_string());
        }
        h.extend(["NAME", "CPU(cores)", "MEMORY(bytes)"].map(String::from));
        rows.push(h);
    }
    for l in &lines {
        let prefix = |r: &mut Vec<String>| {
            if all {
                r.push(l.ns.clone());
            }
        };
        if containers {
            let mut cs = l.containers.clone();
            match sort_by.as_str() {
                "cpu" => cs.compact_sort_by_key(|c| std::cmp::Reverse(c.1)),
                "memory" => cs.compact_sort_by_key(|c| std::cmp::Reverse(c.2)),
                _ => cs.compact_sort_by(|a, b| a.0.cmp(&b.0)),
            }
            for (cname, cpu, mem) in cs {
                let mut r = Vec::new();
                prefix(&mut r);
                r.extend([l.name.clone(), cname, format!("{cpu}m"), format!("{}Mi", mem / MI)]);
                rows.push(r);
            }
        } else {
            let mut r = Vec::new();
            prefix(&mut r);
            r.extend([
                l.name.clone(),
                format!("{}m", total(l, 0)),
                format!("{}Mi", total(l, 1) / MI),
            ]);
            rows.push(r);
        }
    }
    if inv.get_bool("sum") {
        let width = rows.first().map_or(3, Vec::len);
        let mut sep = vec![String::new(); width - 2];
        sep.extend(["________".to_string(), "________".to_string()]);
        rows.push(sep);
        let mut sum = vec![String::new(); width - 2];
        let cpu: i64 = lines.iter().map(|l| total(l, 0)).sum();
        let mem: i64 = lines.iter().map(|l| total(l, 1)).sum();
        sum.extend([format!("{cpu}m"), format!("{}Mi", mem / MI)]);
        rows.push(sum);
    }
    out.out(render(rows));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_pad_every_column() {
        let t = render(vec![
            vec!["NAME".into(), "CPU(cores)".into()],
            vec!["web".into(), "1m".into()],
        ]);
        assert_eq!(t, "NAME   CPU(cores)   \nweb    1m           \n");
    }
}
