//! Checks the `[tables.*]` sections: files, format options and header mappings.

use std::collections::BTreeMap;

use toml::Spanned;

use super::error::{ErrorContext, did_you_mean};
use super::names::{Result, date_formats};
use super::schema::{Aliases, TableConfig, TimepointColumns};
use super::*;
use sprout_tables::{
    PER_CLIENT_ASSESSMENT_FIELDS, REFERRAL_EVENT_FIELDS, TableKind, WIDE_ASSESSMENT_FIELDS,
};

pub(super) fn resolve_table(
    ctx: &ErrorContext,
    kind: TableKind,
    cfg: &Spanned<TableConfig>,
    default_formats: &[DateFormat],
    cohort_columns: &[&str],
    measures: &[Measure],
    timepoint_ids: &[String],
) -> Result<TableSpec> {
    let name = kind.name();
    let key = |k: &str| format!("tables.{name}.{k}");
    let t = cfg.get_ref();
    let files = t.files.get_ref().0.clone();
    if files.is_empty() || files.iter().any(|f| f.trim().is_empty()) {
        return Err(ctx.at(
            &t.files.span(),
            key("files"),
            "list the export file(s) for this table",
        ));
    }
    let delimiter = delimiter(ctx, t, &key)?;
    let encoding = encoding(ctx, t, &key)?;
    let layout = layout(ctx, t, kind, &key)?;
    let date_formats = match &t.date_formats {
        Some(f) => date_formats(ctx, f, &key("date_formats"))?,
        None => default_formats.to_vec(),
    };

    let fields = match (kind, layout) {
        (TableKind::Assessments, Layout::Wide) => WIDE_ASSESSMENT_FIELDS,
        (TableKind::Assessments, Layout::PerClient) => PER_CLIENT_ASSESSMENT_FIELDS,
        (TableKind::Referrals, Layout::Events) => REFERRAL_EVENT_FIELDS,
        _ => kind.fields(),
    };
    let mut allowed: Vec<&str> = fields.iter().map(|f| f.name).collect();
    let cohorts_here = matches!(
        (kind, layout),
        (TableKind::Referrals, Layout::Long) | (TableKind::People, _)
    );
    if cohorts_here {
        allowed.extend(cohort_columns);
    }
    let columns = mapping(ctx, &t.columns, &allowed, &key("columns"), |field| {
        if layout == Layout::Events {
            format!(
                "`{field}` is not a field of referral events; demographics and cohorts come from the patient list under [tables.people]"
            )
        } else if cohorts_here {
            format!(
                "`{field}` is not a referrals field; to use it as a cohort, add a [[cohorts]] entry with id = \"{field}\""
            )
        } else if layout == Layout::PerClient {
            format!(
                "`{field}` is not read from a single column in the per-client layout; each timepoint's date and scores go under [tables.assessments.timepoints.<timepoint>]"
            )
        } else {
            format!("`{field}` is not a field of the {name} table")
        }
    })?;

    wide_only(ctx, cfg, layout, t.measures.len(), &key("measures"))?;
    wide_only(ctx, cfg, layout, t.items.len(), &key("items"))?;
    let (measure_columns, item_columns) =
        score_columns(ctx, &t.measures, &t.items, measures, &key(""), &cfg.span())?;
    let timepoint_blocks =
        timepoint_blocks(ctx, t, layout, measures, timepoint_ids, &key("timepoints"))?;
    if layout == Layout::Wide && measure_columns.is_empty() && item_columns.is_empty() {
        return Err(ctx
            .at(
                &cfg.span(),
                key("measures"),
                "a wide assessments table needs its measure columns",
            )
            .with_help(
                "add [tables.assessments.measures] with lines like `swemwbs = \"SWEMWBS total\"`",
            ));
    }

    Ok(TableSpec {
        kind,
        files,
        sheet: t.sheet.clone(),
        delimiter,
        encoding,
        layout,
        date_formats,
        columns,
        measure_columns,
        item_columns,
        timepoint_blocks,
        limits: crate::Limits::default(),
        select: select(ctx, t, &key("where"))?,
    })
}

/// Which rows of a shared file are the table's, if the config says.
fn select(ctx: &ErrorContext, t: &TableConfig, key: &str) -> Result<Option<RowSelect>> {
    let Some(w) = &t.select else {
        return Ok(None);
    };
    let s = w.get_ref();
    if s.column.0.is_empty() || s.column.0.iter().any(|c| c.trim().is_empty()) {
        return Err(ctx.at(
            &w.span(),
            key.to_owned(),
            "name the column whose values choose the rows",
        ));
    }
    if s.like.iter().chain(&s.values).any(|v| v.trim().is_empty()) {
        return Err(ctx.at(
            &w.span(),
            key.to_owned(),
            "an empty value or pattern would choose nothing, or every blank row",
        ));
    }
    if s.values.is_empty() && s.like.is_empty() {
        return Err(ctx
            .at(
                &w.span(),
                key.to_owned(),
                "a row selection needs values (`in`) or patterns (`like`)",
            )
            .with_help("e.g. where = { column = \"Code\", in = [\"871711000000103\"] }"));
    }
    Ok(Some(RowSelect::new(s.column.0.clone(), &s.values, &s.like)))
}

