//! JSON of typed objects, in Go struct-field order.
//!
//! kubectl's generators (`create deployment`, `create service`, `expose`…) build typed Go
//! structs (`appsv1.Deployment`), and Go's `encoding/json` writes struct fields in declaration
//! order, not sorted: `kind`, `apiVersion`, `metadata` (`name`, `namespace`,
//! `creationTimestamp`, `labels`…), `spec`, `status`. That is what `create … --dry-run=client
//! -o json` prints and what `--save-config` stores in the
//! `kubectl.kubernetes.io/last-applied-configuration` annotation. Maps (`labels`, `data`,
//! `selector`) are still sorted. A `serde_json::Value` has no field order, so the order is
//! imposed here from a table of the k8s.io/api v0.32 structs; fields the table does not know
//! follow in sorted order. Scalars are written by [`crate::printers::json`] so escaping matches.

use crate::printers::json::to_json_compact as go_compact;
use kubelab_engine::sort::CompactSort;
use serde_json::Value;

/// The Go fields of a struct type, in declaration order, each with the type of its value
/// (`""` for scalars and maps, whose keys Go sorts). Arrays use their element type.
fn fields(ty: &str) -> &'static [(&'static str, &'static str)] {
    match ty {
        "ObjectMeta" => &[
            ("name", ""),
            ("generateName", ""),
            ("namespace", ""),
            ("selfLink", ""),
            ("uid", ""),
            ("resourceVersion", ""),
            ("generation", ""),
            ("creationTimestamp", ""),
            ("deletionTimestamp", ""),
            ("deletionGracePeriodSeconds", ""),
            ("labels", ""),
            ("annotations", ""),
            ("ownerReferences", "OwnerReference"),
            ("finalizers", ""),
            ("managedFields", ""),
        ],
        "OwnerReference" => &[
            ("apiVersion", ""),
            ("kind", ""),
            ("name", ""),
            ("uid", ""),
            ("controller", ""),
            ("blockOwnerDeletion", ""),
        ],
        "LabelSelector" => &[("matchLabels", ""), ("matchExpressions", "LabelSelectorRequirement")],
        "LabelSelectorRequirement" => &[("key", ""), ("operator", ""), ("values", "")],
        "Condition" => &[
            ("type", ""),
            ("status", ""),
            ("observedGeneration", ""),
            ("lastProbeTime", ""),
            ("lastHeartbeatTime", ""),
            ("lastUpdateTime", ""),
            ("lastTransitionTime", ""),
            ("reason", ""),
            ("message", ""),
        ],
        // apps/v1
        "Deployment"
        | "ReplicaSet"
        | "Service"
        | "Namespace"
        | "Pod"
        | "Job"
        | "CronJob"
        | "Ingress"
        | "PodDisruptionBudget"
        | "ResourceQuota"
        | "HorizontalPodAutoscaler" => TOP,
        "DeploymentSpec" => &[
            ("replicas", ""),
            ("selector", "LabelSelector"),
            ("template", "PodTemplateSpec"),
            ("strategy", "DeploymentStrategy"),
            ("minReadySeconds", ""),
            ("revisionHistoryLimit", ""),
            ("paused", ""),
            ("progressDeadlineSeconds", ""),
        ],
        "DeploymentStrategy" => &[("type", ""), ("rollingUpdate", "RollingUpdateDeployment")],
        "RollingUpdateDeployment" => &[("maxUnavailable", ""), ("maxSurge", "")],
        "DeploymentStatus" => &[
            ("observedGeneration", ""),
            ("replicas", ""),
            ("updatedReplicas", ""),
            ("readyReplicas", ""),
            ("availableReplicas", ""),
            ("unavailableReplicas", ""),
            ("conditions", "Condition"),
            ("collisionCount", ""),
        ],
        "ReplicaSetSpec" => &[
            ("replicas", ""),
            ("minReadySeconds", ""),
            ("selector", "LabelSelector"),
            ("template", "PodTemplateSpec"),
        ],
        "ReplicaSetStatus" => &[
            ("replicas", ""),
            ("fullyLabeledReplicas", ""),
            ("readyReplicas", ""),
            ("availableReplicas", ""),
            ("observedGeneration", ""),
            ("conditions", "Condition"),
        ],
        // core/v1 pods
        "PodTemplateSpec" => &[("metadata", "ObjectMeta"), ("spec", "PodSpec")],
        "PodSpec" => &[
            ("volumes", "Volume"),
            ("initContainers", "Container"),
            ("containers", "Container"),
            ("ephemeralContainers", "Container"),
            ("restartPolicy", ""),
            ("terminationGracePeriodSeconds", ""),
            ("activeDeadlineSeconds", ""),
            ("dnsPolicy", ""),
            ("nodeSelector", ""),
            ("serviceAccountName", ""),
            ("serviceAccount", ""),
            ("automountServiceAccountToken", ""),
            ("nodeName", ""),
            ("hostNetwork", ""),
            ("hostPID", ""),
            ("hostIPC", ""),
            ("shareProcessNamespace", ""),
            ("securityContext", ""),
            ("imagePullSecrets", ""),
            ("hostname", ""),
            ("subdomain", ""),
            ("affinity", ""),
            ("schedulerName", ""),
            ("tolerations", "Toleration"),
            ("hostAliases", ""),
            ("priorityClassName", ""),
            ("priority", ""),
            ("dnsConfig", ""),
            ("readinessGates", ""),
            ("runtimeClassName", ""),
            ("enableServiceLinks", ""),
            ("preemptionPolicy", ""),
            ("overhead", ""),
            ("topologySpreadConstraints", ""),
            ("setHostnameAsFQDN", ""),
            ("os", ""),
            ("hostUsers", ""),
            ("schedulingGates", ""),
            ("resourceClaims", ""),
            ("resources", "ResourceRequirements"),
        ],
        "Container" => &[
            ("name", ""),
            ("image", ""),
            ("command", ""),
            ("args", ""),
            ("workingDir", ""),
            ("ports", "ContainerPort"),
            ("envFrom", ""),
            ("env", "EnvVar"),
            ("resources", "ResourceRequirements"),
            ("resizePolicy", ""),
            ("restartPolicy", ""),
            ("volumeMounts", "VolumeMount"),
            ("volumeDevices", ""),
            ("livenessProbe", "Probe"),
            ("readinessProbe", "Probe"),
            ("startupProbe", "Probe"),
            ("lifecycle", ""),
            ("terminationMessagePath", ""),
            ("terminationMessagePolicy", ""),
            ("imagePullPolicy", ""),
            ("securityContext", ""),
            ("stdin", ""),
            ("stdinOnce", ""),
            ("tty", ""),
        ],
        "ContainerPort" => &[
            ("name", ""),
            ("hostPort", ""),
            ("containerPort", ""),
            ("protocol", ""),
            ("hostIP", ""),
        ],
        "EnvVar" => &[("name", ""), ("value", ""), ("valueFrom", "")],
        "ResourceRequirements" => &[("limits", ""), ("requests", ""), ("claims", "")],
        "VolumeMount" => &[
            ("name", ""),
            ("readOnly", ""),
            ("recursiveReadOnly", ""),
            ("mountPath", ""),
            ("subPath", ""),
            ("mountPropagation", ""),
            ("subPathExpr", ""),
        ],
        "Volume" => &[("name", "")],
        "Toleration" => &[
            ("key", ""),
            ("operator", ""),
            ("value", ""),
            ("effect", ""),
            ("tolerationSeconds", ""),
        ],
        "Probe" => &[
            ("exec", ""),
            ("httpGet", ""),
            ("tcpSocket", ""),
            ("grpc", ""),
            ("initialDelaySeconds", ""),
            ("timeoutSeconds", ""),
            ("periodSeconds", ""),
            ("successThreshold", ""),
            ("failureThreshold", ""),
            ("terminationGracePeriodSeconds", ""),
        ],
        // core/v1 services and namespaces
        "ServiceSpec" => &[
            ("ports", "ServicePort"),
            ("selector", ""),
            ("clusterIP", ""),
            ("clusterIPs", ""),
            ("type", ""),
            ("externalIPs", ""),
            ("sessionAffinity", ""),
            ("loadBalancerIP", ""),
            ("loadBalancerSourceRanges", ""),
            ("externalName", ""),
            ("externalTrafficPolicy", ""),
            ("healthCheckNodePort", ""),
            ("publishNotReadyAddresses", ""),
            ("sessionAffinityConfig", ""),
            ("ipFamilies", ""),
            ("ipFamilyPolicy", ""),
            ("allocateLoadBalancerNodePorts", ""),
            ("loadBalancerClass", ""),
            ("internalTrafficPolicy", ""),
            ("trafficDistribution", ""),
        ],
        "ServicePort" => &[
            ("name", ""),
            ("protocol", ""),
            ("appProtocol", ""),
            ("port", ""),
            ("targetPort", ""),
            ("nodePort", ""),
        ],
        "ServiceStatus" => &[("loadBalancer", ""), ("conditions", "Condition")],
        "NamespaceSpec" => &[("finalizers", "")],
        "NamespaceStatus" => &[("phase", ""), ("conditions", "Condition")],
        // configmaps and secrets have no spec: their data follows the metadata.
        "ConfigMap" => &[
            ("kind", ""),
            ("apiVersion", ""),
            ("metadata", "ObjectMeta"),
            ("immutable", ""),
            ("data", ""),
            ("binaryData", ""),
        ],
        "Secret" => &[
            ("kind", ""),
            ("apiVersion", ""),
            ("metadata", "ObjectMeta"),
            ("immutable", ""),
            ("data", ""),
            ("stringData", ""),
            ("type", ""),
        ],
        // batch/v1
        "JobSpec" => &[
            ("parallelism", ""),
            ("completions", ""),
            ("activeDeadlineSeconds", ""),
            ("podFailurePolicy", ""),
            ("successPolicy", ""),
            ("backoffLimit", ""),
            ("backoffLimitPerIndex", ""),
            ("maxFailedIndexes", ""),
            ("selector", "LabelSelector"),
            ("manualSelector", ""),
            ("template", "PodTemplateSpec"),
            ("ttlSecondsAfterFinished", ""),
            ("completionMode", ""),
            ("suspend", ""),
            ("podReplacementPolicy", ""),
            ("managedBy", ""),
        ],
        "CronJobSpec" => &[
            ("schedule", ""),
            ("timeZone", ""),
            ("startingDeadlineSeconds", ""),
            ("concurrencyPolicy", ""),
            ("suspend", ""),
            ("jobTemplate", "JobTemplateSpec"),
            ("successfulJobsHistoryLimit", ""),
            ("failedJobsHistoryLimit", ""),
        ],
        "JobTemplateSpec" => &[("metadata", "ObjectMeta"), ("spec", "JobSpec")],
        // networking.k8s.io/v1
        "IngressSpec" => &[
            ("ingressClassName", ""),
            ("defaultBackend", "IngressBackend"),
            ("tls", "IngressTLS"),
            ("rules", "IngressRule"),
        ],
        "IngressBackend" => &[("service", "IngressServiceBackend"), ("resource", "")],
        "IngressServiceBackend" => &[("name", ""), ("port", "ServiceBackendPort")],
        "ServiceBackendPort" => &[("name", ""), ("number", "")],
        "IngressTLS" => &[("hosts", ""), ("secretName", "")],
        "IngressRule" => &[("host", ""), ("http", "HTTPIngressRuleValue")],
        "HTTPIngressRuleValue" => &[("paths", "HTTPIngressPath")],
        "HTTPIngressPath" => &[("path", ""), ("pathType", ""), ("backend", "IngressBackend")],
        "IngressStatus" => &[("loadBalancer", "")],
        // policy/v1
        "PodDisruptionBudgetSpec" => &[
            ("minAvailable", ""),
            ("selector", "LabelSelector"),
            ("maxUnavailable", ""),
            ("unhealthyPodEvictionPolicy", ""),
        ],
        "PodDisruptionBudgetStatus" => &[
            ("observedGeneration", ""),
            ("disruptedPods", ""),
            ("disruptionsAllowed", ""),
            ("currentHealthy", ""),
            ("desiredHealthy", ""),
            ("expectedPods", ""),
            ("conditions", "Condition"),
        ],
        // core/v1 quotas and service accounts
        "ResourceQuotaSpec" => &[("hard", ""), ("scopes", ""), ("scopeSelector", "")],
        "ResourceQuotaStatus" => &[("hard", ""), ("used", "")],
        "ServiceAccount" => &[
            ("kind", ""),
            ("apiVersion", ""),
            ("metadata", "ObjectMeta"),
            ("secrets", ""),
            ("imagePullSecrets", ""),
            ("automountServiceAccountToken", ""),
        ],
        // autoscaling/v1
        "HorizontalPodAutoscalerSpec" => &[
            ("scaleTargetRef", "CrossVersionObjectReference"),
            ("minReplicas", ""),
            ("maxReplicas", ""),
            ("targetCPUUtilizationPercentage", ""),
        ],
        "CrossVersionObjectReference" => &[("kind", ""), ("name", ""), ("apiVersion", "")],
        "HorizontalPodAutoscalerStatus" => &[
            ("observedGeneration", ""),
            ("lastScaleTime", ""),
            ("currentReplicas", ""),
            ("desiredReplicas", ""),
            ("currentCPUUtilizationPercentage", ""),
        ],
        _ => &[],
    }
}

