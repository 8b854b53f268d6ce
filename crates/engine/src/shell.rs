//! The POSIX shell inside simulated containers (`sh -c '…'` in pod specs, `kubectl exec`, exec
//! probes and lifecycle hooks).
//!
//! A script is parsed into an AST and compiled into a flat list of [`Op`]s with jumps, so a
//! running script is just a program counter plus variables: [`Process::run`] executes until the
//! script sleeps, blocks for ever or exits, and returns a [`Yield`]. The kubelet resumes it when
//! the virtual clock reaches the wake time, so `sleep 3600` costs one wakeup, not a thread, and a
//! `Process` clones with the cluster (snapshots stay cheap and deterministic).
//!
//! Covered: `;` `&&` `||` `|` `&` `!`, `if/elif/else`, `while`/`until`, `for … in`, `case`,
//! `{ …; }` and `( … )`, `break`/`continue`, assignments and `export`, `$VAR` `${VAR}`
//! `${VAR:-x}` `$?` `$#` `$1…` `$(…)` `` `…` `` `$((…))`, quotes and escapes, globbing, and
//! `>` `>>` `<` `2>` `2>&1` `&>` redirections. The utilities themselves are in
//! [`crate::applets`]; what is neither a builtin nor an applet of the image fails with the
//! shell's own `not found` (exit 127).

use crate::applets::{self, Effect};
use crate::sort::CompactSort;
use crate::time::SimTime;
use crate::vfs::{self, FsView};
use std::collections::BTreeMap;
use std::sync::Arc;

// ------------------------------------------------------------------------------------------------
// The container as a script sees it
// ------------------------------------------------------------------------------------------------

/// Which userland an image ships: decides the applets present and how errors are worded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Userland {
    /// BusyBox (busybox, alpine images): `sh` is ash; the minor version matters for `nslookup`.
    Busybox { minor: u32 },
    /// Debian with GNU coreutils: `sh` is dash, `bash` exists.
    Gnu,
    /// Nothing but the entrypoint (`pause`, distroless).
    Bare,
}

/// How a DNS name resolved through the cluster DNS.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Dns {
    /// Fully qualified name and addresses.
    Found {
        fqdn: String,
        addrs: Vec<String>,
    },
    NxDomain,
}

/// The answer to an HTTP request from inside a container.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Http {
    Response {
        status: u16,
        reason: &'static str,
        body: String,
    },
    /// Nothing listens there (or no endpoints behind a Service): TCP RST.
    Refused,
    /// The host name did not resolve.
    BadHost,
    /// Packets go nowhere (an IP that no pod or service has).
    Timeout,
}

/// What a script can touch: the container's files and environment, the cluster network, and
/// its output streams. Implemented by the container runtime for the main process, `kubectl
/// exec`, exec probes and hooks.
pub trait Sys {
    fn now(&self) -> SimTime;
    fn fs(&mut self) -> FsView<'_>;
    fn userland(&self) -> Userland;
    /// Image-specific programs (`nginx`, `redis-cli`, `curl` on images that ship it).
    fn has_program(&self, name: &str) -> bool;
    fn hostname(&self) -> String;
    fn pod_ip(&self) -> String;
    fn stdout(&mut self, text: &str);
    fn stderr(&mut self, text: &str);
    /// Resolves a name exactly as given (no search path).
    fn dns(&self, name: &str) -> Dns;
    /// The pod's DNS search path (`default.svc.cluster.local svc.cluster.local cluster.local`).
    fn search_path(&self) -> Vec<String>;
    fn http_get(&mut self, host: &str, port: u16, path: &str, user_agent: &str) -> Http;
    fn tcp_open(&mut self, host: &str, port: u16) -> bool;
    /// Runs an image program (`nginx`, `httpd`, `redis-server`, …). `None` when the image has no
    /// such program.
    fn program(&mut self, argv: &[String], env: &[(String, String)]) -> Option<applets::Outcome>;
    /// `kill`/`killall`/`pkill`: signals processes by name (PID 1 is the container's main one).
    fn signal(&mut self, name_or_pid: &str, signal: i32) -> bool;
    /// `ps`: (pid, command line).
    fn processes(&self) -> Vec<(u32, String)>;
}

