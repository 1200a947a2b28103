//! Parts every report has: the cover, how small numbers are treated, reach against the
//! local population, and the figures' caveats; and the evaluator's appendices.

use super::phrases::{self, main_comparisons};
use super::{Block, Cover, Ctx, Definition, Section, Table, TableBuilder};
use crate::RenderError;
use crate::charts;
use crate::format;
use sprout_model::*;

pub fn cover(ctx: &Ctx, kind: &str, sections: &[Section]) -> Cover {
    let m = ctx.m;
    let w = ctx.w;
    let generated = chrono::DateTime::parse_from_rfc3339(&m.meta.generated_at)
        .map(|d| format::date(d.date_naive()))
        .unwrap_or_else(|_| m.meta.generated_at.clone());
    Cover {
        kind: kind.to_owned(),
        programme: m.meta.programme.clone(),
        organisation: m.meta.organisation.clone(),
        period: m.meta.period.label.clone(),
        period_dates: format::date_range(m.meta.period.window.start, m.meta.period.window.end),
        cumulative: w.fill(
            "cover.cumulative",
            &[(
                "range",
                &format::date_range(m.meta.cumulative.start, m.meta.cumulative.end),
            )],
        ),
        generated: w.fill(
            "cover.generated",
            &[("date", &generated), ("version", &m.meta.engine_version)],
        ),
        disclosure: disclosure(ctx),
        headline: sections.first().and_then(|s| s.lead.clone()),
    }
}

/// The disclosure policy in words.
pub fn disclosure(ctx: &Ctx) -> String {
    let d = &ctx.m.meta.disclosure;
    let below = d.hidden_below.map(|n| n.to_string()).unwrap_or_default();
    let last = d
        .hidden_below
        .map(|n| (n - 1).to_string())
        .unwrap_or_default();
    let round = d.rounded_to.map(|n| n.to_string()).unwrap_or_default();
    let figures = d
        .figures_hidden_below
        .map(|n| n.to_string())
        .unwrap_or_default();
    let key = match (d.hidden_below, d.rounded_to) {
        (None, _) => "disclosure.none",
        (Some(_), Some(_)) => "disclosure.hidden_and_rounded",
        (Some(_), None) => "disclosure.hidden",
    };
    ctx.w.fill(
        key,
        &[
            ("threshold", &below),
            ("last", &last),
            ("round", &round),
            ("figures", &figures),
        ],
    )
}

/// Reach into target groups against the local population: a chart and its sentence.
pub fn reach(ctx: &Ctx, people: &People) -> Result<Vec<Block>, RenderError> {
    if people.reach.is_empty() {
        return Ok(Vec::new());
    }
    let mut blocks: Vec<Block> = people
        .reach
        .iter()
        .filter_map(|r| phrases::reach(ctx, r))
        .map(|text| Block::Text { text })
        .collect();
    blocks.push(ctx.figure(charts::reach(ctx, "reach", &people.reach)?));
    Ok(blocks)
}

/// The caveats every reader needs: period, small numbers, no comparison group.
pub fn about_figures(ctx: &Ctx) -> Vec<String> {
    let w = ctx.w;
    let m = ctx.m;
    vec![
        w.fill(
            "about.period",
            &[
                ("period", &m.meta.period.label),
                (
                    "dates",
                    &format::date_range(m.meta.period.window.start, m.meta.period.window.end),
                ),
                ("start", &format::date(m.meta.cumulative.start)),
            ],
        ),
        w.get("about.design"),
        disclosure(ctx),
        w.get("about.full_report"),
    ]
}

