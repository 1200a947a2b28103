//! Binary outcomes: exact McNemar test and the paired difference in proportions for
//! yes/no measures at two timepoints, and Wilson intervals for single proportions.

use serde::{Deserialize, Serialize};

use super::dist::{binom_half_cdf, normal_quantile};
use super::error::{NotComputable, StatResult, converged, finite};
use super::{Interval, tail_for};

/// The 2 x 2 table of a binary measure at *from* and *to*.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PairedCounts {
    /// yes at from, yes at to.
    pub a: u64,
    /// yes at from, no at to.
    pub b: u64,
    /// no at from, yes at to.
    pub c: u64,
    /// no at from, no at to.
    pub d: u64,
}

impl PairedCounts {
    /// Total number of pairs, `None` if the counts overflow u64.
    pub fn n(&self) -> Option<u64> {
        self.a
            .checked_add(self.b)?
            .checked_add(self.c)?
            .checked_add(self.d)
    }
}

fn overflow() -> NotComputable {
    NotComputable::numerical("counts")
}

/// Exact McNemar test.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct McNemar {
    /// Discordant pairs yes -> no.
    pub b: u64,
    /// Discordant pairs no -> yes.
    pub c: u64,
    /// Two-sided exact p-value, capped at 1.
    pub p: f64,
}

/// A single proportion with its Wilson score interval.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Proportion {
    /// Number of successes.
    pub successes: u64,
    /// Number of trials.
    pub n: u64,
    /// successes / n.
    pub estimate: f64,
    /// Wilson score interval (without continuity correction).
    pub ci: Interval,
}

/// Difference in paired proportions, to minus from, with its Wald interval.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProportionDifference {
    /// Number of pairs.
    pub n: u64,
    /// Proportion "yes" at from, (a + b) / n.
    pub from: f64,
    /// Proportion "yes" at to, (a + c) / n.
    pub to: f64,
    /// (c - b) / n.
    pub difference: f64,
    /// sqrt((b + c) - (c - b)² / n) / n.
    pub se: f64,
    /// difference ± z SE; `None` when SE is 0 (nobody changed, or everybody changed the
    /// same way), where the Wald interval would collapse to a point and claim certainty.
    pub ci: Option<Interval>,
}

/// Everything reported for one binary measure (methods.md §3).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BinaryComparison {
    /// The 2 x 2 counts.
    pub counts: PairedCounts,
    /// Proportion "yes" at from, with Wilson interval.
    pub from: StatResult<Proportion>,
    /// Proportion "yes" at to, with Wilson interval.
    pub to: StatResult<Proportion>,
    /// Exact McNemar test.
    pub mcnemar: StatResult<McNemar>,
    /// Difference in proportions with Wald interval.
    pub difference: StatResult<ProportionDifference>,
}

fn count_as_f64(x: u64) -> f64 {
    x as f64
}

/// Exact McNemar test: two-sided binomial test of min(b, c) out of b + c at 1/2, p =
/// min(1, 2 P(X <= min(b, c))), as statsmodels' `mcnemar(exact = True)`. This equals R's
/// `binom.test(min(b, c), b + c, 0.5)$p.value` (for p = 1/2 R's two-sided rule is the
/// doubled tail) and, when b + c = 0, statsmodels' p = 1 (R's `binom.test` refuses n = 0).
///
/// When min(b, c) is at least (b + c - 1) / 2 the binomial tail is at least 1/2 by
/// symmetry and p is exactly 1, as R gives it (`binom.test(0, 1)$p.value` is 1), rather
/// than a sum that rounding leaves a hair below 1.
pub fn mcnemar_exact(b: u64, c: u64) -> StatResult<McNemar> {
    let n = b.checked_add(c).ok_or_else(overflow)?;
    let k = b.min(c);
    let p = if 2 * k + 1 >= n {
        1.0
    } else {
        let tail = converged(binom_half_cdf(k, n), "binomial distribution")?;
        (2.0 * tail).min(1.0)
    };
    Ok(McNemar { b, c, p })
}

/// Wilson score interval for `successes` out of `n` (R: by formula with `qnorm`, equal
/// to `prop.test(x, n, correct = FALSE)$conf.int`):
/// (x + z²/2) / (n + z²) ± z sqrt(x(n - x)/n + z²/4) / (n + z²).
///
/// Not computable when n = 0 or successes > n.
pub fn wilson_ci(successes: u64, n: u64, conf_level: f64) -> StatResult<Proportion> {
    let tail = tail_for(conf_level)?;
    if n == 0 {
        return Err(NotComputable::too_few("observations", 1, 0));
    }
    if successes > n {
        return Err(NotComputable::invalid(
            "successes",
            format!("{successes} of {n}"),
        ));
    }
    let z = converged(normal_quantile(1.0 - tail), "normal quantile")?;
    let (x, nf) = (count_as_f64(successes), count_as_f64(n));
    let estimate = x / nf;
    let z2 = z * z;
    let centre = (x + z2 / 2.0) / (nf + z2);
    let half = z * (x * (nf - x) / nf + z2 / 4.0).sqrt() / (nf + z2);
    // Rounding can push a limit a hair past the estimate at x = 0 or x = n.
    let lower = finite(centre - half, "Wilson limit")?
        .max(0.0)
        .min(estimate);
    let upper = finite(centre + half, "Wilson limit")?
        .min(1.0)
        .max(estimate);
    Ok(Proportion {
        successes,
        n,
        estimate,
        ci: Interval {
            lower,
            upper,
            level: conf_level,
        },
    })
}

