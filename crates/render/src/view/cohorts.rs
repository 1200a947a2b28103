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
    // A cohort below the minimum gets no effect size: at a handful of pairs it is noise.
    let row = |r: &CohortRow, too_few: bool| {
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
            gone(match r.d_z() {
                Some(d) if !too_few => format::signed(d.value, 2),
                _ => w.get("cell.not_computed"),
            }),
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
        let mut overall = row(&first.overall, false);
        overall[0] = w.get("chart.all_people");
        t.total(overall);
    }
    for c in comps {
        t.group(c.dimension_label.clone());
        for r in &c.cohorts {
            t.row(row(r, c.below_minimum(r)));
        }
    }
    t.note(w.get("cohorts.table_note"));
    t.finish()
}

/// Whether a test across cohorts ran for a dimension of a measure.
fn test_ran(c: &CohortComparison) -> bool {
    c.tests.first().is_some_and(|t| t.result.ran().is_some())
}

/// The dimensions of a measure a test across cohorts ran on: what a forest plot shows.
pub fn tested<'a>(comps: &[&'a CohortComparison]) -> Vec<&'a CohortComparison> {
    comps.iter().copied().filter(|c| test_ran(c)).collect()
}

/// Whether a test across cohorts ran for any dimension of a measure.
pub fn any_test_ran(comps: &[&CohortComparison]) -> bool {
    comps.iter().any(|c| test_ran(c))
}

/// A measure's plain name with its scale: "Wellbeing (SWEMWBS, 7 to 35, higher is
/// better)".
pub fn plain_name(ctx: &Ctx, measure: &str) -> String {
    let topic = super::phrases::topic(ctx, measure);
    let Some(m) = ctx.measure(measure) else {
        return ctx.label(measure);
    };
    // The instrument's short name: the label without a qualifier in brackets or the
    // topic it repeats ("SWEMWBS (metric score)" -> "SWEMWBS", "ONS4 anxiety" -> "ONS4").
    let mut short = m.label.split(" (").next().unwrap_or(&m.label).to_owned();
    let lower = short.to_lowercase();
    if let Some(at) = lower.find(&topic.to_lowercase())
        && at > 0
    {
        short = short[..at].trim_end().to_owned();
    }
    let better = if super::phrases::lower_is_better(ctx, measure) {
        ctx.w.get("phrase.lower_better")
    } else {
        ctx.w.get("phrase.higher_better")
    };
    // The scale's ends as the instrument states them: "7 to 35", "0 to 10", "-0.59 to 1".
    let end = |v: f64| format::number(v, if v.fract() == 0.0 { 0 } else { ctx.dp(measure) });
    let name = crate::words::capitalise(&topic);
    if short.eq_ignore_ascii_case(&topic) {
        return ctx.w.fill(
            "cohorts.plain_name_short",
            &[
                ("topic", &name),
                ("min", &end(m.min)),
                ("max", &end(m.max)),
                ("better", &better),
            ],
        );
    }
    ctx.w.fill(
        "cohorts.plain_name",
        &[
            ("topic", &name),
            ("instrument", &short),
            ("min", &end(m.min)),
            ("max", &end(m.max)),
            ("better", &better),
        ],
    )
}

/// Did the cohorts differ? Every measure against every dimension, each cell the verdict
/// of the test across cohorts, the tests named in a note. `None` without comparisons.
pub fn grid(ctx: &Ctx, id: &str) -> Option<Table> {
    let w = ctx.w;
    let comps = &ctx.m.cohorts.period;
    if comps.is_empty() {
        return None;
    }
    let mut dims: Vec<(&str, &str)> = Vec::new();
    let mut measures: Vec<&str> = Vec::new();
    let mut methods: Vec<String> = Vec::new();
    for c in comps {
        if !dims.iter().any(|d| d.0 == c.dimension) {
            dims.push((&c.dimension, &c.dimension_label));
        }
        if !measures.contains(&c.measure.as_str()) {
            measures.push(&c.measure);
        }
        if let Some(t) = c.tests.first().filter(|_| test_ran(c))
            && !methods.contains(&t.method.to_string())
        {
            methods.push(t.method.to_string());
        }
    }
    let mut columns = vec![(w.get("col.measure"), false)];
    columns.extend(dims.iter().map(|d| (d.1.to_owned(), false)));
    let mut t = TableBuilder::with_labels(
        ctx,
        id,
        w.fill("cohorts.grid_caption", &[("period", ctx.period())]),
        columns,
    );
    let (mut any_hidden, mut any_untested) = (false, false);
    for measure in &measures {
        let mut row = vec![plain_name(ctx, measure)];
        for (dim, _) in &dims {
            let c = comps
                .iter()
                .find(|c| c.measure == *measure && c.dimension == *dim);
            row.push(match c.map(|c| c.finding.verdict) {
                Some(GroupVerdict::Differ) => w.get("cohorts.grid_differ"),
                Some(GroupVerdict::NoClearDifference) => w.get("cohorts.grid_same"),
                Some(GroupVerdict::NotTested) => {
                    any_untested = true;
                    w.get("cohorts.grid_untested")
                }
                Some(GroupVerdict::Hidden) => {
                    any_hidden = true;
                    w.get("cohorts.grid_hidden")
                }
                None => String::new(),
            });
        }
        t.row(row);
    }
    t.note(w.fill(
        "cohorts.grid_note",
        &[("tests", &crate::words::and_list(&methods))],
    ));
    if any_untested {
        t.note(w.fill(
            "cohorts.grid_untested_note",
            &[("min_n", &ctx.min_n().to_string())],
        ));
    }
    if any_hidden {
        t.note(w.get("cohorts.grid_hidden_note"));
    }
    Some(t.finish())
}
