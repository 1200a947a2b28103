//! The commented programme config written beside the sample export. It doubles as the
//! reference example of every config section.

pub fn programme_toml(medication_file: &str) -> String {
    let medication_table = if medication_file.ends_with(".xlsx") {
        format!(
            "files = [\"{medication_file}\"]\n# The worksheet to read; the first sheet when left out.\nsheet = \"Medication Review\""
        )
    } else {
        format!("files = [\"{medication_file}\"]")
    };
    TEMPLATE.replace("{MEDICATION_TABLE}", &medication_table)
}

const TEMPLATE: &str = r##"# ============================================================================
# sprout programme config: Waiting Well pain pathway (sample data)
#
# One file per programme. It says where the exports are, how their headers and
# labels map onto sprout's canonical tables, and what to compute. Paths are
# relative to this file. Unknown keys are errors (with a "did you mean"), so a
# typo never silently changes a report.
# ============================================================================

[programme]
name = "Waiting Well pain pathway"
organisation = "Tyne and Wear Link Partnership"
# First day of the programme: cumulative figures run from here.
start = "2024-04-01"
# UK financial years start in April (quarters are written 2026/27 Q2).
financial_year_start_month = 4
# The primary outcome; other outcomes are secondary and get Holm-adjusted p-values.
primary_outcome = "swemwbs"
# Below this many pairs a measure gets descriptive figures only, no test.
min_n = 10

[dates]
# Tried in order for every date column. Tokens: d dd m mm mmm (Jan) mmmm (January)
# yy yyyy, separated by / - . or spaces; strftime (%d/%m/%Y) also works.
# ISO yyyy-mm-dd is always accepted, and a trailing time (" 00:00") is ignored.
formats = ["dd/mm/yyyy", "d/m/yyyy"]

# ----------------------------------------------------------------------------
# Tables: where each canonical table comes from.
#   files    one or more files or glob patterns (CSV, TSV, XLSX, Parquet)
#   sheet    worksheet name for spreadsheets (first sheet when absent)
#   delimiter / encoding   for text files; sniffed when absent
#   [tables.X.columns]     canonical field = "Export header"
#                          (or a list of headers used by different exports)
# Fields left out are looked for under their own name, so an export whose
# header is already `client_id` needs no mapping.
# ----------------------------------------------------------------------------

[tables.referrals]
files = ["referrals.csv"]

[tables.referrals.columns]
client_id = "Client Ref"
referral_date = "Referral Date"
referral_source = "Referral Source"
start_date = "First Contact Date"
discharge_date = "Discharge Date"
discharge_reason = "Discharge Reason"
surgery_date = "Surgery Date"
# Used only to work out age at referral; never written anywhere.
date_of_birth = "Date of Birth"
sex = "Gender"
ethnicity = "Ethnicity"
imd_decile = "IMD Decile"
# Cohort dimensions declared under [[cohorts]] are mapped here too.
trust = "Hospital Trust"
surgery_type = "Procedure"
# Not mapped, so never read: NHS Number, Forename, Surname, Referral Notes.

[tables.sessions]
# One export per financial year; the pattern picks up every one of them.
files = ["sessions_*.csv"]

[tables.sessions.columns]
client_id = "Client Ref"
session_date = "Contact Date"
contact_mode = "Contact Type"
status = "Attendance"
duration_minutes = "Duration (mins)"
link_worker = "Link Worker"
support_type = "Support Provided"
# No phase column: phases are derived from dates (see [[phases]]).

[tables.assessments]
files = ["assessments.csv"]
# "long": one row per client, timepoint and measure.
# "wide": one row per client and timepoint with a column per measure, mapped
#         under [tables.assessments.measures] (and items under .items).
# "per_client": one row per client, each timepoint's date and scores side by side:
#         [tables.assessments.timepoints.baseline]
#         assessment_date = "Date of first assessment"
#         measures = { swemwbs = "SWEMWBS at start" }
#         (and a block like it for each later timepoint).
layout = "long"

[tables.assessments.columns]
client_id = "Client Ref"
assessment_date = "Assessment Date"
timepoint = "Assessment Stage"
measure = "Questionnaire"
value = "Score"

[tables.medications]
{MEDICATION_TABLE}

[tables.medications.columns]
client_id = "Client Ref"
record_date = "Review Date"
drug = "Medicine"
daily_dose = "Dose per day"
unit = "Unit"
route = "Route"
# No timepoint column: each record takes the timepoint of the client's nearest
# assessment within [medications] window_days.

# ----------------------------------------------------------------------------
# Timepoints of assessment, in order. The main comparison is baseline to
# discharge; spans compare the phases of support.
# ----------------------------------------------------------------------------

[timepoints]
order = ["baseline", "review", "discharge"]
names = { baseline = "Baseline", review = "12-week review", discharge = "Discharge" }
compare = { from = "baseline", to = "discharge" }
spans = [
  { from = "baseline", to = "review", label = "Pre-operative support" },
  { from = "review", to = "discharge", label = "Waiting well and after surgery" },
]

# ----------------------------------------------------------------------------
# Phases of support, derived from each client's dates when sessions carry no
# phase. A rule is an anchor (referral, start, surgery, discharge, or previous
# = where the previous phase ends) plus or minus days (d) or weeks (w).
# A phase whose start date is unknown does not happen for that client; one
# whose end date is unknown runs until discharge.
# ----------------------------------------------------------------------------

