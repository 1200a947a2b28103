//! Assessments, long (one row per measure) or wide (one row per client and timepoint),
//! with totals scored from items and repeated measurements resolved (methods.md 1).

use std::collections::HashMap;

use super::check::{At, Cell, Checker};
use super::finding::{Action, Finding, FindingCode, Findings};
use super::referrals::ClientRegister;
use super::{Cells, TableRun, ValidateError, dependent_row, wanted_fields};
use sprout_clinical::instruments::Measure;
use sprout_config::{ColumnMapping, Config, Layout, TableSpec};
use sprout_core::vocab::{CachedLabels, Vocabulary};
use sprout_ingest::{RowRef, WantedColumn};
use sprout_tables::{
    ASSESSMENT_FIELDS, Assessments, ColumnBuilder, PER_CLIENT_ASSESSMENT_FIELDS, TableBuilder,
    TableKind, WIDE_ASSESSMENT_FIELDS, build::date_to_days, position, schema,
};

/// The start both layouts share: the row's client, timepoint label and date, or `None`
/// (with the findings recorded) when the row cannot be used.
fn assessed_row(
    check: &mut Checker,
    cells: &Cells,
    register: &ClientRegister,
    timepoints: &mut CachedLabels,
) -> Option<(u32, u32, chrono::NaiveDate)> {
    let (client, _, date) = dependent_row(check, cells, DATE, register)?;
    match check.label(
        &cells.at(TIMEPOINT, true),
        timepoints,
        FindingCode::UnknownTimepoint,
        "timepoint",
    ) {
        Cell::Value(tp) => Some((client, tp, date)),
        _ => None,
    }
}

/// One usable score before duplicates are resolved.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    client: u32,
    measure: u16,
    timepoint: u16,
    date: i32,
    value: f64,
    row: RowRef,
}

/// One item answer (long layout) waiting to be scored into its total.
#[derive(Debug, Clone, Copy)]
struct ItemAnswer {
    client: u32,
    measure: u16,
    timepoint: u16,
    item: u16,
    date: i32,
    value: Option<f64>,
    row: RowRef,
}

/// When each client was assessed at each timepoint (earliest date over measures), for
/// matching medication records to timepoints.
#[derive(Debug, Default)]
pub struct AssessmentDates {
    pub by_client: HashMap<u32, Vec<(u16, i32)>>,
}

pub(super) struct AssessmentsOutput {
    pub table: Assessments,
    pub dates: AssessmentDates,
    pub coverage: Coverage,
}

/// What the kept assessments cover: values per measure and timepoint, and clients with a
/// value at both ends of the main comparison, for the warnings about silent emptiness.
#[derive(Debug, Default, Clone)]
pub struct Coverage {
    /// By measure (config order), then timepoint (config order): values kept.
    pub values: Vec<Vec<u64>>,
    /// By measure: clients with a value at the main comparison's from and to.
    pub pairs: Vec<u64>,
}

const DATE: usize = position(ASSESSMENT_FIELDS, "assessment_date");
const TIMEPOINT: usize = position(ASSESSMENT_FIELDS, "timepoint");
const MEASURE: usize = position(ASSESSMENT_FIELDS, "measure");
const VALUE: usize = position(ASSESSMENT_FIELDS, "value");