/// Appendix: what the data-quality checks found and what was left out.
pub fn data_quality(ctx: &Ctx, number: &str) -> Section {
    let w = ctx.w;
    let q = &ctx.m.data_quality;
    // Sums of counts as shown: hidden if any of them is.
    let sum = |c: fn(&TableQuality<Tally>) -> &Tally| -> String {
        q.tables
            .iter()
            .map(|t| c(t).value)
            .sum::<Option<u64>>()
            .map_or_else(|| format::count(&Count::suppressed()), format::int)
    };
    let excluded = sum(|t| &t.rows_excluded);
    let read = sum(|t| &t.rows_read);
    let mut blocks = Vec::new();
    blocks.push(Block::Table {
        table: files_table(ctx),
    });
    // Warnings, then notes: each a sentence under its lead-in.
    let warnings: Vec<String> = q.warnings.iter().map(ToString::to_string).collect();
    for (items, lead) in [(&warnings, "quality.warnings"), (&q.notes, "quality.notes")] {
        if items.is_empty() {
            continue;
        }
        blocks.push(Block::Text { text: w.get(lead) });
        blocks.push(Block::Points {
            items: items
                .iter()
                .map(|x| crate::words::capitalise(x) + ".")
                .collect(),
        });
    }
    if q.codes.is_empty() {
        blocks.push(Block::Text {
            text: w.get("quality.none"),
        });
    } else {
        blocks.push(Block::Table {
            table: codes_table(ctx),
        });
        if let Some(table) = examples_table(ctx) {
            blocks.push(Block::Table { table });
        } else {
            blocks.push(Block::Text {
                text: w.get("quality.examples_withheld"),
            });
        }
    }
    Section {
        id: "data-quality".into(),
        number: Some(number.to_owned()),
        kicker: w.get("quality.kicker"),
        heading: w.fill(
            "quality.heading",
            &[
                ("findings", &format::count(&q.total_findings)),
                ("excluded", &excluded),
            ],
        ),
        lead: Some(w.fill(
            "quality.lead",
            &[
                ("read", &read),
                ("findings", &format::count(&q.total_findings)),
                ("excluded", &excluded),
            ],
        )),
        blocks,
        appendix: true,
    }
}

/// Rows read, excluded and used, by file and table.
fn files_table(ctx: &Ctx) -> Table {
    let (w, q) = (ctx.w, &ctx.m.data_quality);
    let mut files = TableBuilder::new(
        ctx,
        "quality-files",
        w.get("quality.files_caption"),
        &[
            ("col.file", false),
            ("col.table", false),
            ("col.rows_read", true),
            ("col.rows_excluded", true),
            ("col.rows_used", true),
            ("col.unmapped_columns", true),
        ],
    );
    for t in &q.tables {
        for f in &t.files {
            let file = match &f.sheet {
                Some(s) => format!("{} ({s})", f.file),
                None => f.file.clone(),
            };
            files.row(vec![
                file,
                w.get(&format!("table.{}", t.table.name())),
                format::count(&f.rows),
                String::new(),
                String::new(),
                format::int(f.unmapped_columns as u64),
            ]);
        }
        files.total(vec![
            w.fill(
                "quality.table_total",
                &[("table", &w.get(&format!("table.{}", t.table.name())))],
            ),
            String::new(),
            format::count(&t.rows_read),
            format::count(&t.rows_excluded),
            format::count(&t.rows_used),
            String::new(),
        ]);
    }
    files.finish()
}

/// Findings by code, with the rows excluded and values ignored.
fn codes_table(ctx: &Ctx) -> Table {
    let (w, q) = (ctx.w, &ctx.m.data_quality);
    let mut codes = TableBuilder::new(
        ctx,
        "quality-codes",
        w.get("quality.codes_caption"),
        &[
            ("col.finding", false),
            ("col.meaning", false),
            ("col.findings", true),
            ("col.rows_excluded", true),
            ("col.values_ignored", true),
        ],
    );
    for c in &q.codes {
        codes.row(vec![
            c.code.as_str().to_owned(),
            c.about.clone(),
            format::count(&c.count),
            format::count(&c.rows_excluded),
            format::count(&c.values_ignored),
        ]);
    }
    codes.finish()
}

/// The first examples of each finding; `None` where they are withheld.
fn examples_table(ctx: &Ctx) -> Option<Table> {
    let (w, q) = (ctx.w, &ctx.m.data_quality);
    let mut examples = TableBuilder::new(
        ctx,
        "quality-examples",
        w.get("quality.examples_caption"),
        &[
            ("col.finding", false),
            ("col.where", false),
            ("col.column", false),
            ("col.value", false),
            ("col.reason", false),
        ],
    );
    let mut any = false;
    for c in &q.codes {
        for e in &c.examples {
            any = true;
            examples.row(vec![
                c.code.as_str().to_owned(),
                e.location.clone(),
                e.column.clone(),
                e.value.clone(),
                e.reason.clone(),
            ]);
        }
    }
    any.then(|| examples.finish())
}

