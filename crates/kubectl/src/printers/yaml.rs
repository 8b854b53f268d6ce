//! `kubectl -o yaml`: the bytes `sigs.k8s.io/yaml.Marshal` produces.
//!
//! kubectl's YAML printer marshals the object to JSON (Go `encoding/json`), decodes that JSON
//! with go-yaml v2 into generic maps (so every JSON number is re-typed by YAML's resolver) and
//! marshals the result with go-yaml v2 (the `sigs.k8s.io/yaml/goyaml.v2` fork of v2.4). This
//! module models the two go-yaml halves that shape the text:
//!
//! * **The encoder** (`encode.go`): map keys are ordered by go-yaml's "natural" key order (not
//!   bytewise: digit runs compare as numbers and non-letters sort before letters, so `a9` comes
//!   before `a10` and `_z` before `Zz`); a string that contains `\n` asks for literal block
//!   style; a string that YAML 1.1 would read back as something else (`"1"`, `"true"`, `"yes"`,
//!   `"n"`, `"~"`, `""`, `"1e3"`, `"0x1F"`, `"1:20"`, RFC 3339 timestamps…) asks for double
//!   quotes; anything else asks for plain style. Floats print with Go's `%g` (shortest digits,
//!   exponent from 1e6 up: `1.2345675e+06`, `1e-06`).
//! * **The emitter** (`emitterc.go`, a port of libyaml): it may overrule the requested style
//!   after analysing the characters (indicators such as `: ` or a leading `*` force single
//!   quotes; tabs, emoji and other characters outside libyaml's printable set, or a space next
//!   to a line break, force double quotes with escapes), it folds plain and quoted scalars at
//!   the first space past column 80, indents by 2, does not indent sequences that are mapping
//!   values, writes empty collections as `{}`/`[]`, and writes keys longer than 128 bytes as
//!   `? key` / `: value`.
//!
//! The emitter below keeps libyaml's state variables (`column`, `indent`, `whitespace`,
//! `indention`, the context flags) and follows its decisions, so that rare inputs come out the
//! way kubectl prints them, not just the common ones.

use serde_json::Value;

use super::json::{format_exponent, format_fixed, go_number, shortest_digits, to_json_compact};

/// Renders `v` exactly like `kubectl -o yaml` (the text ends with a newline).
///
/// For the rare strings that make real kubectl fail (see [`try_to_yaml`]) this still prints
/// something sensible: the emitter's escapes for those characters.
pub fn to_yaml(v: &Value) -> String {
    let node = Node::from_json(v);
    let mut e = Emitter::new();
    // Stream and (implicit) document start write nothing; the document end moves to a new line.
    e.emit_node(&node, false, false);
    e.write_indent();
    e.out
}

/// Like [`to_yaml`], but fails where kubectl fails.
///
/// The JSON that kubectl hands to go-yaml's parser keeps some characters raw (Go's JSON
/// encoder only escapes controls below U+0020, quotes, `<>&` and U+2028/U+2029), and that
/// parser rejects DEL, the C1 controls other than U+0085, U+FFFE and U+FFFF. kubectl then
/// prints `error: yaml: control characters are not allowed` and nothing on stdout; the `Err`
/// holds that message without the `error: ` prefix.
///
/// go-yaml also trips over the raw U+0085 line breaks of that JSON text: a map key containing
/// one (or a key longer than 1024 chars of JSON text, YAML's simple-key limit) makes it fail
/// with `yaml: line N: did not find expected ',' or '}'`, and `---` or `...` right after such
/// a break inside a string with `yaml: line N: found unexpected document indicator`; line
/// numbers count those raw breaks. (The JSON text is modelled with keys in sorted order, as for
/// objects read from a server; reader errors are reported first wherever they occur, while
/// go-yaml meets them in 512-byte chunks.)
pub fn try_to_yaml(v: &Value) -> Result<String, String> {
    if any_string(v, &|s| s.chars().any(rejected_by_yaml_reader)) {
        return Err("yaml: control characters are not allowed".to_string());
    }
    if any_string(v, &|s| s.contains('\u{85}')) || has_long_key(v) {
        if let Some(err) = yaml_parse_error(&to_json_compact(v)) {
            return Err(err);
        }
    }
    Ok(to_yaml(v))
}

/// Quick filter for [`yaml_parse_error`]: a key can only exceed the simple-key limit in JSON
/// text if it has at least 1024 / 6 chars (the longest JSON escape, `\u003c`, is 6 chars).
fn has_long_key(v: &Value) -> bool {
    match v {
        Value::Array(items) => items.iter().any(has_long_key),
        Value::Object(map) => map
            .iter()
            .any(|(k, v)| k.chars().count() >= MAX_FLOW_SIMPLE_KEY_CHARS / 6 || has_long_key(v)),
        _ => false,
    }
}

/// YAML's simple keys may not span more than 1024 chars (go-yaml drops the key candidate when
/// the `:` is further away than that from the key's first char).
const MAX_FLOW_SIMPLE_KEY_CHARS: usize = 1024;

