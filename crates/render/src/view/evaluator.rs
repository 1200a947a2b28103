//! The evaluator's full quarterly report, in the order of reports.md: key findings, flow,
//! who was supported, engagement, outcomes, medication, trajectories, cohorts, attrition
//! and sensitivity, trend, then the data-quality and methods appendices and a glossary.

use super::phrases::{self, main_comparisons, primary};
use super::points::{self, Register};
use super::shared;
use super::{Block, Ctx, Section, TableBuilder};
use crate::RenderError;
use crate::charts;
use crate::format;
use sprout_model::*;

pub fn sections(ctx: &Ctx) -> Result<Vec<Section>, RenderError> {
    let mut out = vec![
        key_findings(ctx),
        flow(ctx)?,
        people(ctx)?,
        engagement(ctx),
        outcomes(ctx)?,
    ];
    if let Some(s) = medication(ctx)? {
        out.push(s);
    }
    if let Some(s) = trajectories(ctx)? {
        out.push(s);
    }
    if let Some(s) = cohorts(ctx)? {
        out.push(s);
    }
    out.push(attrition(ctx));
    out.push(trend(ctx)?);
    for (i, s) in out.iter_mut().enumerate() {
        s.number = Some((i + 1).to_string());
    }
    out.push(shared::data_quality(ctx, "A"));
    out.push(shared::methods(ctx, "B"));
    out.push(shared::glossary(ctx, "C"));
    Ok(out)
}

fn section(
    ctx: &Ctx,
    id: &str,
    heading: String,
    lead: Option<String>,
    blocks: Vec<Block>,
) -> Section {
    Section {
        id: id.to_owned(),
        number: None,
        kicker: ctx.w.get(&format!("section.{id}")),
        heading,
        lead,
        blocks,
        appendix: false,
    }
}

/// Key findings: the headline with the average change, pain, change over time, how
/// cohorts compare (the equity result first), medication, completion and sensitivity,
/// who was supported, and the caveat of a before-and-after design.
fn key_findings(ctx: &Ctx) -> Section {
    let m = ctx.m;
    let w = ctx.w;
    let mut items = Vec::new();
    let mut headline = None;
    let mut groups_said = 0;
    let mut completion = Vec::new();
    for p in &m.main_points.points {
        match p {
            MainPoint::Headline { measure } => {
                // The headline is the heading; the point gives its interval, the average
                // change and the "any rise" share.
                if let Some((h, point)) = points::headline(ctx, measure) {
                    headline = h;
                    items.push(point);
                }
            }
            MainPoint::OverTime(o) => items.extend(points::over_time(ctx, o, Register::Technical)),
            MainPoint::Groups(g) => {
                // The most telling difference, and the equity result where that is another.
                let equity = ["imd_quintile", "ethnic_group"].contains(&g.dimension.as_str());
                if groups_said == 0 || (equity && groups_said == 1) {
                    items.extend(points::group_point(ctx, g, Register::Technical));
                    groups_said += 1 + usize::from(equity);
                }
            }
            MainPoint::Pain { measure } => items.extend(points::pain(ctx, measure)),
            MainPoint::Medication => {
                if let Some(med) = &m.medication {
                    let said = phrases::medication(ctx, &med.period);
                    if !said.is_empty() {
                        items.push(said.join(" "));
                    }
                }
            }
            MainPoint::Completion { measure } => {
                completion.extend(points::completion(ctx, measure))
            }
            MainPoint::Sensitivity {
                measure,
                changes_picture,
            } => completion.extend(points::sensitivity(ctx, measure, *changes_picture)),
        }
    }
    if !completion.is_empty() {
        items.push(completion.join(" "));
    }
    let f = &m.flow.period;
    items.push(w.fill(
        "key.flow",
        &[
            ("period", ctx.period()),
            ("supported", &format::count(&m.people.period.supported)),
            ("new", &format::count(&m.people.period.new)),
            ("continuing", &format::count(&m.people.period.continuing)),
            ("referred", &format::count(&f.referred)),
            ("left", &format::count(&f.ended.left)),
            ("completed", &format::count(&f.ended.completed)),
        ],
    ));
    items.push(w.get("key.design"));
    section(
        ctx,
        "key_findings",
        headline.unwrap_or_else(|| w.get("key.heading")),
        None,
        vec![Block::Points { items }],
    )
}

