//! What kubectl's mutating commands share, written once:
//!
//! * the klog lines kubectl prints for some errors and warnings, rendered deterministically
//!   from the virtual clock ([`klog_line`]);
//! * `--dry-run` (`cmdutil.GetDryRunStrategy`) and `-o` (cli-runtime `PrintFlags`), and the
//!   printer every mutating command ends with: `<kind>[.<group>]/<name> <verb>` plus
//!   ` (dry run)` / ` (server dry run)`, or the object as `-o name|yaml|json` ([`Printer`]);
//! * which objects a command names (cli-runtime `resource.Builder`): `TYPE NAME…`, `TYPE/NAME`,
//!   `TYPE -l SELECTOR`, `TYPE --all`, `-f FILE`, with the builder's own errors ([`select`]);
//! * acting on each of them with the builder's `ContinueOnError`: what succeeds is printed as it
//!   happens, the errors are printed together at the end, one per line, exit code 1
//!   ([`for_each`]);
//! * the run of a command ([`command`]): warnings, output, error, then the controllers react at
//!   the same virtual instant ([`finish`]); requests that `--dry-run=server` sends to a copy of
//!   the cluster ([`send`]);
//! * waiting the way kubectl blocks on a watch, by moving the virtual clock from one cluster
//!   event to the next ([`wait_until`], [`wait_for`]).

use super::{get, typed_json};
use crate::engine::api::{Kind, Object};
use crate::engine::selector::Selector;
use crate::engine::{ApiError, Cluster, Timestamp};
use crate::flags::{self, Invocation};
use crate::printers::{gotemplate, json, yaml};
use crate::session::Session;
use crate::{errors, manifest, resources, Output};
use serde_json::Value;
use std::sync::Arc;

// ---------------------------------------------------------------------------------------------
// klog
// ---------------------------------------------------------------------------------------------

/// The pid the simulated kubectl process gets: kubectl is a new process for every command, so
/// pids grow with the number of commands run in the session (`31000 + n`). Real pids are
/// arbitrary; these are deterministic so transcripts replay byte for byte.
pub fn pid(s: &Session) -> u32 {
    31_000 + s.history.len() as u32
}

/// klog's header time, `MMDD hh:mm:ss.uuuuuu`, from the virtual clock (UTC, the clock's
/// milliseconds as the microseconds' first three digits).
pub fn klog_timestamp(c: &Cluster) -> String {
    let now = c.now();
    let iso = Timestamp(now).to_string(); // 2026-03-02T09:10:00Z
    let micros = (now.0 % 1000) * 1000;
    format!("{}{} {}.{micros:06}", &iso[5..7], &iso[8..10], &iso[11..19])
}

/// A klog line: `W1125 15:45:46.377556   31004 helpers.go:702] message` (severity letter, date,
/// time, the pid right-aligned in 7 columns, the Go source location).
pub fn klog_line(s: &Session, severity: char, source: &str, message: &str) -> String {
    format!(
        "{severity}{} {:>7} {source}] {message}",
        klog_timestamp(&s.cluster),
        pid(s)
    )
}

/// cobra's required-flag check, which runs before the command and is reported through klog
/// (`E… run.go:72] "command failed" err="required flag(s) \"image\" not set"`).
pub fn check_required(s: &Session, inv: &Invocation) -> Result<(), Output> {
    let missing = inv.missing_required();
    if missing.is_empty() {
        return Ok(());
    }
    let err = flags::required_flags_error(&missing);
    Err(Output::fail(flags::command_failed_line(
        &klog_timestamp(&s.cluster),
        pid(s),
        &err,
    )))
}

/// `error: <message>` followed by the usage hint kubectl's `UsageErrorf` adds.
pub fn usage_error(inv: &Invocation, message: impl AsRef<str>) -> Output {
    Output::fail(format!(
        "error: {}\nSee '{} -h' for help and examples",
        message.as_ref(),
        inv.command_path()
    ))
}

/// The warnings pflag printed while parsing (deprecated flags), on stderr first.
pub fn parse_warnings(inv: &Invocation) -> Output {
    let mut o = Output::ok();
    for w in &inv.warnings {
        o.errln(w);
    }
    o
}

// ---------------------------------------------------------------------------------------------
// --dry-run
// ---------------------------------------------------------------------------------------------

