//! Maps and sets keyed by spsId or enrollment id. The dataset's index is rebuilt for every
//! list that arrives (10,000 entries at a time, issue 12), and with std's SipHash the hashing
//! was a tenth of applying a list. spsIds are numbers SPS hands out, not text an attacker picks, so a multiply is
//! enough to spread them over the table.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

pub type IdMap<V> = HashMap<u64, V, BuildHasherDefault<IdHasher>>;
pub type IdSet = HashSet<u64, BuildHasherDefault<IdHasher>>;

/// Fibonacci hashing: the id times 2^64/φ, which moves every bit of the id into the high
/// bits that the table's control bytes read, and keeps consecutive ids apart in the low
/// bits that pick the bucket.
#[derive(Debug, Default, Clone, Copy)]
pub struct IdHasher(u64);

const GOLDEN: u64 = 0x9E37_79B9_7F4A_7C15;

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // Only used if a key other than u64 is ever hashed: still a correct hash.
        for byte in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(*byte)).wrapping_mul(GOLDEN);
        }
    }

    fn write_u64(&mut self, id: u64) {
        self.0 = (self.0 ^ id).wrapping_mul(GOLDEN);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::BuildHasher;

    fn hash(id: u64) -> u64 {
        BuildHasherDefault::<IdHasher>::default().hash_one(id)
    }

    #[test]
    fn consecutive_ids_differ_in_high_and_low_bits() {
        for id in 1..1000u64 {
            let (a, b) = (hash(id), hash(id + 1));
            assert_ne!(a >> 57, b >> 57, "{id}: the control byte must differ");
            assert_ne!(a & 0xff, b & 0xff, "{id}: the bucket must differ");
        }
    }

    #[test]
    fn a_map_finds_what_it_holds() {
        let mut map: IdMap<usize> = IdMap::default();
        for (position, id) in (10_000u64..20_000).step_by(7).enumerate() {
            map.insert(id, position);
        }
        assert_eq!(map.get(&10_007), Some(&1));
        assert_eq!(map.get(&10_008), None);
        assert_eq!(map.len(), 1429);
    }
}
