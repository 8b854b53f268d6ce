//! `kubectl -o json`: Go's `json.MarshalIndent(obj, "", "    ")` followed by a newline
//! (cli-runtime `printers.JSONPrinter`).
//!
//! The Go details reproduced here:
//!
//! * Object keys are sorted by their bytes (Go sorts map keys; server objects reach kubectl as
//!   unstructured maps). The order is imposed here, whatever the `serde_json` map order is.
//! * `encoding/json` escapes `<`, `>` and `&` as `\u003c`, `\u003e`, `\u0026` (HTML-safe
//!   output) and U+2028/U+2029 as `\u2028`/`\u2029`; control characters use `\n`, `\r`, `\t`,
//!   `\b`, `\f` (Go 1.22+) or `\u00XX` with lowercase hex; everything else, DEL and non-ASCII
//!   included, is written as it is.
//! * Empty objects and arrays stay on one line (`{}`, `[]`); the key separator is `": "`.
//! * Floats use Go's formatting: shortest round-trip digits, plain notation for
//!   `1e-6 <= |f| < 1e21` (so `1.0` prints as `1`), exponent notation otherwise with a
//!   two-digit negative exponent shortened (`1e-7`, `1e+21`).
//!
//! Typed objects that never went through a server (`create --dry-run=client -o json`) are
//! printed by Go in struct-field order (`kind`, `apiVersion`, `metadata`, …), not sorted; a
//! `serde_json::Value` does not carry that order, so callers that need it must build the text
//! some other way.

use kubelab_engine::sort::CompactSort;
use serde_json::{Map, Number, Value};

/// Renders `v` exactly like `kubectl -o json`, including the final newline.
pub fn to_json(v: &Value) -> String {
    let mut out = String::new();
    write_value(&mut out, v, 0);
    out.push('\n');
    out
}

/// Renders `v` like Go's `json.Marshal` (compact, sorted keys, HTML-safe escaping), without a
/// trailing newline. Useful for `jsonpath` output and annotations such as
/// `kubectl.kubernetes.io/last-applied-configuration`.
pub fn to_json_compact(v: &Value) -> String {
    let mut out = String::new();
    write_compact(&mut out, v);
    out
}

fn sorted_entries(map: &Map<String, Value>) -> Vec<(&String, &Value)> {
    let mut entries: Vec<_> = map.iter().collect();
    // Go compares strings bytewise, which is also `str`'s `Ord`.
    entries.compact_sort_by(|a, b| a.0.cmp(b.0));
    entries
}

fn newline_indent(out: &mut String, depth: usize) {
    out.push('\n');
    for _ in 0..depth {
        out.push_str("    ");
    }
}

fn write_value(out: &mut String, v: &Value, depth: usize) {
    match v {
        Value::Object(map) if !map.is_empty() => {
            out.push('{');
            for (i, (k, v)) in sorted_entries(map).into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline_indent(out, depth + 1);
                write_string(out, k);
                out.push_str(": ");
                write_value(out, v, depth + 1);
            }
            newline_indent(out, depth);
            out.push('}');
        }
        Value::Array(items) if !items.is_empty() => {
            out.push('[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline_indent(out, depth + 1);
                write_value(out, v, depth + 1);
            }
            newline_indent(out, depth);
            out.push(']');
        }
        other => write_compact(out, other),
    }
}

fn write_compact(out: &mut String, v: &Value) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&go_number(n)),
        Value::String(s) => write_string(out, s),
        Value::Array(items) => {
            out.push('[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_compact(out, v);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (i, (k, v)) in sorted_entries(map).into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(out, k);
                out.push(':');
                write_compact(out, v);
            }
            out.push('}');
        }
    }
}

