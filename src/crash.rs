//! When the wasm module panics: say so clearly, keep what is saved, offer a way out.
//!
//! The release build aborts on panic (`panic = "abort"`), but the panic hook runs before the
//! abort. It builds a small overlay with plain DOM calls (no Yew: the module is about to die)
//! whose two buttons are JavaScript functions, so they keep working after the abort: "Reload"
//! reloads the page (the sandbox is restored from its saved events, which stop before the
//! command that crashed, because a command is recorded only once it has finished) and "Reset
//! this sandbox" removes the open sandbox's saved events first. Lesson progress is never
//! touched. All text goes in with `textContent`.

use std::cell::{Cell, RefCell};

use wasm_bindgen::JsCast;

thread_local! {
    /// Storage keys of the open sandbox (its events, its replay marker).
    static SANDBOX: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
    static ZH: Cell<bool> = const { Cell::new(false) };
    static SHOWN: Cell<bool> = const { Cell::new(false) };
}

/// Remembers which sandbox "Reset" would remove (`None`: nothing to remove).
pub fn set_sandbox(keys: Option<(crate::persist::Keys, String)>) {
    let list = keys
        .map(|(k, id)| vec![k.sandbox(&id), k.replaying(&id)])
        .unwrap_or_default();
    let _ = SANDBOX.try_with(|s| {
        if let Ok(mut s) = s.try_borrow_mut() {
            *s = list;
        }
    });
}

/// The language of the crash message.
pub fn set_zh(zh: bool) {
    let _ = ZH.try_with(|z| z.set(zh));
}

/// The JavaScript flag that says the module died (read by [`ReplayGuard`]'s `pagehide` handler).
const CRASHED: &str = "__kubelabCrashed";

/// Installs the hook (once, at start). Through Yew, which otherwise replaces any hook with its
/// own (console only) when the first app renders. A trap that is not a panic (stack overflow,
/// out of memory) skips the hook; a plain JavaScript `error` listener notes those.
pub fn install() {
    if let Some(w) = web_sys::window() {
        let on_error = js_sys::Function::new_with_args(
            "e",
            &format!("if (e && e.error instanceof WebAssembly.RuntimeError) window.{CRASHED} = true"),
        );
        let _ = w.add_event_listener_with_callback("error", &on_error);
    }
    yew::set_custom_panic_hook(Box::new(|info| {
        if let Some(w) = web_sys::window() {
            let _ = js_sys::Reflect::set(&w, &CRASHED.into(), &true.into());
        }
        let msg = format!("{info}");
        web_sys::console::error_1(&format!("kubelab stopped: {msg}").into());
        if SHOWN.try_with(|s| s.replace(true)).unwrap_or(true) {
            return;
        }
        show(&msg);
    }));
}

fn show(message: &str) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Some(body) = doc.body() else {
        return;
    };
    let zh = ZH.try_with(Cell::get).unwrap_or(false);
    let keys = SANDBOX
        .try_with(|s| s.try_borrow().map(|s| s.clone()).unwrap_or_default())
        .unwrap_or_default();
    let t = |en: &'static str, zh_text: &'static str| if zh { zh_text } else { en };
    let el = |tag: &str, class: &str, text: Option<&str>| {
        let e = doc.create_element(tag).ok()?;
        if !class.is_empty() {
            e.set_class_name(class);
        }
        if text.is_some() {
            e.set_text_content(text);
        }
        Some(e)
    };
    let build = || -> Option<()> {
        let overlay = el("div", "kl-crash", None)?;
        overlay.set_attribute("role", "alertdialog").ok()?;
        overlay.set_attribute("aria-modal", "true").ok()?;
        overlay.set_attribute("data-testid", "crash").ok()?;
        let card = el("div", "kl-crash-card", None)?;
        let title = el("h2", "", Some(t("kubelab stopped", "kubelab 停止运行了")))?;
        card.append_child(&title).ok()?;
        let text = el(
            "p",
            "",
            Some(t(
                "An internal error stopped the simulated cluster. What you saved is safe: reload to continue where you left off. If it happens again, reset this sandbox (your lesson progress stays).",
                "一个内部错误让模拟集群停止了运行。已保存的内容没有丢失：重新加载页面即可从上次的位置继续。如果再次出现，请重置这个沙盒（课程进度会保留）。",
            )),
        )?;
        card.append_child(&text).ok()?;
        let detail = el("pre", "kl-crash-detail", Some(message))?;
        card.append_child(&detail).ok()?;
        let row = el("div", "kl-crash-actions", None)?;
        let reload = el("button", "primary", Some(t("Reload", "重新加载")))?;
        reload.set_attribute("data-testid", "crash-reload").ok()?;
        let on_reload = js_sys::Function::new_no_args("location.reload()");
        reload.add_event_listener_with_callback("click", &on_reload).ok()?;
        row.append_child(&reload).ok()?;
        if !keys.is_empty() {
            let reset = el("button", "ghost", Some(t("Reset this sandbox", "重置这个沙盒")))?;
            reset.set_attribute("data-testid", "crash-reset").ok()?;
            let removals: String = keys
                .iter()
                .map(|k| {
                    format!(
                        "localStorage.removeItem({});",
                        serde_json::to_string(k).unwrap_or_else(|_| "\"\"".into())
                    )
                })
                .collect();
            let on_reset =
                js_sys::Function::new_no_args(&format!("try {{ {removals} }} catch (e) {{}} location.reload()"));
            reset.add_event_listener_with_callback("click", &on_reset).ok()?;
            row.append_child(&reset).ok()?;
        }
        card.append_child(&row).ok()?;
        overlay.append_child(&card).ok()?;
        body.append_child(&overlay).ok()?;
        if let Some(button) = reload.dyn_ref::<web_sys::HtmlElement>() {
            let _ = button.focus();
        }
        Some(())
    };
    let _ = build();
}

/// While a saved sandbox is replayed, a storage key says so. A replay that kills the page
/// (a bug the saved commands trigger) leaves the key behind, and the next load starts that
/// sandbox fresh instead of crashing again. A replay that ends, a sandbox closed mid-replay and
/// a page left mid-replay (`pagehide`, unless the module died) all remove the key.
pub struct ReplayGuard {
    key: String,
    #[cfg(target_arch = "wasm32")]
    on_pagehide: js_sys::Function,
}

impl ReplayGuard {
    pub fn new(key: String) -> Self {
        let _ = crate::storage::set(&key, "1");
        #[cfg(target_arch = "wasm32")]
        {
            let quoted = serde_json::to_string(&key).unwrap_or_else(|_| "\"\"".into());
            // Plain JavaScript: it must work after the module died.
            let on_pagehide = js_sys::Function::new_no_args(&format!(
                "if (!window.{CRASHED}) {{ try {{ localStorage.removeItem({quoted}) }} catch (e) {{}} }}"
            ));
            if let Some(w) = web_sys::window() {
                let _ = w.add_event_listener_with_callback("pagehide", &on_pagehide);
            }
            ReplayGuard { key, on_pagehide }
        }
        #[cfg(not(target_arch = "wasm32"))]
        ReplayGuard { key }
    }
}

impl Drop for ReplayGuard {
    fn drop(&mut self) {
        crate::storage::remove(&self.key);
        #[cfg(target_arch = "wasm32")]
        if let Some(w) = web_sys::window() {
            let _ = w.remove_event_listener_with_callback("pagehide", &self.on_pagehide);
        }
    }
}
