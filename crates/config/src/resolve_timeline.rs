//! Checks `[timepoints]` and `[[phases]]`.

use std::collections::HashSet;

use toml::Spanned;

use super::error::{ErrorContext, did_you_mean};
use super::names::{Result, is_identifier, title_case};
use super::schema;
use super::*;

/// The most timepoints (and, separately, phases) a programme may have.
pub const MAX_TIMEPOINTS: usize = 12;

/// The order lists two to [`MAX_TIMEPOINTS`] timepoints, each an identifier and listed
/// once, and every display name is of one of them.
fn check_order(ctx: &ErrorContext, raw: &schema::TimepointsSection) -> Result<()> {
    let ids = raw.order.get_ref();
    if ids.len() < 2 {
        return Err(ctx.at(
            &raw.order.span(),
            "timepoints.order",
            "list at least two timepoints, e.g. [\"baseline\", \"discharge\"]",
        ));
    }
    if ids.len() > MAX_TIMEPOINTS {
        return Err(ctx.at(
            &raw.order.span(),
            "timepoints.order",
            format!(
                "{} timepoints are listed; at most {MAX_TIMEPOINTS} can be compared",
                ids.len()
            ),
        ));
    }
    let mut seen = HashSet::new();
    for id in ids {
        if !is_identifier(id) {
            return Err(ctx.at(
                &raw.order.span(),
                "timepoints.order",
                format!("`{id}` must be lower-case letters, digits and _"),
            ));
        }
        if !seen.insert(id.as_str()) {
            return Err(ctx.at(
                &raw.order.span(),
                "timepoints.order",
                format!("`{id}` is listed twice"),
            ));
        }
    }
    for name in raw.names.keys() {
        if !seen.contains(name.get_ref().as_str()) {
            return Err(ctx
                .at(
                    &name.span(),
                    format!("timepoints.names.{}", name.get_ref()),
                    "not a timepoint in `order`",
                )
                .with_suggestion(did_you_mean(name.get_ref(), ids.iter().map(String::as_str))));
        }
    }
    Ok(())
}

pub(super) fn resolve_timepoints(
    ctx: &ErrorContext,
    raw: &schema::TimepointsSection,
) -> Result<Timepoints> {
    check_order(ctx, raw)?;
    let ids = raw.order.get_ref();
    let order: Vec<TimepointDef> = ids
        .iter()
        .map(|id| TimepointDef {
            id: id.clone(),
            label: raw
                .names
                .iter()
                .find(|(k, _)| k.get_ref() == id)
                .map_or_else(|| title_case(id), |(_, v)| v.clone()),
        })
        .collect();
    let comparison = |s: &Spanned<schema::SpanConfig>, key: &str| -> Result<Comparison> {
        let c = s.get_ref();
        let pos = |id: &str| {
            ids.iter()
                .position(|t| t == id)
                .and_then(TimepointIx::new)
                .ok_or_else(|| {
                    ctx.at(
                        &s.span(),
                        key,
                        format!("`{id}` is not a timepoint in `order`"),
                    )
                    .with_suggestion(did_you_mean(id, ids.iter().map(String::as_str)))
                })
        };
        let (from_ix, to_ix) = (pos(&c.from)?, pos(&c.to)?);
        if from_ix >= to_ix {
            return Err(ctx.at(
                &s.span(),
                key,
                format!("`{}` must come before `{}` in `order`", c.from, c.to),
            ));
        }
        let label_of = |id: &str| {
            order
                .iter()
                .find(|t| t.id == id)
                .map_or(id.to_owned(), |t| t.label.clone())
        };
        Ok(Comparison {
            from: c.from.clone(),
            to: c.to.clone(),
            from_ix,
            to_ix,
            label: c.label.clone().unwrap_or_else(|| {
                // Timepoint names keep the case the user wrote ("T0 - Baseline to T1").
                format!(
                    "{} to {}",
                    label_of(&c.from),
                    super::timepoint_in_text(&c.to, &label_of(&c.to))
                )
            }),
        })
    };
    let compare = match &raw.compare {
        Some(c) => comparison(c, "timepoints.compare")?,
        None => {
            let (from, to) = (&order[0], &order[order.len() - 1]);
            Comparison {
                from: from.id.clone(),
                to: to.id.clone(),
                from_ix: TimepointIx::from(0),
                to_ix: TimepointIx::new(order.len() - 1).ok_or_else(|| {
                    ctx.at(&(0..0), "timepoints.order", "lists too many timepoints")
                })?,
                label: format!(
                    "{} to {}",
                    from.label,
                    super::timepoint_in_text(&to.id, &to.label)
                ),
            }
        }
    };
    let spans = raw
        .spans
        .iter()
        .map(|s| comparison(s, "timepoints.spans"))
        .collect::<Result<_>>()?;
    let from_order = raw
        .from_order
        .as_ref()
        .map(|f| from_order(ctx, f, ids))
        .transpose()?;
    Ok(Timepoints {
        order,
        compare,
        spans,
        from_order,
    })
}

