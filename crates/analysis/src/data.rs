//! The canonical tables in the shape the analysis works on: clients indexed by number,
//! sessions with their phase, and each measure's values by timepoint. This is where the
//! canonical tables' columns are read by name; nothing after this sees them.

use chrono::NaiveDate;

use super::phases::{ClientDates, phase_on, phase_windows};
use sprout_config::Config;
use sprout_tables::build::TextColumn;
use sprout_tables::{CanonicalTables, ColumnError, Frame, schema};
pub use sprout_tables::{ClientIx, PhaseIx, Status};

/// A client's referral row.
#[derive(Debug, Clone, Default)]
pub struct Client {
    pub referral: Option<NaiveDate>,
    pub start: Option<NaiveDate>,
    pub discharge: Option<NaiveDate>,
    pub surgery: Option<NaiveDate>,
    pub discharge_reason: Option<String>,
    pub referral_source: Option<String>,
    pub sex: Option<String>,
    pub ethnicity: Option<String>,
    pub age: Option<i32>,
    pub age_band: Option<String>,
    pub imd_decile: Option<i32>,
    /// Values of the configured cohort columns, in config order.
    pub cohorts: Vec<Option<String>>,
}

#[derive(Debug, Clone, Copy)]
pub struct Session {
    pub client: ClientIx,
    pub date: NaiveDate,
    /// The phase it was in (as recorded, or else from the client's dates), or `None`
    /// when outside every phase.
    pub phase: Option<PhaseIx>,
    /// `None` when the export did not say.
    pub status: Option<Status>,
    // Held in 32 bytes, not 48: a national export has tens of millions of sessions.
    /// Index into [`Data::modes`]; [`NOT_RECORDED`] when missing.
    mode: u32,
    /// Index into [`Data::support_types`]; [`NOT_RECORDED`] when missing.
    support: u32,
    /// NaN when missing (validation keeps only finite numbers).
    minutes: f64,
}

const _: () = assert!(std::mem::size_of::<Session>() == 32);

/// A code that stands for a missing value.
const NOT_RECORDED: u32 = u32::MAX;

impl Session {
    /// Index into [`Data::modes`].
    pub fn mode(&self) -> Option<u32> {
        (self.mode != NOT_RECORDED).then_some(self.mode)
    }

    /// Index into [`Data::support_types`].
    pub fn support(&self) -> Option<u32> {
        (self.support != NOT_RECORDED).then_some(self.support)
    }

    pub fn minutes(&self) -> Option<f64> {
        (!self.minutes.is_nan()).then_some(self.minutes)
    }
}

/// One measured value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Value {
    pub date: NaiveDate,
    pub value: f64,
}

/// A client's medication total at one timepoint.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct MedicationTotal {
    pub date: Option<NaiveDate>,
    pub ome: f64,
    pub gabapentinoid: f64,
    /// Gabapentinoid dose in WHO defined daily doses.
    pub gabapentinoid_ddd: f64,
}

/// Values indexed by client number: dense, ordered, and free of hashing.
#[derive(Debug, Clone, Default)]
pub struct ByClient<T> {
    slots: Vec<Option<T>>,
}

impl<T> ByClient<T> {
    pub fn new(clients: usize) -> Self {
        Self {
            slots: std::iter::repeat_with(|| None).take(clients).collect(),
        }
    }

    pub fn get(&self, client: ClientIx) -> Option<&T> {
        self.slots.get(client.index()).and_then(Option::as_ref)
    }

    pub fn contains(&self, client: ClientIx) -> bool {
        self.get(client).is_some()
    }

    pub fn slot(&mut self, client: ClientIx) -> Option<&mut Option<T>> {
        self.slots.get_mut(client.index())
    }

    /// Present values in client order.
    pub fn iter(&self) -> impl Iterator<Item = (ClientIx, &T)> {
        self.slots
            .iter()
            .enumerate()
            .filter_map(|(c, v)| v.as_ref().map(|v| (ClientIx::from(c as u32), v)))
    }
}

