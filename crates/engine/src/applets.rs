//! The utilities a container's shell can run: BusyBox applets on busybox/alpine images, GNU
//! coreutils on Debian-based ones, each with that implementation's messages and exit codes
//! (`cat: can't open 'x': No such file or directory` from BusyBox, `cat: x: No such file or
//! directory` from GNU). Network tools talk to the simulated cluster through [`Sys`]: `nslookup`
//! asks the cluster DNS (with the search-path behaviour of the BusyBox version in the image),
//! `wget`/`curl` reach Services and pods.

use crate::shell::{Dns, Http, Sys, Userland};
use crate::sort::CompactSort;
use crate::time::Timestamp;
use crate::vfs;

/// What the command line of one utility sees.
pub struct Ctx<'a> {
    pub argv: &'a [String],
    pub stdin: Option<&'a str>,
    pub env: &'a [(String, String)],
    pub cwd: &'a str,
}

/// What running it did to the process.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effect {
    None,
    /// The command takes so many ms of virtual time (`sleep 5`).
    Sleep(u64),
    /// It never returns on its own (`sleep infinity`, `tail -f`, a server in the foreground).
    Block,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    pub status: i32,
    pub stdout: String,
    pub stderr: String,
    pub effect: Effect,
}

impl Outcome {
    pub fn ok(stdout: impl Into<String>) -> Self {
        Outcome {
            status: 0,
            stdout: stdout.into(),
            stderr: String::new(),
            effect: Effect::None,
        }
    }
    pub fn fail(status: i32, stderr: impl Into<String>) -> Self {
        Outcome {
            status,
            stdout: String::new(),
            stderr: stderr.into(),
            effect: Effect::None,
        }
    }
    fn with(mut self, effect: Effect) -> Self {
        self.effect = effect;
        self
    }
}

const BUSYBOX: &[&str] = &[
    "[", "basename", "cat", "cp", "cut", "date", "dirname", "echo", "env", "expr", "false", "grep", "head", "hostname",
    "id", "kill", "killall", "ls", "mkdir", "mv", "nc", "nslookup", "ping", "pkill", "printenv", "printf", "ps", "pwd",
    "rm", "rmdir", "seq", "sleep", "sort", "tail", "tee", "test", "touch", "tr", "true", "uname", "uniq", "wc", "wget",
    "which", "whoami", "yes", ":",
];

const COREUTILS: &[&str] = &[
    "[", "basename", "cat", "cp", "cut", "date", "dirname", "echo", "env", "expr", "false", "grep", "head", "hostname",
    "id", "kill", "ls", "mkdir", "mv", "printenv", "printf", "pwd", "rm", "rmdir", "seq", "sleep", "sort", "tail",
    "tee", "test", "touch", "tr", "true", "uname", "uniq", "wc", "which", "whoami", "yes", ":",
];

/// The applet name for `argv[0]` when the image has it (`/bin/sleep` -> `sleep`).
pub fn resolve(argv0: &str, userland: Userland, has_program: &dyn Fn(&str) -> bool) -> Option<&'static str> {
    let (dir, base) = match argv0.rsplit_once('/') {
        Some((d, b)) => (Some(d), b),
        None => (None, argv0),
    };
    if let Some(d) = dir {
        if !matches!(
            d,
            "/bin" | "/usr/bin" | "/sbin" | "/usr/sbin" | "/usr/local/bin" | "/bin/busybox"
        ) {
            return None;
        }
    }
    let set: &[&'static str] = match userland {
        Userland::Busybox { .. } => BUSYBOX,
        Userland::Gnu => COREUTILS,
        Userland::Bare => &[],
    };
    if let Some(n) = set.iter().find(|n| **n == base) {
        return Some(n);
    }
    if base == "curl" && has_program("curl") {
        return Some("curl");
    }
    if base == "wget" && has_program("wget") {
        return Some("wget");
    }
    None
}

