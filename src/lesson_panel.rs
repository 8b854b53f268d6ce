//! The lesson column: the open lesson (its steps as an outline; the current step with its text,
//! task, goal checklist ticking green as the cluster gets there, hints one at a time and "show
//! solution"), the list of lessons with progress, and the free sandbox's card.
//!
//! Lessons come from `kubelab-lessons` (see [`crate::lessons`]). Every lesson text is rendered
//! as text nodes through [`rich`]: backquotes become `<code>`, fenced blocks `<pre>`, nothing else
//! is interpreted.

use std::rc::Rc;

use kubelab_lessons::{Lang, Lesson, StepStart};
use yew::prelude::*;

use crate::lessons::{blocks, describe, inlines, is_command, script_lines, Block, Catalog, Inline, Route};
use crate::persist::{LessonProgress, Progress};
use crate::state::{Action, GoalState, Phase, SimHandle, Track};
use crate::tr;

/// Lesson text with `code` and fenced blocks; commands in code become buttons that put the
/// command into the console.
pub fn rich(text: &str, on_suggest: &Callback<Vec<String>>, lang: Lang) -> Html {
    html! {
        <>
        { for blocks(text).into_iter().map(|block| match block {
            Block::Para(parts) => html! { <p>{ inline_html(&parts, on_suggest, lang) }</p> },
            Block::Code(code) => {
                let lines = script_lines(&code);
                let runnable = lines.first().is_some_and(|l| is_command(l));
                let on = on_suggest.clone();
                html! {
                    <div class="code-block">
                        <pre>{ code }</pre>
                        if runnable {
                            <button class="insert" data-testid="insert-code" onclick={move |_| on.emit(lines.clone())}
                                title={tr(lang, "Put these lines into the console, one at a time", "把这些行逐行放进控制台")}>
                                { tr(lang, "Insert into console", "放进控制台") }
                            </button>
                        }
                    </div>
                }
            }
        }) }
        </>
    }
}

fn inline_html(parts: &[Inline], on_suggest: &Callback<Vec<String>>, lang: Lang) -> Html {
    parts
        .iter()
        .map(|p| match p {
            Inline::Text(t) => html! { { t.clone() } },
            Inline::Code(c) if is_command(c) => {
                let (on, cmd) = (on_suggest.clone(), c.clone());
                html! {
                    <button class="code cmd-chip" data-testid="lesson-command"
                        title={tr(lang, "Put this command into the console", "把这条命令放进控制台")}
                        onclick={move |_| on.emit(vec![cmd.clone()])}>{ command_words(c) }</button>
                }
            }
            Inline::Code(c) => html! { <code>{ c.clone() }</code> },
        })
        .collect()
}

/// Brings an element into view inside its scrolling column, smoothly and only as far as needed.
pub fn reveal(node: &NodeRef) {
    if let Some(el) = node.cast::<web_sys::Element>() {
        let opts = web_sys::ScrollIntoViewOptions::new();
        opts.set_block(web_sys::ScrollLogicalPosition::Nearest);
        opts.set_behavior(web_sys::ScrollBehavior::Smooth);
        el.scroll_into_view_with_scroll_into_view_options(&opts);
    }
}

/// A command as a button; words never break inside (`--image=nginx` stays whole).
fn command_words(cmd: &str) -> Html {
    html! {
        { for cmd.split(' ').enumerate().map(|(i, word)| html! {
            <>{ if i > 0 { " " } else { "" } }<span class="word">{ word.to_string() }</span></>
        }) }
    }
}

fn tick_icon(met: bool) -> Html {
    if met {
        html! { <svg class="tick" viewBox="0 0 16 16" aria-hidden="true"><circle cx="8" cy="8" r="7.5" /><path d="M4.6 8.3 7 10.6l4.6-5" /></svg> }
    } else {
        html! { <svg class="tick" viewBox="0 0 16 16" aria-hidden="true"><circle cx="8" cy="8" r="6.8" /></svg> }
    }
}

