//! `kubectl autoscale (TYPE NAME | TYPE/NAME | -f FILE) [--min=N] --max=N [--cpu-percent=N]
//! [--name=NAME]` (`k8s.io/kubectl/pkg/cmd/autoscale/autoscale.go`, v1.32, which still
//! creates `autoscaling/v1` HorizontalPodAutoscalers; v1.33 moved to v2).
//!
//! The checks are kubectl's: `--max` is required (cobra, through klog), at least 1 and not
//! below `--min`; each target must exist and have a scale subresource (deployments,
//! replicasets, statefulsets). `--dry-run=client` prints the HPA kubectl would send
//! (`horizontalpodautoscaler.autoscaling/web created (dry run)`). The simulated API server does
//! not serve HorizontalPodAutoscalers yet, so creating one says so instead of pretending.

use super::mutate::{self, DryRun, Encoding, Printer, WhenEmpty};
use crate::engine::api::Kind;
use crate::flags::Invocation;
use crate::session::Session;
use crate::{errors, Output};
use serde_json::{json, Map, Value};

pub fn run(s: &mut Session, inv: &Invocation, stdin: Option<&str>) -> Output {
    if let Err(e) = mutate::check_required(s, inv) {
        return e;
    }
    mutate::command(s, inv, |s, out| autoscale(s, inv, stdin, out))
}

fn autoscale(s: &mut Session, inv: &Invocation, stdin: Option<&str>, out: &mut Output) -> Result<(), Output> {
    let dry = mutate::dry_run(s, inv, out)?;
    let (max, min) = (inv.get_int("max"), inv.get_int("min"));
    if max < 1 {
        return Err(errors::error(format!(
            "--max=MAXPODS is required and must be at least 1, max: {max}"
        )));
    }
    if max < min {
        return Err(errors::error(format!(
            "--max=MAXPODS must be larger or equal to --min=MINPODS, max: {max}, min: {min}"
        )));
    }
    let format = mutate::format(inv)?;
    let mut printer = Printer::new(format, dry);
    let sel = mutate::selection(s, inv, inv.args.clone());
    let targets = mutate::select(s, &sel, stdin, WhenEmpty::ResourceOrFilename)?;
    let mut count = 0;
    for t in targets {
        let obj = t.fetch(&s.cluster).map_err(|e| errors::api_error(&e))?;
        let info = t.kind.info();
        if !matches!(t.kind, Kind::Deployment | Kind::ReplicaSet | Kind::StatefulSet) {
            return Err(errors::error(format!(
                "cannot autoscale a {}: could not find scale subresource for {}/{}, Resource={} in discovery information",
                info.kind, info.group, info.version, info.plural
            )));
        }
        let name = match inv.get_str("name") {
            "" => obj.name().to_string(),
            n => n.to_string(),
        };
        let mut meta = Map::new();
        meta.insert("name".into(), json!(name));
        meta.insert("creationTimestamp".into(), Value::Null);
        let mut spec = Map::new();
        spec.insert(
            "scaleTargetRef".into(),
            json!({ "kind": info.kind, "name": obj.name(), "apiVersion": info.api_version() }),
        );
        if min > 0 {
            spec.insert("minReplicas".into(), json!(min));
        }
        spec.insert("maxReplicas".into(), json!(max));
        let cpu = inv.get_int("cpu-percent");
        if cpu >= 0 {
            spec.insert("targetCPUUtilizationPercentage".into(), json!(cpu));
        }
        let hpa = json!({
            "kind": "HorizontalPodAutoscaler",
            "apiVersion": "autoscaling/v1",
            "metadata": Value::Object(meta),
            "spec": Value::Object(spec),
            "status": { "currentReplicas": 0, "desiredReplicas": 0 }
        });
        if dry == DryRun::Client {
            count += 1;
            printer.print(out, &hpa, Encoding::Typed, "created");
            continue;
        }
        return Err(errors::error(
            "\"kubectl autoscale\" creates a HorizontalPodAutoscaler, which kubelab does not simulate yet (try --dry-run=client -o yaml)",
        ));
    }
    if count == 0 {
        return Err(errors::error("no objects passed to autoscale"));
    }
    Ok(())
}
