//! apps/v1 ControllerRevision: an immutable snapshot of a StatefulSet's or DaemonSet's pod
//! template, so `rollout history` and `rollout undo` can find earlier templates.

use super::meta::ObjectMeta;
use serde::{Deserialize, Serialize};
use serde_json::Value;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ControllerRevision {
    /// The patch that restores the template: `{"spec":{"template":{…,"$patch":"replace"}}}`.
    #[serde(default, skip_serializing_if = "Value::is_null")]
    pub data: Value,
    #[serde(default)]
    pub metadata: ObjectMeta,
    #[serde(default)]
    pub revision: i64,
}
