//! `describeSecret`.

use super::prelude::*;

/// `describeSecret`: the type, then each key with its size in bytes, never the value (a
/// service-account token is the exception kubectl makes). Secrets have no Events section.
pub(super) fn secret(w: &mut W, s: &Secret) {
    let m = &s.metadata;
    put!(w, 0, "Name:\t{}\n", m.name);
    put!(w, 0, "Namespace:\t{}\n", m.ns());
    labels_multiline(w, "", "Labels", &m.labels);
    annotations_multiline(w, "Annotations", &m.annotations);
    let type_ = s.type_.as_deref().unwrap_or("");
    put!(w, 0, "\nType:\t{type_}\n");
    w.put(0, "\nData\n====\n");
    for (k, v) in &s.data {
        let bytes = crate::engine::base64::decode(v).unwrap_or_default();
        if k == "token" && type_ == "kubernetes.io/service-account-token" {
            put!(w, 0, "{k}:\t{}\n", String::from_utf8_lossy(&bytes));
        } else {
            put!(w, 0, "{k}:\t{} bytes\n", bytes.len());
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::{Session, SessionOptions};

    fn kubectl(s: &mut Session, line: &str) -> String {
        let argv = shlex::split(line).expect("test command lines are well quoted");
        s.kubectl(&argv, None).stdout()
    }

    /// `captured/describe.txt`, `kubectl describe secret db-pass`: sizes, never values.
    #[test]
    fn secrets_show_sizes_like_the_capture() {
        let mut s = Session::new(SessionOptions::default());
        kubectl(
            &mut s,
            "kubectl create secret generic db-pass --from-literal=password=s3cret",
        );
        let want = "\
Name:         db-pass
Namespace:    default
Labels:       <none>
Annotations:  <none>

Type:  Opaque

Data
====
password:  6 bytes
";
        assert_eq!(kubectl(&mut s, "kubectl describe secret db-pass"), want);
    }
}
