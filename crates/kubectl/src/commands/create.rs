//! `kubectl create`: `-f FILE` (cli-runtime's builder and the dynamic client, so server objects
//! print with sorted keys) and the generators (`create deployment`, `create service
//! clusterip|nodeport|loadbalancer|externalname`, `create namespace`, `create configmap`,
//! `create secret generic`, `create job`, `create cronjob`), which build a typed object the way
//! `k8s.io/kubectl/pkg/cmd/create/create_*.go` do.
//!
//! A generator is one function from the command line to the object's JSON ([`Build`]). The
//! shared [`generated`] flow does the rest, as every `create_*.go` does: the NAME argument,
//! `--dry-run`, `-o`, `--save-config`, the `-n` namespace, sending it, printing it. Generated
//! objects are typed Go structs in kubectl, so `-o json` follows Go field order
//! ([`super::typed_json`]). Generators also work for kinds the simulated API server does not
//! serve yet: their `--dry-run=client` output is exact, and creating one says it is not
//! simulated.

use super::cmdutil;
use super::mutate::{self, DryRun, Encoding, Printer};
use super::typed_json;
use crate::engine::api::{DecodeError, Object};
use crate::engine::names::stable_hash;
use crate::engine::rng::NAME_ALPHABET;
use crate::flags::Invocation;
use crate::manifest::{self, DocError};
use crate::printers::json;
use crate::session::Session;
use crate::vfiles;
use crate::{errors, Output};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// The annotation `kubectl apply` keeps its last applied configuration in.
pub const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

pub fn run(s: &mut Session, inv: &Invocation, stdin: Option<&str>) -> Output {
    let sub: Vec<&str> = inv.path.iter().skip(1).copied().collect();
    let build: Build = match sub.as_slice() {
        [] => return mutate::command(s, inv, |s, out| from_files(s, inv, stdin, out)),
        ["deployment"] => deployment,
        ["service", "clusterip" | "nodeport" | "loadbalancer" | "externalname"] => service,
        ["namespace"] => namespace,
        ["configmap"] => configmap,
        ["secret", "generic"] => secret_generic,
        ["job"] => job,
        ["cronjob"] => cronjob,
        _ => return super::not_simulated(inv),
    };
    mutate::command(s, inv, |s, out| generated(s, inv, build, out))
}

// ---------------------------------------------------------------------------------------------
// create -f
// ---------------------------------------------------------------------------------------------

/// `kubectl create -f FILE…`: every document, in order. A document the client rejects
/// (syntax, missing kind, unknown kind) stops the command; server errors are reported after the
/// objects that were created (`error when creating "x.yaml": …`).
fn from_files(s: &mut Session, inv: &Invocation, stdin: Option<&str>, out: &mut Output) -> Result<(), Output> {
    let filenames = inv.get_all("filename");
    if filenames.is_empty() && !inv.was_set("kustomize") {
        return Err(errors::error("must specify one of -f and -k"));
    }
    let dry = mutate::dry_run(s, inv, out)?;
    let mut printer = Printer::new(mutate::format(inv)?, dry);
    let docs = super::targets::read_input(s, inv, stdin, out).map_err(errors::error)?;
    let sel = mutate::selection(s, inv, Vec::new());
    let validation = Validation::from(inv);
    let save_config = inv.get_bool("save-config");
    let mut failed = Vec::new();
    for doc in &docs {
        let (mut obj, mut value) = match decode(doc, validation, out) {
            Ok(o) => o,
            Err(DocError::Client(m)) => {
                failed.push(format!("error: {m}"));
                break;
            }
            Err(DocError::BadRequest(m)) => {
                failed.push(format!(
                    "Error from server (BadRequest): error when creating \"{}\": {m}",
                    doc.source
                ));
                continue;
            }
        };
        let ns = match mutate::namespace_for(obj.kind(), obj.meta().namespace.as_deref(), &sel) {
            Ok(ns) => ns,
            Err(e) => {
                failed.push(format!("error: {e}"));
                break;
            }
        };
        if save_config {
            let config = last_applied_unstructured(&value);
            set_annotation(&mut value, LAST_APPLIED, &config);
            obj.meta_mut().annotations.insert(LAST_APPLIED.into(), config);
        }
        if obj.kind().info().namespaced {
            set_namespace(&mut value, &ns);
            obj.meta_mut().namespace = Some(ns);
        }
        if dry == DryRun::Client {
            printer.print(out, &value, Encoding::Unstructured, "created");
            continue;
        }
        let created = super::warnings::send(&mut s.cluster, dry, out, |c| c.create(obj));
        match created {
            Ok(stored) => printer.print_object(out, &stored, Encoding::Unstructured, "created"),
            Err(e) => failed.push(errors::api_error_for_file(&e, "creating", &doc.source)),
        }
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(Output::fail(failed.join("\n")))
    }
}

