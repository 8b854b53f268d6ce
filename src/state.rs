//! The app's one piece of shared state: a sandbox (kubectl [`Session`] + script [`Interpreter`]),
//! its console transcript and its virtual clock, changed only through [`Action`]s.
//!
//! Components never touch the session: they read the render-ready snapshots below (`view`,
//! `entries`, `now_ms`…) and dispatch actions. Every snapshot is behind an `Rc` and is rebuilt only
//! when it changed, so a leaf whose props are a snapshot re-renders only when that snapshot did.

use std::cell::RefCell;
use std::rc::Rc;

use kubelab_kubectl::script::{Feed, Host, Interpreter};
use kubelab_kubectl::session::ClusterView;
use kubelab_kubectl::{Output, Session, SessionOptions, Stream};
use yew::prelude::*;

/// Most transcript entries kept; older ones scroll away for good (keeps long sessions fast).
pub const MAX_ENTRIES: usize = 600;
/// Most history lines kept for ArrowUp/ArrowDown.
pub const MAX_HISTORY: usize = 200;
/// Largest wall-clock gap one tick may cover (a tab that slept for an hour resumes gently).
pub const MAX_TICK_MS: u64 = 5_000;

/// What a transcript entry is: how the console colours it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntryKind {
    /// A line the learner typed, echoed as `$ line`.
    Command,
    /// A heredoc continuation line, echoed as `> line`.
    Continuation,
    Stdout,
    Stderr,
    /// The console's own notes (welcome text, `^C`), never kubectl output.
    Info,
}

/// One chunk of console text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// Unique within a sandbox: the key of the element that shows it.
    pub id: u64,
    pub kind: EntryKind,
    pub text: String,
}

/// Every change to a sandbox.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// One line typed or pasted into the console (without its newline).
    Submit(String),
    /// `ms` of wall-clock time passed; the cluster advances by `ms × speed` unless paused.
    Tick(u64),
    /// Advance the cluster by `ms` of virtual time now, paused or not (the "+10s" button).
    Step(u64),
    TogglePause,
    /// Set the clock speed multiplier (1 or 10).
    SetSpeed(u32),
    /// Ctrl-L: empty the transcript.
    Clear,
    /// Ctrl-C: drop a half-typed heredoc.
    Interrupt,
    /// Put a command into the console input without running it (lesson panel).
    Suggest(String),
}

/// The mutable part, shared by every snapshot of one sandbox.
struct Sandbox {
    session: Session,
    interpreter: Interpreter,
    /// Virtual ms advanced so far (what the clock shows between view rebuilds).
    now_ms: u64,
    /// `session.revision()` when `view` was last built.
    revision: u64,
    next_id: u64,
}

/// A snapshot of one sandbox: cheap to clone, compared by `rev` (bumped per visible change).
#[derive(Clone)]
pub struct Sim {
    sandbox: Rc<RefCell<Sandbox>>,
    rev: u64,
    /// The diagram's picture; rebuilt only when the session's revision moved.
    pub view: Rc<ClusterView>,
    /// Virtual time in ms, for the clock.
    pub now_ms: u64,
    pub entries: Rc<Vec<Entry>>,
    /// Commands typed, oldest first.
    pub history: Rc<Vec<String>>,
    /// True while the interpreter waits for more lines (a heredoc): the prompt shows `> `.
    pub continuation: bool,
    pub paused: bool,
    pub speed: u32,
    /// A command to place in the console input; the number makes each request distinct.
    pub suggestion: Option<(u64, String)>,
}

impl PartialEq for Sim {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.sandbox, &other.sandbox) && self.rev == other.rev
    }
}

impl Sim {
    pub fn new(options: SessionOptions, welcome: &str) -> Self {
        let session = Session::new(options);
        let revision = session.revision();
        let view = Rc::new(session.view());
        let now_ms = view.now_ms;
        let mut entries = Vec::new();
        if !welcome.is_empty() {
            entries.push(Entry {
                id: 0,
                kind: EntryKind::Info,
                text: welcome.to_string(),
            });
        }
        Self {
            sandbox: Rc::new(RefCell::new(Sandbox {
                session,
                interpreter: Interpreter::default(),
                now_ms,
                revision,
                next_id: 1,
            })),
            rev: 0,
            view,
            now_ms,
            entries: Rc::new(entries),
            history: Rc::new(Vec::new()),
            continuation: false,
            paused: false,
            speed: 1,
            suggestion: None,
        }
    }