pub(super) fn validate(
    config: &Config,
    spec: &TableSpec,
    register: &ClientRegister,
    run: &mut TableRun,
) -> Result<AssessmentsOutput, ValidateError> {
    let timepoints = config.label_map(Vocabulary::Timepoint);
    let measure_labels = config.label_map(Vocabulary::Measure);
    let measure_index: HashMap<&str, u16> = config
        .measures
        .iter()
        .enumerate()
        .map(|(i, m)| (m.id.as_str(), i as u16))
        .collect();
    let tp_index = |label_index: u32| -> u16 {
        config
            .timepoints
            .position(timepoints.value(label_index))
            .map_or(u16::MAX, |p| p as u16)
    };

    let mut tp_labels = timepoints.cached();
    let mut measure_cached = measure_labels.cached();
    let mut candidates: Vec<Candidate> = Vec::new();
    let mut items: Vec<ItemAnswer> = Vec::new();

    // The column findings about a resolved value name, by measure and timepoint: the
    // value column (long), or the measure's score column (renamed to its export header
    // later) or the range of its item columns.
    let mut names: Box<dyn Fn(u16, u16) -> String> = Box::new(|_, _| "value".to_owned());
    match spec.layout {
        Layout::Long => {
            let wanted = wanted_fields(spec, TableKind::Assessments.fields());
            run.read(
                spec,
                &config.base_dir,
                &wanted,
                &spec.date_formats,
                |check, row| {
                    let cells = Cells::new(&row, &wanted);
                    let cell = |i: usize, required: bool| cells.at(i, required);
                    let Some((client, tp, date)) =
                        assessed_row(check, &cells, register, &mut tp_labels)
                    else {
                        return;
                    };
                    let Cell::Value(m) = check.label(
                        &cell(MEASURE, true),
                        &mut measure_cached,
                        FindingCode::UnknownMeasure,
                        "measure",
                    ) else {
                        return;
                    };
                    let key = measure_labels.value(m);
                    let (measure_id, item) = match key.split_once('.') {
                        Some((id, n)) => (id, n.parse::<u16>().ok()),
                        None => (key, None),
                    };
                    let Some(&measure) = measure_index.get(measure_id) else {
                        return;
                    };
                    let def = &config.measures[usize::from(measure)];
                    let at = cell(VALUE, true);
                    let (client, timepoint, date) = (client, tp_index(tp), date_to_days(date));
                    match item {
                        Some(item) => {
                            let value = match check.number(&at, f64::MIN, f64::MAX, false) {
                                Cell::Value(v) => Some(v),
                                Cell::Missing | Cell::Bad => return,
                            };
                            items.push(ItemAnswer {
                                client,
                                measure,
                                timepoint,
                                item,
                                date,
                                value,
                                row: row.at,
                            });
                        }
                        None => {
                            if let Some(value) = measure_value(check, &at, def) {
                                candidates.push(Candidate {
                                    client,
                                    measure,
                                    timepoint,
                                    date,
                                    value,
                                    row: row.at,
                                });
                            }
                        }
                    }
                },
            )?;
        }
        Layout::Wide => {
            let mut wanted = wanted_fields(spec, WIDE_ASSESSMENT_FIELDS);
            let cols = ScoreColumns::add(
                &mut wanted,
                "",
                &spec.measure_columns,
                &spec.item_columns,
                config,
            );
            run.read(
                spec,
                &config.base_dir,
                &wanted,
                &spec.date_formats,
                |check, row| {
                    let cells = Cells::new(&row, &wanted);
                    let Some((client, tp, date)) =
                        assessed_row(check, &cells, register, &mut tp_labels)
                    else {
                        return;
                    };
                    let at = Candidate {
                        client,
                        measure: 0,
                        timepoint: tp_index(tp),
                        date: date_to_days(date),
                        value: 0.0,
                        row: row.at,
                    };
                    cols.score_row(check, &cells, config, at, &mut candidates);
                },
            )?;
            names = Box::new(move |m, _| cols.names[usize::from(m)].clone());
        }
        Layout::PerClient => {
            let mut wanted = wanted_fields(spec, PER_CLIENT_ASSESSMENT_FIELDS);
            let mut blocks: Vec<(u16, usize, ScoreColumns)> = Vec::new();
            for b in &spec.timepoint_blocks {
                let prefix = format!("{}:", b.timepoint);
                let date = wanted.len();
                wanted.push(WantedColumn {
                    key: format!("{prefix}{}", schema::assessments::ASSESSMENT_DATE),
                    headers: b.date.clone(),
                    required: true,
                    identifying: false,
                });
                let cols = ScoreColumns::add(
                    &mut wanted,
                    &prefix,
                    &b.measure_columns,
                    &b.item_columns,
                    config,
                );
                let tp = config
                    .timepoints
                    .position(&b.timepoint)
                    .map_or(u16::MAX, |p| p as u16);
                blocks.push((tp, date, cols));
            }
            run.read(
                spec,
                &config.base_dir,
                &wanted,
                &spec.date_formats,
                |check, row| {
                    if super::ragged(check, &row, &wanted[0].key) {
                        return;
                    }
                    let cells = Cells::new(&row, &wanted);
                    let Some((client, _)) = super::client_of(check, &cells.at(0, true), register)
                    else {
                        return;
                    };
                    for (timepoint, date_col, cols) in &blocks {
                        // A timepoint the client never reached is blank: nothing to read.
                        let blank = |i: usize| row.cells[i].trim().is_empty();
                        if blank(*date_col) && cols.columns().all(blank) {
                            continue;
                        }
                        let at = cells.at(*date_col, false);
                        let date = match check.date(&at, false) {
                            Cell::Value(d) => d,
                            Cell::Missing => {
                                check.flag(
                                    &at,
                                    FindingCode::MissingRequired,
                                    "scores without the date they were taken; this timepoint is left out",
                                );
                                continue;
                            }
                            Cell::Bad => {
                                check.and_then_say("this timepoint is left out");
                                continue;
                            }
                        };
                        let at = Candidate {
                            client,
                            measure: 0,
                            timepoint: *timepoint,
                            date: date_to_days(date),
                            value: 0.0,
                            row: row.at,
                        };
                        cols.score_row(check, &cells, config, at, &mut candidates);
                    }
                },
            )?;
            names = Box::new(move |m, tp| {
                blocks
                    .iter()
                    .find(|(t, _, _)| *t == tp)
                    .map_or_else(String::new, |(_, _, cols)| {
                        cols.names[usize::from(m)].clone()
                    })
            });
        }
    }

    score_long_items(config, &mut items, &mut candidates, run.findings_mut());
    let kept = resolve_duplicates(config, &*names, candidates, run.findings_mut());
    let coverage = coverage(config, &kept);

    let mut t = TableBuilder::new();
    let client_col = t.add(schema::CLIENT, ColumnBuilder::client());
    let date_col = t.add(schema::assessments::ASSESSMENT_DATE, ColumnBuilder::date());
    let tp_col = t.add(schema::assessments::TIMEPOINT, ColumnBuilder::timepoint());
    let measure_col = t.add(schema::assessments::MEASURE, ColumnBuilder::measure());
    let value_col = t.add(schema::assessments::VALUE, ColumnBuilder::number());
    let mut dates = AssessmentDates::default();
    for c in &kept {
        t.push_client(client_col, c.client.into());
        t.push_date(date_col, Some(sprout_tables::build::days_to_date(c.date)));
        t.push_timepoint(tp_col, c.timepoint.into());
        t.push_measure(measure_col, c.measure.into());
        t.push_number(value_col, Some(c.value));
        let entry = dates.by_client.entry(c.client).or_default();
        match entry.iter_mut().find(|(tp, _)| *tp == c.timepoint) {
            Some((_, d)) => *d = (*d).min(c.date),
            None => entry.push((c.timepoint, c.date)),
        }
    }
    Ok(AssessmentsOutput {
        table: Assessments::from_frame(t.finish()?),
        dates,
        coverage,
    })
}

