use super::*;
use sprout_model::Reason;
use sprout_model::{CohortFinding, GroupVerdict};

fn no_finding() -> CohortFinding {
    CohortFinding {
        verdict: GroupVerdict::NotTested,
        lowest: None,
        highest: None,
        holds_adjusted: None,
        left_out: Vec::new(),
    }
}

fn nhs() -> Rules {
    Rules::new(DisclosurePolicy::Nhs)
}

fn values(b: &Breakdown) -> Vec<Option<u64>> {
    b.parts.iter().map(|p| p.count.value).collect()
}

fn breakdown(counts: &[u64]) -> Breakdown {
    Breakdown::from_counts(
        counts
            .iter()
            .enumerate()
            .map(|(i, n)| (format!("k{i}"), format!("K{i}"), *n))
            .collect(),
    )
}

#[test]
fn counts_one_to_seven_are_suppressed_others_rounded_to_five() {
    let r = nhs();
    let shown: Vec<(Option<u64>, Shown)> = [0u64, 1, 7, 8, 10, 12, 13, 102]
        .iter()
        .map(|n| {
            let mut c = Count::new(*n);
            r.count(&mut c);
            (c.value, c.shown)
        })
        .collect();
    assert_eq!(
        shown,
        vec![
            (Some(0), Shown::Exact),
            (None, Shown::Suppressed),
            (None, Shown::Suppressed),
            (Some(10), Shown::Rounded),
            (Some(10), Shown::Rounded),
            (Some(10), Shown::Rounded),
            (Some(15), Shown::Rounded),
            (Some(100), Shown::Rounded),
        ]
    );
}

#[test]
fn threshold_and_none_policies() {
    let t = Rules::new(DisclosurePolicy::Threshold(10));
    let mut c = Count::new(9);
    t.count(&mut c);
    assert!(c.is_suppressed());
    let mut c = Count::new(12);
    t.count(&mut c);
    assert_eq!((c.value, c.shown), (Some(12), Shown::Exact), "no rounding");
    let none = Rules::new(DisclosurePolicy::None);
    let mut c = Count::new(3);
    none.count(&mut c);
    assert_eq!(c.value, Some(3));
}

#[test]
fn shares_with_suppressed_numerators_or_small_bases_are_suppressed() {
    let r = nhs();
    let mut s = Share::with_ci(5, 60);
    r.share(&mut s);
    assert!(s.proportion.is_none() && s.ci.is_none() && s.numerator.is_suppressed());
    assert_eq!(s.denominator.value, Some(60));
    let mut small_base = Share::new(0, 6);
    r.share(&mut small_base);
    assert!(
        small_base.proportion.is_none(),
        "a percentage of 1-7 people is hidden even at 0"
    );
    let mut fine = Share::new(24, 60);
    r.share(&mut fine);
    assert_eq!(fine.proportion, Some(0.4));
    assert_eq!(
        (fine.numerator.value, fine.numerator.shown),
        (Some(25), Shown::Rounded)
    );
}

#[test]
fn means_based_on_few_people_are_suppressed() {
    let r = nhs();
    let mut b = Based::new(7, 3.2);
    r.based(&mut b);
    assert_eq!(b.value, None);
    // Under rounding, 8 or 9 people show as 10: a mean of so few whole-number scores
    // could tell which, so it is hidden too.
    let mut b = Based::new(8, 3.2);
    r.based(&mut b);
    assert_eq!((b.value, b.n.value), (None, Some(10)));
    let mut b = Based::new(10, 3.2);
    r.based(&mut b);
    assert_eq!((b.value, b.n.value), (Some(3.2), Some(10)));
    let mut b = Based::new(8, 3.2);
    Rules::new(DisclosurePolicy::Threshold(8)).based(&mut b);
    assert_eq!((b.value, b.n.value), (Some(3.2), Some(8)));
}

