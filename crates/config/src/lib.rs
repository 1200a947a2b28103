//! The programme config: one TOML file per programme saying where the exports are, how
//! their headers and labels map onto canonical tables, and what to compute.
//!
//! [`load`] reads and checks the file and returns a [`Config`], the resolved form the rest
//! of the engine uses. Every error names the file, the line and the key.

mod date_format;
mod disclosure;
mod error;
mod names;
mod phases;
mod resolve;
mod resolve_labels;
mod resolve_selection;
mod resolve_tables;
mod resolve_timeline;
mod schema;
mod text_caps;
mod toml_error;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::Serialize;

pub use date_format::{DEFAULT_FORMATS, DateFormat};
pub use disclosure::DisclosurePolicy;
pub use error::{ConfigError, did_you_mean};
pub use phases::{Anchor, DateRule};
pub use schema::{Aliases, RawConfig};

use sprout_clinical::instruments::Measure;
use sprout_clinical::medication::DrugConfig;
pub use sprout_core::ids::{MeasureIx, PhaseIx, TimepointIx};
use sprout_core::vocab::{LabelMap, Vocabulary};
use sprout_tables::TableKind;

/// A checked programme config.
#[derive(Debug, Clone)]
pub struct Config {
    /// The config file itself.
    pub file: PathBuf,
    /// Folder that relative table paths are resolved against.
    pub base_dir: PathBuf,
    pub programme: Programme,
    pub tables: Tables,
    pub timepoints: Timepoints,
    pub phases: Vec<Phase>,
    pub measures: Vec<Measure>,
    pub cohorts: Vec<CohortDimension>,
    pub labels: BTreeMap<Vocabulary, LabelMap>,
    pub medication: MedicationSettings,
    pub reach: Reach,
    pub disclosure: Disclosure,
    pub branding: Branding,
    pub costs: Option<Costs>,
    /// Bounds on laying out the reports (the config's `[limits]`).
    pub render_limits: RenderLimits,
}

impl Config {
    /// The label map of a vocabulary (built-in aliases plus the config's).
    pub fn label_map(&self, vocabulary: Vocabulary) -> LabelMap {
        self.labels.get(&vocabulary).cloned().unwrap_or_default()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Programme {
    pub name: String,
    pub organisation: String,
    pub start: Option<NaiveDate>,
    pub financial_year_start_month: u32,
    pub primary_outcome: Option<String>,
    pub min_n: usize,
    /// Client references differing only in case are different clients.
    pub case_sensitive_ids: bool,
}

#[derive(Debug, Clone)]
pub struct Tables {
    pub referrals: TableSpec,
    pub sessions: Option<TableSpec>,
    pub assessments: Option<TableSpec>,
    pub medications: Option<TableSpec>,
    /// A patient list joined to referral events.
    pub people: Option<TableSpec>,
    /// Referrals as events: days before a referral in which a score still belongs to its
    /// episode.
    pub baseline_grace_days: u32,
}

impl Tables {
    /// The configured tables, referrals first.
    pub fn iter(&self) -> impl Iterator<Item = &TableSpec> {
        std::iter::once(&self.referrals)
            .chain(self.sessions.as_ref())
            .chain(self.assessments.as_ref())
            .chain(self.medications.as_ref())
            .chain(self.people.as_ref())
    }

    /// Whether referrals are built from dated events (a clinical-system export).
    pub fn episodes_from_events(&self) -> bool {
        self.referrals.layout == Layout::Events
    }

    pub fn get(&self, kind: TableKind) -> Option<&TableSpec> {
        self.iter().find(|t| t.kind == kind)
    }
}

/// Where one canonical table comes from.
#[derive(Debug, Clone)]
pub struct TableSpec {
    pub kind: TableKind,
    /// File names or glob patterns relative to [`Config::base_dir`].
    pub files: Vec<String>,
    pub sheet: Option<String>,
    pub delimiter: Option<u8>,
    pub encoding: Option<TextEncoding>,
    pub layout: Layout,
    pub date_formats: Vec<DateFormat>,
    /// Canonical field -> export headers; fields not listed are looked for under their own name.
    pub columns: Vec<ColumnMapping>,
    /// Wide assessments: measure id -> score column.
    pub measure_columns: Vec<ColumnMapping>,
    /// Wide assessments: measure id -> item columns in item order.
    pub item_columns: Vec<ColumnMapping>,
    /// Per-client assessments: each timepoint's columns, in timepoint order.
    pub timepoint_blocks: Vec<TimepointBlock>,
    /// Bounds on header, row and sheet size (the config's `[limits]`).
    pub limits: crate::Limits,
    /// Where the table's files are shared with other tables: which rows are its own.
    pub select: Option<RowSelect>,
}

/// The rows of a shared file that belong to one table: those whose `column` holds one of
/// `values` or matches one of `patterns` (`*` for any text), ignoring case and the spaces
/// around a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowSelect {
    /// The column's export headers.
    pub column: Vec<String>,
    /// Values, trimmed and in lower case.
    pub values: Vec<String>,
    /// Patterns, trimmed and in lower case.
    pub patterns: Vec<String>,
}

impl RowSelect {
    pub fn new(column: Vec<String>, values: &[String], patterns: &[String]) -> Self {
        let fold = |v: &String| v.trim().to_lowercase();
        Self {
            column,
            values: values.iter().map(fold).collect(),
            patterns: patterns.iter().map(fold).collect(),
        }
    }

