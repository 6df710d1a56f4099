//! `aiblint generate`'s core: builds litellm-unified.yaml from providers.yaml,
//! model-mappings.yaml and litellm-settings.yaml, says which routes it leaves out and why,
//! and compares a file on disk with what it would write.
//!
//! Architecture invariant: pure and deterministic. It reads the typed model only (no
//! syntax, no rules, no IO), and the same sources always give byte-identical text: every
//! collection the sources keep in a YAML mapping (providers, exact matches, fallback
//! chains, load-balancing groups, capabilities) is written sorted by name; lists keep
//! their order.

mod build;
pub mod semantic;

pub use crate::model::litellm::{api_base, litellm_model};
pub use build::{
    value_of, Dropped, Generated, Omission, Sources, GENERATED_FROM, GENERATED_MARK,
    KEYLESS_API_KEY, ROUTING_STRATEGY,
};

use crate::model::ConfigSet;

/// The config for these sources, and the routes it leaves out.
pub fn generate(sources: Sources<'_>) -> Generated {
    build::generate(sources)
}

/// The sources of a set, when it has a providers.yaml and a model-mappings.yaml that could
/// be read and parsed (and its litellm-settings.yaml, if any).
pub fn sources(set: &ConfigSet) -> Option<Sources<'_>> {
    Some(Sources {
        providers: set.providers()?,
        mappings: set.mappings()?,
        settings: set.litellm_settings(),
    })
}

/// What `aiblint generate` builds from a set's sources.
pub fn from_set(set: &ConfigSet) -> Option<Generated> {
    Some(generate(sources(set)?))
}

/// [`from_set`] without the text (left empty): the routes the config keeps and those it
/// leaves out, for checks of a set that has no generated config to compare with.
pub fn routes_of_set(set: &ConfigSet) -> Option<Generated> {
    Some(build::routes(sources(set)?))
}

/// Whether `text` was written by `aiblint generate` (it starts with the generated header,
/// after an optional byte-order mark and blank lines).
pub fn is_generated(text: &str) -> bool {
    text.trim_start_matches('\u{feff}')
        .lines()
        .take(3)
        .any(|l| l.starts_with(GENERATED_MARK))
}

/// Whether the file on disk holds the generated text, line endings (`\r\n` for `\n`) and a
/// byte-order mark aside: a checkout with `core.autocrlf` is not stale.
pub fn same_text(expected: &str, actual: &str) -> bool {
    let actual = actual.strip_prefix('\u{feff}').unwrap_or(actual);
    if actual.len() == expected.len() {
        return actual == expected;
    }
    actual.contains('\r') && actual.replace("\r\n", "\n") == expected
}

/// The first line of the file on disk that differs from the generated text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FirstDifference {
    /// Byte range of that line in the file on disk, without its line break; empty at the
    /// end of the file when the file stops early.
    pub range: std::ops::Range<usize>,
    /// The generated line in its place (`None` when the file goes on past the generated
    /// text).
    pub expected_line: Option<String>,
}

/// The first differing line, found in one pass (line endings and a byte-order mark aside);
/// `None` when the texts are the same.
pub fn first_difference(expected: &str, actual: &str) -> Option<FirstDifference> {
    let bom = if actual.starts_with('\u{feff}') { 3 } else { 0 };
    let mut offset = bom;
    let mut expected_lines = expected.split_inclusive('\n');
    for line in actual[bom..].split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        let end = offset + content.len();
        match expected_lines.next() {
            Some(e)
                if e.trim_end_matches('\n') == content
                    && (e.ends_with('\n') == line.ends_with('\n')) => {}
            Some(e) => {
                return Some(FirstDifference {
                    range: offset..end,
                    expected_line: Some(e.trim_end_matches('\n').to_string()),
                })
            }
            None => {
                return Some(FirstDifference {
                    range: offset..end,
                    expected_line: None,
                })
            }
        }
        offset += line.len();
    }
    expected_lines.next().map(|e| FirstDifference {
        range: actual.len()..actual.len(),
        expected_line: Some(e.trim_end_matches('\n').to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_texts_are_the_same() {
        assert!(same_text("a\nb\n", "a\nb\n"));
        assert!(same_text("a\nb\n", "a\r\nb\r\n"));
        assert!(same_text("a\nb\n", "\u{feff}a\r\nb\r\n"));
        assert!(!same_text("a\nb\n", "a\nb"));
        assert_eq!(first_difference("a\nb\n", "\u{feff}a\r\nb\r\n"), None);
    }

    #[test]
    fn a_changed_line_is_found() {
        let d = first_difference("a\nb\nc\n", "a\nB!\nc\n").unwrap();
        assert_eq!(d.range, 2..4);
        assert_eq!(d.expected_line.as_deref(), Some("b"));
    }

    #[test]
    fn missing_and_extra_lines() {
        let d = first_difference("a\nb\nc\n", "a\n").unwrap();
        assert_eq!(d.range, 2..2);
        assert_eq!(d.expected_line.as_deref(), Some("b"));
        let d = first_difference("a\n", "a\nx\n").unwrap();
        assert_eq!(d.range, 2..3);
        assert_eq!(d.expected_line, None);
    }

    #[test]
    fn a_missing_final_newline_is_a_difference() {
        let d = first_difference("a\nb\n", "a\nb").unwrap();
        assert_eq!(d.range, 2..3);
    }
}
