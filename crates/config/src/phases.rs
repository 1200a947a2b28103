//! Phase boundaries written as date rules: `start`, `start + 12w`, `surgery - 1d`, `previous`.

use std::fmt;

use serde::Serialize;

/// A date that a rule counts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Anchor {
    Referral,
    Start,
    Surgery,
    Discharge,
    /// Where the previous phase ends.
    Previous,
}

impl Anchor {
    const NAMES: [(&'static str, Anchor); 5] = [
        ("referral", Anchor::Referral),
        ("start", Anchor::Start),
        ("surgery", Anchor::Surgery),
        ("discharge", Anchor::Discharge),
        ("previous", Anchor::Previous),
    ];

    pub fn name(self) -> &'static str {
        Self::NAMES
            .iter()
            .find(|(_, a)| *a == self)
            .map_or("?", |(n, _)| n)
    }
}

/// `anchor + offset_days`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DateRule {
    pub anchor: Anchor,
    pub offset_days: i32,
}

impl fmt::Display for DateRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.anchor.name())?;
        match self.offset_days {
            0 => Ok(()),
            d if d % 7 == 0 => write!(f, " {} {}w", if d < 0 { '-' } else { '+' }, d.abs() / 7),
            d => write!(f, " {} {}d", if d < 0 { '-' } else { '+' }, d.abs()),
        }
    }
}

impl DateRule {
    /// Parses `anchor [+|- N(d|w)]`.
    pub fn parse(text: &str) -> Result<Self, String> {
        let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        let lower = compact.to_ascii_lowercase();
        let split = lower.find(['+', '-']).unwrap_or(lower.len());
        let (name, rest) = lower.split_at(split);
        let anchor = Anchor::NAMES
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, a)| *a)
            .ok_or_else(|| {
                let names: Vec<&str> = Anchor::NAMES.iter().map(|(n, _)| *n).collect();
                let hint = crate::did_you_mean(name, names.iter().copied())
                    .map(|s| format!(" (did you mean `{s}`?)"))
                    .unwrap_or_default();
                format!("`{text}` must start with one of {}{hint}", names.join(", "))
            })?;
        if rest.is_empty() {
            return Ok(Self {
                anchor,
                offset_days: 0,
            });
        }
        let (sign, amount) = rest.split_at(1);
        let (number, unit) = amount.split_at(
            amount
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(amount.len()),
        );
        let n: i32 = number
            .parse()
            .map_err(|_| format!("`{text}`: expected a number of days or weeks after `{sign}`"))?;
        // Phases last weeks or months; ten years is a typo, not a rule.
        const MAX_DAYS: i32 = 3650;
        let days = match unit {
            "d" | "day" | "days" => n,
            "w" | "wk" | "wks" | "week" | "weeks" => n.saturating_mul(7),
            _ => {
                return Err(format!(
                    "`{text}`: the offset needs a unit, `d` (days) or `w` (weeks)"
                ));
            }
        };
        if days > MAX_DAYS {
            return Err(format!(
                "`{text}`: offsets longer than {MAX_DAYS} days (about ten years) are not supported"
            ));
        }
        Ok(Self {
            anchor,
            offset_days: if sign == "-" { -days } else { days },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_rules() {
        assert_eq!(
            DateRule::parse("start"),
            Ok(DateRule {
                anchor: Anchor::Start,
                offset_days: 0
            })
        );
        assert_eq!(
            DateRule::parse("start + 12w"),
            Ok(DateRule {
                anchor: Anchor::Start,
                offset_days: 84
            })
        );
        assert_eq!(
            DateRule::parse("Surgery - 3 days"),
            Ok(DateRule {
                anchor: Anchor::Surgery,
                offset_days: -3
            })
        );
        assert_eq!(
            DateRule::parse("start + 12w").map(|r| r.to_string()),
            Ok("start + 12w".to_string())
        );
        assert!(DateRule::parse("strat").is_err_and(|e| e.contains("did you mean `start`")));
        assert!(DateRule::parse("start + 12").is_err());
        assert!(DateRule::parse("start + w").is_err());
        assert!(DateRule::parse("start + 999999999w").is_err());
        assert!(DateRule::parse("start + 99999999d").is_err());
    }
}
