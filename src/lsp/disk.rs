//! What the server knows of the files on disk: the recognised config files of each directory
//! (set discovery) and each file's stamp, read once and kept until the client says a file
//! changed (`workspace/didChangeWatchedFiles`). A client that cannot watch files gets no
//! such notifications, so for it the view is refreshed at each edit instead (`refresh`), and
//! requests between edits reuse what was read.
//!
//! The interface (`listing`, `stamp`, `changed`, `refresh`) is all the rest of the server
//! uses, so the type can move to a workspace module shared with the CLI unchanged.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use crate::model::FileKind;

/// A file's modification time and length, or `None` when it cannot be read.
pub(crate) type DiskStamp = Option<(SystemTime, u64)>;

#[derive(Default)]
pub(crate) struct DiskView {
    /// Whether the client reports every change on disk (its file watchers are registered).
    watched: bool,
    /// The recognised config files of a directory, sorted by path.
    dirs: HashMap<PathBuf, Vec<(PathBuf, FileKind)>>,
    stamps: HashMap<PathBuf, DiskStamp>,
    /// How many times the disk was read (directory listings and stats), for tests.
    reads: u64,
}

impl DiskView {
    /// Trust the cache until told otherwise: the client reports changes on disk.
    pub(crate) fn set_watched(&mut self, watched: bool) {
        self.watched = watched;
    }

    /// The recognised config files of `dir` on disk (files whose name aiblint knows).
    pub(crate) fn listing(&mut self, dir: &Path) -> &[(PathBuf, FileKind)] {
        if !self.dirs.contains_key(dir) {
            self.reads += 1;
            // `metadata` follows symlinks, as reading the file will.
            let found: Vec<(PathBuf, FileKind)> = crate::workspace::recognised_files(dir)
                .unwrap_or_default()
                .into_iter()
                .filter(|(path, _)| path.metadata().is_ok_and(|m| m.is_file()))
                .collect();
            self.dirs.insert(dir.to_path_buf(), found);
        }
        self.dirs.get(dir).map_or(&[], Vec::as_slice)
    }

    /// The stamp of the file at `path`.
    pub(crate) fn stamp(&mut self, path: &Path) -> DiskStamp {
        if let Some(stamp) = self.stamps.get(path) {
            return *stamp;
        }
        self.reads += 1;
        let meta = std::fs::metadata(path).ok();
        let stamp = meta.and_then(|m| Some((m.modified().ok()?, m.len())));
        self.stamps.insert(path.to_path_buf(), stamp);
        stamp
    }

    /// The client says `path` changed (created, changed or deleted).
    pub(crate) fn changed(&mut self, path: &Path) {
        self.stamps.remove(path);
        if let Some(dir) = path.parent() {
            self.dirs.remove(dir);
        }
    }

    /// An edit arrived: without watchers, what is on disk may have changed since the last
    /// look, so it is read again; with them, the cache stands.
    pub(crate) fn refresh(&mut self) {
        if !self.watched {
            self.clear();
        }
    }

    pub(crate) fn clear(&mut self) {
        self.dirs.clear();
        self.stamps.clear();
    }

    pub(crate) fn reads(&self) -> u64 {
        self.reads
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_once_until_told_of_a_change() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("providers.yaml"), "a: 1\n").unwrap();
        std::fs::write(dir.path().join("notes.yaml"), "a: 1\n").unwrap();
        std::fs::create_dir(dir.path().join("ports.yaml")).unwrap();
        let mut view = DiskView::default();
        view.set_watched(true);
        let listed: Vec<FileKind> = view.listing(dir.path()).iter().map(|(_, k)| *k).collect();
        assert_eq!(listed, [FileKind::Providers]);
        let providers = dir.path().join("providers.yaml");
        assert!(view.stamp(&providers).is_some());
        let reads = view.reads();
        view.listing(dir.path());
        view.stamp(&providers);
        view.refresh();
        view.listing(dir.path());
        assert_eq!(view.reads(), reads, "a watched view reads nothing again");

        std::fs::write(dir.path().join("model-mappings.yaml"), "a: 1\n").unwrap();
        view.changed(&dir.path().join("model-mappings.yaml"));
        assert_eq!(view.listing(dir.path()).len(), 2);

        view.set_watched(false);
        let reads = view.reads();
        view.refresh();
        view.listing(dir.path());
        assert_eq!(
            view.reads(),
            reads + 1,
            "without watchers an edit reads again"
        );
    }
}
