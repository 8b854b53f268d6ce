//! The object store (the simulated etcd): objects by kind/namespace/name, a cluster-wide
//! resourceVersion, secondary indexes and a change log that watches read.
//!
//! Objects are held as `Arc<Object>` so a watch event, a snapshot of the store or a clone of the
//! whole cluster (time travel, many sandboxes) shares them instead of copying.

use crate::api::{Kind, Object};
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::Arc;

/// Identifies an object. Ordering (kind, namespace, name) is the order the API server lists in.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ObjKey {
    pub kind: Kind,
    pub namespace: String,
    pub name: String,
}

impl ObjKey {
    pub fn new(kind: Kind, namespace: &str, name: &str) -> Self {
        ObjKey {
            kind,
            namespace: namespace.to_string(),
            name: name.to_string(),
        }
    }
    pub fn of(o: &Object) -> Self {
        ObjKey::new(o.kind(), o.namespace(), o.name())
    }
}

/// What happened to an object, as a watch reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChangeType {
    Added,
    Modified,
    Deleted,
}

/// One entry of the change log: the object as it was right after the change.
#[derive(Clone, Debug)]
pub struct Change {
    pub rv: u64,
    pub type_: ChangeType,
    pub object: Arc<Object>,
}

/// How many changes the log keeps. A watcher that falls further behind must re-list, exactly as
/// a real client gets "410 Gone: too old resource version".
pub const LOG_CAPACITY: usize = 20_000;

#[derive(Clone, Debug, Default)]
pub struct Store {
    objects: BTreeMap<ObjKey, Arc<Object>>,
    rv: u64,
    /// Only looked up, never iterated (a hash map: uids are random, a tree compares them per level).
    by_uid: HashMap<String, ObjKey>,
    /// owner uid -> dependents (ownerReferences), for controllers and garbage collection. Holds
    /// the objects themselves so a controller reads its pods without a lookup per pod.
    by_owner: BTreeMap<String, BTreeMap<ObjKey, Arc<Object>>>,
    /// node name -> pods bound to it.
    pods_by_node: BTreeMap<String, BTreeMap<ObjKey, Arc<Object>>>,
    /// involved object uid -> its events.
    events_by_subject: BTreeMap<String, BTreeMap<ObjKey, ()>>,
    /// Pods not bound to a node and not being deleted: what the scheduler still has to place.
    unscheduled: std::collections::BTreeSet<ObjKey>,
    log: VecDeque<Change>,
}

impl Store {
    /// The latest resourceVersion handed out.
    pub fn revision(&self) -> u64 {
        self.rv
    }

    pub fn get(&self, key: &ObjKey) -> Option<&Arc<Object>> {
        self.objects.get(key)
    }

    pub fn get_by_uid(&self, uid: &str) -> Option<&Arc<Object>> {
        self.by_uid.get(uid).and_then(|k| self.objects.get(k))
    }

    pub fn key_of_uid(&self, uid: &str) -> Option<&ObjKey> {
        self.by_uid.get(uid)
    }

    /// Objects of `kind`, in one namespace or (None) all, in API list order.
    pub fn list(&self, kind: Kind, namespace: Option<&str>) -> impl Iterator<Item = &Arc<Object>> {
        let (lo, hi) = match namespace {
            Some(ns) => (ObjKey::new(kind, ns, ""), ObjKey::new(kind, &format!("{ns}\u{0}"), "")),
            None => (ObjKey::new(kind, "", ""), ObjKey::new(kind, "\u{10FFFF}", "")),
        };
        self.objects.range(lo..hi).map(|(_, o)| o)
    }

    pub fn count(&self, kind: Kind) -> usize {
        self.list(kind, None).count()
    }

    /// Objects whose ownerReferences name `owner_uid`.
    pub fn dependents(&self, owner_uid: &str) -> impl Iterator<Item = &Arc<Object>> {
        self.by_owner.get(owner_uid).into_iter().flat_map(|m| m.values())
    }

    /// How many objects name `owner_uid` as an owner.
    pub fn dependents_count(&self, owner_uid: &str) -> usize {
        self.by_owner.get(owner_uid).map_or(0, |m| m.len())
    }

