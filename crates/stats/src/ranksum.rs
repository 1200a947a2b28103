//! Mann-Whitney U (Wilcoxon rank-sum) test for two independent groups, exactly as R's
//! unpaired `wilcox.test(x, y)` (R 4.2), on values rounded to 9 decimals.

use serde::{Deserialize, Serialize};

use super::dist::normal_two_sided_p;
use super::error::{NotComputable, StatResult, converged, finite};
use super::numeric::{average_ranks, check_finite, round9, tie_term};
use super::{RankMethod, Sample};

/// R uses the exact distribution when both groups have fewer than this many values
/// and there are no ties.
const EXACT_BELOW: usize = 50;

/// Result of the Mann-Whitney U test.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MannWhitney {
    /// R's W: sum of the ranks of `x` minus n_x (n_x + 1) / 2 (the U statistic of `x`).
    pub w: f64,
    /// Two-sided p-value, exact or normal as `method` says.
    pub p: f64,
    /// Normal-approximation z with tie and continuity corrections (R's normal branch;
    /// reported for exact tests too, from the same formula).
    pub z: f64,
    /// Exact distribution or normal approximation.
    pub method: RankMethod,
    /// Size of group x.
    pub n_x: usize,
    /// Size of group y.
    pub n_y: usize,
    /// Whether any values were tied across the pooled sample.
    pub ties: bool,
    /// Effect size r = |z| / sqrt(n_x + n_y).
    pub r: f64,
}

/// Mann-Whitney U test of `x` against `y`, as R's `wilcox.test(x, y)` with its defaults
/// (`exact = NULL`, `correct = TRUE`), applied to values rounded to 9 decimals.
///
/// Exact p when both groups have fewer than 50 values and there are no ties; otherwise
/// the normal approximation with tie and continuity corrections.
///
/// Not computable when a group is empty (named by its label) or all values are tied.
pub fn mann_whitney(x: Sample<'_>, y: Sample<'_>) -> StatResult<MannWhitney> {
    for g in [x, y] {
        check_finite(g.values, g.label)?;
        if g.values.is_empty() {
            return Err(NotComputable::EmptyGroup {
                group: g.label.to_owned(),
            });
        }
    }
    let (x, y) = (x.values, y.values);
    let pooled: Vec<f64> = x.iter().chain(y).copied().map(round9).collect();
    let (ranks, tie_sizes) = average_ranks(&pooled);
    let (nx, ny) = (x.len() as f64, y.len() as f64);
    let w = ranks[..x.len()].iter().sum::<f64>() - nx * (nx + 1.0) / 2.0;
    let ties = !tie_sizes.is_empty();

    let total = nx + ny;
    let variance =
        (nx * ny / 12.0) * ((total + 1.0) - tie_term(&tie_sizes) / (total * (total - 1.0)));
    if variance.is_nan() || variance <= 0.0 {
        return Err(NotComputable::AllTied);
    }
    let centred = w - nx * ny / 2.0;
    let correction = if centred == 0.0 {
        0.0
    } else {
        0.5 * centred.signum()
    };
    let z = finite((centred - correction) / variance.sqrt(), "z statistic")?;

    let exact = x.len() < EXACT_BELOW && y.len() < EXACT_BELOW && !ties;
    let p = if exact {
        exact_p(w, x.len(), y.len())
    } else {
        converged(normal_two_sided_p(z), "normal distribution")?
    };
    Ok(MannWhitney {
        w,
        p,
        z,
        method: if exact {
            RankMethod::Exact
        } else {
            RankMethod::Normal
        },
        n_x: x.len(),
        n_y: y.len(),
        ties,
        r: z.abs() / total.sqrt(),
    })
}

/// Frequencies of U = 0 ..= m n under the null (R's `cwilcox`), counted by placing the
/// m + n ordered positions one at a time: an x placed after k y's adds k to U.
/// Exact in u128 (the total, C(98, 49), is below 2^95).
fn rank_sum_counts(m: usize, n: usize) -> Vec<u128> {
    let max = m * n;
    // ways[j][u]: arrangements of the positions so far holding j x's with U = u.
    let mut ways = vec![vec![0_u128; max + 1]; m + 1];
    ways[0][0] = 1;
    for position in 0..m + n {
        let most_x = m.min(position);
        for j in (0..=most_x).rev() {
            if j == m {
                continue;
            }
            let ys_before = position - j;
            if ys_before > n {
                continue;
            }
            let reach = j * ys_before.min(n);
            for u in (0..=reach).rev() {
                let c = ways[j][u];
                if c != 0 {
                    ways[j + 1][u + ys_before] += c;
                }
            }
        }
    }
    ways.swap_remove(m)
}

/// Exact two-sided p for an integer W, as R:
/// `min(2 * (W > mn/2 ? P(U >= W) : P(U <= W)), 1)`.
fn exact_p(w: f64, m: usize, n: usize) -> f64 {
    let counts = rank_sum_counts(m, n);
    let total: u128 = counts.iter().sum();
    // W is an integer here (no ties); R nudges by 1e-7 before flooring.
    let w = ((w + 1e-7).floor() as usize).min(counts.len() - 1);
    let tail: u128 = if (w as f64) > (m * n) as f64 / 2.0 {
        counts[w..].iter().sum()
    } else {
        counts[..=w].iter().sum()
    };
    let p = tail as f64 / total as f64;
    (2.0 * p).min(1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_sum_to_binomial_coefficient() {
        let c = rank_sum_counts(3, 4);
        assert_eq!(c.iter().sum::<u128>(), 35);
        assert_eq!(c, vec![1, 1, 2, 3, 4, 4, 5, 4, 4, 3, 2, 1, 1]);
        let big = rank_sum_counts(49, 49);
        // C(98, 49)
        assert_eq!(
            big.iter().sum::<u128>(),
            25_477_612_258_980_856_902_730_428_600
        );
    }

    fn s<'a>(label: &'a str, values: &'a [f64]) -> Sample<'a> {
        Sample { label, values }
    }

    #[test]
    fn exact_case_matches_r() {
        // wilcox.test(c(0.8, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46),
        //             c(1.15, 0.88, 0.9, 0.74, 1.21)): W = 35, p-value = 0.2544
        let x = [0.8, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46];
        let y = [1.15, 0.88, 0.9, 0.74, 1.21];
        let m = mann_whitney(s("x", &x), s("y", &y)).expect("computable");
        assert_eq!(m.w, 35.0);
        assert_eq!(m.method, RankMethod::Exact);
        assert!((m.p - 0.2544122544122544).abs() < 1e-12, "{}", m.p);
    }

    #[test]
    fn degenerate_inputs() {
        assert_eq!(
            mann_whitney(s("South", &[]), s("North", &[1.0])),
            Err(NotComputable::EmptyGroup {
                group: "South".into()
            })
        );
        assert_eq!(
            mann_whitney(s("a", &[1.0, 1.0]), s("b", &[1.0])),
            Err(NotComputable::AllTied)
        );
        let one_each = mann_whitney(s("a", &[1.0]), s("b", &[2.0])).expect("n = 1 + 1");
        assert_eq!(one_each.p, 1.0);
    }
}