#[test]
fn secondary_suppression_in_a_breakdown() {
    // Under rounding, a lone hidden 3 cannot be worked out from 40, 10, 25 and 75 (each
    // to the nearest 5): nothing more is hidden.
    let mut b = breakdown(&[40, 3, 9, 25]);
    nhs().breakdown(&mut b);
    assert_eq!(values(&b), vec![Some(40), None, Some(10), Some(25)]);
    // With exact counts it would be 77 - 40 - 9 - 25.
    let r = Rules::new(DisclosurePolicy::Threshold(5));
    // 3 is hidden; the next smallest (9) goes too, so 3 cannot be got from the total.
    let mut b = breakdown(&[40, 3, 9, 25]);
    r.breakdown(&mut b);
    assert_eq!(values(&b), vec![Some(40), None, None, Some(25)]);
    assert_eq!(b.total.value, Some(77));
    // Two hidden cells already protect each other.
    let mut b = breakdown(&[40, 3, 2, 25]);
    r.breakdown(&mut b);
    assert_eq!(values(&b), vec![Some(40), None, None, Some(25)]);
    // Zeros are not "next smallest": hiding a known zero protects nothing.
    let mut b = breakdown(&[0, 3, 20]);
    r.breakdown(&mut b);
    assert_eq!(values(&b), vec![Some(0), None, None]);
    // Nothing left to hide: the total goes.
    let mut b = breakdown(&[0, 3]);
    r.breakdown(&mut b);
    assert!(b.total.is_suppressed());
    // Shares of hidden parts are hidden.
    let mut b = breakdown(&[40, 3, 9, 25]);
    r.breakdown(&mut b);
    assert!(b.parts[2].share.proportion.is_none());
    assert!(b.parts[0].share.proportion.is_some());
}

#[test]
fn secondary_suppression_in_rows_and_columns() {
    let r = Rules::new(DisclosurePolicy::Threshold(5));
    let rows = vec![
        ("a".into(), "A".into()),
        ("b".into(), "B".into()),
        ("c".into(), "C".into()),
    ];
    let cols = vec![
        ("x".into(), "X".into()),
        ("y".into(), "Y".into()),
        ("z".into(), "Z".into()),
    ];
    // The 2 in row b hides b's next smallest (12); column x then has one hidden cell
    // (2) besides... column y has 12 alone hidden, so y's next smallest (20) goes; and
    // so on until every row and column with a hidden cell has at least two.
    let mut t = CrossTab::from_counts(
        rows,
        cols,
        vec![vec![30, 20, 40], vec![2, 12, 50], vec![25, 35, 45]],
    );
    r.crosstab(&mut t);
    let hidden: Vec<Vec<bool>> = t
        .cells
        .iter()
        .map(|r| r.iter().map(Count::is_suppressed).collect())
        .collect();
    for row in &hidden {
        assert_ne!(
            row.iter().filter(|h| **h).count(),
            1,
            "a row with one hidden cell: {hidden:?}"
        );
    }
    for c in 0..3 {
        assert_ne!(
            hidden.iter().filter(|r| r[c]).count(),
            1,
            "a column with one hidden cell: {hidden:?}"
        );
    }
    assert!(hidden[1][0], "the small cell itself");
    assert_eq!(t.total.value, Some(259));
}

#[test]
fn complements_of_shares_are_protected_and_nhs_shares_are_whole_percents() {
    let r = nhs();
    // 17 of 20: the 3 who are not in the share would be revealed.
    let mut s = Share::with_ci(17, 20);
    r.share(&mut s);
    assert!(s.proportion.is_none() && s.ci.is_none());
    let mut s = Share::with_ci(1234, 4000);
    r.share(&mut s);
    assert_eq!(s.proportion, Some(0.31));
    // The interval of 31% of 4,000 as shown: 29.6% to 32.5%, outward to whole percents.
    assert_eq!(s.ci, Some((0.29, 0.33)));
    // A base under 105 is shown to 2 points, under 55 to 5.
    let mut s = Share::with_ci(12, 63);
    r.share(&mut s);
    assert_eq!(s.proportion, Some(0.2));
    let mut s = Share::with_ci(11, 40);
    r.share(&mut s);
    assert_eq!(s.proportion, Some(0.3));
    let t = Rules::new(DisclosurePolicy::Threshold(10));
    let mut s = Share::with_ci(1234, 4000);
    t.share(&mut s);
    assert_eq!(
        (s.proportion, s.numerator.value),
        (Some(0.31), Some(1234)),
        "threshold policies keep exact counts and publish shares as shown"
    );
}

