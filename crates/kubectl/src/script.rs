//! The shell-like interpreter behind golden transcripts, lesson solutions and the web console.
//!
//! Learners type what they would type into bash, so this models the small part of bash that
//! kubectl tutorials use, with bash's own rules and messages:
//!
//! * quoting as POSIX `sh` defines it (`'…'` literal; `"…"` where `\` escapes only `$`, the
//!   backquote, `"`, `\` and newline; `\x` outside quotes), `#` comments at the start of a word,
//!   `\`-newline line continuation, and an open quote or a trailing `|`, `&&`, `||` asking for
//!   another line (bash shows its `> ` prompt there);
//! * lists and pipelines: `;`, `&&`, `||`, `|`, `|&` (a trailing `&` runs in the foreground, the
//!   simulator has no job control);
//! * redirections: `>`, `>>`, `>|`, `<`, `&>`, `&>>`, `2>&1`, `2>/dev/null`, here-documents
//!   (`<<EOF`, `<<'EOF'`, `<<"EOF"`, `<<\EOF`, `<<-EOF` which strips leading tabs) and
//!   here-strings (`<<<`). As in bash, here-document bodies start on the line after the one
//!   holding the `<<` operator, even if the command itself continues (`cat <<EOF |`);
//! * builtins `cat`, `echo`, `sleep` (GNU coreutils syntax: fractional numbers, `s`/`m`/`h`/`d`
//!   suffixes, several operands add up), `true`, `false` and `:`; `kubectl` and its alias `k` go
//!   to [`Host::kubectl`]; everything else to [`Host::other`].
//!
//! Not modelled (yet): `$VAR`/`$(…)` expansion (kept literally; the lexer records which parts of
//! a word were quoted, so expansion can be added after lexing), subshells, `if`/`for`, globbing,
//! and the backslash/`$` processing bash does inside unquoted here-document bodies (bodies are
//! kept verbatim, which is what every YAML manifest needs).
//!
//! Messages follow interactive bash 5.2 (``bash: syntax error near unexpected token `|'``,
//! exit status 2) because the console *is* an interactive shell; the end-of-script diagnostics
//! (``bash: warning: here-document at line N delimited by end-of-file (wanted `EOF')``) use the
//! same prefix with the script's line numbers.
//!
//! A watch (`kubectl get -w`) stays open on the host until the next command: before every
//! pipeline that is not a `sleep`, the interpreter calls [`Host::interrupt`], like a user pressing
//! Ctrl-C before typing the next command.

use crate::output::{Output, Stream};

/// What the interpreter drives; `Session` implements it.
pub trait Host {
    /// One kubectl invocation. `argv[0]` is "kubectl" (the alias "k" is normalised to "kubectl"
    /// before the call). stdin is the heredoc/pipe body, if any.
    fn kubectl(&mut self, argv: &[String], stdin: Option<&str>) -> Output;
    /// `sleep N` (N may be fractional, e.g. 0.5): advance virtual time; returns what an open
    /// stream (a `kubectl get -w` watch) printed meanwhile.
    fn sleep(&mut self, millis: u64) -> Output;
    /// Ctrl-C: closes an open stream (a watch) before the next command runs. Returns anything it
    /// prints (usually nothing).
    fn interrupt(&mut self) -> Output;
    fn write_file(&mut self, path: &str, content: &str);
    fn read_file(&self, path: &str) -> Option<String>;
    /// Any other command (later: `sim ...`, `curl`, shell builtins on the node). `argv[0]` is the
    /// command name.
    fn other(&mut self, argv: &[String], stdin: Option<&str>) -> Output;
}

/// The result of feeding one line to the [`Interpreter`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Feed {
    /// The command is not complete yet (inside a here-document, an open quote, or after a
    /// trailing `\`, `|`, `&&` or `||`): the console shows bash's `> ` prompt.
    NeedMore,
    /// The command ran (or the line was blank or a comment); this is everything it printed.
    Done(Output),
}

/// Runs a whole script and returns its transcript: each command line echoed as `$ <line>`, each
/// continuation or here-document line as `> <line>` (what an interactive bash shows), each
/// followed by what the command printed, stdout and stderr interleaved in the order written.
/// Blank lines and comment lines between commands are not echoed. After the last line the
/// interpreter flushes an unterminated construct the way bash does at end of file, then calls
/// [`Host::interrupt`] once more so an open watch is closed and its tail recorded.
pub fn run_script(host: &mut impl Host, script: &str) -> String {
    let mut interp = Interpreter::default();
    let mut transcript = String::new();
    for line in script.lines() {
        let idle = interp.is_idle();
        // Fed anyway so line numbers (bash's "here-document at line N") count every line.
        let (before, feed) = interp.feed_line(host, line);
        if idle && is_blank_or_comment(line) {
            continue;
        }
        transcript.push_str(&before.text());
        transcript.push_str(if idle { "$ " } else { "> " });
        transcript.push_str(line);
        transcript.push('\n');
        if let Feed::Done(out) = feed {
            transcript.push_str(&out.text());
        }
    }
    transcript.push_str(&interp.finish(host).text());
    transcript.push_str(&host.interrupt().text());
    transcript
}

