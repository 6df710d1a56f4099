//! The texts of the adopted sources: providers.yaml, model-mappings.yaml and
//! litellm-settings.yaml.

use super::explain::shares;
use super::{Key, Note, Sources};
use crate::generate::{semantic, value_of};
use crate::migrate::lift::{lift_sections, settings_text};
use crate::model::data::Data;
use crate::model::litellm;
use crate::syntax::writer::{self, Value};
use crate::text::TextRange;

impl Sources {
    pub(super) fn providers_text(&self, source: &str) -> String {
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

    pub(super) fn mappings_text(&self, source: &str, user: &Data) -> String {
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
    pub(super) fn settings_text(
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
