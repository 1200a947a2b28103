//! The canonical tables in the shape the analysis works on: clients indexed by number,
//! sessions with their phase, and each measure's values by timepoint. This is where the
//! canonical tables' columns are read by name; nothing after this sees them.

use chrono::NaiveDate;

use super::phases::{ClientDates, phase_on, phase_windows};
use sprout_config::Config;
use sprout_tables::{CanonicalTables, ColumnError, Frame, schema};

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

/// Attendance status of a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Attended,
    DidNotAttend,
    Cancelled,
    Unknown,
}

#[derive(Debug, Clone, Copy)]
pub struct Session {
    pub client: u32,
    pub date: NaiveDate,
    /// Index into `Config::phases`, or `None` when outside every phase.
    pub phase: Option<u8>,
    /// Index into [`Data::modes`].
    pub mode: Option<u32>,
    pub status: Status,
    pub minutes: Option<f64>,
    /// Index into [`Data::support_types`].
    pub support: Option<u32>,
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

    pub fn get(&self, client: u32) -> Option<&T> {
        self.slots.get(client as usize).and_then(Option::as_ref)
    }

    pub fn contains(&self, client: u32) -> bool {
        self.get(client).is_some()
    }

    pub fn slot(&mut self, client: u32) -> Option<&mut Option<T>> {
        self.slots.get_mut(client as usize)
    }

    /// Present values in client order.
    pub fn iter(&self) -> impl Iterator<Item = (u32, &T)> {
        self.slots
            .iter()
            .enumerate()
            .filter_map(|(c, v)| v.as_ref().map(|v| (c as u32, v)))
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
    /// The latest and earliest dates of any record, for default periods.
    pub latest: Option<NaiveDate>,
    pub earliest: Option<NaiveDate>,
}

fn texts(frame: &Frame, name: &str) -> Result<Vec<Option<String>>, ColumnError> {
    Ok(frame
        .texts(name)?
        .iter()
        .map(|s| s.map(str::to_owned))
        .collect())
}

/// Interns the values of a text column as small codes, without allocating per row.
fn coded(
    frame: &Frame,
    name: &str,
    dictionary: &mut Vec<String>,
) -> Result<Vec<Option<u32>>, ColumnError> {
    let mut index: sprout_core::fxhash::FxHashMap<String, u32> = dictionary
        .iter()
        .enumerate()
        .map(|(i, s)| (s.clone(), i as u32))
        .collect();
    let column = frame.texts(name)?;
    let mut out = Vec::with_capacity(column.len());
    for v in column.iter() {
        out.push(v.map(|s| match index.get(s) {
            Some(&i) => i,
            None => {
                dictionary.push(s.to_owned());
                let i = (dictionary.len() - 1) as u32;
                index.insert(s.to_owned(), i);
                i
            }
        }));
    }
    Ok(out)
}

/// Maps a text column onto positions in `ids` (e.g. measure or timepoint ids).
fn positions(frame: &Frame, name: &str, ids: &[&str]) -> Result<Vec<Option<usize>>, ColumnError> {
    Ok(frame
        .texts(name)?
        .iter()
        .map(|v| v.and_then(|v| ids.iter().position(|id| *id == v)))
        .collect())
}

impl Data {
    pub fn load(config: &Config, tables: &CanonicalTables) -> Result<Self, ColumnError> {
        use schema::referrals as r;
        let mut data = Data::default();
        let f = tables.referrals.frame();
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
        let mut track = |d: Option<NaiveDate>| {
            if let Some(d) = d {
                data.latest = Some(data.latest.map_or(d, |l| l.max(d)));
                data.earliest = Some(data.earliest.map_or(d, |e| e.min(d)));
            }
        };
        let n = f.height();
        let mut clients = Vec::with_capacity(n);
        let mut reason_it = reason.into_iter();
        let mut source_it = source.into_iter();
        let mut sex_it = sex.into_iter();
        let mut eth_it = ethnicity.into_iter();
        let mut band_it = band.into_iter();
        for i in 0..n {
            track(referral[i]);
            track(start[i]);
            track(discharge[i]);
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

        if let Some(s) = &tables.sessions {
            data.load_sessions(config, s.frame())?;
        }
        if let Some(a) = &tables.assessments {
            data.load_assessments(config, a.frame())?;
        }
        if let Some(m) = &tables.medications {
            data.load_medication(
                config,
                m.frame(),
                tables.incomplete_medication.as_ref().map(|t| t.frame()),
            )?;
        }
        Ok(data)
    }

    fn load_sessions(&mut self, config: &Config, f: &Frame) -> Result<(), ColumnError> {
        use schema::sessions as s;
        let client = f.clients(schema::CLIENT)?;
        let date = f.dates(s::SESSION_DATE)?;
        let phase_ids: Vec<&str> = config.phases.iter().map(|p| p.id.as_str()).collect();
        let exported_phase = positions(f, s::PHASE, &phase_ids)?;
        let mode = coded(f, s::CONTACT_MODE, &mut self.modes)?;
        let status = positions(f, s::STATUS, &["attended", "dna", "cancelled"])?;
        let minutes = f.numbers(s::DURATION_MINUTES)?;
        let support = coded(f, s::SUPPORT_TYPE, &mut self.support_types)?;

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
                    .get(c as usize)
                    .and_then(|w| w.as_ref())
                    .and_then(|w| phase_on(w, d))
            };
            self.sessions.push(Session {
                client: c,
                date: d,
                phase: exported_phase[i].or_else(derived).map(|p| p as u8),
                mode: mode[i],
                status: match status[i] {
                    Some(0) => Status::Attended,
                    Some(1) => Status::DidNotAttend,
                    Some(2) => Status::Cancelled,
                    _ => Status::Unknown,
                },
                minutes: minutes[i],
                support: support[i],
            });
            self.latest = Some(self.latest.map_or(d, |l| l.max(d)));
        }
        Ok(())
    }

