//! Checks a LiteLLM config (or one of its sections) against the catalogue and records what
//! LiteLLM would do with each key it does not read: ignore it, drop it, crash on it. The
//! G4xx rules turn the issues into diagnostics.

use super::catalogue::{catalogue, KeyType, Section, UnknownKeys};
use crate::diagnostic::{edit_distance, suggest};
use crate::model::Spanned;
use crate::syntax::{Node, NodeKind, ScalarStyle, Value};
use crate::text::TextRange;

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

/// One item of a fallback list (`router_settings.fallbacks`, `context_window_fallbacks`,
/// `content_policy_fallbacks`, or the same under `litellm_settings`).
#[derive(Clone, Debug, PartialEq)]
pub struct FallbackEntry {
    /// Where the list is: `router_settings.fallbacks`.
    pub list: String,
    pub range: TextRange,
    pub shape: FallbackShape,
}

#[derive(Clone, Debug, PartialEq)]
pub enum FallbackShape {
    /// `- <group>: [<fallback>, ...]`.
    Group {
        group: Spanned<String>,
        fallbacks: Vec<Spanned<String>>,
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
    pub alias: Spanned<String>,
    /// The group it stands for; `None` when the value has another shape (a list).
    pub target: Option<Spanned<String>>,
    pub value_range: TextRange,
    pub found: &'static str,
}

/// Everything the validator found in one LiteLLM config.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Analysis {
    pub issues: Vec<LitellmIssue>,
    pub fallbacks: Vec<FallbackEntry>,
    /// `default_fallbacks` of `router_settings` and `litellm_settings`.
    pub default_fallbacks: Vec<Spanned<String>>,
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
    default_fallbacks: Vec<Spanned<String>>,
    aliases: Vec<AliasEntry>,
}

