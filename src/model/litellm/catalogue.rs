//! LiteLLM's own catalogue of its proxy config: `catalogue.json`, written by
//! `scripts/litellm-catalogue.py` from the sources of the pinned LiteLLM release, compiled
//! into sorted tables by `build.rs`.

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
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
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
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Releases(&'static str);

impl Releases {
    /// Whether the current release has it.
    pub fn current(&self) -> bool {
        self.0 == "both" || self.0 == LITELLM_VERSION
    }

    /// The one release that has it, when only one does.
    pub fn only(&self) -> Option<&'static str> {
        (self.0 != "both").then_some(self.0)
    }
}

#[derive(Clone, Copy, Debug)]
pub struct KeyInfo {
    pub ty: KeyType,
    pub releases: Releases,
    pub values: Option<&'static [&'static str]>,
}

// The tables `build.rs` writes from catalogue.json, each sorted by name: VERSION, BASELINE,
// SECTIONS, SECTION_NAMES, KEYS, KEY_NAMES, ENUMS, ENUM_NAMES, PROVIDER_NAMES,
// UNPREFIXED_MODELS.
include!(concat!(env!("OUT_DIR"), "/litellm_catalogue.rs"));

/// The catalogue, compiled in as sorted tables (nothing is parsed at run time).
#[derive(Debug)]
pub struct Catalogue(());

/// The catalogue of the pinned LiteLLM release.
pub fn catalogue() -> &'static Catalogue {
    static CATALOGUE: Catalogue = Catalogue(());
    &CATALOGUE
}

/// The value of `name` in a table sorted by name.
fn lookup<T>(table: &'static [(&'static str, T)], name: &str) -> Option<&'static T> {
    let i = table.binary_search_by(|(n, _)| (*n).cmp(name)).ok()?;
    Some(&table[i].1)
}

impl Catalogue {
    /// The LiteLLM release the data was read from.
    pub fn version(&self) -> &str {
        VERSION
    }

    pub fn baseline(&self) -> &str {
        BASELINE
    }

    /// The top-level sections LiteLLM reads.
    pub fn sections(&self) -> &[&'static str] {
        SECTION_NAMES
    }

    pub fn section_releases(&self, name: &str) -> Option<&Releases> {
        lookup(SECTIONS, name)
    }

    /// The keys LiteLLM reads in `section`, sorted (the section names at the top level).
    pub fn keys(&self, section: Section) -> &[&'static str] {
        if section == Section::Top {
            return SECTION_NAMES;
        }
        lookup(KEY_NAMES, section.data_name())
            .copied()
            .unwrap_or(&[])
    }

    pub fn key(&self, section: Section, key: &str) -> Option<&KeyInfo> {
        lookup(lookup(KEYS, section.data_name())?, key)
    }

    pub fn has_key(&self, section: Section, key: &str) -> bool {
        match section {
            Section::Top => lookup(SECTIONS, key).is_some(),
            _ => self.key(section, key).is_some(),
        }
    }

    /// The values of one of LiteLLM's enums (`routing_strategy`, `cache_type`,
    /// `model_info_mode`, `guardrail_mode`, `mcp_transport`), sorted.
    pub fn enum_values(&self, name: &str) -> &[&'static str] {
        lookup(ENUM_NAMES, name).copied().unwrap_or(&[])
    }

    /// The release that introduced or dropped an enum value, when only one has it.
    pub fn enum_value_releases(&self, name: &str, value: &str) -> Option<&Releases> {
        lookup(lookup(ENUMS, name)?, value)
    }

    /// Every provider LiteLLM knows as a model prefix (`ollama_chat` in
    /// `ollama_chat/llama3.1`) or as `custom_llm_provider`, sorted.
    pub fn providers(&self) -> &[&'static str] {
        PROVIDER_NAMES
    }

    pub fn is_provider(&self, name: &str) -> bool {
        PROVIDER_NAMES.binary_search(&name).is_ok()
    }

    /// Whether LiteLLM resolves `model` without a provider prefix: a name of its bundled
    /// model cost map (`gpt-4o`, `claude-3-5-sonnet-20241022`).
    pub fn resolves_unprefixed(&self, model: &str) -> bool {
        UNPREFIXED_MODELS.binary_search(&model).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tables_name_the_pinned_releases_and_are_sorted() {
        assert_eq!(VERSION, LITELLM_VERSION);
        assert_eq!(BASELINE, LITELLM_BASELINE);
        for s in Section::ALL {
            assert!(
                s == Section::Top || lookup(KEYS, s.data_name()).is_some(),
                "{s:?}"
            );
        }
        let is_sorted = |names: &[&str]| names.windows(2).all(|w| w[0] < w[1]);
        assert!(is_sorted(UNPREFIXED_MODELS) && is_sorted(PROVIDER_NAMES));
        assert!(is_sorted(SECTION_NAMES));
        for (_, keys) in KEY_NAMES.iter().chain(ENUM_NAMES) {
            assert!(is_sorted(keys));
        }
        let info = catalogue().key(Section::RouterSettings, "debug_level");
        assert_eq!(info.and_then(|i| i.values), Some(&["DEBUG", "INFO"][..]));
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