/// Go's `encoding/json` string encoder with `escapeHTML` on.
fn write_string(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '<' | '>' | '&' | '\u{0}'..='\u{1f}' => {
                let b = c as u8;
                out.push_str("\\u00");
                out.push(HEX[(b >> 4) as usize] as char);
                out.push(HEX[(b & 0xf) as usize] as char);
            }
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// The text Go's `encoding/json` writes for a number: integers as they are, floats with
/// [`go_json_float`].
pub(crate) fn go_number(n: &Number) -> String {
    if let Some(i) = n.as_i64() {
        i.to_string()
    } else if let Some(u) = n.as_u64() {
        u.to_string()
    } else {
        go_json_float(n.as_f64().unwrap_or(0.0))
    }
}

/// Shortest round-trip decimal digits of a finite float, as Go's `strconv` computes them:
/// `value = 0.DIGITS × 10^point`. Zero is `("0", 1)`.
pub(crate) fn shortest_digits(f: f64) -> (String, i32) {
    let abs = f.abs();
    if abs == 0.0 {
        return ("0".to_string(), 1);
    }
    // Rust's `{:e}` prints the shortest representation that round-trips, like Go's
    // `FormatFloat(f, 'e', -1, 64)`: `d[.ddd]e<exp>`.
    let sci = format!("{abs:e}");
    let (mantissa, exp) = sci.split_once('e').expect("`{:e}` always has an exponent");
    let exp: i32 = exp.parse().expect("exponent is an integer");
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    (digits, exp + 1)
}

/// Go's `%e` body with all shortest digits: `d.ddde±XX` (at least two exponent digits).
pub(crate) fn format_exponent(neg: bool, digits: &str, point: i32) -> String {
    let mut s = String::new();
    if neg {
        s.push('-');
    }
    s.push_str(&digits[..1]);
    if digits.len() > 1 {
        s.push('.');
        s.push_str(&digits[1..]);
    }
    let exp = point - 1;
    s.push('e');
    s.push(if exp < 0 { '-' } else { '+' });
    let e = exp.unsigned_abs();
    if e < 10 {
        s.push('0');
    }
    s.push_str(&e.to_string());
    s
}

/// Go's `%f` with exactly as many decimals as the shortest digits need.
pub(crate) fn format_fixed(neg: bool, digits: &str, point: i32) -> String {
    let mut s = String::new();
    if neg {
        s.push('-');
    }
    let nd = digits.len() as i32;
    if point > 0 {
        for i in 0..point {
            s.push(digits.as_bytes().get(i as usize).map_or('0', |b| *b as char));
        }
    } else {
        s.push('0');
    }
    let decimals = (nd - point).max(0);
    if decimals > 0 {
        s.push('.');
        for i in 0..decimals {
            let idx = point + i;
            let ch = if idx < 0 {
                '0'
            } else {
                digits.as_bytes().get(idx as usize).map_or('0', |b| *b as char)
            };
            s.push(ch);
        }
    }
    s
}

/// Go's `encoding/json` float encoding (`floatEncoder` for float64).
pub(crate) fn go_json_float(f: f64) -> String {
    let neg = f.is_sign_negative();
    let abs = f.abs();
    let (digits, point) = shortest_digits(f);
    if abs != 0.0 && !(1e-6..1e21).contains(&abs) {
        let mut s = format_exponent(neg, &digits, point);
        // Go shortens a two-digit negative exponent: e-07 -> e-7
        let n = s.len();
        let b = s.as_bytes();
        if n >= 4 && b[n - 4] == b'e' && b[n - 3] == b'-' && b[n - 2] == b'0' {
            s.remove(n - 2);
        }
        s
    } else {
        format_fixed(neg, &digits, point)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn indentation_and_empty_containers() {
        let v = json!({
            "kind": "Deployment",
            "apiVersion": "apps/v1",
            "metadata": {"name": "web", "creationTimestamp": null, "labels": {"app": "web"}},
            "spec": {"replicas": 1, "template": {"spec": {"containers": [
                {"name": "nginx", "image": "nginx", "resources": {}, "args": []}
            ]}}},
            "status": {}
        });
        let want = r#"{
    "apiVersion": "apps/v1",
    "kind": "Deployment",
    "metadata": {
        "creationTimestamp": null,
        "labels": {
            "app": "web"
        },
        "name": "web"
    },
    "spec": {
        "replicas": 1,
        "template": {
            "spec": {
                "containers": [
                    {
                        "args": [],
                        "image": "nginx",
                        "name": "nginx",
                        "resources": {}
                    }
                ]
            }
        }
    },
    "status": {}
}
"#;
        assert_eq!(to_json(&v), want);
    }

    #[test]
    fn nested_arrays_and_scalars_at_top() {
        assert_eq!(to_json(&json!([[1, 2], [], {"a": [true]}])), "[\n    [\n        1,\n        2\n    ],\n    [],\n    {\n        \"a\": [\n            true\n        ]\n    }\n]\n");
        assert_eq!(to_json(&json!({})), "{}\n");
        assert_eq!(to_json(&json!([])), "[]\n");
        assert_eq!(to_json(&json!(null)), "null\n");
        assert_eq!(to_json(&json!("x")), "\"x\"\n");
    }

    #[test]
    fn keys_sorted_bytewise() {
        let v = json!({"a_b": 1, "aB": 2, "a10": 3, "a9": 4, "Zz": 5, "_z": 6, "é": 7});
        assert_eq!(
            to_json_compact(&v),
            r#"{"Zz":5,"_z":6,"a10":3,"a9":4,"aB":2,"a_b":1,"é":7}"#
        );
    }

    #[test]
    fn go_string_escaping() {
        let v = json!("<a href=\"x\">&</a>\u{2028}\u{2029}\n\r\t\u{8}\u{c}\u{1}\u{1f}\u{7f}é😀\\/");
        assert_eq!(
            to_json_compact(&v),
            r#""\u003ca href=\"x\"\u003e\u0026\u003c/a\u003e\u2028\u2029\n\r\t\b\f\u0001\u001f"#.to_string()
                + "\u{7f}é😀\\\\/\""
        );
    }

    #[test]
    fn go_float_formatting() {
        let cases: &[(f64, &str)] = &[
            (1.5, "1.5"),
            (1.0, "1"),
            (-2.0, "-2"),
            (0.0, "0"),
            (-0.0, "-0"),
            (0.1, "0.1"),
            (1234567.5, "1234567.5"),
            (0.000001, "0.000001"),
            (0.0000001, "1e-7"),
            (1.5e-10, "1.5e-10"),
            (1e20, "100000000000000000000"),
            (1e21, "1e+21"),
            (1.2345e300, "1.2345e+300"),
            (-3.25e-8, "-3.25e-8"),
            (123456789.125, "123456789.125"),
        ];
        for &(f, want) in cases {
            assert_eq!(go_json_float(f), want, "{f:e}");
        }
        let n = serde_json::Number::from_f64(2.5).unwrap();
        assert_eq!(to_json(&Value::Number(n)), "2.5\n");
        assert_eq!(to_json(&json!(u64::MAX)), "18446744073709551615\n");
        assert_eq!(to_json(&json!(i64::MIN)), "-9223372036854775808\n");
    }
}
