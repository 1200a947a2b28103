//! Timepoints from the labels an export uses: ordered by when they typically fall after a
//! client's first assessment, the first the baseline, the last before any follow-up the
//! discharge; and the order of support phases.

use std::collections::{BTreeMap, BTreeSet};

use super::content::{self, follow_up};
use super::synonyms::TIMEPOINT_KEYWORDS;
use super::{Found, Layout, guess};
use crate::tables::TableKind;

/// One drafted timepoint.
#[derive(Debug, Clone)]
pub(super) struct Timepoint {
    pub id: String,
    /// The export's own name for it, kept as written.
    pub name: String,
    /// Export labels that mean it.
    pub labels: BTreeSet<String>,
    /// How its id was decided, for the draft's comment.
    pub why: String,
    /// How often the label it is named after occurs: the commonest spelling names it.
    named_by: usize,
}

/// The drafted timepoints in order, and the main comparison.
#[derive(Debug, Clone, Default)]
pub(super) struct Timepoints {
    pub order: Vec<Timepoint>,
    pub compare: Option<(String, String)>,
}

impl Timepoints {
    /// The id of an export label (or per-client group label).
    pub fn id_of(&self, label: &str) -> Option<&str> {
        self.order
            .iter()
            .find(|t| t.labels.contains(label))
            .map(|t| t.id.as_str())
    }
}

/// A label seen in the exports, with when it typically falls.
struct Seen {
    label: String,
    /// Days after the client's first assessment (or the median date of a per-client
    /// group's date column), where dates tell.
    day: Option<i64>,
    count: usize,
}

fn rank(label: &str) -> usize {
    match guess(label, TIMEPOINT_KEYWORDS) {
        Some("baseline") => 0,
        Some("review") => 1,
        Some("discharge") => 2,
        _ if follow_up(label) => 3,
        _ => 1,
    }
}

/// The labels of every table's timepoint column and every per-client group.
fn seen(found: &[Found]) -> Vec<Seen> {
    let mut out: Vec<Seen> = Vec::new();
    let mut add = |label: &str, day: Option<i64>, count: usize| match out
        .iter_mut()
        .find(|s| s.label == label)
    {
        Some(s) => {
            s.day = s.day.or(day);
            s.count += count;
        }
        None => out.push(Seen {
            label: label.to_owned(),
            day,
            count,
        }),
    };
    // Assessments first: their dates say most about when a timepoint falls.
    let mut tables: Vec<&Found> = found.iter().collect();
    tables.sort_by_key(|f| f.kind != TableKind::Assessments);
    for f in tables {
        if let Layout::PerClient(groups) = &f.layout {
            for g in groups {
                let day = f.column(&g.date).and_then(content::median_day);
                add(&g.label, day, 1);
            }
            continue;
        }
        let Some(tp) = f.header_of("timepoint").and_then(|h| f.column(h)) else {
            continue;
        };
        let date_field = match f.kind {
            TableKind::Assessments => "assessment_date",
            TableKind::Medications => "record_date",
            _ => continue,
        };
        let days = match (
            f.header_of("client_id").and_then(|h| f.column(h)),
            f.header_of(date_field).and_then(|h| f.column(h)),
        ) {
            (Some(id), Some(date)) => content::typical_days(id, date, tp),
            _ => BTreeMap::new(),
        };
        for label in &tp.distinct {
            if !super::shareable(label) {
                continue;
            }
            let count = tp.cells.iter().flatten().filter(|v| *v == label).count();
            add(label, days.get(label).copied(), count);
        }
    }
    out
}

/// When each timepoint falls against the end of the client's support, where the referrals
/// record it: the referrals' header for it, and for each label the median days from the
/// end of support to the assessment (negative before it) and how many assessments had one.
struct EndOfSupport {
    header: String,
    offsets: BTreeMap<String, (i64, usize)>,
}

/// Fewest assessments with an end of support that place a timepoint against it.
const END_OF_SUPPORT_ROWS: usize = 5;

