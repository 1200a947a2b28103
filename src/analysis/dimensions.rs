//! The characteristics people are described and compared by: built-in ones derived from
//! referral fields (age band, sex, ethnic group, IMD quintile, referral source, quarter of
//! referral) and the cohort columns a config declares.

use std::collections::BTreeSet;

use super::data::Client;
use super::period::Quarter;
use crate::config::{CohortSource, Config};
use crate::vocab::{ETHNIC_GROUPS, Vocabulary, ethnic_group_of};

/// Key and label of the level for people whose value is not recorded.
pub const NOT_RECORDED: (&str, &str) = ("not_recorded", "Not recorded");

/// One way of grouping clients.
#[derive(Debug, Clone)]
pub struct Dim {
    pub id: String,
    pub label: String,
    kind: Kind,
    order: Option<Vec<String>>,
}

#[derive(Debug, Clone)]
enum Kind {
    AgeBand,
    Sex,
    EthnicGroup,
    ImdQuintile,
    ReferralSource,
    ReferralQuarter(u32),
    /// Index among the config's cohort columns.
    Column(usize),
}

const AGE_BANDS: [(i32, &str); 9] = [
    (0, "Under 18"),
    (18, "18-24"),
    (25, "25-34"),
    (35, "35-44"),
    (45, "45-54"),
    (55, "55-64"),
    (65, "65-74"),
    (75, "75-84"),
    (85, "85+"),
];

impl Dim {
    fn built_in(id: &str, label: &str, fy: u32) -> Option<Self> {
        let kind = match id {
            "age_band" => Kind::AgeBand,
            "sex" => Kind::Sex,
            "ethnic_group" => Kind::EthnicGroup,
            "imd_quintile" => Kind::ImdQuintile,
            "referral_source" => Kind::ReferralSource,
            "referral_quarter" => Kind::ReferralQuarter(fy),
            _ => return None,
        };
        Some(Dim {
            id: id.to_owned(),
            label: label.to_owned(),
            kind,
            order: None,
        })
    }

    /// The level of one client: (key, label), or `None` when not recorded.
    pub fn level(&self, c: &Client) -> Option<(String, String)> {
        let vocab = |v: Vocabulary, id: &Option<String>| {
            id.as_ref()
                .map(|id| (id.clone(), v.label_of(id).unwrap_or(id).to_owned()))
        };
        match &self.kind {
            Kind::AgeBand => match c.age {
                Some(age) => AGE_BANDS
                    .iter()
                    .rev()
                    .find(|(lo, _)| age >= *lo)
                    .map(|(_, l)| ((*l).to_owned(), (*l).to_owned())),
                None => c.age_band.clone().map(|b| (b.clone(), b)),
            },
            Kind::Sex => vocab(Vocabulary::Sex, &c.sex),
            Kind::EthnicGroup => c.ethnicity.as_deref().map(|e| {
                let g = ethnic_group_of(e);
                let label = ETHNIC_GROUPS
                    .iter()
                    .find(|(id, _)| *id == g)
                    .map_or(g, |(_, l)| l);
                (g.to_owned(), label.to_owned())
            }),
            Kind::ImdQuintile => c.imd_decile.map(|d| {
                let q = (d + 1) / 2;
                let label = match q {
                    1 => "1 (most deprived)".to_owned(),
                    5 => "5 (least deprived)".to_owned(),
                    q => q.to_string(),
                };
                (q.to_string(), label)
            }),
            Kind::ReferralSource => vocab(Vocabulary::ReferralSource, &c.referral_source),
            Kind::ReferralQuarter(fy) => c.referral.map(|d| {
                let q = Quarter::containing(d, *fy);
                (q.label(), q.label())
            }),
            Kind::Column(i) => c.cohorts.get(*i).cloned().flatten().map(|v| (v.clone(), v)),
        }
    }

    /// Levels in display order: the config's order, the vocabulary's, numeric, or
    /// alphabetical; "Not recorded" last when present.
    pub fn levels<'a>(&self, clients: impl Iterator<Item = &'a Client>) -> Vec<(String, String)> {
        let mut seen: BTreeSet<(String, String)> = BTreeSet::new();
        let mut missing = false;
        for c in clients {
            match self.level(c) {
                Some(l) => {
                    seen.insert(l);
                }
                None => missing = true,
            }
        }
        let mut levels: Vec<(String, String)> = seen.into_iter().collect();
        let rank = |key: &str| -> usize {
            if let Some(order) = &self.order {
                return order.iter().position(|o| o == key).unwrap_or(usize::MAX);
            }
            match &self.kind {
                Kind::AgeBand => AGE_BANDS
                    .iter()
                    .position(|(_, l)| *l == key)
                    .unwrap_or(usize::MAX),
                Kind::Sex => Vocabulary::Sex
                    .terms()
                    .iter()
                    .position(|t| t.id == key)
                    .unwrap_or(usize::MAX),
                Kind::ReferralSource => Vocabulary::ReferralSource
                    .terms()
                    .iter()
                    .position(|t| t.id == key)
                    .unwrap_or(usize::MAX),
                Kind::EthnicGroup => ETHNIC_GROUPS
                    .iter()
                    .position(|(id, _)| *id == key)
                    .unwrap_or(usize::MAX),
                _ => usize::MAX,
            }
        };
        levels.sort_by(|a, b| rank(&a.0).cmp(&rank(&b.0)).then_with(|| a.0.cmp(&b.0)));
        if missing {
            levels.push((NOT_RECORDED.0.to_owned(), NOT_RECORDED.1.to_owned()));
        }
        levels
    }

    /// The key of a client's level, `not_recorded` when missing.
    pub fn key(&self, c: &Client) -> String {
        self.level(c)
            .map_or_else(|| NOT_RECORDED.0.to_owned(), |(k, _)| k)
    }
}

/// The dimensions people are described by: the built-in ones, then configured cohorts.
pub fn describing(config: &Config) -> Vec<Dim> {
    let fy = config.programme.financial_year_start_month;
    let mut out: Vec<Dim> = crate::tables::BUILT_IN_DIMENSIONS
        .iter()
        .filter(|(id, _)| *id != "referral_quarter")
        .filter_map(|(id, label)| Dim::built_in(id, label, fy))
        .collect();
    for d in cohort_dims(config) {
        if !out.iter().any(|o| o.id == d.id) {
            out.push(d);
        }
    }
    out
}

/// The configured cohort dimensions, in config order.
pub fn cohort_dims(config: &Config) -> Vec<Dim> {
    let fy = config.programme.financial_year_start_month;
    let mut column = 0;
    config
        .cohorts
        .iter()
        .filter_map(|c| {
            let mut dim = match &c.source {
                CohortSource::BuiltIn(id) => Dim::built_in(id, &c.label, fy)?,
                CohortSource::Column(_) => {
                    let d = Dim {
                        id: c.id.clone(),
                        label: c.label.clone(),
                        kind: Kind::Column(column),
                        order: None,
                    };
                    column += 1;
                    d
                }
            };
            dim.order = c.order.clone();
            Some(dim)
        })
        .collect()
}
