//! The shell-like interpreter behind golden transcripts, lesson solutions and the web console.
//!
//! Learners type what they would type into bash, so this models the part of bash that
//! kubectl tutorials use, with bash's own rules and messages:
//!
//! * quoting as POSIX `sh` defines it (`'…'` literal; `"…"` where `\` escapes only `$`, the
//!   backquote, `"`, `\` and newline; `\x` outside quotes), `#` comments at the start of a word,
//!   `\`-newline line continuation, and an open quote, `$(`, or a trailing `|`, `&&`, `||`
//!   asking for another line (bash shows its `> ` prompt there);
//! * lists and pipelines: `;`, `&&`, `||`, `|`, `|&` (a trailing `&` runs in the foreground, the
//!   simulator has no job control), and `for NAME in WORDS; do LIST; done` over any number of
//!   lines;
//! * variables: `NAME=value`, `export NAME[=value]`, `unset NAME`, and expansion (see
//!   [`expand`]): `$NAME`, `${NAME}`, `${NAME:-default}`, `$?`, `$(…)` and backquotes, field
//!   splitting of unquoted results, `~`;
//! * redirections: `>`, `>>`, `>|`, `<`, `&>`, `&>>`, `2>&1`, `2>/dev/null`, here-documents
//!   (`<<EOF`, `<<'EOF'`, `<<"EOF"`, `<<\EOF`, `<<-EOF` which strips leading tabs; the body of an
//!   unquoted one is expanded like double-quoted text, as bash does) and here-strings (`<<<`).
//!   As in bash, here-document bodies start on the line after the one holding the `<<`
//!   operator, even if the command itself continues (`cat <<EOF |`);
//! * builtins `cat`, `echo`, `sleep` (GNU coreutils syntax: fractional numbers, `s`/`m`/`h`/`d`
//!   suffixes, several operands add up), `export`, `unset`, `true`, `false` and `:`; `kubectl`
//!   and its alias `k` go to [`Host::kubectl`]; everything else to [`Host::other`].
//!
//! Valid bash the console does not simulate (`if`, `while`, `case`, functions, subshells,
//! `$((…))`, globbing) fails with a message that says so and exit status 2, never silently.
//!
//! A program can take over the terminal: after `kubectl exec -it POD -- sh` the lines typed go
//! to the container's shell ([`Host::foreground_prompt`], [`Host::foreground_input`]) until it
//! exits, and the prompt is the shell's (`/ # `).
//!
//! Messages follow interactive bash 5.2 (``bash: syntax error near unexpected token `|'``,
//! exit status 2) because the console *is* an interactive shell; the end-of-script diagnostics
//! (``bash: warning: here-document at line N delimited by end-of-file (wanted `EOF')``) use the
//! same prefix with the script's line numbers.
//!
//! A watch (`kubectl get -w`) stays open on the host until the next command: before every
//! pipeline that is not a `sleep`, the interpreter calls [`Host::interrupt`], like a user pressing
//! Ctrl-C before typing the next command.

pub mod expand;

use crate::output::{Output, Stream};
pub use expand::Vars;

/// What the interpreter drives; `Session` implements it.
pub trait Host {
    /// One kubectl invocation. `argv[0]` is "kubectl" (the alias "k" is normalised to "kubectl"
    /// before the call). stdin is the heredoc/pipe body, if any; `None` means kubectl's input
    /// is the terminal (so `-it` gets a TTY and a shell can read the lines typed next).
    fn kubectl(&mut self, argv: &[String], stdin: Option<&str>) -> Output;
    /// `sleep N` (N may be fractional, e.g. 0.5): advance virtual time; returns what an open
    /// stream (a `kubectl get -w` watch) printed meanwhile.
    fn sleep(&mut self, millis: u64) -> Output;
    /// Ctrl-C: closes an open stream (a watch) before the next command runs. Returns anything it
    /// prints (usually nothing).
    fn interrupt(&mut self) -> Output;
    fn write_file(&mut self, path: &str, content: &str);
    fn read_file(&self, path: &str) -> Option<String>;
    /// Any other command (`sim …`, `curl`, …). `argv[0]` is the command name.
    fn other(&mut self, argv: &[String], stdin: Option<&str>) -> Output;
    /// The prompt of a program that owns the terminal and reads the lines typed (the shell of
    /// `kubectl exec -it POD -- sh`), or `None` when bash reads them.
    fn foreground_prompt(&self) -> Option<String> {
        None
    }
    /// One line typed to the foreground program, or `None` for the end of input (Ctrl-D).
    /// Returns what it printed; when it exits, what follows it (kubectl's `command terminated
    /// with exit code N`, `pod "x" deleted`).
    fn foreground_input(&mut self, line: Option<&str>) -> Output {
        let _ = line;
        Output::ok()
    }
}

/// The result of feeding one line to the [`Interpreter`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Feed {
    /// The command is not complete yet (inside a here-document, an open quote, a `for` loop,
    /// or after a trailing `\`, `|`, `&&` or `||`): the console shows bash's `> ` prompt.
    NeedMore,
    /// The command ran (or the line was blank or a comment); this is everything it printed.
    Done(Output),
}

/// Runs a whole script and returns its transcript: each command line echoed after the prompt
/// it was typed at (`$ `; `> ` for continuation and here-document lines; a container shell's
/// own prompt, like `/ # `, while one is open), each followed by what the command printed,
/// stdout and stderr interleaved in the order written. Blank lines and comment lines between
/// commands are not echoed. After the last line the interpreter flushes an unterminated
/// construct the way bash does at end of file, then calls [`Host::interrupt`] once more so an
/// open watch is closed and its tail recorded.
pub fn run_script(host: &mut impl Host, script: &str) -> String {
    let mut lines = script.lines();
    run_lines(host, |_, _| lines.next().map(str::to_string))
}

/// [`run_script`] with the lines supplied one at a time by `next`, which is given the prompt
/// the line will be typed at and the transcript so far (a golden transcript's replay reads the
/// next command after that prompt: `$ `, `> ` or a container shell's `/ # `).
pub fn run_lines<H: Host>(host: &mut H, mut next: impl FnMut(&str, &str) -> Option<String>) -> String {
    let mut interp = Interpreter::default();
    let mut transcript = String::new();
    loop {
        let prompt = interp.prompt(host);
        let Some(line) = next(&prompt, &transcript) else {
            break;
        };
        let line = line.as_str();
        let idle = interp.is_idle();
        // Fed anyway so line numbers (bash's "here-document at line N") count every line.
        let (before, feed) = interp.feed_line(host, line);
        if idle && is_blank_or_comment(line) {
            continue;
        }
        transcript.push_str(&before.text());
        transcript.push_str(&prompt);
        transcript.push_str(line);
        transcript.push('\n');
        if let Feed::Done(out) = feed {
            transcript.push_str(&out.text());
        }
    }
    transcript.push_str(&interp.finish(host).text());
    if interp.is_idle() && host.foreground_prompt().is_some() {
        // The script ends inside a container's shell: its input ends (Ctrl-D), as when a
        // terminal closes, so the next script does not type into it.
        transcript.push_str(&interp.prompt(host));
        transcript.push_str(&interp.end_of_input(host).text());
    }
    transcript.push_str(&host.interrupt().text());
    transcript
}

/// The incremental interpreter: feed it one line at a time (the web console does, as the learner
/// presses Enter). It remembers a half-typed command between calls ([`Interpreter::cancel`]
/// forgets it: the console's Ctrl-C) and the shell's variables.
#[derive(Clone, Debug, Default)]
pub struct Interpreter {
    /// Physical lines fed so far (bash's "here-document at line N").
    line_no: usize,
    pending: Option<Pending>,
    /// Output produced when the pending command began (a watch closed by [`Host::interrupt`]),
    /// handed out with the command's own output by [`Interpreter::feed`].
    stash: Output,
    vars: Vars,
}

/// A command being typed.
#[derive(Clone, Debug, Default)]
struct Pending {
    /// The command's own lines (not here-document bodies), joined with `\n`.
    text: String,
    heredocs: Vec<HereDoc>,
    /// Index of the first here-document whose body is still being read.
    reading: usize,
    /// The host was interrupted when the command began, so the first pipeline must not do it
    /// again.
    interrupted: bool,
}

