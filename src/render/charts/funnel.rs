//! Programme flow: referred, started, baseline assessed, discharged, completed and paired
//! on the primary measure, as bars from zero labelled with their counts. Each stage is
//! counted by its own date, so the bars are not a conversion rate and no share of the
//! referred is drawn. The short form (for trustees) keeps referred, started, finished and
//! answered both questionnaires.

use super::Chart;
use super::pen::{Dash, Pen, Scale, Type, draw};
use super::theme::{BLUE, GRID, INK, MUTED, SMALL, TEXT, WIDTH};
use crate::model::*;
use crate::render::RenderError;
use crate::render::format;
use crate::render::view::{Ctx, TableBuilder};

pub fn funnel(ctx: &Ctx, id: &str, flow: &Flow, short: bool) -> Result<Chart, RenderError> {
    let w = ctx.w;
    let primary = ctx
        .m
        .meta
        .primary_outcome
        .clone()
        .or_else(|| ctx.m.meta.measures.first().map(|m| m.id.clone()));
    let paired = primary
        .as_ref()
        .and_then(|p| flow.paired.iter().find(|x| &x.measure == p))
        .map(|x| x.count);
    let mut stages: Vec<(String, Count)> = if short {
        vec![
            (w.get("flow.referred"), flow.referred),
            (w.get("flow.started"), flow.started),
            (w.get("flow.finished"), flow.discharged),
        ]
    } else {
        vec![
            (w.get("flow.referred"), flow.referred),
            (w.get("flow.started"), flow.started),
            (w.get("flow.baseline_assessed"), flow.baseline_assessed),
            (w.get("flow.discharged"), flow.discharged),
            (w.get("flow.completed"), flow.completed),
        ]
    };
    if let (Some(p), Some(n)) = (&primary, paired) {
        let key = if short {
            "flow.paired_short"
        } else {
            "flow.paired"
        };
        stages.push((w.fill(key, &[("measure", &ctx.label(p))]), n));
    }
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
    let title = w.fill(
        if short {
            "chart.flow_title_short"
        } else {
            "chart.flow_title"
        },
        &[("period", ctx.period())],
    );
    Chart::new(id, title, desc, svg, t.finish(), notes)
}
