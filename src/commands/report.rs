//! `sprout report`: validate, analyse, render and write the reports of one period.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::analysis::{self, PeriodChoice};
use crate::config;
use crate::error::{Error, Result};
use crate::exit;
use crate::hash::sha256_hex;
use crate::model::Audience;
use crate::output::StagedDir;
use crate::output::manifest::{AudiencePolicy, HashedFile, Manifest};
use crate::render::{self, Format, Logo, RenderOptions, Templates};
use crate::validate;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The programme config (TOML).
    #[arg(long, short)]
    pub config: PathBuf,
    /// Quarter to report: `2026/27 Q2` (financial) or `2026-Q3` (calendar). Default: the
    /// latest quarter that has ended by the date of the latest record.
    #[arg(long, conflicts_with_all = ["from", "to"])]
    pub period: Option<String>,
    /// Start of a custom period (yyyy-mm-dd); needs --to.
    #[arg(long, requires = "to")]
    pub from: Option<NaiveDate>,
    /// End of a custom period (yyyy-mm-dd, inclusive); needs --from.
    #[arg(long, requires = "from")]
    pub to: Option<NaiveDate>,
    /// Folder the period's folder is written into.
    #[arg(long, short, default_value = "reports")]
    pub out: PathBuf,
    /// Fail (exit 1) without writing reports if validation has any finding.
    #[arg(long)]
    pub strict: bool,
    /// Which reports to write (comma-separated). Default: all three.
    #[arg(long, value_delimiter = ',', value_enum, default_values_t = [AudienceArg::Evaluator, AudienceArg::Trustee, AudienceArg::Commissioner])]
    pub audience: Vec<AudienceArg>,
    /// Which outputs to write (comma-separated). Default: all of them.
    #[arg(long, value_delimiter = ',', value_enum, default_values_t = FormatArg::ALL)]
    pub format: Vec<FormatArg>,
    /// Render with a copy of sprout's `templates/` folder (HTML, CSS and wording.toml);
    /// files it does not hold keep their built-in version.
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    /// Print nothing but errors and warnings.
    #[arg(long, short)]
    pub quiet: bool,
    /// Open the evaluator's HTML report (or the first written) in the default browser.
    #[arg(long)]
    pub open: bool,
    /// Replace the period's folder even if it holds files this run does not write (the
    /// reports of other audiences or formats, files put there by hand). Without it, such
    /// a run stops and the folder is left as it is.
    #[arg(long)]
    pub replace: bool,
}

/// A report's audience on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum AudienceArg {
    Evaluator,
    Trustee,
    Commissioner,
}

impl From<AudienceArg> for Audience {
    fn from(a: AudienceArg) -> Self {
        match a {
            AudienceArg::Evaluator => Audience::Evaluator,
            AudienceArg::Trustee => Audience::Trustee,
            AudienceArg::Commissioner => Audience::Commissioner,
        }
    }
}

/// An output format on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FormatArg {
    /// The report model, `report.json`.
    Json,
    /// Every table as CSV, and `data-quality.csv`.
    Csv,
    /// Every table in one workbook, `tables.xlsx`.
    Xlsx,
    /// The report as one self-contained HTML file, with its charts as SVG.
    Html,
    /// The report as a tagged, accessible PDF, typeset by sprout itself.
    Pdf,
}

impl FormatArg {
    pub const ALL: [FormatArg; 5] = [
        FormatArg::Json,
        FormatArg::Csv,
        FormatArg::Xlsx,
        FormatArg::Html,
        FormatArg::Pdf,
    ];
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Self {
        match f {
            FormatArg::Json => Format::Json,
            FormatArg::Csv => Format::Csv,
            FormatArg::Xlsx => Format::Xlsx,
            FormatArg::Html => Format::Html,
            FormatArg::Pdf => Format::Pdf,
        }
    }
}

/// A referrals table that ended up empty: which findings emptied it, with examples.
fn emptied(validated: &validate::Validated) -> Option<Error> {
    use crate::tables::TableKind;
    let table = validated
        .summary
        .tables
        .iter()
        .find(|t| t.table == TableKind::Referrals)?;
    if table.canonical_rows > 0 {
        return None;
    }
    if table.rows_read == 0 {
        return Some(Error::Usage(
            "there are no referrals to report on: the referrals files hold a header but no \
             data rows"
                .into(),
        ));
    }
    let excluded: Vec<&validate::Finding> = validated
        .findings
        .iter()
        .filter(|f| f.table == TableKind::Referrals && f.action == validate::Action::RowExcluded)
        .collect();
    let mut by_code: Vec<(validate::FindingCode, usize)> = Vec::new();
    for f in &excluded {
        match by_code.iter_mut().find(|(c, _)| *c == f.code) {
            Some((_, n)) => *n += 1,
            None => by_code.push((f.code, 1)),
        }
    }
    by_code.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut text = format!(
        "there are no referrals to report on: all {} referral rows were excluded",
        table.rows_read
    );
    for (code, n) in &by_code {
        text.push_str(&format!(
            "\n  {} ({n} rows): {}",
            code.as_str(),
            code.about()
        ));
        for f in excluded.iter().filter(|f| f.code == *code).take(3) {
            text.push_str(&format!(
                "\n      {} {}, column \"{}\": \"{}\": {}",
                crate::privacy::clip(validated.sources.display(f.at), 120),
                validated.sources.describe_line(f.at),
                crate::privacy::clip(&f.column, 60),
                crate::privacy::clip(&f.value, 60),
                crate::privacy::clip(&f.reason, 300)
            ));
        }
    }
    text.push_str(
        "\nFix these in the export or the config (`sprout validate` lists every finding).",
    );
    Some(Error::Usage(text))
}

