//! The terminal: transcript above, one input line below. Enter submits, ArrowUp/ArrowDown browse
//! history, Ctrl-L clears, Ctrl-C drops a half-typed heredoc, a multi-line paste runs line by
//! line. The transcript shows kubectl's text exactly as printed (stderr in its own colour).

use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, HtmlInputElement};
use yew::prelude::*;

use crate::state::{Entry, EntryKind};

#[derive(Properties, PartialEq)]
pub struct ConsoleProps {
    pub entries: Rc<Vec<Entry>>,
    pub history: Rc<Vec<String>>,
    /// The interpreter wants more lines: prompt `> ` instead of `$ `.
    pub continuation: bool,
    /// A command to put into the input (a new number each time).
    #[prop_or_default]
    pub suggestion: Option<(u64, String)>,
    pub on_submit: Callback<String>,
    pub on_clear: Callback<()>,
    pub on_interrupt: Callback<()>,
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

    // Keep the newest output in view.
    {
        let output = output.clone();
        use_effect_with((props.entries.clone(), props.continuation), move |_| {
            if let Some(el) = output.cast::<HtmlElement>() {
                el.set_scroll_top(el.scroll_height());
            }
        });
    }
    {
        let input = input.clone();
        use_effect_with(props.autofocus, move |&autofocus| {
            if autofocus {
                if let Some(el) = input.cast::<HtmlInputElement>() {
                    let _ = el.focus();
                }
            }
        });
    }
    {
        let input = input.clone();
        let cursor = cursor.clone();
        use_effect_with(props.suggestion.clone(), move |suggestion| {
            if let (Some((_, cmd)), Some(el)) = (suggestion, input.cast::<HtmlInputElement>()) {
                el.set_value(cmd);
                *cursor.borrow_mut() = None;
                let _ = el.focus();
                let end = cmd.len() as u32;
                let _ = el.set_selection_range(end, end);
            }
        });
    }

    let onkeydown = {
        let (history, cursor, draft) = (props.history.clone(), cursor.clone(), draft.clone());
        let (on_submit, on_clear, on_interrupt) = (
            props.on_submit.clone(),
            props.on_clear.clone(),
            props.on_interrupt.clone(),
        );
        Callback::from(move |e: KeyboardEvent| {
            let Some(el) = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
            else {
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
                let end = text.len() as u32;
                let _ = el.set_selection_range(end, end);
            } else if e.ctrl_key() && (key == "l" || key == "L") {
                e.prevent_default();
                on_clear.emit(());
            } else if e.ctrl_key() && (key == "c" || key == "C") {
                let selected =
                    el.selection_start().ok().flatten() != el.selection_end().ok().flatten();
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
        let on_submit = props.on_submit.clone();
        Callback::from(move |e: Event| {
            let Some(e) = e.dyn_ref::<web_sys::ClipboardEvent>() else {
                return;
            };
            let Some(text) = e.clipboard_data().and_then(|d| d.get_data("text").ok()) else {
                return;
            };
            if !text.contains(['\n', '\r']) {
                return;
            }
            let Some(el) = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
            else {
                return;
            };
            e.prevent_default();
            let value = el.value();
            let utf16: Vec<u16> = value.encode_utf16().collect();
            let start = el
                .selection_start()
                .ok()
                .flatten()
                .unwrap_or(utf16.len() as u32) as usize;
            let end = el.selection_end().ok().flatten().unwrap_or(start as u32) as usize;
            let (start, end) = (
                start.min(utf16.len()),
                end.clamp(start.min(utf16.len()), utf16.len()),
            );
            let before = String::from_utf16_lossy(&utf16[..start]);
            let after = String::from_utf16_lossy(&utf16[end..]);
            let (lines, rest) = split_paste(&before, &text, &after);
            el.set_value(&rest);
            for line in lines {
                on_submit.emit(line);
            }
        })
    };

    // Clicking anywhere in the console focuses the input, unless the learner is selecting text.
    let onmouseup = {
        let input = input.clone();
        Callback::from(move |_: MouseEvent| {
            let selecting = web_sys::window()
                .and_then(|w| w.get_selection().ok().flatten())
                .map(|s| !s.is_collapsed())
                .unwrap_or(false);
            if !selecting {
                if let Some(el) = input.cast::<HtmlInputElement>() {
                    let _ = el.focus();
                }
            }
        })
    };

    let entries = props.entries.iter().map(|entry| {
        let class = match entry.kind {
            EntryKind::Command => "echo",
            EntryKind::Continuation => "cont",
            EntryKind::Stdout => "stdout",
            EntryKind::Stderr => "stderr",
            EntryKind::Info => "info",
        };
        html! { <span key={entry.id} class={class}>{ entry.text.clone() }</span> }
    });
    let prompt = if props.continuation { ">" } else { "$" };
    html! {
        <div class="console" onmouseup={onmouseup}>
            <pre class="console-output" data-testid="console-output" ref={output} aria-live="polite">{ for entries }</pre>
            <div class="console-line">
                <span class="prompt" aria-hidden="true">{ prompt }</span>
                <input ref={input} class="console-input" data-testid="console-input" type="text"
                    spellcheck="false" autocomplete="off" autocapitalize="off" autocorrect="off"
                    aria-label="Type a kubectl command and press Enter"
                    placeholder={if props.continuation { "heredoc: type lines, end with EOF" } else { "kubectl get pods" }}
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
}
