//! `kubectl set image` (`k8s.io/kubectl/pkg/cmd/set/set_image.go`): sets container images in
//! the pod template of deployments and replicasets, or in a pod. `*` names every container.
//! Prints `deployment.apps/web image updated`; an object whose images were already those
//! prints nothing (its patch is empty). `set env` and `set resources` are in `set_env.rs` and
//! `set_resources.rs`.

use super::mutate::{self, DryRun, Encoding, Printer, WhenEmpty};
use crate::engine::api::{Container, Object, PodSpec};
use crate::flags::Invocation;
use crate::session::Session;
use crate::{errors, Output};
use std::collections::BTreeMap;

pub fn run(s: &mut Session, inv: &Invocation, stdin: Option<&str>) -> Output {
    match inv.path.get(1).copied() {
        Some("image") => mutate::command(s, inv, |s, out| image(s, inv, stdin, out)),
        _ => super::not_simulated(inv),
    }
}

/// Splits `set image` arguments into resources and `name=value` pairs
/// (`cmdutil.GetResourcesAndPairs`): every pair comes after every resource.
pub fn resources_and_pairs(args: &[String], pair_type: &str) -> Result<(Vec<String>, Vec<String>), String> {
    let mut resources = Vec::new();
    let mut pairs = Vec::new();
    for a in args {
        let pair = (a.contains('=') && !a.starts_with('=')) || (a.ends_with('-') && a != "-");
        match (pairs.is_empty(), pair) {
            (_, true) => pairs.push(a.clone()),
            (true, false) => resources.push(a.clone()),
            (false, false) => {
                return Err(format!(
                    "all resources must be specified before {pair_type} changes: {a}"
                ))
            }
        }
    }
    Ok((resources, pairs))
}

/// `container=image` pairs (`cmdutil.ParsePairs` without removals).
fn parse_images(pairs: &[String]) -> Result<BTreeMap<String, String>, String> {
    let mut images = BTreeMap::new();
    let mut invalid = Vec::new();
    for p in pairs {
        match p.split_once('=') {
            Some((k, v)) if !k.is_empty() => {
                images.insert(k.to_string(), v.to_string());
            }
            _ => invalid.push(p.as_str()),
        }
    }
    if !invalid.is_empty() {
        return Err(format!("invalid image format: {}", invalid.join(", ")));
    }
    Ok(images)
}

/// The pod spec of an object that has one (`UpdatePodSpecForObject`).
pub fn pod_spec_mut(obj: &mut Object) -> Option<&mut PodSpec> {
    match obj {
        Object::Pod(p) => Some(&mut p.spec),
        Object::Deployment(d) => Some(&mut d.spec.template.spec),
        Object::ReplicaSet(rs) => Some(&mut rs.spec.template.spec),
        Object::StatefulSet(x) => Some(&mut x.spec.template.spec),
        Object::DaemonSet(x) => Some(&mut x.spec.template.spec),
        Object::Job(x) => Some(&mut x.spec.template.spec),
        Object::CronJob(x) => Some(&mut x.spec.job_template.spec.template.spec),
        _ => None,
    }
}

fn set_image(containers: &mut [Container], name: &str, image: &str) -> bool {
    let mut found = false;
    for c in containers.iter_mut() {
        if c.name == name || name == "*" {
            c.image = image.to_string();
            found = true;
        }
    }
    found
}

fn image(s: &mut Session, inv: &Invocation, stdin: Option<&str>, out: &mut Output) -> Result<(), Output> {
    let (resources, pairs) = resources_and_pairs(&inv.args, "image").map_err(errors::error)?;
    let images = parse_images(&pairs).map_err(errors::error)?;
    let dry = mutate::dry_run(s, inv, out)?;
    let mut printer = Printer::new(mutate::format(inv)?, dry);
    let sel = mutate::selection(s, inv, resources);
    let targets = mutate::select(s, &sel, stdin, WhenEmpty::ResourceOrFilename)?;
    // The builder fetches everything (`Latest`) before anything is changed.
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
    // Validate.
    if sel.all && sel.selector.is_some() {
        return Err(errors::error("cannot set --all and --selector at the same time"));
    }
    if images.is_empty() {
        return Err(errors::error("at least one image update is required"));
    }
    if images.len() > 1 && images.contains_key("*") {
        return Err(errors::error(
            "all containers are already specified by *, but saw more than one container_name=container_image pairs",
        ));
    }
    let mut not_found = Vec::new();
    mutate::for_each(out, objects, |out, obj| {
        let mut next = (*obj).clone();
        let Some(spec) = pod_spec_mut(&mut next) else {
            return Err(format!(
                "error: {}/{} the object is not a pod or does not have a pod template\n",
                obj.kind().info().plural,
                obj.name()
            ));
        };
        for (name, image) in &images {
            let init = set_image(&mut spec.init_containers, name, image);
            let app = set_image(&mut spec.containers, name, image);
            if !init && !app {
                not_found.push(format!("error: unable to find container named \"{name}\""));
            }
        }
        if next == *obj {
            return Ok(());
        }
        if dry == DryRun::Client {
            printer.print_object(out, &next, Encoding::Unstructured, "image updated");
            return Ok(());
        }
        let result = super::warnings::send(&mut s.cluster, dry, out, |c| mutate::patch(c, next));
        match result {
            Ok(stored) => {
                printer.print_object(out, &stored, Encoding::Unstructured, "image updated");
                Ok(())
            }
            Err(e) => Err(format!(
                "error: failed to patch image update to pod template: {}",
                e.message
            )),
        }
    });
    for e in not_found {
        out.errln(e);
        out.exit_code = 1;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn pairs_come_after_resources() {
        assert_eq!(
            resources_and_pairs(&v(&["deploy/web", "nginx=nginx:1.27"]), "image"),
            Ok((v(&["deploy/web"]), v(&["nginx=nginx:1.27"])))
        );
        assert_eq!(
            resources_and_pairs(&v(&["a=b", "x"]), "label"),
            Err("all resources must be specified before label changes: x".into())
        );
    }
}
