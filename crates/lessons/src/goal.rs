//! Goal checks: small typed questions about the cluster or about the commands run.
//!
//! In YAML each check is a one-key map, the key naming the check:
//!
//! ```yaml
//! goal:
//!   - pods_count: {selector: app=web, phase: Running, ready: true, count: 3}
//!   - ran: {command: rollout undo}
//!   - not: {node_cordoned: {name: kind-worker}}
//! ```
//!
//! Common rules: `namespace` defaults to `default`; `kind` is spelled as kubectl accepts it
//! (`deployment`, `deployments`, `deploy`, `Deployment`); `selector` uses `kubectl -l` syntax.
//! Pod checks ignore pods being deleted (kubectl shows them as `Terminating`: they are on their
//! way out). A check given a `selector` holds when at least one pod matches and every matching
//! pod satisfies it.

use kubelab_kubectl::engine::api::{Kind, Object, Pod};
use kubelab_kubectl::engine::selector::Selector;
use kubelab_kubectl::printers::pod_status;
use kubelab_kubectl::Session;
use serde::de::{Error as _, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::Value;
use std::fmt;
use std::sync::Arc;

/// One check of a step's goal. In YAML, a map with one key: the check's name in snake_case
/// (`pods_count: {...}`).
#[derive(Clone, Debug, PartialEq)]
pub enum Check {
    /// A pod (by `name`, or every pod matching `selector`) is in `phase` (`status.phase`:
    /// Pending, Running, Succeeded, Failed).
    PodPhase(PodPhase),
    /// A pod (by `name` or `selector`) shows `status` in `kubectl get pods`' STATUS column
    /// (`Running`, `Completed`, `CrashLoopBackOff`, `OOMKilled`, `Init:0/2`…).
    PodStatus(PodStatus),
    /// A pod (by `name` or `selector`) has restarted at least `min` times (all containers).
    PodRestarts(PodRestarts),
    /// The number of pods matching `selector` and the optional filters.
    PodsCount(PodsCount),
    /// What `kubectl logs` shows for pod `name` (its `container`, default: the only one)
    /// contains `contains`.
    PodLogs(PodLogs),
    /// The rollout of deployment `name` is complete at `replicas`: that many replicas wanted,
    /// updated and available, and no old pods left (`kubectl rollout status` would return).
    DeploymentAvailable(DeploymentAvailable),
    /// The pod template of deployment `name` runs `image` in `container` (default: its first).
    DeploymentImage(DeploymentImage),
    /// Deployment `deployment` is at rollout revision `revision`
    /// (`deployment.kubernetes.io/revision`).
    RolloutRevision(RolloutRevision),
    /// An object exists (even if it is being deleted).
    ObjectExists(ObjectRef),
    /// An object does not exist (any more).
    ObjectAbsent(ObjectRef),
    /// The number of objects of a kind (in a namespace, matching a selector).
    ObjectsCount(ObjectsCount),
    /// Service `name` has exactly `count` ready endpoint addresses.
    ServiceEndpoints(ServiceEndpoints),
    /// An object carries label `key` (with `value`, if given).
    Label(LabelCheck),
    /// A field of an object, addressed like `spec.template.spec.containers[0].image`, equals
    /// `value` (compared as text; `metadata.labels['app.kubernetes.io/name']` for keys with dots).
    Field(FieldCheck),
    /// An event with `reason` was recorded (about object `kind/name`, if given).
    Event(EventCheck),
    /// Node `name` is cordoned (`spec.unschedulable`).
    NodeCordoned(NodeRef),
    /// Since the step began, the learner ran a kubectl command that succeeded and whose words
    /// contain `command`'s words in order (`rollout undo` matches
    /// `kubectl rollout undo deployment/web`). Resource types match in any spelling: `get pods`
    /// matches `kubectl get po`, `describe node` matches `kubectl describe nodes/kind-worker`.
    /// Flags match anywhere on the line and in any spelling: `get pods --namespace kube-system`
    /// matches `kubectl -n kube-system get po` and `--namespace=kube-system`. A command that
    /// starts with a console program (`curl`, `curl -H 'Host: blog.example.com'`) matches that
    /// program's runs instead.
    Ran(Ran),
    /// The inner check does not hold.
    Not(Box<Check>),
    /// At least one of the inner checks holds.
    Any(Vec<Check>),
}

/// The names of the checks, as written in YAML.
pub const CHECK_NAMES: &[&str] = &[
    "pod_phase",
    "pod_status",
    "pod_restarts",
    "pods_count",
    "pod_logs",
    "deployment_available",
    "deployment_image",
    "rollout_revision",
    "object_exists",
    "object_absent",
    "objects_count",
    "service_endpoints",
    "label",
    "field",
    "event",
    "node_cordoned",
    "ran",
    "not",
    "any",
];

/// A one-key map `{name: arguments}`, whatever the format: YAML libraries disagree on how
/// enums are spelled (serde_norway wants `!tags`), lessons use the plain map.
impl<'de> Deserialize<'de> for Check {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(CheckVisitor)
    }
}

struct CheckVisitor;

