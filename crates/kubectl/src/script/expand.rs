//! Word expansion, the bash way, for the console interpreter: tilde, parameters (`$VAR`,
//! `${VAR}`, `${VAR:-default}`, `${#VAR}`, `$?`), command substitution (`$(…)` and backquotes),
//! field splitting of unquoted results on blanks, and quote removal. Pathname expansion
//! (globbing) is not done: a pattern that matches nothing stays as typed in bash too, and the
//! console's files are not a directory tree.
//!
//! What bash accepts but the console does not simulate (arithmetic `$((…))`, the pattern forms
//! of `${…}`) fails with a message saying so, never silently (exit status 1, command not run),
//! the way bash reports a `bad substitution`.

use super::{Part, Word};
use std::collections::{BTreeMap, BTreeSet};

/// The shell's variables and the status of the last command (`$?`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Vars {
    values: BTreeMap<String, String>,
    exported: BTreeSet<String>,
    /// `$?`.
    pub status: i32,
}

impl Default for Vars {
    /// The environment of a root login shell on a kind node.
    fn default() -> Self {
        let mut v = Vars {
            values: BTreeMap::new(),
            exported: BTreeSet::new(),
            status: 0,
        };
        for (k, val) in [
            ("HOME", "/root"),
            ("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"),
            ("PWD", "/root"),
            ("SHELL", "/bin/bash"),
            ("USER", "root"),
        ] {
            v.set(k, val);
            v.export(k);
        }
        v
    }
}

impl Vars {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.values.get(name).map(String::as_str)
    }

    pub fn set(&mut self, name: &str, value: &str) {
        self.values.insert(name.to_string(), value.to_string());
    }

    pub fn export(&mut self, name: &str) {
        self.exported.insert(name.to_string());
    }

    pub fn unset(&mut self, name: &str) {
        self.values.remove(name);
        self.exported.remove(name);
    }

    /// `export` with no operand: `declare -x NAME="value"` per exported variable, sorted.
    pub fn declare_exported(&self) -> String {
        self.exported
            .iter()
            .map(|k| match self.values.get(k) {
                Some(v) => format!("declare -x {k}=\"{}\"\n", v.replace('\\', "\\\\").replace('"', "\\\"")),
                None => format!("declare -x {k}\n"),
            })
            .collect()
    }
}

/// A valid shell variable name (`[A-Za-z_][A-Za-z0-9_]*`).
pub fn is_name(s: &str) -> bool {
    let mut b = s.bytes();
    matches!(b.next(), Some(c) if c.is_ascii_alphabetic() || c == b'_')
        && b.all(|c| c.is_ascii_alphanumeric() || c == b'_')
}

/// What expansion needs from the interpreter.
pub trait Env {
    fn vars(&self) -> &Vars;
    /// Runs `$(cmd)` and returns its standard output (its stderr goes to the terminal).
    fn substitute(&mut self, cmd: &str) -> String;
}

/// Why a word could not be expanded: bash's message (one line, with its newline).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure(pub String);

/// The fields a word expands to, after splitting unquoted expansions on blanks.
struct Fields {
    done: Vec<String>,
    cur: String,
    /// The current field exists even if empty (it had a quoted part).
    live: bool,
}

impl Fields {
    fn new() -> Self {
        Fields {
            done: Vec::new(),
            cur: String::new(),
            live: false,
        }
    }

    fn quoted(&mut self, s: &str) {
        self.cur.push_str(s);
        self.live = true;
    }

    fn literal(&mut self, s: &str) {
        self.cur.push_str(s);
        self.live |= !s.is_empty();
    }

    /// Text from an unquoted expansion: IFS (space, tab, newline) separates fields.
    fn split(&mut self, s: &str) {
        for c in s.chars() {
            if matches!(c, ' ' | '\t' | '\n') {
                if self.live {
                    self.done.push(std::mem::take(&mut self.cur));
                    self.live = false;
                }
            } else {
                self.cur.push(c);
                self.live = true;
            }
        }
    }

    fn finish(mut self) -> Vec<String> {
        if self.live {
            self.done.push(self.cur);
        }
        self.done
    }
}

/// Expands `word` into fields (arguments of a command).
pub fn fields(word: &Word, env: &mut impl Env) -> Result<Vec<String>, Failure> {
    let mut f = Fields::new();
    expand_into(word, env, &mut f, true)?;
    Ok(f.finish())
}

