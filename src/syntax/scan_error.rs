//! What went wrong when saphyr rejected the text, as a kind. saphyr's `ScanError` carries only
//! a marker and a message, so its messages are read here, once, into [`ScanProblem`]; the
//! tests feed saphyr a text for each kind, so that a release that rewords a message fails
//! them instead of turning an explained error into a bare one.

/// The kind of a scanner or parser error.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScanProblem {
    /// A backslash escape that YAML does not define (`"C:\Users"`).
    UnknownEscape,
    /// A `key: value` where a value was not allowed, or a key without its `:`.
    MappingValue,
    /// Text after the closing quote of a quoted scalar.
    TrailingContent,
    /// A quoted scalar that never closes.
    UnclosedQuote,
    /// A tab used as indentation.
    Tab,
    /// A `:` or `-` not followed by a space.
    NeedsWhitespace,
    /// A block mapping where a key was expected.
    ExpectedKey,
    /// A block sequence where a `-` was expected.
    ExpectedDash,
    /// A control character in the text.
    Unprintable,
    /// The scanner's own flow-nesting limit.
    RecursionLimit,
    /// Anything else.
    Other,
}

/// The kind of the error saphyr described as `info`.
pub fn classify(info: &str) -> ScanProblem {
    const KINDS: &[(&str, ScanProblem)] = &[
        ("unknown escape character", ScanProblem::UnknownEscape),
        ("mapping values are not allowed", ScanProblem::MappingValue),
        ("expect ':'", ScanProblem::MappingValue),
        ("trailing content after", ScanProblem::TrailingContent),
        ("quoted scalar", ScanProblem::UnclosedQuote),
        ("tabs disallowed", ScanProblem::Tab),
        ("found a tab", ScanProblem::Tab),
        (
            "must be followed by a valid YAML whitespace",
            ScanProblem::NeedsWhitespace,
        ),
        ("did not find expected key", ScanProblem::ExpectedKey),
        (
            "did not find expected '-' indicator",
            ScanProblem::ExpectedDash,
        ),
        ("unprintable character", ScanProblem::Unprintable),
        ("recursion limit exceeded", ScanProblem::RecursionLimit),
    ];
    KINDS
        .iter()
        .find(|(needle, _)| info.contains(needle))
        .map_or(ScanProblem::Other, |(_, kind)| *kind)
}

#[cfg(test)]
mod tests {
    use super::*;
    use saphyr_parser::Parser;

    /// The kind of the first error saphyr reports on `text`.
    fn kind_of(text: &str) -> ScanProblem {
        let mut parser = Parser::new_from_str(text);
        for _ in 0..10_000 {
            match parser.next_event() {
                Some(Err(e)) => return classify(e.info()),
                Some(Ok(_)) => {}
                None => break,
            }
        }
        panic!("saphyr accepted {text:?}")
    }

    #[test]
    fn each_kind_is_what_saphyr_reports() {
        let deep = format!("a: {}\n", "[".repeat(300));
        let cases = [
            ("path: \"C:\\qemu\"\n", ScanProblem::UnknownEscape),
            ("a: b: c\n", ScanProblem::MappingValue),
            ("a: \"x\" y\n", ScanProblem::TrailingContent),
            ("a: \"x\n", ScanProblem::UnclosedQuote),
            ("a:\n\tb: 1\n", ScanProblem::Tab),
            ("a:\n  - x\n  b: 1\n", ScanProblem::ExpectedDash),
            ("a:\n  b: 1\n - c\n", ScanProblem::ExpectedKey),
            ("a: 1\n\u{0}\n", ScanProblem::Unprintable),
            ("key:\tvalue\n", ScanProblem::NeedsWhitespace),
            (deep.as_str(), ScanProblem::RecursionLimit),
            ("a: [1\n", ScanProblem::Other),
        ];
        for (text, kind) in cases {
            assert_eq!(kind_of(text), kind, "{text:?}");
        }
    }
}
