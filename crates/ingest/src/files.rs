//! Finds the files behind a table: plain paths or glob patterns, relative to the config.

use std::path::{Path, PathBuf};

use super::IngestError;
use sprout_config::TableSpec;
pub use sprout_tables::FileFormat;

/// Every file of the table in a stable order: patterns in config order, matches sorted.
pub fn resolve_files(
    spec: &TableSpec,
    base_dir: &Path,
) -> Result<Vec<(PathBuf, FileFormat)>, IngestError> {
    let mut out: Vec<(PathBuf, FileFormat)> = Vec::new();
    let mut seen: std::collections::HashSet<PathBuf> = std::collections::HashSet::new();
    for pattern in &spec.files {
        let full = base_dir.join(pattern.trim());
        // A file that exists under the literal name wins ("referrals [final].csv").
        let matches: Vec<PathBuf> = if !full.is_file() && pattern.contains(['*', '?', '[']) {
            let base = glob::Pattern::escape(&base_dir.to_string_lossy());
            let text = Path::new(&base)
                .join(pattern.trim())
                .to_string_lossy()
                .into_owned();
            let paths = glob::glob(&text).map_err(|e| IngestError::Unreadable {
                file: pattern.clone(),
                reason: format!("bad file pattern: {e}"),
            })?;
            let mut v: Vec<PathBuf> = paths
                .filter_map(Result::ok)
                .filter(|p| p.is_file())
                .collect();
            v.sort();
            v
        } else if full.is_file() {
            vec![full]
        } else if full.exists() {
            return Err(IngestError::Unreadable {
                file: pattern.clone(),
                reason: "it is not a file".into(),
            });
        } else {
            vec![]
        };
        if matches.is_empty() {
            return Err(IngestError::NoFiles {
                table: spec.kind.name().to_owned(),
                pattern: pattern.clone(),
            });
        }
        for path in matches {
            let format =
                FileFormat::from_path(&path).ok_or_else(|| IngestError::UnsupportedFormat {
                    file: super::display_path(&path, base_dir),
                })?;
            // The same file reached twice (two patterns, a link, a folder linked into
            // itself) is read once.
            let real = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
            if seen.insert(real) {
                out.push((path, format));
            }
        }
    }
    Ok(out)
}
