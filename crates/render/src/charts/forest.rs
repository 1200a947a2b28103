//! Forest plot by cohort for one measure: each cohort's mean change with its 95%
//! interval, beside its baseline-adjusted change where the ANCOVA ran, grouped by cohort
//! dimension under the overall row, against the line of no change.

use super::Chart;
use super::pen::{Dash, Marker, Pen, Scale, Type, draw};
use super::rows::{Layout, RowLabel};
use super::theme::{BLUE, MUTED, SMALL, VERMILLION, WIDTH, ZERO};
use crate::RenderError;
use crate::doc::{Ctx, Table, TableBuilder};
use crate::format;
use sprout_model::*;

struct Row {
    name: String,
    label: RowLabel,
    n: Count,
    change: Option<Estimate>,
    adjusted: Option<Estimate>,
    hidden: bool,
    /// Fewer pairs than the programme's minimum: not drawn as a point.
    too_few: bool,
}

pub fn forest(
    ctx: &Ctx,
    id: &str,
    measure: &str,
    comparisons: &[&CohortComparison],
) -> Result<Chart, RenderError> {
    let w = ctx.w;
    let dp = ctx.dp(measure);
    let label = ctx.label(measure);
    let all_rows = rows(ctx, comparisons);
    // Cohorts below the minimum are not drawn: a note names them, the data lists them.
    let rows: Vec<&Row> = all_rows.iter().filter(|r| !r.too_few).collect();
    let any_adjusted = rows.iter().any(|r| r.adjusted.is_some());
    // Room above the rows for the legend, then the value columns' headings under it.
    let mut layout = Layout::new(rows.len(), 44, if any_adjusted { 196 } else { 150 });
    layout.row_h = 18;
    layout.label_right = 262;
    layout.plot_left = 278;
    let values: Vec<f64> = rows
        .iter()
        .flat_map(|r| [r.change, r.adjusted])
        .flatten()
        .flat_map(|e| [Some(e.value), e.lower, e.upper])
        .flatten()
        .collect();
    let (scale, ticks, tick_dp) = layout.scale(&values, &[0.0]);
    let labels: Vec<RowLabel> = rows.iter().map(|r| r.label.clone()).collect();
    let threshold = ctx.m.meta.disclosure.hidden_below.unwrap_or(1).to_string();
    let hidden_note = w.fill("chart.hidden_row", &[("threshold", &threshold)]);
    let better_right = ctx
        .measure(measure)
        .is_none_or(|m| m.better == sprout_stats::Direction::HigherIsBetter);

    // The most pairs of any row drawn, for marker areas that grow with n.
    let most = rows
        .iter()
        .filter(|r| r.change.is_some())
        .filter_map(|r| r.n.value)
        .max()
        .unwrap_or(1);

    let svg = draw(WIDTH, layout.height(), |pen: &Pen| {
        legend(pen, ctx, &layout, any_adjusted)?;
        let axis_title = w.fill(
            if better_right {
                "chart.forest_axis_higher"
            } else {
                "chart.forest_axis_lower"
            },
            &[("measure", &label)],
        );
        layout.axis(pen, &scale, &ticks, tick_dp, &axis_title)?;
        let x0 = scale.at(0.0);
        pen.line(
            &[(x0, layout.top - 6), (x0, layout.bottom())],
            ZERO,
            2,
            Dash::Solid,
        )?;
        layout.labels(pen, &labels)?;
        value_heads(pen, ctx, &layout, any_adjusted)?;
        for (i, r) in rows.iter().enumerate() {
            if r.label.heading {
                continue;
            }
            if r.change.is_none() {
                let note = if r.hidden {
                    hidden_note.clone()
                } else {
                    w.get("chart.no_pairs_row")
                };
                layout.gap(pen, i, &note)?;
                continue;
            }
            row(pen, ctx, &layout, &scale, i, r, most, dp)?;
        }
        Ok(())
    })?;

    let (table, desc, notes) = data(ctx, id, &label, &all_rows, dp, any_adjusted);
    let title = super::titles::forest(ctx, measure, comparisons);
    Chart::new(id, title, desc, svg, table, notes)
}