/// Appendix: the conventions, and which tests ran on what n and why any did not.
pub fn methods(ctx: &Ctx, number: &str) -> Section {
    let w = ctx.w;
    let items = conventions(ctx);
    let tests = tests_table(ctx);
    let skipped = skipped_table(ctx);
    let mut blocks = vec![Block::Points { items }, Block::Table { table: tests }];
    if let Some(table) = skipped {
        blocks.push(Block::Table { table });
    }
    // Every single test is listed in the tables, not here.
    blocks.push(Block::Text {
        text: w.get("methods.listing"),
    });
    blocks.extend(phases_subsection(ctx));
    blocks.push(instruments_subsection(ctx));
    let ran = ctx.m.methods.tests.iter().filter(|t| t.ran).count();
    Section {
        id: "methods".into(),
        number: Some(number.to_owned()),
        kicker: w.get("methods.kicker"),
        heading: w.fill(
            "methods.heading",
            &[
                ("ran", &format::int(ran as u64)),
                (
                    "skipped",
                    &format::int((ctx.m.methods.tests.len() - ran) as u64),
                ),
            ],
        ),
        lead: Some(w.get("methods.lead")),
        blocks,
        appendix: true,
    }
}

/// The conventions the report's statistics follow, as points.
fn conventions(ctx: &Ctx) -> Vec<String> {
    let w = ctx.w;
    let c = &ctx.m.methods.conventions;
    let min_n = c.min_n.to_string();
    let level = format::percent(c.confidence_level);
    let vars: [(&str, &str); 5] = [
        ("min_n", &min_n),
        ("level", &level),
        ("from", &c.compare_from),
        ("to", &c.compare_to),
        ("decimals", &c.rank_rounding_decimals.to_string()),
    ];
    let mut items: Vec<String> = [
        "methods.pairs",
        "methods.change",
        "methods.tests",
        "methods.ranks",
        "methods.effect_sizes",
        "methods.shares",
        "methods.precision",
        "methods.min_n",
        "methods.main_points",
    ]
    .iter()
    .map(|k| w.fill(k, &vars))
    .collect();
    if c.swemwbs_metric {
        items.push(w.get("methods.swemwbs"));
    }
    if c.medication {
        items.push(w.get("methods.medication"));
        items.push(w.get("methods.binary"));
    }
    if c.gabapentinoid_ddd {
        items.push(w.get("methods.ddd"));
    }
    if c.cohorts {
        items.push(w.get("methods.cohorts"));
        items.push(w.get("methods.cohorts_min_n"));
    }
    items.push(w.fill("methods.attrition", &vars));
    items.push(w.get("methods.sensitivity"));
    items.push(w.get("methods.periods"));
    items.push(match &c.primary_outcome {
        Some(p) => w.fill("methods.holm_primary", &[("primary", p)]),
        None => w.get("methods.holm_all"),
    });
    if c.costs {
        items.push(w.get("methods.costs"));
    }

    items
}

