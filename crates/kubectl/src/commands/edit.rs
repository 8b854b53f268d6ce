//! `kubectl edit (TYPE NAME | TYPE/NAME | -f FILE)` (`k8s.io/kubectl/pkg/cmd/edit`,
//! `cmd/util/editor`).
//!
//! kubectl fetches the objects, writes them to a temporary file and opens `$KUBE_EDITOR`,
//! `$EDITOR` or `vi`. The console has no terminal editor yet (the web app's YAML editor will
//! take this over), so kubelab answers what kubectl prints when the editor cannot be started:
//! `error: unable to launch the editor "vi"` (`editor.Launch` when `exec` finds no such
//! program). Everything before that is real: the arguments are checked and the objects are
//! fetched, so a missing object reads `Error from server (NotFound): …` as it would. Nothing is
//! changed; `kubectl patch`, `kubectl apply -f` and `kubectl replace -f` are the ways to edit.

use super::mutate::{self, WhenEmpty};
use crate::flags::Invocation;
use crate::session::Session;
use crate::{errors, Output};

/// The editor kubectl falls back to on Linux when neither variable is set.
const DEFAULT_EDITOR: &str = "vi";

pub fn run(s: &mut Session, inv: &Invocation, stdin: Option<&str>) -> Output {
    mutate::command(s, inv, |s, _out| edit(s, inv, stdin))
}

fn edit(s: &mut Session, inv: &Invocation, stdin: Option<&str>) -> Result<(), Output> {
    mutate::format(inv)?;
    let sel = mutate::selection(s, inv, inv.args.clone());
    let targets = mutate::select(s, &sel, stdin, WhenEmpty::ResourceOrFilename)?;
    let mut missing = Vec::new();
    for t in &targets {
        if let Err(e) = t.fetch(&s.cluster) {
            missing.push(errors::api_error_text(&e));
        }
    }
    if !missing.is_empty() {
        return Err(Output::fail(missing.join("\n")));
    }
    if targets.is_empty() {
        return Err(errors::error("edit cancelled, no objects found"));
    }
    Err(errors::error(format!(
        "unable to launch the editor \"{DEFAULT_EDITOR}\""
    )))
}
