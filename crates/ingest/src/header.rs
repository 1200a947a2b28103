//! Matches an export's header row against the columns a table wants.

use super::{IngestError, MissingColumn};
use sprout_core::vocab::normalise_label;

/// A column the validator wants: a canonical field, a wide-layout measure or an item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WantedColumn {
    /// Canonical name, e.g. `referral_date`, `swemwbs`, `swemwbs.3`.
    pub key: String,
    /// Export headers to look for, in order; the key itself is tried last.
    pub headers: Vec<String>,
    pub required: bool,
    /// A client identifier or a date of birth: its values are never echoed in findings.
    pub identifying: bool,
}

/// The header positions of the wanted columns in one file.
#[derive(Debug, Clone)]
pub struct HeaderMatch {
    pub index: Vec<Option<usize>>,
    pub headers: Vec<Option<String>>,
    pub unused: Vec<String>,
}

/// How many non-blank rows may come before the header: a report title, the date of the
/// export, filter settings and the like, which many systems write above the table.
pub const HEADER_SEARCH_ROWS: usize = 10;

/// Looks for the header among a file's first non-blank rows: the first row that has every
/// required column is the header, and rows above it are not data.
#[derive(Debug, Default)]
pub struct HeaderSearch {
    tried: usize,
    nearest_error: Option<IngestError>,
    /// The rows passed over, by line, to find those that look like data.
    passed: Vec<(u64, Vec<String>)>,
}

impl HeaderSearch {
    /// Tries one non-blank row, at `line`: `Some` when it is the header, `None` to go on
    /// to the next row, an error when no row within [`HEADER_SEARCH_ROWS`] is a header:
    /// that of the row nearest to one (fewest required columns missing, the first of
    /// equals), which names what is missing. A header that maps a field to two columns is
    /// an error at once.
    pub fn try_row(
        &mut self,
        file: &str,
        location: &str,
        line: u64,
        row: &[String],
        wanted: &[WantedColumn],
    ) -> Result<Option<HeaderMatch>, IngestError> {
        match match_header(file, location, row, wanted) {
            Ok(m) => Ok(Some(m)),
            Err(e @ IngestError::AmbiguousColumn { .. }) => Err(e),
            Err(e) => {
                self.tried += 1;
                self.passed.push((line, row.to_vec()));
                // Keep the row closest to a header: the one missing fewest columns.
                let missing = |e: &IngestError| match e {
                    IngestError::MissingColumns { missing, .. } => missing.len(),
                    _ => usize::MAX,
                };
                if self
                    .nearest_error
                    .as_ref()
                    .is_none_or(|f| missing(&e) < missing(f))
                {
                    self.nearest_error = Some(e);
                }
                match (&self.nearest_error, self.tried >= HEADER_SEARCH_ROWS) {
                    (Some(best), true) => Err(best.clone()),
                    _ => Ok(None),
                }
            }
        }
    }

    /// The file ended during the search: the error of the row nearest to a header, or
    /// `empty` when there was no row at all.
    pub fn ended(self, empty: IngestError) -> IngestError {
        self.nearest_error.unwrap_or(empty)
    }

