//! `S108` invalid-env-var: an `env_var` that is not a valid environment variable name.
use super::prelude::*;
use crate::model::schema::Format;

declare_rule! {
    /// ## What it does
    /// Reports `env_var` values that do not match `[A-Z_][A-Z0-9_]*`.
    ///
    /// ## Why is this bad?
    /// The generated config reads the key with `os.environ/<env_var>`; a lower-case or dashed name is never set by systemd or docker, so every request fails with 401.
    ///
    /// ## Example
    /// ```yaml providers.yaml
    /// providers:
    ///   openai:
    ///     type: openai
    ///     base_url: https://api.openai.com/v1
    ///     status: active
    ///     description: OpenAI API
    ///     requires_api_key: true
    ///     env_var: openai-api-key
    /// ```
    ///
    /// ## How to fix
    /// Use upper-case letters, digits and underscores: `OPENAI_API_KEY`.
    code: "S108", name: "invalid-env-var", severity: Error, fix: None
}

pub(crate) fn check(ctx: &mut RuleContext) {
    ctx.report_format_issues(Format::EnvVar, "not a valid name", None);
}
