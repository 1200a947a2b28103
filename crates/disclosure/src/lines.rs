//! Secondary suppression by what a reader could work out. A line is a set of counts that
//! add up to a total a report also shows (the categories of a breakdown, a row of a
//! cross-tabulation, cohorts and their overall, the quarters of a series). A reader who
//! sees the line knows each count only as it is shown — exactly, to the nearest 5, or as
//! "1 to 7" where it is hidden — and, where the line shows each count's share of the
//! total, which counts give that percentage. From these the reader can narrow each count
//! down; [`exposed`] says whether any hidden or rounded count is narrowed to one value.
//! Secondary suppression hides one more count at a time until none is.

use super::Rules;
use sprout_model::precision;

/// One count of a line: its exact value and whether it is hidden.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cell {
    pub exact: u64,
    pub hidden: bool,
}

impl Cell {
    pub fn new(exact: u64, hidden: bool) -> Self {
        Self {
            exact,
            hidden: hidden && exact > 0,
        }
    }
}

/// The values a count shown under `rules` could have, as a reader sees them. A hidden
/// count is taken to be known as small (1 to the threshold) where it is small, and as at
/// least the threshold where it was hidden only to protect another: the reader is
/// credited with knowing which is which, so the protection holds against the best
/// informed reader. `cap` bounds a hidden count from above (the line's largest total).
pub fn range(rules: &Rules, c: Cell, cap: u64) -> (u64, u64) {
    let below = u64::from(rules.policy.hidden_below().unwrap_or(1));
    if c.hidden {
        return if c.exact < below {
            (1, below.saturating_sub(1).max(1))
        } else {
            (below, cap.max(below))
        };
    }
    match rules.policy.rounded_to() {
        Some(_) if c.exact > 0 => {
            let shown = precision::nearest_five(c.exact);
            (shown.saturating_sub(2).max(below), shown + 2)
        }
        _ => (c.exact, c.exact),
    }
}

/// Whether a reader of the line could work out a hidden count, or the exact value of a
/// rounded one. `percents`: each shown count's share of the total is shown as well.
pub fn exposed(rules: &Rules, cells: &[Cell], total: Cell, percents: bool) -> bool {
    let sum: u64 = cells.iter().map(|c| c.exact).sum();
    let (t_lo, t_hi) = range(rules, total, sum.max(total.exact) * 2 + 10);
    if t_hi - t_lo > 10_000 {
        return false;
    }
    let step = precision::share_step(total.exact);
    let shows_percent = percents && !total.hidden;
    // Values each count (and the total) takes in some reading consistent with the line.
    let mut seen: Vec<Option<(u64, u64)>> = vec![None; cells.len() + 1];
    let mut widen = |i: usize, lo: u64, hi: u64| {
        seen[i] = Some(match seen[i] {
            None => (lo, hi),
            Some((a, b)) => (a.min(lo), b.max(hi)),
        });
    };
    for t in t_lo..=t_hi {
        let mut domains = Vec::with_capacity(cells.len());
        for c in cells {
            let (mut lo, mut hi) = range(rules, *c, t_hi);
            if shows_percent && !c.hidden && t > 0 {
                let p = precision::share_percent(c.exact, total.exact).unwrap_or(0);
                let (plo, phi) = percent_range(p, step, t);
                lo = lo.max(plo);
                hi = hi.min(phi);
            }
            domains.push((lo, hi));
        }
        if domains.iter().any(|(lo, hi)| lo > hi) {
            continue;
        }
        let sum_lo: u64 = domains.iter().map(|d| d.0).sum();
        let sum_hi: u64 = domains.iter().map(|d| d.1).sum();
        if t < sum_lo || t > sum_hi {
            continue;
        }
        for (i, (lo, hi)) in domains.iter().enumerate() {
            let others_lo = sum_lo - lo;
            let others_hi = sum_hi - hi;
            let a = (*lo).max(t.saturating_sub(others_hi));
            let b = (*hi).min(t - others_lo);
            widen(i, a, b);
        }
        widen(cells.len(), t, t);
    }
    let pinned = |i: usize| matches!(seen[i], Some((a, b)) if a == b);
    let protected = |c: &Cell| c.hidden || (c.exact > 0 && rules.policy.rounded_to().is_some());
    cells
        .iter()
        .chain(std::iter::once(&total))
        .enumerate()
        .any(|(i, c)| protected(c) && pinned(i))
}

/// The counts `k` of a base of `t` whose share shows as `p` percent at `step` points.
fn percent_range(p: u64, step: u64, t: u64) -> (u64, u64) {
    // round(100 k / t / step) * step == p  <=>  (2p - step) t <= 200 k < (2p + step) t
    let (p, s, t) = (i128::from(p), i128::from(step), i128::from(t));
    let lo_num = (2 * p - s) * t;
    let hi_num = (2 * p + s) * t;
    let lo = if lo_num <= 0 { 0 } else { (lo_num + 199) / 200 };
    let hi = (hi_num + 199) / 200 - 1;
    (lo.max(0) as u64, hi.max(0) as u64)
}

