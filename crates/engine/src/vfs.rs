//! A container's file system: the image's files, a writable layer on top and the pod's volumes
//! mounted into it, as overlayfs and the kubelet's bind mounts arrange them.
//!
//! The image part is static data shared by every container of that image, so 10,000 untouched
//! nginx containers cost nothing; writes go to the container's own [`Layer`], which a restart
//! throws away (a new container gets a fresh root file system, while `emptyDir` volumes outlive
//! container restarts — that is why deleting nginx's `index.html` is undone by the liveness
//! restart in the probe tutorials).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// One entry of a writable layer or volume.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Entry {
    File(Arc<str>),
    Dir,
    /// overlayfs whiteout: the path is deleted although the image has it.
    Deleted,
}

/// Writes over the image (or the whole content of a volume), by absolute path.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Layer {
    pub entries: BTreeMap<String, Entry>,
}

/// Why a file operation failed, worded as the errno text tools print.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FsError {
    NotFound,
    IsDir,
    NotDir,
    NotEmpty,
    Exists,
    ReadOnly,
}

impl FsError {
    pub fn text(self) -> &'static str {
        match self {
            FsError::NotFound => "No such file or directory",
            FsError::IsDir => "Is a directory",
            FsError::NotDir => "Not a directory",
            FsError::NotEmpty => "Directory not empty",
            FsError::Exists => "File exists",
            FsError::ReadOnly => "Read-only file system",
        }
    }
}

/// What the image ships: files with their content and the directories of its base OS.
#[derive(Clone, Copy, Debug)]
pub struct ImageFs {
    pub dirs: &'static [&'static str],
    pub files: &'static [(&'static str, &'static str)],
}

/// A mount: container path -> volume name, read-only or not.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Mount {
    pub path: String,
    pub volume: String,
    pub read_only: bool,
    /// `subPath`: the part of the volume mounted here (`""`: its root). A file of a ConfigMap
    /// volume mounted by `subPath` is bound once, when the container starts (see
    /// [`Backing::Snapshot`]).
    pub sub_path: String,
    pub backing: Backing,
}

/// Where a mounted volume's files live.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Backing {
    /// In the pod (`emptyDir`, ConfigMap, Secret, downward API): gone with the pod.
    #[default]
    Pod,
    /// Outside the pod, by data key (a PersistentVolume's storage, a node's `hostPath`
    /// directory): kept when pods come and go, shared by every pod mounting it.
    Shared(String),
    /// A copy of a pod volume taken when the container started, by key in the pod's volumes:
    /// a `subPath` mount is a bind mount of the file as it was then, so later ConfigMap
    /// updates never reach it (kubernetes/kubernetes#50345).
    Snapshot(String),
}

/// Files the kubelet generates per pod (`/etc/hosts`, `/etc/hostname`, `/etc/resolv.conf`, the
/// service-account token directory).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Generated {
    pub files: BTreeMap<String, String>,
}

/// The view one process has: image + layer + mounted volumes + generated files.
pub struct FsView<'a> {
    pub image: &'a [ImageFs],
    pub layer: &'a mut Layer,
    pub volumes: &'a mut BTreeMap<String, Layer>,
    /// Volume data that outlives the pod ([`Backing::Shared`]), by data key.
    pub shared: &'a mut BTreeMap<String, Layer>,
    pub mounts: &'a [Mount],
    pub generated: &'a Generated,
}

/// `/a/b/../c/` -> `/a/c`, relative to `cwd`.
pub fn normalize(cwd: &str, path: &str) -> String {
    let joined = if path.starts_with('/') {
        path.to_string()
    } else {
        format!("{cwd}/{path}")
    };
    let mut parts: Vec<&str> = Vec::new();
    for p in joined.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            _ => parts.push(p),
        }
    }
    format!("/{}", parts.join("/"))
}

fn parent(path: &str) -> &str {
    match path.rfind('/') {
        Some(0) | None => "/",
        Some(i) => &path[..i],
    }
}

fn is_under(path: &str, dir: &str) -> bool {
    dir == "/" || path == dir || (path.starts_with(dir) && path.as_bytes().get(dir.len()) == Some(&b'/'))
}

/// Where a path lives.
enum Place<'m> {
    Volume { mount: &'m Mount, rel: String },
    Root,
}

/// What a path is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Stat {
    File(Arc<str>),
    Dir,
}

