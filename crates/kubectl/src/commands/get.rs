//! `kubectl get`: list or fetch objects and print them as tables (`-o wide`, `--no-headers`,
//! `--show-labels`, `-L`, `-A`), names, YAML, JSON, JSONPath or custom columns, sorted with
//! `--sort-by`, and keep printing changes with `-w`.
//!
//! The control flow follows `k8s.io/kubectl/pkg/cmd/get/get.go` (v1.32): the human-readable
//! path prints one table per kind (kind prefixes when several types were asked for, a blank
//! line between tables, NotFound errors after the rows, `No resources found…` on stderr when
//! nothing printed); every other output goes through `printGeneric`, which wraps several objects
//! in a `List`. Reference: `shared/reference/kubectl-behaviour.md` §1–§2, `captured/get.txt`,
//! `captured/yaml-json.txt`.

use crate::commands::targets::{self, Targets};
use crate::engine::api::{Kind, Object};
use crate::engine::selector::Selector;
use crate::engine::store::ChangeType;
use crate::engine::{ApiError, Cluster, SimTime};
use crate::errors;
use crate::flags::Invocation;
use crate::printers::columns::{self, kind_prefix, TableOpts};
use crate::printers::json::{to_json, to_json_compact};
use crate::printers::table::TabWriter;
use crate::printers::yaml::to_yaml;
use crate::session::Session;
use crate::Output;
use kubelab_engine::sort::CompactSort;
use serde_json::{json, Value};
use std::sync::Arc;

/// How `-o` asked for the objects to be printed.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Format {
    Table,
    Wide,
    Name,
    Json,
    Yaml,
    JsonPath(String),
    CustomColumns(Vec<(String, String)>),
}

impl Format {
    /// Parses `-o`. Errors are kubectl's messages without `error: `; they are reported only
    /// once a printer is needed, as kubectl does (`ToPrinter` runs after the objects are read).
    fn parse(o: &str) -> Result<Format, String> {
        let (name, arg) = match o.split_once('=') {
            Some((n, a)) => (n, Some(a)),
            None => (o, None),
        };
        match (name, arg) {
            ("", None) => Ok(Format::Table),
            ("wide", None) => Ok(Format::Wide),
            ("name", None) => Ok(Format::Name),
            ("json", None) => Ok(Format::Json),
            ("yaml", None) => Ok(Format::Yaml),
            ("jsonpath", a) => match a.filter(|a| !a.is_empty()) {
                Some(t) => Ok(Format::JsonPath(t.to_string())),
                None => Err("template format specified but no template given".into()),
            },
            ("custom-columns", a) => match a.filter(|a| !a.is_empty()) {
                Some(spec) => parse_custom_columns(spec).map(Format::CustomColumns),
                None => Err("custom-columns format specified but no custom columns given".into()),
            },
            ("jsonpath-as-json" | "jsonpath-file" | "go-template" | "go-template-file" | "template" | "templatefile"
            | "custom-columns-file", _) => Err(format!("output format \"{name}\" is not simulated by kubelab yet")),
            _ => Err(format!(
                "unable to match a printer suitable for the output format \"{o}\", allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml"
            )),
        }
    }

    fn human(&self) -> bool {
        matches!(self, Format::Table | Format::Wide)
    }
}

/// `NAME:.metadata.name,NODE:.spec.nodeName` (customcolumn.go `NewCustomColumnsPrinterFromSpec`).
fn parse_custom_columns(spec: &str) -> Result<Vec<(String, String)>, String> {
    spec.split(',')
        .map(|part| {
            let fields: Vec<&str> = part.split(':').collect();
            if fields.len() != 2 {
                return Err(format!(
                    "unexpected custom-columns spec: {part}, expected <header>:<json-path-expr>"
                ));
            }
            Ok((fields[0].to_string(), relaxed_json_path(fields[1])?))
        })
        .collect()
}

/// `RelaxedJSONPathExpression`: `.a.b`, `a.b`, `{a.b}` and `{.a.b}` all mean `{.a.b}`.
pub fn relaxed_json_path(p: &str) -> Result<String, String> {
    if p.is_empty() {
        return Ok(String::new());
    }
    let inner = p.strip_prefix('{').and_then(|r| r.strip_suffix('}')).unwrap_or(p);
    let inner = inner.strip_prefix('.').unwrap_or(inner);
    if inner.is_empty() || inner.contains(['{', '}']) || (p.starts_with('{') != p.ends_with('}')) {
        return Err(
            "unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'"
                .into(),
        );
    }
    Ok(format!("{{.{inner}}}"))
}

/// Everything `get` reads from its flags.
struct Opts {
    format: Result<Format, String>,
    namespace: String,
    all_namespaces: bool,
    selector: Option<Selector>,
    selector_text: String,
    field_selector: Vec<(String, bool, String)>,
    field_selector_text: String,
    no_headers: bool,
    show_labels: bool,
    show_kind: bool,
    label_columns: Vec<String>,
    sort_by: String,
    watch: bool,
    watch_only: bool,
    output_watch_events: bool,
    ignore_not_found: bool,
    args: Vec<String>,
    filenames: Vec<String>,
}

impl Opts {
    fn read(s: &Session, inv: &Invocation) -> Result<Opts, Output> {
        let selector_text = inv.get_str("selector").to_string();
        let selector = if inv.was_set("selector") {
            Some(Selector::parse(&selector_text).map_err(errors::error)?)
        } else {
            None
        };
        let field_selector_text = inv.get_str("field-selector").to_string();
        let field_selector = parse_field_selector(&field_selector_text).map_err(errors::error)?;
        Ok(Opts {
            format: Format::parse(inv.get_str("output")),
            namespace: super::namespace(s, inv),
            all_namespaces: inv.get_bool("all-namespaces"),
            selector,
            selector_text,
            field_selector,
            field_selector_text,
            no_headers: inv.get_bool("no-headers"),
            show_labels: inv.get_bool("show-labels"),
            show_kind: inv.get_bool("show-kind"),
            label_columns: inv.get_all("label-columns"),
            sort_by: inv.get_str("sort-by").to_string(),
            watch: inv.get_bool("watch"),
            watch_only: inv.get_bool("watch-only"),
            output_watch_events: inv.get_bool("output-watch-events"),
            ignore_not_found: inv.get_bool("ignore-not-found"),
            args: inv.args.clone(),
            filenames: inv.get_all("filename"),
        })
    }

    fn query(&self) -> Query<'_> {
        Query {
            args: &self.args,
            filenames: &self.filenames,
            namespace: &self.namespace,
            all_namespaces: self.all_namespaces,
            selector: self.selector.as_ref(),
            selector_text: &self.selector_text,
            field_selector: &self.field_selector,
            field_selector_text: &self.field_selector_text,
            ignore_not_found: self.ignore_not_found,
        }
    }

    fn table_opts(&self, wide: bool) -> TableOpts {
        TableOpts {
            wide,
            with_namespace: self.all_namespaces,
            with_kind: self.show_kind,
            show_labels: self.show_labels,
            label_columns: self.label_columns.clone(),
        }
    }
}

/// `--field-selector a=b,c!=d`: (field, equal?, value).
fn parse_field_selector(text: &str) -> Result<Vec<(String, bool, String)>, String> {
    let mut out = Vec::new();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (field, eq, value) = if let Some((f, v)) = part.split_once("!=") {
            (f, false, v)
        } else if let Some((f, v)) = part.split_once("==").or_else(|| part.split_once('=')) {
            (f, true, v)
        } else {
            return Err(format!("invalid selector: '{text}'; can't understand '{part}'"));
        };
        out.push((field.trim().to_string(), eq, value.trim().to_string()));
    }
    Ok(out)
}

