//! Every table of the reports as CSV, drawn from the report model. Suppressed figures are
//! written as `*`; nothing is recomputed.

use crate::model::*;

/// One CSV table.
#[derive(Debug, Clone, PartialEq)]
pub struct CsvTable {
    /// File stem, e.g. `outcomes` for `tables/outcomes.csv`.
    pub name: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl CsvTable {
    fn new(name: &str, header: &[&str]) -> Self {
        Self {
            name: name.to_owned(),
            header: header.iter().map(|h| (*h).to_owned()).collect(),
            rows: Vec::new(),
        }
    }

    fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    pub fn to_csv(&self) -> String {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(Vec::new());
        let _ = w.write_record(&self.header);
        for r in &self.rows {
            let safe: Vec<String> = r.iter().map(|c| formula_safe(c)).collect();
            let _ = w.write_record(&safe);
        }
        String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
    }
}

/// Text from the data starting with `=`, `+`, `-` or `@` would run as a spreadsheet
/// formula; a leading apostrophe keeps it text. Numbers are left alone.
fn formula_safe(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@']) && s.parse::<f64>().is_err() {
        format!("'{s}")
    } else {
        s.to_owned()
    }
}

const SUPPRESSED: &str = "*";

fn count(c: &Count) -> String {
    c.value
        .map_or_else(|| SUPPRESSED.to_owned(), |v| v.to_string())
}

fn num(v: Option<f64>, decimals: usize) -> String {
    v.map_or_else(String::new, |v| format!("{v:.decimals$}"))
}

fn pct(s: &Share) -> String {
    match s.proportion {
        Some(p) => format!("{:.1}", p * 100.0),
        None if s.is_suppressed() => SUPPRESSED.to_owned(),
        None => String::new(),
    }
}

fn pct_ci(s: &Share) -> (String, String) {
    s.ci.map_or((String::new(), String::new()), |(l, u)| {
        (format!("{:.1}", l * 100.0), format!("{:.1}", u * 100.0))
    })
}

fn p_value(p: f64) -> String {
    if p < 0.0001 {
        format!("{p:.2e}")
    } else {
        format!("{p:.4}")
    }
}

fn estimate(e: &Option<Estimate>, decimals: usize) -> [String; 3] {
    match e {
        Some(e) => [
            num(Some(e.value), decimals),
            num(e.lower, decimals),
            num(e.upper, decimals),
        ],
        None => [String::new(), String::new(), String::new()],
    }
}

fn spread(s: &Option<Based<Spread>>) -> [String; 4] {
    match s {
        Some(Based { n, value: Some(v) }) => [
            count(n),
            num(Some(v.median), 1),
            num(Some(v.q1), 1),
            num(Some(v.q3), 1),
        ],
        Some(Based { n, value: None }) => [
            count(n),
            SUPPRESSED.into(),
            SUPPRESSED.into(),
            SUPPRESSED.into(),
        ],
        None => Default::default(),
    }
}

/// Every table, in report order.
pub fn tables(m: &ReportModel) -> Vec<CsvTable> {
    let mut out = vec![flow(m), discharge_reasons(m)];
    out.extend(people(m));
    out.push(reach(m));
    out.push(engagement(m));
    out.push(engagement_by_phase(m));
    out.push(contact_modes(m));
    out.push(support_types(m));
    out.push(outcomes(m));
    if let Some(t) = medication(m) {
        out.push(t);
    }
    out.push(trajectories(m));
    out.push(cohorts(m));
    out.push(cohort_tests(m));
    out.push(attrition(m));
    out.push(sensitivity(m));
    out.push(trend(m));
    out.push(data_quality(m));
    out.push(methods(m));
    out
}

