//! Controllers: each is a small function from observed state to [`Action`]s. They never write
//! the store, never hold the RNG and never read a clock other than the `now` they are given; the
//! runtime in `cluster.rs` applies what they return (kube-rs' reconcile -> Action shape).

pub mod cronjob;
pub mod daemonset;
pub mod deployment;
pub mod disruption;
pub mod endpoints;
pub mod history;
pub mod job;
pub mod namespace;
pub mod quota;
pub mod replicaset;
pub mod statefulset;
pub mod volume;

use crate::api::{Object, ObjectMeta, OwnerReference};
use crate::store::ObjKey;

/// An event to record about an object (`kubectl describe` shows these).
#[derive(Clone, Debug, PartialEq)]
pub struct EventSpec {
    pub subject: ObjKey,
    /// `Normal` or `Warning`.
    pub type_: &'static str,
    pub reason: String,
    pub message: String,
    /// Reporting component: `deployment-controller`, `kubelet`, `default-scheduler`…
    pub component: &'static str,
    /// The node, for kubelet events.
    pub host: Option<String>,
}

impl EventSpec {
    pub fn normal(subject: ObjKey, component: &'static str, reason: &str, message: String) -> Self {
        EventSpec {
            subject,
            type_: "Normal",
            reason: reason.into(),
            message,
            component,
            host: None,
        }
    }
    pub fn warning(subject: ObjKey, component: &'static str, reason: &str, message: String) -> Self {
        EventSpec {
            subject,
            type_: "Warning",
            reason: reason.into(),
            message,
            component,
            host: None,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// Create an object; `generateName` is completed by the runtime. `event` is recorded on the
    /// owner after creation, with `{name}` in its message replaced by the generated name.
    Create {
        object: Object,
        event: Option<EventSpec>,
    },
    /// Replace an object's spec/metadata (resourceVersion and generation are handled for you).
    Update(Object),
    /// Replace only the status.
    UpdateStatus(Object),
    /// Delete gracefully (`grace` None = the object's own default).
    Delete {
        key: ObjKey,
        grace: Option<i64>,
    },
    /// Remove from the store at once (the kubelet confirming a pod is gone).
    Remove(ObjKey),
    Event(EventSpec),
    /// Look at this object again after `after_ms` (minReadySeconds, progress deadlines).
    Requeue {
        key: ObjKey,
        after_ms: u64,
    },
    /// Create an object unless one of that name exists, with a uid derived from its identity
    /// instead of drawn from the RNG: for objects the control plane keeps in place
    /// (`kube-root-ca.crt`, the `default` ServiceAccount, ControllerRevisions), so adding them
    /// does not shift every random name that follows.
    Ensure(Object),
}

/// The ownerReference a controller puts on what it creates.
pub fn controller_ref(kind: &str, api_version: &str, owner: &ObjectMeta) -> OwnerReference {
    OwnerReference {
        api_version: api_version.into(),
        block_owner_deletion: true,
        controller: true,
        kind: kind.into(),
        name: owner.name.clone(),
        uid: owner.uid().to_string(),
    }
}
