//! An attacker with the published folders of trustees and commissioners and nothing
//! else: every `report.json`, CSV table and report of those folders. It knows the
//! disclosure policy and the documented precision rules (methods.md section 8), and tries
//! to work back any count the reports show rounded or hidden:
//!
//! * statistics that carry a count: degrees of freedom (n = df + 1), t with the mean and
//!   SD of change (n = (t * sd / mean)^2), sums of ranks, F statistics;
//! * means of a published total over a published count (mean x n = sum), and costs per
//!   person over a published total;
//! * shares: a percentage (and its interval) narrows its numerator and base to the pairs
//!   of counts that give it, and several shares of one base narrow the base further;
//! * lines that add up: categories and their total, cohorts and their overall, rows and
//!   columns of cross-tabulations, new and continuing people, the quarters of the trend
//!   against the cumulative figures, the pooled previous quarters;
//! * the same count in two places: the flow against the discharge reasons, the outcomes
//!   against the cohorts, the trend and the attrition check; period against cumulative;
//!   one audience's report against the other's.
//!
//! Each attack narrows counts to the values consistent with everything published; an
//! exact value left for a count shown rounded or hidden is a leak. The reasoning here is
//! written apart from sprout's own disclosure code, so one cannot hide the other's error.
#![allow(dead_code, clippy::unwrap_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::Value;

/// The disclosure policy the reports state.
#[derive(Debug, Clone, Copy)]
pub struct Policy {
    /// Counts from 1 up to (not including) this are hidden.
    pub below: u64,
    /// Other counts are rounded to the nearest 5.
    pub rounded: bool,
}

impl Policy {
    pub const NHS: Policy = Policy {
        below: 8,
        rounded: true,
    };
}

/// What a reader sees of one count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seen {
    Exact(u64),
    Rounded(u64),
    Hidden,
    /// Not published.
    Absent,
}

impl Seen {
    /// A count object of report.json: `{"value": 65, "shown": "rounded"}`.
    pub fn of(v: &Value) -> Seen {
        let value = v.get("value").and_then(Value::as_u64);
        match (v.get("shown").and_then(Value::as_str), value) {
            (Some("suppressed"), _) => Seen::Hidden,
            (Some("withheld"), _) | (_, None) => Seen::Absent,
            (Some("rounded"), Some(n)) => Seen::Rounded(n),
            (_, Some(n)) => Seen::Exact(n),
        }
    }

    /// A cell of a CSV table or a plain number of report.json, under `policy`.
    pub fn of_text(cell: &str, policy: Policy) -> Seen {
        match cell.trim().replace(',', "").parse::<u64>() {
            Ok(0) => Seen::Exact(0),
            Ok(n) if policy.rounded => Seen::Rounded(n),
            Ok(n) => Seen::Exact(n),
            Err(_) if cell.contains("[c]") => Seen::Hidden,
            Err(_) => Seen::Absent,
        }
    }

    /// The values the count can have. A hidden count may be small, or may have been
    /// hidden to protect another (even alone in its line, for a reason elsewhere): all
    /// a reader knows is that it is at least 1. (`_lone` is kept for the callers' sake.)
    pub fn range(self, p: Policy, cap: u64, _lone: bool) -> (u64, u64) {
        match self {
            Seen::Exact(n) => (n, n),
            Seen::Rounded(n) if p.rounded => (n.saturating_sub(2).max(p.below), n + 2),
            Seen::Rounded(n) => (n, n),
            Seen::Hidden => (1, cap.max(1)),
            Seen::Absent => (0, cap),
        }
    }

    /// Shown rounded or hidden: an exact value for it is a leak.
    pub fn protected(self) -> bool {
        matches!(self, Seen::Rounded(_) | Seen::Hidden)
    }
}

/// A count worked back.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Leak {
    pub place: String,
    pub how: String,
    pub value: u64,
}

impl std::fmt::Display for Leak {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} = {} ({})", self.place, self.value, self.how)
    }
}

/// One audience's published folder.
pub struct Folder {
    pub audience: String,
    pub json: Value,
    /// CSV tables by file stem: header and rows.
    pub tables: BTreeMap<String, (Vec<String>, Vec<Vec<String>>)>,
}

impl Folder {
    pub fn read(audience: &str, dir: &Path) -> Folder {
        let json =
            serde_json::from_slice(&std::fs::read(dir.join("report.json")).unwrap()).unwrap();
        let mut tables = BTreeMap::new();
        if let Ok(entries) = std::fs::read_dir(dir.join("tables")) {
            for e in entries {
                let path = e.unwrap().path();
                let mut r = csv::Reader::from_path(&path).unwrap();
                let header = r.headers().unwrap().iter().map(str::to_owned).collect();
                let rows = r
                    .records()
                    .map(|x| x.unwrap().iter().map(str::to_owned).collect())
                    .collect();
                tables.insert(
                    path.file_stem().unwrap().to_string_lossy().into_owned(),
                    (header, rows),
                );
            }
        }
        Folder {
            audience: audience.to_owned(),
            json,
            tables,
        }
    }
}

/// Every attack on the published folders.
pub fn attack(folders: &[Folder], p: Policy) -> Vec<Leak> {
    let mut leaks = Vec::new();
    for f in folders {
        let a = &f.audience;
        statistics(a, &f.json, "", &mut leaks);
        csv_statistics(f, &mut leaks);
        shares(a, &f.json, "", p, &mut leaks);
        lines_in(a, &f.json, "", p, &mut leaks);
        sections(a, &f.json, p, &mut leaks);
        sums(a, &f.json, p, &mut leaks);
        yes_no(a, &f.json, "", p, &mut leaks);
        on_shown_counts(a, &f.json, "", &mut leaks);
    }
    for (i, x) in folders.iter().enumerate() {
        for y in &folders[i + 1..] {
            between(&x.audience, &x.json, &y.json, "", p, &mut leaks);
        }
    }
    leaks.sort();
    leaks.dedup();
    leaks
}