/// `--dry-run=none|client|server`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DryRun {
    None,
    /// Nothing is sent to the server; the object is printed as kubectl built it.
    Client,
    /// The server runs admission and validation and persists nothing.
    Server,
}

impl DryRun {
    /// The suffix kubectl's `PrintFlags.Complete` adds to the verb.
    pub fn suffix(self) -> &'static str {
        match self {
            DryRun::None => "",
            DryRun::Client => " (dry run)",
            DryRun::Server => " (server dry run)",
        }
    }
}

/// `cmdutil.GetDryRunStrategy`: a bare `--dry-run` (its no-option value `unchanged`) and Go
/// booleans still work with a klog deprecation warning, which goes to `out` (stderr).
pub fn dry_run(s: &Session, inv: &Invocation, out: &mut Output) -> Result<DryRun, Output> {
    let v = inv.get_str("dry-run");
    match v {
        "none" => Ok(DryRun::None),
        "client" => Ok(DryRun::Client),
        "server" => Ok(DryRun::Server),
        "unchanged" => {
            out.errln(klog_line(
                s,
                'W',
                "helpers.go:702",
                "--dry-run is deprecated and can be replaced with --dry-run=client.",
            ));
            Ok(DryRun::Client)
        }
        _ => match flags::parse_bool(v) {
            Some(b) => {
                let (with, strategy, line) = if b {
                    ("client", DryRun::Client, "helpers.go:716")
                } else {
                    ("none", DryRun::None, "helpers.go:719")
                };
                out.errln(klog_line(
                    s,
                    'W',
                    line,
                    &format!("--dry-run={v} is deprecated (boolean value) and can be replaced with --dry-run={with}."),
                ));
                Ok(strategy)
            }
            None => Err(errors::error(format!(
                "Invalid dry-run value ({v}). Must be \"none\", \"server\", or \"client\"."
            ))),
        },
    }
}

// ---------------------------------------------------------------------------------------------
// -o and printing
// ---------------------------------------------------------------------------------------------

/// What `-o` asked for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Format {
    /// No `-o`: the `<kind>/<name> <verb>` line.
    Message,
    Name,
    Yaml,
    Json,
    /// `-o jsonpath=TEMPLATE`: each object rendered, nothing between them.
    JsonPath(String),
    /// `-o jsonpath-as-json=TEMPLATE`: the values found, as an indented JSON list.
    JsonPathAsJson(String),
    /// `-o go-template=TEMPLATE` (or `template=`).
    GoTemplate(String),
}

/// The formats cli-runtime's `PrintFlags` offers mutating commands (JSON/YAML, name, templates).
const ALLOWED_FORMATS: &str =
    "go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml";

/// Reads `-o` as cli-runtime's `PrintFlags.ToPrinter` does for mutating commands. The `-file`
/// variants read a template file from the virtual files.
pub fn format(inv: &Invocation) -> Result<Format, Output> {
    format_with_files(inv, |_| None)
}

/// [`format`] with the session's virtual files for `-o jsonpath-file=F` / `go-template-file=F`.
pub fn format_with_files(inv: &Invocation, read: impl Fn(&str) -> Option<String>) -> Result<Format, Output> {
    let o = inv.get_str("output");
    let (name, arg) = match o.split_once('=') {
        Some((n, a)) => (n, Some(a)),
        None => (o, None),
    };
    let template = |a: Option<&str>| -> Result<String, Output> {
        match a.filter(|a| !a.is_empty()) {
            Some(t) => Ok(t.to_string()),
            None => Err(errors::error("template format specified but no template given")),
        }
    };
    let file = |a: Option<&str>| -> Result<String, Output> {
        let path = template(a)?;
        read(&path).ok_or_else(|| {
            errors::error(format!(
                "error reading --template {path}, open {path}: no such file or directory"
            ))
        })
    };
    let checked_jsonpath = |t: String| -> Result<String, Output> {
        get::jsonpath::render(&t, &Value::Null).map(|_| t.clone()).map_err(|e| {
            let why = if e.starts_with("unclosed action") {
                "unclosed action"
            } else {
                e.as_str()
            };
            errors::error(format!("error parsing jsonpath {t}, {why}"))
        })
    };
    let checked_template = |t: String| -> Result<String, Output> {
        match gotemplate::render(&t, &Value::Null) {
            Err(e) if e.starts_with("error parsing") => Err(errors::error(e)),
            _ => Ok(t),
        }
    };
    match (name, arg) {
        ("", None) => Ok(Format::Message),
        ("name", None) => Ok(Format::Name),
        ("yaml", None) => Ok(Format::Yaml),
        ("json", None) => Ok(Format::Json),
        ("jsonpath", a) => Ok(Format::JsonPath(checked_jsonpath(template(a)?)?)),
        ("jsonpath-file", a) => Ok(Format::JsonPath(checked_jsonpath(file(a)?)?)),
        ("jsonpath-as-json", a) => Ok(Format::JsonPathAsJson(checked_jsonpath(template(a)?)?)),
        ("go-template" | "template", a) => Ok(Format::GoTemplate(checked_template(template(a)?)?)),
        ("go-template-file" | "templatefile", a) => Ok(Format::GoTemplate(checked_template(file(a)?)?)),
        _ => Err(errors::error(format!(
            "unable to match a printer suitable for the output format \"{o}\", allowed formats are: {ALLOWED_FORMATS}"
        ))),
    }
}

