//! What one command prints: stdout and stderr chunks in the order they were written, plus the
//! exit code. The console renders stderr in its own colour; the transcript runner interleaves
//! both exactly as a terminal would show them.

/// Which stream a chunk of output went to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stream {
    Stdout,
    Stderr,
}

/// The result of one command line.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Output {
    /// Text written, in order. Each chunk normally ends with `\n`.
    pub chunks: Vec<(Stream, String)>,
    /// 0 on success; kubectl exits 1 on every error it reports.
    pub exit_code: i32,
}

impl Output {
    pub fn ok() -> Self {
        Self::default()
    }

    /// Appends `text` to stdout (no newline added).
    pub fn out(&mut self, text: impl Into<String>) -> &mut Self {
        self.push(Stream::Stdout, text.into())
    }

    /// Appends `text` to stderr (no newline added).
    pub fn err(&mut self, text: impl Into<String>) -> &mut Self {
        self.push(Stream::Stderr, text.into())
    }

    /// Appends a line to stdout, adding the newline.
    pub fn outln(&mut self, line: impl AsRef<str>) -> &mut Self {
        self.push(Stream::Stdout, format!("{}\n", line.as_ref()))
    }

    /// Appends a line to stderr, adding the newline.
    pub fn errln(&mut self, line: impl AsRef<str>) -> &mut Self {
        self.push(Stream::Stderr, format!("{}\n", line.as_ref()))
    }

    /// An error as kubectl reports it: the message on stderr and exit code 1.
    pub fn fail(message: impl AsRef<str>) -> Self {
        let mut o = Self::default();
        o.errln(message);
        o.exit_code = 1;
        o
    }

    /// Appends everything `other` printed and takes its exit code if it failed.
    pub fn extend(&mut self, other: Output) {
        for (s, t) in other.chunks {
            self.push(s, t);
        }
        if other.exit_code != 0 {
            self.exit_code = other.exit_code;
        }
    }

    /// Both streams interleaved, as a terminal shows them.
    pub fn text(&self) -> String {
        self.chunks.iter().map(|(_, t)| t.as_str()).collect()
    }

    /// Only what went to stdout.
    pub fn stdout(&self) -> String {
        self.chunks
            .iter()
            .filter(|(s, _)| *s == Stream::Stdout)
            .map(|(_, t)| t.as_str())
            .collect()
    }

    fn push(&mut self, stream: Stream, text: String) -> &mut Self {
        if text.is_empty() {
            return self;
        }
        match self.chunks.last_mut() {
            Some((s, t)) if *s == stream => t.push_str(&text),
            _ => self.chunks.push((stream, text)),
        }
        self
    }
}
