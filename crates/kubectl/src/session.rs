//! A learner's session: one simulated cluster, the virtual files written with `cat > FILE`, an
//! open watch if any, and the record of what was run. The web console, `kubelab run` and lesson
//! checks all drive a `Session`, through the same [`crate::script::Interpreter`].

use crate::commands;
use crate::engine::api::{Kind, Pod};
use crate::engine::{Cluster, ClusterConfig};
use crate::script::Host;
use crate::Output;
use std::collections::BTreeMap;

/// How a session's cluster is made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionOptions {
    /// Seed of the cluster's one random number generator (name suffixes, IPs, uids).
    pub seed: u64,
    /// Number of worker nodes besides the control-plane node.
    pub workers: u32,
}

impl Default for SessionOptions {
    fn default() -> Self {
        Self { seed: 1, workers: 3 }
    }
}

/// One command the learner ran, for lesson goals like "ran `rollout undo`".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ran {
    pub argv: Vec<String>,
    pub exit_code: i32,
}

/// One sandbox. A plain value: clone it to snapshot, drop it to forget.
#[derive(Clone, Debug)]
pub struct Session {
    pub options: SessionOptions,
    pub cluster: Cluster,
    /// Virtual files: path -> content, written by `cat > FILE <<EOF` and read by `-f FILE`.
    pub files: BTreeMap<String, String>,
    /// The kubeconfig context's namespace (`kubectl config set-context --current --namespace`).
    pub namespace: String,
    /// An open `kubectl get -w`, printing as time passes until the next command.
    pub watch: Option<commands::get::Watch>,
    /// A container's shell that owns the terminal (`kubectl exec -it POD -- sh`): the lines
    /// typed go to it until it exits.
    pub foreground: Option<crate::terminal::Foreground>,
    /// Every command run, in order: kubectl invocations and the console's other commands
    /// (`curl …`), so that lesson goals can ask for either.
    pub history: Vec<Ran>,
    /// Open `kubectl port-forward`s: they keep forwarding while other commands run (as if
    /// started with `&`), until their pod goes away or the session ends.
    pub forwards: Vec<commands::port_forward::Forward>,
}

impl Session {
    pub fn new(options: SessionOptions) -> Self {
        let cluster = Cluster::new(ClusterConfig {
            seed: options.seed,
            workers: options.workers,
        });
        Self {
            options,
            cluster,
            files: BTreeMap::new(),
            namespace: "default".into(),
            watch: None,
            foreground: None,
            history: Vec::new(),
            forwards: Vec::new(),
        }
    }

    /// Runs one kubectl invocation. `argv[0]` is `kubectl`; `stdin` is the heredoc or pipe body.
    pub fn kubectl(&mut self, argv: &[String], stdin: Option<&str>) -> Output {
        let out = commands::run(self, argv, stdin);
        self.history.push(Ran {
            argv: argv.to_vec(),
            exit_code: out.exit_code,
        });
        out
    }

    /// Advances the virtual clock by `ms` milliseconds, running every controller and kubelet.
    /// Returns what an open watch printed meanwhile.
    pub fn advance(&mut self, ms: u64) -> Output {
        let mut out = match self.watch.take() {
            Some(mut w) => {
                let out = w.advance(&mut self.cluster, ms);
                self.watch = Some(w);
                out
            }
            None => {
                self.cluster.advance(ms);
                Output::ok()
            }
        };
        // An open shell dies with its container (the pod was deleted, the node stopped…).
        if self
            .foreground
            .as_ref()
            .is_some_and(|f| !self.cluster.shell_alive(&f.shell))
        {
            if let Some(f) = self.foreground.take() {
                out.extend(f.finish(&mut self.cluster, 137));
            }
        }
        out
    }

