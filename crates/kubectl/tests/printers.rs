//! The shared printers against real kubectl output.
//!
//! * Fixture tests (always run): the captured `-o yaml` / `-o json` outputs of kubectl v1.32.4
//!   in `tests/fixtures/printers/` (copied from the reference captures `yaml-json.txt` and
//!   `offline-dry-run.txt`) must be reproduced byte for byte.
//! * Oracle tests (run when `/usr/bin/kubectl` exists, otherwise they print a notice and
//!   pass): many tricky values are fed through real kubectl offline and its YAML and JSON are
//!   compared with ours. Arbitrary JSON reaches kubectl's printers through a kubeconfig
//!   extension (`kubectl config view --raw -o json|yaml` prints it through the same
//!   cli-runtime printers as `get`); ConfigMaps built by `kubectl create configmap
//!   --dry-run=client` add realistic keys and file contents.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use kubelab_kubectl::printers::json::to_json;
use kubelab_kubectl::printers::table::render;
use kubelab_kubectl::printers::yaml::{to_yaml, try_to_yaml};
use serde_json::{json, Map, Value};

const KUBECTL: &str = "/usr/bin/kubectl";

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/printers")
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Describes the first difference between two texts, with a little context.
fn first_difference(want: &str, got: &str) -> String {
    let w: Vec<&str> = want.split('\n').collect();
    let g: Vec<&str> = got.split('\n').collect();
    for i in 0..w.len().max(g.len()) {
        if w.get(i) != g.get(i) {
            let mut s = format!("first difference at line {}:\n", i + 1);
            for j in i.saturating_sub(3)..i {
                let _ = writeln!(s, "   {:?}", w.get(j).unwrap_or(&""));
            }
            let _ = writeln!(s, "-  {:?}\n+  {:?}", w.get(i), g.get(i));
            return s;
        }
    }
    "texts are equal".to_string()
}

fn assert_same(what: &str, want: &str, got: &str) {
    assert!(want == got, "{what}: {}", first_difference(want, got));
}

fn files_with_extension(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    files.sort();
    files
}

// ---------------------------------------------------------------------------------------------
// Fixtures

#[test]
fn captured_yaml_round_trips() {
    // Parse each captured YAML and print it again: quoting, key order, indentation, `{}`,
    // literal blocks and `null` must come out identical.
    let mut count = 0;
    for sub in ["server", "dry-run"] {
        for path in files_with_extension(&fixtures().join(sub), "yaml") {
            let text = read(&path);
            let value: Value = serde_norway::from_str(&text).unwrap();
            assert_same(&path.display().to_string(), &text, &to_yaml(&value));
            count += 1;
        }
    }
    assert!(count >= 25, "only {count} YAML fixtures found");
}

#[test]
fn captured_json_gives_captured_yaml() {
    // Where kubectl printed the same object as JSON and as YAML, YAML(JSON) must match.
    let mut count = 0;
    for sub in ["server", "dry-run"] {
        for json_path in files_with_extension(&fixtures().join(sub), "json") {
            let yaml_path = json_path.with_extension("yaml");
            if !yaml_path.exists() {
                continue;
            }
            let value: Value = serde_json::from_str(&read(&json_path)).unwrap();
            assert_same(&yaml_path.display().to_string(), &read(&yaml_path), &to_yaml(&value));
            count += 1;
        }
    }
    assert_eq!(count, 2, "expected the deployment pairs (server and dry-run)");

    // The single pod was also captured inside the `get pods -l app=web -o json` list.
    let list: Value = serde_json::from_str(&read(&fixtures().join("server/get-pods-l-app-web.json"))).unwrap();
    let pod = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["metadata"]["name"] == "web-7c5ddbdf54-2xkqn")
        .expect("the pod is in the list");
    let want = read(&fixtures().join("server/get-pod-web-7c5ddbdf54-2xkqn.yaml"));
    assert_same("pod from list", &want, &to_yaml(pod));
}

#[test]
fn captured_server_json_round_trips() {
    // Objects that came from a server are maps, so kubectl prints their keys sorted.
    let files = files_with_extension(&fixtures().join("server"), "json");
    assert!(files.len() >= 2);
    for path in files {
        let text = read(&path);
        let value: Value = serde_json::from_str(&text).unwrap();
        assert_same(&path.display().to_string(), &text, &to_json(&value));
    }
}

// ---------------------------------------------------------------------------------------------
// Oracle