#[test]
fn a_lone_hidden_cell_hides_its_line_total() {
    let r = Rules::new(DisclosurePolicy::Threshold(10));
    let rows = vec![("a".into(), "A".into()), ("b".into(), "B".into())];
    let cols = vec![("x".into(), "X".into()), ("y".into(), "Y".into())];
    // Column x: 3 hidden, 17 its partner (hidden too); row b has only the 3 and a zero.
    let mut t = CrossTab::from_counts(rows, cols, vec![vec![17, 40], vec![3, 0]]);
    r.crosstab(&mut t);
    assert!(t.cells[1][0].is_suppressed() && t.cells[0][0].is_suppressed());
    assert!(
        t.row_totals[1].is_suppressed(),
        "row b's total would equal its hidden cell"
    );
    // Whatever the cascade hides, no row or column is left with one hidden figure and a
    // shown total.
    for r in 0..2 {
        let hidden = t.cells[r].iter().filter(|c| c.is_suppressed()).count();
        assert!(hidden != 1 || t.row_totals[r].is_suppressed(), "row {r}");
    }
    for c in 0..2 {
        let hidden = t.cells.iter().filter(|row| row[c].is_suppressed()).count();
        assert!(
            hidden != 1 || t.column_totals[c].is_suppressed(),
            "column {c}"
        );
    }
    let hidden_row_totals = t.row_totals.iter().filter(|c| c.is_suppressed()).count();
    assert!(hidden_row_totals != 1 || t.total.is_suppressed());
}

#[test]
fn a_lone_hidden_quarter_cannot_be_recovered_from_the_cumulative_figures() {
    let quarter = |referred: u64, pairs: u64| TrendQuarter {
        label: String::new(),
        start: chrono::NaiveDate::MIN,
        end: chrono::NaiveDate::MIN,
        referred: Count::new(referred),
        started: Count::new(referred),
        attended: Count::new(0),
        discharged: Count::new(20),
        mean_change: Based::new(pairs as usize, Estimate::with_ci(1.0, 0.5, 1.5)),
        better: Share::with_ci(pairs / 2, pairs),
    };
    let mut t = Trend {
        measure: None,
        quarters: vec![
            quarter(0, 30),
            quarter(4, 12),
            quarter(25, 40),
            quarter(12, 9),
        ],
    };
    t.disclose(&Rules::new(DisclosurePolicy::Threshold(5)));
    let referred: Vec<Option<u64>> = t.quarters.iter().map(|q| q.referred.value).collect();
    assert_eq!(
        referred,
        vec![Some(0), None, Some(25), None],
        "4 and then 12"
    );
    assert!(t.quarters[1].referred.is_suppressed() && t.quarters[3].started.is_suppressed());
    // Nothing small among the pairs: nothing hidden there.
    assert!(t.quarters.iter().all(|q| q.mean_change.value.is_some()));
    assert!(t.quarters.iter().all(|q| !q.discharged.is_suppressed()));
    // A small base hides the next smallest quarter's mean and share with it.
    let mut t = Trend {
        measure: None,
        quarters: vec![
            quarter(30, 30),
            quarter(30, 6),
            quarter(30, 9),
            quarter(30, 40),
        ],
    };
    t.disclose(&nhs());
    let shown: Vec<bool> = t
        .quarters
        .iter()
        .map(|q| q.mean_change.value.is_some() && q.better.proportion.is_some())
        .collect();
    // Under rounding the lone 6 cannot be worked out from the others: the next quarter's
    // count stays (its mean and share go, being of fewer than 10 people).
    assert_eq!(shown, vec![true, false, false, true]);
    assert!(t.quarters[1].mean_change.n.is_suppressed());
    assert_eq!(t.quarters[2].mean_change.n.value, Some(10));
    assert!(t.quarters[2].mean_change.value.is_none());
}

