//! Replacing a file atomically, the one way every command that writes a config does it
//! (`aiblint generate`, `aiblint migrate`): a reader sees the old bytes or the new ones,
//! never half a file, and the file keeps what it was (its permissions and owner, and a
//! symlink stays a symlink whose target gets the new bytes).

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// How many symlinks may be followed before giving up (Linux's own limit).
const MAX_SYMLINKS: usize = 40;

/// Writes `bytes` over `path` atomically; see [`atomic_write_with`].
pub(super) fn atomic_write(path: &Path, bytes: &[u8]) -> io::Result<()> {
    atomic_write_with(path, bytes, || Ok(()))
}

/// Writes `bytes` over `path` atomically: through any symlinks to the file they point at, a
/// new temporary file (unpredictable name, created exclusively) in that file's directory with
/// its permissions and, as far as the user may, its owner; fsynced, then `before_rename` (an
/// error there leaves the target untouched and removes the temporary file), then renamed over
/// the target, and the directory fsynced so that the rename survives a crash. A file that does
/// not exist yet is created with the usual permissions (0666 less the umask).
pub(super) fn atomic_write_with(
    path: &Path,
    bytes: &[u8],
    before_rename: impl FnOnce() -> io::Result<()>,
) -> io::Result<()> {
    let target = resolve_symlinks(path)?;
    let original = match fs::metadata(&target) {
        Ok(meta) => Some(meta),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => return Err(e),
    };
    let dir = target
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = target
        .file_name()
        .map_or_else(|| "file".into(), |n| n.to_string_lossy().into_owned());
    let prefix = format!(".{name}.aiblint-");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    // Created with the final mode (less the umask) from the start, never wider.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = original
            .as_ref()
            .map_or(0o666, |meta| meta.permissions().mode() & 0o777);
        builder.permissions(fs::Permissions::from_mode(mode));
    }
    let mut temp = builder.tempfile_in(dir)?;
    temp.write_all(bytes)?;
    if let Some(meta) = &original {
        keep_owner(temp.as_file(), meta);
        // After the owner: changing it may clear the set-id bits.
        temp.as_file().set_permissions(meta.permissions())?;
    }
    temp.as_file().sync_all()?;
    before_rename()?;
    temp.persist(&target).map_err(|e| e.error)?;
    // Make the rename itself durable; not every file system can sync a directory.
    let _ = File::open(dir).and_then(|d| d.sync_all());
    Ok(())
}

/// The file `path` names once every symlink is followed (the last link's target when it
/// does not exist yet). A relative link is relative to the link's directory.
pub(super) fn resolve_symlinks(path: &Path) -> io::Result<PathBuf> {
    let mut path = path.to_path_buf();
    for _ in 0..MAX_SYMLINKS {
        match fs::symlink_metadata(&path) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let link = fs::read_link(&path)?;
                path = match path.parent() {
                    Some(parent) => parent.join(link),
                    None => link,
                };
            }
            Ok(_) => return Ok(path),
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(path),
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::other(format!(
        "too many levels of symbolic links at {}",
        path.display()
    )))
}

/// Best effort: only a privileged user may give a file away.
#[cfg(unix)]
pub(super) fn keep_owner(file: &File, meta: &fs::Metadata) {
    use std::os::unix::fs::MetadataExt;
    let _ = std::os::unix::fs::fchown(file, Some(meta.uid()), Some(meta.gid()));
}

#[cfg(not(unix))]
pub(super) fn keep_owner(_file: &File, _meta: &fs::Metadata) {}

/// Swaps the files at `a` and `b` in one step (Linux's `renameat2(RENAME_EXCHANGE)`); both
/// must exist. `Ok(false)` when this system or file system cannot, and nothing was done.
pub(super) fn exchange(a: &Path, b: &Path) -> io::Result<bool> {
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{renameat_with, RenameFlags, CWD};
        use rustix::io::Errno;
        match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
            Ok(()) => Ok(true),
            Err(e) if [Errno::INVAL, Errno::NOSYS, Errno::NOTSUP].contains(&e) => Ok(false),
            Err(e) => Err(e.into()),
        }
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = (a, b);
        Ok(false)
    }
}

