//! The terminal: transcript above, one input line below, after the prompt (`$`, `>` in a
//! heredoc, a container shell's own `/ #` while `kubectl exec -it … -- sh` is open). Enter
//! submits, ArrowUp/ArrowDown browse history, Ctrl-D on an empty line ends a container shell's
//! input, Ctrl-L clears, Ctrl-C drops a half-typed heredoc (and stops a paste), a multi-line
//! paste runs line by line (queued, a frame's budget at a time), a paste over the limits is
//! refused with the limits stated. The transcript shows kubectl's text exactly as printed
//! (stderr in its own colour), always as text.
//!
//! "Show solution" puts lines into the input one at a time ([`Suggestion`]): Enter runs the line
//! and brings the next, Esc stops.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, HtmlInputElement};
use yew::prelude::*;

use crate::state::{
    human_bytes, Entry, EntryKind, Phase, Suggestion, EOT, MAX_LINE_BYTES, MAX_PASTE_BYTES, MAX_PASTE_LINES,
};

#[derive(Properties, PartialEq)]
pub struct ConsoleProps {
    pub entries: Rc<Vec<Entry>>,
    pub history: Rc<Vec<String>>,
    /// The interpreter wants more lines: prompt `> ` instead of `$ `.
    pub continuation: bool,
    /// The prompt the next line is typed at (`$ `, `> `, a container shell's `/ # `).
    pub prompt: String,
    /// Lines being placed in the input one at a time.
    #[prop_or_default]
    pub suggestion: Option<Rc<Suggestion>>,
    #[prop_or(Phase::Ready)]
    pub phase: Phase,
    /// Queued lines: (waiting, in this batch).
    #[prop_or_default]
    pub queued: (usize, usize),
    pub on_submit: Callback<String>,
    /// Several lines at once (a paste).
    pub on_paste: Callback<Vec<String>>,
    /// A paste was refused; the message says why.
    pub on_refuse: Callback<String>,
    pub on_clear: Callback<()>,
    pub on_interrupt: Callback<()>,
    #[prop_or_default]
    pub on_suggest_rest: Callback<()>,
    #[prop_or_default]
    pub on_suggest_cancel: Callback<()>,
    /// Focus the input when the console appears (the full page; not embedded widgets).
    #[prop_or_default]
    pub autofocus: bool,
}

/// Splits pasted text into complete lines to run and the unfinished rest to leave in the input.
pub fn split_paste(before: &str, pasted: &str, after: &str) -> (Vec<String>, String) {
    let text = format!("{before}{pasted}{after}")
        .replace("\r\n", "\n")
        .replace('\r', "\n");
    let mut lines: Vec<String> = text.split('\n').map(str::to_string).collect();
    let rest = lines.pop().unwrap_or_default();
    (lines, rest)
}