/// The people whose support ended, followed through (figure and table, period and since
/// the start); then activity by its own date; then why people left.
fn flow(ctx: &Ctx) -> Result<Section, RenderError> {
    let m = ctx.m;
    let w = ctx.w;
    let (p, c) = (&m.flow.period, &m.flow.cumulative);
    let columns = || {
        vec![
            (w.get("col.stage"), false),
            (w.fill("col.in_period", &[("period", ctx.period())]), true),
            (w.get("col.cumulative"), true),
        ]
    };
    let mut followed = TableBuilder::with_labels(
        ctx,
        "flow",
        w.fill("flow.caption", &[("period", ctx.period())]),
        columns(),
    );
    for ((label, a), (_, b)) in charts::flow_stages(ctx, &p.ended, false)
        .into_iter()
        .zip(charts::flow_stages(ctx, &c.ended, false))
    {
        followed.row(vec![label, format::count(&a), format::count(&b)]);
    }
    let mut activity = TableBuilder::with_labels(
        ctx,
        "activity",
        w.fill("flow.activity_caption", &[("period", ctx.period())]),
        columns(),
    );
    for (key, a, b) in [
        ("flow.referred", &p.referred, &c.referred),
        ("flow.started", &p.started, &c.started),
        (
            "flow.baseline_assessed",
            &p.baseline_assessed,
            &c.baseline_assessed,
        ),
        ("flow.discharged", &p.discharged, &c.discharged),
        ("flow.completed", &p.completed, &c.completed),
        (
            "flow.in_support",
            &p.in_support_at_end,
            &c.in_support_at_end,
        ),
    ] {
        activity.row(vec![w.get(key), format::count(a), format::count(b)]);
    }
    for (a, b) in p.paired.iter().zip(&c.paired) {
        activity.row(vec![
            w.fill("flow.paired", &[("measure", &ctx.label(&a.measure))]),
            format::count(&a.count),
            format::count(&b.count),
        ]);
    }
    activity.note(w.get("flow.activity_note"));
    let mut reasons = TableBuilder::with_labels(
        ctx,
        "discharge-reasons",
        w.fill("flow.reasons_caption", &[("period", ctx.period())]),
        vec![
            (w.get("col.reason"), false),
            (w.fill("col.in_period", &[("period", ctx.period())]), true),
            (w.get("col.percent"), true),
            (w.get("col.cumulative"), true),
            (w.get("col.percent"), true),
        ],
    );
    shared::breakdown_rows(
        ctx,
        &mut reasons,
        &p.discharge_reasons,
        &c.discharge_reasons,
    );
    let heading = w.fill(
        "flow.heading",
        &[
            ("left", &format::count(&p.ended.left)),
            ("completed", &format::count(&p.ended.completed)),
            ("period", ctx.period()),
        ],
    );
    let lead = w.fill(
        "flow.lead",
        &[
            ("period", ctx.period()),
            ("supported", &format::count(&m.people.period.supported)),
            ("new", &format::count(&m.people.period.new)),
            ("continuing", &format::count(&m.people.period.continuing)),
        ],
    );
    let mut blocks = vec![ctx.figure(charts::funnel(ctx, "flow", p, false)?)];
    blocks.push(Block::Table {
        table: followed.finish(),
    });
    if let Some(measure) = &p.ended.measure
        && let Some(text) = points::completion(ctx, measure)
    {
        blocks.push(Block::Text { text });
    }
    blocks.push(Block::Table {
        table: activity.finish(),
    });
    blocks.push(Block::Table {
        table: reasons.finish(),
    });
    Ok(section(ctx, "flow", heading, Some(lead), blocks))
}

