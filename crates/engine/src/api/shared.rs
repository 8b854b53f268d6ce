//! `Shared<T>`: a copy-on-write value for the big, rarely changed parts of objects (a pod's spec).
//!
//! A pod is written five or more times on its way to Running (bound, admitted, sandbox ready,
//! started, ready), and only its status changes each time. Holding the spec behind an `Arc` makes
//! each new version share the spec of the last one instead of deep-copying ~100 allocations,
//! comparing two versions a pointer check, and dropping an old version (the watch log holds
//! thousands) free. Reads go through `Deref`; a write through `DerefMut` copies the value first
//! if another version still shares it (`Arc::make_mut`), so code reads and writes `pod.spec` as
//! if it were a plain field. It serializes exactly as `T`.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::ops::{Deref, DerefMut};
use std::sync::Arc;

#[derive(Default)]
pub struct Shared<T>(Arc<T>);

impl<T> Shared<T> {
    pub fn new(value: T) -> Self {
        Shared(Arc::new(value))
    }

    /// Whether both share one allocation (then they are equal without looking inside).
    pub fn ptr_eq(a: &Self, b: &Self) -> bool {
        Arc::ptr_eq(&a.0, &b.0)
    }
}

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Shared(self.0.clone())
    }
}

impl<T> Deref for Shared<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: Clone> DerefMut for Shared<T> {
    fn deref_mut(&mut self) -> &mut T {
        Arc::make_mut(&mut self.0)
    }
}

impl<T> From<T> for Shared<T> {
    fn from(value: T) -> Self {
        Shared::new(value)
    }
}

impl<T: PartialEq> PartialEq for Shared<T> {
    fn eq(&self, other: &Self) -> bool {
        Shared::ptr_eq(self, other) || *self.0 == *other.0
    }
}

impl<T: fmt::Debug> fmt::Debug for Shared<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl<T: Serialize> Serialize for Shared<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Shared<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        T::deserialize(d).map(Shared::new)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_copy_only_what_is_shared() {
        let a = Shared::new(vec![1, 2]);
        let mut b = a.clone();
        assert!(Shared::ptr_eq(&a, &b));
        b.push(3);
        assert!(!Shared::ptr_eq(&a, &b));
        assert_eq!(*a, vec![1, 2]);
        assert_eq!(*b, vec![1, 2, 3]);
        assert_ne!(a, b);
    }

    #[test]
    fn serializes_as_the_value() {
        let a = Shared::new(vec!["x".to_string()]);
        assert_eq!(serde_json::to_string(&a).unwrap(), r#"["x"]"#);
        let b: Shared<Vec<String>> = serde_json::from_str(r#"["x"]"#).unwrap();
        assert_eq!(a, b);
    }
}
