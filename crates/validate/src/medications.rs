//! Medications: one row per client, record and drug, turned into oral morphine equivalents
//! and matched to an assessment timepoint.

use std::collections::BTreeSet;

use super::assessments::AssessmentDates;
use super::check::{At, Cell, Checker};
use super::finding::{Action, FindingCode};
use super::referrals::ClientRegister;
use super::{Cells, TableRun, ValidateError, dependent_row, parse, wanted_fields};
use chrono::NaiveDate;
use sprout_clinical::medication::{DailyAmount, DrugClass, MedicationLine, MedicationProblem};
use sprout_config::{Config, TableSpec};
use sprout_core::fxhash::FxHashMap;
use sprout_core::vocab::Vocabulary;
use sprout_ingest::RowRef;
use sprout_tables::build::{Col, date_to_days};
use sprout_tables::{
    ColumnBuilder, IncompleteMedication, MEDICATION_FIELDS, Medications, TableBuilder, TableKind,
    position, schema,
};

const RECORD_DATE: usize = position(MEDICATION_FIELDS, "record_date");
const DRUG: usize = position(MEDICATION_FIELDS, "drug");
const DAILY_DOSE: usize = position(MEDICATION_FIELDS, "daily_dose");
const UNIT: usize = position(MEDICATION_FIELDS, "unit");
const ROUTE: usize = position(MEDICATION_FIELDS, "route");
const TIMEPOINT: usize = position(MEDICATION_FIELDS, "timepoint");

pub(super) struct MedicationsOutput {
    pub table: Medications,
    pub incomplete: IncompleteMedication,
}

pub(super) fn validate(
    config: &Config,
    spec: &TableSpec,
    register: &ClientRegister,
    dates: &AssessmentDates,
    run: &mut TableRun,
) -> Result<MedicationsOutput, ValidateError> {
    let wanted = wanted_fields(spec, TableKind::Medications.fields());
    let dictionary = &config.medication.dictionary;
    let timepoints = config.label_map(Vocabulary::Timepoint);
    let routes = config.label_map(Vocabulary::Route);
    let mut no_medication_seen: FxHashMap<Box<str>, bool> = FxHashMap::default();
    let mut other_seen: FxHashMap<Box<str>, Option<String>> = FxHashMap::default();
    type LineKey<'a> = (Box<str>, Box<str>, Option<&'a str>, u64);
    let mut amounts: FxHashMap<LineKey<'_>, Result<DailyAmount, MedicationProblem>> =
        FxHashMap::default();
    let (mut tp_cache, mut route_cache) = (timepoints.cached(), routes.cached());
    let window = i32::try_from(config.medication.window_days).unwrap_or(i32::MAX);

    let mut t = TableBuilder::new();
    let columns = Columns::add(&mut t);
    // Client, timepoint and date of each kept line, and of timepoints with a rejected line.
    let mut lines: Vec<(u32, u16, i32, RowRef)> = Vec::new();
    // Each kept line's date as the export wrote it, for quoting in findings.
    let mut date_texts = TextArena::default();
    let mut incomplete: BTreeSet<(u32, u16, i32)> = BTreeSet::new();

    run.read(spec, &config.base_dir, &wanted, &spec.date_formats, |check, row| {
        let cells = Cells::new(&row, &wanted);
        let cell = |i: usize, required: bool| cells.at(i, required);
        let Some((client, _, date)) = dependent_row(check, &cells, RECORD_DATE, register, config.tables.baseline_grace_days) else { return };

        // The timepoint: as exported, or the nearest assessment within the window.
        let tp_cell = cell(TIMEPOINT, true);
        let timepoint = if tp_cell.text.trim().is_empty() {
            let Some(tp) = nearest_assessment(dates, client, date, window) else {
                let reason = format!("no assessment of this client within {window} days of {date}; add a timepoint column or widen medications.window_days");
                check.flag_with(&cell(RECORD_DATE, true), FindingCode::NoMatchingTimepoint, Action::RowExcluded, reason);
                return;
            };
            tp
        } else {
            let Cell::Value(i) = check.label(&tp_cell, &mut tp_cache, FindingCode::UnknownTimepoint, "timepoint") else { return };
            match config.timepoints.position(timepoints.value(i)) {
                Some(p) => p as u16,
                None => return,
            }
        };

        let Cell::Value(drug) = check.text(&cell(DRUG, true)) else {
            incomplete.insert((client, timepoint, date_to_days(date)));
            return;
        };
        let route = check.label(&cell(ROUTE, false), &mut route_cache, FindingCode::UnknownLabel, "route").ok().map(|i| routes.value(i));
        // Non-opioid pain medicines are recognised and add nothing; no dose is needed.
        let other = other_seen
            .entry(drug.into())
            .or_insert_with(|| {
                let known = dictionary.product(drug).is_some() || dictionary.is_no_medication(drug);
                if known { None } else { sprout_clinical::medication::not_counted(drug, &config.medication.not_counted) }
            })
            .clone();
        if let Some(molecule) = other {
            lines.push((client, timepoint, date_to_days(date), row.at));
            date_texts.push(cell(RECORD_DATE, true).text.trim());
            columns.push(&mut t, client, date, timepoint, &molecule, NOT_COUNTED, [0.0; 3]);
            return;
        }
        let no_medication = *no_medication_seen.entry(drug.into()).or_insert_with(|| dictionary.is_no_medication(drug));
        let amount = if no_medication {
            Ok(DailyAmount::no_medication())
        } else {
            let Some((dose, unit_text)) = dose_and_unit(check, &cell(DAILY_DOSE, true), &cell(UNIT, true)) else {
                incomplete.insert((client, timepoint, date_to_days(date)));
                return;
            };
            // Exports repeat a few hundred distinct lines; look each up once.
            let key = (Box::from(drug), Box::from(unit_text), route, dose.to_bits());
            amounts
                .entry(key)
                .or_insert_with(|| dictionary.daily_amount(&MedicationLine { drug, daily_dose: dose, unit: unit_text, route }))
                .clone()
        };
        let amount = match amount {
            Ok(a) => a,
            Err(problem) => {
                let code = FindingCode::parse(problem.code()).unwrap_or(FindingCode::UnknownDrug);
                let column = match code {
                    FindingCode::ImpossibleDose => DAILY_DOSE,
                    FindingCode::UnitMismatch => UNIT,
                    _ => DRUG,
                };
                check.flag_with(&cell(column, true), code, Action::RowExcluded, problem.message);
                incomplete.insert((client, timepoint, date_to_days(date)));
                return;
            }
        };
        lines.push((client, timepoint, date_to_days(date), row.at));
        date_texts.push(cell(RECORD_DATE, true).text.trim());
        columns.push(
            &mut t,
            client,
            date,
            timepoint,
            amount.molecule.as_deref().unwrap_or(NO_MEDICATION),
            class_name(amount.class),
            [amount.ome_mg_per_day, amount.gabapentinoid_mg_per_day, amount.ddd_fraction.unwrap_or(0.0)],
        );
    })?;

    let incomplete = one_review_per_timepoint(config, run, &mut t, &lines, &date_texts, incomplete);
    Ok(MedicationsOutput {
        table: Medications::from_frame(t.finish()?),
        incomplete: incomplete_table(incomplete)?,
    })
}

