//! `aiblint migrate [DIR]`: plans the migration of a config set (`migrate::plan`), shows it,
//! and writes it as one transaction: each file atomically (`atomic::atomic_write_with`: temp
//! file in the same directory, fsync, rename; permissions, owner and symlinks kept), a backup
//! `<file>.backup-v<from>` created with the original's mode that never overwrites another, a
//! re-check of the result, and every file restored if anything goes wrong.
//!
//! Each file is re-read just before it is replaced: if it no longer holds the bytes the plan
//! was made from (someone edited it meanwhile), the transaction is abandoned and the files
//! already written are put back, so a concurrent edit is never overwritten. A rollback, in
//! turn, puts a file back only if it still holds what the migration wrote.
//!
//! Test hooks, read only here and not user features: `AIBLINT_FAIL_WRITE_AFTER=N` makes the
//! write of the (N+1)th changed file fail after its temp file is written, so tests can prove
//! the rollback; `AIBLINT_TOUCH_BEFORE_WRITE=<path>` appends a line to `<path>` after the
//! plan is made and before anything is written, standing in for a concurrent edit.
//!
//! The file is long because the backups and the rollback belong with the one command that
//! needs them; the atomic writer itself is shared with `aiblint generate` (`cli/atomic.rs`).

use std::fs::{self, File, OpenOptions, Permissions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use clap::Args;
use miette::{miette, Result};
use semver::Version;
use similar::TextDiff;

use super::atomic;
use super::check::{display_path, recognised_files, settings_for};
use super::{out, EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE};
use crate::diagnostic::{apply_edits, Severity};
use crate::emit::{self, OutputFormat};
use crate::lint::{self, LintedFile, RuleSelection};
use crate::migrate::{self, MigrationInput, Plan, PlanError};
use crate::model::version::{self, CURRENT};
use crate::model::{FileKind, ReadProblem, SetMember, SourceFile, MAX_FILE_SIZE};

/// The test hooks' environment variables (see the module docs).
const FAIL_WRITE_AFTER: &str = "AIBLINT_FAIL_WRITE_AFTER";
const TOUCH_BEFORE_WRITE: &str = "AIBLINT_TOUCH_BEFORE_WRITE";

#[derive(Args, Debug)]
pub(crate) struct MigrateArgs {
    /// Directory of the config set [default: ./config]
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
    let files = read_set(&dir)?;
    let inputs: Vec<MigrationInput<'_>> = files
        .iter()
        .map(|f| MigrationInput {
            kind: f.kind,
            text: &f.text,
        })
        .collect();
    let plan = migrate::plan(&inputs, &target).map_err(|e| plan_error(&e, &files, &dir))?;
    let shown_dir = display_path(&dir);
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
            out(&TextDiff::from_lines("", new.text.as_str())
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

    let selection = settings_for(&dir, args.config.as_deref())?;
    let before = lint_set(
        files
            .iter()
            .map(|f| (f, SourceFile::analyze(Some(f.kind), f.text.clone())))
            .collect(),
        &selection,
    );
    let changes = migrated
        .into_iter()
        .map(|(index, text)| {
            let from = plan
                .files
                .iter()
                .find(|f| f.index == index)
                .map_or_else(|| plan.from.clone(), |f| f.from.clone());
            Change::new(&files[index], text, from)
        })
        .collect::<io::Result<Vec<_>>>()
        .map_err(|e| miette!("cannot migrate {shown_dir}: {e}"))?;
    touch_hook();
    let mut hook = FailHook::from_env();
    let backups = match commit(&changes, !args.no_backup, &mut hook) {
        Ok(backups) => backups,
        Err(report) => {
            eprintln!("{report}");
            return Ok(EXIT_USAGE);
        }
    };

    let made = match create_files(&created) {
        Ok(made) => made,
        Err(e) => {
            let failures = restore(&changes, &backups, None);
            eprintln!(
                "aiblint: migration rolled back: {e}; every file of {shown_dir} is restored{}",
                restore_report(&failures)
            );
            return Ok(EXIT_USAGE);
        }
    };

    // Re-check what is now on disk; a new error undoes the whole migration. Errors in a
    // created file were in the file its settings came from: they are carried over, not new.
    let after = lint_set(
        files
            .iter()
            .chain(&created)
            .map(|f| {
                (f, crate::read::read_source(&f.path, Some(f.kind)))
            })
            .collect(),
        &selection,
    );
    let created_paths: Vec<&str> = created.iter().map(|f| f.shown.as_str()).collect();
    let new_errors: Vec<LintedFile> = introduced_errors(&before, &after)
        .into_iter()
        .filter(|f| !created_paths.contains(&f.path.as_str()))
        .collect();
    if !new_errors.is_empty() {
        let count: usize = new_errors.iter().map(|f| f.diagnostics.len()).sum();
        let failures = restore(&changes, &backups, None);
        for path in &made {
            let _ = fs::remove_file(path);
        }
        out(&emit::render(&new_errors, OutputFormat::Full, false));
        eprintln!(
            "aiblint: migration rolled back: it would introduce {count} new error{} (above); every file of {shown_dir} is restored{}",
            if count == 1 { "" } else { "s" },
            restore_report(&failures)
        );
        return Ok(EXIT_PROBLEMS);
    }

    for new in &created {
        out(&format!("created {}\n", new.shown));
    }
    for (change, backup) in changes.iter().zip(&backups) {
        match backup {
            Some(b) => out(&format!(
                "wrote {} (backup: {})\n",
                change.file.shown,
                display_path(b)
            )),
            None => out(&format!("wrote {}\n", change.file.shown)),
        }
    }
    let count = |s: Severity| {
        after
            .iter()
            .flat_map(|f| &f.diagnostics)
            .filter(|d| d.severity == s && d.code != STALE_GENERATED_CONFIG)
            .count()
    };
    let (errors, warnings) = (count(Severity::Error), count(Severity::Warning));
    let stale = after
        .iter()
        .flat_map(|f| &f.diagnostics)
        .any(|d| d.code == STALE_GENERATED_CONFIG);
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
        changes.len(),
        if changes.len() == 1 { "" } else { "s" },
        plan.to
    ));
    Ok(EXIT_OK)
}

