//! kubelab's web app: a console, a live diagram of the simulated cluster and a lesson, all in one
//! page, with no server. `state` owns the sandbox; the other modules are prop-driven views.
//!
//! Two ways in: [`App`] is the full page (`main.rs` renders it): lessons, one saved sandbox per
//! lesson plus a free sandbox, addresses like `#/lesson/rolling-updates/3`; and [`mount`] puts a
//! bare, unsaved sandbox (console + diagram) into any element, so a page can hold several.

pub mod clock;
pub mod console;
pub mod crash;
pub mod diagram;
pub mod fetch;
pub mod kubectl_texts;
pub mod lesson_panel;
pub mod lessons;
pub mod persist;
pub mod sandbox_notices;
pub mod state;
pub mod storage;

use std::collections::BTreeMap;
use std::rc::Rc;

use kubelab_lessons::{Lang, StepStart};
use wasm_bindgen::prelude::*;
use yew::prelude::*;

use clock::Clock;
use console::Console;
use diagram::Diagram;
use lesson_panel::{lang_tag, LessonList, LessonPanel, SandboxPanel};
use lessons::{Catalog, Route, LESSON_FILES, SANDBOX_ID};
use persist::{Keys, LessonProgress, LoadError, Progress, DEFAULT_PREFIX};
use state::{Action, Phase, SimHandle, SimProvider};

const WELCOME: &str = "Welcome to kubelab: a simulated Kubernetes cluster running in this tab.\nType kubectl commands below, e.g. kubectl get nodes. Ctrl-L clears, ↑/↓ browse history.\n";

/// English or Chinese, for the app's own words.
pub fn tr(lang: Lang, en: &'static str, zh: &'static str) -> &'static str {
    match lang {
        Lang::En => en,
        Lang::Zh => zh,
    }
}

/// Chinese for `zh*` language tags, English otherwise.
pub fn lang_from_tag(tag: &str) -> Lang {
    if tag.to_ascii_lowercase().starts_with("zh") {
        Lang::Zh
    } else {
        Lang::En
    }
}

/// The browser's preferred language (English outside a browser).
pub fn detect_lang() -> Lang {
    web_sys::window()
        .and_then(|w| w.navigator().language())
        .map(|tag| lang_from_tag(&tag))
        .unwrap_or(Lang::En)
}

/// Where the lessons come from.
#[derive(Clone, Debug, PartialEq)]
pub enum CatalogState {
    Loading,
    Ready(Rc<Catalog>),
    Failed(String),
}

/// Something the page tells the learner, outside any sandbox.
#[derive(Clone, Debug, PartialEq, Eq)]
enum AppNotice {
    /// Lesson progress could not be read; it starts over (the old value is kept as a backup).
    ProgressDamaged(LoadError),
    /// The address names no lesson.
    UnknownAddress(String),
    /// Lesson progress could not be saved.
    ProgressNotSaved(String),
}

#[derive(Properties, PartialEq)]
pub struct AppProps {
    /// Lessons given up front (tests); the page fetches `lessons/*.yaml` after the first paint.
    #[prop_or_default]
    pub catalog: Option<Rc<Catalog>>,
    /// Prefix of every storage key (tests give each app its own).
    #[prop_or(AttrValue::Static(DEFAULT_PREFIX))]
    pub storage_prefix: AttrValue,
    /// Follow and update the address bar. Tests that mount several apps turn it off and say
    /// where to start with `start` (an address like `#/lesson/pods/2`).
    #[prop_or(true)]
    pub routing: bool,
    #[prop_or_default]
    pub start: Option<AttrValue>,
}

impl Default for AppProps {
    fn default() -> Self {
        AppProps {
            catalog: None,
            storage_prefix: AttrValue::Static(DEFAULT_PREFIX),
            routing: true,
            start: None,
        }
    }
}

fn location_hash() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

/// Sets the address without reloading: a new history entry (`push`) or in place.
fn set_address(href: &str, push: bool) {
    let Some(w) = web_sys::window() else { return };
    if w.location().hash().ok().as_deref() == Some(href) {
        return;
    }
    if let Ok(history) = w.history() {
        let _ = if push {
            history.push_state_with_url(&JsValue::NULL, "", Some(href))
        } else {
            history.replace_state_with_url(&JsValue::NULL, "", Some(href))
        };
    }
}