impl FsView<'_> {
    /// The files behind a mount (`None`: nothing was written to it yet).
    fn data(&self, m: &Mount) -> Option<&Layer> {
        match &m.backing {
            Backing::Pod => self.volumes.get(&m.volume),
            Backing::Snapshot(k) => self.volumes.get(k),
            Backing::Shared(k) => self.shared.get(k),
        }
    }

    fn data_mut(&mut self, m: &Mount) -> &mut Layer {
        match &m.backing {
            Backing::Pod => self.volumes.entry(m.volume.clone()).or_default(),
            Backing::Snapshot(k) => self.volumes.entry(k.clone()).or_default(),
            Backing::Shared(k) => self.shared.entry(k.clone()).or_default(),
        }
    }

    fn place(&self, path: &str) -> Place<'_> {
        // The longest mount path wins, as with nested bind mounts.
        let m = self
            .mounts
            .iter()
            .filter(|m| is_under(path, &m.path))
            .max_by_key(|m| m.path.len());
        match m {
            Some(mount) => {
                let rest = &path[mount.path.len().min(path.len())..];
                let rel = normalize("/", &format!("{}{rest}", mount.sub_path));
                Place::Volume { mount, rel }
            }
            None => Place::Root,
        }
    }

    fn image_stat(&self, path: &str) -> Option<Stat> {
        for img in self.image {
            if let Some((_, c)) = img.files.iter().find(|(p, _)| *p == path) {
                return Some(Stat::File(Arc::from(*c)));
            }
            if path == "/" || img.dirs.contains(&path) {
                return Some(Stat::Dir);
            }
            let prefix = format!("{path}/");
            if img.files.iter().any(|(p, _)| p.starts_with(&prefix)) || img.dirs.iter().any(|d| d.starts_with(&prefix))
            {
                return Some(Stat::Dir);
            }
        }
        None
    }

    /// What is at `path` (absolute, normalized).
    pub fn stat(&self, path: &str) -> Option<Stat> {
        if let Some(c) = self.generated.files.get(path) {
            return Some(Stat::File(Arc::from(c.as_str())));
        }
        if self.generated.files.keys().any(|k| is_under(k, path) && k != path) {
            return Some(Stat::Dir);
        }
        match self.place(path) {
            Place::Volume { mount, rel } => match self.data(mount).and_then(|vol| layer_stat(vol, &rel, None)) {
                Some(s) => Some(s),
                // A volume nothing has written to yet is an empty directory, and the kubelet
                // creates a missing `subPath` directory before it mounts it.
                None => (path == mount.path && rel == normalize("/", &mount.sub_path)).then_some(Stat::Dir),
            },
            Place::Root => {
                if self.mounts.iter().any(|m| is_under(&m.path, path)) {
                    return Some(Stat::Dir);
                }
                layer_stat(self.layer, path, Some(self.image_stat(path)))
            }
        }
    }

    pub fn exists(&self, path: &str) -> bool {
        self.stat(path).is_some()
    }

    pub fn is_dir(&self, path: &str) -> bool {
        matches!(self.stat(path), Some(Stat::Dir))
    }

    pub fn read(&self, path: &str) -> Result<Arc<str>, FsError> {
        match self.stat(path) {
            Some(Stat::File(c)) => Ok(c),
            Some(Stat::Dir) => Err(FsError::IsDir),
            None => Err(FsError::NotFound),
        }
    }

    fn writable(&mut self, path: &str) -> Result<(&mut Layer, String), FsError> {
        if self.generated.files.contains_key(path) {
            return Err(FsError::ReadOnly);
        }
        let (mount, rel) = match self.place(path) {
            Place::Volume { mount, rel } => (Some(mount.clone()), rel),
            Place::Root => (None, path.to_string()),
        };
        if mount.as_ref().is_some_and(|m| m.read_only) {
            return Err(FsError::ReadOnly);
        }
        Ok(match mount {
            Some(m) => (self.data_mut(&m), rel),
            None => (&mut *self.layer, rel),
        })
    }

    /// Writes (or appends to) a file; the parent directory must exist.
    pub fn write(&mut self, path: &str, content: &str, append: bool) -> Result<(), FsError> {
        match self.stat(parent(path)) {
            Some(Stat::Dir) => {}
            Some(Stat::File(_)) => return Err(FsError::NotDir),
            None => return Err(FsError::NotFound),
        }
        let old = match self.stat(path) {
            Some(Stat::Dir) => return Err(FsError::IsDir),
            Some(Stat::File(c)) => Some(c),
            None => None,
        };
        let text: Arc<str> = match (append, old) {
            (true, Some(o)) => Arc::from(format!("{o}{content}")),
            _ => Arc::from(content),
        };
        let (layer, rel) = self.writable(path)?;
        layer.entries.insert(rel, Entry::File(text));
        Ok(())
    }

    /// `mkdir` (`parents`: `mkdir -p`, no error when it exists).
    pub fn mkdir(&mut self, path: &str, parents: bool) -> Result<(), FsError> {
        match self.stat(path) {
            Some(Stat::Dir) if parents => return Ok(()),
            Some(_) => return Err(FsError::Exists),
            None => {}
        }
        let up = parent(path).to_string();
        match self.stat(&up) {
            Some(Stat::Dir) => {}
            Some(Stat::File(_)) => return Err(FsError::NotDir),
            None if parents => self.mkdir(&up, true)?,
            None => return Err(FsError::NotFound),
        }
        let (layer, rel) = self.writable(path)?;
        layer.entries.insert(rel, Entry::Dir);
        Ok(())
    }

    /// Removes a file, or a directory tree when `recursive`.
    pub fn remove(&mut self, path: &str, recursive: bool) -> Result<(), FsError> {
        match self.stat(path) {
            None => return Err(FsError::NotFound),
            Some(Stat::Dir) if !recursive => return Err(FsError::IsDir),
            _ => {}
        }
        if path == "/" || self.mounts.iter().any(|m| m.path == path) {
            // A mount point cannot go; its content can.
            for child in self.list(path).unwrap_or_default() {
                let p = if path == "/" {
                    format!("/{child}")
                } else {
                    format!("{path}/{child}")
                };
                let _ = self.remove(&p, true);
            }
            return Ok(());
        }
        let children: Vec<String> = self.list(path).unwrap_or_default();
        for child in children {
            let _ = self.remove(&format!("{path}/{child}"), true);
        }
        let in_image = matches!(self.place(path), Place::Root) && self.image_stat(path).is_some();
        let (layer, rel) = self.writable(path)?;
        let prefix = format!("{rel}/");
        layer.entries.retain(|k, _| !k.starts_with(&prefix));
        if in_image {
            layer.entries.insert(rel, Entry::Deleted);
        } else {
            layer.entries.remove(&rel);
        }
        Ok(())
    }

    /// Names in a directory, sorted (`ls` order in the C locale).
    pub fn list(&self, path: &str) -> Result<Vec<String>, FsError> {
        match self.stat(path) {
            Some(Stat::Dir) => {}
            Some(Stat::File(_)) => return Err(FsError::NotDir),
            None => return Err(FsError::NotFound),
        }
        let mut names: BTreeSet<String> = BTreeSet::new();
        let child_of = |p: &str, dir: &str| -> Option<String> {
            let rest = if dir == "/" {
                p.strip_prefix('/')?
            } else {
                p.strip_prefix(dir)?.strip_prefix('/')?
            };
            let first = rest.split('/').next()?;
            (!first.is_empty()).then(|| first.to_string())
        };
        let mut candidates: Vec<String> = Vec::new();
        match self.place(path) {
            Place::Volume { mount, rel } => {
                if let Some(v) = self.data(mount) {
                    for (k, e) in &v.entries {
                        if *e != Entry::Deleted {
                            if let Some(n) = child_of(k, &rel) {
                                names.insert(n);
                            }
                        }
                    }
                }
            }
            Place::Root => {
                for img in self.image {
                    candidates.extend(img.files.iter().map(|(p, _)| p.to_string()));
                    candidates.extend(img.dirs.iter().map(|d| d.to_string()));
                }
                candidates.extend(self.layer.entries.keys().cloned());
                candidates.extend(self.mounts.iter().map(|m| m.path.clone()));
            }
        }
        candidates.extend(self.generated.files.keys().cloned());
        for c in candidates {
            if let Some(n) = child_of(&c, path) {
                names.insert(n);
            }
        }
        let dir = path.to_string();
        Ok(names
            .into_iter()
            .filter(|n| {
                let full = if dir == "/" {
                    format!("/{n}")
                } else {
                    format!("{dir}/{n}")
                };
                self.exists(&full)
            })
            .collect())
    }
}

