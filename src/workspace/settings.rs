//! Which `aiblint.toml` applies to a config set, and the rule selection it makes.

use std::path::{Path, PathBuf};

use super::WorkspaceError;
use crate::lint::RuleSelection;
use crate::settings::Settings;

/// aiblint's own settings file, looked up from a set's directory upwards.
pub const SETTINGS_FILE: &str = "aiblint.toml";

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

/// The rule selection of the set in `dir`: that of `chosen` (`--config FILE`) when given,
/// else of the nearest `aiblint.toml`, else the default rules.
pub fn selection_for(dir: &Path, chosen: Option<&Path>) -> Result<RuleSelection, WorkspaceError> {
    let found = match chosen {
        Some(path) => Some(path.to_path_buf()),
        None => settings_file(dir),
    };
    match found {
        Some(path) => load_selection(&path).map_err(WorkspaceError::new),
        None => Ok(RuleSelection::default()),
    }
}
