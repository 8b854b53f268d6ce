//! `describeDaemonSet`.

use super::prelude::*;

/// `describeDaemonSet` as v1.32 prints it (`captured/describe.txt`): no Namespace line, the
/// node selector of the template, and the scheduling counts written without a tab, so that
/// each of those lines stands alone and `Pods Status:` starts a new alignment block.
pub(super) fn daemon_set(w: &mut W, d: &DaemonSet, ctx: &Ctx) {
    let m = &d.metadata;
    put!(w, 0, "Name:\t{}\n", m.name);
    put!(w, 0, "Selector:\t{}\n", selector_string(&d.spec.selector));
    put!(
        w,
        0,
        "Node-Selector:\t{}\n",
        format_labels(&d.spec.template.spec.node_selector)
    );
    labels_multiline(w, "", "Labels", &m.labels);
    annotations_multiline(w, "Annotations", &m.annotations);
    let s = &d.status;
    put!(
        w,
        0,
        "Desired Number of Nodes Scheduled: {}\n",
        s.desired_number_scheduled
    );
    put!(
        w,
        0,
        "Current Number of Nodes Scheduled: {}\n",
        s.current_number_scheduled
    );
    put!(
        w,
        0,
        "Number of Nodes Scheduled with Up-to-date Pods: {}\n",
        s.updated_number_scheduled
    );
    put!(
        w,
        0,
        "Number of Nodes Scheduled with Available Pods: {}\n",
        s.number_available
    );
    put!(w, 0, "Number of Nodes Misscheduled: {}\n", s.number_misscheduled);
    pods_status(w, ctx, m);
    pod_template(w, &d.spec.template);
    events(w, ctx.events(m), ctx.now);
}

#[cfg(test)]
mod tests {
    use crate::{Session, SessionOptions};

    /// `captured/describe.txt`, `kubectl describe ds kube-proxy -n kube-system`: no Namespace
    /// line, and the counts written without a tab stand alone, so `Pods Status:` aligns on its
    /// own.
    #[test]
    fn kube_proxy_reads_like_the_capture() {
        let mut s = Session::new(SessionOptions::default());
        let argv: Vec<String> = ["kubectl", "describe", "ds", "kube-proxy", "-n", "kube-system"]
            .map(String::from)
            .to_vec();
        let out = s.kubectl(&argv, None).stdout();
        assert!(
            out.starts_with("Name:           kube-proxy\nSelector:       k8s-app=kube-proxy\nNode-Selector:  kubernetes.io/os=linux\nLabels:         k8s-app=kube-proxy\n"),
            "{out}"
        );
        assert!(
            out.contains("\nNumber of Nodes Misscheduled: 0\nPods Status:  4 Running / 0 Waiting / 0 Succeeded / 0 Failed\nPod Template:\n  Labels:  k8s-app=kube-proxy\n"),
            "{out}"
        );
    }
}