fn leak(leaks: &mut Vec<Leak>, place: String, how: &str, value: u64) {
    leaks.push(Leak {
        place,
        how: how.to_owned(),
        value,
    });
}

fn is_count(v: &Value) -> bool {
    v.as_object()
        .is_some_and(|o| o.contains_key("value") && o.keys().all(|k| k == "value" || k == "shown"))
}

/// Degrees of freedom, t, F and sums of ranks: each carries the count it was computed on.
fn statistics(a: &str, v: &Value, path: &str, leaks: &mut Vec<Leak>) {
    match v {
        Value::Object(o) => {
            for (k, x) in o {
                let at = format!("{path}.{k}");
                if ["df", "df1", "df2", "t", "v", "statistic", "f"].contains(&k.as_str())
                    && let Some(n) = x.as_f64()
                {
                    leak(
                        leaks,
                        format!("{a}{at}"),
                        "a statistic carrying the count is published",
                        n.max(0.0) as u64 + u64::from(k == "df"),
                    );
                }
                statistics(a, x, &at, leaks);
            }
        }
        Value::Array(xs) => {
            for (i, x) in xs.iter().enumerate() {
                statistics(a, x, &format!("{path}[{i}]"), leaks);
            }
        }
        _ => {}
    }
}

fn csv_statistics(f: &Folder, leaks: &mut Vec<Leak>) {
    for (name, (header, rows)) in &f.tables {
        for (c, h) in header.iter().enumerate() {
            if ![
                "t",
                "df",
                "df1",
                "df2",
                "wilcoxon_v",
                "statistic",
                "welch_t",
            ]
            .contains(&h.as_str())
            {
                continue;
            }
            for (r, row) in rows.iter().enumerate() {
                if let Ok(x) = row[c].parse::<f64>() {
                    leak(
                        leaks,
                        format!("{}/tables/{name}.csv row {r} {h}", f.audience),
                        "a statistic carrying the count is published",
                        x.max(0.0) as u64,
                    );
                }
            }
        }
    }
}

/// The documented precision of a share of `base` (as shown): percentage points.
fn step(base: u64) -> u64 {
    match base {
        b if b >= 105 => 1,
        b if b >= 55 => 2,
        b if b >= 25 => 5,
        b if b >= 15 => 10,
        _ => 20,
    }
}

/// `k` of `n` in percent to `s` points, halves up, as the reports round.
fn percent(k: u64, n: u64, s: u64) -> u64 {
    let x = k as f64 * 100.0 / n as f64 / s as f64;
    let r = (x + 0.5 + 1e-9).floor();
    r as u64 * s
}

