//! Resource quantities the way kubectl writes them (apimachinery `resource.ParseQuantity` and
//! `Quantity.String`): `--hard=cpu=1000m` is sent as `"1"`, `0.5` as `"500m"`, `1.5Gi` as
//! `"1536Mi"`, while a string already in canonical form is kept as typed (`2e3`, `01`, `1Ki`).
//!
//! Values are exact decimals held in an `i128` mantissa and a power of ten, enough for every
//! quantity a learner types; a value too large for that is kept as typed.

/// The error texts of `ParseQuantity`.
pub const ERR_FORMAT: &str =
    "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
pub const ERR_SUFFIX: &str = "unable to parse quantity's suffix";
pub const ERR_NUMERIC: &str = "unable to parse numeric part of quantity";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    DecimalExponent,
    BinarySI,
    DecimalSI,
}

/// `parseQuantityString`: sign, numerator without leading zeros, denominator, suffix.
fn split(s: &str) -> Result<(bool, String, String, String), &'static str> {
    let b = s.as_bytes();
    let end = b.len();
    let mut pos = 0;
    let mut positive = true;
    if pos < end {
        match b[0] {
            b'-' => {
                positive = false;
                pos += 1;
            }
            b'+' => pos += 1,
            _ => {}
        }
    }
    while pos < end && b[pos] == b'0' {
        pos += 1;
    }
    if pos >= end {
        return Ok((positive, "0".into(), String::new(), String::new()));
    }
    let start = pos;
    while pos < end && b[pos].is_ascii_digit() {
        pos += 1;
    }
    let mut num = s[start..pos].to_string();
    if num.is_empty() {
        num = "0".into();
    }
    let mut denom = String::new();
    if pos < end && b[pos] == b'.' {
        pos += 1;
        let d = pos;
        while pos < end && b[pos].is_ascii_digit() {
            pos += 1;
        }
        denom = s[d..pos].to_string();
    }
    let suffix_start = pos;
    while pos < end && b"eEinumkKMGTP".contains(&b[pos]) {
        pos += 1;
    }
    if pos < end && matches!(b[pos], b'-' | b'+') {
        pos += 1;
    }
    while pos < end && b[pos].is_ascii_digit() {
        pos += 1;
    }
    if pos < end {
        return Err(ERR_FORMAT);
    }
    Ok((positive, num, denom, s[suffix_start..].to_string()))
}

/// `quantitySuffixer.interpret`: base, exponent and format of a suffix.
fn interpret(suffix: &str) -> Option<(u32, i32, Format)> {
    let dec = |e| Some((10, e, Format::DecimalSI));
    let bin = |e| Some((2, e, Format::BinarySI));
    match suffix {
        "" => dec(0),
        "n" => dec(-9),
        "u" => dec(-6),
        "m" => dec(-3),
        "k" => dec(3),
        "M" => dec(6),
        "G" => dec(9),
        "T" => dec(12),
        "P" => dec(15),
        "E" => dec(18),
        "Ki" => bin(10),
        "Mi" => bin(20),
        "Gi" => bin(30),
        "Ti" => bin(40),
        "Pi" => bin(50),
        "Ei" => bin(60),
        s if s.len() > 1 && (s.starts_with('e') || s.starts_with('E')) => {
            let e: i32 = s[1..].parse().ok()?;
            Some((10, e, Format::DecimalExponent))
        }
        _ => None,
    }
}

