// Properties every statistic in `sprout_stats` must have, whatever the data:
// swapping from and to flips signs and keeps p; every p lies in [0, 1]; every interval
// contains its estimate; adjusting p-values never lowers them; nothing panics or yields
// NaN/infinity on finite input.
//
// (No inner attributes or `//!` docs here: the file is also `include!`d by a scratch
// crate.)

use proptest::prelude::*;
use proptest::test_runner::Config;
use sprout_stats::{
    Direction, NotComputable, PAdjustMethod, PairedCounts, PairedOptions, PairedSample, Sample,
    ancova, benjamini_hochberg, binary_paired_comparison, cohens_dz, holm, kruskal_wallis,
    mann_whitney, meaningful_change, p_adjust, paired_comparison, paired_t, welch_anova, welch_t,
    wilcoxon_signed_rank, wilson_ci,
};

fn config() -> Config {
    Config {
        cases: 256,
        // Keep shrunk counterexamples in the test output rather than in files.
        failure_persistence: None,
        ..Config::default()
    }
}

/// Scores on a 0.1 grid (so ties and zero changes are common), sometimes noisy.
fn score() -> impl Strategy<Value = f64> {
    prop_oneof![
        4 => (0_i32..700).prop_map(|x| f64::from(x) / 10.0),
        1 => -1e3_f64..1e3,
    ]
}

/// Parallel from/to vectors of the same length.
fn pairs(max: usize) -> impl Strategy<Value = (Vec<f64>, Vec<f64>)> {
    prop::collection::vec((score(), score()), 0..max).prop_map(|v| v.into_iter().unzip())
}

fn values(max: usize) -> impl Strategy<Value = Vec<f64>> {
    prop::collection::vec(score(), 0..max)
}

/// Any finite double, including extremes, for the "never panics, never NaN" checks.
fn any_finite() -> impl Strategy<Value = f64> {
    prop_oneof![
        prop::num::f64::NORMAL | prop::num::f64::SUBNORMAL | prop::num::f64::ZERO,
        Just(1e308),
        Just(-1e308),
        (-5_i32..5).prop_map(f64::from),
    ]
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-12 * a.abs().max(b.abs()).max(1e-300)
}

fn assert_p(p: f64) {
    assert!((0.0..=1.0).contains(&p), "p = {p}");
}

