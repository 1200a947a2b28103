//! Referrals: one row per client episode. Builds the client register every other table
//! is checked against.

use std::borrow::Cow;

use sprout_core::fxhash::FxHashMap;

use chrono::{Datelike, NaiveDate};

use super::check::{At, Cell, Checker};
use super::finding::{Action, FindingCode};
use super::{TableRun, ValidateError};
use sprout_config::{CohortSource, Config};
use sprout_core::vocab::{CachedLabels, LabelMap, Vocabulary};
use sprout_ingest::{RowRef, WantedColumn};
use sprout_tables::{ColumnBuilder, REFERRAL_FIELDS, Referrals, TableBuilder, position, schema};

/// What validation knows about each client identifier seen in referrals, keyed by
/// [`client_key`].
#[derive(Debug, Default)]
pub struct ClientRegister {
    /// Each client's entry, and a hash of its reference as the referral wrote it.
    entries: FxHashMap<Box<str>, (ClientEntry, u64)>,
    case_sensitive: bool,
}

/// A client reference as references are matched: without surrounding spaces, and with
/// its letters in lower case unless the config says references are case-sensitive.
pub fn client_key(raw: &str, case_sensitive: bool) -> Cow<'_, str> {
    let t = raw.trim();
    if case_sensitive || !t.chars().any(char::is_uppercase) {
        Cow::Borrowed(t)
    } else {
        Cow::Owned(t.to_lowercase())
    }
}

