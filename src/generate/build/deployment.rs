//! One `model_list` entry of the generated config, and what the deployments of a provider
//! share.

use std::borrow::Cow;
use std::rc::Rc;

use compact_str::CompactString;

use super::render::{set, value_of};
use super::KEYLESS_API_KEY;
use crate::model::litellm::{api_base, litellm_prefix};
use crate::model::{DeploymentSettings, Model, Provider, Spanned};
use crate::syntax::writer::Value;

/// One `model_list` entry. What decides the routes (the name, the provider's model, where
/// it is served, the weight) borrows from the sources; what only the text shows is built
/// only when the text is.
#[derive(Clone, Debug)]
pub(super) struct Deployment<'a> {
    pub(super) model_name: Cow<'a, str>,
    /// The provider's id; empty for a deployment litellm-settings.yaml gives in full.
    pub(super) provider: &'a str,
    /// The provider's name for the model (the whole `model` when `prefix` is empty).
    pub(super) served: &'a str,
    /// The LiteLLM `model` is `{prefix}/{served}`, or `served` when this is empty.
    pub(super) prefix: &'static str,
    /// Shared by the deployments of a provider.
    pub(super) api_base: Option<Rc<str>>,
    pub(super) api_key: Option<Rc<str>>,
    pub(super) weight: Option<f64>,
    /// `None` when only the routes are built.
    pub(super) text: Option<Box<TextParts<'a>>>,
}

/// The parts of a deployment that only its text shows, kept as where they come from and
/// written out by `to_value`.
#[derive(Clone, Debug)]
pub(super) struct TextParts<'a> {
    pub(super) source: Source<'a>,
    /// `alias_of` and `capability_of`, after the source's `model_info`.
    pub(super) tags: Vec<(&'static str, &'a str)>,
    /// The entries of litellm-settings.yaml's `model_list` for this name, applied in order
    /// over the source's params and info.
    pub(super) settings: Vec<&'a DeploymentSettings>,
    pub(super) comment: Vec<String>,
}

/// Where a deployment's further `litellm_params` and its `model_info` come from.
#[derive(Clone, Copy, Debug)]
pub(super) enum Source<'a> {
    /// A provider's model (`model` is `None` when an exact match declares it).
    Model {
        provider: &'a Provider,
        provider_type: &'a str,
        model: Option<&'a Model>,
        embedding: bool,
    },
    /// A deployment litellm-settings.yaml gives in full.
    Settings(&'a DeploymentSettings),
}

impl TextParts<'_> {
    pub(super) fn new(source: Source<'_>) -> TextParts<'_> {
        TextParts {
            source,
            tags: Vec::new(),
            settings: Vec::new(),
            comment: Vec::new(),
        }
    }

    /// Further `litellm_params`, in order (model options, deployment settings).
    pub(super) fn params(&self) -> Vec<(String, Value)> {
        let mut params: Vec<(String, Value)> = match self.source {
            Source::Model { model, .. } => model
                .and_then(|m| m.options.as_ref())
                .and_then(|o| o.value.as_map())
                .unwrap_or_default()
                .iter()
                .map(|(k, v)| (k.clone(), value_of(v)))
                .collect(),
            Source::Settings(extra) => {
                let named = ["model", "api_base", "api_key", "weight"];
                extra
                    .litellm_params
                    .as_map()
                    .unwrap_or_default()
                    .iter()
                    .filter(|(k, _)| !named.contains(&k.as_str()))
                    .map(|(k, v)| (k.clone(), value_of(v)))
                    .collect()
            }
        };
        for extra in &self.settings {
            for (k, v) in extra.litellm_params.as_map().unwrap_or_default() {
                set(&mut params, k, value_of(v));
            }
        }
        params
    }

    /// The `model_info`.
    pub(super) fn info(&self) -> Vec<(String, Value)> {
        let mut info = match self.source {
            Source::Model {
                provider,
                provider_type,
                model,
                embedding,
            } => model_info(provider, provider_type, model, embedding),
            Source::Settings(extra) => extra
                .model_info
                .as_map()
                .unwrap_or_default()
                .iter()
                .map(|(k, v)| (k.clone(), value_of(v)))
                .collect(),
        };
        for &(key, value) in &self.tags {
            info.push((key.to_string(), Value::str(value)));
        }
        for extra in &self.settings {
            for (k, v) in extra.model_info.as_map().unwrap_or_default() {
                set(&mut info, k, value_of(v));
            }
        }
        info
    }
}

/// What makes two entries the same deployment: the name and the `litellm_params`.
type DeploymentKey<'k> = (
    &'k str,
    &'k str,
    &'k str,
    Option<&'k str>,
    Option<&'k str>,
    Option<u64>,
);

