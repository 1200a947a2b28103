//! Referrals built from events (`layout = "events"`, methods.md 10): each patient's
//! referral, discharge and declined entries, in date order, open and close episodes, and a
//! patient list supplies their demographics. Episodes, not patients, are the clients of
//! the canonical tables.

use chrono::NaiveDate;

use sprout_config::Config;
use sprout_core::fxhash::FxHashMap;
use sprout_core::vocab::{CachedLabels, Vocabulary};
use sprout_ingest::RowRef;
use sprout_tables::{
    PEOPLE_FIELDS, REFERRAL_EVENT_FIELDS, Referrals, TableBuilder, TableKind, position,
};

use super::check::{At, Cell, Checker};
use super::entry_order::EntryOrder;
use super::finding::{Action, Finding, FindingCode, Findings};
use super::referrals::{
    ClientRegister, Columns, EpisodeSpan, Row, age_on, client_key, cohort_maps, normalise_band,
};
use super::{Cells, TableRun, ValidateError, ragged, wanted_fields};

const EVENT_DATE: usize = position(REFERRAL_EVENT_FIELDS, "event_date");
const EVENT: usize = position(REFERRAL_EVENT_FIELDS, "event");
const REASON: usize = position(REFERRAL_EVENT_FIELDS, "discharge_reason");
const SOURCE: usize = position(REFERRAL_EVENT_FIELDS, "referral_source");

const DATE_OF_BIRTH: usize = position(PEOPLE_FIELDS, "date_of_birth");
const AGE: usize = position(PEOPLE_FIELDS, "age");
const AGE_BAND: usize = position(PEOPLE_FIELDS, "age_band");
const SEX: usize = position(PEOPLE_FIELDS, "sex");
const ETHNICITY: usize = position(PEOPLE_FIELDS, "ethnicity");
const IMD_DECILE: usize = position(PEOPLE_FIELDS, "imd_decile");
/// Cohort columns follow the people fields.
const FIRST_COHORT: usize = PEOPLE_FIELDS.len();

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Referral,
    Discharge,
    Declined,
}

/// One referral, discharge or declined entry.
#[derive(Debug)]
struct Event {
    patient: u32,
    date: NaiveDate,
    kind: Kind,
    reason: Option<String>,
    source: Option<String>,
    row: RowRef,
}

/// One episode: opened by a referral, closed by a discharge or a declined entry.
#[derive(Debug)]
struct Episode {
    patient: u32,
    referral: NaiveDate,
    source: Option<String>,
    close: Option<(NaiveDate, Option<String>)>,
    row: RowRef,
}

/// A patient of the patient list.
#[derive(Debug, Default, Clone)]
struct Person {
    born: Option<NaiveDate>,
    age: Option<i32>,
    band: Option<String>,
    sex: Option<String>,
    ethnicity: Option<String>,
    imd: Option<i32>,
    cohorts: Vec<Option<String>>,
}

/// The patient list: each patient's demographics, by matching key.
#[derive(Debug, Default)]
pub(super) struct People(FxHashMap<Box<str>, Person>);

/// The episodes read, waiting for the sessions that say when each started.
#[derive(Debug)]
pub(super) struct Episodes {
    episodes: Vec<Episode>,
    /// Each patient's demographics, by patient number (`None`: not in the list).
    people: Vec<Option<Person>>,
    cohorts: Vec<String>,
}

