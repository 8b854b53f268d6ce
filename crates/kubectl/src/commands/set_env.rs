//! `kubectl set env (TYPE NAME | -f FILE) KEY=VALUE… [KEY-…] [-e KEY=VALUE]
//! [--from=configmap/NAME|secret/NAME [--keys=…] [--prefix=P]] [-c CONTAINERS] [--list
//! [--resolve]] [--overwrite=false]` (`k8s.io/kubectl/pkg/cmd/set/set_env.go`,
//! `pkg/cmd/set/env/env_parse.go`, v1.32).
//!
//! Variables given are set in every container matching `-c` (a glob, `*` by default), in
//! place when the container has them, appended otherwise; `KEY-` removes. `--from` adds one
//! variable per key of a ConfigMap or Secret (as `valueFrom` references, named after the key
//! upper-cased with other characters turned into `_`, plus `--prefix`; kubectl walks the data
//! in Go's map order, kubelab in key order). `--list` prints the resulting environment
//! (`# Deployment web, container nginx` then `KEY=value`, references as `# KEY from configmap
//! cfg, key k` unless `--resolve`). The line reads `deployment.apps/web env updated`; objects
//! the change leaves as they were print nothing.

use super::create::env_var_name;
use super::mutate;
use super::podspec::{self, Words};
use crate::engine::api::{EnvVar, Kind, Object};
use crate::flags::Invocation;
use crate::session::Session;
use crate::{errors, Output};
use serde_json::{json, Value};

pub fn run(s: &mut Session, inv: &Invocation, stdin: Option<&str>) -> Output {
    mutate::command(s, inv, |s, out| set_env(s, inv, stdin, out))
}

/// `SplitEnvironmentFromResources`: resources first, then `KEY=VALUE` / `KEY-` arguments.
fn split(args: &[String]) -> Option<(Vec<String>, Vec<String>)> {
    let mut resources = Vec::new();
    let mut env = Vec::new();
    for a in args {
        let is_env = a.find('=').is_some_and(|i| i > 0) || a.ends_with('-');
        match (env.is_empty(), is_env) {
            (_, true) => env.push(a.clone()),
            (true, false) => resources.push(a.clone()),
            (false, false) => return None,
        }
    }
    Some((resources, env))
}

/// `envutil.ParseEnv`: variables to set and names to remove; `-` reads `KEY=VALUE` lines from
/// standard input.
fn parse_env(specs: &[String], stdin: Option<&str>) -> Result<(Vec<EnvVar>, Vec<String>), String> {
    let mut env = Vec::new();
    let mut remove = Vec::new();
    let mut set_names = Vec::new();
    for spec in specs {
        if spec == "-" {
            let Some(text) = stdin else {
                return Err("when '-' is used, STDIN must be open".into());
            };
            for line in text.lines() {
                let line = line.split('#').next().unwrap_or("");
                if let Some((k, v)) = line.split_once('=') {
                    env.push(EnvVar {
                        name: k.to_string(),
                        value: Some(v.to_string()),
                        value_from: None,
                    });
                }
            }
        } else if let Some((k, v)) = spec.split_once('=') {
            if let Err(e) = env_var_name(k) {
                return Err(format!("{} is not a valid key name: {e}", crate::flags::go_quote(k)));
            }
            set_names.push(k.to_string());
            env.push(EnvVar {
                name: k.to_string(),
                value: Some(v.to_string()),
                value_from: None,
            });
        } else if let Some(k) = spec.strip_suffix('-') {
            remove.push(k.to_string());
        } else {
            return Err(format!("unknown environment variable: {spec}"));
        }
    }
    if remove.iter().any(|r| set_names.contains(r)) {
        return Err("can not both modify and remove the same environment variable in the same command".into());
    }
    Ok((env, remove))
}

/// `updateEnv`: replaced in place, removed, or appended.
fn update_env(existing: &[EnvVar], env: &[EnvVar], remove: &[String]) -> Vec<EnvVar> {
    let mut covered: Vec<String> = remove.to_vec();
    let mut out = Vec::new();
    for e in existing {
        if covered.contains(&e.name) {
            continue;
        }
        match env.iter().find(|n| n.name == e.name) {
            Some(newer) => {
                covered.push(e.name.clone());
                out.push(newer.clone());
            }
            None => out.push(e.clone()),
        }
    }
    for e in env {
        if covered.contains(&e.name) {
            continue;
        }
        covered.push(e.name.clone());
        out.push(e.clone());
    }
    out
}

