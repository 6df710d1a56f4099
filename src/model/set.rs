//! A config set: the recognised files of one directory, seen together, with a symbol table
//! of every provider and model definition and every reference to them. Shared by the CLI
//! and the language server.

// foldhash: SipHash was a tenth of a large set's check, and the names come from files, not
// from an interactive adversary that could learn the per-process seed.
use std::sync::Arc;

use compact_str::CompactString;
use foldhash::HashMap;

use super::{
    Config, FileKind, LitellmConfig, LitellmSettings, MappingsConfig, PortsConfig, Provider,
    ProvidersConfig, SourceFile, Spanned,
};
use crate::text::TextRange;

/// One file of a set and the path it is shown with.
#[derive(Clone, Debug)]
pub struct SetMember {
    pub path: String,
    pub file: Arc<SourceFile>,
}

#[derive(Debug)]
pub struct ConfigSet {
    pub members: Vec<SetMember>,
    symbols: Symbols,
}

impl ConfigSet {
    /// Builds the set. When two members have the same kind, the first one is the set's.
    pub fn new(members: Vec<SetMember>) -> ConfigSet {
        let mut set = ConfigSet {
            members,
            symbols: Symbols::default(),
        };
        set.symbols = Symbols::build(&set);
        set
    }

    pub fn member(&self, kind: FileKind) -> Option<&SetMember> {
        self.members.iter().find(|m| m.file.kind == Some(kind))
    }

    /// Whether `member` is the set's file of its kind (not a second file of the same kind).
    pub fn is_primary(&self, member: &SetMember) -> bool {
        member
            .file
            .kind
            .and_then(|k| self.member(k))
            .is_some_and(|m| std::ptr::eq(m, member))
    }

    pub fn providers(&self) -> Option<&ProvidersConfig> {
        match &self.member(FileKind::Providers)?.file.config {
            Config::Providers(p) => Some(p),
            _ => None,
        }
    }

    /// The providers of providers.yaml when they can be trusted as the set's provider table:
    /// the file parsed, and it either defines providers or has no schema problem. When a
    /// typo (`provders:`) or a wrong type leaves the table empty, reference rules stay
    /// silent rather than report every reference as unknown: the schema diagnostic names
    /// the cause.
    pub fn provider_table(&self) -> Option<&ProvidersConfig> {
        let providers = self.providers()?;
        let file = &self.member(FileKind::Providers)?.file;
        (!providers.providers.is_empty() || file.schema_issues.is_empty()).then_some(providers)
    }

    pub fn mappings(&self) -> Option<&MappingsConfig> {
        match &self.member(FileKind::Mappings)?.file.config {
            Config::Mappings(m) => Some(m),
            _ => None,
        }
    }

    pub fn ports(&self) -> Option<&PortsConfig> {
        match &self.member(FileKind::Ports)?.file.config {
            Config::Ports(p) => Some(p),
            _ => None,
        }
    }

    /// litellm-settings.yaml, when the set has one that could be analysed.
    pub fn litellm_settings(&self) -> Option<&LitellmSettings> {
        match &self.member(FileKind::LitellmSettings)?.file.config {
            Config::LitellmSettings(s) => Some(s),
            _ => None,
        }
    }

    pub fn litellm(&self) -> Option<&LitellmConfig> {
        match &self.member(FileKind::Litellm)?.file.config {
            Config::Litellm(l) => Some(l),
            _ => None,
        }
    }

    pub fn provider(&self, id: &str) -> Option<&Provider> {
        let index = *self.symbols.providers.get(id)?;
        self.providers()?.providers.get(index)
    }

    pub fn symbols(&self) -> &Symbols {
        &self.symbols
    }

    /// `path:line:col` of an offset in the set's file of `kind`.
    pub fn location(&self, kind: FileKind, range: TextRange) -> Option<String> {
        let member = self.member(kind)?;
        let pos = member
            .file
            .line_index
            .line_col(&member.file.text, range.start as usize);
        Some(format!("{}:{}:{}", member.path, pos.line, pos.col))
    }

    pub fn into_members(self) -> Vec<SetMember> {
        self.members
    }
}

/// What a reference names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RefKind {
    Provider,
    Model,
}

