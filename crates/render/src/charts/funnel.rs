//! Programme flow: the people whose support ended in the window, followed through — left
//! support, completed it, had a baseline questionnaire, answered both — as bars from zero
//! labelled with their counts. Each stage holds the people of the stage before who also
//! reached it, so no bar is longer than the one above it. The short form (for trustees)
//! keeps left, completed and answered both questionnaires.

use super::Chart;
use super::pen::{Dash, Pen, Scale, Type, draw};
use super::theme::{BLUE, GRID, INK, MUTED, SMALL, TEXT, WIDTH};
use crate::RenderError;
use crate::doc::{Ctx, TableBuilder};
use crate::format;
use sprout_model::*;

pub fn funnel(ctx: &Ctx, id: &str, flow: &Flow, short: bool) -> Result<Chart, RenderError> {
    let w = ctx.w;
    let stages = stages(ctx, &flow.ended, short);
    let row_h = if short { 32 } else { 36 };
    let top = 8;
    let label_w = if short { 230 } else { 250 };
    let height = (top + row_h * stages.len() as i32 + 12) as u32;
    let max = stages
        .iter()
        .filter_map(|s| s.1.value)
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let x = Scale::new(0.0, max, label_w + 8, WIDTH as i32 - 120);

    let svg = draw(WIDTH, height, |pen: &Pen| {
        pen.line(
            &[
                (x.at(0.0), top),
                (x.at(0.0), top + row_h * stages.len() as i32),
            ],
            GRID,
            1,
            Dash::Solid,
        )?;
        for (i, (label, c)) in stages.iter().enumerate() {
            let y0 = top + row_h * i as i32;
            let mid = y0 + row_h / 2;
            let t = Type::new(TEXT).right();
            let lines = pen.wrap(label, label_w - 8, 2, t);
            let first = mid - 8 * (lines.len() as i32 - 1);
            for (k, line) in lines.iter().enumerate() {
                pen.text(line, label_w, first + 16 * k as i32, t)?;
            }
            match c.value {
                Some(v) => {
                    let x1 = x.at(v as f64).max(x.at(0.0) + 1);
                    pen.rect(x.at(0.0), y0 + 5, x1, y0 + row_h - 5, BLUE)?;
                    pen.text(&format::int(v), x1 + 6, mid, Type::new(TEXT).colour(INK))?;
                }
                None => {
                    pen.text(
                        &w.fill(
                            "chart.hidden_row",
                            &[(
                                "threshold",
                                &ctx.m.meta.disclosure.hidden_below.unwrap_or(1).to_string(),
                            )],
                        ),
                        x.at(0.0) + 6,
                        mid,
                        Type::new(SMALL).colour(MUTED),
                    )?;
                }
            }
        }
        Ok(())
    })?;

    let mut t = TableBuilder::with_labels(
        ctx,
        &format!("{id}-data"),
        w.fill("chart.flow_data_caption", &[("period", ctx.period())]),
        vec![(w.get("col.stage"), false), (w.get("col.people"), true)],
    );
    let mut desc_rows = Vec::new();
    for (label, c) in &stages {
        t.row(vec![label.clone(), format::count(c)]);
        desc_rows.push(format!("{}: {}", label, format::count(c)));
    }
    let mut notes = vec![w.get("chart.flow_note")];
    if ctx.m.flow.period.ended.measure.is_some() {
        notes.push(w.get("chart.flow_outcomes_note"));
    }
    if stages.iter().any(|s| s.1.is_suppressed()) {
        notes.push(ctx.suppressed_note());
    }
    if stages.iter().any(|s| s.1.shown == Shown::Rounded) {
        notes.push(w.get("note.rounded"));
    }
    let desc = w.fill(
        "chart.flow_desc",
        &[("period", ctx.period()), ("rows", &desc_rows.join("; "))],
    );
    let title = super::titles::flow(ctx, &stages);
    Chart::new(id, title, desc, svg, t.finish(), notes)
}

/// The stages of the followed group, as labels and counts: left support, completed it,
/// (had a baseline questionnaire,) answered both.
pub fn stages(ctx: &Ctx, e: &Ended, short: bool) -> Vec<(String, Count)> {
    let w = ctx.w;
    let mut stages = vec![
        (w.get("flow.left"), e.left),
        (w.get("flow.of_whom_completed"), e.completed),
    ];
    if let Some(m) = &e.measure {
        let label = ctx.label(m);
        if !short {
            stages.push((
                w.fill("flow.of_whom_baseline", &[("measure", &label)]),
                e.baseline,
            ));
        }
        stages.push((
            w.fill(
                if short {
                    "flow.of_whom_both_short"
                } else {
                    "flow.of_whom_both"
                },
                &[("measure", &label)],
            ),
            e.both,
        ));
    }
    stages
}
