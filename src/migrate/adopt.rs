//! `aiblint init --from`: a LiteLLM proxy config that exists today turned into the sources
//! `aiblint generate` builds it from (providers.yaml, model-mappings.yaml, and
//! litellm-settings.yaml for the settings they cannot express), then checked by generating
//! from them and comparing with the original in LiteLLM's terms (`generate::semantic`).
//!
//! How the config maps:
//! - Each deployment (`model_list` entry) is a model of a provider. Providers are the
//!   distinct (type, `api_base`, key) of the deployments: `ollama/` and `ollama_chat/` are
//!   `ollama`, `openai/` is `openai` at OpenAI's API and `openai_compatible` anywhere else,
//!   `hosted_vllm/` is `vllm`, `anthropic/` is `anthropic`; a missing `api_base` is
//!   LiteLLM's default for the provider. Other `litellm_params` (`rpm`, `timeout`,
//!   `temperature`...) become the model's `options`, which the generator writes back.
//!   LiteLLM providers that providers.yaml has no type for (`azure/`, `bedrock/`...) are
//!   reported and left out.
//! - A `model_name` with one deployment is an exact match (with `backend_model` when the
//!   provider's name differs); several deployments of one `model_name` are a
//!   load-balancing group whose weights are the deployments' shares of its traffic as
//!   LiteLLM's `simple-shuffle` picks (`weight`, else `rpm`, else `tpm`, else evenly).
//! - `fallbacks` and `default_fallbacks` (of `router_settings`, else of `litellm_settings`, as
//!   the Router reads them) are fallback chains; every other section is lifted into litellm-settings.yaml as
//!   `aiblint migrate` lifts it (`lift_sections`), with the settings whose LiteLLM default
//!   the generator would change (`drop_params`, `request_timeout`) pinned to that default,
//!   and each name's `model_info`.
//!
//! What the generator then writes differently is listed with the reason, and any
//! difference without one is returned unexplained (the tests require none).

use std::collections::BTreeSet;

use super::lift::{lift_sections, settings_text, NewFile};
use crate::generate::semantic::{self, SemanticDiff};
use crate::generate::value_of;
use crate::model::data::Data;
use crate::model::litellm::{self, ProviderPrefix};
use crate::model::secrets::Secrets;
use crate::model::{ConfigSet, FileKind, SetMember, SourceFile};
use crate::syntax::writer::{self, Value};
use crate::syntax::Node;
use crate::text::TextRange;

/// The sources written for a LiteLLM config, and what to say about them.
#[derive(Clone, Debug)]
pub struct Adoption {
    /// providers.yaml, model-mappings.yaml, and litellm-settings.yaml unless empty.
    pub files: Vec<NewFile>,
    /// What could not be carried over, or is carried over differently, in source order.
    pub notes: Vec<Note>,
    /// What `aiblint generate` will write from `files` that differs from the source.
    pub differences: Vec<Difference>,
    /// Deployments of the source, and how many of them were mapped.
    pub deployments: usize,
    pub mapped: usize,
}

/// A remark located in the source config.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Note {
    pub range: TextRange,
    pub message: String,
}

/// One difference in LiteLLM's terms, as `SemanticDiff::render` writes it, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Difference {
    pub change: String,
    pub why: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AdoptError {
    /// The text is not valid YAML (`aiblint check` says where).
    DoesNotParse,
    /// It is not a mapping with a `model_list`.
    NotALitellmConfig,
}

