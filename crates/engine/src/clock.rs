//! The virtual clock and its queue of wakeups (madsim/turmoil style): time jumps straight to the
//! next thing that is due, so a 5-minute back-off costs nothing to simulate.

use crate::time::SimTime;
use serde::{Deserialize, Serialize};
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// Something that must happen at a given virtual time.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Wake {
    /// The kubelet on a pod's node has a step due for that pod (identified by uid).
    Kubelet { uid: String },
    /// A controller asked to look at an object again later (e.g. minReadySeconds, progress deadline).
    Requeue {
        kind: crate::api::Kind,
        namespace: String,
        name: String,
    },
}

#[derive(Clone, Debug, Default)]
pub struct Clock {
    now: SimTime,
    seq: u64,
    due: BinaryHeap<Reverse<(SimTime, u64, Wake)>>,
}

impl Clock {
    pub fn starting_at(now: SimTime) -> Self {
        Clock {
            now,
            ..Default::default()
        }
    }

    pub fn now(&self) -> SimTime {
        self.now
    }

    /// Schedules `what` `ms` from now. Wakeups due at the same instant fire in the order they were
    /// scheduled, which keeps runs deterministic.
    pub fn after(&mut self, ms: u64, what: Wake) {
        self.seq += 1;
        self.due.push(Reverse((self.now.plus_ms(ms), self.seq, what)));
    }

    /// The time of the next wakeup, if any.
    pub fn next_due(&self) -> Option<SimTime> {
        self.due.peek().map(|Reverse((t, _, _))| *t)
    }

    /// Pops the next wakeup if it is due at or before `limit`, moving the clock to its time.
    pub fn pop_due(&mut self, limit: SimTime) -> Option<Wake> {
        match self.due.peek() {
            Some(Reverse((t, _, _))) if *t <= limit => {
                let Reverse((t, _, w)) = self.due.pop()?;
                self.now = self.now.max(t);
                Some(w)
            }
            _ => None,
        }
    }

    /// Moves the clock forward to `t` (never backwards).
    pub fn set(&mut self, t: SimTime) {
        self.now = self.now.max(t);
    }

    pub fn pending(&self) -> usize {
        self.due.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fires_in_time_then_insertion_order() {
        let mut c = Clock::default();
        let w = |u: &str| Wake::Kubelet { uid: u.into() };
        c.after(500, w("b"));
        c.after(100, w("a"));
        c.after(500, w("c"));
        assert_eq!(c.pop_due(SimTime(50)), None);
        assert_eq!(c.pop_due(SimTime(1000)), Some(w("a")));
        assert_eq!(c.now(), SimTime(100));
        assert_eq!(c.pop_due(SimTime(1000)), Some(w("b")));
        assert_eq!(c.pop_due(SimTime(1000)), Some(w("c")));
        assert_eq!(c.now(), SimTime(500));
        assert_eq!(c.pop_due(SimTime(1000)), None);
    }
}
