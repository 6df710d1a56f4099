//! `S111` invalid-semver: a `schema_version` that is not SemVer.
use super::prelude::*;
use crate::model::schema::Format;

declare_rule! {
    /// ## What it does
    /// Reports `metadata.schema_version` values that are not `MAJOR.MINOR.PATCH` versions.
    ///
    /// ## Why is this bad?
    /// aiblint, the generator and migrations decide what a file means from this version; an unparsable one cannot be checked against the right schema.
    ///
    /// ## Example
    /// ```yaml providers.yaml
    /// metadata:
    ///   schema_version: "2.0"
    /// providers: {}
    /// ```
    ///
    /// ## How to fix
    /// Write a full version, quoted: `schema_version: "2.0.0"`.
    code: "S111", name: "invalid-semver", severity: Error, fix: None, affects_generated: false
}

pub(crate) fn check(ctx: &mut RuleContext) {
    ctx.report_format_issues(Format::SemVer, "not a SemVer version", None);
}
