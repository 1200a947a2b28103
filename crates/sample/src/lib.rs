//! A realistic, deterministic export of the pain-pathway ("waiting well") programme:
//! referrals, sessions by financial year, long-form assessments and a medication review
//! workbook, with export-style headers, UK dates, personal details that must never reach
//! a report, and a handful of deliberate faults. Clients are generated and written one at
//! a time, so a million clients need no more memory than ten.

mod faults;
mod journey;
mod names;
mod outcomes;
mod programme;
mod rng;

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};

pub use faults::Fault;
pub use journey::{EXPORT_DATE, PROGRAMME_START};

use journey::Client;
use outcomes::MedRecord;

/// What to generate.
#[derive(Debug, Clone)]
pub struct SampleOptions {
    pub clients: u64,
    pub seed: u64,
    /// Leave out the deliberate faults (for benchmarks).
    pub clean: bool,
}

/// What was written.
#[derive(Debug, Clone, Default)]
pub struct SampleSummary {
    pub files: Vec<PathBuf>,
    pub referrals: u64,
    pub sessions: u64,
    pub assessments: u64,
    pub medications: u64,
    pub faults: BTreeMap<&'static str, u64>,
}

/// Above this many medication rows the review is written as CSV, since a worksheet holds
/// at most 1,048,576 rows.
const XLSX_ROW_LIMIT: u64 = 1_000_000;

const REFERRAL_HEADER: &[&str] = &[
    "Client Ref",
    "NHS Number",
    "Forename",
    "Surname",
    "Date of Birth",
    "Gender",
    "Ethnicity",
    "IMD Decile",
    "Referral Date",
    "Referral Source",
    "Hospital Trust",
    "Procedure",
    "Surgery Date",
    "First Contact Date",
    "Discharge Date",
    "Discharge Reason",
    "Referral Notes",
];
const SESSION_HEADER: &[&str] = &[
    "Client Ref",
    "Contact Date",
    "Contact Type",
    "Attendance",
    "Duration (mins)",
    "Link Worker",
    "Support Provided",
];
const ASSESSMENT_HEADER: &[&str] = &[
    "Client Ref",
    "Assessment Date",
    "Assessment Stage",
    "Questionnaire",
    "Score",
];
const MEDICATION_HEADER: &[&str] = &[
    "Client Ref",
    "Review Date",
    "Medicine",
    "Dose per day",
    "Unit",
    "Route",
];

