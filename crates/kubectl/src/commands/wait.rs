//! `kubectl wait (TYPE NAME | TYPE/NAME | TYPE -l SEL | TYPE --all | -f FILE)
//! --for=delete|create|condition=NAME[=VALUE]|jsonpath='{EXPR}'[=VALUE] [--timeout=30s]`
//! (`k8s.io/kubectl/pkg/cmd/wait/wait.go`, v1.32).
//!
//! Waiting is kubectl blocking on a watch; kubelab moves the virtual clock from one cluster
//! event to the next until the condition holds ([`mutate::wait_until`]). One deadline covers
//! all the objects, as kubectl's single context does. Each object that meets the condition
//! prints `pod/web condition met`; a timeout reads `timed out waiting for the condition on
//! pods/web`, and `--timeout=0` checks once (`condition not met for pods/web`). A negative
//! timeout means a week in kubectl; kubelab stops where nothing is left to happen, as if the
//! learner had pressed Ctrl-C.
//!
//! Conditions follow `ConditionalWait.checkCondition`: the first `status.conditions[]` entry
//! whose type matches case-insensitively, its status compared case-insensitively (default
//! `true`), not met while the object's `observedGeneration` lags its `generation`. JSONPath
//! conditions compare the single value found with `%v` (`{.status.phase}=Running`), or only
//! need it to exist. `--for=delete` ignores objects that are already gone.

use super::get::{jsonpath, relaxed_json_path};
use super::mutate::{self, DryRun, Encoding, Printer, Target, Waited, WhenEmpty};
use crate::engine::api::Object;
use crate::engine::{Cluster, SimTime};
use crate::flags::{go_quote, Invocation};
use crate::session::Session;
use crate::{errors, Output};
use serde_json::Value;

pub fn run(s: &mut Session, inv: &Invocation, stdin: Option<&str>) -> Output {
    mutate::command(s, inv, |s, out| wait(s, inv, stdin, out))
}

/// What `--for` asks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum For {
    Delete,
    Create,
    Condition {
        name: String,
        status: String,
    },
    /// The relaxed expression (`{.status.phase}`) and the value, if one was given.
    JsonPath {
        expr: String,
        value: Option<String>,
    },
}

impl For {
    /// `conditionFuncFor`.
    pub fn parse(v: &str) -> Result<For, String> {
        match v.to_lowercase().as_str() {
            "delete" => return Ok(For::Delete),
            "create" => return Ok(For::Create),
            _ => {}
        }
        if let Some(c) = v.strip_prefix("condition=") {
            let (name, status) = c.split_once('=').unwrap_or((c, "true"));
            return Ok(For::Condition {
                name: name.to_string(),
                status: status.to_string(),
            });
        }
        if let Some(input) = v.strip_prefix("jsonpath=") {
            let parts = split_json_path_input(input);
            if parts.len() > 2 {
                return Err("jsonpath wait format must be --for=jsonpath='{.status.readyReplicas}'=3 or --for=jsonpath='{.status.readyReplicas}'".into());
            }
            let expr = relaxed_json_path(&parts[0])?;
            let value = match parts.get(1) {
                None => None,
                Some(raw) => {
                    let v = raw.trim_matches(['\'', '"']);
                    if v.is_empty() {
                        return Err("jsonpath wait has to have a value after equal sign, like --for=jsonpath='{.status.readyReplicas}'=3".into());
                    }
                    Some(v.to_string())
                }
            };
            if expr.is_empty() {
                return Err("jsonpath expression cannot be empty".into());
            }
            // The expression must parse (`jsonpath.Parse`).
            jsonpath::find(&expr, &Value::Null)?;
            return Ok(For::JsonPath { expr, value });
        }
        Err(format!("unrecognized condition: {}", go_quote(v)))
    }
}

/// `splitJSONPathInput`: splits at each `=` except those of a `==` (JSONPath filters).
fn split_json_path_input(input: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let b = input.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'=' {
            if b.get(i + 1) == Some(&b'=') {
                cur.push_str("==");
                i += 2;
                continue;
            }
            out.push(std::mem::take(&mut cur));
            i += 1;
            continue;
        }
        let ch = input[i..].chars().next().unwrap_or(' ');
        cur.push(ch);
        i += ch.len_utf8();
    }
    out.push(cur);
    out
}

