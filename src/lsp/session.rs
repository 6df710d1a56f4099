//! The server's state and the synchronous work behind every handler: documents are updated
//! under one lock, with no `.await` in between, so edits apply in the order they arrive.
//! Checks are not run per edit: an edit marks its document's set for a re-check, and the
//! checker task ([`Session::run_checks`]) checks what is marked once the edits already queued
//! have been applied, so a burst of edits is checked once, at its newest version. What must
//! reach the client is queued in order for the publisher task. A panic in the analysis is
//! caught here, logged, and the server keeps serving.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};

use tokio::sync::mpsc::UnboundedSender;
use tokio::sync::Notify;
use tower_lsp::lsp_types::*;

use super::actions::{code_actions, ActionRequest};
use super::capabilities::capabilities;
use super::completion::completions;
use super::convert::negotiate;
use super::diagnostics::lsp_diagnostics;
use super::documents::{file_path, DocKey, Documents, Snapshot};
use super::{navigation, outline};
use crate::text::PositionEncoding;

/// What the session asks the publisher task to send, in order.
#[derive(Debug)]
pub(crate) enum Outgoing {
    /// `textDocument/publishDiagnostics`, unless the document has moved past `version`.
    Publish {
        uri: Url,
        version: Option<i32>,
        diagnostics: Vec<Diagnostic>,
    },
    /// `window/logMessage`.
    Log(MessageType, String),
    /// `window/showMessage`: what the user must see (an invalid `aiblint.toml`).
    Show(MessageType, String),
    /// `workspace/diagnostic/refresh`, for clients that pull diagnostics.
    Refresh,
}

/// What the client said it supports.
#[derive(Clone, Copy, Debug, Default)]
struct ClientSupport {
    /// Pull diagnostics (`textDocument/diagnostic`) instead of push: only for a client that
    /// also accepts `workspace/diagnostic/refresh`, without which it would never learn that
    /// an edit of providers.yaml changed the diagnostics of model-mappings.yaml. A client
    /// that pulls without refresh support (Neovim 0.10, 0.11) gets them pushed.
    pull: bool,
    document_changes: bool,
    /// The client applies `CreateFile` operations in a WorkspaceEdit.
    create_files: bool,
    watch_files: bool,
}

/// After an edit, how many times the checker lets other tasks run (so that edits already
/// queued are applied and only the newest version is checked) before it checks anyway.
const MAX_YIELDS_BEFORE_CHECK: usize = 64;

pub(crate) struct Session {
    docs: Mutex<Documents>,
    support: Mutex<ClientSupport>,
    out: UnboundedSender<Outgoing>,
    /// Documents whose sets await a re-check, in the order they were marked.
    pending: Mutex<Vec<Url>>,
    /// Wakes the checker task when `pending` gains an entry.
    wake: Notify,
    /// How many document changes were applied (an edit storm is over when it stands still).
    changes: AtomicU64,
}

impl Session {
    pub(crate) fn new(out: UnboundedSender<Outgoing>) -> Self {
        Session {
            docs: Mutex::new(Documents::new(PositionEncoding::Utf16, None)),
            support: Mutex::new(ClientSupport::default()),
            out,
            pending: Mutex::new(Vec::new()),
            wake: Notify::new(),
            changes: AtomicU64::new(0),
        }
    }

    /// The checker task: re-checks the sets of marked documents, each at the newest version
    /// applied, and queues their diagnostics. Runs until the server stops.
    pub(crate) async fn run_checks(&self) {
        loop {
            self.wake.notified().await;
            for _ in 0..MAX_YIELDS_BEFORE_CHECK {
                let seen = self.changes.load(Ordering::SeqCst);
                tokio::task::yield_now().await;
                if self.changes.load(Ordering::SeqCst) == seen {
                    break;
                }
            }
            let pending = std::mem::take(&mut *self.pending_lock());
            for uri in pending {
                self.recheck(&uri);
            }
        }
    }

    fn pending_lock(&self) -> MutexGuard<'_, Vec<Url>> {
        self.pending.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Marks `uri`'s set for a re-check by the checker task.
    fn schedule(&self, uri: &Url) {
        self.changes.fetch_add(1, Ordering::SeqCst);
        let key = DocKey::of(uri);
        let mut pending = self.pending_lock();
        if !pending.iter().any(|u| DocKey::of(u) == key) {
            pending.push(uri.clone());
        }
        drop(pending);
        self.wake.notify_one();
    }

