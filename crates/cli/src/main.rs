//! `kubelab`: the simulator on the command line.
//!
//! ```text
//! kubelab run [--seed N] [--nodes N] FILE|-    replay a script, print the transcript
//! kubelab lessons check [DIR]                  replay every lesson's solutions (default: lessons)
//! ```

use kubelab_cli::RunOptions;
use std::io::Read;
use std::process::ExitCode;

const USAGE: &str = "usage: kubelab run [--seed N] [--nodes N] FILE|-\n       kubelab lessons check [DIR]\n";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("run") => run(&args[1..]),
        Some("lessons") => lessons(&args[1..]),
        Some("-h") | Some("--help") | None => {
            print!("{USAGE}");
            ExitCode::SUCCESS
        }
        Some(other) => {
            eprint!("kubelab: unknown command {other:?}\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn run(args: &[String]) -> ExitCode {
    let mut opts = RunOptions::default();
    let mut file = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut num = |name: &str| -> Result<u64, ExitCode> {
            it.next().and_then(|v| v.parse().ok()).ok_or_else(|| {
                eprint!("kubelab: {name} needs a number\n{USAGE}");
                ExitCode::from(2)
            })
        };
        match a.as_str() {
            "--seed" => match num("--seed") {
                Ok(n) => opts.session.seed = n,
                Err(c) => return c,
            },
            "--nodes" => match num("--nodes") {
                Ok(n) => opts.session.workers = n.min(5000) as u32,
                Err(c) => return c,
            },
            f => file = Some(f.to_string()),
        }
    }
    let Some(file) = file else {
        eprint!("{USAGE}");
        return ExitCode::from(2);
    };
    let script = if file == "-" {
        let mut s = String::new();
        if let Err(e) = std::io::stdin().read_to_string(&mut s) {
            eprintln!("kubelab: reading stdin: {e}");
            return ExitCode::from(1);
        }
        s
    } else {
        match std::fs::read_to_string(&file) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("kubelab: {file}: {e}");
                return ExitCode::from(1);
            }
        }
    };
    let mut session = kubelab_kubectl::Session::new(opts.session.clone());
    print!("{}", kubelab_kubectl::script::run_script(&mut session, &script));
    // The process ends here: leave the memory to the OS instead of freeing every object one by
    // one (a 10,000-pod cluster takes about a second to drop).
    std::mem::forget(session);
    ExitCode::SUCCESS
}

/// `kubelab lessons check [DIR]`: one line per lesson and per step, `ok` or `FAIL` with the
/// reason; exits 1 if any lesson fails.
fn lessons(args: &[String]) -> ExitCode {
    let dir = match args {
        [check] if check == "check" => "lessons",
        [check, dir] if check == "check" => dir.as_str(),
        _ => {
            eprint!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let files = match kubelab_lessons::lesson_files(std::path::Path::new(dir)) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("kubelab: {e}");
            return ExitCode::from(1);
        }
    };
    let mut failed = 0;
    for path in &files {
        let name = path.display();
        let lesson = match kubelab_lessons::load_file(path) {
            Ok(l) => l,
            Err(e) => {
                println!("FAIL {name}: {e}");
                failed += 1;
                continue;
            }
        };
        let (passed, failure) = match kubelab_lessons::check_lesson(&lesson) {
            Ok(report) => (report.steps, None),
            Err(f) => (f.passed.clone(), Some(f)),
        };
        for (i, step) in passed.iter().enumerate() {
            println!(
                "ok   {} step {}: {} ({} commands, {}s)",
                lesson.id,
                i + 1,
                step.title,
                step.commands,
                step.virtual_ms / 1000
            );
        }
        match failure {
            None => println!("ok   {} ({})", lesson.id, name),
            Some(f) => {
                failed += 1;
                let at = f.step.map_or(String::new(), |i| format!(" step {}", i + 1));
                println!("FAIL {}{at}: {}", lesson.id, f.message);
                if !f.transcript.is_empty() {
                    for line in f.transcript.lines() {
                        println!("     | {line}");
                    }
                }
            }
        }
    }
    println!("{} lessons, {} failed", files.len(), failed);
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
