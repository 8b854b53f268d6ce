//! Small parsers kubectl's commands share (`k8s.io/kubectl/pkg/cmd/util`, `pkg/generate`,
//! apimachinery validation), with their exact error texts. Each returns the message without the
//! `error: ` prefix; the command decides how it is printed.

use super::create::Validation;
use crate::flags;

/// Go's `strconv.Atoi`: an optional sign and decimal digits, errors worded
/// `strconv.Atoi: parsing "abc": invalid syntax`.
pub fn atoi(s: &str) -> Result<i64, String> {
    flags::parse_int(s, 10, 64).map_err(|e| format!("strconv.Atoi: parsing {}: {e}", flags::go_quote(s)))
}

/// `key=value` pairs to set and keys to remove.
pub type Pairs = (Vec<(String, String)>, Vec<String>);

/// `cmdutil.ParsePairs`: `key=value` arguments (the key may not be empty), and with
/// `support_remove` also `key-`. Everything else is collected into one
/// `invalid <pair_type> format: a, b` error.
pub fn parse_pairs(args: &[String], pair_type: &str, support_remove: bool) -> Result<Pairs, String> {
    let mut set: Vec<(String, String)> = Vec::new();
    let mut remove = Vec::new();
    let mut invalid = Vec::new();
    for a in args {
        match a.split_once('=') {
            Some((k, v)) if !k.is_empty() => {
                set.retain(|(x, _)| x != k);
                set.push((k.to_string(), v.to_string()));
            }
            _ if support_remove && a.ends_with('-') && a != "-" => {
                remove.push(a[..a.len() - 1].to_string());
            }
            _ => invalid.push(a.as_str()),
        }
    }
    if invalid.is_empty() {
        Ok((set, remove))
    } else {
        Err(format!("invalid {pair_type} format: {}", invalid.join(", ")))
    }
}

/// `generate.ParseLabels` (`kubectl run --labels`, `create … --selector`-style specs):
/// `a=b,c=d`, each item exactly one `=` and a key.
pub fn parse_label_spec(spec: &str) -> Result<Vec<(String, String)>, String> {
    let mut out: Vec<(String, String)> = Vec::new();
    for item in spec.split(',') {
        let parts: Vec<&str> = item.split('=').collect();
        if parts.len() != 2 {
            return Err(format!("unexpected label spec: {item}"));
        }
        if parts[0].is_empty() {
            return Err("unexpected empty label key".into());
        }
        out.retain(|(k, _)| k != parts[0]);
        out.push((parts[0].to_string(), parts[1].to_string()));
    }
    Ok(out)
}

/// `cmdutil.GetValidationDirective`: `--validate` as a Go boolean or `strict|warn|ignore`.
pub fn validation_directive(v: &str) -> Result<Validation, String> {
    match flags::parse_bool(v) {
        Some(true) => Ok(Validation::Strict),
        Some(false) => Ok(Validation::Ignore),
        None => match v {
            "strict" => Ok(Validation::Strict),
            "warn" => Ok(Validation::Warn),
            "ignore" => Ok(Validation::Ignore),
            _ => Err(format!(
                "invalid - validate option {}; must be one of: strict (or true), warn, ignore (or false)",
                flags::go_quote(v)
            )),
        },
    }
}

/// Go's `time.Duration.String()`: `30s`, `1m0s`, `1h2m3s`, `1.5s`, `500ms`, `0s`.
pub fn go_duration(ns: i64) -> String {
    if ns == 0 {
        return "0s".into();
    }
    let sign = if ns < 0 { "-" } else { "" };
    let n = ns.unsigned_abs();
    if n < 1_000_000_000 {
        let (unit, div) = match n {
            n if n < 1_000 => ("ns", 1),
            n if n < 1_000_000 => ("µs", 1_000),
            _ => ("ms", 1_000_000),
        };
        return format!("{sign}{}{unit}", frac(n, div));
    }
    let secs = n / 1_000_000_000;
    let (h, m) = (secs / 3600, (secs / 60) % 60);
    let s = frac(n % 60_000_000_000, 1_000_000_000);
    match (h, m) {
        (0, 0) => format!("{sign}{s}s"),
        (0, m) => format!("{sign}{m}m{s}s"),
        (h, m) => format!("{sign}{h}h{m}m{s}s"),
    }
}

