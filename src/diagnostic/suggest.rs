//! Did-you-mean: the closest valid name to a typo, offered only when clearly close.
//!
//! Symbol tables can hold thousands of names and be asked about thousands of typos, so the
//! names are indexed once ([`Candidates`]): by length (a name whose length differs by more
//! than the cutoff cannot be within it), by lower-case spelling (a case variant is found by
//! hashing), and by their five-character fragments (a typo that is a fragment of a longer
//! name is found without a scan). Each remaining name is measured with an edit distance that
//! gives up as soon as it exceeds the cutoff; strsim's Jaro-Winkler only ranks the few that
//! survive. Answers are remembered per typo, and the work an index may spend measuring is
//! capped ([`WORK_BUDGET`]): past it, only case variants are suggested, so that no input,
//! however built, makes did-you-mean slower than linear.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;

use foldhash::{HashMap, HashMapExt};

use strsim::jaro_winkler;

/// The most edit-distance cells one [`Candidates`] index computes over its lifetime (about a
/// tenth of a second). Real config sets stay far below it.
pub const WORK_BUDGET: u64 = 50_000_000;

/// Typos longer than this (in characters) get no suggestion: no name is that long.
pub const MAX_TYPO_CHARS: usize = 128;

/// The length of the fragments indexed for "a fragment of a longer name".
const GRAM: usize = 5;

/// The best candidate for `typo`, or `None` when nothing is clearly close: an edit distance
/// (with transpositions) scaled to the typo's length, a slightly larger one when Jaro-Winkler
/// similarity is high, or a fragment of a longer name (`round_robin` for
/// `weighted_round_robin`). Deterministic: ties go to the candidate that sorts first.
/// For many typos against one set of names, build [`Candidates`] once.
pub fn suggest<'a, I>(typo: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    Candidates::new(candidates).suggest(typo)
}

/// Names indexed for repeated did-you-mean queries; see the module documentation.
pub struct Candidates<'a> {
    /// Sorted and without duplicates, each with its lower-case characters.
    names: Vec<(&'a str, Vec<char>)>,
    /// Lower-case length in characters → indices into `names`, ascending.
    by_length: BTreeMap<usize, Vec<u32>>,
    /// Lower-case spelling → the first name (in order) spelled so.
    by_lower: HashMap<String, u32>,
    /// Every five-character lower-case fragment → the names holding it, ascending, once each.
    by_fragment: HashMap<[char; GRAM], Vec<u32>>,
    answers: RefCell<HashMap<String, Option<u32>>>,
    work: Cell<u64>,
    rows: RefCell<Rows>,
}

impl<'a> Candidates<'a> {
    pub fn new<I>(candidates: I) -> Self
    where
        I: IntoIterator<Item = &'a str>,
    {
        let mut sorted: Vec<&'a str> = candidates.into_iter().collect();
        sorted.sort_unstable();
        sorted.dedup();
        let names: Vec<(&'a str, Vec<char>)> = sorted.into_iter().map(|n| (n, lower(n))).collect();
        let mut by_length: BTreeMap<usize, Vec<u32>> = BTreeMap::new();
        let mut by_lower: HashMap<String, u32> = HashMap::new();
        let mut by_fragment: HashMap<[char; GRAM], Vec<u32>> = HashMap::new();
        for (i, (_, chars)) in names.iter().enumerate() {
            let i = i as u32;
            by_length.entry(chars.len()).or_default().push(i);
            by_lower.entry(chars.iter().collect()).or_insert(i);
            for window in chars.windows(GRAM) {
                let mut gram = [' '; GRAM];
                gram.copy_from_slice(window);
                let list = by_fragment.entry(gram).or_default();
                if list.last() != Some(&i) {
                    list.push(i);
                }
            }
        }
        Candidates {
            names,
            by_length,
            by_lower,
            by_fragment,
            answers: RefCell::new(HashMap::new()),
            work: Cell::new(0),
            rows: RefCell::new(Rows::default()),
        }
    }

    /// The best name for `typo`; see [`suggest`].
    pub fn suggest(&self, typo: &str) -> Option<&'a str> {
        if let Some(known) = self.answers.borrow().get(typo) {
            return known.map(|i| self.names[i as usize].0);
        }
        let found = self.search(typo);
        self.answers.borrow_mut().insert(typo.to_string(), found);
        found.map(|i| self.names[i as usize].0)
    }

