//! The pure half of `aiblint probe`: what to ask each provider, the gateway and the cache,
//! and how to read their answers.
//!
//! `host::run` sends the requests; the H8xx rules compare the answers with the config;
//! `emit::live` prints one line per target. Longer than 600 lines only with its unit tests:
//! the plan and the reading of answers are one contract (what is asked is what is parsed).

use compact_str::CompactString;
use std::time::Duration;

use super::endpoint::Endpoint;
use super::well_known::well_known_name;
use crate::model::litellm::api_base;
use crate::model::{ConfigSet, FileKind, Provider, Spanned};
use crate::syntax::{Node, Value};
use crate::text::TextRange;

/// The API a server lists its models with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Api {
    /// Ollama's `GET /api/tags`.
    OllamaTags,
    /// `GET /v1/models` of OpenAI-compatible servers (vLLM, llama.cpp, LiteLLM, OpenAI).
    OpenAiModels,
    /// Anthropic's `GET /v1/models` (`x-api-key` and `anthropic-version` headers).
    AnthropicModels,
}

impl Api {
    pub fn path(self) -> &'static str {
        match self {
            Api::OllamaTags => "/api/tags",
            Api::OpenAiModels | Api::AnthropicModels => "/v1/models",
        }
    }

    /// The other API a server may answer when this one is not found: the hint that a
    /// provider's `type` is wrong.
    pub fn alternative(self) -> Option<Api> {
        match self {
            Api::OllamaTags => Some(Api::OpenAiModels),
            Api::OpenAiModels => Some(Api::OllamaTags),
            Api::AnthropicModels => None,
        }
    }
}

/// How an API key travels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyHeader {
    /// `Authorization: Bearer <key>`.
    Bearer,
    /// `x-api-key: <key>` (Anthropic).
    XApiKey,
}

/// A request for a provider's model list.
#[derive(Clone, Debug)]
pub struct ProviderProbe {
    pub id: Spanned<CompactString>,
    /// The full URL of the model list.
    pub url: String,
    /// The URL of the same server's other API (see [`Api::alternative`]).
    pub alternative_url: Option<String>,
    pub api: Api,
    /// The environment variable holding the key (`env_var`), when the provider needs one.
    pub key_var: Option<String>,
    pub key_header: KeyHeader,
    /// `status: disabled`: probed to see whether it serves anyway.
    pub disabled: bool,
}

/// Why a provider is not probed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Skip {
    /// A cloud API (type `openai`/`anthropic`, or a public host); `--cloud` includes it.
    Cloud,
    /// `status: template` or `pending_integration`: no server to ask.
    Status(String),
    /// `tool_server`, `web_ui`: no model list to ask for.
    NoModelApi(String),
    /// No usable `base_url` (missing, a placeholder, or invalid: `aiblint check` says).
    NoUrl,
}

impl Skip {
    pub fn describe(&self) -> String {
        match self {
            Skip::Cloud => "cloud API, skipped (--cloud probes it)".to_string(),
            Skip::Status(status) => format!("`status: {status}`, skipped"),
            Skip::NoModelApi(kind) => format!("`type: {kind}` lists no models, skipped"),
            Skip::NoUrl => "no usable `base_url`, skipped".to_string(),
        }
    }
}

/// The gateway's liveness endpoint, from the LiteLLM service of ports.yaml.
#[derive(Clone, Debug)]
pub struct GatewayProbe {
    pub id: String,
    /// The service's `port` value, where a failure is reported.
    pub range: TextRange,
    pub url: String,
}

/// The Redis server LiteLLM's cache uses, as the config set says it is reached.
#[derive(Clone, Debug)]
pub struct CacheProbe {
    pub host: String,
    pub port: u16,
    pub password: Option<String>,
    /// Where the cache is configured: providers.yaml `caching.type`, else litellm-unified.yaml
    /// `litellm_settings.cache`.
    pub file: FileKind,
    pub range: TextRange,
    /// How each part of the address was found, in words.
    pub notes: Vec<String>,
}

