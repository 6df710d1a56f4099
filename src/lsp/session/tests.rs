//! Unit tests of `lsp::session`.

use super::*;

#[test]
fn a_panic_in_a_handler_is_caught_and_the_session_goes_on() {
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let session = Session::new(tx);
    let uri = Url::parse("untitled:a.yaml").unwrap();
    session.guarded("test", |docs| docs.open(uri.clone(), 1, "a: 1\n".into()));
    let result: Option<()> = session.guarded("test", |_| panic!("boom"));
    assert!(result.is_none());
    let Ok(Outgoing::Log(level, message)) = rx.try_recv() else {
        panic!("the panic was not logged");
    };
    assert_eq!(level, MessageType::ERROR);
    assert!(message.contains("boom"), "{message}");
    // The lock is not poisoned and the document is still there.
    assert_eq!(session.version(&uri), Some(1));
    assert_eq!(
        session.document_text(&uri).map(|(_, t)| t).as_deref(),
        Some("a: 1\n")
    );
}
