//! `kubectl cordon` and `kubectl uncordon` (`k8s.io/kubectl/pkg/cmd/drain/drain.go`,
//! `RunCordonOrUncordon`): set or clear `spec.unschedulable`; a node already in that state
//! prints `already cordoned` / `already uncordoned` and exits 0. `drain` (in `drain.rs`) starts
//! with the same cordon.

use super::mutate::{self, DryRun, Encoding, Printer};
use crate::engine::api::Object;
use crate::flags::Invocation;
use crate::session::Session;
use crate::{errors, Output};

pub fn run(s: &mut Session, inv: &Invocation) -> Output {
    let cordon = inv.path.first().copied() == Some("cordon");
    mutate::command(s, inv, |s, out| cordon_or_uncordon(s, inv, cordon, out))
}

pub fn cordon_or_uncordon(s: &mut Session, inv: &Invocation, cordon: bool, out: &mut Output) -> Result<(), Output> {
    let word = if cordon { "cordon" } else { "uncordon" };
    let selector = inv.was_set("selector");
    if inv.args.is_empty() && !selector {
        return Err(mutate::usage_error(inv, format!("USAGE: {word} NODE [flags]")));
    }
    if !inv.args.is_empty() && selector {
        return Err(mutate::usage_error(
            inv,
            "error: cannot specify both a node name and a --selector option",
        ));
    }
    let dry = mutate::dry_run(s, inv, out)?;
    let mut printer = Printer::new(mutate::Format::Message, dry);
    // `ResourceNames("nodes", args...)`: plain names are nodes, `TYPE/NAME` keeps its type.
    let args: Vec<String> = inv
        .args
        .iter()
        .map(|a| {
            if a.contains('/') {
                a.clone()
            } else {
                format!("nodes/{a}")
            }
        })
        .collect();
    let mut sel = mutate::selection(s, inv, args);
    if selector {
        sel.args = vec!["nodes".into()];
    }
    let targets = mutate::select(s, &sel, None, mutate::WhenEmpty::ResourceOrFilename)?;
    let mut objects = Vec::new();
    let mut missing = Vec::new();
    for t in &targets {
        match t.fetch(&s.cluster) {
            Ok(o) => objects.push(o),
            Err(e) => missing.push(errors::api_error_text(&e)),
        }
    }
    if !missing.is_empty() {
        return Err(Output::fail(missing.join("\n")));
    }
    for obj in objects {
        let Object::Node(n) = &*obj else {
            printer.print_object(out, &obj, Encoding::Unstructured, "skipped");
            continue;
        };
        let is_cordoned = n.spec.unschedulable == Some(true);
        if is_cordoned == cordon {
            printer.print_object(out, &obj, Encoding::Unstructured, &format!("already {word}ed"));
            continue;
        }
        let mut next = n.clone();
        next.spec.unschedulable = cordon.then_some(true);
        if dry != DryRun::Client {
            let result = mutate::send(&mut s.cluster, dry, |c| mutate::patch(c, Object::Node(next)));
            if let Err(e) = result {
                out.errln(format!(
                    "error: unable to {word} node \"{}\": {}",
                    n.metadata.name, e.message
                ));
                continue;
            }
        }
        printer.print_object(out, &obj, Encoding::Unstructured, &format!("{word}ed"));
    }
    Ok(())
}
