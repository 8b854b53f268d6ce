//! `kubectl taint nodes NAME… KEY[=VALUE]:EFFECT… [KEY[:EFFECT]-…]` (`k8s.io/kubectl/pkg/cmd/
//! taint/taint.go` and `utils.go`, v1.32).
//!
//! Arguments are resources until the first taint-looking one (containing `=` or `:`, or ending
//! in `-`); a resource after a taint is an error. Taints are parsed like `parseTaints` (usage
//! errors: `invalid taint effect: Foo, unsupported taint effect`, `invalid taint spec: …`,
//! `duplicated taints with the same key and effect: {a c NoSchedule <nil>}`). The resource type
//! must map to Node. Then each node, by name, `-l` or `--all`:
//!
//! * adding a taint whose key and effect the node already has needs `--overwrite` (`node
//!   kind-worker already has dedicated taint(s) with same effect(s) and --overwrite is false`);
//! * `key-` removes every taint with that key, `key:Effect-` only that one; a taint that is not
//!   there is an error (`taint "gpu:NoSchedule" not found`);
//! * the line says what happened (`reorganizeTaints`): `tainted`, `untainted`, or `modified`
//!   with `--overwrite` or when taints were both added and removed.
//!
//! kubectl sets the printer's operation after `--dry-run` was applied to it, so like `patch`,
//! `taint` never prints `(dry run)`.

use super::cmdutil;
use super::label::label_value;
use super::mutate::{self, DryRun, Encoding, Printer};
use crate::engine::api::{Kind, Object, Taint};
use crate::flags::Invocation;
use crate::session::Session;
use crate::{errors, Output};

pub fn run(s: &mut Session, inv: &Invocation) -> Output {
    mutate::command(s, inv, |s, out| taint(s, inv, out))
}

/// A taint as parsed from the command line (value and effect may be empty for removals).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Spec {
    pub key: String,
    pub value: String,
    pub effect: String,
}

impl Spec {
    /// `Taint.ToString`.
    fn to_text(&self) -> String {
        match (self.value.is_empty(), self.effect.is_empty()) {
            (true, true) => self.key.clone(),
            (false, true) => format!("{}={}:", self.key, self.value),
            (true, false) => format!("{}:{}", self.key, self.effect),
            (false, false) => format!("{}={}:{}", self.key, self.value, self.effect),
        }
    }

    fn matches(&self, t: &Taint) -> bool {
        self.key == t.key && self.effect == t.effect
    }

    fn to_taint(&self) -> Taint {
        Taint {
            key: self.key.clone(),
            value: (!self.value.is_empty()).then(|| self.value.clone()),
            effect: self.effect.clone(),
            ..Default::default()
        }
    }
}

/// `parseTaint`: `key=value:effect`, `key:effect` or `key`.
fn parse_taint(st: &str) -> Result<Spec, String> {
    let parts: Vec<&str> = st.split(':').collect();
    let (key, value, effect) = match parts.as_slice() {
        [k] => (*k, "", ""),
        [kv, effect] => {
            if !matches!(*effect, "NoSchedule" | "PreferNoSchedule" | "NoExecute") {
                return Err(format!("invalid taint effect: {effect}, unsupported taint effect"));
            }
            let kv: Vec<&str> = kv.split('=').collect();
            match kv.as_slice() {
                [k] => (*k, "", *effect),
                [k, v] => {
                    if let Err(e) = label_value(v) {
                        return Err(format!("invalid taint spec: {st}, {e}"));
                    }
                    (*k, *v, *effect)
                }
                _ => return Err(format!("invalid taint spec: {st}")),
            }
        }
        _ => return Err(format!("invalid taint spec: {st}")),
    };
    let errs = cmdutil::qualified_name_errors(key);
    if !errs.is_empty() {
        return Err(format!("invalid taint spec: {st}, {}", errs.join("; ")));
    }
    Ok(Spec {
        key: key.to_string(),
        value: value.to_string(),
        effect: effect.to_string(),
    })
}

