//! The commissioner's cohort comparison: cohorts side by side on every measure (change
//! with its interval and n, baseline, effect size, share improved, baseline-adjusted
//! change), forest plots, differences described only where a cohort test supports them,
//! reach against the local population, and activity and cost per person.

use super::cohorts::{cohort_table, difference_sentence};
use super::phrases;
use super::points::{self, Register};
use super::shared;
use super::{Block, Ctx, Section, Table, TableBuilder};
use crate::RenderError;
use crate::charts;
use crate::format;
use sprout_config::CostBasis;
use sprout_model::*;

/// Measures per overview table, so that a table fits a portrait page.
const MEASURES_PER_TABLE: usize = 5;

pub fn sections(ctx: &Ctx) -> Result<Vec<Section>, RenderError> {
    let m = ctx.m;
    let w = ctx.w;
    let mut out = Vec::new();
    let measures = measures(ctx);

    if let Some(grid) = super::cohorts::grid(ctx, "grid") {
        out.push(glance_grid(ctx, grid));
    }
    out.push(summary(ctx));

    out.push(overview(ctx));

    // One section per measure.
    for measure in &measures {
        let comps: Vec<&CohortComparison> = m
            .cohorts
            .period
            .iter()
            .filter(|c| &c.measure == measure)
            .collect();
        if comps.is_empty() {
            continue;
        }
        let findings: Vec<String> = comps.iter().map(|c| difference_sentence(ctx, c)).collect();
        let mut blocks = Vec::new();
        // A forest plot only where a test across cohorts ran: elsewhere it would invite
        // comparisons no test supports.
        if super::cohorts::any_test_ran(&comps) {
            blocks.push(ctx.figure(charts::forest(
                ctx,
                &format!("forest-{measure}"),
                measure,
                &super::cohorts::tested(&comps),
            )?));
        }
        blocks.push(Block::Table {
            table: cohort_table(ctx, measure, &comps),
        });
        out.push(Section {
            id: format!("measure-{measure}"),
            number: None,
            kicker: ctx.label(measure),
            heading: summary_heading(ctx, measure),
            lead: Some(findings.join(" ")),
            blocks,
            appendix: false,
        });
    }
    if let Some(mut s) = shared::medication(ctx)? {
        if let Some(t) = medication_by_cohort(ctx) {
            s.blocks.push(Block::Table { table: t });
        }
        out.push(s);
    }
    // Reach.
    let reach = shared::reach(ctx, &m.people.period)?;
    if !reach.is_empty() {
        out.push(Section {
            id: "reach".into(),
            number: None,
            kicker: w.get("section.reach"),
            heading: w.get("commissioner.reach_heading"),
            lead: Some(w.get("commissioner.reach_lead")),
            blocks: reach,
            appendix: false,
        });
    }
    out.push(activity(ctx));
    out.push(Section {
        id: "about".into(),
        number: None,
        kicker: w.get("section.about"),
        heading: w.get("about.heading"),
        lead: None,
        blocks: vec![Block::Points {
            items: shared::about_figures(ctx),
        }],
        appendix: false,
    });
    out.push(shared::glossary(ctx, None, &out));
    Ok(out)
}

/// The first page after the cover: did the cohorts differ, measure by dimension.
fn glance_grid(ctx: &Ctx, grid: Table) -> Section {
    let w = ctx.w;
    let comps = &ctx.m.cohorts.period;
    let tested = comps
        .iter()
        .filter(|c| {
            matches!(
                c.finding.verdict,
                GroupVerdict::Differ | GroupVerdict::NoClearDifference
            )
        })
        .count();
    let differ = comps
        .iter()
        .filter(|c| c.finding.verdict == GroupVerdict::Differ)
        .count();
    let heading = if tested == 0 {
        w.get("commissioner.grid_heading_untested")
    } else {
        w.fill(
            "commissioner.grid_heading",
            &[
                ("differ", &differ.to_string()),
                ("tested", &tested.to_string()),
            ],
        )
    };
    Section {
        id: "glance".into(),
        number: None,
        kicker: w.get("section.glance"),
        heading,
        lead: Some(w.get("commissioner.grid_lead")),
        blocks: vec![Block::Table { table: grid }],
        appendix: false,
    }
}

