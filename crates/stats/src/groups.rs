//! Comparing independent groups: Welch t, standardised mean difference, Welch one-way
//! ANOVA and Kruskal-Wallis. (Mann-Whitney lives in `ranksum`.)

use serde::{Deserialize, Serialize};

use super::dist::{chisq_sf, f_sf, t_two_sided_p, t_upper_quantile};
use super::error::{NotComputable, StatResult, converged, finite};
use super::numeric::{
    average_ranks, check_finite, essentially_constant, mean, round9, sum, tie_term, variance,
};
use super::paired::TTest;
use super::{Interval, Sample, tail_for};

/// An F test: statistic, numerator and denominator degrees of freedom, p-value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FTest {
    /// F statistic.
    pub f: f64,
    /// Numerator degrees of freedom.
    pub df1: f64,
    /// Denominator degrees of freedom (fractional for Welch's ANOVA).
    pub df2: f64,
    /// Upper-tail p-value.
    pub p: f64,
}

/// Kruskal-Wallis rank-sum test result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KruskalWallis {
    /// Tie-corrected H statistic (R's "Kruskal-Wallis chi-squared").
    pub h: f64,
    /// Degrees of freedom, k - 1.
    pub df: f64,
    /// Upper-tail chi-squared p-value.
    pub p: f64,
    /// Whether any values were tied.
    pub ties: bool,
}

fn group_stats(label: &str, values: &[f64], needed: usize) -> StatResult<(f64, f64, f64)> {
    check_finite(values, label)?;
    if values.is_empty() {
        return Err(NotComputable::EmptyGroup {
            group: label.to_owned(),
        });
    }
    if values.len() < needed {
        return Err(NotComputable::GroupTooSmall {
            group: label.to_owned(),
            needed,
            got: values.len(),
        });
    }
    let n = values.len() as f64;
    let m = finite(mean(values).unwrap_or(f64::NAN), "group mean")?;
    let v = finite(variance(values).unwrap_or(f64::NAN), "group variance")?;
    Ok((n, m, v))
}

/// Welch two-sample t test of `x` against `y` (estimate mean x - mean y), as R's
/// `t.test(x, y, var.equal = FALSE, conf.level)`.
///
/// Not computable when a group has fewer than 2 values (named by its label) or the data
/// are essentially constant (R: "data are essentially constant"; here also when both
/// groups are constant once rounded to 9 decimals, so rounding noise is not tested).
pub fn welch_t(x: Sample<'_>, y: Sample<'_>, conf_level: f64) -> StatResult<TTest> {
    let tail = tail_for(conf_level)?;
    let (nx, mx, vx) = group_stats(x.label, x.values, 2)?;
    let (ny, my, vy) = group_stats(y.label, y.values, 2)?;
    let se_x = (vx / nx).sqrt();
    let se_y = (vy / ny).sqrt();
    let se = (se_x.powi(2) + se_y.powi(2)).sqrt();
    let noise_only = essentially_constant(x.values) && essentially_constant(y.values);
    if se == 0.0 || se < 10.0 * f64::EPSILON * mx.abs().max(my.abs()) || noise_only {
        return Err(NotComputable::no_variation("values of both groups"));
    }
    let df = finite(
        se.powi(4) / (se_x.powi(4) / (nx - 1.0) + se_y.powi(4) / (ny - 1.0)),
        "Welch degrees of freedom",
    )?;
    let t = finite((mx - my) / se, "t statistic")?;
    let q = converged(t_upper_quantile(tail, df), "t quantile")?;
    Ok(TTest {
        estimate: mx - my,
        se,
        t,
        df,
        p: converged(t_two_sided_p(t, df), "t distribution")?,
        ci: Interval {
            lower: finite((t - q) * se, "confidence limit")?,
            upper: finite((t + q) * se, "confidence limit")?,
            level: conf_level,
        },
    })
}