#[derive(Properties, PartialEq)]
pub struct LessonPanelProps {
    pub lesson: Rc<Lesson>,
    /// Its number in the course (1-based).
    pub number: usize,
    /// The step shown (0-based, within range).
    pub step: usize,
    pub progress: LessonProgress,
    pub lang: Lang,
    pub next_lesson: Option<Rc<Lesson>>,
    pub on_step: Callback<usize>,
    pub on_done: Callback<usize>,
    pub on_start: Callback<(usize, StepStart)>,
    pub on_reset: Callback<()>,
    pub on_open: Callback<Route>,
    pub on_list: Callback<()>,
}

#[function_component]
pub fn LessonPanel(props: &LessonPanelProps) -> Html {
    let sim = use_context::<SimHandle>().expect("LessonPanel inside SimProvider");
    let lang = props.lang;
    let lesson = &props.lesson;
    let step = props.step;
    let steps = &lesson.steps;
    let done_here = props.progress.done.contains(&step);
    let ready = sim.phase == Phase::Ready;

    // A fresh sandbox runs the lesson's setup, and the solutions of the steps before the one
    // asked for (a deep link to step 3 starts where step 3 starts).
    {
        let (d, lesson) = (sim.dispatcher(), lesson.clone());
        let awaiting = sim.phase == Phase::AwaitingSetup;
        use_effect_with((awaiting, lesson.id.clone(), step), move |(awaiting, _, step)| {
            if *awaiting {
                let mut script = lesson.setup.as_str().to_string();
                for s in &lesson.steps[..*step] {
                    script.push('\n');
                    script.push_str(s.solution.as_str());
                }
                let label = match *step {
                    0 => format!("Lesson “{}” is ready.", lesson.title.en),
                    1 => format!("Lesson “{}” is ready; step 1 was done for you.", lesson.title.en),
                    n => format!("Lesson “{}” is ready; steps 1–{n} were done for you.", lesson.title.en),
                };
                d.dispatch(Action::Setup { label, script });
            }
        });
    }
    // Watch the goal of the step shown, unless it is done already.
    {
        let d = sim.dispatcher();
        let goal = Rc::new(steps[step].goal.clone());
        let start = props.progress.start.filter(|(s, _)| *s == step).map(|(_, start)| start);
        let id = lesson.id.clone();
        use_effect_with((id, step, done_here, ready), move |(id, step, done, ready)| {
            if *ready && !*done {
                d.dispatch(Action::Track(Some(Track {
                    lesson: id.clone(),
                    step: *step,
                    goal,
                    start,
                })));
            } else {
                d.dispatch(Action::Track(None));
            }
        });
    }
    // Report when the step began (saved, for `ran` goals after a reload) and when it is done.
    let goal = sim.goal.clone().filter(|g| g.lesson == lesson.id && g.step == step);
    {
        let (on_done, on_start) = (props.on_done.clone(), props.on_start.clone());
        let saved_start = props.progress.start;
        use_effect_with(goal.clone(), move |goal| {
            if let Some(g) = goal {
                if saved_start != Some((g.step, g.start)) {
                    on_start.emit((g.step, g.start));
                }
                if g.met {
                    on_done.emit(g.step);
                }
            }
        });
    }

    let on_suggest = {
        let d = sim.dispatcher();
        Callback::from(move |lines: Vec<String>| d.dispatch(Action::Suggest(lines)))
    };
    let done_count = props.progress.done.len().min(steps.len());
    let complete = done_count == steps.len();
    let items = steps.iter().enumerate().map(|(i, s)| {
        let active = i == step;
        let done = props.progress.done.contains(&i);
        let class = classes!("lesson-step", active.then_some("active"), done.then_some("done"));
        let on_step = props.on_step.clone();
        html! {
            <li key={i} class={class} data-testid="lesson-step" data-active={active.to_string()} data-done={done.to_string()}>
                <button class="step-head" onclick={move |_| on_step.emit(i)} aria-expanded={active.to_string()}
                    aria-current={active.then_some("step")}>
                    <span class="step-num">
                        if done { <svg viewBox="0 0 16 16" aria-hidden="true"><path d="M3.8 8.4 6.7 11.2l5.5-6" /></svg> } else { { i + 1 } }
                    </span>
                    <span class="step-title">{ s.title.get(lang).to_string() }</span>
                </button>
                if active {
                    <StepBody key={format!("{}-{i}", lesson.id)} lesson={lesson.clone()} step={i} done={done}
                        goal={goal.clone()} lang={lang} on_suggest={on_suggest.clone()} />
                }
            </li>
        }
    });

    let last = steps.len().saturating_sub(1);
    let go = |to: usize| {
        let on_step = props.on_step.clone();
        Callback::from(move |_: MouseEvent| on_step.emit(to))
    };
    let next_button = if step < last {
        let ready_next = done_here;
        html! {
            <button class={classes!("primary", ready_next.then_some("pulse"))} data-testid="lesson-next" onclick={go(step + 1)}>
                { tr(lang, "Next", "下一步") }{ " →" }
            </button>
        }
    } else if let Some(next) = props.next_lesson.clone() {
        let on_open = props.on_open.clone();
        let id = next.id.clone();
        html! {
            <button class={classes!("primary", complete.then_some("pulse"))} data-testid="lesson-next-lesson"
                onclick={move |_| on_open.emit(Route::Lesson { id: id.clone(), step: None })}>
                { tr(lang, "Next lesson", "下一课") }{ " →" }
            </button>
        }
    } else {
        html! { <button class="primary" disabled=true data-testid="lesson-next">{ tr(lang, "Next", "下一步") }{ " →" }</button> }
    };
    let on_list = props.on_list.reform(|_: MouseEvent| ());
    html! {
        <section class="lesson" data-testid="lesson-panel" data-lesson={lesson.id.clone()} lang={lang_tag(lang)}>
            <header class="lesson-head">
                <div class="eyebrow-row">
                    <button class="link back" data-testid="lesson-list-open" onclick={on_list}>
                        { "← " }{ tr(lang, "All lessons", "全部课程") }
                    </button>
                    <span class="eyebrow">{ match lang { Lang::En => format!("Lesson {}", props.number), Lang::Zh => format!("第 {} 课", props.number) } }</span>
                </div>
                <h2 data-testid="lesson-title">{ lesson.title.get(lang).to_string() }</h2>
                <p class="summary-text" title={lesson.summary.get(lang).to_string()}>{ lesson.summary.get(lang).to_string() }</p>
            </header>
            <div class="progress" role="progressbar" aria-valuemin="0" aria-valuemax={steps.len().to_string()}
                aria-valuenow={done_count.to_string()} data-testid="lesson-progress">
                <div class="bar" style={format!("width:{}%", done_count * 100 / steps.len().max(1))}></div>
            </div>
            if complete {
                <div class="lesson-complete" data-testid="lesson-complete">
                    <strong>{ tr(lang, "Lesson complete!", "本课完成！") }</strong>
                    { " " }
                    { tr(lang, "Every step's goal was reached.", "每一步的目标都已达成。") }
                </div>
            }
            <ol class="steps">{ for items }</ol>
            <footer class="lesson-nav">
                <button class="ghost" data-testid="lesson-prev" disabled={step == 0} onclick={go(step.saturating_sub(1))}>
                    { "← " }{ tr(lang, "Back", "上一步") }
                </button>
                <span class="count">{ match lang {
                    Lang::En => format!("Step {} / {}", step + 1, steps.len()),
                    Lang::Zh => format!("第 {} / {} 步", step + 1, steps.len()),
                } }</span>
                { next_button }
            </footer>
            <ResetButton lang={lang} on_reset={props.on_reset.clone()}
                label={tr(lang, "Reset lesson", "重置本课")}
                confirm={tr(lang, "Click again: fresh cluster, back to step 1", "再点一次：全新集群，回到第 1 步")} />
        </section>
    }
}