/// Cohorts side by side: one matrix per dimension of every measure's change and n.
fn overview(ctx: &Ctx) -> Section {
    let (m, w) = (ctx.m, ctx.w);
    let mut overview = Vec::new();
    let dims: Vec<&str> = {
        let mut d: Vec<&str> = Vec::new();
        for c in &m.cohorts.period {
            if !d.contains(&c.dimension.as_str()) {
                d.push(&c.dimension);
            }
        }
        d
    };
    for dim in &dims {
        let comps: Vec<&CohortComparison> = m
            .cohorts
            .period
            .iter()
            .filter(|c| &c.dimension == dim)
            .collect();
        let Some(first) = comps.first() else { continue };
        // One matrix per dimension, in parts of a landscape page's width.
        let parts = comps.len().div_ceil(MEASURES_PER_TABLE);
        for (i, chunk) in comps.chunks(MEASURES_PER_TABLE).enumerate() {
            let mut table = matrix(
                ctx,
                &format!("matrix-{dim}-{i}"),
                &first.dimension_label,
                chunk,
            );
            if parts > 1 {
                table.caption = w.fill(
                    "commissioner.matrix_part",
                    &[
                        ("caption", &table.caption),
                        ("part", &(i + 1).to_string()),
                        ("parts", &parts.to_string()),
                    ],
                );
            }
            overview.push(Block::Table { table });
        }
    }
    if overview.is_empty() {
        overview.push(Block::Text {
            text: w.get("commissioner.no_cohorts"),
        });
    }
    Section {
        id: "overview".into(),
        number: None,
        kicker: w.get("section.overview"),
        heading: w.get("commissioner.overview_heading"),
        lead: Some(w.get("commissioner.overview_lead")),
        blocks: overview,
        appendix: false,
    }
}

/// The summary: the headline, change over time, how cohorts compare on the primary
/// outcome, every measure at a glance, pain medication, reach and cost.
fn summary(ctx: &Ctx) -> Section {
    let m = ctx.m;
    let w = ctx.w;
    let mut points = Vec::new();
    let mut heading = None;
    for p in &m.main_points.points {
        match p {
            MainPoint::Headline { measure } => {
                if let Some((h, point)) = points::headline(ctx, measure) {
                    heading = h;
                    points.push(point);
                }
            }
            MainPoint::OverTime(o) => points.extend(points::over_time(ctx, o, Register::Technical)),
            MainPoint::Groups(g) => points.extend(points::group_point(ctx, g, Register::Technical)),
            MainPoint::Pain { measure } => points.extend(points::pain(ctx, measure)),
            MainPoint::Medication => {
                if let Some(med) = &m.medication {
                    let said = phrases::medication(ctx, &med.period);
                    if !said.is_empty() {
                        points.push(said.join(" "));
                    }
                }
            }
            MainPoint::Completion { .. } | MainPoint::Sensitivity { .. } => {}
        }
    }
    points.extend(
        m.people
            .period
            .reach
            .iter()
            .filter_map(|r| phrases::reach(ctx, r)),
    );
    if let Some(costs) = &m.costs
        && let Some(v) = costs.period.per_person_supported
    {
        points.push(w.fill(
            "commissioner.cost_lead",
            &[("cost", &format::pounds(v)), ("period", ctx.period())],
        ));
    }
    points.push(w.get("commissioner.design"));
    Section {
        id: "summary".into(),
        number: None,
        kicker: w.get("section.summary"),
        heading: heading.unwrap_or_else(|| w.get("commissioner.heading_none")),
        lead: None,
        blocks: vec![
            Block::Points { items: points },
            Block::Table {
                table: shared::glance(ctx),
            },
        ],
        appendix: false,
    }
}

fn measures(ctx: &Ctx) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for c in &ctx.m.cohorts.period {
        if !out.contains(&c.measure) {
            out.push(c.measure.clone());
        }
    }
    out
}

/// "SWEMWBS (metric score): no clear difference between cohorts" or "... differed by
/// surgery type".
fn summary_heading(ctx: &Ctx, measure: &str) -> String {
    let w = ctx.w;
    let differing: Vec<String> = ctx
        .m
        .cohorts
        .period
        .iter()
        .filter(|c| c.measure == measure && c.finding.verdict == GroupVerdict::Differ)
        .map(|c| crate::words::in_sentence(&c.dimension_label))
        .collect();
    let any_ran =
        ctx.m.cohorts.period.iter().any(|c| {
            c.measure == measure && c.tests.first().is_some_and(|t| t.result.ran().is_some())
        });
    if !any_ran {
        w.fill(
            "commissioner.heading_untested",
            &[("topic", &phrases::topic(ctx, measure))],
        )
    } else if differing.is_empty() {
        w.fill(
            "commissioner.heading_same",
            &[("topic", &phrases::topic(ctx, measure))],
        )
    } else {
        w.fill(
            "commissioner.heading_differ",
            &[
                ("topic", &phrases::topic(ctx, measure)),
                ("dimensions", &differing.join(", ")),
            ],
        )
    }
}

