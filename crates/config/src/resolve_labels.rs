//! Builds the label maps: built-in vocabularies, the programme's timepoints, phases and
//! measures, and the config's `[labels.*]` tables.

use std::collections::{BTreeMap, HashMap};

use super::error::{ErrorContext, did_you_mean};
use super::names::Result;
use super::schema::RawConfig;
use super::*;
use sprout_core::vocab::{LabelMap, Vocabulary};

/// Built-in aliases for common timepoint ids, used when the programme uses those ids.
const TIMEPOINT_ALIASES: &[(&str, &[&str])] = &[
    (
        "baseline",
        &[
            "initial",
            "initial assessment",
            "first assessment",
            "start",
            "entry",
            "pre",
            "t0",
            "assessment 1",
            "week 0",
        ],
    ),
    (
        "review",
        &[
            "mid point",
            "midpoint",
            "mid",
            "interim",
            "progress review",
            "review assessment",
            "mid review",
        ],
    ),
    (
        "discharge",
        &[
            "final",
            "final assessment",
            "exit",
            "end",
            "closing",
            "post",
            "last",
            "end of support",
            "discharge assessment",
        ],
    ),
];

pub(super) fn resolve_labels(
    ctx: &ErrorContext,
    raw: &RawConfig,
    timepoints: &Timepoints,
    phases: &[Phase],
    measures: &[Measure],
) -> Result<BTreeMap<Vocabulary, LabelMap>> {
    let mut maps: BTreeMap<Vocabulary, LabelMap> = BTreeMap::new();
    for v in Vocabulary::ALL {
        let mut map = LabelMap::from_terms(v.terms());
        match v {
            Vocabulary::Timepoint => {
                for t in &timepoints.order {
                    let i = map.push_value(&t.id);
                    let _ = i;
                    let aliases: Vec<String> = std::iter::once(t.label.clone())
                        .chain(
                            TIMEPOINT_ALIASES
                                .iter()
                                .filter(|(id, _)| *id == t.id)
                                .flat_map(|(_, a)| a.iter().map(|s| (*s).to_owned())),
                        )
                        .collect();
                    let mut scratch = HashMap::new();
                    let _ = map.add_config_aliases(&t.id, &aliases, &mut scratch);
                }
            }
            Vocabulary::Phase => {
                for p in phases {
                    let mut scratch = HashMap::new();
                    let _ =
                        map.add_config_aliases(&p.id, std::slice::from_ref(&p.label), &mut scratch);
                }
            }
            Vocabulary::Measure => {
                for m in measures {
                    let mut scratch = HashMap::new();
                    let _ =
                        map.add_config_aliases(&m.id, std::slice::from_ref(&m.label), &mut scratch);
                    let _ = map.add_config_aliases(&m.id, &m.codes, &mut scratch);
                    for item in 1..=m.item_count() {
                        map.push_value(&format!("{}.{item}", m.id));
                    }
                }
            }
            _ => {}
        }
        maps.insert(v, map);
    }

    let vocab_names: Vec<&str> = Vocabulary::ALL.iter().map(|v| v.name()).collect();
    for (field, entries) in &raw.labels {
        let name = field.get_ref().as_str();
        let Some(vocab) = Vocabulary::from_name(name) else {
            return Err(ctx
                .at(
                    &field.span(),
                    format!("labels.{name}"),
                    "not a field with labels",
                )
                .with_suggestion(did_you_mean(name, vocab_names.iter().copied())));
        };
        let Some(map) = maps.get_mut(&vocab) else {
            continue;
        };
        let known: Vec<String> = map.values().to_vec();
        let mut claimed = HashMap::new();
        for (value, aliases) in entries {
            let id = value.get_ref().as_str();
            if !known.iter().any(|k| k == id) {
                let what = match vocab {
                    Vocabulary::Timepoint => "not a timepoint in [timepoints] order".to_owned(),
                    Vocabulary::Phase => "not a configured phase".to_owned(),
                    Vocabulary::Measure => {
                        "not a configured measure (or item, written `measure.N`)".to_owned()
                    }
                    _ => format!("not a {name} value (one of: {})", known.join(", ")),
                };
                return Err(ctx
                    .at(&value.span(), format!("labels.{name}.{id}"), what)
                    .with_suggestion(did_you_mean(id, known.iter().map(String::as_str))));
            }
            map.add_config_aliases(id, &aliases.0, &mut claimed)
                .map_err(|clash| {
                    ctx.at(
                        &value.span(),
                        format!("labels.{name}.{id}"),
                        format!(
                            "label `{}` is given to both `{}` and `{}`",
                            clash.label, clash.first, clash.second
                        ),
                    )
                })?;
        }
    }
    Ok(maps)
}
