//! Tables of results: outcomes, medication, trajectories, cohorts, attrition,
//! sensitivity, trend, data quality and the methods record.

use super::*;
use sprout_model::*;

/// The columns of one paired comparison (methods.md section 2), as the outcomes and the
/// cohorts tables give them.
const PAIRED_COLUMNS: &[&str] = &[
    "from_mean",
    "from_sd",
    "to_mean",
    "to_sd",
    "mean_change",
    "change_sd",
    "ci_lower",
    "ci_upper",
    "t",
    "df",
    "p",
    "wilcoxon_v",
    "wilcoxon_p",
    "d_z",
    "d_z_lower",
    "d_z_upper",
    "g_av",
    "better_percent",
    "improved_percent",
    "deteriorated_percent",
    "reliable_improvement_percent",
];

/// The cells under [`PAIRED_COLUMNS`]: blank without a result, the suppression marker
/// throughout when `hidden`; figures to `dp` decimals (effect sizes to `edp`).
fn paired_cells(s: &Option<PairedSummary>, hidden: bool, digits: Digits, dp: usize) -> Vec<String> {
    let Some(s) = s else {
        let fill = if hidden { SUPPRESSED } else { "" };
        return vec![fill.to_owned(); PAIRED_COLUMNS.len()];
    };
    let edp = digits.effect();
    let [mc, lo, hi] = estimate(&s.mean_change, dp);
    let [dz, dzl, dzu] = estimate(&s.d_z, edp);
    let (t, df, p) = match &s.paired_t {
        Test::Ran(t) => (num(t.t, 3), num(t.df, 0), digits.p(t.p)),
        Test::Skipped { .. } => Default::default(),
    };
    let (v, wp) = match &s.wilcoxon {
        Test::Ran(w) => (num(w.v, 1), digits.p(w.p)),
        Test::Skipped { .. } => Default::default(),
    };
    let opt_pct = |s: &Option<Share>| s.as_ref().map(pct).unwrap_or_default();
    vec![
        num(Some(s.from.mean), dp),
        num(s.from.sd, dp),
        num(Some(s.to.mean), dp),
        num(s.to.sd, dp),
        mc,
        num(s.change.sd, dp),
        lo,
        hi,
        t,
        df,
        p,
        v,
        wp,
        dz,
        dzl,
        dzu,
        num(s.g_av, edp),
        pct(&s.better),
        opt_pct(&s.improved),
        opt_pct(&s.deteriorated),
        opt_pct(&s.reliable_improvement),
    ]
}

/// Why a comparison has no test (or no figures), for the note column.
fn paired_note(result: &Option<PairedSummary>, n: &Count) -> String {
    match result {
        None if n.is_suppressed() => Reason::SmallNumbers.to_string(),
        None => "no pairs yet".into(),
        Some(r) => match &r.paired_t {
            Test::Skipped { reason } => reason.to_string(),
            Test::Ran(_) => String::new(),
        },
    }
}

pub(super) fn outcomes(m: &ReportModel) -> CsvTable {
    const LEAD: [&str; 5] = ["measure", "comparison", "window", "primary", "n"];
    // The Holm-adjusted p-value sits beside the raw one.
    let holm_at = LEAD.len() + PAIRED_COLUMNS.iter().position(|c| *c == "p").unwrap_or(0) + 1;
    let mut header: Vec<&str> = LEAD
        .into_iter()
        .chain(PAIRED_COLUMNS.iter().copied())
        .chain(["note"])
        .collect();
    header.insert(holm_at, "p_holm");
    let mut t = CsvTable::new("outcomes", &header);
    let digits = Digits::of(m);
    for (w, o) in windows(&m.outcomes) {
        for c in &o.comparisons {
            let mut row = vec![
                measure_label(m, &c.measure),
                c.span_label.clone(),
                w.into(),
                c.primary.to_string(),
                count(&c.n),
            ];
            let dp = digits.measure(m, &c.measure);
            row.extend(paired_cells(&c.result, false, digits, dp));
            row.push(paired_note(&c.result, &c.n));
            row.insert(holm_at, c.p_holm.map(|p| digits.p(p)).unwrap_or_default());
            t.row(row);
        }
    }
    t
}