    fn search(&self, typo: &str) -> Option<u32> {
        let typo_chars = lower(typo);
        if typo_chars.len() > MAX_TYPO_CHARS {
            return None;
        }
        let typo_lower: String = typo_chars.iter().collect();
        let max_distance = match typo_chars.len() {
            0..=3 => 1,
            4..=8 => 2,
            _ => 3,
        };
        let cutoff = max_distance + 2;
        let mut search = Search {
            index: self,
            typo,
            typo_chars: &typo_chars,
            typo_lower: &typo_lower,
            max_distance,
            best: None,
            rows: &mut self.rows.borrow_mut(),
        };
        // A case variant (distance 0) costs a hash lookup, and no budget.
        if let Some(&i) = self.by_lower.get(&typo_lower) {
            search.consider(i, false, cutoff);
        }
        if self.work.get() >= WORK_BUDGET {
            return search.best.map(|b| b.2);
        }
        let fragments = self.fragments(&typo_chars);
        for &i in &fragments {
            search.consider(i, true, usize::MAX);
        }
        // Names of the typo's length first, then one longer or shorter, and so on: a name
        // whose length differs by more than the best distance so far cannot win.
        let len = typo_chars.len();
        for delta in 0..=cutoff {
            if search.best.is_some_and(|b| b.0 < delta) || self.work.get() >= WORK_BUDGET {
                break;
            }
            let lengths = [len.checked_sub(delta), (delta > 0).then_some(len + delta)];
            for length in lengths.into_iter().flatten() {
                for &i in self.by_length.get(&length).map_or(&[][..], Vec::as_slice) {
                    if self.work.get() >= WORK_BUDGET {
                        break;
                    }
                    if fragments.binary_search(&i).is_err() {
                        search.consider(i, false, cutoff);
                    }
                }
            }
        }
        search.best.map(|b| b.2)
    }

    /// The names that hold the typo, and the names (of five characters or more) that the
    /// typo holds: the fragment matches, ascending.
    fn fragments(&self, typo: &[char]) -> Vec<u32> {
        let mut found = Vec::new();
        if typo.len() < GRAM {
            return found;
        }
        // Names holding the typo hold each of its fragments: check the rarest one's names.
        let rarest = typo
            .windows(GRAM)
            .map(|w| {
                let mut gram = [' '; GRAM];
                gram.copy_from_slice(w);
                self.by_fragment.get(&gram).map_or(&[][..], Vec::as_slice)
            })
            .min_by_key(|list| list.len())
            .unwrap_or(&[]);
        self.charge(rarest.len() as u64);
        found.extend(
            rarest
                .iter()
                .filter(|&&i| contains(&self.names[i as usize].1, typo)),
        );
        // Names the typo holds are among its substrings of five characters or more.
        for start in 0..=typo.len() - GRAM {
            for &length in self
                .by_length
                .range(GRAM..=typo.len() - start)
                .map(|(l, _)| l)
            {
                let piece: String = typo[start..start + length].iter().collect();
                if let Some(&i) = self.by_lower.get(&piece) {
                    found.push(i);
                }
                self.charge(length as u64);
            }
        }
        found.sort_unstable();
        found.dedup();
        found
    }

    fn charge(&self, cells: u64) {
        self.work.set(self.work.get().saturating_add(cells));
    }
}

/// One query's state: the best (distance, dissimilarity, name index) so far.
struct Search<'s, 'a> {
    index: &'s Candidates<'a>,
    typo: &'s str,
    typo_chars: &'s [char],
    typo_lower: &'s str,
    max_distance: usize,
    best: Option<(usize, std::cmp::Reverse<u64>, u32)>,
    rows: &'s mut Rows,
}

