//! The language server, `aiblint lsp`: serves diagnostics, quick fixes, hover, definitions,
//! references, completion, symbols and rename to editors over stdio (tower-lsp). A thin
//! adapter: the checks are `lint`'s, the positions `text`'s.
//!
//! Stdout carries the protocol and nothing else; logs go to `window/logMessage` and stderr.

mod actions;
mod completion;
mod convert;
mod diagnostics;
mod documents;
mod navigation;
mod outline;
mod schema_path;
mod server;
mod session;

pub use server::Backend;
use tower_lsp::{ClientSocket, LspService, Server};

/// The custom request that returns the server's copy of an open document (used by tests).
pub const DOCUMENT_TEXT_METHOD: &str = "aiblint/documentText";

/// The language service, for running it over stdio ([`serve`]) or in-process (benches).
pub fn service() -> (LspService<Backend>, ClientSocket) {
    LspService::build(Backend::new)
        .custom_method(DOCUMENT_TEXT_METHOD, Backend::document_text)
        .finish()
}

/// Serves the language server over stdin/stdout until the client sends `exit` (or closes
/// stdin).
pub fn serve() -> Result<(), String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the language server: {e}"))?;
    runtime.block_on(async {
        let (service, socket) = service();
        Server::new(tokio::io::stdin(), tokio::io::stdout(), socket)
            .serve(service)
            .await;
    });
    Ok(())
}
