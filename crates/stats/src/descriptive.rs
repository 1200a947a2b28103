//! Descriptive statistics: n, mean, SD, median, quartiles (R type 7), range.

use serde::{Deserialize, Serialize};

use super::error::{NotComputable, StatResult, finite};
use super::numeric::{check_finite, mean, variance_about};

/// Summary of one set of values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Descriptives {
    /// Number of values.
    pub n: usize,
    /// Arithmetic mean (R: `mean`).
    pub mean: f64,
    /// Sample standard deviation, denominator n - 1 (R: `sd`); `None` when n = 1.
    pub sd: Option<f64>,
    /// Median (R: `median`).
    pub median: f64,
    /// First quartile, R's default `quantile(x, 0.25, type = 7)`.
    pub q1: f64,
    /// Third quartile, R's default `quantile(x, 0.75, type = 7)`.
    pub q3: f64,
    /// Smallest value.
    pub min: f64,
    /// Largest value.
    pub max: f64,
}

/// n, mean, SD, median, quartiles and range, as R's `mean`, `sd`, `median` and
/// `quantile(type = 7)`.
///
/// Not computable when `values` is empty or holds NaN or infinity. With one value the
/// SD is `None`.
pub fn describe(values: &[f64]) -> StatResult<Descriptives> {
    check_finite(values, "values")?;
    if values.is_empty() {
        return Err(NotComputable::too_few("values", 1, 0));
    }
    let mut sorted = values.to_vec();
    // Values equal under `total_cmp` are the same bits, so an unstable sort (no buffer,
    // faster) leaves exactly the array a stable one would.
    sorted.sort_unstable_by(f64::total_cmp);
    let m = finite(mean(values).unwrap_or(f64::NAN), "mean")?;
    let sd = match variance_about(values, m) {
        Some(v) => Some(finite(v.sqrt(), "standard deviation")?),
        None => None,
    };
    Ok(Descriptives {
        n: values.len(),
        mean: m,
        sd,
        median: finite(quantile_sorted(&sorted, 0.5), "median")?,
        q1: finite(quantile_sorted(&sorted, 0.25), "first quartile")?,
        q3: finite(quantile_sorted(&sorted, 0.75), "third quartile")?,
        min: sorted[0],
        max: sorted[sorted.len() - 1],
    })
}

/// Sample quantile by R's default definition, `quantile(x, prob, type = 7)`:
/// linear interpolation between order statistics at position 1 + (n - 1) * prob.
///
/// Not computable for empty or non-finite input or `prob` outside [0, 1].
pub fn quantile_type7(values: &[f64], prob: f64) -> StatResult<f64> {
    check_finite(values, "values")?;
    if !(0.0..=1.0).contains(&prob) {
        return Err(NotComputable::invalid("probability", prob));
    }
    if values.is_empty() {
        return Err(NotComputable::too_few("values", 1, 0));
    }
    let mut sorted = values.to_vec();
    sorted.sort_unstable_by(f64::total_cmp);
    finite(quantile_sorted(&sorted, prob), "quantile")
}

/// Type 7 quantile of non-empty sorted values, with R's exact arithmetic:
/// `(1 - h) * x[lo] + h * x[hi]`, skipped when `x[hi] == x[lo]`.
fn quantile_sorted(sorted: &[f64], prob: f64) -> f64 {
    let n = sorted.len();
    // 1-based position as R computes it, so h carries R's rounding exactly.
    let index = 1.0 + (n - 1) as f64 * prob;
    let lo = index.floor();
    let low = sorted[(lo as usize).clamp(1, n) - 1];
    let high = sorted[(index.ceil() as usize).clamp(1, n) - 1];
    if index > lo && high != low {
        let h = index - lo;
        (1.0 - h) * low + h * high
    } else {
        low
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_r_on_a_small_sample() {
        // x <- c(1, 3, 4, 10, 2.5); summary values from R
        let d = describe(&[1.0, 3.0, 4.0, 10.0, 2.5]).expect("computable");
        assert_eq!(d.n, 5);
        assert!((d.mean - 4.1).abs() < 1e-15);
        assert!((d.sd.expect("n > 1") - 3.4713109915419564).abs() < 1e-14);
        assert_eq!(
            (d.median, d.q1, d.q3, d.min, d.max),
            (3.0, 2.5, 4.0, 1.0, 10.0)
        );
    }

    #[test]
    fn type7_interpolates() {
        // quantile(c(1, 2, 3, 4), c(0.25, 0.5, 0.9)) = 1.75, 2.5, 3.7
        let x = [4.0, 1.0, 3.0, 2.0];
        assert_eq!(quantile_type7(&x, 0.25), Ok(1.75));
        assert_eq!(quantile_type7(&x, 0.5), Ok(2.5));
        assert!((quantile_type7(&x, 0.9).expect("ok") - 3.7).abs() < 1e-15);
        assert_eq!(quantile_type7(&x, 1.0), Ok(4.0));
        assert!(quantile_type7(&x, 1.5).is_err());
    }

    #[test]
    fn degenerate_inputs() {
        assert!(describe(&[]).is_err());
        assert!(describe(&[1.0, f64::INFINITY]).is_err());
        let one = describe(&[7.0]).expect("one value");
        assert_eq!(one.sd, None);
        assert_eq!((one.median, one.q1, one.q3), (7.0, 7.0, 7.0));
        let equal = describe(&[2.0; 4]).expect("all equal");
        assert_eq!(equal.sd, Some(0.0));
        assert!(describe(&[1e308, 1e308]).is_err());
    }
}
