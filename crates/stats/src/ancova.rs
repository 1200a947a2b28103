//! Baseline-adjusted comparison of cohorts (ANCOVA): `to ~ from + cohort` by least
//! squares through a Householder QR decomposition (nalgebra), as R's `lm`.

use nalgebra::{DMatrix, DVector};
use serde::{Deserialize, Serialize};

use super::dist::{f_sf, t_upper_quantile};
use super::error::{NotComputable, StatResult, converged, finite};
use super::groups::FTest;
use super::numeric::{check_finite, mean, sum};
use super::{Interval, PairedSample, tail_for};

/// A column whose part not explained by the earlier columns is below this fraction of
/// its length makes the model not estimable (the tolerance of R's `lm`, 1e-7).
const RANK_TOLERANCE: f64 = 1e-7;

/// A residual sum of squares at most this fraction of the total (centred) sum of squares
/// of `to` is an exact fit: the F statistic would be rounding noise over rounding noise.
/// R's `anova.lm` warns at the same ratio ("ANOVA F-tests on an essentially perfect fit
/// are unreliable"), there against the uncentred fitted sum of squares.
const EXACT_FIT_TOLERANCE: f64 = 1e-10;

/// Result of the ANCOVA `to ~ from + cohort`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ancova {
    /// Number of pairs in the model.
    pub n: usize,
    /// F test of cohort entered after baseline (type II for cohort), as the cohort row
    /// of R's `anova(lm(to ~ from + cohort))`.
    pub cohort: FTest,
    /// Coefficient of `from`.
    pub baseline_slope: f64,
    /// Standard error of the coefficient of `from`.
    pub baseline_slope_se: f64,
    /// Residual degrees of freedom, n - (number of cohorts + 1).
    pub residual_df: f64,
    /// Residual standard error (R's `sigma`).
    pub residual_sd: f64,
    /// Overall mean baseline, at which the adjusted changes are evaluated.
    pub mean_baseline: f64,
    /// Adjusted mean change per cohort, in input order.
    pub adjusted: Vec<AdjustedChange>,
}

/// One cohort's baseline-adjusted mean change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdjustedChange {
    /// Cohort label.
    pub label: String,
    /// Pairs in the cohort.
    pub n: usize,
    /// Predicted `to` for this cohort at the overall mean baseline.
    pub adjusted_to: f64,
    /// `adjusted_to` minus the overall mean baseline.
    pub change: f64,
    /// Standard error of the prediction (and so of the adjusted change).
    pub se: f64,
    /// t interval with the residual df, shifted by the mean baseline.
    pub ci: Interval,
}