/// The name `source` is shown by in the files written (a path, as the user gave it).
pub fn adopt(text: &str, source: &str) -> Result<Adoption, AdoptError> {
    let file = SourceFile::analyze(Some(FileKind::Litellm), text.to_string());
    let root = match file.root() {
        Some(root) if file.parse.errors.is_empty() && file.parse.is_complete() => root,
        _ => return Err(AdoptError::DoesNotParse),
    };
    let entries = match root.get("model_list").map(Node::resolved) {
        Some(list) => list.as_sequence().unwrap_or_default(),
        None => return Err(AdoptError::NotALitellmConfig),
    };
    let mut notes = Vec::new();
    let mut deployments = Vec::new();
    for entry in entries {
        match deployment(entry.resolved()) {
            Ok(d) => deployments.push(d),
            Err(note) => notes.push(note),
        }
    }
    let user = Data::from_node(root);
    let mut sources = Sources::build(&deployments, &mut notes);
    for entry in entries {
        let entry = entry.resolved();
        if let Some(name) = entry.get("model_name").and_then(Node::scalar_text) {
            sources.source_names.insert(name.to_string());
        }
        let mapped = deployments.iter().any(|d| d.entry_range == entry.range);
        let params = entry.get("litellm_params").map(Data::from_node);
        let model = params
            .as_ref()
            .and_then(|p| p.get("model"))
            .and_then(Data::as_str);
        let custom = params
            .as_ref()
            .and_then(|p| p.get("custom_llm_provider"))
            .and_then(Data::as_str);
        if let (false, Some(model)) = (mapped, model) {
            // As the semantic comparison names it.
            let model = match custom {
                Some(p) if !model.starts_with(&format!("{p}/")) => format!("{p}/{model}"),
                _ => model.to_string(),
            };
            sources.unmapped_models.insert(model);
        }
    }
    let aliases = user
        .get("router_settings")
        .and_then(|r| r.get("model_group_alias"))
        .and_then(Data::as_map)
        .unwrap_or_default();
    sources
        .source_names
        .extend(aliases.iter().map(|(alias, _)| alias.clone()));
    sources.fallbacks(root, &user, &mut notes);

    let providers = sources.providers_text(source);
    let mappings = sources.mappings_text(source, &user);
    let bare = generated(&providers, &mappings, None).ok_or(AdoptError::NotALitellmConfig)?;
    let settings = sources.settings_text(source, &user, &bare, &mut notes);
    let after = generated(&providers, &mappings, settings.as_deref())
        .ok_or(AdoptError::NotALitellmConfig)?;
    let diff = semantic::compare(&user, &after);
    let mut differences = sources.explain(&diff);
    // What is said quotes values of the source: its secrets are masked.
    let secrets = Secrets::in_text(text, Some(root));
    for d in &mut differences {
        d.change = secrets.mask_words(&d.change).into_owned();
    }
    for n in &mut notes {
        n.message = secrets.mask_words(&n.message).into_owned();
    }

    let mut files = vec![
        NewFile {
            kind: FileKind::Providers,
            text: providers,
        },
        NewFile {
            kind: FileKind::Mappings,
            text: mappings,
        },
    ];
    if let Some(text) = settings {
        files.push(NewFile {
            kind: FileKind::LitellmSettings,
            text,
        });
    }
    notes.sort_by_key(|n| (n.range.start, n.range.end));
    Ok(Adoption {
        files,
        notes,
        differences,
        deployments: entries.len(),
        mapped: deployments.len(),
    })
}

/// What `aiblint generate` writes from these texts, as data.
fn generated(providers: &str, mappings: &str, settings: Option<&str>) -> Option<Data> {
    let mut members = vec![
        member(FileKind::Providers, providers),
        member(FileKind::Mappings, mappings),
    ];
    if let Some(text) = settings {
        members.push(member(FileKind::LitellmSettings, text));
    }
    let set = ConfigSet::new(members);
    let text = crate::generate::from_set(&set)?.text;
    let file = SourceFile::analyze(Some(FileKind::Litellm), text);
    file.root().map(Data::from_node)
}

fn member(kind: FileKind, text: &str) -> SetMember {
    SetMember {
        path: kind.file_name().to_string(),
        file: SourceFile::analyze(Some(kind), text.to_string()),
    }
}

// ------------------------------------------------------------------------- deployments

/// How a deployment authenticates, as providers.yaml can say it.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Key {
    /// No key, or a placeholder for a server that checks none.
    None,
    /// `os.environ/NAME`, or NAME standing in for a literal key that must not be copied.
    Env(String),
}

/// One deployment of the source, as a provider's model.
#[derive(Clone, Debug)]
struct Deployment {
    name: String,
    name_range: TextRange,
    provider_type: &'static str,
    base_url: String,
    served: String,
    key: Key,
    /// Its share of its name's traffic is computed from these, as LiteLLM does.
    weight: Option<f64>,
    /// `litellm_params` beyond those a provider says (model, api_base, api_key, weight).
    options: Vec<(String, Data)>,
    model_info: Option<Data>,
    embedding: bool,
    /// Said of a key written into the source (or in a form LiteLLM does not resolve).
    literal_key: Option<Note>,
    /// The `model_list` entry.
    entry_range: TextRange,
}

const PROVIDER_PARAMS: [&str; 5] = [
    "model",
    "custom_llm_provider",
    "api_base",
    "api_key",
    "weight",
];

