//! The programme config as written in TOML: these types mirror the file one to one.
//!
//! Every table rejects unknown keys, and values that need checking after parsing
//! keep their byte span so an error can name the line.

use std::collections::BTreeMap;
use std::fmt;

use schemars::JsonSchema;
use serde::Deserialize;
use serde::de::{self, Deserializer, SeqAccess, Visitor};
use toml::Spanned;

use sprout_clinical::instruments::MeasureConfig;
use sprout_clinical::medication::DrugConfig;

/// The whole programme config file.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawConfig {
    pub programme: ProgrammeSection,
    #[serde(default)]
    pub dates: DatesSection,
    pub tables: TablesSection,
    /// Needed when assessments or medications are configured.
    pub timepoints: Option<TimepointsSection>,
    #[serde(default)]
    #[schemars(with = "Vec<PhaseConfig>")]
    pub phases: Vec<Spanned<PhaseConfig>>,
    #[serde(default = "no_measures")]
    #[schemars(with = "Vec<MeasureConfig>")]
    pub measures: Spanned<Vec<Spanned<MeasureConfig>>>,
    #[serde(default)]
    #[schemars(with = "Vec<CohortConfig>")]
    pub cohorts: Vec<Spanned<CohortConfig>>,
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, BTreeMap<String, Aliases>>")]
    pub labels: BTreeMap<Spanned<String>, BTreeMap<Spanned<String>, Aliases>>,
    #[serde(default)]
    pub medications: MedicationsSection,
    #[serde(default)]
    pub reach: ReachSection,
    #[serde(default)]
    pub disclosure: DisclosureSection,
    #[serde(default)]
    pub branding: BrandingSection,
    #[serde(default)]
    pub costs: CostsSection,
    #[serde(default)]
    pub limits: LimitsSection,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProgrammeSection {
    pub name: String,
    /// Who runs the programme; the reports name it. The programme name when absent.
    pub organisation: Option<String>,
    /// First day of the programme; cumulative figures run from here.
    #[schemars(with = "Option<String>")]
    pub start: Option<Spanned<String>>,
    #[serde(default = "default_fy_start")]
    #[schemars(with = "u32")]
    pub financial_year_start_month: Spanned<u32>,
    #[schemars(with = "Option<String>")]
    pub primary_outcome: Option<Spanned<String>>,
    #[serde(default = "default_min_n")]
    #[schemars(with = "u32")]
    pub min_n: Spanned<u32>,
    /// Client references that differ only in case ("ab123", "AB123") are different
    /// clients. By default they are one client: references are matched ignoring case and
    /// surrounding spaces.
    #[serde(default)]
    pub case_sensitive_ids: bool,
}

fn no_measures() -> Spanned<Vec<Spanned<MeasureConfig>>> {
    Spanned::new(0..0, Vec::new())
}

fn default_fy_start() -> Spanned<u32> {
    Spanned::new(0..0, 4)
}

fn default_min_n() -> Spanned<u32> {
    Spanned::new(0..0, 10)
}

#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DatesSection {
    /// Formats tried in order for every date column.
    #[schemars(with = "Option<Vec<String>>")]
    pub formats: Option<Spanned<Vec<String>>>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TablesSection {
    #[schemars(with = "TableConfig")]
    pub referrals: Spanned<TableConfig>,
    #[schemars(with = "Option<TableConfig>")]
    pub sessions: Option<Spanned<TableConfig>>,
    #[schemars(with = "Option<TableConfig>")]
    pub assessments: Option<Spanned<TableConfig>>,
    #[schemars(with = "Option<TableConfig>")]
    pub medications: Option<Spanned<TableConfig>>,
    /// A patient list joined to the referrals by identifier (with `layout = "events"`).
    #[schemars(with = "Option<TableConfig>")]
    pub people: Option<Spanned<TableConfig>>,
}

