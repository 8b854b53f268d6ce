//! `kubectl describe`: the text kubectl's describers build (`k8s.io/kubectl/pkg/describe`,
//! v1.32), one file per kind over one renderer.
//!
//! The renderer is the describers' own: a `PrefixWriter` (two spaces per nesting level) feeding
//! the `tabbedString` tabwriter (minwidth 0, padding 2). Nothing aligns values by hand: each
//! line is written as `Key:\tvalue`, and the tabwriter's column blocks (runs of consecutive
//! lines that have a cell in a column) give the alignment real kubectl shows, including the
//! places where a line without a tab restarts it (`IPs:`, `Containers:`). Layouts:
//! `shared/reference/describe-formats.md` and `captured/describe.txt`.

use crate::engine::api::{Event, Object, ObjectMeta, PodTemplateSpec};
use crate::engine::{Cluster, SimTime};
use crate::printers::table::TabWriter;

/// `w.Write(level, format, args…)`. Defined before the submodules so that they all see it.
macro_rules! put {
    ($w:expr, $level:expr, $($arg:tt)*) => { $w.put($level, &format!($($arg)*)) };
}

mod config_map;
mod containers;
mod cron_job;
mod daemon_set;
mod deployment;
mod endpoints;
mod generic;
mod ingress;
mod ingress_class;
mod job;
mod limit_range;
mod namespace;
mod node;
mod persistent_volume;
mod persistent_volume_claim;
mod pod;
mod pod_disruption_budget;
mod pod_template;
mod quantity;
mod replica_set;
mod resource_quota;
mod secret;
mod sections;
mod service;
mod service_account;
mod stateful_set;
mod storage_class;
mod time;
mod volumes;

pub use time::rfc1123z;

/// What every describer file uses: the writer, the shared sections and the API types.
mod prelude {
    pub(super) use super::containers::*;
    pub(super) use super::pod_template::*;
    pub(super) use super::quantity::*;
    pub(super) use super::sections::*;
    pub(super) use super::time::*;
    pub(super) use super::volumes::*;
    pub(super) use super::{Ctx, W};
    pub(super) use crate::engine::api::*;
    pub(super) use crate::engine::{SimTime, Timestamp};
    pub(super) use crate::printers::columns::{
        access_modes, format_label_selector, format_labels, join_host_port, node_roles, selector_string, since,
    };
    pub(super) use serde_json::Value;
    pub(super) use std::collections::BTreeMap;

    #[cfg(test)]
    pub(super) use super::render;
}

/// The describers' `PrefixWriter`: over a `tabbedString` tabwriter for `describe`, or straight
/// into a string where kubectl writes through a bare `PrefixWriter` (`rollout history
/// --revision`, `rollout undo --dry-run`), which leaves the tabs in the text.
enum W {
    Tabbed(TabWriter),
    Plain(String),
}

impl W {
    fn new() -> Self {
        W::Tabbed(TabWriter::tabbed())
    }

    fn plain() -> Self {
        W::Plain(String::new())
    }

    /// `Write(level, text)`: the text after two spaces per level.
    fn put(&mut self, level: usize, text: &str) {
        match self {
            W::Tabbed(tw) => {
                for _ in 0..level {
                    tw.write_str("  ");
                }
                tw.write_str(text);
            }
            W::Plain(s) => {
                for _ in 0..level {
                    s.push_str("  ");
                }
                s.push_str(text);
            }
        }
    }

    /// `Flush`: ends the tabwriter's column blocks (the Events table aligns on its own).
    fn flush(&mut self) {
        if let W::Tabbed(tw) = self {
            tw.flush();
        }
    }

    fn finish(self) -> String {
        match self {
            W::Tabbed(tw) => tw.finish(),
            W::Plain(s) => s,
        }
    }
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
        Object::Pod(p) => pod::pod(&mut w, p, ctx.now, ctx.events(&p.metadata)),
        Object::Deployment(d) => deployment::deployment(&mut w, d, &ctx),
        Object::ReplicaSet(rs) => replica_set::replica_set(&mut w, rs, &ctx),
        Object::StatefulSet(s) => stateful_set::stateful_set(&mut w, s, &ctx),
        Object::DaemonSet(d) => daemon_set::daemon_set(&mut w, d, &ctx),
        Object::Job(j) => job::job(&mut w, j, &ctx),
        Object::CronJob(c) => cron_job::cron_job(&mut w, c, &ctx),
        Object::Service(s) => service::service(&mut w, s, &ctx),
        Object::Endpoints(e) => endpoints::endpoints(&mut w, e, &ctx),
        Object::Ingress(i) => ingress::ingress(&mut w, i, &ctx),
        Object::IngressClass(i) => ingress_class::ingress_class(&mut w, i, &ctx),
        Object::Node(n) => node::node(&mut w, n, &ctx),
        Object::Namespace(n) => namespace::namespace(&mut w, n, &ctx),
        Object::PersistentVolume(pv) => persistent_volume::persistent_volume(&mut w, pv, &ctx),
        Object::PersistentVolumeClaim(c) => persistent_volume_claim::persistent_volume_claim(&mut w, c, &ctx),
        Object::StorageClass(sc) => storage_class::storage_class(&mut w, sc, &ctx),
        Object::ConfigMap(cm) => config_map::config_map(&mut w, cm, &ctx),
        Object::Secret(s) => secret::secret(&mut w, s),
        Object::ServiceAccount(sa) => service_account::service_account(&mut w, sa, &ctx),
        Object::ResourceQuota(q) => resource_quota::resource_quota(&mut w, q),
        Object::LimitRange(l) => limit_range::limit_range(&mut w, l),
        Object::PodDisruptionBudget(p) => pod_disruption_budget::pod_disruption_budget(&mut w, p, &ctx),
        _ => generic::generic(&mut w, obj, &ctx),
    }
    w.finish()
}

/// `describe.DescribePodTemplate` written through a bare `PrefixWriter`, as `rollout history
/// --revision=N` and `rollout undo --dry-run` print a revision: literal tabs after the colons.
pub fn pod_template_text(t: &PodTemplateSpec) -> String {
    let mut w = W::plain();
    pod_template::pod_template(&mut w, t);
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

/// Runs a describer section into a fresh tabbed writer (unit tests).
#[cfg(test)]
fn render(f: impl FnOnce(&mut W)) -> String {
    let mut w = W::new();
    f(&mut w);
    w.finish()
}
