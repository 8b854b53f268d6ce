//! `kubectl cp SRC DEST`: files between the console's virtual files and a container.
//!
//! Modelled rules (kubectl `pkg/cmd/cp`): exactly one side is remote, written
//! `[[namespace/]pod:]path`; a local source must exist; kubectl streams a tar archive through
//! `exec`, so the container needs `tar` (distroless images fail with the runtime's
//! "executable file not found"), and copying *from* an absolute path shows tar's own
//! "removing leading '/'" note on stderr (BusyBox and GNU tar word it differently). Copying to
//! an existing directory puts the file inside it under its own name. Success prints nothing.
//!
//! Not simulated yet: copying whole directories (the virtual files have none).

use crate::engine::api::Kind;
use crate::engine::images::{self, Os};
use crate::engine::pod_io::ExecError;
use crate::errors;
use crate::flags::Invocation;
use crate::session::Session;
use crate::Output;

/// One side of the copy.
#[derive(Debug, PartialEq, Eq)]
enum Spec {
    Local(String),
    Remote {
        namespace: Option<String>,
        pod: String,
        path: String,
    },
}

/// `extractFileSpec`.
fn parse_spec(arg: &str) -> Result<Spec, String> {
    let Some((head, path)) = arg.split_once(':') else {
        return Ok(Spec::Local(arg.to_string()));
    };
    // A Windows drive letter or a path with a colon after a slash stays local.
    if head.contains('/') && head.split('/').count() > 2 {
        return Ok(Spec::Local(arg.to_string()));
    }
    let (namespace, pod) = match head.split_once('/') {
        Some((ns, pod)) => (Some(ns.to_string()), pod.to_string()),
        None => (None, head.to_string()),
    };
    if pod.is_empty() {
        return Err("filespec must match the canonical format: [[namespace/]pod:]file/path".into());
    }
    if path.is_empty() {
        return Err("filepath can not be empty".into());
    }
    Ok(Spec::Remote {
        namespace,
        pod,
        path: path.to_string(),
    })
}

pub fn run(s: &mut Session, inv: &Invocation) -> Output {
    if inv.args.len() != 2 {
        return errors::error("source and destination are required");
    }
    let (src, dest) = match (parse_spec(&inv.args[0]), parse_spec(&inv.args[1])) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(e), _) | (_, Err(e)) => return errors::error(e),
    };
    match (src, dest) {
        (Spec::Local(_), Spec::Local(_)) => errors::error("one of src or dest must be a remote file specification"),
        (Spec::Remote { .. }, Spec::Remote { .. }) => {
            errors::error("one of src or dest must be a local file specification")
        }
        (Spec::Local(file), Spec::Remote { namespace, pod, path }) => {
            let Some(content) = s.files.get(&file).cloned() else {
                return errors::error(format!("{file} doesn't exist in local filesystem"));
            };
            let ns = namespace.unwrap_or_else(|| super::namespace(s, inv));
            to_pod(s, inv, &ns, &pod, &path, &file, &content)
        }
        (Spec::Remote { namespace, pod, path }, Spec::Local(file)) => {
            let ns = namespace.unwrap_or_else(|| super::namespace(s, inv));
            from_pod(s, inv, &ns, &pod, &path, &file)
        }
    }
}

/// The container `-c` names (else the default one) and its image, or kubectl's error.
fn container(s: &Session, inv: &Invocation, ns: &str, pod: &str) -> Result<(String, String), Output> {
    let Some(p) = s.cluster.get(Kind::Pod, ns, pod).and_then(|o| o.as_pod()) else {
        return Err(errors::api_error(&crate::engine::ApiError::not_found(Kind::Pod, pod)));
    };
    let want = inv.get_str("container");
    let c = if want.is_empty() {
        p.metadata
            .annotations
            .get("kubectl.kubernetes.io/default-container")
            .and_then(|d| p.spec.containers.iter().find(|c| &c.name == d))
            .or_else(|| p.spec.containers.first())
    } else {
        p.spec.containers.iter().find(|c| c.name == want)
    };
    match c {
        Some(c) => Ok((c.name.clone(), c.image.clone())),
        None => Err(errors::error(format!("container {want} not found in pod {pod}"))),
    }
}