// ------------------------------------------------------------------------------------------------
// Syntax
// ------------------------------------------------------------------------------------------------

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Part {
    /// Unquoted text: globbed; field-split only when it came from an expansion.
    Lit(String),
    /// Quoted text: kept as it is.
    Quoted(String),
    Param {
        name: String,
        quoted: bool,
        default: Option<(ParamOp, Word)>,
    },
    Command {
        src: String,
        quoted: bool,
    },
    Arith {
        expr: String,
        quoted: bool,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamOp {
    /// `${v:-w}`
    Default,
    /// `${v:=w}`
    Assign,
    /// `${v:+w}`
    Alternative,
    /// `${#v}`
    Length,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Word(pub Vec<Part>);

impl Word {
    fn literal(&self) -> Option<String> {
        let mut s = String::new();
        for p in &self.0 {
            match p {
                Part::Lit(t) => s.push_str(t),
                _ => return None,
            }
        }
        Some(s)
    }
    fn is_quoted_anywhere(&self) -> bool {
        self.0.iter().any(|p| !matches!(p, Part::Lit(_)))
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RedirKind {
    Out,
    Append,
    In,
    /// `N>&M`
    Dup(u8),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Redir {
    pub fd: u8,
    pub kind: RedirKind,
    pub target: Word,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Simple {
    pub assigns: Vec<(String, Word)>,
    pub words: Vec<Word>,
    pub redirs: Vec<Redir>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cmd {
    Simple(Simple),
    Pipeline(Vec<Cmd>),
    Not(Box<Cmd>),
    And(Box<Cmd>, Box<Cmd>),
    Or(Box<Cmd>, Box<Cmd>),
    Seq(Vec<Cmd>),
    Background(Box<Cmd>),
    If {
        branches: Vec<(Cmd, Cmd)>,
        otherwise: Option<Box<Cmd>>,
    },
    Loop {
        cond: Box<Cmd>,
        body: Box<Cmd>,
        until: bool,
    },
    For {
        var: String,
        items: Option<Vec<Word>>,
        body: Box<Cmd>,
    },
    Case {
        word: Word,
        arms: Vec<(Vec<Word>, Cmd)>,
    },
    Group {
        body: Box<Cmd>,
        subshell: bool,
        redirs: Vec<Redir>,
    },
}

/// A syntax error, worded like ash/dash (`sh: syntax error: unexpected "done"`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError(pub String);

#[derive(Clone, Debug, PartialEq, Eq)]
enum Tok {
    Word(Word),
    Op(&'static str),
    Redir(u8, RedirKind),
    Newline,
}

const OPS: &[&str] = &["&&", "||", ";;", ";", "&", "|", "(", ")"];

struct Lexer<'a> {
    s: &'a [u8],
    src: &'a str,
    i: usize,
}

impl<'a> Lexer<'a> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    /// Reads up to the matching `)` of `$(`, honouring quotes and nesting.
    fn balanced(&mut self, open: u8, close: u8) -> Result<String, SyntaxError> {
        let start = self.i;
        let mut depth = 1;
        while let Some(c) = self.peek() {
            match c {
                b'\'' => {
                    self.i += 1;
                    while self.peek().is_some_and(|c| c != b'\'') {
                        self.i += 1;
                    }
                }
                b'"' => {
                    self.i += 1;
                    while let Some(c) = self.peek() {
                        if c == b'\\' {
                            self.i += 1;
                        } else if c == b'"' {
                            break;
                        }
                        self.i += 1;
                    }
                }
                b'\\' => self.i += 1,
                c if c == open => depth += 1,
                c if c == close => {
                    depth -= 1;
                    if depth == 0 {
                        let body = self.src[start..self.i].to_string();
                        self.i += 1;
                        return Ok(body);
                    }
                }
                _ => {}
            }
            self.i += 1;
        }
        Err(SyntaxError("unterminated quoted string".into()))
    }

    /// `$…` at `self.i` (just after the `$`).
    fn dollar(&mut self, quoted: bool) -> Result<Part, SyntaxError> {
        match self.peek() {
            Some(b'(') if self.s.get(self.i + 1) == Some(&b'(') => {
                self.i += 2;
                let inner = self.balanced(b'(', b')')?;
                // The second `)`.
                if self.peek() == Some(b')') {
                    self.i += 1;
                }
                Ok(Part::Arith { expr: inner, quoted })
            }
            Some(b'(') => {
                self.i += 1;
                let src = self.balanced(b'(', b')')?;
                Ok(Part::Command { src, quoted })
            }
            Some(b'{') => {
                self.i += 1;
                let inner = self.balanced(b'{', b'}')?;
                if let Some(name) = inner.strip_prefix('#') {
                    return Ok(Part::Param {
                        name: name.to_string(),
                        quoted,
                        default: Some((ParamOp::Length, Word::default())),
                    });
                }
                for (sep, op) in [
                    (":-", ParamOp::Default),
                    (":=", ParamOp::Assign),
                    (":+", ParamOp::Alternative),
                    ("-", ParamOp::Default),
                    ("=", ParamOp::Assign),
                    ("+", ParamOp::Alternative),
                ] {
                    if let Some((name, rest)) = inner.split_once(sep) {
                        if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                            let w = lex_word_text(rest)?;
                            return Ok(Part::Param {
                                name: name.to_string(),
                                quoted,
                                default: Some((op, w)),
                            });
                        }
                    }
                }
                Ok(Part::Param {
                    name: inner,
                    quoted,
                    default: None,
                })
            }
            Some(c) if c.is_ascii_alphabetic() || c == b'_' => {
                let start = self.i;
                while self.peek().is_some_and(|c| c.is_ascii_alphanumeric() || c == b'_') {
                    self.i += 1;
                }
                Ok(Part::Param {
                    name: self.src[start..self.i].to_string(),
                    quoted,
                    default: None,
                })
            }
            Some(c) if c.is_ascii_digit() || b"?#$@*!-".contains(&c) => {
                self.i += 1;
                Ok(Part::Param {
                    name: (c as char).to_string(),
                    quoted,
                    default: None,
                })
            }
            _ => Ok(if quoted {
                Part::Quoted("$".into())
            } else {
                Part::Lit("$".into())
            }),
        }
    }

    fn word(&mut self) -> Result<Word, SyntaxError> {
        let mut parts: Vec<Part> = Vec::new();
        let mut lit = String::new();
        let flush = |lit: &mut String, parts: &mut Vec<Part>| {
            if !lit.is_empty() {
                parts.push(Part::Lit(std::mem::take(lit)));
            }
        };
        while let Some(c) = self.peek() {
            match c {
                b' ' | b'\t' | b'\n' | b';' | b'&' | b'|' | b'(' | b')' | b'<' | b'>' => break,
                b'\\' => {
                    self.i += 1;
                    match self.peek() {
                        Some(b'\n') => self.i += 1,
                        Some(_) => {
                            flush(&mut lit, &mut parts);
                            let ch = self.src[self.i..].chars().next().unwrap_or(' ');
                            self.i += ch.len_utf8();
                            parts.push(Part::Quoted(ch.to_string()));
                        }
                        None => {}
                    }
                }
                b'\'' => {
                    flush(&mut lit, &mut parts);
                    self.i += 1;
                    let start = self.i;
                    while self.peek().is_some_and(|c| c != b'\'') {
                        self.i += 1;
                    }
                    if self.peek().is_none() {
                        return Err(SyntaxError("unterminated quoted string".into()));
                    }
                    parts.push(Part::Quoted(self.src[start..self.i].to_string()));
                    self.i += 1;
                }
                b'"' => {
                    flush(&mut lit, &mut parts);
                    self.i += 1;
                    let mut q = String::new();
                    // `""` is an empty argument, not nothing.
                    parts.push(Part::Quoted(String::new()));
                    loop {
                        match self.peek() {
                            None => return Err(SyntaxError("unterminated quoted string".into())),
                            Some(b'"') => {
                                self.i += 1;
                                break;
                            }
                            Some(b'\\') => {
                                self.i += 1;
                                match self.peek() {
                                    Some(c @ (b'$' | b'`' | b'"' | b'\\')) => {
                                        q.push(c as char);
                                        self.i += 1;
                                    }
                                    Some(b'\n') => self.i += 1,
                                    _ => q.push('\\'),
                                }
                            }
                            Some(b'$') => {
                                self.i += 1;
                                if !q.is_empty() {
                                    parts.push(Part::Quoted(std::mem::take(&mut q)));
                                }
                                parts.push(self.dollar(true)?);
                            }
                            Some(b'`') => {
                                self.i += 1;
                                if !q.is_empty() {
                                    parts.push(Part::Quoted(std::mem::take(&mut q)));
                                }
                                let start = self.i;
                                while self.peek().is_some_and(|c| c != b'`') {
                                    self.i += 1;
                                }
                                let src = self.src[start..self.i].to_string();
                                self.i += 1;
                                parts.push(Part::Command { src, quoted: true });
                            }
                            Some(_) => {
                                let ch = self.src[self.i..].chars().next().unwrap_or(' ');
                                q.push(ch);
                                self.i += ch.len_utf8();
                            }
                        }
                    }
                    if !q.is_empty() {
                        parts.push(Part::Quoted(q));
                    }
                }
                b'$' => {
                    flush(&mut lit, &mut parts);
                    self.i += 1;
                    parts.push(self.dollar(false)?);
                }
                b'`' => {
                    flush(&mut lit, &mut parts);
                    self.i += 1;
                    let start = self.i;
                    while self.peek().is_some_and(|c| c != b'`') {
                        self.i += 1;
                    }
                    let src = self.src[start..self.i].to_string();
                    self.i += 1;
                    parts.push(Part::Command { src, quoted: false });
                }
                _ => {
                    let ch = self.src[self.i..].chars().next().unwrap_or(' ');
                    lit.push(ch);
                    self.i += ch.len_utf8();
                }
            }
        }
        flush(&mut lit, &mut parts);
        Ok(Word(parts))
    }

    fn tokens(mut self) -> Result<Vec<Tok>, SyntaxError> {
        let mut out = Vec::new();
        loop {
            while self.peek().is_some_and(|c| c == b' ' || c == b'\t' || c == b'\r') {
                self.i += 1;
            }
            let Some(c) = self.peek() else { break };
            if c == b'#' {
                while self.peek().is_some_and(|c| c != b'\n') {
                    self.i += 1;
                }
                continue;
            }
            if c == b'\n' {
                self.i += 1;
                out.push(Tok::Newline);
                continue;
            }
            // Redirections, with an optional fd number right before.
            let fd_digit = c.is_ascii_digit() && matches!(self.s.get(self.i + 1), Some(b'>' | b'<'));
            if c == b'>' || c == b'<' || fd_digit || (c == b'&' && self.s.get(self.i + 1) == Some(&b'>')) {
                let (fd, both) = if fd_digit {
                    self.i += 1;
                    (c - b'0', false)
                } else if c == b'&' {
                    self.i += 1;
                    (1, true)
                } else {
                    (if c == b'<' { 0 } else { 1 }, false)
                };
                let op = self.peek().unwrap_or(b'>');
                self.i += 1;
                let kind = if op == b'<' {
                    RedirKind::In
                } else if self.peek() == Some(b'>') {
                    self.i += 1;
                    RedirKind::Append
                } else if self.peek() == Some(b'&') && self.s.get(self.i + 1).is_some_and(|d| d.is_ascii_digit()) {
                    let d = self.s[self.i + 1] - b'0';
                    self.i += 2;
                    RedirKind::Dup(d)
                } else {
                    RedirKind::Out
                };
                out.push(Tok::Redir(fd, kind));
                if both {
                    // `&>file`: stdout to the file, stderr to stdout.
                    out.push(Tok::Redir(2, RedirKind::Dup(1)));
                }
                continue;
            }
            if let Some(op) = OPS.iter().find(|op| self.src[self.i..].starts_with(**op)) {
                self.i += op.len();
                out.push(Tok::Op(op));
                continue;
            }
            let w = self.word()?;
            out.push(Tok::Word(w));
        }
        Ok(out)
    }
}

fn lex_word_text(s: &str) -> Result<Word, SyntaxError> {
    let mut lx = Lexer {
        s: s.as_bytes(),
        src: s,
        i: 0,
    };
    let mut parts = Vec::new();
    while lx.i < s.len() {
        let w = lx.word()?;
        parts.extend(w.0);
        if lx.i < s.len() {
            let ch = s[lx.i..].chars().next().unwrap_or(' ');
            parts.push(Part::Lit(ch.to_string()));
            lx.i += ch.len_utf8();
        }
    }
    Ok(Word(parts))
}

struct Parser {
    toks: Vec<Tok>,
    i: usize,
}

const RESERVED: &[&str] = &["then", "else", "elif", "fi", "do", "done", "esac", "}", "in"];

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.i)
    }
    fn peek_word(&self) -> Option<String> {
        match self.peek() {
            Some(Tok::Word(w)) => w.literal(),
            _ => None,
        }
    }
    fn unexpected(&self) -> SyntaxError {
        let what = match self.peek() {
            None => "end of file".to_string(),
            Some(Tok::Newline) => "newline".to_string(),
            Some(Tok::Op(o)) => format!("\"{o}\""),
            Some(Tok::Redir(..)) => "redirection".to_string(),
            Some(Tok::Word(w)) => format!("\"{}\"", w.literal().unwrap_or_default()),
        };
        SyntaxError(format!("syntax error: unexpected {what}"))
    }
    fn skip_newlines(&mut self) {
        while matches!(self.peek(), Some(Tok::Newline)) {
            self.i += 1;
        }
    }
    fn expect_word(&mut self, w: &str) -> Result<(), SyntaxError> {
        self.skip_newlines();
        if self.peek_word().as_deref() == Some(w) {
            self.i += 1;
            Ok(())
        } else {
            Err(self.unexpected())
        }
    }

    /// A list up to one of `stops` (reserved words) or the end.
    fn list(&mut self, stops: &[&str]) -> Result<Cmd, SyntaxError> {
        let mut items = Vec::new();
        loop {
            self.skip_newlines();
            match self.peek() {
                None => break,
                Some(Tok::Op(")")) | Some(Tok::Op(";;")) => break,
                Some(Tok::Word(w)) if w.literal().is_some_and(|l| stops.contains(&l.as_str())) => break,
                _ => {}
            }
            let c = self.and_or()?;
            match self.peek() {
                Some(Tok::Op("&")) => {
                    self.i += 1;
                    items.push(Cmd::Background(Box::new(c)));
                }
                Some(Tok::Op(";")) | Some(Tok::Newline) => {
                    self.i += 1;
                    items.push(c);
                }
                _ => {
                    items.push(c);
                    match self.peek() {
                        None | Some(Tok::Op(")")) | Some(Tok::Op(";;")) => {}
                        Some(Tok::Word(w)) if w.literal().is_some_and(|l| stops.contains(&l.as_str())) => {}
                        _ => return Err(self.unexpected()),
                    }
                }
            }
        }
        Ok(if items.len() == 1 {
            items.pop().unwrap_or(Cmd::Seq(Vec::new()))
        } else {
            Cmd::Seq(items)
        })
    }

    fn and_or(&mut self) -> Result<Cmd, SyntaxError> {
        let mut left = self.pipeline()?;
        loop {
            match self.peek() {
                Some(Tok::Op("&&")) => {
                    self.i += 1;
                    self.skip_newlines();
                    left = Cmd::And(Box::new(left), Box::new(self.pipeline()?));
                }
                Some(Tok::Op("||")) => {
                    self.i += 1;
                    self.skip_newlines();
                    left = Cmd::Or(Box::new(left), Box::new(self.pipeline()?));
                }
                _ => return Ok(left),
            }
        }
    }

    fn pipeline(&mut self) -> Result<Cmd, SyntaxError> {
        let bang = self.peek_word().as_deref() == Some("!");
        if bang {
            self.i += 1;
        }
        let mut cmds = vec![self.command()?];
        while matches!(self.peek(), Some(Tok::Op("|"))) {
            self.i += 1;
            self.skip_newlines();
            cmds.push(self.command()?);
        }
        let c = if cmds.len() == 1 {
            cmds.pop().unwrap_or(Cmd::Seq(Vec::new()))
        } else {
            Cmd::Pipeline(cmds)
        };
        Ok(if bang { Cmd::Not(Box::new(c)) } else { c })
    }

    fn redirs(&mut self, into: &mut Vec<Redir>) -> Result<(), SyntaxError> {
        while let Some(Tok::Redir(fd, kind)) = self.peek().cloned() {
            self.i += 1;
            let target = match (&kind, self.peek().cloned()) {
                (RedirKind::Dup(_), _) => Word::default(),
                (_, Some(Tok::Word(w))) => {
                    self.i += 1;
                    w
                }
                _ => return Err(self.unexpected()),
            };
            into.push(Redir { fd, kind, target });
        }
        Ok(())
    }

    fn command(&mut self) -> Result<Cmd, SyntaxError> {
        let kw = self.peek_word();
        let compound = match kw.as_deref() {
            Some("if") => {
                self.i += 1;
                let mut branches = Vec::new();
                let cond = self.list(&["then"])?;
                self.expect_word("then")?;
                let body = self.list(&["elif", "else", "fi"])?;
                branches.push((cond, body));
                let mut otherwise = None;
                loop {
                    self.skip_newlines();
                    match self.peek_word().as_deref() {
                        Some("elif") => {
                            self.i += 1;
                            let c = self.list(&["then"])?;
                            self.expect_word("then")?;
                            let b = self.list(&["elif", "else", "fi"])?;
                            branches.push((c, b));
                        }
                        Some("else") => {
                            self.i += 1;
                            otherwise = Some(Box::new(self.list(&["fi"])?));
                        }
                        Some("fi") => {
                            self.i += 1;
                            break;
                        }
                        _ => return Err(self.unexpected()),
                    }
                }
                Some(Cmd::If { branches, otherwise })
            }
            Some(w @ ("while" | "until")) => {
                let until = w == "until";
                self.i += 1;
                let cond = self.list(&["do"])?;
                self.expect_word("do")?;
                let body = self.list(&["done"])?;
                self.expect_word("done")?;
                Some(Cmd::Loop {
                    cond: Box::new(cond),
                    body: Box::new(body),
                    until,
                })
            }
            Some("for") => {
                self.i += 1;
                let var = self.peek_word().ok_or_else(|| self.unexpected())?;
                self.i += 1;
                let mut items = None;
                if matches!(self.peek(), Some(Tok::Op(";"))) {
                    self.i += 1;
                }
                self.skip_newlines();
                if self.peek_word().as_deref() == Some("in") {
                    self.i += 1;
                    let mut ws = Vec::new();
                    while let Some(Tok::Word(w)) = self.peek().cloned() {
                        self.i += 1;
                        ws.push(w);
                    }
                    items = Some(ws);
                    if matches!(self.peek(), Some(Tok::Op(";")) | Some(Tok::Newline)) {
                        self.i += 1;
                    }
                }
                self.expect_word("do")?;
                let body = self.list(&["done"])?;
                self.expect_word("done")?;
                Some(Cmd::For {
                    var,
                    items,
                    body: Box::new(body),
                })
            }
            Some("case") => {
                self.i += 1;
                let word = match self.peek().cloned() {
                    Some(Tok::Word(w)) => w,
                    _ => return Err(self.unexpected()),
                };
                self.i += 1;
                self.expect_word("in")?;
                let mut arms = Vec::new();
                loop {
                    self.skip_newlines();
                    if self.peek_word().as_deref() == Some("esac") {
                        self.i += 1;
                        break;
                    }
                    if matches!(self.peek(), Some(Tok::Op("("))) {
                        self.i += 1;
                    }
                    let mut pats = Vec::new();
                    loop {
                        match self.peek().cloned() {
                            Some(Tok::Word(w)) => {
                                self.i += 1;
                                pats.push(w);
                            }
                            _ => return Err(self.unexpected()),
                        }
                        match self.peek() {
                            Some(Tok::Op("|")) => self.i += 1,
                            Some(Tok::Op(")")) => {
                                self.i += 1;
                                break;
                            }
                            _ => return Err(self.unexpected()),
                        }
                    }
                    let body = self.list(&["esac"])?;
                    arms.push((pats, body));
                    if matches!(self.peek(), Some(Tok::Op(";;"))) {
                        self.i += 1;
                    }
                }
                Some(Cmd::Case { word, arms })
            }
            Some("{") => {
                self.i += 1;
                let body = self.list(&["}"])?;
                self.expect_word("}")?;
                Some(Cmd::Group {
                    body: Box::new(body),
                    subshell: false,
                    redirs: Vec::new(),
                })
            }
            Some(w) if RESERVED.contains(&w) => return Err(self.unexpected()),
            _ if matches!(self.peek(), Some(Tok::Op("("))) => {
                self.i += 1;
                let body = self.list(&[])?;
                if !matches!(self.peek(), Some(Tok::Op(")"))) {
                    return Err(self.unexpected());
                }
                self.i += 1;
                Some(Cmd::Group {
                    body: Box::new(body),
                    subshell: true,
                    redirs: Vec::new(),
                })
            }
            _ => None,
        };
        if let Some(mut c) = compound {
            let mut rs = Vec::new();
            self.redirs(&mut rs)?;
            if !rs.is_empty() {
                c = match c {
                    Cmd::Group {
                        body,
                        subshell,
                        mut redirs,
                    } => {
                        redirs.extend(rs);
                        Cmd::Group { body, subshell, redirs }
                    }
                    other => Cmd::Group {
                        body: Box::new(other),
                        subshell: false,
                        redirs: rs,
                    },
                };
            }
            return Ok(c);
        }
        let mut s = Simple::default();
        loop {
            match self.peek().cloned() {
                Some(Tok::Word(w)) => {
                    if s.words.is_empty() {
                        if let Some(Part::Lit(first)) = w.0.first() {
                            if let Some((name, rest)) = first.split_once('=') {
                                if !name.is_empty()
                                    && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                                    && !name.starts_with(|c: char| c.is_ascii_digit())
                                {
                                    let mut parts = vec![Part::Lit(rest.to_string())];
                                    parts.extend(w.0[1..].iter().cloned());
                                    s.assigns.push((name.to_string(), Word(parts)));
                                    self.i += 1;
                                    continue;
                                }
                            }
                        }
                    }
                    s.words.push(w);
                    self.i += 1;
                }
                Some(Tok::Redir(..)) => self.redirs(&mut s.redirs)?,
                _ => break,
            }
        }
        if s.words.is_empty() && s.assigns.is_empty() && s.redirs.is_empty() {
            return Err(self.unexpected());
        }
        Ok(Cmd::Simple(s))
    }
}

/// The line a shell prints for a syntax error, in its flavor's words (`sh: syntax error:
/// unterminated quoted string` from ash, `sh: 1: Syntax error: Unterminated quoted string` from
/// dash, `bash: -c: line 1: syntax error near unexpected token `done'`).
pub fn syntax_message(flavor: Flavor, argv0: &str, e: &SyntaxError) -> String {
    let rest = e.0.strip_prefix("syntax error: ").unwrap_or(&e.0);
    match flavor {
        Flavor::Ash => format!("{argv0}: syntax error: {rest}"),
        Flavor::Dash => {
            let text = match rest.strip_prefix("unexpected ") {
                Some(what) => format!("{what} unexpected"),
                None => {
                    let mut c = rest.chars();
                    c.next()
                        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
                        .unwrap_or_default()
                }
            };
            format!("{argv0}: 1: Syntax error: {text}")
        }
        Flavor::Bash => match rest.strip_prefix("unexpected ") {
            Some(what) => format!(
                "{argv0}: -c: line 1: syntax error near unexpected token `{}'",
                what.trim_matches('"')
            ),
            None => format!("{argv0}: -c: line 1: unexpected EOF while looking for matching `\"'"),
        },
    }
}

/// Parses a script.
pub fn parse(src: &str) -> Result<Cmd, SyntaxError> {
    let toks = Lexer {
        s: src.as_bytes(),
        src,
        i: 0,
    }
    .tokens()?;
    let mut p = Parser { toks, i: 0 };
    let c = p.list(&[])?;
    if p.i < p.toks.len() {
        return Err(p.unexpected());
    }
    Ok(c)
}

// ------------------------------------------------------------------------------------------------
// Bytecode
// ------------------------------------------------------------------------------------------------

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Op {
    Run(Simple),
    Pipe(Vec<Simple>),
    Not,
    /// Jump when the last status is zero.
    JumpIfOk(usize),
    JumpIfFail(usize),
    Jump(usize),
    SetStatus(i32),
    ForBegin {
        items: Option<Vec<Word>>,
    },
    /// Assigns the next item to `var`, or pops the iterator and jumps to `end`.
    ForNext {
        var: String,
        end: usize,
    },
    /// `break` out of a `for` (pops its iterator) / a `while`.
    Break {
        end: usize,
        pop_iter: bool,
    },
    CaseTest {
        word: Word,
        patterns: Vec<Word>,
    },
    RedirPush(Vec<Redir>),
    RedirPop,
    SubshellBegin,
    SubshellEnd,
    /// Background job: runs at once without waiting (its sleeps are skipped).
    Detach(Box<Cmd>),
}

#[derive(Default)]
struct Compiler {
    ops: Vec<Op>,
    /// (continue target, break jump indexes to patch, is a `for`)
    loops: Vec<(usize, Vec<usize>, bool)>,
}

impl Compiler {
    fn emit(&mut self, op: Op) -> usize {
        self.ops.push(op);
        self.ops.len() - 1
    }
    fn patch(&mut self, at: usize, target: usize) {
        match &mut self.ops[at] {
            Op::JumpIfOk(t) | Op::JumpIfFail(t) | Op::Jump(t) => *t = target,
            Op::ForNext { end, .. } | Op::Break { end, .. } => *end = target,
            _ => {}
        }
    }

    fn compile(&mut self, c: &Cmd) {
        match c {
            Cmd::Simple(s) => {
                let first = s.words.first().and_then(Word::literal);
                match first.as_deref() {
                    Some(k @ ("break" | "continue")) if s.assigns.is_empty() && !self.loops.is_empty() => {
                        let levels = s
                            .words
                            .get(1)
                            .and_then(Word::literal)
                            .and_then(|n| n.parse::<usize>().ok())
                            .unwrap_or(1)
                            .max(1);
                        let depth = self.loops.len().saturating_sub(levels);
                        // Leaving inner `for` loops drops their iterators.
                        let inner_fors = self.loops[depth + 1..].iter().filter(|l| l.2).count();
                        for _ in 0..inner_fors {
                            let at = self.emit(Op::Break { end: 0, pop_iter: true });
                            let next = at + 1;
                            self.patch(at, next);
                        }
                        if k == "break" {
                            let is_for = self.loops[depth].2;
                            let at = self.emit(Op::Break {
                                end: 0,
                                pop_iter: is_for,
                            });
                            self.loops[depth].1.push(at);
                        } else {
                            let target = self.loops[depth].0;
                            self.emit(Op::Jump(target));
                        }
                    }
                    _ => {
                        self.emit(Op::Run(s.clone()));
                    }
                }
            }
            Cmd::Pipeline(cmds) => {
                let simples: Vec<Simple> = cmds
                    .iter()
                    .map(|c| match c {
                        Cmd::Simple(s) => s.clone(),
                        // Compound commands in pipelines run as `sh -c` children would; rare in
                        // pod specs, so they are approximated by their first simple command.
                        _ => Simple::default(),
                    })
                    .collect();
                self.emit(Op::Pipe(simples));
            }
            Cmd::Not(c) => {
                self.compile(c);
                self.emit(Op::Not);
            }
            Cmd::And(a, b) => {
                self.compile(a);
                let j = self.emit(Op::JumpIfFail(0));
                self.compile(b);
                let end = self.ops.len();
                self.patch(j, end);
            }
            Cmd::Or(a, b) => {
                self.compile(a);
                let j = self.emit(Op::JumpIfOk(0));
                self.compile(b);
                let end = self.ops.len();
                self.patch(j, end);
            }
            Cmd::Seq(cs) => {
                if cs.is_empty() {
                    self.emit(Op::SetStatus(0));
                }
                for c in cs {
                    self.compile(c);
                }
            }
            Cmd::Background(c) => {
                self.emit(Op::Detach(c.clone()));
            }
            Cmd::If { branches, otherwise } => {
                let mut ends = Vec::new();
                for (cond, body) in branches {
                    self.compile(cond);
                    let skip = self.emit(Op::JumpIfFail(0));
                    self.compile(body);
                    ends.push(self.emit(Op::Jump(0)));
                    let next = self.ops.len();
                    self.patch(skip, next);
                }
                match otherwise {
                    Some(e) => self.compile(e),
                    None => {
                        self.emit(Op::SetStatus(0));
                    }
                }
                let end = self.ops.len();
                for e in ends {
                    self.patch(e, end);
                }
            }
            Cmd::Loop { cond, body, until } => {
                let top = self.ops.len();
                self.loops.push((top, Vec::new(), false));
                self.compile(cond);
                let exit = if *until {
                    self.emit(Op::JumpIfOk(0))
                } else {
                    self.emit(Op::JumpIfFail(0))
                };
                self.compile(body);
                self.emit(Op::Jump(top));
                let end = self.emit(Op::SetStatus(0));
                self.patch(exit, end);
                let (_, breaks, _) = self.loops.pop().unwrap_or_default();
                for b in breaks {
                    self.patch(b, end);
                }
            }
            Cmd::For { var, items, body } => {
                self.emit(Op::ForBegin { items: items.clone() });
                let top = self.emit(Op::ForNext {
                    var: var.clone(),
                    end: 0,
                });
                self.loops.push((top, Vec::new(), true));
                self.compile(body);
                self.emit(Op::Jump(top));
                let end = self.emit(Op::SetStatus(0));
                self.patch(top, end);
                let (_, breaks, _) = self.loops.pop().unwrap_or_default();
                for b in breaks {
                    self.patch(b, end);
                }
            }
            Cmd::Case { word, arms } => {
                let mut ends = Vec::new();
                for (pats, body) in arms {
                    self.emit(Op::CaseTest {
                        word: word.clone(),
                        patterns: pats.clone(),
                    });
                    let skip = self.emit(Op::JumpIfFail(0));
                    self.compile(body);
                    ends.push(self.emit(Op::Jump(0)));
                    let next = self.ops.len();
                    self.patch(skip, next);
                }
                self.emit(Op::SetStatus(0));
                let end = self.ops.len();
                for e in ends {
                    self.patch(e, end);
                }
            }
            Cmd::Group { body, subshell, redirs } => {
                if *subshell {
                    self.emit(Op::SubshellBegin);
                }
                if !redirs.is_empty() {
                    self.emit(Op::RedirPush(redirs.clone()));
                }
                self.compile(body);
                if !redirs.is_empty() {
                    self.emit(Op::RedirPop);
                }
                if *subshell {
                    self.emit(Op::SubshellEnd);
                }
            }
        }
    }
}

pub fn compile(c: &Cmd) -> Vec<Op> {
    let mut comp = Compiler::default();
    comp.compile(c);
    comp.ops
}

// ------------------------------------------------------------------------------------------------
// Execution
// ------------------------------------------------------------------------------------------------

/// Why [`Process::run`] returned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Yield {
    /// Resume after so many milliseconds.
    Sleep(u64),
    /// Waits for ever (`sleep infinity`, `tail -f`, a daemon in the foreground) until signalled.
    Block,
    /// The script ended with this status.
    Exit(i32),
    /// It ran its whole step budget without sleeping (a busy loop): resume a little later.
    Busy,
}

/// How error messages name the shell: ash (`sh: foo: not found`), dash (`/bin/sh: 1: foo: not
/// found`) or bash (`bash: line 1: foo: command not found`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flavor {
    Ash,
    Dash,
    Bash,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Sink {
    File { path: String },
    Stderr,
    Stdout,
    Null,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Saved {
    vars: BTreeMap<String, String>,
    env: Vec<(String, String)>,
    cwd: String,
}

/// Ops one `run` may execute before yielding [`Yield::Busy`].
const STEP_BUDGET: usize = 4000;

/// A running script: its program, where it is, and its variables.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Process {
    prog: Arc<Vec<Op>>,
    pc: usize,
    /// The environment, in order (what `env` prints).
    pub env: Vec<(String, String)>,
    /// Shell variables that are not exported.
    pub vars: BTreeMap<String, String>,
    /// `$0`, `$1`, …
    pub args: Vec<String>,
    pub status: i32,
    pub cwd: String,
    pub flavor: Flavor,
    iters: Vec<Vec<String>>,
    redirs: Vec<Vec<(u8, Sink)>>,
    saved: Vec<Saved>,
    rand: u64,
    /// Set once the script has exited.
    pub exited: Option<i32>,
    /// The last command ran through `exec` (PID 1 became that program).
    pub execed: bool,
    /// What the script reads on stdin (`kubectl exec -i`), consumed by the first reader.
    pub stdin: Option<String>,
}

/// How a shell was invoked, from its argv.
pub enum ShellInvocation {
    /// `sh -c 'script' [name args…]`
    Script { script: String, args: Vec<String> },
    /// `sh` alone: reads commands from stdin.
    Stdin,
    /// `sh file.sh`
    File(String),
}

/// Recognises `sh`/`bash`/`ash` argv forms (`sh -c …`, `/bin/sh -ec …`).
pub fn shell_invocation(argv: &[String]) -> Option<(Flavor, ShellInvocation)> {
    let base = argv.first()?.rsplit('/').next()?;
    let flavor = match base {
        "sh" | "ash" => Flavor::Ash,
        "bash" => Flavor::Bash,
        "dash" => Flavor::Dash,
        _ => return None,
    };
    let mut i = 1;
    while let Some(a) = argv.get(i) {
        if a.starts_with('-') && a.len() > 1 && !a.starts_with("--") {
            if a.contains('c') {
                let script = argv.get(i + 1).cloned().unwrap_or_default();
                let mut args: Vec<String> = argv.get(i + 2..).map(|s| s.to_vec()).unwrap_or_default();
                if args.is_empty() {
                    args.push(argv[0].clone());
                }
                return Some((flavor, ShellInvocation::Script { script, args }));
            }
            i += 1;
            continue;
        }
        if a == "--" {
            i += 1;
            continue;
        }
        return Some((flavor, ShellInvocation::File(a.clone())));
    }
    Some((flavor, ShellInvocation::Stdin))
}

impl Process {
    /// A process running `script` (`$0` = `args[0]`).
    pub fn script(
        script: &str,
        args: Vec<String>,
        env: Vec<(String, String)>,
        cwd: &str,
        flavor: Flavor,
    ) -> Result<Process, SyntaxError> {
        let ast = parse(script)?;
        Ok(Process::from_ops(compile(&ast), args, env, cwd, flavor))
    }

    /// A process running one command with literal arguments (`command: ["sleep", "3600"]`).
    pub fn argv(argv: &[String], env: Vec<(String, String)>, cwd: &str) -> Process {
        let s = Simple {
            assigns: Vec::new(),
            words: argv.iter().map(|a| Word(vec![Part::Quoted(a.clone())])).collect(),
            redirs: Vec::new(),
        };
        Process::from_ops(vec![Op::Run(s)], vec!["sh".into()], env, cwd, Flavor::Ash)
    }

    fn from_ops(ops: Vec<Op>, args: Vec<String>, env: Vec<(String, String)>, cwd: &str, flavor: Flavor) -> Process {
        let seed = crate::names::stable_hash(&[&args.join(" "), cwd]);
        Process {
            prog: Arc::new(ops),
            pc: 0,
            env,
            vars: BTreeMap::new(),
            args,
            status: 0,
            cwd: cwd.to_string(),
            flavor,
            iters: Vec::new(),
            redirs: Vec::new(),
            saved: Vec::new(),
            rand: seed,
            exited: None,
            execed: false,
            stdin: None,
        }
    }

    /// Replaces the program with another script in the same shell (an interactive session's
    /// next line), keeping variables and the working directory.
    pub fn load(&mut self, script: &str) -> Result<(), SyntaxError> {
        let ast = parse(script)?;
        self.prog = Arc::new(compile(&ast));
        self.pc = 0;
        self.exited = None;
        Ok(())
    }

    pub fn var(&self, name: &str) -> Option<String> {
        if let Some(v) = self.vars.get(name) {
            return Some(v.clone());
        }
        self.env.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.clone())
    }

    fn set_var(&mut self, name: &str, value: String) {
        if let Some(e) = self.env.iter_mut().find(|(k, _)| k == name) {
            e.1 = value;
        } else {
            self.vars.insert(name.to_string(), value);
        }
    }

    fn export(&mut self, name: &str, value: Option<String>) {
        let v = value
            .or_else(|| self.vars.remove(name))
            .or_else(|| self.var(name))
            .unwrap_or_default();
        self.vars.remove(name);
        if let Some(e) = self.env.iter_mut().find(|(k, _)| k == name) {
            e.1 = v;
        } else {
            self.env.push((name.to_string(), v));
        }
    }

    /// The name in error messages: `sh`, `/bin/sh`, `bash`.
    fn me(&self) -> String {
        self.args.first().cloned().unwrap_or_else(|| "sh".into())
    }

    /// A shell error line in the flavor's wording (`line` only matters for dash/bash).
    fn shell_error(&self, sys: &mut dyn Sys, msg: &str) {
        let line = match self.flavor {
            Flavor::Ash => format!("{}: {msg}\n", self.me()),
            Flavor::Dash => format!("{}: 1: {msg}\n", self.me()),
            Flavor::Bash => format!("{}: line 1: {msg}\n", self.me()),
        };
        self.emit(sys, 2, &line);
    }

    fn not_found(&self, sys: &mut dyn Sys, name: &str) {
        let msg = match self.flavor {
            Flavor::Bash => format!("{name}: command not found"),
            _ => format!("{name}: not found"),
        };
        self.shell_error(sys, &msg);
    }

    /// Writes to fd 1 or 2, following the active redirections and captures.
    fn emit(&self, sys: &mut dyn Sys, fd: u8, text: &str) {
        if text.is_empty() {
            return;
        }
        let mut fd = fd;
        for level in self.redirs.iter().rev() {
            if let Some((_, sink)) = level.iter().rev().find(|(f, _)| *f == fd) {
                match sink {
                    Sink::File { path } => {
                        let _ = sys.fs().write(path, text, true);
                        return;
                    }
                    Sink::Null => return,
                    Sink::Stderr => fd = 2,
                    Sink::Stdout => fd = 1,
                }
                break;
            }
        }
        if fd == 1 {
            sys.stdout(text);
        } else {
            sys.stderr(text);
        }
    }

    /// Runs until the script sleeps, blocks, exits or uses up its step budget.
    pub fn run(&mut self, sys: &mut dyn Sys) -> Yield {
        if let Some(code) = self.exited {
            return Yield::Exit(code);
        }
        let mut budget = STEP_BUDGET;
        while self.pc < self.prog.len() {
            if budget == 0 {
                return Yield::Busy;
            }
            budget -= 1;
            let prog = self.prog.clone();
            let op = &prog[self.pc];
            self.pc += 1;
            match op {
                Op::Run(s) => {
                    let input = self.stdin.take();
                    if let Some(y) = self.run_simple(sys, s, input) {
                        return y;
                    }
                }
                Op::Pipe(cmds) => self.run_pipeline(sys, cmds),
                Op::Not => self.status = i32::from(self.status == 0),
                Op::JumpIfOk(t) => {
                    if self.status == 0 {
                        self.pc = *t;
                    }
                }
                Op::JumpIfFail(t) => {
                    if self.status != 0 {
                        self.pc = *t;
                    }
                }
                Op::Jump(t) => self.pc = *t,
                Op::SetStatus(s) => self.status = *s,
                Op::ForBegin { items } => {
                    let list = match items {
                        Some(ws) => {
                            let mut v = Vec::new();
                            for w in ws {
                                v.extend(self.expand(sys, w));
                            }
                            v
                        }
                        None => self.args.iter().skip(1).cloned().collect(),
                    };
                    self.iters.push(list.into_iter().rev().collect());
                }
                Op::ForNext { var, end } => match self.iters.last_mut().and_then(|it| it.pop()) {
                    Some(v) => self.set_var(var, v),
                    None => {
                        self.iters.pop();
                        self.pc = *end;
                    }
                },
                Op::Break { end, pop_iter } => {
                    if *pop_iter {
                        self.iters.pop();
                    }
                    self.pc = *end;
                }
                Op::CaseTest { word, patterns } => {
                    let value = self.expand_joined(sys, word);
                    let hit = patterns.iter().any(|p| {
                        let pat = self.expand_joined(sys, p);
                        glob_match(&pat, &value)
                    });
                    self.status = if hit { 0 } else { 1 };
                }
                Op::RedirPush(rs) => {
                    let level = self.open_redirs(sys, rs);
                    match level {
                        Ok(l) => self.redirs.push(l),
                        Err(()) => {
                            self.redirs.push(Vec::new());
                            self.status = 1;
                        }
                    }
                }
                Op::RedirPop => {
                    self.redirs.pop();
                }
                Op::SubshellBegin => self.saved.push(Saved {
                    vars: self.vars.clone(),
                    env: self.env.clone(),
                    cwd: self.cwd.clone(),
                }),
                Op::SubshellEnd => {
                    if let Some(s) = self.saved.pop() {
                        self.vars = s.vars;
                        self.env = s.env;
                        self.cwd = s.cwd;
                    }
                }
                Op::Detach(c) => {
                    // A background job runs until it first sleeps or blocks; kubelab does not
                    // keep more than one process per container running.
                    let mut child = self.clone();
                    child.prog = Arc::new(compile(c));
                    child.pc = 0;
                    child.exited = None;
                    let _ = child.run(sys);
                    self.status = 0;
                }
            }
        }
        let code = self.status;
        self.exited = Some(code);
        Yield::Exit(code)
    }

    /// Runs to completion, treating sleeps as instant (command substitutions, background jobs,
    /// probes and hooks measure their own time separately).
    pub fn run_to_end(&mut self, sys: &mut dyn Sys) -> i32 {
        for _ in 0..64 {
            match self.run(sys) {
                Yield::Exit(c) => return c,
                Yield::Block => return self.status,
                Yield::Sleep(_) | Yield::Busy => {}
            }
        }
        self.status
    }

    /// `$(…)`: runs `src` in a copy of this shell and returns its stdout.
    fn capture_out(&mut self, sys: &mut dyn Sys, src: &str) -> String {
        let Ok(ast) = parse(src) else {
            self.status = 2;
            return String::new();
        };
        let mut child = self.clone();
        child.prog = Arc::new(compile(&ast));
        child.pc = 0;
        child.exited = None;
        child.redirs.clear();
        let mut cap = Capture {
            inner: sys,
            out: String::new(),
        };
        let status = child.run_to_end(&mut cap);
        self.status = status;
        let mut out = cap.out;
        while out.ends_with('\n') {
            out.pop();
        }
        out
    }

    fn param(&mut self, sys: &mut dyn Sys, name: &str) -> Option<String> {
        match name {
            "?" => Some(self.status.to_string()),
            "$" => Some("1".into()),
            "!" => Some(String::new()),
            "-" => Some(String::new()),
            "#" => Some(self.args.len().saturating_sub(1).to_string()),
            "@" | "*" => Some(self.args.iter().skip(1).cloned().collect::<Vec<_>>().join(" ")),
            "RANDOM" => {
                self.rand = self
                    .rand
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                Some(((self.rand >> 33) % 32768).to_string())
            }
            "PWD" => Some(self.var("PWD").unwrap_or_else(|| self.cwd.clone())),
            "HOSTNAME" => Some(self.var("HOSTNAME").unwrap_or_else(|| sys.hostname())),
            n if n.chars().all(|c| c.is_ascii_digit()) => {
                let i: usize = n.parse().unwrap_or(0);
                self.args.get(i).cloned()
            }
            n => self.var(n),
        }
    }

    /// Expands a word into fields (field splitting and globbing on unquoted parts).
    pub fn expand(&mut self, sys: &mut dyn Sys, w: &Word) -> Vec<String> {
        // Each piece: (text, splittable, globbable)
        let mut pieces: Vec<(String, bool, bool)> = Vec::new();
        for p in &w.0 {
            match p {
                Part::Lit(t) => pieces.push((t.clone(), false, true)),
                Part::Quoted(t) => pieces.push((t.clone(), false, false)),
                Part::Param { name, quoted, default } => {
                    let v = self.param(sys, name);
                    let text = match default {
                        None => v.unwrap_or_default(),
                        Some((ParamOp::Length, _)) => v.unwrap_or_default().chars().count().to_string(),
                        Some((ParamOp::Default, d)) => match v.filter(|s| !s.is_empty()) {
                            Some(s) => s,
                            None => self.expand_joined(sys, d),
                        },
                        Some((ParamOp::Assign, d)) => match v.filter(|s| !s.is_empty()) {
                            Some(s) => s,
                            None => {
                                let s = self.expand_joined(sys, d);
                                self.set_var(name, s.clone());
                                s
                            }
                        },
                        Some((ParamOp::Alternative, d)) => match v.filter(|s| !s.is_empty()) {
                            Some(_) => self.expand_joined(sys, d),
                            None => String::new(),
                        },
                    };
                    pieces.push((text, !quoted, false));
                }
                Part::Command { src, quoted } => {
                    let out = self.capture_out(sys, src);
                    pieces.push((out, !quoted, false));
                }
                Part::Arith { expr, quoted } => {
                    let expanded = {
                        let w = lex_word_text(expr).unwrap_or_default();
                        self.expand_joined(sys, &w)
                    };
                    let v = match arith(&expanded, self) {
                        Ok(n) => n.to_string(),
                        Err(e) => {
                            self.shell_error(sys, &format!("arithmetic syntax error{e}"));
                            "0".into()
                        }
                    };
                    pieces.push((v, !quoted, false));
                }
            }
        }
        // Field splitting.
        let mut fields: Vec<(String, bool)> = Vec::new();
        let mut cur = String::new();
        let mut cur_glob = false;
        let mut have = false;
        for (text, split, glob) in pieces {
            if split {
                let mut first = true;
                for (i, f) in text.split([' ', '\t', '\n']).enumerate() {
                    if i > 0 && !first && (have || !cur.is_empty()) {
                        fields.push((std::mem::take(&mut cur), cur_glob));
                        cur_glob = false;
                        have = false;
                    }
                    if f.is_empty() {
                        if i > 0 && (have || !cur.is_empty()) {
                            fields.push((std::mem::take(&mut cur), cur_glob));
                            cur_glob = false;
                            have = false;
                        }
                        continue;
                    }
                    first = false;
                    cur.push_str(f);
                    have = true;
                }
            } else {
                cur.push_str(&text);
                cur_glob |= glob && (text.contains('*') || text.contains('?') || text.contains('['));
                have = true;
            }
        }
        if have || !cur.is_empty() {
            fields.push((cur, cur_glob));
        }
        let mut out = Vec::new();
        for (f, g) in fields {
            if g {
                let matches = self.glob(sys, &f);
                if matches.is_empty() {
                    out.push(f);
                } else {
                    out.extend(matches);
                }
            } else {
                out.push(f);
            }
        }
        if out.is_empty()
            && w.is_quoted_anywhere()
            && !w.0.iter().any(|p| {
                matches!(
                    p,
                    Part::Param { quoted: false, .. } | Part::Command { quoted: false, .. }
                )
            })
        {
            out.push(String::new());
        }
        out
    }

    fn expand_joined(&mut self, sys: &mut dyn Sys, w: &Word) -> String {
        let mut s = String::new();
        for p in &w.0 {
            let single = Word(vec![match p {
                Part::Param { name, default, .. } => Part::Param {
                    name: name.clone(),
                    quoted: true,
                    default: default.clone(),
                },
                Part::Command { src, .. } => Part::Command {
                    src: src.clone(),
                    quoted: true,
                },
                Part::Arith { expr, .. } => Part::Arith {
                    expr: expr.clone(),
                    quoted: true,
                },
                Part::Lit(t) => Part::Quoted(t.clone()),
                other => other.clone(),
            }]);
            s.push_str(&self.expand(sys, &single).join(""));
        }
        s
    }

    /// Pathname expansion of one field.
    fn glob(&self, sys: &mut dyn Sys, pattern: &str) -> Vec<String> {
        let abs = pattern.starts_with('/');
        let base = if abs { "/".to_string() } else { self.cwd.clone() };
        let segs: Vec<&str> = pattern.split('/').filter(|s| !s.is_empty()).collect();
        let mut paths: Vec<(String, String)> = vec![(base, String::new())];
        for seg in segs {
            let mut next = Vec::new();
            for (dir, shown) in &paths {
                let join = |d: &str, n: &str| {
                    if d == "/" {
                        format!("/{n}")
                    } else {
                        format!("{d}/{n}")
                    }
                };
                let shown_join = |s: &str, n: &str| {
                    if s.is_empty() {
                        if abs {
                            format!("/{n}")
                        } else {
                            n.to_string()
                        }
                    } else {
                        format!("{s}/{n}")
                    }
                };
                if seg.contains(['*', '?', '[']) {
                    let names = sys.fs().list(dir).unwrap_or_default();
                    for n in names {
                        if (!n.starts_with('.') || seg.starts_with('.')) && glob_match(seg, &n) {
                            next.push((join(dir, &n), shown_join(shown, &n)));
                        }
                    }
                } else {
                    let p = join(dir, seg);
                    if sys.fs().exists(&p) {
                        next.push((p, shown_join(shown, seg)));
                    }
                }
            }
            paths = next;
        }
        let mut out: Vec<String> = paths.into_iter().map(|(_, s)| s).collect();
        out.compact_sort();
        out
    }

    /// Opens redirections: Err when a target cannot be created (the command does not run).
    fn open_redirs(&mut self, sys: &mut dyn Sys, rs: &[Redir]) -> Result<Vec<(u8, Sink)>, ()> {
        let mut level = Vec::new();
        for r in rs {
            match &r.kind {
                RedirKind::Dup(to) => {
                    let sink = if *to == 2 { Sink::Stderr } else { Sink::Stdout };
                    // `2>&1` after `>file` sends stderr to the same file.
                    let resolved = level
                        .iter()
                        .rev()
                        .find(|(f, _): &&(u8, Sink)| *f == *to)
                        .map(|(_, s)| s.clone())
                        .unwrap_or(sink);
                    level.push((r.fd, resolved));
                }
                RedirKind::In => {}
                RedirKind::Out | RedirKind::Append => {
                    let target = self.expand_joined(sys, &r.target);
                    if target == "/dev/null" {
                        level.push((r.fd, Sink::Null));
                        continue;
                    }
                    if target == "/dev/stdout" || target == "/proc/1/fd/1" {
                        level.push((r.fd, Sink::Stdout));
                        continue;
                    }
                    if target == "/dev/stderr" || target == "/proc/1/fd/2" {
                        level.push((r.fd, Sink::Stderr));
                        continue;
                    }
                    let path = vfs::normalize(&self.cwd, &target);
                    let res = if r.kind == RedirKind::Out {
                        sys.fs().write(&path, "", false)
                    } else {
                        let exists = sys.fs().exists(&path);
                        if exists {
                            if sys.fs().is_dir(&path) {
                                Err(vfs::FsError::IsDir)
                            } else {
                                Ok(())
                            }
                        } else {
                            sys.fs().write(&path, "", false)
                        }
                    };
                    if let Err(e) = res {
                        let msg = match (self.flavor, e) {
                            (Flavor::Ash, vfs::FsError::NotFound) => {
                                format!("can't create {target}: nonexistent directory")
                            }
                            (Flavor::Ash, e) => format!("can't create {target}: {}", e.text()),
                            (Flavor::Dash, vfs::FsError::NotFound) => {
                                format!("cannot create {target}: Directory nonexistent")
                            }
                            (Flavor::Dash, e) => format!("cannot create {target}: {}", e.text()),
                            (Flavor::Bash, e) => format!("{target}: {}", e.text()),
                        };
                        self.shell_error(sys, &msg);
                        return Err(());
                    }
                    level.push((r.fd, Sink::File { path }));
                }
            }
        }
        Ok(level)
    }

    fn stdin_from(&mut self, sys: &mut dyn Sys, rs: &[Redir]) -> Result<Option<String>, ()> {
        let mut input = None;
        for r in rs.iter().filter(|r| r.kind == RedirKind::In) {
            let target = self.expand_joined(sys, &r.target);
            let path = vfs::normalize(&self.cwd, &target);
            match sys.fs().read(&path) {
                Ok(c) => input = Some(c.to_string()),
                Err(e) => {
                    let msg = match self.flavor {
                        Flavor::Ash => format!("can't open '{target}': {}", e.text()),
                        Flavor::Dash => format!("cannot open {target}: {}", e.text()),
                        Flavor::Bash => format!("{target}: {}", e.text()),
                    };
                    self.shell_error(sys, &msg);
                    return Err(());
                }
            }
        }
        Ok(input)
    }

    /// Runs one simple command; `Some` when the process must yield.
    fn run_simple(&mut self, sys: &mut dyn Sys, s: &Simple, stdin: Option<String>) -> Option<Yield> {
        let mut argv = Vec::new();
        for w in &s.words {
            argv.extend(self.expand(sys, w));
        }
        let mut assigns = Vec::new();
        for (k, w) in &s.assigns {
            let v = self.expand_joined(sys, w);
            assigns.push((k.clone(), v));
        }
        if argv.is_empty() {
            let status = self.status;
            for (k, v) in assigns {
                self.set_var(&k, v);
            }
            // `x=$(false)` keeps the substitution's status.
            self.status = if s
                .assigns
                .iter()
                .any(|(_, w)| w.0.iter().any(|p| matches!(p, Part::Command { .. })))
            {
                status
            } else {
                0
            };
            if !s.redirs.is_empty() {
                if let Ok(level) = self.open_redirs(sys, &s.redirs) {
                    drop(level);
                }
            }
            return None;
        }
        let level = match self.open_redirs(sys, &s.redirs) {
            Ok(l) => l,
            Err(()) => {
                self.status = if self.flavor == Flavor::Bash { 1 } else { 2 };
                return None;
            }
        };
        let stdin = match self.stdin_from(sys, &s.redirs) {
            Ok(Some(i)) => Some(i),
            Ok(None) => stdin,
            Err(()) => {
                self.status = if self.flavor == Flavor::Bash { 1 } else { 2 };
                return None;
            }
        };
        self.redirs.push(level);
        let y = self.dispatch(sys, &argv, &assigns, stdin);
        self.redirs.pop();
        y
    }

    fn dispatch(
        &mut self,
        sys: &mut dyn Sys,
        argv: &[String],
        assigns: &[(String, String)],
        stdin: Option<String>,
    ) -> Option<Yield> {
        let name = argv[0].as_str();
        match name {
            "exit" => {
                let code = argv
                    .get(1)
                    .and_then(|c| c.parse::<i64>().ok())
                    .map(|c| (c & 0xff) as i32)
                    .unwrap_or(self.status);
                self.status = code;
                self.exited = Some(code);
                return Some(Yield::Exit(code));
            }
            "cd" => {
                let target = argv
                    .get(1)
                    .cloned()
                    .or_else(|| self.var("HOME"))
                    .unwrap_or_else(|| "/".into());
                let path = vfs::normalize(&self.cwd, &target);
                if sys.fs().is_dir(&path) {
                    self.cwd = path.clone();
                    self.export("PWD", Some(path));
                    self.status = 0;
                } else {
                    let msg = match self.flavor {
                        Flavor::Ash => {
                            format!("cd: can't cd to {target}: No such file or directory")
                        }
                        Flavor::Dash => format!("cd: can't cd to {target}"),
                        Flavor::Bash => format!("cd: {target}: No such file or directory"),
                    };
                    self.shell_error(sys, &msg);
                    self.status = if self.flavor == Flavor::Ash { 1 } else { 2 };
                }
                return None;
            }
            "export" => {
                for a in &argv[1..] {
                    match a.split_once('=') {
                        Some((k, v)) => self.export(k, Some(v.to_string())),
                        None => self.export(a, None),
                    }
                }
                self.status = 0;
                return None;
            }
            "unset" => {
                for a in &argv[1..] {
                    self.vars.remove(a);
                    self.env.retain(|(k, _)| k != a);
                }
                self.status = 0;
                return None;
            }
            "set" | "trap" | "wait" | "ulimit" | "umask" | "shopt" | "source" | "." => {
                self.status = 0;
                return None;
            }
            "shift" => {
                let n = argv.get(1).and_then(|n| n.parse::<usize>().ok()).unwrap_or(1);
                if self.args.len() > n {
                    self.args.drain(1..=n);
                }
                self.status = 0;
                return None;
            }
            "read" => {
                let line = stdin.as_deref().and_then(|s| s.lines().next()).map(str::to_string);
                let names: Vec<&String> = argv[1..].iter().filter(|a| !a.starts_with('-')).collect();
                match line {
                    Some(l) => {
                        let mut words: Vec<&str> = l.split_whitespace().collect();
                        for (i, n) in names.iter().enumerate() {
                            let v = if i + 1 == names.len() {
                                words.join(" ")
                            } else if words.is_empty() {
                                String::new()
                            } else {
                                words.remove(0).to_string()
                            };
                            self.set_var(n, v);
                        }
                        self.status = 0;
                    }
                    None => self.status = 1,
                }
                return None;
            }
            "exec" if argv.len() > 1 => {
                self.execed = true;
                let y = self.dispatch(sys, &argv[1..], assigns, stdin);
                return Some(match y {
                    Some(y) => y,
                    None => {
                        self.exited = Some(self.status);
                        Yield::Exit(self.status)
                    }
                });
            }
            "exec" => {
                self.status = 0;
                return None;
            }
            _ => {}
        }
        if let Some((flavor, inv)) = shell_invocation(argv) {
            // A nested shell: runs to completion in a copy of this one (its sleeps included).
            let exists = match flavor {
                Flavor::Bash => sys.has_program("bash"),
                _ => !matches!(sys.userland(), Userland::Bare),
            };
            if exists {
                let mut env = self.env.clone();
                env.extend(assigns.iter().cloned());
                let child = match inv {
                    ShellInvocation::Script { script, args } => Process::script(&script, args, env, &self.cwd, flavor),
                    ShellInvocation::Stdin => Process::script(
                        stdin.as_deref().unwrap_or(""),
                        vec![argv[0].clone()],
                        env,
                        &self.cwd,
                        flavor,
                    ),
                    ShellInvocation::File(f) => {
                        let path = vfs::normalize(&self.cwd, &f);
                        match sys.fs().read(&path) {
                            Ok(src) => Process::script(&src, vec![f.clone()], env, &self.cwd, flavor),
                            Err(e) => {
                                self.emit(sys, 2, &format!("{}: can't open '{f}': {}\n", argv[0], e.text()));
                                self.status = 2;
                                return None;
                            }
                        }
                    }
                };
                match child {
                    Ok(mut c) => {
                        c.redirs = self.redirs.clone();
                        self.status = c.run_to_end(sys);
                    }
                    Err(e) => {
                        self.emit(sys, 2, &format!("{}\n", syntax_message(flavor, &argv[0], &e)));
                        self.status = 2;
                    }
                }
                return None;
            }
        }
        let mut env = self.env.clone();
        for (k, v) in assigns {
            env.retain(|(ek, _)| ek != k);
            env.push((k.clone(), v.clone()));
        }
        let ctx = applets::Ctx {
            argv,
            stdin: stdin.as_deref(),
            env: &env,
            cwd: &self.cwd,
        };
        let outcome = match applets::run(&ctx, sys) {
            Some(o) => Some(o),
            None => sys.program(argv, &env),
        };
        match outcome {
            Some(o) => {
                self.emit(sys, 1, &o.stdout);
                self.emit(sys, 2, &o.stderr);
                self.status = o.status;
                match o.effect {
                    Effect::None => None,
                    Effect::Sleep(ms) => Some(Yield::Sleep(ms)),
                    Effect::Block => Some(Yield::Block),
                }
            }
            None => {
                if name.contains('/') {
                    let msg = match self.flavor {
                        Flavor::Ash => format!("{name}: not found"),
                        Flavor::Dash => format!("{name}: not found"),
                        Flavor::Bash => format!("{name}: No such file or directory"),
                    };
                    self.shell_error(sys, &msg);
                } else {
                    self.not_found(sys, name);
                }
                self.status = 127;
                None
            }
        }
    }

    fn run_pipeline(&mut self, sys: &mut dyn Sys, cmds: &[Simple]) {
        let mut input: Option<String> = None;
        let n = cmds.len();
        for (i, s) in cmds.iter().enumerate() {
            let last = i + 1 == n;
            if last {
                // Sleeps at the end of a pipeline are waited for by the caller; approximate as
                // instant, as every stage runs concurrently anyway.
                let _ = self.run_simple(sys, s, input.take());
            } else {
                let mut cap = Capture {
                    inner: sys,
                    out: String::new(),
                };
                let _ = self.run_simple(&mut cap, s, input.take());
                input = Some(cap.out);
            }
        }
    }
}

/// A `Sys` that collects stdout (for `$(…)` and pipelines) and passes everything else through.
struct Capture<'a> {
    inner: &'a mut dyn Sys,
    out: String,
}

