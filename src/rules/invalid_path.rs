//! `S114` invalid-path: a `health_endpoint` that is not a path.
use super::prelude::*;
use crate::model::schema::Format;

declare_rule! {
    /// ## What it does
    /// Reports `health_endpoint` values that do not start with `/`.
    ///
    /// ## Why is this bad?
    /// The health check joins `base_url` and this path; without the leading slash it probes the wrong URL and reports the provider down.
    ///
    /// ## Example
    /// ```yaml providers.yaml
    /// providers:
    ///   ollama:
    ///     type: ollama
    ///     base_url: http://127.0.0.1:11434
    ///     status: active
    ///     description: Local Ollama
    ///     health_endpoint: api/tags
    /// ```
    ///
    /// ## How to fix
    /// Start the path with `/`: `/api/tags`.
    code: "S114", name: "invalid-path", severity: Error, fix: None, affects_generated: false
}

pub(crate) fn check(ctx: &mut RuleContext) {
    ctx.report_format_issues(Format::UrlPath, "not a path", None);
}
