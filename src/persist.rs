//! What survives a reload, and how it is written to `localStorage`.
//!
//! The engine is deterministic, so a sandbox is saved as its *inputs*: the seed and an event log
//! (console lines, clock advances, Ctrl-C, Ctrl-L, lesson setup scripts). Loading replays the log
//! on a fresh cluster, which rebuilds the cluster, the virtual files, the console transcript and
//! its history exactly. A 1,000-pod sandbox is a handful of events; consecutive clock advances
//! merge into one (the engine's `advance(a); advance(b)` is `advance(a + b)`, tested in
//! `state.rs`).
//!
//! Keys (one per sandbox, one for lesson progress), under a prefix (`kubelab/v1/` on the page):
//!
//! | key | value |
//! |---|---|
//! | `sandbox/<id>` | `{"v":2,"engine":"0.1.0","seed":1,"workers":3,"speed":1,"paused":false,"events":[…]}` |
//! | `progress` | `{"v":1,"lang":"en","last":"pods","lessons":{"pods":{"step":2,"done":[0,1],"start":[2,17,95000]}}}` |
//! | `replaying/<id>` | present while a replay runs: if the page dies meanwhile, the next load does not replay again |
//! | `backup/<id>`, `backup/progress` | a saved value that could not be used, kept for the curious |
//!
//! Sandbox ids: a lesson's id, `sandbox` for the free sandbox, and `embed/<page path>#<name>` for
//! a sandbox embedded in another page ([`embed_id`]), so several on one page, or on several pages
//! of one site, never share a key.
//!
//! Versions: `v` is the format, `engine` the kubelab that wrote it. The log is the *inputs*, so
//! an older format this build still reads (1: the same fields, no `engine`) and a save from
//! another kubelab are replayed (the cluster may come out slightly different if the engine
//! changed), after a copy of the original value is kept as the backup and the learner is told.
//! A newer format, or one too old to read, is set aside and reported.
//!
//! Events are short arrays: `["c", line]` a console line, `["t", ms]` the clock advanced,
//! `["i"]` Ctrl-C, `["k"]` Ctrl-L / `clear`, `["x", label, script]` a script run without echo
//! (a lesson's setup).

use std::collections::{BTreeMap, BTreeSet};

use kubelab_lessons::{Lang, StepStart};
use serde_json::{json, Value};

/// The format written today. Version 2 added `engine`.
pub const FORMAT: u64 = 2;
/// The oldest format this build still reads (and upgrades on the next save).
pub const OLDEST_FORMAT: u64 = 1;
/// The lesson progress format (unchanged since the first; older pages keep reading it).
pub const PROGRESS_FORMAT: u64 = 1;
/// The kubelab (engine) that writes saves: a replay on another one may come out differently.
pub const ENGINE: &str = env!("CARGO_PKG_VERSION");
/// The prefix of every key the page writes.
pub const DEFAULT_PREFIX: &str = "kubelab/v1/";

/// One input to a sandbox, as recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    /// A line typed or pasted into the console (without its newline).
    Line(String),
    /// The clock advanced the cluster by this many virtual ms.
    Advance(u64),
    /// Ctrl-C.
    Interrupt,
    /// Ctrl-L (or `clear`): the transcript was emptied.
    Clear,
    /// A script run without echo: a lesson's setup. `label` is what the console says about it.
    Script { label: String, text: String },
}

impl Event {
    /// Bytes this event adds to the saved JSON, roughly (for the size limit).
    pub fn weight(&self) -> usize {
        match self {
            Event::Line(l) => l.len() + 8,
            Event::Script { label, text } => label.len() + text.len() + 12,
            _ => 12,
        }
    }

    fn to_json(&self) -> Value {
        match self {
            Event::Line(l) => json!(["c", l]),
            Event::Advance(ms) => json!(["t", ms]),
            Event::Interrupt => json!(["i"]),
            Event::Clear => json!(["k"]),
            Event::Script { label, text } => json!(["x", label, text]),
        }
    }

