//! Set discovery: which files a path given on the command line (or an editor's document)
//! stands for, and which config set each is checked in.

use std::path::{Path, PathBuf};

use super::monitoring::{gateway_config_near, monitoring_files, monitoring_root};
use super::{dir_of, read_text, ReadOnce, WorkspaceError};
use crate::model::FileKind;

/// A file to check: where it is, what it is (`None`: unknown, syntax only), whether its
/// diagnostics are reported (or it is only context for its set), whether its text comes
/// from stdin rather than from `path`, and the directory whose set the file is checked in:
/// its own directory for a gateway file, the tree walked for a monitoring file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    pub path: PathBuf,
    pub kind: Option<FileKind>,
    pub report: bool,
    pub stdin: bool,
    pub set: PathBuf,
}

impl Target {
    pub fn new(path: PathBuf, kind: Option<FileKind>, report: bool) -> Target {
        let set = path.parent().map(Path::to_path_buf).unwrap_or_default();
        Target {
            path,
            kind,
            report,
            stdin: false,
            set,
        }
    }

    fn in_set(mut self, set: &Path) -> Target {
        self.set = set.to_path_buf();
        self
    }

    fn read_from_stdin(mut self) -> Target {
        self.stdin = true;
        self
    }
}

/// How the text read from stdin is named in the report when no `--stdin-filename` is given.
pub const STDIN_NAME: &str = "<stdin>";

/// The entries of `dir` whose name aiblint knows (`providers.yaml`, ...), sorted by path.
/// Whether each is a regular file is for the caller to ask: the command line reports one
/// that is not (E008), the language server leaves it out of the set.
pub fn recognised_files(dir: &Path) -> std::io::Result<Vec<(PathBuf, FileKind)>> {
    let mut found: Vec<(PathBuf, FileKind)> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let kind = FileKind::from_file_name(e.file_name().to_str()?)?;
            Some((e.path(), kind))
        })
        .collect();
    found.sort();
    Ok(found)
}

/// The recognised files of `dir`, or the error that says it cannot be listed.
pub fn list_set(dir: &Path) -> Result<Vec<(PathBuf, FileKind)>, WorkspaceError> {
    recognised_files(dir)
        .map_err(|e| WorkspaceError::new(format!("cannot list {}: {e}", dir.display())))
}

/// The directory a command works on when given none: `./config`, or the current directory
/// when it holds a config set itself (`cd config && aiblint check`). `command` names the
/// command in the error.
pub fn default_set_dir(command: &str) -> Result<PathBuf, WorkspaceError> {
    let default = PathBuf::from("config");
    if default.is_dir() {
        return Ok(default);
    }
    let here = Path::new(".");
    let holds_set = recognised_files(here).is_ok_and(|found| !found.is_empty())
        || !plain_litellm_configs(here).is_empty();
    if holds_set {
        return Ok(here.to_path_buf());
    }
    Err(WorkspaceError::new(format!(
        "nothing to {command}: there is no ./config directory here, and no configuration files in ."
    ))
    .with_help(format!(
        "pass a directory or files: `aiblint {command} path/to/config`"
    )))
}

/// What `check` checks when given no path: the default set directory and, beside
/// `./config`, the repository's `monitoring/` tree, checked with the config it watches.
pub fn default_check_paths() -> Result<Vec<PathBuf>, WorkspaceError> {
    let dir = default_set_dir("check")?;
    let monitoring = PathBuf::from("monitoring");
    let with_monitoring = dir == Path::new("config") && monitoring.is_dir();
    Ok(std::iter::once(dir)
        .chain(with_monitoring.then_some(monitoring))
        .collect())
}