/// Scans compact JSON text the way go-yaml's scanner and parser would, for the two failures a
/// JSON document can cause (see [`try_to_yaml`]). The text is well-formed JSON: no raw
/// whitespace outside strings, and inside strings only spaces and U+0085 are raw blanks.
fn yaml_parse_error(json: &str) -> Option<String> {
    let chars: Vec<char> = json.chars().collect();
    let mut line = 0usize; // go-yaml's 0-based mark.line: raw U+0085 breaks seen so far
    let mut mappings: Vec<usize> = Vec::new(); // line of each open `{`
    let mut containers: Vec<char> = Vec::new();
    let mut last_string: Option<(usize, bool)> = None; // (start index, contains a break)
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '"' => {
                let start = i;
                let mut breaks = false;
                i += 1;
                while chars[i] != '"' {
                    match chars[i] {
                        '\\' => i += 2,
                        '\u{85}' => {
                            breaks = true;
                            line += 1;
                            i += 1;
                            let at_line_start = chars.get(i).is_some_and(|c| *c != ' ');
                            let indicator = chars
                                .get(i..i + 3)
                                .is_some_and(|w| w == ['-', '-', '-'] || w == ['.', '.', '.']);
                            let then_blank = matches!(chars.get(i + 3), Some(' ' | '\u{85}'));
                            if at_line_start && indicator && then_blank {
                                // a scanner error: reported one line further down
                                return Some(format!("yaml: line {}: found unexpected document indicator", line + 1));
                            }
                        }
                        _ => i += 1,
                    }
                }
                last_string = Some((start, breaks));
            }
            ':' if containers.last() == Some(&'{') => {
                let (start, breaks) = last_string.expect("a key precedes `:`");
                if breaks || i - start > MAX_FLOW_SIMPLE_KEY_CHARS {
                    let context = *mappings.last().expect("inside a mapping");
                    let shown = if line != 0 { line } else { context };
                    return Some(if shown != 0 {
                        format!("yaml: line {shown}: did not find expected ',' or '}}'")
                    } else {
                        "yaml: did not find expected ',' or '}'".to_string()
                    });
                }
            }
            '{' => {
                mappings.push(line);
                containers.push('{');
            }
            '[' => containers.push('['),
            '}' => {
                mappings.pop();
                containers.pop();
            }
            ']' => {
                containers.pop();
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// Characters go-yaml's reader refuses, among those Go's JSON encoder leaves unescaped.
fn rejected_by_yaml_reader(c: char) -> bool {
    matches!(c, '\u{7f}'..='\u{84}' | '\u{86}'..='\u{9f}' | '\u{fffe}' | '\u{ffff}')
}

fn any_string(v: &Value, pred: &impl Fn(&str) -> bool) -> bool {
    match v {
        Value::String(s) => pred(s),
        Value::Array(items) => items.iter().any(|v| any_string(v, pred)),
        Value::Object(map) => map.iter().any(|(k, v)| pred(k) || any_string(v, pred)),
        _ => false,
    }
}

// ---------------------------------------------------------------------------------------------
// The decoding side: what go-yaml's parser makes of the JSON text.

/// U+0085 (NEL) is the one line break Go's JSON encoder writes raw, and go-yaml's scanner
/// folds line breaks inside a double-quoted scalar: the blanks around a run of breaks vanish
/// and the run becomes a space (one break) or `n - 1` newlines (n breaks). So kubectl prints
/// `"a\u{85}b"` as `a b`. Spaces are the only other raw blanks in Go's JSON strings.
fn fold_raw_line_breaks(s: &str) -> String {
    if !s.contains('\u{85}') {
        return s.to_string();
    }
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != ' ' && chars[i] != '\u{85}' {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let start = i;
        let mut breaks = 0;
        while i < chars.len() && (chars[i] == ' ' || chars[i] == '\u{85}') {
            if chars[i] == '\u{85}' {
                breaks += 1;
            }
            i += 1;
        }
        match breaks {
            0 => out.extend(&chars[start..i]),
            1 => out.push(' '),
            n => out.extend(std::iter::repeat_n('\n', n - 1)),
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// The encoder side: what go-yaml's `marshal` turns each value into.

/// The style go-yaml's encoder asks the emitter for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Style {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
}

#[derive(Debug)]
struct Scalar {
    text: String,
    style: Style,
}

#[derive(Debug)]
enum Node {
    Scalar(Scalar),
    Seq(Vec<Node>),
    Map(Vec<(Scalar, Node)>),
}

impl Node {
    fn from_json(v: &Value) -> Node {
        match v {
            Value::Null => Node::plain("null"),
            Value::Bool(b) => Node::plain(if *b { "true" } else { "false" }),
            Value::Number(n) => Node::plain(&yaml_number(&go_number(n))),
            Value::String(s) => Node::Scalar(string_scalar(&fold_raw_line_breaks(s))),
            Value::Array(items) => Node::Seq(items.iter().map(Node::from_json).collect()),
            Value::Object(map) => {
                let mut entries: Vec<(Vec<char>, String, &Value)> = map
                    .iter()
                    .map(|(k, v)| {
                        let k = fold_raw_line_breaks(k);
                        (k.chars().collect(), k, v)
                    })
                    .collect();
                sort_keys(&mut entries, &|a, b| key_less(&a.0, &b.0));
                Node::Map(
                    entries
                        .into_iter()
                        .map(|(_, k, v)| (string_scalar(&k), Node::from_json(v)))
                        .collect(),
                )
            }
        }
    }

    fn plain(text: &str) -> Node {
        Node::Scalar(Scalar {
            text: text.to_string(),
            style: Style::Plain,
        })
    }
}

/// go-yaml's `stringv`: literal style for text with a newline, double quotes for text that
/// would not read back as a string, plain style otherwise (the emitter may still quote it).
fn string_scalar(s: &str) -> Scalar {
    let style = if s.contains('\n') {
        Style::Literal
    } else if resolves_to_non_string(s) || is_base60_float(s) {
        Style::DoubleQuoted
    } else {
        Style::Plain
    };
    Scalar {
        text: s.to_string(),
        style,
    }
}

/// A JSON number, as Go's `encoding/json` wrote it, after the round trip through go-yaml: the
/// resolver reads it back as an `int`, a `uint64` or a `float64`, and floats are re-printed
/// with `strconv.FormatFloat(f, 'g', -1, 64)`. So `1e20` (JSON `100000000000000000000`, too
/// big for either integer type) prints as `1e+20`, and `0.000001` as `1e-06`.
fn yaml_number(json_text: &str) -> String {
    if let Ok(i) = json_text.parse::<i64>() {
        return i.to_string();
    }
    if let Ok(u) = json_text.parse::<u64>() {
        return u.to_string();
    }
    match json_text.parse::<f64>() {
        Ok(f) if f.is_finite() => go_format_g(f),
        _ => json_text.to_string(),
    }
}

/// `strconv.FormatFloat(f, 'g', -1, 64)`: `%e` when the decimal exponent is below -4 or at
/// least 6 (Go uses precision 6 for that decision when printing shortest digits), else `%f`.
fn go_format_g(f: f64) -> String {
    let neg = f.is_sign_negative();
    let (digits, point) = shortest_digits(f);
    let exp = point - 1;
    if !(-4..6).contains(&exp) {
        format_exponent(neg, &digits, point)
    } else {
        format_fixed(neg, &digits, point)
    }
}

// ---------------------------------------------------------------------------------------------
// go-yaml's resolver (`resolve.go`): would this text, written plain, read back as a non-string?

/// The plain scalars go-yaml v2 maps to booleans, null, special floats (and the merge key,
/// which its first-character hint never lets it look up).
const RESOLVE_MAP: &[&str] = &[
    "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON", "n", "N", "no", "No", "NO", "false",
    "False", "FALSE", "off", "Off", "OFF", "", "~", "null", "Null", "NULL", ".nan", ".NaN", ".NAN", ".inf", ".Inf",
    ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF",
];

/// go-yaml v2 `resolve("", s)` returns a tag other than `!!str`.
///
/// The first byte picks the candidates: a sign or digit may be a timestamp, an integer (any Go
/// base prefix, `_` ignored) or a float; `.` may be a float; `yYnNtTfFoO~` only the fixed
/// words; `""` is null. Any other first byte means a string.
fn resolves_to_non_string(s: &str) -> bool {
    let hint = match s.bytes().next() {
        None => return true, // "" is null
        Some(b) => b,
    };
    let candidate = matches!(hint, b'+' | b'-' | b'0'..=b'9' | b'.') || b"yYnNtTfFoO~".contains(&hint);
    if !candidate {
        return false;
    }
    if RESOLVE_MAP.contains(&s) {
        return true;
    }
    match hint {
        b'.' => {
            // `strconv.ParseFloat(s)` on the text as it is: Go accepts `_` between digits
            let digits: String = s.chars().filter(|c| *c != '_').collect();
            (!s.contains('_') || go_underscores_ok(s)) && is_yaml_style_float(&digits) && go_parse_float_ok(&digits)
        }
        b'+' | b'-' | b'0'..=b'9' => {
            if is_go_yaml_timestamp(s) {
                return true;
            }
            let plain: String = s.chars().filter(|c| *c != '_').collect();
            go_parse_int_base0(&plain)
                || go_parse_uint_base0(&plain).is_some()
                || (is_yaml_style_float(&plain) && go_parse_float_ok(&plain))
        }
        _ => false,
    }
}

/// `strconv.ParseUint(s, 0, 64)` succeeds (with `s` already free of underscores).
fn go_parse_uint_base0(s: &str) -> Option<u64> {
    if s.is_empty() {
        return None;
    }
    let b = s.as_bytes();
    let (base, digits) = if b[0] == b'0' {
        match b.get(1).map(|c| c.to_ascii_lowercase()) {
            Some(b'b') if b.len() >= 3 => (2, &s[2..]),
            Some(b'o') if b.len() >= 3 => (8, &s[2..]),
            Some(b'x') if b.len() >= 3 => (16, &s[2..]),
            _ => (8, &s[1..]),
        }
    } else {
        (10, s)
    };
    let mut n: u64 = 0;
    for c in digits.chars() {
        let d = c.to_digit(base)?;
        n = n.checked_mul(base as u64)?.checked_add(d as u64)?;
    }
    Some(n)
}

/// `strconv.ParseInt(s, 0, 64)` succeeds.
fn go_parse_int_base0(s: &str) -> bool {
    let (neg, rest) = match s.as_bytes().first() {
        Some(b'+') => (false, &s[1..]),
        Some(b'-') => (true, &s[1..]),
        _ => (false, s),
    };
    match go_parse_uint_base0(rest) {
        Some(u) if neg => u <= 1 << 63,
        Some(u) => u <= i64::MAX as u64,
        None => false,
    }
}

/// go-yaml's `yamlStyleFloat`: `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`.
fn is_yaml_style_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - start
    };
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        i += 1;
    }
    if i < b.len() && b[i] == b'.' {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    } else {
        if digits(&mut i) == 0 {
            return false;
        }
        if i < b.len() && b[i] == b'.' {
            i += 1;
            digits(&mut i);
        }
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// Go's `strconv.underscoreOK`: every `_` sits between two digits (a base prefix counts as a
/// digit).
fn go_underscores_ok(s: &str) -> bool {
    let mut b = s.as_bytes();
    if let Some(b'+' | b'-') = b.first() {
        b = &b[1..];
    }
    let mut saw = b'^';
    let mut i = 0;
    let mut hex = false;
    if b.len() >= 2 && b[0] == b'0' && matches!(b[1].to_ascii_lowercase(), b'b' | b'o' | b'x') {
        i = 2;
        saw = b'0';
        hex = b[1].eq_ignore_ascii_case(&b'x');
    }
    while i < b.len() {
        let c = b[i];
        i += 1;
        if c.is_ascii_digit() || (hex && c.is_ascii_hexdigit()) {
            saw = b'0';
        } else if c == b'_' {
            if saw != b'0' {
                return false;
            }
            saw = b'_';
        } else if saw == b'_' {
            return false;
        } else {
            saw = b'!';
        }
    }
    saw != b'_'
}

/// `strconv.ParseFloat(s, 64)` returns no error for text already matching
/// [`is_yaml_style_float`]: only overflow to infinity is an error.
fn go_parse_float_ok(s: &str) -> bool {
    s.parse::<f64>().is_ok_and(f64::is_finite)
}

/// go-yaml's `isBase60Float`: `^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$`. go-yaml
/// no longer reads these as numbers but still quotes them for older parsers.
fn is_base60_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        i += 1;
    }
    if i >= b.len() || !b[i].is_ascii_digit() {
        return false;
    }
    while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'_') {
        i += 1;
    }
    let mut groups = 0;
    while i < b.len() && b[i] == b':' {
        i += 1;
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        match i - start {
            1 => {}
            2 if b[start] <= b'5' => {}
            _ => return false,
        }
        groups += 1;
    }
    if groups == 0 {
        return false;
    }
    if i < b.len() && b[i] == b'.' {
        i += 1;
        while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'_') {
            i += 1;
        }
    }
    i == b.len()
}

