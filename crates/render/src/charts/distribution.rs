//! How many people changed by how much: the model's bins of change (already merged where
//! small), with the line of no change and the meaningful-change threshold marked.

use super::Chart;
use super::pen::{Dash, Pen, Scale, Type, draw, step_decimals, ticks};
use super::theme::{BLUE, GRID, INK, MUTED, SMALL, WIDTH, ZERO};
use crate::RenderError;
use crate::doc::{Ctx, Table, TableBuilder};
use crate::format;
use sprout_model::*;
use sprout_stats::Direction;

const HEIGHT: u32 = 320;
const LEFT: i32 = 64;
const RIGHT: i32 = WIDTH as i32 - 24;
const TOP: i32 = 58;
const BOTTOM: i32 = HEIGHT as i32 - 64;

pub fn distribution(ctx: &Ctx, id: &str, c: &OutcomeComparison) -> Result<Chart, RenderError> {
    let w = ctx.w;
    let measure = ctx.label(&c.measure);
    let bins: &[Bin] = c.result.as_ref().map_or(&[], |r| r.distribution.as_slice());
    let mcid = c.result.as_ref().and_then(|r| r.mcid);
    let lo = bins.first().map_or(-1.0, |b| b.lower);
    let hi = bins.last().map_or(1.0, |b| b.upper);
    let mut edges = vec![lo, hi, 0.0];
    if let Some(m) = mcid {
        edges.extend([m, -m]);
    }
    let x_lo = edges.iter().copied().fold(f64::INFINITY, f64::min);
    let x_hi = edges.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let x = Scale::new(x_lo, x_hi, LEFT + 8, RIGHT - 8);
    let top = bins
        .iter()
        .filter_map(|b| b.count.value)
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let (yt, ystep) = ticks(0.0, top, 4);
    let y = Scale::new(0.0, yt.last().copied().unwrap_or(top), BOTTOM, TOP);
    let (xt, xstep) = ticks(x_lo, x_hi, 8);
    let xdp = step_decimals(xstep);

    let svg = draw(WIDTH, HEIGHT, |pen: &Pen| {
        for &t in &yt {
            let py = y.at(t);
            pen.line(&[(LEFT, py), (RIGHT, py)], GRID, 1, Dash::Solid)?;
            pen.text(
                &format::number(t, step_decimals(ystep)),
                LEFT - 6,
                py,
                Type::new(SMALL).colour(MUTED).right(),
            )?;
        }
        bars(pen, bins, x, y)?;
        pen.line(&[(LEFT, BOTTOM), (RIGHT, BOTTOM)], MUTED, 1, Dash::Solid)?;
        for &t in &xt {
            if x.contains(t) {
                pen.text(
                    &format::number(t, xdp),
                    x.at(t),
                    BOTTOM + 8,
                    Type::new(SMALL).colour(MUTED).centre().top(),
                )?;
            }
        }
        reference_lines(pen, ctx, c, x)?;
        pen.text(
            &w.fill(
                "chart.distribution_axis",
                &[
                    ("measure", &measure),
                    ("from", &ctx.timepoint_in_text(&c.from)),
                    ("to", &ctx.timepoint_in_text(&c.to)),
                ],
            ),
            (LEFT + RIGHT) / 2,
            BOTTOM + 34,
            Type::new(SMALL).centre().top(),
        )?;
        pen.text(
            &w.get("chart.people"),
            8,
            TOP - 44,
            Type::new(SMALL).colour(MUTED),
        )?;
        if bins.is_empty() {
            pen.text(
                &w.get("chart.no_distribution"),
                (LEFT + RIGHT) / 2,
                (TOP + BOTTOM) / 2,
                Type::new(SMALL).colour(MUTED).centre(),
            )?;
        }
        Ok(())
    })?;

    let (table, desc, notes) = data(ctx, id, c, xdp);
    let title = super::titles::distribution(ctx, c);
    Chart::new(id, title, desc, svg, table, notes)
}