/// `deployment.apps`, `pod`: lower-cased kind plus group, the prefix of every success line and
/// of `-o name` (cli-runtime `NamePrinter`).
pub fn type_name(kind: Kind) -> String {
    let info = kind.info();
    let k = info.kind.to_ascii_lowercase();
    if info.group.is_empty() {
        k
    } else {
        format!("{k}.{}", info.group)
    }
}

/// How an object reaches the printer: typed objects a generator built are encoded by Go in
/// struct-field order (`-o json` shows `kind`, `apiVersion`, `metadata`…), objects read back
/// from the server as unstructured maps are encoded with sorted keys.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Typed,
    Unstructured,
}

/// Prints what a mutating command did, object by object (cli-runtime `PrintFlags.ToPrinter`).
#[derive(Clone, Debug)]
pub struct Printer {
    pub format: Format,
    pub dry: DryRun,
    /// YAML objects after the first are preceded by `---` (`YAMLPrinter.printCount`).
    printed: usize,
}

impl Printer {
    pub fn new(format: Format, dry: DryRun) -> Self {
        Printer {
            format,
            dry,
            printed: 0,
        }
    }

    /// Prints one object: `<kind>/<name> <verb>[ (dry run)]`, `<kind>/<name>`, or the object.
    pub fn print(&mut self, out: &mut Output, value: &Value, encoding: Encoding, verb: &str) {
        let kind = value.get("kind").and_then(Value::as_str).unwrap_or("");
        let group = value
            .get("apiVersion")
            .and_then(Value::as_str)
            .and_then(|a| a.split_once('/'))
            .map(|(g, _)| g)
            .unwrap_or("");
        let name = value.pointer("/metadata/name").and_then(Value::as_str).unwrap_or("");
        let prefix = if group.is_empty() {
            kind.to_ascii_lowercase()
        } else {
            format!("{}.{group}", kind.to_ascii_lowercase())
        };
        self.printed += 1;
        match &self.format {
            Format::Message => {
                out.outln(format!("{prefix}/{name} {verb}{}", self.dry.suffix()));
            }
            Format::Name => {
                out.outln(format!("{prefix}/{name}"));
            }
            Format::Yaml => {
                if self.printed > 1 {
                    out.out("---\n");
                }
                out.out(yaml::to_yaml(value));
            }
            Format::Json => {
                out.out(match encoding {
                    Encoding::Typed => typed_json::to_json(value),
                    Encoding::Unstructured => json::to_json(value),
                });
            }
            Format::JsonPath(t) => match get::jsonpath::render(t, value) {
                Ok(text) => {
                    out.out(text);
                }
                Err(e) => out.extend(errors::error(e)),
            },
            Format::JsonPathAsJson(t) => match get::jsonpath::find(t, value) {
                Ok(found) => {
                    out.out(json::to_json(&Value::Array(found)));
                }
                Err(e) => out.extend(errors::error(e)),
            },
            Format::GoTemplate(t) => match gotemplate::render(t, value) {
                Ok(text) => {
                    out.out(text);
                }
                Err(e) => out.extend(errors::error(e)),
            },
        }
    }

