//! `DescribePodTemplate`: the template block of every workload describer.

use super::prelude::*;

/// `DescribePodTemplate`: the template of a workload, nested two spaces.
pub(super) fn pod_template(w: &mut W, t: &PodTemplateSpec) {
    w.put(0, "Pod Template:\n");
    labels_multiline(w, "", "  Labels", &t.metadata.labels);
    if !t.metadata.annotations.is_empty() {
        annotations_multiline(w, "  Annotations", &t.metadata.annotations);
    }
    if let Some(sa) = t.spec.service_account_name.as_deref().filter(|s| !s.is_empty()) {
        put!(w, 1, "Service Account:\t{sa}\n");
    }
    if !t.spec.init_containers.is_empty() {
        containers(w, "Init Containers", &t.spec.init_containers, None, None, "  ");
    }
    containers(w, "Containers", &t.spec.containers, None, None, "  ");
    volumes(w, &t.spec.volumes, "  ");
    if let Some(pc) = t.spec.priority_class_name.as_deref().filter(|s| !s.is_empty()) {
        put!(w, 1, "Priority Class Name:\t{pc}\n");
    }
    labels_multiline(w, "", "  Node-Selectors", &t.spec.node_selector);
    tolerations(w, "  Tolerations", &t.spec.tolerations);
}
