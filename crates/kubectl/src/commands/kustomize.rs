//! `kubectl kustomize [DIR]`: the build of a kustomization in the session's files, printed as
//! YAML documents separated by `---` (see [`crate::kustomize`]).

use crate::flags::Invocation;
use crate::kustomize;
use crate::printers::yaml::to_yaml;
use crate::session::Session;
use crate::{errors, Output};

pub fn run(s: &mut Session, inv: &Invocation) -> Output {
    let dir = match inv.args.as_slice() {
        [] => ".".to_string(),
        [one] => one.clone(),
        _ => return errors::error("specify one path to kustomization.yaml"),
    };
    if !inv.get_str("output").is_empty() {
        return errors::error("kubelab does not simulate kustomize --output yet");
    }
    let mut out = Output::ok();
    let built = match kustomize::build(&s.files, &dir) {
        Ok(b) => b,
        Err(e) => return errors::error(e),
    };
    warn(&mut out, &built.warnings);
    let text: Vec<String> = built.docs.iter().map(|d| to_yaml(&d.value)).collect();
    out.out(text.join("---\n"));
    out
}

/// kustomize's deprecation notes, on stderr before anything else.
pub fn warn(out: &mut Output, warnings: &[String]) {
    for w in warnings {
        out.errln(format!("# Warning: {w}"));
    }
}