/// The files to check under `path`: a directory's recognised files (its monitoring tree's
/// files, with the gateway config beside it as context), or one file plus its recognised
/// siblings as context (reported too with `whole_set`). A path that does not exist is a
/// usage error, as a mistyped argument is.
pub fn discover(path: &Path, whole_set: bool) -> Result<Vec<Target>, WorkspaceError> {
    if std::fs::symlink_metadata(path).is_err() {
        return Err(
            WorkspaceError::new(format!("no such file or directory: {}", path.display()))
                .with_help("pass a config set's directory or one of its files"),
        );
    }
    if !path.is_dir() {
        return Ok(discover_file(path, whole_set));
    }
    let mut found = list_set(path)?;
    if !found.iter().any(|(_, k)| *k == FileKind::Litellm) {
        found.extend(plain_litellm_configs(path));
        found.sort();
    }
    let watched = monitoring_files(path);
    if found.is_empty() && watched.is_empty() {
        let names: Vec<&str> = FileKind::ALL.iter().map(|k| k.file_name()).collect();
        return Err(WorkspaceError::new(format!(
            "nothing to check: no configuration files in {}",
            path.display()
        ))
        .with_help(format!(
            "aiblint looks for {}, for a LiteLLM config.yaml, and for Grafana dashboards and provisioning files and Prometheus config and rule files in the tree",
            names.join(", ")
        )));
    }
    let context = if watched.is_empty() {
        Vec::new()
    } else {
        gateway_config_near(path)
    };
    Ok(found
        .into_iter()
        .map(|(p, kind)| Target::new(p, Some(kind), true))
        .chain(
            watched
                .into_iter()
                .map(|(p, kind)| Target::new(p, Some(kind), true).in_set(path)),
        )
        .chain(
            context
                .into_iter()
                .map(|(p, kind)| Target::new(p, Some(kind), false).in_set(path)),
        )
        .collect())
}

/// One file given: itself, reported (its kind from its name, else from its content), and
/// its set as context.
fn discover_file(path: &Path, whole_set: bool) -> Vec<Target> {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let kind = FileKind::from_file_name(name).or_else(|| {
        let text = read_text(path).unwrap_or_default();
        FileKind::detect(name, &text)
    });
    if kind.is_some_and(FileKind::is_monitoring) {
        // Checked with its monitoring tree and the gateway config beside it.
        let root = monitoring_root(path);
        let context = monitoring_files(&root)
            .into_iter()
            .chain(gateway_config_near(&root))
            .map(|(p, k)| Target::new(p, Some(k), false).in_set(&root));
        return std::iter::once(Target::new(path.to_path_buf(), kind, true).in_set(&root))
            .chain(context)
            .collect();
    }
    let mut targets = vec![Target::new(path.to_path_buf(), kind, true)];
    targets.extend(siblings(path, kind).into_iter().map(|mut t| {
        t.report = whole_set;
        t
    }));
    targets
}

/// The text read from stdin, as the file `--stdin-filename` names (recognised by that name
/// and checked with the files beside it), or as `<stdin>`; either way recognised by its
/// top-level keys when the name says nothing.
pub fn stdin_targets(name: Option<&Path>, bytes: Option<&[u8]>) -> Vec<Target> {
    let text = String::from_utf8_lossy(bytes.unwrap_or_default());
    let Some(path) = name else {
        return vec![
            Target::new(PathBuf::from(STDIN_NAME), FileKind::detect("", &text), true)
                .read_from_stdin(),
        ];
    };
    let file_name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let kind = FileKind::detect(file_name, &text);
    let mut targets = vec![Target::new(path.to_path_buf(), kind, true).read_from_stdin()];
    targets.extend(siblings(path, kind));
    targets
}

/// The members of a lone file's set other than itself: of `listing` (its directory's
/// recognised files), those of another kind than the file's, and not the file itself. The
/// command line and the editor both build a lone file's set with it.
pub fn lone_file_context<K>(
    kind: Option<FileKind>,
    is_itself: impl Fn(&K) -> bool,
    listing: impl IntoIterator<Item = (K, FileKind)>,
) -> Vec<(K, FileKind)> {
    listing
        .into_iter()
        .filter(|(k, other)| Some(*other) != kind && !is_itself(k))
        .collect()
}