    fn from_json(v: &Value) -> Result<Self, String> {
        let a = v.as_array().ok_or("an event is not a list")?;
        let tag = a.first().and_then(Value::as_str).ok_or("an event has no tag")?;
        let text = |i: usize| -> Result<String, String> {
            a.get(i)
                .and_then(Value::as_str)
                .map(str::to_string)
                .ok_or_else(|| format!("event {tag:?} lacks its text"))
        };
        let arity = |n: usize| -> Result<(), String> {
            if a.len() == n {
                Ok(())
            } else {
                Err(format!("event {tag:?} has {} fields", a.len()))
            }
        };
        match tag {
            "c" => arity(2).and(text(1).map(Event::Line)),
            "t" => {
                arity(2)?;
                a[1].as_u64()
                    .map(Event::Advance)
                    .ok_or_else(|| "a clock event without a time".into())
            }
            "i" => arity(1).map(|_| Event::Interrupt),
            "k" => arity(1).map(|_| Event::Clear),
            "x" => {
                arity(3)?;
                Ok(Event::Script {
                    label: text(1)?,
                    text: text(2)?,
                })
            }
            other => Err(format!("unknown event {other:?}")),
        }
    }
}

/// Appends `e`, merging consecutive clock advances into one.
pub fn push_event(log: &mut Vec<Event>, e: Event) {
    if let (Event::Advance(ms), Some(Event::Advance(last))) = (&e, log.last_mut()) {
        *last = last.saturating_add(*ms);
        return;
    }
    if e == Event::Advance(0) {
        return;
    }
    log.push(e);
}

/// A sandbox as saved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SavedSandbox {
    /// The format it was read in ([`FORMAT`] when written by this build).
    pub format: u64,
    /// The kubelab that wrote it; `None` for format 1, which did not say.
    pub engine: Option<String>,
    pub seed: u64,
    pub workers: u32,
    pub speed: u32,
    pub paused: bool,
    pub events: Vec<Event>,
}

/// Why a saved value cannot be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LoadError {
    /// Written by an older kubelab in a format this one no longer reads (the `v` it carries).
    Version(String),
    /// Written by a newer kubelab (its format number): this page cannot read it, but the newer
    /// page can, so it is kept aside untouched.
    Newer(u64),
    /// Not what kubelab writes: damaged, truncated or edited.
    Corrupt(String),
}

impl LoadError {
    /// Said to the learner.
    pub fn reason(&self, zh: bool) -> String {
        match (self, zh) {
            (LoadError::Version(v), false) => {
                format!("it was saved by a different version of kubelab (format {v}), which this one cannot read")
            }
            (LoadError::Version(v), true) => format!("它由另一个版本的 kubelab 保存（格式 {v}），这个版本无法读取"),
            (LoadError::Newer(v), false) => format!(
                "it was saved by a newer version of kubelab (format {v}; this page reads up to {FORMAT}). Reload the page to get the newer kubelab"
            ),
            (LoadError::Newer(v), true) => format!(
                "它由更新版本的 kubelab 保存（格式 {v}；这个页面最多读取格式 {FORMAT}）。重新加载页面即可使用新版本"
            ),
            (LoadError::Corrupt(why), false) => format!("it is damaged ({why})"),
            (LoadError::Corrupt(why), true) => format!("数据已损坏（{why}）"),
        }
    }
}

/// Parses the JSON object of a saved value and checks its format number: returns the object and
/// the format, one of `oldest..=newest`.
fn envelope(text: &str, oldest: u64, newest: u64) -> Result<(serde_json::Map<String, Value>, u64), LoadError> {
    let v: Value = serde_json::from_str(text).map_err(|e| LoadError::Corrupt(e.to_string()))?;
    let Value::Object(map) = v else {
        return Err(LoadError::Corrupt("not a JSON object".into()));
    };
    match map.get("v") {
        Some(Value::Number(n)) => match n.as_u64() {
            Some(v) if (oldest..=newest).contains(&v) => Ok((map, v)),
            Some(v) if v > newest => Err(LoadError::Newer(v)),
            _ => Err(LoadError::Version(n.to_string())),
        },
        Some(other) => Err(LoadError::Version(other.to_string())),
        None => Err(LoadError::Version("none".into())),
    }
}

impl SavedSandbox {
    pub fn encode(&self) -> String {
        json!({
            "v": FORMAT,
            "engine": ENGINE,
            "seed": self.seed,
            "workers": self.workers,
            "speed": self.speed,
            "paused": self.paused,
            "events": self.events.iter().map(Event::to_json).collect::<Vec<_>>(),
        })
        .to_string()
    }

