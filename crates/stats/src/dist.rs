//! Tail probabilities and quantiles of the reference distributions.
//!
//! The normal and chi-squared distributions come straight from `statrs`. Student t, F
//! and the binomial all reduce to the regularised incomplete beta function, and there
//! `statrs`' `beta_reg` is not good enough for R agreement: it forms `1 - x` itself, its
//! log-beta prefactor loses about nine digits to cancellation once a degree of freedom
//! passes 10^5, and it gives up after 140 continued-fraction steps, so upper tails of t
//! at a few thousand degrees of freedom came back as 0 or with 1e-5 relative error.
//! [`incomplete_beta`] therefore evaluates the same continued fraction (Lentz's method,
//! as in `statrs`) but takes `x` and `1 - x` separately, returns both tails, and uses
//! R's `lbeta` decomposition (Stirling remainder terms) for the prefactor. Gamma
//! functions for small arguments are still `statrs`'.
//!
//! Upper tails are computed directly, never as `1 - cdf`, so p-values far below 1e-10
//! keep their relative accuracy. Arguments are validated by the callers; anything out of
//! range yields `None` here rather than a panic.

use statrs::distribution::{ContinuousCDF, Normal};
use statrs::function::gamma::{checked_gamma_ur, gamma, ln_gamma};

const LN_SQRT_2PI: f64 = 0.918_938_533_204_672_8;
/// Continued-fraction steps allowed; convergence needs about sqrt(max(a, b)) of them.
const MAX_CF_STEPS: usize = 200_000;

/// `x > 0`, false for NaN.
fn positive(x: f64) -> bool {
    x > 0.0
}

fn std_normal() -> Option<Normal> {
    Normal::new(0.0, 1.0).ok()
}

/// ln Γ(x) - Stirling's approximation, for x >= 10 (R's `lgammacor`).
fn stirling_remainder(x: f64) -> f64 {
    // Bernoulli terms B_2k / (2k (2k - 1) x^(2k - 1)); the 8th is below 1e-17 at x = 10.
    const COEF: [f64; 8] = [
        1.0 / 12.0,
        -1.0 / 360.0,
        1.0 / 1260.0,
        -1.0 / 1680.0,
        1.0 / 1188.0,
        -691.0 / 360_360.0,
        1.0 / 156.0,
        -3617.0 / 122_400.0,
    ];
    let inv2 = 1.0 / (x * x);
    let mut sum = 0.0;
    for c in COEF.iter().rev() {
        sum = sum * inv2 + c;
    }
    sum / x
}

/// ln B(a, b) without the cancellation of ln Γ(a) + ln Γ(b) - ln Γ(a + b) (R's `lbeta`).
fn ln_beta(a: f64, b: f64) -> f64 {
    let (p, q) = if a < b { (a, b) } else { (b, a) };
    if p >= 10.0 {
        let corr = stirling_remainder(p) + stirling_remainder(q) - stirling_remainder(p + q);
        -0.5 * q.ln()
            + LN_SQRT_2PI
            + corr
            + (p - 0.5) * (p / (p + q)).ln()
            + q * (-p / (p + q)).ln_1p()
    } else if q >= 10.0 {
        let corr = stirling_remainder(q) - stirling_remainder(p + q);
        ln_gamma(p) + corr + p - p * (p + q).ln() + (q - 0.5) * (-p / (p + q)).ln_1p()
    } else {
        (gamma(p) * (gamma(q) / gamma(p + q))).ln()
    }
}

/// Lentz evaluation of the continued fraction for I_x(a, b) (Numerical Recipes `betacf`).
fn beta_continued_fraction(a: f64, b: f64, x: f64) -> Option<f64> {
    let tiny = f64::MIN_POSITIVE / f64::EPSILON;
    let clamp = |v: f64| if v.abs() < tiny { tiny } else { v };
    let (qab, qap, qam) = (a + b, a + 1.0, a - 1.0);
    let mut c = 1.0;
    let mut d = 1.0 / clamp(1.0 - qab * x / qap);
    let mut h = d;
    for m in 1..=MAX_CF_STEPS {
        let m = m as f64;
        let m2 = 2.0 * m;
        let aa = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1.0 / clamp(1.0 + aa * d);
        c = clamp(1.0 + aa / c);
        h *= d * c;
        let aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1.0 / clamp(1.0 + aa * d);
        c = clamp(1.0 + aa / c);
        let del = d * c;
        h *= del;
        if (del - 1.0).abs() <= f64::EPSILON {
            return h.is_finite().then_some(h);
        }
    }
    None
}

