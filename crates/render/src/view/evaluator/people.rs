//! The evaluator's flow and people sections: who was referred, started and left, and
//! who was supported.

use super::super::points::{self};
use super::super::shared;
use super::super::{Block, Ctx, Section, TableBuilder};
use super::*;
use crate::RenderError;
use crate::charts;
use crate::format;

/// The people whose support ended, followed through (figure and table, period and since
/// the start); then activity by its own date; then why people left.
pub(super) fn flow(ctx: &Ctx) -> Result<Section, RenderError> {
    let m = ctx.m;
    let w = ctx.w;
    let (p, c) = (&m.flow.period, &m.flow.cumulative);
    let columns = || {
        vec![
            (w.get("col.stage"), false),
            (w.fill("col.in_period", &[("period", ctx.period())]), true),
            (w.get("col.cumulative"), true),
        ]
    };
    let mut followed = TableBuilder::with_labels(
        ctx,
        "flow",
        w.fill("flow.caption", &[("period", ctx.period())]),
        columns(),
    );
    for ((label, a), (_, b)) in charts::flow_stages(ctx, &p.ended, false)
        .into_iter()
        .zip(charts::flow_stages(ctx, &c.ended, false))
    {
        followed.row(vec![label, format::count(&a), format::count(&b)]);
    }
    let mut activity = TableBuilder::with_labels(
        ctx,
        "activity",
        w.fill("flow.activity_caption", &[("period", ctx.period())]),
        columns(),
    );
    for (key, a, b) in [
        ("flow.referred", &p.referred, &c.referred),
        ("flow.started", &p.started, &c.started),
        (
            "flow.baseline_assessed",
            &p.baseline_assessed,
            &c.baseline_assessed,
        ),
        ("flow.discharged", &p.discharged, &c.discharged),
        ("flow.completed", &p.completed, &c.completed),
        (
            "flow.in_support",
            &p.in_support_at_end,
            &c.in_support_at_end,
        ),
    ] {
        activity.row(vec![w.get(key), format::count(a), format::count(b)]);
    }
    for (a, b) in p.paired.iter().zip(&c.paired) {
        activity.row(vec![
            w.fill("flow.paired", &[("measure", &ctx.label(&a.measure))]),
            format::count(&a.count),
            format::count(&b.count),
        ]);
    }
    activity.note(w.get("flow.activity_note"));
    let mut reasons = TableBuilder::with_labels(
        ctx,
        "discharge-reasons",
        w.fill("flow.reasons_caption", &[("period", ctx.period())]),
        vec![
            (w.get("col.reason"), false),
            (w.fill("col.in_period", &[("period", ctx.period())]), true),
            (w.get("col.percent"), true),
            (w.get("col.cumulative"), true),
            (w.get("col.percent"), true),
        ],
    );
    shared::breakdown_rows(
        ctx,
        &mut reasons,
        &p.discharge_reasons,
        &c.discharge_reasons,
    );
    let heading = w.fill(
        "flow.heading",
        &[
            ("left", &format::count(&p.ended.left)),
            ("completed", &format::count(&p.ended.completed)),
            ("period", ctx.period()),
        ],
    );
    let lead = w.fill(
        "flow.lead",
        &[
            ("period", ctx.period()),
            ("supported", &format::count(&m.people.period.supported)),
            ("new", &format::count(&m.people.period.new)),
            ("continuing", &format::count(&m.people.period.continuing)),
        ],
    );
    let mut blocks = vec![ctx.figure(charts::funnel(ctx, "flow", p, false)?)];
    blocks.push(Block::Table {
        table: followed.finish(),
    });
    if let Some(measure) = &p.ended.measure
        && let Some(text) = points::completion(ctx, measure)
    {
        blocks.push(Block::Text { text });
    }
    blocks.push(Block::Table {
        table: activity.finish(),
    });
    blocks.push(Block::Table {
        table: reasons.finish(),
    });
    Ok(section(ctx, "flow", heading, Some(lead), blocks))
}

pub(super) fn people(ctx: &Ctx) -> Result<Section, RenderError> {
    let m = ctx.m;
    let w = ctx.w;
    let (p, c) = (&m.people.period, &m.people.cumulative);
    let mut blocks = Vec::new();
    for (dp, dc) in p.dimensions.iter().zip(&c.dimensions) {
        let mut t = TableBuilder::with_labels(
            ctx,
            &format!("people-{}", dp.id),
            w.fill(
                "people.caption",
                &[("dimension", &dp.label), ("period", ctx.period())],
            ),
            vec![
                (dp.label.clone(), false),
                (w.fill("col.in_period", &[("period", ctx.period())]), true),
                (w.get("col.percent"), true),
                (w.get("col.cumulative"), true),
                (w.get("col.percent"), true),
            ],
        );
        shared::breakdown_rows(ctx, &mut t, &dp.breakdown, &dc.breakdown);
        blocks.push(Block::Table { table: t.finish() });
    }
    blocks.extend(shared::reach(ctx, p)?);
    let heading = w.fill(
        "people.heading",
        &[
            ("supported", &format::count(&p.supported)),
            ("cumulative", &format::count(&c.supported)),
        ],
    );
    Ok(section(
        ctx,
        "people",
        heading,
        Some(w.get("people.lead")),
        blocks,
    ))
}