fn people(ctx: &Ctx) -> Result<Section, RenderError> {
    let m = ctx.m;
    let w = ctx.w;
    let (p, c) = (&m.people.period, &m.people.cumulative);
    let mut blocks = Vec::new();
    for (dp, dc) in p.dimensions.iter().zip(&c.dimensions) {
        let mut t = TableBuilder::with_labels(
            ctx,
            &format!("people-{}", dp.id),
            w.fill(
                "people.caption",
                &[("dimension", &dp.label), ("period", ctx.period())],
            ),
            vec![
                (dp.label.clone(), false),
                (w.fill("col.in_period", &[("period", ctx.period())]), true),
                (w.get("col.percent"), true),
                (w.get("col.cumulative"), true),
                (w.get("col.percent"), true),
            ],
        );
        shared::breakdown_rows(ctx, &mut t, &dp.breakdown, &dc.breakdown);
        blocks.push(Block::Table { table: t.finish() });
    }
    blocks.extend(shared::reach(ctx, p)?);
    let heading = w.fill(
        "people.heading",
        &[
            ("supported", &format::count(&p.supported)),
            ("cumulative", &format::count(&c.supported)),
        ],
    );
    Ok(section(
        ctx,
        "people",
        heading,
        Some(w.get("people.lead")),
        blocks,
    ))
}

fn spread(ctx: &Ctx, s: &Option<Based<Spread>>, dp: usize) -> [String; 2] {
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

fn engagement(ctx: &Ctx) -> Section {
    let m = ctx.m;
    let w = ctx.w;
    let (p, c) = (&m.engagement.period, &m.engagement.cumulative);
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
        ctx.share(&p.dna_rate),
        ctx.share(&c.dna_rate),
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
    let mut phases = TableBuilder::new(
        ctx,
        "engagement-phases",
        w.fill("engagement.phase_caption", &[("period", ctx.period())]),
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
            ctx.share(&ph.dna_rate),
            s,
        ]);
    }
    let ct = &p.contact_modes;
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
    let mut blocks = vec![Block::Table { table: t.finish() }];
    if !p.by_phase.is_empty() {
        blocks.push(Block::Table {
            table: phases.finish(),
        });
    }
    blocks.push(Block::Table {
        table: modes.finish(),
    });
    if !c.support_types.parts.is_empty() {
        blocks.push(Block::Table {
            table: support.finish(),
        });
    }
    section(
        ctx,
        "engagement",
        heading,
        Some(w.get("engagement.lead")),
        blocks,
    )
}