    /// [`Printer::print`] for an engine object.
    pub fn print_object(&mut self, out: &mut Output, obj: &Object, encoding: Encoding, verb: &str) {
        self.print(out, &obj.to_value(), encoding, verb);
    }
}

// ---------------------------------------------------------------------------------------------
// Selecting objects (the resource builder)
// ---------------------------------------------------------------------------------------------

/// One object a command was asked to act on.
#[derive(Clone, Debug, PartialEq)]
pub struct Target {
    pub kind: Kind,
    /// Empty for cluster-scoped kinds.
    pub namespace: String,
    pub name: String,
    /// The manifest it was named in (`-f`): errors then read `error when deleting "x.yaml"`.
    pub source: Option<String>,
}

impl Target {
    /// The live object, or the API server's NotFound.
    pub fn fetch(&self, c: &Cluster) -> Result<Arc<Object>, ApiError> {
        c.get(self.kind, &self.namespace, &self.name)
            .cloned()
            .ok_or_else(|| ApiError::not_found(self.kind, &self.name))
    }

    /// `pods/web` (cli-runtime `Info.ObjectName`: the plural resource, used in warnings).
    pub fn object_name(&self) -> String {
        format!("{}/{}", self.kind.info().plural, self.name)
    }
}

/// What the builder was given, read from the usual flags.
#[derive(Clone, Debug, Default)]
pub struct Selection {
    /// Positional arguments naming resources (commands strip their own, like `key=value`).
    pub args: Vec<String>,
    pub filenames: Vec<String>,
    /// `-k DIR`, when given: the objects of that kustomization.
    pub kustomize: Option<String>,
    /// `-l`, when given.
    pub selector: Option<String>,
    /// `--all`.
    pub all: bool,
    /// `-A`.
    pub all_namespaces: bool,
    pub namespace: String,
    /// `-n` was given explicitly (`EnforceNamespace`).
    pub enforce_namespace: bool,
    /// A bare type selects all its objects (`ResourceTypeOrNameArgs(true, …)`, as the rollout
    /// commands call it: `kubectl rollout restart deployment`).
    pub bare_type_selects_all: bool,
}

/// The builder's complaint when nothing at all was named; each command words it its own way.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WhenEmpty {
    /// delete, scale, expose, set: `You must provide one or more resources by argument or
    /// filename.` and the examples.
    ResourceOrFilename,
    /// label, annotate: `one or more resources must be specified as <resource> <name> or
    /// <resource>/<name>`.
    ResourceNameForm,
    /// rollout: `required resource not specified`.
    Required,
}

const PROVIDE_RESOURCES: &str = "You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'";

impl WhenEmpty {
    pub fn message(self) -> &'static str {
        match self {
            WhenEmpty::ResourceOrFilename => PROVIDE_RESOURCES,
            WhenEmpty::ResourceNameForm => {
                "one or more resources must be specified as <resource> <name> or <resource>/<name>"
            }
            WhenEmpty::Required => "required resource not specified",
        }
    }
}

/// Whether the command declares the flag `--name` itself (flags are declared per command;
/// asking for one a command does not have is a programming error).
pub fn declares(inv: &Invocation, name: &str) -> bool {
    inv.command.flags.iter().any(|f| f.long == name)
}

/// Fills a [`Selection`] from whichever of `-f`, `-l`, `--all`, `-A` the command declares.
pub fn selection(s: &Session, inv: &Invocation, args: Vec<String>) -> Selection {
    let has = |f: &str| declares(inv, f);
    Selection {
        args,
        filenames: if has("filename") {
            inv.get_all("filename")
        } else {
            Vec::new()
        },
        kustomize: (has("kustomize") && inv.was_set("kustomize")).then(|| inv.get_str("kustomize").to_string()),
        selector: if has("selector") && inv.was_set("selector") {
            Some(inv.get_str("selector").to_string())
        } else {
            None
        },
        all: has("all") && inv.get_bool("all"),
        all_namespaces: has("all-namespaces") && inv.get_bool("all-namespaces"),
        namespace: super::namespace(s, inv),
        enforce_namespace: inv.was_set("namespace"),
        bare_type_selects_all: false,
    }
}