/// Runs `ctx.argv` if it names an applet of the image; `None` otherwise.
pub fn run(ctx: &Ctx<'_>, sys: &mut dyn Sys) -> Option<Outcome> {
    // `busybox sleep 5` is `sleep 5`.
    if ctx.argv[0].rsplit('/').next() == Some("busybox")
        && matches!(sys.userland(), Userland::Busybox { .. })
        && ctx.argv.len() > 1
    {
        let inner = Ctx {
            argv: &ctx.argv[1..],
            stdin: ctx.stdin,
            env: ctx.env,
            cwd: ctx.cwd,
        };
        return run(&inner, sys);
    }
    let userland = sys.userland();
    let name = resolve(&ctx.argv[0], userland, &|n| sys.has_program(n))?;
    let bb = matches!(sys.userland(), Userland::Busybox { .. });
    let args: Vec<&str> = ctx.argv[1..].iter().map(String::as_str).collect();
    let path = |p: &str| vfs::normalize(ctx.cwd, p);
    Some(match name {
        "true" | ":" => Outcome::ok(""),
        "false" => Outcome::fail(1, ""),
        "echo" => echo(&args),
        "printf" => printf(&args),
        "sleep" => sleep(&args, bb),
        "pwd" => Outcome::ok(format!("{}\n", ctx.cwd)),
        "hostname" => {
            if args.first() == Some(&"-i") {
                Outcome::ok(format!("{}\n", sys.pod_ip()))
            } else {
                Outcome::ok(format!("{}\n", sys.hostname()))
            }
        }
        "whoami" => Outcome::ok("root\n"),
        "id" => Outcome::ok(if bb {
            "uid=0(root) gid=0(root) groups=0(root),10(wheel)\n"
        } else {
            "uid=0(root) gid=0(root) groups=0(root)\n"
        }),
        "uname" => {
            let host = sys.hostname();
            let out = match args.first().copied() {
                Some("-a") => format!("Linux {host} 6.8.0-51-generic #52-Ubuntu SMP PREEMPT_DYNAMIC Thu Dec  5 13:09:44 UTC 2024 x86_64 GNU/Linux\n"),
                Some("-r") => "6.8.0-51-generic\n".into(),
                Some("-n") => format!("{host}\n"),
                Some("-m") => "x86_64\n".into(),
                _ => "Linux\n".into(),
            };
            Outcome::ok(out)
        }
        "date" => date(&args, sys),
        "env" => {
            if args.iter().any(|a| !a.contains('=') && !a.starts_with('-')) {
                // `env CMD …`: run the command with the extra variables.
                let mut env = ctx.env.to_vec();
                let mut rest = Vec::new();
                for (i, a) in args.iter().enumerate() {
                    match a.split_once('=') {
                        Some((k, v)) if rest.is_empty() => {
                            env.retain(|(ek, _)| ek != k);
                            env.push((k.to_string(), v.to_string()));
                        }
                        _ => {
                            rest = ctx.argv[i + 1..].to_vec();
                            break;
                        }
                    }
                }
                let inner = Ctx {
                    argv: &rest,
                    stdin: ctx.stdin,
                    env: &env,
                    cwd: ctx.cwd,
                };
                return run(&inner, sys).or_else(|| sys.program(&rest, &env)).or_else(|| {
                    Some(Outcome::fail(
                        127,
                        format!("env: can't execute '{}': No such file or directory\n", rest[0]),
                    ))
                });
            }
            let mut out = String::new();
            for (k, v) in ctx.env {
                out.push_str(&format!("{k}={v}\n"));
            }
            for a in &args {
                if a.contains('=') {
                    out.push_str(&format!("{a}\n"));
                }
            }
            Outcome::ok(out)
        }
        "printenv" => {
            if args.is_empty() {
                let out: String = ctx.env.iter().map(|(k, v)| format!("{k}={v}\n")).collect();
                Outcome::ok(out)
            } else {
                let mut out = String::new();
                let mut status = 0;
                for a in &args {
                    match ctx.env.iter().rev().find(|(k, _)| k == a) {
                        Some((_, v)) => out.push_str(&format!("{v}\n")),
                        None => status = 1,
                    }
                }
                Outcome {
                    status,
                    stdout: out,
                    stderr: String::new(),
                    effect: Effect::None,
                }
            }
        }
        "cat" => cat(&args, ctx, sys, bb),
        "ls" => ls(&args, ctx, sys, bb),
        "touch" => {
            let mut err = String::new();
            for f in args.iter().filter(|a| !a.starts_with('-')) {
                let p = path(f);
                if sys.fs().exists(&p) {
                    continue;
                }
                if let Err(e) = sys.fs().write(&p, "", false) {
                    err.push_str(&if bb {
                        format!("touch: {f}: {}\n", e.text())
                    } else {
                        format!("touch: cannot touch '{f}': {}\n", e.text())
                    });
                }
            }
            if err.is_empty() {
                Outcome::ok("")
            } else {
                Outcome::fail(1, err)
            }
        }
        "mkdir" => {
            let parents = args.iter().any(|a| a.starts_with('-') && a.contains('p'));
            let mut err = String::new();
            for d in args.iter().filter(|a| !a.starts_with('-')) {
                if let Err(e) = sys.fs().mkdir(&path(d), parents) {
                    err.push_str(&if bb {
                        format!("mkdir: can't create directory '{d}': {}\n", e.text())
                    } else {
                        format!("mkdir: cannot create directory '{d}': {}\n", e.text())
                    });
                }
            }
            if err.is_empty() {
                Outcome::ok("")
            } else {
                Outcome::fail(1, err)
            }
        }
        "rmdir" => {
            let mut err = String::new();
            for d in args.iter().filter(|a| !a.starts_with('-')) {
                let p = path(d);
                let r = match sys.fs().list(&p) {
                    Ok(v) if v.is_empty() => sys.fs().remove(&p, true),
                    Ok(_) => Err(vfs::FsError::NotEmpty),
                    Err(e) => Err(e),
                };
                if let Err(e) = r {
                    err.push_str(&format!(
                        "rmdir: {}'{d}': {}\n",
                        if bb { "" } else { "failed to remove " },
                        e.text()
                    ));
                }
            }
            if err.is_empty() {
                Outcome::ok("")
            } else {
                Outcome::fail(1, err)
            }
        }
        "rm" => rm(&args, ctx, sys, bb),
        "cp" | "mv" => {
            let files: Vec<&&str> = args.iter().filter(|a| !a.starts_with('-')).collect();
            if files.len() < 2 {
                return Some(Outcome::fail(1, format!("{name}: missing file operand\n")));
            }
            let dest = path(files[files.len() - 1]);
            let mut err = String::new();
            for src in &files[..files.len() - 1] {
                let sp = path(src);
                match sys.fs().read(&sp) {
                    Ok(c) => {
                        let target = if sys.fs().is_dir(&dest) {
                            format!("{}/{}", dest.trim_end_matches('/'), sp.rsplit('/').next().unwrap_or(""))
                        } else {
                            dest.clone()
                        };
                        if let Err(e) = sys.fs().write(&target, &c, false) {
                            err.push_str(&format!(
                                "{name}: can't create '{}': {}\n",
                                files[files.len() - 1],
                                e.text()
                            ));
                        } else if name == "mv" {
                            let _ = sys.fs().remove(&sp, false);
                        }
                    }
                    Err(e) => err.push_str(&if bb {
                        format!("{name}: can't stat '{src}': {}\n", e.text())
                    } else {
                        format!("{name}: cannot stat '{src}': {}\n", e.text())
                    }),
                }
            }
            if err.is_empty() {
                Outcome::ok("")
            } else {
                Outcome::fail(1, err)
            }
        }
        "tee" => {
            let append = args.contains(&"-a");
            let input = ctx.stdin.unwrap_or("");
            for f in args.iter().filter(|a| !a.starts_with('-')) {
                let _ = sys.fs().write(&path(f), input, append);
            }
            Outcome::ok(input)
        }
        "head" | "tail" => head_tail(name, &args, ctx, sys, bb),
        "wc" => {
            let input = match read_input(&args, ctx, sys, "wc", bb) {
                Ok(i) => i,
                Err(o) => return Some(o),
            };
            let lines = input.matches('\n').count();
            let words = input.split_whitespace().count();
            let bytes = input.len();
            let out = match args.iter().find(|a| a.starts_with('-')).copied() {
                Some("-l") => format!("{lines}\n"),
                Some("-w") => format!("{words}\n"),
                Some("-c") => format!("{bytes}\n"),
                _ if bb => format!("{lines:>9} {words:>9} {bytes:>9}\n"),
                _ => format!("{lines:>7} {words:>7} {bytes:>7}\n"),
            };
            Outcome::ok(out)
        }
        "sort" => {
            let input = match read_input(&args, ctx, sys, "sort", bb) {
                Ok(i) => i,
                Err(o) => return Some(o),
            };
            let mut lines: Vec<&str> = input.lines().collect();
            lines.compact_sort();
            if args.contains(&"-r") {
                lines.reverse();
            }
            if args.contains(&"-u") {
                lines.dedup();
            }
            Outcome::ok(lines.iter().map(|l| format!("{l}\n")).collect::<String>())
        }
        "uniq" => {
            let input = match read_input(&args, ctx, sys, "uniq", bb) {
                Ok(i) => i,
                Err(o) => return Some(o),
            };
            let mut lines: Vec<&str> = input.lines().collect();
            lines.dedup();
            Outcome::ok(lines.iter().map(|l| format!("{l}\n")).collect::<String>())
        }
        "grep" => grep(&args, ctx, sys, bb),
        "cut" => {
            let mut delim = "\t".to_string();
            let mut fields = String::new();
            let mut files = Vec::new();
            let mut i = 0;
            while i < args.len() {
                let a = args[i];
                if let Some(d) = a.strip_prefix("-d") {
                    delim = if d.is_empty() {
                        i += 1;
                        args.get(i).copied().unwrap_or("").to_string()
                    } else {
                        d.to_string()
                    };
                } else if let Some(f) = a.strip_prefix("-f") {
                    fields = if f.is_empty() {
                        i += 1;
                        args.get(i).copied().unwrap_or("").to_string()
                    } else {
                        f.to_string()
                    };
                } else {
                    files.push(a);
                }
                i += 1;
            }
            let input = match read_input(&files, ctx, sys, "cut", bb) {
                Ok(i) => i,
                Err(o) => return Some(o),
            };
            let want: Vec<usize> = fields.split(',').filter_map(|f| f.parse().ok()).collect();
            let mut out = String::new();
            for l in input.lines() {
                let parts: Vec<&str> = l.split(delim.as_str()).collect();
                let picked: Vec<&str> = want
                    .iter()
                    .filter_map(|i| parts.get(i.wrapping_sub(1)).copied())
                    .collect();
                out.push_str(&picked.join(&delim));
                out.push('\n');
            }
            Outcome::ok(out)
        }
        "tr" => {
            let input = ctx.stdin.unwrap_or("");
            let (from, to) = (args.first().copied().unwrap_or(""), args.get(1).copied().unwrap_or(""));
            let expand = |s: &str| -> Vec<char> {
                match s {
                    "a-z" | "[:lower:]" => ('a'..='z').collect(),
                    "A-Z" | "[:upper:]" => ('A'..='Z').collect(),
                    _ => s.chars().collect(),
                }
            };
            let (f, t) = (expand(from), expand(to));
            let out: String = if from == "-d" {
                let del = expand(to);
                input.chars().filter(|c| !del.contains(c)).collect()
            } else {
                input
                    .chars()
                    .map(|c| match f.iter().position(|x| *x == c) {
                        Some(i) => t.get(i).or(t.last()).copied().unwrap_or(c),
                        None => c,
                    })
                    .collect()
            };
            Outcome::ok(out)
        }
        "seq" => {
            let nums: Vec<i64> = args.iter().filter_map(|a| a.parse().ok()).collect();
            let (first, step, last) = match nums.as_slice() {
                [l] => (1, 1, *l),
                [f, l] => (*f, 1, *l),
                [f, s, l] => (*f, *s, *l),
                _ => return Some(Outcome::fail(1, "seq: missing operand\n")),
            };
            let mut out = String::new();
            let mut n = first;
            let mut count = 0;
            while step != 0 && ((step > 0 && n <= last) || (step < 0 && n >= last)) && count < 100_000 {
                out.push_str(&format!("{n}\n"));
                n += step;
                count += 1;
            }
            Outcome::ok(out)
        }
        "basename" => Outcome::ok(format!(
            "{}\n",
            args.first()
                .map(|a| a.trim_end_matches('/').rsplit('/').next().unwrap_or(""))
                .unwrap_or("")
        )),
        "dirname" => {
            let a = args.first().copied().unwrap_or(".");
            let d = match a.trim_end_matches('/').rsplit_once('/') {
                Some(("", _)) => "/",
                Some((d, _)) => d,
                None => ".",
            };
            Outcome::ok(format!("{d}\n"))
        }
        "expr" => match expr(&args) {
            Some(v) => {
                let st = i32::from(v == "0" || v.is_empty());
                Outcome {
                    status: st,
                    stdout: format!("{v}\n"),
                    stderr: String::new(),
                    effect: Effect::None,
                }
            }
            None => Outcome::fail(2, "expr: syntax error\n"),
        },
        "test" | "[" => {
            let mut a: Vec<&str> = args.clone();
            if name == "[" {
                if a.last() != Some(&"]") {
                    return Some(Outcome::fail(2, "sh: missing ]\n"));
                }
                a.pop();
            }
            match test(&a, ctx, sys) {
                Some(true) => Outcome::ok(""),
                Some(false) => Outcome::fail(1, ""),
                None => Outcome::fail(
                    2,
                    format!("sh: {}: unknown operand\n", a.first().copied().unwrap_or("")),
                ),
            }
        }
        "which" => {
            let mut out = String::new();
            let mut status = 0;
            for a in &args {
                if resolve(a, userland, &|n| sys.has_program(n)).is_some() || sys.has_program(a) {
                    out.push_str(&format!("/bin/{a}\n"));
                } else {
                    status = 1;
                }
            }
            Outcome {
                status,
                stdout: out,
                stderr: String::new(),
                effect: Effect::None,
            }
        }
        "yes" => Outcome::ok("y\n".repeat(1000)).with(Effect::Block),
        "ps" => {
            let mut out = String::from("PID   USER     TIME  COMMAND\n");
            let mut procs = sys.processes();
            let next = procs.iter().map(|p| p.0).max().unwrap_or(1) + 6;
            procs.push((next, ctx.argv.join(" ")));
            for (pid, cmd) in procs {
                out.push_str(&format!("{pid:>5} root      0:00 {cmd}\n"));
            }
            Outcome::ok(out)
        }
        "kill" | "killall" | "pkill" => {
            let mut sig = 15;
            let mut targets = Vec::new();
            for a in &args {
                if let Some(s) = a.strip_prefix('-') {
                    sig = match s {
                        "9" | "KILL" | "SIGKILL" => 9,
                        "2" | "INT" | "SIGINT" => 2,
                        "3" | "QUIT" | "SIGQUIT" => 3,
                        "0" => 0,
                        "HUP" | "1" => 1,
                        _ => 15,
                    };
                } else {
                    targets.push(*a);
                }
            }
            if targets.is_empty() {
                return Some(Outcome::fail(1, format!("{name}: usage error\n")));
            }
            let mut status = 0;
            let mut err = String::new();
            for t in targets {
                if !sys.signal(t, sig) {
                    status = 1;
                    if name == "kill" {
                        err.push_str(&format!("sh: can't kill pid {t}: No such process\n"));
                    } else if name == "killall" && sig != 0 {
                        err.push_str(&format!("killall: {t}: no process killed\n"));
                    }
                }
            }
            Outcome {
                status,
                stdout: String::new(),
                stderr: err,
                effect: Effect::None,
            }
        }
        "nslookup" => nslookup(&args, sys),
        "wget" => wget(&args, ctx, sys),
        "curl" => curl(&args, ctx, sys),
        "ping" => ping(&args, sys),
        "nc" => {
            // `nc -z host port`: a TCP check.
            let rest: Vec<&&str> = args.iter().filter(|a| !a.starts_with('-')).collect();
            match (rest.first(), rest.get(1).and_then(|p| p.parse::<u16>().ok())) {
                (Some(h), Some(p)) => {
                    if sys.tcp_open(h, p) {
                        Outcome::ok("")
                    } else {
                        Outcome::fail(1, "")
                    }
                }
                _ => Outcome::fail(1, "BusyBox nc: usage error\n"),
            }
        }
        _ => return None,
    })
}

