//! Assessments, long (one row per measure) or wide (one row per client and timepoint),
//! with totals scored from items and repeated measurements resolved (methods.md 1).

mod kept;
mod order;
mod scores;

use kept::{coverage, resolve_duplicates};
use scores::{ScoreColumns, measure_value, score_long_items};
use std::collections::HashMap;

use super::check::{Cell, Checker};
use super::finding::FindingCode;
use super::referrals::ClientRegister;
use super::{Cells, TableRun, ValidateError, dependent_row, wanted_fields};
use sprout_config::{Config, Layout, TableSpec};
use sprout_core::vocab::{CachedLabels, LabelMap, Vocabulary};
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
    grace: u32,
    timepoints: Option<&mut CachedLabels>,
) -> Option<(u32, Option<u32>, chrono::NaiveDate)> {
    let (client, _, date) = dependent_row(check, cells, DATE, register, grace)?;
    let Some(timepoints) = timepoints else {
        // Timepoints come from the order of the scores.
        return Some((client, None, date));
    };
    match check.label(
        &cells.at(TIMEPOINT, true),
        timepoints,
        FindingCode::UnknownTimepoint,
        "timepoint",
    ) {
        Cell::Value(tp) => Some((client, Some(tp), date)),
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
    row: crate::PackedRow,
    /// The order it was read in, set when duplicates are resolved (it fits in the padding
    /// beside the date, so costs no memory).
    seq: u32,
}

// Tens of millions of candidates are held at a national scale: the order costs no memory.
const _: () = assert!(std::mem::size_of::<Candidate>() == 32);

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

/// `ends`: when each client's support ended (days), for timepoints from order.
pub(super) fn validate(
    config: &Config,
    spec: &TableSpec,
    register: &ClientRegister,
    ends: &[Option<i32>],
    run: &mut TableRun,
) -> Result<AssessmentsOutput, ValidateError> {
    let timepoints = config.label_map(Vocabulary::Timepoint);
    let mut read = Read {
        config,
        spec,
        register,
        timepoints: &timepoints,
        tp_labels: timepoints.cached(),
        candidates: Vec::new(),
        items: Vec::new(),
        untimed: Vec::new(),
    };
    // The column findings about a resolved value name, by measure and timepoint: the
    // value column (long), or the measure's score column (renamed to its export header
    // later) or the range of its item columns.
    let names: Box<dyn Fn(u16, u16) -> String> = match spec.layout {
        // Only referrals are events; the config gives assessments no such layout.
        Layout::Long | Layout::Events => {
            read.long(run)?;
            Box::new(|_, _| "value".to_owned())
        }
        Layout::Wide => {
            let names = read.wide(run)?;
            Box::new(move |m, _| names[usize::from(m)].clone())
        }
        Layout::PerClient => {
            let blocks = read.per_client(run)?;
            Box::new(move |m, tp| {
                blocks
                    .iter()
                    .find(|(t, _)| *t == tp)
                    .map_or_else(String::new, |(_, names)| names[usize::from(m)].clone())
            })
        }
    };
    let Read {
        mut candidates,
        mut items,
        untimed,
        ..
    } = read;
    if let Some(rule) = &config.timepoints.from_order {
        candidates.extend(order::derive(rule, untimed, ends, run.findings_mut()));
    }
    score_long_items(config, &mut items, &mut candidates, run.findings_mut());
    let kept = resolve_duplicates(config, &*names, candidates, run.findings_mut());
    let coverage = coverage(config, &kept);
    let (table, dates) = canonical(&kept)?;
    Ok(AssessmentsOutput {
        table,
        dates,
        coverage,
    })
}

/// The canonical assessments table of the values kept, and each client's first date at
/// each timepoint.
fn canonical(kept: &[Candidate]) -> Result<(Assessments, AssessmentDates), ValidateError> {
    let mut t = TableBuilder::new();
    let client_col = t.add(schema::CLIENT, ColumnBuilder::client());
    let date_col = t.add(schema::assessments::ASSESSMENT_DATE, ColumnBuilder::date());
    let tp_col = t.add(schema::assessments::TIMEPOINT, ColumnBuilder::timepoint());
    let measure_col = t.add(schema::assessments::MEASURE, ColumnBuilder::measure());
    let value_col = t.add(schema::assessments::VALUE, ColumnBuilder::number());
    let mut dates = AssessmentDates::default();
    for c in kept {
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
    Ok((Assessments::from_frame(t.finish()?), dates))
}

/// The position of the timepoint a label names (the timepoint vocabulary is the config's
/// timepoints, so every label names one).
fn timepoint_of(config: &Config, timepoints: &LabelMap, label_index: u32) -> Option<u16> {
    config
        .timepoints
        .position(timepoints.value(label_index))
        .map(|p| p as u16)
}

/// Reading one assessments export: the rows' values and item answers, as candidates.
struct Read<'c> {
    config: &'c Config,
    spec: &'c TableSpec,
    register: &'c ClientRegister,
    timepoints: &'c LabelMap,
    tp_labels: CachedLabels<'c>,
    candidates: Vec<Candidate>,
    items: Vec<ItemAnswer>,
    /// Scores waiting for a timepoint from their order (`[timepoints.from_order]`).
    untimed: Vec<order::Untimed>,
}

impl Read<'_> {
    /// One row per client, timepoint and measure (or item).
    fn long(&mut self, run: &mut TableRun) -> Result<(), ValidateError> {
        let (config, spec, register) = (self.config, self.spec, self.register);
        let timepoints = self.timepoints;
        let tp_index = |label_index: u32| timepoint_of(config, timepoints, label_index);
        let (tp_labels, candidates, items, untimed) = (
            &mut self.tp_labels,
            &mut self.candidates,
            &mut self.items,
            &mut self.untimed,
        );
        let from_order = config.timepoints.from_order.is_some();
        let grace = config.tables.baseline_grace_days;
        let measure_labels = config.label_map(Vocabulary::Measure);
        let measure_index: HashMap<&str, u16> = config
            .measures
            .iter()
            .enumerate()
            .map(|(i, m)| (m.id.as_str(), i as u16))
            .collect();
        let mut measure_cached = measure_labels.cached();
        let mut wanted = wanted_fields(spec, TableKind::Assessments.fields());
        if from_order {
            wanted[TIMEPOINT].required = false;
        }
        run.read(
            spec,
            &config.base_dir,
            &wanted,
            &spec.date_formats,
            |check, row| {
                let cells = Cells::new(&row, &wanted);
                let cell = |i: usize, required: bool| cells.at(i, required);
                let labels = (!from_order).then_some(&mut *tp_labels);
                let Some((client, tp, date)) = assessed_row(check, &cells, register, grace, labels)
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
                let Some(tp) = tp else {
                    if item.is_some() {
                        check.flag(
                            &cell(MEASURE, true),
                            FindingCode::UnknownMeasure,
                            "item answers need a timepoint column; map the measure's score",
                        );
                    } else if let Some(value) = measure_value(check, &at, def) {
                        untimed.push(order::Untimed {
                            client,
                            measure,
                            date: date_to_days(date),
                            value,
                            row: row.at,
                        });
                    }
                    return;
                };
                let Some(timepoint) = tp_index(tp) else {
                    return;
                };
                let date = date_to_days(date);
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
                                row: row.at.into(),
                                seq: 0,
                            });
                        }
                    }
                }
            },
        )?;
        Ok(())
    }

    /// One row per client and timepoint, a column per measure or item. Returns each
    /// measure's value name.
    fn wide(&mut self, run: &mut TableRun) -> Result<Vec<String>, ValidateError> {
        let (config, spec, register) = (self.config, self.spec, self.register);
        let timepoints = self.timepoints;
        let tp_index = |label_index: u32| timepoint_of(config, timepoints, label_index);
        let (tp_labels, candidates) = (&mut self.tp_labels, &mut self.candidates);
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
                let grace = config.tables.baseline_grace_days;
                let Some((client, Some(tp), date)) =
                    assessed_row(check, &cells, register, grace, Some(&mut *tp_labels))
                else {
                    return;
                };
                let Some(timepoint) = tp_index(tp) else {
                    return;
                };
                let at = Candidate {
                    client,
                    measure: 0,
                    timepoint,
                    date: date_to_days(date),
                    value: 0.0,
                    row: row.at.into(),
                    seq: 0,
                };
                cols.score_row(check, &cells, config, at, candidates);
            },
        )?;
        Ok(cols.names)
    }

    /// One row per client, a block of columns per timepoint. Returns each block's
    /// timepoint and its measures' value names.
    fn per_client(&mut self, run: &mut TableRun) -> Result<Vec<(u16, Vec<String>)>, ValidateError> {
        let (config, spec, register) = (self.config, self.spec, self.register);
        let candidates = &mut self.candidates;
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
            // The config checks every block's timepoint is one of its timepoints.
            if let Some(tp) = config.timepoints.position(&b.timepoint) {
                blocks.push((tp as u16, date, cols));
            }
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
                let client = match super::client_of(check, &cells.at(0, true), register) {
                    Some(super::Found::Client(client, _)) => client,
                    Some(super::Found::Patient) => {
                        super::outside_episodes(check, &cells.at(0, true), None);
                        return;
                    }
                    None => return,
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
                        row: row.at.into(),
                        seq: 0,
                    };
                    cols.score_row(check, &cells, config, at, candidates);
                }
            },
        )?;
        Ok(blocks
            .into_iter()
            .map(|(tp, _, cols)| (tp, cols.names))
            .collect())
    }
}
