//! `aiblint migrate [DIR]`: plans the migration of a config set (`migrate::plan`), shows it,
//! and writes it as one transaction (`cli/transaction.rs`): backups that are always whole
//! copies, a journal, each file swapped in atomically after checking that it still holds the
//! bytes the plan was made from, a re-check of the result, and every file put back if
//! anything goes wrong, now or, after a crash, at the next run. What it prints is in
//! `report.rs`, its test hooks in `hooks.rs`.

use std::path::{Path, PathBuf};

use clap::Args;
use miette::{miette, Result};
use semver::Version;
use similar::TextDiff;

use super::transaction::{self, Created, Member, Transaction};
use super::{out, EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE};
use crate::diagnostic::{apply_edits, Severity};
use crate::emit;
use crate::lint::LintedFile;
use crate::migrate::{self, MigrationInput};
use crate::model::version::{self, CURRENT};
use crate::model::{FileKind, ReadProblem, SourceFile, MAX_FILE_SIZE};
use crate::workspace::{self, display_path};

mod hooks;
mod report;

use hooks::{hooks_from_env, touch_hook};
use report::{describe, diffs, failure_report, lint_set, plan_error, restore_report};

#[derive(Args, Debug)]
pub(crate) struct MigrateArgs {
    /// Directory of the config set [default: ./config, or . when it holds a config set]
    dir: Option<PathBuf>,
    /// Schema version to migrate to [default: the current schema]
    #[arg(long, value_name = "VERSION")]
    to: Option<String>,
    /// Show the plan (and, with --diff, the changes) without writing anything
    #[arg(long)]
    dry_run: bool,
    /// Print a unified diff of every file that changes
    #[arg(long)]
    diff: bool,
    /// Write nothing; exit with status 1 when a migration is pending (for CI)
    #[arg(long)]
    check: bool,
    /// Do not keep a `<file>.backup-v<from>` copy of each changed file
    #[arg(long)]
    no_backup: bool,
    /// Settings file for the re-check instead of the nearest aiblint.toml
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
}

/// One recognised file of the set, as read.
struct SetFile {
    path: PathBuf,
    shown: String,
    kind: FileKind,
    text: String,
}

