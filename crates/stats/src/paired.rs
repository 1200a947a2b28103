//! Paired continuous comparison: mean change with t interval, paired t test and the
//! standardised effect sizes d_z, d_av and Hedges' g_av.

use serde::{Deserialize, Serialize};

use super::dist::{normal_quantile, t_two_sided_p, t_upper_quantile};
use super::error::{NotComputable, StatResult, converged, finite};
use super::numeric::{essentially_constant, mean, variance, variance_about};
use super::{Interval, changes, tail_for};

/// A t test: estimate, standard error, statistic, degrees of freedom, two-sided p and
/// the confidence interval for the estimate, as R's `t.test`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TTest {
    /// Mean change (paired) or difference in means x - y (two groups).
    pub estimate: f64,
    /// Standard error of the estimate.
    pub se: f64,
    /// t statistic.
    pub t: f64,
    /// Degrees of freedom (Welch-Satterthwaite for two groups).
    pub df: f64,
    /// Two-sided p-value.
    pub p: f64,
    /// Confidence interval for the estimate.
    pub ci: Interval,
}

/// Mean change `to - from` with its t-based confidence interval.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MeanChange {
    /// Number of pairs.
    pub n: usize,
    /// Mean of `to - from`.
    pub mean: f64,
    /// SD of `to - from`.
    pub sd: f64,
    /// Standard error, SD / sqrt(n).
    pub se: f64,
    /// Student t interval with n - 1 df (as R's `t.test(to, from, paired = TRUE)$conf.int`).
    pub ci: Interval,
}

/// Cohen's d_z (mean change / SD of change) with its normal-approximation interval.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CohensDz {
    /// d_z = mean change / SD change.
    pub estimate: f64,
    /// SE = sqrt(1/n + d_z^2 / (2n)).
    pub se: f64,
    /// d_z ± z_{1-α/2} SE.
    pub ci: Interval,
}

/// Effect sizes standardised by the average of the two timepoints' SDs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AveragedD {
    /// d_av = mean change / ((SD from + SD to) / 2).
    pub d_av: f64,
    /// Hedges' g_av = d_av × (1 - 3 / (4(n - 1) - 1)); `None` below 3 pairs, where the
    /// small-sample factor is 0 (n = 2) or negative.
    pub g_av: Option<f64>,
}

/// Pieces shared by the paired t test, the mean-change interval and d_z.
struct ChangeMoments {
    n: usize,
    mean: f64,
    sd: f64,
    se: f64,
}

/// Mean, SD and SE of the changes, failing as R's `t.test` does: fewer than two pairs,
/// or "data are essentially constant" (SE below 10 ε |mean|, or zero); and also when the
/// changes are all equal once rounded to 9 decimals, where R would test the rounding
/// noise of a constant change (10.1 - 10.2 beside 88.4 - 88.5) and report a huge t.
fn change_moments(from: &[f64], to: &[f64]) -> StatResult<ChangeMoments> {
    let d = changes(from, to)?;
    let n = d.len();
    if n < 2 {
        return Err(NotComputable::too_few("pairs", 2, n));
    }
    let m = finite(mean(&d).unwrap_or(f64::NAN), "mean change")?;
    let v = finite(
        variance_about(&d, m).unwrap_or(f64::NAN),
        "variance of change",
    )?;
    let se = (v / n as f64).sqrt();
    if se == 0.0 || se < 10.0 * f64::EPSILON * m.abs() || essentially_constant(&d) {
        return Err(NotComputable::no_variation("change scores"));
    }
    Ok(ChangeMoments {
        n,
        mean: m,
        sd: v.sqrt(),
        se,
    })
}

/// The mean of `values` with its one-sample Student t interval, as R's `t.test(x)`:
/// the same arithmetic as [`mean_change`] from zero, without a copy of the values.
///
/// Not computable with fewer than 2 values or when they are essentially constant.
pub fn mean_interval(values: &[f64], conf_level: f64) -> StatResult<MeanChange> {
    tail_for(conf_level)?;
    super::numeric::check_finite(values, "values")?;
    let n = values.len();
    if n < 2 {
        return Err(NotComputable::too_few("values", 2, n));
    }
    let m = finite(mean(values).unwrap_or(f64::NAN), "mean")?;
    let v = finite(variance_about(values, m).unwrap_or(f64::NAN), "variance")?;
    let se = (v / n as f64).sqrt();
    if se == 0.0 || se < 10.0 * f64::EPSILON * m.abs() || essentially_constant(values) {
        return Err(NotComputable::no_variation("values"));
    }
    Ok(MeanChange {
        n,
        mean: m,
        sd: v.sqrt(),
        se,
        ci: t_interval(m / se, se, (n - 1) as f64, conf_level)?,
    })
}

