//! Adopting `aiblint generate` on a gateway whose litellm-unified.yaml was written by hand or
//! by another tool: the settings LiteLLM honours in that file, which providers.yaml and
//! model-mappings.yaml cannot express, are lifted into a new litellm-settings.yaml, so that
//! the first `aiblint generate` keeps them.
//!
//! What is lifted, compared with what `aiblint generate` writes from the migrated sources:
//! every section LiteLLM reads except `model_list`; of `router_settings`, the keys
//! `litellm.Router` accepts, with `fallbacks`, `default_fallbacks` and `model_group_alias`
//! reduced to what the sources do not already generate (a `default` fallback group, which
//! LiteLLM never matches, is read as the catch-all it was meant to be: `default_fallbacks`);
//! of each deployment, the `litellm_params` the generator does not write. Sections LiteLLM
//! ignores, and values it would reject, are listed in the notes and left behind.

use std::collections::BTreeSet;

use crate::generate::{self, value_of};
use crate::model::data::Data;
use crate::model::{ConfigSet, FileKind, SourceFile};
use crate::syntax::writer::{self, Value};

/// A file a migration creates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewFile {
    pub kind: FileKind,
    pub text: String,
}

/// Top-level sections LiteLLM's proxy reads (litellm 1.110.2, `proxy_server.py`
/// `load_config`; every other key is ignored).
const SECTIONS: &[&str] = &[
    "model_list",
    "litellm_settings",
    "general_settings",
    "router_settings",
    "environment_variables",
    "callback_settings",
    "guardrails",
    "mcp_servers",
    "mcp_tools",
    "credential_list",
    "search_tools",
    "assistant_settings",
    "finetune_settings",
    "files_settings",
    "default_vertex_config",
    "prompts",
    "agent_list",
    "agents",
    "vector_store_registry",
    "worker_registry",
    "policies",
    "policy_attachments",
    "sandbox_tools",
    "include",
];

/// The arguments of `litellm.Router` that `router_settings` may set (litellm 1.110.2,
/// `Router.__init__`; LiteLLM drops any other key with a warning).
const ROUTER_KEYS: &[&str] = &[
    "alerting_config",
    "allowed_fails",
    "allowed_fails_policy",
    "assistants_config",
    "background_health_check_model_groups",
    "cache_kwargs",
    "cache_responses",
    "caching_groups",
    "client_ttl",
    "content_policy_fallbacks",
    "context_window_fallbacks",
    "cooldown_time",
    "debug_level",
    "default_fallbacks",
    "default_litellm_params",
    "default_max_parallel_requests",
    "default_priority",
    "deployment_affinity_ttl_seconds",
    "disable_cooldowns",
    "enable_health_check_routing",
    "enable_mid_stream_fallback_continuation",
    "enable_pre_call_checks",
    "enable_tag_filtering",
    "enable_weighted_failover",
    "fallback_on_unsupported_params",
    "fallbacks",
    "guardrail_list",
    "health_check_ignore_transient_errors",
    "health_check_staleness_threshold",
    "ignore_invalid_deployments",
    "max_fallbacks",
    "model_group_affinity_config",
    "model_group_alias",
    "model_group_retry_policy",
    "num_retries",
    "optional_pre_call_checks",
    "plugins",
    "polling_interval",
    "provider_budget_config",
    "redis_db",
    "redis_host",
    "redis_password",
    "redis_port",
    "redis_url",
    "retry_after",
    "retry_policy",
    "router_general_settings",
    "routing_groups",
    "routing_strategy",
    "routing_strategy_args",
    "session_affinity_repin_on_failover",
    "set_verbose",
    "stream_timeout",
    "tag_filtering_match_any",
    "tag_routing_prefix",
    "timeout",
];

/// `litellm_params` the generator writes itself, or that name the deployment.
const GENERATED_PARAMS: &[&str] = &[
    "model",
    "api_base",
    "api_key",
    "custom_llm_provider",
    "weight",
];

const HEADER: &str = "\
# litellm-settings.yaml — LiteLLM settings for `aiblint generate`.
# Lifted by `aiblint migrate` from the litellm-unified.yaml that `aiblint generate`
# now writes. `aiblint generate` merges these sections into the config it builds:
# a key here replaces the generated one, `router_settings.fallbacks` and
# `default_fallbacks` add to those generated from model-mappings.yaml, and each
# `model_list` entry adds `litellm_params` to the generated deployments of its
# `model_name`. Edit this file for LiteLLM's own settings.
";

