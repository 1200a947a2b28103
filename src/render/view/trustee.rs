//! The trustees' two-page summary in plain English. Page one: the headline, three or four
//! key figures each with its n and its uncertainty, and a slim flow bar. Page two:
//! wellbeing before and after, reach against the local population, what this means, and
//! about these figures. No p-values.

use super::phrases::{self, primary};
use super::shared;
use super::{Block, Ctx, KeyFigure, Section};
use crate::model::*;
use crate::render::RenderError;
use crate::render::charts;
use crate::render::format;

pub fn sections(ctx: &Ctx) -> Result<Vec<Section>, RenderError> {
    let m = ctx.m;
    let w = ctx.w;
    let o = &m.outcomes.period;
    let main = primary(ctx, o);

    let mut figures = vec![KeyFigure {
        figure: format::count(&m.people.period.supported),
        label: w.fill("trustee.supported_label", &[("period", ctx.period())]),
        detail: w.fill(
            "trustee.supported_detail",
            &[
                ("cumulative", &format::count(&m.people.cumulative.supported)),
                ("start", &format::date(m.meta.cumulative.start)),
            ],
        ),
    }];
    if let Some(c) = main {
        figures.push(better_figure(ctx, c));
    }
    if let Some(c) = pain(ctx, o)
        && let Some(f) = change_figure(ctx, c)
    {
        figures.push(f);
    }
    if let Some(med) = &m.medication
        && let Some(s) = &med.period.ome
    {
        figures.push(KeyFigure {
            figure: w.fill(
                "trustee.dose_figure",
                &[
                    ("before", &format::number(s.from_mean.value, 0)),
                    ("after", &format::number(s.to_mean.value, 0)),
                ],
            ),
            label: w.get("trustee.dose_label"),
            detail: w.fill(
                "trustee.dose_detail",
                &[("n", &format::count(&med.period.pairs))],
            ),
        });
    }
    figures.truncate(4);

    // The share better where it can be shown, else the average change, else why not.
    let headline = main.map_or_else(
        || w.get("trustee.no_outcomes"),
        |c| {
            phrases::share_better(ctx, c)
                .or_else(|| phrases::mean_change(ctx, c))
                .unwrap_or_else(|| phrases::no_result(ctx, c))
        },
    );
    let page_one = Section {
        id: "summary".into(),
        number: None,
        kicker: w.get("section.summary"),
        heading: w.fill("trustee.heading", &[("period", ctx.period())]),
        lead: Some(headline),
        blocks: vec![
            Block::KeyFigures { items: figures },
            ctx.figure(charts::funnel(ctx, "flow", &m.flow.period, true)?),
        ],
        appendix: false,
    };

    let mut charts_blocks = Vec::new();
    if let Some(c) = main
        && c.result.is_some()
    {
        charts_blocks.push(ctx.figure(charts::dumbbell(
            ctx,
            &format!("dumbbell-{}", c.measure),
            c,
            None,
        )?));
    }
    let reach = shared::reach(ctx, &m.people.period)?;
    charts_blocks.extend(
        reach
            .into_iter()
            .filter(|b| matches!(b, Block::Figure { .. })),
    );

    let mut meaning = Vec::new();
    if let Some(c) = main {
        match phrases::mean_change(ctx, c) {
            Some(s) => meaning.push(s),
            None => meaning.push(phrases::no_result(ctx, c)),
        }
    }
    if let Some(med) = &m.medication {
        let s = phrases::medication(ctx, &med.period);
        if !s.is_empty() {
            meaning.push(s.join(" "));
        }
    }
    meaning.extend(
        m.people
            .period
            .reach
            .iter()
            .filter_map(|r| phrases::reach(ctx, r))
            .take(1),
    );
    meaning.truncate(3);

    Ok(vec![
        page_one,
        Section {
            id: "charts".into(),
            number: None,
            kicker: w.get("section.outcomes"),
            heading: w.get("trustee.charts_heading"),
            lead: None,
            blocks: charts_blocks,
            appendix: false,
        },
        Section {
            id: "meaning".into(),
            number: None,
            kicker: w.get("section.meaning"),
            heading: w.get("trustee.meaning_heading"),
            lead: None,
            blocks: vec![
                Block::Points { items: meaning },
                Block::Aside {
                    title: w.get("about.heading"),
                    items: shared::about_figures(ctx),
                },
            ],
            appendix: false,
        },
    ])
}

/// The pain measure to headline: BPI severity where configured.
fn pain<'a>(ctx: &Ctx, o: &'a Outcomes) -> Option<&'a OutcomeComparison> {
    let is_pain = |id: &str| ctx.measure(id).is_some_and(|m| m.instrument == "bpi");
    phrases::main_comparisons(o)
        .find(|c| c.measure == "bpi_severity")
        .or_else(|| phrases::main_comparisons(o).find(|c| is_pain(&c.measure)))
}

fn better_figure(ctx: &Ctx, c: &OutcomeComparison) -> KeyFigure {
    let w = ctx.w;
    let topic = phrases::topic(ctx, &c.measure);
    match c
        .result
        .as_ref()
        .and_then(|r| r.better.proportion.map(|p| (r, p)))
    {
        Some((r, p)) => KeyFigure {
            figure: format::percent(p),
            label: w.fill("trustee.better_label", &[("topic", &topic)]),
            detail: match r.better.ci {
                Some((lower, upper)) => w.fill(
                    "trustee.better_detail",
                    &[
                        ("n", &format::count(&c.n)),
                        ("lower", &format::percent(lower)),
                        ("upper", &format::percent(upper)),
                    ],
                ),
                None => w.fill(
                    "trustee.better_detail_no_ci",
                    &[("n", &format::count(&c.n))],
                ),
            },
        },
        None => KeyFigure {
            figure: format::SUPPRESSED.to_owned(),
            label: w.fill("trustee.better_label", &[("topic", &topic)]),
            detail: phrases::no_result(ctx, c),
        },
    }
}

fn change_figure(ctx: &Ctx, c: &OutcomeComparison) -> Option<KeyFigure> {
    let w = ctx.w;
    let e = c.result.as_ref()?.mean_change?;
    let dp = ctx.dp(&c.measure);
    let m = ctx.measure(&c.measure)?;
    Some(KeyFigure {
        figure: format::signed(e.value, dp),
        label: w.fill(
            "trustee.change_label",
            &[
                ("topic", &phrases::topic(ctx, &c.measure)),
                ("min", &format::number(m.min, 0)),
                ("max", &format::number(m.max, 0)),
                (
                    "better",
                    &w.get(if phrases::lower_is_better(ctx, &c.measure) {
                        "phrase.lower_better"
                    } else {
                        "phrase.higher_better"
                    }),
                ),
            ],
        ),
        detail: format!(
            "{} {}",
            w.fill("trustee.change_detail", &[("n", &format::count(&c.n))]),
            phrases::uncertainty(ctx, &e, dp)
        ),
    })
}