/// ANCOVA of `to` on baseline `from` and cohort, fitted by least squares via Householder
/// QR, matching R:
///
/// ```r
/// fit <- lm(to ~ from + cohort)            # cohort a factor, first group = reference
/// anova(fit)["cohort", ]                   # F, df1, df2 (residual), p
/// pr <- predict(fit, data.frame(from = mean(from), cohort = levels),
///               se.fit = TRUE, interval = "confidence", level = conf_level)
/// pr$fit - mean(from)                      # adjusted change and its interval
/// ```
///
/// The adjusted mean change of a cohort is its model-predicted `to` at the overall mean
/// baseline, minus that mean baseline (an estimated marginal mean of `to` at the mean
/// baseline, expressed as change). The cohort F is sequential with cohort entered after
/// baseline, which for the cohort term is the type II test.
///
/// Not computable with fewer than 2 groups, an empty group, mismatched lengths,
/// non-finite values, no residual degrees of freedom, a rank-deficient design (constant
/// baseline, or baseline collinear with cohort) or an exact fit: a residual sum of
/// squares at most 1e-10 of the total sum of squares of `to` (every later value equal to
/// the baseline, or to the baseline plus a constant per cohort), reported as
/// [`NotComputable::Singular`] because R's F is then noise (R warns "essentially perfect
/// fit").
pub fn ancova(groups: &[PairedSample<'_>], conf_level: f64) -> StatResult<Ancova> {
    let tail = tail_for(conf_level)?;
    let k = groups.len();
    if k < 2 {
        return Err(NotComputable::TooFewGroups { needed: 2, got: k });
    }
    for g in groups {
        if g.from.len() != g.to.len() {
            return Err(NotComputable::LengthMismatch {
                what: format!("from and to of group '{}'", g.label),
                left: g.from.len(),
                right: g.to.len(),
            });
        }
        check_finite(g.from, g.label)?;
        check_finite(g.to, g.label)?;
        if g.from.is_empty() {
            return Err(NotComputable::EmptyGroup {
                group: g.label.to_owned(),
            });
        }
    }
    let n: usize = groups.iter().map(|g| g.from.len()).sum();
    let p = k + 1; // intercept, from, k - 1 cohort dummies
    if n <= p {
        return Err(NotComputable::too_few("pairs", p + 1, n));
    }
    let (x, y) = design(groups, n, p);
    let column_norms: Vec<f64> = (0..p).map(|j| x.column(j).norm()).collect();
    let qr = x.qr();
    let r = qr.r();
    for (j, norm) in column_norms.iter().enumerate() {
        let resolved = r[(j, j)].abs() > RANK_TOLERANCE * norm;
        if !resolved {
            return Err(NotComputable::Singular {
                detail: singular_detail(groups, j),
            });
        }
    }
    // effects = Q'y: the first p entries carry the fit, the rest the residuals (R's
    // `fit$effects`); sums of their squares give the sequential sums of squares.
    let mut effects = y;
    qr.q_tr_mul(&mut effects);
    let rss = sum(effects.iter().skip(p).map(|e| e * e));
    let ss_cohort = sum(effects.iter().skip(2).take(k - 1).map(|e| e * e));
    let residual_df = (n - p) as f64;
    let all_to = y_values(groups);
    let mean_to = mean(&all_to).unwrap_or(f64::NAN);
    let total_ss = sum(all_to.iter().map(|t| (t - mean_to).powi(2)));
    if rss.is_nan() || rss <= EXACT_FIT_TOLERANCE * total_ss || rss <= 0.0 {
        return Err(NotComputable::Singular {
            detail: "the later values are fitted exactly by baseline and cohort, \
                     so there is no residual variation to test against"
                .into(),
        });
    }
    let sigma2 = rss / residual_df;
    let df1 = (k - 1) as f64;
    let f = finite((ss_cohort / df1) / sigma2, "F statistic")?;

    let singular = || NotComputable::Singular {
        detail: "triangular solve failed".into(),
    };
    let beta = r
        .solve_upper_triangular(&effects.rows(0, p).into_owned())
        .ok_or_else(singular)?;
    let r_inv = r
        .solve_upper_triangular(&DMatrix::identity(p, p))
        .ok_or_else(singular)?;
    let sigma = sigma2.sqrt();
    let baseline_slope_se = sigma * r_inv.row(1).norm();

    let pooled_from: Vec<f64> = groups.iter().flat_map(|g| g.from.iter().copied()).collect();
    let mean_baseline = finite(mean(&pooled_from).unwrap_or(f64::NAN), "mean baseline")?;
    let q = converged(t_upper_quantile(tail, residual_df), "t quantile")?;
    let mut adjusted = Vec::with_capacity(k);
    for (gi, g) in groups.iter().enumerate() {
        let mut x0 = DVector::zeros(p);
        x0[0] = 1.0;
        x0[1] = mean_baseline;
        if gi > 0 {
            x0[gi + 1] = 1.0;
        }
        let fit = finite(x0.dot(&beta), "adjusted mean")?;
        let se = finite(
            sigma * (x0.transpose() * &r_inv).norm(),
            "SE of adjusted mean",
        )?;
        let half = q * se;
        adjusted.push(AdjustedChange {
            label: g.label.to_owned(),
            n: g.from.len(),
            adjusted_to: fit,
            change: fit - mean_baseline,
            se,
            ci: Interval {
                lower: (fit - half) - mean_baseline,
                upper: (fit + half) - mean_baseline,
                level: conf_level,
            },
        });
    }
    Ok(Ancova {
        n,
        cohort: FTest {
            f,
            df1,
            df2: residual_df,
            p: converged(f_sf(f, df1, residual_df), "F distribution")?,
        },
        baseline_slope: finite(beta[1], "baseline slope")?,
        baseline_slope_se: finite(baseline_slope_se, "SE of baseline slope")?,
        residual_df,
        residual_sd: finite(sigma, "residual SD")?,
        mean_baseline,
        adjusted,
    })
}

/// Every `to` value, in group order.
fn y_values(groups: &[PairedSample<'_>]) -> Vec<f64> {
    groups.iter().flat_map(|g| g.to.iter().copied()).collect()
}

/// Design matrix [1, from, dummy(cohort 2), ..., dummy(cohort k)] and response `to`.
fn design(groups: &[PairedSample<'_>], n: usize, p: usize) -> (DMatrix<f64>, DVector<f64>) {
    let mut x = DMatrix::zeros(n, p);
    let mut y = DVector::zeros(n);
    let mut row = 0;
    for (gi, g) in groups.iter().enumerate() {
        for (f, t) in g.from.iter().zip(g.to) {
            x[(row, 0)] = 1.0;
            x[(row, 1)] = *f;
            if gi > 0 {
                x[(row, gi + 1)] = 1.0;
            }
            y[row] = *t;
            row += 1;
        }
    }
    (x, y)
}

fn singular_detail(groups: &[PairedSample<'_>], column: usize) -> String {
    match column {
        0 | 1 => "baseline scores do not vary".to_owned(),
        j => format!(
            "baseline scores are collinear with cohort (at '{}')",
            groups.get(j - 1).map_or("?", |g| g.label)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ps<'a>(label: &'a str, from: &'a [f64], to: &'a [f64]) -> PairedSample<'a> {
        PairedSample { label, from, to }
    }

    #[test]
    fn matches_r_lm() {
        // d <- data.frame(from = c(10, 12, 14, 9, 11, 20, 22, 18),
        //                 to = c(13, 14, 18, 10, 15, 21, 25, 22), cohort = rep(c("a", "b"), each = 4))
        // fit <- lm(to ~ from + cohort, d); anova(fit); coef(fit)
        // predict(fit, data.frame(from = mean(d$from), cohort = c("a", "b")), se.fit = TRUE)
        let a = ps("a", &[10.0, 12.0, 14.0, 9.0], &[13.0, 14.0, 18.0, 10.0]);
        let b = ps("b", &[11.0, 20.0, 22.0, 18.0], &[15.0, 21.0, 25.0, 22.0]);
        let fit = ancova(&[a, b], 0.95).expect("computable");
        let near = |x: f64, r: f64| (x - r).abs() <= 1e-12 * r.abs();
        assert_eq!((fit.cohort.df1, fit.residual_df), (1.0, 5.0));
        assert!(near(fit.cohort.f, 0.3340490106423864), "{}", fit.cohort.f);
        assert!(near(fit.cohort.p, 0.5883370073866285), "{}", fit.cohort.p);
        assert!(near(fit.baseline_slope, 0.9461077844311376));
        assert!(near(fit.adjusted[0].change, 2.324850299401202));
        assert!(near(fit.adjusted[1].change, 3.1751497005988085));
        assert!(near(fit.adjusted[1].se, 0.9000178782372543));
        for adj in &fit.adjusted {
            assert!(adj.ci.contains(adj.change));
        }
    }

    #[test]
    fn an_exact_fit_is_not_computable() {
        // Every later value equals the baseline: R's anova() gives F = 0.726 (noise) and
        // warns "ANOVA F-tests on an essentially perfect fit are unreliable".
        let a = ps("a", &[61.0, 48.0, 75.0, 52.0], &[61.0, 48.0, 75.0, 52.0]);
        let b = ps("b", &[70.0, 66.0, 59.0], &[70.0, 66.0, 59.0]);
        let exact = ancova(&[a, b], 0.95);
        assert!(
            matches!(&exact, Err(NotComputable::Singular { detail }) if detail.contains("fitted exactly")),
            "{exact:?}"
        );
        // Baseline plus a constant per cohort fits exactly too, with decimals.
        let b2 = ps("b", &[7.1, 6.6, 5.9], &[9.6, 9.1, 8.4]);
        let a2 = ps("a", &[6.1, 4.8, 7.5, 5.2], &[6.1, 4.8, 7.5, 5.2]);
        assert!(ancova(&[a2, b2], 0.95).is_err());
        // A little real residual variation is a result.
        let b3 = ps("b", &[70.0, 66.0, 59.0], &[70.0, 66.5, 59.0]);
        assert!(ancova(&[a, b3], 0.95).is_ok());
    }

    #[test]
    fn degenerate_designs_are_not_computable() {
        let a = ps("a", &[10.0, 10.0, 10.0], &[11.0, 12.0, 13.0]);
        let b = ps("b", &[10.0, 10.0, 10.0], &[14.0, 12.0, 13.0]);
        assert!(matches!(
            ancova(&[a, b], 0.95),
            Err(NotComputable::Singular { .. })
        ));
        let c = ps("c", &[20.0, 20.0], &[1.0, 2.0]);
        assert!(matches!(
            ancova(&[a, c], 0.95),
            Err(NotComputable::Singular { .. })
        ));
        assert!(matches!(
            ancova(&[a, ps("e", &[], &[])], 0.95),
            Err(NotComputable::EmptyGroup { .. })
        ));
        assert!(ancova(&[a], 0.95).is_err());
        let tiny = ps("t", &[1.0], &[2.0]);
        assert!(ancova(&[tiny, ps("u", &[2.0], &[3.0])], 0.95).is_err());
    }
}
