//! The typed config of model-mappings.yaml, lowered from its tree.

use super::*;

#[derive(Clone, Debug, Default)]
pub struct MappingsConfig {
    pub exact_matches: Vec<ExactMatch>,
    pub patterns: Vec<Pattern>,
    pub capabilities: Vec<Capability>,
    pub load_balancing: Vec<LoadBalancingGroup>,
    pub fallback_chains: Vec<FallbackChain>,
    pub routing_rules: Option<RoutingRules>,
    /// Keys that schema 1.x allowed and 2.0.0 removed, wherever they occur.
    pub legacy_keys: Vec<Spanned<CompactString>>,
}

#[derive(Clone, Debug)]
pub struct ExactMatch {
    /// The requested model name (the key).
    pub name: Spanned<CompactString>,
    pub entry_range: TextRange,
    pub provider: Option<Spanned<CompactString>>,
    pub priority: Option<Spanned<CompactString>>,
    pub fallback: Option<Spanned<CompactString>>,
    pub backend_model: Option<Spanned<CompactString>>,
}

#[derive(Clone, Debug)]
pub struct Pattern {
    pub pattern: Spanned<CompactString>,
    pub entry_range: TextRange,
    pub provider: Option<Spanned<CompactString>>,
    pub fallback: Option<Spanned<CompactString>>,
}

#[derive(Clone, Debug)]
pub struct Capability {
    pub name: Spanned<CompactString>,
    pub preferred_models: Vec<Spanned<CompactString>>,
    pub provider: Option<Spanned<CompactString>>,
    /// `providers: [<provider-id>, ...]`.
    pub providers: Vec<Spanned<CompactString>>,
    pub fallback: Option<Spanned<CompactString>>,
    /// Values of every `*_thresholds` mapping (model names).
    pub threshold_models: Vec<Spanned<CompactString>>,
}

#[derive(Clone, Debug)]
pub struct LoadBalancingGroup {
    pub name: Spanned<CompactString>,
    pub members: Vec<LoadBalancingMember>,
    pub strategy: Option<Spanned<CompactString>>,
}

#[derive(Clone, Debug)]
pub struct LoadBalancingMember {
    pub provider: Option<Spanned<CompactString>>,
    pub weight: Option<Spanned<f64>>,
    pub preferred_model: Option<Spanned<CompactString>>,
}

#[derive(Clone, Debug)]
pub struct FallbackChain {
    /// The model name (or `default`) the chain belongs to.
    pub name: Spanned<CompactString>,
    /// The entries: model names, or the `model` (else `provider`) of a mapping entry.
    pub chain: Vec<Spanned<CompactString>>,
}

#[derive(Clone, Debug, Default)]
pub struct RoutingRules {
    pub default_provider: Option<Spanned<CompactString>>,
    pub default_fallback: Option<Spanned<CompactString>>,
    pub size_routes: Vec<SizeRoute>,
}

#[derive(Clone, Debug)]
pub struct SizeRoute {
    pub size: Option<Spanned<CompactString>>,
    pub provider: Option<Spanned<CompactString>>,
    pub fallback: Option<Spanned<CompactString>>,
}

pub fn lower_mappings(root: &Node) -> MappingsConfig {
    let exact_matches = entries(root.get("exact_matches"))
        .iter()
        .filter_map(|entry| {
            let node = &entry.value;
            node.as_mapping()?;
            Some(ExactMatch {
                name: key(entry)?,
                entry_range: entry.range(),
                provider: string(node, "provider"),
                priority: string(node, "priority"),
                fallback: string(node, "fallback"),
                backend_model: string(node, "backend_model"),
            })
        })
        .collect_exact();
    let patterns = root
        .get("patterns")
        .and_then(Node::as_sequence)
        .unwrap_or_default()
        .iter()
        .filter_map(|node| {
            Some(Pattern {
                pattern: string(node, "pattern")?,
                entry_range: node.range,
                provider: string(node, "provider"),
                fallback: string(node, "fallback"),
            })
        })
        .collect_exact();
    let capabilities = entries(root.get("capabilities"))
        .iter()
        .filter_map(|entry| {
            let node = &entry.value;
            let threshold_models = node
                .as_mapping()?
                .iter()
                .filter(|e| {
                    e.key
                        .scalar_text()
                        .is_some_and(|k| k.ends_with("_thresholds"))
                })
                .flat_map(|e| entries(Some(&e.value)))
                .filter_map(|e| string_node(&e.value))
                .collect_exact();
            Some(Capability {
                name: key(entry)?,
                preferred_models: string_list(node.get("preferred_models")),
                provider: string(node, "provider"),
                providers: string_list(node.get("providers")),
                fallback: string(node, "fallback"),
                threshold_models,
            })
        })
        .collect_exact();
    let load_balancing = entries(root.get("load_balancing"))
        .iter()
        .filter_map(|entry| {
            let node = &entry.value;
            let members = node
                .get("providers")
                .and_then(Node::as_sequence)
                .unwrap_or_default()
                .iter()
                .filter(|m| m.as_mapping().is_some())
                .map(|m| LoadBalancingMember {
                    provider: string(m, "provider"),
                    weight: number(m, "weight"),
                    preferred_model: string(m, "preferred_model"),
                })
                .collect_exact();
            Some(LoadBalancingGroup {
                name: key(entry)?,
                members,
                strategy: string(node, "strategy"),
            })
        })
        .collect_exact();
    let fallback_chains = entries(root.get("fallback_chains"))
        .iter()
        .filter_map(|entry| {
            Some(FallbackChain {
                name: key(entry)?,
                chain: entry
                    .value
                    .get("chain")
                    .and_then(Node::as_sequence)
                    .unwrap_or_default()
                    .iter()
                    .filter_map(|item| {
                        string_node(item).or_else(|| {
                            ["model", "provider"]
                                .iter()
                                .find_map(|k| item.get(k).and_then(string_node))
                        })
                    })
                    .collect_exact(),
            })
        })
        .collect_exact();
    let routing_rules = root
        .get("routing_rules")
        .filter(|n| n.as_mapping().is_some())
        .map(|node| RoutingRules {
            default_provider: string(node, "default_provider"),
            default_fallback: string(node, "default_fallback"),
            size_routes: node
                .get("model_size_routing")
                .and_then(Node::as_sequence)
                .unwrap_or_default()
                .iter()
                .map(|r| SizeRoute {
                    size: string(r, "size"),
                    provider: string(r, "provider"),
                    fallback: string(r, "fallback"),
                })
                .collect_exact(),
        });
    let mut legacy_keys = Vec::new();
    collect_legacy_keys(root, &mut legacy_keys);
    MappingsConfig {
        exact_matches,
        patterns,
        capabilities,
        load_balancing,
        fallback_chains,
        routing_rules,
        legacy_keys,
    }
}

/// The 1.x-only keys of SPEC §1.3, at the places 1.x allowed them.
fn collect_legacy_keys(root: &Node, out: &mut Vec<Spanned<CompactString>>) {
    let mut push = |entry: Option<&Entry>| {
        if let Some(k) = entry.and_then(key) {
            out.push(k);
        }
    };
    push(root.get_entry("special_cases"));
    push(
        root.get("routing_rules")
            .and_then(|r| r.get_entry("request_metadata_routing")),
    );
    for group in entries(root.get("load_balancing")) {
        push(group.value.get_entry("parameters"));
        for member in group
            .value
            .get("providers")
            .and_then(Node::as_sequence)
            .unwrap_or_default()
        {
            push(member.get_entry("condition"));
        }
    }
}
