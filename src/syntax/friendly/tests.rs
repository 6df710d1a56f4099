//! Unit tests of `syntax::friendly`.

use super::*;
use crate::syntax::parse;

/// The explanation of the first syntax error of `text`.
fn explained(text: &str) -> Explained {
    let parse = parse(text);
    let error = parse.errors.first().expect("a syntax error");
    explain(text, error)
}

fn shown(text: &str, e: &Explained) -> String {
    text[e.range.as_range()].to_string()
}

#[test]
fn a_missing_colon_is_named_on_its_own_line() {
    let text = "a:\n  status active\n  type: x\n";
    let e = explained(text);
    assert_eq!(e.message, "missing `:` after `status`");
    assert_eq!(shown(text, &e), "status");
    let text = "a:\n  b: 1\n  status active\n  type: x\n";
    assert_eq!(explained(text).message, "missing `:` after `status`");
    let text = "a:\n  - status active\n    type: x\n";
    assert_eq!(explained(text).message, "missing `:` after `status`");
}

#[test]
fn a_missing_space_after_a_colon() {
    let text = "a:b\nc: d\n";
    let e = explained(text);
    assert_eq!(e.message, "missing space after `:` in `a:b`");
    assert_eq!(shown(text, &e), ":");
}

#[test]
fn an_error_on_a_crlf_line_break() {
    let text = "a: \"b\r\nc: d\r\n";
    let at = text.find('\n').unwrap();
    assert_eq!(line_bounds(text, at), (0, at));
    assert_eq!(line_bounds(text, 1), (0, at - 1));
    assert!(unclosed_quote(text, at).is_none());
}

#[test]
fn an_invisible_character_after_a_closing_quote() {
    let text = "- pattern: \"^.*$\" \u{2028}  # last\n";
    let at = text.find('\u{2028}').unwrap();
    let e = text_after_quote(text, at).unwrap();
    assert_eq!(
        e.message,
        "text after the closing `\"`: the invisible character U+2028"
    );
    assert_eq!(e.range, TextRange::new(at, at + 3));
}

#[test]
fn a_colon_before_a_wide_character() {
    let e = no_space_after_colon("a:é", 2).unwrap();
    assert_eq!(e.range, TextRange::new(1, 2));
}

#[test]
fn a_regex_in_double_quotes() {
    let text = "patterns:\n  - pattern: \"^claude-\\d+\"\n";
    let e = explained(text);
    assert_eq!(
        e.message,
        "`\\d` is not an escape sequence in a double-quoted string"
    );
    assert_eq!(shown(text, &e), "\\d");
    let (title, range, replacement) = e.fix.expect("a fix");
    assert_eq!(title, "Use single quotes");
    assert_eq!(&text[range.as_range()], "\"^claude-\\d+\"");
    assert_eq!(replacement, "'^claude-\\d+'");
    // A valid escape beside the bad one: no verbatim single-quoted copy.
    assert!(explained("a: \"\\t\\d\"\n").fix.is_none());
}

#[test]
fn unclosed_quotes() {
    for text in ["a: \"abc\nb: 1\n", "a: 'abc\nb: 1\n", "a: \"abc\n"] {
        let e = explained(text);
        assert!(e.message.starts_with("unclosed quote"), "{text:?}: {e:?}");
        assert!(shown(text, &e).starts_with(['"', '\'']), "{text:?}");
    }
}

#[test]
fn a_quote_inside_single_quotes() {
    let e = explained("a: 'it's'\n");
    assert_eq!(e.message, "text after the closing `'`: `s'`");
    assert!(e.help.unwrap().contains("'it''s'"));
}

#[test]
fn tabs_in_the_indentation() {
    for text in ["a:\n\tb: 1\n", "a:\n  b: 1\n\tc: 2\n", "a:\n  - x\n\t- y\n"] {
        let e = explained(text);
        assert_eq!(e.message, "a tab in the indentation", "{text:?}");
        assert_eq!(shown(text, &e), "\t", "{text:?}");
    }
}

#[test]
fn a_list_under_a_key_with_a_value() {
    let text = "a:\n  type: ollama\n  - a\n";
    let e = explained(text);
    assert_eq!(e.message, "a list item where a key was expected");
    assert_eq!(shown(text, &e), "-");
    assert!(
        e.help
            .unwrap()
            .starts_with("`type` already has a value (`ollama`)"),
        "{text}"
    );
}

#[test]
fn a_key_among_list_items() {
    let e = explained("models:\n  - a\n  name: b\n");
    assert_eq!(e.message, "the key `name` stands among the items of a list");
}

#[test]
fn other_errors_keep_the_parser_s_words() {
    let e = explained("a: [1, 2\n");
    assert_eq!(
        e.message,
        "while parsing a flow sequence, expected ',' or ']'"
    );
    assert_eq!(e.label, "the parser stopped here");
}

#[test]
fn lines_ending_in_a_carriage_return_alone_are_explained_as_lines_ending_in_a_newline() {
    let lf = "exact_matches:\n  llama3:\n    provider: ollama\nbad: : :\n";
    let expected = explained(lf);
    for ending in ["\r", "\r\n"] {
        let text = lf.replace('\n', ending);
        let e = explained(&text);
        assert_eq!(e.message, expected.message, "{text:?}");
        assert_eq!(shown(&text, &e), shown(lf, &expected), "{text:?}");
        assert_eq!(e.fix.is_some(), expected.fix.is_some(), "{text:?}");
    }
    for text in ["a:b\rc: d\r", "a:\r  status active\r  type: x\r"] {
        let e = explained(text);
        let as_lf = text.replace('\r', "\n");
        assert_eq!(e.message, explained(&as_lf).message, "{text:?}");
    }
}
