//! The migration of a config set's files as one transaction that survives a crash, a full
//! disk and a concurrent edit (`aiblint migrate`; README, "What `migrate` guarantees").
//!
//! In order, holding a lock on the set's directory (so two runs never interleave):
//!
//! 1. each changed file's backup `<file>.backup-v<from>` is written under a temporary name,
//!    fsynced, then linked to its name, which is never taken from another file: a backup is
//!    always a whole copy;
//! 2. the journal `.aiblint-migrate.journal` lists every file with its backup, its temporary
//!    file and the hashes of its original and migrated bytes (written atomically);
//! 3. each file in turn: the migrated bytes go to a temporary file beside it (fsynced, the
//!    original's mode and owner), which is swapped with the file in one step
//!    (`renameat2(RENAME_EXCHANGE)`); what was swapped out must be the original bytes, else
//!    it is swapped back and the transaction abandoned. Where the system cannot swap, the
//!    file is compared and then renamed over;
//! 4. the caller re-checks the set; then the commit: every swapped-out original must still be
//!    unchanged (a write that landed in it after the swap rolls everything back), and the
//!    journal is removed. That removal is the commit point.
//!
//! A rollback puts back each swapped-out original by swapping it in again (or renames the
//! backup over the file), so it needs no free disk space. After a crash the journal remains;
//! the next `aiblint migrate` of the directory (`recover`) puts every file it lists back as
//! it was, unless the file was edited since, and removes the temporary files.

use std::fmt::Write as _;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::atomic;

/// The journal's name in the set's directory.
pub(super) const JOURNAL: &str = ".aiblint-migrate.journal";
const JOURNAL_HEADER: &str = "aiblint migrate journal v1";

/// One file of the set to replace.
pub(super) struct Member {
    /// As found in the set's directory (may be a symlink).
    pub path: PathBuf,
    /// For messages.
    pub shown: String,
    pub original: Vec<u8>,
    pub migrated: Vec<u8>,
    /// The name of its backup, without the `.1`, `.2` a taken name gets.
    pub backup_base: String,
}

/// A file the migration creates (litellm-settings.yaml, lifted from a hand-written
/// litellm-unified.yaml).
pub(super) struct Created {
    pub path: PathBuf,
    pub shown: String,
    pub bytes: Vec<u8>,
}

impl Created {
    /// Written here first, then linked to its name, which must still be free.
    fn temp(&self) -> PathBuf {
        let name = self
            .path
            .file_name()
            .map_or_else(|| "file".into(), |n| n.to_string_lossy().into_owned());
        parent(&self.path).join(format!(".{name}.aiblint-new.tmp"))
    }
}

/// What the journal records of a member: where each of its files is.
#[derive(Clone, Debug, PartialEq)]
struct Entry {
    /// The file itself once symlinks are followed: the one that is swapped.
    real: PathBuf,
    /// Beside `real`: the migrated bytes before the swap, the original after it.
    temp: PathBuf,
    backup: PathBuf,
    original: String,
    migrated: String,
}

/// Test hooks (see `cli/migrate.rs`): a failure injected into the write of the (n+1)th
/// file, a crash (abort, as by kill -9) after n files are replaced, a pause before each
/// replacement.
#[derive(Default)]
pub(super) struct Hooks {
    pub fail_write_after: Option<usize>,
    pub crash_after: Option<usize>,
    pub pause_ms: u64,
}

/// Why a transaction stopped.
pub(super) enum Failure {
    /// A file no longer held the bytes the plan was made from; `conflict` says where a
    /// second, simultaneous edit was kept, if there was one.
    ChangedOnDisk {
        shown: String,
        conflict: Option<String>,
    },
    Io {
        shown: String,
        error: io::Error,
    },
}

/// An open transaction over a set's directory.
pub(super) struct Transaction<'a> {
    dir: PathBuf,
    members: &'a [Member],
    entries: Vec<Entry>,
    /// Files the migration creates (they must not exist), and whether each is made yet.
    created: &'a [Created],
    made: Vec<bool>,
    /// Per member: replaced yet, and whether by a swap (the original is then at `temp`).
    replaced: Vec<Option<bool>>,
    hooks: Hooks,
}

