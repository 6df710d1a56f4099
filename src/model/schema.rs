//! The schemas of aiblint's files as data: which keys each mapping allows, their shapes and
//! formats. One walker (`validate.rs`) checks any tree against them, and the same tables
//! serve hover and completion later.

/// What a value must look like.
#[derive(Debug)]
pub enum Shape {
    /// Anything at all.
    Any,
    Str(Format),
    /// An integer in `min..=max`.
    Int {
        min: i64,
        max: i64,
    },
    /// A TCP/UDP port, 1..=65535.
    Port,
    /// A number in `(min, max]` when `min_exclusive`, else `[min, max]`.
    Number {
        min: f64,
        max: f64,
        min_exclusive: bool,
    },
    Bool,
    Enum(&'static [&'static str]),
    Map(&'static MapSchema),
    /// A mapping keyed by user-chosen names, every value of one shape.
    Dict {
        key: Format,
        value: &'static Shape,
    },
    List(&'static Shape),
    /// A plain string (the item's name) or a mapping.
    StrOrMap(Format, &'static MapSchema),
    Nullable(&'static Shape),
    /// Any mapping (free-form blocks such as `options`).
    AnyMap,
}

/// String formats checked beyond "is a string".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    /// `[A-Za-z0-9_.-]+`.
    Identifier,
    /// `http(s)://host[:port][/path]`.
    Url,
    /// `YYYY-MM-DD`.
    Date,
    /// `<number>(K|M|B|T)`, e.g. `7B`.
    Size,
    SemVer,
    /// `[A-Z_][A-Z0-9_]*`.
    EnvVar,
    Regex,
    /// Starts with `/`.
    UrlPath,
    /// A URL whose port may be a placeholder name (`http://localhost:CUSTOM_PORT`): the
    /// `base_url` of a provider with `status: template`.
    TemplateUrl,
    /// A size, or a range of sizes: `"7B"`, `"< 8B"`, `"<= 8B"`, `"> 13B"`, `">= 70B"`,
    /// `"8B - 13B"`.
    SizeRange,
    /// Port ranges: `"8000-8999"`, or several separated by commas (`"3000-3999,9000-9999"`).
    PortRanges,
}

/// A mapping with known keys.
///
/// Keys beyond `fields` are accepted: the consumers of these files (`aiblint generate`, the
/// routing, people's own scripts) ignore what they do not read. Only a key that looks like
/// a misspelling of a key that is read is a defect (`S101`); with `strict = true` in
/// aiblint.toml the others are warnings (`S116`), except in `open` (free-form) mappings.
#[derive(Debug)]
pub struct MapSchema {
    /// What the mapping is, for messages: "provider", "model".
    pub name: &'static str,
    pub fields: &'static [Field],
    /// Whether further keys are expected (free-form metadata): not even `strict` reports
    /// them.
    pub open: bool,
    /// The shape of every key not in `fields`, when such keys are entries of their own (the
    /// services of ports.yaml), with the format their names must have.
    pub rest: Option<(Format, &'static Shape)>,
}

#[derive(Debug)]
pub struct Field {
    /// The key; a leading `*` matches any key ending with the rest (`*_thresholds`).
    pub key: &'static str,
    pub shape: Shape,
    pub required: bool,
    /// Allowed by schema 1.x, removed in 2.0.0.
    pub legacy: bool,
    /// Whether a consumer reads the key (so that a near miss of it is a likely typo).
    /// Keys that are only accepted (documentation such as `notes` or `location`) are not.
    pub read: bool,
    pub doc: &'static str,
}

impl Field {
    pub fn matches(&self, key: &str) -> bool {
        match self.key.strip_prefix('*') {
            Some(suffix) => key.ends_with(suffix) && key.len() > suffix.len(),
            None => self.key == key,
        }
    }
}

impl MapSchema {
    pub fn field(&self, key: &str) -> Option<&'static Field> {
        self.fields.iter().find(|f| f.matches(key))
    }

    /// Keys a user may write literally (patterns such as `*_thresholds` excluded).
    pub fn key_names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.literal_fields().map(|f| f.key)
    }

    /// The fields a user may write literally.
    pub fn literal_fields(&self) -> impl Iterator<Item = &'static Field> + '_ {
        self.fields.iter().filter(|f| !f.key.starts_with('*'))
    }
}

const fn field(key: &'static str, shape: Shape, doc: &'static str) -> Field {
    Field {
        key,
        shape,
        required: false,
        legacy: false,
        read: true,
        doc,
    }
}

const fn required(key: &'static str, shape: Shape, doc: &'static str) -> Field {
    Field {
        key,
        shape,
        required: true,
        legacy: false,
        read: true,
        doc,
    }
}

const fn legacy(key: &'static str, doc: &'static str) -> Field {
    Field {
        key,
        shape: Shape::Any,
        required: false,
        legacy: true,
        read: false,
        doc,
    }
}

/// A key people write for people (documentation, inventory): accepted, never read.
const fn accepted(key: &'static str, doc: &'static str) -> Field {
    Field {
        key,
        shape: Shape::Any,
        required: false,
        legacy: false,
        read: false,
        doc,
    }
}

const TEXT: Shape = Shape::Str(Format::Text);
/// The `base_url` of a template provider (see [`conditional_shape`]).
static TEMPLATE_URL: Shape = Shape::Str(Format::TemplateUrl);

/// The shape of `field` in `mapping` (of `schema`) when it depends on a sibling value,
/// which a table cannot say: a template provider's `base_url` may hold a placeholder port.
pub fn conditional_shape(
    schema: &MapSchema,
    field: &Field,
    sibling: impl Fn(&str) -> Option<String>,
) -> Option<&'static Shape> {
    let template = std::ptr::eq(schema, &PROVIDER)
        && field.key == "base_url"
        && sibling("status").as_deref() == Some("template");
    template.then_some(&TEMPLATE_URL)
}
const ID: Shape = Shape::Str(Format::Identifier);
const NOTES: Field = accepted("notes", "Free-form notes; ignored by aiblint.");

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

