//! The schema of a LiteLLM proxy config (litellm-unified.yaml, litellm-settings.yaml).

use super::{field, required, Format, MapSchema, Shape, TEXT};

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
