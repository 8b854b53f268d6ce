//! kubectl's help pages and explain schema, fetched when the page starts, alongside its first
//! render rather than before it (see `kubelab_kubectl::texts`): Trunk copies
//! `crates/kubectl/{help,explain}` to `dist/kubectl/`. Until they are in, the sandboxes hold
//! typed and replayed lines back (`Sim`'s queue), so an early `kubectl get --help` still prints
//! kubectl's text.

include!(concat!(env!("OUT_DIR"), "/kubectl_texts.rs"));

/// Where a text is fetched from, relative to the page.
pub fn url(name: &str) -> String {
    format!("kubectl/{name}?v={KUBECTL_TEXTS_VERSION}")
}

/// Lines wait at most this long for the texts; then they run and `--help` reports the failure.
pub const GIVE_UP_MS: u32 = 5_000;

/// Starts fetching every text, unless that is done or under way (again after a failure);
/// sandboxes hold lines until it is over, or for [`GIVE_UP_MS`] at most (a request that hangs
/// must not hang the console; the texts are still installed if they come later).
#[cfg(target_arch = "wasm32")]
pub fn load() {
    use kubelab_kubectl::texts;
    if !texts::start_loading() {
        return;
    }
    gloo::timers::callback::Timeout::new(GIVE_UP_MS, || {
        if texts::loading() {
            texts::finish(Err(format!("no answer in {} s", GIVE_UP_MS / 1000)));
        }
    })
    .forget();
    wasm_bindgen_futures::spawn_local(async {
        let Some(window) = web_sys::window() else {
            texts::finish(Err("no window".into()));
            return;
        };
        let requests: Vec<_> = texts::FILES
            .iter()
            .map(|name| (*name, window.fetch_with_str(&url(name))))
            .collect();
        let mut failed = Vec::new();
        for (name, request) in requests {
            match crate::fetch::response_text(request).await {
                Ok(text) => texts::install(name, text),
                Err(e) => failed.push(format!("{name}: {e}")),
            }
        }
        texts::finish(if failed.is_empty() {
            Ok(())
        } else {
            Err(failed.join("; "))
        });
    });
}

/// Outside a browser the texts are built in.
#[cfg(not(target_arch = "wasm32"))]
pub fn load() {}