/// Writes the sample export and its `programme.toml` into `out`.
pub fn generate(options: &SampleOptions, out: &Path) -> std::io::Result<SampleSummary> {
    fs::create_dir_all(out)?;
    let mut summary = SampleSummary::default();
    let expected_meds = options.clients * 5;
    let meds_as_xlsx = expected_meds < XLSX_ROW_LIMIT;

    let mut referrals = CsvOut::create(&out.join("referrals.csv"), REFERRAL_HEADER)?;
    let mut sessions: BTreeMap<String, CsvOut> = BTreeMap::new();
    let mut assessments = CsvOut::create(&out.join("assessments.csv"), ASSESSMENT_HEADER)?;
    let mut meds_csv = if meds_as_xlsx {
        None
    } else {
        Some(CsvOut::create(
            &out.join("medications.csv"),
            MEDICATION_HEADER,
        )?)
    };
    let mut meds_rows: Vec<(String, MedRecord)> = Vec::new();

    for index in 0..options.clients {
        let fault = if options.clean {
            None
        } else {
            Fault::for_client(index)
        };
        let mut client = faults::simulate_for(options.seed, index, fault);
        let mut scores = outcomes::scores(options.seed, &client);
        let mut meds = outcomes::medications(options.seed, &client);
        let mut extra = faults::Extra::default();
        if let Some(f) = fault {
            faults::apply(f, &mut client, &mut scores, &mut meds, &mut extra);
            *summary.faults.entry(f.code()).or_insert(0) += 1;
        }

        for row in referral_rows(&client, &extra) {
            referrals.row(&row)?;
            summary.referrals += 1;
        }
        for (date, fields) in session_rows(&client, &extra) {
            let file = format!("sessions_{}.csv", financial_year(date));
            if !sessions.contains_key(&file) {
                sessions.insert(
                    file.clone(),
                    CsvOut::create(&out.join(&file), SESSION_HEADER)?,
                );
            }
            if let Some(w) = sessions.get_mut(&file) {
                match &extra.raw_session_line {
                    Some(raw) if fields.first().is_some_and(|f| f == "RAW") => w.raw(raw)?,
                    _ => w.row(&fields)?,
                }
            }
            summary.sessions += 1;
        }
        for s in &scores {
            assessments.row(&[
                client.id.clone(),
                uk(s.date),
                s.stage.to_owned(),
                s.questionnaire.to_owned(),
                s.value.clone(),
            ])?;
            summary.assessments += 1;
        }
        for m in meds {
            summary.medications += 1;
            match &mut meds_csv {
                Some(w) => w.row(&[
                    client.id.clone(),
                    uk(m.date),
                    m.medicine,
                    m.dose,
                    m.unit.to_owned(),
                    m.route.to_owned(),
                ])?,
                None => meds_rows.push((client.id.clone(), m)),
            }
        }
    }

    summary.files.push(referrals.finish()?);
    for (_, w) in sessions {
        summary.files.push(w.finish()?);
    }
    summary.files.push(assessments.finish()?);
    let medication_file = match meds_csv {
        Some(w) => w.finish()?,
        None => write_medication_workbook(&out.join("medications.xlsx"), &meds_rows)?,
    };
    summary.files.push(medication_file.clone());

    let medication_name = medication_file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let toml = programme::programme_toml(&medication_name);
    let config_path = out.join("programme.toml");
    fs::write(&config_path, toml)?;
    summary.files.push(config_path);
    Ok(summary)
}

/// `2025/26` style financial year of a date, as `2025-26` for file names.
fn financial_year(d: NaiveDate) -> String {
    let start = if d.month() >= 4 {
        d.year()
    } else {
        d.year() - 1
    };
    format!("{start}-{:02}", (start + 1) % 100)
}