impl Search<'_, '_> {
    /// Measures name `i`; `fragment` when it holds the typo or the typo holds it.
    fn consider(&mut self, i: u32, fragment: bool, cutoff: usize) {
        let (name, chars) = &self.index.names[i as usize];
        if *name == self.typo {
            return;
        }
        // Only names at least as close as the best so far can win.
        let best_distance = self.best.map_or(usize::MAX, |b| b.0);
        let bound = if fragment {
            best_distance
        } else {
            cutoff.min(best_distance)
        };
        let distance = self.rows.distance(self.typo_chars, chars, bound);
        self.index.charge(std::mem::take(&mut self.rows.cells));
        let Some(distance) = distance else {
            return;
        };
        let name_lower: String = chars.iter().collect();
        let similarity = jaro_winkler(self.typo_lower, &name_lower);
        let close = distance <= self.max_distance || similarity >= 0.92 || fragment;
        if !close {
            return;
        }
        let score = (distance, std::cmp::Reverse((similarity * 1e9) as u64), i);
        // Names are sorted, so the lower index is the name that sorts first.
        if self.best.is_none_or(|b| score < b) {
            self.best = Some(score);
        }
    }
}

fn lower(name: &str) -> Vec<char> {
    if name.is_ascii() {
        name.bytes()
            .map(|b| char::from(b.to_ascii_lowercase()))
            .collect()
    } else {
        name.chars().flat_map(char::to_lowercase).collect()
    }
}

fn contains(haystack: &[char], needle: &[char]) -> bool {
    needle.len() <= haystack.len() && haystack.windows(needle.len()).any(|w| w == needle)
}

/// Reusable rows for the optimal-string-alignment distance (Levenshtein plus adjacent
/// transpositions), computed row by row and abandoned once every cell exceeds the bound.
#[derive(Default)]
struct Rows {
    before: Vec<usize>,
    previous: Vec<usize>,
    current: Vec<usize>,
    /// Cells computed since last taken, for the work budget.
    cells: u64,
}

impl Rows {
    fn distance(&mut self, a: &[char], b: &[char], bound: usize) -> Option<usize> {
        if a.len().abs_diff(b.len()) > bound {
            return None;
        }
        // A shared prefix and suffix cost nothing: names in one table often share both.
        let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
        let (a, b) = (&a[prefix..], &b[prefix..]);
        let suffix = a
            .iter()
            .rev()
            .zip(b.iter().rev())
            .take_while(|(x, y)| x == y)
            .count();
        let (a, b) = (&a[..a.len() - suffix], &b[..b.len() - suffix]);
        let width = b.len() + 1;
        self.before.clear();
        self.before.resize(width, 0);
        self.previous.clear();
        self.previous.extend(0..width);
        self.current.clear();
        self.current.resize(width, 0);
        for i in 1..=a.len() {
            self.cells += width as u64;
            self.current[0] = i;
            let mut row_min = i;
            for j in 1..width {
                let cost = usize::from(a[i - 1] != b[j - 1]);
                let mut cell = (self.previous[j] + 1)
                    .min(self.current[j - 1] + 1)
                    .min(self.previous[j - 1] + cost);
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    cell = cell.min(self.before[j - 2] + 1);
                }
                self.current[j] = cell;
                row_min = row_min.min(cell);
            }
            if row_min > bound {
                return None;
            }
            std::mem::swap(&mut self.before, &mut self.previous);
            std::mem::swap(&mut self.previous, &mut self.current);
        }
        let distance = self.previous[width - 1];
        (distance <= bound).then_some(distance)
    }
}

/// The edit distance between `a` and `b` (Levenshtein plus swaps of neighbours, over
/// characters), when it is at most `bound`.
pub fn edit_distance(a: &str, b: &str, bound: usize) -> Option<usize> {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    Rows::default().distance(&a, &b, bound)
}