fn echo(args: &[&str]) -> Outcome {
    let mut newline = true;
    let mut escapes = false;
    let mut i = 0;
    while let Some(a) = args.get(i) {
        match *a {
            "-n" => newline = false,
            "-e" => escapes = true,
            "-ne" | "-en" => {
                newline = false;
                escapes = true;
            }
            _ => break,
        }
        i += 1;
    }
    let mut s = args[i..].join(" ");
    if escapes {
        s = unescape(&s);
    }
    if newline {
        s.push('\n');
    }
    Outcome::ok(s)
}

fn unescape(s: &str) -> String {
    let mut out = String::new();
    let mut it = s.chars().peekable();
    while let Some(c) = it.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match it.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('\\') => out.push('\\'),
            Some('r') => out.push('\r'),
            Some(o) => {
                out.push('\\');
                out.push(o);
            }
            None => out.push('\\'),
        }
    }
    out
}

fn printf(args: &[&str]) -> Outcome {
    let Some(fmt) = args.first() else {
        return Outcome::fail(1, "printf: usage: printf FORMAT [ARGUMENT...]\n");
    };
    let fmt = unescape(fmt);
    let mut rest = args[1..].iter();
    let mut out = String::new();
    loop {
        let mut consumed = false;
        let mut chars = fmt.chars().peekable();
        while let Some(c) = chars.next() {
            if c != '%' {
                out.push(c);
                continue;
            }
            let mut spec = String::new();
            while let Some(&n) = chars.peek() {
                spec.push(n);
                chars.next();
                if n.is_ascii_alphabetic() || n == '%' {
                    break;
                }
            }
            match spec.chars().last() {
                Some('%') => out.push('%'),
                Some('s') | Some('d') | Some('i') | Some('u') => {
                    consumed = true;
                    let v = rest.next().copied().unwrap_or("");
                    let width: String = spec.chars().filter(|c| c.is_ascii_digit() || *c == '-').collect();
                    let v = if spec.ends_with('s') {
                        v.to_string()
                    } else {
                        v.parse::<i64>().unwrap_or(0).to_string()
                    };
                    match width.strip_prefix('-').and_then(|w| w.parse::<usize>().ok()) {
                        Some(w) => out.push_str(&format!("{v:<w$}")),
                        None => match width.parse::<usize>() {
                            Ok(w) => out.push_str(&format!("{v:>w$}")),
                            Err(_) => out.push_str(&v),
                        },
                    }
                }
                _ => out.push_str(&format!("%{spec}")),
            }
        }
        if !consumed || rest.len() == 0 {
            break;
        }
    }
    Outcome::ok(out)
}

