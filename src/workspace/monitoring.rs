//! Finding monitoring files: the Grafana dashboards and provisioning files and the
//! Prometheus config and rule files in a directory tree (recognised by their content), the
//! monitoring tree a single file belongs to, and the gateway config set beside them.

use std::path::{Path, PathBuf};

use super::recognised_files;
use crate::model::{monitoring, FileKind};

/// How deep below the directory given the walk looks.
const MAX_DEPTH: usize = 8;

/// Directories never walked into: they hold other tools' files.
const SKIPPED: [&str; 3] = ["node_modules", "target", "vendor"];

/// The monitoring files under `dir`, sorted: `.json` dashboards and `.yml`/`.yaml`
/// provisioning and Prometheus files, recognised by their content. Hidden directories and
/// those of other tools are skipped; gateway config files are not monitoring files.
pub fn monitoring_files(dir: &Path) -> Vec<(PathBuf, FileKind)> {
    let mut found = Vec::new();
    walk(dir, 0, &mut found);
    found.sort();
    found
}

fn walk(dir: &Path, depth: usize, found: &mut Vec<(PathBuf, FileKind)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        let Some(name) = path
            .file_name()
            .and_then(|n| n.to_str())
            .map(str::to_string)
        else {
            continue;
        };
        let Ok(file_type) = entry.file_type() else {
            continue;
        };
        if file_type.is_dir() {
            if depth < MAX_DEPTH && !name.starts_with('.') && !SKIPPED.contains(&name.as_str()) {
                walk(&path, depth + 1, found);
            }
            continue;
        }
        if let Some(kind) = monitoring_kind(&path, &name) {
            found.push((path, kind));
        }
    }
}

/// The monitoring kind of a file, by its content.
fn monitoring_kind(path: &Path, name: &str) -> Option<FileKind> {
    let lower = name.to_ascii_lowercase();
    let candidate = [".json", ".yml", ".yaml"]
        .iter()
        .any(|e| lower.ends_with(e));
    if !candidate || FileKind::from_file_name(name).is_some() {
        return None;
    }
    // Within bounds: a FIFO or a device under such a name is not read (it would hang).
    let text = super::read_text(path)?;
    monitoring::detect(name, &text)
}

/// The monitoring tree a lone monitoring file belongs to: the nearest directory above it
/// named `monitoring`, else the parent of its `grafana`/`prometheus` directory, else its
/// own directory.
pub fn monitoring_root(file: &Path) -> PathBuf {
    let dir = file.parent().unwrap_or(Path::new("."));
    let named = |n: &str| {
        dir.ancestors()
            .take(4)
            .find(|a| a.file_name().is_some_and(|f| f == n))
    };
    if let Some(root) = named("monitoring") {
        return root.to_path_buf();
    }
    for tool in ["grafana", "prometheus"] {
        if let Some(root) = named(tool).and_then(Path::parent) {
            return root.to_path_buf();
        }
    }
    dir.to_path_buf()
}

/// The gateway config set beside a monitoring tree: `root` itself or its `config/`, else the
/// same in each directory above (up to three), so that `monitoring/` finds `../config`.
pub fn gateway_config_near(root: &Path) -> Vec<(PathBuf, FileKind)> {
    let absolute = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let relative_ups = absolute.ancestors().take(4).enumerate();
    for (ups, dir) in relative_ups {
        // Keep the paths as the user gave them: `monitoring/../config`, not `/abs/config`.
        let shown = (0..ups).fold(root.to_path_buf(), |p, _| p.join(".."));
        for candidate in [shown.clone(), shown.join("config")] {
            let found = recognised_files(&candidate).unwrap_or_default();
            if !found.is_empty() {
                return found.into_iter().map(|(p, k)| (normalise(&p), k)).collect();
            }
        }
        if dir.join(".git").exists() {
            break;
        }
    }
    Vec::new()
}

/// `monitoring/../config/ports.yaml` → `config/ports.yaml` (lexically: `..` after a
/// normal component cancels it).
fn normalise(path: &Path) -> PathBuf {
    let mut out: Vec<std::path::Component> = Vec::new();
    for component in path.components() {
        match component {
            std::path::Component::ParentDir
                if matches!(out.last(), Some(std::path::Component::Normal(_))) =>
            {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    if out.is_empty() {
        return PathBuf::from(".");
    }
    out.iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_lose_their_detours() {
        assert_eq!(
            normalise(Path::new("monitoring/../config/ports.yaml")),
            PathBuf::from("config/ports.yaml")
        );
        assert_eq!(normalise(Path::new("./a/./b")), PathBuf::from("a/b"));
        assert_eq!(normalise(Path::new("../x")), PathBuf::from("../x"));
    }

    #[test]
    fn a_lone_file_belongs_to_its_monitoring_tree() {
        assert_eq!(
            monitoring_root(Path::new("repo/monitoring/grafana/dashboards/a.json")),
            PathBuf::from("repo/monitoring")
        );
        assert_eq!(
            monitoring_root(Path::new("ops/prometheus/alerts.yml")),
            PathBuf::from("ops")
        );
        assert_eq!(
            monitoring_root(Path::new("x/alerts.yml")),
            PathBuf::from("x")
        );
    }
}
