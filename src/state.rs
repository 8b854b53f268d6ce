//! The app's one piece of shared state: a sandbox (kubectl [`Session`] + script [`Interpreter`]),
//! its console transcript, its virtual clock, its event log and the lesson goal it tracks,
//! changed only through [`Action`]s.
//!
//! Components never touch the session: they read the render-ready snapshots below (`view`,
//! `entries`, `now_ms`, `goal`…) and dispatch actions. Every snapshot is behind an `Rc` and is
//! rebuilt only when it changed, so a leaf whose props are a snapshot re-renders only when that
//! snapshot did.
//!
//! Work is bounded per frame: pasted lines, lines typed while the sandbox restores and the saved
//! events being replayed wait in queues that [`Action::Pump`] (one per animation frame) drains
//! for at most [`FRAME_BUDGET_MS`]; the clock owes the cluster virtual time ("debt") and pays it
//! in slices within the same budget, catching up over several frames when the cluster is busy.
//!
//! Every input is recorded in an event log ([`crate::persist`]) and saved to `localStorage`
//! after each command (clock-only changes at most every [`SAVE_EVERY_MS`]), so a reload replays
//! the log and lands on the same cluster, transcript and history.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use kubelab_kubectl::script::{self, Feed, Host, Interpreter};
use kubelab_kubectl::session::ClusterView;
use kubelab_kubectl::{Output, Session, SessionOptions, Stream};
use kubelab_lessons::{Check, StepStart, Verdict};
use yew::prelude::*;

use crate::persist::{fingerprint, push_event, Event, Keys, LoadError, SavedSandbox, ENGINE, FORMAT};
use crate::storage;

/// Most transcript entries kept; older ones scroll away for good (keeps long sessions fast).
pub const MAX_ENTRIES: usize = 600;
/// Most transcript text kept, in bytes (older entries go first).
pub const MAX_TRANSCRIPT_BYTES: usize = 2 * 1024 * 1024;
/// One output longer than this is cut (what follows is summarised in one line).
pub const MAX_ENTRY_BYTES: usize = 512 * 1024;
/// Most history lines kept for ArrowUp/ArrowDown.
pub const MAX_HISTORY: usize = 200;
/// The line the console sends for Ctrl-D on an empty input: the terminal's end-of-input
/// character (EOT), kept in the event log like any line so a replay ends a shell the same way.
pub const EOT: &str = "\u{4}";
/// Largest wall-clock gap one tick may count (a tab that slept for an hour resumes gently).
pub const MAX_TICK_MS: u64 = 5_000;
/// Most virtual time the clock may owe the cluster; beyond it, time is dropped (the clock slows
/// down instead of freezing the page when the cluster is too busy to keep up).
pub const MAX_DEBT_MS: u64 = 10_000;
/// Engine work per frame, in wall ms: queued lines, replayed events and clock slices stop here
/// and continue on the next frame.
pub const FRAME_BUDGET_MS: f64 = 8.0;
/// Engine work per frame while a saved sandbox is replayed: the learner is waiting for it (the
/// console queues what they type), so replay gets more of each frame, well under a long task.
pub const RESTORE_BUDGET_MS: f64 = 32.0;
/// While the clock is still catching up (or a replay runs), the diagram's picture is rebuilt at
/// most this often (wall ms): with a thousand pods, building and drawing it every frame would
/// cost more than the engine work itself. Once the work is done it is rebuilt at once.
pub const VIEW_EVERY_MS: f64 = 100.0;
/// The same while a saved sandbox is replayed (the picture is behind the "Restoring" card).
pub const RESTORE_VIEW_EVERY_MS: f64 = 400.0;
/// Longest console line accepted (typed or pasted).
pub const MAX_LINE_BYTES: usize = 64 * 1024;
/// Largest paste accepted at once.
pub const MAX_PASTE_BYTES: usize = 512 * 1024;
/// Most lines accepted in one paste.
pub const MAX_PASTE_LINES: usize = 5_000;
/// Largest event log saved (a sandbox whose inputs outgrow it keeps working, unsaved).
pub const MAX_LOG_BYTES: usize = 2 * 1024 * 1024;
/// A replay taking longer than this (wall ms) offers to start fresh instead.
pub const REPLAY_SLOW_MS: f64 = 4_000.0;
/// Clock-only changes are saved at most this often (wall ms).
pub const SAVE_EVERY_MS: f64 = 2_000.0;
/// Goals are re-evaluated when the cluster or the command history changed, and at least once per
/// this much virtual time (logs grow without changing any object).
pub const GOAL_RECHECK_MS: u64 = 1_000;

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
    /// The console refusing something (a paste over the limit).
    Warn,
}

/// One chunk of console text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// Unique within a sandbox: the key of the element that shows it.
    pub id: u64,
    pub kind: EntryKind,
    pub text: String,
}

/// The lesson step whose goal the sandbox watches.
#[derive(Clone, Debug, PartialEq)]
pub struct Track {
    /// Which step (the lesson id and the 0-based step), so a view knows whose verdicts these are.
    pub lesson: String,
    pub step: usize,
    pub goal: Rc<Vec<Check>>,
    /// When the step began; `None` (or a start the sandbox has not reached) means now.
    pub start: Option<StepStart>,
}

/// What the tracked goal looks like now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GoalState {
    pub lesson: String,
    pub step: usize,
    pub start: StepStart,
    /// One per check of the goal, in order.
    pub verdicts: Vec<Verdict>,
    pub met: bool,
    /// The goal cannot be evaluated (a broken lesson).
    pub error: Option<String>,
}

/// Where a sandbox is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    Ready,
    /// A lesson sandbox waiting for its lesson's setup script (typed lines wait too).
    AwaitingSetup,
    /// Replaying the saved events; `slow` once it takes longer than [`REPLAY_SLOW_MS`].
    Restoring {
        done: usize,
        total: usize,
        slow: bool,
    },
}

/// Something the sandbox tells the learner outside the console.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Notice {
    /// The saved sandbox could not be used; a fresh one started (the old value is kept as a
    /// backup key).
    RestoreFailed(LoadError),
    /// The page stopped while replaying this sandbox last time; it was not replayed again.
    ReplayCrashed,
    /// Restored from the saved events.
    Restored { events: usize },
    /// Saving failed (storage full or disabled).
    SaveFailed(String),
    /// The event log outgrew [`MAX_LOG_BYTES`]: no longer saved.
    TooBigToSave,
    /// The save came from another kubelab (`saved_by`: its version, or `None` for format 1,
    /// which did not record it): its events were replayed on this one, which may come out a
    /// little differently; the original value is kept as the backup key.
    OtherVersion { saved_by: Option<String>, format: u64 },
    /// Another tab (or window) of this site saved work in this sandbox (a command, not just time
    /// passing) since this tab last read or wrote it. This tab stops saving, so neither tab's work is overwritten, until the
    /// learner reloads (to take the other tab's) or keeps this tab's ([`Action::KeepThisTab`]).
    ChangedElsewhere,
}

/// A run of lines placed in the console input one at a time ("show solution").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suggestion {
    /// A new number per request, so the same lines can be suggested twice.
    pub id: u64,
    pub lines: Rc<Vec<String>>,
    /// The line in the input now.
    pub at: usize,
}

