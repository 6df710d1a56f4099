//! `G409` invalid-litellm-value: a value outside one of the enums LiteLLM enforces.
use super::prelude::*;
use crate::model::litellm::LitellmIssueKind;
use crate::syntax::writer as yaml;

declare_rule! {
    /// ## What it does
    /// Reports a value outside the set LiteLLM accepts for `router_settings.routing_strategy`,
    /// `litellm_settings.cache_params.type`, `model_info.mode` and the `transport` of an
    /// `mcp_servers` entry, with the closest valid value as a suggestion. The values are
    /// those of LiteLLM's sources (both releases the catalogue covers).
    ///
    /// ## Why is this bad?
    /// LiteLLM checks these at startup or when it uses them: an unknown `routing_strategy`
    /// stops the proxy (`Invalid routing_strategy`), an unknown cache type leaves the proxy
    /// without its cache, and an unknown `mode` fails every health check of the deployment
    /// (`Mode ... not supported`).
    ///
    /// ## Example
    /// ```yaml litellm-unified.yaml
    /// model_list:
    ///   - model_name: llama3.1
    ///     litellm_params:
    ///       model: ollama_chat/llama3.1
    /// router_settings:
    ///   routing_strategy: least_busy
    /// ```
    ///
    /// ## How to fix
    /// Use one of the values the help lists (the fix offers the closest one).
    ///
    /// ## Fix safety
    /// Unsafe: the suggestion is a guess at what was meant.
    code: "G409", name: "invalid-litellm-value", severity: Error, fix: Sometimes
}

pub(crate) fn check(ctx: &mut RuleContext) {
    let mut diagnostics = Vec::new();
    for issue in ctx.litellm_issues() {
        let LitellmIssueKind::BadEnum {
            key,
            value,
            allowed,
            suggestion,
        } = &issue.kind
        else {
            continue;
        };
        let mut d = ctx.diagnostic(
            format!("`{value}` is not a valid `{key}` for LiteLLM"),
            Label::new(issue.range, format!("not a LiteLLM `{key}`")),
        );
        match suggestion {
            Some(s) => {
                let raw = ctx.file.text.get(issue.range.as_range()).unwrap_or("");
                d = d.with_help(format!("did you mean `{s}`?")).with_fix(Fix {
                    title: format!("Replace `{value}` with `{s}`"),
                    applicability: Applicability::Unsafe,
                    edits: vec![Edit::replace(issue.range, yaml::replacement(raw, s))],
                });
            }
            None => {
                let list: Vec<String> = allowed.iter().map(|a| format!("`{a}`")).collect();
                d = d.with_help(format!("LiteLLM accepts {}", list.join(", ")));
            }
        }
        diagnostics.push(d);
    }
    for d in diagnostics {
        ctx.report(d);
    }
}