/// Whether the condition holds for an object now (`Err` ends the wait with that error).
fn holds(cond: &For, obj: &Object) -> Result<bool, String> {
    match cond {
        For::Delete | For::Create => Ok(false),
        For::Condition { name, status } => {
            let v = obj.to_value();
            let Some(conds) = v.pointer("/status/conditions").and_then(Value::as_array) else {
                return Ok(false);
            };
            for c in conds {
                let Some(t) = c.get("type").and_then(Value::as_str) else {
                    continue;
                };
                if !t.eq_ignore_ascii_case(name) {
                    continue;
                }
                let Some(st) = c.get("status").and_then(Value::as_str) else {
                    continue;
                };
                if let Some(generation) = v.pointer("/metadata/generation").and_then(Value::as_i64) {
                    let observed = c
                        .get("observedGeneration")
                        .and_then(Value::as_i64)
                        .or_else(|| v.pointer("/status/observedGeneration").and_then(Value::as_i64));
                    if observed.is_some_and(|o| o < generation) {
                        return Ok(false);
                    }
                }
                return Ok(st.to_lowercase() == status.to_lowercase());
            }
            Ok(false)
        }
        For::JsonPath { expr, value } => {
            let found = jsonpath::find(expr, &obj.to_value())?;
            if found.is_empty() {
                return Ok(false);
            }
            if found.len() > 1 {
                return Err("given jsonpath expression matches more than one value".into());
            }
            let Some(want) = value else { return Ok(true) };
            match &found[0] {
                Value::Object(_) | Value::Array(_) => {
                    Err("jsonpath leads to a nested object or list which is not supported".into())
                }
                v => Ok(jsonpath::go_v(v).trim() == want.trim()),
            }
        }
    }
}

fn wait(s: &mut Session, inv: &Invocation, stdin: Option<&str>, out: &mut Output) -> Result<(), Output> {
    let mut printer = Printer::new(mutate::format(inv)?, DryRun::None);
    let cond = For::parse(inv.get_str("for")).map_err(errors::error)?;
    let sel = mutate::selection(s, inv, inv.args.clone());
    if inv.get_bool("local") && sel.filenames.is_empty() {
        return Err(errors::error("you must specify resources by --filename when --local is set.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'"));
    }
    if !inv.get_str("field-selector").is_empty() {
        return Err(super::not_simulated(inv));
    }
    let timeout_ns = inv.get_duration_nanos("timeout");
    let check_once = timeout_ns == 0;
    // A negative timeout is a week in kubectl; kubelab waits until nothing is left to happen.
    let deadline: Option<SimTime> = (timeout_ns > 0).then(|| s.cluster.now().plus_ms((timeout_ns / 1_000_000) as u64));

    if cond == For::Create {
        let named = sel.selector.is_none() && !sel.all;
        let exists = |c: &Cluster| -> bool {
            match super::targets::parse(&sel.args) {
                Ok(super::targets::Targets::Named(named)) => named.iter().all(|(k, n)| {
                    let ns = if k.info().namespaced {
                        sel.namespace.as_str()
                    } else {
                        ""
                    };
                    c.get(*k, ns, n).is_some()
                }),
                _ => true,
            }
        };
        if named && !exists(&s.cluster) {
            let waited = wait_cond(&mut s.cluster, check_once, deadline, exists);
            match waited {
                Waited::Done => {}
                Waited::TimedOut if !check_once => return Err(errors::error("timed out waiting for the condition")),
                Waited::TimedOut => {}
                Waited::Stuck => return Err(interrupted()),
            }
        }
    }

    let targets = mutate::select(s, &sel, stdin, WhenEmpty::ResourceOrFilename)?;
    // The builder reads every named object (`Latest`): missing ones are errors, except for
    // `--for=delete`, where they already are what was asked.
    let mut errs = Vec::new();
    let mut found: Vec<(Target, String)> = Vec::new();
    for t in targets {
        match t.fetch(&s.cluster) {
            Ok(o) => {
                let uid = o.meta().uid().to_string();
                found.push((t, uid));
            }
            Err(_) if cond == For::Delete => {}
            Err(e) => errs.push(errors::api_error_text(&e)),
        }
    }
    let visited = found.len();
    for (t, uid) in found {
        let name = t.object_name();
        let current = |c: &Cluster| {
            c.get(t.kind, &t.namespace, &t.name)
                .filter(|o| o.meta().uid() == uid)
                .cloned()
        };
        let result: Result<Option<std::sync::Arc<Object>>, String> = match &cond {
            For::Delete => {
                let last = current(&s.cluster);
                match wait_cond(&mut s.cluster, check_once, deadline, |c| current(c).is_none()) {
                    Waited::Done => Ok(last),
                    Waited::TimedOut if check_once => Err(format!("condition not met for {name}")),
                    Waited::TimedOut => Err(format!("timed out waiting for the condition on {name}")),
                    Waited::Stuck => return Err(interrupted()),
                }
            }
            For::Create => Ok(current(&s.cluster)),
            cond => {
                let mut failure: Option<String> = None;
                let waited = wait_cond(&mut s.cluster, check_once, deadline, |c| match current(c) {
                    None => {
                        failure = Some(errors::api_error_text(&crate::engine::ApiError::not_found(
                            t.kind, &t.name,
                        )));
                        true
                    }
                    Some(o) => match holds(cond, &o) {
                        Ok(b) => b,
                        Err(e) => {
                            failure = Some(e);
                            true
                        }
                    },
                });
                match (failure, waited) {
                    (Some(e), _) => Err(e),
                    (None, Waited::Done) => Ok(current(&s.cluster)),
                    (None, Waited::TimedOut) if check_once => Err(format!("condition not met for {name}")),
                    (None, Waited::TimedOut) => Err(format!("timed out waiting for the condition on {name}")),
                    (None, Waited::Stuck) => return Err(interrupted()),
                }
            }
        };
        match result {
            Ok(Some(obj)) => printer.print_object(out, &obj, Encoding::Unstructured, "condition met"),
            Ok(None) => {
                // Deleted: kubectl prints the object it had read.
                let v = serde_json::json!({
                    "kind": t.kind.info().kind,
                    "apiVersion": t.kind.info().api_version(),
                    "metadata": { "name": t.name }
                });
                printer.print(out, &v, Encoding::Unstructured, "condition met");
            }
            Err(e) => errs.push(e),
        }
    }
    if !errs.is_empty() {
        let mut o = Output::ok();
        mutate::print_aggregate(&mut o, errs);
        return Err(o);
    }
    if visited == 0 && cond != For::Delete {
        return Err(errors::error("no matching resources found"));
    }
    Ok(())
}

