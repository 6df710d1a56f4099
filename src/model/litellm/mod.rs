//! LiteLLM's proxy config as LiteLLM reads it: the catalogue of every section and key of the
//! pinned release (`catalogue.rs`), the provider prefixes, and a validator that checks any
//! mapping against a section and reports what LiteLLM would ignore, misread or crash on.
//!
//! This is the one home of aiblint's knowledge of LiteLLM: the rules of LiteLLM configs use
//! it, and so may any file that embeds LiteLLM settings blocks.

mod catalogue;
mod validate;

pub use catalogue::{
    catalogue, Catalogue, KeyInfo, KeyType, Releases, Section, UnknownKeys, LITELLM_BASELINE,
    LITELLM_VERSION,
};
pub use validate::{
    analyze, env_reference, validate_section, walk_strings, AliasEntry, Analysis, EnvProblem,
    FallbackEntry, FallbackShape, LitellmIssue, LitellmIssueKind,
};

/// The `model` of a deployment of an aiblint provider (`aiblint generate` writes it; the
/// rules check a hand-written one against it): the LiteLLM provider prefix for `provider_type`, then the
/// provider's model name. `None` for provider types LiteLLM does not serve (`tool_server`,
/// `web_ui`).
pub fn litellm_model(provider_type: &str, model: &str, embedding: bool) -> Option<String> {
    let prefix = litellm_prefix(provider_type, embedding)?;
    Some(format!("{prefix}/{model}"))
}

/// The part of [`litellm_model`] before its `/`, which holds none.
pub fn litellm_prefix(provider_type: &str, embedding: bool) -> Option<&'static str> {
    match provider_type {
        "ollama" if embedding => Some("ollama"),
        "ollama" => Some("ollama_chat"),
        "openai" | "vllm" | "llama_cpp" | "openai_compatible" => Some("openai"),
        "anthropic" => Some("anthropic"),
        _ => None,
    }
}

/// The `api_base` of a deployment: `base_url` without trailing slashes; OpenAI-compatible
/// servers end in `/v1`, Ollama's native API lives at the server root.
pub fn api_base(provider_type: &str, base_url: &str) -> String {
    let url = base_url.trim().trim_end_matches('/');
    match provider_type {
        "ollama" => url.strip_suffix("/v1").unwrap_or(url).to_string(),
        "vllm" | "llama_cpp" | "openai_compatible" if !url.ends_with("/v1") => format!("{url}/v1"),
        _ => url.to_string(),
    }
}

/// The files a LiteLLM config merges in with `include:` (paths relative to it), as written.
pub fn includes(text: &str) -> Vec<String> {
    // Without the word, or an escape that could spell it, there is no `include:` key, and
    // no need to parse a large config a second time.
    if !text.contains("include") && !text.contains('\\') {
        return Vec::new();
    }
    let parsed = crate::syntax::parse(text);
    let Some(list) = parsed.root.as_ref().and_then(|r| r.get("include")) else {
        return Vec::new();
    };
    list.as_sequence()
        .unwrap_or_default()
        .iter()
        .filter_map(|n| n.as_str().map(str::to_string))
        .collect()
}

/// Whether `name` is a LiteLLM provider, as a model prefix (`ollama_chat/…`) or as
/// `custom_llm_provider`.
pub fn is_provider(name: &str) -> bool {
    catalogue().is_provider(name)
}

/// Every LiteLLM provider, sorted.
pub fn providers() -> &'static [&'static str] {
    catalogue().providers()
}

/// How LiteLLM resolves the provider of a deployment's `model`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProviderPrefix<'a> {
    /// `<provider>/<model>` with a provider LiteLLM knows.
    Known(&'a str),
    /// Text before a `/` that is not a LiteLLM provider (`olama/`, or a Hugging Face
    /// organisation such as `Qwen/`).
    Unknown(&'a str),
    /// No `/`, and not a model LiteLLM knows by name.
    Missing,
    /// No prefix needed: a model of LiteLLM's cost map (`gpt-4o`), or a value LiteLLM
    /// resolves from the environment (`os.environ/NAME`).
    NotNeeded,
}

/// The provider LiteLLM reads from `model` (the text before the first `/`).
pub fn provider_prefix(model: &str) -> ProviderPrefix<'_> {
    if model.starts_with("os.environ/") {
        return ProviderPrefix::NotNeeded;
    }
    match model.split_once('/') {
        Some((prefix, _)) if is_provider(prefix) => ProviderPrefix::Known(prefix),
        Some((prefix, _)) => {
            if catalogue().resolves_unprefixed(model) {
                ProviderPrefix::NotNeeded
            } else {
                ProviderPrefix::Unknown(prefix)
            }
        }
        None if catalogue().resolves_unprefixed(model) => ProviderPrefix::NotNeeded,
        None => ProviderPrefix::Missing,
    }
}

