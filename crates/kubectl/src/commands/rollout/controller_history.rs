//! The history of StatefulSets and DaemonSets: their ControllerRevisions
//! (`polymorphichelpers/history.go` `controlledHistories`, `rollback.go`
//! `StatefulSetRollbacker`/`DaemonSetRollbacker`). A revision's data is the strategic-merge
//! patch that puts its template back, so rolling back is sending that patch.

use crate::engine::api::{ControllerRevision, Object, PodTemplateSpec};
use crate::engine::controllers::history::{patch_of, template_of};
use crate::engine::Cluster;
use std::collections::BTreeMap;

/// The revisions `owner` controls, by revision number.
pub fn revisions(c: &Cluster, owner: &Object) -> BTreeMap<i64, ControllerRevision> {
    let uid = owner.meta().uid().to_string();
    c.store()
        .dependents(&uid)
        .filter_map(|o| o.as_controllerrevision())
        .filter(|r| r.metadata.controller().is_some_and(|o| o.uid == uid))
        .map(|r| (r.revision, r.clone()))
        .collect()
}

/// The pod template of a StatefulSet or DaemonSet.
pub fn template(obj: &Object) -> Option<&PodTemplateSpec> {
    match obj {
        Object::StatefulSet(s) => Some(&s.spec.template),
        Object::DaemonSet(d) => Some(&d.spec.template),
        _ => None,
    }
}

/// `findHistory`: the given revision, or with 0 the one before the newest.
pub fn find(history: &BTreeMap<i64, ControllerRevision>, to_revision: i64) -> Option<&ControllerRevision> {
    if to_revision == 0 {
        return history.values().rev().nth(1);
    }
    history.get(&to_revision)
}

/// `statefulsetMatch`/`daemonSetMatch`: the revision's patch is the one the current template
/// makes.
pub fn matches(obj: &Object, rev: &ControllerRevision) -> bool {
    template(obj).is_some_and(|t| patch_of(t) == rev.data)
}

/// The object with the revision's template (`applyRevision`), for `--dry-run=client` and
/// `history --revision`.
pub fn applied(obj: &Object, rev: &ControllerRevision) -> Option<Object> {
    let t = template_of(rev)?;
    let mut next = obj.clone();
    match &mut next {
        Object::StatefulSet(s) => s.spec.template = t,
        Object::DaemonSet(d) => d.spec.template = t,
        _ => return None,
    }
    Some(next)
}
