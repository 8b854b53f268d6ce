//! `kubectl --help`, `-h`, `kubectl help CMD`, and the help a command group prints when called
//! without a subcommand (cobra's help and usage templates as kubectl v1.32 sets them up).
//!
//! The full texts of the root and the twelve commands learners ask about most (get,
//! describe, create, apply, delete, logs, exec, run, scale, expose, rollout, label) are
//! kubectl's own, kept as plain text in `crates/kubectl/help/` (read through [`texts`]: the
//! web app fetches them instead of carrying them in the wasm) and compared with the real
//! binary in `tests/oracle_commands.rs`. Every other command prints the same structure,
//! shorter: its one-line summary in place of the long description and examples, its aliases,
//! its subcommands with their summaries, its options as the command tree declares them
//! (without their descriptions), the usage line and the footer. `help/commands.tsv` holds each
//! command's usage line and summary, taken from kubectl v1.32.

use crate::flags::{CommandSpec, FlagKind, Help, Invocation};
use crate::{errors, texts, Output, Stream};

const ROOT: &str = "help/kubectl.txt";
const COMMANDS: &str = "help/commands.tsv";

/// The name of the stored full help of `path` ("" is the root), if there is one.
fn full_text(path: &str) -> Option<String> {
    let name = if path.is_empty() {
        ROOT.to_string()
    } else {
        format!("help/{path}.txt")
    };
    texts::FILES.contains(&name.as_str()).then_some(name)
}

/// A command's usage line and summary (`commands.tsv`: `path<TAB>usage<TAB>summary`, the
/// path `/`-separated).
fn usage_and_short(path: &str) -> Option<(&'static str, &'static str)> {
    texts::get(COMMANDS).ok()?.lines().find_map(|l| {
        let mut cols = l.split('\t');
        (cols.next()? == path).then(|| (cols.next().unwrap_or(""), cols.next().unwrap_or("")))
    })
}

/// A command's long description when kubectl's differs from its summary (`commands.tsv`'s
/// optional fourth column, `\n` for newlines): group commands print it when called without a
/// subcommand (`kubectl set`, `kubectl top`).
fn long_description(path: &str) -> Option<String> {
    texts::get(COMMANDS).ok()?.lines().find_map(|l| {
        let mut cols = l.split('\t');
        (cols.next()? == path).then(|| cols.nth(2)).flatten().map(|long| {
            let mut out = String::new();
            let mut chars = long.chars();
            while let Some(c) = chars.next() {
                if c != '\\' {
                    out.push(c);
                    continue;
                }
                match chars.next() {
                    Some('n') => out.push('\n'),
                    Some(o) => out.push(o),
                    None => {}
                }
            }
            out
        })
    })
}

/// The root's usage (what `kubectl help <unknown>` prints after its complaint): the root help
/// without its long description.
fn root_usage(root: &'static str) -> &'static str {
    const MARK: &str = " Find more information at: https://kubernetes.io/docs/reference/kubectl/\n";
    root.find(MARK).map_or(root, |i| &root[i + MARK.len()..])
}

/// pflag's rendering of a default in help (`--output=''`, `--all=false`, `--filename=[]`).
fn default_text(kind: FlagKind, default: &str) -> String {
    match kind {
        FlagKind::String | FlagKind::VModule => format!("'{default}'"),
        _ => default.to_string(),
    }
}

/// The shorter help of commands without a stored text.
fn short_help(inv: &Invocation) -> String {
    let c: &CommandSpec = inv.command;
    let key = inv.path.join("/");
    let (usage, short) = usage_and_short(&key).unwrap_or(("", ""));
    let mut out = String::new();
    if let Some(long) = long_description(&key) {
        out.push_str(&format!("{long}\n\n"));
    } else if !short.is_empty() {
        out.push_str(&format!("{short}.\n\n"));
    }
    if !c.aliases.is_empty() {
        out.push_str(&format!("Aliases:\n{}, {}\n\n", c.name, c.aliases.join(", ")));
    }
    let subs: Vec<&CommandSpec> = c.subcommands.iter().filter(|s| !s.hidden).collect();
    if !subs.is_empty() {
        out.push_str("Available Commands:\n");
        let width = subs.iter().map(|s| s.name.len()).max().unwrap_or(0).max(11) + 3;
        for s in &subs {
            let sub_key = if key.is_empty() {
                s.name.to_string()
            } else {
                format!("{key}/{}", s.name)
            };
            let sub_short = usage_and_short(&sub_key).map_or("", |(_, sh)| sh);
            out.push_str(&format!("  {:width$}{sub_short}\n", s.name));
        }
        out.push('\n');
    }
    let flags: Vec<_> = c.flags.iter().filter(|f| !f.hidden).collect();
    if !flags.is_empty() {
        out.push_str("Options:\n");
        for f in flags {
            let short = f.short.map(|s| format!("-{s}, ")).unwrap_or_default();
            out.push_str(&format!(
                "    {short}--{}={}:\n\n",
                f.long,
                default_text(f.kind, f.default)
            ));
        }
    }
    let usage = if usage.is_empty() {
        format!("{} [options]", inv.command_path())
    } else {
        usage.to_string()
    };
    out.push_str(&format!("Usage:\n  {usage}\n\n"));
    if !subs.is_empty() {
        out.push_str(&format!(
            "Use \"{} <command> --help\" for more information about a given command.\n",
            inv.command_path()
        ));
    }
    out.push_str("Use \"kubectl options\" for a list of global command-line options (applies to all commands).\n");
    out
}

/// Prints the help `inv` asks for (an error if the web app could not load the texts).
pub fn run(inv: &Invocation) -> Output {
    let mut o = Output::ok();
    let root = match texts::get(ROOT).and_then(|root| texts::get(COMMANDS).map(|_| root)) {
        Ok(root) => root,
        Err(why) => return errors::error(why),
    };
    if let Some(Help::UnknownTopic(line)) = &inv.help {
        o.err(format!("{line}\n\n{}", root_usage(root)));
        return o;
    }
    let key = inv.path.join("/");
    let text = match full_text(&key) {
        Some(name) => match texts::get(&name) {
            Ok(t) => t.to_string(),
            Err(why) => return errors::error(why),
        },
        None => short_help(inv),
    };
    match &inv.help {
        Some(Help::ShowAndFail(stream)) => {
            match stream {
                Stream::Stdout => o.out(text),
                Stream::Stderr => o.err(text),
            };
            o.exit_code = 1;
        }
        _ => {
            o.out(text);
        }
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_command_has_a_summary() {
        fn walk(c: &CommandSpec, path: &mut Vec<&'static str>, missing: &mut Vec<String>) {
            for s in c.subcommands.iter().filter(|s| !s.hidden) {
                path.push(s.name);
                if usage_and_short(&path.join("/")).is_none() {
                    missing.push(path.join(" "));
                }
                walk(s, path, missing);
                path.pop();
            }
        }
        let mut missing = Vec::new();
        walk(&crate::flags::KUBECTL, &mut Vec::new(), &mut missing);
        assert!(missing.is_empty(), "no summary for {missing:?}");
    }
}