/// Which tests ran: by section and method, with the range of n among those that ran.
fn tests_table(ctx: &Ctx) -> Table {
    let w = ctx.w;
    struct MethodRow {
        section: String,
        method: Method,
        ran: u64,
        skipped: u64,
        n: Option<(u64, u64)>,
    }
    let mut summary: Vec<MethodRow> = Vec::new();
    for t in &ctx.m.methods.tests {
        let i = match summary
            .iter()
            .position(|s| s.section == t.section && s.method == t.method)
        {
            Some(i) => i,
            None => {
                summary.push(MethodRow {
                    section: t.section.clone(),
                    method: t.method,
                    ran: 0,
                    skipped: 0,
                    n: None,
                });
                summary.len() - 1
            }
        };
        let row = &mut summary[i];
        if t.ran {
            row.ran += 1;
            // A hidden n takes no part in the range.
            if let Some(n) = t.n.value {
                row.n = Some(row.n.map_or((n, n), |(lo, hi)| (lo.min(n), hi.max(n))));
            }
        } else {
            row.skipped += 1;
        }
    }
    let mut tests = TableBuilder::new(
        ctx,
        "methods-tests",
        w.get("methods.tests_caption"),
        &[
            ("col.section", false),
            ("col.method", false),
            ("col.ran", true),
            ("col.skipped", true),
            ("col.n_range", true),
        ],
    );
    for row in &summary {
        tests.row(vec![
            w.get(&format!("section.{}", row.section)),
            row.method.to_string(),
            format::int(row.ran),
            format::int(row.skipped),
            match row.n {
                Some((lo, hi)) if lo == hi => format::int(lo),
                Some((lo, hi)) => format!("{}–{}", format::int(lo), format::int(hi)),
                None => String::new(),
            },
        ]);
    }
    tests.finish()
}

/// Why tests were skipped, each reason once with how often; `None` when none was.
fn skipped_table(ctx: &Ctx) -> Option<Table> {
    let w = ctx.w;
    let mut reasons: Vec<(Method, String, usize)> = Vec::new();
    for t in ctx.m.methods.tests.iter().filter(|t| !t.ran) {
        let reason = t.reason.as_ref().map(|r| ctx.reason(r)).unwrap_or_default();
        match reasons
            .iter_mut()
            .find(|r| r.0 == t.method && r.1 == reason)
        {
            Some(r) => r.2 += 1,
            None => reasons.push((t.method, reason, 1)),
        }
    }
    let mut skipped = TableBuilder::new(
        ctx,
        "methods-skipped",
        w.get("methods.skipped_caption"),
        &[
            ("col.method", false),
            ("col.reason", false),
            ("col.times", true),
        ],
    );
    for (method, reason, times) in &reasons {
        skipped.row(vec![
            method.to_string(),
            reason.clone(),
            format::int(*times as u64),
        ]);
    }
    (!reasons.is_empty()).then(|| skipped.finish())
}

/// How each phase of support is told from a client's dates, where phases are configured.
fn phases_subsection(ctx: &Ctx) -> Option<Block> {
    let w = ctx.w;
    if ctx.m.meta.phases.is_empty() {
        return None;
    }
    let mut phases = TableBuilder::new(
        ctx,
        "methods-phases",
        w.get("methods.phases_caption"),
        &[
            ("col.phase", false),
            ("col.starts", false),
            ("col.ends", false),
        ],
    );
    for p in &ctx.m.meta.phases {
        phases.row(vec![
            p.label.clone(),
            boundary(ctx, &p.starts),
            p.ends.as_ref().map_or_else(
                || w.get("methods.phase_until_discharge"),
                |b| boundary(ctx, b),
            ),
        ]);
    }
    Some(Block::Subsection {
        id: "phases".into(),
        heading: w.get("methods.phases_heading"),
        lead: Some(w.get("methods.phases_lead")),
        blocks: vec![Block::Table {
            table: phases.finish(),
        }],
    })
}

/// The instruments, with their citations.
fn instruments_subsection(ctx: &Ctx) -> Block {
    let w = ctx.w;
    Block::Subsection {
        id: "instruments".into(),
        heading: w.get("methods.instruments_heading"),
        lead: None,
        blocks: vec![Block::Definitions {
            items: ctx
                .m
                .methods
                .instruments
                .iter()
                .map(|i| Definition {
                    term: i.label.clone(),
                    meaning: i.citation.clone(),
                })
                .collect(),
        }],
    }
}

/// A phase boundary in words: "12 weeks after the start of support".
fn boundary(ctx: &Ctx, b: &PhaseBoundary) -> String {
    let w = ctx.w;
    let anchor = w.get(&format!("anchor.{}", b.anchor));
    let days = b.offset_days.unsigned_abs();
    let amount = match days {
        7 => w.get("methods.week"),
        1 => w.get("methods.day"),
        d if d % 7 == 0 => w.fill("methods.weeks", &[("n", &(d / 7).to_string())]),
        d => w.fill("methods.days", &[("n", &d.to_string())]),
    };
    let key = match b.offset_days {
        0 => "methods.phase_start_of",
        d if d > 0 => "methods.phase_offset_after",
        _ => "methods.phase_offset_before",
    };
    crate::words::capitalise(&w.fill(key, &[("anchor", &anchor), ("amount", &amount)]))
}

