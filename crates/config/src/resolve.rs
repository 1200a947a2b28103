//! Checks a parsed config and turns it into a [`Config`].

use std::collections::{HashMap, HashSet};
use std::path::Path;

use chrono::NaiveDate;
use toml::Spanned;

use super::error::{ErrorContext, did_you_mean};
use super::names::{Result, date_formats, is_identifier, title_case};
use super::resolve_labels::resolve_labels;
use super::resolve_tables::resolve_table;
use super::resolve_timeline::{resolve_phases, resolve_timepoints};
use super::schema::{self, RawConfig, TableConfig};
use super::*;
use sprout_clinical::instruments::{MeasureConfig, Registry};
use sprout_core::vocab::LabelMap;
use sprout_tables::{BUILT_IN_DIMENSIONS, TableKind};

pub(super) fn resolve(path: &Path, text: &str, raw: RawConfig) -> Result<Config> {
    let ctx = ErrorContext { file: path, text };
    let base_dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    // Timepoints are what assessments and medication reviews are recorded at; a programme
    // reported on referrals and sessions alone has none to name.
    let unnamed = unnamed_timepoints();
    let raw_timepoints = timepoints_section(&ctx, &raw, &unnamed)?;

    let default_formats = match &raw.dates.formats {
        Some(f) => date_formats(&ctx, f, "dates.formats")?,
        None => DEFAULT_FORMATS
            .iter()
            .filter_map(|f| DateFormat::parse(f).ok())
            .collect(),
    };

    let mut measures = resolve_measures(&ctx, &raw.measures)?;
    let cohorts = resolve_cohorts(&ctx, &raw)?;

    let (limits, render_limits) = resolve_limits(&ctx, &raw.limits)?;
    let tables = resolve_all_tables(
        &ctx,
        &raw,
        &default_formats,
        &cohorts,
        &measures,
        raw_timepoints.order.get_ref(),
        limits,
    )?;

    let timepoints = resolve_timepoints(&ctx, raw_timepoints)?;
    super::resolve_selection::check(&ctx, &raw, &tables, &timepoints)?;
    let phases = resolve_phases(&ctx, &raw.phases)?;
    let labels = resolve_labels(&ctx, &raw, &timepoints, &phases, &measures)?;
    let programme = resolve_programme(&ctx, &raw.programme, &raw.measures, &measures)?;
    for m in &mut measures {
        m.primary = programme.primary_outcome.as_deref() == Some(m.id.as_str());
    }

    let medication = resolve_medication(&ctx, &raw.medications)?;
    let reach = resolve_reach(&ctx, &raw.reach)?;
    let disclosure = resolve_disclosure(&ctx, &raw.disclosure)?;
    let branding = resolve_branding(&ctx, &raw.branding, &base_dir)?;
    let costs = resolve_costs(&ctx, &raw.costs)?;

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
        costs,
        render_limits,
    })
}

/// The timepoints of a programme reported on referrals and sessions alone, which has none
/// to name.
fn unnamed_timepoints() -> super::schema::TimepointsSection {
    super::schema::TimepointsSection {
        order: Spanned::new(0..0, vec!["baseline".to_owned(), "discharge".to_owned()]),
        names: Default::default(),
        compare: None,
        spans: Vec::new(),
        from_order: None,
    }
}

/// The `[timepoints]` section, required when assessments or medication reviews are
/// recorded (they are recorded at timepoints); `unnamed` otherwise.
fn timepoints_section<'r>(
    ctx: &ErrorContext,
    raw: &'r RawConfig,
    unnamed: &'r super::schema::TimepointsSection,
) -> Result<&'r super::schema::TimepointsSection> {
    match (
        &raw.timepoints,
        &raw.tables.assessments,
        &raw.tables.medications,
    ) {
        (Some(t), _, _) => Ok(t),
        (None, None, None) => Ok(unnamed),
        (None, Some(table), _) | (None, None, Some(table)) => Err(ctx
            .at(
                &table.span(),
                "timepoints",
                "the [timepoints] section is missing: assessments and medication reviews \
                 are recorded at timepoints, and the config must list them",
            )
            .with_help(
                "add a top-level section `[timepoints]` with `order = [\"baseline\", \"discharge\"]` (the ids the exports' labels map to)",
            )),
    }
}

