//! The document store: the open buffers (text, version, line index), incremental edits
//! applied in order, and the config set of each document — the recognised files of its
//! directory, open buffers winning over disk — analysed and checked as one snapshot.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use tower_lsp::lsp_types::{TextDocumentContentChangeEvent, Url};

use super::convert::Lines;
use crate::diagnostic::Diagnostic;
use crate::lint::{check_config_set, RuleSelection};
use crate::model::{ConfigSet, FileKind, SetMember, SourceFile};
use crate::settings::Settings;
use crate::text::{LineIndex, PositionEncoding};

/// An open buffer.
pub(crate) struct Document {
    pub version: i32,
    pub text: String,
    pub line_index: LineIndex,
}

/// Which config set a document belongs to.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) enum SetKey {
    /// The recognised files of a directory (`providers.yaml`, `model-mappings.yaml`, ...).
    Dir(PathBuf),
    /// A file whose name aiblint does not recognise (or that is not on disk): checked with
    /// its directory's recognised files of other kinds as context, as `aiblint check FILE`.
    Lone(Url),
}

/// What a member's analysis was computed from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stamp {
    Open(i32),
    Disk(Option<(SystemTime, u64)>),
}

/// A member of a snapshot: where it comes from and, when it is an open buffer, its version.
#[derive(Clone, Debug)]
pub(crate) struct MemberMeta {
    pub uri: Url,
    pub version: Option<i32>,
    stamp: Stamp,
}

/// One config set analysed and checked at the versions in `members`.
pub(crate) struct Snapshot {
    /// Parallel to `set.members`.
    pub members: Vec<MemberMeta>,
    pub set: ConfigSet,
    /// The sorted diagnostics of each member, parallel to `members`.
    pub diagnostics: Vec<Vec<Diagnostic>>,
    pub encoding: PositionEncoding,
}

impl Snapshot {
    pub(crate) fn index_of(&self, uri: &Url) -> Option<usize> {
        self.members.iter().position(|m| &m.uri == uri)
    }

    pub(crate) fn file(&self, index: usize) -> Option<&SourceFile> {
        self.set.members.get(index).map(|m| &m.file)
    }

    /// Positions in member `index`.
    pub(crate) fn lines(&self, index: usize) -> Option<Lines<'_>> {
        let file = self.file(index)?;
        Some(Lines::new(&file.text, &file.line_index, self.encoding))
    }

    /// The member that is the set's file of `kind`.
    pub(crate) fn index_of_kind(&self, kind: FileKind) -> Option<usize> {
        let member = self.set.member(kind)?;
        self.set
            .members
            .iter()
            .position(|m| std::ptr::eq(m, member))
    }
}

/// A member to analyse.
struct Planned {
    uri: Url,
    path: Option<PathBuf>,
    kind: Option<FileKind>,
    stamp: Stamp,
}

/// Every open document and what the server knows of their sets.
pub(crate) struct Documents {
    open: HashMap<Url, Document>,
    pub encoding: PositionEncoding,
    /// The workspace root, to show paths in messages relative to it.
    root: Option<PathBuf>,
    /// The analysis of each file at a stamp, reused while it does not change.
    analyses: HashMap<Url, (Stamp, Option<FileKind>, SourceFile)>,
    snapshots: HashMap<SetKey, Arc<Snapshot>>,
    /// Rule selection per directory, from the nearest `aiblint.toml`.
    settings: HashMap<PathBuf, RuleSelection>,
    /// Problems to tell the user (an invalid `aiblint.toml`), drained by the session.
    pub messages: Vec<String>,
}

impl Documents {
    pub(crate) fn new(encoding: PositionEncoding, root: Option<PathBuf>) -> Self {
        Documents {
            open: HashMap::new(),
            encoding,
            root,
            analyses: HashMap::new(),
            snapshots: HashMap::new(),
            settings: HashMap::new(),
            messages: Vec::new(),
        }
    }

    pub(crate) fn get(&self, uri: &Url) -> Option<&Document> {
        self.open.get(uri)
    }

    pub(crate) fn open(&mut self, uri: Url, version: i32, text: String) {
        let line_index = LineIndex::new(&text);
        self.forget(&uri);
        self.open.insert(
            uri,
            Document {
                version,
                text,
                line_index,
            },
        );
    }