/// Gives the file at `from` the name `to` as well, failing with `AlreadyExists` when `to` is
/// taken: a name that appears only once its content is complete, and never replaces another
/// file. Where hard links are not supported, a rename that refuses to replace (Linux), else
/// a rename after checking that `to` is free.
pub(super) fn link_new(from: &Path, to: &Path) -> io::Result<()> {
    match fs::hard_link(from, to) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Err(e),
        Err(_) => rename_new(from, to),
    }
}

#[cfg(target_os = "linux")]
fn rename_new(from: &Path, to: &Path) -> io::Result<()> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    match renameat_with(CWD, from, CWD, to, RenameFlags::NOREPLACE) {
        Ok(()) => Ok(()),
        Err(e) if e == rustix::io::Errno::EXIST => Err(io::ErrorKind::AlreadyExists.into()),
        Err(_) => rename_if_free(from, to),
    }
}

#[cfg(not(target_os = "linux"))]
fn rename_new(from: &Path, to: &Path) -> io::Result<()> {
    rename_if_free(from, to)
}

fn rename_if_free(from: &Path, to: &Path) -> io::Result<()> {
    if fs::symlink_metadata(to).is_ok() {
        return Err(io::ErrorKind::AlreadyExists.into());
    }
    fs::rename(from, to)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs::Permissions;

    fn temp_names(dir: &Path) -> Vec<String> {
        fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".tmp"))
            .collect()
    }

    #[test]
    fn replaces_and_creates() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.yaml");
        atomic_write(&path, b"one\n").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"one\n");
        atomic_write(&path, b"two\n").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"two\n");
        assert!(temp_names(dir.path()).is_empty());
    }

    #[test]
    fn a_failure_before_the_rename_leaves_the_file_and_no_temp_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.yaml");
        fs::write(&path, "old\n").unwrap();
        let result = atomic_write_with(&path, b"new\n", || Err(io::Error::other("no")));
        assert!(result.is_err());
        assert_eq!(fs::read(&path).unwrap(), b"old\n");
        assert!(temp_names(dir.path()).is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn keeps_the_mode_and_writes_through_relative_symlink_chains() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join("real")).unwrap();
        let real = dir.path().join("real/target.yaml");
        fs::write(&real, "old\n").unwrap();
        fs::set_permissions(&real, Permissions::from_mode(0o600)).unwrap();
        std::os::unix::fs::symlink("real/target.yaml", dir.path().join("middle")).unwrap();
        std::os::unix::fs::symlink("middle", dir.path().join("link.yaml")).unwrap();
        atomic_write(&dir.path().join("link.yaml"), b"new\n").unwrap();
        assert_eq!(fs::read(&real).unwrap(), b"new\n");
        let mode = fs::metadata(&real).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        for link in ["middle", "link.yaml"] {
            let meta = fs::symlink_metadata(dir.path().join(link)).unwrap();
            assert!(meta.file_type().is_symlink(), "{link}");
        }
        // A dangling link: its target is created.
        std::os::unix::fs::symlink("real/new.yaml", dir.path().join("dangling.yaml")).unwrap();
        atomic_write(&dir.path().join("dangling.yaml"), b"x\n").unwrap();
        assert_eq!(fs::read(dir.path().join("real/new.yaml")).unwrap(), b"x\n");
        assert!(temp_names(dir.path()).is_empty());
        assert!(temp_names(&dir.path().join("real")).is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_loop_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink("b", dir.path().join("a")).unwrap();
        std::os::unix::fs::symlink("a", dir.path().join("b")).unwrap();
        assert!(atomic_write(&dir.path().join("a"), b"x").is_err());
    }
}
