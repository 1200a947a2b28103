//! The evaluator's engagement section: sessions attended, missed and cancelled, by
//! phase, contact mode and support type.

use super::super::shared;
use super::super::{Block, Ctx, Section, Table, TableBuilder};
use super::*;
use crate::format;
use sprout_model::*;

pub(super) fn spread(ctx: &Ctx, s: &Option<Based<Spread>>, dp: usize) -> [String; 2] {
    match s {
        Some(Based { n, value: Some(v) }) => [
            format::count(n),
            ctx.w.fill(
                "cell.median_iqr",
                &[
                    ("median", &format::number(v.median, dp)),
                    ("q1", &format::number(v.q1, dp)),
                    ("q3", &format::number(v.q3, dp)),
                ],
            ),
        ],
        Some(Based { n, value: None }) => [format::count(n), format::SUPPRESSED.to_owned()],
        None => [String::from("0"), ctx.w.get("cell.none")],
    }
}

pub(super) fn engagement(ctx: &Ctx) -> Section {
    let (p, c) = (&ctx.m.engagement.period, &ctx.m.engagement.cumulative);
    let w = ctx.w;
    let summary = summary_table(ctx);
    let phases = phase_table(ctx);
    let modes = modes_table(ctx);
    let support = support_table(ctx);
    let heading = match &p.sessions_per_client {
        Some(Based { value: Some(s), .. }) => w.fill(
            "engagement.heading",
            &[
                ("median", &format::number(s.median, 0)),
                ("dna", &ctx.share(&p.dna_rate)),
            ],
        ),
        _ => w.get("engagement.heading_none"),
    };
    let mut blocks = vec![Block::Table { table: summary }];
    if !p.by_phase.is_empty() {
        blocks.push(Block::Table { table: phases });
    }
    blocks.push(Block::Table { table: modes });
    if !c.support_types.parts.is_empty() {
        blocks.push(Block::Table { table: support });
    }
    section(
        ctx,
        "engagement",
        heading,
        Some(w.get("engagement.lead")),
        blocks,
    )
}

/// Sessions and their spread per client, in the period and cumulatively.
fn summary_table(ctx: &Ctx) -> Table {
    let w = ctx.w;
    let (p, c) = (&ctx.m.engagement.period, &ctx.m.engagement.cumulative);
    let mut t = TableBuilder::with_labels(
        ctx,
        "engagement",
        w.fill("engagement.caption", &[("period", ctx.period())]),
        vec![
            (w.get("col.measure"), false),
            (w.fill("col.in_period", &[("period", ctx.period())]), true),
            (w.get("col.cumulative"), true),
        ],
    );
    t.row(vec![
        w.get("engagement.clients"),
        format::count(&p.clients_with_sessions),
        format::count(&c.clients_with_sessions),
    ]);
    t.row(vec![
        w.get("engagement.attended"),
        format::count(&p.attended),
        format::count(&c.attended),
    ]);
    t.row(vec![
        w.get("engagement.dna"),
        format::count(&p.did_not_attend),
        format::count(&c.did_not_attend),
    ]);
    t.row(vec![
        w.get("engagement.cancelled"),
        format::count(&p.cancelled),
        format::count(&c.cancelled),
    ]);
    t.row(vec![
        w.get("engagement.dna_rate"),
        ctx.share_ci(&p.dna_rate),
        ctx.share_ci(&c.dna_rate),
    ]);
    for (key, a, b, dp) in [
        (
            "engagement.sessions_per_client",
            &p.sessions_per_client,
            &c.sessions_per_client,
            0,
        ),
        (
            "engagement.minutes_per_client",
            &p.minutes_per_client,
            &c.minutes_per_client,
            0,
        ),
        (
            "engagement.days_to_first",
            &p.days_to_first_contact,
            &c.days_to_first_contact,
            0,
        ),
        (
            "engagement.weeks_of_support",
            &p.weeks_of_support,
            &c.weeks_of_support,
            1,
        ),
    ] {
        let [na, sa] = spread(ctx, a, dp);
        let [nb, sb] = spread(ctx, b, dp);
        t.row(vec![
            w.get(key),
            format!("{sa} (n = {na})"),
            format!("{sb} (n = {nb})"),
        ]);
    }
    t.finish()
}

/// Sessions by phase of support in the period.
fn phase_table(ctx: &Ctx) -> Table {
    let p = &ctx.m.engagement.period;
    let mut phases = TableBuilder::new(
        ctx,
        "engagement-phases",
        ctx.w
            .fill("engagement.phase_caption", &[("period", ctx.period())]),
        &[
            ("col.phase", false),
            ("col.clients", true),
            ("col.sessions_attended", true),
            ("col.dna_rate", true),
            ("col.sessions_per_client", true),
        ],
    );
    for ph in &p.by_phase {
        let [_, s] = spread(ctx, &ph.sessions_per_client, 0);
        phases.row(vec![
            ph.label.clone(),
            format::count(&ph.clients),
            format::count(&ph.attended),
            ctx.share_ci(&ph.dna_rate),
            s,
        ]);
    }
    phases.finish()
}

/// Sessions by contact mode and phase in the period, with totals.
fn modes_table(ctx: &Ctx) -> Table {
    let w = ctx.w;
    let ct = &ctx.m.engagement.period.contact_modes;
    let mut columns = vec![(w.get("col.contact_mode"), false)];
    columns.extend(ct.column_labels.iter().map(|l| (l.clone(), true)));
    columns.push((w.get("col.total"), true));
    let mut modes = TableBuilder::with_labels(
        ctx,
        "contact-modes",
        w.fill("engagement.modes_caption", &[("period", ctx.period())]),
        columns,
    );
    for (i, label) in ct.row_labels.iter().enumerate() {
        let mut cells = vec![label.clone()];
        cells.extend(ct.cells[i].iter().map(format::count));
        cells.push(format::count(&ct.row_totals[i]));
        modes.row(cells);
    }
    let mut total = vec![w.get("col.total")];
    total.extend(ct.column_totals.iter().map(format::count));
    total.push(format::count(&ct.total));
    modes.total(total);
    modes.finish()
}

/// Sessions by type of support, in the period and cumulatively.
fn support_table(ctx: &Ctx) -> Table {
    let w = ctx.w;
    let (p, c) = (&ctx.m.engagement.period, &ctx.m.engagement.cumulative);
    let mut support = TableBuilder::with_labels(
        ctx,
        "support-types",
        w.fill("engagement.support_caption", &[("period", ctx.period())]),
        vec![
            (w.get("col.support_type"), false),
            (w.fill("col.in_period", &[("period", ctx.period())]), true),
            (w.get("col.percent"), true),
            (w.get("col.cumulative"), true),
            (w.get("col.percent"), true),
        ],
    );
    shared::breakdown_rows(ctx, &mut support, &p.support_types, &c.support_types);
    support.finish()
}