    fn load_assessments(&mut self, config: &Config, f: &Frame) -> Result<(), ColumnError> {
        use schema::assessments as a;
        let client = f.clients(schema::CLIENT)?;
        let date = f.dates(a::ASSESSMENT_DATE)?;
        let tp_ids: Vec<&str> = config
            .timepoints
            .order
            .iter()
            .map(|t| t.id.as_str())
            .collect();
        let measure_ids: Vec<&str> = config.measures.iter().map(|m| m.id.as_str()).collect();
        let tp = positions(f, a::TIMEPOINT, &tp_ids)?;
        let measure = positions(f, a::MEASURE, &measure_ids)?;
        let value = f.numbers(a::VALUE)?;
        let n = self.clients.len();
        self.values = (0..measure_ids.len())
            .map(|_| (0..tp_ids.len()).map(|_| ByClient::new(n)).collect())
            .collect();
        for (i, &v) in value.iter().enumerate() {
            let (Some(d), Some(v), Some(t), Some(m)) = (date[i], v, tp[i], measure[i]) else {
                continue;
            };
            if let Some(slot) = self.values[m][t].slot(client[i]) {
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
        let tp_ids: Vec<&str> = config
            .timepoints
            .order
            .iter()
            .map(|t| t.id.as_str())
            .collect();
        let tp = positions(f, m::TIMEPOINT, &tp_ids)?;
        let ome = f.numbers(m::OME_MG_PER_DAY)?;
        let gaba = f.numbers(m::GABAPENTINOID_MG_PER_DAY)?;
        let ddd = f.numbers(m::GABAPENTINOID_DDD)?;
        let n = self.clients.len();
        let mut totals: Vec<ByClient<MedicationTotal>> =
            (0..tp_ids.len()).map(|_| ByClient::new(n)).collect();
        for i in 0..client.len() {
            let Some(t) = tp[i] else { continue };
            let Some(slot) = totals[t].slot(client[i]) else {
                continue;
            };
            let e = slot.get_or_insert_with(MedicationTotal::default);
            e.ome += ome[i].unwrap_or(0.0);
            e.gabapentinoid += gaba[i].unwrap_or(0.0);
            e.gabapentinoid_ddd += ddd[i].unwrap_or(0.0);
            e.date = match (e.date, date[i]) {
                (Some(a), Some(b)) => Some(a.max(b)),
                (a, b) => a.or(b),
            };
        }
        // A timepoint with a rejected line is unknown, not under-counted.
        let mut unknown: Vec<ByClient<NaiveDate>> =
            (0..tp_ids.len()).map(|_| ByClient::new(n)).collect();
        if let Some(inc) = incomplete {
            let c = inc.clients(schema::CLIENT)?;
            let t = positions(inc, m::TIMEPOINT, &tp_ids)?;
            let d = inc.dates(m::RECORD_DATE)?;
            for ((&client, tp), &date) in c.iter().zip(t).zip(d) {
                let (Some(tp), Some(date)) = (tp, date) else {
                    continue;
                };
                if let Some(slot) = totals[tp].slot(client) {
                    *slot = None;
                }
                if let Some(slot) = unknown[tp].slot(client) {
                    *slot = Some(date);
                }
            }
        }
        self.medication_incomplete = unknown;
        self.medication = Some(totals);
        Ok(())
    }
}