#[derive(Clone, Debug)]
struct HereDoc {
    delim: String,
    strip_tabs: bool,
    /// The delimiter was not quoted: the body is expanded.
    expand: bool,
    body: String,
    /// Line holding the `<<` operator.
    line: usize,
}

/// A here-document's body as a command reads it.
#[derive(Clone, Debug)]
struct Body {
    text: String,
    expand: bool,
}

fn bodies_of(heredocs: Vec<HereDoc>) -> Vec<Body> {
    heredocs
        .into_iter()
        .map(|h| Body {
            text: h.body,
            expand: h.expand,
        })
        .collect()
}

impl Interpreter {
    pub fn new() -> Self {
        Self::default()
    }

    /// True when no command is half-typed (the console shows `$ `, not `> `).
    pub fn is_idle(&self) -> bool {
        self.pending.is_none()
    }

    /// The prompt for the next line: `> ` inside a command, the foreground program's prompt
    /// while one owns the terminal, else bash's `$ `.
    pub fn prompt(&self, host: &impl Host) -> String {
        if self.pending.is_some() {
            return "> ".to_string();
        }
        host.foreground_prompt().unwrap_or_else(|| "$ ".to_string())
    }

    /// Ctrl-C at the prompt: forgets the half-typed command (variables stay).
    pub fn cancel(&mut self) {
        self.pending = None;
        self.stash = Output::ok();
    }

    /// Ctrl-D on an empty line: the end of input for the foreground program (a container shell
    /// exits). At bash's own prompt the console ignores it, as `set -o ignoreeof` does.
    pub fn end_of_input(&mut self, host: &mut impl Host) -> Output {
        if self.pending.is_none() && host.foreground_prompt().is_some() {
            let out = host.foreground_input(None);
            if host.foreground_prompt().is_none() {
                self.vars.status = out.exit_code;
            }
            out
        } else {
            Output::ok()
        }
    }

    /// The shell's variables (`$NAME`).
    pub fn vars(&self) -> &Vars {
        &self.vars
    }

    /// Physical lines fed so far.
    pub fn line_number(&self) -> usize {
        self.line_no
    }

    /// Feeds one line (without its newline). A string holding several lines is fed line by line;
    /// the outputs of the commands it completes are concatenated.
    pub fn feed(&mut self, host: &mut impl Host, line: &str) -> Feed {
        let mut acc = Output::ok();
        let mut any_done = false;
        for piece in line.split('\n') {
            let (before, feed) = self.feed_line(host, piece);
            append(&mut self.stash, before);
            if let Feed::Done(out) = feed {
                let stash = std::mem::take(&mut self.stash);
                append(&mut acc, stash);
                append(&mut acc, out.clone());
                acc.exit_code = out.exit_code;
                any_done = true;
            }
        }
        if self.is_idle() {
            Feed::Done(acc)
        } else {
            if any_done {
                // Keep what already ran for the next `Done`, in front of what comes later.
                let later = std::mem::take(&mut self.stash);
                self.stash = acc;
                append(&mut self.stash, later);
            }
            Feed::NeedMore
        }
    }

    /// End of input: what bash does when the script ends inside a construct. An unterminated
    /// here-document is warned about and the command runs with the body it has; an open quote
    /// or a dangling `|`/`&&`/`||` is a syntax error (exit 2) and nothing runs; a trailing `\`
    /// is dropped. Does not call [`Host::interrupt`] at the end ([`run_script`] does).
    pub fn finish(&mut self, host: &mut impl Host) -> Output {
        let mut out = std::mem::take(&mut self.stash);
        let Some(mut p) = self.pending.take() else {
            return out;
        };
        for hd in &p.heredocs[p.reading.min(p.heredocs.len())..] {
            out.err(format!(
                "bash: warning: here-document at line {} delimited by end-of-file (wanted `{}')\n",
                hd.line, hd.delim
            ));
        }
        p.reading = p.heredocs.len();
        let (mut toks, mut end) = lex(&p.text);
        if end == LexEnd::Backslash {
            p.text.pop();
            (toks, end) = lex(&p.text);
        }
        if let LexEnd::Quote(q) = end {
            out.err(format!("bash: unexpected EOF while looking for matching `{q}'\n"));
            out.exit_code = 2;
            return out;
        }
        match parse(&toks) {
            Parsed::Incomplete => {
                out.err("bash: syntax error: unexpected end of file\n");
                out.exit_code = 2;
            }
            Parsed::Error(tok) => syntax_error(&mut out, &tok),
            Parsed::Unsupported(what) => unsupported(&mut out, &what),
            Parsed::Ok(list) => {
                let bodies = bodies_of(p.heredocs);
                let status = self.run_list(host, &list, &bodies, p.interrupted, &mut out);
                out.exit_code = status;
            }
        }
        out
    }

    /// One physical line. Returns what the host printed when the line *began* a command (the
    /// interrupt of an open watch: a transcript shows it before the echoed `$ ` line) and the
    /// result of the line.
    fn feed_line(&mut self, host: &mut impl Host, line: &str) -> (Output, Feed) {
        self.line_no += 1;
        let mut before = Output::ok();
        if self.pending.is_none() && host.foreground_prompt().is_some() {
            // A program owns the terminal: the line is its input, not bash's.
            if line.trim().is_empty() {
                return (before, Feed::Done(Output::ok()));
            }
            let out = host.foreground_input(Some(line));
            if host.foreground_prompt().is_none() {
                // The program exited: its status is the command's (`$?`).
                self.vars.status = out.exit_code;
            }
            return (before, Feed::Done(out));
        }
        if self.pending.is_none() {
            if is_blank_or_comment(line) {
                return (before, Feed::Done(Output::ok()));
            }
            let interrupted = !starts_with_sleep(line);
            if interrupted {
                append(&mut before, host.interrupt());
            }
            self.pending = Some(Pending {
                interrupted,
                ..Pending::default()
            });
        }
        let Some(p) = self.pending.as_mut() else {
            return (before, Feed::Done(Output::ok()));
        };

        if p.reading < p.heredocs.len() {
            let hd = &mut p.heredocs[p.reading];
            let content = if hd.strip_tabs {
                line.trim_start_matches('\t')
            } else {
                line
            };
            if content == hd.delim {
                p.reading += 1;
            } else {
                hd.body.push_str(content);
                hd.body.push('\n');
            }
            if p.reading < p.heredocs.len() {
                return (before, Feed::NeedMore);
            }
            // All bodies read: the command may still be waiting for its own next line.
            let (toks, end) = lex(&p.text);
            if end != LexEnd::Complete {
                return (before, Feed::NeedMore);
            }
            return (before, self.complete(host, &toks));
        }

        if !p.text.is_empty() {
            p.text.push('\n');
        }
        p.text.push_str(line);
        let (toks, end) = lex(&p.text);
        if end != LexEnd::Complete {
            return (before, Feed::NeedMore);
        }
        // Syntax errors are reported at the end of the line that holds them, before any
        // here-document body is read (bash's parser works token by token).
        match parse(&toks) {
            Parsed::Error(tok) => {
                self.pending = None;
                let mut out = Output::ok();
                syntax_error(&mut out, &tok);
                return (before, Feed::Done(out));
            }
            Parsed::Unsupported(what) => {
                self.pending = None;
                let mut out = Output::ok();
                unsupported(&mut out, &what);
                return (before, Feed::Done(out));
            }
            _ => {}
        }
        let line_no = self.line_no;
        let Some(p) = self.pending.as_mut() else {
            return (before, Feed::Done(Output::ok()));
        };
        let known = p.heredocs.len();
        for (strip_tabs, word) in heredoc_words(&toks).into_iter().skip(known) {
            p.heredocs.push(HereDoc {
                delim: word.text(),
                strip_tabs,
                expand: word.parts.iter().all(|p| matches!(p, Part::Bare(_))),
                body: String::new(),
                line: line_no,
            });
        }
        if p.reading < p.heredocs.len() {
            return (before, Feed::NeedMore);
        }
        (before, self.complete(host, &toks))
    }