    fn docs(&self) -> MutexGuard<'_, Documents> {
        self.docs.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn support(&self) -> ClientSupport {
        *self.support.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn log(&self, level: MessageType, message: String) {
        let _ = self.out.send(Outgoing::Log(level, message));
    }

    /// Runs `f` on the documents, catching a panic: it is logged (stderr and
    /// `window/logMessage`), cached analyses are dropped, and `None` is returned.
    pub(crate) fn guarded<T>(&self, what: &str, f: impl FnOnce(&mut Documents) -> T) -> Option<T> {
        let mut docs = self.docs();
        let result = catch_unwind(AssertUnwindSafe(|| f(&mut docs)));
        let messages: Vec<String> = docs.messages.drain(..).collect();
        match result {
            Ok(value) => {
                drop(docs);
                for m in messages {
                    self.log(MessageType::ERROR, m.clone());
                    let _ = self.out.send(Outgoing::Show(MessageType::ERROR, m));
                }
                Some(value)
            }
            Err(panic) => {
                docs.reset_caches();
                drop(docs);
                let reason = panic
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "unknown cause".to_string());
                let message = format!("internal error in {what}: {reason}; the server goes on");
                eprintln!("aiblint lsp: {message}");
                self.log(MessageType::ERROR, message);
                None
            }
        }
    }

    /// The version of an open document.
    pub(crate) fn version(&self, uri: &Url) -> Option<i32> {
        self.docs().get(uri).map(|d| d.version)
    }

    pub(crate) fn initialize(&self, params: &InitializeParams) -> InitializeResult {
        let caps = &params.capabilities;
        let encoding = negotiate(caps);
        let workspace = caps.workspace.as_ref();
        // `workspace.diagnostics` in LSP 3.17; lsp-types 0.94 names the field `diagnostic`,
        // and `compat` copies the client's capability there.
        let refresh = workspace
            .and_then(|w| w.diagnostic.as_ref())
            .and_then(|d| d.refresh_support)
            .unwrap_or(false);
        let support = ClientSupport {
            pull: refresh
                && caps
                    .text_document
                    .as_ref()
                    .is_some_and(|t| t.diagnostic.is_some()),
            document_changes: workspace
                .and_then(|w| w.workspace_edit.as_ref())
                .and_then(|e| e.document_changes)
                .unwrap_or(false),
            create_files: workspace
                .and_then(|w| w.workspace_edit.as_ref())
                .and_then(|e| e.resource_operations.as_ref())
                .is_some_and(|ops| ops.contains(&ResourceOperationKind::Create)),
            watch_files: workspace
                .and_then(|w| w.did_change_watched_files.as_ref())
                .and_then(|d| d.dynamic_registration)
                .unwrap_or(false),
        };
        *self.support.lock().unwrap_or_else(PoisonError::into_inner) = support;
        let root = root_path(params);
        *self.docs() = Documents::new(encoding, root);
        InitializeResult {
            capabilities: capabilities(encoding, support.pull),
            server_info: Some(ServerInfo {
                name: "aiblint".to_string(),
                version: Some(env!("CARGO_PKG_VERSION").to_string()),
            }),
        }
    }

    /// The file watchers to register once initialized, when the client lets the server
    /// register them.
    pub(crate) fn watchers(&self) -> Option<Registration> {
        if !self.support().watch_files {
            return None;
        }
        let watchers = crate::workspace::watched_globs()
            .into_iter()
            .map(|glob| FileSystemWatcher {
                glob_pattern: GlobPattern::String(glob),
                kind: None,
            })
            .collect();
        let options = DidChangeWatchedFilesRegistrationOptions { watchers };
        Some(Registration {
            id: "aiblint-watched-files".to_string(),
            method: "workspace/didChangeWatchedFiles".to_string(),
            register_options: serde_json::to_value(options).ok(),
        })
    }

    /// The client registered the file watchers: changes on disk will be reported, so what
    /// was read from disk can be kept until then.
    pub(crate) fn watching(&self) {
        self.guarded("watchers", |docs| docs.disk.set_watched(true));
    }

