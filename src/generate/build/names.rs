//! The lookups of names of a large build: each a probe, rather than a search over every
//! model.

use std::hash::BuildHasher;

use foldhash::HashMap;
use hashbrown::hash_table::{Entry, HashTable};

use super::Deployment;

/// Names, each once, copied next to each other and found by hash: a lookup probes once
/// (a binary search over a large set misses the cache at every step) and compares with
/// the copy, which stays in cache, rather than with the name wherever the sources hold it.
pub(super) struct NameSet {
    hasher: foldhash::fast::RandomState,
    text: String,
    /// Where each name ends in `text`; it starts where the one before ends.
    ends: Vec<u32>,
    table: HashTable<u32>,
}

impl NameSet {
    pub(super) fn new<'n>(names: impl ExactSizeIterator<Item = &'n str>) -> NameSet {
        let mut set = NameSet {
            hasher: foldhash::fast::RandomState::default(),
            text: String::new(),
            ends: Vec::with_capacity(names.len()),
            table: HashTable::with_capacity(names.len()),
        };
        for name in names {
            set.insert(name);
        }
        set
    }

    fn name(&self, index: u32) -> &str {
        name_at(&self.text, &self.ends, index)
    }

    fn insert(&mut self, name: &str) {
        let hash = self.hasher.hash_one(name);
        // The table borrows mutably: the names are read through the fields it does not hold.
        let (text, ends, hasher) = (&self.text, &self.ends, &self.hasher);
        if let Entry::Vacant(slot) = self.table.entry(
            hash,
            |&i| name_at(text, ends, i) == name,
            |&i| hasher.hash_one(name_at(text, ends, i)),
        ) {
            slot.insert(self.ends.len() as u32);
            self.text.push_str(name);
            self.ends.push(self.text.len() as u32);
        }
    }

    pub(super) fn contains(&self, name: &str) -> bool {
        let hash = self.hasher.hash_one(name);
        self.table.find(hash, |&i| self.name(i) == name).is_some()
    }
}

/// The name `index` of `text`, whose names end at `ends`.
fn name_at<'t>(text: &'t str, ends: &[u32], index: u32) -> &'t str {
    let index = index as usize;
    let start = index.checked_sub(1).map_or(0, |i| ends[i] as usize);
    &text[start..ends[index] as usize]
}

/// The indices in `list` of the deployments named each of `wanted`, in list order: one
/// pass over the list rather than one per name.
pub(super) fn indices_by_name<'n>(
    list: &[Deployment<'_>],
    wanted: impl Iterator<Item = &'n str>,
) -> HashMap<&'n str, Vec<usize>> {
    let mut by_name: HashMap<&'n str, Vec<usize>> = wanted.map(|n| (n, Vec::new())).collect();
    for (i, d) in list.iter().enumerate() {
        if let Some(indices) = by_name.get_mut(&*d.model_name) {
            indices.push(i);
        }
    }
    by_name
}

#[cfg(test)]
mod tests {
    use super::NameSet;

    #[test]
    fn each_name_is_kept_once_and_found_whole() {
        let set = NameSet::new(["b", "", "a:7b", "b"].into_iter());
        assert!(set.contains("a:7b") && set.contains("b") && set.contains(""));
        assert!(!set.contains("a") && !set.contains("ba:7b") && !set.contains("c"));
        assert_eq!(set.ends.len(), 3);
        assert_eq!(set.text, "ba:7b");
    }
}