/// The settings file to create for `set` (already migrated), or `None` when the set has no
/// hand-written LiteLLM config, already has a settings file, or nothing is worth lifting.
pub(super) fn lift(set: &ConfigSet, notes: &mut Vec<String>) -> Option<NewFile> {
    if set.member(FileKind::LitellmSettings).is_some() {
        return None;
    }
    let litellm = set.member(FileKind::Litellm)?;
    let file = &litellm.file;
    if generate::is_generated(&file.text) || !file.parse.errors.is_empty() {
        return None;
    }
    let user = Data::from_node(file.root()?);
    let generated_text = generate::from_set(set)?.text;
    let generated_file = SourceFile::analyze(Some(FileKind::Litellm), generated_text);
    let generated = Data::from_node(generated_file.root()?);

    let path = &litellm.path;
    let mut left: Vec<String> = Vec::new();
    let mut sections = lift_sections(&user, &generated, &mut left);
    let mut kept_whole = Vec::new();
    let deployments = deployment_params(&user, &generated, &mut kept_whole);
    if !deployments.is_empty() {
        sections.push(("model_list".to_string(), Value::Seq(deployments)));
    }
    if sections.is_empty() {
        return None;
    }
    let lifted: Vec<String> = sections.iter().map(|(k, _)| format!("`{k}`")).collect();
    notes.push(format!(
        "{}: create with the LiteLLM settings of {path} that the sources cannot express ({}), so that `aiblint generate` keeps them",
        FileKind::LitellmSettings.file_name(),
        lifted.join(", ")
    ));
    if !kept_whole.is_empty() {
        kept_whole.dedup();
        let names: Vec<String> = kept_whole.iter().map(|n| format!("`{n}`")).collect();
        notes.push(format!(
            "{}: deployments the sources do not define are kept whole under `model_list` ({}); `aiblint generate` writes them as they are: define their models in providers.yaml to have them checked",
            FileKind::LitellmSettings.file_name(),
            names.join(", ")
        ));
    }
    if !left.is_empty() {
        let items: String = left.iter().map(|l| format!("\n    - {l}")).collect();
        notes.push(format!("{path}: not lifted:{items}"));
    }
    Some(NewFile {
        kind: FileKind::LitellmSettings,
        text: settings_text(HEADER, sections),
    })
}

/// The sections of a user's LiteLLM config (`user`) that `aiblint generate` must merge in
/// to write what it means, given what it `generated` without them: every section LiteLLM
/// reads but `model_list`, with the routed lists reduced to what is not generated and
/// `general_settings` reduced as the module docs say. What is left behind is described in
/// `left`.
pub fn lift_sections(
    user: &Data,
    generated: &Data,
    left: &mut Vec<String>,
) -> Vec<(String, Value)> {
    let mut sections: Vec<(String, Value)> = Vec::new();
    // The fallback lists LiteLLM uses: the router's, or, when the router has none, those of
    // `litellm_settings` (the Router falls back to the module attribute). They are lifted
    // into `router_settings`, where `aiblint generate` merges them with the generated ones.
    let effective = effective_router(user);
    for (name, value) in user.as_map().unwrap_or_default() {
        match name.as_str() {
            "model_list" => {}
            "router_settings" => {}
            "litellm_settings" => {
                let kept: Vec<(String, Value)> = value
                    .as_map()
                    .unwrap_or_default()
                    .iter()
                    .filter(|(k, _)| !MODULE_FALLBACKS.contains(&k.as_str()))
                    .map(|(k, v)| (k.clone(), value_of(v)))
                    .collect();
                if !kept.is_empty() {
                    sections.push((name.clone(), Value::Map(kept)));
                }
            }
            "general_settings" => {
                let kept = general_settings(value, left);
                if !kept.is_empty() {
                    sections.push((name.clone(), Value::Map(kept)));
                }
            }
            section if SECTIONS.contains(&section) => {
                if !matches!(value, Data::Null) {
                    sections.push((name.clone(), value_of(value)));
                }
            }
            other => left.push(format!("`{other}`: LiteLLM ignores this section")),
        }
    }
    let router = router_settings(&effective, generated, left);
    if !router.is_empty() {
        let at = sections
            .iter()
            .position(|(k, _)| k == "litellm_settings")
            .map_or(0, |i| i + 1);
        sections.insert(at, ("router_settings".to_string(), Value::Map(router)));
    }
    sections
}

