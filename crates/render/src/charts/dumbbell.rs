//! Baseline and discharge per measure: the two means joined by a line, each with its 95%
//! interval, overall and for each cohort of one dimension.

use super::Chart;
use super::pen::{Dash, Marker, Pen, Scale, Type, draw};
use super::rows::{Layout, RowLabel};
use super::theme::{BLUE, LIGHT, MUTED, SMALL, VERMILLION, WIDTH};
use crate::RenderError;
use crate::doc::{Ctx, Table, TableBuilder};
use crate::format;
use sprout_model::*;

struct Row {
    label: RowLabel,
    n: Count,
    from: Option<Estimate>,
    to: Option<Estimate>,
    change: Option<Estimate>,
    hidden: bool,
    /// Fewer pairs than the programme's minimum: its means are in the data, not drawn.
    too_few: bool,
}

/// The main comparison of one measure, and its cohorts by `cohorts` where given.
pub fn dumbbell(
    ctx: &Ctx,
    id: &str,
    c: &OutcomeComparison,
    cohorts: Option<&CohortComparison>,
) -> Result<Chart, RenderError> {
    let w = ctx.w;
    let dp = ctx.dp(&c.measure);
    let rows = rows(ctx, c, cohorts);
    let from_label = ctx.timepoint(&c.from);
    let to_label = ctx.timepoint(&c.to);
    let measure = ctx.label(&c.measure);
    let mut layout = Layout::new(rows.len(), 40, 70);
    layout.row_h = 32;
    let values: Vec<f64> = rows
        .iter()
        .filter(|r| !r.too_few)
        .flat_map(|r| [r.from, r.to])
        .flatten()
        .flat_map(|e| [Some(e.value), e.lower, e.upper])
        .flatten()
        .collect();
    let (scale, ticks, tick_dp) = layout.scale(&values, &[]);
    let labels: Vec<RowLabel> = rows.iter().map(|r| r.label.clone()).collect();
    let hidden_note = w.fill(
        "chart.hidden_row",
        &[(
            "threshold",
            &ctx.m.meta.disclosure.hidden_below.unwrap_or(1).to_string(),
        )],
    );
    let no_pairs = w.get("chart.no_pairs_row");
    let too_few = w.fill("chart.too_few_row", &[("min_n", &ctx.min_n().to_string())]);
    let better = better_text(ctx, &c.measure);

    let svg = draw(WIDTH, layout.height(), |pen: &Pen| {
        // Legend as direct labels above the plot.
        let y = 14;
        let x = layout.plot_left;
        pen.marker(Marker::HollowCircle, x + 6, y, 6, VERMILLION)?;
        pen.text(&from_label, x + 18, y, Type::new(SMALL))?;
        let x2 = x + 30 + pen.width(&from_label, Type::new(SMALL)) + 16;
        pen.marker(Marker::Circle, x2 + 6, y, 6, BLUE)?;
        pen.text(&to_label, x2 + 18, y, Type::new(SMALL))?;
        layout.axis(
            pen,
            &scale,
            &ticks,
            tick_dp,
            &w.fill(
                "chart.dumbbell_axis",
                &[("measure", &measure), ("better", &better.to_lowercase())],
            ),
        )?;
        layout.labels(pen, &labels)?;
        for (i, r) in rows.iter().enumerate() {
            if r.label.heading {
                continue;
            }
            if r.too_few {
                layout.gap(pen, i, &too_few)?;
                continue;
            }
            let (Some(f), Some(t)) = (r.from, r.to) else {
                layout.gap(pen, i, if r.hidden { &hidden_note } else { &no_pairs })?;
                continue;
            };
            pair(pen, &scale, layout.y(i), f, t, dp)?;
        }
        Ok(())
    })?;

    let (table, desc, notes) = data(ctx, id, c, &rows, &better);
    let title = super::titles::dumbbell(ctx, c);
    Chart::new(id, title, desc, svg, table, notes)
}

/// "Higher is better" or "lower is better", for the measure.
fn better_text(ctx: &Ctx, measure: &str) -> String {
    let w = ctx.w;
    match ctx.measure(measure).map(|m| m.better) {
        Some(sprout_stats::Direction::LowerIsBetter) => w.get("chart.lower_is_better"),
        _ => w.get("chart.higher_is_better"),
    }
}

/// The rows: everyone, then the dimension's heading and its cohorts.
fn rows(ctx: &Ctx, c: &OutcomeComparison, cohorts: Option<&CohortComparison>) -> Vec<Row> {
    let w = ctx.w;
    let n_text = |n: &Count| w.fill("chart.n", &[("n", &format::count(n))]);
    let mut rows = vec![Row {
        label: RowLabel {
            label: w.get("chart.all_people"),
            detail: n_text(&c.n),
            heading: false,
            bold: true,
        },
        n: c.n,
        from: c.result.as_ref().map(|r| r.from_mean),
        to: c.result.as_ref().map(|r| r.to_mean),
        change: c.result.as_ref().and_then(|r| r.mean_change),
        hidden: c.result.is_none() && c.n.is_suppressed(),
        too_few: false,
    }];
    if let Some(cc) = cohorts {
        rows.push(Row {
            label: RowLabel {
                label: cc.dimension_label.clone(),
                detail: String::new(),
                heading: true,
                bold: true,
            },
            n: Count::new(0),
            from: None,
            to: None,
            change: None,
            hidden: false,
            too_few: false,
        });
        for r in &cc.cohorts {
            let too_few = cc.below_minimum(r);
            rows.push(Row {
                label: RowLabel {
                    label: r.label.clone(),
                    detail: n_text(&r.n),
                    heading: false,
                    bold: false,
                },
                n: r.n,
                from: r.from_mean(),
                to: r.to_mean(),
                change: r.mean_change(),
                hidden: r.from_mean().is_none() && r.n.is_suppressed(),
                too_few,
            });
        }
    }

    rows
}

