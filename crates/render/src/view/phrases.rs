//! Sentences a reader can repeat, assembled from the wording catalogue: how many people
//! changed for the better, how much the average moved and how sure we can be, in the
//! phrase bank's words. Which phrase applies is read off the model's figures (an interval
//! either excludes no change or it does not); nothing is recomputed.

use super::Ctx;
use crate::format;
use sprout_model::*;
use sprout_stats::Direction;

/// What the measure is about, for sentences: "wellbeing", "pain severity"; the measure's
/// label where the catalogue has no topic for it.
pub fn topic(ctx: &Ctx, measure: &str) -> String {
    let key = format!("topic.{measure}");
    if ctx.w.contains(&key) {
        return ctx.w.get(&key);
    }
    let instrument = ctx
        .measure(measure)
        .map(|m| m.instrument.clone())
        .unwrap_or_default();
    let key = format!("topic.{instrument}");
    if ctx.w.contains(&key) {
        ctx.w.get(&key)
    } else {
        ctx.label(measure)
    }
}

pub fn lower_is_better(ctx: &Ctx, measure: &str) -> bool {
    ctx.measure(measure)
        .is_some_and(|m| m.better == Direction::LowerIsBetter)
}

fn units(ctx: &Ctx, v: f64) -> String {
    let one = (v.abs() - 1.0).abs() < 1e-9;
    ctx.w
        .get(if one { "phrase.point" } else { "phrase.points" })
}

/// The share a headline leads with: improved by at least the measure's meaningful
/// change, or, for a measure without one, any change for the better.
pub fn headline_share(c: &OutcomeComparison) -> Option<&Share> {
    let r = c.result.as_ref()?;
    match (&r.improved, r.mcid) {
        (Some(s), Some(_)) => Some(s),
        _ => Some(&r.better),
    }
}

/// "About 2 in 10 (20%) of the 65 people who finished support and answered both
/// questionnaires improved their wellbeing score by at least 3 points, the smallest
/// change people typically notice on this scale." — or, without a meaningful change,
/// "... had a better wellbeing score at the end than at the start (any rise, however
/// small)."
pub fn headline(ctx: &Ctx, c: &OutcomeComparison) -> Option<String> {
    let r = c.result.as_ref()?;
    let share = headline_share(c)?;
    let p = share.percent()?;
    let mut values = vec![
        ("tenths", format::in_ten(p)),
        ("percent", format!("{p}%")),
        ("n", format::count(&c.n)),
        ("topic", topic(ctx, &c.measure)),
    ];
    let key = match (r.mcid, &r.improved) {
        (Some(mcid), Some(_)) => {
            values.push(("mcid", format::number(mcid, mcid_dp(mcid))));
            values.push(("units", units(ctx, mcid)));
            "phrase.headline_meaningful"
        }
        _ => "phrase.headline_any",
    };
    let refs: Vec<(&str, &str)> = values.iter().map(|(k, v)| (*k, v.as_str())).collect();
    Some(ctx.w.fill(key, &refs))
}

/// The headline share's interval in words: "The true share is likely to be between 12%
/// and 30%."
pub fn headline_interval(ctx: &Ctx, c: &OutcomeComparison) -> Option<String> {
    let (l, u) = headline_share(c)?.percent_ci()?;
    Some(ctx.w.fill(
        "phrase.share_interval",
        &[("lower", &format!("{l}%")), ("upper", &format!("{u}%"))],
    ))
}

/// The secondary "any rise" figure, defined where it is used: "Counting any rise in the
/// score, however small, about 6 in 10 (60%) were better off at the end."
pub fn any_rise(ctx: &Ctx, c: &OutcomeComparison) -> Option<String> {
    let r = c.result.as_ref()?;
    r.mcid?;
    r.improved.as_ref()?;
    let p = r.better.percent()?;
    Some(ctx.w.fill(
        "phrase.any_rise",
        &[
            ("tenths", &format::in_ten(p)),
            ("percent", &format!("{p}%")),
            ("topic", &topic(ctx, &c.measure)),
        ],
    ))
}

/// Decimals of a meaningful-change threshold: none for a whole number.
fn mcid_dp(v: f64) -> usize {
    if v.fract() == 0.0 { 0 } else { 1 }
}

/// A meaningful-change threshold as text: "3", "1.5".
pub fn mcid_text(v: f64) -> String {
    format::number(v, mcid_dp(v))
}