/// Appendix: the words a reader may not know.
pub fn glossary(ctx: &Ctx, number: Option<&str>, sections: &[Section]) -> Section {
    Section {
        id: "glossary".into(),
        number: number.map(str::to_owned),
        kicker: ctx.w.get("glossary.kicker"),
        heading: ctx.w.get("glossary.heading"),
        lead: None,
        blocks: vec![Block::Definitions {
            items: glossary_terms(ctx, sections),
        }],
        appendix: number.is_some(),
    }
}

/// A term's meaning in a phrase, where the glossary has one (`glossary.brief`).
pub fn brief_meaning(ctx: &Ctx, d: &Definition) -> String {
    let w = ctx.w;
    w.all()
        .iter()
        .find(|(k, v)| k.starts_with("glossary.term.") && **v == d.term)
        .map(|(k, _)| k.replacen("glossary.term.", "glossary.brief.", 1))
        .filter(|k| w.contains(k))
        .map_or_else(|| d.meaning.clone(), |k| w.get(&k))
}

/// The glossary's terms that the sections use: a term is used where any of its
/// `glossary.match` words (or, without them, the term itself) appears in their text.
pub fn glossary_terms(ctx: &Ctx, sections: &[Section]) -> Vec<Definition> {
    let w = ctx.w;
    let text: String = sections.iter().map(Section::text).collect();
    w.all()
        .iter()
        .filter_map(|(k, v)| {
            k.strip_prefix("glossary.term.")
                .map(|t| (t.to_owned(), v.clone()))
        })
        .filter(|(key, term)| {
            let m = format!("glossary.match.{key}");
            if w.contains(&m) {
                w.get(&m).split('|').any(|x| text.contains(x))
            } else {
                text.contains(term.as_str())
            }
        })
        .map(|(key, term)| Definition {
            term,
            meaning: w.get(&format!("glossary.meaning.{key}")),
        })
        .collect()
}

/// Rows of a breakdown for the period and cumulatively, aligned by key, with a total.
///
/// A category missing from one window had nobody in it, unless small categories were
/// folded into one "other" row there: then it is shown as folded in, never as 0.
pub fn breakdown_rows(ctx: &Ctx, t: &mut TableBuilder, p: &Breakdown, c: &Breakdown) {
    let folded = |b: &Breakdown| b.parts.iter().any(|x| x.key == FOLDED);
    let absent = |b: &Breakdown| {
        if folded(b) {
            ctx.w.get("cell.folded")
        } else {
            "0".to_owned()
        }
    };
    let mut keys: Vec<(&str, &str)> = c
        .parts
        .iter()
        .map(|x| (x.key.as_str(), x.label.as_str()))
        .collect();
    for x in &p.parts {
        if !keys.iter().any(|k| k.0 == x.key) {
            keys.push((&x.key, &x.label));
        }
    }
    for (key, label) in keys {
        let pp = p.parts.iter().find(|x| x.key == key);
        let cp = c.parts.iter().find(|x| x.key == key);
        t.row(vec![
            label.to_owned(),
            pp.map_or_else(|| absent(p), |x| format::count(&x.count)),
            pp.map_or_else(String::new, |x| ctx.share_ci(&x.share)),
            cp.map_or_else(|| absent(c), |x| format::count(&x.count)),
            cp.map_or_else(String::new, |x| ctx.share_ci(&x.share)),
        ]);
    }
    t.total(vec![
        ctx.w.get("col.total"),
        format::count(&p.total),
        String::new(),
        format::count(&c.total),
        String::new(),
    ]);
}

