//! Lowers a tree to the typed config of each file. Lenient: values of the wrong type are
//! left out (the schema validator reports them), so rules see only well-typed data.

use super::data::Data;
use crate::syntax::{Entry, Node, Value};
use crate::text::TextRange;

/// A value with the range of its source text and, for mapping values, of its key.
#[derive(Clone, Debug, PartialEq)]
pub struct Spanned<T> {
    pub value: T,
    pub range: TextRange,
    pub key_range: Option<TextRange>,
}

impl<T> Spanned<T> {
    pub fn new(value: T, range: TextRange) -> Self {
        Spanned {
            value,
            range,
            key_range: None,
        }
    }
}

impl Spanned<String> {
    pub fn as_str(&self) -> &str {
        &self.value
    }
}

/// Collects a list of the typed config at its exact length: the config is kept for the
/// whole check, and growth by doubling leaves up to half of a long list's slots empty.
trait CollectExact: Iterator + Sized {
    fn collect_exact(self) -> Vec<Self::Item> {
        let mut list: Vec<Self::Item> = self.collect();
        list.shrink_to_fit();
        list
    }
}

impl<I: Iterator> CollectExact for I {}

// ------------------------------------------------------------------ providers.yaml

#[derive(Clone, Debug, Default)]
pub struct ProvidersConfig {
    pub providers: Vec<Provider>,
    /// The top-level `caching` block: response caching in the generated LiteLLM config.
    pub caching: Option<Caching>,
}

/// `caching: {type: redis | local, ttl: <seconds>}`.
#[derive(Clone, Debug)]
pub struct Caching {
    pub cache_type: Spanned<String>,
    pub ttl: Option<Spanned<f64>>,
}

#[derive(Clone, Debug)]
pub struct Provider {
    /// The provider id (the key).
    pub id: Spanned<String>,
    /// From the id's start to the end of the provider's mapping.
    pub entry_range: TextRange,
    pub provider_type: Option<Spanned<String>>,
    pub base_url: Option<Spanned<String>>,
    pub status: Option<Spanned<String>>,
    pub description: Option<Spanned<String>>,
    pub models: Vec<Model>,
    pub health_endpoint: Option<Spanned<String>>,
    pub requires_api_key: Option<Spanned<bool>>,
    pub env_var: Option<Spanned<String>>,
    pub api_format: Option<Spanned<String>>,
    pub gpu_memory_utilization: Option<Spanned<f64>>,
    pub max_model_len: Option<Spanned<i64>>,
}

impl Provider {
    pub fn status(&self) -> Option<&str> {
        self.status.as_ref().map(|s| s.as_str())
    }

    pub fn provider_type(&self) -> Option<&str> {
        self.provider_type.as_ref().map(|s| s.as_str())
    }

    pub fn serves(&self, model: &str) -> bool {
        self.models.iter().any(|m| m.name.value == model)
    }
}

#[derive(Clone, Debug)]
pub struct Model {
    pub name: Spanned<String>,
    pub size: Option<Spanned<String>>,
    pub quantization: Option<Spanned<String>>,
    pub context_length: Option<Spanned<i64>>,
    pub specialty: Option<Spanned<String>>,
    pub description: Option<Spanned<String>>,
    /// `options`: request options passed through to the server.
    pub options: Option<Spanned<Data>>,
}

pub fn lower_providers(root: &Node) -> ProvidersConfig {
    let providers = entries(root.get("providers"))
        .iter()
        .filter_map(|entry| {
            let id = key(entry)?;
            let node = &entry.value;
            node.as_mapping()?;
            let models = node
                .get("models")
                .and_then(Node::as_sequence)
                .unwrap_or_default()
                .iter()
                .filter_map(lower_model)
                .collect_exact();
            Some(Provider {
                id,
                entry_range: entry.range(),
                provider_type: string(node, "type"),
                base_url: string(node, "base_url"),
                status: string(node, "status"),
                description: string(node, "description"),
                models,
                health_endpoint: string(node, "health_endpoint"),
                requires_api_key: boolean(node, "requires_api_key"),
                env_var: string(node, "env_var"),
                api_format: string(node, "api_format"),
                gpu_memory_utilization: number(node, "gpu_memory_utilization"),
                max_model_len: integer(node, "max_model_len"),
            })
        })
        .collect_exact();
    let caching = root
        .get("caching")
        .filter(|n| n.as_mapping().is_some())
        .and_then(|node| {
            Some(Caching {
                cache_type: string(node, "type")?,
                ttl: number(node, "ttl"),
            })
        });
    ProvidersConfig { providers, caching }
}