/// Every table's spec, with the run's limits, and each cohort column checked to be
/// mapped in the referrals table.
fn resolve_all_tables(
    ctx: &ErrorContext,
    raw: &RawConfig,
    default_formats: &[DateFormat],
    cohorts: &[CohortDimension],
    measures: &[Measure],
    timepoints: &[String],
    limits: crate::Limits,
) -> Result<Tables> {
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
            ctx,
            kind,
            cfg,
            default_formats,
            &cohort_columns,
            measures,
            timepoints,
        )
    };
    let mut tables = Tables {
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
        people: t
            .people
            .as_ref()
            .map(|c| table(TableKind::People, c))
            .transpose()?,
        baseline_grace_days: grace_days(ctx, &t.referrals)?,
    };
    if let Some(p) = &t.people
        && !tables.episodes_from_events()
    {
        return Err(ctx
            .at(
                &p.span(),
                "tables.people",
                "a patient list is joined to referrals built from events",
            )
            .with_help("set layout = \"events\" under [tables.referrals], or map the demographic columns of the referrals table"));
    }
    for spec in [
        Some(&mut tables.referrals),
        tables.sessions.as_mut(),
        tables.assessments.as_mut(),
        tables.medications.as_mut(),
        tables.people.as_mut(),
    ]
    .into_iter()
    .flatten()
    {
        spec.limits = limits;
    }
    // Cohorts come from the patient list where referrals are events.
    let (cohort_table, cohort_cfg) = match (&tables.people, &t.people) {
        (Some(p), Some(c)) => (p, c),
        _ => (&tables.referrals, &t.referrals),
    };
    for c in cohorts {
        if let CohortSource::Column(field) = &c.source
            && cohort_table.headers_for(field).is_none()
        {
            let table = cohort_table.kind.name();
            let span = cohort_cfg.span();
            return Err(ctx
                .at(
                    &span,
                    format!("tables.{table}.columns.{field}"),
                    format!("cohort dimension `{field}` has no column"),
                )
                .with_help(format!(
                    "add `{field} = \"<export header>\"` under [tables.{table}.columns]"
                )));
        }
    }
    Ok(tables)
}

/// `baseline_grace_days` of the referrals table: only where referrals are events.
fn grace_days(ctx: &ErrorContext, referrals: &Spanned<TableConfig>) -> Result<u32> {
    let Some(g) = &referrals.get_ref().baseline_grace_days else {
        return Ok(0);
    };
    let key = "tables.referrals.baseline_grace_days";
    if referrals
        .get_ref()
        .layout
        .as_ref()
        .map(|l| l.get_ref().as_str())
        != Some("events")
    {
        return Err(ctx.at(
            &g.span(),
            key,
            "only referrals built from events (layout = \"events\") have a grace period",
        ));
    }
    u32::try_from(*g.get_ref())
        .ok()
        .filter(|d| *d <= 366)
        .ok_or_else(|| {
            ctx.at(
                &g.span(),
                key,
                "must be a whole number of days from 0 to 366",
            )
        })
}

