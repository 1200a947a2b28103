//! How many people changed by how much: the model's bins of change (already merged where
//! small), laid outward from a bar of its own for no change, with the meaningful-change
//! threshold on a bin edge.

use super::Chart;
use super::pen::{Dash, Pen, Scale, Type, count_ticks, draw, step_decimals, ticks};
use super::theme::{BLUE, GRID, INK, LIGHT, MUTED, SMALL, WIDTH};
use crate::RenderError;
use crate::doc::{Ctx, Table, TableBuilder};
use crate::format;
use sprout_model::*;
use sprout_stats::Direction;

const HEIGHT: u32 = 260;
const LEFT: i32 = 64;
const RIGHT: i32 = WIDTH as i32 - 24;
const TOP: i32 = 48;
const BOTTOM: i32 = HEIGHT as i32 - 60;

/// The change axis. Where no change is the bin `[0, 0]` (changes that are not whole
/// numbers), the axis opens a gap of one bin's width at zero for its bar.
#[derive(Clone, Copy)]
struct Axis {
    scale: Scale,
    gap: f64,
}

impl Axis {
    fn at(&self, v: f64) -> i32 {
        let shift = if v > 0.0 {
            self.gap / 2.0
        } else if v < 0.0 {
            -self.gap / 2.0
        } else {
            0.0
        };
        self.scale.at(v + shift)
    }

    /// The pixels of a bin: no change spans the gap.
    fn span(&self, b: &Bin) -> (i32, i32) {
        if b.lower == 0.0 && b.upper == 0.0 {
            (
                self.scale.at(-self.gap / 2.0),
                self.scale.at(self.gap / 2.0),
            )
        } else if b.upper <= 0.0 {
            (self.at(b.lower), self.at(b.upper.min(-1e-12)))
        } else {
            (self.at(b.lower.max(1e-12)), self.at(b.upper))
        }
    }
}

fn is_no_change(b: &Bin) -> bool {
    b.lower <= 0.0 && b.upper >= 0.0 && (b.lower == b.upper || b.lower == -b.upper)
}

