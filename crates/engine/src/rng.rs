//! The cluster's one source of randomness: SplitMix64, seeded. Every "random" choice (name
//! suffixes, ClusterIPs, node ports, image pull times) comes from here, so a seed replays a run
//! exactly. Hand-written because it is ten lines and must never change across dependency
//! upgrades (a changed stream would rewrite every golden transcript).

#[derive(Clone, Debug)]
pub struct SimRng {
    state: u64,
}

/// apimachinery `util/rand` alphabet: consonants and digits without vowels, 0, 1 or 3, so
/// generated names never spell words.
pub const NAME_ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";

impl SimRng {
    pub fn new(seed: u64) -> Self {
        SimRng { state: seed }
    }

    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        // Lemire's multiply-shift; bias is negligible for the small ranges used here.
        ((self.next_u64() as u128 * n as u128) >> 64) as u64
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }

    /// `n` characters from [`NAME_ALPHABET`], as `generateName` appends (5 for pods).
    pub fn name_suffix(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| NAME_ALPHABET[self.below(NAME_ALPHABET.len() as u64) as usize] as char)
            .collect()
    }

    /// A UUID v4 string, for `metadata.uid`.
    pub fn uuid(&mut self) -> String {
        let a = self.next_u64();
        let b = self.next_u64();
        let a = (a & 0xFFFF_FFFF_FFFF_0FFF) | 0x4000; // version 4
        let b = (b & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000; // variant 10
        format!(
            "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xFFFF,
            a & 0xFFFF,
            b >> 48,
            b & 0xFFFF_FFFF_FFFF
        )
    }

    /// `n` lowercase hex digits (container IDs, image digests).
    pub fn hex(&mut self, n: usize) -> String {
        let mut s = String::with_capacity(n + 16);
        while s.len() < n {
            s.push_str(&format!("{:016x}", self.next_u64()));
        }
        s.truncate(n);
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_stream_and_alphabet_only() {
        let mut a = SimRng::new(7);
        let mut b = SimRng::new(7);
        let s = a.name_suffix(5);
        assert_eq!(s, b.name_suffix(5));
        assert!(s.bytes().all(|c| NAME_ALPHABET.contains(&c)));
        let u = a.uuid();
        assert_eq!(u.len(), 36);
        assert_eq!(&u[14..15], "4");
        assert_ne!(SimRng::new(8).name_suffix(5), SimRng::new(7).name_suffix(5));
    }
}
