//! Referrals: one row per client episode. Builds the client register every other table
//! is checked against.

use sprout_core::fxhash::FxHashMap;
use sprout_core::small_str::SmallStr;

use chrono::{Datelike, NaiveDate};

use super::check::{At, Cell, Checker};
pub use super::client_entry::{ClientEntry, LastLookup};
use super::finding::{Action, FindingCode};
use super::{TableRun, ValidateError};
use sprout_config::{CohortSource, Config};
use sprout_core::vocab::{CachedLabels, LabelMap, Vocabulary};
use sprout_ingest::{RowRef, WantedColumn};
use sprout_tables::build::Col;
use sprout_tables::{ColumnBuilder, REFERRAL_FIELDS, Referrals, TableBuilder, position, schema};

/// What validation knows about each client identifier seen in referrals, keyed by
/// [`client_key`].
#[derive(Debug, Default)]
pub struct ClientRegister {
    /// Each client's entry, and a hash of its reference as the referral wrote it.
    entries: FxHashMap<SmallStr, (ClientEntry, u64)>,
    case_sensitive: bool,
    /// Referrals built from events: each patient's episodes, in date order.
    episodes: FxHashMap<SmallStr, Vec<EpisodeSpan>>,
    from_events: bool,
}

/// One episode of a patient, as rows of the other tables are matched to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EpisodeSpan {
    pub index: u32,
    pub referral: NaiveDate,
    /// The discharge or declined date; `None` while in support.
    pub close: Option<NaiveDate>,
}

/// A client reference as references are matched: without surrounding spaces, and with
/// its letters in lower case unless the config says references are case-sensitive.
/// Short ASCII references (nearly all of them) are lowered on the stack: matching the
/// rows of a national export allocates nothing.
pub fn client_key(raw: &str, case_sensitive: bool) -> ClientKey<'_> {
    let t = raw.trim();
    if case_sensitive || !t.bytes().any(|b| b.is_ascii_uppercase() || !b.is_ascii()) {
        return ClientKey::Borrowed(t);
    }
    if t.is_ascii() && t.len() <= INLINE_KEY {
        let mut buf = [0u8; INLINE_KEY];
        buf[..t.len()].copy_from_slice(t.as_bytes());
        buf.make_ascii_lowercase();
        return ClientKey::Inline {
            buf,
            len: t.len() as u8,
        };
    }
    if t.chars().any(char::is_uppercase) {
        ClientKey::Owned(t.to_lowercase())
    } else {
        ClientKey::Borrowed(t)
    }
}

/// The longest reference lowered on the stack.
const INLINE_KEY: usize = 32;

/// A reference as matched ([`client_key`]); reads as a `&str`.
#[derive(Debug, Clone)]
pub enum ClientKey<'a> {
    Borrowed(&'a str),
    Inline { buf: [u8; INLINE_KEY], len: u8 },
    Owned(String),
}

impl std::ops::Deref for ClientKey<'_> {
    type Target = str;

    fn deref(&self) -> &str {
        match self {
            ClientKey::Borrowed(s) => s,
            // ASCII lowered stays ASCII, so this never fails.
            ClientKey::Inline { buf, len } => {
                std::str::from_utf8(&buf[..usize::from(*len)]).unwrap_or_default()
            }
            ClientKey::Owned(s) => s,
        }
    }
}

impl AsRef<str> for ClientKey<'_> {
    fn as_ref(&self) -> &str {
        self
    }
}

impl From<ClientKey<'_>> for Box<str> {
    fn from(k: ClientKey<'_>) -> Self {
        match k {
            ClientKey::Owned(s) => s.into_boxed_str(),
            k => Box::from(&*k),
        }
    }
}

impl From<ClientKey<'_>> for SmallStr {
    fn from(k: ClientKey<'_>) -> Self {
        SmallStr::from(&*k)
    }
}

/// A hash of a reference exactly as written, spaces included.
fn written(raw: &str) -> u64 {
    sprout_core::fxhash::content_hash(raw.as_bytes())
}

impl ClientRegister {
    pub(crate) fn new(case_sensitive: bool) -> Self {
        Self {
            entries: FxHashMap::default(),
            case_sensitive,
            episodes: FxHashMap::default(),
            from_events: false,
        }
    }

    /// The register of referrals built from events.
    pub(crate) fn of_events(case_sensitive: bool) -> Self {
        Self {
            from_events: true,
            ..Self::new(case_sensitive)
        }
    }

    /// Whether referrals were built from events: a row's client is a patient, and which
    /// episode it belongs to depends on its date.
    pub fn of_patients(&self) -> bool {
        self.from_events
    }

    /// Registers a patient's episodes (in date order) under the reference `raw`.
    pub(crate) fn insert_patient(&mut self, raw: &str, episodes: Vec<EpisodeSpan>) {
        self.insert(raw, ClientEntry::Patient);
        let key = client_key(raw, self.case_sensitive);
        self.episodes.insert(key.into(), episodes);
    }

