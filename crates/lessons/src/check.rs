//! The lesson checker: replays a lesson's solutions on a fresh cluster and proves that each
//! step's goal is unmet before its solution and met after it (learnGitBranching's level spec).

use crate::goal::{Check, Ctx, StepStart, Verdict};
use crate::{Lesson, Script};
use kubelab_kubectl::script::{Feed, Host, Interpreter};
use kubelab_kubectl::{Session, SessionOptions};
use std::fmt;

/// What a passing lesson did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    pub id: String,
    pub steps: Vec<StepReport>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepReport {
    /// The step's English title.
    pub title: String,
    /// Commands the solution ran.
    pub commands: usize,
    /// Virtual time the solution took (its `sleep`s and waiting commands), in milliseconds.
    pub virtual_ms: u64,
    /// What the solution printed, as a console transcript.
    pub transcript: String,
}

/// Why a lesson does not pass.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    pub id: String,
    /// The failing step (0-based); `None` for the lesson itself or its setup.
    pub step: Option<usize>,
    /// Steps that passed before the failure.
    pub passed: Vec<StepReport>,
    pub message: String,
    /// What the failing script printed, as a console transcript.
    pub transcript: String,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.step {
            Some(i) => write!(f, "lesson {} step {}: {}", self.id, i + 1, self.message)?,
            None => write!(f, "lesson {}: {}", self.id, self.message)?,
        }
        if !self.transcript.is_empty() {
            write!(f, "\n--- transcript ---\n{}", self.transcript)?;
        }
        Ok(())
    }
}

impl std::error::Error for Failure {}

/// The cluster every lesson starts on: the default seed and shape, so checks are reproducible
/// and the web app shows the same cluster the checker saw.
pub fn session_options() -> SessionOptions {
    SessionOptions::default()
}

/// Whether every check of a goal holds, with what each observed. `start` is where the step
/// began ([`StepStart::now`] when the step is shown). The web app calls this after every command
/// and every tick of the clock.
pub fn goal_met(goal: &[Check], session: &Session, start: StepStart) -> Result<(bool, Vec<Verdict>), String> {
    let cx = Ctx { session, start };
    let verdicts = goal.iter().map(|c| c.eval(cx)).collect::<Result<Vec<_>, _>>()?;
    Ok((verdicts.iter().all(|v| v.met), verdicts))
}

/// The session a lesson starts on: a fresh cluster ([`session_options`]) with the lesson's
/// setup run. The web app calls this when a lesson opens. On failure, the message and the
/// setup's transcript.
pub fn start_session(lesson: &Lesson) -> Result<Session, (String, String)> {
    let mut session = Session::new(session_options());
    let run = run_checked(&mut session, &lesson.setup);
    match run.error {
        Some(e) => Err((format!("setup: {e}"), run.transcript)),
        None => Ok(session),
    }
}

/// Checks one lesson on a fresh session (fixed seed): the setup succeeds; then for every step,
/// its goal does not hold yet, every command of its solution succeeds (exit status 0, kubectl
/// included inside pipelines), and afterwards the goal holds. Deterministic.
pub fn check_lesson(lesson: &Lesson) -> Result<Report, Failure> {
    let mut report = Report {
        id: lesson.id.clone(),
        steps: Vec::new(),
    };
    let fail = |report: &Report, step: Option<usize>, message: String, transcript: String| Failure {
        id: lesson.id.clone(),
        step,
        passed: report.steps.clone(),
        message,
        transcript,
    };
    crate::validate(lesson).map_err(|e| fail(&report, None, e, String::new()))?;

    let mut session = start_session(lesson).map_err(|(e, transcript)| fail(&report, None, e, transcript))?;

    for (i, step) in lesson.steps.iter().enumerate() {
        let since = StepStart::now(&session);
        let unmet = describe_unmet(&step.goal, &session, since).map_err(|e| {
            fail(
                &report,
                Some(i),
                format!("goal cannot be evaluated: {e}"),
                String::new(),
            )
        })?;
        if unmet.is_empty() {
            return Err(fail(
                &report,
                Some(i),
                "the goal already holds before the solution runs: the step would complete by itself".into(),
                String::new(),
            ));
        }
        let start = session.cluster.now().0;
        let run = run_checked(&mut session, &step.solution);
        if let Some(e) = run.error {
            return Err(fail(&report, Some(i), format!("solution: {e}"), run.transcript));
        }
        let unmet = describe_unmet(&step.goal, &session, since).map_err(|e| {
            fail(
                &report,
                Some(i),
                format!("goal cannot be evaluated: {e}"),
                run.transcript.clone(),
            )
        })?;
        if !unmet.is_empty() {
            return Err(fail(
                &report,
                Some(i),
                format!("the goal does not hold after the solution:\n  {}", unmet.join("\n  ")),
                run.transcript,
            ));
        }
        report.steps.push(StepReport {
            title: step.title.en.clone(),
            commands: run.commands,
            virtual_ms: session.cluster.now().0 - start,
            transcript: run.transcript,
        });
    }
    Ok(report)
}

/// The checks of a goal that do not hold, each with what it observed.
fn describe_unmet(goal: &[Check], session: &Session, since: StepStart) -> Result<Vec<String>, String> {
    let (_, verdicts) = goal_met(goal, session, since)?;
    Ok(goal
        .iter()
        .zip(verdicts)
        .filter(|(_, v)| !v.met)
        .map(|(c, v)| format!("{c} (observed: {})", v.observed))
        .collect())
}

