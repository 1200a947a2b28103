//! Checks a parsed config and turns it into a [`Config`].

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use chrono::NaiveDate;
use toml::Spanned;

use super::error::{ConfigError, ErrorContext, did_you_mean};
use super::schema::{self, Aliases, RawConfig, TableConfig};
use super::*;
use crate::instruments::{MeasureConfig, Registry};
use crate::tables::{BUILT_IN_DIMENSIONS, TableKind, WIDE_ASSESSMENT_FIELDS};
use crate::vocab::{LabelMap, Vocabulary};

type Result<T> = std::result::Result<T, ConfigError>;

pub(super) fn resolve(path: &Path, text: &str, raw: RawConfig) -> Result<Config> {
    let ctx = ErrorContext { file: path, text };
    let base_dir = path.parent().map(Path::to_path_buf).unwrap_or_default();

    let default_formats = match &raw.dates.formats {
        Some(f) => date_formats(&ctx, f, "dates.formats")?,
        None => DEFAULT_FORMATS
            .iter()
            .filter_map(|f| DateFormat::parse(f).ok())
            .collect(),
    };

    let mut measures = resolve_measures(&ctx, &raw.measures)?;
    let cohorts = resolve_cohorts(&ctx, &raw)?;
    let cohort_columns: Vec<&str> = cohorts
        .iter()
        .filter_map(|c| match &c.source {
            CohortSource::Column(f) => Some(f.as_str()),
            CohortSource::BuiltIn(_) => None,
        })
        .collect();

    let t = &raw.tables;
    let table = |kind, cfg: &Spanned<TableConfig>| {
        resolve_table(
            &ctx,
            kind,
            cfg,
            &default_formats,
            &cohort_columns,
            &measures,
        )
    };
    let tables = Tables {
        referrals: table(TableKind::Referrals, &t.referrals)?,
        sessions: t
            .sessions
            .as_ref()
            .map(|c| table(TableKind::Sessions, c))
            .transpose()?,
        assessments: t
            .assessments
            .as_ref()
            .map(|c| table(TableKind::Assessments, c))
            .transpose()?,
        medications: t
            .medications
            .as_ref()
            .map(|c| table(TableKind::Medications, c))
            .transpose()?,
    };
    for c in &cohorts {
        if let CohortSource::Column(field) = &c.source
            && tables.referrals.headers_for(field).is_none()
        {
            let span = t.referrals.span();
            return Err(ctx
                .at(
                    &span,
                    format!("tables.referrals.columns.{field}"),
                    format!("cohort dimension `{field}` has no column"),
                )
                .with_help(format!(
                    "add `{field} = \"<export header>\"` under [tables.referrals.columns]"
                )));
        }
    }

    let timepoints = resolve_timepoints(&ctx, &raw.timepoints)?;
    let phases = resolve_phases(&ctx, &raw.phases)?;
    let labels = resolve_labels(&ctx, &raw, &timepoints, &phases, &measures)?;
    let programme = resolve_programme(&ctx, &raw.programme, &raw.measures, &measures)?;
    for m in &mut measures {
        m.primary = programme.primary_outcome.as_deref() == Some(m.id.as_str());
    }

    let med = &raw.medications;
    let medication = MedicationSettings {
        window_days: med.window_days.as_ref().map_or(28, |w| *w.get_ref()),
        none_labels: med.none_labels.clone(),
        not_counted: med.not_counted.clone(),
        drugs: med.drugs.iter().map(|d| d.get_ref().clone()).collect(),
    };
    if let Some(w) = &med.window_days
        && *w.get_ref() > 365
    {
        return Err(ctx.at(
            &w.span(),
            "medications.window_days",
            "must be at most 365 days",
        ));
    }
    crate::medication::DrugDictionary::with_drugs(&medication.drugs, &medication.none_labels)
        .map_err(|e| {
            let (span, key) = if e.list == "drugs" {
                (
                    med.drugs.get(e.index).map_or(0..0, Spanned::span),
                    format!("medications.drugs[{}].{}", e.index + 1, e.key),
                )
            } else {
                (0..0, "medications.none_labels".to_owned())
            };
            ctx.at(&span, key, e.reason.clone())
        })?;

    let share = |v: &Option<Spanned<f64>>, key: &str| -> Result<Option<f64>> {
        match v {
            Some(s) if !(0.0..=1.0).contains(s.get_ref()) => Err(ctx
                .at(
                    &s.span(),
                    format!("reach.{key}"),
                    "must be a share between 0 and 1",
                )
                .with_help("write 12% as 0.12")),
            Some(s) => Ok(Some(*s.get_ref())),
            None => Ok(None),
        }
    };
    let reach = Reach {
        ethnic_minority: share(&raw.reach.ethnic_minority, "ethnic_minority")?,
        imd_deciles_1_2: share(&raw.reach.imd_deciles_1_2, "imd_deciles_1_2")?,
        area: raw.reach.area.clone(),
    };

    let policy = |v: &Option<Spanned<String>>, key: &str, default| -> Result<DisclosurePolicy> {
        match v {
            None => Ok(default),
            Some(s) => DisclosurePolicy::parse(s.get_ref()).ok_or_else(|| {
                ctx.at(
                    &s.span(),
                    format!("disclosure.{key}"),
                    format!("unknown policy `{}`", s.get_ref()),
                )
                .with_help("use `nhs`, `none` or `threshold-N` (e.g. `threshold-10`)")
            }),
        }
    };
    let d = &raw.disclosure;
    let disclosure = Disclosure {
        evaluator: policy(&d.evaluator, "evaluator", DisclosurePolicy::None)?,
        trustee: policy(&d.trustee, "trustee", DisclosurePolicy::Nhs)?,
        commissioner: policy(&d.commissioner, "commissioner", DisclosurePolicy::Nhs)?,
        evaluator_internal: d.evaluator_internal.unwrap_or(true),
    };

    let colour = match &raw.branding.colour {
        Some(c) => {
            let v = c.get_ref().trim();
            let ok = v.len() == 7
                && v.starts_with('#')
                && v[1..].chars().all(|ch| ch.is_ascii_hexdigit());
            if !ok {
                return Err(ctx.at(
                    &c.span(),
                    "branding.colour",
                    format!("`{v}` is not a colour like `#1b6e5a`"),
                ));
            }
            v.to_ascii_lowercase()
        }
        None => "#1b6e5a".to_owned(),
    };
    let branding = Branding {
        colour,
        logo: raw.branding.logo.as_ref().map(|l| base_dir.join(l)),
    };

    Ok(Config {
        file: path.to_path_buf(),
        base_dir,
        programme,
        tables,
        timepoints,
        phases,
        measures,
        cohorts,
        labels,
        medication,
        reach,
        disclosure,
        branding,
    })
}

