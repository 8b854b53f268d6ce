//! Go's elastic-tabstop writer, as kubectl uses it for every aligned text it prints.
//!
//! kubectl never computes column widths itself: it writes cells separated by `\t` into a
//! `tabwriter.Writer` and lets that align them. Two configurations matter:
//!
//! * `kubectl get` tables (cli-runtime `printers.GetNewTabWriter`): minwidth 6, padding 3, pad
//!   char `' '`, flag `RememberWidths` of the `github.com/liggitt/tabwriter` fork;
//!   see [`TabWriter::get_table`] and [`render`].
//! * `kubectl describe` and `rollout history` (the `tabbedString` helper): the standard
//!   `text/tabwriter` with minwidth 0, padding 2, no flags; see [`TabWriter::tabbed`].
//!
//! The algorithm is reproduced rather than approximated, because its less obvious rules show
//! up in real output:
//!
//! * A cell is text *terminated* by a tab. The text after the last tab of a line is a cell too,
//!   but it belongs to no column and is never padded, so lines carry no trailing padding...
//!   unless the last column is empty: `"a\tb\t\n"` pads `b`, which is how
//!   `kubectl get pods -L app` ends rows with spaces when the label is missing.
//! * A column is a *block* of consecutive lines that all have a tab-terminated cell at that
//!   index. Widths are computed per block, so a line with fewer cells splits the column above
//!   it from the column below it (describe output relies on this).
//! * A column's width is `max(minwidth, longest cell + padding)`: minwidth includes the
//!   padding. Widths count Unicode scalar values (Go counts runes), not bytes or display cells.
//! * A line without any tab flushes the writer at once (Go's `Write` does this because such a
//!   line cannot influence later formatting).
//! * With `RememberWidths` the writer keeps, per column index, the largest width it has used so
//!   far, across flushes. kubectl resets them when a multi-kind `get` moves to the next kind.
//!
//! Not modelled: HTML filtering, escape characters and tab padding, which kubectl never enables.

use std::fmt;

/// One cell: its text and its width in chars (Go: runes).
#[derive(Clone, Debug, Default)]
struct Cell {
    text: String,
    width: usize,
    /// Terminated by a horizontal tab (as opposed to `\v` or a line end). Go keeps this for the
    /// `DiscardEmptyColumns` flag, which kubectl does not use; kept for fidelity of the model.
    #[allow(dead_code)]
    htab: bool,
}

/// A port of Go's `text/tabwriter.Writer` (and of the `RememberWidths` extension of
/// `github.com/liggitt/tabwriter`), writing into an internal `String`.
///
/// Write text with [`TabWriter::write_str`] (or `write!`, through [`fmt::Write`]), call
/// [`TabWriter::flush`] when a table is complete, and collect the text with
/// [`TabWriter::take_output`] or [`TabWriter::finish`].
#[derive(Clone, Debug)]
pub struct TabWriter {
    min_width: usize,
    padding: usize,
    remember_widths: bool,
    /// Completed lines of the current (unflushed) section; the last one is the line in progress.
    lines: Vec<Vec<Cell>>,
    /// The cell in progress (not yet terminated by a tab or a line end).
    cell: Cell,
    /// Widths of the columns to the left of the column being formatted.
    widths: Vec<usize>,
    /// Per column index: the widest width used so far (`RememberWidths`).
    max_widths: Vec<usize>,
    out: String,
}

impl TabWriter {
    /// A writer with the given minimal cell width (padding included) and padding, padding with
    /// spaces, without `RememberWidths`.
    pub fn new(min_width: usize, padding: usize) -> Self {
        TabWriter {
            min_width,
            padding,
            remember_widths: false,
            lines: vec![Vec::new()],
            cell: Cell::default(),
            widths: Vec::new(),
            max_widths: Vec::new(),
            out: String::new(),
        }
    }

    /// The writer of `kubectl get` tables: minwidth 6, tabwidth 4, padding 3, `' '`,
    /// `RememberWidths` (cli-runtime `printers/tabwriter.go`).
    pub fn get_table() -> Self {
        TabWriter::new(6, 3).remember_widths(true)
    }

    /// The writer of kubectl's `tabbedString` helper, used by `describe` and
    /// `rollout history`: minwidth 0, tabwidth 8, padding 2, `' '`, no flags.
    pub fn tabbed() -> Self {
        TabWriter::new(0, 2)
    }