/// Values per measure and timepoint, and pairs on the main comparison.
fn coverage(config: &Config, kept: &[Candidate]) -> Coverage {
    let tps = config.timepoints.order.len();
    let mut values = vec![vec![0u64; tps]; config.measures.len()];
    let t = &config.timepoints;
    let (from, to) = (
        Some(t.compare.from_ix.index()),
        Some(t.compare.to_ix.index()),
    );
    // Client ids are dense register indices: one byte per measure and client, bit 0 for
    // the from value and bit 1 for the to value.
    let clients = kept
        .iter()
        .map(|c| c.client as usize + 1)
        .max()
        .unwrap_or(0);
    let mut ends = vec![0u8; config.measures.len() * clients];
    for c in kept {
        if let Some(v) = values
            .get_mut(usize::from(c.measure))
            .and_then(|m| m.get_mut(usize::from(c.timepoint)))
        {
            *v += 1;
        }
        let tp = Some(usize::from(c.timepoint));
        let bits = u8::from(tp == from) | (u8::from(tp == to) << 1);
        if let Some(e) = ends.get_mut(usize::from(c.measure) * clients + c.client as usize) {
            *e |= bits;
        }
    }
    let pairs = (0..config.measures.len())
        .map(|m| {
            ends[m * clients..(m + 1) * clients]
                .iter()
                .filter(|e| **e == 3)
                .count() as u64
        })
        .collect();
    Coverage { values, pairs }
}