/// Confidence interval as `t.test` builds it: (t ∓ q) × SE.
fn t_interval(t: f64, se: f64, df: f64, conf_level: f64) -> StatResult<Interval> {
    let q = converged(t_upper_quantile(tail_for(conf_level)?, df), "t quantile")?;
    Ok(Interval {
        lower: finite((t - q) * se, "confidence limit")?,
        upper: finite((t + q) * se, "confidence limit")?,
        level: conf_level,
    })
}

/// Paired t test of `to - from`, as R's `t.test(to, from, paired = TRUE, conf.level)`.
///
/// Not computable with fewer than 2 pairs or when the changes are essentially constant
/// (R stops with "data are essentially constant").
pub fn paired_t(from: &[f64], to: &[f64], conf_level: f64) -> StatResult<TTest> {
    tail_for(conf_level)?;
    let m = change_moments(from, to)?;
    let df = (m.n - 1) as f64;
    let t = finite(m.mean / m.se, "t statistic")?;
    Ok(TTest {
        estimate: m.mean,
        se: m.se,
        t,
        df,
        p: converged(t_two_sided_p(t, df), "t distribution")?,
        ci: t_interval(t, m.se, df, conf_level)?,
    })
}

/// Mean change `to - from` with its Student t interval (n - 1 df), the interval of
/// R's `t.test(to, from, paired = TRUE)`.
///
/// Same conditions as [`paired_t`]; the mean alone is in the change [`super::Descriptives`].
pub fn mean_change(from: &[f64], to: &[f64], conf_level: f64) -> StatResult<MeanChange> {
    tail_for(conf_level)?;
    let m = change_moments(from, to)?;
    let t = m.mean / m.se;
    Ok(MeanChange {
        n: m.n,
        mean: m.mean,
        sd: m.sd,
        se: m.se,
        ci: t_interval(t, m.se, (m.n - 1) as f64, conf_level)?,
    })
}

/// Cohen's d_z = mean change / SD of change, with the normal-approximation interval
/// d_z ± z SE, SE = sqrt(1/n + d_z² / (2n)) (methods.md §2; R: by formula with `qnorm`).
///
/// Not computable with fewer than 2 pairs or essentially constant changes.
pub fn cohens_dz(from: &[f64], to: &[f64], conf_level: f64) -> StatResult<CohensDz> {
    let tail = tail_for(conf_level)?;
    let m = change_moments(from, to)?;
    let n = m.n as f64;
    let d = finite(m.mean / m.sd, "d_z")?;
    let se = finite((1.0 / n + d * d / (2.0 * n)).sqrt(), "SE of d_z")?;
    let z = converged(normal_quantile(1.0 - tail), "normal quantile")?;
    Ok(CohensDz {
        estimate: d,
        se,
        ci: Interval::around(d, z * se, conf_level),
    })
}

/// d_av = mean change / ((SD from + SD to) / 2) and Hedges' g_av = d_av × (1 - 3 / (4(n - 1) - 1))
/// (methods.md §2; R: by formula). g_av needs at least 3 pairs: at n = 2 the correction
/// factor is 0 and it would read as "no effect".
///
/// Not computable with fewer than 2 pairs, when both timepoints have zero SD, or when
/// every client changed by the same amount (no variation in the changes, as R's
/// `t.test` judges it): then neither the t test nor d_z exists either, and an effect
/// size standardised by the spread of scores would present a copied or shifted column
/// as a finding.
pub fn cohens_d_av(from: &[f64], to: &[f64]) -> StatResult<AveragedD> {
    // Fewer than 2 pairs and changes without variation fail here, as for d_z.
    let m = change_moments(from, to)?;
    let sd_from = variance(from).unwrap_or(f64::NAN).sqrt();
    let sd_to = variance(to).unwrap_or(f64::NAN).sqrt();
    let denominator = finite((sd_from + sd_to) / 2.0, "average SD")?;
    if denominator == 0.0 {
        return Err(NotComputable::no_variation("scores at either timepoint"));
    }
    let d_av = finite(m.mean / denominator, "d_av")?;
    let n = m.n;
    let g_av = (n >= 3).then(|| d_av * (1.0 - 3.0 / (4.0 * (n as f64 - 1.0) - 1.0)));
    Ok(AveragedD { d_av, g_av })
}

