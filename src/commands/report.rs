//! `sprout report`: validate, analyse and write the reports of one period.

use std::path::PathBuf;

use chrono::NaiveDate;

use crate::analysis::{self, PeriodChoice};
use crate::config;
use crate::error::{Error, Result, exit};
use crate::model::Audience;
use crate::output::StagedDir;
use crate::output::manifest::{AudiencePolicy, HashedFile, Manifest, sha256_hex};
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
}

pub fn run(args: &Args) -> Result<u8> {
    crate::cli::existing_file(&args.config)?;
    let config = config::load(&args.config)?;
    let now = crate::clock::now();
    let validated = validate::run(
        &config,
        validate::Options {
            today: now.date_naive(),
        },
    )?;
    if args.strict && !validated.findings.is_empty() {
        crate::cli::emit(&crate::commands::validate::render_summary(
            &config.programme.name,
            &validated,
        ));
        return Err(Error::Strict(format!(
            "{} data-quality findings and --strict was given; no reports written",
            validated.findings.len()
        )));
    }
    let choice = match (&args.period, args.from, args.to) {
        (Some(p), _, _) => PeriodChoice::Named(p.clone()),
        (None, Some(f), Some(t)) => PeriodChoice::Range(f, t),
        _ => PeriodChoice::Latest,
    };
    let analysis_error = |e: analysis::AnalysisError| match e {
        analysis::AnalysisError::Tables(e) => Error::Internal(e.to_string()),
        other => Error::Usage(other.to_string()),
    };
    let period = analysis::resolve_period(&config, &validated, &choice).map_err(analysis_error)?;
    let model = analysis::analyse(&config, &validated, &period, now).map_err(analysis_error)?;

    let target = args.out.join(&period.slug);
    let staged = StagedDir::new(&target)?;
    let mut outputs = Vec::new();
    let mut write = |relative: &str, bytes: &[u8]| -> Result<()> {
        staged.write(relative, bytes)?;
        outputs.push(HashedFile {
            path: relative.to_owned(),
            bytes: bytes.len() as u64,
            sha256: sha256_hex(bytes),
        });
        Ok(())
    };
    let mut policies = Vec::new();
    for audience in Audience::ALL {
        let m = analysis::for_audience(&model, audience, &config);
        policies.push(AudiencePolicy {
            audience,
            policy: m.meta.disclosure.policy,
        });
        let json = crate::render::report_json(&m).map_err(|e| Error::Internal(e.to_string()))?;
        write(&format!("{}/report.json", audience.name()), json.as_bytes())?;
        for t in crate::render::tables::tables(&m) {
            write(
                &format!("{}/tables/{}.csv", audience.name(), t.name),
                t.to_csv().as_bytes(),
            )?;
        }
    }
    let mut dq = Vec::new();
    validate::write_data_quality_csv(&mut dq, &validated.findings, &validated.sources)
        .map_err(|e| Error::Internal(e.to_string()))?;
    write("data-quality.csv", &dq)?;

    let manifest = Manifest {
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
        disclosure: policies,
        outputs,
    };
    let json =
        serde_json::to_string_pretty(&manifest).map_err(|e| Error::Internal(e.to_string()))? + "\n";
    staged.write("manifest.json", json.as_bytes())?;
    let written = staged.commit()?;

    crate::cli::emit(&crate::commands::validate::render_summary(
        &config.programme.name,
        &validated,
    ));
    crate::say!(
        "\n{}: {} (cumulative from {}). Reports for evaluators, trustees and commissioners written to {}",
        config.programme.name,
        period.label,
        model.meta.cumulative.start,
        written.display()
    );
    Ok(exit::SUCCESS)
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
