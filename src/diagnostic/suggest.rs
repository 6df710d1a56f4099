//! Did-you-mean: the closest valid name to a typo, offered only when clearly close.

use strsim::{damerau_levenshtein, jaro_winkler};

/// The best candidate for `typo`, or `None` when nothing is clearly close. Deterministic:
/// ties go to the candidate that sorts first.
pub fn suggest<'a, I>(typo: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let typo_lower = typo.to_lowercase();
    let max_distance = match typo.chars().count() {
        0..=3 => 1,
        4..=8 => 2,
        _ => 3,
    };
    let mut best: Option<(usize, std::cmp::Reverse<u64>, &str)> = None;
    for candidate in candidates {
        if candidate == typo {
            continue;
        }
        // Cheap length filter first: most of a large symbol table is rejected here.
        let len_gap = candidate.len().abs_diff(typo.len());
        if len_gap > max_distance * 4 && !candidate.contains(typo) {
            continue;
        }
        let cand_lower = candidate.to_lowercase();
        let distance = damerau_levenshtein(&typo_lower, &cand_lower);
        let similarity = jaro_winkler(&typo_lower, &cand_lower);
        // A fragment of a longer name (`round_robin` for `weighted_round_robin`) is close too.
        let fragment = typo_lower.len() >= 5
            && (cand_lower.contains(&typo_lower)
                || typo_lower.contains(&cand_lower) && cand_lower.len() >= 5);
        let close = distance <= max_distance
            || (similarity >= 0.92 && distance <= max_distance + 2)
            || fragment;
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
    fn deterministic_ties() {
        assert_eq!(suggest("ab", ["ac", "aa"]), Some("aa"));
        assert_eq!(suggest("ab", ["aa", "ac"]), Some("aa"));
    }
}