#[test]
fn a_quarter_hidden_for_its_complement_takes_another_with_it() {
    let quarter = |pairs: u64, better: u64| TrendQuarter {
        label: String::new(),
        start: chrono::NaiveDate::MIN,
        end: chrono::NaiveDate::MIN,
        referred: Count::new(30),
        started: Count::new(30),
        attended: Count::new(30),
        discharged: Count::new(30),
        mean_change: Based::new(pairs as usize, Estimate::with_ci(1.0, 0.5, 1.5)),
        better: Share::with_ci(better, pairs),
    };
    let mut t = Trend {
        measure: None,
        quarters: vec![quarter(20, 10), quarter(23, 20), quarter(30, 12)],
    };
    t.disclose(&Rules::new(DisclosurePolicy::Threshold(10)));
    let hidden: Vec<bool> = t
        .quarters
        .iter()
        .map(|q| q.better.proportion.is_none())
        .collect();
    // 20 of 23 leaves 3 out; alone it would be the cumulative less 10 and 12.
    assert_eq!(hidden, vec![true, true, false]);
}

#[test]
fn classes_of_one_base_are_a_line() {
    let threshold = Rules::new(DisclosurePolicy::Threshold(8));
    let mut improved = Share::new(3, 40);
    let mut unchanged = Share::new(20, 40);
    let mut deteriorated = Share::new(17, 40);
    threshold.share_line(vec![&mut improved, &mut unchanged, &mut deteriorated], &[]);
    // 3 is hidden; alone it would be 40 - 20 - 17, so 17 goes too.
    assert!(improved.numerator.is_suppressed() && improved.proportion.is_none());
    assert!(deteriorated.numerator.is_suppressed() && deteriorated.proportion.is_none());
    assert_eq!(unchanged.numerator.value, Some(20));
    // Nothing small: nothing hidden.
    let (mut a, mut b) = (Share::new(20, 40), Share::new(20, 40));
    threshold.share_line(vec![&mut a, &mut b], &[]);
    assert!(a.proportion.is_some() && b.proportion.is_some());
}

#[test]
fn small_bins_are_merged_not_starred() {
    let bin = |lower: f64, n: u64| Bin {
        lower,
        upper: lower + 1.0,
        count: Count::new(n),
    };
    let mut bins = vec![
        bin(-2.0, 2),
        bin(-1.0, 9),
        bin(0.0, 30),
        bin(1.0, 5),
        bin(2.0, 4),
    ];
    nhs().bins(&mut bins);
    let shape: Vec<(f64, f64, Option<u64>)> = bins
        .iter()
        .map(|b| (b.lower, b.upper, b.count.value))
        .collect();
    // 2 joins its only neighbour (11 -> 10 rounded); 5 joins its smaller neighbour 4.
    assert_eq!(
        shape,
        vec![
            (-2.0, 0.0, Some(10)),
            (0.0, 1.0, Some(30)),
            (1.0, 3.0, Some(10))
        ]
    );
    assert!(bins.iter().all(|b| !b.count.is_suppressed()));
    let mut few = vec![bin(0.0, 3), bin(1.0, 2)];
    nhs().bins(&mut few);
    assert!(few.is_empty(), "five people in all cannot be shown");
    let mut kept = vec![bin(0.0, 3)];
    Rules::new(DisclosurePolicy::None).bins(&mut kept);
    assert_eq!(kept[0].count.value, Some(3));
}