/// The documented interval of a share: the Wilson 95% interval of the percentage shown
/// (`p` percent) on the base shown, outward to that base's step.
fn wilson(p: u64, n: u64) -> (u64, u64) {
    let s = step(n);
    let z = 1.959_963_984_540_054_f64;
    let n = n as f64;
    let p = p as f64 / 100.0;
    let denom = 1.0 + z * z / n;
    let centre = (p + z * z / (2.0 * n)) / denom;
    let half = z * ((p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt()) / denom;
    let down = |x: f64| ((x.clamp(0.0, 1.0) * 100.0 / s as f64 + 1e-9).floor() as u64) * s;
    let up = |x: f64| (((x.clamp(0.0, 1.0) * 100.0 / s as f64 - 1e-9).ceil() as u64) * s).min(100);
    (down(centre - half), up(centre + half))
}

/// A share of report.json: what its numerator and base could be.
struct ShareSeen {
    numerator: Seen,
    base: Seen,
    percent: Option<u64>,
    ci: Option<(u64, u64)>,
}

impl ShareSeen {
    fn of(v: &Value) -> Option<ShareSeen> {
        let o = v.as_object()?;
        if !(o.contains_key("numerator") && o.contains_key("denominator")) {
            return None;
        }
        let numerator = Seen::of(&o["numerator"]);
        let base = Seen::of(&o["denominator"]);
        let percent = o
            .get("proportion")
            .and_then(Value::as_f64)
            .map(|x| (x * 100.0).round() as u64);
        let ci = o.get("ci").and_then(Value::as_array).map(|c| {
            let f = |i: usize| (c[i].as_f64().unwrap() * 100.0).round() as u64;
            (f(0), f(1))
        });
        Some(ShareSeen {
            numerator,
            base,
            percent,
            ci,
        })
    }

    /// The (numerator, base) pairs consistent with the share.
    fn readings(&self, p: Policy) -> Vec<(u64, u64)> {
        let (Seen::Exact(b) | Seen::Rounded(b)) = self.base else {
            return Vec::new();
        };
        let s = step(b);
        let (n_lo, n_hi) = self.base.range(p, b, false);
        let mut out = Vec::new();
        for n in n_lo.max(1)..=n_hi {
            let (k_lo, k_hi) = self.numerator.range(p, n, false);
            for k in k_lo..=k_hi.min(n) {
                if self.percent.is_some_and(|x| percent(k, n, s) != x) {
                    continue;
                }
                out.push((k, n));
            }
        }
        out
    }
}

/// Shares one by one, and the shares of one object that have the same base together.
fn shares(a: &str, v: &Value, path: &str, p: Policy, leaks: &mut Vec<Leak>) {
    match v {
        Value::Object(o) => {
            let mut by_base: BTreeMap<u64, Vec<(String, BTreeSet<u64>)>> = BTreeMap::new();
            for (k, x) in o {
                let at = format!("{path}.{k}");
                if let Some(s) = ShareSeen::of(x)
                    && let Some(pct) = s.percent
                {
                    // An interval worked out from anything but the figures shown could
                    // narrow them down.
                    if let (Some(ci), Seen::Exact(b) | Seen::Rounded(b)) = (s.ci, s.base)
                        && ci != wilson(pct, b)
                    {
                        leak(
                            leaks,
                            format!("{a}{at}.ci"),
                            "interval not from the figures shown",
                            b,
                        );
                    }
                    let readings = s.readings(p);
                    let ks: BTreeSet<u64> = readings.iter().map(|r| r.0).collect();
                    let ns: BTreeSet<u64> = readings.iter().map(|r| r.1).collect();
                    if s.numerator.protected() && ks.len() == 1 {
                        leak(
                            leaks,
                            format!("{a}{at}.numerator"),
                            "share",
                            ks.first_value(),
                        );
                    }
                    if s.base.protected() && ns.len() == 1 {
                        leak(
                            leaks,
                            format!("{a}{at}.denominator"),
                            "share",
                            ns.first_value(),
                        );
                    }
                    if let Seen::Rounded(b) = s.base {
                        by_base.entry(b).or_default().push((at.clone(), ns));
                    }
                }
                shares(a, x, &at, p, leaks);
            }
            for (_, group) in by_base {
                if group.len() < 2 {
                    continue;
                }
                let mut common = group[0].1.clone();
                for g in &group[1..] {
                    common = common.intersection(&g.1).copied().collect();
                }
                if common.len() == 1 {
                    leak(
                        leaks,
                        format!("{a}{path} (base of {})", group.len()),
                        "shares of one base",
                        *common.iter().next().unwrap(),
                    );
                }
            }
        }
        Value::Array(xs) => {
            for (i, x) in xs.iter().enumerate() {
                shares(a, x, &format!("{path}[{i}]"), p, leaks);
            }
        }
        _ => {}
    }
}

trait First {
    fn first_value(&self) -> u64;
}

impl First for BTreeSet<u64> {
    fn first_value(&self) -> u64 {
        *self.iter().next().unwrap()
    }
}

/// A line: counts that add up to a total, each with its percentage of the total where
/// one is shown.
pub struct Line {
    pub place: String,
    pub cells: Vec<(Seen, Option<u64>)>,
    pub total: Seen,
}

/// The values each count of a line (and the total, last) can take.
pub fn solve(line: &Line, p: Policy) -> Vec<BTreeSet<u64>> {
    let hidden = line.cells.iter().filter(|c| c.0 == Seen::Hidden).count();
    let known: u64 = line
        .cells
        .iter()
        .map(|c| match c.0 {
            Seen::Exact(n) | Seen::Rounded(n) => n + 2,
            _ => 0,
        })
        .sum();
    let cap = match line.total {
        Seen::Exact(n) | Seen::Rounded(n) => n + 2,
        _ => known + 7 * hidden as u64 + 7,
    };
    let (t_lo, t_hi) = line.total.range(p, cap, false);
    let mut seen: Vec<BTreeSet<u64>> = vec![BTreeSet::new(); line.cells.len() + 1];
    if t_hi.saturating_sub(t_lo) > 5_000 {
        return seen;
    }
    let shown_base = match line.total {
        Seen::Exact(n) | Seen::Rounded(n) => Some(n),
        _ => None,
    };
    for t in t_lo..=t_hi {
        let mut dom = Vec::new();
        for (seen_c, pct) in &line.cells {
            let (mut lo, mut hi) = seen_c.range(p, t, hidden == 1);
            if let (Some(x), Some(b)) = (pct, shown_base)
                && t > 0
            {
                let s = step(b);
                let ks: Vec<u64> = (lo..=hi.min(t))
                    .filter(|k| percent(*k, t, s) == *x)
                    .collect();
                match (ks.first(), ks.last()) {
                    (Some(a), Some(z)) => {
                        lo = *a;
                        hi = *z;
                    }
                    _ => {
                        lo = 1;
                        hi = 0;
                    }
                }
            }
            dom.push((lo, hi));
        }
        if dom.iter().any(|(lo, hi)| lo > hi) {
            continue;
        }
        let sum_lo: u64 = dom.iter().map(|d| d.0).sum();
        let sum_hi: u64 = dom.iter().map(|d| d.1).sum();
        if t < sum_lo || t > sum_hi {
            continue;
        }
        for (i, (lo, hi)) in dom.iter().enumerate() {
            let a = (*lo).max(t.saturating_sub(sum_hi - hi));
            let b = (*hi).min(t - (sum_lo - lo));
            // Enough to know whether one value is left.
            seen[i].insert(a);
            seen[i].insert(b);
        }
        seen[line.cells.len()].insert(t);
    }
    seen
}

/// The counts of one line a reader can work back.
pub fn line_leaks(a: &str, line: &Line, p: Policy) -> Vec<Leak> {
    let mut leaks = Vec::new();
    check_line(a, line, p, &mut leaks);
    leaks
}

fn check_line(a: &str, line: &Line, p: Policy, leaks: &mut Vec<Leak>) {
    let seen = solve(line, p);
    for (i, (c, _)) in line.cells.iter().enumerate() {
        if c.protected() && seen[i].len() == 1 {
            leak(
                leaks,
                format!("{a}{} part {i}", line.place),
                "adds up to the total",
                seen[i].first_value(),
            );
        }
    }
    if line.total.protected() && seen[line.cells.len()].len() == 1 {
        leak(
            leaks,
            format!("{a}{} total", line.place),
            "adds up from its parts",
            seen[line.cells.len()].first_value(),
        );
    }
}

/// Breakdowns (parts with their percentages and a total), cross-tabulations, cohorts
/// with their overall, and the counts of a yes/no comparison.
fn lines_in(a: &str, v: &Value, path: &str, p: Policy, leaks: &mut Vec<Leak>) {
    match v {
        Value::Object(o) => {
            if let (Some(Value::Array(parts)), Some(total)) = (o.get("parts"), o.get("total")) {
                let cells = parts
                    .iter()
                    .map(|x| {
                        let pct = x
                            .get("share")
                            .and_then(|s| s.get("proportion"))
                            .and_then(Value::as_f64)
                            .map(|f| (f * 100.0).round() as u64);
                        (Seen::of(&x["count"]), pct)
                    })
                    .collect();
                check_line(
                    a,
                    &Line {
                        place: path.to_owned(),
                        cells,
                        total: Seen::of(total),
                    },
                    p,
                    leaks,
                );
            }
            if let (Some(Value::Array(rows)), Some(Value::Array(row_totals))) =
                (o.get("cells"), o.get("row_totals"))
            {
                let grid: Vec<Vec<Seen>> = rows
                    .iter()
                    .map(|r| r.as_array().unwrap().iter().map(Seen::of).collect())
                    .collect();
                for (r, row) in grid.iter().enumerate() {
                    check_line(
                        a,
                        &Line {
                            place: format!("{path} row {r}"),
                            cells: row.iter().map(|c| (*c, None)).collect(),
                            total: Seen::of(&row_totals[r]),
                        },
                        p,
                        leaks,
                    );
                }
                let column_totals = o["column_totals"].as_array().unwrap();
                for (c, total) in column_totals.iter().enumerate() {
                    check_line(
                        a,
                        &Line {
                            place: format!("{path} column {c}"),
                            cells: grid.iter().map(|r| (r[c], None)).collect(),
                            total: Seen::of(total),
                        },
                        p,
                        leaks,
                    );
                }
                for (name, totals) in [("row", row_totals), ("column", column_totals)] {
                    check_line(
                        a,
                        &Line {
                            place: format!("{path} {name} totals"),
                            cells: totals.iter().map(|c| (Seen::of(c), None)).collect(),
                            total: Seen::of(&o["total"]),
                        },
                        p,
                        leaks,
                    );
                }
            }
            if let (Some(Value::Array(cohorts)), Some(overall)) =
                (o.get("cohorts"), o.get("overall"))
                && overall.get("n").is_some()
            {
                check_line(
                    a,
                    &Line {
                        place: format!("{path} cohorts"),
                        cells: cohorts.iter().map(|c| (Seen::of(&c["n"]), None)).collect(),
                        total: Seen::of(&overall["n"]),
                    },
                    p,
                    leaks,
                );
            }
            if let (Some(Value::Array(counts)), Some(n)) = (o.get("counts"), o.get("n"))
                && counts.len() == 4
            {
                check_line(
                    a,
                    &Line {
                        place: format!("{path} yes/no counts"),
                        cells: counts.iter().map(|c| (Seen::of(c), None)).collect(),
                        total: Seen::of(n),
                    },
                    p,
                    leaks,
                );
            }
            for (k, x) in o {
                lines_in(a, x, &format!("{path}.{k}"), p, leaks);
            }
        }
        Value::Array(xs) => {
            for (i, x) in xs.iter().enumerate() {
                lines_in(a, x, &format!("{path}[{i}]"), p, leaks);
            }
        }
        _ => {}
    }
}

fn at<'a>(v: &'a Value, pointer: &str) -> Option<&'a Value> {
    v.pointer(pointer)
}

