//! The sections of a report.

use serde::Serialize;
use sprout_config::CostBasis;

use super::method::Method;
use super::reason::Reason;
use super::values::{Based, Breakdown, Count, CrossTab, Share, Spread};

/// Activity in the window, each count by its own date (referred, started, baseline
/// assessed, discharged, completed, paired), and the people whose support ended in the
/// window followed through ([`Ended`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Flow {
    pub referred: Count,
    pub started: Count,
    pub baseline_assessed: Count,
    pub discharged: Count,
    pub completed: Count,
    /// Clients whose main comparison pair was completed in the window, per measure.
    pub paired: Vec<MeasureCount>,
    /// Started and not discharged at the end of the window.
    pub in_support_at_end: Count,
    pub discharge_reasons: Breakdown,
    /// The people whose support ended in the window, followed through.
    pub ended: Ended,
}

/// The people whose support ended in the window, each stage holding those of the stage
/// before who also reached it, so no stage is larger than the one before.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ended {
    /// Support ended (discharged) in the window.
    pub left: Count,
    /// ... and completed support.
    pub completed: Count,
    /// ... and had a baseline of the primary outcome.
    pub baseline: Count,
    /// ... and had both assessments of the primary outcome by the end of the window.
    pub both: Count,
    /// The primary outcome the last two stages are about.
    pub measure: Option<String>,
    /// Completion by measure: of everyone who left in the window, whatever the reason,
    /// those with both assessments by the end of the window.
    pub completion: Vec<MeasureShare>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MeasureShare {
    pub measure: String,
    pub share: Share,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MeasureCount {
    pub measure: String,
    pub count: Count,
}

/// Who was supported: clients with an attended session (or a start) in the window.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct People {
    pub supported: Count,
    /// The people supported who started support in the window ...
    pub new: Count,
    /// ... and who had started before it: `new + continuing = supported`.
    pub continuing: Count,
    pub dimensions: Vec<Dimension>,
    pub reach: Vec<Reach>,
}

/// One characteristic (age band, sex, ethnic group, IMD quintile, referral source or a
/// configured cohort dimension) broken down over the people supported.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Dimension {
    pub id: String,
    pub label: String,
    pub breakdown: Breakdown,
    /// The levels are values of an export column (a configured cohort column), not of a
    /// built-in vocabulary: a level too small to show is folded, so its name is not
    /// published.
    #[serde(skip)]
    pub labels_from_export: bool,
}

/// Reach into a target group, against the local population share.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reach {
    pub id: String,
    pub label: String,
    /// Of the people whose status is known.
    pub share: Share,
    pub local_share: Option<f64>,
    /// People whose status is not recorded.
    pub not_known: Count,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Engagement {
    pub clients_with_sessions: Count,
    pub attended: Count,
    pub did_not_attend: Count,
    pub cancelled: Count,
    /// DNAs of attended + DNA sessions.
    pub dna_rate: Share,
    /// Attended sessions per client.
    pub sessions_per_client: Option<Based<Spread>>,
    /// Minutes of attended contact per client.
    pub minutes_per_client: Option<Based<Spread>>,
    pub minutes_total: Based<f64>,
    /// For clients who started in the window.
    pub days_to_first_contact: Option<Based<Spread>>,
    /// For clients discharged in the window who had started.
    pub weeks_of_support: Option<Based<Spread>>,
    pub by_phase: Vec<PhaseEngagement>,
    /// Attended sessions by contact mode (rows) and phase (columns).
    pub contact_modes: CrossTab,
    /// Attended sessions by onward referral or signposting category.
    pub support_types: Breakdown,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PhaseEngagement {
    /// Phase id, or `outside` for sessions outside every phase.
    pub phase: String,
    pub label: String,
    pub clients: Count,
    pub attended: Count,
    pub dna_rate: Share,
    pub sessions_per_client: Option<Based<Spread>>,
}

/// Paired comparisons for every measure: the main comparison and each phase span.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Outcomes {
    pub comparisons: Vec<OutcomeComparison>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutcomeComparison {
    pub measure: String,
    pub from: String,
    pub to: String,
    pub span_label: String,
    /// The programme's main comparison (baseline to discharge), not a phase span.
    pub main: bool,
    pub primary: bool,
    pub n: Count,
    /// `None` when there are no pairs, or the figures are suppressed.
    pub result: Option<PairedSummary>,
    /// Holm-adjusted p of the paired t test, for secondary outcomes in the main comparison.
    pub p_holm: Option<f64>,
}

/// A point estimate with its 95% interval. The interval is absent where inference is not
/// made: fewer pairs than the programme's `min_n` give descriptive figures only.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Estimate {
    pub value: f64,
    pub lower: Option<f64>,
    pub upper: Option<f64>,
}

