//! The transcript/console interpreter against a fake host that records every call.

use std::collections::BTreeMap;

use kubelab_kubectl::script::{run_script, Feed, Host, Interpreter};
use kubelab_kubectl::{Output, Stream};
use proptest::prelude::*;

/// Records calls as readable strings. `kubectl get … -w` opens a "watch" that prints on every
/// sleep and says goodbye when interrupted; `kubectl fail` fails; `kubectl apply` reports the
/// stdin it got; other kubectl calls print `ran <args>`.
#[derive(Default)]
struct Fake {
    calls: Vec<String>,
    files: BTreeMap<String, String>,
    watch: bool,
    /// `kubectl shell` opens a fake container shell (prompt `/ # `) that echoes lines.
    shell: bool,
}

impl Host for Fake {
    fn kubectl(&mut self, argv: &[String], stdin: Option<&str>) -> Output {
        self.calls.push(match stdin {
            Some(s) => format!("kubectl {:?} stdin={s:?}", argv),
            None => format!("kubectl {:?}", argv),
        });
        let mut o = Output::ok();
        match argv.get(1).map(String::as_str) {
            Some("fail") => return Output::fail("error: boom"),
            Some("shell") => {
                self.shell = true;
                return o;
            }
            Some("apply") => {
                o.out(format!("applied {:?}\n", stdin.unwrap_or("<none>")));
            }
            Some("warn") => {
                o.out("out1\n");
                o.err("err1\n");
                o.out("out2\n");
            }
            _ if argv.iter().any(|a| a == "-w") => {
                self.watch = true;
                o.out("NAME   READY\n");
            }
            _ => {
                o.out(format!("ran {}\n", argv[1..].join(" ")));
            }
        }
        o
    }

    fn sleep(&mut self, millis: u64) -> Output {
        self.calls.push(format!("sleep {millis}"));
        let mut o = Output::ok();
        if self.watch {
            o.out(format!("tick {millis}\n"));
        }
        o
    }

    fn interrupt(&mut self) -> Output {
        self.calls.push("interrupt".to_string());
        let mut o = Output::ok();
        if std::mem::take(&mut self.watch) {
            o.out("watch closed\n");
        }
        o
    }

    fn write_file(&mut self, path: &str, content: &str) {
        self.calls.push(format!("write {path} {content:?}"));
        self.files.insert(path.to_string(), content.to_string());
    }

    fn read_file(&self, path: &str) -> Option<String> {
        self.files.get(path).cloned()
    }

    fn foreground_prompt(&self) -> Option<String> {
        self.shell.then(|| "/ # ".to_string())
    }

    fn foreground_input(&mut self, line: Option<&str>) -> Output {
        self.calls.push(format!("shell {line:?}"));
        let mut o = Output::ok();
        match line {
            Some(l) if l.starts_with("exit") => {
                self.shell = false;
                if let Some(code) = l.strip_prefix("exit ") {
                    o.err(format!("command terminated with exit code {code}\n"));
                    o.exit_code = code.parse().unwrap_or(1);
                }
            }
            Some(l) => {
                o.out(format!("sh ran {l}\n"));
            }
            None => {
                self.shell = false;
                o.out("\n");
            }
        }
        o
    }

    fn other(&mut self, argv: &[String], stdin: Option<&str>) -> Output {
        self.calls.push(format!("other {:?} stdin={:?}", argv, stdin));
        let mut o = Output::ok();
        if argv[0] == "wc" {
            o.out(format!("{}\n", stdin.unwrap_or_default().lines().count()));
            return o;
        }
        o.err(format!("bash: {}: command not found\n", argv[0]));
        o.exit_code = 127;
        o
    }
}

fn run(script: &str) -> (String, Fake) {
    let mut host = Fake::default();
    let t = run_script(&mut host, script);
    (t, host)
}