/// The table of one measure's comparisons: the main one for the period and
/// cumulatively, then each phase span.
fn outcome_table(ctx: &Ctx, measure: &str) -> super::Table {
    let w = ctx.w;
    let dp = ctx.dp(measure);
    let mcid = ctx.measure(measure).and_then(|m| m.mcid);
    let mut t = TableBuilder::with_labels(
        ctx,
        &format!("outcome-{measure}"),
        w.fill(
            "outcomes.caption",
            &[
                ("measure", &ctx.label(measure)),
                ("period", ctx.period()),
                ("from", &ctx.timepoint_in_text(&ctx.m.meta.compare.from)),
                ("to", &ctx.timepoint_in_text(&ctx.m.meta.compare.to)),
            ],
        ),
        vec![
            (w.get("col.comparison"), false),
            (w.get("col.n"), true),
            (w.get("col.from_mean_sd"), true),
            (w.get("col.to_mean_sd"), true),
            (w.get("col.change_ci"), true),
            (w.get("col.dz_ci"), true),
            (
                match mcid {
                    Some(v) => w.fill("col.improved_mcid", &[("mcid", &format::number(v, dp))]),
                    None => w.get("col.better"),
                },
                true,
            ),
            (w.get("col.t_p"), true),
            (w.get("col.wilcoxon_p"), true),
            (w.get("col.holm_p"), true),
        ],
    );
    let windows = [
        (&ctx.m.outcomes.period, ctx.period().to_owned()),
        (&ctx.m.outcomes.cumulative, w.get("col.cumulative")),
    ];
    for (o, window) in windows {
        for c in o.comparisons.iter().filter(|c| c.measure == measure) {
            let label = w.fill(
                "outcomes.row",
                &[("span", &c.span_label), ("window", &window)],
            );
            let hidden = c.result.is_none() && c.n.is_suppressed();
            let row = match &c.result {
                Some(r) => {
                    let mean_sd = |s: &Summary| match s.sd {
                        Some(sd) => format!(
                            "{} ({})",
                            format::number(s.mean, dp),
                            format::number(sd, dp)
                        ),
                        None => format::number(s.mean, dp),
                    };
                    let share = if mcid.is_some() {
                        ctx.share_opt(&r.improved)
                    } else {
                        ctx.share(&r.better)
                    };
                    vec![
                        label,
                        format::count(&c.n),
                        mean_sd(&r.from),
                        mean_sd(&r.to),
                        ctx.estimate(r.mean_change.as_ref(), dp, true, false),
                        ctx.estimate(r.d_z.as_ref(), 2, true, false),
                        share,
                        ctx.p(&r.paired_t, |t| t.p),
                        ctx.p(&r.wilcoxon, |t| t.p),
                        c.p_holm.map_or_else(String::new, format::p_cell),
                    ]
                }
                None => {
                    let gap = if hidden {
                        format::SUPPRESSED.to_owned()
                    } else {
                        w.get("cell.no_pairs")
                    };
                    let mut row = vec![label, format::count(&c.n)];
                    row.extend(std::iter::repeat_n(gap, 8));
                    row
                }
            };
            if c.main {
                t.total(row)
            } else {
                t.row(row)
            };
        }
    }
    t.note(w.fill(
        "outcomes.table_note",
        &[
            ("from", &ctx.timepoint_in_text(&ctx.m.meta.compare.from)),
            ("to", &ctx.timepoint_in_text(&ctx.m.meta.compare.to)),
        ],
    ));
    t.finish()
}

fn outcomes(ctx: &Ctx) -> Result<Section, RenderError> {
    let m = ctx.m;
    let w = ctx.w;
    let mut blocks = vec![Block::Table {
        table: shared::glance(ctx),
    }];
    let star: Vec<&OutcomeComparison> = main_comparisons(&m.outcomes.period)
        .filter(|c| {
            ctx.measure(&c.measure)
                .is_some_and(|i| i.instrument == "wellbeing_star" && !c.measure.ends_with("_total"))
        })
        .collect();
    if star.len() >= 3 {
        blocks.push(ctx.figure(charts::radar(ctx, "star", &star)?));
    }
    let first_dim = |measure: &str| m.cohorts.period.iter().find(|c| c.measure == measure);
    for c in main_comparisons(&m.outcomes.period) {
        let label = ctx.label(&c.measure);
        let mut sub = Vec::new();
        let lead = phrases::outcome(ctx, c);
        sub.push(Block::Table {
            table: outcome_table(ctx, &c.measure),
        });
        if c.result.is_some() || c.n.is_suppressed() {
            sub.push(ctx.figure(charts::dumbbell(
                ctx,
                &format!("dumbbell-{}", c.measure),
                c,
                first_dim(&c.measure),
            )?));
        }
        if c.result
            .as_ref()
            .is_some_and(|r| !r.distribution.is_empty())
        {
            sub.push(ctx.figure(charts::distribution(
                ctx,
                &format!("change-{}", c.measure),
                c,
            )?));
        }
        blocks.push(Block::Subsection {
            id: format!("outcome-{}", c.measure),
            heading: heading_for(ctx, c, &label),
            lead: Some(lead.join(" ")),
            blocks: sub,
        });
    }
    let heading = primary(ctx, &m.outcomes.period)
        .and_then(|c| {
            let r = c.result.as_ref()?;
            let p = phrases::headline_share(c)?.percent()?;
            let key = if r.mcid.is_some() && r.improved.is_some() {
                "outcomes.heading"
            } else {
                "outcomes.heading_any"
            };
            Some(w.fill(
                key,
                &[
                    (
                        "topic",
                        &crate::words::capitalise(&phrases::topic(ctx, &c.measure)),
                    ),
                    ("tenths", &format::in_ten(p)),
                ],
            ))
        })
        .unwrap_or_else(|| w.get("outcomes.heading_none"));
    Ok(section(
        ctx,
        "outcomes",
        heading,
        Some(w.get("outcomes.lead")),
        blocks,
    ))
}

