//! Classifying individual changes: meaningful change (MCID) and Jacobson-Truax reliable
//! change, both respecting the measure's direction.

use serde::{Deserialize, Serialize};

use super::binary::{Proportion, wilson_ci};
use super::error::{NotComputable, StatResult, finite};
use super::numeric::{round9, variance};
use super::{Direction, changes, tail_for};

/// The 1.96 of methods.md: reliable change must exceed 1.96 x SE_diff.
const RCI_CRITICAL: f64 = 1.96;

/// Counts of clients improved, unchanged and deteriorated against a threshold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChangeClassification {
    /// Number of pairs classified.
    pub n: usize,
    /// The threshold used, in the measure's units.
    pub threshold: f64,
    /// Changed in the better direction by the threshold (see the function docs).
    pub improved: usize,
    /// Neither improved nor deteriorated.
    pub unchanged: usize,
    /// Changed in the worse direction by the threshold.
    pub deteriorated: usize,
    /// Share improved with its Wilson interval.
    pub share_improved: Proportion,
    /// Share deteriorated with its Wilson interval.
    pub share_deteriorated: Proportion,
}

/// Jacobson-Truax reliable change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReliableChange {
    /// Reliability r_xx used.
    pub reliability: f64,
    /// SD of the *from* scores.
    pub sd_from: f64,
    /// SE_diff = SD_from x sqrt(2) x sqrt(1 - r_xx).
    pub se_diff: f64,
    /// Classification with threshold 1.96 x SE_diff.
    pub classification: ChangeClassification,
}

/// Counts improvements (better-direction change passing the threshold) and
/// deteriorations; `strict` chooses `>` over `>=`. Changes are rounded to 9 decimals so
/// 8.3 - 5.3 counts as exactly 3.
fn classify(
    d: &[f64],
    threshold: f64,
    direction: Direction,
    strict: bool,
    conf_level: f64,
) -> StatResult<ChangeClassification> {
    if d.is_empty() {
        return Err(NotComputable::too_few("pairs", 1, 0));
    }
    let passes = |x: f64| {
        if strict {
            x > threshold
        } else {
            x >= threshold
        }
    };
    let mut improved = 0;
    let mut deteriorated = 0;
    for &change in d {
        let better = direction.signed_improvement(round9(change));
        if passes(better) {
            improved += 1;
        } else if passes(-better) {
            deteriorated += 1;
        }
    }
    let n = d.len();
    Ok(ChangeClassification {
        n,
        threshold,
        improved,
        unchanged: n - improved - deteriorated,
        deteriorated,
        share_improved: wilson_ci(improved as u64, n as u64, conf_level)?,
        share_deteriorated: wilson_ci(deteriorated as u64, n as u64, conf_level)?,
    })
}

/// Classifies each pair by the measure's meaningful-change threshold (MCID): improved
/// when the change in the better direction is at least `mcid`, deteriorated when the
/// change in the worse direction is at least `mcid`, otherwise unchanged (R: by formula
/// on `round(to - from, 9)`). Shares carry Wilson intervals at `conf_level`.
///
/// Not computable with no pairs, or an MCID that is not a positive finite number.
pub fn meaningful_change(
    from: &[f64],
    to: &[f64],
    mcid: f64,
    direction: Direction,
    conf_level: f64,
) -> StatResult<ChangeClassification> {
    tail_for(conf_level)?;
    if !(mcid.is_finite() && mcid > 0.0) {
        return Err(NotComputable::invalid("MCID", mcid));
    }
    let d = changes(from, to)?;
    classify(&d, mcid, direction, false, conf_level)
}

/// Jacobson-Truax reliable change: SE_diff = SD_from x sqrt(2) x sqrt(1 - r_xx); a client
/// reliably improved when the change in the better direction exceeds 1.96 x SE_diff
/// (strictly), reliably deteriorated likewise (methods.md §2; R: by formula).
///
/// Not computable with fewer than 2 pairs, a reliability outside [0, 1), or no
/// variation in the *from* scores (SE_diff would be 0).
pub fn reliable_change(
    from: &[f64],
    to: &[f64],
    reliability: f64,
    direction: Direction,
    conf_level: f64,
) -> StatResult<ReliableChange> {
    tail_for(conf_level)?;
    if !(0.0..1.0).contains(&reliability) {
        return Err(NotComputable::invalid("reliability", reliability));
    }
    let d = changes(from, to)?;
    if d.len() < 2 {
        return Err(NotComputable::too_few("pairs", 2, d.len()));
    }
    let sd_from = finite(
        variance(from).unwrap_or(f64::NAN).sqrt(),
        "SD of from scores",
    )?;
    let se_diff = sd_from * 2.0_f64.sqrt() * (1.0 - reliability).sqrt();
    if se_diff == 0.0 {
        return Err(NotComputable::no_variation("from scores"));
    }
    let threshold = finite(RCI_CRITICAL * se_diff, "reliable change threshold")?;
    Ok(ReliableChange {
        reliability,
        sd_from,
        se_diff,
        classification: classify(&d, threshold, direction, true, conf_level)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mcid_respects_direction_and_noise() {
        let from = [5.3, 10.0, 10.0, 10.0];
        let to = [8.3, 12.0, 7.0, 10.0]; // +3 (noisy), +2, -3, 0
        let up = meaningful_change(&from, &to, 3.0, Direction::HigherIsBetter, 0.95).expect("ok");
        assert_eq!((up.improved, up.unchanged, up.deteriorated), (1, 2, 1));
        let down = meaningful_change(&from, &to, 2.0, Direction::LowerIsBetter, 0.95).expect("ok");
        assert_eq!(
            (down.improved, down.unchanged, down.deteriorated),
            (1, 1, 2)
        );
        assert!(meaningful_change(&from, &to, 0.0, Direction::HigherIsBetter, 0.95).is_err());
    }

    #[test]
    fn reliable_change_formula() {
        let from = [10.0, 12.0, 14.0, 16.0];
        let to = [20.0, 12.0, 10.0, 16.5];
        let r = reliable_change(&from, &to, 0.9, Direction::HigherIsBetter, 0.95).expect("ok");
        let sd = (20.0_f64 / 3.0).sqrt();
        assert!((r.se_diff - sd * 2.0_f64.sqrt() * 0.1_f64.sqrt()).abs() < 1e-15);
        let c = &r.classification;
        assert_eq!((c.improved, c.unchanged, c.deteriorated), (1, 2, 1));
        assert!(reliable_change(&from, &to, 1.0, Direction::HigherIsBetter, 0.95).is_err());
        assert!(
            reliable_change(
                &[1.0, 1.0],
                &[2.0, 3.0],
                0.8,
                Direction::HigherIsBetter,
                0.95
            )
            .is_err()
        );
    }
}