fn lower_model(node: &Node) -> Option<Model> {
    if let Some(name) = node.as_str() {
        return Some(Model {
            name: Spanned::new(name.to_string(), node.range),
            size: None,
            quantization: None,
            context_length: None,
            specialty: None,
            description: None,
            options: None,
        });
    }
    node.as_mapping()?;
    Some(Model {
        name: string(node, "name")?,
        size: string(node, "size"),
        quantization: string(node, "quantization"),
        context_length: integer(node, "context_length"),
        specialty: string(node, "specialty"),
        description: string(node, "description"),
        options: with_key(node, "options", |v| {
            v.as_mapping().map(|_| Data::from_node(v))
        }),
    })
}

// ------------------------------------------------------------------ model-mappings.yaml

#[derive(Clone, Debug, Default)]
pub struct MappingsConfig {
    pub exact_matches: Vec<ExactMatch>,
    pub patterns: Vec<Pattern>,
    pub capabilities: Vec<Capability>,
    pub load_balancing: Vec<LoadBalancingGroup>,
    pub fallback_chains: Vec<FallbackChain>,
    pub routing_rules: Option<RoutingRules>,
    /// Keys that schema 1.x allowed and 2.0.0 removed, wherever they occur.
    pub legacy_keys: Vec<Spanned<String>>,
}

#[derive(Clone, Debug)]
pub struct ExactMatch {
    /// The requested model name (the key).
    pub name: Spanned<String>,
    pub entry_range: TextRange,
    pub provider: Option<Spanned<String>>,
    pub priority: Option<Spanned<String>>,
    pub fallback: Option<Spanned<String>>,
    pub description: Option<Spanned<String>>,
    pub backend_model: Option<Spanned<String>>,
}

#[derive(Clone, Debug)]
pub struct Pattern {
    pub pattern: Spanned<String>,
    pub entry_range: TextRange,
    pub provider: Option<Spanned<String>>,
    pub fallback: Option<Spanned<String>>,
}

#[derive(Clone, Debug)]
pub struct Capability {
    pub name: Spanned<String>,
    pub preferred_models: Vec<Spanned<String>>,
    pub provider: Option<Spanned<String>>,
    /// `providers: [<provider-id>, ...]`.
    pub providers: Vec<Spanned<String>>,
    pub fallback: Option<Spanned<String>>,
    /// Values of every `*_thresholds` mapping (model names).
    pub threshold_models: Vec<Spanned<String>>,
}

#[derive(Clone, Debug)]
pub struct LoadBalancingGroup {
    pub name: Spanned<String>,
    pub members: Vec<LoadBalancingMember>,
    pub strategy: Option<Spanned<String>>,
}

#[derive(Clone, Debug)]
pub struct LoadBalancingMember {
    pub provider: Option<Spanned<String>>,
    pub weight: Option<Spanned<f64>>,
    pub preferred_model: Option<Spanned<String>>,
}

#[derive(Clone, Debug)]
pub struct FallbackChain {
    /// The model name (or `default`) the chain belongs to.
    pub name: Spanned<String>,
    /// The entries: model names, or the `model` (else `provider`) of a mapping entry.
    pub chain: Vec<Spanned<String>>,
}

#[derive(Clone, Debug, Default)]
pub struct RoutingRules {
    pub default_provider: Option<Spanned<String>>,
    pub default_fallback: Option<Spanned<String>>,
    pub size_routes: Vec<SizeRoute>,
}