/// The field labels the API server lets you select on, besides `metadata.name` and
/// `metadata.namespace` which every kind supports (the kinds' `GetAttrs`/field label conversion
/// functions).
fn supported_fields(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Pod => &[
            "spec.nodeName",
            "spec.restartPolicy",
            "spec.schedulerName",
            "spec.serviceAccountName",
            "status.phase",
            "status.podIP",
            "status.nominatedNodeName",
        ],
        Kind::Event => &[
            "involvedObject.kind",
            "involvedObject.name",
            "involvedObject.namespace",
            "involvedObject.uid",
            "involvedObject.fieldPath",
            "involvedObject.apiVersion",
            "involvedObject.resourceVersion",
            "reason",
            "reportingComponent",
            "source",
            "type",
        ],
        Kind::Node => &["spec.unschedulable"],
        Kind::Namespace => &["status.phase"],
        Kind::ReplicaSet => &["status.replicas"],
        _ => &[],
    }
}

/// The value of a supported field label (see [`supported_fields`]).
fn field_value(obj: &Object, field: &str) -> String {
    let m = obj.meta();
    let s = |v: &Option<String>| v.clone().unwrap_or_default();
    match (obj, field) {
        (_, "metadata.name") => m.name.clone(),
        (_, "metadata.namespace") => m.ns().to_string(),
        (Object::Pod(p), "spec.nodeName") => s(&p.spec.node_name),
        (Object::Pod(p), "spec.restartPolicy") => s(&p.spec.restart_policy),
        (Object::Pod(p), "spec.schedulerName") => s(&p.spec.scheduler_name),
        (Object::Pod(p), "spec.serviceAccountName") => s(&p.spec.service_account_name),
        (Object::Pod(p), "status.phase") => p.phase().to_string(),
        (Object::Pod(p), "status.podIP") => s(&p.status.pod_ip),
        (Object::Event(e), "involvedObject.kind") => s(&e.involved_object.kind),
        (Object::Event(e), "involvedObject.name") => s(&e.involved_object.name),
        (Object::Event(e), "involvedObject.namespace") => s(&e.involved_object.namespace),
        (Object::Event(e), "involvedObject.uid") => s(&e.involved_object.uid),
        (Object::Event(e), "involvedObject.fieldPath") => s(&e.involved_object.field_path),
        (Object::Event(e), "involvedObject.apiVersion") => s(&e.involved_object.api_version),
        (Object::Event(e), "involvedObject.resourceVersion") => s(&e.involved_object.resource_version),
        (Object::Event(e), "reason") => s(&e.reason),
        (Object::Event(e), "reportingComponent") => e.reporting_component.clone(),
        (Object::Event(e), "source") => s(&e.source.component),
        (Object::Event(e), "type") => s(&e.type_),
        (Object::Node(n), "spec.unschedulable") => (n.spec.unschedulable == Some(true)).to_string(),
        (Object::Namespace(n), "status.phase") => s(&n.status.phase),
        (Object::ReplicaSet(r), "status.replicas") => r.status.replicas.to_string(),
        _ => String::new(),
    }
}

/// The API server rejects a list whose field selector names a field the kind does not index.
fn check_field_selector(q: &Query, kind: Kind) -> Result<(), Output> {
    for (field, _, _) in q.field_selector {
        if field == "metadata.name" || field == "metadata.namespace" || supported_fields(kind).contains(&field.as_str())
        {
            continue;
        }
        let info = kind.info();
        let gv = if info.group.is_empty() {
            format!("/{}", info.version)
        } else {
            info.api_version()
        };
        return Err(errors::api_error(&ApiError::bad_request(format!(
            "Unable to find \"{gv}, Resource={}\" that match label selector \"{}\", field selector \"{}\": field label not supported: {field}",
            info.plural, q.selector_text, q.field_selector_text
        ))));
    }
    Ok(())
}

/// What the builder found: objects in print order, the errors to report after them, and
/// whether one object was named (`get pod x`: printed bare instead of in a `List`).
pub(crate) struct Found {
    pub(crate) infos: Vec<Arc<Object>>,
    pub(crate) errors: Vec<String>,
    pub(crate) single_item: bool,
}

/// Runs `kubectl get`.
pub fn run(s: &mut Session, inv: &Invocation) -> Output {
    let o = match Opts::read(s, inv) {
        Ok(o) => o,
        Err(out) => return out,
    };
    let mut out = Output::ok();
    // Discovery knows `ev` as a short name of two resources and says so on every use.
    if o.args.first().is_some_and(|a| a.split(',').any(|t| t == "ev")) {
        out.errln("Warning: short name \"ev\" could also match lower priority resource events.events.k8s.io");
    }
    if o.output_watch_events && !(o.watch || o.watch_only) {
        out.extend(errors::error(
            "--output-watch-events option can only be used with --watch or --watch-only",
        ));
        return out;
    }
    if o.watch || o.watch_only {
        if !o.sort_by.is_empty() {
            out.errln("warning: --watch or --watch-only requested, --sort-by will be ignored");
        }
        out.extend(start_watch(s, &o));
        return out;
    }
    if o.args.is_empty() && o.filenames.is_empty() {
        out.err(
            "You must specify the type of resource to get. Use \"kubectl api-resources\" for a complete list of supported resources.\n\n\
             error: Required resource not specified.\n\
             Use \"kubectl explain <resource>\" for a detailed description of that resource (e.g. kubectl explain pods).\n\
             See 'kubectl get -h' for help and examples\n",
        );
        out.exit_code = 1;
        return out;
    }
    let found = match resolve(s, &o.query()) {
        Ok(f) => f,
        Err(e) => {
            out.extend(e);
            return out;
        }
    };
    let now = s.cluster.now();
    let printed = match &o.format {
        Ok(f) if f.human() => print_tables(&o, found, *f == Format::Wide, now),
        _ => print_generic(&o, found),
    };
    out.extend(printed);
    out
}

/// What `get` and `describe` ask the resource builder for.
pub(crate) struct Query<'a> {
    pub(crate) args: &'a [String],
    pub(crate) filenames: &'a [String],
    pub(crate) namespace: &'a str,
    pub(crate) all_namespaces: bool,
    pub(crate) selector: Option<&'a Selector>,
    pub(crate) selector_text: &'a str,
    /// `--field-selector` as (field, equal?, value), and as typed (for error messages).
    pub(crate) field_selector: &'a [(String, bool, String)],
    pub(crate) field_selector_text: &'a str,
    pub(crate) ignore_not_found: bool,
}

/// Resolves arguments to objects as cli-runtime's resource builder does: `TYPE[,TYPE…]` lists
/// (label and field selectors applied by the "server"), `TYPE NAME…` and `TYPE/NAME…` fetch
/// (NotFound errors collected, not fatal), `-f` fetches what the manifests name. Shared by
/// `get` and `describe`.
pub(crate) fn resolve(s: &Session, q: &Query) -> Result<Found, Output> {
    if !q.filenames.is_empty() {
        return objects_from_files(s, q);
    }
    let targets = targets::parse(q.args).map_err(errors::error)?;
    let mut found = Found {
        infos: Vec::new(),
        errors: Vec::new(),
        single_item: false,
    };
    match targets {
        Targets::Types(kinds) => {
            let mut seen = Vec::new();
            for kind in kinds {
                if seen.contains(&kind) {
                    continue;
                }
                seen.push(kind);
                check_field_selector(q, kind)?;
                let ns = (!q.all_namespaces).then_some(q.namespace);
                found.infos.extend(
                    s.cluster
                        .list(kind, ns)
                        .into_iter()
                        .filter(|obj| selected(q, obj))
                        .cloned(),
                );
            }
        }
        Targets::Named(named) => {
            if q.selector.is_some() || !q.field_selector.is_empty() {
                return Err(errors::error(if tuple_form(q.args) {
                    "selectors and the all flag cannot be used when passing resource/name arguments"
                } else {
                    "name cannot be provided when a selector is specified"
                }));
            }
            if q.all_namespaces && named.iter().any(|(k, _)| k.info().namespaced) {
                return Err(errors::error(
                    "a resource cannot be retrieved by name across all namespaces",
                ));
            }
            found.single_item = named.len() == 1;
            for (kind, name) in named {
                match s.cluster.get(kind, q.namespace, &name) {
                    Some(obj) => found.infos.push(obj.clone()),
                    None if q.ignore_not_found => {}
                    None => found
                        .errors
                        .push(errors::api_error_text(&ApiError::not_found(kind, &name))),
                }
            }
        }
    }
    Ok(found)
}