/// `--validate`: kubectl v1.32 asks the server for strict field validation by default.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Validation {
    /// Unknown fields are an error (`strict`, `true`, the default).
    Strict,
    /// Unknown fields are reported as `Warning: unknown field "spec.replica"` and dropped.
    Warn,
    /// Unknown fields are dropped silently (`ignore`, `false`).
    Ignore,
}

impl Validation {
    pub fn from(inv: &Invocation) -> Validation {
        match inv.get_str("validate") {
            "warn" => Validation::Warn,
            "ignore" | "false" => Validation::Ignore,
            _ => Validation::Strict,
        }
    }
}

/// Decodes a manifest document with the given field validation. Unknown fields that are not
/// an error are removed (warning first for `warn`) and the document decoded again. Returns the
/// object and the document as the server keeps it (without the dropped fields).
pub fn decode(doc: &manifest::Doc, validation: Validation, out: &mut Output) -> Result<(Object, Value), DocError> {
    match manifest::decode(doc) {
        Err(DocError::BadRequest(m)) if validation != Validation::Strict => {
            let Err(DecodeError::UnknownFields { fields, .. }) = Object::decode(doc.value.clone()) else {
                return Err(DocError::BadRequest(m));
            };
            if validation == Validation::Warn {
                for f in &fields {
                    out.errln(format!("Warning: unknown field \"{f}\""));
                }
            }
            let mut v = doc.value.clone();
            for f in &fields {
                remove_path(&mut v, f);
            }
            let stripped = manifest::Doc {
                value: v.clone(),
                source: doc.source.clone(),
            };
            manifest::decode(&stripped).map(|o| (o, v))
        }
        other => other.map(|o| (o, doc.value.clone())),
    }
}

/// Removes `spec.template.spec.containers[0].foo` from a JSON value.
fn remove_path(v: &mut Value, path: &str) {
    let mut parts: Vec<(String, Option<usize>)> = Vec::new();
    for seg in path.split('.') {
        match seg.split_once('[') {
            Some((name, idx)) => {
                let i = idx.trim_end_matches(']').parse().ok();
                parts.push((name.to_string(), i));
            }
            None => parts.push((seg.to_string(), None)),
        }
    }
    let mut cur = v;
    for (n, (name, idx)) in parts.iter().enumerate() {
        let last = n + 1 == parts.len();
        let Value::Object(m) = cur else { return };
        if last && idx.is_none() {
            m.remove(name);
            return;
        }
        let Some(next) = m.get_mut(name) else { return };
        cur = match idx {
            Some(i) => match next.get_mut(*i) {
                Some(x) => x,
                None => return,
            },
            None => next,
        };
    }
}

/// The value kubectl stores in the last-applied annotation for an object read from a file:
/// the object as given, without that annotation, as compact JSON with sorted keys and a final
/// newline (`util.GetModifiedConfiguration` on an unstructured object).
pub fn last_applied_unstructured(v: &Value) -> String {
    let mut v = v.clone();
    if let Some(Value::Object(a)) = v.pointer_mut("/metadata/annotations") {
        a.remove(LAST_APPLIED);
        if a.is_empty() {
            if let Some(Value::Object(m)) = v.pointer_mut("/metadata") {
                m.remove("annotations");
            }
        }
    }
    format!("{}\n", json::to_json_compact(&v))
}