/// One count published in several places: the reader takes what all of them allow.
fn same(a: &str, what: &str, places: &[Option<&Value>], p: Policy, leaks: &mut Vec<Leak>) {
    let seen: Vec<Seen> = places.iter().flatten().map(|v| Seen::of(v)).collect();
    if seen.len() < 2 {
        return;
    }
    let mut lo = 0;
    let mut hi = u64::MAX;
    for s in &seen {
        let (a, b) = s.range(p, 1_000_000, false);
        lo = lo.max(a);
        hi = hi.min(b);
    }
    if lo == hi && seen.iter().any(|s| s.protected()) && seen.iter().all(|s| *s != Seen::Exact(lo))
    {
        leak(
            leaks,
            format!("{a} {what}"),
            "published in several places",
            lo,
        );
    }
}

/// Counts that appear in several sections, and sums across sections.
fn sections(a: &str, m: &Value, p: Policy, leaks: &mut Vec<Leak>) {
    flow_and_pairs(a, m, p, leaks);
    trend_period(a, m, p, leaks);
    people_and_carried_forward(a, m, p, leaks);
    trend_sums(a, m, p, leaks);
}

/// People who left and completed, and each measure's pairs, wherever they appear.
fn flow_and_pairs(a: &str, m: &Value, p: Policy, leaks: &mut Vec<Leak>) {
    for w in ["period", "cumulative"] {
        let flow = |k: &str| at(m, &format!("/flow/{w}/{k}"));
        same(
            a,
            &format!("{w} left support"),
            &[
                flow("discharged"),
                flow("ended/left"),
                flow("discharge_reasons/total"),
            ],
            p,
            leaks,
        );
        let completed_part = m
            .pointer(&format!("/flow/{w}/discharge_reasons/parts"))
            .and_then(Value::as_array)
            .and_then(|ps| ps.iter().find(|x| x["key"] == "completed"))
            .map(|x| &x["count"]);
        same(
            a,
            &format!("{w} completed"),
            &[flow("completed"), flow("ended/completed"), completed_part],
            p,
            leaks,
        );
        // A measure's pairs: in the outcomes, the flow and every cohort comparison.
        let Some(comparisons) = m
            .pointer(&format!("/outcomes/{w}/comparisons"))
            .and_then(Value::as_array)
        else {
            continue;
        };
        for c in comparisons.iter().filter(|c| c["main"] == true) {
            let measure = c["measure"].as_str().unwrap();
            let mut places = vec![Some(&c["n"])];
            if let Some(ps) = flow("paired").and_then(Value::as_array) {
                places.extend(
                    ps.iter()
                        .filter(|x| x["measure"] == measure)
                        .map(|x| Some(&x["count"])),
                );
            }
            if let Some(cs) = m
                .pointer(&format!("/cohorts/{w}"))
                .and_then(Value::as_array)
            {
                places.extend(
                    cs.iter()
                        .filter(|x| x["measure"] == measure)
                        .map(|x| Some(&x["overall"]["n"])),
                );
            }
            if w == "cumulative" {
                for section in ["attrition", "sensitivity"] {
                    if let Some(xs) = m.get(section).and_then(Value::as_array) {
                        places.extend(
                            xs.iter()
                                .filter(|x| x["measure"] == measure)
                                .map(|x| Some(&x["completers"]["n"])),
                        );
                    }
                }
            }
            same(a, &format!("{w} pairs of {measure}"), &places, p, leaks);
        }
    }
}

