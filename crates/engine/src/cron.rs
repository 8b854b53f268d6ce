//! The cron schedule language of CronJobs: robfig/cron v3's standard parser (five fields,
//! `@hourly`-style descriptors), which the CronJob controller and API validation use, with its
//! error wording (`expected exactly 5 fields, found 3: [* * *]`). Times are UTC unix seconds.

use crate::time::{civil_from_days, days_from_civil};

/// A parsed schedule: one bit per allowed value of each field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Schedule {
    minute: u64,
    hour: u64,
    dom: u64,
    month: u64,
    dow: u64,
    /// `*` or `?` in day-of-month / day-of-week: then both day fields must match, otherwise
    /// either may (cron's traditional OR).
    dom_star: bool,
    dow_star: bool,
}

struct Bounds {
    min: u32,
    max: u32,
    names: &'static [&'static str],
}

const MINUTES: Bounds = Bounds {
    min: 0,
    max: 59,
    names: &[],
};
const HOURS: Bounds = Bounds {
    min: 0,
    max: 23,
    names: &[],
};
const DOM: Bounds = Bounds {
    min: 1,
    max: 31,
    names: &[],
};
const MONTHS: Bounds = Bounds {
    min: 1,
    max: 12,
    names: &[
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ],
};
const DOW: Bounds = Bounds {
    min: 0,
    max: 6,
    names: &["sun", "mon", "tue", "wed", "thu", "fri", "sat"],
};

/// Parses a schedule as `cron.ParseStandard` does.
pub fn parse(spec: &str) -> Result<Schedule, String> {
    let spec = spec.trim();
    if spec.is_empty() {
        return Err("empty spec string".into());
    }
    if let Some(d) = spec.strip_prefix('@') {
        let fields = match d {
            "yearly" | "annually" => "0 0 1 1 *",
            "monthly" => "0 0 1 * *",
            "weekly" => "0 0 * * 0",
            "daily" | "midnight" => "0 0 * * *",
            "hourly" => "0 * * * *",
            _ => return Err(format!("unrecognized descriptor: {spec}")),
        };
        return parse(fields);
    }
    let fields: Vec<&str> = spec.split_whitespace().collect();
    if fields.len() != 5 {
        return Err(format!(
            "expected exactly 5 fields, found {}: [{}]",
            fields.len(),
            fields.join(" ")
        ));
    }
    let (dom, dom_star) = field(fields[2], &DOM)?;
    let (dow, dow_star) = field(fields[4], &DOW)?;
    Ok(Schedule {
        minute: field(fields[0], &MINUTES)?.0,
        hour: field(fields[1], &HOURS)?.0,
        dom,
        month: field(fields[3], &MONTHS)?.0,
        dow,
        dom_star,
        dow_star,
    })
}

/// One field: comma-separated ranges. Returns the bits and whether it was a bare `*`/`?`.
fn field(f: &str, b: &Bounds) -> Result<(u64, bool), String> {
    let mut bits = 0u64;
    let mut star = false;
    for part in f.split(',') {
        let (r, s) = range(part, b)?;
        bits |= r;
        star |= s;
    }
    Ok((bits, star))
}

fn range(expr: &str, b: &Bounds) -> Result<(u64, bool), String> {
    let (range_part, step_part) = match expr.split_once('/') {
        Some((r, s)) if s.contains('/') => {
            let _ = r;
            return Err(format!("too many slashes: {expr}"));
        }
        Some((r, s)) => (r, Some(s)),
        None => (expr, None),
    };
    let low_high: Vec<&str> = range_part.split('-').collect();
    let single = low_high.len() == 1;
    let mut star = false;
    let (start, mut end) = if range_part == "*" || range_part == "?" {
        star = true;
        (b.min, b.max)
    } else {
        let start = value(low_high[0], b)?;
        let end = match low_high.len() {
            1 => start,
            2 => value(low_high[1], b)?,
            _ => return Err(format!("too many hyphens: {expr}")),
        };
        (start, end)
    };
    let step = match step_part {
        None => 1,
        Some(s) => {
            let step = int(s)?;
            if step == 0 {
                return Err(format!("step of range should be a positive number: {expr}"));
            }
            // `N/step` means `N-max/step`.
            if single {
                end = b.max;
            }
            if step > 1 {
                star = false;
            }
            step
        }
    };
    if start < b.min {
        return Err(format!(
            "beginning of range ({start}) below minimum ({}): {expr}",
            b.min
        ));
    }
    if end > b.max {
        return Err(format!("end of range ({end}) above maximum ({}): {expr}", b.max));
    }
    if start > end {
        return Err(format!(
            "beginning of range ({start}) beyond end of range ({end}): {expr}"
        ));
    }
    let mut bits = 0u64;
    let mut v = start;
    while v <= end {
        bits |= 1 << v;
        v += step;
    }
    Ok((bits, star))
}