fn set_dir(dir: Option<&Path>) -> Result<PathBuf> {
    let dir = dir.map_or_else(|| PathBuf::from("config"), Path::to_path_buf);
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
    let found = recognised_files(dir).map_err(|e| miette!("cannot list {}: {e}", dir.display()))?;
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
            let bytes = crate::read::read_bounded(&path).map_err(|problem| match problem {
                ReadProblem::TooLarge { size } => miette!(
                    "{shown} is {size} bytes, above the {} bytes aiblint analyses",
                    MAX_FILE_SIZE
                ),
                ReadProblem::Unreadable(e) => miette!("cannot read {shown}: {e}"),
                ReadProblem::InvalidUtf8 { .. } => miette!("cannot read {shown}"),
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

fn plan_error(error: &PlanError, files: &[SetFile], dir: &Path) -> miette::Report {
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
fn describe(plan: &Plan, shown_dir: &str) -> String {
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

fn diffs(files: &[SetFile], migrated: &[(usize, String)]) -> String {
    let mut text = String::new();
    for (i, new) in migrated {
        let file = &files[*i];
        text += &TextDiff::from_lines(file.text.as_str(), new.as_str())
            .unified_diff()
            .context_radius(3)
            .header(&format!("a/{}", file.shown), &format!("b/{}", file.shown))
            .to_string();
    }
    text
}

/// Creates each new file atomically and without overwriting anything (a temp file in the
/// same directory, hard-linked to its name, which fails when the name is taken); on failure
/// the files created so far are removed. Returns the paths created.
fn create_files(created: &[SetFile]) -> io::Result<Vec<PathBuf>> {
    let mut made = Vec::new();
    for new in created {
        let result = (|| {
            let dir = new.path.parent().unwrap_or(Path::new("."));
            let mut temp = tempfile::NamedTempFile::new_in(dir)?;
            io::Write::write_all(&mut temp, new.text.as_bytes())?;
            temp.as_file().sync_all()?;
            fs::hard_link(temp.path(), &new.path)
                .map_err(|e| io::Error::new(e.kind(), format!("cannot create {}: {e}", new.shown)))
        })();
        if let Err(e) = result {
            for path in &made {
                let _ = fs::remove_file(path);
            }
            return Err(e);
        }
        made.push(new.path.clone());
    }
    Ok(made)
}

fn lint_set(files: Vec<(&SetFile, SourceFile)>, selection: &RuleSelection) -> Vec<LintedFile> {
    let members = files
        .into_iter()
        .map(|(f, file)| SetMember {
            path: f.shown.clone(),
            file,
        })
        .collect();
    lint::check_set(members, selection)
}

/// The code of the rule that reports a generated config differing from its sources.
const STALE_GENERATED_CONFIG: &str = "G401";

/// The errors of `after` that `before` did not have (same file, code and message; counted,
/// so a second copy of an old error is new), as files holding only those diagnostics.
fn introduced_errors(before: &[LintedFile], after: &[LintedFile]) -> Vec<LintedFile> {
    let mut old: Vec<(&str, &str, &str)> = before
        .iter()
        .flat_map(|f| {
            f.diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .map(move |d| (f.path.as_str(), d.code, d.message.as_str()))
        })
        .collect();
    let mut out = Vec::new();
    for file in after {
        let mut fresh = Vec::new();
        // A generated litellm-unified.yaml goes stale whenever its sources change: that is
        // the expected outcome of a migration, reported below, not a reason to roll back.
        for d in file
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error && d.code != STALE_GENERATED_CONFIG)
        {
            let key = (file.path.as_str(), d.code, d.message.as_str());
            match old.iter().position(|o| *o == key) {
                Some(i) => {
                    old.swap_remove(i);
                }
                None => fresh.push(d.clone()),
            }
        }
        if !fresh.is_empty() {
            out.push(LintedFile {
                path: file.path.clone(),
                file: file.file.clone(),
                diagnostics: fresh,
            });
        }
    }
    out
}

/// One file to replace: what to write, and what to keep of the original.
struct Change<'a> {
    file: &'a SetFile,
    migrated: String,
    from: Version,
    /// The original's, for its backup (the atomic writer keeps them on the file itself).
    permissions: Permissions,
}

/// The error of a write abandoned because the file no longer held the expected bytes.
#[derive(Debug)]
struct ChangedOnDisk;

impl std::fmt::Display for ChangedOnDisk {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("changed on disk")
    }
}

impl std::error::Error for ChangedOnDisk {}

fn changed_on_disk(e: &io::Error) -> bool {
    e.get_ref().is_some_and(|inner| inner.is::<ChangedOnDisk>())
}

impl<'a> Change<'a> {
    fn new(file: &'a SetFile, migrated: String, from: Version) -> io::Result<Self> {
        let permissions = fs::metadata(&file.path)?.permissions();
        Ok(Change {
            file,
            migrated,
            from,
            permissions,
        })
    }

    /// Writes `bytes` over the file atomically (through a symlink, with the original's
    /// permissions and owner), provided it still holds `expected` just before the rename;
    /// otherwise fails with [`ChangedOnDisk`] and leaves it alone.
    fn write(&self, bytes: &[u8], expected: &[u8], hook: &mut FailHook) -> io::Result<()> {
        atomic::atomic_write_with(&self.file.path, bytes, || {
            hook.check()?;
            if fs::read(&self.file.path)? != expected {
                return Err(io::Error::other(ChangedOnDisk));
            }
            Ok(())
        })
    }

    /// Copies the original bytes to `<file>.backup-v<from>` (or `.1`, `.2`, … when taken),
    /// never overwriting an existing file.
    fn backup(&self) -> io::Result<PathBuf> {
        let base = format!("{}.backup-v{}", self.file.path.display(), self.from);
        for n in 0..1000 {
            let path = PathBuf::from(if n == 0 {
                base.clone()
            } else {
                format!("{base}.{n}")
            });
            let mut file = match create_new(&path, &self.permissions) {
                Ok(file) => file,
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(e),
            };
            // The exact mode: the umask may have narrowed the one given at creation.
            let written = file
                .write_all(self.file.text.as_bytes())
                .and_then(|()| file.set_permissions(self.permissions.clone()))
                .and_then(|()| file.sync_all());
            if let Err(e) = written {
                let _ = fs::remove_file(&path);
                return Err(e);
            }
            return Ok(path);
        }
        Err(io::Error::other(format!(
            "too many backups of {}",
            self.file.shown
        )))
    }
}

/// Creates `path`, which must not exist, with `permissions` from the start (less the umask),
/// so that the copy of a private file is never readable by others, not even for a moment.
fn create_new(path: &Path, permissions: &Permissions) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        options.mode(permissions.mode() & 0o777);
    }
    #[cfg(not(unix))]
    let _ = permissions;
    options.open(path)
}