    /// Applies `action` to a copy of this snapshot; `None` when nothing visible changed.
    fn apply(&self, action: Action) -> Option<Sim> {
        let mut next = self.clone();
        // Ticks too small to redraw still moved the clock: show the true time from now on.
        next.now_ms = self.sandbox.borrow().now_ms;
        match action {
            Action::Submit(line) => next.submit(line),
            Action::Tick(wall_ms) => {
                if self.paused {
                    return None;
                }
                let ms = wall_ms.min(MAX_TICK_MS) * u64::from(self.speed);
                next.advance(ms);
                // The clock shows whole seconds: skip renders that would change nothing.
                if Rc::ptr_eq(&next.view, &self.view)
                    && Rc::ptr_eq(&next.entries, &self.entries)
                    && next.now_ms / 1000 == self.now_ms / 1000
                {
                    return None;
                }
            }
            Action::Step(ms) => next.advance(ms),
            Action::TogglePause => next.paused = !next.paused,
            Action::SetSpeed(speed) => {
                if speed == self.speed {
                    return None;
                }
                next.speed = speed.clamp(1, 100);
            }
            Action::Clear => next.entries = Rc::new(Vec::new()),
            Action::Interrupt => {
                // Like Ctrl-C in a terminal: forget the half-typed command, close a watch.
                let closed = {
                    let mut sb = next.sandbox.borrow_mut();
                    sb.interpreter = Interpreter::default();
                    sb.session.interrupt()
                };
                next.continuation = false;
                next.push(EntryKind::Info, "^C\n".to_string());
                next.push_output(closed);
            }
            Action::Suggest(cmd) => {
                let id = next.sandbox.borrow_mut().take_id();
                next.suggestion = Some((id, cmd));
            }
        }
        next.rev += 1;
        Some(next)
    }

    fn submit(&mut self, line: String) {
        let line = line.trim_end_matches(['\r', '\n']).to_string();
        let kind = if self.continuation {
            EntryKind::Continuation
        } else {
            EntryKind::Command
        };
        let prompt = if self.continuation { "> " } else { "$ " };
        self.push(kind, format!("{prompt}{line}\n"));
        if !self.continuation {
            let trimmed = line.trim();
            if !trimmed.is_empty() && self.history.last().map(String::as_str) != Some(trimmed) {
                let history = Rc::make_mut(&mut self.history);
                history.push(trimmed.to_string());
                if history.len() > MAX_HISTORY {
                    history.remove(0);
                }
            }
            if trimmed == "clear" {
                self.entries = Rc::new(Vec::new());
                return;
            }
        }
        let feed = {
            let mut guard = self.sandbox.borrow_mut();
            let sb = &mut *guard;
            sb.interpreter.feed(&mut sb.session, &line)
        };
        match feed {
            Feed::NeedMore => self.continuation = true,
            Feed::Done(output) => {
                self.continuation = false;
                self.push_output(output);
            }
        }
        self.resync();
    }

    /// After a command: rebuild the view and take the engine's clock (`sleep 5` moves time
    /// without changing any object). Keeps the old view when the picture is the same.
    fn resync(&mut self) {
        let mut sb = self.sandbox.borrow_mut();
        sb.revision = sb.session.revision();
        let view = sb.session.view();
        sb.now_ms = sb.now_ms.max(view.now_ms);
        self.now_ms = sb.now_ms;
        if view.nodes != self.view.nodes || view.unscheduled != self.view.unscheduled {
            self.view = Rc::new(view);
        }
    }

    fn advance(&mut self, ms: u64) {
        if ms == 0 {
            return;
        }
        let streamed = {
            let mut sb = self.sandbox.borrow_mut();
            sb.now_ms += ms;
            sb.session.advance(ms)
        };
        // An open `kubectl get -w` prints as time passes.
        self.push_output(streamed);
        self.refresh_view();
    }

    /// Rebuilds `view` if the cluster changed since it was built; always syncs `now_ms`.
    fn refresh_view(&mut self) {
        let mut sb = self.sandbox.borrow_mut();
        let revision = sb.session.revision();
        if revision != sb.revision {
            sb.revision = revision;
            let view = sb.session.view();
            // Trust the engine's clock whenever it reports one.
            if view.now_ms > 0 {
                sb.now_ms = view.now_ms;
            }
            self.view = Rc::new(view);
        }
        self.now_ms = sb.now_ms;
    }

    fn push_output(&mut self, output: Output) {
        if output.chunks.is_empty() {
            return;
        }
        for (stream, text) in output.chunks {
            let kind = match stream {
                Stream::Stdout => EntryKind::Stdout,
                Stream::Stderr => EntryKind::Stderr,
            };
            self.push(kind, text);
        }
    }

    fn push(&mut self, kind: EntryKind, text: String) {
        let id = self.sandbox.borrow_mut().take_id();
        let entries = Rc::make_mut(&mut self.entries);
        entries.push(Entry { id, kind, text });
        if entries.len() > MAX_ENTRIES {
            let extra = entries.len() - MAX_ENTRIES;
            entries.drain(..extra);
        }
    }
}

impl Sandbox {
    fn take_id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }
}