    pub(crate) fn did_open(&self, params: DidOpenTextDocumentParams) {
        let doc = params.text_document;
        let uri = doc.uri.clone();
        self.guarded("didOpen", |docs| docs.open(doc.uri, doc.version, doc.text));
        self.schedule(&uri);
    }

    pub(crate) fn did_change(&self, params: DidChangeTextDocumentParams) {
        let uri = params.text_document.uri;
        let version = params.text_document.version;
        let result = self.guarded("didChange", |docs| {
            docs.change(&uri, version, params.content_changes)
        });
        match result {
            Some(Ok(())) => self.schedule(&uri),
            Some(Err(message)) => self.log(MessageType::WARNING, message),
            None => {}
        }
    }

    pub(crate) fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        self.guarded("didClose", |docs| docs.close(&uri));
        if !self.support().pull {
            let _ = self.out.send(Outgoing::Publish {
                uri: uri.clone(),
                version: None,
                diagnostics: Vec::new(),
            });
        }
        self.schedule(&uri);
    }

    pub(crate) fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        for change in params.changes {
            let Some(path) = file_path(&change.uri) else {
                continue;
            };
            self.guarded("didChangeWatchedFiles", |docs| {
                docs.disk_changed(&change.uri)
            });
            if path.file_name().is_some_and(|n| n == "aiblint.toml") {
                let all = self.guarded("recheck", |docs| docs.open_uris());
                for uri in all.unwrap_or_default() {
                    self.schedule(&uri);
                }
            } else {
                self.schedule(&change.uri);
            }
        }
    }

    /// Re-checks the open documents of `uri`'s config set and queues their diagnostics (or,
    /// for a client that pulls, asks it to pull again when other documents are affected).
    fn recheck(&self, uri: &Url) {
        let support = self.support();
        let key = DocKey::of(uri);
        let published = self.guarded("diagnostics", |docs| {
            let affected = docs.affected_by(uri);
            if support.pull {
                return affected.iter().any(|u| DocKey::of(u) != key);
            }
            let mut done: Vec<DocKey> = Vec::new();
            for target in affected {
                if done.contains(&DocKey::of(&target)) {
                    continue;
                }
                let Some(snapshot) = docs.snapshot(&target) else {
                    continue;
                };
                for (index, member) in snapshot.members.iter().enumerate() {
                    if member.version.is_none() || done.contains(&member.key) {
                        continue;
                    }
                    done.push(member.key.clone());
                    let _ = self.out.send(Outgoing::Publish {
                        uri: member.uri.clone(),
                        version: member.version,
                        diagnostics: lsp_diagnostics(&snapshot, index),
                    });
                }
            }
            false
        });
        if published == Some(true) {
            let _ = self.out.send(Outgoing::Refresh);
        }
    }

    /// The snapshot of an open document and its member index, for a request.
    fn with_snapshot<T>(
        &self,
        what: &str,
        uri: &Url,
        f: impl FnOnce(&Snapshot, usize) -> T,
    ) -> Option<T> {
        self.guarded(what, |docs| {
            let snapshot = docs.snapshot(uri)?;
            let index = snapshot.index_of(uri)?;
            Some(f(&snapshot, index))
        })
        .flatten()
    }

    /// The snapshot, member index and byte offset of a position in an open document.
    fn at<T>(
        &self,
        what: &str,
        pos: &TextDocumentPositionParams,
        f: impl FnOnce(&Snapshot, usize, usize) -> T,
    ) -> Option<T> {
        self.with_snapshot(what, &pos.text_document.uri, |snapshot, index| {
            let offset = snapshot.lines(index)?.offset(pos.position);
            Some(f(snapshot, index, offset))
        })
        .flatten()
    }

    pub(crate) fn hover(&self, params: HoverParams) -> Option<Hover> {
        let pos = params.text_document_position_params;
        self.at("hover", &pos, |snapshot, index, offset| {
            let (text, range) = navigation::hover(snapshot, index, offset)?;
            Some(Hover {
                contents: HoverContents::Markup(MarkupContent {
                    kind: MarkupKind::Markdown,
                    value: text,
                }),
                range: snapshot.lines(index).map(|l| l.range(range)),
            })
        })
        .flatten()
    }

    pub(crate) fn definition(
        &self,
        params: GotoDefinitionParams,
    ) -> Option<GotoDefinitionResponse> {
        let pos = params.text_document_position_params;
        let locations = self.at("definition", &pos, navigation::definition)?;
        match locations.len() {
            0 => None,
            1 => locations
                .into_iter()
                .next()
                .map(GotoDefinitionResponse::Scalar),
            _ => Some(GotoDefinitionResponse::Array(locations)),
        }
    }

    pub(crate) fn references(&self, params: ReferenceParams) -> Option<Vec<Location>> {
        let include = params.context.include_declaration;
        let pos = params.text_document_position;
        self.at("references", &pos, |s, i, o| {
            navigation::references(s, i, o, include)
        })
    }

    pub(crate) fn completion(&self, params: CompletionParams) -> Option<CompletionResponse> {
        let pos = params.text_document_position;
        let items = self.at("completion", &pos, completions)?;
        Some(CompletionResponse::Array(items))
    }

    pub(crate) fn document_symbols(
        &self,
        params: DocumentSymbolParams,
    ) -> Option<DocumentSymbolResponse> {
        let uri = params.text_document.uri;
        let symbols = self.with_snapshot("documentSymbol", &uri, outline::document_symbols)?;
        Some(DocumentSymbolResponse::Nested(symbols))
    }

    pub(crate) fn prepare_rename(
        &self,
        params: TextDocumentPositionParams,
    ) -> Result<Option<PrepareRenameResponse>, String> {
        let found = self.at("prepareRename", &params, navigation::prepare_rename);
        match found {
            None => Ok(None),
            Some(Err(message)) => Err(message),
            Some(Ok((range, placeholder))) => {
                Ok(Some(PrepareRenameResponse::RangeWithPlaceholder {
                    range,
                    placeholder,
                }))
            }
        }
    }

    pub(crate) fn rename(&self, params: RenameParams) -> Result<Option<WorkspaceEdit>, String> {
        let changes = self.support().document_changes;
        let name = params.new_name;
        let pos = params.text_document_position;
        let edit = self.at("rename", &pos, |s, i, o| {
            navigation::rename(s, i, o, &name, changes)
        });
        edit.transpose().map_err(|e| e.to_string())
    }

    pub(crate) fn code_action(&self, params: CodeActionParams) -> Option<CodeActionResponse> {
        let support = self.support();
        let uri = params.text_document.uri;
        self.with_snapshot("codeAction", &uri, |snapshot, index| {
            let request = ActionRequest {
                snapshot,
                index,
                diagnostics: &params.context.diagnostics,
                only: params.context.only.as_deref(),
                document_changes: support.document_changes,
                create_files: support.document_changes && support.create_files,
            };
            code_actions(&request)
        })
    }

    /// `textDocument/diagnostic`: the full report of an open document; an empty one for a
    /// document the server does not have.
    pub(crate) fn pull_diagnostics(
        &self,
        params: DocumentDiagnosticParams,
    ) -> DocumentDiagnosticReportResult {
        let uri = params.text_document.uri;
        let items = self
            .with_snapshot("diagnostic", &uri, lsp_diagnostics)
            .unwrap_or_default();
        DocumentDiagnosticReportResult::Report(DocumentDiagnosticReport::Full(
            RelatedFullDocumentDiagnosticReport {
                related_documents: None,
                full_document_diagnostic_report: FullDocumentDiagnosticReport {
                    result_id: None,
                    items,
                },
            },
        ))
    }

    /// How many config set checks and disk reads the server made (`aiblint/stats`).
    pub(crate) fn stats(&self) -> (u64, u64) {
        let docs = self.docs();
        (docs.checks, docs.disk.reads())
    }

    /// The server's text and version of an open document (`aiblint/documentText`).
    pub(crate) fn document_text(&self, uri: &Url) -> Option<(i32, String)> {
        self.guarded("documentText", |docs| {
            docs.get(uri).map(|d| (d.version, d.text.clone()))
        })
        .flatten()
    }
}

fn root_path(params: &InitializeParams) -> Option<PathBuf> {
    let folder = params
        .workspace_folders
        .as_ref()
        .and_then(|f| f.first())
        .map(|f| &f.uri);
    #[allow(deprecated)] // `root_uri` is deprecated in favour of folders, but still sent.
    let uri = folder.or(params.root_uri.as_ref())?;
    file_path(uri)
}

#[cfg(test)]
mod tests;