/// Resolves what a command names into targets, in the builder's order: files (document order),
/// else named objects (argument order), else every object of the types that matches `-l` or
/// `--all` (API list order). Errors are complete outputs.
pub fn select(s: &Session, sel: &Selection, stdin: Option<&str>, empty: WhenEmpty) -> Result<Vec<Target>, Output> {
    if !sel.filenames.is_empty() || sel.kustomize.is_some() {
        if !sel.args.is_empty() {
            return Err(errors::error(
                "when paths, URLs, or stdin is provided as input, you may not specify resource arguments as well",
            ));
        }
        let docs = match &sel.kustomize {
            Some(_) if !sel.filenames.is_empty() => return Err(errors::error("only one of -f or -k can be specified")),
            // kustomize's warnings are not shown by commands that only name objects.
            Some(dir) => super::targets::read_kustomize(s, dir, &mut Output::ok()).map_err(errors::error)?,
            None => super::targets::read_files(s, &sel.filenames, stdin).map_err(errors::error)?,
        };
        let mut out = Vec::new();
        for doc in &docs {
            let (kind, name, ns) = identify(doc).map_err(errors::error)?;
            let ns = namespace_for(kind, ns.as_deref(), sel).map_err(errors::error)?;
            out.push(Target {
                kind,
                namespace: ns,
                name,
                source: Some(doc.source.clone()),
            });
        }
        return Ok(out);
    }
    let parsed = super::targets::parse(&sel.args).map_err(errors::error)?;
    match parsed {
        super::targets::Targets::Types(kinds) if kinds.is_empty() => Err(errors::error(empty.message())),
        super::targets::Targets::Types(kinds) => {
            if sel.all && sel.selector.as_deref().is_some_and(|l| !l.is_empty()) {
                return Err(errors::error(
                    "setting 'all' parameter but found a non empty selector. ",
                ));
            }
            if !sel.all && sel.selector.is_none() && !sel.bare_type_selects_all {
                return Err(errors::error("resource(s) were provided, but no name was specified"));
            }
            let selector = Selector::parse(sel.selector.as_deref().unwrap_or("")).map_err(errors::error)?;
            let mut out = Vec::new();
            for kind in kinds {
                let ns = (kind.info().namespaced && !sel.all_namespaces).then_some(sel.namespace.as_str());
                for o in s.cluster.list(kind, ns) {
                    if selector.matches(&o.meta().labels) {
                        out.push(Target {
                            kind,
                            namespace: o.namespace().to_string(),
                            name: o.name().to_string(),
                            source: None,
                        });
                    }
                }
            }
            Ok(out)
        }
        super::targets::Targets::Named(named) => {
            if sel.all || sel.selector.is_some() {
                return Err(errors::error("name cannot be provided when a selector is specified"));
            }
            Ok(named
                .into_iter()
                .map(|(kind, name)| Target {
                    kind,
                    namespace: if kind.info().namespaced {
                        sel.namespace.clone()
                    } else {
                        String::new()
                    },
                    name,
                    source: None,
                })
                .collect())
        }
    }
}

/// The kind, name and namespace a manifest document names, without the strict decoding that
/// only create and apply do (kubectl's `unable to decode` and mapping errors).
fn identify(doc: &manifest::Doc) -> Result<(Kind, String, Option<String>), String> {
    let v = &doc.value;
    let api_version = v.get("apiVersion").and_then(Value::as_str).unwrap_or("");
    let kind_name = v.get("kind").and_then(Value::as_str).unwrap_or("");
    if kind_name.is_empty() {
        return Err(format!(
            "unable to decode \"{}\": Object 'Kind' is missing in '{}'",
            doc.source,
            json::to_json_compact(v)
        ));
    }
    let name = v
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let ns = v
        .pointer("/metadata/namespace")
        .and_then(Value::as_str)
        .filter(|n| !n.is_empty())
        .map(str::to_string);
    let Some(kind) = Kind::from_type(api_version, kind_name) else {
        return Err(format!(
            "resource mapping not found for name: \"{name}\" namespace: \"{}\" from \"{}\": no matches for kind \"{kind_name}\" in version \"{api_version}\"\nensure CRDs are installed first",
            ns.as_deref().unwrap_or(""),
            doc.source
        ));
    };
    Ok((kind, name, ns))
}

