//! `R203` model-not-served: an exact match routes a name to a provider that does not serve it.
use super::prelude::*;
use super::unknown_provider::name_list;
use crate::diagnostic::suggest;
use foldhash::{HashMap, HashMapExt};

use crate::model::{ConfigSet, FileKind, Provider, Symbols};

declare_rule! {
    /// ## What it does
    /// Reports an exact match whose provider does not serve the requested model name and
    /// that has no `backend_model` saying which of the provider's models to use.
    ///
    /// Providers without a `models` list, and `openai`/`anthropic` providers with an empty
    /// one, are not checked: what they serve is not known.
    ///
    /// ## Why is this bad?
    /// Without `backend_model`, the gateway asks the provider for the requested name itself.
    /// A provider that does not have that model answers "model not found", so every request
    /// for that name fails (or goes straight to the fallback).
    ///
    /// ## Example
    /// With this providers.yaml:
    ///
    /// ```yaml providers.yaml
    /// providers:
    ///   lan-lmstudio:
    ///     type: openai_compatible
    ///     base_url: http://192.168.1.42:1234/v1
    ///     status: active
    ///     description: LM Studio
    ///     models:
    ///       - llama-3.3-70b-instruct
    /// ```
    ///
    /// this exact match asks LM Studio for `llama3.3:70b`, a name it does not know:
    ///
    /// ```yaml model-mappings.yaml
    /// exact_matches:
    ///   "llama3.3:70b":
    ///     provider: lan-lmstudio
    ///     priority: primary
    ///     description: The largest local model
    /// ```
    ///
    /// ## How to fix
    /// Add `backend_model` naming the provider's model (`backend_model: llama-3.3-70b-instruct`),
    /// route the name to a provider that serves it, or add the model to the provider's
    /// `models` in providers.yaml.
    code: "R203", name: "model-not-served", severity: Error, fix: None
}

pub(crate) fn check(ctx: &mut RuleContext) {
    if !ctx.is_set_file(FileKind::Mappings) || ctx.set.provider_table().is_none() {
        return;
    }
    let Some(mappings) = ctx.set.mappings() else {
        return;
    };
    let symbols = ctx.set.symbols();
    for m in &mappings.exact_matches {
        let (Some(provider_ref), None) = (&m.provider, &m.backend_model) else {
            continue;
        };
        let id = provider_ref.as_str();
        let name = m.name.as_str();
        let Some(provider) = ctx.set.provider(id) else {
            continue; // R201 reports the unknown provider.
        };
        if serves(symbols, id, name) || !models_known(ctx.set, provider) {
            continue;
        }
        let served = || provider.models.iter().map(|m| m.name.as_str());
        let mut d = ctx
            .diagnostic(
                format!("provider `{id}` does not serve `{name}`"),
                Label::new(m.name.range, format!("not a model of `{id}`")),
            )
            .with_secondary(Label::new(provider_ref.range, "routed to this provider"));
        let others: Vec<&str> = symbols.model_defs(name).map(|d| d.provider).collect();
        let serves_list = match provider.models.as_slice() {
            [] => format!("`{id}` lists no models"),
            [one] => format!("`{id}` serves only `{}`", one.name.value),
            _ => format!("`{id}` serves {}", name_list(served(), 8)),
        };
        if let Some(closest) = closest_model(name, served()) {
            d = d
                .with_help(format!(
                    "if `{name}` means `{closest}`, add `backend_model: {closest}`"
                ))
                .with_note(serves_list);
        } else if !others.is_empty() {
            d = d
                .with_help(match others.as_slice() {
                    [other] => {
                        format!(
                            "`{name}` is served by `{other}`; did you mean `provider: {other}`?"
                        )
                    }
                    _ => format!(
                        "`{name}` is served by {}; route it to one of them",
                        name_list(others.iter().copied(), 5)
                    ),
                })
                .with_note(serves_list);
        } else {
            let which = match provider.models.as_slice() {
                [] => "add the model to its `models`".to_string(),
                [one] => format!("add `backend_model: {}`", one.name.value),
                _ => "add a `backend_model` naming one of them".to_string(),
            };
            d = d.with_help(format!(
                "{serves_list}; {which}, or route `{name}` to a provider that serves it"
            ));
        }
        ctx.report(d);
    }
}

/// The model of `candidates` closest to `name`: a did-you-mean on the names, else on the names
/// without case and punctuation, so that `llama3.3:70b` finds `llama-3.3-70b-instruct`.
pub(super) fn closest_model<'a>(
    name: &str,
    candidates: impl Iterator<Item = &'a str> + Clone,
) -> Option<&'a str> {
    if let Some(found) = suggest(name, candidates.clone()) {
        return Some(found);
    }
    let key = normalize(name);
    if key.is_empty() {
        return None;
    }
    let mut by_key: HashMap<String, &'a str> = HashMap::new();
    for candidate in candidates {
        by_key.entry(normalize(candidate)).or_insert(candidate);
    }
    if let Some(same) = by_key.get(&key) {
        return Some(*same);
    }
    let mut keys: Vec<&str> = by_key.keys().map(String::as_str).collect();
    keys.sort_unstable();
    let found = suggest(&key, keys)?;
    by_key.get(found).copied()
}

/// Lowercase letters and digits only.
fn normalize(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Whether provider `id` serves `model` (a hash lookup, not a scan of its models).
pub(super) fn serves(symbols: &Symbols, id: &str, model: &str) -> bool {
    symbols.model_defs(model).any(|d| d.provider == id)
}

/// Whether what `provider` serves is known: it has a `models` list, and the list is not an
/// empty placeholder of a cloud API (whose catalogue is not written down).
pub(super) fn models_known(set: &ConfigSet, provider: &Provider) -> bool {
    if !provider.models.is_empty() {
        return true;
    }
    if matches!(provider.provider_type(), Some("openai" | "anthropic")) {
        return false;
    }
    // An empty list says "serves nothing"; no list at all (or a value that is not a list,
    // which S102 reports) says nothing.
    set.member(FileKind::Providers)
        .and_then(|m| m.file.parse.root.as_ref())
        .and_then(|root| root.get("providers"))
        .and_then(|p| p.get(provider.id.as_str()))
        .is_some_and(|p| p.get("models").is_some_and(|m| m.as_sequence().is_some()))
}