/// Sets `metadata.annotations[key]`.
pub fn set_annotation(v: &mut Value, key: &str, value: &str) {
    let Value::Object(m) = v else { return };
    let meta = m.entry("metadata").or_insert_with(|| Value::Object(Map::new()));
    let Value::Object(meta) = meta else { return };
    let ann = meta.entry("annotations").or_insert_with(|| Value::Object(Map::new()));
    if let Value::Object(a) = ann {
        a.insert(key.to_string(), Value::String(value.to_string()));
    }
}

fn set_namespace(v: &mut Value, ns: &str) {
    if let Some(Value::Object(meta)) = v.get_mut("metadata") {
        meta.insert("namespace".into(), Value::String(ns.to_string()));
    }
}

// ---------------------------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------------------------

/// What a generator is given.
pub struct Ctx<'a> {
    pub session: &'a Session,
    pub inv: &'a Invocation,
    /// The NAME argument.
    pub name: String,
    /// `-n` when given explicitly: kubectl then writes it into the object
    /// (`EnforceNamespace`); otherwise the object has no namespace field.
    pub namespace: Option<String>,
}

/// Builds the object a `create <generator>` sends. `Err` is the complete output.
pub type Build = fn(&Ctx) -> Result<Generated, Output>;

/// A generated object and how kubectl words a failed create of it.
pub struct Generated {
    pub value: Value,
    /// `failed to create deployment`: the prefix kubectl's generator puts before a server
    /// error (`error: failed to create deployment: deployments.apps "web" already exists`);
    /// `None` prints the server error as is (`Error from server (AlreadyExists): …`).
    pub wrap: Option<String>,
}

/// The flow every `create_*.go` shares: required flags, exactly one NAME, `--dry-run`, `-o`,
/// the generator, `--save-config`, the create call, the printer.
pub fn generated(s: &mut Session, inv: &Invocation, build: Build, out: &mut Output) -> Result<(), Output> {
    mutate::check_required(s, inv)?;
    // cmdutil.NameFromCommandArgs: the arguments before `--`.
    let before_dash = inv.args.len();
    if before_dash != 1 {
        return Err(mutate::usage_error(
            inv,
            format!("exactly one NAME is required, got {before_dash}"),
        ));
    }
    let dry = mutate::dry_run(s, inv, out)?;
    let mut printer = Printer::new(mutate::format(inv)?, dry);
    let ns = super::namespace(s, inv);
    let ctx = Ctx {
        session: s,
        inv,
        name: inv.args[0].clone(),
        namespace: inv.was_set("namespace").then(|| ns.clone()),
    };
    let Generated { mut value, wrap } = build(&ctx)?;
    if inv.get_bool("save-config") {
        let config = format!("{}\n", typed_json::to_json_compact(&value));
        set_annotation(&mut value, LAST_APPLIED, &config);
    }
    if dry == DryRun::Client {
        printer.print(out, &value, Encoding::Typed, "created");
        return Ok(());
    }
    let kind_name = value.get("kind").and_then(Value::as_str).unwrap_or("").to_string();
    let Ok(mut obj) = Object::decode(value) else {
        return Err(errors::error(format!(
            "\"{}\" creates a {kind_name}, which kubelab does not simulate yet (try --dry-run=client -o yaml)",
            inv.command_path()
        )));
    };
    if obj.kind().info().namespaced {
        obj.meta_mut().namespace = Some(ns);
    }
    let created = super::warnings::send(&mut s.cluster, dry, out, |c| c.create(obj));
    match created {
        Ok(stored) => {
            printer.print_object(out, &stored, Encoding::Typed, "created");
            Ok(())
        }
        Err(e) => Err(match wrap {
            Some(w) => errors::error(format!("{w}: {}", e.message)),
            None => errors::api_error(&e),
        }),
    }
}

/// `metadata` as the generators fill it: name, the enforced namespace, `creationTimestamp:
/// null` (a zero `metav1.Time`), labels.
pub fn metadata(ctx: &Ctx, labels: Option<Value>) -> Value {
    let mut m = Map::new();
    m.insert("name".into(), Value::String(ctx.name.clone()));
    if let Some(ns) = &ctx.namespace {
        m.insert("namespace".into(), Value::String(ns.clone()));
    }
    m.insert("creationTimestamp".into(), Value::Null);
    if let Some(l) = labels {
        m.insert("labels".into(), l);
    }
    Value::Object(m)
}

