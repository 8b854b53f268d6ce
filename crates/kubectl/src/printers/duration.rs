//! Human readable durations, as apimachinery's `util/duration` package prints them.
//!
//! Every AGE, LAST SEEN and DURATION cell, the describe event ages and the `(5m ago)` suffixes
//! of the RESTARTS column go through `HumanDuration`; a few other places use
//! `ShortHumanDuration`. Both take a Go `time.Duration`; the simulator keeps time in
//! milliseconds, so the functions here take milliseconds and truncate to whole seconds the way
//! Go's `int(d.Seconds())` and integer `Duration` division do (towards zero).

const SECOND: i64 = 1000;
const MINUTE: i64 = 60 * SECOND;
const HOUR: i64 = 60 * MINUTE;

/// Go's `int(d.Seconds())`: truncation towards zero, which Rust's `/` also does for negative
/// numbers. This is why `-1999ms` is still `0s` but `-2000ms` is `<invalid>`.
fn whole_seconds(ms: i64) -> i64 {
    ms / SECOND
}

/// The answer for negative durations shared by both functions: apimachinery tolerates up to
/// (but excluding) two seconds of clock skew and reports anything beyond as `<invalid>`.
fn negative(ms: i64) -> Option<String> {
    match whole_seconds(ms) {
        s if s < -1 => Some("<invalid>".to_string()),
        s if s < 0 => Some("0s".to_string()),
        _ => None,
    }
}

/// apimachinery `duration.HumanDuration`: about two or three significant figures, switching
/// units at 2 minutes, 3 hours, 2 days and 2 years, and showing the next smaller unit only while
/// the value is small (under 10m, 8h, 8d, 8y).
///
/// `ms` is the elapsed time in milliseconds; fractions of a second are dropped.
pub fn human_duration(ms: i64) -> String {
    if let Some(s) = negative(ms) {
        return s;
    }
    let seconds = whole_seconds(ms);
    if seconds < 2 * 60 {
        return format!("{seconds}s");
    }
    let minutes = ms / MINUTE;
    if minutes < 10 {
        let s = seconds % 60;
        return if s == 0 {
            format!("{minutes}m")
        } else {
            format!("{minutes}m{s}s")
        };
    }
    if minutes < 3 * 60 {
        return format!("{minutes}m");
    }
    let hours = ms / HOUR;
    if hours < 8 {
        let m = minutes % 60;
        return if m == 0 {
            format!("{hours}h")
        } else {
            format!("{hours}h{m}m")
        };
    }
    if hours < 48 {
        return format!("{hours}h");
    }
    let days = hours / 24;
    if hours < 24 * 8 {
        let h = hours % 24;
        return if h == 0 {
            format!("{days}d")
        } else {
            format!("{days}d{h}h")
        };
    }
    if hours < 24 * 365 * 2 {
        return format!("{days}d");
    }
    let years = days / 365;
    if hours < 24 * 365 * 8 {
        let dy = days % 365;
        return if dy == 0 {
            format!("{years}y")
        } else {
            format!("{years}y{dy}d")
        };
    }
    format!("{years}y")
}

/// apimachinery `duration.ShortHumanDuration`: a single unit, switching at 1 minute, 1 hour,
/// 1 day and 1 year (`45s`, `5m`, `3h`, `2d`, `1y`).
pub fn short_human_duration(ms: i64) -> String {
    if let Some(s) = negative(ms) {
        return s;
    }
    let seconds = whole_seconds(ms);
    if seconds < 60 {
        return format!("{seconds}s");
    }
    let minutes = ms / MINUTE;
    if minutes < 60 {
        return format!("{minutes}m");
    }
    let hours = ms / HOUR;
    if hours < 24 {
        return format!("{hours}h");
    }
    if hours < 24 * 365 {
        return format!("{}d", hours / 24);
    }
    // Go divides the fractional hour count by 24 and 365 and truncates; for non-negative values
    // that equals integer division of the whole duration by one 365-day year.
    format!("{}y", ms / (24 * 365 * HOUR))
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: i64 = SECOND;
    const M: i64 = MINUTE;
    const H: i64 = HOUR;
    const D: i64 = 24 * HOUR;
    const Y: i64 = 365 * D;

    #[test]
    fn human_duration_boundaries() {
        let cases: &[(i64, &str)] = &[
            // clock skew
            (-2 * S - 1, "<invalid>"),
            (-2 * S, "<invalid>"),
            (-2 * S + 1, "0s"),
            (-S, "0s"),
            (-1, "0s"),
            (0, "0s"),
            (999, "0s"),
            (S, "1s"),
            (45 * S + 999, "45s"),
            (119 * S, "119s"),
            (119 * S + 999, "119s"),
            // minutes with seconds below 10m
            (2 * M, "2m"),
            (2 * M + 30 * S, "2m30s"),
            (9 * M + 5 * S, "9m5s"),
            (9 * M + 59 * S, "9m59s"),
            (9 * M + 59 * S + 999, "9m59s"),
            // whole minutes below 3h
            (10 * M, "10m"),
            (10 * M + 59 * S, "10m"),
            (59 * M, "59m"),
            (179 * M, "179m"),
            (179 * M + 59 * S, "179m"),
            // hours with minutes below 8h
            (3 * H, "3h"),
            (3 * H + 10 * M, "3h10m"),
            (7 * H + 59 * M, "7h59m"),
            (7 * H + 59 * M + 59 * S, "7h59m"),
            // whole hours below 2d
            (8 * H, "8h"),
            (8 * H + 30 * M, "8h"),
            (47 * H, "47h"),
            (47 * H + 59 * M, "47h"),
            // days with hours below 8d
            (2 * D, "2d"),
            (2 * D + 3 * H, "2d3h"),
            (7 * D + 23 * H, "7d23h"),
            (7 * D + 23 * H + 59 * M, "7d23h"),
            // whole days below 2y
            (8 * D, "8d"),
            (45 * D, "45d"),
            (729 * D, "729d"),
            (729 * D + 23 * H, "729d"),
            // years with days below 8y
            (2 * Y, "2y"),
            (2 * Y + 23 * H, "2y"),
            (3 * Y + 14 * D, "3y14d"),
            (7 * Y + 364 * D, "7y364d"),
            // whole years
            (8 * Y, "8y"),
            (8 * Y + 100 * D, "8y"),
            (9 * Y, "9y"),
            (120 * Y, "120y"),
        ];
        for &(ms, want) in cases {
            assert_eq!(human_duration(ms), want, "human_duration({ms}ms)");
        }
    }

    #[test]
    fn short_human_duration_boundaries() {
        let cases: &[(i64, &str)] = &[
            (-3 * S, "<invalid>"),
            (-2 * S, "<invalid>"),
            (-1999, "0s"),
            (0, "0s"),
            (59 * S + 999, "59s"),
            (60 * S, "1m"),
            (5 * M + 59 * S, "5m"),
            (59 * M + 59 * S, "59m"),
            (H, "1h"),
            (23 * H + 59 * M, "23h"),
            (D, "1d"),
            (2 * D + 23 * H, "2d"),
            (364 * D + 23 * H, "364d"),
            (Y, "1y"),
            (2 * Y - 1, "1y"),
            (10 * Y, "10y"),
        ];
        for &(ms, want) in cases {
            assert_eq!(short_human_duration(ms), want, "short_human_duration({ms}ms)");
        }
    }
}