    /// Pods waiting for a node (unbound, not being deleted), in key order.
    pub fn unscheduled_pods(&self) -> impl Iterator<Item = &ObjKey> {
        self.unscheduled.iter()
    }

    pub fn pods_on_node(&self, node: &str) -> impl Iterator<Item = &Arc<Object>> {
        self.pods_by_node.get(node).into_iter().flat_map(|m| m.values())
    }

    pub fn events_about(&self, uid: &str) -> impl Iterator<Item = &Arc<Object>> {
        self.events_by_subject
            .get(uid)
            .into_iter()
            .flat_map(|m| m.keys())
            .filter_map(|k| self.objects.get(k))
    }

    /// Writes `obj` (insert or replace), stamping the next resourceVersion. Returns the stored
    /// object.
    pub fn put(&mut self, mut obj: Object) -> Arc<Object> {
        self.rv += 1;
        obj.meta_mut().resource_version = Some(self.rv.to_string());
        let key = ObjKey::of(&obj);
        let obj = Arc::new(obj);
        let type_ = match self.objects.get_mut(&key) {
            Some(slot) => {
                let old = std::mem::replace(slot, obj.clone());
                if same_index_entries(&old, &obj) {
                    // A status or spec write that moves the object in no index (the common
                    // case): swap the shared object in place instead of unindexing it.
                    self.reindex(&key, &obj);
                } else {
                    self.unindex(&key, &old);
                    self.index(&key, obj.clone());
                }
                ChangeType::Modified
            }
            None => {
                self.objects.insert(key.clone(), obj.clone());
                self.index(&key, obj.clone());
                ChangeType::Added
            }
        };
        self.record(type_, obj.clone());
        obj
    }

    /// Removes an object for good. The DELETED watch event carries its last state.
    pub fn remove(&mut self, key: &ObjKey) -> Option<Arc<Object>> {
        let old = self.objects.remove(key)?;
        self.unindex(key, &old);
        self.rv += 1;
        let mut last = (*old).clone();
        last.meta_mut().resource_version = Some(self.rv.to_string());
        self.record(ChangeType::Deleted, Arc::new(last));
        Some(old)
    }

    /// Changes after `rv`, oldest first. `None` if the log no longer reaches back that far.
    pub fn changes_since(&self, rv: u64) -> Option<impl Iterator<Item = &Change>> {
        match self.log.front() {
            Some(first) if first.rv > rv + 1 => None,
            _ => Some(self.log.iter().skip_while(move |c| c.rv <= rv)),
        }
    }

    fn record(&mut self, type_: ChangeType, object: Arc<Object>) {
        if self.log.len() == LOG_CAPACITY {
            self.log.pop_front();
        }
        self.log.push_back(Change {
            rv: self.rv,
            type_,
            object,
        });
    }

    fn index(&mut self, key: &ObjKey, o: Arc<Object>) {
        let m = o.meta();
        if let Some(uid) = &m.uid {
            self.by_uid.insert(uid.clone(), key.clone());
        }
        for r in &m.owner_references {
            self.by_owner
                .entry(r.uid.clone())
                .or_default()
                .insert(key.clone(), o.clone());
        }
        match &*o {
            Object::Pod(p) => {
                if let Some(n) = &p.spec.node_name {
                    self.pods_by_node
                        .entry(n.clone())
                        .or_default()
                        .insert(key.clone(), o.clone());
                } else if !p.metadata.is_deleting() {
                    self.unscheduled.insert(key.clone());
                }
            }
            Object::Event(e) => {
                if let Some(uid) = &e.involved_object.uid {
                    self.events_by_subject
                        .entry(uid.clone())
                        .or_default()
                        .insert(key.clone(), ());
                }
            }
            _ => {}
        }
    }

    /// Points the indexes that hold the object itself at its new version (see [`same_index_entries`]).
    fn reindex(&mut self, key: &ObjKey, o: &Arc<Object>) {
        for r in &o.meta().owner_references {
            if let Some(slot) = self.by_owner.get_mut(&r.uid).and_then(|m| m.get_mut(key)) {
                *slot = o.clone();
            }
        }
        if let Object::Pod(p) = &**o {
            if let Some(slot) = p
                .spec
                .node_name
                .as_ref()
                .and_then(|n| self.pods_by_node.get_mut(n))
                .and_then(|m| m.get_mut(key))
            {
                *slot = o.clone();
            }
        }
    }

