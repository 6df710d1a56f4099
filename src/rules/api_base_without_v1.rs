//! `G414` api-base-without-v1: a self-hosted OpenAI-compatible server's `api_base` without
//! the `/v1` its API lives under.
use super::prelude::*;
use crate::model::formats::parse_url;
use crate::model::litellm::{
    appends_chat_completions, is_local_host, provider_prefix, ProviderPrefix,
};
use crate::model::Deployment;

declare_rule! {
    /// ## What it does
    /// Reports a deployment of a LiteLLM config that speaks the OpenAI API through
    /// LiteLLM's OpenAI client (`openai/`, `hosted_vllm/`, `text-completion-openai/`, or
    /// `custom_llm_provider: openai`) to a server on this machine or a private network
    /// (`localhost`, `127.0.0.1`, `192.168.x.x`, `*.local`, ...) whose `api_base` has no
    /// path at all.
    ///
    /// ## Why is this bad?
    /// The OpenAI client appends `/chat/completions` to `api_base`. vLLM, llama-cpp-python,
    /// Ollama's OpenAI API and LM Studio serve it only under `/v1`, so every request gets a
    /// 404 from the server, which LiteLLM reports as a provider error.
    ///
    /// llama.cpp's own `llama-server` answers both paths, so its default port, 8080, is
    /// not reported.
    ///
    /// ## Example
    /// ```yaml litellm-unified.yaml
    /// model_list:
    ///   - model_name: qwen-coder
    ///     litellm_params:
    ///       model: hosted_vllm/Qwen/Qwen2.5-Coder-7B-Instruct
    ///       api_base: http://127.0.0.1:8000
    /// ```
    ///
    /// ## How to fix
    /// Write the base of the server's OpenAI API: `http://127.0.0.1:8000/v1` (the fix
    /// appends `/v1`).
    ///
    /// ## Fix safety
    /// Unsafe: a server that does serve the API at its root would then be called under
    /// `/v1`.
    code: "G414", name: "api-base-without-v1", severity: Warning, fix: Always
}

pub(crate) fn check(ctx: &mut RuleContext) {
    let Some(litellm) = ctx.litellm_file() else {
        return;
    };
    let mut diagnostics = Vec::new();
    for d in &litellm.model_list {
        let Some(base) = &d.api_base else {
            continue;
        };
        if !speaks_openai(d) {
            continue;
        }
        let Ok(url) = parse_url(base.value.trim()) else {
            continue;
        };
        if !is_local_host(url.host) || !url.path.trim_matches('/').is_empty() {
            continue;
        }
        // llama.cpp's llama-server, whose default port this is, answers at the root too.
        if url.port_number() == Some(8080) {
            continue;
        }
        let raw = ctx.file.text.get(base.range.as_range()).unwrap_or("");
        // Only a plain or quoted one-line value is rewritten in place.
        let value = base.value.trim_end_matches('/');
        let replacement = if raw.starts_with(['"', '\'']) {
            format!("\"{value}/v1\"")
        } else {
            format!("{value}/v1")
        };
        diagnostics.push(
            ctx.diagnostic(
                format!(
                    "`api_base` of `{}` has no `/v1`: the OpenAI client will call `{}/chat/completions`",
                    d.model_name.value, value
                ),
                Label::new(base.range, "no API path"),
            )
            .with_help(format!(
                "self-hosted OpenAI-compatible servers (vLLM, llama-cpp-python, Ollama, LM Studio) serve the API under `/v1`: write `{value}/v1`"
            ))
            .with_fix(Fix {
                title: "Append `/v1` to `api_base`".to_string(),
                applicability: Applicability::Unsafe,
                edits: vec![Edit::replace(base.range, replacement)],
            }),
        );
    }
    for d in diagnostics {
        ctx.report(d);
    }
}

/// Whether LiteLLM calls this deployment through its OpenAI client with `api_base` as is.
fn speaks_openai(d: &Deployment) -> bool {
    if let Some(custom) = &d.custom_llm_provider {
        return appends_chat_completions(custom.value.trim());
    }
    let Some(model) = &d.model else {
        return false;
    };
    matches!(provider_prefix(&model.value), ProviderPrefix::Known(p) if appends_chat_completions(p))
}
