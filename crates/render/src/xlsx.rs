//! `tables.xlsx`: every table of a report as one workbook, laid out as statistics producers
//! release spreadsheets (the GSS guidance "Releasing statistics in spreadsheets"): a cover
//! sheet (title, period, organisation, source, disclosure control, when made), a contents
//! sheet, a notes sheet, then one table per sheet. Each table sheet opens with a title row
//! naming the table and the period and a row naming its notes; its header row (readable
//! names, with units) is frozen. Every figure is a number cell: a figure with its interval
//! ("6.0 (4.0-8.0)") becomes three columns, and a figure withheld is the text `[c]`. Text
//! from the data is always a string cell (a label like `=HYPERLINK(...)` stays text, never a
//! formula). No cells are merged.

use rust_xlsxwriter::{DocProperties, Format, Workbook, Worksheet, XlsxError};

use super::tables::CsvTable;
use sprout_model::ReportModel;

/// The most characters a spreadsheet cell holds.
const CELL_CHARS: usize = 32_767;

/// The rows above a table's header: its title and its notes.
const HEADER_ROW: u32 = 2;

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
    let sheets: Vec<Sheet> = tables.iter().map(Sheet::of).collect();
    let notes = Notes::of(model, &sheets);
    let mut names: Vec<String> = ["Cover", "Contents", "Notes"].map(String::from).to_vec();
    let mut sheet_names = Vec::with_capacity(sheets.len());
    for s in &sheets {
        let name = unique(sheet_name(&s.name), &names);
        names.push(name.clone());
        sheet_names.push(name);
    }
    let style = Styles::new();
    cover(book.add_worksheet(), model, &style)?;
    contents(book.add_worksheet(), &sheets, &sheet_names, &notes, &style)?;
    notes.write(book.add_worksheet(), &style)?;
    let period = period_text(model);
    for (s, name) in sheets.iter().zip(&sheet_names) {
        let sheet = book.add_worksheet();
        sheet.set_name(name)?;
        s.write(sheet, &period, &notes, &style, &mut cut)?;
    }
    Ok((book.save_to_buffer()?, cut))
}

/// The formats of the workbook: titles, headers, and wrapped text.
struct Styles {
    title: Format,
    header: Format,
}

impl Styles {
    fn new() -> Self {
        Self {
            title: Format::new().set_bold().set_font_size(14),
            header: Format::new().set_bold().set_text_wrap(),
        }
    }
}

/// "2026/27 Q2 (1 July to 30 September 2026); cumulative figures from 1 April 2024".
fn period_text(m: &ReportModel) -> String {
    let p = &m.meta.period;
    format!(
        "{} ({}); cumulative figures from {}",
        p.label,
        crate::format::date_range(p.window.start, p.window.end),
        crate::format::date(m.meta.cumulative.start)
    )
}

/// The cover: what the workbook is, for when, from whom, and under what disclosure control.
fn cover(sheet: &mut Worksheet, m: &ReportModel, style: &Styles) -> Result<(), XlsxError> {
    sheet.set_name("Cover")?;
    sheet.write_string_with_format(0, 0, format!("{}: tables", m.meta.programme), &style.title)?;
    let d = &m.meta.disclosure;
    let disclosure = match (d.hidden_below, d.rounded_to) {
        (None, _) => "None: exact figures, for the evaluator; not for publication".to_owned(),
        (Some(h), r) => {
            let mut text = format!(
                "Counts of 1 to {} are withheld and shown as [c]",
                h.saturating_sub(1)
            );
            if let Some(f) = d.figures_hidden_below {
                text.push_str(&format!(
                    "; so are figures (means, percentages, tests) based on fewer than {f} people \
                     and any figure from which a withheld count could be worked out"
                ));
            }
            if let Some(r) = r {
                text.push_str(&format!("; other counts are rounded to the nearest {r}"));
            }
            text
        }
    };
    let rows = [
        ("Period", period_text(m)),
        ("Organisation", m.meta.organisation.clone()),
        (
            "Source",
            format!(
                "The programme's own records (referrals, sessions, assessments and \
                 medication reviews), checked and analysed by sprout {}",
                m.meta.engine_version
            ),
        ),
        ("Disclosure control", disclosure),
        ("Generated", m.meta.generated_at.clone()),
        (
            "Contents",
            "The Contents sheet lists every table; the Notes sheet explains the notes each \
             table names."
                .to_owned(),
        ),
    ];
    for (r, (label, value)) in rows.iter().enumerate() {
        let r = r as u32 + 2;
        sheet.write_string_with_format(r, 0, *label, &style.header)?;
        sheet.write_string(r, 1, value)?;
    }
    sheet.set_column_width(0, 22)?;
    sheet.set_column_width(1, 110)?;
    Ok(())
}