impl Estimate {
    pub fn with_ci(value: f64, lower: f64, upper: f64) -> Self {
        Self {
            value,
            lower: Some(lower),
            upper: Some(upper),
        }
    }

    /// The same estimate without its interval when `n < min_n`.
    pub fn gated(self, n: usize, min_n: usize) -> Self {
        if n < min_n {
            Self {
                lower: None,
                upper: None,
                ..self
            }
        } else {
            self
        }
    }
}

/// mean, SD, median and quartiles; the median and quartiles are not published where
/// counts are protected (of whole-number scores they tell how many people there are).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Summary {
    pub mean: f64,
    pub sd: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub median: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub q1: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub q3: Option<f64>,
}

/// A test that ran, or why it did not.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "status", content = "result", rename_all = "snake_case")]
pub enum Test<T> {
    Ran(T),
    Skipped { reason: Reason },
}

impl<T> Test<T> {
    pub fn ran(&self) -> Option<&T> {
        match self {
            Test::Ran(t) => Some(t),
            Test::Skipped { .. } => None,
        }
    }

    pub fn skipped(reason: Reason) -> Self {
        Test::Skipped { reason }
    }

    /// Why the test did not run, if it did not.
    pub fn reason(&self) -> Option<&Reason> {
        match self {
            Test::Ran(_) => None,
            Test::Skipped { reason } => Some(reason),
        }
    }

    /// Hidden to protect privacy.
    pub fn is_hidden(&self) -> bool {
        self.reason().is_some_and(Reason::is_privacy)
    }
}

impl<T> From<sprout_stats::StatResult<T>> for Test<T> {
    fn from(r: sprout_stats::StatResult<T>) -> Self {
        match r {
            Ok(t) => Test::Ran(t),
            Err(e) => Test::Skipped { reason: e.into() },
        }
    }
}

/// A t test. The statistic and its degrees of freedom are not published where counts
/// are protected: the degrees of freedom are the count, and t with the mean and SD gives
/// it back.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct TStat {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub t: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub df: Option<f64>,
    pub p: f64,
}

/// A Wilcoxon signed-rank test; V (a sum of ranks) is not published where counts are
/// protected.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct WilcoxonStat {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub v: Option<f64>,
    pub p: f64,
    pub exact: bool,
    pub r: f64,
}

/// Everything methods.md section 2 reports for one paired comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PairedSummary {
    pub from: Summary,
    pub to: Summary,
    pub change: Summary,
    /// The mean at each end with its 95% t interval (no interval below `min_n`).
    pub from_mean: Estimate,
    pub to_mean: Estimate,
    pub mean_change: Option<Estimate>,
    pub paired_t: Test<TStat>,
    pub wilcoxon: Test<WilcoxonStat>,
    pub d_z: Option<Estimate>,
    pub d_av: Option<f64>,
    pub g_av: Option<f64>,
    /// Changed in the better direction at all.
    pub better: Share,
    /// By the meaningful-change threshold, where one is known.
    pub improved: Option<Share>,
    pub unchanged: Option<Share>,
    pub deteriorated: Option<Share>,
    pub mcid: Option<f64>,
    /// Jacobson-Truax, where a reliability is known.
    pub reliable_improvement: Option<Share>,
    pub reliable_deterioration: Option<Share>,
    /// Shares of people in each named band at each end, where the measure has bands.
    pub bands: Vec<BandShift>,
    /// How many people changed by how much: consecutive bins of the change score.
    pub distribution: Vec<Bin>,
}

