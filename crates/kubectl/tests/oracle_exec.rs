//! `kubectl exec`'s client-side errors against the real kubectl v1.32 binary (they happen before
//! kubectl contacts a server): no pod, no command, the removed `exec POD COMMAND` form, bad
//! flags. See `oracle/mod.rs`.

mod oracle;

use oracle::Oracle;

#[test]
fn exec_errors_match_real_kubectl() {
    let cases: Vec<Vec<&str>> = vec![
        vec!["exec"],
        vec!["exec", "x"],
        vec!["exec", "x", "--"],
        vec!["exec", "--", "ls"],
        vec!["exec", "-it", "x", "sh"],
        vec!["exec", "x", "sh"],
        vec!["exec", "x", "ls", "-l"],
        vec!["exec", "-c", "nginx", "x"],
        vec!["exec", "-p", "x", "--", "ls"],
        vec!["exec", "x", "--bogus", "--", "ls"],
        vec!["exec", "x", "--pod-running-timeout=abc", "--", "ls"],
    ];
    Oracle::new(&[("README", "exec cases need no files\n")]).compare("exec", &cases);
}