#[cfg(test)]
mod tests {
    use super::*;

    const FROM: [f64; 6] = [10.0, 12.0, 9.0, 15.0, 11.0, 13.0];
    const TO: [f64; 6] = [12.0, 15.0, 9.5, 18.0, 10.0, 17.0];

    #[test]
    fn matches_r_t_test() {
        // t.test(to, from, paired = TRUE) in R 4.2.2
        let t = paired_t(&FROM, &TO, 0.95).expect("computable");
        assert!((t.estimate - 1.9166666666666667).abs() < 1e-14);
        assert!((t.t - 2.5306833767800536).abs() < 1e-13);
        assert_eq!(t.df, 5.0);
        assert!((t.p - 0.052486226856201613).abs() < 1e-13);
        assert!((t.ci.lower - -0.030217943043694913).abs() < 1e-13);
        assert!((t.ci.upper - 3.863551276377028).abs() < 1e-13);
        let m = mean_change(&FROM, &TO, 0.95).expect("computable");
        assert_eq!(m.ci, t.ci);
    }

    #[test]
    fn one_sample_interval_matches_r_and_the_paired_one_from_zero() {
        // t.test(c(12, 15, 9.5, 18, 10, 17))$conf.int in R 4.2.2
        let m = mean_interval(&TO, 0.95).expect("computable");
        assert!((m.mean - 13.583333333333334).abs() < 1e-14);
        assert!((m.ci.lower - 9.793_480_401_958_233).abs() < 1e-13);
        assert!((m.ci.upper - 17.373186264708433).abs() < 1e-13);
        let from_zero = mean_change(&[0.0; 6], &TO, 0.95).expect("computable");
        assert_eq!(m, from_zero);
        assert!(mean_interval(&[3.0], 0.95).is_err());
        assert!(mean_interval(&[3.0, 3.0, 3.0], 0.95).is_err());
    }

    #[test]
    fn swapping_flips_signs() {
        let a = paired_t(&FROM, &TO, 0.95).expect("ok");
        let b = paired_t(&TO, &FROM, 0.95).expect("ok");
        assert_eq!(a.t, -b.t);
        assert_eq!(a.p, b.p);
        let da = cohens_dz(&FROM, &TO, 0.95).expect("ok");
        let db = cohens_dz(&TO, &FROM, 0.95).expect("ok");
        assert_eq!(da.estimate, -db.estimate);
    }

    #[test]
    fn degenerate_inputs_are_not_computable() {
        assert_eq!(
            paired_t(&[1.0], &[2.0], 0.95),
            Err(NotComputable::too_few("pairs", 2, 1))
        );
        assert_eq!(
            paired_t(&[1.0, 2.0, 3.0], &[2.0, 3.0, 4.0], 0.95),
            Err(NotComputable::no_variation("change scores"))
        );
        // Floating-point noise only: R says "essentially constant" too.
        assert!(paired_t(&[6.1, 3.2], &[8.3, 5.4], 0.95).is_err());
        // A constant change of -0.1 at different magnitudes: R would give t = -1e14.
        assert_eq!(
            paired_t(&[10.2, 88.5, 65.3], &[10.1, 88.4, 65.2], 0.95),
            Err(NotComputable::no_variation("change scores"))
        );
        assert!(paired_t(&[1.0, 2.0], &[1.0], 0.95).is_err());
        assert!(paired_t(&FROM, &TO, 1.0).is_err());
        assert!(cohens_d_av(&[1.0, 1.0], &[2.0, 2.0]).is_err());
        // n = 2: d_av = 1.5 / 1.0607, but no g_av (its correction factor is 0).
        let two = cohens_d_av(&[1.0, 2.0], &[2.0, 4.0]).expect("n = 2");
        assert!((two.d_av - 1.5 / (0.5_f64.sqrt() + 2.0_f64.sqrt()) * 2.0).abs() < 1e-15);
        assert_eq!(two.g_av, None);
        let three = cohens_d_av(&[1.0, 2.0, 4.0], &[2.0, 4.0, 5.0]).expect("n = 3");
        assert!((three.g_av.expect("n = 3") - three.d_av * (1.0 - 3.0 / 7.0)).abs() < 1e-15);
        // Everyone changed by the same amount: no effect size.
        assert_eq!(
            cohens_d_av(&[1.0, 2.0, 4.0], &[3.0, 4.0, 6.0]),
            Err(NotComputable::no_variation("change scores"))
        );
    }
}
