//! `sprout sample-data`: write a deterministic sample export of the pain-pathway programme.

use std::path::PathBuf;
use std::time::Instant;

use crate::error::{Error, Result};
use crate::exit;
use crate::sample::{self, SampleOptions};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Number of clients (referrals) to generate.
    #[arg(long, default_value_t = 1000)]
    pub clients: u64,
    /// Seed: the same seed and client count always give the same files.
    #[arg(long, default_value_t = 2026)]
    pub seed: u64,
    /// Folder to write the export and its programme.toml into.
    #[arg(long, short)]
    pub out: PathBuf,
    /// Leave out the deliberate data faults.
    #[arg(long)]
    pub clean: bool,
}

/// The largest sample `sample-data` writes.
pub const MAX_CLIENTS: u64 = 10_000_000;

pub fn run(args: &Args) -> Result<u8> {
    if args.clients == 0 {
        return Err(Error::Usage("--clients must be at least 1".into()));
    }
    // Ten million clients is about 20 GB of exports: more is a typing mistake.
    if args.clients > MAX_CLIENTS {
        return Err(Error::Usage(format!(
            "--clients must be at most {MAX_CLIENTS} (ten million)"
        )));
    }
    let started = Instant::now();
    let options = SampleOptions {
        clients: args.clients,
        seed: args.seed,
        clean: args.clean,
    };
    let summary = sample::generate(&options, &args.out).map_err(Error::io(format!(
        "cannot write sample data to {}",
        args.out.display()
    )))?;
    crate::say!(
        "Wrote {} referrals, {} sessions, {} assessment scores and {} medication records to {} in {:.1}s:",
        summary.referrals,
        summary.sessions,
        summary.assessments,
        summary.medications,
        args.out.display(),
        started.elapsed().as_secs_f64()
    );
    for f in &summary.files {
        crate::say!("  {}", f.display());
    }
    if !summary.faults.is_empty() {
        let faults: Vec<String> = summary
            .faults
            .iter()
            .map(|(code, n)| format!("{code} x{n}"))
            .collect();
        crate::say!("Deliberate faults: {}", faults.join(", "));
    }
    Ok(exit::SUCCESS)
}
