//! The browser's `localStorage`, behind three small functions; natively (unit tests) an in-memory
//! map per thread stands in for it. Errors are messages for the learner: storage may be disabled
//! (private windows, blocked cookies) or full.

#[cfg(target_arch = "wasm32")]
mod imp {
    use wasm_bindgen::JsValue;

    fn storage() -> Result<web_sys::Storage, String> {
        match web_sys::window().map(|w| w.local_storage()) {
            Some(Ok(Some(s))) => Ok(s),
            _ => Err("this browser does not let the page store data (storage is disabled)".into()),
        }
    }

    fn describe(e: JsValue) -> String {
        let name = js_sys::Reflect::get(&e, &JsValue::from_str("name"))
            .ok()
            .and_then(|n| n.as_string())
            .unwrap_or_default();
        if name.contains("Quota") {
            "the browser's storage for this site is full".into()
        } else if name.is_empty() {
            "the browser refused to store data".into()
        } else {
            format!("the browser refused to store data ({name})")
        }
    }

    pub fn get(key: &str) -> Result<Option<String>, String> {
        storage()?.get_item(key).map_err(describe)
    }

    pub fn set(key: &str, value: &str) -> Result<(), String> {
        storage()?.set_item(key, value).map_err(describe)
    }

    pub fn remove(key: &str) {
        if let Ok(s) = storage() {
            let _ = s.remove_item(key);
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod imp {
    use std::cell::RefCell;
    use std::collections::BTreeMap;

    thread_local! {
        static MAP: RefCell<BTreeMap<String, String>> = const { RefCell::new(BTreeMap::new()) };
        /// Tests set this to make every `set` fail like a full storage.
        pub static FULL: RefCell<bool> = const { RefCell::new(false) };
    }

    pub fn get(key: &str) -> Result<Option<String>, String> {
        Ok(MAP.with(|m| m.borrow().get(key).cloned()))
    }

    pub fn set(key: &str, value: &str) -> Result<(), String> {
        if FULL.with(|f| *f.borrow()) {
            return Err("the browser's storage for this site is full".into());
        }
        MAP.with(|m| m.borrow_mut().insert(key.to_string(), value.to_string()));
        Ok(())
    }

    pub fn remove(key: &str) {
        MAP.with(|m| m.borrow_mut().remove(key));
    }

    pub fn set_full(full: bool) {
        FULL.with(|f| *f.borrow_mut() = full);
    }
}

pub use imp::{get, remove, set};

/// Makes every later `set` fail as if the storage were full (native tests only).
#[cfg(not(target_arch = "wasm32"))]
pub fn set_full_for_tests(full: bool) {
    imp::set_full(full);
}

/// A millisecond wall clock for budgeting work per frame: `performance.now()` in the browser.
pub fn wall_ms() -> f64 {
    #[cfg(target_arch = "wasm32")]
    {
        web_sys::window()
            .and_then(|w| w.performance())
            .map(|p| p.now())
            .unwrap_or_else(js_sys::Date::now)
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        use std::sync::OnceLock;
        use std::time::Instant;
        static START: OnceLock<Instant> = OnceLock::new();
        START.get_or_init(Instant::now).elapsed().as_secs_f64() * 1000.0
    }
}