/// "On average, scores rose by 1.1 points on a scale from 7 to 35. The true average rise
/// is likely to be between 0.6 and 1.7 points. This is very unlikely to be chance."
pub fn mean_change(ctx: &Ctx, c: &OutcomeComparison) -> Option<String> {
    let r = c.result.as_ref()?;
    let e = r.mean_change?;
    let dp = ctx.dp(&c.measure);
    let m = ctx.measure(&c.measure)?;
    let rose = e.value >= 0.0;
    let mut s = ctx.w.fill(
        if format::number(e.value, dp)
            .trim_start_matches(format::MINUS)
            .chars()
            .all(|c| c == '0' || c == '.')
        {
            "phrase.mean_unchanged"
        } else if rose {
            "phrase.mean_rose"
        } else {
            "phrase.mean_fell"
        },
        &[
            ("topic", &topic(ctx, &c.measure)),
            ("change", &format::number(e.value.abs(), dp)),
            ("units", &units(ctx, e.value)),
            (
                "min",
                &format::number(m.min, if m.min.fract() == 0.0 { 0 } else { dp }),
            ),
            (
                "max",
                &format::number(m.max, if m.max.fract() == 0.0 { 0 } else { dp }),
            ),
            (
                "better",
                &ctx.w.get(if lower_is_better(ctx, &c.measure) {
                    "phrase.lower_better"
                } else {
                    "phrase.higher_better"
                }),
            ),
        ],
    );
    s.push(' ');
    s.push_str(&uncertainty(ctx, &e, dp));
    Some(s)
}

/// The interval in words, and whether it is clear evidence of a change.
pub fn uncertainty(ctx: &Ctx, e: &Estimate, dp: usize) -> String {
    let (Some(l), Some(u)) = (e.lower, e.upper) else {
        return ctx
            .w
            .fill("phrase.no_interval", &[("min_n", &ctx.min_n().to_string())]);
    };
    let units = units(ctx, 2.0);
    let n = |v: f64| format::number(v.abs(), dp);
    if l > 0.0 || u < 0.0 {
        ctx.w.fill(
            if l > 0.0 {
                "phrase.likely_rise"
            } else {
                "phrase.likely_fall"
            },
            &[
                ("lower", &n(if l > 0.0 { l } else { u })),
                ("upper", &n(if l > 0.0 { u } else { l })),
                ("units", &units),
            ],
        )
    } else {
        ctx.w.fill(
            "phrase.unclear",
            &[("fall", &n(l)), ("rise", &n(u)), ("units", &units)],
        )
    }
}

/// Whether the interval of a change excludes no change.
pub fn clear(e: &Estimate) -> Option<bool> {
    Some(e.lower? > 0.0 || e.upper? < 0.0)
}

/// What a comparison says: the headline share (or why it is hidden), the average
/// change with its uncertainty, and the "any rise" share defined; or, without figures,
/// why not.
pub fn outcome(ctx: &Ctx, c: &OutcomeComparison) -> Vec<String> {
    let mut out = vec![headline(ctx, c).unwrap_or_else(|| no_result(ctx, c))];
    out.extend(headline_interval(ctx, c));
    out.extend(change_and_any_rise(ctx, c));
    out
}

/// The average change with its uncertainty and the "any rise" share: what follows a
/// headline already said.
pub fn change_and_any_rise(ctx: &Ctx, c: &OutcomeComparison) -> Vec<String> {
    let mut out = Vec::new();
    out.extend(mean_change(ctx, c));
    out.extend(any_rise(ctx, c));
    out
}

/// Why a comparison has no figures.
pub fn no_result(ctx: &Ctx, c: &OutcomeComparison) -> String {
    if c.n.is_suppressed() {
        ctx.suppressed_note()
    } else if c.result.is_some() {
        // Figures are shown, but the share is hidden for its numerator or complement.
        let threshold = ctx.m.meta.disclosure.hidden_below.unwrap_or(1).to_string();
        if let Some(mcid) = c.result.as_ref().and_then(|r| r.mcid) {
            return ctx.w.fill(
                "phrase.meaningful_hidden",
                &[
                    ("topic", &topic(ctx, &c.measure)),
                    ("threshold", &threshold),
                    ("mcid", &format::number(mcid, mcid_dp(mcid))),
                ],
            );
        }
        ctx.w.fill(
            "phrase.share_hidden",
            &[
                ("topic", &topic(ctx, &c.measure)),
                ("threshold", &threshold),
            ],
        )
    } else if c.n.value == Some(0) {
        ctx.w
            .fill("phrase.no_pairs", &[("topic", &topic(ctx, &c.measure))])
    } else {
        ctx.w
            .fill("phrase.too_few", &[("min_n", &ctx.min_n().to_string())])
    }
}

