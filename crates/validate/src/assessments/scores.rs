//! Scores: a measure's value read from its score column, or scored from its items (in
//! wide and per-client layouts, and from long rows of item answers).

//! Assessments, long (one row per measure) or wide (one row per client and timepoint),
//! with totals scored from items and repeated measurements resolved (methods.md 1).

use super::super::Cells;
use super::super::check::{At, Cell, Checker};
use super::super::finding::{Action, Finding, FindingCode, Findings};
use super::*;
use sprout_clinical::instruments::Measure;
use sprout_config::{ColumnMapping, Config};
use sprout_ingest::WantedColumn;
use sprout_tables::TableKind;

/// Reads a score and checks it against its measure (range, whole number, conversion).
pub(super) fn measure_value(check: &mut Checker, at: &At, measure: &Measure) -> Option<f64> {
    let raw = match check.number(at, f64::MIN, f64::MAX, false) {
        Cell::Value(v) => v,
        Cell::Missing | Cell::Bad => return None,
    };
    match sprout_clinical::instruments::check_value(measure, raw) {
        Ok(v) => Some(v),
        Err(problem) => {
            let code = FindingCode::parse(problem.code()).unwrap_or(FindingCode::OutOfRange);
            check.flag(at, code, format!("{}: {problem}", measure.label));
            None
        }
    }
}

/// Scores a total from its items under the instrument's missing-item rule. An answer
/// off its item's scale is reported at that answer (`item_at`, by 1-based position) and
/// treated as missing; the finding says whether the rule could still score the total. A
/// problem with the whole set is reported at `at`.
pub(super) fn score<'a>(
    check: &mut Checker,
    at: &At<'a>,
    measure: &Measure,
    answers: &[Option<f64>],
    item_at: &dyn Fn(usize) -> Option<At<'a>>,
) -> Option<f64> {
    use sprout_clinical::instruments::ItemProblem;
    let scored = sprout_clinical::instruments::score_item_answers(measure, answers);
    let outcome = match &scored.total {
        Ok(_) => "treated as missing; the total is scored from the other answers".to_owned(),
        Err(ItemProblem::Unscorable { rule, .. }) => {
            format!("treated as missing, which leaves the total missing (rule: {rule})")
        }
        Err(_) => "treated as missing; the total is left missing".to_owned(),
    };
    for problem in &scored.invalid {
        let item = match problem {
            ItemProblem::ItemOutOfRange { position, .. }
            | ItemProblem::ItemNotInteger { position, .. } => item_at(*position),
            _ => None,
        };
        let code = FindingCode::parse(problem.code()).unwrap_or(FindingCode::ItemOutOfRange);
        check.flag_with(
            item.as_ref().unwrap_or(at),
            code,
            Action::ValueIgnored,
            format!("{}: {problem}; {outcome}", measure.label),
        );
    }
    match scored.total {
        Ok(v) => Some(v),
        // The doubtful answers' findings already say the total is missing.
        Err(ItemProblem::Unscorable { .. }) if !scored.invalid.is_empty() => None,
        Err(problem) => {
            let code = FindingCode::parse(problem.code()).unwrap_or(FindingCode::UnscorableTotal);
            check.flag_with(
                at,
                code,
                Action::ValueIgnored,
                format!("{}: {problem}; the total is left missing", measure.label),
            );
            None
        }
    }
}

/// The score and item columns of a wide row, or of one timepoint of a per-client row.
pub(super) struct ScoreColumns {
    /// (wanted index, measure) of each score column.
    scores: Vec<(usize, u16)>,
    /// (measure, first wanted index, end) of each measure's item columns.
    items: Vec<(u16, usize, usize)>,
    /// By measure: the column findings about its value name.
    pub(super) names: Vec<String>,
}

impl ScoreColumns {
    /// Adds the columns to `wanted`, keyed `<prefix><measure>` and `<prefix><measure>.<n>`.
    pub(super) fn add(
        wanted: &mut Vec<WantedColumn>,
        prefix: &str,
        scores: &[ColumnMapping],
        items: &[ColumnMapping],
        config: &Config,
    ) -> Self {
        // The config checks every mapped measure is one of its measures.
        let index = |id: &str| {
            config
                .measures
                .iter()
                .position(|m| m.id == id)
                .map(|i| i as u16)
        };
        let mut names: Vec<String> = config
            .measures
            .iter()
            .map(|m| format!("{prefix}{}", m.id))
            .collect();
        let mut cols = Self {
            scores: Vec::new(),
            items: Vec::new(),
            names: Vec::new(),
        };
        for m in scores {
            let Some(measure) = index(&m.field) else {
                continue;
            };
            cols.scores.push((wanted.len(), measure));
            wanted.push(WantedColumn {
                key: format!("{prefix}{}", m.field),
                headers: m.headers.clone(),
                required: true,
                identifying: false,
            });
        }
        for ic in items {
            let Some(measure) = index(&ic.field) else {
                continue;
            };
            if !scores.iter().any(|m| m.field == ic.field)
                && let Some(name) = names.get_mut(usize::from(measure))
            {
                *name = item_range(&ic.headers);
            }
            let start = wanted.len();
            for (n, h) in ic.headers.iter().enumerate() {
                wanted.push(WantedColumn {
                    key: format!("{prefix}{}.{}", ic.field, n + 1),
                    headers: vec![h.clone()],
                    required: true,
                    identifying: false,
                });
            }
            cols.items.push((measure, start, wanted.len()));
        }
        cols.names = names;
        cols
    }