impl<'de> Visitor<'de> for CheckVisitor {
    type Value = Check;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a check: a map with one key naming it, like `pods_count: {selector: app=web, count: 3}`")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Check, A::Error> {
        let Some(name) = map.next_key::<String>()? else {
            return Err(A::Error::invalid_length(0, &self));
        };
        let check = match name.as_str() {
            "pod_phase" => Check::PodPhase(map.next_value()?),
            "pod_status" => Check::PodStatus(map.next_value()?),
            "pod_restarts" => Check::PodRestarts(map.next_value()?),
            "pods_count" => Check::PodsCount(map.next_value()?),
            "pod_logs" => Check::PodLogs(map.next_value()?),
            "deployment_available" => Check::DeploymentAvailable(map.next_value()?),
            "deployment_image" => Check::DeploymentImage(map.next_value()?),
            "rollout_revision" => Check::RolloutRevision(map.next_value()?),
            "object_exists" => Check::ObjectExists(map.next_value()?),
            "object_absent" => Check::ObjectAbsent(map.next_value()?),
            "objects_count" => Check::ObjectsCount(map.next_value()?),
            "service_endpoints" => Check::ServiceEndpoints(map.next_value()?),
            "label" => Check::Label(map.next_value()?),
            "field" => Check::Field(map.next_value()?),
            "event" => Check::Event(map.next_value()?),
            "node_cordoned" => Check::NodeCordoned(map.next_value()?),
            "ran" => Check::Ran(map.next_value()?),
            "not" => Check::Not(Box::new(map.next_value()?)),
            "any" => Check::Any(map.next_value()?),
            other => return Err(A::Error::unknown_variant(other, CHECK_NAMES)),
        };
        if let Some(extra) = map.next_key::<String>()? {
            return Err(A::Error::custom(format!(
                "a check has one name, found `{name}` and `{extra}` (write each check as its own list item)"
            )));
        }
        Ok(check)
    }
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PodPhase {
    pub name: Option<String>,
    pub selector: Option<String>,
    pub namespace: Option<String>,
    pub phase: String,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PodStatus {
    pub name: Option<String>,
    pub selector: Option<String>,
    pub namespace: Option<String>,
    pub status: String,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PodRestarts {
    pub name: Option<String>,
    pub selector: Option<String>,
    pub namespace: Option<String>,
    pub min: u32,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PodsCount {
    /// Every pod of the namespace when absent.
    pub selector: Option<String>,
    pub namespace: Option<String>,
    pub phase: Option<String>,
    /// Counts only pods whose `Ready` condition is (or is not) true.
    pub ready: Option<bool>,
    /// Counts only pods showing this STATUS in `kubectl get pods`.
    pub status: Option<String>,
    /// Counts only pods with a container running this image.
    pub image: Option<String>,
    /// Counts only pods bound to this node.
    pub node: Option<String>,
    /// Counts only pods created since the step began (replacements, new replicas).
    #[serde(default)]
    pub created_in_step: bool,
    pub count: Option<u32>,
    pub min: Option<u32>,
    pub max: Option<u32>,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PodLogs {
    pub name: String,
    pub namespace: Option<String>,
    pub container: Option<String>,
    pub contains: String,
}

/// `count` (exactly), or `min` and/or `max`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Bound {
    count: Option<u32>,
    min: Option<u32>,
    max: Option<u32>,
}

impl PodsCount {
    fn bound(&self) -> Bound {
        Bound {
            count: self.count,
            min: self.min,
            max: self.max,
        }
    }
}

impl ObjectsCount {
    fn bound(&self) -> Bound {
        Bound {
            count: self.count,
            min: self.min,
            max: self.max,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeploymentAvailable {
    pub name: String,
    pub namespace: Option<String>,
    pub replicas: u32,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeploymentImage {
    pub name: String,
    pub namespace: Option<String>,
    pub container: Option<String>,
    pub image: String,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RolloutRevision {
    pub deployment: String,
    pub namespace: Option<String>,
    pub revision: u32,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ObjectRef {
    pub kind: String,
    pub name: String,
    pub namespace: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ObjectsCount {
    pub kind: String,
    pub namespace: Option<String>,
    pub selector: Option<String>,
    pub count: Option<u32>,
    pub min: Option<u32>,
    pub max: Option<u32>,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceEndpoints {
    pub name: String,
    pub namespace: Option<String>,
    pub count: u32,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabelCheck {
    pub kind: String,
    pub name: String,
    pub namespace: Option<String>,
    pub key: String,
    pub value: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldCheck {
    pub kind: String,
    pub name: String,
    pub namespace: Option<String>,
    pub path: String,
    pub value: Value,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventCheck {
    pub reason: String,
    /// The involved object's kind and name; any object when absent.
    pub kind: Option<String>,
    pub name: Option<String>,
    pub namespace: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NodeRef {
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ran {
    pub command: String,
}

/// The result of evaluating a check: whether it holds and what was observed (for the learner's
/// progress display and for the checker's failure messages).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verdict {
    pub met: bool,
    pub observed: String,
}

impl Verdict {
    fn new(met: bool, observed: impl Into<String>) -> Self {
        Verdict {
            met,
            observed: observed.into(),
        }
    }
}

/// Where the current step began: `ran` looks only at commands run since then, and
/// `created_in_step` only at pods created since then. The web app takes one when it shows a step.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StepStart {
    /// Length of `session.history` when the step began.
    pub history: usize,
    /// Virtual time (ms) when the step began.
    pub time_ms: u64,
}

impl StepStart {
    pub fn now(session: &Session) -> Self {
        StepStart {
            history: session.history.len(),
            time_ms: session.cluster.now().0,
        }
    }
}

/// What a check is evaluated against.
#[derive(Clone, Copy)]
pub struct Ctx<'a> {
    pub session: &'a Session,
    pub start: StepStart,
}

const DEFAULT_NS: &str = "default";

fn ns(n: &Option<String>) -> &str {
    n.as_deref().unwrap_or(DEFAULT_NS)
}

impl Check {
    /// Argument consistency, checked when a lesson is parsed.
    pub fn validate(&self) -> Result<(), String> {
        let one_target = |name: &Option<String>, selector: &Option<String>| -> Result<(), String> {
            match (name, selector) {
                (Some(_), None) => Ok(()),
                (None, Some(s)) => parse_selector(s).map(|_| ()),
                _ => Err("give either name or selector".into()),
            }
        };
        match self {
            Check::PodPhase(c) => one_target(&c.name, &c.selector),
            Check::PodStatus(c) => one_target(&c.name, &c.selector),
            Check::PodRestarts(c) => one_target(&c.name, &c.selector),
            Check::PodsCount(c) => {
                if let Some(s) = &c.selector {
                    parse_selector(s)?;
                }
                c.bound().validate()
            }
            Check::ObjectsCount(c) => {
                if let Some(s) = &c.selector {
                    parse_selector(s)?;
                }
                c.bound().validate()
            }
            Check::Field(c) => parse_path(&c.path).map(|_| ()),
            Check::Ran(r) => {
                if r.command.split_whitespace().next().is_none() {
                    Err("ran: command is empty".into())
                } else {
                    Ok(())
                }
            }
            Check::Not(c) => c.validate(),
            Check::Any(cs) => {
                if cs.is_empty() {
                    return Err("any: needs at least one check".into());
                }
                cs.iter().try_for_each(Check::validate)
            }
            _ => Ok(()),
        }
    }

    /// Evaluates the check. An error means the check cannot be evaluated at all (an unknown
    /// kind, a malformed selector): a broken lesson, not an unmet goal.
    pub fn eval(&self, cx: Ctx) -> Result<Verdict, String> {
        let s = cx.session;
        match self {
            Check::PodPhase(c) => {
                let pods = target_pods(s, &c.name, &c.selector, &c.namespace)?;
                Ok(every_pod(&pods, |p| p.phase() == c.phase, |p| p.phase().to_string()))
            }
            Check::PodStatus(c) => {
                let pods = target_pods(s, &c.name, &c.selector, &c.namespace)?;
                Ok(every_pod(
                    &pods,
                    |p| pod_status::status(p) == c.status,
                    pod_status::status,
                ))
            }
            Check::PodRestarts(c) => {
                let pods = target_pods(s, &c.name, &c.selector, &c.namespace)?;
                Ok(every_pod(
                    &pods,
                    |p| restarts(p) >= i64::from(c.min),
                    |p| format!("{} restarts", restarts(p)),
                ))
            }
            Check::PodsCount(c) => {
                let sel = match &c.selector {
                    Some(sel) => parse_selector(sel)?,
                    None => Selector::everything(),
                };
                let n = live_pods(s, ns(&c.namespace))
                    .filter(|p| sel.matches(&p.metadata.labels))
                    .filter(|p| c.phase.as_deref().is_none_or(|ph| p.phase() == ph))
                    .filter(|p| c.ready.is_none_or(|r| p.is_ready() == r))
                    .filter(|p| c.status.as_deref().is_none_or(|st| pod_status::status(p) == st))
                    .filter(|p| {
                        c.image
                            .as_deref()
                            .is_none_or(|im| p.spec.containers.iter().any(|k| k.image == im))
                    })
                    .filter(|p| {
                        c.node
                            .as_deref()
                            .is_none_or(|nd| p.spec.node_name.as_deref() == Some(nd))
                    })
                    .filter(|p| !c.created_in_step || created_ms(p).is_some_and(|t| t >= cx.start.time_ms))
                    .count() as u32;
                Ok(Verdict::new(c.bound().holds(n), format!("{n} pods")))
            }
            Check::PodLogs(c) => {
                let container = c.container.as_deref().unwrap_or("");
                Ok(match s.cluster.logs(ns(&c.namespace), &c.name, container, false) {
                    Ok(text) => {
                        let last = text.lines().last().unwrap_or("<no output>").to_string();
                        Verdict::new(text.contains(&c.contains), format!("last line: {last}"))
                    }
                    Err(e) => Verdict::new(false, e.message),
                })
            }
            Check::DeploymentAvailable(c) => {
                let Some(d) =
                    get(s, Kind::Deployment, ns(&c.namespace), &c.name).and_then(|o| o.as_deployment().cloned())
                else {
                    return Ok(Verdict::new(false, format!("no deployment {}", c.name)));
                };
                let want = i64::from(c.replicas);
                let st = &d.status;
                let observed = d.metadata.generation.is_none_or(|g| st.observed_generation >= g);
                let met = d.replicas() == want
                    && observed
                    && st.replicas == want
                    && st.updated_replicas == want
                    && st.available_replicas == want
                    && st.ready_replicas == want;
                Ok(Verdict::new(
                    met,
                    format!(
                        "spec.replicas={} replicas={} updated={} ready={} available={}",
                        d.replicas(),
                        st.replicas,
                        st.updated_replicas,
                        st.ready_replicas,
                        st.available_replicas
                    ),
                ))
            }
            Check::DeploymentImage(c) => {
                let Some(d) =
                    get(s, Kind::Deployment, ns(&c.namespace), &c.name).and_then(|o| o.as_deployment().cloned())
                else {
                    return Ok(Verdict::new(false, format!("no deployment {}", c.name)));
                };
                let containers = &d.spec.template.spec.containers;
                let found = match &c.container {
                    Some(n) => containers.iter().find(|k| &k.name == n),
                    None => containers.first(),
                };
                Ok(match found {
                    Some(k) => Verdict::new(k.image == c.image, format!("image {}", k.image)),
                    None => Verdict::new(false, "no such container"),
                })
            }
            Check::RolloutRevision(c) => {
                let Some(o) = get(s, Kind::Deployment, ns(&c.namespace), &c.deployment) else {
                    return Ok(Verdict::new(false, format!("no deployment {}", c.deployment)));
                };
                let rev = o
                    .meta()
                    .annotations
                    .get("deployment.kubernetes.io/revision")
                    .cloned()
                    .unwrap_or_default();
                Ok(Verdict::new(rev == c.revision.to_string(), format!("revision {rev:?}")))
            }
            Check::ObjectExists(c) => {
                let kind = resolve_kind(&c.kind)?;
                let found = get(s, kind, ns(&c.namespace), &c.name).is_some();
                Ok(Verdict::new(found, if found { "exists" } else { "not found" }))
            }
            Check::ObjectAbsent(c) => {
                let kind = resolve_kind(&c.kind)?;
                let found = get(s, kind, ns(&c.namespace), &c.name).is_some();
                Ok(Verdict::new(!found, if found { "exists" } else { "not found" }))
            }
            Check::ObjectsCount(c) => {
                let kind = resolve_kind(&c.kind)?;
                let sel = match &c.selector {
                    Some(sel) => parse_selector(sel)?,
                    None => Selector::everything(),
                };
                let n = s
                    .cluster
                    .list(kind, Some(ns(&c.namespace)))
                    .into_iter()
                    .filter(|o| sel.matches(&o.meta().labels))
                    .count() as u32;
                Ok(Verdict::new(c.bound().holds(n), format!("{n} {}", kind.info().plural)))
            }
            Check::ServiceEndpoints(c) => {
                let Some(ep) =
                    get(s, Kind::Endpoints, ns(&c.namespace), &c.name).and_then(|o| o.as_endpoints().cloned())
                else {
                    return Ok(Verdict::new(false, format!("no endpoints {}", c.name)));
                };
                let n = ep.subsets.iter().map(|ss| ss.addresses.len()).sum::<usize>() as u32;
                Ok(Verdict::new(n == c.count, format!("{n} ready addresses")))
            }
            Check::Label(c) => {
                let kind = resolve_kind(&c.kind)?;
                let Some(o) = get(s, kind, ns(&c.namespace), &c.name) else {
                    return Ok(Verdict::new(false, "not found"));
                };
                let v = o.meta().labels.get(&c.key);
                let met = match (&c.value, v) {
                    (Some(want), Some(have)) => want == have,
                    (None, Some(_)) => true,
                    _ => false,
                };
                Ok(Verdict::new(
                    met,
                    format!("{}={}", c.key, v.map_or("<none>", String::as_str)),
                ))
            }
            Check::Field(c) => {
                let kind = resolve_kind(&c.kind)?;
                let Some(o) = get(s, kind, ns(&c.namespace), &c.name) else {
                    return Ok(Verdict::new(false, "not found"));
                };
                let path = parse_path(&c.path)?;
                let v = o.to_value();
                let have = lookup(&v, &path).map(scalar_text);
                let want = scalar_text(&c.value);
                Ok(Verdict::new(
                    have.as_deref() == Some(want.as_str()),
                    have.unwrap_or_else(|| "<none>".into()),
                ))
            }
            Check::Event(c) => {
                let kind = c.kind.as_deref().map(resolve_kind).transpose()?;
                let n = s
                    .cluster
                    .list(Kind::Event, Some(ns(&c.namespace)))
                    .into_iter()
                    .filter_map(|o| o.as_event())
                    .filter(|e| e.reason.as_deref() == Some(c.reason.as_str()))
                    .filter(|e| kind.is_none_or(|k| e.involved_object.kind.as_deref() == Some(k.info().kind)))
                    .filter(|e| {
                        c.name
                            .as_deref()
                            .is_none_or(|n| e.involved_object.name.as_deref() == Some(n))
                    })
                    .count();
                Ok(Verdict::new(n > 0, format!("{n} {} events", c.reason)))
            }
            Check::NodeCordoned(c) => {
                let Some(n) = get(s, Kind::Node, "", &c.name).and_then(|o| o.as_node().cloned()) else {
                    return Ok(Verdict::new(false, format!("no node {}", c.name)));
                };
                let cordoned = n.spec.unschedulable == Some(true);
                Ok(Verdict::new(
                    cordoned,
                    if cordoned { "cordoned" } else { "schedulable" },
                ))
            }
            Check::Ran(r) => {
                // `rollout undo` names a kubectl command; `curl` (any word kubectl is not)
                // names a console command, whose own words follow it.
                let all: Vec<&str> = r.command.split_whitespace().collect();
                let console = all
                    .first()
                    .copied()
                    .filter(|w| *w != "kubectl" && CONSOLE_COMMANDS.contains(w));
                let want_kubectl = words(all.strip_prefix(&["kubectl"]).unwrap_or(&all));
                let want_console = words(all.get(1..).unwrap_or_default());
                let hist = s.history.get(cx.start.history..).unwrap_or_default();
                let found = hist.iter().any(|ran| {
                    let argv: Vec<&str> = ran.argv.iter().skip(1).map(String::as_str).collect();
                    let program = ran.argv.first().map(String::as_str);
                    ran.exit_code == 0
                        && match console {
                            Some(c) => program == Some(c) && matches_command(&want_console, &words(&argv)),
                            None => program == Some("kubectl") && matches_command(&want_kubectl, &words(&argv)),
                        }
                });
                Ok(Verdict::new(found, if found { "ran" } else { "not run yet" }))
            }
            Check::Not(c) => {
                let v = c.eval(cx)?;
                Ok(Verdict::new(!v.met, v.observed))
            }
            Check::Any(cs) => {
                let mut seen = Vec::new();
                for c in cs {
                    let v = c.eval(cx)?;
                    if v.met {
                        return Ok(v);
                    }
                    seen.push(v.observed);
                }
                Ok(Verdict::new(false, seen.join("; ")))
            }
        }
    }
}

impl Bound {
    fn validate(&self) -> Result<(), String> {
        match (self.count, self.min, self.max) {
            (Some(_), None, None) => Ok(()),
            (None, Some(_), _) | (None, _, Some(_)) => Ok(()),
            (None, None, None) => Err("give count, or min and/or max".into()),
            _ => Err("give count, or min and/or max, not both".into()),
        }
    }

    fn holds(&self, n: u32) -> bool {
        self.count.is_none_or(|c| n == c) && self.min.is_none_or(|m| n >= m) && self.max.is_none_or(|m| n <= m)
    }
}

impl fmt::Display for Bound {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.count, self.min, self.max) {
            (Some(c), _, _) => write!(f, "= {c}"),
            (None, Some(a), Some(b)) => write!(f, "in {a}..={b}"),
            (None, Some(a), None) => write!(f, ">= {a}"),
            (None, None, Some(b)) => write!(f, "<= {b}"),
            (None, None, None) => f.write_str("any"),
        }
    }
}

/// A short description for failure messages: `pods_count selector=app=web phase=Running = 3`.
impl fmt::Display for Check {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let target = |name: &Option<String>, selector: &Option<String>| match (name, selector) {
            (Some(n), _) => format!("pod {n}"),
            (None, Some(s)) => format!("pods {s}"),
            _ => "pods".into(),
        };
        match self {
            Check::PodPhase(c) => {
                write!(f, "pod_phase {} {}", target(&c.name, &c.selector), c.phase)
            }
            Check::PodStatus(c) => write!(f, "pod_status {} {}", target(&c.name, &c.selector), c.status),
            Check::PodRestarts(c) => write!(f, "pod_restarts {} >= {}", target(&c.name, &c.selector), c.min),
            Check::PodsCount(c) => {
                write!(f, "pods_count")?;
                for (k, v) in [
                    ("selector", c.selector.clone()),
                    ("phase", c.phase.clone()),
                    ("ready", c.ready.map(|r| r.to_string())),
                    ("status", c.status.clone()),
                    ("image", c.image.clone()),
                    ("node", c.node.clone()),
                    ("created_in_step", c.created_in_step.then(|| "true".to_string())),
                ] {
                    if let Some(v) = v {
                        write!(f, " {k}={v}")?;
                    }
                }
                write!(f, " {}", c.bound())
            }
            Check::PodLogs(c) => write!(f, "pod_logs {} contains {:?}", c.name, c.contains),
            Check::DeploymentAvailable(c) => {
                write!(f, "deployment_available {} replicas={}", c.name, c.replicas)
            }
            Check::DeploymentImage(c) => write!(f, "deployment_image {} {}", c.name, c.image),
            Check::RolloutRevision(c) => {
                write!(f, "rollout_revision {} {}", c.deployment, c.revision)
            }
            Check::ObjectExists(c) => write!(f, "object_exists {}/{}", c.kind, c.name),
            Check::ObjectAbsent(c) => write!(f, "object_absent {}/{}", c.kind, c.name),
            Check::ObjectsCount(c) => {
                write!(f, "objects_count {}", c.kind)?;
                if let Some(s) = &c.selector {
                    write!(f, " selector={s}")?;
                }
                write!(f, " {}", c.bound())
            }
            Check::ServiceEndpoints(c) => write!(f, "service_endpoints {} = {}", c.name, c.count),
            Check::Label(c) => write!(
                f,
                "label {}/{} {}={}",
                c.kind,
                c.name,
                c.key,
                c.value.as_deref().unwrap_or("*")
            ),
            Check::Field(c) => write!(f, "field {}/{} {} = {}", c.kind, c.name, c.path, scalar_text(&c.value)),
            Check::Event(c) => match (&c.kind, &c.name) {
                (Some(k), Some(n)) => write!(f, "event {} on {k}/{n}", c.reason),
                (_, Some(n)) => write!(f, "event {} on {n}", c.reason),
                _ => write!(f, "event {}", c.reason),
            },
            Check::NodeCordoned(c) => write!(f, "node_cordoned {}", c.name),
            Check::Ran(r) => write!(f, "ran `{}`", r.command),
            Check::Not(c) => write!(f, "not ({c})"),
            Check::Any(cs) => {
                let parts: Vec<String> = cs.iter().map(ToString::to_string).collect();
                write!(f, "any ({})", parts.join(" | "))
            }
        }
    }
}

fn parse_selector(s: &str) -> Result<Selector, String> {
    Selector::parse(s).map_err(|e| format!("selector {s:?}: {e}"))
}

/// A kind as kubectl spells it: `Deployment`, `deployment`, `deployments`, `deploy`,
/// `deployments.apps`.
pub fn resolve_kind(word: &str) -> Result<Kind, String> {
    lookup_kind(word).ok_or_else(|| format!("unknown kind {word:?}"))
}

fn lookup_kind(word: &str) -> Option<Kind> {
    let w = word.to_ascii_lowercase();
    Kind::ALL.iter().copied().find(|k| {
        let i = k.info();
        let names = [
            i.kind.to_ascii_lowercase(),
            i.plural.to_string(),
            i.singular.to_string(),
        ];
        let with_group = |n: &str| !i.group.is_empty() && w == format!("{n}.{}", i.group);
        names.iter().any(|n| *n == w || with_group(n)) || i.short_names.contains(&w.as_str())
    })
}

fn get<'a>(s: &'a Session, kind: Kind, namespace: &str, name: &str) -> Option<&'a Arc<Object>> {
    s.cluster.get(kind, namespace, name)
}

/// Pods of a namespace that are not being deleted.
fn live_pods<'a>(s: &'a Session, namespace: &str) -> impl Iterator<Item = &'a Pod> {
    s.cluster
        .list(Kind::Pod, Some(namespace))
        .into_iter()
        .filter_map(|o| o.as_pod())
        .filter(|p| !p.metadata.is_deleting())
}

/// The pods a `name`/`selector` check is about: the named pod (even while terminating), or the
/// live pods matching the selector.
fn target_pods<'a>(
    s: &'a Session,
    name: &Option<String>,
    selector: &Option<String>,
    namespace: &Option<String>,
) -> Result<Vec<&'a Pod>, String> {
    let ns = ns(namespace);
    if let Some(n) = name {
        return Ok(get(s, Kind::Pod, ns, n).and_then(|o| o.as_pod()).into_iter().collect());
    }
    let sel = match selector {
        Some(sel) => parse_selector(sel)?,
        None => Selector::everything(),
    };
    Ok(live_pods(s, ns).filter(|p| sel.matches(&p.metadata.labels)).collect())
}

fn every_pod(pods: &[&Pod], pred: impl Fn(&Pod) -> bool, show: impl Fn(&Pod) -> String) -> Verdict {
    if pods.is_empty() {
        return Verdict::new(false, "no pods");
    }
    let met = pods.iter().all(|p| pred(p));
    let seen: Vec<String> = pods
        .iter()
        .map(|p| format!("{}: {}", p.metadata.name, show(p)))
        .collect();
    Verdict::new(met, seen.join(", "))
}

fn created_ms(p: &Pod) -> Option<u64> {
    p.metadata.creation_timestamp.map(|t| t.0 .0)
}

fn restarts(p: &Pod) -> i64 {
    p.status.container_statuses.iter().map(|c| c.restart_count).sum()
}

/// One positional word of a command line for `ran`: resource types are canonical whatever
/// their spelling, `TYPE/NAME` is two words, `deploy,rs` is two types.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Word {
    Type(Kind),
    Text(String),
}

/// A command line as `ran` compares it: positional words in order, and flags (long names, with
/// their values) in any order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Words {
    args: Vec<Word>,
    flags: Vec<(String, Option<String>)>,
}

/// Short flags and their long names: `-n x`, `-nx`, `--namespace=x` and `--namespace x` are
/// the same flag.
const FLAG_ALIASES: &[(&str, &str)] = &[
    ("-n", "--namespace"),
    ("-o", "--output"),
    ("-l", "--selector"),
    ("-f", "--filename"),
    ("-c", "--container"),
    ("-A", "--all-namespaces"),
    ("-w", "--watch"),
];

/// Long flags that take a value as the next word (the others are booleans or use `=`).
const VALUE_FLAGS: &[&str] = &[
    "--namespace",
    "--output",
    "--selector",
    "--filename",
    "--container",
    "--replicas",
    "--image",
    "--port",
    "--target-port",
    "--type",
    "--name",
    "--to-revision",
    "--revision",
    "--field-selector",
    "--labels",
    "--grace-period",
    "--timeout",
    "--context",
    "--sort-by",
    "--cascade",
];

fn words(line: &[&str]) -> Words {
    let mut w = Words::default();
    let mut it = line.iter().copied().peekable();
    while let Some(word) = it.next() {
        if word.starts_with('-') && word.len() > 1 {
            let (flag, value) = if let Some((flag, value)) = word.split_once('=').filter(|_| word.starts_with("--")) {
                (flag.to_string(), Some(value.to_string()))
            } else if let Some((_, long)) = FLAG_ALIASES.iter().find(|(short, _)| word.get(..2) == Some(short)) {
                let rest = &word[2..];
                let rest = rest.strip_prefix('=').unwrap_or(rest);
                (long.to_string(), (!rest.is_empty()).then(|| rest.to_string()))
            } else {
                (word.to_string(), None)
            };
            let value = match value {
                Some(v) => Some(v),
                None if VALUE_FLAGS.contains(&flag.as_str()) => it.next().map(str::to_string),
                None => None,
            };
            w.flags.push((flag, value));
            continue;
        }
        if let Some((t, name)) = word.split_once('/') {
            if let Some(k) = lookup_kind(t) {
                w.args.push(Word::Type(k));
                w.args.push(Word::Text(name.to_string()));
                continue;
            }
        }
        if word.contains(',') {
            if let Some(kinds) = word.split(',').map(lookup_kind).collect::<Option<Vec<Kind>>>() {
                w.args.extend(kinds.into_iter().map(Word::Type));
                continue;
            }
        }
        w.args
            .push(lookup_kind(word).map_or_else(|| Word::Text(word.to_string()), Word::Type));
    }
    w
}

/// `want`'s positional words appear in `have` in order, and each of `want`'s flags is in `have`
/// (with the same value, when `want` gives one).
/// Console commands other than kubectl that `ran` can name (the session records them too).
const CONSOLE_COMMANDS: &[&str] = &["curl", "sim"];

fn matches_command(want: &Words, have: &Words) -> bool {
    let mut it = have.args.iter();
    let args = want.args.iter().all(|w| it.any(|h| h == w));
    let flags = want
        .flags
        .iter()
        .all(|(f, v)| have.flags.iter().any(|(hf, hv)| hf == f && (v.is_none() || v == hv)));
    args && flags
}

/// One step of a field path.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Seg {
    Key(String),
    Index(usize),
}

/// `spec.containers[0].image`, `metadata.labels['app.kubernetes.io/name']`.
fn parse_path(path: &str) -> Result<Vec<Seg>, String> {
    let bad = || format!("path {path:?}: write it like spec.containers[0].image");
    let mut segs = Vec::new();
    let mut rest = path;
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix('[') {
            let end = r.find(']').ok_or_else(bad)?;
            let inner = &r[..end];
            let quoted = inner
                .strip_prefix('\'')
                .and_then(|x| x.strip_suffix('\''))
                .or_else(|| inner.strip_prefix('"').and_then(|x| x.strip_suffix('"')));
            segs.push(match quoted {
                Some(k) => Seg::Key(k.to_string()),
                None => Seg::Index(inner.parse().map_err(|_| bad())?),
            });
            rest = &r[end + 1..];
            rest = rest.strip_prefix('.').unwrap_or(rest);
        } else {
            let end = rest.find(['.', '[']).unwrap_or(rest.len());
            if end == 0 {
                return Err(bad());
            }
            segs.push(Seg::Key(rest[..end].to_string()));
            rest = &rest[end..];
            if let Some(r) = rest.strip_prefix('.') {
                if r.is_empty() {
                    return Err(bad());
                }
                rest = r;
            }
        }
    }
    if segs.is_empty() {
        return Err(bad());
    }
    Ok(segs)
}

