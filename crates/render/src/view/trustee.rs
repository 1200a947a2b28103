//! The trustees' two-page summary in plain English. Page one: the headline (the share who
//! improved by a noticeable amount), four key figures each with its n and its uncertainty,
//! one sentence on change over time and one on groups, and the flow of the people whose
//! support ended. Page two: wellbeing before and after, reach against the local
//! population, what this means, and about these figures. No p-values.

use super::phrases::{self, primary};
use super::points::{self, Register};
use super::shared;
use super::{Block, Ctx, Definition, KeyFigure, Section};
use crate::RenderError;
use crate::charts;
use crate::format;
use sprout_model::*;

pub fn sections(ctx: &Ctx) -> Result<Vec<Section>, RenderError> {
    let m = ctx.m;
    let w = ctx.w;
    let o = &m.outcomes.period;
    let main = primary(ctx, o);

    let mut figures = vec![supported_figure(ctx)];
    if let Some(c) = main {
        figures.push(headline_figure(ctx, c));
    }
    if let Some(c) = pain(ctx, o)
        && let Some(f) = change_figure(ctx, c)
    {
        figures.push(f);
    }
    if let Some(med) = &m.medication
        && let Some(f) = dose_figure(ctx, &med.period)
    {
        figures.push(f);
    }
    figures.truncate(4);

    // The meaningful-change share where it can be shown, else the average change, else why.
    let headline = main.map_or_else(
        || w.get("trustee.no_outcomes"),
        |c| {
            phrases::headline(ctx, c)
                .or_else(|| phrases::mean_change(ctx, c))
                .unwrap_or_else(|| phrases::no_result(ctx, c))
        },
    );
    // One sentence on change over time, one on groups.
    let mut compared = Vec::new();
    compared.extend(
        m.main_points
            .over_time()
            .and_then(|t| points::over_time(ctx, t, Register::Plain)),
    );
    compared.extend(
        m.main_points
            .groups()
            .find_map(|g| points::group_point(ctx, g, Register::Plain)),
    );
    let mut page_one = vec![Block::KeyFigures { items: figures }];
    if !compared.is_empty() {
        page_one.push(Block::Subsection {
            id: "compared".into(),
            heading: w.get("trustee.compared_heading"),
            lead: None,
            blocks: vec![Block::Points { items: compared }],
        });
    }
    page_one.push(ctx.figure(charts::funnel(ctx, "flow", &m.flow.period, true)?));
    let summary = Section {
        id: "summary".into(),
        number: None,
        kicker: w.get("section.summary"),
        heading: w.fill("trustee.heading", &[("period", ctx.period())]),
        lead: Some(headline),
        blocks: page_one,
        appendix: false,
    };

    let mut charts_blocks = Vec::new();
    if let Some(c) = main
        && c.result.is_some()
    {
        charts_blocks.push(ctx.figure(charts::change_on_scale(
            ctx,
            &format!("scale-{}", c.measure),
            c,
        )?));
    }
    let reach = shared::reach(ctx, &m.people.period)?;
    charts_blocks.extend(
        reach
            .into_iter()
            .filter(|b| matches!(b, Block::Figure { .. })),
    );

    let mut out = vec![
        summary,
        Section {
            id: "charts".into(),
            number: None,
            kicker: w.get("section.outcomes"),
            heading: w.get("trustee.charts_heading"),
            // The average change the first chart shows, and how sure we can be of it.
            lead: main.and_then(|c| phrases::mean_change(ctx, c)),
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
                Block::Points {
                    items: points::implications(ctx),
                },
                Block::Aside {
                    title: w.get("about.heading"),
                    items: shared::about_figures(ctx),
                },
            ],
            appendix: false,
        },
    ];
    abbreviations(ctx, &mut out);
    Ok(out)
}

