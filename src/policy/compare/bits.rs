//! A small fixed-width bit set, hashable, for signatures and automaton states.

/// A set of small integers, as words of bits.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
pub(super) struct Bits(Vec<u64>);

impl Bits {
    /// The empty set with room for `width` members.
    pub(super) fn new(width: usize) -> Bits {
        Bits(vec![0; width.div_ceil(64)])
    }

    pub(super) fn set(&mut self, i: usize) {
        self.0[i / 64] |= 1 << (i % 64);
    }

    pub(super) fn get(&self, i: usize) -> bool {
        self.0
            .get(i / 64)
            .is_some_and(|word| word & (1 << (i % 64)) != 0)
    }

    /// How many members it has.
    pub(super) fn count(&self) -> usize {
        self.0.iter().map(|word| word.count_ones() as usize).sum()
    }

    /// The members of both.
    pub(super) fn and(&self, other: &Bits) -> Bits {
        Bits(self.0.iter().zip(&other.0).map(|(a, b)| a & b).collect())
    }

    /// The members of either.
    pub(super) fn or(&self, other: &Bits) -> Bits {
        Bits(self.0.iter().zip(&other.0).map(|(a, b)| a | b).collect())
    }
}
