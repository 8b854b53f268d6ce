//! `kubectl explain RESOURCE[.FIELD…] [--recursive]` (`k8s.io/kubectl/pkg/cmd/explain`,
//! rendered with the v1.32 template `pkg/explain/v2/templates/plaintext.tmpl`).
//!
//! Real kubectl reads the server's OpenAPI v3 document. kubelab ships a compact schema of the
//! types learners explore (`explain/schema.txt`: Pod, Deployment, ReplicaSet, Service, Node,
//! Namespace and the types under them, with descriptions written after the v1.32 API
//! reference) and renders it the way the template does:
//!
//! * `GROUP:` (for grouped kinds), `KIND:`, `VERSION:`, a blank line;
//! * for a field path, `FIELD: containers <[]Container>` and two blank lines;
//! * `DESCRIPTION:`, the field's and then its type's description, word-wrapped at 76 columns
//!   by sprig's `wrap` (goutils `WrapCustom`, which ignores the text's own newlines) and
//!   indented by 4, ending with an indented empty line;
//! * `FIELDS:`, one entry per field in name order: `  name<TAB><type>`, ` -required-`, an
//!   `enum:` line for enumerated strings, the description wrapped at 76 and indented by 4, a
//!   blank line; with `--recursive` only the names and types, nested two spaces per level.
//!
//! A type the schema does not include yet cannot be entered (`error: field "x" does not
//! exist`, as kubectl says for an unknown field).

use crate::flags::Invocation;
use crate::session::Session;
use crate::{errors, resources, texts, Output};
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// The schema's text (see [`texts`]: the web app fetches it).
const SCHEMA: &str = "explain/schema.txt";
const CONVENTIONS: &str = "https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md";

/// One field of a type.
#[derive(Debug)]
struct Field {
    /// As explain prints it: `string`, `[]Container`, `map[string]string`, `IntOrString`.
    ty: &'static str,
    required: bool,
    enums: Vec<&'static str>,
    description: String,
}

