//! `G403` missing-provider-prefix: a deployment's `litellm_params.model` without a LiteLLM
//! provider prefix (and no `custom_llm_provider`).
use super::prelude::*;
use crate::diagnostic::suggest;
use crate::model::litellm::{self, is_provider, provider_prefix, ProviderPrefix};
use crate::model::litellm::{api_base, litellm_model};
use crate::model::{Deployment, ProvidersConfig, Spanned};
use crate::syntax::writer as yaml;
use crate::text::TextRange;
use compact_str::CompactString;

declare_rule! {
    /// ## What it does
    /// Reports a `model_list` entry of a LiteLLM config whose `litellm_params.model`
    /// does not start with a LiteLLM provider (`ollama_chat/llama3.1:8b`,
    /// `openai/gpt-4o`), and which sets no `custom_llm_provider`; and a
    /// `custom_llm_provider` that is not a LiteLLM provider. A prefix close to a known one
    /// (`olama/`) gets a did-you-mean.
    ///
    /// The known providers are those of LiteLLM's `LlmProviders` enum and its JSON-defined
    /// OpenAI-compatible providers, from the catalogue of the pinned release
    /// (`aiblint --version`): `openai`, `anthropic`, `ollama`, `ollama_chat`, `hosted_vllm`,
    /// `lm_studio`, `azure`, `bedrock`, `vertex_ai`, `gemini`, `groq`, `mistral`,
    /// `openrouter` and some 180 more. A model LiteLLM knows by name from its cost map
    /// (`gpt-4o`, `claude-3-5-sonnet-20241022`) needs no prefix, nor does an
    /// `os.environ/NAME` reference.
    ///
    /// ## Why is this bad?
    /// LiteLLM picks the API to speak from the text before the first `/`. Without a known
    /// provider there, the proxy skips the deployment at startup with an error in its log
    /// ("LLM Provider NOT provided"), and requests for it fail with "model not found". A
    /// Hugging Face repo id such as `Qwen/Qwen2.5-Coder-14B-Instruct-AWQ` is the commonest
    /// case: LiteLLM takes `Qwen` for the provider.
    ///
    /// ## Example
    /// ```yaml litellm-unified.yaml
    /// model_list:
    ///   - model_name: llama3.1:8b
    ///     litellm_params:
    ///       model: olama/llama3.1:8b
    ///       api_base: http://127.0.0.1:11434
    /// ```
    ///
    /// ## How to fix
    /// Write the provider before the model: `ollama_chat/` (or `ollama/` for embeddings)
    /// for Ollama, `openai/` for OpenAI and any OpenAI-compatible server (vLLM, llama.cpp,
    /// LM Studio), `anthropic/` for Anthropic. Or set `custom_llm_provider`.
    ///
    /// ## Fix safety
    /// Unsafe: a did-you-mean replaces the prefix with the closest known one; a missing
    /// prefix is inserted only when the `api_base` is the URL of a provider of
    /// providers.yaml, whose type says which prefix `aiblint generate` would write.
    code: "G403", name: "missing-provider-prefix", severity: Error, fix: Sometimes
}

