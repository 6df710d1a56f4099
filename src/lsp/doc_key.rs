//! How a URI identifies a document: editors spell the same file's URI differently, so a
//! document is known by the path its `file:` URI names.

use std::path::{Path, PathBuf};

use tower_lsp::lsp_types::Url;

/// What identifies a document: the path of a `file:` URI (percent-decoded, a Windows drive
/// letter in lower case), or any other URI (`untitled:`) as written.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum DocKey {
    File(PathBuf),
    Other(String),
}

impl DocKey {
    pub(crate) fn of(uri: &Url) -> DocKey {
        match file_path(uri) {
            Some(path) => DocKey::File(path),
            None => DocKey::Other(uri.as_str().to_string()),
        }
    }

    pub(super) fn path(&self) -> Option<&Path> {
        match self {
            DocKey::File(path) => Some(path),
            DocKey::Other(_) => None,
        }
    }

    pub(super) fn dir(&self) -> Option<&Path> {
        self.path()?.parent()
    }
}

/// The path of a `file:` URI: percent-decoded (`gateway%2Blab` is `gateway+lab`, `%c3%a8` is
/// `è`), with a Windows drive letter in lower case (VS Code writes `c%3A`, others `C:`).
pub(crate) fn file_path(uri: &Url) -> Option<PathBuf> {
    if uri.scheme() != "file" {
        return None;
    }
    let path = uri.to_file_path().ok().or_else(|| {
        // `to_file_path` on Windows does not take an encoded drive colon (`c%3A`).
        let decoded = percent_encoding::percent_decode_str(uri.path())
            .decode_utf8()
            .ok()?;
        let decoded = decoded.strip_prefix('/').unwrap_or(&decoded);
        Some(PathBuf::from(decoded))
    })?;
    Some(lower_drive_letter(path))
}

/// `C:/x` → `c:/x` and `/C:/x` → `/c:/x`; any other path unchanged.
fn lower_drive_letter(path: PathBuf) -> PathBuf {
    let Some(s) = path.to_str() else {
        return path;
    };
    let bytes = s.as_bytes();
    let at = usize::from(bytes.first() == Some(&b'/'));
    let drive = bytes.get(at).is_some_and(u8::is_ascii_uppercase)
        && bytes.get(at + 1) == Some(&b':')
        && matches!(bytes.get(at + 2), None | Some(b'/' | b'\\'));
    if !drive {
        return path;
    }
    let mut lowered = s.to_string();
    lowered[at..at + 1].make_ascii_lowercase();
    PathBuf::from(lowered)
}
