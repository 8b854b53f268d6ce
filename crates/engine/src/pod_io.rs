//! The pod subresources `log` and `exec`: what the API server and the kubelet answer to
//! `kubectl logs` and `kubectl exec`, with their errors (`kubectl-behaviour.md` §5.2).
//!
//! Logs are picked the way the kubelet's `validateContainerLogStatus` does, from the pod's
//! status: a running container's current instance; a container in `CrashLoopBackOff` shows its
//! last terminated instance (for `logs` and `logs --previous` alike); `--previous` needs a
//! `lastState.terminated`. `exec` runs a command in the container's file system with the
//! container's environment; when it sleeps, the cluster's virtual clock moves on meanwhile.

use crate::api::*;
use crate::cluster::Cluster;
use crate::error::ApiError;
use crate::runtime::{self, CtrSys, Launch, Output, World};
use crate::servers::{self, Program};
use crate::shell::{self, Process, ShellInvocation, Yield};
use crate::time::{SimTime, Timestamp};

/// One line of a container log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogLine {
    pub time: SimTime,
    pub text: String,
}

impl LogLine {
    /// The RFC 3339 timestamp with nanoseconds `kubectl logs --timestamps` prints
    /// (`2026-03-02T09:10:12.123456789Z`); the sub-millisecond digits are a stable hash.
    pub fn timestamp(&self) -> String {
        let base = Timestamp(self.time).to_string();
        let nanos = (self.time.0 % 1000) * 1_000_000
            + crate::names::stable_hash(&[&self.time.0.to_string(), &self.text]) % 1_000_000;
        format!("{}.{nanos:09}Z", &base[..19])
    }
}

/// Where an exec stream runs: the node, pod and container instance.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Target {
    node: String,
    uid: String,
    name: String,
    inst_id: String,
}

/// An interactive shell kept open in a container (`kubectl exec -it POD -- sh`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShellSession {
    target: Target,
    process: Process,
    /// The prompt to show before the next line (`/ # ` for BusyBox, `# ` for dash).
    pub prompt: String,
    /// The shell has exited (`exit`).
    pub closed: bool,
}

impl ShellSession {
    /// Which shell it is (bash prints `exit` when an interactive session ends; ash and dash
    /// print nothing).
    pub fn flavor(&self) -> shell::Flavor {
        self.process.flavor
    }
}

/// What `exec` printed and how it ended.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExecOutput {
    pub stdout: String,
    pub stderr: String,
    pub exit_code: i32,
}

/// Why `exec` could not run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExecError {
    /// An API error (`Error from server (NotFound): pods "x" not found`).
    Api(ApiError),
    /// A streaming error kubectl prints as `error: <message>` (`unable to upgrade connection:
    /// container not found ("nginx")`, `Internal error occurred: …`).
    Stream(String),
}

impl From<ApiError> for ExecError {
    fn from(e: ApiError) -> Self {
        ExecError::Api(e)
    }
}

/// The longest an exec'd command may take in virtual time before kubelab stops waiting (a
/// command that never ends would block the console for ever).
const EXEC_MAX_MS: u64 = 3_600_000;

impl Cluster {
    fn pod_for_io(&self, namespace: &str, pod: &str) -> Result<Pod, ApiError> {
        self.get(Kind::Pod, namespace, pod)
            .and_then(|o| o.as_pod().cloned())
            .ok_or_else(|| ApiError::not_found(Kind::Pod, pod))
    }