    /// Turns the `RememberWidths` flag on or off.
    pub fn remember_widths(mut self, on: bool) -> Self {
        self.remember_widths = on;
        self
    }

    /// The remembered per-column widths (`RememberedWidths` in the Go fork).
    pub fn remembered_widths(&self) -> Vec<usize> {
        self.max_widths.clone()
    }

    /// Replaces the remembered per-column widths (`SetRememberedWidths`); kubectl passes an
    /// empty list when a multi-kind `get` starts the table of the next kind.
    pub fn set_remembered_widths(&mut self, widths: &[usize]) {
        self.max_widths = widths.to_vec();
    }

    /// Feeds text. `\t` and `\v` end a cell, `\n` and `\f` end a line; `\f` (and any line
    /// that had no tab) also flushes, like Go's `Write`.
    pub fn write_str(&mut self, text: &str) {
        // Plain text goes into the cell a run at a time (not char by char): the controls are
        // all ASCII, so every split falls on a char boundary.
        let mut rest = text;
        while let Some(at) = rest.find(['\t', '\u{b}', '\n', '\u{c}']) {
            self.push_text(&rest[..at]);
            let ch = rest.as_bytes()[at];
            rest = &rest[at + 1..];
            let cells_in_line = self.terminate_cell(ch == b'\t');
            if ch == b'\n' || ch == 0x0c {
                self.lines.push(Vec::new());
                if ch == 0x0c || cells_in_line == 1 {
                    self.flush();
                }
            }
        }
        self.push_text(rest);
    }

    /// Appends text without controls to the cell in progress; width counts chars (Go: runes).
    fn push_text(&mut self, text: &str) {
        if text.is_empty() {
            return;
        }
        self.cell.text.push_str(text);
        self.cell.width += if text.is_ascii() {
            text.len()
        } else {
            text.chars().count()
        };
    }

    /// Writes one row: the cells joined by `\t`, then `\n` (how kubectl's table printer
    /// feeds the tabwriter).
    pub fn write_row<S: AsRef<str>>(&mut self, cells: &[S]) {
        for (i, cell) in cells.iter().enumerate() {
            if i > 0 {
                self.write_str("\t");
            }
            self.write_str(cell.as_ref());
        }
        self.write_str("\n");
    }

    /// Formats and emits everything buffered (Go's `Flush`). Text after the last line end is
    /// emitted as it is, without a newline.
    pub fn flush(&mut self) {
        if !self.cell.text.is_empty() {
            self.terminate_cell(false);
        }
        let line_count = self.lines.len();
        self.format(0, line_count);
        // reset; remembered widths survive
        self.lines.clear();
        self.lines.push(Vec::new());
        self.cell = Cell::default();
        self.widths.clear();
    }

    /// Takes the text emitted so far (buffered, unflushed text stays in the writer).
    pub fn take_output(&mut self) -> String {
        std::mem::take(&mut self.out)
    }

    /// Flushes and returns all emitted text.
    pub fn finish(mut self) -> String {
        self.flush();
        self.out
    }

    /// Writes every row with [`TabWriter::write_row`], flushes and returns the text emitted.
    pub fn render<S: AsRef<str>>(&mut self, rows: &[Vec<S>]) -> String {
        for row in rows {
            self.write_row(row);
        }
        self.flush();
        self.take_output()
    }

    fn terminate_cell(&mut self, htab: bool) -> usize {
        let mut cell = std::mem::take(&mut self.cell);
        cell.htab = htab;
        let line = self.lines.last_mut().expect("there is always a line in progress");
        line.push(cell);
        line.len()
    }

    /// Go's `format`: finds the column blocks of column `self.widths.len()` between `line0`
    /// and `line1`, fixes each block's width and recurses into the columns to its right.
    fn format(&mut self, mut line0: usize, line1: usize) {
        let column = self.widths.len();
        let mut this = line0;
        while this < line1 {
            // Only tab-terminated cells belong to columns: the last cell of a line never does.
            if self.lines[this].len() <= column + 1 {
                this += 1;
                continue;
            }
            self.write_lines(line0, this);
            line0 = this;

            let mut width = self.min_width;
            while this < line1 {
                let line = &self.lines[this];
                if line.len() <= column + 1 {
                    break;
                }
                width = width.max(line[column].width + self.padding);
                this += 1;
            }

            if self.remember_widths {
                if self.max_widths.len() < self.widths.len() {
                    let known = self.max_widths.len();
                    self.max_widths.extend_from_slice(&self.widths[known..]);
                }
                if self.max_widths.len() == column {
                    self.max_widths.push(width);
                } else if self.max_widths[column] > width {
                    width = self.max_widths[column];
                } else {
                    self.max_widths[column] = width;
                }
            }

            self.widths.push(width);
            self.format(line0, this);
            self.widths.pop();
            line0 = this;
        }
        self.write_lines(line0, line1);
    }

