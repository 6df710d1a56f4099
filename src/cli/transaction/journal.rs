//! The journal that lists a transaction's files, and the recovery it allows after a crash.

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::files::{remove_created, restore, write_new};
use super::{bytes_of, hash, sync_dir, Created, Entry, JOURNAL, JOURNAL_HEADER};

pub(super) fn encode(path: &Path) -> String {
    percent_encoding::utf8_percent_encode(
        &path.to_string_lossy(),
        percent_encoding::NON_ALPHANUMERIC,
    )
    .to_string()
}

pub(super) fn decode(field: &str) -> PathBuf {
    PathBuf::from(
        percent_encoding::percent_decode_str(field)
            .decode_utf8_lossy()
            .into_owned(),
    )
}

pub(super) fn write_journal(dir: &Path, entries: &[Entry], created: &[Created]) -> io::Result<()> {
    let mut text = format!("{JOURNAL_HEADER}\n");
    for new in created {
        let _ = writeln!(text, "new {} {}", encode(&new.path), hash(&new.bytes));
    }
    for e in entries {
        let _ = writeln!(
            text,
            "{} {} {} {} {}",
            encode(&e.real),
            encode(&e.temp),
            encode(&e.backup),
            e.original,
            e.migrated
        );
    }
    let path = dir.join(JOURNAL);
    let temp = dir.join(format!("{JOURNAL}.tmp"));
    let _ = fs::remove_file(&temp);
    write_new(&temp, text.as_bytes(), None)?;
    fs::rename(&temp, &path)?;
    sync_dir(dir);
    Ok(())
}

/// The files replaced, and the files created (each path with the hash of what was written).
type Journal = (Vec<Entry>, Vec<(PathBuf, String)>);

pub(super) fn read_journal(text: &str) -> Option<Journal> {
    let mut lines = text.lines();
    if lines.next()? != JOURNAL_HEADER {
        return None;
    }
    let (mut entries, mut created) = (Vec::new(), Vec::new());
    for line in lines {
        let fields: Vec<&str> = line.split(' ').collect();
        match fields.as_slice() {
            ["new", path, written] => created.push((decode(path), written.to_string())),
            [real, temp, backup, original, migrated] => entries.push(Entry {
                real: decode(real),
                temp: decode(temp),
                backup: decode(backup),
                original: original.to_string(),
                migrated: migrated.to_string(),
            }),
            _ => return None,
        }
    }
    Some((entries, created))
}

/// What recovery did.
pub(in crate::cli) struct Recovery {
    pub restored: Vec<String>,
    /// Files the interrupted migration created, removed.
    pub removed: Vec<String>,
    pub problems: Vec<String>,
}

/// Finishes an interrupted migration of `dir`, if its journal is there: every file it lists
/// is put back as it was before that migration (unless it was edited since), its temporary
/// files are removed, and so are the backups of the files restored. Safe to run again if
/// interrupted itself.
pub(in crate::cli) fn recover(dir: &Path) -> io::Result<Option<Recovery>> {
    let path = dir.join(JOURNAL);
    let text = match fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            let _ = fs::remove_file(dir.join(format!("{JOURNAL}.tmp")));
            return Ok(None);
        }
        Err(e) => return Err(e),
    };
    let Some((entries, created)) = read_journal(&text) else {
        return Err(io::Error::other(format!(
            "{} is not a journal aiblint can read; remove it once the files of the set are as they should be",
            path.display()
        )));
    };
    let mut recovery = Recovery {
        restored: Vec::new(),
        removed: Vec::new(),
        problems: Vec::new(),
    };
    for (path, written) in &created {
        let shown = path.display().to_string();
        let _ = fs::remove_file(
            Created {
                path: path.clone(),
                shown: String::new(),
                bytes: Vec::new(),
            }
            .temp(),
        );
        if bytes_of(path).is_some_and(|b| hash(&b) == *written) {
            recovery.removed.push(shown.clone());
        }
        recovery
            .problems
            .extend(remove_created(path, written, &shown));
    }
    for entry in &entries {
        let shown = entry.real.display().to_string();
        let current = bytes_of(&entry.real).map(|b| hash(&b));
        let replaced = if current.as_deref() == Some(entry.original.as_str()) {
            None
        } else if current.as_deref() == Some(entry.migrated.as_str()) {
            // Swapped when the original sits at `temp` (before the swap, `temp` held the
            // migrated bytes); else renamed over, and the backup puts it back.
            let at_temp = bytes_of(&entry.temp).map(|b| hash(&b));
            Some(at_temp.is_some_and(|h| h != entry.migrated))
        } else {
            recovery.problems.push(format!(
                "{shown} changed since the interrupted migration and is left as it is; its original is in {}",
                entry.backup.display()
            ));
            continue;
        };
        match restore(entry, replaced, &shown) {
            None if replaced.is_some() => recovery.restored.push(shown),
            None => {}
            Some(problem) => recovery.problems.push(problem),
        }
    }
    fs::remove_file(&path)?;
    sync_dir(dir);
    Ok(Some(recovery))
}

/// Removes the temporary files a migration interrupted before it wrote its journal may have
/// left: `.<name>.aiblint-migrate.tmp` and `.<name>.backup-v….aiblint-backup.tmp` for the
/// set's files `names`, and the journal's own temporary file.
pub(in crate::cli) fn sweep(dir: &Path, names: &[String]) {
    let Ok(list) = fs::read_dir(dir) else {
        return;
    };
    for file in list.flatten() {
        let n = file.file_name().to_string_lossy().into_owned();
        let ours = n == format!("{JOURNAL}.tmp")
            || (n.starts_with('.') && n.ends_with(".aiblint-new.tmp"))
            || names.iter().any(|name| {
                n == format!(".{name}.aiblint-migrate.tmp")
                    || (n.starts_with(&format!(".{name}.backup-v"))
                        && n.ends_with(".aiblint-backup.tmp"))
            });
        if ours {
            let _ = fs::remove_file(file.path());
        }
    }
}

/// A migration that was interrupted may have left its set half migrated, which the
/// diagnostics of `check` then show as version mismatches: say why, and what puts it right,
/// for each of `dirs` that holds a journal.
pub(in crate::cli) fn warn_of_interrupted_migrations(dirs: &[std::path::PathBuf]) {
    for dir in dirs {
        if dir.join(JOURNAL).exists() {
            let shown = crate::workspace::display_path(dir);
            eprintln!(
                "aiblint: a migration of {shown} was interrupted and may have left it half migrated; `aiblint migrate {shown}` puts its files back as they were"
            );
        }
    }
}
