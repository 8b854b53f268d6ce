//! kubelab's web app: a console, a live diagram of the simulated cluster and a lesson, all in one
//! page, with no server. `state` owns the sandbox; the other modules are prop-driven views.
//!
//! Two ways in: [`App`] is the full page (`main.rs` renders it), and [`mount`] puts a bare sandbox
//! (console + diagram) into any element, so a page can hold several independent ones.

pub mod clock;
pub mod console;
pub mod diagram;
pub mod lesson_panel;
pub mod state;

use wasm_bindgen::prelude::*;
use yew::prelude::*;

use clock::Clock;
use console::Console;
use diagram::Diagram;
use lesson_panel::{Lang, LessonPanel, LESSON_1};
use state::{Action, SimHandle, SimProvider};

const WELCOME: &str = "Welcome to kubelab: a simulated Kubernetes cluster running in this tab.\nType kubectl commands below, e.g. kubectl get nodes. Ctrl-L clears, ↑/↓ browse history.\n";

/// The full page: header, lesson, diagram and console around one sandbox.
#[function_component]
pub fn App() -> Html {
    let lang = use_state(Lang::detect);
    use_effect_with((), |_| mark("kubelab-ready"));
    let on_lang = {
        let lang = lang.clone();
        Callback::from(move |to: Lang| lang.set(to))
    };
    html! {
        <SimProvider welcome={WELCOME}>
            <div class="kl-app">
                <header class="topbar">
                    <a class="brand" href="./" aria-label="kubelab home">
                        <svg class="logo" viewBox="0 0 32 32" aria-hidden="true">
                            <path d="M16 2.5 28 9v14L16 29.5 4 23V9z" />
                            <circle cx="16" cy="16" r="4.2" />
                        </svg>
                        <span class="name">{ "kubelab" }</span>
                    </a>
                    <span class="tagline">
                        { if *lang == Lang::Zh { "在浏览器标签页里学习 Kubernetes" } else { "Learn Kubernetes in a browser tab" } }
                    </span>
                </header>
                <main class="layout">
                    <LessonSlot lang={*lang} on_lang={on_lang} />
                    <Workbench autofocus=true />
                </main>
            </div>
        </SimProvider>
    }
}

#[derive(Properties, PartialEq)]
struct LessonSlotProps {
    lang: Lang,
    on_lang: Callback<Lang>,
}

/// Connects the lesson panel to the sandbox (a clicked command becomes a suggestion).
#[function_component]
fn LessonSlot(props: &LessonSlotProps) -> Html {
    let sim = use_context::<SimHandle>().expect("LessonSlot inside SimProvider");
    let dispatcher = sim.dispatcher();
    let on_command = Callback::from(move |cmd: String| dispatcher.dispatch(Action::Suggest(cmd)));
    html! {
        <LessonPanel lesson={LESSON_1} lang={props.lang} on_lang={props.on_lang.clone()} on_command={on_command} />
    }
}

#[derive(Properties, PartialEq)]
pub struct WorkbenchProps {
    #[prop_or_default]
    pub autofocus: bool,
}

