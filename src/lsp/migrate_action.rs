//! "Migrate config set to schema 2.0.0" in the editor: the edits `aiblint migrate` would
//! write, offered only when the CLI's checks would keep them, as a quick fix on the
//! diagnostics a migration resolves and as a source action.

use tower_lsp::lsp_types::{
    self as lsp, CodeAction, CodeActionKind, CreateFile, CreateFileOptions,
    DocumentChangeOperation, DocumentChanges, OneOf, OptionalVersionedTextDocumentIdentifier,
    Position, Range, ResourceOp, TextDocumentEdit, TextEdit, Url, WorkspaceEdit,
};

use super::actions::{set_edit, ActionRequest, MIGRATE};
use super::diagnostics::SOURCE;
use super::documents::Snapshot;
use crate::diagnostic::apply_edits;
use crate::fix;
use crate::lint::LintedFile;
use crate::migrate::{self, MigrationInput};
use crate::model::version;
use crate::model::{SetMember, SourceFile};

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
            file: SourceFile::analyze(Some(new.kind), new.text.clone()).into(),
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
pub(super) fn migrate_quick_fix(req: &ActionRequest<'_>) -> Option<CodeAction> {
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
pub(super) fn migrate_source_action(req: &ActionRequest<'_>) -> Option<CodeAction> {
    let file = req.snapshot.file(req.index)?;
    if !file.version.as_ref().is_some_and(|v| v.is_legacy()) {
        return None;
    }
    migration(req, CodeActionKind::new(MIGRATE))
}
