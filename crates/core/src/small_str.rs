//! A string key held inline when it is short, so that looking it up in a table of a
//! million (client references) compares bytes already in cache instead of following a
//! pointer to each.

use std::borrow::Borrow;
use std::hash::{Hash, Hasher};

/// The longest string held inline.
const INLINE: usize = 22;

/// An immutable string, inline up to 22 bytes. Hashes, compares and borrows as the `str`
/// it holds, so a map keyed by it is searched with a `&str`.
#[derive(Clone)]
pub enum SmallStr {
    Inline { len: u8, bytes: [u8; INLINE] },
    Heap(Box<str>),
}

impl SmallStr {
    pub fn as_str(&self) -> &str {
        match self {
            // Only ever filled from a whole `str`, so always UTF-8.
            SmallStr::Inline { len, bytes } => {
                std::str::from_utf8(&bytes[..usize::from(*len)]).unwrap_or_default()
            }
            SmallStr::Heap(s) => s,
        }
    }
}

impl From<&str> for SmallStr {
    fn from(s: &str) -> Self {
        if s.len() <= INLINE {
            let mut bytes = [0u8; INLINE];
            bytes[..s.len()].copy_from_slice(s.as_bytes());
            SmallStr::Inline {
                len: s.len() as u8,
                bytes,
            }
        } else {
            SmallStr::Heap(s.into())
        }
    }
}

impl std::ops::Deref for SmallStr {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl Borrow<str> for SmallStr {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq for SmallStr {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for SmallStr {}

impl Hash for SmallStr {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl std::fmt::Debug for SmallStr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.as_str().fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_and_long_strings_read_back_and_are_found_by_str() {
        let mut m: crate::fxhash::FxHashMap<SmallStr, u32> = Default::default();
        let long = "a reference longer than twenty-two bytes";
        for (i, s) in ["", "ww0000001", "é€", "exactly-22-bytes-long!", long]
            .iter()
            .enumerate()
        {
            let k = SmallStr::from(*s);
            assert_eq!(k.as_str(), *s);
            m.insert(k, i as u32);
        }
        assert!(matches!(SmallStr::from(long), SmallStr::Heap(_)));
        assert!(matches!(
            SmallStr::from("exactly-22-bytes-long!"),
            SmallStr::Inline { .. }
        ));
        assert_eq!(m.get("ww0000001"), Some(&1));
        assert_eq!(m.get(long), Some(&4));
        assert_eq!(m.get("ww0000002"), None);
    }
}
