//! `aiblint generate`'s core: builds litellm-unified.yaml from providers.yaml and
//! model-mappings.yaml, and compares a file on disk with what it would write.
//!
//! Architecture invariant: pure and deterministic. It reads the typed model only (no
//! syntax, no rules, no IO), and the same sources always give byte-identical text: every
//! collection the sources keep in a YAML mapping (providers, exact matches, fallback
//! chains, load-balancing groups) is written sorted by name; lists keep their order.

mod build;
pub mod yaml;

pub use build::{api_base, litellm_model, GENERATED_FROM, KEYLESS_API_KEY, ROUTING_STRATEGY};

use crate::model::{ConfigSet, MappingsConfig, ProvidersConfig};

/// The text of litellm-unified.yaml for these sources.
pub fn generate(providers: &ProvidersConfig, mappings: &MappingsConfig) -> String {
    build::generate(providers, mappings)
}

/// The text for a set's sources, when it has both a providers.yaml and a
/// model-mappings.yaml that could be read and parsed.
pub fn from_set(set: &ConfigSet) -> Option<String> {
    Some(generate(set.providers()?, set.mappings()?))
}

/// How a file on disk differs from the generated text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Staleness {
    /// Byte range, in the file on disk, of its first line that differs (without the line
    /// break); empty at the end of the file when the file is only missing lines.
    pub first_difference: std::ops::Range<usize>,
    /// What happens at that line.
    pub change: Change,
    /// The generated line in place of that line ([`Change::Changed`]) or missing before
    /// it ([`Change::Missing`]).
    pub expected_line: Option<String>,
    /// How many lines differ: changed, missing and extra lines, counted once each.
    pub differing_lines: usize,
}

/// The first difference between the file on disk and the generated text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    /// The line reads differently in the generated text.
    Changed,
    /// Generated lines are missing before this line (or at the end of the file).
    Missing,
    /// The line is not in the generated text at all.
    Extra,
}

/// `None` when `actual` is exactly `expected`; otherwise where and how much it differs.
pub fn compare(expected: &str, actual: &str) -> Option<Staleness> {
    if expected == actual {
        return None;
    }
    let diff = similar::TextDiff::from_lines(actual, expected);
    let old = diff.old_slices();
    let new = diff.new_slices();
    let mut first: Option<(similar::DiffTag, usize, usize)> = None;
    let mut differing_lines = 0;
    for op in diff.ops() {
        let (tag, old_range, new_range) = op.as_tag_tuple();
        if tag == similar::DiffTag::Equal {
            continue;
        }
        differing_lines += old_range.len().max(new_range.len());
        first.get_or_insert((tag, old_range.start, new_range.start));
    }
    // Texts that differ only in ways the line diff cannot see still differ.
    let (tag, old_line, new_line) =
        first.unwrap_or((similar::DiffTag::Replace, old.len(), new.len()));
    let change = match tag {
        similar::DiffTag::Insert => Change::Missing,
        similar::DiffTag::Delete => Change::Extra,
        _ => Change::Changed,
    };
    let trim = |l: &str| l.trim_end_matches(['\n', '\r']).to_string();
    let start: usize = old[..old_line.min(old.len())].iter().map(|l| l.len()).sum();
    let end = start + old.get(old_line).map_or(0, |l| trim(l).len());
    Some(Staleness {
        first_difference: start..end,
        change,
        expected_line: match change {
            Change::Extra => None,
            _ => new.get(new_line).map(|l| trim(l)),
        },
        differing_lines: differing_lines.max(1),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_texts_are_not_stale() {
        assert_eq!(compare("a\nb\n", "a\nb\n"), None);
    }

    #[test]
    fn a_changed_line_is_found_and_counted_once() {
        let s = compare("a\nb\nc\n", "a\nB!\nc\n").unwrap();
        assert_eq!(s.first_difference, 2..4);
        assert_eq!(s.change, Change::Changed);
        assert_eq!(s.expected_line.as_deref(), Some("b"));
        assert_eq!(s.differing_lines, 1);
    }

    #[test]
    fn missing_and_extra_lines() {
        let s = compare("a\nb\nc\n", "a\n").unwrap();
        assert_eq!(s.first_difference, 2..2);
        assert_eq!(s.change, Change::Missing);
        assert_eq!(s.expected_line.as_deref(), Some("b"));
        assert_eq!(s.differing_lines, 2);
        let s = compare("a\nb\n", "a\nx\ny\nb\n").unwrap();
        assert_eq!(s.first_difference, 2..3);
        assert_eq!(s.change, Change::Extra);
        assert_eq!(s.expected_line, None);
        assert_eq!(s.differing_lines, 2);
        let s = compare("a\nc\n", "a\nb\nc\n").unwrap();
        assert_eq!(s.first_difference, 2..3);
        assert_eq!(s.change, Change::Extra);
        assert_eq!(s.differing_lines, 1);
        let s = compare("a\nb\nc\n", "a\nc\n").unwrap();
        assert_eq!(s.first_difference, 2..3);
        assert_eq!(s.change, Change::Missing);
        assert_eq!(s.expected_line.as_deref(), Some("b"));
    }

    #[test]
    fn a_missing_final_newline_is_a_difference() {
        let s = compare("a\nb\n", "a\nb").unwrap();
        assert_eq!(s.first_difference, 2..3);
        assert_eq!(s.differing_lines, 1);
    }
}