/// Whether names were given as `TYPE/NAME` (or `TYPE1,TYPE2 NAME`, which the builder turns into
/// that form), as opposed to `TYPE NAME…`.
pub(crate) fn tuple_form(args: &[String]) -> bool {
    args.iter().any(|a| a.contains('/')) || args.first().is_some_and(|a| a.contains(','))
}

/// `-f FILE`: the objects the manifests name, looked up on the server, with a NotFound error
/// for each one missing; one document is a single item.
fn objects_from_files(s: &Session, q: &Query) -> Result<Found, Output> {
    let docs = targets::read_files(s, q.filenames, None).map_err(errors::error)?;
    let (mut infos, mut errs) = (Vec::new(), Vec::new());
    for d in &docs {
        let api_version = d.value.get("apiVersion").and_then(Value::as_str).unwrap_or("");
        let kind_name = d.value.get("kind").and_then(Value::as_str).unwrap_or("");
        let Some(kind) = Kind::from_type(api_version, kind_name) else {
            return Err(errors::error(format!(
                "the server doesn't have a resource type \"{}\"",
                kind_name.to_lowercase()
            )));
        };
        let meta = d.value.get("metadata");
        let name = meta.and_then(|m| m.get("name")).and_then(Value::as_str).unwrap_or("");
        let ns = meta
            .and_then(|m| m.get("namespace"))
            .and_then(Value::as_str)
            .unwrap_or(q.namespace);
        match s.cluster.get(kind, ns, name) {
            Some(obj) => infos.push(obj.clone()),
            None if q.ignore_not_found => {}
            None => errs.push(errors::api_error_text(&ApiError::not_found(kind, name))),
        }
    }
    Ok(Found {
        infos,
        errors: errs,
        single_item: docs.len() == 1,
    })
}

/// Label and field selectors, as the API server applies them to a list.
fn selected(q: &Query, obj: &Object) -> bool {
    q.selector.is_none_or(|sel| sel.matches(&obj.meta().labels))
        && q.field_selector
            .iter()
            .all(|(field, eq, value)| (field_value(obj, field) == *value) == *eq)
}

/// Whether several resource types were asked for (cli-runtime `MultipleTypesRequested`): then
/// every NAME cell carries its kind, even if only one kind had objects.
fn multiple_types_requested(args: &[String]) -> bool {
    if args.len() == 1 && args[0] == "all" {
        return true;
    }
    let Some(first) = args.first() else {
        return false;
    };
    if !first.contains('/') {
        return first.split(',').filter(|t| !t.is_empty()).count() > 1;
    }
    let mut types: Vec<&str> = args.iter().filter_map(|a| a.split_once('/').map(|(t, _)| t)).collect();
    types.compact_sort();
    types.dedup();
    types.len() > 1
}

/// The human-readable path of `GetOptions.Run`: one table per run of objects of one kind.
fn print_tables(o: &Opts, found: Found, wide: bool, now: SimTime) -> Output {
    let mut out = Output::ok();
    let with_kind = o.show_kind || multiple_types_requested(&o.args) || {
        let first = found.infos.first().map(|i| i.kind());
        found.infos.iter().any(|i| Some(i.kind()) != first)
    };
    let mut groups: Vec<Vec<Arc<Object>>> = Vec::new();
    for info in found.infos.iter() {
        match groups.last_mut() {
            Some(g) if g[0].kind() == info.kind() => g.push(info.clone()),
            _ => groups.push(vec![info.clone()]),
        }
    }
    if !o.sort_by.is_empty() {
        for g in &mut groups {
            if let Err(e) = sort_objects(g, &o.sort_by) {
                return errors::error(e);
            }
        }
    }
    let mut text = String::new();
    for g in &groups {
        let kind = g[0].kind();
        let mut opts = o.table_opts(wide);
        opts.with_kind = with_kind;
        opts.with_namespace = o.all_namespaces && kind.info().namespaced;
        let mut tw = TabWriter::get_table();
        if !o.no_headers {
            tw.write_row(&columns::header_row(kind, &opts));
        }
        for obj in g {
            tw.write_row(&columns::object_row(obj, &opts, now));
        }
        let table = tw.finish();
        // A blank line separates the tables of several kinds (get.go `separatorWriterWrapper`).
        if !text.is_empty() && !o.no_headers {
            text.push('\n');
        }
        text.push_str(&table);
    }
    out.out(text.clone());
    for e in &found.errors {
        out.errln(e);
    }
    if !found.errors.is_empty() {
        out.exit_code = 1;
    } else if text.is_empty() && !o.ignore_not_found {
        // get.go: "allResourcesNamespaced" starts from !AllNamespaces and only learns about
        // cluster-scoped kinds from objects it printed, so an empty `get nodes` also names the
        // namespace.
        let all_namespaced = !o.all_namespaces && found.infos.iter().all(|i| i.kind().info().namespaced);
        if all_namespaced {
            out.errln(format!("No resources found in {} namespace.", o.namespace));
        } else {
            out.errln("No resources found");
        }
    }
    out
}

/// `printGeneric`: one named object prints as itself, anything else as a `List`.
fn print_generic(o: &Opts, mut found: Found) -> Output {
    let mut out = Output::ok();
    if found.single_item && !found.errors.is_empty() {
        for e in &found.errors {
            out.errln(e);
        }
        out.exit_code = 1;
        return out;
    }
    let format = match &o.format {
        Ok(f) => f.clone(),
        Err(e) => return errors::error(e),
    };
    if !o.sort_by.is_empty() {
        if let Err(e) = sort_objects(&mut found.infos, &o.sort_by) {
            return errors::error(e);
        }
    }
    let value = if !found.single_item || found.infos.len() != 1 {
        let items: Vec<Value> = found.infos.iter().map(|i| i.to_value()).collect();
        json!({"apiVersion": "v1", "items": items, "kind": "List", "metadata": {"resourceVersion": ""}})
    } else {
        found.infos[0].to_value()
    };
    let text = match format {
        Format::Json => to_json(&value),
        Format::Yaml => to_yaml(&value),
        Format::Name => found
            .infos
            .iter()
            .map(|i| format!("{}/{}\n", kind_prefix(i.kind()), i.name()))
            .collect(),
        Format::JsonPath(t) => match jsonpath::render(&t, &value) {
            Ok(s) => s,
            Err(e) => return errors::error(e),
        },
        Format::CustomColumns(cols) => custom_columns(&cols, &value, o.no_headers),
        Format::Table | Format::Wide => String::new(),
    };
    out.out(text);
    for e in &found.errors {
        out.errln(e);
    }
    if !found.errors.is_empty() {
        out.exit_code = 1;
    }
    out
}

/// `-o custom-columns`: a header of the given names, one row per item, `<none>` for missing
/// values, several values joined by commas (customcolumn.go).
fn custom_columns(cols: &[(String, String)], value: &Value, no_headers: bool) -> String {
    let items: Vec<&Value> = match value.get("kind").and_then(Value::as_str) {
        Some("List") => value
            .get("items")
            .and_then(Value::as_array)
            .map(|a| a.iter().collect())
            .unwrap_or_default(),
        _ => vec![value],
    };
    let mut tw = TabWriter::get_table();
    if !no_headers {
        tw.write_row(&cols.iter().map(|(h, _)| h.clone()).collect::<Vec<_>>());
    }
    for item in items {
        let row: Vec<String> = cols
            .iter()
            .map(|(_, path)| {
                let found = jsonpath::find(path, item).unwrap_or_default();
                if found.is_empty() {
                    "<none>".to_string()
                } else {
                    found.iter().map(jsonpath::go_v).collect::<Vec<_>>().join(",")
                }
            })
            .collect();
        tw.write_row(&row);
    }
    tw.finish()
}

