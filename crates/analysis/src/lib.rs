//! Analysis: turns the canonical tables into every figure of the reports (flow, reach,
//! engagement, outcomes, medication, cohorts, attrition, trend), computed once into the
//! [`ReportModel`]. Statistics come from [`crate::stats`]; nothing here formats output.

mod cohorts;
mod costs;
mod data;
mod dimensions;
mod engagement;
mod findings;
mod flow;
mod medication;
mod methods;
mod outcomes;
mod people;
pub mod phases;
mod trend;

use chrono::{DateTime, NaiveDate, Utc};

use sprout_config::Config;
use sprout_core::period::{Period, PeriodError, Window};
use sprout_model::*;
use sprout_tables::{CanonicalTables, QualitySummary};

/// Which period to report on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PeriodChoice {
    /// The latest quarter that has ended by the date of the latest record.
    Latest,
    /// A quarter as written on the command line (`2026/27 Q2`, `2026-Q3`).
    Named(String),
    Range(NaiveDate, NaiveDate),
}

#[derive(Debug, thiserror::Error)]
pub enum AnalysisError {
    #[error("{0}")]
    Period(#[from] PeriodError),
    #[error("there are no referrals to report on")]
    NoData,
    #[error("internal error while reading canonical tables: {0}")]
    Tables(#[from] sprout_tables::ColumnError),
}

/// Resolves the reporting period against the data.
pub fn resolve_period(
    config: &Config,
    tables: &CanonicalTables,
    choice: &PeriodChoice,
) -> Result<Period, AnalysisError> {
    let fy = config.programme.financial_year_start_month;
    match choice {
        PeriodChoice::Named(text) => Ok(Period::parse(text, fy)?),
        PeriodChoice::Range(from, to) => Ok(Period::range(*from, *to, fy)?),
        PeriodChoice::Latest => {
            let (Some(latest), Some(earliest)) = data::date_span(tables)? else {
                return Err(AnalysisError::NoData);
            };
            Ok(Period::latest_complete(latest, earliest, fy))
        }
    }
}

/// Computes the evaluator's (unsuppressed) model for a period, from the canonical tables
/// and the data-quality summary that validation built.
pub fn analyse(
    config: &Config,
    tables: CanonicalTables,
    quality: &QualitySummary,
    period: &Period,
    generated_at: DateTime<Utc>,
) -> Result<ReportModel, AnalysisError> {
    let data = data::Data::load(config, tables)?;
    if data.clients.is_empty() {
        return Err(AnalysisError::NoData);
    }
    let programme_start = config
        .programme
        .start
        .or(data.earliest)
        .unwrap_or(period.window.start);
    let cumulative: Window = period.cumulative(programme_start);
    let windows = [period.window, cumulative];
    let scopes = [period.label.clone(), "cumulative".to_owned()];
    // The cohort comparison and the people are worked out on a thread of their own beside
    // the rest (at a national scale the two sides take about as long); each side keeps
    // its own methods log, and the logs are joined in the order the sections appear.
    let (side, main, later) = std::thread::scope(|scope| {
        let side = scope.spawn(|| {
            let mut log = methods::MethodsLog::default();
            let mut both = Both::new(windows, scopes.clone(), &mut log);
            let cohorts = both.run(|w, log| cohorts::cohorts(config, &data, w, log));
            let people = both.run(|w, _| people::people(config, &data, w));
            (cohorts, people, log)
        });
        let mut log = methods::MethodsLog::default();
        let mut both = Both::new(windows, scopes.clone(), &mut log);
        let flow = both.run(|w, _| flow::flow(config, &data, w));
        let engagement = both.run(|w, _| engagement::engagement(config, &data, w));
        let outcomes = both.run(|w, log| outcomes::outcomes(config, &data, w, log));
        let medication = both.run(|w, log| medication::medication(config, &data, w, log));
        let mut later = methods::MethodsLog::default();
        later.scope = "cumulative".into();
        let attrition = outcomes::attrition(config, &data, &cumulative, &mut later);
        let sensitivity = outcomes::sensitivity(config, &data, &cumulative);
        let trend = trend::trend(config, &data, period.quarter);
        let trajectories = outcomes::trajectories(config, &data, &cumulative);
        let side = side
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (
            side,
            (flow, engagement, outcomes, medication, log),
            (attrition, sensitivity, trend, trajectories, later),
        )
    });
    let (cohorts, people, cohorts_log) = side;
    let (flow, engagement, outcomes, medication, mut log) = main;
    let (attrition, sensitivity, trend, trajectories, later_log) = later;
    log.append(cohorts_log);
    log.append(later_log);
    let costs = config.costs.map(|c| Windowed {
        period: costs::costs(
            &c,
            &period.window,
            &flow.period,
            &people.period,
            &engagement.period,
        ),
        cumulative: costs::costs(
            &c,
            &cumulative,
            &flow.cumulative,
            &people.cumulative,
            &engagement.cumulative,
        ),
    });
    let medication = match (medication.period, medication.cumulative) {
        (Some(period), Some(cumulative)) => Some(Windowed { period, cumulative }),
        _ => None,
    };

    let mut model = ReportModel {
        meta: meta(config, period, cumulative, generated_at),
        main_points: MainPoints::default(),
        flow,
        people,
        engagement,
        outcomes,
        medication,
        trajectories,
        cohorts,
        attrition,
        sensitivity,
        trend,
        costs,
        data_quality: sprout_model::tallied(quality),
        methods: log.finish(config),
    };
    model.main_points = findings::main_points(config, &data, period, &model);
    Ok(model)
}

/// Computes a section for the period and then cumulatively, telling the methods log which.
struct Both<'a> {
    windows: [Window; 2],
    scopes: [String; 2],
    log: &'a mut methods::MethodsLog,
}

impl<'a> Both<'a> {
    fn new(windows: [Window; 2], scopes: [String; 2], log: &'a mut methods::MethodsLog) -> Self {
        Self {
            windows,
            scopes,
            log,
        }
    }