/// `TypeMeta` then `metadata`, `spec`, `status`: the shape of every kind with a spec. The
/// spec and status types are named after the kind (see [`child_type`]).
const TOP: &[(&str, &str)] = &[
    ("kind", ""),
    ("apiVersion", ""),
    ("metadata", "ObjectMeta"),
    ("spec", "*Spec"),
    ("status", "*Status"),
];

/// Resolves the `*Spec` / `*Status` placeholders of [`TOP`] for a kind.
fn child_type(parent: &str, declared: &'static str) -> String {
    match declared.strip_prefix('*') {
        Some(suffix) => format!("{parent}{suffix}"),
        None => declared.to_string(),
    }
}

/// The Go struct an object's JSON comes from: its `kind`.
fn root_type(v: &Value) -> String {
    v.get("kind").and_then(Value::as_str).unwrap_or("").to_string()
}

/// `json.MarshalIndent(obj, "", "    ")` of a typed object, plus the final newline
/// (cli-runtime `JSONPrinter`).
pub fn to_json(v: &Value) -> String {
    let mut out = String::new();
    write(&mut out, v, &root_type(v), Some(0));
    out.push('\n');
    out
}

/// `json.Marshal` of a typed object (compact, no newline).
pub fn to_json_compact(v: &Value) -> String {
    let mut out = String::new();
    write(&mut out, v, &root_type(v), None);
    out
}

