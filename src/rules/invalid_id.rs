//! `S113` invalid-id: a provider or service id with characters outside `[A-Za-z0-9_.-]`.
use super::prelude::*;
use crate::model::schema::Format;

declare_rule! {
    /// ## What it does
    /// Reports provider ids, port service ids and id references (`provider`, `fallback`, `default_provider`) that contain characters other than letters, digits, `_`, `.` and `-`.
    ///
    /// ## Why is this bad?
    /// Ids become parts of generated names, metric labels and environment variables; spaces or slashes break them.
    ///
    /// ## Example
    /// ```yaml providers.yaml
    /// providers:
    ///   "ollama local":
    ///     type: ollama
    ///     base_url: http://127.0.0.1:11434
    ///     status: active
    ///     description: Local Ollama
    /// ```
    ///
    /// ## How to fix
    /// Rename the id using letters, digits, `_`, `.` and `-` only, and update its references.
    code: "S113", name: "invalid-id", severity: Error, fix: None
}

pub(crate) fn check(ctx: &mut RuleContext) {
    ctx.report_format_issues(Format::Identifier, "not a valid id", None);
}