    fn unindex(&mut self, key: &ObjKey, o: &Object) {
        fn drop_from<V>(map: &mut BTreeMap<String, BTreeMap<ObjKey, V>>, at: &str, key: &ObjKey) {
            if let Some(set) = map.get_mut(at) {
                set.remove(key);
                if set.is_empty() {
                    map.remove(at);
                }
            }
        }
        let m = o.meta();
        if let Some(uid) = &m.uid {
            self.by_uid.remove(uid);
        }
        for r in &m.owner_references {
            drop_from(&mut self.by_owner, &r.uid, key);
        }
        match o {
            Object::Pod(p) => {
                if let Some(n) = &p.spec.node_name {
                    drop_from(&mut self.pods_by_node, n, key);
                }
                self.unscheduled.remove(key);
            }
            Object::Event(e) => {
                if let Some(uid) = &e.involved_object.uid {
                    drop_from(&mut self.events_by_subject, uid, key);
                }
            }
            _ => {}
        }
    }
}

/// Whether `old` and `new` sit under the same keys of every index: same uid and owners, a pod on
/// the same node and as (un)schedulable, an event about the same object.
fn same_index_entries(old: &Object, new: &Object) -> bool {
    let (a, b) = (old.meta(), new.meta());
    a.uid == b.uid
        && a.owner_references.len() == b.owner_references.len()
        && a.owner_references
            .iter()
            .zip(&b.owner_references)
            .all(|(x, y)| x.uid == y.uid)
        && match (old, new) {
            (Object::Pod(x), Object::Pod(y)) => {
                x.spec.node_name == y.spec.node_name && x.metadata.is_deleting() == y.metadata.is_deleting()
            }
            (Object::Event(x), Object::Event(y)) => x.involved_object.uid == y.involved_object.uid,
            _ => true,
        }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{ObjectMeta, OwnerReference, Pod};

    fn pod(ns: &str, name: &str, uid: &str, owner: Option<&str>, node: Option<&str>) -> Object {
        let mut p = Pod {
            metadata: ObjectMeta::named(name, Some(ns)),
            ..Default::default()
        };
        p.metadata.uid = Some(uid.into());
        if let Some(o) = owner {
            p.metadata.owner_references.push(OwnerReference {
                uid: o.into(),
                ..Default::default()
            });
        }
        p.spec.node_name = node.map(str::to_string);
        Object::Pod(p)
    }

    #[test]
    fn resource_versions_grow_and_indexes_follow_updates() {
        let mut s = Store::default();
        s.put(pod("default", "a", "u1", Some("rs1"), None));
        s.put(pod("kube-system", "b", "u2", Some("rs1"), Some("n1")));
        assert_eq!(s.revision(), 2);
        assert_eq!(s.list(Kind::Pod, Some("default")).count(), 1);
        assert_eq!(s.list(Kind::Pod, None).count(), 2);
        assert_eq!(s.dependents("rs1").count(), 2);
        assert_eq!(
            s.unscheduled_pods().map(|k| k.name.as_str()).collect::<Vec<_>>(),
            vec!["a"]
        );
        // Rebinding moves the pod between node indexes.
        s.put(pod("default", "a", "u1", Some("rs1"), Some("n1")));
        assert_eq!(s.pods_on_node("n1").count(), 2);
        assert_eq!(s.unscheduled_pods().count(), 0);
        let removed = s.remove(&ObjKey::new(Kind::Pod, "default", "a")).unwrap();
        assert_eq!(removed.name(), "a");
        assert_eq!(s.pods_on_node("n1").count(), 1);
        assert_eq!(s.dependents("rs1").count(), 1);
        assert!(s.get_by_uid("u1").is_none());
        let log: Vec<_> = s.changes_since(0).unwrap().map(|c| (c.rv, c.type_)).collect();
        assert_eq!(log.last(), Some(&(4, ChangeType::Deleted)));
        assert_eq!(s.changes_since(3).unwrap().count(), 1);
    }
}