/// The contents: each table's sheet, title and notes.
fn contents(
    sheet: &mut Worksheet,
    sheets: &[Sheet],
    names: &[String],
    notes: &Notes,
    style: &Styles,
) -> Result<(), XlsxError> {
    sheet.set_name("Contents")?;
    sheet.write_string_with_format(0, 0, "Contents: one table a sheet", &style.title)?;
    sheet.write_string(1, 0, "The tables of this workbook, in order.")?;
    for (c, h) in ["Sheet name", "Table title", "Notes"].iter().enumerate() {
        sheet.write_string_with_format(HEADER_ROW, col(c), *h, &style.header)?;
    }
    for (i, (s, name)) in sheets.iter().zip(names).enumerate() {
        let r = HEADER_ROW + 1 + i as u32;
        sheet.write_string(r, 0, name)?;
        sheet.write_string(r, 1, &s.title)?;
        sheet.write_string(r, 2, notes.named(s))?;
    }
    sheet.set_freeze_panes(HEADER_ROW + 1, 0)?;
    sheet.set_column_width(0, 28)?;
    sheet.set_column_width(1, 70)?;
    sheet.set_column_width(2, 30)?;
    Ok(())
}

/// Whether a note applies to a table.
type Applies = fn(&Sheet) -> bool;

/// The notes a workbook's tables refer to, numbered in order.
struct Notes {
    /// (text, which tables it applies to).
    list: Vec<(String, Applies)>,
}

impl Notes {
    fn of(m: &ReportModel, sheets: &[Sheet]) -> Self {
        let d = &m.meta.disclosure;
        let mut list: Vec<(String, Applies)> = Vec::new();
        if d.hidden_below.is_some() {
            list.push((
                "[c]: a figure withheld to protect privacy (a small count, a figure based on few \
                 people, or one from which such a count could be worked out)."
                    .to_owned(),
                |s| s.withheld,
            ));
        }
        if let Some(r) = d.rounded_to {
            list.push((
                format!(
                    "Counts are rounded to the nearest {r}, so they may not add up to the totals \
                     shown; percentages and intervals are worked out on the counts as shown."
                ),
                |s| s.counts,
            ));
        }
        list.push((
            "An interval is a 95% confidence interval (for a median, the interquartile range); \
             its lower and upper ends are columns of their own."
                .to_owned(),
            |s| s.intervals,
        ));
        list.push((
            "p-values are two-sided. Holm-adjusted p-values allow for testing several secondary \
             outcomes."
                .to_owned(),
            |s| s.p_values,
        ));
        list.push((
            "An empty cell: the figure does not apply, or could not be worked out (too few \
             people, or no variation); where a table has a note column it says why."
                .to_owned(),
            |s| s.blanks,
        ));
        list.retain(|(_, applies)| sheets.iter().any(|s| applies(s)));
        Self { list }
    }

    /// "[note 1], [note 3]": the notes a table refers to.
    fn named(&self, s: &Sheet) -> String {
        let named: Vec<String> = self
            .list
            .iter()
            .enumerate()
            .filter(|(_, (_, applies))| applies(s))
            .map(|(i, _)| format!("[note {}]", i + 1))
            .collect();
        named.join(", ")
    }