/// The change distribution of each comparison (the data behind its histogram).
pub(super) fn change_distribution(m: &ReportModel) -> CsvTable {
    let mut t = CsvTable::new(
        "change_distribution",
        &[
            "measure",
            "span",
            "window",
            "change_from",
            "change_to",
            "people",
        ],
    );
    for (w, o) in windows(&m.outcomes) {
        for c in &o.comparisons {
            for b in c.result.iter().flat_map(|r| &r.distribution) {
                t.row(vec![
                    measure_label(m, &c.measure),
                    c.span_label.clone(),
                    w.into(),
                    num(Some(b.lower), 2),
                    num(Some(b.upper), 2),
                    count(&b.count),
                ]);
            }
        }
    }
    t
}

/// Opioid figures for each cohort of each dimension: the change in daily oral morphine
/// equivalent with its interval, and the shares on an opioid and on a high dose before
/// and after, each with its Wilson interval.
pub(super) fn medication_by_cohort(m: &ReportModel) -> Option<CsvTable> {
    let med = m.medication.as_ref()?;
    if med.period.by_cohort.is_empty() && med.cumulative.by_cohort.is_empty() {
        return None;
    }
    let mut t = CsvTable::new(
        "medication_by_cohort",
        &[
            "dimension",
            "window",
            "cohort",
            "n",
            "ome_before",
            "ome_after",
            "ome_change",
            "ome_ci_lower",
            "ome_ci_upper",
            "on_opioid_before_percent",
            "on_opioid_before_lower",
            "on_opioid_before_upper",
            "on_opioid_after_percent",
            "on_opioid_after_lower",
            "on_opioid_after_upper",
            "high_dose_before_percent",
            "high_dose_after_percent",
        ],
    );
    let digits = Digits::of(m);
    let dp = digits.shown(0);
    for (w, o) in windows(med) {
        for d in &o.by_cohort {
            for c in &d.cohorts {
                let ome = c.ome.as_ref();
                let [change, lower, upper] = estimate(&ome.and_then(|s| s.mean_change), dp);
                let share = |b: &Option<BinaryOutcome>, after: bool| {
                    b.as_ref()
                        .map(|b| if after { &b.after } else { &b.before })
                        .map(|s| {
                            let (l, u) = pct_ci(s);
                            [pct(s), l, u]
                        })
                        .unwrap_or_default()
                };
                let [ob, obl, obu] = share(&c.on_opioid, false);
                let [oa, oal, oau] = share(&c.on_opioid, true);
                let [hb, _, _] = share(&c.high_dose, false);
                let [ha, _, _] = share(&c.high_dose, true);
                t.row(vec![
                    d.dimension_label.clone(),
                    w.into(),
                    c.label.clone(),
                    count(&c.pairs),
                    num(ome.map(|s| s.from_mean.value), dp),
                    num(ome.map(|s| s.to_mean.value), dp),
                    change,
                    lower,
                    upper,
                    ob,
                    obl,
                    obu,
                    oa,
                    oal,
                    oau,
                    hb,
                    ha,
                ]);
            }
        }
    }
    Some(t)
}

pub(super) fn medication(m: &ReportModel) -> Option<CsvTable> {
    let med = m.medication.as_ref()?;
    let mut t = CsvTable::new(
        "medication",
        &[
            "measure", "window", "n", "before", "after", "change", "ci_lower", "ci_upper", "p",
        ],
    );
    let digits = Digits::of(m);
    for (w, o) in windows(med) {
        let ddd = o.gabapentinoid_ddd.as_ref().map(|s| {
            (
                "Gabapentinoid (WHO defined daily doses), mean",
                Some(s.clone()),
                2,
            )
        });
        for (label, s, dp) in [
            ("Oral morphine equivalent (mg/day), mean", o.ome.clone(), 0),
            ("Gabapentinoid (mg/day), mean", o.gabapentinoid.clone(), 0),
        ]
        .into_iter()
        .chain(ddd)
        {
            let cells = paired_cells(&s, false, digits, digits.shown(dp));
            let cell = |name: &str| {
                PAIRED_COLUMNS
                    .iter()
                    .position(|c| *c == name)
                    .map(|i| cells[i].clone())
                    .unwrap_or_default()
            };
            t.row(vec![
                label.into(),
                w.into(),
                count(&o.pairs),
                cell("from_mean"),
                cell("to_mean"),
                cell("mean_change"),
                cell("ci_lower"),
                cell("ci_upper"),
                cell("p"),
            ]);
        }
        for (label, b) in [
            ("On an opioid (%)", &o.on_opioid),
            ("120 mg OME/day or more (%)", &o.high_dose),
            ("On a gabapentinoid (%)", &o.on_gabapentinoid),
        ] {
            if let Some(b) = b {
                let [d, l, u] = estimate(
                    &b.difference.map(|e| Estimate {
                        value: e.value * 100.0,
                        lower: e.lower.map(|v| v * 100.0),
                        upper: e.upper.map(|v| v * 100.0),
                    }),
                    digits.shown(0),
                );
                let p = match &b.mcnemar_p {
                    Test::Ran(p) => digits.p(*p),
                    Test::Skipped { reason } => reason.to_string(),
                };
                t.row(vec![
                    label.into(),
                    w.into(),
                    count(&b.n),
                    pct(&b.before),
                    pct(&b.after),
                    d,
                    l,
                    u,
                    p,
                ]);
            }
        }
        for part in &o.opioid_change.parts {
            t.row(vec![
                format!("{} (of those on opioids)", part.label),
                w.into(),
                count(&o.opioid_change.total),
                String::new(),
                count(&part.count),
                pct(&part.share),
                String::new(),
                String::new(),
                String::new(),
            ]);
        }
    }
    Some(t)
}