/// The provider LiteLLM calls for a deployment's `model`: its prefix, or, for a model it
/// knows by name alone, the provider that name belongs to (`gpt-4o` is OpenAI's, `claude-…`
/// Anthropic's: `litellm.utils.get_llm_provider` looks such names up in its model lists).
pub fn provider_of(model: &str) -> Option<&str> {
    match provider_prefix(model) {
        ProviderPrefix::Known(p) => Some(p),
        ProviderPrefix::NotNeeded if !model.contains('/') => {
            const OPENAI: [&str; 9] = [
                "gpt-",
                "chatgpt-",
                "o1",
                "o3",
                "o4",
                "text-embedding-",
                "dall-e",
                "whisper",
                "tts-",
            ];
            if OPENAI.iter().any(|p| model.starts_with(p)) {
                Some("openai")
            } else if model.starts_with("claude") {
                Some("anthropic")
            } else {
                None
            }
        }
        _ => None,
    }
}

/// The `api_base` LiteLLM calls when a deployment of `provider` sets none (and the
/// environment names no other): LiteLLM 1.110.2, `main.py` (`openai`), `llms/anthropic/
/// common_utils.py` `resolve_anthropic_api_base`, `llms/ollama/common_utils.py`.
pub fn default_api_base(provider: &str) -> Option<&'static str> {
    match provider {
        "openai" => Some("https://api.openai.com/v1"),
        "anthropic" => Some("https://api.anthropic.com"),
        "ollama" | "ollama_chat" => Some("http://localhost:11434"),
        _ => None,
    }
}

/// The value LiteLLM uses for a setting that a config does not set, by dotted path, as
/// flow-style text: LiteLLM 1.110.2's `constants.py` (`request_timeout`, unless
/// `REQUEST_TIMEOUT` is set), `__init__.py` (`drop_params`, unless `LITELLM_DROP_PARAMS` is
/// set), and `Router.__init__` (`routing_strategy`, and `num_retries`, "Defaults to 2").
pub fn default_setting(path: &str) -> Option<&'static str> {
    match path {
        "litellm_settings.drop_params" => Some("false"),
        "litellm_settings.request_timeout" => Some("6000"),
        "litellm_settings.num_retries" | "router_settings.num_retries" => Some("2"),
        "router_settings.routing_strategy" => Some("simple-shuffle"),
        _ => None,
    }
}

/// Whether a URL's host is this machine or a private network: a self-hosted server, not a
/// cloud API.
pub fn is_local_host(host: &str) -> bool {
    let h = host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_ascii_lowercase();
    if matches!(
        h.as_str(),
        "localhost" | "::1" | "0.0.0.0" | "host.docker.internal"
    ) || h.ends_with(".local")
        || h.ends_with(".lan")
        || h.ends_with(".internal")
    {
        return true;
    }
    let octets: Vec<u8> = h.split('.').filter_map(|p| p.parse().ok()).collect();
    if octets.len() != 4 || h.split('.').count() != 4 {
        return false;
    }
    matches!(
        (octets[0], octets[1]),
        (127, _) | (10, _) | (192, 168) | (169, 254)
    ) || (octets[0] == 172 && (16..=31).contains(&octets[1]))
}

/// Providers whose chat calls go through the OpenAI client with `api_base` as written:
/// it appends `/chat/completions`, so a self-hosted server needs `/v1` in the base.
pub fn appends_chat_completions(provider: &str) -> bool {
    matches!(
        provider,
        "openai" | "hosted_vllm" | "text-completion-openai"
    )
}

/// A stand-in key for a server that checks none (vLLM's docs use `EMPTY`, llama.cpp's
/// `sk-no-key-required`): not a secret.
pub fn is_placeholder_key(value: &str) -> bool {
    const PLACEHOLDERS: [&str; 9] = [
        "none",
        "no-key",
        "no-key-required",
        "sk-no-key-required",
        "not-needed",
        "empty",
        "dummy",
        "fake-key",
        "sk-fake-key",
    ];
    let v = value.trim();
    PLACEHOLDERS.iter().any(|p| v.eq_ignore_ascii_case(p))
}

