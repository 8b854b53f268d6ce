//! apps/v1 ReplicaSet.

use super::meta::{Condition, LabelSelector, ObjectMeta};
use super::pod::PodTemplateSpec;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReplicaSet {
    #[serde(default)]
    pub metadata: ObjectMeta,
    #[serde(default)]
    pub spec: super::Shared<ReplicaSetSpec>,
    #[serde(default)]
    pub status: ReplicaSetStatus,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReplicaSetSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_ready_seconds: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replicas: Option<i64>,
    #[serde(default)]
    pub selector: LabelSelector,
    #[serde(default)]
    pub template: PodTemplateSpec,
}

/// Zero counters are omitted, as the API server omits them.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReplicaSetStatus {
    #[serde(default, skip_serializing_if = "super::is_zero")]
    pub available_replicas: i64,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<Condition>,
    #[serde(default, skip_serializing_if = "super::is_zero")]
    pub fully_labeled_replicas: i64,
    #[serde(default, skip_serializing_if = "super::is_zero")]
    pub observed_generation: i64,
    #[serde(default, skip_serializing_if = "super::is_zero")]
    pub ready_replicas: i64,
    /// Always written, even 0 (`replicas: 0` shows in a scaled-down ReplicaSet).
    #[serde(default)]
    pub replicas: i64,
}

impl ReplicaSet {
    pub fn replicas(&self) -> i64 {
        self.spec.replicas.unwrap_or(1)
    }
}
