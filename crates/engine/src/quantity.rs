//! resource.Quantity parsing: `250m` cpu, `64Mi` memory, `1.5` cpu, `1e3`. Everything is kept in
//! milli-units (so `1` cpu = 1000, `1Ki` = 1_024_000) which makes cpu and memory arithmetic one
//! integer type without floating point drift.

/// Parses a Kubernetes quantity into milli-units. `None` if malformed.
pub fn parse_milli(q: &str) -> Option<i64> {
    let q = q.trim();
    let split = q
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '+' || c == '-'))
        .unwrap_or(q.len());
    let (num, suffix) = q.split_at(split);
    if num.is_empty() {
        return None;
    }
    let (mul_num, mul_den): (i128, i128) = match suffix {
        "" => (1000, 1),
        "m" => (1, 1),
        "k" => (1_000_000, 1),
        "M" => (1_000_000_000, 1),
        "G" => (1_000_000_000_000, 1),
        "T" => (1_000_000_000_000_000, 1),
        "Ki" => (1024 * 1000, 1),
        "Mi" => (1024 * 1024 * 1000, 1),
        "Gi" => (1024 * 1024 * 1024 * 1000, 1),
        "Ti" => (1024i128.pow(4) * 1000, 1),
        "n" => (1, 1_000_000),
        "u" => (1, 1000),
        s if s.starts_with(['e', 'E']) => {
            let exp: u32 = s[1..].parse().ok()?;
            (10i128.checked_pow(exp)? * 1000, 1)
        }
        _ => return None,
    };
    // Decimal number: integer and fraction parts, exact in i128.
    let (neg, digits) = match num.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, num.strip_prefix('+').unwrap_or(num)),
    };
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    if int.is_empty() && frac.is_empty() || !int.chars().chain(frac.chars()).all(|c| c.is_ascii_digit()) {
        return None;
    }
    let scale = 10i128.checked_pow(frac.len() as u32)?;
    let whole: i128 = if int.is_empty() { 0 } else { int.parse().ok()? };
    let part: i128 = if frac.is_empty() { 0 } else { frac.parse().ok()? };
    let value = (whole.checked_mul(scale)? + part).checked_mul(mul_num)? / (scale * mul_den);
    let value = if neg { -value } else { value };
    i64::try_from(value).ok()
}

#[cfg(test)]
mod tests {
    use super::parse_milli;

    #[test]
    fn parses_cpu_and_memory_forms() {
        assert_eq!(parse_milli("250m"), Some(250));
        assert_eq!(parse_milli("1"), Some(1000));
        assert_eq!(parse_milli("0.5"), Some(500));
        assert_eq!(parse_milli("64Mi"), Some(64 * 1024 * 1024 * 1000));
        assert_eq!(parse_milli("1Gi"), Some(1024 * 1024 * 1024 * 1000));
        assert_eq!(parse_milli("128M"), Some(128_000_000_000));
        assert_eq!(parse_milli("1e3"), Some(1_000_000));
        assert_eq!(parse_milli("abc"), None);
        assert_eq!(parse_milli("12Q"), None);
        assert_eq!(parse_milli(""), None);
    }
}