fn sample<'a>(label: &'a str, values: &'a [f64]) -> Sample<'a> {
    Sample { label, values }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn swapping_from_and_to_flips_signs_and_keeps_p((from, to) in pairs(60)) {
        let forward = paired_comparison(&from, &to, &PairedOptions { min_n: 0, ..PairedOptions::default() });
        let back = paired_comparison(&to, &from, &PairedOptions { min_n: 0, ..PairedOptions::default() });
        let (forward, back) = (forward.expect("valid"), back.expect("valid"));
        if let (Ok(a), Ok(b)) = (&forward.mean_change, &back.mean_change) {
            prop_assert_eq!(a.mean, -b.mean);
            prop_assert!(close(a.ci.lower, -b.ci.upper) && close(a.ci.upper, -b.ci.lower));
        }
        prop_assert_eq!(forward.mean_change.is_ok(), back.mean_change.is_ok());
        if let (Ok(a), Ok(b)) = (&forward.paired_t, &back.paired_t) {
            prop_assert_eq!(a.t, -b.t);
            prop_assert_eq!(a.p, b.p);
        }
        prop_assert_eq!(forward.paired_t.is_ok(), back.paired_t.is_ok());
        if let (Ok(a), Ok(b)) = (&forward.d_z, &back.d_z) {
            prop_assert_eq!(a.estimate, -b.estimate);
        }
        if let (Ok(a), Ok(b)) = (&forward.wilcoxon, &back.wilcoxon) {
            let n = a.n_nonzero as f64;
            prop_assert_eq!(a.v, n * (n + 1.0) / 2.0 - b.v);
            prop_assert_eq!(a.z, -b.z);
            prop_assert_eq!(a.p, b.p);
            prop_assert_eq!(a.method, b.method);
        }
        prop_assert_eq!(forward.wilcoxon.is_ok(), back.wilcoxon.is_ok());
        if let (Ok(a), Ok(b)) = (&forward.d_av, &back.d_av) {
            prop_assert!(close(a.d_av, -b.d_av));
        }
    }

    #[test]
    fn swapping_exchanges_improved_and_deteriorated((from, to) in pairs(40), mcid in 0.1_f64..10.0) {
        if let (Ok(a), Ok(b)) = (
            meaningful_change(&from, &to, mcid, Direction::HigherIsBetter, 0.95),
            meaningful_change(&to, &from, mcid, Direction::HigherIsBetter, 0.95),
        ) {
            prop_assert_eq!((a.improved, a.unchanged, a.deteriorated), (b.deteriorated, b.unchanged, b.improved));
        }
        // Reversing the direction is the same as swapping.
        if let (Ok(a), Ok(b)) = (
            meaningful_change(&from, &to, mcid, Direction::LowerIsBetter, 0.95),
            meaningful_change(&to, &from, mcid, Direction::HigherIsBetter, 0.95),
        ) {
            prop_assert_eq!((a.improved, a.deteriorated), (b.improved, b.deteriorated));
        }
    }

    #[test]
    fn paired_p_values_are_probabilities_and_intervals_contain_estimates(
        (from, to) in pairs(70),
        conf in prop_oneof![Just(0.95), Just(0.9), Just(0.99), 0.5_f64..0.999],
    ) {
        let options = PairedOptions { min_n: 0, conf_level: conf, mcid: Some(3.0), reliability: Some(0.8), ..PairedOptions::default() };
        let r = paired_comparison(&from, &to, &options).expect("valid");
        if let Ok(t) = &r.paired_t {
            assert_p(t.p);
            prop_assert!(t.ci.contains(t.estimate), "{:?}", t);
        }
        if let Ok(m) = &r.mean_change {
            prop_assert!(m.ci.contains(m.mean), "{:?}", m);
        }
        if let Ok(w) = &r.wilcoxon {
            assert_p(w.p);
            prop_assert!(w.r.is_finite() && w.r >= 0.0);
        }
        if let Ok(d) = &r.d_z {
            prop_assert!(d.ci.contains(d.estimate), "{:?}", d);
        }
        if let Some(Ok(k)) = &r.meaningful_change {
            prop_assert!(k.share_improved.ci.contains(k.share_improved.estimate));
            prop_assert_eq!(k.improved + k.unchanged + k.deteriorated, k.n);
        }
    }

    #[test]
    fn group_tests_give_probabilities(x in values(60), y in values(60), z in values(30)) {
        if let Ok(t) = welch_t(sample("x", &x), sample("y", &y), 0.95) {
            assert_p(t.p);
            prop_assert!(t.ci.contains(t.estimate), "{:?}", t);
        }
        if let Ok(m) = mann_whitney(sample("x", &x), sample("y", &y)) {
            assert_p(m.p);
            // Swapping groups keeps the p-value.
            let back = mann_whitney(sample("y", &y), sample("x", &x)).expect("computable both ways");
            prop_assert_eq!(m.p, back.p);
        }
        let groups = [
            Sample { label: "x", values: &x },
            Sample { label: "y", values: &y },
            Sample { label: "z", values: &z },
        ];
        if let Ok(f) = welch_anova(&groups) {
            assert_p(f.p);
        }
        if let Ok(k) = kruskal_wallis(&groups) {
            assert_p(k.p);
            prop_assert!(k.h >= -1e-9);
        }
    }

    #[test]
    fn ancova_intervals_contain_adjusted_changes(
        (f1, t1) in pairs(25),
        (f2, t2) in pairs(25),
        (f3, t3) in pairs(10),
        conf in 0.5_f64..0.999,
    ) {
        let groups = [
            PairedSample { label: "a", from: &f1, to: &t1 },
            PairedSample { label: "b", from: &f2, to: &t2 },
            PairedSample { label: "c", from: &f3, to: &t3 },
        ];
        if let Ok(a) = ancova(&groups, conf) {
            assert_p(a.cohort.p);
            for adj in &a.adjusted {
                prop_assert!(adj.ci.contains(adj.change), "{:?}", adj);
                prop_assert!(adj.se >= 0.0);
            }
        }
    }

    #[test]
    fn binary_results_are_consistent(a in 0_u64..200, b in 0_u64..200, c in 0_u64..200, d in 0_u64..200, conf in 0.5_f64..0.999) {
        let r = binary_paired_comparison(PairedCounts { a, b, c, d }, conf);
        let m = r.mcnemar.expect("always computable");
        assert_p(m.p);
        if let Ok(diff) = &r.difference {
            // An interval exactly when the SE is positive, and it holds the estimate.
            prop_assert_eq!(diff.ci.is_some(), diff.se > 0.0);
            if let Some(ci) = diff.ci {
                prop_assert!(ci.contains(diff.difference) && ci.lower < ci.upper, "{:?}", diff);
            }
            prop_assert!((-1.0..=1.0).contains(&diff.difference));
        }
        for p in [&r.from, &r.to].into_iter().flatten() {
            prop_assert!(p.ci.contains(p.estimate), "{:?}", p);
            prop_assert!(p.ci.lower >= 0.0 && p.ci.upper <= 1.0);
        }
        // Swapping the discordant cells keeps the McNemar p-value.
        let swapped = binary_paired_comparison(PairedCounts { a, b: c, c: b, d }, conf);
        prop_assert_eq!(swapped.mcnemar.expect("computable").p, m.p);
    }

    #[test]
    fn wilson_contains_the_share(n in 1_u64..100_000, frac in 0.0_f64..=1.0, conf in 0.5_f64..0.9999) {
        let x = ((n as f64) * frac).floor() as u64;
        let p = wilson_ci(x.min(n), n, conf).expect("computable");
        prop_assert!(p.ci.contains(p.estimate), "{:?}", p);
        prop_assert!(p.ci.lower >= 0.0 && p.ci.upper <= 1.0);
    }

    #[test]
    fn adjusting_never_lowers_p_values(p in prop::collection::vec(prop_oneof![0.0_f64..=1.0, Just(0.0), Just(1.0), 0.0_f64..1e-8], 0..40)) {
        for adjusted in [holm(&p).expect("valid"), benjamini_hochberg(&p).expect("valid")] {
            prop_assert_eq!(adjusted.len(), p.len());
            for (raw, adj) in p.iter().zip(&adjusted) {
                prop_assert!(adj >= raw && *adj <= 1.0, "raw {} adjusted {}", raw, adj);
            }
        }
        // Holm is never less conservative than Benjamini-Hochberg.
        let h = holm(&p).expect("valid");
        let bh = benjamini_hochberg(&p).expect("valid");
        for (a, b) in h.iter().zip(&bh) {
            prop_assert!(a >= b);
        }
    }

    #[test]
    fn missing_p_values_stay_missing(p in prop::collection::vec(prop::option::of(0.0_f64..=1.0), 0..20)) {
        for method in [PAdjustMethod::Holm, PAdjustMethod::BenjaminiHochberg] {
            let adjusted = p_adjust(&p, method).expect("valid");
            for (raw, adj) in p.iter().zip(&adjusted) {
                prop_assert_eq!(raw.is_some(), adj.is_some());
                if let (Some(r), Some(a)) = (raw, adj) {
                    prop_assert!(a >= r && *a <= 1.0);
                }
            }
        }
    }

    #[test]
    fn no_panic_and_no_nan_on_any_finite_input(
        (from, to) in prop::collection::vec((any_finite(), any_finite()), 0..12).prop_map(|v| v.into_iter().unzip::<f64, f64, Vec<f64>, Vec<f64>>()),
        y in prop::collection::vec(any_finite(), 0..8),
    ) {
        let options = PairedOptions { min_n: 0, mcid: Some(1.0), reliability: Some(0.5), ..PairedOptions::default() };
        // Changes beyond f64 (1e308 - -1e308) are refused as a whole; anything else
        // must come back with every piece finite or not computable.
        match paired_comparison(&from, &to, &options) {
            Ok(r) => {
                // serde_json writes NaN/infinity as null, so a stray null betrays one.
                let json = serde_json::to_value(&r).expect("serialisable");
                prop_assert!(no_non_finite(&json), "{}", json);
            }
            Err(e) => prop_assert!(matches!(e, NotComputable::NonFinite { .. }), "{e}"),
        }
        let _ = paired_t(&from, &to, 0.95);
        let _ = cohens_dz(&from, &to, 0.95);
        let _ = wilcoxon_signed_rank(&from, &to);
        if let Ok(t) = welch_t(sample("from", &from), sample("y", &y), 0.95) {
            prop_assert!([t.t, t.p, t.df, t.ci.lower, t.ci.upper].iter().all(|x| x.is_finite()));
        }
        if let Ok(m) = mann_whitney(sample("from", &from), sample("y", &y)) { prop_assert!(m.p.is_finite() && m.z.is_finite()); }
        let groups = [Sample { label: "a", values: &from }, Sample { label: "b", values: &y }];
        if let Ok(f) = welch_anova(&groups) { prop_assert!(f.f.is_finite() && f.p.is_finite()); }
        if let Ok(k) = kruskal_wallis(&groups) { prop_assert!(k.h.is_finite() && k.p.is_finite()); }
        let paired_groups = [
            PairedSample { label: "a", from: &from, to: &to },
            PairedSample { label: "b", from: &to, to: &from },
        ];
        if let Ok(a) = ancova(&paired_groups, 0.95) {
            let json = serde_json::to_value(&a).expect("serialisable");
            prop_assert!(no_non_finite(&json), "{}", json);
        }
    }
}

/// True when a serialised result has no `null` except where a value is legitimately
/// absent (an SD of one value, an unconfigured MCID).
fn no_non_finite(v: &serde_json::Value) -> bool {
    match v {
        serde_json::Value::Null => false,
        serde_json::Value::Object(map) => map.iter().all(|(k, x)| {
            (x.is_null()
                && matches!(
                    k.as_str(),
                    "sd" | "meaningful_change" | "reliable_change" | "g_av" | "ci"
                ))
                || no_non_finite(x)
        }),
        serde_json::Value::Array(items) => items.iter().all(no_non_finite),
        _ => true,
    }
}