struct Run {
    transcript: String,
    commands: usize,
    /// The first command that failed.
    error: Option<String>,
}

/// Runs a script through the console's interpreter (so here-documents, pipes and `sleep` work
/// as in the console), stopping at the first command that fails. A kubectl command counts as
/// failed if it exits non-zero even when a pipeline hides its status, unless its line says
/// what to do on failure with `||`.
fn run_checked(session: &mut Session, script: &Script) -> Run {
    let mut interp = Interpreter::new();
    let mut run = Run {
        transcript: String::new(),
        commands: 0,
        error: None,
    };
    let mut command = String::new();
    for line in script.as_str().lines() {
        let idle = interp.is_idle();
        if idle && is_blank_or_comment(line) {
            continue;
        }
        if idle {
            command.clear();
        } else {
            command.push('\n');
        }
        command.push_str(line);
        // `$ `, `> `, or a container shell's prompt after `kubectl exec -it … -- sh`.
        run.transcript.push_str(&interp.prompt(session));
        run.transcript.push_str(line);
        run.transcript.push('\n');
        let history_before = session.history.len();
        if let Feed::Done(out) = interp.feed(session, line) {
            run.commands += 1;
            run.transcript.push_str(&out.text());
            // A kubectl failure hidden by a pipeline still fails the step, unless the line
            // handles failure itself (`kubectl apply -f bad.yaml || true`: a demonstration).
            let handled = command.contains("||");
            let hidden = session.history[history_before..]
                .iter()
                .find(|r| r.exit_code != 0 && !handled);
            if out.exit_code != 0 || hidden.is_some() {
                let status = hidden.map_or(out.exit_code, |r| r.exit_code);
                run.error = Some(format!("`{command}` failed with exit status {status}"));
                return run;
            }
        }
    }
    if !interp.is_idle() {
        let out = interp.finish(session);
        run.transcript.push_str(&out.text());
        run.error = Some(format!("`{command}` is incomplete at the end of the script"));
        return run;
    }
    if session.foreground_prompt().is_some() {
        // The learner's next commands would go to the container's shell, not to bash.
        run.error = Some("the script ends inside a container's shell (no `exit`)".to_string());
        return run;
    }
    run.transcript.push_str(&session.interrupt().text());
    run
}

fn is_blank_or_comment(line: &str) -> bool {
    let t = line.trim_start();
    t.is_empty() || t.starts_with('#')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse;

    fn lesson(steps: &str) -> Lesson {
        parse(&format!(
            "id: t\ntitle: {{zh: 测试, en: Test}}\nsummary: {{zh: 测试, en: Test}}\n{steps}"
        ))
        .unwrap()
    }

    #[test]
    fn a_goal_that_already_holds_is_refused() {
        let l = lesson(
            "steps:
  - title: {zh: 节点, en: Nodes}
    text: {zh: 文本, en: Text}
    task: {zh: 任务, en: Task}
    goal: [{object_exists: {kind: node, name: kind-worker}}]
    solution: 'true'
",
        );
        let f = check_lesson(&l).unwrap_err();
        assert_eq!(f.step, Some(0));
        assert!(f.message.contains("already holds"), "{f}");
    }

    #[test]
    fn a_failing_solution_command_is_reported_with_its_transcript() {
        let l = lesson(
            "steps:
  - title: {zh: 失败, en: Fails}
    text: {zh: 文本, en: Text}
    task: {zh: 任务, en: Task}
    goal: [{object_exists: {kind: deployment, name: web}}]
    solution: |
      echo start
      cat missing.yaml
      echo never
",
        );
        let f = check_lesson(&l).unwrap_err();
        assert!(
            f.message.contains("`cat missing.yaml` failed with exit status 1"),
            "{f}"
        );
        assert!(f.transcript.contains("No such file"), "{}", f.transcript);
        assert!(!f.transcript.contains("never"));
    }

    #[test]
    fn a_kubectl_failure_hidden_by_a_pipe_fails_unless_handled() {
        let step = |solution: &str| {
            lesson(&format!(
                "steps:
  - title: {{zh: 失败, en: Fails}}
    text: {{zh: 文本, en: Text}}
    task: {{zh: 任务, en: Task}}
    goal: [{{object_exists: {{kind: deployment, name: web}}}}]
    solution: '{solution}'
"
            ))
        };
        let f = check_lesson(&step("kubectl frobnicate | cat")).unwrap_err();
        assert!(f.message.contains("failed with exit status 1"), "{f}");
        let f = check_lesson(&step("kubectl frobnicate || true")).unwrap_err();
        assert!(f.message.contains("does not hold after the solution"), "{f}");
    }

    #[test]
    fn an_unmet_goal_names_the_check_and_what_it_saw() {
        let l = lesson(
            "steps:
  - title: {zh: 等待, en: Wait}
    text: {zh: 文本, en: Text}
    task: {zh: 任务, en: Task}
    goal: [{pods_count: {selector: app=web, count: 3}}]
    solution:
      - cat > notes.txt <<EOF
      - hello
      - EOF
      - sleep 1
",
        );
        let f = check_lesson(&l).unwrap_err();
        assert!(
            f.message.contains("pods_count selector=app=web = 3 (observed: 0 pods)"),
            "{f}"
        );
    }

    #[test]
    fn a_sandbox_passes_with_no_steps() {
        let l = lesson("");
        assert_eq!(check_lesson(&l).unwrap().steps.len(), 0);
    }
}
