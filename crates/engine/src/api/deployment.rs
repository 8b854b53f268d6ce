//! apps/v1 Deployment.

use super::meta::{Condition, IntOrString, LabelSelector, ObjectMeta};
use super::pod::PodTemplateSpec;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Deployment {
    #[serde(default)]
    pub metadata: ObjectMeta,
    #[serde(default)]
    pub spec: super::Shared<DeploymentSpec>,
    #[serde(default)]
    pub status: DeploymentStatus,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeploymentSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_ready_seconds: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paused: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub progress_deadline_seconds: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replicas: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revision_history_limit: Option<i64>,
    #[serde(default)]
    pub selector: LabelSelector,
    #[serde(default)]
    pub strategy: DeploymentStrategy,
    #[serde(default)]
    pub template: PodTemplateSpec,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeploymentStrategy {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rolling_update: Option<RollingUpdate>,
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub type_: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RollingUpdate {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_surge: Option<IntOrString>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_unavailable: Option<IntOrString>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeploymentStatus {
    #[serde(default, skip_serializing_if = "super::is_zero")]
    pub available_replicas: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collision_count: Option<i64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<Condition>,
    #[serde(default, skip_serializing_if = "super::is_zero")]
    pub observed_generation: i64,
    #[serde(default, skip_serializing_if = "super::is_zero")]
    pub ready_replicas: i64,
    #[serde(default, skip_serializing_if = "super::is_zero")]
    pub replicas: i64,
    #[serde(default, skip_serializing_if = "super::is_zero")]
    pub unavailable_replicas: i64,
    #[serde(default, skip_serializing_if = "super::is_zero")]
    pub updated_replicas: i64,
}

impl Deployment {
    pub fn replicas(&self) -> i64 {
        self.spec.replicas.unwrap_or(1)
    }
    pub fn is_recreate(&self) -> bool {
        self.spec.strategy.type_.as_deref() == Some("Recreate")
    }
    /// (maxSurge, maxUnavailable) resolved for the current replica count: maxSurge rounds up,
    /// maxUnavailable rounds down, and if both come out 0 maxUnavailable becomes 1 (deployment
    /// util `ResolveFenceposts`). 25%/25% of 3 replicas is (1, 0); of 10 it is (3, 2).
    pub fn fenceposts(&self) -> (i64, i64) {
        let replicas = self.replicas();
        let ru = self.spec.strategy.rolling_update.clone().unwrap_or_default();
        let pct = IntOrString::Str("25%".into());
        let surge = ru.max_surge.unwrap_or(pct.clone()).scaled(replicas, true).unwrap_or(0);
        let unavail = ru.max_unavailable.unwrap_or(pct).scaled(replicas, false).unwrap_or(0);
        if surge == 0 && unavail == 0 {
            (0, 1)
        } else {
            (surge.max(0), unavail.max(0))
        }
    }
}