pub(super) fn trajectories(m: &ReportModel) -> CsvTable {
    let mut t = CsvTable::new(
        "trajectories",
        &["measure", "timepoint", "n", "mean", "ci_lower", "ci_upper"],
    );
    let digits = Digits::of(m);
    for tr in &m.trajectories {
        let dp = digits.measure(m, &tr.measure);
        for p in &tr.points {
            let [v, l, u] = estimate(&p.mean, dp);
            let suppressed = tr.n.is_suppressed();
            t.row(vec![
                measure_label(m, &tr.measure),
                p.timepoint.clone(),
                count(&tr.n),
                if suppressed { SUPPRESSED.into() } else { v },
                l,
                u,
            ]);
        }
    }
    t
}

pub(super) fn cohorts(m: &ReportModel) -> CsvTable {
    let header: Vec<&str> = ["dimension", "measure", "window", "cohort", "n"]
        .into_iter()
        .chain(PAIRED_COLUMNS.iter().copied())
        .chain([
            "adjusted_change",
            "adjusted_lower",
            "adjusted_upper",
            "note",
        ])
        .collect();
    let mut t = CsvTable::new("cohorts", &header);
    let digits = Digits::of(m);
    for (w, list) in windows(&m.cohorts) {
        for c in list {
            let dp = digits.measure(m, &c.measure);
            for r in std::iter::once(&c.overall).chain(&c.cohorts) {
                let mut row = vec![
                    c.dimension_label.clone(),
                    measure_label(m, &c.measure),
                    w.into(),
                    r.label.clone(),
                    count(&r.n),
                ];
                row.extend(paired_cells(&r.result, r.n.is_suppressed(), digits, dp));
                row.extend(estimate(&r.adjusted_change, dp));
                row.push(paired_note(&r.result, &r.n));
                t.row(row);
            }
        }
    }
    t
}

pub(super) fn cohort_tests(m: &ReportModel) -> CsvTable {
    let mut t = CsvTable::new(
        "cohort_tests",
        &[
            "dimension",
            "measure",
            "window",
            "method",
            "statistic",
            "df1",
            "df2",
            "p",
            "note",
        ],
    );
    let digits = Digits::of(m);
    for (w, list) in windows(&m.cohorts) {
        for c in list {
            for g in &c.tests {
                let row = match &g.result {
                    Test::Ran(s) => {
                        let (d1, d2) = (num(s.df1, 2), num(s.df2, 2));
                        vec![num(s.statistic, 3), d1, d2, digits.p(s.p), String::new()]
                    }
                    Test::Skipped { reason } => vec![
                        String::new(),
                        String::new(),
                        String::new(),
                        String::new(),
                        reason.to_string(),
                    ],
                };
                let mut full = vec![
                    c.dimension_label.clone(),
                    measure_label(m, &c.measure),
                    w.into(),
                    g.method.to_string(),
                ];
                full.extend(row);
                t.row(full);
            }
            let row = match &c.ancova {
                Test::Ran(a) => vec![
                    num(a.f, 3),
                    num(a.df1, 0),
                    num(a.df2, 0),
                    digits.p(a.p),
                    String::new(),
                ],
                Test::Skipped { reason } => vec![
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                    reason.to_string(),
                ],
            };
            let mut full = vec![
                c.dimension_label.clone(),
                measure_label(m, &c.measure),
                w.into(),
                "ANCOVA (cohort after baseline)".into(),
            ];
            full.extend(row);
            t.row(full);
        }
    }
    t
}