/// Writes every change, each after its backup. On the first failure, every file already
/// replaced is restored and the backups made are removed; the error says what happened.
fn commit(
    changes: &[Change<'_>],
    backups: bool,
    hook: &mut FailHook,
) -> Result<Vec<Option<PathBuf>>, String> {
    let mut made: Vec<Option<PathBuf>> = Vec::new();
    for change in changes {
        let backup = if backups {
            match change.backup() {
                Ok(path) => Some(path),
                Err(e) => {
                    let failures = restore(&changes[..made.len()], &made, None);
                    return Err(format!(
                        "aiblint: cannot back up {}: {e}; migration rolled back, every file is as it was{}",
                        change.file.shown,
                        restore_report(&failures)
                    ));
                }
            }
        } else {
            None
        };
        if let Err(e) = change.write(
            change.migrated.as_bytes(),
            change.file.text.as_bytes(),
            hook,
        ) {
            let failures = restore(&changes[..made.len()], &made, backup.as_deref());
            if changed_on_disk(&e) {
                return Err(format!(
                    "aiblint: {} changed on disk while migrating; migration abandoned, nothing was changed{}",
                    change.file.shown,
                    restore_report(&failures)
                ));
            }
            return Err(format!(
                "aiblint: cannot write {}: {e}; migration rolled back, every file is as it was{}",
                change.file.shown,
                restore_report(&failures)
            ));
        }
        made.push(backup);
    }
    Ok(made)
}

/// Puts the original bytes back into every written file and removes the backups made for
/// them (and `extra`, a backup whose file was never replaced). A file that no longer holds
/// what the migration wrote (edited meanwhile) is left as it is. A backup whose file could not
/// be restored is kept, and the failure names it.
fn restore(
    changes: &[Change<'_>],
    backups: &[Option<PathBuf>],
    extra: Option<&Path>,
) -> Vec<String> {
    let mut failures = Vec::new();
    let mut never_fail = FailHook { remaining: None };
    for (change, backup) in changes.iter().zip(backups) {
        match change.write(
            change.file.text.as_bytes(),
            change.migrated.as_bytes(),
            &mut never_fail,
        ) {
            Ok(()) => {
                if let Some(b) = backup {
                    let _ = fs::remove_file(b);
                }
            }
            Err(e) if changed_on_disk(&e) => failures.push(match backup {
                Some(b) => format!(
                    "{} changed on disk after it was migrated and is left as it is; its original is in {}",
                    change.file.shown,
                    display_path(b)
                ),
                None => format!(
                    "{} changed on disk after it was migrated and is left as it is",
                    change.file.shown
                ),
            }),
            Err(e) => failures.push(match backup {
                Some(b) => format!(
                    "{} could not be restored ({e}); its original is in {}",
                    change.file.shown,
                    display_path(b)
                ),
                None => format!("{} could not be restored ({e})", change.file.shown),
            }),
        }
    }
    if let Some(extra) = extra {
        let _ = fs::remove_file(extra);
    }
    failures
}

fn restore_report(failures: &[String]) -> String {
    if failures.is_empty() {
        String::new()
    } else {
        format!(" except: {}", failures.join("; "))
    }
}

/// The concurrent-edit test hook (see the module docs): appends a line to the file it names.
fn touch_hook() {
    if let Some(path) = std::env::var_os(TOUCH_BEFORE_WRITE) {
        let _ = OpenOptions::new()
            .append(true)
            .open(path)
            .and_then(|mut f| f.write_all(b"# edited while aiblint was migrating\n"));
    }
}

/// The fault-injection test hook: after `remaining` successful writes, the next one fails.
struct FailHook {
    remaining: Option<usize>,
}

impl FailHook {
    fn from_env() -> Self {
        FailHook {
            remaining: std::env::var(FAIL_WRITE_AFTER)
                .ok()
                .and_then(|v| v.trim().parse().ok()),
        }
    }

    fn check(&mut self) -> io::Result<()> {
        match self.remaining {
            Some(0) => Err(io::Error::other(format!(
                "injected failure ({FAIL_WRITE_AFTER})"
            ))),
            Some(n) => {
                self.remaining = Some(n - 1);
                Ok(())
            }
            None => Ok(()),
        }
    }
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    /// A backup is born with the original's mode: a private file's copy is never readable
    /// by others, even before the mode is set exactly after writing.
    #[test]
    fn a_backup_is_created_with_the_original_mode() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("providers.yaml.backup-v1.0.0");
        let file = create_new(&path, &Permissions::from_mode(0o600)).unwrap();
        let created = file.metadata().unwrap().permissions().mode() & 0o777;
        assert_eq!(created, 0o600);
        let again = create_new(&path, &Permissions::from_mode(0o600));
        assert_eq!(again.unwrap_err().kind(), io::ErrorKind::AlreadyExists);
    }
}