/// `[timepoints.from_order]`, its timepoints checked against `order`.
fn from_order(
    ctx: &ErrorContext,
    f: &Spanned<schema::FromOrderConfig>,
    ids: &[String],
) -> Result<FromOrder> {
    let key = "timepoints.from_order";
    let pos = |id: &str| {
        ids.iter()
            .position(|t| t == id)
            .and_then(TimepointIx::new)
            .ok_or_else(|| {
                ctx.at(
                    &f.span(),
                    key,
                    format!("`{id}` is not a timepoint in `order`"),
                )
                .with_suggestion(did_you_mean(id, ids.iter().map(String::as_str)))
            })
    };
    let c = f.get_ref();
    let (first, last) = (pos(&c.first)?, pos(&c.last)?);
    if first == last {
        return Err(ctx.at(
            &f.span(),
            key,
            "`first` and `last` must be different timepoints",
        ));
    }
    let nearest = c
        .nearest
        .iter()
        .map(|n| Ok((pos(&n.timepoint)?, n.days, n.within_days)))
        .collect::<Result<Vec<_>>>()?;
    if nearest.iter().any(|(t, _, _)| *t == first || *t == last) {
        return Err(ctx.at(
            &f.span(),
            key,
            "a `nearest` timepoint must differ from `first` and `last`",
        ));
    }
    Ok(FromOrder {
        first,
        last,
        last_min_days: c.last_min_days,
        nearest,
    })
}

pub(super) fn resolve_phases(
    ctx: &ErrorContext,
    raw: &[Spanned<schema::PhaseConfig>],
) -> Result<Vec<Phase>> {
    if let Some(past) = raw.get(MAX_TIMEPOINTS) {
        return Err(ctx.at(
            &past.span(),
            "phases",
            format!(
                "{} phases are configured; at most {MAX_TIMEPOINTS} can be reported",
                raw.len()
            ),
        ));
    }
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for (i, p) in raw.iter().enumerate() {
        let cfg = p.get_ref();
        if !is_identifier(&cfg.id) {
            return Err(ctx.at(
                &p.span(),
                "phases.id",
                format!("`{}` must be lower-case letters, digits and _", cfg.id),
            ));
        }
        if !seen.insert(cfg.id.clone()) {
            return Err(ctx.at(
                &p.span(),
                "phases.id",
                format!("phase `{}` is listed twice", cfg.id),
            ));
        }
        let rule = |s: &Spanned<String>, key: &str| {
            DateRule::parse(s.get_ref())
                .map_err(|e| ctx.at(&s.span(), format!("phases.{}.{key}", cfg.id), e))
        };
        let starts = rule(&cfg.starts, "starts")?;
        if i == 0 && starts.anchor == Anchor::Previous {
            return Err(ctx.at(
                &cfg.starts.span(),
                format!("phases.{}.starts", cfg.id),
                "the first phase cannot start at `previous`",
            ));
        }
        let ends = cfg.ends.as_ref().map(|e| rule(e, "ends")).transpose()?;
        if ends.is_some_and(|e| e.anchor == Anchor::Previous) {
            return Err(ctx.at(
                &p.span(),
                format!("phases.{}.ends", cfg.id),
                "a phase cannot end at `previous`",
            ));
        }
        out.push(Phase {
            id: cfg.id.clone(),
            label: cfg.label.clone().unwrap_or_else(|| title_case(&cfg.id)),
            starts,
            ends,
        });
    }
    Ok(out)
}
