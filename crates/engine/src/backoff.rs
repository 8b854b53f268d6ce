//! The kubelet's exponential back-off (client-go `flowcontrol.Backoff`, created by the kubelet
//! with `NewBackOff(10s, 300s)` for both container restarts and image pulls).
//!
//! The delay starts at 10 s and doubles on each `next` up to a 5 min cap. An entry whose last
//! update is more than twice the cap (10 min) older than the event being checked has expired:
//! a container that ran for 10 minutes before crashing again starts over at 10 s.

use crate::time::SimTime;

pub const INITIAL_MS: u64 = 10_000;
pub const MAX_MS: u64 = 300_000;

/// One back-off entry (one container, or one image of one pod).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Backoff {
    /// Current delay; 0 when there is no entry.
    pub delay_ms: u64,
    pub last_update: SimTime,
}

impl Backoff {
    fn has_expired(&self, event: SimTime) -> bool {
        event.since(self.last_update) > (2 * MAX_MS) as i64
    }

    /// `IsInBackOffSince(id, eventTime)`: still waiting out the delay counted from `event`.
    pub fn in_backoff_since(&self, event: SimTime, now: SimTime) -> bool {
        if self.delay_ms == 0 || self.has_expired(event) {
            return false;
        }
        now.since(event) < self.delay_ms as i64
    }

    /// `IsInBackOffSinceUpdate(id, now)`: used for image pulls.
    pub fn in_backoff_since_update(&self, now: SimTime) -> bool {
        if self.delay_ms == 0 || self.has_expired(now) {
            return false;
        }
        now.since(self.last_update) < self.delay_ms as i64
    }

    /// `Next(id, eventTime)`: starts at 10 s, or doubles (capped at 5 min).
    pub fn next(&mut self, event: SimTime, now: SimTime) {
        if self.delay_ms == 0 || self.has_expired(event) {
            self.delay_ms = INITIAL_MS;
        } else {
            self.delay_ms = (self.delay_ms * 2).min(MAX_MS);
        }
        self.last_update = now;
    }

    /// When the back-off counted from `event` ends.
    pub fn until(&self, event: SimTime) -> SimTime {
        event.plus_ms(self.delay_ms)
    }
}

/// Go's `time.Duration` string for whole seconds as the CrashLoopBackOff message prints it
/// (`10s`, `2m40s`, `5m0s`).
pub fn go_secs(ms: u64) -> String {
    let s = ms / 1000;
    if s < 60 {
        format!("{s}s")
    } else {
        format!("{}m{}s", s / 60, s % 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles_to_the_cap_and_expires() {
        let mut b = Backoff::default();
        let mut t = SimTime(0);
        let mut seen = Vec::new();
        for _ in 0..8 {
            b.next(t, t);
            seen.push(b.delay_ms / 1000);
            t = t.plus_ms(1000);
        }
        assert_eq!(seen, vec![10, 20, 40, 80, 160, 300, 300, 300]);
        assert!(b.in_backoff_since(t, t.plus_ms(299_000)));
        assert!(!b.in_backoff_since(t, t.plus_ms(300_000)));
        // Ten minutes of running resets it.
        let later = b.last_update.plus_ms(600_001);
        assert!(!b.in_backoff_since(later, later));
        b.next(later, later);
        assert_eq!(b.delay_ms, 10_000);
        assert_eq!(go_secs(160_000), "2m40s");
        assert_eq!(go_secs(300_000), "5m0s");
    }
}