/// `app: <name>`, the label `create deployment` and `create service` put on everything.
fn app_label(ctx: &Ctx) -> Value {
    json!({ "app": ctx.name })
}

/// The command after `--` (`create deployment web --image=busybox -- sleep 3600`).
fn command(inv: &Invocation) -> Vec<String> {
    inv.after_dash.clone().unwrap_or_default()
}

/// A container as the generators write it: name, image, command, `resources: {}`.
fn container(name: &str, image: &str, command: &[String]) -> Value {
    let mut c = Map::new();
    c.insert("name".into(), Value::String(name.to_string()));
    c.insert("image".into(), Value::String(image.to_string()));
    if !command.is_empty() {
        c.insert("command".into(), json!(command));
    }
    c.insert("resources".into(), json!({}));
    Value::Object(c)
}

/// `create deployment` (`create_deployment.go`): `app: <name>` labels and selector, one
/// container per `--image` named after the image, `--replicas`, `--port` on the first container.
fn deployment(ctx: &Ctx) -> Result<Generated, Output> {
    let inv = ctx.inv;
    let images = inv.get_all("image");
    let cmd = command(inv);
    if images.len() > 1 && !cmd.is_empty() {
        return Err(errors::error("cannot specify multiple --image options and command"));
    }
    let mut containers: Vec<Value> = images
        .iter()
        .map(|i| container(&container_name_for_image(i), i, &cmd))
        .collect();
    let port = inv.get_int("port");
    if port >= 0 {
        if let Some(Value::Object(c)) = containers.first_mut() {
            // `ports` goes before `resources` in Go's field order; the printers order it.
            c.insert("ports".into(), json!([{ "containerPort": port }]));
        }
    }
    let labels = app_label(ctx);
    let value = json!({
        "kind": "Deployment",
        "apiVersion": "apps/v1",
        "metadata": metadata(ctx, Some(labels.clone())),
        "spec": {
            "replicas": inv.get_int("replicas"),
            "selector": { "matchLabels": labels },
            "template": {
                "metadata": { "creationTimestamp": null, "labels": labels },
                "spec": { "containers": containers }
            },
            "strategy": {}
        },
        "status": {}
    });
    Ok(Generated {
        value,
        wrap: Some("failed to create deployment".into()),
    })
}

/// The container name `create deployment` derives from an image: the last path segment
/// without tag or digest; names with `_` or `.` get those replaced by `-` and a random 5-letter
/// suffix (`sanitizeAndUniquify`). kubelab's suffix is a hash of the name, so it is stable.
pub fn container_name_for_image(image: &str) -> String {
    let mut name = image.rsplit('/').next().unwrap_or(image).to_string();
    if let Some((n, _)) = name.split_once(':') {
        name = n.to_string();
    }
    if let Some((n, _)) = name.split_once('@') {
        name = n.to_string();
    }
    if name.contains(['_', '.']) {
        let h = stable_hash(&[&name, "container-name"]);
        let suffix: String = (0..5)
            .map(|i| NAME_ALPHABET[((h >> (i * 8)) % NAME_ALPHABET.len() as u64) as usize] as char)
            .collect();
        name = format!("{}-{suffix}", name.replace(['_', '.'], "-"));
    }
    name
}

