//! Which objects a command names: `TYPE NAME…`, `TYPE1,TYPE2`, `TYPE/NAME…`, or `-f FILE`
//! (kubectl's resource builder rules).

use crate::engine::api::Kind;
use crate::flags::Invocation;
use crate::manifest::{self, Doc};
use crate::resources;
use crate::session::Session;
use crate::Output;

/// What the positional arguments asked for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Targets {
    /// Whole types (`get pods,svc`), possibly with `-l`.
    Types(Vec<Kind>),
    /// Named objects, in argument order.
    Named(Vec<(Kind, String)>),
}

/// Parses positional arguments. Errors are complete kubectl messages (without `error: `).
pub fn parse(args: &[String]) -> Result<Targets, String> {
    let Some(first) = args.first() else {
        return Ok(Targets::Types(Vec::new()));
    };
    if first.contains('/') {
        let mut named = Vec::new();
        for a in args {
            let Some((t, n)) = a.split_once('/') else {
                return Err("there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'".into());
            };
            let kind = resources::resolve(t).ok_or_else(|| resources::unknown_type(t))?;
            if n.is_empty() {
                return Err("arguments in resource/name form must have a single resource and name".into());
            }
            named.push((kind, n.to_string()));
        }
        return Ok(Targets::Named(named));
    }
    let mut kinds = Vec::new();
    for t in first.split(',').filter(|t| !t.is_empty()) {
        if t == "all" {
            kinds.extend(resources::all_kinds());
            continue;
        }
        kinds.push(resources::resolve(t).ok_or_else(|| resources::unknown_type(t))?);
    }
    if args.len() == 1 {
        return Ok(Targets::Types(kinds));
    }
    if kinds.len() != 1 {
        // `get pods,svc web`: names with several types apply to each type.
        let mut named = Vec::new();
        for k in &kinds {
            for n in &args[1..] {
                named.push((*k, n.clone()));
            }
        }
        return Ok(Targets::Named(named));
    }
    Ok(Targets::Named(
        args[1..].iter().map(|n| (kinds[0], n.clone())).collect(),
    ))
}

/// A command's input documents: the `-f` files, or the build of the `-k` directory (whose
/// warnings go to `out`). Both at once is kubectl's usage error.
pub fn read_input(
    session: &Session,
    inv: &Invocation,
    stdin: Option<&str>,
    out: &mut Output,
) -> Result<Vec<Doc>, String> {
    let filenames = inv.get_all("filename");
    if !inv.was_set("kustomize") {
        return read_files(session, &filenames, stdin);
    }
    if !filenames.is_empty() {
        return Err("only one of -f or -k can be specified".into());
    }
    read_kustomize(session, inv.get_str("kustomize"), out)
}

/// The documents of `-k DIR`.
pub fn read_kustomize(session: &Session, dir: &str, out: &mut Output) -> Result<Vec<Doc>, String> {
    let built = crate::kustomize::build(&session.files, dir)?;
    super::kustomize::warn(out, &built.warnings);
    Ok(built.docs)
}

/// Reads `-f` arguments: files from the session's virtual file system, `-` for stdin. A
/// directory name (a path prefix ending in `/`) reads every `.yaml`, `.yml` and `.json` inside.
pub fn read_files(session: &Session, filenames: &[String], stdin: Option<&str>) -> Result<Vec<Doc>, String> {
    let mut docs = Vec::new();
    for f in filenames {
        if f == "-" {
            docs.extend(manifest::parse(stdin.unwrap_or(""), "STDIN")?);
            continue;
        }
        match crate::vfiles::stat(&session.files, f) {
            Some(crate::vfiles::Node::File(text)) => docs.extend(manifest::parse(text, f)?),
            Some(crate::vfiles::Node::Dir) => {
                let dir = f.trim_end_matches('/');
                for (name, text) in crate::vfiles::dir_files(&session.files, f) {
                    if [".yaml", ".yml", ".json"].iter().any(|e| name.ends_with(e)) {
                        docs.extend(manifest::parse(text, &format!("{dir}/{name}"))?);
                    }
                }
            }
            None => return Err(format!("the path \"{f}\" does not exist")),
        }
    }
    Ok(docs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn argument_forms() {
        assert_eq!(parse(&s(&["pods"])), Ok(Targets::Types(vec![Kind::Pod])));
        assert_eq!(
            parse(&s(&["po", "a", "b"])),
            Ok(Targets::Named(vec![(Kind::Pod, "a".into()), (Kind::Pod, "b".into())]))
        );
        assert_eq!(
            parse(&s(&["deploy/web", "svc/web"])),
            Ok(Targets::Named(vec![
                (Kind::Deployment, "web".into()),
                (Kind::Service, "web".into())
            ]))
        );
        assert_eq!(
            parse(&s(&["foo"])),
            Err("the server doesn't have a resource type \"foo\"".into())
        );
        assert!(parse(&s(&["deploy/web", "web"])).is_err());
    }
}
