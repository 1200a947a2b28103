//! What may be shown of a value that came from the data. Findings, error messages and
//! report labels can echo export text; anything that looks like free text or personal
//! data is withheld.

mod names;
mod shapes;

use std::collections::HashSet;

use crate::vocab::normalise_label;

/// Text shown instead of values that identify a person.
pub const WITHHELD: &str = "[withheld]";

/// Text shown instead of a value that reads like free text.
pub const FREE_TEXT_WITHHELD: &str = "[free text withheld]";

/// Input text quoted in a message, cut to `max` characters with "..." so that a damaged
/// file's megabytes never reach the terminal. Control characters (terminal escapes, line
/// breaks) are shown as `\u{..}` escapes so they cannot forge output.
pub fn clip(s: &str, max: usize) -> String {
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i == max {
            out.push_str("...");
            break;
        }
        if c.is_control() {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    out
}

/// The text a finding may echo. Findings go into reports, so anything that looks like free
/// text or contains personal data (an NHS or phone number, an email address, a postcode,
/// a date that could be a date of birth, a person's name, anywhere in the value) is
/// withheld.
pub fn redact(s: &str) -> String {
    KnownLabels::default().show(s)
}

/// The text a finding about a value that should have been a number or a date may echo:
/// as [`redact`], and words without a digit ("refused, see notes") are free text, while
/// a number or date gone wrong ("approx 45", "31/02/2025") or one word ("n/a") is shown.
pub fn redact_unread(s: &str) -> String {
    let words = s.split_whitespace().count();
    if words > 1 && !s.chars().any(|c| c.is_ascii_digit()) {
        return FREE_TEXT_WITHHELD.to_owned();
    }
    redact(s)
}

/// Whether a value contains something that looks like personal data (see [`redact`]).
pub fn looks_personal(s: &str) -> bool {
    holds_identifier(s) || names::has_name(s, &|_| false)
}

/// Whether a value looks like a person's name, `known` saying which lower-case words are
/// words of labels (and so not names) beside the built-in ones.
pub fn looks_like_name(s: &str, known: &dyn Fn(&str) -> bool) -> bool {
    names::has_name(s, known)
}

/// Whether a value contains an identifier: an NHS or phone number, an email address, a
/// postcode, a date that could be a date of birth.
pub fn holds_identifier(s: &str) -> bool {
    shapes::has_identifier(s)
}

/// Words file, folder and sheet names are commonly made of, which are therefore not
/// names of people ("Referrals Export", "Waiting List Sessions").
const FILE_WORDS: &[&str] = &[
    "all",
    "activity",
    "appointments",
    "april",
    "archive",
    "assessment",
    "assessments",
    "august",
    "backup",
    "caseload",
    "client",
    "clients",
    "contacts",
    "copy",
    "current",
    "data",
    "december",
    "download",
    "downloads",
    "draft",
    "export",
    "exported",
    "exports",
    "extract",
    "february",
    "file",
    "final",
    "financial",
    "full",
    "january",
    "july",
    "june",
    "latest",
    "list",
    "march",
    "may",
    "medication",
    "medications",
    "meds",
    "month",
    "monthly",
    "new",
    "november",
    "october",
    "old",
    "outcomes",
    "patients",
    "programme",
    "quarter",
    "quarterly",
    "referral",
    "referrals",
    "report",
    "reports",
    "scores",
    "september",
    "session",
    "sessions",
    "sheet",
    "summary",
    "table",
    "tables",
    "tracker",
    "version",
    "waiting",
    "week",
    "weekly",
    "wellbeing",
    "year",
    "yearly",
];

/// A file path (relative, `/`-separated) as outputs may show it: each folder or file
/// name that looks like personal data (a name, an NHS number, a date of birth) is
/// replaced, the file's by `[file name withheld N]` (N telling the run's files apart)
/// and its extension kept. Files are named by the people who save them, sometimes after
/// the client ("J Smith 943 476 5919.csv").
pub fn path_shown(path: &str, n: usize) -> String {
    let parts: Vec<&str> = path.split(['/', '\\']).collect();
    let last = parts.len().saturating_sub(1);
    parts
        .iter()
        .enumerate()
        .map(|(i, part)| {
            let (stem, ext) = match part.rfind('.') {
                Some(dot) if i == last && dot > 0 => (&part[..dot], &part[dot..]),
                _ => (*part, ""),
            };
            if !name_looks_personal(stem) {
                (*part).to_owned()
            } else if i == last {
                format!("[file name withheld {n}]{ext}")
            } else {
                "[folder name withheld]".to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// A sheet name as outputs may show it (see [`path_shown`]).
pub fn sheet_shown(sheet: &str) -> String {
    if name_looks_personal(sheet) {
        "[sheet name withheld]".to_owned()
    } else {
        sheet.to_owned()
    }
}

/// Whether a file, folder or sheet name holds personal data: `_` and `.` read as spaces.
fn name_looks_personal(name: &str) -> bool {
    let spaced = name.replace(['_', '.'], " ");
    holds_identifier(&spaced) || names::has_name(&spaced, &|w| FILE_WORDS.contains(&w))
}

/// Whether a value reads like free text rather than a label.
pub fn looks_like_free_text(s: &str) -> bool {
    const MAX_CHARS: usize = 40;
    const MAX_WORDS: usize = 5;
    s.chars().count() > MAX_CHARS || s.split_whitespace().count() > MAX_WORDS
}

/// What a column of labels from the export may show: the labels the config lists are
/// shown as they are; any other value that contains an identifier or reads like free text
/// is withheld, and so is one that looks like a person's name unless the config opts in.
#[derive(Debug, Clone, Default)]
pub struct KnownLabels {
    /// Normalised labels the config lists.
    labels: HashSet<String>,
    /// Lower-case words of those labels, which are therefore not names.
    words: HashSet<String>,
    /// Show unlisted labels that look like names (identifiers are withheld whatever).
    show_names: bool,
}

impl KnownLabels {
    pub fn new<'a>(labels: impl IntoIterator<Item = &'a str>, show_names: bool) -> Self {
        let mut known = Self {
            show_names,
            ..Self::default()
        };
        for l in labels {
            known.labels.insert(normalise_label(l));
            known.words.extend(
                l.split(|c: char| !c.is_alphabetic())
                    .filter(|w| !w.is_empty())
                    .map(str::to_lowercase),
            );
        }
        known
    }

    /// The value as it may be shown.
    pub fn show(&self, s: &str) -> String {
        if !self.labels.is_empty() && self.labels.contains(&normalise_label(s)) {
            return s.to_owned();
        }
        if looks_like_free_text(s) {
            return FREE_TEXT_WITHHELD.to_owned();
        }
        let name = || !self.show_names && names::has_name(s, &|w| self.words.contains(w));
        if shapes::has_identifier(s) || name() {
            return WITHHELD.to_owned();
        }
        s.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn personal_data_and_free_text_are_withheld() {
        assert_eq!(redact("Face to face"), "Face to face");
        assert_eq!(redact("31/02/2026"), "31/02/2026");
        assert_eq!(redact("943 476 5919"), WITHHELD);
        assert_eq!(redact("07700 900123"), WITHHELD);
        assert_eq!(redact("jo@example.org"), WITHHELD);
        assert_eq!(redact("NE1 4LP"), WITHHELD);
        assert_eq!(
            redact("Felt much better after the walking group, husband says"),
            FREE_TEXT_WITHHELD
        );
        assert_eq!(redact("12"), "12");
        assert_eq!(redact("Mrs Jones"), WITHHELD);
        assert_eq!(redact("Dr. A. O'Neill"), WITHHELD);
        assert_eq!(redact("mr Smith-Jones"), WITHHELD);
        assert_eq!(redact("Mr Motivator class"), WITHHELD);
        assert_eq!(redact("Dr appointment"), "Dr appointment");
        assert_eq!(redact("Miss"), "Miss");
        assert_eq!(redact("Co-codamol 30/500"), "Co-codamol 30/500");
    }

    #[test]
    fn words_where_a_number_or_date_belongs_are_free_text() {
        assert_eq!(redact_unread("CANARYNOTE refused"), FREE_TEXT_WITHHELD);
        assert_eq!(redact_unread("not known"), FREE_TEXT_WITHHELD);
        assert_eq!(redact_unread("approx 45"), "approx 45");
        assert_eq!(redact_unread("n/a"), "n/a");
        assert_eq!(redact_unread("31/02/2025"), "31/02/2025");
        assert_eq!(redact_unread("02/01/1950"), WITHHELD);
    }

    #[test]
    fn identifiers_inside_a_label_are_withheld() {
        for s in [
            "Mrs Jones (daughter)",
            "Sarah Jones",
            "Ref 943 476 5919",
            "07700-900123",
            "+44 (0)7700 900123",
            "NE1 4LP flat 2",
            "02/01/1950",
            "jane@nhsnet",
        ] {
            assert_eq!(redact(s), WITHHELD, "{s}");
        }
    }

    #[test]
    fn file_and_sheet_names_with_personal_data_are_withheld() {
        assert_eq!(
            path_shown("sessions_2024-25.csv", 1),
            "sessions_2024-25.csv"
        );
        assert_eq!(
            path_shown("exports/Referrals Export.xlsx", 1),
            "exports/Referrals Export.xlsx"
        );
        assert_eq!(
            path_shown("exports/Waiting List Sessions Q2.csv", 1),
            "exports/Waiting List Sessions Q2.csv"
        );
        assert_eq!(
            path_shown("referrals - Copy (2).csv", 1),
            "referrals - Copy (2).csv"
        );
        assert_eq!(
            path_shown("exports/John Smith 943 476 5919.csv", 3),
            "exports/[file name withheld 3].csv"
        );
        assert_eq!(
            path_shown("Mrs_Jones_sessions.csv", 2),
            "[file name withheld 2].csv"
        );
        assert_eq!(
            path_shown("Jane Doe/sessions.csv", 1),
            "[folder name withheld]/sessions.csv"
        );
        assert_eq!(
            path_shown("dob 02.01.1950.csv", 1),
            "[file name withheld 1].csv"
        );
        assert_eq!(
            path_shown(
                "Waiting Well sessions export April to June 2025 final.csv",
                1
            ),
            "Waiting Well sessions export April to June 2025 final.csv"
        );
        assert_eq!(sheet_shown("Sessions"), "Sessions");
        assert_eq!(
            sheet_shown("Sarah Jones 9434765919"),
            "[sheet name withheld]"
        );
    }

    #[test]
    fn category_labels_stay() {
        for s in [
            "Self Referral",
            "Hip Replacement",
            "White British",
            "Pain Clinic",
            "Northumbria Healthcare",
            "Gateshead Health",
            "Newcastle upon Tyne Hospitals",
            "Orthopaedic waiting list team",
            "Social prescribing link (VCSE)",
            "Walking group",
            "GP",
            "LW02",
            "2025-05-09",
            "31/02/2025",
            "Oxycodon 5mg",
            "approx 45",
            "6 Month Follow-up",
            "Knee replacement",
        ] {
            assert_eq!(redact(s), s, "{s}");
        }
    }
}