    /// The command text lexes completely and every here-document is read: run it, unless it
    /// ends with an operator that wants another line.
    fn complete(&mut self, host: &mut impl Host, toks: &[Tok]) -> Feed {
        match parse(toks) {
            Parsed::Incomplete => Feed::NeedMore,
            Parsed::Error(tok) => {
                self.pending = None;
                let mut out = Output::ok();
                syntax_error(&mut out, &tok);
                Feed::Done(out)
            }
            Parsed::Unsupported(what) => {
                self.pending = None;
                let mut out = Output::ok();
                unsupported(&mut out, &what);
                Feed::Done(out)
            }
            Parsed::Ok(list) => {
                let p = self.pending.take().unwrap_or_default();
                let bodies = bodies_of(p.heredocs);
                let mut out = Output::ok();
                let status = self.run_list(host, &list, &bodies, p.interrupted, &mut out);
                out.exit_code = status;
                Feed::Done(out)
            }
        }
    }

    fn run_list(
        &mut self,
        host: &mut impl Host,
        list: &[(Conn, Pipeline)],
        bodies: &[Body],
        already_interrupted: bool,
        out: &mut Output,
    ) -> i32 {
        let mut ex = Exec {
            host,
            vars: &mut self.vars,
            bodies,
            side: Output::ok(),
            subst_status: None,
        };
        ex.list(list, already_interrupted, out)
    }
}

/// Blank or a comment: skipped between commands (not echoed, nothing runs).
fn is_blank_or_comment(line: &str) -> bool {
    let t = line.trim_start_matches([' ', '\t']);
    t.is_empty() || t.starts_with('#')
}

/// Whether a command's first line starts with `sleep`: the only command that leaves an open
/// watch running (it is how a transcript lets time pass while a watch prints).
fn starts_with_sleep(line: &str) -> bool {
    matches!(lex(line).0.first(), Some(Tok::Word(w)) if w.text() == "sleep")
}

fn syntax_error(out: &mut Output, tok: &str) {
    out.err(format!("bash: syntax error near unexpected token `{tok}'\n"));
    out.exit_code = 2;
}

/// Valid bash that the console does not run: said plainly, with bash's syntax-error status.
fn unsupported(out: &mut Output, what: &str) {
    out.err(format!(
        "kubelab: `{what}' is bash syntax this console does not simulate (it runs commands, pipelines, ;, &&, ||, variables, $(…) and for loops)\n"
    ));
    out.exit_code = 2;
}

/// Copies `src`'s chunks onto `dst` (not its exit code).
fn append(dst: &mut Output, src: Output) {
    for (stream, text) in src.chunks {
        match stream {
            Stream::Stdout => dst.out(text),
            Stream::Stderr => dst.err(text),
        };
    }
}

// ---------------------------------------------------------------------------------------------
// Lexer
// ---------------------------------------------------------------------------------------------

/// A piece of a word, remembering how it was quoted: expansion applies to `Bare` and `Double`
/// text (split into fields only when bare), never to `Literal`; a here-document delimiter with
/// any quoted part disables expansion of its body, as in bash.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Part {
    /// Unquoted text (`$NAME` and `${…}` in it expand).
    Bare(String),
    /// `'…'` or a backslash-escaped character.
    Literal(String),
    /// `"…"`, escapes already removed (`$NAME` and `${…}` in it expand).
    Double(String),
    /// `$(…)` or `` `…` ``: the command text, and whether it was inside double quotes.
    Subst { cmd: String, quoted: bool },
    /// `$((…))`, which the console does not evaluate.
    Arith { expr: String, quoted: bool },
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Word {
    parts: Vec<Part>,
}

impl Word {
    /// The word after quote removal, without expansion (here-document delimiters, messages).
    fn text(&self) -> String {
        self.parts
            .iter()
            .map(|p| match p {
                Part::Bare(s) | Part::Literal(s) | Part::Double(s) => s.clone(),
                Part::Subst { cmd, .. } => format!("$({cmd})"),
                Part::Arith { expr, .. } => format!("$(({expr}))"),
            })
            .collect()
    }

    fn bare(&mut self, c: char) {
        self.bare_str(&c.to_string());
    }

    fn bare_str(&mut self, s: &str) {
        if let Some(Part::Bare(b)) = self.parts.last_mut() {
            b.push_str(s);
        } else {
            self.parts.push(Part::Bare(s.to_string()));
        }
    }

    /// An unquoted run of ASCII digits: the file descriptor of `2>&1`.
    fn io_number(&self) -> Option<u32> {
        match self.parts.as_slice() {
            [Part::Bare(s)] if !s.is_empty() && s.len() <= 9 && s.bytes().all(|b| b.is_ascii_digit()) => s.parse().ok(),
            _ => None,
        }
    }

    /// The word is exactly this unquoted text (reserved words are recognised only unquoted).
    fn is_bare(&self, text: &str) -> bool {
        matches!(self.parts.as_slice(), [Part::Bare(s)] if s == text)
    }