fn load_progress(keys: &Keys) -> (Progress, Option<AppNotice>) {
    match storage::get(&keys.progress()) {
        Ok(Some(raw)) => match Progress::decode(&raw) {
            Ok(p) => (p, None),
            Err(e) => {
                let _ = storage::set(&keys.backup("progress"), &raw);
                storage::remove(&keys.progress());
                (Progress::default(), Some(AppNotice::ProgressDamaged(e)))
            }
        },
        _ => (Progress::default(), None),
    }
}

/// The first lesson of the course (by file order), for a first visit.
fn first_lesson() -> Route {
    LESSON_FILES
        .iter()
        .find(|f| f.id != SANDBOX_ID)
        .map(|f| Route::Lesson {
            id: f.id.to_string(),
            step: None,
        })
        .unwrap_or(Route::Sandbox)
}

/// Turns what the address asks for into what is shown: `Home` resumes, a missing step is the
/// saved one, a step past the end is the last.
fn resolve(route: &Route, progress: &Progress, catalog: &CatalogState) -> Route {
    let home = || match progress.last.as_deref() {
        Some(SANDBOX_ID) => Route::Sandbox,
        Some(id) if LESSON_FILES.iter().any(|f| f.id == id) => Route::Lesson {
            id: id.to_string(),
            step: None,
        },
        _ => first_lesson(),
    };
    let route = match route {
        Route::Home | Route::Unknown(_) => home(),
        other => other.clone(),
    };
    match route {
        Route::Lesson { id, step } => {
            let saved = progress.lessons.get(&id).map(|p| p.step);
            let mut step = step.or(saved).unwrap_or(0);
            if let CatalogState::Ready(c) = catalog {
                if let Some(l) = c.get(&id) {
                    step = step.min(l.steps.len().saturating_sub(1));
                }
            }
            Route::Lesson { id, step: Some(step) }
        }
        other => other,
    }
}

/// A change to one lesson's progress: (lesson id, what to change).
type LessonUpdate = (String, Rc<dyn Fn(&mut LessonProgress)>);