/// Standardised mean difference (mean x - mean y) / sqrt((SD x² + SD y²) / 2), the
/// balance measure of the attrition check (methods.md §6; R: by formula).
///
/// Not computable when a group has fewer than 2 values (named by its label) or both SDs
/// are zero.
pub fn standardised_mean_difference(x: Sample<'_>, y: Sample<'_>) -> StatResult<f64> {
    let (_, mx, vx) = group_stats(x.label, x.values, 2)?;
    let (_, my, vy) = group_stats(y.label, y.values, 2)?;
    let pooled = ((vx + vy) / 2.0).sqrt();
    if pooled == 0.0 {
        return Err(NotComputable::no_variation("values of both groups"));
    }
    finite((mx - my) / pooled, "standardised mean difference")
}

/// Welch's one-way ANOVA (not assuming equal variances), as R's
/// `oneway.test(value ~ group, var.equal = FALSE)`.
///
/// Not computable with fewer than 2 groups, a group with fewer than 2 values, or a
/// group without variation (its weight n / variance would be infinite), counting as
/// none a variation that is only floating-point noise: values all equal once rounded to
/// 9 decimals (R's `oneway.test` would weigh that noise and give a meaningless F).
pub fn welch_anova(groups: &[Sample<'_>]) -> StatResult<FTest> {
    if groups.len() < 2 {
        return Err(NotComputable::TooFewGroups {
            needed: 2,
            got: groups.len(),
        });
    }
    let mut stats = Vec::with_capacity(groups.len());
    for g in groups {
        let (n, m, v) = group_stats(g.label, g.values, 2)?;
        // No variation, or only rounding noise (8.3 - 6.8 beside 7.7 - 6.2).
        if v == 0.0 || essentially_constant(g.values) {
            return Err(NotComputable::GroupNoVariation {
                group: g.label.to_owned(),
            });
        }
        stats.push((n, m, n / v));
    }
    let k = groups.len() as f64;
    let sum_w = sum(stats.iter().map(|s| s.2));
    let tmp = sum(stats
        .iter()
        .map(|&(n, _, w)| (1.0 - w / sum_w).powi(2) / (n - 1.0)))
        / (k * k - 1.0);
    let grand = sum(stats.iter().map(|&(_, m, w)| w * m)) / sum_w;
    let between = sum(stats.iter().map(|&(_, m, w)| w * (m - grand).powi(2)));
    let f = finite(
        between / ((k - 1.0) * (1.0 + 2.0 * (k - 2.0) * tmp)),
        "F statistic",
    )?;
    let df2 = finite(1.0 / (3.0 * tmp), "denominator degrees of freedom")?;
    Ok(FTest {
        f,
        df1: k - 1.0,
        df2,
        p: converged(f_sf(f, k - 1.0, df2), "F distribution")?,
    })
}

/// Kruskal-Wallis rank-sum test with tie correction, as R's `kruskal.test(list(...))`,
/// on values rounded to 9 decimals.
///
/// H is computed as 12 / (n(n+1)) Σ n_i (mean rank_i - (n+1)/2)², algebraically R's
/// formula but without its cancellation, then divided by 1 - Σ(t³ - t) / (n³ - n).
///
/// Not computable with fewer than 2 groups, an empty group, fewer than 2 values in all,
/// or all values tied.
pub fn kruskal_wallis(groups: &[Sample<'_>]) -> StatResult<KruskalWallis> {
    if groups.len() < 2 {
        return Err(NotComputable::TooFewGroups {
            needed: 2,
            got: groups.len(),
        });
    }
    let mut pooled = Vec::new();
    for g in groups {
        check_finite(g.values, g.label)?;
        if g.values.is_empty() {
            return Err(NotComputable::EmptyGroup {
                group: g.label.to_owned(),
            });
        }
        pooled.extend(g.values.iter().copied().map(round9));
    }
    let n = pooled.len() as f64;
    if pooled.len() < 2 {
        return Err(NotComputable::too_few("values", 2, pooled.len()));
    }
    let (ranks, tie_sizes) = average_ranks(&pooled);
    let centre = (n + 1.0) / 2.0;
    let mut start = 0;
    let mut spread = Vec::with_capacity(groups.len());
    for g in groups {
        let len = g.values.len();
        let mean_rank = sum(ranks[start..start + len].iter().copied()) / len as f64;
        spread.push(len as f64 * (mean_rank - centre).powi(2));
        start += len;
    }
    let correction = 1.0 - tie_term(&tie_sizes) / (n * n * n - n);
    if correction.is_nan() || correction <= 0.0 {
        return Err(NotComputable::AllTied);
    }
    let h = finite(12.0 / (n * (n + 1.0)) * sum(spread) / correction, "H")?;
    let df = groups.len() as f64 - 1.0;
    Ok(KruskalWallis {
        h,
        df,
        p: converged(chisq_sf(h, df), "chi-squared distribution")?,
        ties: !tie_sizes.is_empty(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s<'a>(label: &'a str, values: &'a [f64]) -> Sample<'a> {
        Sample { label, values }
    }

    #[test]
    fn welch_matches_r() {
        // t.test(c(1, 2, 3, 4, 10), c(2, 2.5, 3)) in R 4.2.2
        let t = welch_t(
            s("x", &[1.0, 2.0, 3.0, 4.0, 10.0]),
            s("y", &[2.0, 2.5, 3.0]),
            0.95,
        )
        .expect("ok");
        assert!((t.estimate - 1.5).abs() < 1e-15);
        assert!((t.t - 0.9332565252573826).abs() < 1e-13, "{}", t.t);
        assert!((t.df - 4.261640798226166).abs() < 1e-12, "{}", t.df);
    }

    #[test]
    fn kruskal_wallis_on_two_groups_equals_uncorrected_wilcoxon_chi2() {
        let a = [1.0, 2.0, 3.0];
        let b = [4.0, 5.0, 6.0];
        let kw = kruskal_wallis(&[s("a", &a), s("b", &b)]).expect("ok");
        // kruskal.test(list(1:3, 4:6)): chi-squared = 3.8571, df = 1
        assert!((kw.h - 27.0 / 7.0).abs() < 1e-14);
        assert_eq!(kw.df, 1.0);
    }

    #[test]
    fn degenerate_inputs() {
        assert_eq!(
            welch_t(
                s("completers", &[1.0]),
                s("baseline only", &[1.0, 2.0]),
                0.95
            ),
            Err(NotComputable::GroupTooSmall {
                group: "completers".into(),
                needed: 2,
                got: 1
            })
        );
        assert!(welch_t(s("a", &[1.0, 1.0]), s("b", &[1.0, 1.0]), 0.95).is_err());
        assert_eq!(
            welch_anova(&[s("a", &[1.0, 2.0]), s("b", &[])]),
            Err(NotComputable::EmptyGroup { group: "b".into() })
        );
        assert_eq!(
            welch_anova(&[s("a", &[1.0, 2.0]), s("b", &[3.0, 3.0])]),
            Err(NotComputable::GroupNoVariation { group: "b".into() })
        );
        assert!(welch_anova(&[s("a", &[1.0, 2.0])]).is_err());
        // Changes of -1.5 read back from one-decimal scores carry rounding noise only.
        let noisy = [6.2 - 7.7, 3.1 - 4.6, 8.0 - 9.5];
        assert!(noisy.iter().any(|d| *d != -1.5));
        assert_eq!(
            welch_anova(&[s("a", &[1.0, 2.0]), s("b", &noisy)]),
            Err(NotComputable::GroupNoVariation { group: "b".into() })
        );
        assert_eq!(
            kruskal_wallis(&[s("a", &[1.0, 1.0]), s("b", &[1.0])]),
            Err(NotComputable::AllTied)
        );
        assert!(standardised_mean_difference(s("a", &[1.0, 1.0]), s("b", &[2.0, 2.0])).is_err());
        assert_eq!(
            standardised_mean_difference(s("a", &[1.0, 3.0]), s("North", &[2.0])),
            Err(NotComputable::GroupTooSmall {
                group: "North".into(),
                needed: 2,
                got: 1
            })
        );
    }
}
