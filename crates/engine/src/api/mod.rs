//! The typed API objects and the discovery table that names them.
//!
//! Objects are hand-modelled (see `shared/style.md`): the fields lessons use, with serde names
//! matching the Kubernetes JSON, unknown fields detected on decode so the API server can answer
//! with kubectl's `strict decoding error`. Adding a kind is one line in [`kinds!`] plus its type.

pub mod configmap;
pub mod controllerrevision;
pub mod cronjob;
pub mod daemonset;
pub mod deployment;
pub mod endpoints;
pub mod event;
pub mod ingress;
pub mod job;
pub mod limitrange;
pub mod meta;
pub mod namespace;
pub mod node;
pub mod persistentvolume;
pub mod persistentvolumeclaim;
pub mod pod;
pub mod poddisruptionbudget;
pub mod replicaset;
pub mod resourcequota;
pub mod secret;
pub mod service;
pub mod serviceaccount;
pub mod shared;
pub mod statefulset;
pub mod storageclass;

pub use configmap::*;
pub use controllerrevision::*;
pub use cronjob::*;
pub use daemonset::*;
pub use deployment::*;
pub use endpoints::*;
pub use event::*;
pub use ingress::*;
pub use job::*;
pub use limitrange::*;
pub use meta::*;
pub use namespace::*;
pub use node::*;
pub use persistentvolume::*;
pub use persistentvolumeclaim::*;
pub use pod::*;
pub use poddisruptionbudget::*;
pub use replicaset::*;
pub use resourcequota::*;
pub use secret::*;
pub use service::*;
pub use serviceaccount::*;
pub use shared::Shared;
pub use statefulset::*;
pub use storageclass::*;

use serde::{Deserialize, Serialize};
use serde_json::Value;

pub(crate) fn is_zero(n: &i64) -> bool {
    *n == 0
}

/// What API discovery says about a resource type.
#[derive(Debug, PartialEq, Eq)]
pub struct ResourceInfo {
    pub kind: &'static str,
    pub plural: &'static str,
    pub singular: &'static str,
    pub short_names: &'static [&'static str],
    /// API group, "" for the core group.
    pub group: &'static str,
    pub version: &'static str,
    pub namespaced: bool,
}

impl ResourceInfo {
    /// `apps/v1`, or `v1` for the core group.
    pub fn api_version(&self) -> String {
        if self.group.is_empty() {
            self.version.to_string()
        } else {
            format!("{}/{}", self.group, self.version)
        }
    }
    /// `deployments.apps`, or `pods`: how NotFound messages name the resource.
    pub fn group_resource(&self) -> String {
        if self.group.is_empty() {
            self.plural.to_string()
        } else {
            format!("{}.{}", self.plural, self.group)
        }
    }
    /// `deployment.apps`, or `pod`: the prefix of `-o name` and of success messages.
    pub fn singular_group(&self) -> String {
        if self.group.is_empty() {
            self.singular.to_string()
        } else {
            format!("{}.{}", self.singular, self.group)
        }
    }
}

macro_rules! kinds {
    ($( $variant:ident : $ty:ty = $plural:literal, $singular:literal, [$($short:literal),*], $group:literal, $version:literal, $namespaced:literal; )*) => {
        /// Every resource type the simulated API server serves.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        pub enum Kind { $($variant),* }

        impl Kind {
            pub const ALL: &'static [Kind] = &[$(Kind::$variant),*];

            pub fn info(self) -> &'static ResourceInfo {
                match self {
                    $(Kind::$variant => &ResourceInfo {
                        kind: stringify!($variant),
                        plural: $plural,
                        singular: $singular,
                        short_names: &[$($short),*],
                        group: $group,
                        version: $version,
                        namespaced: $namespaced,
                    }),*
                }
            }
        }

        /// One stored object of any kind. Objects live behind `Arc`s in the store, so the
        /// variants' different sizes cost nothing worth boxing for.
        #[derive(Clone, Debug, PartialEq)]
        #[allow(clippy::large_enum_variant)]
        pub enum Object { $($variant($ty)),* }

        impl Object {
            pub fn kind(&self) -> Kind {
                match self { $(Object::$variant(_) => Kind::$variant),* }
            }
            pub fn meta(&self) -> &ObjectMeta {
                match self { $(Object::$variant(o) => &o.metadata),* }
            }
            pub fn meta_mut(&mut self) -> &mut ObjectMeta {
                match self { $(Object::$variant(o) => &mut o.metadata),* }
            }
            /// The JSON the API server would return: `apiVersion` and `kind` first in the
            /// (sorted) map, then the object's own fields.
            pub fn to_value(&self) -> Value {
                let mut v = match self {
                    $(Object::$variant(o) => serde_json::to_value(o).unwrap_or(Value::Null)),*
                };
                if let Value::Object(m) = &mut v {
                    let info = self.kind().info();
                    m.insert("apiVersion".into(), Value::String(info.api_version()));
                    m.insert("kind".into(), Value::String(info.kind.into()));
                }
                v
            }
            fn decode_as(kind: Kind, v: Value) -> Result<Object, String> {
                match kind {
                    $(Kind::$variant => serde_json::from_value(v)
                        .map(Object::$variant)
                        .map_err(|e: serde_json::Error| e.to_string())),*
                }
            }
        }

        $(impl From<$ty> for Object {
            fn from(o: $ty) -> Object { Object::$variant(o) }
        })*
    };
}

