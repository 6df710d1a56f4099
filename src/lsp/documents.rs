//! The document store: the open buffers (text, version, line index), incremental edits
//! applied in order, and the config set of each document — the recognised files of its
//! directory, open buffers winning over disk — analysed and checked as one snapshot.
//!
//! Documents are identified by [`DocKey`], the file path a `file:` URI names, not by the URI's
//! spelling: editors percent-encode paths differently (VS Code writes `gateway%2Blab` and
//! `file:///c%3A/...`, Neovim `%c3%a8` for `è`), and the server builds URIs of its own for
//! files it reads from disk. What is sent back to the client uses the client's own spelling
//! of each open document.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tower_lsp::lsp_types::{TextDocumentContentChangeEvent, Url};

use super::convert::Lines;
use crate::diagnostic::Diagnostic;
use crate::lint::{check_config_set, RuleSelection};
use crate::model::{ConfigSet, FileKind, SetMember, SourceFile};
use crate::text::{LineIndex, PositionEncoding};
use crate::workspace::{self, DiskStamp, DiskView};

pub(crate) use super::doc_key::{file_path, DocKey};

/// An open buffer.
pub(crate) struct Document {
    /// The URI as the client wrote it.
    pub uri: Url,
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
    Lone(DocKey),
}

/// What a member's analysis was computed from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stamp {
    Open(i32),
    Disk(DiskStamp),
}

/// A member of a snapshot: where it comes from and, when it is an open buffer, its version.
#[derive(Clone, Debug)]
pub(crate) struct MemberMeta {
    /// The client's URI of an open buffer, or one built from the path of a file on disk.
    pub uri: Url,
    pub key: DocKey,
    pub version: Option<i32>,
    stamp: Stamp,
}

/// One config set analysed and checked at the versions in `members`.
pub(crate) struct Snapshot {
    /// Parallel to `set.members`.
    pub members: Vec<MemberMeta>,
    /// The set as navigation sees it: a member with a syntax error carries the typed config
    /// of what parsed before the error, so hover and symbols keep working while typing.
    /// Diagnostics were computed from the strict set, in which that member has none.
    pub set: ConfigSet,
    /// The sorted diagnostics of each member, parallel to `members`.
    pub diagnostics: Vec<Vec<Diagnostic>>,
    pub encoding: PositionEncoding,
    /// The rules the set was checked with (fix-all checks again with them).
    pub selection: RuleSelection,
}

impl Snapshot {
    pub(crate) fn index_of(&self, uri: &Url) -> Option<usize> {
        let key = DocKey::of(uri);
        self.members.iter().position(|m| m.key == key)
    }

    pub(crate) fn file(&self, index: usize) -> Option<&SourceFile> {
        self.set.members.get(index).map(|m| &*m.file)
    }

    /// Positions in member `index`.
    pub(crate) fn lines(&self, index: usize) -> Option<Lines<'_>> {
        let file = self.file(index)?;
        Some(Lines::new(&file.text, file.line_index(), self.encoding))
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
    key: DocKey,
    kind: Option<FileKind>,
    stamp: Stamp,
}

