//! Drug names and units as written in exports, reduced to stable keys.

use super::Route;

/// Words that describe the dose form or release but not the product: dropped from keys,
/// so "Co-codamol 30/500 tablets" and "co-codamol 30/500" are one product.
const NOISE: &[&str] = &[
    "tablet",
    "tablets",
    "tab",
    "tabs",
    "capsule",
    "capsules",
    "cap",
    "caps",
    "caplet",
    "caplets",
    "film",
    "coated",
    "fc",
    "effervescent",
    "soluble",
    "dispersible",
    "modified",
    "prolonged",
    "extended",
    "immediate",
    "release",
    "mr",
    "sr",
    "xl",
    "cr",
    "pr",
    "ir",
    "la",
    "and",
    "with",
];

/// Salt names: "oxycodone hydrochloride" is oxycodone.
const SALTS: &[&str] = &[
    "hydrochloride",
    "hcl",
    "phosphate",
    "sulfate",
    "sulphate",
    "tartrate",
    "bitartrate",
    "citrate",
];

/// Words that name the route or form; they become a route hint when looking a name up.
const ROUTE_WORDS: &[(&str, Route)] = &[
    ("patch", Route::Transdermal),
    ("transdermal", Route::Transdermal),
    ("sublingual", Route::Sublingual),
    ("oral", Route::Oral),
];

/// Other words that say nothing about the product.
const FORM_WORDS: &[&str] = &["solution", "liquid", "suspension", "drops"];

/// The dictionary key of a drug name as written in an export.
///
/// Lower-cases; drops punctuation, hyphens and dose-form words (tablets, capsules, MR, ...);
/// spells units one way (`mg`, `mcg`, `mcg/h`); and writes strengths without spaces:
/// "Co-Codamol 30/500mg", "co codamol 30mg/500mg tablets" and "CO-CODAMOL 30 / 500" all
/// give `co codamol 30/500`; "Fentanyl 25 micrograms/hour" gives `fentanyl 25mcg/h`.
pub fn normalise_drug_name(raw: &str) -> String {
    tokens(raw).join(" ")
}

/// A strength written in a drug name.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum NameStrength {
    Mg(f64),
    Mcg(f64),
    McgPerHour(f64),
    /// "30/500": opioid mg / paracetamol mg of a combination product.
    Ratio(f64, f64),
    /// mg per ml of a liquid ("Oramorph 10mg/5ml" = 2).
    MgPerMl(f64),
    /// A number with no unit ("BuTrans 10").
    Bare(f64),
}

/// A normalised name split for lookup.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ParsedName {
    /// Name words without salts, strengths and route words: "co codamol".
    pub words: String,
    /// Name words plus the strength tokens as written: "co codamol 30/500".
    pub with_strength: String,
    pub strength: Option<NameStrength>,
    pub route: Option<Route>,
}

pub(crate) fn parse_name(key: &str) -> ParsedName {
    let mut words = Vec::new();
    let mut with_strength = Vec::new();
    let mut strength = None;
    let mut route = None;
    for token in key.split(' ').filter(|t| !t.is_empty()) {
        if token.starts_with(|c: char| c.is_ascii_digit()) {
            // A strength, or a number we cannot read (kept in the key, never a name word).
            if let Some(s) = parse_strength(token) {
                strength.get_or_insert(s);
            }
            with_strength.push(token);
        } else if let Some((_, r)) = ROUTE_WORDS.iter().find(|(w, _)| *w == token) {
            route.get_or_insert(*r);
        } else if !SALTS.contains(&token) && !FORM_WORDS.contains(&token) {
            words.push(token);
            with_strength.push(token);
        }
    }
    ParsedName {
        words: words.join(" "),
        with_strength: with_strength.join(" "),
        strength,
        route,
    }
}

fn parse_strength(token: &str) -> Option<NameStrength> {
    let number = |s: &str| s.parse::<f64>().ok().filter(|v| v.is_finite());
    if let Some((a, b)) = token.split_once('/') {
        if let Some(rate) = a.strip_suffix("mcg").filter(|_| b == "h") {
            return number(rate).map(NameStrength::McgPerHour);
        }
        if let (Some(mg), Some(ml)) = (a.strip_suffix("mg"), b.strip_suffix("ml")) {
            let (mg, ml) = (number(mg)?, number(ml)?);
            return (ml > 0.0).then(|| NameStrength::MgPerMl(mg / ml));
        }
        return Some(NameStrength::Ratio(number(a)?, number(b)?));
    }
    if let Some(mg) = token.strip_suffix("mg") {
        return number(mg).map(NameStrength::Mg);
    }
    if let Some(mcg) = token.strip_suffix("mcg") {
        return number(mcg).map(NameStrength::Mcg);
    }
    number(token).map(NameStrength::Bare)
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Num(f64),
    Word(String),
    Slash,
}