/// The recognised files beside `path` (not of its `kind`, not itself), as context, spelled
/// as `path` is (`providers.yaml` beside `model-mappings.yaml`, not `./providers.yaml`).
fn siblings(path: &Path, kind: Option<FileKind>) -> Vec<Target> {
    let found = recognised_files(&dir_of(path)).unwrap_or_default();
    let bare = path.parent().is_some_and(|d| d.as_os_str().is_empty());
    lone_file_context(kind, |p: &PathBuf| p.file_name() == path.file_name(), found)
        .into_iter()
        .map(|(p, k)| {
            let shown = if bare {
                PathBuf::from(p.file_name().unwrap_or_default())
            } else {
                p
            };
            Target::new(shown, Some(k), false)
        })
        .collect()
}

/// The files that the reported LiteLLM configs merge in with `include:`, checked as LiteLLM
/// configs too (LiteLLM resolves the paths against the including file's directory). One
/// that cannot be read is reported as such: LiteLLM would not start without it. What is
/// read is kept in `reads`, for the check.
pub fn included_files(targets: &[Target], reads: &mut ReadOnce) -> Vec<Target> {
    let mut out: Vec<Target> = Vec::new();
    let mut queue: Vec<PathBuf> = targets
        .iter()
        .filter(|t| t.report && t.kind == Some(FileKind::Litellm))
        .map(|t| t.path.clone())
        .collect();
    // Bounded: a chain of includes longer than this is not a real config.
    while let Some(path) = queue.pop().filter(|_| out.len() < 64) {
        // Within bounds: an include may name a FIFO, a device or a huge file.
        let Some(text) = reads.text(&path) else {
            continue;
        };
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        for include in crate::model::litellm::includes(text) {
            let included = dir.join(include);
            let known =
                |p: &Path| targets.iter().any(|t| t.path == p) || out.iter().any(|t| t.path == p);
            if known(&included) {
                continue;
            }
            queue.push(included.clone());
            out.push(Target::new(included, Some(FileKind::Litellm), true));
        }
    }
    out
}

/// LiteLLM proxy configs of a directory that has no litellm-unified.yaml: `config.yaml`,
/// `proxy_config.yaml` or `litellm*.yaml` with a `model_list`.
pub fn plain_litellm_configs(dir: &Path) -> Vec<(PathBuf, FileKind)> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_file())
        .filter_map(|e| {
            let name = e.file_name().to_str()?.to_string();
            if FileKind::from_file_name(&name).is_some() {
                return None;
            }
            let text = read_text(&e.path())?;
            FileKind::plain_litellm(&name, &text).then(|| (e.path(), FileKind::Litellm))
        })
        .collect()
}

/// The directories of the targets read from disk, each once: what `--watch` watches.
pub fn watched_dirs(targets: &[Target]) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = targets
        .iter()
        .filter(|t| !t.stdin)
        .map(|t| dir_of(&t.path))
        .collect();
    dirs.sort();
    dirs.dedup();
    dirs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lone_file_is_checked_with_the_other_kinds_beside_it() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["providers.yaml", "model-mappings.yaml", "ports.yaml"] {
            std::fs::write(dir.path().join(name), "a: 1\n").unwrap();
        }
        let file = dir.path().join("providers.yaml");
        let targets = discover(&file, false).unwrap();
        let shown: Vec<(&Path, bool)> = targets
            .iter()
            .map(|t| (t.path.strip_prefix(dir.path()).unwrap(), t.report))
            .collect();
        assert_eq!(
            shown,
            [
                (Path::new("providers.yaml"), true),
                (Path::new("model-mappings.yaml"), false),
                (Path::new("ports.yaml"), false),
            ]
        );
        assert!(discover(&file, true).unwrap().iter().all(|t| t.report));
        let missing = discover(&dir.path().join("nope.yaml"), false).unwrap_err();
        assert!(missing.message.starts_with("no such file or directory"));
    }
}
