//! A container's shell that owns the console's terminal: `kubectl exec -it POD -- sh`,
//! `kubectl run -it … -- sh`, `kubectl attach -it`. While it is open the lines typed go to it
//! (see [`crate::script::Host::foreground_input`]) and the prompt is the shell's own.
//!
//! How it ends, as kubectl shows it:
//! * `exit N` (or Ctrl-D, the end of input: bash then prints `exit`) ends the shell; a
//!   non-zero status is kubectl's `command terminated with exit code N` for `exec`; `run`
//!   removes what it created with `--rm` (`pod "x" deleted`) and reports a failed container
//!   as `pod default/x terminated (Error)`;
//! * the container goes away under it (its pod deleted, the container restarted): the runtime
//!   kills the session's processes, and kubectl reports `command terminated with exit code 137`
//!   (128 + SIGKILL).

use crate::engine::api::Kind;
use crate::engine::shell::Flavor;
use crate::engine::{Cluster, DeleteOptions, ShellSession};
use crate::Output;

/// What started the session, which decides what kubectl prints when it ends.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// `kubectl exec`.
    Exec,
    /// `kubectl run -i`: the objects to delete with `--rm`, and the pod's restart policy.
    Run {
        namespace: String,
        name: String,
        remove: Vec<(Kind, String)>,
        quiet: bool,
        restart: String,
        tty: bool,
    },
    /// `kubectl attach -i`: the pod and container to name in "Session ended, resume using …".
    Attach { pod: String, container: String, tty: bool },
}

/// An open interactive shell.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Foreground {
    pub shell: ShellSession,
    /// A terminal (`-t`): the shell prints its prompt and stderr shows in the same stream.
    /// Without one (`-i` alone) the shell reads the lines silently, as from a pipe.
    pub tty: bool,
    pub origin: Origin,
}

impl Foreground {
    /// What the console shows before the next line.
    pub fn prompt(&self) -> String {
        if self.tty {
            self.shell.prompt.clone()
        } else {
            String::new()
        }
    }

    /// Feeds one line (`None`: end of input). Returns what was printed and, once the shell
    /// has exited, its exit status.
    pub fn input(&mut self, cluster: &mut Cluster, line: Option<&str>) -> (Output, Option<i32>) {
        let mut out = Output::ok();
        let bash = self.shell.flavor() == Flavor::Bash;
        let eof = line.is_none();
        let line = match line {
            Some(l) => l.to_string(),
            None => {
                // ash and dash end the prompt's line; interactive bash says `exit`.
                if self.tty {
                    out.out(if bash { "exit\n" } else { "\n" });
                }
                "exit".to_string()
            }
        };
        match cluster.shell_line(&mut self.shell, &line) {
            Ok(o) => {
                out.out(o.stdout);
                if self.tty {
                    out.out(o.stderr);
                } else {
                    out.err(o.stderr);
                }
                if self.shell.closed {
                    if bash && self.tty && !eof {
                        // Interactive bash announces its `exit` (on stderr, which the terminal shows).
                        out.out("exit\n");
                    }
                    return (out, Some(o.exit_code));
                }
                if !cluster.shell_alive(&self.shell) {
                    return (out, Some(137));
                }
                (out, None)
            }
            Err(_) => (out, Some(137)),
        }
    }

    /// What kubectl prints after the shell exited with `code`, and the command's status.
    pub fn finish(self, cluster: &mut Cluster, code: i32) -> Output {
        let mut out = Output::ok();
        match self.origin {
            Origin::Exec => {
                if code != 0 {
                    out.errln(format!("command terminated with exit code {code}"));
                    out.exit_code = code;
                }
            }
            Origin::Attach { pod, container, tty } => {
                if tty {
                    out.outln(format!(
                        "Session ended, resume using 'kubectl attach {pod} -c {container} -i -t' command when the pod is running"
                    ));
                }
            }
            Origin::Run {
                namespace,
                name,
                remove,
                quiet,
                restart,
                tty,
            } => {
                if tty && restart == "Always" && !quiet {
                    out.outln(format!(
                        "Session ended, resume using 'kubectl attach {name} -c {name} -i -t' command when the pod is running"
                    ));
                }
                for (kind, obj) in &remove {
                    if cluster.delete(*kind, &namespace, obj, DeleteOptions::default()).is_ok() && !quiet {
                        out.outln(format!(
                            "{} \"{obj}\" deleted",
                            crate::commands::mutate::type_name(*kind)
                        ));
                    }
                }
                if code != 0 && restart != "Always" {
                    let mut e = Output::fail(format!("pod {namespace}/{name} terminated (Error)"));
                    e.exit_code = code;
                    out.extend(e);
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use crate::script::{Feed, Host, Interpreter};
    use crate::{Session, SessionOptions};

    fn feed(s: &mut Session, i: &mut Interpreter, line: &str) -> String {
        match i.feed(s, line) {
            Feed::Done(o) => o.text(),
            Feed::NeedMore => panic!("{line} wants more"),
        }
    }

    #[test]
    fn deleting_the_pod_ends_the_shell_with_137() {
        let mut s = Session::new(SessionOptions::default());
        let mut i = Interpreter::default();
        feed(&mut s, &mut i, "kubectl run box --image=busybox:1.28 -- sleep 3600");
        feed(&mut s, &mut i, "kubectl wait --for=condition=Ready pod/box");
        feed(&mut s, &mut i, "kubectl exec -it box -- sh");
        assert_eq!(i.prompt(&s), "/ # ");
        // Someone else deletes the pod (the console is busy with the shell).
        assert!(
            s.kubectl(
                &[
                    "kubectl".into(),
                    "delete".into(),
                    "pod".into(),
                    "box".into(),
                    "--wait=false".into()
                ],
                None
            )
            .exit_code
                == 0
        );
        let mut printed = String::new();
        for _ in 0..40 {
            printed.push_str(&s.advance(1000).text());
        }
        assert_eq!(printed, "command terminated with exit code 137\n");
        assert_eq!(i.prompt(&s), "$ ");
        assert!(s.foreground_prompt().is_none());
    }

    #[test]
    fn exit_status_and_ctrl_d() {
        let mut s = Session::new(SessionOptions::default());
        let mut i = Interpreter::default();
        feed(&mut s, &mut i, "kubectl run deb --image=nginx:1.27");
        feed(&mut s, &mut i, "kubectl wait --for=condition=Ready pod/deb");
        feed(&mut s, &mut i, "kubectl exec -it deb -- bash");
        assert_eq!(i.prompt(&s), "root@deb:/# ");
        assert_eq!(feed(&mut s, &mut i, "cd /tmp"), "");
        assert_eq!(i.prompt(&s), "root@deb:/tmp# ");
        // Ctrl-D: bash says `exit` and leaves with the last status.
        assert_eq!(i.end_of_input(&mut s).text(), "exit\n");
        assert_eq!(i.prompt(&s), "$ ");
        feed(&mut s, &mut i, "kubectl exec -it deb -- sh");
        assert_eq!(i.prompt(&s), "# ");
        assert_eq!(feed(&mut s, &mut i, "exit 4"), "command terminated with exit code 4\n");
        assert_eq!(feed(&mut s, &mut i, "echo $?"), "4\n");
    }
}
