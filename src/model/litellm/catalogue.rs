//! LiteLLM's own catalogue of its proxy config: `catalogue.json`, written by
//! `scripts/litellm-catalogue.py` from the sources of the pinned LiteLLM release, parsed once.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Deserialize;

const DATA: &str = include_str!("catalogue.json");

/// The LiteLLM release the catalogue was read from, as a literal for `concat!` (checked
/// against the data by a test: `aiblint --version` prints it).
#[macro_export]
macro_rules! litellm_version {
    () => {
        "1.110.2"
    };
}

/// The LiteLLM release the catalogue was read from.
pub const LITELLM_VERSION: &str = litellm_version!();

/// The older release whose keys still count as valid.
pub const LITELLM_BASELINE: &str = "1.83.7";

/// A mapping of LiteLLM's config whose keys the catalogue lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Section {
    /// The top level of the file.
    Top,
    RouterSettings,
    GeneralSettings,
    LitellmSettings,
    /// An entry of `model_list`.
    Deployment,
    LitellmParams,
    ModelInfo,
    /// `litellm_settings.cache_params`.
    CacheParams,
    /// `router_settings.retry_policy`.
    RetryPolicy,
    /// `router_settings.allowed_fails_policy`.
    AllowedFailsPolicy,
    /// An entry of `guardrails`.
    Guardrail,
    /// A server of `mcp_servers`.
    McpServer,
    /// An entry of `credential_list`.
    Credential,
}

/// What LiteLLM does with a key it does not know in a section.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnknownKeys {
    /// Silently ignored.
    Ignored,
    /// Logged as a warning, then dropped (`router_settings`).
    Warned,
    /// Set as an attribute of the `litellm` module that nothing reads (`litellm_settings`).
    SetAttr,
    /// Dropped by a pydantic model (`retry_policy`, `allowed_fails_policy`).
    Dropped,
    /// Kept as metadata (`model_list` entries, `model_info`).
    Kept,
    /// Passed on to the provider call or the cache client (`litellm_params`, `cache_params`).
    Forwarded,
}

impl Section {
    pub const ALL: [Section; 13] = [
        Section::Top,
        Section::RouterSettings,
        Section::GeneralSettings,
        Section::LitellmSettings,
        Section::Deployment,
        Section::LitellmParams,
        Section::ModelInfo,
        Section::CacheParams,
        Section::RetryPolicy,
        Section::AllowedFailsPolicy,
        Section::Guardrail,
        Section::McpServer,
        Section::Credential,
    ];

    /// The section's name in `catalogue.json`.
    fn data_name(self) -> &'static str {
        match self {
            Section::Top => "top",
            Section::RouterSettings => "router_settings",
            Section::GeneralSettings => "general_settings",
            Section::LitellmSettings => "litellm_settings",
            Section::Deployment => "model_list[]",
            Section::LitellmParams => "litellm_params",
            Section::ModelInfo => "model_info",
            Section::CacheParams => "cache_params",
            Section::RetryPolicy => "retry_policy",
            Section::AllowedFailsPolicy => "allowed_fails_policy",
            Section::Guardrail => "guardrails[]",
            Section::McpServer => "mcp_servers.*",
            Section::Credential => "credential_list[]",
        }
    }

    /// How messages name the section: `router_settings`, `a model_list entry`.
    pub fn display(self) -> &'static str {
        match self {
            Section::Top => "the top level",
            Section::RouterSettings => "`router_settings`",
            Section::GeneralSettings => "`general_settings`",
            Section::LitellmSettings => "`litellm_settings`",
            Section::Deployment => "a `model_list` entry",
            Section::LitellmParams => "`litellm_params`",
            Section::ModelInfo => "`model_info`",
            Section::CacheParams => "`cache_params`",
            Section::RetryPolicy => "`retry_policy`",
            Section::AllowedFailsPolicy => "`allowed_fails_policy`",
            Section::Guardrail => "a `guardrails` entry",
            Section::McpServer => "an `mcp_servers` entry",
            Section::Credential => "a `credential_list` entry",
        }
    }

    /// The name of a top-level settings block (`router_settings`), for the three of them.
    pub fn block_name(self) -> Option<&'static str> {
        match self {
            Section::RouterSettings => Some("router_settings"),
            Section::GeneralSettings => Some("general_settings"),
            Section::LitellmSettings => Some("litellm_settings"),
            _ => None,
        }
    }

    /// The section a user-written block of this name is, for the top-level settings blocks
    /// that other files may embed (`router_settings:` inside a source file).
    pub fn from_block_name(name: &str) -> Option<Section> {
        match name {
            "router_settings" => Some(Section::RouterSettings),
            "general_settings" => Some(Section::GeneralSettings),
            "litellm_settings" => Some(Section::LitellmSettings),
            _ => None,
        }
    }

    /// "at the top level", "in `router_settings`": where a key is, for messages.
    pub fn place(self) -> String {
        match self {
            Section::Top => "at the top level".to_string(),
            _ => format!("in {}", self.display()),
        }
    }

    pub fn unknown_keys(self) -> UnknownKeys {
        match self {
            Section::Top | Section::GeneralSettings => UnknownKeys::Ignored,
            Section::Guardrail | Section::McpServer | Section::Credential => UnknownKeys::Ignored,
            Section::RouterSettings => UnknownKeys::Warned,
            Section::LitellmSettings => UnknownKeys::SetAttr,
            Section::RetryPolicy | Section::AllowedFailsPolicy => UnknownKeys::Dropped,
            Section::Deployment | Section::ModelInfo => UnknownKeys::Kept,
            Section::LitellmParams | Section::CacheParams => UnknownKeys::Forwarded,
        }
    }
}

