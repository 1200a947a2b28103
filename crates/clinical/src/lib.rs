//! sprout's clinical knowledge: the instruments it scores (items, ranges, direction,
//! meaningful change, reliability, bands, scoring rules, and the measures a config
//! declares), and the pain medicines it recognises (names, strengths, routes, and the
//! oral morphine and gabapentinoid equivalents of a dose). Nothing here reads an export or
//! knows a report.

pub mod instruments;
pub mod medication;
