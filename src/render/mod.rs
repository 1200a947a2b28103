//! Render: outputs drawn from the report model, never recomputing a statistic. Today:
//! `report.json` and every table as CSV; HTML, PDF and charts read the same model.

pub mod tables;

use crate::model::ReportModel;

/// The model as pretty JSON with a trailing newline (stable field order).
pub fn report_json(model: &ReportModel) -> Result<String, serde_json::Error> {
    let mut s = serde_json::to_string_pretty(model)?;
    s.push('\n');
    Ok(s)
}
