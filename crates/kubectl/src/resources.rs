//! Resource type names as kubectl resolves them through discovery: plurals, singulars, short
//! names, kind names in any case, and `<resource>.<group>` forms (`deploy`, `deployments.apps`,
//! `Deployment`, `deployment.v1.apps`), plus `TYPE/NAME` arguments.

use crate::engine::api::Kind;

/// Resolves one resource type word. `None` means the server has no such type.
pub fn resolve(word: &str) -> Option<Kind> {
    let lower = word.to_ascii_lowercase();
    let (name, group) = match lower.split_once('.') {
        Some((n, rest)) => {
            // `deployment.v1.apps` or `deployments.apps`.
            let group = match rest.split_once('.') {
                Some((v, g)) if v.starts_with('v') && v[1..].chars().next().is_some_and(|c| c.is_ascii_digit()) => g,
                _ => rest,
            };
            (n.to_string(), Some(group.to_string()))
        }
        None => (lower.clone(), None),
    };
    Kind::ALL.iter().copied().find(|k| {
        let i = k.info();
        let name_ok = i.plural == name
            || i.singular == name
            || i.kind.eq_ignore_ascii_case(&name)
            || i.short_names.contains(&name.as_str());
        let group_ok = match &group {
            None => true,
            Some(g) => g == i.group || (g.is_empty() && i.group.is_empty()),
        };
        name_ok && group_ok
    })
}

/// `the server doesn't have a resource type "foo"`.
pub fn unknown_type(word: &str) -> String {
    format!("the server doesn't have a resource type \"{word}\"")
}

/// The kinds `kubectl get all` lists, in its order.
pub fn all_kinds() -> Vec<Kind> {
    let order = [
        "Pod",
        "Service",
        "DaemonSet",
        "Deployment",
        "ReplicaSet",
        "StatefulSet",
        "Job",
        "CronJob",
    ];
    order
        .iter()
        .filter_map(|k| Kind::ALL.iter().copied().find(|x| x.info().kind == *k))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_every_spelling() {
        for w in [
            "deploy",
            "deployment",
            "deployments",
            "Deployment",
            "deployments.apps",
            "deployment.v1.apps",
        ] {
            assert_eq!(resolve(w), Some(Kind::Deployment), "{w}");
        }
        assert_eq!(resolve("po"), Some(Kind::Pod));
        assert_eq!(resolve("svc"), Some(Kind::Service));
        assert_eq!(resolve("ep"), Some(Kind::Endpoints));
        assert_eq!(resolve("no"), Some(Kind::Node));
        assert_eq!(resolve("foo"), None);
        assert_eq!(resolve("pods.apps"), None);
    }
}
