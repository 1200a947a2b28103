//! Quarter on quarter: referrals and starts in each of the last eight quarters, and below
//! them the mean change on the primary measure of the pairs completed in each quarter,
//! with its 95% interval.

use super::Chart;
use super::pen::{Dash, Marker, Pen, Scale, Type, count_ticks, draw, step_decimals, ticks};
use super::theme::{BLUE, GRID, MUTED, SMALL, VERMILLION, WIDTH, ZERO};
use crate::RenderError;
use crate::doc::{Ctx, Table, TableBuilder};
use crate::format;
use sprout_model::*;

const HEIGHT: u32 = 496;
const LEFT: i32 = 64;
const RIGHT: i32 = WIDTH as i32 - 110;
const TOP1: i32 = 40;
const BOTTOM1: i32 = 200;
const TOP2: i32 = 262;
const BOTTOM2: i32 = 410;

pub fn trend(ctx: &Ctx, id: &str, trend: &Trend) -> Result<Chart, RenderError> {
    let w = ctx.w;
    let measure = trend
        .measure
        .as_deref()
        .map(|m| ctx.label(m))
        .unwrap_or_default();
    let referred = w.get("chart.trend_referred");
    let started = w.get("chart.trend_started");

    let svg = draw(WIDTH, HEIGHT, |pen: &Pen| {
        counts_panel(pen, ctx, &trend.quarters, &referred, &started)?;
        change_panel(pen, ctx, &trend.quarters, &measure)
    })?;

    let (table, desc, notes) = data(ctx, id, trend, &measure, &referred, &started);
    Chart::new(
        id,
        super::titles::trend(ctx, trend),
        desc,
        svg,
        table,
        notes,
    )
}

/// The centre of quarter `i` of `qs` on the x axis.
fn x_at(qs: &[TrendQuarter], i: usize) -> i32 {
    let slots = qs.len().max(1) as i32;
    LEFT + (RIGHT - LEFT) * (2 * i as i32 + 1) / (2 * slots)
}

/// Top panel: referrals and starts per quarter, lines broken at a hidden quarter.
fn counts_panel(
    pen: &Pen,
    ctx: &Ctx,
    qs: &[TrendQuarter],
    referred: &str,
    started: &str,
) -> Result<(), String> {
    let w = ctx.w;
    let x_at = |i: usize| x_at(qs, i);
    let counts: Vec<f64> = qs
        .iter()
        .flat_map(|q| [q.referred.value, q.started.value])
        .flatten()
        .map(|v| v as f64)
        .collect();
    let (ct, cstep) = count_ticks(counts.iter().copied().fold(1.0, f64::max), 4);
    let cy = Scale::new(0.0, ct.last().copied().unwrap_or(1.0), BOTTOM1, TOP1);
    pen.text(
        &w.get("chart.trend_counts_panel"),
        8,
        16,
        Type::new(SMALL).bold(),
    )?;
    for &t in &ct {
        pen.line(&[(LEFT, cy.at(t)), (RIGHT, cy.at(t))], GRID, 1, Dash::Solid)?;
        pen.text(
            &format::number(t, step_decimals(cstep)),
            LEFT - 6,
            cy.at(t),
            Type::new(SMALL).colour(MUTED).right(),
        )?;
    }
    pen.line(&[(LEFT, BOTTOM1), (RIGHT, BOTTOM1)], MUTED, 1, Dash::Solid)?;
    for (series, colour, marker, dash, label) in [
        (0, BLUE, Marker::Circle, Dash::Solid, referred),
        (1, VERMILLION, Marker::Triangle, Dash::Dashed, started),
    ] {
        let value = |q: &TrendQuarter| {
            if series == 0 {
                q.referred.value
            } else {
                q.started.value
            }
        };
        // Lines break at a hidden quarter rather than bridge it.
        let mut run: Vec<(i32, i32)> = Vec::new();
        let mut last = None;
        for (i, q) in qs.iter().enumerate() {
            match value(q) {
                Some(v) => {
                    run.push((x_at(i), cy.at(v as f64)));
                    last = Some((x_at(i), cy.at(v as f64)));
                }
                None => {
                    if run.len() > 1 {
                        pen.line(&run, colour, 2, dash)?;
                    }
                    run.clear();
                    pen.text(
                        format::SUPPRESSED,
                        x_at(i),
                        BOTTOM1 - 4,
                        Type::new(SMALL).colour(MUTED).centre().bottom(),
                    )?;
                }
            }
        }
        if run.len() > 1 {
            pen.line(&run, colour, 2, dash)?;
        }
        for (i, q) in qs.iter().enumerate() {
            if let Some(v) = value(q) {
                pen.marker(marker, x_at(i), cy.at(v as f64), 5, colour)?;
            }
        }
        if let Some((x, y)) = last {
            let y = if series == 0 { y - 8 } else { y + 8 };
            pen.marker(marker, x + 16, y, 4, colour)?;
            pen.text(label, x + 24, y, Type::new(SMALL))?;
        }
    }
    Ok(())
}