    /// Whether a row whose column holds `text` is the table's.
    pub fn selects(&self, text: &str) -> bool {
        let t = text.trim();
        let folded;
        let t = if t.chars().any(char::is_uppercase) {
            folded = t.to_lowercase();
            folded.as_str()
        } else {
            t
        };
        self.values.iter().any(|v| v == t) || self.patterns.iter().any(|p| like(p, t))
    }
}

/// Whether `text` matches `pattern`, where `*` stands for any run of characters.
fn like(pattern: &str, text: &str) -> bool {
    let mut parts = pattern.split('*');
    let first = parts.next().unwrap_or("");
    let Some(mut rest) = text.strip_prefix(first) else {
        return false;
    };
    let parts: Vec<&str> = parts.collect();
    let Some((last, middle)) = parts.split_last() else {
        // No `*`: the whole text.
        return rest.is_empty();
    };
    for part in middle {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last)
}

/// The columns of one timepoint in a per-client assessments table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimepointBlock {
    pub timepoint: String,
    pub date: Vec<String>,
    pub measure_columns: Vec<ColumnMapping>,
    pub item_columns: Vec<ColumnMapping>,
}

impl TableSpec {
    pub fn headers_for(&self, field: &str) -> Option<&[String]> {
        self.columns
            .iter()
            .find(|c| c.field == field)
            .map(|c| c.headers.as_slice())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnMapping {
    pub field: String,
    pub headers: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Layout {
    /// One row per client, timepoint and measure.
    Long,
    /// One row per client and timepoint, a column per measure (or item).
    Wide,
    /// One row per client, each timepoint's date and scores in columns of their own.
    PerClient,
    /// Referrals: one row per referral, discharge or declined entry.
    Events,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextEncoding {
    Utf8,
    Windows1252,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Timepoints {
    pub order: Vec<TimepointDef>,
    /// The main baseline -> discharge comparison.
    pub compare: Comparison,
    /// Comparisons across phases of support (baseline -> review, review -> discharge).
    pub spans: Vec<Comparison>,
    /// Timepoints from the order of an episode's scores, where the export has none.
    #[serde(skip)]
    pub from_order: Option<FromOrder>,
}

/// Timepoints from the order of each episode's scores of a measure (methods.md 10).
#[derive(Debug, Clone, PartialEq)]
pub struct FromOrder {
    pub first: TimepointIx,
    pub last: TimepointIx,
    /// The last score is `last` only this many days or more after the first.
    pub last_min_days: u32,
    /// (timepoint, days after the first, within days): the score nearest the day.
    pub nearest: Vec<(TimepointIx, u32, u32)>,
}

impl Timepoints {
    pub fn position(&self, id: &str) -> Option<usize> {
        self.order.iter().position(|t| t.id == id)
    }

    pub fn label_of<'a>(&'a self, id: &'a str) -> &'a str {
        self.order
            .iter()
            .find(|t| t.id == id)
            .map_or(id, |t| t.label.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TimepointDef {
    pub id: String,
    pub label: String,
}

/// A timepoint's name inside a sentence: as the config wrote it under
/// `[timepoints] names` ("T1 - 8 weeks", "Initial Assessment"); a name made from the id
/// ("Baseline" from `baseline`) reads in lower case ("from baseline to discharge").
pub fn timepoint_in_text(id: &str, label: &str) -> String {
    if label == names::title_case(id) {
        let mut chars = label.chars();
        chars
            .next()
            .map_or_else(String::new, |c| c.to_lowercase().chain(chars).collect())
    } else {
        label.to_owned()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Comparison {
    pub from: String,
    pub to: String,
    pub label: String,
    /// `from` and `to` as positions in `order`, resolved once, with `from` before `to`.
    #[serde(skip)]
    pub from_ix: TimepointIx,
    #[serde(skip)]
    pub to_ix: TimepointIx,
}

/// A phase of support and how to tell from a client's dates when it runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Phase {
    pub id: String,
    pub label: String,
    pub starts: DateRule,
    pub ends: Option<DateRule>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "field")]
pub enum CohortSource {
    /// A column of the referrals export mapped under `[tables.referrals.columns]`.
    Column(String),
    /// Derived by the engine (age band, IMD quintile, ...).
    BuiltIn(String),
}

#[derive(Debug, Clone)]
pub struct CohortDimension {
    pub id: String,
    pub label: String,
    pub source: CohortSource,
    /// When configured, the accepted values; other labels are findings.
    pub labels: Option<LabelMap>,
    pub order: Option<Vec<String>>,
    /// Show values not listed under `labels` or `order` even when they look like a
    /// person's name (identifiers such as NHS numbers and postcodes are withheld whatever).
    pub show_unlisted_labels: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct MedicationSettings {
    pub window_days: u32,
    pub none_labels: Vec<String>,
    /// Recognised pain medicines that add nothing to OME or gabapentinoid doses.
    pub not_counted: Vec<String>,
    /// Also report gabapentinoid doses as fractions of the WHO defined daily dose
    /// (gabapentin 1,800 mg, pregabalin 300 mg), which unlike mg can be added up.
    pub gabapentinoid_ddd: bool,
    pub drugs: Vec<DrugConfig>,
    /// The built-in dictionary with `drugs` and `none_labels` added: built once, when the
    /// config is read (a clash is a config error there).
    pub dictionary: sprout_clinical::medication::DrugDictionary,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reach {
    pub ethnic_minority: Option<f64>,
    pub imd_deciles_1_2: Option<f64>,
    pub area: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Disclosure {
    pub evaluator: DisclosurePolicy,
    pub trustee: DisclosurePolicy,
    pub commissioner: DisclosurePolicy,
    pub evaluator_internal: bool,
}

/// Bounds on what one export may hold, so that a broken or hostile file fails clearly,
/// naming the file and line, instead of exhausting memory. Set by the config's `[limits]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Longest header row, in bytes (256 KiB: about 5,000 columns of long names).
    pub header_bytes: u64,
    /// Longest data row, or quoted value over several lines, in bytes (1 MiB).
    pub row_bytes: u64,
    /// Most cells a spreadsheet sheet may hold (50 million).
    pub sheet_cells: u64,
    /// Longest stretch of a workbook's XML without a tag: one cell's text or one tag
    /// (256 KiB; a spreadsheet cell holds at most 32,767 characters).
    pub cell_bytes: u64,
    /// Largest table of text values (shared strings) a workbook may hold (512 MiB).
    pub shared_strings_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            header_bytes: 256 << 10,
            row_bytes: 1 << 20,
            sheet_cells: 50_000_000,
            cell_bytes: 256 << 10,
            shared_strings_bytes: 512 << 20,
        }
    }
}

/// What a cost rate is per: a quarter of delivery, or an hour of attended contact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CostBasis {
    PerQuarter,
    PerContactHour,
}

/// The cost of delivery, for cost per person (`[costs]`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Costs {
    pub basis: CostBasis,
    /// Pounds per quarter, or per hour of attended contact.
    pub rate: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Branding {
    pub colour: String,
    pub logo: Option<PathBuf>,
}

/// Bounds on laying out a report, so that a template that loops or grows without end
/// fails clearly, naming the template, instead of running on or exhausting memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RenderLimits {
    /// Longest one report's HTML or PDF may take to lay out (120 s).
    pub template_seconds: u64,
    /// Largest HTML or PDF file one template may write (256 MiB).
    pub template_bytes: u64,
    /// Most memory laying out one report may add (2 GiB).
    pub template_memory: u64,
    /// Most pages one PDF report may have (600).
    pub pdf_pages: u64,
}

impl Default for RenderLimits {
    fn default() -> Self {
        Self {
            template_seconds: 120,
            template_bytes: 256 << 20,
            template_memory: 2 << 30,
            pdf_pages: 600,
        }
    }
}

/// Reads and checks a programme config file.
pub fn load(path: &Path) -> Result<Config, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
        file: path.to_path_buf(),
        line: None,
        key: String::new(),
        message: format!("cannot read the config file: {e}"),
        help: None,
    })?;
    parse(path, &text)
}

/// Checks config text as if read from `path` (relative table paths resolve against its folder).
pub fn parse(path: &Path, text: &str) -> Result<Config, ConfigError> {
    let raw: RawConfig = toml::from_str(text).map_err(|e| toml_error::describe(path, text, &e))?;
    text_caps::check(&error::ErrorContext { file: path, text }, text)?;
    resolve::resolve(path, text, raw)
}

/// Where editors find the config schema: `sprout schema > sprout.schema.json` beside the
/// config, named on the first line of every draft.
pub const SCHEMA_FILE: &str = "sprout.schema.json";

/// The JSON Schema of the programme config file, from the same definitions the loader
/// reads it with.
pub fn json_schema() -> schemars::Schema {
    schemars::schema_for!(schema::RawConfig)
}

#[cfg(test)]
mod select_tests {
    use super::RowSelect;

    #[test]
    fn rows_are_selected_by_value_or_pattern_ignoring_case_and_spaces() {
        let s = RowSelect::new(
            vec!["Code".into()],
            &["871731000000106".into(), " Referred ".into()],
            &[
                "*social prescrib*".into(),
                "did not attend*".into(),
                "*score".into(),
            ],
        );
        for yes in [
            "871731000000106",
            " 871731000000106 ",
            "referred",
            "REFERRED",
            "Referral to social prescribing service",
            "Social Prescribing declined",
            "Did not attend - no reason",
            "SWEMWBS score",
        ] {
            assert!(s.selects(yes), "{yes}");
        }
        for no in [
            "8717310000001060",
            "referred by GP",
            "Blood pressure",
            "Attended: did not attend",
            "score of 7",
            "",
        ] {
            assert!(!s.selects(no), "{no}");
        }
    }

    #[test]
    fn a_pattern_without_a_star_is_the_whole_value() {
        let s = RowSelect::new(vec![], &[], &["seen".into(), "a*b*a".into()]);
        assert!(s.selects("Seen"));
        assert!(!s.selects("seen by"));
        assert!(s.selects("aba"));
        assert!(s.selects("a-b-c-a"));
        assert!(!s.selects("ab"));
    }
}