    /// The episode of patient `raw` that a row dated `date` belongs to: the one whose
    /// referral and close dates contain it or, failing that, the next one to open within
    /// `grace` days after it. Returns the episode's index and referral date.
    pub fn episode_on(&self, raw: &str, date: NaiveDate, grace: u32) -> Option<(u32, NaiveDate)> {
        let key = client_key(raw, self.case_sensitive);
        let spans = self.episodes.get(key.as_ref())?;
        spans
            .iter()
            .find(|e| e.referral <= date && e.close.is_none_or(|c| date <= c))
            .or_else(|| {
                spans.iter().find(|e| {
                    e.referral > date && (e.referral - date).num_days() <= i64::from(grace)
                })
            })
            .map(|e| (e.index, e.referral))
    }

    /// The entry of a reference (as the export wrote it, spaces included), and whether it
    /// was written otherwise in the referral (other case, other spaces).
    pub fn lookup(&self, raw: &str) -> Option<(ClientEntry, bool)> {
        let key = client_key(raw, self.case_sensitive);
        self.entries
            .get(key.as_ref())
            .map(|(entry, hash)| (*entry, *hash != written(raw)))
    }

    /// [`lookup`](Self::lookup), remembering the last reference: an export often lists a
    /// client's rows one after another, and the same reference finds the same entry.
    pub fn lookup_after(&self, raw: &str, last: &mut LastLookup) -> Option<(ClientEntry, bool)> {
        last.get_or(raw, |raw| self.lookup(raw))
    }

