//! Reading manifests: YAML or JSON, several documents per file, `kind: List` expanded, turned into
//! typed objects by the engine's strict decoder. Errors read the way kubectl and the API server
//! word them (`shared/reference/kubectl-behaviour.md` §8.3).
//!
//! YAML is parsed with serde_norway (a maintained fork of serde_yaml on the libyaml port). Its
//! syntax errors carry libyaml's problem strings, the same ones go-yaml (itself a libyaml port)
//! gives kubectl, so `did not find expected key` reads identically.

use crate::engine::api::{DecodeError, Object};
use serde::Deserialize;
use serde_json::Value;

/// The largest manifest kubelab reads: 3 MiB, the API server's request body limit.
pub const MAX_MANIFEST_BYTES: usize = 3 * 1024 * 1024;

/// One document of a manifest, with where it came from for error messages.
#[derive(Clone, Debug)]
pub struct Doc {
    pub value: Value,
    /// `x.yaml`, or `STDIN` for `-f -`.
    pub source: String,
}

/// Splits and parses a manifest. `Err` is the whole kubectl error line (without `error: `).
pub fn parse(text: &str, source: &str) -> Result<Vec<Doc>, String> {
    if text.len() > MAX_MANIFEST_BYTES {
        return Err(format!(
            "error parsing {source}: the manifest is {} bytes; kubelab accepts at most {MAX_MANIFEST_BYTES} bytes (the API server's request size limit)",
            text.len()
        ));
    }
    let mut docs = Vec::new();
    for de in serde_norway::Deserializer::from_str(text) {
        let v = match Value::deserialize(de) {
            Ok(v) => v,
            Err(e) => {
                return Err(format!(
                    "error parsing {source}: error converting YAML to JSON: {}",
                    yaml_error(&e)
                ))
            }
        };
        push_doc(&mut docs, v, source);
    }
    Ok(docs)
}

/// apimachinery `yaml.ToJSON`: the first document of a YAML (or JSON) text as JSON, errors in
/// go-yaml's wording (`yaml: line 1: did not find expected ',' or '}'`). Used for inline
/// patches (`kubectl patch -p`) and other snippets that are not manifests.
pub fn yaml_to_json(text: &str) -> Result<Value, String> {
    match serde_norway::Deserializer::from_str(text).next() {
        None => Ok(Value::Null),
        Some(de) => Value::deserialize(de).map_err(|e| yaml_error(&e)),
    }
}

fn push_doc(docs: &mut Vec<Doc>, v: Value, source: &str) {
    match v {
        Value::Null => {}
        Value::Object(ref m) if m.get("kind").and_then(Value::as_str) == Some("List") => {
            if let Some(Value::Array(items)) = m.get("items") {
                for item in items.clone() {
                    push_doc(docs, item, source);
                }
            }
        }
        v => docs.push(Doc {
            value: v,
            source: source.to_string(),
        }),
    }
}

/// go-yaml's wording: `yaml: line 4: did not find expected key`.
///
/// go-yaml (`yaml.go`, `parser.fail`) adds 1 to the 0-based problem line only for scanner
/// errors; for parser errors it prints the 0-based line, one less than the line the problem is
/// on (checked against kubectl v1.32: a bad key on line 5 reads `line 4: did not find expected
/// key`). libyaml's parser problems are the ones below; everything else comes from the scanner.
fn yaml_error(e: &serde_norway::Error) -> String {
    const PARSER_PROBLEMS: &[&str] = &[
        "did not find expected key",
        "did not find expected node content",
        "did not find expected '-' indicator",
        "did not find expected ',' or ']'",
        "did not find expected ',' or '}'",
        "did not find expected <document start>",
        "found undefined tag handle",
        "found duplicate %YAML directive",
        "found incompatible YAML document",
        "found duplicate %TAG directive",
    ];
    let text = e.to_string();
    let problem = text.split(" at line ").next().unwrap_or(&text).trim_end_matches(',');
    let problem = problem.split(", while ").next().unwrap_or(problem);
    match e.location() {
        Some(loc) => {
            let line = if PARSER_PROBLEMS.contains(&problem) {
                loc.line().saturating_sub(1)
            } else {
                loc.line()
            };
            format!("yaml: line {line}: {problem}")
        }
        None => format!("yaml: {problem}"),
    }
}

