//! The real kubectl v1.32 binary as an oracle: client-side errors, `--dry-run=client`,
//! `--local` and `--help` need no server, so each case runs in `/usr/bin/kubectl` (offline, in
//! a scratch directory holding [`Oracle::files`]) and in a fresh kubelab session holding the
//! same virtual files; stdout, stderr and the exit code must be the same bytes. klog headers
//! carry a wall clock and a pid, so both sides' headers are masked. Without the binary the
//! caller's test prints why it did nothing.

#![allow(dead_code)]

use kubelab_kubectl::{Session, SessionOptions, Stream};
use std::path::{Path, PathBuf};
use std::process::Command;

pub const KUBECTL: &str = "/usr/bin/kubectl";

/// Files both sides can read.
pub struct Oracle {
    pub files: Vec<(&'static str, String)>,
}

impl Oracle {
    pub fn new(files: &[(&'static str, &str)]) -> Self {
        Oracle {
            files: files.iter().map(|(p, t)| (*p, t.to_string())).collect(),
        }
    }

    /// Runs every case on both sides and fails with all the differences. Cases the oracle
    /// cannot answer offline are failures too: they do not belong in an oracle test.
    pub fn compare(&self, what: &str, all: &[Vec<&str>]) {
        if !Path::new(KUBECTL).exists() {
            println!("skipped: {KUBECTL} is not installed, so there is no oracle to compare with");
            return;
        }
        let dir = std::env::temp_dir().join(format!("kubelab-oracle-{what}-{}", std::process::id()));
        for (p, text) in &self.files {
            let path = dir.join(p);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let mut failures = Vec::new();
        for args in all {
            let (want_out, want_err, want_code) = real(&dir, args);
            if want_err.contains("localhost:8080") {
                failures.push(format!(
                    "kubectl {}: the oracle needs a server for this case",
                    args.join(" ")
                ));
                continue;
            }
            let (got_out, got_err, got_code) = self.simulated(args);
            let (want_err, got_err) = (mask_klog(&want_err), mask_klog(&got_err));
            if (&want_out, &want_err, want_code) != (&got_out, &got_err, got_code) {
                failures.push(format!(
                    "kubectl {}\n--- kubectl (exit {want_code})\n{want_out}{want_err}--- kubelab (exit {got_code})\n{got_out}{got_err}",
                    args.join(" ")
                ));
            }
        }
        let _ = std::fs::remove_dir_all(&dir);
        assert!(
            failures.is_empty(),
            "{} of {} cases differ:\n\n{}",
            failures.len(),
            all.len(),
            failures.join("\n\n")
        );
        println!("{} cases identical to {KUBECTL}", all.len());
    }

    fn simulated(&self, args: &[&str]) -> (String, String, i32) {
        let mut s = Session::new(SessionOptions::default());
        for (p, text) in &self.files {
            s.files.insert(p.to_string(), text.clone());
        }
        let mut argv = vec!["kubectl".to_string()];
        argv.extend(args.iter().map(|a| a.to_string()));
        let out = s.kubectl(&argv, None);
        let err: String = out
            .chunks
            .iter()
            .filter(|(st, _)| *st == Stream::Stderr)
            .map(|(_, t)| t.as_str())
            .collect();
        (out.stdout(), err, out.exit_code)
    }
}

/// `E1125 14:35:28.300032   19028 run.go:72] …` → `E<klog> run.go:72] …`.
pub fn mask_klog(text: &str) -> String {
    text.lines()
        .map(|l| {
            let b = l.as_bytes();
            let is_klog = b.len() > 22
                && matches!(b[0], b'I' | b'W' | b'E' | b'F')
                && b[1..5].iter().all(u8::is_ascii_digit)
                && b[5] == b' '
                && b[8] == b':'
                && b[14] == b'.';
            if is_klog {
                let rest = l[21..].trim_start();
                let after_pid = rest.split_once(' ').map(|(_, r)| r).unwrap_or(rest);
                format!("{}<klog> {after_pid}\n", &l[..1])
            } else {
                format!("{l}\n")
            }
        })
        .collect()
}

fn real(dir: &PathBuf, args: &[&str]) -> (String, String, i32) {
    let o = Command::new(KUBECTL)
        .args(args)
        .current_dir(dir)
        .env("KUBECONFIG", dir.join("no-kubeconfig"))
        .env_remove("KUBERNETES_SERVICE_HOST")
        .output()
        .expect("run kubectl");
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
        o.status.code().unwrap_or(-1),
    )
}
