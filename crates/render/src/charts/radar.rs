//! The Well-being Star as people know it: one spoke per area, the mean at the first
//! reading (dashed outline) and at the latest (filled), on the Star's own scale.

use super::Chart;
use super::pen::{Dash, Marker, Pen, Type, draw};
use super::theme::{BLUE, GRID, MUTED, SMALL, VERMILLION, WIDTH};
use crate::RenderError;
use crate::doc::{Ctx, Table, TableBuilder};
use crate::format;
use sprout_model::*;

const HEIGHT: u32 = 470;

/// The star's geometry: its centre, radius and scale, and how many spokes.
struct Star {
    cx: i32,
    cy: i32,
    radius: f64,
    min: f64,
    max: f64,
    k: usize,
}

impl Star {
    /// Where value `v` falls on spoke `i`.
    fn point(&self, i: usize, v: f64) -> (i32, i32) {
        let angle = std::f64::consts::TAU * i as f64 / self.k as f64 - std::f64::consts::FRAC_PI_2;
        let r = self.radius * ((v - self.min) / (self.max - self.min)).clamp(0.0, 1.2);
        (
            (f64::from(self.cx) + r * angle.cos()).round() as i32,
            (f64::from(self.cy) + r * angle.sin()).round() as i32,
        )
    }
}

/// `areas`: the main comparison of each Star area, in the Star's order.
pub fn radar(ctx: &Ctx, id: &str, areas: &[&OutcomeComparison]) -> Result<Chart, RenderError> {
    let w = ctx.w;
    let scale = areas.first().and_then(|a| ctx.measure(&a.measure));
    let star = Star {
        cx: WIDTH as i32 / 2,
        cy: 235,
        radius: 160.0,
        min: scale.map_or(1.0, |m| m.min),
        max: scale.map_or(10.0, |m| m.max),
        k: areas.len().max(3),
    };
    let first = ctx.timepoint_in_text(areas.first().map_or("", |a| a.from.as_str()));
    let latest = ctx.timepoint_in_text(areas.first().map_or("", |a| a.to.as_str()));
    let means = |f: fn(&PairedSummary) -> Estimate| -> Option<Vec<f64>> {
        areas
            .iter()
            .map(|a| a.result.as_ref().map(|r| f(r).value))
            .collect()
    };
    let from = means(|r| r.from_mean);
    let to = means(|r| r.to_mean);

    let svg = draw(WIDTH, HEIGHT, |pen: &Pen| {
        web(pen, ctx, &star, areas)?;
        let point = |i: usize, v: f64| star.point(i, v);
        if let Some(v) = &to {
            let pts: Vec<(i32, i32)> = v.iter().enumerate().map(|(i, v)| point(i, *v)).collect();
            pen.polygon(&pts, BLUE, 0.25)?;
            let mut closed = pts.clone();
            closed.push(pts[0]);
            pen.line(&closed, BLUE, 2, Dash::Solid)?;
            for (x, y) in pts {
                pen.marker(Marker::Circle, x, y, 4, BLUE)?;
            }
        }
        if let Some(v) = &from {
            let mut pts: Vec<(i32, i32)> =
                v.iter().enumerate().map(|(i, v)| point(i, *v)).collect();
            pts.push(pts[0]);
            pen.line(&pts, VERMILLION, 2, Dash::Dashed)?;
        }
        if from.is_none() {
            pen.text(
                &w.get("chart.star_hidden"),
                star.cx,
                HEIGHT as i32 - 14,
                Type::new(SMALL).colour(MUTED).centre(),
            )?;
        }
        legend(pen, &first, &latest)
    })?;

    let (table, desc, notes) = data(ctx, id, areas, star.max, &first, &latest);
    Chart::new(id, super::titles::star(ctx, areas), desc, svg, table, notes)
}

