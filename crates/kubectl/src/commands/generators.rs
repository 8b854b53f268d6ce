//! More `kubectl create` generators: `secret tls`, `secret docker-registry`, `ingress`,
//! `serviceaccount`, `quota`, `poddisruptionbudget` (`k8s.io/kubectl/pkg/cmd/create/
//! create_secret_tls.go`, `create_secret_docker.go`, `create_ingress.go`,
//! `create_serviceaccount.go`, `create_quota.go`, `create_pdb.go`, v1.32).
//!
//! Each is a [`create::Build`]: the shared flow in [`create::generated`] checks NAME, reads
//! `--dry-run` and `-o`, sends the object and prints it. Their `--dry-run=client` output is
//! compared byte for byte with the real binary (`tests/oracle_commands.rs`).
//!
//! `secret tls` checks the PEM blocks the way Go's `tls.X509KeyPair` does before it parses
//! them (no PEM data, a key given as the certificate and the other way round); kubelab does not
//! parse the DER inside, so a certificate that does not match its key is accepted.

use super::cmdutil;
use super::create::{self, base64, Ctx, Generated};
use super::mutate;
use crate::engine::selector::{Requirement, Selector};
use crate::flags::Invocation;
use crate::printers::json::to_json_compact;
use crate::session::Session;
use crate::{errors, Output};
use kubelab_engine::sort::CompactSort;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// Dispatches `kubectl create <generator>` for the generators of this module.
pub fn run(s: &mut Session, inv: &Invocation) -> Output {
    let build: create::Build = match inv.path.get(1..).unwrap_or_default() {
        ["secret", "tls"] => secret_tls,
        ["secret", "docker-registry"] => secret_docker_registry,
        ["ingress"] => ingress,
        ["serviceaccount"] => serviceaccount,
        ["quota"] => quota,
        ["poddisruptionbudget"] => pdb,
        _ => return super::not_simulated(inv),
    };
    mutate::command(s, inv, |s, out| create::generated(s, inv, build, out))
}

/// A virtual file, or Go's `os.ReadFile` error as `readFile` words it.
fn read_file(ctx: &Ctx, path: &str) -> Result<String, Output> {
    ctx.session.files.get(path).cloned().ok_or_else(|| {
        errors::error(format!(
            "Cannot read file {path}, open {path}: no such file or directory"
        ))
    })
}

/// The PEM block types in a text, in order (`pem.Decode` in a loop).
fn pem_types(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("-----BEGIN ") {
        let after = &rest[i + 11..];
        let Some(j) = after.find("-----") else { break };
        let ty = after[..j].to_string();
        let end = format!("-----END {ty}-----");
        let Some(k) = after.find(&end) else { break };
        out.push(ty);
        rest = &after[k + end.len()..];
    }
    out
}

/// `tls.X509KeyPair`'s checks of the PEM structure.
fn check_key_pair(cert: &str, key: &str) -> Result<(), String> {
    let certs = pem_types(cert);
    if !certs.iter().any(|t| t == "CERTIFICATE") {
        return Err(match certs.as_slice() {
            [] => "tls: failed to find any PEM data in certificate input".into(),
            [one] if one.ends_with("PRIVATE KEY") => "tls: failed to find certificate PEM data in certificate input, but did find a private key; PEM inputs may have been switched".into(),
            skipped => format!("tls: failed to find \"CERTIFICATE\" PEM block in certificate input after skipping PEM blocks of the following types: [{}]", skipped.join(" ")),
        });
    }
    let keys = pem_types(key);
    let is_key = |t: &String| t == "PRIVATE KEY" || t.ends_with(" PRIVATE KEY");
    if !keys.iter().any(is_key) {
        return Err(match keys.as_slice() {
            [] => "tls: failed to find any PEM data in key input".into(),
            [one] if one == "CERTIFICATE" => {
                "tls: found a certificate rather than a key in the PEM for the private key".into()
            }
            skipped => format!("tls: failed to find PEM block with type ending in \"PRIVATE KEY\" in key input after skipping PEM blocks of the following types: [{}]", skipped.join(" ")),
        });
    }
    Ok(())
}