/// `create service clusterip|nodeport|loadbalancer|externalname` (`create_service.go`).
fn service(ctx: &Ctx) -> Result<Generated, Output> {
    let inv = ctx.inv;
    let type_ = match inv.path.last().copied().unwrap_or("") {
        "nodeport" => "NodePort",
        "loadbalancer" => "LoadBalancer",
        "externalname" => "ExternalName",
        _ => "ClusterIP",
    };
    let has = |f: &str| inv.command.flags.iter().any(|spec| spec.long == f);
    let tcp = inv.get_all("tcp");
    let cluster_ip = if has("clusterip") {
        inv.get_str("clusterip").to_string()
    } else {
        String::new()
    };
    let external_name = if has("external-name") {
        inv.get_str("external-name").to_string()
    } else {
        String::new()
    };
    let node_port = if has("node-port") { inv.get_int("node-port") } else { 0 };
    // Validate.
    if cluster_ip == "None" && type_ != "ClusterIP" {
        return Err(errors::error(
            "ClusterIP=None can only be used with ClusterIP service type",
        ));
    }
    if cluster_ip != "None" && tcp.is_empty() && type_ != "ExternalName" {
        return Err(errors::error("at least one tcp port specifier must be provided"));
    }
    if type_ == "ExternalName" && !is_dns1123_subdomain(&external_name) {
        return Err(errors::error(format!("invalid service external name {external_name}")));
    }
    let mut ports = Vec::new();
    for spec in &tcp {
        let (port, target) = parse_ports(spec).map_err(errors::error)?;
        let mut p = Map::new();
        p.insert("name".into(), Value::String(spec.replace(':', "-")));
        p.insert("protocol".into(), Value::String("TCP".into()));
        p.insert("port".into(), json!(port));
        p.insert("targetPort".into(), target);
        if node_port != 0 {
            p.insert("nodePort".into(), json!(node_port));
        }
        ports.push(Value::Object(p));
    }
    let mut spec = Map::new();
    if !ports.is_empty() {
        spec.insert("ports".into(), Value::Array(ports));
    }
    spec.insert("selector".into(), app_label(ctx));
    if !cluster_ip.is_empty() {
        spec.insert("clusterIP".into(), Value::String(cluster_ip));
    }
    spec.insert("type".into(), Value::String(type_.into()));
    if !external_name.is_empty() {
        spec.insert("externalName".into(), Value::String(external_name));
    }
    let value = json!({
        "kind": "Service",
        "apiVersion": "v1",
        "metadata": metadata(ctx, Some(app_label(ctx))),
        "spec": spec,
        "status": { "loadBalancer": {} }
    });
    Ok(Generated {
        value,
        wrap: Some(format!("failed to create {type_} service")),
    })
}

/// `--tcp=80`, `--tcp=80:8080`, `--tcp=80:http` (`parsePorts`): the port is a 16-bit number
/// (`strconv.ParseUint`), the target a port number or an IANA port name.
fn parse_ports(spec: &str) -> Result<(i64, Value), String> {
    let mut parts = spec.split(':');
    let first = parts.next().unwrap_or("");
    let port: u64 = parse_uint16(first)?;
    let Some(target) = parts.next() else {
        return Ok((port as i64, json!(port)));
    };
    match target.parse::<i64>() {
        Ok(n) => {
            if !(1..=65535).contains(&n) {
                return Err("must be between 1 and 65535, inclusive".into());
            }
            Ok((port as i64, json!(n)))
        }
        Err(_) => {
            let errs = port_name_errors(target);
            if !errs.is_empty() {
                return Err(errs.join(","));
            }
            Ok((port as i64, Value::String(target.to_string())))
        }
    }
}

/// Go's `strconv.ParseUint(s, 10, 16)` with its messages.
fn parse_uint16(s: &str) -> Result<u64, String> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("strconv.ParseUint: parsing \"{s}\": invalid syntax"));
    }
    match s.parse::<u64>() {
        Ok(n) if n <= 65535 => Ok(n),
        _ => Err(format!("strconv.ParseUint: parsing \"{s}\": value out of range")),
    }
}

/// apimachinery `IsValidPortName`.
fn port_name_errors(port: &str) -> Vec<&'static str> {
    let mut errs = Vec::new();
    if port.len() > 15 {
        errs.push("must be no more than 15 characters");
    }
    if !port
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        errs.push("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
    }
    if !port.bytes().any(|b| b.is_ascii_lowercase()) {
        errs.push("must contain at least one letter (a-z)");
    }
    if port.contains("--") {
        errs.push("must not contain consecutive hyphens");
    }
    if port.starts_with('-') || port.ends_with('-') {
        errs.push("must not begin or end with a hyphen");
    }
    errs
}