fn date_formats(
    ctx: &ErrorContext,
    formats: &Spanned<Vec<String>>,
    key: &str,
) -> Result<Vec<DateFormat>> {
    if formats.get_ref().is_empty() {
        return Err(ctx.at(
            &formats.span(),
            key,
            "list at least one date format, e.g. \"dd/mm/yyyy\"",
        ));
    }
    formats
        .get_ref()
        .iter()
        .map(|f| DateFormat::parse(f).map_err(|e| ctx.at(&formats.span(), key, e)))
        .collect()
}

fn resolve_programme(
    ctx: &ErrorContext,
    p: &schema::ProgrammeSection,
    raw_measures: &Spanned<Vec<Spanned<MeasureConfig>>>,
    measures: &[Measure],
) -> Result<Programme> {
    let start = match &p.start {
        Some(s) => Some(
            NaiveDate::parse_from_str(s.get_ref().trim(), "%Y-%m-%d").map_err(|_| {
                ctx.at(
                    &s.span(),
                    "programme.start",
                    format!("`{}` is not a date written as yyyy-mm-dd", s.get_ref()),
                )
            })?,
        ),
        None => None,
    };
    let fy = &p.financial_year_start_month;
    if !(1..=12).contains(fy.get_ref()) {
        return Err(ctx.at(
            &fy.span(),
            "programme.financial_year_start_month",
            "must be a month number 1-12",
        ));
    }
    if *p.min_n.get_ref() < 2 {
        return Err(ctx.at(&p.min_n.span(), "programme.min_n", "must be at least 2"));
    }
    let flagged: Vec<&Measure> = measures.iter().filter(|m| m.primary).collect();
    let flag_span = raw_measures
        .get_ref()
        .iter()
        .find(|m| m.get_ref().primary)
        .map_or(raw_measures.span(), Spanned::span);
    if flagged.len() > 1 {
        return Err(ctx.at(
            &flag_span,
            "measures.primary",
            "only one measure can be the primary outcome",
        ));
    }
    let primary = match (&p.primary_outcome, flagged.first()) {
        (Some(named), Some(flag)) if named.get_ref() != &flag.id => {
            return Err(ctx.at(
                &named.span(),
                "programme.primary_outcome",
                format!(
                    "says `{}` but measure `{}` is marked primary",
                    named.get_ref(),
                    flag.id
                ),
            ));
        }
        (Some(named), _) => {
            let id = named.get_ref();
            if !measures.iter().any(|m| &m.id == id) {
                let ids: Vec<&str> = measures.iter().map(|m| m.id.as_str()).collect();
                return Err(ctx
                    .at(
                        &named.span(),
                        "programme.primary_outcome",
                        format!(
                            "`{id}` is not one of the configured measures ({})",
                            ids.join(", ")
                        ),
                    )
                    .with_suggestion(did_you_mean(id, ids.iter().copied())));
            }
            Some(id.clone())
        }
        (None, Some(flag)) => Some(flag.id.clone()),
        (None, None) => None,
    };
    Ok(Programme {
        name: p.name.clone(),
        organisation: p.organisation.clone(),
        start,
        financial_year_start_month: *fy.get_ref(),
        primary_outcome: primary,
        min_n: *p.min_n.get_ref() as usize,
    })
}

