//! Schema versions (SPEC §2): the registry of known versions with their history, SemVer
//! compatibility, and detection of the version a providers or mappings file declares.

use semver::{Comparator, Op, Version};

use crate::syntax::Node;
use crate::text::TextRange;

/// The current schema version, 2.0.0.
pub const CURRENT: Version = Version::new(2, 0, 0);
/// Every 1.x file is reported as 1.0.0.
pub const LEGACY: Version = Version::new(1, 0, 0);

/// One known schema version and what it changed.
#[derive(Debug)]
pub struct VersionInfo {
    pub version: Version,
    /// Release date, `YYYY-MM-DD`; `None` when none was recorded (1.x predates versioning).
    pub date: Option<&'static str>,
    /// What this version changed, one sentence each.
    pub changes: &'static [&'static str],
    /// Whether files valid under the previous version may be invalid under this one.
    pub breaking: bool,
    /// Whether files of the previous version must be migrated (`aiblint migrate`).
    pub migration_required: bool,
}

/// Every known schema version, oldest first.
pub static HISTORY: &[VersionInfo] = &[
    VersionInfo {
        version: LEGACY,
        date: None,
        changes: &[
            "legacy schema: files carry no `metadata.schema_version`, at most a free-form `metadata.version`",
            "several `vllm` providers may be `status: active`",
            "`special_cases`, `routing_rules.request_metadata_routing`, `load_balancing.*.parameters` and `load_balancing.*.providers[].condition` are allowed",
        ],
        breaking: false,
        migration_required: false,
    },
    VersionInfo {
        version: CURRENT,
        date: Some("2025-11-08"),
        changes: &[
            "`metadata.schema_version` is required in providers.yaml and model-mappings.yaml",
            "at most one `vllm` provider may be `status: active`",
            "`special_cases` is removed from model-mappings.yaml",
            "`routing_rules.request_metadata_routing` is removed",
            "`load_balancing.*.providers[].condition` is removed",
            "`load_balancing.*.parameters` is removed",
        ],
        breaking: true,
        migration_required: true,
    },
];

/// The known version a declared version stands for: any 1.x is the legacy `1.0.0`; other
/// versions must match a known one exactly (build metadata ignored).
pub fn known(version: &Version) -> Option<&'static VersionInfo> {
    if version.major == LEGACY.major {
        return HISTORY.iter().find(|v| v.version == LEGACY);
    }
    HISTORY
        .iter()
        .find(|v| same_precedence(&v.version, version))
}

/// Whether two versions are compatible: the SemVer caret rule (`^lower` matches the higher),
/// which for versions `>= 1.0.0` means the same major version.
pub fn is_compatible(a: &Version, b: &Version) -> bool {
    let (lower, higher) = if a <= b { (a, b) } else { (b, a) };
    Comparator {
        op: Op::Caret,
        major: lower.major,
        minor: Some(lower.minor),
        patch: Some(lower.patch),
        pre: lower.pre.clone(),
    }
    .matches(higher)
}

/// The changes of every breaking version between `from` and `to` (either direction): the
/// versions `v` with `min < v <= max`, oldest first.
pub fn breaking_changes(from: &Version, to: &Version) -> Vec<&'static str> {
    let (low, high) = if from <= to { (from, to) } else { (to, from) };
    HISTORY
        .iter()
        .filter(|v| v.breaking && &v.version > low && &v.version <= high)
        .flat_map(|v| v.changes.iter().copied())
        .collect()
}

/// How a declared version relates to the version aiblint checks against.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VersionStatus {
    /// The current version (build metadata ignored).
    Current,
    /// A known older version; `migration_required` when a version on the way requires one.
    Older { migration_required: bool },
    /// A newer minor or patch of the current major: checked as the current version.
    NewerMinor,
    /// A newer major version: this aiblint cannot check it.
    NewerMajor,
    /// An older version that never existed (a typo, such as `0.9.0` or `2.0.0-rc1`).
    Unknown,
}

/// Classifies `found` against `current` (normally [`CURRENT`]).
pub fn validate_version(found: &Version, current: &Version) -> VersionStatus {
    if same_precedence(found, current) {
        return VersionStatus::Current;
    }
    if found.major > current.major {
        return VersionStatus::NewerMajor;
    }
    if found > current {
        return VersionStatus::NewerMinor;
    }
    match known(found) {
        Some(info) => VersionStatus::Older {
            migration_required: HISTORY
                .iter()
                .any(|v| v.migration_required && v.version > info.version && &v.version <= current),
        },
        None => VersionStatus::Unknown,
    }
}

fn same_precedence(a: &Version, b: &Version) -> bool {
    (a.major, a.minor, a.patch, &a.pre) == (b.major, b.minor, b.patch, &b.pre)
}

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

    fn v(s: &str) -> Version {
        Version::parse(s).unwrap()
    }

    #[test]
    fn history_is_sorted_and_ends_at_current() {
        assert!(HISTORY.windows(2).all(|w| w[0].version < w[1].version));
        assert_eq!(HISTORY.last().map(|v| &v.version), Some(&CURRENT));
    }

    #[test]
    fn compatibility_is_the_caret_rule() {
        assert!(is_compatible(&v("2.0.0"), &v("2.3.1")));
        assert!(is_compatible(&v("2.3.1"), &v("2.0.0")));
        assert!(!is_compatible(&LEGACY, &CURRENT));
        assert!(is_compatible(&v("1.0.0"), &v("1.7.0")));
        assert!(!is_compatible(&v("0.1.0"), &v("0.2.0")));
    }

    #[test]
    fn breaking_changes_between_versions() {
        let changes = breaking_changes(&LEGACY, &CURRENT);
        assert_eq!(changes.len(), 6);
        assert!(changes[0].contains("schema_version"));
        assert_eq!(breaking_changes(&CURRENT, &LEGACY), changes);
        assert!(breaking_changes(&CURRENT, &CURRENT).is_empty());
        assert!(breaking_changes(&v("1.7.0"), &v("1.9.0")).is_empty());
    }

    #[test]
    fn validation() {
        use VersionStatus::*;
        assert_eq!(validate_version(&CURRENT, &CURRENT), Current);
        assert_eq!(validate_version(&v("2.0.0+build.5"), &CURRENT), Current);
        let older = Older {
            migration_required: true,
        };
        assert_eq!(validate_version(&LEGACY, &CURRENT), older);
        assert_eq!(validate_version(&v("1.7.0"), &CURRENT), older);
        assert_eq!(validate_version(&v("2.0.1"), &CURRENT), NewerMinor);
        assert_eq!(validate_version(&v("2.1.0"), &CURRENT), NewerMinor);
        assert_eq!(validate_version(&v("3.0.0"), &CURRENT), NewerMajor);
        assert_eq!(validate_version(&v("0.9.0"), &CURRENT), Unknown);
        assert_eq!(validate_version(&v("2.0.0-rc.1"), &CURRENT), Unknown);
        assert_eq!(known(&v("1.7.0")).map(|i| &i.version), Some(&LEGACY));
        assert!(known(&v("2.0.1")).is_none());
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