/// `n / div` with the fraction's trailing zeros removed (`1.5`, `2`).
fn frac(n: u64, div: u64) -> String {
    let (whole, rest) = (n / div, n % div);
    if rest == 0 {
        return whole.to_string();
    }
    let width = div.to_string().len() - 1;
    let digits = format!("{rest:0width$}");
    format!("{whole}.{}", digits.trim_end_matches('0'))
}

/// SHA-256 of `data` as lower-case hex (Go's `fmt.Sprintf("%x", sha256.Sum256(data))`), for
/// the names `--append-hash` makes.
pub fn sha256_hex(data: &[u8]) -> String {
    const K: [u32; 64] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
        0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
        0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
        0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
        0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
        0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
        0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
        0xc67178f2,
    ];
    let mut h: [u32; 8] = [
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
    ];
    let mut msg = data.to_vec();
    let bits = (data.len() as u64).wrapping_mul(8);
    msg.push(0x80);
    while msg.len() % 64 != 56 {
        msg.push(0);
    }
    msg.extend_from_slice(&bits.to_be_bytes());
    for chunk in msg.chunks(64) {
        let mut w = [0u32; 64];
        for (i, word) in chunk.chunks(4).enumerate() {
            w[i] = u32::from_be_bytes([word[0], word[1], word[2], word[3]]);
        }
        for i in 16..64 {
            let s0 = w[i - 15].rotate_right(7) ^ w[i - 15].rotate_right(18) ^ (w[i - 15] >> 3);
            let s1 = w[i - 2].rotate_right(17) ^ w[i - 2].rotate_right(19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16].wrapping_add(s0).wrapping_add(w[i - 7]).wrapping_add(s1);
        }
        let mut v = h;
        for i in 0..64 {
            let s1 = v[4].rotate_right(6) ^ v[4].rotate_right(11) ^ v[4].rotate_right(25);
            let ch = (v[4] & v[5]) ^ (!v[4] & v[6]);
            let t1 = v[7]
                .wrapping_add(s1)
                .wrapping_add(ch)
                .wrapping_add(K[i])
                .wrapping_add(w[i]);
            let s0 = v[0].rotate_right(2) ^ v[0].rotate_right(13) ^ v[0].rotate_right(22);
            let maj = (v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]);
            let t2 = s0.wrapping_add(maj);
            v = [
                t1.wrapping_add(t2),
                v[0],
                v[1],
                v[2],
                v[3].wrapping_add(t1),
                v[4],
                v[5],
                v[6],
            ];
        }
        for (x, y) in h.iter_mut().zip(v) {
            *x = x.wrapping_add(y);
        }
    }
    h.iter().map(|x| format!("{x:08x}")).collect()
}

/// kubectl's `hash.encodeHash`: the first ten hex digits with the vowel-like and ambiguous
/// ones replaced, so the suffix cannot spell words.
pub fn encode_hash(hex: &str) -> String {
    hex.chars()
        .take(10)
        .map(|c| match c {
            '0' => 'g',
            '1' => 'h',
            '3' => 'k',
            'a' => 'm',
            'e' => 't',
            c => c,
        })
        .collect()
}

/// The content hash `--append-hash` and kustomize's generators put after a ConfigMap's name
/// (`hash.ConfigMapHash`): SHA-256 of `{"data":…,"kind":"ConfigMap","name":…}` as Go's
/// `json.Marshal` writes it (sorted keys), then [`encode_hash`].
pub fn config_map_hash(name: &str, data: &std::collections::BTreeMap<String, String>) -> String {
    let identity = serde_json::json!({ "data": data, "kind": "ConfigMap", "name": name });
    encode_hash(&sha256_hex(
        crate::printers::json::to_json_compact(&identity).as_bytes(),
    ))
}