/// go-yaml's `parseTimestamp`: `YYYY-` followed by one of the layouts
/// `2006-1-2T15:4:5.999999999Z07:00` (also with a lowercase `t`), `2006-1-2 15:4:5.999999999`
/// or `2006-1-2`, as Go's `time.Parse` accepts them (one- or two-digit fields, range checks,
/// an optional fraction with `.` or `,`, one or more spaces for the layout's space).
fn is_go_yaml_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 5 || !b[..4].iter().all(u8::is_ascii_digit) || b[4] != b'-' {
        return false;
    }
    [Layout::Upper, Layout::Lower, Layout::Space, Layout::DateOnly]
        .into_iter()
        .any(|layout| parse_timestamp(b, layout).is_some())
}

#[derive(Clone, Copy)]
enum Layout {
    Upper,
    Lower,
    Space,
    DateOnly,
}

/// Go `time` `getnum(s, false)`: one or two digits.
fn getnum(b: &[u8], i: &mut usize) -> Option<u32> {
    let first = *b.get(*i).filter(|c| c.is_ascii_digit())?;
    *i += 1;
    let mut n = u32::from(first - b'0');
    if let Some(&c) = b.get(*i).filter(|c| c.is_ascii_digit()) {
        n = n * 10 + u32::from(c - b'0');
        *i += 1;
    }
    Some(n)
}

fn expect(b: &[u8], i: &mut usize, c: u8) -> Option<()> {
    (b.get(*i) == Some(&c)).then(|| *i += 1)
}