/// Every change to a sandbox.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// One line typed into the console (without its newline).
    Submit(String),
    /// Lines pasted at once: queued and run a frame's budget at a time.
    Paste(Vec<String>),
    /// The console refused input (a paste over the limit): say why.
    Refuse(String),
    /// An animation frame: run queued work within the frame budget.
    Pump,
    /// `ms` of wall-clock time passed; the cluster advances by `ms × speed` unless paused.
    Tick(u64),
    /// Advance the cluster by `ms` of virtual time, paused or not (the "+10s" button).
    Step(u64),
    TogglePause,
    /// Set the clock speed multiplier (1 or 10).
    SetSpeed(u32),
    /// Ctrl-L: empty the transcript.
    Clear,
    /// Ctrl-C: drop a half-typed heredoc, close a watch, stop a paste.
    Interrupt,
    /// Put lines into the console input one at a time, without running them (lesson panel).
    Suggest(Vec<String>),
    /// Run the suggested lines not run yet, like a paste.
    SuggestRest,
    /// Stop suggesting.
    SuggestCancel,
    /// Run a lesson's setup on a sandbox that waits for it (recorded, not echoed).
    Setup {
        label: String,
        script: String,
    },
    /// Watch this goal (or none).
    Track(Option<Track>),
    /// Hide a notice.
    Dismiss(usize),
    /// The browser said another tab changed storage (the `storage` event for this sandbox's key).
    StorageChanged,
    /// After [`Notice::ChangedElsewhere`]: save this tab's sandbox over the other tab's (whose
    /// value is kept as the backup key).
    KeepThisTab,
}

/// Saving: where, and how it went.
struct Persist {
    keys: Keys,
    id: String,
    last_save: f64,
    /// Events or settings changed since the last save.
    dirty: bool,
    /// Only the clock moved since the last save.
    clock_dirty: bool,
    failed: bool,
    /// [`fingerprint`] of the value this tab last read or wrote: other work in storage was
    /// done by another tab.
    seen: Option<u64>,
    /// Another tab wrote since: saving is suspended (see [`Notice::ChangedElsewhere`]).
    conflict: bool,
}

struct Tracking {
    track: Track,
    start: StepStart,
    /// (revision, history length, virtual time / GOAL_RECHECK_MS) at the last evaluation.
    last: Option<(u64, usize, u64)>,
}

/// The mutable part, shared by every snapshot of one sandbox.
struct Sandbox {
    session: Session,
    interpreter: Interpreter,
    /// `session.revision()` when `view` was last built.
    revision: u64,
    /// When (wall ms) `view` was last built.
    view_at: f64,
    next_id: u64,
    /// Every input so far (replayed ones included).
    log: Vec<Event>,
    log_bytes: usize,
    /// Saved events still to replay (already in `log`).
    replay: VecDeque<Event>,
    replay_total: usize,
    replay_started: f64,
    /// Marks the sandbox as "being replayed" in storage while it is: if the page dies during the
    /// replay, the next load does not replay it again (see [`crate::crash::ReplayGuard`]).
    replay_guard: Option<crate::crash::ReplayGuard>,
    /// Inputs waiting their turn: pasted lines, lines typed during a restore.
    queue: VecDeque<String>,
    /// Virtual ms the clock owes the cluster.
    debt_ms: u64,
    tracking: Option<Tracking>,
    persist: Option<Persist>,
    /// Bytes of transcript text kept.
    transcript_bytes: usize,
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
    /// The prompt the next line is typed at: `$ `, `> `, or a container shell's (`/ # `)
    /// while `kubectl exec -it … -- sh` is open.
    pub prompt: String,
    pub paused: bool,
    pub speed: u32,
    /// Lines being placed in the console input one at a time.
    pub suggestion: Option<Rc<Suggestion>>,
    pub phase: Phase,
    /// Queued input lines: (still waiting, in this batch).
    pub queued: (usize, usize),
    /// The tracked goal, evaluated.
    pub goal: Option<Rc<GoalState>>,
    pub notices: Rc<Vec<Notice>>,
}

impl PartialEq for Sim {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.sandbox, &other.sandbox) && self.rev == other.rev
    }
}

/// How to open a sandbox.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Spec {
    pub options: SessionOptions,
    /// Shown once at the top of the console.
    pub welcome: String,
    /// Save to (and restore from) `keys.sandbox(id)`; `None` for embedded sandboxes.
    pub persist: Option<(Keys, String)>,
    /// A fresh sandbox waits for [`Action::Setup`] (lessons); else it is ready at once.
    pub needs_setup: bool,
}

impl Sim {
    /// A fresh, ready sandbox that is not saved.
    pub fn new(options: SessionOptions, welcome: &str) -> Self {
        Sim::open(Spec {
            options,
            welcome: welcome.to_string(),
            persist: None,
            needs_setup: false,
        })
    }

    /// Opens a sandbox: restores the saved one if there is a usable one (its events are then
    /// replayed by [`Action::Pump`]s), else starts fresh. Problems become [`Notice`]s.
    pub fn open(spec: Spec) -> Self {
        let mut notices = Vec::new();
        let mut saved = None;
        let mut persist = None;
        if let Some((keys, id)) = &spec.persist {
            let key = keys.sandbox(id);
            let set_aside = |raw: &str| {
                let _ = storage::set(&keys.backup(id), raw);
                storage::remove(&key);
            };
            match storage::get(&key) {
                Err(e) => notices.push(Notice::SaveFailed(e)),
                Ok(raw) => {
                    let crashed = matches!(storage::get(&keys.replaying(id)), Ok(Some(_)));
                    let mut kept = raw.as_deref();
                    match raw.as_deref() {
                        None => {}
                        Some(raw) if crashed => {
                            set_aside(raw);
                            kept = None;
                            notices.push(Notice::ReplayCrashed);
                        }
                        Some(raw) => match SavedSandbox::decode(raw) {
                            Ok(s) => {
                                if s.format != FORMAT || s.engine.as_deref() != Some(ENGINE) {
                                    // Replayed anyway (they are the learner's inputs), but the
                                    // original stays readable by the kubelab that wrote it.
                                    let _ = storage::set(&keys.backup(id), raw);
                                    notices.push(Notice::OtherVersion {
                                        saved_by: s.engine.clone(),
                                        format: s.format,
                                    });
                                }
                                saved = Some(s);
                            }
                            Err(e) => {
                                set_aside(raw);
                                kept = None;
                                notices.push(Notice::RestoreFailed(e));
                            }
                        },
                    }
                    storage::remove(&keys.replaying(id));
                    persist = Some(Persist {
                        keys: keys.clone(),
                        id: id.clone(),
                        last_save: storage::wall_ms(),
                        dirty: false,
                        clock_dirty: false,
                        failed: false,
                        seen: fingerprint(kept),
                        conflict: false,
                    });
                }
            }
        }
        let options = match &saved {
            Some(s) => SessionOptions {
                seed: s.seed,
                workers: s.workers,
            },
            None => spec.options.clone(),
        };
        let session = Session::new(options);
        let revision = session.revision();
        let view = Rc::new(session.view());
        let now_ms = session.now_ms();
        let mut entries = Vec::new();
        if !spec.welcome.is_empty() {
            entries.push(Entry {
                id: 0,
                kind: EntryKind::Info,
                text: spec.welcome.clone(),
            });
        }
        let mut replay_guard = None;
        let (phase, replay, log, speed, paused) = match saved {
            Some(s) if !s.events.is_empty() => {
                if let Some(p) = &persist {
                    replay_guard = Some(crate::crash::ReplayGuard::new(p.keys.replaying(&p.id)));
                }
                let total = s.events.len();
                (
                    Phase::Restoring {
                        done: 0,
                        total,
                        slow: false,
                    },
                    s.events.iter().cloned().collect(),
                    s.events,
                    s.speed,
                    s.paused,
                )
            }
            Some(s) => (Phase::Ready, VecDeque::new(), Vec::new(), s.speed, s.paused),
            None if spec.needs_setup => (Phase::AwaitingSetup, VecDeque::new(), Vec::new(), 1, false),
            None => (Phase::Ready, VecDeque::new(), Vec::new(), 1, false),
        };
        let log_bytes = log.iter().map(Event::weight).sum();
        let transcript_bytes = entries.iter().map(|e| e.text.len()).sum();
        let replay_total = replay.len();
        Self {
            sandbox: Rc::new(RefCell::new(Sandbox {
                session,
                interpreter: Interpreter::default(),
                revision,
                view_at: storage::wall_ms(),
                next_id: 1,
                log,
                log_bytes,
                replay,
                replay_total,
                replay_started: storage::wall_ms(),
                replay_guard,
                queue: VecDeque::new(),
                debt_ms: 0,
                tracking: None,
                persist,
                transcript_bytes,
            })),
            rev: 0,
            view,
            now_ms,
            entries: Rc::new(entries),
            history: Rc::new(Vec::new()),
            continuation: false,
            prompt: "$ ".to_string(),
            paused,
            speed,
            suggestion: None,
            phase,
            queued: (0, 0),
            goal: None,
            notices: Rc::new(notices),
        }
    }