fn tokens(raw: &str) -> Vec<String> {
    let lowered = raw.to_lowercase().replace(['µ', 'μ'], "u");
    // Abbreviations written with a slash that are not ratios.
    let mut text = format!(" {lowered} ");
    for (from, to) in [
        // "3-4 day" patches: the range would otherwise read as a strength.
        ("3-4-day", " "),
        ("3-4 day", " "),
        ("3-4day", " "),
        ("3 to 4 day", " "),
        (" m/r ", " mr "),
        (" s/r ", " sr "),
        (" f/c ", " fc "),
        (" p/r ", " pr "),
    ] {
        text = text.replace(from, to);
    }
    let mut raw_tokens = Vec::new();
    let mut current = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || c == '.' {
            current.push(c);
            continue;
        }
        flush(&mut current, &mut raw_tokens);
        if c == '/' {
            raw_tokens.push(Token::Slash);
        }
    }
    flush(&mut current, &mut raw_tokens);
    assemble(&raw_tokens)
}

/// Turn one run of letters, digits and dots into tokens: "30mg" is a number and a unit.
fn flush(current: &mut String, out: &mut Vec<Token>) {
    let run = current.trim_matches('.').to_string();
    current.clear();
    if run.is_empty() {
        return;
    }
    let split = run
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(run.len());
    let (digits, letters) = run.split_at(split);
    match digits.parse::<f64>() {
        Ok(value) if value.is_finite() => {
            out.push(Token::Num(value));
            if !letters.is_empty() {
                out.push(word(letters));
            }
        }
        _ => out.push(word(&run)),
    }
}

fn word(text: &str) -> Token {
    let canonical = match text {
        "micrograms" | "microgram" | "mcgs" | "ug" => "mcg",
        "milligrams" | "milligram" | "mgs" => "mg",
        "hour" | "hours" | "hr" | "hrs" => "h",
        "patches" => "patch",
        "per" => return Token::Slash,
        other => other,
    };
    Token::Word(canonical.to_string())
}

fn number_text(value: f64) -> String {
    format!("{value}")
}

/// Join numbers with their units and ratios, drop noise words.
fn assemble(tokens: &[Token]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    let unit_at = |i: usize| match tokens.get(i) {
        Some(Token::Word(w)) if matches!(w.as_str(), "mg" | "mcg" | "g" | "ml") => Some(w.clone()),
        _ => None,
    };
    while let Some(token) = tokens.get(i) {
        match token {
            Token::Num(a) => {
                // Wear time of a patch ("7 day", "3-4 day", "72 hour"): not a strength.
                if let Some(Token::Word(w)) = tokens.get(i + 1)
                    && matches!(w.as_str(), "day" | "days" | "h")
                {
                    i += 2;
                    continue;
                }
                let mut j = i + 1;
                let unit_a = unit_at(j);
                if unit_a.is_some() {
                    j += 1;
                }
                let a_text = number_text(*a);
                // Rate: 25 mcg / h.
                if unit_a.as_deref() == Some("mcg")
                    && tokens.get(j) == Some(&Token::Slash)
                    && tokens.get(j + 1) == Some(&Token::Word("h".to_string()))
                {
                    out.push(format!("{a_text}mcg/h"));
                    i = j + 2;
                    continue;
                }
                // Ratio: 30 [mg] / 500 [mg].
                if tokens.get(j) == Some(&Token::Slash)
                    && let Some(Token::Num(b)) = tokens.get(j + 1)
                {
                    let unit_b = unit_at(j + 2);
                    let b_text = number_text(*b);
                    let plain = |u: &Option<String>| u.as_deref().is_none_or(|u| u == "mg");
                    if plain(&unit_a) && plain(&unit_b) {
                        out.push(format!("{a_text}/{b_text}"));
                    } else {
                        let ua = unit_a.clone().unwrap_or_default();
                        let ub = unit_b.clone().unwrap_or_default();
                        out.push(format!("{a_text}{ua}/{b_text}{ub}"));
                    }
                    i = j + 2 + usize::from(unit_b.is_some());
                    continue;
                }
                out.push(format!("{a_text}{}", unit_a.unwrap_or_default()));
                i = j;
            }
            Token::Word(w) => {
                if !NOISE.contains(&w.as_str()) && out.last() != Some(w) {
                    out.push(w.clone());
                }
                i += 1;
            }
            Token::Slash => i += 1,
        }
    }
    out
}