/// One bar per bin, its count above it where it fits; a hidden count is marked.
fn bars(pen: &Pen, bins: &[Bin], x: Scale, y: Scale) -> Result<(), String> {
    for b in bins {
        let (x0, x1) = (x.at(b.lower) + 1, x.at(b.upper) - 1);
        match b.count.value {
            Some(v) if v > 0 => {
                pen.rect(x0, y.at(v as f64), x1.max(x0 + 1), BOTTOM, BLUE)?;
                if x1 - x0 >= 18 {
                    pen.text(
                        &format::int(v),
                        (x0 + x1) / 2,
                        y.at(v as f64) - 3,
                        Type::new(SMALL).colour(INK).centre().bottom(),
                    )?;
                }
            }
            Some(_) => {}
            None => {
                pen.text(
                    format::SUPPRESSED,
                    (x0 + x1) / 2,
                    BOTTOM - 3,
                    Type::new(SMALL).colour(MUTED).centre().bottom(),
                )?;
            }
        }
    }
    Ok(())
}

/// The line of no change, and the meaningful change on the better side.
fn reference_lines(pen: &Pen, ctx: &Ctx, c: &OutcomeComparison, x: Scale) -> Result<(), String> {
    let w = ctx.w;
    let mcid = c.result.as_ref().and_then(|r| r.mcid);
    let lower_better = ctx
        .measure(&c.measure)
        .is_some_and(|m| m.better == Direction::LowerIsBetter);
    let better_side = if lower_better { -1.0 } else { 1.0 };
    let x0 = x.at(0.0);
    pen.line(&[(x0, TOP - 24), (x0, BOTTOM)], ZERO, 2, Dash::Solid)?;
    pen.text(
        &w.get("chart.no_change"),
        x0,
        TOP - 28,
        Type::new(SMALL).centre().bottom(),
    )?;
    if let Some(m) = mcid {
        let xm = x.at(better_side * m);
        pen.line(&[(xm, TOP - 24), (xm, BOTTOM)], INK, 1, Dash::Dashed)?;
        let label = w.fill(
            "chart.meaningful_line",
            &[("mcid", &format::number(m, ctx.dp(&c.measure)))],
        );
        let t = if better_side > 0.0 {
            Type::new(SMALL)
        } else {
            Type::new(SMALL).right()
        };
        let lx = if better_side > 0.0 { xm + 4 } else { xm - 4 };
        pen.text(&label, lx, TOP - 18, t)?;
    }
    Ok(())
}

/// The data behind the chart, its text alternative and its notes.
fn data(ctx: &Ctx, id: &str, c: &OutcomeComparison, xdp: usize) -> (Table, String, Vec<String>) {
    let w = ctx.w;
    let dp = ctx.dp(&c.measure);
    let measure = ctx.label(&c.measure);
    let bins: &[Bin] = c.result.as_ref().map_or(&[], |r| r.distribution.as_slice());
    let mcid = c.result.as_ref().and_then(|r| r.mcid);
    let hidden = bins.iter().any(|b| b.count.is_suppressed());
    let mut t = TableBuilder::with_labels(
        ctx,
        &format!("{id}-data"),
        w.fill(
            "chart.distribution_data_caption",
            &[("measure", &measure), ("period", ctx.period())],
        ),
        vec![
            (w.get("col.change_range"), false),
            (w.get("col.people"), true),
        ],
    );
    for b in bins {
        t.row(vec![
            w.fill(
                "chart.bin",
                &[
                    ("lower", &format::number(b.lower, dp.max(xdp))),
                    ("upper", &format::number(b.upper, dp.max(xdp))),
                ],
            ),
            format::count(&b.count),
        ]);
    }
    let mut notes = Vec::new();
    if hidden {
        notes.push(ctx.suppressed_note());
    }
    let result = c.result.as_ref();
    let share = |s: Option<&Share>| {
        s.and_then(format::share)
            .unwrap_or_else(|| w.get("cell.none"))
    };
    let desc = match result {
        Some(r) if !bins.is_empty() => w.fill(
            "chart.distribution_desc",
            &[
                ("measure", &measure),
                ("n", &format::count(&c.n)),
                (
                    "median",
                    &r.change
                        .median
                        .map_or_else(|| w.get("cell.not_computed"), |v| format::signed(v, dp)),
                ),
                ("better", &share(Some(&r.better))),
                ("improved", &share(r.improved.as_ref())),
                ("deteriorated", &share(r.deteriorated.as_ref())),
                (
                    "mcid",
                    &mcid.map_or_else(|| w.get("cell.none"), |m| format::number(m, dp)),
                ),
            ],
        ),
        _ => w.fill("chart.distribution_desc_empty", &[("measure", &measure)]),
    };
    if result.is_some() && bins.is_empty() {
        notes.push(w.get("chart.distribution_left_out"));
    }
    (t.finish(), desc, notes)
}