/// A value's type as far as the catalogue knows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum KeyType {
    Bool,
    Int,
    Float,
    Str,
    List,
    Dict,
    Any,
}

/// Which releases have a key: both, or only one of them.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct Releases(String);

impl Releases {
    /// Whether the current release has it.
    pub fn current(&self) -> bool {
        self.0 == "both" || self.0 == LITELLM_VERSION
    }

    /// The one release that has it, when only one does.
    pub fn only(&self) -> Option<&str> {
        (self.0 != "both").then_some(self.0.as_str())
    }
}

#[derive(Clone, Debug, Deserialize)]
pub struct KeyInfo {
    #[serde(rename = "type")]
    pub ty: KeyType,
    #[serde(rename = "in")]
    pub releases: Releases,
    #[serde(default)]
    pub values: Option<Vec<String>>,
}

#[derive(Debug, Deserialize)]
struct Pin {
    version: String,
    baseline: String,
}

#[derive(Debug, Deserialize)]
struct Data {
    litellm: Pin,
    sections: HashMap<String, Releases>,
    keys: HashMap<String, HashMap<String, KeyInfo>>,
    enums: HashMap<String, HashMap<String, Releases>>,
    providers: HashMap<String, Releases>,
    unprefixed_models: Vec<String>,
}

/// The catalogue, with sorted name lists for did-you-mean.
#[derive(Debug)]
pub struct Catalogue {
    data: Data,
    section_names: Vec<&'static str>,
    key_names: HashMap<Section, Vec<&'static str>>,
    enum_values: HashMap<String, Vec<&'static str>>,
    providers: Vec<&'static str>,
}

/// The catalogue of the pinned LiteLLM release.
pub fn catalogue() -> &'static Catalogue {
    static CATALOGUE: OnceLock<Catalogue> = OnceLock::new();
    CATALOGUE.get_or_init(|| {
        // The data is compiled in and checked by a unit test: it always parses.
        let data: Data = serde_json::from_str(DATA).unwrap_or_else(|_| empty());
        let leak = |s: &String| -> &'static str { Box::leak(s.clone().into_boxed_str()) };
        let sorted = |mut v: Vec<&'static str>| {
            v.sort_unstable();
            v
        };
        let section_names = sorted(data.sections.keys().map(leak).collect());
        let key_names = Section::ALL
            .iter()
            .filter_map(|s| {
                let keys = data.keys.get(s.data_name())?;
                Some((*s, sorted(keys.keys().map(leak).collect())))
            })
            .collect();
        let providers = sorted(data.providers.keys().map(leak).collect());
        let enum_values = data
            .enums
            .iter()
            .map(|(name, values)| (name.clone(), sorted(values.keys().map(leak).collect())))
            .collect();
        Catalogue {
            data,
            section_names,
            key_names,
            enum_values,
            providers,
        }
    })
}

