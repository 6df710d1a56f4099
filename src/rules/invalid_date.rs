//! `S109` invalid-date: a date that is not `YYYY-MM-DD`.
use super::prelude::*;
use crate::model::schema::Format;

declare_rule! {
    /// ## What it does
    /// Reports `last_updated` and `pulled_at` values that are not real ISO calendar dates.
    ///
    /// ## Why is this bad?
    /// Scripts that sort or age models by these dates break or silently misorder them.
    ///
    /// ## Example
    /// ```yaml providers.yaml
    /// metadata:
    ///   schema_version: "2.0.0"
    ///   last_updated: "08/11/2025"
    /// providers: {}
    /// ```
    ///
    /// ## How to fix
    /// Write the date as `YYYY-MM-DD`, e.g. `"2025-11-08"`.
    code: "S109", name: "invalid-date", severity: Error, fix: None, affects_generated: false
}

pub(crate) fn check(ctx: &mut RuleContext) {
    ctx.report_format_issues(Format::Date, "not an ISO date", None);
}
