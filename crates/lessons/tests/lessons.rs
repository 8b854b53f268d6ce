//! Every lesson in `lessons/` passes the checker (its solutions reach its goals, which are unmet
//! before), the same way twice; one named test per lesson. Every draft in `lessons/drafts/` at
//! least parses.

use kubelab_lessons::{check_lesson, lesson_files, load_dir, load_file, parse};
use libtest_mimic::{Arguments, Failed, Trial};
use std::path::{Path, PathBuf};

fn lessons_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../lessons")
}

/// The lesson passes, and a second run prints exactly the same (the checker is deterministic).
fn check(path: &Path) -> Result<(), Failed> {
    let lesson = load_file(path)?;
    let first = check_lesson(&lesson).map_err(|f| f.to_string())?;
    let again = check_lesson(&lesson).map_err(|f| f.to_string())?;
    if first != again {
        return Err(format!("lesson {}: a second run differs", lesson.id).into());
    }
    Ok(())
}

fn main() {
    let args = Arguments::from_args();
    let dir = lessons_dir();
    let mut trials = Vec::new();
    match lesson_files(&dir) {
        Ok(files) => {
            for p in files {
                let name = format!("lesson {}", p.file_name().unwrap_or_default().to_string_lossy());
                trials.push(Trial::test(name, move || check(&p)));
            }
        }
        Err(e) => trials.push(Trial::test("lessons directory", move || Err(e.into()))),
    }
    trials.push(Trial::test("lesson ids are unique and match file names", {
        let dir = dir.clone();
        move || load_dir(&dir).map(|_| ()).map_err(Failed::from)
    }));
    let drafts = dir.join("drafts");
    if let Ok(files) = lesson_files(&drafts) {
        for p in files {
            let name = format!("draft {} parses", p.file_name().unwrap_or_default().to_string_lossy());
            trials.push(Trial::test(name, move || {
                let text = std::fs::read_to_string(&p).map_err(|e| e.to_string())?;
                parse(&text)
                    .map(|_| ())
                    .map_err(|e| format!("{}: {e}", p.display()).into())
            }));
        }
    }
    libtest_mimic::run(&args, trials).exit();
}
