//! Composes two rounds of edits (the second made against the result of the first) into one
//! round against the original text, so that chained steps still yield edits of the source.

use crate::diagnostic::{apply_edits, Edit};
use crate::text::TextRange;

/// One edit list against `original` equivalent to applying `first`, then `second`.
///
/// Both lists must be sorted and disjoint; `second` is against `apply(original, first)`.
/// Edits of either round that overlap or touch are merged into one, so the result is sorted
/// and disjoint too. An edit that turns out to change nothing is dropped.
pub fn compose(original: &str, first: &[Edit], second: &[Edit]) -> Vec<Edit> {
    if first.is_empty() {
        return second.to_vec();
    }
    let (intermediate, _) = apply_edits(original, first);

    // Where each edit of the first round landed in the intermediate text.
    let mut landed = Vec::with_capacity(first.len());
    let mut shift: i64 = 0;
    for edit in first {
        let start = edit.range.start as i64 + shift;
        let end = start + edit.replacement.len() as i64;
        let delta = edit.replacement.len() as i64 - edit.range.len() as i64;
        landed.push((start as usize, end as usize, delta));
        shift += delta;
    }

    // Dirty intervals of the intermediate text: (start, end, first-round delta, second edit).
    let mut dirty: Vec<(usize, usize, i64, Option<&Edit>)> = landed
        .iter()
        .map(|&(s, e, d)| (s, e, d, None))
        .chain(
            second
                .iter()
                .map(|e| (e.range.start as usize, e.range.end as usize, 0, Some(e))),
        )
        .collect();
    dirty.sort_by_key(|&(s, e, _, _)| (s, e));

    let mut groups: Vec<(usize, usize, i64, Vec<&Edit>)> = Vec::new();
    for (s, e, delta, edit) in dirty {
        match groups.last_mut() {
            Some(group) if s <= group.1 => {
                group.1 = group.1.max(e);
                group.2 += delta;
                group.3.extend(edit);
            }
            _ => groups.push((s, e, delta, edit.into_iter().collect())),
        }
    }

    let mut out = Vec::with_capacity(groups.len());
    let mut before: i64 = 0;
    for (s, e, delta, edits) in groups {
        let orig_start = (s as i64 - before) as usize;
        let orig_end = (e as i64 - before - delta) as usize;
        before += delta;
        let local: Vec<Edit> = edits
            .iter()
            .map(|edit| {
                Edit::replace(
                    TextRange::new(edit.range.start as usize - s, edit.range.end as usize - s),
                    edit.replacement.clone(),
                )
            })
            .collect();
        let (replacement, _) = apply_edits(&intermediate[s..e], &local);
        if original.get(orig_start..orig_end) == Some(replacement.as_str()) {
            continue;
        }
        out.push(Edit::replace(
            TextRange::new(orig_start, orig_end),
            replacement,
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(start: usize, end: usize, text: &str) -> Edit {
        Edit::replace(TextRange::new(start, end), text)
    }

    fn check(original: &str, first: &[Edit], second: &[Edit]) -> Vec<Edit> {
        let (mid, _) = apply_edits(original, first);
        let (expected, _) = apply_edits(&mid, second);
        let composed = compose(original, first, second);
        let (got, skipped) = apply_edits(original, &composed);
        assert!(skipped.is_empty(), "{composed:?}");
        assert_eq!(got, expected);
        composed
    }

    #[test]
    fn disjoint_rounds_map_back_to_the_original() {
        let composed = check(
            "0123456789",
            &[edit(1, 3, "abcd"), edit(8, 9, "")],
            &[edit(0, 1, "X"), edit(8, 9, "Y")],
        );
        // The second round's `8..9` is the original `6..7`.
        assert_eq!(composed[1], edit(6, 7, "Y"));
        // An edit touching a deletion of the first round absorbs it.
        let composed = check("0123456789", &[edit(8, 9, "")], &[edit(7, 8, "Y")]);
        assert_eq!(composed, vec![edit(7, 9, "Y")]);
    }

    #[test]
    fn overlapping_rounds_merge() {
        let composed = check("abcdef", &[edit(2, 4, "XY")], &[edit(3, 5, "__")]);
        assert_eq!(composed, vec![edit(2, 5, "X__")]);
        check("abcdef", &[edit(2, 2, "+")], &[edit(2, 3, "")]);
        check("abc", &[edit(0, 3, "")], &[edit(0, 0, "new")]);
    }

    #[test]
    fn an_undone_edit_disappears() {
        let composed = check("key: a\n", &[edit(5, 6, "b")], &[edit(5, 6, "a")]);
        assert!(composed.is_empty());
    }
}
