//! `S105` invalid-url: a URL that is not `http(s)://host[:port][/path]`.
use super::prelude::*;
use crate::model::schema::Format;

declare_rule! {
    /// ## What it does
    /// Reports `base_url` and `api_base` values that are not `http://` or `https://` URLs with a host, pointing at the offending part.
    /// A provider with `status: template` may hold a placeholder port
    /// (`http://localhost:CUSTOM_PORT`): it is a template to copy, never generated.
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
    for format in [Format::Url, Format::TemplateUrl] {
        ctx.report_format_issues(
            format,
            "not a valid URL",
            Some("write it as `http(s)://host[:port][/path]`"),
        );
    }
}