    fn write(&self, sheet: &mut Worksheet, style: &Styles) -> Result<(), XlsxError> {
        sheet.set_name("Notes")?;
        sheet.write_string_with_format(0, 0, "Notes", &style.title)?;
        sheet.write_string(1, 0, "The notes the tables refer to.")?;
        sheet.write_string_with_format(HEADER_ROW, 0, "Note number", &style.header)?;
        sheet.write_string_with_format(HEADER_ROW, 1, "Note text", &style.header)?;
        for (i, (text, _)) in self.list.iter().enumerate() {
            let r = HEADER_ROW + 1 + i as u32;
            sheet.write_string(r, 0, format!("note {}", i + 1))?;
            sheet.write_string(r, 1, text)?;
        }
        sheet.set_freeze_panes(HEADER_ROW + 1, 0)?;
        sheet.set_column_width(0, 14)?;
        sheet.set_column_width(1, 110)?;
        Ok(())
    }
}

/// How a CSV column goes into the workbook.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Text,
    Number,
    /// A figure with its interval: three number columns.
    Interval,
}

/// One table as its sheet shows it.
struct Sheet<'t> {
    name: String,
    title: String,
    table: &'t CsvTable,
    kinds: Vec<Kind>,
    /// Which notes apply.
    withheld: bool,
    counts: bool,
    intervals: bool,
    p_values: bool,
    blanks: bool,
}

impl<'t> Sheet<'t> {
    fn of(t: &'t CsvTable) -> Self {
        // A column is numeric when every figure in it is a number (or withheld): a label
        // that happens to parse, such as a support type "1e5" or a code "0123", stays text.
        let kinds: Vec<Kind> = (0..t.header.len())
            .map(|c| {
                let cells = || t.rows.iter().filter_map(move |r| r.get(c));
                let figure = |cell: &String| {
                    cell.is_empty() || cell == crate::format::SUPPRESSED || number(cell).is_some()
                };
                if cells().all(figure) {
                    Kind::Number
                } else if cells().all(|cell| figure(cell) || interval(cell).is_some()) {
                    Kind::Interval
                } else {
                    Kind::Text
                }
            })
            .collect();
        let cells = || t.rows.iter().flatten();
        let header = |h: &str| t.header.iter().any(|x| x == h);
        Self {
            name: t.name.clone(),
            title: table_title(&t.name),
            table: t,
            withheld: cells().any(|c| c == crate::format::SUPPRESSED),
            counts: header("n") || header("period") || header("referred") || header("sessions"),
            intervals: kinds.contains(&Kind::Interval)
                || t.header.iter().any(|h| h.ends_with("lower") || h == "q1"),
            p_values: header("p") || header("p_holm"),
            blanks: t.rows.iter().any(|r| {
                r.iter()
                    .zip(&kinds)
                    .any(|(c, k)| c.is_empty() && *k != Kind::Text)
            }),
            kinds,
        }
    }

    fn write(
        &self,
        sheet: &mut Worksheet,
        period: &str,
        notes: &Notes,
        style: &Styles,
        cut: &mut usize,
    ) -> Result<(), XlsxError> {
        sheet.write_string_with_format(0, 0, format!("{}, {period}", self.title), &style.title)?;
        let named = notes.named(self);
        let about = if named.is_empty() {
            "This sheet holds one table.".to_owned()
        } else {
            format!("This sheet holds one table. Notes: {named}.")
        };
        sheet.write_string(1, 0, about)?;
        let mut c = 0u16;
        for (h, kind) in self.table.header.iter().zip(&self.kinds) {
            let name = readable(h);
            let names = match kind {
                Kind::Interval => vec![
                    name.clone(),
                    format!("{name}: interval from"),
                    format!("{name}: interval to"),
                ],
                _ => vec![name],
            };
            for n in names {
                sheet.write_string_with_format(HEADER_ROW, c, fit(&n, cut), &style.header)?;
                c += 1;
            }
        }
        for (r, row) in self.table.rows.iter().enumerate() {
            let r = HEADER_ROW + 1 + r as u32;
            let mut c = 0u16;
            for (cell, kind) in row.iter().zip(&self.kinds) {
                match kind {
                    Kind::Text => {
                        if !cell.is_empty() {
                            sheet.write_string(r, c, fit(cell, cut))?;
                        }
                        c += 1;
                    }
                    Kind::Number => {
                        figure(sheet, r, c, cell, number(cell))?;
                        c += 1;
                    }
                    Kind::Interval => {
                        match interval(cell) {
                            Some((v, lo, hi)) => {
                                sheet.write_number(r, c, v)?;
                                sheet.write_number(r, c + 1, lo)?;
                                sheet.write_number(r, c + 2, hi)?;
                            }
                            None => figure(sheet, r, c, cell, number(cell))?,
                        }
                        c += 3;
                    }
                }
            }
        }
        sheet.set_freeze_panes(HEADER_ROW + 1, 0)?;
        sheet.set_autofit_max_width(360).autofit();
        Ok(())
    }
}