pub fn lang_tag(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "en",
        Lang::Zh => "zh-CN",
    }
}

#[derive(Properties, PartialEq)]
struct StepBodyProps {
    lesson: Rc<Lesson>,
    step: usize,
    done: bool,
    goal: Option<Rc<GoalState>>,
    lang: Lang,
    on_suggest: Callback<Vec<String>>,
}

/// The current step: text, task, goal checklist, hints, solution. Keyed by step, so revealed
/// hints start hidden again on another step.
#[function_component]
fn StepBody(props: &StepBodyProps) -> Html {
    let lang = props.lang;
    let step = &props.lesson.steps[props.step];
    let hints = use_state(|| 0usize);
    let solution_shown = use_state(|| false);
    let checks = step.goal.iter().enumerate().map(|(i, check)| {
        let verdict = props.goal.as_ref().and_then(|g| g.verdicts.get(i));
        let met = props.done || verdict.is_some_and(|v| v.met);
        let observed = verdict
            .filter(|v| !v.met && !v.observed.is_empty())
            .map(|v| v.observed.clone());
        html! {
            <li class={classes!("check", if met { "met" } else { "unmet" })} data-testid="goal-check" data-met={met.to_string()}>
                { tick_icon(met) }
                <span class="desc">
                    { inline_html(&inlines(&describe(check, lang)), &props.on_suggest, lang) }
                    if let Some(o) = observed {
                        <span class="observed">{ tr(lang, "now: ", "当前：") }{ o }</span>
                    }
                </span>
            </li>
        }
    });
    let met = props.done || props.goal.as_ref().is_some_and(|g| g.met);
    let error = props.goal.as_ref().and_then(|g| g.error.clone());
    let met_ref = use_node_ref();
    {
        // The moment the goal is reached, show it (the step text may have scrolled it away).
        let met_ref = met_ref.clone();
        let just_met = met && !props.done;
        use_effect_with(just_met, move |&just_met| {
            if just_met {
                reveal(&met_ref);
            }
        });
    }
    let more_hints = *hints < step.hints.len();
    let reveal = {
        let hints = hints.clone();
        Callback::from(move |_: MouseEvent| hints.set(*hints + 1))
    };
    let show_solution = {
        let (on, lines, shown) = (
            props.on_suggest.clone(),
            script_lines(step.solution.as_str()),
            solution_shown.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            shown.set(true);
            on.emit(lines.clone());
        })
    };
    html! {
        <div class="step-body">
            <div class="step-text">{ rich(step.text.get(lang), &props.on_suggest, lang) }</div>
            <div class={classes!("task", met.then_some("met"))} data-testid="step-task">
                <div class="task-label">{ tr(lang, "Your task", "你的任务") }</div>
                { rich(step.task.get(lang), &props.on_suggest, lang) }
                <ul class="goal" data-testid="goal" aria-label={tr(lang, "Goal", "目标")}>{ for checks }</ul>
                if met {
                    <div class="goal-met" data-testid="goal-met" role="status" ref={met_ref}>
                        { tick_icon(true) }{ tr(lang, "Goal reached: well done!", "目标达成，做得好！") }
                    </div>
                }
                if let Some(e) = error {
                    <div class="goal-error">{ tr(lang, "This goal cannot be checked: ", "无法检查这个目标：") }{ e }</div>
                }
            </div>
            if *hints > 0 {
                <ol class="hints" data-testid="hints">
                    { for step.hints[..*hints].iter().enumerate().map(|(i, h)| html! {
                        <li data-testid="hint"><span class="hint-label">{ match lang {
                            Lang::En => format!("Hint {}", i + 1),
                            Lang::Zh => format!("提示 {}", i + 1),
                        } }</span>{ rich(h.get(lang), &props.on_suggest, lang) }</li>
                    }) }
                </ol>
            }
            <div class="step-help">
                if more_hints {
                    <button class="ghost" data-testid="show-hint" onclick={reveal}>{ match lang {
                        Lang::En => format!("Show a hint ({} of {})", *hints + 1, step.hints.len()),
                        Lang::Zh => format!("显示提示（{}/{}）", *hints + 1, step.hints.len()),
                    } }</button>
                }
                <button class="ghost" data-testid="show-solution" onclick={show_solution}>
                    { tr(lang, "Show solution", "显示答案") }
                </button>
            </div>
            if *solution_shown {
                <p class="solution-note" data-testid="solution-note">{ tr(lang,
                    "The solution is in the console, one line at a time: press Enter to run each line.",
                    "答案已放进控制台，每次一行：按回车运行每一行。") }</p>
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct ResetButtonProps {
    pub lang: Lang,
    pub on_reset: Callback<()>,
    pub label: AttrValue,
    pub confirm: AttrValue,
}

/// A reset that asks once more before it throws the cluster away.
#[function_component]
pub fn ResetButton(props: &ResetButtonProps) -> Html {
    let armed = use_state(|| false);
    let onclick = {
        let (armed, on_reset) = (armed.clone(), props.on_reset.clone());
        Callback::from(move |_: MouseEvent| {
            if *armed {
                armed.set(false);
                on_reset.emit(());
            } else {
                armed.set(true);
            }
        })
    };
    let onblur = {
        let armed = armed.clone();
        Callback::from(move |_: FocusEvent| armed.set(false))
    };
    html! {
        <div class="reset-row">
            <button class={classes!("link", "reset", armed.then_some("armed"))} data-testid="reset" onclick={onclick} onblur={onblur}>
                <svg viewBox="0 0 16 16" aria-hidden="true"><path d="M3.5 8a4.5 4.5 0 1 0 1.4-3.3M3.3 2.5v2.7H6" /></svg>
                { if *armed { props.confirm.clone() } else { props.label.clone() } }
            </button>
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct LessonListProps {
    pub catalog: Rc<Catalog>,
    pub progress: Rc<Progress>,
    /// The sandbox open now.
    pub current: Option<String>,
    pub lang: Lang,
    pub on_open: Callback<Route>,
    pub on_close: Callback<()>,
}

/// Every lesson with its progress, and the free sandbox.
#[function_component]
pub fn LessonList(props: &LessonListProps) -> Html {
    let lang = props.lang;
    let current_ref = use_node_ref();
    {
        let current_ref = current_ref.clone();
        use_effect_with((), move |_| reveal(&current_ref));
    }
    let open = |route: Route| {
        let on_open = props.on_open.clone();
        Callback::from(move |_: MouseEvent| on_open.emit(route.clone()))
    };
    let items = props.catalog.course().enumerate().map(|(n, l)| {
        let p = props.progress.lessons.get(&l.id).cloned().unwrap_or_default();
        let done = p.done.iter().filter(|&&d| d < l.steps.len()).count();
        let total = l.steps.len();
        let state = if done == total {
            "complete"
        } else if done > 0 || props.progress.lessons.contains_key(&l.id) {
            "started"
        } else {
            "new"
        };
        let current = props.current.as_deref() == Some(l.id.as_str());
        html! {
            <li key={l.id.clone()} ref={if current { current_ref.clone() } else { NodeRef::default() }}>
                <button class={classes!("lesson-card", state, current.then_some("current"))} data-testid="lesson-card"
                    data-lesson={l.id.clone()} data-done={done.to_string()} onclick={open(Route::Lesson { id: l.id.clone(), step: None })}>
                    <span class="card-num">
                        if done == total { <svg viewBox="0 0 16 16" aria-hidden="true"><path d="M3.8 8.4 6.7 11.2l5.5-6" /></svg> } else { { n + 1 } }
                    </span>
                    <span class="card-main">
                        <span class="card-title">{ l.title.get(lang).to_string() }</span>
                        <span class="card-summary">{ l.summary.get(lang).to_string() }</span>
                        <span class="card-progress">
                            <span class="mini-bar"><span style={format!("width:{}%", done * 100 / total.max(1))}></span></span>
                            <span class="card-count">{ match lang {
                                Lang::En => format!("{done} of {total} steps"),
                                Lang::Zh => format!("{done}/{total} 步"),
                            } }</span>
                        </span>
                    </span>
                </button>
            </li>
        }
    });
    let sandbox = props.catalog.get(crate::lessons::SANDBOX_ID).cloned();
    let on_close = props.on_close.reform(|_: MouseEvent| ());
    html! {
        <section class="lesson lesson-list" data-testid="lesson-list" lang={lang_tag(lang)}>
            <header class="lesson-head">
                <div class="eyebrow-row">
                    <span class="eyebrow">{ tr(lang, "Course", "课程") }</span>
                    if props.current.is_some() {
                        <button class="link" data-testid="lesson-list-close" onclick={on_close}>{ tr(lang, "Close", "关闭") }</button>
                    }
                </div>
                <h2>{ tr(lang, "Lessons", "全部课程") }</h2>
            </header>
            <div class="list-scroll">
                <button class={classes!("sandbox-card", (props.current.as_deref() == Some(crate::lessons::SANDBOX_ID)).then_some("current"))}
                    data-testid="open-sandbox" onclick={open(Route::Sandbox)}>
                    <span class="card-title">{ sandbox.as_ref().map(|s| s.title.get(lang).to_string()).unwrap_or_else(|| tr(lang, "Sandbox", "自由练习").to_string()) }</span>
                    <span class="card-summary">{ sandbox.as_ref().map(|s| s.summary.get(lang).to_string()).unwrap_or_default() }</span>
                </button>
                <ol class="lesson-cards">{ for items }</ol>
                if !props.catalog.errors.is_empty() {
                    <div class="list-errors">
                        <strong>{ tr(lang, "Some lessons could not be loaded:", "有些课程无法加载：") }</strong>
                        <ul>{ for props.catalog.errors.iter().map(|e| html! { <li>{ e.clone() }</li> }) }</ul>
                    </div>
                }
            </div>
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct SandboxPanelProps {
    pub lesson: Option<Rc<Lesson>>,
    pub lang: Lang,
    pub on_reset: Callback<()>,
    pub on_list: Callback<()>,
}

/// The free sandbox: no steps, a few things to try, a reset.
#[function_component]
pub fn SandboxPanel(props: &SandboxPanelProps) -> Html {
    let sim = use_context::<SimHandle>().expect("SandboxPanel inside SimProvider");
    let lang = props.lang;
    let on_suggest = {
        let d = sim.dispatcher();
        Callback::from(move |lines: Vec<String>| d.dispatch(Action::Suggest(lines)))
    };
    let tries = [
        ("kubectl get nodes -o wide", "See the nodes", "查看节点"),
        (
            "kubectl create deployment web --image=nginx --replicas=3",
            "Run three nginx pods",
            "运行三个 nginx Pod",
        ),
        (
            "kubectl scale deployment web --replicas=10",
            "Scale to ten",
            "扩容到十个",
        ),
        (
            "kubectl get pods -A",
            "Every pod, system ones too",
            "所有 Pod，包括系统 Pod",
        ),
        (
            "kubectl cordon kind-worker",
            "Keep new pods off a node",
            "不让新 Pod 调度到某个节点",
        ),
    ];
    let on_list = props.on_list.reform(|_: MouseEvent| ());
    html! {
        <section class="lesson sandbox-panel" data-testid="sandbox-panel" lang={lang_tag(lang)}>
            <header class="lesson-head">
                <div class="eyebrow-row">
                    <button class="link back" data-testid="lesson-list-open" onclick={on_list}>{ "← " }{ tr(lang, "All lessons", "全部课程") }</button>
                    <span class="eyebrow">{ tr(lang, "Free play", "自由练习") }</span>
                </div>
                <h2>{ props.lesson.as_ref().map(|l| l.title.get(lang).to_string()).unwrap_or_else(|| tr(lang, "Sandbox", "自由练习").to_string()) }</h2>
                if let Some(l) = &props.lesson {
                    <p class="summary-text full">{ l.summary.get(lang).to_string() }</p>
                }
            </header>
            <div class="steps">
                <p class="try-label">{ tr(lang, "Things to try (a click puts the command in the console):", "可以试试（点击把命令放进控制台）：") }</p>
                <ul class="tries">
                    { for tries.iter().map(|(cmd, en, zh)| {
                        let on = on_suggest.clone();
                        let cmd = cmd.to_string();
                        html! {
                            <li>
                                <span class="try-what">{ tr(lang, en, zh) }</span>
                                <button class="code cmd-chip" data-testid="lesson-command" onclick={let c = cmd.clone(); move |_| on.emit(vec![c.clone()])}>{ command_words(&cmd) }</button>
                            </li>
                        }
                    }) }
                </ul>
                <p class="try-label">{ tr(lang,
                    "Everything you do here is saved in this browser: reload and it is still there.",
                    "你在这里做的一切都保存在这个浏览器里：重新加载页面后依然还在。") }</p>
            </div>
            <ResetButton lang={lang} on_reset={props.on_reset.clone()}
                label={tr(lang, "Reset sandbox", "重置沙盒")}
                confirm={tr(lang, "Click again: a fresh cluster", "再点一次：全新集群")} />
        </section>
    }
}