fn empty() -> Data {
    Data {
        litellm: Pin {
            version: String::new(),
            baseline: String::new(),
        },
        sections: HashMap::new(),
        keys: HashMap::new(),
        enums: HashMap::new(),
        providers: HashMap::new(),
        unprefixed_models: Vec::new(),
    }
}

impl Catalogue {
    /// The LiteLLM release the data was read from.
    pub fn version(&self) -> &str {
        &self.data.litellm.version
    }

    pub fn baseline(&self) -> &str {
        &self.data.litellm.baseline
    }

    /// The top-level sections LiteLLM reads.
    pub fn sections(&self) -> &[&'static str] {
        &self.section_names
    }

    pub fn section_releases(&self, name: &str) -> Option<&Releases> {
        self.data.sections.get(name)
    }

    /// The keys LiteLLM reads in `section`, sorted (the section names at the top level).
    pub fn keys(&self, section: Section) -> &[&'static str] {
        if section == Section::Top {
            return &self.section_names;
        }
        self.key_names.get(&section).map_or(&[], Vec::as_slice)
    }

    pub fn key(&self, section: Section, key: &str) -> Option<&KeyInfo> {
        self.data.keys.get(section.data_name())?.get(key)
    }

    pub fn has_key(&self, section: Section, key: &str) -> bool {
        match section {
            Section::Top => self.data.sections.contains_key(key),
            _ => self.key(section, key).is_some(),
        }
    }

    /// The values of one of LiteLLM's enums (`routing_strategy`, `cache_type`,
    /// `model_info_mode`, `guardrail_mode`, `mcp_transport`), sorted.
    pub fn enum_values(&self, name: &str) -> &[&'static str] {
        self.enum_values.get(name).map_or(&[], Vec::as_slice)
    }

    /// The release that introduced or dropped an enum value, when only one has it.
    pub fn enum_value_releases(&self, name: &str, value: &str) -> Option<&Releases> {
        self.data.enums.get(name)?.get(value)
    }

    /// Every provider LiteLLM knows as a model prefix (`ollama_chat` in
    /// `ollama_chat/llama3.1`) or as `custom_llm_provider`, sorted.
    pub fn providers(&self) -> &[&'static str] {
        &self.providers
    }

    pub fn is_provider(&self, name: &str) -> bool {
        self.providers.binary_search(&name).is_ok()
    }

    /// Whether LiteLLM resolves `model` without a provider prefix: a name of its bundled
    /// model cost map (`gpt-4o`, `claude-3-5-sonnet-20241022`).
    pub fn resolves_unprefixed(&self, model: &str) -> bool {
        self.data
            .unprefixed_models
            .binary_search_by(|m| m.as_str().cmp(model))
            .is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_data_parses_and_names_the_pinned_releases() {
        let data: Data = serde_json::from_str(DATA).expect("catalogue.json parses");
        assert_eq!(data.litellm.version, LITELLM_VERSION);
        assert_eq!(data.litellm.baseline, LITELLM_BASELINE);
        for s in Section::ALL {
            assert!(
                s == Section::Top || data.keys.contains_key(s.data_name()),
                "{s:?}"
            );
        }
        let mut models = data.unprefixed_models.clone();
        models.sort();
        assert_eq!(models, data.unprefixed_models, "sorted for binary search");
    }

    #[test]
    fn knows_what_the_proxy_reads() {
        let c = catalogue();
        assert_eq!(c.version(), "1.110.2");
        for section in ["model_list", "litellm_settings", "guardrails", "include"] {
            assert!(c.has_key(Section::Top, section), "{section}");
        }
        assert!(!c.has_key(Section::Top, "server_settings"));
        assert!(c.has_key(Section::GeneralSettings, "master_key"));
        assert!(!c.has_key(Section::LitellmSettings, "master_key"));
        assert!(c.has_key(Section::RouterSettings, "routing_strategy"));
        assert!(c.is_provider("ollama_chat") && c.is_provider("hosted_vllm"));
        assert!(!c.is_provider("olama"));
        assert!(c.resolves_unprefixed("gpt-4o"));
        assert!(c
            .enum_values("routing_strategy")
            .contains(&"latency-based-routing"));
    }
}