    /// See [`fingerprint`].
    pub fn fingerprint(&self) -> u64 {
        let head = format!("{}/{}", self.seed, self.workers);
        let mut h = fnv(head.bytes(), 0xcbf2_9ce4_8422_2325);
        for e in self.events.iter().filter(|e| !matches!(e, Event::Advance(_))) {
            h = fnv(e.to_json().to_string().bytes().chain([0]), h);
        }
        h
    }

    pub fn decode(text: &str) -> Result<Self, LoadError> {
        let (map, format) = envelope(text, OLDEST_FORMAT, FORMAT)?;
        let corrupt = |what: &str| LoadError::Corrupt(what.to_string());
        let engine = match map.get("engine") {
            None if format < 2 => None,
            Some(Value::String(e)) if !e.is_empty() => Some(e.clone()),
            _ => return Err(corrupt("no engine version")),
        };
        let num = |k: &str| map.get(k).and_then(Value::as_u64);
        let seed = num("seed").ok_or_else(|| corrupt("no seed"))?;
        let workers = num("workers")
            .filter(|w| (1..=100).contains(w))
            .ok_or_else(|| corrupt("no worker count"))? as u32;
        let speed = num("speed").unwrap_or(1).clamp(1, 100) as u32;
        let paused = map.get("paused").and_then(Value::as_bool).unwrap_or(false);
        let events = map
            .get("events")
            .and_then(Value::as_array)
            .ok_or_else(|| corrupt("no event list"))?
            .iter()
            .enumerate()
            .map(|(i, e)| Event::from_json(e).map_err(|why| LoadError::Corrupt(format!("event {i}: {why}"))))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(SavedSandbox {
            format,
            engine,
            seed,
            workers,
            speed,
            paused,
            events,
        })
    }
}

/// Where a learner is in one lesson.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LessonProgress {
    /// The step shown (0-based).
    pub step: usize,
    /// Steps whose goal was reached (0-based). Sticky: going back does not undo them.
    pub done: BTreeSet<usize>,
    /// When the shown step began (its `ran` goals look at commands since then): (step, start).
    pub start: Option<(usize, StepStart)>,
}

/// Lesson progress for every lesson, and the learner's language.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    /// Chosen by the learner; `None` follows the browser.
    pub lang: Option<Lang>,
    /// The lesson (or `sandbox`) last open: where an address without `#/…` resumes.
    pub last: Option<String>,
    pub lessons: BTreeMap<String, LessonProgress>,
}

impl Progress {
    pub fn encode(&self) -> String {
        let lessons: serde_json::Map<String, Value> = self
            .lessons
            .iter()
            .map(|(id, p)| {
                let mut o = json!({ "step": p.step, "done": p.done.iter().collect::<Vec<_>>() });
                if let Some((step, s)) = p.start {
                    o["start"] = json!([step, s.history, s.time_ms]);
                }
                (id.clone(), o)
            })
            .collect();
        let mut v = json!({ "v": PROGRESS_FORMAT, "lessons": lessons });
        if let Some(lang) = self.lang {
            v["lang"] = json!(lang_code(lang));
        }
        if let Some(last) = &self.last {
            v["last"] = json!(last);
        }
        v.to_string()
    }

    pub fn decode(text: &str) -> Result<Self, LoadError> {
        let (map, _) = envelope(text, PROGRESS_FORMAT, PROGRESS_FORMAT)?;
        let corrupt = |what: String| LoadError::Corrupt(what);
        let lang = match map.get("lang") {
            None => None,
            Some(v) => Some(
                v.as_str()
                    .and_then(lang_from_code)
                    .ok_or_else(|| corrupt(format!("unknown language {v}")))?,
            ),
        };
        let last = map.get("last").and_then(Value::as_str).map(str::to_string);
        let mut lessons = BTreeMap::new();
        if let Some(v) = map.get("lessons") {
            let obj = v
                .as_object()
                .ok_or_else(|| corrupt("lessons is not an object".into()))?;
            for (id, p) in obj {
                let bad = || corrupt(format!("lesson {id:?}"));
                let step = p.get("step").and_then(Value::as_u64).ok_or_else(bad)? as usize;
                let done = p
                    .get("done")
                    .and_then(Value::as_array)
                    .ok_or_else(bad)?
                    .iter()
                    .map(|d| d.as_u64().map(|d| d as usize).ok_or_else(bad))
                    .collect::<Result<BTreeSet<_>, _>>()?;
                let start = match p.get("start") {
                    None => None,
                    Some(s) => {
                        let a: Vec<u64> = s
                            .as_array()
                            .filter(|a| a.len() == 3)
                            .ok_or_else(bad)?
                            .iter()
                            .map(|x| x.as_u64().ok_or_else(bad))
                            .collect::<Result<_, _>>()?;
                        Some((
                            a[0] as usize,
                            StepStart {
                                history: a[1] as usize,
                                time_ms: a[2],
                            },
                        ))
                    }
                };
                lessons.insert(id.clone(), LessonProgress { step, done, start });
            }
        }
        Ok(Progress { lang, last, lessons })
    }
}