/// The delimiter of CSV files, if the config names one.
fn delimiter(
    ctx: &ErrorContext,
    t: &TableConfig,
    key: &dyn Fn(&str) -> String,
) -> Result<Option<u8>> {
    Ok(match &t.delimiter {
        None => None,
        Some(d) => Some(match d.get_ref().as_str() {
            "," => b',',
            ";" => b';',
            "\t" | "tab" | "\\t" => b'\t',
            "|" => b'|',
            other => {
                return Err(ctx.at(
                    &d.span(),
                    key("delimiter"),
                    format!("`{other}` is not supported; use \",\", \";\", \"tab\" or \"|\""),
                ));
            }
        }),
    })
}

/// The text encoding of CSV files, if the config names one.
fn encoding(
    ctx: &ErrorContext,
    t: &TableConfig,
    key: &dyn Fn(&str) -> String,
) -> Result<Option<TextEncoding>> {
    Ok(match &t.encoding {
        None => None,
        Some(e) => Some(
            match e.get_ref().to_ascii_lowercase().replace('_', "-").as_str() {
                "utf-8" | "utf8" => TextEncoding::Utf8,
                "windows-1252" | "cp1252" | "latin1" | "latin-1" | "iso-8859-1" => {
                    TextEncoding::Windows1252
                }
                other => {
                    return Err(ctx.at(
                        &e.span(),
                        key("encoding"),
                        format!("`{other}` is not supported; use \"utf-8\" or \"windows-1252\""),
                    ));
                }
            },
        ),
    })
}

/// The layout of the assessments table (long unless the config says otherwise); no
/// other table has one.
fn layout(
    ctx: &ErrorContext,
    t: &TableConfig,
    kind: TableKind,
    key: &dyn Fn(&str) -> String,
) -> Result<Layout> {
    Ok(match (&t.layout, kind) {
        (None, _) => Layout::Long,
        (Some(l), TableKind::Referrals) => match l.get_ref().as_str() {
            "events" => Layout::Events,
            "episodes" => Layout::Long,
            other => {
                return Err(ctx.at(
                    &l.span(),
                    key("layout"),
                    format!(
                        "`{other}` must be \"episodes\" (one row per referral) or \"events\" (dated referral, discharge and declined entries)"
                    ),
                ));
            }
        },
        (Some(l), TableKind::Assessments) => match l.get_ref().as_str() {
            "long" => Layout::Long,
            "wide" => Layout::Wide,
            "per_client" | "per-client" => Layout::PerClient,
            other => {
                return Err(ctx.at(
                    &l.span(),
                    key("layout"),
                    format!("`{other}` must be \"long\", \"wide\" or \"per_client\""),
                ));
            }
        },
        (Some(l), _) => {
            return Err(ctx.at(
                &l.span(),
                key("layout"),
                "only the referrals and assessments tables have a layout",
            ));
        }
    })
}

/// Only the wide layout maps measure and item columns under the table itself.
fn wide_only(
    ctx: &ErrorContext,
    cfg: &Spanned<TableConfig>,
    layout: Layout,
    mapped: usize,
    key: &str,
) -> Result<()> {
    let help = match layout {
        Layout::Wide => return Ok(()),
        Layout::PerClient => {
            "with layout = \"per_client\", list them under [tables.assessments.timepoints.<timepoint>]"
        }
        Layout::Long | Layout::Events => "set layout = \"wide\"",
    };
    if mapped > 0 {
        return Err(ctx
            .at(
                &cfg.span(),
                key,
                "only the wide assessment layout maps measure columns here",
            )
            .with_help(help));
    }
    Ok(())
}

/// Score and item columns of measures (`prefix` is the config key they sit under, ending
/// in a dot), with their item counts checked.
fn score_columns(
    ctx: &ErrorContext,
    scores: &BTreeMap<Spanned<String>, Aliases>,
    items: &BTreeMap<Spanned<String>, Vec<String>>,
    measures: &[Measure],
    prefix: &str,
    span: &std::ops::Range<usize>,
) -> Result<(Vec<ColumnMapping>, Vec<ColumnMapping>)> {
    let measure_ids: Vec<&str> = measures.iter().map(|m| m.id.as_str()).collect();
    let measure_columns = mapping(
        ctx,
        scores,
        &measure_ids,
        &format!("{prefix}measures"),
        |m| format!("`{m}` is not a configured measure"),
    )?;
    let items_as_aliases: BTreeMap<Spanned<String>, Aliases> = items
        .iter()
        .map(|(k, v)| (k.clone(), Aliases(v.clone())))
        .collect();
    let item_columns = mapping(
        ctx,
        &items_as_aliases,
        &measure_ids,
        &format!("{prefix}items"),
        |m| format!("`{m}` is not a configured measure"),
    )?;
    for ic in &item_columns {
        let Some(measure) = measures.iter().find(|m| m.id == ic.field) else {
            continue;
        };
        let expected = measure.item_count();
        if expected == 0 || ic.headers.len() != expected {
            let span = items
                .keys()
                .find(|k| k.get_ref() == &ic.field)
                .map_or(span.clone(), Spanned::span);
            let msg = if expected == 0 {
                format!("measure `{}` is not scored from items", ic.field)
            } else {
                format!(
                    "measure `{}` has {expected} items but {} columns are listed",
                    ic.field,
                    ic.headers.len()
                )
            };
            return Err(ctx.at(&span, format!("{prefix}items.{}", ic.field), msg));
        }
    }
    Ok((measure_columns, item_columns))
}

