//! Medications: one row per client, record and drug, turned into oral morphine equivalents
//! and matched to an assessment timepoint.

use std::collections::BTreeSet;

use super::assessments::AssessmentDates;
use super::check::Cell;
use super::finding::{Action, FindingCode};
use super::referrals::ClientRegister;
use super::{Cells, TableRun, ValidateError, dependent_row, parse, wanted_fields};
use sprout_clinical::medication::{DailyAmount, DrugClass, MedicationLine, MedicationProblem};
use sprout_config::{Config, TableSpec};
use sprout_core::fxhash::FxHashMap;
use sprout_core::vocab::Vocabulary;
use sprout_ingest::RowRef;
use sprout_tables::build::date_to_days;
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
    let client_col = t.add(schema::CLIENT, ColumnBuilder::client());
    let date_col = t.add(schema::medications::RECORD_DATE, ColumnBuilder::date());
    let tp_col = t.add(schema::medications::TIMEPOINT, ColumnBuilder::timepoint());
    let drug_col = t.add(schema::medications::DRUG, ColumnBuilder::text());
    let class_col = t.add(schema::medications::CLASS, ColumnBuilder::text());
    let ome_col = t.add(schema::medications::OME_MG_PER_DAY, ColumnBuilder::number());
    let gaba_col = t.add(
        schema::medications::GABAPENTINOID_MG_PER_DAY,
        ColumnBuilder::number(),
    );
    let ddd_col = t.add(
        schema::medications::GABAPENTINOID_DDD,
        ColumnBuilder::number(),
    );
    // Client, timepoint and date of each kept line, and of timepoints with a rejected line.
    let mut lines: Vec<(u32, u16, i32, RowRef)> = Vec::new();
    // Each kept line's date as the export wrote it, for quoting in findings.
    let mut date_texts = TextArena::default();
    let mut incomplete: BTreeSet<(u32, u16, i32)> = BTreeSet::new();

    run.read(spec, &config.base_dir, &wanted, &spec.date_formats, |check, row| {
        let cells = Cells::new(&row, &wanted);
        let cell = |i: usize, required: bool| cells.at(i, required);
        let Some((client, _, date)) = dependent_row(check, &cells, RECORD_DATE, register) else { return };

        // The timepoint: as exported, or the nearest assessment within the window.
        let tp_cell = cell(TIMEPOINT, true);
        let timepoint = if tp_cell.text.trim().is_empty() {
            let day = date_to_days(date);
            let nearest = dates
                .by_client
                .get(&client)
                .and_then(|v| v.iter().filter(|(_, d)| (d - day).abs() <= window).min_by_key(|(tp, d)| ((d - day).abs(), *tp)));
            match nearest {
                Some((tp, _)) => *tp,
                None => {
                    let reason = format!("no assessment of this client within {window} days of {date}; add a timepoint column or widen medications.window_days");
                    check.flag_with(&cell(RECORD_DATE, true), FindingCode::NoMatchingTimepoint, Action::RowExcluded, reason);
                    return;
                }
            }
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
            t.push_client(client_col, client.into());
            t.push_date(date_col, Some(date));
            t.push_timepoint(tp_col, timepoint.into());
            t.push_text(drug_col, Some(&molecule));
            t.push_text(class_col, Some(NOT_COUNTED));
            t.push_number(ome_col, Some(0.0));
            t.push_number(gaba_col, Some(0.0));
            t.push_number(ddd_col, Some(0.0));
            return;
        }
        let no_medication = *no_medication_seen.entry(drug.into()).or_insert_with(|| dictionary.is_no_medication(drug));
        let amount = if no_medication {
            Ok(DailyAmount::no_medication())
        } else {
            let dose_cell = cell(DAILY_DOSE, true);
            let Some((dose, unit_hint)) = (match dose_cell.text.trim() {
                "" => {
                    check.text(&dose_cell);
                    None
                }
                text => match parse::parse_number_with_unit(text) {
                    Some(v) => Some(v),
                    None => {
                        check.flag(&dose_cell, FindingCode::NotANumber, "not a dose");
                        None
                    }
                },
            }) else {
                incomplete.insert((client, timepoint, date_to_days(date)));
                return;
            };
            let unit_text = match cell(UNIT, true).text.trim() {
                "" => unit_hint,
                u => u,
            };
            if unit_text.is_empty() {
                check.text(&cell(UNIT, true));
                incomplete.insert((client, timepoint, date_to_days(date)));
                return;
            }
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
        t.push_client(client_col, client.into());
        t.push_date(date_col, Some(date));
        t.push_timepoint(tp_col, timepoint.into());
        t.push_text(drug_col, Some(amount.molecule.as_deref().unwrap_or(NO_MEDICATION)));
        t.push_text(class_col, Some(class_name(amount.class)));
        t.push_number(ome_col, Some(amount.ome_mg_per_day));
        t.push_number(gaba_col, Some(amount.gabapentinoid_mg_per_day));
        t.push_number(ddd_col, Some(amount.ddd_fraction.unwrap_or(0.0)));
    })?;

    // One review per client and timepoint: the earliest at baseline, the latest later
    // (as for assessments). Lines from other dates would double the dose.
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
    let incomplete: BTreeSet<(u32, u16, i32)> = incomplete
        .into_iter()
        .filter(|(c, tp, d)| chosen.get(&(*c, *tp)) == Some(d))
        .collect();

    let mut inc = TableBuilder::new();
    let inc_client = inc.add(schema::CLIENT, ColumnBuilder::client());
    let inc_tp = inc.add(schema::medications::TIMEPOINT, ColumnBuilder::timepoint());
    let inc_date = inc.add(schema::medications::RECORD_DATE, ColumnBuilder::date());
    for (client, tp, date) in incomplete {
        inc.push_client(inc_client, client.into());
        inc.push_timepoint(inc_tp, tp.into());
        inc.push_date(inc_date, Some(sprout_tables::build::days_to_date(date)));
    }
    Ok(MedicationsOutput {
        table: Medications::from_frame(t.finish()?),
        incomplete: IncompleteMedication::from_frame(inc.finish()?),
    })
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