#[test]
fn a_hidden_cohort_cannot_be_recovered_from_the_others() {
    let row = cohort_row;
    let mut c = CohortComparison {
        dimension: "trust".into(),
        dimension_label: "Trust".into(),
        measure: "swemwbs".into(),
        overall: row("all", 38),
        cohorts: vec![row("a", 15), row("b", 3), row("c", 20)],
        tests: vec![],
        ancova: Test::skipped(Reason::NoPairs),
        finding: no_finding(),
        labels_from_export: false,
    };
    let mut rounded = c.clone();
    rounded.disclose(&nhs());
    let hidden: Vec<bool> = rounded
        .cohorts
        .iter()
        .map(|r| r.n.is_suppressed() && r.result.is_none())
        .collect();
    assert_eq!(
        hidden,
        vec![false, true, false],
        "38 less 15 and 20, each to the nearest 5, leaves 1 to 7: b alone"
    );
    c.disclose(&Rules::new(DisclosurePolicy::Threshold(5)));
    let hidden: Vec<bool> = c
        .cohorts
        .iter()
        .map(|r| r.n.is_suppressed() && r.result.is_none())
        .collect();
    assert_eq!(
        hidden,
        vec![true, true, false],
        "exactly, b is 38 - 15 - 20: the next smallest, a, goes too"
    );
    assert!(!c.overall.n.is_suppressed());
    // With no second cohort to hide, the overall goes instead.
    let mut c2 = CohortComparison {
        cohorts: vec![row("a", 0), row("b", 3)],
        overall: row("all", 3),
        ..c
    };
    c2.disclose(&Rules::new(DisclosurePolicy::Threshold(5)));
    assert!(c2.overall.n.is_suppressed() && c2.overall.result.is_none());
}

#[test]
fn reasons_lose_their_exact_counts() {
    let below = || Reason::BelowMinimum {
        min_n: 10,
        n: Count::new(4),
    };
    let mut reason = below();
    reason.disclose(&nhs());
    assert_eq!(
        reason.to_string(),
        "fewer than 10 pairs: descriptive figures only, no test"
    );
    // A rounded count is not quoted either: "(n = 10)" would contradict "fewer than 10".
    let mut rounded = Reason::BelowMinimum {
        min_n: 10,
        n: Count::new(9),
    };
    rounded.disclose(&nhs());
    assert_eq!(
        rounded.to_string(),
        "fewer than 10 pairs: descriptive figures only, no test"
    );
    let mut group = Reason::GroupTooSmall {
        group: "B".into(),
        needed: 2,
        n: Count::new(1),
    };
    group.disclose(&Rules::new(DisclosurePolicy::Threshold(5)));
    assert_eq!(group.to_string(), "group 'B' has fewer than 2 values");
    let mut kept = below();
    kept.disclose(&Rules::new(DisclosurePolicy::None));
    assert_eq!(
        kept.to_string(),
        "fewer than 10 pairs (n = 4): descriptive figures only, no test"
    );
    // The words of a reason are free to change: disclosure never reads them.
    let mut test: Test<f64> = Test::skipped(below());
    test.disclose(&nhs());
    assert!(matches!(
        test.reason(),
        Some(Reason::BelowMinimum { n, .. }) if n.is_suppressed()
    ));
}

/// A paired summary of `n` pairs with round figures, for the rules to work on.
fn paired_summary_for_tests() -> PairedSummary {
    let summary = Summary {
        mean: 40.0,
        sd: Some(8.0),
        median: Some(40.0),
        q1: Some(35.0),
        q3: Some(45.0),
    };
    PairedSummary {
        from: summary,
        to: summary,
        change: summary,
        from_mean: Estimate::with_ci(40.0, 38.0, 42.0),
        to_mean: Estimate::with_ci(41.0, 39.0, 43.0),
        mean_change: None,
        paired_t: Test::skipped(Reason::NoPairs),
        wilcoxon: Test::skipped(Reason::NoPairs),
        d_z: None,
        d_av: None,
        g_av: None,
        better: Share::with_ci(10, 20),
        improved: None,
        unchanged: None,
        deteriorated: None,
        mcid: None,
        reliable_improvement: None,
        reliable_deterioration: None,
        bands: Vec::new(),
        distribution: Vec::new(),
    }
}