/// `100000` → `100,000`.
pub fn group(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Why a paste is refused, or `None` when the console takes it. Checked before anything runs.
pub fn paste_refusal(text: &str) -> Option<String> {
    let bytes = text.len();
    let lines = text.split('\n').count();
    let longest = text.split('\n').map(str::len).max().unwrap_or(0);
    let too_big = bytes > MAX_PASTE_BYTES || lines > MAX_PASTE_LINES;
    if !too_big && longest <= MAX_LINE_BYTES {
        return None;
    }
    let what = if too_big {
        format!(
            "{} in {} line{} is more than the console takes at once ({}, {} lines)",
            human_bytes(bytes),
            group(lines),
            if lines == 1 { "" } else { "s" },
            human_bytes(MAX_PASTE_BYTES),
            group(MAX_PASTE_LINES)
        )
    } else {
        format!(
            "a line of {} is longer than the console accepts ({})",
            human_bytes(longest),
            human_bytes(MAX_LINE_BYTES)
        )
    };
    Some(format!(
        "kubelab: paste refused: {what}. Nothing was run; the cluster is unchanged. Paste it in smaller parts.\n"
    ))
}

/// Where ArrowUp (`up`) or ArrowDown moves the history cursor: `None` is the line being typed.
pub fn history_step(cursor: Option<usize>, len: usize, up: bool) -> Option<usize> {
    match (cursor, up) {
        (_, _) if len == 0 => None,
        (None, true) => Some(len - 1),
        (Some(i), true) => Some(i.saturating_sub(1)),
        (None, false) => None,
        (Some(i), false) if i + 1 < len => Some(i + 1),
        (Some(_), false) => None,
    }
}

#[function_component]
pub fn Console(props: &ConsoleProps) -> Html {
    let input = use_node_ref();
    let output = use_node_ref();
    // History browsing: the cursor into `history`, and the line being typed before browsing.
    let cursor = use_mut_ref(|| None::<usize>);
    let draft = use_mut_ref(String::new);

    // Keep the newest output in view. In the next animation frame, not now: reading
    // `scrollHeight` lays the transcript out, which with a thousand-line output costs
    // milliseconds; in the frame it is the layout the browser does anyway, done once.
    {
        let output = output.clone();
        use_effect_with((props.entries.clone(), props.continuation), move |_| {
            let frame = gloo::render::request_animation_frame(move |_| {
                if let Some(el) = output.cast::<HtmlElement>() {
                    el.set_scroll_top(el.scroll_height());
                }
            });
            move || drop(frame)
        });
    }
    {
        let input = input.clone();
        use_effect_with(props.autofocus, move |&autofocus| {
            if autofocus {
                if let Some(el) = input.cast::<HtmlInputElement>() {
                    // Ready to type, without scrolling a phone's page past the lesson.
                    let opts = web_sys::FocusOptions::new();
                    opts.set_prevent_scroll(true);
                    let _ = el.focus_with_options(&opts);
                }
            }
        });
    }
    {
        // A suggested line goes into the input (each new line of a suggestion once).
        let input = input.clone();
        let cursor = cursor.clone();
        let key = props.suggestion.as_ref().map(|s| (s.id, s.at));
        let line = props.suggestion.as_ref().and_then(|s| s.lines.get(s.at).cloned());
        use_effect_with(key, move |_| {
            if let (Some(line), Some(el)) = (line, input.cast::<HtmlInputElement>()) {
                el.set_value(&line);
                *cursor.borrow_mut() = None;
                let _ = el.focus();
                let end = line.encode_utf16().count() as u32;
                let _ = el.set_selection_range(end, end);
            }
        });
    }

    let onkeydown = {
        let (history, cursor, draft) = (props.history.clone(), cursor.clone(), draft.clone());
        let (on_submit, on_clear, on_interrupt, on_cancel) = (
            props.on_submit.clone(),
            props.on_clear.clone(),
            props.on_interrupt.clone(),
            props.on_suggest_cancel.clone(),
        );
        let suggesting = props.suggestion.is_some();
        Callback::from(move |e: KeyboardEvent| {
            let Some(el) = e.target().and_then(|t| t.dyn_into::<HtmlInputElement>().ok()) else {
                return;
            };
            let key = e.key();
            if key == "Enter" {
                e.prevent_default();
                let line = el.value();
                el.set_value("");
                *cursor.borrow_mut() = None;
                draft.borrow_mut().clear();
                on_submit.emit(line);
            } else if key == "ArrowUp" || key == "ArrowDown" {
                e.prevent_default();
                let before = *cursor.borrow();
                let after = history_step(before, history.len(), key == "ArrowUp");
                if before.is_none() && after.is_some() {
                    *draft.borrow_mut() = el.value();
                }
                let text = match after {
                    Some(i) => history[i].clone(),
                    None => draft.borrow().clone(),
                };
                *cursor.borrow_mut() = after;
                el.set_value(&text);
                let end = text.encode_utf16().count() as u32;
                let _ = el.set_selection_range(end, end);
            } else if key == "Escape" && suggesting {
                e.prevent_default();
                el.set_value("");
                on_cancel.emit(());
            } else if e.ctrl_key() && (key == "d" || key == "D") {
                // Ctrl-D on an empty line: end of input (a container's shell exits). Never the
                // browser's bookmark shortcut.
                e.prevent_default();
                if el.value().is_empty() {
                    *cursor.borrow_mut() = None;
                    on_submit.emit(EOT.to_string());
                }
            } else if e.ctrl_key() && (key == "l" || key == "L") {
                e.prevent_default();
                on_clear.emit(());
            } else if e.ctrl_key() && (key == "c" || key == "C") {
                let selected = el.selection_start().ok().flatten() != el.selection_end().ok().flatten();
                if !selected {
                    e.prevent_default();
                    el.set_value("");
                    *cursor.borrow_mut() = None;
                    on_interrupt.emit(());
                }
            }
        })
    };

    let onpaste = {
        let (on_paste, on_refuse) = (props.on_paste.clone(), props.on_refuse.clone());
        Callback::from(move |e: Event| {
            let Some(e) = e.dyn_ref::<web_sys::ClipboardEvent>() else {
                return;
            };
            let Some(text) = e.clipboard_data().and_then(|d| d.get_data("text").ok()) else {
                return;
            };
            if let Some(refusal) = paste_refusal(&text) {
                e.prevent_default();
                on_refuse.emit(refusal);
                return;
            }
            if !text.contains(['\n', '\r']) {
                return;
            }
            let Some(el) = e.target().and_then(|t| t.dyn_into::<HtmlInputElement>().ok()) else {
                return;
            };
            e.prevent_default();
            let value = el.value();
            let utf16: Vec<u16> = value.encode_utf16().collect();
            let start = el.selection_start().ok().flatten().unwrap_or(utf16.len() as u32) as usize;
            let end = el.selection_end().ok().flatten().unwrap_or(start as u32) as usize;
            let (start, end) = (start.min(utf16.len()), end.clamp(start.min(utf16.len()), utf16.len()));
            let before = String::from_utf16_lossy(&utf16[..start]);
            let after = String::from_utf16_lossy(&utf16[end..]);
            let (lines, rest) = split_paste(&before, &text, &after);
            el.set_value(&rest);
            on_paste.emit(lines);
        })
    };

    // Clicking anywhere in the console focuses the input, unless the learner is selecting text.
    let onmouseup = {
        let input = input.clone();
        Callback::from(move |e: MouseEvent| {
            let on_button = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .and_then(|t| t.closest("button").ok().flatten())
                .is_some();
            let selecting = web_sys::window()
                .and_then(|w| w.get_selection().ok().flatten())
                .map(|s| !s.is_collapsed())
                .unwrap_or(false);
            if !selecting && !on_button {
                if let Some(el) = input.cast::<HtmlInputElement>() {
                    let _ = el.focus();
                }
            }
        })
    };

    // An entry that starts and ends on a line boundary is a block (class `line`): appending one
    // then lays out only the new block, not the whole transcript as one run of inline text (a
    // 1,000-line `get pods` after a few others cost 30 ms of layout per command inline).
    let mut at_line_start = true;
    let entries = props.entries.iter().map(|entry| {
        let whole_lines = at_line_start && entry.text.ends_with('\n');
        at_line_start = (entry.text.is_empty() && at_line_start) || entry.text.ends_with('\n');
        let kind = match entry.kind {
            EntryKind::Command => "echo",
            EntryKind::Continuation => "cont",
            EntryKind::Stdout => "stdout",
            EntryKind::Stderr => "stderr",
            EntryKind::Info => "info",
            EntryKind::Warn => "warn",
        };
        let class = classes!(kind, whole_lines.then_some("line"));
        html! { <span key={entry.id} class={class}>{ entry.text.clone() }</span> }
    });
    let prompt = props.prompt.trim_end().to_string();
    let in_shell = !props.continuation && props.prompt != "$ ";
    let placeholder = match props.phase {
        Phase::AwaitingSetup => "setting up the lesson…",
        Phase::Restoring { .. } => "restoring your sandbox…",
        Phase::Ready if props.continuation => "heredoc: type lines, end with EOF",
        Phase::Ready if in_shell => "a shell in the container: exit or Ctrl-D leaves it",
        Phase::Ready => "kubectl get pods",
    };
    let status = if let Some(s) = &props.suggestion {
        let rest = props.on_suggest_rest.reform(|_: MouseEvent| ());
        let stop = props.on_suggest_cancel.reform(|_: MouseEvent| ());
        html! {
            <div class="console-status suggest" data-testid="suggestion-bar">
                <span>{ format!("Solution, line {} of {}: press Enter to run it", s.at + 1, s.lines.len()) }</span>
                <span class="actions">
                    <button class="link" data-testid="suggestion-rest" onclick={rest}>{ "Run the rest" }</button>
                    <button class="link" data-testid="suggestion-stop" onclick={stop}>{ "Stop (Esc)" }</button>
                </span>
            </div>
        }
    } else if props.queued.0 > 0 {
        let (left, total) = props.queued;
        html! {
            <div class="console-status busy" data-testid="console-busy" role="status">
                <span class="spinner" aria-hidden="true"></span>
                <span>{ format!("Running pasted lines: {} of {} done · Ctrl-C stops", group(total - left), group(total)) }</span>
            </div>
        }
    } else {
        html! {}
    };
    html! {
        <div class="console" onmouseup={onmouseup}>
            <pre class="console-output" data-testid="console-output" ref={output} aria-live="polite">{ for entries }</pre>
            { status }
            <div class="console-line">
                <span class="prompt" data-testid="console-prompt" aria-hidden="true">{ prompt }</span>
                <input ref={input} class="console-input" data-testid="console-input" type="text"
                    spellcheck="false" autocomplete="off" autocapitalize="off" autocorrect="off"
                    aria-label="Type a kubectl command and press Enter"
                    placeholder={placeholder}
                    onkeydown={onkeydown} onpaste={onpaste} />
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paste_runs_whole_lines_and_keeps_the_rest() {
        let (lines, rest) = split_paste("kubectl ", "get pods\r\nkubectl get no", "des");
        assert_eq!(lines, vec!["kubectl get pods"]);
        assert_eq!(rest, "kubectl get nodes");
        let (lines, rest) = split_paste("", "a\nb\n", "");
        assert_eq!(lines, vec!["a", "b"]);
        assert_eq!(rest, "");
    }

    #[test]
    fn history_cursor() {
        assert_eq!(history_step(None, 0, true), None);
        assert_eq!(history_step(None, 3, true), Some(2));
        assert_eq!(history_step(Some(0), 3, true), Some(0));
        assert_eq!(history_step(Some(1), 3, false), Some(2));
        assert_eq!(history_step(Some(2), 3, false), None);
        assert_eq!(history_step(None, 3, false), None);
    }

    #[test]
    fn big_pastes_are_refused_with_the_limits() {
        assert_eq!(paste_refusal("kubectl get pods\nkubectl get nodes\n"), None);
        let huge = "kubectl get pods\n".repeat(100_000);
        let msg = paste_refusal(&huge).unwrap();
        assert!(
            msg.contains("1.6 MB in 100,001 lines")
                && msg.contains("(512.0 KB, 5,000 lines)")
                && msg.contains("Nothing was run"),
            "{msg}"
        );
        let long_line = "x".repeat(MAX_LINE_BYTES + 1);
        assert!(paste_refusal(&long_line).unwrap().contains("a line of 64.0 KB"));
        assert_eq!(group(5000), "5,000");
        assert_eq!(group(999), "999");
        assert_eq!(group(1_234_567), "1,234,567");
    }
}
