//! The command line: argument definitions and dispatch. Each subcommand lives in
//! `commands/<name>.rs`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::commands;
use crate::error::exit;

/// sprout turns social prescribing exports into honest impact reports.
#[derive(Debug, Parser)]
#[command(name = "sprout", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check every export named in a programme config and summarise the data-quality findings.
    Validate(commands::validate::Args),
    /// Write a realistic, deterministic sample export of the pain-pathway programme.
    SampleData(commands::sample_data::Args),
    /// Draft a programme config from the headers of real export files.
    Init(commands::init::Args),
}

/// Parses arguments, runs the command and maps the outcome to an exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() {
                exit::UNUSABLE_INPUT
            } else {
                exit::SUCCESS
            });
        }
    };
    let outcome = std::panic::catch_unwind(|| run(cli));
    match outcome {
        Ok(Ok(code)) => ExitCode::from(code),
        Ok(Err(e)) => {
            eprintln!("error: {e}");
            ExitCode::from(e.exit_code())
        }
        Err(_) => {
            eprintln!("error: internal error in sprout; please report it with the command you ran");
            ExitCode::from(exit::INTERNAL)
        }
    }
}

fn run(cli: Cli) -> crate::error::Result<u8> {
    match cli.command {
        Command::Validate(args) => commands::validate::run(&args),
        Command::SampleData(args) => commands::sample_data::run(&args),
        Command::Init(args) => commands::init::run(&args),
    }
}

/// A path argument that must name an existing file.
pub(crate) fn existing_file(p: &PathBuf) -> crate::error::Result<()> {
    if p.is_file() {
        Ok(())
    } else {
        Err(crate::error::Error::Usage(format!(
            "{}: no such file",
            p.display()
        )))
    }
}