/// Difference in paired proportions (c - b) / n with the Wald interval of methods.md §3,
/// SE = sqrt((b + c) - (c - b)² / n) / n (R: by formula). No interval when SE is 0:
/// with no discordant pairs (or all of them one way and nobody else) the Wald interval
/// is a single point, which would claim a certainty the data cannot give.
///
/// Not computable when there are no pairs.
pub fn paired_proportion_difference(
    counts: PairedCounts,
    conf_level: f64,
) -> StatResult<ProportionDifference> {
    let tail = tail_for(conf_level)?;
    let n = counts.n().ok_or_else(overflow)?;
    if n == 0 {
        return Err(NotComputable::too_few("pairs", 1, 0));
    }
    let nf = count_as_f64(n);
    let (b, c) = (count_as_f64(counts.b), count_as_f64(counts.c));
    let difference = (c - b) / nf;
    let se = ((b + c) - (c - b).powi(2) / nf).max(0.0).sqrt() / nf;
    let z = converged(normal_quantile(1.0 - tail), "normal quantile")?;
    Ok(ProportionDifference {
        n,
        // a + b and a + c cannot overflow: they are at most n.
        from: count_as_f64(counts.a + counts.b) / nf,
        to: count_as_f64(counts.a + counts.c) / nf,
        difference: finite(difference, "difference")?,
        se,
        ci: (se > 0.0).then(|| Interval::around(difference, z * se, conf_level)),
    })
}

/// The full binary paired comparison: both proportions with Wilson intervals, exact
/// McNemar and the paired difference with its Wald interval.
pub fn binary_paired_comparison(counts: PairedCounts, conf_level: f64) -> BinaryComparison {
    let (from, to) = match counts.n() {
        Some(n) => (
            wilson_ci(counts.a + counts.b, n, conf_level),
            wilson_ci(counts.a + counts.c, n, conf_level),
        ),
        None => (Err(overflow()), Err(overflow())),
    };
    BinaryComparison {
        counts,
        from,
        to,
        mcnemar: mcnemar_exact(counts.b, counts.c),
        difference: paired_proportion_difference(counts, conf_level),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mcnemar_matches_binom_test() {
        // binom.test(2, 12, 0.5)$p.value = 0.03857421875
        let m = mcnemar_exact(10, 2).expect("ok");
        assert!((m.p - 0.03857421875).abs() < 1e-15);
        assert_eq!(mcnemar_exact(0, 0).expect("ok").p, 1.0);
        assert_eq!(mcnemar_exact(5, 5).expect("ok").p, 1.0);
        // binom.test(0, 1)$p.value and binom.test(3, 7)$p.value are exactly 1 in R.
        assert_eq!(mcnemar_exact(1, 0).expect("ok").p, 1.0);
        assert_eq!(mcnemar_exact(3, 4).expect("ok").p, 1.0);
        // binom.test(2, 7)$p.value = 0.453125 (R prints 0.45312500000000022)
        assert!((mcnemar_exact(5, 2).expect("ok").p - 0.453125).abs() < 1e-13);
    }

    #[test]
    fn wilson_matches_prop_test() {
        // prop.test(3, 10, correct = FALSE)$conf.int = 0.1077913 0.6032219
        let p = wilson_ci(3, 10, 0.95).expect("ok");
        assert!(
            (p.ci.lower - 0.10779126740630095).abs() < 1e-12,
            "{}",
            p.ci.lower
        );
        assert!(
            (p.ci.upper - 0.6032218525388559).abs() < 1e-12,
            "{}",
            p.ci.upper
        );
        let zero = wilson_ci(0, 5, 0.95).expect("ok");
        assert_eq!(zero.ci.lower, 0.0);
        assert!(wilson_ci(1, 0, 0.95).is_err());
        assert!(wilson_ci(6, 5, 0.95).is_err());
    }

    #[test]
    fn difference_uses_the_spec_formula() {
        let counts = PairedCounts {
            a: 20,
            b: 10,
            c: 2,
            d: 8,
        };
        let d = paired_proportion_difference(counts, 0.95).expect("ok");
        assert_eq!(d.difference, -0.2);
        let se = (12.0_f64 - 64.0 / 40.0).sqrt() / 40.0;
        assert!((d.se - se).abs() < 1e-16);
        assert_eq!((d.from, d.to), (0.75, 0.55));
        assert!(d.ci.is_some());
        let nobody = PairedCounts {
            a: 12,
            b: 0,
            c: 0,
            d: 9,
        };
        let d = paired_proportion_difference(nobody, 0.95).expect("ok");
        assert_eq!((d.difference, d.se, d.ci), (0.0, 0.0, None));
        assert!(paired_proportion_difference(PairedCounts::default(), 0.95).is_err());
        let all = binary_paired_comparison(PairedCounts::default(), 0.95);
        assert!(all.from.is_err() && all.difference.is_err());
        assert_eq!(all.mcnemar.map(|m| m.p), Ok(1.0));
    }
}
