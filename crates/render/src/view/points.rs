//! The main points in words (methods.md section 9). Analysis decides what each point
//! says (smaller, similar, which cohort improved least, whether a difference holds after
//! allowing for baseline); here each report words it in its own register — plainly for
//! trustees, with methods and p-values for evaluators and commissioners — quoting the
//! figures from the sections of the model that hold them.

use super::Ctx;
use super::phrases::{self, lower_is_better, topic};
use crate::format;
use crate::words::{capitalise, in_sentence};
use sprout_model::*;

/// How a point is worded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Register {
    /// For trustees: no p-values, no jargon.
    Plain,
    /// For evaluators and commissioners: methods, intervals and p-values.
    Technical,
}

/// The period's main comparison of a measure.
fn period_comparison<'a>(ctx: &Ctx<'a>, measure: &str) -> Option<&'a OutcomeComparison> {
    phrases::main_comparisons(&ctx.m.outcomes.period).find(|c| c.measure == measure)
}

/// The headline of the technical reports: the headline sentence (for a heading) and the
/// point that follows it — the headline's interval, the average change and the "any
/// rise" share — or, without a headline, why not.
pub fn headline(ctx: &Ctx, measure: &str) -> Option<(Option<String>, String)> {
    let c = period_comparison(ctx, measure)?;
    let heading = phrases::headline(ctx, c);
    let mut said = Vec::new();
    if heading.is_none() {
        said.push(phrases::no_result(ctx, c));
    }
    said.extend(phrases::headline_interval(ctx, c));
    said.extend(phrases::change_and_any_rise(ctx, c));
    Some((heading, said.join(" ")))
}

/// The change over time in words.
pub fn over_time(ctx: &Ctx, o: &OverTime, register: Register) -> Option<String> {
    let w = ctx.w;
    let dp = ctx.dp(&o.measure);
    let now = period_comparison(ctx, &o.measure)?;
    let now_change = now.result.as_ref().and_then(|r| r.mean_change);
    let period = ctx.period();
    let topic = topic(ctx, &o.measure);
    let signed = |e: Option<Estimate>| {
        e.map_or_else(
            || format::SUPPRESSED.to_owned(),
            |e| format::signed(e.value, dp),
        )
    };
    let extreme = o
        .extreme
        .map(|x| {
            let span = if x.quarters >= TREND_QUARTERS {
                w.get("point.span_two_years")
            } else {
                w.fill("point.span_quarters", &[("k", &x.quarters.to_string())])
            };
            w.fill(
                if x.largest {
                    "point.extreme_largest"
                } else {
                    "point.extreme_smallest"
                },
                &[("span", &span)],
            )
        })
        .unwrap_or_default();
    let plain = register == Register::Plain;
    let verdict_key = match (o.verdict, plain) {
        (OverTimeVerdict::Smaller, true) => "point.time_smaller_plain",
        (OverTimeVerdict::Larger, true) => "point.time_larger_plain",
        (OverTimeVerdict::Similar, true) => "point.time_similar_plain",
        (OverTimeVerdict::NotTested, true) => "point.time_untested_plain",
        (OverTimeVerdict::Smaller, false) => "point.time_smaller",
        (OverTimeVerdict::Larger, false) => "point.time_larger",
        (OverTimeVerdict::Similar, false) => "point.time_similar",
        (OverTimeVerdict::NotTested, false) => "point.time_untested",
    };
    let d = o.difference.ran();
    let interval = |f: fn(&Estimate) -> Option<f64>| {
        d.and_then(|d| f(&d.estimate))
            .map_or_else(String::new, |v| format::number(v, dp))
    };
    let year_ago = o
        .year_ago
        .as_ref()
        .and_then(|label| {
            let q = ctx.m.trend.quarters.iter().find(|q| &q.label == label)?;
            let e = q.mean_change.value?;
            Some(w.fill(
                "point.year_ago",
                &[("quarter", label), ("value", &format::signed(e.value, dp))],
            ))
        })
        .unwrap_or_default();
    let reason = o
        .difference
        .reason()
        .map(|r| ctx.reason(r))
        .unwrap_or_default();
    let text = w.fill(
        verdict_key,
        &[
            ("Topic", &capitalise(&topic)),
            ("topic", &topic),
            ("period", period),
            ("now", &signed(now_change)),
            ("n", &format::count(&now.n)),
            ("then", &signed(o.previous.value)),
            ("n_then", &format::count(&o.previous.n)),
            (
                "diff",
                &d.map_or_else(String::new, |d| format::signed(d.estimate.value, dp)),
            ),
            ("lower", &interval(|e| e.lower)),
            ("upper", &interval(|e| e.upper)),
            ("p", &d.map_or_else(String::new, |d| format::p_text(d.p))),
            ("extreme", &extreme),
            ("year_ago", &year_ago),
            ("reason", &reason),
        ],
    );
    Some(text)
}

