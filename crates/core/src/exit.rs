//! Exit codes, as documented in the README.

pub const SUCCESS: u8 = 0;
/// Findings were reported and `--strict` was given.
pub const FINDINGS: u8 = 1;
/// The config or the input files cannot be used as they are.
pub const UNUSABLE_INPUT: u8 = 2;
/// A fault in sprout itself.
pub const INTERNAL: u8 = 3;