/// Expands `word` without field splitting (assignment values, redirection targets, `case`
/// words): one string.
pub fn string(word: &Word, env: &mut impl Env) -> Result<String, Failure> {
    let mut f = Fields::new();
    expand_into(word, env, &mut f, false)?;
    Ok(f.done
        .into_iter()
        .chain(std::iter::once(f.cur))
        .collect::<Vec<_>>()
        .join(" "))
}

/// Expands the parts of an unquoted here-document body (bash treats it like double-quoted
/// text: parameters and command substitutions expand, nothing splits).
pub fn parts_string(parts: &[Part], env: &mut impl Env) -> Result<String, Failure> {
    string(&Word { parts: parts.to_vec() }, env)
}

fn expand_into(word: &Word, env: &mut impl Env, f: &mut Fields, split: bool) -> Result<(), Failure> {
    for (i, part) in word.parts.iter().enumerate() {
        match part {
            Part::Bare(s) => {
                // Tilde expansion: `~` or `~/…` at the start of the word.
                let s = match s.strip_prefix('~') {
                    Some(rest) if i == 0 && (rest.is_empty() || rest.starts_with('/')) => {
                        f.quoted(env.vars().get("HOME").unwrap_or("~"));
                        rest
                    }
                    _ => s.as_str(),
                };
                params(s, env, f, split)?;
            }
            Part::Literal(s) => f.quoted(s),
            Part::Double(s) => {
                f.live = true;
                params(s, env, f, false)?;
            }
            Part::Subst { cmd, quoted } => {
                let out = env.substitute(cmd);
                let out = out.trim_end_matches('\n');
                if *quoted || !split {
                    f.quoted(out);
                } else {
                    f.split(out);
                }
            }
            Part::Arith { expr, .. } => {
                return Err(Failure(format!(
                    "kubelab: $(({expr})): arithmetic expansion is not simulated in this console\n"
                )));
            }
        }
    }
    Ok(())
}

/// Expands `$…` in the text of one bare or double-quoted part. Expansion results are split
/// when `split` (an unquoted part); the text around them is kept as it is.
fn params(s: &str, env: &mut impl Env, f: &mut Fields, split: bool) -> Result<(), Failure> {
    let cs: Vec<char> = s.chars().collect();
    let mut i = 0;
    let mut lit = String::new();
    let emit = |f: &mut Fields, v: &str| {
        if split {
            f.split(v);
        } else {
            f.quoted(v);
        }
    };
    while i < cs.len() {
        if cs[i] != '$' || i + 1 == cs.len() {
            lit.push(cs[i]);
            i += 1;
            continue;
        }
        let next = cs[i + 1];
        let value: String;
        if next == '{' {
            let Some(len) = cs[i + 2..].iter().position(|&c| c == '}') else {
                lit.push('$');
                i += 1;
                continue;
            };
            let inner: String = cs[i + 2..i + 2 + len].iter().collect();
            value = braced(&inner, env.vars())?;
            i += len + 3;
        } else if next.is_ascii_alphabetic() || next == '_' {
            let mut j = i + 1;
            while j < cs.len() && (cs[j].is_ascii_alphanumeric() || cs[j] == '_') {
                j += 1;
            }
            let name: String = cs[i + 1..j].iter().collect();
            value = env.vars().get(&name).unwrap_or_default().to_string();
            i = j;
        } else if let Some(v) = special(next, env.vars()) {
            value = v;
            i += 2;
        } else {
            lit.push('$');
            i += 1;
            continue;
        }
        f.literal(&std::mem::take(&mut lit));
        emit(f, &value);
    }
    f.literal(&lit);
    Ok(())
}

/// `$?`, `$#`, `$0`, `$1`…, `$@`, `$*`, `$$`, `$-`: the console is an interactive bash with
/// no positional parameters.
fn special(c: char, vars: &Vars) -> Option<String> {
    Some(match c {
        '?' => vars.status.to_string(),
        '#' => "0".into(),
        '0' => "bash".into(),
        '1'..='9' | '@' | '*' => String::new(),
        '$' => "1".into(),
        '-' => "himBHs".into(),
        _ => return None,
    })
}

