//! `L311` provider-in-chain: a fallback chain names a provider where LiteLLM needs a model.
use super::prelude::*;
use super::unknown_provider::name_list;
use crate::model::{routing, FileKind, RefKind, RefRole};
use crate::syntax::rewrite_scalar;

declare_rule! {
    /// ## What it does
    /// Reports a provider id in a fallback `chain` of model-mappings.yaml. Schema 1.x
    /// described a chain as "an ordered list of providers", and both schemas accept one,
    /// but LiteLLM falls back from a model group to other model groups: a provider id
    /// names no group, so that step of the chain never happens.
    ///
    /// When the provider serves exactly one model (one it lists, or, when it lists none,
    /// the one its exact matches ask of it), that model is what the step means, and the fix
    /// (which `aiblint migrate` applies) names it.
    ///
    /// ## Why is this bad?
    /// The fallback looks planned but is dropped: when the model fails, LiteLLM skips the
    /// provider step and the request fails sooner than the chain suggests.
    ///
    /// ## Example
    /// With this providers.yaml:
    ///
    /// ```yaml providers.yaml
    /// providers:
    ///   vllm:
    ///     type: vllm
    ///     base_url: http://127.0.0.1:8001/v1
    ///     status: active
    ///     description: vLLM coder
    ///     models:
    ///       - Qwen/Qwen2.5-Coder-7B-Instruct-AWQ
    ///   ollama:
    ///     type: ollama
    ///     base_url: http://127.0.0.1:11434
    ///     status: active
    ///     description: Local Ollama
    ///     models:
    ///       - "llama3.1:8b"
    /// ```
    ///
    /// this chain names the provider `vllm`:
    ///
    /// ```yaml model-mappings.yaml
    /// fallback_chains:
    ///   "llama3.1:8b":
    ///     chain:
    ///       - vllm
    /// ```
    ///
    /// ## How to fix
    /// Name a model instead: one the provider serves (the fix does this when it serves
    /// exactly one), or an `exact_matches` name.
    ///
    /// ## Fix safety
    /// Safe: a provider that serves one model can only stand for that model.
    code: "L311", name: "provider-in-chain", severity: Warning, fix: Sometimes
}

pub(crate) fn check(ctx: &mut RuleContext) {
    if !ctx.is_set_file(FileKind::Mappings) || ctx.set.provider_table().is_none() {
        return;
    }
    let symbols = ctx.set.symbols();
    let mut diagnostics = Vec::new();
    for reference in symbols.references() {
        if reference.kind != RefKind::Model
            || reference.role != RefRole::ChainMember
            || symbols.is_model(reference.name)
        {
            continue;
        }
        let Some(provider) = ctx.set.provider(reference.name) else {
            continue;
        };
        let name = reference.name;
        let mut models: Vec<&str> = routing::served_models(provider, ctx.set.mappings())
            .iter()
            .map(|s| s.name)
            .collect();
        models.sort_unstable();
        models.dedup();
        let mut d = ctx
            .diagnostic(
                format!(
                    "{} names the provider `{name}`, not a model",
                    reference.route
                ),
                Label::new(reference.range, "a provider id"),
            )
            .with_note("LiteLLM falls back from a model group to other model groups; a provider id names none, so this step is skipped");
        d = match models.as_slice() {
            [] => d.with_help(format!(
                "`{name}` lists no models in providers.yaml and no exact match asks it for \
                 one: add the model it serves to its `models` and name that model here"
            )),
            [one] => {
                let title = format!("Replace `{name}` with `{one}`, the model it serves");
                let edits = rewrite_scalar(&ctx.file.text, reference.range, name, one)
                    .map(|text| vec![Edit::replace(reference.range, text)]);
                let d = d.with_help(format!("`{name}` serves one model: `{one}`"));
                match edits {
                    Some(edits) => d.with_fix(Fix {
                        title,
                        applicability: Applicability::Safe,
                        edits,
                    }),
                    None => d,
                }
            }
            _ => d.with_help(format!(
                "`{name}` serves {}: name the one meant here",
                name_list(models.iter().copied(), 8)
            )),
        };
        diagnostics.push(d);
    }
    for d in diagnostics {
        ctx.report(d);
    }
}