fn windows<T>(w: &Windowed<T>) -> [(&'static str, &T); 2] {
    [("period", &w.period), ("cumulative", &w.cumulative)]
}

fn flow(m: &ReportModel) -> CsvTable {
    let mut t = CsvTable::new("flow", &["stage", "period", "cumulative"]);
    let (p, c) = (&m.flow.period, &m.flow.cumulative);
    for (label, a, b) in [
        ("Referred", &p.referred, &c.referred),
        ("Started support", &p.started, &c.started),
        (
            "Baseline assessed",
            &p.baseline_assessed,
            &c.baseline_assessed,
        ),
        ("Discharged", &p.discharged, &c.discharged),
        ("Completed support", &p.completed, &c.completed),
        (
            "In support at end of period",
            &p.in_support_at_end,
            &c.in_support_at_end,
        ),
    ] {
        t.row(vec![label.into(), count(a), count(b)]);
    }
    for (a, b) in p.paired.iter().zip(&c.paired) {
        t.row(vec![
            format!("Paired: {}", measure_label(m, &a.measure)),
            count(&a.count),
            count(&b.count),
        ]);
    }
    t
}

fn measure_label(m: &ReportModel, id: &str) -> String {
    m.meta
        .measures
        .iter()
        .find(|x| x.id == id)
        .map_or_else(|| id.to_owned(), |x| x.label.clone())
}

fn breakdown_rows(t: &mut CsvTable, prefix: &[String], w: &Windowed<&Breakdown>) {
    for (p, c) in w.period.parts.iter().zip(&w.cumulative.parts) {
        let mut row = prefix.to_vec();
        row.extend([
            p.label.clone(),
            count(&p.count),
            pct(&p.share),
            count(&c.count),
            pct(&c.share),
        ]);
        t.row(row);
    }
    let mut total = prefix.to_vec();
    total.extend([
        "Total".into(),
        count(&w.period.total),
        String::new(),
        count(&w.cumulative.total),
        String::new(),
    ]);
    t.row(total);
}

fn discharge_reasons(m: &ReportModel) -> CsvTable {
    let mut t = CsvTable::new(
        "discharge_reasons",
        &[
            "reason",
            "period",
            "period_percent",
            "cumulative",
            "cumulative_percent",
        ],
    );
    breakdown_rows(
        &mut t,
        &[],
        &Windowed {
            period: &m.flow.period.discharge_reasons,
            cumulative: &m.flow.cumulative.discharge_reasons,
        },
    );
    t
}

fn people(m: &ReportModel) -> Vec<CsvTable> {
    m.people
        .period
        .dimensions
        .iter()
        .zip(&m.people.cumulative.dimensions)
        .map(|(p, c)| {
            let mut t = CsvTable::new(
                &format!("people_{}", p.id),
                &[
                    &p.label.to_lowercase(),
                    "period",
                    "period_percent",
                    "cumulative",
                    "cumulative_percent",
                ],
            );
            // Cumulative holds every level seen; align the period's by key.
            for part in &c.breakdown.parts {
                let pp = p.breakdown.parts.iter().find(|x| x.key == part.key);
                t.row(vec![
                    part.label.clone(),
                    pp.map_or_else(|| "0".into(), |x| count(&x.count)),
                    pp.map_or_else(String::new, |x| pct(&x.share)),
                    count(&part.count),
                    pct(&part.share),
                ]);
            }
            t.row(vec![
                "Total".into(),
                count(&p.breakdown.total),
                String::new(),
                count(&c.breakdown.total),
                String::new(),
            ]);
            t
        })
        .collect()
}

fn reach(m: &ReportModel) -> CsvTable {
    let mut t = CsvTable::new(
        "reach",
        &[
            "target_group",
            "window",
            "people",
            "of_known",
            "percent",
            "ci_lower",
            "ci_upper",
            "local_percent",
            "not_known",
        ],
    );
    for (w, people) in windows(&m.people) {
        for r in &people.reach {
            let (l, u) = pct_ci(&r.share);
            t.row(vec![
                r.label.clone(),
                w.into(),
                count(&r.share.numerator),
                count(&r.share.denominator),
                pct(&r.share),
                l,
                u,
                num(r.local_share.map(|s| s * 100.0), 1),
                count(&r.not_known),
            ]);
        }
    }
    t
}

fn engagement(m: &ReportModel) -> CsvTable {
    let mut t = CsvTable::new("engagement", &["measure", "period", "cumulative"]);
    let (p, c) = (&m.engagement.period, &m.engagement.cumulative);
    t.row(vec![
        "Clients with an attended session".into(),
        count(&p.clients_with_sessions),
        count(&c.clients_with_sessions),
    ]);
    t.row(vec![
        "Sessions attended".into(),
        count(&p.attended),
        count(&c.attended),
    ]);
    t.row(vec![
        "Did not attend".into(),
        count(&p.did_not_attend),
        count(&c.did_not_attend),
    ]);
    t.row(vec![
        "Cancelled".into(),
        count(&p.cancelled),
        count(&c.cancelled),
    ]);
    t.row(vec![
        "DNA rate (%)".into(),
        pct(&p.dna_rate),
        pct(&c.dna_rate),
    ]);
    let med = |s: &Option<Based<Spread>>| {
        let [_, med, q1, q3] = spread(s);
        if med.is_empty() || med == SUPPRESSED {
            med
        } else {
            format!("{med} ({q1}-{q3})")
        }
    };
    t.row(vec![
        "Sessions per client, median (IQR)".into(),
        med(&p.sessions_per_client),
        med(&c.sessions_per_client),
    ]);
    t.row(vec![
        "Minutes of support per client, median (IQR)".into(),
        med(&p.minutes_per_client),
        med(&c.minutes_per_client),
    ]);
    t.row(vec![
        "Total hours of support".into(),
        num(p.minutes_total.value.map(|v| v / 60.0), 0),
        num(c.minutes_total.value.map(|v| v / 60.0), 0),
    ]);
    t.row(vec![
        "Days from referral to first contact, median (IQR)".into(),
        med(&p.days_to_first_contact),
        med(&c.days_to_first_contact),
    ]);
    t.row(vec![
        "Weeks of support at discharge, median (IQR)".into(),
        med(&p.weeks_of_support),
        med(&c.weeks_of_support),
    ]);
    t
}

fn engagement_by_phase(m: &ReportModel) -> CsvTable {
    let mut t = CsvTable::new(
        "engagement_by_phase",
        &[
            "phase",
            "window",
            "clients",
            "sessions_attended",
            "dna_percent",
            "sessions_per_client_median",
            "q1",
            "q3",
        ],
    );
    for (w, e) in windows(&m.engagement) {
        for p in &e.by_phase {
            let [_, med, q1, q3] = spread(&p.sessions_per_client);
            t.row(vec![
                p.label.clone(),
                w.into(),
                count(&p.clients),
                count(&p.attended),
                pct(&p.dna_rate),
                med,
                q1,
                q3,
            ]);
        }
    }
    t
}

fn contact_modes(m: &ReportModel) -> CsvTable {
    let x = &m.engagement.cumulative.contact_modes;
    let mut header: Vec<&str> = vec!["contact_mode"];
    header.extend(x.column_labels.iter().map(String::as_str));
    header.push("total");
    let mut t = CsvTable::new("contact_modes", &header);
    for (r, label) in x.row_labels.iter().enumerate() {
        let mut row = vec![label.clone()];
        row.extend(x.cells[r].iter().map(count));
        row.push(count(&x.row_totals[r]));
        t.row(row);
    }
    let mut total = vec!["Total".to_owned()];
    total.extend(x.column_totals.iter().map(count));
    total.push(count(&x.total));
    t.row(total);
    t
}

fn support_types(m: &ReportModel) -> CsvTable {
    let mut t = CsvTable::new("support_types", &["support_type", "sessions", "percent"]);
    for p in &m.engagement.cumulative.support_types.parts {
        t.row(vec![p.label.clone(), count(&p.count), pct(&p.share)]);
    }
    t
}

const OUTCOME_HEADER: &[&str] = &[
    "measure",
    "comparison",
    "window",
    "primary",
    "n",
    "from_mean",
    "from_sd",
    "to_mean",
    "to_sd",
    "mean_change",
    "ci_lower",
    "ci_upper",
    "t",
    "df",
    "p",
    "p_holm",
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
    "note",
];

fn summary_cells(s: &Option<PairedSummary>) -> Vec<String> {
    let Some(s) = s else {
        return vec![String::new(); 20];
    };
    let [mc, lo, hi] = estimate(&s.mean_change, 3);
    let [dz, dzl, dzu] = estimate(&s.d_z, 3);
    let (t, df, p) = match &s.paired_t {
        Test::Ran(t) => (num(Some(t.t), 3), num(Some(t.df), 0), p_value(t.p)),
        Test::Skipped { .. } => Default::default(),
    };
    let (v, wp) = match &s.wilcoxon {
        Test::Ran(w) => (num(Some(w.v), 1), p_value(w.p)),
        Test::Skipped { .. } => Default::default(),
    };
    let opt_pct = |s: &Option<Share>| s.as_ref().map(pct).unwrap_or_default();
    vec![
        num(Some(s.from.mean), 3),
        num(s.from.sd, 3),
        num(Some(s.to.mean), 3),
        num(s.to.sd, 3),
        mc,
        lo,
        hi,
        t,
        df,
        p,
        String::new(),
        v,
        wp,
        dz,
        dzl,
        dzu,
        num(s.g_av, 3),
        pct(&s.better),
        opt_pct(&s.improved),
        opt_pct(&s.deteriorated),
    ]
}

fn outcomes(m: &ReportModel) -> CsvTable {
    let mut t = CsvTable::new("outcomes", OUTCOME_HEADER);
    for (w, o) in windows(&m.outcomes) {
        for c in &o.comparisons {
            let mut row = vec![
                measure_label(m, &c.measure),
                c.span_label.clone(),
                w.into(),
                c.primary.to_string(),
                count(&c.n),
            ];
            let mut cells = summary_cells(&c.result);
            cells[10] = c.p_holm.map(p_value).unwrap_or_default();
            row.extend(cells);
            row.push(
                c.result
                    .as_ref()
                    .map(|r| r.reliable_improvement.as_ref().map(pct).unwrap_or_default())
                    .unwrap_or_default(),
            );
            row.push(note(c));
            t.row(row);
        }
    }
    t
}

fn note(c: &OutcomeComparison) -> String {
    match &c.result {
        None if c.n.is_suppressed() => "suppressed: small numbers".into(),
        None => "no pairs".into(),
        Some(r) => match &r.paired_t {
            Test::Skipped { reason } => reason.clone(),
            Test::Ran(_) => String::new(),
        },
    }
}

fn medication(m: &ReportModel) -> Option<CsvTable> {
    let med = m.medication.as_ref()?;
    let mut t = CsvTable::new(
        "medication",
        &[
            "measure", "window", "n", "before", "after", "change", "ci_lower", "ci_upper", "p",
        ],
    );
    for (w, o) in windows(med) {
        for (label, s) in [
            ("Oral morphine equivalent (mg/day), mean", &o.ome),
            ("Gabapentinoid (mg/day), mean", &o.gabapentinoid),
        ] {
            let cells = summary_cells(s);
            t.row(vec![
                label.into(),
                w.into(),
                count(&o.pairs),
                cells[0].clone(),
                cells[2].clone(),
                cells[4].clone(),
                cells[5].clone(),
                cells[6].clone(),
                cells[9].clone(),
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
                    1,
                );
                let p = match &b.mcnemar_p {
                    Test::Ran(p) => p_value(*p),
                    Test::Skipped { reason } => reason.clone(),
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

fn trajectories(m: &ReportModel) -> CsvTable {
    let mut t = CsvTable::new(
        "trajectories",
        &["measure", "timepoint", "n", "mean", "ci_lower", "ci_upper"],
    );
    for tr in &m.trajectories {
        for p in &tr.points {
            let [v, l, u] = estimate(&p.mean, 3);
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

fn cohorts(m: &ReportModel) -> CsvTable {
    let mut t = CsvTable::new(
        "cohorts",
        &[
            "dimension",
            "measure",
            "window",
            "cohort",
            "n",
            "baseline_mean",
            "mean_change",
            "ci_lower",
            "ci_upper",
            "d_z",
            "better_percent",
            "adjusted_change",
            "adjusted_lower",
            "adjusted_upper",
        ],
    );
    for (w, list) in windows(&m.cohorts) {
        for c in list {
            for r in std::iter::once(&c.overall).chain(&c.cohorts) {
                let [mc, lo, hi] = estimate(&r.mean_change, 3);
                let [adj, al, au] = estimate(&r.adjusted_change, 3);
                let hidden = r.n.is_suppressed();
                t.row(vec![
                    c.dimension_label.clone(),
                    measure_label(m, &c.measure),
                    w.into(),
                    r.label.clone(),
                    count(&r.n),
                    if hidden {
                        SUPPRESSED.into()
                    } else {
                        num(r.baseline.map(|b| b.mean), 3)
                    },
                    if hidden { SUPPRESSED.into() } else { mc },
                    lo,
                    hi,
                    num(r.d_z.map(|d| d.value), 3),
                    r.better.as_ref().map(pct).unwrap_or_default(),
                    adj,
                    al,
                    au,
                ]);
            }
        }
    }
    t
}

fn cohort_tests(m: &ReportModel) -> CsvTable {
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
    for (w, list) in windows(&m.cohorts) {
        for c in list {
            for g in &c.tests {
                let row = match &g.result {
                    Test::Ran(s) => {
                        let (d1, d2) = (num(s.df1, 2), num(s.df2, 2));
                        vec![
                            num(Some(s.statistic), 3),
                            d1,
                            d2,
                            p_value(s.p),
                            String::new(),
                        ]
                    }
                    Test::Skipped { reason } => vec![
                        String::new(),
                        String::new(),
                        String::new(),
                        String::new(),
                        reason.clone(),
                    ],
                };
                let mut full = vec![
                    c.dimension_label.clone(),
                    measure_label(m, &c.measure),
                    w.into(),
                    g.method.clone(),
                ];
                full.extend(row);
                t.row(full);
            }
            let row = match &c.ancova {
                Test::Ran(a) => vec![
                    num(Some(a.f), 3),
                    num(Some(a.df1), 0),
                    num(Some(a.df2), 0),
                    p_value(a.p),
                    String::new(),
                ],
                Test::Skipped { reason } => vec![
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                    reason.clone(),
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

fn attrition(m: &ReportModel) -> CsvTable {
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
    for a in &m.attrition {
        let mean = |b: &Based<Summary>| {
            if b.n.is_suppressed() {
                SUPPRESSED.into()
            } else {
                num(b.value.map(|s| s.mean), 3)
            }
        };
        let (tt, p) = match &a.welch_t {
            Test::Ran(s) => (num(Some(s.t), 3), p_value(s.p)),
            Test::Skipped { reason } => (String::new(), reason.clone()),
        };
        t.row(vec![
            measure_label(m, &a.measure),
            count(&a.completers.n),
            mean(&a.completers),
            count(&a.baseline_only.n),
            mean(&a.baseline_only),
            tt,
            p,
            num(a.standardised_difference, 3),
        ]);
    }
    t
}

fn sensitivity(m: &ReportModel) -> CsvTable {
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
    for s in &m.sensitivity {
        for (label, b) in [
            ("Completers", &s.completers),
            ("Baseline carried forward", &s.carried_forward),
        ] {
            let [v, l, u] = estimate(&b.value, 3);
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

fn trend(m: &ReportModel) -> CsvTable {
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
    for q in &m.trend.quarters {
        let [v, l, u] = estimate(&q.mean_change.value, 3);
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

fn data_quality(m: &ReportModel) -> CsvTable {
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
            c.count.to_string(),
            c.rows_excluded.to_string(),
            c.values_ignored.to_string(),
        ]);
    }
    t
}

fn methods(m: &ReportModel) -> CsvTable {
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
            r.method.clone(),
            count(&r.n),
            r.ran.to_string(),
            r.reason.clone().unwrap_or_default(),
        ]);
    }
    t
}
