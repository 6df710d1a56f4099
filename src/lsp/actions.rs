//! Code actions, as ruff does them: each published diagnostic carries its fix in `data`,
//! and `textDocument/codeAction` turns it back into a `quickfix`; `source.fixAll.aiblint`
//! applies every safe fix of the document. Every action's edit goes through one
//! WorkspaceEdit builder over the set's files ([`set_edit`]), which a set-wide action such as
//! a schema migration reuses as is.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use tower_lsp::lsp_types::{
    self as lsp, CodeAction, CodeActionKind, CodeActionOrCommand, DocumentChanges, OneOf,
    OptionalVersionedTextDocumentIdentifier, TextDocumentEdit, TextEdit, Url, WorkspaceEdit,
};

use super::convert::Lines;
use super::diagnostics::SOURCE;
use super::documents::Snapshot;
use crate::diagnostic::{Applicability, Diagnostic, Edit};
use crate::fix::{self, FixMode};
use crate::lint::LintedFile;
use crate::model::{SetMember, SourceFile};

use super::migrate_action::{migrate_quick_fix, migrate_source_action};

/// The kind of the fix-all action (a sub-kind of `source.fixAll`, so that editors' "fix all
/// on save" settings pick it up).
pub(crate) const FIX_ALL: &str = "source.fixAll.aiblint";

/// The kind of the "Migrate config set to schema 2.0.0" source action.
pub(crate) const MIGRATE: &str = "source.migrate.aiblint";

/// What a published diagnostic carries in `data`: its fix as byte edits into the text of
/// `version`, the version it was computed from.
#[derive(Debug, Serialize, Deserialize, PartialEq)]
pub(crate) struct FixData {
    pub version: Option<i32>,
    pub title: String,
    pub safe: bool,
    pub edits: Vec<DataEdit>,
}

#[derive(Debug, Serialize, Deserialize, PartialEq)]
pub(crate) struct DataEdit {
    pub start: u32,
    pub end: u32,
    pub text: String,
}

/// The `data` of a diagnostic with an applicable fix, its edits in the line ending of
/// `text` (the text the diagnostic was found in), as `aiblint check --fix` writes them.
pub(crate) fn fix_data(
    d: &Diagnostic,
    text: &str,
    version: Option<i32>,
) -> Option<serde_json::Value> {
    let fix = d.fix.as_ref()?;
    if fix.applicability == Applicability::DisplayOnly || fix.edits.is_empty() {
        return None;
    }
    let data = FixData {
        version,
        title: fix.title.clone(),
        safe: fix.applicability == Applicability::Safe,
        edits: fix::edits_for(text, &[fix])
            .into_iter()
            .map(|e| DataEdit {
                start: e.range.start,
                end: e.range.end,
                text: e.replacement,
            })
            .collect(),
    };
    serde_json::to_value(data).ok()
}

/// One file's part of a WorkspaceEdit: byte edits into the text `lines` shows.
pub(crate) struct FileEdits<'a> {
    pub uri: &'a Url,
    /// The open buffer's version, or `None` for a file read from disk.
    pub version: Option<i32>,
    pub lines: Lines<'a>,
    pub edits: Vec<Edit>,
}

/// Builds a WorkspaceEdit from per-file byte edits. Each file's edits are sorted; one that
/// overlaps an earlier edit or falls outside the text is dropped (as
/// `diagnostic::apply_edits` does). With `document_changes` (when the client supports it)
/// each file's edit names the version it applies to.
pub(crate) fn workspace_edit(files: Vec<FileEdits<'_>>, document_changes: bool) -> WorkspaceEdit {
    let mut per_file: Vec<(&Url, Option<i32>, Vec<TextEdit>)> = Vec::new();
    for file in files {
        let mut edits = file.edits;
        edits.sort_by_key(|e| (e.range.start, e.range.end));
        let len = file.lines.text_len();
        let mut cursor = 0u32;
        let mut text_edits = Vec::new();
        for edit in edits {
            if edit.range.start < cursor || edit.range.end as usize > len {
                continue;
            }
            cursor = edit.range.end;
            text_edits.push(TextEdit::new(
                file.lines.range(edit.range),
                edit.replacement,
            ));
        }
        if !text_edits.is_empty() {
            per_file.push((file.uri, file.version, text_edits));
        }
    }
    if document_changes {
        let edits = per_file
            .into_iter()
            .map(|(uri, version, edits)| TextDocumentEdit {
                text_document: OptionalVersionedTextDocumentIdentifier {
                    uri: uri.clone(),
                    version,
                },
                edits: edits.into_iter().map(OneOf::Left).collect(),
            })
            .collect();
        return WorkspaceEdit {
            document_changes: Some(DocumentChanges::Edits(edits)),
            ..WorkspaceEdit::default()
        };
    }
    let changes: HashMap<Url, Vec<TextEdit>> = per_file
        .into_iter()
        .map(|(uri, _, edits)| (uri.clone(), edits))
        .collect();
    WorkspaceEdit {
        changes: Some(changes),
        ..WorkspaceEdit::default()
    }
}

