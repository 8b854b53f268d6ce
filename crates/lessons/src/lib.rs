//! Lessons as data: the lesson format, its goal checks and the checker that replays every
//! lesson's solutions.
//!
//! A lesson is one YAML file (`lessons/NN-id.yaml`), kept apart from the engine the way
//! learnGitBranching keeps its levels apart from its git model: the web app fetches the files
//! after its first paint and calls [`parse`]; `kubelab lessons check` and `cargo test` call [`check_lesson`] on
//! every file, so a lesson whose solution stops reaching its goal fails CI.
//!
//! ```yaml
//! id: deployments                       # the file is NN-deployments.yaml
//! title: {zh: Deployment, en: Deployments}
//! summary: {zh: …, en: …}
//! setup: |                              # optional script, run before step 1
//!   kubectl create deployment web --image=nginx
//! steps:
//!   - title: {zh: …, en: …}
//!     text: {zh: …, en: …}              # why, then how; paragraphs and `code`
//!     task: {zh: …, en: …}              # what to do now
//!     goal:                             # every check must hold
//!       - deployment_available: {name: web, replicas: 3}
//!     hints:                            # revealed one at a time
//!       - {zh: …, en: …}
//!     solution: |                       # a script: heredocs and `sleep` work
//!       kubectl scale deployment web --replicas=3
//!       sleep 10
//! ```
//!
//! The checks are listed in [`goal::Check`]. Unknown fields and unknown check kinds are parse
//! errors, so a typo in a lesson fails the build instead of silently never matching.
//!
//! The web app drives a lesson like this:
//!
//! ```ignore
//! let lesson = kubelab_lessons::parse(include_str!("../lessons/04-deployments.yaml"))?;
//! let mut session = kubelab_lessons::start_session(&lesson).map_err(|(e, _)| e)?;
//! let mut start = StepStart::now(&session);          // when step 1 is shown
//! // after every command and every clock tick:
//! let (done, verdicts) = kubelab_lessons::goal_met(&lesson.steps[0].goal, &session, start)?;
//! if done { start = StepStart::now(&session); /* show the next step */ }
//! ```
//!
//! This crate has no global state and touches the file system only in [`lesson_files`],
//! [`load_file`] and [`load_dir`], so it builds for wasm32 and the web app uses everything else
//! as is.

pub mod check;
pub mod goal;

pub use check::{check_lesson, goal_met, session_options, start_session, Failure, Report, StepReport};
pub use goal::{Check, StepStart, Verdict};

use kubelab_kubectl::engine::sort::CompactSort;
use serde::{Deserialize, Deserializer};
use std::path::{Path, PathBuf};

/// A text in both languages of the curriculum.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Text {
    pub zh: String,
    pub en: String,
}

/// A language the lessons are written in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Text {
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }
}

/// A script as the console would run it, one line per physical line (here-documents included).
/// In YAML either a block string (`solution: |`) or a list of lines.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Script(pub String);

impl Script {
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// True when the script holds nothing but blank lines and comments.
    pub fn is_empty(&self) -> bool {
        self.0.lines().all(|l| {
            let t = l.trim();
            t.is_empty() || t.starts_with('#')
        })
    }
}

impl<'de> Deserialize<'de> for Script {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Form {
            Text(String),
            Lines(Vec<String>),
        }
        match Form::deserialize(d) {
            Ok(Form::Text(s)) => Ok(Script(s)),
            Ok(Form::Lines(lines)) => Ok(Script(lines.join("\n"))),
            Err(_) => Err(serde::de::Error::custom(
                "expected a script: a string or a list of lines",
            )),
        }
    }
}

/// One lesson. A lesson without steps is a free sandbox.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lesson {
    /// Lower-case words joined by `-`; the file is named `NN-<id>.yaml`.
    pub id: String,
    pub title: Text,
    pub summary: Text,
    /// Run on a fresh cluster before step 1 (the learner sees the result, not the commands).
    #[serde(default)]
    pub setup: Script,
    #[serde(default)]
    pub steps: Vec<Step>,
}

/// One step: the learner reads `text`, does `task`, and the step is done when every check of
/// `goal` holds.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub title: Text,
    /// Why, then how. Markdown-lite, as in every text of a lesson: paragraphs separated by
    /// blank lines, `code` in backquotes, and fenced blocks (```) for commands and manifests
    /// the learner may copy.
    pub text: Text,
    /// What to do now, in one or two sentences.
    pub task: Text,
    /// Every check must hold. Checked against the cluster and the commands run since the step
    /// began.
    pub goal: Vec<Check>,
    /// Revealed one at a time, gentlest first.
    #[serde(default)]
    pub hints: Vec<Text>,
    /// A script that completes the step; the checker replays it.
    pub solution: Script,
}

/// Parses and validates one lesson file.
pub fn parse(yaml: &str) -> Result<Lesson, String> {
    let lesson: Lesson = serde_norway::from_str(yaml).map_err(|e| e.to_string())?;
    validate(&lesson)?;
    Ok(lesson)
}