    /// The container name to use: the given one (which must exist), or the only one.
    fn io_container(p: &Pod, container: &str) -> Result<String, ApiError> {
        let all: Vec<&str> = p
            .spec
            .containers
            .iter()
            .chain(p.spec.init_containers.iter())
            .map(|c| c.name.as_str())
            .collect();
        if container.is_empty() {
            if p.spec.containers.len() == 1 && p.spec.init_containers.is_empty() {
                return Ok(p.spec.containers[0].name.clone());
            }
            let apps: Vec<&str> = p.spec.containers.iter().map(|c| c.name.as_str()).collect();
            let mut msg = format!(
                "a container name must be specified for pod {}, choose one of: [{}]",
                p.metadata.name,
                apps.join(" ")
            );
            if !p.spec.init_containers.is_empty() {
                let inits: Vec<&str> = p.spec.init_containers.iter().map(|c| c.name.as_str()).collect();
                msg.push_str(&format!(" or one of the init containers: [{}]", inits.join(" ")));
            }
            return Err(ApiError::bad_request(msg));
        }
        if !all.contains(&container) {
            return Err(ApiError::bad_request(format!(
                "container {container} is not valid for pod {}",
                p.metadata.name
            )));
        }
        Ok(container.to_string())
    }

    /// A container's log lines (`GET pods/<name>/log?container=&previous=`). An empty
    /// `container` means the pod's only container.
    pub fn log_lines(
        &self,
        namespace: &str,
        pod: &str,
        container: &str,
        previous: bool,
    ) -> Result<Vec<LogLine>, ApiError> {
        let p = self.pod_for_io(namespace, pod)?;
        let name = Self::io_container(&p, container)?;
        let Some(node) = p.spec.node_name.clone() else {
            // Not scheduled: the API server has no kubelet to ask and streams nothing.
            return Ok(Vec::new());
        };
        let pod_name = &p.metadata.name;
        let status = p
            .status
            .container_statuses
            .iter()
            .chain(p.status.init_container_statuses.iter())
            .find(|s| s.name == name)
            .cloned();
        let waiting = |reason: &str| {
            ApiError::bad_request(format!(
                "container \"{name}\" in pod \"{pod_name}\" is waiting to start: {reason}"
            ))
        };
        let Some(s) = status else {
            return Err(waiting("ContainerCreating"));
        };
        let last = s
            .last_state
            .terminated
            .as_ref()
            .and_then(|t| t.container_id.clone())
            .filter(|id| !id.is_empty());
        let id = if previous {
            match last {
                Some(id) => id,
                None => {
                    return Err(ApiError::bad_request(format!(
                        "previous terminated container \"{name}\" in pod \"{pod_name}\" not found"
                    )))
                }
            }
        } else if s.state.running.is_some() {
            s.container_id.clone().unwrap_or_default()
        } else if let Some(t) = &s.state.terminated {
            match t.container_id.clone().filter(|id| !id.is_empty()).or(last) {
                Some(id) => id,
                None => {
                    return Err(ApiError::bad_request(format!(
                        "container \"{name}\" in pod \"{pod_name}\" is terminated"
                    )))
                }
            }
        } else if let Some(id) = last {
            id
        } else if let Some(w) = &s.state.waiting {
            let reason = w.reason.clone().unwrap_or_default();
            return Err(match reason.as_str() {
                "ErrImagePull" => waiting("image can't be pulled"),
                "ImagePullBackOff" => waiting("trying and failing to pull image"),
                r => waiting(r),
            });
        } else {
            return Err(ApiError::bad_request(format!(
                "container \"{name}\" in pod \"{pod_name}\" is waiting to start - no logs yet"
            )));
        };
        let id = id.trim_start_matches("containerd://").to_string();
        let Some(rt) = self.agents_ref().get(&node).and_then(|a| a.pods.get(p.metadata.uid())) else {
            return Ok(Vec::new());
        };
        let Some(c) = rt.containers.iter().find(|c| c.name == name) else {
            return Ok(Vec::new());
        };
        let Some(log) = c.log_of(&id) else {
            return Ok(Vec::new());
        };
        let env = c.instance().map(|i| i.env.clone()).unwrap_or_default();
        let ip = rt.ip.clone().unwrap_or_default();
        let senv = servers::Env {
            hostname: &rt.hostname,
            pod_ip: &ip,
            env: &env,
        };
        let mut lines: Vec<LogLine> = log
            .render(&senv)
            .into_iter()
            .map(|(time, text)| LogLine { time, text })
            .collect();
        lines.retain(|l| l.time <= self.now());
        Ok(lines)
    }

