//! `S103` missing-key: a required key is absent.
use super::prelude::*;

declare_rule! {
    /// ## What it does
    /// Reports a mapping that lacks a required key, pointing at the key of the mapping
    /// (the provider id, the exact-match name). Conditional requirements count too:
    /// `requires_api_key: true` needs `env_var`.
    ///
    /// ## Why is this bad?
    /// A provider without `base_url` cannot be called; an exact match without `provider`
    /// routes nowhere; an API-key provider without `env_var` fails every request with 401.
    ///
    /// ## Example
    /// ```yaml providers.yaml
    /// providers:
    ///   openai:
    ///     type: openai
    ///     status: active
    ///     description: OpenAI API
    ///     requires_api_key: true
    ///     env_var: OPENAI_API_KEY
    /// ```
    ///
    /// ## How to fix
    /// Add the missing key (here `base_url: https://api.openai.com/v1`).
    code: "S103", name: "missing-key", severity: Error, fix: None
}

pub(crate) fn check(ctx: &mut RuleContext) {
    let issues = ctx.issues(|k| match k {
        IssueKind::MissingKey { key, context } => Some((key, context)),
        _ => None,
    });
    for (issue, (key, context)) in issues {
        let d = ctx.diagnostic(
            format!("missing required key `{key}` in {context}"),
            Label::new(issue.range, format!("`{key}` is required here")),
        );
        ctx.report(d);
    }
}
