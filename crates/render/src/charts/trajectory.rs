//! Phase trajectory: the mean at each timepoint with its 95% interval as a band, for
//! everyone assessed at every timepoint and for each cohort of one dimension, each line
//! labelled at its end.

use super::Chart;
use super::pen::{Dash, Pen, Scale, Type, draw, step_decimals, ticks};
use super::theme::{self, GRID, MUTED, SMALL, TEXT, WIDTH};
use crate::RenderError;
use crate::doc::{Ctx, Table, TableBuilder};
use crate::format;
use sprout_model::*;

const HEIGHT: u32 = 330;
const LEFT: i32 = 64;
const RIGHT: i32 = WIDTH as i32 - 170;
const TOP: i32 = 24;
const BOTTOM: i32 = HEIGHT as i32 - 56;

struct Line<'a> {
    label: String,
    n: Count,
    points: &'a [TrajectoryPoint],
    style: theme::Series,
}

/// Where the timepoints and values fall.
struct Plot {
    y: Scale,
    slots: usize,
}

impl Plot {
    /// The x of timepoint `i`.
    fn x(&self, i: usize) -> i32 {
        LEFT + 40 + ((RIGHT - LEFT - 80) as usize * i / (self.slots - 1)) as i32
    }
}

pub fn trajectory(ctx: &Ctx, id: &str, tr: &Trajectory) -> Result<Chart, RenderError> {
    let w = ctx.w;
    let measure = ctx.label(&tr.measure);
    let lines = lines(ctx, tr);
    let tps: Vec<String> = tr
        .points
        .iter()
        .map(|p| ctx.timepoint(&p.timepoint))
        .collect();
    let values: Vec<f64> = lines
        .iter()
        .flat_map(|l| l.points.iter())
        .filter_map(|p| p.mean)
        .flat_map(|e| [Some(e.value), e.lower, e.upper])
        .flatten()
        .collect();
    let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let (lo, hi) = if lo.is_finite() { (lo, hi) } else { (0.0, 1.0) };
    let (yt, ystep) = ticks(lo, hi, 5);
    let plot = Plot {
        y: Scale::new(
            yt.first().copied().unwrap_or(lo),
            yt.last().copied().unwrap_or(hi),
            BOTTOM,
            TOP,
        ),
        slots: tps.len().max(2),
    };

    let svg = draw(WIDTH, HEIGHT, |pen: &Pen| {
        axes(pen, ctx, &plot, &tps, &yt, ystep, &measure)?;
        // Bands first, lines over them.
        bands(pen, &plot, &lines)?;
        series(pen, &plot, &lines)
    })?;

    let dimension = tr.by_cohort.first();
    let by = dimension.map_or_else(String::new, |d| {
        w.fill(
            "chart.trajectory_by",
            &[("dimension", &crate::words::in_sentence(&d.dimension_label))],
        )
    });
    let (table, desc, notes) = data(ctx, id, tr, &lines, &tps, &by);
    let title = super::titles::trajectory(ctx, tr, &by);
    Chart::new(id, title, desc, svg, table, notes)
}

/// Everyone assessed at every timepoint, then each cohort of the first dimension.
fn lines<'a>(ctx: &Ctx, tr: &'a Trajectory) -> Vec<Line<'a>> {
    let w = ctx.w;
    let mut lines = vec![Line {
        label: w.get("chart.all_people"),
        n: tr.n,
        points: &tr.points,
        style: theme::OVERALL,
    }];
    if let Some(d) = tr.by_cohort.first() {
        for (i, c) in d.cohorts.iter().enumerate() {
            lines.push(Line {
                label: c.label.clone(),
                n: c.n,
                points: &c.points,
                style: theme::series(i),
            });
        }
    }
    lines
}

/// Gridlines, the value axis, the timepoints and the axis title.
fn axes(
    pen: &Pen,
    ctx: &Ctx,
    plot: &Plot,
    tps: &[String],
    yt: &[f64],
    ystep: f64,
    measure: &str,
) -> Result<(), String> {
    let (y, slots) = (plot.y, plot.slots);
    for &t in yt {
        let py = y.at(t);
        pen.line(&[(LEFT, py), (RIGHT, py)], GRID, 1, Dash::Solid)?;
        pen.text(
            &format::number(t, step_decimals(ystep)),
            LEFT - 6,
            py,
            Type::new(SMALL).colour(MUTED).right(),
        )?;
    }
    pen.line(&[(LEFT, BOTTOM), (RIGHT, BOTTOM)], MUTED, 1, Dash::Solid)?;
    for (i, tp) in tps.iter().enumerate() {
        pen.text(
            &pen.fit(tp, (RIGHT - LEFT) / slots as i32, Type::new(SMALL)),
            plot.x(i),
            BOTTOM + 8,
            Type::new(SMALL).centre().top(),
        )?;
    }
    pen.text(
        &ctx.w.fill("chart.trajectory_axis", &[("measure", measure)]),
        (LEFT + RIGHT) / 2,
        BOTTOM + 32,
        Type::new(SMALL).centre().top(),
    )?;
    Ok(())
}

