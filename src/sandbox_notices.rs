//! What a sandbox tells the learner outside the console ([`Notice`]s): a save that could not be
//! restored, one written by another kubelab, another tab writing the same sandbox, saving that
//! failed. Shared by the full page (next to its own notices) and embedded sandboxes.
//!
//! Only [`Notice::ChangedElsewhere`] asks for a choice: reload (take the other tab's sandbox) or
//! keep this tab's (save it over the other's, which is kept as the backup key). Until then this
//! tab saves nothing, so no one's work is overwritten behind their back.

use kubelab_lessons::Lang;
use yew::prelude::*;

use crate::persist::ENGINE;
use crate::state::{Action, Notice, SimHandle};

/// `name` at the start of a sentence.
fn capitalised(name: &str) -> String {
    let mut c = name.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// The text of one notice; `None` for notices that are not shown (a successful restore). `name`
/// says which sandbox ("the sandbox", "lesson “pods”").
pub fn text(n: &Notice, name: &str, lang: Lang) -> Option<String> {
    let zh = lang == Lang::Zh;
    let name_ = capitalised(name);
    Some(match n {
        Notice::Restored { .. } => return None,
        Notice::RestoreFailed(e) if zh => format!("无法恢复{name}保存的集群：{}。已经启动了一个全新的集群，课程进度保留；原来的数据另存了一份。", e.reason(true)),
        Notice::RestoreFailed(e) => format!("The saved cluster of {name} could not be restored: {}. A fresh cluster was started; your lesson progress was kept, and so was a copy of the old save.", e.reason(false)),
        Notice::ReplayCrashed if zh => format!("上次恢复{name}时 kubelab 停止运行了，所以这次启动了一个全新的集群。课程进度保留。"),
        Notice::ReplayCrashed => format!("kubelab stopped while restoring {name} last time, so a fresh cluster was started instead. Your lesson progress was kept."),
        Notice::SaveFailed(e) if zh => format!("这个标签页里的操作没有被保存：{e}。一切照常运行，但重新加载会丢失它们。"),
        Notice::SaveFailed(e) => format!("Your work here is not being saved: {e}. Everything keeps working, but a reload would lose it."),
        Notice::TooBigToSave if zh => "这个沙盒的命令太多（超过 2 MB），无法再保存。它照常运行；重置后即可重新保存。".to_string(),
        Notice::TooBigToSave => "This sandbox has grown too big to save (over 2 MB of commands). It keeps working; reset it to save again.".to_string(),
        Notice::OtherVersion { saved_by, format } => {
            let by = match (saved_by, zh) {
                (Some(v), _) => format!("kubelab {v}"),
                (None, false) => format!("an older kubelab (save format {format})"),
                (None, true) => format!("较早版本的 kubelab（保存格式 {format}）"),
            };
            if zh {
                format!("{name}由 {by} 保存，已在 kubelab {ENGINE} 上重放你的命令，集群可能略有不同。原来的数据另存了一份。")
            } else {
                format!("{name_} was saved by {by}; your commands were replayed on kubelab {ENGINE}, so the cluster may differ slightly. A copy of the original save was kept.")
            }
        }
        Notice::ChangedElsewhere if zh => format!("{name}在另一个标签页里被修改了。为了不覆盖任何一边的操作，这个标签页暂停保存。重新加载可以看到另一个标签页的集群，或者保留这个标签页的。"),
        Notice::ChangedElsewhere => format!("{name_} was changed in another tab. So that neither tab's work is overwritten, this tab stopped saving. Reload to see the other tab's cluster, or keep this tab's."),
    })
}

/// The shown notices of the sandbox in context, in order, each with its dismiss button (and the
/// choice for [`Notice::ChangedElsewhere`]).
pub fn items(sim: &SimHandle, name: &str, lang: Lang) -> Vec<Html> {
    let zh = lang == Lang::Zh;
    let d = sim.dispatcher();
    sim.notices
        .iter()
        .enumerate()
        .filter_map(|(i, n)| {
            let text = text(n, name, lang)?;
            let dismiss = {
                let d = d.clone();
                move |_: MouseEvent| d.dispatch(Action::Dismiss(i))
            };
            let choice = (*n == Notice::ChangedElsewhere).then(|| {
                let keep = {
                    let d = d.clone();
                    move |_: MouseEvent| d.dispatch(Action::KeepThisTab)
                };
                let reload = |_: MouseEvent| {
                    if let Some(w) = web_sys::window() {
                        let _ = w.location().reload();
                    }
                };
                html! {
                    <span class="notice-actions">
                        <button class="ghost" data-testid="notice-reload" onclick={reload}>
                            { if zh { "重新加载" } else { "Reload" } }
                        </button>
                        <button class="ghost" data-testid="notice-keep" onclick={keep}>
                            { if zh { "保留这个标签页的" } else { "Keep this tab's" } }
                        </button>
                    </span>
                }
            });
            Some(html! {
                <div class="notice warn" role="alert" data-testid="notice" data-kind={kind(n)}>
                    <span class="notice-text">{ text }</span>
                    { for choice }
                    <button class="notice-close" data-testid="notice-dismiss"
                        aria-label={if zh { "关闭" } else { "Dismiss" }} onclick={dismiss}>{ "×" }</button>
                </div>
            })
        })
        .collect()
}

/// A stable name per notice kind (`data-kind`), for tests and styles.
fn kind(n: &Notice) -> &'static str {
    match n {
        Notice::RestoreFailed(_) => "restore-failed",
        Notice::ReplayCrashed => "replay-crashed",
        Notice::Restored { .. } => "restored",
        Notice::SaveFailed(_) => "save-failed",
        Notice::TooBigToSave => "too-big",
        Notice::OtherVersion { .. } => "other-version",
        Notice::ChangedElsewhere => "changed-elsewhere",
    }
}

#[derive(Properties, PartialEq)]
pub struct EmbedNoticesProps {
    #[prop_or(Lang::En)]
    pub lang: Lang,
}

/// The notices of an embedded sandbox, above its diagram.
#[function_component]
pub fn EmbedNotices(props: &EmbedNoticesProps) -> Html {
    let sim = use_context::<SimHandle>().expect("EmbedNotices inside SimProvider");
    let name = if props.lang == Lang::Zh {
        "这个沙盒"
    } else {
        "This sandbox"
    };
    let list = items(&sim, name, props.lang);
    if list.is_empty() {
        return html! {};
    }
    html! { <div class="notices embed-notices" aria-live="polite">{ for list }</div> }
}
