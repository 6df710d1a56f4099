//! The references of model-mappings.yaml: what each names, where it stands, and the route
//! it belongs to. Stored as positions in the typed config (`RefSlot`), read back as
//! borrowed `Reference`s.

use std::fmt;

use compact_str::CompactString;

use crate::model::{MappingsConfig, Spanned};
use crate::text::TextRange;

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
    /// What a reference in this place names.
    pub fn kind(self) -> RefKind {
        match self {
            RefRole::BackendModel
            | RefRole::PreferredModel
            | RefRole::ThresholdModel
            | RefRole::LoadBalancingModel
            | RefRole::ChainKey
            | RefRole::ChainMember => RefKind::Model,
            _ => RefKind::Provider,
        }
    }

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
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Reference<'a> {
    pub kind: RefKind,
    pub role: RefRole,
    pub name: &'a str,
    pub range: TextRange,
    /// For `BackendModel`: the exact match's provider id.
    pub owner: Option<&'a str>,
    /// The route or entry the reference belongs to, for messages: "pattern `^qwen.*`",
    /// "exact match `llama3.1:8b`", "fallback chain `default`".
    pub route: Route<'a>,
}

/// The route or entry of model-mappings.yaml a reference belongs to; written out (its
/// `Display`) only when a message needs it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Route<'a> {
    ExactMatch(&'a str),
    Pattern(&'a str),
    Capability(&'a str),
    LoadBalancingGroup(&'a str),
    FallbackChain(&'a str),
    RoutingRules,
    /// A size route, by its `size` when it has one.
    SizeRoute(Option<&'a str>),
}

impl fmt::Display for Route<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Route::ExactMatch(name) => write!(f, "exact match `{name}`"),
            Route::Pattern(pattern) => write!(f, "pattern `{pattern}`"),
            Route::Capability(name) => write!(f, "capability `{name}`"),
            Route::LoadBalancingGroup(name) => write!(f, "load-balancing group `{name}`"),
            Route::FallbackChain(name) => write!(f, "fallback chain `{name}`"),
            Route::RoutingRules => f.write_str("`routing_rules`"),
            Route::SizeRoute(Some(size)) => write!(f, "size route `{size}`"),
            Route::SizeRoute(None) => f.write_str("a size route"),
        }
    }
}

/// Where a reference stands in model-mappings.yaml's typed config: its role (which says
/// the section and the field), the entry of that section, and the item of a list within it.
#[derive(Clone, Copy, Debug)]
pub(super) struct RefSlot {
    role: RefRole,
    entry: u32,
    item: u32,
}

/// The reference at `slot`, read from the typed config.
pub(super) fn resolve(m: &MappingsConfig, slot: RefSlot) -> Option<Reference<'_>> {
    let (entry, item) = (slot.entry as usize, slot.item as usize);
    let exact = || m.exact_matches.get(entry);
    let pattern = || m.patterns.get(entry);
    let capability = || m.capabilities.get(entry);
    let member = || m.load_balancing.get(entry)?.members.get(item);
    let group = || {
        Some(Route::LoadBalancingGroup(
            m.load_balancing.get(entry)?.name.as_str(),
        ))
    };
    let chain = || m.fallback_chains.get(entry);
    let rules = || m.routing_rules.as_ref();
    let size_route = || rules()?.size_routes.get(entry);
    let mut owner = None;
    let (value, route): (&Spanned<CompactString>, Route<'_>) = match slot.role {
        RefRole::ExactMatchProvider => {
            let e = exact()?;
            (e.provider.as_ref()?, Route::ExactMatch(e.name.as_str()))
        }
        RefRole::ExactMatchFallback => {
            let e = exact()?;
            (e.fallback.as_ref()?, Route::ExactMatch(e.name.as_str()))
        }
        RefRole::BackendModel => {
            let e = exact()?;
            owner = e.provider.as_ref().map(|p| p.as_str());
            (
                e.backend_model.as_ref()?,
                Route::ExactMatch(e.name.as_str()),
            )
        }
        RefRole::PatternProvider => {
            let p = pattern()?;
            (p.provider.as_ref()?, Route::Pattern(p.pattern.as_str()))
        }
        RefRole::PatternFallback => {
            let p = pattern()?;
            (p.fallback.as_ref()?, Route::Pattern(p.pattern.as_str()))
        }
        RefRole::CapabilityProvider => {
            let c = capability()?;
            (c.provider.as_ref()?, Route::Capability(c.name.as_str()))
        }
        RefRole::CapabilityProviders => {
            let c = capability()?;
            (c.providers.get(item)?, Route::Capability(c.name.as_str()))
        }
        RefRole::CapabilityFallback => {
            let c = capability()?;
            (c.fallback.as_ref()?, Route::Capability(c.name.as_str()))
        }
        RefRole::PreferredModel => {
            let c = capability()?;
            (
                c.preferred_models.get(item)?,
                Route::Capability(c.name.as_str()),
            )
        }
        RefRole::ThresholdModel => {
            let c = capability()?;
            (
                c.threshold_models.get(item)?,
                Route::Capability(c.name.as_str()),
            )
        }
        RefRole::LoadBalancingProvider => (member()?.provider.as_ref()?, group()?),
        RefRole::LoadBalancingModel => (member()?.preferred_model.as_ref()?, group()?),
        RefRole::ChainKey => {
            let c = chain()?;
            (&c.name, Route::FallbackChain(c.name.as_str()))
        }
        RefRole::ChainMember => {
            let c = chain()?;
            (c.chain.get(item)?, Route::FallbackChain(c.name.as_str()))
        }
        RefRole::DefaultProvider => (rules()?.default_provider.as_ref()?, Route::RoutingRules),
        RefRole::DefaultFallback => (rules()?.default_fallback.as_ref()?, Route::RoutingRules),
        RefRole::SizeRouteProvider => {
            let r = size_route()?;
            (r.provider.as_ref()?, size_route_of(r))
        }
        RefRole::SizeRouteFallback => {
            let r = size_route()?;
            (r.fallback.as_ref()?, size_route_of(r))
        }
    };
    Some(Reference {
        kind: slot.role.kind(),
        role: slot.role,
        name: value.as_str(),
        range: value.range,
        owner,
        route,
    })
}

fn size_route_of(r: &crate::model::SizeRoute) -> Route<'_> {
    Route::SizeRoute(r.size.as_ref().map(|s| s.as_str()))
}