/// The text of a litellm-settings.yaml: `header` (comment lines), then each section.
pub fn settings_text(header: &str, sections: Vec<(String, Value)>) -> String {
    let mut text = String::from(header);
    for (key, value) in sections {
        text.push('\n');
        text.push_str(&writer::render(&Value::Map(vec![(key, value)])));
    }
    text
}

/// The `litellm_settings` keys that the Router reads when its own are unset.
const MODULE_FALLBACKS: [&str; 4] = [
    "fallbacks",
    "default_fallbacks",
    "context_window_fallbacks",
    "content_policy_fallbacks",
];

/// `router_settings` with the fallback lists LiteLLM actually uses: the router's own, else
/// (when unset or empty) those of `litellm_settings`, as G441 and `init --from` read them.
fn effective_router(user: &Data) -> Data {
    let mut router: Vec<(String, Data)> = user
        .get("router_settings")
        .and_then(Data::as_map)
        .unwrap_or_default()
        .to_vec();
    for key in MODULE_FALLBACKS {
        // Python's `or`: an empty or null router list lets the module's through.
        let own = router.iter().position(|(k, _)| k == key);
        if own.is_some_and(|i| matches!(&router[i].1, Data::Seq(v) if !v.is_empty())) {
            continue;
        }
        if let Some(v) = user.get("litellm_settings").and_then(|l| l.get(key)) {
            match own {
                Some(i) => router[i].1 = v.clone(),
                None => router.push((key.to_string(), v.clone())),
            }
        }
    }
    Data::Map(router)
}

/// The Router keys of `value`, with the routed lists reduced to what is not generated.
fn router_settings(value: &Data, generated: &Data, left: &mut Vec<String>) -> Vec<(String, Value)> {
    let gen_router = generated.get("router_settings");
    let gen_fallbacks = fallback_lists(gen_router.and_then(|r| r.get("fallbacks")));
    let gen_default: BTreeSet<String> =
        strings(gen_router.and_then(|r| r.get("default_fallbacks")));
    let gen_names: BTreeSet<String> = match generated.get("model_list") {
        Some(Data::Seq(entries)) => entries
            .iter()
            .filter_map(|e| e.get("model_name").and_then(Data::as_str))
            .map(str::to_string)
            .collect(),
        _ => BTreeSet::new(),
    };
    let mut out = Vec::new();
    let mut default_rest: Vec<String> = strings::<Vec<String>>(value.get("default_fallbacks"))
        .into_iter()
        .filter(|t| !gen_default.contains(t))
        .collect();
    for (key, v) in value.as_map().unwrap_or_default() {
        match key.as_str() {
            "default_fallbacks" => {}
            "fallbacks" => {
                let mut rest = Vec::new();
                for (group, targets) in fallback_lists(Some(v)) {
                    let generated = gen_fallbacks
                        .iter()
                        .find(|(g, _)| *g == group)
                        .map(|(_, t)| t.clone())
                        .unwrap_or_default();
                    let missing: Vec<String> = targets
                        .into_iter()
                        .filter(|t| !generated.contains(t))
                        .collect();
                    if missing.is_empty() {
                        continue;
                    }
                    if group == "default" {
                        for t in missing {
                            if !gen_default.contains(&t) && !default_rest.contains(&t) {
                                default_rest.push(t);
                            }
                        }
                        continue;
                    }
                    rest.push(Value::Map(vec![(
                        group,
                        Value::Seq(missing.into_iter().map(Value::Str).collect()),
                    )]));
                }
                if !rest.is_empty() {
                    out.push((key.clone(), Value::Seq(rest)));
                }
            }
            "model_group_alias" => {
                let mut aliases = Vec::new();
                for (alias, target) in v.as_map().unwrap_or_default() {
                    if gen_names.contains(alias) {
                        continue;
                    }
                    match target {
                        Data::Str(_) | Data::Map(_) => aliases.push((alias.clone(), value_of(target))),
                        _ => left.push(format!(
                            "`router_settings.model_group_alias.{alias}`: LiteLLM takes a model name (or `{{model: ...}}`) there, not a list"
                        )),
                    }
                }
                if !aliases.is_empty() {
                    out.push((key.clone(), Value::Map(aliases)));
                }
            }
            k if ROUTER_KEYS.contains(&k) => out.push((key.clone(), value_of(v))),
            other => left.push(format!(
                "`router_settings.{other}`: not a Router setting; LiteLLM drops it"
            )),
        }
    }
    if !default_rest.is_empty() {
        out.push((
            "default_fallbacks".to_string(),
            Value::Seq(default_rest.into_iter().map(Value::Str).collect()),
        ));
    }
    out
}

