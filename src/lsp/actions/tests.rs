//! Unit tests of `lsp::actions`.

use super::*;
use crate::diagnostic::{Fix, Label, Severity};
use crate::text::{LineIndex, PositionEncoding, TextRange};
use tower_lsp::lsp_types::{Position, Range};

#[test]
fn builds_versioned_and_plain_workspace_edits() {
    let text = "é: ab\nc: d\n";
    let index = LineIndex::new(text);
    let uri = Url::parse("file:///s/providers.yaml").unwrap();
    let file = |edits| FileEdits {
        uri: &uri,
        version: Some(4),
        lines: Lines::new(text, &index, PositionEncoding::Utf16),
        edits,
    };
    let edits = || {
        vec![
            Edit::replace(TextRange::new(10, 11), "D"),
            Edit::replace(TextRange::new(4, 6), "xy"),
            Edit::replace(TextRange::new(5, 6), "overlaps"),
            Edit::replace(TextRange::new(40, 41), "outside"),
        ]
    };
    let versioned = workspace_edit(vec![file(edits())], true);
    let Some(DocumentChanges::Edits(docs)) = versioned.document_changes else {
        panic!("expected document changes");
    };
    assert_eq!(docs[0].text_document.version, Some(4));
    let ranges: Vec<Range> = docs[0]
        .edits
        .iter()
        .map(|e| match e {
            OneOf::Left(e) => e.range,
            OneOf::Right(e) => e.text_edit.range,
        })
        .collect();
    assert_eq!(
        ranges,
        [
            Range::new(Position::new(0, 3), Position::new(0, 5)),
            Range::new(Position::new(1, 3), Position::new(1, 4)),
        ]
    );
    let plain = workspace_edit(vec![file(edits())], false);
    assert_eq!(plain.changes.unwrap()[&uri].len(), 2);
    assert!(workspace_edit(vec![file(Vec::new())], false)
        .changes
        .unwrap()
        .is_empty());
}

#[test]
fn data_round_trips_and_skips_display_only() {
    let mut d = Diagnostic::new(
        "S101",
        "unknown-key",
        Severity::Error,
        "unknown key",
        Label::bare(TextRange::new(0, 3)),
    );
    assert_eq!(fix_data(&d, "", Some(1)), None);
    d.fix = Some(Fix {
        title: "Replace".into(),
        applicability: Applicability::Safe,
        edits: vec![Edit::replace(TextRange::new(0, 3), "abc")],
    });
    let data: FixData = serde_json::from_value(fix_data(&d, "", Some(1)).unwrap()).unwrap();
    assert_eq!(
        (data.version, data.safe, data.edits.len()),
        (Some(1), true, 1)
    );
    d.fix.as_mut().unwrap().applicability = Applicability::DisplayOnly;
    assert_eq!(fix_data(&d, "", Some(1)), None);
}

#[test]
fn kind_filters() {
    let fix_all = CodeActionKind::new(FIX_ALL);
    assert!(wants(None, &fix_all));
    assert!(wants(Some(&[CodeActionKind::SOURCE_FIX_ALL]), &fix_all));
    assert!(wants(Some(&[CodeActionKind::SOURCE]), &fix_all));
    assert!(!wants(Some(&[CodeActionKind::QUICKFIX]), &fix_all));
    assert!(!wants(Some(&[CodeActionKind::new("source.fix")]), &fix_all));
}