/// A Secret of `type` with `data` (raw bytes, base64-encoded here), named with kubectl's
/// content hash when `--append-hash` is set (`hash.SecretHash`).
fn secret(ctx: &Ctx, type_: &str, data: BTreeMap<String, String>) -> Generated {
    let encoded: BTreeMap<String, String> = data.iter().map(|(k, v)| (k.clone(), base64(v.as_bytes()))).collect();
    let mut meta = create::metadata(ctx, None);
    if ctx.inv.get_bool("append-hash") {
        let hash = cmdutil::secret_hash(&ctx.name, type_, &encoded);
        meta["name"] = Value::String(format!("{}-{hash}", ctx.name));
    }
    let mut v = json!({ "kind": "Secret", "apiVersion": "v1", "metadata": meta });
    if !encoded.is_empty() {
        v["data"] = json!(encoded);
    }
    v["type"] = Value::String(type_.into());
    Generated {
        value: v,
        wrap: Some("failed to create secret".into()),
    }
}

/// `create secret tls NAME --cert=FILE --key=FILE`.
fn secret_tls(ctx: &Ctx) -> Result<Generated, Output> {
    let (cert, key) = (ctx.inv.get_str("cert"), ctx.inv.get_str("key"));
    if cert.is_empty() || key.is_empty() {
        return Err(errors::error("key and cert must be specified"));
    }
    let cert = read_file(ctx, cert)?;
    let key = read_file(ctx, key)?;
    check_key_pair(&cert, &key).map_err(errors::error)?;
    let data = BTreeMap::from([("tls.crt".to_string(), cert), ("tls.key".to_string(), key)]);
    Ok(secret(ctx, "kubernetes.io/tls", data))
}

/// `create secret docker-registry NAME --docker-username=U --docker-password=P
/// [--docker-server=S] [--docker-email=E]`, or `--from-file`: `.dockerconfigjson` holds
/// `{"auths":{"<server>":{"username":…,"password":…,"email":…,"auth":"<base64 u:p>"}}}`.
fn secret_docker_registry(ctx: &Ctx) -> Result<Generated, Output> {
    let inv = ctx.inv;
    let files = inv.get_all("from-file");
    let (user, password, server) = (
        inv.get_str("docker-username"),
        inv.get_str("docker-password"),
        inv.get_str("docker-server"),
    );
    if files.is_empty() && (user.is_empty() || password.is_empty() || server.is_empty()) {
        return Err(errors::error("either --from-file or the combination of --docker-username, --docker-password and --docker-server is required"));
    }
    let mut data = BTreeMap::new();
    if files.is_empty() {
        let q = |s: &str| to_json_compact(&Value::String(s.to_string()));
        let email = inv.get_str("docker-email");
        let email = if email.is_empty() {
            String::new()
        } else {
            format!(",\"email\":{}", q(email))
        };
        let auth = base64(format!("{user}:{password}").as_bytes());
        let config = format!(
            "{{\"auths\":{{{}:{{\"username\":{},\"password\":{}{email},\"auth\":{}}}}}}}",
            q(server),
            q(user),
            q(password),
            q(&auth)
        );
        data.insert(".dockerconfigjson".to_string(), config);
    } else {
        for f in files {
            let path = f.split_once('=').map_or(f.as_str(), |(_, p)| p);
            let text = ctx
                .session
                .files
                .get(path)
                .cloned()
                .ok_or_else(|| errors::error(format!("error reading {path}: no such file or directory")))?;
            data.insert(".dockerconfigjson".to_string(), text);
        }
    }
    Ok(secret(ctx, "kubernetes.io/dockerconfigjson", data))
}

/// `create serviceaccount NAME`.
fn serviceaccount(ctx: &Ctx) -> Result<Generated, Output> {
    Ok(Generated {
        value: json!({ "kind": "ServiceAccount", "apiVersion": "v1", "metadata": create::metadata(ctx, None) }),
        wrap: Some("failed to create serviceaccount".into()),
    })
}