    fn run<T>(
        &mut self,
        mut section: impl FnMut(&Window, &mut methods::MethodsLog) -> T,
    ) -> Windowed<T> {
        self.log.scope = self.scopes[0].clone();
        let period = section(&self.windows[0], self.log);
        self.log.scope = self.scopes[1].clone();
        let cumulative = section(&self.windows[1], self.log);
        Windowed { period, cumulative }
    }
}

fn meta(config: &Config, period: &Period, cumulative: Window, generated_at: DateTime<Utc>) -> Meta {
    let boundary = |r: &sprout_config::DateRule| PhaseBoundary {
        anchor: r.anchor.name(),
        offset_days: r.offset_days,
    };
    let compare = &config.timepoints.compare;
    Meta {
        programme: config.programme.name.clone(),
        organisation: config.programme.organisation.clone(),
        audience: Audience::Evaluator,
        period: period.clone(),
        cumulative,
        generated_at: generated_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        engine_version: env!("CARGO_PKG_VERSION").to_owned(),
        disclosure: DisclosureNote::new(
            config.disclosure.evaluator,
            config.disclosure.evaluator_internal,
        ),
        branding: Branding {
            colour: config.branding.colour.clone(),
        },
        primary_outcome: config.programme.primary_outcome.clone(),
        measures: config
            .measures
            .iter()
            .map(|m| MeasureInfo {
                id: m.id.clone(),
                label: m.label.clone(),
                instrument: m.instrument.clone(),
                min: m.min,
                max: m.max,
                better: m.direction,
                mcid: m.mcid,
                reliability: m.reliability,
                unit: m.unit.clone(),
                primary: m.primary,
                citation: m.citation.clone(),
            })
            .collect(),
        timepoints: config
            .timepoints
            .order
            .iter()
            .map(|t| TimepointInfo {
                id: t.id.clone(),
                label: t.label.clone(),
            })
            .collect(),
        compare: Span {
            from: compare.from.clone(),
            to: compare.to.clone(),
            label: compare.label.clone(),
        },
        phases: config
            .phases
            .iter()
            .map(|p| PhaseInfo {
                id: p.id.clone(),
                label: p.label.clone(),
                starts: boundary(&p.starts),
                ends: p.ends.as_ref().map(boundary),
            })
            .collect(),
        reach_area: config.reach.area.clone(),
    }
}
