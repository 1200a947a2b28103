//! Reach into target groups: the share of people supported in each group, with its 95%
//! interval, against the local population's share marked on the same bar.

use super::Chart;
use super::pen::{Dash, Pen, Scale, Type, draw};
use super::theme::{BLACK, BLUE, GRID, INK, MUTED, SMALL, TEXT, WIDTH};
use crate::RenderError;
use crate::doc::{Ctx, TableBuilder};
use crate::format;
use sprout_model::*;

pub fn reach(ctx: &Ctx, id: &str, reach: &[Reach]) -> Result<Chart, RenderError> {
    let w = ctx.w;
    let row_h = 50;
    let top = 30;
    let label_w = 230;
    let height = (top + row_h * reach.len().max(1) as i32 + 44) as u32;
    let x = Scale::new(0.0, 1.0, label_w + 10, WIDTH as i32 - 30);
    let area = ctx
        .m
        .meta
        .reach_area
        .clone()
        .unwrap_or_else(|| w.get("chart.reach_area_default"));

    let svg = draw(WIDTH, height, |pen: &Pen| {
        let bottom = top + row_h * reach.len() as i32;
        for t in [0.0, 0.25, 0.5, 0.75, 1.0] {
            pen.line(
                &[(x.at(t), top - 6), (x.at(t), bottom)],
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
            let y0 = top + row_h * i as i32;
            let mid = y0 + row_h / 2;
            let t = Type::new(TEXT).right();
            let lines = pen.wrap(&r.label, label_w - 8, 2, t);
            let first = mid - 9 * (lines.len() as i32 - 1);
            for (k, line) in lines.iter().enumerate() {
                pen.text(line, label_w, first + 18 * k as i32, t)?;
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
        }
        Ok(())
    })?;

    let mut t = TableBuilder::with_labels(
        ctx,
        &format!("{id}-data"),
        w.fill(
            "chart.reach_data_caption",
            &[("period", ctx.period()), ("area", &area)],
        ),
        vec![
            (w.get("col.group"), false),
            (w.get("col.people_in_group"), true),
            (w.get("col.people_known"), true),
            (w.get("col.share_ci"), true),
            (w.fill("col.local_share", &[("area", &area)]), true),
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
        &[("area", &area), ("rows", &desc_rows.join("; "))],
    );
    Chart::new(id, w.get("chart.reach_title"), desc, svg, t.finish(), notes)
}