/// `general_settings` without keys that are commented-out lines turned into keys (`'#
/// master_key': ...`), which no one meant as settings.
fn general_settings(value: &Data, left: &mut Vec<String>) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    let mut commented = 0;
    for (k, v) in value.as_map().unwrap_or_default() {
        if k.trim_start().starts_with('#') {
            commented += 1;
        } else {
            out.push((k.clone(), value_of(v)));
        }
    }
    if commented > 0 {
        left.push(format!(
            "{commented} `general_settings` key(s) that are commented-out lines (`'# ...'`)"
        ));
    }
    out
}

/// For each `model_name` of the user's config, the `litellm_params` its deployments set
/// that the generated ones do not have (or have with another value); deployments of a name
/// the sources do not generate at all are kept whole (their names go to `kept_whole`).
fn deployment_params(user: &Data, generated: &Data, kept_whole: &mut Vec<String>) -> Vec<Value> {
    let entries = |d: &Data| match d.get("model_list") {
        Some(Data::Seq(e)) => e.clone(),
        _ => Vec::new(),
    };
    let generated = entries(generated);
    let mut out: Vec<Value> = Vec::new();
    let mut seen = BTreeSet::new();
    for entry in entries(user) {
        let Some(name) = entry.get("model_name").and_then(Data::as_str) else {
            continue;
        };
        let gen_params: Vec<&Data> = generated
            .iter()
            .filter(|g| g.get("model_name").and_then(Data::as_str) == Some(name))
            .filter_map(|g| g.get("litellm_params"))
            .collect();
        if gen_params.is_empty() {
            // A deployment the sources do not generate: kept whole, so that nothing is lost.
            if let Some(params) = entry
                .get("litellm_params")
                .filter(|p| p.get("model").is_some())
            {
                let mut kept = vec![
                    ("model_name".to_string(), Value::str(name)),
                    ("litellm_params".to_string(), value_of(params)),
                ];
                if let Some(info) = entry.get("model_info").filter(|i| i.as_map().is_some()) {
                    kept.push(("model_info".to_string(), value_of(info)));
                }
                out.push(Value::Map(kept));
                kept_whole.push(name.to_string());
            }
            continue;
        }
        if !seen.insert(name.to_string()) {
            continue;
        }
        let extra: Vec<(String, Value)> = entry
            .get("litellm_params")
            .and_then(Data::as_map)
            .unwrap_or_default()
            .iter()
            .filter(|(k, _)| !GENERATED_PARAMS.contains(&k.as_str()))
            .filter(|(k, v)| !gen_params.iter().all(|g| g.get(k) == Some(v)))
            .map(|(k, v)| (k.clone(), value_of(v)))
            .collect();
        if !extra.is_empty() {
            out.push(Value::Map(vec![
                ("model_name".to_string(), Value::str(name)),
                ("litellm_params".to_string(), Value::Map(extra)),
            ]));
        }
    }
    out
}

fn fallback_lists(value: Option<&Data>) -> Vec<(String, Vec<String>)> {
    let Some(Data::Seq(items)) = value else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(Data::as_map)
        .flatten()
        .map(|(group, targets)| (group.clone(), strings(Some(targets))))
        .collect()
}

/// The strings of a list, in order.
fn strings<T: FromIterator<String>>(value: Option<&Data>) -> T {
    match value {
        Some(Data::Seq(items)) => items
            .iter()
            .filter_map(Data::as_str)
            .map(str::to_string)
            .collect(),
        _ => std::iter::empty().collect(),
    }
}
