//! The web app in a real browser (headless Chromium via wasm-bindgen-test-runner; `./x test`
//! runs it). Each test mounts its own app into its own element, with its own storage prefix and
//! no address-bar routing, and looks only inside it. Lessons are given to the app up front (the
//! page fetches them; the test runner serves no lesson files).
#![cfg(target_arch = "wasm32")]

use std::rc::Rc;
use std::time::Duration;

use kubelab_web::lessons::{Catalog, LESSON_FILES, SANDBOX_ID};
use kubelab_web::{App, AppProps};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement, KeyboardEvent, KeyboardEventInit};
use yew::AttrValue;

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

fn storage() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

/// A fresh element in the page, with a unique id.
fn new_root(id: &str) -> Element {
    let root = document().create_element("div").unwrap();
    root.set_id(id);
    document().body().unwrap().append_child(&root).unwrap();
    root
}

/// The id of a real lesson file, so the address resolves; its content is the test's own.
fn lesson_id() -> &'static str {
    LESSON_FILES.iter().find(|f| f.id != SANDBOX_ID).unwrap().id
}

/// A small two-step lesson (independent of the real curriculum's text).
fn catalog() -> Rc<Catalog> {
    let id = lesson_id();
    let lesson = format!(
        r#"
id: {id}
title: {{zh: 测试课程, en: "Test lesson <b>bold</b>"}}
summary: {{zh: 测试, en: A lesson for the browser tests}}
steps:
  - title: {{zh: 节点, en: Nodes}}
    text: {{zh: 看看节点。, en: "Look at the nodes with `kubectl get nodes`."}}
    task: {{zh: 列出节点。, en: List the nodes.}}
    goal:
      - ran: {{command: get nodes}}
    hints:
      - {{zh: 输入命令。, en: Type the command.}}
    solution: kubectl get nodes
  - title: {{zh: 部署, en: Deploy}}
    text: {{zh: 创建 Deployment。, en: Create a deployment.}}
    task: {{zh: 两个副本。, en: Two replicas of nginx.}}
    goal:
      - deployment_available: {{name: web, replicas: 2}}
    solution: |
      kubectl create deployment web --image=nginx --replicas=2
      sleep 10
"#
    );
    let sandbox = "id: sandbox\ntitle: {zh: 沙盒, en: Sandbox}\nsummary: {zh: 随便试, en: Try anything}\n";
    let file = format!("01-{id}.yaml");
    let catalog = Catalog::from_texts([("00-sandbox.yaml", sandbox), (file.as_str(), lesson.as_str())]);
    assert!(catalog.errors.is_empty(), "{:?}", catalog.errors);
    Rc::new(catalog)
}

/// Renders the full app into a new element; `prefix` keeps its storage apart.
fn render_app(id: &str, prefix: &str, start: &str) -> (Element, yew::AppHandle<App>) {
    let root = new_root(id);
    let props = AppProps {
        catalog: Some(catalog()),
        storage_prefix: AttrValue::from(prefix.to_string()),
        routing: false,
        start: Some(AttrValue::from(start.to_string())),
    };
    let handle = yew::Renderer::<App>::with_root_and_props(root.clone(), props).render();
    (root, handle)
}

/// Rendering is asynchronous: give the scheduler a moment.
async fn settle() {
    yew::platform::time::sleep(Duration::from_millis(60)).await;
}

