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

use super::lift::NewFile;
use crate::generate::semantic;
use crate::model::data::Data;
use crate::model::secrets::Secrets;
use crate::model::{ConfigSet, FileKind, SetMember, SourceFile};
use crate::syntax::Node;
use crate::text::TextRange;

mod deployment;
mod explain;
#[cfg(test)]
mod tests;
mod write;

use deployment::deployment;
use explain::fallback_range;

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
        SetMember::analyzed(FileKind::Providers, providers),
        SetMember::analyzed(FileKind::Mappings, mappings),
    ];
    if let Some(text) = settings {
        members.push(SetMember::analyzed(FileKind::LitellmSettings, text));
    }
    let set = ConfigSet::new(members);
    let text = crate::generate::from_set(&set)?.text;
    let file = SourceFile::analyze(Some(FileKind::Litellm), text);
    file.root().map(Data::from_node)
}

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
}