/// `create quota NAME [--hard=cpu=1,memory=1G] [--scopes=BestEffort,…]`: the quantities as
/// kubectl serializes them (`1000m` → `1`).
fn quota(ctx: &Ctx) -> Result<Generated, Output> {
    let inv = ctx.inv;
    let mut spec = Map::new();
    let hard = inv.get_str("hard");
    if !hard.is_empty() {
        let mut list = BTreeMap::new();
        for stmt in hard.split(',') {
            let parts: Vec<&str> = stmt.split('=').collect();
            let [name, value] = parts.as_slice() else {
                return Err(errors::error(format!(
                    "Invalid argument syntax {stmt}, expected <resource>=<value>"
                )));
            };
            let q = super::quantity::canonical(value).map_err(errors::error)?;
            list.insert(name.to_string(), q);
        }
        spec.insert("hard".into(), json!(list));
    }
    let scopes = inv.get_str("scopes");
    if !scopes.is_empty() {
        let list: Vec<&str> = scopes.split(',').collect();
        spec.insert("scopes".into(), json!(list));
    }
    Ok(Generated {
        value: json!({
            "kind": "ResourceQuota",
            "apiVersion": "v1",
            "metadata": create::metadata(ctx, None),
            "spec": Value::Object(spec),
            "status": {}
        }),
        wrap: Some("failed to create quota".into()),
    })
}

/// apimachinery `metav1.ParseToLabelSelector`.
pub fn parse_to_label_selector(text: &str) -> Result<Value, String> {
    let sel = Selector::parse(text).map_err(|e| format!("couldn't parse the selector string \"{text}\": {e}"))?;
    let mut labels = BTreeMap::new();
    let mut exprs = Vec::new();
    for r in sel.0 {
        let (key, op, mut values) = match r {
            Requirement::Eq(k, v) => {
                labels.insert(k, v);
                continue;
            }
            Requirement::NotEq(..) => return Err("\"!=\" is not a valid label selector operator".into()),
            Requirement::In(k, v) => (k, "In", v),
            Requirement::NotIn(k, v) => (k, "NotIn", v),
            Requirement::Exists(k) => (k, "Exists", Vec::new()),
            Requirement::DoesNotExist(k) => (k, "DoesNotExist", Vec::new()),
        };
        values.compact_sort();
        values.dedup();
        let mut e = json!({ "key": key, "operator": op });
        if !values.is_empty() {
            e["values"] = json!(values);
        }
        exprs.push(e);
    }
    let mut out = Map::new();
    if !labels.is_empty() {
        out.insert("matchLabels".into(), json!(labels));
    }
    if !exprs.is_empty() {
        out.insert("matchExpressions".into(), Value::Array(exprs));
    }
    Ok(Value::Object(out))
}

/// `intstr.Parse`: a number when it is one, else the string.
fn int_or_string(v: &str) -> Value {
    match v.parse::<i32>() {
        Ok(n) => json!(n),
        Err(_) => Value::String(v.to_string()),
    }
}

/// `create poddisruptionbudget NAME --selector=SEL --min-available=N|N% |
/// --max-unavailable=N|N%`.
fn pdb(ctx: &Ctx) -> Result<Generated, Output> {
    let inv = ctx.inv;
    let selector = inv.get_str("selector");
    let (min, max) = (inv.get_str("min-available"), inv.get_str("max-unavailable"));
    if selector.is_empty() {
        return Err(errors::error("a selector must be specified"));
    }
    if min.is_empty() && max.is_empty() {
        return Err(errors::error(
            "one of min-available or max-unavailable must be specified",
        ));
    }
    if !min.is_empty() && !max.is_empty() {
        return Err(errors::error(
            "min-available and max-unavailable cannot be both specified",
        ));
    }
    let valid = |v: &str| {
        let digits = v.strip_suffix('%').unwrap_or(v);
        !digits.is_empty() && digits.bytes().all(|c| c.is_ascii_digit())
    };
    if !min.is_empty() && !valid(min) {
        return Err(errors::error("invalid format specified for min-available"));
    }
    if !max.is_empty() && !valid(max) {
        return Err(errors::error("invalid format specified for max-unavailable"));
    }
    let sel = parse_to_label_selector(selector).map_err(errors::error)?;
    let mut spec = Map::new();
    if !min.is_empty() {
        spec.insert("minAvailable".into(), int_or_string(min));
    }
    spec.insert("selector".into(), sel);
    if !max.is_empty() {
        spec.insert("maxUnavailable".into(), int_or_string(max));
    }
    Ok(Generated {
        value: json!({
            "kind": "PodDisruptionBudget",
            "apiVersion": "policy/v1",
            "metadata": create::metadata(ctx, None),
            "spec": Value::Object(spec),
            "status": { "disruptionsAllowed": 0, "currentHealthy": 0, "desiredHealthy": 0, "expectedPods": 0 }
        }),
        wrap: Some("failed to create poddisruptionbudgets".into()),
    })
}