#[derive(Clone, Debug)]
pub struct SizeRoute {
    pub size: Option<Spanned<String>>,
    pub provider: Option<Spanned<String>>,
    pub fallback: Option<Spanned<String>>,
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
                description: string(node, "description"),
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
                .collect();
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
                .collect();
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
                    .collect(),
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
                .collect(),
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
fn collect_legacy_keys(root: &Node, out: &mut Vec<Spanned<String>>) {
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

// ------------------------------------------------------------------ ports.yaml

#[derive(Clone, Debug, Default)]
pub struct PortsConfig {
    pub services: Vec<PortEntry>,
    /// The entries of `reserved:`: ports set aside for services to come.
    pub reserved: Vec<PortEntry>,
}

#[derive(Clone, Debug)]
pub struct PortEntry {
    pub id: Spanned<String>,
    pub port: Option<Spanned<i64>>,
    pub protocol: Option<Spanned<String>>,
    pub required: Option<Spanned<bool>>,
    pub service: Option<Spanned<String>>,
    pub expected_process: Vec<Spanned<String>>,
}

/// The top-level keys of ports.yaml that are sections, not services.
pub const PORTS_SECTIONS: [&str; 3] = ["reserved", "ranges", "metadata"];

pub fn lower_ports(root: &Node) -> PortsConfig {
    let port_entries = |node: Option<&Node>, skip_sections: bool| -> Vec<PortEntry> {
        entries(node)
            .iter()
            .filter(|entry| {
                !skip_sections
                    || !entry
                        .key
                        .scalar_text()
                        .is_some_and(|k| PORTS_SECTIONS.contains(&k))
            })
            .filter_map(|entry| {
                let node = &entry.value;
                node.as_mapping()?;
                Some(PortEntry {
                    id: key(entry)?,
                    port: integer(node, "port"),
                    protocol: string(node, "protocol"),
                    required: boolean(node, "required"),
                    service: string(node, "service"),
                    expected_process: string_list(node.get("expected_process")),
                })
            })
            .collect_exact()
    };
    PortsConfig {
        services: port_entries(Some(root), true),
        reserved: port_entries(root.get("reserved"), false),
    }
}

// ------------------------------------------------------------------ litellm-unified.yaml

#[derive(Clone, Debug, Default)]
pub struct LitellmConfig {
    pub model_list: Vec<Deployment>,
    /// `router_settings.fallbacks`, `context_window_fallbacks` and
    /// `content_policy_fallbacks`, in that order: `[{model: [fallback, ...]}, ...]`.
    pub fallbacks: Vec<(Spanned<String>, Vec<Spanned<String>>)>,
    /// `router_settings.default_fallbacks`: the models every group falls back to.
    pub default_fallbacks: Vec<Spanned<String>>,
    /// The keys of `router_settings.model_group_alias`: names that stand for a model group.
    pub model_group_aliases: Vec<Spanned<String>>,
    /// What LiteLLM's catalogue says of the file (`model::litellm`).
    pub analysis: super::litellm::Analysis,
}

#[derive(Clone, Debug)]
pub struct Deployment {
    pub model_name: Spanned<String>,
    pub entry_range: TextRange,
    pub model: Option<Spanned<String>>,
    pub api_base: Option<Spanned<String>>,
    pub api_key: Option<Spanned<String>>,
    pub custom_llm_provider: Option<Spanned<String>>,
}

pub fn lower_litellm(root: &Node) -> LitellmConfig {
    let model_list = root
        .get("model_list")
        .and_then(Node::as_sequence)
        .unwrap_or_default()
        .iter()
        .filter_map(|node| {
            let params = node.get("litellm_params");
            let param = |k: &str| params.and_then(|p| string(p, k));
            Some(Deployment {
                model_name: string(node, "model_name")?,
                entry_range: node.range,
                model: param("model"),
                api_base: param("api_base"),
                api_key: param("api_key"),
                custom_llm_provider: param("custom_llm_provider"),
            })
        })
        .collect_exact();
    let router = root.get("router_settings");
    let fallbacks = [
        "fallbacks",
        "context_window_fallbacks",
        "content_policy_fallbacks",
    ]
    .into_iter()
    .flat_map(|list| {
        router
            .and_then(|r| r.get(list))
            .and_then(Node::as_sequence)
            .unwrap_or_default()
    })
    .flat_map(|item| entries(Some(item)))
    .filter_map(|e| Some((key(e)?, string_list(Some(&e.value)))))
    .collect();
    LitellmConfig {
        model_list,
        fallbacks,
        default_fallbacks: string_list(router.and_then(|r| r.get("default_fallbacks"))),
        model_group_aliases: entries(router.and_then(|r| r.get("model_group_alias")))
            .into_iter()
            .filter_map(key)
            .collect(),
        analysis: super::litellm::analyze(root),
    }
}

// ------------------------------------------------------------------ litellm-settings.yaml

/// LiteLLM settings the user keeps beside the sources; `aiblint generate` merges them into
/// the generated config.
#[derive(Clone, Debug, Default)]
pub struct LitellmSettings {
    /// Every top-level section but `model_list`, in file order, a null section as `{}`.
    pub sections: Vec<(Spanned<String>, Data)>,
    /// `model_list`: settings for the generated deployments of a `model_name`.
    pub deployments: Vec<DeploymentSettings>,
    /// What LiteLLM's catalogue says of the file, read as a LiteLLM config whose
    /// `model_list` entries only add to generated deployments.
    pub analysis: super::litellm::Analysis,
}

/// Extra `litellm_params` and `model_info` for every generated deployment of one name.
#[derive(Clone, Debug)]
pub struct DeploymentSettings {
    pub model_name: Spanned<String>,
    pub entry_range: TextRange,
    /// Mappings (empty when absent).
    pub litellm_params: Data,
    pub model_info: Data,
}

impl LitellmSettings {
    /// The section named `name`, if the file has it.
    pub fn section(&self, name: &str) -> Option<&Data> {
        self.sections
            .iter()
            .find(|(k, _)| k.value == name)
            .map(|(_, v)| v)
    }
}

pub fn lower_litellm_settings(root: &Node) -> LitellmSettings {
    let mut analysis = super::litellm::analyze(root);
    // Its `model_list` entries name generated deployments: they have no `model` of their own.
    analysis.issues.retain(|i| {
        !matches!(
            i.kind,
            super::litellm::LitellmIssueKind::MissingKey {
                key: "model" | "litellm_params",
                ..
            }
        )
    });
    let mut settings = LitellmSettings {
        analysis,
        ..LitellmSettings::default()
    };
    for entry in entries(Some(root)) {
        let Some(name) = key(entry) else { continue };
        if name.value == "model_list" {
            continue;
        }
        let value = match Data::from_node(&entry.value) {
            Data::Null => Data::Map(Vec::new()),
            data => data,
        };
        match settings
            .sections
            .iter_mut()
            .find(|(k, _)| k.value == name.value)
        {
            Some(slot) => *slot = (name, value),
            None => settings.sections.push((name, value)),
        }
    }
    let map_of = |node: &Node, k: &str| {
        node.get(k)
            .filter(|v| v.as_mapping().is_some())
            .map_or(Data::Map(Vec::new()), Data::from_node)
    };
    settings.deployments = root
        .get("model_list")
        .and_then(Node::as_sequence)
        .unwrap_or_default()
        .iter()
        .filter_map(|node| {
            Some(DeploymentSettings {
                model_name: string(node, "model_name")?,
                entry_range: node.range,
                litellm_params: map_of(node, "litellm_params"),
                model_info: map_of(node, "model_info"),
            })
        })
        .collect_exact();
    settings
}

// ------------------------------------------------------------------ helpers

fn entries(node: Option<&Node>) -> Vec<&Entry> {
    let mut entries = node.map(Node::entries).unwrap_or_default();
    entries.retain(|e| {
        !e.key
            .scalar_text()
            .is_some_and(super::validate::is_extension_key)
    });
    entries
}

fn key(entry: &Entry) -> Option<Spanned<String>> {
    Some(Spanned::new(
        entry.key.scalar_text()?.to_string(),
        entry.key.range,
    ))
}

fn string_node(node: &Node) -> Option<Spanned<String>> {
    node.as_str()
        .map(|s| Spanned::new(s.to_string(), node.range))
}

fn string_list(node: Option<&Node>) -> Vec<Spanned<String>> {
    node.and_then(Node::as_sequence)
        .unwrap_or_default()
        .iter()
        .filter_map(string_node)
        .collect()
}

fn with_key<T>(node: &Node, name: &str, f: impl FnOnce(&Node) -> Option<T>) -> Option<Spanned<T>> {
    let entry = node.get_entry(name)?;
    Some(Spanned {
        value: f(&entry.value)?,
        range: entry.value.range,
        key_range: Some(entry.key.range),
    })
}

fn string(node: &Node, name: &str) -> Option<Spanned<String>> {
    with_key(node, name, |v| v.as_str().map(str::to_string))
}

fn integer(node: &Node, name: &str) -> Option<Spanned<i64>> {
    with_key(node, name, |v| match v.as_scalar()?.resolve() {
        Value::Int(i) => Some(i),
        _ => None,
    })
}

fn number(node: &Node, name: &str) -> Option<Spanned<f64>> {
    with_key(node, name, |v| match v.as_scalar()?.resolve() {
        Value::Int(i) => Some(i as f64),
        Value::Float(f) => Some(f),
        _ => None,
    })
}

fn boolean(node: &Node, name: &str) -> Option<Spanned<bool>> {
    with_key(node, name, |v| match v.as_scalar()?.resolve() {
        Value::Bool(b) => Some(b),
        _ => None,
    })
}