pub(crate) fn check(ctx: &mut RuleContext) {
    let Some(litellm) = ctx.litellm_file() else {
        return;
    };
    let providers = ctx.set.providers();
    let mut diagnostics = Vec::new();
    for deployment in &litellm.model_list {
        let name = deployment.model_name.as_str();
        if let Some(custom) = &deployment.custom_llm_provider {
            let value = custom.as_str();
            if !is_provider(value) {
                let mut d = ctx.diagnostic(
                    format!("unknown `custom_llm_provider` `{value}` in `{name}`"),
                    Label::new(custom.range, "not a LiteLLM provider"),
                );
                if let Some(s) = suggest(value, litellm::providers().iter().copied()) {
                    d = d.with_help(format!("did you mean `{s}`?")).with_fix(Fix {
                        title: format!("Replace `{value}` with `{s}`"),
                        applicability: Applicability::Unsafe,
                        edits: vec![Edit::replace(
                            custom.range,
                            yaml::replacement(
                                ctx.file.text.get(custom.range.as_range()).unwrap_or(""),
                                s,
                            ),
                        )],
                    });
                }
                diagnostics.push(d);
            }
            continue;
        }
        let Some(model) = &deployment.model else {
            continue;
        };
        let value = model.as_str();
        let start = value_start(&ctx.file.text, model);
        match provider_prefix(value) {
            ProviderPrefix::Known(_) | ProviderPrefix::NotNeeded => {}
            ProviderPrefix::Unknown(prefix) => {
                let close = suggest(prefix, litellm::providers().iter().copied());
                let range = start.map_or(model.range, |s| TextRange::new(s, s + prefix.len()));
                let mut d = ctx.diagnostic(
                    format!("unknown LiteLLM provider prefix `{prefix}/` in `{name}`"),
                    Label::new(range, "not a LiteLLM provider"),
                );
                d = match close {
                    Some(s) => {
                        d = d.with_help(format!("did you mean `{s}/`?"));
                        if start.is_some() {
                            d = d.with_fix(Fix {
                                title: format!("Replace `{prefix}/` with `{s}/`"),
                                applicability: Applicability::Unsafe,
                                edits: vec![Edit::replace(range, s)],
                            });
                        }
                        d
                    }
                    None => missing(d, value, deployment, providers, start),
                };
                diagnostics.push(d);
            }
            ProviderPrefix::Missing => {
                let d = ctx.diagnostic(
                    format!("`model` of `{name}` has no LiteLLM provider prefix"),
                    Label::new(model.range, "no `<provider>/` before the model"),
                );
                diagnostics.push(missing(d, value, deployment, providers, start));
            }
        }
    }
    for d in diagnostics {
        ctx.report(d);
    }
}

/// Help (and, when providers.yaml says which server this is, a fix) for a model that
/// lacks a prefix.
fn missing(
    d: crate::diagnostic::Diagnostic,
    value: &str,
    deployment: &Deployment,
    providers: Option<&ProvidersConfig>,
    start: Option<usize>,
) -> crate::diagnostic::Diagnostic {
    match (prefix_from_providers(deployment, providers), start) {
        (Some((prefix, id)), Some(start)) => d
            .with_help(format!(
                "`api_base` is provider `{id}` of providers.yaml: write `{prefix}/{value}`"
            ))
            .with_fix(Fix {
                title: format!("Insert the `{prefix}/` prefix"),
                applicability: Applicability::Unsafe,
                edits: vec![Edit::replace(TextRange::empty(start), format!("{prefix}/"))],
            }),
        _ => d.with_help(format!(
            "LiteLLM reads the provider from the text before the first `/`: write \
             `<provider>/{value}` (`openai/` for OpenAI-compatible servers, `ollama_chat/` \
             for Ollama), or set `custom_llm_provider`"
        )),
    }
}

/// The prefix `aiblint generate` writes for the provider whose URL is the deployment's
/// `api_base`, and that provider's id.
fn prefix_from_providers(
    deployment: &Deployment,
    providers: Option<&ProvidersConfig>,
) -> Option<(String, String)> {
    let base = deployment
        .api_base
        .as_ref()?
        .as_str()
        .trim()
        .trim_end_matches('/');
    providers?.providers.iter().find_map(|p| {
        let t = p.provider_type()?;
        let url = p.base_url.as_ref()?;
        if api_base(t, &url.value) != base {
            return None;
        }
        let model = litellm_model(t, "", false)?;
        Some((
            model.trim_end_matches('/').to_string(),
            p.id.value.to_string(),
        ))
    })
}

/// Where the scalar's value starts in the source: after its opening quote when it is
/// quoted without escapes. `None` when the written text is not the value itself.
fn value_start(text: &str, scalar: &Spanned<CompactString>) -> Option<usize> {
    let raw = text.get(scalar.range.as_range())?;
    if raw == scalar.value {
        Some(scalar.range.start as usize)
    } else if raw.len() >= 2 && raw.get(1..raw.len() - 1) == Some(scalar.value.as_str()) {
        Some(scalar.range.start as usize + 1)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knows_every_prefix_generate_writes() {
        for t in crate::model::schema::PROVIDER_TYPES {
            for embedding in [false, true] {
                if let Some(model) = litellm_model(t, "m", embedding) {
                    let prefix = model.split('/').next().unwrap();
                    assert!(is_provider(prefix), "{prefix}");
                }
            }
        }
    }
}