static METADATA: MapSchema = MapSchema {
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

static PROVIDER: MapSchema = MapSchema {
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

// ---------------------------------------------------------------- model-mappings.yaml

const NULLABLE_ID: Shape = Shape::Nullable(&ID);

static EXACT_MATCH: MapSchema = MapSchema {
    name: "exact match",
    fields: &[
        required(
            "provider",
            ID,
            "The provider id that serves this model name.",
        ),
        field(
            "priority",
            Shape::Enum(PRIORITIES),
            "`primary`, `secondary` or `tertiary`.",
        ),
        field(
            "fallback",
            NULLABLE_ID,
            "Provider id to use when `provider` fails, or null.",
        ),
        field("description", TEXT, "What this route is for."),
        field(
            "backend_model",
            TEXT,
            "The provider's model name when it differs from the requested one.",
        ),
        NOTES,
    ],
    open: false,
    rest: None,
};

static PATTERN: MapSchema = MapSchema {
    name: "pattern",
    fields: &[
        required(
            "pattern",
            Shape::Str(Format::Regex),
            "A regular expression over requested model names.",
        ),
        required(
            "provider",
            ID,
            "The provider id that serves matching names.",
        ),
        field(
            "fallback",
            NULLABLE_ID,
            "Provider id to use when `provider` fails.",
        ),
        field("description", TEXT, "What this pattern is for."),
        NOTES,
    ],
    open: false,
    rest: None,
};

static CAPABILITY: MapSchema = MapSchema {
    name: "capability",
    fields: &[
        field("description", TEXT, "What the capability means."),
        field(
            "preferred_models",
            Shape::List(&TEXT),
            "Model names, best first.",
        ),
        field("provider", ID, "Provider id preferred for this capability."),
        field(
            "providers",
            Shape::List(&ID),
            "Provider ids that serve this capability.",
        ),
        field("fallback", NULLABLE_ID, "Provider id to fall back to."),
        field(
            "routing_strategy",
            TEXT,
            "How to choose among the preferred models.",
        ),
        field(
            "min_context",
            Shape::Int {
                min: 1,
                max: i64::MAX,
            },
            "Minimum context window in tokens.",
        ),
        field(
            "min_model_size",
            Shape::Str(Format::Size),
            "Minimum model size, e.g. `\"13B\"`.",
        ),
        field(
            "*_thresholds",
            Shape::AnyMap,
            "A mapping whose values name models.",
        ),
        NOTES,
    ],
    open: false,
    rest: None,
};

static LB_MEMBER: MapSchema = MapSchema {
    name: "load-balancing member",
    fields: &[
        required("provider", ID, "A provider id in this group."),
        required(
            "weight",
            Shape::Number {
                min: 0.0,
                max: 1.0,
                min_exclusive: false,
            },
            "Share of traffic, `0..1`; the weights of a group sum to 1.0.",
        ),
        field(
            "preferred_model",
            TEXT,
            "The model this provider serves for the group.",
        ),
        legacy(
            "condition",
            "1.x only: a routing condition that no component implemented.",
        ),
        NOTES,
    ],
    open: false,
    rest: None,
};

static LB_GROUP: MapSchema = MapSchema {
    name: "load-balancing group",
    fields: &[
        required(
            "providers",
            Shape::List(&Shape::Map(&LB_MEMBER)),
            "The members and their weights.",
        ),
        field(
            "strategy",
            Shape::Enum(LB_STRATEGIES),
            "How requests are spread over the members.",
        ),
        field("description", TEXT, "What the group is for."),
        legacy(
            "parameters",
            "1.x only: tuning parameters that no component implemented.",
        ),
        NOTES,
    ],
    open: false,
    rest: None,
};

/// A chain entry: a model name, or a mapping that names one (`{model: <name>, ...}`).
const CHAIN_ITEM: Shape = Shape::StrOrMap(Format::Text, &CHAIN_ENTRY);

static CHAIN_ENTRY: MapSchema = MapSchema {
    name: "chain entry",
    fields: &[
        field("model", TEXT, "The model tried at this step."),
        field("provider", ID, "The provider tried at this step."),
    ],
    open: true,
    rest: None,
};

static FALLBACK_CHAIN: MapSchema = MapSchema {
    name: "fallback chain",
    fields: &[
        field("description", TEXT, "What the chain is for."),
        required(
            "chain",
            Shape::List(&CHAIN_ITEM),
            "Model names tried in order; empty for a terminal node.",
        ),
        field("tier", TEXT, "A free label for the chain's tier."),
        accepted(
            "retry_attempts",
            "Retries before moving on, for people and scripts.",
        ),
        accepted(
            "retry_delay_ms",
            "Delay between retries, for people and scripts.",
        ),
        NOTES,
    ],
    open: false,
    rest: None,
};

static SIZE_ROUTE: MapSchema = MapSchema {
    name: "size route",
    fields: &[
        required(
            "size",
            Shape::Str(Format::SizeRange),
            "Model size or size range: `\"7B\"`, `\"< 8B\"`, `\"8B - 13B\"`, `\"> 13B\"`.",
        ),
        required("provider", ID, "Provider id for models of this size."),
        field("fallback", NULLABLE_ID, "Provider id to fall back to."),
        field("reason", TEXT, "Why this size goes there."),
        NOTES,
    ],
    open: false,
    rest: None,
};

static ROUTING_RULES: MapSchema = MapSchema {
    name: "routing rules",
    fields: &[
        field(
            "default_provider",
            ID,
            "Provider id for names nothing else matches.",
        ),
        field(
            "default_fallback",
            NULLABLE_ID,
            "Provider id when the default provider fails.",
        ),
        field(
            "model_size_routing",
            Shape::List(&Shape::Map(&SIZE_ROUTE)),
            "Routes by model size.",
        ),
        legacy(
            "request_metadata_routing",
            "1.x only: routing on request metadata, never implemented.",
        ),
        NOTES,
    ],
    open: false,
    rest: None,
};

pub static MAPPINGS_FILE: MapSchema = MapSchema {
    name: "model-mappings.yaml",
    fields: &[
        field(
            "metadata",
            Shape::Map(&METADATA),
            "File metadata; `schema_version` is required in 2.x.",
        ),
        field(
            "exact_matches",
            Shape::Dict {
                key: Format::Text,
                value: &Shape::Map(&EXACT_MATCH),
            },
            "Requested model names routed to one provider.",
        ),
        field(
            "patterns",
            Shape::List(&Shape::Map(&PATTERN)),
            "Regex routes, first match wins.",
        ),
        field(
            "capabilities",
            Shape::Dict {
                key: Format::Text,
                value: &Shape::Map(&CAPABILITY),
            },
            "Capabilities and the models that serve them best.",
        ),
        field(
            "load_balancing",
            Shape::Dict {
                key: Format::Text,
                value: &Shape::Map(&LB_GROUP),
            },
            "Groups of providers sharing traffic by weight.",
        ),
        field(
            "fallback_chains",
            Shape::Dict {
                key: Format::Text,
                value: &Shape::Map(&FALLBACK_CHAIN),
            },
            "What to try, in order, when a model fails.",
        ),
        field(
            "routing_rules",
            Shape::Map(&ROUTING_RULES),
            "Defaults and size-based routing.",
        ),
        legacy(
            "special_cases",
            "1.x only: special-case routing that no component implemented.",
        ),
        NOTES,
    ],
    open: false,
    rest: None,
};

// ---------------------------------------------------------------- ports.yaml

static PORT_ENTRY: MapSchema = MapSchema {
    name: "port entry",
    fields: &[
        required("port", Shape::Port, "The port number, 1..65535."),
        field(
            "protocol",
            Shape::Enum(PROTOCOLS),
            "`http`, `https`, `tcp` or `grpc`.",
        ),
        field(
            "required",
            Shape::Bool,
            "Whether the service must be running.",
        ),
        field(
            "service",
            Shape::Nullable(&TEXT),
            "The systemd unit, or null.",
        ),
        field(
            "expected_process",
            Shape::List(&TEXT),
            "Process names allowed to hold the port.",
        ),
        field("description", TEXT, "What the service is."),
        field("health_check", TEXT, "How to check the service."),
        NOTES,
    ],
    open: false,
    rest: None,
};

/// ports.yaml: every key is a service, except three sections.
pub static PORTS_FILE: MapSchema = MapSchema {
    name: "ports.yaml",
    fields: &[
        field(
            "reserved",
            Shape::Dict {
                key: Format::Identifier,
                value: &Shape::Map(&PORT_ENTRY),
            },
            "Ports set aside for services not running yet; they must not be used by another service.",
        ),
        field(
            "ranges",
            Shape::Dict {
                key: Format::Text,
                value: &Shape::Str(Format::PortRanges),
            },
            "Named port ranges, `\"8000-8999\"` or `\"3000-3999,9000-9999\"`.",
        ),
        field("metadata", Shape::AnyMap, "Free-form metadata."),
    ],
    open: false,
    rest: Some((Format::Identifier, &Shape::Map(&PORT_ENTRY))),
};

// ---------------------------------------------------------------- litellm-unified.yaml

static LITELLM_PARAMS: MapSchema = MapSchema {
    name: "litellm_params",
    fields: &[
        required(
            "model",
            TEXT,
            "`<provider prefix>/<model>`, e.g. `ollama/llama3.1:8b`.",
        ),
        field("api_base", Shape::Str(Format::Url), "The provider's URL."),
        field("api_key", TEXT, "`os.environ/VAR`, never a literal key."),
        field(
            "custom_llm_provider",
            TEXT,
            "Explicit LiteLLM provider when the model has no prefix.",
        ),
        field(
            "rpm",
            Shape::Int {
                min: 0,
                max: i64::MAX,
            },
            "Requests per minute.",
        ),
        field(
            "tpm",
            Shape::Int {
                min: 0,
                max: i64::MAX,
            },
            "Tokens per minute.",
        ),
        field(
            "timeout",
            Shape::Number {
                min: 0.0,
                max: f64::MAX,
                min_exclusive: true,
            },
            "Request timeout in seconds.",
        ),
        field(
            "stream_timeout",
            Shape::Number {
                min: 0.0,
                max: f64::MAX,
                min_exclusive: true,
            },
            "Streaming timeout in seconds.",
        ),
        field(
            "max_retries",
            Shape::Int {
                min: 0,
                max: i64::MAX,
            },
            "Retries per request.",
        ),
    ],
    open: true,
    rest: None,
};

static MODEL_LIST_ENTRY: MapSchema = MapSchema {
    name: "model_list entry",
    fields: &[
        required("model_name", TEXT, "The name clients request."),
        required(
            "litellm_params",
            Shape::Map(&LITELLM_PARAMS),
            "How LiteLLM calls the deployment.",
        ),
        field(
            "model_info",
            Shape::AnyMap,
            "Free metadata about the deployment.",
        ),
    ],
    open: false,
    rest: None,
};

/// LiteLLM reads a null section (`general_settings:` holding only comments) as `{}`.
const NULLABLE_MAP: Shape = Shape::Nullable(&Shape::AnyMap);

pub static LITELLM_FILE: MapSchema = MapSchema {
    name: "litellm-unified.yaml",
    fields: &[
        required(
            "model_list",
            Shape::List(&Shape::Map(&MODEL_LIST_ENTRY)),
            "Every deployment LiteLLM serves.",
        ),
        field(
            "litellm_settings",
            NULLABLE_MAP,
            "LiteLLM module settings (caching, callbacks, ...).",
        ),
        field(
            "router_settings",
            NULLABLE_MAP,
            "Router settings: strategy, fallbacks, Redis.",
        ),
        field(
            "general_settings",
            NULLABLE_MAP,
            "Proxy settings: master key, database, ...",
        ),
        field(
            "server_settings",
            NULLABLE_MAP,
            "This project's server settings.",
        ),
        field(
            "rate_limit_settings",
            NULLABLE_MAP,
            "This project's rate limit settings.",
        ),
        field(
            "environment_variables",
            NULLABLE_MAP,
            "Environment for the proxy.",
        ),
    ],
    open: false,
    rest: None,
};