/// A `model_list` entry as a provider's model, or why it cannot be one.
fn deployment(entry: &Node) -> Result<Deployment, Note> {
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

// ------------------------------------------------------------------------- the sources

/// A model a provider serves: its name there, its options (`litellm_params` beyond the
/// provider's), and whether it is an embedding model.
type ServedModel = (String, Vec<(String, Data)>, bool);
/// A deployment of a name: the provider's index, the model it serves, its `weight`.
type Member = (usize, String, Option<f64>);

/// A provider of providers.yaml, with the models its deployments serve.
#[derive(Clone, Debug)]
struct Provider {
    id: String,
    provider_type: &'static str,
    base_url: String,
    key: Key,
    /// (served name, options, embedding), in first-use order.
    models: Vec<ServedModel>,
}

/// What the source says, as providers and routes.
struct Sources {
    providers: Vec<Provider>,
    /// Per `model_name`, in first-use order: (provider index, served name, weight).
    names: Vec<(String, Vec<Member>)>,
    /// Each name's `model_info`, when all its deployments agree.
    infos: Vec<(String, Data)>,
    /// `fallback_chains`: key (or `default`) → targets.
    chains: Vec<(String, Vec<String>)>,
    /// The `model` of every deployment left out.
    unmapped_models: BTreeSet<String>,
    /// Every name the source reaches: its `model_name`s and `model_group_alias` keys.
    source_names: BTreeSet<String>,
    /// Fallback targets left out: (group, target).
    dropped_fallbacks: BTreeSet<(String, String)>,
    /// What `lift_sections` left behind.
    left: Vec<String>,
    /// Whether a `fallbacks` list had a `default` group (which becomes `default_fallbacks`).
    default_group: bool,
}

impl Sources {
    fn build(deployments: &[Deployment], notes: &mut Vec<Note>) -> Sources {
        let mut s = Sources {
            providers: Vec::new(),
            names: Vec::new(),
            infos: Vec::new(),
            chains: Vec::new(),
            unmapped_models: BTreeSet::new(),
            source_names: BTreeSet::new(),
            dropped_fallbacks: BTreeSet::new(),
            left: Vec::new(),
            default_group: false,
        };
        for d in deployments {
            notes.extend(d.literal_key.clone());
            let index = s.provider_for(d);
            let provider = &mut s.providers[index];
            match provider
                .models
                .iter()
                .find(|(served, _, _)| *served == d.served)
            {
                Some((_, options, _)) if *options != d.options => notes.push(Note {
                    range: d.name_range,
                    message: format!(
                        "`{}` on `{}` has other parameters in an earlier deployment; the \
                         earlier ones are kept for both",
                        d.served, provider.id
                    ),
                }),
                Some(_) => {}
                None => provider
                    .models
                    .push((d.served.clone(), d.options.clone(), d.embedding)),
            }
            match s.names.iter_mut().find(|(n, _)| *n == d.name) {
                Some((_, members)) => members.push((index, d.served.clone(), d.weight)),
                None => s
                    .names
                    .push((d.name.clone(), vec![(index, d.served.clone(), d.weight)])),
            }
        }
        for (name, _) in &s.names {
            let infos: Vec<Option<&Data>> = deployments
                .iter()
                .filter(|d| d.name == *name)
                .map(|d| d.model_info.as_ref())
                .collect();
            match infos.first() {
                Some(Some(first)) if infos.iter().all(|i| *i == Some(*first)) => {
                    s.infos.push((name.clone(), (*first).clone()))
                }
                Some(_) if infos.iter().any(Option::is_some) => {
                    if let Some(d) = deployments.iter().find(|d| d.name == *name) {
                        notes.push(Note {
                            range: d.name_range,
                            message: format!(
                                "the deployments of `{name}` have different `model_info`: not \
                                 carried over"
                            ),
                        });
                    }
                }
                _ => {}
            }
        }
        s
    }

    /// The index of the provider that serves `d`, created on first use.
    fn provider_for(&mut self, d: &Deployment) -> usize {
        if let Some(i) = self.providers.iter().position(|p| {
            p.provider_type == d.provider_type && p.base_url == d.base_url && p.key == d.key
        }) {
            return i;
        }
        let base = match d.provider_type {
            "openai_compatible" => "openai-compatible",
            other => other,
        };
        let host = d
            .base_url
            .split("://")
            .nth(1)
            .unwrap_or("")
            .split(['/', '?'])
            .next()
            .unwrap_or("");
        let id_part = |s: &str| -> String {
            s.chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || c == '-' {
                        c
                    } else {
                        '-'
                    }
                })
                .collect::<String>()
                .trim_matches('-')
                .to_string()
        };
        let (hostname, port) = host.rsplit_once(':').unwrap_or((host, ""));
        let mut candidates = vec![
            base.to_string(),
            format!("{base}-{}", id_part(hostname)),
            format!("{base}-{}-{}", id_part(hostname), id_part(port)),
        ];
        candidates.extend((2..).take(1000).map(|n| format!("{base}-{n}")));
        let id = candidates
            .into_iter()
            .find(|c| !self.providers.iter().any(|p| p.id == *c))
            .unwrap_or_else(|| base.to_string());
        self.providers.push(Provider {
            id,
            provider_type: d.provider_type,
            base_url: d.base_url.clone(),
            key: d.key.clone(),
            models: Vec::new(),
        });
        self.providers.len() - 1
    }

    /// `fallbacks` and `default_fallbacks` as fallback chains, over the names that were
    /// mapped: each list from `router_settings`, else from `litellm_settings`, as the Router
    /// reads them.
    fn fallbacks(&mut self, root: &Node, user: &Data, notes: &mut Vec<Note>) {
        let mapped: BTreeSet<&str> = self.names.iter().map(|(n, _)| n.as_str()).collect();
        let mut chains: Vec<(String, Vec<String>)> = Vec::new();
        let mut add =
            |group: &str, targets: Vec<String>| match chains.iter_mut().find(|(g, _)| g == group) {
                Some(slot) => slot.1 = targets,
                None => chains.push((group.to_string(), targets)),
            };
        // The Router reads each list from `router_settings`, and from `litellm_settings` only
        // when `router_settings` has none or an empty one: a list the Router never reads is not
        // carried over.
        let used = |list: &str| match user.get("router_settings").and_then(|s| s.get(list)) {
            Some(items @ Data::Seq(v)) if !v.is_empty() => Some(("router_settings", items)),
            _ => user
                .get("litellm_settings")
                .and_then(|s| s.get(list))
                .map(|items| ("litellm_settings", items)),
        };
        for list in ["fallbacks", "default_fallbacks"] {
            let Some((section, items)) = used(list) else {
                continue;
            };
            if section == "router_settings" {
                if let Some(entry) = root.get("litellm_settings").and_then(|s| s.get_entry(list)) {
                    notes.push(Note {
                        range: entry.key.range,
                        message: format!(
                            "`litellm_settings.{list}` is left out: LiteLLM never uses it, since \
                             `router_settings.{list}` is set (the Router reads the module's list \
                             only when it has none)"
                        ),
                    });
                }
            }
            let Data::Seq(items) = items else { continue };
            if list == "default_fallbacks" {
                add(
                    "default",
                    items
                        .iter()
                        .filter_map(Data::as_str)
                        .map(String::from)
                        .collect(),
                );
                continue;
            }
            for (group, targets) in items.iter().filter_map(Data::as_map).flatten() {
                self.default_group |= group == "default";
                let targets = match targets {
                    Data::Seq(t) => t
                        .iter()
                        .filter_map(Data::as_str)
                        .map(String::from)
                        .collect(),
                    other => other.as_str().map(String::from).into_iter().collect(),
                };
                add(group, targets);
            }
        }
        let at = |name: &str| fallback_range(root, name);
        for (group, targets) in chains {
            if group != "default" && !mapped.contains(group.as_str()) {
                notes.push(Note {
                    range: at(&group),
                    message: format!(
                        "the fallbacks of `{group}` are left out: `{group}` is not a model of \
                         the adopted config"
                    ),
                });
                for t in &targets {
                    self.dropped_fallbacks.insert((group.clone(), t.clone()));
                }
                continue;
            }
            let mut kept = Vec::new();
            for t in targets {
                if mapped.contains(t.as_str()) {
                    if t != group && !kept.contains(&t) {
                        kept.push(t);
                    }
                } else {
                    notes.push(Note {
                        range: at(&t),
                        message: format!(
                            "`{t}` in the fallbacks of `{group}` is left out: it is not a model \
                             of the adopted config"
                        ),
                    });
                    self.dropped_fallbacks.insert((group.clone(), t));
                }
            }
            self.chains.push((group, kept));
        }
    }

    fn providers_text(&self, source: &str) -> String {
        let mut entries = Vec::new();
        for p in &self.providers {
            let mut fields = vec![
                ("type".to_string(), Value::str(p.provider_type)),
                ("base_url".into(), Value::str(&p.base_url)),
                ("status".into(), Value::str("active")),
                (
                    "description".into(),
                    Value::str(format!(
                        "{} at {} (from {source})",
                        p.provider_type, p.base_url
                    )),
                ),
            ];
            if let Key::Env(var) = &p.key {
                fields.push(("requires_api_key".into(), Value::Bool(true)));
                fields.push(("env_var".into(), Value::str(var)));
            }
            let models = p
                .models
                .iter()
                .map(|(name, options, embedding)| {
                    if options.is_empty() && !embedding {
                        return Value::str(name);
                    }
                    let mut model = vec![("name".to_string(), Value::str(name))];
                    if *embedding {
                        model.push(("specialty".into(), Value::str("embeddings")));
                    }
                    if !options.is_empty() {
                        let options = options.iter().map(|(k, v)| (k.clone(), value_of(v)));
                        model.push(("options".into(), Value::Map(options.collect())));
                    }
                    Value::Map(model)
                })
                .collect();
            fields.push(("models".into(), Value::Seq(models)));
            entries.push((p.id.clone(), Value::Map(fields)));
        }
        let header = format!(
            "\
# providers.yaml — the inference servers of the LiteLLM config {source}, one
# per distinct type, api_base and API key of its deployments.
# Written by `aiblint init --from {source}`; edit it freely, then run
# `aiblint check` and `aiblint generate`.
"
        );
        document(
            &header,
            vec![
                ("metadata", schema_metadata()),
                ("providers", Value::Map(entries)),
            ],
        )
    }

    fn mappings_text(&self, source: &str, user: &Data) -> String {
        let mut exact = Vec::new();
        let mut groups = Vec::new();
        let strategy = user
            .get("router_settings")
            .and_then(|r| r.get("routing_strategy"))
            .and_then(Data::as_str)
            .unwrap_or("simple-shuffle");
        let exact_match = |index: usize, served: &str, name: &str, description: Option<String>| {
            let mut fields = vec![(
                "provider".to_string(),
                Value::str(&self.providers[index].id),
            )];
            if served != name {
                fields.push(("backend_model".into(), Value::str(served)));
            }
            if let Some(d) = description {
                fields.push(("description".into(), Value::str(d)));
            }
            (name.to_string(), Value::Map(fields))
        };
        for (name, members) in &self.names {
            // A balanced name is also an exact match (of its first server), so that it is a
            // model the fallback chains may name, and the server it falls to is chosen.
            let description = (members.len() > 1).then(|| {
                format!(
                    "Balanced over {} servers: see load_balancing.{name}",
                    members.len()
                )
            });
            let (index, served, _) = &members[0];
            exact.push(exact_match(*index, served, name, description));
            if members.len() == 1 {
                continue;
            }
            let mut group = Vec::new();
            if strategy == "simple-shuffle" {
                group.push(("strategy".to_string(), Value::str("simple_shuffle")));
            }
            let shares = shares(self, members);
            let providers = members
                .iter()
                .zip(shares)
                .map(|((index, served, _), share)| {
                    Value::Map(vec![
                        (
                            "provider".to_string(),
                            Value::str(&self.providers[*index].id),
                        ),
                        ("weight".into(), Value::Float(share)),
                        ("preferred_model".into(), Value::str(served)),
                    ])
                })
                .collect();
            group.push(("providers".to_string(), Value::Seq(providers)));
            groups.push((name.clone(), Value::Map(group)));
        }
        // A model several providers serve under one name is, in the generated config, a
        // group of its own; an exact match gives the name to the first of them.
        for (i, p) in self.providers.iter().enumerate() {
            for (served, _, _) in &p.models {
                let shared = self.providers[i + 1..]
                    .iter()
                    .any(|q| q.models.iter().any(|(s, _, _)| s == served));
                if shared && !exact.iter().any(|(n, _)| n == served) {
                    exact.push(exact_match(i, served, served, None));
                }
            }
        }
        let chains = self
            .chains
            .iter()
            .map(|(name, targets)| {
                let chain = targets.iter().map(Value::str).collect();
                (
                    name.clone(),
                    Value::Map(vec![("chain".to_string(), Value::Seq(chain))]),
                )
            })
            .collect::<Vec<_>>();
        let mut sections = vec![("metadata", schema_metadata())];
        if !exact.is_empty() {
            sections.push(("exact_matches", Value::Map(exact)));
        }
        if !groups.is_empty() {
            sections.push(("load_balancing", Value::Map(groups)));
        }
        if !chains.is_empty() {
            sections.push(("fallback_chains", Value::Map(chains)));
        }
        let header = format!(
            "\
# model-mappings.yaml — the model names of the LiteLLM config {source}: one
# deployment is an exact match, several of one name a load-balancing group;
# its fallbacks are fallback chains.
# Written by `aiblint init --from {source}`; edit it freely, then run
# `aiblint check` and `aiblint generate`.
"
        );
        document(&header, sections)
    }

    /// litellm-settings.yaml: the sections LiteLLM reads that the two sources cannot say,
    /// LiteLLM's defaults for the settings the generator would otherwise change, and each
    /// name's `model_info`; `None` when there is nothing to say.
    fn settings_text(
        &mut self,
        source: &str,
        user: &Data,
        bare: &Data,
        notes: &mut Vec<Note>,
    ) -> Option<String> {
        let mut stripped = user.clone();
        if let Data::Map(sections) = &mut stripped {
            for (name, value) in sections.iter_mut() {
                if let (true, Data::Map(keys)) = (
                    matches!(name.as_str(), "router_settings" | "litellm_settings"),
                    value,
                ) {
                    keys.retain(|(k, _)| k != "fallbacks" && k != "default_fallbacks");
                }
            }
        }
        let mut sections = lift_sections(&stripped, bare, &mut self.left);
        // The generator's own defaults where LiteLLM's differ and the source set nothing.
        let pinned: Vec<(String, String)> = semantic::compare(user, bare)
            .settings
            .into_iter()
            .filter(|s| s.before.is_none())
            .filter_map(|s| {
                Some((
                    s.path.clone(),
                    litellm::default_setting(&s.path)?.to_string(),
                ))
            })
            .collect();
        for (path, default) in pinned {
            let Some((section, key)) = path.split_once('.') else {
                continue;
            };
            let value = Value::Commented(
                vec![format!(
                    "LiteLLM's default, which {source} relied on (`aiblint generate` writes its own otherwise)"
                )],
                Box::new(yaml_scalar(&default)),
            );
            match sections.iter_mut().find(|(s, _)| s == section) {
                Some((_, Value::Map(keys))) => keys.push((key.to_string(), value)),
                _ => sections.push((
                    section.to_string(),
                    Value::Map(vec![(key.to_string(), value)]),
                )),
            }
        }
        if !self.infos.is_empty() {
            let entries = self
                .infos
                .iter()
                .map(|(name, info)| {
                    Value::Map(vec![
                        ("model_name".to_string(), Value::str(name)),
                        ("model_info".into(), value_of(info)),
                    ])
                })
                .collect();
            sections.push(("model_list".to_string(), Value::Seq(entries)));
        }
        for left in &self.left {
            notes.push(Note {
                range: TextRange::empty(0),
                message: left.clone(),
            });
        }
        if sections.is_empty() {
            return None;
        }
        let header = format!(
            "\
# litellm-settings.yaml — LiteLLM settings for `aiblint generate`, from the
# LiteLLM config {source}: what providers.yaml and model-mappings.yaml cannot
# say. `aiblint generate` merges these sections into the config it builds (a
# key here replaces the generated one), and each `model_list` entry adds to
# the generated deployments of its `model_name`.
# Written by `aiblint init --from {source}`.
"
        );
        Some(settings_text(&header, sections))
    }

    /// Each difference with the reason it exists, when it is one this adoption makes.
    fn explain(&self, diff: &SemanticDiff) -> Vec<Difference> {
        let mut out = Vec::new();
        // Each line of one change, with its reason.
        let mut explained = |change: SemanticDiff, why: Option<String>| {
            out.extend(change.render(usize::MAX).lines().map(|line| Difference {
                change: line.to_string(),
                why: why.clone(),
            }));
        };
        for g in &diff.groups {
            let change = SemanticDiff {
                groups: vec![g.clone()],
                ..SemanticDiff::default()
            };
            explained(change, self.group_reason(g));
        }
        for f in &diff.fallbacks {
            let group = if f.group.is_empty() {
                "default"
            } else {
                f.group.as_str()
            };
            let dropped = f.before.iter().filter(|t| !f.after.contains(t)).all(|t| {
                self.dropped_fallbacks
                    .contains(&(group.to_string(), t.clone()))
            });
            let default_group = (f.list == "fallbacks" && f.group == "default")
                || (f.list == "default_fallbacks" && self.default_group);
            let why = if default_group {
                Some(
                    "LiteLLM matches no model named `default`, so a fallback group of that name \
                     never takes effect; it is written as `default_fallbacks`, the catch-all it \
                     was meant to be (G404), which does"
                        .to_string(),
                )
            } else {
                (f.after.iter().all(|t| f.before.contains(t)) && dropped).then(|| {
                    "a fallback to a model that was left out (see the notes above)".to_string()
                })
            };
            let change = SemanticDiff {
                fallbacks: vec![f.clone()],
                ..SemanticDiff::default()
            };
            explained(change, why);
        }
        for s in &diff.settings {
            // `lift_sections` says "`path`: why" of what it leaves behind, and counts keys
            // that are commented-out lines (`'# master_key': ...`).
            let commented = s
                .path
                .split_once('.')
                .is_some_and(|(_, key)| key.trim_start().starts_with('#'));
            let why = self
                .left
                .iter()
                .find(|l| {
                    let about = l
                        .strip_prefix('`')
                        .and_then(|l| l.split_once("`:"))
                        .map(|(p, _)| p);
                    about.is_some_and(|p| s.path == p || s.path.starts_with(&format!("{p}.")))
                        || (commented && l.contains("commented-out"))
                })
                .map(|l| format!("not carried over: {l}"));
            let change = SemanticDiff {
                settings: vec![s.clone()],
                ..SemanticDiff::default()
            };
            explained(change, why);
        }
        out
    }

    /// Why the deployments a name reaches change, when every change is one this adoption
    /// makes: deployments left out, and what `aiblint generate` writes its own way.
    fn group_reason(&self, g: &semantic::GroupChange) -> Option<String> {
        let mut reasons: Vec<&str> = Vec::new();
        let mut add = |reason: &'static str| {
            if !reasons.contains(&reason) {
                reasons.push(reason);
            }
        };
        // Deployments left out: the rest of the name then takes all of its traffic.
        let mut removed: Vec<&semantic::Target> = Vec::new();
        let mut lost = false;
        for r in &g.removed {
            if self.unmapped_models.contains(&r.model) {
                lost = true;
                add("deployments the adoption left out (see the notes above)");
            } else {
                removed.push(r);
            }
        }
        // A name only the generated config has.
        if !self.source_names.contains(&g.name) {
            if !(removed.is_empty() && g.changed.is_empty()) {
                return None;
            }
            let qualified = self.providers.iter().any(|p| {
                p.models
                    .iter()
                    .any(|(s, _, _)| g.name == format!("{}/{s}", p.id))
            });
            add(if qualified {
                "`aiblint generate` lists a model as `<provider>/<model>` where an exact match \
                 gives its name to another provider"
            } else {
                "`aiblint generate` lists every model of a provider under the provider's own \
                 name too"
            });
            return Some(reasons.join("; "));
        }
        let model_id = |m: &str| m.split_once('/').map_or(m, |(_, rest)| rest).to_string();
        let mut fields: Vec<String> = g.changed.iter().flat_map(|(_, _, f)| f.clone()).collect();
        // A deployment whose api_base changed shows as one removed and one added.
        for added in &g.added {
            let i = removed
                .iter()
                .position(|r| model_id(&r.model) == model_id(&added.model))?;
            let before = removed.remove(i);
            if before.api_base.as_deref().map(|b| format!("{b}/v1")) != added.api_base {
                return None;
            }
            add(
                "`aiblint generate` adds `/v1` to an OpenAI-compatible server's api_base: \
                 LiteLLM calls `<api_base>/chat/completions` and such servers answer under \
                 `/v1` (G414)",
            );
            if before.model != added.model {
                fields.push(format!("model `{}` → `{}`", before.model, added.model));
            }
            for (k, v) in &added.params {
                match before.params.get(k) {
                    None => fields.push(format!("{k} {v} added")),
                    Some(old) if old != v => fields.push(format!("{k} {old} → {v}")),
                    Some(_) => {}
                }
            }
        }
        if !removed.is_empty() {
            return None;
        }
        for field in &fields {
            add(if field.starts_with("weight ") && lost {
                "its share of the traffic grows, as deployments of the name were left out"
            } else if field.starts_with("model `ollama/") && field.contains("`ollama_chat/") {
                "`aiblint generate` calls Ollama chat models through `ollama_chat/` (POST \
                 /api/chat, which LiteLLM recommends); a model is called through `ollama/` when \
                 providers.yaml gives it `specialty: embeddings`"
            } else if field.starts_with("model `ollama_chat/") && field.contains("`ollama/") {
                "`aiblint generate` calls embedding models through `ollama/` (POST /api/embed), \
                 which the chat route does not serve"
            } else if field.starts_with("model `hosted_vllm/") {
                "`aiblint generate` calls vLLM through LiteLLM's OpenAI-compatible route \
                 (`openai/`)"
            } else if field.starts_with("model `")
                && !field["model `".len()..]
                    .split('`')
                    .next()
                    .unwrap_or("/")
                    .contains('/')
            {
                "`aiblint generate` writes out the provider LiteLLM infers from the model's name"
            } else if field == "api_key none added"
                || (field.starts_with("api_key ") && field.ends_with("→ none"))
            {
                "`aiblint generate` gives a server that needs no key `api_key: none`: without \
                 one, LiteLLM's OpenAI route would send it your OPENAI_API_KEY (G415)"
            } else if field.starts_with("api_key ") && field.contains("os.environ/") {
                "the literal API key is read from the environment variable providers.yaml names \
                 (`env_var`); set it where LiteLLM runs"
            } else {
                return None;
            });
        }
        (!reasons.is_empty()).then(|| reasons.join("; "))
    }
}