fn hash(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(64);
    for b in Sha256::digest(bytes) {
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// Reads a file's bytes, or `None` when it does not exist or cannot be read.
fn bytes_of(path: &Path) -> Option<Vec<u8>> {
    crate::read::read_bounded(path).ok()
}

fn sync_dir(dir: &Path) {
    // Not every file system can sync a directory.
    let _ = File::open(dir).and_then(|d| d.sync_all());
}

fn parent(path: &Path) -> PathBuf {
    path.parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .to_path_buf()
}

impl<'a> Transaction<'a> {
    /// Makes every backup, then writes the journal. Nothing is replaced yet; on an error,
    /// what was made is removed.
    pub fn begin(
        dir: &Path,
        members: &'a [Member],
        created: &'a [Created],
        hooks: Hooks,
    ) -> Result<Transaction<'a>, Failure> {
        let mut entries: Vec<Entry> = Vec::new();
        for member in members {
            let io = |error| Failure::Io {
                shown: member.shown.clone(),
                error,
            };
            let real = atomic::resolve_symlinks(&member.path).map_err(io)?;
            let name = real
                .file_name()
                .map_or_else(|| "file".into(), |n| n.to_string_lossy().into_owned());
            let temp = parent(&real).join(format!(".{name}.aiblint-migrate.tmp"));
            entries.push(Entry {
                real,
                temp,
                backup: free_backup_name(member).map_err(io)?,
                original: hash(&member.original),
                migrated: hash(&member.migrated),
            });
        }
        // The journal first: a crash from here on is undone by the next run, backups included.
        write_journal(dir, &entries, created).map_err(|error| Failure::Io {
            shown: dir.join(JOURNAL).display().to_string(),
            error,
        })?;
        for (i, (member, entry)) in members.iter().zip(&entries).enumerate() {
            if let Err(error) = write_backup(member, &entry.backup) {
                for made in &entries[..i] {
                    let _ = fs::remove_file(&made.backup);
                }
                let _ = fs::remove_file(dir.join(JOURNAL));
                return Err(Failure::Io {
                    shown: member.shown.clone(),
                    error,
                });
            }
        }
        Ok(Transaction {
            dir: dir.to_path_buf(),
            members,
            created,
            made: vec![false; created.len()],
            replaced: vec![None; entries.len()],
            entries,
            hooks,
        })
    }

    /// The backups made, by member.
    pub fn backups(&self) -> Vec<PathBuf> {
        self.entries.iter().map(|e| e.backup.clone()).collect()
    }

    /// Creates every new file: written under a temporary name, fsynced, then linked to its
    /// name, which must not exist.
    pub fn create_all(&mut self) -> Result<(), Failure> {
        for (i, new) in self.created.iter().enumerate() {
            let temp = new.temp();
            let _ = fs::remove_file(&temp);
            let result = write_new(&temp, &new.bytes, None)
                .and_then(|()| atomic::link_new(&temp, &new.path));
            let _ = fs::remove_file(&temp);
            sync_dir(&parent(&new.path));
            if let Err(error) = result {
                let error = if error.kind() == io::ErrorKind::AlreadyExists {
                    io::Error::other("it exists already")
                } else {
                    error
                };
                return Err(Failure::Io {
                    shown: new.shown.clone(),
                    error,
                });
            }
            self.made[i] = true;
        }
        // The crash hook's last point: every file replaced and created.
        if self.hooks.crash_after == Some(self.members.len()) {
            std::process::abort();
        }
        Ok(())
    }

    /// Replaces every file, in order (then [`Transaction::create_all`]).
    pub fn replace_all(&mut self) -> Result<(), Failure> {
        for i in 0..self.members.len() {
            if self.hooks.pause_ms > 0 {
                std::thread::sleep(std::time::Duration::from_millis(self.hooks.pause_ms));
            }
            if self.hooks.crash_after == Some(i) {
                std::process::abort();
            }
            self.replace(i)?;
        }
        Ok(())
    }

    fn replace(&mut self, i: usize) -> Result<(), Failure> {
        let member = &self.members[i];
        let entry = &self.entries[i];
        let io = |error| Failure::Io {
            shown: member.shown.clone(),
            error,
        };
        let meta = fs::metadata(&entry.real).map_err(io)?;
        let _ = fs::remove_file(&entry.temp);
        write_new(&entry.temp, &member.migrated, Some(&meta)).map_err(io)?;
        if let Some(n) = self.hooks.fail_write_after.as_mut() {
            if *n == 0 {
                let _ = fs::remove_file(&entry.temp);
                return Err(io(io::Error::other(
                    "injected failure (AIBLINT_FAIL_WRITE_AFTER)",
                )));
            }
            *n -= 1;
        }
        let changed = || Failure::ChangedOnDisk {
            shown: member.shown.clone(),
            conflict: None,
        };
        // Checked first, so that a file already edited is never swapped at all.
        if bytes_of(&entry.real).as_deref() != Some(&member.original[..]) {
            let _ = fs::remove_file(&entry.temp);
            return Err(changed());
        }
        if atomic::exchange(&entry.temp, &entry.real).map_err(io)? {
            sync_dir(&parent(&entry.real));
            // What was swapped out must be what the plan was made from.
            if bytes_of(&entry.temp).as_deref() != Some(&member.original[..]) {
                let conflict = swap_back(entry, &member.shown).err();
                return Err(Failure::ChangedOnDisk {
                    shown: member.shown.clone(),
                    conflict,
                });
            }
            self.replaced[i] = Some(true);
        } else {
            // No atomic swap here: the check above, then a rename (an edit saved in between
            // is lost).
            fs::rename(&entry.temp, &entry.real).map_err(io)?;
            sync_dir(&parent(&entry.real));
            self.replaced[i] = Some(false);
        }
        Ok(())
    }

    /// Checks that no write reached a swapped-out original, then removes the journal (the
    /// commit point) and what is no longer needed: the swapped-out originals, and the
    /// backups unless `keep_backups`.
    ///
    /// A swapped-out original that another process still has open could be written to after
    /// that check: the commit waits a moment for it to be closed, and if it is not, keeps it
    /// as `<file>.aiblint-replaced` instead of deleting it; the returned notes say so.
    pub fn commit(self, keep_backups: bool) -> Result<Vec<String>, (Failure, Vec<String>)> {
        if self.hooks.pause_ms > 0 {
            std::thread::sleep(std::time::Duration::from_millis(self.hooks.pause_ms));
        }
        let still_open: Vec<bool> = self
            .entries
            .iter()
            .zip(&self.replaced)
            .map(|(entry, replaced)| *replaced == Some(true) && !closed_everywhere(&entry.temp))
            .collect();
        for (i, entry) in self.entries.iter().enumerate() {
            if self.replaced[i] == Some(true)
                && bytes_of(&entry.temp).as_deref() != Some(&self.members[i].original[..])
            {
                let shown = self.members[i].shown.clone();
                let failures = self.rollback();
                let changed = Failure::ChangedOnDisk {
                    shown,
                    conflict: None,
                };
                return Err((changed, failures));
            }
        }
        let _ = fs::remove_file(self.dir.join(JOURNAL));
        sync_dir(&self.dir);
        let mut notes = Vec::new();
        for (entry, open) in self.entries.iter().zip(still_open) {
            let kept = PathBuf::from(format!("{}.aiblint-replaced", entry.real.display()));
            if open && fs::rename(&entry.temp, &kept).is_ok() {
                notes.push(format!(
                    "another process still has the replaced {} open; in case it writes to it, it is kept as {}",
                    entry.real.display(),
                    kept.display()
                ));
            } else {
                let _ = fs::remove_file(&entry.temp);
            }
            if !keep_backups {
                let _ = fs::remove_file(&entry.backup);
            }
        }
        Ok(notes)
    }

    /// Puts every replaced file back as it was, removes the backups of the files restored
    /// and the journal; returns what could not be restored.
    pub fn rollback(self) -> Vec<String> {
        let mut failures = Vec::new();
        for (new, made) in self.created.iter().zip(&self.made) {
            if *made {
                failures.extend(remove_created(&new.path, &hash(&new.bytes), &new.shown));
            }
        }
        for (i, entry) in self.entries.iter().enumerate().rev() {
            let member = &self.members[i];
            if let Some(problem) = restore(entry, self.replaced[i], &member.shown) {
                failures.push(problem);
            }
        }
        let _ = fs::remove_file(self.dir.join(JOURNAL));
        sync_dir(&self.dir);
        failures
    }
}

/// How long the commit waits for other processes to close a swapped-out original.
const CLOSE_GRACE: std::time::Duration = std::time::Duration::from_millis(500);

/// Whether no other process has the file at `path` open, waiting up to [`CLOSE_GRACE`] for
/// them to close it. Linux only (it reads `/proc/<pid>/fd`, for the processes this user may
/// look into); elsewhere, true.
fn closed_everywhere(path: &Path) -> bool {
    let start = std::time::Instant::now();
    loop {
        if !open_elsewhere(path) {
            return true;
        }
        if start.elapsed() > CLOSE_GRACE {
            return false;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}

#[cfg(target_os = "linux")]
fn open_elsewhere(path: &Path) -> bool {
    let Ok(target) = fs::canonicalize(path) else {
        return false;
    };
    let me = std::process::id().to_string();
    let Ok(processes) = fs::read_dir("/proc") else {
        return false;
    };
    processes.flatten().any(|process| {
        let pid = process.file_name();
        let pid = pid.to_string_lossy();
        if pid == me || !pid.bytes().all(|b| b.is_ascii_digit()) {
            return false;
        }
        let Ok(fds) = fs::read_dir(process.path().join("fd")) else {
            return false;
        };
        fds.flatten()
            .any(|fd| fs::read_link(fd.path()).is_ok_and(|link| link == target))
    })
}

#[cfg(not(target_os = "linux"))]
fn open_elsewhere(_path: &Path) -> bool {
    false
}

/// Puts one file back: its swapped-out original swapped in again, or its backup renamed
/// over it; only if it still holds the migrated bytes. Removes the temporary file and, once
/// the original is back, the backup. Returns what went wrong, if anything.
fn restore(entry: &Entry, replaced: Option<bool>, shown: &str) -> Option<String> {
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
fn swap_back(entry: &Entry, shown: &str) -> Result<(), String> {
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
fn remove_created(path: &Path, written: &str, shown: &str) -> Option<String> {
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
fn rename_back(entry: &Entry, shown: &str) -> Option<String> {
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
fn free_backup_name(member: &Member) -> io::Result<PathBuf> {
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
fn write_backup(member: &Member, backup: &Path) -> io::Result<()> {
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
fn write_new(path: &Path, bytes: &[u8], like: Option<&fs::Metadata>) -> io::Result<()> {
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

fn encode(path: &Path) -> String {
    percent_encoding::utf8_percent_encode(
        &path.to_string_lossy(),
        percent_encoding::NON_ALPHANUMERIC,
    )
    .to_string()
}

fn decode(field: &str) -> PathBuf {
    PathBuf::from(
        percent_encoding::percent_decode_str(field)
            .decode_utf8_lossy()
            .into_owned(),
    )
}

fn write_journal(dir: &Path, entries: &[Entry], created: &[Created]) -> io::Result<()> {
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

fn read_journal(text: &str) -> Option<Journal> {
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
pub(super) struct Recovery {
    pub restored: Vec<String>,
    /// Files the interrupted migration created, removed.
    pub removed: Vec<String>,
    pub problems: Vec<String>,
}

/// Finishes an interrupted migration of `dir`, if its journal is there: every file it lists
/// is put back as it was before that migration (unless it was edited since), its temporary
/// files are removed, and so are the backups of the files restored. Safe to run again if
/// interrupted itself.
pub(super) fn recover(dir: &Path) -> io::Result<Option<Recovery>> {
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
pub(super) fn sweep(dir: &Path, names: &[String]) {
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

/// Holds an exclusive lock on a directory while alive; `None` where locks are not
/// available. A second `aiblint migrate` of the same directory fails at once.
pub(super) struct DirLock(#[allow(dead_code)] Option<File>);

pub(super) fn lock(dir: &Path) -> io::Result<DirLock> {
    #[cfg(unix)]
    {
        use rustix::fs::{flock, FlockOperation};
        let handle = File::open(dir)?;
        match flock(&handle, FlockOperation::NonBlockingLockExclusive) {
            Ok(()) => Ok(DirLock(Some(handle))),
            Err(e) if e == rustix::io::Errno::WOULDBLOCK => Err(io::Error::other(
                "another `aiblint migrate` is running on this directory",
            )),
            // A file system without locks: go on without.
            Err(_) => Ok(DirLock(None)),
        }
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(DirLock(None))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_journal_reads_back_what_was_written() {
        let dir = tempfile::tempdir().unwrap();
        let entries = vec![Entry {
            real: dir.path().join("a b%.yaml"),
            temp: dir.path().join(".a b%.yaml.aiblint-migrate.tmp"),
            backup: dir.path().join("a b%.yaml.backup-v1.0.0"),
            original: hash(b"one"),
            migrated: hash(b"two"),
        }];
        let created = [Created {
            path: dir.path().join("litellm-settings.yaml"),
            shown: "litellm-settings.yaml".to_string(),
            bytes: b"x: 1\n".to_vec(),
        }];
        write_journal(dir.path(), &entries, &created).unwrap();
        let text = fs::read_to_string(dir.path().join(JOURNAL)).unwrap();
        let new = vec![(created[0].path.clone(), hash(b"x: 1\n"))];
        assert_eq!(read_journal(&text), Some((entries, new)));
        assert_eq!(read_journal("something else\n"), None);
    }
}
