//! Applying text edits: the one implementation shared by fixes, migrations and the editor.

use super::Edit;

/// Applies `edits` to `text`. Edits are sorted by range; an edit that overlaps an earlier
/// one or falls outside the text is skipped and returned.
pub fn apply_edits(text: &str, edits: &[Edit]) -> (String, Vec<Edit>) {
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.range.start, e.range.end));
    let mut out = String::with_capacity(text.len());
    let mut skipped = Vec::new();
    let mut cursor = 0usize;
    for edit in sorted {
        let (start, end) = (edit.range.start as usize, edit.range.end as usize);
        let valid = start >= cursor
            && end <= text.len()
            && text.is_char_boundary(start)
            && text.is_char_boundary(end);
        if !valid {
            skipped.push(edit.clone());
            continue;
        }
        out.push_str(&text[cursor..start]);
        out.push_str(&edit.replacement);
        cursor = end;
    }
    out.push_str(&text[cursor..]);
    (out, skipped)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::TextRange;

    #[test]
    fn applies_in_order_and_skips_overlaps() {
        let edits = [
            Edit::replace(TextRange::new(4, 5), "X"),
            Edit::replace(TextRange::new(0, 1), "ab"),
            Edit::replace(TextRange::new(0, 2), "zz"),
            Edit::replace(TextRange::empty(6), "!"),
        ];
        let (out, skipped) = apply_edits("012345", &edits);
        assert_eq!(out, "ab123X5!");
        assert_eq!(skipped.len(), 1);
    }

    #[test]
    fn out_of_bounds_is_skipped() {
        let (out, skipped) = apply_edits("é", &[Edit::replace(TextRange::new(1, 2), "")]);
        assert_eq!(out, "é");
        assert_eq!(skipped.len(), 1);
    }
}
