//! The shapes of `fallbacks`, `context_window_fallbacks` and `model_group_alias` as the
//! Router reads them.

use compact_str::CompactString;

use super::shapes::json_string;
use super::{spanned, Validator};
use crate::model::Spanned;
use crate::syntax::Node;
use crate::text::TextRange;

/// One item of a fallback list (`router_settings.fallbacks`, `context_window_fallbacks`,
/// `content_policy_fallbacks`, or the same under `litellm_settings`).
#[derive(Clone, Debug, PartialEq)]
pub struct FallbackEntry {
    /// Where the list is: `router_settings.fallbacks`.
    pub list: &'static str,
    pub range: TextRange,
    pub shape: FallbackShape,
}

#[derive(Clone, Debug, PartialEq)]
pub enum FallbackShape {
    /// `- <group>: [<fallback>, ...]`.
    Group {
        group: Spanned<CompactString>,
        fallbacks: Vec<Spanned<CompactString>>,
    },
    /// Anything else: LiteLLM refuses such a list at startup, or never matches it.
    Wrong {
        why: String,
        /// The item is not a mapping of one key (what LiteLLM refuses at startup).
        not_one_key: bool,
        /// The item rewritten in the right shape, when its content says how
        /// (`{model: a, fallback_models: [b]}` → `- a: [b]`).
        rewritten: Option<String>,
    },
}

/// A `model_group_alias` entry: `alias: group` or `alias: {model: group, hidden: bool}`.
#[derive(Clone, Debug, PartialEq)]
pub struct AliasEntry {
    pub alias: Spanned<CompactString>,
    /// The group it stands for; `None` when the value has another shape (a list).
    pub target: Option<Spanned<CompactString>>,
    pub value_range: TextRange,
    pub found: &'static str,
}

impl Validator {
    pub(super) fn aliases(&mut self, value: &Node) {
        for e in value.entries() {
            let Some(alias) = e.key.scalar_text() else {
                continue;
            };
            let target = match e.value.as_mapping() {
                Some(_) => e.value.get("model").and_then(spanned),
                None => spanned(&e.value),
            };
            self.aliases.push(AliasEntry {
                alias: Spanned::new(CompactString::from(alias), e.key.range),
                target,
                value_range: e.value.range,
                found: e.value.type_name(),
            });
        }
    }

    /// The fallback lists of a `router_settings` or `litellm_settings` block.
    pub(super) fn fallbacks(&mut self, block: &Node, block_name: &str) {
        // The list's place once for all its items, not a copy per item.
        let lists: [(&str, &'static str); 3] = if block_name == "litellm_settings" {
            [
                ("fallbacks", "litellm_settings.fallbacks"),
                (
                    "context_window_fallbacks",
                    "litellm_settings.context_window_fallbacks",
                ),
                (
                    "content_policy_fallbacks",
                    "litellm_settings.content_policy_fallbacks",
                ),
            ]
        } else {
            [
                ("fallbacks", "router_settings.fallbacks"),
                (
                    "context_window_fallbacks",
                    "router_settings.context_window_fallbacks",
                ),
                (
                    "content_policy_fallbacks",
                    "router_settings.content_policy_fallbacks",
                ),
            ]
        };
        for (list_name, place) in lists {
            let Some(list) = block.get(list_name) else {
                continue;
            };
            let Some(items) = list.as_sequence() else {
                continue; // reported as a wrong type
            };
            for item in items {
                let shape = fallback_shape(item);
                self.fallbacks.push(FallbackEntry {
                    list: place,
                    range: item.range,
                    shape,
                });
            }
        }
        if let Some(items) = block.get("default_fallbacks").and_then(Node::as_sequence) {
            self.default_fallbacks
                .extend(items.iter().filter_map(spanned));
        }
    }
}

pub(super) fn fallback_shape(item: &Node) -> FallbackShape {
    let Some(entries) = item.as_mapping() else {
        return FallbackShape::Wrong {
            why: format!("this item is {}", item.type_name()),
            not_one_key: true,
            rewritten: None,
        };
    };
    if entries.len() != 1 {
        let keys: Vec<String> = entries
            .iter()
            .filter_map(|e| e.key.scalar_text())
            .map(|k| format!("`{k}`"))
            .collect();
        // `{model: a, fallback_models: [b, c]}`: one string and one list of strings.
        let group = entries.iter().find_map(|e| e.value.as_str());
        let list: Option<Vec<&str>> = entries
            .iter()
            .find_map(|e| e.value.as_sequence())
            .map(|items| items.iter().filter_map(Node::as_str).collect());
        let rewritten = match (group, list) {
            (Some(g), Some(l)) if entries.len() == 2 && !l.is_empty() => Some(format!(
                "- {}: [{}]",
                json_string(g),
                l.iter()
                    .map(|f| json_string(f))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
            _ => None,
        };
        return FallbackShape::Wrong {
            why: format!(
                "this item has {} keys ({}), not one model group",
                entries.len(),
                keys.join(", ")
            ),
            not_one_key: true,
            rewritten,
        };
    }
    let entry = &entries[0];
    let Some(group) = spanned(&entry.key) else {
        return FallbackShape::Wrong {
            why: "its key is not a model group name".to_string(),
            not_one_key: false,
            rewritten: None,
        };
    };
    let fallbacks = match entry.value.as_sequence() {
        Some(items) => crate::alloc::exact_len(items.iter().filter_map(spanned).collect()),
        None => {
            let rewritten = entry
                .value
                .as_str()
                .map(|f| format!("- {}: [{}]", json_string(&group.value), json_string(f)));
            return FallbackShape::Wrong {
                why: format!(
                    "the fallbacks of `{}` are {}, not a list",
                    group.value,
                    entry.value.type_name()
                ),
                not_one_key: false,
                rewritten,
            };
        }
    };
    FallbackShape::Group { group, fallbacks }
}