/// Every measure's main comparison in one table, before each has its own part.
pub fn glance(ctx: &Ctx) -> super::Table {
    let w = ctx.w;
    let (from, to) = (
        ctx.timepoint_in_text(&ctx.m.meta.compare.from),
        ctx.timepoint_in_text(&ctx.m.meta.compare.to),
    );
    let mut t = TableBuilder::with_labels(
        ctx,
        "outcomes-glance",
        w.fill(
            "outcomes.glance_caption",
            &[("period", ctx.period()), ("from", &from), ("to", &to)],
        ),
        vec![
            (w.get("col.measure"), false),
            (w.get("col.n"), true),
            (w.fill("col.mean_plain", &[("timepoint", &from)]), true),
            (w.fill("col.mean_plain", &[("timepoint", &to)]), true),
            (w.get("col.change_ci"), true),
            (w.get("col.dz"), true),
            (w.get("col.improved_headline"), true),
            (w.get("col.t_p"), true),
        ],
    );
    for c in main_comparisons(&ctx.m.outcomes.period) {
        let dp = ctx.dp(&c.measure);
        let hidden = c.result.is_none() && c.n.is_suppressed();
        let mut row = vec![ctx.label(&c.measure), format::count(&c.n)];
        match &c.result {
            Some(r) => row.extend([
                format::number(r.from.mean, dp),
                format::number(r.to.mean, dp),
                ctx.estimate(r.mean_change.as_ref(), dp, true, false),
                r.d_z.map_or_else(
                    || w.get("cell.not_computed"),
                    |d| format::signed(d.value, 2),
                ),
                phrases::headline_share(c).map_or_else(|| w.get("cell.none"), |s| ctx.share_ci(s)),
                match (&r.paired_t, c.p_holm) {
                    (Test::Ran(t), Some(h)) => {
                        format!("{} (Holm {})", format::p_cell(t.p), format::p_cell(h))
                    }
                    (t, _) => ctx.p(t, |t| t.p),
                },
            ]),
            None => {
                let gap = if hidden {
                    format::SUPPRESSED.to_owned()
                } else {
                    w.get("cell.no_pairs")
                };
                row.extend(std::iter::repeat_n(gap, 6));
            }
        }
        if c.primary {
            t.total(row)
        } else {
            t.row(row)
        };
    }
    t.note(w.get("outcomes.glance_note"));
    t.note(w.get("outcomes.glance_improved_note"));
    t.finish()
}

/// Pain medication before and after: the chart, the doses and shares with their tests,
/// and what happened to the doses of people on opioids.
pub fn medication(ctx: &Ctx) -> Result<Option<Section>, RenderError> {
    let Some(med) = &ctx.m.medication else {
        return Ok(None);
    };
    let w = ctx.w;
    let (p, cu) = (&med.period, &med.cumulative);
    let t = medication_table(ctx, p, cu);
    let mut changes = TableBuilder::with_labels(
        ctx,
        "opioid-change",
        w.fill("medication.change_caption", &[("period", ctx.period())]),
        vec![
            (w.get("col.change"), false),
            (w.fill("col.in_period", &[("period", ctx.period())]), true),
            (w.get("col.percent"), true),
            (w.get("col.cumulative"), true),
            (w.get("col.percent"), true),
        ],
    );
    breakdown_rows(ctx, &mut changes, &p.opioid_change, &cu.opioid_change);
    let sentences = phrases::medication(ctx, p);
    let heading = match (&p.ome, &p.on_opioid) {
        (Some(s), _) if s.to_mean.value < s.from_mean.value => w.fill(
            "medication.heading_fell",
            &[
                ("before", &format::number(s.from_mean.value, 0)),
                ("after", &format::number(s.to_mean.value, 0)),
            ],
        ),
        (Some(s), _) => w.fill(
            "medication.heading_rose",
            &[
                ("before", &format::number(s.from_mean.value, 0)),
                ("after", &format::number(s.to_mean.value, 0)),
            ],
        ),
        _ => w.get("medication.heading_none"),
    };
    let mut blocks = vec![
        ctx.figure(charts::medication(ctx, "medication", p)?),
        Block::Table { table: t },
    ];
    if !p.opioid_change.parts.is_empty() {
        blocks.push(Block::Table {
            table: changes.finish(),
        });
    }
    if p.incomplete.value.unwrap_or(0) > 0 || p.incomplete.is_suppressed() {
        blocks.push(Block::Text {
            text: w.fill(
                "medication.incomplete",
                &[("n", &format::count(&p.incomplete))],
            ),
        });
    }
    Ok(Some(Section {
        id: "medication".into(),
        number: None,
        kicker: w.get("section.medication"),
        heading,
        lead: Some(sentences.join(" ")),
        blocks,
        appendix: false,
    }))
}

