//! Putting one file back, and writing backups and new files without replacing anything.

use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::{atomic, bytes_of, hash, parent, sync_dir, Entry, Member};

/// Puts one file back: its swapped-out original swapped in again, or its backup renamed
/// over it; only if it still holds the migrated bytes. Removes the temporary file and, once
/// the original is back, the backup. Returns what went wrong, if anything.
pub(super) fn restore(entry: &Entry, replaced: Option<bool>, shown: &str) -> Option<String> {
    let current = bytes_of(&entry.real).map(|b| hash(&b));
    let dir = parent(&entry.real);
    let problem = match replaced {
        None => None,
        Some(_) if current.as_deref() == Some(entry.original.as_str()) => None,
        Some(_) if current.as_deref() != Some(entry.migrated.as_str()) => Some(format!(
            "{shown} changed on disk after it was migrated and is left as it is; its original is in {}",
            entry.backup.display()
        )),
        Some(true) => swap_back(entry, shown).err(),
        Some(false) => rename_back(entry, shown),
    };
    if problem.is_none() {
        let _ = fs::remove_file(&entry.temp);
        let _ = fs::remove_file(&entry.backup);
    }
    sync_dir(&dir);
    problem
}

/// Swaps the original (at `temp`) back in place of the migrated file, which is then removed;
/// unless it was written to meanwhile: that version is kept as `<file>.aiblint-conflict`, and
/// the error says so. Falls back to renaming the backup over when the swap fails.
pub(super) fn swap_back(entry: &Entry, shown: &str) -> Result<(), String> {
    match atomic::exchange(&entry.temp, &entry.real) {
        Ok(true) => {}
        Ok(false) | Err(_) => return rename_back(entry, shown).map_or(Ok(()), Err),
    }
    sync_dir(&parent(&entry.real));
    if bytes_of(&entry.temp).map(|b| hash(&b)).as_deref() == Some(entry.migrated.as_str()) {
        let _ = fs::remove_file(&entry.temp);
        return Ok(());
    }
    let kept = PathBuf::from(format!("{}.aiblint-conflict", entry.real.display()));
    let _ = fs::rename(&entry.temp, &kept);
    Err(format!(
        "{shown} was also written to while aiblint put it back; that version is in {}",
        kept.display()
    ))
}

/// Removes a file the migration created if it still holds what was written (`written`, a
/// hash); one edited since is left, and the message says so.
pub(super) fn remove_created(path: &Path, written: &str, shown: &str) -> Option<String> {
    match bytes_of(path).map(|b| hash(&b)) {
        Some(h) if h == written => {
            let _ = fs::remove_file(path);
            sync_dir(&parent(path));
            None
        }
        Some(_) => Some(format!(
            "{shown} was created by the migration and changed since; it is left as it is"
        )),
        None => None,
    }
}

/// The backup renamed over the file: no space needed, and the backup is then gone.
pub(super) fn rename_back(entry: &Entry, shown: &str) -> Option<String> {
    match fs::rename(&entry.backup, &entry.real) {
        Ok(()) => None,
        Err(e) => Some(format!(
            "{shown} could not be restored ({e}); its original is in {}",
            entry.backup.display()
        )),
    }
}

/// The first free name among `<base>`, `<base>.1`, `<base>.2`, …: a backup never replaces
/// another file.
pub(super) fn free_backup_name(member: &Member) -> io::Result<PathBuf> {
    (0..1000)
        .map(|n| match n {
            0 => PathBuf::from(&member.backup_base),
            n => PathBuf::from(format!("{}.{n}", member.backup_base)),
        })
        .find(|path| fs::symlink_metadata(path).is_err())
        .ok_or_else(|| io::Error::other(format!("too many backups of {}", member.shown)))
}

/// Writes a whole copy of the original to `backup`: under a temporary name first, fsynced,
/// then linked to `backup`, which must still be free.
pub(super) fn write_backup(member: &Member, backup: &Path) -> io::Result<()> {
    let meta = fs::metadata(&member.path)?;
    let name = backup
        .file_name()
        .map_or_else(|| "backup".into(), |n| n.to_string_lossy().into_owned());
    let temp = parent(backup).join(format!(".{name}.aiblint-backup.tmp"));
    let _ = fs::remove_file(&temp);
    write_new(&temp, &member.original, Some(&meta))?;
    let result = atomic::link_new(&temp, backup);
    let _ = fs::remove_file(&temp);
    sync_dir(&parent(backup));
    result
}

/// Creates `path`, which must not exist, with `bytes`, the mode and (as far as allowed) the
/// owner of `like`, and fsyncs it. The mode is set from the start: a copy of a private file
/// is never readable by others, not even for a moment.
pub(super) fn write_new(path: &Path, bytes: &[u8], like: Option<&fs::Metadata>) -> io::Result<()> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        options.mode(like.map_or(0o666, |m| m.permissions().mode() & 0o777));
    }
    let mut file = options.open(path)?;
    let written = (|| {
        file.write_all(bytes)?;
        if let Some(meta) = like {
            atomic::keep_owner(&file, meta);
            // After the owner: changing it may clear the set-id bits; and the exact mode,
            // which the umask may have narrowed at creation.
            file.set_permissions(meta.permissions())?;
        }
        file.sync_all()
    })();
    if written.is_err() {
        let _ = fs::remove_file(path);
    }
    written
}
