//! The canonical fields of each table (data-contract.md): what the config maps export
//! headers onto, which are required, and how each is parsed.

use std::fmt;

use serde::Serialize;

use sprout_core::vocab::Vocabulary;

/// The four canonical tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TableKind {
    Referrals,
    Sessions,
    Assessments,
    Medications,
    /// A patient list joined to referral events by identifier.
    People,
}

impl TableKind {
    pub const ALL: [TableKind; 4] = [
        TableKind::Referrals,
        TableKind::Sessions,
        TableKind::Assessments,
        TableKind::Medications,
    ];

    pub fn name(self) -> &'static str {
        match self {
            TableKind::Referrals => "referrals",
            TableKind::Sessions => "sessions",
            TableKind::Assessments => "assessments",
            TableKind::Medications => "medications",
            TableKind::People => "people",
        }
    }

    /// Canonical fields of the table (cohort dimensions come on top for referrals).
    pub fn fields(self) -> &'static [FieldDef] {
        match self {
            TableKind::Referrals => REFERRAL_FIELDS,
            TableKind::Sessions => SESSION_FIELDS,
            TableKind::Assessments => ASSESSMENT_FIELDS,
            TableKind::Medications => MEDICATION_FIELDS,
            TableKind::People => PEOPLE_FIELDS,
        }
    }

    pub fn field(self, name: &str) -> Option<&'static FieldDef> {
        self.fields().iter().find(|f| f.name == name)
    }
}

impl fmt::Display for TableKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// How a field's text is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// Identifies a person: never written to any output, not even in findings.
    ClientId,
    Date,
    /// A date that identifies a person (date of birth): parsed, never echoed.
    PersonalDate,
    Number,
    Category(Vocabulary),
    /// A code kept as text (link worker, support type, drug name, unit, cohort value).
    Code,
}

/// One canonical field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldDef {
    pub name: &'static str,
    pub required: bool,
    pub kind: FieldKind,
    pub about: &'static str,
}

impl FieldDef {
    /// Whether values of this field may be shown in findings and logs.
    pub fn is_identifying(&self) -> bool {
        matches!(self.kind, FieldKind::ClientId | FieldKind::PersonalDate)
    }
}

/// The position of the field `name` in `fields`, for the validators' column constants:
/// a position is worked out from the field list when sprout is compiled, so the two cannot
/// drift apart, and a name the list lacks fails the build.
pub const fn position(fields: &[FieldDef], name: &str) -> usize {
    let mut i = 0;
    while i < fields.len() {
        if same(fields[i].name, name) {
            return i;
        }
        i += 1;
    }
    panic!("the field list has no such field");
}

const fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

const fn f(name: &'static str, required: bool, kind: FieldKind, about: &'static str) -> FieldDef {
    FieldDef {
        name,
        required,
        kind,
        about,
    }
}

use FieldKind::{Category, ClientId, Code, Date, Number, PersonalDate};

pub const REFERRAL_FIELDS: &[FieldDef] = &[
    f(
        "client_id",
        true,
        ClientId,
        "the client's identifier in the export",
    ),
    f(
        "referral_date",
        true,
        Date,
        "date the referral was received",
    ),
    f(
        "referral_source",
        false,
        Category(Vocabulary::ReferralSource),
        "who referred",
    ),
    f(
        "start_date",
        false,
        Date,
        "first contact with the link worker",
    ),
    f("discharge_date", false, Date, "date support ended"),
    f(
        "discharge_reason",
        false,
        Category(Vocabulary::DischargeReason),
        "why support ended",
    ),
    f("surgery_date", false, Date, "date of the operation"),
    f(
        "date_of_birth",
        false,
        PersonalDate,
        "used only to work out age at referral",
    ),
    f("age", false, Number, "age in years at referral"),
    f("age_band", false, Code, "age band as exported, e.g. 45-54"),
    f("sex", false, Category(Vocabulary::Sex), "sex or gender"),
    f(
        "ethnicity",
        false,
        Category(Vocabulary::Ethnicity),
        "ONS 2021 ethnic group",
    ),
    f(
        "imd_decile",
        false,
        Number,
        "Index of Multiple Deprivation decile, 1 = most deprived",
    ),
];

