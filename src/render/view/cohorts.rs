//! Cohorts compared, for the evaluator's report and the commissioners': the table of
//! every cohort on one measure, the tests across cohorts, and what they support in words.

use super::phrases::lower_is_better;
use super::{Ctx, Table, TableBuilder};
use crate::model::*;
use crate::render::format;

/// The main test across cohorts (Welch t or Welch ANOVA) when it ran and found a
/// difference at the 5% level.
pub fn supported(c: &CohortComparison) -> Option<&GroupStat> {
    c.tests
        .first()
        .and_then(|t| t.result.ran())
        .filter(|s| s.p < 0.05)
}

/// What the cohort tests say about one dimension and measure, in words.
pub fn difference_sentence(ctx: &Ctx, c: &CohortComparison) -> String {
    let w = ctx.w;
    let dim = crate::render::words::in_sentence(&c.dimension_label);
    let Some(test) = c.tests.first() else {
        return w.fill("cohorts.no_test", &[("dimension", &dim)]);
    };
    let ancova = c.ancova.ran();
    match &test.result {
        Test::Skipped { reason } => w.fill(
            "cohorts.skipped",
            &[("dimension", &dim), ("reason", reason)],
        ),
        Test::Ran(s) if s.p < 0.05 => {
            let lower = lower_is_better(ctx, &c.measure);
            let ranked: Vec<(&CohortRow, f64)> = {
                let mut v: Vec<(&CohortRow, f64)> = c
                    .cohorts
                    .iter()
                    .filter(|r| r.key != "not_recorded")
                    .filter_map(|r| {
                        r.mean_change()
                            .map(|e| (r, if lower { -e.value } else { e.value }))
                    })
                    .collect();
                v.sort_by(|a, b| b.1.total_cmp(&a.1));
                v
            };
            let dp = ctx.dp(&c.measure);
            let (Some(best), Some(worst)) = (ranked.first(), ranked.last()) else {
                return w.fill(
                    "cohorts.differ_plain",
                    &[("dimension", &dim), ("p", &format::p_text(s.p))],
                );
            };
            let after = match ancova {
                Some(a) if a.p < 0.05 => w.get("cohorts.even_after"),
                Some(_) => w.get("cohorts.not_after"),
                None => String::new(),
            };
            w.fill(
                "cohorts.differ",
                &[
                    ("best", &best.0.label),
                    (
                        "best_change",
                        &format::signed(best.0.mean_change().map_or(0.0, |e| e.value), dp),
                    ),
                    ("worst", &worst.0.label),
                    (
                        "worst_change",
                        &format::signed(worst.0.mean_change().map_or(0.0, |e| e.value), dp),
                    ),
                    ("method", &test.method),
                    ("p", &format::p_text(s.p)),
                    ("after", &after),
                ],
            )
        }
        Test::Ran(s) => {
            let adjusted = match ancova {
                Some(a) if a.p < 0.05 => {
                    w.fill("cohorts.adjusted_differ", &[("p", &format::p_text(a.p))])
                }
                _ => String::new(),
            };
            w.fill(
                "cohorts.same",
                &[
                    ("dimension", &dim),
                    ("method", &test.method),
                    ("p", &format::p_text(s.p)),
                    ("adjusted", &adjusted),
                ],
            )
        }
    }
}

