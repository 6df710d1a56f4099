//! `G413` invalid-model-group-alias: a `model_group_alias` value that is not one group.
use super::prelude::*;

declare_rule! {
    /// ## What it does
    /// Reports a value of `router_settings.model_group_alias` that is neither a model
    /// group name nor a mapping with `model` (and optionally `hidden`): most often a list
    /// of groups.
    ///
    /// ## Why is this bad?
    /// An alias stands for exactly one model group: LiteLLM replaces the requested name
    /// with the alias's `model`. A list is not a group name: requests for the alias fail,
    /// and LiteLLM does not spread them over the listed groups.
    ///
    /// ## Example
    /// ```yaml litellm-unified.yaml
    /// model_list:
    ///   - model_name: llama3.1
    ///     litellm_params:
    ///       model: ollama_chat/llama3.1
    ///   - model_name: qwen2.5-coder
    ///     litellm_params:
    ///       model: ollama_chat/qwen2.5-coder:7b
    /// router_settings:
    ///   model_group_alias:
    ///     coding: [qwen2.5-coder, llama3.1]
    /// ```
    ///
    /// ## How to fix
    /// Point the alias at one group (`coding: qwen2.5-coder`). To spread requests over
    /// several deployments, give them the same `model_name`: LiteLLM balances a group's
    /// deployments; to try others when one fails, use `fallbacks`.
    code: "G413", name: "invalid-model-group-alias", severity: Error, fix: None
}

pub(crate) fn check(ctx: &mut RuleContext) {
    let Some(analysis) = ctx.litellm_analysis() else {
        return;
    };
    for alias in &analysis.aliases {
        if alias.target.is_some() || alias.found == "null" {
            continue;
        }
        let d = ctx
            .diagnostic(
                format!(
                    "`model_group_alias` maps `{}` to {}, not to one model group",
                    alias.alias.value, alias.found
                ),
                Label::new(alias.value_range, "LiteLLM cannot route this alias"),
            )
            .with_help(
                "write `alias: <model group>` (or `{model: <group>, hidden: true}`); to share \
                 traffic between deployments give them the same `model_name`, and use \
                 `fallbacks` for a backup",
            );
        ctx.report(d);
    }
}