pub fn lang_code(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "en",
        Lang::Zh => "zh",
    }
}

pub fn lang_from_code(code: &str) -> Option<Lang> {
    match code {
        "en" => Some(Lang::En),
        "zh" => Some(Lang::Zh),
        _ => None,
    }
}

/// The sandbox id of a sandbox embedded in another page: the page's path and the sandbox's name
/// (its `data-kubelab-sandbox` value or element id), so embeds on one page, or on several pages
/// of one site, each keep their own save.
pub fn embed_id(page_path: &str, name: &str) -> String {
    format!("embed{page_path}#{name}")
}

/// FNV-1a, 64 bits.
fn fnv(bytes: impl IntoIterator<Item = u8>, h: u64) -> u64 {
    bytes
        .into_iter()
        .fold(h, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

/// Identifies the *work* in a saved value: the cluster's seed and size and every input except
/// the clock. A tab remembers the fingerprint of what it last read or wrote; a different one in
/// storage means another tab did something since. Clock advances are left out on purpose: two
/// tabs left open both let time pass and save it, and that alone must not be reported as a
/// conflict (idle time is not work; the last tab to save sets the clock). A value that does not
/// decode counts as itself. `None`: nothing saved.
pub fn fingerprint(value: Option<&str>) -> Option<u64> {
    let raw = value?;
    Some(match SavedSandbox::decode(raw) {
        Ok(s) => s.fingerprint(),
        Err(_) => fnv(raw.bytes(), 0xcbf2_9ce4_8422_2325),
    })
}

/// The storage keys of one app instance (a test gives each app its own prefix).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Keys {
    pub prefix: String,
}

impl Keys {
    pub fn new(prefix: &str) -> Self {
        Keys {
            prefix: prefix.to_string(),
        }
    }
    pub fn sandbox(&self, id: &str) -> String {
        format!("{}sandbox/{id}", self.prefix)
    }
    pub fn replaying(&self, id: &str) -> String {
        format!("{}replaying/{id}", self.prefix)
    }
    pub fn backup(&self, id: &str) -> String {
        format!("{}backup/{id}", self.prefix)
    }
    pub fn progress(&self) -> String {
        format!("{}progress", self.prefix)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> SavedSandbox {
        SavedSandbox {
            format: FORMAT,
            engine: Some(ENGINE.into()),
            seed: 7,
            workers: 3,
            speed: 10,
            paused: true,
            events: vec![
                Event::Script {
                    label: "setup".into(),
                    text: "kubectl create deployment web --image=nginx\nsleep 5".into(),
                },
                Event::Line("kubectl get pods -l 'app=<img src=x>'".into()),
                Event::Advance(1500),
                Event::Interrupt,
                Event::Clear,
                Event::Line("cat <<EOF".into()),
            ],
        }
    }

    #[test]
    fn a_sandbox_round_trips() {
        let s = sample();
        let text = s.encode();
        assert!(text.starts_with("{\""), "{text}");
        assert_eq!(SavedSandbox::decode(&text).unwrap(), s);
    }

    #[test]
    fn damaged_and_foreign_values_are_told_apart() {
        let text = sample().encode();
        let cut = &text[..text.len() / 2];
        assert!(matches!(SavedSandbox::decode(cut), Err(LoadError::Corrupt(_))));
        assert!(matches!(SavedSandbox::decode("garbage"), Err(LoadError::Corrupt(_))));
        assert!(matches!(SavedSandbox::decode("[1,2]"), Err(LoadError::Corrupt(_))));
        let old = text.replace("\"v\":2", "\"v\":0");
        assert_eq!(SavedSandbox::decode(&old), Err(LoadError::Version("0".into())));
        let newer = text.replace("\"v\":2", "\"v\":3");
        assert_eq!(SavedSandbox::decode(&newer), Err(LoadError::Newer(3)));
        assert!(LoadError::Newer(3)
            .reason(false)
            .contains("newer version of kubelab (format 3"));
        let no_engine = text.replace(&format!("\"engine\":\"{ENGINE}\","), "");
        assert!(matches!(SavedSandbox::decode(&no_engine), Err(LoadError::Corrupt(_))));
        let none = r#"{"seed":1,"workers":3,"events":[]}"#;
        assert!(matches!(SavedSandbox::decode(none), Err(LoadError::Version(_))));
        let bad_event = text.replace("[\"i\"]", "[\"zz\"]");
        match SavedSandbox::decode(&bad_event) {
            Err(LoadError::Corrupt(why)) => assert!(why.contains("unknown event"), "{why}"),
            other => panic!("{other:?}"),
        }
        assert!(LoadError::Version("0".into())
            .reason(false)
            .contains("different version"));
    }

    /// Format 1 (no `engine`) is still read: the same inputs, replayed on this engine.
    #[test]
    fn format_1_is_read_and_upgraded() {
        let v1 = r#"{"v":1,"seed":3,"workers":2,"speed":1,"paused":false,"events":[["c","kubectl get pods"]]}"#;
        let s = SavedSandbox::decode(v1).unwrap();
        assert_eq!((s.format, s.engine.as_deref(), s.seed), (1, None, 3));
        let again = SavedSandbox::decode(&s.encode()).unwrap();
        assert_eq!((again.format, again.engine.as_deref()), (FORMAT, Some(ENGINE)));
        assert_eq!(again.events, s.events);
    }

    #[test]
    fn embedded_ids_and_fingerprints() {
        assert_eq!(embed_id("/docs/a.html", "demo-1"), "embed/docs/a.html#demo-1");
        assert_ne!(embed_id("/a", "x"), embed_id("/b", "x"));
        assert_eq!(fingerprint(None), None);
        assert_eq!(fingerprint(Some("abc")), fingerprint(Some("abc")));
        assert_ne!(fingerprint(Some("abc")), fingerprint(Some("abd")));
        // Time passing is not work: only the other inputs count.
        let mut s = sample();
        let fp = fingerprint(Some(&s.encode()));
        assert_eq!(fp, Some(s.fingerprint()));
        s.events.push(Event::Advance(5_000));
        s.speed = 1;
        assert_eq!(fingerprint(Some(&s.encode())), fp, "a clock-only save");
        s.events.push(Event::Line("kubectl get pods".into()));
        assert_ne!(fingerprint(Some(&s.encode())), fp, "a command");
    }

    #[test]
    fn clock_advances_merge() {
        let mut log = Vec::new();
        push_event(&mut log, Event::Advance(100));
        push_event(&mut log, Event::Advance(250));
        push_event(&mut log, Event::Line("x".into()));
        push_event(&mut log, Event::Advance(0));
        push_event(&mut log, Event::Advance(5));
        assert_eq!(
            log,
            vec![Event::Advance(350), Event::Line("x".into()), Event::Advance(5)]
        );
    }

    #[test]
    fn progress_round_trips_and_rejects_damage() {
        let mut p = Progress {
            lang: Some(Lang::Zh),
            last: Some("rolling-updates".into()),
            ..Default::default()
        };
        p.lessons.insert(
            "rolling-updates".into(),
            LessonProgress {
                step: 2,
                done: [0, 1].into_iter().collect(),
                start: Some((
                    2,
                    StepStart {
                        history: 17,
                        time_ms: 95_000,
                    },
                )),
            },
        );
        p.lessons.insert("pods".into(), LessonProgress::default());
        let text = p.encode();
        assert_eq!(Progress::decode(&text).unwrap(), p);
        assert!(Progress::decode(&text.replace("\"zh\"", "\"fr\"")).is_err());
        assert!(Progress::decode("{\"v\":1,\"lessons\":{\"a\":{\"step\":\"x\"}}}").is_err());
        assert_eq!(
            Progress::decode("{\"v\":1}").unwrap(),
            Progress::default(),
            "everything but the format number is optional"
        );
    }
}
