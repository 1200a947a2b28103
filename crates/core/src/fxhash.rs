//! A fast, non-cryptographic hasher for the engine's own lookup tables (client
//! identifiers, interned labels), where SipHash's protection against crafted keys buys
//! nothing and costs a tenth of validation time. This is the Fx hash used by rustc.

use std::hash::{BuildHasherDefault, Hasher};

/// The Fx hash.
#[derive(Debug, Default, Clone, Copy)]
pub struct FxHasher {
    hash: u64,
}

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(w));
        }
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        self.hash
    }
}

/// A hasher for content whose identity is judged by its hash alone (a row repeated
/// exactly, a reference written otherwise): well mixed, unlike the Fx hash, so that
/// distinct rows among tens of millions do not meet by accident; seeded the same in
/// every run, so that a run is repeatable; and several times faster than SipHash.
pub fn content_hasher() -> impl Hasher {
    use std::hash::BuildHasher;
    foldhash::quality::FixedState::with_seed(CONTENT_SEED).build_hasher()
}

/// [`content_hasher`]'s hash of some bytes.
pub fn content_hash(bytes: &[u8]) -> u64 {
    let mut h = content_hasher();
    h.write(bytes);
    h.finish()
}

const CONTENT_SEED: u64 = 0x73_70_72_6f_75_74_2d_31;

/// `HashMap` with the Fx hash.
pub type FxHashMap<K, V> = std::collections::HashMap<K, V, BuildHasherDefault<FxHasher>>;
pub type FxHashSet<K> = std::collections::HashSet<K, BuildHasherDefault<FxHasher>>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distinct_keys_stay_distinct() {
        let mut m: FxHashMap<String, usize> = FxHashMap::default();
        for i in 0..10_000 {
            m.insert(format!("WW{i:07}"), i);
        }
        assert_eq!(m.len(), 10_000);
        assert_eq!(m.get("WW0001234"), Some(&1234));
        assert_eq!(m.get("WW0001234x"), None);
    }
}
