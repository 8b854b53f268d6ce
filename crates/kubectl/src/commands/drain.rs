//! `kubectl drain NODE` (`k8s.io/kubectl/pkg/cmd/drain/drain.go` and `pkg/drain`, v1.32;
//! `kubectl-behaviour.md` §5.1).
//!
//! The node is cordoned first (`node/x cordoned`, `already cordoned`). Its pods then go through
//! kubectl's filters, in order, the first that refuses a pod deciding for it: DaemonSet pods
//! (an error without `--ignore-daemonsets`, else skipped with a warning), mirror pods
//! (skipped), pods with `emptyDir` volumes (an error without `--delete-emptydir-data`),
//! pods without a controller (an error without `--force`). Finished pods always go. Errors
//! stop the drain:
//!
//! ```text
//! error: unable to drain node "kind-worker" due to error: [cannot delete cannot delete Pods that declare no controller (use --force to override): default/x, …], continuing command...
//! There are pending nodes to be drained:
//!  kind-worker
//! cannot delete cannot delete Pods that declare no controller (use --force to override): default/x
//! ```
//!
//! (upstream's message constant already starts with `cannot delete`). Go prints these groups
//! in map order; kubelab uses the order of the filters. Otherwise the warnings (`Warning:
//! deleting Pods that declare no controller: default/x; ignoring DaemonSet-managed Pods: …`),
//! then every pod is evicted in parallel through the Eviction API (`evicting pod ns/x`), and
//! each prints `pod/x evicted` once it is gone after its graceful termination, in the order the
//! virtual clock removes them. An eviction a PodDisruptionBudget refuses is retried every 5
//! seconds (`error when evicting pods/"x" -n "default" (will retry after 5s): Cannot evict pod
//! as it would violate the pod's disruption budget.`), printing `evicting pod` again, until it
//! passes or `--timeout` ends the drain. Last, `node/x drained`. `--disable-eviction` deletes
//! instead (`pod/x deleted`); `--dry-run=client` only lists what would be evicted.

use super::mutate::{self, DryRun, Encoding, Format, Printer};
use crate::engine::api::{Kind, Object, Pod};
use crate::engine::selector::Selector;
use crate::engine::{DeleteOptions, Reason, SimTime};
use crate::flags::Invocation;
use crate::session::Session;
use crate::{errors, Output};
use kubelab_engine::sort::CompactSort;
use std::sync::Arc;

pub fn run(s: &mut Session, inv: &Invocation) -> Output {
    mutate::command(s, inv, |s, out| drain(s, inv, out))
}

const DAEMONSET_FATAL: &str = "DaemonSet-managed Pods (use --ignore-daemonsets to ignore)";
const DAEMONSET_WARNING: &str = "ignoring DaemonSet-managed Pods";
const LOCAL_STORAGE_FATAL: &str = "Pods with local storage (use --delete-emptydir-data to override)";
const LOCAL_STORAGE_WARNING: &str = "deleting Pods with local storage";
const UNMANAGED_FATAL: &str = "cannot delete Pods that declare no controller (use --force to override)";
const UNMANAGED_WARNING: &str = "deleting Pods that declare no controller";
const MIRROR_ANNOTATION: &str = "kubernetes.io/config.mirror";
/// How long kubectl waits before retrying an eviction a disruption budget refused.
const RETRY_MS: u64 = 5_000;

/// What the filters decided for one pod (`PodDeleteStatus`).
#[derive(Clone, Debug, PartialEq, Eq)]
enum Verdict {
    Delete,
    DeleteWithWarning(String),
    Skip,
    SkipWithWarning(String),
    Error(String),
}

/// The drain flags the filters read.
struct Filters {
    force: bool,
    ignore_daemonsets: bool,
    delete_emptydir_data: bool,
}

impl Filters {
    /// `makeFilters`, applied in order; a verdict that does not delete ends the chain, and the
    /// last verdict wins otherwise (so a local-storage warning is lost on a managed pod, as
    /// upstream).
    fn verdict(&self, s: &Session, p: &Pod) -> Verdict {
        let mut v = Verdict::Delete;
        for f in [Self::daemonset, Self::mirror, Self::local_storage, Self::unreplicated] {
            v = f(self, s, p);
            if !matches!(v, Verdict::Delete | Verdict::DeleteWithWarning(_)) {
                break;
            }
        }
        v
    }