[[phases]]
id = "pre_op"
label = "Pre-operative intensive"
starts = "start"
ends = "start + 12w"

[[phases]]
id = "waiting_well"
label = "Waiting well"
starts = "previous"
ends = "surgery"

[[phases]]
id = "post_op"
label = "Post-operative"
starts = "surgery"
ends = "discharge"

# ----------------------------------------------------------------------------
# Measures. A built-in instrument id brings all its scales (ons4 = four
# questions; bpi = severity and interference); a scale id brings one. A custom
# measure needs id, label, min, max, integer and better ("higher" or "lower"),
# and may give mcid (meaningful change) and reliability (for reliable change).
# ----------------------------------------------------------------------------

[[measures]]
id = "swemwbs"
# The export holds raw totals 7-35; sprout converts them to metric scores.
values = "raw"

[[measures]]
id = "ons4"

[[measures]]
id = "bpi"

[[measures]]
id = "eq5d_vas"

[[measures]]
id = "oxford_hip"

[[measures]]
id = "oxford_knee"

# ----------------------------------------------------------------------------
# Cohort dimensions compared in the commissioner report. Built in: age_band,
# sex, ethnic_group, imd_quintile, referral_source, referral_quarter. Any other
# id must be mapped to a referrals column above.
# ----------------------------------------------------------------------------

[[cohorts]]
id = "surgery_type"
label = "Surgery type"
order = ["Hip replacement", "Knee replacement", "Spinal surgery"]

[[cohorts]]
id = "trust"
label = "Hospital trust"

[[cohorts]]
id = "imd_quintile"

[[cohorts]]
id = "ethnic_group"

[[cohorts]]
id = "referral_source"

# ----------------------------------------------------------------------------
# Labels: how this system's category labels map onto canonical values.
# Matching ignores case, spacing and punctuation, and common labels are built
# in (e.g. "F2F", "Telephone", "DNA", ONS ethnic groups and NHS letter codes),
# so list only the ones sprout does not know.
# ----------------------------------------------------------------------------

[labels.timepoint]
baseline = ["Initial Assessment"]
review = ["12 Week Review"]
discharge = ["Final Review"]

[labels.measure]
swemwbs = ["SWEMWBS Total"]
ons4_life_satisfaction = ["ONS Life Satisfaction"]
ons4_worthwhile = ["ONS Worthwhile"]
ons4_happy = ["ONS Happiness"]
ons4_anxiety = ["ONS Anxiety"]
bpi_severity = ["BPI Pain Severity"]
bpi_interference = ["BPI Pain Interference"]
eq5d_vas = ["EQ-5D VAS"]
oxford_hip = ["Oxford Hip Score"]
oxford_knee = ["Oxford Knee Score"]

[labels.referral_source]
hospital = ["Orthopaedic waiting list team"]
vcse = ["Social prescribing link (VCSE)"]

[labels.discharge_reason]
completed = ["Completed programme"]
disengaged = ["Unable to contact"]
surgery_cancelled = ["Operation cancelled"]

[labels.status]
cancelled = ["Cancelled by client"]

# ----------------------------------------------------------------------------
# Pain medication: records become oral morphine equivalents (mg/day) and
# gabapentinoid mg/day. The dictionary knows UK generic and brand names;
# add local products under [[medications.drugs]].
# ----------------------------------------------------------------------------

[medications]
# A record takes the timepoint of the nearest assessment within this many days.
window_days = 28
none_labels = ["No pain medication"]
# Paracetamol, NSAIDs, amitriptyline, duloxetine and other non-opioid pain medicines are
# recognised and add nothing; list local product names sprout should treat the same way.
not_counted = []
# Also report gabapentinoid doses as fractions of the WHO defined daily dose (gabapentin
# 1,800 mg, pregabalin 300 mg), which add up across the two drugs as mg do not.
gabapentinoid_ddd = true

# ----------------------------------------------------------------------------
# Reach into target groups is compared with these local population shares.
# ----------------------------------------------------------------------------

[reach]
area = "Newcastle, Gateshead and Northumberland"
ethnic_minority = 0.12
imd_deciles_1_2 = 0.27

# ----------------------------------------------------------------------------
# Disclosure control: "nhs" (counts 1-7 suppressed, others rounded to 5),
# "threshold-N" (counts below N suppressed) or "none" (nothing suppressed; every
# page marked as containing small numbers).
# ----------------------------------------------------------------------------

[disclosure]
evaluator = "none"
trustee = "nhs"
commissioner = "nhs"
evaluator_internal = true

# ----------------------------------------------------------------------------
# Costs, for cost per person supported and per completed episode in the
# commissioner report: either per_quarter (pounds per quarter of delivery, pro
# rata by calendar month) or per_contact_hour (pounds per hour of attended
# contact), not both.
# ----------------------------------------------------------------------------

[costs]
per_quarter = 45000

# ----------------------------------------------------------------------------
# Branding: the accent colour of headings and key figures (darkened if it would
# fail WCAG AA contrast on white), and an optional logo (PNG or SVG) for the
# cover, relative to this file.
# ----------------------------------------------------------------------------

[branding]
colour = "#1b6e5a"
# logo = "logo.svg"
"##;
