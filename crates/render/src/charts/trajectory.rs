//! Phase trajectory: the mean at each timepoint with its 95% interval as a band, for
//! everyone assessed at every timepoint and for each cohort of one dimension, each line
//! labelled at its end.

use super::Chart;
use super::pen::{Dash, Pen, Scale, Type, draw, step_decimals, ticks};
use super::theme::{self, GRID, MUTED, SMALL, TEXT, WIDTH};
use crate::RenderError;
use crate::doc::{Ctx, TableBuilder};
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

pub fn trajectory(ctx: &Ctx, id: &str, tr: &Trajectory) -> Result<Chart, RenderError> {
    let w = ctx.w;
    let dp = ctx.dp(&tr.measure);
    let measure = ctx.label(&tr.measure);
    let mut lines = vec![Line {
        label: w.get("chart.all_people"),
        n: tr.n,
        points: &tr.points,
        style: theme::OVERALL,
    }];
    let dimension = tr.by_cohort.first();
    if let Some(d) = dimension {
        for (i, c) in d.cohorts.iter().enumerate() {
            lines.push(Line {
                label: c.label.clone(),
                n: c.n,
                points: &c.points,
                style: theme::series(i),
            });
        }
    }
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
    let y = Scale::new(
        yt.first().copied().unwrap_or(lo),
        yt.last().copied().unwrap_or(hi),
        BOTTOM,
        TOP,
    );
    let slots = tps.len().max(2);
    let x_at = |i: usize| LEFT + 40 + ((RIGHT - LEFT - 80) as usize * i / (slots - 1)) as i32;

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
        pen.line(&[(LEFT, BOTTOM), (RIGHT, BOTTOM)], MUTED, 1, Dash::Solid)?;
        for (i, tp) in tps.iter().enumerate() {
            pen.text(
                &pen.fit(tp, (RIGHT - LEFT) / slots as i32, Type::new(SMALL)),
                x_at(i),
                BOTTOM + 8,
                Type::new(SMALL).centre().top(),
            )?;
        }
        pen.text(
            &w.fill("chart.trajectory_axis", &[("measure", &measure)]),
            (LEFT + RIGHT) / 2,
            BOTTOM + 32,
            Type::new(SMALL).centre().top(),
        )?;
        // Bands first, lines over them.
        for l in &lines {
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
        let mut end_labels: Vec<(i32, String, theme::Series)> = Vec::new();
        for l in &lines {
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
    })?;

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
            .zip(&tps)
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
    let by = dimension.map_or_else(String::new, |d| {
        w.fill(
            "chart.trajectory_by",
            &[("dimension", &crate::words::in_sentence(&d.dimension_label))],
        )
    });
    let desc = w.fill(
        "chart.trajectory_desc",
        &[
            ("measure", &measure),
            ("by", &by),
            ("rows", &desc_rows.join(" ")),
        ],
    );
    let title = w.fill(
        "chart.trajectory_title",
        &[("measure", &measure), ("by", &by)],
    );
    Chart::new(id, title, desc, svg, t.finish(), notes)
}