fn cohort_row(key: &str, n: u64) -> CohortRow {
    CohortRow {
        key: key.into(),
        label: key.into(),
        n: Count::new(n),
        result: Some(PairedSummary {
            mean_change: Some(Estimate::with_ci(1.0, 0.5, 1.5)),
            ..paired_summary_for_tests()
        }),
        adjusted_change: None,
    }
}

#[test]
fn small_cohorts_of_export_text_are_folded_not_named() {
    let mut c = CohortComparison {
        dimension: "trust".into(),
        dimension_label: "Trust".into(),
        measure: "swemwbs".into(),
        overall: cohort_row("all", 40),
        cohorts: vec![
            cohort_row("Freeman", 2),
            cohort_row("Royal", 15),
            cohort_row("Gateshead", 20),
            cohort_row("Alnwick", 3),
        ],
        tests: vec![],
        ancova: Test::skipped(Reason::NoPairs),
        finding: no_finding(),
        labels_from_export: true,
    };
    let mut evaluator = c.clone();
    evaluator.disclose(&Rules::new(DisclosurePolicy::None));
    assert_eq!(
        evaluator.cohorts.len(),
        4,
        "the evaluator sees every cohort"
    );
    c.disclose(&nhs());
    let rows: Vec<(&str, &str, bool)> = c
        .cohorts
        .iter()
        .map(|r| (r.key.as_str(), r.label.as_str(), r.n.is_suppressed()))
        .collect();
    assert_eq!(
        rows,
        vec![
            ("Royal", "Royal", false),
            ("Gateshead", "Gateshead", false),
            (FOLDED, "Other (2 smaller groups)", true),
        ]
    );
    assert!(c.cohorts[2].result.is_none());

    let point = |mean: f64| TrajectoryPoint {
        timepoint: "baseline".into(),
        mean: Some(Estimate::with_ci(mean, mean - 1.0, mean + 1.0)),
    };
    let cohort = |key: &str, n: u64| CohortTrajectory {
        key: key.into(),
        label: key.into(),
        n: Count::new(n),
        points: vec![point(20.0)],
    };
    let mut t = Trajectory {
        measure: "swemwbs".into(),
        n: Count::new(45),
        points: vec![point(20.0)],
        by_cohort: vec![CohortTrajectories {
            dimension: "trust".into(),
            dimension_label: "Trust".into(),
            cohorts: vec![
                cohort("Freeman", 2),
                cohort("Royal", 20),
                cohort("Gateshead", 23),
            ],
            labels_from_export: true,
        }],
    };
    t.disclose(&nhs());
    let labels: Vec<&str> = t.by_cohort[0]
        .cohorts
        .iter()
        .map(|c| c.label.as_str())
        .collect();
    assert_eq!(
        labels,
        vec!["Royal", "Gateshead", "Other (1 smaller group)"]
    );
    assert!(t.by_cohort[0].cohorts[2].points[0].mean.is_none());

    let mut people = People {
        supported: Count::new(62),
        new: Count::new(20),
        continuing: Count::new(42),
        dimensions: vec![Dimension {
            id: "trust".into(),
            label: "Trust".into(),
            breakdown: Breakdown::from_counts(vec![
                ("Freeman".into(), "Freeman".into(), 2),
                ("Royal".into(), "Royal".into(), 40),
                ("Gateshead".into(), "Gateshead".into(), 20),
            ]),
            labels_from_export: true,
        }],
        reach: vec![],
    };
    let mut vocabulary = people.clone();
    vocabulary.dimensions[0].labels_from_export = false;
    people.disclose(&nhs());
    let labels: Vec<&str> = people.dimensions[0]
        .breakdown
        .parts
        .iter()
        .map(|p| p.label.as_str())
        .collect();
    assert_eq!(
        labels,
        vec!["Royal", "Gateshead", "Other (1 smaller group)"]
    );
    vocabulary.disclose(&nhs());
    assert_eq!(
        vocabulary.dimensions[0].breakdown.parts[0].label, "Freeman",
        "vocabulary labels are starred, not folded"
    );
}