    /// `kubectl logs`: the lines, each ending in a newline.
    pub fn logs(&self, namespace: &str, pod: &str, container: &str, previous: bool) -> Result<String, ApiError> {
        let lines = self.log_lines(namespace, pod, container, previous)?;
        Ok(lines.iter().map(|l| format!("{}\n", l.text)).collect())
    }

    /// Runs `argv` in a container (`POST pods/<name>/exec`). `stdin` is what `kubectl exec -i`
    /// sends. Sleeping commands let virtual time pass.
    pub fn exec(
        &mut self,
        namespace: &str,
        pod: &str,
        container: &str,
        argv: &[String],
        stdin: Option<&str>,
    ) -> Result<ExecOutput, ExecError> {
        let p = self.pod_for_io(namespace, pod)?;
        let name = Self::io_container(&p, container)?;
        let Some(node) = p.spec.node_name.clone() else {
            return Err(ApiError::bad_request(format!("pod {} does not have a host assigned", p.metadata.name)).into());
        };
        let uid = p.metadata.uid().to_string();
        if argv.is_empty() {
            return Err(ExecError::Stream(
                "Internal error occurred: error executing command in container: container command not specified".into(),
            ));
        }
        let not_running = || {
            ExecError::Stream(format!(
                "unable to upgrade connection: container not found (\"{name}\")"
            ))
        };
        // Find the running instance.
        let (image, env, cwd, inst_id) = {
            let rt = self
                .agents_ref()
                .get(&node)
                .and_then(|a| a.pods.get(&uid))
                .ok_or_else(not_running)?;
            let c = rt.containers.iter().find(|c| c.name == name).ok_or_else(not_running)?;
            let inst = c.instance().ok_or_else(not_running)?;
            let spec = p
                .spec
                .containers
                .iter()
                .chain(p.spec.init_containers.iter())
                .find(|c| c.name == name);
            let image = c.image_ref.as_ref().map(|r| r.0.clone()).unwrap_or_default();
            let cwd = spec
                .and_then(|s| s.working_dir.clone())
                .unwrap_or_else(|| crate::images::lookup(&image).workdir.to_string());
            (image, inst.env.clone(), cwd, inst.id.clone())
        };
        let mut proc_ = match runtime::launch(argv, &image, &env, &cwd, false) {
            Launch::Shell(mut sh) => {
                match (stdin, shell::shell_invocation(argv)) {
                    // `kubectl exec -i pod -- sh < script`: the shell reads its commands.
                    (Some(input), Some((_, ShellInvocation::Stdin))) => {
                        let flavor = sh.flavor;
                        sh = match Process::script(input, vec![argv[0].clone()], env.clone(), &cwd, flavor) {
                            Ok(p) => p,
                            Err(e) => {
                                return Ok(ExecOutput {
                                    stdout: String::new(),
                                    stderr: format!("{}\n", shell::syntax_message(flavor, &argv[0], &e)),
                                    exit_code: 2,
                                });
                            }
                        };
                    }
                    _ => sh.stdin = stdin.map(str::to_string),
                }
                sh
            }
            Launch::NotFound(what) => return Err(exec_not_found(&inst_id, argv, &what)),
            Launch::Program(prog) => return Ok(self.exec_program(&node, &uid, &name, argv, &env, prog)),
        };
        self.drive(
            &Target {
                node,
                uid,
                name,
                inst_id,
            },
            &mut proc_,
        )
    }