/// `sleep 5`, `sleep 0.5`, `sleep 1m`, `sleep infinity`.
fn sleep(args: &[&str], bb: bool) -> Outcome {
    if args.is_empty() {
        return Outcome::fail(
            1,
            if bb {
                "BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: sleep [N]...\n"
            } else {
                "sleep: missing operand\nTry 'sleep --help' for more information.\n"
            },
        );
    }
    let mut total: u64 = 0;
    for a in args {
        if *a == "infinity" || *a == "inf" {
            return Outcome::ok("").with(Effect::Block);
        }
        let (num, mult) = match a.chars().last() {
            Some('s') => (&a[..a.len() - 1], 1000.0),
            Some('m') => (&a[..a.len() - 1], 60_000.0),
            Some('h') => (&a[..a.len() - 1], 3_600_000.0),
            Some('d') => (&a[..a.len() - 1], 86_400_000.0),
            _ => (&a[..], 1000.0),
        };
        match num.parse::<f64>() {
            Ok(n) if n >= 0.0 && n.is_finite() => total = total.saturating_add((n * mult) as u64),
            _ => {
                return Outcome::fail(
                    1,
                    if bb {
                        format!("sleep: invalid number '{a}'\n")
                    } else {
                        format!("sleep: invalid time interval '{a}'\nTry 'sleep --help' for more information.\n")
                    },
                );
            }
        }
    }
    Outcome::ok("").with(Effect::Sleep(total))
}

