//! What a value's shape is against the type the catalogue gives its key.

use crate::model::litellm::catalogue::{catalogue, KeyType, Section};
use crate::syntax::{Node, ScalarStyle, Value};

/// A name as a double-quoted YAML (and JSON) string.
pub(super) fn json_string(s: &str) -> String {
    serde_json::Value::String(s.to_string()).to_string()
}

pub(super) enum Nested {
    Map(Section),
    List(Section),
    Dict(Section),
    /// A section whose entries the catalogue does not list: only its shape is checked.
    Shape(KeyType),
}

pub(super) fn nested_section(section: Section, key: &str) -> Option<Nested> {
    Some(match (section, key) {
        (Section::Top, "model_list") => Nested::List(Section::Deployment),
        (Section::Top, "router_settings") => Nested::Map(Section::RouterSettings),
        (Section::Top, "general_settings") => Nested::Map(Section::GeneralSettings),
        (Section::Top, "litellm_settings") => Nested::Map(Section::LitellmSettings),
        (Section::Top, "guardrails") => Nested::List(Section::Guardrail),
        (Section::Top, "credential_list") => Nested::List(Section::Credential),
        (Section::Top, "mcp_servers") => Nested::Dict(Section::McpServer),
        (Section::Top, "include") => Nested::Shape(KeyType::List),
        (Section::Top, "environment_variables" | "callback_settings") => {
            Nested::Shape(KeyType::Dict)
        }
        (Section::Deployment, "litellm_params") => Nested::Map(Section::LitellmParams),
        (Section::Deployment, "model_info") => Nested::Map(Section::ModelInfo),
        (Section::LitellmSettings, "cache_params") => Nested::Map(Section::CacheParams),
        (Section::RouterSettings, "retry_policy") => Nested::Map(Section::RetryPolicy),
        (Section::RouterSettings, "allowed_fails_policy") => {
            Nested::Map(Section::AllowedFailsPolicy)
        }
        (Section::RouterSettings, "model_group_retry_policy") => Nested::Dict(Section::RetryPolicy),
        _ => return None,
    })
}

/// The enums LiteLLM enforces: an invalid value stops the proxy, or the deployment's
/// health checks, or the cache.
pub(super) fn enum_of(section: Section, key: &str) -> Option<&'static str> {
    match (section, key) {
        (Section::RouterSettings, "routing_strategy") => Some("routing_strategy"),
        (Section::CacheParams, "type") => Some("cache_type"),
        (Section::ModelInfo, "mode") => Some("model_info_mode"),
        (Section::McpServer, "transport") => Some("mcp_transport"),
        _ => None,
    }
}

/// Whether a value of this shape fits the key `suggestion` (never suggest a list-valued
/// key for a scalar, or the reverse).
pub(super) fn same_shape(section: Section, suggestion: &str, value: &Node) -> bool {
    if section == Section::Top {
        return true;
    }
    match catalogue().key(section, suggestion).map(|i| i.ty) {
        Some(KeyType::List) => value.as_sequence().is_some() || value.is_null(),
        Some(KeyType::Dict) => value.as_mapping().is_some() || value.is_null(),
        Some(KeyType::Bool | KeyType::Int | KeyType::Float | KeyType::Str) => {
            value.as_scalar().is_some()
        }
        _ => true,
    }
}

/// What a value should have been, when it is clearly not of type `ty`. Lenient where
/// Python is: numbers in strings, YAML 1.1 booleans (`yes`, `off`) that PyYAML reads.
pub(super) fn type_mismatch(ty: KeyType, value: &Node) -> Option<&'static str> {
    let scalar = value.as_scalar();
    if scalar.is_some_and(|s| s.value.starts_with("os.environ/")) {
        return None;
    }
    let resolved = scalar.map(|s| (s.resolve(), s.style));
    match ty {
        KeyType::List => value.as_sequence().is_none().then_some("a list"),
        KeyType::Dict => value.as_mapping().is_none().then_some("a mapping"),
        KeyType::Bool => match resolved {
            Some((Value::Bool(_), _)) => None,
            Some((Value::Str(s), ScalarStyle::Plain)) if yaml11_bool(s) => None,
            _ => Some("a boolean (`true` or `false`)"),
        },
        KeyType::Int | KeyType::Float => match resolved {
            Some((Value::Int(_) | Value::Float(_), _)) => None,
            Some((Value::Str(s), _)) if s.trim().parse::<f64>().is_ok() => None,
            _ if ty == KeyType::Int => Some("an integer"),
            _ => Some("a number"),
        },
        KeyType::Str => scalar.is_none().then_some("a string"),
        KeyType::Any => None,
    }
}

pub(super) fn yaml11_bool(s: &str) -> bool {
    matches!(
        s,
        "yes" | "Yes" | "YES" | "no" | "No" | "NO" | "on" | "On" | "ON" | "off" | "Off" | "OFF"
    )
}