/// Every cohort of every dimension on one measure: n, baseline, change, d_z, share
/// improved and the baseline-adjusted change.
pub fn cohort_table(ctx: &Ctx, measure: &str, comps: &[&CohortComparison]) -> Table {
    let w = ctx.w;
    let dp = ctx.dp(measure);
    let mcid = ctx.measure(measure).and_then(|m| m.mcid);
    let mut t = TableBuilder::with_labels(
        ctx,
        &format!("cohorts-{measure}"),
        w.fill(
            "cohorts.caption",
            &[("measure", &ctx.label(measure)), ("period", ctx.period())],
        ),
        vec![
            (w.get("col.cohort"), false),
            (w.get("col.n"), true),
            (w.get("col.baseline_mean"), true),
            (w.get("col.change_ci"), true),
            (w.get("col.dz"), true),
            (
                match mcid {
                    Some(v) => w.fill("col.improved_mcid", &[("mcid", &format::number(v, dp))]),
                    None => w.get("col.better"),
                },
                true,
            ),
            (w.get("col.adjusted_ci"), true),
        ],
    );
    let row = |r: &CohortRow| {
        let hidden = r.mean_change().is_none() && r.n.is_suppressed();
        if r.result.is_none() && !hidden {
            // A cohort the config lists that nobody with a pair is in yet.
            let none = w.get("cell.none");
            return vec![
                r.label.clone(),
                format::count(&r.n),
                none.clone(),
                w.get("cell.no_pairs"),
                none.clone(),
                none.clone(),
                none,
            ];
        }
        let gone = |s: String| {
            if hidden {
                format::SUPPRESSED.to_owned()
            } else {
                s
            }
        };
        vec![
            r.label.clone(),
            format::count(&r.n),
            gone(r.baseline().map_or_else(
                || w.get("cell.not_computed"),
                |b| format::number(b.mean, dp),
            )),
            ctx.estimate(r.mean_change().as_ref(), dp, true, hidden),
            gone(r.d_z().map_or_else(
                || w.get("cell.not_computed"),
                |d| format::signed(d.value, 2),
            )),
            gone(if mcid.is_some() {
                ctx.share_opt(&r.improved().cloned())
            } else {
                ctx.share_opt(&r.better().cloned())
            }),
            match r.adjusted_change {
                Some(a) => ctx.estimate(Some(&a), dp, true, false),
                None if hidden => format::SUPPRESSED.to_owned(),
                None => String::new(),
            },
        ]
    };
    if let Some(first) = comps.first() {
        let mut overall = row(&first.overall);
        overall[0] = w.get("chart.all_people");
        t.total(overall);
    }
    for c in comps {
        t.group(c.dimension_label.clone());
        for r in &c.cohorts {
            t.row(row(r));
        }
    }
    t.note(w.get("cohorts.table_note"));
    t.finish()
}

/// Every test across cohorts, and the ANCOVA.
pub fn tests_table(ctx: &Ctx) -> Table {
    let w = ctx.w;
    let mut t = TableBuilder::new(
        ctx,
        "cohort-tests",
        w.fill("cohorts.tests_caption", &[("period", ctx.period())]),
        &[
            ("col.dimension", false),
            ("col.measure", false),
            ("col.method", false),
            ("col.statistic", true),
            ("col.p", true),
        ],
    );
    let stat = |s: &GroupStat| match (s.df1, s.df2) {
        (Some(a), Some(b)) => format!(
            "{} ({}, {})",
            format::number(s.statistic, 2),
            format::number(a, 1),
            format::number(b, 1)
        ),
        (Some(a), None) => format!(
            "{} ({})",
            format::number(s.statistic, 2),
            format::number(a, 1)
        ),
        _ => format::number(s.statistic, 1),
    };
    for c in &ctx.m.cohorts.period {
        for g in &c.tests {
            let (s, p) = match &g.result {
                Test::Ran(s) => (stat(s), format::p_cell(s.p)),
                Test::Skipped { reason } => (reason.clone(), String::new()),
            };
            t.row(vec![
                c.dimension_label.clone(),
                ctx.label(&c.measure),
                g.method.clone(),
                s,
                p,
            ]);
        }
        let (s, p) = match &c.ancova {
            Test::Ran(a) => (
                format!(
                    "{} ({}, {})",
                    format::number(a.f, 2),
                    format::number(a.df1, 0),
                    format::number(a.df2, 0)
                ),
                format::p_cell(a.p),
            ),
            Test::Skipped { reason } => (reason.clone(), String::new()),
        };
        t.row(vec![
            c.dimension_label.clone(),
            ctx.label(&c.measure),
            w.get("cohorts.ancova"),
            s,
            p,
        ]);
    }
    t.note(w.get("cohorts.tests_note"));
    t.finish()
}