/// The last quarter of the trend is the period, when the period is a quarter.
fn trend_period(a: &str, m: &Value, p: Policy, leaks: &mut Vec<Leak>) {
    let period_start = m.pointer("/meta/period/window/start");
    if let (Some(qs), Some(start)) = (
        m.pointer("/trend/quarters").and_then(Value::as_array),
        period_start,
    ) && let Some(last) = qs.last()
        && &last["start"] == start
        && let Some(measure) = m.pointer("/trend/measure").and_then(Value::as_str)
        && let Some(c) = m
            .pointer("/outcomes/period/comparisons")
            .and_then(Value::as_array)
            .and_then(|cs| {
                cs.iter()
                    .find(|c| c["main"] == true && c["measure"] == measure)
            })
    {
        same(
            a,
            "the period's pairs in the trend",
            &[Some(&last["mean_change"]["n"]), Some(&c["n"])],
            p,
            leaks,
        );
        let flow = |k: &str| m.pointer(&format!("/flow/period/{k}"));
        for (trend_key, flow_key) in [
            ("referred", "referred"),
            ("started", "started"),
            ("discharged", "discharged"),
        ] {
            same(
                a,
                &format!("the period's {trend_key} in the trend"),
                &[Some(&last[trend_key]), flow(flow_key)],
                p,
                leaks,
            );
        }
    }
}

/// New and continuing people add up to those supported; the pairs and the people who
/// left with a baseline only to those carried forward.
fn people_and_carried_forward(a: &str, m: &Value, p: Policy, leaks: &mut Vec<Leak>) {
    for w in ["period", "cumulative"] {
        if let Some(people) = m.pointer(&format!("/people/{w}")) {
            check_line(
                a,
                &Line {
                    place: format!(".people.{w} new + continuing"),
                    cells: vec![
                        (Seen::of(&people["new"]), None),
                        (Seen::of(&people["continuing"]), None),
                    ],
                    total: Seen::of(&people["supported"]),
                },
                p,
                leaks,
            );
        }
    }
    // Carried forward = the pairs + the people who left with a baseline only.
    if let (Some(att), Some(sens)) = (
        m.get("attrition").and_then(Value::as_array),
        m.get("sensitivity").and_then(Value::as_array),
    ) {
        for s in sens {
            if let Some(x) = att.iter().find(|x| x["measure"] == s["measure"]) {
                check_line(
                    a,
                    &Line {
                        place: format!(".sensitivity {}", s["measure"]),
                        cells: vec![
                            (Seen::of(&x["completers"]["n"]), None),
                            (Seen::of(&x["baseline_only"]["n"]), None),
                        ],
                        total: Seen::of(&s["carried_forward"]["n"]),
                    },
                    p,
                    leaks,
                );
            }
        }
    }
}

/// Quarters of the trend add up to the pooled previous quarters, and, when the programme
/// began within the trend, to the cumulative figures.
fn trend_sums(a: &str, m: &Value, p: Policy, leaks: &mut Vec<Leak>) {
    if let Some(qs) = m.pointer("/trend/quarters").and_then(Value::as_array) {
        if let Some(points) = m.pointer("/main_points/points").and_then(Value::as_array) {
            for o in points.iter().filter(|x| x["kind"] == "over_time") {
                let labels: Vec<&Value> =
                    o["previous_quarters"].as_array().unwrap().iter().collect();
                let cells: Vec<(Seen, Option<u64>)> = qs
                    .iter()
                    .filter(|q| labels.contains(&&q["label"]))
                    .map(|q| (Seen::of(&q["mean_change"]["n"]), None))
                    .collect();
                if cells.len() == labels.len() {
                    check_line(
                        a,
                        &Line {
                            place: ".main_points over time: previous quarters".into(),
                            cells,
                            total: Seen::of(&o["previous"]["n"]),
                        },
                        p,
                        leaks,
                    );
                }
            }
        }
        let programme_start = m.pointer("/meta/cumulative/start").and_then(Value::as_str);
        let first = qs.first().and_then(|q| q["start"].as_str());
        if let (Some(ps), Some(first)) = (programme_start, first)
            && ps >= first
        {
            for (key, flow_key) in [
                ("referred", "referred"),
                ("started", "started"),
                ("discharged", "discharged"),
            ] {
                check_line(
                    a,
                    &Line {
                        place: format!(".trend {key} against the cumulative flow"),
                        cells: qs.iter().map(|q| (Seen::of(&q[key]), None)).collect(),
                        total: Seen::of(&m["flow"]["cumulative"][flow_key]),
                    },
                    p,
                    leaks,
                );
            }
        }
    }
}

/// Two-sided exact binomial p of min(b, c) of b + c at 1/2 (McNemar), by its own sums.
fn mcnemar(b: u64, c: u64) -> f64 {
    let n = b + c;
    let k = b.min(c);
    if 2 * k + 1 >= n {
        return 1.0;
    }
    let mut term = 0.5f64.powi(n as i32);
    let mut tail = term;
    for i in 0..k {
        term *= (n - i) as f64 / (i + 1) as f64;
        tail += term;
    }
    (2.0 * tail).min(1.0)
}

