//! `kubectl diff -f FILE`: what `kubectl apply -f FILE` would change, as `diff -u -N` between
//! the live objects and the objects the server would store.
//!
//! Modelled rules (kubectl `pkg/cmd/diff`): the "merged" side is a server-side dry run of the
//! same apply (so defaults, the last-applied annotation and a bumped `generation` show up);
//! each object is written as YAML to `/tmp/LIVE-N/` and `/tmp/MERGED-N/` under
//! `[GROUP.]VERSION.KIND.NAMESPACE.NAME`, `managedFields` removed, and one `diff -u -N` runs
//! over the two directories (files in name order, a missing live object diffs as an empty
//! file). Exit status: 0 without differences, 1 with differences (nothing on stderr), and 2
//! with kubectl's message when kubectl itself fails (`CheckDiffErr`).

use crate::engine::api::Kind;
use crate::errors;
use crate::flags::Invocation;
use crate::printers::{udiff, yaml};
use crate::session::Session;
use crate::Output;
use kubelab_engine::sort::CompactSort;
use serde_json::Value;

pub fn run(s: &mut Session, inv: &Invocation, stdin: Option<&str>) -> Output {
    if !inv.args.is_empty() {
        let mut o = errors::error(format!("Unexpected args: [{}]", inv.args.join(" ")));
        o.errln("See 'kubectl diff -h' for help and examples");
        o.exit_code = 2;
        return o;
    }
    let filenames = inv.get_all("filename");
    if filenames.is_empty() {
        let mut o = errors::error("must specify one of -f and -k");
        o.exit_code = 2;
        return o;
    }
    // The server-side dry run of the same apply, on a copy so nothing is recorded.
    let mut argv: Vec<String> = ["kubectl", "apply", "--dry-run=server", "-o", "json"]
        .iter()
        .map(|a| a.to_string())
        .collect();
    for f in &filenames {
        argv.push("-f".into());
        argv.push(f.clone());
    }
    for flag in ["namespace", "selector"] {
        let v = inv.get_str(flag);
        if !v.is_empty() {
            argv.push(format!("--{flag}={v}"));
        }
    }
    if inv.get_bool("server-side") {
        argv.push("--server-side".into());
    }
    if inv.get_bool("recursive") {
        argv.push("--recursive".into());
    }
    let mut scratch = s.clone();
    scratch.watch = None;
    let applied = super::run(&mut scratch, &argv, stdin);
    if applied.exit_code != 0 {
        let mut o = Output::ok();
        for (stream, text) in &applied.chunks {
            if *stream == crate::Stream::Stderr {
                o.err(text.clone());
            }
        }
        // `CheckDiffErr`: kubectl's own failures exit above diff's 1.
        o.exit_code = 2;
        return o;
    }
    let merged: Value = match serde_json::from_str(&applied.stdout()) {
        Ok(v) => v,
        Err(_) => return Output::ok(),
    };
    let items: Vec<Value> = match merged.get("kind").and_then(Value::as_str) {
        Some("List") => merged
            .get("items")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default(),
        _ => vec![merged],
    };
    let mut files: Vec<(String, String, String)> = Vec::new();
    for item in items {
        let kind_name = item.get("kind").and_then(Value::as_str).unwrap_or("");
        let api_version = item.get("apiVersion").and_then(Value::as_str).unwrap_or("v1");
        let name = item
            .pointer("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let ns = item
            .pointer("/metadata/namespace")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let file = match api_version.split_once('/') {
            Some((g, v)) => format!("{g}.{v}.{kind_name}.{ns}.{name}"),
            None => format!("{api_version}.{kind_name}.{ns}.{name}"),
        };
        let live_value = Kind::ALL
            .iter()
            .find(|k| k.info().kind == kind_name)
            .and_then(|k| s.cluster.get(*k, &ns, &name))
            .map(|o| without_managed_fields(o.to_value()));
        // A dry run writes nothing, so the server hands back the resourceVersion it read (an
        // update) or none at all (a create).
        let mut item = without_managed_fields(item);
        if let Some(Value::Object(m)) = item.get_mut("metadata") {
            match live_value.as_ref().and_then(|l| l.pointer("/metadata/resourceVersion")) {
                Some(rv) => {
                    m.insert("resourceVersion".into(), rv.clone());
                }
                None => {
                    m.remove("resourceVersion");
                }
            }
        }
        let live = live_value.map(|v| yaml::to_yaml(&v)).unwrap_or_default();
        let merged = yaml::to_yaml(&item);
        files.push((file, live, merged));
    }
    files.compact_sort();
    let now_ms = s.cluster.now().0;
    let live_dir = format!("/tmp/LIVE-{}", temp_suffix(now_ms, "LIVE"));
    let merged_dir = format!("/tmp/MERGED-{}", temp_suffix(now_ms, "MERGED"));
    let stamp = |present: bool| {
        if present {
            format!(
                "{} +0000",
                crate::engine::Timestamp(s.cluster.now())
                    .to_string()
                    .replace('T', " ")
                    .replace('Z', ".000000000")
            )
        } else {
            "1970-01-01 00:00:00.000000000 +0000".to_string()
        }
    };
    let mut out = Output::ok();
    for (file, live, merged) in &files {
        let h = udiff::hunks(live, merged);
        if h.is_empty() {
            continue;
        }
        out.outln(format!("diff -u -N {live_dir}/{file} {merged_dir}/{file}"));
        out.outln(format!("--- {live_dir}/{file}\t{}", stamp(!live.is_empty())));
        out.outln(format!("+++ {merged_dir}/{file}\t{}", stamp(true)));
        out.out(h);
        out.exit_code = 1;
    }
    out
}

fn without_managed_fields(mut v: Value) -> Value {
    if let Some(Value::Object(m)) = v.get_mut("metadata") {
        m.remove("managedFields");
    }
    v
}

/// `os.MkdirTemp`'s random suffix, derived from the virtual clock so runs repeat.
fn temp_suffix(now_ms: u64, what: &str) -> u32 {
    let h = what
        .bytes()
        .chain(now_ms.to_le_bytes())
        .fold(0x811c_9dc5u32, |h, b| (h ^ u32::from(b)).wrapping_mul(0x0100_0193));
    h % 4_000_000_000
}
