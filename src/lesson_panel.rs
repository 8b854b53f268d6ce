//! The lesson panel: a lesson's steps as an outline; the current step shows its text and the
//! commands to try (a click puts a command into the console input). English or Chinese.
//!
//! TEMPORARY LESSON DATA: `LESSON_1` below is embedded by hand until the real lesson loader
//! (crates/lessons, lessons/*.yaml) lands. Swap it by building a [`Lesson`] from the loader
//! (or replacing these types with the loader's) in `lib.rs`; the component only reads [`Lesson`].

use yew::prelude::*;

/// A UI language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    En,
    Zh,
}

impl Lang {
    /// Chinese for browsers whose preferred language is `zh*`, English otherwise.
    pub fn from_tag(tag: &str) -> Self {
        if tag.to_ascii_lowercase().starts_with("zh") {
            Lang::Zh
        } else {
            Lang::En
        }
    }

    /// The browser's preferred language (English outside a browser).
    pub fn detect() -> Self {
        web_sys::window()
            .and_then(|w| w.navigator().language())
            .map(|tag| Self::from_tag(&tag))
            .unwrap_or(Lang::En)
    }
}

/// Text in both languages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Text {
    pub en: &'static str,
    pub zh: &'static str,
}

impl Text {
    pub fn get(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.en,
            Lang::Zh => self.zh,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Step {
    pub title: Text,
    /// Paragraphs, separated by blank lines.
    pub body: Text,
    /// Commands to try, in order.
    pub commands: &'static [&'static str],
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Lesson {
    pub id: &'static str,
    pub title: Text,
    pub steps: &'static [Step],
}

/// TEMPORARY: lesson 1, after the Kubernetes basics tutorial (seed 000: Pods, Deployments,
/// worker nodes and the kubelet, ReplicaSets replacing Pods). Replace with the lesson loader.
pub const LESSON_1: Lesson = Lesson {
    id: "01-pods-and-deployments",
    title: Text { en: "Pods and Deployments", zh: "Pod 与 Deployment" },
    steps: &[
        Step {
            title: Text { en: "Meet your cluster", zh: "认识你的集群" },
            body: Text {
                en: "This sandbox is a simulated Kubernetes cluster: one control-plane node and three worker nodes, drawn in the cluster diagram.\n\nA node is a worker machine in Kubernetes: a virtual or physical computer. Every node runs a kubelet, the agent that talks to the control plane and manages the Pods and containers running on its machine. List the nodes:",
                zh: "这个沙箱是一个模拟的 Kubernetes 集群：一个控制平面节点和三个工作节点，画在集群图中。\n\n工作节点是 Kubernetes 中参与计算的机器，可以是虚拟机或物理计算机。每个节点都运行 Kubelet，它负责节点与控制平面之间的通信，并管理该机器上运行的 Pod 和容器。列出这些节点：",
            },
            commands: &["kubectl get nodes"],
        },
        Step {
            title: Text { en: "What is a Pod?", zh: "什么是 Pod？" },
            body: Text {
                en: "A Pod is a group of one or more containers, tied together for administration and networking: they share storage, one IP address and information about how to run them. The Pods in this lesson have just one container.\n\nPods are the atomic unit on Kubernetes. Your default namespace has none yet:",
                zh: "Pod 是由一个或多个为了管理和联网而绑定在一起的容器构成的组：它们共享存储（卷）、IP 地址以及如何运行它们的信息。本课中的 Pod 只有一个容器。\n\nPod 是 Kubernetes 平台上的原子单元。默认名字空间里现在还没有 Pod：",
            },
            commands: &["kubectl get pods"],
        },
        Step {
            title: Text { en: "Create a Deployment", zh: "创建 Deployment" },
            body: Text {
                en: "A Deployment checks on the health of your Pods and restarts a Pod's container if it terminates. Deployments are the recommended way to manage the creation and scaling of Pods.\n\nCreate a Deployment that manages three Pods, each running a container from the nginx image. Then watch the diagram: the scheduler binds each Pod to a worker node, the kubelet pulls the image (amber, ContainerCreating) and starts the container (green, Running).",
                zh: "Deployment 检查 Pod 的健康状况，并在 Pod 中的容器终止时重新启动新的容器。Deployment 是管理 Pod 创建和扩展的推荐方法。\n\n创建一个管理三个 Pod 的 Deployment，每个 Pod 运行一个 nginx 镜像的容器。然后观察集群图：调度器把每个 Pod 绑定到一个工作节点，Kubelet 拉取镜像（琥珀色，ContainerCreating）并启动容器（绿色，Running）。",
            },
            commands: &["kubectl create deployment web --image=nginx --replicas=3"],
        },
        Step {
            title: Text { en: "Look at what you made", zh: "查看创建的对象" },
            body: Text {
                en: "When you create a Deployment, Kubernetes creates Pods with containers inside them (not containers directly). READY shows how many of the desired Pods are available. Each Pod is tied to the node where it is scheduled and stays there until it terminates or is deleted; -o wide shows the node:",
                zh: "在 Kubernetes 上创建 Deployment 时，它会创建包含容器的 Pod（而不是直接创建容器）。READY 列显示期望的 Pod 中有几个已经可用。每个 Pod 都与调度它的工作节点绑定，并保持在那里直到终止或被删除;-o wide 会显示所在节点：",
            },
            commands: &["kubectl get deployments", "kubectl get pods -o wide"],
        },
        Step {
            title: Text { en: "Pods are ephemeral", zh: "Pod 是转瞬即逝的" },
            body: Text {
                en: "Pods have a lifecycle: when a worker node dies, the Pods on it die too. The Deployment's ReplicaSet then drives the cluster back to the desired state by creating new Pods.\n\nDelete all of the Deployment's Pods (they carry the label app=web) and watch new ones take their place, with new names:",
                zh: "Pod 拥有生命周期：当一个工作节点挂掉后，节点上运行的 Pod 也会消亡。Deployment 的 ReplicaSet 会自动创建新的 Pod，驱动集群回到目标状态。\n\n删除这个 Deployment 的所有 Pod（它们带有标签 app=web），观察新的 Pod 以新的名字取而代之：",
            },
            commands: &["kubectl delete pods -l app=web", "kubectl get pods"],
        },
        Step {
            title: Text { en: "Scale it", zh: "扩缩容" },
            body: Text {
                en: "Replicas are interchangeable: the rest of the system should not care which Pod serves it. Ask for five and the ReplicaSet makes two more; ask for two and it deletes the extra ones.",
                zh: "副本是可替换的：系统的其他部分不应该关心具体是哪个 Pod 在提供服务。把副本数改成 5，ReplicaSet 会再创建两个;改成 2，它会删除多余的 Pod。",
            },
            commands: &["kubectl scale deployment web --replicas=5", "kubectl scale deployment web --replicas=2"],
        },
        Step {
            title: Text { en: "Clean up", zh: "清理" },
            body: Text {
                en: "Deleting the Deployment deletes its ReplicaSet and, with it, its Pods. Well done: you created, healed and scaled an application on Kubernetes.",
                zh: "删除 Deployment 会一并删除它的 ReplicaSet 以及其中的 Pod。做得好：你已经在 Kubernetes 上创建、自愈并扩缩了一个应用。",
            },
            commands: &["kubectl delete deployment web", "kubectl get pods"],
        },
    ],
};

/// The panel's own words.
const UI_STEP: Text = Text {
    en: "Step",
    zh: "步骤",
};
const UI_PREV: Text = Text {
    en: "Back",
    zh: "上一步",
};
const UI_NEXT: Text = Text {
    en: "Next",
    zh: "下一步",
};
const UI_TRY: Text = Text {
    en: "Click a command to put it in the console, then press Enter.",
    zh: "点击命令把它放进控制台，然后按回车。",
};
const UI_LESSON: Text = Text {
    en: "Lesson 1",
    zh: "第 1 课",
};

#[derive(Properties, PartialEq)]
pub struct LessonPanelProps {
    pub lesson: Lesson,
    pub lang: Lang,
    pub on_lang: Callback<Lang>,
    /// A command was clicked.
    pub on_command: Callback<String>,
}

#[function_component]
pub fn LessonPanel(props: &LessonPanelProps) -> Html {
    let current = use_state(|| 0usize);
    let lang = props.lang;
    let steps = props.lesson.steps;
    let last = steps.len().saturating_sub(1);

    let go = |to: usize| {
        let current = current.clone();
        Callback::from(move |_: MouseEvent| current.set(to))
    };
    let items = steps.iter().enumerate().map(|(i, step)| {
        let active = i == *current;
        let state = if active { "active" } else if i < *current { "done" } else { "todo" };
        let commands = step.commands.iter().map(|&cmd| {
            let on_command = props.on_command.clone();
            html! {
                <button class="cmd" data-testid="lesson-command" title={UI_TRY.get(lang)}
                    onclick={move |_| on_command.emit(cmd.to_string())}>
                    <span class="cmd-prompt" aria-hidden="true">{ "$" }</span>
                    // Wrap between words only, never inside `--image=nginx`.
                    <span class="cmd-text">{ for cmd.split(' ').enumerate().map(|(i, word)| html! {
                        <>{ if i > 0 { " " } else { "" } }<span class="word">{ word }</span></>
                    }) }</span>
                </button>
            }
        });
        html! {
            <li key={i} class={classes!("lesson-step", state)} data-testid="lesson-step" data-active={active.to_string()}>
                <button class="step-head" onclick={go(i)} aria-expanded={active.to_string()}>
                    <span class="step-num">{ i + 1 }</span>
                    <span class="step-title">{ step.title.get(lang) }</span>
                </button>
                if active {
                    <div class="step-body">
                        { for step.body.get(lang).split("\n\n").map(|para| html! { <p>{ para }</p> }) }
                        <div class="commands">{ for commands }</div>
                    </div>
                }
            </li>
        }
    });
    let lang_button = |to: Lang, label: &'static str| {
        let on_lang = props.on_lang.clone();
        html! {
            <button class={classes!("seg", (lang == to).then_some("on"))} aria-pressed={(lang == to).to_string()}
                data-testid={format!("lang-{}", if to == Lang::En { "en" } else { "zh" })}
                onclick={move |_| on_lang.emit(to)}>{ label }</button>
        }
    };
    html! {
        <section class="lesson" data-testid="lesson-panel" lang={if lang == Lang::Zh { "zh-CN" } else { "en" }}>
            <header class="lesson-head">
                <div class="eyebrow-row">
                    <span class="eyebrow">{ UI_LESSON.get(lang) }</span>
                    <div class="segmented small" role="group" aria-label="Language">
                        { lang_button(Lang::En, "EN") }{ lang_button(Lang::Zh, "中文") }
                    </div>
                </div>
                <h2>{ props.lesson.title.get(lang) }</h2>
            </header>
            <div class="progress" aria-hidden="true">
                <div class="bar" style={format!("width:{}%", (*current + 1) * 100 / steps.len().max(1))}></div>
            </div>
            <ol class="steps">{ for items }</ol>
            <footer class="lesson-nav">
                <button class="ghost" data-testid="lesson-prev" disabled={*current == 0} onclick={go(current.saturating_sub(1))}>
                    { "← " }{ UI_PREV.get(lang) }
                </button>
                <span class="count">{ format!("{} {} / {}", UI_STEP.get(lang), *current + 1, steps.len()) }</span>
                <button class="primary" data-testid="lesson-next" disabled={*current >= last} onclick={go((*current + 1).min(last))}>
                    { UI_NEXT.get(lang) }{ " →" }
                </button>
            </footer>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lesson_one_is_complete_in_both_languages() {
        assert!(LESSON_1.steps.len() >= 5);
        for step in LESSON_1.steps {
            for text in [step.title, step.body] {
                assert!(!text.en.is_empty() && !text.zh.is_empty());
            }
            assert!(!step.commands.is_empty());
            assert!(step.commands.iter().all(|c| c.starts_with("kubectl ")));
        }
        assert!(LESSON_1.steps.iter().any(|s| s
            .commands
            .contains(&"kubectl create deployment web --image=nginx --replicas=3")));
    }

    /// Every command the lesson offers works in a fresh sandbox, in order (as a learner clicks
    /// them), with half a minute of cluster time between steps.
    #[test]
    fn every_lesson_command_succeeds() {
        use kubelab_kubectl::script::{Feed, Interpreter};
        use kubelab_kubectl::{Session, SessionOptions};
        let mut session = Session::new(SessionOptions::default());
        let mut shell = Interpreter::default();
        for (i, step) in LESSON_1.steps.iter().enumerate() {
            for cmd in step.commands {
                match shell.feed(&mut session, cmd) {
                    Feed::Done(out) => assert_eq!(
                        out.exit_code,
                        0,
                        "step {}: `{cmd}` printed:\n{}",
                        i + 1,
                        out.text()
                    ),
                    Feed::NeedMore => panic!("step {}: `{cmd}` is incomplete", i + 1),
                }
            }
            session.advance(30_000);
        }
    }

    #[test]
    fn language_from_browser_tag() {
        assert_eq!(Lang::from_tag("zh-CN"), Lang::Zh);
        assert_eq!(Lang::from_tag("ZH-tw"), Lang::Zh);
        assert_eq!(Lang::from_tag("en-US"), Lang::En);
        assert_eq!(Lang::from_tag("de"), Lang::En);
    }
}
