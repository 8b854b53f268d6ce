//! `kubectl label` and `kubectl annotate` (`k8s.io/kubectl/pkg/cmd/label/label.go`,
//! `annotate/annotate.go`): `key=value` adds or (with `--overwrite`) changes, `key-` removes,
//! on named objects, `-l` selections or `--all`.
//!
//! Messages: `label` prints `labeled`, or `not labeled` when nothing changed, or `unlabeled`
//! when (without `--overwrite`) the object got smaller — kubectl compares the JSON sizes
//! (`updateDataChangeMsg`); removing a label that is not there prints `label "x" not found.`
//! first. `annotate` always prints `annotated`.

use super::mutate::{self, DryRun, Encoding, Printer, WhenEmpty};
use super::set::resources_and_pairs;
use crate::engine::api::Object;
use crate::flags::Invocation;
use crate::printers::json;
use crate::session::Session;
use crate::{errors, Output};
use std::collections::BTreeMap;

/// What differs between the two commands.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Which {
    Label,
    Annotate,
}

impl Which {
    fn noun(self) -> &'static str {
        match self {
            Which::Label => "label",
            Which::Annotate => "annotation",
        }
    }
    fn map(self, o: &mut Object) -> &mut BTreeMap<String, String> {
        match self {
            Which::Label => &mut o.meta_mut().labels,
            Which::Annotate => &mut o.meta_mut().annotations,
        }
    }
}

pub fn run(s: &mut Session, inv: &Invocation, stdin: Option<&str>) -> Output {
    let which = if inv.path.first().copied() == Some("annotate") {
        Which::Annotate
    } else {
        Which::Label
    };
    mutate::command(s, inv, |s, out| label(s, inv, stdin, which, out))
}

/// `key=value` and `key-` arguments (`parseLabels` / `parseAnnotations`).
fn parse_changes(which: Which, pairs: &[String]) -> Result<(BTreeMap<String, String>, Vec<String>), String> {
    let mut set = BTreeMap::new();
    let mut remove = Vec::new();
    for p in pairs {
        if p.contains('=') {
            let (k, v) = match which {
                Which::Label => {
                    let parts: Vec<&str> = p.split('=').collect();
                    if parts.len() != 2 {
                        return Err(format!("invalid label spec: {p}"));
                    }
                    if let Err(e) = label_value(parts[1]) {
                        return Err(format!("invalid label value: \"{p}\": {e}"));
                    }
                    (parts[0], parts[1])
                }
                Which::Annotate => {
                    let (k, v) = p.split_once('=').unwrap_or((p, ""));
                    if k.is_empty() {
                        return Err(format!("invalid annotation format: {p}"));
                    }
                    (k, v)
                }
            };
            set.insert(k.to_string(), v.to_string());
        } else if p.ends_with('-') {
            remove.push(p[..p.len() - 1].to_string());
        } else {
            return Err(format!("unknown {} spec: {p}", which.noun()));
        }
    }
    let both: Vec<&String> = remove.iter().filter(|r| set.contains_key(*r)).collect();
    if !both.is_empty() {
        return Err(match which {
            Which::Label => "can not both modify and remove a label in the same command".to_string(),
            Which::Annotate => format!(
                "can not both modify and remove the following annotation(s) in the same command: {}",
                both.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")
            ),
        });
    }
    Ok((set, remove))
}