    /// Every wanted index of these columns.
    pub(super) fn columns(&self) -> impl Iterator<Item = usize> + '_ {
        self.scores
            .iter()
            .map(|(i, _)| *i)
            .chain(self.items.iter().flat_map(|(_, a, b)| *a..*b))
    }

    /// Reads the scores of one row (`base` gives its client, timepoint, date and row);
    /// a measure with a score column is read from it, otherwise scored from its items.
    pub(super) fn score_row(
        &self,
        check: &mut Checker,
        cells: &Cells,
        config: &Config,
        base: Candidate,
        candidates: &mut Vec<Candidate>,
    ) {
        let mut scored = vec![false; config.measures.len()];
        for &(i, measure) in &self.scores {
            let at = cells.at(i, false);
            let Some(def) = config.measures.get(usize::from(measure)) else {
                continue;
            };
            if at.text.trim().is_empty() {
                continue;
            }
            if let Some(value) = measure_value(check, &at, def) {
                scored[usize::from(measure)] = true;
                candidates.push(Candidate {
                    measure,
                    value,
                    ..base
                });
            }
        }
        for &(measure, start, end) in &self.items {
            let Some(def) = config.measures.get(usize::from(measure)) else {
                continue;
            };
            if scored[usize::from(measure)] {
                continue;
            }
            let mut answers = Vec::with_capacity(end - start);
            let mut unreadable = false;
            for i in start..end {
                match check.number(&cells.at(i, false), f64::MIN, f64::MAX, false) {
                    Cell::Value(v) => answers.push(Some(v)),
                    Cell::Missing => answers.push(None),
                    Cell::Bad => unreadable = true,
                }
            }
            if unreadable || answers.iter().all(Option::is_none) {
                continue;
            }
            let at = At {
                row: base.row.get(),
                key: &self.names[usize::from(measure)],
                text: "",
                required: false,
                identifying: false,
            };
            let item_at = |position: usize| Some(cells.at(start + position - 1, false));
            if let Some(value) = score(check, &at, def, &answers, &item_at) {
                candidates.push(Candidate {
                    measure,
                    value,
                    ..base
                });
            }
        }
    }
}

/// How findings about a total scored from item columns name its columns.
pub(super) fn item_range(headers: &[String]) -> String {
    match headers {
        [] => String::new(),
        [one] => one.clone(),
        [first, .., last] => format!("{first} to {last}"),
    }
}

/// Groups long-layout item rows by client, timepoint and measure and scores each total,
/// unless the export also carries that total.
pub(super) fn score_long_items(
    config: &Config,
    items: &mut [ItemAnswer],
    candidates: &mut Vec<Candidate>,
    findings: &mut Findings,
) {
    if items.is_empty() {
        return;
    }
    let has_total: std::collections::HashSet<(u32, u16, u16)> = candidates
        .iter()
        .map(|c| (c.client, c.measure, c.timepoint))
        .collect();
    items.sort_by_key(|a| (a.client, a.measure, a.timepoint, a.item, a.row));
    for group in items
        .chunk_by(|a, b| (a.client, a.measure, a.timepoint) == (b.client, b.measure, b.timepoint))
    {
        let first = group[0];
        if has_total.contains(&(first.client, first.measure, first.timepoint)) {
            continue;
        }
        let def = &config.measures[usize::from(first.measure)];
        let mut answers = vec![None; def.item_count()];
        for a in group {
            if let Some(slot) = answers.get_mut(usize::from(a.item).wrapping_sub(1)) {
                if slot.is_some() {
                    findings.push(Finding {
                        code: FindingCode::DuplicateAssessment,
                        action: Action::RowExcluded,
                        table: TableKind::Assessments,
                        at: a.row,
                        column: "value".to_owned(),
                        value: a.value.map(crate::check::fmt_num).unwrap_or_default(),
                        reason: format!(
                            "item {} of {} was already answered at this timepoint",
                            a.item, def.label
                        ),
                    });
                    continue;
                }
                *slot = a.value;
            }
        }
        let mut check = Checker {
            table: TableKind::Assessments,
            findings,
            formats: &[],
            today: chrono::NaiveDate::MAX,
            last_client: Default::default(),
        };
        let at = At {
            row: first.row,
            key: "value",
            text: "",
            required: false,
            identifying: false,
        };
        let texts: Vec<String> = group
            .iter()
            .map(|a| a.value.map(crate::check::fmt_num).unwrap_or_default())
            .collect();
        let item_at = |position: usize| {
            group
                .iter()
                .zip(&texts)
                .find(|(a, _)| usize::from(a.item) == position)
                .map(|(a, text)| At {
                    row: a.row,
                    text,
                    ..at
                })
        };
        if let Some(value) = score(&mut check, &at, def, &answers, &item_at) {
            let date = group.iter().map(|a| a.date).min().unwrap_or(first.date);
            candidates.push(Candidate {
                client: first.client,
                measure: first.measure,
                timepoint: first.timepoint,
                date,
                value,
                row: first.row.into(),
                seq: 0,
            });
        }
    }
}
