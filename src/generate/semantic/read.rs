//! A LiteLLM config as its Router reads it: the deployments each requested name reaches,
//! the fallback lists of each group, and every setting, flattened.

use std::collections::BTreeMap;

use super::{Target, ROUTED_KEYS};
use crate::model::data::Data;
use crate::model::litellm::{self, KeyType, Section};

/// Requested name → the deployments it reaches: the `model_list` entries of that name, or,
/// for a `model_group_alias` key, those of the group it stands for.
pub(super) fn reach(config: &Data) -> BTreeMap<String, Vec<Target>> {
    let mut out: BTreeMap<String, Vec<Target>> = BTreeMap::new();
    if let Some(Data::Seq(entries)) = config.get("model_list") {
        for entry in entries {
            let Some(name) = entry.get("model_name").and_then(scalar_text) else {
                continue;
            };
            out.entry(name).or_default().push(target(entry));
        }
    }
    for targets in out.values_mut() {
        shares(targets);
    }
    let aliases = config
        .get("router_settings")
        .and_then(|r| r.get("model_group_alias"))
        .and_then(Data::as_map)
        .unwrap_or_default();
    for (alias, to) in aliases {
        let group = match to {
            Data::Map(_) => to.get("model").and_then(scalar_text),
            other => scalar_text(other),
        };
        let Some(group) = group else { continue };
        if out.contains_key(alias) {
            continue; // A model_list entry of that name wins over the alias.
        }
        if let Some(targets) = out.get(&group).cloned() {
            out.insert(alias.clone(), targets);
        }
    }
    out
}

/// Sets each target's share of the group's traffic as LiteLLM's `simple-shuffle` picks
/// ([`litellm::simple_shuffle_shares`]), to four decimals.
pub(super) fn shares(targets: &mut [Target]) {
    if targets.len() < 2 {
        for t in targets.iter_mut() {
            t.weight = None;
        }
        return;
    }
    let metric = |t: &Target, key: &str| -> f64 {
        match key {
            "weight" => t.weight.unwrap_or(0.0),
            _ => t
                .params
                .get(key)
                .and_then(|v| v.parse().ok())
                .unwrap_or(0.0),
        }
    };
    let shares = litellm::simple_shuffle_shares(targets.len(), |i, key| metric(&targets[i], key));
    for (t, share) in targets.iter_mut().zip(shares) {
        t.weight = Some((share * 1e4).round() / 1e4);
    }
}

pub(super) fn target(entry: &Data) -> Target {
    let params = entry
        .get("litellm_params")
        .and_then(Data::as_map)
        .unwrap_or_default();
    let get = |k: &str| params.iter().find(|(key, _)| key == k).map(|(_, v)| v);
    let model = get("model").and_then(scalar_text).unwrap_or_default();
    let model = match get("custom_llm_provider").and_then(scalar_text) {
        Some(provider) if !model.starts_with(&format!("{provider}/")) => {
            format!("{provider}/{model}")
        }
        _ => model,
    };
    let weight = match get("weight") {
        Some(Data::Int(i)) => Some(*i as f64),
        Some(Data::Float(f)) => Some(*f),
        _ => None,
    };
    let skip = ["model", "custom_llm_provider", "api_base", "weight"];
    let provider = crate::model::litellm::provider_of(&model).unwrap_or("");
    let api_base = get("api_base")
        .and_then(scalar_text)
        .or_else(|| crate::model::litellm::default_api_base(provider).map(str::to_string));
    Target {
        api_base: api_base.map(|b| b.trim_end_matches('/').to_string()),
        model,
        weight,
        params: params
            .iter()
            .filter(|(k, _)| !skip.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), show(v)))
            .collect(),
    }
}

/// `{group: [fallbacks]}` of one router fallback list as LiteLLM uses it: the list in
/// `router_settings`, or, when the router's is unset or empty, the one in `litellm_settings`
/// (the Router reads `fallbacks or litellm.fallbacks`).
pub(super) fn fallback_map(config: &Data, list: &str) -> BTreeMap<String, Vec<String>> {
    let mut out = BTreeMap::new();
    let in_router = matches!(
        config.get("router_settings").and_then(|r| r.get(list)),
        Some(Data::Seq(items)) if !items.is_empty()
    );
    let section = if in_router {
        "router_settings"
    } else {
        "litellm_settings"
    };
    {
        let Some(Data::Seq(items)) = config.get(section).and_then(|s| s.get(list)) else {
            return out;
        };
        for (group, targets) in items.iter().filter_map(Data::as_map).flatten() {
            let targets = match targets {
                Data::Seq(t) => t.iter().filter_map(scalar_text).collect(),
                other => scalar_text(other).into_iter().collect(),
            };
            out.insert(group.clone(), targets);
        }
    }
    out
}

