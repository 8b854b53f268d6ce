//! `kubectl get` (being written).

use crate::engine::Cluster;
use crate::flags::Invocation;
use crate::session::Session;
use crate::Output;

pub fn run(_s: &mut Session, inv: &Invocation) -> Output {
    super::not_simulated(inv)
}

/// An open `kubectl get -w`: prints one row per change as virtual time passes.
#[derive(Clone, Debug, Default)]
pub struct Watch {}

impl Watch {
    /// Advances the cluster by `ms`, returning the rows for the changes seen.
    pub fn advance(&mut self, cluster: &mut Cluster, ms: u64) -> Output {
        cluster.advance(ms);
        Output::ok()
    }

    /// Ctrl-C: the watch ends silently.
    pub fn close(self, _cluster: &Cluster) -> Output {
        Output::ok()
    }
}