#[derive(Debug, Default)]
pub struct Data {
    pub clients: Vec<Client>,
    pub sessions: Vec<Session>,
    pub modes: Vec<String>,
    pub support_types: Vec<String>,
    /// `values[measure][timepoint]`: each client's value.
    pub values: Vec<Vec<ByClient<Value>>>,
    /// `medication[timepoint]`: each client's total (complete timepoints only).
    pub medication: Option<Vec<ByClient<MedicationTotal>>>,
    /// `medication_incomplete[timepoint]`: the date of each client's review whose total is
    /// unknown because a line of it was rejected.
    pub medication_incomplete: Vec<ByClient<NaiveDate>>,
    /// The earliest referral, start or discharge date: where a programme with no start
    /// date began.
    pub earliest: Option<NaiveDate>,
}

fn texts(frame: &Frame, name: &str) -> Result<Vec<Option<String>>, ColumnError> {
    Ok(frame
        .texts(name)?
        .iter()
        .map(|s| s.map(str::to_owned))
        .collect())
}

/// A text column's values as codes in one of [`Data`]'s dictionaries, each value coded
/// the first time it appears (so the dictionary lists values in the order they first
/// appear), without a vector of codes for the whole column.
struct Recoder<'f> {
    column: &'f TextColumn,
    /// The dictionary code of each of the column's own codes, once seen.
    codes: Vec<u32>,
    index: sprout_core::fxhash::FxHashMap<String, u32>,
}

impl<'f> Recoder<'f> {
    fn new(frame: &'f Frame, name: &str, dictionary: &[String]) -> Result<Self, ColumnError> {
        let column = frame.texts(name)?;
        Ok(Self {
            column,
            codes: vec![NOT_RECORDED; column.distinct()],
            index: dictionary
                .iter()
                .enumerate()
                .map(|(i, s)| (s.clone(), i as u32))
                .collect(),
        })
    }

    /// The code of row `row`'s value ([`NOT_RECORDED`] when missing).
    fn code(&mut self, row: usize, dictionary: &mut Vec<String>) -> u32 {
        let Some(own) = self.column.code(row) else {
            return NOT_RECORDED;
        };
        let slot = &mut self.codes[own as usize];
        if *slot == NOT_RECORDED {
            let value = self.column.value(own);
            *slot = match self.index.get(value) {
                Some(&i) => i,
                None => {
                    dictionary.push(value.to_owned());
                    let i = (dictionary.len() - 1) as u32;
                    self.index.insert(value.to_owned(), i);
                    i
                }
            };
        }
        *slot
    }
}

/// The latest and earliest dates of the data, for the default period: the latest of any
/// referral, start, discharge or session date, and the earliest referral, start or
/// discharge date.
pub fn date_span(
    tables: &CanonicalTables,
) -> Result<(Option<NaiveDate>, Option<NaiveDate>), ColumnError> {
    use schema::referrals as r;
    let f = tables.referrals.frame();
    let mut latest: Option<NaiveDate> = None;
    let mut earliest: Option<NaiveDate> = None;
    for column in [r::REFERRAL_DATE, r::START_DATE, r::DISCHARGE_DATE] {
        for d in f.dates(column)?.iter().flatten() {
            latest = Some(latest.map_or(*d, |l| l.max(*d)));
            earliest = Some(earliest.map_or(*d, |e| e.min(*d)));
        }
    }
    if let Some(s) = &tables.sessions {
        let dates = s.frame().dates(schema::sessions::SESSION_DATE)?;
        if let Some(d) = dates.iter().flatten().max() {
            latest = Some(latest.map_or(*d, |l| l.max(*d)));
        }
    }
    Ok((latest, earliest))
}

impl Data {
    /// Every client with its number, in referral order.
    pub fn numbered(&self) -> impl Iterator<Item = (ClientIx, &Client)> {
        self.clients
            .iter()
            .enumerate()
            .map(|(i, c)| (ClientIx::from(i as u32), c))
    }

