//! aiblint's own settings (`aiblint.toml`): rule severities and per-file ignores. Not to be
//! confused with the gateway configuration that aiblint checks.

use std::collections::BTreeMap;

use serde::Deserialize;

/// The contents of `aiblint.toml`:
///
/// ```toml
/// strict = true             # also report keys nothing reads (S116)
///
/// [rules]
/// L309 = "off"              # by code...
/// unknown-key = "warning"   # ...or by name: "off" | "info" | "warning" | "error"
///
/// [per-file-ignores]
/// "legacy-*.yaml" = ["V501", "S101"]
/// ```
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Settings {
    /// Whether keys that aiblint does not know, and that do not look like typos, are
    /// reported (as warnings, `S116`).
    #[serde(default)]
    pub strict: bool,
    /// Rule code or name → level.
    #[serde(default)]
    pub rules: BTreeMap<String, Level>,
    /// File name or glob (`*` matches anything) → rule codes or names to ignore there.
    #[serde(default)]
    pub per_file_ignores: BTreeMap<String, Vec<String>>,
}

#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Off,
    Info,
    Warning,
    Error,
}

impl Settings {
    /// Parses `aiblint.toml` text; the error says where and what is wrong.
    pub fn from_toml(text: &str) -> Result<Settings, String> {
        toml::from_str(text).map_err(|e| e.to_string())
    }
}

/// Whether the file at `path` matches `pattern`, where `*` matches any run of characters.
/// A pattern without `/` is matched against the file name; one with `/` against the end of
/// the path (`config/providers.yaml` matches `/srv/gateway/config/providers.yaml`), so a
/// pattern means the same whether the path is absolute or relative to any directory.
pub fn glob_match(pattern: &str, path: &str) -> bool {
    let path = path.replace('\\', "/");
    let pattern = pattern.trim_start_matches("./");
    if !pattern.contains('/') {
        return wildcard(pattern, path.rsplit('/').next().unwrap_or(&path));
    }
    wildcard(pattern, &path)
        || path
            .match_indices('/')
            .any(|(i, _)| wildcard(pattern, &path[i + 1..]))
}

/// `text` matches `pattern` as a whole, `*` standing for any run of characters.
fn wildcard(pattern: &str, text: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if parts.len() == 1 {
        return pattern == text;
    }
    let Some(rest) = text.strip_prefix(first) else {
        return false;
    };
    let Some(mut rest) = rest.strip_suffix(last) else {
        return false;
    };
    for part in &parts[1..parts.len() - 1] {
        match rest.find(part) {
            Some(i) => rest = &rest[i + part.len()..],
            None => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_documented_example() {
        let s = Settings::from_toml(
            "[rules]\nL309 = \"off\"\nunknown-key = \"warning\"\n\n[per-file-ignores]\n\"legacy-*.yaml\" = [\"V501\"]\n",
        )
        .unwrap();
        assert_eq!(s.rules["L309"], Level::Off);
        assert_eq!(s.per_file_ignores["legacy-*.yaml"], vec!["V501"]);
    }

    #[test]
    fn rejects_unknown_sections_and_levels() {
        assert!(Settings::from_toml("[rulez]\n").is_err());
        assert!(Settings::from_toml("[rules]\nS101 = \"loud\"\n").is_err());
    }

    #[test]
    fn globs() {
        assert!(glob_match("legacy-*.yaml", "config/legacy-providers.yaml"));
        assert!(glob_match("*.yaml", "ports.yaml"));
        assert!(glob_match("providers.yaml", "config/providers.yaml"));
        assert!(!glob_match("providers.yaml", "config/old-providers.yaml"));
        assert!(glob_match("config/*/ports.yaml", "config/a/ports.yaml"));
        assert!(!glob_match("a*b*c", "abx"));
        assert!(glob_match("a*b*c", "aXbYc"));
        // Patterns with a slash match the end of the path, whatever it is relative to.
        assert!(glob_match("config/*.yaml", "/srv/gw/config/ports.yaml"));
        assert!(glob_match("./config/ports.yaml", "config/ports.yaml"));
        assert!(!glob_match("config/*.yaml", "/srv/gw/other/ports.yaml"));
        assert!(!glob_match("ab*ba", "aba"));
    }
}