    /// Go's `writeLines`: emits lines `line0..line1`, padding every cell that lies in a column
    /// whose width is known.
    fn write_lines(&mut self, line0: usize, line1: usize) {
        for i in line0..line1 {
            for (j, cell) in self.lines[i].iter().enumerate() {
                self.out.push_str(&cell.text);
                if let Some(&width) = self.widths.get(j) {
                    let pad = width.saturating_sub(cell.width);
                    const SPACES: &str = "                                                                ";
                    let mut left = pad;
                    while left > 0 {
                        let n = left.min(SPACES.len());
                        self.out.push_str(&SPACES[..n]);
                        left -= n;
                    }
                }
            }
            if i + 1 == self.lines.len() {
                // the line in progress has no line end yet
                self.out.push_str(&self.cell.text);
            } else {
                self.out.push('\n');
            }
        }
    }
}

impl fmt::Write for TabWriter {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        TabWriter::write_str(self, s);
        Ok(())
    }
}

/// Renders a `kubectl get` table: each row's cells are joined by tabs and ended by a newline,
/// aligned by [`TabWriter::get_table`]. Whether row 0 is a header is the caller's business
/// (with `--no-headers` it is simply left out, and then no longer widens the columns).
/// Every line of the result ends with `\n`; cells are left-aligned, the last column is never
/// padded.
pub fn render<S: AsRef<str>>(rows: &[Vec<S>]) -> String {
    TabWriter::get_table().render(rows)
}

