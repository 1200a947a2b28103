//! `sprout init`: draft a programme config from the headers of real exports.

use std::path::PathBuf;

use crate::error::{Error, Result};
use crate::exit;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Export files (CSV, XLSX, Parquet) to draft the config from.
    #[arg(long, required = true, num_args = 1..)]
    pub from: Vec<PathBuf>,
    /// Where to write the draft; printed to standard output when absent.
    #[arg(long, short)]
    pub out: Option<PathBuf>,
    /// Replace an existing file at --out.
    #[arg(long)]
    pub force: bool,
}

pub fn run(args: &Args) -> Result<u8> {
    for f in &args.from {
        super::io::existing_file(f)?;
    }
    let config_dir = match &args.out {
        Some(out) => out
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map_or_else(|| PathBuf::from("."), PathBuf::from),
        None => PathBuf::from("."),
    };
    let draft =
        crate::draft::draft(&args.from, &config_dir).map_err(|e| Error::Validate(e.into()))?;
    for note in &draft.notes {
        eprintln!("note: {note}");
    }
    match &args.out {
        Some(out) => {
            if out.exists() && !args.force {
                return Err(Error::Usage(format!(
                    "{} already exists; use --force to replace it",
                    out.display()
                )));
            }
            crate::output::write_file_atomic(out, draft.toml.as_bytes())?;
            eprintln!(
                "Wrote {}. Check the mappings and TODOs, then run: sprout validate --config {}",
                out.display(),
                out.display()
            );
        }
        None => super::io::emit(&draft.toml),
    }
    Ok(exit::SUCCESS)
}
