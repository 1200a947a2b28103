//! Write: puts outputs in place atomically, so a failed run never leaves a half-written
//! folder or replaces good reports.

pub mod manifest;

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Writes `contents` to `path` through a temporary file in the same folder and a rename.
pub fn write_file_atomic(path: &Path, contents: &[u8]) -> Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(dir).map_err(Error::io(format!("cannot create {}", dir.display())))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(contents)?;
        f.sync_all()?;
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result.map_err(Error::io(format!("cannot write {}", path.display())))
}

/// A folder being filled in a temporary location; [`StagedDir::commit`] moves it into
/// place, replacing any previous folder of the same name only at that moment.
///
/// One run at a time may write a folder: the staging area is taken under a lock on
/// `.{name}.lock` beside it, and a second run fails at once with a clear message rather
/// than removing the first one's work.
#[derive(Debug)]
pub struct StagedDir {
    staging: PathBuf,
    target: PathBuf,
    committed: bool,
    /// Held (locked) until the folder is committed or abandoned.
    _lock: fs::File,
}

impl StagedDir {
    pub fn new(target: &Path) -> Result<Self> {
        let parent = target
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        fs::create_dir_all(parent)
            .map_err(Error::io(format!("cannot create {}", parent.display())))?;
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "out".into());
        let lock_path = parent.join(format!(".{name}.lock"));
        let lock = fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(Error::io(format!("cannot create {}", lock_path.display())))?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) => {
                return Err(Error::Usage(format!(
                    "another sprout run is writing {} (it holds {}); wait for it to finish \
                     and run again",
                    target.display(),
                    lock_path.display()
                )));
            }
            Err(fs::TryLockError::Error(e)) => {
                return Err(Error::io(format!("cannot lock {}", lock_path.display()))(e));
            }
        }
        // Under the lock no other run is filling this folder: whatever it left is stale.
        recover(parent, &name, target);
        let staging = parent.join(format!(".{name}.partial-{}", std::process::id()));
        if staging.exists() {
            fs::remove_dir_all(&staging)
                .map_err(Error::io(format!("cannot clear {}", staging.display())))?;
        }
        fs::create_dir_all(&staging)
            .map_err(Error::io(format!("cannot create {}", staging.display())))?;
        Ok(Self {
            staging,
            target: target.to_path_buf(),
            committed: false,
            _lock: lock,
        })
    }

    /// Where to write a file of the folder, e.g. `tables/flow.csv`.
    pub fn path(&self, relative: &str) -> PathBuf {
        self.staging.join(relative)
    }

    pub fn write(&self, relative: &str, contents: &[u8]) -> Result<()> {
        let path = self.path(relative);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)
                .map_err(Error::io(format!("cannot create {}", parent.display())))?;
        }
        fs::write(&path, contents).map_err(Error::io(format!("cannot write {}", path.display())))
    }

    /// Refuses to replace a folder holding files the staged one does not: the reports of
    /// an earlier run of more audiences or formats, or a file someone put there, would be
    /// lost without a word. `also` are files written beside those `expected` lists; a file
    /// the folder's manifest lists as written by an earlier run, which this run would
    /// write again were its data the same (`rewritten`: a chart of a measure that now has
    /// no data), may go.
    pub fn refuse_to_shrink(
        &self,
        expected: &[manifest::HashedFile],
        also: &[&str],
        rewritten: impl Fn(&str) -> bool,
    ) -> Result<()> {
        let mut held = Vec::new();
        files_under(&self.target, &self.target, &mut held);
        let earlier = manifest::listed_outputs(&self.target.join("manifest.json"));
        let lost: Vec<String> = held
            .into_iter()
            .filter(|f| !also.contains(&f.as_str()) && !expected.iter().any(|e| e.path == *f))
            .filter(|f| !(earlier.contains(f) && rewritten(f)))
            .collect();
        if lost.is_empty() {
            return Ok(());
        }
        const SHOWN: usize = 4;
        let mut list = lost
            .iter()
            .take(SHOWN)
            .map(|f| crate::privacy::clip(f, 80))
            .collect::<Vec<_>>()
            .join(", ");
        if lost.len() > SHOWN {
            list.push_str(&format!(" and {} more", lost.len() - SHOWN));
        }
        Err(Error::Usage(format!(
            "{} holds {} file{} this run would not write ({list}), which replacing the folder \
             would lose; nothing was changed. Run with the same audiences and formats as \
             before, give --replace to replace the folder, or write to another --out",
            self.target.display(),
            lost.len(),
            if lost.len() == 1 { "" } else { "s" },
        )))
    }

    /// Checks that every file the manifest lists is in the staged folder with its size
    /// and hash, then swaps the folder into place; a folder that lost or changed a file
    /// since it was written replaces nothing.
    pub fn commit_checked(self, expected: &[manifest::HashedFile]) -> Result<PathBuf> {
        for f in expected {
            let path = self.path(&f.path);
            let ok = fs::read(&path).is_ok_and(|bytes| {
                bytes.len() as u64 == f.bytes && crate::hash::sha256_hex(&bytes) == f.sha256
            });
            if !ok {
                return Err(Error::io(format!(
                    "the reports being written lost {} before they were put in place; \
                     nothing in {} was replaced",
                    f.path,
                    self.target.display()
                ))(std::io::Error::other(
                    "missing or changed",
                )));
            }
        }
        self.commit()
    }

    /// Swaps the finished folder into place.
    pub fn commit(mut self) -> Result<PathBuf> {
        let old = self.target.with_file_name(format!(
            ".{}.old-{}",
            self.target
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            std::process::id()
        ));
        let had_old = self.target.exists();
        if had_old {
            fs::rename(&self.target, &old).map_err(Error::io(format!(
                "cannot replace {}",
                self.target.display()
            )))?;
        }
        if let Err(e) = fs::rename(&self.staging, &self.target) {
            if had_old {
                let _ = fs::rename(&old, &self.target);
            }
            return Err(Error::io(format!(
                "cannot move reports into {}",
                self.target.display()
            ))(e));
        }
        if had_old {
            remove_any(&old);
        }
        self.committed = true;
        Ok(self.target.clone())
    }
}

