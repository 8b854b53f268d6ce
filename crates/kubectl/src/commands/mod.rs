//! kubectl's commands. `run` parses the command line with the cobra-compatible parser in
//! [`crate::flags`] and hands the invocation to the command's module. Each module reads the
//! cluster and acts on it only through the engine's API.

pub mod apply;
pub mod attach;
pub mod auth;
pub mod autoscale;
pub mod cmdutil;
pub mod cp;
pub mod create;
pub mod curl;
pub mod delete;
pub mod describe;
pub mod diff;
pub mod drain;
pub mod edit;
pub mod events;
pub mod exec;
pub mod explain;
pub mod expose;
pub mod generators;
pub mod get;
pub mod help;
pub mod kustomize;
pub mod label;
pub mod logs;
pub mod misc;
pub mod mutate;
pub mod nodes;
pub mod patch;
pub mod patches;
pub mod podspec;
pub mod port_forward;
pub mod quantity;
pub mod replace;
pub mod rollout;
pub mod run;
pub mod scale;
pub mod set;
pub mod set_env;
pub mod set_resources;
pub mod sim;
pub mod taint;
pub mod targets;
pub mod top;
pub mod typed_json;
pub mod wait;
pub mod warnings;

use crate::errors;
use crate::flags::{self, Invocation};
use crate::session::Session;
use crate::Output;

/// Runs `kubectl <argv[1..]>`.
pub fn run(s: &mut Session, argv: &[String], stdin: Option<&str>) -> Output {
    let inv = match flags::parse_kubectl(argv) {
        Ok(inv) => inv,
        Err(out) => return out,
    };
    if inv.help.is_some() {
        return help::run(&inv);
    }
    if let Err(e) = check_request_timeout(&inv) {
        return e;
    }
    let path: Vec<&str> = inv.path.clone();
    match path.as_slice() {
        ["get"] => get::run(s, &inv),
        ["describe"] => describe::run(s, &inv),
        ["create", "secret", "tls" | "docker-registry"]
        | ["create", "ingress" | "serviceaccount" | "quota" | "poddisruptionbudget"] => generators::run(s, &inv),
        ["create", ..] => create::run(s, &inv, stdin),
        ["apply"] => apply::run(s, &inv, stdin),
        ["delete"] => delete::run(s, &inv, stdin),
        ["scale"] => scale::run(s, &inv, stdin),
        ["expose"] => expose::run(s, &inv, stdin),
        ["set", "env"] => set_env::run(s, &inv, stdin),
        ["set", "resources"] => set_resources::run(s, &inv, stdin),
        ["set", ..] => set::run(s, &inv, stdin),
        ["rollout", ..] => rollout::run(s, &inv, stdin),
        ["logs"] => logs::run(s, &inv),
        ["run"] => run::run(s, &inv, stdin),
        ["patch"] => patch::run(s, &inv, stdin),
        ["replace"] => replace::run(s, &inv, stdin),
        ["edit"] => edit::run(s, &inv, stdin),
        ["wait"] => wait::run(s, &inv, stdin),
        ["taint"] => taint::run(s, &inv),
        ["drain"] => drain::run(s, &inv),
        ["top", ..] => top::run(s, &inv),
        ["auth", ..] => auth::run(s, &inv),
        ["autoscale"] => autoscale::run(s, &inv, stdin),
        ["explain"] => explain::run(s, &inv),
        ["exec"] => exec::run(s, &inv, stdin),
        ["attach"] => attach::run(s, &inv, stdin),
        ["events"] => events::run(s, &inv),
        ["cp"] => cp::run(s, &inv),
        ["diff"] => diff::run(s, &inv, stdin),
        ["port-forward"] => port_forward::run(s, &inv),
        ["label"] | ["annotate"] => label::run(s, &inv, stdin),
        ["cordon"] | ["uncordon"] => nodes::run(s, &inv),
        ["kustomize"] => kustomize::run(s, &inv),
        _ => misc::run(s, &inv, stdin),
    }
}

/// `--request-timeout` is read when the REST client config is built, which every command
/// talking to the API server does first (not `config`, `version`, `completion`, `options`,
/// `plugin`, `kustomize`): an integer is seconds, else a Go duration.
fn check_request_timeout(inv: &Invocation) -> Result<(), Output> {
    let offline = matches!(
        inv.path.first().copied(),
        None | Some("config" | "version" | "completion" | "options" | "plugin" | "kustomize" | "help")
    );
    let v = inv.get_str("request-timeout");
    if offline || v.is_empty() || v.chars().all(|c| c.is_ascii_digit()) || flags::parse_duration(v).is_ok() {
        return Ok(());
    }
    Err(errors::error(
        "Invalid timeout value. Timeout must be a single integer in seconds, or an integer followed by a corresponding time unit (e.g. 1s | 2m | 3h)",
    ))
}

/// The namespace a command works in: `-n`, else the context's.
pub fn namespace(s: &Session, inv: &Invocation) -> String {
    Some(inv.get_str("namespace"))
        .filter(|n| !n.is_empty())
        .map(str::to_string)
        .unwrap_or_else(|| s.namespace.clone())
}

/// Commands that are not kubectl: the console is a shell on a node, so an unknown command gets
/// bash's answer.
pub fn other(s: &mut Session, argv: &[String], _stdin: Option<&str>) -> Output {
    let name = argv.first().map(String::as_str).unwrap_or("");
    if name == "curl" {
        return curl::run(s, argv);
    }
    if name == "sim" {
        return sim::run(s, argv);
    }
    let mut o = Output::fail(format!("bash: {name}: command not found"));
    o.exit_code = 127;
    o
}

/// The honest answer for a kubectl command kubelab does not simulate yet.
pub fn not_simulated(inv: &Invocation) -> Output {
    errors::error(format!(
        "\"kubectl {}\" is not simulated by kubelab yet",
        inv.path.join(" ")
    ))
}
