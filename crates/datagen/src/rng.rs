//! SplitMix64, written here rather than taken from a crate so that the bytes a seed gives never
//! change with a dependency's version: tests and benchmarks may compare against them.

/// Which part of the data a generator is drawing for. Each row draws from its own stream, seeded
/// by (seed, stream, index), so any file can re-derive any row of another file without reading
/// it or holding it in memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stream {
    /// A title's basics (type, names, years, genres).
    Title = 1,
    /// A title's credits (principals and crew).
    Credits = 2,
    /// A title's alternative titles.
    Akas = 3,
    /// A title's rating.
    Rating = 4,
    /// A person's name.basics row.
    Person = 5,
}

const GOLDEN: u64 = 0x9E37_79B9_7F4A_7C15;

fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A small, fast pseudo-random generator (SplitMix64). Not for anything secret.
#[derive(Debug, Clone)]
pub(crate) struct Rng {
    state: u64,
}

impl Rng {
    /// The generator of row `index` of `stream` under `seed`.
    pub(crate) fn for_row(seed: u64, stream: Stream, index: u64) -> Self {
        let state = mix(seed ^ mix((stream as u64).wrapping_mul(GOLDEN) ^ mix(index)));
        Rng { state }
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(GOLDEN);
        mix(self.state)
    }

    /// A number in `0..n` (0 when `n` is 0). Multiply-shift: the bias is far below anything a
    /// test could see.
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// A number in `low..=high`.
    pub(crate) fn between(&mut self, low: u64, high: u64) -> u64 {
        low + self.below(high - low + 1)
    }

    /// A number in `[0, 1)`.
    pub(crate) fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// True `per_mille` times in a thousand.
    pub(crate) fn chance(&mut self, per_mille: u64) -> bool {
        self.below(1000) < per_mille
    }

    /// One of `items`, all equally likely.
    pub(crate) fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize]
    }

    /// One of `items`, each as likely as its weight.
    pub(crate) fn weighted<'a, T>(&mut self, items: &'a [(T, u32)]) -> &'a T {
        let total: u64 = items.iter().map(|(_, w)| u64::from(*w)).sum();
        let mut ticket = self.below(total);
        for (item, weight) in items {
            let weight = u64::from(*weight);
            if ticket < weight {
                return item;
            }
            ticket -= weight;
        }
        &items[items.len() - 1].0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_reproducible_and_independent() {
        let draw = |seed, stream, index| Rng::for_row(seed, stream, index).next_u64();
        assert_eq!(draw(1, Stream::Title, 7), draw(1, Stream::Title, 7));
        assert_ne!(draw(1, Stream::Title, 7), draw(1, Stream::Title, 8));
        assert_ne!(draw(1, Stream::Title, 7), draw(2, Stream::Title, 7));
        assert_ne!(draw(1, Stream::Title, 7), draw(1, Stream::Akas, 7));
    }

    #[test]
    fn below_stays_in_range_and_covers_it() {
        let mut rng = Rng::for_row(3, Stream::Person, 0);
        let mut seen = [false; 7];
        for _ in 0..1000 {
            let n = rng.below(7);
            assert!(n < 7);
            seen[n as usize] = true;
        }
        assert!(seen.iter().all(|s| *s));
        assert_eq!(rng.below(0), 0);
    }

    #[test]
    fn weighted_follows_the_weights() {
        let mut rng = Rng::for_row(5, Stream::Rating, 0);
        let items = [("rare", 1), ("common", 99)];
        let rare = (0..10_000)
            .filter(|_| *rng.weighted(&items) == "rare")
            .count();
        assert!((30..200).contains(&rare), "{rare}");
    }
}