    /// `NAME=value` with an unquoted, valid NAME: the name and the value's parts.
    fn assignment(&self) -> Option<(String, Word)> {
        let Some(Part::Bare(first)) = self.parts.first() else {
            return None;
        };
        let (name, rest) = first.split_once('=')?;
        if !expand::is_name(name) {
            return None;
        }
        let mut parts = Vec::new();
        if !rest.is_empty() {
            parts.push(Part::Bare(rest.to_string()));
        }
        parts.extend(self.parts[1..].iter().cloned());
        Some((name.to_string(), Word { parts }))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    Pipe,
    PipeAll,
    And,
    Or,
    Semi,
    DSemi,
    Amp,
    LParen,
    RParen,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum RedirOp {
    /// `>`
    Out,
    /// `>|`
    Clobber,
    /// `>>`
    Append,
    /// `<`
    In,
    /// `<<` / `<<-`
    HereDoc { strip_tabs: bool },
    /// `<<<`
    HereString,
    /// `>&`
    DupOut,
    /// `<&`
    DupIn,
    /// `&>`
    OutErr,
    /// `&>>`
    AppendOutErr,
    /// `<>`
    ReadWrite,
}

impl RedirOp {
    fn as_str(self) -> &'static str {
        match self {
            RedirOp::Out => ">",
            RedirOp::Clobber => ">|",
            RedirOp::Append => ">>",
            RedirOp::In => "<",
            RedirOp::HereDoc { strip_tabs: false } => "<<",
            RedirOp::HereDoc { strip_tabs: true } => "<<-",
            RedirOp::HereString => "<<<",
            RedirOp::DupOut => ">&",
            RedirOp::DupIn => "<&",
            RedirOp::OutErr => "&>",
            RedirOp::AppendOutErr => "&>>",
            RedirOp::ReadWrite => "<>",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Tok {
    Word(Word),
    Op(Op),
    Redir(Option<u32>, RedirOp),
    Newline,
}

impl Tok {
    /// How bash names the token in "syntax error near unexpected token".
    fn describe(&self) -> String {
        match self {
            Tok::Word(w) => w.text(),
            Tok::Newline => "newline".to_string(),
            Tok::Redir(_, op) => op.as_str().to_string(),
            Tok::Op(op) => match op {
                Op::Pipe => "|",
                Op::PipeAll => "|&",
                Op::And => "&&",
                Op::Or => "||",
                Op::Semi => ";",
                Op::DSemi => ";;",
                Op::Amp => "&",
                Op::LParen => "(",
                Op::RParen => ")",
            }
            .to_string(),
        }
    }
}

/// How the lexer stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum LexEnd {
    Complete,
    /// Inside `'…'` or `"…"`: bash keeps reading lines (the newline becomes part of the word).
    Quote(char),
    /// The text ends with an unescaped `\`: line continuation.
    Backslash,
}

/// Splits shell text into tokens per the POSIX "Token Recognition" rules, with quote removal.
/// `$(…)`, `${…}` and backquotes are read whole (their insides are not operators).
fn lex(src: &str) -> (Vec<Tok>, LexEnd) {
    let cs: Vec<char> = src.chars().collect();
    let n = cs.len();
    let mut toks = Vec::new();
    let mut cur: Option<Word> = None;
    let mut i = 0;
    while i < n {
        let c = cs[i];
        match c {
            ' ' | '\t' => {
                flush(&mut toks, &mut cur);
                i += 1;
            }
            '\n' => {
                flush(&mut toks, &mut cur);
                toks.push(Tok::Newline);
                i += 1;
            }
            '\\' => {
                if i + 1 == n {
                    flush(&mut toks, &mut cur);
                    return (toks, LexEnd::Backslash);
                }
                if cs[i + 1] != '\n' {
                    cur.get_or_insert_with(Word::default)
                        .parts
                        .push(Part::Literal(cs[i + 1].to_string()));
                }
                i += 2;
            }
            '\'' => {
                let Some(len) = cs[i + 1..].iter().position(|&c| c == '\'') else {
                    flush(&mut toks, &mut cur);
                    return (toks, LexEnd::Quote('\''));
                };
                let s: String = cs[i + 1..i + 1 + len].iter().collect();
                cur.get_or_insert_with(Word::default).parts.push(Part::Literal(s));
                i += len + 2;
            }
            '"' => match scan_text(&cs, i + 1, Quoting::Double) {
                Scanned::Done(parts, next) => {
                    let w = cur.get_or_insert_with(Word::default);
                    if parts.is_empty() {
                        w.parts.push(Part::Double(String::new()));
                    }
                    w.parts.extend(parts);
                    i = next;
                }
                Scanned::Open(q) => {
                    flush(&mut toks, &mut cur);
                    return (toks, LexEnd::Quote(q));
                }
            },
            '$' | '`' if expansion_len(&cs, i).is_some() || c == '`' => match expansion(&cs, i, false) {
                Some((part, next)) => {
                    let w = cur.get_or_insert_with(Word::default);
                    match part {
                        Part::Bare(t) => w.bare_str(&t),
                        other => w.parts.push(other),
                    }
                    i = next;
                }
                None => {
                    flush(&mut toks, &mut cur);
                    return (toks, LexEnd::Quote(closer(&cs, i)));
                }
            },
            '#' if cur.is_none() => {
                while i < n && cs[i] != '\n' {
                    i += 1;
                }
            }
            '|' | '&' | ';' | '<' | '>' | '(' | ')' => {
                let mut fd = None;
                if matches!(c, '<' | '>') {
                    if let Some(num) = cur.as_ref().and_then(Word::io_number) {
                        fd = Some(num);
                        cur = None;
                    }
                }
                flush(&mut toks, &mut cur);
                let next = |k: usize| cs.get(i + k).copied();
                let (tok, len) = match (c, next(1), next(2)) {
                    ('|', Some('|'), _) => (Tok::Op(Op::Or), 2),
                    ('|', Some('&'), _) => (Tok::Op(Op::PipeAll), 2),
                    ('|', _, _) => (Tok::Op(Op::Pipe), 1),
                    ('&', Some('&'), _) => (Tok::Op(Op::And), 2),
                    ('&', Some('>'), Some('>')) => (Tok::Redir(None, RedirOp::AppendOutErr), 3),
                    ('&', Some('>'), _) => (Tok::Redir(None, RedirOp::OutErr), 2),
                    ('&', _, _) => (Tok::Op(Op::Amp), 1),
                    (';', Some(';'), _) => (Tok::Op(Op::DSemi), 2),
                    (';', _, _) => (Tok::Op(Op::Semi), 1),
                    ('(', _, _) => (Tok::Op(Op::LParen), 1),
                    (')', _, _) => (Tok::Op(Op::RParen), 1),
                    ('<', Some('<'), Some('<')) => (Tok::Redir(fd, RedirOp::HereString), 3),
                    ('<', Some('<'), Some('-')) => (Tok::Redir(fd, RedirOp::HereDoc { strip_tabs: true }), 3),
                    ('<', Some('<'), _) => (Tok::Redir(fd, RedirOp::HereDoc { strip_tabs: false }), 2),
                    ('<', Some('&'), _) => (Tok::Redir(fd, RedirOp::DupIn), 2),
                    ('<', Some('>'), _) => (Tok::Redir(fd, RedirOp::ReadWrite), 2),
                    ('<', _, _) => (Tok::Redir(fd, RedirOp::In), 1),
                    ('>', Some('>'), _) => (Tok::Redir(fd, RedirOp::Append), 2),
                    ('>', Some('&'), _) => (Tok::Redir(fd, RedirOp::DupOut), 2),
                    ('>', Some('|'), _) => (Tok::Redir(fd, RedirOp::Clobber), 2),
                    (_, _, _) => (Tok::Redir(fd, RedirOp::Out), 1),
                };
                toks.push(tok);
                i += len;
            }
            _ => {
                cur.get_or_insert_with(Word::default).bare(c);
                i += 1;
            }
        }
    }
    flush(&mut toks, &mut cur);
    (toks, LexEnd::Complete)
}

/// Where a run of expandable text is: inside `"…"` (a `"` ends it and `\"` is an escape) or a
/// here-document body (it runs to the end and `"` is an ordinary character).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Quoting {
    Double,
    HereDoc,
}

enum Scanned {
    /// The parts and the index just past the closing quote.
    Done(Vec<Part>, usize),
    /// The text ended inside this construct (its closing character).
    Open(char),
}

/// Reads double-quoted text (or a here-document body) from `i`: escapes resolved, `$(…)` and
/// backquotes as substitutions, `$NAME`/`${…}` left in the text for expansion.
fn scan_text(cs: &[char], mut i: usize, q: Quoting) -> Scanned {
    let mut parts: Vec<Part> = Vec::new();
    let mut text = String::new();
    let flush_text = |parts: &mut Vec<Part>, text: &mut String| {
        if !text.is_empty() {
            parts.push(Part::Double(std::mem::take(text)));
        }
    };
    while i < cs.len() {
        match cs[i] {
            '"' if q == Quoting::Double => {
                flush_text(&mut parts, &mut text);
                return Scanned::Done(parts, i + 1);
            }
            '\\' if i + 1 < cs.len()
                && (matches!(cs[i + 1], '$' | '`' | '\\' | '\n') || (cs[i + 1] == '"' && q == Quoting::Double)) =>
            {
                if cs[i + 1] != '\n' {
                    flush_text(&mut parts, &mut text);
                    parts.push(Part::Literal(cs[i + 1].to_string()));
                }
                i += 2;
            }
            '$' | '`' if expansion_len(cs, i).is_some() || cs[i] == '`' => match expansion(cs, i, true) {
                Some((Part::Bare(t), next)) => {
                    text.push_str(&t);
                    i = next;
                }
                Some((part, next)) => {
                    flush_text(&mut parts, &mut text);
                    parts.push(part);
                    i = next;
                }
                None => return Scanned::Open(closer(cs, i)),
            },
            c => {
                text.push(c);
                i += 1;
            }
        }
    }
    if q == Quoting::Double {
        return Scanned::Open('"');
    }
    flush_text(&mut parts, &mut text);
    Scanned::Done(parts, i)
}

/// A here-document body as parts, for expansion.
fn body_parts(body: &str) -> Vec<Part> {
    let cs: Vec<char> = body.chars().collect();
    match scan_text(&cs, 0, Quoting::HereDoc) {
        Scanned::Done(parts, _) => parts,
        // An unclosed `$(` in a body is kept as text.
        Scanned::Open(_) => vec![Part::Literal(body.to_string())],
    }
}

/// Whether `$` at `i` starts something read as a unit (`$(`, `${`): `Some(())` if so.
fn expansion_len(cs: &[char], i: usize) -> Option<()> {
    (cs.get(i) == Some(&'$') && matches!(cs.get(i + 1), Some('(' | '{'))).then_some(())
}

/// The closing character the construct at `i` waits for (for "unexpected EOF while looking
/// for matching …").
fn closer(cs: &[char], i: usize) -> char {
    match (cs.get(i), cs.get(i + 1)) {
        (Some('`'), _) => '`',
        (_, Some('{')) => '}',
        _ => ')',
    }
}

/// Reads `$(…)`, `$((…))`, `${…}` or `` `…` `` at `i`: the part (a `${…}` stays text, as
/// `Bare`) and the index after it, or `None` when the text ends first.
fn expansion(cs: &[char], i: usize, quoted: bool) -> Option<(Part, usize)> {
    if cs[i] == '`' {
        let mut j = i + 1;
        let mut cmd = String::new();
        while j < cs.len() && cs[j] != '`' {
            if cs[j] == '\\' && matches!(cs.get(j + 1), Some('$' | '`' | '\\')) {
                j += 1;
            }
            cmd.push(cs[j]);
            j += 1;
        }
        if j >= cs.len() {
            return None;
        }
        return Some((Part::Subst { cmd, quoted }, j + 1));
    }
    if cs[i + 1] == '{' {
        let len = cs[i + 2..].iter().position(|&c| c == '}')?;
        let text: String = cs[i..i + 3 + len].iter().collect();
        return Some((Part::Bare(text), i + 3 + len));
    }
    let end = close_paren(cs, i + 2)?;
    let inner: String = cs[i + 2..end - 1].iter().collect();
    if cs.get(i + 2) == Some(&'(') && inner.ends_with(')') {
        let expr = inner[1..inner.len() - 1].to_string();
        return Some((Part::Arith { expr, quoted }, end));
    }
    Some((Part::Subst { cmd: inner, quoted }, end))
}

/// Index just past the `)` that closes a `$(` whose text starts at `j`, skipping quotes,
/// escapes and nested parentheses; `None` when the text ends first.
fn close_paren(cs: &[char], mut j: usize) -> Option<usize> {
    let mut depth = 1;
    while j < cs.len() {
        match cs[j] {
            '\\' => j += 2,
            '\'' => j += cs[j + 1..].iter().position(|&c| c == '\'')? + 2,
            '"' => {
                j += 1;
                while j < cs.len() && cs[j] != '"' {
                    j += if cs[j] == '\\' { 2 } else { 1 };
                }
                j += 1;
            }
            '(' => {
                depth += 1;
                j += 1;
            }
            ')' => {
                depth -= 1;
                j += 1;
                if depth == 0 {
                    return Some(j);
                }
            }
            _ => j += 1,
        }
    }
    None
}

fn flush(toks: &mut Vec<Tok>, cur: &mut Option<Word>) {
    if let Some(w) = cur.take() {
        toks.push(Tok::Word(w));
    }
}

/// The delimiter words of the here-documents in `toks`, in order (bash reads their bodies in
/// that order).
fn heredoc_words(toks: &[Tok]) -> Vec<(bool, Word)> {
    toks.windows(2)
        .filter_map(|w| match w {
            [Tok::Redir(_, RedirOp::HereDoc { strip_tabs }), Tok::Word(word)] => Some((*strip_tabs, word.clone())),
            _ => None,
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Parser
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Conn {
    /// `;`, `&`, newline, or the first pipeline.
    Seq,
    And,
    Or,
}

#[derive(Clone, Debug, Default)]
struct Simple {
    words: Vec<Word>,
    redirs: Vec<Redir>,
}

#[derive(Clone, Debug)]
struct Redir {
    fd: Option<u32>,
    op: RedirOp,
    target: Word,
    /// For here-documents: index of the body.
    heredoc: usize,
}

/// `for VAR [in WORDS]; do BODY; done [redirections]`.
#[derive(Clone, Debug)]
struct ForLoop {
    var: String,
    /// `None` without `in`: the positional parameters (the console has none).
    items: Option<Vec<Word>>,
    body: List,
    redirs: Vec<Redir>,
}

#[derive(Clone, Debug)]
enum Command {
    Simple(Simple),
    For(Box<ForLoop>),
}

#[derive(Clone, Debug, Default)]
struct Pipeline {
    cmds: Vec<Command>,
    /// `|&` after command i: its stderr goes down the pipe too.
    pipe_all: Vec<bool>,
}

type List = Vec<(Conn, Pipeline)>;

enum Parsed {
    Ok(List),
    /// Ends with `|`, `&&` or `||`, or inside `for … done`: bash reads another line.
    Incomplete,
    /// bash's "syntax error near unexpected token `X'".
    Error(String),
    /// Valid bash the console does not run (`if`, `while`, a subshell…).
    Unsupported(String),
}

/// Reserved words (recognised unquoted, where a command starts) that begin a construct the
/// console does not run.
const UNSUPPORTED: &[&str] = &[
    "if", "while", "until", "case", "select", "function", "{", "[[", "!", "coproc", "time",
];
/// Reserved words that cannot start a command.
const MISPLACED: &[&str] = &["then", "else", "elif", "fi", "do", "done", "esac", "}"];

fn parse(toks: &[Tok]) -> Parsed {
    let mut p = Parser {
        toks,
        i: 0,
        heredocs: 0,
    };
    match p.list(None) {
        Ok(list) => Parsed::Ok(list),
        Err(Stop::Incomplete) => Parsed::Incomplete,
        Err(Stop::Error(t)) => Parsed::Error(t),
        Err(Stop::Unsupported(t)) => Parsed::Unsupported(t),
    }
}

enum Stop {
    Incomplete,
    Error(String),
    Unsupported(String),
}

struct Parser<'t> {
    toks: &'t [Tok],
    i: usize,
    /// Here-documents seen so far (their bodies are numbered in order).
    heredocs: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.i)
    }

    fn skip_newlines(&mut self) {
        while matches!(self.peek(), Some(Tok::Newline)) {
            self.i += 1;
        }
    }

    fn at_word(&self, text: &str) -> bool {
        matches!(self.peek(), Some(Tok::Word(w)) if w.is_bare(text))
    }

    fn unexpected(&self) -> Stop {
        match self.peek() {
            None => Stop::Incomplete,
            Some(t) => Stop::Error(t.describe()),
        }
    }

    /// A list of pipelines, up to the end of the input (`until` is `None`) or the reserved
    /// word `until` in command position (left unconsumed).
    fn list(&mut self, until: Option<&str>) -> Result<List, Stop> {
        let mut list = Vec::new();
        let mut conn = Conn::Seq;
        loop {
            if conn == Conn::Seq {
                self.skip_newlines();
                if self.peek().is_none() {
                    return match until {
                        None => Ok(list),
                        Some(_) => Err(Stop::Incomplete),
                    };
                }
                if let Some(word) = until.filter(|w| self.at_word(w)) {
                    if list.is_empty() {
                        return Err(Stop::Error(word.to_string()));
                    }
                    return Ok(list);
                }
            }
            list.push((conn, self.pipeline()?));
            match self.peek() {
                None if until.is_none() => return Ok(list),
                None => return Err(Stop::Incomplete),
                Some(Tok::Newline | Tok::Op(Op::Semi | Op::Amp)) => {
                    conn = Conn::Seq;
                    self.i += 1;
                }
                Some(Tok::Op(op @ (Op::And | Op::Or))) => {
                    conn = if *op == Op::And { Conn::And } else { Conn::Or };
                    self.i += 1;
                    self.skip_newlines();
                }
                Some(tok) => return Err(Stop::Error(tok.describe())),
            }
        }
    }

    fn pipeline(&mut self) -> Result<Pipeline, Stop> {
        let mut pipeline = Pipeline::default();
        loop {
            pipeline.cmds.push(self.command()?);
            match self.peek() {
                Some(Tok::Op(op @ (Op::Pipe | Op::PipeAll))) => {
                    pipeline.pipe_all.push(*op == Op::PipeAll);
                    self.i += 1;
                    self.skip_newlines();
                }
                _ => {
                    pipeline.pipe_all.push(false);
                    return Ok(pipeline);
                }
            }
        }
    }

    fn command(&mut self) -> Result<Command, Stop> {
        match self.peek() {
            Some(Tok::Word(w)) if w.is_bare("for") => self.for_loop(),
            Some(Tok::Word(w)) => {
                if let Some(r) = UNSUPPORTED.iter().find(|r| w.is_bare(r)) {
                    return Err(Stop::Unsupported(r.to_string()));
                }
                if let Some(r) = MISPLACED.iter().find(|r| w.is_bare(r)) {
                    return Err(Stop::Error(r.to_string()));
                }
                self.simple().map(Command::Simple)
            }
            Some(Tok::Op(Op::LParen)) => {
                let arith = matches!(self.toks.get(self.i + 1), Some(Tok::Op(Op::LParen)));
                Err(Stop::Unsupported(if arith { "((" } else { "(" }.to_string()))
            }
            _ => self.simple().map(Command::Simple),
        }
    }

    fn redir(&mut self, fd: Option<u32>, op: RedirOp) -> Result<Redir, Stop> {
        let Some(Tok::Word(target)) = self.toks.get(self.i + 1) else {
            return Err(Stop::Error(
                self.toks.get(self.i + 1).map_or("newline".to_string(), Tok::describe),
            ));
        };
        let heredoc = self.heredocs;
        if matches!(op, RedirOp::HereDoc { .. }) {
            self.heredocs += 1;
        }
        self.i += 2;
        Ok(Redir {
            fd,
            op,
            target: target.clone(),
            heredoc,
        })
    }

    fn simple(&mut self) -> Result<Simple, Stop> {
        let mut cmd = Simple::default();
        while let Some(tok) = self.peek() {
            match tok {
                Tok::Word(w) => {
                    cmd.words.push(w.clone());
                    self.i += 1;
                }
                Tok::Redir(fd, op) => {
                    let r = self.redir(*fd, *op)?;
                    cmd.redirs.push(r);
                }
                _ => break,
            }
        }
        if cmd.words.is_empty() && cmd.redirs.is_empty() {
            return Err(self.unexpected());
        }
        Ok(cmd)
    }

    /// `for NAME [in WORDS] ; do LIST done`, with newlines allowed where bash allows them.
    fn for_loop(&mut self) -> Result<Command, Stop> {
        self.i += 1;
        let var = match self.peek() {
            Some(Tok::Word(w)) => w.text(),
            _ => return Err(self.unexpected()),
        };
        self.i += 1;
        self.skip_newlines();
        let mut items = None;
        if self.at_word("in") {
            self.i += 1;
            let mut words = Vec::new();
            while let Some(Tok::Word(w)) = self.peek() {
                words.push(w.clone());
                self.i += 1;
            }
            match self.peek() {
                Some(Tok::Newline | Tok::Op(Op::Semi)) => self.i += 1,
                _ => return Err(self.unexpected()),
            }
            items = Some(words);
        } else if matches!(self.peek(), Some(Tok::Op(Op::Semi))) {
            self.i += 1;
        }
        self.skip_newlines();
        if !self.at_word("do") {
            return Err(self.unexpected());
        }
        self.i += 1;
        let body = self.list(Some("done"))?;
        self.i += 1;
        let mut redirs = Vec::new();
        while let Some(Tok::Redir(fd, op)) = self.peek() {
            let r = self.redir(*fd, *op)?;
            redirs.push(r);
        }
        if let Some(Tok::Word(w)) = self.peek() {
            return Err(Stop::Error(w.text()));
        }
        if !expand::is_name(&var) {
            return Err(Stop::Error(var));
        }
        Ok(Command::For(Box::new(ForLoop {
            var,
            items,
            body,
            redirs,
        })))
    }
}

// ---------------------------------------------------------------------------------------------
// Execution
// ---------------------------------------------------------------------------------------------

/// Where a file descriptor writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Dest {
    Terminal,
    Pipe,
    Null,
    /// Index into the command's open files.
    File(usize),
}

struct OpenFile {
    path: String,
    append: bool,
    buf: String,
}

/// A command's file descriptors and standard input after its redirections.
struct Fds {
    fds: [Dest; 3],
    files: Vec<OpenFile>,
    stdin: Option<String>,
}

/// Runs parsed commands: the host, the shell's variables, and the here-document bodies of the
/// command line being run.
struct Exec<'a, H: Host> {
    host: &'a mut H,
    vars: &'a mut Vars,
    bodies: &'a [Body],
    /// What command substitutions wrote to stderr, shown before the command's own output.
    side: Output,
    /// Status of the last command substitution (an assignment-only command returns it).
    subst_status: Option<i32>,
}