/// `--sort-by`: sorts on the first value the JSONPath finds in each object (strings in natural
/// order, numbers numerically); objects without the field come first. Fails when no object has
/// the field at all (sorter.go `SortObjects`).
fn sort_objects(objs: &mut [Arc<Object>], sort_by: &str) -> Result<(), String> {
    let path = relaxed_json_path(sort_by)?;
    let keys: Vec<Option<Value>> = objs
        .iter()
        .map(|o| {
            jsonpath::find(&path, &o.to_value())
                .ok()
                .and_then(|v| v.into_iter().next())
        })
        .collect();
    if !objs.is_empty() && keys.iter().all(Option::is_none) {
        return Err(format!(
            "couldn't find any field with path \"{path}\" in the list of objects"
        ));
    }
    let mut order: Vec<usize> = (0..objs.len()).collect();
    let less = |i: usize, j: usize| -> bool {
        match (&keys[i], &keys[j]) {
            (None, _) => true,
            (_, None) => false,
            (Some(a), Some(b)) => value_less(a, b),
        }
    };
    if order.len() <= 12 {
        // Go's sort.Sort is an insertion sort for short inputs; its comparator puts missing
        // values first in reverse order, and the insertion sort reproduces that exactly.
        for i in 1..order.len() {
            let mut j = i;
            while j > 0 && less(order[j], order[j - 1]) {
                order.swap(j, j - 1);
                j -= 1;
            }
        }
    } else {
        order.compact_sort_by(|&i, &j| {
            if less(i, j) {
                std::cmp::Ordering::Less
            } else if less(j, i) {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        });
    }
    let sorted: Vec<Arc<Object>> = order.iter().map(|&i| objs[i].clone()).collect();
    objs.clone_from_slice(&sorted);
    Ok(())
}

/// sorter.go `isLess` over decoded JSON values.
fn value_less(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64().unwrap_or(0.0) < y.as_f64().unwrap_or(0.0),
        (Value::String(x), Value::String(y)) => natural_less(x, y),
        (Value::Bool(x), Value::Bool(y)) => !x & y,
        _ => false,
    }
}

/// `sortorder.NaturalLess`: digit runs compare as numbers, and sort before other characters.
fn natural_less(s1: &str, s2: &str) -> bool {
    let (a, b) = (s1.as_bytes(), s2.as_bytes());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        let (d1, d2) = (a[i].is_ascii_digit(), b[j].is_ascii_digit());
        if d1 != d2 {
            return d1;
        }
        if !d1 {
            if a[i] != b[j] {
                return a[i] < b[j];
            }
            i += 1;
            j += 1;
            continue;
        }
        while i < a.len() && a[i] == b'0' {
            i += 1;
        }
        while j < b.len() && b[j] == b'0' {
            j += 1;
        }
        let (nz1, nz2) = (i, j);
        while i < a.len() && a[i].is_ascii_digit() {
            i += 1;
        }
        while j < b.len() && b[j].is_ascii_digit() {
            j += 1;
        }
        if i - nz1 != j - nz2 {
            return i - nz1 < j - nz2;
        }
        if a[nz1..i] != b[nz2..j] {
            return a[nz1..i] < b[nz2..j];
        }
        if nz1 != nz2 {
            return nz1 < nz2;
        }
    }
    a.len() < b.len()
}

// ---------------------------------------------------------------------------------------------
// Watch
// ---------------------------------------------------------------------------------------------

/// How a watch prints each object.
#[derive(Clone, Debug)]
enum WatchFormat {
    /// Table rows through one tabwriter whose remembered widths only ever grow.
    Table {
        opts: TableOpts,
        tw: Box<TabWriter>,
        printed_header: bool,
        no_headers: bool,
        events: bool,
    },
    Name,
    Json,
    Yaml {
        printed: usize,
    },
    /// `kubectl events -w`: the events printer, keeping only what `--for`/`--types` ask for.
    Events {
        printer: super::events::Printer,
        filter: super::events::Filter,
    },
}

/// An open `kubectl get -w`: prints one row per change as virtual time passes, with the column
/// widths of what it printed before (tabwriter `RememberWidths`, reference §1.5), until the
/// next command interrupts it.
#[derive(Clone, Debug)]
pub struct Watch {
    kind: Kind,
    /// `None` watches every namespace.
    namespace: Option<String>,
    selector: Option<Selector>,
    /// Watching named objects only (a field selector on `metadata.name`).
    names: Vec<String>,
    format: WatchFormat,
    /// The store revision printed up to.
    rv: u64,
}

/// `get -w`: prints the current objects (unless `--watch-only`) and leaves a [`Watch`] open on
/// the session.
fn start_watch(s: &mut Session, o: &Opts) -> Output {
    let targets = match targets::parse(&o.args) {
        Ok(t) => t,
        Err(e) => return errors::error(e),
    };
    let (kind, names) = match targets {
        Targets::Types(kinds) if kinds.is_empty() => {
            return errors::error("You must provide one or more resources by argument or filename.");
        }
        Targets::Types(kinds) => {
            if kinds.iter().any(|k| *k != kinds[0]) {
                return errors::error("you may only specify a single resource type");
            }
            (kinds[0], Vec::new())
        }
        Targets::Named(named) => {
            if named.iter().any(|(k, _)| *k != named[0].0) {
                return errors::error("you may only specify a single resource type");
            }
            (named[0].0, named.into_iter().map(|(_, n)| n).collect())
        }
    };
    let format = match &o.format {
        Ok(Format::Table) | Ok(Format::Wide) => {
            let mut opts = o.table_opts(matches!(o.format, Ok(Format::Wide)));
            opts.with_namespace = o.all_namespaces && kind.info().namespaced;
            WatchFormat::Table {
                opts,
                tw: Box::new(TabWriter::get_table()),
                printed_header: false,
                no_headers: o.no_headers,
                events: o.output_watch_events,
            }
        }
        Ok(Format::Name) => WatchFormat::Name,
        Ok(Format::Json) => WatchFormat::Json,
        Ok(Format::Yaml) => WatchFormat::Yaml { printed: 0 },
        Ok(_) => return errors::error("watching with this output format is not simulated by kubelab yet"),
        Err(e) => return errors::error(e),
    };
    let namespace = (!o.all_namespaces || !kind.info().namespaced).then(|| o.namespace.clone());
    let mut w = Watch {
        kind,
        namespace,
        selector: o.selector.clone(),
        names,
        format,
        rv: s.cluster.store().revision(),
    };
    let mut out = Output::ok();
    if !w.names.is_empty() {
        for n in &w.names {
            if s.cluster.get(kind, &o.namespace, n).is_none() {
                return errors::api_error(&ApiError::not_found(kind, n));
            }
        }
    }
    if !o.watch_only {
        let current: Vec<Arc<Object>> = match w.names.is_empty() {
            true => s
                .cluster
                .list(kind, w.namespace.as_deref())
                .into_iter()
                .filter(|obj| w.matches(obj))
                .cloned()
                .collect(),
            false => w
                .names
                .iter()
                .filter_map(|n| s.cluster.get(kind, &o.namespace, n).cloned())
                .collect(),
        };
        let now = s.cluster.now();
        let text = w.print(
            &current.iter().map(|o| ("ADDED", o.clone())).collect::<Vec<_>>(),
            now,
            false,
        );
        out.out(text);
    }
    s.watch = Some(w);
    out
}

impl Watch {
    /// An open `kubectl events -w` on one namespace (`None`: all), printing from `rv` on.
    pub fn events(
        namespace: Option<String>,
        rv: u64,
        printer: super::events::Printer,
        filter: super::events::Filter,
    ) -> Watch {
        Watch {
            kind: Kind::Event,
            namespace,
            selector: None,
            names: Vec::new(),
            format: WatchFormat::Events { printer, filter },
            rv,
        }
    }

    /// The rows an events watch prints for `events` (its initial list).
    pub fn print_events(&mut self, events: &[crate::engine::api::Event], now: SimTime) -> String {
        match &mut self.format {
            WatchFormat::Events { printer, .. } => printer.print(events, now),
            _ => String::new(),
        }
    }

