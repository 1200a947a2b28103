//! Cohort comparison (methods.md section 4): every cohort dimension and measure, with the
//! paired result per cohort, tests of change across cohorts, and the baseline-adjusted
//! ANCOVA.

use super::data::Data;
use super::dimensions::{NOT_RECORDED, cohort_dims};
use super::methods::MethodsLog;
use super::outcomes::{comparisons, options, paired_summary, pairs};
use sprout_clinical::instruments::Measure;
use sprout_config::Config;
use sprout_core::period::Window;
use sprout_model::*;
use sprout_stats::{self as stats, PairedOptions, PairedSample, Sample};

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
    // Each measure's pairs and overall row are the same for every dimension: found once.
    let measures: Vec<_> = config
        .measures
        .iter()
        .enumerate()
        .map(|(m_idx, m)| {
            let (clients, f, t) = pairs(data, m_idx, from, to, window);
            let overall = (!clients.is_empty())
                .then(|| cohort_row(m, &options(m, min_n), "all", "All", &f, &t));
            (clients, f, t, overall)
        })
        .collect();
    let mut out = Vec::new();
    for dim in cohort_dims(config) {
        let assigned = dim.assign(&data.clients);
        for (m, (clients, f, t, overall)) in config.measures.iter().zip(&measures) {
            let Some(overall) = overall else {
                continue;
            };
            let level_of: Vec<usize> = clients.iter().map(|c| assigned.level_of(*c)).collect();
            // Cohorts the config lists stay in the table with n = 0 when nobody in
            // them has a pair yet: missing, not absent.
            let levels = assigned.present_or_listed(clients.iter().copied());
            let opts = options(m, min_n);
            let row = |key: &str, label: &str, f: &[f64], t: &[f64]| {
                cohort_row(m, &opts, key, label, f, t)
            };
            let overall = overall.clone();
            let groups: Vec<Group> = levels
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
            let tested: Vec<&Group> = groups
                .iter()
                .filter(|g| g.0 != NOT_RECORDED.0 && g.2.len() >= min_n)
                .collect();
            let changes: Vec<Vec<f64>> = tested
                .iter()
                .map(|g| g.3.iter().zip(&g.2).map(|(b, a)| b - a).collect())
                .collect();
            let n_tested: usize = tested.iter().map(|g| g.2.len()).sum();
            let subject = format!("by {}", dim.label.to_lowercase());
            let tests = group_tests(&tested, &changes, min_n);
            for t in &tests {
                log.test("cohorts", &m.id, &subject, t.method, n_tested, &t.result);
            }
            let ancova = ancova(&tested, &mut rows, min_n);
            log.test(
                "cohorts",
                &m.id,
                &subject,
                Method::Ancova,
                n_tested,
                &ancova,
            );
            let mut c = CohortComparison {
                dimension: dim.id.clone(),
                dimension_label: dim.label.clone(),
                measure: m.id.clone(),
                overall,
                cohorts: std::mem::take(&mut rows),
                tests,
                ancova,
                finding: CohortFinding {
                    verdict: GroupVerdict::NotTested,
                    lowest: None,
                    highest: None,
                    holds_adjusted: None,
                    left_out: Vec::new(),
                },
                labels_from_export: dim.labels_from_export(),
            };
            c.finding = finding(&c, m.direction, min_n);
            out.push(c);
        }
    }
    out
}

/// A row of the cohort table: a cohort's (or everyone's) paired result.
fn cohort_row(
    m: &Measure,
    opts: &PairedOptions,
    key: &str,
    label: &str,
    from: &[f64],
    to: &[f64],
) -> CohortRow {
    CohortRow {
        key: key.to_owned(),
        label: label.to_owned(),
        n: Count::from(from.len()),
        result: paired_summary(from, to, opts, Some(m)),
        adjusted_change: None,
    }
}

/// A cohort's pairs: its key, label, and the from and to values.
type Group = (String, String, Vec<f64>, Vec<f64>);

fn too_few<T>(min_n: usize) -> Test<T> {
    Test::skipped(Reason::TooFewCohorts { min_n })
}

