//! `kubectl scale` (`k8s.io/kubectl/pkg/cmd/scale/scale.go`): sets `spec.replicas` through
//! the scale subresource of deployments, replicasets and statefulsets, with `--current-replicas` as a
//! precondition. Prints `deployment.apps/web scaled`.

use super::mutate::{self, DryRun, Encoding, Printer, WhenEmpty};
use crate::engine::api::Object;
use crate::flags::Invocation;
use crate::session::Session;
use crate::{errors, Output};

pub fn run(s: &mut Session, inv: &Invocation, stdin: Option<&str>) -> Output {
    if let Err(e) = mutate::check_required(s, inv) {
        return e;
    }
    mutate::command(s, inv, |s, out| scale(s, inv, stdin, out))
}

fn scale(s: &mut Session, inv: &Invocation, stdin: Option<&str>, out: &mut Output) -> Result<(), Output> {
    let dry = mutate::dry_run(s, inv, out)?;
    let mut printer = Printer::new(mutate::format(inv)?, dry);
    let sel = mutate::selection(s, inv, inv.args.clone());
    let targets = mutate::select(s, &sel, stdin, WhenEmpty::ResourceOrFilename)?;
    // Validate.
    let replicas = inv.get_int("replicas");
    if replicas < 0 {
        return Err(errors::error(
            "The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0",
        ));
    }
    let current = inv.get_int("current-replicas");
    if current < -1 {
        return Err(errors::error(
            "The --current-replicas must specify an integer of -1 or greater",
        ));
    }
    // The builder fetches every object first; a missing one ends the command.
    let mut objects = Vec::new();
    for t in &targets {
        match t.fetch(&s.cluster) {
            Ok(o) => objects.push(o),
            Err(e) => return Err(errors::error(format!("no objects passed to scale {}", e.message))),
        }
    }
    if objects.is_empty() {
        return Err(errors::error("no objects passed to scale"));
    }
    let resource_version = inv.get_str("resource-version");
    if !resource_version.is_empty() && objects.len() > 1 {
        return Err(errors::error("cannot use --resource-version with multiple resources"));
    }
    mutate::for_each(out, objects, |out, obj| {
        if dry == DryRun::Client {
            printer.print_object(out, &obj, Encoding::Unstructured, "scaled");
            return Ok(());
        }
        let mut next = (*obj).clone();
        let have = match &mut next {
            Object::Deployment(d) => d.spec.replicas.replace(replicas),
            Object::ReplicaSet(rs) => rs.spec.replicas.replace(replicas),
            Object::StatefulSet(sts) => sts.spec.replicas.replace(replicas),
            _ => {
                return Err(format!(
                    "Error from server (NotFound): the server could not find the requested resource ({}/scale)",
                    obj.kind().info().plural
                ))
            }
        };
        let have = have.unwrap_or(1);
        if current >= 0 && have != current {
            return Err(format!("error: Expected replicas to be {current}, was {have}"));
        }
        if !resource_version.is_empty() && obj.meta().resource_version.as_deref() != Some(resource_version) {
            return Err(errors::api_error_text(&crate::engine::ApiError::conflict(
                obj.kind(),
                obj.name(),
            )));
        }
        let result = mutate::send(&mut s.cluster, dry, |c| mutate::patch(c, next));
        match result {
            Ok(stored) => {
                printer.print_object(out, &stored, Encoding::Unstructured, "scaled");
                Ok(())
            }
            Err(e) => Err(errors::api_error_text(&e)),
        }
    });
    Ok(())
}
