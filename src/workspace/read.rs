//! Reading a config file from disk within bounds, the one way the CLI and the language server
//! read the files they check: only regular files are opened for reading (a FIFO, a device such
//! as `/dev/zero` or a directory named `providers.yaml` is refused without being read), the
//! size is checked before reading, and at most `MAX_FILE_SIZE + 1` bytes are read whatever
//! the size claims, so a huge, sparse or growing file costs neither the time nor the memory
//! of its size.

use std::collections::HashMap;
use std::fs::{self, File, OpenOptions};
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::model::{FileKind, ReadProblem, SourceFile, MAX_FILE_SIZE};

/// The bytes of the regular file at `path` (through symlinks), or why they were not read.
pub fn read_bounded(path: &Path) -> Result<Vec<u8>, ReadProblem> {
    let unreadable = |e: std::io::Error| ReadProblem::Unreadable(e.to_string());
    // Checked before opening: opening a FIFO blocks until a writer comes, and opening a
    // device may do something.
    let meta = fs::metadata(path).map_err(unreadable)?;
    refuse_if_not_regular(&meta)?;
    let file = open_nonblocking(path).map_err(unreadable)?;
    // Checked again on what was opened, in case the path changed in between.
    let meta = file.metadata().map_err(unreadable)?;
    refuse_if_not_regular(&meta)?;
    let cap = MAX_FILE_SIZE as u64;
    if meta.len() > cap {
        return Err(ReadProblem::TooLarge {
            size: usize::try_from(meta.len()).unwrap_or(usize::MAX),
        });
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(cap + 1)
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    if bytes.len() > MAX_FILE_SIZE {
        // It grew while being read, or its size was not what the metadata said.
        return Err(ReadProblem::TooLarge { size: bytes.len() });
    }
    Ok(bytes)
}

/// The file at `path` analysed as `kind`, or a file that reports why it was not read.
pub fn read_source(path: &Path, kind: Option<FileKind>) -> SourceFile {
    SourceFile::from_read(kind, read_bounded(path))
}

/// Files read while finding the targets (for their `include:`s), kept so that checking them
/// reads each once, and analyses the very bytes whose includes were followed.
#[derive(Debug, Default)]
pub struct ReadOnce(HashMap<PathBuf, Result<Vec<u8>, ReadProblem>>);

impl ReadOnce {
    /// The text of `path`, read now or as read before; `None` when unreadable or not UTF-8.
    pub fn text(&mut self, path: &Path) -> Option<&str> {
        let bytes = self
            .0
            .entry(path.to_path_buf())
            .or_insert_with(|| read_bounded(path))
            .as_ref()
            .ok()?;
        std::str::from_utf8(bytes).ok()
    }

    /// The bytes of `path`: those read before (given up), else read now.
    pub fn take(&mut self, path: &Path) -> Result<Vec<u8>, ReadProblem> {
        self.0.remove(path).unwrap_or_else(|| read_bounded(path))
    }
}

fn refuse_if_not_regular(meta: &fs::Metadata) -> Result<(), ReadProblem> {
    if meta.is_file() {
        return Ok(());
    }
    let what = if meta.is_dir() {
        "a directory"
    } else {
        special_file_kind(meta)
    };
    Err(ReadProblem::Unreadable(format!(
        "not a regular file ({what}); aiblint reads only regular files"
    )))
}

#[cfg(unix)]
fn special_file_kind(meta: &fs::Metadata) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    let kind = meta.file_type();
    if kind.is_fifo() {
        "a FIFO"
    } else if kind.is_char_device() {
        "a character device"
    } else if kind.is_block_device() {
        "a block device"
    } else if kind.is_socket() {
        "a socket"
    } else {
        "a special file"
    }
}

#[cfg(not(unix))]
fn special_file_kind(_meta: &fs::Metadata) -> &'static str {
    "a special file"
}

/// Opens for reading without waiting: if the path became a FIFO after it was checked, the
/// open returns at once (and the check on the opened file refuses it).
#[cfg(unix)]
fn open_nonblocking(path: &Path) -> std::io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    OpenOptions::new()
        .read(true)
        .custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32)
        .open(path)
}

#[cfg(not(unix))]
fn open_nonblocking(path: &Path) -> std::io::Result<File> {
    OpenOptions::new().read(true).open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_file_and_refuses_a_directory() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("providers.yaml");
        fs::write(&path, "a: 1\n").unwrap();
        assert_eq!(read_bounded(&path).unwrap(), b"a: 1\n");
        let problem = read_bounded(dir.path()).unwrap_err();
        assert!(
            matches!(&problem, ReadProblem::Unreadable(m) if m.contains("a directory")),
            "{problem:?}"
        );
    }

    #[test]
    fn a_file_over_the_cap_is_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("providers.yaml");
        let file = File::create(&path).unwrap();
        // Sparse: the size claims 1 GiB, no byte is written.
        file.set_len(1 << 30).unwrap();
        assert_eq!(
            read_bounded(&path).unwrap_err(),
            ReadProblem::TooLarge { size: 1 << 30 }
        );
    }

    #[cfg(unix)]
    #[test]
    fn special_files_are_refused_without_blocking() {
        let problem = read_bounded(Path::new("/dev/zero")).unwrap_err();
        assert!(
            matches!(&problem, ReadProblem::Unreadable(m) if m.contains("character device")),
            "{problem:?}"
        );
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("providers.yaml");
        rustix::fs::mkfifoat(
            rustix::fs::CWD,
            &fifo,
            rustix::fs::Mode::from_raw_mode(0o600),
        )
        .unwrap();
        let problem = read_bounded(&fifo).unwrap_err();
        assert!(
            matches!(&problem, ReadProblem::Unreadable(m) if m.contains("a FIFO")),
            "{problem:?}"
        );
    }
}
