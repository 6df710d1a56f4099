//! `V502` unsupported-version: a `schema_version` that aiblint does not know.
use super::prelude::*;
use crate::diagnostic::Severity;
use crate::model::version::{validate_version, VersionSource, VersionStatus, CURRENT};

declare_rule! {
    /// ## What it does
    /// Reports a `metadata.schema_version` that is valid SemVer but not a schema version
    /// aiblint knows: a newer major version (an error), a newer minor or patch version of
    /// 2.x (a warning: the file is checked as 2.0.0), or an unknown older version such as
    /// `0.9.0` (an error).
    ///
    /// ## Why is this bad?
    /// The schema version decides which keys are allowed and what they mean. A file written
    /// for a newer schema may use keys this aiblint does not understand, so its results
    /// cannot be trusted; a version that never existed is usually a typo. The known versions
    /// are `1.0.0` (any 1.x: legacy files) and `2.0.0`.
    ///
    /// ## Example
    /// ```yaml providers.yaml
    /// metadata:
    ///   schema_version: "3.0.0"
    /// providers:
    ///   ollama:
    ///     type: ollama
    ///     base_url: http://127.0.0.1:11434
    ///     status: active
    ///     description: Local Ollama daemon
    /// ```
    ///
    /// ## How to fix
    /// For a newer version, upgrade aiblint to a release that supports it. Otherwise
    /// correct the version: `schema_version: "2.0.0"`.
    code: "V502", name: "unsupported-version", severity: Error, fix: None, migration_resolves: true
}

pub(crate) fn check(ctx: &mut RuleContext) {
    let Some(version) = &ctx.file.version else {
        return;
    };
    let (VersionSource::SchemaVersion(raw), Some(v), Some(range)) =
        (&version.source, &version.version, version.range)
    else {
        return; // No schema_version, or not SemVer (S111).
    };
    let d = match validate_version(v, &CURRENT) {
        // Any 1.x is legacy and known; 2.0.0 is current.
        VersionStatus::Current | VersionStatus::Older { .. } => return,
        VersionStatus::NewerMajor => ctx
            .diagnostic(
                format!("schema version `{raw}` is newer than aiblint supports ({CURRENT})"),
                Label::new(range, "newer than this aiblint knows"),
            )
            .with_help(format!(
                "upgrade aiblint to a release that supports schema {}.x, or write this file for schema `{CURRENT}`",
                v.major
            )),
        VersionStatus::NewerMinor => {
            let mut d = ctx
                .diagnostic(
                    format!(
                        "schema version `{raw}` is newer than aiblint supports ({CURRENT}); checked as {CURRENT}"
                    ),
                    Label::new(range, "newer than this aiblint knows"),
                )
                .with_help(format!(
                    "upgrade aiblint to check the keys schema `{raw}` added; until then they may be reported as unknown"
                ));
            d.severity = Severity::Warning;
            d
        }
        VersionStatus::Unknown => ctx
            .diagnostic(
                format!("unknown schema version `{raw}`"),
                Label::new(range, "not a known schema version"),
            )
            .with_help(format!(
                "known schema versions are `1.0.0` (legacy 1.x) and `{CURRENT}`; write `schema_version: \"{CURRENT}\"`"
            )),
    };
    ctx.report(d);
}
