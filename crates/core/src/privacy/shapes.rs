//! Identifier shapes found anywhere inside a value: NHS and phone numbers, email
//! addresses, postcodes and dates that could be a date of birth.

/// Whether `s` contains something shaped like an identifier of a person.
pub fn has_identifier(s: &str) -> bool {
    long_number(s) || email(s) || postcode(s) || birth_date(s)
}

/// Ten or more digits written as one number, whatever the spacing: NHS numbers
/// ("943 476 5919") and phone numbers ("07700-900123", "+44 (0)7700 900123").
fn long_number(s: &str) -> bool {
    const MIN_DIGITS: usize = 10;
    let mut digits = 0;
    // Separators seen since the last digit; a number ends at anything else.
    let mut gap = 0;
    // A date and time ("2025-08-17 10:00") is not one number.
    for c in mask_dates(s).chars() {
        if c.is_ascii_digit() {
            digits += 1;
            gap = 0;
        } else if matches!(c, ' ' | '-' | '.' | '(' | ')' | '+' | '\u{a0}') && gap < 3 {
            gap += 1;
        } else {
            digits = 0;
            gap = 0;
        }
        if digits >= MIN_DIGITS {
            return true;
        }
    }
    false
}

/// `s` with every date written `yyyy-mm-dd` or `dd/mm/yyyy` (any of `-`, `/`, `.`)
/// replaced by a letter.
fn mask_dates(s: &str) -> String {
    let c: Vec<char> = s.chars().collect();
    let digits_at = |i: usize, min: usize, max: usize| -> usize {
        let n = c[i.min(c.len())..]
            .iter()
            .take_while(|x| x.is_ascii_digit())
            .count();
        if (min..=max).contains(&n) { n } else { 0 }
    };
    let sep = |i: usize| c.get(i).is_some_and(|x| matches!(x, '-' | '/' | '.'));
    let date_at = |i: usize| -> usize {
        if i > 0 && c[i - 1].is_ascii_digit() {
            return 0;
        }
        for (a, b, d) in [(4, 4, 2), (1, 2, 4)] {
            let n1 = digits_at(i, a, b);
            if n1 == 0 || !sep(i + n1) {
                continue;
            }
            let n2 = digits_at(i + n1 + 1, 1, 2);
            if n2 == 0 || !sep(i + n1 + 1 + n2) {
                continue;
            }
            let j = i + n1 + n2 + 2;
            let n3 = digits_at(j, if d == 4 { 4 } else { 1 }, d);
            if n3 > 0 {
                return j + n3 - i;
            }
        }
        0
    };
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < c.len() {
        match date_at(i) {
            0 => {
                out.push(c[i]);
                i += 1;
            }
            n => {
                out.push('D');
                i += n;
            }
        }
    }
    out
}

/// An `@` between two letters or digits: `jo@example.org`, `jane@nhsnet`.
fn email(s: &str) -> bool {
    let c: Vec<char> = s.chars().collect();
    (1..c.len().saturating_sub(1))
        .any(|i| c[i] == '@' && c[i - 1].is_alphanumeric() && c[i + 1].is_alphanumeric())
}

/// Words of `s` without the punctuation around them.
fn words(s: &str) -> Vec<String> {
    s.split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '(' | ')' | '[' | ']'))
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_uppercase)
        .collect()
}

/// A UK postcode anywhere in the value, with or without its space: "NE1 4LP flat 2".
fn postcode(s: &str) -> bool {
    let w = words(s);
    let single = w.iter().any(|x| {
        x.len() > 3 && x.is_char_boundary(x.len() - 3) && {
            let (out, inw) = x.split_at(x.len() - 3);
            outward(out) && inward(inw)
        }
    });
    single || w.windows(2).any(|p| outward(&p[0]) && inward(&p[1]))
}

/// A9, A99, AA9, AA99, A9A, AA9A.
fn outward(s: &str) -> bool {
    let b = s.as_bytes();
    if !(2..=4).contains(&b.len()) || !s.is_ascii() {
        return false;
    }
    let letters = b.iter().take_while(|c| c.is_ascii_alphabetic()).count();
    let rest = &b[letters..];
    let digits = rest.iter().take_while(|c| c.is_ascii_digit()).count();
    let tail = &rest[digits..];
    (1..=2).contains(&letters)
        && (1..=2).contains(&digits)
        && (tail.is_empty() || (tail.len() == 1 && digits == 1 && tail[0].is_ascii_alphabetic()))
}

/// 9AA.
fn inward(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 3
        && b[0].is_ascii_digit()
        && b[1].is_ascii_alphabetic()
        && b[2].is_ascii_alphabetic()
}

/// The last year of birth treated as a possible client's: dates up to then are withheld;
/// later ones are taken for the programme's own dates (referrals, sessions), which
/// findings quote so that they can be corrected.
const LAST_BIRTH_YEAR: u32 = 2010;