fn resolve_measures(
    ctx: &ErrorContext,
    raw: &Spanned<Vec<Spanned<MeasureConfig>>>,
) -> Result<Vec<Measure>> {
    let entries: Vec<MeasureConfig> = raw.get_ref().iter().map(|m| m.get_ref().clone()).collect();
    if entries.is_empty() {
        return Err(ctx.at(&raw.span(), "measures", "configure at least one measure"));
    }
    Registry::builtin().resolve(&entries).map_err(|e| {
        let span = raw.get_ref().get(e.index).map_or(raw.span(), Spanned::span);
        ctx.at(
            &span,
            format!("measures[{}].{}", e.index + 1, e.key),
            e.reason.clone(),
        )
        .with_suggestion(e.suggestion.as_deref())
    })
}

fn resolve_cohorts(ctx: &ErrorContext, raw: &RawConfig) -> Result<Vec<CohortDimension>> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for c in &raw.cohorts {
        let cfg = c.get_ref();
        let id = cfg.id.trim();
        if !is_identifier(id) {
            return Err(ctx.at(
                &c.span(),
                "cohorts.id",
                format!("`{id}` must be lower-case letters, digits and _"),
            ));
        }
        if !seen.insert(id.to_owned()) {
            return Err(ctx.at(
                &c.span(),
                "cohorts.id",
                format!("cohort dimension `{id}` is listed twice"),
            ));
        }
        let built_in = BUILT_IN_DIMENSIONS.iter().find(|(b, _)| *b == id);
        let source = match built_in {
            Some(_) => CohortSource::BuiltIn(id.to_owned()),
            None => {
                if TableKind::Referrals.field(id).is_some() {
                    return Err(ctx.at(
                        &c.span(),
                        "cohorts.id",
                        format!("`{id}` is a standard referral field, not a cohort dimension"),
                    ));
                }
                CohortSource::Column(id.to_owned())
            }
        };
        let labels = if cfg.labels.is_empty() {
            None
        } else {
            let mut map = LabelMap::default();
            let mut claimed = HashMap::new();
            for (value, aliases) in &cfg.labels {
                map.add_config_aliases(value, &aliases.0, &mut claimed)
                    .map_err(|clash| {
                        ctx.at(
                            &c.span(),
                            format!("cohorts.{id}.labels"),
                            format!(
                                "label `{}` is given to both `{}` and `{}`",
                                clash.label, clash.first, clash.second
                            ),
                        )
                    })?;
            }
            Some(map)
        };
        let default_label = built_in.map_or_else(|| title_case(id), |(_, l)| (*l).to_owned());
        out.push(CohortDimension {
            id: id.to_owned(),
            label: cfg.label.clone().unwrap_or(default_label),
            source,
            labels,
            order: cfg.order.clone(),
        });
    }
    Ok(out)
}

