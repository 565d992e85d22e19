//! The generator's one source of randomness, written out here so that a seed
//! gives the same facts on every platform, with every version of every
//! dependency. It owns drawing numbers, never what they mean.

/// The golden-ratio increment of SplitMix64.
const GAMMA: u64 = 0x9E37_79B9_7F4A_7C15;

/// SplitMix64's output function: two multiply-xorshift rounds that turn a
/// counter into a well-mixed word.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// SplitMix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number
/// generators", 2014; Vigna's public-domain C code): a 64-bit counter stepped
/// by [`GAMMA`] and scrambled by [`mix`]. It passes BigCrush, accepts any
/// seed and needs no warm-up, which is all synthetic facts ask of it; `rand`'s
/// `StdRng` is not promised to stay the same across versions, this is.
#[derive(Clone, Debug)]
pub(super) struct Rng {
    state: u64,
}

impl Rng {
    /// The generator for one part of the facts, such as `"people"`. Each part
    /// draws from its own stream, so that changing how one part is drawn
    /// leaves the others as they were.
    pub fn new(seed: u64, part: &str) -> Rng {
        let mut state = mix(seed);
        for byte in part.bytes() {
            state = mix(state ^ u64::from(byte)).wrapping_add(GAMMA);
        }
        Rng { state }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(GAMMA);
        mix(self.state)
    }

    /// A number in `0..n`, by Lemire's multiply-shift (the bias, under
    /// n / 2^64, does not matter here); 0 when `n` is 0.
    pub fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// An index into a collection of `len` items; 0 when it is empty.
    pub fn index(&mut self, len: usize) -> usize {
        self.below(len as u64) as usize
    }

    /// A number in `low..=high`; `low` when the range is empty.
    pub fn between(&mut self, low: i32, high: i32) -> i32 {
        if high <= low {
            return low;
        }
        let width = (i64::from(high) - i64::from(low) + 1) as u64;
        (i64::from(low) + self.below(width) as i64) as i32
    }

    /// True `percent` times in a hundred.
    pub fn percent(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// One item of a non-empty slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.index(items.len())]
    }

    /// The item of a weighted table, each item as likely as its weight says.
    /// The table must not be empty and its weights must not all be 0.
    pub fn weighted<T: Copy>(&mut self, table: &[(T, u32)]) -> T {
        let total: u64 = table.iter().map(|&(_, weight)| u64::from(weight)).sum();
        let mut ticket = self.below(total);
        for &(item, weight) in table {
            if ticket < u64::from(weight) {
                return item;
            }
            ticket -= u64::from(weight);
        }
        table[table.len() - 1].0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn is_splitmix64() {
        // The first outputs for state 0, from the reference C code: if these
        // change, every generated fact changes with them.
        let mut rng = Rng { state: 0 };
        assert_eq!(rng.next_u64(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(rng.next_u64(), 0x6E78_9E6A_A1B9_65F4);
        assert_eq!(rng.next_u64(), 0x06C4_5D18_8009_454F);
    }

    #[test]
    fn parts_draw_from_different_streams() {
        let a = Rng::new(7, "people").next_u64();
        let b = Rng::new(7, "events").next_u64();
        let c = Rng::new(8, "people").next_u64();
        assert_ne!(a, b);
        assert_ne!(a, c);
        assert_eq!(a, Rng::new(7, "people").next_u64());
    }

    #[test]
    fn draws_stay_in_range() {
        let mut rng = Rng::new(1, "test");
        for _ in 0..1000 {
            assert!(rng.below(7) < 7);
            assert!((-3..=3).contains(&rng.between(-3, 3)));
        }
        assert_eq!(rng.between(5, 5), 5);
        assert_eq!(rng.below(0), 0);
        let table = [("never", 0), ("always", 3)];
        assert!((0..100).all(|_| rng.weighted(&table) == "always"));
    }
}