    /// True while queued work waits for the next frame ([`Action::Pump`]).
    pub fn needs_frame(&self) -> bool {
        let sb = self.sandbox.borrow();
        matches!(self.phase, Phase::Restoring { .. })
            || (self.phase == Phase::Ready
                && (!sb.queue.is_empty() || sb.debt_ms > 0 || sb.session.revision() != sb.revision))
    }

    /// The recorded events (what would be saved).
    pub fn events(&self) -> Vec<Event> {
        self.sandbox.borrow().log.clone()
    }

    /// Runs `f` on the session (tests and diagnostics).
    pub fn with_session<R>(&self, f: impl FnOnce(&Session) -> R) -> R {
        f(&self.sandbox.borrow().session)
    }

    /// Applies `action` to a copy of this snapshot; `None` when nothing visible changed.
    pub fn apply(&self, action: Action) -> Option<Sim> {
        let mut next = self.clone();
        let tick = matches!(action, Action::Tick(_));
        match action {
            Action::Submit(line) => next.submit(line),
            Action::Paste(lines) => {
                next.enqueue(lines);
                next.pump();
            }
            Action::Refuse(msg) => next.push(EntryKind::Warn, msg),
            Action::Pump => {
                if !self.needs_frame() {
                    return None;
                }
                next.pump();
            }
            Action::Tick(wall_ms) => {
                if self.phase != Phase::Ready {
                    return None;
                }
                if !self.paused {
                    let add = wall_ms.min(MAX_TICK_MS) * u64::from(self.speed);
                    let mut sb = next.sandbox.borrow_mut();
                    let cap = MAX_DEBT_MS.max(sb.debt_ms);
                    sb.debt_ms = (sb.debt_ms + add).min(cap);
                }
                let deadline = storage::wall_ms() + FRAME_BUDGET_MS;
                next.pay_debt(deadline);
            }
            Action::Step(ms) => {
                if self.phase != Phase::Ready {
                    return None;
                }
                next.sandbox.borrow_mut().debt_ms += ms;
                let deadline = storage::wall_ms() + FRAME_BUDGET_MS;
                next.pay_debt(deadline);
            }
            Action::TogglePause => {
                next.paused = !next.paused;
                if next.paused {
                    // Paused means paused now: time the clock still owed is dropped, not paid
                    // over the next frames (it only exists because the cluster was busy).
                    next.sandbox.borrow_mut().debt_ms = 0;
                }
                next.mark_dirty();
            }
            Action::SetSpeed(speed) => {
                if speed == self.speed {
                    return None;
                }
                next.speed = speed.clamp(1, 100);
                next.mark_dirty();
            }
            Action::Clear => {
                next.run_event(Event::Clear);
                next.record(Event::Clear);
            }
            Action::Interrupt => {
                let dropped = {
                    let mut sb = next.sandbox.borrow_mut();
                    let n = sb.queue.len();
                    sb.queue.clear();
                    n
                };
                next.queued = (0, 0);
                next.suggestion = None;
                if self.phase == Phase::Ready {
                    next.run_event(Event::Interrupt);
                    next.record(Event::Interrupt);
                }
                if dropped > 0 {
                    next.push(
                        EntryKind::Info,
                        format!(
                            "Stopped: {dropped} queued line{} not run.\n",
                            if dropped == 1 { " was" } else { "s were" }
                        ),
                    );
                }
            }
            Action::Suggest(lines) => {
                if lines.is_empty() {
                    return None;
                }
                let id = next.sandbox.borrow_mut().take_id();
                next.suggestion = Some(Rc::new(Suggestion {
                    id,
                    lines: Rc::new(lines),
                    at: 0,
                }));
            }
            Action::SuggestRest => {
                let s = next.suggestion.take()?;
                next.enqueue(s.lines[s.at..].to_vec());
                next.pump();
            }
            Action::SuggestCancel => {
                next.suggestion.as_ref()?;
                next.suggestion = None;
            }
            Action::Setup { label, script } => {
                if self.phase != Phase::AwaitingSetup {
                    return None;
                }
                let event = Event::Script { label, text: script };
                next.run_event(event.clone());
                next.record(event);
                next.phase = Phase::Ready;
                next.pump();
            }
            Action::Track(track) => {
                next.set_track(track);
            }
            Action::Dismiss(i) => {
                if i >= self.notices.len() {
                    return None;
                }
                Rc::make_mut(&mut next.notices).remove(i);
            }
            Action::StorageChanged => {
                if !next.check_conflict() {
                    return None;
                }
            }
            Action::KeepThisTab => {
                {
                    let mut sb = next.sandbox.borrow_mut();
                    let p = sb.persist.as_mut().filter(|p| p.conflict)?;
                    let key = p.keys.sandbox(&p.id);
                    let theirs = storage::get(&key).ok().flatten();
                    if let Some(theirs) = &theirs {
                        let _ = storage::set(&p.keys.backup(&p.id), theirs);
                    }
                    p.seen = fingerprint(theirs.as_deref());
                    p.conflict = false;
                    p.dirty = true;
                }
                Rc::make_mut(&mut next.notices).retain(|n| *n != Notice::ChangedElsewhere);
            }
        }
        next.evaluate_goal();
        next.save();
        if tick
            && Rc::ptr_eq(&next.view, &self.view)
            && Rc::ptr_eq(&next.entries, &self.entries)
            && next.goal == self.goal
            && Rc::ptr_eq(&next.notices, &self.notices)
            && next.now_ms / 1000 == self.now_ms / 1000
        {
            // The clock shows whole seconds: skip renders that would change nothing.
            return None;
        }
        next.rev += 1;
        Some(next)
    }

    // ----- input ---------------------------------------------------------------------------

    fn submit(&mut self, line: String) {
        let line = line.trim_end_matches(['\r', '\n']).to_string();
        if let Some(s) = self.suggestion.take() {
            if s.at + 1 < s.lines.len() {
                self.suggestion = Some(Rc::new(Suggestion {
                    at: s.at + 1,
                    ..(*s).clone()
                }));
            }
        }
        if line.len() > MAX_LINE_BYTES {
            self.push(
                EntryKind::Warn,
                format!(
                    "kubelab: line refused: {} is longer than the console accepts ({}). Nothing was run.\n",
                    human_bytes(line.len()),
                    human_bytes(MAX_LINE_BYTES)
                ),
            );
            return;
        }
        // Lines also wait while kubectl's help texts are being fetched (`kubectl_texts`).
        let busy =
            self.phase != Phase::Ready || !self.sandbox.borrow().queue.is_empty() || kubelab_kubectl::texts::loading();
        if busy {
            self.enqueue(vec![line]);
            self.pump();
        } else {
            self.run_event(Event::Line(line.clone()));
            self.record(Event::Line(line));
        }
    }

    fn enqueue(&mut self, lines: Vec<String>) {
        let mut sb = self.sandbox.borrow_mut();
        if sb.queue.is_empty() {
            self.queued = (0, 0);
        }
        self.queued.1 += lines.len();
        sb.queue.extend(lines);
        self.queued.0 = sb.queue.len();
    }

