//! `kubectl auth can-i` and `kubectl auth whoami` (`k8s.io/kubectl/pkg/cmd/auth/cani.go`,
//! `whoami.go`, v1.32).
//!
//! The sandbox's kubeconfig is kind's admin: user `kubernetes-admin` in the
//! `kubeadm:cluster-admins` group, which is bound to `cluster-admin`, so every access review
//! answers `yes`. What kubectl checks on the client is kept: exactly `VERB TYPE[/NAME]` or
//! `VERB /URL`, the `--list` combinations, the warnings for an unknown resource type
//! (`Warning: the server doesn't have a resource type 'foo'`) or verb. `--list` prints the
//! rules of that user: cluster-admin's `*.*` and `*` plus the discovery and self-review rules
//! every authenticated user has (as listed by a kind v1.32 cluster; not captured here).

use super::mutate;
use crate::flags::Invocation;
use crate::printers::table;
use crate::session::Session;
use crate::{errors, resources, Output};

pub fn run(_s: &mut Session, inv: &Invocation) -> Output {
    let mut out = mutate::parse_warnings(inv);
    let result = match inv.path.get(1).copied() {
        Some("can-i") => can_i(inv, &mut out),
        Some("whoami") => whoami(inv, &mut out),
        _ => Err(super::not_simulated(inv)),
    };
    if let Err(e) = result {
        out.extend(e);
    }
    out
}

/// The verbs `can-i` knows without a warning.
const VERBS: &[&str] = &[
    "get",
    "list",
    "watch",
    "create",
    "update",
    "patch",
    "delete",
    "deletecollection",
    "use",
    "bind",
    "impersonate",
    "*",
    "approve",
    "sign",
    "escalate",
    "attest",
];

const USER: &str = "kubernetes-admin";
const GROUPS: &str = "[kubeadm:cluster-admins system:authenticated]";

fn can_i(inv: &Invocation, out: &mut Output) -> Result<(), Output> {
    let list = inv.get_bool("list");
    let quiet = inv.get_bool("quiet");
    if list {
        if !inv.args.is_empty() {
            return Err(errors::error("list option must be specified with no arguments"));
        }
        if quiet || inv.get_bool("all-namespaces") || !inv.get_str("subresource").is_empty() {
            return Err(errors::error(
                "list option can't be specified with neither quiet, all-namespaces nor subresource options",
            ));
        }
        out.out(rules_table(inv.get_bool("no-headers")));
        return Ok(());
    }
    let two = || {
        Output::fail(
            "error: you must specify two arguments: verb resource or verb resource/resourceName.\nSee 'kubectl auth can-i -h' for help and examples.",
        )
    };
    let [verb, target] = inv.args.as_slice() else {
        return Err(two());
    };
    if !target.starts_with('/') {
        let resource = target.split_once('/').map_or(target.as_str(), |(r, _)| r);
        if resource != "*" && resources::resolve(resource).is_none() {
            out.errln(format!(
                "Warning: the server doesn't have a resource type '{resource}'\n"
            ));
        }
        if !VERBS.contains(&verb.as_str()) {
            out.errln(format!("Warning: verb '{verb}' is not a known verb\n"));
        }
    }
    if !quiet {
        out.outln("yes");
    }
    Ok(())
}

/// The rules of kind's admin, as `SelfSubjectRulesReview` returns them.
fn rules_table(no_headers: bool) -> String {
    let mut rows: Vec<[&str; 4]> = Vec::new();
    if !no_headers {
        rows.push(["Resources", "Non-Resource URLs", "Resource Names", "Verbs"]);
    }
    rows.push(["*.*", "[]", "[]", "[*]"]);
    rows.push(["", "[*]", "[]", "[*]"]);
    for r in [
        "selfsubjectreviews.authentication.k8s.io",
        "selfsubjectaccessreviews.authorization.k8s.io",
        "selfsubjectrulesreviews.authorization.k8s.io",
    ] {
        rows.push([r, "[]", "[]", "[create]"]);
    }
    for url in [
        "[/api/*]",
        "[/api]",
        "[/apis/*]",
        "[/apis]",
        "[/healthz]",
        "[/healthz]",
        "[/livez]",
        "[/livez]",
        "[/openapi/*]",
        "[/openapi]",
        "[/readyz]",
        "[/readyz]",
        "[/version/]",
        "[/version/]",
        "[/version]",
        "[/version]",
    ] {
        rows.push(["", url, "[]", "[get]"]);
    }
    let rows: Vec<Vec<&str>> = rows.iter().map(|r| r.to_vec()).collect();
    table::render(&rows)
}

/// `kubectl auth whoami`: the attributes of the SelfSubjectReview.
fn whoami(inv: &Invocation, out: &mut Output) -> Result<(), Output> {
    match inv.get_str("output") {
        "" => {
            let rows = vec![
                vec!["ATTRIBUTE", "VALUE"],
                vec!["Username", USER],
                vec!["Groups", GROUPS],
            ];
            out.out(table::render(&rows));
        }
        "yaml" => {
            out.out(format!("apiVersion: authentication.k8s.io/v1\nkind: SelfSubjectReview\nmetadata:\n  creationTimestamp: null\nstatus:\n  userInfo:\n    groups:\n    - kubeadm:cluster-admins\n    - system:authenticated\n    username: {USER}\n"));
        }
        "json" => {
            out.out(format!("{{\n    \"kind\": \"SelfSubjectReview\",\n    \"apiVersion\": \"authentication.k8s.io/v1\",\n    \"metadata\": {{\n        \"creationTimestamp\": null\n    }},\n    \"status\": {{\n        \"userInfo\": {{\n            \"username\": \"{USER}\",\n            \"groups\": [\n                \"kubeadm:cluster-admins\",\n                \"system:authenticated\"\n            ]\n        }}\n    }}\n}}\n"));
        }
        _ => {
            mutate::format(inv)?;
            return Err(super::not_simulated(inv));
        }
    }
    Ok(())
}