    /// The analysis's view of the canonical tables, which it takes over: each table is
    /// let go as soon as it is read, so a national export is not held twice.
    pub fn load(config: &Config, tables: CanonicalTables) -> Result<Self, ColumnError> {
        use schema::referrals as r;
        let (_, earliest) = date_span(&tables)?;
        let mut data = Data {
            earliest,
            ..Data::default()
        };
        let CanonicalTables {
            referrals,
            sessions,
            assessments,
            medications,
            incomplete_medication,
        } = tables;
        let f = referrals.frame();
        let (referral, start, discharge, surgery) = (
            f.dates(r::REFERRAL_DATE)?,
            f.dates(r::START_DATE)?,
            f.dates(r::DISCHARGE_DATE)?,
            f.dates(r::SURGERY_DATE)?,
        );
        let (reason, source, sex, ethnicity, band) = (
            texts(f, r::DISCHARGE_REASON)?,
            texts(f, r::REFERRAL_SOURCE)?,
            texts(f, r::SEX)?,
            texts(f, r::ETHNICITY)?,
            texts(f, r::AGE_BAND)?,
        );
        let age = f.integers(r::AGE)?;
        let imd = f.integers(r::IMD_DECILE)?;
        let cohort_columns: Vec<Vec<Option<String>>> = config
            .cohorts
            .iter()
            .filter_map(|c| match &c.source {
                sprout_config::CohortSource::Column(id) => {
                    Some(texts(f, &format!("{}{id}", r::COHORT_PREFIX)))
                }
                sprout_config::CohortSource::BuiltIn(_) => None,
            })
            .collect::<Result<_, ColumnError>>()?;
        let mut cohort_iters: Vec<_> = cohort_columns.into_iter().map(Vec::into_iter).collect();
        let n = f.height();
        let mut clients = Vec::with_capacity(n);
        let mut reason_it = reason.into_iter();
        let mut source_it = source.into_iter();
        let mut sex_it = sex.into_iter();
        let mut eth_it = ethnicity.into_iter();
        let mut band_it = band.into_iter();
        for i in 0..n {
            clients.push(Client {
                referral: referral[i],
                start: start[i],
                discharge: discharge[i],
                surgery: surgery[i],
                discharge_reason: reason_it.next().flatten(),
                referral_source: source_it.next().flatten(),
                sex: sex_it.next().flatten(),
                ethnicity: eth_it.next().flatten(),
                age: age[i],
                age_band: band_it.next().flatten(),
                imd_decile: imd[i],
                cohorts: cohort_iters
                    .iter_mut()
                    .map(|it| it.next().flatten())
                    .collect(),
            });
        }
        data.clients = clients;
        drop(referrals);

        if let Some(s) = sessions {
            data.load_sessions(config, s.frame())?;
        }
        if let Some(a) = assessments {
            data.load_assessments(config, a.frame())?;
        }
        if let Some(m) = medications {
            data.load_medication(
                config,
                m.frame(),
                incomplete_medication.as_ref().map(|t| t.frame()),
            )?;
        }
        Ok(data)
    }

    fn load_sessions(&mut self, config: &Config, f: &Frame) -> Result<(), ColumnError> {
        use schema::sessions as s;
        let client = f.clients(schema::CLIENT)?;
        let date = f.dates(s::SESSION_DATE)?;
        let exported_phase = f.phases(s::PHASE)?;
        let mut mode = Recoder::new(f, s::CONTACT_MODE, &self.modes)?;
        let status = f.statuses(s::STATUS)?;
        let minutes = f.numbers(s::DURATION_MINUTES)?;
        let mut support = Recoder::new(f, s::SUPPORT_TYPE, &self.support_types)?;

        // Phase windows are worked out once per client.
        let windows: Vec<_> = self
            .clients
            .iter()
            .map(|c| {
                c.referral.map(|referral| {
                    phase_windows(
                        &config.phases,
                        &ClientDates {
                            referral,
                            start: c.start,
                            surgery: c.surgery,
                            discharge: c.discharge,
                        },
                    )
                })
            })
            .collect();
        self.sessions.reserve(client.len());
        for i in 0..client.len() {
            let Some(d) = date[i] else { continue };
            let c = client[i];
            let derived = || {
                windows
                    .get(c.index())
                    .and_then(|w| w.as_ref())
                    .and_then(|w| phase_on(w, d))
                    .and_then(PhaseIx::new)
            };
            self.sessions.push(Session {
                client: c,
                date: d,
                phase: exported_phase[i].or_else(derived),
                status: status[i],
                mode: mode.code(i, &mut self.modes),
                support: support.code(i, &mut self.support_types),
                minutes: minutes.get(i).unwrap_or(f64::NAN),
            });
        }
        Ok(())
    }