/// The shares of a name's deployments as LiteLLM's `simple-shuffle` picks them, rounded so
/// that they sum to 1.
fn shares(sources: &Sources, members: &[Member]) -> Vec<f64> {
    let option = |index: usize, served: &str, key: &str| -> f64 {
        sources.providers[index]
            .models
            .iter()
            .find(|(s, _, _)| s == served)
            .and_then(|(_, options, _)| options.iter().find(|(k, _)| k == key))
            .map_or(0.0, |(_, v)| match v {
                Data::Int(i) => *i as f64,
                Data::Float(f) => *f,
                _ => 0.0,
            })
    };
    let metrics: Vec<Vec<f64>> = vec![
        members.iter().map(|(_, _, w)| w.unwrap_or(0.0)).collect(),
        members
            .iter()
            .map(|(i, s, _)| option(*i, s, "rpm"))
            .collect(),
        members
            .iter()
            .map(|(i, s, _)| option(*i, s, "tpm"))
            .collect(),
    ];
    let weights = metrics
        .into_iter()
        .find(|m| m.iter().any(|&w| w > 0.0))
        .unwrap_or_else(|| vec![1.0; members.len()]);
    let total: f64 = weights.iter().map(|w| w.max(0.0)).sum();
    let mut shares: Vec<f64> = weights
        .iter()
        .map(|w| (w.max(0.0) / total * 1e6).round() / 1e6)
        .collect();
    // The last share takes the rounding, so that the group sums to 1 (L305).
    let rest: f64 = shares[..shares.len() - 1].iter().sum();
    if let Some(last) = shares.last_mut() {
        *last = ((1.0 - rest) * 1e6).round() / 1e6;
    }
    shares
}

