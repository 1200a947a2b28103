//! The registry: every known instrument, looked up by instrument or measure id.

use super::{Instrument, Measure, builtin, key};

/// All instruments the engine knows. Ids are matched loosely: case, spaces, hyphens and
/// underscores are ignored, so `PAM-13`, `pam_13` and `pam13` are the same id.
#[derive(Debug, Clone, PartialEq)]
pub struct Registry {
    instruments: Vec<Instrument>,
}

impl Registry {
    /// The built-in instruments (see `builtin.rs`).
    pub fn builtin() -> Self {
        Registry {
            instruments: builtin::instruments(),
        }
    }

    pub fn instruments(&self) -> &[Instrument] {
        &self.instruments
    }

    /// Every measure of every instrument, in registry order.
    pub fn measures(&self) -> impl Iterator<Item = &Measure> {
        self.instruments.iter().flat_map(|i| i.measures.iter())
    }

    /// An instrument by id or alias.
    pub fn instrument(&self, id: &str) -> Option<&Instrument> {
        let wanted = key(id);
        self.instruments.iter().find(|instrument| {
            key(&instrument.id) == wanted || instrument.aliases.iter().any(|a| key(a) == wanted)
        })
    }

    /// A measure by id.
    pub fn measure(&self, id: &str) -> Option<&Measure> {
        let wanted = key(id);
        self.measures().find(|m| key(&m.id) == wanted)
    }

    /// The instrument a measure belongs to.
    pub fn instrument_of(&self, measure_id: &str) -> Option<&Instrument> {
        let wanted = key(measure_id);
        self.instruments
            .iter()
            .find(|i| i.measures.iter().any(|m| key(&m.id) == wanted))
    }

    /// The known ids closest to `id`, for "did you mean" messages: up to three, by
    /// [`sprout_core::suggest::near`], joined as "`a`, `b`"; `None` when nothing is close.
    pub fn suggest(&self, id: &str) -> Option<String> {
        let mut candidates: Vec<&str> = self
            .instruments
            .iter()
            .flat_map(|instrument| {
                std::iter::once(instrument.id.as_str())
                    .chain(instrument.aliases.iter().map(String::as_str))
                    .chain(instrument.measures.iter().map(|m| m.id.as_str()))
            })
            .collect();
        candidates.sort_unstable();
        let near = sprout_core::suggest::near(id, candidates, 3);
        if near.is_empty() {
            return None;
        }
        let names: Vec<String> = near.iter().map(|c| format!("`{c}`")).collect();
        Some(names.join(", "))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn ids_match_loosely() {
        let registry = Registry::builtin();
        assert_eq!(registry.instrument("PAM-13").unwrap().id, "pam13");
        assert_eq!(registry.instrument("OKS").unwrap().id, "oxford_knee");
        assert_eq!(registry.measure("ONS4 Anxiety").unwrap().id, "ons4_anxiety");
        assert_eq!(registry.instrument_of("bpi_severity").unwrap().id, "bpi");
        assert!(registry.measure("nonsense").is_none());
    }

    #[test]
    fn suggestions_find_near_misses() {
        let registry = Registry::builtin();
        assert_eq!(
            registry
                .suggest("wembws")
                .as_deref()
                .map(|s| s.starts_with("`wemwbs`")),
            Some(true)
        );
        let ucla = registry.suggest("ucla_lonely").expect("near ucla");
        assert!(ucla.contains("`ucla3`"), "{ucla}");
        assert!(
            registry
                .suggest("ons4_anxeity")
                .is_some_and(|s| s.starts_with("`ons4_anxiety`"))
        );
        assert_eq!(registry.suggest("completely different"), None);
    }

    #[test]
    fn measure_ids_are_unique_across_the_registry() {
        let registry = Registry::builtin();
        let mut keys: Vec<String> = registry.measures().map(|m| key(&m.id)).collect();
        let n = keys.len();
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), n);
    }
}