/// The `[tables.assessments.timepoints.<id>]` blocks of a per-client table, in the
/// programme's timepoint order.
fn timepoint_blocks(
    ctx: &ErrorContext,
    t: &TableConfig,
    layout: Layout,
    measures: &[Measure],
    timepoint_ids: &[String],
    key: &str,
) -> Result<Vec<TimepointBlock>> {
    if layout != Layout::PerClient {
        if let Some((id, _)) = t.timepoints.iter().next() {
            return Err(ctx
                .at(
                    &id.span(),
                    format!("{key}.{}", id.get_ref()),
                    "timepoint columns belong to the per-client assessment layout",
                )
                .with_help("set layout = \"per_client\""));
        }
        return Ok(Vec::new());
    }
    let mut blocks = Vec::new();
    let mut used: BTreeMap<String, String> = BTreeMap::new();
    for (id, block) in &t.timepoints {
        let name = id.get_ref();
        if !timepoint_ids.contains(name) {
            return Err(ctx
                .at(
                    &id.span(),
                    format!("{key}.{name}"),
                    format!("`{name}` is not in [timepoints] order"),
                )
                .with_suggestion(did_you_mean(name, timepoint_ids.iter().map(String::as_str))));
        }
        let b: &TimepointColumns = block.get_ref();
        let here = format!("{key}.{name}.");
        let Some(date) = b
            .assessment_date
            .as_ref()
            .filter(|d| !d.0.is_empty() && d.0.iter().all(|h| !h.trim().is_empty()))
        else {
            return Err(ctx
                .at(
                    &block.span(),
                    format!("{here}assessment_date"),
                    "each timepoint needs the header of its assessment date",
                )
                .with_help("add `assessment_date = \"<header>\"`"));
        };
        let (measure_columns, item_columns) =
            score_columns(ctx, &b.measures, &b.items, measures, &here, &block.span())?;
        if measure_columns.is_empty() && item_columns.is_empty() {
            return Err(ctx.at(
                &block.span(),
                format!("{here}measures"),
                "list this timepoint's score columns, e.g. `measures = { swemwbs = \"SWEMWBS at start\" }`",
            ));
        }
        // Two timepoints read from one column would pair a score with itself.
        let headers = date.0.iter().chain(
            measure_columns
                .iter()
                .chain(&item_columns)
                .flat_map(|c| &c.headers),
        );
        for h in headers {
            let key_of = sprout_core::vocab::normalise_label(h);
            if let Some(other) = used.get(&key_of).filter(|t| *t != name) {
                return Err(ctx.at(
                    &block.span(),
                    format!("{key}.{name}"),
                    format!("column \"{h}\" is already read for timepoint `{other}`; each timepoint needs columns of its own"),
                ));
            }
            used.insert(key_of, name.clone());
        }
        blocks.push(TimepointBlock {
            timepoint: name.clone(),
            date: date.0.clone(),
            measure_columns,
            item_columns,
        });
    }
    if blocks.is_empty() {
        return Err(ctx
            .at(
                &t.files.span(),
                key.to_owned(),
                "a per-client assessments table needs the columns of each timepoint",
            )
            .with_help(
                "add [tables.assessments.timepoints.baseline] with assessment_date and measures, and one for each later timepoint",
            ));
    }
    blocks.sort_by_key(|b| timepoint_ids.iter().position(|t| *t == b.timepoint));
    Ok(blocks)
}

fn mapping(
    ctx: &ErrorContext,
    raw: &BTreeMap<Spanned<String>, Aliases>,
    allowed: &[&str],
    key: &str,
    unknown: impl Fn(&str) -> String,
) -> Result<Vec<ColumnMapping>> {
    let mut out = Vec::new();
    for (field, headers) in raw {
        let name = field.get_ref().as_str();
        if !allowed.contains(&name) {
            return Err(ctx
                .at(&field.span(), format!("{key}.{name}"), unknown(name))
                .with_suggestion(did_you_mean(name, allowed.iter().copied())));
        }
        if headers.0.is_empty() || headers.0.iter().any(|h| h.trim().is_empty()) {
            return Err(ctx.at(
                &field.span(),
                format!("{key}.{name}"),
                "give the export header as a non-empty string",
            ));
        }
        out.push(ColumnMapping {
            field: name.to_owned(),
            headers: headers.0.clone(),
        });
    }
    Ok(out)
}