/// A dose unit as written in the `unit` column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DoseUnit {
    Mg,
    Mcg,
    /// Tablets, capsules: dose = count per day x strength per unit.
    Units,
    /// Patch rate in micrograms per hour.
    McgPerHour,
    /// Number of patches worn at once: rate = count x patch strength.
    Patches,
    /// Millilitres of a liquid: dose = ml x the concentration in the name.
    Ml,
}

/// Read the `unit` column. Case, spaces, dots and a trailing "per day" are ignored.
pub(crate) fn parse_unit(raw: &str) -> Option<DoseUnit> {
    let mut unit: String = raw
        .to_lowercase()
        .replace(['µ', 'μ'], "u")
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '.')
        .collect();
    for suffix in ["/day", "perday", "/24h", "daily", "aday", "/d"] {
        if let Some(stripped) = unit.strip_suffix(suffix) {
            unit = stripped.to_string();
        }
    }
    let unit = unit.replace("per", "/");
    let rate = |u: &str| {
        let (amount, time) = u.split_once('/')?;
        let amount_ok = matches!(amount, "mcg" | "micrograms" | "microgram" | "ug" | "mcgs");
        let time_ok = matches!(time, "h" | "hr" | "hrs" | "hour" | "hours");
        (amount_ok && time_ok).then_some(DoseUnit::McgPerHour)
    };
    match unit.as_str() {
        "mg" | "mgs" | "milligram" | "milligrams" => Some(DoseUnit::Mg),
        "mcg" | "mcgs" | "ug" | "microgram" | "micrograms" => Some(DoseUnit::Mcg),
        "tablet" | "tablets" | "tab" | "tabs" | "capsule" | "capsules" | "cap" | "caps"
        | "caplet" | "caplets" | "tabs/caps" | "tablet(s)" | "capsule(s)" => Some(DoseUnit::Units),
        "patch" | "patches" | "patch(es)" => Some(DoseUnit::Patches),
        "ml" | "mls" | "millilitre" | "millilitres" | "milliliter" | "milliliters" => {
            Some(DoseUnit::Ml)
        }
        other => rate(other),
    }
}