/// A cohort as a sentence names it: the catalogue's name for the level where it has one
/// (`cohort_plain.imd_quintile.1`: "people in the most deprived fifth of areas").
fn cohort_name(ctx: &Ctx, c: &CohortComparison, row: &CohortRow, register: Register) -> String {
    let prefix = match register {
        Register::Plain => "cohort_plain",
        Register::Technical => "cohort_name",
    };
    let key = format!("{prefix}.{}.{}", c.dimension, row.key);
    if ctx.w.contains(&key) {
        return ctx.w.get(&key);
    }
    match register {
        Register::Plain => ctx
            .w
            .fill("point.cohort_plain", &[("label", &in_sentence(&row.label))]),
        Register::Technical => row.label.clone(),
    }
}

/// A main point about groups in words.
pub fn group_point(ctx: &Ctx, g: &GroupFinding, register: Register) -> Option<String> {
    let c = g.comparison(&ctx.m.cohorts)?;
    group(ctx, c, g.scope, g.fell_back, register)
}

/// What a comparison's test across cohorts found, in words.
pub fn group(
    ctx: &Ctx,
    c: &CohortComparison,
    scope: Scope,
    fell_back: bool,
    register: Register,
) -> Option<String> {
    let w = ctx.w;
    let f = &c.finding;
    let dp = ctx.dp(&c.measure);
    let dimension = in_sentence(&c.dimension_label);
    let plain = register == Register::Plain;
    let scope = match (scope, fell_back, plain) {
        (Scope::Period, _, true) => w.fill("point.scope_period_plain", &[("period", ctx.period())]),
        (Scope::Cumulative, false, true) => w.get("point.scope_cumulative_plain"),
        (Scope::Cumulative, true, true) => w.fill(
            "point.scope_fell_back_plain",
            &[("period", ctx.period()), ("dimension", &dimension)],
        ),
        (Scope::Period, _, false) => w.fill("point.scope_period", &[("period", ctx.period())]),
        (Scope::Cumulative, false, false) => w.get("point.scope_cumulative"),
        (Scope::Cumulative, true, false) => {
            w.fill("point.scope_fell_back", &[("period", ctx.period())])
        }
    };
    let row = |key: &Option<String>| {
        key.as_ref()
            .and_then(|k| c.cohorts.iter().find(|r| &r.key == k))
    };
    let test = c.tests.first();
    let method = test.map_or_else(String::new, |t| t.method.to_string());
    let p = test
        .and_then(|t| t.result.ran())
        .map_or_else(String::new, |s| format::p_text(s.p));
    let ancova_p = c
        .ancova
        .ran()
        .map_or_else(String::new, |a| format::p_text(a.p));
    let left_out = left_out(ctx, c, register);
    let topic = topic(ctx, &c.measure);
    let mut values: Vec<(&str, String)> = vec![
        ("scope", scope.clone()),
        ("Scope", capitalise(&scope)),
        ("dimension", dimension.clone()),
        ("topic", topic.clone()),
        ("Topic", capitalise(&topic)),
        ("method", method),
        ("p", p),
        ("left_out", left_out),
        ("period", ctx.period().to_owned()),
    ];
    let key = match f.verdict {
        GroupVerdict::Differ => {
            let (Some(low), Some(high)) = (row(&f.lowest), row(&f.highest)) else {
                return Some(w.fill(
                    if plain {
                        "point.group_differ_plain_unnamed"
                    } else {
                        "point.group_differ_unnamed"
                    },
                    &refs(&values),
                ));
            };
            let change = |r: &CohortRow| {
                r.mean_change()
                    .map_or_else(String::new, |e| format::signed(e.value, dp))
            };
            let after = match (f.holds_adjusted, plain) {
                (Some(true), true) => w.get("point.after_holds_plain"),
                (Some(false), true) => w.get("point.after_not_plain"),
                (Some(true), false) => w.fill("point.after_holds", &[("p", &ancova_p)]),
                (Some(false), false) => w.fill("point.after_not", &[("p", &ancova_p)]),
                (None, _) => String::new(),
            };
            values.extend([
                ("low", cohort_name(ctx, c, low, register)),
                ("high", cohort_name(ctx, c, high, register)),
                ("low_change", change(low)),
                ("high_change", change(high)),
                ("low_n", format::count(&low.n)),
                ("high_n", format::count(&high.n)),
                ("after", after),
            ]);
            if plain {
                "point.group_differ_plain"
            } else {
                "point.group_differ"
            }
        }
        GroupVerdict::NoClearDifference => {
            let adjusted = match c.ancova.ran() {
                Some(a) if a.p < 0.05 && !plain => {
                    w.fill("point.adjusted_differ", &[("p", &ancova_p)])
                }
                _ => String::new(),
            };
            values.push(("adjusted", adjusted));
            if plain {
                "point.group_same_plain"
            } else {
                "point.group_same"
            }
        }
        GroupVerdict::NotTested => {
            let reason = test
                .and_then(|t| t.result.reason())
                .map(|r| ctx.reason(r))
                .unwrap_or_default();
            values.push(("reason", reason));
            if plain {
                "point.group_untested_plain"
            } else {
                "point.group_untested"
            }
        }
        GroupVerdict::Hidden if plain => return None,
        GroupVerdict::Hidden => "point.group_hidden",
    };
    Some(w.fill(key, &refs(&values)))
}