/// A period that has not begun, or that ends before the programme started, is a mistake.
fn check_period(
    config: &config::Config,
    period: &crate::period::Period,
    today: chrono::NaiveDate,
) -> Result<()> {
    if period.window.start > today {
        return Err(Error::Usage(format!(
            "the period {} starts on {}, which is in the future; choose a period that has begun",
            period.label, period.window.start
        )));
    }
    if let Some(start) = config.programme.start
        && start > period.window.end
    {
        return Err(Error::Usage(format!(
            "the period {} ends on {}, before the programme starts on {start} \
             (`programme.start` in the config)",
            period.label, period.window.end
        )));
    }
    Ok(())
}

pub fn run(args: &Args) -> Result<u8> {
    super::io::existing_file(&args.config)?;
    let config = config::load(&args.config)?;
    // Everything from the user is read before the long part of the run.
    let templates = match &args.templates {
        Some(dir) => read_templates(dir)?,
        None => Templates::builtin(),
    };
    let logo = match &config.branding.logo {
        Some(path) => Some(read_logo(path)?),
        None => None,
    };
    let progress = crate::progress::Progress::new(args.quiet);
    let now = crate::clock::now();
    let mut validated = validate::run_with_progress(
        &config,
        validate::Options {
            today: now.date_naive(),
        },
        &|table| progress.stage(&format!("Reading and checking {}", table.name())),
    )?;
    if args.strict && !validated.findings.is_empty() {
        progress.finish();
        super::io::emit(&crate::commands::validate::render_summary(
            &config.programme.name,
            &validated,
        ));
        return Err(Error::Strict(format!(
            "{} data-quality findings and --strict was given; no reports written",
            validated.findings.len()
        )));
    }
    if let Some(e) = emptied(&validated) {
        progress.finish();
        return Err(e);
    }
    progress.stage("Analysing");
    let choice = match (&args.period, args.from, args.to) {
        (Some(p), _, _) => PeriodChoice::Named(p.clone()),
        (None, Some(f), Some(t)) => PeriodChoice::Range(f, t),
        _ => PeriodChoice::Latest,
    };
    let analysis_error = |e: analysis::AnalysisError| match e {
        analysis::AnalysisError::Tables(e) => Error::Internal(e.to_string()),
        other => Error::Usage(other.to_string()),
    };
    let period =
        analysis::resolve_period(&config, &validated.tables, &choice).map_err(analysis_error)?;
    check_period(&config, &period, now.date_naive())?;
    // The analysis takes the tables over and lets each go once read.
    let tables = std::mem::take(&mut validated.tables);
    let model = analysis::analyse(&config, tables, &validated.summary, &period, now)
        .map_err(analysis_error)?;

    progress.stage("Rendering the reports");
    let audiences: BTreeSet<Audience> = args.audience.iter().map(|a| Audience::from(*a)).collect();
    let reports: Vec<_> = audiences
        .iter()
        .map(|a| crate::disclosure::for_audience(&model, *a, &config))
        .collect();
    let findings = validate::finding_rows(&validated.findings, &validated.sources);
    let rendered = render::all(
        &render::Job {
            reports: &reports,
            findings: &findings,
        },
        &RenderOptions {
            formats: args.format.iter().map(|&f| f.into()).collect(),
            templates,
            logo,
            limits: config.render_limits,
        },
    )?;

    progress.stage("Writing");
    let target = args.out.join(&period.slug);
    let staged = StagedDir::new(&target)?;
    let mut outputs = Vec::new();
    for o in &rendered.outputs {
        staged.write(&o.path, &o.bytes)?;
        outputs.push(HashedFile {
            path: o.path.clone(),
            bytes: o.bytes.len() as u64,
            sha256: sha256_hex(&o.bytes),
        });
    }
    let manifest = manifest(
        args, &config, &validated, &model, &period, &reports, outputs,
    )?;
    let json =
        serde_json::to_string_pretty(&manifest).map_err(|e| Error::Internal(e.to_string()))? + "\n";
    staged.write("manifest.json", json.as_bytes())?;
    if !args.replace {
        let audiences: Vec<Audience> = audiences.iter().copied().collect();
        let formats: BTreeSet<Format> = args.format.iter().map(|&f| f.into()).collect();
        staged.refuse_to_shrink(&manifest.outputs, &["manifest.json"], |f| {
            render::writes_like(&audiences, &formats, f)
        })?;
    }
    let written = staged.commit_checked(&manifest.outputs)?;
    progress.finish();

    for w in &rendered.warnings {
        eprintln!("warning: {w}");
    }
    tell(
        args, &config, &validated, &reports, &period, &model, &written,
    );
    Ok(exit::SUCCESS)
}