pub(super) fn run(args: MigrateArgs) -> Result<u8> {
    let dir = set_dir(args.dir.as_deref())?;
    let target = match &args.to {
        Some(raw) => parse_version(raw)?,
        None => CURRENT,
    };
    let shown_dir = display_path(&dir);
    // Held until the end: two migrations of one directory never interleave.
    let _lock = transaction::lock(&dir).map_err(|e| miette!("cannot migrate {shown_dir}: {e}"))?;
    if dir.join(transaction::JOURNAL).exists() && (args.dry_run || args.check) {
        return Err(miette!(
            help = format!("`aiblint migrate {shown_dir}` puts its files back as they were first"),
            "a migration of {shown_dir} was interrupted: its files may be half migrated"
        ));
    }
    match transaction::recover(&dir) {
        Ok(None) => {}
        Ok(Some(recovery)) => {
            for file in &recovery.removed {
                out(&format!(
                    "removed {file}, which an interrupted migration created\n"
                ));
            }
            for file in &recovery.restored {
                out(&format!(
                    "restored {file} as it was before an interrupted migration\n"
                ));
            }
            if !recovery.problems.is_empty() {
                return Err(miette!(
                    "an interrupted migration of {shown_dir} could not be undone: {}",
                    recovery.problems.join("; ")
                ));
            }
        }
        Err(e) => {
            return Err(miette!(
                "cannot recover an interrupted migration of {shown_dir}: {e}"
            ))
        }
    }
    let files = read_set(&dir)?;
    if !(args.dry_run || args.check) {
        let names: Vec<String> = files
            .iter()
            .filter_map(|f| f.path.file_name().map(|n| n.to_string_lossy().into_owned()))
            .collect();
        transaction::sweep(&dir, &names);
    }
    let inputs: Vec<MigrationInput<'_>> = files
        .iter()
        .map(|f| MigrationInput {
            kind: f.kind,
            text: &f.text,
        })
        .collect();
    let plan = migrate::plan(&inputs, &target).map_err(|e| plan_error(&e, &files, &dir))?;
    if !plan.is_pending() {
        out(&format!(
            "{shown_dir}: already at schema {}, nothing to migrate\n",
            plan.to
        ));
        return Ok(EXIT_OK);
    }
    out(&describe(&plan, &shown_dir));
    let migrated: Vec<(usize, String)> = plan
        .files
        .iter()
        .map(|f| (f.index, apply_edits(&files[f.index].text, &f.edits).0))
        .collect();
    let created: Vec<SetFile> = plan
        .created
        .iter()
        .map(|new| {
            let path = dir.join(new.kind.file_name());
            SetFile {
                shown: display_path(&path),
                path,
                kind: new.kind,
                text: new.text.clone(),
            }
        })
        .collect();
    if args.diff {
        out(&diffs(&files, &migrated));
        for new in &created {
            let text = super::fix::masked(Some(new.kind), &new.text);
            out(&TextDiff::from_lines("", text.as_str())
                .unified_diff()
                .context_radius(3)
                .header("/dev/null", &format!("b/{}", new.shown))
                .to_string());
        }
    }
    let would = |migrated: &[(usize, String)]| {
        for (i, _) in migrated {
            out(&format!("would change {}\n", files[*i].shown));
        }
        for new in &created {
            out(&format!("would create {}\n", new.shown));
        }
    };
    if args.check {
        would(&migrated);
        out(&format!(
            "migration pending: run `aiblint migrate {shown_dir}`\n"
        ));
        return Ok(EXIT_PROBLEMS);
    }
    if args.dry_run {
        would(&migrated);
        out("dry run: nothing written\n");
        return Ok(EXIT_OK);
    }

    let selection = workspace::selection_for(&dir, args.config.as_deref())?;
    let before = lint_set(
        files
            .iter()
            .map(|f| (f, SourceFile::analyze(Some(f.kind), f.text.clone())))
            .collect(),
        &selection,
    );
    let members: Vec<Member> = migrated
        .into_iter()
        .map(|(index, text)| {
            let from = plan
                .files
                .iter()
                .find(|f| f.index == index)
                .map_or_else(|| plan.from.clone(), |f| f.from.clone());
            let file = &files[index];
            Member {
                path: file.path.clone(),
                shown: file.shown.clone(),
                original: file.text.clone().into_bytes(),
                migrated: text.into_bytes(),
                backup_base: format!("{}.backup-v{from}", file.path.display()),
            }
        })
        .collect();
    let new_files: Vec<Created> = created
        .iter()
        .map(|f| Created {
            path: f.path.clone(),
            shown: f.shown.clone(),
            bytes: f.text.clone().into_bytes(),
        })
        .collect();
    touch_hook();
    let mut transaction = match Transaction::begin(&dir, &members, &new_files, hooks_from_env()) {
        Ok(transaction) => transaction,
        Err(failure) => {
            eprintln!("{}", failure_report(&failure, &[], false));
            return Ok(EXIT_USAGE);
        }
    };
    let backups = transaction.backups();
    if let Err(failure) = transaction
        .replace_all()
        .and_then(|()| transaction.create_all())
    {
        let failures = transaction.rollback();
        eprintln!("{}", failure_report(&failure, &failures, true));
        return Ok(EXIT_USAGE);
    }

    // Re-check what is now on disk; a new error undoes the whole migration. Errors in a
    // created file were in the file its settings came from: they are carried over, not new.
    let after = lint_set(
        files
            .iter()
            .chain(&created)
            .map(|f| (f, workspace::read_source(&f.path, Some(f.kind))))
            .collect(),
        &selection,
    );
    let created_paths: Vec<&str> = created.iter().map(|f| f.shown.as_str()).collect();
    let new_errors: Vec<LintedFile> = crate::fix::introduced_errors(&before, &after)
        .into_iter()
        .filter(|f| !created_paths.contains(&f.path.as_str()))
        .collect();
    if !new_errors.is_empty() {
        let count: usize = new_errors.iter().map(|f| f.diagnostics.len()).sum();
        let failures = transaction.rollback();
        out(&emit::render_text(&new_errors, &after, false, false));
        eprintln!(
            "aiblint: migration rolled back: it would introduce {count} new error{} (above); every file of {shown_dir} is restored{}",
            if count == 1 { "" } else { "s" },
            restore_report(&failures)
        );
        return Ok(EXIT_PROBLEMS);
    }

    match transaction.commit(!args.no_backup) {
        Ok(notes) => {
            for note in notes {
                eprintln!("aiblint: {note}");
            }
        }
        Err((failure, failures)) => {
            eprintln!("{}", failure_report(&failure, &failures, true));
            return Ok(EXIT_USAGE);
        }
    }
    for new in &created {
        out(&format!("created {}\n", new.shown));
    }
    for (member, backup) in members.iter().zip(&backups) {
        if args.no_backup {
            out(&format!("wrote {}\n", member.shown));
        } else {
            out(&format!(
                "wrote {} (backup: {})\n",
                member.shown,
                display_path(backup)
            ));
        }
    }
    // A generated file goes stale whenever its sources change: said once, not counted.
    let judges_generated = |d: &crate::diagnostic::Diagnostic| {
        crate::rules::rule_by_code(d.code).is_some_and(|r| r.after_sources)
    };
    let count = |s: Severity| {
        after
            .iter()
            .flat_map(|f| &f.diagnostics)
            .filter(|d| d.severity == s && !judges_generated(d))
            .count()
    };
    let (errors, warnings) = (count(Severity::Error), count(Severity::Warning));
    let stale = after
        .iter()
        .flat_map(|f| &f.diagnostics)
        .any(|d| d.severity == Severity::Error && judges_generated(d));
    if stale {
        out("litellm-unified.yaml no longer matches its sources: run `aiblint generate` to update it.\n");
    }
    let check = if errors > 0 {
        format!("`aiblint check` still reports {errors} error(s) that were there before")
    } else if warnings > 0 {
        format!("`aiblint check`: no errors, {warnings} warning(s)")
    } else {
        "`aiblint check`: no errors".to_string()
    };
    out(&format!(
        "Migrated {} file{} to schema {}; {check}.\n",
        members.len(),
        if members.len() == 1 { "" } else { "s" },
        plan.to
    ));
    Ok(EXIT_OK)
}

