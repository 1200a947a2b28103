//! Phase trajectory as small multiples: one panel for everyone assessed at every
//! timepoint and one for each cohort of one dimension, on a shared scale, each with its
//! mean at each timepoint, its 95% interval as a band, its n, and (in a cohort's panel)
//! everyone's line in grey for reference.

use super::Chart;
use super::pen::{Dash, Pen, Scale, Type, draw, step_decimals, ticks};
use super::theme::{self, GRID, LIGHT, MUTED, SMALL, TEXT, WIDTH};
use crate::RenderError;
use crate::doc::{Ctx, Table, TableBuilder};
use crate::format;
use sprout_model::*;

/// Room for the value axis at the left of each row of panels.
const LEFT: i32 = 52;
const RIGHT: i32 = WIDTH as i32 - 8;
const GAP: i32 = 14;
/// Panels per row.
const PER_ROW: usize = 4;
/// A panel: its title, its plot, and two staggered lines of timepoint labels.
const TITLE_H: i32 = 42;
const PLOT_H: i32 = 110;
const LABELS_H: i32 = 40;
const PANEL_H: i32 = TITLE_H + PLOT_H + LABELS_H;
const AXIS_TITLE_H: i32 = 28;

struct Line<'a> {
    label: String,
    n: Count,
    points: &'a [TrajectoryPoint],
    style: theme::Series,
}

/// Where a panel sits and how its timepoints fall.
#[derive(Clone, Copy)]
struct Panel {
    left: i32,
    width: i32,
    top: i32,
    slots: usize,
}

impl Panel {
    fn at(i: usize, n: usize, slots: usize) -> Self {
        let cols = n.min(PER_ROW) as i32;
        let width = (RIGHT - LEFT - GAP * (cols - 1)) / cols;
        let (row, col) = ((i / PER_ROW) as i32, (i % PER_ROW) as i32);
        Self {
            left: LEFT + col * (width + GAP),
            width,
            top: row * PANEL_H,
            slots: slots.max(2),
        }
    }

    fn plot_top(&self) -> i32 {
        self.top + TITLE_H
    }

    fn bottom(&self) -> i32 {
        self.top + TITLE_H + PLOT_H
    }

    /// The x of timepoint `i`.
    fn x(&self, i: usize) -> i32 {
        let inner = self.width - 24;
        self.left + 12 + (inner as usize * i / (self.slots - 1)) as i32
    }
}