/// The same for a Secret (`hash.SecretHash`): `{"data":…,"kind":"Secret","name":…,"type":…}`
/// with the data base64-encoded, as `[]byte` values marshal.
pub fn secret_hash(name: &str, type_: &str, encoded: &std::collections::BTreeMap<String, String>) -> String {
    let identity = serde_json::json!({ "data": encoded, "kind": "Secret", "name": name, "type": type_ });
    encode_hash(&sha256_hex(
        crate::printers::json::to_json_compact(&identity).as_bytes(),
    ))
}

/// The `KEY=value` pairs of an env file as kubectl reads them (`processEnvFileLine`): a UTF-8
/// byte-order mark on the first line is dropped, leading blanks are trimmed, blank lines and
/// `#` comments are skipped, and a line without `=` is a key with an empty value. Keys are
/// returned unchecked: callers word the invalid-key error their command prints.
pub fn env_file_pairs(text: &str) -> Vec<(&str, &str)> {
    text.lines()
        .enumerate()
        .filter_map(|(n, raw)| {
            let line = if n == 0 {
                raw.trim_start_matches('\u{feff}')
            } else {
                raw
            };
            let line = line.trim_start();
            (!line.is_empty() && !line.starts_with('#')).then(|| line.split_once('=').unwrap_or((line, "")))
        })
        .collect()
}

/// apimachinery `IsEnvVarName`.
pub fn is_env_var_name(name: &str) -> bool {
    let b = name.as_bytes();
    !b.is_empty()
        && !b[0].is_ascii_digit()
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'.' | b'_'))
}

/// apimachinery `IsQualifiedName` (label and taint keys: `[prefix/]name`), its messages.
pub fn qualified_name_errors(key: &str) -> Vec<String> {
    const NAME: &str = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
    let parts: Vec<&str> = key.split('/').collect();
    let (prefix, name) = match parts.as_slice() {
        [n] => (None, *n),
        [p, n] => (Some(*p), *n),
        _ => {
            return vec![format!(
                "a qualified name {NAME} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"
            )]
        }
    };
    let mut errs = Vec::new();
    if let Some(p) = prefix {
        if p.is_empty() {
            errs.push("prefix part must be non-empty".to_string());
        } else {
            if p.len() > 253 {
                errs.push("prefix part must be no more than 253 characters".to_string());
            }
            let label_ok = |l: &str| {
                let b = l.as_bytes();
                !b.is_empty()
                    && b[0].is_ascii_alphanumeric()
                    && !b[0].is_ascii_uppercase()
                    && b[b.len() - 1].is_ascii_alphanumeric()
                    && !b[b.len() - 1].is_ascii_uppercase()
                    && b.iter()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
            };
            if !p.split('.').all(label_ok) {
                errs.push("prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')".to_string());
            }
        }
    }
    if name.is_empty() {
        errs.push("name part must be non-empty".to_string());
    } else if name.len() > 63 {
        errs.push("name part must be no more than 63 characters".to_string());
    }
    let b = name.as_bytes();
    let ok = !b.is_empty()
        && b[0].is_ascii_alphanumeric()
        && b[b.len() - 1].is_ascii_alphanumeric()
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'));
    if !ok {
        errs.push(format!("name part {NAME}"));
    }
    errs
}

/// Whether `image` matches distribution/reference's `ReferenceRegexp`
/// (`[domain[:port]/]path[:tag][@digest]`), which `kubectl run` checks before anything else.
pub fn is_image_reference(image: &str) -> bool {
    let (rest, digest) = match image.split_once('@') {
        Some((r, d)) => (r, Some(d)),
        None => (image, None),
    };
    if let Some(d) = digest {
        let Some((alg, hex)) = d.split_once(':') else {
            return false;
        };
        let alg_ok = alg.split(['-', '_', '+', '.']).all(|p| {
            let b = p.as_bytes();
            !b.is_empty() && b[0].is_ascii_alphabetic() && b.iter().all(u8::is_ascii_alphanumeric)
        });
        if !alg_ok || hex.len() < 32 || !hex.bytes().all(|c| c.is_ascii_hexdigit()) {
            return false;
        }
    }
    // A tag is what follows the last ':' after the last '/'.
    let last_slash = rest.rfind('/').map_or(0, |i| i + 1);
    let (name, tag) = match rest[last_slash..].rfind(':') {
        Some(i) => (&rest[..last_slash + i], Some(&rest[last_slash + i + 1..])),
        None => (rest, None),
    };
    if let Some(t) = tag {
        let b = t.as_bytes();
        let word = |c: &u8| c.is_ascii_alphanumeric() || *c == b'_';
        if b.is_empty() || b.len() > 128 || !word(&b[0]) || !b.iter().all(|c| word(c) || matches!(c, b'.' | b'-')) {
            return false;
        }
    }
    let parts: Vec<&str> = name.split('/').collect();
    let path_ok = |p: &str| is_path_component(p);
    match parts.as_slice() {
        [] => false,
        [only] => path_ok(only),
        [first, others @ ..] => (path_ok(first) || is_domain(first)) && others.iter().all(|p| path_ok(p)),
    }
}

