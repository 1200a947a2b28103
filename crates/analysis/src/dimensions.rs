//! The characteristics people are described and compared by: built-in ones derived from
//! referral fields (age band, sex, ethnic group, IMD quintile, referral source, quarter of
//! referral) and the cohort columns a config declares.

use super::data::{Client, ClientIx};
use sprout_config::{CohortSource, Config};
use sprout_core::period::Quarter;
use sprout_core::privacy::KnownLabels;
use sprout_core::vocab::{ETHNIC_GROUPS, Vocabulary, ethnic_group_of};

/// Key and label of the level for people whose value is not recorded.
pub const NOT_RECORDED: (&str, &str) = ("not_recorded", "Not recorded");

/// One way of grouping clients.
#[derive(Debug, Clone)]
pub struct Dim {
    pub id: String,
    pub label: String,
    kind: Kind,
    order: Option<Vec<String>>,
    /// What a cohort column's values may show (the labels the config lists are shown).
    known: KnownLabels,
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
            known: KnownLabels::default(),
        })
    }

    /// The level of one client: (key, label), or `None` when not recorded.
    fn level(&self, c: &Client) -> Option<(String, String)> {
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
                None => c.age_band.as_deref().map(|b| {
                    let shown = sprout_core::privacy::redact(b);
                    (shown.clone(), shown)
                }),
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
            Kind::Column(i) => c.cohorts.get(*i).cloned().flatten().map(|v| {
                let shown = self.known.show(&v);
                (shown.clone(), shown)
            }),
        }
    }

    /// Whether the levels are values of an export column rather than of a vocabulary.
    pub fn labels_from_export(&self) -> bool {
        matches!(self.kind, Kind::Column(_))
    }

    /// Sort rank of a level key: the config's order, the vocabulary's, or none.
    fn rank(&self, key: &str) -> usize {
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
    }

    /// The label of a level named only by its key (a key the config's `order` lists).
    fn label_of_key(&self, key: &str) -> String {
        let vocab = |v: Vocabulary| v.label_of(key).unwrap_or(key).to_owned();
        match &self.kind {
            Kind::Sex => vocab(Vocabulary::Sex),
            Kind::ReferralSource => vocab(Vocabulary::ReferralSource),
            Kind::EthnicGroup => ETHNIC_GROUPS
                .iter()
                .find(|(id, _)| *id == key)
                .map_or(key, |(_, l)| l)
                .to_owned(),
            Kind::ImdQuintile => match key {
                "1" => "1 (most deprived)".to_owned(),
                "5" => "5 (least deprived)".to_owned(),
                _ => key.to_owned(),
            },
            Kind::Column(_) => self.known.show(key),
            Kind::AgeBand | Kind::ReferralQuarter(_) => key.to_owned(),
        }
    }

    /// Every client's level, worked out once. Levels the config's `order` lists are
    /// levels even when no client holds them, so a cohort comparison can show a listed
    /// cohort as empty rather than leave it out.
    pub fn assign(&self, clients: &[Client]) -> Assignment {
        let mut index: sprout_core::fxhash::FxHashMap<String, u32> =
            sprout_core::fxhash::FxHashMap::default();
        let mut found: Vec<(String, String)> = Vec::new();
        let raw: Vec<Option<u32>> = clients
            .iter()
            .map(|c| {
                self.level(c).map(|(key, label)| match index.get(&key) {
                    Some(&i) => i,
                    None => {
                        let i = found.len() as u32;
                        index.insert(key.clone(), i);
                        found.push((key, label));
                        i
                    }
                })
            })
            .collect();
        for key in self.order.iter().flatten() {
            if !index.contains_key(key) {
                index.insert(key.clone(), found.len() as u32);
                found.push((key.clone(), self.label_of_key(key)));
            }
        }
        let listed_keys: Vec<&String> = self.order.iter().flatten().collect();
        // Display order: the config's order, the vocabulary's, then by key.
        let mut order: Vec<usize> = (0..found.len()).collect();
        order.sort_by(|&a, &b| {
            self.rank(&found[a].0)
                .cmp(&self.rank(&found[b].0))
                .then_with(|| found[a].0.cmp(&found[b].0))
        });
        let mut new_index = vec![0u32; found.len()];
        for (pos, &old) in order.iter().enumerate() {
            new_index[old] = pos as u32;
        }
        let mut levels: Vec<(String, String)> = order.iter().map(|&i| found[i].clone()).collect();
        let listed = levels
            .iter()
            .map(|(key, _)| listed_keys.contains(&key))
            .chain([false])
            .collect();
        let not_recorded = levels.len() as u32;
        levels.push((NOT_RECORDED.0.to_owned(), NOT_RECORDED.1.to_owned()));
        let of_client = raw
            .into_iter()
            .map(|r| r.map_or(not_recorded, |i| new_index[i as usize]))
            .collect();
        Assignment {
            levels,
            listed,
            of_client,
        }
    }
}