/// Where one canonical table's rows come from and how its headers map.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TableConfig {
    /// File names or glob patterns, relative to the config file.
    #[schemars(with = "Aliases")]
    pub files: Spanned<Aliases>,
    /// XLSX sheet name; the first sheet when absent.
    pub sheet: Option<String>,
    /// CSV delimiter; sniffed when absent.
    #[schemars(with = "Option<String>")]
    pub delimiter: Option<Spanned<String>>,
    /// CSV text encoding; UTF-8 with a Windows-1252 fallback when absent.
    #[schemars(with = "Option<String>")]
    pub encoding: Option<Spanned<String>>,
    /// Assessments: `long` (one row per measure), `wide` or `per_client`; referrals:
    /// `events` (dated referral, discharge and declined entries).
    #[schemars(with = "Option<String>")]
    pub layout: Option<Spanned<String>>,
    /// Date formats for this table, overriding `[dates]`.
    #[schemars(with = "Option<Vec<String>>")]
    pub date_formats: Option<Spanned<Vec<String>>>,
    /// Canonical field = export header (or a list of headers seen in different exports).
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, Aliases>")]
    pub columns: BTreeMap<Spanned<String>, Aliases>,
    /// Wide assessments: measure id = header of its score column.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, Aliases>")]
    pub measures: BTreeMap<Spanned<String>, Aliases>,
    /// Wide assessments: measure id = headers of its item columns, in item order.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, Vec<String>>")]
    pub items: BTreeMap<Spanned<String>, Vec<String>>,
    /// Per-client assessments: timepoint id = that timepoint's date and score columns.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, TimepointColumns>")]
    pub timepoints: BTreeMap<Spanned<String>, Spanned<TimepointColumns>>,
    /// The rows of a file shared with other tables that are this table's: those whose
    /// column holds one of the values, or matches one of the patterns.
    #[serde(default, rename = "where")]
    #[schemars(with = "Option<SelectConfig>")]
    pub select: Option<Spanned<SelectConfig>>,
    /// Referrals as events: days before a referral in which a score still belongs to its
    /// episode (a baseline taken at first contact); 0 when absent.
    #[schemars(with = "Option<u32>")]
    pub baseline_grace_days: Option<Spanned<i64>>,
}

/// `where = { column = "SNOMED CT Concept ID", in = ["871711000000103"] }`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SelectConfig {
    /// The export header of the column that says whose row it is.
    #[schemars(with = "Aliases")]
    pub column: Aliases,
    /// Values taken exactly (ignoring case and surrounding spaces).
    #[serde(default, rename = "in")]
    pub values: Vec<String>,
    /// Patterns where `*` stands for any text, e.g. "*social prescribing*".
    #[serde(default)]
    pub like: Vec<String>,
}

/// One timepoint's columns in a per-client assessments table.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TimepointColumns {
    /// Header of the date the timepoint's scores were taken.
    pub assessment_date: Option<Aliases>,
    /// Measure id = header of its score column.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, Aliases>")]
    pub measures: BTreeMap<Spanned<String>, Aliases>,
    /// Measure id = headers of its item columns, in item order.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, Vec<String>>")]
    pub items: BTreeMap<Spanned<String>, Vec<String>>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TimepointsSection {
    #[schemars(with = "Vec<String>")]
    pub order: Spanned<Vec<String>>,
    /// Display names, e.g. `review = "12-week review"`.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, String>")]
    pub names: BTreeMap<Spanned<String>, String>,
    /// The main comparison; first and last timepoint when absent.
    #[schemars(with = "Option<SpanConfig>")]
    pub compare: Option<Spanned<SpanConfig>>,
    /// Further comparisons between phases of support.
    #[serde(default)]
    #[schemars(with = "Vec<SpanConfig>")]
    pub spans: Vec<Spanned<SpanConfig>>,
    /// Where the assessments have no timepoint column: timepoints from the order of each
    /// episode's scores.
    #[schemars(with = "Option<FromOrderConfig>")]
    pub from_order: Option<Spanned<FromOrderConfig>>,
}

/// `[timepoints.from_order]`: the first score of a measure in an episode is `first`, the
/// last is `last` when at least `last_min_days` after the first.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FromOrderConfig {
    pub first: String,
    pub last: String,
    #[serde(default)]
    pub last_min_days: u32,
    /// Timepoints between: the score nearest a number of days after the first.
    #[serde(default)]
    pub nearest: Vec<NearestConfig>,
}

/// `{ timepoint = "review", days = 84, within_days = 28 }`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NearestConfig {
    pub timepoint: String,
    pub days: u32,
    pub within_days: u32,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SpanConfig {
    pub from: String,
    pub to: String,
    pub label: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PhaseConfig {
    pub id: String,
    pub label: Option<String>,
    /// `start`, `surgery + 1d`, `previous`, ...
    #[schemars(with = "String")]
    pub starts: Spanned<String>,
    /// `start + 12w`, `surgery`, `discharge`; open-ended when absent.
    #[schemars(with = "Option<String>")]
    pub ends: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CohortConfig {
    pub id: String,
    pub label: Option<String>,
    /// Canonical value = labels seen in exports; when present, other values are findings.
    #[serde(default)]
    pub labels: BTreeMap<String, Aliases>,
    /// Display order of cohort values; alphabetical when absent.
    pub order: Option<Vec<String>>,
    /// Show values not listed under `labels` or `order` that look like a person's name;
    /// by default they are withheld.
    #[serde(default)]
    pub show_unlisted_labels: bool,
}

#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MedicationsSection {
    /// How far (days) a medication record may be from an assessment to take its timepoint.
    #[schemars(with = "Option<u32>")]
    pub window_days: Option<Spanned<u32>>,
    /// Extra labels meaning "no pain medication".
    #[serde(default)]
    pub none_labels: Vec<String>,
    /// Medicines to recognise but not count (local names of non-opioid pain medicines).
    #[serde(default)]
    pub not_counted: Vec<String>,
    /// Also report gabapentinoid doses as fractions of the WHO defined daily dose.
    #[serde(default)]
    pub gabapentinoid_ddd: bool,
    #[serde(default)]
    #[schemars(with = "Vec<DrugConfig>")]
    pub drugs: Vec<Spanned<DrugConfig>>,
}

/// Local population shares (0 to 1) that reach into target groups is compared against.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReachSection {
    #[schemars(with = "Option<f64>")]
    pub ethnic_minority: Option<Spanned<f64>>,
    #[schemars(with = "Option<f64>")]
    pub imd_deciles_1_2: Option<Spanned<f64>>,
    /// Name of the area the shares describe, e.g. "Newcastle, Gateshead and Northumberland".
    pub area: Option<String>,
}