/// Cohorts by measures for one dimension: each cell the change with its interval and n.
fn matrix(ctx: &Ctx, id: &str, dimension: &str, comps: &[&CohortComparison]) -> Table {
    let w = ctx.w;
    let mut columns = vec![(dimension.to_owned(), false)];
    for c in comps {
        columns.push((
            crate::words::capitalise(&phrases::topic(ctx, &c.measure)),
            true,
        ));
        columns.push((w.get("col.n"), true));
    }
    let mut t = TableBuilder::with_labels(
        ctx,
        id,
        w.fill(
            "commissioner.matrix_caption",
            &[("dimension", dimension), ("period", ctx.period())],
        ),
        columns,
    );
    // The change and its n, each in a column of its own.
    let cells = |r: &CohortRow, measure: &str| -> [String; 2] {
        let hidden = r.mean_change().is_none() && r.n.is_suppressed();
        if r.result.is_none() && !hidden {
            return [w.get("cell.no_pairs"), format::count(&r.n)];
        }
        [
            ctx.estimate(r.mean_change().as_ref(), ctx.dp(measure), true, hidden),
            format::count(&r.n),
        ]
    };
    let mut overall = vec![w.get("chart.all_people")];
    overall.extend(comps.iter().flat_map(|c| cells(&c.overall, &c.measure)));
    t.total(overall);
    // Rows: every cohort seen for any measure, in the first measure's order.
    let mut keys: Vec<(String, String)> = Vec::new();
    for c in comps {
        for r in &c.cohorts {
            if !keys.iter().any(|k| k.0 == r.key) {
                keys.push((r.key.clone(), r.label.clone()));
            }
        }
    }
    for (key, label) in keys {
        let mut row = vec![label];
        for c in comps {
            match c.cohorts.iter().find(|r| r.key == key) {
                Some(r) => row.extend(cells(r, &c.measure)),
                None => row.extend([w.get("cell.no_pairs"), "0".to_owned()]),
            }
        }
        t.row(row);
    }
    t.note(w.get("commissioner.matrix_note"));
    let scales: Vec<String> = comps
        .iter()
        .map(|c| super::cohorts::plain_name(ctx, &c.measure))
        .collect();
    t.note(w.fill(
        "commissioner.matrix_scales",
        &[("scales", &scales.join("; "))],
    ));
    t.wide();
    t.finish()
}

