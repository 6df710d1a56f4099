//! Code actions, as ruff does them: each published diagnostic carries its fix in `data`,
//! and `textDocument/codeAction` turns it back into a `quickfix`; `source.fixAll.aiblint`
//! applies every safe fix of the document. Every action's edit goes through one
//! WorkspaceEdit builder over the set's files ([`set_edit`]), which a set-wide action such as
//! a schema migration reuses as is.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use tower_lsp::lsp_types::{
    self as lsp, CodeAction, CodeActionKind, CodeActionOrCommand, CreateFile, CreateFileOptions,
    DocumentChangeOperation, DocumentChanges, OneOf, OptionalVersionedTextDocumentIdentifier,
    Position, Range, ResourceOp, TextDocumentEdit, TextEdit, Url, WorkspaceEdit,
};

use super::convert::Lines;
use super::diagnostics::SOURCE;
use super::documents::Snapshot;
use crate::diagnostic::{apply_edits, Applicability, Diagnostic, Edit};
use crate::fix::{self, FixMode};
use crate::lint::LintedFile;
use crate::migrate::{self, MigrationInput};
use crate::model::version;
use crate::model::{SetMember, SourceFile};

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
                None => SourceFile::analyze(m.file.kind, m.file.text.clone()),
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

/// "Migrate config set to schema N" as a WorkspaceEdit over every file of the set that the
/// migration changes: the edits of `migrate::plan`, the same that `aiblint migrate` writes.
/// `None` when the set is current, or cannot be migrated (a file that does not parse).
fn migration(req: &ActionRequest<'_>, kind: CodeActionKind) -> Option<CodeAction> {
    // Plan inputs, and the member each one is.
    let (members, inputs): (Vec<usize>, Vec<MigrationInput<'_>>) = req
        .snapshot
        .set
        .members
        .iter()
        .enumerate()
        .filter_map(|(i, m)| {
            let input = MigrationInput {
                kind: m.file.kind?,
                text: m.file.text.as_str(),
            };
            Some((i, input))
        })
        .unzip();
    let plan = migrate::plan(&inputs, &version::CURRENT).ok()?;
    if !plan.is_pending() || !migration_is_sound(req.snapshot, &members, &plan) {
        return None;
    }
    let per_member = plan
        .files
        .into_iter()
        .filter_map(|f| Some((*members.get(f.index)?, f.edits)))
        .collect();
    let mut edit = set_edit(req.snapshot, per_member, req.document_changes);
    let mut title = format!("Migrate config set to schema {}", plan.to);
    if !plan.created.is_empty() {
        let dir = req.snapshot.members.first().map(|m| m.uri.clone());
        match (req.create_files, dir) {
            (true, Some(dir)) => add_created_files(&mut edit, &dir, &plan.created),
            _ => {
                let names: Vec<&str> = plan.created.iter().map(|f| f.kind.file_name()).collect();
                title += &format!(
                    " (run `aiblint migrate` to also create {})",
                    names.join(", ")
                );
            }
        }
    }
    Some(CodeAction {
        title,
        kind: Some(kind),
        edit: Some(edit),
        ..CodeAction::default()
    })
}

/// Whether the migrated set has no error the set did not have: the check `aiblint migrate`
/// makes before it keeps what it wrote (`fix::edit_errors`), so that the editor never offers
/// a migration the command would roll back.
fn migration_is_sound(snapshot: &Snapshot, members: &[usize], plan: &migrate::Plan) -> bool {
    let before: Vec<LintedFile> = snapshot
        .set
        .members
        .iter()
        .zip(&snapshot.diagnostics)
        .map(|(m, diagnostics)| LintedFile {
            path: m.path.clone(),
            file: m.file.clone(),
            diagnostics: diagnostics.clone(),
        })
        .collect();
    let texts: Vec<(usize, String)> = plan
        .files
        .iter()
        .filter_map(|f| {
            let index = *members.get(f.index)?;
            let text = &snapshot.set.members.get(index)?.file.text;
            Some((index, apply_edits(text, &f.edits).0))
        })
        .collect();
    let dir = snapshot.set.members.first().and_then(|m| {
        m.path
            .rsplit_once(['/', '\\'])
            .map(|(dir, _)| dir.to_string())
    });
    let created = plan
        .created
        .iter()
        .map(|new| SetMember {
            path: match &dir {
                Some(dir) => format!("{dir}/{}", new.kind.file_name()),
                None => new.kind.file_name().to_string(),
            },
            file: SourceFile::analyze(Some(new.kind), new.text.clone()),
        })
        .collect();
    fix::edit_errors(&before, &texts, created, &snapshot.selection).is_empty()
}

/// Adds to `edit` the creation of each new file beside `sibling` (a file of the set), with
/// its text: `aiblint migrate`'s new files, as resource operations. The client must support
/// `documentChanges` and the `create` resource operation.
fn add_created_files(edit: &mut WorkspaceEdit, sibling: &Url, created: &[migrate::NewFile]) {
    let mut operations: Vec<DocumentChangeOperation> = match edit.document_changes.take() {
        Some(DocumentChanges::Edits(edits)) => edits
            .into_iter()
            .map(DocumentChangeOperation::Edit)
            .collect(),
        Some(DocumentChanges::Operations(ops)) => ops,
        None => Vec::new(),
    };
    for file in created {
        let Ok(uri) = sibling.join(file.kind.file_name()) else {
            continue;
        };
        operations.push(DocumentChangeOperation::Op(ResourceOp::Create(
            CreateFile {
                uri: uri.clone(),
                options: Some(CreateFileOptions {
                    overwrite: Some(false),
                    ignore_if_exists: Some(false),
                }),
                annotation_id: None,
            },
        )));
        operations.push(DocumentChangeOperation::Edit(TextDocumentEdit {
            text_document: OptionalVersionedTextDocumentIdentifier { uri, version: None },
            edits: vec![OneOf::Left(TextEdit::new(
                Range::new(Position::new(0, 0), Position::new(0, 0)),
                file.text.clone(),
            ))],
        }));
    }
    edit.document_changes = Some(DocumentChanges::Operations(operations));
}

/// The diagnostics that the migration resolves, as their rules declare
/// (`RuleMeta::migration_resolves`).
fn migration_resolves(code: &str) -> bool {
    crate::rules::rule_by_code(code).is_some_and(|r| r.migration_resolves)
}

/// The migration as a quick fix of the diagnostics in context that it resolves. None when
/// the set has nothing to migrate (L307 in a 2.x file is for the user to decide).
fn migrate_quick_fix(req: &ActionRequest<'_>) -> Option<CodeAction> {
    let version_diagnostics: Vec<lsp::Diagnostic> = req
        .diagnostics
        .iter()
        .filter(|d| d.source.as_deref() == Some(SOURCE))
        .filter(
            |d| matches!(&d.code, Some(lsp::NumberOrString::String(c)) if migration_resolves(c)),
        )
        .cloned()
        .collect();
    if version_diagnostics.is_empty() {
        return None;
    }
    let mut action = migration(req, CodeActionKind::QUICKFIX)?;
    action.diagnostics = Some(version_diagnostics);
    Some(action)
}

/// The migration as a source action, anywhere in a file of schema 1.x.
fn migrate_source_action(req: &ActionRequest<'_>) -> Option<CodeAction> {
    let file = req.snapshot.file(req.index)?;
    if !file.version.as_ref().is_some_and(|v| v.is_legacy()) {
        return None;
    }
    migration(req, CodeActionKind::new(MIGRATE))
}

#[cfg(test)]
mod tests;