fn lookup<'a>(v: &'a Value, path: &[Seg]) -> Option<&'a Value> {
    path.iter().try_fold(v, |v, seg| match seg {
        Seg::Key(k) => v.get(k.as_str()),
        Seg::Index(i) => v.get(*i),
    })
}

/// A value as text for comparison: strings as they are, other scalars in JSON, structures in
/// compact JSON.
fn scalar_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kubelab_kubectl::engine::api::*;
    use kubelab_kubectl::SessionOptions;

    fn check(yaml: &str) -> Check {
        let c: Check = serde_norway::from_str(yaml).unwrap();
        c.validate().unwrap();
        c
    }

    fn met(s: &Session, yaml: &str) -> bool {
        check(yaml)
            .eval(Ctx {
                session: s,
                start: StepStart::default(),
            })
            .unwrap()
            .met
    }

    fn deployment(name: &str, replicas: i64, image: &str) -> Object {
        let mut d = Deployment {
            metadata: ObjectMeta::named(name, Some("default")),
            ..Default::default()
        };
        let labels: Labels = [("app".to_string(), name.to_string())].into();
        d.spec.replicas = Some(replicas);
        d.spec.selector.match_labels = labels.clone();
        d.spec.template.metadata.labels = labels.clone();
        d.metadata.labels = labels;
        d.spec.template.spec.containers = vec![Container {
            name: "c".into(),
            image: image.into(),
            ..Default::default()
        }];
        Object::Deployment(d)
    }

    /// A session with deployment `web` (3 × nginx) created through the engine's API and given
    /// a minute to run.
    fn with_web() -> Session {
        let mut s = Session::new(SessionOptions::default());
        s.cluster.create(deployment("web", 3, "nginx")).unwrap();
        s.advance(60_000);
        s
    }

    #[test]
    fn pod_and_deployment_checks_read_the_cluster() {
        let empty = Session::new(SessionOptions::default());
        let s = with_web();
        for yes in [
            "pods_count: {selector: app=web, phase: Running, ready: true, count: 3}",
            "pods_count: {selector: app=web, image: nginx, min: 2}",
            "pods_count: {selector: app=web, status: Running, min: 3, max: 3}",
            "pod_phase: {selector: app=web, phase: Running}",
            "pod_status: {selector: app=web, status: Running}",
            "deployment_available: {name: web, replicas: 3}",
            "deployment_image: {name: web, image: nginx}",
            "rollout_revision: {deployment: web, revision: 1}",
            "object_exists: {kind: deploy, name: web}",
            "object_absent: {kind: services, name: web}",
            "objects_count: {kind: rs, selector: app=web, count: 1}",
            "label: {kind: Deployment, name: web, key: app}",
            "field: {kind: deployment, name: web, path: 'spec.template.spec.containers[0].image', value: nginx}",
            "field: {kind: deployment, name: web, path: spec.replicas, value: 3}",
            "event: {reason: ScalingReplicaSet, kind: deployment, name: web}",
            "not: {node_cordoned: {name: kind-worker}}",
            "any: [{pods_count: {count: 7}}, {pods_count: {selector: app=web, count: 3}}]",
        ] {
            assert!(met(&s, yes), "should hold: {yes}");
            assert!(
                !met(&empty, yes) || yes.contains("absent") || yes.contains("not:"),
                "should not hold at start: {yes}"
            );
        }
        for no in [
            "pods_count: {selector: app=web, count: 2}",
            "pod_phase: {selector: app=nope, phase: Running}",
            "deployment_available: {name: web, replicas: 4}",
            "deployment_image: {name: web, image: nginx:1.27}",
            "label: {kind: deployment, name: web, key: app, value: api}",
            "service_endpoints: {name: web, count: 3}",
            "pod_restarts: {selector: app=web, min: 1}",
        ] {
            assert!(!met(&s, no), "should not hold: {no}");
        }
    }

    #[test]
    fn created_in_step_counts_only_new_pods() {
        let mut s = with_web();
        let start = StepStart::now(&s);
        let new = check("pods_count: {selector: app=web, created_in_step: true, min: 1}");
        assert!(!new.eval(Ctx { session: &s, start }).unwrap().met);
        let victim = s.cluster.list(Kind::Pod, Some("default"))[0].name().to_string();
        s.cluster
            .delete(Kind::Pod, "default", &victim, Default::default())
            .unwrap();
        s.advance(30_000);
        assert!(new.eval(Ctx { session: &s, start }).unwrap().met);
        assert!(met(&s, "deployment_available: {name: web, replicas: 3}"));
    }

    #[test]
    fn pod_logs_read_what_the_container_printed() {
        let mut s = Session::new(SessionOptions::default());
        let mut p = Pod {
            metadata: ObjectMeta::named("hello", Some("default")),
            ..Default::default()
        };
        p.spec.containers = vec![Container {
            name: "main".into(),
            image: "busybox:1.36".into(),
            command: vec!["sh".into(), "-c".into(), "echo hello from kubelab; sleep 3600".into()],
            ..Default::default()
        }];
        let hello = "pod_logs: {name: hello, contains: hello from kubelab}";
        assert!(!met(&s, hello), "no such pod yet");
        s.cluster.create(Object::Pod(p)).unwrap();
        s.advance(10_000);
        assert!(met(&s, hello));
        assert!(!met(&s, "pod_logs: {name: hello, contains: goodbye}"));
    }

    #[test]
    fn service_endpoints_count_ready_addresses() {
        let mut s = with_web();
        let mut svc = Service {
            metadata: ObjectMeta::named("web", Some("default")),
            ..Default::default()
        };
        svc.spec.selector = [("app".to_string(), "web".to_string())].into();
        svc.spec.ports = vec![ServicePort {
            port: 80,
            ..Default::default()
        }];
        s.cluster.create(Object::Service(svc)).unwrap();
        s.advance(5_000);
        assert!(met(&s, "service_endpoints: {name: web, count: 3}"));
        assert!(met(&s, "service_endpoints: {name: kubernetes, count: 1}"));
    }

    #[test]
    fn ran_matches_words_in_order_and_resource_spellings() {
        let mut s = Session::new(SessionOptions::default());
        let push = |s: &mut Session, line: &str, code: i32| {
            let argv = line.split_whitespace().map(str::to_string).collect();
            s.history.push(kubelab_kubectl::session::Ran { argv, exit_code: code });
        };
        push(&mut s, "kubectl -n kube-system get po -o wide", 0);
        push(&mut s, "kubectl describe nodes/kind-worker", 0);
        push(&mut s, "kubectl rollout undo deployment/web", 1);
        assert!(met(&s, "ran: {command: get pods}"));
        assert!(met(&s, "ran: {command: describe node}"));
        assert!(met(&s, "ran: {command: describe node kind-worker}"));
        assert!(!met(&s, "ran: {command: rollout undo}"), "failed runs do not count");
        assert!(!met(&s, "ran: {command: pods get}"), "order matters");
        assert!(!met(&s, "ran: {command: get pods --output yaml}"), "flag values matter");
        assert!(!met(&s, "ran: {command: get pods -A}"), "-A was not used");
        let c = check("ran: {command: get pods}");
        let start = StepStart { history: 1, time_ms: 0 };
        assert!(
            !c.eval(Ctx { session: &s, start }).unwrap().met,
            "only commands since the step began"
        );
        assert!(
            met(&s, "ran: {command: get pods --namespace kube-system --output wide}"),
            "short flags"
        );
        push(&mut s, "kubectl get deploy,rs -owide --selector=app=web", 0);
        assert!(met(&s, "ran: {command: get replicasets -o wide -l app=web}"));
        assert!(met(&s, "ran: {command: get deployments}"));
    }

    #[test]
    fn ran_names_console_commands_by_their_program() {
        let mut s = Session::new(SessionOptions::default());
        let push = |s: &mut Session, argv: &[&str], code: i32| {
            let argv = argv.iter().map(|a| a.to_string()).collect();
            s.history.push(kubelab_kubectl::session::Ran { argv, exit_code: code });
        };
        push(&mut s, &["kubectl", "get", "pods"], 0);
        assert!(!met(&s, "ran: {command: curl}"), "kubectl is not curl");
        push(
            &mut s,
            &["curl", "-H", "Host: blog.example.com", "http://localhost/"],
            0,
        );
        assert!(met(&s, "ran: {command: curl}"));
        assert!(met(&s, "ran: {command: curl http://localhost/}"));
        assert!(!met(&s, "ran: {command: curl http://localhost/shop}"));
        assert!(met(&s, "ran: {command: get pods}"), "kubectl commands still match");
        let mut t = Session::new(SessionOptions::default());
        push(&mut t, &["curl", "get", "pods"], 0);
        assert!(
            !met(&t, "ran: {command: get pods}"),
            "a console command is no kubectl command"
        );
    }

    #[test]
    fn arguments_are_validated() {
        let bad = |y: &str| {
            serde_norway::from_str::<Check>(y)
                .map_err(|e| e.to_string())
                .and_then(|c| c.validate())
        };
        assert!(bad("pod_phase: {phase: Running}").is_err());
        assert!(bad("pod_phase: {name: a, selector: b, phase: Running}").is_err());
        assert!(bad("pods_count: {selector: app=web}").is_err());
        assert!(bad("pods_count: {selector: app=web, count: 1, min: 1}").is_err());
        assert!(bad("pods_count: {selector: 'app in (', count: 1}").is_err());
        assert!(
            bad("pods_count: {selector: app=web, cout: 1}").is_err(),
            "unknown field next to a flattened bound"
        );
        assert!(bad("field: {kind: pod, name: a, path: 'spec..x', value: 1}").is_err());
        assert!(bad("ran: {command: ' '}").is_err());
        assert!(bad("any: []").is_err());
        assert!(bad("deployment_available: {name: web, replicas: 3, extra: 1}").is_err());
    }

    #[test]
    fn unknown_kinds_are_evaluation_errors() {
        let s = Session::new(SessionOptions::default());
        let c = check("object_exists: {kind: frobnicator, name: web}");
        assert!(c
            .eval(Ctx {
                session: &s,
                start: StepStart::default()
            })
            .unwrap_err()
            .contains("frobnicator"));
    }

    #[test]
    fn paths_parse() {
        assert_eq!(
            parse_path("metadata.labels['app.kubernetes.io/name']").unwrap(),
            vec![
                Seg::Key("metadata".into()),
                Seg::Key("labels".into()),
                Seg::Key("app.kubernetes.io/name".into())
            ]
        );
        assert_eq!(
            parse_path("spec.containers[0].image").unwrap(),
            vec![
                Seg::Key("spec".into()),
                Seg::Key("containers".into()),
                Seg::Index(0),
                Seg::Key("image".into())
            ]
        );
    }
}
