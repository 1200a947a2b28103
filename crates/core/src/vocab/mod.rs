//! Canonical category values and the labels exports use for them.
//!
//! Each categorical field has a fixed vocabulary (contact modes, attendance status,
//! discharge reasons, sex, ethnicity, referral source) with built-in aliases; the
//! programme config adds its own. Labels are matched after [`normalise_label`], so
//! "Face-to-face", "FACE TO FACE" and "face_to_face" are the same label.

mod ethnicity;
mod label_map;

pub use ethnicity::{ETHNIC_GROUPS, ethnic_group_of, is_ethnic_minority};
pub use label_map::{CachedLabels, LabelMap, normalise_label};

/// A canonical value with its display label and built-in aliases.
#[derive(Debug, Clone, Copy)]
pub struct Term {
    pub id: &'static str,
    pub label: &'static str,
    pub aliases: &'static [&'static str],
}

const fn term(id: &'static str, label: &'static str, aliases: &'static [&'static str]) -> Term {
    Term { id, label, aliases }
}

/// Categorical fields whose labels are mapped onto a vocabulary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Vocabulary {
    ContactMode,
    Status,
    DischargeReason,
    Sex,
    Ethnicity,
    ReferralSource,
    Route,
    /// What a dated entry of a clinical-system export records: a referral, a discharge or
    /// a declined referral.
    Event,
    /// Timepoints, phases and measures: the values come from the programme config.
    Timepoint,
    Phase,
    Measure,
}

impl Vocabulary {
    pub const ALL: [Vocabulary; 11] = [
        Vocabulary::ContactMode,
        Vocabulary::Status,
        Vocabulary::DischargeReason,
        Vocabulary::Sex,
        Vocabulary::Ethnicity,
        Vocabulary::ReferralSource,
        Vocabulary::Route,
        Vocabulary::Event,
        Vocabulary::Timepoint,
        Vocabulary::Phase,
        Vocabulary::Measure,
    ];

    /// The name used for `[labels.<name>]` in the config.
    pub fn name(self) -> &'static str {
        match self {
            Vocabulary::ContactMode => "contact_mode",
            Vocabulary::Status => "status",
            Vocabulary::DischargeReason => "discharge_reason",
            Vocabulary::Sex => "sex",
            Vocabulary::Ethnicity => "ethnicity",
            Vocabulary::ReferralSource => "referral_source",
            Vocabulary::Route => "route",
            Vocabulary::Event => "event",
            Vocabulary::Timepoint => "timepoint",
            Vocabulary::Phase => "phase",
            Vocabulary::Measure => "measure",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.name() == name)
    }

    /// Built-in terms; empty for vocabularies defined by the programme config.
    pub fn terms(self) -> &'static [Term] {
        match self {
            Vocabulary::ContactMode => CONTACT_MODES,
            Vocabulary::Status => STATUSES,
            Vocabulary::DischargeReason => DISCHARGE_REASONS,
            Vocabulary::Sex => SEXES,
            Vocabulary::Ethnicity => ethnicity::ETHNICITIES,
            Vocabulary::ReferralSource => REFERRAL_SOURCES,
            Vocabulary::Route => ROUTES,
            Vocabulary::Event => EVENTS,
            Vocabulary::Timepoint | Vocabulary::Phase | Vocabulary::Measure => &[],
        }
    }

    /// Display label of a canonical value.
    pub fn label_of(self, id: &str) -> Option<&'static str> {
        self.terms().iter().find(|t| t.id == id).map(|t| t.label)
    }
}

pub const CONTACT_MODES: &[Term] = &[
    term(
        "face_to_face",
        "Face to face",
        &[
            "face to face",
            "f2f",
            "in person",
            "home visit",
            "clinic",
            "community venue",
            "visit",
            "face2face",
        ],
    ),
    term(
        "phone",
        "Telephone",
        &["telephone", "phone call", "tel", "call", "telephone call"],
    ),
    term(
        "video",
        "Video call",
        &[
            "video call",
            "teams",
            "zoom",
            "virtual",
            "online",
            "video consultation",
        ],
    ),
    term(
        "group",
        "Group",
        &[
            "group session",
            "group activity",
            "group work",
            "peer group",
        ],
    ),
    term(
        "text",
        "Text or email",
        &[
            "sms",
            "text message",
            "email",
            "e mail",
            "whatsapp",
            "message",
            "letter",
        ],
    ),
];

/// Events of a clinical-system export; the codes of a programme's system are mapped
/// under `[labels.event]`.
pub const EVENTS: &[Term] = &[
    term(
        "referral",
        "Referral",
        &[
            "referral to social prescribing service",
            "referral to social prescriber",
            "referral to link worker",
            "social prescribing referral",
            "referred",
            // SNOMED CT: Referral to social prescribing service.
            "871731000000106",
        ],
    ),
    term(
        "discharge",
        "Discharge",
        &[
            "discharged",
            "discharge from social prescribing service",
            "discharged from social prescribing service",
            "discharged from service",
        ],
    ),
    term(
        "declined",
        "Declined",
        &[
            "social prescribing declined",
            "referral to social prescribing service declined",
            "referral declined",
            // SNOMED CT: Social prescribing declined.
            "871711000000103",
        ],
    ),
];

