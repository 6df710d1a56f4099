//! One `model_list` entry read as a provider's model, or the note that says why it cannot be.

use super::{Deployment, Key, Note};
use crate::model::data::Data;
use crate::model::litellm::{self, ProviderPrefix};
use crate::syntax::Node;
const PROVIDER_PARAMS: [&str; 5] = [
    "model",
    "custom_llm_provider",
    "api_base",
    "api_key",
    "weight",
];

/// A `model_list` entry as a provider's model, or why it cannot be one.
pub(super) fn deployment(entry: &Node) -> Result<Deployment, Note> {
    let note = |node: &Node, message: String| Note {
        range: node.range,
        message,
    };
    let name_node = entry
        .get("model_name")
        .ok_or_else(|| note(entry, "a deployment without `model_name`: left out".into()))?;
    let name = name_node
        .scalar_text()
        .ok_or_else(|| note(name_node, "`model_name` is not a string: left out".into()))?
        .to_string();
    let params = entry
        .get("litellm_params")
        .map(Node::resolved)
        .filter(|p| p.as_mapping().is_some())
        .ok_or_else(|| {
            note(
                name_node,
                format!("`{name}` has no `litellm_params`: LiteLLM skips it; left out"),
            )
        })?;
    let model_node = params.get("model").ok_or_else(|| {
        note(
            name_node,
            format!("`{name}` has no `litellm_params.model`: left out"),
        )
    })?;
    let model = model_node.as_str().unwrap_or_default().to_string();
    let custom = params
        .get("custom_llm_provider")
        .and_then(Node::as_str)
        .map(str::to_string);
    let (provider, served) = match &custom {
        Some(p) => (
            p.clone(),
            model
                .strip_prefix(&format!("{p}/"))
                .unwrap_or(&model)
                .to_string(),
        ),
        None => match litellm::provider_prefix(&model) {
            ProviderPrefix::Known(p) => (p.to_string(), model[p.len() + 1..].to_string()),
            ProviderPrefix::NotNeeded if !model.contains('/') => match litellm::provider_of(&model)
            {
                Some(p) => (p.to_string(), model.clone()),
                None => {
                    return Err(note(
                        model_node,
                        format!(
                            "`{model}`: LiteLLM finds its provider by name; write it with its \
                             provider's prefix (`openai/{model}`) to adopt it; left out"
                        ),
                    ))
                }
            },
            _ => {
                return Err(note(
                    model_node,
                    format!("`{model}` names no provider LiteLLM knows; left out"),
                ))
            }
        },
    };
    let api_base = params.get("api_base").and_then(Node::as_str);
    if let Some(base) = api_base.filter(|b| !b.contains("://")) {
        return Err(note(
            params.get("api_base").unwrap_or(model_node),
            format!(
                "`api_base: {base}` is not a URL; providers.yaml needs the URL itself; left out"
            ),
        ));
    }
    let default = litellm::default_api_base(&provider);
    let provider_type = match provider.as_str() {
        "ollama" | "ollama_chat" => "ollama",
        "openai" if api_base.is_none_or(|b| b.contains("://api.openai.com")) => "openai",
        "openai" => "openai_compatible",
        "hosted_vllm" => "vllm",
        "anthropic" => "anthropic",
        other => {
            return Err(note(
                model_node,
                format!(
                    "this deployment of `{name}` is left out: LiteLLM's `{other}` provider has \
                     no type in providers.yaml (ollama, vllm, llama_cpp, openai, anthropic, \
                     openai_compatible)"
                ),
            ))
        }
    };
    let Some(base_url) = api_base
        .or(default)
        .map(|b| b.trim_end_matches('/').to_string())
    else {
        return Err(note(
            model_node,
            format!("`{name}` has no `api_base`; providers.yaml needs the server's URL; left out"),
        ));
    };
    let key_node = params.get("api_key");
    let mut literal_key = None;
    let key = match key_node.and_then(Node::scalar_text) {
        None => Key::None,
        Some(k) if litellm::is_placeholder_key(k) => Key::None,
        Some(k) => match k.strip_prefix("os.environ/") {
            Some(var) if litellm::env_reference(k).is_none() => Key::Env(var.to_string()),
            _ => {
                let var = key_variable(provider_type);
                let at = key_node.map_or(model_node.range, |n| n.range);
                literal_key = Some(Note {
                    range: at,
                    message: format!(
                        "the API key of `{name}` is not copied: providers.yaml names the \
                         environment variable that holds it (`env_var: {var}`); set it where \
                         LiteLLM runs"
                    ),
                });
                Key::Env(var)
            }
        },
    };
    let weight = match params.get("weight").map(Data::from_node) {
        Some(Data::Int(i)) => Some(i as f64),
        Some(Data::Float(f)) => Some(f),
        _ => None,
    };
    let options = Data::from_node(params)
        .as_map()
        .unwrap_or_default()
        .iter()
        .filter(|(k, _)| !PROVIDER_PARAMS.contains(&k.as_str()))
        .cloned()
        .collect();
    let model_info = entry
        .get("model_info")
        .map(Data::from_node)
        .filter(|d| d.as_map().is_some_and(|m| !m.is_empty()));
    let embedding = model_info
        .as_ref()
        .and_then(|i| i.get("mode"))
        .and_then(Data::as_str)
        == Some("embedding")
        || (provider_type == "ollama" && served.to_ascii_lowercase().contains("embed"));
    Ok(Deployment {
        name,
        name_range: name_node.range,
        provider_type,
        base_url,
        served,
        key,
        weight,
        options,
        model_info,
        embedding,
        literal_key,
        entry_range: entry.range,
    })
}

/// The variable a provider of `provider_type` conventionally reads its key from.
fn key_variable(provider_type: &str) -> String {
    match provider_type {
        "openai" => "OPENAI_API_KEY",
        "anthropic" => "ANTHROPIC_API_KEY",
        "ollama" => "OLLAMA_API_KEY",
        "vllm" => "VLLM_API_KEY",
        _ => "LLM_SERVER_API_KEY",
    }
    .to_string()
}
