//! Every table of the reports as CSV, drawn from the report model. Suppressed figures are
//! written as `*`; nothing is recomputed.

mod activity;
mod results;

use activity::*;
use results::*;

use sprout_model::*;

/// One CSV table.
#[derive(Debug, Clone, PartialEq)]
pub struct CsvTable {
    /// File stem, e.g. `outcomes` for `tables/outcomes.csv`.
    pub name: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl CsvTable {
    pub(super) fn new(name: &str, header: &[&str]) -> Self {
        Self {
            name: name.to_owned(),
            header: header.iter().map(|h| (*h).to_owned()).collect(),
            rows: Vec::new(),
        }
    }

    pub(super) fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    pub fn to_csv(&self) -> String {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(Vec::new());
        let _ = w.write_record(&self.header);
        for r in &self.rows {
            let safe: Vec<String> = r.iter().map(|c| formula_safe(c)).collect();
            let _ = w.write_record(&safe);
        }
        String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
    }
}

/// Text from the data starting with `=`, `+`, `-`, `@`, a tab or a carriage return would run as a spreadsheet
/// formula; a leading apostrophe keeps it text. Numbers are left alone.
pub fn formula_safe(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) && s.parse::<f64>().is_err() {
        format!("'{s}")
    } else {
        s.to_owned()
    }
}

pub(super) use crate::format::SUPPRESSED;
pub(super) use crate::format::plain::{
    count, number as num, percent as pct, percent_interval as pct_ci,
};
use sprout_model::precision;

/// Decimals of the figures of a CSV table: the evaluator's exact model to three places
/// (p-values to four), a published model's at the precision its reports show them.
#[derive(Debug, Clone, Copy)]
pub(super) struct Digits {
    published: bool,
}

impl Digits {
    pub(super) fn of(m: &ReportModel) -> Self {
        Self {
            published: m.meta.disclosure.hidden_below.is_some(),
        }
    }

    /// Means, SDs and changes of a measure.
    pub(super) fn measure(self, m: &ReportModel, id: &str) -> usize {
        if self.published {
            m.meta
                .measures
                .iter()
                .find(|x| x.id == id)
                .map_or(1, |x| precision::measure(x.min, x.max))
        } else {
            3
        }
    }

    /// Effect sizes.
    pub(super) fn effect(self) -> usize {
        if self.published { precision::EFFECT } else { 3 }
    }

    /// A figure shown to `shown` decimals in the reports.
    pub(super) fn shown(self, shown: usize) -> usize {
        if self.published { shown } else { 3 }
    }

    /// A p-value: four decimals (or scientific notation) for the evaluator, as shown
    /// (`<0.001`, `0.012`) where published.
    pub(super) fn p(self, p: f64) -> String {
        if self.published {
            crate::format::p_cell(p)
        } else {
            crate::format::plain::p_value(p)
        }
    }
}

pub(super) fn estimate(e: &Option<Estimate>, decimals: usize) -> [String; 3] {
    match e {
        Some(e) => [
            num(Some(e.value), decimals),
            num(e.lower, decimals),
            num(e.upper, decimals),
        ],
        None => [String::new(), String::new(), String::new()],
    }
}

pub(super) fn spread(s: &Option<Based<Spread>>, dp: usize) -> [String; 4] {
    match s {
        Some(Based { n, value: Some(v) }) => [
            count(n),
            num(Some(v.median), dp),
            num(Some(v.q1), dp),
            num(Some(v.q3), dp),
        ],
        Some(Based { n, value: None }) => [
            count(n),
            SUPPRESSED.into(),
            SUPPRESSED.into(),
            SUPPRESSED.into(),
        ],
        None => Default::default(),
    }
}

/// Every table, in report order.
pub fn tables(m: &ReportModel) -> Vec<CsvTable> {
    let mut out = vec![flow(m), discharge_reasons(m)];
    out.extend(people(m));
    out.push(reach(m));
    out.push(engagement(m));
    out.push(engagement_by_phase(m));
    out.push(contact_modes(m));
    out.push(support_types(m));
    out.push(outcomes(m));
    out.push(change_distribution(m));
    if let Some(t) = medication(m) {
        out.push(t);
    }
    if let Some(t) = medication_by_cohort(m) {
        out.push(t);
    }
    out.push(trajectories(m));
    out.push(cohorts(m));
    out.push(cohort_tests(m));
    out.push(attrition(m));
    out.push(sensitivity(m));
    out.push(trend(m));
    out.push(data_quality(m));
    out.push(methods(m));
    out
}

pub(super) fn windows<T>(w: &Windowed<T>) -> [(&'static str, &T); 2] {
    [("period", &w.period), ("cumulative", &w.cumulative)]
}

pub(super) fn measure_label(m: &ReportModel, id: &str) -> String {
    m.meta
        .measures
        .iter()
        .find(|x| x.id == id)
        .map_or_else(|| id.to_owned(), |x| x.label.clone())
}

/// `data-quality.csv`: every finding with its file, sheet, line, column, value, code,
/// action and reason.
pub fn data_quality_csv(rows: &[sprout_tables::FindingRow]) -> Vec<u8> {
    let mut t = CsvTable::new(
        "data-quality",
        &[
            "table", "file", "sheet", "line", "column", "value", "code", "action", "reason",
        ],
    );
    for r in rows {
        t.row(vec![
            r.table.to_owned(),
            r.file.clone(),
            r.sheet.clone(),
            r.line.to_string(),
            r.column.clone(),
            r.value.clone(),
            r.code.to_owned(),
            r.action.to_owned(),
            r.reason.clone(),
        ]);
    }
    t.to_csv().into_bytes()
}