impl Reducible for Sim {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        match self.apply(action) {
            Some(next) => Rc::new(next),
            None => self,
        }
    }
}

/// What components get from [`SimProvider`].
pub type SimHandle = UseReducerHandle<Sim>;

#[derive(Properties, PartialEq)]
pub struct SimProviderProps {
    /// Seed and size of the cluster.
    #[prop_or(1)]
    pub seed: u64,
    #[prop_or(3)]
    pub workers: u32,
    /// Shown once at the top of the console.
    #[prop_or_default]
    pub welcome: AttrValue,
    #[prop_or_default]
    pub children: Html,
}

/// Owns one sandbox and hands it to its children through context.
#[function_component]
pub fn SimProvider(props: &SimProviderProps) -> Html {
    let (seed, workers, welcome) = (props.seed, props.workers, props.welcome.clone());
    let sim = use_reducer_eq(move || Sim::new(SessionOptions { seed, workers }, &welcome));
    html! {
        <ContextProvider<SimHandle> context={sim}>
            { props.children.clone() }
        </ContextProvider<SimHandle>>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sim() -> Sim {
        Sim::new(SessionOptions::default(), "hello\n")
    }

    fn run(sim: &Sim, action: Action) -> Sim {
        sim.apply(action).expect("a visible change")
    }

    #[test]
    fn submit_echoes_the_command_and_records_history() {
        let s = run(&sim(), Action::Submit("kubectl get pods".into()));
        assert_eq!(s.entries[0].text, "hello\n");
        assert_eq!(s.entries[1].kind, EntryKind::Command);
        assert_eq!(s.entries[1].text, "$ kubectl get pods\n");
        assert!(
            s.entries.len() >= 3,
            "kubectl printed something: {:?}",
            s.entries
        );
        assert_eq!(*s.history, vec!["kubectl get pods".to_string()]);
        let s = run(&s, Action::Submit("kubectl get pods".into()));
        assert_eq!(s.history.len(), 1, "repeated commands are stored once");
    }

    #[test]
    fn clear_and_blank_lines() {
        let s = run(&sim(), Action::Submit(String::new()));
        assert_eq!(s.entries.last().unwrap().text, "$ \n");
        assert!(s.history.is_empty());
        let s = run(&s, Action::Clear);
        assert!(s.entries.is_empty());
        let s = run(&s, Action::Submit("clear".into()));
        assert!(s.entries.is_empty());
    }

    #[test]
    fn heredoc_shows_a_continuation_prompt() {
        let s = run(&sim(), Action::Submit("kubectl apply -f - <<EOF".into()));
        assert!(s.continuation);
        let s = run(&s, Action::Submit("kind: Pod".into()));
        assert_eq!(s.entries.last().unwrap().text, "> kind: Pod\n");
        assert_eq!(s.history.len(), 1, "continuation lines are not history");
        let s = run(&s, Action::Interrupt);
        assert!(!s.continuation);
    }

    #[test]
    fn the_clock_runs_only_when_playing() {
        let s = sim();
        // The engine's clock starts where bootstrap left it; count from there.
        let t0 = s.now_ms;
        let s = run(&s, Action::Tick(1_000));
        assert_eq!(s.now_ms, t0 + 1_000);
        let s = run(&s, Action::SetSpeed(10));
        let s = run(&s, Action::Tick(100));
        assert_eq!(s.now_ms, t0 + 2_000, "10x");
        let s = run(&s, Action::TogglePause);
        assert!(s.apply(Action::Tick(1_000)).is_none(), "paused");
        let s = run(&s, Action::Step(10_000));
        assert_eq!(s.now_ms, t0 + 12_000, "+10s works while paused");
        let s = run(&s, Action::TogglePause);
        let s = run(&s, Action::Tick(u64::MAX));
        assert_eq!(
            s.now_ms,
            t0 + 12_000 + MAX_TICK_MS * 10,
            "huge gaps are clamped"
        );
    }

    #[test]
    fn small_ticks_add_up_without_redrawing_the_clock() {
        let s = sim();
        let t0 = s.now_ms;
        let mut redraws = 0;
        let mut last = s.clone();
        for _ in 0..30 {
            if let Some(next) = last.apply(Action::Tick(100)) {
                redraws += 1;
                last = next;
            }
        }
        assert!(redraws <= 4, "about one redraw a second, got {redraws}");
        let s = run(&last, Action::TogglePause);
        assert_eq!(s.now_ms, t0 + 3_000);
    }

    #[test]
    fn transcript_is_capped() {
        let mut s = sim();
        for i in 0..MAX_ENTRIES {
            s = run(&s, Action::Submit(format!("kubectl get pod p{i}")));
        }
        assert_eq!(s.entries.len(), MAX_ENTRIES);
        assert!(s.history.len() <= MAX_HISTORY);
    }
}
