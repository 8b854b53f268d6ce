//! Time as the cluster sees it. The engine never reads the wall clock: `SimTime` counts
//! milliseconds since the cluster was created, and timestamps are rendered from a fixed epoch so
//! the same script always prints the same `creationTimestamp`.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// Milliseconds since the simulated cluster started.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SimTime(pub u64);

impl SimTime {
    pub fn plus_ms(self, ms: u64) -> SimTime {
        SimTime(self.0.saturating_add(ms))
    }
    pub fn plus_secs(self, s: u64) -> SimTime {
        self.plus_ms(s.saturating_mul(1000))
    }
    /// Milliseconds from `earlier` to `self` (negative when `earlier` is later).
    pub fn since(self, earlier: SimTime) -> i64 {
        self.0 as i64 - earlier.0 as i64
    }
}

/// Unix seconds of `SimTime(0)`: 2026-03-02T09:00:00Z, a Monday morning class.
pub const EPOCH_UNIX_SECS: i64 = 1_772_442_000;

/// A metav1.Time: serialized as RFC 3339 with second precision (`2026-03-02T09:00:00Z`), which is
/// how the API server renders every timestamp.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(pub SimTime);

impl Timestamp {
    pub fn unix_secs(self) -> i64 {
        EPOCH_UNIX_SECS + (self.0 .0 / 1000) as i64
    }

    /// Parses an RFC 3339 UTC timestamp (`YYYY-MM-DDTHH:MM:SSZ`), as found in applied manifests.
    pub fn parse(s: &str) -> Option<Timestamp> {
        let b = s.as_bytes();
        if b.len() != 20 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || b[19] != b'Z' {
            return None;
        }
        let num = |r: std::ops::Range<usize>| s.get(r)?.parse::<i64>().ok();
        let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
        let (h, mi, se) = (num(11..13)?, num(14..16)?, num(17..19)?);
        let unix = days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + se;
        let rel = unix - EPOCH_UNIX_SECS;
        (rel >= 0).then(|| Timestamp(SimTime(rel as u64 * 1000)))
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let secs = self.unix_secs();
        let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
        let (y, m, d) = civil_from_days(days);
        write!(
            f,
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
            rem / 3600,
            rem % 3600 / 60,
            rem % 60
        )
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Timestamp::parse(&s).ok_or_else(|| serde::de::Error::custom(format!("parsing time {s:?}")))
    }
}

/// Howard Hinnant's civil-from-days: proleptic Gregorian date of a day count since 1970-01-01.
/// Public for kubectl's printers, which format dates the way Go's `time` package does.
pub fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

pub(crate) fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_epoch_and_round_trips() {
        let t = Timestamp(SimTime(0));
        assert_eq!(t.to_string(), "2026-03-02T09:00:00Z");
        let later = Timestamp(SimTime(86_400_000 * 400 + 61_000));
        assert_eq!(later.to_string(), "2027-04-06T09:01:01Z");
        assert_eq!(Timestamp::parse(&later.to_string()), Some(later));
        assert_eq!(Timestamp::parse("2026-13-99"), None);
    }
}