/// A WorkspaceEdit over the files of a checked set: `per_member` pairs a member index of
/// `snapshot` with byte edits into that member's text. Open buffers are versioned, files
/// read from disk are not. Quick fixes, fix-all, rename and the "Migrate config set to
/// schema 2.0.0" action (per-file edits of the set's plan) go through here.
pub(crate) fn set_edit(
    snapshot: &Snapshot,
    per_member: Vec<(usize, Vec<Edit>)>,
    document_changes: bool,
) -> WorkspaceEdit {
    let files = per_member
        .into_iter()
        .filter_map(|(index, edits)| {
            Some(FileEdits {
                uri: &snapshot.members.get(index)?.uri,
                version: snapshot.members.get(index)?.version,
                lines: snapshot.lines(index)?,
                edits,
            })
        })
        .collect();
    workspace_edit(files, document_changes)
}

/// A `textDocument/codeAction` request on member `index` of a snapshot taken at the
/// document's current version.
pub(crate) struct ActionRequest<'a> {
    pub snapshot: &'a Snapshot,
    pub index: usize,
    /// The diagnostics the client sent as context.
    pub diagnostics: &'a [lsp::Diagnostic],
    /// The kinds the client asked for, if it restricted them.
    pub only: Option<&'a [CodeActionKind]>,
    pub document_changes: bool,
    /// The client applies `CreateFile` operations (the migration may create a file).
    pub create_files: bool,
}

/// Every action for a request: quick fixes of the diagnostics in context (the schema
/// migration among them, on version diagnostics), fix-all, then the migration as a source
/// action in a 1.x file.
pub(crate) fn code_actions(req: &ActionRequest<'_>) -> Vec<CodeActionOrCommand> {
    let mut actions = Vec::new();
    if wants(req.only, &CodeActionKind::QUICKFIX) {
        actions.extend(quick_fixes(req));
        actions.extend(migrate_quick_fix(req));
    }
    if wants(req.only, &CodeActionKind::new(FIX_ALL)) {
        actions.extend(fix_all(req));
    }
    if wants(req.only, &CodeActionKind::new(MIGRATE)) {
        actions.extend(migrate_source_action(req));
    }
    actions
        .into_iter()
        .map(CodeActionOrCommand::CodeAction)
        .collect()
}

/// Whether a client restricting actions to `only` wants actions of `kind`.
fn wants(only: Option<&[CodeActionKind]>, kind: &CodeActionKind) -> bool {
    let Some(only) = only else {
        return true;
    };
    only.iter().any(|k| {
        let (k, kind) = (k.as_str(), kind.as_str());
        kind == k
            || kind
                .strip_prefix(k)
                .is_some_and(|rest| rest.starts_with('.'))
    })
}