/// The `[medications]` section, with the drug dictionary built from it.
fn resolve_medication(
    ctx: &ErrorContext,
    med: &super::schema::MedicationsSection,
) -> Result<MedicationSettings> {
    let drugs: Vec<_> = med.drugs.iter().map(|d| d.get_ref().clone()).collect();
    if let Some(w) = &med.window_days
        && *w.get_ref() > 365
    {
        return Err(ctx.at(
            &w.span(),
            "medications.window_days",
            "must be at most 365 days",
        ));
    }
    let dictionary =
        sprout_clinical::medication::DrugDictionary::with_drugs(&drugs, &med.none_labels).map_err(
            |e| {
                let (span, key) = if e.list == "drugs" {
                    (
                        med.drugs.get(e.index).map_or(0..0, Spanned::span),
                        format!("medications.drugs[{}].{}", e.index + 1, e.key),
                    )
                } else {
                    (0..0, "medications.none_labels".to_owned())
                };
                ctx.at(&span, key, e.reason.clone())
            },
        )?;
    let medication = MedicationSettings {
        window_days: med.window_days.as_ref().map_or(28, |w| *w.get_ref()),
        none_labels: med.none_labels.clone(),
        not_counted: med.not_counted.clone(),
        gabapentinoid_ddd: med.gabapentinoid_ddd,
        drugs,
        dictionary,
    };

    if medication.gabapentinoid_ddd {
        // A new gabapentinoid without a defined daily dose would count as none.
        let undefined = med.drugs.iter().enumerate().find(|(_, d)| {
            let d = d.get_ref();
            d.class == Some(sprout_clinical::medication::DrugClass::Gabapentinoid)
                && d.ddd_mg.is_none()
                && !matches!(
                    d.molecule.trim().to_lowercase().as_str(),
                    "gabapentin" | "pregabalin"
                )
        });
        if let Some((i, d)) = undefined {
            return Err(ctx
                .at(
                    &d.span(),
                    format!("medications.drugs[{}].ddd_mg", i + 1),
                    "with gabapentinoid_ddd = true, a new gabapentinoid needs its WHO defined daily dose",
                )
                .with_help("add `ddd_mg = <mg>`"));
        }
    }

    Ok(medication)
}

/// The `[reach]` section: local shares to compare the people supported with.
fn resolve_reach(ctx: &ErrorContext, raw: &super::schema::ReachSection) -> Result<Reach> {
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
    Ok(Reach {
        ethnic_minority: share(&raw.ethnic_minority, "ethnic_minority")?,
        imd_deciles_1_2: share(&raw.imd_deciles_1_2, "imd_deciles_1_2")?,
        area: raw.area.clone(),
    })
}

/// The `[disclosure]` section: each audience's policy.
fn resolve_disclosure(
    ctx: &ErrorContext,
    d: &super::schema::DisclosureSection,
) -> Result<Disclosure> {
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
    Ok(Disclosure {
        evaluator: policy(&d.evaluator, "evaluator", DisclosurePolicy::None)?,
        trustee: policy(&d.trustee, "trustee", DisclosurePolicy::Nhs)?,
        commissioner: policy(&d.commissioner, "commissioner", DisclosurePolicy::Nhs)?,
        evaluator_internal: d.evaluator_internal.unwrap_or(true),
    })
}

/// The `[branding]` section: the accent colour and the logo.
fn resolve_branding(
    ctx: &ErrorContext,
    raw: &super::schema::BrandingSection,
    base_dir: &Path,
) -> Result<Branding> {
    let colour = match &raw.colour {
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
    Ok(Branding {
        colour,
        logo: raw.logo.as_ref().map(|l| base_dir.join(l)),
    })
}

/// The `[costs]` section: one rate, per quarter or per contact hour.
fn resolve_costs(ctx: &ErrorContext, raw: &super::schema::CostsSection) -> Result<Option<Costs>> {
    Ok(match (&raw.per_quarter, &raw.per_contact_hour) {
        (Some(a), Some(_)) => {
            return Err(ctx
                .at(
                    &a.span(),
                    "costs",
                    "give either per_quarter or per_contact_hour, not both",
                )
                .with_help("cost per person is worked out from one rate"));
        }
        (Some(v), None) | (None, Some(v)) => {
            let (basis, key) = if raw.per_quarter.is_some() {
                (crate::CostBasis::PerQuarter, "costs.per_quarter")
            } else {
                (crate::CostBasis::PerContactHour, "costs.per_contact_hour")
            };
            let rate = *v.get_ref();
            if !(rate.is_finite() && rate > 0.0) {
                return Err(ctx
                    .at(&v.span(), key, "must be a positive amount of pounds")
                    .with_help("e.g. `per_quarter = 45000`"));
            }
            Some(Costs { basis, rate })
        }
        (None, None) => None,
    })
}

/// The `[limits]` section: each bound at least a sensible minimum, defaults otherwise.
fn resolve_limits(
    ctx: &ErrorContext,
    raw: &super::schema::LimitsSection,
) -> Result<(crate::Limits, RenderLimits)> {
    let defaults = crate::Limits::default();
    let render = RenderLimits::default();
    let bound = |v: &Option<Spanned<u64>>, key: &str, min: u64, default: u64| match v {
        None => Ok(default),
        Some(v) if *v.get_ref() >= min => Ok(*v.get_ref()),
        Some(v) => Err(ctx
            .at(&v.span(), key, format!("must be at least {min}"))
            .with_help("the limits guard against broken files; raise them, don't lower them")),
    };
    let ingest = crate::Limits {
        header_bytes: bound(
            &raw.header_bytes,
            "limits.header_bytes",
            1024,
            defaults.header_bytes,
        )?,
        row_bytes: bound(&raw.row_bytes, "limits.row_bytes", 1024, defaults.row_bytes)?,
        sheet_cells: bound(
            &raw.sheet_cells,
            "limits.sheet_cells",
            1000,
            defaults.sheet_cells,
        )?,
        cell_bytes: bound(
            &raw.cell_bytes,
            "limits.cell_bytes",
            1024,
            defaults.cell_bytes,
        )?,
        shared_strings_bytes: bound(
            &raw.shared_strings_bytes,
            "limits.shared_strings_bytes",
            1 << 16,
            defaults.shared_strings_bytes,
        )?,
    };
    let render = RenderLimits {
        template_seconds: bound(
            &raw.template_seconds,
            "limits.template_seconds",
            1,
            render.template_seconds,
        )?,
        template_bytes: bound(
            &raw.template_bytes,
            "limits.template_bytes",
            1 << 20,
            render.template_bytes,
        )?,
        template_memory: bound(
            &raw.template_memory,
            "limits.template_memory",
            64 << 20,
            render.template_memory,
        )?,
        pdf_pages: bound(&raw.pdf_pages, "limits.pdf_pages", 10, render.pdf_pages)?,
    };
    Ok((ingest, render))
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
        organisation: p.organisation.clone().unwrap_or_else(|| p.name.clone()),
        start,
        financial_year_start_month: *fy.get_ref(),
        primary_outcome: primary,
        min_n: *p.min_n.get_ref() as usize,
        case_sensitive_ids: p.case_sensitive_ids,
    })
}