/// The full page.
#[function_component]
pub fn App(props: &AppProps) -> Html {
    let keys = use_memo(props.storage_prefix.clone(), |p| Keys::new(p));
    let catalog = use_state(|| match &props.catalog {
        Some(c) => CatalogState::Ready(c.clone()),
        None => CatalogState::Loading,
    });
    let loaded = use_state(|| {
        let (p, notice) = load_progress(&keys);
        (Rc::new(p), notice)
    });
    let progress = use_state(|| loaded.0.clone());
    let notices = use_state(|| loaded.1.iter().cloned().collect::<Vec<AppNotice>>());
    let asked = use_state(|| {
        let hash = if props.routing {
            location_hash()
        } else {
            props.start.as_deref().unwrap_or("").to_string()
        };
        Route::parse(&hash)
    });
    // Reset generation per sandbox: part of the sandbox's key, so a reset remounts it fresh.
    let generation = use_state(BTreeMap::<String, u32>::new);
    let show_list = use_state(|| false);
    let lang = progress.lang.unwrap_or_else(detect_lang);
    crash::set_zh(lang == Lang::Zh);

    use_effect_with((), |_| mark("kubelab-ready"));

    // Lessons load after the first paint.
    {
        let catalog = catalog.clone();
        use_effect_with((), move |_| {
            if *catalog == CatalogState::Loading {
                load_catalog(catalog);
            }
        });
    }

    // The back and forward buttons, and addresses typed or pasted into the bar.
    {
        let (asked, routing) = (asked.clone(), props.routing);
        use_effect_with(routing, move |&routing| {
            let listener = routing.then(|| {
                let window = web_sys::window().expect("a window");
                gloo::events::EventListener::new(&window, "hashchange", move |_| {
                    asked.set(Route::parse(&location_hash()));
                })
            });
            move || drop(listener)
        });
    }

    // An unknown address: say so once, then show where the learner would land anyway.
    {
        let notices = notices.clone();
        use_effect_with((*asked).clone(), move |asked| {
            if let Route::Unknown(what) = asked {
                let mut list = (*notices).clone();
                list.retain(|n| !matches!(n, AppNotice::UnknownAddress(_)));
                list.push(AppNotice::UnknownAddress(what.clone()));
                notices.set(list);
            }
        });
    }

    let route = resolve(&asked, &progress, &catalog);
    let sandbox_id = route.sandbox_id().unwrap_or(SANDBOX_ID).to_string();

    // Keep the address canonical (in place), and remember where the learner is.
    {
        let (progress, keys, notices, routing) = (progress.clone(), keys.clone(), notices.clone(), props.routing);
        use_effect_with(route.clone(), move |route| {
            if routing {
                set_address(&route.href(), false);
            }
            let mut p = (*progress).as_ref().clone();
            let id = route.sandbox_id().map(str::to_string);
            let mut changed = p.last != id;
            p.last = id;
            if let Route::Lesson { id, step: Some(step) } = route {
                let entry = p.lessons.entry(id.clone()).or_default();
                if entry.step != *step {
                    entry.step = *step;
                    changed = true;
                }
            }
            if changed {
                save_progress(&keys, &p, &notices);
                progress.set(Rc::new(p));
            }
        });
    }

    let navigate = {
        let (asked, show_list, routing) = (asked.clone(), show_list.clone(), props.routing);
        Callback::from(move |to: Route| {
            if routing {
                set_address(&to.href(), true);
            }
            show_list.set(false);
            asked.set(to);
        })
    };
    let update_lesson = {
        let (progress, keys, notices) = (progress.clone(), keys.clone(), notices.clone());
        Callback::from(move |(id, f): LessonUpdate| {
            let mut p = (*progress).as_ref().clone();
            let before = p.lessons.get(&id).cloned();
            f(p.lessons.entry(id.clone()).or_default());
            if p.lessons.get(&id) != before.as_ref() {
                save_progress(&keys, &p, &notices);
                progress.set(Rc::new(p));
            }
        })
    };
    // A fresh cluster for the open sandbox (lesson progress kept).
    let fresh = {
        let (generation, keys) = (generation.clone(), keys.clone());
        let id = sandbox_id.clone();
        Callback::from(move |()| {
            storage::remove(&keys.sandbox(&id));
            storage::remove(&keys.replaying(&id));
            let mut g = (*generation).clone();
            *g.entry(id.clone()).or_default() += 1;
            generation.set(g);
        })
    };
    // "Reset lesson": a fresh cluster and the lesson from step 1.
    let reset = {
        let (fresh, update_lesson, navigate) = (fresh.clone(), update_lesson.clone(), navigate.clone());
        let id = sandbox_id.clone();
        Callback::from(move |()| {
            fresh.emit(());
            if id != SANDBOX_ID {
                update_lesson.emit((
                    id.clone(),
                    Rc::new(|p: &mut LessonProgress| *p = LessonProgress::default()),
                ));
                navigate.emit(Route::Lesson {
                    id: id.clone(),
                    step: Some(0),
                });
            }
        })
    };
    let on_lang = {
        let (progress, keys, notices) = (progress.clone(), keys.clone(), notices.clone());
        Callback::from(move |to: Lang| {
            let mut p = (*progress).as_ref().clone();
            p.lang = Some(to);
            save_progress(&keys, &p, &notices);
            progress.set(Rc::new(p));
        })
    };
    let toggle_list = {
        let show_list = show_list.clone();
        Callback::from(move |()| show_list.set(!*show_list))
    };
    let dismiss = {
        let notices = notices.clone();
        Callback::from(move |i: usize| {
            let mut list = (*notices).clone();
            if i < list.len() {
                list.remove(i);
            }
            notices.set(list);
        })
    };

    let sandbox_key = format!("{sandbox_id}#{}", generation.get(&sandbox_id).copied().unwrap_or(0));
    let lang_button = |to: Lang, label: &'static str| {
        let on_lang = on_lang.clone();
        html! {
            <button class={classes!("seg", (lang == to).then_some("on"))} aria-pressed={(lang == to).to_string()}
                data-testid={format!("lang-{}", persist::lang_code(to))}
                onclick={move |_| on_lang.emit(to)}>{ label }</button>
        }
    };
    let column = LessonColumn {
        route: route.clone(),
        catalog: (*catalog).clone(),
        progress: (*progress).clone(),
        lang,
        show_list: *show_list,
        navigate: navigate.clone(),
        update_lesson,
        reset: reset.clone(),
        toggle_list: toggle_list.clone(),
    };
    let app_notices: Vec<Html> = notices
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let text = app_notice_text(n, lang);
            notice_html(i, "warn", text, dismiss.clone(), lang)
        })
        .collect();
    let on_sandbox_button = {
        let navigate = navigate.clone();
        Callback::from(move |_: MouseEvent| navigate.emit(Route::Sandbox))
    };
    let on_lessons_button = toggle_list.reform(|_: MouseEvent| ());
    html! {
        <div class="kl-app" lang={lang_tag(lang)}>
            <header class="topbar">
                <a class="brand" href="#/" aria-label="kubelab home">
                    <svg class="logo" viewBox="0 0 32 32" aria-hidden="true">
                        <path d="M16 2.5 28 9v14L16 29.5 4 23V9z" />
                        <circle cx="16" cy="16" r="4.2" />
                    </svg>
                    <span class="name">{ "kubelab" }</span>
                </a>
                <span class="tagline">{ tr(lang, "Learn Kubernetes in a browser tab", "在浏览器标签页里学习 Kubernetes") }</span>
                <nav class="topnav">
                    <button class={classes!("nav", (*show_list).then_some("on"))} data-testid="nav-lessons" onclick={on_lessons_button}>
                        { tr(lang, "Lessons", "课程") }
                    </button>
                    <button class={classes!("nav", (route == Route::Sandbox && !*show_list).then_some("on"))} data-testid="nav-sandbox" onclick={on_sandbox_button}>
                        { tr(lang, "Sandbox", "沙盒") }
                    </button>
                    <div class="segmented small" role="group" aria-label="Language">
                        { lang_button(Lang::En, "EN") }{ lang_button(Lang::Zh, "中文") }
                    </div>
                </nav>
            </header>
            <main class="layout">
                <SimProvider key={sandbox_key} welcome={WELCOME} persist={Some(((*keys).clone(), sandbox_id.clone()))}
                    needs_setup={sandbox_id != SANDBOX_ID}>
                    <Notices app={app_notices} lang={lang} sandbox={sandbox_id.clone()} on_reset={reset.clone()} />
                    { column.view() }
                    <Workbench autofocus=true on_reset={Some(fresh)} lang={lang} />
                </SimProvider>
            </main>
        </div>
    }
}

