//! `sprout list`: the vocabulary a config is written in — built-in measures, the
//! canonical values of each label category, and each table's fields.

use std::fmt::Write as _;

use crate::error::Result;
use crate::exit;
use crate::instruments::{Direction, Measure, Registry};
use crate::tables::{FieldKind, TableKind};
use crate::vocab::Vocabulary;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub what: What,
}

#[derive(Debug, Clone, Copy, clap::Subcommand)]
pub enum What {
    /// Built-in measures: id, scale, direction, meaningful change, reliability, item
    /// scoring and the other ids a config may use.
    Measures,
    /// Each label category's canonical values and the export labels sprout already knows.
    Labels,
    /// Each table's canonical fields, which are required, and what they hold.
    Fields,
}

pub fn run(args: &Args) -> Result<u8> {
    let text = match args.what {
        What::Measures => measures(),
        What::Labels => labels(),
        What::Fields => fields(),
    };
    super::io::emit(&text);
    Ok(exit::SUCCESS)
}

fn number(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{x:.0}")
    } else {
        format!("{x}")
    }
}

fn scale(m: &Measure) -> String {
    let kind = if m.integer { "whole" } else { "any" };
    format!("{}-{} {kind}", number(m.min), number(m.max))
}

/// The built-in measures, one block per instrument.
pub fn measures() -> String {
    let registry = Registry::builtin();
    let mut out = String::from(
        "Built-in measures. Use the id under [[measures]] (id = \"...\"); an instrument id or\n\
         alias adds all of its measures. Custom measures need label, min, max, integer and\n\
         better = \"higher\" | \"lower\".\n",
    );
    for instrument in registry.instruments() {
        let _ = write!(out, "\n{}  {}", instrument.id, instrument.label);
        if !instrument.aliases.is_empty() {
            let _ = write!(out, "  (also: {})", instrument.aliases.join(", "));
        }
        out.push('\n');
        for m in &instrument.measures {
            let better = match m.direction {
                Direction::HigherIsBetter => "higher is better",
                Direction::LowerIsBetter => "lower is better",
            };
            let _ = writeln!(out, "  {:<28} {}", m.id, m.label);
            let mcid = m.mcid.map_or("none".to_owned(), number);
            let reliability = m.reliability.map_or("none".to_owned(), |r| format!("{r}"));
            let _ = writeln!(
                out,
                "  {:<28} scale {}; {better}; meaningful change {mcid}; reliability {reliability}",
                "",
                scale(m),
            );
            if let Some(scoring) = &m.scoring
                && scoring.items.len() > 1
            {
                let _ = writeln!(
                    out,
                    "  {:<28} from {} item columns: {}",
                    "",
                    scoring.items.len(),
                    scoring.describe()
                );
            }
        }
    }
    out
}

/// Each label category: canonical values with their built-in synonyms.
pub fn labels() -> String {
    let mut out = String::from(
        "Label categories. Export labels are matched case- and punctuation-insensitively; map\n\
         any other label under [labels.<category>], e.g. [labels.status] dna = [\"No show\"].\n",
    );
    for vocab in Vocabulary::ALL {
        let _ = writeln!(out, "\n[labels.{}]", vocab.name());
        let terms = vocab.terms();
        if terms.is_empty() {
            let from = match vocab {
                Vocabulary::Timepoint => "the ids in [timepoints] order",
                Vocabulary::Phase => "the ids of the [[phases]]",
                _ => "the ids of the [[measures]]",
            };
            let _ = writeln!(
                out,
                "  values: {from}; map the export's labels to them here"
            );
            continue;
        }
        for t in terms {
            let _ = write!(out, "  {:<22} {}", t.id, t.label);
            if !t.aliases.is_empty() {
                let _ = write!(out, "  (knows: {})", t.aliases.join(", "));
            }
            out.push('\n');
        }
    }
    out
}

/// Each table's canonical fields.
pub fn fields() -> String {
    let mut out = String::from(
        "Canonical fields. Map an export header to each under [tables.<table>.columns],\n\
         e.g. client_id = \"Client Ref\"; fields marked * are required.\n",
    );
    for table in TableKind::ALL {
        let _ = writeln!(out, "\n[tables.{}.columns]", table.name());
        for f in table.fields() {
            let kind = match f.kind {
                FieldKind::ClientId => "identifier (never shown)".to_owned(),
                FieldKind::Date => "date".to_owned(),
                FieldKind::PersonalDate => "date (never shown)".to_owned(),
                FieldKind::Number => "number".to_owned(),
                FieldKind::Category(v) => format!("label, see [labels.{}]", v.name()),
                FieldKind::Code => "text code".to_owned(),
            };
            let star = if f.required { "*" } else { " " };
            let name = format!("{}{star}", f.name);
            let _ = writeln!(out, "  {name:<20} {kind:<38} {}", f.about);
        }
        if table == TableKind::Referrals {
            out.push_str("  (plus any cohort column a [[cohorts]] entry names)\n");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_measure_and_alias_is_listed() {
        let text = measures();
        let registry = Registry::builtin();
        for instrument in registry.instruments() {
            assert!(text.contains(&instrument.id));
            for a in &instrument.aliases {
                assert!(text.contains(a.as_str()), "{a}");
            }
            for m in &instrument.measures {
                assert!(text.contains(&format!("  {}", m.id)), "{}", m.id);
            }
        }
        assert!(text.contains("wemwbs"));
        assert!(text.contains("mean of at least 4 of 7 items"));
    }

    #[test]
    fn every_label_category_and_field_is_listed() {
        let text = labels();
        for v in Vocabulary::ALL {
            assert!(text.contains(&format!("[labels.{}]", v.name())));
            for t in v.terms() {
                assert!(text.contains(t.id), "{}", t.id);
            }
        }
        let text = fields();
        for t in TableKind::ALL {
            for f in t.fields() {
                assert!(text.contains(f.name), "{}", f.name);
            }
        }
        assert!(text.contains("client_id* "));
    }
}
