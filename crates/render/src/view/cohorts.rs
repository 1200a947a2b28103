//! Cohorts compared, for the evaluator's report and the commissioners': the table of
//! every cohort on one measure, the tests across cohorts, and what they support in words.

use super::points::Register;
use super::{Ctx, Table, TableBuilder};
use crate::format;
use sprout_model::*;

/// What the cohort tests say about one dimension and measure in the period, in words.
pub fn difference_sentence(ctx: &Ctx, c: &CohortComparison) -> String {
    super::points::group(ctx, c, Scope::Period, false, Register::Technical).unwrap_or_default()
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
    // The statistic and its degrees of freedom, where published.
    let stat = |s: &GroupStat| match (s.statistic, s.df1, s.df2) {
        (Some(x), Some(a), Some(b)) => format!(
            "{} ({}, {})",
            format::number(x, 2),
            format::number(a, 1),
            format::number(b, 1)
        ),
        (Some(x), Some(a), None) => format!("{} ({})", format::number(x, 2), format::number(a, 1)),
        (Some(x), None, _) => format::number(x, 1),
        (None, ..) => format::NOT_AVAILABLE.to_owned(),
    };
    for c in &ctx.m.cohorts.period {
        for g in &c.tests {
            let (s, p) = match &g.result {
                Test::Ran(s) => (stat(s), format::p_cell(s.p)),
                Test::Skipped { reason } => (ctx.reason(reason), String::new()),
            };
            t.row(vec![
                c.dimension_label.clone(),
                ctx.label(&c.measure),
                g.method.to_string(),
                s,
                p,
            ]);
        }
        let (s, p) = match &c.ancova {
            Test::Ran(a) => (
                match (a.f, a.df1, a.df2) {
                    (Some(f), Some(d1), Some(d2)) => format!(
                        "{} ({}, {})",
                        format::number(f, 2),
                        format::number(d1, 0),
                        format::number(d2, 0)
                    ),
                    _ => format::NOT_AVAILABLE.to_owned(),
                },
                format::p_cell(a.p),
            ),
            Test::Skipped { reason } => (ctx.reason(reason), String::new()),
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