/// Calls other than the interrupts.
fn work(host: &Fake) -> Vec<&str> {
    host.calls
        .iter()
        .map(String::as_str)
        .filter(|c| *c != "interrupt")
        .collect()
}

#[test]
fn echoes_commands_and_output() {
    let (t, h) = run("kubectl get pods\nk get nodes -o wide\n");
    assert_eq!(
        t,
        "$ kubectl get pods\nran get pods\n$ k get nodes -o wide\nran get nodes -o wide\n"
    );
    assert_eq!(
        work(&h),
        [
            r#"kubectl ["kubectl", "get", "pods"]"#,
            r#"kubectl ["kubectl", "get", "nodes", "-o", "wide"]"#
        ]
    );
}

#[test]
fn blank_and_comment_lines_are_skipped_and_trailing_comments_stripped() {
    let (t, h) = run("# setup\n\n   \n  # indented comment\nkubectl get pods # list them\nkubectl get a#b\n");
    assert_eq!(
        t,
        "$ kubectl get pods # list them\nran get pods\n$ kubectl get a#b\nran get a#b\n"
    );
    assert_eq!(work(&h).len(), 2);
}

#[test]
fn stdout_and_stderr_interleave_in_order() {
    let mut host = Fake::default();
    let mut i = Interpreter::default();
    let Feed::Done(out) = i.feed(&mut host, "kubectl warn") else {
        panic!()
    };
    assert_eq!(
        out.chunks,
        [
            (Stream::Stdout, "out1\n".to_string()),
            (Stream::Stderr, "err1\n".to_string()),
            (Stream::Stdout, "out2\n".to_string())
        ]
    );
}

#[test]
fn heredoc_to_file_then_cat_and_apply() {
    let script = "cat > web.yaml <<EOF\nkind: Deployment\n  name: web\n\n# not a comment here\nEOF\ncat web.yaml\nkubectl apply -f web.yaml\n";
    let (t, h) = run(script);
    assert_eq!(
        t,
        "$ cat > web.yaml <<EOF\n> kind: Deployment\n>   name: web\n> \n> # not a comment here\n> EOF\n\
         $ cat web.yaml\nkind: Deployment\n  name: web\n\n# not a comment here\n\
         $ kubectl apply -f web.yaml\napplied \"<none>\"\n"
    );
    assert_eq!(
        h.files["web.yaml"],
        "kind: Deployment\n  name: web\n\n# not a comment here\n"
    );
}

#[test]
fn heredoc_delimiter_variants() {
    // A quoted delimiter keeps the body as typed; an unquoted one expands it (`$x` is unset).
    for (open, close, body) in [
        ("<<'EOF'", "EOF", "a: $x\n"),
        ("<<\"EOF\"", "EOF", "a: $x\n"),
        ("<< EOF", "EOF", "a: \n"),
        ("<<\\EOF", "EOF", "a: $x\n"),
        ("<<END_OF_YAML", "END_OF_YAML", "a: \n"),
        ("<<'my delim'", "my delim", "a: $x\n"),
    ] {
        let (_, h) = run(&format!("cat > f {open}\na: $x\n{close}\n"));
        assert_eq!(h.files.get("f").map(String::as_str), Some(body), "{open}");
    }
    // `<<-` strips leading tabs from the body and the delimiter line.
    let (_, h) = run("cat > f <<-EOF\n\tkey: v\n\t\tnested\n  spaces stay\n\tEOF\n");
    assert_eq!(h.files["f"], "key: v\nnested\n  spaces stay\n");
    // The delimiter must be alone on its line; ` EOF` or `EOF ` are body lines.
    let (_, h) = run("cat > f <<EOF\n EOF\nEOF \nEOF\n");
    assert_eq!(h.files["f"], " EOF\nEOF \n");
}

#[test]
fn cat_append() {
    let (_, h) = run("cat > f <<EOF\na\nEOF\ncat >> f <<EOF\nb\nEOF\necho c >> f\n");
    assert_eq!(h.files["f"], "a\nb\nc\n");
}

