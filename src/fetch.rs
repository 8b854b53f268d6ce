//! Fetching text files that ship next to the page (`dist/`): the lessons and kubectl's help and
//! explain texts, which stay out of the wasm so its first download is small (issue #6).

/// The text of a fetch under way (`window.fetch_with_str(url)`: callers start several together);
/// the error says what went wrong, for a notice.
#[cfg(target_arch = "wasm32")]
pub async fn response_text(request: js_sys::Promise) -> Result<String, String> {
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    let response: web_sys::Response = JsFuture::from(request)
        .await
        .map_err(|_| "the network request failed".to_string())?
        .dyn_into()
        .map_err(|_| "not a response".to_string())?;
    if !response.ok() {
        return Err(format!("HTTP {}", response.status()));
    }
    let text = JsFuture::from(response.text().map_err(|_| "no body".to_string())?)
        .await
        .map_err(|_| "the body could not be read".to_string())?;
    text.as_string().ok_or_else(|| "not text".to_string())
}