/// The counts of a yes/no comparison (yes->yes, yes->no, no->yes, no->no) that give the
/// published test, difference and shares.
fn yes_no(a: &str, v: &Value, path: &str, p: Policy, leaks: &mut Vec<Leak>) {
    match v {
        Value::Object(o) => {
            if let (Some(Value::Array(counts)), Some(n)) = (o.get("counts"), o.get("n"))
                && counts.len() == 4
            {
                let seen: Vec<Seen> = counts.iter().map(Seen::of).collect();
                let n_seen = Seen::of(n);
                let p_shown = o.get("mcnemar_p").and_then(|t| t["result"].as_f64());
                let diff = o.get("difference").filter(|d| d.is_object()).map(|d| {
                    let pp = |x: &Value| x.as_f64().map(|f| (f * 100.0).round() as i64);
                    (pp(&d["value"]), pp(&d["lower"]), pp(&d["upper"]))
                });
                let pct = |s: &Value| s["proportion"].as_f64().map(|f| (f * 100.0).round() as u64);
                let (before, after) = (o.get("before").and_then(pct), o.get("after").and_then(pct));
                let cap = match n_seen {
                    Seen::Exact(x) | Seen::Rounded(x) => x + 2,
                    _ => 20,
                };
                let hidden = seen.iter().filter(|s| **s == Seen::Hidden).count();
                let r: Vec<(u64, u64)> =
                    seen.iter().map(|s| s.range(p, cap, hidden == 1)).collect();
                let (n_lo, n_hi) = n_seen.range(p, cap, false);
                let mut found: Vec<BTreeSet<u64>> = vec![BTreeSet::new(); 4];
                for x0 in r[0].0..=r[0].1 {
                    for x1 in r[1].0..=r[1].1 {
                        for x2 in r[2].0..=r[2].1 {
                            for x3 in r[3].0..=r[3].1 {
                                let m = x0 + x1 + x2 + x3;
                                if m == 0 || m < n_lo || m > n_hi {
                                    continue;
                                }
                                let s = step(match n_seen {
                                    Seen::Exact(x) | Seen::Rounded(x) => x,
                                    _ => m,
                                });
                                if before.is_some_and(|b| percent(x0 + x1, m, s) != b)
                                    || after.is_some_and(|b| percent(x0 + x2, m, s) != b)
                                {
                                    continue;
                                }
                                if let Some(ps) = p_shown {
                                    let q = mcnemar(x1, x2);
                                    let q = if q < 0.001 {
                                        0.0
                                    } else {
                                        (q * 1000.0).round() / 1000.0
                                    };
                                    if (q - ps).abs() > 1e-9 {
                                        continue;
                                    }
                                }
                                if let Some((Some(dv), lo, hi)) = diff {
                                    let mm = m as f64;
                                    let d = (x2 as f64 - x1 as f64) / mm;
                                    if (d * 100.0).round() as i64 != dv {
                                        continue;
                                    }
                                    if let (Some(lo), Some(hi)) = (lo, hi) {
                                        let se = (((x1 + x2) as f64
                                            - (x2 as f64 - x1 as f64).powi(2) / mm)
                                            .max(0.0))
                                        .sqrt()
                                            / mm;
                                        let z = 1.959_963_984_540_054;
                                        if ((d - z * se) * 100.0).round() as i64 != lo
                                            || ((d + z * se) * 100.0).round() as i64 != hi
                                        {
                                            continue;
                                        }
                                    }
                                }
                                for (f, x) in found.iter_mut().zip([x0, x1, x2, x3]) {
                                    f.insert(x);
                                }
                            }
                        }
                    }
                }
                for (i, (f, s)) in found.iter().zip(&seen).enumerate() {
                    if s.protected() && f.len() == 1 {
                        leak(
                            leaks,
                            format!("{a}{path}.counts[{i}]"),
                            "yes/no test and difference",
                            f.first_value(),
                        );
                    }
                }
            }
            for (k, x) in o {
                yes_no(a, x, &format!("{path}.{k}"), p, leaks);
            }
        }
        Value::Array(xs) => {
            for (i, x) in xs.iter().enumerate() {
                yes_no(a, x, &format!("{path}[{i}]"), p, leaks);
            }
        }
        _ => {}
    }
}

/// The upper 2.5% point of Student's t.
fn t975(df: f64) -> f64 {
    use statrs::distribution::{ContinuousCDF, StudentsT};
    StudentsT::new(0.0, 1.0, df).unwrap().inverse_cdf(0.975)
}

/// Two-sided p of Student's t.
fn t_p(t: f64, df: f64) -> f64 {
    use statrs::distribution::{ContinuousCDF, StudentsT};
    2.0 * (1.0 - StudentsT::new(0.0, 1.0, df).unwrap().cdf(t.abs()))
}

/// Whether some value and SD within half a unit of those published give the published
/// bounds (to the same decimals) with the `lo`/`hi` functions.
fn fits(
    value: f64,
    sd: f64,
    unit: f64,
    bounds: (f64, f64),
    f: impl Fn(f64, f64) -> (f64, f64),
) -> bool {
    let steps = 20;
    for i in 0..=steps {
        for j in 0..=steps {
            let v = value - unit / 2.0 + unit * i as f64 / steps as f64;
            let s = (sd - unit / 2.0 + unit * j as f64 / steps as f64).max(0.0);
            let (l, u) = f(v, s);
            if (l - bounds.0).abs() <= unit / 2.0 + 1e-9
                && (u - bounds.1).abs() <= unit / 2.0 + 1e-9
            {
                return true;
            }
        }
    }
    false
}