/// Each client's level of one dimension.
#[derive(Debug, Clone)]
pub struct Assignment {
    /// (key, label) in display order; "Not recorded" last.
    pub levels: Vec<(String, String)>,
    /// By level: whether the config's `order` lists it.
    listed: Vec<bool>,
    /// Level index of each client.
    pub of_client: Vec<u32>,
}

impl Assignment {
    pub fn level_of(&self, client: ClientIx) -> usize {
        self.of_client
            .get(client.index())
            .map_or(self.levels.len() - 1, |l| *l as usize)
    }

    /// The levels held by at least one of `clients`, in display order.
    pub fn present(&self, clients: impl Iterator<Item = ClientIx>) -> Vec<usize> {
        let mut seen = vec![false; self.levels.len()];
        for c in clients {
            seen[self.level_of(c)] = true;
        }
        (0..self.levels.len()).filter(|&l| seen[l]).collect()
    }

    /// The levels held by at least one of `clients`, and those the config's `order`
    /// lists whoever holds them, in display order.
    pub fn present_or_listed(&self, clients: impl Iterator<Item = ClientIx>) -> Vec<usize> {
        let present = self.present(clients);
        (0..self.levels.len())
            .filter(|l| self.listed[*l] || present.contains(l))
            .collect()
    }
}

/// The dimensions people are described by: the built-in ones, then configured cohorts.
pub fn describing(config: &Config) -> Vec<Dim> {
    let fy = config.programme.financial_year_start_month;
    let mut out: Vec<Dim> = sprout_tables::BUILT_IN_DIMENSIONS
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
                        known: KnownLabels::new(
                            c.order
                                .iter()
                                .flatten()
                                .chain(c.labels.iter().flat_map(|m| m.values()))
                                .map(String::as_str),
                            c.show_unlisted_labels,
                        ),
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

#[cfg(test)]
mod tests {
    use super::*;
    use sprout_core::privacy::WITHHELD;

    fn clients(values: &[&str]) -> Vec<Client> {
        values
            .iter()
            .map(|v| Client {
                cohorts: vec![Some((*v).to_owned())],
                ..Client::default()
            })
            .collect()
    }

    fn column(order: Option<Vec<String>>, show_names: bool) -> Dim {
        let known = order.iter().flatten().map(String::as_str);
        Dim {
            id: "trust".into(),
            label: "Trust".into(),
            kind: Kind::Column(0),
            known: KnownLabels::new(known, show_names),
            order,
        }
    }

    fn labels(dim: &Dim, values: &[&str]) -> Vec<String> {
        dim.assign(&clients(values))
            .levels
            .into_iter()
            .map(|(_, l)| l)
            .collect()
    }

    #[test]
    fn levels_the_order_lists_are_kept_even_when_nobody_holds_them() {
        let order = vec!["Freeman".to_owned(), "Queen Elizabeth".to_owned()];
        let dim = column(Some(order), false);
        let a = dim.assign(&clients(&["Freeman", "Freeman", "Gateshead"]));
        assert_eq!(
            a.levels.iter().map(|l| l.1.as_str()).collect::<Vec<_>>(),
            vec!["Freeman", "Queen Elizabeth", "Gateshead", "Not recorded"]
        );
        assert_eq!(a.present((0..3).map(ClientIx::from)), vec![0, 2]);
        assert_eq!(
            a.present_or_listed((0..3).map(ClientIx::from)),
            vec![0, 1, 2]
        );
        assert_eq!(a.present_or_listed((0..1).map(ClientIx::from)), vec![0, 1]);
    }

    #[test]
    fn cohort_values_that_look_personal_are_withheld_unless_the_config_lists_them() {
        let values = [
            "Freeman Tyneside",
            "Sarah Jones",
            "NE1 4LP flat 2",
            "Gateshead Health",
        ];
        let dim = column(None, false);
        assert_eq!(
            labels(&dim, &values),
            vec!["Gateshead Health", WITHHELD, "Not recorded"],
            "unlisted names and postcodes are one withheld level"
        );
        let dim = column(Some(vec!["Freeman Tyneside".into()]), false);
        assert_eq!(
            labels(&dim, &values),
            vec![
                "Freeman Tyneside",
                "Gateshead Health",
                WITHHELD,
                "Not recorded"
            ]
        );
        // Opting in shows name-like labels, never identifiers.
        let dim = column(None, true);
        assert_eq!(
            labels(&dim, &values),
            vec![
                "Freeman Tyneside",
                "Gateshead Health",
                "Sarah Jones",
                WITHHELD,
                "Not recorded"
            ]
        );
    }
}