fn parse_timestamp(b: &[u8], layout: Layout) -> Option<()> {
    let year: u32 = std::str::from_utf8(&b[..4]).ok()?.parse().ok()?;
    let mut i = 5;
    let month = getnum(b, &mut i)?;
    if !(1..=12).contains(&month) {
        return None;
    }
    expect(b, &mut i, b'-')?;
    let day = getnum(b, &mut i)?;
    match layout {
        Layout::DateOnly => {}
        Layout::Upper | Layout::Lower | Layout::Space => {
            match layout {
                Layout::Upper => expect(b, &mut i, b'T')?,
                Layout::Lower => expect(b, &mut i, b't')?,
                _ => {
                    // a layout space matches one or more spaces
                    expect(b, &mut i, b' ')?;
                    while b.get(i) == Some(&b' ') {
                        i += 1;
                    }
                }
            }
            if getnum(b, &mut i)? >= 24 {
                return None;
            }
            expect(b, &mut i, b':')?;
            if getnum(b, &mut i)? >= 60 {
                return None;
            }
            expect(b, &mut i, b':')?;
            if getnum(b, &mut i)? >= 60 {
                return None;
            }
            // optional fraction: `.` or `,` and at least one digit, any number of digits
            if matches!(b.get(i), Some(b'.' | b',')) && b.get(i + 1).is_some_and(u8::is_ascii_digit) {
                i += 1;
                while b.get(i).is_some_and(u8::is_ascii_digit) {
                    i += 1;
                }
            }
            if !matches!(layout, Layout::Space) {
                // `Z07:00`: `Z`, or `±hh:mm` (hours up to 24, minutes up to 60)
                if b.get(i) == Some(&b'Z') {
                    i += 1;
                } else {
                    let tz = b.get(i..i + 6)?;
                    let two = |p: &[u8]| -> Option<u32> {
                        (p[0].is_ascii_digit() && p[1].is_ascii_digit())
                            .then(|| u32::from(p[0] - b'0') * 10 + u32::from(p[1] - b'0'))
                    };
                    if tz[3] != b':' || !matches!(tz[0], b'+' | b'-') {
                        return None;
                    }
                    if two(&tz[1..3])? > 24 || two(&tz[4..6])? > 60 {
                        return None;
                    }
                    i += 6;
                }
            }
        }
    }
    if i != b.len() {
        return None;
    }
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days_in_month = match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    (1..=days_in_month).contains(&day).then_some(())
}

// ---------------------------------------------------------------------------------------------
// go-yaml's key order (`sorter.go`).

/// Letters that Rust's `is_alphabetic` accepts but Go's `unicode.IsLetter` (general category
/// L) does not: letter numbers (category Nl, such as `Ⅷ`) and the circled Latin letters.
const ALPHABETIC_NON_LETTERS: &[(u32, u32)] = &[
    (0x16ee, 0x16f0),
    (0x2160, 0x2188),
    (0x24b6, 0x24e9),
    (0x3007, 0x3007),
    (0x3021, 0x3029),
    (0x3038, 0x303a),
    (0xa6e6, 0xa6ef),
    (0x10140, 0x10174),
    (0x10341, 0x10341),
    (0x1034a, 0x1034a),
    (0x103d1, 0x103d5),
    (0x12400, 0x1246e),
];

/// The zero of every run of ten decimal digits (category Nd) beyond Latin-1, Unicode 15.
const DECIMAL_DIGIT_ZEROS: &[u32] = &[
    0x0660, 0x06f0, 0x07c0, 0x0966, 0x09e6, 0x0a66, 0x0ae6, 0x0b66, 0x0be6, 0x0c66, 0x0ce6, 0x0d66, 0x0de6, 0x0e50,
    0x0ed0, 0x0f20, 0x1040, 0x1090, 0x17e0, 0x1810, 0x1946, 0x19d0, 0x1a80, 0x1a90, 0x1b50, 0x1bb0, 0x1c40, 0x1c50,
    0xa620, 0xa8d0, 0xa900, 0xa9d0, 0xa9f0, 0xaa50, 0xabf0, 0xff10, 0x104a0, 0x10d30, 0x11066, 0x110f0, 0x11136,
    0x111d0, 0x112f0, 0x11450, 0x114d0, 0x11650, 0x116c0, 0x11730, 0x118e0, 0x11950, 0x11c50, 0x11d50, 0x11da0,
    0x11f50, 0x16a60, 0x16ac0, 0x16b50, 0x1d7ce, 0x1d7d8, 0x1d7e2, 0x1d7ec, 0x1d7f6, 0x1e140, 0x1e2f0, 0x1e4f0,
    0x1e950, 0x1fbf0,
];

/// Go's `unicode.IsLetter` (general category L). Rust has no general-category query; its
/// `is_alphabetic` minus the letter numbers and circled letters above is exact for ASCII and
/// Latin-1 and close elsewhere (it still accepts the few combining marks that Unicode counts
/// as alphabetic).
fn is_letter(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphabetic();
    }
    let v = c as u32;
    c.is_alphabetic() && !ALPHABETIC_NON_LETTERS.iter().any(|&(lo, hi)| (lo..=hi).contains(&v))
}

/// Go's `unicode.IsDigit`: `0`-`9` in Latin-1, any decimal digit (Nd) beyond.
fn is_digit(c: char) -> bool {
    let v = c as u32;
    if v <= 0xff {
        c.is_ascii_digit()
    } else {
        DECIMAL_DIGIT_ZEROS.iter().any(|&z| (z..z + 10).contains(&v))
    }
}

/// go-yaml v2 `keyList.Less` for two string keys: compare char by char; at the first
/// difference, two letters compare by code point, a letter sorts after a non-letter, and
/// otherwise the digit runs starting there compare as numbers (then by run length, then by
/// the differing char).
fn key_less(a: &[char], b: &[char]) -> bool {
    for i in 0..a.len().min(b.len()) {
        if a[i] == b[i] {
            continue;
        }
        let al = is_letter(a[i]);
        let bl = is_letter(b[i]);
        if al && bl {
            return a[i] < b[i];
        }
        if al || bl {
            return bl;
        }
        let mut an: i64 = 0;
        let mut bn: i64 = 0;
        if a[i] == '0' || b[i] == '0' {
            // inside a number whose earlier digits are not all zeros, a zero is just a digit
            for j in (0..i).rev() {
                if !is_digit(a[j]) {
                    break;
                }
                if a[j] != '0' {
                    an = 1;
                    bn = 1;
                    break;
                }
            }
        }
        let run = |s: &[char], n: &mut i64| {
            let mut k = i;
            while k < s.len() && is_digit(s[k]) {
                // Go: int64 arithmetic on `rune - '0'`, wrapping on overflow
                *n = n
                    .wrapping_mul(10)
                    .wrapping_add(i64::from(s[k] as u32) - i64::from('0' as u32));
                k += 1;
            }
            k
        };
        let ai = run(a, &mut an);
        let bi = run(b, &mut bn);
        if an != bn {
            return an < bn;
        }
        if ai != bi {
            return ai < bi;
        }
        return a[i] < b[i];
    }
    a.len() < b.len()
}

/// Orders map keys with go-yaml's `keyList.Less`.
///
/// `keyList.Less` is not transitive when digit runs of different lengths meet letters
/// (`_2_` < `_12` < `_1B` but `_1B` < `_2_`). For such key sets real kubectl is not even
/// deterministic, because go-yaml sorts keys taken from a Go map in random iteration order;
/// any deterministic order is as faithful as another. What matters is to agree whenever the
/// order is consistent (true for every realistic Kubernetes key set) and never to panic, which
/// Rust's `sort_by` may do on an inconsistent comparison. Hence this plain merge sort.
fn sort_keys<T: Clone>(items: &mut [T], less: &impl Fn(&T, &T) -> bool) {
    if items.len() <= 1 {
        return;
    }
    let mid = items.len() / 2;
    sort_keys(&mut items[..mid], less);
    sort_keys(&mut items[mid..], less);
    let mut merged = Vec::with_capacity(items.len());
    let (mut i, mut j) = (0, mid);
    while i < mid && j < items.len() {
        if less(&items[j], &items[i]) {
            merged.push(items[j].clone());
            j += 1;
        } else {
            merged.push(items[i].clone());
            i += 1;
        }
    }
    merged.extend_from_slice(&items[i..mid]);
    merged.extend_from_slice(&items[j..]);
    items.clone_from_slice(&merged);
}

