//! The web app in a real browser (headless Chromium via wasm-bindgen-test-runner; `./x test`
//! runs it). Each test mounts its own app into its own element and looks only inside it.
#![cfg(target_arch = "wasm32")]

use std::time::Duration;

use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement, KeyboardEvent, KeyboardEventInit};

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

/// A fresh element in the page, with a unique id.
fn new_root(id: &str) -> Element {
    let root = document().create_element("div").unwrap();
    root.set_id(id);
    document().body().unwrap().append_child(&root).unwrap();
    root
}

/// Rendering is asynchronous: give the scheduler a moment.
async fn settle() {
    yew::platform::time::sleep(Duration::from_millis(60)).await;
}

fn find(root: &Element, testid: &str) -> Element {
    root.query_selector(&format!("[data-testid={testid}]"))
        .unwrap()
        .unwrap_or_else(|| panic!("no [data-testid={testid}] in {}", root.inner_html()))
}

fn count(root: &Element, selector: &str) -> u32 {
    root.query_selector_all(selector).unwrap().length()
}

/// Types `line` into the console input and presses Enter, as a learner would.
async fn type_line(root: &Element, line: &str) {
    let input: HtmlInputElement = find(root, "console-input").dyn_into().unwrap();
    input.set_value(line);
    let init = KeyboardEventInit::new();
    init.set_key("Enter");
    init.set_bubbles(true);
    init.set_cancelable(true);
    let event = KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    input.dispatch_event(&event).unwrap();
    settle().await;
}

fn output_text(root: &Element) -> String {
    find(root, "console-output")
        .text_content()
        .unwrap_or_default()
}

#[wasm_bindgen_test]
async fn the_page_has_a_console_a_diagram_and_a_lesson() {
    let root = new_root("app-parts");
    yew::Renderer::<kubelab_web::App>::with_root(root.clone()).render();
    settle().await;
    find(&root, "console-input");
    assert!(output_text(&root).contains("Welcome to kubelab"));
    assert_eq!(
        find(&root, "cluster-diagram").tag_name().to_lowercase(),
        "svg"
    );
    find(&root, "lesson-panel");
    assert!(count(&root, "[data-testid=lesson-step]") >= 5);
    // The default cluster: a control-plane node and three workers.
    assert_eq!(
        count(&root, "[data-testid=node]"),
        4,
        "{}",
        find(&root, "cluster-diagram").outer_html()
    );
    assert_eq!(
        count(&root, "[data-testid=node][data-role=control-plane]"),
        1
    );
}

#[wasm_bindgen_test]
async fn a_typed_command_is_echoed_and_answered() {
    let root = new_root("app-typing");
    yew::Renderer::<kubelab_web::App>::with_root(root.clone()).render();
    settle().await;
    type_line(&root, "kubectl get nodes").await;
    let text = output_text(&root);
    let after = text
        .split("$ kubectl get nodes\n")
        .nth(1)
        .unwrap_or_else(|| panic!("no echo in {text:?}"));
    assert!(
        after.contains("NAME") && after.contains("control-plane"),
        "kubectl's table: {text:?}"
    );
    let input: HtmlInputElement = find(&root, "console-input").dyn_into().unwrap();
    assert_eq!(input.value(), "", "Enter empties the input");

    // An unknown command: an error in the stderr colour, and the console keeps working.
    type_line(&root, "kubectl frobnicate").await;
    assert!(count(&root, "[data-testid=console-output] .stderr") >= 1);
    type_line(&root, "kubectl version --client").await;
    assert!(output_text(&root).contains("$ kubectl version --client\n"));
}

#[wasm_bindgen_test]
async fn a_heredoc_shows_the_continuation_prompt() {
    let root = new_root("app-heredoc");
    yew::Renderer::<kubelab_web::App>::with_root(root.clone()).render();
    settle().await;
    type_line(&root, "cat <<EOF").await;
    assert_eq!(
        root.query_selector(".prompt")
            .unwrap()
            .unwrap()
            .text_content()
            .unwrap(),
        ">"
    );
    type_line(&root, "hello").await;
    type_line(&root, "EOF").await;
    assert_eq!(
        root.query_selector(".prompt")
            .unwrap()
            .unwrap()
            .text_content()
            .unwrap(),
        "$"
    );
    assert!(
        output_text(&root).contains("> hello\n> EOF\nhello\n"),
        "{:?}",
        output_text(&root)
    );
}

#[wasm_bindgen_test]
async fn clicking_a_lesson_command_puts_it_in_the_console() {
    let root = new_root("app-lesson");
    yew::Renderer::<kubelab_web::App>::with_root(root.clone()).render();
    settle().await;
    let cmd: HtmlElement = find(&root, "lesson-command").dyn_into().unwrap();
    cmd.click();
    settle().await;
    let input: HtmlInputElement = find(&root, "console-input").dyn_into().unwrap();
    assert_eq!(input.value(), "kubectl get nodes");
}

#[wasm_bindgen_test]
async fn mounted_sandboxes_are_independent() {
    let (a, b) = (new_root("sandbox-a"), new_root("sandbox-b"));
    assert!(kubelab_web::mount("sandbox-a"));
    assert!(kubelab_web::mount("sandbox-b"));
    assert!(!kubelab_web::mount("no-such-element"));
    settle().await;
    assert!(
        a.query_selector("[data-testid=lesson-panel]")
            .unwrap()
            .is_none(),
        "a sandbox has no lesson"
    );
    type_line(&a, "kubectl get pods").await;
    assert!(output_text(&a).contains("$ kubectl get pods"));
    assert!(!output_text(&b).contains("$ kubectl get pods"));
}
