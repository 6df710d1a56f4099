//! Checks a LiteLLM config (or one of its sections) against the catalogue and records what
//! LiteLLM would do with each key it does not read: ignore it, drop it, crash on it. The
//! G4xx rules turn the issues into diagnostics.

use super::catalogue::{catalogue, KeyType, Section, UnknownKeys};
use crate::diagnostic::{edit_distance, suggest};
use crate::model::Spanned;
use crate::syntax::{Node, NodeKind};
use crate::text::TextRange;
use compact_str::CompactString;

mod env;
mod fallbacks;
mod shapes;
#[cfg(test)]
mod tests;

pub use env::{env_reference, walk_strings, EnvProblem};
pub use fallbacks::{AliasEntry, FallbackEntry, FallbackShape};
use shapes::{enum_of, nested_section, same_shape, type_mismatch, Nested};

#[derive(Clone, Debug, PartialEq)]
pub enum LitellmIssueKind {
    /// A key close to one LiteLLM reads in the same section: a typo.
    UnknownKey {
        key: String,
        section: Section,
        suggestion: &'static str,
    },
    /// A key LiteLLM reads and then ignores, drops or sets where nothing reads it.
    IgnoredKey { key: String, section: Section },
    /// A key of another section (`master_key` under `litellm_settings`).
    MisplacedKey {
        key: String,
        section: Section,
        belongs: Section,
        /// LiteLLM refuses to start (`health_check_interval` in `router_settings`).
        crashes: bool,
    },
    /// A value of the wrong type (`fallbacks: gpt-4o`, `cache: "false"`).
    WrongType {
        key: String,
        expected: &'static str,
        found: &'static str,
    },
    /// A value outside one of LiteLLM's enums.
    BadEnum {
        key: String,
        value: String,
        allowed: Vec<&'static str>,
        suggestion: Option<&'static str>,
    },
    /// A key LiteLLM needs (`litellm_params` of a deployment, its `model`).
    MissingKey {
        key: &'static str,
        context: &'static str,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub struct LitellmIssue {
    pub kind: LitellmIssueKind,
    /// The key (unknown, ignored, misplaced), the value (type, enum) or the mapping's key
    /// (missing).
    pub range: TextRange,
    /// The whole entry (key and value) for issues about a key, for fixes that move it.
    pub entry: Option<TextRange>,
}

/// Everything the validator found in one LiteLLM config.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Analysis {
    pub issues: Vec<LitellmIssue>,
    pub fallbacks: Vec<FallbackEntry>,
    /// `default_fallbacks` of `router_settings` and `litellm_settings`.
    pub default_fallbacks: Vec<Spanned<CompactString>>,
    pub aliases: Vec<AliasEntry>,
}

/// Validates a whole LiteLLM config.
pub fn analyze(root: &Node) -> Analysis {
    let mut v = Validator::default();
    if root.as_mapping().is_some() {
        v.map(root, Section::Top);
        for name in ["router_settings", "litellm_settings"] {
            if let Some(block) = root.get(name) {
                v.fallbacks(block, name);
            }
        }
    }
    Analysis {
        issues: v.issues,
        fallbacks: v.fallbacks,
        default_fallbacks: v.default_fallbacks,
        aliases: v.aliases,
    }
}

/// Validates one mapping as LiteLLM's section `section` (for settings blocks embedded in
/// other files): the issues of the mapping and of what it nests. Null is an empty section.
pub fn validate_section(node: &Node, section: Section) -> Vec<LitellmIssue> {
    let mut v = Validator::default();
    if node.is_null() {
        return Vec::new();
    }
    if node.as_mapping().is_none() {
        v.wrong_type(node, "", "a mapping");
        return v.issues;
    }
    v.map(node, section);
    v.issues
}

#[derive(Default)]
struct Validator {
    issues: Vec<LitellmIssue>,
    fallbacks: Vec<FallbackEntry>,
    default_fallbacks: Vec<Spanned<CompactString>>,
    aliases: Vec<AliasEntry>,
}

/// Keys written as comments (`'# master_key': ...`): ignored by LiteLLM, as their author
/// meant.
pub(super) fn is_comment_key(key: &str) -> bool {
    key.starts_with('#') || key.starts_with("x-")
}

