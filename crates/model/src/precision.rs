//! How precisely each kind of figure is shown, and the one rounding rule every audience
//! shares: to the nearest, halves away from zero, once, from the exact value. Reports
//! print figures at these precisions, and the published models of trustees and
//! commissioners carry them at no finer precision (methods.md section 8), so a figure
//! printed in two reports prints the same and nothing finer is published than is shown.

/// Decimals of an effect size (d_z, d_av, g_av, r, a standardised difference).
pub const EFFECT: usize = 2;

/// Decimals of a p-value; smaller p-values are shown as "<0.001".
pub const P: usize = 3;

/// The smallest p-value shown as a number.
pub const P_FLOOR: f64 = 0.001;

/// Decimals of a spread of per-person quantities (sessions, minutes, days, weeks).
pub const SPREAD: usize = 1;

/// Decimals of a mean or change of a measure on a scale from `min` to `max`: two for
/// scales spanning under five points (EQ-5D index), one otherwise.
pub fn measure(min: f64, max: f64) -> usize {
    if (max - min).abs() < 5.0 { 2 } else { 1 }
}

/// `x` to `dp` decimals, halves away from zero, as the nearest `f64` to that decimal (so
/// that it prints as it was rounded). Non-finite values are returned as they are.
pub fn round(x: f64, dp: usize) -> f64 {
    if !x.is_finite() {
        return x;
    }
    let text = decimal(x, dp);
    text.parse().unwrap_or(x)
}

/// `x` to `dp` decimals as text (ASCII minus, no separators), halves away from zero.
pub fn decimal(x: f64, dp: usize) -> String {
    let nearest = format!("{x:.dp$}");
    if !is_tie(x, dp) {
        return tidy_zero(nearest);
    }
    // `format!` breaks exact ties to even; a tie goes away from zero instead: the
    // magnitude cut after `dp` decimals, plus one unit in the last place.
    let long = format!("{:.*}", dp + 40, x.abs());
    let cut = match long.find('.') {
        Some(point) if dp == 0 => long[..point].to_owned(),
        Some(point) => long[..point + 1 + dp].to_owned(),
        None => long,
    };
    let bumped = add_unit_in_last_place(&cut);
    if x < 0.0 {
        format!("-{bumped}")
    } else {
        bumped
    }
}

/// `n` to the nearest multiple of 5, halves up: how the `nhs` policy shows a count.
pub fn nearest_five(n: u64) -> u64 {
    (n + 2) / 5 * 5
}

/// The percentage points a share of `base` people is shown to: whole percents from about
/// 105 people, 2 points from 55, 5 from 25, 10 from 15 and 20 below. One person is then
/// never less than one step, so a percentage says no more about how many people it
/// counts than a count rounded to 5 does, and it claims no false precision. The step
/// follows the base rounded to 5, which every report may show.
pub fn share_step(base: u64) -> u64 {
    match nearest_five(base) {
        r if r >= 105 => 1,
        r if r >= 55 => 2,
        r if r >= 25 => 5,
        r if r >= 15 => 10,
        _ => 20,
    }
}

/// A share of `numerator` in `denominator` as shown: in percent, to the step of
/// [`share_step`], halves up, computed in integers so that 5 of 8 is shown alike
/// wherever it is shown.
pub fn share_percent(numerator: u64, denominator: u64) -> Option<u64> {
    percent_at_step(numerator, denominator, share_step(denominator))
}

/// `numerator` of `denominator` in percent, to the nearest `step` points, halves up.
pub fn percent_at_step(numerator: u64, denominator: u64, step: u64) -> Option<u64> {
    if denominator == 0 || step == 0 {
        return None;
    }
    let s = u128::from(step);
    let (k, n) = (u128::from(numerator), u128::from(denominator));
    Some(((200 * k + n * s) / (2 * n * s) * s) as u64)
}

/// A proportion (0-1) of `base` people as shown, in percent, to the step of
/// [`share_step`] (for interval limits, which are not ratios of counts).
pub fn proportion_percent(p: f64, base: u64) -> u64 {
    proportion_at_step(p, share_step(base))
}

/// The 95% interval of a share as shown: the Wilson interval of the percentage as shown
/// on the base as shown (rounded to 5), widened outward to the share's step so that it
/// still covers the interval it stands for. Worked out from the published figures
/// alone, it tells a reader nothing they could not work out themselves, so it cannot
/// narrow the counts down; it differs from the interval of the exact counts by about
/// their rounding.
pub fn share_interval(numerator: u64, denominator: u64) -> Option<(u64, u64)> {
    let percent = share_percent(numerator, denominator)?;
    let base = nearest_five(denominator);
    interval_of_shown(percent, base)
}