    /// One frame's work: replay saved events, or run queued lines, then pay the clock.
    fn pump(&mut self) {
        if kubelab_kubectl::texts::loading() {
            return; // a frame or two after the first paint; then the lines run in order
        }
        if let Phase::Restoring { .. } = self.phase {
            self.replay_some(storage::wall_ms() + RESTORE_BUDGET_MS);
            return;
        }
        let deadline = storage::wall_ms() + FRAME_BUDGET_MS;
        if self.phase != Phase::Ready {
            return;
        }
        loop {
            let line = self.sandbox.borrow_mut().queue.pop_front();
            let Some(line) = line else { break };
            if line.len() > MAX_LINE_BYTES {
                self.push(
                    EntryKind::Warn,
                    format!(
                        "kubelab: line refused: {} is longer than the console accepts ({}).\n",
                        human_bytes(line.len()),
                        human_bytes(MAX_LINE_BYTES)
                    ),
                );
            } else {
                self.run_event(Event::Line(line.clone()));
                self.record(Event::Line(line));
            }
            if storage::wall_ms() >= deadline {
                break;
            }
        }
        let left = self.sandbox.borrow().queue.len();
        self.queued.0 = left;
        if left == 0 {
            self.queued = (0, 0);
        }
        self.pay_debt(deadline);
    }

    fn replay_some(&mut self, deadline: f64) {
        loop {
            let event = self.sandbox.borrow_mut().replay.pop_front();
            let Some(event) = event else { break };
            if let Event::Advance(ms) = event {
                // A long stretch of saved time is replayed a frame's budget at a time too.
                let done = self.advance_within(ms, deadline);
                if done < ms {
                    self.sandbox.borrow_mut().replay.push_front(Event::Advance(ms - done));
                }
            } else {
                self.run_event(event);
            }
            if storage::wall_ms() >= deadline {
                break;
            }
        }
        let (left, total, started) = {
            let sb = self.sandbox.borrow();
            (sb.replay.len(), sb.replay_total, sb.replay_started)
        };
        self.sync_view(left == 0);
        if left == 0 {
            self.phase = Phase::Ready;
            let mut sb = self.sandbox.borrow_mut();
            sb.replay_guard = None; // the replay is over: no crash to remember
            sb.tracking.iter_mut().for_each(|t| t.last = None);
            drop(sb);
            Rc::make_mut(&mut self.notices).push(Notice::Restored { events: total });
            self.push(
                EntryKind::Info,
                format!(
                    "Restored this sandbox from its saved commands ({total} event{}).\n",
                    if total == 1 { "" } else { "s" }
                ),
            );
        } else {
            self.phase = Phase::Restoring {
                done: total - left,
                total,
                slow: storage::wall_ms() - started > REPLAY_SLOW_MS,
            };
        }
    }

    /// Executes one event (live or replayed) and updates the snapshots. Does not record it.
    fn run_event(&mut self, event: Event) {
        match event {
            Event::Line(line) => self.run_line(line),
            Event::Advance(ms) => {
                let streamed = self.sandbox.borrow_mut().session.advance(ms);
                self.push_output(streamed);
                // An open container shell ends if its container went away meanwhile.
                self.refresh_prompt();
                self.sync_view(true);
            }
            Event::Interrupt => {
                // Like Ctrl-C in a terminal: forget the half-typed command, close a watch.
                let closed = {
                    let mut sb = self.sandbox.borrow_mut();
                    sb.interpreter.cancel();
                    sb.session.interrupt()
                };
                self.refresh_prompt();
                self.push(EntryKind::Info, "^C\n".to_string());
                self.push_output(closed);
            }
            Event::Clear => {
                self.entries = Rc::new(Vec::new());
                self.sandbox.borrow_mut().transcript_bytes = 0;
            }
            Event::Script { label, text } => {
                let (transcript, failed) = {
                    let mut sb = self.sandbox.borrow_mut();
                    let before = sb.session.history.len();
                    let transcript = script::run_script(&mut sb.session, &text);
                    let failed = sb.session.history[before..].iter().any(|r| r.exit_code != 0);
                    (transcript, failed)
                };
                if failed {
                    self.push(
                        EntryKind::Stderr,
                        format!("{label} failed; what it printed:\n{transcript}"),
                    );
                } else if !label.is_empty() {
                    self.push(EntryKind::Info, format!("{label}\n"));
                }
                self.sync_view(!self.restoring());
            }
        }
    }

    /// Reads the prompt (and whether a command is half-typed) from the interpreter.
    fn refresh_prompt(&mut self) {
        let sb = self.sandbox.borrow();
        self.prompt = sb.interpreter.prompt(&sb.session);
        self.continuation = !sb.interpreter.is_idle();
    }

