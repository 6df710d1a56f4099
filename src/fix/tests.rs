//! Unit tests of `fix`: the loop and one fix checked alone.

use super::*;
use crate::diagnostic::Label;
use crate::model::FileKind;
use crate::text::TextRange;

fn member(path: &str, kind: FileKind, text: &str) -> SetMember {
    SetMember {
        path: path.to_string(),
        file: SourceFile::analyze(Some(kind), text.to_string()).into(),
    }
}

#[test]
fn crlf_files_get_crlf_insertions() {
    let fix = Fix {
        title: "t".into(),
        applicability: Applicability::Safe,
        edits: vec![Edit::replace(
            crate::text::TextRange::empty(0),
            "a: 1\nb: 2\r\n",
        )],
    };
    assert_eq!(
        edits_for("x: 1\r\n", &[&fix])[0].replacement,
        "a: 1\r\nb: 2\r\n"
    );
    assert_eq!(
        edits_for("x: 1\n", &[&fix])[0].replacement,
        "a: 1\nb: 2\r\n"
    );
}

#[test]
fn compatible_fixes_take_whole_fixes_that_do_not_clash() {
    let with_fix = |start: usize, end: usize, applicability| {
        Diagnostic::new(
            "X",
            "x",
            Severity::Error,
            "m",
            Label::bare(TextRange::new(start, end)),
        )
        .with_fix(Fix {
            title: "t".into(),
            applicability,
            edits: vec![Edit::replace(TextRange::new(start, end), "new")],
        })
    };
    let diagnostics = [
        with_fix(0, 4, Applicability::Safe),
        with_fix(2, 6, Applicability::Safe),
        with_fix(8, 9, Applicability::Unsafe),
        with_fix(10, 12, Applicability::Safe),
    ];
    let ranges: Vec<TextRange> = compatible_fixes(&diagnostics, FixMode::Safe)
        .iter()
        .map(|d| d.range())
        .collect();
    assert_eq!(ranges, [TextRange::new(0, 4), TextRange::new(10, 12)]);
}

#[test]
fn replacement_edit_spans_the_difference() {
    for (a, b) in [
        ("abc", "abc"),
        ("aéc", "aèc"),
        ("ab", "abab"),
        ("x: 1\n", ""),
        ("", "y"),
    ] {
        let edit = replacement_edit(a, b);
        assert_eq!(apply_edits(a, &[edit]).0, b, "{a:?} -> {b:?}");
    }
    assert_eq!(
        replacement_edit("a: 1\nb: 2\n", "a: 1\nb: 3\n").range.start,
        8
    );
}

#[test]
fn a_fix_that_would_bring_an_error_is_not_applied() {
    // Two vLLM providers, one misspelling `active`: the did-you-mean would make two
    // active vLLM providers, an error in a 2.x file (L307).
    let provider = |name: &str, port: u16, status: &str| {
        format!("  {name}:\n    type: vllm\n    base_url: http://127.0.0.1:{port}/v1\n    status: {status}\n    description: d\n    models: [m-{name}]\n")
    };
    let text = format!(
        "metadata:\n  schema_version: \"2.0.0\"\nproviders:\n{}{}",
        provider("a", 8000, "active"),
        provider("b", 8001, "actve")
    );
    let outcome = fix_set(
        vec![member("providers.yaml", FileKind::Providers, &text)],
        &RuleSelection::default(),
        FixMode::Unsafe,
        |_| true,
    );
    assert!(outcome.applied.is_empty(), "{:?}", outcome.applied);
    assert_eq!(outcome.changed().count(), 0);
    let (fix, codes) = &outcome.rejected[0];
    assert_eq!((fix.code, codes.as_slice()), ("S104", &["L307"][..]));
    assert!(outcome.not_converged.is_empty());
    assert_eq!(outcome.files[0].file.text, text);
}

#[test]
fn a_single_fix_is_given_only_when_it_brings_no_error() {
    let provider = |name: &str, port: u16, status: &str| {
        format!("  {name}:\n    type: vllm\n    base_url: http://127.0.0.1:{port}/v1\n    status: {status}\n    description: d\n    models: [m-{name}]\n")
    };
    let selection = RuleSelection::default();
    let single = |text: &str| {
        let files = check_set(
            vec![member("providers.yaml", FileKind::Providers, text)],
            &selection,
        );
        let typo = files[0]
            .diagnostics
            .iter()
            .find(|d| d.code == "S104")
            .unwrap();
        single_fix(&files, 0, typo, &selection)
    };
    // As in the loop's test above: `actve` → `active` would make a second active vLLM.
    let two_active = format!(
        "metadata:\n  schema_version: \"2.0.0\"\nproviders:\n{}{}",
        provider("a", 8000, "active"),
        provider("b", 8001, "actve")
    );
    assert_eq!(single(&two_active), None);
    let one_active = two_active.replacen("status: active", "status: disabled", 1);
    let edits = single(&one_active).expect("the fix brings no error");
    let (fixed, skipped) = apply_edits(&one_active, &edits);
    assert!(skipped.is_empty());
    let looped = fix_set(
        vec![member("providers.yaml", FileKind::Providers, &one_active)],
        &selection,
        FixMode::Unsafe,
        |_| true,
    );
    assert_eq!(
        looped.files[0].file.text, fixed,
        "the loop makes the same edit"
    );
}

#[test]
fn safe_mode_leaves_unsafe_fixes() {
    let providers = "providers:\n  ollama:\n    type: ollama\n    base_url: http://localhost:11434\n    status: actve\n    description: d\n    models: [llama3]\n";
    let run = |mode| {
        fix_set(
            vec![member("providers.yaml", FileKind::Providers, providers)],
            &RuleSelection::only(&["S104"]),
            mode,
            |_| true,
        )
    };
    let safe = run(FixMode::Safe);
    assert!(safe.applied.is_empty());
    assert_eq!(safe.changed().count(), 0);
    let unsafe_ = run(FixMode::Unsafe);
    assert_eq!(unsafe_.applied.len(), 1, "{:?}", unsafe_.applied);
    let (_, original, fixed) = unsafe_.changed().next().unwrap();
    assert_eq!(original, providers);
    assert!(fixed.file.text.contains("status: active\n"));
    assert!(fixed.diagnostics.is_empty());
    assert!(unsafe_.not_converged.is_empty());
}