/// Every open document and what the server knows of their sets.
pub(crate) struct Documents {
    open: HashMap<DocKey, Document>,
    pub encoding: PositionEncoding,
    /// The workspace root, to show paths in messages relative to it.
    root: Option<PathBuf>,
    /// The analysis of each open buffer at a version, reused while it does not change (the
    /// closed files' are `disk`'s).
    analyses: HashMap<DocKey, (Stamp, Option<FileKind>, Arc<SourceFile>)>,
    snapshots: HashMap<SetKey, Arc<Snapshot>>,
    /// Rule selection per directory, from the nearest `aiblint.toml`.
    settings: HashMap<PathBuf, RuleSelection>,
    /// Set discovery, file stamps and the closed files read.
    pub disk: DiskView,
    /// Problems to tell the user (an invalid `aiblint.toml`), drained by the session.
    pub messages: Vec<String>,
    /// The problems told already, so that each is told once until the settings change.
    told: HashSet<String>,
    /// How many times a config set was checked (for `aiblint/stats`).
    pub checks: u64,
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
            disk: DiskView::default(),
            messages: Vec::new(),
            told: HashSet::new(),
            checks: 0,
        }
    }

    pub(crate) fn get(&self, uri: &Url) -> Option<&Document> {
        self.open.get(&DocKey::of(uri))
    }

    pub(crate) fn open(&mut self, uri: Url, version: i32, text: String) {
        let line_index = LineIndex::new(&text);
        let key = DocKey::of(&uri);
        self.forget(&key);
        self.disk.refresh();
        self.open.insert(
            key,
            Document {
                uri,
                version,
                text,
                line_index,
            },
        );
    }

    pub(crate) fn close(&mut self, uri: &Url) {
        let key = DocKey::of(uri);
        self.open.remove(&key);
        self.forget(&key);
        self.disk.refresh();
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
        let key = DocKey::of(uri);
        let Some(doc) = self.open.get_mut(&key) else {
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
        self.forget(&key);
        self.disk.refresh();
        Ok(())
    }

    /// Drops what was computed from `key`: its analysis and every snapshot it is part of.
    /// (Snapshots are also checked against their members' versions and disk stamps before
    /// reuse; this covers a buffer reopened with a version number it had before.)
    fn forget(&mut self, key: &DocKey) {
        self.analyses.remove(key);
        self.snapshots
            .retain(|_, s| !s.members.iter().any(|m| &m.key == key));
    }

    /// Drops every cached analysis and snapshot (after a panic, in case one was left
    /// inconsistent).
    pub(crate) fn reset_caches(&mut self) {
        self.analyses.clear();
        self.snapshots.clear();
        self.settings.clear();
        self.disk.clear();
    }

    /// A file on disk changed, was created or deleted (or the settings did): forget what was
    /// read from it.
    pub(crate) fn disk_changed(&mut self, uri: &Url) {
        let key = DocKey::of(uri);
        let Some(path) = key.path() else {
            return;
        };
        self.disk.changed(path);
        if path.file_name().is_some_and(|n| n == "aiblint.toml") {
            self.settings.clear();
            self.snapshots.clear();
            self.told.clear();
            return;
        }
        self.forget(&key);
    }

    /// The open documents whose diagnostics may change when `uri` changes: every open
    /// document of the same directory (its config set), `uri` included when open. Their
    /// URIs as the client wrote them, sorted by path.
    pub(crate) fn affected_by(&self, uri: &Url) -> Vec<Url> {
        let key = DocKey::of(uri);
        let dir = key.dir();
        let mut out: Vec<(&DocKey, &Url)> = self
            .open
            .iter()
            .filter(|(k, _)| **k == key || (dir.is_some() && k.dir() == dir))
            .map(|(k, d)| (k, &d.uri))
            .collect();
        out.sort();
        out.into_iter().map(|(_, u)| u.clone()).collect()
    }

    /// Every open document, sorted.
    pub(crate) fn open_uris(&self) -> Vec<Url> {
        let mut out: Vec<(&DocKey, &Url)> = self.open.iter().map(|(k, d)| (k, &d.uri)).collect();
        out.sort();
        out.into_iter().map(|(_, u)| u.clone()).collect()
    }

    /// The checked config set of an open document, computed now unless nothing it was
    /// computed from has changed.
    pub(crate) fn snapshot(&mut self, uri: &Url) -> Option<Arc<Snapshot>> {
        let key = DocKey::of(uri);
        if !self.open.contains_key(&key) {
            return None;
        }
        let (set_key, planned) = self.plan(&key);
        if let Some(cached) = self.snapshots.get(&set_key) {
            let same = cached.members.len() == planned.len()
                && cached
                    .members
                    .iter()
                    .zip(&planned)
                    .all(|(m, p)| m.key == p.key && m.stamp == p.stamp);
            if same {
                return Some(cached.clone());
            }
        }
        let selection = self.selection_for(&set_key);
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
                key: p.key,
                stamp: p.stamp,
            });
        }
        let set = ConfigSet::new(members);
        let diagnostics = check_config_set(&set, &selection);
        self.checks += 1;
        let snapshot = Arc::new(Snapshot {
            members: metas,
            set: navigation_set(set),
            diagnostics,
            encoding: self.encoding,
            selection,
        });
        self.snapshots.insert(set_key, snapshot.clone());
        Some(snapshot)
    }

    /// The members of the set of the open document `key`, in the order the CLI would take
    /// them.
    fn plan(&mut self, key: &DocKey) -> (SetKey, Vec<Planned>) {
        let name = match key {
            DocKey::File(path) => path
                .file_name()
                .and_then(|n| n.to_str())
                .map(str::to_string),
            DocKey::Other(_) => self
                .open
                .get(key)
                .and_then(|d| d.uri.path_segments()?.next_back().map(str::to_string)),
        }
        .unwrap_or_default();
        let dir = key.dir().map(Path::to_path_buf);
        let siblings = match &dir {
            Some(d) => self.recognised(d),
            None => Vec::new(),
        };
        if let (Some(dir), Some(_)) = (&dir, FileKind::from_file_name(&name)) {
            let members = siblings
                .into_iter()
                .filter_map(|(k, kind)| self.planned(k, Some(kind)))
                .collect();
            return (SetKey::Dir(dir.clone()), members);
        }
        let text = self.open.get(key).map(|d| d.text.as_str()).unwrap_or("");
        let kind = FileKind::detect(&name, text);
        let mut members: Vec<Planned> = self.planned(key.clone(), kind).into_iter().collect();
        for (k, other) in workspace::lone_file_context(kind, |k| k == key, siblings) {
            members.extend(self.planned(k, Some(other)));
        }
        (SetKey::Lone(key.clone()), members)
    }

    /// A member: an open document (under the client's URI) or a file on disk (under a URI
    /// spelled as the client spells its open sibling's directory, else built from its path).
    fn planned(&mut self, key: DocKey, kind: Option<FileKind>) -> Option<Planned> {
        let (uri, stamp) = match (self.open.get(&key), key.path()) {
            (Some(doc), _) => (doc.uri.clone(), Stamp::Open(doc.version)),
            (None, Some(path)) => (
                self.spelled_like_sibling(path)
                    .or_else(|| Url::from_file_path(path).ok())?,
                Stamp::Disk(self.disk.stamp(path)),
            ),
            (None, None) => return None,
        };
        Some(Planned {
            uri,
            key,
            kind,
            stamp,
        })
    }

    /// The URI of the file at `path` written as the client writes the URI of an open
    /// document of the same directory (VS Code's `gateway%2Blab/`), so that every URI the
    /// client gets for a set is spelled one way.
    fn spelled_like_sibling(&self, path: &Path) -> Option<Url> {
        let dir = path.parent()?;
        let name = path.file_name()?.to_str()?;
        let (_, sibling) = self
            .open
            .iter()
            .filter(|(k, _)| k.dir() == Some(dir))
            .min_by(|a, b| a.0.cmp(b.0))?;
        let mut uri = sibling.uri.clone();
        uri.path_segments_mut().ok()?.pop().push(name);
        (DocKey::of(&uri).path() == Some(path)).then_some(uri)
    }

    /// The recognised files of `dir`, on disk or open, sorted by path.
    fn recognised(&mut self, dir: &Path) -> Vec<(DocKey, FileKind)> {
        let mut found: Vec<(DocKey, FileKind)> = self
            .disk
            .listing(dir)
            .iter()
            .map(|(path, kind)| (DocKey::File(path.clone()), *kind))
            .collect();
        found.extend(self.open.keys().filter_map(|k| {
            let path = k.path().filter(|p| p.parent() == Some(dir))?;
            let kind = FileKind::from_file_name(path.file_name()?.to_str()?)?;
            Some((k.clone(), kind))
        }));
        found.sort();
        found.dedup();
        found
    }

    /// The analysed file of a member, shared, reused when its stamp has not changed: an open
    /// buffer's from `analyses`, a closed file's from the disk view.
    fn analysis(&mut self, p: &Planned) -> Arc<SourceFile> {
        if let (None, Some(path)) = (self.open.get(&p.key), p.key.path()) {
            return self.disk.file(path, p.kind).1;
        }
        if let Some((stamp, kind, file)) = self.analyses.get(&p.key) {
            if *stamp == p.stamp && *kind == p.kind {
                return file.clone();
            }
        }
        let file = Arc::new(match self.open.get(&p.key) {
            Some(doc) => SourceFile::analyze(p.kind, doc.text.clone()),
            None => SourceFile::unreadable(p.kind, "not open and not on disk".into()),
        });
        self.analyses
            .insert(p.key.clone(), (p.stamp, p.kind, file.clone()));
        file
    }

    /// Paths as shown in messages: relative to the workspace root when inside it.
    fn display_path(&self, p: &Planned) -> String {
        match p.key.path() {
            Some(path) => workspace::display_relative(path, self.root.as_deref()),
            None => p.uri.to_string(),
        }
    }

    /// The rule selection of the nearest `aiblint.toml` at or above the set's directory.
    fn selection_for(&mut self, key: &SetKey) -> RuleSelection {
        let dir = match key {
            SetKey::Dir(d) => Some(d.clone()),
            SetKey::Lone(k) => k.dir().map(Path::to_path_buf),
        };
        let Some(dir) = dir else {
            return RuleSelection::default();
        };
        if let Some(selection) = self.settings.get(&dir) {
            return selection.clone();
        }
        let selection = match workspace::selection_for(&dir, None) {
            Ok(selection) => selection,
            Err(e) => {
                let message = format!("aiblint: {e}; using the default rules");
                if self.told.insert(message.clone()) {
                    self.messages.push(message);
                }
                RuleSelection::default()
            }
        };
        self.settings.insert(dir, selection.clone());
        selection
    }
}

/// The set as navigation sees it (see [`Snapshot::set`]).
fn navigation_set(set: ConfigSet) -> ConfigSet {
    if set.members.iter().all(|m| m.file.parse.is_complete()) {
        return set;
    }
    let members = set
        .members
        .into_iter()
        .map(|m| SetMember {
            file: m.file.with_partial_config().map(Arc::new).unwrap_or(m.file),
            path: m.path,
        })
        .collect();
    ConfigSet::new(members)
}

#[cfg(test)]
mod tests;