/// Reads a score and checks it against its measure (range, whole number, conversion).
fn measure_value(check: &mut Checker, at: &At, measure: &Measure) -> Option<f64> {
    let raw = match check.number(at, f64::MIN, f64::MAX, false) {
        Cell::Value(v) => v,
        Cell::Missing | Cell::Bad => return None,
    };
    match sprout_clinical::instruments::check_value(measure, raw) {
        Ok(v) => Some(v),
        Err(problem) => {
            let code = FindingCode::parse(problem.code()).unwrap_or(FindingCode::OutOfRange);
            check.flag(at, code, format!("{}: {problem}", measure.label));
            None
        }
    }
}

/// Scores a total from its items under the instrument's missing-item rule. An answer
/// off its item's scale is reported at that answer (`item_at`, by 1-based position) and
/// treated as missing; the finding says whether the rule could still score the total. A
/// problem with the whole set is reported at `at`.
fn score<'a>(
    check: &mut Checker,
    at: &At<'a>,
    measure: &Measure,
    answers: &[Option<f64>],
    item_at: &dyn Fn(usize) -> Option<At<'a>>,
) -> Option<f64> {
    use sprout_clinical::instruments::ItemProblem;
    let scored = sprout_clinical::instruments::score_item_answers(measure, answers);
    let outcome = match &scored.total {
        Ok(_) => "treated as missing; the total is scored from the other answers".to_owned(),
        Err(ItemProblem::Unscorable { rule, .. }) => {
            format!("treated as missing, which leaves the total missing (rule: {rule})")
        }
        Err(_) => "treated as missing; the total is left missing".to_owned(),
    };
    for problem in &scored.invalid {
        let item = match problem {
            ItemProblem::ItemOutOfRange { position, .. }
            | ItemProblem::ItemNotInteger { position, .. } => item_at(*position),
            _ => None,
        };
        let code = FindingCode::parse(problem.code()).unwrap_or(FindingCode::ItemOutOfRange);
        check.flag_with(
            item.as_ref().unwrap_or(at),
            code,
            Action::ValueIgnored,
            format!("{}: {problem}; {outcome}", measure.label),
        );
    }
    match scored.total {
        Ok(v) => Some(v),
        // The doubtful answers' findings already say the total is missing.
        Err(ItemProblem::Unscorable { .. }) if !scored.invalid.is_empty() => None,
        Err(problem) => {
            let code = FindingCode::parse(problem.code()).unwrap_or(FindingCode::UnscorableTotal);
            check.flag_with(
                at,
                code,
                Action::ValueIgnored,
                format!("{}: {problem}; the total is left missing", measure.label),
            );
            None
        }
    }
}

/// The score and item columns of a wide row, or of one timepoint of a per-client row.
struct ScoreColumns {
    /// (wanted index, measure) of each score column.
    scores: Vec<(usize, u16)>,
    /// (measure, first wanted index, end) of each measure's item columns.
    items: Vec<(u16, usize, usize)>,
    /// By measure: the column findings about its value name.
    names: Vec<String>,
}

impl ScoreColumns {
    /// Adds the columns to `wanted`, keyed `<prefix><measure>` and `<prefix><measure>.<n>`.
    fn add(
        wanted: &mut Vec<WantedColumn>,
        prefix: &str,
        scores: &[ColumnMapping],
        items: &[ColumnMapping],
        config: &Config,
    ) -> Self {
        let index = |id: &str| {
            config
                .measures
                .iter()
                .position(|m| m.id == id)
                .map_or(u16::MAX, |i| i as u16)
        };
        let mut names: Vec<String> = config
            .measures
            .iter()
            .map(|m| format!("{prefix}{}", m.id))
            .collect();
        let mut cols = Self {
            scores: Vec::new(),
            items: Vec::new(),
            names: Vec::new(),
        };
        for m in scores {
            cols.scores.push((wanted.len(), index(&m.field)));
            wanted.push(WantedColumn {
                key: format!("{prefix}{}", m.field),
                headers: m.headers.clone(),
                required: true,
                identifying: false,
            });
        }
        for ic in items {
            let measure = index(&ic.field);
            if !scores.iter().any(|m| m.field == ic.field)
                && let Some(name) = names.get_mut(usize::from(measure))
            {
                *name = item_range(&ic.headers);
            }
            let start = wanted.len();
            for (n, h) in ic.headers.iter().enumerate() {
                wanted.push(WantedColumn {
                    key: format!("{prefix}{}.{}", ic.field, n + 1),
                    headers: vec![h.clone()],
                    required: true,
                    identifying: false,
                });
            }
            cols.items.push((measure, start, wanted.len()));
        }
        cols.names = names;
        cols
    }

