//! `tables.xlsx`: every table of a report as one workbook, a sheet per table, for people
//! who work in spreadsheets. Numbers are number cells, suppressed figures the text `*`,
//! and text from the data is always a string cell (a label like `=HYPERLINK(...)` stays
//! text, never a formula).

use rust_xlsxwriter::{DocProperties, Format, Workbook, XlsxError};

use super::tables::CsvTable;
use sprout_model::ReportModel;

/// The most characters a spreadsheet cell holds.
const CELL_CHARS: usize = 32_767;

/// The workbook of `tables`, stamped with the model's generation time so that the same
/// input gives the same bytes, and how many cells were too long for a spreadsheet and
/// were cut short (their full text is in the CSV tables).
pub fn workbook(model: &ReportModel, tables: &[CsvTable]) -> Result<(Vec<u8>, usize), XlsxError> {
    let mut cut = 0usize;
    let mut book = Workbook::new();
    let created = chrono::DateTime::parse_from_rfc3339(&model.meta.generated_at)
        .map(|d| d.with_timezone(&chrono::Utc))
        .unwrap_or_default();
    book.set_properties(
        &DocProperties::new()
            .set_title(format!("{}: tables", model.meta.programme))
            .set_author(&model.meta.organisation)
            .set_creation_datetime(&created),
    );
    let header = Format::new().set_bold().set_text_wrap();
    let mut names: Vec<String> = Vec::new();
    for t in tables {
        let sheet = book.add_worksheet();
        let name = unique(sheet_name(&t.name), &names);
        sheet.set_name(&name)?;
        names.push(name);
        // A column is numeric when every figure in it is a number (or `*`): a label that
        // happens to parse, such as a support type "1e5" or a code "0123", stays text.
        let numeric: Vec<bool> = (0..t.header.len())
            .map(|c| {
                t.rows.iter().filter_map(|r| r.get(c)).all(|cell| {
                    cell.is_empty() || cell == crate::format::SUPPRESSED || number(cell).is_some()
                })
            })
            .collect();
        for (c, h) in t.header.iter().enumerate() {
            sheet.write_string_with_format(0, col(c), fit(h, &mut cut), &header)?;
        }
        for (r, row) in t.rows.iter().enumerate() {
            let r = r as u32 + 1;
            for (c, cell) in row.iter().enumerate() {
                let is_numeric = numeric.get(c).copied().unwrap_or(false);
                match number(cell).filter(|_| is_numeric) {
                    Some(v) => sheet.write_number(r, col(c), v)?,
                    None if cell.is_empty() => continue,
                    None => sheet.write_string(r, col(c), fit(cell, &mut cut))?,
                };
            }
        }
        sheet.set_freeze_panes(1, 0)?;
        sheet.set_autofit_max_width(360).autofit();
    }
    Ok((book.save_to_buffer()?, cut))
}

/// A cell's text cut to what a spreadsheet cell holds, ending "...", counting the cut.
fn fit<'a>(text: &'a str, cut: &mut usize) -> std::borrow::Cow<'a, str> {
    if text.len() <= CELL_CHARS || text.chars().count() <= CELL_CHARS {
        return std::borrow::Cow::Borrowed(text);
    }
    *cut += 1;
    let mut short: String = text.chars().take(CELL_CHARS - 3).collect();
    short.push_str("...");
    std::borrow::Cow::Owned(short)
}

fn col(c: usize) -> u16 {
    u16::try_from(c).unwrap_or(u16::MAX)
}

/// A cell written by the CSV tables as a plain number (`12`, `-0.350`, `1.23e-5`).
fn number(cell: &str) -> Option<f64> {
    let looks_numeric = cell
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | 'e' | '+'))
        && cell
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit() || c == '-');
    looks_numeric
        .then(|| cell.parse::<f64>().ok())
        .flatten()
        .filter(|v| v.is_finite())
}

/// `name`, or `name` with a number, so that no two sheets share a name (Excel compares
/// them without case).
fn unique(name: String, taken: &[String]) -> String {
    let clash = |n: &str| taken.iter().any(|t| t.eq_ignore_ascii_case(n));
    if !clash(&name) {
        return name;
    }
    (2..)
        .map(|i| {
            let suffix = format!("_{i}");
            let stem: String = name.chars().take(31 - suffix.len()).collect();
            format!("{stem}{suffix}")
        })
        .find(|n| !clash(n))
        .unwrap_or(name)
}

/// Excel sheet names: at most 31 characters, none of `[]:*?/\`.
fn sheet_name(name: &str) -> String {
    let clean: String = name
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '_' } else { c })
        .collect();
    clean.chars().take(31).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_numbers_and_everything_else_is_text() {
        assert_eq!(number("12"), Some(12.0));
        assert_eq!(number("-0.350"), Some(-0.35));
        assert_eq!(number("1.23e-5"), Some(1.23e-5));
        assert_eq!(number("*"), None);
        assert_eq!(number("2026/27 Q2"), None);
        assert_eq!(number("=1+1"), None);
        assert_eq!(number("-"), None);
        assert_eq!(number("e5"), None);
        assert_eq!(number("inf"), None);
    }

    #[test]
    fn text_longer_than_a_cell_is_cut_short_and_counted() {
        let mut cut = 0;
        assert_eq!(fit("short", &mut cut), "short");
        let long = "é".repeat(40_000);
        let fitted = fit(&long, &mut cut);
        assert_eq!(fitted.chars().count(), CELL_CHARS);
        assert!(fitted.ends_with("..."));
        assert_eq!(cut, 1);
    }

    #[test]
    fn sheet_names_do_not_repeat() {
        let long = "people_".to_owned() + &"x".repeat(40);
        let first = unique(sheet_name(&long), &[]);
        let second = unique(sheet_name(&long), std::slice::from_ref(&first));
        assert_ne!(first, second);
        assert!(second.len() <= 31 && second.ends_with("_2"));
    }

    #[test]
    fn sheet_names_fit_excel() {
        assert_eq!(
            sheet_name("people_referral_source"),
            "people_referral_source"
        );
        assert_eq!(sheet_name("a/b:c").as_str(), "a_b_c");
        assert_eq!(sheet_name(&"x".repeat(40)).len(), 31);
    }
}