    fn run_line(&mut self, line: String) {
        if line == EOT {
            // Ctrl-D: the end of input for a container's shell (ignored at bash's own prompt).
            if !self.continuation && self.prompt != "$ " {
                self.push(EntryKind::Command, self.prompt.clone());
                let out = {
                    let mut guard = self.sandbox.borrow_mut();
                    let sb = &mut *guard;
                    sb.interpreter.end_of_input(&mut sb.session)
                };
                self.push_output(out);
                self.refresh_prompt();
                self.sync_view(!self.restoring());
            }
            return;
        }
        let kind = if self.continuation {
            EntryKind::Continuation
        } else {
            EntryKind::Command
        };
        self.push(kind, format!("{}{line}\n", self.prompt));
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
                self.sandbox.borrow_mut().transcript_bytes = 0;
                return;
            }
        }
        let feed = {
            let mut guard = self.sandbox.borrow_mut();
            let sb = &mut *guard;
            sb.interpreter.feed(&mut sb.session, &line)
        };
        if let Feed::Done(output) = feed {
            self.push_output(output);
        }
        self.refresh_prompt();
        self.sync_view(!self.restoring());
    }

    fn record(&mut self, event: Event) {
        let mut sb = self.sandbox.borrow_mut();
        sb.log_bytes += event.weight();
        let clock = matches!(event, Event::Advance(_));
        push_event(&mut sb.log, event);
        if let Some(p) = &mut sb.persist {
            if clock {
                p.clock_dirty = true;
            } else {
                p.dirty = true;
            }
        }
    }

    fn mark_dirty(&mut self) {
        if let Some(p) = &mut self.sandbox.borrow_mut().persist {
            p.dirty = true;
        }
    }

    // ----- the clock -------------------------------------------------------------------------

    /// Advances the cluster by what the clock owes, in slices (one instant with work due at a
    /// time), until paid or `deadline` (wall ms) passes; the rest waits for the next frame.
    fn pay_debt(&mut self, deadline: f64) {
        if self.phase != Phase::Ready {
            return;
        }
        let debt = self.sandbox.borrow().debt_ms;
        let paid = self.advance_within(debt, deadline);
        if paid > 0 {
            self.sandbox.borrow_mut().debt_ms -= paid;
            self.record(Event::Advance(paid));
        }
        let idle = {
            let sb = self.sandbox.borrow();
            sb.debt_ms == 0 && sb.queue.is_empty()
        };
        self.sync_view(idle);
    }

    /// Advances the cluster by up to `ms`, one instant with work due at a time, stopping early
    /// once `deadline` (wall ms) passed. Returns how far it got. Slicing changes nothing: the
    /// engine's `advance(a); advance(b)` is `advance(a + b)`.
    fn advance_within(&mut self, ms: u64, deadline: f64) -> u64 {
        let mut paid = 0u64;
        let mut streamed = Output::ok();
        {
            let mut sb = self.sandbox.borrow_mut();
            while paid < ms {
                let left = ms - paid;
                let now = sb.session.now_ms();
                let slice = match sb.session.cluster.next_wakeup() {
                    Some(t) if t.0 > now && t.0 - now < left => t.0 - now,
                    Some(t) if t.0 <= now => 1.min(left),
                    _ => left,
                };
                streamed.extend(sb.session.advance(slice));
                paid += slice;
                if storage::wall_ms() >= deadline {
                    break;
                }
            }
        }
        if paid > 0 {
            self.push_output(streamed);
        }
        paid
    }

    // ----- snapshots -------------------------------------------------------------------------

    fn restoring(&self) -> bool {
        matches!(self.phase, Phase::Restoring { .. })
    }

    /// Syncs `now_ms`, and rebuilds `view` if the cluster changed since it was built: at once if
    /// `now` (a command ran, the clock caught up), else at most every [`VIEW_EVERY_MS`] (a
    /// frame of a longer catch-up; the last frame rebuilds it). Keeps the old `Rc` when nothing
    /// drawn changed, so the diagram does not redraw.
    fn sync_view(&mut self, now: bool) {
        let mut sb = self.sandbox.borrow_mut();
        self.now_ms = sb.session.now_ms();
        let revision = sb.session.revision();
        if revision == sb.revision {
            // Nothing was written (`get`, `describe`, `logs`…): the picture is the same, and
            // rebuilding it costs milliseconds with a thousand pods.
            return;
        }
        let wall = storage::wall_ms();
        let every = if self.restoring() {
            RESTORE_VIEW_EVERY_MS
        } else {
            VIEW_EVERY_MS
        };
        if !now && wall - sb.view_at < every {
            return;
        }
        sb.revision = revision;
        sb.view_at = wall;
        let view = sb.session.view();
        if view.nodes != self.view.nodes || view.unscheduled != self.view.unscheduled {
            self.view = Rc::new(view);
        }
    }

    fn push_output(&mut self, output: Output) {
        for (stream, text) in output.chunks {
            let kind = match stream {
                Stream::Stdout => EntryKind::Stdout,
                Stream::Stderr => EntryKind::Stderr,
            };
            self.push(kind, text);
        }
    }

    fn push(&mut self, kind: EntryKind, mut text: String) {
        if text.is_empty() {
            return;
        }
        if text.len() > MAX_ENTRY_BYTES {
            let total = text.len();
            let mut cut = MAX_ENTRY_BYTES;
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            text.truncate(cut);
            text.push_str(&format!(
                "\n… (kubelab: {} more not shown; the console keeps the first {} of one output)\n",
                human_bytes(total - cut),
                human_bytes(MAX_ENTRY_BYTES)
            ));
        }
        let mut sb = self.sandbox.borrow_mut();
        let id = sb.take_id();
        sb.transcript_bytes += text.len();
        let entries = Rc::make_mut(&mut self.entries);
        entries.push(Entry { id, kind, text });
        let mut drop_n = entries.len().saturating_sub(MAX_ENTRIES);
        let mut bytes = sb.transcript_bytes;
        for e in &entries[..drop_n] {
            bytes -= e.text.len();
        }
        while bytes > MAX_TRANSCRIPT_BYTES && drop_n + 1 < entries.len() {
            bytes -= entries[drop_n].text.len();
            drop_n += 1;
        }
        if drop_n > 0 {
            entries.drain(..drop_n);
        }
        sb.transcript_bytes = bytes;
    }

    // ----- goals -----------------------------------------------------------------------------

    fn set_track(&mut self, track: Option<Track>) {
        let mut sb = self.sandbox.borrow_mut();
        match track {
            None => {
                sb.tracking = None;
                self.goal = None;
            }
            Some(track) => {
                let now = StepStart::now(&sb.session);
                // A start this sandbox has not reached (progress kept, sandbox lost) means now.
                let start = track
                    .start
                    .filter(|s| s.history <= now.history && s.time_ms <= now.time_ms)
                    .unwrap_or(now);
                sb.tracking = Some(Tracking {
                    track,
                    start,
                    last: None,
                });
            }
        }
    }

    /// Re-evaluates the tracked goal if anything it could depend on moved (cheap otherwise).
    fn evaluate_goal(&mut self) {
        if self.phase != Phase::Ready {
            return;
        }
        let mut guard = self.sandbox.borrow_mut();
        let sb = &mut *guard;
        let Some(t) = &mut sb.tracking else {
            return;
        };
        let key = (
            sb.session.revision(),
            sb.session.history.len(),
            sb.session.now_ms() / GOAL_RECHECK_MS,
        );
        if t.last == Some(key) {
            return;
        }
        t.last = Some(key);
        let (met, verdicts, error) = match kubelab_lessons::goal_met(&t.track.goal, &sb.session, t.start) {
            Ok((met, verdicts)) => (met, verdicts, None),
            Err(e) => (false, Vec::new(), Some(e)),
        };
        let state = GoalState {
            lesson: t.track.lesson.clone(),
            step: t.track.step,
            start: t.start,
            verdicts,
            met,
            error,
        };
        if self.goal.as_deref() != Some(&state) {
            self.goal = Some(Rc::new(state));
        }
    }

    // ----- saving ----------------------------------------------------------------------------

    /// Compares the saved value with what this tab last read or wrote; if another tab wrote
    /// since, suspends saving and tells the learner. True if this found a new conflict.
    fn check_conflict(&mut self) -> bool {
        let mut sb = self.sandbox.borrow_mut();
        let Some(p) = sb.persist.as_mut().filter(|p| !p.conflict) else {
            return false;
        };
        let Ok(now) = storage::get(&p.keys.sandbox(&p.id)) else {
            return false;
        };
        if fingerprint(now.as_deref()) == p.seen {
            return false;
        }
        p.conflict = true;
        drop(sb);
        Rc::make_mut(&mut self.notices).push(Notice::ChangedElsewhere);
        true
    }

    fn save(&mut self) {
        if self.phase != Phase::Ready {
            return;
        }
        let mut guard = self.sandbox.borrow_mut();
        let sb = &mut *guard;
        let Some(p) = &mut sb.persist else {
            return;
        };
        let now = storage::wall_ms();
        let due = p.dirty || (p.clock_dirty && now - p.last_save >= SAVE_EVERY_MS);
        if !due || p.conflict {
            return;
        }
        if p.seen.is_none() && sb.log.iter().all(|e| matches!(e, Event::Advance(_))) {
            // Only time passed in a sandbox nobody used (say, one of several embedded in a
            // page): nothing worth a key in the learner's storage.
            p.dirty = false;
            p.clock_dirty = false;
            return;
        }
        drop(guard);
        if self.check_conflict() {
            return;
        }
        let mut guard = self.sandbox.borrow_mut();
        let sb = &mut *guard;
        let Some(p) = &mut sb.persist else {
            return;
        };
        p.dirty = false;
        p.clock_dirty = false;
        p.last_save = now;
        if sb.log_bytes > MAX_LOG_BYTES {
            if !p.failed {
                p.failed = true;
                Rc::make_mut(&mut self.notices).push(Notice::TooBigToSave);
            }
            return;
        }
        let saved = SavedSandbox {
            format: FORMAT,
            engine: Some(ENGINE.to_string()),
            seed: sb.session.options.seed,
            workers: sb.session.options.workers,
            speed: self.speed,
            paused: self.paused,
            events: sb.log.clone(),
        };
        let text = saved.encode();
        match storage::set(&p.keys.sandbox(&p.id), &text) {
            Ok(()) => {
                p.seen = Some(saved.fingerprint());
                if p.failed {
                    p.failed = false;
                    Rc::make_mut(&mut self.notices).retain(|n| !matches!(n, Notice::SaveFailed(_)));
                }
            }
            Err(e) => {
                if !p.failed {
                    p.failed = true;
                    Rc::make_mut(&mut self.notices).push(Notice::SaveFailed(e));
                }
            }
        }
    }
}

impl Sandbox {
    fn take_id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }
}

