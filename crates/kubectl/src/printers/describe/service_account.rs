//! `describeServiceAccount` (v1.32, before the token lines were dropped in 1.35).

use super::prelude::*;

/// `describeServiceAccount`: image pull secrets, mountable secrets (`.secrets`) and the token
/// Secrets of the account, each list under its fixed-width header; a referenced secret that
/// does not exist is marked `(not found)`.
pub(super) fn service_account(w: &mut W, sa: &ServiceAccount, ctx: &Ctx) {
    let m = &sa.metadata;
    put!(w, 0, "Name:\t{}\n", m.name);
    put!(w, 0, "Namespace:\t{}\n", m.ns());
    labels_multiline(w, "", "Labels", &m.labels);
    annotations_multiline(w, "Annotations", &m.annotations);
    let secrets: Vec<&Secret> = ctx
        .cluster
        .list(Kind::Secret, Some(m.ns()))
        .into_iter()
        .filter_map(|o| o.as_secret())
        .collect();
    let tokens: Vec<String> = secrets
        .iter()
        .filter(|s| s.type_.as_deref() == Some("kubernetes.io/service-account-token"))
        .filter(|s| {
            let a = &s.metadata.annotations;
            a.get("kubernetes.io/service-account.name") == Some(&m.name)
                && a.get("kubernetes.io/service-account.uid")
                    .is_none_or(|uid| uid == m.uid())
        })
        .map(|s| s.metadata.name.clone())
        .collect();
    let pull: Vec<String> = sa
        .image_pull_secrets
        .iter()
        .filter_map(|r| r.get("name").and_then(Value::as_str).map(str::to_string))
        .collect();
    let mountable: Vec<String> = sa.secrets.iter().filter_map(|r| r.name.clone()).collect();
    const EMPTY: &str = "                   ";
    for (header, names) in [
        ("Image pull secrets:", pull),
        ("Mountable secrets: ", mountable),
        ("Tokens:            ", tokens),
    ] {
        if names.is_empty() {
            put!(w, 0, "{header}\t<none>\n");
            continue;
        }
        let mut prefix = header;
        for name in names {
            let missing = if secrets.iter().any(|s| s.metadata.name == name) {
                ""
            } else {
                " (not found)"
            };
            put!(w, 0, "{prefix}\t{name}{missing}\n");
            prefix = EMPTY;
        }
    }
    events(w, ctx.events(m), ctx.now);
}