fn is_dns1123_subdomain(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 253
        && s.split('.').all(|l| {
            let b = l.as_bytes();
            !b.is_empty()
                && b.iter()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
                && b[0] != b'-'
                && b[b.len() - 1] != b'-'
        })
}

/// `create namespace` (`create_namespace.go`): just the name.
fn namespace(ctx: &Ctx) -> Result<Generated, Output> {
    let value = json!({
        "kind": "Namespace",
        "apiVersion": "v1",
        "metadata": { "name": ctx.name, "creationTimestamp": null },
        "spec": {},
        "status": {}
    });
    Ok(Generated { value, wrap: None })
}

/// Where the data of `create configmap` / `create secret generic` comes from.
struct Sources {
    data: BTreeMap<String, String>,
}

/// How `create configmap` and `create secret` word their key errors (they differ upstream).
struct KeyRules {
    /// The key is valid, or the complete message.
    valid: fn(&str) -> Result<(), String>,
    /// The message for a key given twice: `(key, object name)`.
    duplicate: fn(&str, &str) -> String,
}

/// `--from-literal`, `--from-file`, `--from-env-file` (`create_configmap.go`,
/// `create_secret.go`), keys checked and duplicates rejected, in kubectl's order: files, then
/// literals, then env files.
fn read_sources(ctx: &Ctx, rules: KeyRules) -> Result<Sources, Output> {
    let inv = ctx.inv;
    if !inv.get_all("from-env-file").is_empty()
        && (!inv.get_all("from-file").is_empty() || !inv.get_all("from-literal").is_empty())
    {
        return Err(errors::error(
            "from-env-file cannot be combined with from-file or from-literal",
        ));
    }
    let mut data: BTreeMap<String, String> = BTreeMap::new();
    let mut add = |key: String, value: String| -> Result<(), Output> {
        (rules.valid)(&key).map_err(errors::error)?;
        if data.contains_key(&key) {
            return Err(errors::error((rules.duplicate)(&key, &ctx.name)));
        }
        data.insert(key, value);
        Ok(())
    };
    for f in inv.get_all("from-file") {
        let (key, path) = file_source(&f).map_err(errors::error)?;
        match vfiles::stat(&ctx.session.files, &path) {
            Some(vfiles::Node::File(text)) => add(key.unwrap_or_else(|| base_name(&path)), text.to_string())?,
            Some(vfiles::Node::Dir) if key.is_some() => {
                return Err(errors::error("cannot give a key name for a directory path"));
            }
            Some(vfiles::Node::Dir) => {
                for (k, t) in vfiles::dir_files(&ctx.session.files, &path) {
                    add(k, t.to_string())?;
                }
            }
            None => {
                return Err(errors::error(format!(
                    "error reading {path}: no such file or directory"
                )))
            }
        }
    }
    for lit in inv.get_all("from-literal") {
        let Some((k, v)) = lit.split_once('=').filter(|(k, _)| !k.is_empty()) else {
            return Err(errors::error(format!(
                "invalid literal source {lit}, expected key=value"
            )));
        };
        add(k.to_string(), v.to_string())?;
    }
    for path in inv.get_all("from-env-file") {
        let Some(vfiles::Node::File(text)) = vfiles::stat(&ctx.session.files, &path) else {
            return Err(errors::error(format!(
                "error reading {path}: no such file or directory"
            )));
        };
        for (k, v) in cmdutil::env_file_pairs(text) {
            if let Err(e) = env_var_name(k) {
                return Err(errors::error(format!("\"{k}\" is not a valid key name: {e}")));
            }
            add(k.to_string(), v.to_string())?;
        }
    }
    Ok(Sources { data })
}

/// A `--from-file` source: `[key=]path` (`util.ParseFileSource`).
pub fn file_source(source: &str) -> Result<(Option<String>, String), String> {
    match source.matches('=').count() {
        0 => Ok((None, source.to_string())),
        1 if source.starts_with('=') => Err(format!("key name for file path {} missing", &source[1..])),
        1 if source.ends_with('=') => Err(format!(
            "file path for key name {} missing",
            &source[..source.len() - 1]
        )),
        1 => {
            let (k, p) = source.split_once('=').unwrap_or_default();
            Ok((Some(k.to_string()), p.to_string()))
        }
        _ => Err("key names or file paths cannot contain '='".into()),
    }
}