/// Why a document could not become an object, with kubectl's message for each case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DocError {
    /// Client-side: `error: error validating "x.yaml": error validating data: kind not set; …`.
    Client(String),
    /// Server-side BadRequest, worded without the `error when <verb> "<file>": ` wrapper.
    BadRequest(String),
}

/// Decodes one document into an object (client checks first, then the server's strict decoding).
pub fn decode(doc: &Doc) -> Result<Object, DocError> {
    let Value::Object(m) = &doc.value else {
        return Err(DocError::Client(format!(
            "error validating \"{}\": error validating data: invalid object to validate; if you choose to ignore these errors, turn validation off with --validate=false",
            doc.source
        )));
    };
    for (field, what) in [("apiVersion", "apiVersion"), ("kind", "kind")] {
        if m.get(field).and_then(Value::as_str).is_none_or(str::is_empty) {
            return Err(DocError::Client(format!(
                "error validating \"{}\": error validating data: {what} not set; if you choose to ignore these errors, turn validation off with --validate=false",
                doc.source
            )));
        }
    }
    Object::decode(doc.value.clone()).map_err(|e| match e {
        DecodeError::NoMatch { api_version, kind } => {
            let name = doc.value.pointer("/metadata/name").and_then(Value::as_str).unwrap_or("");
            let ns = doc.value.pointer("/metadata/namespace").and_then(Value::as_str).unwrap_or("");
            DocError::Client(format!(
                "resource mapping not found for name: \"{name}\" namespace: \"{ns}\" from \"{}\": no matches for kind \"{kind}\" in version \"{api_version}\"\nensure CRDs are installed first",
                doc.source
            ))
        }
        DecodeError::UnknownFields { kind, fields } => {
            let info = kind.info();
            let list: Vec<String> = fields.iter().map(|f| format!("unknown field \"{f}\"")).collect();
            DocError::BadRequest(format!(
                "{} in version \"{}\" cannot be handled as a {}: strict decoding error: {}",
                info.kind,
                info.version,
                info.kind,
                list.join(", ")
            ))
        }
        DecodeError::Invalid { kind, message } => {
            let info = kind.info();
            DocError::BadRequest(format!(
                "{} in version \"{}\" cannot be handled as a {}: {}",
                info.kind,
                info.version,
                info.kind,
                go_json_error(&message)
            ))
        }
    })
}

/// Rewords serde's type errors in the shape of Go's `encoding/json` errors.
fn go_json_error(serde_msg: &str) -> String {
    // serde: `invalid type: string "3", expected i64`
    if let Some(rest) = serde_msg.strip_prefix("invalid type: ") {
        let got = rest.split([' ', ',']).next().unwrap_or("value");
        let got = match got {
            "integer" | "floating" => "number",
            "boolean" => "bool",
            "sequence" => "array",
            "map" => "object",
            other => other,
        };
        return format!("json: cannot unmarshal {got} into Go value");
    }
    serde_msg.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multi_document_and_list_expand() {
        let text = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n---\n---\nkind: List\napiVersion: v1\nitems:\n- apiVersion: v1\n  kind: Namespace\n  metadata:\n    name: b\n";
        let docs = parse(text, "x.yaml").unwrap();
        assert_eq!(docs.len(), 2);
        assert!(decode(&docs[1]).is_ok());
    }

    #[test]
    fn syntax_errors_read_like_go_yaml() {
        let err = parse("apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n bad: [\n", "bad.yaml").unwrap_err();
        assert!(
            err.starts_with("error parsing bad.yaml: error converting YAML to JSON: yaml: line "),
            "{err}"
        );
    }

    #[test]
    fn missing_kind_and_unknown_kind() {
        let docs = parse("apiVersion: v1\nmetadata:\n  name: x\n", "nokind.yaml").unwrap();
        assert_eq!(
            decode(&docs[0]),
            Err(DocError::Client("error validating \"nokind.yaml\": error validating data: kind not set; if you choose to ignore these errors, turn validation off with --validate=false".into()))
        );
        let docs = parse("apiVersion: v1\nkind: Deploymnt\nmetadata:\n  name: x\n", "k.yaml").unwrap();
        match decode(&docs[0]) {
            Err(DocError::Client(m)) => assert!(m.starts_with("resource mapping not found for name: \"x\" namespace: \"\" from \"k.yaml\": no matches for kind \"Deploymnt\" in version \"v1\"")),
            other => panic!("{other:?}"),
        }
    }
}