/// Looks a path up in a layer, falling back to `below` (the image) when the layer says nothing.
fn layer_stat(layer: &Layer, path: &str, below: Option<Option<Stat>>) -> Option<Stat> {
    // A deleted ancestor hides everything under it.
    let mut p = path;
    while p != "/" {
        p = parent(p);
        if matches!(layer.entries.get(p), Some(Entry::Deleted)) {
            return None;
        }
    }
    match layer.entries.get(path) {
        Some(Entry::File(c)) => return Some(Stat::File(c.clone())),
        Some(Entry::Dir) => return Some(Stat::Dir),
        Some(Entry::Deleted) => return None,
        None => {}
    }
    if path == "/" {
        return Some(Stat::Dir);
    }
    let prefix = format!("{path}/");
    let has_child = layer
        .entries
        .range(prefix.clone()..)
        .take_while(|(k, _)| k.starts_with(&prefix))
        .any(|(_, e)| *e != Entry::Deleted);
    if has_child {
        return Some(Stat::Dir);
    }
    below.flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    const IMG: ImageFs = ImageFs {
        dirs: &["/bin", "/tmp", "/etc"],
        files: &[
            ("/usr/share/nginx/html/index.html", "hello\n"),
            ("/usr/share/nginx/html/50x.html", "oops\n"),
        ],
    };

    #[test]
    fn overlay_reads_writes_and_whiteouts() {
        let mut layer = Layer::default();
        let mut vols = BTreeMap::new();
        let mut shared = BTreeMap::new();
        let gen = Generated::default();
        let mut fs = FsView {
            image: &[IMG],
            layer: &mut layer,
            volumes: &mut vols,
            shared: &mut shared,
            mounts: &[],
            generated: &gen,
        };
        assert_eq!(&*fs.read("/usr/share/nginx/html/index.html").unwrap(), "hello\n");
        assert!(fs.is_dir("/usr/share"));
        fs.remove("/usr/share/nginx/html/index.html", false).unwrap();
        assert_eq!(fs.read("/usr/share/nginx/html/index.html"), Err(FsError::NotFound));
        assert_eq!(fs.list("/usr/share/nginx/html").unwrap(), vec!["50x.html"]);
        fs.write("/tmp/a", "1\n", false).unwrap();
        fs.write("/tmp/a", "2\n", true).unwrap();
        assert_eq!(&*fs.read("/tmp/a").unwrap(), "1\n2\n");
        assert_eq!(fs.write("/nope/a", "x", false), Err(FsError::NotFound));
        fs.mkdir("/lagou/k8s/index.html", true).unwrap();
        assert!(fs.is_dir("/lagou/k8s/index.html"));
        fs.remove("/usr", true).unwrap();
        assert!(!fs.exists("/usr/share/nginx/html/50x.html"));
        assert_eq!(fs.list("/").unwrap(), vec!["bin", "etc", "lagou", "tmp"]);
    }

    #[test]
    fn volumes_are_shared_and_outlive_the_layer() {
        let mut vols = BTreeMap::new();
        let mut shared = BTreeMap::new();
        let gen = Generated::default();
        let mounts = [Mount {
            path: "/usr/share/nginx/html".into(),
            volume: "html".into(),
            read_only: false,
            ..Default::default()
        }];
        {
            let mut layer = Layer::default();
            let mut fs = FsView {
                image: &[IMG],
                layer: &mut layer,
                volumes: &mut vols,
                shared: &mut shared,
                mounts: &mounts,
                generated: &gen,
            };
            // The mount hides the image's files.
            assert_eq!(fs.list("/usr/share/nginx/html").unwrap(), Vec::<String>::new());
            fs.write("/usr/share/nginx/html/index.html", "from the volume\n", false)
                .unwrap();
        }
        let mut layer = Layer::default();
        let fs = FsView {
            image: &[IMG],
            layer: &mut layer,
            volumes: &mut vols,
            shared: &mut shared,
            mounts: &mounts,
            generated: &gen,
        };
        assert_eq!(
            &*fs.read("/usr/share/nginx/html/index.html").unwrap(),
            "from the volume\n"
        );
        assert_eq!(normalize("/usr", "../etc/./hosts"), "/etc/hosts");
    }
}
