//! The evaluator's outcome sections: each measure's comparisons, pain medication and
//! trajectories.

use super::super::phrases::{self, main_comparisons, primary};
use super::super::shared;
use super::super::{Block, Ctx, Section, TableBuilder};
use super::*;
use crate::RenderError;
use crate::charts;
use crate::format;
use sprout_model::*;

/// The table of one measure's comparisons: the main one for the period and
/// cumulatively, then each phase span.
pub(super) fn outcome_table(ctx: &Ctx, measure: &str) -> super::super::Table {
    let w = ctx.w;
    let dp = ctx.dp(measure);
    let mcid = ctx.measure(measure).and_then(|m| m.mcid);
    let mut t = TableBuilder::with_labels(
        ctx,
        &format!("outcome-{measure}"),
        w.fill(
            "outcomes.caption",
            &[
                ("measure", &ctx.label(measure)),
                ("period", ctx.period()),
                ("from", &ctx.timepoint_in_text(&ctx.m.meta.compare.from)),
                ("to", &ctx.timepoint_in_text(&ctx.m.meta.compare.to)),
            ],
        ),
        vec![
            (w.get("col.comparison"), false),
            (w.get("col.n"), true),
            (w.get("col.from_mean_sd"), true),
            (w.get("col.to_mean_sd"), true),
            (w.get("col.change_ci"), true),
            (w.get("col.dz_ci"), true),
            (
                match mcid {
                    Some(v) => w.fill("col.improved_mcid", &[("mcid", &format::number(v, dp))]),
                    None => w.get("col.better"),
                },
                true,
            ),
            (w.get("col.t_p"), true),
            (w.get("col.wilcoxon_p"), true),
            (w.get("col.holm_p"), true),
        ],
    );
    let windows = [
        (&ctx.m.outcomes.period, ctx.period().to_owned()),
        (&ctx.m.outcomes.cumulative, w.get("col.cumulative")),
    ];
    for (o, window) in windows {
        // Each window heads its rows.
        t.group(window);
        for c in o.comparisons.iter().filter(|c| c.measure == measure) {
            let label = c.span_label.clone();
            let hidden = c.result.is_none() && c.n.is_suppressed();
            let row = match &c.result {
                Some(r) => {
                    let mean_sd = |s: &Summary| match s.sd {
                        Some(sd) => format!(
                            "{} ({})",
                            format::number(s.mean, dp),
                            format::number(sd, dp)
                        ),
                        None => format::number(s.mean, dp),
                    };
                    let share = if mcid.is_some() {
                        ctx.share_opt(&r.improved)
                    } else {
                        ctx.share_ci(&r.better)
                    };
                    vec![
                        label,
                        format::count(&c.n),
                        mean_sd(&r.from),
                        mean_sd(&r.to),
                        ctx.estimate(r.mean_change.as_ref(), dp, true, false),
                        ctx.estimate(r.d_z.as_ref(), 2, true, false),
                        share,
                        ctx.p(&r.paired_t, |t| t.p),
                        ctx.p(&r.wilcoxon, |t| t.p),
                        c.p_holm.map_or_else(String::new, format::p_cell),
                    ]
                }
                None => {
                    let gap = if hidden {
                        format::SUPPRESSED.to_owned()
                    } else {
                        w.get("cell.no_pairs")
                    };
                    let mut row = vec![label, format::count(&c.n)];
                    row.extend(std::iter::repeat_n(gap, 8));
                    row
                }
            };
            if c.main {
                t.total(row)
            } else {
                t.row(row)
            };
        }
    }
    t.note(w.fill(
        "outcomes.table_note",
        &[
            ("from", &ctx.timepoint_in_text(&ctx.m.meta.compare.from)),
            ("to", &ctx.timepoint_in_text(&ctx.m.meta.compare.to)),
        ],
    ));
    t.finish()
}