/// The references of model-mappings.yaml, in the order the rules report them: by section,
/// then in file order.
pub(super) fn collect_references(m: &MappingsConfig) -> Vec<RefSlot> {
    let mut refs = Vec::new();
    let mut add = |role, present: bool, entry: usize, item: usize| {
        if present {
            refs.push(RefSlot {
                role,
                entry: entry as u32,
                item: item as u32,
            });
        }
    };
    for (i, e) in m.exact_matches.iter().enumerate() {
        add(RefRole::ExactMatchProvider, e.provider.is_some(), i, 0);
        add(RefRole::ExactMatchFallback, e.fallback.is_some(), i, 0);
        add(RefRole::BackendModel, e.backend_model.is_some(), i, 0);
    }
    for (i, p) in m.patterns.iter().enumerate() {
        add(RefRole::PatternProvider, p.provider.is_some(), i, 0);
        add(RefRole::PatternFallback, p.fallback.is_some(), i, 0);
    }
    for (i, c) in m.capabilities.iter().enumerate() {
        add(RefRole::CapabilityProvider, c.provider.is_some(), i, 0);
        for j in 0..c.providers.len() {
            add(RefRole::CapabilityProviders, true, i, j);
        }
        add(RefRole::CapabilityFallback, c.fallback.is_some(), i, 0);
        for j in 0..c.preferred_models.len() {
            add(RefRole::PreferredModel, true, i, j);
        }
        for j in 0..c.threshold_models.len() {
            add(RefRole::ThresholdModel, true, i, j);
        }
    }
    for (i, g) in m.load_balancing.iter().enumerate() {
        for (j, member) in g.members.iter().enumerate() {
            add(
                RefRole::LoadBalancingProvider,
                member.provider.is_some(),
                i,
                j,
            );
            let model = member.preferred_model.is_some();
            add(RefRole::LoadBalancingModel, model, i, j);
        }
    }
    for (i, chain) in m.fallback_chains.iter().enumerate() {
        add(RefRole::ChainKey, chain.name.as_str() != "default", i, 0);
        for j in 0..chain.chain.len() {
            add(RefRole::ChainMember, true, i, j);
        }
    }
    if let Some(rules) = &m.routing_rules {
        add(
            RefRole::DefaultProvider,
            rules.default_provider.is_some(),
            0,
            0,
        );
        add(
            RefRole::DefaultFallback,
            rules.default_fallback.is_some(),
            0,
            0,
        );
        for (i, size_route) in rules.size_routes.iter().enumerate() {
            add(
                RefRole::SizeRouteProvider,
                size_route.provider.is_some(),
                i,
                0,
            );
            add(
                RefRole::SizeRouteFallback,
                size_route.fallback.is_some(),
                i,
                0,
            );
        }
    }
    crate::alloc::exact_len(refs)
}
