//! Small numerical building blocks shared by the methods: accurate sums, R-style mean
//! and variance, the 9-decimal rounding rule and average ranks.

use super::error::{NotComputable, StatResult};

/// Rejects NaN and infinities: missing values must be dropped before any statistic.
pub(crate) fn check_finite(values: &[f64], what: &str) -> StatResult<()> {
    if values.iter().all(|v| v.is_finite()) {
        Ok(())
    } else {
        Err(NotComputable::non_finite(what))
    }
}

/// Neumaier-compensated sum; about as accurate as R's long-double accumulation.
pub(crate) fn sum(values: impl IntoIterator<Item = f64>) -> f64 {
    let mut total = 0.0_f64;
    let mut compensation = 0.0_f64;
    for v in values {
        let t = total + v;
        if total.abs() >= v.abs() {
            compensation += (total - t) + v;
        } else {
            compensation += (v - t) + total;
        }
        total = t;
    }
    total + compensation
}

/// Arithmetic mean with R's second refinement pass (`mean.default`). `None` when empty.
pub(crate) fn mean(values: &[f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let n = values.len() as f64;
    let first = sum(values.iter().copied()) / n;
    if !first.is_finite() {
        return Some(first);
    }
    Some(first + sum(values.iter().map(|v| v - first)) / n)
}

/// Sample variance with denominator n - 1, two-pass as R's `var`. `None` when n < 2.
pub(crate) fn variance(values: &[f64]) -> Option<f64> {
    variance_about(values, mean(values)?)
}

/// [`variance`] about a mean already computed by [`mean`], saving its two passes.
pub(crate) fn variance_about(values: &[f64], m: f64) -> Option<f64> {
    if values.len() < 2 {
        return None;
    }
    let ss = sum(values.iter().map(|v| (v - m) * (v - m)));
    Some(ss / (values.len() as f64 - 1.0))
}

/// Rounds to 9 decimal places, the product rule applied before every rank-based test so
/// floating-point noise (8.3 - 6.1 vs 5.4 - 3.2) never breaks a tie.
///
/// Beyond 1e6 in magnitude a double has no reliable 9th decimal, so the value is kept.
pub fn round9(x: f64) -> f64 {
    if !x.is_finite() || x.abs() >= 1e6 {
        return x;
    }
    let r = (x * 1e9).round() / 1e9;
    // Avoid a negative zero so sign tests and serialisation stay clean.
    if r == 0.0 { 0.0 } else { r }
}

/// Whether every value is the same once rounded to 9 decimals: values that differ only
/// by floating-point noise (a constant change of -0.1 read back from one-decimal scores:
/// 10.1 - 10.2 and 88.4 - 88.5 differ in the 15th digit) have no variation to test.
pub(crate) fn essentially_constant(values: &[f64]) -> bool {
    let mut rounded = values.iter().map(|v| round9(*v));
    match rounded.next() {
        Some(first) => rounded.all(|v| v == first),
        None => true,
    }
}

/// Average ranks (1-based, ties get the mean of their positions, as R's `rank`) and the
/// sizes of the tie groups with more than one member.
pub(crate) fn average_ranks(values: &[f64]) -> (Vec<f64>, Vec<usize>) {
    let mut order: Vec<usize> = (0..values.len()).collect();
    // Tied positions all take the same average rank, so their order among themselves
    // does not matter: an unstable sort gives the same ranks.
    order.sort_unstable_by(|&a, &b| values[a].total_cmp(&values[b]));
    let mut ranks = vec![0.0; values.len()];
    let mut ties = Vec::new();
    let mut start = 0;
    while start < order.len() {
        let mut end = start + 1;
        while end < order.len() && values[order[end]] == values[order[start]] {
            end += 1;
        }
        // Positions start+1 ..= end share the average rank.
        let rank = (start + 1 + end) as f64 / 2.0;
        for &i in &order[start..end] {
            ranks[i] = rank;
        }
        if end - start > 1 {
            ties.push(end - start);
        }
        start = end;
    }
    (ranks, ties)
}

/// Sum over tie groups of t^3 - t, the tie-correction term shared by the rank tests.
pub(crate) fn tie_term(ties: &[usize]) -> f64 {
    ties.iter()
        .map(|&t| {
            let t = t as f64;
            t * t * t - t
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_removes_float_noise() {
        assert_ne!(8.3 - 6.1, 5.4 - 3.2);
        assert_eq!(round9(8.3 - 6.1), round9(5.4 - 3.2));
        assert_eq!(round9(-1e-12), 0.0);
        assert!(round9(-1e-12).is_sign_positive());
        assert_eq!(round9(2e7 + 0.1), 2e7 + 0.1);
    }

    #[test]
    fn ranks_average_ties() {
        let (r, ties) = average_ranks(&[3.0, 1.0, 3.0, 2.0, 3.0]);
        assert_eq!(r, vec![4.0, 1.0, 4.0, 2.0, 4.0]);
        assert_eq!(ties, vec![3]);
        assert_eq!(tie_term(&ties), 24.0);
        let (r, ties) = average_ranks(&[]);
        assert!(r.is_empty() && ties.is_empty());
    }

    #[test]
    fn mean_and_variance_match_r() {
        let x = [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0];
        assert_eq!(mean(&x), Some(5.0));
        // var(x) in R is 32/7
        let v = variance(&x).expect("n >= 2");
        assert!((v - 32.0 / 7.0).abs() < 1e-15);
        assert_eq!(variance(&[1.0]), None);
        assert_eq!(mean(&[]), None);
    }

    #[test]
    fn compensated_sum_is_exact_for_cancellation() {
        assert_eq!(sum([1e16, 1.0, -1e16]), 1.0);
        assert!(check_finite(&[1.0, f64::NAN], "x").is_err());
    }
}