/// A date that could be a date of birth: day, month and a year up to
/// [`LAST_BIRTH_YEAR`] ("02/01/1950", "1950-01-02", "2 Jan 1950", "02/01/50").
fn birth_date(s: &str) -> bool {
    let tokens = date_tokens(s);
    tokens.windows(3).any(|t| match (&t[0], &t[1], &t[2]) {
        (Tok::Num(a, la), Tok::Num(b, _), Tok::Num(y, ly)) => {
            let day_month = (1..=31).contains(a) && (1..=31).contains(b);
            let year_last = day_month && *la <= 2 && old_year(*y, *ly);
            // yyyy-mm-dd
            let year_first = *la == 4 && *a <= LAST_BIRTH_YEAR && (1..=12).contains(b) && {
                let (d, l) = (*y, *ly);
                l <= 2 && (1..=31).contains(&d)
            };
            year_last || year_first
        }
        (Tok::Num(d, ld), Tok::Month, Tok::Num(y, ly)) => {
            *ld <= 2 && (1..=31).contains(d) && old_year(*y, *ly)
        }
        _ => false,
    })
}

fn old_year(y: u32, len: usize) -> bool {
    match len {
        4 => (1800..=LAST_BIRTH_YEAR).contains(&y),
        // Two-digit years from 30 read as 19xx.
        2 => y >= 30,
        _ => false,
    }
}

#[derive(Debug)]
enum Tok {
    /// A number and how many digits it was written with.
    Num(u32, usize),
    Month,
    Other,
}

/// Numbers and month names, in order; a date is three of them side by side, separated
/// by `/`, `-`, `.` or spaces.
fn date_tokens(s: &str) -> Vec<Tok> {
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let mut out = Vec::new();
    let mut chars = s.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_ascii_digit() {
            let mut n = String::new();
            while let Some(&d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                n.push(d);
                chars.next();
            }
            let len = n.len();
            out.push(n.parse().map_or(Tok::Other, |v| Tok::Num(v, len)));
        } else if c.is_alphabetic() {
            let mut w = String::new();
            while let Some(&d) = chars.peek().filter(|d| d.is_alphabetic()) {
                w.push(d.to_ascii_lowercase());
                chars.next();
            }
            // Ordinals: "2nd January".
            let is_suffix = matches!(w.as_str(), "st" | "nd" | "rd" | "th")
                && matches!(out.last(), Some(Tok::Num(..)));
            if !is_suffix {
                let month = w.len() >= 3 && MONTHS.iter().any(|m| w.starts_with(m));
                out.push(if month { Tok::Month } else { Tok::Other });
            }
        } else {
            chars.next();
            if !matches!(c, '/' | '-' | '.' | ' ' | ',') {
                out.push(Tok::Other);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_of_ten_digits_or_more_whatever_the_spacing() {
        assert!(long_number("Ref 943 476 5919"));
        assert!(long_number("9434765919"));
        assert!(long_number("07700-900123"));
        assert!(long_number("+44 (0)7700 900123"));
        assert!(long_number("tel. 0191 498 0000 (home)"));
        assert!(!long_number("Co-codamol 30/500"));
        assert!(!long_number("2025-05-09"));
        assert!(!long_number("2025-08-17 10:00:00"));
        assert!(!long_number("17/08/2025 10:00"));
        assert!(long_number("0191-498-0000"));
        assert!(!long_number("4000"));
        assert!(!long_number("12 x 500 / 30"));
    }

    #[test]
    fn emails_with_or_without_a_dot() {
        assert!(email("jane@nhsnet"));
        assert!(email("write to jo@example.org please"));
        assert!(!email("Support @ home"));
        assert!(!email("@"));
    }

    #[test]
    fn postcodes_anywhere() {
        for s in [
            "NE1 4LP flat 2",
            "ne14lp",
            "Flat 2, SW1A 1AA",
            "M1 1AE",
            "B33 8TH",
        ] {
            assert!(postcode(s), "{s}");
        }
        for s in ["LW02", "Oxycodon 5mg", "6 Month Follow-up", "B12", "Ward 3"] {
            assert!(!postcode(s), "{s}");
        }
    }

    #[test]
    fn dates_that_could_be_a_birth_date() {
        for s in [
            "02/01/1950",
            "DOB 2.1.1950",
            "1950-01-02",
            "2 Jan 1950",
            "2nd January 1950",
            "02/01/50",
        ] {
            assert!(birth_date(s), "{s}");
        }
        for s in [
            "31/02/2025",
            "2025-05-09",
            "12/04/26",
            "Co-codamol 30/500",
            "1950",
        ] {
            assert!(!birth_date(s), "{s}");
        }
    }
}