    fn daemonset(&self, s: &Session, p: &Pod) -> Verdict {
        let Some(owner) = p.metadata.controller().filter(|o| o.kind == "DaemonSet") else {
            return Verdict::Delete;
        };
        if p.is_terminal() {
            return Verdict::Delete;
        }
        if s.cluster.get(Kind::DaemonSet, p.metadata.ns(), &owner.name).is_none() {
            let err = crate::engine::ApiError::not_found(Kind::DaemonSet, &owner.name).message;
            return if self.force {
                Verdict::DeleteWithWarning(err)
            } else {
                Verdict::Error(err)
            };
        }
        if !self.ignore_daemonsets {
            return Verdict::Error(DAEMONSET_FATAL.into());
        }
        Verdict::SkipWithWarning(DAEMONSET_WARNING.into())
    }

    fn mirror(&self, _s: &Session, p: &Pod) -> Verdict {
        let static_pod = p.metadata.annotations.contains_key(MIRROR_ANNOTATION)
            || p.metadata.controller().is_some_and(|o| o.kind == "Node");
        if static_pod {
            Verdict::Skip
        } else {
            Verdict::Delete
        }
    }

    fn local_storage(&self, _s: &Session, p: &Pod) -> Verdict {
        let local = p.spec.volumes.iter().any(|v| v.source.contains_key("emptyDir"));
        if !local || p.is_terminal() {
            return Verdict::Delete;
        }
        if !self.delete_emptydir_data {
            return Verdict::Error(LOCAL_STORAGE_FATAL.into());
        }
        Verdict::DeleteWithWarning(LOCAL_STORAGE_WARNING.into())
    }

    fn unreplicated(&self, _s: &Session, p: &Pod) -> Verdict {
        if p.is_terminal() || p.metadata.controller().is_some() {
            return Verdict::Delete;
        }
        if self.force {
            Verdict::DeleteWithWarning(UNMANAGED_WARNING.into())
        } else {
            Verdict::Error(UNMANAGED_FATAL.into())
        }
    }
}

/// Groups `ns/name` by message, in the order the messages first appear among the filters.
fn grouped(items: &[(String, String)]) -> Vec<(String, Vec<String>)> {
    let order = [
        UNMANAGED_FATAL,
        UNMANAGED_WARNING,
        LOCAL_STORAGE_FATAL,
        LOCAL_STORAGE_WARNING,
        DAEMONSET_FATAL,
        DAEMONSET_WARNING,
    ];
    let mut groups: Vec<(String, Vec<String>)> = Vec::new();
    for (msg, pod) in items {
        match groups.iter_mut().find(|(m, _)| m == msg) {
            Some((_, pods)) => pods.push(pod.clone()),
            None => groups.push((msg.clone(), vec![pod.clone()])),
        }
    }
    groups.compact_sort_by_key(|(m, _)| order.iter().position(|o| o == m).unwrap_or(order.len()));
    groups
}

fn drain(s: &mut Session, inv: &Invocation, out: &mut Output) -> Result<(), Output> {
    // Complete.
    let selector = inv.was_set("selector");
    if inv.args.is_empty() && !selector {
        return Err(mutate::usage_error(inv, "USAGE: drain NODE [flags]"));
    }
    if !inv.args.is_empty() && selector {
        return Err(mutate::usage_error(
            inv,
            "cannot specify both a node name and a --selector option",
        ));
    }
    let pod_selector = inv.get_str("pod-selector");
    let pod_selector = Selector::parse(pod_selector)
        .map_err(|_| errors::error("--pod-selector=<pod_selector> must be a valid label selector"))?;
    // RunCordonOrUncordon(true): prints `node/x cordoned` and the dry-run deprecation warnings.
    super::nodes::cordon_or_uncordon(s, inv, true, out)?;
    let dry = mutate::dry_run(s, inv, &mut Output::ok())?;
    let mut printer = Printer::new(Format::Message, dry);
    let nodes = node_names(s, inv)?;
    let filters = Filters {
        force: inv.get_bool("force"),
        ignore_daemonsets: inv.get_bool("ignore-daemonsets"),
        delete_emptydir_data: inv.get_bool("delete-emptydir-data"),
    };
    let timeout = mutate::timeout_ms(inv, "timeout");
    let deadline = timeout.map(|t| s.cluster.now().plus_ms(t));
    let timeout_text = super::cmdutil::go_duration(inv.get_duration_nanos("timeout"));
    let grace = inv.get_int("grace-period");
    let disable_eviction = inv.get_bool("disable-eviction");
    for (i, node) in nodes.iter().enumerate() {
        let result = drain_node(
            s,
            node,
            &filters,
            &pod_selector,
            dry,
            deadline,
            &timeout_text,
            grace,
            disable_eviction,
            &mut printer,
            out,
        );
        match result {
            Ok(()) => {
                if let Some(obj) = s.cluster.get(Kind::Node, "", node).cloned() {
                    printer.print_object(out, &obj, Encoding::Unstructured, "drained");
                }
            }
            Err(Failure::Interrupted) => {
                out.exit_code = mutate::INTERRUPTED;
                return Ok(());
            }
            Err(Failure::Errors(errs)) => {
                let joined = match errs.as_slice() {
                    [one] => one.clone(),
                    many => format!("[{}]", many.join(", ")),
                };
                out.errln(format!(
                    "error: unable to drain node \"{node}\" due to error: {joined}, continuing command..."
                ));
                out.errln("There are pending nodes to be drained:");
                for n in &nodes[i..] {
                    out.errln(format!(" {n}"));
                }
                for e in errs {
                    out.errln(e);
                }
                out.exit_code = 1;
                return Ok(());
            }
        }
    }
    Ok(())
}