/// `[a-z0-9]+(?:(?:[._]|__|[-]*)[a-z0-9]+)*`
fn is_path_component(p: &str) -> bool {
    let b = p.as_bytes();
    let alnum = |c: u8| c.is_ascii_lowercase() || c.is_ascii_digit();
    if b.is_empty() || !alnum(b[0]) || !alnum(b[b.len() - 1]) {
        return false;
    }
    let mut i = 0;
    while i < b.len() {
        if alnum(b[i]) {
            i += 1;
            continue;
        }
        // A separator run: `.`, `_`, `__` or any number of `-`.
        let start = i;
        while i < b.len() && !alnum(b[i]) {
            i += 1;
        }
        let sep = &p[start..i];
        let ok = matches!(sep, "." | "_" | "__") || sep.bytes().all(|c| c == b'-');
        if !ok {
            return false;
        }
    }
    true
}

/// A registry host: dot-separated `[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?` labels, an optional
/// `:port`.
fn is_domain(d: &str) -> bool {
    let (host, port) = match d.rsplit_once(':') {
        Some((h, p)) => (h, Some(p)),
        None => (d, None),
    };
    if port.is_some_and(|p| p.is_empty() || !p.bytes().all(|c| c.is_ascii_digit())) {
        return false;
    }
    !host.is_empty()
        && host.split('.').all(|l| {
            let b = l.as_bytes();
            !b.is_empty()
                && b[0].is_ascii_alphanumeric()
                && b[b.len() - 1].is_ascii_alphanumeric()
                && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn atoi_like_go() {
        assert_eq!(atoi("80"), Ok(80));
        assert_eq!(atoi("+5"), Ok(5));
        assert_eq!(
            atoi("0x10"),
            Err("strconv.Atoi: parsing \"0x10\": invalid syntax".into())
        );
    }

    #[test]
    fn durations_like_go() {
        assert_eq!(go_duration(30_000_000_000), "30s");
        assert_eq!(go_duration(60_000_000_000), "1m0s");
        assert_eq!(go_duration(3_723_000_000_000), "1h2m3s");
        assert_eq!(go_duration(1_500_000_000), "1.5s");
        assert_eq!(go_duration(500_000_000), "500ms");
    }

    #[test]
    fn sha256_known_answers() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(
            sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    #[test]
    fn pairs() {
        assert_eq!(
            parse_pairs(&v(&["a=b", "c-"]), "env", true),
            Ok((vec![("a".into(), "b".into())], vec!["c".into()]))
        );
        assert_eq!(
            parse_pairs(&v(&["x", "=y"]), "annotations", false),
            Err("invalid annotations format: x, =y".into())
        );
    }

    #[test]
    fn image_references() {
        for ok in [
            "nginx",
            "nginx:1.27",
            "library/nginx:latest",
            "registry.k8s.io/pause:3.10",
            "localhost:5000/app",
            "my-registry.io:443/team/app_x__y:v1.0-rc",
            "busybox@sha256:0123456789abcdef0123456789abcdef",
        ] {
            assert!(is_image_reference(ok), "{ok}");
        }
        for bad in ["BAD:::", "Nginx", "nginx:latest@sha256:abc", "", "nginx:", "a//b", "-x"] {
            assert!(!is_image_reference(bad), "{bad}");
        }
    }
}