fn resolve_measures(
    ctx: &ErrorContext,
    raw: &Spanned<Vec<Spanned<MeasureConfig>>>,
) -> Result<Vec<Measure>> {
    let entries: Vec<MeasureConfig> = raw.get_ref().iter().map(|m| m.get_ref().clone()).collect();
    // No measures is a programme reported on engagement alone; validate warns.
    if entries.is_empty() {
        return Ok(Vec::new());
    }
    let measures = Registry::builtin().resolve(&entries).map_err(|e| {
        let span = raw.get_ref().get(e.index).map_or(raw.span(), Spanned::span);
        ctx.at(
            &span,
            format!("measures[{}].{}", e.index + 1, e.key),
            e.reason.clone(),
        )
        .with_help(match &e.suggestion {
            Some(near) => format!("did you mean {near}? `sprout list measures` lists every id"),
            None => "`sprout list measures` lists every built-in id".to_owned(),
        })
    })?;
    // Each measure is a section of the evaluator's report, with its charts: past this,
    // a report is a book no one reads, and its PDF outgrows a laptop's memory.
    if measures.len() > MAX_MEASURES {
        return Err(ctx
            .at(
                &raw.span(),
                "measures",
                format!(
                    "{} measures are configured (instruments count each of their measures); \
                     at most {MAX_MEASURES} can be reported",
                    measures.len()
                ),
            )
            .with_help("report the measures that matter for this programme; run a second config for the rest"));
    }
    Ok(measures)
}

/// The most measures one report covers (the evaluator's report has a section for each).
pub const MAX_MEASURES: usize = 50;

/// The most cohort dimensions one report compares.
pub const MAX_COHORTS: usize = 20;

fn resolve_cohorts(ctx: &ErrorContext, raw: &RawConfig) -> Result<Vec<CohortDimension>> {
    if let Some(past) = raw.cohorts.get(MAX_COHORTS) {
        return Err(ctx.at(
            &past.span(),
            "cohorts",
            format!(
                "{} cohort dimensions are configured; at most {MAX_COHORTS} can be compared",
                raw.cohorts.len()
            ),
        ));
    }
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
            show_unlisted_labels: cfg.show_unlisted_labels,
        });
    }
    Ok(out)
}
