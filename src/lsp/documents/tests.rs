//! Unit tests of `lsp::documents`.

use super::*;
use tower_lsp::lsp_types::{Position, Range};

fn change(range: Option<((u32, u32), (u32, u32))>, text: &str) -> TextDocumentContentChangeEvent {
    TextDocumentContentChangeEvent {
        range: range.map(|((a, b), (c, d))| Range::new(Position::new(a, b), Position::new(c, d))),
        range_length: None,
        text: text.to_string(),
    }
}

#[test]
fn a_document_is_its_path_however_its_uri_is_spelled() {
    let key = |uri: &str| DocKey::of(&Url::parse(uri).unwrap());
    assert_eq!(
        key("file:///srv/gateway%2Blab%20%28x%29%3Ay/mod%C3%A8les/providers.yaml"),
        DocKey::File(PathBuf::from(
            "/srv/gateway+lab (x):y/modèles/providers.yaml"
        ))
    );
    assert_eq!(
        key("file:///srv/mod%c3%a8les/providers.yaml"),
        key("file:///srv/mod%C3%A8les/providers.yaml")
    );
    assert_eq!(key("file:///c%3A/gw/a.yaml"), key("file:///C:/gw/a.yaml"));
    assert_eq!(
        key("file:///C:/gw/a.yaml"),
        DocKey::File(PathBuf::from("/c:/gw/a.yaml"))
    );
    assert_eq!(
        key("untitled:Untitled-1"),
        DocKey::Other("untitled:Untitled-1".into())
    );
    // Only a drive letter is lowered.
    assert_eq!(
        key("file:///Cx/a.yaml"),
        DocKey::File(PathBuf::from("/Cx/a.yaml"))
    );
}

#[test]
fn changes_apply_in_order_against_the_previous_text() {
    let mut docs = Documents::new(PositionEncoding::Utf16, None);
    let uri = Url::parse("untitled:one").unwrap();
    docs.open(uri.clone(), 1, "é🦙 a\nb\n".to_string());
    let changes = vec![
        change(Some(((0, 3), (0, 4))), "X"),
        change(Some(((1, 0), (1, 1))), "line\nnext"),
        change(Some(((2, 4), (2, 4))), "!"),
    ];
    docs.change(&uri, 2, changes).unwrap();
    let doc = docs.get(&uri).unwrap();
    assert_eq!(doc.text, "é🦙Xa\nline\nnext!\n");
    assert_eq!(doc.version, 2);
    docs.change(&uri, 3, vec![change(None, "whole")]).unwrap();
    assert_eq!(docs.get(&uri).unwrap().text, "whole");
    assert!(docs
        .change(&Url::parse("untitled:two").unwrap(), 1, vec![])
        .is_err());
}

#[test]
fn a_set_is_its_directory_with_open_buffers_winning() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("providers.yaml"), "providers: {}\n").unwrap();
    std::fs::write(dir.path().join("notes.yaml"), "a: 1\n").unwrap();
    let mut docs = Documents::new(PositionEncoding::Utf8, Some(dir.path().to_path_buf()));
    let mappings = Url::from_file_path(dir.path().join("model-mappings.yaml")).unwrap();
    docs.open(mappings.clone(), 1, "exact_matches: {}\n".into());
    let snap = docs.snapshot(&mappings).unwrap();
    let names: Vec<&str> = snap.set.members.iter().map(|m| m.path.as_str()).collect();
    assert_eq!(names, ["model-mappings.yaml", "providers.yaml"]);
    assert_eq!(snap.members[0].version, Some(1));
    assert_eq!(snap.members[1].version, None);
    // Unchanged inputs give the same snapshot; an edit gives a new one.
    assert!(Arc::ptr_eq(&snap, &docs.snapshot(&mappings).unwrap()));
    docs.change(&mappings, 2, vec![change(None, "exact_matches: {}\n\n")])
        .unwrap();
    assert!(!Arc::ptr_eq(&snap, &docs.snapshot(&mappings).unwrap()));
    // An open providers buffer replaces the file on disk.
    let providers = Url::from_file_path(dir.path().join("providers.yaml")).unwrap();
    docs.open(providers.clone(), 7, "providers:\n  x: 1\n".into());
    let snap = docs.snapshot(&mappings).unwrap();
    assert_eq!(snap.members[1].version, Some(7));
    assert_eq!(
        docs.affected_by(&providers),
        vec![mappings.clone(), providers.clone()]
    );
}