/// Where else a key unknown in `section` may belong, in the order to suggest.
fn other_homes(section: Section) -> &'static [Section] {
    match section {
        Section::Top => &[
            Section::GeneralSettings,
            Section::LitellmSettings,
            Section::RouterSettings,
        ],
        Section::GeneralSettings => &[Section::LitellmSettings, Section::RouterSettings],
        Section::LitellmSettings => &[Section::GeneralSettings, Section::RouterSettings],
        Section::RouterSettings => &[Section::GeneralSettings, Section::LitellmSettings],
        Section::Deployment => &[Section::LitellmParams],
        _ => &[],
    }
}

impl Validator {
    fn push(&mut self, kind: LitellmIssueKind, range: TextRange, entry: Option<TextRange>) {
        self.issues.push(LitellmIssue { kind, range, entry });
    }

    fn wrong_type(&mut self, node: &Node, key: &str, expected: &'static str) {
        self.push(
            LitellmIssueKind::WrongType {
                key: key.to_string(),
                expected,
                found: node.type_name(),
            },
            node.range,
            None,
        );
    }

    fn map(&mut self, node: &Node, section: Section) {
        let cat = catalogue();
        let entries = node.entries();
        for entry in entries.iter().copied() {
            let Some(key) = entry.key.scalar_text() else {
                continue;
            };
            if is_comment_key(key) {
                continue;
            }
            let whole = Some(entry.range());
            if cat.has_key(section, key) {
                self.value(section, key, &entry.value);
                continue;
            }
            let crashes = section == Section::RouterSettings
                && matches!(key, "health_check_interval" | "health_check_concurrency");
            if let Some(belongs) = other_homes(section)
                .iter()
                .copied()
                .find(|s| cat.has_key(*s, key))
            {
                self.push(
                    LitellmIssueKind::MisplacedKey {
                        key: key.to_string(),
                        section,
                        belongs,
                        crashes,
                    },
                    entry.key.range,
                    whole,
                );
                continue;
            }
            // `model_info` is free metadata as much as settings: any key is kept, and a
            // near miss of a known key (`provider`, `note`) is more often a label of the
            // user's own than a typo.
            if section == Section::ModelInfo {
                continue;
            }
            let taken = |k: &str| entries.iter().any(|e| e.key.scalar_text() == Some(k));
            let candidates = cat.keys(section).iter().copied().filter(|k| !taken(k));
            if let Some(suggestion) =
                typo_of(key, candidates, |k| same_shape(section, k, &entry.value))
            {
                self.push(
                    LitellmIssueKind::UnknownKey {
                        key: key.to_string(),
                        section,
                        suggestion,
                    },
                    entry.key.range,
                    whole,
                );
                continue;
            }
            match section.unknown_keys() {
                UnknownKeys::Kept | UnknownKeys::Forwarded => {}
                UnknownKeys::Ignored
                | UnknownKeys::Warned
                | UnknownKeys::SetAttr
                | UnknownKeys::Dropped => self.push(
                    LitellmIssueKind::IgnoredKey {
                        key: key.to_string(),
                        section,
                    },
                    entry.key.range,
                    whole,
                ),
            }
        }
    }

    /// Checks the value of a key the section knows, and walks into nested sections.
    fn value(&mut self, section: Section, key: &str, value: &Node) {
        if value.is_null() || matches!(value.resolved().kind, NodeKind::Alias(_)) {
            return;
        }
        if let Some(nested) = nested_section(section, key) {
            match nested {
                Nested::Map(s) => match value.as_mapping() {
                    Some(_) => self.map(value, s),
                    None => self.wrong_type(value, key, "a mapping"),
                },
                Nested::List(s) => match value.as_sequence() {
                    Some(items) => {
                        for item in items {
                            if item.as_mapping().is_some() {
                                self.item(item, s);
                            } else if !item.is_null() {
                                self.wrong_type(item, key, "a mapping");
                            }
                        }
                    }
                    None => self.wrong_type(value, key, "a list"),
                },
                Nested::Dict(s) => match value.as_mapping() {
                    Some(_) => {
                        for e in value.entries() {
                            if e.value.as_mapping().is_some() {
                                self.map(&e.value, s);
                            } else if !e.value.is_null() {
                                self.wrong_type(&e.value, key, "a mapping");
                            }
                        }
                    }
                    None => self.wrong_type(value, key, "a mapping"),
                },
                Nested::Shape(expected) => {
                    let ok = match expected {
                        KeyType::List => value.as_sequence().is_some(),
                        _ => value.as_mapping().is_some(),
                    };
                    if !ok {
                        let name = if expected == KeyType::List {
                            "a list"
                        } else {
                            "a mapping"
                        };
                        self.wrong_type(value, key, name);
                    }
                }
            }
            return;
        }
        if let Some(enum_name) = enum_of(section, key) {
            self.enum_value(key, value, enum_name);
            return;
        }
        let Some(info) = catalogue().key(section, key) else {
            return;
        };
        if section == Section::RouterSettings && key == "model_group_alias" {
            self.aliases(value);
        }
        if let Some(expected) = type_mismatch(info.ty, value) {
            self.wrong_type(value, key, expected);
        }
    }