    /// The diagram's view of the cluster now.
    pub fn view(&self) -> ClusterView {
        let c = &self.cluster;
        let pod_view = |p: &Pod| PodView {
            uid: p.metadata.uid().to_string(),
            namespace: p.metadata.ns().to_string(),
            name: p.metadata.name.clone(),
            phase: p.phase().to_string(),
            status: crate::printers::pod_status::status(p),
            ready: p.is_ready(),
            owner: p.metadata.controller().map(|o| format!("{}/{}", o.kind, o.name)),
            app: p
                .metadata
                .labels
                .get("app")
                .or_else(|| p.metadata.labels.get("app.kubernetes.io/name"))
                .or_else(|| p.metadata.labels.get("k8s-app"))
                .cloned(),
        };
        let nodes = c
            .list(Kind::Node, None)
            .into_iter()
            .filter_map(|o| o.as_node())
            .map(|n| NodeView {
                name: n.metadata.name.clone(),
                role: if n.is_control_plane() {
                    "control-plane"
                } else {
                    "worker"
                }
                .into(),
                ready: n.is_ready(),
                unschedulable: n.spec.unschedulable == Some(true),
                pods: c
                    .store()
                    .pods_on_node(&n.metadata.name)
                    .filter_map(|o| o.as_pod())
                    .map(pod_view)
                    .collect(),
            })
            .collect();
        let unscheduled = c
            .list(Kind::Pod, None)
            .into_iter()
            .filter_map(|o| o.as_pod())
            .filter(|p| p.spec.node_name.is_none())
            .map(pod_view)
            .collect();
        ClusterView {
            now_ms: c.now().0,
            nodes,
            unscheduled,
        }
    }

    /// Bumps whenever anything in the cluster changes (the store's resourceVersion), so the UI
    /// re-renders only when needed.
    pub fn revision(&self) -> u64 {
        self.cluster.store().revision()
    }

    /// Virtual time, ms since the cluster started (a cheap read; no view is built).
    pub fn now_ms(&self) -> u64 {
        self.cluster.now().0
    }
}

impl Host for Session {
    fn kubectl(&mut self, argv: &[String], stdin: Option<&str>) -> Output {
        Session::kubectl(self, argv, stdin)
    }

    fn sleep(&mut self, millis: u64) -> Output {
        self.advance(millis)
    }

    fn interrupt(&mut self) -> Output {
        match self.watch.take() {
            Some(w) => w.close(&self.cluster),
            None => Output::ok(),
        }
    }

    fn foreground_prompt(&self) -> Option<String> {
        self.foreground.as_ref().map(|f| f.prompt())
    }

    fn foreground_input(&mut self, line: Option<&str>) -> Output {
        let Some(mut f) = self.foreground.take() else {
            return Output::ok();
        };
        let (mut out, exited) = f.input(&mut self.cluster, line);
        match exited {
            Some(code) => out.extend(f.finish(&mut self.cluster, code)),
            None => self.foreground = Some(f),
        }
        out
    }

    fn write_file(&mut self, path: &str, content: &str) {
        self.files.insert(path.to_string(), content.to_string());
    }

    fn read_file(&self, path: &str) -> Option<String> {
        self.files.get(path).cloned()
    }

    fn other(&mut self, argv: &[String], stdin: Option<&str>) -> Output {
        let out = commands::other(self, argv, stdin);
        self.history.push(Ran {
            argv: argv.to_vec(),
            exit_code: out.exit_code,
        });
        out
    }
}

/// A small, render-ready picture of the cluster for the web app's diagram. The web app never
/// reads engine objects directly; it reads this view (cheap to build, easy to diff).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ClusterView {
    /// Virtual time, ms since the cluster started.
    pub now_ms: u64,
    /// Nodes in name order.
    pub nodes: Vec<NodeView>,
    /// Pods not bound to any node yet (Pending, unschedulable).
    pub unscheduled: Vec<PodView>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NodeView {
    pub name: String,
    /// `control-plane` or `worker`.
    pub role: String,
    pub ready: bool,
    /// Cordoned (`spec.unschedulable`).
    pub unschedulable: bool,
    /// Pods on this node, in namespace/name order.
    pub pods: Vec<PodView>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PodView {
    /// Stable across updates: key SVG elements by it so they animate instead of being replaced.
    pub uid: String,
    pub namespace: String,
    pub name: String,
    /// `status.phase`: Pending, Running, Succeeded, Failed or Unknown (the diagram's `data-phase`).
    pub phase: String,
    /// What `kubectl get pods` shows in STATUS (ContainerCreating, Terminating, CrashLoopBackOff…).
    pub status: String,
    /// All containers ready.
    pub ready: bool,
    /// The controlling owner as `Kind/name`, e.g. `ReplicaSet/web-7c5ddbdf54`.
    pub owner: Option<String>,
    /// The `app` label (or `app.kubernetes.io/name`, `k8s-app`), to colour pods of one app alike.
    pub app: Option<String>,
}
