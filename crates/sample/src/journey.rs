//! One client's path through the pain pathway: who they are, when they were referred,
//! started, operated on and discharged, and the contacts in between.

use chrono::{Duration, NaiveDate};

use super::names;
use super::rng::Rng;

/// The day the sample export was taken; nothing later exists in it.
pub const EXPORT_DATE: NaiveDate = date(2026, 10, 9);
/// First referral of the programme.
pub const PROGRAMME_START: NaiveDate = date(2024, 4, 1);
/// Last referral date in the export.
pub const LAST_REFERRAL: NaiveDate = date(2026, 9, 30);

const fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(y, m, d) {
        Some(x) => x,
        None => panic!("invalid constant date"),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Surgery {
    Hip,
    Knee,
    Back,
}

impl Surgery {
    pub fn label(self) -> &'static str {
        match self {
            Surgery::Hip => "Hip replacement",
            Surgery::Knee => "Knee replacement",
            Surgery::Back => "Spinal surgery",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    PreOp,
    WaitingWell,
    PostOp,
}

#[derive(Debug, Clone)]
pub struct Session {
    pub date: NaiveDate,
    pub mode: &'static str,
    pub status: &'static str,
    pub minutes: Option<u32>,
    pub support: Option<&'static str>,
    pub link_worker: String,
}

/// A client and their journey.
#[derive(Debug, Clone)]
pub struct Client {
    pub index: u64,
    pub id: String,
    pub nhs_number: String,
    pub forename: &'static str,
    pub surname: &'static str,
    pub dob: NaiveDate,
    pub sex: &'static str,
    pub ethnicity: &'static str,
    pub imd_decile: u8,
    pub trust: &'static str,
    pub surgery_type: Surgery,
    pub referral_source: &'static str,
    pub referral: NaiveDate,
    pub start: Option<NaiveDate>,
    pub surgery: Option<NaiveDate>,
    pub discharge: Option<NaiveDate>,
    pub discharge_reason: Option<&'static str>,
    pub notes: String,
    pub sessions: Vec<Session>,
    /// How strongly this person responds to support (standard normal).
    pub response: f64,
    /// Dates of the baseline, review and discharge assessments that took place.
    pub assessed: [Option<NaiveDate>; 3],
}

impl Client {
    pub fn completed(&self) -> bool {
        self.discharge_reason == Some("Completed programme")
    }
}

const SEXES: &[(&str, f64)] = &[
    ("Female", 57.0),
    ("Male", 41.5),
    ("Non-binary", 0.5),
    ("Prefer not to say", 1.0),
];

/// North East England with minority groups approached first.
const ETHNICITIES: &[(&str, f64)] = &[
    ("White - British", 80.0),
    ("White - Irish", 0.8),
    ("White - Any other White background", 3.0),
    ("Asian or Asian British - Pakistani", 3.2),
    ("Asian or Asian British - Bangladeshi", 2.2),
    ("Asian or Asian British - Indian", 1.6),
    ("Asian or Asian British - Chinese", 1.0),
    ("Asian or Asian British - Any other Asian background", 0.8),
    ("Black or Black British - African", 2.0),
    ("Black or Black British - Caribbean", 0.4),
    ("Mixed - White and Black Caribbean", 0.6),
    ("Mixed - White and Asian", 0.7),
    ("Mixed - Any other mixed background", 0.4),
    ("Other - Arab", 0.8),
    ("Other - Any other ethnic group", 0.5),
    ("Not stated", 2.0),
];

/// Deprived areas are approached first: decile 1 (most deprived) is most common.
const IMD_WEIGHTS: [f64; 10] = [19.0, 15.0, 13.0, 11.0, 9.5, 8.5, 7.5, 6.5, 5.5, 4.5];

const TRUSTS: &[(&str, f64)] = &[
    ("Newcastle upon Tyne Hospitals", 44.0),
    ("Gateshead Health", 24.0),
    ("Northumbria Healthcare", 32.0),
];

const SURGERIES: &[(Surgery, f64)] = &[
    (Surgery::Hip, 38.0),
    (Surgery::Knee, 42.0),
    (Surgery::Back, 20.0),
];

const SOURCES: &[(&str, f64)] = &[
    ("Orthopaedic waiting list team", 52.0),
    ("GP", 28.0),
    ("Self-referral", 9.0),
    ("Physiotherapist", 6.0),
    ("Social prescribing link (VCSE)", 3.0),
    ("Pharmacist", 2.0),
];

const SUPPORT: &[&str] = &[
    "Walking group",
    "Pain management course",
    "Benefits advice",
    "Arts and crafts group",
    "Befriending",
    "Weight management",
    "Gentle exercise class",
    "Talking therapies",
    "Carers support",
    "Debt advice",
    "Community cafe",
    "Gardening group",
];

pub fn simulate(seed: u64, index: u64) -> Client {
    let mut r = Rng::new(seed, index);
    let span = (LAST_REFERRAL - PROGRAMME_START).num_days() as f64;
    // Referrals grow as the programme becomes known.
    let referral = PROGRAMME_START + Duration::days((span * r.unit().powf(0.8)) as i64);
    let surgery_type = r.pick(SURGERIES);
    let mean_age = match surgery_type {
        Surgery::Back => 56.0,
        _ => 67.0,
    };
    let age = r.gauss(mean_age, 11.0).clamp(24.0, 94.0);
    let dob = referral - Duration::days((age * 365.25) as i64) - Duration::days(r.range(0, 364));
    let sex = r.pick(SEXES);
    let (forename, surname) = names::person(&mut r, sex);
    let imd_decile = r.weighted(&IMD_WEIGHTS) as u8 + 1;
    let mut c = Client {
        index,
        id: format!("WW{:07}", index + 1),
        nhs_number: names::test_nhs_number(&mut r),
        forename,
        surname,
        dob,
        sex,
        ethnicity: r.pick(ETHNICITIES),
        imd_decile,
        trust: r.pick(TRUSTS),
        surgery_type,
        referral_source: r.pick(SOURCES),
        referral,
        start: None,
        surgery: None,
        discharge: None,
        discharge_reason: None,
        notes: names::note(&mut r),
        sessions: Vec::new(),
        response: r.normal(),
        assessed: [None; 3],
    };
    plan_support(&mut r, &mut c);
    c
}

fn plan_support(r: &mut Rng, c: &mut Client) {
    let days = Duration::days;
    if r.chance(0.09) {
        // Declined or could not be contacted: no support took place.
        c.discharge = Some(c.referral + days(r.range(7, 45)));
        c.discharge_reason = Some(if r.chance(0.6) {
            "Declined"
        } else {
            "Unable to contact"
        });
        truncate(c);
        return;
    }
    let start = c.referral + days(r.range(3, 30));
    c.start = Some(start);
    let wait = match c.surgery_type {
        Surgery::Back => r.range(40, 260),
        _ => r.range(14, 200),
    };
    let surgery = start + days(84 + wait);
    c.surgery = Some(surgery);
    let u = r.unit();
    let (discharge, reason) = if u < 0.07 {
        (
            start + days(84 + r.range(7, wait.max(8))),
            "Operation cancelled",
        )
    } else if u < 0.17 {
        (start + days(r.range(21, 84 + wait)), "Disengaged")
    } else if u < 0.19 {
        (start + days(r.range(30, 200)), "Moved out of area")
    } else if u < 0.195 {
        (start + days(r.range(30, 200)), "Deceased")
    } else {
        (surgery + days(84 + r.range(-7, 21)), "Completed programme")
    };
    c.discharge = Some(discharge);
    c.discharge_reason = Some(reason);
    if reason != "Completed programme" && discharge < surgery {
        // The operation did not happen while supported; the planned date stays on record
        // only if it is still in the future.
        if reason == "Operation cancelled" || surgery < EXPORT_DATE {
            c.surgery = None;
        }
    }
    truncate(c);
    schedule_sessions(r, c);
    schedule_assessments(r, c);
}

/// Nothing after the export date exists yet.
fn truncate(c: &mut Client) {
    if c.discharge.is_some_and(|d| d > EXPORT_DATE) {
        c.discharge = None;
        c.discharge_reason = None;
    }
    if c.start.is_some_and(|s| s > EXPORT_DATE) {
        c.start = None;
    }
    // Planned operations more than a year ahead are not yet booked.
    if c.surgery
        .is_some_and(|s| s > EXPORT_DATE + Duration::days(365))
    {
        c.surgery = None;
    }
}

pub fn phase_on(c: &Client, d: NaiveDate) -> Phase {
    let Some(start) = c.start else {
        return Phase::PreOp;
    };
    if d < start + Duration::days(84) {
        Phase::PreOp
    } else if c.surgery.is_none_or(|s| d < s) {
        Phase::WaitingWell
    } else {
        Phase::PostOp
    }
}

fn schedule_sessions(r: &mut Rng, c: &mut Client) {
    let Some(start) = c.start else { return };
    let end = c.discharge.unwrap_or(EXPORT_DATE).min(EXPORT_DATE);
    let worker = format!("LW{:02}", r.range(1, 14));
    let disengaging = c.discharge_reason == Some("Disengaged");
    let mut d = start;
    while d <= end {
        let phase = phase_on(c, d);
        let (gap, mode_weights, minutes): (i64, [f64; 5], (i64, i64)) = match phase {
            Phase::PreOp => (7, [55.0, 28.0, 9.0, 7.0, 1.0], (40, 75)),
            Phase::WaitingWell => (14, [15.0, 62.0, 5.0, 4.0, 14.0], (10, 30)),
            Phase::PostOp => {
                let weeks_after = c.surgery.map_or(0, |s| (d - s).num_days() / 7);
                (
                    if weeks_after < 6 { 7 } else { 14 },
                    [38.0, 48.0, 10.0, 3.0, 1.0],
                    (25, 60),
                )
            }
        };
        let attends = if phase == Phase::PreOp { 0.9 } else { 0.82 };
        if d == start {
            // The first contact is the start of support.
            let minutes = Some(r.range(45, 75) as u32);
            c.sessions.push(Session {
                date: d,
                mode: "Face to face",
                status: "Attended",
                minutes,
                support: None,
                link_worker: worker.clone(),
            });
        } else if r.chance(attends) {
            let mode = [
                "Face to face",
                "Telephone",
                "Video call",
                "Group session",
                "Text message",
            ][r.weighted(&mode_weights)];
            let near_end = disengaging && (end - d).num_days() < 35;
            let dna = if near_end { 0.45 } else { 0.075 };
            let u = r.unit();
            let status = if u < dna {
                "DNA"
            } else if u < dna + 0.04 {
                "Cancelled by client"
            } else {
                "Attended"
            };
            let minutes = (status == "Attended" && mode != "Text message")
                .then(|| r.range(minutes.0, minutes.1) as u32);
            let support = (status == "Attended" && r.chance(0.22)).then(|| *r.choose(SUPPORT));
            c.sessions.push(Session {
                date: d,
                mode,
                status,
                minutes,
                support,
                link_worker: worker.clone(),
            });
        }
        d += Duration::days(gap + r.range(-2, 2));
    }
}

fn schedule_assessments(r: &mut Rng, c: &mut Client) {
    let Some(start) = c.start else { return };
    let days = Duration::days;
    if r.chance(0.97) {
        c.assessed[0] = Some((start + days(r.range(0, 6))).min(EXPORT_DATE));
    }
    let review = start + days(84 + r.range(-5, 10));
    // No 12-week review for a client discharged within four weeks of it.
    let in_support = c.discharge.is_none_or(|d| d > review + days(28));
    if in_support && review <= EXPORT_DATE && r.chance(0.8) {
        c.assessed[1] = Some(review);
    }
    if let Some(d) = c.discharge {
        let p = if c.completed() {
            0.88
        } else if c.discharge_reason == Some("Operation cancelled") {
            0.5
        } else {
            0.1
        };
        if r.chance(p) {
            c.assessed[2] = Some(d - days(r.range(0, 5)));
        }
    }
}