fn uk(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

fn opt_uk(d: Option<NaiveDate>) -> String {
    d.map(uk).unwrap_or_default()
}

fn referral_rows(c: &Client, extra: &faults::Extra) -> Vec<Vec<String>> {
    let mut row = vec![
        c.id.clone(),
        c.nhs_number.clone(),
        c.forename.to_owned(),
        c.surname.to_owned(),
        extra.dob_text.clone().unwrap_or_else(|| uk(c.dob)),
        c.sex.to_owned(),
        extra
            .ethnicity_text
            .clone()
            .unwrap_or_else(|| c.ethnicity.to_owned()),
        extra
            .imd_text
            .clone()
            .unwrap_or_else(|| c.imd_decile.to_string()),
        extra
            .referral_text
            .clone()
            .unwrap_or_else(|| uk(c.referral)),
        c.referral_source.to_owned(),
        c.trust.to_owned(),
        c.surgery_type.label().to_owned(),
        opt_uk(c.surgery),
        opt_uk(c.start),
        opt_uk(c.discharge),
        c.discharge_reason.unwrap_or("").to_owned(),
        c.notes.clone(),
    ];
    let mut rows = vec![row.clone()];
    if let Some(later) = extra.duplicate_referral {
        row[8] = uk(later);
        rows.push(row);
    }
    rows
}

fn session_rows(c: &Client, extra: &faults::Extra) -> Vec<(NaiveDate, Vec<String>)> {
    let mut rows: Vec<(NaiveDate, Vec<String>)> = c
        .sessions
        .iter()
        .map(|s| {
            (
                s.date,
                vec![
                    c.id.clone(),
                    uk(s.date),
                    s.mode.to_owned(),
                    s.status.to_owned(),
                    s.minutes.map(|m| m.to_string()).unwrap_or_default(),
                    s.link_worker.clone(),
                    s.support.unwrap_or("").to_owned(),
                ],
            )
        })
        .collect();
    for (date, fields) in &extra.extra_sessions {
        rows.push((*date, fields.clone()));
    }
    rows
}

fn write_medication_workbook(
    path: &Path,
    rows: &[(String, MedRecord)],
) -> std::io::Result<PathBuf> {
    use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook};
    let err = |e: rust_xlsxwriter::XlsxError| std::io::Error::other(e.to_string());
    let mut book = Workbook::new();
    // A fixed creation time keeps the workbook byte-identical from run to run.
    let created = ExcelDateTime::from_ymd(2026, 10, 9).map_err(err)?;
    book.set_properties(
        &DocProperties::new()
            .set_creation_datetime(&created)
            .set_author("sprout sample data"),
    );
    let date_format = Format::new().set_num_format("dd/mm/yyyy");
    let bold = Format::new().set_bold();
    let sheet = book.add_worksheet_with_constant_memory().map_err(err)?;
    sheet.set_name("Medication Review").map_err(err)?;
    for (col, h) in MEDICATION_HEADER.iter().enumerate() {
        sheet
            .write_string_with_format(0, col as u16, *h, &bold)
            .map_err(err)?;
    }
    for (i, (id, m)) in rows.iter().enumerate() {
        let row = i as u32 + 1;
        sheet.write_string(row, 0, id).map_err(err)?;
        sheet
            .write_date_with_format(row, 1, m.date, &date_format)
            .map_err(err)?;
        sheet.write_string(row, 2, &m.medicine).map_err(err)?;
        match m.dose.parse::<f64>() {
            Ok(v) => sheet.write_number(row, 3, v).map(|_| ()).map_err(err)?,
            Err(_) if m.dose.is_empty() => {}
            Err(_) => sheet
                .write_string(row, 3, &m.dose)
                .map(|_| ())
                .map_err(err)?,
        }
        if !m.unit.is_empty() {
            sheet.write_string(row, 4, m.unit).map_err(err)?;
        }
        if !m.route.is_empty() {
            sheet.write_string(row, 5, m.route).map_err(err)?;
        }
    }
    book.save(path).map_err(err)?;
    Ok(path.to_path_buf())
}

/// A CSV file written row by row, quoting only where needed (as exports do).
struct CsvOut {
    path: PathBuf,
    w: BufWriter<File>,
}

impl CsvOut {
    fn create(path: &Path, header: &[&str]) -> std::io::Result<Self> {
        let mut out = Self {
            path: path.to_path_buf(),
            w: BufWriter::with_capacity(1 << 20, File::create(path)?),
        };
        let header: Vec<String> = header.iter().map(|s| (*s).to_owned()).collect();
        out.row(&header)?;
        Ok(out)
    }

    fn row(&mut self, fields: &[String]) -> std::io::Result<()> {
        for (i, f) in fields.iter().enumerate() {
            if i > 0 {
                self.w.write_all(b",")?;
            }
            if f.contains([',', '"', '\n', '\r']) {
                write!(self.w, "\"{}\"", f.replace('"', "\"\""))?;
            } else {
                self.w.write_all(f.as_bytes())?;
            }
        }
        self.w.write_all(b"\r\n")
    }

    fn raw(&mut self, line: &str) -> std::io::Result<()> {
        self.w.write_all(line.as_bytes())?;
        self.w.write_all(b"\r\n")
    }

    fn finish(mut self) -> std::io::Result<PathBuf> {
        self.w.flush()?;
        Ok(self.path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn financial_years() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).expect("date");
        assert_eq!(financial_year(d(2025, 3, 31)), "2024-25");
        assert_eq!(financial_year(d(2025, 4, 1)), "2025-26");
        assert_eq!(financial_year(d(2099, 12, 1)), "2099-00");
    }
}