/// People whose change lies in a bin, laid outward from no change: above zero
/// `[lower, upper)`, below zero `(lower, upper]`, and no change either `[0, 0]` or, for
/// changes in whole numbers (whose bins have half-point edges), `[-0.5, 0.5)`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Bin {
    pub lower: f64,
    pub upper: f64,
    pub count: Count,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BandShift {
    pub band: String,
    pub from: Share,
    pub to: Share,
}

/// Pain medication: oral morphine equivalent and gabapentinoids, before and after.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MedicationOutcomes {
    pub from: String,
    pub to: String,
    pub pairs: Count,
    /// Clients with records before and after whose pair was left out because a
    /// medication line was rejected.
    pub incomplete: Count,
    pub ome: Option<PairedSummary>,
    pub gabapentinoid: Option<PairedSummary>,
    /// The gabapentinoid dose in WHO defined daily doses, where the config asks for it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gabapentinoid_ddd: Option<PairedSummary>,
    /// Of clients on an opioid at the start: stopped, reduced, unchanged, increased.
    pub opioid_change: Breakdown,
    pub on_opioid: Option<BinaryOutcome>,
    pub high_dose: Option<BinaryOutcome>,
    pub on_gabapentinoid: Option<BinaryOutcome>,
    /// The opioid figures for each cohort of each dimension: descriptive, no test.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub by_cohort: Vec<MedicationByCohort>,
}

/// Pain medication by the cohorts of one dimension.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MedicationByCohort {
    pub dimension: String,
    pub dimension_label: String,
    pub cohorts: Vec<MedicationCohort>,
    /// The levels are values of an export column: a level too small to show is folded,
    /// so its name is not published.
    #[serde(skip)]
    pub labels_from_export: bool,
}

/// One cohort's opioid figures: the change in daily oral morphine equivalent with its
/// interval, and the shares on an opioid and on a high dose before and after. Tests are
/// not run within cohorts (`Reason::NotPublished`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MedicationCohort {
    pub key: String,
    pub label: String,
    pub pairs: Count,
    pub ome: Option<PairedSummary>,
    pub on_opioid: Option<BinaryOutcome>,
    pub high_dose: Option<BinaryOutcome>,
}

/// A yes/no status before and after (methods.md section 3).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BinaryOutcome {
    pub n: Count,
    pub before: Share,
    pub after: Share,
    /// yes -> yes, yes -> no, no -> yes, no -> no.
    pub counts: [Count; 4],
    pub difference: Option<Estimate>,
    pub mcnemar_p: Test<f64>,
}