    fn matches(&self, obj: &Object) -> bool {
        if let (WatchFormat::Events { filter, .. }, Object::Event(e)) = (&self.format, obj) {
            if !filter.matches(e) {
                return false;
            }
        }
        obj.kind() == self.kind
            && self
                .namespace
                .as_deref()
                .is_none_or(|ns| !self.kind.info().namespaced || obj.namespace() == ns)
            && self.selector.as_ref().is_none_or(|s| s.matches(&obj.meta().labels))
            && (self.names.is_empty() || self.names.iter().any(|n| n == obj.name()))
    }

    /// Prints a batch of objects. The initial list is flushed once, so its rows align with each
    /// other; in the watch loop every event is one `PrintObj` and one flush (get.go `watch`), so
    /// a wider cell widens only its own row and the rows after it.
    fn print(&mut self, batch: &[(&str, Arc<Object>)], now: SimTime, flush_each: bool) -> String {
        let mut text = String::new();
        for (event, obj) in batch {
            match &mut self.format {
                WatchFormat::Table {
                    opts,
                    tw,
                    printed_header,
                    no_headers,
                    events,
                } => {
                    if !*printed_header && !*no_headers {
                        let mut head = columns::header_row(obj.kind(), opts);
                        if *events {
                            head.insert(0, "EVENT".into());
                        }
                        tw.write_row(&head);
                    }
                    *printed_header = true;
                    let mut row = columns::object_row(obj, opts, now);
                    if *events {
                        row.insert(0, event.to_string());
                    }
                    tw.write_row(&row);
                    if flush_each {
                        tw.flush();
                        text.push_str(&tw.take_output());
                    }
                }
                WatchFormat::Events { printer, .. } => {
                    // Deleted events (expired after an hour) are not printed.
                    if let (false, Object::Event(e)) = (*event == "DELETED", &**obj) {
                        text.push_str(&printer.print(std::slice::from_ref(e), now));
                    }
                }
                WatchFormat::Name => text.push_str(&format!("{}/{}\n", kind_prefix(obj.kind()), obj.name())),
                WatchFormat::Json => text.push_str(&to_json(&obj.to_value())),
                WatchFormat::Yaml { printed } => {
                    *printed += 1;
                    if *printed > 1 {
                        text.push_str("---\n");
                    }
                    text.push_str(&to_yaml(&obj.to_value()));
                }
            }
        }
        if let WatchFormat::Table { tw, .. } = &mut self.format {
            tw.flush();
            text.push_str(&tw.take_output());
        }
        text
    }

    /// Prints what changed since the last call, at the cluster's current time.
    fn emit(&mut self, cluster: &Cluster, out: &mut Output) {
        let store = cluster.store();
        let batch: Vec<(&str, Arc<Object>)> = match store.changes_since(self.rv) {
            Some(changes) => changes
                .filter(|c| self.matches(&c.object))
                .map(|c| {
                    let ev = match c.type_ {
                        ChangeType::Added => "ADDED",
                        ChangeType::Modified => "MODIFIED",
                        ChangeType::Deleted => "DELETED",
                    };
                    (ev, c.object.clone())
                })
                .collect(),
            None => Vec::new(),
        };
        self.rv = store.revision();
        if !batch.is_empty() {
            out.out(self.print(&batch, cluster.now(), true));
        }
    }

    /// Advances the cluster by `ms`, stopping at every wakeup on the way so that each change is
    /// printed with the ages of the moment it happened. Returns the rows printed meanwhile.
    pub fn advance(&mut self, cluster: &mut Cluster, ms: u64) -> Output {
        let mut out = Output::ok();
        let target = cluster.now().plus_ms(ms);
        cluster.settle();
        self.emit(cluster, &mut out);
        // A guard against a wakeup that keeps rescheduling itself at the same instant.
        let mut steps = 0u32;
        while let Some(t) = cluster.next_wakeup().filter(|t| *t <= target) {
            steps += 1;
            if steps > 100_000 {
                break;
            }
            cluster.advance(t.0.saturating_sub(cluster.now().0));
            self.emit(cluster, &mut out);
        }
        cluster.advance(target.0.saturating_sub(cluster.now().0));
        self.emit(cluster, &mut out);
        out
    }

    /// Ctrl-C: the watch ends silently.
    pub fn close(self, _cluster: &Cluster) -> Output {
        Output::ok()
    }
}

// ---------------------------------------------------------------------------------------------
// JSONPath
// ---------------------------------------------------------------------------------------------

/// The JSONPath subset kubectl users write: `{.a.b}`, `{.items[*].metadata.name}`, `[0]`,
/// `[-1]`, `[1:3]`, `['dotted.key']`, `\.`-escaped dots, `..name`, filters
/// `[?(@.type=="Ready")]`, `{range …}…{end}` and string literals `{"\n"}`. Missing keys print
/// nothing (kubectl's `--allow-missing-template-keys` default).
pub mod jsonpath {
    use super::to_json_compact;
    use kubelab_engine::sort::CompactSort;
    use serde_json::Value;

    #[derive(Clone, Debug, PartialEq)]
    enum Node {
        Text(String),
        Path(Vec<Step>),
        Range(Vec<Step>, Vec<Node>),
    }

    #[derive(Clone, Debug, PartialEq)]
    enum Step {
        Child(String),
        Wildcard,
        Recursive(String),
        Index(i64),
        Slice(Option<i64>, Option<i64>),
        Filter(Vec<Step>, Option<(String, Value)>),
    }

    /// Renders a template against `root` (`kubectl get -o jsonpath=…`, no trailing newline).
    pub fn render(template: &str, root: &Value) -> Result<String, String> {
        let nodes = parse(template)?;
        let mut out = String::new();
        eval_nodes(&nodes, root, &mut out);
        Ok(out)
    }

    /// The values one path expression (`{.a.b}`) finds.
    pub fn find(path: &str, root: &Value) -> Result<Vec<Value>, String> {
        let nodes = parse(path)?;
        let mut found = Vec::new();
        for n in &nodes {
            if let Node::Path(steps) = n {
                found.extend(select(steps, root).into_iter().cloned());
            }
        }
        Ok(found)
    }

    /// Go's `%v` of a decoded JSON value (custom columns).
    pub fn go_v(v: &Value) -> String {
        match v {
            Value::Null => "<nil>".into(),
            Value::String(s) => s.clone(),
            Value::Array(a) => format!("[{}]", a.iter().map(go_v).collect::<Vec<_>>().join(" ")),
            Value::Object(m) => {
                let mut keys: Vec<&String> = m.keys().collect();
                keys.compact_sort();
                format!(
                    "map[{}]",
                    keys.iter()
                        .map(|k| format!("{k}:{}", go_v(&m[*k])))
                        .collect::<Vec<_>>()
                        .join(" ")
                )
            }
            other => other.to_string(),
        }
    }

    fn parse(template: &str) -> Result<Vec<Node>, String> {
        let mut stack: Vec<(Vec<Step>, Vec<Node>)> = Vec::new();
        let mut nodes: Vec<Node> = Vec::new();
        let mut rest = template;
        while !rest.is_empty() {
            let Some(open) = rest.find('{') else {
                nodes.push(Node::Text(rest.to_string()));
                break;
            };
            if open > 0 {
                nodes.push(Node::Text(rest[..open].to_string()));
            }
            let close = find_close(&rest[open..]).ok_or_else(|| format!("unclosed action in template {template:?}"))?;
            let action = rest[open + 1..open + close].trim();
            rest = &rest[open + close + 1..];
            if let Some(path) = action.strip_prefix("range ") {
                stack.push((parse_path(path.trim())?, std::mem::take(&mut nodes)));
            } else if action == "end" {
                let (steps, outer) = stack.pop().ok_or("not in range, nothing to end")?;
                let body = std::mem::replace(&mut nodes, outer);
                nodes.push(Node::Range(steps, body));
            } else if let Some(lit) = action.strip_prefix('"').and_then(|a| a.strip_suffix('"')) {
                nodes.push(Node::Text(crate::printers::unescape(lit)));
            } else if let Some(lit) = action.strip_prefix('\'').and_then(|a| a.strip_suffix('\'')) {
                nodes.push(Node::Text(lit.to_string()));
            } else {
                nodes.push(Node::Path(parse_path(action)?));
            }
        }
        if !stack.is_empty() {
            return Err("unexpected EOF in range".into());
        }
        Ok(nodes)
    }

