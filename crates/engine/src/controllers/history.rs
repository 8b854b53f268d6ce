//! ControllerRevisions, the history StatefulSets and DaemonSets keep of their pod templates
//! (upstream `pkg/controller/history`): one revision per distinct template, numbered in the
//! order they were last current, so `rollout history` lists them and `rollout undo` can restore
//! one (going back to a template renumbers its revision as the newest, like a Deployment's).

use super::{controller_ref, Action};
use crate::api::*;
use crate::names::{fnv32a, safe_encode};
use crate::sort::CompactSort;
use crate::store::ObjKey;
use serde_json::{json, Value};

/// The hash label StatefulSet revisions carry (DaemonSet revisions use `controller-revision-hash`).
pub const HASH_LABEL: &str = "controller.kubernetes.io/hash";
pub const REVISION_HASH: &str = "controller-revision-hash";

/// The revision data of a template: the strategic-merge patch that puts it back
/// (`{"spec":{"template":{…,"$patch":"replace"}}}`), as both controllers' `getPatch` make it.
pub fn patch_of(template: &PodTemplateSpec) -> Value {
    let mut t = serde_json::to_value(template).unwrap_or(Value::Null);
    if let Value::Object(m) = &mut t {
        m.insert("$patch".into(), json!("replace"));
    }
    json!({"spec": {"template": t}})
}

/// The template a revision restores.
pub fn template_of(rev: &ControllerRevision) -> Option<PodTemplateSpec> {
    let mut t = rev.data.get("spec")?.get("template")?.clone();
    if let Value::Object(m) = &mut t {
        m.remove("$patch");
    }
    serde_json::from_value(t).ok()
}

/// `HashControllerRevision`: FNV of the revision data (and the collision count), encoded into
/// the name alphabet (`5db4499664`).
pub fn hash_of(data: &Value, collision_count: Option<i64>) -> String {
    let mut bytes = serde_json::to_vec(data).unwrap_or_default();
    if let Some(c) = collision_count.filter(|c| *c != 0) {
        bytes.extend_from_slice(c.to_string().as_bytes());
    }
    safe_encode(&fnv32a(&bytes).to_string())
}

/// What a controller learns from its revisions for the current template.
pub struct Revisions<'a> {
    /// The revision of the template in the spec (`updateRevision`).
    pub update_name: String,
    pub update_hash: String,
    /// Its revision number (new or renumbered).
    pub update_number: i64,
    /// The revisions as observed.
    pub all: Vec<&'a ControllerRevision>,
}

/// Finds or makes the revision of `template` for an owner. Pushes the create or renumbering
/// action. `kind`/`owner` name the owning controller; `hash_label` is the label revisions carry.
pub fn sync_revision<'a>(
    kind: &str,
    owner: &ObjectMeta,
    template: &PodTemplateSpec,
    revisions: &[&'a ControllerRevision],
    collision_count: Option<i64>,
    hash_label: &str,
    out: &mut Vec<Action>,
) -> Revisions<'a> {
    let data = patch_of(template);
    let max = revisions.iter().map(|r| r.revision).max().unwrap_or(0);
    let mut all: Vec<&ControllerRevision> = revisions.to_vec();
    all.compact_sort_by_key(|r| r.revision);
    // `FindEqualRevisions`: the same template is the same revision, whatever it is named.
    if let Some(existing) = revisions.iter().find(|r| r.data == data) {
        let mut number = existing.revision;
        if number != max {
            // Going back to an older template makes it the newest revision again.
            let mut next = (*existing).clone();
            next.revision = max + 1;
            number = max + 1;
            out.push(Action::Update(Object::ControllerRevision(next)));
        }
        let hash = existing
            .metadata
            .labels
            .get(hash_label)
            .cloned()
            .unwrap_or_else(|| hash_of(&data, collision_count));
        return Revisions {
            update_name: existing.metadata.name.clone(),
            update_hash: hash,
            update_number: number,
            all,
        };
    }
    let hash = hash_of(&data, collision_count);
    let name = format!("{}-{hash}", owner.name);
    let mut labels = template.metadata.labels.clone();
    labels.insert(hash_label.into(), hash.clone());
    let rev = ControllerRevision {
        data,
        metadata: ObjectMeta {
            name: name.clone(),
            namespace: owner.namespace.clone(),
            labels,
            // Both controllers copy the owner's annotations (its change cause among them),
            // which `rollout history` shows as CHANGE-CAUSE.
            annotations: owner.annotations.clone(),
            owner_references: vec![controller_ref(kind, "apps/v1", owner)],
            ..Default::default()
        },
        revision: max + 1,
    };
    out.push(Action::Ensure(Object::ControllerRevision(rev)));
    Revisions {
        update_name: name,
        update_hash: hash,
        update_number: max + 1,
        all,
    }
}

/// Deletes the oldest revisions beyond `limit`, never one in `live` (current, update, or still
/// used by a pod).
pub fn truncate(revisions: &[&ControllerRevision], live: &[&str], limit: i64, out: &mut Vec<Action>) {
    let mut old: Vec<&&ControllerRevision> = revisions
        .iter()
        .filter(|r| !live.contains(&r.metadata.name.as_str()))
        .collect();
    old.compact_sort_by_key(|r| r.revision);
    let excess = old.len().saturating_sub(limit.max(0) as usize);
    for r in old.into_iter().take(excess) {
        out.push(Action::Delete {
            key: ObjKey::new(Kind::ControllerRevision, r.metadata.ns(), &r.metadata.name),
            grace: None,
        });
    }
}