/// Mean at each timepoint for clients assessed at every timepoint.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trajectory {
    pub measure: String,
    pub n: Count,
    pub points: Vec<TrajectoryPoint>,
    /// The same, for the cohorts of each cohort dimension.
    pub by_cohort: Vec<CohortTrajectories>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CohortTrajectories {
    pub dimension: String,
    pub dimension_label: String,
    pub cohorts: Vec<CohortTrajectory>,
    /// The levels are values of an export column (a configured cohort column), not of a
    /// built-in vocabulary: a level too small to show is folded, so its name is not
    /// published.
    #[serde(skip)]
    pub labels_from_export: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CohortTrajectory {
    pub key: String,
    pub label: String,
    pub n: Count,
    pub points: Vec<TrajectoryPoint>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrajectoryPoint {
    pub timepoint: String,
    pub mean: Option<Estimate>,
}

/// One measure compared across the values of one cohort dimension.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CohortComparison {
    pub dimension: String,
    pub dimension_label: String,
    pub measure: String,
    pub overall: CohortRow,
    pub cohorts: Vec<CohortRow>,
    /// Welch t and Mann-Whitney (two cohorts) or Welch ANOVA and Kruskal-Wallis (more).
    pub tests: Vec<GroupTest>,
    pub ancova: Test<AncovaSummary>,
    /// What the test found.
    pub finding: CohortFinding,
    /// The levels are values of an export column (a configured cohort column), not of a
    /// built-in vocabulary: a level too small to show is folded, so its name is not
    /// published.
    #[serde(skip)]
    pub labels_from_export: bool,
}

/// What a test across cohorts found, for a report to put in words: never a "lowest" or
/// "highest" for a cohort the test did not take.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CohortFinding {
    pub verdict: GroupVerdict,
    /// The tested cohorts with the smallest and largest improvement (keys into the
    /// comparison's rows); only where the test found a difference.
    pub lowest: Option<String>,
    pub highest: Option<String>,
    /// Whether the difference holds after allowing for baseline (ANCOVA p < 0.05);
    /// `None` where the ANCOVA did not run.
    pub holds_adjusted: Option<bool>,
    /// Cohorts left out of the test, and why.
    pub left_out: Vec<LeftOut>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupVerdict {
    /// The test found a difference (p < 0.05).
    Differ,
    /// It did not.
    NoClearDifference,
    /// Fewer than two cohorts could be tested, or the test could not be computed.
    NotTested,
    /// The test is hidden to protect privacy in this report.
    Hidden,
}

/// A cohort left out of a test across cohorts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LeftOut {
    pub key: String,
    pub label: String,
    pub n: Count,
    pub why: LeftOutBecause,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LeftOutBecause {
    /// Fewer than `min_n` pairs.
    TooFew,
    /// The people whose value of the dimension is not recorded.
    NotRecorded,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CohortRow {
    pub key: String,
    pub label: String,
    pub n: Count,
    /// The cohort's own paired comparison, everything the overall comparison reports
    /// (methods.md section 4: "per cohort: the full paired comparison"); `None` without
    /// pairs (a cohort the config's `order` lists that nobody is in yet).
    pub result: Option<PairedSummary>,
    /// Baseline-adjusted mean change (ANCOVA) at the overall mean baseline.
    pub adjusted_change: Option<Estimate>,
}

impl CohortComparison {
    /// Whether a cohort with pairs was left out of the tests for having fewer than
    /// `min_n`: a report draws no point and gives no effect size for it.
    pub fn below_minimum(&self, r: &CohortRow) -> bool {
        r.result.is_some()
            && self
                .finding
                .left_out
                .iter()
                .any(|l| l.key == r.key && l.why == LeftOutBecause::TooFew)
    }
}

impl CohortRow {
    /// Mean change with its interval.
    pub fn mean_change(&self) -> Option<Estimate> {
        self.result.as_ref().and_then(|r| r.mean_change)
    }

    /// Mean at the *from* timepoint with its interval.
    pub fn from_mean(&self) -> Option<Estimate> {
        self.result.as_ref().map(|r| r.from_mean)
    }

    /// Mean at the *to* timepoint with its interval.
    pub fn to_mean(&self) -> Option<Estimate> {
        self.result.as_ref().map(|r| r.to_mean)
    }

    /// Summary of the *from* values.
    pub fn baseline(&self) -> Option<Summary> {
        self.result.as_ref().map(|r| r.from)
    }

    /// Cohen's d_z with its interval.
    pub fn d_z(&self) -> Option<Estimate> {
        self.result.as_ref().and_then(|r| r.d_z)
    }

    /// Share changed in the better direction.
    pub fn better(&self) -> Option<&Share> {
        self.result.as_ref().map(|r| &r.better)
    }

    /// Share improved by the meaningful-change threshold, where one is known.
    pub fn improved(&self) -> Option<&Share> {
        self.result.as_ref().and_then(|r| r.improved.as_ref())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupTest {
    pub method: Method,
    pub result: Test<GroupStat>,
}

/// A test across cohorts; the statistic and degrees of freedom are not published where
/// counts are protected.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct GroupStat {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub statistic: Option<f64>,
    /// Degrees of freedom (t, Kruskal-Wallis chi-squared) or numerator df (F).
    pub df1: Option<f64>,
    /// Denominator degrees of freedom of an F statistic.
    pub df2: Option<f64>,
    pub p: f64,
}

/// The ANCOVA's test of cohort after baseline; F and its degrees of freedom (the second
/// is the number of pairs less the parameters) are not published where counts are
/// protected.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct AncovaSummary {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub f: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub df1: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub df2: Option<f64>,
    pub p: f64,
    pub baseline_slope: f64,
    pub mean_baseline: f64,
}

/// Did completers start better off? Baseline of clients with a pair against clients with
/// a baseline only (methods.md section 6).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AttritionCheck {
    pub measure: String,
    pub completers: Based<Summary>,
    pub baseline_only: Based<Summary>,
    pub welch_t: Test<TStat>,
    pub standardised_difference: Option<f64>,
}

/// The completers' result beside baseline observation carried forward.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sensitivity {
    pub measure: String,
    pub completers: Based<Estimate>,
    /// Everyone who left support with a baseline; no change assumed where the later value
    /// is missing.
    pub carried_forward: Based<Estimate>,
}