/// Go's `path.Base`: the last element, trailing slashes ignored.
pub fn base_name(path: &str) -> String {
    let t = path.trim_end_matches('/');
    if t.is_empty() {
        return if path.is_empty() { ".".into() } else { "/".into() };
    }
    t.rsplit('/').next().unwrap_or(t).to_string()
}

/// apimachinery `IsConfigMapKey`, worded as `create configmap` reports it.
fn config_map_key(key: &str) -> Result<(), String> {
    config_key(key).map_err(|e| format!("\"{key}\" is not a valid key name for a ConfigMap: {e}"))
}

/// The same rule for secrets, worded as `create secret generic` words it (no colon).
fn secret_key(key: &str) -> Result<(), String> {
    config_key(key).map_err(|e| format!("\"{key}\" is not valid key name for a Secret {e}"))
}

const CONFIG_MAP_KEYS: KeyRules = KeyRules {
    valid: config_map_key,
    duplicate: |key, name| {
        format!("cannot add key \"{key}\", another key by that name already exists in Data for ConfigMap \"{name}\"")
    },
};

const SECRET_KEYS: KeyRules = KeyRules {
    valid: secret_key,
    duplicate: |key, _| format!("cannot add key {key}, another key by that name already exists"),
};

fn config_key(key: &str) -> Result<(), String> {
    let mut errs = Vec::new();
    if key.len() > 253 {
        errs.push("must be no more than 253 characters".to_string());
    }
    if key.is_empty()
        || !key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
    {
        errs.push("a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')".to_string());
    }
    if key == "." {
        errs.push("must not be '.'".into());
    } else if key == ".." {
        errs.push("must not be '..'".into());
    } else if key.starts_with("..") {
        errs.push("must not start with '..'".into());
    }
    if errs.is_empty() {
        Ok(())
    } else {
        Err(errs.join(";"))
    }
}

/// apimachinery `IsEnvVarName`.
pub fn env_var_name(key: &str) -> Result<(), String> {
    if cmdutil::is_env_var_name(key) {
        Ok(())
    } else {
        Err("a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')".into())
    }
}

/// `create configmap` (`create_configmap.go`).
fn configmap(ctx: &Ctx) -> Result<Generated, Output> {
    let sources = read_sources(ctx, CONFIG_MAP_KEYS)?;
    let mut meta = metadata(ctx, None);
    if ctx.inv.get_bool("append-hash") {
        meta["name"] = Value::String(format!(
            "{}-{}",
            ctx.name,
            cmdutil::config_map_hash(&ctx.name, &sources.data)
        ));
    }
    let mut v = json!({ "kind": "ConfigMap", "apiVersion": "v1", "metadata": meta });
    if !sources.data.is_empty() {
        v["data"] = json!(sources.data);
    }
    Ok(Generated {
        value: v,
        wrap: Some("failed to create configmap".into()),
    })
}

/// `create secret generic` (`create_secret.go`): the data base64-encoded, `--type` when given.
fn secret_generic(ctx: &Ctx) -> Result<Generated, Output> {
    let sources = read_sources(ctx, SECRET_KEYS)?;
    let encoded: BTreeMap<String, String> = sources
        .data
        .iter()
        .map(|(k, x)| (k.clone(), base64(x.as_bytes())))
        .collect();
    let t = ctx.inv.get_str("type");
    let mut meta = metadata(ctx, None);
    if ctx.inv.get_bool("append-hash") {
        meta["name"] = Value::String(format!("{}-{}", ctx.name, cmdutil::secret_hash(&ctx.name, t, &encoded)));
    }
    let mut v = json!({ "kind": "Secret", "apiVersion": "v1", "metadata": meta });
    if !encoded.is_empty() {
        v["data"] = json!(encoded);
    }
    if !t.is_empty() {
        v["type"] = Value::String(t.to_string());
    }
    Ok(Generated {
        value: v,
        wrap: Some("failed to create secret".into()),
    })
}

