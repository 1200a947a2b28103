//! The order in which a clinical system's entries were made. An export lists them by date,
//! newest first or oldest first; entries of one day keep the order they were entered in
//! within that listing, so a later entry sits above an earlier one in a file listed newest
//! first and below it otherwise.

use std::collections::HashSet;

use sprout_ingest::RowRef;

/// How the files of some dated rows list them.
#[derive(Debug, Default)]
pub(crate) struct EntryOrder {
    newest_first: HashSet<u16>,
}

impl EntryOrder {
    /// Reads each file's listing from its rows' dates (as days, in any order): a file is
    /// newest first when more of its consecutive rows step back in time than forward.
    pub(crate) fn of(rows: impl Iterator<Item = (RowRef, i32)>) -> Self {
        let mut by_line: Vec<(RowRef, i32)> = rows.collect();
        by_line.sort_unstable();
        let mut steps: Vec<(u16, i64)> = Vec::new();
        for pair in by_line.windows(2) {
            let ((a, da), (b, db)) = (pair[0], pair[1]);
            if a.file != b.file || da == db {
                continue;
            }
            let step = if db < da { 1 } else { -1 };
            match steps.iter_mut().find(|(f, _)| *f == a.file) {
                Some((_, n)) => *n += step,
                None => steps.push((a.file, step)),
            }
        }
        Self {
            newest_first: steps
                .into_iter()
                .filter(|(_, n)| *n > 0)
                .map(|(f, _)| f)
                .collect(),
        }
    }

    /// A key that sorts the rows of a day in the order they were entered.
    pub(crate) fn entered(&self, r: RowRef) -> (u16, i64) {
        let line = i64::try_from(r.line).unwrap_or(i64::MAX);
        let line = if self.newest_first.contains(&r.file) {
            -line
        } else {
            line
        };
        (r.file, line)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_listed_newest_first_has_its_later_entries_higher_up() {
        let at = |file, line| RowRef { file, line };
        // File 0 newest first, file 1 oldest first.
        let order = EntryOrder::of(
            [
                (at(0, 2), 30),
                (at(0, 3), 20),
                (at(0, 4), 20),
                (at(0, 5), 10),
                (at(1, 2), 10),
                (at(1, 3), 20),
            ]
            .into_iter(),
        );
        assert!(order.entered(at(0, 3)) > order.entered(at(0, 4)));
        assert!(order.entered(at(1, 3)) > order.entered(at(1, 2)));
    }
}