/// Bottom panel: the mean change of the pairs completed in each quarter, with its interval.
fn change_panel(pen: &Pen, ctx: &Ctx, qs: &[TrendQuarter], measure: &str) -> Result<(), String> {
    let w = ctx.w;
    let x_at = |i: usize| x_at(qs, i);
    let changes: Vec<f64> = qs
        .iter()
        .filter_map(|q| q.mean_change.value)
        .flat_map(|e| [Some(e.value), e.lower, e.upper])
        .flatten()
        .chain([0.0])
        .collect();
    let lo = changes.iter().copied().fold(0.0, f64::min);
    let hi = changes.iter().copied().fold(0.0, f64::max);
    let (mt, mstep) = ticks(lo, hi, 4);
    let my = Scale::new(
        mt.first().copied().unwrap_or(lo),
        mt.last().copied().unwrap_or(hi),
        BOTTOM2,
        TOP2,
    );
    pen.text(
        &w.fill("chart.trend_change_panel", &[("measure", measure)]),
        8,
        TOP2 - 26,
        Type::new(SMALL).bold(),
    )?;
    for &t in &mt {
        pen.line(&[(LEFT, my.at(t)), (RIGHT, my.at(t))], GRID, 1, Dash::Solid)?;
        pen.text(
            &format::number(t, step_decimals(mstep)),
            LEFT - 6,
            my.at(t),
            Type::new(SMALL).colour(MUTED).right(),
        )?;
    }
    pen.line(
        &[(LEFT, my.at(0.0)), (RIGHT, my.at(0.0))],
        ZERO,
        2,
        Dash::Solid,
    )?;
    pen.text(
        &w.get("chart.no_change"),
        RIGHT + 6,
        my.at(0.0),
        Type::new(SMALL).colour(MUTED),
    )?;
    for (i, q) in qs.iter().enumerate() {
        let x = x_at(i);
        match q.mean_change.value {
            Some(e) => {
                if let (Some(l), Some(u)) = (e.lower, e.upper) {
                    pen.whisker_v(x, my.at(l), my.at(u), BLUE, 1)?;
                }
                pen.marker(Marker::Square, x, my.at(e.value), 5, BLUE)?;
            }
            None if q.mean_change.n.is_suppressed() => {
                pen.text(
                    format::SUPPRESSED,
                    x,
                    my.at(0.0) - 4,
                    Type::new(SMALL).colour(MUTED).centre().bottom(),
                )?;
            }
            None => {}
        }
        // "2026/27 Q2" on two lines, so eight quarters fit.
        let (year, quarter) = q.label.rsplit_once(' ').unwrap_or((q.label.as_str(), ""));
        pen.text(year, x, BOTTOM2 + 8, Type::new(SMALL).centre().top())?;
        pen.text(quarter, x, BOTTOM2 + 24, Type::new(SMALL).centre().top())?;
        // The pairs each quarter's change rests on.
        pen.text(
            &ctx.w
                .fill("chart.n", &[("n", &format::count(&q.mean_change.n))]),
            x,
            BOTTOM2 + 40,
            Type::new(SMALL).colour(MUTED).centre().top(),
        )?;
    }
    pen.line(&[(LEFT, BOTTOM2), (RIGHT, BOTTOM2)], MUTED, 1, Dash::Solid)?;
    pen.text(
        &w.get("chart.trend_axis"),
        (LEFT + RIGHT) / 2,
        BOTTOM2 + 60,
        Type::new(SMALL).centre().top(),
    )?;
    Ok(())
}

/// The data behind the chart, its text alternative and its notes.
fn data(
    ctx: &Ctx,
    id: &str,
    trend: &Trend,
    measure: &str,
    referred: &str,
    started: &str,
) -> (Table, String, Vec<String>) {
    let w = ctx.w;
    let qs = &trend.quarters;
    let dp = trend.measure.as_deref().map_or(1, |m| ctx.dp(m));
    let mut t = TableBuilder::with_labels(
        ctx,
        &format!("{id}-data"),
        w.get("chart.trend_data_caption"),
        vec![
            (w.get("col.quarter"), false),
            (referred.to_owned(), true),
            (started.to_owned(), true),
            (w.get("col.pairs"), true),
            (w.fill("col.change_measure", &[("measure", measure)]), true),
        ],
    );
    let mut desc_rows = Vec::new();
    let mut hidden = false;
    for q in qs {
        let gone = q.mean_change.value.is_none() && q.mean_change.n.is_suppressed();
        hidden |= gone || q.referred.is_suppressed() || q.started.is_suppressed();
        t.row(vec![
            q.label.clone(),
            format::count(&q.referred),
            format::count(&q.started),
            format::count(&q.mean_change.n),
            if q.mean_change.n.value == Some(0) {
                w.get("cell.no_pairs")
            } else {
                ctx.estimate(q.mean_change.value.as_ref(), dp, true, gone)
            },
        ]);
        desc_rows.push(
            w.fill(
                "chart.trend_desc_row",
                &[
                    ("quarter", &q.label),
                    ("referred", &format::count(&q.referred)),
                    ("started", &format::count(&q.started)),
                    (
                        "change",
                        &q.mean_change
                            .value
                            .map_or_else(|| w.get("cell.none"), |e| format::signed(e.value, dp)),
                    ),
                ],
            ),
        );
    }
    let mut notes = Vec::new();
    if hidden {
        notes.push(ctx.suppressed_note());
    }
    // A point without whiskers: too few pairs for an interval.
    if qs
        .iter()
        .any(|q| q.mean_change.value.is_some_and(|e| e.lower.is_none()))
    {
        notes.push(w.get("chart.trend_no_interval"));
    }
    let desc = w.fill(
        "chart.trend_desc",
        &[("measure", measure), ("rows", &desc_rows.join("; "))],
    );
    (t.finish(), desc, notes)
}
