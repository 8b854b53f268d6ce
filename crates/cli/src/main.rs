//! `kubelab`: the simulator on the command line.
//!
//! ```text
//! kubelab run [--seed N] [--nodes N] FILE|-    replay a script, print the transcript
//! ```

use kubelab_cli::{replay, RunOptions};
use std::io::Read;
use std::process::ExitCode;

const USAGE: &str = "usage: kubelab run [--seed N] [--nodes N] FILE|-\n";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("run") => run(&args[1..]),
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
    print!("{}", replay(&script, &opts));
    ExitCode::SUCCESS
}
