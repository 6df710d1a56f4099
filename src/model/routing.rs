//! What the sources mean for routing, shared by `aiblint generate` and the rules that
//! explain it: which models a provider serves, and which model a load-balancing member or a
//! provider id in a fallback chain stands for.

use foldhash::HashSet;

use super::{LoadBalancingMember, MappingsConfig, Model, Provider};

/// Up to this many models, finding repeats by comparing each with the others costs less
/// than hashing them.
const FEW_MODELS: usize = 16;

/// A model a provider serves.
#[derive(Clone, Copy, Debug)]
pub struct Served<'a> {
    pub name: &'a str,
    /// Its entry in the provider's `models`; `None` when an exact match declares it.
    pub model: Option<&'a Model>,
}

/// The models `provider` serves: its `models`, in order and without repeats; or, when it
/// lists none, the models its exact matches ask of it (their `backend_model`, else their
/// name), in file order. A server such as llama.cpp serves whatever it was started with,
/// and its routes are what say so.
pub fn served_models<'a>(
    provider: &'a Provider,
    mappings: Option<&'a MappingsConfig>,
) -> Vec<Served<'a>> {
    let mut out: Vec<Served<'a>> = Vec::new();
    // A provider serves a few models: they are compared one by one until a set pays.
    let mut seen: Option<HashSet<&'a str>> = None;
    let mut push = |name: &'a str, model: Option<&'a Model>| {
        let new = if out.len() < FEW_MODELS {
            !out.iter().any(|s| s.name == name)
        } else {
            seen.get_or_insert_with(|| out.iter().map(|s| s.name).collect())
                .insert(name)
        };
        if new {
            out.push(Served { name, model });
        }
    };
    if !provider.models.is_empty() {
        for m in &provider.models {
            push(m.name.as_str(), Some(m));
        }
        return out;
    }
    for m in mappings.map_or(&[][..], |m| m.exact_matches.as_slice()) {
        if m.provider
            .as_ref()
            .is_some_and(|p| p.value == provider.id.value)
        {
            push(m.backend_model.as_ref().unwrap_or(&m.name).as_str(), None);
        }
    }
    out
}

/// Whether LiteLLM can call a provider of this type (tool servers and web UIs are not
/// model servers).
pub fn is_model_server(provider_type: &str) -> bool {
    matches!(
        provider_type,
        "ollama" | "llama_cpp" | "vllm" | "openai" | "anthropic" | "openai_compatible"
    )
}

/// Why a load-balancing member or a chain entry stands for no model.
#[derive(Clone, Debug, PartialEq)]
pub enum Unresolved {
    /// No provider has the id (reported as an unknown provider).
    UnknownProvider,
    /// The provider is not active.
    Inactive { status: String },
    /// LiteLLM cannot call a provider of this type (`tool_server`, `web_ui`).
    NotAModelServer { provider_type: String },
    /// `preferred_model` names a model the provider does not serve.
    PreferredNotServed {
        preferred: String,
        served: Vec<String>,
    },
    /// The provider serves several models and none is the group's.
    Ambiguous { served: Vec<String> },
    /// The provider lists no models and no exact match asks it for one.
    NoModels,
}

/// The model a load-balancing member of `group` stands for: its `preferred_model`; else
/// the group's own name when its provider serves a model of that name; else the provider's
/// only model.
///
/// `provider` finds the first provider of an id (`ConfigSet::provider`, or a table the
/// caller keeps): a scan of every provider per member would be quadratic.
pub fn resolve_member<'a>(
    provider: impl Fn(&str) -> Option<&'a Provider>,
    mappings: &'a MappingsConfig,
    group: &str,
    member: &'a LoadBalancingMember,
) -> Result<(&'a Provider, &'a str), Unresolved> {
    let id = member
        .provider
        .as_ref()
        .ok_or(Unresolved::UnknownProvider)?;
    let provider = active_provider(provider(id.as_str()))?;
    let served = served_models(provider, Some(mappings));
    let names = || served.iter().map(|s| s.name.to_string()).collect();
    if let Some(preferred) = &member.preferred_model {
        return served
            .iter()
            .find(|s| s.name == preferred.value)
            .map(|s| (provider, s.name))
            .ok_or_else(|| Unresolved::PreferredNotServed {
                preferred: preferred.value.to_string(),
                served: names(),
            });
    }
    if let Some(s) = served.iter().find(|s| s.name == group) {
        return Ok((provider, s.name));
    }
    match served.as_slice() {
        [only] => Ok((provider, only.name)),
        [] => Err(Unresolved::NoModels),
        _ => Err(Unresolved::Ambiguous { served: names() }),
    }
}

/// The model a provider id in a fallback chain stands for: the provider's only model.
/// `provider` is the first provider of that id.
pub fn resolve_provider_entry<'a>(
    provider: Option<&'a Provider>,
    mappings: &'a MappingsConfig,
) -> Result<(&'a Provider, &'a str), Unresolved> {
    let provider = active_provider(provider)?;
    let served = served_models(provider, Some(mappings));
    match served.as_slice() {
        [only] => Ok((provider, only.name)),
        [] => Err(Unresolved::NoModels),
        _ => Err(Unresolved::Ambiguous {
            served: served.iter().map(|s| s.name.to_string()).collect(),
        }),
    }
}

fn active_provider(provider: Option<&Provider>) -> Result<&Provider, Unresolved> {
    let provider = provider.ok_or(Unresolved::UnknownProvider)?;
    let status = provider.status().unwrap_or("(no status)");
    if status != "active" {
        return Err(Unresolved::Inactive {
            status: status.to_string(),
        });
    }
    match provider.provider_type() {
        Some(t) if !is_model_server(t) => Err(Unresolved::NotAModelServer {
            provider_type: t.to_string(),
        }),
        _ => Ok(provider),
    }
}