impl<H: Host> expand::Env for Exec<'_, H> {
    fn vars(&self) -> &Vars {
        self.vars
    }

    /// `$(cmd)`: a subshell (a copy of the variables) whose stdout is captured.
    fn substitute(&mut self, cmd: &str) -> String {
        let (toks, end) = lex(cmd);
        let mut out = Output::ok();
        let status = match (end, parse(&toks)) {
            (LexEnd::Complete, Parsed::Ok(list)) => {
                let mut vars = self.vars.clone();
                let mut inner = Exec {
                    host: &mut *self.host,
                    vars: &mut vars,
                    bodies: &[],
                    side: Output::ok(),
                    subst_status: None,
                };
                inner.list(&list, false, &mut out)
            }
            (_, Parsed::Unsupported(what)) => {
                unsupported(&mut out, &what);
                2
            }
            (_, Parsed::Error(tok)) => {
                syntax_error(&mut out, &tok);
                2
            }
            _ => {
                out.err("bash: command substitution: syntax error: unexpected end of file\n");
                2
            }
        };
        self.subst_status = Some(status);
        let mut captured = String::new();
        for (stream, text) in out.chunks {
            match stream {
                Stream::Stdout => captured.push_str(&text),
                Stream::Stderr => {
                    self.side.err(text);
                }
            }
        }
        captured
    }
}

