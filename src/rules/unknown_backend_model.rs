//! `R204` unknown-backend-model: an exact match's `backend_model` is not a model of its provider.
use super::model_not_served::{closest_model, models_known, serves};
use super::prelude::*;
use super::unknown_provider::{name_list, replace_fix};
use crate::model::{FileKind, RefRole};

declare_rule! {
    /// ## What it does
    /// Reports a `backend_model` that the exact match's provider does not serve, with the
    /// closest of that provider's models as a suggestion.
    ///
    /// Providers without a `models` list, and `openai`/`anthropic` providers with an empty
    /// one, are not checked: what they serve is not known.
    ///
    /// ## Why is this bad?
    /// `backend_model` is the name the gateway sends to the provider. A name the provider
    /// does not have makes every request for the exact match fail with "model not found".
    ///
    /// ## Example
    /// With this providers.yaml:
    ///
    /// ```yaml providers.yaml
    /// providers:
    ///   vllm-qwen:
    ///     type: vllm
    ///     base_url: http://127.0.0.1:8001/v1
    ///     status: active
    ///     description: vLLM coder
    ///     models:
    ///       - Qwen/Qwen2.5-Coder-14B-Instruct-AWQ
    /// ```
    ///
    /// this exact match asks vLLM for a model it does not serve:
    ///
    /// ```yaml model-mappings.yaml
    /// exact_matches:
    ///   qwen-coder-vllm:
    ///     provider: vllm-qwen
    ///     priority: primary
    ///     backend_model: Qwen/Qwen2.5-Coder-14B-Instruct
    ///     description: Coding model
    /// ```
    ///
    /// ## How to fix
    /// Name one of the provider's models (the fix offers the closest), or add the model to
    /// the provider's `models` in providers.yaml.
    ///
    /// ## Fix safety
    /// Unsafe: the suggestion is a guess at which model was meant.
    code: "R204", name: "unknown-backend-model", severity: Error, fix: Sometimes
}

pub(crate) fn check(ctx: &mut RuleContext) {
    if !ctx.is_set_file(FileKind::Mappings) || ctx.set.provider_table().is_none() {
        return;
    }
    let symbols = ctx.set.symbols();
    for reference in symbols.references() {
        if reference.role != RefRole::BackendModel {
            continue;
        }
        let Some(id) = reference.owner else {
            continue;
        };
        let name = reference.name;
        let Some(provider) = ctx.set.provider(id) else {
            continue; // R201 reports the unknown provider.
        };
        if serves(symbols, id, name) || !models_known(ctx.set, provider) {
            continue;
        }
        let served = || provider.models.iter().map(|m| m.name.as_str());
        let mut d = ctx.diagnostic(
            format!("provider `{id}` does not serve backend model `{name}`"),
            Label::new(reference.range, format!("not a model of `{id}`")),
        );
        if let Some(closest) = closest_model(name, served()) {
            let at = provider
                .models
                .iter()
                .find(|m| m.name.value == closest)
                .and_then(|m| {
                    ctx.label_in_kind(
                        FileKind::Providers,
                        m.name.range,
                        format!("a model of `{id}`"),
                    )
                });
            d = d.with_help(format!("did you mean `{closest}`?"));
            if let Some(label) = at {
                d = d.with_secondary(label);
            }
            if let Some(fix) = replace_fix(&ctx.file.text, reference.range, name, closest) {
                d = d.with_fix(fix);
            }
        } else if provider.models.is_empty() {
            d = d.with_help(format!(
                "`{id}` lists no models; add `{name}` to its `models`"
            ));
        } else {
            let list = match provider.models.as_slice() {
                [one] => format!("only `{}`", one.name.value),
                _ => name_list(served(), 8),
            };
            d = d.with_help(format!(
                "`{id}` serves {list}; if it serves `{name}` too, add it to its `models` in providers.yaml"
            ));
        }
        let others: Vec<&str> = symbols.model_defs(name).map(|d| d.provider).collect();
        if !others.is_empty() {
            d = d.with_note(format!("`{name}` is served by {}", name_list(others, 5)));
        }
        ctx.report(d);
    }
}
