//! A stable sort that is cheap in the wasm bundle, for every sort in the workspace.
//!
//! Why not `slice::sort_by`: std's driftsort is instantiated anew for every element type *and*
//! comparator closure, about 4 KB of wasm each. With some 60 call sites that was 230 KB of the
//! bundle before `wasm-opt` (measured on the `wasm-release` build, issue #6). Here the sorting
//! itself is one non-generic merge sort over indices, calling the comparator through `&mut dyn`;
//! what each call site instantiates is a closure and a permutation of its element type (a few
//! hundred bytes).
//!
//! The result is exactly std's stable sort: equal elements keep their order (merge sort is
//! stable), so output that depends on the order of ties does not change. It costs one `usize`
//! per element and a dynamic call per comparison; the engine's sorts are over at most a few
//! thousand objects, where that is noise next to what the comparators themselves do.
//!
//! Use it through [`CompactSort`] (`use kubelab_engine::sort::CompactSort;`): `v.compact_sort()`,
//! `v.compact_sort_by(|a, b| …)`, `v.compact_sort_by_key(|x| …)`, in code the web app links
//! (tests and the CLI may keep std's). Collecting into a `BTreeMap`/`BTreeSet` sorts with std's
//! sort too (one instantiation per key and value type): prefer inserting in a loop there.

use std::cmp::Ordering;

/// Stable sorting for slices through one shared, non-generic merge sort.
pub trait CompactSort<T> {
    /// Like `slice::sort`: ascending, stable.
    fn compact_sort(&mut self)
    where
        T: Ord;
    /// Like `slice::sort_by`: stable.
    fn compact_sort_by(&mut self, compare: impl FnMut(&T, &T) -> Ordering);
    /// Like `slice::sort_by_key`: stable; `key` is called twice per comparison, as in std.
    fn compact_sort_by_key<K: Ord>(&mut self, key: impl FnMut(&T) -> K);
}

impl<T> CompactSort<T> for [T] {
    fn compact_sort(&mut self)
    where
        T: Ord,
    {
        self.compact_sort_by(T::cmp);
    }

    fn compact_sort_by(&mut self, mut compare: impl FnMut(&T, &T) -> Ordering) {
        if self.len() < 2 {
            return;
        }
        let order = {
            let items: &[T] = self;
            sorted_order(items.len(), &mut |i, j| compare(&items[i], &items[j]))
        };
        permute(self, order);
    }

    fn compact_sort_by_key<K: Ord>(&mut self, mut key: impl FnMut(&T) -> K) {
        self.compact_sort_by(|a, b| key(a).cmp(&key(b)));
    }
}

/// The stable sorted order of `0..n` under `compare` (a bottom-up merge sort: runs of 1, 2, 4…
/// merged from a scratch buffer, the left run winning ties).
fn sorted_order(n: usize, compare: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    let mut scratch = order.clone();
    let mut width = 1;
    while width < n {
        let mut start = 0;
        while start < n {
            let mid = (start + width).min(n);
            let end = (start + 2 * width).min(n);
            let (mut i, mut j) = (start, mid);
            for slot in &mut scratch[start..end] {
                let take_left = j >= end || (i < mid && compare(order[i], order[j]) != Ordering::Greater);
                if take_left {
                    *slot = order[i];
                    i += 1;
                } else {
                    *slot = order[j];
                    j += 1;
                }
            }
            start = end;
        }
        std::mem::swap(&mut order, &mut scratch);
        width *= 2;
    }
    order
}

/// Rearranges `items` so that position `k` holds what was at `order[k]`, by following the
/// permutation's cycles with swaps (no `Clone` or `Default` needed).
fn permute<T>(items: &mut [T], mut order: Vec<usize>) {
    for start in 0..order.len() {
        // `order[k] == usize::MAX` marks a position already filled. Along a cycle the item
        // that was at `start` travels forward and lands where the cycle closes.
        let mut k = start;
        while order[k] != usize::MAX {
            let from = order[k];
            order[k] = usize::MAX;
            if from == start {
                break;
            }
            items.swap(k, from);
            k = from;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn sorts_and_keeps_ties_in_order() {
        let mut v = vec![(3, 'a'), (1, 'b'), (3, 'c'), (2, 'd'), (1, 'e')];
        v.compact_sort_by_key(|p| p.0);
        assert_eq!(v, [(1, 'b'), (1, 'e'), (2, 'd'), (3, 'a'), (3, 'c')]);
        let mut words = vec!["pear".to_string(), "apple".into(), "fig".into()];
        words.compact_sort();
        assert_eq!(words, ["apple", "fig", "pear"]);
        let mut empty: Vec<u8> = Vec::new();
        empty.compact_sort();
        assert!(empty.is_empty());
    }

    proptest! {
        /// Same result as std's stable sort, ties included (the tag keeps elements apart).
        #[test]
        fn matches_std_stable_sort(keys in proptest::collection::vec(0u8..8, 0..200)) {
            let tagged: Vec<(u8, usize)> = keys.iter().copied().zip(0..).collect();
            let mut ours = tagged.clone();
            ours.compact_sort_by(|a, b| a.0.cmp(&b.0));
            let mut std = tagged;
            std.sort_by_key(|a| a.0);
            prop_assert_eq!(ours, std);
        }
    }
}
