//! What `aiblint migrate` says: plan errors, the plan, its diffs and what went wrong.

use std::path::Path;

use miette::miette;
use similar::TextDiff;

use super::{known_versions_help, SetFile};
use crate::cli::transaction::Failure;
use crate::lint::{self, LintedFile, RuleSelection};
use crate::migrate::{Plan, PlanError};
use crate::model::{SetMember, SourceFile};
use crate::workspace::display_path;

pub(super) fn plan_error(error: &PlanError, files: &[SetFile], dir: &Path) -> miette::Report {
    let shown_dir = display_path(dir);
    let file = error
        .input_index()
        .and_then(|i| files.get(i))
        .map_or_else(|| shown_dir.clone(), |f| f.shown.clone());
    let help = match error {
        PlanError::Downgrade { to, .. } => format!(
            "aiblint migrates forward only; to go back, restore the backup `<file>.backup-v{to}` that `aiblint migrate` kept, or your version control's copy"
        ),
        PlanError::UnknownTarget { .. } => known_versions_help(),
        PlanError::UnsupportedVersion { .. } => {
            "upgrade aiblint to a release that knows this schema version, or correct `schema_version`"
                .to_string()
        }
        PlanError::InvalidVersion { .. } => {
            "write a SemVer version such as `schema_version: \"2.0.0\"`".to_string()
        }
        PlanError::Syntax { .. } => format!(
            "`aiblint check {shown_dir}` shows where; fix it, then migrate"
        ),
        PlanError::NoPath { .. } | PlanError::Unsupported { .. } => {
            "edit the file by hand (`aiblint explain V501` and `V504` say what 2.0.0 needs)"
                .to_string()
        }
        PlanError::Verification { .. } => {
            "nothing was written; please report this with the file attached".to_string()
        }
    };
    miette!(help = help, "cannot migrate {file}: {error}")
}

/// The path, the steps and their notes.
pub(super) fn describe(plan: &Plan, shown_dir: &str) -> String {
    let n = plan.steps.len();
    let mut text = format!(
        "{shown_dir}: {} → {}: {n} step{}\n",
        plan.from,
        plan.to,
        if n == 1 { "" } else { "s" }
    );
    for step in &plan.steps {
        text += &format!(
            "  {} → {} ({}): {}\n",
            step.from, step.to, step.id, step.summary
        );
    }
    for note in &plan.notes {
        text += &format!("  - {note}\n");
    }
    text
}

pub(super) fn diffs(files: &[SetFile], migrated: &[(usize, String)]) -> String {
    let mut text = String::new();
    for (i, new) in migrated {
        let file = &files[*i];
        let (old, new) = (
            crate::cli::fix::masked(Some(file.kind), &file.text),
            crate::cli::fix::masked(Some(file.kind), new),
        );
        text += &TextDiff::from_lines(old.as_str(), new.as_str())
            .unified_diff()
            .context_radius(3)
            .header(&format!("a/{}", file.shown), &format!("b/{}", file.shown))
            .to_string();
    }
    text
}

pub(super) fn lint_set(
    files: Vec<(&SetFile, SourceFile)>,
    selection: &RuleSelection,
) -> Vec<LintedFile> {
    let members = files
        .into_iter()
        .map(|(f, file)| SetMember {
            path: f.shown.clone(),
            file: file.into(),
        })
        .collect();
    lint::check_set(members, selection)
}

/// What went wrong, for stderr: the failure, that nothing changed (after a rollback when
/// `rolled_back`), and any file that could not be put back.
pub(super) fn failure_report(failure: &Failure, failures: &[String], rolled_back: bool) -> String {
    let except = restore_report(failures);
    match failure {
        Failure::ChangedOnDisk { shown, conflict } => format!(
            "aiblint: {shown} changed on disk while migrating; migration abandoned, nothing was changed{except}{}",
            conflict.as_ref().map(|c| format!("; {c}")).unwrap_or_default()
        ),
        Failure::Io { shown, error } if rolled_back => format!(
            "aiblint: cannot write {shown}: {error}; migration rolled back, every file is as it was{except}"
        ),
        Failure::Io { shown, error } => format!(
            "aiblint: cannot back up {shown}: {error}; nothing was changed{except}"
        ),
    }
}

pub(super) fn restore_report(failures: &[String]) -> String {
    if failures.is_empty() {
        String::new()
    } else {
        format!(" except: {}", failures.join("; "))
    }
}
