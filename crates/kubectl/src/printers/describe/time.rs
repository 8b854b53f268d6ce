//! Go's `time.RFC1123Z`, the timestamp format of every describer.

use super::prelude::*;
use kubelab_engine::time::civil_from_days;

/// Go's `time.RFC1123Z` in UTC: `Wed, 25 Nov 2026 14:29:53 +0000`.
pub fn rfc1123z(t: Timestamp) -> String {
    let secs = t.unix_secs();
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (y, m, d) = civil_from_days(days);
    const WEEKDAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    format!(
        "{}, {d:02} {} {y:04} {:02}:{:02}:{:02} +0000",
        WEEKDAYS[(days + 4).rem_euclid(7) as usize],
        MONTHS[(m - 1) as usize],
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// A zero `metav1.Time` formats as Go's zero time.
pub(super) fn rfc1123z_opt(t: Option<Timestamp>) -> String {
    t.map(rfc1123z)
        .unwrap_or_else(|| "Mon, 01 Jan 0001 00:00:00 +0000".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_print_as_rfc1123z() {
        assert_eq!(rfc1123z(Timestamp(SimTime(0))), "Mon, 02 Mar 2026 09:00:00 +0000");
        let later = Timestamp(SimTime(((268 * 24 + 5) * 3600 + 29 * 60 + 53) * 1000));
        assert_eq!(rfc1123z(later), "Wed, 25 Nov 2026 14:29:53 +0000");
    }
}