/// `keyToEnvName`.
fn key_to_env_name(key: &str) -> String {
    key.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect()
}

/// `path.Match` for the container selector: `*` and `?` globs, `[…]` classes kept literal.
pub fn glob_match(pattern: &str, name: &str) -> bool {
    fn go(p: &[char], n: &[char]) -> bool {
        match p.first() {
            None => n.is_empty(),
            Some('*') => (0..=n.len()).any(|i| go(&p[1..], &n[i..])),
            Some('?') => !n.is_empty() && go(&p[1..], &n[1..]),
            Some(c) => n.first() == Some(c) && go(&p[1..], &n[1..]),
        }
    }
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    go(&p, &n)
}

/// `GetEnvVarRefString`.
fn ref_string(from: &Value) -> String {
    if let Some(r) = from.get("configMapKeyRef") {
        return format!("configmap {}, key {}", str_of(r, "name"), str_of(r, "key"));
    }
    if let Some(r) = from.get("secretKeyRef") {
        return format!("secret {}, key {}", str_of(r, "name"), str_of(r, "key"));
    }
    if let Some(r) = from.get("fieldRef") {
        return format!("field path {}", str_of(r, "fieldPath"));
    }
    if let Some(r) = from.get("resourceFieldRef") {
        let c = str_of(r, "containerName");
        return if c.is_empty() {
            format!("resource {}", str_of(r, "resource"))
        } else {
            format!("resource {}, container {c}", str_of(r, "resource"))
        };
    }
    "invalid valueFrom".into()
}

fn str_of(v: &Value, k: &str) -> String {
    v.get(k).and_then(Value::as_str).unwrap_or("").to_string()
}

fn set_env(s: &mut Session, inv: &Invocation, stdin: Option<&str>, out: &mut Output) -> Result<(), Output> {
    // Complete.
    let selector = inv.get_str("selector");
    if inv.get_bool("all") && !selector.is_empty() {
        return Err(errors::error("cannot set --all and --selector at the same time"));
    }
    let Some((resources, env_args)) = split(&inv.args) else {
        return Err(errors::error(format!(
            "all resources must be specified before environment changes: {}",
            inv.args.join(" ")
        )));
    };
    let dry = mutate::dry_run(s, inv, out)?;
    mutate::format(inv)?;
    // Validate.
    let local = inv.get_bool("local");
    if local && dry == mutate::DryRun::Server {
        return Err(errors::error(
            "cannot specify --local and --dry-run=server - did you mean --dry-run=client?",
        ));
    }
    if inv.get_all("filename").is_empty() && resources.is_empty() {
        return Err(errors::error(
            "one or more resources must be specified as <resource> <name> or <resource>/<name>",
        ));
    }
    let list = inv.get_bool("list");
    if list && !inv.get_str("output").is_empty() {
        return Err(errors::error("--list and --output may not be specified together"));
    }
    let from = inv.get_str("from");
    let keys = inv.get_all("keys");
    if !keys.is_empty() && from.is_empty() {
        return Err(errors::error(
            "when specifying --keys, a configmap or secret must be provided with --from",
        ));
    }
    // Run.
    let mut specs = inv.get_all("env");
    specs.extend(env_args);
    let (mut env, remove) = parse_env(&specs, stdin).map_err(errors::error)?;
    if !from.is_empty() {
        env.extend(from_refs(s, inv, from, &keys)?);
    }
    let prefix = inv.get_str("prefix");
    for e in &mut env {
        e.name = format!("{prefix}{}", e.name);
    }
    let pattern = inv.get_str("containers").to_string();
    let overwrite = inv.get_bool("overwrite");
    let resolve = inv.get_bool("resolve");
    let ns = super::namespace(s, inv);
    // `--resolve` reads referenced ConfigMaps and Secrets as they are now.
    let snapshot = (list && resolve).then(|| s.cluster.clone());
    let lookup = |kind: Kind, name: &str, key: &str| -> Option<String> {
        let o = snapshot.as_ref()?.get(kind, &ns, name)?;
        match &**o {
            Object::ConfigMap(c) => c.data.get(key).cloned(),
            Object::Secret(sec) => sec
                .data
                .get(key)
                .and_then(|b| crate::engine::base64::decode(b).ok())
                .map(|b| String::from_utf8_lossy(&b).into_owned()),
            _ => None,
        }
    };
    let mut listing = Output::ok();
    let mut list_objects =
        |obj: &Object, spec: &mut crate::engine::api::PodSpec, out: &mut Output| -> Result<(), String> {
            let kind = obj.kind().info().kind;
            let containers: Vec<&mut crate::engine::api::Container> = spec
                .containers
                .iter_mut()
                .filter(|c| glob_match(&pattern, &c.name))
                .collect();
            if containers.is_empty() {
                out.errln(format!(
                    "Warning: {kind}/{} does not have any containers matching {}",
                    obj.name(),
                    crate::flags::go_quote(&pattern)
                ));
                return Ok(());
            }
            for c in containers {
                if !overwrite {
                    if let Some(clash) = env
                        .iter()
                        .find_map(|e| c.env.iter().find(|x| x.name == e.name && x.value != e.value))
                    {
                        return Err(format!(
                            "'{}' already has a value ({}), and --overwrite is false",
                            clash.name,
                            clash.value.clone().unwrap_or_default()
                        ));
                    }
                }
                c.env = update_env(&c.env, &env, &remove);
                if list {
                    listing.outln(format!("# {kind} {}, container {}", obj.name(), c.name));
                    for e in &c.env {
                        match &e.value_from {
                            None => {
                                listing.outln(format!("{}={}", e.name, e.value.clone().unwrap_or_default()));
                            }
                            Some(from) => {
                                let resolved = resolve
                                    .then(|| {
                                        let (kind, r) = if let Some(r) = from.get("configMapKeyRef") {
                                            (Kind::ConfigMap, r)
                                        } else {
                                            (Kind::Secret, from.get("secretKeyRef")?)
                                        };
                                        lookup(kind, &str_of(r, "name"), &str_of(r, "key"))
                                    })
                                    .flatten();
                                match resolved {
                                    Some(v) => listing.outln(format!("{}={v}", e.name)),
                                    None => listing.outln(format!("# {} from {}", e.name, ref_string(from))),
                                };
                            }
                        }
                    }
                }
            }
            Ok(())
        };
    if list {
        // `--list` changes nothing: run the change on copies and print the environment.
        let mut scratch = s.clone();
        let mut ignored = Output::ok();
        podspec::update_each(
            &mut scratch,
            inv,
            stdin,
            &mut ignored,
            resources,
            mutate::DryRun::Client,
            Words {
                verb: "",
                patch_failed: "",
            },
            &mut list_objects,
        )?;
        out.extend(listing);
        return Ok(());
    }
    podspec::update_each(
        s,
        inv,
        stdin,
        out,
        resources,
        dry,
        Words {
            verb: "env updated",
            patch_failed: "failed to patch env update to pod template: ",
        },
        list_objects,
    )
}