/// Activity per person, and cost per person where the config gives costs.
fn activity(ctx: &Ctx) -> Section {
    let m = ctx.m;
    let w = ctx.w;
    let (p, c) = (&m.engagement.period, &m.engagement.cumulative);
    let mut t = TableBuilder::with_labels(
        ctx,
        "activity",
        w.fill("commissioner.activity_caption", &[("period", ctx.period())]),
        vec![
            (w.get("col.measure"), false),
            (w.fill("col.in_period", &[("period", ctx.period())]), true),
            (w.get("col.cumulative"), true),
        ],
    );
    t.row(vec![
        w.get("commissioner.supported"),
        format::count(&m.people.period.supported),
        format::count(&m.people.cumulative.supported),
    ]);
    t.row(vec![
        w.get("engagement.attended"),
        format::count(&p.attended),
        format::count(&c.attended),
    ]);
    let spread = |s: &Option<Based<Spread>>| match s {
        Some(Based { value: Some(v), .. }) => w.fill(
            "cell.median_iqr",
            &[
                ("median", &format::number(v.median, 0)),
                ("q1", &format::number(v.q1, 0)),
                ("q3", &format::number(v.q3, 0)),
            ],
        ),
        Some(Based { value: None, .. }) => format::SUPPRESSED.to_owned(),
        None => w.get("cell.none"),
    };
    t.row(vec![
        w.get("commissioner.sessions_per_person"),
        spread(&p.sessions_per_client),
        spread(&c.sessions_per_client),
    ]);
    t.row(vec![
        w.get("commissioner.minutes_per_person"),
        spread(&p.minutes_per_client),
        spread(&c.minutes_per_client),
    ]);
    t.row(vec![
        w.get("engagement.dna_rate"),
        ctx.share_ci(&p.dna_rate),
        ctx.share_ci(&c.dna_rate),
    ]);
    let mut blocks = Vec::new();
    let lead;
    if let Some(costs) = &m.costs {
        // No figure: hidden with its count, or nobody to divide by.
        let money = |v: Option<f64>, by: &Count| match v {
            Some(v) => format::pounds(v),
            None if by.is_suppressed() => format::SUPPRESSED.to_owned(),
            None => w.get("cell.none"),
        };
        let (cp, cc) = (&costs.period, &costs.cumulative);
        t.row(vec![
            w.get("commissioner.cost_total"),
            format::pounds(cp.total),
            format::pounds(cc.total),
        ]);
        t.row(vec![
            w.get("commissioner.cost_per_person"),
            money(cp.per_person_supported, &cp.people_supported),
            money(cc.per_person_supported, &cc.people_supported),
        ]);
        t.row(vec![
            w.get("commissioner.cost_per_completed"),
            money(cp.per_completed_episode, &cp.completed),
            money(cc.per_completed_episode, &cc.completed),
        ]);
        let basis = match cp.basis {
            CostBasis::PerQuarter => w.fill(
                "commissioner.cost_basis_quarter",
                &[("rate", &format::pounds(cp.rate))],
            ),
            CostBasis::PerContactHour => w.fill(
                "commissioner.cost_basis_hour",
                &[("rate", &format::pounds(cp.rate))],
            ),
        };
        t.note(basis);
        if m.meta.disclosure.rounded_to.is_some() {
            t.note(w.get("commissioner.cost_rounded"));
        }
        lead = match cp.per_person_supported {
            Some(v) => w.fill(
                "commissioner.cost_lead",
                &[("cost", &format::pounds(v)), ("period", ctx.period())],
            ),
            None => w.get("commissioner.activity_lead"),
        };
    } else {
        lead = w.get("commissioner.activity_lead");
        blocks.push(Block::Text {
            text: w.get("commissioner.no_costs"),
        });
    }
    blocks.insert(0, Block::Table { table: t.finish() });
    Section {
        id: "activity".into(),
        number: None,
        kicker: w.get("section.activity"),
        heading: w.get("commissioner.activity_heading"),
        lead: Some(lead),
        blocks,
        appendix: false,
    }
}

/// Pain medication by cohort: for each dimension, each cohort's pairs, whether people
/// were on an opioid and on a high dose before and after, and the change in daily dose.
fn medication_by_cohort(ctx: &Ctx) -> Option<Table> {
    let med = &ctx.m.medication.as_ref()?.period;
    if med.by_cohort.is_empty() {
        return None;
    }
    let w = ctx.w;
    let (from, to) = (ctx.timepoint(&med.from), ctx.timepoint(&med.to));
    let mut t = TableBuilder::with_labels(
        ctx,
        "medication-by-cohort",
        w.fill(
            "commissioner.medication_caption",
            &[("period", ctx.period())],
        ),
        vec![
            (w.get("col.cohort"), false),
            (w.get("col.n"), true),
            (
                w.fill("commissioner.on_opioid_at", &[("timepoint", &from)]),
                true,
            ),
            (
                w.fill("commissioner.on_opioid_at", &[("timepoint", &to)]),
                true,
            ),
            (w.get("commissioner.ome_change"), true),
            (
                w.fill("commissioner.high_dose_at", &[("timepoint", &from)]),
                true,
            ),
            (
                w.fill("commissioner.high_dose_at", &[("timepoint", &to)]),
                true,
            ),
        ],
    );
    let share = |b: &Option<BinaryOutcome>, after: bool, hidden: bool| match b {
        Some(b) => ctx.share(if after { &b.after } else { &b.before }),
        None if hidden => format::SUPPRESSED.to_owned(),
        None => w.get("cell.none"),
    };
    for d in &med.by_cohort {
        t.group(d.dimension_label.clone());
        for c in &d.cohorts {
            let hidden = c.pairs.is_suppressed();
            t.row(vec![
                c.label.clone(),
                format::count(&c.pairs),
                share(&c.on_opioid, false, hidden),
                share(&c.on_opioid, true, hidden),
                ctx.estimate(
                    c.ome.as_ref().and_then(|s| s.mean_change).as_ref(),
                    0,
                    true,
                    hidden,
                ),
                share(&c.high_dose, false, hidden),
                share(&c.high_dose, true, hidden),
            ]);
        }
    }
    t.note(w.get("commissioner.medication_note"));
    Some(t.finish())
}