/// The namespace an object from a manifest goes to: its own, else the command's; with an
/// explicit `-n` the two must agree (cli-runtime `Builder` namespace enforcement).
pub fn namespace_for(kind: Kind, own: Option<&str>, sel: &Selection) -> Result<String, String> {
    if !kind.info().namespaced {
        return Ok(String::new());
    }
    match own {
        Some(ns) if sel.enforce_namespace && ns != sel.namespace => Err(format!(
            "the namespace from the provided object \"{ns}\" does not match the namespace \"{}\". You must pass '--namespace={ns}' to perform this operation.",
            sel.namespace
        )),
        Some(ns) => Ok(ns.to_string()),
        None => Ok(sel.namespace.clone()),
    }
}

/// A resource type word that must name one kind (`rollout status deploy/web`, `logs deploy/x`).
pub fn resolve_kind(word: &str) -> Result<Kind, String> {
    resources::resolve(word).ok_or_else(|| resources::unknown_type(word))
}

// ---------------------------------------------------------------------------------------------
// Acting on each target
// ---------------------------------------------------------------------------------------------

/// Runs `act` on each item. `act` prints what succeeded into the output it is given and
/// returns the error text (without `error: ` unless the message needs it) of what failed; the
/// errors are printed after everything else, one per line, and make the exit code 1 (the
/// builder's `ContinueOnError` and `CheckErr` printing an aggregate).
pub fn for_each<T>(
    out: &mut Output,
    items: impl IntoIterator<Item = T>,
    act: impl FnMut(&mut Output, T) -> Result<(), String>,
) {
    for e in collect_errors(out, items, act) {
        out.errln(e);
        out.exit_code = 1;
    }
}

/// [`for_each`] with the errors printed the way `CheckErr` prints the builder's aggregate.
/// `act` returns Go's error message as is (`node x already has …`, `Error from server …`, or
/// a message that itself starts with `error: `): one error is printed like `CheckErr` prints
/// any error (`error: ` added unless present or an API error), several one per line as they
/// are (`MultipleErrors`).
pub fn for_each_aggregated<T>(
    out: &mut Output,
    items: impl IntoIterator<Item = T>,
    act: impl FnMut(&mut Output, T) -> Result<(), String>,
) {
    let errs = collect_errors(out, items, act);
    print_aggregate(out, errs);
}

/// Prints Go error messages as `CheckErr` prints an aggregate of them (see
/// [`for_each_aggregated`]).
pub fn print_aggregate(out: &mut Output, errs: Vec<String>) {
    let single = errs.len() == 1;
    for e in errs {
        let api = e.starts_with("Error from server") || e.starts_with("The ");
        out.errln(if single && !api { error_line(&e) } else { e });
        out.exit_code = 1;
    }
}

fn collect_errors<T>(
    out: &mut Output,
    items: impl IntoIterator<Item = T>,
    mut act: impl FnMut(&mut Output, T) -> Result<(), String>,
) -> Vec<String> {
    let mut failed = Vec::new();
    for item in items {
        if let Err(e) = act(out, item) {
            failed.push(e);
        }
    }
    failed
}

/// `error: <message>` unless the message already starts with it (`CheckErr`).
pub fn error_line(message: &str) -> String {
    if message.starts_with("error: ") {
        message.to_string()
    } else {
        format!("error: {message}")
    }
}

/// Replaces the stored object with `next`, skipping the optimistic-concurrency check the way a
/// patch does (kubectl's label, scale, set and rollout commands send patches).
pub fn patch(c: &mut Cluster, mut next: Object) -> Result<Arc<Object>, ApiError> {
    next.meta_mut().resource_version = None;
    c.update(next)
}

/// The exit status of a wait the learner would have had to interrupt (bash: 128 + SIGINT).
pub const INTERRUPTED: i32 = 130;

/// How a wait on the virtual clock ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Waited {
    Done,
    /// `--timeout` passed first.
    TimedOut,
    /// Nothing is scheduled any more and the condition does not hold, so it never will: where
    /// real kubectl would block until the learner presses Ctrl-C, kubelab stops waiting
    /// (without moving the clock, so nothing else in the sandbox ages).
    Stuck,
}