impl<H: Host> Exec<'_, H> {
    fn list(&mut self, list: &[(Conn, Pipeline)], already_interrupted: bool, out: &mut Output) -> i32 {
        let mut status = self.vars.status;
        let mut first = true;
        for (conn, pipeline) in list {
            let run = match conn {
                Conn::Seq => true,
                Conn::And => status == 0,
                Conn::Or => status != 0,
            };
            if !run {
                continue;
            }
            let is_sleep = matches!(
                pipeline.cmds.first(),
                Some(Command::Simple(c)) if c.words.first().is_some_and(|w| w.text() == "sleep")
            );
            let interrupted_already = first && already_interrupted;
            if !is_sleep && !interrupted_already {
                append(out, self.host.interrupt());
            }
            first = false;
            status = self.pipeline(pipeline, out);
            self.vars.status = status;
        }
        status
    }

    fn pipeline(&mut self, pipeline: &Pipeline, out: &mut Output) -> i32 {
        let mut input: Option<String> = None;
        let mut status = 0;
        let last = pipeline.cmds.len().saturating_sub(1);
        for (i, cmd) in pipeline.cmds.iter().enumerate() {
            let piped = i < last;
            let pipe_all = pipeline.pipe_all.get(i).copied().unwrap_or(false);
            let (st, piped_out) = match cmd {
                Command::Simple(c) => self.simple(c, input.take(), piped, pipe_all, out),
                Command::For(f) => self.for_loop(f, input.take(), piped, pipe_all, out),
            };
            status = st;
            if piped {
                input = Some(piped_out);
            }
        }
        status
    }

    /// Expands a word into fields; a failure is printed and ends the command with status 1.
    fn fields(&mut self, w: &Word, term: &mut Output) -> Result<Vec<String>, i32> {
        let r = expand::fields(w, self);
        append(term, std::mem::take(&mut self.side));
        r.map_err(|expand::Failure(m)| {
            term.err(m);
            1
        })
    }

    fn string(&mut self, w: &Word, term: &mut Output) -> Result<String, i32> {
        let r = expand::string(w, self);
        append(term, std::mem::take(&mut self.side));
        r.map_err(|expand::Failure(m)| {
            term.err(m);
            1
        })
    }

    /// Performs redirections in order. `piped`: stdout goes down a pipe unless redirected.
    fn redirect(
        &mut self,
        redirs: &[Redir],
        pipe_in: Option<String>,
        piped: bool,
        term: &mut Output,
    ) -> Result<Fds, i32> {
        let mut fds = [
            Dest::Terminal,
            if piped { Dest::Pipe } else { Dest::Terminal },
            Dest::Terminal,
        ];
        let mut files: Vec<OpenFile> = Vec::new();
        let mut stdin = pipe_in;
        for r in redirs {
            let target = match r.op {
                RedirOp::HereDoc { .. } => String::new(),
                _ => self.string(&r.target, term)?,
            };
            let host = &mut *self.host;
            let result: Result<(), String> = match r.op {
                RedirOp::Out | RedirOp::Clobber | RedirOp::Append => {
                    let fd = r.fd.unwrap_or(1) as usize;
                    let dest = match target.as_str() {
                        "/dev/stdout" => Ok(fds[1]),
                        "/dev/stderr" => Ok(fds[2]),
                        path => open_file(host, &mut files, path, r.op == RedirOp::Append),
                    };
                    dest.map(|d| {
                        if let Some(slot) = fds.get_mut(fd) {
                            *slot = d;
                        }
                    })
                }
                RedirOp::OutErr | RedirOp::AppendOutErr => {
                    open_file(host, &mut files, &target, r.op == RedirOp::AppendOutErr).map(|d| {
                        fds[1] = d;
                        fds[2] = d;
                    })
                }
                RedirOp::DupOut => {
                    let fd = r.fd.unwrap_or(1) as usize;
                    match target.as_str() {
                        "-" => {
                            if let Some(slot) = fds.get_mut(fd) {
                                *slot = Dest::Null;
                            }
                            Ok(())
                        }
                        t if t.bytes().all(|b| b.is_ascii_digit()) && !t.is_empty() => match t.parse::<usize>() {
                            Ok(src @ 1..=2) => {
                                let d = fds[src];
                                if let Some(slot) = fds.get_mut(fd) {
                                    *slot = d;
                                }
                                Ok(())
                            }
                            _ => Err(format!("bash: {t}: Bad file descriptor\n")),
                        },
                        // `>&file` (no fd) means `&>file`.
                        path if r.fd.is_none() => open_file(host, &mut files, path, false).map(|d| {
                            fds[1] = d;
                            fds[2] = d;
                        }),
                        _ => Err(format!("bash: {target}: ambiguous redirect\n")),
                    }
                }
                RedirOp::In => match target.as_str() {
                    "/dev/null" => {
                        stdin = Some(String::new());
                        Ok(())
                    }
                    path => match host.read_file(path) {
                        Some(content) => {
                            stdin = Some(content);
                            Ok(())
                        }
                        None => Err(format!("bash: {path}: No such file or directory\n")),
                    },
                },
                RedirOp::HereDoc { .. } => {
                    stdin = Some(self.body(r.heredoc, term)?);
                    Ok(())
                }
                RedirOp::HereString => {
                    stdin = Some(format!("{target}\n"));
                    Ok(())
                }
                RedirOp::DupIn | RedirOp::ReadWrite => Ok(()),
            };
            if let Err(msg) = result {
                term.err(msg);
                return Err(1);
            }
        }
        Ok(Fds { fds, files, stdin })
    }

    /// Here-document `i`'s body, expanded unless its delimiter was quoted.
    fn body(&mut self, i: usize, term: &mut Output) -> Result<String, i32> {
        let Some(b) = self.bodies.get(i) else {
            return Ok(String::new());
        };
        if !b.expand {
            return Ok(b.text.clone());
        }
        let parts = body_parts(&b.text);
        let r = expand::parts_string(&parts, self);
        append(term, std::mem::take(&mut self.side));
        r.map_err(|expand::Failure(m)| {
            term.err(m);
            1
        })
    }

    /// Sends what a command printed where its descriptors point; returns what went to the pipe.
    fn route(&mut self, result: Output, fds: Fds, pipe_all: bool, term: &mut Output) -> String {
        let Fds { mut fds, mut files, .. } = fds;
        if pipe_all {
            fds[2] = fds[1];
        }
        let mut piped_out = String::new();
        for (stream, text) in result.chunks {
            let dest = if stream == Stream::Stdout { fds[1] } else { fds[2] };
            match (dest, stream) {
                (Dest::Terminal, Stream::Stdout) => {
                    term.out(text);
                }
                (Dest::Terminal, Stream::Stderr) => {
                    term.err(text);
                }
                (Dest::Pipe, _) => piped_out.push_str(&text),
                (Dest::Null, _) => {}
                (Dest::File(i), _) => files[i].buf.push_str(&text),
            }
        }
        flush_files(self.host, files);
        piped_out
    }

    /// Runs one simple command with its redirections; what it writes to a pipe is returned.
    fn simple(
        &mut self,
        cmd: &Simple,
        pipe_in: Option<String>,
        piped: bool,
        pipe_all: bool,
        term: &mut Output,
    ) -> (i32, String) {
        // Leading `NAME=value` words are assignments.
        let assigns = cmd.words.iter().map_while(Word::assignment).count();
        self.subst_status = None;
        let mut argv: Vec<String> = Vec::new();
        let declaration = cmd.words.get(assigns).is_some_and(|w| w.is_bare("export"));
        for w in &cmd.words[assigns..] {
            let r = if declaration && w.assignment().is_some() {
                self.string(w, term).map(|s| vec![s])
            } else {
                self.fields(w, term)
            };
            match r {
                Ok(f) => argv.extend(f),
                Err(st) => return (st, String::new()),
            }
        }
        let mut values = Vec::new();
        if argv.is_empty() {
            for w in &cmd.words[..assigns] {
                let Some((name, value)) = w.assignment() else { continue };
                match self.string(&value, term) {
                    Ok(v) => values.push((name, v)),
                    Err(st) => return (st, String::new()),
                }
            }
        }
        let fds = match self.redirect(&cmd.redirs, pipe_in, piped, term) {
            Ok(f) => f,
            Err(st) => return (st, String::new()),
        };
        let Some(name) = argv.first().cloned() else {
            // Only assignments (and redirections): set the variables; the status is the last
            // command substitution's.
            for (k, v) in values {
                self.vars.set(&k, &v);
            }
            flush_files(self.host, fds.files);
            return (self.subst_status.unwrap_or(0), String::new());
        };
        let stdin = fds.stdin.clone();
        let stdin = stdin.as_deref();
        let result = match name.as_str() {
            "kubectl" | "k" => {
                argv[0] = "kubectl".to_string();
                self.host.kubectl(&argv, stdin)
            }
            "sleep" => match sleep_millis(&argv[1..]) {
                // What a watch printed while time passed is not `sleep`'s output: it goes to the
                // terminal whatever `sleep`'s redirections say.
                Ok(ms) => {
                    let o = self.host.sleep(ms);
                    append(term, o);
                    Output::ok()
                }
                Err(o) => o,
            },
            "cat" => cat(self.host, &argv, stdin),
            "echo" => echo(&argv[1..]),
            "export" => self.export(&argv[1..]),
            "unset" => {
                for a in &argv[1..] {
                    self.vars.unset(a);
                }
                Output::ok()
            }
            "true" | ":" => Output::ok(),
            "false" => Output {
                chunks: Vec::new(),
                exit_code: 1,
            },
            _ => self.host.other(&argv, stdin),
        };
        let code = result.exit_code;
        let piped_out = self.route(result, fds, pipe_all, term);
        (code, piped_out)
    }

    /// bash's `export`: `NAME=value` assigns and exports, `NAME` exports, no operand (or `-p`)
    /// lists the exported variables.
    fn export(&mut self, args: &[String]) -> Output {
        let mut out = Output::ok();
        let args: Vec<&String> = args.iter().filter(|a| a.as_str() != "-p").collect();
        if args.is_empty() {
            out.out(self.vars.declare_exported());
            return out;
        }
        for a in args {
            let (name, value) = match a.split_once('=') {
                Some((n, v)) => (n, Some(v)),
                None => (a.as_str(), None),
            };
            if !expand::is_name(name) {
                out.err(format!("bash: export: `{a}': not a valid identifier\n"));
                out.exit_code = 1;
                continue;
            }
            if let Some(v) = value {
                self.vars.set(name, v);
            }
            self.vars.export(name);
        }
        out
    }

    /// `for VAR in WORDS; do BODY; done`: the body's output goes where the loop's
    /// redirections say (down a pipe, into a file).
    fn for_loop(
        &mut self,
        f: &ForLoop,
        pipe_in: Option<String>,
        piped: bool,
        pipe_all: bool,
        term: &mut Output,
    ) -> (i32, String) {
        let mut items = Vec::new();
        for w in f.items.iter().flatten() {
            match self.fields(w, term) {
                Ok(v) => items.extend(v),
                Err(st) => return (st, String::new()),
            }
        }
        let fds = match self.redirect(&f.redirs, pipe_in, piped, term) {
            Ok(f) => f,
            Err(st) => return (st, String::new()),
        };
        let mut body_out = Output::ok();
        let mut status = 0;
        for item in items {
            self.vars.set(&f.var, &item);
            status = self.list(&f.body, false, &mut body_out);
        }
        let piped_out = self.route(body_out, fds, pipe_all, term);
        (status, piped_out)
    }
}

