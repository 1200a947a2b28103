//! Deliberate faults of the kinds real exports contain, one of each kind per thousand
//! clients, so validation always has something to find.

use chrono::{Duration, NaiveDate};

use super::journey::{self, Client, Session};
use super::outcomes::{MedRecord, Score};

/// A kind of deliberate fault, with the finding code validation should report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    BadReferralDate,
    DuplicateReferral,
    DischargeBeforeStart,
    UnknownEthnicity,
    ImdOutOfRange,
    ImplausibleBirthDate,
    SessionBeforeReferral,
    UnknownClientSession,
    UnknownContactType,
    BadDuration,
    RaggedSessionRow,
    SwemwbsOutOfRange,
    AnxietyOutOfRange,
    UnknownStage,
    DuplicateScore,
    ScoreNotANumber,
    UnknownDrug,
    ImpossibleDose,
    UnitMismatch,
    MedicationFarFromAssessment,
}

impl Fault {
    const ALL: [Fault; 20] = [
        Fault::BadReferralDate,
        Fault::DuplicateReferral,
        Fault::DischargeBeforeStart,
        Fault::UnknownEthnicity,
        Fault::ImdOutOfRange,
        Fault::ImplausibleBirthDate,
        Fault::SessionBeforeReferral,
        Fault::UnknownClientSession,
        Fault::UnknownContactType,
        Fault::BadDuration,
        Fault::RaggedSessionRow,
        Fault::SwemwbsOutOfRange,
        Fault::AnxietyOutOfRange,
        Fault::UnknownStage,
        Fault::DuplicateScore,
        Fault::ScoreNotANumber,
        Fault::UnknownDrug,
        Fault::ImpossibleDose,
        Fault::UnitMismatch,
        Fault::MedicationFarFromAssessment,
    ];

    /// The fault (if any) planted in this client: kind k at client 11 + 37k of every thousand.
    pub fn for_client(index: u64) -> Option<Fault> {
        let slot = index % 1000;
        let k = slot.checked_sub(11)?;
        (k % 37 == 0)
            .then(|| Self::ALL.get((k / 37) as usize).copied())
            .flatten()
    }

    /// The finding code validation reports for this fault.
    pub fn code(self) -> &'static str {
        match self {
            Fault::BadReferralDate => "unparseable_date",
            Fault::DuplicateReferral => "duplicate_client",
            Fault::DischargeBeforeStart => "discharge_before_start",
            Fault::UnknownEthnicity | Fault::UnknownContactType => "unknown_label",
            Fault::ImdOutOfRange | Fault::SwemwbsOutOfRange | Fault::AnxietyOutOfRange => {
                "out_of_range"
            }
            Fault::ImplausibleBirthDate => "implausible_date",
            Fault::SessionBeforeReferral => "session_before_referral",
            Fault::UnknownClientSession => "unknown_client",
            Fault::BadDuration | Fault::ScoreNotANumber => "not_a_number",
            Fault::RaggedSessionRow => "wrong_field_count",
            Fault::UnknownStage => "unknown_timepoint",
            Fault::DuplicateScore => "duplicate_assessment",
            Fault::UnknownDrug => "unknown_drug",
            Fault::ImpossibleDose => "impossible_dose",
            Fault::UnitMismatch => "unit_mismatch",
            Fault::MedicationFarFromAssessment => "no_matching_timepoint",
        }
    }

    /// Faults that need a client who started support and was assessed at baseline.
    fn needs_support(self) -> bool {
        !matches!(
            self,
            Fault::BadReferralDate
                | Fault::DuplicateReferral
                | Fault::DischargeBeforeStart
                | Fault::UnknownEthnicity
                | Fault::ImdOutOfRange
                | Fault::ImplausibleBirthDate
                | Fault::UnknownClientSession
        )
    }
}

/// Rows and texts a fault adds or replaces.
#[derive(Debug, Default)]
pub struct Extra {
    pub referral_text: Option<String>,
    pub dob_text: Option<String>,
    pub ethnicity_text: Option<String>,
    pub imd_text: Option<String>,
    pub duplicate_referral: Option<NaiveDate>,
    pub extra_sessions: Vec<(NaiveDate, Vec<String>)>,
    /// A session line written as is (unquoted), flagged by a first field of `RAW`.
    pub raw_session_line: Option<String>,
}