pub(super) fn outcomes(ctx: &Ctx) -> Result<Section, RenderError> {
    let m = ctx.m;
    let w = ctx.w;
    let mut blocks = vec![Block::Table {
        table: shared::glance(ctx),
    }];
    let star: Vec<&OutcomeComparison> = main_comparisons(&m.outcomes.period)
        .filter(|c| {
            ctx.measure(&c.measure)
                .is_some_and(|i| i.instrument == "wellbeing_star" && !c.measure.ends_with("_total"))
        })
        .collect();
    if star.len() >= 3 {
        blocks.push(ctx.figure(charts::radar(ctx, "star", &star)?));
    }
    let first_dim = |measure: &str| m.cohorts.period.iter().find(|c| c.measure == measure);
    for c in main_comparisons(&m.outcomes.period) {
        let label = ctx.label(&c.measure);
        let mut sub = Vec::new();
        let lead = phrases::outcome(ctx, c);
        sub.push(Block::Table {
            table: outcome_table(ctx, &c.measure),
        });
        if c.result.is_some() || c.n.is_suppressed() {
            sub.push(ctx.figure(charts::dumbbell(
                ctx,
                &format!("dumbbell-{}", c.measure),
                c,
                first_dim(&c.measure),
            )?));
        }
        if c.result
            .as_ref()
            .is_some_and(|r| !r.distribution.is_empty())
        {
            sub.push(ctx.figure(charts::distribution(
                ctx,
                &format!("change-{}", c.measure),
                c,
            )?));
        }
        blocks.push(Block::Subsection {
            id: format!("outcome-{}", c.measure),
            heading: heading_for(ctx, c, &label),
            lead: Some(lead.join(" ")),
            blocks: sub,
        });
    }
    let heading = primary(ctx, &m.outcomes.period)
        .and_then(|c| {
            let r = c.result.as_ref()?;
            let p = phrases::headline_share(c)?.percent()?;
            let key = if r.mcid.is_some() && r.improved.is_some() {
                "outcomes.heading"
            } else {
                "outcomes.heading_any"
            };
            Some(w.fill(
                key,
                &[
                    (
                        "topic",
                        &crate::words::capitalise(&phrases::topic(ctx, &c.measure)),
                    ),
                    ("tenths", &format::in_ten(p)),
                ],
            ))
        })
        .unwrap_or_else(|| w.get("outcomes.heading_none"));
    Ok(section(
        ctx,
        "outcomes",
        heading,
        Some(w.get("outcomes.lead")),
        blocks,
    ))
}

/// "SWEMWBS (metric score): up 1.1 points on average".
pub(super) fn heading_for(ctx: &Ctx, c: &OutcomeComparison, label: &str) -> String {
    let w = ctx.w;
    match c.result.as_ref().and_then(|r| r.mean_change) {
        Some(e) => {
            let key = match phrases::clear(&e) {
                Some(false) | None => "outcomes.sub_unclear",
                Some(true) if e.value > 0.0 => "outcomes.sub_up",
                Some(true) => "outcomes.sub_down",
            };
            w.fill(
                key,
                &[
                    ("measure", label),
                    ("change", &format::number(e.value.abs(), ctx.dp(&c.measure))),
                ],
            )
        }
        None => w.fill("outcomes.sub_none", &[("measure", label)]),
    }
}

pub(super) fn medication(ctx: &Ctx) -> Result<Option<Section>, RenderError> {
    shared::medication(ctx)
}

pub(super) fn trajectories(ctx: &Ctx) -> Result<Option<Section>, RenderError> {
    let m = ctx.m;
    if m.meta.timepoints.len() < 3 || m.trajectories.is_empty() {
        return Ok(None);
    }
    let w = ctx.w;
    let mut blocks = Vec::new();
    for tr in &m.trajectories {
        if tr.n.value == Some(0) {
            continue;
        }
        blocks.push(ctx.figure(charts::trajectory(
            ctx,
            &format!("trajectory-{}", tr.measure),
            tr,
        )?));
    }
    if blocks.is_empty() {
        blocks.push(Block::Text {
            text: w.get("trajectories.none"),
        });
    }
    let tps: Vec<String> = m.meta.timepoints.iter().map(|t| t.label.clone()).collect();
    Ok(Some(section(
        ctx,
        "trajectories",
        w.get("trajectories.heading"),
        Some(w.fill("trajectories.lead", &[("timepoints", &tps.join(", "))])),
        blocks,
    )))
}