/// Whether a share shown as its numerator count, its base and its percentage lets a
/// reader work out the exact numerator or base: the percentage narrows each to the counts
/// that give it, and near the ends of their rounding ranges that can leave one. (Its
/// interval adds nothing: it is worked out from the percentage and base as shown.)
pub fn share_exposed(rules: &Rules, k: u64, n: u64) -> bool {
    if rules.policy.rounded_to().is_none() || n == 0 || rules.hides(k) || rules.hides(n) {
        return false;
    }
    let (k_lo, k_hi) = range(rules, Cell::new(k, false), n);
    let (n_lo, n_hi) = range(rules, Cell::new(n, false), n);
    let step = precision::share_step(n);
    let percent = precision::percent_at_step(k, n, step);
    let mut ks = std::collections::BTreeSet::new();
    let mut ns = std::collections::BTreeSet::new();
    for n2 in n_lo..=n_hi {
        for k2 in k_lo..=k_hi.min(n2) {
            if precision::percent_at_step(k2, n2, step) == percent {
                ks.insert(k2);
                ns.insert(n2);
            }
        }
    }
    ks.len() == 1 || ns.len() == 1
}

/// What a yes/no comparison publishes beside its counts, for [`binary_exposed`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BinaryShown {
    /// The McNemar p-value, as shown.
    pub p: Option<f64>,
    /// The difference in proportions and its interval, in whole percentage points.
    pub difference: Option<(i64, Option<(i64, i64)>)>,
}

impl BinaryShown {
    /// What the reports would show for counts yes->yes, yes->no, no->yes, no->no.
    pub fn of(counts: [u64; 4], min_n: usize) -> Self {
        let [a, b, c, d] = counts;
        let n = a + b + c + d;
        let p = sprout_stats::mcnemar_exact(b, c)
            .ok()
            .map(|m| precision::p_value(m.p));
        let pp = |x: f64| precision::round(x * 100.0, 0) as i64;
        let difference = (n > 0).then(|| {
            let diff = (c as f64 - b as f64) / n as f64;
            let se = ((b + c) as f64 - (c as f64 - b as f64).powi(2) / n as f64)
                .max(0.0)
                .sqrt()
                / n as f64;
            let z = 1.959_963_984_540_054;
            let ci =
                (se > 0.0 && n as usize >= min_n).then(|| (pp(diff - z * se), pp(diff + z * se)));
            (pp(diff), ci)
        });
        Self { p, difference }
    }
}

/// What a yes/no comparison publishes beside its counts, for [`binary_exposed`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BinaryParts {
    /// The McNemar test and the difference in proportions.
    pub test: bool,
    /// The shares before and after.
    pub shares: bool,
}

/// Whether a yes/no comparison's counts as shown, with its shares before and after and
/// its test and difference where `parts` says they are shown, pin a count a reader
/// should not know exactly.
pub fn binary_exposed(
    rules: &Rules,
    counts: [u64; 4],
    hidden: [bool; 4],
    min_n: usize,
    parts: BinaryParts,
) -> bool {
    if !rules.hides_any() {
        return false;
    }
    let n: u64 = counts.iter().sum();
    let shown = BinaryShown::of(counts, min_n);
    let cap = n + 10;
    let ranges: Vec<(u64, u64)> = counts
        .iter()
        .zip(hidden)
        .map(|(v, h)| range(rules, Cell::new(*v, h), cap))
        .collect();
    let (n_lo, n_hi) = range(rules, Cell::new(n, false), cap);
    let percent =
        |k: u64, n: u64| precision::percent_at_step(k, n, precision::share_step(n.max(1)));
    let before = percent(counts[0] + counts[1], n);
    let after = percent(counts[0] + counts[2], n);
    let step = precision::share_step(n);
    let mut seen: [std::collections::BTreeSet<u64>; 4] = Default::default();
    let mut tried = 0usize;
    for a in ranges[0].0..=ranges[0].1 {
        for b in ranges[1].0..=ranges[1].1 {
            for c in ranges[2].0..=ranges[2].1 {
                for d in ranges[3].0..=ranges[3].1 {
                    tried += 1;
                    if tried > 200_000 {
                        return false;
                    }
                    let m = a + b + c + d;
                    if m < n_lo || m > n_hi || m == 0 {
                        continue;
                    }
                    let at = |k: u64| precision::percent_at_step(k, m, step);
                    if parts.shares && (at(a + b) != before || at(a + c) != after) {
                        continue;
                    }
                    if parts.test && BinaryShown::of([a, b, c, d], min_n) != shown {
                        continue;
                    }
                    for (s, v) in seen.iter_mut().zip([a, b, c, d]) {
                        s.insert(v);
                    }
                }
            }
        }
    }
    let rounded = rules.policy.rounded_to().is_some();
    seen.iter()
        .zip(counts.iter().zip(hidden))
        .any(|(s, (v, h))| s.len() == 1 && (h || (rounded && *v > 0)))
}