/// "Did you mean `x`?" for the best candidate, if any.
pub fn did_you_mean<'a, I>(typo: &str, candidates: I) -> Option<String>
where
    I: IntoIterator<Item = &'a str>,
{
    suggest(typo, candidates).map(|c| format!("did you mean `{c}`?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn close_typos() {
        let keys = ["base_url", "type", "status", "description", "models"];
        assert_eq!(suggest("base_ur", keys), Some("base_url"));
        assert_eq!(suggest("stauts", keys), Some("status"));
        assert_eq!(suggest("modles", keys), Some("models"));
        assert_eq!(suggest("Type", keys), Some("type"));
    }

    #[test]
    fn enum_values() {
        let statuses = ["active", "disabled", "pending_integration", "template"];
        assert_eq!(suggest("actve", statuses), Some("active"));
        let prio = ["primary", "secondary", "tertiary"];
        assert_eq!(suggest("primry", prio), Some("primary"));
    }

    #[test]
    fn fragments_of_longer_names() {
        let strategies = ["weighted_round_robin", "least_loaded", "simple_shuffle"];
        assert_eq!(
            suggest("round_robin", strategies),
            Some("weighted_round_robin")
        );
        assert_eq!(suggest("shuffle", strategies), Some("simple_shuffle"));
    }

    #[test]
    fn nothing_when_far() {
        let keys = ["base_url", "type", "status"];
        assert_eq!(suggest("hostname", keys), None);
        assert_eq!(suggest("x", keys), None);
        assert_eq!(suggest("zzzzzzzz", keys), None);
    }

    #[test]
    fn edit_distance_with_transpositions() {
        let mut rows = Rows::default();
        let d = |rows: &mut Rows, a: &str, b: &str| {
            let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
            rows.distance(&a, &b, usize::MAX)
        };
        assert_eq!(d(&mut rows, "stauts", "status"), Some(1));
        assert_eq!(d(&mut rows, "kitten", "sitting"), Some(3));
        assert_eq!(d(&mut rows, "", "abc"), Some(3));
        assert_eq!(d(&mut rows, "café", "cafe"), Some(1));
        let (a, b): (Vec<char>, Vec<char>) =
            ("kitten".chars().collect(), "sitting".chars().collect());
        assert_eq!(rows.distance(&a, &b, 2), None);
    }

    /// The scan the index replaces: every candidate measured, the same scoring.
    fn scan<'a>(typo: &str, candidates: &[&'a str]) -> Option<&'a str> {
        let typo_chars = lower(typo);
        let typo_lower: String = typo_chars.iter().collect();
        let max_distance = match typo_chars.len() {
            0..=3 => 1,
            4..=8 => 2,
            _ => 3,
        };
        let mut rows = Rows::default();
        let mut best: Option<(usize, std::cmp::Reverse<u64>, &str)> = None;
        for &candidate in candidates {
            if candidate == typo {
                continue;
            }
            let chars = lower(candidate);
            let fragment = typo_chars.len() >= 5
                && (contains(&chars, &typo_chars)
                    || chars.len() >= 5 && contains(&typo_chars, &chars));
            let Some(distance) = rows.distance(&typo_chars, &chars, usize::MAX) else {
                continue;
            };
            let similarity = jaro_winkler(&typo_lower, &chars.iter().collect::<String>());
            let close = (distance <= max_distance)
                || (similarity >= 0.92 && distance <= max_distance + 2)
                || fragment;
            let score = (
                distance,
                std::cmp::Reverse((similarity * 1e9) as u64),
                candidate,
            );
            if close && best.is_none_or(|b| score < b) {
                best = Some(score);
            }
        }
        best.map(|(_, _, c)| c)
    }

    proptest::proptest! {
        /// The index finds exactly what measuring every candidate finds.
        #[test]
        fn the_index_agrees_with_a_full_scan(
            names in proptest::collection::vec("[a-cA-C_-]{0,9}", 0..40),
            typos in proptest::collection::vec("[a-cA-C_-]{0,11}", 1..10),
        ) {
            let candidates: Vec<&str> = names.iter().map(String::as_str).collect();
            let index = Candidates::new(candidates.iter().copied());
            for typo in &typos {
                proptest::prop_assert_eq!(index.suggest(typo), scan(typo, &candidates), "{}", typo);
            }
        }
    }

    #[test]
    fn past_the_budget_only_case_variants_are_suggested() {
        let names: Vec<String> = (0..2000).map(|i| format!("provider-{i:05}")).collect();
        let index = Candidates::new(names.iter().map(String::as_str));
        assert_eq!(index.suggest("provider-0001x"), Some("provider-00010"));
        index.work.set(WORK_BUDGET);
        assert_eq!(index.suggest("provider-0002x"), None);
        assert_eq!(index.suggest("PROVIDER-00020"), Some("provider-00020"));
        // Answers already given stay.
        assert_eq!(index.suggest("provider-0001x"), Some("provider-00010"));
    }

    #[test]
    fn a_very_long_typo_gets_nothing() {
        let long = "a".repeat(MAX_TYPO_CHARS + 1);
        assert_eq!(suggest(&long, [&long[1..]]), None);
    }

    #[test]
    fn deterministic_ties() {
        assert_eq!(suggest("ab", ["ac", "aa"]), Some("aa"));
        assert_eq!(suggest("ab", ["aa", "ac"]), Some("aa"));
    }
}