pub const STATUSES: &[Term] = &[
    term(
        "attended",
        "Attended",
        &[
            "yes",
            "y",
            "seen",
            "completed",
            "arrived",
            "attended on time",
            "attended late",
            "held",
        ],
    ),
    term(
        "dna",
        "Did not attend",
        &[
            "no",
            "n",
            "did not attend",
            "did not attend dna",
            "no show",
            "not attended",
            "failed to attend",
            "fta",
            "was not brought",
            "wnb",
            // SNOMED CT: Did not attend; Did not attend - no reason.
            "281399006",
            "270426007",
        ],
    ),
    term(
        "cancelled",
        "Cancelled",
        &[
            "canceled",
            "cancelled by client",
            "cancelled by patient",
            "cancelled by service",
            "cancelled by staff",
            "rescheduled",
            "postponed",
        ],
    ),
];

pub const DISCHARGE_REASONS: &[Term] = &[
    term(
        "completed",
        "Completed support",
        &[
            "complete",
            "goals met",
            "goals achieved",
            "support completed",
            "planned discharge",
            "planned ending",
            "finished",
        ],
    ),
    term(
        "disengaged",
        "Disengaged",
        &[
            "lost contact",
            "lost to follow up",
            "no response",
            "did not engage",
            "unable to contact",
            "no contact",
            "non engagement",
            "dnas",
        ],
    ),
    term(
        "declined",
        "Declined support",
        &[
            "declined support",
            "refused",
            "client declined",
            "patient declined",
            "withdrew",
            "withdrawn",
            "opted out",
        ],
    ),
    term(
        "moved_away",
        "Moved away",
        &[
            "moved",
            "moved out of area",
            "moved area",
            "relocated",
            "left area",
        ],
    ),
    term("died", "Died", &["deceased", "death", "passed away"]),
    term(
        "surgery_cancelled",
        "Surgery cancelled",
        &[
            "operation cancelled",
            "surgery cancelled",
            "removed from waiting list",
            "no longer needs surgery",
            "surgery not required",
        ],
    ),
    term(
        "other",
        "Other",
        &[
            "other reason",
            "referred elsewhere",
            "inappropriate referral",
            "not eligible",
            "transferred",
        ],
    ),
];

pub const SEXES: &[Term] = &[
    term("female", "Female", &["f", "woman", "women", "girl"]),
    term("male", "Male", &["m", "man", "men", "boy"]),
    term(
        "other",
        "Other",
        &[
            "non binary",
            "nonbinary",
            "intersex",
            "other gender",
            "x",
            "in another way",
        ],
    ),
    term(
        "not_stated",
        "Not stated",
        &[
            "not known",
            "unknown",
            "prefer not to say",
            "not recorded",
            "declined to say",
            "u",
            "not specified",
            "indeterminate",
        ],
    ),
];

/// Phrases exports use for a value nobody recorded, after [`normalise_label`].
const NOT_KNOWN: &[&str] = &[
    "not known",
    "unknown",
    "not stated",
    "prefer not to say",
    "not recorded",
    "declined to say",
    "declined",
    "not specified",
    "not given",
    "n a",
    "na",
    "none recorded",
    "missing",
];

/// Whether a free-text category value (an age band, say) says it is not known.
pub fn means_not_known(text: &str) -> bool {
    NOT_KNOWN.contains(&normalise_label(text).as_str())
}

pub const REFERRAL_SOURCES: &[Term] = &[
    term(
        "gp",
        "GP practice",
        &[
            "gp practice",
            "general practice",
            "general practitioner",
            "primary care",
            "pcn",
            "practice",
            "surgery gp",
            "doctor",
            "gp surgery",
        ],
    ),
    term(
        "hospital",
        "Hospital team",
        &[
            "hospital team",
            "secondary care",
            "orthopaedics",
            "orthopaedic",
            "consultant",
            "pre op assessment",
            "pre operative assessment",
            "trust",
            "waiting list team",
            "acute trust",
            "hospital",
        ],
    ),
    term(
        "other_professional",
        "Other professional",
        &[
            "professional",
            "nurse",
            "practice nurse",
            "physio",
            "physiotherapist",
            "pharmacist",
            "social worker",
            "social care",
            "health visitor",
            "mental health team",
            "community nurse",
            "district nurse",
            "allied health professional",
            "adult social care",
        ],
    ),
    term(
        "self",
        "Self-referral",
        &[
            "self referral",
            "self referred",
            "client",
            "patient",
            "self refer",
        ],
    ),
    term(
        "vcse",
        "Voluntary or community group",
        &[
            "voluntary sector",
            "voluntary",
            "charity",
            "community organisation",
            "community group",
            "third sector",
        ],
    ),
    term(
        "other",
        "Other",
        &[
            "family",
            "friend",
            "family or friend",
            "carer",
            "other source",
        ],
    ),
];

pub const ROUTES: &[Term] = &[
    term(
        "oral",
        "Oral",
        &[
            "po",
            "by mouth",
            "mouth",
            "tablet",
            "capsule",
            "liquid",
            "oral solution",
        ],
    ),
    term(
        "transdermal",
        "Transdermal patch",
        &["patch", "td", "topical patch", "skin patch"],
    ),
    term(
        "sublingual",
        "Sublingual",
        &["sl", "under the tongue", "buccal"],
    ),
];
