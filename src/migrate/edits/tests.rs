//! Unit tests of `migrate::edits`.

use super::*;
use crate::diagnostic::apply_edits;
use crate::syntax::parse;

fn apply(text: &str, edits: Vec<Edit>) -> String {
    let edits = normalize(edits).unwrap();
    let (out, skipped) = apply_edits(text, &edits);
    assert!(skipped.is_empty());
    out
}

fn remove(text: &str, path: &[&str], key: &str) -> String {
    let parsed = parse(text);
    let doc = Doc::new(text);
    let mut node = parsed.root.as_ref().unwrap();
    let mut parent_key = None;
    for p in path {
        let entry = own_entries(node)
            .iter()
            .find(|e| e.key.scalar_text() == Some(p))
            .unwrap();
        parent_key = Some(&entry.key);
        node = &entry.value;
    }
    let indices = entries_named(node, key);
    apply(text, doc.remove_entries(node, &indices, parent_key))
}

#[test]
fn removes_whole_lines_with_inner_comments() {
    let text = "a: 1\n# before\nb:\n  # inside\n  c: 2   # trailing\n# after\nd: 3\n";
    assert_eq!(remove(text, &[], "b"), "a: 1\n# before\n# after\nd: 3\n");
}

#[test]
fn no_double_blank_lines() {
    let text = "a: 1\n\nb:\n  c: 2\n\nd: 3\n";
    assert_eq!(remove(text, &[], "b"), "a: 1\n\nd: 3\n");
    let text = "a: 1\n\nb:\n  c: 2\n";
    assert_eq!(remove(text, &[], "b"), "a: 1\n");
    let text = "a: 1\nb: 2";
    assert_eq!(remove(text, &[], "b"), "a: 1");
}

#[test]
fn emptied_mapping_becomes_flow_empty() {
    let text = "r:  # rules\n  x:\n    y: 1\nz: 2\n";
    assert_eq!(remove(text, &["r"], "x"), "r: {}  # rules\nz: 2\n");
}

#[test]
fn first_key_of_a_list_item() {
    let text = "l:\n  - c: 1  # gone\n    # about p\n    p: 2\n    w: 3\n";
    let parsed = parse(text);
    let doc = Doc::new(text);
    let list = parsed.root.as_ref().unwrap().get("l").unwrap();
    let item = &list.as_sequence().unwrap()[0];
    let out = apply(text, doc.remove_entries(item, &[0], None));
    assert_eq!(out, "l:\n    # about p\n  - p: 2\n    w: 3\n");
    let only = "l:\n  - c: 1\n";
    let parsed = parse(only);
    let item = &parsed
        .root
        .as_ref()
        .unwrap()
        .get("l")
        .unwrap()
        .as_sequence()
        .unwrap()[0];
    assert_eq!(
        apply(only, Doc::new(only).remove_entries(item, &[0], None)),
        "l:\n  - {}\n"
    );
}

#[test]
fn flow_mappings_lose_one_separator() {
    let text = "m: {a: 1, c: x, b: 2}\n";
    assert_eq!(remove(text, &["m"], "c"), "m: {a: 1, b: 2}\n");
    assert_eq!(remove(text, &["m"], "a"), "m: {c: x, b: 2}\n");
    assert_eq!(remove("m: {c: 1}\n", &["m"], "c"), "m: {}\n");
}

#[test]
fn set_scalar_keeps_quotes_and_comment_column() {
    let text = "s: active      # note\n";
    let parsed = parse(text);
    let node = parsed.root.as_ref().unwrap().get("s").unwrap();
    let out = apply(
        text,
        Doc::new(text).set_scalar(node, "disabled", Some("why")),
    );
    assert_eq!(out, "s: disabled    # note  # why\n");
    let text = "s: \"active\"\n";
    let parsed = parse(text);
    let node = parsed.root.as_ref().unwrap().get("s").unwrap();
    let out = apply(
        text,
        Doc::new(text).set_scalar(node, "disabled", Some("why")),
    );
    assert_eq!(out, "s: \"disabled\"  # why\n");
}

#[test]
fn indentation_width_is_the_files_own() {
    let text = "a:\n    b:\n        c: 1\n";
    let parsed = parse(text);
    assert_eq!(Doc::new(text).indent_unit(parsed.root.as_ref().unwrap()), 4);
    let text = "a: 1\n";
    let parsed = parse(text);
    assert_eq!(Doc::new(text).indent_unit(parsed.root.as_ref().unwrap()), 2);
}

#[test]
fn line_endings_are_detected() {
    assert_eq!(Doc::new("a: 1\r\nb: 2\r\n").eol, "\r\n");
    assert_eq!(Doc::new("a: 1\nb: 2\n").eol, "\n");
    assert_eq!(Doc::new("a: 1").eol, "\n");
}