/// The canonical medications table's columns.
struct Columns {
    client: Col,
    date: Col,
    timepoint: Col,
    drug: Col,
    class: Col,
    /// Oral morphine equivalent, gabapentinoid mg and gabapentinoid DDDs per day.
    amounts: [Col; 3],
}

impl Columns {
    fn add(t: &mut TableBuilder) -> Self {
        use schema::medications as m;
        Self {
            client: t.add(schema::CLIENT, ColumnBuilder::client()),
            date: t.add(m::RECORD_DATE, ColumnBuilder::date()),
            timepoint: t.add(m::TIMEPOINT, ColumnBuilder::timepoint()),
            drug: t.add(m::DRUG, ColumnBuilder::text()),
            class: t.add(m::CLASS, ColumnBuilder::text()),
            amounts: [
                t.add(m::OME_MG_PER_DAY, ColumnBuilder::number()),
                t.add(m::GABAPENTINOID_MG_PER_DAY, ColumnBuilder::number()),
                t.add(m::GABAPENTINOID_DDD, ColumnBuilder::number()),
            ],
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn push(
        &self,
        t: &mut TableBuilder,
        client: u32,
        date: NaiveDate,
        timepoint: u16,
        drug: &str,
        class: &str,
        amounts: [f64; 3],
    ) {
        t.push_client(self.client, client.into());
        t.push_date(self.date, Some(date));
        t.push_timepoint(self.timepoint, timepoint.into());
        t.push_text(self.drug, Some(drug));
        t.push_text(self.class, Some(class));
        for (col, v) in self.amounts.iter().zip(amounts) {
            t.push_number(*col, Some(v));
        }
    }
}

/// The timepoint of the client's assessment nearest `date` within `window` days (the
/// earlier timepoint on a tie).
fn nearest_assessment(
    dates: &AssessmentDates,
    client: u32,
    date: NaiveDate,
    window: i32,
) -> Option<u16> {
    let day = date_to_days(date);
    dates
        .by_client
        .get(&client)?
        .iter()
        .filter(|(_, d)| (d - day).abs() <= window)
        .min_by_key(|(tp, d)| ((d - day).abs(), *tp))
        .map(|(tp, _)| *tp)
}

/// The daily dose and its unit: the unit column, or a unit written with the dose
/// ("30 mg"). `None` (with a finding) when either is missing or the dose unreadable.
fn dose_and_unit<'r>(check: &mut Checker, dose: &At<'r>, unit: &At<'r>) -> Option<(f64, &'r str)> {
    let (value, unit_hint) = match dose.text.trim() {
        "" => {
            check.text(dose);
            return None;
        }
        text => match parse::parse_number_with_unit(text) {
            Some(v) => v,
            None => {
                check.flag(dose, FindingCode::NotANumber, "not a dose");
                return None;
            }
        },
    };
    let unit_text = match unit.text.trim() {
        "" => unit_hint,
        u => u,
    };
    if unit_text.is_empty() {
        check.text(unit);
        return None;
    }
    Some((value, unit_text))
}

/// One review per client and timepoint: the earliest at baseline, the latest later (as
/// for assessments); lines from other dates would double the dose, so they are dropped
/// with a finding. Returns the incomplete reviews that are the ones kept.
fn one_review_per_timepoint(
    config: &Config,
    run: &mut TableRun,
    t: &mut TableBuilder,
    lines: &[(u32, u16, i32, RowRef)],
    date_texts: &TextArena,
    incomplete: BTreeSet<(u32, u16, i32)>,
) -> BTreeSet<(u32, u16, i32)> {
    let first = config.timepoints.compare.from_ix.index();
    let mut chosen: FxHashMap<(u32, u16), i32> = FxHashMap::default();
    for (client, tp, date) in lines
        .iter()
        .map(|&(c, t, d, _)| (c, t, d))
        .chain(incomplete.iter().copied())
    {
        let baseline = usize::from(tp) <= first;
        chosen
            .entry((client, tp))
            .and_modify(|d| {
                *d = if baseline {
                    (*d).min(date)
                } else {
                    (*d).max(date)
                }
            })
            .or_insert(date);
    }
    let mut keep = Vec::with_capacity(lines.len());
    for (k, &(client, tp, date, at)) in lines.iter().enumerate() {
        let chosen_date = chosen.get(&(client, tp)).copied().unwrap_or(date);
        keep.push(date == chosen_date);
        if date != chosen_date {
            let tp_label = config.timepoints.order[usize::from(tp)]
                .label
                .to_lowercase();
            run.findings_mut().push(super::finding::Finding {
                code: FindingCode::DuplicateReview,
                action: Action::RowExcluded,
                table: sprout_tables::TableKind::Medications,
                at,
                column: "record_date".to_owned(),
                value: date_texts.get(k).to_owned(),
                reason: format!(
                    "medication was also recorded on {} for the {tp_label} timepoint; that review is used",
                    sprout_tables::build::days_to_date(chosen_date)
                ),
            });
        }
    }
    t.retain_rows(&keep);
    // One row per incomplete review (a set, so a review with several rejected lines
    // counts once).
    incomplete
        .into_iter()
        .filter(|(c, tp, d)| chosen.get(&(*c, *tp)) == Some(d))
        .collect()
}

/// The reviews whose total is unknown because a line was rejected, one row each.
fn incomplete_table(
    incomplete: BTreeSet<(u32, u16, i32)>,
) -> Result<IncompleteMedication, ValidateError> {
    let mut inc = TableBuilder::new();
    let inc_client = inc.add(schema::CLIENT, ColumnBuilder::client());
    let inc_tp = inc.add(schema::medications::TIMEPOINT, ColumnBuilder::timepoint());
    let inc_date = inc.add(schema::medications::RECORD_DATE, ColumnBuilder::date());
    for (client, tp, date) in incomplete {
        inc.push_client(inc_client, client.into());
        inc.push_timepoint(inc_tp, tp.into());
        inc.push_date(inc_date, Some(sprout_tables::build::days_to_date(date)));
    }
    Ok(IncompleteMedication::from_frame(inc.finish()?))
}

/// The `drug` value of an explicit "no pain medication" record.
pub const NO_MEDICATION: &str = "none";

/// The `class` of a recognised pain medicine that is neither an opioid nor a gabapentinoid.
pub const NOT_COUNTED: &str = "not_counted";

fn class_name(class: Option<DrugClass>) -> &'static str {
    match class {
        Some(DrugClass::Opioid) => "opioid",
        Some(DrugClass::Gabapentinoid) => "gabapentinoid",
        None => NO_MEDICATION,
    }
}

/// Many short strings in one buffer.
#[derive(Debug, Default)]
struct TextArena {
    text: String,
    ends: Vec<usize>,
}

impl TextArena {
    fn push(&mut self, s: &str) {
        self.text.push_str(s);
        self.ends.push(self.text.len());
    }

    fn get(&self, i: usize) -> &str {
        let start = i.checked_sub(1).map_or(0, |j| self.ends[j]);
        self.ends.get(i).map_or("", |&end| &self.text[start..end])
    }
}