    /// A list item that is a section of its own (a deployment, a guardrail, ...).
    fn item(&mut self, item: &Node, section: Section) {
        self.map(item, section);
        let anchor = item.range;
        let at = TextRange::empty(anchor.start as usize);
        if section == Section::Deployment {
            match item.get_entry("litellm_params") {
                None => self.push(
                    LitellmIssueKind::MissingKey {
                        key: "litellm_params",
                        context: "model_list entry",
                    },
                    item.get_entry("model_name").map_or(at, |e| e.key.range),
                    None,
                ),
                Some(params) if params.value.as_mapping().is_some() => {
                    if params.value.get("model").is_none() {
                        self.push(
                            LitellmIssueKind::MissingKey {
                                key: "model",
                                context: "litellm_params",
                            },
                            params.key.range,
                            None,
                        );
                    }
                }
                Some(_) => {}
            }
            if item.get("model_name").is_none() {
                self.push(
                    LitellmIssueKind::MissingKey {
                        key: "model_name",
                        context: "model_list entry",
                    },
                    at,
                    None,
                );
            }
        }
    }

    fn enum_value(&mut self, key: &str, value: &Node, enum_name: &str) {
        let values: Vec<&Node> = match value.as_sequence() {
            // A guardrail may run in several modes.
            Some(items) if enum_name == "guardrail_mode" => items.iter().collect(),
            _ => vec![value],
        };
        let cat = catalogue();
        let allowed = cat.enum_values(enum_name);
        for v in values {
            if v.as_str().is_some_and(|s| s.starts_with("os.environ/")) {
                continue;
            }
            let Some(text) = v.scalar_text() else {
                self.wrong_type(v, key, "a string");
                continue;
            };
            if allowed.contains(&text) {
                continue;
            }
            let suggestion = suggest(text, allowed.iter().copied());
            let key = match enum_name {
                "cache_type" => "cache_params.type",
                "model_info_mode" => "model_info.mode",
                _ => key,
            };
            self.push(
                LitellmIssueKind::BadEnum {
                    key: key.to_string(),
                    value: text.to_string(),
                    allowed: allowed.to_vec(),
                    suggestion,
                },
                v.range,
                None,
            );
        }
    }
}

/// The known key that `key` most likely misspells, as aiblint's own tables judge typos: the
/// same key but for case and `-`/`_`, or one edit away (two for keys of eight characters
/// or more; a swap of neighbours counts as one), for a value of a shape the key takes.
/// `enable_cooldowns` is not a typo of `disable_cooldowns`, nor `cooldown` of
/// `cooldown_time`.
fn typo_of<'k>(
    key: &str,
    candidates: impl Iterator<Item = &'k str>,
    fits: impl Fn(&str) -> bool,
) -> Option<&'k str> {
    let normalize = |k: &str| -> String {
        k.chars()
            .flat_map(char::to_lowercase)
            .map(|c| if c == '-' { '_' } else { c })
            .collect()
    };
    let key = normalize(key);
    let key_length = key.chars().count();
    candidates
        .filter_map(|known| {
            let max = match known.chars().count() {
                0..=3 => 0,
                4..=7 => 1,
                _ => 2,
            };
            // No edit distance is below the difference of lengths: most keys are not
            // compared at all.
            let known_length = known.chars().flat_map(char::to_lowercase).count();
            if key_length.abs_diff(known_length) > max {
                return None;
            }
            let distance = edit_distance(&key, &normalize(known), max)?;
            fits(known).then_some((distance, known))
        })
        .min()
        .map(|(_, known)| known)
}

pub(super) fn spanned(node: &Node) -> Option<Spanned<CompactString>> {
    node.as_scalar()
        .map(|s| Spanned::new(s.value.clone(), node.range))
}