kinds! {
    Pod: Pod = "pods", "pod", ["po"], "", "v1", true;
    Node: Node = "nodes", "node", ["no"], "", "v1", false;
    Namespace: Namespace = "namespaces", "namespace", ["ns"], "", "v1", false;
    Service: Service = "services", "service", ["svc"], "", "v1", true;
    Endpoints: Endpoints = "endpoints", "endpoints", ["ep"], "", "v1", true;
    Event: Event = "events", "event", ["ev"], "", "v1", true;
    Deployment: Deployment = "deployments", "deployment", ["deploy"], "apps", "v1", true;
    ReplicaSet: ReplicaSet = "replicasets", "replicaset", ["rs"], "apps", "v1", true;
    ConfigMap: ConfigMap = "configmaps", "configmap", ["cm"], "", "v1", true;
    Secret: Secret = "secrets", "secret", [], "", "v1", true;
    ServiceAccount: ServiceAccount = "serviceaccounts", "serviceaccount", ["sa"], "", "v1", true;
    PersistentVolume: PersistentVolume = "persistentvolumes", "persistentvolume", ["pv"], "", "v1", false;
    PersistentVolumeClaim: PersistentVolumeClaim = "persistentvolumeclaims", "persistentvolumeclaim", ["pvc"], "", "v1", true;
    ResourceQuota: ResourceQuota = "resourcequotas", "resourcequota", ["quota"], "", "v1", true;
    LimitRange: LimitRange = "limitranges", "limitrange", ["limits"], "", "v1", true;
    StatefulSet: StatefulSet = "statefulsets", "statefulset", ["sts"], "apps", "v1", true;
    DaemonSet: DaemonSet = "daemonsets", "daemonset", ["ds"], "apps", "v1", true;
    ControllerRevision: ControllerRevision = "controllerrevisions", "controllerrevision", [], "apps", "v1", true;
    Job: Job = "jobs", "job", [], "batch", "v1", true;
    CronJob: CronJob = "cronjobs", "cronjob", ["cj"], "batch", "v1", true;
    StorageClass: StorageClass = "storageclasses", "storageclass", ["sc"], "storage.k8s.io", "v1", false;
    PodDisruptionBudget: PodDisruptionBudget = "poddisruptionbudgets", "poddisruptionbudget", ["pdb"], "policy", "v1", true;
    Ingress: Ingress = "ingresses", "ingress", ["ing"], "networking.k8s.io", "v1", true;
    IngressClass: IngressClass = "ingressclasses", "ingressclass", [], "networking.k8s.io", "v1", false;
}

impl Kind {
    /// Looks a kind up by its `kind:` name and `apiVersion`, as a manifest names it.
    pub fn from_type(api_version: &str, kind: &str) -> Option<Kind> {
        Kind::ALL
            .iter()
            .copied()
            .find(|k| k.info().kind == kind && k.info().api_version() == api_version)
    }
}

/// Why a manifest could not be turned into an object (the API server's decoding step).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DecodeError {
    /// `kind` or `apiVersion` names nothing this server serves.
    NoMatch { api_version: String, kind: String },
    /// A field has the wrong type, or the document is not an object.
    Invalid { kind: Kind, message: String },
    /// Fields the schema does not have (`strict decoding error: unknown field "spec.replica"`).
    UnknownFields { kind: Kind, fields: Vec<String> },
}

impl Object {
    /// Decodes a JSON object (already converted from YAML) into a typed object, collecting every
    /// unknown field path the way the API server's strict decoder names them.
    pub fn decode(v: Value) -> Result<Object, DecodeError> {
        let api_version = v.get("apiVersion").and_then(Value::as_str).unwrap_or("").to_string();
        let kind_name = v.get("kind").and_then(Value::as_str).unwrap_or("").to_string();
        let kind = Kind::from_type(&api_version, &kind_name).ok_or(DecodeError::NoMatch {
            api_version: api_version.clone(),
            kind: kind_name,
        })?;
        let mut body = v;
        if let Value::Object(m) = &mut body {
            m.remove("apiVersion");
            m.remove("kind");
        }
        let obj = Object::decode_as(kind, body.clone()).map_err(|message| DecodeError::Invalid { kind, message })?;
        let mut kept = obj.to_value();
        if let Value::Object(m) = &mut kept {
            m.remove("apiVersion");
            m.remove("kind");
        }
        let mut unknown = Vec::new();
        unknown_fields(&body, &kept, "", &mut unknown);
        if unknown.is_empty() {
            Ok(obj)
        } else {
            Err(DecodeError::UnknownFields { kind, fields: unknown })
        }
    }