    /// Each data-like row passed over before the header (`found`: the header row, its
    /// match and its line) to `sink`, counted as read and marked as above the header,
    /// with no cells: its columns are not known.
    pub fn send_data_above(
        &self,
        found: (&[String], &HeaderMatch, u64),
        wanted: &[WantedColumn],
        file: &mut super::SourceFile,
        id: u16,
        sink: &mut dyn FnMut(super::SourceRow<'_>),
    ) {
        let (header, matched, header_line) = found;
        let blank = vec![""; matched.index.len()];
        for line in self.data_above(header, matched, wanted) {
            file.rows += 1;
            sink(super::SourceRow {
                at: super::RowRef { file: id, line },
                cells: &blank,
                broken: Some(super::Broken::AboveHeader {
                    header: header_line,
                }),
                formulas: &[],
                row_hash: 0,
            });
        }
    }

    /// The lines of rows passed over before the header that look like data rather than a
    /// title, an export date or filter settings: under the header they would fill every
    /// required column, and they fill at least three columns and half the header's. They
    /// are reported rather than read, since their columns are not known.
    fn data_above(
        &self,
        header: &[String],
        matched: &HeaderMatch,
        wanted: &[WantedColumn],
    ) -> Vec<u64> {
        let filled = |row: &[String]| row.iter().filter(|c| !c.trim().is_empty()).count();
        let header_filled = filled(header);
        self.passed
            .iter()
            .filter(|(_, row)| {
                let n = filled(row);
                let required_filled = wanted.iter().zip(&matched.index).all(|(w, i)| {
                    !w.required
                        || i.and_then(|i| row.get(i))
                            .is_some_and(|c| !c.trim().is_empty())
                });
                required_filled && n >= 3 && n * 2 >= header_filled
            })
            .map(|(line, _)| *line)
            .collect()
    }
}

/// Finds each wanted column: an exact header first, then one equal after normalising case,
/// spacing and punctuation. Fails naming every missing required column, or a field that
/// two columns of the header would give (a header written `Attendance #2` picks the
/// second column of that name).
pub fn match_header(
    file: &str,
    location: &str,
    header: &[String],
    wanted: &[WantedColumn],
) -> Result<HeaderMatch, IngestError> {
    let cleaned: Vec<String> = header
        .iter()
        .map(|h| h.trim().trim_start_matches('\u{feff}').to_owned())
        .collect();
    let normalised: Vec<String> = cleaned.iter().map(|h| normalise_label(h)).collect();
    let mut used = vec![false; cleaned.len()];
    let mut index = Vec::with_capacity(wanted.len());
    let mut missing = Vec::new();
    let mut ambiguous = None;
    for w in wanted {
        let candidates: Vec<&str> = w
            .headers
            .iter()
            .map(String::as_str)
            .chain(std::iter::once(w.key.as_str()))
            .collect();
        // Every column with a candidate's header, exactly, then after normalising.
        let exact = |c: &str| -> Vec<usize> {
            (0..cleaned.len())
                .filter(|&i| cleaned[i] == c.trim())
                .collect()
        };
        let loose = |c: &str| -> Vec<usize> {
            let n = normalise_label(c);
            (0..normalised.len())
                .filter(|&i| !n.is_empty() && normalised[i] == n)
                .collect()
        };
        let pick = |find: &dyn Fn(&str) -> Vec<usize>| {
            candidates.iter().find_map(|c| {
                let hits = find(c);
                if !hits.is_empty() {
                    return Some((c.to_string(), hits));
                }
                // `Name #2`: the second column headed `Name`.
                let (base, nth) = c.rsplit_once(" #")?;
                let nth: usize = nth.trim().parse().ok()?;
                let hits = find(base);
                let at = *hits.get(nth.checked_sub(1)?)?;
                Some((c.to_string(), vec![at]))
            })
        };
        let found = pick(&exact).or_else(|| pick(&loose));
        if let Some((candidate, hits)) = &found {
            if hits.len() > 1 && ambiguous.is_none() {
                ambiguous = Some(IngestError::AmbiguousColumn {
                    file: file.to_owned(),
                    location: location.to_owned(),
                    which: Box::new(super::Ambiguity {
                        field: w.key.clone(),
                        header: sprout_core::privacy::redact(candidate),
                        columns: hits.iter().map(|i| i + 1).collect(),
                    }),
                });
            }
            used[hits[0]] = true;
        } else if w.required {
            missing.push(MissingColumn {
                field: w.key.clone(),
                tried: w
                    .headers
                    .iter()
                    .chain(std::iter::once(&w.key))
                    .cloned()
                    .collect(),
            });
        }
        index.push(found.map(|(_, hits)| hits[0]));
    }
    if !missing.is_empty() {
        return Err(missing_columns(file, location, &cleaned, missing));
    }
    if let Some(e) = ambiguous {
        return Err(e);
    }
    let headers = index
        .iter()
        .map(|i| i.map(|i| cleaned[i].clone()))
        .collect();
    let unused = cleaned
        .iter()
        .zip(&used)
        .filter(|(h, u)| !**u && !h.is_empty())
        .map(|(h, _)| h.clone())
        .collect();
    Ok(HeaderMatch {
        index,
        headers,
        unused,
    })
}

/// The error for a header lacking required columns: what it has, or, where the first row
/// looks like data, only how many values it holds.
fn missing_columns(
    file: &str,
    location: &str,
    cleaned: &[String],
    missing: Vec<MissingColumn>,
) -> IngestError {
    // A file without a header row would print its first client's details here.
    let looks_like_data = looks_like_data(cleaned);
    let hint = if looks_like_data {
        Some(
            "The first row looks like data rather than a header: is the header row missing?"
                .to_owned(),
        )
    } else {
        delimiter_hint(cleaned)
    };
    let found = if looks_like_data {
        vec![format!("{} values withheld", cleaned.len())]
    } else {
        cleaned
            .iter()
            .map(|h| sprout_core::privacy::redact(h))
            .collect()
    };
    IngestError::MissingColumns {
        file: file.to_owned(),
        location: location.to_owned(),
        missing,
        hint,
        found,
    }
}

/// Headers are words; a first row of dates and numbers is data.
fn looks_like_data(header: &[String]) -> bool {
    let filled: Vec<&String> = header.iter().filter(|h| !h.is_empty()).collect();
    let data_like = filled
        .iter()
        .filter(|h| {
            let digits = h.chars().filter(char::is_ascii_digit).count();
            digits * 2 >= h.chars().filter(|c| !c.is_whitespace()).count() && digits > 0
        })
        .count();
    !filled.is_empty() && data_like * 3 >= filled.len()
}

/// A one-column header holding separators suggests the wrong delimiter.
fn delimiter_hint(header: &[String]) -> Option<String> {
    if header.len() != 1 {
        return None;
    }
    let h = &header[0];
    [
        (',', "comma"),
        (';', "semicolon"),
        ('\t', "tab"),
        ('|', "pipe (|)"),
    ]
    .iter()
    .find(|(c, _)| h.contains(*c))
    .map(|(_, name)| {
        format!("The header looks {name}-separated: check `delimiter` for this table in the config")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn want(key: &str, headers: &[&str], required: bool) -> WantedColumn {
        WantedColumn {
            key: key.into(),
            headers: headers.iter().map(|s| (*s).into()).collect(),
            required,
            identifying: false,
        }
    }

    #[test]
    fn exact_then_normalised_then_key() {
        let header: Vec<String> = [
            "\u{feff}Client Ref",
            "DATE REFERRED",
            "referral_source",
            "Notes",
        ]
        .map(String::from)
        .to_vec();
        let m = match_header(
            "r.csv",
            "line 1",
            &header,
            &[
                want("client_id", &["Client Ref"], true),
                want("referral_date", &["Date referred"], true),
                want("referral_source", &[], false),
                want("sex", &["Gender"], false),
            ],
        )
        .expect("matched");
        assert_eq!(m.index, vec![Some(0), Some(1), Some(2), None]);
        assert_eq!(m.unused, vec!["Notes".to_string()]);
    }

    #[test]
    fn a_missing_header_row_is_not_echoed() {
        let header: Vec<String> = [
            "C1",
            "01/04/2025",
            "08/04/2025",
            "John Smith",
            "943 476 5919",
        ]
        .map(String::from)
        .to_vec();
        let err = match_header(
            "r.csv",
            "line 1",
            &header,
            &[want("client_id", &["Client ID"], true)],
        )
        .expect_err("missing");
        let text = err.to_string();
        assert!(
            text.contains("looks like data")
                && !text.contains("John Smith")
                && !text.contains("943"),
            "{text}"
        );
    }

    #[test]
    fn missing_required_names_all_and_hints_delimiter() {
        let header = vec!["Client Ref;Date Referred".to_string()];
        let err = match_header(
            "r.csv",
            "line 1",
            &header,
            &[
                want("client_id", &["Client Ref"], true),
                want("referral_date", &["Date Referred"], true),
            ],
        )
        .expect_err("missing");
        let text = err.to_string();
        assert!(
            text.contains("client_id") && text.contains("referral_date"),
            "{text}"
        );
        assert!(text.contains("semicolon-separated"), "{text}");
    }
}
