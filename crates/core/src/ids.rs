//! Positions that stages hand each other, each its own type so that one cannot be taken
//! for another: a client's number in the canonical tables, and a timepoint's, measure's or
//! phase's place in the config's order. The config resolves every id to its position once;
//! later stages index with these and never look an id up again.

macro_rules! index {
    ($(#[$doc:meta])* $name:ident($inner:ty)) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name($inner);

        impl $name {
            /// The position `i`; `None` when it does not fit.
            pub fn new(i: usize) -> Option<Self> {
                <$inner>::try_from(i).ok().map(Self)
            }

            /// The position, to index a list in config order.
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }

        impl From<$inner> for $name {
            fn from(v: $inner) -> Self {
                Self(v)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

index!(
    /// A client episode's number: its row in the canonical referrals table (`0..n` in
    /// referral order). The export's identifier never leaves validation.
    ClientIx(u32)
);
index!(
    /// A timepoint's place in `[timepoints] order`.
    TimepointIx(u16)
);
index!(
    /// A measure's place among the config's measures.
    MeasureIx(u16)
);
index!(
    /// A phase's place among the config's phases.
    PhaseIx(u8)
);

impl ClientIx {
    pub fn as_u32(self) -> u32 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_round_trip_and_overflow_is_none() {
        assert_eq!(TimepointIx::new(3).map(TimepointIx::index), Some(3));
        assert_eq!(PhaseIx::new(255).map(PhaseIx::index), Some(255));
        assert_eq!(PhaseIx::new(256), None);
        assert_eq!(ClientIx::from(7).as_u32(), 7);
        assert_eq!(
            MeasureIx::new(2)
                .unwrap_or_else(|| unreachable!())
                .to_string(),
            "2"
        );
    }
}
