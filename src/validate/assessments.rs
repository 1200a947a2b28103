//! Assessments, long (one row per measure) or wide (one row per client and timepoint),
//! with totals scored from items and repeated measurements resolved (methods.md 1).

use std::collections::HashMap;

use super::check::{At, Cell, Checker};
use super::finding::{Action, Finding, FindingCode, Findings};
use super::referrals::ClientRegister;
use super::{Cells, TableRun, ValidateError, dependent_row, wanted_fields};
use crate::config::{Config, Layout, TableSpec};
use crate::ingest::{RowRef, WantedColumn};
use crate::instruments::Measure;
use crate::tables::{
    Assessments, ColumnBuilder, TableBuilder, TableKind, WIDE_ASSESSMENT_FIELDS,
    build::date_to_days, schema,
};
use crate::vocab::{CachedLabels, Vocabulary};

/// The start both layouts share: the row's client, timepoint label and date, or `None`
/// (with the findings recorded) when the row cannot be used.
fn assessed_row(
    check: &mut Checker,
    cells: &Cells,
    register: &ClientRegister,
    timepoints: &mut CachedLabels,
) -> Option<(u32, u16, chrono::NaiveDate)> {
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
}

const DATE: usize = 1;
const TIMEPOINT: usize = 2;
const MEASURE: usize = 3;
const VALUE: usize = 4;

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
    let tp_index = |label_index: u16| -> u16 {
        config
            .timepoints
            .position(timepoints.value(label_index))
            .map_or(u16::MAX, |p| p as u16)
    };

    let mut tp_labels = timepoints.cached();
    let mut measure_cached = measure_labels.cached();
    let mut candidates: Vec<Candidate> = Vec::new();
    let mut items: Vec<ItemAnswer> = Vec::new();

    // Wide layout: the column each measure's findings name (its total's key, renamed to
    // the export header later, or the range of its item columns). Empty for long.
    let mut wide_columns: Vec<String> = match spec.layout {
        Layout::Long => Vec::new(),
        Layout::Wide => config.measures.iter().map(|m| m.id.clone()).collect(),
    };
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
            let first_measure = wanted.len();
            for m in &spec.measure_columns {
                wanted.push(WantedColumn {
                    key: m.field.clone(),
                    headers: m.headers.clone(),
                    required: true,
                });
            }
            let mut item_groups: Vec<(u16, usize, usize)> = Vec::new();
            for ic in &spec.item_columns {
                if !spec.measure_columns.iter().any(|m| m.field == ic.field) {
                    wide_columns[usize::from(measure_index[ic.field.as_str()])] =
                        item_range(&ic.headers);
                }
                let start = wanted.len();
                for (n, h) in ic.headers.iter().enumerate() {
                    wanted.push(WantedColumn {
                        key: format!("{}.{}", ic.field, n + 1),
                        headers: vec![h.clone()],
                        required: true,
                    });
                }
                item_groups.push((measure_index[ic.field.as_str()], start, wanted.len()));
            }
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
                    let (timepoint, date) = (tp_index(tp), date_to_days(date));
                    let mut scored = vec![false; config.measures.len()];
                    for (k, m) in spec.measure_columns.iter().enumerate() {
                        let at = cell(first_measure + k, false);
                        let measure = measure_index[m.field.as_str()];
                        if at.text.trim().is_empty() {
                            continue;
                        }
                        if let Some(value) =
                            measure_value(check, &at, &config.measures[usize::from(measure)])
                        {
                            scored[usize::from(measure)] = true;
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
                    for &(measure, start, end) in &item_groups {
                        if scored[usize::from(measure)] {
                            continue;
                        }
                        let mut answers = Vec::with_capacity(end - start);
                        let mut unreadable = false;
                        for i in start..end {
                            let at = cell(i, false);
                            match check.number(&at, f64::MIN, f64::MAX, false) {
                                Cell::Value(v) => answers.push(Some(v)),
                                Cell::Missing => answers.push(None),
                                Cell::Bad => unreadable = true,
                            }
                        }
                        if unreadable || answers.iter().all(Option::is_none) {
                            continue;
                        }
                        let def = &config.measures[usize::from(measure)];
                        let at = At {
                            key: &wide_columns[usize::from(measure)],
                            text: "",
                            ..cell(first_measure, false)
                        };
                        let item_at = |position: usize| Some(cell(start + position - 1, false));
                        if let Some(value) = score(check, &at, def, &answers, &item_at) {
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
                },
            )?;
        }
    }

    score_long_items(config, &mut items, &mut candidates, run.findings_mut());
    let kept = resolve_duplicates(config, &wide_columns, candidates, run.findings_mut());

    let mut t = TableBuilder::new();
    let client_col = t.add(schema::CLIENT, ColumnBuilder::client());
    let date_col = t.add(schema::assessments::ASSESSMENT_DATE, ColumnBuilder::date());
    let tp_col = t.add(schema::assessments::TIMEPOINT, ColumnBuilder::text());
    let measure_col = t.add(schema::assessments::MEASURE, ColumnBuilder::text());
    let value_col = t.add(schema::assessments::VALUE, ColumnBuilder::number());
    let mut dates = AssessmentDates::default();
    for c in &kept {
        t.push_client(client_col, c.client);
        t.push_date(date_col, Some(crate::tables::build::days_to_date(c.date)));
        t.push_text(
            tp_col,
            Some(&config.timepoints.order[usize::from(c.timepoint)].id),
        );
        t.push_text(
            measure_col,
            Some(&config.measures[usize::from(c.measure)].id),
        );
        t.push_number(value_col, Some(c.value));
        let entry = dates.by_client.entry(c.client).or_default();
        match entry.iter_mut().find(|(tp, _)| *tp == c.timepoint) {
            Some((_, d)) => *d = (*d).min(c.date),
            None => entry.push((c.timepoint, c.date)),
        }
    }
    Ok(AssessmentsOutput {
        table: Assessments::from_frame(t.into_frame()?),
        dates,
    })
}

