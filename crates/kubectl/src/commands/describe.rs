//! `kubectl describe`: finds objects like `get` does (`TYPE`, `TYPE NAME…`, `TYPE/NAME`, `-l`,
//! `-A`, `-f`) and prints each through [`crate::printers::describe`].
//!
//! Control flow of `k8s.io/kubectl/pkg/cmd/describe/describe.go` (v1.32): descriptions are
//! separated by a blank line (`"\n\n%s"` after the first); errors come after the output; a
//! `TYPE NAME` pair that names nothing falls back to describing every object of that type whose
//! name starts with NAME (`DescribeMatchingResources`, each followed by one newline), which is
//! why `kubectl describe pod web` shows all the `web-…` pods.

use crate::commands::get::{resolve, tuple_form, Query};
use crate::engine::api::{Kind, Object};
use crate::engine::selector::Selector;
use crate::errors;
use crate::flags::Invocation;
use crate::printers::describe::describe;
use crate::resources;
use crate::session::Session;
use crate::Output;
use std::sync::Arc;

pub fn run(s: &mut Session, inv: &Invocation) -> Output {
    let args = inv.args.clone();
    let filenames = inv.get_all("filename");
    if args.is_empty() && filenames.is_empty() {
        return errors::error(
            "You must specify the type of resource to describe. Use \"kubectl api-resources\" for a complete list of supported resources.",
        );
    }
    let namespace = super::namespace(s, inv);
    let all_namespaces = inv.get_bool("all-namespaces");
    let show_events = inv.get_bool("show-events");
    let selector_text = inv.get_str("selector").to_string();
    let selector = if inv.was_set("selector") {
        match Selector::parse(&selector_text) {
            Ok(sel) => Some(sel),
            Err(e) => return errors::error(e),
        }
    } else {
        None
    };
    let query = Query {
        args: &args,
        filenames: &filenames,
        namespace: &namespace,
        all_namespaces,
        selector: selector.as_ref(),
        selector_text: &selector_text,
        field_selector: &[],
        field_selector_text: "",
        ignore_not_found: false,
    };
    let found = match resolve(s, &query) {
        Ok(f) => f,
        Err(out) => return out,
    };
    if !found.errors.is_empty() && filenames.is_empty() && args.len() == 2 && !tuple_form(&args) {
        if let Some(kind) = resources::resolve(&args[0]) {
            return describe_matching(s, kind, &namespace, &args[1], show_events, &found.errors);
        }
    }

    let mut out = Output::ok();
    let mut text = String::new();
    for (i, obj) in found.infos.iter().enumerate() {
        if i > 0 {
            text.push_str("\n\n");
        }
        text.push_str(&describe(obj, &s.cluster, show_events));
    }
    out.out(text);
    for e in &found.errors {
        out.errln(e);
    }
    if !found.errors.is_empty() {
        out.exit_code = 1;
    } else if found.infos.is_empty() {
        if all_namespaces {
            out.errln("No resources found");
        } else {
            out.errln(format!("No resources found in {namespace} namespace."));
        }
    }
    out
}