    /// Runs a process in a container until it exits, blocks, or the container goes, letting
    /// virtual time pass while it sleeps.
    fn drive(&mut self, t: &Target, proc_: &mut Process) -> Result<ExecOutput, ExecError> {
        let mut out = ExecOutput::default();
        let mut waited = 0u64;
        loop {
            let (y, o, e) = self
                .with_container(&t.node, &t.uid, &t.name, &t.inst_id, |sys| proc_.run(sys))
                .ok_or_else(|| {
                    ExecError::Stream(format!(
                        "unable to upgrade connection: container not found (\"{}\")",
                        t.name
                    ))
                })?;
            out.stdout.push_str(&o);
            out.stderr.push_str(&e);
            match y {
                Yield::Exit(code) => {
                    out.exit_code = code;
                    return Ok(out);
                }
                Yield::Block => return Ok(out),
                Yield::Sleep(_) | Yield::Busy if waited < EXEC_MAX_MS => {
                    let ms = match y {
                        Yield::Sleep(ms) => ms.max(1),
                        _ => 1000,
                    };
                    waited += ms;
                    self.advance(ms);
                    // The container may have died meanwhile: the session ends with it.
                    let alive = self
                        .agents_ref()
                        .get(&t.node)
                        .and_then(|a| a.pods.get(&t.uid))
                        .and_then(|rt| rt.containers.iter().find(|c| c.name == t.name))
                        .and_then(|c| c.instance())
                        .is_some_and(|i| i.id == t.inst_id);
                    if !alive {
                        out.exit_code = 137;
                        return Ok(out);
                    }
                }
                _ => return Ok(out),
            }
        }
    }

    /// Opens an interactive shell in a container (`kubectl exec -it POD -- sh`): checks as
    /// `exec` does, then keeps the shell (its variables and working directory) in the returned
    /// session for [`Cluster::shell_line`].
    pub fn open_shell(
        &mut self,
        namespace: &str,
        pod: &str,
        container: &str,
        argv: &[String],
    ) -> Result<ShellSession, ExecError> {
        let p = self.pod_for_io(namespace, pod)?;
        let name = Self::io_container(&p, container)?;
        let Some(node) = p.spec.node_name.clone() else {
            return Err(ApiError::bad_request(format!("pod {} does not have a host assigned", p.metadata.name)).into());
        };
        let uid = p.metadata.uid().to_string();
        let not_running = || {
            ExecError::Stream(format!(
                "unable to upgrade connection: container not found (\"{name}\")"
            ))
        };
        let (image, env, inst_id) = {
            let rt = self
                .agents_ref()
                .get(&node)
                .and_then(|a| a.pods.get(&uid))
                .ok_or_else(not_running)?;
            let c = rt.containers.iter().find(|c| c.name == name).ok_or_else(not_running)?;
            let inst = c.instance().ok_or_else(not_running)?;
            (
                c.image_ref.as_ref().map(|r| r.0.clone()).unwrap_or_default(),
                inst.env.clone(),
                inst.id.clone(),
            )
        };
        let cwd = "/".to_string();
        match runtime::launch(argv, &image, &env, &cwd, false) {
            Launch::Shell(process) if shell::shell_invocation(argv).is_some() => {
                let prompt = match process.flavor {
                    shell::Flavor::Ash => "/ # ".to_string(),
                    shell::Flavor::Dash => "# ".to_string(),
                    shell::Flavor::Bash => format!("root@{}:/# ", p.metadata.name),
                };
                Ok(ShellSession {
                    target: Target {
                        node,
                        uid,
                        name,
                        inst_id,
                    },
                    process,
                    prompt,
                    closed: false,
                })
            }
            Launch::NotFound(what) => Err(exec_not_found(&inst_id, argv, &what)),
            _ => Err(ExecError::Stream(
                "an interactive session needs a shell (sh, bash)".into(),
            )),
        }
    }

    /// Whether the container instance an open shell runs in is still there: when it stops
    /// (its pod was deleted, it crashed or was restarted) the runtime kills the session's
    /// processes with it.
    pub fn shell_alive(&self, session: &ShellSession) -> bool {
        let t = &session.target;
        self.agents_ref()
            .get(&t.node)
            .and_then(|a| a.pods.get(&t.uid))
            .and_then(|rt| rt.containers.iter().find(|c| c.name == t.name))
            .and_then(|c| c.instance())
            .is_some_and(|i| i.id == t.inst_id)
    }

