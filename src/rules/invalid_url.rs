//! `S105` invalid-url: a URL that is not `http(s)://host[:port][/path]`.
use super::prelude::*;
use crate::model::schema::Format;

declare_rule! {
    /// ## What it does
    /// Reports `base_url` and `api_base` values that are not `http://` or `https://` URLs with a host, pointing at the offending part.
    ///
    /// ## Why is this bad?
    /// LiteLLM prepends nothing: `localhost:11434` or `htp://...` makes every request to the provider fail.
    ///
    /// ## Example
    /// ```yaml providers.yaml
    /// providers:
    ///   ollama:
    ///     type: ollama
    ///     base_url: localhost:11434
    ///     status: active
    ///     description: Local Ollama
    /// ```
    ///
    /// ## How to fix
    /// Write the full URL with its scheme: `http://localhost:11434`.
    code: "S105", name: "invalid-url", severity: Error, fix: None
}

pub(crate) fn check(ctx: &mut RuleContext) {
    ctx.report_format_issues(
        Format::Url,
        "not a valid URL",
        Some("write it as `http(s)://host[:port][/path]`"),
    );
}