/// Waits (up to 5 s) until `f` holds.
async fn until(what: &str, f: impl Fn() -> bool) {
    for _ in 0..100 {
        if f() {
            return;
        }
        yew::platform::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("timed out waiting for {what}");
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

/// The console's text ("" before it is drawn).
fn output_text(root: &Element) -> String {
    root.query_selector("[data-testid=console-output]")
        .ok()
        .flatten()
        .and_then(|e| e.text_content())
        .unwrap_or_default()
}

#[wasm_bindgen_test]
async fn the_page_has_a_console_a_diagram_and_a_lesson() {
    let (root, _app) = render_app("app-parts", "t-parts/", &format!("#/lesson/{}/1", lesson_id()));
    settle().await;
    find(&root, "console-input");
    assert!(output_text(&root).contains("Welcome to kubelab"));
    assert_eq!(find(&root, "cluster-diagram").tag_name().to_lowercase(), "svg");
    find(&root, "lesson-panel");
    assert_eq!(count(&root, "[data-testid=lesson-step]"), 2);
    assert_eq!(
        find(&root, "lesson-title").text_content().unwrap(),
        "Test lesson <b>bold</b>",
        "lesson text is text"
    );
    assert_eq!(count(&root, "b"), 0);
    // The default cluster: a control-plane node and three workers.
    assert_eq!(count(&root, "[data-testid=node]"), 4);
    assert_eq!(count(&root, "[data-testid=node][data-role=control-plane]"), 1);
}

#[wasm_bindgen_test]
async fn a_typed_command_is_echoed_and_answered() {
    let (root, _app) = render_app("app-typing", "t-typing/", "#/sandbox");
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
    let (root, _app) = render_app("app-heredoc", "t-heredoc/", "#/sandbox");
    settle().await;
    let prompt = || root.query_selector(".prompt").unwrap().unwrap().text_content().unwrap();
    type_line(&root, "cat <<EOF").await;
    assert_eq!(prompt(), ">");
    type_line(&root, "hello").await;
    type_line(&root, "EOF").await;
    assert_eq!(prompt(), "$");
    assert!(
        output_text(&root).contains("> hello\n> EOF\nhello\n"),
        "{:?}",
        output_text(&root)
    );
}

#[wasm_bindgen_test]
async fn the_goal_ticks_green_as_the_cluster_gets_there() {
    let (root, _app) = render_app("app-goal", "t-goal/", &format!("#/lesson/{}/1", lesson_id()));
    settle().await;
    let met = |root: &Element| find(root, "goal-check").get_attribute("data-met").unwrap_or_default();
    assert_eq!(met(&root), "false");
    // A command from the lesson text goes into the input, not run.
    let cmd: HtmlElement = find(&root, "lesson-command").dyn_into().unwrap();
    cmd.click();
    settle().await;
    let input: HtmlInputElement = find(&root, "console-input").dyn_into().unwrap();
    assert_eq!(input.value(), "kubectl get nodes");
    assert_eq!(met(&root), "false");
    type_line(&root, &input.value()).await;
    until("the first goal", || met(&root) == "true").await;
    find(&root, "goal-met");

    // Step 2 waits for the cluster: the check turns green when the rollout is done.
    let next: HtmlElement = find(&root, "lesson-next").dyn_into().unwrap();
    next.click();
    settle().await;
    let active = || {
        root.query_selector("[data-testid=lesson-step][data-active=true] [data-testid=goal-check]")
            .unwrap()
            .unwrap()
            .get_attribute("data-met")
            .unwrap()
    };
    assert_eq!(active(), "false");
    type_line(&root, "kubectl create deployment web --image=nginx --replicas=2").await;
    assert_eq!(active(), "false", "not available yet");
    let step: HtmlElement = find(&root, "clock-step").dyn_into().unwrap();
    step.click();
    until("the rollout", || active() == "true").await;
    find(&root, "lesson-complete");
}

#[wasm_bindgen_test]
async fn a_remount_restores_cluster_history_and_progress() {
    let start = format!("#/lesson/{}/1", lesson_id());
    let (root, app) = render_app("app-save", "t-save/", &start);
    settle().await;
    type_line(&root, "kubectl get nodes").await;
    type_line(&root, "kubectl create deployment saved --image=nginx").await;
    until("the goal", || count(&root, "[data-testid=goal-met]") == 1).await;
    let before = output_text(&root);
    app.destroy();
    root.remove();

    let (root, _app) = render_app("app-save-2", "t-save/", &start);
    until("the replay", || output_text(&root).contains("Restored this sandbox")).await;
    assert!(output_text(&root).starts_with(&before), "{}", output_text(&root));
    assert_eq!(
        find(&root, "lesson-step").get_attribute("data-done").as_deref(),
        Some("true"),
        "the step stays done"
    );
    assert!(count(&root, "[data-testid=pod][data-name^=saved-]") >= 1);
    // ArrowUp brings back the last command.
    let input: HtmlInputElement = find(&root, "console-input").dyn_into().unwrap();
    let init = KeyboardEventInit::new();
    init.set_key("ArrowUp");
    init.set_bubbles(true);
    input
        .dispatch_event(&KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap())
        .unwrap();
    assert_eq!(input.value(), "kubectl create deployment saved --image=nginx");
}

#[wasm_bindgen_test]
async fn a_damaged_save_shows_a_notice_and_starts_fresh() {
    storage()
        .set_item("t-damaged/sandbox/sandbox", "{\"v\":1,\"events\":[[\"c\"")
        .unwrap();
    let (root, _app) = render_app("app-damaged", "t-damaged/", "#/sandbox");
    settle().await;
    let notice = find(&root, "notice").text_content().unwrap();
    assert!(notice.contains("could not be restored"), "{notice}");
    assert!(storage().get_item("t-damaged/backup/sandbox").unwrap().is_some());
    type_line(&root, "kubectl get ns").await;
    assert!(output_text(&root).contains("kube-system"));
}

#[wasm_bindgen_test]
async fn hostile_names_and_logs_stay_text() {
    let (root, _app) = render_app("app-hostile", "t-hostile/", "#/sandbox");
    settle().await;
    let xss = "<img src=x onerror=alert(1)>";
    type_line(&root, &format!("kubectl create deployment '{xss}' --image=nginx")).await;
    type_line(
        &root,
        &format!("kubectl run logger --image=busybox -- sh -c 'echo \"{xss}\"; sleep 3600'"),
    )
    .await;
    type_line(&root, &format!("kubectl annotate pod logger note='{xss}'")).await;
    let step: HtmlElement = find(&root, "clock-step").dyn_into().unwrap();
    step.click();
    settle().await;
    type_line(&root, "kubectl logs logger").await;
    assert!(
        output_text(&root).contains(&format!("$ kubectl logs logger\n{xss}\n")),
        "{}",
        output_text(&root)
    );
    assert_eq!(count(&root, "img"), 0);
    assert_eq!(count(&root, "[onerror]"), 0);
}

#[wasm_bindgen_test]
async fn mounted_sandboxes_are_independent() {
    let (a, b) = (new_root("sandbox-a"), new_root("sandbox-b"));
    assert!(kubelab_web::mount("sandbox-a"));
    assert!(kubelab_web::mount("sandbox-b"));
    assert!(!kubelab_web::mount("no-such-element"));
    settle().await;
    assert!(
        a.query_selector("[data-testid=lesson-panel]").unwrap().is_none(),
        "a sandbox has no lesson"
    );
    type_line(&a, "kubectl get pods").await;
    assert!(output_text(&a).contains("$ kubectl get pods"));
    assert!(!output_text(&b).contains("$ kubectl get pods"));
}
