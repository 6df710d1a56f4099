//! `L309` unrouted-model: a model that no route of model-mappings.yaml reaches.
use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};
use std::cell::OnceCell;

use super::prelude::*;
use crate::model::pyregex::Pattern;
use crate::model::routing;
use crate::model::{FileKind, RefKind, RefRole};

declare_rule! {
    /// ## What it does
    /// Reports a model of an active provider that model-mappings.yaml never routes to.
    ///
    /// A model counts as routed when it is an `exact_matches` key, the `backend_model` of
    /// an exact match of its provider, a member (or key) of a fallback chain, a capability's
    /// preferred or threshold model, a load-balancing `preferred_model`, or a name matched
    /// by a pattern whose `provider` or `fallback` is its provider. Every model of the
    /// `routing_rules` `default_provider` and `default_fallback` is routed too, since any
    /// name nothing else claims goes there. Patterns match as Python's `re.search` does
    /// (look-around included); one that does not compile (see `S107`) is skipped, and a
    /// model a pattern could not decide on (runaway backtracking) counts as routed.
    ///
    /// The rule runs only when the set has a model-mappings.yaml that parses.
    ///
    /// ## Why is this bad?
    /// Clients can only reach a model through a route. A model nothing routes to is either
    /// dead weight in the provider (and in the generated config), or a route was forgotten
    /// or misspelled.
    ///
    /// ## Example
    /// With this provider in providers.yaml:
    ///
    /// ```yaml providers.yaml
    /// providers:
    ///   ollama:
    ///     type: ollama
    ///     base_url: http://127.0.0.1:11434
    ///     status: active
    ///     description: Local Ollama
    ///     models:
    ///       - "llama3.1:8b"
    ///       - "phi3:mini"
    /// ```
    ///
    /// and this model-mappings.yaml, nothing routes to `phi3:mini`:
    ///
    /// ```yaml model-mappings.yaml
    /// exact_matches:
    ///   "llama3.1:8b":
    ///     provider: ollama
    ///     priority: primary
    ///     description: General chat
    /// ```
    ///
    /// ## How to fix
    /// Add a route for the model (an exact match, a pattern, a fallback chain entry), or
    /// remove it from the provider if it is not used.
    code: "L309", name: "unrouted-model", severity: Info, fix: None
}

/// Model names routed whatever their provider, and (provider, model) pairs.
type OtherRoutes<'a> = (HashSet<&'a str>, HashSet<(&'a str, &'a str)>);

pub(crate) fn check(ctx: &mut RuleContext) {
    if !ctx.is_set_file(FileKind::Providers) {
        return;
    }
    let (Some(providers), Some(mappings)) = (ctx.set.providers(), ctx.set.mappings()) else {
        return;
    };
    let symbols = ctx.set.symbols();

    let default_providers: HashSet<&str> = symbols
        .references()
        .filter(|r| {
            r.kind == RefKind::Provider
                && matches!(r.role, RefRole::DefaultProvider | RefRole::DefaultFallback)
        })
        .map(|r| r.name)
        .collect();

    // Names routed whatever their provider, and (provider, name) pairs routed by
    // backend_model: gathered only once a model is not an exact match, the one lookup most
    // models need (on a large set, these tables cost more than the rest of the rule).
    let other_routes: OnceCell<OtherRoutes> = OnceCell::new();
    let other_routes = || {
        other_routes.get_or_init(|| {
            let mut routed: HashSet<&str> = HashSet::new();
            let mut backend: HashSet<(&str, &str)> = HashSet::new();
            for r in symbols.references() {
                match (r.kind, r.role) {
                    (RefKind::Model, RefRole::BackendModel) => {
                        if let Some(owner) = r.owner {
                            backend.insert((owner, r.name));
                        }
                    }
                    (RefKind::Model, _) => {
                        routed.insert(r.name);
                    }
                    _ => {}
                }
            }
            // A load-balancing group routes its name, and each member to the model it stands for.
            for group in &mappings.load_balancing {
                routed.insert(group.name.as_str());
                for member in &group.members {
                    if let Ok((p, served)) = routing::resolve_member(
                        |id| ctx.set.provider(id),
                        mappings,
                        group.name.as_str(),
                        member,
                    ) {
                        backend.insert((p.id.as_str(), served));
                    }
                }
            }
            (routed, backend)
        })
    };

    // Patterns grouped by the provider they route to (provider and fallback), compiled
    // only when a model that nothing else routes needs them, and then once.
    let compiled: Vec<OnceCell<Option<Pattern>>> =
        mappings.patterns.iter().map(|_| OnceCell::new()).collect();
    let mut by_provider: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, p) in mappings.patterns.iter().enumerate() {
        for target in [&p.provider, &p.fallback].into_iter().flatten() {
            by_provider.entry(target.as_str()).or_default().push(i);
        }
    }
    let matches = |i: usize, name: &str| {
        compiled[i]
            .get_or_init(|| Pattern::compile(mappings.patterns[i].pattern.as_str()))
            .as_ref()
            .is_some_and(|p| p.search(name) != Some(false))
    };

    let mappings_path = ctx
        .set
        .member(FileKind::Mappings)
        .map_or("model-mappings.yaml", |m| m.path.as_str());
    let mut diagnostics = Vec::new();
    for provider in &providers.providers {
        if provider.status() != Some("active") {
            continue;
        }
        let id = provider.id.as_str();
        if default_providers.contains(id) {
            continue;
        }
        let patterns = by_provider.get(id).map_or(&[][..], Vec::as_slice);
        for model in &provider.models {
            let name = model.name.as_str();
            let is_routed = symbols.exact_match(name).is_some()
                || other_routes().0.contains(name)
                || other_routes().1.contains(&(id, name))
                || patterns.iter().any(|&i| matches(i, name));
            if is_routed {
                continue;
            }
            diagnostics.push(
                ctx.diagnostic(
                    format!("model `{name}` of `{id}` is never routed"),
                    Label::new(model.name.range, "no route leads here"),
                )
                .with_help(format!(
                    "add an exact match, a pattern or a fallback chain entry for it in \
                     {mappings_path}, or remove it from `{id}`"
                )),
            );
        }
    }
    for d in diagnostics {
        ctx.report(d);
    }
}