/// What a well-formed lesson looks like beyond its schema: both languages written, every step
/// with a goal and a solution, every check's arguments consistent (`name` or `selector`, a count,
/// a valid selector).
pub fn validate(lesson: &Lesson) -> Result<(), String> {
    let id_ok = !lesson.id.is_empty()
        && lesson
            .id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !lesson.id.starts_with('-')
        && !lesson.id.ends_with('-');
    if !id_ok {
        return Err(format!("id {:?}: use lower-case words joined by '-'", lesson.id));
    }
    text_ok(&lesson.title, "title")?;
    text_ok(&lesson.summary, "summary")?;
    for (i, step) in lesson.steps.iter().enumerate() {
        let at = |what: &str| format!("steps[{i}].{what}");
        text_ok(&step.title, &at("title"))?;
        text_ok(&step.text, &at("text"))?;
        text_ok(&step.task, &at("task"))?;
        for (j, h) in step.hints.iter().enumerate() {
            text_ok(h, &at(&format!("hints[{j}]")))?;
        }
        if step.goal.is_empty() {
            return Err(format!("{}: a step needs at least one check", at("goal")));
        }
        for (j, c) in step.goal.iter().enumerate() {
            c.validate()
                .map_err(|e| format!("{}: {e}", at(&format!("goal[{j}]"))))?;
        }
        if step.solution.is_empty() {
            return Err(format!("{}: a step needs a solution", at("solution")));
        }
    }
    Ok(())
}

fn text_ok(t: &Text, what: &str) -> Result<(), String> {
    if t.zh.trim().is_empty() || t.en.trim().is_empty() {
        return Err(format!("{what}: both zh and en must be written"));
    }
    Ok(())
}

/// The lesson files of a directory: `*.yaml` directly inside it (not in subdirectories, so
/// `lessons/drafts/` is left out), in file name order.
pub fn lesson_files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    files.compact_sort();
    Ok(files)
}

/// Reads and parses one lesson file, and checks that it is named `NN-<id>.yaml`.
pub fn load_file(path: &Path) -> Result<Lesson, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let lesson = parse(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    let named_ok = stem
        .split_once('-')
        .is_some_and(|(nn, id)| !nn.is_empty() && nn.bytes().all(|b| b.is_ascii_digit()) && id == lesson.id);
    if !named_ok {
        return Err(format!(
            "{}: lesson {:?} must be in a file named NN-{}.yaml",
            path.display(),
            lesson.id,
            lesson.id
        ));
    }
    Ok(lesson)
}

/// Every lesson of a directory, in file name order (which is the curriculum's order). Ids must
/// be unique.
pub fn load_dir(dir: &Path) -> Result<Vec<Lesson>, String> {
    let mut lessons: Vec<Lesson> = Vec::new();
    for path in lesson_files(dir)? {
        let lesson = load_file(&path)?;
        if lessons.iter().any(|l| l.id == lesson.id) {
            return Err(format!("{}: lesson id {:?} is used twice", path.display(), lesson.id));
        }
        lessons.push(lesson);
    }
    Ok(lessons)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = "
id: demo
title: {zh: 演示, en: Demo}
summary: {zh: 一个演示, en: A demo}
steps:
  - title: {zh: 创建, en: Create}
    text: {zh: 文本, en: Text}
    task: {zh: 任务, en: Task}
    goal:
      - object_exists: {kind: deployment, name: web}
    solution:
      - kubectl create deployment web --image=nginx
";

    #[test]
    fn parses_a_minimal_lesson_with_a_solution_as_list() {
        let l = parse(MINIMAL).unwrap();
        assert_eq!(l.id, "demo");
        assert_eq!(
            l.steps[0].solution.as_str(),
            "kubectl create deployment web --image=nginx"
        );
        assert!(l.setup.is_empty());
        assert_eq!(l.title.get(Lang::En), "Demo");
    }

    #[test]
    fn unknown_fields_and_check_kinds_are_errors() {
        let typo = MINIMAL.replace("task:", "tsak:");
        assert!(
            parse(&typo).unwrap_err().contains("tsak"),
            "{}",
            parse(&typo).unwrap_err()
        );
        let bad_check = MINIMAL.replace("object_exists", "object_exist");
        assert!(parse(&bad_check).unwrap_err().contains("object_exist"));
        let bad_arg = MINIMAL.replace("name: web}", "nmae: web}");
        assert!(parse(&bad_arg).unwrap_err().contains("nmae"));
        let bad_lang = MINIMAL.replace("{zh: 任务, en: Task}", "{zh: 任务, fr: Tâche}");
        assert!(parse(&bad_lang).is_err());
    }

    #[test]
    fn validation_needs_both_languages_a_goal_and_a_solution() {
        let no_en = MINIMAL.replace("{zh: 任务, en: Task}", "{zh: 任务, en: ''}");
        assert!(parse(&no_en).unwrap_err().contains("steps[0].task"));
        let no_goal = MINIMAL
            .replace("      - object_exists: {kind: deployment, name: web}\n", "")
            .replace("goal:", "goal: []");
        assert!(parse(&no_goal).unwrap_err().contains("at least one check"));
        let bad_id = MINIMAL.replace("id: demo", "id: Demo");
        assert!(parse(&bad_id).is_err());
    }

    #[test]
    fn a_lesson_without_steps_is_a_sandbox() {
        let l =
            parse("id: sandbox\ntitle: {zh: 沙盒, en: Sandbox}\nsummary: {zh: 随便试, en: Try anything}\n").unwrap();
        assert!(l.steps.is_empty());
    }
}
