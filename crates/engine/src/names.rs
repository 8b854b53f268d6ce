//! Names the control plane makes up: pod-template-hash values and the hashing behind them.

use crate::api::PodTemplateSpec;
use crate::rng::NAME_ALPHABET;

/// FNV-1a, 32 bit: the hash the deployment controller uses for `pod-template-hash`.
pub fn fnv32a(bytes: &[u8]) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in bytes {
        h ^= u32::from(*b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

/// apimachinery `rand.SafeEncodeString`: each byte mapped into the name alphabet. Applied to the
/// decimal hash, this gives the familiar `7c5ddbdf54` shape (only `4-9bcdf` can appear).
pub fn safe_encode(s: &str) -> String {
    s.bytes()
        .map(|b| NAME_ALPHABET[b as usize % NAME_ALPHABET.len()] as char)
        .collect()
}

/// `pod-template-hash` of a template (deployment util `ComputeHash`): same template, same hash,
/// so a rollback finds its old ReplicaSet again. The template is hashed without its own
/// `pod-template-hash` label.
pub fn pod_template_hash(template: &PodTemplateSpec, collision_count: Option<i64>) -> String {
    let mut t = template.clone();
    t.metadata.labels.remove("pod-template-hash");
    let mut bytes = serde_json::to_vec(&t).unwrap_or_default();
    if let Some(c) = collision_count {
        bytes.extend_from_slice(c.to_string().as_bytes());
    }
    safe_encode(&fnv32a(&bytes).to_string())
}

/// A stable pseudo-random number from a string, for choices that must not consume the cluster
/// RNG (the kubelet's pull times are a pure function of the pod).
pub fn stable_hash(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for b in p.bytes().chain([0xff]) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    // Finalise (splitmix) so nearby inputs spread.
    h = (h ^ (h >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h = (h ^ (h >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^ (h >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_is_stable_and_ignores_its_own_label() {
        let mut t = PodTemplateSpec::default();
        t.metadata.labels.insert("app".into(), "web".into());
        let h = pod_template_hash(&t, None);
        assert!(h.len() >= 8 && h.chars().all(|c| "456789bcdf".contains(c)), "{h}");
        t.metadata.labels.insert("pod-template-hash".into(), h.clone());
        assert_eq!(pod_template_hash(&t, None), h);
        t.metadata.labels.insert("app".into(), "api".into());
        assert_ne!(pod_template_hash(&t, None), h);
        assert_eq!(fnv32a(b""), 0x811c_9dc5);
    }
}