#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DisclosureSection {
    #[schemars(with = "Option<String>")]
    pub evaluator: Option<Spanned<String>>,
    #[schemars(with = "Option<String>")]
    pub trustee: Option<Spanned<String>>,
    #[schemars(with = "Option<String>")]
    pub commissioner: Option<Spanned<String>>,
    /// Mark the evaluator report "internal: contains small numbers" (default true).
    pub evaluator_internal: Option<bool>,
}

/// What delivering the programme costs: one of the two rates.
/// Bounds on what one export may hold, so that a broken or hostile file fails clearly
/// instead of exhausting memory.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LimitsSection {
    /// Longest header row, in bytes.
    #[schemars(with = "Option<u64>")]
    pub header_bytes: Option<Spanned<u64>>,
    /// Longest row (or quoted value over several lines), in bytes.
    #[schemars(with = "Option<u64>")]
    pub row_bytes: Option<Spanned<u64>>,
    /// Most cells a spreadsheet sheet may hold.
    #[schemars(with = "Option<u64>")]
    pub sheet_cells: Option<Spanned<u64>>,
    /// Longest text of one spreadsheet cell (or one tag of a workbook's XML), in bytes.
    #[schemars(with = "Option<u64>")]
    pub cell_bytes: Option<Spanned<u64>>,
    /// Largest table of text values (shared strings) of a workbook, in bytes.
    #[schemars(with = "Option<u64>")]
    pub shared_strings_bytes: Option<Spanned<u64>>,
    /// Longest one report's HTML or PDF may take to lay out, in seconds.
    #[schemars(with = "Option<u64>")]
    pub template_seconds: Option<Spanned<u64>>,
    /// Largest HTML or PDF file a template may write, in bytes.
    #[schemars(with = "Option<u64>")]
    pub template_bytes: Option<Spanned<u64>>,
    /// Most memory laying out one report may add, in bytes.
    #[schemars(with = "Option<u64>")]
    pub template_memory: Option<Spanned<u64>>,
    /// Most pages one PDF report may have.
    #[schemars(with = "Option<u64>")]
    pub pdf_pages: Option<Spanned<u64>>,
}

#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CostsSection {
    /// Pounds per quarter of delivery (staff, overheads, activities).
    #[schemars(with = "Option<f64>")]
    pub per_quarter: Option<Spanned<f64>>,
    /// Pounds per hour of attended contact.
    #[schemars(with = "Option<f64>")]
    pub per_contact_hour: Option<Spanned<f64>>,
}

#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BrandingSection {
    /// Accent colour as `#rrggbb`.
    #[schemars(with = "Option<String>")]
    pub colour: Option<Spanned<String>>,
    /// Logo image (SVG or PNG), relative to the config file.
    pub logo: Option<String>,
}

/// One string or a list of strings: `"Client ID"` or `["Client ID", "ClientRef"]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Aliases(pub Vec<String>);

/// One header or a list of headers, as the config may write either.
impl JsonSchema for Aliases {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Aliases".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "One export header or label, or a list of them",
            "anyOf": [
                {"type": "string"},
                {"type": "array", "items": {"type": "string"}}
            ]
        })
    }
}

impl<'de> Deserialize<'de> for Aliases {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct AliasesVisitor;
        impl<'de> Visitor<'de> for AliasesVisitor {
            type Value = Aliases;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string or a list of strings")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Aliases, E> {
                Ok(Aliases(vec![v.to_owned()]))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Aliases, A::Error> {
                let mut out = Vec::new();
                while let Some(s) = seq.next_element::<String>()? {
                    out.push(s);
                }
                Ok(Aliases(out))
            }
        }
        deserializer.deserialize_any(AliasesVisitor)
    }
}