/// The legend above the plot.
fn legend(pen: &Pen, ctx: &Ctx, layout: &Layout, any_adjusted: bool) -> Result<(), String> {
    let w = ctx.w;
    let (x, y) = (layout.plot_left, 10);
    pen.marker(Marker::Square, x + 6, y, 5, BLUE)?;
    let raw = w.get("chart.forest_raw");
    pen.text(&raw, x + 18, y, Type::new(SMALL))?;
    if any_adjusted {
        let x2 = x + 30 + pen.width(&raw, Type::new(SMALL)) + 16;
        pen.marker(Marker::HollowDiamond, x2 + 6, y, 5, VERMILLION)?;
        pen.text(
            &w.get("chart.forest_adjusted"),
            x2 + 18,
            y,
            Type::new(SMALL),
        )?;
    }
    Ok(())
}

/// The value columns' headings, over the rows.
fn value_heads(pen: &Pen, ctx: &Ctx, layout: &Layout, any_adjusted: bool) -> Result<(), String> {
    let w = ctx.w;
    pen.text(
        &w.get("chart.forest_value_head"),
        layout.plot_right + 12,
        layout.top - 4,
        Type::new(SMALL).colour(MUTED).bottom(),
    )?;
    if any_adjusted {
        pen.text(
            &w.get("chart.forest_adjusted_head"),
            WIDTH as i32 - 4,
            layout.top - 4,
            Type::new(SMALL).colour(MUTED).bottom().right(),
        )?;
    }
    Ok(())
}

/// One cohort's mean change (a marker sized by its pairs, hollow without an interval)
/// and its baseline-adjusted change, with both values in the value columns.
#[allow(clippy::too_many_arguments)]
fn row(
    pen: &Pen,
    ctx: &Ctx,
    layout: &Layout,
    scale: &Scale,
    i: usize,
    r: &Row,
    most: u64,
    dp: usize,
) -> Result<(), String> {
    let Some(c) = r.change else {
        return Ok(());
    };
    let y = layout.y(i);
    let off = if r.adjusted.is_some() { 4 } else { 0 };
    let marker = match (c.lower, c.upper) {
        (Some(l), Some(u)) => {
            pen.whisker_h(scale.at(l), scale.at(u), y - off, BLUE, 2)?;
            Marker::Square
        }
        _ => Marker::HollowSquare,
    };
    pen.marker(marker, scale.at(c.value), y - off, size(r.n, most), BLUE)?;
    if let Some(a) = r.adjusted {
        if let (Some(l), Some(u)) = (a.lower, a.upper) {
            pen.whisker_h(scale.at(l), scale.at(u), y + off, VERMILLION, 1)?;
        }
        pen.marker(
            Marker::HollowDiamond,
            scale.at(a.value),
            y + off,
            5,
            VERMILLION,
        )?;
    }
    pen.text(
        &ctx.estimate(Some(&c), dp, true, false),
        layout.plot_right + 12,
        y,
        Type::new(SMALL),
    )?;
    if let Some(a) = r.adjusted {
        pen.text(
            &format::signed(a.value, dp),
            WIDTH as i32 - 4,
            y,
            Type::new(SMALL).right(),
        )?;
    }
    Ok(())
}

/// A marker's half-width: its area in proportion to the row's pairs (a hidden count gets
/// the middle size), between 2 and 7 pixels.
fn size(n: Count, most: u64) -> i32 {
    match n.value {
        Some(v) => (7.0 * (v as f64 / most.max(1) as f64).sqrt())
            .round()
            .clamp(2.0, 7.0) as i32,
        None => 4,
    }
}

