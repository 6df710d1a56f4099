//! `G441` shadowed-fallbacks: a fallback list of `litellm_settings` that LiteLLM never uses,
//! because `router_settings` has its own.
use super::prelude::*;
use crate::syntax::Node;

declare_rule! {
    /// ## What it does
    /// Reports `fallbacks`, `context_window_fallbacks`, `content_policy_fallbacks` or
    /// `default_fallbacks` under `litellm_settings` when `router_settings` sets the same
    /// list, not empty.
    ///
    /// ## Why is this bad?
    /// LiteLLM's Router takes each of these lists from its own settings and reads the
    /// module's (`litellm_settings`) only when its own is unset or empty
    /// (`self.fallbacks = fallbacks or litellm.fallbacks`). With both set, every fallback
    /// written under `litellm_settings` is ignored: a model that fails is not retried on
    /// the backups listed there, and nothing at startup says so.
    ///
    /// ## Example
    /// ```yaml litellm-unified.yaml
    /// model_list:
    ///   - model_name: gpt-4o
    ///     litellm_params:
    ///       model: openai/gpt-4o
    ///   - model_name: llama3
    ///     litellm_params:
    ///       model: ollama_chat/llama3
    /// litellm_settings:
    ///   fallbacks: [{"llama3": ["gpt-4o"]}]
    /// router_settings:
    ///   fallbacks: [{"gpt-4o": ["llama3"]}]
    /// ```
    ///
    /// ## How to fix
    /// Move the entries of the `litellm_settings` list into the `router_settings` one and
    /// remove it. Not fixed automatically: which entries were meant, when both lists name
    /// the same model, is the user's decision.
    code: "G441", name: "shadowed-fallbacks", severity: Warning, fix: None
}

/// The lists the Router reads from `router_settings`, else from the `litellm` module.
const ROUTER_LISTS: [&str; 4] = [
    "fallbacks",
    "context_window_fallbacks",
    "content_policy_fallbacks",
    "default_fallbacks",
];

pub(crate) fn check(ctx: &mut RuleContext) {
    if ctx.litellm_analysis().is_none() {
        return;
    }
    let Some(root) = ctx.file.root() else {
        return;
    };
    let (Some(router), Some(module)) = (root.get("router_settings"), root.get("litellm_settings"))
    else {
        return;
    };
    for list in ROUTER_LISTS {
        let (Some(own), Some(shadowed)) = (router.get_entry(list), module.get_entry(list)) else {
            continue;
        };
        // Python's `or`: an empty or null router list lets the module's through. A module
        // value that is no list is G408's.
        if !is_non_empty_list(&own.value) || !is_non_empty_list(&shadowed.value) {
            continue;
        }
        let d = ctx
            .diagnostic(
                format!(
                    "LiteLLM never uses `litellm_settings.{list}`: `router_settings.{list}` is set, and the Router reads the module's list only when its own is empty"
                ),
                Label::new(shadowed.key.range, "ignored"),
            )
            .with_secondary(Label::new(own.key.range, "the list LiteLLM uses"))
            .with_help(format!(
                "move its entries into `router_settings.{list}` and remove it"
            ));
        ctx.report(d);
    }
}

fn is_non_empty_list(node: &Node) -> bool {
    node.as_sequence().is_some_and(|items| !items.is_empty())
}
