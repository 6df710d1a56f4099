//! The typed config of a LiteLLM config (litellm-unified.yaml), lowered from its tree.

use super::*;

#[derive(Clone, Debug, Default)]
pub struct LitellmConfig {
    pub model_list: Vec<Deployment>,
    /// `router_settings.fallbacks`, `context_window_fallbacks` and
    /// `content_policy_fallbacks`, in that order: `[{model: [fallback, ...]}, ...]`.
    pub fallbacks: Vec<(Spanned<CompactString>, Vec<Spanned<CompactString>>)>,
    /// `router_settings.default_fallbacks`: the models every group falls back to.
    pub default_fallbacks: Vec<Spanned<CompactString>>,
    /// The keys of `router_settings.model_group_alias`: names that stand for a model group.
    pub model_group_aliases: Vec<Spanned<CompactString>>,
    /// What LiteLLM's catalogue says of the file (`model::litellm`).
    pub analysis: crate::model::litellm::Analysis,
}

#[derive(Clone, Debug)]
pub struct Deployment {
    pub model_name: Spanned<CompactString>,
    pub entry_range: TextRange,
    pub model: Option<Spanned<CompactString>>,
    pub api_base: Option<Spanned<CompactString>>,
    pub api_key: Option<Spanned<CompactString>>,
    pub custom_llm_provider: Option<Spanned<CompactString>>,
}

pub fn lower_litellm(root: &Node) -> LitellmConfig {
    let model_list = root
        .get("model_list")
        .and_then(Node::as_sequence)
        .unwrap_or_default()
        .iter()
        .filter_map(|node| {
            let params = node.get("litellm_params");
            let param = |k: &str| params.and_then(|p| string(p, k));
            Some(Deployment {
                model_name: string(node, "model_name")?,
                entry_range: node.range,
                model: param("model"),
                api_base: param("api_base"),
                api_key: param("api_key"),
                custom_llm_provider: param("custom_llm_provider"),
            })
        })
        .collect_exact();
    let router = root.get("router_settings");
    let fallbacks = [
        "fallbacks",
        "context_window_fallbacks",
        "content_policy_fallbacks",
    ]
    .into_iter()
    .flat_map(|list| {
        router
            .and_then(|r| r.get(list))
            .and_then(Node::as_sequence)
            .unwrap_or_default()
    })
    .flat_map(|item| entries(Some(item)))
    .filter_map(|e| Some((key(e)?, string_list(Some(&e.value)))))
    .collect_exact();
    LitellmConfig {
        model_list,
        fallbacks,
        default_fallbacks: string_list(router.and_then(|r| r.get("default_fallbacks"))),
        model_group_aliases: entries(router.and_then(|r| r.get("model_group_alias")))
            .into_iter()
            .filter_map(key)
            .collect_exact(),
        analysis: crate::model::litellm::analyze(root),
    }
}
