//! Numbers as every message and report writes them, for the stages before rendering as
//! much as for the reports.

/// `12,345`.
pub fn int(n: u64) -> String {
    group_thousands(&n.to_string())
}

/// Digits grouped in threes with commas: `1234567` as `1,234,567`.
pub fn group_thousands(digits: &str) -> String {
    let n = digits.len();
    let mut out = String::with_capacity(n + n / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (n - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