impl CacheProbe {
    pub fn address(&self) -> String {
        if self.host.contains(':') {
            format!("[{}]:{}", self.host, self.port)
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }
}

/// Everything `aiblint probe` will ask, in config order.
#[derive(Clone, Debug, Default)]
pub struct ProbePlan {
    pub providers: Vec<(Spanned<CompactString>, Result<ProviderProbe, Skip>)>,
    pub gateway: Option<GatewayProbe>,
    pub cache: Option<CacheProbe>,
}

/// What `aiblint probe` is asked to include.
#[derive(Clone, Debug, Default)]
pub struct ProbeOptions {
    /// Only these provider ids (empty: all); the gateway and cache are left out then.
    pub only: Vec<String>,
    /// Probe cloud APIs too.
    pub cloud: bool,
}

/// Plans the probe of a config set. `env` reads the environment (for the cache's
/// `os.environ/…` parameters).
pub fn plan(
    set: &ConfigSet,
    options: &ProbeOptions,
    env: &dyn Fn(&str) -> Option<String>,
) -> ProbePlan {
    let providers = set
        .providers()
        .map(|p| p.providers.iter().collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .filter(|p| options.only.is_empty() || options.only.iter().any(|only| *only == p.id.value))
        .map(|p| (p.id.clone(), provider_probe(p, options.cloud)))
        .collect();
    let everything = options.only.is_empty();
    ProbePlan {
        providers,
        gateway: everything.then(|| gateway_probe(set)).flatten(),
        cache: everything.then(|| cache_probe(set, env)).flatten(),
    }
}

fn provider_probe(provider: &Provider, cloud: bool) -> Result<ProviderProbe, Skip> {
    let status = provider.status().unwrap_or("active");
    if status != "active" && status != "disabled" {
        return Err(Skip::Status(status.to_string()));
    }
    let kind = provider.provider_type().unwrap_or("openai_compatible");
    if matches!(kind, "tool_server" | "web_ui") {
        return Err(Skip::NoModelApi(kind.to_string()));
    }
    let base_url = provider.base_url.as_ref().ok_or(Skip::NoUrl)?;
    let endpoint = Endpoint::parse(&base_url.value).ok_or(Skip::NoUrl)?;
    let is_cloud = matches!(kind, "openai" | "anthropic") || endpoint.is_public();
    if is_cloud && !cloud {
        return Err(Skip::Cloud);
    }
    let (api, key_header) = match kind {
        "ollama" => (Api::OllamaTags, KeyHeader::Bearer),
        "anthropic" => (Api::AnthropicModels, KeyHeader::XApiKey),
        _ => (Api::OpenAiModels, KeyHeader::Bearer),
    };
    let url_of = |api: Api| {
        let root = api_base("ollama", &base_url.value);
        match api {
            Api::OllamaTags => format!("{root}/api/tags"),
            _ => format!("{}/models", api_base("openai_compatible", &root)),
        }
    };
    let url = match api {
        // The cloud APIs' base URLs already end in their version (`/v1`).
        Api::AnthropicModels => format!("{}/models", base_url.value.trim_end_matches('/')),
        Api::OpenAiModels if kind == "openai" => {
            format!("{}/models", base_url.value.trim_end_matches('/'))
        }
        _ => url_of(api),
    };
    let key_var = provider
        .requires_api_key
        .as_ref()
        .filter(|r| r.value)
        .and(provider.env_var.as_ref())
        .map(|v| v.value.to_string());
    Ok(ProviderProbe {
        id: provider.id.clone(),
        url,
        alternative_url: api.alternative().map(url_of),
        api,
        key_var,
        key_header,
        disabled: status == "disabled",
    })
}

fn gateway_probe(set: &ConfigSet) -> Option<GatewayProbe> {
    let ports = set.ports()?;
    let entry = ports
        .services
        .iter()
        .find(|s| well_known_name(&s.id.value) == Some("LiteLLM"))?;
    let port = entry.port.as_ref()?;
    let number = u16::try_from(port.value).ok().filter(|p| *p > 0)?;
    let scheme = match entry.protocol.as_ref().map(|p| p.as_str()) {
        Some("https") => "https",
        _ => "http",
    };
    Some(GatewayProbe {
        id: entry.id.value.to_string(),
        range: port.range,
        // LiteLLM's unauthenticated liveness endpoint; `/health` needs the master key and
        // calls every model.
        url: format!("{scheme}://127.0.0.1:{number}/health/liveliness"),
    })
}

/// The Redis cache of the set, when one is configured: providers.yaml `caching: {type:
/// redis}`, or litellm-unified.yaml `litellm_settings.cache: true` with Redis parameters.
fn cache_probe(set: &ConfigSet, env: &dyn Fn(&str) -> Option<String>) -> Option<CacheProbe> {
    let from_providers = set
        .providers()
        .and_then(|p| p.caching.as_ref())
        .filter(|c| c.cache_type.value == "redis")
        .map(|c| (FileKind::Providers, c.cache_type.range));
    let settings = set
        .member(FileKind::Litellm)
        .and_then(|m| m.file.root())
        .and_then(|root| root.get("litellm_settings"));
    let cache_entry = settings.and_then(|s| s.get_entry("cache")).filter(|e| {
        matches!(
            e.value.as_scalar().map(|s| s.resolve()),
            Some(Value::Bool(true))
        )
    });
    let params = cache_entry.and(settings.and_then(|s| s.get("cache_params")));
    let litellm_redis = cache_entry.is_some()
        && params.is_none_or(|p| p.get("type").and_then(Node::as_str) == Some("redis"));
    let from_litellm = cache_entry
        .filter(|_| litellm_redis)
        .map(|e| (FileKind::Litellm, e.key.range));
    let (file, range) = from_providers.or(from_litellm)?;

    // A parameter of cache_params (a literal, or `os.environ/VAR` read here), else LiteLLM's
    // own fallback, the REDIS_* variable; the variables found unset are collected.
    let mut unset: Vec<String> = Vec::new();
    let mut param = |key: &str, fallback_var: &str| -> Option<String> {
        let written = params
            .and_then(|p| p.get(key))
            .and_then(|n| n.scalar_text())
            .map(str::to_string);
        let var = match &written {
            Some(value) => match value.strip_prefix("os.environ/") {
                Some(var) => var.to_string(),
                None => return Some(value.clone()),
            },
            None => fallback_var.to_string(),
        };
        let found = env(&var).filter(|v| !v.is_empty());
        if found.is_none() && key != "password" {
            unset.push(format!("${var}"));
        }
        found
    };
    let host = param("host", "REDIS_HOST");
    let port = param("port", "REDIS_PORT");
    let password = param("password", "REDIS_PASSWORD");
    let mut notes = Vec::new();
    match unset.as_slice() {
        [] => {}
        [one] => notes.push(format!("{one} is not set here")),
        several => notes.push(format!("{} are not set here", several.join(" and "))),
    }
    let mut fallbacks = Vec::new();
    let host = host.unwrap_or_else(|| {
        fallbacks.push("127.0.0.1");
        "127.0.0.1".to_string()
    });
    let declared_port = set.ports().and_then(|ports| {
        ports
            .services
            .iter()
            .find(|s| well_known_name(&s.id.value) == Some("Redis"))
            .and_then(|s| u16::try_from(s.port.as_ref()?.value).ok())
            .filter(|p| *p > 0)
    });
    let port = match port.as_deref().map(str::parse::<u16>) {
        Some(Ok(port)) if port > 0 => port,
        _ => {
            fallbacks.push(if declared_port.is_some() {
                "the port of ports.yaml"
            } else {
                "Redis's default port"
            });
            declared_port.unwrap_or(6379)
        }
    };
    if !fallbacks.is_empty() {
        notes.push(format!("probed {}", fallbacks.join(" and ")));
    }
    Some(CacheProbe {
        host,
        port,
        password,
        file,
        range,
        notes,
    })
}

/// Why a request got no usable answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Failure {
    /// Nothing listens: the connection was refused.
    Refused,
    /// No answer before the deadline.
    Timeout(Duration),
    /// The host name does not resolve.
    UnknownHost,
    /// The TLS handshake failed.
    Tls(String),
    /// An HTTP status other than 200.
    Status(u16),
    /// A redirect, which aiblint does not follow (an API key must not travel elsewhere).
    Redirect(String),
    /// A 200 whose body is not a model list (or, for Redis, not a PONG).
    Garbage(String),
    /// The server refused the credentials (Redis `NOAUTH`, `WRONGPASS`).
    Auth(String),
    /// Anything else, in the client's words.
    Other(String),
}

impl Failure {
    pub fn describe(&self) -> String {
        match self {
            Failure::Refused => "connection refused".to_string(),
            Failure::Timeout(d) => format!("no answer within {}", humantime_short(*d)),
            Failure::UnknownHost => "the host name does not resolve".to_string(),
            Failure::Tls(why) => format!("TLS handshake failed: {why}"),
            Failure::Status(code) => format!("HTTP {code}{}", reason(*code)),
            Failure::Redirect(to) => format!("redirects to {to} (not followed)"),
            Failure::Garbage(why) => why.clone(),
            Failure::Auth(why) => why.clone(),
            Failure::Other(why) => why.clone(),
        }
    }
}

fn reason(code: u16) -> &'static str {
    match code {
        401 => " Unauthorized",
        403 => " Forbidden",
        404 => " Not Found",
        500 => " Internal Server Error",
        502 => " Bad Gateway",
        503 => " Service Unavailable",
        504 => " Gateway Timeout",
        _ => "",
    }
}

