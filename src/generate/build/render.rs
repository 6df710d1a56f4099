//! The generated config as YAML text: deployments, settings sections and their comments.

use super::routes::{extend_fallbacks, Fallbacks};
use super::{Builder, Deployment, HEADER, NUM_RETRIES, REQUEST_TIMEOUT, ROUTING_STRATEGY};
use crate::model::data::Data;
use crate::model::Provider;
use crate::syntax::writer::{self as yaml, Value};

impl Deployment<'_> {
    pub(super) fn to_value(&self) -> Value {
        let mut params = vec![("model".to_string(), Value::str(self.model()))];
        if let Some(base) = &self.api_base {
            params.push(("api_base".into(), Value::str(&**base)));
        }
        if let Some(key) = &self.api_key {
            params.push(("api_key".into(), Value::str(&**key)));
        }
        if let Some(weight) = self.weight {
            params.push(("weight".into(), Value::Float(weight)));
        }
        let text = self.text.as_deref();
        for (k, v) in text.map_or_else(Vec::new, |t| t.params()) {
            set(&mut params, &k, v);
        }
        let info = text.map_or_else(Vec::new, |t| t.info());
        let entry = Value::Map(vec![
            ("model_name".into(), Value::str(&*self.model_name)),
            ("litellm_params".into(), Value::Map(params)),
            ("model_info".into(), Value::Map(info)),
        ]);
        match text {
            Some(t) if !t.comment.is_empty() => {
                Value::Commented(t.comment.clone(), Box::new(entry))
            }
            _ => entry,
        }
    }
}

/// Sets `key` in an ordered mapping: replaced in place, or appended.
pub(super) fn set(entries: &mut Vec<(String, Value)>, key: &str, value: Value) {
    match entries.iter_mut().find(|(k, _)| k == key) {
        Some(slot) => slot.1 = value,
        None => entries.push((key.to_string(), value)),
    }
}

impl<'a> Builder<'a> {
    pub(super) fn render(
        &self,
        list: &[Deployment<'_>],
        fallbacks: Fallbacks<'a>,
        default: Vec<&'a str>,
    ) -> String {
        let settings = self.sources.settings;
        let user = |section: &str| settings.and_then(|s| s.section(section));

        let mut litellm_settings = vec![
            ("drop_params".to_string(), Value::Bool(true)),
            ("request_timeout".into(), Value::Int(REQUEST_TIMEOUT)),
            ("num_retries".into(), Value::Int(NUM_RETRIES)),
        ];
        if let Some(caching) = &self.sources.providers.caching {
            let mut params = vec![("type".to_string(), Value::str(caching.cache_type.as_str()))];
            if caching.cache_type.value == "redis" {
                params.push(("host".into(), Value::str("os.environ/REDIS_HOST")));
                params.push(("port".into(), Value::str("os.environ/REDIS_PORT")));
            }
            if let Some(ttl) = &caching.ttl {
                params.push(("ttl".into(), number(ttl.value)));
            }
            litellm_settings.push(("cache".into(), Value::Bool(true)));
            litellm_settings.push(("cache_params".into(), Value::Map(params)));
        }
        // LiteLLM reads `litellm_settings.fallbacks` only when the router has none (Router
        // falls back to the module attribute): the generated router lists always win, so the
        // user's lists are merged into them instead.
        merge_into(
            &mut litellm_settings,
            user("litellm_settings"),
            &["fallbacks", "default_fallbacks"],
        );

        let mut fallbacks = fallbacks;
        let mut default = default;
        let mut router_settings =
            vec![("routing_strategy".to_string(), Value::str(ROUTING_STRATEGY))];
        for section in ["router_settings", "litellm_settings"]
            .into_iter()
            .filter_map(user)
        {
            extend_fallbacks(&mut fallbacks, section.get("fallbacks"));
            for target in section
                .get("default_fallbacks")
                .and_then(|d| match d {
                    Data::Seq(items) => Some(items),
                    _ => None,
                })
                .into_iter()
                .flatten()
                .filter_map(Data::as_str)
            {
                if !default.contains(&target) {
                    default.push(target);
                }
            }
        }
        if !fallbacks.is_empty() {
            let entries = fallbacks
                .into_iter()
                .map(|(k, v)| {
                    Value::Map(vec![(
                        k.to_string(),
                        Value::Seq(v.into_iter().map(Value::str).collect()),
                    )])
                })
                .collect();
            router_settings.push(("fallbacks".into(), Value::Seq(entries)));
        }
        if !default.is_empty() {
            let entries = default.into_iter().map(Value::str).collect();
            router_settings.push(("default_fallbacks".into(), Value::Seq(entries)));
        }
        merge_into(
            &mut router_settings,
            user("router_settings"),
            &["fallbacks", "default_fallbacks"],
        );

        let mut sections = vec![
            ("litellm_settings".to_string(), Value::Map(litellm_settings)),
            ("router_settings".into(), Value::Map(router_settings)),
        ];
        for (name, data) in settings.map_or(&[][..], |s| s.sections.as_slice()) {
            if !matches!(name.as_str(), "litellm_settings" | "router_settings") {
                sections.push((name.value.to_string(), value_of(data)));
            }
        }
        let mut out = String::from(HEADER);
        out.push('\n');
        if list.is_empty() {
            let empty = Value::Map(vec![("model_list".into(), Value::Seq(Vec::new()))]);
            out.push_str(&yaml::render(&empty));
        } else {
            // The deployments one at a time: as values all at once, they held more than
            // the text they become.
            out.push_str("model_list:\n");
            for d in list {
                yaml::render_item(&mut out, &d.to_value(), 2);
            }
        }
        for (key, value) in sections {
            out.push('\n');
            out.push_str(&yaml::render(&Value::Map(vec![(key, value)])));
        }
        out
    }
}

/// Sets every key of the user's `section` in `generated` (a user value replaces the
/// generated one), except the keys in `skip`, which the caller merges itself.
pub(super) fn merge_into(
    generated: &mut Vec<(String, Value)>,
    section: Option<&Data>,
    skip: &[&str],
) {
    for (k, v) in section.and_then(Data::as_map).unwrap_or_default() {
        if !skip.contains(&k.as_str()) {
            set(generated, k, value_of(v));
        }
    }
}

/// A free-form value as the writer's value (also `migrate`'s, for the settings it lifts).
pub fn value_of(data: &Data) -> Value {
    match data {
        Data::Null => Value::Null,
        Data::Bool(b) => Value::Bool(*b),
        Data::Int(i) => Value::Int(*i),
        Data::Float(f) => Value::Float(*f),
        Data::Str(s) => Value::str(s),
        Data::Seq(items) => Value::Seq(items.iter().map(value_of).collect()),
        Data::Map(entries) => Value::Map(
            entries
                .iter()
                .map(|(k, v)| (k.clone(), value_of(v)))
                .collect(),
        ),
    }
}

pub(super) fn provider_comment(provider: &Provider) -> String {
    let mut comment = format!(
        "{} ({})",
        provider.id.value,
        provider.provider_type().unwrap_or("?")
    );
    if let Some(url) = &provider.base_url {
        comment += &format!(" at {}", url.value.trim());
    }
    comment
}

/// Whole numbers as integers, others as floats.
pub(super) fn number(n: f64) -> Value {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        Value::Int(n as i64)
    } else {
        Value::Float(n)
    }
}