    pub fn name(&self) -> &str {
        &self.meta().name
    }
    pub fn namespace(&self) -> &str {
        self.meta().ns()
    }
}

/// Paths of `input` fields the typed object did not keep, in Kubernetes notation
/// (`spec.containers[0].foo`): the decoded object is serialized again and every key of the input
/// missing from that round trip is unknown. Keys whose value is empty (`null`, `false`, `0`,
/// `""`, `[]`, `{}`) are fields the schema has at their default (they are omitted on output, as
/// the API server omits them), so they are not reported. This replaces a deserializer wrapper
/// that doubled the decoder's size in the wasm bundle.
fn unknown_fields(input: &Value, kept: &Value, path: &str, out: &mut Vec<String>) {
    match (input, kept) {
        (Value::Object(a), Value::Object(b)) => {
            for (k, v) in a {
                let here = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                match b.get(k) {
                    Some(kv) => unknown_fields(v, kv, &here, out),
                    None if is_empty_value(v) || IGNORED_ON_INPUT.contains(&k.as_str()) => {}
                    None => out.push(here),
                }
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            for (i, (x, y)) in a.iter().zip(b.iter()).enumerate() {
                unknown_fields(x, y, &format!("{path}[{i}]"), out);
            }
        }
        _ => {}
    }
}

/// Fields the API server accepts and drops from what it returns.
const IGNORED_ON_INPUT: &[&str] = &["managedFields"];

fn is_empty_value(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Bool(b) => !b,
        Value::Number(n) => n.as_f64() == Some(0.0),
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(m) => m.is_empty(),
    }
}

macro_rules! accessors {
    ($($variant:ident : $ty:ty => $as_ref:ident, $as_mut:ident;)*) => {
        impl Object {
            $(
                pub fn $as_ref(&self) -> Option<&$ty> {
                    match self { Object::$variant(o) => Some(o), _ => None }
                }
                pub fn $as_mut(&mut self) -> Option<&mut $ty> {
                    match self { Object::$variant(o) => Some(o), _ => None }
                }
            )*
        }
    };
}

accessors! {
    Pod: Pod => as_pod, as_pod_mut;
    Node: Node => as_node, as_node_mut;
    Namespace: Namespace => as_namespace, as_namespace_mut;
    Service: Service => as_service, as_service_mut;
    Endpoints: Endpoints => as_endpoints, as_endpoints_mut;
    Event: Event => as_event, as_event_mut;
    Deployment: Deployment => as_deployment, as_deployment_mut;
    ReplicaSet: ReplicaSet => as_replicaset, as_replicaset_mut;
    ConfigMap: ConfigMap => as_configmap, as_configmap_mut;
    Secret: Secret => as_secret, as_secret_mut;
    ServiceAccount: ServiceAccount => as_serviceaccount, as_serviceaccount_mut;
    PersistentVolume: PersistentVolume => as_pv, as_pv_mut;
    PersistentVolumeClaim: PersistentVolumeClaim => as_pvc, as_pvc_mut;
    ResourceQuota: ResourceQuota => as_resourcequota, as_resourcequota_mut;
    LimitRange: LimitRange => as_limitrange, as_limitrange_mut;
    StatefulSet: StatefulSet => as_statefulset, as_statefulset_mut;
    DaemonSet: DaemonSet => as_daemonset, as_daemonset_mut;
    ControllerRevision: ControllerRevision => as_controllerrevision, as_controllerrevision_mut;
    Job: Job => as_job, as_job_mut;
    CronJob: CronJob => as_cronjob, as_cronjob_mut;
    StorageClass: StorageClass => as_storageclass, as_storageclass_mut;
    PodDisruptionBudget: PodDisruptionBudget => as_pdb, as_pdb_mut;
    Ingress: Ingress => as_ingress, as_ingress_mut;
    IngressClass: IngressClass => as_ingressclass, as_ingressclass_mut;
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn decode_reports_unknown_fields_with_kubernetes_paths() {
        let v = json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
            "spec": {"replica": 3, "template": {"spec": {"containers": [{"name": "a", "image": "nginx", "foo": 1}]}}}});
        match Object::decode(v) {
            Err(DecodeError::UnknownFields {
                kind: Kind::Deployment,
                fields,
            }) => {
                assert_eq!(fields, vec!["spec.replica", "spec.template.spec.containers[0].foo"]);
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn decode_rejects_unknown_kind_and_round_trips_known() {
        let bad = json!({"apiVersion": "v1", "kind": "Deploymnt"});
        assert!(matches!(Object::decode(bad), Err(DecodeError::NoMatch { .. })));
        let v = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "creationTimestamp": null},
            "spec": {"containers": [{"name": "c", "image": "nginx", "resources": {}}]}, "status": {}});
        let o = Object::decode(v.clone()).unwrap();
        assert_eq!(o.to_value(), v);
    }
}
