//! `R202` unknown-model: model-mappings.yaml names a model that is neither an exact match nor
//! served by any provider.
use foldhash::HashSet;

use super::prelude::*;
use super::unknown_provider::{name_list, replace_fix};
use crate::diagnostic::Candidates;
use crate::model::{FileKind, RefKind, RefRole};

declare_rule! {
    /// ## What it does
    /// Reports a model name in model-mappings.yaml that is neither an `exact_matches` key nor
    /// a model served by a provider of providers.yaml, and says so when the name is a
    /// provider id rather than a model.
    ///
    /// The names checked are fallback chain keys (other than `default`) and `chain` members,
    /// capability `preferred_models` and `*_thresholds` values, and load-balancing
    /// `preferred_model`s. (`backend_model` is checked by `R204`; a provider id in a
    /// `chain`, valid but ineffective, by `L311`.)
    ///
    /// ## Why is this bad?
    /// A fallback to a model that does not exist never happens, and a capability that
    /// prefers one picks nothing: the request fails where a fallback was planned.
    ///
    /// ## Example
    /// With this providers.yaml:
    ///
    /// ```yaml providers.yaml
    /// providers:
    ///   ollama:
    ///     type: ollama
    ///     base_url: http://127.0.0.1:11434
    ///     status: active
    ///     description: Local Ollama
    ///     models:
    ///       - "qwen2.5-coder:7b"
    /// ```
    ///
    /// this model-mappings.yaml names a provider where a model belongs, and misspells a model:
    ///
    /// ```yaml model-mappings.yaml
    /// capabilities:
    ///   code_generation:
    ///     description: Writing code
    ///     preferred_models:
    ///       - ollama
    /// fallback_chains:
    ///   default:
    ///     chain:
    ///       - "qwen2.5-coder:7bb"
    /// ```
    ///
    /// ## How to fix
    /// Name a model: an `exact_matches` key or a model some provider serves (the fix offers
    /// the closest name).
    ///
    /// ## Fix safety
    /// Unsafe: the suggestion is a guess at which model was meant.
    code: "R202", name: "unknown-model", severity: Error, fix: Sometimes
}

pub(crate) fn check(ctx: &mut RuleContext) {
    // Without providers.yaml only the exact matches are known: every provider model would be
    // reported, so the rule stays silent.
    if !ctx.is_set_file(FileKind::Mappings) || ctx.set.provider_table().is_none() {
        return;
    }
    let symbols = ctx.set.symbols();
    let mut names: Option<Candidates<'_>> = None;
    let mut chain_keys: Option<HashSet<&str>> = None;
    for reference in symbols.references() {
        if reference.kind != RefKind::Model
            || reference.role == RefRole::BackendModel
            || symbols.is_model(reference.name)
        {
            continue;
        }
        if ctx.is_full() {
            ctx.skip();
            continue;
        }
        let name = reference.name;
        if reference.role == RefRole::ChainMember && ctx.set.provider(name).is_some() {
            continue; // A provider in a chain is L311's.
        }
        if let Some(provider) = ctx.set.provider(name) {
            let models: Vec<&str> = {
                let mut m: Vec<&str> = provider.models.iter().map(|m| m.name.as_str()).collect();
                m.sort_unstable();
                m.dedup();
                m
            };
            let mut d = ctx.diagnostic(
                format!("`{name}` is a provider, not a model"),
                Label::new(
                    reference.range,
                    format!("{} expects a model name", reference.role.describe()),
                ),
            );
            d = d.with_help(match models.as_slice() {
                [] => format!("`{name}` lists no models; name a model here"),
                [one] => format!("`{name}` serves only `{one}`; did you mean it?"),
                _ => format!(
                    "`{name}` serves {}; did you mean one of them?",
                    name_list(models.iter().copied(), 8)
                ),
            });
            if let [one] = models.as_slice() {
                if let Some(fix) = replace_fix(&ctx.file.text, reference.range, name, one) {
                    d = d.with_fix(fix);
                }
            }
            ctx.report(d);
            continue;
        }
        let names = names.get_or_insert_with(|| Candidates::new(symbols.model_names()));
        let mut d = ctx.diagnostic(
            format!("unknown model `{name}`"),
            Label::new(
                reference.range,
                "not an exact match or a model of any provider",
            ),
        );
        if let Some(found) = names.suggest(name) {
            let defined = format!("`{found}` is defined here");
            let at = match symbols.exact_match(found) {
                Some(range) => ctx.label_in_kind(FileKind::Mappings, range, defined),
                None => symbols
                    .model_defs(found)
                    .next()
                    .and_then(|def| ctx.label_in_kind(FileKind::Providers, def.range, defined)),
            };
            d = d.with_help(format!("did you mean `{found}`?"));
            if let Some(label) = at {
                d = d.with_secondary(label);
            }
            // Renaming a chain onto an existing chain's name would duplicate the key.
            let duplicates_key = reference.role == RefRole::ChainKey
                && chain_keys
                    .get_or_insert_with(|| {
                        ctx.set
                            .mappings()
                            .map(|m| m.fallback_chains.iter().map(|c| c.name.as_str()).collect())
                            .unwrap_or_default()
                    })
                    .contains(found);
            if !duplicates_key {
                if let Some(fix) = replace_fix(&ctx.file.text, reference.range, name, found) {
                    d = d.with_fix(fix);
                }
            }
        } else {
            d = d.with_help(
                "add an exact match for it, or add it to a provider's `models` in providers.yaml",
            );
        }
        ctx.report(d);
    }
}
