//! `H804` unlisted-served-model: models a provider's server serves that providers.yaml does not list.
use super::prelude::*;
use crate::live::probe::{closest_served, is_served};
use crate::model::FileKind;

declare_rule! {
    /// ## What it does
    /// Reports, once per active provider, the models its server serves (by `aiblint probe`'s
    /// model list) that the provider's `models` in providers.yaml does not list. It is
    /// reported at the provider's id, naming up to eight of them. A served name that
    /// `H803` suggests for a configured name is left out: it is that model, misnamed.
    ///
    /// ## Why is this bad?
    /// `aiblint generate` writes a LiteLLM deployment only for listed models, so no route
    /// reaches these: either a model was pulled and forgotten (disk and, for some servers,
    /// memory spent for nothing), or the config is missing an entry.
    ///
    /// ## Example
    /// ```yaml providers.yaml
    /// providers:
    ///   ollama:
    ///     type: ollama
    ///     base_url: http://127.0.0.1:11434
    ///     status: active
    ///     description: Local Ollama
    ///     models:
    ///       - "llama3.1:8b"
    /// ```
    ///
    /// When Ollama also serves `phi3:mini`, `aiblint probe` reports
    /// `provider `ollama` serves 1 model that providers.yaml does not list: `phi3:mini``.
    ///
    /// ## How to fix
    /// List the model under the provider's `models` (and route to it), or remove it from the
    /// server (`ollama rm phi3:mini`).
    code: "H804", name: "unlisted-served-model", severity: Info, fix: None, reported_by: Probe
}

pub(crate) fn check(ctx: &mut LiveContext) {
    for (result, provider) in ctx.probed() {
        let Ok(served) = &result.outcome else {
            continue;
        };
        if result.probe.disabled {
            continue;
        }
        let api = result.probe.api;
        // A served name that H803 offers for a configured name that is not served is that
        // model under another name, not an unlisted one.
        let offered: Vec<&str> = provider
            .models
            .iter()
            .filter(|m| !is_served(api, &m.name.value, &served.models))
            .flat_map(|m| closest_served(&m.name.value, &served.models))
            .collect();
        let unlisted: Vec<&String> = served
            .models
            .iter()
            .filter(|s| !offered.contains(&s.as_str()))
            .filter(|s| {
                !provider
                    .models
                    .iter()
                    .any(|m| is_served(api, &m.name.value, std::slice::from_ref(*s)))
            })
            .collect();
        if unlisted.is_empty() {
            continue;
        }
        let mut names: Vec<String> = unlisted.iter().take(8).map(|n| format!("`{n}`")).collect();
        if unlisted.len() > 8 {
            names.push(format!("and {} more", unlisted.len() - 8));
        }
        let count = match unlisted.len() {
            1 => "1 model".to_string(),
            n => format!("{n} models"),
        };
        let d = ctx
            .diagnostic(
                format!(
                    "provider `{}` serves {count} that providers.yaml does not list: {}",
                    provider.id.value,
                    names.join(", ")
                ),
                Label::new(provider.id.range, "its server serves more models"),
            )
            .with_help("list them under `models` to route to them, or remove them from the server");
        ctx.report(FileKind::Providers, d);
    }
}