/// Both tails of the regularised incomplete beta function, `(I_x(a, b), 1 - I_x(a, b))`,
/// with `x` and `y = 1 - x` supplied separately so neither loses precision.
pub(crate) fn incomplete_beta(a: f64, b: f64, x: f64, y: f64) -> Option<(f64, f64)> {
    if !(positive(a) && positive(b) && a.is_finite() && b.is_finite()) {
        return None;
    }
    if !(0.0..=1.0).contains(&x) || !(0.0..=1.0).contains(&y) {
        return None;
    }
    if x == 0.0 {
        return Some((0.0, 1.0));
    }
    if y == 0.0 {
        return Some((1.0, 0.0));
    }
    let ln_x = if x <= 0.5 { x.ln() } else { (-y).ln_1p() };
    let ln_y = if y <= 0.5 { y.ln() } else { (-x).ln_1p() };
    let front = (a * ln_x + b * ln_y - ln_beta(a, b)).exp();
    if x < (a + 1.0) / (a + b + 2.0) {
        let lower = front * beta_continued_fraction(a, b, x)? / a;
        Some((lower, 1.0 - lower))
    } else {
        let upper = front * beta_continued_fraction(b, a, y)? / b;
        Some((1.0 - upper, upper))
    }
    .filter(|(l, u)| l.is_finite() && u.is_finite())
    .map(|(l, u)| (l.clamp(0.0, 1.0), u.clamp(0.0, 1.0)))
}

/// Upper tail P(Z > z) of the standard normal (R: `pnorm(z, lower.tail = FALSE)`).
pub(crate) fn normal_sf(z: f64) -> Option<f64> {
    if z.is_nan() {
        return None;
    }
    std_normal().map(|n| n.sf(z))
}

/// Two-sided normal p-value (R: `2 * min(pnorm(z), pnorm(z, lower.tail = FALSE))`).
pub(crate) fn normal_two_sided_p(z: f64) -> Option<f64> {
    normal_sf(z.abs()).map(|p| (2.0 * p).min(1.0))
}

/// Standard normal quantile (R: `qnorm(p)`), for 0 < p < 1.
pub(crate) fn normal_quantile(p: f64) -> Option<f64> {
    if !(p > 0.0 && p < 1.0) {
        return None;
    }
    std_normal()
        .map(|n| n.inverse_cdf(p))
        .filter(|q| q.is_finite())
}

/// Upper tail P(T > t) of Student's t with `df` degrees of freedom
/// (R: `pt(t, df, lower.tail = FALSE)`, which since R 2.7 uses pbeta at every df).
pub(crate) fn t_sf(t: f64, df: f64) -> Option<f64> {
    if t.is_nan() || !positive(df) {
        return None;
    }
    if t.is_infinite() {
        return Some(if t > 0.0 { 0.0 } else { 1.0 });
    }
    if df.is_infinite() {
        return normal_sf(t);
    }
    let t2 = t * t;
    // P(|T| > |t|) = I_{df/(df+t^2)}(df/2, 1/2); both arguments formed directly.
    let (two_sided, _) = incomplete_beta(df / 2.0, 0.5, df / (df + t2), t2 / (df + t2))?;
    let upper = two_sided / 2.0;
    Some(if t > 0.0 { upper } else { 1.0 - upper })
}

/// Two-sided p-value 2 P(T > |t|) (R: `2 * pt(-abs(t), df)`).
pub fn t_two_sided_p(t: f64, df: f64) -> Option<f64> {
    t_sf(t.abs(), df).map(|p| (2.0 * p).min(1.0))
}

