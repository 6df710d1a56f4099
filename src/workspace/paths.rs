//! How paths are shown to people: relative to where they work (the current directory on the
//! command line, the workspace root in the editor), as they would type them.

use std::path::{Path, PathBuf};

/// `path` as the user would type it in the current directory: relative to it when inside
/// it, without a leading `./`.
pub fn display_path(path: &Path) -> String {
    display_relative(path, std::env::current_dir().ok().as_deref())
}

/// `path` relative to `base` when inside it (else as it is), without a leading `./`.
pub fn display_relative(path: &Path, base: Option<&Path>) -> String {
    let shown = base
        .and_then(|base| path.strip_prefix(base).ok())
        .unwrap_or(path)
        .display()
        .to_string();
    match shown.strip_prefix("./") {
        Some(rest) => rest.to_string(),
        None => shown,
    }
}

/// The directory a file is in, `.` for a bare file name: the directory of its config set.
pub fn dir_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_shown_relative_to_their_base() {
        let base = Path::new("/srv/gateway");
        assert_eq!(
            display_relative(Path::new("/srv/gateway/config/providers.yaml"), Some(base)),
            "config/providers.yaml"
        );
        assert_eq!(
            display_relative(Path::new("/etc/providers.yaml"), Some(base)),
            "/etc/providers.yaml"
        );
        assert_eq!(
            display_relative(Path::new("./providers.yaml"), None),
            "providers.yaml"
        );
        assert_eq!(dir_of(Path::new("providers.yaml")), PathBuf::from("."));
        assert_eq!(
            dir_of(Path::new("config/providers.yaml")),
            PathBuf::from("config")
        );
    }
}