pub(super) fn default_fallbacks(config: &Data) -> Vec<String> {
    ["router_settings", "litellm_settings"]
        .iter()
        .find_map(
            |s| match config.get(s).and_then(|s| s.get("default_fallbacks")) {
                Some(Data::Seq(items)) => Some(items.iter().filter_map(scalar_text).collect()),
                _ => None,
            },
        )
        .unwrap_or_default()
}

/// Every setting outside `model_list` and the routed keys, by dotted path, with whether
/// LiteLLM ignores it; lists and scalars are leaves, and so is anything LiteLLM ignores (an
/// ignored section is one setting, not one per key).
pub(super) fn settings(config: &Data) -> BTreeMap<String, (String, bool)> {
    let mut out = BTreeMap::new();
    let catalogue = litellm::catalogue();
    for (section, value) in config.as_map().unwrap_or_default() {
        // LiteLLM reads a section that is null (or holds only comments) as `{}`: no setting.
        let empty = match value {
            Data::Null => true,
            Data::Map(entries) => entries.is_empty(),
            _ => false,
        };
        if section == "model_list" || empty {
            continue;
        }
        if !catalogue.sections().contains(&section.as_str()) {
            out.insert(section.clone(), (show(value), true));
            continue;
        }
        let Some(block) = Section::from_block_name(section) else {
            flatten(section, value, &mut out);
            continue;
        };
        for (key, v) in value.as_map().unwrap_or_default() {
            let path = format!("{section}.{key}");
            if key.trim_start().starts_with('#') || !catalogue.has_key(block, key) {
                out.insert(path, (show(v), true));
            } else {
                flatten_known(block, key, &path, v, &mut out);
            }
        }
    }
    out.retain(|path, _| {
        !ROUTED_KEYS.iter().any(|k| {
            path == &format!("router_settings.{k}")
                || path.starts_with(&format!("router_settings.{k}."))
                || path == &format!("litellm_settings.{k}")
                || path.starts_with(&format!("litellm_settings.{k}."))
        })
    });
    out
}

/// Flattens a known key's value: a mapping into one setting per leaf, unless LiteLLM reads
/// the key as a scalar (then the mapping is one setting, as LiteLLM sees it).
pub(super) fn flatten_known(
    section: Section,
    key: &str,
    path: &str,
    value: &Data,
    out: &mut BTreeMap<String, (String, bool)>,
) {
    let scalar = litellm::catalogue().key(section, key).is_some_and(|k| {
        matches!(
            k.ty,
            KeyType::Bool | KeyType::Int | KeyType::Float | KeyType::Str
        )
    });
    if scalar {
        out.insert(path.to_string(), (show(value), false));
    } else {
        flatten(path, value, out);
    }
}

pub(super) fn flatten(path: &str, value: &Data, out: &mut BTreeMap<String, (String, bool)>) {
    match value {
        Data::Map(entries) if !entries.is_empty() => {
            for (k, v) in entries {
                flatten(&format!("{path}.{k}"), v, out);
            }
        }
        other => {
            out.insert(path.to_string(), (show(other), false));
        }
    }
}

pub(super) fn scalar_text(data: &Data) -> Option<String> {
    match data {
        Data::Str(s) => Some(s.clone()),
        Data::Int(i) => Some(i.to_string()),
        Data::Float(f) => Some(f.to_string()),
        Data::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A value in one line of flow-style YAML.
pub(super) fn show(data: &Data) -> String {
    match data {
        Data::Null => "null".to_string(),
        Data::Bool(b) => b.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => f.to_string(),
        Data::Str(s) => s.clone(),
        Data::Seq(items) => format!(
            "[{}]",
            items.iter().map(show).collect::<Vec<_>>().join(", ")
        ),
        Data::Map(entries) => format!(
            "{{{}}}",
            entries
                .iter()
                .map(|(k, v)| format!("{k}: {}", show(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}