/// The rows: everyone, then each dimension's heading and its cohorts.
fn rows(ctx: &Ctx, comparisons: &[&CohortComparison]) -> Vec<Row> {
    let w = ctx.w;
    let label_n = |label: &str, n: &Count| {
        w.fill(
            "chart.label_n",
            &[("label", label), ("n", &format::count(n))],
        )
    };
    let mut rows = Vec::new();
    if let Some(first) = comparisons.first() {
        let o = &first.overall;
        rows.push(Row {
            name: w.get("chart.all_people"),
            label: RowLabel {
                label: label_n(&w.get("chart.all_people"), &o.n),
                detail: String::new(),
                heading: false,
                bold: true,
            },
            n: o.n,
            change: o.mean_change(),
            adjusted: None,
            hidden: o.mean_change().is_none() && o.n.is_suppressed(),
            too_few: false,
        });
    }
    for c in comparisons {
        rows.push(Row {
            name: c.dimension_label.clone(),
            label: RowLabel {
                label: c.dimension_label.clone(),
                detail: String::new(),
                heading: true,
                bold: true,
            },
            n: Count::new(0),
            change: None,
            adjusted: None,
            hidden: false,
            too_few: false,
        });
        for r in &c.cohorts {
            let too_few = c.below_minimum(r);
            rows.push(Row {
                name: r.label.clone(),
                label: RowLabel {
                    label: label_n(&r.label, &r.n),
                    detail: String::new(),
                    heading: false,
                    bold: false,
                },
                n: r.n,
                change: r.mean_change(),
                adjusted: r.adjusted_change,
                hidden: r.mean_change().is_none() && r.n.is_suppressed(),
                too_few,
            });
        }
    }
    rows
}

/// The chart's data table, its text alternative and its notes.
fn data(
    ctx: &Ctx,
    id: &str,
    label: &str,
    rows: &[Row],
    dp: usize,
    any_adjusted: bool,
) -> (Table, String, Vec<String>) {
    let w = ctx.w;
    let mut t = TableBuilder::with_labels(
        ctx,
        &format!("{id}-data"),
        w.fill(
            "chart.forest_data_caption",
            &[("measure", label), ("period", ctx.period())],
        ),
        vec![
            (w.get("col.group"), false),
            (w.get("col.n"), true),
            (w.get("col.change_ci"), true),
            (w.get("col.adjusted_ci"), true),
        ],
    );
    let mut desc_rows = Vec::new();
    for r in rows {
        if r.label.heading {
            t.group(r.name.clone());
            continue;
        }
        let few = w.fill("chart.fewer_than", &[("min_n", &ctx.min_n().to_string())]);
        let cells = vec![
            r.name.clone(),
            if r.too_few {
                few.clone()
            } else {
                format::count(&r.n)
            },
            ctx.estimate(r.change.as_ref(), dp, true, r.hidden),
            if r.label.bold {
                String::new()
            } else {
                ctx.estimate(r.adjusted.as_ref(), dp, true, r.hidden)
            },
        ];
        if r.label.bold {
            t.total(cells)
        } else {
            t.row(cells)
        };
        desc_rows.push(match r.change {
            _ if r.too_few => w.fill("chart.forest_desc_few", &[("group", &r.name), ("n", &few)]),
            Some(c) => w.fill(
                "chart.forest_desc_row",
                &[
                    ("group", &r.name),
                    ("n", &format::count(&r.n)),
                    ("change", &ctx.estimate(Some(&c), dp, true, false)),
                ],
            ),
            None => w.fill("chart.desc_row_hidden", &[("group", &r.name)]),
        });
    }
    let mut notes = vec![w.get("chart.forest_marker_note")];
    let few: Vec<String> = rows
        .iter()
        .filter(|r| r.too_few)
        .map(|r| r.name.clone())
        .collect();
    if !few.is_empty() {
        notes.push(w.fill(
            "chart.forest_few_note",
            &[
                ("min_n", &ctx.min_n().to_string()),
                ("cohorts", &crate::words::and_list(&few)),
            ],
        ));
    }
    if rows.iter().any(|r| r.hidden) {
        notes.push(ctx.suppressed_note());
    }
    if !any_adjusted {
        notes.push(w.get("chart.forest_no_adjusted"));
    }
    let desc = w.fill(
        "chart.forest_desc",
        &[("measure", label), ("rows", &desc_rows.join(" "))],
    );
    (t.finish(), desc, notes)
}
