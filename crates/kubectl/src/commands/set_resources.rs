//! `kubectl set resources (TYPE NAME | -f FILE) [--limits=cpu=200m,memory=512Mi]
//! [--requests=…] [-c CONTAINERS]` (`k8s.io/kubectl/pkg/cmd/set/set_resources.go`, v1.32).
//!
//! The quantities are parsed and written as kubectl serializes them (`--requests=cpu=0.1`
//! becomes `100m`, see [`super::quantity`]) into the limits and requests of every container
//! and init container matching `-c` (a glob, `*` by default); a selector that matches none
//! prints `error: unable to find container named …` and changes nothing. The line reads
//! `deployment.apps/web resource requirements updated`.

use super::mutate;
use super::podspec::{self, Words};
use super::quantity;
use super::set_env::glob_match;
use crate::flags::Invocation;
use crate::session::Session;
use crate::{errors, Output};
use serde_json::Value;
use std::collections::BTreeMap;

pub fn run(s: &mut Session, inv: &Invocation, stdin: Option<&str>) -> Output {
    mutate::command(s, inv, |s, out| set_resources(s, inv, stdin, out))
}

/// `populateResourceListV1`: `name=quantity,…`.
fn resource_list(spec: &str) -> Result<BTreeMap<String, String>, String> {
    let mut out = BTreeMap::new();
    if spec.is_empty() {
        return Ok(out);
    }
    for stmt in spec.split(',') {
        let parts: Vec<&str> = stmt.split('=').collect();
        let [name, value] = parts.as_slice() else {
            return Err(format!("Invalid argument syntax {stmt}, expected <resource>=<value>"));
        };
        out.insert(name.to_string(), quantity::canonical(value)?);
    }
    Ok(out)
}

fn set_resources(s: &mut Session, inv: &Invocation, stdin: Option<&str>, out: &mut Output) -> Result<(), Output> {
    let dry = mutate::dry_run(s, inv, out)?;
    mutate::format(inv)?;
    // Validate.
    if inv.get_bool("local") && dry == mutate::DryRun::Server {
        return Err(errors::error(
            "cannot specify --local and --dry-run=server - did you mean --dry-run=client?",
        ));
    }
    if inv.get_bool("all") && !inv.get_str("selector").is_empty() {
        return Err(errors::error("cannot set --all and --selector at the same time"));
    }
    // `Complete` asks for something to act on before `Validate` looks at the requirements.
    let nothing_named = inv.args.is_empty()
        && inv.get_all("filename").is_empty()
        && !inv.get_bool("all")
        && inv.get_str("selector").is_empty()
        && !inv.get_bool("local");
    if nothing_named {
        return Err(errors::error(mutate::WhenEmpty::ResourceOrFilename.message()));
    }
    let (limits, requests) = (inv.get_str("limits"), inv.get_str("requests"));
    if limits.is_empty() && requests.is_empty() {
        return Err(errors::error(
            "you must specify an update to requests or limits (in the form of --requests/--limits)",
        ));
    }
    let limits = resource_list(limits).map_err(errors::error)?;
    let requests = resource_list(requests).map_err(errors::error)?;
    let pattern = inv.get_str("containers").to_string();
    // kubectl v1.32 exits 1, without another message, when a selector matched no container.
    let mut unmatched = false;
    podspec::update_each(
        s,
        inv,
        stdin,
        out,
        inv.args.clone(),
        dry,
        Words {
            verb: "resource requirements updated",
            patch_failed: "failed to patch resources update to pod template ",
        },
        |_, spec, out| {
            let mut found = false;
            for c in spec
                .containers
                .iter_mut()
                .chain(spec.init_containers.iter_mut())
                .filter(|c| glob_match(&pattern, &c.name))
            {
                found = true;
                for (k, v) in &limits {
                    c.resources.limits.insert(k.clone(), Value::String(v.clone()));
                }
                for (k, v) in &requests {
                    c.resources.requests.insert(k.clone(), Value::String(v.clone()));
                }
            }
            if !found {
                out.errln(format!("error: unable to find container named {pattern}"));
                unmatched = true;
            }
            Ok(())
        },
    )?;
    if unmatched {
        out.exit_code = 1;
    }
    Ok(())
}