impl Sys for Capture<'_> {
    fn now(&self) -> SimTime {
        self.inner.now()
    }
    fn fs(&mut self) -> FsView<'_> {
        self.inner.fs()
    }
    fn userland(&self) -> Userland {
        self.inner.userland()
    }
    fn has_program(&self, name: &str) -> bool {
        self.inner.has_program(name)
    }
    fn hostname(&self) -> String {
        self.inner.hostname()
    }
    fn pod_ip(&self) -> String {
        self.inner.pod_ip()
    }
    fn stdout(&mut self, text: &str) {
        self.out.push_str(text);
    }
    fn stderr(&mut self, text: &str) {
        self.inner.stderr(text);
    }
    fn dns(&self, name: &str) -> Dns {
        self.inner.dns(name)
    }
    fn search_path(&self) -> Vec<String> {
        self.inner.search_path()
    }
    fn http_get(&mut self, host: &str, port: u16, path: &str, ua: &str) -> Http {
        self.inner.http_get(host, port, path, ua)
    }
    fn tcp_open(&mut self, host: &str, port: u16) -> bool {
        self.inner.tcp_open(host, port)
    }
    fn program(&mut self, argv: &[String], env: &[(String, String)]) -> Option<applets::Outcome> {
        self.inner.program(argv, env)
    }
    fn signal(&mut self, name_or_pid: &str, signal: i32) -> bool {
        self.inner.signal(name_or_pid, signal)
    }
    fn processes(&self) -> Vec<(u32, String)> {
        self.inner.processes()
    }
}

