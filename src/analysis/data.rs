//! The canonical tables in the shape the analysis works on: clients indexed by number,
//! sessions with their phase, and each measure's values by timepoint. This is where the
//! polars frames are read; nothing after this sees them.

use std::collections::HashMap;

use chrono::NaiveDate;
use polars::prelude::*;

use super::phases::{ClientDates, phase_on, phase_windows};
use crate::config::Config;
use crate::tables::build::days_to_date;
use crate::tables::{CanonicalTables, schema};

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
    pub mode: Option<u16>,
    pub status: Status,
    pub minutes: Option<f64>,
    /// Index into [`Data::support_types`].
    pub support: Option<u16>,
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
}

#[derive(Debug, Default)]
pub struct Data {
    pub clients: Vec<Client>,
    pub sessions: Vec<Session>,
    pub modes: Vec<String>,
    pub support_types: Vec<String>,
    /// `values[measure][timepoint]`: client -> value.
    pub values: Vec<Vec<HashMap<u32, Value>>>,
    /// `medication[timepoint]`: client -> total (complete timepoints only).
    pub medication: Option<Vec<HashMap<u32, MedicationTotal>>>,
    /// Client-timepoints whose medication total is unknown.
    pub medication_incomplete: usize,
    /// The latest and earliest dates of any record, for default periods.
    pub latest: Option<NaiveDate>,
    pub earliest: Option<NaiveDate>,
}

fn dates(frame: &DataFrame, name: &str) -> PolarsResult<Vec<Option<NaiveDate>>> {
    Ok(frame
        .column(name)?
        .date()?
        .physical()
        .iter()
        .map(|d| d.map(days_to_date))
        .collect())
}

fn texts(frame: &DataFrame, name: &str) -> PolarsResult<Vec<Option<String>>> {
    Ok(frame
        .column(name)?
        .str()?
        .iter()
        .map(|s| s.map(str::to_owned))
        .collect())
}

fn clients_of(frame: &DataFrame) -> PolarsResult<Vec<u32>> {
    Ok(frame
        .column(schema::CLIENT)?
        .u32()?
        .iter()
        .map(|c| c.unwrap_or(u32::MAX))
        .collect())
}

/// Interns text values as small codes.
fn coded(values: Vec<Option<String>>, dictionary: &mut Vec<String>) -> Vec<Option<u16>> {
    let mut index: HashMap<String, u16> = dictionary
        .iter()
        .enumerate()
        .map(|(i, s)| (s.clone(), i as u16))
        .collect();
    values
        .into_iter()
        .map(|v| {
            v.map(|s| {
                *index.entry(s.clone()).or_insert_with(|| {
                    dictionary.push(s);
                    (dictionary.len() - 1) as u16
                })
            })
        })
        .collect()
}