/// `${…}`: `NAME`, `#NAME`, `NAME:-w`, `NAME-w`, `NAME:+w`, `NAME+w`, `NAME:=w` is not
/// modelled (it assigns), nor the pattern forms.
fn braced(inner: &str, vars: &Vars) -> Result<String, Failure> {
    let bad = || Failure(format!("bash: ${{{inner}}}: bad substitution\n"));
    if let Some(name) = inner.strip_prefix('#') {
        if is_name(name) {
            return Ok(vars.get(name).unwrap_or_default().chars().count().to_string());
        }
        return Err(bad());
    }
    let mut chars = inner.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        if let Some(v) = special(c, vars) {
            return Ok(v);
        }
    }
    let end = inner
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(inner.len());
    let (name, op) = inner.split_at(end);
    let positional = name.len() == 1 && name.as_bytes()[0].is_ascii_digit();
    if !(is_name(name) || positional) {
        return Err(bad());
    }
    let value = vars.get(name);
    let (colon, rest) = match op.strip_prefix(':') {
        Some(r) => (true, r),
        None => (false, op),
    };
    let unset_or_null = value.is_none() || (colon && value == Some(""));
    let not_simulated = || {
        Failure(format!(
            "kubelab: ${{{inner}}}: this form of parameter expansion is not simulated in this console\n"
        ))
    };
    match rest.chars().next() {
        None if !colon => Ok(value.unwrap_or_default().to_string()),
        Some('-') => Ok(if unset_or_null {
            rest[1..].to_string()
        } else {
            value.unwrap_or_default().to_string()
        }),
        Some('+') => Ok(if unset_or_null {
            String::new()
        } else {
            rest[1..].to_string()
        }),
        Some('=' | '?' | '#' | '%' | '/' | '^' | ',') => Err(not_simulated()),
        Some(c) if colon && (c.is_ascii_digit() || c == ' ') => Err(not_simulated()),
        _ => Err(bad()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct E(Vars);
    impl Env for E {
        fn vars(&self) -> &Vars {
            &self.0
        }
        fn substitute(&mut self, cmd: &str) -> String {
            format!("<{cmd}>\n\n")
        }
    }

    fn w(parts: Vec<Part>) -> Word {
        Word { parts }
    }

    #[test]
    fn parameters_split_only_when_unquoted() {
        let mut e = E(Vars::default());
        e.0.set("X", " a  b ");
        e.0.set("E", "");
        assert_eq!(fields(&w(vec![Part::Bare("$X".into())]), &mut e).unwrap(), ["a", "b"]);
        assert_eq!(fields(&w(vec![Part::Double("$X".into())]), &mut e).unwrap(), [" a  b "]);
        assert_eq!(
            fields(&w(vec![Part::Bare("p${X}q".into())]), &mut e).unwrap(),
            ["p", "a", "b", "q"]
        );
        assert!(fields(&w(vec![Part::Bare("$E".into())]), &mut e).unwrap().is_empty());
        assert_eq!(fields(&w(vec![Part::Double("$E".into())]), &mut e).unwrap(), [""]);
        assert_eq!(fields(&w(vec![Part::Bare("$".into())]), &mut e).unwrap(), ["$"]);
        assert_eq!(fields(&w(vec![Part::Bare("a$?".into())]), &mut e).unwrap(), ["a0"]);
        assert_eq!(
            fields(&w(vec![Part::Bare("${NOPE:-d}${#X}".into())]), &mut e).unwrap(),
            ["d6"]
        );
        assert_eq!(fields(&w(vec![Part::Bare("~/x".into())]), &mut e).unwrap(), ["/root/x"]);
        assert_eq!(fields(&w(vec![Part::Bare("a~".into())]), &mut e).unwrap(), ["a~"]);
    }

    #[test]
    fn substitution_strips_trailing_newlines() {
        let mut e = E(Vars::default());
        let sub = |quoted| Part::Subst {
            cmd: "x y".into(),
            quoted,
        };
        assert_eq!(fields(&w(vec![sub(false)]), &mut e).unwrap(), ["<x", "y>"]);
        assert_eq!(fields(&w(vec![sub(true)]), &mut e).unwrap(), ["<x y>"]);
        assert_eq!(string(&w(vec![sub(false)]), &mut e).unwrap(), "<x y>");
    }

    #[test]
    fn unsupported_and_bad_forms_fail() {
        let mut e = E(Vars::default());
        let err = |s: &str, e: &mut E| fields(&w(vec![Part::Bare(s.into())]), e).unwrap_err().0;
        assert_eq!(err("${}", &mut e), "bash: ${}: bad substitution\n");
        assert_eq!(err("${a b}", &mut e), "bash: ${a b}: bad substitution\n");
        assert!(err("${X/a/b}", &mut e).contains("not simulated"));
        assert!(fields(
            &w(vec![Part::Arith {
                expr: "1+1".into(),
                quoted: false
            }]),
            &mut e
        )
        .unwrap_err()
        .0
        .contains("arithmetic"));
    }
}