/// The incremental interpreter: feed it one line at a time (the web console does, as the learner
/// presses Enter). It remembers a half-typed command between calls; `Interpreter::default()`
/// forgets it (the console's Ctrl-C).
#[derive(Clone, Debug, Default)]
pub struct Interpreter {
    /// Physical lines fed so far (bash's "here-document at line N").
    line_no: usize,
    pending: Option<Pending>,
    /// Output produced when the pending command began (a watch closed by [`Host::interrupt`]),
    /// handed out with the command's own output by [`Interpreter::feed`].
    stash: Output,
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
    body: String,
    /// Line holding the `<<` operator.
    line: usize,
}

impl Interpreter {
    pub fn new() -> Self {
        Self::default()
    }

    /// True when no command is half-typed (the console shows `$ `, not `> `).
    pub fn is_idle(&self) -> bool {
        self.pending.is_none()
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
            Parsed::Ok(list) => {
                let bodies: Vec<String> = p.heredocs.into_iter().map(|h| h.body).collect();
                let status = self.exec_list(host, &list, &bodies, p.interrupted, &mut out);
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
        if let Parsed::Error(tok) = parse(&toks) {
            self.pending = None;
            let mut out = Output::ok();
            syntax_error(&mut out, &tok);
            return (before, Feed::Done(out));
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
            Parsed::Ok(list) => {
                let p = self.pending.take().unwrap_or_default();
                let bodies: Vec<String> = p.heredocs.into_iter().map(|h| h.body).collect();
                let mut out = Output::ok();
                let status = self.exec_list(host, &list, &bodies, p.interrupted, &mut out);
                out.exit_code = status;
                Feed::Done(out)
            }
        }
    }

    fn exec_list(
        &mut self,
        host: &mut impl Host,
        list: &[(Conn, Pipeline)],
        bodies: &[String],
        already_interrupted: bool,
        out: &mut Output,
    ) -> i32 {
        let mut status = 0;
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
            let is_sleep = pipeline
                .cmds
                .first()
                .and_then(|c| c.words.first())
                .is_some_and(|w| w.text() == "sleep");
            let interrupted_already = first && already_interrupted;
            if !is_sleep && !interrupted_already {
                append(out, host.interrupt());
            }
            first = false;
            status = exec_pipeline(host, pipeline, bodies, out);
        }
        status
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

/// A piece of a word, remembering how it was quoted (expansion, when added, applies to `Bare`
/// and `Double` parts only; a here-document delimiter with any quoted part disables expansion of
/// its body, as in bash).
#[derive(Clone, Debug, PartialEq, Eq)]
enum Part {
    /// Unquoted text.
    Bare(String),
    /// `'…'` or a backslash-escaped character.
    Literal(String),
    /// `"…"`, escapes already removed.
    Double(String),
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Word {
    parts: Vec<Part>,
}

impl Word {
    /// The word after quote removal.
    fn text(&self) -> String {
        self.parts
            .iter()
            .map(|p| match p {
                Part::Bare(s) | Part::Literal(s) | Part::Double(s) => s.as_str(),
            })
            .collect()
    }

    fn bare(&mut self, c: char) {
        if let Some(Part::Bare(s)) = self.parts.last_mut() {
            s.push(c);
        } else {
            self.parts.push(Part::Bare(c.to_string()));
        }
    }

    /// An unquoted run of ASCII digits: the file descriptor of `2>&1`.
    fn io_number(&self) -> Option<u32> {
        match self.parts.as_slice() {
            [Part::Bare(s)] if !s.is_empty() && s.len() <= 9 && s.bytes().all(|b| b.is_ascii_digit()) => s.parse().ok(),
            _ => None,
        }
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
            '"' => {
                let mut s = String::new();
                let mut j = i + 1;
                let mut closed = false;
                while j < n {
                    match cs[j] {
                        '"' => {
                            closed = true;
                            break;
                        }
                        '\\' if j + 1 < n && matches!(cs[j + 1], '$' | '`' | '"' | '\\' | '\n') => {
                            if cs[j + 1] != '\n' {
                                s.push(cs[j + 1]);
                            }
                            j += 2;
                        }
                        ch => {
                            s.push(ch);
                            j += 1;
                        }
                    }
                }
                if !closed {
                    flush(&mut toks, &mut cur);
                    return (toks, LexEnd::Quote('"'));
                }
                cur.get_or_insert_with(Word::default).parts.push(Part::Double(s));
                i = j + 1;
            }
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

#[derive(Clone, Debug, Default)]
struct Pipeline {
    cmds: Vec<Simple>,
    /// `|&` after command i: its stderr goes down the pipe too.
    pipe_all: Vec<bool>,
}

enum Parsed {
    Ok(Vec<(Conn, Pipeline)>),
    /// Ends with `|`, `&&` or `||`: bash reads another line.
    Incomplete,
    /// bash's "syntax error near unexpected token `X'".
    Error(String),
}

fn parse(toks: &[Tok]) -> Parsed {
    let mut list = Vec::new();
    let mut i = 0;
    let mut conn = Conn::Seq;
    let mut heredocs = 0;
    loop {
        if conn == Conn::Seq {
            while matches!(toks.get(i), Some(Tok::Newline)) {
                i += 1;
            }
            if i >= toks.len() {
                break;
            }
        }
        let mut pipeline = Pipeline::default();
        loop {
            let mut cmd = Simple::default();
            while let Some(tok) = toks.get(i) {
                match tok {
                    Tok::Word(w) => {
                        cmd.words.push(w.clone());
                        i += 1;
                    }
                    Tok::Redir(fd, op) => {
                        let Some(Tok::Word(target)) = toks.get(i + 1) else {
                            return Parsed::Error(toks.get(i + 1).map_or("newline".to_string(), Tok::describe));
                        };
                        let heredoc = heredocs;
                        if matches!(op, RedirOp::HereDoc { .. }) {
                            heredocs += 1;
                        }
                        cmd.redirs.push(Redir {
                            fd: *fd,
                            op: *op,
                            target: target.clone(),
                            heredoc,
                        });
                        i += 2;
                    }
                    _ => break,
                }
            }
            if cmd.words.is_empty() && cmd.redirs.is_empty() {
                return match toks.get(i) {
                    None => Parsed::Incomplete,
                    Some(tok) => Parsed::Error(tok.describe()),
                };
            }
            pipeline.cmds.push(cmd);
            match toks.get(i) {
                Some(Tok::Op(op @ (Op::Pipe | Op::PipeAll))) => {
                    pipeline.pipe_all.push(*op == Op::PipeAll);
                    i += 1;
                    while matches!(toks.get(i), Some(Tok::Newline)) {
                        i += 1;
                    }
                }
                _ => {
                    pipeline.pipe_all.push(false);
                    break;
                }
            }
        }
        list.push((conn, pipeline));
        match toks.get(i) {
            None => break,
            Some(Tok::Newline | Tok::Op(Op::Semi | Op::Amp)) => {
                conn = Conn::Seq;
                i += 1;
            }
            Some(Tok::Op(op @ (Op::And | Op::Or))) => {
                conn = if *op == Op::And { Conn::And } else { Conn::Or };
                i += 1;
                while matches!(toks.get(i), Some(Tok::Newline)) {
                    i += 1;
                }
            }
            Some(tok) => return Parsed::Error(tok.describe()),
        }
    }
    Parsed::Ok(list)
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

fn exec_pipeline(host: &mut impl Host, pipeline: &Pipeline, bodies: &[String], out: &mut Output) -> i32 {
    let mut input: Option<String> = None;
    let mut status = 0;
    let last = pipeline.cmds.len().saturating_sub(1);
    for (i, cmd) in pipeline.cmds.iter().enumerate() {
        let piped = i < last;
        let pipe_all = pipeline.pipe_all.get(i).copied().unwrap_or(false);
        let (st, piped_out) = exec_simple(host, cmd, input.take(), piped, pipe_all, bodies, out);
        status = st;
        if piped {
            input = Some(piped_out);
        }
    }
    status
}

/// Runs one simple command with its redirections; what it writes to a pipe is returned.
fn exec_simple(
    host: &mut impl Host,
    cmd: &Simple,
    pipe_in: Option<String>,
    piped: bool,
    pipe_all: bool,
    bodies: &[String],
    term: &mut Output,
) -> (i32, String) {
    let argv: Vec<String> = cmd.words.iter().map(Word::text).collect();
    let mut fds = [
        Dest::Terminal,
        if piped { Dest::Pipe } else { Dest::Terminal },
        Dest::Terminal,
    ];
    let mut files: Vec<OpenFile> = Vec::new();
    let mut stdin = pipe_in;
    for r in &cmd.redirs {
        let target = r.target.text();
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
                stdin = Some(bodies.get(r.heredoc).cloned().unwrap_or_default());
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
            return (1, String::new());
        }
    }
    if pipe_all {
        fds[2] = fds[1];
    }

    let Some(name) = argv.first() else {
        flush_files(host, files);
        return (0, String::new());
    };
    let result = match name.as_str() {
        "kubectl" | "k" => {
            let mut argv = argv.clone();
            argv[0] = "kubectl".to_string();
            host.kubectl(&argv, stdin.as_deref())
        }
        "sleep" => match sleep_millis(&argv[1..]) {
            // What a watch printed while time passed is not `sleep`'s output: it goes to the
            // terminal whatever `sleep`'s redirections say.
            Ok(ms) => {
                let o = host.sleep(ms);
                append(term, o);
                Output::ok()
            }
            Err(o) => o,
        },
        "cat" => cat(host, &argv, stdin.as_deref()),
        "echo" => echo(&argv[1..]),
        "true" | ":" => Output::ok(),
        "false" => Output {
            chunks: Vec::new(),
            exit_code: 1,
        },
        _ => host.other(&argv, stdin.as_deref()),
    };

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
    flush_files(host, files);
    (result.exit_code, piped_out)
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