/// One `quickfix` per diagnostic in context that has a fix computed from the current
/// version of the document (a fix computed from an older text is not offered), made by the
/// fix core as `aiblint check --fix` applies it (`fix::single_fix`): offered only when
/// applying it brings no new error.
fn quick_fixes(req: &ActionRequest<'_>) -> Vec<CodeAction> {
    let current = req.snapshot.members.get(req.index).and_then(|m| m.version);
    let found: Vec<(&lsp::Diagnostic, &Diagnostic)> = req
        .diagnostics
        .iter()
        .filter(|d| d.source.as_deref() == Some(SOURCE))
        .filter_map(|d| Some((d, fixed_diagnostic(req, d, current)?)))
        .collect();
    if found.is_empty() {
        return Vec::new();
    }
    let before: Vec<LintedFile> = strict_members(req.snapshot)
        .into_iter()
        .zip(&req.snapshot.diagnostics)
        .map(|(m, diagnostics)| LintedFile {
            path: m.path,
            file: m.file,
            diagnostics: diagnostics.clone(),
        })
        .collect();
    let mut out = Vec::new();
    for (published, diagnostic) in found {
        let Some(fix) = &diagnostic.fix else { continue };
        let Some(edits) = fix::single_fix(&before, req.index, diagnostic, &req.snapshot.selection)
        else {
            continue;
        };
        let safe = fix.applicability == Applicability::Safe;
        out.push(CodeAction {
            title: fix.title.clone(),
            kind: Some(CodeActionKind::QUICKFIX),
            diagnostics: Some(vec![published.clone()]),
            edit: Some(set_edit(
                req.snapshot,
                vec![(req.index, edits)],
                req.document_changes,
            )),
            // Preferred fixes may be applied without a look (VS Code's "auto fix"): only
            // safe ones are. A did-you-mean is a guess.
            is_preferred: safe.then_some(true),
            ..CodeAction::default()
        });
    }
    out
}

/// The snapshot's diagnostic a published one stands for, when it has a fix and was computed
/// from the current version of the document: the one whose fix is the one in the `data` the
/// client sent back (title and byte edits; the range is not compared, since clients convert
/// it back from their own columns, Neovim 0.7 in bytes), or, without `data`, the one with
/// the same code and range.
fn fixed_diagnostic<'a>(
    req: &ActionRequest<'a>,
    published: &lsp::Diagnostic,
    current: Option<i32>,
) -> Option<&'a Diagnostic> {
    let code = match &published.code {
        Some(lsp::NumberOrString::String(code)) => code.as_str(),
        _ => return None,
    };
    let lines = req.snapshot.lines(req.index)?;
    let mut candidates = req
        .snapshot
        .diagnostics
        .get(req.index)?
        .iter()
        .filter(|d| d.code == code && d.fix.is_some());
    let Some(data) = &published.data else {
        return candidates.find(|d| lines.range(d.primary.range) == published.range);
    };
    let sent: FixData = serde_json::from_value(data.clone()).ok()?;
    if sent.version != current {
        return None;
    }
    candidates.find(|d| {
        fix_data(d, lines.text(), current)
            .and_then(|value| serde_json::from_value::<FixData>(value).ok())
            .is_some_and(|ours| ours == sent)
    })
}

/// The members of a snapshot's set as its diagnostics were computed: the snapshot's set
/// keeps what parsed of a file with a syntax error, the strict set does not.
fn strict_members(snapshot: &Snapshot) -> Vec<SetMember> {
    snapshot
        .set
        .members
        .iter()
        .map(|m| SetMember {
            path: m.path.clone(),
            file: match m.file.read_problem {
                Some(_) => m.file.clone(),
                None if m.file.parse.is_complete() => m.file.clone(),
                None => SourceFile::analyze(m.file.kind, m.file.text.clone()).into(),
            },
        })
        .collect()
}

/// `source.fixAll.aiblint`: the safe fixes of the document, as `aiblint check --fix` applies
/// them (`crate::fix`: pass after pass, none that brings an error), in one edit. No action
/// when there is nothing safe to apply.
fn fix_all(req: &ActionRequest<'_>) -> Option<CodeAction> {
    let diagnostics = req.snapshot.diagnostics.get(req.index)?;
    if fix::compatible_fixes(diagnostics, FixMode::Safe).is_empty() {
        return None;
    }
    let members = strict_members(req.snapshot);
    let outcome = fix::fix_set(members, &req.snapshot.selection, FixMode::Safe, |i| {
        i == req.index
    });
    let (_, original, fixed) = outcome.changed().next()?;
    let edit = fix::replacement_edit(original, &fixed.file.text);
    Some(CodeAction {
        title: "Fix all safe problems (aiblint)".to_string(),
        kind: Some(CodeActionKind::new(FIX_ALL)),
        edit: Some(set_edit(
            req.snapshot,
            vec![(req.index, vec![edit])],
            req.document_changes,
        )),
        ..CodeAction::default()
    })
}

#[cfg(test)]
mod tests;
