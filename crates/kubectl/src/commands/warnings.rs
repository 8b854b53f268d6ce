//! API warnings: the `Warning:` response headers kubectl's default warning handler writes to
//! stderr as each response arrives, before the command prints its result line
//! (`rest.NewWarningWriter(ErrOut, {Deduplicate: true})`): `Warning: would violate PodSecurity
//! "restricted:latest": …` above `pod/nginx created`. The same text is printed once per
//! command.
//!
//! The engine keeps the warnings of its last admission (`Cluster::take_warnings`), its
//! controllers' requests included, so a command drops what is there before its request
//! ([`reset`]) and prints what its request left right after it ([`print`]).

use super::mutate::DryRun;
use crate::engine::Cluster;
use crate::{Output, Stream};

/// `mutate::send` with the request's warnings printed to `out` (from the cluster's copy with
/// `--dry-run=server`, which warns like a real request).
pub fn send<R>(c: &mut Cluster, dry: DryRun, out: &mut Output, f: impl FnOnce(&mut Cluster) -> R) -> R {
    reset(c);
    if dry == DryRun::Server {
        let mut copy = c.clone();
        let r = f(&mut copy);
        print(&mut copy, out);
        r
    } else {
        let r = f(c);
        print(c, out);
        r
    }
}

/// Forgets warnings that earlier requests (the controllers' among them) left behind.
pub fn reset(c: &mut Cluster) {
    c.take_warnings();
}

/// Prints the warnings of the request just sent, each once per command.
pub fn print(c: &mut Cluster, out: &mut Output) {
    for w in c.take_warnings() {
        let line = format!("Warning: {w}\n");
        let seen = out.chunks.iter().any(|(s, t)| *s == Stream::Stderr && *t == line);
        if !seen {
            out.err(line);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::{Output, Session, SessionOptions, Stream};

    fn kubectl(s: &mut Session, line: &str) -> Output {
        let argv = shlex::split(line).expect("test command lines are well quoted");
        s.kubectl(&argv, None)
    }

    fn chunks(o: &Output) -> Vec<(Stream, String)> {
        o.chunks.clone()
    }

    #[test]
    fn pod_security_warnings_come_before_the_result_line() {
        let mut s = Session::new(SessionOptions::default());
        kubectl(&mut s, "kubectl create ns demo");
        kubectl(
            &mut s,
            "kubectl label ns demo pod-security.kubernetes.io/warn=restricted",
        );
        let o = kubectl(&mut s, "kubectl run nginx --image=nginx -n demo");
        let c = chunks(&o);
        assert_eq!(c.len(), 2, "{c:?}");
        assert_eq!(c[0].0, Stream::Stderr);
        assert!(
            c[0].1.starts_with(
                "Warning: would violate PodSecurity \"restricted:latest\": allowPrivilegeEscalation != false"
            ),
            "{c:?}"
        );
        assert_eq!(c[1], (Stream::Stdout, "pod/nginx created\n".to_string()));
        // A second request of the same command with the same warning prints it once.
        let o = kubectl(&mut s, "kubectl create deployment web --image=nginx -n demo");
        assert_eq!(o.chunks.iter().filter(|(s, _)| *s == Stream::Stderr).count(), 1);
        // Without a warn label nothing is printed.
        let o = kubectl(&mut s, "kubectl run quiet --image=nginx");
        assert_eq!(o.text(), "pod/quiet created\n");
    }

    #[test]
    fn enforcing_a_level_lists_the_pods_that_violate_it() {
        let mut s = Session::new(SessionOptions::default());
        kubectl(&mut s, "kubectl create ns demo");
        kubectl(&mut s, "kubectl run nginx --image=nginx -n demo");
        let o = kubectl(
            &mut s,
            "kubectl label ns demo pod-security.kubernetes.io/enforce=restricted",
        );
        let text = o.text();
        assert!(
            text.starts_with("Warning: existing pods in namespace \"demo\" violate the new PodSecurity enforce level \"restricted:latest\"\nWarning: nginx: allowPrivilegeEscalation != false, "),
            "{text}"
        );
        assert!(text.ends_with("\nnamespace/demo labeled\n"), "{text}");
    }
}