/// Quarters in the quarter-on-quarter trend: two years.
pub const TREND_QUARTERS: usize = 8;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trend {
    pub measure: Option<String>,
    pub quarters: Vec<TrendQuarter>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrendQuarter {
    pub label: String,
    pub start: chrono::NaiveDate,
    pub end: chrono::NaiveDate,
    pub referred: Count,
    pub started: Count,
    pub attended: Count,
    pub discharged: Count,
    /// Primary outcome pairs completed in the quarter.
    pub mean_change: Based<Estimate>,
    pub better: Share,
}

/// Which tests ran, on what n, with which conventions, and why any were skipped.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MethodsRecord {
    pub conventions: Conventions,
    pub tests: Vec<TestRecord>,
    pub instruments: Vec<InstrumentCitation>,
}

/// The facts behind the methods appendix's conventions; the report says them in words.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Conventions {
    /// Fewer pairs than this: descriptive figures only.
    pub min_n: usize,
    pub confidence_level: f64,
    /// Decimal places differences are rounded to before ranking.
    pub rank_rounding_decimals: u32,
    /// The main comparison, as timepoint labels.
    pub compare_from: String,
    pub compare_to: String,
    /// The primary outcome's label; without one every p-value is also Holm-adjusted.
    pub primary_outcome: Option<String>,
    /// SWEMWBS raw totals were converted to metric scores.
    pub swemwbs_metric: bool,
    pub medication: bool,
    pub gabapentinoid_ddd: bool,
    pub cohorts: bool,
    pub costs: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InstrumentCitation {
    pub label: String,
    pub citation: String,
}

/// Cost per person, from the config's `[costs]` and the counts of the same window.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Costs {
    pub basis: CostBasis,
    /// The configured rate: per quarter, or per hour of attended contact.
    pub rate: f64,
    /// Quarters of delivery in the window, or hours of attended contact.
    pub units: f64,
    pub total: f64,
    pub people_supported: Count,
    pub completed: Count,
    /// `None` when the count is zero or hidden.
    pub per_person_supported: Option<f64>,
    pub per_completed_episode: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TestRecord {
    pub section: String,
    pub measure: String,
    pub subject: String,
    pub method: Method,
    pub n: Count,
    pub ran: bool,
    pub reason: Option<Reason>,
}

impl Costs {
    /// Cost per person from the window's total and its exact counts, at the precision
    /// every report shows it ([`super::precision::cost_per`]).
    pub fn per_person(&mut self, people_supported: u64, completed: u64) {
        self.per_person_supported = super::precision::cost_per(self.total, people_supported);
        self.per_completed_episode = super::precision::cost_per(self.total, completed);
        self.people_supported = Count::new(people_supported);
        self.completed = Count::new(completed);
    }
}
