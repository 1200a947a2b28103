//! What may be shown of a value that came from the data. Findings, error messages and
//! report labels can echo export text; anything that looks like free text or personal
//! data is withheld.

/// Text shown instead of values that identify a person.
pub const WITHHELD: &str = "[withheld]";

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
/// text or personal data (a sentence, an NHS number, a phone number, an email address or a
/// postcode typed into the wrong column) is withheld.
pub fn redact(s: &str) -> String {
    const MAX_CHARS: usize = 40;
    const MAX_WORDS: usize = 5;
    if s.chars().count() > MAX_CHARS || s.split_whitespace().count() > MAX_WORDS {
        return "[free text withheld]".to_owned();
    }
    if looks_personal(s) {
        return WITHHELD.to_owned();
    }
    s.to_owned()
}

fn looks_personal(s: &str) -> bool {
    let digits: String = s.chars().filter(char::is_ascii_digit).collect();
    let only_digits_and_spacing = s
        .chars()
        .all(|c| c.is_ascii_digit() || c == ' ' || c == '-' || c == '+');
    let nhs_number = only_digits_and_spacing && digits.len() == 10 && nhs_check_digit_ok(&digits);
    let phone = only_digits_and_spacing && (10..=13).contains(&digits.len()) && !s.contains('-');
    let email = s.contains('@') && s.contains('.');
    nhs_number || phone || email || is_postcode(s) || is_addressed_name(s)
}

/// "Mrs Jones", "Dr. A Patel": a name with a title, typed where a label belongs.
fn is_addressed_name(s: &str) -> bool {
    const TITLES: &[&str] = &["mr", "mrs", "ms", "miss", "mx", "dr", "prof", "rev", "sir"];
    let mut words = s.split_whitespace();
    let (Some(first), Some(second)) = (words.next(), words.next()) else {
        return false;
    };
    let title = first.trim_end_matches('.').to_ascii_lowercase();
    TITLES.contains(&title.as_str())
        && second.chars().next().is_some_and(char::is_uppercase)
        && s.split_whitespace().skip(1).all(|w| {
            w.chars()
                .all(|c| c.is_alphabetic() || matches!(c, '-' | '\'' | '.' | '’'))
        })
}

/// NHS numbers carry a modulus-11 check digit.
fn nhs_check_digit_ok(d: &str) -> bool {
    let v: Vec<u32> = d.bytes().map(|b| u32::from(b - b'0')).collect();
    let sum: u32 = v[..9]
        .iter()
        .enumerate()
        .map(|(i, x)| x * (10 - i as u32))
        .sum();
    let check = (11 - sum % 11) % 11;
    check != 10 && check == v[9]
}

fn is_postcode(s: &str) -> bool {
    let compact: Vec<char> = s
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if !(5..=7).contains(&compact.len()) {
        return false;
    }
    let (outward, inward) = compact.split_at(compact.len() - 3);
    let inward_ok = inward[0].is_ascii_digit()
        && inward[1].is_ascii_alphabetic()
        && inward[2].is_ascii_alphabetic();
    let outward_ok = outward.first().is_some_and(char::is_ascii_alphabetic)
        && outward.iter().any(char::is_ascii_digit)
        && outward.iter().all(char::is_ascii_alphanumeric);
    inward_ok && outward_ok
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
            "[free text withheld]"
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
}