/// Renders rows with the `tabbedString` writer (minwidth 0, padding 2), as used by
/// `rollout history`: `REVISION  CHANGE-CAUSE`.
pub fn render_tabbed<S: AsRef<str>>(rows: &[Vec<S>]) -> String {
    TabWriter::tabbed().render(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fmt::Write as _;

    fn rows(text: &[&[&str]]) -> Vec<Vec<String>> {
        text.iter().map(|r| r.iter().map(|c| c.to_string()).collect()).collect()
    }

    #[test]
    fn get_svc_capture() {
        // captured/get.txt: `kubectl get svc`
        let table = rows(&[
            &["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"],
            &["db", "ClusterIP", "None", "<none>", "5432/TCP", "23m"],
            &["kubernetes", "ClusterIP", "10.96.0.1", "<none>", "443/TCP", "3d"],
            &["web", "ClusterIP", "10.96.45.12", "<none>", "80/TCP", "28m"],
            &[
                "web-lb",
                "LoadBalancer",
                "10.96.33.100",
                "<pending>",
                "80:31234/TCP",
                "25m",
            ],
            &["web-np", "NodePort", "10.96.200.7", "<none>", "80:30080/TCP", "26m"],
        ]);
        let want = "\
NAME         TYPE           CLUSTER-IP     EXTERNAL-IP   PORT(S)        AGE
db           ClusterIP      None           <none>        5432/TCP       23m
kubernetes   ClusterIP      10.96.0.1      <none>        443/TCP        3d
web          ClusterIP      10.96.45.12    <none>        80/TCP         28m
web-lb       LoadBalancer   10.96.33.100   <pending>     80:31234/TCP   25m
web-np       NodePort       10.96.200.7    <none>        80:30080/TCP   26m
";
        assert_eq!(render(&table), want);
    }

    #[test]
    fn minwidth_includes_padding_and_no_headers_shrinks() {
        // captured/get.txt: READY is 8 wide with its header, 6 (the minimum) with
        // `--no-headers`; a RESTARTS column of `0`s is 6 wide too.
        let body = rows(&[
            &["badimg", "0/1", "ImagePullBackOff", "0", "3m26s"],
            &["cache-6f7b8c9d4f-k8s2m", "1/1", "Running", "0", "33m"],
            &["crashy", "0/1", "CrashLoopBackOff", "5 (81s ago)", "15m"],
        ]);
        let mut with_header = rows(&[&["NAME", "READY", "STATUS", "RESTARTS", "AGE"]]);
        with_header.extend(body.clone());
        assert_eq!(
            render(&with_header),
            "\
NAME                     READY   STATUS             RESTARTS      AGE
badimg                   0/1     ImagePullBackOff   0             3m26s
cache-6f7b8c9d4f-k8s2m   1/1     Running            0             33m
crashy                   0/1     CrashLoopBackOff   5 (81s ago)   15m
"
        );
        assert_eq!(
            render(&body),
            "\
badimg                   0/1   ImagePullBackOff   0             3m26s
cache-6f7b8c9d4f-k8s2m   1/1   Running            0             33m
crashy                   0/1   CrashLoopBackOff   5 (81s ago)   15m
"
        );
        let zeros = rows(&[&["a", "0", "x"], &["b", "0", "y"]]);
        assert_eq!(render(&zeros), "a     0     x\nb     0     y\n");
    }

    #[test]
    fn empty_last_column_pads_previous_cell() {
        // captured/get.txt: `kubectl get pods -L app,pod-template-hash` leaves trailing spaces
        // on rows whose last label is missing.
        let table = rows(&[
            &["NAME", "READY", "STATUS", "RESTARTS", "AGE", "APP", "POD-TEMPLATE-HASH"],
            &["badimg", "0/1", "ImagePullBackOff", "0", "3m26s", "", ""],
            &[
                "cache-6f7b8c9d4f-k8s2m",
                "1/1",
                "Running",
                "0",
                "33m",
                "cache",
                "6f7b8c9d4f",
            ],
            &["crashy", "0/1", "CrashLoopBackOff", "5 (81s ago)", "15m", "", ""],
            &["db-0", "1/1", "Running", "0", "23m", "db", ""],
        ]);
        let want = "\
NAME                     READY   STATUS             RESTARTS      AGE     APP     POD-TEMPLATE-HASH
badimg                   0/1     ImagePullBackOff   0             3m26s           \n\
cache-6f7b8c9d4f-k8s2m   1/1     Running            0             33m     cache   6f7b8c9d4f
crashy                   0/1     CrashLoopBackOff   5 (81s ago)   15m             \n\
db-0                     1/1     Running            0             23m     db      \n";
        assert_eq!(render(&table), want);
    }

    #[test]
    fn single_column_and_empty_input() {
        assert_eq!(render::<&str>(&[]), "");
        assert_eq!(render(&[vec!["NAME"], vec!["a"]]), "NAME\na\n");
    }

    #[test]
    fn widths_count_chars_not_bytes() {
        let table = rows(&[&["NAME", "X"], &["héllo-wörld", "1"], &["abc", "2"]]);
        assert_eq!(render(&table), "NAME          X\nhéllo-wörld   1\nabc           2\n");
    }

    #[test]
    fn rollout_history_uses_padding_two() {
        // kubectl-behaviour.md §6.2
        let table = rows(&[&["REVISION", "CHANGE-CAUSE"], &["1", "<none>"], &["2", "<none>"]]);
        assert_eq!(
            render_tabbed(&table),
            "REVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n"
        );
    }

    #[test]
    fn column_blocks_are_split_by_shorter_lines() {
        // The example of Go's package documentation: `b` and `c` are in distinct column
        // blocks because the third line has no second column.
        let mut tw = TabWriter::new(0, 1);
        tw.write_str("aaaa\tbbb\td\naa\tb\tdd\na\t\naa\tcccc\teee\n");
        assert_eq!(tw.finish(), "aaaa bbb d\naa   b   dd\na    \naa   cccc eee\n");
    }

    #[test]
    fn describe_blocks() {
        // captured/describe.txt (pod): lines without a tab flush, so `IP:` under `IPs:` starts
        // a new alignment block, and `QoS Class:` shares the block of the volume fields above.
        let mut tw = TabWriter::tabbed();
        let input = "Name:\tweb-7c5ddbdf54-2xkqn\n\
                     Service Account:\tdefault\n\
                     Labels:\tapp=web\n\
                     \tpod-template-hash=7c5ddbdf54\n\
                     IPs:\n\
                     \x20 IP:\t10.244.1.5\n\
                     Controlled By:\tReplicaSet/web-7c5ddbdf54\n\
                     Conditions:\n\
                     \x20 Type\tStatus\n\
                     \x20 PodReadyToStartContainers \tTrue \n\
                     \x20 Initialized \tTrue \n\
                     Volumes:\n\
                     \x20 kube-api-access-2xkqn:\n\
                     \x20   Type:\tProjected\n\
                     \x20   TokenExpirationSeconds:\t3607\n\
                     QoS Class:\tBestEffort\n";
        write!(tw, "{input}").unwrap();
        let want = "\
Name:             web-7c5ddbdf54-2xkqn
Service Account:  default
Labels:           app=web
                  pod-template-hash=7c5ddbdf54
IPs:
  IP:           10.244.1.5
Controlled By:  ReplicaSet/web-7c5ddbdf54
Conditions:
  Type                        Status
  PodReadyToStartContainers   True \n  Initialized                 True \n\
Volumes:
  kube-api-access-2xkqn:
    Type:                    Projected
    TokenExpirationSeconds:  3607
QoS Class:                   BestEffort
";
        assert_eq!(tw.finish(), want);
    }

    #[test]
    fn multi_kind_tables_reset_remembered_widths() {
        // captured/get.txt `kubectl get pods,svc`: one writer, flushed and reset per kind, with
        // a blank line (a line without tabs) between the tables.
        let mut tw = TabWriter::get_table();
        tw.write_row(&["NAME", "READY", "STATUS", "RESTARTS", "AGE"]);
        tw.write_row(&["pod/badimg", "0/1", "ImagePullBackOff", "0", "3m29s"]);
        tw.write_row(&["pod/crashy", "0/1", "CrashLoopBackOff", "5 (84s ago)", "15m"]);
        tw.flush();
        tw.set_remembered_widths(&[]);
        tw.write_str("\n");
        tw.write_row(&["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"]);
        tw.write_row(&["service/db", "ClusterIP", "None", "<none>", "5432/TCP", "23m"]);
        let want = "\
NAME         READY   STATUS             RESTARTS      AGE
pod/badimg   0/1     ImagePullBackOff   0             3m29s
pod/crashy   0/1     CrashLoopBackOff   5 (84s ago)   15m

NAME         TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)    AGE
service/db   ClusterIP   None         <none>        5432/TCP   23m
";
        assert_eq!(tw.finish(), want);
    }

    #[test]
    fn remembered_widths_keep_watch_rows_aligned() {
        // `get -w`: later rows are flushed one by one and reuse (and grow) the widths.
        let mut tw = TabWriter::get_table();
        tw.write_row(&["NAME", "READY", "STATUS"]);
        tw.write_row(&["web-1", "1/1", "Running"]);
        tw.flush();
        assert_eq!(tw.remembered_widths(), vec![8, 8]);
        tw.write_row(&["w", "0/1", "Terminating"]);
        tw.flush();
        tw.write_row(&["a-much-longer-name", "0/1", "Pending"]);
        tw.flush();
        tw.write_row(&["x", "1/1", "Running"]);
        tw.flush();
        let want = "\
NAME    READY   STATUS
web-1   1/1     Running
w       0/1     Terminating
a-much-longer-name   0/1     Pending
x                    1/1     Running
";
        assert_eq!(tw.take_output(), want);

        // without the flag every flush starts from scratch
        let mut plain = TabWriter::new(6, 3);
        plain.write_row(&["NAME", "READY"]);
        plain.flush();
        plain.write_row(&["w", "0/1"]);
        assert_eq!(plain.finish(), "NAME   READY\nw     0/1\n");
    }

    #[test]
    fn unterminated_text_and_vertical_tabs() {
        let mut tw = TabWriter::new(0, 1);
        tw.write_str("a\tb\nccc\td");
        assert_eq!(tw.take_output(), "", "nothing is emitted before a flush");
        tw.flush();
        assert_eq!(tw.take_output(), "a   b\nccc d");
        // a vertical tab terminates a cell like a tab
        let mut tw = TabWriter::new(0, 1);
        tw.write_str("a\u{b}b\nccc\u{b}d\n");
        assert_eq!(tw.finish(), "a   b\nccc d\n");
        // a form feed ends the line and flushes: the columns before and after are independent
        let mut tw = TabWriter::new(0, 1);
        tw.write_str("aaaa\tb\u{c}c\td\n");
        assert_eq!(tw.finish(), "aaaa b\nc d\n");
    }
}