impl Data {
    pub fn load(config: &Config, tables: &CanonicalTables) -> PolarsResult<Self> {
        use schema::referrals as r;
        let mut data = Data::default();
        let f = tables.referrals.frame();
        let (referral, start, discharge, surgery) = (
            dates(f, r::REFERRAL_DATE)?,
            dates(f, r::START_DATE)?,
            dates(f, r::DISCHARGE_DATE)?,
            dates(f, r::SURGERY_DATE)?,
        );
        let (reason, source, sex, ethnicity, band) = (
            texts(f, r::DISCHARGE_REASON)?,
            texts(f, r::REFERRAL_SOURCE)?,
            texts(f, r::SEX)?,
            texts(f, r::ETHNICITY)?,
            texts(f, r::AGE_BAND)?,
        );
        let age: Vec<Option<i32>> = f.column(r::AGE)?.i32()?.iter().collect();
        let imd: Vec<Option<i32>> = f.column(r::IMD_DECILE)?.i32()?.iter().collect();
        let cohort_columns: Vec<Vec<Option<String>>> = config
            .cohorts
            .iter()
            .filter_map(|c| match &c.source {
                crate::config::CohortSource::Column(id) => {
                    Some(texts(f, &format!("{}{id}", r::COHORT_PREFIX)))
                }
                crate::config::CohortSource::BuiltIn(_) => None,
            })
            .collect::<PolarsResult<_>>()?;
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

    fn load_sessions(&mut self, config: &Config, f: &DataFrame) -> PolarsResult<()> {
        use schema::sessions as s;
        let client = clients_of(f)?;
        let date = dates(f, s::SESSION_DATE)?;
        let phase_label = texts(f, s::PHASE)?;
        let mode = coded(texts(f, s::CONTACT_MODE)?, &mut self.modes);
        let status = texts(f, s::STATUS)?;
        let minutes: Vec<Option<f64>> = f.column(s::DURATION_MINUTES)?.f64()?.iter().collect();
        let support = coded(texts(f, s::SUPPORT_TYPE)?, &mut self.support_types);

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
        let phase_ids: Vec<&str> = config.phases.iter().map(|p| p.id.as_str()).collect();
        self.sessions.reserve(client.len());
        for i in 0..client.len() {
            let Some(d) = date[i] else { continue };
            let c = client[i];
            let exported = phase_label[i]
                .as_deref()
                .and_then(|p| phase_ids.iter().position(|id| *id == p));
            let derived = || {
                windows
                    .get(c as usize)
                    .and_then(|w| w.as_ref())
                    .and_then(|w| phase_on(w, d))
            };
            self.sessions.push(Session {
                client: c,
                date: d,
                phase: exported.or_else(derived).map(|p| p as u8),
                mode: mode[i],
                status: match status[i].as_deref() {
                    Some("attended") => Status::Attended,
                    Some("dna") => Status::DidNotAttend,
                    Some("cancelled") => Status::Cancelled,
                    _ => Status::Unknown,
                },
                minutes: minutes[i],
                support: support[i],
            });
            self.latest = Some(self.latest.map_or(d, |l| l.max(d)));
        }
        Ok(())
    }

    fn load_assessments(&mut self, config: &Config, f: &DataFrame) -> PolarsResult<()> {
        use schema::assessments as a;
        let client = clients_of(f)?;
        let date = dates(f, a::ASSESSMENT_DATE)?;
        let tp = texts(f, a::TIMEPOINT)?;
        let measure = texts(f, a::MEASURE)?;
        let value: Vec<Option<f64>> = f.column(a::VALUE)?.f64()?.iter().collect();
        let measures: HashMap<&str, usize> = config
            .measures
            .iter()
            .enumerate()
            .map(|(i, m)| (m.id.as_str(), i))
            .collect();
        self.values =
            vec![vec![HashMap::new(); config.timepoints.order.len()]; config.measures.len()];
        for i in 0..client.len() {
            let (Some(d), Some(v), Some(t), Some(m)) =
                (date[i], value[i], tp[i].as_deref(), measure[i].as_deref())
            else {
                continue;
            };
            let (Some(&m), Some(t)) = (measures.get(m), config.timepoints.position(t)) else {
                continue;
            };
            self.values[m][t].insert(client[i], Value { date: d, value: v });
        }
        Ok(())
    }

    fn load_medication(
        &mut self,
        config: &Config,
        f: &DataFrame,
        incomplete: Option<&DataFrame>,
    ) -> PolarsResult<()> {
        use schema::medications as m;
        let client = clients_of(f)?;
        let date = dates(f, m::RECORD_DATE)?;
        let tp = texts(f, m::TIMEPOINT)?;
        let ome: Vec<Option<f64>> = f.column(m::OME_MG_PER_DAY)?.f64()?.iter().collect();
        let gaba: Vec<Option<f64>> = f
            .column(m::GABAPENTINOID_MG_PER_DAY)?
            .f64()?
            .iter()
            .collect();
        let mut totals: Vec<HashMap<u32, MedicationTotal>> =
            vec![HashMap::new(); config.timepoints.order.len()];
        for i in 0..client.len() {
            let Some(t) = tp[i].as_deref().and_then(|t| config.timepoints.position(t)) else {
                continue;
            };
            let e = totals[t].entry(client[i]).or_default();
            e.ome += ome[i].unwrap_or(0.0);
            e.gabapentinoid += gaba[i].unwrap_or(0.0);
            e.date = match (e.date, date[i]) {
                (Some(a), Some(b)) => Some(a.max(b)),
                (a, b) => a.or(b),
            };
        }
        // A timepoint with a rejected line is unknown, not under-counted.
        if let Some(inc) = incomplete {
            let c = clients_of(inc)?;
            let t = texts(inc, m::TIMEPOINT)?;
            for (client, tp) in c.into_iter().zip(t) {
                if let Some(t) = tp.as_deref().and_then(|t| config.timepoints.position(t)) {
                    totals[t].remove(&client);
                    self.medication_incomplete += 1;
                }
            }
        }
        self.medication = Some(totals);
        Ok(())
    }
}
