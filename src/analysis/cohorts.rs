//! Cohort comparison (methods.md section 4): every cohort dimension and measure, with the
//! paired result per cohort, tests of change across cohorts, and the baseline-adjusted
//! ANCOVA.

use super::data::Data;
use super::dimensions::{NOT_RECORDED, cohort_dims};
use super::methods::MethodsLog;
use super::outcomes::{comparisons, options, paired_summary, pairs};
use super::period::Window;
use crate::config::Config;
use crate::model::*;
use crate::stats::{self, PairedSample, Sample};

pub fn cohorts(
    config: &Config,
    data: &Data,
    window: &Window,
    log: &mut MethodsLog,
) -> Vec<CohortComparison> {
    let Some((from, to, _, _)) = comparisons(config).into_iter().next() else {
        return Vec::new();
    };
    let min_n = config.programme.min_n;
    let mut out = Vec::new();
    for dim in cohort_dims(config) {
        let assigned = dim.assign(&data.clients);
        for (m_idx, m) in config.measures.iter().enumerate() {
            let (clients, f, t) = pairs(data, m_idx, from, to, window);
            if clients.is_empty() {
                continue;
            }
            let level_of: Vec<usize> = clients.iter().map(|c| assigned.level_of(*c)).collect();
            // Cohorts the config lists stay in the table with n = 0 when nobody in
            // them has a pair yet: missing, not absent.
            let levels = assigned.present_or_listed(clients.iter().copied());
            let opts = options(m, min_n);
            let row = |key: &str, label: &str, f: &[f64], t: &[f64]| CohortRow {
                key: key.to_owned(),
                label: label.to_owned(),
                n: Count::from(f.len()),
                result: paired_summary(f, t, &opts, Some(m)),
                adjusted_change: None,
            };
            let overall = row("all", "All", &f, &t);
            let groups: Vec<(String, String, Vec<f64>, Vec<f64>)> = levels
                .iter()
                .map(|&l| {
                    let idx: Vec<usize> =
                        (0..level_of.len()).filter(|&i| level_of[i] == l).collect();
                    let (key, label) = &assigned.levels[l];
                    (
                        key.clone(),
                        label.clone(),
                        idx.iter().map(|&i| f[i]).collect(),
                        idx.iter().map(|&i| t[i]).collect(),
                    )
                })
                .collect();
            let mut rows: Vec<CohortRow> =
                groups.iter().map(|(k, l, f, t)| row(k, l, f, t)).collect();

            // Tests use recorded cohorts with at least min_n pairs.
            let tested: Vec<&(String, String, Vec<f64>, Vec<f64>)> = groups
                .iter()
                .filter(|g| g.0 != NOT_RECORDED.0 && g.2.len() >= min_n)
                .collect();
            let changes: Vec<Vec<f64>> = tested
                .iter()
                .map(|g| g.3.iter().zip(&g.2).map(|(b, a)| b - a).collect())
                .collect();
            let n_tested: usize = tested.iter().map(|g| g.2.len()).sum();
            let subject = format!("by {}", dim.label.to_lowercase());
            fn skip<T>(reason: String) -> Test<T> {
                Test::Skipped { reason }
            }
            let too_few = format!("fewer than two cohorts with at least {min_n} pairs");
            let mut tests = Vec::new();
            match tested.len() {
                0 | 1 => {
                    for method in ["Welch t test", "Mann-Whitney U test"] {
                        tests.push(GroupTest {
                            method: method.into(),
                            result: skip(too_few.clone()),
                        });
                    }
                }
                2 => {
                    let a = Sample {
                        label: &tested[0].1,
                        values: &changes[0],
                    };
                    let b = Sample {
                        label: &tested[1].1,
                        values: &changes[1],
                    };
                    let welch: Test<GroupStat> = stats::welch_t(a, b, 0.95)
                        .map(|r| GroupStat {
                            statistic: r.t,
                            df1: Some(r.df),
                            df2: None,
                            p: r.p,
                        })
                        .into();
                    let mw: Test<GroupStat> = stats::mann_whitney(a, b)
                        .map(|r| GroupStat {
                            statistic: r.w,
                            df1: None,
                            df2: None,
                            p: r.p,
                        })
                        .into();
                    tests.push(GroupTest {
                        method: "Welch t test".into(),
                        result: welch,
                    });
                    tests.push(GroupTest {
                        method: "Mann-Whitney U test".into(),
                        result: mw,
                    });
                }
                _ => {
                    let samples: Vec<Sample> = tested
                        .iter()
                        .zip(&changes)
                        .map(|(g, c)| Sample {
                            label: &g.1,
                            values: c,
                        })
                        .collect();
                    let anova: Test<GroupStat> = stats::welch_anova(&samples)
                        .map(|r| GroupStat {
                            statistic: r.f,
                            df1: Some(r.df1),
                            df2: Some(r.df2),
                            p: r.p,
                        })
                        .into();
                    let kw: Test<GroupStat> = stats::kruskal_wallis(&samples)
                        .map(|r| GroupStat {
                            statistic: r.h,
                            df1: Some(r.df),
                            df2: None,
                            p: r.p,
                        })
                        .into();
                    tests.push(GroupTest {
                        method: "Welch one-way ANOVA".into(),
                        result: anova,
                    });
                    tests.push(GroupTest {
                        method: "Kruskal-Wallis test".into(),
                        result: kw,
                    });
                }
            }
            for t in &tests {
                log.test("cohorts", &m.id, &subject, &t.method, n_tested, &t.result);
            }
            let ancova: Test<AncovaSummary> = if tested.len() < 2 {
                skip(too_few)
            } else {
                let samples: Vec<PairedSample> = tested
                    .iter()
                    .map(|g| PairedSample {
                        label: &g.1,
                        from: &g.2,
                        to: &g.3,
                    })
                    .collect();
                match stats::ancova(&samples, 0.95) {
                    Ok(a) => {
                        for adj in &a.adjusted {
                            if let Some(r) = rows.iter_mut().find(|r| r.label == adj.label) {
                                r.adjusted_change =
                                    Some(Estimate::with_ci(adj.change, adj.ci.lower, adj.ci.upper));
                            }
                        }
                        Test::Ran(AncovaSummary {
                            f: a.cohort.f,
                            df1: a.cohort.df1,
                            df2: a.cohort.df2,
                            p: a.cohort.p,
                            baseline_slope: a.baseline_slope,
                            mean_baseline: a.mean_baseline,
                        })
                    }
                    Err(e) => skip(e.to_string()),
                }
            };
            log.test(
                "cohorts",
                &m.id,
                &subject,
                "ANCOVA (later value on baseline and cohort)",
                n_tested,
                &ancova,
            );
            out.push(CohortComparison {
                dimension: dim.id.clone(),
                dimension_label: dim.label.clone(),
                measure: m.id.clone(),
                overall,
                cohorts: std::mem::take(&mut rows),
                tests,
                ancova,
                labels_from_export: dim.labels_from_export(),
            });
        }
    }
    out
}