/// Parses a quantity and returns how kubectl serializes it.
pub fn canonical(s: &str) -> Result<String, &'static str> {
    if s.is_empty() {
        return Err(ERR_FORMAT);
    }
    let (positive, num, denom, suffix) = split(s)?;
    let (base, exponent, format) = interpret(&suffix).ok_or(ERR_SUFFIX)?;
    // The fast path keeps a canonical input as typed.
    let fast = match format {
        Format::DecimalExponent | Format::DecimalSI => 18 - (num.len() + denom.len()) as i32 >= 0,
        Format::BinarySI => {
            exponent >= 0 && denom.is_empty() && {
                let p = 15 - num.len() as i32 - ((exponent as f32) * 3.0 / 10.0) as i32 - 1;
                p >= 0
            }
        }
    };
    let shifted = format!("{num}{denom}");
    let digits: i128 = shifted.parse().map_err(|_| ERR_NUMERIC)?;
    if fast {
        let scale = if base == 10 { exponent } else { 0 } - denom.len() as i32;
        if scale >= -9 {
            let keep = match format {
                Format::BinarySI => exponent % 10 == 0 && (digits & 7) != 0,
                _ => scale % 3 == 0 && !shifted.ends_with("000") && !shifted.starts_with('0'),
            };
            if keep {
                return Ok(s.to_string());
            }
        }
    }
    // The exact value: mantissa * 10^scale.
    let mut mantissa = if positive { digits } else { -digits };
    let mut scale = -(denom.len() as i32);
    if base == 10 {
        scale += exponent;
    } else {
        let factor = 1i128.checked_shl(exponent as u32).ok_or(ERR_NUMERIC)?;
        mantissa = match mantissa.checked_mul(factor) {
            Some(m) => m,
            None => return Ok(s.to_string()),
        };
    }
    // Round up (away from zero) to nano.
    if scale < -9 {
        let drop = (-9 - scale) as u32;
        let div = 10i128.checked_pow(drop).unwrap_or(i128::MAX);
        let rounded = mantissa / div + if mantissa % div != 0 { mantissa.signum() } else { 0 };
        mantissa = rounded;
        scale = -9;
    }
    Ok(format_value(mantissa, scale, format))
}

/// `CanonicalizeBytes`.
fn format_value(mantissa: i128, scale: i32, format: Format) -> String {
    if mantissa == 0 {
        return "0".into();
    }
    let mut format = format;
    if format == Format::BinarySI {
        let small = scale <= 0 && {
            let whole = mantissa / 10i128.pow((-scale) as u32);
            whole.abs() < 1024
        };
        let integral = scale >= 0 || mantissa % 10i128.pow((-scale) as u32) == 0;
        if small || !integral {
            format = Format::DecimalSI;
        }
    }
    if format == Format::BinarySI {
        let mut v = if scale >= 0 {
            mantissa * 10i128.pow(scale as u32)
        } else {
            mantissa / 10i128.pow((-scale) as u32)
        };
        let mut e = 0;
        while v % 1024 == 0 && e < 6 {
            v /= 1024;
            e += 1;
        }
        let suffix = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"][e];
        return format!("{v}{suffix}");
    }
    // Decimal: factors of ten into the exponent, then an exponent that is a multiple of 3.
    let (mut m, mut e) = (mantissa, scale);
    while m % 10 == 0 {
        m /= 10;
        e += 1;
    }
    while e % 3 != 0 {
        m *= 10;
        e -= 1;
    }
    let suffix = match (format, e) {
        (Format::DecimalExponent, 0) => String::new(),
        (Format::DecimalExponent, e) => format!("e{e}"),
        (_, -9) => "n".into(),
        (_, -6) => "u".into(),
        (_, -3) => "m".into(),
        (_, 0) => String::new(),
        (_, 3) => "k".into(),
        (_, 6) => "M".into(),
        (_, 9) => "G".into(),
        (_, 12) => "T".into(),
        (_, 15) => "P".into(),
        (_, 18) => "E".into(),
        (_, e) => format!("e{e}"),
    };
    format!("{m}{suffix}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_apimachinery() {
        for (input, want) in [
            ("1000m", "1"),
            ("0.5", "500m"),
            ("1024Mi", "1Gi"),
            ("1.5Gi", "1536Mi"),
            ("2e3", "2e3"),
            ("100M", "100M"),
            ("0.1", "100m"),
            ("1Ki", "1Ki"),
            ("1500k", "1500k"),
            ("12e6", "12e6"),
            ("0", "0"),
            ("01", "01"),
            ("1.0", "1"),
            ("500m", "500m"),
            ("128Mi", "128Mi"),
            ("1G", "1G"),
            ("2", "2"),
        ] {
            assert_eq!(canonical(input), Ok(want.to_string()), "{input}");
        }
        assert_eq!(canonical("x"), Err(ERR_FORMAT));
        assert_eq!(canonical(""), Err(ERR_FORMAT));
        assert_eq!(canonical("1k3"), Err(ERR_SUFFIX));
    }
}
