//! The native side of kubelab: replaying scripts into transcripts (`kubelab run`), the same code
//! the golden transcript tests call.

use kubelab_kubectl::script::{run_lines, run_script};
use kubelab_kubectl::{Session, SessionOptions};

/// Options of `kubelab run`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RunOptions {
    pub session: SessionOptions,
}

/// Replays `script` on a fresh cluster and returns the transcript.
pub fn replay(script: &str, opts: &RunOptions) -> String {
    let mut s = Session::new(opts.session.clone());
    run_script(&mut s, script)
}

/// Replays a golden transcript: its header, then its commands run on a fresh cluster, each
/// read from the line that starts with the prompt it is typed at (`$ `, `> `, or the prompt of
/// a container shell opened by `kubectl exec -it`, like `/ # `). Where the output so far
/// matches the transcript, the next command is searched for after it, so output lines that
/// happen to start like a prompt are not taken for commands.
pub fn replay_transcript(want: &str) -> String {
    let (_, opts) = script_of_transcript(want);
    let header = header_of_transcript(want);
    let mut s = Session::new(opts.session.clone());
    let mut cursor = header.len();
    let body = run_lines(&mut s, |prompt, so_far| {
        if want[header.len()..].starts_with(so_far) {
            cursor = cursor.max(header.len() + so_far.len());
        }
        let bare = prompt.trim_end();
        while cursor < want.len() {
            let end = want[cursor..].find('\n').map_or(want.len(), |i| cursor + i + 1);
            let line = want[cursor..end].trim_end_matches('\n');
            cursor = end;
            if let Some(cmd) = line.strip_prefix(prompt) {
                return Some(cmd.to_string());
            }
            if line == bare {
                return Some(String::new());
            }
        }
        None
    });
    format!("{header}{body}")
}

/// Extracts the script from a golden transcript: the `$ ` and `> ` lines without their prompt,
/// plus directive comments (`# kubelab: --seed 3 --nodes 2`) which configure the run.
pub fn script_of_transcript(transcript: &str) -> (String, RunOptions) {
    let mut script = String::new();
    let mut opts = RunOptions::default();
    for line in transcript.lines() {
        if let Some(cmd) = line.strip_prefix("$ ").or_else(|| line.strip_prefix("> ")) {
            script.push_str(cmd);
            script.push('\n');
        } else if line == "$" || line == ">" {
            script.push('\n');
        } else if let Some(d) = line.strip_prefix("# kubelab:") {
            let words: Vec<&str> = d.split_whitespace().collect();
            for w in words.windows(2) {
                match w[0] {
                    "--seed" => opts.session.seed = w[1].parse().unwrap_or(opts.session.seed),
                    "--nodes" => opts.session.workers = w[1].parse().unwrap_or(opts.session.workers),
                    _ => {}
                }
            }
        }
    }
    (script, opts)
}

/// Header lines (`# ...` before the first `$ `) that a transcript keeps verbatim.
pub fn header_of_transcript(transcript: &str) -> String {
    transcript
        .lines()
        .take_while(|l| !l.starts_with("$ "))
        .map(|l| format!("{l}\n"))
        .collect()
}