/// The `--rule` grammar of `create ingress`:
/// `^[\w*\-.]*/[^,=\n]*=[\w\-]+:[\w\-]+(,tls=?[\w\-]*)?$`.
fn valid_rule(rule: &str) -> bool {
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let Some(slash) = rule.find('/') else { return false };
    if !rule[..slash].chars().all(|c| word(c) || matches!(c, '*' | '-' | '.')) {
        return false;
    }
    let rest = &rule[slash..];
    let Some(eq) = rest.find(['=', ',', '\n']) else {
        return false;
    };
    if !rest[eq..].starts_with('=') {
        return false;
    }
    let after = &rest[eq + 1..];
    let (svc, tls) = match after.split_once(',') {
        Some((s, t)) => (s, Some(t)),
        None => (after, None),
    };
    let Some((name, port)) = svc.split_once(':') else {
        return false;
    };
    let ident = |s: &str| !s.is_empty() && s.chars().all(|c| word(c) || c == '-');
    if !ident(name) || !ident(port) {
        return false;
    }
    match tls {
        None => true,
        Some(t) => match t.strip_prefix("tls") {
            Some(secret) => {
                let secret = secret.strip_prefix('=').unwrap_or(secret);
                secret.chars().all(|c| word(c) || c == '-')
            }
            None => false,
        },
    }
}

/// `svc:port` as an IngressBackend.
fn backend(service: &str) -> Value {
    let (name, port) = service.split_once(':').unwrap_or((service, ""));
    let port = match port.parse::<i32>() {
        Ok(n) => json!({ "number": n }),
        Err(_) => json!({ "name": port }),
    };
    json!({ "service": { "name": name, "port": port } })
}

