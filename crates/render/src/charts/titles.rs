//! Chart titles that state the chart's message with its key number ("SWEMWBS: the mean
//! went from 18.9 at baseline to 20.0 at discharge (n = 63)"), worked out from the same
//! model figures the chart draws. A chart whose figures are hidden or missing says so, with
//! the count it rests on.

use crate::doc::Ctx;
use crate::format;
use sprout_model::*;

/// "n = 63" (kept on one line), or "n = [c]" where the count is hidden.
fn n(ctx: &Ctx, c: &Count) -> String {
    ctx.w
        .fill("chart.n", &[("n", &format::count(c))])
        .replace(' ', "\u{a0}")
}

/// The main comparison of one measure: its two means.
pub(super) fn dumbbell(ctx: &Ctx, c: &OutcomeComparison) -> String {
    let (w, dp) = (ctx.w, ctx.dp(&c.measure));
    let (measure, from, to) = (
        ctx.label(&c.measure),
        ctx.timepoint_in_text(&c.from),
        ctx.timepoint_in_text(&c.to),
    );
    match &c.result {
        Some(r) => w.fill(
            "chart.dumbbell_title",
            &[
                ("measure", &measure),
                ("from", &from),
                ("to", &to),
                ("from_value", &format::number(r.from_mean.value, dp)),
                ("to_value", &format::number(r.to_mean.value, dp)),
                ("n", &n(ctx, &c.n)),
            ],
        ),
        None => none(ctx, &measure, &c.n),
    }
}

/// The main comparison of one measure on its whole scale: the change with its interval.
pub(super) fn change_on_scale(ctx: &Ctx, c: &OutcomeComparison, scale: &str) -> String {
    let (w, dp) = (ctx.w, ctx.dp(&c.measure));
    let measure = ctx.label(&c.measure);
    match c.result.as_ref().and_then(|r| r.mean_change) {
        Some(e) => w.fill(
            "chart.scale_title",
            &[
                ("measure", &measure),
                ("change", &format::signed(e.value, dp)),
                ("scale", scale),
                ("n", &n(ctx, &c.n)),
            ],
        ),
        None => none(ctx, &measure, &c.n),
    }
}

/// "SWEMWBS: no figures to show (n = 4)".
fn none(ctx: &Ctx, measure: &str, c: &Count) -> String {
    ctx.w.fill(
        "chart.title_none",
        &[("measure", measure), ("n", &n(ctx, c))],
    )
}

/// How many changed by a meaningful amount each way, or the median change.
pub(super) fn distribution(ctx: &Ctx, c: &OutcomeComparison) -> String {
    let (w, dp) = (ctx.w, ctx.dp(&c.measure));
    let measure = ctx.label(&c.measure);
    let Some(r) = c.result.as_ref().filter(|r| !r.distribution.is_empty()) else {
        return none(ctx, &measure, &c.n);
    };
    let share = |s: Option<&Share>| s.and_then(format::share);
    match (
        r.mcid,
        share(r.improved.as_ref()),
        share(r.deteriorated.as_ref()),
    ) {
        (Some(m), Some(up), Some(down)) => w.fill(
            "chart.distribution_title",
            &[
                ("measure", &measure),
                ("improved", &up),
                ("deteriorated", &down),
                ("mcid", &format::number(m, dp)),
                ("n", &n(ctx, &c.n)),
            ],
        ),
        _ => match r.change.median {
            Some(m) => w.fill(
                "chart.distribution_title_median",
                &[
                    ("measure", &measure),
                    ("median", &format::signed(m, dp)),
                    ("n", &n(ctx, &c.n)),
                ],
            ),
            None => none(ctx, &measure, &c.n),
        },
    }
}

/// The overall change, and the range of the cohorts' changes.
pub(super) fn forest(ctx: &Ctx, measure: &str, comparisons: &[&CohortComparison]) -> String {
    let (w, dp) = (ctx.w, ctx.dp(measure));
    let label = ctx.label(measure);
    let Some(first) = comparisons.first() else {
        return w.fill("chart.forest_title_none", &[("measure", &label)]);
    };
    let Some(overall) = first.overall.mean_change() else {
        return none(ctx, &label, &first.overall.n);
    };
    // The cohorts large enough to be tested, not a group of one or two.
    let changes: Vec<f64> = comparisons
        .iter()
        .flat_map(|c| c.cohorts.iter())
        .filter(|r| {
            r.result
                .as_ref()
                .is_some_and(|p| p.paired_t.ran().is_some())
        })
        .filter_map(CohortRow::mean_change)
        .map(|e| e.value)
        .collect();
    let lo = changes.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = changes.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let change = format::signed(overall.value, dp);
    if changes.len() < 2 {
        return w.fill(
            "chart.forest_title_overall",
            &[("measure", &label), ("change", &change)],
        );
    }
    w.fill(
        "chart.forest_title",
        &[
            ("measure", &label),
            ("change", &change),
            ("low", &format::signed(lo, dp)),
            ("high", &format::signed(hi, dp)),
        ],
    )
}

