//! kustomize as kubectl v1.32 bundles it (kustomize v5.5), over the session's virtual files:
//! `kubectl kustomize DIR`, and `-k DIR` for `apply`, `create`, `delete`, `get`.
//!
//! A build reads `DIR/kustomization.yaml`, accumulates its `resources` (files, or directories
//! built the same way first, as bases), adds the objects its `configMapGenerator` and
//! `secretGenerator` make, and runs its transformers over everything (namespace, name prefix and
//! suffix, labels, annotations, images, replicas). The top-level build then appends the content
//! hashes to generated names, points every reference at the final names, and sorts the result
//! in kustomize's legacy order. What is modelled, and what is refused with kustomize's own
//! message, is listed on [`Kustomization`].

mod generators;
mod transformers;

use crate::manifest::{self, Doc};
use crate::vfiles;
use serde_json::Value;
use std::collections::BTreeMap;

/// The kustomization file names kustomize looks for, in its order.
const FILE_NAMES: [&str; 3] = ["kustomization.yaml", "kustomization.yml", "Kustomization"];

/// Kustomization fields kubelab knows. Others kustomize knows (patches, components, replacements,
/// helmCharts…) are refused with a kubelab message rather than silently ignored; unknown ones
/// get kustomize's `json: unknown field` error.
const KNOWN: &[&str] = &[
    "apiVersion",
    "kind",
    "metadata",
    "resources",
    "bases",
    "namespace",
    "namePrefix",
    "nameSuffix",
    "commonLabels",
    "labels",
    "commonAnnotations",
    "images",
    "replicas",
    "configMapGenerator",
    "secretGenerator",
    "generatorOptions",
    "buildMetadata",
    "sortOptions",
];

/// Fields kustomize has that kubelab does not simulate.
const NOT_SIMULATED: &[&str] = &[
    "patches",
    "patchesStrategicMerge",
    "patchesJson6902",
    "components",
    "replacements",
    "vars",
    "helmCharts",
    "helmGlobals",
    "crds",
    "configurations",
    "generators",
    "transformers",
    "validators",
    "openapi",
    "openAPI",
    "helmChartInflationGenerator",
];

/// One object of a build, with what the final pass needs.
#[derive(Clone, Debug)]
pub(crate) struct Res {
    pub value: Value,
    /// The name it had where it was declared: references name it by this.
    pub original: String,
    /// A generated object's content hash, appended to its name at the end of the build.
    pub hash: Option<String>,
}