/// `1536` → `1.5 KB`, `10485760` → `10.0 MB`.
pub fn human_bytes(n: usize) -> String {
    if n < 1024 {
        format!("{n} bytes")
    } else if n < 1024 * 1024 {
        format!("{:.1} KB", n as f64 / 1024.0)
    } else {
        format!("{:.1} MB", n as f64 / (1024.0 * 1024.0))
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
    /// Save under these keys and restore from them (each sandbox under its own id; `None`: not
    /// saved).
    #[prop_or_default]
    pub persist: Option<(Keys, String)>,
    /// One of possibly several sandboxes embedded in a page: the crash screen's "Reset this
    /// sandbox" is about the full page's one sandbox, so embedded ones do not register for it.
    #[prop_or_default]
    pub embedded: bool,
    /// A fresh sandbox waits for its lesson's setup.
    #[prop_or_default]
    pub needs_setup: bool,
    #[prop_or_default]
    pub children: Html,
}

/// Owns one sandbox, hands it to its children through context, and runs its queued work one
/// animation frame at a time.
#[function_component]
pub fn SimProvider(props: &SimProviderProps) -> Html {
    let spec = Spec {
        options: SessionOptions {
            seed: props.seed,
            workers: props.workers,
        },
        welcome: props.welcome.to_string(),
        persist: props.persist.clone(),
        needs_setup: props.needs_setup,
    };
    let sim = use_reducer_eq(move || Sim::open(spec));
    {
        let key = props.persist.clone().filter(|_| !props.embedded);
        use_effect_with(key, |key| {
            crate::crash::set_sandbox(key.clone());
            || crate::crash::set_sandbox(None)
        });
    }
    {
        // Another tab writing this sandbox's save: the browser fires `storage` in every other
        // tab of the site (never in the writer), with the key (`null` for `localStorage.clear()`).
        let dispatcher = sim.dispatcher();
        let key = props.persist.as_ref().map(|(keys, id)| keys.sandbox(id));
        use_effect_with(key, move |key| {
            let listener = key.clone().and_then(|key| {
                let window = web_sys::window()?;
                Some(gloo::events::EventListener::new(&window, "storage", move |e| {
                    let changed = js_sys::Reflect::get(e, &"key".into()).ok().map(|k| k.as_string());
                    if matches!(changed, Some(None)) || changed == Some(Some(key.clone())) {
                        dispatcher.dispatch(Action::StorageChanged);
                    }
                }))
            });
            move || drop(listener)
        });
    }
    {
        // One frame, one Pump; each Pump makes a new snapshot, which schedules the next frame.
        let dispatcher = sim.dispatcher();
        let pending = sim.needs_frame().then_some(sim.rev);
        use_effect_with(pending, move |pending| {
            let frame =
                pending.map(|_| gloo::render::request_animation_frame(move |_| dispatcher.dispatch(Action::Pump)));
            move || drop(frame)
        });
    }
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

    /// Applies `action`, then pumps until no work is left (what the animation frames do).
    fn settle(sim: &Sim, action: Action) -> Sim {
        let mut s = sim.apply(action).unwrap_or_else(|| sim.clone());
        for _ in 0..100_000 {
            if !s.needs_frame() {
                return s;
            }
            s = s.apply(Action::Pump).unwrap_or(s);
        }
        panic!("work never finished");
    }

    fn text(s: &Sim) -> String {
        s.entries.iter().map(|e| e.text.as_str()).collect()
    }

    /// While the web app fetches kubectl's help texts, lines wait in the queue (in order), so
    /// an early `--help` prints kubectl's text rather than "not loaded".
    #[test]
    fn lines_wait_while_kubectl_texts_load() {
        assert!(kubelab_kubectl::texts::start_loading());
        let mut s = run(&sim(), Action::Submit("kubectl get ns".into()));
        s = run(&s, Action::Submit("kubectl get --help".into()));
        for _ in 0..3 {
            s = s.apply(Action::Pump).unwrap_or(s);
        }
        assert!(s.needs_frame(), "the lines are still queued");
        assert!(!text(&s).contains("kube-system"), "{}", text(&s));
        kubelab_kubectl::texts::finish(Ok(()));
        let s = settle(&s, Action::Pump);
        let out = text(&s);
        let ns = out.find("kube-system").expect("get ns ran");
        let help = out
            .find("Display one or many resources.")
            .expect("the help was printed");
        assert!(ns < help, "in the order typed: {out}");
    }

    #[test]
    fn submit_echoes_the_command_and_records_history() {
        let s = run(&sim(), Action::Submit("kubectl get pods".into()));
        assert_eq!(s.entries[0].text, "hello\n");
        assert_eq!(s.entries[1].kind, EntryKind::Command);
        assert_eq!(s.entries[1].text, "$ kubectl get pods\n");
        assert!(s.entries.len() >= 3, "kubectl printed something: {:?}", s.entries);
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
    fn a_container_shell_shows_its_prompt_until_exit_or_ctrl_d() {
        let mut s = sim();
        for line in [
            "kubectl run box --image=busybox:1.28 -- sleep 3600",
            "kubectl wait --for=condition=Ready pod/box",
            "kubectl exec -it box -- sh",
        ] {
            s = settle(&s, Action::Submit(line.into()));
        }
        assert_eq!(s.prompt, "/ # ");
        let s = settle(&s, Action::Submit("cd /tmp".into()));
        assert_eq!(s.entries.last().unwrap().text, "/ # cd /tmp\n");
        assert_eq!(s.prompt, "/tmp # ");
        let s = settle(&s, Action::Interrupt);
        assert_eq!(s.prompt, "/tmp # ", "Ctrl-C goes to the shell, which stays");
        let s = settle(&s, Action::Submit(EOT.into()));
        assert_eq!(s.prompt, "$ ");
        let s = settle(&s, Action::Submit(EOT.into()));
        assert_eq!(s.prompt, "$ ", "Ctrl-D at bash's prompt is ignored");
    }

    #[test]
    fn the_clock_runs_only_when_playing() {
        let s = sim();
        // The engine's clock starts where bootstrap left it; count from there.
        let t0 = s.now_ms;
        // `settle`: a slow machine may pay a tick over several frames.
        let s = settle(&s, Action::Tick(1_000));
        assert_eq!(s.now_ms, t0 + 1_000);
        let s = run(&s, Action::SetSpeed(10));
        let s = settle(&s, Action::Tick(100));
        assert_eq!(s.now_ms, t0 + 2_000, "10x");
        let s = run(&s, Action::TogglePause);
        assert!(s.apply(Action::Tick(1_000)).is_none(), "paused");
        let s = settle(&s, Action::Step(10_000));
        assert_eq!(s.now_ms, t0 + 12_000, "+10s works while paused");
        let s = run(&s, Action::TogglePause);
        let s = settle(&s, Action::Tick(u64::MAX));
        assert_eq!(s.now_ms, t0 + 12_000 + MAX_DEBT_MS, "huge gaps are clamped");
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
        assert_eq!(s.events(), vec![Event::Advance(3_000)], "one merged clock event");
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

    #[test]
    fn huge_lines_are_refused_and_run_nothing() {
        let s = sim();
        let rev = s.with_session(|x| x.revision());
        let long = format!("kubectl create deployment {}", "x".repeat(MAX_LINE_BYTES));
        let s = run(&s, Action::Submit(long));
        let last = s.entries.last().unwrap();
        assert_eq!(last.kind, EntryKind::Warn);
        assert!(last.text.contains("64.0 KB"), "{}", last.text);
        assert_eq!(s.with_session(|x| x.revision()), rev);
        assert!(s.events().is_empty());
    }

    #[test]
    fn pasted_lines_run_in_order_a_budget_at_a_time() {
        let lines: Vec<String> = (0..40)
            .map(|i| format!("kubectl create deployment d{i} --image=nginx"))
            .collect();
        let s = settle(&sim(), Action::Paste(lines));
        assert_eq!(s.queued, (0, 0));
        let out = text(&s);
        for i in 0..40 {
            assert!(out.contains(&format!("deployment.apps/d{i} created")), "{out}");
        }
        let first = out.find("d0 created").unwrap();
        assert!(first < out.find("d39 created").unwrap());
    }

    #[test]
    fn interrupt_stops_a_paste() {
        let s = sim();
        let mut next = s.clone();
        next.enqueue((0..10).map(|i| format!("echo {i}")).collect());
        let s = run(&next, Action::Interrupt);
        assert!(!s.needs_frame());
        assert!(text(&s).contains("10 queued lines were not run"));
    }

    #[test]
    fn suggestions_fill_the_input_line_by_line() {
        let s = run(&sim(), Action::Suggest(vec!["echo a".into(), "echo b".into()]));
        assert_eq!(s.suggestion.as_ref().unwrap().at, 0);
        let s = run(&s, Action::Submit("echo a".into()));
        assert_eq!(s.suggestion.as_ref().unwrap().at, 1);
        let s = run(&s, Action::Submit("echo b".into()));
        assert!(s.suggestion.is_none());
        let s = run(&s, Action::Suggest(vec!["echo c".into(), "echo d".into()]));
        let s = settle(&s, Action::SuggestRest);
        assert!(text(&s).contains("$ echo d\nd\n"), "{}", text(&s));
    }

    /// The engine is additive in time: many small advances equal one big one. The event log
    /// relies on it to merge clock events.
    #[test]
    fn advancing_in_slices_equals_advancing_at_once() {
        let script = [
            "kubectl create deployment web --image=nginx --replicas=5",
            "kubectl run crash --image=busybox -- sh -c 'exit 1'",
            "kubectl create deployment slow --image=nginx:1.27 --replicas=3",
        ];
        let run_with = |slices: &[u64]| {
            let mut session = Session::new(SessionOptions::default());
            let mut interp = Interpreter::default();
            for line in script {
                assert!(matches!(interp.feed(&mut session, line), Feed::Done(_)));
            }
            for &ms in slices {
                session.advance(ms);
            }
            let out = interp.feed(&mut session, "kubectl get pods -A -o yaml");
            let Feed::Done(out) = out else { panic!() };
            (out.text(), session.view())
        };
        let slices: Vec<u64> = (0..900).map(|i| [7, 100, 33, 1][i % 4]).collect();
        let total: u64 = slices.iter().sum();
        assert_eq!(run_with(&slices), run_with(&[total]));
    }

    /// With no time left in the frame, the clock pays one instant and owes the rest; later
    /// frames catch up, and the total is exact.
    #[test]
    fn the_clock_catches_up_over_several_frames() {
        let s = settle(
            &sim(),
            Action::Submit("kubectl create deployment web --image=nginx --replicas=20".into()),
        );
        let t0 = s.now_ms;
        let mut next = s.clone();
        next.sandbox.borrow_mut().debt_ms = 10_000;
        next.pay_debt(f64::MIN); // the frame's budget is already spent
        let owed = next.sandbox.borrow().debt_ms;
        assert!(owed > 0 && owed < 10_000, "one slice paid, {owed} ms owed");
        assert!(next.needs_frame());
        let done = settle(&next, Action::Pump);
        assert_eq!(done.now_ms, t0 + 10_000);
        assert_eq!(done.events().last(), Some(&Event::Advance(10_000)), "one merged event");
    }

    fn keys(prefix: &str) -> Option<(Keys, String)> {
        Some((Keys::new(prefix), "lesson-a".into()))
    }

    fn open(prefix: &str, needs_setup: bool) -> Sim {
        Sim::open(Spec {
            options: SessionOptions::default(),
            welcome: "hi\n".into(),
            persist: keys(prefix),
            needs_setup,
        })
    }

    #[test]
    fn a_reload_replays_to_the_same_cluster_transcript_and_history() {
        let p = "t-reload/";
        let s = open(p, true);
        assert_eq!(s.phase, Phase::AwaitingSetup);
        // Typed before the setup arrived: waits, then runs after it.
        let s = run(&s, Action::Submit("kubectl get deploy".into()));
        let s = settle(
            &s,
            Action::Setup {
                label: "Lesson ready.".into(),
                script: "kubectl create deployment web --image=nginx --replicas=2\nsleep 5".into(),
            },
        );
        assert_eq!(s.phase, Phase::Ready);
        let s = settle(&s, Action::Submit("cat > a.yaml <<EOF".into()));
        let s = settle(&s, Action::Submit("hello".into()));
        let s = settle(&s, Action::Submit("EOF".into()));
        let s = settle(&s, Action::Tick(1_500));
        let s = settle(&s, Action::Submit("kubectl scale deployment web --replicas=4".into()));
        let s = settle(&s, Action::Step(10_000));
        let s = settle(&s, Action::SetSpeed(10));
        let s = settle(&s, Action::Submit("kubectl get pods".into()));
        let before = (text(&s), s.history.clone(), s.view.clone(), s.now_ms, s.speed);
        let events = s.events().len();
        assert_eq!(events, 9, "{:?}", s.events());

        let r = open(p, true);
        assert!(matches!(r.phase, Phase::Restoring { .. }));
        let r = settle(&r, Action::Pump);
        assert_eq!(r.phase, Phase::Ready);
        let restored = text(&r);
        assert!(restored.starts_with(&before.0), "{restored}");
        assert!(restored.ends_with("(9 events).\n"), "{restored}");
        assert_eq!(r.history, before.1);
        // The picture (its `now_ms` is when it was last rebuilt, which replay batching moves).
        assert_eq!(
            (&r.view.nodes, &r.view.unscheduled),
            (&before.2.nodes, &before.2.unscheduled)
        );
        assert_eq!((r.now_ms, r.speed), (before.3, before.4));
        assert_eq!(
            r.with_session(|x| x.files.get("a.yaml").cloned()),
            Some("hello\n".into())
        );
        assert!(r.notices.contains(&Notice::Restored { events }));
    }

    #[test]
    fn a_damaged_save_is_reported_set_aside_and_replaced() {
        let p = "t-damaged/";
        let k = Keys::new(p);
        storage::set(&k.sandbox("lesson-a"), "{\"v\":1,\"seed\":1,\"events\":[[").unwrap();
        let s = open(p, false);
        assert_eq!(s.phase, Phase::Ready);
        assert!(matches!(s.notices[0], Notice::RestoreFailed(LoadError::Corrupt(_))));
        assert!(storage::get(&k.backup("lesson-a")).unwrap().is_some());
        assert!(storage::get(&k.sandbox("lesson-a")).unwrap().is_none());
        let s = run(&s, Action::Submit("kubectl get ns".into()));
        assert!(storage::get(&k.sandbox("lesson-a")).unwrap().is_some(), "saves again");

        storage::set(&k.sandbox("lesson-a"), "{\"v\":99}").unwrap();
        let s2 = open(p, false);
        assert_eq!(s2.notices[0], Notice::RestoreFailed(LoadError::Newer(99)));
        assert_eq!(
            storage::get(&k.backup("lesson-a")).unwrap().as_deref(),
            Some("{\"v\":99}")
        );
        storage::set(&k.sandbox("lesson-a"), "{\"v\":0}").unwrap();
        let s3 = open(p, false);
        assert_eq!(s3.notices[0], Notice::RestoreFailed(LoadError::Version("0".into())));
        drop((s, s2));
    }

    /// A sandbox where only time passed writes nothing (embedded pages can hold many).
    #[test]
    fn an_untouched_sandbox_is_not_saved() {
        let p = "t-idle/";
        let k = Keys::new(p);
        let s = settle(&open(p, false), Action::Tick(1_000));
        let s = settle(&s, Action::SetSpeed(10));
        assert!(storage::get(&k.sandbox("lesson-a")).unwrap().is_none());
        let _ = run(&s, Action::Submit("kubectl get ns".into()));
        assert!(storage::get(&k.sandbox("lesson-a")).unwrap().is_some());
    }

    /// A save by another kubelab (or in format 1) is replayed, reported, and its original kept.
    #[test]
    fn a_save_from_another_version_is_replayed_and_its_original_kept() {
        let p = "t-version/";
        let k = Keys::new(p);
        let v1 = r#"{"v":1,"seed":1,"workers":3,"speed":1,"paused":false,"events":[["c","kubectl create deployment web --image=nginx"]]}"#;
        storage::set(&k.sandbox("lesson-a"), v1).unwrap();
        let s = settle(&open(p, false), Action::Pump);
        assert_eq!(
            s.notices[0],
            Notice::OtherVersion {
                saved_by: None,
                format: 1
            }
        );
        assert!(text(&s).contains("deployment.apps/web created"), "{}", text(&s));
        assert_eq!(storage::get(&k.backup("lesson-a")).unwrap().as_deref(), Some(v1));
        let s = run(&s, Action::Submit("kubectl get deploy".into()));
        let now = SavedSandbox::decode(&storage::get(&k.sandbox("lesson-a")).unwrap().unwrap()).unwrap();
        assert_eq!(
            (now.format, now.engine.as_deref()),
            (FORMAT, Some(ENGINE)),
            "upgraded on save"
        );
        assert_eq!(now.events.len(), 2);

        let other = now.encode().replace(ENGINE, "0.0.1");
        storage::set(&k.sandbox("lesson-a"), &other).unwrap();
        let r = settle(&open(p, false), Action::Pump);
        assert_eq!(
            r.notices[0],
            Notice::OtherVersion {
                saved_by: Some("0.0.1".into()),
                format: FORMAT
            }
        );
        assert_eq!(r.history, s.history);
    }

    /// Two tabs on one sandbox: the second to save finds the first's value, stops saving and
    /// says so; keeping its own keeps the other's as the backup.
    #[test]
    fn another_tab_writing_the_same_sandbox_is_detected_and_nothing_is_lost() {
        let p = "t-tabs/";
        let k = Keys::new(p);
        let key = k.sandbox("lesson-a");
        let a = run(
            &open(p, false),
            Action::Submit("kubectl create deployment a --image=nginx".into()),
        );
        let b = settle(&open(p, false), Action::Pump);
        assert!(b.notices.iter().all(|n| *n != Notice::ChangedElsewhere));
        // Tab B writes; tab A hears of it (the storage event) and stops saving.
        let b = run(&b, Action::Submit("kubectl create deployment b --image=nginx".into()));
        let theirs = storage::get(&key).unwrap();
        let a = run(&a, Action::StorageChanged);
        assert!(a.notices.contains(&Notice::ChangedElsewhere));
        assert!(a.apply(Action::StorageChanged).is_none(), "reported once");
        let a = run(&a, Action::Submit("kubectl create deployment a2 --image=nginx".into()));
        assert_eq!(storage::get(&key).unwrap(), theirs, "tab B's save is not overwritten");
        // Without the event (a frozen tab), the next save finds out by itself.
        let b = run(&b, Action::Submit("kubectl get deploy".into()));
        let c = run(&open(p, false), Action::Pump);
        let c = settle(&c, Action::Pump);
        let c = run(&c, Action::Submit("kubectl create deployment c --image=nginx".into()));
        let b = run(&b, Action::Submit("kubectl get deploy".into()));
        assert!(b.notices.contains(&Notice::ChangedElsewhere));
        drop(c);
        // Tab A keeps its own: saved over, the other tab's value kept as the backup.
        let before = storage::get(&key).unwrap();
        let a = run(&a, Action::KeepThisTab);
        assert!(!a.notices.contains(&Notice::ChangedElsewhere));
        assert_eq!(storage::get(&k.backup("lesson-a")).unwrap(), before);
        let saved = SavedSandbox::decode(&storage::get(&key).unwrap().unwrap()).unwrap();
        assert!(saved
            .events
            .contains(&Event::Line("kubectl create deployment a2 --image=nginx".into())));
        let a = run(&a, Action::Submit("kubectl get deploy".into()));
        assert!(!a.notices.contains(&Notice::ChangedElsewhere), "saving again");
    }

    #[test]
    fn a_replay_that_crashed_is_not_tried_again() {
        let p = "t-crash/";
        let k = Keys::new(p);
        let s = open(p, false);
        let _ = run(&s, Action::Submit("kubectl get ns".into()));
        // The page died mid-replay: the marker is still there.
        storage::set(&k.replaying("lesson-a"), "1").unwrap();
        let s = open(p, false);
        assert_eq!(s.phase, Phase::Ready);
        assert_eq!(*s.notices, vec![Notice::ReplayCrashed]);
        assert!(storage::get(&k.replaying("lesson-a")).unwrap().is_none());
        assert!(storage::get(&k.backup("lesson-a")).unwrap().is_some());
    }

    #[test]
    fn a_replay_marks_itself_until_it_ends_or_the_sandbox_closes() {
        let p = "t-guard/";
        let k = Keys::new(p);
        let s = open(p, false);
        let _ = run(&s, Action::Submit("kubectl get ns".into()));
        let marked = || storage::get(&k.replaying("lesson-a")).unwrap().is_some();
        let r = open(p, false);
        assert!(matches!(r.phase, Phase::Restoring { .. }));
        assert!(marked(), "marked while replaying");
        drop(r); // closed mid-replay (another lesson opened)
        assert!(!marked());
        let r = settle(&open(p, false), Action::Pump);
        assert_eq!(r.phase, Phase::Ready);
        assert!(!marked(), "unmarked when done");
        assert!(r.notices.iter().all(|n| !matches!(n, Notice::ReplayCrashed)));
    }

    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn a_failed_save_is_reported_once_and_cleared_on_success() {
        let p = "t-full/";
        let s = open(p, false);
        storage::set_full_for_tests(true);
        let s = run(&s, Action::Submit("kubectl get ns".into()));
        let s = run(&s, Action::Submit("kubectl get ns".into()));
        storage::set_full_for_tests(false);
        assert_eq!(
            s.notices.iter().filter(|n| matches!(n, Notice::SaveFailed(_))).count(),
            1
        );
        let s = run(&s, Action::Submit("kubectl get nodes".into()));
        assert!(!s.notices.iter().any(|n| matches!(n, Notice::SaveFailed(_))));
    }

    #[test]
    fn the_goal_ticks_when_the_cluster_reaches_it() {
        let goal: Vec<Check> =
            serde_norway::from_str("- deployment_available: {name: web, replicas: 2}\n- ran: {command: get pods}\n")
                .unwrap();
        let s = run(
            &sim(),
            Action::Track(Some(Track {
                lesson: "l".into(),
                step: 0,
                goal: Rc::new(goal),
                start: None,
            })),
        );
        let g = s.goal.clone().unwrap();
        assert!(!g.met && g.verdicts.len() == 2 && !g.verdicts[0].met);
        let s = settle(
            &s,
            Action::Submit("kubectl create deployment web --image=nginx --replicas=2".into()),
        );
        let s = settle(&s, Action::Submit("kubectl get pods".into()));
        assert!(s.goal.as_ref().unwrap().verdicts[1].met);
        assert!(!s.goal.as_ref().unwrap().met, "not available yet");
        let s = settle(&s, Action::Step(10_000));
        assert!(s.goal.as_ref().unwrap().met, "{:?}", s.goal);
        // A start from the future (the sandbox was lost) means now.
        let s = run(
            &s,
            Action::Track(Some(Track {
                lesson: "l".into(),
                step: 1,
                goal: Rc::new(vec![]),
                start: Some(StepStart {
                    history: 999,
                    time_ms: 0,
                }),
            })),
        );
        assert_eq!(
            s.goal.as_ref().unwrap().start.history,
            s.with_session(|x| x.history.len())
        );
    }

    #[test]
    fn one_huge_output_is_cut() {
        let mut s = sim();
        s.push(EntryKind::Stdout, "y".repeat(MAX_ENTRY_BYTES * 3));
        let last = &s.entries.last().unwrap().text;
        assert!(last.len() < MAX_ENTRY_BYTES + 200);
        assert!(last.contains("1.0 MB more not shown"), "{}", &last[last.len() - 120..]);
    }
}