    pub(crate) fn close(&mut self, uri: &Url) {
        self.open.remove(uri);
        self.forget(uri);
    }

    /// Applies content changes in the order given, each against the text the previous one
    /// left, then records the new version.
    pub(crate) fn change(
        &mut self,
        uri: &Url,
        version: i32,
        changes: Vec<TextDocumentContentChangeEvent>,
    ) -> Result<(), String> {
        let encoding = self.encoding;
        let Some(doc) = self.open.get_mut(uri) else {
            return Err(format!("change for a document that is not open: {uri}"));
        };
        for change in changes {
            match change.range {
                None => doc.text = change.text,
                Some(range) => {
                    let r = Lines::new(&doc.text, &doc.line_index, encoding).text_range(range);
                    doc.text.replace_range(r.as_range(), &change.text);
                }
            }
            doc.line_index = LineIndex::new(&doc.text);
        }
        doc.version = version;
        self.forget(uri);
        Ok(())
    }

    /// Drops what was computed from `uri`: its analysis and every snapshot it is part of.
    /// (Snapshots are also checked against their members' versions and disk stamps before
    /// reuse; this covers a buffer reopened with a version number it had before.)
    fn forget(&mut self, uri: &Url) {
        self.analyses.remove(uri);
        self.snapshots
            .retain(|_, s| !s.members.iter().any(|m| &m.uri == uri));
    }

    /// Drops every cached analysis and snapshot (after a panic, in case one was left
    /// inconsistent).
    pub(crate) fn reset_caches(&mut self) {
        self.analyses.clear();
        self.snapshots.clear();
        self.settings.clear();
    }

    /// A file on disk changed (or the settings did): forget what was read from it.
    pub(crate) fn disk_changed(&mut self, path: &Path) {
        if path.file_name().is_some_and(|n| n == "aiblint.toml") {
            self.settings.clear();
            self.snapshots.clear();
            return;
        }
        if let Ok(uri) = Url::from_file_path(path) {
            self.forget(&uri);
        }
    }

    /// The open documents whose diagnostics may change when `uri` changes: every open
    /// document of the same directory (its config set), `uri` included when open.
    pub(crate) fn affected_by(&self, uri: &Url) -> Vec<Url> {
        let dir = file_path(uri).and_then(|p| p.parent().map(Path::to_path_buf));
        let mut out: Vec<Url> = self
            .open
            .keys()
            .filter(|u| {
                *u == uri
                    || (dir.is_some()
                        && file_path(u).and_then(|p| p.parent().map(Path::to_path_buf)) == dir)
            })
            .cloned()
            .collect();
        out.sort();
        out
    }

    /// Every open document, sorted.
    pub(crate) fn open_uris(&self) -> Vec<Url> {
        let mut out: Vec<Url> = self.open.keys().cloned().collect();
        out.sort();
        out
    }

    /// The checked config set of an open document, computed now unless nothing it was
    /// computed from has changed.
    pub(crate) fn snapshot(&mut self, uri: &Url) -> Option<Arc<Snapshot>> {
        if !self.open.contains_key(uri) {
            return None;
        }
        let (key, planned) = self.plan(uri);
        if let Some(cached) = self.snapshots.get(&key) {
            let same = cached.members.len() == planned.len()
                && cached
                    .members
                    .iter()
                    .zip(&planned)
                    .all(|(m, p)| m.uri == p.uri && m.stamp == p.stamp);
            if same {
                return Some(cached.clone());
            }
        }
        let selection = self.selection_for(&key);
        let mut members = Vec::with_capacity(planned.len());
        let mut metas = Vec::with_capacity(planned.len());
        for p in planned {
            let file = self.analysis(&p);
            let path = self.display_path(&p);
            members.push(SetMember { path, file });
            metas.push(MemberMeta {
                version: match p.stamp {
                    Stamp::Open(v) => Some(v),
                    Stamp::Disk(_) => None,
                },
                uri: p.uri,
                stamp: p.stamp,
            });
        }
        let set = ConfigSet::new(members);
        let diagnostics = check_config_set(&set, &selection);
        let snapshot = Arc::new(Snapshot {
            members: metas,
            set,
            diagnostics,
            encoding: self.encoding,
        });
        self.snapshots.insert(key, snapshot.clone());
        Some(snapshot)
    }

