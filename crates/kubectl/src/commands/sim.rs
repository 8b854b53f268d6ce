//! `sim`: the sandbox's controls for what kubectl cannot do, because in a real cluster it
//! happens to the machines: a node fails (`sim node stop`), comes back (`sim node start`), or
//! joins (`sim node add`). Usable from the console, scripts and lesson solutions; lesson goals
//! see it like a kubectl command (`ran: {command: sim node stop kind-worker}`).
//!
//! What follows a stop is the control plane's doing, on the virtual clock (engine
//! `cluster/control/nodes.rs`): after the node-monitor grace period (40 s) the node is
//! `NotReady` with the `node.kubernetes.io/unreachable` taints, and its pods are evicted when
//! their 300 s toleration of that taint runs out, then replaced elsewhere by their controllers.
//!
//! Messages follow the shape of a command-line tool (`sim: …`, usage on stderr, exit 2 for a
//! usage error, 1 for a failed operation) since no real tool exists to copy.

use crate::engine::api::Kind;
use crate::printers::table::TabWriter;
use crate::session::Session;
use crate::Output;

const USAGE: &str = "\
Usage: sim COMMAND

Sandbox controls for what kubectl cannot do: the machines under the cluster.

Commands:
  sim node list          Nodes, their status, and whether their kubelet runs
  sim node stop NODE     Stop NODE's kubelet, as if the machine failed: NotReady after 40s,
                         its pods evicted 5 minutes later and recreated elsewhere
  sim node start NODE    Start NODE's kubelet again: Ready, the unreachable taints removed
  sim node add [NAME]    Join a new worker node (default name: the next kind-workerN)
  sim help               This help
";

/// Runs `sim ARGS…` (`argv[0]` is `sim`).
pub fn run(s: &mut Session, argv: &[String]) -> Output {
    let args: Vec<&str> = argv.iter().skip(1).map(String::as_str).collect();
    match args.as_slice() {
        [] | ["help" | "-h" | "--help", ..] | ["node", "-h" | "--help" | "help"] => {
            let mut o = Output::ok();
            if args.is_empty() {
                o.err(USAGE);
                o.exit_code = 2;
            } else {
                o.out(USAGE);
            }
            o
        }
        ["node", "list" | "ls"] => list(s),
        ["node", "stop", node] => stop(s, node),
        ["node", "start", node] => start(s, node),
        ["node", "add"] => {
            let name = s.cluster.add_node();
            ok(format!("node/{name} added"))
        }
        ["node", "add", name] => add(s, name),
        ["node", op @ ("stop" | "start"), ..] => usage(&format!("sim node {op} takes exactly one node name")),
        ["node", "add", ..] => usage("sim node add takes at most one node name"),
        ["node", "list" | "ls", ..] => usage("sim node list takes no arguments"),
        ["node"] => usage("sim node needs a subcommand: list, stop, start or add"),
        ["node", other, ..] => usage(&format!("unknown node subcommand \"{other}\"")),
        [other, ..] => usage(&format!("unknown command \"{other}\"")),
    }
}

fn ok(line: String) -> Output {
    let mut o = Output::ok();
    o.outln(line);
    o
}

fn usage(msg: &str) -> Output {
    let mut o = Output::ok();
    o.errln(format!("sim: {msg}"));
    o.errln("Run 'sim help' for usage.");
    o.exit_code = 2;
    o
}

fn fail(msg: String) -> Output {
    let mut o = Output::ok();
    o.errln(format!("sim: {msg}"));
    o.exit_code = 1;
    o
}

fn node_exists(s: &Session, name: &str) -> bool {
    s.cluster.get(Kind::Node, "", name).is_some()
}

fn stop(s: &mut Session, node: &str) -> Output {
    if !node_exists(s, node) {
        return fail(format!("node \"{node}\" not found"));
    }
    if s.cluster.node_stopped(node) {
        return ok(format!("node/{node} already stopped"));
    }
    match s.cluster.stop_node(node) {
        Ok(()) => ok(format!("node/{node} stopped")),
        Err(e) => fail(e.message),
    }
}

fn start(s: &mut Session, node: &str) -> Output {
    if !node_exists(s, node) {
        return fail(format!("node \"{node}\" not found"));
    }
    if !s.cluster.node_stopped(node) {
        return ok(format!("node/{node} already running"));
    }
    match s.cluster.start_node(node) {
        Ok(()) => ok(format!("node/{node} started")),
        Err(e) => fail(e.message),
    }
}

fn add(s: &mut Session, name: &str) -> Output {
    if !is_subdomain(name) {
        return fail(format!(
            "invalid node name \"{name}\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character"
        ));
    }
    match s.cluster.add_named_node(name) {
        Ok(n) => ok(format!("node/{n} added")),
        Err(_) => fail(format!("node \"{name}\" already exists")),
    }
}

/// A DNS-1123 subdomain, what the API server accepts as a node name.
fn is_subdomain(name: &str) -> bool {
    name.len() <= 253
        && name.split('.').all(|label| {
            !label.is_empty()
                && label
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        })
}

fn list(s: &Session) -> Output {
    let mut t = TabWriter::get_table();
    t.write_row(&["NAME", "STATUS", "KUBELET"]);
    for o in s.cluster.list(Kind::Node, None) {
        let Some(n) = o.as_node() else { continue };
        let name = &n.metadata.name;
        let status = if n.is_ready() { "Ready" } else { "NotReady" };
        let kubelet = if s.cluster.node_stopped(name) {
            "stopped"
        } else {
            "running"
        };
        t.write_row(&[name.as_str(), status, kubelet]);
    }
    t.flush();
    let mut o = Output::ok();
    o.out(t.take_output());
    o
}
