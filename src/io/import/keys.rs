//! The facts of a file by their key, for presets that sum rows sharing one: a key's hash points
//! at its fact, whose own key settles it, so no key is stored twice (an ad report's five facts a
//! row would otherwise copy five keys into the map).

use std::hash::BuildHasher;

use super::Fact;

/// Where a key's fact is: its index in the file's facts, the line of its first row, and that
/// row's label (an index into the sink's labels).
#[derive(Debug, Clone, Copy)]
pub(super) struct Entry {
    pub fact: usize,
    pub line: usize,
    pub label: u32,
}

#[derive(Default)]
pub(super) struct KeyIndex {
    /// foldhash with a fixed seed: the keys are the file's own, the map is the parse's hot path.
    hasher: foldhash::fast::FixedState,
    /// hash => the first fact with that hash.
    first: foldhash::HashMap<u64, Entry>,
    /// Facts whose hash another key already took: with 64-bit hashes, all but never used.
    collided: Vec<(u64, Entry)>,
}

impl KeyIndex {
    /// `key`'s hash, taken once per fact and given to `get` and then `insert` (an ad report's
    /// keys are long enough that hashing them showed in its profile).
    pub fn hash(&self, key: &str) -> u64 {
        self.hasher.hash_one(key)
    }

    /// The entry of `key`, whose hash is `h`.
    pub fn get(&self, facts: &[Fact], key: &str, h: u64) -> Option<Entry> {
        let is = |e: &Entry| facts.get(e.fact).is_some_and(|f| f.key() == key);
        match self.first.get(&h) {
            Some(e) if is(e) => Some(*e),
            Some(_) => self.collided.iter().find(|(c, e)| *c == h && is(e)).map(|(_, e)| *e),
            None => None,
        }
    }

    pub fn reserve(&mut self, keys: usize) {
        self.first.reserve(keys);
    }

    /// A key of hash `h` is new (`get` said so): its fact is `entry.fact`.
    pub fn insert(&mut self, h: u64, entry: Entry) {
        if let std::collections::hash_map::Entry::Vacant(v) = self.first.entry(h) {
            v.insert(entry);
        } else {
            self.collided.push((h, entry));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kpi(key: &str) -> Fact {
        Fact::Kpi {
            line: 2,
            key: key.to_string(),
            metric: "leads".into(),
            day: chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap_or_default(),
            channel: String::new(),
            campaign: None,
            value: 1.0,
        }
    }

    #[test]
    fn a_key_finds_its_own_fact_even_when_hashes_collide() {
        let facts = vec![kpi("a"), kpi("b")];
        let mut index = KeyIndex::default();
        index.insert(index.hash("a"), Entry { fact: 0, line: 2, label: 0 });
        // Force a collision: "b" filed under "a"'s hash must still be told apart by its key.
        let h = index.hasher.hash_one("a");
        index.collided.push((h, Entry { fact: 1, line: 3, label: 0 }));
        let get = |index: &KeyIndex, key: &str| index.get(&facts, key, index.hash(key));
        assert_eq!(get(&index, "a").map(|e| e.fact), Some(0));
        assert!(get(&index, "b").is_none(), "'b' hashes elsewhere");
        index.insert(index.hash("b"), Entry { fact: 1, line: 3, label: 1 });
        assert_eq!(get(&index, "b").map(|e| e.line), Some(3));
        assert!(get(&index, "c").is_none());
    }
}