    /// The members of `uri`'s set, in the order the CLI would take them.
    fn plan(&self, uri: &Url) -> (SetKey, Vec<Planned>) {
        let path = file_path(uri);
        let name = path
            .as_ref()
            .and_then(|p| p.file_name())
            .and_then(|n| n.to_str())
            .map(str::to_string)
            .or_else(|| {
                uri.path_segments()
                    .and_then(|mut s| s.next_back().map(str::to_string))
            })
            .unwrap_or_default();
        let dir = path
            .as_ref()
            .and_then(|p| p.parent().map(Path::to_path_buf));
        let siblings = dir
            .as_deref()
            .map(|d| self.recognised(d))
            .unwrap_or_default();
        let planned = |u: &Url, p: Option<PathBuf>, kind| Planned {
            stamp: self.stamp(u, p.as_deref()),
            uri: u.clone(),
            path: p,
            kind,
        };
        if let (Some(dir), Some(_)) = (&dir, FileKind::from_file_name(&name)) {
            let members = siblings
                .into_iter()
                .map(|(u, p, kind)| planned(&u, Some(p), Some(kind)))
                .collect();
            return (SetKey::Dir(dir.clone()), members);
        }
        let text = self.open.get(uri).map(|d| d.text.as_str()).unwrap_or("");
        let kind = FileKind::detect(&name, text);
        let mut members = vec![planned(uri, path.clone(), kind)];
        members.extend(
            siblings
                .into_iter()
                .filter(|(u, _, k)| Some(*k) != kind && u != uri)
                .map(|(u, p, k)| planned(&u, Some(p), Some(k))),
        );
        (SetKey::Lone(uri.clone()), members)
    }

    /// The recognised files of `dir`, on disk or open, sorted by path.
    fn recognised(&self, dir: &Path) -> Vec<(Url, PathBuf, FileKind)> {
        let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
            .map(|entries| entries.filter_map(|e| e.ok()).map(|e| e.path()).collect())
            .unwrap_or_default();
        paths.extend(
            self.open
                .keys()
                .filter_map(file_path)
                .filter(|p| p.parent() == Some(dir)),
        );
        paths.sort();
        paths.dedup();
        paths
            .into_iter()
            .filter_map(|p| {
                let kind = FileKind::from_file_name(p.file_name()?.to_str()?)?;
                let uri = Url::from_file_path(&p).ok()?;
                (self.open.contains_key(&uri) || p.is_file()).then_some((uri, p, kind))
            })
            .collect()
    }

    fn stamp(&self, uri: &Url, path: Option<&Path>) -> Stamp {
        if let Some(doc) = self.open.get(uri) {
            return Stamp::Open(doc.version);
        }
        let meta = path.and_then(|p| std::fs::metadata(p).ok());
        Stamp::Disk(meta.and_then(|m| Some((m.modified().ok()?, m.len()))))
    }

    /// The analysed file of a member, reused when its stamp has not changed.
    fn analysis(&mut self, p: &Planned) -> SourceFile {
        if let Some((stamp, kind, file)) = self.analyses.get(&p.uri) {
            if *stamp == p.stamp && *kind == p.kind {
                return file.clone();
            }
        }
        let file = match (self.open.get(&p.uri), &p.path) {
            (Some(doc), _) => SourceFile::analyze(p.kind, doc.text.clone()),
            (None, Some(path)) => match std::fs::read(path) {
                Ok(bytes) => SourceFile::from_bytes(p.kind, bytes),
                Err(e) => SourceFile::unreadable(p.kind, e.to_string()),
            },
            (None, None) => SourceFile::unreadable(p.kind, "not open and not on disk".into()),
        };
        self.analyses
            .insert(p.uri.clone(), (p.stamp, p.kind, file.clone()));
        file
    }

    /// Paths as shown in messages: relative to the workspace root when inside it.
    fn display_path(&self, p: &Planned) -> String {
        let Some(path) = &p.path else {
            return p.uri.to_string();
        };
        let shown = self
            .root
            .as_ref()
            .and_then(|root| path.strip_prefix(root).ok())
            .unwrap_or(path);
        shown.display().to_string()
    }