/// Each line's 95% interval as a band, where every timepoint has one.
fn bands(pen: &Pen, plot: &Plot, lines: &[Line]) -> Result<(), String> {
    let (x_at, y) = (|i: usize| plot.x(i), plot.y);
    for l in lines {
        let upper: Vec<(i32, i32)> = l
            .points
            .iter()
            .enumerate()
            .filter_map(|(i, p)| p.mean.and_then(|e| e.upper).map(|u| (x_at(i), y.at(u))))
            .collect();
        let lower: Vec<(i32, i32)> = l
            .points
            .iter()
            .enumerate()
            .rev()
            .filter_map(|(i, p)| p.mean.and_then(|e| e.lower).map(|u| (x_at(i), y.at(u))))
            .collect();
        if upper.len() == l.points.len() && upper.len() > 1 {
            let band: Vec<(i32, i32)> = upper.into_iter().chain(lower).collect();
            pen.polygon(&band, l.style.colour, 0.12)?;
        }
    }
    Ok(())
}

/// Each complete line with its markers, then its label at its end.
fn series(pen: &Pen, plot: &Plot, lines: &[Line]) -> Result<(), String> {
    let (x_at, y) = (|i: usize| plot.x(i), plot.y);
    let mut end_labels: Vec<(i32, String, theme::Series)> = Vec::new();
    for l in lines {
        let pts: Vec<(i32, i32)> = l
            .points
            .iter()
            .enumerate()
            .filter_map(|(i, p)| p.mean.map(|e| (x_at(i), y.at(e.value))))
            .collect();
        if pts.len() == l.points.len() && !pts.is_empty() {
            let width = if l.style.colour == theme::BLACK { 3 } else { 2 };
            pen.line(&pts, l.style.colour, width, l.style.dash)?;
            for &(px, py) in &pts {
                pen.marker(l.style.marker, px, py, 5, l.style.colour)?;
            }
            if let Some(&(_, py)) = pts.last() {
                end_labels.push((py, l.label.clone(), l.style));
            }
        }
    }
    // End labels, nudged apart.
    end_labels.sort_by_key(|e| e.0);
    let mut last = i32::MIN;
    for (py, label, style) in end_labels {
        let py = py.max(last + 18);
        last = py;
        // A key in the line's own style, the words in ink (coloured text would fail
        // contrast on white for several of the palette's colours).
        pen.line(
            &[(RIGHT + 8, py), (RIGHT + 30, py)],
            style.colour,
            2,
            style.dash,
        )?;
        pen.marker(style.marker, RIGHT + 19, py, 4, style.colour)?;
        let t = Type::new(TEXT);
        pen.text(
            &pen.fit(&label, WIDTH as i32 - RIGHT - 40, t),
            RIGHT + 36,
            py,
            t,
        )?;
    }
    Ok(())
}

/// The data behind the chart, its text alternative and its notes.
fn data(
    ctx: &Ctx,
    id: &str,
    tr: &Trajectory,
    lines: &[Line],
    tps: &[String],
    by: &str,
) -> (Table, String, Vec<String>) {
    let w = ctx.w;
    let dp = ctx.dp(&tr.measure);
    let measure = ctx.label(&tr.measure);
    let mut columns = vec![(w.get("col.group"), false), (w.get("col.n"), true)];
    columns.extend(
        tps.iter()
            .map(|t| (w.fill("col.mean_at", &[("timepoint", t)]), true)),
    );
    let mut t = TableBuilder::with_labels(
        ctx,
        &format!("{id}-data"),
        w.fill("chart.trajectory_data_caption", &[("measure", &measure)]),
        columns,
    );
    let mut desc_rows = Vec::new();
    let mut any_hidden = false;
    for (i, l) in lines.iter().enumerate() {
        let hidden = l.n.is_suppressed() && l.points.iter().all(|p| p.mean.is_none());
        any_hidden |= hidden;
        let mut cells = vec![l.label.clone(), format::count(&l.n)];
        cells.extend(
            l.points
                .iter()
                .map(|p| ctx.estimate(p.mean.as_ref(), dp, false, hidden)),
        );
        if i == 0 {
            t.total(cells)
        } else {
            t.row(cells)
        };
        let means: Vec<String> = l
            .points
            .iter()
            .zip(tps)
            .filter_map(|(p, tp)| {
                p.mean.map(|e| {
                    format!(
                        "{} {}",
                        format::number(e.value, dp),
                        crate::words::in_sentence(tp)
                    )
                })
            })
            .collect();
        desc_rows.push(if means.is_empty() {
            w.fill("chart.desc_row_hidden", &[("group", &l.label)])
        } else {
            w.fill(
                "chart.trajectory_desc_row",
                &[
                    ("group", &l.label),
                    ("n", &format::count(&l.n)),
                    ("means", &means.join(", ")),
                ],
            )
        });
    }
    let mut notes = Vec::new();
    if any_hidden {
        notes.push(ctx.suppressed_note());
    }
    let desc = w.fill(
        "chart.trajectory_desc",
        &[
            ("measure", &measure),
            ("by", by),
            ("rows", &desc_rows.join(" ")),
        ],
    );
    (t.finish(), desc, notes)
}