#[test]
fn heredoc_stdin_to_kubectl() {
    let (t, h) = run("kubectl apply -f - <<EOF\nkind: Pod\nEOF\n");
    assert_eq!(
        t,
        "$ kubectl apply -f - <<EOF\n> kind: Pod\n> EOF\napplied \"kind: Pod\\n\"\n"
    );
    assert_eq!(
        work(&h),
        [r#"kubectl ["kubectl", "apply", "-f", "-"] stdin="kind: Pod\n""#]
    );
}

#[test]
fn pipes_into_kubectl() {
    let (t, _) = run("cat <<EOF | kubectl apply -f -\nkind: Pod\nEOF\n");
    assert!(t.ends_with("> EOF\napplied \"kind: Pod\\n\"\n"), "{t}");

    let (t, _) = run("cat > p.yaml <<EOF\nkind: Pod\nEOF\ncat p.yaml | kubectl apply -f -\n");
    assert!(
        t.ends_with("$ cat p.yaml | kubectl apply -f -\napplied \"kind: Pod\\n\"\n"),
        "{t}"
    );

    let (t, _) = run("echo 'kind: Pod' | k apply -f -\n");
    assert_eq!(t, "$ echo 'kind: Pod' | k apply -f -\napplied \"kind: Pod\\n\"\n");

    // The heredoc body starts on the line after `<<`, even when the command continues.
    let (t, _) = run("cat <<EOF |\nkind: Pod\nEOF\nkubectl apply -f -\n");
    assert_eq!(
        t,
        "$ cat <<EOF |\n> kind: Pod\n> EOF\n> kubectl apply -f -\napplied \"kind: Pod\\n\"\n"
    );

    // A pipe into an unknown command goes to the host with the piped text.
    let (t, h) = run("kubectl get pods | wc -l\n");
    assert_eq!(t, "$ kubectl get pods | wc -l\n1\n");
    assert!(h
        .calls
        .iter()
        .any(|c| c == r#"other ["wc", "-l"] stdin=Some("ran get pods\n")"#));
}

#[test]
fn lists_and_exit_status() {
    let (t, _) = run("kubectl fail && kubectl a; kubectl fail || kubectl b; kubectl c && kubectl d\n");
    assert_eq!(
        t,
        "$ kubectl fail && kubectl a; kubectl fail || kubectl b; kubectl c && kubectl d\n\
         error: boom\nerror: boom\nran b\nran c\nran d\n"
    );
    let mut host = Fake::default();
    let mut i = Interpreter::default();
    assert!(matches!(i.feed(&mut host, "kubectl fail"), Feed::Done(o) if o.exit_code == 1));
    assert!(matches!(i.feed(&mut host, "kubectl fail || true"), Feed::Done(o) if o.exit_code == 0));
    assert!(matches!(i.feed(&mut host, "false"), Feed::Done(o) if o.exit_code == 1));
    assert!(matches!(i.feed(&mut host, "nosuchcmd"), Feed::Done(o) if o.exit_code == 127));
}

#[test]
fn continuation_lines() {
    let (t, h) = run("kubectl create deployment web \\\n  --image=nginx \\\n  --replicas=3\nkubectl get pods\n");
    assert_eq!(
        t,
        "$ kubectl create deployment web \\\n>   --image=nginx \\\n>   --replicas=3\nran create deployment web --image=nginx --replicas=3\n\
         $ kubectl get pods\nran get pods\n"
    );
    assert_eq!(work(&h).len(), 2);
    // A trailing operator asks for the rest too.
    let (t, _) = run("kubectl fail ||\n  kubectl b\n");
    assert_eq!(t, "$ kubectl fail ||\n>   kubectl b\nerror: boom\nran b\n");
    // A blank line after a backslash ends the command.
    let (t, _) = run("kubectl get \\\n\nkubectl x\n");
    assert_eq!(t, "$ kubectl get \\\n> \nran get\n$ kubectl x\nran x\n");
}

#[test]
fn quoting() {
    let (_, h) = run(
        r#"kubectl annotate pod p 'note=a b' "x=\"q\" \$y \n" a\ b '' "" it\'s\ ok 'l1
l2'"#,
    );
    assert_eq!(
        work(&h),
        [
            r#"kubectl ["kubectl", "annotate", "pod", "p", "note=a b", "x=\"q\" $y \\n", "a b", "", "", "it's ok", "l1\nl2"]"#
        ]
    );
}

#[test]
fn interrupt_ordering_with_watch() {
    let (t, h) = run("kubectl get pods -w\nsleep 2\nsleep 0.5\nkubectl get pods\n");
    assert_eq!(
        t,
        "$ kubectl get pods -w\nNAME   READY\n$ sleep 2\ntick 2000\n$ sleep 0.5\ntick 500\nwatch closed\n$ kubectl get pods\nran get pods\n"
    );
    assert_eq!(
        h.calls,
        [
            "interrupt",
            r#"kubectl ["kubectl", "get", "pods", "-w"]"#,
            "sleep 2000",
            "sleep 500",
            "interrupt",
            r#"kubectl ["kubectl", "get", "pods"]"#,
            "interrupt",
        ]
    );
    // The final interrupt closes a watch still open at the end of the script.
    let (t, _) = run("kubectl get pods -w\nsleep 1\n");
    assert_eq!(
        t,
        "$ kubectl get pods -w\nNAME   READY\n$ sleep 1\ntick 1000\nwatch closed\n"
    );
    // Inside one line: each non-sleep pipeline interrupts first.
    let (t, h) = run("kubectl get pods -w; sleep 1; kubectl x\n");
    assert_eq!(
        t,
        "$ kubectl get pods -w; sleep 1; kubectl x\nNAME   READY\ntick 1000\nwatch closed\nran x\n"
    );
    assert_eq!(h.calls.iter().filter(|c| *c == "interrupt").count(), 3);
    // Blank and comment lines do not interrupt.
    let (_, h) = run("# c\n\n");
    assert_eq!(h.calls, ["interrupt"]);
}

#[test]
fn sleep_operands() {
    let (_, h) = run("sleep 1\nsleep 0.25\nsleep 1.5s\nsleep 2m\nsleep 1 2\nsleep .5\n");
    assert_eq!(
        work(&h),
        [
            "sleep 1000",
            "sleep 250",
            "sleep 1500",
            "sleep 120000",
            "sleep 3000",
            "sleep 500"
        ]
    );
    let (t, h) = run("sleep abc\nsleep\nsleep -1\n");
    assert_eq!(
        t,
        "$ sleep abc\nsleep: invalid time interval ‘abc’\nTry 'sleep --help' for more information.\n\
         $ sleep\nsleep: missing operand\nTry 'sleep --help' for more information.\n\
         $ sleep -1\nsleep: invalid option -- '1'\nTry 'sleep --help' for more information.\n"
    );
    assert!(work(&h).is_empty());
}

#[test]
fn cat_missing_file_and_stdin() {
    let (t, _) = run("cat nosuch.yaml\n");
    assert_eq!(t, "$ cat nosuch.yaml\ncat: nosuch.yaml: No such file or directory\n");
    let mut host = Fake::default();
    let mut i = Interpreter::default();
    assert!(matches!(i.feed(&mut host, "cat nosuch"), Feed::Done(o) if o.exit_code == 1));
    let (t, _) = run("kubectl apply -f - < nosuch\n");
    assert_eq!(
        t,
        "$ kubectl apply -f - < nosuch\nbash: nosuch: No such file or directory\n"
    );
}

#[test]
fn redirections() {
    let (t, h) = run("kubectl get pods > out.txt\ncat out.txt\nkubectl fail 2>/dev/null\nkubectl fail 2>&1 | wc -l\nkubectl fail > /dev/null 2>&1\nkubectl x &> both\n");
    assert_eq!(
        t,
        "$ kubectl get pods > out.txt\n$ cat out.txt\nran get pods\n$ kubectl fail 2>/dev/null\n\
         $ kubectl fail 2>&1 | wc -l\n1\n$ kubectl fail > /dev/null 2>&1\n$ kubectl x &> both\n"
    );
    assert_eq!(h.files["both"], "ran x\n");
    // Here-string.
    let (t, _) = run("kubectl apply -f - <<< 'kind: Pod'\n");
    assert!(t.ends_with("applied \"kind: Pod\\n\"\n"), "{t}");
}

#[test]
fn echo_builtin() {
    let (t, _) = run("echo hello   world\necho -n no newline\necho\necho -e 'a\\tb'\necho -x\n");
    assert_eq!(t, "$ echo hello   world\nhello world\n$ echo -n no newline\nno newline$ echo\n\n$ echo -e 'a\\tb'\na\tb\n$ echo -x\n-x\n");
}

#[test]
fn unterminated_heredoc_at_end_of_script() {
    let (t, h) = run("kubectl get pods\ncat > f.yaml <<EOF\nkind: Pod\n");
    assert_eq!(
        t,
        "$ kubectl get pods\nran get pods\n$ cat > f.yaml <<EOF\n> kind: Pod\n\
         bash: warning: here-document at line 2 delimited by end-of-file (wanted `EOF')\n"
    );
    assert_eq!(h.files["f.yaml"], "kind: Pod\n");
    // Line numbers count blank and comment lines too.
    let (t, _) = run("# a comment\n\nkubectl apply -f - <<'END'\nkind: Pod");
    assert!(t.ends_with("bash: warning: here-document at line 3 delimited by end-of-file (wanted `END')\napplied \"kind: Pod\\n\"\n"), "{t}");
}

#[test]
fn unterminated_quote_and_operators_at_end_of_script() {
    let (t, h) = run("kubectl annotate pod p 'a=b\n");
    assert_eq!(
        t,
        "$ kubectl annotate pod p 'a=b\nbash: unexpected EOF while looking for matching `''\n"
    );
    assert!(work(&h).is_empty());
    let (t, _) = run("kubectl get \"x\n");
    assert!(
        t.ends_with("bash: unexpected EOF while looking for matching `\"'\n"),
        "{t}"
    );
    let (t, h) = run("kubectl get pods |\n");
    assert_eq!(t, "$ kubectl get pods |\nbash: syntax error: unexpected end of file\n");
    assert!(work(&h).is_empty());
    // A trailing backslash on the last line is dropped.
    let (t, _) = run("kubectl get pods \\");
    assert_eq!(t, "$ kubectl get pods \\\nran get pods\n");
}

#[test]
fn syntax_errors() {
    for (line, tok) in [
        ("| kubectl get", "|"),
        ("kubectl get | | x", "|"),
        ("cat >", "newline"),
        ("cat > | x", "|"),
        (";", ";"),
        ("kubectl get ;; x", ";;"),
        ("kubectl get (x)", "("),
        ("&& x", "&&"),
    ] {
        let (t, h) = run(&format!("{line}\n"));
        assert_eq!(
            t,
            format!("$ {line}\nbash: syntax error near unexpected token `{tok}'\n"),
            "{line}"
        );
        assert!(work(&h).is_empty(), "{line}");
    }
    let mut host = Fake::default();
    let mut i = Interpreter::default();
    assert!(matches!(i.feed(&mut host, "| x"), Feed::Done(o) if o.exit_code == 2));
}

#[test]
fn console_feed_needs_more() {
    let mut host = Fake::default();
    let mut i = Interpreter::default();
    assert_eq!(i.feed(&mut host, "cat > f <<EOF"), Feed::NeedMore);
    assert!(!i.is_idle());
    assert_eq!(i.feed(&mut host, "a: 1"), Feed::NeedMore);
    assert!(matches!(i.feed(&mut host, "EOF"), Feed::Done(o) if o.chunks.is_empty() && o.exit_code == 0));
    assert!(i.is_idle());
    assert_eq!(host.files["f"], "a: 1\n");

    // Open quote: bash keeps reading, the newline is part of the word.
    assert_eq!(i.feed(&mut host, "kubectl annotate pod p 'a=line1"), Feed::NeedMore);
    let Feed::Done(out) = i.feed(&mut host, "line2'") else {
        panic!()
    };
    assert_eq!(out.text(), "ran annotate pod p a=line1\nline2\n");

    // Backslash continuation.
    assert_eq!(i.feed(&mut host, "kubectl get \\"), Feed::NeedMore);
    assert!(matches!(i.feed(&mut host, "pods"), Feed::Done(o) if o.text() == "ran get pods\n"));

    // Blank and comment lines are done at once, without output.
    assert_eq!(i.feed(&mut host, ""), Feed::Done(Output::ok()));
    assert_eq!(i.feed(&mut host, "  # hi"), Feed::Done(Output::ok()));

    // A watch closed by the next command: its goodbye comes first in that command's output.
    i.feed(&mut host, "kubectl get pods -w");
    let Feed::Done(out) = i.feed(&mut host, "kubectl get x") else {
        panic!()
    };
    assert_eq!(out.text(), "watch closed\nran get x\n");

    // Pasted text with several lines.
    let Feed::Done(out) = i.feed(&mut host, "kubectl a\nkubectl b") else {
        panic!()
    };
    assert_eq!(out.text(), "ran a\nran b\n");
    assert_eq!(i.feed(&mut host, "kubectl a\ncat <<EOF"), Feed::NeedMore);
    let Feed::Done(out) = i.feed(&mut host, "x\nEOF") else {
        panic!()
    };
    assert_eq!(out.text(), "ran a\nx\n");
}

#[test]
fn finish_flushes_like_bash_at_eof() {
    let mut host = Fake::default();
    let mut i = Interpreter::default();
    assert_eq!(i.feed(&mut host, "kubectl apply -f - <<EOF"), Feed::NeedMore);
    assert_eq!(i.feed(&mut host, "kind: Pod"), Feed::NeedMore);
    let out = i.finish(&mut host);
    assert_eq!(
        out.text(),
        "bash: warning: here-document at line 1 delimited by end-of-file (wanted `EOF')\napplied \"kind: Pod\\n\"\n"
    );
    assert!(i.is_idle());
    assert_eq!(i.finish(&mut host), Output::ok());
}

#[test]
fn hostile_input_does_not_panic() {
    let huge = "x".repeat(1 << 20);
    let (t, _) = run(&format!("kubectl get {huge}\n"));
    assert!(t.len() > 2 << 20);
    let (t, _) = run(&format!("cat > f <<EOF\n{huge}\nEOF\n"));
    assert!(t.len() > 1 << 20);
    let weird = "kubectl get \u{0}\u{1b}[31m \u{202e}évil\u{fe0f} 🙂 \r\u{7f} '\u{0}'";
    let (t, h) = run(weird);
    assert!(t.starts_with("$ kubectl get"));
    assert_eq!(work(&h).len(), 1);
    for s in [
        "'", "\"", "\\", "<<", "<<EOF", "cat <<", "|", "&&", ">&", "2>&9 x", "x 2>&", "<<<", "(((", "$(", "`", "\"\\",
    ] {
        let _ = run(s);
        let _ = run(&format!("{s}\n{s}\n"));
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn random_scripts_never_panic(script in "(?s).{0,200}") {
        let _ = run(&script);
    }

    #[test]
    fn random_shell_like_lines_never_panic(lines in proptest::collection::vec(
        "(kubectl|k|cat|echo|sleep|EOF|<<|<<-|'|\"|\\\\|\\||&&|;|>|>>|2>&1|<|#| |-f|-|x|0\\.5|\t)*", 0..12)) {
        let mut host = Fake::default();
        let mut i = Interpreter::default();
        for l in &lines {
            let _ = i.feed(&mut host, l);
        }
        let _ = i.finish(&mut host);
        let _ = run(&lines.join("\n"));
    }
}

#[test]
fn variables_and_expansion() {
    let (t, h) = run("P=$(kubectl get pods -o name)\necho \"[$P]\" $P\nX='a  b'; echo $X \"$X\" ${Y:-d} ${#X}\nexport N=1 M\nunset X; echo \"<$X>\"\n");
    assert_eq!(
        t,
        "$ P=$(kubectl get pods -o name)\n$ echo \"[$P]\" $P\n[ran get pods -o name] ran get pods -o name\n\
         $ X='a  b'; echo $X \"$X\" ${Y:-d} ${#X}\na b a  b d 4\n$ export N=1 M\n$ unset X; echo \"<$X>\"\n<>\n"
    );
    assert_eq!(work(&h)[0], r#"kubectl ["kubectl", "get", "pods", "-o", "name"]"#);
    // `$?` is the last status; an assignment's is its substitution's.
    let (t, _) = run("X=$(false)\necho $?\nkubectl fail\necho $?\n");
    assert!(
        t.ends_with("$ echo $?\n1\n$ kubectl fail\nerror: boom\n$ echo $?\n1\n"),
        "{t}"
    );
}

#[test]
fn for_loops_over_lines_and_words() {
    let (t, _) =
        run("for i in 1 2; do kubectl get pod p$i; done\nfor w in $(echo a b)\ndo\n  echo \"<$w>\"\ndone | cat\n");
    assert_eq!(
        t,
        "$ for i in 1 2; do kubectl get pod p$i; done\nran get pod p1\nran get pod p2\n\
         $ for w in $(echo a b)\n> do\n>   echo \"<$w>\"\n> done | cat\n<a>\n<b>\n"
    );
    let mut host = Fake::default();
    let mut i = Interpreter::default();
    assert_eq!(i.feed(&mut host, "for x in a; do"), Feed::NeedMore);
    assert_eq!(i.prompt(&host), "> ");
    assert!(matches!(i.feed(&mut host, "done"), Feed::Done(o) if o.exit_code == 2));
}

#[test]
fn unsupported_syntax_fails_loudly() {
    for line in [
        "if true; then echo; fi",
        "while true; do :; done",
        "(cd /)",
        "echo $((1+1))",
        "echo ${X%y}",
    ] {
        let mut host = Fake::default();
        let mut i = Interpreter::default();
        let Feed::Done(out) = i.feed(&mut host, line) else {
            panic!("{line}")
        };
        assert!(
            out.exit_code != 0 && out.text().contains("not simulated") || out.text().contains("does not simulate"),
            "{line}: {out:?}"
        );
    }
}

#[test]
fn a_foreground_shell_reads_the_lines_until_it_exits() {
    let (t, h) = run("kubectl shell\nls\n\nexit 3\necho $?\nkubectl shell\nhostname\n");
    assert_eq!(
        t,
        "$ kubectl shell\n/ # ls\nsh ran ls\n/ # exit 3\ncommand terminated with exit code 3\n$ echo $?\n3\n\
         $ kubectl shell\n/ # hostname\nsh ran hostname\n/ # \n"
    );
    assert!(!h.shell, "the end of the script ends the shell's input");
    let mut host = Fake::default();
    let mut i = Interpreter::default();
    let _ = i.feed(&mut host, "kubectl shell");
    assert_eq!(i.prompt(&host), "/ # ");
    assert_eq!(i.end_of_input(&mut host).text(), "\n");
    assert_eq!(i.prompt(&host), "$ ");
    assert_eq!(
        i.end_of_input(&mut host),
        Output::ok(),
        "Ctrl-D at bash's prompt does nothing"
    );
}
