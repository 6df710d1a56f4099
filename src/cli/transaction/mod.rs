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
use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::atomic;

mod files;
mod journal;
#[cfg(test)]
mod tests;

use files::{free_backup_name, remove_created, restore, swap_back, write_backup, write_new};
use journal::write_journal;
pub(super) use journal::{recover, sweep, warn_of_interrupted_migrations};

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
    crate::workspace::read_bounded(path).ok()
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