    pub(crate) fn insert(&mut self, raw: &str, entry: ClientEntry) {
        let key = client_key(raw, self.case_sensitive);
        self.entries.insert(key.into(), (entry, written(raw)));
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
    let map = |v| config.label_map(v);
    let (sources_map, reasons_map, sex_map, ethnicity_map) = (
        map(Vocabulary::ReferralSource),
        map(Vocabulary::DischargeReason),
        map(Vocabulary::Sex),
        map(Vocabulary::Ethnicity),
    );
    let cohort_maps = cohort_maps(config);

    let mut labels = Labels {
        sources: sources_map.cached(),
        reasons: reasons_map.cached(),
        sex: sex_map.cached(),
        ethnicity: ethnicity_map.cached(),
        cohorts: cohort_maps
            .iter()
            .map(|(id, m)| (id.clone(), m.as_ref().map(LabelMap::cached)))
            .collect(),
    };

    let mut t = TableBuilder::new();
    let columns = Columns::add(&mut t, cohort_maps.iter().map(|(id, _)| id.as_str()));

    let mut register = ClientRegister::new(config.programme.case_sensitive_ids);
    let mut seen = Seen {
        case_sensitive: config.programme.case_sensitive_ids,
        first_row: FxHashMap::default(),
        duplicates: Vec::new(),
    };
    let spec = &config.tables.referrals;
    run.read(
        spec,
        &config.base_dir,
        &wanted,
        &spec.date_formats,
        |check, row| {
            let cell = |i: usize, required: bool| At {
                row: row.at,
                key: wanted[i].key.as_str(),
                text: row.cells[i],
                required,
                identifying: wanted[i].identifying,
            };
            if super::ragged(check, &row, &wanted[CLIENT_ID].key) {
                return;
            }
            let Cell::Value(client) = check.text(&cell(CLIENT_ID, true)) else {
                return;
            };
            let raw_client = row.cells[CLIENT_ID];
            if seen.repeated(check, &cell(CLIENT_ID, true), client, raw_client) {
                return;
            }
            let Cell::Value(referral) = check.date(&cell(REFERRAL_DATE, true), false) else {
                register.insert(raw_client, ClientEntry::Excluded);
                return;
            };
            let start = check.date(&cell(START_DATE, false), false).ok();
            let discharge = check.date(&cell(DISCHARGE_DATE, false), false).ok();
            let surgery = check.date(&cell(SURGERY_DATE, false), true).ok();

            if !in_order(check, &cell, referral, start, discharge) {
                register.insert(raw_client, ClientEntry::Excluded);
                return;
            }

            let age = age(check, &cell, referral);
            let band = check
                .text(&cell(AGE_BAND, false))
                .ok()
                .and_then(normalise_band);
            let [source, reason, sex, ethnicity] = labels.read(check, &cell);
            let imd = check
                .number(&cell(IMD_DECILE, false), 1.0, 10.0, true)
                .ok()
                .map(|v| v as i32);
            let cohorts = labels.cohorts(check, &cell);

            let index = t.rows() as u32;
            register.insert(raw_client, ClientEntry::Kept { index, referral });
            columns.push(
                &mut t,
                &Row {
                    client: index,
                    referral,
                    source,
                    start,
                    discharge,
                    reason,
                    surgery,
                    age,
                    band,
                    sex,
                    ethnicity,
                    imd,
                    cohorts,
                },
            );
        },
    )?;
    name_first_rows(run, seen.duplicates);
    Ok(ReferralsOutput {
        table: Referrals::from_frame(t.finish()?),
        register,
    })
}

/// Each cohort column, with the label map the config gives it (if any).
pub(super) fn cohort_maps(config: &Config) -> Vec<(String, Option<LabelMap>)> {
    cohort_columns(config)
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
        .collect()
}

/// The clients seen so far: only a client's first referral row is used.
struct Seen {
    case_sensitive: bool,
    /// Each client's first row, and how its reference was written.
    first_row: FxHashMap<SmallStr, (RowRef, u64)>,
    /// (finding, first row, whether the references differ in how they are written) of
    /// each repeated row.
    duplicates: Vec<(usize, RowRef, bool)>,
}

impl Seen {
    /// Whether `client` has a referral already; a repeated row is flagged (the reason
    /// names the first row once the files can be described).
    fn repeated(&mut self, check: &mut Checker, at: &At, client: &str, raw: &str) -> bool {
        let key = client_key(client, self.case_sensitive);
        if let Some((first, hash)) = self.first_row.get(key.as_ref()) {
            check.flag_with(
                at,
                FindingCode::DuplicateClient,
                Action::RowExcluded,
                String::new(),
            );
            self.duplicates
                .push((check.findings.len() - 1, *first, *hash != written(raw)));
            return true;
        }
        self.first_row.insert(key.into(), (at.row, written(raw)));
        false
    }
}

/// The label vocabularies of a referral, each with the labels already looked up.
struct Labels<'m> {
    sources: CachedLabels<'m>,
    reasons: CachedLabels<'m>,
    sex: CachedLabels<'m>,
    ethnicity: CachedLabels<'m>,
    /// Each cohort column, with its labels where the config maps them.
    cohorts: Vec<(String, Option<CachedLabels<'m>>)>,
}

impl Labels<'_> {
    /// Referral source, discharge reason, sex and ethnicity as canonical labels.
    fn read<'r>(
        &mut self,
        check: &mut Checker,
        cell: &impl Fn(usize, bool) -> At<'r>,
    ) -> [Option<String>; 4] {
        let mut label = |i: usize, map: &mut CachedLabels<'_>, v: Vocabulary| {
            check
                .label(&cell(i, false), map, FindingCode::UnknownLabel, v.name())
                .ok()
                .map(|k| map.value(k).to_owned())
        };
        [
            label(
                REFERRAL_SOURCE,
                &mut self.sources,
                Vocabulary::ReferralSource,
            ),
            label(
                DISCHARGE_REASON,
                &mut self.reasons,
                Vocabulary::DischargeReason,
            ),
            label(SEX, &mut self.sex, Vocabulary::Sex),
            label(ETHNICITY, &mut self.ethnicity, Vocabulary::Ethnicity),
        ]
    }

    /// Each cohort column's value: a label where the config maps them, the text otherwise.
    fn cohorts<'r>(
        &mut self,
        check: &mut Checker,
        cell: &impl Fn(usize, bool) -> At<'r>,
    ) -> Vec<Option<String>> {
        self.cohorts
            .iter_mut()
            .enumerate()
            .map(|(k, (id, map))| {
                let at = cell(FIRST_COHORT + k, false);
                match map {
                    Some(m) => check
                        .label(&at, m, FindingCode::UnknownLabel, id)
                        .ok()
                        .map(|i| m.value(i).to_owned()),
                    None => check.text(&at).ok().map(str::to_owned),
                }
            })
            .collect()
    }
}

/// A referral's canonical row.
pub(super) struct Row {
    pub(super) client: u32,
    pub(super) referral: NaiveDate,
    pub(super) source: Option<String>,
    pub(super) start: Option<NaiveDate>,
    pub(super) discharge: Option<NaiveDate>,
    pub(super) reason: Option<String>,
    pub(super) surgery: Option<NaiveDate>,
    pub(super) age: Option<i32>,
    pub(super) band: Option<String>,
    pub(super) sex: Option<String>,
    pub(super) ethnicity: Option<String>,
    pub(super) imd: Option<i32>,
    pub(super) cohorts: Vec<Option<String>>,
}

/// The canonical referrals table's columns.
pub(super) struct Columns {
    client: Col,
    referral: Col,
    source: Col,
    start: Col,
    discharge: Col,
    reason: Col,
    surgery: Col,
    age: Col,
    band: Col,
    sex: Col,
    ethnicity: Col,
    imd: Col,
    cohorts: Vec<Col>,
}