/// A hash of a reference exactly as written, spaces included.
fn written(raw: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::hash::DefaultHasher::new();
    raw.hash(&mut h);
    h.finish()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientEntry {
    Kept {
        index: u32,
        referral: NaiveDate,
    },
    /// Every referral row of this client was excluded.
    Excluded,
}

impl ClientRegister {
    fn new(case_sensitive: bool) -> Self {
        Self {
            entries: FxHashMap::default(),
            case_sensitive,
        }
    }

    /// The entry of a reference (as the export wrote it, spaces included), and whether it
    /// was written otherwise in the referral (other case, other spaces).
    pub fn lookup(&self, raw: &str) -> Option<(ClientEntry, bool)> {
        let key = client_key(raw, self.case_sensitive);
        self.entries
            .get(key.as_ref())
            .map(|(entry, hash)| (*entry, *hash != written(raw)))
    }

    pub fn get(&self, raw: &str) -> Option<ClientEntry> {
        self.lookup(raw).map(|(entry, _)| entry)
    }

    fn insert(&mut self, raw: &str, entry: ClientEntry) {
        let key = client_key(raw, self.case_sensitive);
        self.entries.insert(key.into(), (entry, written(raw)));
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

const CLIENT_ID: usize = position(REFERRAL_FIELDS, "client_id");
const REFERRAL_DATE: usize = position(REFERRAL_FIELDS, "referral_date");
const REFERRAL_SOURCE: usize = position(REFERRAL_FIELDS, "referral_source");
const START_DATE: usize = position(REFERRAL_FIELDS, "start_date");
const DISCHARGE_DATE: usize = position(REFERRAL_FIELDS, "discharge_date");
const DISCHARGE_REASON: usize = position(REFERRAL_FIELDS, "discharge_reason");
const SURGERY_DATE: usize = position(REFERRAL_FIELDS, "surgery_date");
const DATE_OF_BIRTH: usize = position(REFERRAL_FIELDS, "date_of_birth");
const AGE: usize = position(REFERRAL_FIELDS, "age");
const AGE_BAND: usize = position(REFERRAL_FIELDS, "age_band");
const SEX: usize = position(REFERRAL_FIELDS, "sex");
const ETHNICITY: usize = position(REFERRAL_FIELDS, "ethnicity");
const IMD_DECILE: usize = position(REFERRAL_FIELDS, "imd_decile");
/// Cohort columns follow the canonical fields.
const FIRST_COHORT: usize = REFERRAL_FIELDS.len();

pub(super) fn wanted(config: &Config) -> Vec<WantedColumn> {
    let spec = &config.tables.referrals;
    let mut out = super::wanted_fields(spec, REFERRAL_FIELDS);
    for c in cohort_columns(config) {
        out.push(WantedColumn {
            key: c.to_owned(),
            headers: spec
                .headers_for(c)
                .map(<[String]>::to_vec)
                .unwrap_or_default(),
            required: true,
            identifying: false,
        });
    }
    out
}

fn cohort_columns(config: &Config) -> impl Iterator<Item = &str> {
    config.cohorts.iter().filter_map(|c| match &c.source {
        CohortSource::Column(f) => Some(f.as_str()),
        CohortSource::BuiltIn(_) => None,
    })
}

pub(super) struct ReferralsOutput {
    pub table: Referrals,
    pub register: ClientRegister,
}

pub(super) fn validate(
    config: &Config,
    run: &mut TableRun,
) -> Result<ReferralsOutput, ValidateError> {
    let wanted = wanted(config);
    let labels = |v| config.label_map(v);
    let (sources_map, reasons_map, sex_map, ethnicity_map) = (
        labels(Vocabulary::ReferralSource),
        labels(Vocabulary::DischargeReason),
        labels(Vocabulary::Sex),
        labels(Vocabulary::Ethnicity),
    );
    let cohort_maps: Vec<(String, Option<LabelMap>)> = cohort_columns(config)
        .map(|id| {
            (
                id.to_owned(),
                config
                    .cohorts
                    .iter()
                    .find(|c| c.id == id)
                    .and_then(|c| c.labels.clone()),
            )
        })
        .collect();

    let (mut sources_cache, mut reasons_cache, mut sex_cache, mut ethnicity_cache) = (
        sources_map.cached(),
        reasons_map.cached(),
        sex_map.cached(),
        ethnicity_map.cached(),
    );
    let mut cohort_cache: Vec<(String, Option<CachedLabels<'_>>)> = cohort_maps
        .iter()
        .map(|(id, m)| (id.clone(), m.as_ref().map(LabelMap::cached)))
        .collect();

    let mut t = TableBuilder::new();
    let client_col = t.add(schema::CLIENT, ColumnBuilder::client());
    let referral_col = t.add(schema::referrals::REFERRAL_DATE, ColumnBuilder::date());
    let source_col = t.add(schema::referrals::REFERRAL_SOURCE, ColumnBuilder::text());
    let start_col = t.add(schema::referrals::START_DATE, ColumnBuilder::date());
    let discharge_col = t.add(schema::referrals::DISCHARGE_DATE, ColumnBuilder::date());
    let reason_col = t.add(schema::referrals::DISCHARGE_REASON, ColumnBuilder::text());
    let surgery_col = t.add(schema::referrals::SURGERY_DATE, ColumnBuilder::date());
    let age_col = t.add(schema::referrals::AGE, ColumnBuilder::integer());
    let band_col = t.add(schema::referrals::AGE_BAND, ColumnBuilder::text());
    let sex_col = t.add(schema::referrals::SEX, ColumnBuilder::text());
    let ethnicity_col = t.add(schema::referrals::ETHNICITY, ColumnBuilder::text());
    let imd_col = t.add(schema::referrals::IMD_DECILE, ColumnBuilder::integer());
    let cohort_cols: Vec<usize> = cohort_maps
        .iter()
        .map(|(id, _)| {
            t.add(
                &format!("{}{id}", schema::referrals::COHORT_PREFIX),
                ColumnBuilder::text(),
            )
        })
        .collect();

    let mut register = ClientRegister::new(config.programme.case_sensitive_ids);
    let case_sensitive = config.programme.case_sensitive_ids;
    let mut first_row: FxHashMap<Box<str>, (RowRef, u64)> = FxHashMap::default();
    let spec = &config.tables.referrals;

    let mut duplicates: Vec<(usize, RowRef, bool)> = Vec::new();
    run.read(
        spec,
        &config.base_dir,
        &wanted,
        &spec.date_formats,
        |check, row| {
            let cell = |i: usize, required: bool, identifying: bool| At {
                row: row.at,
                key: wanted[i].key.as_str(),
                text: row.cells[i],
                required,
                identifying,
            };
            if super::ragged(check, &row, &wanted[CLIENT_ID].key) {
                return;
            }
            let Cell::Value(client) = check.text(&cell(CLIENT_ID, true, true)) else {
                return;
            };
            let raw_client = row.cells[CLIENT_ID];
            let key = client_key(client, case_sensitive);
            if let Some((first, hash)) = first_row.get(key.as_ref()) {
                // The reason names the first row once the files can be described.
                check.flag_with(
                    &cell(CLIENT_ID, true, true),
                    FindingCode::DuplicateClient,
                    Action::RowExcluded,
                    String::new(),
                );
                duplicates.push((
                    check.findings.len() - 1,
                    *first,
                    *hash != written(raw_client),
                ));
                return;
            }
            first_row.insert(key.into(), (row.at, written(raw_client)));
            let Cell::Value(referral) = check.date(&cell(REFERRAL_DATE, true, false), false) else {
                register.insert(raw_client, ClientEntry::Excluded);
                return;
            };
            let start = check.date(&cell(START_DATE, false, false), false).ok();
            let discharge = check.date(&cell(DISCHARGE_DATE, false, false), false).ok();
            let surgery = check.date(&cell(SURGERY_DATE, false, false), true).ok();

            if let Some(s) = start
                && s < referral
            {
                let reason = format!("first contact {s} is before the referral date {referral}");
                check.flag_with(
                    &cell(START_DATE, true, false),
                    FindingCode::StartBeforeReferral,
                    Action::RowExcluded,
                    reason,
                );
                register.insert(raw_client, ClientEntry::Excluded);
                return;
            }
            if let Some(d) = discharge
                && d < start.unwrap_or(referral)
            {
                let what = if start.is_some() {
                    "first contact"
                } else {
                    "referral"
                };
                let reason = format!(
                    "discharge {d} is before the {what} date {}",
                    start.unwrap_or(referral)
                );
                check.flag_with(
                    &cell(DISCHARGE_DATE, true, false),
                    FindingCode::DischargeBeforeStart,
                    Action::RowExcluded,
                    reason,
                );
                register.insert(raw_client, ClientEntry::Excluded);
                return;
            }

            let dob = check.date(&cell(DATE_OF_BIRTH, false, true), false).ok();
            let mut age = dob.and_then(|b| {
                let years = age_on(b, referral);
                if (0..=120).contains(&years) {
                    Some(years)
                } else {
                    check.flag(
                        &cell(DATE_OF_BIRTH, false, true),
                        FindingCode::ImplausibleDate,
                        format!("gives an age of {years} at referral"),
                    );
                    None
                }
            });
            if age.is_none() {
                let at = cell(AGE, false, false);
                if !at.text.trim().is_empty() {
                    let text = at
                        .text
                        .trim()
                        .trim_end_matches(|c: char| c.is_alphabetic() || c == ' ');
                    let trimmed = At { text, ..at };
                    age = check
                        .number(&trimmed, 0.0, 120.0, false)
                        .ok()
                        .map(|a| a.floor() as i32);
                }
            }
            let band = check
                .text(&cell(AGE_BAND, false, false))
                .ok()
                .and_then(normalise_band);
            let label =
                |check: &mut Checker, i: usize, map: &mut CachedLabels<'_>, v: Vocabulary| {
                    check
                        .label(
                            &cell(i, false, false),
                            map,
                            FindingCode::UnknownLabel,
                            v.name(),
                        )
                        .ok()
                        .map(|k| map.value(k).to_owned())
                };
            let source = label(
                check,
                REFERRAL_SOURCE,
                &mut sources_cache,
                Vocabulary::ReferralSource,
            );
            let reason = label(
                check,
                DISCHARGE_REASON,
                &mut reasons_cache,
                Vocabulary::DischargeReason,
            );
            let sex = label(check, SEX, &mut sex_cache, Vocabulary::Sex);
            let ethnicity = label(
                check,
                ETHNICITY,
                &mut ethnicity_cache,
                Vocabulary::Ethnicity,
            );
            let imd = check
                .number(&cell(IMD_DECILE, false, false), 1.0, 10.0, true)
                .ok()
                .map(|v| v as i32);
            let cohorts: Vec<Option<String>> = cohort_cache
                .iter_mut()
                .enumerate()
                .map(|(k, (id, map))| {
                    let at = cell(FIRST_COHORT + k, false, false);
                    match map {
                        Some(m) => check
                            .label(&at, m, FindingCode::UnknownLabel, id)
                            .ok()
                            .map(|i| m.value(i).to_owned()),
                        None => check.text(&at).ok().map(str::to_owned),
                    }
                })
                .collect();

            let index = t.rows() as u32;
            register.insert(raw_client, ClientEntry::Kept { index, referral });
            t.push_client(client_col, index.into());
            t.push_date(referral_col, Some(referral));
            t.push_text(source_col, source.as_deref());
            t.push_date(start_col, start);
            t.push_date(discharge_col, discharge);
            t.push_text(reason_col, reason.as_deref());
            t.push_date(surgery_col, surgery);
            t.push_integer(age_col, age);
            t.push_text(band_col, band.as_deref());
            t.push_text(sex_col, sex.as_deref());
            t.push_text(ethnicity_col, ethnicity.as_deref());
            t.push_integer(imd_col, imd);
            for (col, v) in cohort_cols.iter().zip(&cohorts) {
                t.push_text(*col, v.as_deref());
            }
        },
    )?;
    for (i, first, differs) in duplicates {
        let place = format!(
            "{} {}",
            run.sources.display(first),
            run.sources.describe_line(first)
        );
        let how = if differs {
            " (the references differ only in case or spaces, and are read as one client)"
        } else {
            ""
        };
        if let Some(f) = run.findings_mut().get_mut(i) {
            f.reason = format!(
                "client already has a referral at {place}{how}; only the first row is used"
            );
        }
    }
    Ok(ReferralsOutput {
        table: Referrals::from_frame(t.finish()?),
        register,
    })
}

/// Whole years between two dates.
fn age_on(born: NaiveDate, on: NaiveDate) -> i32 {
    let mut years = on.year() - born.year();
    if (on.month(), on.day()) < (born.month(), born.day()) {
        years -= 1;
    }
    years
}

/// `45 - 54`, `45 to 54` -> `45-54`; `85 +`, `85 and over` -> `85+`; "Not known" and
/// the like -> not recorded.
fn normalise_band(text: &str) -> Option<String> {
    if sprout_core::vocab::means_not_known(text) {
        return None;
    }
    let t = text
        .trim()
        .to_lowercase()
        .replace(" to ", "-")
        .replace(" and over", "+")
        .replace(" and older", "+");
    Some(t.chars().filter(|c| !c.is_whitespace()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_and_bands() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).expect("date");
        assert_eq!(age_on(d(1960, 5, 20), d(2026, 5, 19)), 65);
        assert_eq!(age_on(d(1960, 5, 20), d(2026, 5, 20)), 66);
        assert_eq!(normalise_band("45 to 54").as_deref(), Some("45-54"));
        assert_eq!(normalise_band("85 and over").as_deref(), Some("85+"));
        assert_eq!(normalise_band("Not known"), None);
        assert_eq!(normalise_band("Prefer not to say"), None);
    }
}