/// Opens `path` for a `>`/`>>` redirection. `>` truncates when the redirection is performed,
/// before the command runs (so `cat f > f` empties `f`, as in bash).
fn open_file(host: &mut impl Host, files: &mut Vec<OpenFile>, path: &str, append: bool) -> Result<Dest, String> {
    match path {
        "/dev/null" => Ok(Dest::Null),
        "" => Err("bash: : No such file or directory\n".to_string()),
        _ => {
            if !append {
                host.write_file(path, "");
            }
            files.push(OpenFile {
                path: path.to_string(),
                append,
                buf: String::new(),
            });
            Ok(Dest::File(files.len() - 1))
        }
    }
}

fn flush_files(host: &mut impl Host, files: Vec<OpenFile>) {
    for f in files {
        if f.buf.is_empty() {
            continue;
        }
        let content = if f.append {
            let mut old = host.read_file(&f.path).unwrap_or_default();
            old.push_str(&f.buf);
            old
        } else {
            f.buf
        };
        host.write_file(&f.path, &content);
    }
}

/// GNU coreutils `sleep`: every operand is a non-negative decimal number with an optional
/// `s`, `m`, `h` or `d` suffix; the operands add up. `inf`/`infinity`, which GNU accepts, is
/// refused like an invalid interval (the simulated clock would never come back).
fn sleep_millis(args: &[String]) -> Result<u64, Output> {
    let usage = |msg: String| {
        let mut o = Output::ok();
        o.err(msg);
        o.err("Try 'sleep --help' for more information.\n");
        o.exit_code = 1;
        o
    };
    if args.is_empty() {
        return Err(usage("sleep: missing operand\n".to_string()));
    }
    let mut total = 0f64;
    for arg in args {
        if let Some(opt) = arg.strip_prefix('-').filter(|s| !s.is_empty()) {
            let c = opt.chars().next().unwrap_or('-');
            return Err(usage(format!("sleep: invalid option -- '{c}'\n")));
        }
        let (num, mult) = match arg.char_indices().last() {
            Some((i, 's')) => (&arg[..i], 1.0),
            Some((i, 'm')) => (&arg[..i], 60.0),
            Some((i, 'h')) => (&arg[..i], 3600.0),
            Some((i, 'd')) => (&arg[..i], 86400.0),
            _ => (arg.as_str(), 1.0),
        };
        let valid = !num.is_empty()
            && num.bytes().all(|b| b.is_ascii_digit() || b == b'.')
            && num.bytes().filter(|&b| b == b'.').count() <= 1
            && num != ".";
        match num.parse::<f64>() {
            Ok(v) if valid && v.is_finite() => total += v * mult,
            _ => return Err(usage(format!("sleep: invalid time interval ‘{arg}’\n"))),
        }
    }
    let ms = (total * 1000.0).round();
    Ok(if ms >= u64::MAX as f64 { u64::MAX } else { ms as u64 })
}