fn refs<'a>(values: &'a [(&'a str, String)]) -> Vec<(&'a str, &'a str)> {
    values.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

/// " Left out of the test: Knee replacement and Spinal surgery (fewer than 10 pairs)."
fn left_out(ctx: &Ctx, c: &CohortComparison, register: Register) -> String {
    if register == Register::Plain {
        return String::new();
    }
    let w = ctx.w;
    let g = &c.finding;
    let few: Vec<String> = g
        .left_out
        .iter()
        .filter(|l| l.why == LeftOutBecause::TooFew && l.n.value != Some(0))
        .map(|l| {
            let key = format!("cohort_name.{}.{}", c.dimension, l.key);
            if w.contains(&key) {
                w.get(&key)
            } else {
                l.label.clone()
            }
        })
        .collect();
    let unrecorded = g
        .left_out
        .iter()
        .any(|l| l.why == LeftOutBecause::NotRecorded && l.n.value != Some(0));
    let mut parts = Vec::new();
    if !few.is_empty() {
        parts.push(w.fill(
            "point.left_out_few",
            &[
                ("names", &crate::words::and_list(&few)),
                ("min_n", &ctx.min_n().to_string()),
            ],
        ));
    }
    if unrecorded {
        parts.push(w.fill(
            "point.left_out_unrecorded",
            &[("dimension", &in_sentence(&c.dimension_label))],
        ));
    }
    if parts.is_empty() {
        String::new()
    } else {
        w.fill("point.left_out", &[("parts", &parts.join("; "))])
    }
}

/// How many of the people who left support answered both questionnaires.
pub fn completion(ctx: &Ctx, measure: &str) -> Option<String> {
    let e = &ctx.m.flow.period.ended;
    let share = &e.completion.iter().find(|c| c.measure == measure)?.share;
    let p = share.percent()?;
    Some(ctx.w.fill(
        "point.completion",
        &[
            ("left", &format::count(&e.left)),
            ("period", ctx.period()),
            ("tenths", &format::in_ten(p)),
            ("percent", &format!("{p}%")),
            ("topic", &topic(ctx, measure)),
        ],
    ))
}

/// The baseline-carried-forward result beside the completers'.
pub fn sensitivity(ctx: &Ctx, measure: &str, changes_picture: bool) -> Option<String> {
    let s = ctx.m.sensitivity.iter().find(|s| s.measure == measure)?;
    let dp = ctx.dp(measure);
    let bocf = s.carried_forward.value?;
    let completers = s.completers.value?;
    let interval = match (bocf.lower, bocf.upper) {
        (Some(l), Some(u)) => format::interval(l, u, dp),
        _ => ctx.w.get("cell.no_interval"),
    };
    Some(ctx.w.fill(
        if changes_picture {
            "point.sensitivity_changes"
        } else {
            "point.sensitivity_holds"
        },
        &[
            ("bocf", &format::signed(bocf.value, dp)),
            ("interval", &interval),
            ("n", &format::count(&s.carried_forward.n)),
            ("completers", &format::signed(completers.value, dp)),
            ("n_completers", &format::count(&s.completers.n)),
        ],
    ))
}

/// The change in pain in a sentence, technical register.
pub fn pain(ctx: &Ctx, measure: &str) -> Option<String> {
    let c = period_comparison(ctx, measure)?;
    let e = c.result.as_ref()?.mean_change?;
    let dp = ctx.dp(measure);
    // A change that could be chance (or has no interval) is said as such.
    let (Some(lower), Some(upper)) = (e.lower, e.upper) else {
        return phrases::mean_change(ctx, c);
    };
    if lower <= 0.0 && upper >= 0.0 {
        return phrases::mean_change(ctx, c);
    }
    Some(ctx.w.fill(
        if e.value > 0.0 {
            "key.other_rose"
        } else {
            "key.other_fell"
        },
        &[
            ("topic", &capitalise(&topic(ctx, measure))),
            ("change", &format::number(e.value.abs(), dp)),
            ("lower", &format::number(lower.abs().min(upper.abs()), dp)),
            ("upper", &format::number(lower.abs().max(upper.abs()), dp)),
            ("n", &format::count(&c.n)),
        ],
    ))
}

/// What the figures mean for trustees: implications of the main points, not the numbers
/// again. Each follows from a point's verdict; none claims the support caused a change.
pub fn implications(ctx: &Ctx) -> Vec<String> {
    let w = ctx.w;
    let mut out = Vec::new();
    let mut groups_said = false;
    for p in &ctx.m.main_points.points {
        let line = match p {
            MainPoint::Headline { measure } => {
                let Some(c) = period_comparison(ctx, measure) else {
                    continue;
                };
                let topic = topic(ctx, measure);
                let clear = c
                    .result
                    .as_ref()
                    .and_then(|r| r.mean_change)
                    .and_then(|e| Some((phrases::clear(&e)?, e.value)));
                let better = |v: f64| {
                    if lower_is_better(ctx, measure) {
                        v < 0.0
                    } else {
                        v > 0.0
                    }
                };
                // How many improved noticeably, where a meaningful change is set and the
                // share is shown; otherwise nothing is said about noticing.
                let noticeable = c
                    .result
                    .as_ref()
                    .filter(|r| r.mcid.is_some())
                    .and_then(|r| r.improved.as_ref())
                    .and_then(Share::percent)
                    .map(|p| p >= 50);
                let key = match (clear, noticeable) {
                    (Some((true, v)), Some(true)) if better(v) => "implication.most_noticeable",
                    (Some((true, v)), Some(false)) if better(v) => "implication.modest",
                    (Some((true, v)), None) if better(v) => "implication.improves",
                    (Some((true, _)), _) => "implication.worse",
                    (Some((false, _)), _) => "implication.unclear",
                    (None, _) => continue,
                };
                w.fill(key, &[("topic", &topic), ("Topic", &capitalise(&topic))])
            }
            MainPoint::OverTime(o) => match o.verdict {
                OverTimeVerdict::Smaller => w.get("implication.time_smaller"),
                OverTimeVerdict::Larger => w.get("implication.time_larger"),
                OverTimeVerdict::Similar => w.get("implication.time_similar"),
                OverTimeVerdict::NotTested => continue,
            },
            MainPoint::Groups(g) if !groups_said => {
                groups_said = true;
                let dimension = in_sentence(&g.dimension_label);
                let Some(c) = g.comparison(&ctx.m.cohorts) else {
                    continue;
                };
                let key = format!(
                    "implication.groups_{}_{}",
                    g.dimension,
                    c.finding.lowest.as_deref().unwrap_or_default()
                );
                match c.finding.verdict {
                    GroupVerdict::Differ if w.contains(&key) => w.get(&key),
                    GroupVerdict::Differ => {
                        w.fill("implication.groups_differ", &[("dimension", &dimension)])
                    }
                    GroupVerdict::NoClearDifference => {
                        w.fill("implication.groups_same", &[("dimension", &dimension)])
                    }
                    _ => continue,
                }
            }
            MainPoint::Medication => {
                let Some(b) = ctx
                    .m
                    .medication
                    .as_ref()
                    .and_then(|m| m.period.on_opioid.as_ref())
                else {
                    continue;
                };
                // Only where the McNemar test finds the change unlikely to be chance.
                let clear = b.mcnemar_p.ran().is_some_and(|p| *p < 0.05);
                match (b.counts[1].value, b.counts[2].value) {
                    (Some(stopped), Some(started)) if clear && stopped > started => {
                        w.get("implication.medication_fewer")
                    }
                    _ => continue,
                }
            }
            _ => continue,
        };
        if !out.contains(&line) {
            out.push(line);
        }
        if out.len() >= 3 {
            break;
        }
    }
    out
}
