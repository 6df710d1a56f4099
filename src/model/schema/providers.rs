//! The schema of providers.yaml.

use super::{accepted, field, required, Format, MapSchema, Shape, NOTES, TEXT};

pub const PROVIDER_TYPES: &[&str] = &[
    "ollama",
    "llama_cpp",
    "vllm",
    "openai",
    "anthropic",
    "openai_compatible",
    "tool_server",
    "web_ui",
];
pub const PROVIDER_STATUSES: &[&str] = &["active", "disabled", "pending_integration", "template"];
pub const PRIORITIES: &[&str] = &["primary", "secondary", "tertiary"];
pub const LB_STRATEGIES: &[&str] = &[
    "weighted_round_robin",
    "least_loaded",
    "adaptive_weighted",
    "quality_based",
    "simple_shuffle",
];
pub const PROTOCOLS: &[&str] = &["http", "https", "tcp", "grpc"];
pub const CACHE_TYPES: &[&str] = &["redis", "local"];

// ---------------------------------------------------------------- providers.yaml

pub(super) static METADATA: MapSchema = MapSchema {
    name: "metadata",
    fields: &[
        field(
            "schema_version",
            Shape::Str(Format::SemVer),
            "The schema version this file follows, a quoted SemVer string (`\"2.0.0\"`). Required in 2.x.",
        ),
        field("last_updated", Shape::Str(Format::Date), "When the file was last edited, `YYYY-MM-DD`."),
        field("version", Shape::Any, "Free-form version of 1.x files; replaced by `schema_version` in 2.0.0."),
    ],
    open: true,
    rest: None,
};

static MODEL: MapSchema = MapSchema {
    name: "model",
    fields: &[
        required(
            "name",
            TEXT,
            "The model's name as the provider knows it; unique within the provider.",
        ),
        field(
            "size",
            Shape::Str(Format::Size),
            "Parameter count, `<number>(K|M|B|T)`, e.g. `\"7B\"`.",
        ),
        field("quantization", TEXT, "Quantization, e.g. `Q4_K_M`, `AWQ`."),
        field(
            "context_length",
            Shape::Int {
                min: 1,
                max: i64::MAX,
            },
            "Context window in tokens, a positive integer.",
        ),
        field("specialty", TEXT, "What the model is good at."),
        field(
            "pulled_at",
            Shape::Str(Format::Date),
            "When the model was pulled, `YYYY-MM-DD`.",
        ),
        field(
            "options",
            Shape::AnyMap,
            "Free mapping passed through to the provider.",
        ),
        field(
            "description",
            TEXT,
            "What the model is, for people; `aiblint generate` copies it to `model_info`.",
        ),
        accepted("tags", "Free labels."),
        accepted("model_size_gb", "Size on disk or in memory, in GB."),
        accepted(
            "kv_cache_available_gb",
            "Memory left for the KV cache, in GB.",
        ),
        NOTES,
    ],
    open: false,
    rest: None,
};

pub(super) static PROVIDER: MapSchema = MapSchema {
    name: "provider",
    fields: &[
        required(
            "type",
            Shape::Enum(PROVIDER_TYPES),
            "The kind of server: decides the LiteLLM prefix and the probe endpoint.",
        ),
        required(
            "base_url",
            Shape::Str(Format::Url),
            "Where the server listens: `http(s)://host[:port][/path]`.",
        ),
        required(
            "status",
            Shape::Enum(PROVIDER_STATUSES),
            "Only `active` providers are routed to and generated.",
        ),
        required("description", TEXT, "What this provider is, for people."),
        field(
            "models",
            Shape::List(&MODEL_ITEM),
            "The models served: names, or mappings with `name` and details.",
        ),
        field(
            "health_endpoint",
            Shape::Str(Format::UrlPath),
            "Path probed for health, starting with `/`.",
        ),
        field(
            "requires_api_key",
            Shape::Bool,
            "Whether requests need an API key; then `env_var` names it.",
        ),
        field(
            "env_var",
            Shape::Str(Format::EnvVar),
            "The environment variable holding the API key, `[A-Z_][A-Z0-9_]*`.",
        ),
        field(
            "api_format",
            TEXT,
            "The API dialect, e.g. `openai_compatible`.",
        ),
        field(
            "features",
            Shape::List(&TEXT),
            "Feature tags, e.g. `chat`, `embeddings`.",
        ),
        field(
            "configuration",
            Shape::AnyMap,
            "Free mapping of server settings.",
        ),
        field(
            "gpu_memory_utilization",
            Shape::Number {
                min: 0.0,
                max: 1.0,
                min_exclusive: true,
            },
            "vLLM only: fraction of GPU memory to use, `0 < x <= 1`.",
        ),
        field(
            "max_model_len",
            Shape::Int {
                min: 1,
                max: i64::MAX,
            },
            "vLLM only: maximum sequence length.",
        ),
        accepted("docs", "Documentation link or text."),
        accepted("location", "Where the server runs."),
        accepted("service_file", "The systemd unit or service file."),
        accepted("hardware_requirements", "Hardware notes."),
        accepted("rate_limits", "Rate limit notes."),
        accepted("cost_per_1k_tokens", "Cost notes."),
        accepted("model_size_gb", "Size of the served model, in GB."),
        accepted("tags", "Free labels."),
        accepted(
            "mcp_integration",
            "Tool-server metadata (MCP integration), for people.",
        ),
        accepted("pipelines", "Web-UI pipeline metadata, for people."),
        accepted("tools", "Tool-server metadata, for people."),
        accepted("data_directory", "Where the server keeps its data."),
        accepted("rag_config", "Retrieval settings of a web UI, for people."),
        NOTES,
    ],
    open: false,
    rest: None,
};

const MODEL_ITEM: Shape = Shape::StrOrMap(Format::Text, &MODEL);

/// Response caching of the generated LiteLLM config (`aiblint generate`).
static CACHING: MapSchema = MapSchema {
    name: "caching",
    fields: &[
        required(
            "type",
            Shape::Enum(CACHE_TYPES),
            "`redis` (host and port from `REDIS_HOST` and `REDIS_PORT`) or `local` (in memory, one worker).",
        ),
        field(
            "ttl",
            Shape::Number {
                min: 0.0,
                max: f64::MAX,
                min_exclusive: true,
            },
            "How long a cached response stays valid, in seconds.",
        ),
        NOTES,
    ],
    open: false,
    rest: None,
};

pub static PROVIDERS_FILE: MapSchema = MapSchema {
    name: "providers.yaml",
    fields: &[
        field(
            "metadata",
            Shape::Map(&METADATA),
            "File metadata; `schema_version` is required in 2.x.",
        ),
        required(
            "providers",
            Shape::Dict {
                key: Format::Identifier,
                value: &Shape::Map(&PROVIDER),
            },
            "Every inference server, keyed by its provider id.",
        ),
        field(
            "health_checks",
            Shape::AnyMap,
            "Free-form health check settings.",
        ),
        field(
            "caching",
            Shape::Map(&CACHING),
            "Response caching in the generated LiteLLM config, e.g. `type: redis`.",
        ),
        NOTES,
    ],
    open: false,
    rest: None,
};