/// Where in model-mappings.yaml a reference stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RefRole {
    ExactMatchProvider,
    ExactMatchFallback,
    /// `backend_model`: a model of the exact match's own provider.
    BackendModel,
    PatternProvider,
    PatternFallback,
    CapabilityProvider,
    /// An item of a capability's `providers` list.
    CapabilityProviders,
    CapabilityFallback,
    PreferredModel,
    ThresholdModel,
    LoadBalancingProvider,
    LoadBalancingModel,
    /// The key of a fallback chain (a model name, or `default`).
    ChainKey,
    ChainMember,
    DefaultProvider,
    DefaultFallback,
    SizeRouteProvider,
    SizeRouteFallback,
}

impl RefRole {
    /// The YAML location, for messages: "exact match `provider`".
    pub fn describe(self) -> &'static str {
        match self {
            RefRole::ExactMatchProvider => "exact match `provider`",
            RefRole::ExactMatchFallback => "exact match `fallback`",
            RefRole::BackendModel => "`backend_model`",
            RefRole::PatternProvider => "pattern `provider`",
            RefRole::PatternFallback => "pattern `fallback`",
            RefRole::CapabilityProvider => "capability `provider`",
            RefRole::CapabilityProviders => "capability `providers`",
            RefRole::CapabilityFallback => "capability `fallback`",
            RefRole::PreferredModel => "`preferred_models`",
            RefRole::ThresholdModel => "capability thresholds",
            RefRole::LoadBalancingProvider => "load-balancing `provider`",
            RefRole::LoadBalancingModel => "load-balancing `preferred_model`",
            RefRole::ChainKey => "fallback chain name",
            RefRole::ChainMember => "fallback `chain`",
            RefRole::DefaultProvider => "`default_provider`",
            RefRole::DefaultFallback => "`default_fallback`",
            RefRole::SizeRouteProvider => "size route `provider`",
            RefRole::SizeRouteFallback => "size route `fallback`",
        }
    }

    /// Whether the reference names where traffic goes when the route's provider fails.
    pub fn is_fallback(self) -> bool {
        matches!(
            self,
            RefRole::ExactMatchFallback
                | RefRole::PatternFallback
                | RefRole::DefaultFallback
                | RefRole::SizeRouteFallback
        )
    }

    /// Whether the reference routes traffic to its provider (fallbacks included).
    pub fn routes_traffic(self) -> bool {
        !matches!(
            self,
            RefRole::CapabilityProvider
                | RefRole::CapabilityProviders
                | RefRole::CapabilityFallback
        )
    }
}

/// A name used in model-mappings.yaml that must be defined elsewhere.
#[derive(Clone, Debug, PartialEq)]
pub struct Reference {
    pub kind: RefKind,
    pub role: RefRole,
    pub name: String,
    pub range: TextRange,
    /// For `BackendModel`: the exact match's provider id.
    pub owner: Option<String>,
    /// The route or entry the reference belongs to, for messages: "pattern `^qwen.*`",
    /// "exact match `llama3.1:8b`", "fallback chain `default`".
    pub route: String,
}

/// A model served by a provider.
#[derive(Clone, Debug, PartialEq)]
pub struct ModelDef {
    pub provider: String,
    pub range: TextRange,
}

/// Every definition and reference of a set, built once.
#[derive(Debug, Default)]
pub struct Symbols {
    /// Provider id → index in providers.yaml's providers.
    pub providers: HashMap<String, usize>,
    /// Model name → the providers that serve it, in file order.
    pub models: HashMap<String, Vec<ModelDef>>,
    /// Exact-match name → its key's range in model-mappings.yaml.
    pub exact_matches: HashMap<String, TextRange>,
    pub references: Vec<Reference>,
}

impl Symbols {
    fn build(set: &ConfigSet) -> Symbols {
        let mut symbols = Symbols::default();
        if let Some(providers) = set.providers() {
            for (index, provider) in providers.providers.iter().enumerate() {
                symbols
                    .providers
                    .entry(provider.id.value.to_string())
                    .or_insert(index);
                for model in &provider.models {
                    symbols
                        .models
                        .entry(model.name.value.to_string())
                        .or_default()
                        .push(ModelDef {
                            provider: provider.id.value.to_string(),
                            range: model.name.range,
                        });
                }
            }
        }
        // Most models have one provider: a list grown by a push keeps room for four.
        for defs in symbols.models.values_mut() {
            defs.shrink_to_fit();
        }
        if let Some(mappings) = set.mappings() {
            for m in &mappings.exact_matches {
                symbols
                    .exact_matches
                    .entry(m.name.value.to_string())
                    .or_insert(m.name.range);
            }
            symbols.references = collect_references(mappings);
            // Kept for the whole check: no slack from growth by doubling.
            symbols.references.shrink_to_fit();
        }
        symbols
    }

