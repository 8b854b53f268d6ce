//! Small commands that describe the cluster and the client rather than objects: `version`,
//! `cluster-info`, `api-resources`, `api-versions`, `config`, and the honest answer for commands
//! kubelab does not simulate yet (help is in [`super::help`]).

use crate::engine::api::Kind;
use crate::engine::bootstrap::KUBERNETES_VERSION;
use crate::errors;
use crate::flags::Invocation;
use crate::printers::table;
use crate::session::Session;
use crate::Output;
use kubelab_engine::sort::CompactSort;

/// The kubeconfig context a kind cluster named `kind` creates.
pub const CONTEXT: &str = "kind-kind";
const SERVER: &str = "https://127.0.0.1:6443";

pub fn run(s: &mut Session, inv: &Invocation, _stdin: Option<&str>) -> Output {
    let path: Vec<&str> = inv.path.clone();
    match path.as_slice() {
        ["version"] => version(inv),
        ["cluster-info"] => cluster_info(),
        ["api-resources"] => api_resources(inv),
        ["api-versions"] => api_versions(),
        ["config", "current-context"] => {
            let mut o = Output::ok();
            o.outln(CONTEXT);
            o
        }
        ["config", "get-contexts"] => get_contexts(s),
        ["config", "view"] => config_view(s),
        ["config", "set-context"] => set_context(s, inv),
        _ => super::not_simulated(inv),
    }
}

/// `kubectl version`: the client, its bundled kustomize and the (simulated) server.
fn version(inv: &Invocation) -> Output {
    let mut o = Output::ok();
    o.outln(format!("Client Version: {KUBERNETES_VERSION}"));
    o.outln("Kustomize Version: v5.5.0");
    if !inv.get_bool("client") {
        o.outln(format!("Server Version: {KUBERNETES_VERSION}"));
    }
    o
}

fn cluster_info() -> Output {
    let mut o = Output::ok();
    o.outln(format!("Kubernetes control plane is running at {SERVER}"));
    o.outln(format!(
        "CoreDNS is running at {SERVER}/api/v1/namespaces/kube-system/services/kube-dns:dns/proxy"
    ));
    o.outln("");
    o.outln("To further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.");
    o
}

/// `kubectl api-resources`: the served types, core group first, then by group, names sorted
/// within a group (as discovery lists them).
fn api_resources(inv: &Invocation) -> Output {
    let group_filter = inv.was_set("api-group").then(|| inv.get_str("api-group").to_string());
    let namespaced_filter = inv.was_set("namespaced").then(|| inv.get_bool("namespaced"));
    let output = inv.get_str("output");
    if !matches!(output, "" | "wide" | "name") {
        return errors::error(format!("--output {output} is not available"));
    }
    let mut infos: Vec<_> = Kind::ALL
        .iter()
        .map(|k| k.info())
        .filter(|i| group_filter.as_deref().is_none_or(|g| g == i.group))
        .filter(|i| namespaced_filter.is_none_or(|n| n == i.namespaced))
        .collect();
    infos.compact_sort_by(|a, b| {
        (!a.group.is_empty(), a.group, a.plural).cmp(&(!b.group.is_empty(), b.group, b.plural))
    });
    let mut o = Output::ok();
    if output == "name" {
        for i in infos {
            let name = if i.group.is_empty() {
                i.plural.to_string()
            } else {
                format!("{}.{}", i.plural, i.group)
            };
            o.outln(name);
        }
        return o;
    }
    let mut rows: Vec<Vec<String>> = Vec::new();
    if !inv.get_bool("no-headers") {
        let mut head = vec!["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"];
        if output == "wide" {
            head.push("VERBS");
        }
        rows.push(head.into_iter().map(String::from).collect());
    }
    for i in infos {
        let mut row = vec![
            i.plural.to_string(),
            i.short_names.join(","),
            i.api_version(),
            i.namespaced.to_string(),
            i.kind.to_string(),
        ];
        if output == "wide" {
            row.push("create,delete,deletecollection,get,list,patch,update,watch".into());
        }
        rows.push(row);
    }
    o.out(table::render(&rows));
    o
}

fn api_versions() -> Output {
    let mut o = Output::ok();
    let mut groups: Vec<String> = Kind::ALL.iter().map(|k| k.info().api_version()).collect();
    groups.compact_sort();
    groups.dedup();
    for g in groups {
        o.outln(g);
    }
    o
}

fn get_contexts(s: &Session) -> Output {
    let ns = if s.namespace == "default" {
        String::new()
    } else {
        s.namespace.clone()
    };
    let rows = vec![
        vec![
            "CURRENT".to_string(),
            "NAME".into(),
            "CLUSTER".into(),
            "AUTHINFO".into(),
            "NAMESPACE".into(),
        ],
        vec!["*".to_string(), CONTEXT.into(), CONTEXT.into(), CONTEXT.into(), ns],
    ];
    let mut o = Output::ok();
    o.out(table::render(&rows));
    o
}

fn config_view(s: &Session) -> Output {
    let ns = if s.namespace == "default" {
        String::new()
    } else {
        format!("    namespace: {}\n", s.namespace)
    };
    let mut o = Output::ok();
    o.out(format!(
        "apiVersion: v1\nclusters:\n- cluster:\n    certificate-authority-data: DATA+OMITTED\n    server: {SERVER}\n  name: {CONTEXT}\ncontexts:\n- context:\n    cluster: {CONTEXT}\n{ns}    user: {CONTEXT}\n  name: {CONTEXT}\ncurrent-context: {CONTEXT}\nkind: Config\npreferences: {{}}\nusers:\n- name: {CONTEXT}\n  user:\n    client-certificate-data: DATA+OMITTED\n    client-key-data: DATA+OMITTED\n"
    ));
    o
}

/// `kubectl config set-context --current --namespace=NS`: the learner's way to switch namespace.
fn set_context(s: &mut Session, inv: &Invocation) -> Output {
    let name = match (inv.args.first(), inv.get_bool("current")) {
        (Some(n), false) => n.clone(),
        (None, true) => CONTEXT.to_string(),
        (Some(_), true) => return errors::error("you cannot specify both a context name and --current"),
        (None, false) => return errors::error("you must specify a non-empty context name or --current"),
    };
    if name != CONTEXT {
        return errors::error(format!("kubelab has one context, {CONTEXT:?}; use --current"));
    }
    if inv.was_set("namespace") {
        let ns = inv.get_str("namespace");
        s.namespace = if ns.is_empty() {
            "default".into()
        } else {
            ns.to_string()
        };
    }
    let mut o = Output::ok();
    o.outln(format!("Context \"{name}\" modified."));
    o
}
