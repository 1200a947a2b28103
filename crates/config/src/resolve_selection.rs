//! Checks that tables sharing a file choose their rows consistently: a table reading a file
//! that another takes rows from by `where` needs a `where` too (it would read the other
//! tables' rows as its own), and a code the config maps under `[labels.*]` for a column that
//! `where` chooses by must be one the `where` takes (else its rows are left out unseen).
//! Timepoints come from one source: a timepoint column or the order of the scores.

use toml::Spanned;

use super::error::ErrorContext;
use super::names::Result;
use super::schema::{RawConfig, TableConfig};
use super::*;

pub(super) fn check(
    ctx: &ErrorContext,
    raw: &RawConfig,
    tables: &Tables,
    timepoints: &Timepoints,
) -> Result<()> {
    let t = &raw.tables;
    let configs: Vec<(&TableSpec, &Spanned<TableConfig>)> = [
        Some((&tables.referrals, &t.referrals)),
        tables.sessions.as_ref().zip(t.sessions.as_ref()),
        tables.assessments.as_ref().zip(t.assessments.as_ref()),
        tables.medications.as_ref().zip(t.medications.as_ref()),
        tables.people.as_ref().zip(t.people.as_ref()),
    ]
    .into_iter()
    .flatten()
    .collect();
    for (spec, cfg) in &configs {
        if spec.kind != TableKind::Referrals && cfg.get_ref().baseline_grace_days.is_some() {
            return Err(ctx
                .at(
                    &cfg.span(),
                    format!("tables.{}.baseline_grace_days", spec.kind.name()),
                    "the grace period belongs to the referrals built from events",
                )
                .with_help("move it under [tables.referrals] (with layout = \"events\")"));
        }
        unselected_share(ctx, spec, cfg, &configs)?;
        labels_outside_where(ctx, raw, spec)?;
    }
    if let (Some(_), Some(a)) = (&timepoints.from_order, &tables.assessments)
        && a.headers_for("timepoint").is_some()
    {
        let span = t.assessments.as_ref().map_or(0..0, Spanned::span);
        return Err(ctx
            .at(
                &span,
                "tables.assessments.columns.timepoint",
                "timepoints come from a timepoint column or from the order of the scores \
                 ([timepoints.from_order]), not both",
            )
            .with_help("remove one of the two"));
    }
    Ok(())
}

/// A table without `where` reading a file that another table reads with one.
fn unselected_share(
    ctx: &ErrorContext,
    spec: &TableSpec,
    cfg: &Spanned<TableConfig>,
    all: &[(&TableSpec, &Spanned<TableConfig>)],
) -> Result<()> {
    if spec.select.is_some() {
        return Ok(());
    }
    for (other, _) in all.iter().filter(|(o, _)| o.select.is_some()) {
        if let Some(file) = spec.files.iter().find(|f| other.files.contains(f)) {
            return Err(ctx
                .at(
                    &cfg.span(),
                    format!("tables.{}.where", spec.kind.name()),
                    format!(
                        "`{file}` is shared with [tables.{}], which takes only some of its rows \
                         (`where`): this table would read the other tables' rows as its own",
                        other.kind.name()
                    ),
                )
                .with_help(format!(
                    "give [tables.{}] a `where` choosing its own rows",
                    spec.kind.name()
                )));
        }
    }
    Ok(())
}

/// The label vocabularies whose values a table reads from a column, by field.
fn labelled_fields(kind: TableKind) -> &'static [(&'static str, &'static str)] {
    match kind {
        TableKind::Referrals => &[
            ("event", "event"),
            ("discharge_reason", "discharge_reason"),
            ("referral_source", "referral_source"),
        ],
        TableKind::Sessions => &[("status", "status"), ("contact_mode", "contact_mode")],
        TableKind::Assessments => &[("measure", "measure"), ("timepoint", "timepoint")],
        TableKind::Medications => &[("route", "route"), ("timepoint", "timepoint")],
        TableKind::People => &[("sex", "sex"), ("ethnicity", "ethnicity")],
    }
}

/// A label the config maps for a column that `where` chooses by, which `where` does not take.
fn labels_outside_where(ctx: &ErrorContext, raw: &RawConfig, spec: &TableSpec) -> Result<()> {
    let Some(select) = &spec.select else {
        return Ok(());
    };
    let same_column = |field: &str| {
        spec.headers_for(field).is_some_and(|h| {
            h.iter().any(|h| {
                select
                    .column
                    .iter()
                    .any(|c| c.trim().eq_ignore_ascii_case(h.trim()))
            })
        })
    };
    for (field, vocabulary) in labelled_fields(spec.kind) {
        if !same_column(field) {
            continue;
        }
        let Some((name, entries)) = raw.labels.iter().find(|(k, _)| k.get_ref() == vocabulary)
        else {
            continue;
        };
        for (value, aliases) in entries {
            if let Some(missed) = aliases.0.iter().find(|a| !select.selects(a)) {
                return Err(ctx
                    .at(
                        &value.span(),
                        format!("labels.{}.{}", name.get_ref(), value.get_ref()),
                        format!(
                            "`{missed}` is not taken by the `where` of [tables.{}], so its rows \
                             would be left out as other entries",
                            spec.kind.name()
                        ),
                    )
                    .with_help(format!(
                        "add \"{missed}\" to `in` under [tables.{}] (or remove it here)",
                        spec.kind.name()
                    )));
            }
        }
    }
    Ok(())
}