fn value(s: &str, b: &Bounds) -> Result<u32, String> {
    let lower = s.to_ascii_lowercase();
    if let Some(i) = b.names.iter().position(|n| *n == lower) {
        return Ok(i as u32 + b.min);
    }
    int(s)
}

fn int(s: &str) -> Result<u32, String> {
    match s.parse::<i64>() {
        Ok(n) if n < 0 => Err(format!("negative number ({n}) not allowed: {s}")),
        Ok(n) => Ok(n.min(u32::MAX as i64) as u32),
        Err(_) => Err(format!(
            "failed to parse int from {s}: strconv.Atoi: parsing \"{s}\": invalid syntax"
        )),
    }
}

impl Schedule {
    /// The first activation strictly after `after` (unix seconds), or None within 5 years
    /// (robfig gives up the same way for impossible dates like `0 0 30 2 *`).
    pub fn next(&self, after: i64) -> Option<i64> {
        // Start at the next whole minute.
        let mut t = (after.div_euclid(60) + 1) * 60;
        let limit = t + 5 * 366 * 86_400;
        while t <= limit {
            let days = t.div_euclid(86_400);
            let (y, m, d) = civil_from_days(days);
            if self.month & (1 << m) == 0 {
                // First day of the next month.
                let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
                t = days_from_civil(ny, nm, 1) * 86_400;
                continue;
            }
            let dow = (days + 4).rem_euclid(7); // 1970-01-01 was a Thursday.
            if !self.day_matches(d as u32, dow as u32) {
                t = (days + 1) * 86_400;
                continue;
            }
            let secs = t.rem_euclid(86_400);
            let (h, min) = (secs / 3600, secs % 3600 / 60);
            if self.hour & (1 << h) == 0 {
                t = days * 86_400 + (h + 1) * 3600;
                continue;
            }
            if self.minute & (1 << min) == 0 {
                t += 60;
                continue;
            }
            return Some(t);
        }
        None
    }

    fn day_matches(&self, dom: u32, dow: u32) -> bool {
        let dom_ok = self.dom & (1 << dom) != 0;
        let dow_ok = self.dow & (1 << dow) != 0;
        if self.dom_star || self.dow_star {
            dom_ok && dow_ok
        } else {
            dom_ok || dow_ok
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // 2026-03-02T09:00:00Z, a Monday.
    const T0: i64 = 1_772_442_000;

    #[test]
    fn parses_and_steps() {
        let s = parse("*/5 * * * *").unwrap();
        assert_eq!(s.next(T0), Some(T0 + 300));
        assert_eq!(s.next(T0 + 1), Some(T0 + 300));
        let s = parse("0 * * * *").unwrap();
        assert_eq!(s.next(T0), Some(T0 + 3600));
        let s = parse("@daily").unwrap();
        assert_eq!(s.next(T0), Some(T0 + 15 * 3600));
        // Sunday 10:30.
        let s = parse("30 10 * * sun").unwrap();
        assert_eq!(s.next(T0), Some(T0 + 6 * 86_400 + 5400));
        // Day-of-month OR day-of-week when neither is `*`.
        let s = parse("0 0 15 * mon").unwrap();
        assert_eq!(s.next(T0), Some(T0 + 7 * 86_400 - 9 * 3600));
        assert_eq!(parse("* * * * *").unwrap().next(T0), Some(T0 + 60));
        assert_eq!(parse("0 0 30 2 *").unwrap().next(T0), None);
    }

    #[test]
    fn errors_use_robfig_wording() {
        assert_eq!(
            parse("* * *").unwrap_err(),
            "expected exactly 5 fields, found 3: [* * *]"
        );
        assert_eq!(
            parse("70 * * * *").unwrap_err(),
            "end of range (70) above maximum (59): 70"
        );
        assert_eq!(
            parse("x * * * *").unwrap_err(),
            "failed to parse int from x: strconv.Atoi: parsing \"x\": invalid syntax"
        );
        assert_eq!(
            parse("* * 0 * *").unwrap_err(),
            "beginning of range (0) below minimum (1): 0"
        );
        assert_eq!(parse("@often").unwrap_err(), "unrecognized descriptor: @often");
    }
}