/// Secondary suppression of one line: while a reader could work out a hidden or rounded
/// count, hide the smallest shown non-zero count that is not `kept` (a headline), or else
/// the total. Returns whether the total must be hidden.
pub fn protect(
    rules: &Rules,
    exact: &[u64],
    hidden: &mut [bool],
    kept: &[bool],
    total: u64,
    percents: bool,
) -> bool {
    let mut total_hidden = rules.hides(total);
    for _ in 0..=exact.len() {
        let cells: Vec<Cell> = exact
            .iter()
            .zip(hidden.iter())
            .map(|(e, h)| Cell::new(*e, *h))
            .collect();
        if !exposed(rules, &cells, Cell::new(total, total_hidden), percents) {
            break;
        }
        let next = (0..exact.len())
            .filter(|&i| !hidden[i] && exact[i] > 0 && !kept.get(i).copied().unwrap_or(false))
            .min_by_key(|&i| (exact[i], i));
        match next {
            Some(i) => hidden[i] = true,
            None if !total_hidden => total_hidden = true,
            None => break,
        }
    }
    total_hidden
}

#[cfg(test)]
mod tests {
    use super::*;
    use sprout_config::DisclosurePolicy;

    fn cells(values: &[(u64, bool)]) -> Vec<Cell> {
        values.iter().map(|(v, h)| Cell::new(*v, *h)).collect()
    }

    #[test]
    fn exact_counts_give_away_a_lone_hidden_cell() {
        let t = Rules::new(DisclosurePolicy::Threshold(10));
        let line = cells(&[(40, false), (3, true), (25, false)]);
        assert!(exposed(&t, &line, Cell::new(68, false), false));
        let two = cells(&[(40, false), (3, true), (9, true), (25, false)]);
        assert!(!exposed(&t, &two, Cell::new(77, false), false));
        // Two hidden cells that can only be 1 and 1.
        let ones = cells(&[(40, false), (1, true), (1, true)]);
        assert!(exposed(&t, &ones, Cell::new(42, false), false));
    }

    #[test]
    fn rounding_protects_a_hidden_cell_unless_the_percentages_pin_it() {
        let nhs = Rules::new(DisclosurePolicy::Nhs);
        // 12 improved, 50 unchanged, 1 worse, of 63: counts to 5 alone leave 1 to 7.
        let line = cells(&[(12, false), (50, false), (1, true)]);
        assert!(!exposed(&nhs, &line, Cell::new(63, false), false));
        // Beside their percentages (20% and 80%) the rounded counts pin it.
        assert!(exposed(&nhs, &line, Cell::new(63, false), true));
        // With exact counts the headline is kept and the other share goes.
        let exact = Rules::new(DisclosurePolicy::Threshold(5));
        let mut hidden = vec![false, false, true];
        let total_hidden = protect(
            &exact,
            &[32, 130, 1],
            &mut hidden,
            &[true, false, false],
            163,
            true,
        );
        assert!(!total_hidden);
        assert_eq!(
            hidden,
            vec![false, true, true],
            "the headline share is never hidden to protect another"
        );
        let after = cells(&[(32, false), (130, true), (1, true)]);
        assert!(!exposed(&exact, &after, Cell::new(163, false), true));
    }

    #[test]
    fn a_rounded_line_at_its_extreme_is_pinned() {
        let nhs = Rules::new(DisclosurePolicy::Nhs);
        // Four parts each 2 above the multiple of 5 they show, and a total 2 below.
        let line = cells(&[(12, false), (12, false), (12, false), (12, false)]);
        assert!(exposed(&nhs, &line, Cell::new(48, false), false));
        let mut hidden = vec![false; 4];
        protect(&nhs, &[12, 12, 12, 12], &mut hidden, &[], 48, false);
        assert!(hidden.iter().any(|h| *h));
        let ordinary = cells(&[(12, false), (30, false), (41, false)]);
        assert!(!exposed(&nhs, &ordinary, Cell::new(83, false), false));
    }

    #[test]
    fn percent_ranges_match_the_rounding_of_shares() {
        for t in 1..200u64 {
            for k in 0..=t {
                let step = precision::share_step(t);
                let p = precision::share_percent(k, t).unwrap_or(0);
                let (lo, hi) = percent_range(p, step, t);
                assert!(lo <= k && k <= hi, "{k}/{t}: {p} gives {lo}..{hi}");
                for j in lo..=hi.min(t) {
                    assert_eq!(precision::share_percent(j, t), Some(p), "{j}/{t}");
                }
            }
        }
    }
}