/// Simulates the client, choosing a journey the fault can be planted in.
pub fn simulate_for(seed: u64, index: u64, fault: Option<Fault>) -> Client {
    let mut client = journey::simulate(seed, index);
    if fault.is_some_and(Fault::needs_support) {
        // Try other draws of the same client until one was supported, assessed at baseline
        // and review and had a session after the start.
        for attempt in 1..200u64 {
            if client.assessed[0].is_some()
                && client.assessed[1].is_some()
                && client.sessions.len() > 2
            {
                break;
            }
            let mut other = journey::simulate(seed, index + attempt * 0x1_0000_0000);
            other.index = index;
            other.id = client.id.clone();
            client = other;
        }
    }
    client
}

pub fn apply(
    f: Fault,
    c: &mut Client,
    scores: &mut Vec<Score>,
    meds: &mut Vec<MedRecord>,
    extra: &mut Extra,
) {
    match f {
        Fault::BadReferralDate
        | Fault::DuplicateReferral
        | Fault::DischargeBeforeStart
        | Fault::UnknownEthnicity
        | Fault::ImdOutOfRange
        | Fault::ImplausibleBirthDate => referral_fault(f, c, scores, meds, extra),
        Fault::SessionBeforeReferral
        | Fault::UnknownClientSession
        | Fault::UnknownContactType
        | Fault::BadDuration
        | Fault::RaggedSessionRow => session_fault(f, c, extra),
        Fault::SwemwbsOutOfRange
        | Fault::AnxietyOutOfRange
        | Fault::UnknownStage
        | Fault::DuplicateScore
        | Fault::ScoreNotANumber => score_fault(f, scores),
        Fault::UnknownDrug
        | Fault::ImpossibleDose
        | Fault::UnitMismatch
        | Fault::MedicationFarFromAssessment => medication_fault(f, c, meds),
    }
}

/// A fault in the referrals export (some leave the client with no support at all).
fn referral_fault(
    f: Fault,
    c: &mut Client,
    scores: &mut Vec<Score>,
    meds: &mut Vec<MedRecord>,
    extra: &mut Extra,
) {
    let no_support = |c: &mut Client, scores: &mut Vec<Score>, meds: &mut Vec<MedRecord>| {
        c.sessions.clear();
        c.assessed = [None; 3];
        c.surgery = None;
        scores.clear();
        meds.clear();
    };
    match f {
        Fault::BadReferralDate => {
            no_support(c, scores, meds);
            c.start = None;
            c.discharge = Some(c.referral + Duration::days(20));
            c.discharge_reason = Some("Declined");
            extra.referral_text = Some("31/02/2025".into());
        }
        Fault::DuplicateReferral => {
            extra.duplicate_referral = Some(c.referral + Duration::days(35))
        }
        Fault::DischargeBeforeStart => {
            no_support(c, scores, meds);
            let start = c.referral + Duration::days(30);
            c.start = Some(start);
            c.discharge = Some(start - Duration::days(12));
            c.discharge_reason = Some("Declined");
        }
        Fault::UnknownEthnicity => extra.ethnicity_text = Some("Cornish".into()),
        Fault::ImdOutOfRange => extra.imd_text = Some("11".into()),
        Fault::ImplausibleBirthDate => extra.dob_text = Some("01/01/1800".into()),
        _ => {}
    }
}

