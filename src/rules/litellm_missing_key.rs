//! `G410` litellm-missing-key: a deployment without what LiteLLM needs to load it.
use super::prelude::*;
use crate::model::litellm::LitellmIssueKind;

declare_rule! {
    /// ## What it does
    /// Reports a `model_list` entry without `litellm_params` or without `model_name`, and
    /// a `litellm_params` without `model`.
    ///
    /// ## Why is this bad?
    /// The proxy reads `litellm_params` of every entry directly: an entry without it stops
    /// the proxy at startup (`KeyError: 'litellm_params'`). An entry without `model_name`
    /// or `model` is not a valid deployment, and LiteLLM skips it with an error in its log:
    /// clients asking for it get "model not found".
    ///
    /// ## Example
    /// ```yaml litellm-unified.yaml
    /// model_list:
    ///   - model_name: llama3.1
    ///     model: ollama_chat/llama3.1
    /// ```
    ///
    /// ## How to fix
    /// Give every entry a `model_name` and a `litellm_params` mapping with at least
    /// `model: <provider>/<model>`.
    code: "G410", name: "litellm-missing-key", severity: Error, fix: None
}

pub(crate) fn check(ctx: &mut RuleContext) {
    for issue in ctx.litellm_issues() {
        let LitellmIssueKind::MissingKey { key, context } = &issue.kind else {
            continue;
        };
        let (label, help) = match *key {
            "litellm_params" => (
                "LiteLLM stops at startup on this entry",
                "add `litellm_params:` with `model: <provider>/<model>`",
            ),
            "model" => (
                "LiteLLM skips this deployment",
                "add `model: <provider>/<model>`, e.g. `ollama_chat/llama3.1`",
            ),
            _ => (
                "LiteLLM skips this deployment",
                "add `model_name:`, the name clients ask for",
            ),
        };
        let d = ctx
            .diagnostic(
                format!("{context} without `{key}`"),
                Label::new(issue.range, label),
            )
            .with_help(help);
        ctx.report(d);
    }
}