/// `--from=configmap/NAME|secret/NAME`: one `valueFrom` variable per (selected) key.
fn from_refs(s: &Session, inv: &Invocation, from: &str, keys: &[String]) -> Result<Vec<EnvVar>, Output> {
    let sel = mutate::selection(s, inv, vec![from.to_string()]);
    let targets = mutate::select(s, &sel, None, mutate::WhenEmpty::ResourceOrFilename)?;
    let mut env = Vec::new();
    for t in targets {
        let obj = t.fetch(&s.cluster).map_err(|e| errors::api_error(&e))?;
        let (data_keys, ref_field): (Vec<String>, &str) = match &*obj {
            Object::ConfigMap(c) => (c.data.keys().cloned().collect(), "configMapKeyRef"),
            Object::Secret(sec) => (sec.data.keys().cloned().collect(), "secretKeyRef"),
            _ => return Err(errors::error("unsupported resource specified in --from")),
        };
        for key in data_keys {
            if keys.is_empty() || keys.contains(&key) {
                env.push(EnvVar {
                    name: key_to_env_name(&key),
                    value: None,
                    value_from: Some(json!({ ref_field: { "key": key, "name": obj.name() } })),
                });
            }
        }
    }
    Ok(env)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(n: &str, v: &str) -> EnvVar {
        EnvVar {
            name: n.into(),
            value: Some(v.into()),
            value_from: None,
        }
    }

    #[test]
    fn updates_in_place_and_appends() {
        let got = update_env(&[e("A", "1"), e("B", "2")], &[e("B", "3"), e("C", "4")], &["A".into()]);
        assert_eq!(got, vec![e("B", "3"), e("C", "4")]);
    }

    #[test]
    fn names_and_globs() {
        assert_eq!(key_to_env_name("db.host-name"), "DB_HOST_NAME");
        assert!(glob_match("*", "nginx"));
        assert!(glob_match("ng*", "nginx"));
        assert!(!glob_match("side", "nginx"));
    }
}
