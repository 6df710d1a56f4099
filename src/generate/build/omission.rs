//! Routes of the sources left out of the generated config, and why.

use crate::model::routing::Unresolved;
use crate::model::FileKind;
use crate::text::TextRange;

/// A route of the sources that is not part of the generated config.
#[derive(Clone, Debug, PartialEq)]
pub struct Omission {
    /// The file that holds the route, and where.
    pub file: FileKind,
    pub range: TextRange,
    /// The route, for messages: "load-balancing member `ollama` of `llama3.1:latest`".
    pub route: String,
    pub why: Dropped,
}

/// Why a route is left out.
#[derive(Clone, Debug, PartialEq)]
pub enum Dropped {
    /// It names a provider that is unknown, not active, or not a model server.
    Provider(Unresolved),
    /// An exact match asks its provider for a model the provider does not serve.
    NotServed,
    /// It names a model that is no model group of the generated config (an unknown model, or
    /// one whose providers are not active).
    NoSuchModel { name: String },
    /// A load-balancing member that stands for no model.
    Member(Unresolved),
    /// A provider id in a fallback chain that stands for no model.
    ProviderInChain(Unresolved),
    /// A capability none of whose `preferred_models` is a generated model group.
    CapabilityWithoutModels,
    /// A capability named like a model group: the model keeps the name.
    NameTaken,
    /// A deployment that a weighted group of its name gives no traffic.
    ZeroWeight { group: String },
    /// Deployment settings for a name that no generated deployment has.
    SettingsForUnknownDeployment,
}

impl Omission {
    /// Why the route is left out, for people.
    pub fn reason(&self) -> String {
        match &self.why {
            Dropped::Provider(u) | Dropped::Member(u) | Dropped::ProviderInChain(u) => {
                unresolved_reason(u, matches!(self.why, Dropped::ProviderInChain(_)))
            }
            Dropped::NotServed => "its provider does not serve that model".to_string(),
            Dropped::NoSuchModel { name } => format!(
                "`{name}` is no model of the generated config: no active provider serves it"
            ),
            Dropped::CapabilityWithoutModels => "none of its `preferred_models` is a model of \
                 the generated config, and a capability becomes a model name through them"
                .to_string(),
            Dropped::NameTaken => "a model already has that name".to_string(),
            Dropped::ZeroWeight { group } => format!(
                "the load-balancing group `{group}` sets weights and this deployment is not \
                 one of its members, so LiteLLM gives it no traffic"
            ),
            Dropped::SettingsForUnknownDeployment => {
                "no generated deployment has this `model_name`".to_string()
            }
        }
    }
}

pub(super) fn unresolved_reason(u: &Unresolved, in_chain: bool) -> String {
    match u {
        Unresolved::UnknownProvider => "its provider is not defined in providers.yaml".to_string(),
        Unresolved::Inactive { status } => {
            format!("its provider is `{status}`; only active providers are generated")
        }
        Unresolved::NotAModelServer { provider_type } => {
            format!("a `{provider_type}` provider is not a model server LiteLLM can call")
        }
        Unresolved::PreferredNotServed { preferred, served } => format!(
            "its `preferred_model` `{preferred}` is not a model of that provider, which serves {}",
            names(served)
        ),
        Unresolved::Ambiguous { served } if in_chain => format!(
            "a provider id stands for a model only when the provider serves exactly one; it serves {}",
            names(served)
        ),
        Unresolved::Ambiguous { served } => format!(
            "its provider serves {} models ({}) and none is named like the group: set `preferred_model`",
            served.len(),
            names(served)
        ),
        Unresolved::NoModels => "its provider lists no models and no exact match asks it for \
             one: add the model it serves to its `models`"
            .to_string(),
    }
}

/// `` `a`, `b` `` — six names at most, then how many more.
pub(super) fn names(names: &[String]) -> String {
    let shown: Vec<String> = names.iter().take(6).map(|n| format!("`{n}`")).collect();
    match names.len().saturating_sub(6) {
        0 => shown.join(", "),
        more => format!("{}, and {more} more", shown.join(", ")),
    }
}