/// A figure's cell: its number, the shorthand `[c]` as text, or nothing.
fn figure(
    sheet: &mut Worksheet,
    r: u32,
    c: u16,
    cell: &str,
    value: Option<f64>,
) -> Result<(), XlsxError> {
    match value {
        Some(v) => {
            sheet.write_number(r, c, v)?;
        }
        None if cell.is_empty() => {}
        None => {
            sheet.write_string(r, c, cell)?;
        }
    }
    Ok(())
}

/// `6.0 (4.0-8.0)` or `-1.2 (-3.4 to 0.5)`: a figure and the ends of its interval.
fn interval(cell: &str) -> Option<(f64, f64, f64)> {
    let (value, rest) = cell.split_once(" (")?;
    let inner = rest.strip_suffix(')')?;
    let (lo, hi) = inner.split_once(" to ").or_else(|| {
        // "4.0-8.0", "-3.4--1.2": the dash after a digit divides them.
        let at = inner
            .char_indices()
            .skip(1)
            .find(|(i, ch)| *ch == '-' && inner[..*i].ends_with(|p: char| p.is_ascii_digit()))
            .map(|(i, _)| i)?;
        Some((&inner[..at], &inner[at + 1..]))
    })?;
    Some((number(value)?, number(lo.trim())?, number(hi.trim())?))
}

/// A table's title, by its CSV name.
fn table_title(name: &str) -> String {
    let known = match name {
        "flow" => "People through the programme: referred, started, left and completed",
        "discharge_reasons" => "Why support ended",
        "reach" => "Reach into target groups against the local population",
        "engagement" => "Sessions and time with the link worker",
        "engagement_by_phase" => "Sessions by phase of support",
        "contact_modes" => "Sessions attended, by how they were held",
        "support_types" => "Sessions by type of support",
        "outcomes" => "Change in each measure from the start to the end of support",
        "change_distribution" => "How many people changed by how much",
        "medication" => "Pain medication before and after support",
        "medication_by_cohort" => "Opioids before and after support, by group",
        "trajectories" => "Mean scores at each timepoint",
        "cohorts" => "Change in each measure by group",
        "cohort_tests" => "Tests of differences between groups",
        "attrition" => "People with both assessments against those with a first one only",
        "sensitivity" => "Change with the first score carried forward for people who left",
        "trend" => "Quarter by quarter",
        "data_quality_summary" => "Data quality: findings by kind",
        "methods_tests" => "Every test run, and on what numbers",
        _ => "",
    };
    if !known.is_empty() {
        return known.to_owned();
    }
    match name.strip_prefix("people_") {
        Some(dim) => format!("People supported by {}", dim.replace('_', " ")),
        None => crate::words::capitalise(&name.replace('_', " ")),
    }
}

