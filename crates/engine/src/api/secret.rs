//! core/v1 Secret: like a ConfigMap, base64 in `data`, typed (`Opaque`, `kubernetes.io/tls`, …).

use super::meta::ObjectMeta;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// core/v1 Secret. `stringData` is write-only: the API server folds it into `data` (base64) and
/// never returns it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Secret {
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub data: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub immutable: Option<bool>,
    #[serde(default)]
    pub metadata: ObjectMeta,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub string_data: BTreeMap<String, String>,
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub type_: Option<String>,
}

impl Secret {
    pub fn type_(&self) -> &str {
        self.type_.as_deref().unwrap_or("Opaque")
    }
    /// The decoded value of one key (what a pod sees in its env or volume).
    pub fn decoded(&self, key: &str) -> Option<Vec<u8>> {
        crate::base64::decode(self.data.get(key)?).ok()
    }
}