/// [`share_interval`] from a percentage and a base already as shown.
pub fn interval_of_shown(percent: u64, base: u64) -> Option<(u64, u64)> {
    if base == 0 {
        return None;
    }
    let z = 1.959_963_984_540_054_f64;
    let n = base as f64;
    let p = percent as f64 / 100.0;
    let denom = 1.0 + z * z / n;
    let centre = (p + z * z / (2.0 * n)) / denom;
    let half = z * (p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt() / denom;
    let step = share_step(base) as f64;
    // Outward to the step; a hair of tolerance so that a limit on a step stays on it.
    let down = |x: f64| ((x * 100.0 / step + 1e-9).floor() * step).max(0.0) as u64;
    let up = |x: f64| ((x * 100.0 / step - 1e-9).ceil() * step).min(100.0) as u64;
    Some((down((centre - half).max(0.0)), up((centre + half).min(1.0))))
}

/// A proportion (0-1) in percent to the nearest `step` points.
pub fn proportion_at_step(p: f64, step: u64) -> u64 {
    let s = step as f64;
    (round(p * 100.0 / s, 0) * s).max(0.0) as u64
}

/// A p-value as shown: three decimals, or 0 for one below 0.001 (shown as "<0.001").
pub fn p_value(p: f64) -> f64 {
    if p < P_FLOOR {
        0.0
    } else {
        round(p.min(1.0), P)
    }
}

/// A cost per person, `total` pounds over `count` people, as every report shows it: in
/// whole pounds from £100 and in pence below, or to the coarsest round step (2, 5, 10,
/// 20, 50, ... pounds) it takes for a reader who knows the total and the count rounded to
/// 5 not to be able to tell the count: the step is chosen from those two alone, so that
/// whatever the count within its rounding, the figure shown would also be shown for
/// another count that rounds the same way.
pub fn cost_per(total: f64, count: u64) -> Option<f64> {
    if count == 0 || !total.is_finite() {
        return None;
    }
    let each = total / count as f64;
    let shown = nearest_five(count);
    let counts: Vec<u64> = (shown.saturating_sub(2).max(1)..=shown + 2).collect();
    let at = |n: u64, step: f64| round(round(total / n as f64 / step, 0) * step, 2);
    let mut step = if each.abs() >= 100.0 { 1.0 } else { 0.01 };
    loop {
        let every_shared = counts.len() < 2
            || counts.iter().all(|n| {
                let v = at(*n, step);
                counts.iter().filter(|m| at(**m, step) == v).count() >= 2
            });
        if every_shared || step > total.abs() {
            return Some(at(count, step));
        }
        step = nice_step(step * 1.5);
    }
}

/// The smallest of 1, 2 and 5 times a power of ten that is at least `x`.
fn nice_step(x: f64) -> f64 {
    let mut power = 10f64.powi(x.log10().floor() as i32 - 1);
    loop {
        for m in [1.0, 2.0, 5.0] {
            if m * power >= x * (1.0 - 1e-12) {
                return m * power;
            }
        }
        power *= 10.0;
    }
}

/// Whether `x` lies exactly halfway between two multiples of 10^-dp.
fn is_tie(x: f64, dp: usize) -> bool {
    // f64 holds at most 17 significant digits; 40 more places show an exact half.
    let long = format!("{:.*}", dp + 40, x.abs());
    let Some(point) = long.find('.') else {
        return false;
    };
    let rest = &long[point + 1 + dp..];
    rest.starts_with('5') && rest[1..].bytes().all(|b| b == b'0')
}

/// "12.34" + 0.01 = "12.35"; "9.99" + 0.01 = "10.00".
fn add_unit_in_last_place(s: &str) -> String {
    let mut digits: Vec<u8> = s.bytes().collect();
    let mut i = digits.len();
    loop {
        if i == 0 {
            digits.insert(0, b'1');
            break;
        }
        i -= 1;
        match digits[i] {
            b'.' => continue,
            b'9' => digits[i] = b'0',
            d => {
                digits[i] = d + 1;
                break;
            }
        }
    }
    String::from_utf8(digits).unwrap_or_default()
}

/// "-0.0" is "0.0".
fn tidy_zero(s: String) -> String {
    match s.strip_prefix('-') {
        Some(rest) if rest.bytes().all(|b| b == b'0' || b == b'.') => rest.to_owned(),
        _ => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn halves_go_away_from_zero_once() {
        assert_eq!(decimal(62.5, 0), "63");
        assert_eq!(decimal(-62.5, 0), "-63");
        assert_eq!(decimal(0.125, 2), "0.13");
        assert_eq!(decimal(2.5, 0), "3");
        assert_eq!(decimal(3.5, 0), "4", "the even neighbour above");
        assert_eq!(decimal(0.75, 1), "0.8");
        assert_eq!(decimal(0.375, 2), "0.38");
        assert_eq!(decimal(-0.25, 1), "-0.3");
        assert_eq!(decimal(33.75, 1), "33.8");
        assert_eq!(decimal(103.5, 0), "104");
        assert_eq!(decimal(1.5, 0), "2");
        assert_eq!(decimal(99.5, 0), "100");
        assert_eq!(decimal(9.95, 1), "9.9", "9.95 is 9.949999... in binary");
        assert_eq!(decimal(9.999, 2), "10.00");
        assert_eq!(decimal(-0.04, 1), "0.0");
        assert_eq!(decimal(1.126984126984127, 1), "1.1");
        assert_eq!(round(0.625 * 100.0, 0), 63.0);
        assert_eq!(round(18.94, 1), 18.9);
        assert!(round(f64::NAN, 1).is_nan());
    }

    #[test]
    fn percentages_of_counts_are_exact_and_as_fine_as_their_base() {
        assert_eq!(share_percent(80, 128), Some(63), "62.5% is 63%");
        assert_eq!(share_percent(12, 63), Some(20), "2-point steps below 105");
        assert_eq!(share_percent(40, 64), Some(62));
        assert_eq!(share_percent(250, 400), Some(63));
        assert_eq!(share_percent(7, 30), Some(25), "23.3% to the nearest 5");
        assert_eq!(share_percent(0, 7), Some(0));
        assert_eq!(share_percent(1, 0), None);
        assert_eq!(share_step(102), 2, "102 is shown as 100");
        assert_eq!(share_step(103), 1);
        assert_eq!(share_step(52), 5);
        assert_eq!(share_step(53), 2);
        assert_eq!(proportion_percent(0.1123, 63), 12);
        assert_eq!(proportion_percent(0.3051, 63), 30);
        // 20% of 65 as shown: Wilson 12.1% to 31.3%, outward to 2 points.
        assert_eq!(interval_of_shown(20, 65), Some((12, 32)));
        // 60% of 10: 31.3% to 83.2%, outward to 20 points.
        assert_eq!(interval_of_shown(60, 10), Some((20, 100)));
        assert_eq!(nearest_five(63), 65);
        assert_eq!(nearest_five(62), 60);
    }

    #[test]
    fn costs_per_person_cannot_give_the_count_back() {
        // £45,000 over 390 people: £115.38, shown to £1.
        assert_eq!(cost_per(45_000.0, 390), Some(115.0));
        // Over 78 completed episodes: £576.92, shown to £200, as 78 to 82 episodes all
        // round to £600; to £100, 82 would show as £500 and so 78 to 81 as themselves.
        assert_eq!(cost_per(45_000.0, 78), Some(600.0));
        // £720 over 12 people: £60, shown to £50.
        assert_eq!(cost_per(720.0, 12), Some(50.0));
        // Large counts keep whole pounds, small costs their pence.
        assert_eq!(cost_per(450_000.0, 5_000), Some(90.0));
        assert_eq!(cost_per(1_000.0, 30_000), Some(0.03));
        assert_eq!(cost_per(45_000.0, 0), None);
        // Whatever the count, another count shown the same way gives the same figure.
        for total in [720.0, 45_000.0, 450_000.0, 1_234_567.0] {
            for n in 8u64..400 {
                let shown = cost_per(total, n).expect("a cost");
                let r = nearest_five(n);
                let consistent = (r - 2..=r + 2)
                    .filter(|m| cost_per(total, *m) == Some(shown))
                    .count();
                assert!(consistent >= 2, "{total} over {n}: {shown} pins the count");
            }
        }
    }

    #[test]
    fn p_values_as_shown() {
        assert_eq!(p_value(0.0004), 0.0);
        assert_eq!(p_value(0.0012), 0.001);
        assert_eq!(p_value(0.04951), 0.05);
        assert_eq!(p_value(1.0000000000000002), 1.0);
    }
}