/// The abbreviations and marks the summary uses, each in a phrase, after what it means:
/// two pages leave no room for a glossary, and the other words are plain.
fn abbreviations(ctx: &Ctx, out: &mut [Section]) {
    let w = ctx.w;
    let items: Vec<Definition> = shared::glossary_terms(ctx, out)
        .into_iter()
        .filter(|d| {
            d.term.contains('[')
                || d.term
                    .as_bytes()
                    .windows(2)
                    .any(|p| p[0].is_ascii_uppercase() && p[1].is_ascii_uppercase())
        })
        .map(|d| Definition {
            meaning: shared::brief_meaning(ctx, &d),
            term: d.term,
        })
        .collect();
    if !items.is_empty()
        && let Some(meaning) = out.last_mut()
    {
        meaning.blocks.push(Block::Terms {
            title: w.get("glossary.brief_title"),
            items,
        });
    }
}

/// The pain measure to headline: BPI severity where configured.
fn pain<'a>(ctx: &Ctx, o: &'a Outcomes) -> Option<&'a OutcomeComparison> {
    let is_pain = |id: &str| ctx.measure(id).is_some_and(|m| m.instrument == "bpi");
    phrases::main_comparisons(o)
        .find(|c| c.measure == "bpi_severity")
        .or_else(|| phrases::main_comparisons(o).find(|c| is_pain(&c.measure)))
}

/// People supported, new and continuing, and since the start.
fn supported_figure(ctx: &Ctx) -> KeyFigure {
    let m = ctx.m;
    let p = &m.people.period;
    KeyFigure {
        figure: format::count(&p.supported),
        label: ctx
            .w
            .fill("trustee.supported_label", &[("period", ctx.period())]),
        detail: ctx.w.fill(
            "trustee.supported_detail",
            &[
                ("new", &format::count(&p.new)),
                ("continuing", &format::count(&p.continuing)),
                ("cumulative", &format::count(&m.people.cumulative.supported)),
                ("start", &format::date(m.meta.cumulative.start)),
            ],
        ),
    }
}

/// The share who improved by the meaningful change (or, without one, at all), with its
/// interval, and the "any rise" share defined beside it.
fn headline_figure(ctx: &Ctx, c: &OutcomeComparison) -> KeyFigure {
    let w = ctx.w;
    let topic = phrases::topic(ctx, &c.measure);
    let r = c.result.as_ref();
    let mcid = r.and_then(|r| r.mcid.zip(r.improved.as_ref()).map(|x| x.0));
    let label = match mcid {
        Some(v) => w.fill(
            "trustee.meaningful_label",
            &[("topic", &topic), ("mcid", &phrases::mcid_text(v))],
        ),
        None => w.fill("trustee.better_label", &[("topic", &topic)]),
    };
    let share = phrases::headline_share(c);
    match share.and_then(|s| s.percent().map(|p| (s, p))) {
        Some((s, p)) => {
            let mut detail = match s.percent_ci() {
                Some((lower, upper)) => w.fill(
                    "trustee.share_detail",
                    &[
                        ("n", &format::count(&c.n)),
                        ("lower", &format!("{lower}%")),
                        ("upper", &format!("{upper}%")),
                    ],
                ),
                None => w.fill("trustee.share_detail_no_ci", &[("n", &format::count(&c.n))]),
            };
            if let Some(any) = phrases::any_rise(ctx, c) {
                detail.push(' ');
                detail.push_str(&any);
            }
            KeyFigure {
                figure: format!("{p}%"),
                label,
                detail,
            }
        }
        None => KeyFigure {
            figure: format::SUPPRESSED.to_owned(),
            label,
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

/// The average daily opioid dose before and after, with how sure we can be of the fall
/// and how many stopped.
fn dose_figure(ctx: &Ctx, med: &MedicationOutcomes) -> Option<KeyFigure> {
    let w = ctx.w;
    let s = med.ome.as_ref()?;
    let mut detail = w.fill("trustee.dose_detail", &[("n", &format::count(&med.pairs))]);
    for sentence in phrases::medication_detail(ctx, med) {
        detail.push(' ');
        detail.push_str(&sentence);
    }
    Some(KeyFigure {
        figure: w.fill(
            "trustee.dose_figure",
            &[
                ("before", &format::number(s.from_mean.value, 0)),
                ("after", &format::number(s.to_mean.value, 0)),
            ],
        ),
        label: w.get("trustee.dose_label"),
        detail,
    })
}