pub(super) fn attrition(m: &ReportModel) -> CsvTable {
    let mut t = CsvTable::new(
        "attrition",
        &[
            "measure",
            "completers_n",
            "completers_baseline_mean",
            "baseline_only_n",
            "baseline_only_mean",
            "welch_t",
            "p",
            "standardised_difference",
        ],
    );
    let digits = Digits::of(m);
    for a in &m.attrition {
        let dp = digits.measure(m, &a.measure);
        let mean = |b: &Based<Summary>| {
            if b.n.is_suppressed() {
                SUPPRESSED.into()
            } else {
                num(b.value.map(|s| s.mean), dp)
            }
        };
        let (tt, p) = match &a.welch_t {
            Test::Ran(s) => (num(s.t, 3), digits.p(s.p)),
            Test::Skipped { reason } => (String::new(), reason.to_string()),
        };
        t.row(vec![
            measure_label(m, &a.measure),
            count(&a.completers.n),
            mean(&a.completers),
            count(&a.baseline_only.n),
            mean(&a.baseline_only),
            tt,
            p,
            num(a.standardised_difference, digits.effect()),
        ]);
    }
    t
}

pub(super) fn sensitivity(m: &ReportModel) -> CsvTable {
    let mut t = CsvTable::new(
        "sensitivity",
        &[
            "measure",
            "analysis",
            "n",
            "mean_change",
            "ci_lower",
            "ci_upper",
        ],
    );
    let digits = Digits::of(m);
    for s in &m.sensitivity {
        let dp = digits.measure(m, &s.measure);
        for (label, b) in [
            ("Completers", &s.completers),
            ("Baseline carried forward", &s.carried_forward),
        ] {
            let [v, l, u] = estimate(&b.value, dp);
            t.row(vec![
                measure_label(m, &s.measure),
                label.into(),
                count(&b.n),
                if b.n.is_suppressed() {
                    SUPPRESSED.into()
                } else {
                    v
                },
                l,
                u,
            ]);
        }
    }
    t
}

pub(super) fn trend(m: &ReportModel) -> CsvTable {
    let mut t = CsvTable::new(
        "trend",
        &[
            "quarter",
            "referred",
            "started",
            "sessions_attended",
            "discharged",
            "pairs",
            "mean_change",
            "ci_lower",
            "ci_upper",
            "better_percent",
        ],
    );
    let digits = Digits::of(m);
    let dp = m
        .trend
        .measure
        .as_deref()
        .map_or(3, |id| digits.measure(m, id));
    for q in &m.trend.quarters {
        let [v, l, u] = estimate(&q.mean_change.value, dp);
        t.row(vec![
            q.label.clone(),
            count(&q.referred),
            count(&q.started),
            count(&q.attended),
            count(&q.discharged),
            count(&q.mean_change.n),
            v,
            l,
            u,
            pct(&q.better),
        ]);
    }
    t
}

pub(super) fn data_quality(m: &ReportModel) -> CsvTable {
    let mut t = CsvTable::new(
        "data_quality_summary",
        &[
            "code",
            "meaning",
            "findings",
            "rows_excluded",
            "values_ignored",
        ],
    );
    for c in &m.data_quality.codes {
        t.row(vec![
            c.code.as_str().into(),
            c.about.clone(),
            count(&c.count),
            count(&c.rows_excluded),
            count(&c.values_ignored),
        ]);
    }
    t
}

pub(super) fn methods(m: &ReportModel) -> CsvTable {
    let mut t = CsvTable::new(
        "methods_tests",
        &[
            "section", "measure", "subject", "method", "n", "ran", "reason",
        ],
    );
    for r in &m.methods.tests {
        t.row(vec![
            r.section.clone(),
            r.measure.clone(),
            r.subject.clone(),
            r.method.to_string(),
            count(&r.n),
            r.ran.to_string(),
            r.reason
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
        ]);
    }
    t
}