/// The means at the first and last timepoints of the people assessed at every one.
pub(super) fn trajectory(ctx: &Ctx, tr: &Trajectory, by: &str) -> String {
    let (w, dp) = (ctx.w, ctx.dp(&tr.measure));
    let measure = ctx.label(&tr.measure);
    let since = format::date(ctx.m.meta.cumulative.start);
    let ends = (
        tr.points.first().and_then(|p| p.mean.map(|m| (p, m))),
        tr.points.last().and_then(|p| p.mean.map(|m| (p, m))),
    );
    match ends {
        (Some((a, ma)), Some((b, mb))) if tr.points.len() > 1 => w.fill(
            "chart.trajectory_title",
            &[
                ("measure", &measure),
                ("first", &format::number(ma.value, dp)),
                ("first_at", &ctx.timepoint_in_text(&a.timepoint)),
                ("last", &format::number(mb.value, dp)),
                ("last_at", &ctx.timepoint_in_text(&b.timepoint)),
                ("since", &since),
                ("n", &n(ctx, &tr.n)),
                ("by", by),
            ],
        ),
        _ => none(ctx, &measure, &tr.n),
    }
}

/// The latest quarter's referrals and starts, and its mean change.
pub(super) fn trend(ctx: &Ctx, trend: &Trend) -> String {
    let w = ctx.w;
    let Some(q) = trend.quarters.last() else {
        return w.get("chart.trend_title_none");
    };
    let change = match (&trend.measure, q.mean_change.value) {
        (Some(m), Some(e)) => w.fill(
            "chart.trend_title_change",
            &[
                ("measure", &ctx.label(m)),
                ("change", &format::signed(e.value, ctx.dp(m))),
            ],
        ),
        _ => String::new(),
    };
    w.fill(
        "chart.trend_title",
        &[
            ("quarter", &q.label),
            ("referred", &format::count(&q.referred)),
            ("started", &format::count(&q.started)),
            ("change", &change),
            ("quarters", &trend.quarters.len().to_string()),
        ],
    )
}

/// The share on an opioid at each end, or the mean dose.
pub(super) fn medication(ctx: &Ctx, med: &MedicationOutcomes) -> String {
    let w = ctx.w;
    if let Some(b) = &med.on_opioid
        && let (Some(before), Some(after)) = (format::share(&b.before), format::share(&b.after))
    {
        return w.fill(
            "chart.med_title",
            &[("before", &before), ("after", &after), ("n", &n(ctx, &b.n))],
        );
    }
    match &med.ome {
        Some(s) => w.fill(
            "chart.med_title_dose",
            &[
                ("before", &format::number(s.from_mean.value, 0)),
                ("after", &format::number(s.to_mean.value, 0)),
                ("n", &n(ctx, &med.pairs)),
            ],
        ),
        None => w.fill("chart.med_title_none", &[("n", &n(ctx, &med.pairs))]),
    }
}

/// In how many Star areas the mean was higher at the latest reading.
pub(super) fn star(ctx: &Ctx, areas: &[&OutcomeComparison]) -> String {
    let shown: Vec<&PairedSummary> = areas.iter().filter_map(|a| a.result.as_ref()).collect();
    if shown.is_empty() {
        return ctx.w.get("chart.star_title_none");
    }
    let rose = shown
        .iter()
        .filter(|r| r.to_mean.value > r.from_mean.value)
        .count();
    ctx.w.fill(
        "chart.star_title",
        &[
            ("rose", &rose.to_string()),
            ("areas", &shown.len().to_string()),
        ],
    )
}

/// The first target group's share against its local share.
pub(super) fn reach(ctx: &Ctx, reach: &[Reach], area: &str) -> String {
    let w = ctx.w;
    let Some((r, share)) = reach
        .iter()
        .find_map(|r| format::share(&r.share).map(|s| (r, s)))
    else {
        return w.get("chart.reach_title_none");
    };
    let group = r.label.clone();
    match r.local_share {
        Some(l) => w.fill(
            "chart.reach_title",
            &[
                ("share", &share),
                ("group", &group),
                ("local", &format::percent(l)),
                ("area", area),
            ],
        ),
        None => w.fill(
            "chart.reach_title_no_local",
            &[("share", &share), ("group", &group)],
        ),
    }
}

/// How many of the people whose support ended answered both questionnaires.
pub(super) fn flow(ctx: &Ctx, stages: &[(String, Count)]) -> String {
    let w = ctx.w;
    match (stages.first(), stages.last()) {
        (Some((_, left)), Some((_, both))) if stages.len() > 2 => w.fill(
            "chart.flow_title",
            &[
                ("period", ctx.period()),
                ("left", &format::count(left)),
                ("both", &format::count(both)),
            ],
        ),
        (Some((_, left)), _) => w.fill(
            "chart.flow_title_left",
            &[("period", ctx.period()), ("left", &format::count(left))],
        ),
        _ => w.fill(
            "chart.flow_title_left",
            &[("period", ctx.period()), ("left", "0")],
        ),
    }
}