pub fn trajectory(ctx: &Ctx, id: &str, tr: &Trajectory) -> Result<Chart, RenderError> {
    let w = ctx.w;
    let measure = ctx.label(&tr.measure);
    let lines = lines(ctx, tr);
    // A cohort with fewer people than the minimum gets no panel; the data lists it.
    let few = |l: &Line| l.n.value.is_some_and(|n| (n as usize) < ctx.min_n());
    let drawn: Vec<&Line> = lines
        .iter()
        .enumerate()
        .filter(|(i, l)| *i == 0 || !few(l))
        .map(|(_, l)| l)
        .collect();
    let tps: Vec<String> = tr
        .points
        .iter()
        .map(|p| ctx.timepoint(&p.timepoint))
        .collect();
    let values: Vec<f64> = drawn
        .iter()
        .flat_map(|l| l.points.iter())
        .filter_map(|p| p.mean)
        .flat_map(|e| [Some(e.value), e.lower, e.upper])
        .flatten()
        .collect();
    let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let (lo, hi) = if lo.is_finite() { (lo, hi) } else { (0.0, 1.0) };
    let (yt, ystep) = ticks(lo, hi, 4);
    let (ylo, yhi) = (
        yt.first().copied().unwrap_or(lo),
        yt.last().copied().unwrap_or(hi),
    );
    let rows = drawn.len().div_ceil(PER_ROW) as i32;
    let height = (rows * PANEL_H + AXIS_TITLE_H) as u32;

    let svg = draw(WIDTH, height, |pen: &Pen| {
        for (i, l) in drawn.iter().enumerate() {
            let panel = Panel::at(i, drawn.len(), tps.len());
            let y = Scale::new(ylo, yhi, panel.bottom(), panel.plot_top());
            frame(pen, ctx, &panel, y, &tps, &yt, ystep, i % PER_ROW == 0, l)?;
            if i > 0 {
                // Everyone, for reference: grey, thin, no band.
                series(pen, &panel, y, drawn[0], LIGHT, false)?;
            }
            band(pen, &panel, y, l)?;
            series(pen, &panel, y, l, l.style.colour, true)?;
        }
        pen.text(
            &w.fill("chart.trajectory_axis", &[("measure", &measure)]),
            (LEFT + RIGHT) / 2,
            rows * PANEL_H + 6,
            Type::new(SMALL).centre().top(),
        )?;
        Ok(())
    })?;

    let dimension = tr.by_cohort.first();
    let by = dimension.map_or_else(String::new, |d| {
        w.fill(
            "chart.trajectory_by",
            &[("dimension", &crate::words::in_sentence(&d.dimension_label))],
        )
    });
    let (table, desc, mut notes) = data(ctx, id, tr, &lines, &tps, &by);
    if drawn.len() > 1 {
        notes.insert(0, w.get("chart.trajectory_panels_note"));
    }
    let left_out: Vec<String> = lines
        .iter()
        .skip(1)
        .filter(|l| few(l))
        .map(|l| l.label.clone())
        .collect();
    if !left_out.is_empty() {
        notes.push(w.fill(
            "chart.trajectory_few_note",
            &[
                ("min_n", &ctx.min_n().to_string()),
                ("cohorts", &crate::words::and_list(&left_out)),
            ],
        ));
    }
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

/// A panel's title with its n, gridlines, the value axis (first panel of a row) and the
/// timepoints, staggered over two lines so that long names do not collide.
#[allow(clippy::too_many_arguments)]
fn frame(
    pen: &Pen,
    ctx: &Ctx,
    panel: &Panel,
    y: Scale,
    tps: &[String],
    yt: &[f64],
    ystep: f64,
    first_in_row: bool,
    line: &Line,
) -> Result<(), String> {
    let (left, right) = (panel.left, panel.left + panel.width);
    let t = Type::new(TEXT).bold();
    pen.text(
        &pen.fit(&line.label, panel.width, t),
        left,
        panel.top + 10,
        t,
    )?;
    pen.text(
        &ctx.w.fill("chart.n", &[("n", &format::count(&line.n))]),
        left,
        panel.top + 28,
        Type::new(SMALL).colour(MUTED),
    )?;
    for &v in yt {
        let py = y.at(v);
        pen.line(&[(left, py), (right, py)], GRID, 1, Dash::Solid)?;
        if first_in_row {
            pen.text(
                &format::number(v, step_decimals(ystep)),
                left - 6,
                py,
                Type::new(SMALL).colour(MUTED).right(),
            )?;
        }
    }
    let bottom = panel.bottom();
    pen.line(&[(left, bottom), (right, bottom)], MUTED, 1, Dash::Solid)?;
    let spacing = if tps.len() > 1 {
        panel.x(1) - panel.x(0)
    } else {
        panel.width
    };
    let last = tps.len().saturating_sub(1);
    for (i, tp) in tps.iter().enumerate() {
        let small = Type::new(SMALL).top();
        // The ends align to the panel's edges; the rest are centred on their point.
        let (x, ty, room) = if i == 0 {
            (left, small, 2 * spacing)
        } else if i == last {
            (right, small.right(), 2 * spacing)
        } else {
            (panel.x(i), small.centre(), 2 * spacing - 8)
        };
        let dy = if i % 2 == 1 { 18 } else { 4 };
        pen.text(&pen.fit(tp, room, ty), x, bottom + dy, ty)?;
    }
    Ok(())
}

/// A line's 95% interval as a band, where every timepoint has one.
fn band(pen: &Pen, panel: &Panel, y: Scale, l: &Line) -> Result<(), String> {
    let upper: Vec<(i32, i32)> = l
        .points
        .iter()
        .enumerate()
        .filter_map(|(i, p)| p.mean.and_then(|e| e.upper).map(|u| (panel.x(i), y.at(u))))
        .collect();
    let lower: Vec<(i32, i32)> = l
        .points
        .iter()
        .enumerate()
        .rev()
        .filter_map(|(i, p)| p.mean.and_then(|e| e.lower).map(|u| (panel.x(i), y.at(u))))
        .collect();
    if upper.len() == l.points.len() && upper.len() > 1 {
        let band: Vec<(i32, i32)> = upper.into_iter().chain(lower).collect();
        pen.polygon(&band, l.style.colour, 0.16)?;
    }
    Ok(())
}

/// A complete line, in its own style with its markers, or as a plain grey reference.
fn series(
    pen: &Pen,
    panel: &Panel,
    y: Scale,
    l: &Line,
    colour: theme::Colour,
    styled: bool,
) -> Result<(), String> {
    let pts: Vec<(i32, i32)> = l
        .points
        .iter()
        .enumerate()
        .filter_map(|(i, p)| p.mean.map(|e| (panel.x(i), y.at(e.value))))
        .collect();
    if pts.len() != l.points.len() || pts.is_empty() {
        return Ok(());
    }
    if !styled {
        return pen.line(&pts, colour, 2, Dash::Solid);
    }
    pen.line(&pts, colour, 2, l.style.dash)?;
    for &(px, py) in &pts {
        pen.marker(l.style.marker, px, py, 5, colour)?;
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