/// The share of a group's traffic that LiteLLM's `simple-shuffle` strategy sends to each of
/// its `len` deployments (LiteLLM 1.110.2, `router_strategy/simple_shuffle.py`): by
/// `weight`, else by `rpm`, else by `tpm` (a deployment without the value counts 0), else
/// evenly. `metric(i, key)` is deployment `i`'s value of `key`. Unrounded; sums to 1.
pub fn simple_shuffle_shares(len: usize, metric: impl Fn(usize, &str) -> f64) -> Vec<f64> {
    let weights = ["weight", "rpm", "tpm"]
        .iter()
        .map(|key| {
            (0..len)
                .map(|i| metric(i, key).max(0.0))
                .collect::<Vec<f64>>()
        })
        .find(|w| w.iter().any(|&x| x > 0.0))
        .unwrap_or_else(|| vec![1.0; len]);
    let total: f64 = weights.iter().sum();
    weights.iter().map(|w| w / total).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simple_shuffle_weighs_by_weight_then_rpm_then_tpm_then_evenly() {
        let table = |rows: Vec<[f64; 3]>| {
            move |i: usize, key: &str| {
                rows[i][["weight", "rpm", "tpm"]
                    .iter()
                    .position(|k| *k == key)
                    .unwrap()]
            }
        };
        // A weight on one deployment wins over every rpm; the other counts 0.
        let shares = simple_shuffle_shares(2, table(vec![[3.0, 10.0, 0.0], [0.0, 90.0, 0.0]]));
        assert_eq!(shares, vec![1.0, 0.0]);
        let shares = simple_shuffle_shares(2, table(vec![[0.0, 10.0, 5.0], [0.0, 30.0, 5.0]]));
        assert_eq!(shares, vec![0.25, 0.75]);
        let shares = simple_shuffle_shares(2, table(vec![[0.0, 0.0, 1.0], [-2.0, 0.0, 3.0]]));
        assert_eq!(shares, vec![0.25, 0.75]);
        let shares = simple_shuffle_shares(4, |_, _| 0.0);
        assert_eq!(shares, vec![0.25; 4]);
    }

    #[test]
    fn prefixes_per_provider_type() {
        let m = |t, e| litellm_model(t, "m", e);
        assert_eq!(m("ollama", false).as_deref(), Some("ollama_chat/m"));
        assert_eq!(m("ollama", true).as_deref(), Some("ollama/m"));
        assert_eq!(m("openai", false).as_deref(), Some("openai/m"));
        assert_eq!(m("anthropic", false).as_deref(), Some("anthropic/m"));
        for t in ["vllm", "llama_cpp", "openai_compatible"] {
            assert_eq!(m(t, false).as_deref(), Some("openai/m"));
        }
        assert_eq!(m("tool_server", false), None);
        assert_eq!(m("web_ui", false), None);
    }

    #[test]
    fn local_hosts() {
        for h in [
            "localhost",
            "127.0.0.1",
            "[::1]",
            "192.168.1.20",
            "10.0.0.5",
            "172.20.1.1",
            "gpu.local",
        ] {
            assert!(is_local_host(h), "{h}");
        }
        for h in ["api.openai.com", "172.32.0.1", "8.8.8.8", "ollama.com"] {
            assert!(!is_local_host(h), "{h}");
        }
    }

    #[test]
    fn include_lists_the_merged_files() {
        assert_eq!(
            includes("include:\n  - models.yaml\n  - sub/router.yaml\nmodel_list: []\n"),
            vec!["models.yaml", "sub/router.yaml"]
        );
        assert!(includes("model_list: []\n").is_empty());
    }

    #[test]
    fn prefixes_as_litellm_reads_them() {
        assert_eq!(
            provider_prefix("ollama_chat/llama3.1:8b"),
            ProviderPrefix::Known("ollama_chat")
        );
        assert_eq!(
            provider_prefix("olama/llama3.1"),
            ProviderPrefix::Unknown("olama")
        );
        assert_eq!(
            provider_prefix("Qwen/Qwen2.5-Coder-7B"),
            ProviderPrefix::Unknown("Qwen")
        );
        assert_eq!(provider_prefix("gpt-4o"), ProviderPrefix::NotNeeded);
        assert_eq!(provider_prefix("llama3.1:8b"), ProviderPrefix::Missing);
        assert_eq!(
            provider_prefix("os.environ/MODEL"),
            ProviderPrefix::NotNeeded
        );
    }

    #[test]
    fn the_providers_cover_every_prefix_generate_writes() {
        for t in crate::model::schema::PROVIDER_TYPES {
            let prefix = match *t {
                "ollama" => Some("ollama_chat"),
                "vllm" | "llama_cpp" | "openai" | "openai_compatible" => Some("openai"),
                "anthropic" => Some("anthropic"),
                _ => None,
            };
            if let Some(p) = prefix {
                assert!(is_provider(p), "{p}");
            }
        }
        assert!(is_provider("ollama") && is_provider("hosted_vllm"));
        let mut sorted = providers().to_vec();
        sorted.sort_unstable();
        assert_eq!(sorted, providers());
    }
}
