//! What the language server knows of the files on disk: the recognised config files of
//! each directory (set discovery), each file's stamp, and each closed file of a set read and
//! analysed once, shared as an `Arc` by every set it is in. All of it is kept until the
//! client says a file changed (`workspace/didChangeWatchedFiles`): requests and edits do not
//! look at the disk. A client that cannot watch files sends no such notifications, so for it
//! listings and stamps are looked at again at each edit (`refresh`), and a file whose stamp
//! is unchanged keeps its analysis; requests between edits reuse what was read.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use crate::model::{FileKind, SourceFile};

/// A file's modification time and length, or `None` when it cannot be read.
pub type DiskStamp = Option<(SystemTime, u64)>;

/// The globs of the files a client must report changes of for the cache to hold: every
/// name aiblint recognises (the closed members of a set are of these) and the settings file.
pub fn watched_globs() -> [String; 2] {
    let stems: Vec<&str> = FileKind::ALL
        .iter()
        .filter_map(|k| k.file_name().strip_suffix(".yaml"))
        .collect();
    [
        format!("**/{{{}}}.{{yaml,yml}}", stems.join(",")),
        format!("**/{}", super::SETTINGS_FILE),
    ]
}

/// A closed file as read: the stamp it had and the kind it was analysed as.
struct CachedFile {
    stamp: DiskStamp,
    kind: Option<FileKind>,
    file: Arc<SourceFile>,
}

#[derive(Default)]
pub struct DiskView {
    /// Whether the client reports every change on disk (its file watchers are registered).
    watched: bool,
    /// The recognised config files of a directory, sorted by path.
    dirs: HashMap<PathBuf, Vec<(PathBuf, FileKind)>>,
    stamps: HashMap<PathBuf, DiskStamp>,
    /// The closed files read, by path.
    files: HashMap<PathBuf, CachedFile>,
    /// How many times the disk was read (directory listings, stats and files), for tests.
    reads: u64,
}

impl DiskView {
    /// Trust the cache until told otherwise: the client reports changes on disk.
    pub fn set_watched(&mut self, watched: bool) {
        self.watched = watched;
    }

    /// The recognised config files of `dir` on disk (files whose name aiblint knows).
    pub fn listing(&mut self, dir: &Path) -> &[(PathBuf, FileKind)] {
        if !self.dirs.contains_key(dir) {
            self.reads += 1;
            // `metadata` follows symlinks, as reading the file will.
            let found: Vec<(PathBuf, FileKind)> = super::recognised_files(dir)
                .unwrap_or_default()
                .into_iter()
                .filter(|(path, _)| path.metadata().is_ok_and(|m| m.is_file()))
                .collect();
            self.dirs.insert(dir.to_path_buf(), found);
        }
        self.dirs.get(dir).map_or(&[], Vec::as_slice)
    }

    /// The stamp of the file at `path`.
    pub fn stamp(&mut self, path: &Path) -> DiskStamp {
        if let Some(stamp) = self.stamps.get(path) {
            return *stamp;
        }
        self.reads += 1;
        let meta = std::fs::metadata(path).ok();
        let stamp = meta.and_then(|m| Some((m.modified().ok()?, m.len())));
        self.stamps.insert(path.to_path_buf(), stamp);
        stamp
    }

    /// The file at `path` analysed as `kind`, with the stamp it was read at: read once, then
    /// shared until it changes.
    pub fn file(&mut self, path: &Path, kind: Option<FileKind>) -> (DiskStamp, Arc<SourceFile>) {
        let stamp = self.stamp(path);
        if let Some(cached) = self.files.get(path) {
            if cached.stamp == stamp && cached.kind == kind {
                return (stamp, cached.file.clone());
            }
        }
        self.reads += 1;
        let file = Arc::new(super::read_source(path, kind));
        let cached = CachedFile {
            stamp,
            kind,
            file: file.clone(),
        };
        self.files.insert(path.to_path_buf(), cached);
        (stamp, file)
    }

    /// The client says `path` changed (created, changed or deleted).
    pub fn changed(&mut self, path: &Path) {
        self.stamps.remove(path);
        self.files.remove(path);
        if let Some(dir) = path.parent() {
            self.dirs.remove(dir);
        }
    }

    /// An edit arrived: without watchers, what is on disk may have changed since the last
    /// look, so listings and stamps are looked at again (a file keeps its analysis while its
    /// stamp is unchanged); with them, the cache stands.
    pub fn refresh(&mut self) {
        if !self.watched {
            self.dirs.clear();
            self.stamps.clear();
        }
    }

    /// Forgets everything read.
    pub fn clear(&mut self) {
        self.dirs.clear();
        self.stamps.clear();
        self.files.clear();
    }

    pub fn reads(&self) -> u64 {
        self.reads
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_watchers_cover_every_recognised_name() {
        let [names, settings] = watched_globs();
        for kind in FileKind::ALL {
            let stem = kind.file_name().strip_suffix(".yaml").unwrap();
            assert!(names.contains(stem), "{names} misses {stem}");
        }
        assert_eq!(
            names,
            "**/{providers,model-mappings,litellm-unified,ports,litellm-settings}.{yaml,yml}"
        );
        assert_eq!(settings, "**/aiblint.toml");
    }

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

        let (_, first) = view.file(&providers, Some(FileKind::Providers));
        let (_, again) = view.file(&providers, Some(FileKind::Providers));
        assert!(
            Arc::ptr_eq(&first, &again),
            "a file is read once and shared"
        );
        std::fs::write(&providers, "providers: {}\n").unwrap();
        let (_, unannounced) = view.file(&providers, Some(FileKind::Providers));
        assert!(
            Arc::ptr_eq(&first, &unannounced),
            "watched: no event, no read"
        );
        view.changed(&providers);
        let (_, fresh) = view.file(&providers, Some(FileKind::Providers));
        assert_eq!(fresh.text, "providers: {}\n");

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
