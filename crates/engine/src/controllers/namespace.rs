//! What every namespace gets from the control plane: the `kube-root-ca.crt` ConfigMap (the
//! root-ca-cert-publisher) and the `default` ServiceAccount (the serviceaccounts controller).
//! Both come back when deleted, and neither is made in a terminating namespace.

use super::Action;
use crate::api::*;
use std::sync::OnceLock;

pub const ROOT_CA_CONFIGMAP: &str = "kube-root-ca.crt";

/// The `kubernetes.io/description` annotation real clusters put on `kube-root-ca.crt`.
pub const ROOT_CA_DESCRIPTION: &str = "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.";

/// The cluster CA certificate (PEM) that `kube-root-ca.crt` and every pod's
/// `/var/run/secrets/kubernetes.io/serviceaccount/ca.crt` hold: a fixed, realistic-looking
/// kubeadm CA (same for every cluster, as nothing can verify it).
pub fn root_ca() -> &'static str {
    static PEM: OnceLock<String> = OnceLock::new();
    PEM.get_or_init(|| {
        let mut bytes = Vec::with_capacity(777);
        let mut i = 0u64;
        while bytes.len() < 777 {
            bytes.extend_from_slice(&crate::names::stable_hash(&["kubelab-ca", &i.to_string()]).to_le_bytes());
            i += 1;
        }
        bytes.truncate(777);
        let body = format!("MIIDBTCCAe2gAwIBAgII{}", crate::base64::encode(&bytes));
        let lines: Vec<&str> = body
            .as_bytes()
            .chunks(64)
            .map(|c| std::str::from_utf8(c).unwrap_or(""))
            .collect();
        format!(
            "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
            lines.join("\n")
        )
    })
}

/// The objects `ns` must have; `has_ca`/`has_sa` say which already exist.
pub fn reconcile(ns: &Namespace, has_ca: bool, has_sa: bool) -> Vec<Action> {
    let mut out = Vec::new();
    if ns.metadata.is_deleting() {
        return out;
    }
    let name = ns.metadata.name.as_str();
    if !has_ca {
        let mut cm = ConfigMap {
            metadata: ObjectMeta::named(ROOT_CA_CONFIGMAP, Some(name)),
            ..Default::default()
        };
        cm.metadata
            .annotations
            .insert("kubernetes.io/description".into(), ROOT_CA_DESCRIPTION.into());
        cm.data.insert("ca.crt".into(), root_ca().to_string());
        out.push(Action::Ensure(Object::ConfigMap(cm)));
    }
    if !has_sa {
        let sa = ServiceAccount {
            metadata: ObjectMeta::named("default", Some(name)),
            ..Default::default()
        };
        out.push(Action::Ensure(Object::ServiceAccount(sa)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_live_namespace_gets_its_ca_and_default_account() {
        let ns = Namespace {
            metadata: ObjectMeta::named("dev", None),
            ..Default::default()
        };
        let acts = reconcile(&ns, false, false);
        assert_eq!(acts.len(), 2);
        let Action::Ensure(Object::ConfigMap(cm)) = &acts[0] else {
            panic!("{acts:?}")
        };
        assert_eq!(cm.metadata.ns(), "dev");
        assert!(cm.data["ca.crt"].starts_with("-----BEGIN CERTIFICATE-----\nMIIDBTCCAe2gAwIBAgII"));
        assert!(cm.data["ca.crt"].lines().all(|l| l.len() <= 64));
        assert!(reconcile(&ns, true, true).is_empty());
        let mut gone = ns.clone();
        gone.metadata.deletion_timestamp = Some(crate::time::Timestamp(Default::default()));
        assert!(reconcile(&gone, false, false).is_empty());
    }
}
