//! Runs of the real binary under a 4 GiB address-space limit, for the corpora of hostile
//! and quirky inputs: each case asserts the exit code, that a message names the file,
//! and, where a report folder exists, that a failed run leaves it untouched.
//!
//! `SPROUT_BIN` runs them against another build of the binary.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::Scenario;

/// Address space a run may use: every case must stay well inside it.
pub const MEMORY_KIB: u64 = 4 << 20;

pub fn binary() -> PathBuf {
    std::env::var_os("SPROUT_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| assert_cmd::cargo::cargo_bin("sprout"))
}

/// What one bounded run printed.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn all(&self) -> String {
        format!("{}\n{}", self.stdout, self.stderr)
    }

    /// Exited with `code`, without a panic, naming `file`.
    pub fn fails_naming(&self, code: i32, file: &str) {
        assert_eq!(self.code, code, "{}", self.all());
        assert!(!self.all().contains("panicked"), "{}", self.all());
        assert!(
            self.stderr.contains(file),
            "no `{file}` in: {}",
            self.stderr
        );
    }

    pub fn ok(&self) {
        assert!(
            self.code == 0 || self.code == 1,
            "exit {}: {}",
            self.code,
            self.all()
        );
        assert!(!self.all().contains("panicked"), "{}", self.all());
    }
}

/// `sprout <args>` in `dir` with the address space bounded (and, optionally, the size of
/// any file it writes, in KiB).
pub fn run_in(dir: &Path, args: &[&str], file_kib: Option<u64>) -> Run {
    let limits = match file_kib {
        // A write past the limit fails with EFBIG rather than killing the process.
        Some(k) => format!("ulimit -v {MEMORY_KIB}; ulimit -f {}; trap '' XFSZ;", k * 2),
        None => format!("ulimit -v {MEMORY_KIB};"),
    };
    let out = Command::new("sh")
        .arg("-c")
        .arg(format!("{limits} exec \"$0\" \"$@\""))
        .arg(binary())
        .args(args)
        .current_dir(dir)
        .env("SOURCE_DATE_EPOCH", "1798761600")
        .output()
        .unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

pub fn validate(s: &Scenario) -> Run {
    run_in(
        s.dir.path(),
        &["validate", "--config", "programme.toml", "--out", "out"],
        None,
    )
}

pub fn report(s: &Scenario) -> Run {
    report_limited(s, None)
}

/// `report` of April to September 2025 (JSON and CSV), the size of what it writes
/// optionally bounded (KiB).
pub fn report_limited(s: &Scenario, file_kib: Option<u64>) -> Run {
    report_with(s, &["--format", "json", "--format", "csv"], file_kib)
}

/// `report` of April to September 2025 into `out/`, with `extra` arguments.
pub fn report_with(s: &Scenario, extra: &[&str], file_kib: Option<u64>) -> Run {
    let mut args = vec![
        "report",
        "--from",
        "2025-04-01",
        "--to",
        "2025-09-30",
        "--config",
        "programme.toml",
        "--out",
        "out",
    ];
    args.extend_from_slice(extra);
    run_in(s.dir.path(), &args, file_kib)
}

/// The findings of the last run: the report's, or else `validate`'s.
pub fn findings(s: &Scenario) -> Vec<super::Row> {
    let report = s.path("out/2025-04-01_2025-09-30/data-quality.csv");
    if report.exists() {
        return super::read_findings(&report);
    }
    super::read_findings(&s.path("out/data-quality.csv"))
}

/// A successful report, then `break_it`, then a report that must fail: the first report's
/// folder is byte for byte as it was.
pub fn previous_report_survives(s: &Scenario, break_it: impl FnOnce(&Scenario)) -> Run {
    report(s).ok();
    let folder = s.path("out/2025-04-01_2025-09-30");
    let before = snapshot(&folder);
    assert!(!before.is_empty());
    break_it(s);
    let run = report(s);
    assert_ne!(run.code, 0, "the broken run succeeded: {}", run.all());
    assert_eq!(
        snapshot(&folder),
        before,
        "a failed run changed the reports"
    );
    run
}

/// `report` on a broken scenario, over a previous report folder: it must exit 2 naming
/// `file` and leave that folder byte for byte as it was.
pub fn report_refused_keeping_previous(s: &Scenario, file: &str) {
    let folder = s.path("out/2025-04-01_2025-09-30");
    std::fs::create_dir_all(folder.join("evaluator")).unwrap();
    std::fs::write(
        folder.join("evaluator/report.json"),
        "{\"previous\": true}\n",
    )
    .unwrap();
    let before = snapshot(&folder);
    report(s).fails_naming(2, file);
    assert_eq!(
        snapshot(&folder),
        before,
        "a failed run changed the previous reports"
    );
}

pub fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in entries {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(snapshot(&p));
        } else {
            out.push((p.clone(), std::fs::read(&p).unwrap()));
        }
    }
    out.sort();
    out
}

pub fn sessions_as(s: &Scenario, file: &str) {
    s.edit_config(
        "files = [\"sessions.csv\"]",
        &format!("files = [\"{file}\"]"),
    );
}

pub fn session_rows(s: &Scenario) -> u64 {
    let json: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(s.path("out/2025-04-01_2025-09-30/evaluator/report.json"))
            .unwrap(),
    )
    .unwrap();
    // Sessions in the period, whatever their outcome.
    let e = &json["engagement"]["period"];
    ["attended", "did_not_attend", "cancelled"]
        .iter()
        .map(|k| e[k]["value"].as_u64().unwrap_or(0))
        .sum()
}
