//! Golden transcripts: every `tests/transcripts/**/*.txt` at the repository root is a script
//! (its `$ ` and `> ` lines) with the exact output expected after each command. The test replays
//! the script through `kubelab run`'s code and compares byte for byte, printing a diff on
//! mismatch. `BLESS=1` rewrites the files with what kubelab prints: only for our own scenarios,
//! after reading the diff; real kubectl's captured output is the oracle.

use kubelab_cli::replay_transcript;
use libtest_mimic::{Arguments, Failed, Trial};
use std::path::{Path, PathBuf};

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            collect(&p, out);
        } else if p.extension().is_some_and(|e| e == "txt") {
            out.push(p);
        }
    }
}

fn check(path: &Path) -> Result<(), Failed> {
    let want = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let got = replay_transcript(&want);
    if got == want {
        return Ok(());
    }
    if std::env::var_os("BLESS").is_some() {
        std::fs::write(path, &got).map_err(|e| e.to_string())?;
        return Ok(());
    }
    let diff = similar::TextDiff::from_lines(&want, &got);
    let mut msg = format!("transcript differs (- expected, + kubelab): {}\n", path.display());
    for op in diff.unified_diff().context_radius(3).iter_hunks() {
        msg.push_str(&op.to_string());
    }
    Err(msg.into())
}

fn main() {
    let args = Arguments::from_args();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/transcripts");
    let mut files = Vec::new();
    collect(&root, &mut files);
    let trials = files
        .into_iter()
        .map(|p| {
            let name = p.strip_prefix(&root).unwrap_or(&p).display().to_string();
            Trial::test(name, move || check(&p))
        })
        .collect();
    libtest_mimic::run(&args, trials).exit();
}
