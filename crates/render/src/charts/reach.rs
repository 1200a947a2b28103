//! Reach into target groups: the share of people supported in each group, with its 95%
//! interval, against the local population's share marked on the same bar.

use super::Chart;
use super::pen::{Dash, Pen, Scale, Type, draw};
use super::theme::{BLACK, BLUE, GRID, INK, MUTED, SMALL, TEXT, WIDTH};
use crate::RenderError;
use crate::doc::{Ctx, Table, TableBuilder};
use crate::format;
use sprout_model::*;

const ROW_H: i32 = 50;
const TOP: i32 = 30;
const LABEL_W: i32 = 230;

pub fn reach(ctx: &Ctx, id: &str, reach: &[Reach]) -> Result<Chart, RenderError> {
    let w = ctx.w;
    let height = (TOP + ROW_H * reach.len().max(1) as i32 + 44) as u32;
    let x = Scale::new(0.0, 1.0, LABEL_W + 10, WIDTH as i32 - 30);
    let area = ctx
        .m
        .meta
        .reach_area
        .clone()
        .unwrap_or_else(|| w.get("chart.reach_area_default"));

    let svg = draw(WIDTH, height, |pen: &Pen| {
        let bottom = TOP + ROW_H * reach.len() as i32;
        for t in [0.0, 0.25, 0.5, 0.75, 1.0] {
            pen.line(
                &[(x.at(t), TOP - 6), (x.at(t), bottom)],
                GRID,
                1,
                Dash::Solid,
            )?;
            pen.text(
                &format::percent(t),
                x.at(t),
                bottom + 8,
                Type::new(SMALL).colour(MUTED).centre().top(),
            )?;
        }
        pen.text(
            &w.get("chart.reach_axis"),
            (x.at(0.0) + x.at(1.0)) / 2,
            bottom + 28,
            Type::new(SMALL).centre().top(),
        )?;
        for (i, r) in reach.iter().enumerate() {
            group(pen, ctx, x, TOP + ROW_H * i as i32, r)?;
        }
        Ok(())
    })?;

    let (table, desc, notes) = data(ctx, id, reach, &area);
    let title = super::titles::reach(ctx, reach, &area);
    Chart::new(id, title, desc, svg, table, notes)
}

/// One group's row at `y0`: its label, its share with its interval, and the local share.
fn group(pen: &Pen, ctx: &Ctx, x: Scale, y0: i32, r: &Reach) -> Result<(), String> {
    let w = ctx.w;
    let mid = y0 + ROW_H / 2;
    let t = Type::new(TEXT).right();
    let lines = pen.wrap(&r.label, LABEL_W - 8, 2, t);
    let first = mid - 9 * (lines.len() as i32 - 1);
    for (k, line) in lines.iter().enumerate() {
        pen.text(line, LABEL_W, first + 18 * k as i32, t)?;
    }
    match r.share.proportion {
        Some(p) => {
            pen.rect(
                x.at(0.0),
                mid - 11,
                x.at(p).max(x.at(0.0) + 1),
                mid + 11,
                BLUE,
            )?;
            if let Some((l, u)) = r.share.ci {
                pen.whisker_h(x.at(l), x.at(u), mid, INK, 1)?;
            }
            let tx = x.at(r.share.ci.map_or(p, |c| c.1)).max(x.at(p)) + 6;
            pen.text(&format::percent(p), tx, mid, Type::new(TEXT).bold())?;
        }
        None => {
            let note = if r.share.is_suppressed() {
                w.fill(
                    "chart.hidden_row",
                    &[(
                        "threshold",
                        &ctx.m.meta.disclosure.hidden_below.unwrap_or(1).to_string(),
                    )],
                )
            } else {
                w.get("chart.nobody_row")
            };
            pen.text(&note, x.at(0.0) + 6, mid, Type::new(SMALL).colour(MUTED))?;
        }
    }
    if let Some(l) = r.local_share {
        let lx = x.at(l);
        pen.line(&[(lx, mid - 20), (lx, mid + 20)], BLACK, 3, Dash::Solid)?;
        pen.text(
            &w.fill("chart.reach_local", &[("share", &format::percent(l))]),
            lx + 5,
            mid - 14,
            Type::new(SMALL).colour(INK).bottom(),
        )?;
    }
    Ok(())
}

/// The data behind the chart, its text alternative and its notes.
fn data(ctx: &Ctx, id: &str, reach: &[Reach], area: &str) -> (Table, String, Vec<String>) {
    let w = ctx.w;
    let mut t = TableBuilder::with_labels(
        ctx,
        &format!("{id}-data"),
        w.fill(
            "chart.reach_data_caption",
            &[("period", ctx.period()), ("area", area)],
        ),
        vec![
            (w.get("col.group"), false),
            (w.get("col.people_in_group"), true),
            (w.get("col.people_known"), true),
            (w.get("col.share_ci"), true),
            (w.fill("col.local_share", &[("area", area)]), true),
        ],
    );
    let mut desc_rows = Vec::new();
    for r in reach {
        let share = ctx.share(&r.share);
        let ci = format::share_interval(&r.share)
            .map(|c| format!(" ({c})"))
            .unwrap_or_default();
        let local = r
            .local_share
            .map_or_else(|| w.get("cell.none"), format::percent);
        t.row(vec![
            r.label.clone(),
            format::count(&r.share.numerator),
            format::count(&r.share.denominator),
            format!("{share}{ci}"),
            local.clone(),
        ]);
        desc_rows.push(w.fill(
            "chart.reach_desc_row",
            &[("group", &r.label), ("share", &share), ("local", &local)],
        ));
    }
    let mut notes = Vec::new();
    if reach.iter().any(|r| r.share.is_suppressed()) {
        notes.push(ctx.suppressed_note());
    }
    let desc = w.fill(
        "chart.reach_desc",
        &[("area", area), ("rows", &desc_rows.join("; "))],
    );
    (t.finish(), desc, notes)
}
