//! What the referral register holds for a client reference, and the last look-up a
//! table's reading made (both used by the cell checks and by the register).

use chrono::NaiveDate;

/// The last client reference a table's reading looked up, and what it found.
#[derive(Default)]
pub struct LastLookup {
    raw: String,
    found: Option<Option<(ClientEntry, bool)>>,
}

impl LastLookup {
    /// What `raw` found: remembered if it was the last reference looked up, otherwise
    /// looked up with `look` and remembered.
    pub fn get_or(
        &mut self,
        raw: &str,
        look: impl FnOnce(&str) -> Option<(ClientEntry, bool)>,
    ) -> Option<(ClientEntry, bool)> {
        if let Some(found) = self.found
            && self.raw == raw
        {
            return found;
        }
        let found = look(raw);
        self.raw.clear();
        self.raw.push_str(raw);
        self.found = Some(found);
        found
    }
}

impl std::fmt::Debug for LastLookup {
    // A client reference is never written out, not even in a debug print.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LastLookup").finish_non_exhaustive()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientEntry {
    Kept {
        index: u32,
        referral: NaiveDate,
    },
    /// Every referral row of this client was excluded.
    Excluded,
    /// A patient of referrals built from events: which episode a row belongs to depends
    /// on its date (`ClientRegister::episode_on`).
    Patient,
}