/// Reads the patient list (if any) and the referral events, builds the episodes and the
/// register the other tables are matched against.
pub(super) fn read(
    config: &Config,
    events_run: &mut TableRun,
    people: Option<&People>,
) -> Result<(Episodes, ClientRegister), ValidateError> {
    let case_sensitive = config.programme.case_sensitive_ids;
    let (mut events, patients) = read_events(config, events_run)?;
    let order = EntryOrder::of(
        events
            .iter()
            .map(|e| (e.row, sprout_tables::build::date_to_days(e.date))),
    );
    events.sort_by_key(|e| (e.patient, e.date, order.entered(e.row)));
    let episodes = open_and_close(events, events_run.findings_mut());

    let mut register = ClientRegister::of_events(case_sensitive);
    let mut spans: Vec<Vec<EpisodeSpan>> = vec![Vec::new(); patients.len()];
    for (i, e) in episodes.iter().enumerate() {
        spans[e.patient as usize].push(EpisodeSpan {
            index: i as u32,
            referral: e.referral,
            close: e.close.as_ref().map(|c| c.0),
        });
    }
    let mut demographics = vec![None; patients.len()];
    let mut told = vec![false; patients.len()];
    for (p, (raw, list)) in patients.iter().zip(spans).enumerate() {
        if list.is_empty() {
            continue;
        }
        register.insert_patient(raw, list);
        if let Some(people) = people {
            demographics[p] = people
                .0
                .get(client_key(raw, case_sensitive).as_ref())
                .cloned();
        }
    }
    if people.is_some() {
        for e in &episodes {
            let p = e.patient as usize;
            if demographics[p].is_none() && !told[p] {
                told[p] = true;
                not_in_people(events_run.findings_mut(), e.row);
            }
        }
    }
    let cohorts = cohort_maps(config).into_iter().map(|(id, _)| id).collect();
    Ok((
        Episodes {
            episodes,
            people: demographics,
            cohorts,
        },
        register,
    ))
}

/// An episode whose patient the list lacks: kept, without demographics.
fn not_in_people(findings: &mut Findings, row: RowRef) {
    findings.push(Finding {
        code: FindingCode::NotInPeople,
        action: Action::ValueIgnored,
        table: TableKind::Referrals,
        at: row,
        column: "client_id".to_owned(),
        value: super::WITHHELD.to_owned(),
        reason: "the patient is not in the patient list; the episode is counted without \
                 demographics"
            .to_owned(),
    });
}

/// Walks each patient's events in order: a referral opens an episode, a discharge or a
/// declined entry closes it; the others are findings.
fn open_and_close(events: Vec<Event>, findings: &mut Findings) -> Vec<Episode> {
    let mut episodes: Vec<Episode> = Vec::new();
    let mut open: Option<usize> = None;
    let mut patient = None;
    for e in events {
        if patient != Some(e.patient) {
            patient = Some(e.patient);
            open = None;
        }
        let flag = |findings: &mut Findings, code, reason: String| {
            findings.push(Finding {
                code,
                action: Action::RowExcluded,
                table: TableKind::Referrals,
                at: e.row,
                column: "event".to_owned(),
                value: match e.kind {
                    Kind::Referral => "referral",
                    Kind::Discharge => "discharge",
                    Kind::Declined => "declined",
                }
                .to_owned(),
                reason,
            });
        };
        match (e.kind, open) {
            (Kind::Referral, Some(i)) => flag(
                findings,
                FindingCode::ReferralWhileOpen,
                format!(
                    "the episode opened on {} is still open on {}; a referral within it is not \
                     a new episode",
                    episodes[i].referral, e.date
                ),
            ),
            (Kind::Referral, None) => {
                open = Some(episodes.len());
                episodes.push(Episode {
                    patient: e.patient,
                    referral: e.date,
                    source: e.source,
                    close: None,
                    row: e.row,
                });
            }
            (Kind::Discharge | Kind::Declined, Some(i)) => {
                let reason = match e.kind {
                    Kind::Declined => Some("declined".to_owned()),
                    _ => e.reason,
                };
                episodes[i].close = Some((e.date, reason));
                open = None;
            }
            (Kind::Discharge | Kind::Declined, None) => flag(
                findings,
                FindingCode::CloseWithoutEpisode,
                format!("no episode of the patient is open on {}", e.date),
            ),
        }
    }
    episodes
}