/// "SWEMWBS (metric score): up 1.1 points on average".
fn heading_for(ctx: &Ctx, c: &OutcomeComparison, label: &str) -> String {
    let w = ctx.w;
    match c.result.as_ref().and_then(|r| r.mean_change) {
        Some(e) => {
            let key = match phrases::clear(&e) {
                Some(false) | None => "outcomes.sub_unclear",
                Some(true) if e.value > 0.0 => "outcomes.sub_up",
                Some(true) => "outcomes.sub_down",
            };
            w.fill(
                key,
                &[
                    ("measure", label),
                    ("change", &format::number(e.value.abs(), ctx.dp(&c.measure))),
                ],
            )
        }
        None => w.fill("outcomes.sub_none", &[("measure", label)]),
    }
}

fn medication(ctx: &Ctx) -> Result<Option<Section>, RenderError> {
    shared::medication(ctx)
}

fn trajectories(ctx: &Ctx) -> Result<Option<Section>, RenderError> {
    let m = ctx.m;
    if m.meta.timepoints.len() < 3 || m.trajectories.is_empty() {
        return Ok(None);
    }
    let w = ctx.w;
    let mut blocks = Vec::new();
    for tr in &m.trajectories {
        if tr.n.value == Some(0) {
            continue;
        }
        blocks.push(ctx.figure(charts::trajectory(
            ctx,
            &format!("trajectory-{}", tr.measure),
            tr,
        )?));
    }
    if blocks.is_empty() {
        blocks.push(Block::Text {
            text: w.get("trajectories.none"),
        });
    }
    let tps: Vec<String> = m.meta.timepoints.iter().map(|t| t.label.clone()).collect();
    Ok(Some(section(
        ctx,
        "trajectories",
        w.get("trajectories.heading"),
        Some(w.fill("trajectories.lead", &[("timepoints", &tps.join(", "))])),
        blocks,
    )))
}

fn cohorts(ctx: &Ctx) -> Result<Option<Section>, RenderError> {
    let m = ctx.m;
    if m.cohorts.period.is_empty() {
        return Ok(None);
    }
    let w = ctx.w;
    let mut blocks = vec![Block::Text {
        text: w.get("cohorts.lead_note"),
    }];
    let mut measures: Vec<&str> = Vec::new();
    for c in &m.cohorts.period {
        if !measures.contains(&c.measure.as_str()) {
            measures.push(&c.measure);
        }
    }
    for measure in measures {
        let comps: Vec<&CohortComparison> = m
            .cohorts
            .period
            .iter()
            .filter(|c| c.measure == measure)
            .collect();
        let mut sub = vec![ctx.figure(charts::forest(
            ctx,
            &format!("forest-{measure}"),
            measure,
            &comps,
        )?)];
        sub.push(Block::Table {
            table: super::cohorts::cohort_table(ctx, measure, &comps),
        });
        let findings: Vec<String> = comps
            .iter()
            .map(|c| super::cohorts::difference_sentence(ctx, c))
            .collect();
        blocks.push(Block::Subsection {
            id: format!("cohorts-{measure}"),
            heading: ctx.label(measure),
            lead: Some(findings.join(" ")),
            blocks: sub,
        });
    }
    Ok(Some(section(
        ctx,
        "cohorts",
        w.get("cohorts.heading"),
        Some(w.get("cohorts.lead")),
        blocks,
    )))
}