    /// The index of the `}` closing the action that starts at `s[0] == '{'`, skipping quotes.
    fn find_close(s: &str) -> Option<usize> {
        let mut quote: Option<char> = None;
        let mut prev = ' ';
        for (i, c) in s.char_indices().skip(1) {
            match quote {
                Some(q) if c == q && prev != '\\' => quote = None,
                Some(_) => {}
                None if c == '"' || c == '\'' => quote = Some(c),
                None if c == '}' => return Some(i),
                None => {}
            }
            prev = c;
        }
        None
    }

    fn parse_path(p: &str) -> Result<Vec<Step>, String> {
        let mut steps = Vec::new();
        let chars: Vec<char> = p.chars().collect();
        let mut i = 0;
        if chars.first().is_some_and(|c| *c == '$' || *c == '@') {
            i = 1;
        }
        while i < chars.len() {
            match chars[i] {
                '.' if chars.get(i + 1) == Some(&'.') => {
                    let (name, next) = read_name(&chars, i + 2);
                    steps.push(Step::Recursive(name));
                    i = next;
                }
                '.' => {
                    if chars.get(i + 1) == Some(&'*') {
                        steps.push(Step::Wildcard);
                        i += 2;
                        continue;
                    }
                    let (name, next) = read_name(&chars, i + 1);
                    if !name.is_empty() {
                        steps.push(Step::Child(name));
                    }
                    i = next;
                }
                '[' => {
                    let close = bracket_end(&chars, i).ok_or_else(|| format!("unterminated array in {p:?}"))?;
                    let inner: String = chars[i + 1..close].iter().collect();
                    steps.push(parse_bracket(inner.trim())?);
                    i = close + 1;
                }
                _ => {
                    let (name, next) = read_name(&chars, i);
                    if name.is_empty() {
                        return Err(format!("unrecognized character in action: {:?}", chars[i]));
                    }
                    steps.push(Step::Child(name));
                    i = next;
                }
            }
        }
        Ok(steps)
    }

    /// A field name up to the next unescaped `.` or `[`; `\.` stands for a dot in the name.
    fn read_name(chars: &[char], mut i: usize) -> (String, usize) {
        let mut name = String::new();
        while i < chars.len() {
            match chars[i] {
                '\\' if i + 1 < chars.len() => {
                    name.push(chars[i + 1]);
                    i += 2;
                }
                '.' | '[' => break,
                c => {
                    name.push(c);
                    i += 1;
                }
            }
        }
        (name, i)
    }