const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Broken-down UTC time of a timestamp: (year, month 1-12, day, hour, minute, second, weekday
/// index into [`DAYS`]).
pub fn civil(ts: Timestamp) -> (i64, usize, i64, i64, i64, i64, usize) {
    let s = ts.to_string();
    let n = |r: std::ops::Range<usize>| s.get(r).and_then(|x| x.parse::<i64>().ok()).unwrap_or(0);
    let secs = ts.unix_secs();
    let wd = secs.div_euclid(86_400).rem_euclid(7) as usize;
    (n(0..4), n(5..7) as usize, n(8..10), n(11..13), n(14..16), n(17..19), wd)
}

fn date(args: &[&str], sys: &dyn Sys) -> Outcome {
    let ts = Timestamp(sys.now());
    let (y, mo, d, h, mi, s, wd) = civil(ts);
    let fmt = args.iter().find(|a| a.starts_with('+')).map(|f| &f[1..]);
    let out = match fmt {
        None => format!("{} {} {d:>2} {h:02}:{mi:02}:{s:02} UTC {y}", DAYS[wd], MONTHS[mo - 1]),
        Some(f) => {
            let mut o = String::new();
            let mut it = f.chars();
            while let Some(c) = it.next() {
                if c != '%' {
                    o.push(c);
                    continue;
                }
                match it.next() {
                    Some('Y') => o.push_str(&y.to_string()),
                    Some('m') => o.push_str(&format!("{mo:02}")),
                    Some('d') => o.push_str(&format!("{d:02}")),
                    Some('H') => o.push_str(&format!("{h:02}")),
                    Some('M') => o.push_str(&format!("{mi:02}")),
                    Some('S') => o.push_str(&format!("{s:02}")),
                    Some('s') => o.push_str(&ts.unix_secs().to_string()),
                    Some('T') => o.push_str(&format!("{h:02}:{mi:02}:{s:02}")),
                    Some('F') => o.push_str(&format!("{y}-{mo:02}-{d:02}")),
                    Some('a') => o.push_str(DAYS[wd]),
                    Some('b') => o.push_str(MONTHS[mo - 1]),
                    Some('Z') => o.push_str("UTC"),
                    Some('N') => o.push_str(&format!("{:09}", (sys.now().0 % 1000) * 1_000_000)),
                    Some('%') => o.push('%'),
                    Some(x) => {
                        o.push('%');
                        o.push(x);
                    }
                    None => o.push('%'),
                }
            }
            o
        }
    };
    Outcome::ok(format!("{out}\n"))
}

fn read_input(files: &[&str], ctx: &Ctx<'_>, sys: &mut dyn Sys, name: &str, bb: bool) -> Result<String, Outcome> {
    let names: Vec<&&str> = files.iter().filter(|a| !a.starts_with('-') || **a == "-").collect();
    if names.is_empty() {
        return Ok(ctx.stdin.unwrap_or("").to_string());
    }
    let mut all = String::new();
    for f in names {
        if *f == "-" {
            all.push_str(ctx.stdin.unwrap_or(""));
            continue;
        }
        match sys.fs().read(&vfs::normalize(ctx.cwd, f)) {
            Ok(c) => all.push_str(&c),
            Err(e) => {
                return Err(Outcome::fail(
                    1,
                    if bb {
                        format!("{name}: can't open '{f}': {}\n", e.text())
                    } else {
                        format!("{name}: {f}: {}\n", e.text())
                    },
                ));
            }
        }
    }
    Ok(all)
}

fn cat(args: &[&str], ctx: &Ctx<'_>, sys: &mut dyn Sys, bb: bool) -> Outcome {
    let files: Vec<&str> = args
        .iter()
        .copied()
        .filter(|a| !a.starts_with('-') || *a == "-")
        .collect();
    if files.is_empty() {
        return Outcome::ok(ctx.stdin.unwrap_or(""));
    }
    let mut out = String::new();
    let mut err = String::new();
    for f in files {
        if f == "-" {
            out.push_str(ctx.stdin.unwrap_or(""));
            continue;
        }
        match sys.fs().read(&vfs::normalize(ctx.cwd, f)) {
            Ok(c) => out.push_str(&c),
            Err(e) => err.push_str(&if bb {
                match e {
                    vfs::FsError::IsDir => format!("cat: read error: {}\n", e.text()),
                    _ => format!("cat: can't open '{f}': {}\n", e.text()),
                }
            } else {
                format!("cat: {f}: {}\n", e.text())
            }),
        }
    }
    Outcome {
        status: i32::from(!err.is_empty()),
        stdout: out,
        stderr: err,
        effect: Effect::None,
    }
}

fn ls(args: &[&str], ctx: &Ctx<'_>, sys: &mut dyn Sys, bb: bool) -> Outcome {
    let flags: String = args
        .iter()
        .filter(|a| a.starts_with('-') && a.len() > 1)
        .flat_map(|a| a.chars().skip(1))
        .collect();
    let long = flags.contains('l');
    let all = flags.contains('a');
    let mut targets: Vec<&str> = args
        .iter()
        .copied()
        .filter(|a| !a.starts_with('-') || *a == "-")
        .collect();
    let explicit = !targets.is_empty();
    if targets.is_empty() {
        targets.push(".");
    }
    let mut out = String::new();
    let mut err = String::new();
    let mut files_out = Vec::new();
    let mut dirs = Vec::new();
    for t in &targets {
        let p = vfs::normalize(ctx.cwd, t);
        match sys.fs().stat(&p) {
            None => err.push_str(&if bb {
                format!("ls: {t}: No such file or directory\n")
            } else {
                format!("ls: cannot access '{t}': No such file or directory\n")
            }),
            Some(vfs::Stat::File(c)) => files_out.push((t.to_string(), Some(c.len()))),
            Some(vfs::Stat::Dir) => dirs.push((t.to_string(), p)),
        }
    }
    let when = {
        let (_, mo, d, h, mi, _, _) = civil(Timestamp(sys.now()));
        format!("{} {d:>2} {h:02}:{mi:02}", MONTHS[mo - 1])
    };
    let line = |name: &str, size: Option<usize>| -> String {
        if !long {
            return format!("{name}\n");
        }
        match size {
            Some(s) if bb => format!("-rw-r--r--    1 root     root        {s:>6} {when} {name}\n"),
            Some(s) => format!("-rw-r--r-- 1 root root {s} {when} {name}\n"),
            None if bb => format!("drwxr-xr-x    2 root     root          4096 {when} {name}\n"),
            None => format!("drwxr-xr-x 2 root root 4096 {when} {name}\n"),
        }
    };
    for (n, s) in &files_out {
        out.push_str(&line(n, *s));
    }
    let many = dirs.len() + files_out.len() > 1;
    for (i, (shown, p)) in dirs.iter().enumerate() {
        if many {
            if i > 0 || !files_out.is_empty() {
                out.push('\n');
            }
            out.push_str(&format!("{shown}:\n"));
        }
        let mut names = sys.fs().list(p).unwrap_or_default();
        if all {
            names.insert(0, "..".into());
            names.insert(0, ".".into());
        }
        if long && !bb {
            out.push_str(&format!("total {}\n", names.len() * 4));
        }
        for n in names {
            let full = if p == "/" { format!("/{n}") } else { format!("{p}/{n}") };
            let size = match sys.fs().stat(&full) {
                Some(vfs::Stat::File(c)) => Some(c.len()),
                _ => None,
            };
            out.push_str(&line(&n, size));
        }
    }
    let _ = explicit;
    let status = if err.is_empty() {
        0
    } else if bb {
        1
    } else {
        2
    };
    Outcome {
        status,
        stdout: out,
        stderr: err,
        effect: Effect::None,
    }
}

fn rm(args: &[&str], ctx: &Ctx<'_>, sys: &mut dyn Sys, bb: bool) -> Outcome {
    let flags: String = args
        .iter()
        .filter(|a| a.starts_with('-') && a.len() > 1)
        .flat_map(|a| a.chars().skip(1))
        .collect();
    let recursive = flags.contains('r') || flags.contains('R');
    let force = flags.contains('f');
    let mut err = String::new();
    let files: Vec<&str> = args.iter().copied().filter(|a| !a.starts_with('-')).collect();
    if files.is_empty() && !force {
        return Outcome::fail(
            1,
            if bb {
                "BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: rm [-irf] FILE...\n"
            } else {
                "rm: missing operand\nTry 'rm --help' for more information.\n"
            },
        );
    }
    for f in files {
        let p = vfs::normalize(ctx.cwd, f);
        match sys.fs().remove(&p, recursive) {
            Ok(()) => {}
            Err(vfs::FsError::NotFound) if force => {}
            Err(vfs::FsError::IsDir) => err.push_str(&if bb {
                format!("rm: '{f}' is a directory\n")
            } else {
                format!("rm: cannot remove '{f}': Is a directory\n")
            }),
            Err(e) => err.push_str(&if bb {
                format!("rm: can't remove '{f}': {}\n", e.text())
            } else {
                format!("rm: cannot remove '{f}': {}\n", e.text())
            }),
        }
    }
    Outcome {
        status: i32::from(!err.is_empty()),
        stdout: String::new(),
        stderr: err,
        effect: Effect::None,
    }
}

fn head_tail(name: &str, args: &[&str], ctx: &Ctx<'_>, sys: &mut dyn Sys, bb: bool) -> Outcome {
    let mut n: usize = 10;
    let mut follow = false;
    let mut files = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = args[i];
        if a == "-n" {
            i += 1;
            n = args
                .get(i)
                .and_then(|v| v.trim_start_matches('+').parse().ok())
                .unwrap_or(10);
        } else if let Some(v) = a.strip_prefix("-n") {
            n = v.parse().unwrap_or(10);
        } else if a == "-f" || a == "-F" {
            follow = true;
        } else if a.starts_with('-') && a[1..].chars().all(|c| c.is_ascii_digit()) && a.len() > 1 {
            n = a[1..].parse().unwrap_or(10);
        } else {
            files.push(a);
        }
        i += 1;
    }
    let input = if files == ["/dev/null"] {
        String::new()
    } else {
        match read_input(&files, ctx, sys, name, bb) {
            Ok(s) => s,
            Err(o) => return o,
        }
    };
    let lines: Vec<&str> = input.lines().collect();
    let picked: &[&str] = if name == "head" {
        &lines[..n.min(lines.len())]
    } else {
        &lines[lines.len().saturating_sub(n)..]
    };
    let out: String = picked.iter().map(|l| format!("{l}\n")).collect();
    let o = Outcome::ok(out);
    if follow && name == "tail" {
        o.with(Effect::Block)
    } else {
        o
    }
}