    /// Every wanted index of these columns.
    fn columns(&self) -> impl Iterator<Item = usize> + '_ {
        self.scores
            .iter()
            .map(|(i, _)| *i)
            .chain(self.items.iter().flat_map(|(_, a, b)| *a..*b))
    }

    /// Reads the scores of one row (`base` gives its client, timepoint, date and row);
    /// a measure with a score column is read from it, otherwise scored from its items.
    fn score_row(
        &self,
        check: &mut Checker,
        cells: &Cells,
        config: &Config,
        base: Candidate,
        candidates: &mut Vec<Candidate>,
    ) {
        let mut scored = vec![false; config.measures.len()];
        for &(i, measure) in &self.scores {
            let at = cells.at(i, false);
            let Some(def) = config.measures.get(usize::from(measure)) else {
                continue;
            };
            if at.text.trim().is_empty() {
                continue;
            }
            if let Some(value) = measure_value(check, &at, def) {
                scored[usize::from(measure)] = true;
                candidates.push(Candidate {
                    measure,
                    value,
                    ..base
                });
            }
        }
        for &(measure, start, end) in &self.items {
            let Some(def) = config.measures.get(usize::from(measure)) else {
                continue;
            };
            if scored[usize::from(measure)] {
                continue;
            }
            let mut answers = Vec::with_capacity(end - start);
            let mut unreadable = false;
            for i in start..end {
                match check.number(&cells.at(i, false), f64::MIN, f64::MAX, false) {
                    Cell::Value(v) => answers.push(Some(v)),
                    Cell::Missing => answers.push(None),
                    Cell::Bad => unreadable = true,
                }
            }
            if unreadable || answers.iter().all(Option::is_none) {
                continue;
            }
            let at = At {
                row: base.row,
                key: &self.names[usize::from(measure)],
                text: "",
                required: false,
                identifying: false,
            };
            let item_at = |position: usize| Some(cells.at(start + position - 1, false));
            if let Some(value) = score(check, &at, def, &answers, &item_at) {
                candidates.push(Candidate {
                    measure,
                    value,
                    ..base
                });
            }
        }
    }
}

/// How findings about a total scored from item columns name its columns.
fn item_range(headers: &[String]) -> String {
    match headers {
        [] => String::new(),
        [one] => one.clone(),
        [first, .., last] => format!("{first} to {last}"),
    }
}

/// Groups long-layout item rows by client, timepoint and measure and scores each total,
/// unless the export also carries that total.
fn score_long_items(
    config: &Config,
    items: &mut [ItemAnswer],
    candidates: &mut Vec<Candidate>,
    findings: &mut Findings,
) {
    if items.is_empty() {
        return;
    }
    let has_total: std::collections::HashSet<(u32, u16, u16)> = candidates
        .iter()
        .map(|c| (c.client, c.measure, c.timepoint))
        .collect();
    items.sort_by_key(|a| (a.client, a.measure, a.timepoint, a.item, a.row));
    for group in items
        .chunk_by(|a, b| (a.client, a.measure, a.timepoint) == (b.client, b.measure, b.timepoint))
    {
        let first = group[0];
        if has_total.contains(&(first.client, first.measure, first.timepoint)) {
            continue;
        }
        let def = &config.measures[usize::from(first.measure)];
        let mut answers = vec![None; def.item_count()];
        for a in group {
            if let Some(slot) = answers.get_mut(usize::from(a.item).wrapping_sub(1)) {
                if slot.is_some() {
                    findings.push(Finding {
                        code: FindingCode::DuplicateAssessment,
                        action: Action::RowExcluded,
                        table: TableKind::Assessments,
                        at: a.row,
                        column: "value".to_owned(),
                        value: a.value.map(super::check::fmt_num).unwrap_or_default(),
                        reason: format!(
                            "item {} of {} was already answered at this timepoint",
                            a.item, def.label
                        ),
                    });
                    continue;
                }
                *slot = a.value;
            }
        }
        let mut check = Checker {
            table: TableKind::Assessments,
            findings,
            formats: &[],
            today: chrono::NaiveDate::MAX,
        };
        let at = At {
            row: first.row,
            key: "value",
            text: "",
            required: false,
            identifying: false,
        };
        let texts: Vec<String> = group
            .iter()
            .map(|a| a.value.map(super::check::fmt_num).unwrap_or_default())
            .collect();
        let item_at = |position: usize| {
            group
                .iter()
                .zip(&texts)
                .find(|(a, _)| usize::from(a.item) == position)
                .map(|(a, text)| At {
                    row: a.row,
                    text,
                    ..at
                })
        };
        if let Some(value) = score(&mut check, &at, def, &answers, &item_at) {
            let date = group.iter().map(|a| a.date).min().unwrap_or(first.date);
            candidates.push(Candidate {
                client: first.client,
                measure: first.measure,
                timepoint: first.timepoint,
                date,
                value,
                row: first.row,
            });
        }
    }
}