/// The tests across the cohorts tested, of their changes: Welch's t and Mann-Whitney for
/// two cohorts, Welch's ANOVA and Kruskal-Wallis for more.
fn group_tests(tested: &[&Group], changes: &[Vec<f64>], min_n: usize) -> Vec<GroupTest> {
    let stat = |statistic: f64, df1: Option<f64>, df2: Option<f64>, p: f64| GroupStat {
        statistic: Some(statistic),
        df1,
        df2,
        p,
    };
    match tested.len() {
        0 | 1 => [Method::WelchT, Method::MannWhitney]
            .into_iter()
            .map(|method| GroupTest {
                method,
                result: too_few(min_n),
            })
            .collect(),
        2 => {
            let a = Sample {
                label: &tested[0].1,
                values: &changes[0],
            };
            let b = Sample {
                label: &tested[1].1,
                values: &changes[1],
            };
            vec![
                GroupTest {
                    method: Method::WelchT,
                    result: stats::welch_t(a, b, 0.95)
                        .map(|r| stat(r.t, Some(r.df), None, r.p))
                        .into(),
                },
                GroupTest {
                    method: Method::MannWhitney,
                    result: stats::mann_whitney(a, b)
                        .map(|r| stat(r.w, None, None, r.p))
                        .into(),
                },
            ]
        }
        _ => {
            let samples: Vec<Sample> = tested
                .iter()
                .zip(changes)
                .map(|(g, c)| Sample {
                    label: &g.1,
                    values: c,
                })
                .collect();
            vec![
                GroupTest {
                    method: Method::WelchAnova,
                    result: stats::welch_anova(&samples)
                        .map(|r| stat(r.f, Some(r.df1), Some(r.df2), r.p))
                        .into(),
                },
                GroupTest {
                    method: Method::KruskalWallis,
                    result: stats::kruskal_wallis(&samples)
                        .map(|r| stat(r.h, Some(r.df), None, r.p))
                        .into(),
                },
            ]
        }
    }
}

/// The ANCOVA of the later value on baseline and cohort, across the cohorts tested; each
/// row gets its adjusted change.
fn ancova(tested: &[&Group], rows: &mut [CohortRow], min_n: usize) -> Test<AncovaSummary> {
    if tested.len() < 2 {
        return too_few(min_n);
    }
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
                f: Some(a.cohort.f),
                df1: Some(a.cohort.df1),
                df2: Some(a.cohort.df2),
                p: a.cohort.p,
                baseline_slope: a.baseline_slope,
                mean_baseline: a.mean_baseline,
            })
        }
        Err(e) => Test::skipped(e.into()),
    }
}

/// The recorded cohorts with at least `min_n` pairs: those a test across cohorts takes.
pub fn tested(c: &CohortComparison, min_n: usize) -> Vec<&CohortRow> {
    c.cohorts
        .iter()
        .filter(|r| r.key != NOT_RECORDED.0 && r.n.value.is_some_and(|n| n as usize >= min_n))
        .collect()
}

/// What a comparison's test across cohorts found: the verdict at the 5% level, the tested
/// cohorts that improved least and most (only where the test found a difference),
/// whether it holds after allowing for baseline, and which cohorts were left out.
fn finding(c: &CohortComparison, direction: stats::Direction, min_n: usize) -> CohortFinding {
    let test = c.tests.first().and_then(|t| t.result.ran());
    let verdict = match test {
        Some(s) if s.p < 0.05 => GroupVerdict::Differ,
        Some(_) => GroupVerdict::NoClearDifference,
        None => GroupVerdict::NotTested,
    };
    let tested = tested(c, min_n);
    let gain = |r: &CohortRow| {
        r.mean_change()
            .map(|e| direction.signed_improvement(e.value))
    };
    let ranked: Vec<(&CohortRow, f64)> = tested
        .iter()
        .filter_map(|r| gain(r).map(|g| (*r, g)))
        .collect();
    let (lowest, highest) = if verdict == GroupVerdict::Differ {
        (
            ranked
                .iter()
                .min_by(|a, b| a.1.total_cmp(&b.1))
                .map(|r| r.0.key.clone()),
            ranked
                .iter()
                .max_by(|a, b| a.1.total_cmp(&b.1))
                .map(|r| r.0.key.clone()),
        )
    } else {
        (None, None)
    };
    CohortFinding {
        verdict,
        lowest,
        highest,
        holds_adjusted: c.ancova.ran().map(|a| a.p < 0.05),
        left_out: c
            .cohorts
            .iter()
            .filter(|r| !tested.iter().any(|t| t.key == r.key))
            .map(|r| LeftOut {
                key: r.key.clone(),
                label: r.label.clone(),
                n: r.n,
                why: if r.key == NOT_RECORDED.0 {
                    LeftOutBecause::NotRecorded
                } else {
                    LeftOutBecause::TooFew
                },
            })
            .collect(),
    }
}