// ---------------------------------------------------------------------------------------------
// The emitter (`emitterc.go`).

const BEST_INDENT: i32 = 2;
const BEST_WIDTH: usize = 80;
/// Longest key (in bytes) the emitter writes as a simple `key: value`.
const MAX_SIMPLE_KEY_LEN: usize = 128;

/// libyaml's printable set: `\n`, ASCII printable, U+00A0..U+D7FF, U+E000..U+FFFD except the
/// BOM. Notably tabs, `\r`, DEL, C1 controls and everything beyond the BMP (emoji) are not.
fn is_printable(c: char) -> bool {
    matches!(c, '\n' | ' '..='~' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}') && c != '\u{feff}'
}

fn is_break(c: char) -> bool {
    matches!(c, '\r' | '\n' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

fn is_blank(c: char) -> bool {
    c == ' ' || c == '\t'
}

fn is_blankz(c: char) -> bool {
    is_blank(c) || is_break(c) || c == '\0'
}

/// What the emitter's scalar analysis allows for one value.
struct Analysis {
    multiline: bool,
    flow_plain_allowed: bool,
    block_plain_allowed: bool,
    single_quoted_allowed: bool,
    block_allowed: bool,
}

/// `yaml_emitter_analyze_scalar`.
fn analyze(value: &[char]) -> Analysis {
    if value.is_empty() {
        return Analysis {
            multiline: false,
            flow_plain_allowed: false,
            block_plain_allowed: true,
            single_quoted_allowed: true,
            block_allowed: false,
        };
    }
    let mut block_indicators = false;
    let mut flow_indicators = false;
    let mut line_breaks = false;
    let mut special_characters = false;
    let mut leading_space = false;
    let mut leading_break = false;
    let mut trailing_space = false;
    let mut trailing_break = false;
    let mut break_space = false;
    let mut space_break = false;
    let mut previous_space = false;
    let mut previous_break = false;

    if value.starts_with(&['-', '-', '-']) || value.starts_with(&['.', '.', '.']) {
        block_indicators = true;
        flow_indicators = true;
    }
    let mut preceded_by_whitespace = true;
    let n = value.len();
    for (i, &c) in value.iter().enumerate() {
        let followed_by_whitespace = i + 1 >= n || is_blank(value[i + 1]);
        if i == 0 {
            match c {
                '#' | ',' | '[' | ']' | '{' | '}' | '&' | '*' | '!' | '|' | '>' | '\'' | '"' | '%' | '@' | '`' => {
                    flow_indicators = true;
                    block_indicators = true;
                }
                '?' | ':' => {
                    flow_indicators = true;
                    if followed_by_whitespace {
                        block_indicators = true;
                    }
                }
                '-' if followed_by_whitespace => {
                    flow_indicators = true;
                    block_indicators = true;
                }
                _ => {}
            }
        } else {
            match c {
                ',' | '?' | '[' | ']' | '{' | '}' => flow_indicators = true,
                ':' => {
                    flow_indicators = true;
                    if followed_by_whitespace {
                        block_indicators = true;
                    }
                }
                '#' if preceded_by_whitespace => {
                    flow_indicators = true;
                    block_indicators = true;
                }
                _ => {}
            }
        }

        if !is_printable(c) {
            special_characters = true;
        }
        if c == ' ' {
            if i == 0 {
                leading_space = true;
            }
            if i + 1 == n {
                trailing_space = true;
            }
            if previous_break {
                break_space = true;
            }
            previous_space = true;
            previous_break = false;
        } else if is_break(c) {
            line_breaks = true;
            if i == 0 {
                leading_break = true;
            }
            if i + 1 == n {
                trailing_break = true;
            }
            if previous_space {
                space_break = true;
            }
            previous_space = false;
            previous_break = true;
        } else {
            previous_space = false;
            previous_break = false;
        }
        preceded_by_whitespace = is_blankz(c);
    }

    let mut a = Analysis {
        multiline: line_breaks,
        flow_plain_allowed: true,
        block_plain_allowed: true,
        single_quoted_allowed: true,
        block_allowed: true,
    };
    if leading_space || leading_break || trailing_space || trailing_break {
        a.flow_plain_allowed = false;
        a.block_plain_allowed = false;
    }
    if trailing_space {
        a.block_allowed = false;
    }
    if break_space {
        a.flow_plain_allowed = false;
        a.block_plain_allowed = false;
        a.single_quoted_allowed = false;
    }
    if space_break || special_characters {
        a.flow_plain_allowed = false;
        a.block_plain_allowed = false;
        a.single_quoted_allowed = false;
        a.block_allowed = false;
    }
    if line_breaks {
        a.flow_plain_allowed = false;
        a.block_plain_allowed = false;
    }
    if flow_indicators {
        a.flow_plain_allowed = false;
    }
    if block_indicators {
        a.block_plain_allowed = false;
    }
    a
}

/// The emitter state that influences the text (libyaml names).
struct Emitter {
    out: String,
    /// Column of the next char, counted in chars.
    column: usize,
    indent: i32,
    indents: Vec<i32>,
    /// The last thing written was whitespace (or nothing on this line yet).
    whitespace: bool,
    /// Only indentation (spaces and `-`/`?` indicators) has been written on this line.
    indention: bool,
    flow_level: usize,
    mapping_context: bool,
    simple_key_context: bool,
}

impl Emitter {
    fn new() -> Self {
        Emitter {
            out: String::new(),
            column: 0,
            indent: -1,
            indents: Vec::new(),
            whitespace: true,
            indention: true,
            flow_level: 0,
            mapping_context: false,
            simple_key_context: false,
        }
    }

    fn put(&mut self, c: char) {
        self.out.push(c);
        self.column += 1;
    }

    fn put_break(&mut self) {
        self.out.push('\n');
        self.column = 0;
    }

    fn write_break(&mut self, c: char) {
        if c == '\n' {
            self.put_break();
        } else {
            self.out.push(c);
            self.column = 0;
        }
    }

    fn increase_indent(&mut self, flow: bool, indentless: bool) {
        self.indents.push(self.indent);
        if self.indent < 0 {
            self.indent = if flow { BEST_INDENT } else { 0 };
        } else if !indentless {
            self.indent += BEST_INDENT;
        }
    }

    fn restore_indent(&mut self) {
        self.indent = self.indents.pop().expect("balanced indents");
    }

    fn write_indent(&mut self) {
        let indent = self.indent.max(0) as usize;
        if !self.indention || self.column > indent || (self.column == indent && !self.whitespace) {
            self.put_break();
        }
        while self.column < indent {
            self.put(' ');
        }
        self.whitespace = true;
        self.indention = true;
    }

    fn write_indicator(&mut self, indicator: char, need_whitespace: bool, is_whitespace: bool, is_indention: bool) {
        if need_whitespace && !self.whitespace {
            self.put(' ');
        }
        self.put(indicator);
        self.whitespace = is_whitespace;
        self.indention = self.indention && is_indention;
    }

    /// `yaml_emitter_emit_node`: records whether the node is a mapping key or value and
    /// whether it is written as a simple key (those two flags steer later decisions).
    fn emit_node(&mut self, node: &Node, mapping: bool, simple_key: bool) {
        self.mapping_context = mapping;
        self.simple_key_context = simple_key;
        match node {
            Node::Scalar(s) => self.emit_scalar(s),
            Node::Seq(items) if items.is_empty() => self.emit_empty_flow('[', ']'),
            Node::Map(entries) if entries.is_empty() => self.emit_empty_flow('{', '}'),
            Node::Seq(items) => self.emit_block_sequence(items),
            Node::Map(entries) => self.emit_block_mapping(entries),
        }
    }

    /// Empty collections are the only flow collections go-yaml writes for kubectl: libyaml
    /// switches to flow style when a collection ends right after it starts.
    fn emit_empty_flow(&mut self, open: char, close: char) {
        self.write_indicator(open, true, true, false);
        self.write_indicator(close, false, false, false);
    }

    fn emit_block_sequence(&mut self, items: &[Node]) {
        // A sequence that is a mapping value (written right after `key:`) is not indented.
        let indentless = self.mapping_context && !self.indention;
        self.increase_indent(false, indentless);
        for item in items {
            self.write_indent();
            self.write_indicator('-', true, false, true);
            self.emit_node(item, false, false);
        }
        self.restore_indent();
    }

    fn emit_block_mapping(&mut self, entries: &[(Scalar, Node)]) {
        self.increase_indent(false, false);
        for (key, value) in entries {
            self.write_indent();
            // `yaml_emitter_check_simple_key`: one line and at most 128 bytes
            let multiline = key.text.chars().any(is_break);
            if !multiline && key.text.len() <= MAX_SIMPLE_KEY_LEN {
                self.emit_key(key, true);
                self.write_indicator(':', false, false, false);
            } else {
                self.write_indicator('?', true, false, true);
                self.emit_key(key, false);
                self.write_indent();
                self.write_indicator(':', true, false, true);
            }
            self.emit_node(value, true, false);
        }
        self.restore_indent();
    }

    fn emit_key(&mut self, key: &Scalar, simple: bool) {
        self.mapping_context = true;
        self.simple_key_context = simple;
        self.emit_scalar(key);
    }

    /// `yaml_emitter_select_scalar_style`: the encoder's wish, overruled where the analysis
    /// forbids it.
    fn select_style(&self, requested: Style, value: &[char], a: &Analysis) -> Style {
        let mut style = requested;
        if self.simple_key_context && a.multiline {
            style = Style::DoubleQuoted;
        }
        if style == Style::Plain {
            if (self.flow_level > 0 && !a.flow_plain_allowed) || (self.flow_level == 0 && !a.block_plain_allowed) {
                style = Style::SingleQuoted;
            }
            if value.is_empty() && (self.flow_level > 0 || self.simple_key_context) {
                style = Style::SingleQuoted;
            }
        }
        if style == Style::SingleQuoted && !a.single_quoted_allowed {
            style = Style::DoubleQuoted;
        }
        if style == Style::Literal && (!a.block_allowed || self.flow_level > 0 || self.simple_key_context) {
            style = Style::DoubleQuoted;
        }
        style
    }

    fn emit_scalar(&mut self, s: &Scalar) {
        let value: Vec<char> = s.text.chars().collect();
        let analysis = analyze(&value);
        let style = self.select_style(s.style, &value, &analysis);
        self.increase_indent(true, false);
        let allow_breaks = !self.simple_key_context;
        match style {
            Style::Plain => self.write_plain(&value, allow_breaks),
            Style::SingleQuoted => self.write_single_quoted(&value, allow_breaks),
            Style::DoubleQuoted => self.write_double_quoted(&value, allow_breaks),
            Style::Literal => self.write_literal(&value),
        }
        self.restore_indent();
    }

    fn write_plain(&mut self, value: &[char], allow_breaks: bool) {
        if !self.whitespace {
            self.put(' ');
        }
        let mut spaces = false;
        let mut breaks = false;
        for (i, &c) in value.iter().enumerate() {
            if c == ' ' {
                let next_is_space = value.get(i + 1) == Some(&' ');
                if allow_breaks && !spaces && self.column > BEST_WIDTH && !next_is_space {
                    self.write_indent();
                } else {
                    self.put(c);
                }
                spaces = true;
            } else if is_break(c) {
                if !breaks && c == '\n' {
                    self.put_break();
                }
                self.write_break(c);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                self.put(c);
                self.indention = false;
                spaces = false;
                breaks = false;
            }
        }
        self.whitespace = false;
        self.indention = false;
    }

    fn write_single_quoted(&mut self, value: &[char], allow_breaks: bool) {
        self.write_indicator('\'', true, false, false);
        let mut spaces = false;
        let mut breaks = false;
        let n = value.len();
        for (i, &c) in value.iter().enumerate() {
            if c == ' ' {
                let next_is_space = value.get(i + 1) == Some(&' ');
                if allow_breaks && !spaces && self.column > BEST_WIDTH && i > 0 && i + 1 < n && !next_is_space {
                    self.write_indent();
                } else {
                    self.put(c);
                }
                spaces = true;
            } else if is_break(c) {
                if !breaks && c == '\n' {
                    self.put_break();
                }
                self.write_break(c);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                if c == '\'' {
                    self.put('\'');
                }
                self.put(c);
                self.indention = false;
                spaces = false;
                breaks = false;
            }
        }
        self.write_indicator('\'', false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn write_double_quoted(&mut self, value: &[char], allow_breaks: bool) {
        self.write_indicator('"', true, false, false);
        let mut spaces = false;
        let n = value.len();
        for (i, &c) in value.iter().enumerate() {
            if !is_printable(c) || c == '\u{feff}' || is_break(c) || c == '"' || c == '\\' {
                self.put('\\');
                match c {
                    '\0' => self.put('0'),
                    '\u{7}' => self.put('a'),
                    '\u{8}' => self.put('b'),
                    '\t' => self.put('t'),
                    '\n' => self.put('n'),
                    '\u{b}' => self.put('v'),
                    '\u{c}' => self.put('f'),
                    '\r' => self.put('r'),
                    '\u{1b}' => self.put('e'),
                    '"' => self.put('"'),
                    '\\' => self.put('\\'),
                    '\u{85}' => self.put('N'),
                    '\u{a0}' => self.put('_'),
                    '\u{2028}' => self.put('L'),
                    '\u{2029}' => self.put('P'),
                    _ => {
                        let v = c as u32;
                        let (letter, width) = if v <= 0xff {
                            ('x', 2)
                        } else if v <= 0xffff {
                            ('u', 4)
                        } else {
                            ('U', 8)
                        };
                        self.put(letter);
                        for k in (0..width).rev() {
                            let digit = (v >> (4 * k)) & 0xf;
                            self.put(char::from_digit(digit, 16).unwrap().to_ascii_uppercase());
                        }
                    }
                }
                spaces = false;
            } else if c == ' ' {
                if allow_breaks && !spaces && self.column > BEST_WIDTH && i > 0 && i + 1 < n {
                    self.write_indent();
                    if value.get(i + 1) == Some(&' ') {
                        self.put('\\');
                    }
                } else {
                    self.put(c);
                }
                spaces = true;
            } else {
                self.put(c);
                spaces = false;
            }
        }
        self.write_indicator('"', false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    /// `|` with the indentation hint (when the text starts with a space or a break) and the
    /// chomping hint: `-` without a final break, `+` with two or more (or only one char).
    fn write_block_scalar_hints(&mut self, value: &[char]) {
        if value.first().is_some_and(|&c| c == ' ' || is_break(c)) {
            let hint = char::from_digit(BEST_INDENT as u32, 10).expect("a single digit");
            self.write_indicator(hint, false, false, false);
        }
        let chomp = match value {
            [] => Some('-'),
            [.., last] if !is_break(*last) => Some('-'),
            [_] => Some('+'),
            [.., before, _] if is_break(*before) => Some('+'),
            _ => None,
        };
        if let Some(chomp) = chomp {
            self.write_indicator(chomp, false, false, false);
        }
    }

    fn write_literal(&mut self, value: &[char]) {
        self.write_indicator('|', true, false, false);
        self.write_block_scalar_hints(value);
        self.put_break();
        self.indention = true;
        self.whitespace = true;
        let mut breaks = true;
        for &c in value {
            if is_break(c) {
                self.write_break(c);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                self.put(c);
                self.indention = false;
                breaks = false;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn value_line(s: &str) -> String {
        let y = to_yaml(&json!({ "k": s }));
        y.strip_prefix("k:").unwrap_or(&y).to_string()
    }

    #[test]
    fn layout_of_maps_and_sequences() {
        let v = json!({
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"creationTimestamp": null, "labels": {"run": "x"}, "name": "x"},
            "spec": {"containers": [
                {"image": "nginx", "name": "x", "ports": [{"containerPort": 80}], "resources": {}}
            ], "volumes": []},
            "status": {}
        });
        let want = "\
apiVersion: v1
kind: Pod
metadata:
  creationTimestamp: null
  labels:
    run: x
  name: x
spec:
  containers:
  - image: nginx
    name: x
    ports:
    - containerPort: 80
    resources: {}
  volumes: []
status: {}
";
        assert_eq!(to_yaml(&v), want);
    }

    #[test]
    fn nested_sequences() {
        let v = json!({"l": [[1, 2], [], {"a": [1]}, [[3]], {}]});
        assert_eq!(to_yaml(&v), "l:\n- - 1\n  - 2\n- []\n- a:\n  - 1\n- - - 3\n- {}\n");
    }

    #[test]
    fn top_level_values() {
        assert_eq!(to_yaml(&json!({})), "{}\n");
        assert_eq!(to_yaml(&json!([])), "[]\n");
        assert_eq!(to_yaml(&json!(null)), "null\n");
        assert_eq!(to_yaml(&json!([1, "a"])), "- 1\n- a\n");
        assert_eq!(to_yaml(&json!("x")), "x\n");
    }

    #[test]
    fn quoting_of_ambiguous_strings() {
        let quoted = [
            "",
            "1",
            "12345",
            "-1",
            "+1",
            "0x1F",
            "0o17",
            "0b101",
            "017",
            "08",
            "1_000",
            "1.5",
            ".5",
            ".5_5",
            ".5e1_0",
            "1e3",
            "1E-3",
            "1.",
            "true",
            "True",
            "yes",
            "Y",
            "n",
            "NO",
            "on",
            "Off",
            "~",
            "null",
            "NULL",
            ".inf",
            "-.Inf",
            ".NaN",
            "1:20",
            "-1:20:30.5",
            "190:20:30",
            "2025-01-01",
            "2025-1-2",
            "2025-01-01T10:00:00Z",
            "2025-01-01t10:00:00.5+02:00",
            "2025-01-01 10:00:00",
            "2024-02-29",
        ];
        for s in quoted {
            assert_eq!(value_line(s), format!(" \"{s}\"\n"), "{s:?} must be double-quoted");
        }
        let plain = [
            "nginx",
            "25%",
            "<<",
            "yes please",
            "0x",
            "1e",
            "1.2.3",
            "-",
            "1:60",
            "1:200",
            "2025-13-01",
            "2023-02-29",
            "2025-01-01T25:00:00Z",
            "2025-01-01T10:00:00",
            "2025-01-01 10:00:00Z",
            ".e5",
            "._5",
            ".5_",
            "Null-ish",
            "10.96.0.1",
            "+",
            "_1",
            "1-2",
            "/dev/termination-log",
            "a: b",
            "1e400",
        ];
        for s in plain {
            let line = value_line(s);
            assert!(!line.starts_with(" \""), "{s:?} must not be double-quoted: {line}");
        }
    }

    #[test]
    fn emitter_quoting() {
        let cases: &[(&str, &str)] = &[
            ("foo: bar", " 'foo: bar'\n"),
            ("a #b", " 'a #b'\n"),
            ("a#b", " a#b\n"),
            ("foo:", " 'foo:'\n"),
            ("foo:bar", " foo:bar\n"),
            ("*star", " '*star'\n"),
            ("&a", " '&a'\n"),
            ("!tag", " '!tag'\n"),
            ("- x", " '- x'\n"),
            ("-x", " -x\n"),
            ("? x", " '? x'\n"),
            ("?x", " ?x\n"),
            (":x", " :x\n"),
            ("@x", " '@x'\n"),
            ("`x", " '`x'\n"),
            ("%x", " '%x'\n"),
            ("---", " '---'\n"),
            ("...x", " '...x'\n"),
            ("{x}", " '{x}'\n"),
            ("a{x}", " a{x}\n"),
            ("it's", " it's\n"),
            ("'q'", " '''q'''\n"),
            ("\"q\"", " '\"q\"'\n"),
            (" lead", " ' lead'\n"),
            ("trail ", " 'trail '\n"),
            ("tab\there", " \"tab\\there\"\n"),
            ("cr\r", " \"cr\\r\"\n"),
            ("bell\u{7}", " \"bell\\a\"\n"),
            ("esc\u{1b}", " \"esc\\e\"\n"),
            ("nul\u{0}", " \"nul\\0\"\n"),
            ("ctl\u{1}", " \"ctl\\x01\"\n"),
            ("del\u{7f}", " \"del\\x7F\"\n"),
            // U+0085 is folded by the JSON -> YAML decoding before the emitter sees it
            ("nel\u{85}", " 'nel '\n"),
            ("a\u{85}b", " a b\n"),
            ("a \u{85} \u{85}  b", " |-\n  a\n  b\n"),
            ("c1\u{9f}", " \"c1\\x9F\"\n"),
            ("bom\u{feff}", " \"bom\\uFEFF\"\n"),
            ("emoji 😀", " \"emoji \\U0001F600\"\n"),
            ("héllo wörld", " héllo wörld\n"),
            ("nbsp\u{a0}x", " nbsp\u{a0}x\n"),
            ("日本語", " 日本語\n"),
            ("back\\slash", " back\\slash\n"),
        ];
        for (s, want) in cases {
            assert_eq!(value_line(s), *want, "{s:?}");
        }
    }

    #[test]
    fn literal_blocks() {
        let cases: &[(&str, &str)] = &[
            ("l1\nl2", " |-\n  l1\n  l2\n"),
            ("l1\nl2\n", " |\n  l1\n  l2\n"),
            ("l1\nl2\n\n", " |+\n  l1\n  l2\n\n"),
            ("\n", " |2+\n\n"),
            ("a\n\nb", " |-\n  a\n\n  b\n"),
            (" indented\nx", " |2-\n   indented\n  x\n"),
            ("\nleading", " |2-\n\n  leading\n"),
            // a space before a line break forbids block and plain styles
            ("a \nb", " \"a \\nb\"\n"),
            // so do tabs (not printable for libyaml)
            ("a\tb\nc", " \"a\\tb\\nc\"\n"),
            // a space after a break is fine in a block
            ("a\n b", " |-\n  a\n   b\n"),
        ];
        for (s, want) in cases {
            assert_eq!(value_line(s), *want, "{s:?}");
        }
        // inside a sequence the block is indented from the dash
        assert_eq!(to_yaml(&json!({"args": ["a\nb"]})), "args:\n- |-\n  a\n  b\n");
    }

    #[test]
    fn folding_long_scalars() {
        let words = vec!["word"; 40].join(" ");
        assert_eq!(
            to_yaml(&json!({ "f": words })),
            "f: word word word word word word word word word word word word word word word word\n  \
             word word word word word word word word word word word word word word word word\n  \
             word word word word word word word word\n"
        );
        // no space past column 80: no fold
        let long = "x".repeat(200);
        assert_eq!(to_yaml(&json!({ "f": long })), format!("f: {long}\n"));
        // runs of two spaces never fold at their first space
        let s = format!("{}  y", "x".repeat(85));
        assert_eq!(to_yaml(&json!({ "f": s })), format!("f: {s}\n"));
        // keys never fold
        let key = vec!["k"; 60].join(" ");
        assert_eq!(to_yaml(&json!({ key.clone(): 1 })), format!("{key}: 1\n"));
    }

    #[test]
    fn long_keys_use_explicit_key_syntax() {
        let key = "a".repeat(129);
        assert_eq!(to_yaml(&json!({ key.clone(): "v" })), format!("? {key}\n: v\n"));
        let key = "b".repeat(128);
        assert_eq!(to_yaml(&json!({ key.clone(): "v" })), format!("{key}: v\n"));
    }

    #[test]
    fn numbers_go_through_the_yaml_resolver() {
        let v = json!({
            "a": 1, "b": -5, "c": 1.5, "d": 1e21, "e": 1234567.5, "f": 0.000001,
            "g": u64::MAX, "h": 1e20, "i": 2.0, "j": 0.0001, "k": 0.00001, "l": 1e19,
            "m": 123456.5, "n": -0.0
        });
        let want = "\
a: 1
b: -5
c: 1.5
d: 1e+21
e: 1.2345675e+06
f: 1e-06
g: 18446744073709551615
h: 1e+20
i: 2
j: 0.0001
k: 1e-05
l: 10000000000000000000
m: 123456.5
\"n\": 0
";
        assert_eq!(to_yaml(&v), want);
    }

    #[test]
    fn characters_kubectl_cannot_print() {
        for bad in ["del\u{7f}", "c1\u{80}", "\u{9f}", "\u{fffe}", "\u{ffff}"] {
            assert_eq!(
                try_to_yaml(&json!({ "k": bad })),
                Err("yaml: control characters are not allowed".to_string()),
                "{bad:?}"
            );
            assert!(try_to_yaml(&json!({ bad: 1 })).is_err(), "{bad:?} as a key");
            assert!(try_to_yaml(&json!([[{ "x": [bad] }]])).is_err(), "{bad:?} nested");
        }
        for good in ["\u{85}", "\u{a0}", "\u{feff}", "\u{fffd}", "\u{2028}", "😀", "\u{1}"] {
            assert!(try_to_yaml(&json!({ "k": good })).is_ok(), "{good:?}");
        }
        // raw U+0085 in keys, document indicators after it, over-long keys
        let err = |v: Value| try_to_yaml(&v).unwrap_err();
        assert_eq!(
            err(json!({"a\u{85}b": 1})),
            "yaml: line 1: did not find expected ',' or '}'"
        );
        assert_eq!(
            err(json!({"a": "x\u{85}y\u{85}z", "b": {"c\u{85}d": 1}})),
            "yaml: line 3: did not find expected ',' or '}'"
        );
        assert_eq!(
            err(json!({"k": "a\u{85}--- b"})),
            "yaml: line 2: found unexpected document indicator"
        );
        assert_eq!(
            err(json!({"k": "a\u{85}...\u{85}b"})),
            "yaml: line 2: found unexpected document indicator"
        );
        assert!(try_to_yaml(&json!({"k": "a\u{85}---"})).is_ok());
        assert!(try_to_yaml(&json!({"k": "a\u{85} --- b"})).is_ok());
        assert!(try_to_yaml(&json!({ "k".repeat(1022): 1 })).is_ok());
        assert_eq!(
            err(json!({ "k".repeat(1023): 1 })),
            "yaml: did not find expected ',' or '}'"
        );
        // JSON escapes count: `<` is written `\u003c`
        assert!(try_to_yaml(&json!({ "<".repeat(170): 1 })).is_ok());
        assert!(try_to_yaml(&json!({ "<".repeat(171): 1 })).is_err());
    }

    #[test]
    fn go_yaml_key_order() {
        let v = json!({"a_b": 1, "aB": 2, "a10": 3, "a9": 4, "Zz": 5, "_z": 6, "a": 7, "B": 8,
                       "x01": 9, "x1": 10, "x2": 11, "x010": 12, "x10": 13});
        let keys: Vec<String> = to_yaml(&v)
            .lines()
            .map(|l| l.split(':').next().unwrap().to_string())
            .collect();
        assert_eq!(
            keys,
            ["_z", "B", "Zz", "a", "a_b", "a9", "a10", "aB", "x1", "x01", "x2", "x10", "x010"]
        );
    }
}