pub fn distribution(ctx: &Ctx, id: &str, c: &OutcomeComparison) -> Result<Chart, RenderError> {
    let w = ctx.w;
    let measure = ctx.label(&c.measure);
    let bins: &[Bin] = c.result.as_ref().map_or(&[], |r| r.distribution.as_slice());
    let mcid = c.result.as_ref().and_then(|r| r.mcid);
    let lo = bins.first().map_or(-1.0, |b| b.lower);
    let hi = bins.last().map_or(1.0, |b| b.upper);
    // A gap at zero of one (other) bin's width, where no change is the bin [0, 0].
    let gap = if bins.iter().any(|b| b.lower == 0.0 && b.upper == 0.0) {
        bins.iter()
            .map(|b| b.upper - b.lower)
            .filter(|d| *d > 0.0)
            .fold(f64::INFINITY, f64::min)
    } else {
        0.0
    };
    let gap = if gap.is_finite() { gap } else { 1.0 };
    let mut edges = vec![lo, hi, 0.0];
    if let Some(m) = mcid {
        edges.extend([m, -m]);
    }
    let x_lo = edges.iter().copied().fold(f64::INFINITY, f64::min);
    let x_hi = edges.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let x = Axis {
        scale: Scale::new(x_lo - gap / 2.0, x_hi + gap / 2.0, LEFT + 8, RIGHT - 8),
        gap,
    };
    let top = bins
        .iter()
        .filter_map(|b| b.count.value)
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let (yt, ystep) = count_ticks(top, 4);
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
        bars(pen, ctx, bins, x, y)?;
        pen.line(&[(LEFT, BOTTOM), (RIGHT, BOTTOM)], MUTED, 1, Dash::Solid)?;
        for &t in &xt {
            if x.scale.contains(t) {
                pen.text(
                    &format::number(t, xdp),
                    x.at(t),
                    BOTTOM + 8,
                    Type::new(SMALL).colour(MUTED).centre().top(),
                )?;
            }
        }
        threshold(pen, ctx, c, bins, x)?;
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
            BOTTOM + 32,
            Type::new(SMALL).centre().top(),
        )?;
        pen.text(
            &w.get("chart.people"),
            8,
            TOP - 40,
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

/// One bar per bin, its count above it where it fits; a hidden count is marked. The bar
/// of no change is grey and named above its count.
fn bars(pen: &Pen, ctx: &Ctx, bins: &[Bin], x: Axis, y: Scale) -> Result<(), String> {
    for b in bins {
        let (x0, x1) = x.span(b);
        let (x0, x1) = (x0 + 1, (x1 - 1).max(x0 + 2));
        let none = is_no_change(b);
        let colour = if none { LIGHT } else { BLUE };
        let mid = (x0 + x1) / 2;
        let mut label_y = BOTTOM - 3;
        match b.count.value {
            Some(v) => {
                if v > 0 {
                    pen.rect(x0, y.at(v as f64), x1, BOTTOM, colour)?;
                }
                label_y = y.at(v as f64) - 3;
                if x1 - x0 >= 16 || none {
                    pen.text(
                        &format::int(v),
                        mid,
                        label_y,
                        Type::new(SMALL).colour(INK).centre().bottom(),
                    )?;
                }
            }
            None => {
                pen.text(
                    format::SUPPRESSED,
                    mid,
                    label_y,
                    Type::new(SMALL).colour(MUTED).centre().bottom(),
                )?;
            }
        }
        if none {
            pen.text(
                &ctx.w.get("chart.no_change"),
                mid,
                label_y - 16,
                Type::new(SMALL).bold().centre().bottom(),
            )?;
        }
    }
    Ok(())
}

/// The meaningful change on the better side, on the bin edge where it falls.
fn threshold(
    pen: &Pen,
    ctx: &Ctx,
    c: &OutcomeComparison,
    bins: &[Bin],
    x: Axis,
) -> Result<(), String> {
    let Some(m) = c.result.as_ref().and_then(|r| r.mcid) else {
        return Ok(());
    };
    let lower_better = ctx
        .measure(&c.measure)
        .is_some_and(|m| m.better == Direction::LowerIsBetter);
    // The edge between the bins that reach the threshold and those that fall short:
    // the threshold itself, or half a point below it where changes are whole numbers.
    let edge = bins
        .iter()
        .map(|b| b.lower)
        .find(|e| *e > 0.0 && *e <= m + 1e-9 && *e >= m - 0.5 - 1e-9)
        .unwrap_or(m);
    let (xm, right) = if lower_better {
        (x.at(-edge), false)
    } else {
        (x.at(edge), true)
    };
    pen.line(&[(xm, TOP - 22), (xm, BOTTOM)], INK, 1, Dash::Dashed)?;
    let label = ctx.w.fill(
        "chart.meaningful_line",
        &[("mcid", &format::number(m, ctx.dp(&c.measure)))],
    );
    let (t, lx) = if right {
        (Type::new(SMALL), xm + 4)
    } else {
        (Type::new(SMALL).right(), xm - 4)
    };
    pen.text(&label, lx, TOP - 16, t)
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
            bin_label(ctx, b, dp.max(xdp)),
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

/// A bin in words: "No change", "+1 to +3" (whole numbers), "+0.25 to under +0.50",
/// "over −0.50 to −0.25".
fn bin_label(ctx: &Ctx, b: &Bin, dp: usize) -> String {
    let w = ctx.w;
    if is_no_change(b) {
        return w.get("chart.no_change");
    }
    let half = |v: f64| (v.abs().fract() - 0.5).abs() < 1e-9;
    if half(b.lower) && half(b.upper) {
        // Whole numbers between half-point edges.
        let (a, z) = ((b.lower + 0.5).round(), (b.upper - 0.5).round());
        return if a == z {
            format::signed(a, 0)
        } else {
            w.fill(
                "chart.bin",
                &[
                    ("lower", &format::signed(a, 0)),
                    ("upper", &format::signed(z, 0)),
                ],
            )
        };
    }
    let key = if b.upper > 0.0 {
        "chart.bin_up"
    } else {
        "chart.bin_down"
    };
    w.fill(
        key,
        &[
            ("lower", &format::signed(b.lower, dp)),
            ("upper", &format::signed(b.upper, dp)),
        ],
    )
}
