//! `L304` ambiguous-model: one model name served by several active providers, unrouted.
use super::prelude::*;
use crate::model::FileKind;

declare_rule! {
    /// ## What it does
    /// Reports a model name served by two or more active providers when neither an exact
    /// match nor a load-balancing group of that name in model-mappings.yaml says which one
    /// answers it.
    ///
    /// The first provider in file order is taken as the reference; every further provider
    /// serving the name is reported. Providers whose status is not `active` are not
    /// counted. Without a model-mappings.yaml nothing disambiguates, so the rule still
    /// applies; when model-mappings.yaml is present but cannot be parsed, it stays silent.
    ///
    /// ## Why is this bad?
    /// The generated LiteLLM config gets several deployments with the same `model_name`,
    /// and LiteLLM load-balances between them: the same request is answered by different
    /// servers (often different quantizations or context lengths), by chance.
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
    ///   lan-ollama:
    ///     type: ollama
    ///     base_url: http://192.168.1.42:11434
    ///     status: active
    ///     description: Ollama on the LAN box
    ///     models:
    ///       - "llama3.1:8b"
    /// ```
    ///
    /// ## How to fix
    /// Add an exact match for the name in model-mappings.yaml to choose the provider (and
    /// its `fallback`), or give the clients distinct names with `backend_model`.
    code: "L304", name: "ambiguous-model", severity: Warning, fix: None
}

pub(crate) fn check(ctx: &mut RuleContext) {
    if !ctx.is_set_file(FileKind::Providers) || ctx.set.providers().is_none() {
        return;
    }
    // A mappings file that exists but cannot be read would hide its exact matches.
    if ctx.set.member(FileKind::Mappings).is_some() && ctx.set.mappings().is_none() {
        return;
    }
    let mappings_path = ctx
        .set
        .member(FileKind::Mappings)
        .map_or("model-mappings.yaml", |m| m.path.as_str());
    let symbols = ctx.set.symbols();
    // A load-balancing group named after the model says how its providers share it.
    let balanced: Vec<&str> = ctx
        .set
        .mappings()
        .map(|m| m.load_balancing.iter().map(|g| g.name.as_str()).collect())
        .unwrap_or_default();
    let mut diagnostics = Vec::new();
    for (name, defs) in symbols.models() {
        if defs.len() < 2 || symbols.exact_match(name).is_some() || balanced.contains(&name) {
            continue;
        }
        let active: Vec<_> = defs
            .filter(|d| {
                ctx.set
                    .provider(d.provider)
                    .is_some_and(|p| p.status() == Some("active"))
            })
            .collect();
        let Some(first) = active.first() else {
            continue;
        };
        let mut seen: Vec<&str> = vec![first.provider];
        for def in active.iter().skip(1) {
            // The same provider listing it twice is S115's.
            if seen.contains(&def.provider) {
                continue;
            }
            seen.push(def.provider);
            diagnostics.push(
                ctx.diagnostic(
                    format!(
                        "model `{name}` is served by both `{}` and `{}`",
                        first.provider, def.provider
                    ),
                    Label::new(def.range, format!("also served by `{}`", def.provider)),
                )
                .with_secondary(Label::new(
                    first.range,
                    format!("first served by `{}`", first.provider),
                ))
                .with_help(format!(
                    "add an exact match for `{name}` in {mappings_path} to choose the provider"
                )),
            );
        }
    }
    for d in diagnostics {
        ctx.report(d);
    }
}