/// The range of the first fallback entry that names `name`, in either settings section.
fn fallback_range(root: &Node, name: &str) -> TextRange {
    for section in ["router_settings", "litellm_settings"] {
        for list in ["fallbacks", "default_fallbacks"] {
            let Some(items) = root
                .get(section)
                .and_then(|s| s.get(list))
                .and_then(Node::as_sequence)
            else {
                continue;
            };
            for item in items {
                if item.as_str() == Some(name) {
                    return item.range;
                }
                for entry in item.entries() {
                    if entry.key.scalar_text() == Some(name) {
                        return entry.key.range;
                    }
                    for target in entry.value.as_sequence().unwrap_or_default() {
                        if target.as_str() == Some(name) {
                            return target.range;
                        }
                    }
                }
            }
        }
    }
    root.get("router_settings")
        .or_else(|| root.get("litellm_settings"))
        .map_or(TextRange::empty(0), |n| n.range)
}

fn schema_metadata() -> Value {
    Value::Map(vec![(
        "schema_version".to_string(),
        Value::str(crate::model::version::CURRENT.to_string()),
    )])
}

/// A YAML document: `header` (comment lines), then each top-level section after a blank
/// line.
fn document(header: &str, sections: Vec<(&str, Value)>) -> String {
    let mut text = String::from(header);
    for (key, value) in sections {
        text.push('\n');
        text.push_str(&writer::render(&Value::Map(vec![(key.to_string(), value)])));
    }
    text
}