    fn load_assessments(&mut self, config: &Config, f: &Frame) -> Result<(), ColumnError> {
        use schema::assessments as a;
        let client = f.clients(schema::CLIENT)?;
        let date = f.dates(a::ASSESSMENT_DATE)?;
        let timepoints = config.timepoints.order.len();
        let tp = f.timepoints(a::TIMEPOINT)?;
        let measure = f.measures(a::MEASURE)?;
        let value = f.numbers(a::VALUE)?;
        let n = self.clients.len();
        self.values = (0..config.measures.len())
            .map(|_| (0..timepoints).map(|_| ByClient::new(n)).collect())
            .collect();
        for (i, v) in value.iter().enumerate() {
            let (Some(d), Some(v)) = (date[i], v) else {
                continue;
            };
            let slot = self
                .values
                .get_mut(measure[i].index())
                .and_then(|by_tp| by_tp.get_mut(tp[i].index()))
                .and_then(|by_client| by_client.slot(client[i]));
            if let Some(slot) = slot {
                *slot = Some(Value { date: d, value: v });
            }
        }
        Ok(())
    }

    fn load_medication(
        &mut self,
        config: &Config,
        f: &Frame,
        incomplete: Option<&Frame>,
    ) -> Result<(), ColumnError> {
        use schema::medications as m;
        let client = f.clients(schema::CLIENT)?;
        let date = f.dates(m::RECORD_DATE)?;
        let timepoints = config.timepoints.order.len();
        let tp = f.timepoints(m::TIMEPOINT)?;
        let ome = f.numbers(m::OME_MG_PER_DAY)?;
        let gaba = f.numbers(m::GABAPENTINOID_MG_PER_DAY)?;
        let ddd = f.numbers(m::GABAPENTINOID_DDD)?;
        let n = self.clients.len();
        let mut totals: Vec<ByClient<MedicationTotal>> =
            (0..timepoints).map(|_| ByClient::new(n)).collect();
        for i in 0..client.len() {
            let Some(slot) = totals
                .get_mut(tp[i].index())
                .and_then(|by_client| by_client.slot(client[i]))
            else {
                continue;
            };
            let e = slot.get_or_insert_with(MedicationTotal::default);
            e.ome += ome.get(i).unwrap_or(0.0);
            e.gabapentinoid += gaba.get(i).unwrap_or(0.0);
            e.gabapentinoid_ddd += ddd.get(i).unwrap_or(0.0);
            e.date = match (e.date, date[i]) {
                (Some(a), Some(b)) => Some(a.max(b)),
                (a, b) => a.or(b),
            };
        }
        // A timepoint with a rejected line is unknown, not under-counted.
        let mut unknown: Vec<ByClient<NaiveDate>> =
            (0..timepoints).map(|_| ByClient::new(n)).collect();
        if let Some(inc) = incomplete {
            let c = inc.clients(schema::CLIENT)?;
            let t = inc.timepoints(m::TIMEPOINT)?;
            let d = inc.dates(m::RECORD_DATE)?;
            for ((&client, &tp), &date) in c.iter().zip(t).zip(d) {
                let Some(date) = date else {
                    continue;
                };
                if let Some(slot) = totals.get_mut(tp.index()).and_then(|t| t.slot(client)) {
                    *slot = None;
                }
                if let Some(slot) = unknown.get_mut(tp.index()).and_then(|u| u.slot(client)) {
                    *slot = Some(date);
                }
            }
        }
        self.medication_incomplete = unknown;
        self.medication = Some(totals);
        Ok(())
    }
}