/// `parseTaints`: the taints to add (each needs an effect, no key+effect twice) and to remove.
pub fn parse_taints(specs: &[String]) -> Result<(Vec<Spec>, Vec<Spec>), String> {
    let mut add: Vec<Spec> = Vec::new();
    let mut remove = Vec::new();
    for spec in specs {
        if let Some(t) = spec.strip_suffix('-') {
            let mut t = parse_taint(t)?;
            t.value.clear();
            remove.push(t);
            continue;
        }
        let t = parse_taint(spec)?;
        if t.effect.is_empty() {
            return Err(format!("invalid taint spec: {spec}"));
        }
        if add.iter().any(|a| a.key == t.key && a.effect == t.effect) {
            return Err(format!(
                "duplicated taints with the same key and effect: {{{} {} {} <nil>}}",
                t.key, t.value, t.effect
            ));
        }
        add.push(t);
    }
    Ok((add, remove))
}

/// `reorganizeTaints`: the node's new taints and the word for what changed.
fn reorganize(
    old: &[Taint],
    overwrite: bool,
    add: &[Spec],
    remove: &[Spec],
) -> Result<(&'static str, Vec<Taint>), Vec<String>> {
    let mut new: Vec<Taint> = add.iter().map(Spec::to_taint).collect();
    for o in old {
        if !new.iter().any(|n| n.key == o.key && n.effect == o.effect) {
            new.push(o.clone());
        }
    }
    let added = old.len() != new.len();
    let mut errs = Vec::new();
    let mut deleted = false;
    for r in remove {
        let before = new.len();
        if r.effect.is_empty() {
            new.retain(|t| t.key != r.key);
        } else {
            new.retain(|t| !r.matches(t));
        }
        // Like kubectl, only the last removal decides whether the line says "modified".
        deleted = new.len() != before;
        if !deleted {
            errs.push(format!("taint \"{}\" not found", r.to_text()));
        }
    }
    if !errs.is_empty() {
        return Err(errs);
    }
    let word = if (added && deleted) || overwrite {
        "modified"
    } else if added {
        "tainted"
    } else {
        "untainted"
    };
    Ok((word, new))
}

fn taint(s: &mut Session, inv: &Invocation, out: &mut Output) -> Result<(), Output> {
    // Complete.
    let dry = mutate::dry_run(s, inv, out)?;
    let mut resources = Vec::new();
    let mut specs = Vec::new();
    for a in &inv.args {
        let is_taint = a.contains('=') || a.contains(':') || a.ends_with('-');
        match (specs.is_empty(), is_taint) {
            (_, true) => specs.push(a.clone()),
            (true, false) => resources.push(a.clone()),
            (false, false) => {
                return Err(errors::error(format!(
                    "all resources must be specified before taint changes: {a}"
                )))
            }
        }
    }
    if resources.is_empty() {
        return Err(errors::error(
            "one or more resources must be specified as <resource> <name>",
        ));
    }
    if specs.is_empty() {
        return Err(errors::error("at least one taint update is required"));
    }
    let (add, remove) = parse_taints(&specs).map_err(|e| mutate::usage_error(inv, e))?;
    // Validate.
    let resource_type = resources[0].to_lowercase();
    let kind = mutate::resolve_kind(&resource_type).map_err(errors::error)?;
    if kind != Kind::Node {
        return Err(errors::error(format!(
            "invalid resource type {resource_type}, only node types are supported"
        )));
    }
    let conflicts: Vec<String> = add
        .iter()
        .flat_map(|a| {
            remove
                .iter()
                .filter(move |r| a.key == r.key && (r.effect.is_empty() || r.effect == a.effect))
                .map(|r| format!("{{\"{}\":\"{}\"}}", r.key, r.effect))
        })
        .collect();
    if !conflicts.is_empty() {
        return Err(errors::error(format!(
            "can not both modify and remove the following taint(s) in the same command: {}",
            conflicts.join(", ")
        )));
    }
    let all = inv.get_bool("all");
    let selector = inv.get_str("selector");
    if all && !selector.is_empty() {
        return Err(errors::error(
            "setting 'all' parameter with a non empty selector is prohibited",
        ));
    }
    if !all && selector.is_empty() && resources.len() < 2 {
        return Err(errors::error(
            "at least one resource name must be specified since 'all' parameter is not set",
        ));
    }
    // Run.
    let mut printer = Printer::new(mutate::format(inv)?, DryRun::None);
    let mut sel = mutate::selection(s, inv, Vec::new());
    sel.args = if all || !selector.is_empty() {
        vec!["nodes".into()]
    } else {
        let mut a = vec!["nodes".to_string()];
        a.extend(resources[1..].iter().cloned());
        a
    };
    let targets = mutate::select(s, &sel, None, mutate::WhenEmpty::ResourceOrFilename)?;
    let overwrite = inv.get_bool("overwrite");
    let mut failed: Vec<Vec<String>> = Vec::new();
    for t in targets {
        if let Err(e) = taint_node(s, &t, &add, &remove, overwrite, dry, &mut printer, out) {
            failed.push(e);
        }
    }
    print_errors(out, failed);
    Ok(())
}

