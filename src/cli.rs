//! The command line: argument definitions and dispatch. Each subcommand lives in
//! `commands/<name>.rs`.

use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};

use crate::commands;
use crate::exit;

/// sprout turns social prescribing exports into honest impact reports.
#[derive(Debug, Parser)]
#[command(name = "sprout", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate the exports, analyse them and write the reports for one period.
    Report(commands::report::Args),
    /// Check every export named in a programme config and summarise the data-quality findings.
    Validate(commands::validate::Args),
    /// Write a realistic, deterministic sample export of the pain-pathway programme.
    SampleData(commands::sample_data::Args),
    /// Draft a programme config from the headers and contents of real export files.
    Init(commands::init::Args),
    /// List the vocabulary of a config: built-in measures, label categories, table fields.
    List(commands::list::Args),
    /// Print the JSON Schema of the programme config (for TOML editors and checks).
    Schema,
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    Completions(commands::meta::CompletionArgs),
    /// Print the man page (roff), or write one per command into a folder.
    Man(commands::meta::ManArgs),
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
    std::panic::set_hook(Box::new(|info| {
        let location = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!("sprout: internal fault{location}");
    }));
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
        Command::Report(args) => commands::report::run(&args),
        Command::Validate(args) => commands::validate::run(&args),
        Command::SampleData(args) => commands::sample_data::run(&args),
        Command::Init(args) => commands::init::run(&args),
        Command::List(args) => commands::list::run(&args),
        Command::Schema => commands::meta::schema(),
        Command::Completions(args) => commands::meta::completions(&args, Cli::command()),
        Command::Man(args) => commands::meta::man(&args, Cli::command()),
    }
}
