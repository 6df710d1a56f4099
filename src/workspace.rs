//! What the command line and the language server both know of the files around a config
//! set: which files of a directory are the set's, and which `aiblint.toml` applies to it.
//! Both read through here, so that they find the same files and the same settings.

use std::io;
use std::path::{Path, PathBuf};

use crate::lint::RuleSelection;
use crate::model::FileKind;
use crate::settings::Settings;

/// aiblint's own settings file, looked up from a set's directory upwards.
pub const SETTINGS_FILE: &str = "aiblint.toml";

/// The entries of `dir` whose name aiblint knows (`providers.yaml`, ...), sorted by path.
/// Whether each is a regular file is for the caller to ask: the command line reports one
/// that is not (E008), the language server leaves it out of the set.
pub fn recognised_files(dir: &Path) -> io::Result<Vec<(PathBuf, FileKind)>> {
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

/// The settings file that applies to the set in `dir`: the nearest `aiblint.toml` in it or
/// above it, the directory made absolute first (so that `.` finds the one of its parents).
pub fn settings_file(dir: &Path) -> Option<PathBuf> {
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let start = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    start
        .ancestors()
        .map(|d| d.join(SETTINGS_FILE))
        .find(|p| p.is_file())
}

/// The rule selection of the settings file at `path`; the error names the file.
pub fn load_selection(path: &Path) -> Result<RuleSelection, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    Settings::from_toml(&text)
        .and_then(|settings| RuleSelection::from_settings(&settings))
        .map_err(|e| format!("invalid settings in {}: {e}", path.display()))
}
