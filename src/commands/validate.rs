//! `sprout validate`: read every export, print the data-quality summary and write
//! `data-quality.csv`.

use std::fmt::Write as _;
use std::path::PathBuf;

use crate::config;
use crate::error::{Error, Result};
use crate::exit;
use crate::validate::{self, QualitySummary, Validated};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The programme config (TOML).
    #[arg(long, short)]
    pub config: PathBuf,
    /// Fail (exit 1) if there is any finding.
    #[arg(long)]
    pub strict: bool,
    /// Folder for data-quality.csv.
    #[arg(long, short, default_value = "reports")]
    pub out: PathBuf,
}

pub fn run(args: &Args) -> Result<u8> {
    super::io::existing_file(&args.config)?;
    let config = config::load(&args.config)?;
    let validated = validate::run(
        &config,
        validate::Options {
            today: crate::clock::today(),
        },
    )?;
    super::io::emit(&render_summary(&config.programme.name, &validated));

    let csv = crate::render::tables::data_quality_csv(&validate::finding_rows(
        &validated.findings,
        &validated.sources,
    ));
    let path = args.out.join("data-quality.csv");
    crate::output::write_file_atomic(&path, &csv)?;
    crate::say!(
        "Wrote {} ({} finding{}).",
        path.display(),
        validated.findings.len(),
        plural(validated.findings.len())
    );

    if args.strict && !validated.findings.is_empty() {
        return Err(Error::Strict(format!(
            "{} finding{} and --strict was given",
            validated.findings.len(),
            plural(validated.findings.len())
        )));
    }
    Ok(exit::SUCCESS)
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Thousands separators for counts.
pub(crate) fn count(n: u64) -> String {
    crate::render::format::int(n)
}

/// The terminal summary: rows per table, then findings by code with first examples.
/// Text from the data as the terminal may show it: control characters (escape sequences,
/// line breaks that could forge a summary line) escaped, and clipped.
fn safe(s: &str) -> String {
    crate::privacy::clip(s, 120)
}

pub fn render_summary(programme: &str, v: &Validated) -> String {
    let mut o = String::new();
    let s: &QualitySummary = &v.summary;
    let _ = writeln!(o, "{}: data quality\n", safe(programme));
    let _ = writeln!(
        o,
        "  {:<12} {:>10} {:>10} {:>10}  files",
        "table", "rows read", "excluded", "used"
    );
    for t in &s.tables {
        let files: Vec<String> = t
            .files
            .iter()
            .map(|f| match &f.sheet {
                Some(sheet) => format!("{} [{}]", safe(&f.file), safe(sheet)),
                None => safe(&f.file),
            })
            .collect();
        let _ = writeln!(
            o,
            "  {:<12} {:>10} {:>10} {:>10}  {}",
            t.table.name(),
            count(t.rows_read),
            count(t.rows_excluded),
            count(t.rows_used),
            files.join(", ")
        );
        for f in &t.files {
            if let Some(note) = &f.encoding_note {
                let _ = writeln!(o, "  {:<12} note: {}: {note}", "", safe(&f.file));
            }
        }
    }
    for n in &s.notes {
        let _ = writeln!(o, "  note: {}", crate::privacy::clip(n, 600));
    }
    if !s.warnings.is_empty() {
        let _ = writeln!(o, "\nWarnings: parts of the report will be empty\n");
        for w in &s.warnings {
            let _ = writeln!(
                o,
                "  warning: {}",
                crate::privacy::clip(&w.to_string(), 600)
            );
        }
    }
    if s.codes.is_empty() {
        let _ = writeln!(o, "\nNo findings.");
        return o;
    }
    let _ = writeln!(o, "\nFindings: {}\n", count(s.total_findings));
    let _ = writeln!(
        o,
        "  {:<24} {:>8} {:>9} {:>8}  meaning",
        "code", "count", "excluded", "ignored"
    );
    for c in &s.codes {
        let _ = writeln!(
            o,
            "  {:<24} {:>8} {:>9} {:>8}  {}",
            c.code.as_str(),
            count(c.count),
            count(c.rows_excluded),
            count(c.values_ignored),
            c.about
        );
        for e in &c.examples {
            let _ = writeln!(
                o,
                "      {} {}, column \"{}\": \"{}\": {}",
                safe(&e.file),
                e.location,
                safe(&e.column),
                safe(&e.value),
                crate::privacy::clip(&e.reason, 400)
            );
        }
    }
    o
}

#[cfg(test)]
mod tests {
    #[test]
    fn counts_have_separators() {
        assert_eq!(super::count(0), "0");
        assert_eq!(super::count(999), "999");
        assert_eq!(super::count(1000), "1,000");
        assert_eq!(super::count(1234567), "1,234,567");
    }
}