/// Shell pattern matching (`*`, `?`, `[abc]`).
pub fn glob_match(pat: &str, s: &str) -> bool {
    fn go(p: &[char], s: &[char]) -> bool {
        match p.first() {
            None => s.is_empty(),
            Some('*') => (0..=s.len()).any(|i| go(&p[1..], &s[i..])),
            Some('?') => !s.is_empty() && go(&p[1..], &s[1..]),
            Some('[') => {
                let Some(close) = p.iter().position(|c| *c == ']') else {
                    return s.first() == Some(&'[') && go(&p[1..], &s[1..]);
                };
                let Some(c) = s.first() else { return false };
                let set = &p[1..close];
                let (neg, set) = match set.first() {
                    Some('!') | Some('^') => (true, &set[1..]),
                    _ => (false, set),
                };
                let mut hit = false;
                let mut i = 0;
                while i < set.len() {
                    if i + 2 < set.len() && set[i + 1] == '-' {
                        hit |= set[i] <= *c && *c <= set[i + 2];
                        i += 3;
                    } else {
                        hit |= set[i] == *c;
                        i += 1;
                    }
                }
                hit != neg && go(&p[close + 1..], &s[1..])
            }
            Some(ch) => s.first() == Some(ch) && go(&p[1..], &s[1..]),
        }
    }
    let p: Vec<char> = pat.chars().collect();
    let s: Vec<char> = s.chars().collect();
    go(&p, &s)
}

