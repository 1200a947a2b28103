//! The average change on a measure's whole scale, for readers who are not statisticians:
//! the scale from its lowest to its highest score, where people started on average, where
//! they ended, and the 95% interval of the change laid around the end (the start plus
//! the change's interval). The change's own interval, not two intervals for the two ends,
//! because the same people answered at both.

use super::Chart;
use super::pen::{Dash, Marker, Pen, Scale, Type, draw, step_decimals, ticks};
use super::theme::{BLUE, GRID, INK, MUTED, SMALL, TEXT, VERMILLION, WIDTH};
use crate::RenderError;
use crate::doc::{Ctx, TableBuilder};
use crate::format;
use sprout_model::*;
use sprout_stats::Direction;

const HEIGHT: u32 = 150;
const LEFT: i32 = 40;
const RIGHT: i32 = WIDTH as i32 - 40;
/// The line of the scale.
const Y: i32 = 78;

pub fn change_on_scale(ctx: &Ctx, id: &str, c: &OutcomeComparison) -> Result<Chart, RenderError> {
    let w = ctx.w;
    let dp = ctx.dp(&c.measure);
    let measure = ctx.label(&c.measure);
    let (min, max, better) = ctx.measure(&c.measure).map_or((0.0, 1.0, true), |m| {
        (m.min, m.max, m.better == Direction::HigherIsBetter)
    });
    let x = Scale::new(min, max, LEFT, RIGHT);
    let r = c.result.as_ref();
    let from = r.map(|r| r.from_mean.value);
    let change = r.and_then(|r| r.mean_change);
    let (from_label, to_label) = (ctx.timepoint(&c.from), ctx.timepoint(&c.to));

    let svg = draw(WIDTH, HEIGHT, |pen: &Pen| {
        scale_line(pen, ctx, x, (min, max), better, dp)?;
        match (from, change) {
            (Some(f), Some(d)) => movement(pen, ctx, x, f, d, (&from_label, &to_label), dp),
            _ => Ok(()),
        }
    })?;

    let mut t = TableBuilder::with_labels(
        ctx,
        &format!("{id}-data"),
        w.fill(
            "chart.scale_data_caption",
            &[("measure", &measure), ("period", ctx.period())],
        ),
        vec![
            (w.get("col.measure"), false),
            (w.get("col.n"), true),
            (w.fill("col.mean_at", &[("timepoint", &from_label)]), true),
            (w.fill("col.mean_at", &[("timepoint", &to_label)]), true),
            (w.get("col.change_ci"), true),
        ],
    );
    let hidden = r.is_none() && c.n.is_suppressed();
    t.total(vec![
        measure.clone(),
        format::count(&c.n),
        ctx.mean(r.map(|r| &r.from_mean), dp, hidden),
        ctx.mean(r.map(|r| &r.to_mean), dp, hidden),
        ctx.estimate(change.as_ref(), dp, true, hidden),
    ]);
    let scale_text = w.fill(
        "chart.scale_range",
        &[
            (
                "min",
                &format::number(min, if min.fract() == 0.0 { 0 } else { dp }),
            ),
            (
                "max",
                &format::number(max, if max.fract() == 0.0 { 0 } else { dp }),
            ),
        ],
    );
    let title = super::titles::change_on_scale(ctx, c, &scale_text);
    let desc = w.fill(
        "chart.scale_desc",
        &[
            ("measure", &measure),
            ("scale", &scale_text),
            ("change", &ctx.estimate(change.as_ref(), dp, true, hidden)),
        ],
    );
    let notes = vec![w.get("chart.scale_note")];
    Chart::new(id, title, desc, svg, t.finish(), notes)
}

/// The whole scale, its ticks (and its own ends where they are not round) and which end
/// is better.
fn scale_line(
    pen: &Pen,
    ctx: &Ctx,
    x: Scale,
    (min, max): (f64, f64),
    better: bool,
    dp: usize,
) -> Result<(), String> {
    let w = ctx.w;
    let (xt, step) = ticks(min, max, 7);
    // The whole scale, its ticks and which end is better.
    pen.line(&[(LEFT, Y), (RIGHT, Y)], GRID, 8, Dash::Solid)?;
    // The ticks, and the scale's own ends where they are not round.
    let mut marks: Vec<f64> = xt.iter().copied().filter(|t| x.contains(*t)).collect();
    for end in [min, max] {
        if !marks.iter().any(|m| (m - end).abs() < step / 2.0) {
            marks.push(end);
        }
    }
    for &t in &marks {
        pen.line(
            &[(x.at(t), Y + 6), (x.at(t), Y + 10)],
            MUTED,
            1,
            Dash::Solid,
        )?;
        let dp = if t.fract() == 0.0 {
            0
        } else {
            step_decimals(step).max(dp)
        };
        pen.text(
            &format::number(t, dp),
            x.at(t),
            Y + 12,
            Type::new(SMALL).colour(MUTED).centre().top(),
        )?;
    }
    let ends = (w.get("chart.scale_worst"), w.get("chart.scale_best"));
    let (left_end, right_end) = if better { ends } else { (ends.1, ends.0) };
    pen.text(&left_end, LEFT, Y + 34, Type::new(SMALL).colour(MUTED))?;
    pen.text(
        &right_end,
        RIGHT,
        Y + 34,
        Type::new(SMALL).colour(MUTED).right(),
    )?;
    Ok(())
}

/// The change's interval laid from the start, the move from start to end, and both
/// named above the scale, kept apart.
fn movement(
    pen: &Pen,
    ctx: &Ctx,
    x: Scale,
    f: f64,
    d: Estimate,
    (from_label, to_label): (&str, &str),
    dp: usize,
) -> Result<(), String> {
    let w = ctx.w;
    let to = f + d.value;
    // The change's interval around the end, then the move from start to end.
    if let (Some(l), Some(u)) = (d.lower, d.upper) {
        pen.whisker_h(x.at(f + l), x.at(f + u), Y - 18, BLUE, 2)?;
    }
    pen.line(&[(x.at(f), Y), (x.at(to), Y)], INK, 2, Dash::Solid)?;
    pen.marker(Marker::HollowCircle, x.at(f), Y, 7, VERMILLION)?;
    pen.marker(Marker::Circle, x.at(to), Y, 7, BLUE)?;
    // Start and end named above the scale, kept apart.
    let (fx, tx) = (x.at(f), x.at(to));
    let apart = (tx - fx).abs() >= 150;
    let start = w.fill(
        "chart.scale_point",
        &[("label", from_label), ("value", &format::number(f, dp))],
    );
    let end = w.fill(
        "chart.scale_point",
        &[("label", to_label), ("value", &format::number(to, dp))],
    );
    let t = Type::new(TEXT);
    if apart || tx >= fx {
        pen.text(&start, fx - 10, Y - 40, t.right().bottom())?;
        pen.text(&end, tx + 10, Y - 40, t.bottom())?;
    } else {
        pen.text(&start, fx + 10, Y - 40, t.bottom())?;
        pen.text(&end, tx - 10, Y - 40, t.right().bottom())?;
    }
    Ok(())
}