/// Doses and yes/no outcomes before and after, in the period and cumulatively.
fn medication_table(ctx: &Ctx, p: &MedicationOutcomes, cu: &MedicationOutcomes) -> Table {
    let w = ctx.w;
    let mut t = TableBuilder::with_labels(
        ctx,
        "medication",
        w.fill("medication.caption", &[("period", ctx.period())]),
        vec![
            (w.get("col.measure"), false),
            (w.get("col.window"), false),
            (w.get("col.n"), true),
            (ctx.timepoint(&p.from), true),
            (ctx.timepoint(&p.to), true),
            (w.get("col.change_ci"), true),
            (w.get("col.p"), true),
        ],
    );
    for (o, window) in [(p, ctx.period().to_owned()), (cu, w.get("col.cumulative"))] {
        let dose_rows = [
            ("medication.ome", &o.ome, 0),
            ("medication.gabapentinoid", &o.gabapentinoid, 0),
            ("medication.gabapentinoid_ddd", &o.gabapentinoid_ddd, 2),
        ];
        for (key, s, dp) in dose_rows {
            if key.ends_with("ddd") && s.is_none() {
                continue;
            }
            let hidden = s.is_none() && o.pairs.is_suppressed();
            t.row(vec![
                w.get(key),
                window.clone(),
                format::count(&o.pairs),
                ctx.mean(s.as_ref().map(|s| &s.from_mean), dp, hidden),
                ctx.mean(s.as_ref().map(|s| &s.to_mean), dp, hidden),
                ctx.estimate(
                    s.as_ref().and_then(|s| s.mean_change.as_ref()),
                    dp,
                    true,
                    hidden,
                ),
                s.as_ref().map_or_else(
                    || {
                        if hidden {
                            format::SUPPRESSED.into()
                        } else {
                            w.get("cell.not_computed")
                        }
                    },
                    |s| ctx.p(&s.paired_t, |t| t.p),
                ),
            ]);
        }
        for (key, b) in [
            ("medication.on_opioid", &o.on_opioid),
            ("medication.high_dose", &o.high_dose),
            ("medication.on_gabapentinoid", &o.on_gabapentinoid),
        ] {
            if let Some(b) = b {
                t.row(binary_row(ctx, key, &window, b));
            }
        }
    }
    t.note(w.get("medication.table_note"));
    t.finish()
}

/// A yes/no outcome's row: the shares before and after, and the change in percentage
/// points with its test (or that nobody moved between yes and no).
fn binary_row(ctx: &Ctx, key: &str, window: &str, b: &BinaryOutcome) -> Vec<String> {
    let w = ctx.w;
    let diff = b.difference.map(|e| Estimate {
        value: e.value * 100.0,
        lower: e.lower.map(|v| v * 100.0),
        upper: e.upper.map(|v| v * 100.0),
    });
    // No one moved between yes and no: say so rather than show a test of nothing.
    let nobody_changed = b.counts[1].value == Some(0) && b.counts[2].value == Some(0);
    let points = w.get("medication.points");
    let (change, p) = if nobody_changed {
        let nobody = w.get("medication.nobody_changed");
        (format!("0 {points} ({nobody})"), nobody)
    } else {
        (
            diff.map_or_else(
                || w.get("cell.not_computed"),
                |d| format!("{} {points}", ctx.estimate(Some(&d), 0, true, false)),
            ),
            ctx.p(&b.mcnemar_p, |p| *p),
        )
    };
    vec![
        w.get(key),
        window.to_owned(),
        format::count(&b.n),
        ctx.share_ci(&b.before),
        ctx.share_ci(&b.after),
        change,
        p,
    ]
}