/// Read the optional `route` column.
pub(crate) fn parse_route(raw: &str) -> Option<Route> {
    let route = raw.trim().to_lowercase();
    match route.as_str() {
        "oral" | "po" | "by mouth" | "mouth" | "orally" => Some(Route::Oral),
        "sublingual" | "sl" | "buccal" | "under the tongue" => Some(Route::Sublingual),
        "transdermal" | "td" | "patch" | "topical" | "skin" => Some(Route::Transdermal),
        _ => None,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn co_codamol_spellings_share_one_key() {
        for name in [
            "Co-Codamol 30/500mg",
            "co codamol 30mg/500mg tablets",
            "CO-CODAMOL 30 / 500",
            "  Co-codamol   30mg / 500mg  Tabs. ",
            "co-codamol 30 mg/500 mg caplets",
        ] {
            assert_eq!(normalise_drug_name(name), "co codamol 30/500", "{name}");
        }
    }

    #[test]
    fn units_are_spelled_one_way() {
        assert_eq!(
            normalise_drug_name("Fentanyl 25 micrograms/hour"),
            "fentanyl 25mcg/h"
        );
        assert_eq!(
            normalise_drug_name("fentanyl 25mcg/hr patches"),
            "fentanyl 25mcg/h patch"
        );
        assert_eq!(normalise_drug_name("Fentanyl 12 µg/h"), "fentanyl 12mcg/h");
        assert_eq!(
            normalise_drug_name("BuTrans 5 microgram per hour"),
            "butrans 5mcg/h"
        );
        assert_eq!(
            normalise_drug_name("Buprenorphine 52.5 micrograms/hour"),
            "buprenorphine 52.5mcg/h"
        );
        assert_eq!(
            normalise_drug_name("Oxycodone HCl 10 MG M/R"),
            "oxycodone hcl 10mg"
        );
        assert_eq!(
            normalise_drug_name("Temgesic 200 micrograms"),
            "temgesic 200mcg"
        );
        assert_eq!(
            normalise_drug_name("Oramorph 10mg/5ml"),
            "oramorph 10mg/5ml"
        );
        assert_eq!(normalise_drug_name("DF118 Forte"), "df118 forte");
        assert_eq!(
            normalise_drug_name("BuTrans 10 7-day patch"),
            "butrans 10 patch"
        );
        assert_eq!(
            normalise_drug_name("Transtec 35 3-4 day patch"),
            "transtec 35 patch"
        );
        assert_eq!(
            normalise_drug_name("Fentanyl 72 hour patch"),
            "fentanyl patch"
        );
        assert_eq!(
            normalise_drug_name("co-codamol 12.80/500"),
            "co codamol 12.8/500"
        );
        assert_eq!(normalise_drug_name(""), "");
        assert_eq!(normalise_drug_name("/// -- ..."), "");
    }

    #[test]
    fn names_parse_into_words_strength_and_route() {
        let parsed = parse_name(&normalise_drug_name("Oxycodone hydrochloride 10mg"));
        assert_eq!(parsed.words, "oxycodone");
        assert_eq!(parsed.strength, Some(NameStrength::Mg(10.0)));
        let parsed = parse_name(&normalise_drug_name("Fentanyl 25 micrograms/hour patch"));
        assert_eq!(parsed.strength, Some(NameStrength::McgPerHour(25.0)));
        assert_eq!(parsed.route, Some(Route::Transdermal));
        let parsed = parse_name(&normalise_drug_name("co-codamol 30/500"));
        assert_eq!(parsed.with_strength, "co codamol 30/500");
        assert_eq!(parsed.strength, Some(NameStrength::Ratio(30.0, 500.0)));
        let parsed = parse_name(&normalise_drug_name("BuTrans 10"));
        assert_eq!(parsed.strength, Some(NameStrength::Bare(10.0)));
        assert_eq!(parse_strength("200mcg"), Some(NameStrength::Mcg(200.0)));
        assert_eq!(parse_strength("10mg/5ml"), Some(NameStrength::MgPerMl(2.0)));
        assert_eq!(parse_strength("10mg/0ml"), None);
        let parsed = parse_name(&normalise_drug_name("Oramorph 10mg/5ml oral solution"));
        assert_eq!(parsed.words, "oramorph");
        assert_eq!(parsed.route, Some(Route::Oral));
    }

    #[test]
    fn unit_spellings() {
        for (raw, unit) in [
            ("mg", DoseUnit::Mg),
            ("MG", DoseUnit::Mg),
            ("mg/day", DoseUnit::Mg),
            ("milligrams", DoseUnit::Mg),
            ("mcg", DoseUnit::Mcg),
            ("micrograms", DoseUnit::Mcg),
            ("tablets", DoseUnit::Units),
            ("Tabs", DoseUnit::Units),
            ("capsules", DoseUnit::Units),
            ("caps per day", DoseUnit::Units),
            ("mcg/h", DoseUnit::McgPerHour),
            ("micrograms/hour", DoseUnit::McgPerHour),
            ("microgram/hr", DoseUnit::McgPerHour),
            ("µg/h", DoseUnit::McgPerHour),
            ("mcg per hour", DoseUnit::McgPerHour),
            ("patches", DoseUnit::Patches),
        ] {
            assert_eq!(parse_unit(raw), Some(unit), "{raw}");
        }
        assert_eq!(parse_unit("ml"), Some(DoseUnit::Ml));
        for raw in ["", "g", "mcg/day/h", "puffs", "mg/h"] {
            assert_eq!(parse_unit(raw), None, "{raw}");
        }
    }

    #[test]
    fn route_spellings() {
        assert_eq!(parse_route("Oral"), Some(Route::Oral));
        assert_eq!(parse_route("PO"), Some(Route::Oral));
        assert_eq!(parse_route("SL"), Some(Route::Sublingual));
        assert_eq!(parse_route("transdermal"), Some(Route::Transdermal));
        assert_eq!(parse_route("intravenous"), None);
    }
}