/// A small regular-expression matcher (`^`, `$`, `.`, `*`, literal text): enough for the
/// `grep` lines in tutorials.
fn re_match(pat: &str, text: &str, icase: bool) -> bool {
    fn here(p: &[char], t: &[char]) -> bool {
        if p.is_empty() {
            return true;
        }
        if p.len() >= 2 && p[1] == '*' {
            let mut i = 0;
            loop {
                if here(&p[2..], &t[i..]) {
                    return true;
                }
                if i < t.len() && (p[0] == '.' || p[0] == t[i]) {
                    i += 1;
                } else {
                    return false;
                }
            }
        }
        if p[0] == '$' && p.len() == 1 {
            return t.is_empty();
        }
        !t.is_empty() && (p[0] == '.' || p[0] == t[0]) && here(&p[1..], &t[1..])
    }
    let (p, t): (Vec<char>, Vec<char>) = if icase {
        (
            pat.to_lowercase().chars().collect(),
            text.to_lowercase().chars().collect(),
        )
    } else {
        (pat.chars().collect(), text.chars().collect())
    };
    if p.first() == Some(&'^') {
        return here(&p[1..], &t);
    }
    (0..=t.len()).any(|i| here(&p, &t[i..]))
}

fn grep(args: &[&str], ctx: &Ctx<'_>, sys: &mut dyn Sys, bb: bool) -> Outcome {
    let flags: String = args
        .iter()
        .filter(|a| a.starts_with('-') && a.len() > 1)
        .flat_map(|a| a.chars().skip(1))
        .collect();
    let rest: Vec<&str> = args
        .iter()
        .copied()
        .filter(|a| !a.starts_with('-') || *a == "-")
        .collect();
    let Some(pat) = rest.first() else {
        return Outcome::fail(
            2,
            if bb {
                "BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: grep [-HhnlLoqvsrRiwFE] [-m N] [-A|B|C N] { PATTERN | -e PATTERN... | -f FILE... } [FILE]...\n"
            } else {
                "Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n"
            },
        );
    };
    let input = match read_input(&rest[1..], ctx, sys, "grep", bb) {
        Ok(s) => s,
        Err(o) => return Outcome { status: 2, ..o },
    };
    let invert = flags.contains('v');
    let icase = flags.contains('i');
    let hits: Vec<&str> = input.lines().filter(|l| re_match(pat, l, icase) != invert).collect();
    let status = i32::from(hits.is_empty());
    if flags.contains('q') {
        return Outcome {
            status,
            stdout: String::new(),
            stderr: String::new(),
            effect: Effect::None,
        };
    }
    let out = if flags.contains('c') {
        format!("{}\n", hits.len())
    } else {
        hits.iter().map(|l| format!("{l}\n")).collect()
    };
    Outcome {
        status,
        stdout: out,
        stderr: String::new(),
        effect: Effect::None,
    }
}

fn expr(args: &[&str]) -> Option<String> {
    match args {
        [a] => Some(a.to_string()),
        [a, op, b] => {
            let (x, y) = (a.parse::<i64>(), b.parse::<i64>());
            Some(match (*op, x, y) {
                ("+", Ok(x), Ok(y)) => (x + y).to_string(),
                ("-", Ok(x), Ok(y)) => (x - y).to_string(),
                ("*", Ok(x), Ok(y)) => (x * y).to_string(),
                ("/", Ok(x), Ok(y)) if y != 0 => (x / y).to_string(),
                ("%", Ok(x), Ok(y)) if y != 0 => (x % y).to_string(),
                ("=", _, _) => i32::from(a == b).to_string(),
                ("!=", _, _) => i32::from(a != b).to_string(),
                ("<", Ok(x), Ok(y)) => i32::from(x < y).to_string(),
                (">", Ok(x), Ok(y)) => i32::from(x > y).to_string(),
                _ => return None,
            })
        }
        _ => None,
    }
}

/// `test` / `[`: `None` on a syntax error.
fn test(a: &[&str], ctx: &Ctx<'_>, sys: &mut dyn Sys) -> Option<bool> {
    if let Some(i) = a.iter().position(|x| *x == "-o") {
        return Some(test(&a[..i], ctx, sys)? || test(&a[i + 1..], ctx, sys)?);
    }
    if let Some(i) = a.iter().position(|x| *x == "-a") {
        if i > 0 {
            return Some(test(&a[..i], ctx, sys)? && test(&a[i + 1..], ctx, sys)?);
        }
    }
    match a {
        [] => Some(false),
        ["!", rest @ ..] => test(rest, ctx, sys).map(|b| !b),
        [s] => Some(!s.is_empty()),
        [op, f] if op.starts_with('-') => {
            let p = vfs::normalize(ctx.cwd, f);
            Some(match *op {
                "-z" => f.is_empty(),
                "-n" => !f.is_empty(),
                "-e" | "-r" | "-w" => sys.fs().exists(&p),
                "-f" => matches!(sys.fs().stat(&p), Some(vfs::Stat::File(_))),
                "-d" => sys.fs().is_dir(&p),
                "-s" => matches!(sys.fs().stat(&p), Some(vfs::Stat::File(c)) if !c.is_empty()),
                "-x" => sys.fs().is_dir(&p) || resolve(f, sys.userland(), &|n| sys.has_program(n)).is_some(),
                "-L" | "-h" | "-p" | "-S" | "-b" | "-c" => false,
                _ => return None,
            })
        }
        [x, op, y] => {
            let (nx, ny) = (x.trim().parse::<i64>(), y.trim().parse::<i64>());
            Some(match *op {
                "=" | "==" => x == y,
                "!=" => x != y,
                "-eq" | "-ne" | "-lt" | "-le" | "-gt" | "-ge" => {
                    let (Ok(a), Ok(b)) = (nx, ny) else {
                        return None;
                    };
                    match *op {
                        "-eq" => a == b,
                        "-ne" => a != b,
                        "-lt" => a < b,
                        "-le" => a <= b,
                        "-gt" => a > b,
                        _ => a >= b,
                    }
                }
                _ => return None,
            })
        }
        _ => None,
    }
}

