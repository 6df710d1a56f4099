//! `G405` litellm-unknown-key: a key of a LiteLLM config that is a typo of a key LiteLLM
//! reads in that section.
use super::prelude::*;
use crate::model::litellm::LitellmIssueKind;

declare_rule! {
    /// ## What it does
    /// Reports a key of a LiteLLM config that LiteLLM does not read at that level but that
    /// is a small edit away from one it does (`router_setings`, `routing_stratgy`,
    /// `api_bse`), with that key as a suggestion.
    ///
    /// The keys are those of LiteLLM's own sources (`aiblint --version` says which release):
    /// the top-level sections, `router_settings`, `general_settings`, `litellm_settings`,
    /// `model_list` entries, `litellm_params`, `model_info`, `cache_params`, `retry_policy`,
    /// `allowed_fails_policy`, and the entries of `guardrails`, `mcp_servers` and
    /// `credential_list`.
    ///
    /// ## Why is this bad?
    /// LiteLLM reads its config as plain mappings: a misspelled key is ignored (at the top
    /// level, in `general_settings`), dropped with a line in the log (`router_settings`),
    /// set on the `litellm` module where nothing reads it (`litellm_settings`) or sent to
    /// the provider as an unexpected parameter (`litellm_params`). The setting the user
    /// meant never applies.
    ///
    /// ## Example
    /// ```yaml litellm-unified.yaml
    /// model_list:
    ///   - model_name: llama3.1
    ///     litellm_params:
    ///       model: ollama_chat/llama3.1
    /// router_settings:
    ///   routing_stratgy: least-busy
    /// ```
    ///
    /// ## How to fix
    /// Correct the spelling (the fix offers the closest key LiteLLM reads there).
    ///
    /// ## Fix safety
    /// Unsafe: the suggestion is a guess at what was meant.
    code: "G405", name: "litellm-unknown-key", severity: Error, fix: Always
}

pub(crate) fn check(ctx: &mut RuleContext) {
    for issue in ctx.litellm_issues() {
        let LitellmIssueKind::UnknownKey {
            key,
            section,
            suggestion,
        } = &issue.kind
        else {
            continue;
        };
        let d = ctx
            .diagnostic(
                format!(
                    "unknown key `{key}` {} of a LiteLLM config",
                    section.place()
                ),
                Label::new(issue.range, "LiteLLM does not read this key here"),
            )
            .with_help(format!("did you mean `{suggestion}`?"))
            .with_fix(Fix {
                title: format!("Replace `{key}` with `{suggestion}`"),
                applicability: Applicability::Unsafe,
                edits: vec![Edit::replace(issue.range, *suggestion)],
            });
        ctx.report(d);
    }
}