fn kubectl_available() -> bool {
    if Path::new(KUBECTL).exists() {
        true
    } else {
        println!("skipping: {KUBECTL} not found, the kubectl oracle tests did not run");
        false
    }
}

struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("kubelab-printers-{name}-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

fn run_kubectl(args: &[&str]) -> String {
    let out = Command::new(KUBECTL).args(args).output().expect("kubectl runs");
    assert!(
        out.status.success(),
        "kubectl {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("kubectl prints UTF-8")
}

/// `to_json(sub)` as it appears nested `depth` levels deep in a MarshalIndent output.
fn nested_json(sub: &Value, depth: usize) -> String {
    let text = to_json(sub);
    let text = text.strip_suffix('\n').unwrap();
    text.replace('\n', &format!("\n{}", "    ".repeat(depth)))
}

/// JSON text that go-yaml also reads as the same value: kubectl loads kubeconfig files with a
/// YAML parser, which rejects some raw characters inside quotes (DEL, C1 controls, U+FFFE…),
/// folds raw U+0085/U+2028 line breaks and refuses surrogate-pair escapes. So every BMP char
/// outside printable ASCII is written as a YAML `\uXXXX` escape, and chars beyond the BMP are
/// left raw (go-yaml accepts them raw but not as escapes). Outside strings the text is ASCII.
fn yaml_safe_json(v: &Value) -> String {
    let mut out = String::new();
    for c in serde_json::to_string(v).unwrap().chars() {
        match c as u32 {
            0x20..=0x7e | 0x10000.. => out.push(c),
            n => {
                let _ = write!(out, "\\u{n:04X}");
            }
        }
    }
    out
}

fn run_kubectl_result(args: &[&str]) -> Result<String, String> {
    let out = Command::new(KUBECTL).args(args).output().expect("kubectl runs");
    if out.status.success() {
        Ok(String::from_utf8(out.stdout).expect("kubectl prints UTF-8"))
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

/// Prints `extension` through `kubectl config view` and compares kubectl's YAML and JSON with
/// ours. Returns a description of the mismatches (empty when all agree).
fn check_extension(scratch: &Scratch, name: &str, extension: &Value) -> String {
    let path = scratch.0.join(format!("{name}.kubeconfig"));
    let config = json!({
        "apiVersion": "v1",
        "kind": "Config",
        "preferences": {"extensions": [{"name": "x", "extension": extension}]}
    });
    fs::write(&path, yaml_safe_json(&config)).unwrap();
    let kubeconfig = format!("--kubeconfig={}", path.display());
    let kubectl_json = run_kubectl(&["config", "view", "--raw", &kubeconfig, "-o", "json"]);
    let kubectl_yaml = run_kubectl_result(&["config", "view", "--raw", &kubeconfig, "-o", "yaml"]);
    let parsed: Value = serde_json::from_str(&kubectl_json).unwrap();

    let mut problems = String::new();
    match (kubectl_yaml, try_to_yaml(&parsed)) {
        (Ok(want), Ok(ours)) if want != ours => {
            let _ = writeln!(problems, "[{name}] YAML differs: {}", first_difference(&want, &ours));
        }
        (Ok(_), Ok(_)) => {}
        (Err(stderr), Err(ours)) => {
            if stderr != format!("error: {ours}\n") {
                let _ = writeln!(problems, "[{name}] kubectl failed with {stderr:?}, we with {ours:?}");
            }
        }
        (Err(stderr), Ok(_)) => {
            let _ = writeln!(problems, "[{name}] kubectl failed ({stderr:?}) but we printed YAML");
        }
        (Ok(_), Err(ours)) => {
            let _ = writeln!(problems, "[{name}] kubectl printed YAML but we failed: {ours}");
        }
    }
    let ext = &parsed["preferences"]["extensions"][0]["extension"];
    let needle = format!("\"extension\": {}", nested_json(ext, 4));
    if !kubectl_json.contains(&needle) {
        let _ = writeln!(
            problems,
            "[{name}] JSON of the extension not found in kubectl's output:\n{needle}\n--- kubectl:\n{kubectl_json}"
        );
    }
    problems
}

/// Strings that exercise go-yaml's resolver, the emitter's analysis, folding and escaping.
fn tricky_strings() -> Vec<String> {
    let mut v: Vec<String> = [
        // resolver: numbers, booleans, null, special floats, base 60, timestamps
        "",
        "a",
        "1",
        "-1",
        "+1",
        "1.5",
        ".5",
        "-.5",
        "+.5e-3",
        "1e3",
        "1E3",
        "1e",
        "1e400",
        "0x1F",
        "0X1f",
        "0x",
        "0o17",
        "0b11",
        "0b",
        "017",
        "08",
        "0",
        "00",
        "-0",
        "1_000",
        "1__0",
        "_1",
        "1_",
        ".5_5",
        "1.",
        "1.2.3",
        "9223372036854775807",
        "9223372036854775808",
        "-9223372036854775808",
        "-9223372036854775809",
        "18446744073709551615",
        "18446744073709551616",
        "+18446744073709551615",
        "true",
        "True",
        "TRUE",
        "tRUE",
        "false",
        "yes",
        "Yes",
        "YES",
        "yES",
        "no",
        "No",
        "NO",
        "y",
        "Y",
        "n",
        "N",
        "on",
        "On",
        "ON",
        "off",
        "Off",
        "OFF",
        "~",
        "null",
        "Null",
        "NULL",
        "nULL",
        ".inf",
        ".Inf",
        ".INF",
        "-.inf",
        "+.inf",
        ".nan",
        ".NaN",
        "inf",
        "nan",
        "Infinity",
        "-Infinity",
        "<<",
        "=",
        "1:20",
        "1:2",
        "-1:20",
        "+1:20",
        "1:20.5",
        "1:20.",
        "1:60",
        "1:200",
        "190:20:30",
        "1_0:20",
        "12:30:45",
        "1:2:3",
        "a:1",
        "2025-01-01",
        "2025-1-1",
        "2025-01-01T10:00:00Z",
        "2025-01-01T10:00:00.123456789Z",
        "2025-01-01T10:00:00,5Z",
        "2025-01-01t10:00:00Z",
        "2025-01-01T10:00:00+02:00",
        "2025-01-01T10:00:00+25:00",
        "2025-01-01T10:00:00+24:60",
        "2025-01-01T10:00:00-0200",
        "2025-01-01 10:00:00",
        "2025-01-01   10:00:00",
        "2025-01-01 10:00:00.5",
        "2025-01-01 10:00:00 ",
        "2025-02-30",
        "2024-02-29",
        "2100-02-29",
        "2000-02-29",
        "2025-13-01",
        "2025-00-10",
        "2025-01-00",
        "2025-01-01T24:00:00Z",
        "2025-01-01T1:2:3Z",
        "2025-01-01T10:00:60Z",
        "20250-01-01",
        "2025-01-01T10:00Z",
        "2025-01-01T10:00:00",
        "2025-01-01x",
        "1234-5",
        // everyday Kubernetes values
        "nginx",
        "nginx:1.27",
        "25%",
        "10.96.0.1",
        "80/TCP",
        "/dev/termination-log",
        "app=web",
        "k8s.io/x",
        "docker.io/library/nginx@sha256:0a399eb1",
        "*/1 * * * *",
        "echo hello",
        "sh -c 'echo hi'",
        "{\"a\":1}",
        "[1,2]",
        "key1=value1,key2=value2",
        // indicators
        "foo: bar",
        "foo:bar",
        "foo:",
        ":foo",
        ": foo",
        "::",
        "a #b",
        "a#b",
        "#a",
        "a # b",
        "a\t#b",
        "?",
        "? a",
        "?a",
        "a?",
        "-",
        "- a",
        "-a",
        "--",
        "---",
        "--- a",
        "---a",
        "...",
        "....",
        "..a",
        ".",
        "[a]",
        "a[b]",
        "]",
        "{a}",
        "a{b}",
        "}",
        "a,b",
        ",a",
        "a,",
        "*a",
        "a*",
        "&a",
        "a&b",
        "!a",
        "a!",
        "|a",
        "a|",
        ">a",
        "a>",
        "'a",
        "a'b",
        "''",
        "\"a",
        "a\"b",
        "\"\"",
        "%a",
        "a%",
        "@a",
        "a@",
        "`a",
        "a`",
        "a: ",
        "a :b",
        // whitespace
        " ",
        "  ",
        " lead",
        "trail ",
        " both ",
        "a  b",
        "a\tb",
        "\ta",
        "a\t",
        "\t",
        // line breaks
        "l1\nl2",
        "l1\nl2\n",
        "l1\nl2\n\n",
        "l1\nl2\n\n\n",
        "\n",
        "\n\n",
        "\na",
        "a\n",
        " a\nb",
        "a\n b",
        "a \nb",
        "a\n\nb",
        "a\n \nb",
        "a\n\n",
        "\ta\nb",
        "a\r\nb",
        "a\rb",
        "\r",
        "a\u{85}b",
        "a\u{2028}b",
        "a\u{2029}b",
        "\u{2028}",
        "#a\nb",
        "- a\nb",
        "a: b\nc",
        "'a'\nb",
        "\"a\"\nb",
        "a\\\nb",
        " \n",
        "\n ",
        "a\n\u{2028}b",
        "x\u{85}",
        "é\né",
        "😀\nb",
        "#!/bin/sh\nset -e\necho \"$HOME\"\n",
        "line with trailing\t\nnext",
        // characters
        "é",
        "héllo",
        "日本語",
        "a\u{a0}b",
        "\u{a0}",
        "\u{a0}a",
        "😀",
        "a😀b",
        "\u{feff}a",
        "a\u{7f}",
        "\u{1}",
        "\u{8}\u{c}",
        "\u{0}",
        "a\u{0}b",
        "\u{1b}[0m",
        "\\",
        "a\\b",
        "\\n",
        "<>&",
        "\u{fffd}",
        "\u{e000}",
        "\u{d7ff}",
        "\u{ffff}",
        "\u{fffe}",
        "\u{80}",
        "\u{9f}",
        "\u{10ffff}",
        "ǅ",
        "Ⅷ",
        "٣",
        "a\u{301}",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();

    // folding around column 80, in every quoting style
    for len in [70, 76, 77, 78, 79, 80, 81, 82, 83, 90, 120, 200] {
        let words: String = (0..len).map(|i| if i % 5 == 4 { ' ' } else { 'w' }).collect();
        let words = words.trim().to_string();
        v.push(words.clone());
        v.push(format!("*{words}")); // single-quoted
        v.push(format!("{words}\t")); // double-quoted
        v.push(format!(" {words}")); // single-quoted, leading space
        v.push(format!("{words}  double  spaces  at  the  end  of  a  long  line"));
        v.push(format!("{words}\n{words}")); // literal: never folded
        v.push(format!("{words} \n{words}")); // double-quoted with a newline
        v.push(format!("it's {words} 'quoted'"));
        v.push(format!("{words}\u{2028}{words}"));
        v.push("x".repeat(len));
        v.push(format!("{} {}", "x".repeat(len), "y".repeat(5)));
        v.push(format!("{} {}", "é".repeat(len), "ü".repeat(5)));
        v.push(format!("{}😀 {}", "x".repeat(len), "y".repeat(5)));
        v.push(format!("{}  {}", "x".repeat(len), "y".repeat(5)));
        v.push(format!("{}\t {}", "x".repeat(len), "y".repeat(5)));
    }
    v
}

/// A small deterministic generator (no dependency needed for a fixed pseudo-random corpus).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn string(&mut self, alphabet: &[char], max_len: usize) -> String {
        let len = self.below(max_len + 1);
        (0..len).map(|_| alphabet[self.below(alphabet.len())]).collect()
    }
}

const RANDOM_ALPHABET: &[char] = &[
    'a', 'b', 'Z', 'y', 'n', '0', '1', '9', ' ', ' ', ' ', ':', '#', '-', '.', '_', '\'', '"', '\n', '\n', '\t', 'é',
    '😀', '\\', '/', '%', '?', '[', '{', '!', '*', '&', '\u{2028}', '~', '@', '`', ',', '|', '>', '=', '+', '\r',
    '\u{85}', '\u{a0}',
];

fn numbered_map(values: &[String]) -> Value {
    let mut map = Map::new();
    for (i, s) in values.iter().enumerate() {
        map.insert(format!("v{i:04}"), Value::String(s.clone()));
    }
    Value::Object(map)
}

fn keys_map(keys: &[String]) -> Value {
    let mut map = Map::new();
    for (i, k) in keys.iter().enumerate() {
        map.insert(k.clone(), json!(i));
    }
    Value::Object(map)
}

#[test]
fn oracle_strings_as_values_and_keys() {
    if !kubectl_available() {
        return;
    }
    let scratch = Scratch::new("strings");
    let strings = tricky_strings();
    let mut problems = String::new();
    for (i, chunk) in strings.chunks(60).enumerate() {
        let chunk = chunk.to_vec();
        // keys whose escaped form is too long for a YAML simple key cannot be loaded
        let keys: Vec<String> = chunk
            .iter()
            .filter(|s| yaml_safe_json(&json!(s)).len() < 1000)
            .cloned()
            .collect();
        let extension = json!({
            "values": numbered_map(&chunk),
            "list": chunk,
            "deeper": {"a": {"b": [{"c": chunk}]}},
            // one key per map: how keys are written, not their order (see `oracle_key_order`)
            "keys": keys.iter().map(|k| json!({ k: 1 })).collect::<Vec<_>>(),
        });
        problems.push_str(&check_extension(&scratch, &format!("strings{i}"), &extension));
    }
    assert!(problems.is_empty(), "{problems}");
}

#[test]
fn oracle_random_strings() {
    if !kubectl_available() {
        return;
    }
    let scratch = Scratch::new("random");
    // KUBELAB_ORACLE_BATCHES=200 runs a longer campaign; KUBELAB_ORACLE_SEED picks another one
    let batches = std::env::var("KUBELAB_ORACLE_BATCHES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(6);
    let seed = std::env::var("KUBELAB_ORACLE_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x006b_7562_656c_6162);
    let mut rng = Lcg(seed);
    let mut problems = String::new();
    for batch in 0..batches {
        let values: Vec<String> = (0..50).map(|_| rng.string(RANDOM_ALPHABET, 130)).collect();
        let keys: Vec<String> = (0..50)
            .map(|_| rng.string(RANDOM_ALPHABET, 12))
            .filter(|k| {
                let chars: Vec<char> = k.chars().collect();
                chars
                    .windows(2)
                    .all(|w| !(w[0].is_ascii_digit() && w[1].is_ascii_digit()))
            })
            .collect();
        let extension = json!({
            "values": numbered_map(&values),
            "list": values,
            "keys": keys_map(&keys),
        });
        problems.push_str(&check_extension(&scratch, &format!("random{batch}"), &extension));
    }
    assert!(problems.is_empty(), "{problems}");
}

/// Key sets on which go-yaml's key comparison is transitive. (It is not in general, see
/// `sort_keys` in yaml.rs: with digit runs of different lengths next to letters, real kubectl
/// orders keys differently from run to run, so such sets cannot be compared.)
const KEY_GROUPS: &[&[&str]] = &[
    &[
        "a",
        "A",
        "b",
        "B",
        "Z",
        "z",
        "_",
        "-",
        ".",
        "/",
        "0",
        "1",
        "9",
        "a_b",
        "aB",
        "a9",
        "a09",
        "a009",
        "a0",
        "a00",
        "a01",
        "a1",
        "a001b",
        "x010",
        "x10",
        "x1y",
        "x1z",
        "Zz",
        "_z",
        "-z",
        ".z",
        "a.b",
        "a-b",
        "a/b",
        "a b",
        "app",
        "app.kubernetes.io/name",
        "app.kubernetes.io/instance",
        "kubernetes.io/change-cause",
        "deployment.kubernetes.io/revision",
        "v1",
        "v2",
        "v1beta1",
        "v1alpha1",
        "é",
        "e",
        "f",
        "É",
        "ß",
        "日",
        "😀",
        "1a",
        "1b",
        "a1b2",
        "a1b10",
        "a2b",
        "k0",
        "k00",
        "k000",
        "k0a",
        "k00a",
        "ka",
        "٣",
        "a٣",
        "a3",
        "Ⅷ",
        "a\u{301}",
        "file1.txt",
        "file2.txt",
        "file10.txt",
        "node-1",
        "node-2",
        "node-10",
        "node-02",
    ],
    &["a10", "a12b", "10", "x01y", "v10"],
    &[
        "99999999999999999999",
        "99999999999999999998",
        "9",
        "a99999999999999999999b",
        "a9b",
    ],
];

#[test]
fn oracle_key_order() {
    if !kubectl_available() {
        return;
    }
    let scratch = Scratch::new("keys");
    let mut problems = String::new();
    for (i, group) in KEY_GROUPS.iter().enumerate() {
        let keys: Vec<String> = group.iter().map(|s| s.to_string()).collect();
        let extension = json!({ "keys": keys_map(&keys) });
        problems.push_str(&check_extension(&scratch, &format!("keys{i}"), &extension));
    }
    // random keys without adjacent digits (go-yaml's order is consistent on those)
    let mut rng = Lcg(42);
    let alphabet: Vec<char> = "aAbB0129_-./xXé".chars().collect();
    let mut keys = Vec::new();
    while keys.len() < 200 {
        let k = rng.string(&alphabet, 8);
        let chars: Vec<char> = k.chars().collect();
        if chars
            .windows(2)
            .all(|w| !(w[0].is_ascii_digit() && w[1].is_ascii_digit()))
        {
            keys.push(k);
        }
    }
    let extension = json!({ "keys": keys_map(&keys) });
    problems.push_str(&check_extension(&scratch, "random-keys", &extension));
    assert!(problems.is_empty(), "{problems}");
}

#[test]
fn oracle_numbers_and_structure() {
    if !kubectl_available() {
        return;
    }
    let scratch = Scratch::new("numbers");
    let extension = json!({
        "ints": [0, 1, -1, 42, 1000000, 9223372036854775807i64, -9223372036854775807i64,
                 18446744073709551615u64, 9223372036854775808u64],
        "floats": [0.1, 0.5, 1.5, -2.25, 1e-7, 1e-6, 0.000123, 123456.789, 1234567.5,
                   1e6, 1e15, 1e20, 1e21, 1e22, 5e-324, 1.7976931348623157e308, 3.0e10,
                   100.5, 0.0001, 0.00001, 12345678.9, 2.5e-5, 1.0e-300, 33.333333333333336],
        "mixed": [null, true, false, "", [], {}, [[]], [{}], {"a": []}, {"a": {}},
                  [null], [[null, [1]]], {"a": null}],
        "deep": {"a": [{"b": [{"c": [1, {"d": "e"}]}]}], "f": [[["x"]]]},
        "empty": {},
        "seq_of_maps": [{"a": 1, "b": [1, 2]}, {"c": {"d": 1}}, {"e": "multi\nline"}],
        "literal_in_seq": ["a\nb", ["c\nd"], {"e": "f\ng\n"}],
    });
    let problems = check_extension(&scratch, "numbers", &extension);
    assert!(problems.is_empty(), "{problems}");
}

#[test]
fn oracle_long_and_multiline_keys() {
    if !kubectl_available() {
        return;
    }
    let scratch = Scratch::new("longkeys");
    let mut keys = Vec::new();
    for len in [127, 128, 129, 130, 200] {
        keys.push("k".repeat(len));
        keys.push(format!("{} {}", "k".repeat(len / 2), "k".repeat(len / 2)));
        keys.push("é".repeat(len / 2 + 1)); // byte length, not chars, counts
    }
    keys.extend(
        [
            "a\nb",
            "a\nb\n",
            "\n",
            "a \nb",
            "a\tb",
            "1\n2",
            "a\n\nb",
            "😀",
            " a",
            "a ",
            "",
            "- a",
            "a: b",
            "true",
            "1",
            "2025-01-01",
        ]
        .iter()
        .map(|s| s.to_string()),
    );
    let mut problems = String::new();
    let extension = json!({ "keys": keys_map(&keys), "nested": [{"m": keys_map(&keys)}] });
    problems.push_str(&check_extension(&scratch, "longkeys", &extension));
    assert!(problems.is_empty(), "{problems}");
}

#[test]
fn oracle_configmap_dry_run() {
    if !kubectl_available() {
        return;
    }
    let scratch = Scratch::new("configmap");
    let file_contents = [
        ("script.sh", "#!/bin/sh\nset -e\necho \"hello world\"\n"),
        ("trailing-space", "line \nnext\n"),
        ("tabs", "a\tb\n"),
        ("no-newline", "one\ntwo"),
        ("blank-lines", "\n\nx\n\n"),
        ("long", &"long line of text that keeps going ".repeat(6)),
        (
            "nginx.conf",
            "server {\n  listen 80;\n  location / {\n    root /usr/share/nginx/html;\n  }\n}\n",
        ),
        ("unicode", "héllo 😀\n"),
    ];
    let mut args: Vec<String> = ["create", "configmap", "t", "--dry-run=client"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    for (name, content) in file_contents {
        let path = scratch.0.join(name);
        fs::write(&path, content).unwrap();
        args.push(format!("--from-file={}", path.display()));
    }
    let literals = [
        ("a10", "1"),
        ("a9", "yes"),
        ("a_b", "foo: bar"),
        ("aB", " lead"),
        ("A", "~"),
        ("_x", "2025-01-01T10:00:00Z"),
        ("-x", "25%"),
        (".x", "1.5"),
        ("x.1", "null"),
        ("x-2", "a #b"),
        ("k8s", "*star"),
        ("k10", "tab\there"),
        ("k9", "😀"),
        ("z", ""),
    ];
    for (k, v) in literals {
        args.push(format!("--from-literal={k}={v}"));
    }
    let arg_refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut json_args = arg_refs.clone();
    json_args.extend(["-o", "json"]);
    let mut yaml_args = arg_refs;
    yaml_args.extend(["-o", "yaml"]);
    let kubectl_json = run_kubectl(&json_args);
    let kubectl_yaml = run_kubectl(&yaml_args);
    let parsed: Value = serde_json::from_str(&kubectl_json).unwrap();
    assert_same("configmap YAML", &kubectl_yaml, &to_yaml(&parsed));
    let needle = format!("\"data\": {}", nested_json(&parsed["data"], 1));
    assert!(
        kubectl_json.contains(&needle),
        "data JSON not found:\n{needle}\n--- kubectl:\n{kubectl_json}"
    );
}

#[test]
fn oracle_characters_that_break_kubectl_yaml() {
    if !kubectl_available() {
        return;
    }
    let scratch = Scratch::new("broken");
    let mut problems = String::new();
    for (i, bad) in ["\u{7f}", "a\u{80}", "\u{9f}b", "\u{fffe}", "\u{ffff}"]
        .iter()
        .enumerate()
    {
        problems.push_str(&check_extension(&scratch, &format!("value{i}"), &json!({ "k": bad })));
        problems.push_str(&check_extension(&scratch, &format!("key{i}"), &json!({ *bad: 1 })));
    }
    assert!(problems.is_empty(), "{problems}");
}

/// Strings close to YAML 1.1 numbers, booleans, base-60 numbers and timestamps, where the
/// resolver's decisions are most delicate.
fn scalar_like(rng: &mut Lcg) -> String {
    let pick = |rng: &mut Lcg, options: &[&str]| options[rng.below(options.len())].to_string();
    let digits = |rng: &mut Lcg, max: usize| {
        let n = rng.below(max + 1);
        (0..n)
            .map(|_| pick(rng, &["0", "1", "5", "9", "_", "0", "7"]))
            .collect::<String>()
    };
    match rng.below(6) {
        0 => format!(
            "{}{}{}{}{}",
            pick(rng, &["", "", "+", "-"]),
            pick(rng, &["", "0x", "0o", "0b", "0X", "0"]),
            digits(rng, 22),
            pick(rng, &["", "", ".", "."]),
            digits(rng, 3)
        ),
        1 => format!(
            "{}{}{}{}{}",
            pick(rng, &["", "-", "+"]),
            digits(rng, 3),
            pick(rng, &[".", "", "."]),
            digits(rng, 3),
            pick(rng, &["", "e5", "E-3", "e+10", "e", "e400", "e-400"])
        ),
        2 => {
            (0..1 + rng.below(3))
                .map(|_| digits(rng, 3))
                .collect::<Vec<_>>()
                .join(":")
                + &pick(rng, &["", ".5", ".", ".5_"])
        }
        3 => format!(
            "{}-{}-{}{}",
            pick(rng, &["2024", "2025", "1900", "2000", "0000", "20255"]),
            pick(rng, &["1", "01", "02", "12", "13", "00", "001"]),
            pick(rng, &["1", "01", "28", "29", "30", "31", "32", "0"]),
            pick(
                rng,
                &[
                    "",
                    "T10:00:00Z",
                    "t1:2:3Z",
                    " 10:00:00",
                    "  10:00:00.5",
                    "T24:00:00Z",
                    "T23:59:59.999+01:00",
                    "T10:00:00-24:00",
                    "T10:00:00+25:00",
                    "T10:00:00",
                    "T10:00:00,5Z",
                    "T10:60:00Z",
                    "T10:00Z",
                    "x",
                ],
            )
        ),
        4 => pick(
            rng,
            &[
                "y", "Y", "yes", "Yes", "YES", "yEs", "n", "N", "no", "NO", "nO", "true", "TRUE", "tRUE", "on", "ON",
                "oN", "off", "OFF", "Off", "~", "null", "NULL", "nULL", ".inf", "-.INF", "+.Inf", ".NaN", ".nan",
                "..5", ".5", "<<", "-", "+", ".",
            ],
        ),
        _ => format!(
            "{}{}{}",
            pick(rng, &["", " ", "-", "#", "*", "?", ":", "'", "\"", "%", "!"]),
            pick(rng, &["1", "yes", "a", "1.5", "2025-01-01", ""]),
            pick(rng, &["", " ", ":", " #x", ": x", "#", "\t"])
        ),
    }
}

#[test]
fn oracle_scalar_like_strings() {
    if !kubectl_available() {
        return;
    }
    let scratch = Scratch::new("scalars");
    let batches = std::env::var("KUBELAB_ORACLE_BATCHES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(4);
    let mut rng = Lcg(99);
    let mut problems = String::new();
    for batch in 0..batches {
        let values: Vec<String> = (0..80).map(|_| scalar_like(&mut rng)).collect();
        let extension = json!({
            "values": numbered_map(&values),
            "keys": values.iter().map(|k| json!({ k: 1 })).collect::<Vec<_>>(),
        });
        problems.push_str(&check_extension(&scratch, &format!("scalars{batch}"), &extension));
    }
    assert!(problems.is_empty(), "{problems}");
}

/// `kubectl config get-contexts` prints a table through the same cli-runtime tabwriter as
/// `kubectl get` (header `CURRENT NAME CLUSTER AUTHINFO NAMESPACE`, contexts sorted by name,
/// `*` for the current one), which makes it an offline oracle for [`render`].
#[test]
fn oracle_tables_via_get_contexts() {
    if !kubectl_available() {
        return;
    }
    let scratch = Scratch::new("contexts");
    let mut rng = Lcg(2024);
    let alphabet: Vec<char> = "abcXYZ019-_.:/ éü日本😀".chars().collect();
    let mut problems = String::new();
    for round in 0..12 {
        let count = rng.below(8);
        let mut contexts: Vec<[String; 4]> = Vec::new();
        for _ in 0..count {
            let field = |rng: &mut Lcg, max: usize| {
                let mut s = rng.string(&alphabet, max);
                if rng.below(10) == 0 {
                    s.push('\t'); // a tab inside a cell shifts the columns, as in kubectl
                }
                s
            };
            let name = format!("{}{}", field(&mut rng, 20), contexts.len());
            let cluster = field(&mut rng, 25);
            let user = field(&mut rng, 12);
            let namespace = if rng.below(3) == 0 {
                String::new()
            } else {
                field(&mut rng, 10)
            };
            contexts.push([name, cluster, user, namespace]);
        }
        let current = contexts
            .get(rng.below(contexts.len() + 1))
            .map(|c| c[0].clone())
            .unwrap_or_default();
        let config = json!({
            "apiVersion": "v1",
            "kind": "Config",
            "current-context": current,
            "contexts": contexts.iter().map(|[name, cluster, user, namespace]| json!({
                "name": name,
                "context": {"cluster": cluster, "user": user, "namespace": namespace},
            })).collect::<Vec<_>>(),
        });
        let path = scratch.0.join(format!("contexts{round}.kubeconfig"));
        fs::write(&path, yaml_safe_json(&config)).unwrap();
        let kubeconfig = format!("--kubeconfig={}", path.display());

        let mut sorted = contexts.clone();
        sorted.sort_by(|a, b| a[0].cmp(&b[0]));
        let body: Vec<Vec<String>> = sorted
            .iter()
            .map(|[name, cluster, user, namespace]| {
                let mark = if *name == current { "*" } else { "" };
                vec![
                    mark.to_string(),
                    name.clone(),
                    cluster.clone(),
                    user.clone(),
                    namespace.clone(),
                ]
            })
            .collect();
        let mut with_header = vec![["CURRENT", "NAME", "CLUSTER", "AUTHINFO", "NAMESPACE"]
            .map(String::from)
            .to_vec()];
        with_header.extend(body.clone());

        for (args, rows) in [(vec![], &with_header), (vec!["--no-headers"], &body)] {
            let mut all = vec!["config", "get-contexts", kubeconfig.as_str()];
            all.extend(args.iter().copied());
            let want = run_kubectl(&all);
            let ours = render(rows);
            if want != ours {
                let _ = writeln!(
                    problems,
                    "[contexts{round} {args:?}] {}",
                    first_difference(&want, &ours)
                );
            }
        }
    }
    assert!(problems.is_empty(), "{problems}");
}