/// Keeps one value per client, measure and timepoint: the earliest at the first timepoint
/// (baseline), the latest at later ones; the others are duplicate findings.
fn resolve_duplicates(
    config: &Config,
    column: &dyn Fn(u16, u16) -> String,
    mut candidates: Vec<Candidate>,
    findings: &mut Findings,
) -> Vec<Candidate> {
    let first = config.timepoints.compare.from_ix.index();
    candidates.sort_by_key(|c| (c.client, c.measure, c.timepoint, c.date, c.row));
    // A long row holds one value, so it goes; a wide row's other values stay.
    let long = config
        .tables
        .assessments
        .as_ref()
        .is_none_or(|t| t.layout == Layout::Long);
    let mut kept = Vec::with_capacity(candidates.len());
    for group in candidates
        .chunk_by(|a, b| (a.client, a.measure, a.timepoint) == (b.client, b.measure, b.timepoint))
    {
        // The baseline (the main comparison's first timepoint, and any before it) keeps its
        // earliest value; later timepoints keep their latest (methods.md section 1).
        let baseline = usize::from(group[0].timepoint) <= first;
        let keep = if baseline { 0 } else { group.len() - 1 };
        kept.push(group[keep]);
        for (i, c) in group.iter().enumerate() {
            if i == keep {
                continue;
            }
            let m = &config.measures[usize::from(c.measure)];
            let tp = &config.timepoints.order[usize::from(c.timepoint)];
            let which = if baseline { "earliest" } else { "latest" };
            findings.push(Finding {
                code: FindingCode::DuplicateAssessment,
                action: if long {
                    Action::RowExcluded
                } else {
                    Action::ValueIgnored
                },
                table: TableKind::Assessments,
                at: c.row,
                column: column(c.measure, c.timepoint),
                value: super::check::fmt_num(c.value),
                reason: format!(
                    "{} recorded more than once at {}; the {which} is used",
                    m.label,
                    tp.label.to_lowercase()
                ),
            });
        }
    }
    // A value dated before the client's value at an earlier timepoint cannot be paired.
    let mut in_order = Vec::with_capacity(kept.len());
    for group in kept.chunk_by(|a, b| (a.client, a.measure) == (b.client, b.measure)) {
        let mut latest: Option<&Candidate> = None;
        for c in group {
            match latest {
                Some(prev) if c.date < prev.date => {
                    let m = &config.measures[usize::from(c.measure)];
                    let (tp, prev_tp) = (
                        &config.timepoints.order[usize::from(c.timepoint)],
                        &config.timepoints.order[usize::from(prev.timepoint)],
                    );
                    findings.push(Finding {
                        code: FindingCode::AssessmentOutOfOrder,
                        action: if long {
                            Action::RowExcluded
                        } else {
                            Action::ValueIgnored
                        },
                        table: TableKind::Assessments,
                        at: c.row,
                        column: column(c.measure, c.timepoint),
                        value: super::check::fmt_num(c.value),
                        reason: format!(
                            "{} at {} is dated {}, before the {} assessment on {}",
                            m.label,
                            tp.label.to_lowercase(),
                            sprout_tables::build::days_to_date(c.date),
                            prev_tp.label.to_lowercase(),
                            sprout_tables::build::days_to_date(prev.date)
                        ),
                    });
                }
                _ => {
                    latest = Some(c);
                    in_order.push(*c);
                }
            }
        }
    }
    in_order
}
