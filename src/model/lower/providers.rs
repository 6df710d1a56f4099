//! The typed config of providers.yaml, lowered from its tree.

use super::*;

#[derive(Clone, Debug, Default)]
pub struct ProvidersConfig {
    pub providers: Vec<Provider>,
    /// The top-level `caching` block: response caching in the generated LiteLLM config.
    pub caching: Option<Caching>,
}

/// `caching: {type: redis | local, ttl: <seconds>}`.
#[derive(Clone, Debug)]
pub struct Caching {
    pub cache_type: Spanned<CompactString>,
    pub ttl: Option<Spanned<f64>>,
}

#[derive(Clone, Debug)]
pub struct Provider {
    /// The provider id (the key).
    pub id: Spanned<CompactString>,
    /// From the id's start to the end of the provider's mapping.
    pub entry_range: TextRange,
    pub provider_type: Option<Spanned<CompactString>>,
    pub base_url: Option<Spanned<CompactString>>,
    pub status: Option<Spanned<CompactString>>,
    pub description: Option<Spanned<CompactString>>,
    pub models: Vec<Model>,
    pub health_endpoint: Option<Spanned<CompactString>>,
    pub requires_api_key: Option<Spanned<bool>>,
    pub env_var: Option<Spanned<CompactString>>,
    pub api_format: Option<Spanned<CompactString>>,
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
    pub name: Spanned<CompactString>,
    pub size: Option<Spanned<CompactString>>,
    pub quantization: Option<Spanned<CompactString>>,
    pub context_length: Option<Spanned<i64>>,
    pub specialty: Option<Spanned<CompactString>>,
    pub description: Option<Spanned<CompactString>>,
    /// `options`: request options passed through to the server. Boxed: few models set
    /// any, and the other models keep a pointer where the value would take 48 bytes.
    pub options: Option<Box<Spanned<Data>>>,
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
            name: Spanned::new(CompactString::from(name), node.range),
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
        })
        .map(Box::new),
    })
}