/// The nodes named or selected (the cordon step already reported missing ones).
fn node_names(s: &Session, inv: &Invocation) -> Result<Vec<String>, Output> {
    if inv.was_set("selector") {
        let sel = Selector::parse(inv.get_str("selector")).map_err(errors::error)?;
        return Ok(s
            .cluster
            .list(Kind::Node, None)
            .into_iter()
            .filter(|n| sel.matches(&n.meta().labels))
            .map(|n| n.name().to_string())
            .collect());
    }
    Ok(inv
        .args
        .iter()
        .map(|a| a.rsplit('/').next().unwrap_or(a).to_string())
        .filter(|n| s.cluster.get(Kind::Node, "", n).is_some())
        .collect())
}

enum Failure {
    Errors(Vec<String>),
    Interrupted,
}

/// `deleteOrEvictPodsSimple` for one node.
fn drain_node(
    s: &mut Session,
    node: &str,
    filters: &Filters,
    pod_selector: &Selector,
    dry: DryRun,
    deadline: Option<SimTime>,
    timeout_text: &str,
    grace: i64,
    disable_eviction: bool,
    printer: &mut Printer,
    out: &mut Output,
) -> Result<(), Failure> {
    let mut pods: Vec<Arc<Object>> = s
        .cluster
        .store()
        .pods_on_node(node)
        .filter(|o| pod_selector.matches(&o.meta().labels))
        .cloned()
        .collect();
    pods.compact_sort_by(|a, b| (a.namespace(), a.name()).cmp(&(b.namespace(), b.name())));
    let mut to_delete = Vec::new();
    let mut warnings = Vec::new();
    let mut fatal = Vec::new();
    for o in &pods {
        let Some(p) = o.as_pod() else { continue };
        let id = format!("{}/{}", p.metadata.ns(), p.metadata.name);
        match filters.verdict(s, p) {
            Verdict::Delete => to_delete.push(o.clone()),
            Verdict::DeleteWithWarning(w) => {
                warnings.push((w, id));
                to_delete.push(o.clone());
            }
            Verdict::Skip => {}
            Verdict::SkipWithWarning(w) => warnings.push((w, id)),
            Verdict::Error(e) => fatal.push((e, id)),
        }
    }
    if !fatal.is_empty() {
        return Err(Failure::Errors(
            grouped(&fatal)
                .into_iter()
                .map(|(m, pods)| format!("cannot delete {m}: {}", pods.join(", ")))
                .collect(),
        ));
    }
    if !warnings.is_empty() {
        let text: Vec<String> = grouped(&warnings)
            .into_iter()
            .map(|(m, pods)| format!("{m}: {}", pods.join(", ")))
            .collect();
        out.errln(format!("Warning: {}", text.join("; ")));
    }
    match dry {
        DryRun::Client => {
            for o in &to_delete {
                out.outln(format!("evicting pod {}/{} (dry run)", o.namespace(), o.name()));
            }
            return Ok(());
        }
        DryRun::Server => {
            for o in &to_delete {
                out.outln(format!("evicting pod {}/{} (server dry run)", o.namespace(), o.name()));
            }
            return Ok(());
        }
        DryRun::None => {}
    }
    let opts = DeleteOptions {
        grace_period: (grace >= 0).then_some(grace),
        ..Default::default()
    };
    evict_all(
        s,
        to_delete,
        opts,
        deadline,
        timeout_text,
        disable_eviction,
        printer,
        out,
    )
}