/// `cat [FILE|-]...`: virtual files, `-` or no operand for stdin. Options are not modelled: a
/// `cat` with options goes to [`Host::other`].
fn cat(host: &mut impl Host, argv: &[String], stdin: Option<&str>) -> Output {
    let files = &argv[1..];
    if files.iter().any(|a| a.starts_with('-') && a != "-") {
        return host.other(argv, stdin);
    }
    let mut out = Output::ok();
    if files.is_empty() {
        out.out(stdin.unwrap_or_default());
        return out;
    }
    for f in files {
        if f == "-" {
            out.out(stdin.unwrap_or_default());
            continue;
        }
        match host.read_file(f) {
            Some(content) => {
                out.out(content);
            }
            None => {
                out.err(format!("cat: {f}: No such file or directory\n"));
                out.exit_code = 1;
            }
        }
    }
    out
}

/// bash's builtin `echo`: leading `-n`, `-e`, `-E` options (and combinations like `-ne`), then
/// the operands joined by spaces.
fn echo(args: &[String]) -> Output {
    let mut newline = true;
    let mut escapes = false;
    let mut rest = args;
    while let Some(first) = rest.first() {
        let Some(opts) = first.strip_prefix('-') else {
            break;
        };
        if opts.is_empty() || !opts.chars().all(|c| matches!(c, 'n' | 'e' | 'E')) {
            break;
        }
        for c in opts.chars() {
            match c {
                'n' => newline = false,
                'e' => escapes = true,
                _ => escapes = false,
            }
        }
        rest = &rest[1..];
    }
    let mut text = rest.join(" ");
    if escapes {
        let (expanded, stop) = echo_escapes(&text);
        text = expanded;
        if stop {
            newline = false;
        }
    }
    if newline {
        text.push('\n');
    }
    let mut out = Output::ok();
    out.out(text);
    out
}

/// `echo -e` escapes. Returns the text and whether `\c` stopped the output.
fn echo_escapes(s: &str) -> (String, bool) {
    let mut out = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('a') => out.push('\x07'),
            Some('b') => out.push('\x08'),
            Some('e' | 'E') => out.push('\x1b'),
            Some('f') => out.push('\x0c'),
            Some('v') => out.push('\x0b'),
            Some('\\') => out.push('\\'),
            Some('c') => return (out, true),
            Some('0') => {
                let mut v = 0u32;
                for _ in 0..3 {
                    match chars.peek().and_then(|d| d.to_digit(8)) {
                        Some(d) => {
                            v = v * 8 + d;
                            chars.next();
                        }
                        None => break,
                    }
                }
                out.push(char::from_u32(v).unwrap_or('\u{fffd}'));
            }
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    (out, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(src: &str) -> Vec<String> {
        lex(src)
            .0
            .iter()
            .map(|t| match t {
                Tok::Word(w) => w.text(),
                other => format!("<{}>", other.describe()),
            })
            .collect()
    }

    #[test]
    fn lexes_like_sh() {
        assert_eq!(words("a 'b c' \"d\\\"e\" f\\ g ''"), ["a", "b c", "d\"e", "f g", ""]);
        assert_eq!(words("a#b # comment"), ["a#b"]);
        assert_eq!(words("ab\\\ncd"), ["abcd"]);
        assert_eq!(
            words("x 2>&1 >>f <g 10>h a2>b"),
            ["x", "<>&>", "1", "<>>>", "f", "<<>", "g", "<>>", "h", "a2", "<>>", "b"]
        );
        assert_eq!(
            words("a|b||c&&d;e&f|&g"),
            ["a", "<|>", "b", "<||>", "c", "<&&>", "d", "<;>", "e", "<&>", "f", "<|&>", "g"]
        );
        assert_eq!(
            words("cat <<-EOF <<<x &>y &>>z"),
            ["cat", "<<<->", "EOF", "<<<<>", "x", "<&>>", "y", "<&>>>", "z"]
        );
        assert_eq!(lex("a 'b").1, LexEnd::Quote('\''));
        assert_eq!(lex("a \"b\\\"").1, LexEnd::Quote('"'));
        assert_eq!(lex("a \\").1, LexEnd::Backslash);
        assert_eq!(lex("a '\\'").1, LexEnd::Complete);
    }

    #[test]
    fn io_numbers_and_heredoc_words() {
        let (toks, _) = lex("cat 2>x <<'E F' <<-\"G\" <<\\H");
        assert!(matches!(toks[1], Tok::Redir(Some(2), RedirOp::Out)));
        let hd: Vec<(bool, String, bool)> = heredoc_words(&toks)
            .into_iter()
            .map(|(strip, w)| (strip, w.text(), w.parts.iter().any(|p| !matches!(p, Part::Bare(_)))))
            .collect();
        assert_eq!(
            hd,
            [
                (false, "E F".into(), true),
                (true, "G".into(), true),
                (false, "H".into(), true)
            ]
        );
    }

    #[test]
    fn parse_outcomes() {
        assert!(matches!(parse(&lex("a |").0), Parsed::Incomplete));
        assert!(matches!(parse(&lex("a &&\n\n").0), Parsed::Incomplete));
        assert!(matches!(parse(&lex("a ;").0), Parsed::Ok(l) if l.len() == 1));
        assert!(matches!(parse(&lex("a ; ;").0), Parsed::Error(t) if t == ";"));
        assert!(matches!(parse(&lex("> f").0), Parsed::Ok(_)));
        assert!(matches!(parse(&lex("a >").0), Parsed::Error(t) if t == "newline"));
    }
}
