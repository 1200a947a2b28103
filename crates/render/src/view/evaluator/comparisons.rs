//! The evaluator's comparisons: between cohorts, of those who stayed and those who left,
//! and over time.

use super::super::{Block, Ctx, Section, TableBuilder};
use super::*;
use crate::RenderError;
use crate::charts;
use crate::format;
use sprout_model::*;

pub(super) fn cohorts(ctx: &Ctx) -> Result<Option<Section>, RenderError> {
    let m = ctx.m;
    let Some(grid) = super::super::cohorts::grid(ctx, "cohort-grid") else {
        return Ok(None);
    };
    let w = ctx.w;
    let mut blocks = vec![
        Block::Text {
            text: w.get("cohorts.lead_note"),
        },
        Block::Table { table: grid },
    ];
    let mut measures: Vec<&str> = Vec::new();
    for c in &m.cohorts.period {
        if !measures.contains(&c.measure.as_str()) {
            measures.push(&c.measure);
        }
    }
    // A forest plot for each measure a test across cohorts ran on; every cohort's
    // figures are in the tables (cohorts.csv and the workbook).
    for measure in measures {
        let comps: Vec<&CohortComparison> = m
            .cohorts
            .period
            .iter()
            .filter(|c| c.measure == measure)
            .collect();
        if !super::super::cohorts::any_test_ran(&comps) {
            continue;
        }
        // The grid gives every verdict; the lead describes the differences found.
        let findings: Vec<String> = comps
            .iter()
            .filter(|c| c.finding.verdict == GroupVerdict::Differ)
            .map(|c| super::super::cohorts::difference_sentence(ctx, c))
            .collect();

        // The figure's caption names the measure and says what it shows; what the tests
        // found follows it.
        blocks.push(ctx.figure(charts::forest(
            ctx,
            &format!("forest-{measure}"),
            measure,
            &super::super::cohorts::tested(&comps),
        )?));
        if !findings.is_empty() {
            blocks.push(Block::Text {
                text: findings.join(" "),
            });
        }
    }
    blocks.push(Block::Text {
        text: w.get("cohorts.tables_note"),
    });
    Ok(Some(section(
        ctx,
        "cohorts",
        w.get("cohorts.heading"),
        Some(w.get("cohorts.lead")),
        blocks,
    )))
}

pub(super) fn attrition(ctx: &Ctx) -> Section {
    let m = ctx.m;
    let w = ctx.w;
    let mut t = TableBuilder::new(
        ctx,
        "attrition",
        w.get("attrition.caption"),
        &[
            ("col.measure", false),
            ("col.completers_n", true),
            ("col.completers_baseline", true),
            ("col.baseline_only_n", true),
            ("col.baseline_only_baseline", true),
            ("col.smd", true),
            ("col.welch_p", true),
        ],
    );
    let mut worse = Vec::new();
    for a in &m.attrition {
        let dp = ctx.dp(&a.measure);
        let mean = |b: &Based<Summary>| match &b.value {
            Some(s) => format::number(s.mean, dp),
            None if b.n.is_suppressed() => format::SUPPRESSED.to_owned(),
            None => w.get("cell.none"),
        };
        t.row(vec![
            ctx.label(&a.measure),
            format::count(&a.completers.n),
            mean(&a.completers),
            format::count(&a.baseline_only.n),
            mean(&a.baseline_only),
            a.standardised_difference
                .map_or_else(|| w.get("cell.not_computed"), |d| format::signed(d, 2)),
            ctx.p(&a.welch_t, |t| t.p),
        ]);
        if let (Test::Ran(t), Some(d)) = (&a.welch_t, a.standardised_difference)
            && t.p < 0.05
            && d.abs() >= 0.2
        {
            worse.push(ctx.label(&a.measure));
        }
    }
    let mut s = TableBuilder::new(
        ctx,
        "sensitivity",
        w.get("sensitivity.caption"),
        &[
            ("col.measure", false),
            ("col.analysis", false),
            ("col.n", true),
            ("col.change_ci", true),
        ],
    );
    for x in &m.sensitivity {
        let dp = ctx.dp(&x.measure);
        for (key, b) in [
            ("sensitivity.completers", &x.completers),
            ("sensitivity.carried", &x.carried_forward),
        ] {
            s.row(vec![
                ctx.label(&x.measure),
                w.get(key),
                format::count(&b.n),
                ctx.estimate(
                    b.value.as_ref(),
                    dp,
                    true,
                    b.value.is_none() && b.n.is_suppressed(),
                ),
            ]);
        }
    }
    let heading = if worse.is_empty() {
        w.get("attrition.heading_similar")
    } else {
        w.fill(
            "attrition.heading_differ",
            &[("measures", &worse.join(", "))],
        )
    };
    section(
        ctx,
        "attrition",
        heading,
        Some(w.get("attrition.lead")),
        vec![
            Block::Table { table: t.finish() },
            Block::Table { table: s.finish() },
        ],
    )
}

pub(super) fn trend(ctx: &Ctx) -> Result<Section, RenderError> {
    let w = ctx.w;
    let tr = &ctx.m.trend;
    let blocks = if tr.quarters.is_empty() {
        vec![Block::Text {
            text: w.get("trend.none"),
        }]
    } else {
        vec![ctx.figure(charts::trend(ctx, "trend", tr)?)]
    };
    Ok(section(
        ctx,
        "trend",
        w.fill(
            "trend.heading",
            &[("quarters", &tr.quarters.len().to_string())],
        ),
        Some(
            w.fill(
                "trend.lead",
                &[(
                    "measure",
                    &tr.measure
                        .as_deref()
                        .map(|m| ctx.label(m))
                        .unwrap_or_default(),
                )],
            ),
        ),
        blocks,
    ))
}