/// The rings of the scale with their values, and a labelled spoke per area.
fn web(pen: &Pen, ctx: &Ctx, star: &Star, areas: &[&OutcomeComparison]) -> Result<(), String> {
    let (cx, cy, min, max, k) = (star.cx, star.cy, star.min, star.max, star.k);
    let point = |i: usize, v: f64| star.point(i, v);
    let (rings, step) = super::pen::ticks(min, max, 5);
    let dp = super::pen::step_decimals(step);
    for v in rings.into_iter().filter(|v| *v > min && *v <= max) {
        let mut pts: Vec<(i32, i32)> = (0..k).map(|i| point(i, v)).collect();
        pts.push(pts[0]);
        pen.line(&pts, GRID, 1, Dash::Solid)?;
        // Scale values in the gap between the first two spokes.
        let (ax, ay) = point(0, v);
        let (bx, by) = point(1, v);
        pen.text(
            &format::number(v, dp),
            (ax + bx) / 2,
            (ay + by) / 2,
            Type::new(SMALL).colour(MUTED).centre(),
        )?;
    }
    for (i, a) in areas.iter().enumerate() {
        pen.line(&[(cx, cy), point(i, max)], GRID, 1, Dash::Solid)?;
        let (lx, ly) = point(i, max + (max - min) * 0.14);
        let ly = if ly < cy - 100 {
            ly - 6
        } else if ly > cy + 100 {
            ly + 6
        } else {
            ly
        };
        let t = if lx < cx - 10 {
            Type::new(SMALL).right()
        } else if lx > cx + 10 {
            Type::new(SMALL)
        } else {
            Type::new(SMALL).centre()
        };
        pen.text(&pen.fit(&area_label(ctx, &a.measure), 150, t), lx, ly, t)?;
    }
    Ok(())
}

/// The legend: the first reading dashed, the latest filled.
fn legend(pen: &Pen, first: &str, latest: &str) -> Result<(), String> {
    // Legend.
    let ly = 16;
    pen.line(&[(16, ly), (40, ly)], VERMILLION, 2, Dash::Dashed)?;
    pen.text(&crate::words::capitalise(first), 46, ly, Type::new(SMALL))?;
    let x2 = 60 + pen.width(first, Type::new(SMALL)) + 12;
    pen.rect(x2, ly - 6, x2 + 22, ly + 6, (0xbf, 0xdb, 0xec))?;
    pen.line(&[(x2, ly), (x2 + 22, ly)], BLUE, 2, Dash::Solid)?;
    pen.text(
        &crate::words::capitalise(latest),
        x2 + 28,
        ly,
        Type::new(SMALL),
    )?;
    Ok(())
}

/// The data behind the chart, its text alternative and its notes.
fn data(
    ctx: &Ctx,
    id: &str,
    areas: &[&OutcomeComparison],
    max: f64,
    first: &str,
    latest: &str,
) -> (Table, String, Vec<String>) {
    let w = ctx.w;
    let mut t = TableBuilder::with_labels(
        ctx,
        &format!("{id}-data"),
        w.fill("chart.star_data_caption", &[("period", ctx.period())]),
        vec![
            (w.get("col.area"), false),
            (w.get("col.n"), true),
            (w.fill("col.mean_at", &[("timepoint", first)]), true),
            (w.fill("col.mean_at", &[("timepoint", latest)]), true),
        ],
    );
    let mut desc_rows = Vec::new();
    for a in areas {
        let dp = ctx.dp(&a.measure);
        let hidden = a.result.is_none() && a.n.is_suppressed();
        t.row(vec![
            area_label(ctx, &a.measure),
            format::count(&a.n),
            ctx.estimate(a.result.as_ref().map(|r| &r.from_mean), dp, false, hidden),
            ctx.estimate(a.result.as_ref().map(|r| &r.to_mean), dp, false, hidden),
        ]);
        if let Some(r) = &a.result {
            desc_rows.push(format!(
                "{} {} to {}",
                area_label(ctx, &a.measure),
                format::number(r.from_mean.value, dp),
                format::number(r.to_mean.value, dp)
            ));
        }
    }
    let mut notes = Vec::new();
    if areas
        .iter()
        .any(|a| a.result.is_none() && a.n.is_suppressed())
    {
        notes.push(ctx.suppressed_note());
    }
    let desc = w.fill(
        "chart.star_desc",
        &[
            ("first", first),
            ("latest", latest),
            ("max", &format::number(max, 0)),
            ("rows", &desc_rows.join("; ")),
        ],
    );
    (t.finish(), desc, notes)
}

/// "Managing symptoms" rather than "Well-being Star: Managing symptoms".
fn area_label(ctx: &Ctx, id: &str) -> String {
    let l = ctx.label(id);
    l.rsplit_once(": ").map_or(l.clone(), |(_, a)| a.to_owned())
}