    fn bracket_end(chars: &[char], open: usize) -> Option<usize> {
        let (mut depth, mut quote) = (0, None::<char>);
        for (j, &c) in chars.iter().enumerate().skip(open) {
            match quote {
                Some(q) if c == q => quote = None,
                Some(_) => {}
                None => match c {
                    '\'' | '"' => quote = Some(c),
                    '[' => depth += 1,
                    ']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(j);
                        }
                    }
                    _ => {}
                },
            }
        }
        None
    }

    fn parse_bracket(inner: &str) -> Result<Step, String> {
        if inner == "*" {
            return Ok(Step::Wildcard);
        }
        if let Some(key) = inner.strip_prefix('\'').and_then(|k| k.strip_suffix('\'')) {
            return Ok(Step::Child(key.to_string()));
        }
        if let Some(key) = inner.strip_prefix('"').and_then(|k| k.strip_suffix('"')) {
            return Ok(Step::Child(key.to_string()));
        }
        if let Some(f) = inner.strip_prefix("?(").and_then(|f| f.strip_suffix(')')) {
            return parse_filter(f.trim());
        }
        if let Some((a, b)) = inner.split_once(':') {
            let num = |s: &str| -> Result<Option<i64>, String> {
                let s = s.split(':').next().unwrap_or("").trim();
                if s.is_empty() {
                    Ok(None)
                } else {
                    s.parse()
                        .map(Some)
                        .map_err(|_| format!("array index {s:?} is not a number"))
                }
            };
            return Ok(Step::Slice(num(a)?, num(b)?));
        }
        inner
            .parse()
            .map(Step::Index)
            .map_err(|_| format!("invalid array index {inner:?}"))
    }

    fn parse_filter(f: &str) -> Result<Step, String> {
        for op in ["==", "!=", "<=", ">=", "<", ">"] {
            if let Some((l, r)) = f.split_once(op) {
                let r = r.trim();
                let value = if let Some(s) = r.strip_prefix('"').and_then(|s| s.strip_suffix('"')) {
                    Value::String(s.into())
                } else if let Some(s) = r.strip_prefix('\'').and_then(|s| s.strip_suffix('\'')) {
                    Value::String(s.into())
                } else {
                    serde_json::from_str(r).map_err(|_| format!("unrecognized filter value {r:?}"))?
                };
                return Ok(Step::Filter(parse_path(l.trim())?, Some((op.to_string(), value))));
            }
        }
        Ok(Step::Filter(parse_path(f)?, None))
    }

    fn select<'a>(steps: &[Step], root: &'a Value) -> Vec<&'a Value> {
        let mut cur = vec![root];
        for step in steps {
            let mut next = Vec::new();
            for v in cur {
                apply(step, v, &mut next);
            }
            cur = next;
        }
        cur
    }

    fn apply<'a>(step: &Step, v: &'a Value, out: &mut Vec<&'a Value>) {
        match step {
            Step::Child(name) => {
                if let Some(c) = v.get(name.as_str()).filter(|_| v.is_object()) {
                    out.push(c);
                }
            }
            Step::Wildcard => match v {
                Value::Array(a) => out.extend(a.iter()),
                Value::Object(m) => {
                    let mut keys: Vec<&String> = m.keys().collect();
                    keys.compact_sort();
                    out.extend(keys.into_iter().map(|k| &m[k]));
                }
                _ => {}
            },
            Step::Recursive(name) => recurse(name, v, out),
            Step::Index(i) => {
                if let Value::Array(a) = v {
                    let idx = if *i < 0 { a.len() as i64 + i } else { *i };
                    if let Some(x) = usize::try_from(idx).ok().and_then(|i| a.get(i)) {
                        out.push(x);
                    }
                }
            }
            Step::Slice(from, to) => {
                if let Value::Array(a) = v {
                    let len = a.len() as i64;
                    let norm = |x: i64| if x < 0 { (len + x).max(0) } else { x.min(len) };
                    let (s, e) = (norm(from.unwrap_or(0)), norm(to.unwrap_or(len)));
                    if s < e {
                        out.extend(a[s as usize..e as usize].iter());
                    }
                }
            }
            Step::Filter(path, cond) => {
                let items: Vec<&Value> = match v {
                    Value::Array(a) => a.iter().collect(),
                    other => vec![other],
                };
                for item in items {
                    let found = select(path, item);
                    let keep = match cond {
                        None => !found.is_empty(),
                        Some((op, want)) => found.first().is_some_and(|got| compare(got, op, want)),
                    };
                    if keep {
                        out.push(item);
                    }
                }
            }
        }
    }

    fn recurse<'a>(name: &str, v: &'a Value, out: &mut Vec<&'a Value>) {
        match v {
            Value::Object(m) => {
                if let Some(x) = m.get(name) {
                    out.push(x);
                }
                for child in m.values() {
                    recurse(name, child, out);
                }
            }
            Value::Array(a) => a.iter().for_each(|c| recurse(name, c, out)),
            _ => {}
        }
    }

    fn compare(got: &Value, op: &str, want: &Value) -> bool {
        let ord = match (got, want) {
            (Value::Number(a), Value::Number(b)) => a.as_f64().partial_cmp(&b.as_f64()),
            (Value::String(a), Value::String(b)) => Some(a.cmp(b)),
            (a, b) if a == b => Some(std::cmp::Ordering::Equal),
            _ => None,
        };
        match (op, ord) {
            ("==", Some(o)) => o.is_eq(),
            ("!=", o) => o.is_none_or(|o| !o.is_eq()),
            ("<", Some(o)) => o.is_lt(),
            (">", Some(o)) => o.is_gt(),
            ("<=", Some(o)) => o.is_le(),
            (">=", Some(o)) => o.is_ge(),
            _ => false,
        }
    }

    fn eval_nodes(nodes: &[Node], cur: &Value, out: &mut String) {
        for n in nodes {
            match n {
                Node::Text(t) => out.push_str(t),
                Node::Path(steps) => {
                    let found = select(steps, cur);
                    let texts: Vec<String> = found.iter().map(|v| text(v)).collect();
                    out.push_str(&texts.join(" "));
                }
                Node::Range(steps, body) => {
                    for item in select(steps, cur) {
                        match item {
                            // `range` over a list iterates its elements.
                            Value::Array(a) if matches!(steps.last(), Some(Step::Child(_))) => {
                                a.iter().for_each(|x| eval_nodes(body, x, out))
                            }
                            other => eval_nodes(body, other, out),
                        }
                    }
                }
            }
        }
    }

    /// `PrintResults`: maps and lists as compact JSON, everything else with `%v`.
    fn text(v: &Value) -> String {
        match v {
            Value::Object(_) | Value::Array(_) => to_json_compact(v),
            Value::String(s) => s.clone(),
            Value::Null => "null".into(),
            other => other.to_string(),
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;
        use serde_json::json;

        #[test]
        fn renders_fields_lists_filters_and_ranges() {
            let v = json!({"items": [
                {"metadata": {"name": "a", "labels": {"app.kubernetes.io/name": "x"}}, "status": {"conditions": [{"type": "Ready", "status": "True"}]}},
                {"metadata": {"name": "b", "labels": {}}, "status": {"conditions": [{"type": "Ready", "status": "False"}]}}
            ]});
            assert_eq!(render("{.items[*].metadata.name}", &v).unwrap(), "a b");
            assert_eq!(
                render("{.items[0].metadata.labels.app\\.kubernetes\\.io/name}", &v).unwrap(),
                "x"
            );
            assert_eq!(render("{.items[-1].metadata.name}", &v).unwrap(), "b");
            assert_eq!(
                render("{range .items[*]}{.metadata.name}{\"\\n\"}{end}", &v).unwrap(),
                "a\nb\n"
            );
            assert_eq!(
                render("{.items[?(@.status.conditions[0].status==\"True\")].metadata.name}", &v).unwrap(),
                "a"
            );
            assert_eq!(
                render("{.items[0].metadata.labels}", &v).unwrap(),
                "{\"app.kubernetes.io/name\":\"x\"}"
            );
            assert_eq!(
                render("name: {.items[1].metadata.name} {.missing}", &v).unwrap(),
                "name: b "
            );
            assert_eq!(render("{..name}", &v).unwrap(), "a b");
            assert!(render("{.items[}", &v).is_err());
        }

        #[test]
        fn go_v_prints_like_fmt() {
            assert_eq!(go_v(&json!({"b": 1, "a": ["x", true]})), "map[a:[x true] b:1]");
            assert_eq!(go_v(&json!(null)), "<nil>");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn output_formats_parse_like_print_flags() {
        assert_eq!(Format::parse(""), Ok(Format::Table));
        assert_eq!(Format::parse("wide"), Ok(Format::Wide));
        assert_eq!(Format::parse("jsonpath={.a}"), Ok(Format::JsonPath("{.a}".into())));
        assert_eq!(
            Format::parse("custom-columns=NAME:.metadata.name,NODE:{.spec.nodeName}"),
            Ok(Format::CustomColumns(vec![
                ("NAME".into(), "{.metadata.name}".into()),
                ("NODE".into(), "{.spec.nodeName}".into())
            ]))
        );
        assert_eq!(
            Format::parse("jsonpath"),
            Err("template format specified but no template given".into())
        );
        assert!(Format::parse("badformat")
            .unwrap_err()
            .starts_with("unable to match a printer suitable for the output format \"badformat\""));
        assert_eq!(
            Format::parse("custom-columns=NAME"),
            Err("unexpected custom-columns spec: NAME, expected <header>:<json-path-expr>".into())
        );
    }

    #[test]
    fn kind_prefixes_follow_multiple_types_requested() {
        assert!(multiple_types_requested(&s(&["all"])));
        assert!(multiple_types_requested(&s(&["pods,svc"])));
        assert!(multiple_types_requested(&s(&["deploy/web", "svc/web"])));
        assert!(!multiple_types_requested(&s(&["deployment.apps/web"])));
        assert!(!multiple_types_requested(&s(&["pods", "a", "b"])));
        assert!(!multiple_types_requested(&s(&["pods,"])));
    }

    #[test]
    fn natural_order_compares_numbers_by_value() {
        assert!(natural_less("web-2", "web-10"));
        assert!(!natural_less("web-10", "web-2"));
        assert!(natural_less("a", "b"));
        assert!(natural_less("1x", "ax"));
        assert!(natural_less("web", "web-1"));
        assert!(natural_less("2026-03-02T09:00:00Z", "2026-03-02T09:00:01Z"));
    }

    #[test]
    fn relaxed_paths() {
        assert_eq!(relaxed_json_path(".metadata.name"), Ok("{.metadata.name}".into()));
        assert_eq!(relaxed_json_path("metadata.name"), Ok("{.metadata.name}".into()));
        assert_eq!(relaxed_json_path("{.metadata.name}"), Ok("{.metadata.name}".into()));
        assert!(relaxed_json_path("{.a").is_err());
    }

    // ----- against a session ------------------------------------------------------------

    use crate::engine::api::{Container, ContainerPort, Deployment, ObjectMeta};
    use crate::script::Host;
    use crate::{Session, SessionOptions};

    fn kubectl(s: &mut Session, line: &str) -> Output {
        let argv = shlex::split(line).expect("test command lines are well quoted");
        s.kubectl(&argv, None)
    }

    fn stderr(o: &Output) -> String {
        o.chunks
            .iter()
            .filter(|(s, _)| *s == crate::Stream::Stderr)
            .map(|(_, t)| t.as_str())
            .collect()
    }

    /// A session with `web` (nginx:1.27, 3 replicas, label app=web) created but not yet
    /// reconciled: time has to pass for its pods to appear.
    fn with_web() -> Session {
        let mut s = Session::new(SessionOptions::default());
        let mut d = Deployment {
            metadata: ObjectMeta::named("web", Some("default")),
            ..Default::default()
        };
        d.metadata.labels.insert("app".into(), "web".into());
        d.spec.replicas = Some(3);
        d.spec.selector.match_labels.insert("app".into(), "web".into());
        d.spec.template.metadata.labels.insert("app".into(), "web".into());
        d.spec.template.spec.containers.push(Container {
            name: "nginx".into(),
            image: "nginx:1.27".into(),
            ports: vec![ContainerPort {
                container_port: 80,
                ..Default::default()
            }],
            ..Default::default()
        });
        s.cluster.create(Object::Deployment(d)).expect("web is valid");
        s
    }

    #[test]
    fn empty_results_say_so_on_stderr() {
        let mut s = Session::new(SessionOptions::default());
        let o = kubectl(&mut s, "kubectl get pods");
        assert_eq!(
            (o.stdout(), stderr(&o), o.exit_code),
            (String::new(), "No resources found in default namespace.\n".into(), 0)
        );
        let o = kubectl(&mut s, "kubectl get pods -A -l app=nothing");
        assert_eq!(stderr(&o), "No resources found\n");
        let o = kubectl(&mut s, "kubectl get deploy -n nosuchns");
        assert_eq!(stderr(&o), "No resources found in nosuchns namespace.\n");
    }

    #[test]
    fn no_type_and_unknown_type_are_errors() {
        let mut s = Session::new(SessionOptions::default());
        let o = kubectl(&mut s, "kubectl get");
        assert_eq!(o.exit_code, 1);
        assert!(stderr(&o).starts_with("You must specify the type of resource to get. "));
        assert!(stderr(&o).ends_with("\nSee 'kubectl get -h' for help and examples\n"));
        let o = kubectl(&mut s, "kubectl get foo");
        assert_eq!(
            (stderr(&o), o.exit_code),
            ("error: the server doesn't have a resource type \"foo\"\n".into(), 1)
        );
        let o = kubectl(&mut s, "kubectl get pods web -l app=web");
        assert_eq!(
            stderr(&o),
            "error: name cannot be provided when a selector is specified\n"
        );
        let o = kubectl(&mut s, "kubectl get pods web -A");
        assert_eq!(
            stderr(&o),
            "error: a resource cannot be retrieved by name across all namespaces\n"
        );
        let o = kubectl(&mut s, "kubectl get pods --field-selector=spec.foo=bar");
        assert_eq!(
            stderr(&o),
            "Error from server (BadRequest): Unable to find \"/v1, Resource=pods\" that match label selector \"\", field selector \"spec.foo=bar\": field label not supported: spec.foo\n"
        );
        let o = kubectl(
            &mut s,
            "kubectl get pods -A --field-selector=spec.nodeName=kind-worker,metadata.namespace=kube-system -o name",
        );
        assert_eq!(o.stdout().lines().count(), 3, "{}", o.stdout());
    }

    #[test]
    fn named_get_prints_found_rows_then_not_found_errors() {
        let mut s = Session::new(SessionOptions::default());
        let o = kubectl(&mut s, "kubectl get svc kubernetes nosuch");
        assert_eq!(
            o.text(),
            "NAME         TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)   AGE\n\
             kubernetes   ClusterIP   10.96.0.1    <none>        443/TCP   10m\n\
             Error from server (NotFound): services \"nosuch\" not found\n"
        );
        assert_eq!(o.exit_code, 1);
        let o = kubectl(&mut s, "kubectl get deploy nosuch -o yaml");
        assert_eq!(
            o.text(),
            "Error from server (NotFound): deployments.apps \"nosuch\" not found\n"
        );
    }

    #[test]
    fn several_kinds_make_prefixed_tables_separated_by_a_blank_line() {
        let mut s = Session::new(SessionOptions::default());
        let o = kubectl(&mut s, "kubectl get deploy,svc -n kube-system");
        let text = o.stdout();
        let tables: Vec<&str> = text.split("\n\n").collect();
        assert_eq!(tables.len(), 2, "{text}");
        assert!(tables[0].starts_with(
            "NAME                      READY   UP-TO-DATE   AVAILABLE   AGE\ndeployment.apps/coredns   2/2"
        ));
        assert!(tables[1].starts_with(
            "NAME               TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)                  AGE\nservice/kube-dns"
        ));
        let o = kubectl(&mut s, "kubectl get deploy,svc -n kube-system --no-headers");
        assert!(!o.stdout().contains("\n\n") && !o.stdout().contains("NAME"));
        let o = kubectl(&mut s, "kubectl get deploy,svc -n kube-system -o name");
        assert_eq!(o.stdout(), "deployment.apps/coredns\nservice/kube-dns\n");
    }

    #[test]
    fn one_named_object_prints_bare_everything_else_as_a_list() {
        let mut s = Session::new(SessionOptions::default());
        let one = kubectl(&mut s, "kubectl get ns default -o json").stdout();
        assert!(
            one.starts_with("{\n    \"apiVersion\": \"v1\",\n    \"kind\": \"Namespace\",\n"),
            "{one}"
        );
        let list = kubectl(&mut s, "kubectl get ns default kube-public -o yaml").stdout();
        assert!(
            list.starts_with("apiVersion: v1\nitems:\n- apiVersion: v1\n  kind: Namespace\n"),
            "{list}"
        );
        assert!(
            list.ends_with("kind: List\nmetadata:\n  resourceVersion: \"\"\n"),
            "{list}"
        );
        let empty = kubectl(&mut s, "kubectl get pods -o yaml");
        assert_eq!(
            empty.text(),
            "apiVersion: v1\nitems: []\nkind: List\nmetadata:\n  resourceVersion: \"\"\n"
        );
    }

    #[test]
    fn sort_by_orders_rows_and_rejects_unknown_fields() {
        let mut s = Session::new(SessionOptions::default());
        let o = kubectl(
            &mut s,
            "kubectl get ns --sort-by=.metadata.name --no-headers -o custom-columns=N:.metadata.name",
        );
        assert_eq!(
            o.stdout(),
            "default\nkube-node-lease\nkube-public\nkube-system\nlocal-path-storage\n"
        );
        let o = kubectl(&mut s, "kubectl get ns --sort-by=.status.nothing");
        assert_eq!(
            stderr(&o),
            "error: couldn't find any field with path \"{.status.nothing}\" in the list of objects\n"
        );
        let o = kubectl(&mut s, "kubectl get ns -o jsonpath={.items[0].metadata.name}");
        assert_eq!(o.stdout(), "default");
    }

    #[test]
    fn watch_prints_each_change_with_remembered_widths() {
        let mut s = with_web();
        let start = kubectl(&mut s, "kubectl get pods -w");
        // The deployment has not been reconciled yet: nothing to list, no header yet.
        assert_eq!(start.text(), "");
        let rows = Host::sleep(&mut s, 30_000).stdout();
        let lines: Vec<&str> = rows.lines().collect();
        assert_eq!(lines[0], "NAME                   READY   STATUS    RESTARTS   AGE");
        assert!(lines[1].ends_with("   0/1     Pending   0          0s"), "{rows}");
        // ContainerCreating is wider than the first STATUS column: that row and every later one
        // use the wider column (RememberWidths).
        let creating = lines
            .iter()
            .position(|l| l.contains("ContainerCreating"))
            .expect("pods get created");
        assert!(
            lines[creating].contains("   0/1     ContainerCreating   0          0s"),
            "{rows}"
        );
        assert!(
            lines
                .last()
                .unwrap()
                .contains("   1/1     Running             0          "),
            "{rows}"
        );
        assert_eq!(lines.iter().filter(|l| l.contains("Running")).count(), 3);
        // Ctrl-C: silent; later changes are not printed.
        assert_eq!(Host::interrupt(&mut s).text(), "");
        assert!(s.watch.is_none());
    }

    #[test]
    fn watch_starts_with_the_current_table() {
        let mut s = with_web();
        s.cluster.advance(30_000);
        let o = kubectl(&mut s, "kubectl get deploy web -w");
        assert_eq!(
            o.stdout(),
            "NAME   READY   UP-TO-DATE   AVAILABLE   AGE\nweb    3/3     3            3           30s\n"
        );
        assert!(s.watch.is_some());
        // Nothing changes in a settled deployment.
        assert_eq!(Host::sleep(&mut s, 60_000).text(), "");
        // The initial rows are one block: aligned with each other whatever their lengths.
        let o = kubectl(&mut s, "kubectl get pods -n kube-system -w");
        let table = o.stdout();
        let ready_at: Vec<usize> = table
            .lines()
            .map(|l| l.find(" 1/1 ").unwrap_or(l.find(" READY ").unwrap_or(0)))
            .collect();
        assert!(
            ready_at.len() > 10 && ready_at.iter().all(|c| *c == ready_at[0]),
            "{table}"
        );
        let o = kubectl(&mut s, "kubectl get pods,svc -w");
        assert_eq!(stderr(&o), "error: you may only specify a single resource type\n");
    }

    #[test]
    fn field_selectors_parse_and_reject_unknown_fields() {
        assert_eq!(
            parse_field_selector("status.phase=Running,spec.nodeName!=n1"),
            Ok(vec![
                ("status.phase".into(), true, "Running".into()),
                ("spec.nodeName".into(), false, "n1".into())
            ])
        );
        assert!(parse_field_selector("nonsense").is_err());
        let pod = Object::Pod(Default::default());
        assert_eq!(field_value(&pod, "status.phase"), "Pending");
        assert!(supported_fields(Kind::Pod).contains(&"spec.nodeName"));
        assert!(!supported_fields(Kind::Deployment).contains(&"spec.nodeName"));
    }
}