/// Keys written as comments (`'# master_key': ...`): ignored by LiteLLM, as their author
/// meant.
fn is_comment_key(key: &str) -> bool {
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

    fn aliases(&mut self, value: &Node) {
        for e in value.entries() {
            let Some(alias) = e.key.scalar_text() else {
                continue;
            };
            let target = match e.value.as_mapping() {
                Some(_) => e.value.get("model").and_then(spanned),
                None => spanned(&e.value),
            };
            self.aliases.push(AliasEntry {
                alias: Spanned::new(alias.to_string(), e.key.range),
                target,
                value_range: e.value.range,
                found: e.value.type_name(),
            });
        }
    }

    /// The fallback lists of a `router_settings` or `litellm_settings` block.
    fn fallbacks(&mut self, block: &Node, block_name: &str) {
        for list_name in [
            "fallbacks",
            "context_window_fallbacks",
            "content_policy_fallbacks",
        ] {
            let Some(list) = block.get(list_name) else {
                continue;
            };
            let Some(items) = list.as_sequence() else {
                continue; // reported as a wrong type
            };
            for item in items {
                let shape = fallback_shape(item);
                self.fallbacks.push(FallbackEntry {
                    list: format!("{block_name}.{list_name}"),
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
    candidates
        .filter_map(|known| {
            let max = match known.chars().count() {
                0..=3 => 0,
                4..=7 => 1,
                _ => 2,
            };
            let distance = edit_distance(&key, &normalize(known), max)?;
            fits(known).then_some((distance, known))
        })
        .min()
        .map(|(_, known)| known)
}

fn spanned(node: &Node) -> Option<Spanned<String>> {
    node.as_scalar()
        .map(|s| Spanned::new(s.value.to_string(), node.range))
}

fn fallback_shape(item: &Node) -> FallbackShape {
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
        Some(items) => items.iter().filter_map(spanned).collect(),
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

/// A name as a double-quoted YAML (and JSON) string.
fn json_string(s: &str) -> String {
    serde_json::Value::String(s.to_string()).to_string()
}

enum Nested {
    Map(Section),
    List(Section),
    Dict(Section),
    /// A section whose entries the catalogue does not list: only its shape is checked.
    Shape(KeyType),
}

fn nested_section(section: Section, key: &str) -> Option<Nested> {
    Some(match (section, key) {
        (Section::Top, "model_list") => Nested::List(Section::Deployment),
        (Section::Top, "router_settings") => Nested::Map(Section::RouterSettings),
        (Section::Top, "general_settings") => Nested::Map(Section::GeneralSettings),
        (Section::Top, "litellm_settings") => Nested::Map(Section::LitellmSettings),
        (Section::Top, "guardrails") => Nested::List(Section::Guardrail),
        (Section::Top, "credential_list") => Nested::List(Section::Credential),
        (Section::Top, "mcp_servers") => Nested::Dict(Section::McpServer),
        (Section::Top, "include") => Nested::Shape(KeyType::List),
        (Section::Top, "environment_variables" | "callback_settings") => {
            Nested::Shape(KeyType::Dict)
        }
        (Section::Deployment, "litellm_params") => Nested::Map(Section::LitellmParams),
        (Section::Deployment, "model_info") => Nested::Map(Section::ModelInfo),
        (Section::LitellmSettings, "cache_params") => Nested::Map(Section::CacheParams),
        (Section::RouterSettings, "retry_policy") => Nested::Map(Section::RetryPolicy),
        (Section::RouterSettings, "allowed_fails_policy") => {
            Nested::Map(Section::AllowedFailsPolicy)
        }
        (Section::RouterSettings, "model_group_retry_policy") => Nested::Dict(Section::RetryPolicy),
        _ => return None,
    })
}

/// The enums LiteLLM enforces: an invalid value stops the proxy, or the deployment's
/// health checks, or the cache.
fn enum_of(section: Section, key: &str) -> Option<&'static str> {
    match (section, key) {
        (Section::RouterSettings, "routing_strategy") => Some("routing_strategy"),
        (Section::CacheParams, "type") => Some("cache_type"),
        (Section::ModelInfo, "mode") => Some("model_info_mode"),
        (Section::McpServer, "transport") => Some("mcp_transport"),
        _ => None,
    }
}

/// Whether a value of this shape fits the key `suggestion` (never suggest a list-valued
/// key for a scalar, or the reverse).
fn same_shape(section: Section, suggestion: &str, value: &Node) -> bool {
    if section == Section::Top {
        return true;
    }
    match catalogue().key(section, suggestion).map(|i| i.ty) {
        Some(KeyType::List) => value.as_sequence().is_some() || value.is_null(),
        Some(KeyType::Dict) => value.as_mapping().is_some() || value.is_null(),
        Some(KeyType::Bool | KeyType::Int | KeyType::Float | KeyType::Str) => {
            value.as_scalar().is_some()
        }
        _ => true,
    }
}

/// What a value should have been, when it is clearly not of type `ty`. Lenient where
/// Python is: numbers in strings, YAML 1.1 booleans (`yes`, `off`) that PyYAML reads.
fn type_mismatch(ty: KeyType, value: &Node) -> Option<&'static str> {
    let scalar = value.as_scalar();
    if scalar.is_some_and(|s| s.value.starts_with("os.environ/")) {
        return None;
    }
    let resolved = scalar.map(|s| (s.resolve(), s.style));
    match ty {
        KeyType::List => value.as_sequence().is_none().then_some("a list"),
        KeyType::Dict => value.as_mapping().is_none().then_some("a mapping"),
        KeyType::Bool => match resolved {
            Some((Value::Bool(_), _)) => None,
            Some((Value::Str(s), ScalarStyle::Plain)) if yaml11_bool(s) => None,
            _ => Some("a boolean (`true` or `false`)"),
        },
        KeyType::Int | KeyType::Float => match resolved {
            Some((Value::Int(_) | Value::Float(_), _)) => None,
            Some((Value::Str(s), _)) if s.trim().parse::<f64>().is_ok() => None,
            _ if ty == KeyType::Int => Some("an integer"),
            _ => Some("a number"),
        },
        KeyType::Str => scalar.is_none().then_some("a string"),
        KeyType::Any => None,
    }
}

fn yaml11_bool(s: &str) -> bool {
    matches!(
        s,
        "yes" | "Yes" | "YES" | "no" | "No" | "NO" | "on" | "On" | "ON" | "off" | "Off" | "OFF"
    )
}

/// Calls `f` with every string scalar of a LiteLLM config and the keys that lead to it
/// (list items add no key), skipping keys written as comments (`'# master_key': ...`).
pub fn walk_strings<'n>(node: &'n Node, f: &mut impl FnMut(&[&'n str], &'n Node)) {
    fn go<'n>(
        node: &'n Node,
        path: &mut Vec<&'n str>,
        depth: usize,
        f: &mut impl FnMut(&[&'n str], &'n Node),
    ) {
        if depth > 64 {
            return;
        }
        match &node.kind {
            NodeKind::Scalar(_) if node.as_str().is_some() => f(path, node),
            NodeKind::Mapping(entries) => {
                for e in entries {
                    let Some(key) = e.key.scalar_text() else {
                        continue;
                    };
                    if is_comment_key(key) {
                        continue;
                    }
                    path.push(key);
                    go(&e.value, path, depth + 1, f);
                    path.pop();
                }
            }
            NodeKind::Sequence(items) => {
                for item in items {
                    go(item, path, depth + 1, f);
                }
            }
            // An alias's target is walked where it is defined.
            _ => {}
        }
    }
    go(node, &mut Vec::new(), 0, f);
}

/// What is wrong with a string meant to name an environment variable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EnvProblem {
    /// `${NAME}` or `$NAME`, which LiteLLM never expands.
    ShellSyntax { name: String },
    /// `os.environ.NAME`, `os.environ[...]`, `os.getenv(...)`, or `os.environ/` with a
    /// name that no variable can have.
    Malformed { name: Option<String> },
}

/// Whether a whole string value is an environment reference LiteLLM does not resolve.
pub fn env_reference(value: &str) -> Option<EnvProblem> {
    let v = value.trim();
    let is_name = |n: &str| {
        !n.is_empty()
            && !n.starts_with(|c: char| c.is_ascii_digit())
            && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    };
    if let Some(name) = v.strip_prefix("os.environ/") {
        if is_name(name) {
            return None;
        }
        let inner = name
            .trim_start_matches("${")
            .trim_start_matches('$')
            .trim_end_matches('}');
        return Some(EnvProblem::Malformed {
            name: is_name(inner).then(|| inner.to_string()),
        });
    }
    if let Some(inner) = v.strip_prefix("${").and_then(|r| r.strip_suffix('}')) {
        // `${NAME:-default}` and `${NAME-default}` name a variable too.
        let name = inner.split([':', '-']).next().unwrap_or("");
        if is_name(name) {
            return Some(EnvProblem::ShellSyntax {
                name: name.to_string(),
            });
        }
    }
    if let Some(name) = v.strip_prefix('$') {
        if is_name(name) && name.chars().any(|c| c.is_ascii_alphabetic()) {
            return Some(EnvProblem::ShellSyntax {
                name: name.to_string(),
            });
        }
    }
    for prefix in ["os.environ.", "os.environ[", "os.getenv("] {
        if let Some(rest) = v.strip_prefix(prefix) {
            let name = rest.trim_matches(|c: char| "\"'[]()".contains(c));
            return Some(EnvProblem::Malformed {
                name: is_name(name).then(|| name.to_string()),
            });
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse;

    fn issues(yaml: &str) -> Vec<LitellmIssueKind> {
        let p = parse(yaml);
        analyze(p.root.as_ref().unwrap())
            .issues
            .into_iter()
            .map(|i| i.kind)
            .collect()
    }

    #[test]
    fn reads_sections_as_litellm_does() {
        let found = issues(
            "model_list: []\nserver_settings: {port: 4000}\ngeneral_settings:\n  # nothing\nrouter_setings: {}\n",
        );
        assert_eq!(
            found,
            vec![
                LitellmIssueKind::IgnoredKey {
                    key: "server_settings".into(),
                    section: Section::Top
                },
                LitellmIssueKind::UnknownKey {
                    key: "router_setings".into(),
                    section: Section::Top,
                    suggestion: "router_settings"
                },
            ]
        );
    }

    #[test]
    fn misplaced_keys_name_their_section() {
        let found = issues(
            "litellm_settings:\n  master_key: os.environ/K\nrouter_settings:\n  health_check_interval: 30\n",
        );
        assert!(matches!(
            &found[0],
            LitellmIssueKind::MisplacedKey {
                belongs: Section::GeneralSettings,
                crashes: false,
                ..
            }
        ));
        assert!(matches!(
            &found[1],
            LitellmIssueKind::MisplacedKey {
                belongs: Section::GeneralSettings,
                crashes: true,
                ..
            }
        ));
    }

    #[test]
    fn values_and_required_keys() {
        let found = issues(
            "model_list:\n  - model_name: a\n  - model_name: b\n    litellm_params: {api_base: x}\nrouter_settings:\n  routing_strategy: least_busy\n  num_retries: [1]\n",
        );
        assert_eq!(found.len(), 4, "{found:?}");
        assert!(matches!(
            &found[0],
            LitellmIssueKind::MissingKey {
                key: "litellm_params",
                ..
            }
        ));
        assert!(matches!(
            &found[1],
            LitellmIssueKind::MissingKey { key: "model", .. }
        ));
        assert!(matches!(
            &found[2],
            LitellmIssueKind::BadEnum {
                suggestion: Some("least-busy"),
                ..
            }
        ));
        assert!(matches!(&found[3], LitellmIssueKind::WrongType { .. }));
    }

    #[test]
    fn environment_references() {
        assert_eq!(
            env_reference("${OPENAI_API_KEY}"),
            Some(EnvProblem::ShellSyntax {
                name: "OPENAI_API_KEY".into()
            })
        );
        assert_eq!(
            env_reference("$KEY"),
            Some(EnvProblem::ShellSyntax { name: "KEY".into() })
        );
        assert_eq!(env_reference("os.environ/KEY"), None);
        assert_eq!(
            env_reference("os.environ/${KEY}"),
            Some(EnvProblem::Malformed {
                name: Some("KEY".into())
            })
        );
        assert_eq!(env_reference("$5 per month"), None);
        assert_eq!(env_reference("sk-1234"), None);
    }
}