fn set_dir(dir: Option<&Path>) -> Result<PathBuf> {
    let dir = match dir {
        Some(dir) => dir.to_path_buf(),
        None => workspace::default_set_dir("migrate")?,
    };
    if dir.is_dir() {
        return Ok(dir);
    }
    if dir.is_file() {
        return Err(miette!(
            help = format!(
                "pass the directory: `aiblint migrate {}`",
                dir.parent()
                    .filter(|p| !p.as_os_str().is_empty())
                    .map_or_else(|| ".".to_string(), display_path)
            ),
            "`aiblint migrate` works on a whole config set, not on one file"
        ));
    }
    Err(miette!(
        help = "pass the directory of the config set: `aiblint migrate path/to/config`",
        "nothing to migrate: there is no directory {}",
        display_path(&dir)
    ))
}

/// `2.0.0`, or a shorter form (`2` or `2.0` → `2.0.0`).
fn parse_version(raw: &str) -> Result<Version> {
    let trimmed = raw.trim().trim_start_matches(['v', 'V']);
    Version::parse(trimmed)
        .or_else(|e| {
            let parts: Vec<&str> = trimmed.split('.').collect();
            let number = |i: usize| parts.get(i).map_or(Ok(0), |p| p.parse::<u64>());
            match (parts.len(), number(0), number(1)) {
                (1 | 2, Ok(major), Ok(minor)) => Ok(Version::new(major, minor, 0)),
                _ => Err(e),
            }
        })
        .map_err(|e| {
            miette!(
                help = known_versions_help(),
                "`--to {raw}` is not a version: {e}"
            )
        })
}

fn known_versions_help() -> String {
    let known: Vec<String> = version::HISTORY
        .iter()
        .map(|v| v.version.to_string())
        .collect();
    format!("known schema versions: {}", known.join(", "))
}

fn read_set(dir: &Path) -> Result<Vec<SetFile>> {
    let found = workspace::list_set(dir)?;
    if found.is_empty() {
        let names: Vec<&str> = FileKind::ALL.iter().map(|k| k.file_name()).collect();
        return Err(miette!(
            help = format!("aiblint looks for {}", names.join(", ")),
            "nothing to migrate: no configuration files in {}",
            display_path(dir)
        ));
    }
    found
        .into_iter()
        .map(|(path, kind)| {
            let shown = display_path(&path);
            let bytes = crate::workspace::read_bounded(&path).map_err(|problem| match problem {
                ReadProblem::TooLarge { size } => miette!(
                    "{shown} is {size} bytes, above the {} bytes aiblint analyses",
                    MAX_FILE_SIZE
                ),
                ReadProblem::Unreadable(e) => miette!("cannot read {shown}: {e}"),
                ReadProblem::InvalidUtf8 { .. } => miette!("cannot read {shown}"),
                ReadProblem::Binary { .. } => miette!("{shown} is not a text file"),
            })?;
            let text = String::from_utf8(bytes).map_err(|e| {
                miette!(
                    help = "`aiblint check` shows where; fix the encoding first",
                    "{shown} is not UTF-8 (first bad byte at offset {})",
                    e.utf8_error().valid_up_to()
                )
            })?;
            Ok(SetFile {
                path,
                shown,
                kind,
                text,
            })
        })
        .collect()
}