/// Reads every event row: its patient, date, kind, and the reason or source it gives.
/// Returns the events and each patient's reference (as first written), by number.
fn read_events(
    config: &Config,
    run: &mut TableRun,
) -> Result<(Vec<Event>, Vec<String>), ValidateError> {
    let spec = &config.tables.referrals;
    let wanted = wanted_fields(spec, REFERRAL_EVENT_FIELDS);
    let map = |v| config.label_map(v);
    let (event_map, reason_map, source_map) = (
        map(Vocabulary::Event),
        map(Vocabulary::DischargeReason),
        map(Vocabulary::ReferralSource),
    );
    let (mut kinds, mut reasons, mut sources) =
        (event_map.cached(), reason_map.cached(), source_map.cached());
    let case_sensitive = config.programme.case_sensitive_ids;
    let mut numbers: FxHashMap<Box<str>, u32> = FxHashMap::default();
    let mut patients: Vec<String> = Vec::new();
    let mut events = Vec::new();
    run.read(
        spec,
        &config.base_dir,
        &wanted,
        &spec.date_formats,
        |check, row| {
            if ragged(check, &row, &wanted[0].key) {
                return;
            }
            let cells = Cells::new(&row, &wanted);
            let Cell::Value(raw) = check.text(&cells.at(0, true)) else {
                return;
            };
            let Cell::Value(date) = check.date(&cells.at(EVENT_DATE, true), false) else {
                return;
            };
            let Cell::Value(k) = check.label(
                &cells.at(EVENT, true),
                &mut kinds,
                FindingCode::UnknownLabel,
                "event",
            ) else {
                return;
            };
            let kind = match kinds.value(k) {
                "referral" => Kind::Referral,
                "declined" => Kind::Declined,
                _ => Kind::Discharge,
            };
            let mut label = |i: usize, map: &mut CachedLabels, v: Vocabulary| {
                check
                    .label(
                        &cells.at(i, false),
                        map,
                        FindingCode::UnknownLabel,
                        v.name(),
                    )
                    .ok()
                    .map(|k| map.value(k).to_owned())
            };
            let (reason, source) = match kind {
                Kind::Discharge => (
                    label(REASON, &mut reasons, Vocabulary::DischargeReason),
                    None,
                ),
                Kind::Referral => (
                    None,
                    label(SOURCE, &mut sources, Vocabulary::ReferralSource),
                ),
                Kind::Declined => (None, None),
            };
            let key = client_key(raw, case_sensitive);
            let patient = match numbers.get(key.as_ref()) {
                Some(&n) => n,
                None => {
                    let n = patients.len() as u32;
                    numbers.insert(key.into(), n);
                    patients.push(row.cells[0].to_owned());
                    n
                }
            };
            events.push(Event {
                patient,
                date,
                kind,
                reason,
                source,
                row: row.at,
            });
        },
    )?;
    Ok((events, patients))
}

/// Reads the patient list: each patient's demographics, by matching key. A patient listed
/// twice keeps the first row.
pub(super) fn read_people(config: &Config, run: &mut TableRun) -> Result<People, ValidateError> {
    let Some(spec) = &config.tables.people else {
        return Ok(People::default());
    };
    let mut wanted = wanted_fields(spec, PEOPLE_FIELDS);
    let cohort_maps = cohort_maps(config);
    for (id, _) in &cohort_maps {
        wanted.push(sprout_ingest::WantedColumn {
            key: id.clone(),
            headers: spec
                .headers_for(id)
                .map(<[String]>::to_vec)
                .unwrap_or_default(),
            required: true,
            identifying: false,
        });
    }
    let map = |v| config.label_map(v);
    let (sex_map, ethnicity_map) = (map(Vocabulary::Sex), map(Vocabulary::Ethnicity));
    let (mut sexes, mut ethnicities) = (sex_map.cached(), ethnicity_map.cached());
    let mut cohort_labels: Vec<Option<CachedLabels>> = cohort_maps
        .iter()
        .map(|(_, m)| m.as_ref().map(|m| m.cached()))
        .collect();
    let case_sensitive = config.programme.case_sensitive_ids;
    let mut people: FxHashMap<Box<str>, Person> = FxHashMap::default();
    run.read(
        spec,
        &config.base_dir,
        &wanted,
        &spec.date_formats,
        |check, row| {
            if ragged(check, &row, &wanted[0].key) {
                return;
            }
            let cells = Cells::new(&row, &wanted);
            let cell = |i: usize| cells.at(i, false);
            let Cell::Value(raw) = check.text(&cells.at(0, true)) else {
                return;
            };
            let key = client_key(raw, case_sensitive);
            if people.contains_key(key.as_ref()) {
                check.flag_with(
                    &cells.at(0, true),
                    FindingCode::DuplicateClient,
                    Action::RowExcluded,
                    "the patient is listed again; the first row is used",
                );
                return;
            }
            let label = |check: &mut Checker, at: &At, map: &mut CachedLabels, what: &str| {
                check
                    .label(at, map, FindingCode::UnknownLabel, what)
                    .ok()
                    .map(|k| map.value(k).to_owned())
            };
            let sex = label(check, &cell(SEX), &mut sexes, "sex");
            let ethnicity = label(check, &cell(ETHNICITY), &mut ethnicities, "ethnicity");
            let mut cohorts = Vec::with_capacity(cohort_maps.len());
            for (k, (m, (id, _))) in cohort_labels.iter_mut().zip(&cohort_maps).enumerate() {
                let at = cell(FIRST_COHORT + k);
                cohorts.push(match m {
                    Some(m) => label(check, &at, m, id),
                    None => check.text(&at).ok().map(str::to_owned),
                });
            }
            let person = Person {
                born: check.date(&cell(DATE_OF_BIRTH), false).ok(),
                age: age(check, &cell(AGE)),
                band: check.text(&cell(AGE_BAND)).ok().and_then(normalise_band),
                sex,
                ethnicity,
                imd: check
                    .number(&cell(IMD_DECILE), 1.0, 10.0, true)
                    .ok()
                    .map(|v| v as i32),
                cohorts,
            };
            people.insert(key.into(), person);
        },
    )?;
    Ok(People(people))
}

