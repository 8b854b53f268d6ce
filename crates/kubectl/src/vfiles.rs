//! The session's virtual files as a file system: `./conf/a`, `conf//a` and `conf/x/../a` name
//! the same file, and a directory is every file under its path (the console has no `mkdir`:
//! `cat > conf/a <<EOF` makes `conf` a directory). What `--from-file`, `-f` and `-k` read.

use std::collections::BTreeMap;

/// A path with `.` and empty components dropped and `..` applied (`./` is `""`, the current
/// directory); absolute paths keep their leading `/`.
pub fn normalize(path: &str) -> String {
    let absolute = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for p in path.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|l| *l != "..") {
                    parts.pop();
                } else if !absolute {
                    parts.push("..");
                }
            }
            _ => parts.push(p),
        }
    }
    let joined = parts.join("/");
    if absolute {
        format!("/{joined}")
    } else {
        joined
    }
}

/// The console's working directory (root's home on the node, where `~/.kube` is), which
/// messages that print absolute paths (kustomize's) resolve relative paths against.
pub const CWD: &str = "/root";

/// `path` as an absolute path from [`CWD`].
pub fn absolute(path: &str) -> String {
    join(CWD, path)
}

/// `dir` joined with a relative `path` (an absolute `path` stands alone).
pub fn join(dir: &str, path: &str) -> String {
    if path.starts_with('/') || dir.is_empty() {
        normalize(path)
    } else {
        normalize(&format!("{dir}/{path}"))
    }
}

/// What a path names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Node<'a> {
    File(&'a str),
    Dir,
}

/// The file at `path`, or `Dir` when files live under it.
pub fn stat<'a>(files: &'a BTreeMap<String, String>, path: &str) -> Option<Node<'a>> {
    if let Some(t) = files.get(path) {
        return Some(Node::File(t));
    }
    let want = normalize(path);
    if let Some((_, t)) = files.iter().find(|(k, _)| normalize(k) == want) {
        return Some(Node::File(t));
    }
    files
        .keys()
        .any(|k| under(&normalize(k), &want).is_some())
        .then_some(Node::Dir)
}

/// The regular files directly in directory `dir`, by name (subdirectories are skipped, as
/// `os.ReadDir` + `IsRegular` skip them).
pub fn dir_files<'a>(files: &'a BTreeMap<String, String>, dir: &str) -> BTreeMap<String, &'a str> {
    let want = normalize(dir);
    files
        .iter()
        .filter_map(|(k, t)| {
            let n = normalize(k);
            let rest = under(&n, &want)?;
            (!rest.contains('/')).then(|| (rest.to_string(), t.as_str()))
        })
        .collect()
}

/// `path` relative to `dir` when it is inside it.
fn under<'p>(path: &'p str, dir: &str) -> Option<&'p str> {
    if dir.is_empty() {
        return (!path.starts_with('/') && !path.starts_with("../")).then_some(path);
    }
    if dir == "/" {
        return path.strip_prefix('/').filter(|r| !r.is_empty());
    }
    path.strip_prefix(dir)?.strip_prefix('/').filter(|r| !r.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_name_the_same_file() {
        assert_eq!(normalize("./conf//a"), "conf/a");
        assert_eq!(normalize("conf/x/../a"), "conf/a");
        assert_eq!(normalize("./"), "");
        assert_eq!(normalize("/tmp/./x/"), "/tmp/x");
        assert_eq!(join("base", "../dev/k.yaml"), "dev/k.yaml");
        let mut files = BTreeMap::new();
        files.insert("conf/a".to_string(), "1".to_string());
        files.insert("./conf/sub/b".to_string(), "2".to_string());
        files.insert("top".to_string(), "3".to_string());
        assert_eq!(stat(&files, "./conf/a"), Some(Node::File("1")));
        assert_eq!(stat(&files, "conf/"), Some(Node::Dir));
        assert_eq!(stat(&files, "nope"), None);
        assert_eq!(
            dir_files(&files, "conf").into_iter().collect::<Vec<_>>(),
            vec![("a".to_string(), "1")]
        );
        assert_eq!(dir_files(&files, ".").keys().collect::<Vec<_>>(), vec!["top"]);
    }
}