/// The figures that depend on how many people they rest on (t intervals, the d_z
/// interval, the paired t test's p) are documented as worked out on the count as shown.
/// Then they tell nothing the shown count does not; one that does not fit the shown
/// count was worked out on the exact one, and would give it away. The Wilcoxon test
/// (its p and exactness rest on the exact count) must not be published at all.
fn on_shown_counts(a: &str, v: &Value, path: &str, leaks: &mut Vec<Leak>) {
    match v {
        Value::Object(o) => {
            if let (Some(n), Some(r)) = (o.get("n"), o.get("result"))
                && is_count(n)
                && r.get("change").is_some()
                && let Seen::Rounded(shown) = Seen::of(n)
            {
                let unit = |x: &Value| 10f64.powi(-(decimals_of(x) as i32));
                let nn = shown as f64;
                let q = t975(nn - 1.0);
                // Means at each end and the change, with their SDs.
                for (summary, est) in [
                    ("from", "from_mean"),
                    ("to", "to_mean"),
                    ("change", "mean_change"),
                ] {
                    let (Some(sd), Some(e)) = (r[summary]["sd"].as_f64(), r.get(est)) else {
                        continue;
                    };
                    let (Some(val), Some(lo), Some(hi)) = (
                        e["value"].as_f64(),
                        e["lower"].as_f64(),
                        e["upper"].as_f64(),
                    ) else {
                        continue;
                    };
                    let u = unit(&e["value"]).max(unit(&r[summary]["sd"]));
                    if !fits(val, sd, u, (lo, hi), |v, s| {
                        (v - q * s / nn.sqrt(), v + q * s / nn.sqrt())
                    }) {
                        leak(
                            leaks,
                            format!("{a}{path}.result.{est}"),
                            "interval not on the shown count",
                            shown,
                        );
                    }
                }
                if let (Some(d), Some(lo), Some(hi)) = (
                    r["d_z"]["value"].as_f64(),
                    r["d_z"]["lower"].as_f64(),
                    r["d_z"]["upper"].as_f64(),
                ) {
                    let half =
                        |d: f64| 1.959_963_984_540_054 * (1.0 / nn + d * d / (2.0 * nn)).sqrt();
                    if !fits(d, 0.0, 0.01, (lo, hi), |d, _| (d - half(d), d + half(d))) {
                        leak(
                            leaks,
                            format!("{a}{path}.result.d_z"),
                            "interval not on the shown count",
                            shown,
                        );
                    }
                }
                if let (Some(p), Some(mean), Some(sd)) = (
                    r["paired_t"]["result"]["p"].as_f64(),
                    r["mean_change"]["value"].as_f64(),
                    r["change"]["sd"].as_f64(),
                ) {
                    // p falls as |t| = |mean| sqrt(n) / sd grows: the published p must lie
                    // between the p-values of the smallest and largest |t| the rounded
                    // mean and SD allow.
                    let u = unit(&r["mean_change"]["value"]).max(unit(&r["change"]["sd"]));
                    let (m_lo, m_hi) = (mean - u / 2.0, mean + u / 2.0);
                    let small_m = if m_lo <= 0.0 && m_hi >= 0.0 {
                        0.0
                    } else {
                        m_lo.abs().min(m_hi.abs())
                    };
                    let big_m = m_lo.abs().max(m_hi.abs());
                    let (s_lo, s_hi) = ((sd - u / 2.0).max(1e-12), sd + u / 2.0);
                    let p_hi = t_p(small_m * nn.sqrt() / s_hi, nn - 1.0);
                    let p_lo = t_p(big_m * nn.sqrt() / s_lo, nn - 1.0);
                    let any = if p == 0.0 {
                        p_lo < 0.001
                    } else {
                        p >= p_lo - 0.0005 && p <= p_hi + 0.0005
                    };
                    if !any {
                        leak(
                            leaks,
                            format!("{a}{path}.result.paired_t"),
                            "p not on the shown count",
                            shown,
                        );
                    }
                }
                if r["wilcoxon"]["status"] == "ran" {
                    leak(
                        leaks,
                        format!("{a}{path}.result.wilcoxon"),
                        "the Wilcoxon test is published",
                        shown,
                    );
                }
            }
            for (k, x) in o {
                on_shown_counts(a, x, &format!("{path}.{k}"), leaks);
            }
        }
        Value::Array(xs) => {
            for (i, x) in xs.iter().enumerate() {
                on_shown_counts(a, x, &format!("{path}[{i}]"), leaks);
            }
        }
        _ => {}
    }
}

/// Means that divide a published total by a published count, and costs per person.
fn sums(a: &str, m: &Value, p: Policy, leaks: &mut Vec<Leak>) {
    for w in ["period", "cumulative"] {
        let e = &m["engagement"][w];
        for (total, spread) in [
            (e["attended"].clone(), &e["sessions_per_client"]),
            (
                e["minutes_total"]["value"].as_f64().map_or(
                    Value::Null,
                    |x| serde_json::json!({"value": x.round() as u64}),
                ),
                &e["minutes_per_client"],
            ),
        ] {
            let (Some(mean), Some(n)) = (spread["value"]["mean"].as_f64(), spread.get("n")) else {
                continue;
            };
            let n_seen = Seen::of(n);
            let t_seen = Seen::of(&total);
            if t_seen == Seen::Absent || !n_seen.protected() {
                continue;
            }
            let decimals = decimals_of(&spread["value"]["mean"]);
            let unit = 10f64.powi(-(decimals as i32));
            let (t_lo, t_hi) = t_seen.range(p, 0, false);
            let (n_lo, n_hi) = n_seen.range(p, 0, false);
            let ns: BTreeSet<u64> = (n_lo.max(1)..=n_hi)
                .filter(|n| {
                    (t_lo..=t_hi)
                        .any(|t| ((t as f64 / *n as f64) - mean).abs() <= unit / 2.0 + 1e-9)
                })
                .collect();
            if ns.len() == 1 {
                leak(
                    leaks,
                    format!("{a} engagement.{w} people"),
                    "mean x n = sum",
                    ns.first_value(),
                );
            }
        }
        let c = &m["costs"][w];
        if let Some(total) = c["total"].as_f64() {
            for (key, count) in [
                ("per_person_supported", "people_supported"),
                ("per_completed_episode", "completed"),
            ] {
                let (Some(each), Some(count)) = (c[key].as_f64(), c.get(count)) else {
                    continue;
                };
                let seen = Seen::of(count);
                let Seen::Rounded(r) = seen else { continue };
                // The documented rule: the step is chosen from the total and the count
                // as shown, so the reader can work out every count's figure.
                let step = cost_step(total, r, each);
                let (lo, hi) = seen.range(p, 0, false);
                let ns: BTreeSet<u64> = (lo.max(1)..=hi)
                    .filter(|n| ((total / *n as f64 / step).round() * step - each).abs() < 1e-6)
                    .collect();
                if ns.len() == 1 {
                    leak(
                        leaks,
                        format!("{a} costs.{w}.{key}"),
                        "total / cost = count",
                        ns.first_value(),
                    );
                }
            }
        }
    }
}