    /// Whether `name` is a known model: an exact-match name or a model some provider serves.
    pub fn is_model(&self, name: &str) -> bool {
        self.models.contains_key(name) || self.exact_matches.contains_key(name)
    }

    /// Every known model name, sorted (for deterministic suggestions).
    pub fn model_names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self
            .models
            .keys()
            .chain(self.exact_matches.keys())
            .map(String::as_str)
            .collect();
        names.sort_unstable();
        names.dedup();
        names
    }

    /// Every provider id, sorted.
    pub fn provider_ids(&self) -> Vec<&str> {
        let mut ids: Vec<&str> = self.providers.keys().map(String::as_str).collect();
        ids.sort_unstable();
        ids
    }
}

fn collect_references(m: &MappingsConfig) -> Vec<Reference> {
    let mut refs = Vec::new();
    let mut add =
        |kind, role, value: Option<&Spanned<CompactString>>, owner: Option<&str>, route: &str| {
            if let Some(v) = value {
                refs.push(Reference {
                    kind,
                    role,
                    name: v.value.to_string(),
                    range: v.range,
                    owner: owner.map(str::to_string),
                    route: route.to_string(),
                });
            }
        };
    use RefKind::{Model, Provider};
    for e in &m.exact_matches {
        let route = format!("exact match `{}`", e.name.value);
        add(
            Provider,
            RefRole::ExactMatchProvider,
            e.provider.as_ref(),
            None,
            &route,
        );
        add(
            Provider,
            RefRole::ExactMatchFallback,
            e.fallback.as_ref(),
            None,
            &route,
        );
        let owner = e.provider.as_ref().map(|p| p.value.as_str());
        add(
            Model,
            RefRole::BackendModel,
            e.backend_model.as_ref(),
            owner,
            &route,
        );
    }
    for p in &m.patterns {
        let route = format!("pattern `{}`", p.pattern.value);
        add(
            Provider,
            RefRole::PatternProvider,
            p.provider.as_ref(),
            None,
            &route,
        );
        add(
            Provider,
            RefRole::PatternFallback,
            p.fallback.as_ref(),
            None,
            &route,
        );
    }
    for c in &m.capabilities {
        let route = format!("capability `{}`", c.name.value);
        add(
            Provider,
            RefRole::CapabilityProvider,
            c.provider.as_ref(),
            None,
            &route,
        );
        for provider in &c.providers {
            add(
                Provider,
                RefRole::CapabilityProviders,
                Some(provider),
                None,
                &route,
            );
        }
        add(
            Provider,
            RefRole::CapabilityFallback,
            c.fallback.as_ref(),
            None,
            &route,
        );
        for model in &c.preferred_models {
            add(Model, RefRole::PreferredModel, Some(model), None, &route);
        }
        for model in &c.threshold_models {
            add(Model, RefRole::ThresholdModel, Some(model), None, &route);
        }
    }
    for g in &m.load_balancing {
        let route = format!("load-balancing group `{}`", g.name.value);
        for member in &g.members {
            let provider = member.provider.as_ref();
            add(
                Provider,
                RefRole::LoadBalancingProvider,
                provider,
                None,
                &route,
            );
            let model = member.preferred_model.as_ref();
            add(Model, RefRole::LoadBalancingModel, model, None, &route);
        }
    }
    for chain in &m.fallback_chains {
        let route = format!("fallback chain `{}`", chain.name.value);
        if chain.name.value != "default" {
            add(Model, RefRole::ChainKey, Some(&chain.name), None, &route);
        }
        for member in &chain.chain {
            add(Model, RefRole::ChainMember, Some(member), None, &route);
        }
    }
    if let Some(rules) = &m.routing_rules {
        let route = "`routing_rules`";
        let provider = rules.default_provider.as_ref();
        add(Provider, RefRole::DefaultProvider, provider, None, route);
        let fallback = rules.default_fallback.as_ref();
        add(Provider, RefRole::DefaultFallback, fallback, None, route);
        for size_route in &rules.size_routes {
            let route = match &size_route.size {
                Some(size) => format!("size route `{}`", size.value),
                None => "a size route".to_string(),
            };
            let provider = size_route.provider.as_ref();
            add(Provider, RefRole::SizeRouteProvider, provider, None, &route);
            let fallback = size_route.fallback.as_ref();
            add(Provider, RefRole::SizeRouteFallback, fallback, None, &route);
        }
    }
    refs
}
