//! Schema version detection per file (SPEC §2): `metadata.schema_version` for 2.x, else 1.x.

use semver::Version;

use crate::syntax::Node;
use crate::text::TextRange;

/// The current schema version, 2.0.0.
pub const CURRENT: Version = Version::new(2, 0, 0);
/// Every 1.x file is reported as 1.0.0.
pub const LEGACY: Version = Version::new(1, 0, 0);

/// What a file's version was detected from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VersionSource {
    /// `metadata.schema_version`, as written.
    SchemaVersion(String),
    /// No `schema_version`, but a free-form `metadata.version`, as written.
    LegacyVersion(String),
    /// Neither.
    Absent,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DetectedVersion {
    /// `None` when `schema_version` is not valid SemVer.
    pub version: Option<Version>,
    pub source: VersionSource,
    /// The value that declared it, when there is one.
    pub range: Option<TextRange>,
}

impl DetectedVersion {
    pub fn is_legacy(&self) -> bool {
        self.version.as_ref().is_some_and(|v| v.major < 2)
    }

    /// "schema_version \"2.0.0\"", "metadata.version \"1.7\"", "no version key".
    pub fn describe_source(&self) -> String {
        match &self.source {
            VersionSource::SchemaVersion(v) => format!("metadata.schema_version \"{v}\""),
            VersionSource::LegacyVersion(v) => format!("metadata.version \"{v}\" (free-form, 1.x)"),
            VersionSource::Absent => "no schema_version (1.x)".to_string(),
        }
    }
}

/// Detects the schema version of a providers or mappings file.
pub fn detect(root: &Node) -> DetectedVersion {
    let metadata = root.get("metadata");
    if let Some(node) = metadata.and_then(|m| m.get("schema_version")) {
        let raw = node.scalar_text().unwrap_or_default().to_string();
        return DetectedVersion {
            version: Version::parse(&raw).ok(),
            source: VersionSource::SchemaVersion(raw),
            range: Some(node.range),
        };
    }
    let (source, range) = match metadata.and_then(|m| m.get("version")) {
        Some(node) => (
            VersionSource::LegacyVersion(node.scalar_text().unwrap_or_default().to_string()),
            Some(node.range),
        ),
        None => (VersionSource::Absent, None),
    };
    DetectedVersion {
        version: Some(LEGACY),
        source,
        range,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse;

    fn detect_in(text: &str) -> DetectedVersion {
        detect(parse(text).root.as_ref().unwrap())
    }

    #[test]
    fn detection() {
        let v = detect_in("metadata:\n  schema_version: \"2.0.0\"\n");
        assert_eq!(v.version, Some(CURRENT));
        let v = detect_in("metadata:\n  version: \"1.7\"\nproviders: {}\n");
        assert_eq!(v.version, Some(LEGACY));
        assert_eq!(v.source, VersionSource::LegacyVersion("1.7".into()));
        assert!(v.is_legacy());
        let v = detect_in("providers: {}\n");
        assert_eq!(v.source, VersionSource::Absent);
        let v = detect_in("metadata:\n  schema_version: two\n");
        assert_eq!(v.version, None);
    }
}
