//! Canonical tables: validated rows in one fixed schema whatever the export looked like.
//!
//! Clients are numbered `0..n` in referral order; the export's identifiers stay in
//! [`ClientIndex`], which cannot be serialised and never leaves validation, so no client
//! identifier can reach an analysis or a report. Each table is a [`Frame`] of plain typed
//! columns: validation builds it and analysis reads it, by the names in [`schema`].

pub mod build;
mod fields;
mod quality;
mod warning;

pub use build::{
    ClientIx, Column, ColumnBuilder, ColumnError, Frame, MeasureIx, NumberColumn, PhaseIx, Status,
    TableBuilder, TextColumn, TimepointIx,
};
pub use fields::*;
pub use quality::{
    Action, CodeCount, Example, FileFormat, FileQuality, FindingCode, FindingRow, QualitySummary,
    TableQuality,
};
pub use warning::{LabelCount, Warning};

/// Schema of each canonical table, column by column.
pub mod schema {
    pub const CLIENT: &str = "client";
    pub mod referrals {
        pub const REFERRAL_DATE: &str = "referral_date";
        pub const REFERRAL_SOURCE: &str = "referral_source";
        pub const START_DATE: &str = "start_date";
        pub const DISCHARGE_DATE: &str = "discharge_date";
        pub const DISCHARGE_REASON: &str = "discharge_reason";
        pub const SURGERY_DATE: &str = "surgery_date";
        pub const AGE: &str = "age";
        pub const AGE_BAND: &str = "age_band";
        pub const SEX: &str = "sex";
        pub const ETHNICITY: &str = "ethnicity";
        pub const IMD_DECILE: &str = "imd_decile";
        /// Cohort dimension columns are named `cohort:<id>`.
        pub const COHORT_PREFIX: &str = "cohort:";
    }
    pub mod sessions {
        pub const SESSION_DATE: &str = "session_date";
        pub const PHASE: &str = "phase";
        pub const CONTACT_MODE: &str = "contact_mode";
        pub const DURATION_MINUTES: &str = "duration_minutes";
        pub const STATUS: &str = "status";
        pub const LINK_WORKER: &str = "link_worker";
        pub const SUPPORT_TYPE: &str = "support_type";
    }
    pub mod assessments {
        pub const ASSESSMENT_DATE: &str = "assessment_date";
        pub const TIMEPOINT: &str = "timepoint";
        pub const MEASURE: &str = "measure";
        pub const VALUE: &str = "value";
    }
    pub mod medications {
        pub const RECORD_DATE: &str = "record_date";
        pub const TIMEPOINT: &str = "timepoint";
        pub const DRUG: &str = "drug";
        pub const CLASS: &str = "class";
        pub const OME_MG_PER_DAY: &str = "ome_mg_per_day";
        pub const GABAPENTINOID_MG_PER_DAY: &str = "gabapentinoid_mg_per_day";
        /// Gabapentinoid dose as a fraction of the WHO defined daily dose (0 otherwise).
        pub const GABAPENTINOID_DDD: &str = "gabapentinoid_ddd";
    }
}

macro_rules! canonical_table {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Default)]
        pub struct $name {
            frame: Frame,
        }

        impl $name {
            pub fn from_frame(frame: Frame) -> Self {
                Self { frame }
            }

            /// The rows, column by column.
            pub fn frame(&self) -> &Frame {
                &self.frame
            }

            pub fn len(&self) -> usize {
                self.frame.height()
            }

            pub fn is_empty(&self) -> bool {
                self.frame.height() == 0
            }

            /// Column names in schema order.
            pub fn column_names(&self) -> Vec<String> {
                self.frame.column_names().map(str::to_owned).collect()
            }

            /// True when both tables hold the same rows and values (missing equals missing).
            pub fn same_as(&self, other: &Self) -> bool {
                self.frame.same_as(&other.frame)
            }

            /// Writes the table as CSV (dates ISO, missing empty) for inspection and tests.
            pub fn to_csv(&self) -> String {
                self.frame.to_csv()
            }
        }
    };
}

canonical_table!(
    /// One row per client episode; `client` is the row number.
    Referrals
);
canonical_table!(
    /// One row per contact.
    Sessions
);
canonical_table!(
    /// One row per client, timepoint and measure, after scoring and de-duplication.
    Assessments
);
canonical_table!(
    /// One row per medication line with its oral morphine equivalent.
    Medications
);
canonical_table!(
    /// Medication reviews (client, timepoint, date) whose total is unknown because a line
    /// was rejected.
    IncompleteMedication
);

/// All canonical tables of a run.
#[derive(Debug, Clone, Default)]
pub struct CanonicalTables {
    pub referrals: Referrals,
    pub sessions: Option<Sessions>,
    pub assessments: Option<Assessments>,
    pub medications: Option<Medications>,
    pub incomplete_medication: Option<IncompleteMedication>,
}