/// One row's two means joined by a line, each with its interval, and their values outside
/// the pair.
fn pair(
    pen: &Pen,
    scale: &Scale,
    y: i32,
    f: Estimate,
    t: Estimate,
    dp: usize,
) -> Result<(), String> {
    let (xf, xt) = (scale.at(f.value), scale.at(t.value));
    pen.line(&[(xf, y), (xt, y)], LIGHT, 4, Dash::Solid)?;
    if let (Some(l), Some(u)) = (f.lower, f.upper) {
        pen.whisker_h(scale.at(l), scale.at(u), y - 6, VERMILLION, 1)?;
    }
    if let (Some(l), Some(u)) = (t.lower, t.upper) {
        pen.whisker_h(scale.at(l), scale.at(u), y + 6, BLUE, 1)?;
    }
    pen.marker(Marker::HollowCircle, xf, y, 6, VERMILLION)?;
    pen.marker(Marker::Circle, xt, y, 6, BLUE)?;
    // Values beside the dots, outside the pair.
    let (left, right) = if xf <= xt { (f, t) } else { (t, f) };
    let left_end = scale
        .at(left.lower.unwrap_or(left.value))
        .min(scale.at(left.value))
        - 8;
    let right_end = scale
        .at(right.upper.unwrap_or(right.value))
        .max(scale.at(right.value))
        + 8;
    pen.text(
        &format::number(left.value, dp),
        left_end,
        y,
        Type::new(SMALL).colour(MUTED).right(),
    )?;
    pen.text(
        &format::number(right.value, dp),
        right_end,
        y,
        Type::new(SMALL).colour(MUTED),
    )?;
    Ok(())
}

/// The data behind the chart, its text alternative and its notes.
fn data(
    ctx: &Ctx,
    id: &str,
    c: &OutcomeComparison,
    rows: &[Row],
    better: &str,
) -> (Table, String, Vec<String>) {
    let w = ctx.w;
    let dp = ctx.dp(&c.measure);
    let measure = ctx.label(&c.measure);
    let (from_text, to_text) = (ctx.timepoint_in_text(&c.from), ctx.timepoint_in_text(&c.to));
    let mut notes = vec![ctx.w.get("chart.dumbbell_paired_note")];
    let mut t = TableBuilder::with_labels(
        ctx,
        &format!("{id}-data"),
        w.fill(
            "chart.data_caption",
            &[("title", &measure), ("period", ctx.period())],
        ),
        vec![
            (w.get("col.group"), false),
            (w.get("col.n"), true),
            (w.fill("col.mean_at", &[("timepoint", &from_text)]), true),
            (w.fill("col.mean_at", &[("timepoint", &to_text)]), true),
            (w.get("col.change_ci"), true),
        ],
    );
    let mut desc_rows = Vec::new();
    for r in rows {
        if r.label.heading {
            t.group(r.label.label.clone());
            continue;
        }
        let cells = vec![
            r.label.label.clone(),
            format::count(&r.n),
            ctx.estimate(r.from.as_ref(), dp, false, r.hidden),
            ctx.estimate(r.to.as_ref(), dp, false, r.hidden),
            ctx.estimate(r.change.as_ref(), dp, true, r.hidden),
        ];
        if r.label.bold {
            t.total(cells);
        } else {
            t.row(cells);
        }
        desc_rows.push(match (r.from, r.to) {
            (Some(f), Some(to)) => w.fill(
                "chart.dumbbell_desc_row",
                &[
                    ("group", &r.label.label),
                    ("n", &format::count(&r.n)),
                    ("from", &format::number(f.value, dp)),
                    ("to", &format::number(to.value, dp)),
                ],
            ),
            _ => w.fill("chart.desc_row_hidden", &[("group", &r.label.label)]),
        });
        if r.hidden && !notes.contains(&ctx.suppressed_note()) {
            notes.push(ctx.suppressed_note());
        }
    }
    let desc = w.fill(
        "chart.dumbbell_desc",
        &[
            ("measure", &measure),
            ("from", &from_text),
            ("to", &to_text),
            ("rows", &desc_rows.join(" ")),
            ("better", better),
        ],
    );
    if rows
        .iter()
        .any(|r| r.from.is_some_and(|e| e.lower.is_none()))
    {
        notes.push(ctx.not_computed_note());
    }
    (t.finish(), desc, notes)
}