/// Standard base64 with padding (Go's `base64.StdEncoding`, how `[]byte` fields are encoded).
pub fn base64(bytes: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, b)| acc | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(T[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The pod template of `create job` and `create cronjob`: one container named after the job.
fn job_template(ctx: &Ctx, image: &str, restart: &str) -> Value {
    json!({
        "metadata": { "creationTimestamp": null },
        "spec": {
            "containers": [container(&ctx.name, image, &command(ctx.inv))],
            "restartPolicy": restart
        }
    })
}

/// `create job` (`create_job.go`). `--from=cronjob/x` needs CronJobs, which the simulated
/// server does not serve yet.
fn job(ctx: &Ctx) -> Result<Generated, Output> {
    let inv = ctx.inv;
    let image = inv.get_str("image");
    let from = inv.get_str("from");
    if image.is_empty() == from.is_empty() {
        return Err(errors::error("either --image or --from must be specified"));
    }
    if !from.is_empty() {
        if inv.after_dash.as_ref().is_some_and(|c| !c.is_empty()) {
            return Err(errors::error("cannot specify --from and command"));
        }
        return Err(super::not_simulated(inv));
    }
    let value = json!({
        "kind": "Job",
        "apiVersion": "batch/v1",
        "metadata": metadata(ctx, None),
        "spec": { "template": job_template(ctx, image, "Never") },
        "status": {}
    });
    Ok(Generated {
        value,
        wrap: Some("failed to create job".into()),
    })
}

/// `create cronjob` (`create_cronjob.go`).
fn cronjob(ctx: &Ctx) -> Result<Generated, Output> {
    let inv = ctx.inv;
    let restart = match inv.get_str("restart") {
        "" => "OnFailure",
        r => r,
    };
    let value = json!({
        "kind": "CronJob",
        "apiVersion": "batch/v1",
        "metadata": metadata(ctx, None),
        "spec": {
            "schedule": inv.get_str("schedule"),
            "jobTemplate": {
                "metadata": { "name": ctx.name, "creationTimestamp": null },
                "spec": { "template": job_template(ctx, inv.get_str("image"), restart) }
            }
        },
        "status": {}
    });
    Ok(Generated {
        value,
        wrap: Some("failed to create cronjob".into()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn container_names_follow_the_image() {
        assert_eq!(container_name_for_image("nginx:1.27"), "nginx");
        assert_eq!(container_name_for_image("registry.k8s.io/nginx-slim:0.8"), "nginx-slim");
        assert_eq!(container_name_for_image("nginx:1.2@sha256:abc"), "nginx");
        let n = container_name_for_image("my.reg/x/Busy_Box:3");
        assert!(n.starts_with("Busy-Box-") && n.len() == "Busy-Box-".len() + 5, "{n}");
    }

    #[test]
    fn base64_like_go() {
        assert_eq!(base64(b"s3cr3t"), "czNjcjN0");
        assert_eq!(base64(b"b"), "Yg==");
        assert_eq!(base64(b"ab"), "YWI=");
        assert_eq!(base64(b""), "");
    }

    #[test]
    fn ports_parse_like_kubectl() {
        assert_eq!(parse_ports("80:8080"), Ok((80, json!(8080))));
        assert_eq!(parse_ports("80:http"), Ok((80, json!("http"))));
        assert_eq!(
            parse_ports("abc"),
            Err("strconv.ParseUint: parsing \"abc\": invalid syntax".into())
        );
        assert_eq!(
            parse_ports("80:0"),
            Err("must be between 1 and 65535, inclusive".into())
        );
    }

    #[test]
    fn removes_unknown_field_paths() {
        let mut v = json!({"spec": {"replica": 3, "template": {"spec": {"containers": [{"name": "a", "foo": 1}]}}}});
        remove_path(&mut v, "spec.replica");
        remove_path(&mut v, "spec.template.spec.containers[0].foo");
        assert_eq!(
            v,
            json!({"spec": {"template": {"spec": {"containers": [{"name": "a"}]}}}})
        );
    }
}