/// Waits on the virtual clock; `check_once` (`--timeout=0`) looks once without waiting.
fn wait_cond(
    c: &mut Cluster,
    check_once: bool,
    deadline: Option<SimTime>,
    mut done: impl FnMut(&Cluster) -> bool,
) -> Waited {
    if check_once {
        c.settle();
        return if done(c) { Waited::Done } else { Waited::TimedOut };
    }
    match deadline.map(|d| d.0.saturating_sub(c.now().0)) {
        Some(ms) => mutate::wait_until(c, Some(ms), done),
        None => mutate::wait_for(c, None, mutate::FOREVER_MS, done),
    }
}

/// A wait the learner would have had to interrupt.
fn interrupted() -> Output {
    let mut o = Output::ok();
    o.exit_code = mutate::INTERRUPTED;
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn for_values() {
        assert_eq!(For::parse("delete"), Ok(For::Delete));
        assert_eq!(For::parse("Delete"), Ok(For::Delete));
        assert_eq!(
            For::parse("condition=Ready"),
            Ok(For::Condition {
                name: "Ready".into(),
                status: "true".into()
            })
        );
        assert_eq!(
            For::parse("condition=Ready=False"),
            Ok(For::Condition {
                name: "Ready".into(),
                status: "False".into()
            })
        );
        assert_eq!(
            For::parse("jsonpath={.status.phase}=Running"),
            Ok(For::JsonPath {
                expr: "{.status.phase}".into(),
                value: Some("Running".into())
            })
        );
        assert_eq!(
            For::parse(r#"jsonpath={.status.conditions[?(@.type=="Ready")].status}=True"#),
            Ok(For::JsonPath {
                expr: r#"{.status.conditions[?(@.type=="Ready")].status}"#.into(),
                value: Some("True".into())
            })
        );
        assert_eq!(For::parse("foo"), Err("unrecognized condition: \"foo\"".into()));
        assert_eq!(
            For::parse("jsonpath="),
            Err("jsonpath expression cannot be empty".into())
        );
    }
}