impl Res {
    pub fn kind(&self) -> &str {
        self.value.get("kind").and_then(Value::as_str).unwrap_or("")
    }
    pub fn name(&self) -> &str {
        self.value
            .pointer("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or("")
    }
    /// kustomize's `ResId` text: `Kind.version.group/name.namespace`.
    pub fn id(&self) -> String {
        let av = self.value.get("apiVersion").and_then(Value::as_str).unwrap_or("");
        let (group, version) = av.rsplit_once('/').unwrap_or(("[noGrp]", av));
        let ns = self
            .value
            .pointer("/metadata/namespace")
            .and_then(Value::as_str)
            .filter(|n| !n.is_empty())
            .unwrap_or("[noNs]");
        format!("{}.{version}.{group}/{}.{ns}", self.kind(), self.name())
    }
}

/// The result of building a directory: the documents to send, and kustomize's warnings
/// (printed on stderr as `# Warning: …`).
pub struct Built {
    pub docs: Vec<Doc>,
    pub warnings: Vec<String>,
}

/// Builds the kustomization in `dir` (as typed: documents carry it as their source, the way
/// kubectl names `-k` input in messages).
pub fn build(files: &BTreeMap<String, String>, dir: &str) -> Result<Built, String> {
    let mut warnings = Vec::new();
    let mut resources = build_dir(files, &vfiles::normalize(dir), dir, &mut warnings, 0)?;
    transformers::finish(&mut resources);
    let docs = resources
        .into_iter()
        .map(|r| Doc {
            value: r.value,
            source: dir.to_string(),
        })
        .collect();
    Ok(Built { docs, warnings })
}

/// The error for a path that is not a directory of the virtual file system.
fn not_a_directory(files: &BTreeMap<String, String>, dir: &str, shown: &str) -> String {
    match vfiles::stat(files, dir) {
        Some(vfiles::Node::File(_)) => format!("must build at directory: '{shown}': file is not directory"),
        _ => format!(
            "must build at directory: not a valid directory: evalsymlink failure on '{shown}' : lstat {}: no such file or directory",
            vfiles::absolute(dir)
        ),
    }
}

/// kustomize's message for a directory without a kustomization file.
fn no_kustomization(dir: &str) -> String {
    format!(
        "unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in directory '{}'",
        vfiles::absolute(dir)
    )
}

/// Builds one directory (a base or the top), without the final pass.
fn build_dir(
    files: &BTreeMap<String, String>,
    dir: &str,
    shown: &str,
    warnings: &mut Vec<String>,
    depth: usize,
) -> Result<Vec<Res>, String> {
    if depth > 20 {
        return Err(format!(
            "cycle detected: kustomization in '{}' includes itself",
            vfiles::absolute(dir)
        ));
    }
    if !dir.is_empty() && vfiles::stat(files, dir) != Some(vfiles::Node::Dir) {
        return Err(not_a_directory(files, dir, shown));
    }
    let inside = vfiles::dir_files(files, dir);
    let Some(text) = FILE_NAMES.iter().find_map(|n| inside.get(*n).copied()) else {
        return Err(no_kustomization(dir));
    };
    let k = manifest::yaml_to_json(text)?;
    let k = match k {
        Value::Object(m) => m,
        Value::Null => serde_json::Map::new(),
        other => {
            let what = match other {
                Value::Array(_) => "array",
                Value::String(_) => "string",
                Value::Bool(_) => "bool",
                _ => "number",
            };
            return Err(format!(
                "invalid Kustomization: json: cannot unmarshal {what} into Go value of type types.Kustomization"
            ));
        }
    };
    for key in k.keys() {
        if NOT_SIMULATED.contains(&key.as_str()) {
            return Err(format!("kubelab does not simulate the kustomization field '{key}' yet"));
        }
        if !KNOWN.contains(&key.as_str()) {
            return Err(format!("invalid Kustomization: json: unknown field \"{key}\""));
        }
    }
    if k.contains_key("commonLabels") {
        warnings.push(
            "'commonLabels' is deprecated. Please use 'labels' instead. Run 'kustomize edit fix' to update your Kustomization automatically.".into(),
        );
    }
    if k.contains_key("bases") {
        warnings.push(
            "'bases' is deprecated. Please use 'resources' instead. Run 'kustomize edit fix' to update your Kustomization automatically.".into(),
        );
    }
    let mut out: Vec<Res> = Vec::new();
    let list = |field: &str| -> Vec<String> {
        k.get(field)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect()
    };
    for r in list("bases").into_iter().chain(list("resources")) {
        let path = vfiles::join(dir, &r);
        let abs = vfiles::absolute(&path);
        let accumulating =
            |e: String| format!("accumulating resources: accumulation err='accumulating resources from '{r}': {e}");
        match vfiles::stat(files, &path) {
            Some(vfiles::Node::File(text)) => {
                for d in manifest::parse(text, &path)? {
                    if d.value.is_null() {
                        continue;
                    }
                    let res = Res {
                        original: d
                            .value
                            .pointer("/metadata/name")
                            .and_then(Value::as_str)
                            .unwrap_or("")
                            .to_string(),
                        value: d.value,
                        hash: None,
                    };
                    if out.iter().any(|o| o.id() == res.id()) {
                        return Err(format!(
                            "accumulating resources: accumulation err='merging resources from '{r}': may not add resource with an already registered id: {}': must build at directory: '{abs}': file is not directory",
                            res.id()
                        ));
                    }
                    out.push(res);
                }
            }
            Some(vfiles::Node::Dir) => {
                let base = build_dir(files, &path, &vfiles::join(shown, &r), warnings, depth + 1).map_err(|e| {
                    if e.starts_with("unable to find one of") {
                        accumulating(format!(
                            "'{abs}' must resolve to a file': couldn't make target for path '{abs}': {e}"
                        ))
                    } else {
                        accumulating(format!("'{abs}' must resolve to a file': {e}"))
                    }
                })?;
                out.extend(base);
            }
            None => {
                return Err(accumulating(format!(
                    "evalsymlink failure on '{abs}' : lstat {abs}: no such file or directory': must build at directory: not a valid directory: evalsymlink failure on '{abs}' : lstat {abs}: no such file or directory"
                )));
            }
        }
    }
    let options = k.get("generatorOptions").cloned().unwrap_or(Value::Null);
    for g in k
        .get("configMapGenerator")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        out.push(generators::generate(files, dir, g, &options, false)?);
    }
    for g in k.get("secretGenerator").and_then(Value::as_array).into_iter().flatten() {
        out.push(generators::generate(files, dir, g, &options, true)?);
    }
    for (i, r) in out.iter().enumerate() {
        if out[..i].iter().any(|o| o.id() == r.id()) {
            return Err(format!(
                "may not add resource with an already registered id: {}",
                r.id()
            ));
        }
    }
    transformers::apply(&mut out, &k)?;
    Ok(out)
}

#[cfg(test)]
mod tests;