/// Density of Student's t (only steers the Newton steps in [`t_upper_quantile`]).
fn t_pdf(t: f64, df: f64) -> f64 {
    let ln = -ln_beta(0.5, df / 2.0) - 0.5 * df.ln() - (df + 1.0) / 2.0 * (t * t / df).ln_1p();
    ln.exp()
}

/// The t with P(T > t) = `upper` (R: `qt(upper, df, lower.tail = FALSE)`), 0 < upper < 1.
///
/// Safeguarded Newton iteration on the accurate tail [`t_sf`], started from the
/// Cornish-Fisher expansion and kept inside a bracket, so it always terminates.
pub fn t_upper_quantile(upper: f64, df: f64) -> Option<f64> {
    if !(upper > 0.0 && upper < 1.0 && positive(df)) {
        return None;
    }
    if upper == 0.5 {
        return Some(0.0);
    }
    if upper > 0.5 {
        return t_upper_quantile(1.0 - upper, df).map(|q| -q);
    }
    let z = normal_quantile(1.0 - upper)?;
    if df.is_infinite() {
        return Some(z);
    }
    let g1 = (z.powi(3) + z) / 4.0;
    let g2 = (5.0 * z.powi(5) + 16.0 * z.powi(3) + 3.0 * z) / 96.0;
    let mut x = (z + g1 / df + g2 / (df * df)).max(z);
    // Bracket [lo, hi] with sf(lo) >= upper >= sf(hi); sf is decreasing.
    let mut lo = 0.0;
    let mut hi = x.max(1.0);
    let mut guard = 0;
    while t_sf(hi, df)? > upper {
        lo = hi;
        hi *= 2.0;
        guard += 1;
        if guard > 2000 || !hi.is_finite() {
            return None;
        }
    }
    if !(x > lo && x < hi) {
        x = 0.5 * (lo + hi);
    }
    for _ in 0..200 {
        let f = t_sf(x, df)? - upper;
        if f == 0.0 {
            break;
        }
        if f > 0.0 {
            lo = x;
        } else {
            hi = x;
        }
        let dens = t_pdf(x, df);
        // sf'(x) = -pdf(x), so the Newton step is +f / pdf.
        let mut next = x + f / dens;
        if !(next > lo && next < hi && next.is_finite()) {
            next = 0.5 * (lo + hi);
        }
        let converged = (next - x).abs() <= 4.0 * f64::EPSILON * x.abs();
        x = next;
        if converged || hi - lo <= 4.0 * f64::EPSILON * hi {
            break;
        }
    }
    x.is_finite().then_some(x)
}

/// Upper tail of the F distribution (R: `pf(f, df1, df2, lower.tail = FALSE)`).
pub(crate) fn f_sf(f: f64, df1: f64, df2: f64) -> Option<f64> {
    if f.is_nan() || !positive(df1) || !positive(df2) {
        return None;
    }
    if f <= 0.0 {
        return Some(1.0);
    }
    if f.is_infinite() {
        return Some(0.0);
    }
    let denom = df2 + df1 * f;
    incomplete_beta(df1 / 2.0, df2 / 2.0, df1 * f / denom, df2 / denom).map(|(_, upper)| upper)
}

/// Upper tail of the chi-squared distribution (R: `pchisq(x, df, lower.tail = FALSE)`).
pub(crate) fn chisq_sf(x: f64, df: f64) -> Option<f64> {
    if x.is_nan() || !(positive(df) && df.is_finite()) {
        return None;
    }
    if x <= 0.0 {
        return Some(1.0);
    }
    if x.is_infinite() {
        return Some(0.0);
    }
    checked_gamma_ur(df / 2.0, x / 2.0)
        .ok()
        .filter(|p| p.is_finite())
}

/// Up to this many trials the binomial tail is summed exactly in integers.
const EXACT_BINOMIAL_MAX_N: u64 = 120;