    /// Runs one line typed into an open shell session. After `exit`, the session is closed.
    pub fn shell_line(&mut self, session: &mut ShellSession, line: &str) -> Result<ExecOutput, ExecError> {
        if session.closed {
            return Ok(ExecOutput::default());
        }
        if let Err(e) = session.process.load(line) {
            let msg = shell::syntax_message(session.process.flavor, "sh", &e);
            return Ok(ExecOutput {
                stdout: String::new(),
                stderr: format!("{msg}\n"),
                exit_code: 2,
            });
        }
        let out = self.drive(&session.target, &mut session.process)?;
        if session.process.exited.is_some() && line.split_whitespace().next() == Some("exit") {
            session.closed = true;
        }
        session.prompt = match session.process.flavor {
            shell::Flavor::Ash => format!("{} # ", session.process.cwd),
            shell::Flavor::Dash => "# ".to_string(),
            shell::Flavor::Bash => {
                let host = session.prompt.split(':').next().unwrap_or("root@pod").to_string();
                format!("{host}:{}# ", session.process.cwd)
            }
        };
        Ok(out)
    }

    /// An image program run through exec (`nginx -v`, `redis-cli ping`).
    fn exec_program(
        &mut self,
        node: &str,
        uid: &str,
        name: &str,
        argv: &[String],
        env: &[(String, String)],
        prog: Program,
    ) -> ExecOutput {
        match prog {
            Program::Tool(o) => ExecOutput {
                stdout: o.stdout,
                stderr: o.stderr,
                exit_code: o.status,
            },
            Program::Exit { code, lines } => ExecOutput {
                stdout: lines.iter().map(|l| format!("{l}\n")).collect(),
                stderr: String::new(),
                exit_code: code,
            },
            _ => {
                let inst_id = String::new();
                let r = self.with_container(node, uid, name, &inst_id, |sys| {
                    use crate::shell::Sys;
                    let _ = sys.program(argv, env);
                    Yield::Block
                });
                let (_, o, e) = r.unwrap_or((Yield::Block, String::new(), String::new()));
                ExecOutput {
                    stdout: o,
                    stderr: e,
                    exit_code: 0,
                }
            }
        }
    }

    /// Runs `f` with the container as a `Sys` (output buffered), then stores the runtime back.
    fn with_container<T>(
        &mut self,
        node: &str,
        uid: &str,
        name: &str,
        inst_id: &str,
        f: impl FnOnce(&mut CtrSys<'_, '_>) -> T,
    ) -> Option<(T, String, String)> {
        let now = self.now();
        let (agents, shared, store) = self.agents_and_store();
        let agent = agents.get_mut(node)?;
        let arc = agent.pods.remove(uid)?;
        let mut rt = std::sync::Arc::unwrap_or_clone(arc);
        let result = (|| {
            let idx = rt.by_name(name)?;
            let inst = rt.containers[idx].instance()?;
            if !inst_id.is_empty() && inst.id != inst_id {
                return None;
            }
            let mut world = World {
                store,
                agents: &mut *agents,
                shared: &mut *shared,
                now,
            };
            let mut sys = CtrSys::new(
                &mut rt,
                idx,
                &mut world,
                Output::Buffer {
                    stdout: String::new(),
                    stderr: String::new(),
                },
            );
            let t = f(&mut sys);
            let (o, e) = sys.buffers();
            Some((t, o, e))
        })();
        if let Some(agent) = agents.get_mut(node) {
            agent.pods.insert(uid.to_string(), std::sync::Arc::new(rt));
        }
        // Whatever the command changed (a server stopped, a file a probe reads) is seen by
        // the kubelet on its next sync.
        if let Some(key) = self.store().key_of_uid(uid).cloned() {
            self.kick_kubelet(&key);
        }
        result
    }
}

fn exec_not_found(inst_id: &str, argv: &[String], what: &str) -> ExecError {
    let detail = if what.contains('/') {
        format!("exec: \"{what}\": stat {what}: no such file or directory")
    } else {
        format!("exec: \"{what}\": executable file not found in $PATH")
    };
    ExecError::Stream(format!(
        "Internal error occurred: error executing command in container: failed to exec in container: failed to start exec \"{}\": OCI runtime exec failed: exec failed: unable to start container process: {detail}: unknown",
        runtime::hex64(&[inst_id, &argv.join(" ")])
    ))
}