fn attrition(ctx: &Ctx) -> Section {
    let m = ctx.m;
    let w = ctx.w;
    let mut t = TableBuilder::new(
        ctx,
        "attrition",
        w.get("attrition.caption"),
        &[
            ("col.measure", false),
            ("col.completers_n", true),
            ("col.completers_baseline", true),
            ("col.baseline_only_n", true),
            ("col.baseline_only_baseline", true),
            ("col.smd", true),
            ("col.welch_p", true),
        ],
    );
    let mut worse = Vec::new();
    for a in &m.attrition {
        let dp = ctx.dp(&a.measure);
        let mean = |b: &Based<Summary>| match &b.value {
            Some(s) => format::number(s.mean, dp),
            None if b.n.is_suppressed() => format::SUPPRESSED.to_owned(),
            None => w.get("cell.none"),
        };
        t.row(vec![
            ctx.label(&a.measure),
            format::count(&a.completers.n),
            mean(&a.completers),
            format::count(&a.baseline_only.n),
            mean(&a.baseline_only),
            a.standardised_difference
                .map_or_else(|| w.get("cell.not_computed"), |d| format::signed(d, 2)),
            ctx.p(&a.welch_t, |t| t.p),
        ]);
        if let (Test::Ran(t), Some(d)) = (&a.welch_t, a.standardised_difference)
            && t.p < 0.05
            && d.abs() >= 0.2
        {
            worse.push(ctx.label(&a.measure));
        }
    }
    let mut s = TableBuilder::new(
        ctx,
        "sensitivity",
        w.get("sensitivity.caption"),
        &[
            ("col.measure", false),
            ("col.analysis", false),
            ("col.n", true),
            ("col.change_ci", true),
        ],
    );
    for x in &m.sensitivity {
        let dp = ctx.dp(&x.measure);
        for (key, b) in [
            ("sensitivity.completers", &x.completers),
            ("sensitivity.carried", &x.carried_forward),
        ] {
            s.row(vec![
                ctx.label(&x.measure),
                w.get(key),
                format::count(&b.n),
                ctx.estimate(
                    b.value.as_ref(),
                    dp,
                    true,
                    b.value.is_none() && b.n.is_suppressed(),
                ),
            ]);
        }
    }
    let heading = if worse.is_empty() {
        w.get("attrition.heading_similar")
    } else {
        w.fill(
            "attrition.heading_differ",
            &[("measures", &worse.join(", "))],
        )
    };
    section(
        ctx,
        "attrition",
        heading,
        Some(w.get("attrition.lead")),
        vec![
            Block::Table { table: t.finish() },
            Block::Table { table: s.finish() },
        ],
    )
}

fn trend(ctx: &Ctx) -> Result<Section, RenderError> {
    let w = ctx.w;
    let tr = &ctx.m.trend;
    let blocks = if tr.quarters.is_empty() {
        vec![Block::Text {
            text: w.get("trend.none"),
        }]
    } else {
        vec![ctx.figure(charts::trend(ctx, "trend", tr)?)]
    };
    Ok(section(
        ctx,
        "trend",
        w.fill(
            "trend.heading",
            &[("quarters", &tr.quarters.len().to_string())],
        ),
        Some(
            w.fill(
                "trend.lead",
                &[(
                    "measure",
                    &tr.measure
                        .as_deref()
                        .map(|m| ctx.label(m))
                        .unwrap_or_default(),
                )],
            ),
        ),
        blocks,
    ))
}