#[cfg(target_arch = "wasm32")]
fn load_catalog(state: UseStateHandle<CatalogState>) {
    wasm_bindgen_futures::spawn_local(async move {
        state.set(match lessons::fetch_catalog().await {
            Ok(c) => CatalogState::Ready(Rc::new(c)),
            Err(e) => CatalogState::Failed(e),
        });
    });
}

#[cfg(not(target_arch = "wasm32"))]
fn load_catalog(state: UseStateHandle<CatalogState>) {
    state.set(CatalogState::Failed("lessons are fetched in the browser".into()));
}

fn save_progress(keys: &Keys, p: &Progress, notices: &UseStateHandle<Vec<AppNotice>>) {
    match storage::set(&keys.progress(), &p.encode()) {
        Ok(()) => {
            if notices.iter().any(|n| matches!(n, AppNotice::ProgressNotSaved(_))) {
                let mut list = (**notices).clone();
                list.retain(|n| !matches!(n, AppNotice::ProgressNotSaved(_)));
                notices.set(list);
            }
        }
        Err(e) => {
            if !notices.iter().any(|n| matches!(n, AppNotice::ProgressNotSaved(_))) {
                let mut list = (**notices).clone();
                list.push(AppNotice::ProgressNotSaved(e));
                notices.set(list);
            }
        }
    }
}