/// The documented precision of a cost per person: the smallest round step (whole pounds
/// from £100, pence below) at which every count that rounds to `count` shows a figure
/// some other such count shows too.
fn cost_step(total: f64, count: u64, each: f64) -> f64 {
    let counts: Vec<u64> = (count.saturating_sub(2).max(1)..=count + 2).collect();
    let at = |n: u64, s: f64| ((total / n as f64 / s).round() * s * 100.0).round() / 100.0;
    let mut s = if each >= 100.0 { 1.0 } else { 0.01 };
    let nice = |x: f64| {
        let mut power = 10f64.powi(x.log10().floor() as i32 - 1);
        loop {
            for m in [1.0, 2.0, 5.0] {
                if m * power >= x * (1.0 - 1e-12) {
                    return m * power;
                }
            }
            power *= 10.0;
        }
    };
    loop {
        let shared = counts.iter().all(|n| {
            let v = at(*n, s);
            counts.iter().filter(|m| at(**m, s) == v).count() >= 2
        });
        if shared || s > total {
            return s;
        }
        s = nice(s * 1.5);
    }
}

fn decimals_of(v: &Value) -> usize {
    let s = v.to_string();
    s.split_once('.').map_or(0, |(_, f)| f.len())
}

/// The same count in two audiences' reports: each tells what the other hides.
fn between(a: &str, x: &Value, y: &Value, path: &str, p: Policy, leaks: &mut Vec<Leak>) {
    if is_count(x) && is_count(y) {
        same(
            &format!("{a} and the other report"),
            path,
            &[Some(x), Some(y)],
            p,
            leaks,
        );
        return;
    }
    match (x, y) {
        (Value::Object(a_), Value::Object(b_)) => {
            for (k, xv) in a_ {
                if let Some(yv) = b_.get(k) {
                    between(a, xv, yv, &format!("{path}.{k}"), p, leaks);
                }
            }
        }
        (Value::Array(xs), Value::Array(ys)) if xs.len() == ys.len() => {
            for (i, (xv, yv)) in xs.iter().zip(ys).enumerate() {
                between(a, xv, yv, &format!("{path}[{i}]"), p, leaks);
            }
        }
        _ => {}
    }
}

pub mod checks {
    //! The attacker finds what it looks for.
    use super::*;

    pub fn run() {
        let p = Policy::NHS;
        // 12 of 63 shown as "10 of 65, 20%": only 63 and 12 give 20% to 2 points.
        let m = serde_json::json!({"s": {
            "better": {"numerator": {"value": 10, "shown": "rounded"},
                       "denominator": {"value": 65, "shown": "rounded"},
                       "proportion": 0.2}}});
        let mut leaks = Vec::new();
        shares("x", &m, "", p, &mut leaks);
        assert!(leaks.iter().any(|l| l.value == 63), "{leaks:?}");
        // A lone hidden cell beside exact counts.
        let line = Line {
            place: "l".into(),
            cells: vec![
                (Seen::Exact(40), None),
                (Seen::Hidden, None),
                (Seen::Exact(25), None),
            ],
            total: Seen::Exact(68),
        };
        let mut leaks = Vec::new();
        check_line(
            "x",
            &line,
            Policy {
                below: 10,
                rounded: false,
            },
            &mut leaks,
        );
        assert_eq!(leaks.len(), 1);
        assert_eq!(leaks[0].value, 3);
        // Degrees of freedom.
        let mut leaks = Vec::new();
        statistics(
            "x",
            &serde_json::json!({"paired_t": {"df": 62.0}}),
            "",
            &mut leaks,
        );
        assert_eq!(leaks[0].value, 63);
        // The same count rounded in one place and exact in another.
        let mut leaks = Vec::new();
        same(
            "x",
            "n",
            &[
                Some(&serde_json::json!({"value": 65, "shown": "rounded"})),
                Some(&serde_json::json!({"value": 63})),
            ],
            p,
            &mut leaks,
        );
        assert!(
            leaks.is_empty(),
            "an exact count shown is not a leak of itself"
        );
        let mut leaks = Vec::new();
        same(
            "x",
            "n",
            &[
                Some(&serde_json::json!({"value": 65, "shown": "rounded"})),
                Some(&serde_json::json!({"value": null, "shown": "suppressed"})),
            ],
            p,
            &mut leaks,
        );
        assert!(leaks.is_empty(), "a hidden copy tells nothing");
        // Four counts of 12 shown as 10, adding up to 48 shown as 50: each is 12.
        let line = Line {
            place: "l".into(),
            cells: vec![(Seen::Rounded(10), None); 4],
            total: Seen::Rounded(50),
        };
        let mut leaks = Vec::new();
        check_line("x", &line, p, &mut leaks);
        assert_eq!(leaks.len(), 5, "{leaks:?}");
        // McNemar's p of 8 against 0 (0.008) beside 8 shown as 10: only 8 gives it.
        let m = serde_json::json!({"b": {
            "n": {"value": 65, "shown": "rounded"},
            "counts": [{"value": 45, "shown": "rounded"}, {"value": 10, "shown": "rounded"},
                       {"value": 0}, {"value": 10, "shown": "rounded"}],
            "mcnemar_p": {"status": "ran", "result": 0.008}}});
        let mut leaks = Vec::new();
        yes_no("x", &m, "", p, &mut leaks);
        assert!(leaks.iter().any(|l| l.value == 8), "{leaks:?}");
        // A d_z interval worked out on the exact 11 pairs, shown as 10: it does not fit 10.
        let m = serde_json::json!({"c": {"n": {"value": 10, "shown": "rounded"}, "result": {
            "change": {"mean": 4.0, "sd": 2.0},
            "d_z": {"value": 1.98, "lower": 0.96, "upper": 3.0}}}});
        let mut leaks = Vec::new();
        on_shown_counts("x", &m, "", &mut leaks);
        assert_eq!(leaks.len(), 1, "{leaks:?}");
        // A mean of a published total.
        let m = serde_json::json!({"engagement": {"period": {
            "attended": {"value": 300, "shown": "rounded"},
            "sessions_per_client": {"n": {"value": 50, "shown": "rounded"},
                                    "value": {"mean": 6.0, "median": 6.0}}}}});
        let mut leaks = Vec::new();
        sums("x", &m, p, &mut leaks);
        assert!(!leaks.is_empty(), "300 / 6.0 with 48 to 52 people");
    }
}
