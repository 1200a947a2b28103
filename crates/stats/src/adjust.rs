//! Multiplicity adjustment of p-values, as R's `p.adjust`.

use serde::{Deserialize, Serialize};

use super::error::{NotComputable, StatResult};

/// Which `p.adjust` method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PAdjustMethod {
    /// Holm's step-down (R: `method = "holm"`), controls the family-wise error rate.
    Holm,
    /// Benjamini-Hochberg (R: `method = "BH"`), controls the false discovery rate.
    BenjaminiHochberg,
}

/// Holm-adjusted p-values, as R's `p.adjust(p, method = "holm")`: in increasing order,
/// cumulative maximum of (m - i + 1) p_(i), capped at 1. Output is in input order.
///
/// Not computable if any p-value is outside [0, 1] or NaN.
pub fn holm(p: &[f64]) -> StatResult<Vec<f64>> {
    check(p)?;
    let m = p.len() as f64;
    let mut order: Vec<usize> = (0..p.len()).collect();
    order.sort_by(|&a, &b| p[a].total_cmp(&p[b]));
    let mut adjusted = vec![0.0; p.len()];
    let mut running = 0.0_f64;
    for (i, &idx) in order.iter().enumerate() {
        running = running.max((m - i as f64) * p[idx]);
        adjusted[idx] = running.min(1.0);
    }
    Ok(adjusted)
}

/// Benjamini-Hochberg adjusted p-values, as R's `p.adjust(p, method = "BH")`: in
/// decreasing order, cumulative minimum of m / i p_(i), capped at 1. Output is in input
/// order.
///
/// Not computable if any p-value is outside [0, 1] or NaN.
pub fn benjamini_hochberg(p: &[f64]) -> StatResult<Vec<f64>> {
    check(p)?;
    let m = p.len() as f64;
    let mut order: Vec<usize> = (0..p.len()).collect();
    order.sort_by(|&a, &b| p[b].total_cmp(&p[a]));
    let mut adjusted = vec![0.0; p.len()];
    let mut running = f64::INFINITY;
    for (k, &idx) in order.iter().enumerate() {
        let rank = m - k as f64; // R: i <- n:1
        running = running.min(m / rank * p[idx]);
        adjusted[idx] = running.min(1.0);
    }
    Ok(adjusted)
}

/// Adjusts the p-values that exist and leaves the rest `None`, as `p.adjust` does with
/// `NA` (the number of tests m counts only the present p-values). Use it for a table
/// where some tests were not computable.
pub fn p_adjust(p: &[Option<f64>], method: PAdjustMethod) -> StatResult<Vec<Option<f64>>> {
    let present: Vec<f64> = p.iter().flatten().copied().collect();
    let adjusted = match method {
        PAdjustMethod::Holm => holm(&present)?,
        PAdjustMethod::BenjaminiHochberg => benjamini_hochberg(&present)?,
    };
    let mut values = adjusted.into_iter();
    Ok(p.iter().map(|x| x.and_then(|_| values.next())).collect())
}

fn check(p: &[f64]) -> StatResult<()> {
    match p.iter().find(|x| !(0.0..=1.0).contains(*x)) {
        Some(bad) => Err(NotComputable::invalid("p-value", bad)),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_p_adjust() {
        let p = [0.01, 0.04, 0.03, 0.005];
        // p.adjust(p, "holm") = 0.03 0.06 0.06 0.02
        let h = holm(&p).expect("ok");
        let want = [0.03, 0.06, 0.06, 0.02];
        for (a, b) in h.iter().zip(want) {
            assert!((a - b).abs() < 1e-15, "{h:?}");
        }
        // p.adjust(p, "BH") = 0.02 0.04 0.04 0.02
        let bh = benjamini_hochberg(&p).expect("ok");
        let want = [0.02, 0.04, 0.04, 0.02];
        for (a, b) in bh.iter().zip(want) {
            assert!((a - b).abs() < 1e-15, "{bh:?}");
        }
    }

    #[test]
    fn missing_values_are_skipped() {
        let p = [Some(0.01), None, Some(0.04)];
        let h = p_adjust(&p, PAdjustMethod::Holm).expect("ok");
        assert_eq!(h, vec![Some(0.02), None, Some(0.04)]);
        assert_eq!(holm(&[]), Ok(vec![]));
        assert!(holm(&[1.5]).is_err());
        assert!(benjamini_hochberg(&[f64::NAN]).is_err());
    }
}