/// P(X <= k) for X ~ Binomial(n, 1/2) (R: `pbinom(k, n, 0.5)`). Up to 120 trials it is
/// the exact sum of C(n, i) for i <= k over 2^n (in u128, one rounding to f64), so
/// `pbinom(0, 2, 0.5)` is exactly 0.25; beyond, I_{1/2}(n - k, k + 1).
pub(crate) fn binom_half_cdf(k: u64, n: u64) -> Option<f64> {
    if k >= n {
        return Some(1.0);
    }
    if n <= EXACT_BINOMIAL_MAX_N {
        // C(n, i + 1) = C(n, i) (n - i) / (i + 1) is exact; C(120, 60) < 2^117 and the
        // sum is below 2^120, within u128.
        let (mut term, mut sum) = (1u128, 1u128);
        for i in 0..k {
            term = term * u128::from(n - i) / u128::from(i + 1);
            sum += term;
        }
        // Powers of two scale exactly; the cast is the one rounding.
        return Some(sum as f64 * 0.5f64.powi(n as i32));
    }
    incomplete_beta((n - k) as f64, k as f64 + 1.0, 0.5, 0.5).map(|(lower, _)| lower)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, rel: f64) -> bool {
        (a - b).abs() <= rel * b.abs().max(1e-300)
    }

    #[test]
    fn small_binomial_tails_are_exact() {
        assert_eq!(binom_half_cdf(0, 2), Some(0.25));
        assert_eq!(binom_half_cdf(2, 7), Some(29.0 / 128.0));
        // pbinom(40, 120, 0.5) = 0.00016520000919566008 in R
        let p = binom_half_cdf(40, 120).expect("p");
        assert!(close(p, 0.00016520000919566008, 1e-14), "{p}");
        // The beta function takes over beyond 120 trials, continuously.
        let beyond = binom_half_cdf(40, 121).expect("p");
        assert!(beyond < p && beyond > 0.5 * p, "{beyond}");
    }

    #[test]
    fn known_values_from_r() {
        // qt(0.975, 10)
        let q = t_upper_quantile(0.025, 10.0).expect("qt");
        assert!(close(q, 2.228138851986274, 1e-13), "{q}");
        // pt(2.5, 7, lower.tail = FALSE)
        let p = t_sf(2.5, 7.0).expect("pt");
        assert!(close(p, 0.020496109292876437, 1e-12), "{p}");
        // pf(4, 2, 30, lower.tail = FALSE)
        let p = f_sf(4.0, 2.0, 30.0).expect("pf");
        assert!(close(p, 0.028844623295696835, 1e-12), "{p}");
        // qnorm(0.975)
        let z = normal_quantile(0.975).expect("qnorm");
        assert!(close(z, 1.959963984540054, 1e-14), "{z}");
    }

    #[test]
    fn tiny_upper_tails_keep_relative_accuracy() {
        // pt(15, 1000, lower.tail = FALSE): statrs' beta_reg returns 0 here.
        let p = t_sf(15.0, 1000.0).expect("pt");
        assert!(close(p, 2.505119468497795e-46, 1e-9), "{p:e}");
        // pbinom(9000, 20000, 0.5)
        let p = binom_half_cdf(9000, 20000).expect("pbinom");
        assert!(close(p, 9.770413852914492e-46, 1e-9), "{p:e}");
    }

    #[test]
    fn degenerate_arguments_do_not_panic() {
        assert_eq!(t_sf(1.0, 0.0), None);
        assert_eq!(t_sf(f64::NAN, 3.0), None);
        assert_eq!(t_upper_quantile(0.0, 3.0), None);
        assert_eq!(f_sf(1.0, 0.0, 3.0), None);
        assert_eq!(chisq_sf(-1.0, 2.0), Some(1.0));
        assert_eq!(binom_half_cdf(0, 0), Some(1.0));
        assert_eq!(normal_quantile(1.0), None);
        let (l, u) = incomplete_beta(1.0, 1.0, 0.3, 0.7).expect("uniform");
        assert!(close(l, 0.3, 1e-14) && close(u, 0.7, 1e-14));
        assert_eq!(incomplete_beta(0.0, 1.0, 0.3, 0.7), None);
    }
}