#[test]
fn data_quality_counts_are_hidden_and_rounded_like_any_other() {
    let table = |excluded: u64, used: u64, files: &[u64]| TableQuality {
        table: sprout_tables::TableKind::Referrals,
        files: files
            .iter()
            .map(|n| FileQuality {
                file: "referrals.csv".into(),
                format: sprout_tables::FileFormat::Csv,
                sheet: None,
                rows: Tally::new(*n),
                blank_rows: Tally::new(2),
                encoding_note: None,
                unmapped_columns: 3,
                other_rows: Some(Tally::new(n % 1000)),
            })
            .collect(),
        rows_read: Tally::new(excluded + used),
        rows_excluded: Tally::new(excluded),
        rows_used: Tally::new(used),
        canonical_rows: Tally::new(used),
    };
    let code = |excluded: u64, ignored: u64| CodeCount {
        code: sprout_tables::FindingCode::OutOfRange,
        about: String::new(),
        count: Tally::new(excluded + ignored),
        rows_excluded: Tally::new(excluded),
        values_ignored: Tally::new(ignored),
        examples: vec![],
    };
    let mut q = DataQuality {
        tables: vec![table(3, 998, &[1001]), table(0, 17214, &[3686, 13528])],
        codes: vec![code(1, 0), code(2, 1), code(40, 12)],
        total_findings: Tally::new(56),
        warnings: Vec::new(),
        notes: Vec::new(),
    };
    let before = q.clone();
    q.disclose(&Rules::new(DisclosurePolicy::None));
    assert_eq!(q, before, "the evaluator sees every count");
    q.disclose(&nhs());
    let shown = |c: &Count| c.value;
    let codes: Vec<[Option<u64>; 3]> = q
        .codes
        .iter()
        .map(|c| {
            [
                shown(&c.count),
                shown(&c.rows_excluded),
                shown(&c.values_ignored),
            ]
        })
        .collect();
    for line in &codes {
        for v in line.iter().flatten() {
            assert!(*v == 0 || (*v >= 8 && v % 5 == 0), "{codes:?}");
        }
    }
    assert_eq!(codes[0], [None, None, Some(0)]);
    // The hidden 1 and 2 above cannot be worked out from 40 and 12 to the nearest 5.
    assert_eq!(codes[2], [Some(50), Some(40), Some(10)]);
    let referrals = &q.tables[0];
    assert!(referrals.rows_excluded.is_suppressed());
    // 1,001 read less 998 used, each to the nearest 5, leaves 1 to 4 excluded.
    assert_eq!(referrals.rows_used.value, Some(1000));
    assert_eq!(referrals.canonical_rows.value, Some(1000));
    assert_eq!(referrals.rows_read.value, Some(1000));
    assert!(q.tables[0].files[0].blank_rows.is_suppressed());
    // Rows of other entries in a shared file: hidden when few, else rounded.
    let other = |t: usize, f: usize| q.tables[t].files[f].other_rows.as_ref().map(|c| c.value);
    assert_eq!(other(0, 0), Some(None), "1 row of other entries");
    assert_eq!(other(1, 0), Some(Some(685)));
    assert_eq!(other(1, 1), Some(Some(530)));
    assert_eq!(q.tables[1].rows_used.value, Some(17215));
    assert_eq!(q.tables[1].files[0].rows.value, Some(3685));
}

#[test]
fn none_policy_changes_nothing() {
    let r = Rules::new(DisclosurePolicy::None);
    let mut b = breakdown(&[40, 3, 9, 25]);
    let before = b.clone();
    r.breakdown(&mut b);
    assert_eq!(b, before);
}
