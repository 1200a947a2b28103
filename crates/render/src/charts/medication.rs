//! Pain medication before and after support: the mean daily dose in oral morphine
//! equivalent with its 95% interval, and the shares on an opioid, on 120 mg or more and on
//! a gabapentinoid at each end.

use super::Chart;
use super::pen::{Dash, Marker, Pen, Scale, Type, draw, step_decimals, ticks};
use super::theme::{BLUE, GRID, INK, LIGHT, MUTED, SMALL, VERMILLION, WIDTH};
use crate::RenderError;
use crate::doc::{Ctx, Table, TableBuilder};
use crate::format;
use sprout_model::*;

const HEIGHT: u32 = 340;
const TOP: i32 = 44;
const BOTTOM: i32 = HEIGHT as i32 - 84;
/// Where the shares panel starts.
const SHARES_LEFT: i32 = 360;

/// The shares panel's bars: one pair per yes/no outcome, before and after.
type Binaries<'a> = Vec<(String, &'a BinaryOutcome)>;

pub fn medication(ctx: &Ctx, id: &str, med: &MedicationOutcomes) -> Result<Chart, RenderError> {
    let w = ctx.w;
    let before = ctx.timepoint(&med.from);
    let after = ctx.timepoint(&med.to);
    let binaries: Binaries = [
        ("chart.med_on_opioid", &med.on_opioid),
        ("chart.med_high_dose", &med.high_dose),
        ("chart.med_on_gabapentinoid", &med.on_gabapentinoid),
    ]
    .into_iter()
    .filter_map(|(k, b)| b.as_ref().map(|b| (w.get(k), b)))
    .collect();

    let svg = draw(WIDTH, HEIGHT, |pen: &Pen| {
        dose_panel(pen, ctx, med, &before, &after)?;
        share_panel(pen, ctx, &binaries)?;
        legend(pen, &before, &after)
    })?;

    let (table, desc, notes) = data(ctx, id, med, &binaries, &before, &after);
    let title = super::titles::medication(ctx, med);
    Chart::new(id, title, desc, svg, table, notes)
}

/// Left panel: the mean daily dose at each end, with its interval.
fn dose_panel(
    pen: &Pen,
    ctx: &Ctx,
    med: &MedicationOutcomes,
    before: &str,
    after: &str,
) -> Result<(), String> {
    let w = ctx.w;
    let ome = med.ome.as_ref();
    let (l0, l1) = (70, 270);
    let values: Vec<f64> = ome
        .iter()
        .flat_map(|s| [s.from_mean, s.to_mean])
        .flat_map(|e| [Some(e.value), e.lower, e.upper])
        .flatten()
        .chain([0.0])
        .collect();
    let hi = values.iter().copied().fold(1.0, f64::max);
    let (yt, ystep) = ticks(0.0, hi, 4);
    let y = Scale::new(0.0, yt.last().copied().unwrap_or(hi), BOTTOM, TOP);
    pen.text(
        &w.get("chart.med_dose_panel"),
        l0 - 50,
        14,
        Type::new(SMALL).bold(),
    )?;
    for &t in &yt {
        pen.line(&[(l0, y.at(t)), (l1, y.at(t))], GRID, 1, Dash::Solid)?;
        pen.text(
            &format::number(t, step_decimals(ystep)),
            l0 - 6,
            y.at(t),
            Type::new(SMALL).colour(MUTED).right(),
        )?;
    }
    pen.line(&[(l0, BOTTOM), (l1, BOTTOM)], MUTED, 1, Dash::Solid)?;
    let (xb, xa) = (l0 + 55, l1 - 55);
    pen.text(
        &pen.fit(before, 110, Type::new(SMALL)),
        xb,
        BOTTOM + 8,
        Type::new(SMALL).centre().top(),
    )?;
    pen.text(
        &pen.fit(after, 110, Type::new(SMALL)),
        xa,
        BOTTOM + 8,
        Type::new(SMALL).centre().top(),
    )?;
    let axis = w.get("chart.med_dose_axis");
    for (k, line) in pen
        .wrap(&axis, l1 - l0 + 60, 2, Type::new(SMALL))
        .iter()
        .enumerate()
    {
        pen.text(
            line,
            (l0 + l1) / 2,
            BOTTOM + 30 + 16 * k as i32,
            Type::new(SMALL).centre().top(),
        )?;
    }
    match ome {
        Some(s) => {
            let (f, t) = (s.from_mean, s.to_mean);
            pen.line(
                &[(xb, y.at(f.value)), (xa, y.at(t.value))],
                LIGHT,
                3,
                Dash::Solid,
            )?;
            for (x, e, m, c) in [
                (xb, f, Marker::HollowCircle, VERMILLION),
                (xa, t, Marker::Circle, BLUE),
            ] {
                if let (Some(lo), Some(hi)) = (e.lower, e.upper) {
                    pen.whisker_v(x, y.at(lo), y.at(hi), c, 1)?;
                }
                pen.marker(m, x, y.at(e.value), 6, c)?;
                pen.text(
                    &format::number(e.value, 0),
                    x + 10,
                    y.at(e.value),
                    Type::new(SMALL).colour(INK),
                )?;
            }
        }
        None => {
            let note = if med.pairs.is_suppressed() {
                w.fill(
                    "chart.med_hidden",
                    &[(
                        "threshold",
                        &ctx.m.meta.disclosure.hidden_below.unwrap_or(1).to_string(),
                    )],
                )
            } else {
                w.get("chart.med_no_pairs")
            };
            pen.text(
                &note,
                (l0 + l1) / 2,
                (TOP + BOTTOM) / 2,
                Type::new(SMALL).colour(MUTED).centre(),
            )?;
        }
    }

    Ok(())
}