/// A scalar written as flow text (`false`, `6000`, `simple-shuffle`) as the writer's value.
fn yaml_scalar(text: &str) -> Value {
    match text {
        "true" => Value::Bool(true),
        "false" => Value::Bool(false),
        _ => match text.parse::<i64>() {
            Ok(i) => Value::Int(i),
            Err(_) => Value::str(text),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn adopted(text: &str) -> Adoption {
        adopt(text, "config.yaml").expect("adopts")
    }

    fn file(a: &Adoption, kind: FileKind) -> &str {
        &a.files
            .iter()
            .find(|f| f.kind == kind)
            .expect("written")
            .text
    }

    #[test]
    fn a_cloud_and_a_local_deployment() {
        let a = adopted(
            "model_list:\n  - model_name: gpt-4o\n    litellm_params:\n      model: openai/gpt-4o\n      api_key: os.environ/OPENAI_API_KEY\n  - model_name: llama3\n    litellm_params:\n      model: ollama_chat/llama3\n      api_base: http://localhost:11434\n",
        );
        let providers = file(&a, FileKind::Providers);
        assert!(
            providers
                .contains("  openai:\n    type: openai\n    base_url: https://api.openai.com/v1\n"),
            "{providers}"
        );
        assert!(
            providers.contains("    requires_api_key: true\n    env_var: OPENAI_API_KEY\n"),
            "{providers}"
        );
        assert!(
            providers
                .contains("  ollama:\n    type: ollama\n    base_url: http://localhost:11434\n"),
            "{providers}"
        );
        let mappings = file(&a, FileKind::Mappings);
        assert!(
            mappings.contains("  gpt-4o:\n    provider: openai\n"),
            "{mappings}"
        );
        assert_eq!(a.notes, Vec::new());
        assert!(
            a.differences.iter().all(|d| d.why.is_some()),
            "{:?}",
            a.differences
        );
    }

    #[test]
    fn shares_follow_simple_shuffle() {
        let sources = Sources {
            providers: vec![Provider {
                id: "p".into(),
                provider_type: "ollama",
                base_url: "http://h".into(),
                key: Key::None,
                models: vec![
                    ("a".into(), vec![("rpm".into(), Data::Int(100))], false),
                    ("b".into(), vec![("rpm".into(), Data::Int(300))], false),
                ],
            }],
            names: Vec::new(),
            infos: Vec::new(),
            chains: Vec::new(),
            unmapped_models: BTreeSet::new(),
            source_names: BTreeSet::new(),
            dropped_fallbacks: BTreeSet::new(),
            left: Vec::new(),
            default_group: false,
        };
        let by_rpm = [(0, "a".to_string(), None), (0, "b".to_string(), None)];
        assert_eq!(shares(&sources, &by_rpm), vec![0.25, 0.75]);
        let by_weight = [
            (0, "a".to_string(), Some(1.0)),
            (0, "b".to_string(), Some(2.0)),
        ];
        assert_eq!(shares(&sources, &by_weight), vec![0.333333, 0.666667]);
        let even = [
            (0, "x".to_string(), None),
            (0, "y".to_string(), None),
            (0, "z".to_string(), None),
        ];
        let s = shares(&sources, &even);
        assert_eq!(s, vec![0.333333, 0.333333, 0.333334]);
    }

    #[test]
    fn not_a_config() {
        assert_eq!(adopt("a: [\n", "x").unwrap_err(), AdoptError::DoesNotParse);
        assert_eq!(
            adopt("general_settings: {}\n", "x").unwrap_err(),
            AdoptError::NotALitellmConfig
        );
    }
}