/// Tidies up after a run that was killed: a previous folder moved aside but never replaced
/// is put back, and abandoned partial folders are removed.
fn recover(parent: &Path, name: &str, target: &Path) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    let mut stale: Vec<PathBuf> = entries.filter_map(|e| e.ok()).map(|e| e.path()).collect();
    stale.sort();
    for path in stale {
        let file = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if file.starts_with(&format!(".{name}.old-")) {
            if target.exists() {
                remove_any(&path);
            } else {
                let _ = fs::rename(&path, target);
            }
        } else if file.starts_with(&format!(".{name}.partial-")) {
            let _ = fs::remove_dir_all(&path);
        }
    }
}

/// Every file under `dir`, as `/`-separated paths relative to `root`, in order. A file
/// where the folder was expected is listed by its name.
fn files_under(root: &Path, dir: &Path, out: &mut Vec<String>) {
    if dir.is_file() {
        out.push(format!(
            "{} (a file where the folder goes)",
            dir.file_name()
                .map(|n| n.to_string_lossy())
                .unwrap_or_default()
        ));
        return;
    }
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok()).map(|e| e.path()).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            files_under(root, &p, out);
        } else if let Ok(rel) = p.strip_prefix(root) {
            out.push(rel.to_string_lossy().replace('\\', "/"));
        }
    }
}

/// Removes a folder, or a file where a folder was expected.
fn remove_any(path: &Path) {
    if path.is_dir() {
        let _ = fs::remove_dir_all(path);
    } else {
        let _ = fs::remove_file(path);
    }
}

impl Drop for StagedDir {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.staging);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staged_dir_replaces_only_on_commit() {
        let root = std::env::temp_dir().join(format!("sprout-staged-{}", std::process::id()));
        let target = root.join("2026-27-Q2");
        fs::create_dir_all(&target).expect("mkdir");
        fs::write(target.join("old.txt"), "old").expect("write");
        {
            let staged = StagedDir::new(&target).expect("stage");
            staged.write("new.txt", b"new").expect("write");
            // dropped without commit: the old folder stays
        }
        assert!(target.join("old.txt").exists());
        let staged = StagedDir::new(&target).expect("stage");
        staged.write("tables/a.csv", b"x").expect("write");
        staged.commit().expect("commit");
        assert!(!target.join("old.txt").exists());
        assert!(target.join("tables/a.csv").exists());
        let leftovers: Vec<_> = fs::read_dir(&root)
            .expect("read")
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().starts_with('.'))
            .filter(|e| !e.file_name().to_string_lossy().ends_with(".lock"))
            .collect();
        assert!(leftovers.is_empty());
        let _ = fs::remove_dir_all(&root);
    }

    #[test]
    fn a_staged_folder_that_lost_a_file_replaces_nothing() {
        let root = std::env::temp_dir().join(format!("sprout-verify-{}", std::process::id()));
        let target = root.join("2026-27-Q2");
        fs::create_dir_all(&target).expect("mkdir");
        fs::write(target.join("old.txt"), "old").expect("write");
        let staged = StagedDir::new(&target).expect("stage");
        staged.write("report.json", b"{}").expect("write");
        staged.write("tables/a.csv", b"x").expect("write");
        let listed = |path: &str, bytes: &[u8]| manifest::HashedFile {
            path: path.to_owned(),
            bytes: bytes.len() as u64,
            sha256: crate::hash::sha256_hex(bytes),
        };
        let expected = [listed("report.json", b"{}"), listed("tables/a.csv", b"x")];
        // Something removes a file from the staging folder before the swap.
        fs::remove_file(staged.path("tables/a.csv")).expect("remove");
        let err = staged.commit_checked(&expected).expect_err("must refuse");
        assert!(err.to_string().contains("tables/a.csv"), "{err}");
        assert!(
            target.join("old.txt").exists(),
            "the previous folder was replaced"
        );
        let staged = StagedDir::new(&target).expect("stage");
        staged.write("report.json", b"{}").expect("write");
        staged.write("tables/a.csv", b"changed").expect("write");
        assert!(
            staged.commit_checked(&expected).is_err(),
            "a changed file must refuse"
        );
        assert!(target.join("old.txt").exists());
        let _ = fs::remove_dir_all(&root);
    }

    #[test]
    fn a_run_killed_mid_swap_is_recovered() {
        let root = std::env::temp_dir().join(format!("sprout-recover-{}", std::process::id()));
        let target = root.join("2026-27-Q2");
        let old = root.join(".2026-27-Q2.old-99999");
        let partial = root.join(".2026-27-Q2.partial-99998");
        fs::create_dir_all(&old).expect("mkdir");
        fs::write(old.join("report.json"), "previous").expect("write");
        fs::create_dir_all(&partial).expect("mkdir");
        let staged = StagedDir::new(&target).expect("stage");
        assert_eq!(
            fs::read_to_string(target.join("report.json")).expect("restored"),
            "previous"
        );
        assert!(!partial.exists());
        drop(staged);
        let _ = fs::remove_dir_all(&root);
    }
}