impl<'a> Deployment<'a> {
    /// Equal keys are equal `model`s because a prefix holds no `/` (`litellm_prefix`); the
    /// deployments of litellm-settings.yaml, whose `model` is whole, come after duplicates
    /// are removed.
    pub(super) fn key(&self) -> DeploymentKey<'_> {
        (
            &self.model_name,
            self.prefix,
            self.served,
            self.api_base.as_deref(),
            self.api_key.as_deref(),
            self.weight.map(f64::to_bits),
        )
    }

    /// The LiteLLM `model`.
    pub(super) fn model(&self) -> Cow<'a, str> {
        if self.prefix.is_empty() {
            Cow::Borrowed(self.served)
        } else {
            Cow::Owned(format!("{}/{}", self.prefix, self.served))
        }
    }

    /// A copy serving the same model under `name`.
    pub(super) fn renamed(&self, name: &'a str) -> Deployment<'a> {
        let text = self.text.as_ref().map(|own| {
            let mut text = TextParts {
                source: own.source,
                tags: own.tags.clone(),
                settings: own.settings.clone(),
                comment: Vec::new(),
            };
            if name != self.served && !text.tags.iter().any(|(k, _)| *k == "alias_of") {
                text.tags.push(("alias_of", self.served));
            }
            Box::new(text)
        });
        Deployment {
            model_name: Cow::Borrowed(name),
            provider: self.provider,
            served: self.served,
            prefix: self.prefix,
            api_base: self.api_base.clone(),
            api_key: self.api_key.clone(),
            weight: None,
            text,
        }
    }
}

/// What the deployments of one provider share.
pub(super) struct ProviderParams<'a> {
    pub(super) provider_type: &'a str,
    pub(super) prefix: &'static str,
    pub(super) embedding_prefix: &'static str,
    pub(super) api_base: Option<Rc<str>>,
    pub(super) api_key: Option<Rc<str>>,
}

impl<'a> ProviderParams<'a> {
    /// Whether LiteLLM can call `provider` (`of` gives its params).
    pub(super) fn is_callable(provider: &Provider) -> bool {
        provider
            .provider_type()
            .is_some_and(|t| litellm_prefix(t, false).is_some())
    }

    /// `None` for a provider LiteLLM cannot call.
    pub(super) fn of(provider: &'a Provider) -> Option<ProviderParams<'a>> {
        let provider_type = provider.provider_type()?;
        let prefix = litellm_prefix(provider_type, false)?;
        let embedding_prefix = litellm_prefix(provider_type, true)?;
        let api_key = if provider.requires_api_key.as_ref().is_some_and(|r| r.value) {
            provider
                .env_var
                .as_ref()
                .map(|v| Rc::from(format!("os.environ/{}", v.as_str())))
        } else if prefix == "openai" && provider_type != "openai" {
            // Embedding or not, a type's prefix is `openai` for all its models or none.
            Some(Rc::from(KEYLESS_API_KEY))
        } else {
            None
        };
        Some(ProviderParams {
            provider_type,
            prefix,
            embedding_prefix,
            api_base: provider
                .base_url
                .as_ref()
                .map(|u| Rc::from(api_base(provider_type, u.as_str()))),
            api_key,
        })
    }
}

pub(super) fn is_embedding(name: &str, model: Option<&Model>) -> bool {
    let specialty = model.and_then(|m| m.specialty.as_ref()).map(|s| s.as_str());
    specialty.is_some_and(|s| {
        s.eq_ignore_ascii_case("embedding") || s.eq_ignore_ascii_case("embeddings")
    }) || name
        .as_bytes()
        .windows(5)
        .any(|w| w.eq_ignore_ascii_case(b"embed"))
}

/// The `model_info` of a provider's model.
fn model_info(
    provider: &Provider,
    provider_type: &str,
    model: Option<&Model>,
    embedding: bool,
) -> Vec<(String, Value)> {
    let mut info = vec![
        ("provider".to_string(), Value::str(provider.id.as_str())),
        ("provider_type".into(), Value::str(provider_type)),
    ];
    if let Some(model) = model {
        let mut tag = |key: &str, value: &Option<Spanned<CompactString>>| {
            if let Some(v) = value {
                info.push((key.to_string(), Value::str(v.as_str())));
            }
        };
        tag("size", &model.size);
        tag("quantization", &model.quantization);
        tag("specialty", &model.specialty);
        tag("notes", &model.description);
        if let Some(context) = &model.context_length {
            info.push(("max_input_tokens".into(), Value::Int(context.value)));
        }
    }
    if embedding {
        info.push(("mode".into(), Value::str("embedding")));
    }
    info
}
