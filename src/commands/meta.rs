//! Commands about sprout itself: the config's JSON Schema, shell completions and the man
//! page, all generated from the definitions the program runs on.

use std::path::PathBuf;

use crate::error::{Error, Result};
use crate::exit;

#[derive(Debug, clap::Args)]
pub struct CompletionArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, clap::Args)]
pub struct ManArgs {
    /// Write `sprout.1` and one page per command (`sprout-report.1`, ...) into this folder
    /// instead of printing `sprout.1`.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

/// The JSON Schema of the programme config.
pub fn schema_json() -> String {
    serde_json::to_string_pretty(&crate::config::json_schema()).unwrap_or_default() + "\n"
}

pub fn schema() -> Result<u8> {
    super::io::emit(&schema_json());
    Ok(exit::SUCCESS)
}

/// Completions for `command`, the whole command line as clap defines it.
pub fn completions(args: &CompletionArgs, mut command: clap::Command) -> Result<u8> {
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut command, "sprout", &mut out);
    super::io::emit(&String::from_utf8_lossy(&out));
    Ok(exit::SUCCESS)
}

fn render(command: clap::Command) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    clap_mangen::Man::new(command)
        .render(&mut out)
        .map_err(|e| Error::Internal(e.to_string()))?;
    Ok(out)
}

/// The man pages of `command`, the whole command line as clap defines it.
pub fn man(args: &ManArgs, command: clap::Command) -> Result<u8> {
    match &args.out {
        None => super::io::emit(&String::from_utf8_lossy(&render(command)?)),
        Some(dir) => {
            std::fs::create_dir_all(dir)
                .map_err(|e| Error::Usage(format!("{}: {e}", dir.display())))?;
            let mut pages = vec![("sprout.1".to_owned(), render(command.clone())?)];
            for sub in command.get_subcommands() {
                let name = format!("sprout-{}", sub.get_name());
                let page = sub.clone().name(name.clone());
                pages.push((format!("{name}.1"), render(page)?));
            }
            for (name, bytes) in &pages {
                crate::output::write_file_atomic(&dir.join(name), bytes)?;
            }
            eprintln!("Wrote {} man pages to {}", pages.len(), dir.display());
        }
    }
    Ok(exit::SUCCESS)
}
