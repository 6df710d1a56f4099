//! The schema of model-mappings.yaml.

use super::providers::{LB_STRATEGIES, METADATA, PRIORITIES};
use super::{accepted, field, legacy, required, Format, MapSchema, Shape, ID, NOTES, TEXT};

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