fn resolve_table(
    ctx: &ErrorContext,
    kind: TableKind,
    cfg: &Spanned<TableConfig>,
    default_formats: &[DateFormat],
    cohort_columns: &[&str],
    measures: &[Measure],
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
    let delimiter = match &t.delimiter {
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
    };
    let encoding = match &t.encoding {
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
    };
    let layout = match (&t.layout, kind) {
        (None, _) => Layout::Long,
        (Some(l), TableKind::Assessments) => match l.get_ref().as_str() {
            "long" => Layout::Long,
            "wide" => Layout::Wide,
            other => {
                return Err(ctx.at(
                    &l.span(),
                    key("layout"),
                    format!("`{other}` must be \"long\" or \"wide\""),
                ));
            }
        },
        (Some(l), _) => {
            return Err(ctx.at(
                &l.span(),
                key("layout"),
                "only the assessments table has a layout",
            ));
        }
    };
    let date_formats = match &t.date_formats {
        Some(f) => date_formats(ctx, f, &key("date_formats"))?,
        None => default_formats.to_vec(),
    };

    let fields = match (kind, layout) {
        (TableKind::Assessments, Layout::Wide) => WIDE_ASSESSMENT_FIELDS,
        _ => kind.fields(),
    };
    let mut allowed: Vec<&str> = fields.iter().map(|f| f.name).collect();
    if kind == TableKind::Referrals {
        allowed.extend(cohort_columns);
    }
    let columns = mapping(ctx, &t.columns, &allowed, &key("columns"), |field| {
        if kind == TableKind::Referrals {
            format!(
                "`{field}` is not a referrals field; to use it as a cohort, add a [[cohorts]] entry with id = \"{field}\""
            )
        } else {
            format!("`{field}` is not a {name} field")
        }
    })?;

    let measure_ids: Vec<&str> = measures.iter().map(|m| m.id.as_str()).collect();
    let wide_only = |map_len: usize, k: &str| -> Result<()> {
        if map_len > 0 && layout != Layout::Wide {
            return Err(ctx
                .at(
                    &cfg.span(),
                    key(k),
                    "only the wide assessment layout maps measure columns",
                )
                .with_help("set layout = \"wide\""));
        }
        Ok(())
    };
    wide_only(t.measures.len(), "measures")?;
    wide_only(t.items.len(), "items")?;
    let measure_columns = mapping(ctx, &t.measures, &measure_ids, &key("measures"), |m| {
        format!("`{m}` is not a configured measure")
    })?;
    let items_as_aliases: BTreeMap<Spanned<String>, Aliases> = t
        .items
        .iter()
        .map(|(k, v)| (k.clone(), Aliases(v.clone())))
        .collect();
    let item_columns = mapping(ctx, &items_as_aliases, &measure_ids, &key("items"), |m| {
        format!("`{m}` is not a configured measure")
    })?;
    for ic in &item_columns {
        let Some(measure) = measures.iter().find(|m| m.id == ic.field) else {
            continue;
        };
        let expected = measure.item_count();
        if expected == 0 || ic.headers.len() != expected {
            let span = t
                .items
                .keys()
                .find(|k| k.get_ref() == &ic.field)
                .map_or(cfg.span(), Spanned::span);
            let msg = if expected == 0 {
                format!("measure `{}` is not scored from items", ic.field)
            } else {
                format!(
                    "measure `{}` has {expected} items but {} columns are listed",
                    ic.field,
                    ic.headers.len()
                )
            };
            return Err(ctx.at(&span, key(&format!("items.{}", ic.field)), msg));
        }
    }
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
    })
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

fn resolve_timepoints(ctx: &ErrorContext, raw: &schema::TimepointsSection) -> Result<Timepoints> {
    let ids = raw.order.get_ref();
    if ids.len() < 2 {
        return Err(ctx.at(
            &raw.order.span(),
            "timepoints.order",
            "list at least two timepoints, e.g. [\"baseline\", \"discharge\"]",
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
            ids.iter().position(|t| t == id).ok_or_else(|| {
                ctx.at(
                    &s.span(),
                    key,
                    format!("`{id}` is not a timepoint in `order`"),
                )
                .with_suggestion(did_you_mean(id, ids.iter().map(String::as_str)))
            })
        };
        if pos(&c.from)? >= pos(&c.to)? {
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
            label: c.label.clone().unwrap_or_else(|| {
                format!(
                    "{} to {}",
                    label_of(&c.from),
                    label_of(&c.to).to_lowercase()
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
                label: format!("{} to {}", from.label, to.label.to_lowercase()),
            }
        }
    };
    let spans = raw
        .spans
        .iter()
        .map(|s| comparison(s, "timepoints.spans"))
        .collect::<Result<_>>()?;
    Ok(Timepoints {
        order,
        compare,
        spans,
    })
}

fn resolve_phases(ctx: &ErrorContext, raw: &[Spanned<schema::PhaseConfig>]) -> Result<Vec<Phase>> {
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

fn resolve_labels(
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

fn is_identifier(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && s.starts_with(|c: char| c.is_ascii_lowercase())
}

/// `waiting_well` -> `Waiting well`.
pub(crate) fn title_case(id: &str) -> String {
    let spaced = id.replace('_', " ");
    let mut chars = spaced.chars();
    chars
        .next()
        .map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}