    /// The rule selection of the nearest `aiblint.toml` at or above the set's directory.
    fn selection_for(&mut self, key: &SetKey) -> RuleSelection {
        let dir = match key {
            SetKey::Dir(d) => Some(d.clone()),
            SetKey::Lone(u) => file_path(u).and_then(|p| p.parent().map(Path::to_path_buf)),
        };
        let Some(dir) = dir else {
            return RuleSelection::default();
        };
        if let Some(selection) = self.settings.get(&dir) {
            return selection.clone();
        }
        let selection = match dir
            .ancestors()
            .map(|d| d.join("aiblint.toml"))
            .find(|p| p.is_file())
        {
            None => RuleSelection::default(),
            Some(path) => match read_selection(&path) {
                Ok(selection) => selection,
                Err(e) => {
                    self.messages.push(format!(
                        "invalid settings in {}: {e}; using the default rules",
                        path.display()
                    ));
                    RuleSelection::default()
                }
            },
        };
        self.settings.insert(dir, selection.clone());
        selection
    }
}

fn read_selection(path: &Path) -> Result<RuleSelection, String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let settings = Settings::from_toml(&text)?;
    RuleSelection::from_settings(&settings)
}

/// The path of a `file:` URI.
pub(crate) fn file_path(uri: &Url) -> Option<PathBuf> {
    if uri.scheme() != "file" {
        return None;
    }
    uri.to_file_path().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use tower_lsp::lsp_types::{Position, Range};

    fn change(
        range: Option<((u32, u32), (u32, u32))>,
        text: &str,
    ) -> TextDocumentContentChangeEvent {
        TextDocumentContentChangeEvent {
            range: range
                .map(|((a, b), (c, d))| Range::new(Position::new(a, b), Position::new(c, d))),
            range_length: None,
            text: text.to_string(),
        }
    }

    #[test]
    fn changes_apply_in_order_against_the_previous_text() {
        let mut docs = Documents::new(PositionEncoding::Utf16, None);
        let uri = Url::parse("untitled:one").unwrap();
        docs.open(uri.clone(), 1, "é🦙 a\nb\n".to_string());
        let changes = vec![
            change(Some(((0, 3), (0, 4))), "X"),
            change(Some(((1, 0), (1, 1))), "line\nnext"),
            change(Some(((2, 4), (2, 4))), "!"),
        ];
        docs.change(&uri, 2, changes).unwrap();
        let doc = docs.get(&uri).unwrap();
        assert_eq!(doc.text, "é🦙Xa\nline\nnext!\n");
        assert_eq!(doc.version, 2);
        docs.change(&uri, 3, vec![change(None, "whole")]).unwrap();
        assert_eq!(docs.get(&uri).unwrap().text, "whole");
        assert!(docs
            .change(&Url::parse("untitled:two").unwrap(), 1, vec![])
            .is_err());
    }

    #[test]
    fn a_set_is_its_directory_with_open_buffers_winning() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("providers.yaml"), "providers: {}\n").unwrap();
        std::fs::write(dir.path().join("notes.yaml"), "a: 1\n").unwrap();
        let mut docs = Documents::new(PositionEncoding::Utf8, Some(dir.path().to_path_buf()));
        let mappings = Url::from_file_path(dir.path().join("model-mappings.yaml")).unwrap();
        docs.open(mappings.clone(), 1, "exact_matches: {}\n".into());
        let snap = docs.snapshot(&mappings).unwrap();
        let names: Vec<&str> = snap.set.members.iter().map(|m| m.path.as_str()).collect();
        assert_eq!(names, ["model-mappings.yaml", "providers.yaml"]);
        assert_eq!(snap.members[0].version, Some(1));
        assert_eq!(snap.members[1].version, None);
        // Unchanged inputs give the same snapshot; an edit gives a new one.
        assert!(Arc::ptr_eq(&snap, &docs.snapshot(&mappings).unwrap()));
        docs.change(&mappings, 2, vec![change(None, "exact_matches: {}\n\n")])
            .unwrap();
        assert!(!Arc::ptr_eq(&snap, &docs.snapshot(&mappings).unwrap()));
        // An open providers buffer replaces the file on disk.
        let providers = Url::from_file_path(dir.path().join("providers.yaml")).unwrap();
        docs.open(providers.clone(), 7, "providers:\n  x: 1\n".into());
        let snap = docs.snapshot(&mappings).unwrap();
        assert_eq!(snap.members[1].version, Some(7));
        assert_eq!(
            docs.affected_by(&providers),
            vec![mappings.clone(), providers.clone()]
        );
    }
}
