//! apps/v1 DaemonSet: one pod on every eligible node (`kubectl-behaviour.md` §11.3).

use super::meta::{Condition, IntOrString, LabelSelector, ObjectMeta};
use super::pod::PodTemplateSpec;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DaemonSet {
    #[serde(default)]
    pub metadata: ObjectMeta,
    #[serde(default)]
    pub spec: super::Shared<DaemonSetSpec>,
    #[serde(default)]
    pub status: DaemonSetStatus,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DaemonSetSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_ready_seconds: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revision_history_limit: Option<i64>,
    #[serde(default)]
    pub selector: LabelSelector,
    #[serde(default)]
    pub template: PodTemplateSpec,
    #[serde(default)]
    pub update_strategy: DaemonSetUpdateStrategy,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DaemonSetUpdateStrategy {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rolling_update: Option<DaemonSetRollingUpdate>,
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub type_: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DaemonSetRollingUpdate {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_surge: Option<IntOrString>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_unavailable: Option<IntOrString>,
}

/// The four `*Scheduled`/`numberReady` counters are always written, the rest only when set.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DaemonSetStatus {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collision_count: Option<i64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<Condition>,
    #[serde(default)]
    pub current_number_scheduled: i64,
    #[serde(default)]
    pub desired_number_scheduled: i64,
    #[serde(default, skip_serializing_if = "super::is_zero")]
    pub number_available: i64,
    #[serde(default)]
    pub number_misscheduled: i64,
    #[serde(default)]
    pub number_ready: i64,
    #[serde(default, skip_serializing_if = "super::is_zero")]
    pub number_unavailable: i64,
    #[serde(default, skip_serializing_if = "super::is_zero")]
    pub observed_generation: i64,
    #[serde(default, skip_serializing_if = "super::is_zero")]
    pub updated_number_scheduled: i64,
}

impl DaemonSet {
    pub fn is_on_delete(&self) -> bool {
        self.spec.update_strategy.type_.as_deref() == Some("OnDelete")
    }
    /// (maxSurge, maxUnavailable) over `desired` nodes: percentages of the desired count, surge
    /// rounded up, unavailable rounded up too (DaemonSet util `UnavailableCount` uses
    /// `GetScaledValueFromIntOrPercent(…, true)`); both 0 means 1 unavailable.
    pub fn budget(&self, desired: i64) -> (i64, i64) {
        let ru = self.spec.update_strategy.rolling_update.clone().unwrap_or_default();
        let surge = ru.max_surge.and_then(|v| v.scaled(desired, true)).unwrap_or(0).max(0);
        let unavail = ru
            .max_unavailable
            .and_then(|v| v.scaled(desired, true))
            .unwrap_or(1)
            .max(0);
        if surge == 0 && unavail == 0 {
            (0, 1)
        } else {
            (surge, unavail)
        }
    }
}
