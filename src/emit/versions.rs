//! Renders the report of `aiblint versions`: a table for people, or versioned JSON.
//!
//! The report is plain data built by the CLI from `model::version`; this file only decides
//! how it looks. JSON shape (version 1):
//! `{ "version": 1, "current": "2.0.0", "known": [{version, date, changes, breaking,
//! migration_required}], "files": [{path, kind, versioned, status, version, declared, source,
//! line, compatible, migration_required, breaking_changes}] }`.

use serde::Serialize;

/// The JSON format's own version; bumped on incompatible changes.
pub const VERSIONS_FORMAT: u32 = 1;

#[derive(Clone, Debug, Serialize)]
pub struct VersionsReport {
    /// Always [`VERSIONS_FORMAT`].
    pub version: u32,
    /// The schema aiblint checks against.
    pub current: String,
    pub known: Vec<KnownVersion>,
    pub files: Vec<FileVersion>,
}

#[derive(Clone, Debug, Serialize)]
pub struct KnownVersion {
    pub version: String,
    pub date: Option<String>,
    pub changes: Vec<String>,
    pub breaking: bool,
    pub migration_required: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct FileVersion {
    pub path: String,
    /// `providers`, `model-mappings`, `litellm-unified` or `ports`.
    pub kind: String,
    /// Whether files of this kind declare a schema version.
    pub versioned: bool,
    /// `current`, `older`, `newer-minor`, `newer-major`, `unknown`, `invalid`, `empty`,
    /// `unparsable`, `unreadable` or `not-versioned`.
    pub status: String,
    /// The schema version the file is read as (`1.0.0` for any 1.x).
    pub detected: Option<String>,
    /// The value as written, when there is one.
    pub declared: Option<String>,
    /// `schema_version`, `metadata.version`, `absent` or `none`.
    pub source: String,
    /// 1-based line of the declaration.
    pub line: Option<u32>,
    /// SemVer-compatible (same major) with the current schema.
    pub compatible: Option<bool>,
    pub migration_required: bool,
    /// The breaking changes between the file's version and the current one.
    pub breaking_changes: Vec<String>,
    /// Why the version could not be read, for `invalid`, `unparsable` and `unreadable`.
    pub problem: Option<String>,
}

/// Pretty JSON with a final newline.
pub fn render_json(report: &VersionsReport) -> String {
    // Serialising plain strings, numbers and vectors cannot fail.
    serde_json::to_string_pretty(report)
        .map_or_else(|e| format!("{{\"error\": \"{e}\"}}\n"), |s| s + "\n")
}

/// A table: one line per file, then the breaking changes once per version they start from.
pub fn render_text(report: &VersionsReport, set: &str) -> String {
    let width = report.files.iter().map(|f| f.path.len()).max().unwrap_or(0);
    let mut text = format!("schema versions in {set} (current: {})\n\n", report.current);
    for file in &report.files {
        let version = file.detected.as_deref().unwrap_or("-");
        let mut line = format!(
            "  {:<width$}  {:<6} {}",
            file.path,
            version,
            describe(file, &report.current)
        );
        if file.migration_required {
            line += ", migration required";
        }
        text += line.trim_end();
        text += "\n";
    }
    let mut shown: Vec<&str> = Vec::new();
    for file in &report.files {
        let Some(from) = file.detected.as_deref() else {
            continue;
        };
        if file.breaking_changes.is_empty() || shown.contains(&from) {
            continue;
        }
        shown.push(from);
        text += &format!("\nbreaking changes from {from} to {}:\n", report.current);
        for change in &file.breaking_changes {
            text += &format!("  - {change}\n");
        }
    }
    if report.files.iter().any(|f| f.migration_required) {
        text += &format!(
            "\nrun `aiblint migrate {set}` to migrate (add --dry-run --diff to preview)\n"
        );
    }
    text
}

/// `metadata.version "1.7" (free-form, line 13): incompatible with 2.0.0`.
fn describe(file: &FileVersion, current: &str) -> String {
    let from = match (&file.source[..], &file.declared, file.line) {
        ("schema_version", Some(v), Some(l)) => format!("schema_version \"{v}\" (line {l})"),
        ("metadata.version", Some(v), Some(l)) => {
            format!("metadata.version \"{v}\" (free-form, line {l})")
        }
        ("absent", _, _) => "no schema_version".to_string(),
        _ => String::new(),
    };
    let verdict = match file.status.as_str() {
        "current" => "current".to_string(),
        "older" if file.compatible == Some(true) => format!("older, compatible with {current}"),
        "older" => format!("incompatible with {current}"),
        "newer-minor" => format!("newer than this aiblint knows, checked as {current}"),
        "newer-major" => "newer major version than this aiblint supports".to_string(),
        "unknown" => "not a known schema version".to_string(),
        "not-versioned" => "not versioned".to_string(),
        "empty" => "empty".to_string(),
        other => match &file.problem {
            Some(p) => format!("{other}: {p}"),
            None => other.to_string(),
        },
    };
    if from.is_empty() {
        verdict
    } else {
        format!("{from}: {verdict}")
    }
}