/// The manifest of a run: what was read, with what config and policies, and every file
/// written with its hash.
fn manifest(
    args: &Args,
    config: &config::Config,
    validated: &validate::Validated,
    model: &crate::model::ReportModel,
    period: &crate::period::Period,
    reports: &[crate::model::ReportModel],
    outputs: Vec<HashedFile>,
) -> Result<Manifest> {
    Ok(Manifest {
        engine: "sprout".into(),
        engine_version: env!("CARGO_PKG_VERSION").into(),
        generated_at: model.meta.generated_at.clone(),
        programme: config.programme.name.clone(),
        period: period.clone(),
        cumulative: model.meta.cumulative,
        config: hash_file(&args.config, &config.base_dir)?,
        inputs: validated
            .sources
            .files
            .iter()
            .map(|f| HashedFile {
                path: f.display.clone(),
                bytes: f.bytes,
                sha256: f.sha256.clone(),
            })
            .collect(),
        disclosure: reports
            .iter()
            .map(|m| AudiencePolicy {
                audience: m.meta.audience,
                policy: m.meta.disclosure.policy,
            })
            .collect(),
        outputs,
    })
}

/// What the run did, on the terminal (unless quiet), and the report opened if asked.
fn tell(
    args: &Args,
    config: &config::Config,
    validated: &validate::Validated,
    reports: &[crate::model::ReportModel],
    period: &crate::period::Period,
    model: &crate::model::ReportModel,
    written: &Path,
) {
    if !args.quiet {
        super::io::emit(&crate::commands::validate::render_summary(
            &config.programme.name,
            validated,
        ));
        let names: Vec<&str> = reports.iter().map(|m| m.meta.audience.name()).collect();
        crate::say!(
            "\n{}: {} (cumulative from {}). Reports for {} written to {}",
            config.programme.name,
            period.label,
            model.meta.cumulative.start,
            names.join(", "),
            written.display()
        );
    }
    if args.open {
        let page = ["evaluator", "trustee", "commissioner"]
            .iter()
            .map(|a| written.join(a).join("report.html"))
            .find(|p| p.is_file());
        match page {
            Some(page) => open_in_browser(&page),
            None => eprintln!("warning: --open: no HTML report was written (see --format)"),
        }
    }
}

/// Hands a file to the desktop's opener (`xdg-open`, `open`, `start`); a failure is a
/// warning, never a failed run: the reports are written.
fn open_in_browser(page: &Path) {
    let opener: &[&str] = if cfg!(target_os = "macos") {
        &["open"]
    } else if cfg!(windows) {
        &["cmd", "/C", "start", ""]
    } else {
        &["xdg-open"]
    };
    let spawned = std::process::Command::new(opener[0])
        .args(&opener[1..])
        .arg(page)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    if let Err(e) = spawned {
        eprintln!(
            "warning: --open: could not start {} ({e}); open {} yourself",
            opener[0],
            page.display()
        );
    }
}

/// A user's templates folder: every file sprout knows by name that it holds.
fn read_templates(dir: &Path) -> Result<Templates> {
    if !dir.is_dir() {
        return Err(Error::Usage(format!(
            "{}: no such templates folder (copy sprout's templates/ folder and point --templates at the copy)",
            dir.display()
        )));
    }
    let mut files = Vec::new();
    for name in render::templates_names() {
        let path = dir.join(name);
        if path.is_file() {
            let text = std::fs::read_to_string(&path)
                .map_err(Error::io(format!("cannot read {}", path.display())))?;
            files.push((name.to_owned(), text));
        }
    }
    if files.is_empty() {
        return Err(Error::Usage(format!(
            "{}: holds none of sprout's templates ({})",
            dir.display(),
            render::templates_names().collect::<Vec<_>>().join(", ")
        )));
    }
    Ok(Templates::from_files(&dir.display().to_string(), files))
}

fn read_logo(path: &Path) -> Result<Logo> {
    let bytes = std::fs::read(path).map_err(Error::io(format!(
        "cannot read the logo {}",
        path.display()
    )))?;
    Logo::from_bytes(bytes).ok_or_else(|| {
        Error::Usage(format!(
            "{}: the logo must be a PNG or SVG image ([branding] logo)",
            path.display()
        ))
    })
}

fn hash_file(path: &std::path::Path, base: &std::path::Path) -> Result<HashedFile> {
    let bytes =
        std::fs::read(path).map_err(Error::io(format!("cannot read {}", path.display())))?;
    Ok(HashedFile {
        path: crate::ingest::display_path(path, base),
        bytes: bytes.len() as u64,
        sha256: sha256_hex(&bytes),
    })
}