/// `DescribeMatchingResources`: every object of `kind` whose name starts with `prefix`, each
/// description followed by a newline; the original NotFound error when none matches.
fn describe_matching(
    s: &Session,
    kind: Kind,
    namespace: &str,
    prefix: &str,
    show_events: bool,
    errs: &[String],
) -> Output {
    let mut out = Output::ok();
    let matching: Vec<&Arc<Object>> = s
        .cluster
        .list(kind, Some(namespace))
        .into_iter()
        .filter(|o| o.name().starts_with(prefix))
        .collect();
    if matching.is_empty() {
        for e in errs {
            out.errln(e);
        }
        out.exit_code = 1;
        return out;
    }
    for obj in matching {
        out.out(format!("{}\n", describe(obj, &s.cluster, show_events)));
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::{Output, Session, SessionOptions, Stream};

    fn kubectl(s: &mut Session, line: &str) -> Output {
        let argv = shlex::split(line).expect("test command lines are well quoted");
        s.kubectl(&argv, None)
    }

    fn stderr(o: &Output) -> String {
        o.chunks
            .iter()
            .filter(|(s, _)| *s == Stream::Stderr)
            .map(|(_, t)| t.as_str())
            .collect()
    }

    #[test]
    fn service_describes_like_the_capture() {
        let mut s = Session::new(SessionOptions::default());
        let o = kubectl(&mut s, "kubectl describe svc kubernetes");
        let want = [
            "Name:                     kubernetes",
            "Namespace:                default",
            "Labels:                   component=apiserver",
            "                          provider=kubernetes",
            "Annotations:              <none>",
            "Selector:                 <none>",
            "Type:                     ClusterIP",
            "IP Family Policy:         SingleStack",
            "IP Families:              IPv4",
            "IP:                       10.96.0.1",
            "IPs:                      10.96.0.1",
            "Port:                     https  443/TCP",
            "TargetPort:               6443/TCP",
            "Endpoints:                172.18.0.2:6443",
            "Session Affinity:         None",
            "Internal Traffic Policy:  Cluster",
            "Events:                   <none>",
            "",
        ];
        assert_eq!(o.stdout(), want.join("\n"));
    }

    #[test]
    fn several_objects_are_separated_by_a_blank_line() {
        let mut s = Session::new(SessionOptions::default());
        let o = kubectl(&mut s, "kubectl describe ns default kube-public");
        let one = "Name:         default\nLabels:       kubernetes.io/metadata.name=default\nAnnotations:  <none>\nStatus:       Active\n\nNo resource quota.\n\nNo LimitRange resource.\n";
        assert!(
            o.stdout().starts_with(&format!("{one}\n\nName:         kube-public\n")),
            "{}",
            o.stdout()
        );
    }

    #[test]
    fn a_missing_name_falls_back_to_prefix_matches() {
        let mut s = Session::new(SessionOptions::default());
        let o = kubectl(&mut s, "kubectl describe pods kube-proxy -n kube-system");
        let text = o.stdout();
        assert_eq!(
            text.matches("\nControlled By:  DaemonSet/kube-proxy\n").count(),
            4,
            "{text}"
        );
        // Each description is followed by one newline of its own.
        assert!(text.ends_with("\n\n") && text.contains("\n\nName:                 kube-proxy-"));
        let o = kubectl(&mut s, "kubectl describe pods zzz");
        assert_eq!(
            (stderr(&o), o.exit_code),
            ("Error from server (NotFound): pods \"zzz\" not found\n".into(), 1)
        );
        // TYPE/NAME never falls back.
        let o = kubectl(&mut s, "kubectl describe pod/kube-proxy -n kube-system");
        assert_eq!(
            stderr(&o),
            "Error from server (NotFound): pods \"kube-proxy\" not found\n"
        );
    }

    #[test]
    fn argument_errors_and_empty_results() {
        let mut s = Session::new(SessionOptions::default());
        let o = kubectl(&mut s, "kubectl describe");
        assert_eq!(
            stderr(&o),
            "error: You must specify the type of resource to describe. Use \"kubectl api-resources\" for a complete list of supported resources.\n"
        );
        let o = kubectl(&mut s, "kubectl describe deploy");
        assert_eq!(
            (stderr(&o), o.exit_code),
            ("No resources found in default namespace.\n".into(), 0)
        );
        let o = kubectl(&mut s, "kubectl describe deploy nosuch");
        assert_eq!(
            stderr(&o),
            "Error from server (NotFound): deployments.apps \"nosuch\" not found\n"
        );
        let o = kubectl(&mut s, "kubectl describe pods x -l app=web");
        assert_eq!(
            stderr(&o),
            "error: name cannot be provided when a selector is specified\n"
        );
    }

    #[test]
    fn selectors_and_show_events() {
        let mut s = Session::new(SessionOptions::default());
        let o = kubectl(&mut s, "kubectl describe pods -n kube-system -l k8s-app=kube-dns");
        assert_eq!(o.stdout().matches("Name:                 coredns-").count(), 2);
        assert_eq!(
            o.stdout()
                .matches("\nEvents:\n  Type    Reason     Age   From               Message\n")
                .count(),
            2
        );
        let o = kubectl(
            &mut s,
            "kubectl describe pods -n kube-system -l k8s-app=kube-dns --show-events=false",
        );
        assert!(!o.stdout().contains("Events:"));
    }
}