/// The main comparison of each measure for a window, in config order.
pub fn main_comparisons(o: &Outcomes) -> impl Iterator<Item = &OutcomeComparison> {
    o.comparisons.iter().filter(|c| c.main)
}

/// The primary outcome's main comparison, or the first measure's.
pub fn primary<'a>(ctx: &Ctx, o: &'a Outcomes) -> Option<&'a OutcomeComparison> {
    let id = ctx.m.meta.primary_outcome.as_deref();
    main_comparisons(o)
        .find(|c| Some(c.measure.as_str()) == id)
        .or_else(|| main_comparisons(o).next())
}

/// Medication in words: "Of the 45 people taking opioids at the start, 10 had stopped by
/// the end and 5 had started." and "The average daily opioid dose fell from 54 mg to 36 mg
/// of oral morphine equivalent."
pub fn medication(ctx: &Ctx, med: &MedicationOutcomes) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(b) = &med.on_opioid {
        out.extend(stopped(ctx, b, true));
    }
    if let Some(s) = &med.ome {
        let key = if s.to_mean.value < s.from_mean.value {
            "phrase.med_dose_fell"
        } else {
            "phrase.med_dose_rose"
        };
        let mut sentence = ctx.w.fill(
            key,
            &[
                ("before", &format::number(s.from_mean.value, 0)),
                ("after", &format::number(s.to_mean.value, 0)),
                ("n", &format::count(&med.pairs)),
            ],
        );
        if let Some(e) = s.mean_change {
            sentence.push(' ');
            sentence.push_str(&uncertainty_mg(ctx, &e));
        }
        out.push(sentence);
    }
    out
}

/// For the dose key figure: how sure we can be of the change, and how many stopped.
pub fn medication_detail(ctx: &Ctx, med: &MedicationOutcomes) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(e) = med.ome.as_ref().and_then(|s| s.mean_change) {
        out.push(uncertainty_mg(ctx, &e));
    }
    if let Some(b) = &med.on_opioid {
        out.extend(stopped(ctx, b, false));
    }
    out
}

/// How many stopped opioids (and, in the long form, started): "Of the 63 people taking
/// opioids at the start, 16 had stopped by the end and 0 had started."; where how many
/// were on opioids is hidden (it would reveal the few who were not), the count alone.
fn stopped(ctx: &Ctx, b: &BinaryOutcome, long: bool) -> Option<String> {
    let [_, stopped, started, _] = b.counts;
    stopped.value?;
    let on = &b.before.numerator;
    Some(match (on.value, long) {
        (Some(_), true) => ctx.w.fill(
            "phrase.med_stopped",
            &[
                ("on", &format::count(on)),
                ("stopped", &format::count(&stopped)),
                ("started", &format::count(&started)),
            ],
        ),
        (Some(_), false) => ctx.w.fill(
            "phrase.med_stopped_short",
            &[
                ("on", &format::count(on)),
                ("stopped", &format::count(&stopped)),
            ],
        ),
        (None, _) => ctx.w.fill(
            "phrase.med_stopped_count",
            &[("stopped", &format::count(&stopped))],
        ),
    })
}

fn uncertainty_mg(ctx: &Ctx, e: &Estimate) -> String {
    let (Some(l), Some(u)) = (e.lower, e.upper) else {
        return ctx.w.fill(
            "phrase.no_interval_mg",
            &[("min_n", &ctx.min_n().to_string())],
        );
    };
    let n = |v: f64| format::number(v.abs(), 0);
    if l > 0.0 || u < 0.0 {
        let (key, lower, upper) = if u < 0.0 {
            ("phrase.likely_fall_mg", n(u), n(l))
        } else {
            ("phrase.likely_rise_mg", n(l), n(u))
        };
        ctx.w.fill(key, &[("lower", &lower), ("upper", &upper)])
    } else {
        ctx.w
            .fill("phrase.unclear_mg", &[("fall", &n(l)), ("rise", &n(u))])
    }
}

/// "38% of the people supported live in the most deprived fifth of areas, against 27% of
/// the local population."
pub fn reach(ctx: &Ctx, r: &Reach) -> Option<String> {
    let p = r.share.percent()?;
    let key = format!("phrase.reach_{}", r.id);
    let key = if ctx.w.contains(&key) {
        key
    } else {
        "phrase.reach_other".to_owned()
    };
    let against = r
        .local_share
        .map(|l| {
            ctx.w
                .fill("phrase.reach_against", &[("local", &format::percent(l))])
        })
        .unwrap_or_default();
    Some(ctx.w.fill(
        &key,
        &[
            ("share", &format!("{p}%")),
            ("group", &crate::words::in_sentence(&r.label)),
            ("against", &against),
        ],
    ))
}
