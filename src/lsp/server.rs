//! `impl LanguageServer`: each handler delegates to the session in a few lines. The list of
//! methods below is the server's feature map (capabilities are declared in `session.rs`).

use std::sync::{Arc, Mutex, PoisonError};

use serde::{Deserialize, Serialize};
use tokio::sync::mpsc::{unbounded_channel, UnboundedReceiver};
use tower_lsp::jsonrpc::{Error, ErrorCode, Result};
use tower_lsp::lsp_types::*;
use tower_lsp::{Client, LanguageServer};

use super::session::{Outgoing, Session};

pub struct Backend {
    client: Client,
    session: Arc<Session>,
    /// Taken by the publisher task once the client is initialized.
    outgoing: Mutex<Option<UnboundedReceiver<Outgoing>>>,
}

impl Backend {
    pub fn new(client: Client) -> Self {
        let (tx, rx) = unbounded_channel();
        Backend {
            client,
            session: Arc::new(Session::new(tx)),
            outgoing: Mutex::new(Some(rx)),
        }
    }

    /// `aiblint/documentText`: the server's copy of an open document (for tests that check
    /// that incremental edits leave it equal to the client's). Result: `{uri, version, text}`,
    /// or null for a document that is not open.
    pub async fn document_text(&self, params: DocumentTextParams) -> Result<Option<DocumentText>> {
        let uri = params.text_document.uri;
        Ok(self
            .session
            .document_text(&uri)
            .map(|(version, text)| DocumentText { uri, version, text }))
    }

    /// `aiblint/stats`: how many times the server checked a config set and read the disk
    /// (listed a directory or looked at a file's stamp), for tests that show that edits are
    /// coalesced and that requests do not read the disk.
    pub async fn stats(&self) -> Result<Stats> {
        let (checks, disk_reads) = self.session.stats();
        Ok(Stats { checks, disk_reads })
    }

    /// Sends what the session queued, in order, dropping diagnostics computed for a version
    /// the document has already left behind.
    async fn publish(client: Client, session: Arc<Session>, mut rx: UnboundedReceiver<Outgoing>) {
        while let Some(message) = rx.recv().await {
            match message {
                Outgoing::Publish {
                    uri,
                    version,
                    diagnostics,
                } => {
                    if version.is_some() && session.version(&uri) != version {
                        continue;
                    }
                    client.publish_diagnostics(uri, diagnostics, version).await;
                }
                Outgoing::Log(level, message) => client.log_message(level, message).await,
                Outgoing::Show(level, message) => client.show_message(level, message).await,
                Outgoing::Refresh => {
                    let _ = client.workspace_diagnostic_refresh().await;
                }
            }
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DocumentTextParams {
    pub text_document: TextDocumentIdentifier,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Stats {
    pub checks: u64,
    pub disk_reads: u64,
}

#[derive(Debug, Serialize)]
pub struct DocumentText {
    pub uri: Url,
    pub version: i32,
    pub text: String,
}

fn failed(message: String) -> Error {
    Error {
        code: ErrorCode::ServerError(-32803), // LSP RequestFailed
        message: message.into(),
        data: None,
    }
}

#[tower_lsp::async_trait]
impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        Ok(self.session.initialize(&params))
    }

    async fn initialized(&self, _: InitializedParams) {
        let rx = self
            .outgoing
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        if let Some(rx) = rx {
            tokio::spawn(Self::publish(self.client.clone(), self.session.clone(), rx));
            let session = self.session.clone();
            tokio::spawn(async move { session.run_checks().await });
        }
        if let Some(registration) = self.session.watchers() {
            match self.client.register_capability(vec![registration]).await {
                Ok(()) => self.session.watching(),
                Err(e) => {
                    let message = format!("cannot watch files: {e}");
                    self.client.log_message(MessageType::WARNING, message).await;
                }
            }
        }
    }

    async fn shutdown(&self) -> Result<()> {
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        self.session.did_open(params);
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        self.session.did_change(params);
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        self.session.did_close(params);
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        self.session.did_change_watched_files(params);
    }

    async fn diagnostic(
        &self,
        params: DocumentDiagnosticParams,
    ) -> Result<DocumentDiagnosticReportResult> {
        Ok(self.session.pull_diagnostics(params))
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        Ok(self.session.code_action(params))
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        Ok(self.session.hover(params))
    }

    async fn goto_definition(
        &self,
        params: GotoDefinitionParams,
    ) -> Result<Option<GotoDefinitionResponse>> {
        Ok(self.session.definition(params))
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        Ok(self.session.references(params))
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        Ok(self.session.completion(params))
    }

    async fn document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        Ok(self.session.document_symbols(params))
    }

    async fn prepare_rename(
        &self,
        params: TextDocumentPositionParams,
    ) -> Result<Option<PrepareRenameResponse>> {
        self.session.prepare_rename(params).map_err(failed)
    }

    async fn rename(&self, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
        self.session.rename(params).map_err(failed)
    }
}