impl Columns {
    pub(super) fn add<'a>(t: &mut TableBuilder, cohorts: impl Iterator<Item = &'a str>) -> Self {
        use schema::referrals as r;
        Self {
            client: t.add(schema::CLIENT, ColumnBuilder::client()),
            referral: t.add(r::REFERRAL_DATE, ColumnBuilder::date()),
            source: t.add(r::REFERRAL_SOURCE, ColumnBuilder::text()),
            start: t.add(r::START_DATE, ColumnBuilder::date()),
            discharge: t.add(r::DISCHARGE_DATE, ColumnBuilder::date()),
            reason: t.add(r::DISCHARGE_REASON, ColumnBuilder::text()),
            surgery: t.add(r::SURGERY_DATE, ColumnBuilder::date()),
            age: t.add(r::AGE, ColumnBuilder::integer()),
            band: t.add(r::AGE_BAND, ColumnBuilder::text()),
            sex: t.add(r::SEX, ColumnBuilder::text()),
            ethnicity: t.add(r::ETHNICITY, ColumnBuilder::text()),
            imd: t.add(r::IMD_DECILE, ColumnBuilder::integer()),
            cohorts: cohorts
                .map(|id| t.add(&format!("{}{id}", r::COHORT_PREFIX), ColumnBuilder::text()))
                .collect(),
        }
    }

    pub(super) fn push(&self, t: &mut TableBuilder, row: &Row) {
        t.push_client(self.client, row.client.into());
        t.push_date(self.referral, Some(row.referral));
        t.push_text(self.source, row.source.as_deref());
        t.push_date(self.start, row.start);
        t.push_date(self.discharge, row.discharge);
        t.push_text(self.reason, row.reason.as_deref());
        t.push_date(self.surgery, row.surgery);
        t.push_integer(self.age, row.age);
        t.push_text(self.band, row.band.as_deref());
        t.push_text(self.sex, row.sex.as_deref());
        t.push_text(self.ethnicity, row.ethnicity.as_deref());
        t.push_integer(self.imd, row.imd);
        for (col, v) in self.cohorts.iter().zip(&row.cohorts) {
            t.push_text(*col, v.as_deref());
        }
    }
}

/// Whether first contact and discharge follow the referral; flags the row (excluded)
/// where they do not.
fn in_order<'r>(
    check: &mut Checker,
    cell: &impl Fn(usize, bool) -> At<'r>,
    referral: NaiveDate,
    start: Option<NaiveDate>,
    discharge: Option<NaiveDate>,
) -> bool {
    if let Some(s) = start
        && s < referral
    {
        let reason = format!("first contact {s} is before the referral date {referral}");
        check.flag_with(
            &cell(START_DATE, true),
            FindingCode::StartBeforeReferral,
            Action::RowExcluded,
            reason,
        );
        return false;
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
            &cell(DISCHARGE_DATE, true),
            FindingCode::DischargeBeforeStart,
            Action::RowExcluded,
            reason,
        );
        return false;
    }
    true
}

/// Age at referral: from the date of birth where it gives a plausible age, otherwise
/// the age column ("54", "54 years").
fn age<'r>(
    check: &mut Checker,
    cell: &impl Fn(usize, bool) -> At<'r>,
    referral: NaiveDate,
) -> Option<i32> {
    let dob = check.date(&cell(DATE_OF_BIRTH, false), false).ok();
    let from_birth = dob.and_then(|b| {
        let years = age_on(b, referral);
        if (0..=120).contains(&years) {
            Some(years)
        } else {
            check.flag(
                &cell(DATE_OF_BIRTH, false),
                FindingCode::ImplausibleDate,
                format!("gives an age of {years} at referral"),
            );
            None
        }
    });
    if from_birth.is_some() {
        return from_birth;
    }
    let at = cell(AGE, false);
    if at.text.trim().is_empty() {
        return None;
    }
    let text = at
        .text
        .trim()
        .trim_end_matches(|c: char| c.is_alphabetic() || c == ' ');
    let trimmed = At { text, ..at };
    check
        .number(&trimmed, 0.0, 120.0, false)
        .ok()
        .map(|a| a.floor() as i32)
}

/// A repeated client's finding names the row that was kept, once the files can be
/// described.
fn name_first_rows(run: &mut TableRun, duplicates: Vec<(usize, RowRef, bool)>) {
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
}

/// Whole years between two dates.
pub(super) fn age_on(born: NaiveDate, on: NaiveDate) -> i32 {
    let mut years = on.year() - born.year();
    if (on.month(), on.day()) < (born.month(), born.day()) {
        years -= 1;
    }
    years
}

/// `45 - 54`, `45 to 54` -> `45-54`; `85 +`, `85 and over` -> `85+`; "Not known" and
/// the like -> not recorded.
pub(super) fn normalise_band(text: &str) -> Option<String> {
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
