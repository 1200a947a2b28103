//! Tables of activity: flow, who was supported, reach and engagement.

use super::*;
use sprout_model::*;

pub(super) fn flow(m: &ReportModel) -> CsvTable {
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

pub(super) fn discharge_reasons(m: &ReportModel) -> CsvTable {
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

pub(super) fn people(m: &ReportModel) -> Vec<CsvTable> {
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

pub(super) fn reach(m: &ReportModel) -> CsvTable {
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

pub(super) fn engagement(m: &ReportModel) -> CsvTable {
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
    let digits = Digits::of(m);
    let med = |s: &Option<Based<Spread>>, dp: usize| {
        let [_, med, q1, q3] = spread(s, if digits.shown(dp) == 3 { 1 } else { dp });
        if med.is_empty() || med == SUPPRESSED {
            med
        } else {
            format!("{med} ({q1}-{q3})")
        }
    };
    t.row(vec![
        "Sessions per client, median (IQR)".into(),
        med(&p.sessions_per_client, 0),
        med(&c.sessions_per_client, 0),
    ]);
    t.row(vec![
        "Minutes of support per client, median (IQR)".into(),
        med(&p.minutes_per_client, 0),
        med(&c.minutes_per_client, 0),
    ]);
    t.row(vec![
        "Total hours of support".into(),
        num(p.minutes_total.value.map(|v| v / 60.0), 0),
        num(c.minutes_total.value.map(|v| v / 60.0), 0),
    ]);
    t.row(vec![
        "Days from referral to first contact, median (IQR)".into(),
        med(&p.days_to_first_contact, 0),
        med(&c.days_to_first_contact, 0),
    ]);
    t.row(vec![
        "Weeks of support at discharge, median (IQR)".into(),
        med(&p.weeks_of_support, 1),
        med(&c.weeks_of_support, 1),
    ]);
    t
}

pub(super) fn engagement_by_phase(m: &ReportModel) -> CsvTable {
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
    let dp = if Digits::of(m).shown(0) == 0 { 0 } else { 1 };
    for (w, e) in windows(&m.engagement) {
        for p in &e.by_phase {
            let [_, med, q1, q3] = spread(&p.sessions_per_client, dp);
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

pub(super) fn contact_modes(m: &ReportModel) -> CsvTable {
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

pub(super) fn support_types(m: &ReportModel) -> CsvTable {
    let mut t = CsvTable::new("support_types", &["support_type", "sessions", "percent"]);
    for p in &m.engagement.cumulative.support_types.parts {
        t.row(vec![p.label.clone(), count(&p.count), pct(&p.share)]);
    }
    t
}