/// A fault in the sessions export.
fn session_fault(f: Fault, c: &mut Client, extra: &mut Extra) {
    match f {
        Fault::SessionBeforeReferral => {
            let date = c.referral - Duration::days(9);
            let worker = c
                .sessions
                .first()
                .map_or_else(|| "LW01".to_owned(), |s| s.link_worker.clone());
            c.sessions.insert(
                0,
                Session {
                    date,
                    mode: "Telephone",
                    status: "Attended",
                    minutes: Some(15),
                    support: None,
                    link_worker: worker,
                },
            );
        }
        Fault::UnknownClientSession => {
            let date = c.referral + Duration::days(14);
            let fields = vec![
                format!("WX{:07}", c.index + 1),
                date.format("%d/%m/%Y").to_string(),
                "Telephone".into(),
                "Attended".into(),
                "20".into(),
                "LW03".into(),
                String::new(),
            ];
            extra
                .extra_sessions
                .push((date.min(journey::EXPORT_DATE), fields));
        }
        Fault::UnknownContactType => {
            if let Some(s) = c.sessions.get_mut(1) {
                s.mode = "Walk and talk";
            }
        }
        Fault::BadDuration => {
            if let Some(s) = c.sessions.iter_mut().find(|s| s.minutes.is_some()) {
                s.minutes = None;
                s.support = Some("Walking group");
                // Written into the duration column below.
                let date = s.date;
                let fields = vec![
                    c.id.clone(),
                    date.format("%d/%m/%Y").to_string(),
                    s.mode.into(),
                    s.status.into(),
                    "approx 45".into(),
                    s.link_worker.clone(),
                    String::new(),
                ];
                let pos = c.sessions.iter().position(|x| x.date == date).unwrap_or(0);
                c.sessions.remove(pos);
                extra.extra_sessions.push((date, fields));
            }
        }
        Fault::RaggedSessionRow => {
            if let Some(s) = c.sessions.pop() {
                let line = format!(
                    "{},{},{},{},{},{},Benefits, debt and housing advice",
                    c.id,
                    s.date.format("%d/%m/%Y"),
                    s.mode,
                    s.status,
                    s.minutes.unwrap_or(30),
                    s.link_worker
                );
                extra.raw_session_line = Some(line);
                extra.extra_sessions.push((s.date, vec!["RAW".into()]));
            }
        }
        _ => {}
    }
}

/// A fault in the assessments export.
fn score_fault(f: Fault, scores: &mut Vec<Score>) {
    match f {
        Fault::SwemwbsOutOfRange => set_score(scores, "SWEMWBS Total", 0, "36"),
        Fault::AnxietyOutOfRange => set_score(scores, "ONS Anxiety", 0, "11"),
        Fault::UnknownStage => {
            if let Some(s) = scores
                .iter_mut()
                .find(|s| s.stage == super::outcomes::STAGES[1])
            {
                s.stage = "6 Month Follow-up";
            }
        }
        Fault::DuplicateScore => {
            if let Some(s) = scores
                .iter()
                .find(|s| s.questionnaire == "SWEMWBS Total")
                .cloned()
            {
                let mut again = s.clone();
                again.date = s.date + Duration::days(6);
                scores.push(again);
            }
        }
        Fault::ScoreNotANumber => set_score(scores, "EQ-5D VAS", 0, "n/a"),
        _ => {}
    }
}

/// A fault in the medication export.
fn medication_fault(f: Fault, c: &Client, meds: &mut Vec<MedRecord>) {
    match f {
        Fault::UnknownDrug => {
            if let Some(m) = meds.first_mut() {
                m.medicine = "Oxycodon 5mg".into();
                m.unit = "tablets";
                m.dose = "4".into();
            }
        }
        Fault::ImpossibleDose => {
            if let Some(m) = meds.first_mut() {
                m.medicine = "Tramadol".into();
                m.unit = "mg";
                m.dose = "4000".into();
                m.route = "Oral";
            }
        }
        Fault::UnitMismatch => {
            if let Some(m) = meds.first_mut() {
                m.medicine = "Fentanyl 25 micrograms/hour patch".into();
                m.unit = "mg";
                m.dose = "25".into();
                m.route = "Transdermal";
            }
        }
        Fault::MedicationFarFromAssessment => {
            if let (Some(first), Some(baseline)) = (meds.first().cloned(), c.assessed[0]) {
                let mut late = first;
                late.date = baseline + Duration::days(45);
                meds.push(late);
            }
        }
        _ => {}
    }
}

fn set_score(scores: &mut [Score], questionnaire: &str, stage: usize, value: &str) {
    if let Some(s) = scores
        .iter_mut()
        .find(|s| s.questionnaire == questionnaire && s.stage == super::outcomes::STAGES[stage])
    {
        s.value = value.to_owned();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_of_each_fault_per_thousand() {
        let planted: Vec<Fault> = (0..1000).filter_map(Fault::for_client).collect();
        assert_eq!(planted.len(), Fault::ALL.len());
        assert_eq!(Fault::for_client(11), Some(Fault::BadReferralDate));
        assert_eq!(Fault::for_client(1011), Some(Fault::BadReferralDate));
        assert_eq!(Fault::for_client(12), None);
    }
}
