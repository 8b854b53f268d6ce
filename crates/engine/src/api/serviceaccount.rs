//! core/v1 ServiceAccount: the identity pods run as (`default` exists in every namespace).

use super::endpoints::ObjectReference;
use super::meta::ObjectMeta;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// core/v1 ServiceAccount (`default` exists in every namespace).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceAccount {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub automount_service_account_token: Option<bool>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub image_pull_secrets: Vec<Value>,
    #[serde(default)]
    pub metadata: ObjectMeta,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub secrets: Vec<ObjectReference>,
}