fn app_notice_text(n: &AppNotice, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    match n {
        AppNotice::ProgressDamaged(e) if zh => format!(
            "无法读取你的课程进度：{}。进度已从头开始（旧数据另存了一份）。",
            e.reason(true)
        ),
        AppNotice::ProgressDamaged(e) => format!(
            "Your lesson progress could not be read: {}. It starts over (a copy of the old data was kept).",
            e.reason(false)
        ),
        AppNotice::UnknownAddress(what) if zh => format!("没有这个地址对应的课程：“{what}”。"),
        AppNotice::UnknownAddress(what) => format!("There is no lesson at “{what}”."),
        AppNotice::ProgressNotSaved(e) if zh => format!("课程进度无法保存：{e}。"),
        AppNotice::ProgressNotSaved(e) => format!("Your lesson progress is not being saved: {e}."),
    }
}

fn notice_html(i: usize, level: &'static str, text: String, dismiss: Callback<usize>, lang: Lang) -> Html {
    html! {
        <div class={classes!("notice", level)} role="alert" data-testid="notice">
            <span class="notice-text">{ text }</span>
            <button class="notice-close" data-testid="notice-dismiss" aria-label={tr(lang, "Dismiss", "关闭")}
                onclick={move |_| dismiss.emit(i)}>{ "×" }</button>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct NoticesProps {
    app: Vec<Html>,
    lang: Lang,
    sandbox: String,
    on_reset: Callback<()>,
}

/// The page's notices and the open sandbox's, stacked in one corner.
#[function_component]
fn Notices(props: &NoticesProps) -> Html {
    let sim = use_context::<SimHandle>().expect("Notices inside SimProvider");
    let lang = props.lang;
    let zh = lang == Lang::Zh;
    let name = if props.sandbox == SANDBOX_ID {
        tr(lang, "the sandbox", "沙盒").to_string()
    } else if zh {
        format!("课程 “{}”", props.sandbox)
    } else {
        format!("lesson “{}”", props.sandbox)
    };
    let sim_notices = sandbox_notices::items(&sim, &name, lang);
    let all: Vec<Html> = props.app.iter().cloned().chain(sim_notices).collect();
    if all.is_empty() {
        return html! {};
    }
    html! { <div class="notices" aria-live="polite">{ for all }</div> }
}

/// The lesson column's inputs (a plain struct: the column is a function, not a component).
struct LessonColumn {
    route: Route,
    catalog: CatalogState,
    progress: Rc<Progress>,
    lang: Lang,
    show_list: bool,
    navigate: Callback<Route>,
    update_lesson: Callback<LessonUpdate>,
    reset: Callback<()>,
    toggle_list: Callback<()>,
}

impl LessonColumn {
    fn view(&self) -> Html {
        let lang = self.lang;
        let catalog = match &self.catalog {
            CatalogState::Ready(c) => c.clone(),
            CatalogState::Loading => {
                return html! {
                    <section class="lesson loading" data-testid="lesson-loading" aria-busy="true">
                        <div class="skeleton title"></div>
                        <div class="skeleton line"></div>
                        <div class="skeleton line short"></div>
                        <div class="skeleton block"></div>
                        <p class="muted">{ tr(lang, "Loading the lessons…", "正在加载课程…") }</p>
                    </section>
                };
            }
            CatalogState::Failed(e) => {
                return html! {
                    <section class="lesson failed" data-testid="lesson-failed">
                        <Unblock />
                        <h2>{ tr(lang, "The lessons could not be loaded", "课程加载失败") }</h2>
                        <p>{ e.clone() }</p>
                        <p class="muted">{ tr(lang, "The sandbox on the right works anyway. Reload the page to try again.", "右边的沙盒照常可用。重新加载页面可以再试一次。") }</p>
                    </section>
                };
            }
        };
        let current = self.route.sandbox_id().map(str::to_string);
        if self.show_list {
            let toggle = self.toggle_list.clone();
            return html! {
                <LessonList catalog={catalog} progress={self.progress.clone()} current={current}
                    lang={lang} on_open={self.navigate.clone()} on_close={Callback::from(move |()| toggle.emit(()))} />
            };
        }
        match &self.route {
            Route::Lesson { id, step: Some(step) } => {
                let Some(lesson) = catalog.get(id).cloned() else {
                    return html! {
                        <>
                            <Unblock />
                            <LessonList catalog={catalog} progress={self.progress.clone()} current={current}
                                lang={lang} on_open={self.navigate.clone()} on_close={Callback::noop()} />
                        </>
                    };
                };
                if lesson.steps.is_empty() {
                    return html! { <SandboxPanel lesson={Some(lesson)} lang={lang} on_reset={self.reset.clone()} on_list={self.toggle_list.clone()} /> };
                }
                let number = catalog.course().position(|l| l.id == *id).unwrap_or(0) + 1;
                let progress = self.progress.lessons.get(id).cloned().unwrap_or_default();
                let navigate = self.navigate.clone();
                let lesson_id = id.clone();
                let on_step = Callback::from(move |s: usize| {
                    navigate.emit(Route::Lesson {
                        id: lesson_id.clone(),
                        step: Some(s),
                    })
                });
                let (u1, u2) = (self.update_lesson.clone(), self.update_lesson.clone());
                let (id1, id2) = (id.clone(), id.clone());
                let on_done = Callback::from(move |s: usize| {
                    u1.emit((
                        id1.clone(),
                        Rc::new(move |p: &mut LessonProgress| {
                            p.done.insert(s);
                        }),
                    ));
                });
                let on_start = Callback::from(move |(s, start): (usize, StepStart)| {
                    u2.emit((
                        id2.clone(),
                        Rc::new(move |p: &mut LessonProgress| p.start = Some((s, start))),
                    ));
                });
                html! {
                    <LessonPanel lesson={lesson.clone()} number={number} step={*step} progress={progress} lang={lang}
                        next_lesson={catalog.next_after(id).cloned()} on_step={on_step} on_done={on_done} on_start={on_start}
                        on_reset={self.reset.clone()} on_open={self.navigate.clone()} on_list={self.toggle_list.clone()} />
                }
            }
            _ => html! {
                <SandboxPanel lesson={catalog.get(SANDBOX_ID).cloned()} lang={lang} on_reset={self.reset.clone()} on_list={self.toggle_list.clone()} />
            },
        }
    }
}

/// A lesson sandbox whose lesson cannot be loaded would wait for its setup forever: start it as
/// a plain cluster instead, so the console works.
#[function_component]
fn Unblock() -> Html {
    let sim = use_context::<SimHandle>().expect("Unblock inside SimProvider");
    let awaiting = sim.phase == Phase::AwaitingSetup;
    let d = sim.dispatcher();
    use_effect_with(awaiting, move |&awaiting| {
        if awaiting {
            d.dispatch(Action::Setup {
                label: "The lesson could not be loaded: this is a plain cluster.".into(),
                script: String::new(),
            });
        }
    });
    html! {}
}

#[derive(Properties, PartialEq)]
pub struct WorkbenchProps {
    #[prop_or_default]
    pub autofocus: bool,
    /// Offered when restoring takes long (the full page; embedded sandboxes are not saved).
    #[prop_or_default]
    pub on_reset: Option<Callback<()>>,
    #[prop_or(Lang::En)]
    pub lang: Lang,
}

/// Diagram (with the clock) above the console, for the sandbox in context.
#[function_component]
pub fn Workbench(props: &WorkbenchProps) -> Html {
    let sim = use_context::<SimHandle>().expect("Workbench inside SimProvider");
    let lang = props.lang;
    let d = sim.dispatcher();
    let send = |f: fn(()) -> Action| {
        let d = d.clone();
        Callback::from(move |()| d.dispatch(f(())))
    };
    let on_tick = d.to_callback().reform(Action::Tick);
    let on_speed = d.to_callback().reform(Action::SetSpeed);
    let on_step = d.to_callback().reform(Action::Step);
    let on_submit = d.to_callback().reform(Action::Submit);
    let on_paste = d.to_callback().reform(Action::Paste);
    let on_refuse = d.to_callback().reform(Action::Refuse);
    let view = sim.view.clone();
    let (nodes, pods) = (
        view.nodes.len(),
        view.nodes.iter().map(|n| n.pods.len()).sum::<usize>() + view.unscheduled.len(),
    );
    let restoring = match sim.phase {
        Phase::Restoring { done, total, slow } => {
            let reset = props.on_reset.clone().map(|r| r.reform(|_: MouseEvent| ()));
            Some(html! {
                <div class="restoring" data-testid="restoring" role="status">
                    <div class="restoring-card">
                        <strong>{ tr(lang, "Restoring your cluster…", "正在恢复你的集群…") }</strong>
                        <div class="progress"><div class="bar" style={format!("width:{}%", done * 100 / total.max(1))}></div></div>
                        <span class="muted">{ match lang {
                            Lang::En => format!("Replaying {done} of {total} saved events"),
                            Lang::Zh => format!("正在重放已保存的事件：{done}/{total}"),
                        } }</span>
                        if slow {
                            <p data-testid="restoring-slow">{ tr(lang,
                                "This is taking a while. You can keep waiting, or start this sandbox afresh.",
                                "恢复需要一些时间。你可以继续等待，或者重新开始这个沙盒。") }</p>
                            if let Some(reset) = reset {
                                <button class="ghost" data-testid="restoring-reset" onclick={reset}>{ tr(lang, "Start afresh", "重新开始") }</button>
                            }
                        }
                    </div>
                </div>
            })
        }
        _ => None,
    };
    html! {
        <section class="workbench">
            <div class="card diagram-card">
                <div class="card-head">
                    <div class="card-title">
                        <h2>{ tr(lang, "Cluster", "集群") }</h2>
                        <span class="summary" data-testid="cluster-summary">
                            { format!("{nodes} node{} · {pods} pod{}", plural(nodes), plural(pods)) }
                        </span>
                    </div>
                    <Clock now_ms={sim.now_ms} paused={sim.paused} speed={sim.speed} on_tick={on_tick}
                        on_toggle={send(|_| Action::TogglePause)} on_speed={on_speed} on_step={on_step} />
                </div>
                <div class="diagram-wrap">
                    <Diagram view={view} />
                    { for restoring }
                </div>
                { legend() }
            </div>
            <div class="card console-card">
                <Console entries={sim.entries.clone()} history={sim.history.clone()} continuation={sim.continuation} prompt={sim.prompt.clone()}
                    suggestion={sim.suggestion.clone()} phase={sim.phase} queued={sim.queued}
                    on_submit={on_submit} on_paste={on_paste} on_refuse={on_refuse}
                    on_suggest_rest={send(|_| Action::SuggestRest)} on_suggest_cancel={send(|_| Action::SuggestCancel)}
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
    /// Its sandbox id ([`persist::embed_id`]): saved under its own key. `None`: not saved.
    #[prop_or_default]
    pub save_as: Option<String>,
}

/// A bare sandbox for embedding: its own session, diagram and console, no lesson, saved under
/// its own key.
#[function_component]
pub fn Sandbox(props: &SandboxProps) -> Html {
    let persist = props.save_as.clone().map(|id| (Keys::new(DEFAULT_PREFIX), id));
    html! {
        <SimProvider seed={props.seed} persist={persist} embedded=true>
            <div class="kl-app kl-embed">
                <sandbox_notices::EmbedNotices />
                <Workbench />
            </div>
        </SimProvider>
    }
}

/// The page's path (`/docs/intro.html`), part of an embedded sandbox's id.
fn page_path() -> String {
    web_sys::window()
        .and_then(|w| w.location().pathname().ok())
        .unwrap_or_default()
}

/// Props for the sandbox embedded in `el`: its seed (`data-seed`) and its own save key, named by
/// `data-kubelab-sandbox` (if it has a value), else the element's id, else `fallback`; a name
/// already `taken` on this page gets `~2`, `~3`… so two embeds never share a save.
fn embed_props(el: &web_sys::Element, fallback: &str, taken: &mut Vec<String>) -> SandboxProps {
    let seed = el.get_attribute("data-seed").and_then(|s| s.parse().ok()).unwrap_or(1);
    let base = [el.get_attribute("data-kubelab-sandbox"), Some(el.id())]
        .into_iter()
        .flatten()
        .find(|n| !n.is_empty())
        .unwrap_or_else(|| fallback.to_string());
    let mut name = base.clone();
    let mut n = 1;
    while taken.contains(&name) {
        n += 1;
        name = format!("{base}~{n}");
    }
    taken.push(name.clone());
    SandboxProps {
        seed,
        save_as: Some(persist::embed_id(&page_path(), &name)),
    }
}

thread_local! {
    /// Embed names used on this page so far (by `start` and `mount`).
    static EMBED_NAMES: std::cell::RefCell<Vec<String>> = const { std::cell::RefCell::new(Vec::new()) };
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
    let props = EMBED_NAMES.with(|t| embed_props(&root, element_id, &mut t.borrow_mut()));
    yew::Renderer::<Sandbox>::with_root_and_props(root, props).render();
    true
}

/// Panics on purpose, to show (and test) what a crash looks like: `wasmBindings.crash_for_tests()`.
#[wasm_bindgen]
pub fn crash_for_tests() {
    panic!("kubelab: a crash requested by crash_for_tests()");
}

/// The page's entry point: one sandbox into every `[data-kubelab-sandbox]` element if the page
/// has any (an embedding page), else the full app into `#kubelab` or the body.
pub fn start() {
    mark("kubelab-start");
    crash::install();
    // The requests go out now and are answered while the page renders: lines typed (or
    // replayed) before the texts are in wait for them.
    kubectl_texts::load();
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if let Ok(list) = doc.query_selector_all("[data-kubelab-sandbox]") {
        if list.length() > 0 {
            for i in 0..list.length() {
                if let Some(el) = list.item(i).and_then(|n| n.dyn_into::<web_sys::Element>().ok()) {
                    let props =
                        EMBED_NAMES.with(|t| embed_props(&el, &format!("sandbox-{}", i + 1), &mut t.borrow_mut()));
                    yew::Renderer::<Sandbox>::with_root_and_props(el, props).render();
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_from_browser_tag() {
        assert_eq!(lang_from_tag("zh-CN"), Lang::Zh);
        assert_eq!(lang_from_tag("ZH-tw"), Lang::Zh);
        assert_eq!(lang_from_tag("en-US"), Lang::En);
        assert_eq!(lang_from_tag("de"), Lang::En);
    }

    #[test]
    fn routes_resolve_against_progress() {
        let mut p = Progress::default();
        let loading = CatalogState::Loading;
        let first = first_lesson();
        assert!(matches!(first, Route::Lesson { .. }));
        let Route::Lesson { id, .. } = first.clone() else {
            unreachable!()
        };
        assert_eq!(
            resolve(&Route::Home, &p, &loading),
            Route::Lesson {
                id: id.clone(),
                step: Some(0)
            }
        );
        p.last = Some(SANDBOX_ID.into());
        assert_eq!(resolve(&Route::Home, &p, &loading), Route::Sandbox);
        assert_eq!(resolve(&Route::Unknown("<x>".into()), &p, &loading), Route::Sandbox);
        p.lessons.insert(
            id.clone(),
            LessonProgress {
                step: 2,
                ..Default::default()
            },
        );
        assert_eq!(
            resolve(
                &Route::Lesson {
                    id: id.clone(),
                    step: None
                },
                &p,
                &loading
            ),
            Route::Lesson {
                id: id.clone(),
                step: Some(2)
            }
        );
        assert_eq!(
            resolve(
                &Route::Lesson {
                    id: id.clone(),
                    step: Some(1)
                },
                &p,
                &loading
            ),
            Route::Lesson {
                id: id.clone(),
                step: Some(1)
            }
        );
        p.last = Some("no-such-lesson".into());
        assert_eq!(
            resolve(&Route::Home, &p, &loading),
            Route::Lesson { id, step: Some(2) },
            "an unknown last lesson: the first one, where it was left"
        );
    }
}
