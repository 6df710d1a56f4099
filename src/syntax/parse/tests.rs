//! Unit tests of `syntax::parse`.

use super::*;

#[test]
fn a_tree_past_the_node_limit_is_dropped_and_reported() {
    let within = parse_within("a: [1, 2, 3]\n", 6);
    assert!(within.root.is_some() && within.errors.is_empty() && within.is_complete());
    let past = parse_within("a: [1, 2, 3, 4]\nb: 1\n", 6);
    assert!(past.root.is_none());
    assert!(!past.is_complete());
    let error = &past.errors[0];
    assert_eq!(error.kind, SyntaxErrorKind::TooManyNodes);
    // The seventh node, `4`, is where the limit is reached.
    assert_eq!((error.range.start, error.range.end), (13, 14));
}