/// BusyBox `nslookup`. Before 1.29 (the old applet) the search path is used and the output is
/// `Name:      x` / `Address 1: ip name`. From 1.29 to 1.32 the rewritten applet ignores the
/// search path entirely, so a bare Service name never resolves inside a pod (the well-known
/// "busybox nslookup does not work in Kubernetes" issue — docker-library/busybox#48, fixed in
/// 1.33 by BusyBox bug 11161). 1.33+ walks the search path again.
fn nslookup(args: &[&str], sys: &mut dyn Sys) -> Outcome {
    let Some(name) = args
        .iter()
        .find(|a| !a.starts_with('-'))
        .map(|s| s.trim_end_matches('.').to_string())
    else {
        return Outcome::fail(1, "BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]\n");
    };
    let minor = match sys.userland() {
        Userland::Busybox { minor } => minor,
        _ => 36,
    };
    let ndots = name.matches('.').count();
    let mut candidates: Vec<String> = Vec::new();
    let use_search = !(29..=32).contains(&minor);
    if use_search && ndots < 5 && !args.iter().any(|a| a.ends_with('.')) {
        for d in sys.search_path() {
            candidates.push(format!("{name}.{d}"));
        }
    }
    candidates.push(name.clone());
    let found = candidates.iter().find_map(|c| match sys.dns(c) {
        Dns::Found { fqdn, addrs } => Some((fqdn, addrs)),
        Dns::NxDomain => None,
    });
    if minor < 29 {
        let mut out =
            String::from("Server:    10.96.0.10\nAddress 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local\n\n");
        return match found {
            Some((fqdn, addrs)) => {
                out.push_str(&format!("Name:      {name}\n"));
                for (i, a) in addrs.iter().enumerate() {
                    out.push_str(&format!("Address {}: {a} {fqdn}\n", i + 1));
                }
                Outcome::ok(out)
            }
            None => Outcome {
                status: 1,
                stdout: out,
                stderr: format!("nslookup: can't resolve '{name}'\n"),
                effect: Effect::None,
            },
        };
    }
    let mut out = String::from("Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n");
    match found {
        Some((fqdn, addrs)) => {
            for a in &addrs {
                out.push_str(&format!("Name:\t{fqdn}\nAddress: {a}\n"));
            }
            out.push('\n');
            Outcome::ok(out)
        }
        None => {
            if use_search && candidates.len() > 1 {
                for c in &candidates[..candidates.len() - 1] {
                    out.push_str(&format!("** server can't find {c}: NXDOMAIN\n\n"));
                }
            } else {
                out.push_str(&format!(
                    "** server can't find {name}: NXDOMAIN\n\n*** Can't find {name}: No answer\n\n"
                ));
            }
            Outcome {
                status: 1,
                stdout: out,
                stderr: String::new(),
                effect: Effect::None,
            }
        }
    }
}

/// `http://host:port/path` -> (host, port, path).
pub fn parse_url(url: &str) -> Option<(String, u16, String)> {
    let rest = url
        .strip_prefix("http://")
        .or_else(|| url.strip_prefix("https://"))
        .unwrap_or(url);
    let default_port = if url.starts_with("https://") { 443 } else { 80 };
    let (hostport, path) = match rest.find('/') {
        Some(i) => (&rest[..i], rest[i..].to_string()),
        None => (rest, "/".to_string()),
    };
    if hostport.is_empty() {
        return None;
    }
    let (host, port) = match hostport.rsplit_once(':') {
        Some((h, p)) => (h.to_string(), p.parse().ok()?),
        None => (hostport.to_string(), default_port),
    };
    Some((host, port, path))
}

/// The address a name resolves to for `wget`/`curl` messages (search path applied).
fn lookup_ip(host: &str, sys: &dyn Sys) -> Option<String> {
    if host.split('.').count() == 4 && host.split('.').all(|p| p.parse::<u8>().is_ok()) {
        return Some(host.to_string());
    }
    if host == "localhost" {
        return Some("127.0.0.1".into());
    }
    let mut cands: Vec<String> = sys.search_path().iter().map(|d| format!("{host}.{d}")).collect();
    cands.push(host.to_string());
    cands.into_iter().find_map(|c| match sys.dns(&c) {
        Dns::Found { addrs, .. } => addrs.first().cloned(),
        Dns::NxDomain => None,
    })
}

/// BusyBox `wget`.
fn wget(args: &[&str], ctx: &Ctx<'_>, sys: &mut dyn Sys) -> Outcome {
    let mut quiet = false;
    let mut out_file: Option<String> = None;
    let mut spider = false;
    let mut url = None;
    let mut i = 0;
    while i < args.len() {
        let a = args[i];
        match a {
            "-q" => quiet = true,
            "-O" => {
                i += 1;
                out_file = args.get(i).map(|s| s.to_string());
            }
            "--spider" => spider = true,
            "-T" | "--timeout" | "-U" | "--header" => i += 1,
            _ if a.starts_with("-O") => out_file = Some(a[2..].to_string()),
            _ if a.starts_with("-q") && a.len() > 2 => {
                quiet = true;
                if let Some(o) = a.strip_prefix("-qO") {
                    out_file = Some(if o.is_empty() {
                        i += 1;
                        args.get(i).map(|s| s.to_string()).unwrap_or_default()
                    } else {
                        o.to_string()
                    });
                }
            }
            _ if a.starts_with('-') => {}
            _ => url = Some(a.to_string()),
        }
        i += 1;
    }
    let Some(url) = url else {
        return Outcome::fail(1, "BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: wget [-cqS] [--spider] [-O FILE] [-o LOGFILE] [--header STR]\n\t[--post-data STR | --post-file FILE] [-Y on/off]\n\t[-P DIR] [-U AGENT] [-T SEC] URL...\n");
    };
    let Some((host, port, path)) = parse_url(&url) else {
        return Outcome::fail(1, format!("wget: bad address '{url}'\n"));
    };
    let mut err = String::new();
    let Some(ip) = lookup_ip(&host, sys) else {
        return Outcome::fail(1, format!("wget: bad address '{host}'\n"));
    };
    if !quiet {
        err.push_str(&format!("Connecting to {host} ({ip}:{port})\n"));
    }
    match sys.http_get(&host, port, &path, "Wget") {
        Http::BadHost => Outcome::fail(1, format!("{err}wget: bad address '{host}'\n")),
        Http::Refused => Outcome::fail(
            1,
            format!("{err}wget: can't connect to remote host ({ip}): Connection refused\n"),
        ),
        Http::Timeout => Outcome::fail(1, format!("{err}wget: download timed out\n")),
        Http::Response { status, reason, body } => {
            if status >= 400 {
                return Outcome::fail(
                    1,
                    format!("{err}wget: server returned error: HTTP/1.1 {status} {reason}\n"),
                );
            }
            if spider {
                if !quiet {
                    err.push_str("remote file exists\n");
                }
                return Outcome {
                    status: 0,
                    stdout: String::new(),
                    stderr: err,
                    effect: Effect::None,
                };
            }
            let target = out_file.unwrap_or_else(|| {
                let last = path.rsplit('/').next().unwrap_or("");
                if last.is_empty() {
                    "index.html".into()
                } else {
                    last.to_string()
                }
            });
            let bar = |name: &str| {
                format!(
                    "{name:<20} 100% |********************************|   {:>3}  0:00:00 ETA\n",
                    body.len()
                )
            };
            if target == "-" {
                if !quiet {
                    err.push_str("writing to stdout\n");
                    err.push_str(&bar("-"));
                    err.push_str("written to stdout\n");
                }
                return Outcome {
                    status: 0,
                    stdout: body,
                    stderr: err,
                    effect: Effect::None,
                };
            }
            let p = vfs::normalize(ctx.cwd, &target);
            if sys.fs().exists(&p) && !quiet {
                return Outcome::fail(1, format!("{err}wget: can't open '{target}': File exists\n"));
            }
            if let Err(e) = sys.fs().write(&p, &body, false) {
                return Outcome::fail(1, format!("{err}wget: can't open '{target}': {}\n", e.text()));
            }
            if !quiet {
                err.push_str(&format!("saving to '{target}'\n"));
                err.push_str(&bar(&target));
                err.push_str(&format!("'{target}' saved\n"));
            }
            Outcome {
                status: 0,
                stdout: String::new(),
                stderr: err,
                effect: Effect::None,
            }
        }
    }
}