/// The errors of the nodes as `CheckErr` prints them: each node's error is an aggregate of its
/// own (one message, or `[a, b]`); a single node's aggregate is printed whole, one line each.
fn print_errors(out: &mut Output, failed: Vec<Vec<String>>) {
    match failed.as_slice() {
        [] => {}
        [one] if one.len() == 1 => mutate::print_aggregate(out, one.clone()),
        [one] => {
            for e in one {
                out.errln(e);
            }
            out.exit_code = 1;
        }
        many => {
            let msgs = many
                .iter()
                .map(|e| match e.as_slice() {
                    [m] => m.clone(),
                    ms => format!("[{}]", ms.join(", ")),
                })
                .collect();
            mutate::print_aggregate(out, msgs);
        }
    }
}

/// Updates one node's taints and prints the line.
fn taint_node(
    s: &mut Session,
    t: &mutate::Target,
    add: &[Spec],
    remove: &[Spec],
    overwrite: bool,
    dry: DryRun,
    printer: &mut Printer,
    out: &mut Output,
) -> Result<(), Vec<String>> {
    {
        let obj = t.fetch(&s.cluster).map_err(|e| vec![errors::api_error_text(&e)])?;
        let Object::Node(node) = &*obj else {
            return Err(vec![format!("unexpected type {}, expected Node", t.kind.info().kind)]);
        };
        if !overwrite {
            let exists: Vec<&str> = add
                .iter()
                .filter(|a| node.spec.taints.iter().any(|t| a.matches(t)))
                .map(|a| a.key.as_str())
                .collect();
            if !exists.is_empty() {
                return Err(vec![format!(
                    "node {} already has {} taint(s) with same effect(s) and --overwrite is false",
                    node.metadata.name,
                    exists.join(",")
                )]);
            }
        }
        let (word, taints) = reorganize(&node.spec.taints, overwrite, add, remove)?;
        let mut next = node.clone();
        next.spec.taints = taints;
        if dry == DryRun::Client {
            printer.print_object(out, &Object::Node(next), Encoding::Unstructured, word);
            return Ok(());
        }
        let stored = mutate::send(&mut s.cluster, dry, |c| mutate::patch(c, Object::Node(next)))
            .map_err(|e| vec![errors::api_error_text(&e)])?;
        printer.print_object(out, &stored, Encoding::Unstructured, word);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn parses_like_kubectl() {
        let (add, remove) = parse_taints(&v(&["dedicated=gpu:NoSchedule", "x:NoExecute-", "y-"])).unwrap();
        assert_eq!(add[0].to_text(), "dedicated=gpu:NoSchedule");
        assert_eq!(remove[0].to_text(), "x:NoExecute");
        assert_eq!(remove[1].to_text(), "y");
        assert_eq!(
            parse_taints(&v(&["a=b:Foo"])),
            Err("invalid taint effect: Foo, unsupported taint effect".into())
        );
        assert_eq!(
            parse_taints(&v(&["a=b:NoSchedule", "a=c:NoSchedule"])),
            Err("duplicated taints with the same key and effect: {a c NoSchedule <nil>}".into())
        );
    }

    #[test]
    fn reorganize_words() {
        let (add, _) = parse_taints(&v(&["a=b:NoSchedule"])).unwrap();
        let (w, t) = reorganize(&[], false, &add, &[]).unwrap();
        assert_eq!((w, t.len()), ("tainted", 1));
        let (_, remove) = parse_taints(&v(&["a-"])).unwrap();
        let (w, t) = reorganize(&t, false, &[], &remove).unwrap();
        assert_eq!((w, t.len()), ("untainted", 0));
        assert_eq!(
            reorganize(&t, false, &[], &remove),
            Err(vec!["taint \"a\" not found".to_string()])
        );
    }
}