fn end_of_support(found: &[Found]) -> Option<EndOfSupport> {
    let referrals = found.iter().find(|f| f.kind == TableKind::Referrals)?;
    let header = referrals.header_of("discharge_date")?;
    let ends_col = referrals.column(header)?;
    let ids = referrals.column(referrals.header_of("client_id")?)?;
    let format = ends_col
        .date_format
        .and_then(|f| crate::config::DateFormat::parse(f).ok());
    let mut ends: BTreeMap<&str, chrono::NaiveDate> = BTreeMap::new();
    for (id, end) in ids.cells.iter().zip(&ends_col.cells) {
        if let (Some(id), Some(end)) = (id, end)
            && let Some(d) = content::parse_date(end, format.as_ref())
        {
            ends.insert(id, d);
        }
    }
    let mut days: BTreeMap<String, Vec<i64>> = BTreeMap::new();
    let mut add =
        |id: &content::Column, date: &content::Column, label: &dyn Fn(usize) -> Option<String>| {
            let format = date
                .date_format
                .and_then(|f| crate::config::DateFormat::parse(f).ok());
            for (row, (i, d)) in id.cells.iter().zip(&date.cells).enumerate() {
                let (Some(i), Some(d)) = (i, d) else { continue };
                let (Some(end), Some(d), Some(l)) = (
                    ends.get(i.as_str()),
                    content::parse_date(d, format.as_ref()),
                    label(row),
                ) else {
                    continue;
                };
                days.entry(l).or_default().push((d - *end).num_days());
            }
        };
    for f in found.iter().filter(|f| f.kind == TableKind::Assessments) {
        let Some(id) = f.header_of("client_id").and_then(|h| f.column(h)) else {
            continue;
        };
        match &f.layout {
            Layout::PerClient(groups) => {
                for g in groups {
                    if let Some(date) = f.column(&g.date) {
                        add(id, date, &|_| Some(g.label.clone()));
                    }
                }
            }
            _ => {
                let (Some(date), Some(tp)) = (
                    f.header_of("assessment_date").and_then(|h| f.column(h)),
                    f.header_of("timepoint").and_then(|h| f.column(h)),
                ) else {
                    continue;
                };
                add(id, date, &|row| tp.cells.get(row).cloned().flatten());
            }
        }
    }
    let offsets: BTreeMap<String, (i64, usize)> = days
        .into_iter()
        .filter(|(_, v)| v.len() >= END_OF_SUPPORT_ROWS)
        .map(|(l, mut v)| {
            v.sort_unstable();
            (l, (v[v.len() / 2], v.len()))
        })
        .collect();
    (!offsets.is_empty()).then(|| EndOfSupport {
        header: header.to_owned(),
        offsets,
    })
}