/// `create ingress NAME --rule=host/path=svc:port[,tls[=secret]] [--class] [--default-backend]
/// [--annotation]`: `*` at the end of a path makes it a Prefix path, else Exact; rules of one
/// host share an entry; TLS hosts are grouped by secret.
fn ingress(ctx: &Ctx) -> Result<Generated, Output> {
    let inv = ctx.inv;
    let rules = inv.get_all("rule");
    let annotations = inv.get_all("annotation");
    let default_backend = inv.get_str("default-backend");
    if default_backend.is_empty() && rules.is_empty() {
        return Err(errors::error("not enough information provided: every ingress has to either specify a default-backend (which catches all traffic) or a list of rules (which catch specific paths)"));
    }
    if let Some(r) = rules.iter().find(|r| !valid_rule(r)) {
        return Err(errors::error(format!(
            "rule {r} is invalid and should be in format host/path=svcname:svcport[,tls[=secret]]"
        )));
    }
    let mut ann = BTreeMap::new();
    for a in &annotations {
        let Some((k, v)) = a.split_once('=') else {
            return Err(errors::error(format!(
                "annotation {a} is invalid and should be in format key=[value]"
            )));
        };
        ann.insert(k.to_string(), v.to_string());
    }
    if !default_backend.is_empty() && default_backend.split(':').count() != 2 {
        return Err(errors::error(
            "default-backend should be in format servicename:serviceport",
        ));
    }
    let mut spec = Map::new();
    let class = inv.get_str("class");
    if !class.is_empty() {
        spec.insert("ingressClassName".into(), json!(class));
    }
    if !default_backend.is_empty() {
        spec.insert("defaultBackend".into(), backend(default_backend));
    }
    // buildTLSRules
    let mut tls: Vec<(Vec<String>, String)> = Vec::new();
    let mut seen_hosts: Vec<String> = Vec::new();
    for r in &rules {
        let parts: Vec<&str> = r.split(',').collect();
        if parts.len() != 2 {
            continue;
        }
        let host = r.split_once('/').map_or(r.as_str(), |(h, _)| h).to_string();
        let secret = parts[1].split('=').nth(1).unwrap_or("").to_string();
        if seen_hosts.contains(&host) {
            continue;
        }
        seen_hosts.push(host.clone());
        if let Some(entry) = tls.iter_mut().find(|(_, s)| *s == secret) {
            entry.0.push(host);
            continue;
        }
        let hosts = if host.is_empty() { Vec::new() } else { vec![host] };
        if !secret.is_empty() || !hosts.is_empty() {
            tls.push((hosts, secret));
        }
    }
    // buildIngressRules
    let mut out_rules: Vec<(String, Vec<Value>)> = Vec::new();
    for r in &rules {
        let without_tls = r.split(',').next().unwrap_or("");
        let (host, pathsvc) = without_tls.split_once('/').unwrap_or((without_tls, ""));
        let (p, svc) = pathsvc.split_once('=').unwrap_or((pathsvc, ""));
        let mut path = format!("/{p}");
        let mut path_type = "Exact";
        if path.ends_with('*') {
            path_type = "Prefix";
            path.pop();
        }
        let entry = json!({ "path": path, "pathType": path_type, "backend": backend(svc) });
        match out_rules.iter_mut().find(|(h, _)| h == host) {
            Some((_, paths)) => paths.push(entry),
            None => out_rules.push((host.to_string(), vec![entry])),
        }
    }
    if !tls.is_empty() {
        let list: Vec<Value> = tls
            .into_iter()
            .map(|(hosts, secret)| {
                let mut t = Map::new();
                if !hosts.is_empty() {
                    t.insert("hosts".into(), json!(hosts));
                }
                if !secret.is_empty() {
                    t.insert("secretName".into(), json!(secret));
                }
                Value::Object(t)
            })
            .collect();
        spec.insert("tls".into(), Value::Array(list));
    }
    if !out_rules.is_empty() {
        let list: Vec<Value> = out_rules
            .into_iter()
            .map(|(host, paths)| {
                let mut r = Map::new();
                if !host.is_empty() {
                    r.insert("host".into(), json!(host));
                }
                r.insert("http".into(), json!({ "paths": paths }));
                Value::Object(r)
            })
            .collect();
        spec.insert("rules".into(), Value::Array(list));
    }
    let mut meta = create::metadata(ctx, None);
    if !ann.is_empty() {
        meta["annotations"] = json!(ann);
    }
    Ok(Generated {
        value: json!({
            "kind": "Ingress",
            "apiVersion": "networking.k8s.io/v1",
            "metadata": meta,
            "spec": Value::Object(spec),
            "status": { "loadBalancer": {} }
        }),
        wrap: Some("failed to create ingress".into()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ingress_rules() {
        assert!(valid_rule("foo.com/bar=svc1:8080"));
        assert!(valid_rule("foo.com/*=svc1:8080,tls=my-cert"));
        assert!(valid_rule("/path=svc:port,tls"));
        assert!(!valid_rule("foo.com=svc:80"));
        assert!(!valid_rule("foo.com/bar=svc"));
        assert!(!valid_rule("foo.com/bar=svc:80,ssl"));
    }

    #[test]
    fn selectors() {
        assert_eq!(
            parse_to_label_selector("app=web,tier in (b,a)").unwrap(),
            json!({"matchLabels": {"app": "web"}, "matchExpressions": [{"key": "tier", "operator": "In", "values": ["a", "b"]}]})
        );
    }
}