/// Referrals as events (`layout = "events"`): one row per referral, discharge or declined
/// entry; episodes are built from them (methods.md 10).
pub const REFERRAL_EVENT_FIELDS: &[FieldDef] = &[
    f("client_id", true, ClientId, "the patient's identifier"),
    f("event_date", true, Date, "date of the entry"),
    f(
        "event",
        true,
        Category(Vocabulary::Event),
        "referral, discharge or declined (a code or term)",
    ),
    f(
        "discharge_reason",
        false,
        Category(Vocabulary::DischargeReason),
        "why support ended (a discharge entry's code or term)",
    ),
    f(
        "referral_source",
        false,
        Category(Vocabulary::ReferralSource),
        "who referred (a referral entry)",
    ),
];

/// The people an export's episodes belong to (a clinical system's patient list), joined by
/// identifier; cohort dimensions may be mapped here too.
pub const PEOPLE_FIELDS: &[FieldDef] = &[
    f("client_id", true, ClientId, "the patient's identifier"),
    f(
        "date_of_birth",
        false,
        PersonalDate,
        "used only to work out age at referral",
    ),
    f("age", false, Number, "age in years"),
    f("age_band", false, Code, "age band as exported, e.g. 45-54"),
    f("sex", false, Category(Vocabulary::Sex), "sex or gender"),
    f(
        "ethnicity",
        false,
        Category(Vocabulary::Ethnicity),
        "ethnic group (ONS 2021, or census category terms)",
    ),
    f(
        "imd_decile",
        false,
        Number,
        "Index of Multiple Deprivation decile, 1 = most deprived",
    ),
];

pub const SESSION_FIELDS: &[FieldDef] = &[
    f("client_id", true, ClientId, "the client's identifier"),
    f("session_date", true, Date, "date of the contact"),
    f(
        "phase",
        false,
        Category(Vocabulary::Phase),
        "phase of support; derived from dates when absent",
    ),
    f(
        "contact_mode",
        false,
        Category(Vocabulary::ContactMode),
        "face to face, phone, video, group or text",
    ),
    f(
        "duration_minutes",
        false,
        Number,
        "length of the contact in minutes",
    ),
    f(
        "status",
        false,
        Category(Vocabulary::Status),
        "attended, did not attend or cancelled; attended when absent",
    ),
    f("link_worker", false, Code, "link worker (staff) code"),
    f(
        "support_type",
        false,
        Code,
        "onward referral or signposting category",
    ),
];

pub const ASSESSMENT_FIELDS: &[FieldDef] = &[
    f("client_id", true, ClientId, "the client's identifier"),
    f(
        "assessment_date",
        true,
        Date,
        "date the measure was completed",
    ),
    f(
        "timepoint",
        true,
        Category(Vocabulary::Timepoint),
        "baseline, review, discharge, ...",
    ),
    f(
        "measure",
        true,
        Category(Vocabulary::Measure),
        "long layout: which measure or item",
    ),
    f("value", true, Number, "long layout: the score"),
];

pub const MEDICATION_FIELDS: &[FieldDef] = &[
    f("client_id", true, ClientId, "the client's identifier"),
    f(
        "record_date",
        true,
        Date,
        "date the medication was recorded",
    ),
    f("drug", true, Code, "drug or product name"),
    f("daily_dose", true, Number, "amount per day in `unit`"),
    f("unit", true, Code, "mg, tablets, capsules or mcg/h"),
    f(
        "route",
        false,
        Category(Vocabulary::Route),
        "oral, transdermal or sublingual",
    ),
    f(
        "timepoint",
        false,
        Category(Vocabulary::Timepoint),
        "matched to the nearest assessment when absent",
    ),
];

/// Fields of the wide assessment layout (measures come from `[tables.assessments.measures]`).
pub const WIDE_ASSESSMENT_FIELDS: &[FieldDef] = &[
    ASSESSMENT_FIELDS[0],
    ASSESSMENT_FIELDS[1],
    ASSESSMENT_FIELDS[2],
];

/// A per-client assessments table's own fields: the client (dates and scores are mapped
/// per timepoint).
pub const PER_CLIENT_ASSESSMENT_FIELDS: &[FieldDef] = &[ASSESSMENT_FIELDS[0]];

/// Derived cohort dimensions that need no column of their own.
pub const BUILT_IN_DIMENSIONS: &[(&str, &str)] = &[
    ("age_band", "Age band"),
    ("sex", "Sex"),
    ("ethnic_group", "Ethnic group"),
    ("imd_quintile", "IMD quintile"),
    ("referral_source", "Referral source"),
    ("referral_quarter", "Quarter of referral"),
];