/// An age column ("54", "54 years").
fn age(check: &mut Checker, at: &At) -> Option<i32> {
    if at.text.trim().is_empty() {
        return None;
    }
    let text = at
        .text
        .trim()
        .trim_end_matches(|c: char| c.is_alphabetic() || c == ' ');
    check
        .number(&At { text, ..*at }, 0.0, 120.0, false)
        .ok()
        .map(|a| a.floor() as i32)
}

impl Episodes {
    /// When each episode ended (days), by episode number.
    pub(super) fn ends(&self) -> Vec<Option<i32>> {
        self.episodes
            .iter()
            .map(|e| {
                e.close
                    .as_ref()
                    .map(|(d, _)| sprout_tables::build::date_to_days(*d))
            })
            .collect()
    }

    /// How the episodes were made, for the evaluator: each counts as one person in the
    /// report.
    pub(super) fn note(&self) -> String {
        let mut per_patient: FxHashMap<u32, u32> = FxHashMap::default();
        for e in &self.episodes {
            *per_patient.entry(e.patient).or_default() += 1;
        }
        let again = per_patient.values().filter(|n| **n > 1).count() as u64;
        let int = |n: u64| sprout_core::text::int(n);
        format!(
            "referrals were built from the entries: {} episode{} of {} patient{} ({} referred \
             again after a discharge); each episode counts as one person in this report",
            int(self.episodes.len() as u64),
            if self.episodes.len() == 1 { "" } else { "s" },
            int(per_patient.len() as u64),
            if per_patient.len() == 1 { "" } else { "s" },
            int(again),
        )
    }

    /// The canonical referrals table: one row per episode, its start the first attended
    /// session (`first_attended`, by episode).
    pub(super) fn table(
        self,
        first_attended: &FxHashMap<u32, NaiveDate>,
    ) -> Result<Referrals, ValidateError> {
        let mut t = TableBuilder::new();
        let columns = Columns::add(&mut t, self.cohorts.iter().map(String::as_str));
        let none = Person {
            cohorts: vec![None; self.cohorts.len()],
            ..Person::default()
        };
        for (i, e) in self.episodes.into_iter().enumerate() {
            let p = self.people[e.patient as usize].as_ref().unwrap_or(&none);
            let age = p
                .born
                .map(|b| age_on(b, e.referral))
                .filter(|a| (0..=120).contains(a))
                .or(p.age);
            let (discharge, reason) = e.close.map_or((None, None), |(d, r)| (Some(d), r));
            columns.push(
                &mut t,
                &Row {
                    client: i as u32,
                    referral: e.referral,
                    source: e.source,
                    start: first_attended.get(&(i as u32)).copied(),
                    discharge,
                    reason,
                    surgery: None,
                    age,
                    band: p.band.clone(),
                    sex: p.sex.clone(),
                    ethnicity: p.ethnicity.clone(),
                    imd: p.imd,
                    cohorts: p.cohorts.clone(),
                },
            );
        }
        Ok(Referrals::from_frame(t.finish()?))
    }
}