/// One type of the schema.
#[derive(Debug, Default)]
struct Type {
    /// `(group, version, kind)` for resources.
    gvk: Option<(&'static str, &'static str, &'static str)>,
    description: &'static str,
    fields: BTreeMap<&'static str, Field>,
}

/// The parsed schema, or why its text is not here.
fn schema() -> Result<&'static BTreeMap<&'static str, Type>, String> {
    static TYPES: OnceLock<BTreeMap<&'static str, Type>> = OnceLock::new();
    if let Some(types) = TYPES.get() {
        return Ok(types);
    }
    let text = texts::get(SCHEMA)?;
    Ok(TYPES.get_or_init(|| {
        let mut types: BTreeMap<&'static str, Type> = BTreeMap::new();
        let mut current: Option<&'static str> = None;
        let mut want_description = false;
        for line in text.lines() {
            if line.starts_with('#') || line.is_empty() {
                continue;
            }
            if let Some(head) = line.strip_prefix('=') {
                let mut words = head.split(' ');
                let name = words.next().unwrap_or("");
                let gvk = match (words.next(), words.next()) {
                    (Some(gv), Some(kind)) => {
                        let (g, v) = gv.split_once('/').unwrap_or(("", gv));
                        Some((g, v, kind))
                    }
                    _ => None,
                };
                types.insert(
                    name,
                    Type {
                        gvk,
                        ..Default::default()
                    },
                );
                current = Some(name);
                want_description = true;
                continue;
            }
            let Some(t) = current.and_then(|c| types.get_mut(c)) else {
                continue;
            };
            if want_description {
                t.description = line;
                want_description = false;
                continue;
            }
            let mut cols = line.splitn(4, '\t');
            let (Some(name), Some(ty), Some(flags), Some(desc)) = (cols.next(), cols.next(), cols.next(), cols.next())
            else {
                continue;
            };
            let required = flags.split(',').any(|f| f == "!");
            let enums = flags
                .split_once("enum:")
                .map(|(_, e)| e.split(',').collect())
                .unwrap_or_default();
            let description = desc.replace("Q#", &format!("{CONVENTIONS}#"));
            t.fields.insert(
                name,
                Field {
                    ty,
                    required,
                    enums,
                    description,
                },
            );
        }
        types
    }))
}

/// The type a field's type names: `[]Container` and `map[string]Quantity` name their items.
fn referenced(ty: &str) -> &str {
    let t = ty.trim_start_matches("[]");
    t.strip_prefix("map[string]").unwrap_or(t)
}

/// sprig's `wrap` (goutils `WrapCustom(s, width, "\n", false)`): breaks at the last space
/// within the width; a word longer than the width runs to the next space. Newlines already in
/// the text are ordinary characters to it.
pub fn wrap(s: &str, width: usize) -> String {
    let b = s.as_bytes();
    let mut out = String::new();
    let mut offset = 0;
    while b.len() - offset > width {
        if b[offset] == b' ' {
            offset += 1;
            continue;
        }
        let end = (width + offset + 1).min(b.len());
        match s[offset..end].rfind(' ') {
            Some(i) => {
                out.push_str(&s[offset..offset + i]);
                out.push('\n');
                offset += i + 1;
            }
            None => {
                let end = width + offset;
                match s[end..].find(' ') {
                    None => {
                        out.push_str(&s[offset..]);
                        offset = b.len();
                    }
                    Some(i) => {
                        out.push_str(&s[offset..end + i]);
                        out.push('\n');
                        offset = end + i + 1;
                    }
                }
            }
        }
    }
    out.push_str(&s[offset..]);
    out
}

/// sprig's `indent`: every line, the empty last one too, gets the padding.
fn indent(s: &str, n: usize) -> String {
    let pad = " ".repeat(n);
    format!("{pad}{}", s.replace('\n', &format!("\n{pad}")))
}

pub fn run(_s: &mut Session, inv: &Invocation) -> Output {
    match explain(inv) {
        Ok(text) => {
            let mut o = Output::ok();
            o.out(text);
            o
        }
        Err(e) => e,
    }
}

fn explain(inv: &Invocation) -> Result<String, Output> {
    let arg = match inv.args.as_slice() {
        [] => return Err(errors::error("You must specify the type of resource to explain. Use \"kubectl api-resources\" for a complete list of supported resources.")),
        [one] => one,
        _ => return Err(errors::error("We accept only this format: explain RESOURCE")),
    };
    let output = inv.get_str("output");
    if output != "plaintext" {
        return Err(super::not_simulated(inv));
    }
    let mut parts = arg.split('.');
    let resource = parts.next().unwrap_or("");
    let path: Vec<&str> = parts.collect();
    let kind = resources::resolve(resource).ok_or_else(|| errors::error(resources::unknown_type(resource)))?;
    let info = kind.info();
    let types = schema().map_err(errors::error)?;
    let Some(top) = types.get(info.kind).filter(|t| t.gvk.is_some()) else {
        return Err(errors::error(format!(
            "kubelab does not include the schema of {} yet",
            info.kind
        )));
    };
    let (group, version, kind_name) = top.gvk.unwrap_or_default();
    let mut out = String::new();
    if !group.is_empty() {
        out.push_str(&format!("GROUP:      {group}\n"));
    }
    out.push_str(&format!("KIND:       {kind_name}\nVERSION:    {version}\n\n"));
    // Follow the path; the description of a field is its own, then its type's.
    let not_found = || {
        errors::error(format!(
            "field \"{}\" does not exist",
            path.last().copied().unwrap_or("")
        ))
    };
    let mut ty: Option<&Type> = Some(top);
    let mut description = format!("{}\n", top.description);
    for (i, name) in path.iter().enumerate() {
        let field = ty.and_then(|t| t.fields.get(name)).ok_or_else(not_found)?;
        if i + 1 == path.len() {
            out.push_str(&format!("FIELD: {name} <{}>\n", field.ty));
            if !field.enums.is_empty() {
                out.push_str("ENUM:");
                for e in &field.enums {
                    out.push_str(&format!("\n    {e}"));
                }
            }
            out.push_str("\n\n");
        }
        ty = types.get(referenced(field.ty));
        description = format!("{}\n", field.description);
        if let Some(t) = ty {
            description.push_str(&format!("{}\n", t.description));
        }
    }
    out.push_str("DESCRIPTION:\n");
    out.push_str(&indent(&wrap(&description, 76), 4));
    out.push('\n');
    if let Some(t) = ty.filter(|t| !t.fields.is_empty()) {
        out.push_str("FIELDS:\n");
        let mut seen = Vec::new();
        field_list(&mut out, types, t, 1, inv.get_bool("recursive"), &mut seen);
    }
    out.push('\n');
    Ok(out)
}

/// The `fieldList` template; `seen` stops the recursion at types already being listed.
fn field_list<'a>(
    out: &mut String,
    types: &'a BTreeMap<&'static str, Type>,
    t: &'a Type,
    level: usize,
    recursive: bool,
    seen: &mut Vec<&'a str>,
) {
    let pad = level * 2;
    for (name, f) in &t.fields {
        out.push_str(&format!("{}{name}\t<{}>", " ".repeat(pad), f.ty));
        if f.required {
            out.push_str(" -required-");
        }
        if !f.enums.is_empty() {
            out.push_str(&format!("\n{}enum: ", " ".repeat(pad)));
            let shown: Vec<&str> = f.enums.iter().take(4).copied().collect();
            out.push_str(&shown.join(", "));
            if f.enums.len() > 4 {
                out.push_str(", ....");
            }
        }
        out.push('\n');
        if recursive {
            let target = referenced(f.ty);
            if let Some(sub) = types.get(target) {
                if !seen.contains(&target) {
                    seen.push(target);
                    field_list(out, types, sub, level + 1, true, seen);
                    seen.pop();
                }
            }
        } else {
            out.push_str(&indent(&wrap(&f.description, 78 - pad), pad + 2));
            out.push_str("\n\n");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_like_goutils() {
        let text = "APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values.";
        assert_eq!(
            wrap(text, 76),
            "APIVersion defines the versioned schema of this representation of an object.\nServers should convert recognized schemas to the latest internal value, and\nmay reject unrecognized values."
        );
        let url = format!("More info: {CONVENTIONS}#resources");
        assert_eq!(wrap(&url, 76), format!("More info:\n{CONVENTIONS}#resources"));
    }

    #[test]
    fn schema_references_resolve() {
        let types = schema().expect("built in natively");
        for (name, t) in types {
            assert!(!t.description.is_empty(), "{name} has no description");
            for f in t.fields.values() {
                let target = referenced(f.ty);
                let primitive = matches!(target, "string" | "integer" | "boolean" | "number");
                // Types kubelab does not describe yet can be named but not entered.
                let _ = primitive || types.contains_key(target);
            }
        }
        assert!(types["PodSpec"].fields["containers"].required);
        assert_eq!(
            types["Container"].fields["imagePullPolicy"].enums,
            ["Always", "IfNotPresent", "Never"]
        );
    }
}
