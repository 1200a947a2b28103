//! Wilcoxon signed-rank test for paired data, exactly as R's
//! `wilcox.test(to, from, paired = TRUE)` (R 4.2), on differences rounded to 9 decimals.

use serde::{Deserialize, Serialize};

use super::dist::normal_two_sided_p;
use super::error::{NotComputable, StatResult, converged, finite};
use super::numeric::{average_ranks, round9, tie_term};
use super::{RankMethod, changes};

/// Below this many non-zero differences (and without ties or zeros) R uses the exact
/// null distribution.
const EXACT_BELOW: usize = 50;

/// Result of the Wilcoxon signed-rank test.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WilcoxonSignedRank {
    /// V, the sum of the ranks of the positive differences (R's statistic).
    pub v: f64,
    /// Two-sided p-value, exact or normal as `method` says.
    pub p: f64,
    /// Normal-approximation z with tie and continuity corrections, as R computes it on
    /// its normal branch. Reported for exact tests too (same formula) so `r` is defined.
    pub z: f64,
    /// Exact distribution or normal approximation.
    pub method: RankMethod,
    /// Number of non-zero differences (the n of the test).
    pub n_nonzero: usize,
    /// Number of zero differences dropped.
    pub n_zero: usize,
    /// Whether any absolute differences were tied.
    pub ties: bool,
    /// Effect size r = |z| / sqrt(n non-zero).
    pub r: f64,
}

/// Wilcoxon signed-rank test of `to - from`, as R's `wilcox.test(to, from, paired = TRUE)`
/// with its defaults (`exact = NULL`, `correct = TRUE`), applied to the differences
/// rounded to 9 decimals (`round(to - from, 9)` in R).
///
/// Zero differences are dropped and ties get average ranks. The p-value is exact when
/// there are fewer than 50 non-zero differences, no ties and no zeros (R 4.x falls back
/// to the normal approximation whenever a zero was dropped); otherwise it is normal with
/// tie and continuity corrections.
///
/// Not computable with no pairs or when every difference is zero.
pub fn wilcoxon_signed_rank(from: &[f64], to: &[f64]) -> StatResult<WilcoxonSignedRank> {
    let d: Vec<f64> = changes(from, to)?.into_iter().map(round9).collect();
    if d.is_empty() {
        return Err(NotComputable::too_few("pairs", 1, 0));
    }
    let nonzero: Vec<f64> = d.iter().copied().filter(|&x| x != 0.0).collect();
    let n_zero = d.len() - nonzero.len();
    let n = nonzero.len();
    if n == 0 {
        return Err(NotComputable::AllZero);
    }
    let magnitudes: Vec<f64> = nonzero.iter().map(|x| x.abs()).collect();
    let (ranks, tie_sizes) = average_ranks(&magnitudes);
    let v: f64 = ranks
        .iter()
        .zip(&nonzero)
        .filter(|(_, x)| **x > 0.0)
        .map(|(r, _)| r)
        .sum::<f64>()
        // An empty sum is -0.0 in IEEE arithmetic; V is a count-like sum of ranks.
        + 0.0;
    let ties = !tie_sizes.is_empty();

    let nf = n as f64;
    let centred = v - nf * (nf + 1.0) / 4.0;
    let sigma = (nf * (nf + 1.0) * (2.0 * nf + 1.0) / 24.0 - tie_term(&tie_sizes) / 48.0).sqrt();
    let correction = if centred == 0.0 {
        0.0
    } else {
        0.5 * centred.signum()
    };
    let z = finite((centred - correction) / sigma, "z statistic")?;

    let exact = n < EXACT_BELOW && !ties && n_zero == 0;
    let p = if exact {
        exact_p(v, n)
    } else {
        converged(normal_two_sided_p(z), "normal distribution")?
    };
    Ok(WilcoxonSignedRank {
        v,
        p,
        z,
        method: if exact {
            RankMethod::Exact
        } else {
            RankMethod::Normal
        },
        n_nonzero: n,
        n_zero,
        ties,
        r: z.abs() / nf.sqrt(),
    })
}

/// Number of subsets of {1, ..., n} with each possible sum 0 ..= n(n+1)/2 (R's
/// `csignrank`). Exact in u64 for n < 64.
fn signed_rank_counts(n: usize) -> Vec<u64> {
    let max = n * (n + 1) / 2;
    let mut counts = vec![0_u64; max + 1];
    counts[0] = 1;
    for k in 1..=n {
        let top = k * (k + 1) / 2;
        for s in (k..=top).rev() {
            counts[s] += counts[s - k];
        }
    }
    counts
}

/// Exact two-sided p for an integer V with n < 50, as R:
/// `min(2 * (V > n(n+1)/4 ? P(S >= V) : P(S <= V)), 1)`.
fn exact_p(v: f64, n: usize) -> f64 {
    let counts = signed_rank_counts(n);
    let nf = n as f64;
    // V is an integer here (no ties); R nudges by 1e-7 before flooring.
    let v = (v + 1e-7).floor() as usize;
    let tail: u64 = if (v as f64) > nf * (nf + 1.0) / 4.0 {
        counts[v.min(counts.len())..].iter().sum()
    } else {
        counts[..=v.min(counts.len() - 1)].iter().sum()
    };
    let p = tail as f64 / 2.0_f64.powi(n as i32);
    (2.0 * p).min(1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_symmetric_and_total_two_to_the_n() {
        let c = signed_rank_counts(10);
        assert_eq!(c.iter().sum::<u64>(), 1024);
        assert_eq!(c.first(), c.last());
        assert_eq!(signed_rank_counts(49).iter().sum::<u64>(), 1_u64 << 49);
    }

    #[test]
    #[allow(clippy::approx_constant)] // 3.14 is a measurement in R's example data
    fn exact_case_matches_r() {
        // wilcox.test(c(1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30),
        //             c(0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29), paired = TRUE)
        // V = 40, p-value = 0.03906 (the example in ?wilcox.test)
        let x = [1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30];
        let y = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29];
        let w = wilcoxon_signed_rank(&y, &x).expect("computable");
        assert_eq!(w.v, 40.0);
        assert_eq!(w.method, RankMethod::Exact);
        assert!((w.p - 0.0390625).abs() < 1e-15);
    }

    #[test]
    fn zeros_force_the_normal_approximation() {
        let w = wilcoxon_signed_rank(&[1.0, 2.0, 3.0, 4.0], &[1.0, 3.0, 5.0, 7.5]).expect("ok");
        assert_eq!(w.method, RankMethod::Normal);
        assert_eq!((w.n_zero, w.n_nonzero), (1, 3));
    }

    #[test]
    fn degenerate_inputs() {
        assert_eq!(
            wilcoxon_signed_rank(&[1.0, 2.0], &[1.0, 2.0]),
            Err(NotComputable::AllZero)
        );
        // Noise-only differences round to zero.
        assert_eq!(
            wilcoxon_signed_rank(&[6.1, 3.2], &[8.3 - 2.2, 5.4 - 2.2]),
            Err(NotComputable::AllZero)
        );
        assert!(wilcoxon_signed_rank(&[], &[]).is_err());
        let one = wilcoxon_signed_rank(&[1.0], &[2.0]).expect("one pair");
        assert_eq!(one.p, 1.0);
    }
}