/// `2s`, `1.5s`, `250ms`.
pub fn humantime_short(d: Duration) -> String {
    let ms = d.as_millis();
    if ms < 1000 {
        format!("{ms}ms")
    } else if ms.is_multiple_of(1000) {
        format!("{}s", ms / 1000)
    } else {
        format!("{:.1}s", d.as_secs_f64())
    }
}

/// A provider's answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Served {
    pub models: Vec<String>,
    pub elapsed: Duration,
}

/// What happened to one provider.
#[derive(Clone, Debug)]
pub struct ProviderResult {
    pub probe: ProviderProbe,
    pub outcome: Result<Served, Failure>,
    /// After a 404, whether the server answers the other API (its `type` is then wrong).
    pub alternative_answers: bool,
}

/// Everything `aiblint probe` found, in plan order.
#[derive(Clone, Debug, Default)]
pub struct ProbeReport {
    pub providers: Vec<(Spanned<CompactString>, Result<ProviderResult, Skip>)>,
    pub gateway: Option<(GatewayProbe, Result<Duration, Failure>)>,
    pub cache: Option<(CacheProbe, Result<Duration, Failure>)>,
}

impl ProbeReport {
    /// The results of the providers that were asked.
    pub fn probed(&self) -> impl Iterator<Item = &ProviderResult> {
        self.providers.iter().filter_map(|(_, r)| r.as_ref().ok())
    }
}

