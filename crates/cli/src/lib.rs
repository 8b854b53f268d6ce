//! The native side of kubelab: replaying scripts into transcripts (`kubelab run`), the same code
//! the golden transcript tests call.

use kubelab_kubectl::script::run_script;
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