/// Orders the labels and names them: the earliest is the baseline; the discharge is the
/// one that falls nearest the end of support where the referrals record it, else the
/// latest that is not named a follow-up; later ones are follow-ups; the others are
/// reviews, one per distinct review label unless their names say they are the same
/// review.
pub(super) fn assign(found: &[Found]) -> Timepoints {
    let mut labels = seen(found);
    // Per-client groups carry absolute dates, other tables days since the first
    // assessment: each orders its own labels, and dates beat keywords.
    labels.sort_by(|a, b| {
        let key = |s: &Seen| (s.day.is_none(), s.day.unwrap_or(0), rank(&s.label));
        key(a).cmp(&key(b))
    });
    let (mut follow, mut rest): (Vec<Seen>, Vec<Seen>) =
        labels.into_iter().partition(|s| follow_up(&s.label));
    // An export's last timepoint may be a follow-up months after support ended ("T2"):
    // the discharge is the one assessed nearest the end of support.
    let mut by_end: Option<(String, i64)> = None;
    let mut after_end: BTreeSet<String> = BTreeSet::new();
    if let Some(end) = end_of_support(found) {
        let nearest = rest
            .iter()
            .enumerate()
            .skip(1)
            .filter_map(|(i, s)| end.offsets.get(&s.label).map(|(d, _)| (i, *d)))
            .min_by_key(|(_, d)| d.abs());
        if let Some((i, d)) = nearest {
            by_end = Some((end.header.clone(), d));
            let later = rest.split_off(i + 1);
            after_end.extend(later.iter().map(|s| s.label.clone()));
            follow.splice(0..0, later);
        }
    }
    let mut order: Vec<Timepoint> = Vec::new();
    let n = rest.len();
    let dated = rest.iter().any(|s| s.day.is_some());
    let by = if dated { "by its dates" } else { "by its name" };
    let mut reviews = 0;
    for (i, s) in rest.iter().enumerate() {
        let keyword = guess(&s.label, TIMEPOINT_KEYWORDS);
        if i == 0 || (keyword == Some("baseline") && !dated) {
            push(&mut order, "baseline", s, &format!("the earliest {by}"));
        } else if let (true, Some((header, d))) = (i == n - 1, &by_end) {
            let when = when_support_ended(*d);
            push(
                &mut order,
                "discharge",
                s,
                &format!(
                    "the nearest to the end of support (\"{header}\" in the referrals): at the median, {when}"
                ),
            );
        } else if i == n - 1 || keyword == Some("discharge") {
            push(
                &mut order,
                "discharge",
                s,
                &format!("the latest {by}, before any follow-up"),
            );
        } else if keyword == Some("review") && order.iter().any(|t| t.id == "review") {
            push(&mut order, "review", s, "a review");
        } else {
            reviews += 1;
            let id = if reviews == 1 {
                "review".to_owned()
            } else {
                format!("review_{reviews}")
            };
            push(
                &mut order,
                &id,
                s,
                &format!("between the first and the last {by}"),
            );
        }
    }
    for (i, s) in follow.iter().enumerate() {
        let id = if i == 0 {
            "follow_up".to_owned()
        } else {
            format!("follow_up_{}", i + 1)
        };
        let why = if after_end.contains(&s.label) {
            "a follow-up: assessed after the discharge, once support had ended"
        } else {
            "a follow-up after support"
        };
        push(&mut order, &id, s, why);
    }
    // Display order: baseline, reviews, discharge, follow-ups.
    let place = |id: &str| match id {
        "baseline" => 0,
        "discharge" => 2,
        id if id.starts_with("follow_up") => 3,
        _ => 1,
    };
    order.sort_by_key(|t| place(&t.id));
    let has = |id: &str| order.iter().any(|t| t.id == id);
    let compare = (has("baseline") && has("discharge"))
        .then(|| ("baseline".to_owned(), "discharge".to_owned()));
    Timepoints { order, compare }
}

/// Adds label `s` to timepoint `id` (named after its most used label), or a new
/// timepoint with the reason it is one.
fn push(order: &mut Vec<Timepoint>, id: &str, s: &Seen, why: &str) {
    match order.iter_mut().find(|t| t.id == id) {
        Some(t) => {
            t.labels.insert(s.label.clone());
            if s.count > t.named_by {
                t.name = s.label.clone();
                t.named_by = s.count;
            }
        }
        None => order.push(Timepoint {
            id: id.to_owned(),
            name: s.label.clone(),
            labels: [s.label.clone()].into(),
            why: why.to_owned(),
            named_by: s.count,
        }),
    }
}

/// "3 days before support ended", from the days between an assessment and the end.
fn when_support_ended(d: i64) -> String {
    let days = |n: i64| {
        if n == 1 {
            "1 day".to_owned()
        } else {
            format!("{n} days")
        }
    };
    match d {
        0 => "on the day support ended".to_owned(),
        d if d < 0 => format!("{} before support ended", days(-d)),
        d => format!("{} after support ended", days(d)),
    }
}

/// The phase labels of a sessions table in the order they typically come.
pub(super) fn phase_order(f: &Found, header: &str, values: BTreeSet<String>) -> Vec<String> {
    let days = match (
        f.header_of("client_id").and_then(|h| f.column(h)),
        f.header_of("session_date").and_then(|h| f.column(h)),
        f.column(header),
    ) {
        (Some(id), Some(date), Some(phase)) => content::typical_days(id, date, phase),
        _ => BTreeMap::new(),
    };
    let mut labels: Vec<String> = values.into_iter().collect();
    labels.sort_by_key(|l| days.get(l).copied().unwrap_or(i64::MAX));
    labels
}