/// One pod on its way out.
struct Eviction {
    pod: Arc<Object>,
    /// Accepted: waiting for the pod (this uid) to be gone.
    accepted: bool,
    /// Refused by a disruption budget: when to try again.
    retry_at: Option<SimTime>,
    done: bool,
}

/// `evictPods` (or `deletePods` with `--disable-eviction`), all pods at once on the virtual
/// clock.
fn evict_all(
    s: &mut Session,
    pods: Vec<Arc<Object>>,
    opts: DeleteOptions,
    deadline: Option<SimTime>,
    timeout_text: &str,
    disable_eviction: bool,
    printer: &mut Printer,
    out: &mut Output,
) -> Result<(), Failure> {
    let mut errs = Vec::new();
    let mut evictions: Vec<Eviction> = pods
        .into_iter()
        .map(|pod| Eviction {
            pod,
            accepted: false,
            retry_at: Some(SimTime(0)),
            done: false,
        })
        .collect();
    let verb = if disable_eviction { "deleted" } else { "evicted" };
    let attempt = |s: &mut Session, e: &mut Eviction, out: &mut Output, errs: &mut Vec<String>| {
        let (ns, name) = (e.pod.namespace().to_string(), e.pod.name().to_string());
        let result = if disable_eviction {
            s.cluster.delete(Kind::Pod, &ns, &name, opts).map(|_| ())
        } else {
            s.cluster.evict(&ns, &name)
        };
        e.retry_at = None;
        match result {
            Ok(()) => e.accepted = true,
            Err(err) if err.reason == Reason::NotFound => e.done = true,
            Err(err) if err.reason == Reason::TooManyRequests && !disable_eviction => {
                out.errln(format!(
                    "error when evicting pods/\"{name}\" -n \"{ns}\" (will retry after 5s): {}",
                    err.message
                ));
                e.retry_at = Some(s.cluster.now().plus_ms(RETRY_MS));
            }
            Err(err) => {
                errs.push(format!(
                    "error when evicting pods/\"{name}\" -n \"{ns}\": {}",
                    err.message
                ));
                e.done = true;
            }
        }
    };
    loop {
        let now = s.cluster.now();
        let due = |e: &Eviction| !e.done && e.retry_at.is_some_and(|t| t <= now);
        // The evictions of one instant are sent in parallel: their lines come first.
        if !disable_eviction {
            for e in evictions.iter().filter(|e| due(e)) {
                out.outln(format!("evicting pod {}/{}", e.pod.namespace(), e.pod.name()));
            }
        }
        for e in evictions.iter_mut().filter(|e| due(e)) {
            attempt(s, e, out, &mut errs);
        }
        s.cluster.settle();
        // Pods that are gone, in the order of the list.
        for e in evictions.iter_mut().filter(|e| e.accepted && !e.done) {
            let gone = s
                .cluster
                .get(Kind::Pod, e.pod.namespace(), e.pod.name())
                .is_none_or(|o| o.meta().uid() != e.pod.meta().uid());
            if gone {
                e.done = true;
                printer.print_object(out, &e.pod, Encoding::Unstructured, verb);
            }
        }
        if evictions.iter().all(|e| e.done) {
            break;
        }
        // Next instant: the next retry or the next cluster event, within the deadline.
        let next_retry = evictions.iter().filter(|e| !e.done).filter_map(|e| e.retry_at).min();
        let next = match (next_retry, s.cluster.next_wakeup()) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        let limit = deadline.unwrap_or_else(|| now.plus_ms(mutate::FOREVER_MS.max(1)));
        match next {
            Some(t) if t <= limit => {
                let step = t.0.saturating_sub(now.0).max(1);
                s.cluster.advance(step);
            }
            _ => {
                if deadline.is_none() {
                    return Err(Failure::Interrupted);
                }
                s.cluster.advance(limit.0.saturating_sub(now.0));
                for e in evictions.iter().filter(|e| !e.done) {
                    let (ns, name) = (e.pod.namespace(), e.pod.name());
                    let secs = timeout_text;
                    errs.push(if e.accepted {
                        format!("error when waiting for pod \"{name}\" in namespace \"{ns}\" to terminate: global timeout reached: {secs}")
                    } else {
                        format!("error when evicting pods/\"{name}\" -n \"{ns}\": global timeout reached: {secs}")
                    });
                }
                break;
            }
        }
    }
    if errs.is_empty() {
        Ok(())
    } else {
        Err(Failure::Errors(errs))
    }
}