fn newline(out: &mut String, depth: Option<usize>) {
    if let Some(d) = depth {
        out.push('\n');
        for _ in 0..d {
            out.push_str("    ");
        }
    }
}

fn write(out: &mut String, v: &Value, ty: &str, depth: Option<usize>) {
    let inner = depth.map(|d| d + 1);
    match v {
        Value::Object(map) if !map.is_empty() => {
            let known = fields(ty);
            let mut entries: Vec<(&str, String, &Value)> = Vec::new();
            for (name, child) in known {
                if let Some(x) = map.get(*name) {
                    entries.push((name, child_type(ty, child), x));
                }
            }
            let mut rest: Vec<(&String, &Value)> =
                map.iter().filter(|(k, _)| !known.iter().any(|(n, _)| n == k)).collect();
            rest.compact_sort_by(|a, b| a.0.cmp(b.0));
            entries.extend(rest.into_iter().map(|(k, x)| (k.as_str(), String::new(), x)));
            out.push('{');
            for (i, (k, child, x)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, inner);
                out.push_str(&to_json_compact_scalar(&Value::String(k.to_string())));
                out.push_str(if depth.is_some() { ": " } else { ":" });
                write(out, x, &child, inner);
            }
            newline(out, depth);
            out.push('}');
        }
        Value::Array(items) if !items.is_empty() => {
            out.push('[');
            for (i, x) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, inner);
                write(out, x, ty, inner);
            }
            newline(out, depth);
            out.push(']');
        }
        other => out.push_str(&to_json_compact_scalar(other)),
    }
}

/// Scalars, `{}` and `[]` exactly as Go writes them.
fn to_json_compact_scalar(v: &Value) -> String {
    go_compact(v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn struct_order_outside_maps_sorted_inside() {
        let v = json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "dev", "creationTimestamp": null,
            "labels": {"z": "1", "a": "2"}}, "spec": {}, "status": {}});
        assert_eq!(
            to_json_compact(&v),
            r#"{"kind":"Namespace","apiVersion":"v1","metadata":{"name":"dev","creationTimestamp":null,"labels":{"a":"2","z":"1"}},"spec":{},"status":{}}"#
        );
        assert_eq!(
            to_json(&json!({"kind": "Namespace", "spec": {}, "x": [1, "<"]})),
            "{\n    \"kind\": \"Namespace\",\n    \"spec\": {},\n    \"x\": [\n        1,\n        \"\\u003c\"\n    ]\n}\n"
        );
    }
}