/// `$((…))`: integer arithmetic with variables, `+ - * / %`, comparisons and parentheses.
fn arith(expr: &str, p: &Process) -> Result<i64, String> {
    struct A<'a> {
        t: Vec<String>,
        i: usize,
        p: &'a Process,
    }
    impl A<'_> {
        fn peek(&self) -> Option<&str> {
            self.t.get(self.i).map(String::as_str)
        }
        fn bin(&mut self, level: usize) -> Result<i64, String> {
            const LEVELS: &[&[&str]] = &[
                &["||"],
                &["&&"],
                &["==", "!="],
                &["<", "<=", ">", ">="],
                &["+", "-"],
                &["*", "/", "%"],
            ];
            if level == LEVELS.len() {
                return self.unary();
            }
            let mut l = self.bin(level + 1)?;
            while let Some(op) = self.peek().filter(|o| LEVELS[level].contains(o)).map(str::to_string) {
                self.i += 1;
                let r = self.bin(level + 1)?;
                l = match op.as_str() {
                    "||" => i64::from(l != 0 || r != 0),
                    "&&" => i64::from(l != 0 && r != 0),
                    "==" => i64::from(l == r),
                    "!=" => i64::from(l != r),
                    "<" => i64::from(l < r),
                    "<=" => i64::from(l <= r),
                    ">" => i64::from(l > r),
                    ">=" => i64::from(l >= r),
                    "+" => l.wrapping_add(r),
                    "-" => l.wrapping_sub(r),
                    "*" => l.wrapping_mul(r),
                    "/" | "%" if r == 0 => return Err(": division by zero".into()),
                    "/" => l / r,
                    _ => l % r,
                };
            }
            Ok(l)
        }
        fn unary(&mut self) -> Result<i64, String> {
            match self.peek() {
                Some("-") => {
                    self.i += 1;
                    Ok(-self.unary()?)
                }
                Some("+") => {
                    self.i += 1;
                    self.unary()
                }
                Some("!") => {
                    self.i += 1;
                    Ok(i64::from(self.unary()? == 0))
                }
                Some("(") => {
                    self.i += 1;
                    let v = self.bin(0)?;
                    if self.peek() != Some(")") {
                        return Err(String::new());
                    }
                    self.i += 1;
                    Ok(v)
                }
                Some(tok) => {
                    let tok = tok.to_string();
                    self.i += 1;
                    if let Ok(n) = tok.parse::<i64>() {
                        return Ok(n);
                    }
                    if tok.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                        return Ok(self.p.var(&tok).and_then(|v| v.trim().parse().ok()).unwrap_or(0));
                    }
                    Err(String::new())
                }
                None => Err(String::new()),
            }
        }
    }
    let mut t = Vec::new();
    let cs: Vec<char> = expr.chars().collect();
    let mut i = 0;
    while i < cs.len() {
        let c = cs[i];
        if c.is_whitespace() {
            i += 1;
        } else if c.is_ascii_alphanumeric() || c == '_' {
            let st = i;
            while i < cs.len() && (cs[i].is_ascii_alphanumeric() || cs[i] == '_') {
                i += 1;
            }
            t.push(cs[st..i].iter().collect());
        } else {
            let two: String = cs[i..(i + 2).min(cs.len())].iter().collect();
            if ["||", "&&", "==", "!=", "<=", ">="].contains(&two.as_str()) {
                t.push(two);
                i += 2;
            } else {
                t.push(c.to_string());
                i += 1;
            }
        }
    }
    if t.is_empty() {
        return Ok(0);
    }
    let mut a = A { t, i: 0, p };
    let v = a.bin(0)?;
    if a.i != a.t.len() {
        return Err(String::new());
    }
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_tutorial_loops() {
        let c = parse("until nslookup myservice; do echo waiting for myservice; sleep 2; done;").unwrap();
        assert!(matches!(c, Cmd::Loop { until: true, .. }), "{c:?}");
        let c = parse("touch /tmp/livenesspod ; sleep 30; rm -rf\n/tmp/livenesspod; sleep\n3600").unwrap();
        assert!(matches!(c, Cmd::Seq(ref v) if v.len() == 6), "{c:?}");
        parse("i=0; while true; do echo \"$i: $(date)\"; i=$((i+1)); sleep 1; done").unwrap();
        parse("if [ -f /x ]; then echo yes; elif true; then :; else echo no; fi").unwrap();
        parse("for f in a b c; do echo $f >> /tmp/out; done").unwrap();
        parse("case $x in a|b) echo ab;; *) echo other;; esac").unwrap();
        assert_eq!(parse("do echo").unwrap_err().0, "syntax error: unexpected \"do\"");
        assert!(parse("echo 'open").is_err());
    }

    #[test]
    fn globbing_patterns() {
        assert!(glob_match("*.html", "index.html"));
        assert!(!glob_match("*.html", "index.htm"));
        assert!(glob_match("a?c", "abc"));
        assert!(glob_match("[a-c]x", "bx"));
    }
}
