//! Did-you-mean: the closest valid name to a typo, offered only when clearly close.
//!
//! Symbol tables can hold thousands of names, so each candidate is first measured with an
//! edit distance that gives up as soon as it exceeds the cutoff; strsim's Jaro-Winkler only
//! ranks the few that survive.

use strsim::jaro_winkler;

/// The best candidate for `typo`, or `None` when nothing is clearly close: an edit distance
/// (with transpositions) scaled to the typo's length, a slightly larger one when Jaro-Winkler
/// similarity is high, or a fragment of a longer name (`round_robin` for
/// `weighted_round_robin`). Deterministic: ties go to the candidate that sorts first.
pub fn suggest<'a, I>(typo: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let typo_chars: Vec<char> = typo.chars().flat_map(char::to_lowercase).collect();
    let typo_lower: String = typo_chars.iter().collect();
    let max_distance = match typo_chars.len() {
        0..=3 => 1,
        4..=8 => 2,
        _ => 3,
    };
    let cutoff = max_distance + 2;
    let mut chars: Vec<char> = Vec::new();
    let mut rows = Rows::default();
    let mut best: Option<(usize, std::cmp::Reverse<u64>, &str)> = None;
    for candidate in candidates {
        if candidate == typo {
            continue;
        }
        chars.clear();
        if candidate.is_ascii() {
            chars.extend(
                candidate
                    .bytes()
                    .map(|b| char::from(b.to_ascii_lowercase())),
            );
        } else {
            chars.extend(candidate.chars().flat_map(char::to_lowercase));
        }
        let fragment = typo_chars.len() >= 5
            && (contains(&chars, &typo_chars) || chars.len() >= 5 && contains(&typo_chars, &chars));
        // Only candidates at least as close as the best so far can win.
        let best_distance = best.map_or(usize::MAX, |b| b.0);
        let bound = if fragment {
            best_distance
        } else {
            cutoff.min(best_distance)
        };
        let Some(distance) = rows.distance(&typo_chars, &chars, bound) else {
            continue;
        };
        let candidate_lower: String = chars.iter().collect();
        let similarity = jaro_winkler(&typo_lower, &candidate_lower);
        let close = distance <= max_distance || similarity >= 0.92 || fragment;
        if !close {
            continue;
        }
        let score = (
            distance,
            std::cmp::Reverse((similarity * 1e9) as u64),
            candidate,
        );
        if best.is_none_or(|b| score < b) {
            best = Some(score);
        }
    }
    best.map(|(_, _, c)| c)
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

    #[test]
    fn deterministic_ties() {
        assert_eq!(suggest("ab", ["ac", "aa"]), Some("aa"));
        assert_eq!(suggest("ab", ["aa", "ac"]), Some("aa"));
    }
}