/// Right panel: the shares on each medicine at each end.
fn share_panel(pen: &Pen, ctx: &Ctx, binaries: &Binaries) -> Result<(), String> {
    let w = ctx.w;
    let (r0, r1) = (SHARES_LEFT, WIDTH as i32 - 16);
    let py = Scale::new(0.0, 1.0, BOTTOM, TOP);
    pen.text(
        &w.get("chart.med_share_panel"),
        r0 - 40,
        14,
        Type::new(SMALL).bold(),
    )?;
    for t in [0.0, 0.25, 0.5, 0.75, 1.0] {
        pen.line(&[(r0, py.at(t)), (r1, py.at(t))], GRID, 1, Dash::Solid)?;
        pen.text(
            &format::percent(t),
            r0 - 6,
            py.at(t),
            Type::new(SMALL).colour(MUTED).right(),
        )?;
    }
    pen.line(&[(r0, BOTTOM), (r1, BOTTOM)], MUTED, 1, Dash::Solid)?;
    let groups = binaries.len().max(1) as i32;
    let slot = (r1 - r0) / groups;
    for (i, (label, b)) in binaries.iter().enumerate() {
        let gx = r0 + slot * i as i32;
        let bw = (slot / 2 - 14).clamp(10, 34);
        let centre = gx + slot / 2;
        for (k, share, fill) in [(0, &b.before, false), (1, &b.after, true)] {
            let x0 = if k == 0 { centre - bw - 2 } else { centre + 2 };
            match share.proportion {
                Some(p) => {
                    if fill {
                        pen.rect(x0, py.at(p), x0 + bw, BOTTOM, BLUE)?;
                    } else {
                        pen.rect(x0, py.at(p), x0 + bw, BOTTOM, (0xf2, 0xd6, 0xc2))?;
                        pen.rect_outline(x0, py.at(p), x0 + bw, BOTTOM, VERMILLION, 2)?;
                    }
                    pen.text(
                        &format::percent(p),
                        x0 + bw / 2,
                        py.at(p) - 3,
                        Type::new(SMALL).centre().bottom(),
                    )?;
                }
                None => {
                    pen.text(
                        format::SUPPRESSED,
                        x0 + bw / 2,
                        BOTTOM - 3,
                        Type::new(SMALL).colour(MUTED).centre().bottom(),
                    )?;
                }
            }
        }
        for (k, line) in pen
            .wrap(label, slot - 6, 2, Type::new(SMALL))
            .iter()
            .enumerate()
        {
            pen.text(
                line,
                centre,
                BOTTOM + 8 + 16 * k as i32,
                Type::new(SMALL).centre().top(),
            )?;
        }
    }
    Ok(())
}

/// The bars' legend: hollow before, filled after.
fn legend(pen: &Pen, before: &str, after: &str) -> Result<(), String> {
    // Legend for the bars.
    let lx = SHARES_LEFT;
    let ly = HEIGHT as i32 - 22;
    pen.rect(lx, ly - 6, lx + 14, ly + 6, (0xf2, 0xd6, 0xc2))?;
    pen.rect_outline(lx, ly - 6, lx + 14, ly + 6, VERMILLION, 2)?;
    pen.text(before, lx + 20, ly, Type::new(SMALL))?;
    let lx2 = lx + 34 + pen.width(before, Type::new(SMALL)) + 12;
    pen.rect(lx2, ly - 6, lx2 + 14, ly + 6, BLUE)?;
    pen.text(after, lx2 + 20, ly, Type::new(SMALL))?;
    Ok(())
}

/// The chart's data table, its text alternative and its notes.
fn data(
    ctx: &Ctx,
    id: &str,
    med: &MedicationOutcomes,
    binaries: &Binaries,
    before: &str,
    after: &str,
) -> (Table, String, Vec<String>) {
    let w = ctx.w;
    let ome = med.ome.as_ref();
    let mut t = TableBuilder::with_labels(
        ctx,
        &format!("{id}-data"),
        w.fill("chart.med_data_caption", &[("period", ctx.period())]),
        vec![
            (w.get("col.measure"), false),
            (w.get("col.n"), true),
            (before.to_owned(), true),
            (after.to_owned(), true),
        ],
    );
    let hidden = med.pairs.is_suppressed() && ome.is_none();
    t.row(vec![
        w.get("chart.med_dose_row"),
        format::count(&med.pairs),
        ctx.estimate(ome.map(|s| &s.from_mean), 0, false, hidden),
        ctx.estimate(ome.map(|s| &s.to_mean), 0, false, hidden),
    ]);
    for (label, b) in binaries {
        t.row(vec![
            label.clone(),
            format::count(&b.n),
            ctx.share_ci(&b.before),
            ctx.share_ci(&b.after),
        ]);
    }
    let share_desc: Vec<String> = binaries
        .iter()
        .map(|(label, b)| {
            w.fill(
                "chart.med_desc_share",
                &[
                    ("label", label),
                    ("before", &ctx.share(&b.before)),
                    ("after", &ctx.share(&b.after)),
                ],
            )
        })
        .collect();
    let desc = match ome {
        Some(s) => w.fill(
            "chart.med_desc",
            &[
                ("n", &format::count(&med.pairs)),
                ("before", &format::number(s.from_mean.value, 0)),
                ("after", &format::number(s.to_mean.value, 0)),
                ("shares", &share_desc.join(" ")),
            ],
        ),
        None => w.fill("chart.med_desc_empty", &[("shares", &share_desc.join(" "))]),
    };
    let mut notes = Vec::new();
    if hidden
        || binaries
            .iter()
            .any(|(_, b)| b.before.is_suppressed() || b.after.is_suppressed())
    {
        notes.push(ctx.suppressed_note());
    }
    (t.finish(), desc, notes)
}
