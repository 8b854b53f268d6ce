//! kubectl's reference texts: the `--help` pages (`help/`) and the `explain` schema
//! (`explain/`), about 140 KB of text.
//!
//! Native builds (the CLI, the tests) carry them. The web bundle does not: its first download
//! has to stay small (issue #6: they were 25 KB of the wasm's gzip), and few learners ask for
//! help in their first seconds. The web app fetches [`FILES`] from `dist/kubectl/` while it
//! draws its first frame and hands them over with [`install`]. While [`loading`] is true it
//! holds typed lines back, so a `--help` typed at once still prints kubectl's text, a moment
//! later; if the fetch fails, [`get`] reports the texts as missing and `--help` and `explain`
//! say so.

use std::cell::RefCell;
use std::collections::BTreeMap;

macro_rules! files {
    ($($name:literal),* $(,)?) => {
        /// Every text, by its path under `crates/kubectl/` (and under `dist/kubectl/`).
        pub const FILES: &[&str] = &[$($name),*];

        #[cfg(not(target_arch = "wasm32"))]
        fn built_in(name: &str) -> Option<&'static str> {
            match name {
                $($name => Some(include_str!(concat!("../", $name))),)*
                _ => None,
            }
        }
    };
}

files! {
    "help/kubectl.txt",
    "help/commands.tsv",
    "help/get.txt",
    "help/describe.txt",
    "help/create.txt",
    "help/apply.txt",
    "help/delete.txt",
    "help/logs.txt",
    "help/exec.txt",
    "help/run.txt",
    "help/scale.txt",
    "help/expose.txt",
    "help/rollout.txt",
    "help/label.txt",
    "explain/schema.txt",
}

/// Where the fetched texts are (the web app; native builds never use it).
#[derive(Debug)]
enum Status {
    /// Nobody asked for them (a test page, an embedding page that mounts sandboxes itself).
    NotRequested,
    Loading,
    Loaded,
    Failed(String),
}

struct Store {
    status: Status,
    texts: BTreeMap<&'static str, &'static str>,
}

thread_local! {
    /// Per thread: the page has one; native tests each get their own.
    static STORE: RefCell<Store> = const {
        RefCell::new(Store {
            status: Status::NotRequested,
            texts: BTreeMap::new(),
        })
    };
}

fn with_store<R>(f: impl FnOnce(&mut Store) -> R) -> R {
    STORE.with(|s| f(&mut s.borrow_mut()))
}

/// The text `name` (one of [`FILES`]), or why it is not here.
pub fn get(name: &str) -> Result<&'static str, String> {
    #[cfg(not(target_arch = "wasm32"))]
    if let Some(text) = built_in(name) {
        return Ok(text);
    }
    with_store(|s| match s.texts.get(name) {
        Some(text) => Ok(*text),
        None => Err(match &s.status {
            Status::Failed(why) => format!("kubectl's reference texts could not be loaded ({why})"),
            Status::Loading => "kubectl's reference texts are still loading".to_string(),
            Status::NotRequested | Status::Loaded => format!("kubectl's reference text {name} is missing"),
        }),
    })
}

/// The web app starts fetching the texts: typed lines wait until [`finish`]. False (nothing to
/// do) when they are already loading or loaded.
pub fn start_loading() -> bool {
    with_store(|s| {
        let start = matches!(s.status, Status::NotRequested | Status::Failed(_));
        if start {
            s.status = Status::Loading;
        }
        start
    })
}

/// Installs one fetched text. It lives as long as the page (each is installed once).
pub fn install(name: &str, text: String) {
    let Some(name) = FILES.iter().copied().find(|f| *f == name) else {
        return;
    };
    let text: &'static str = Box::leak(text.into_boxed_str());
    with_store(|s| {
        s.texts.insert(name, text);
    });
}

/// The fetch is over: `Err` says why it failed (help then reports it).
pub fn finish(result: Result<(), String>) {
    with_store(|s| {
        s.status = match result {
            Ok(()) => Status::Loaded,
            Err(why) => Status::Failed(why),
        }
    });
}

/// True while a fetch is under way: the console holds lines back until it is over.
pub fn loading() -> bool {
    with_store(|s| matches!(s.status, Status::Loading))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_is_built_in_natively() {
        for name in FILES {
            assert!(!get(name).expect(name).is_empty(), "{name}");
        }
        assert!(get("help/nope.txt").is_err());
    }

    #[test]
    fn a_fetch_holds_lines_until_it_is_over_and_a_failure_is_reported() {
        assert!(!loading(), "nothing asked for the texts");
        assert!(start_loading());
        assert!(loading());
        assert!(!start_loading(), "one fetch at a time");
        assert_eq!(
            get("help/nope.txt").unwrap_err(),
            "kubectl's reference texts are still loading"
        );
        install("help/other.txt", "ignored: not one of FILES".into());
        finish(Err("help/get.txt: HTTP 404".into()));
        assert!(!loading());
        assert_eq!(
            get("help/nope.txt").unwrap_err(),
            "kubectl's reference texts could not be loaded (help/get.txt: HTTP 404)"
        );
    }
}