/// Advances the virtual clock from wakeup to wakeup until `done` holds (kubectl blocking on a
/// watch), at most `timeout_ms` when given.
pub fn wait_until(c: &mut Cluster, timeout_ms: Option<u64>, mut done: impl FnMut(&Cluster) -> bool) -> Waited {
    let deadline = timeout_ms.map(|t| c.now().plus_ms(t));
    loop {
        c.settle();
        if done(c) {
            return Waited::Done;
        }
        let now = c.now();
        match (c.next_wakeup(), deadline) {
            (Some(t), Some(d)) if t > d => {
                c.advance(d.0 - now.0);
                return if done(c) { Waited::Done } else { Waited::TimedOut };
            }
            (None, Some(d)) => {
                c.advance(d.0.saturating_sub(now.0));
                return if done(c) { Waited::Done } else { Waited::TimedOut };
            }
            (None, None) => return Waited::Stuck,
            (Some(t), _) => c.advance(t.0.saturating_sub(now.0)),
        }
    }
}

/// A duration flag (`--timeout`) in milliseconds; `None` for zero ("wait forever").
pub fn timeout_ms(inv: &Invocation, name: &str) -> Option<u64> {
    let ns = inv.get_duration_nanos(name);
    (ns > 0).then_some((ns / 1_000_000) as u64)
}

/// How long kubelab waits where kubectl would wait forever: ten minutes of virtual time, more
/// than anything in a healthy cluster takes (a deployment's progress deadline, a pod's grace
/// period); commands that know a longer bound pass it. Past it, the command stops as if the
/// learner had pressed Ctrl-C.
pub const FOREVER_MS: u64 = 10 * 60 * 1000;

/// [`wait_until`] with `--timeout` when given (then `TimedOut` is reported), else at most
/// `forever_ms`, after which the wait counts as interrupted (`Stuck`).
pub fn wait_for(
    c: &mut Cluster,
    timeout_ms: Option<u64>,
    forever_ms: u64,
    done: impl FnMut(&Cluster) -> bool,
) -> Waited {
    match (timeout_ms, wait_until(c, Some(timeout_ms.unwrap_or(forever_ms)), done)) {
        (None, Waited::TimedOut) => Waited::Stuck,
        (_, w) => w,
    }
}

/// The shape of every mutating command: pflag's warnings first, then what `body` prints, its
/// error last, then [`finish`].
pub fn command(
    s: &mut Session,
    inv: &Invocation,
    body: impl FnOnce(&mut Session, &mut Output) -> Result<(), Output>,
) -> Output {
    let mut out = parse_warnings(inv);
    if let Err(e) = body(s, &mut out) {
        out.extend(e);
    }
    finish(s, out)
}

/// Ends a mutating command: the controllers react to the change at the same virtual instant
/// (a real control plane reacts within milliseconds, long before the learner's next command),
/// so `kubectl get` right after `create deployment` shows the ReplicaSet and pending pods.
pub fn finish(s: &mut Session, out: Output) -> Output {
    s.cluster.settle();
    out
}

/// Sends a request to the API server: `f` runs on the cluster, or with `--dry-run=server` on a
/// copy of it, so admission and validation answer and nothing is persisted.
pub fn send<R>(c: &mut Cluster, dry: DryRun, f: impl FnOnce(&mut Cluster) -> R) -> R {
    if dry == DryRun::Server {
        on_copy(c, f)
    } else {
        f(c)
    }
}

/// Runs the mutation on a copy of the cluster: `--dry-run=server` sees admission and
/// validation errors but changes nothing.
pub fn on_copy<R>(c: &Cluster, f: impl FnOnce(&mut Cluster) -> R) -> R {
    let mut copy = c.clone();
    f(&mut copy)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::SessionOptions;

    #[test]
    fn klog_lines_come_from_the_virtual_clock() {
        let s = Session::new(SessionOptions::default());
        let line = klog_line(&s, 'W', "helpers.go:702", "x");
        // The cluster starts 2026-03-02T09:00:00Z and stands 10 minutes later after bootstrap.
        assert_eq!(line, "W0302 09:10:00.000000   31000 helpers.go:702] x");
    }

    #[test]
    fn type_names() {
        assert_eq!(type_name(Kind::Deployment), "deployment.apps");
        assert_eq!(type_name(Kind::Pod), "pod");
        assert_eq!(type_name(Kind::Endpoints), "endpoints");
    }
}