/// curl 8.x.
fn curl(args: &[&str], ctx: &Ctx<'_>, sys: &mut dyn Sys) -> Outcome {
    let mut silent = false;
    let mut show_err = false;
    let mut fail = false;
    let mut head = false;
    let mut include = false;
    let mut out_file = None;
    let mut url = None;
    let mut i = 0;
    while i < args.len() {
        let a = args[i];
        match a {
            "-o" | "--output" => {
                i += 1;
                out_file = args.get(i).map(|s| s.to_string());
            }
            "-m" | "--max-time" | "--connect-timeout" | "-H" | "--header" | "-A" | "-X" | "-d" | "-w" => i += 1,
            "-s" | "--silent" => silent = true,
            "-S" | "--show-error" => show_err = true,
            "-f" | "--fail" => fail = true,
            "-I" | "--head" => head = true,
            "-i" | "--include" => include = true,
            _ if a.starts_with("--") => {}
            _ if a.starts_with('-') => {
                for c in a.chars().skip(1) {
                    match c {
                        's' => silent = true,
                        'S' => show_err = true,
                        'f' => fail = true,
                        'I' => head = true,
                        'i' => include = true,
                        _ => {}
                    }
                }
            }
            _ => url = Some(a.to_string()),
        }
        i += 1;
    }
    let Some(url) = url else {
        return Outcome::fail(2, "curl: try 'curl --help' or 'curl --manual' for more information\n");
    };
    let quiet_err = silent && !show_err;
    let e = |code: i32, msg: String| {
        Outcome::fail(
            code,
            if quiet_err {
                String::new()
            } else {
                format!("curl: ({code}) {msg}\n")
            },
        )
    };
    let Some((host, port, path)) = parse_url(&url) else {
        return e(3, "URL rejected: Malformed input to a URL function".into());
    };
    let Some(ip) = lookup_ip(&host, sys) else {
        return e(6, format!("Could not resolve host: {host}"));
    };
    match sys.http_get(&host, port, &path, "curl/8.11.1") {
        Http::BadHost => e(6, format!("Could not resolve host: {host}")),
        Http::Refused => e(
            7,
            format!("Failed to connect to {host} port {port} after 0 ms: Couldn't connect to server"),
        ),
        Http::Timeout => e(
            28,
            format!("Failed to connect to {ip} port {port} after 134807 ms: Couldn't connect to server"),
        ),
        Http::Response { status, reason, body } => {
            if fail && status >= 400 {
                return e(22, format!("The requested URL returned error: {status}"));
            }
            let headers = format!(
                "HTTP/1.1 {status} {reason}\r\nServer: nginx\r\nContent-Type: text/html\r\nContent-Length: {}\r\n\r\n",
                body.len()
            );
            let text = if head {
                headers
            } else if include {
                format!("{headers}{body}")
            } else {
                body
            };
            if let Some(f) = out_file {
                let _ = sys.fs().write(&vfs::normalize(ctx.cwd, &f), &text, false);
                return Outcome::ok("");
            }
            Outcome::ok(text)
        }
    }
}

/// BusyBox `ping -c N host`. Service (virtual) IPs never answer ICMP: kube-proxy only forwards
/// the Service's ports.
fn ping(args: &[&str], sys: &mut dyn Sys) -> Outcome {
    let mut count: Option<u32> = None;
    let mut host = None;
    let mut i = 0;
    while i < args.len() {
        match args[i] {
            "-c" => {
                i += 1;
                count = args.get(i).and_then(|c| c.parse().ok());
            }
            a if a.starts_with("-c") => count = a[2..].parse().ok(),
            "-W" | "-w" | "-i" | "-s" => i += 1,
            a if a.starts_with('-') => {}
            a => host = Some(a.to_string()),
        }
        i += 1;
    }
    let Some(host) = host else {
        return Outcome::fail(
            1,
            "BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: ping [OPTIONS] HOST\n",
        );
    };
    let Some(ip) = lookup_ip(&host, sys) else {
        return Outcome::fail(1, format!("ping: bad address '{host}'\n"));
    };
    let n = count.unwrap_or(4);
    let mut out = format!("PING {host} ({ip}): 56 data bytes\n");
    let service_ip = ip.starts_with("10.96.")
        || ip.starts_with("10.9")
            && ip
                .split('.')
                .nth(1)
                .is_some_and(|o| o.parse::<u8>().is_ok_and(|o| (96..112).contains(&o)));
    let answers = !service_ip && (sys.tcp_open(&ip, 0) || ip == sys.pod_ip() || ip == "127.0.0.1");
    if answers {
        for seq in 0..n {
            out.push_str(&format!(
                "64 bytes from {ip}: seq={seq} ttl=64 time=0.0{} ms\n",
                50 + seq % 40
            ));
        }
    }
    let recv = if answers { n } else { 0 };
    out.push_str(&format!(
        "\n--- {host} ping statistics ---\n{n} packets transmitted, {recv} packets received, {}% packet loss\n",
        if answers { 0 } else { 100 }
    ));
    if answers {
        out.push_str("round-trip min/avg/max = 0.050/0.061/0.089 ms\n");
    }
    let o = Outcome {
        status: i32::from(!answers),
        stdout: out,
        stderr: String::new(),
        effect: Effect::Sleep(u64::from(n.saturating_sub(1)) * 1000),
    };
    if count.is_none() {
        o.with(Effect::Block)
    } else {
        o
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_regexes() {
        assert!(re_match("nginx", "welcome to nginx!", false));
        assert!(re_match("^Wel", "Welcome", false));
        assert!(!re_match("^el", "Welcome", false));
        assert!(re_match("o.e$", "Welcome", false));
        assert!(re_match("WEL", "welcome", true));
    }

    #[test]
    fn urls() {
        assert_eq!(parse_url("http://web:8080/x"), Some(("web".into(), 8080, "/x".into())));
        assert_eq!(parse_url("web"), Some(("web".into(), 80, "/".into())));
    }
}