/// Runs one shell command in the container, or kubectl's error for the exec.
fn sh(
    s: &mut Session,
    ns: &str,
    pod: &str,
    c: &str,
    script: &str,
    stdin: Option<&str>,
) -> Result<(String, i32), Output> {
    let argv = vec!["sh".to_string(), "-c".to_string(), script.to_string()];
    match s.cluster.exec(ns, pod, c, &argv, stdin) {
        Ok(o) => Ok((o.stdout, o.exit_code)),
        Err(ExecError::Api(e)) => Err(errors::api_error(&e)),
        Err(ExecError::Stream(m)) => Err(errors::error(m)),
    }
}

/// kubectl streams through `tar`: an image without it fails as exec does.
fn needs_tar(image: &str) -> Result<(), Output> {
    if images::variant_os(image) == Os::Distroless {
        return Err(errors::error(
            "Internal error occurred: error executing command in container: failed to exec in container: failed to start exec: OCI runtime exec failed: exec failed: unable to start container process: exec: \"tar\": executable file not found in $PATH: unknown",
        ));
    }
    Ok(())
}

fn quote(p: &str) -> String {
    format!("'{}'", p.replace('\'', "'\\''"))
}

fn to_pod(s: &mut Session, inv: &Invocation, ns: &str, pod: &str, path: &str, file: &str, content: &str) -> Output {
    let (c, image) = match container(s, inv, ns, pod) {
        Ok(x) => x,
        Err(e) => return e,
    };
    if let Err(e) = needs_tar(&image) {
        return e;
    }
    let name = file.rsplit('/').next().unwrap_or(file);
    let target = match sh(s, ns, pod, &c, &format!("test -d {}", quote(path)), None) {
        Ok((_, 0)) => format!("{}/{name}", path.trim_end_matches('/')),
        Ok(_) => path.to_string(),
        Err(e) => return e,
    };
    match sh(s, ns, pod, &c, &format!("cat > {}", quote(&target)), Some(content)) {
        Ok((_, 0)) => Output::ok(),
        Ok(_) => {
            let dir = target
                .rsplit_once('/')
                .map_or(".", |(d, _)| if d.is_empty() { "/" } else { d });
            let mut o = Output::ok();
            o.errln(format!("tar: can't open '{target}': No such file or directory"));
            o.extend(errors::error(format!("{dir}: no such file or directory")));
            o.exit_code = 1;
            o
        }
        Err(e) => e,
    }
}

fn from_pod(s: &mut Session, inv: &Invocation, ns: &str, pod: &str, path: &str, file: &str) -> Output {
    let (c, image) = match container(s, inv, ns, pod) {
        Ok(x) => x,
        Err(e) => return e,
    };
    if let Err(e) = needs_tar(&image) {
        return e;
    }
    let mut out = Output::ok();
    if path.starts_with('/') {
        out.errln(match images::variant_os(&image) {
            Os::Debian => "tar: Removing leading `/' from member names",
            _ => "tar: removing leading '/' from member names",
        });
    }
    match sh(s, ns, pod, &c, &format!("cat {}", quote(path)), None) {
        Ok((content, 0)) => {
            s.files.insert(file.to_string(), content);
        }
        Ok(_) => {
            // tar's complaint; the archive is empty, so kubectl writes nothing and succeeds.
            let member = path.trim_start_matches('/');
            if images::variant_os(&image) == Os::Debian {
                out.errln(format!("tar: {member}: Cannot stat: No such file or directory"));
                out.errln("tar: Exiting with failure status due to previous errors");
            } else {
                out.errln(format!("tar: {member}: No such file or directory"));
                out.errln("tar: error exit delayed from previous errors");
            }
        }
        Err(e) => return e,
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{parse_spec, Spec};

    #[test]
    fn file_specs() {
        assert_eq!(parse_spec("a.txt"), Ok(Spec::Local("a.txt".into())));
        assert_eq!(
            parse_spec("ns/web:/tmp/x"),
            Ok(Spec::Remote {
                namespace: Some("ns".into()),
                pod: "web".into(),
                path: "/tmp/x".into()
            })
        );
        assert_eq!(parse_spec("web:"), Err("filepath can not be empty".into()));
        assert!(parse_spec(":/x").is_err());
    }
}