/// A column's name as a reader reads it, with its units.
fn readable(header: &str) -> String {
    let known = match header {
        "n" => "Number of people (n)",
        "from_mean" => "Mean at the start (measure's units)",
        "from_sd" => "Standard deviation at the start",
        "to_mean" => "Mean at the end (measure's units)",
        "to_sd" => "Standard deviation at the end",
        "mean_change" => "Mean change (measure's units)",
        "change_sd" => "Standard deviation of the change",
        "ci_lower" => "95% confidence interval: lower",
        "ci_upper" => "95% confidence interval: upper",
        "t" => "t statistic",
        "df" => "Degrees of freedom",
        "df1" => "Degrees of freedom (numerator)",
        "df2" => "Degrees of freedom (denominator)",
        "p" => "p-value",
        "p_holm" => "p-value, Holm-adjusted",
        "wilcoxon_v" => "Wilcoxon signed-rank V",
        "wilcoxon_p" => "Wilcoxon signed-rank p-value",
        "d_z" => "Effect size d_z",
        "d_z_lower" => "Effect size d_z: 95% interval lower",
        "d_z_upper" => "Effect size d_z: 95% interval upper",
        "g_av" => "Effect size Hedges' g_av",
        "better_percent" => "Better at the end (%)",
        "improved_percent" => "Improved by a meaningful amount (%)",
        "deteriorated_percent" => "Worse by a meaningful amount (%)",
        "reliable_improvement_percent" => "Reliably improved (%)",
        "adjusted_change" => "Baseline-adjusted change (measure's units)",
        "adjusted_lower" => "Baseline-adjusted change: 95% interval lower",
        "adjusted_upper" => "Baseline-adjusted change: 95% interval upper",
        "baseline_only_mean" => "Mean first score of people with one only",
        "baseline_only_n" => "People with a first score only (n)",
        "completers_baseline_mean" => "Mean first score of people with both",
        "completers_n" => "People with both scores (n)",
        "change_from" => "Change from (measure's units)",
        "change_to" => "Change to (measure's units)",
        "contact_mode" => "How the session was held",
        "period_percent" => "Period (%)",
        "cumulative_percent" => "Since the start (%)",
        "cumulative" => "Since the start",
        "period" => "Period",
        "local_percent" => "Local population (%)",
        "dna_percent" => "Did not attend (%)",
        "not_known" => "Not known",
        "of_known" => "Of those known (%)",
        "rows_excluded" => "Rows left out",
        "values_ignored" => "Values ignored",
        "sessions_attended" => "Sessions attended",
        "sessions_per_client_median" => "Sessions per person, median",
        "q1" => "Lower quartile",
        "q3" => "Upper quartile",
        "standardised_difference" => "Standardised difference",
        "support_type" => "Type of support",
        "target_group" => "Target group",
        "welch_t" => "Welch t statistic",
        "percent" => "Percentage (%)",
        "ome_before" => "Daily oral morphine equivalent at the start (mg, mean)",
        "ome_after" => "Daily oral morphine equivalent at the end (mg, mean)",
        "ome_change" => "Change in daily oral morphine equivalent (mg, mean)",
        "ome_ci_lower" => "Change in oral morphine equivalent: 95% interval lower (mg)",
        "ome_ci_upper" => "Change in oral morphine equivalent: 95% interval upper (mg)",
        "on_opioid_before_percent" => "On an opioid at the start (%)",
        "on_opioid_before_lower" => "On an opioid at the start: 95% interval lower (%)",
        "on_opioid_before_upper" => "On an opioid at the start: 95% interval upper (%)",
        "on_opioid_after_percent" => "On an opioid at the end (%)",
        "on_opioid_after_lower" => "On an opioid at the end: 95% interval lower (%)",
        "on_opioid_after_upper" => "On an opioid at the end: 95% interval upper (%)",
        "high_dose_before_percent" => "On 120 mg OME a day or more at the start (%)",
        "high_dose_after_percent" => "On 120 mg OME a day or more at the end (%)",
        _ => "",
    };
    if known.is_empty() {
        crate::words::capitalise(&header.replace('_', " "))
    } else {
        known.to_owned()
    }
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
    fn a_figure_with_its_interval_is_three_numbers() {
        assert_eq!(interval("6.0 (4.0-8.0)"), Some((6.0, 4.0, 8.0)));
        assert_eq!(interval("-1.2 (-3.4--0.5)"), Some((-1.2, -3.4, -0.5)));
        assert_eq!(interval("-1.2 (-3.4 to 0.5)"), Some((-1.2, -3.4, 0.5)));
        assert_eq!(interval("Hip (left)"), None);
        assert_eq!(interval("6.0"), None);
        assert_eq!(readable("from_mean"), "Mean at the start (measure's units)");
        assert_eq!(readable("hospital trust"), "Hospital trust");
        assert_eq!(
            table_title("people_age_band"),
            "People supported by age band"
        );
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