/// Diagram (with the clock) above the console, for the sandbox in context.
#[function_component]
pub fn Workbench(props: &WorkbenchProps) -> Html {
    let sim = use_context::<SimHandle>().expect("Workbench inside SimProvider");
    let d = sim.dispatcher();
    let send = |f: fn(()) -> Action| {
        let d = d.clone();
        Callback::from(move |()| d.dispatch(f(())))
    };
    let on_tick = d.to_callback().reform(Action::Tick);
    let on_speed = d.to_callback().reform(Action::SetSpeed);
    let on_step = d.to_callback().reform(Action::Step);
    let on_submit = d.to_callback().reform(Action::Submit);
    let view = sim.view.clone();
    let (nodes, pods) = (
        view.nodes.len(),
        view.nodes.iter().map(|n| n.pods.len()).sum::<usize>() + view.unscheduled.len(),
    );
    html! {
        <section class="workbench">
            <div class="card diagram-card">
                <div class="card-head">
                    <div class="card-title">
                        <h2>{ "Cluster" }</h2>
                        <span class="summary" data-testid="cluster-summary">
                            { format!("{nodes} node{} · {pods} pod{}", plural(nodes), plural(pods)) }
                        </span>
                    </div>
                    <Clock now_ms={sim.now_ms} paused={sim.paused} speed={sim.speed} on_tick={on_tick}
                        on_toggle={send(|_| Action::TogglePause)} on_speed={on_speed} on_step={on_step} />
                </div>
                <Diagram view={view} />
                { legend() }
            </div>
            <div class="card console-card">
                <Console entries={sim.entries.clone()} history={sim.history.clone()} continuation={sim.continuation}
                    suggestion={sim.suggestion.clone()} on_submit={on_submit}
                    on_clear={send(|_| Action::Clear)} on_interrupt={send(|_| Action::Interrupt)} autofocus={props.autofocus} />
            </div>
        </section>
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// What the pod colours mean (a plain function: no component overhead).
fn legend() -> Html {
    let items = [
        ("pending", "Pending"),
        ("creating", "ContainerCreating"),
        ("running", "Running"),
        ("notready", "Not ready"),
        ("failed", "Failed"),
        ("terminating", "Terminating"),
        ("system", "System (kube-system)"),
    ];
    html! {
        <ul class="legend" aria-label="Pod colours">
            { for items.iter().map(|(class, label)| html! {
                <li><span class={classes!("swatch", *class)}></span>{ *label }</li>
            }) }
        </ul>
    }
}

#[derive(Properties, PartialEq)]
pub struct SandboxProps {
    #[prop_or(1)]
    pub seed: u64,
}

/// A bare sandbox for embedding: its own session, diagram and console, no lesson.
#[function_component]
pub fn Sandbox(props: &SandboxProps) -> Html {
    html! {
        <SimProvider seed={props.seed}>
            <div class="kl-app kl-embed">
                <Workbench />
            </div>
        </SimProvider>
    }
}

/// Mounts an independent sandbox into the element with id `element_id` (from JavaScript:
/// `wasmBindings.mount("demo-1")`). Returns false when no such element exists.
#[wasm_bindgen]
pub fn mount(element_id: &str) -> bool {
    let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(element_id))
    else {
        return false;
    };
    let seed = root
        .get_attribute("data-seed")
        .and_then(|s| s.parse().ok())
        .unwrap_or(1);
    yew::Renderer::<Sandbox>::with_root_and_props(root, SandboxProps { seed }).render();
    true
}

/// The page's entry point: one sandbox into every `[data-kubelab-sandbox]` element if the page
/// has any (an embedding page), else the full app into `#kubelab` or the body.
pub fn start() {
    mark("kubelab-start");
    install_panic_hook();
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if let Ok(list) = doc.query_selector_all("[data-kubelab-sandbox]") {
        if list.length() > 0 {
            for i in 0..list.length() {
                if let Some(el) = list
                    .item(i)
                    .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
                {
                    let seed = el
                        .get_attribute("data-seed")
                        .and_then(|s| s.parse().ok())
                        .unwrap_or(1);
                    yew::Renderer::<Sandbox>::with_root_and_props(el, SandboxProps { seed })
                        .render();
                }
            }
            return;
        }
    }
    match doc.get_element_by_id("kubelab") {
        Some(root) => {
            root.set_inner_html(""); // the "Starting the cluster…" placeholder
            yew::Renderer::<App>::with_root(root).render()
        }
        None => yew::Renderer::<App>::new().render(),
    };
}

/// A `performance.mark` for `./x bench` (wasm started, app first drawn).
fn mark(name: &str) {
    if let Some(perf) = web_sys::window().and_then(|w| w.performance()) {
        let _ = perf.mark(name);
    }
}

/// A panic aborts the wasm module: at least say so on the page and in the browser console.
fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let msg = format!("kubelab stopped: {info}");
        web_sys::console::error_1(&msg.as_str().into());
        if let Some(body) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.body())
        {
            let doc = body.owner_document();
            if let Some(banner) = doc.and_then(|d| d.create_element("div").ok()) {
                banner.set_class_name("kl-crash");
                banner.set_text_content(Some(
                    "Something went wrong inside kubelab. Reload the page to start a new cluster.",
                ));
                let _ = body.append_child(&banner);
            }
        }
    }));
}
