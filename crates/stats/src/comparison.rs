//! The full continuous paired comparison of methods.md §2 in one call.

use serde::{Deserialize, Serialize};

use super::change::{ChangeClassification, ReliableChange, meaningful_change, reliable_change};
use super::descriptive::{Descriptives, describe};
use super::error::{NotComputable, StatResult};
use super::paired::{
    AveragedD, CohensDz, MeanChange, TTest, cohens_d_av, cohens_dz, mean_change, paired_t,
};
use super::wilcoxon::{WilcoxonSignedRank, wilcoxon_signed_rank};
use super::{Direction, changes, tail_for};

/// Options of a paired comparison.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PairedOptions {
    /// Which way is better on the measure.
    pub direction: Direction,
    /// Meaningful-change threshold in the measure's units, if one is configured.
    pub mcid: Option<f64>,
    /// Reliability r_xx for Jacobson-Truax reliable change, if one is configured.
    pub reliability: Option<f64>,
    /// Fewer pairs than this: descriptive figures only, no test (default 10).
    pub min_n: usize,
    /// Confidence level of every interval (default 0.95).
    pub conf_level: f64,
}

impl Default for PairedOptions {
    fn default() -> Self {
        Self {
            direction: Direction::HigherIsBetter,
            mcid: None,
            reliability: None,
            min_n: 10,
            conf_level: 0.95,
        }
    }
}

/// Everything methods.md §2 reports for one measure, cohort and phase span. Each piece is
/// its own [`StatResult`], so one degenerate piece does not lose the others.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PairedComparison {
    /// Number of pairs.
    pub n: usize,
    /// Direction used for the change classes.
    pub direction: Direction,
    /// Descriptives of the *from* values.
    pub from: StatResult<Descriptives>,
    /// Descriptives of the *to* values.
    pub to: StatResult<Descriptives>,
    /// Descriptives of the changes `to - from`.
    pub change: StatResult<Descriptives>,
    /// Mean change with its t interval.
    pub mean_change: StatResult<MeanChange>,
    /// Paired t test; [`NotComputable::BelowMinimum`] below `min_n`.
    pub paired_t: StatResult<TTest>,
    /// Wilcoxon signed-rank test; [`NotComputable::BelowMinimum`] below `min_n`.
    pub wilcoxon: StatResult<WilcoxonSignedRank>,
    /// Cohen's d_z with interval.
    pub d_z: StatResult<CohensDz>,
    /// d_av and Hedges' g_av.
    pub d_av: StatResult<AveragedD>,
    /// Improved / unchanged / deteriorated by MCID; `None` when no MCID is configured.
    pub meaningful_change: Option<StatResult<ChangeClassification>>,
    /// Reliable change; `None` when no reliability is configured.
    pub reliable_change: Option<StatResult<ReliableChange>>,
}

/// The continuous paired comparison of methods.md §2: descriptives of from, to and
/// change; mean change with t interval; paired t and Wilcoxon signed-rank tests; d_z
/// (with interval), d_av and g_av; MCID and reliable-change classes where configured.
///
/// Below `options.min_n` pairs the two tests are [`NotComputable::BelowMinimum`] ("the
/// report says why"); descriptives, intervals, effect sizes and change classes are still
/// given where computable, for the report layer to show or withhold.
///
/// Fails as a whole only when the inputs themselves are unusable: different lengths,
/// NaN or infinity (also a change `to - from` that overflows), or an invalid
/// confidence level.
pub fn paired_comparison(
    from: &[f64],
    to: &[f64],
    options: &PairedOptions,
) -> StatResult<PairedComparison> {
    let conf = options.conf_level;
    tail_for(conf)?;
    let d = changes(from, to)?;
    let n = d.len();
    let gated = n < options.min_n;
    let below = || NotComputable::BelowMinimum {
        n,
        min_n: options.min_n,
    };
    Ok(PairedComparison {
        n,
        direction: options.direction,
        from: describe(from),
        to: describe(to),
        change: describe(&d),
        mean_change: mean_change(from, to, conf),
        paired_t: if gated {
            Err(below())
        } else {
            paired_t(from, to, conf)
        },
        wilcoxon: if gated {
            Err(below())
        } else {
            wilcoxon_signed_rank(from, to)
        },
        d_z: cohens_dz(from, to, conf),
        d_av: cohens_d_av(from, to),
        meaningful_change: options
            .mcid
            .map(|mcid| meaningful_change(from, to, mcid, options.direction, conf)),
        reliable_change: options
            .reliability
            .map(|r| reliable_change(from, to, r, options.direction, conf)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_samples_get_descriptives_but_no_tests() {
        let from = [10.0, 12.0, 9.0];
        let to = [12.0, 15.0, 9.5];
        let c = paired_comparison(&from, &to, &PairedOptions::default()).expect("ok");
        assert_eq!(c.n, 3);
        assert!(c.change.is_ok() && c.mean_change.is_ok());
        assert_eq!(
            c.paired_t,
            Err(NotComputable::BelowMinimum { n: 3, min_n: 10 })
        );
        assert!(c.wilcoxon.is_err());
        assert!(c.meaningful_change.is_none());
    }

    #[test]
    fn one_degenerate_piece_does_not_lose_the_others() {
        let from = [1.0, 2.0, 3.0, 4.0];
        let to = [2.0, 3.0, 4.0, 5.0]; // constant change
        let options = PairedOptions {
            min_n: 2,
            mcid: Some(1.0),
            reliability: Some(0.8),
            ..PairedOptions::default()
        };
        let c = paired_comparison(&from, &to, &options).expect("ok");
        // No variation in the changes: no t test and no standardised effect size, but
        // the rank test (every change positive) and the change classes stand.
        assert!(c.paired_t.is_err() && c.d_z.is_err() && c.d_av.is_err());
        assert!(c.wilcoxon.is_ok());
        let mcid = c
            .meaningful_change
            .expect("configured")
            .expect("computable");
        assert_eq!(mcid.improved, 4);
        assert!(c.reliable_change.expect("configured").is_ok());
    }

    #[test]
    fn empty_input_is_all_not_computable_but_not_an_error() {
        let c = paired_comparison(&[], &[], &PairedOptions::default()).expect("ok");
        assert!(c.from.is_err() && c.change.is_err() && c.d_av.is_err());
        assert!(paired_comparison(&[1.0], &[], &PairedOptions::default()).is_err());
    }
}