/// apimachinery `IsValidLabelValue`.
pub fn label_value(v: &str) -> Result<(), String> {
    let mut errs = Vec::new();
    if v.len() > 63 {
        errs.push("must be no more than 63 characters".to_string());
    }
    let b = v.as_bytes();
    let ok = b.is_empty()
        || (b[0].is_ascii_alphanumeric()
            && b[b.len() - 1].is_ascii_alphanumeric()
            && b.iter()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.')));
    if !ok {
        errs.push("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')".to_string());
    }
    if errs.is_empty() {
        Ok(())
    } else {
        Err(errs.join("; "))
    }
}

fn label(s: &mut Session, inv: &Invocation, stdin: Option<&str>, which: Which, out: &mut Output) -> Result<(), Output> {
    // Complete, then Validate, in kubectl's order.
    let (resources, pairs) = resources_and_pairs(&inv.args, which.noun()).map_err(errors::error)?;
    let (set, remove) = parse_changes(which, &pairs).map_err(errors::error)?;
    let dry = mutate::dry_run(s, inv, out)?;
    let mut printer = Printer::new(mutate::format(inv)?, dry);
    let sel = mutate::selection(s, inv, resources);
    if sel.all && sel.selector.is_some() {
        return Err(errors::error("cannot set --all and --selector at the same time"));
    }
    if sel.filenames.is_empty() && sel.args.is_empty() {
        return Err(errors::error(WhenEmpty::ResourceNameForm.message()));
    }
    if pairs.is_empty() && !(which == Which::Label && inv.get_bool("list")) {
        return Err(errors::error(format!(
            "at least one {} update is required",
            which.noun()
        )));
    }
    let targets = mutate::select(s, &sel, stdin, WhenEmpty::ResourceNameForm)?;
    let overwrite = inv.get_bool("overwrite");
    let verb_label = |old: &Object, new: &Object| -> &'static str {
        if which == Which::Annotate {
            return "annotated";
        }
        let (a, b) = (
            json::to_json_compact(&old.to_value()),
            json::to_json_compact(&new.to_value()),
        );
        if a == b {
            "not labeled"
        } else if !overwrite && b.len() < a.len() {
            "unlabeled"
        } else {
            "labeled"
        }
    };
    mutate::for_each(out, targets, |out, t| {
        let obj = t.fetch(&s.cluster).map_err(|e| match &t.source {
            Some(src) => crate::errors::api_error_for_file(&e, "retrieving current configuration of", src),
            None => errors::api_error_text(&e),
        })?;
        let mut next = (*obj).clone();
        {
            let map = which.map(&mut next);
            if !overwrite {
                let clashes: Vec<String> = set
                    .iter()
                    .filter_map(|(k, v)| map.get(k).filter(|cur| *cur != v).map(|cur| (k, cur)))
                    .filter(|(k, _)| which == Which::Label || k.as_str() != "kubernetes.io/change-cause")
                    .map(|(k, cur)| format!("'{k}' already has a value ({cur})"))
                    .collect();
                if !clashes.is_empty() {
                    return Err(match which {
                        Which::Label => clashes
                            .iter()
                            .map(|c| format!("error: {c}, and --overwrite is false"))
                            .collect::<Vec<_>>()
                            .join("\n"),
                        Which::Annotate => format!(
                            "error: --overwrite is false but found the following declared annotation(s): {}",
                            clashes.join("; ")
                        ),
                    });
                }
            }
            if which == Which::Label && dry != DryRun::Client {
                for r in &remove {
                    if !map.contains_key(r) {
                        out.outln(format!("label \"{r}\" not found."));
                    }
                }
            }
            for r in &remove {
                map.remove(r);
            }
            for (k, v) in &set {
                map.insert(k.clone(), v.clone());
            }
        }
        let verb = verb_label(&obj, &next);
        if dry == DryRun::Client || next == *obj {
            printer.print_object(out, &next, Encoding::Unstructured, verb);
            return Ok(());
        }
        let result = super::warnings::send(&mut s.cluster, dry, out, |c| mutate::patch(c, next));
        match result {
            Ok(stored) => {
                printer.print_object(out, &stored, Encoding::Unstructured, verb);
                Ok(())
            }
            Err(e) => Err(errors::api_error_text(&e)),
        }
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn changes_parse_like_kubectl() {
        let (set, remove) = parse_changes(Which::Label, &v(&["a=b", "c-"])).unwrap();
        assert_eq!(set.get("a").map(String::as_str), Some("b"));
        assert_eq!(remove, v(&["c"]));
        assert_eq!(
            parse_changes(Which::Label, &v(&["a=b=c"])),
            Err("invalid label spec: a=b=c".into())
        );
        assert_eq!(
            parse_changes(Which::Label, &v(&["a=b", "a-"])),
            Err("can not both modify and remove a label in the same command".into())
        );
        assert!(parse_changes(Which::Annotate, &v(&["a=b=c"])).is_ok());
        assert!(parse_changes(Which::Label, &v(&["a=b c"]))
            .unwrap_err()
            .starts_with("invalid label value: \"a=b c\": a valid label"));
    }
}
