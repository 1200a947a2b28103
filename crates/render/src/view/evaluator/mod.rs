//! The evaluator's full quarterly report, in the order of reports.md: key findings, flow,
//! who was supported, engagement, outcomes, medication, trajectories, cohorts, attrition
//! and sensitivity, trend, then the data-quality and methods appendices and a glossary.

mod comparisons;
mod engagement;
mod outcomes;
mod people;

use super::phrases::{self};
use super::points::{self, Register};
use super::shared;
use super::{Block, Ctx, Section};
use crate::RenderError;
use crate::format;
use comparisons::{attrition, cohorts, trend};
use engagement::engagement;
use outcomes::{medication, outcomes, trajectories};
use people::{flow, people};
use sprout_model::*;

pub fn sections(ctx: &Ctx) -> Result<Vec<Section>, RenderError> {
    let mut out = vec![
        key_findings(ctx),
        flow(ctx)?,
        people(ctx)?,
        engagement(ctx),
        outcomes(ctx)?,
    ];
    if let Some(s) = medication(ctx)? {
        out.push(s);
    }
    if let Some(s) = trajectories(ctx)? {
        out.push(s);
    }
    if let Some(s) = cohorts(ctx)? {
        out.push(s);
    }
    out.push(attrition(ctx));
    out.push(trend(ctx)?);
    for (i, s) in out.iter_mut().enumerate() {
        s.number = Some((i + 1).to_string());
    }
    out.push(shared::data_quality(ctx, "A"));
    out.push(shared::methods(ctx, "B"));
    out.push(shared::glossary(ctx, Some("C"), &out));
    Ok(out)
}

fn section(
    ctx: &Ctx,
    id: &str,
    heading: String,
    lead: Option<String>,
    blocks: Vec<Block>,
) -> Section {
    Section {
        id: id.to_owned(),
        number: None,
        kicker: ctx.w.get(&format!("section.{id}")),
        heading,
        lead,
        blocks,
        appendix: false,
    }
}

/// Key findings: the headline with the average change, pain, change over time, how
/// cohorts compare (the equity result first), medication, completion and sensitivity,
/// who was supported, and the caveat of a before-and-after design.
fn key_findings(ctx: &Ctx) -> Section {
    let m = ctx.m;
    let w = ctx.w;
    let mut items = Vec::new();
    let mut headline = None;
    let mut groups_said = 0;
    let mut completion = Vec::new();
    for p in &m.main_points.points {
        match p {
            MainPoint::Headline { measure } => {
                // The headline is the heading; the point gives its interval, the average
                // change and the "any rise" share.
                if let Some((h, point)) = points::headline(ctx, measure) {
                    headline = h;
                    items.push(point);
                }
            }
            MainPoint::OverTime(o) => items.extend(points::over_time(ctx, o, Register::Technical)),
            MainPoint::Groups(g) => {
                // The most telling difference, and the equity result where that is another.
                let equity = ["imd_quintile", "ethnic_group"].contains(&g.dimension.as_str());
                if groups_said == 0 || (equity && groups_said == 1) {
                    items.extend(points::group_point(ctx, g, Register::Technical));
                    groups_said += 1 + usize::from(equity);
                }
            }
            MainPoint::Pain { measure } => items.extend(points::pain(ctx, measure)),
            MainPoint::Medication => {
                if let Some(med) = &m.medication {
                    let said = phrases::medication(ctx, &med.period);
                    if !said.is_empty() {
                        items.push(said.join(" "));
                    }
                }
            }
            MainPoint::Completion { measure } => {
                completion.extend(points::completion(ctx, measure))
            }
            MainPoint::Sensitivity {
                measure,
                changes_picture,
            } => completion.extend(points::sensitivity(ctx, measure, *changes_picture)),
        }
    }
    if !completion.is_empty() {
        items.push(completion.join(" "));
    }
    let f = &m.flow.period;
    items.push(w.fill(
        "key.flow",
        &[
            ("period", ctx.period()),
            ("supported", &format::count(&m.people.period.supported)),
            ("new", &format::count(&m.people.period.new)),
            ("continuing", &format::count(&m.people.period.continuing)),
            ("referred", &format::count(&f.referred)),
            ("left", &format::count(&f.ended.left)),
            ("completed", &format::count(&f.ended.completed)),
        ],
    ));
    items.push(w.get("key.design"));
    section(
        ctx,
        "key_findings",
        headline.unwrap_or_else(|| w.get("key.heading")),
        None,
        vec![Block::Points { items }],
    )
}
