//! The language server, `aiblint lsp`: serves diagnostics, quick fixes, hover, definitions,
//! references, completion, symbols and rename to editors over stdio (tower-lsp). A thin
//! adapter: the checks are `lint`'s, the positions `text`'s.
//!
//! Stdout carries the protocol and nothing else; logs go to `window/logMessage` and stderr.

// Stdout is the protocol's: no print may reach it.
#![deny(clippy::print_stdout)]

mod actions;
mod capabilities;
mod compat;
mod completion;
mod convert;
mod diagnostics;
mod doc_key;
mod documents;
mod migrate_action;
mod navigation;
mod outline;
mod schema_path;
mod server;
mod session;
mod transport;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

pub use server::Backend;
use tower_lsp::{ClientSocket, LspService, Server};

/// The custom request that returns the server's copy of an open document (used by tests).
pub const DOCUMENT_TEXT_METHOD: &str = "aiblint/documentText";

/// The custom request that returns the server's work counters (used by tests).
pub const STATS_METHOD: &str = "aiblint/stats";

/// The language service, for running it over stdio ([`serve`]) or in-process (benches).
pub fn service() -> (LspService<Backend>, ClientSocket) {
    LspService::build(Backend::new)
        .custom_method(DOCUMENT_TEXT_METHOD, Backend::document_text)
        .custom_method(STATS_METHOD, Backend::stats)
        .finish()
}

/// Serves the language server over any pair of streams, as [`serve`] does over stdio (the
/// fuzz target of the framing drives it in memory). Returns whether the session ended with
/// `shutdown` then `exit`.
pub async fn serve_streams<I, O>(input: I, output: O) -> bool
where
    I: tokio::io::AsyncRead + Unpin + Send + 'static,
    O: tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let (service, socket) = service();
    let (client_in, server_in) = tokio::io::duplex(1 << 16);
    let (server_out, client_out) = tokio::io::duplex(1 << 16);
    let (frames, queue) = tokio::sync::mpsc::unbounded_channel();
    let clean = Arc::new(AtomicBool::new(false));
    let reader = tokio::spawn(transport::read_client(
        input,
        client_in,
        frames.clone(),
        clean.clone(),
    ));
    let forward = tokio::spawn(transport::read_server(client_out, frames));
    let writer = tokio::spawn(transport::write_client(output, queue));
    Server::new(server_in, server_out, socket)
        .serve(compat::Compat::new(service))
        .await;
    // The server has stopped: stop reading the input, send what it wrote, then return.
    reader.abort();
    let _ = forward.await;
    let _ = writer.await;
    clean.load(Ordering::SeqCst)
}

/// Serves the language server over stdin/stdout until the client sends `exit` (or closes
/// stdin). Messages pass through `transport`, which answers malformed ones itself. Returns
/// whether the session ended as LSP wants it (`shutdown` before `exit`), which decides the
/// exit status: 0 if so, else 1.
pub fn serve() -> Result<bool, String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the language server: {e}"))?;
    let clean = runtime.block_on(serve_streams(tokio::io::stdin(), tokio::io::stdout()));
    // A read from stdin may still block a worker thread: do not wait for it.
    runtime.shutdown_background();
    Ok(clean)
}