/// Reads a score and checks it against its measure (range, whole number, conversion).
fn measure_value(check: &mut Checker, at: &At, measure: &Measure) -> Option<f64> {
    let raw = match check.number(at, f64::MIN, f64::MAX, false) {
        Cell::Value(v) => v,
        Cell::Missing | Cell::Bad => return None,
    };
    match crate::instruments::check_value(measure, raw) {
        Ok(v) => Some(v),
        Err(problem) => {
            let code = FindingCode::parse(problem.code()).unwrap_or(FindingCode::OutOfRange);
            check.flag(at, code, format!("{}: {problem}", measure.label));
            None
        }
    }
}

/// Scores a total from its items. A problem with one item answer is reported at that
/// answer (`item_at`, by 1-based position); one with the whole set at `at`.
fn score<'a>(
    check: &mut Checker,
    at: &At<'a>,
    measure: &Measure,
    answers: &[Option<f64>],
    item_at: &dyn Fn(usize) -> Option<At<'a>>,
) -> Option<f64> {
    use crate::instruments::ItemProblem;
    match crate::instruments::score_items(measure, answers) {
        Ok(v) => Some(v),
        Err(problem) => {
            let code = FindingCode::parse(problem.code()).unwrap_or(FindingCode::UnscorableTotal);
            let item = match &problem {
                ItemProblem::ItemOutOfRange { position, .. }
                | ItemProblem::ItemNotInteger { position, .. } => item_at(*position),
                _ => None,
            };
            check.flag_with(
                item.as_ref().unwrap_or(at),
                code,
                Action::ValueIgnored,
                format!("{}: {problem}; the total is left missing", measure.label),
            );
            None
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
    wide_columns: &[String],
    mut candidates: Vec<Candidate>,
    findings: &mut Findings,
) -> Vec<Candidate> {
    let first = config
        .timepoints
        .position(&config.timepoints.compare.from)
        .unwrap_or(0);
    candidates.sort_by_key(|c| (c.client, c.measure, c.timepoint, c.date, c.row));
    let long = wide_columns.is_empty();
    let column = |m: u16| {
        if long {
            "value".to_owned()
        } else {
            wide_columns[usize::from(m)].clone()
        }
    };
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
                column: column(c.measure),
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
                        column: column(c.measure),
                        value: super::check::fmt_num(c.value),
                        reason: format!(
                            "{} at {} is dated {}, before the {} assessment on {}",
                            m.label,
                            tp.label.to_lowercase(),
                            crate::tables::build::days_to_date(c.date),
                            prev_tp.label.to_lowercase(),
                            crate::tables::build::days_to_date(prev.date)
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