/// The model names in a model list: Ollama's `{"models": [{"name": …}]}`, OpenAI's and
/// Anthropic's `{"data": [{"id": …}]}`. An error says what is wrong, for people.
pub fn parse_models(api: Api, body: &str) -> Result<Vec<String>, String> {
    let value: serde_json::Value = serde_json::from_str(body).map_err(|e| {
        let start: String = body.trim_start().chars().take(40).collect();
        format!("the answer is not JSON ({e}): `{}`", start.escape_debug())
    })?;
    let (list_key, name_key) = match api {
        Api::OllamaTags => ("models", "name"),
        Api::OpenAiModels | Api::AnthropicModels => ("data", "id"),
    };
    let list = value
        .get(list_key)
        .and_then(|l| l.as_array())
        .ok_or_else(|| format!("the answer has no `{list_key}` list"))?;
    list.iter()
        .map(|item| {
            item.get(name_key)
                .or_else(|| item.get("model"))
                .and_then(|n| n.as_str())
                .map(str::to_string)
                .ok_or_else(|| format!("an entry of `{list_key}` has no `{name_key}`"))
        })
        .collect()
}

/// Whether the configured `name` is one of the served names. Ollama serves `llama3.1` as
/// `llama3.1:latest`.
pub fn is_served(api: Api, name: &str, served: &[String]) -> bool {
    served.iter().any(|s| {
        s == name
            || (api == Api::OllamaTags && !name.contains(':') && *s == format!("{name}:latest"))
    })
}

/// The served names a configured name probably means: the did-you-mean candidate, or the
/// served names that extend it (`qwen2.5-coder:7b` → `qwen2.5-coder:7b-instruct-q4_K_M`) or
/// contain it (`Qwen2.5-7B` → `Qwen/Qwen2.5-7B`), case aside. At most three, closest first.
pub fn closest_served<'a>(name: &str, served: &'a [String]) -> Vec<&'a str> {
    if let Some(close) = crate::diagnostic::suggest(name, served.iter().map(String::as_str)) {
        return vec![close];
    }
    let lower = name.to_lowercase();
    let mut found: Vec<&str> = served
        .iter()
        .map(String::as_str)
        .filter(|s| {
            let s = s.to_lowercase();
            s.starts_with(&lower) || (lower.len() >= 4 && s.contains(&lower))
        })
        .collect();
    found.sort_by_key(|s| (s.len(), *s));
    found.truncate(3);
    found
}

#[cfg(test)]
mod tests;
