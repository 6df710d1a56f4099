//! JSON Schema (draft 2020-12) of each kind of file, for editors without aiblint's language
//! server (yaml-language-server's `# yaml-language-server: $schema=` modeline). Generated
//! from the tables the rules use: `model::schema` for aiblint's files, LiteLLM's catalogue
//! (`model::litellm`) for LiteLLM configs.

use serde_json::{json, Map, Value};

use crate::model::litellm::{catalogue, KeyType, Section};
use crate::model::schema::{Format, MapSchema, Shape};
use crate::model::FileKind;

const DIALECT: &str = "https://json-schema.org/draft/2020-12/schema";

/// Keys every mapping allows: extension keys (`x-defaults`, for anchors) and keys written as
/// comments in LiteLLM configs.
const EXTENSION_KEYS: &str = "^x-";

/// The JSON Schema of a kind of file, pretty-printed.
pub fn json_schema(kind: FileKind) -> String {
    let schema = match kind {
        FileKind::Litellm => litellm(),
        _ => {
            let mut root = shape(kind.shape());
            if let Value::Object(o) = &mut root {
                let mut head = Map::new();
                head.insert("$schema".into(), json!(DIALECT));
                head.insert(
                    "title".into(),
                    json!(format!("aiblint: {}", kind.file_name())),
                );
                head.append(o);
                root = Value::Object(head);
            }
            root
        }
    };
    // A `Value`'s alternate Display is its pretty JSON, which cannot fail.
    format!("{schema:#}\n")
}

// ------------------------------------------------------------------ aiblint's tables

fn shape(s: &Shape) -> Value {
    match s {
        Shape::Any => json!({}),
        Shape::Str(f) => string(*f),
        Shape::Int { min, max } => {
            let mut o = json!({"type": "integer", "minimum": min});
            if *max != i64::MAX {
                o["maximum"] = json!(max);
            }
            o
        }
        Shape::Port => json!({"type": "integer", "minimum": 1, "maximum": 65535}),
        Shape::Number {
            min,
            max,
            min_exclusive,
        } => {
            let mut o = json!({"type": "number"});
            o[if *min_exclusive {
                "exclusiveMinimum"
            } else {
                "minimum"
            }] = json!(min);
            if *max != f64::MAX {
                o["maximum"] = json!(max);
            }
            o
        }
        Shape::Bool => json!({"type": "boolean"}),
        Shape::Enum(values) => json!({"enum": values}),
        Shape::Map(m) => map(m),
        Shape::Dict { key, value } => {
            let mut o = json!({
                "type": "object",
                "patternProperties": {EXTENSION_KEYS: {}},
                "additionalProperties": shape(value),
            });
            if let Some(pattern) = pattern(*key) {
                o["propertyNames"] =
                    json!({"anyOf": [{"pattern": pattern}, {"pattern": EXTENSION_KEYS}]});
            }
            o
        }
        Shape::List(item) => json!({"type": "array", "items": shape(item)}),
        Shape::StrOrMap(f, m) => json!({"anyOf": [string(*f), map(m)]}),
        Shape::Nullable(inner) => json!({"anyOf": [shape(inner), {"type": "null"}]}),
        Shape::AnyMap => json!({"type": "object"}),
    }
}

fn map(m: &MapSchema) -> Value {
    let mut properties = Map::new();
    let mut patterns = Map::new();
    patterns.insert(EXTENSION_KEYS.into(), json!({}));
    let mut required = Vec::new();
    for f in m.fields {
        let mut s = shape(&f.shape);
        if let Value::Object(o) = &mut s {
            o.insert("description".into(), json!(f.doc));
            if f.legacy {
                o.insert("deprecated".into(), json!(true));
            }
        }
        match f.key.strip_prefix('*') {
            Some(suffix) => {
                patterns.insert(format!(".{}$", regex_escape(suffix)), s);
            }
            None => {
                properties.insert(f.key.into(), s);
                if f.required {
                    required.push(f.key);
                }
            }
        }
    }
    // Keys beyond the table are accepted (aiblint reports only likely typos of read keys),
    // unless the mapping says what they are (the services of ports.yaml).
    let additional = match m.rest {
        Some((_, rest)) => shape(rest),
        None => json!(true),
    };
    let mut o = json!({
        "type": "object",
        "properties": properties,
        "patternProperties": patterns,
        "additionalProperties": additional,
    });
    if !required.is_empty() {
        o["required"] = json!(required);
    }
    o
}

fn string(f: Format) -> Value {
    let mut o = json!({"type": "string"});
    if let Some(p) = pattern(f) {
        o["pattern"] = json!(p);
    }
    if f == Format::Regex {
        o["format"] = json!("regex");
    }
    o
}

/// A regular expression for a format, as far as one can say it (the rules check more).
fn pattern(f: Format) -> Option<&'static str> {
    Some(match f {
        Format::Identifier => "^[A-Za-z0-9_.-]+$",
        Format::Url | Format::TemplateUrl => "^https?://",
        Format::Date => "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
        Format::Size => "^[0-9]+(\\.[0-9]+)?[KMBT]$",
        Format::SemVer => "^(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?(\\+[0-9A-Za-z.-]+)?$",
        Format::EnvVar => "^[A-Z_][A-Z0-9_]*$",
        Format::UrlPath => "^/",
        Format::PortRanges => "^\\s*[0-9]+(\\s*-\\s*[0-9]+)?(\\s*,\\s*[0-9]+(\\s*-\\s*[0-9]+)?)*\\s*$",
        Format::Text | Format::Regex | Format::SizeRange => return None,
    })
}

fn regex_escape(s: &str) -> String {
    s.chars()
        .flat_map(|c| {
            let special = ".^$*+?()[]{}|\\".contains(c);
            special
                .then_some('\\')
                .into_iter()
                .chain(std::iter::once(c))
        })
        .collect()
}

// ------------------------------------------------------------------ LiteLLM's catalogue

fn litellm() -> Value {
    let cat = catalogue();
    let mut properties = Map::new();
    for name in cat.sections() {
        let releases = cat.section_releases(name).and_then(|r| r.only());
        let mut s = match *name {
            "model_list" => {
                json!({"type": ["array", "null"], "items": section(Section::Deployment)})
            }
            "router_settings" => nullable(section(Section::RouterSettings)),
            "general_settings" => nullable(section(Section::GeneralSettings)),
            "litellm_settings" => nullable(section(Section::LitellmSettings)),
            "guardrails" => {
                json!({"type": ["array", "null"], "items": section(Section::Guardrail)})
            }
            "credential_list" => {
                json!({"type": ["array", "null"], "items": section(Section::Credential)})
            }
            "mcp_servers" => {
                json!({"type": ["object", "null"], "additionalProperties": section(Section::McpServer)})
            }
            "include" => json!({"type": ["array", "null"], "items": {"type": "string"}}),
            "environment_variables" | "callback_settings" => json!({"type": ["object", "null"]}),
            _ => json!({}),
        };
        if let (Value::Object(o), Some(only)) = (&mut s, releases) {
            o.insert("description".into(), json!(format!("LiteLLM {only} only")));
        }
        properties.insert((*name).into(), s);
    }
    json!({
        "$schema": DIALECT,
        "title": format!("LiteLLM proxy config (LiteLLM {}; aiblint's catalogue)", cat.version()),
        "type": "object",
        "properties": properties,
        "patternProperties": {"^(x-|#)": {}},
        "additionalProperties": false,
        "$defs": {
            "env": {
                "type": "string",
                "pattern": "^os\\.environ/[A-Za-z_][A-Za-z0-9_]*$",
                "description": "A value LiteLLM reads from this environment variable.",
            },
            "bool": {"anyOf": [{"type": ["boolean", "null"]}, {"$ref": "#/$defs/env"}]},
            "number": {"anyOf": [
                {"type": ["number", "null"]},
                {"type": "string", "pattern": "^\\s*-?[0-9.]+\\s*$"},
                {"$ref": "#/$defs/env"},
            ]},
            "scalar": {"type": ["string", "number", "boolean", "null"]},
            "list": {"type": ["array", "null"]},
            "mapping": {"type": ["object", "null"]},
        },
    })
}

fn nullable(mut s: Value) -> Value {
    if let Some(t) = s.get("type").and_then(Value::as_str).map(str::to_string) {
        s["type"] = json!([t, "null"]);
    }
    s
}

/// A section's keys; sections that keep or pass on unknown keys allow them.
fn section(s: Section) -> Value {
    use crate::model::litellm::UnknownKeys;
    let cat = catalogue();
    let mut properties = Map::new();
    for key in cat.keys(s) {
        let Some(info) = cat.key(s, key) else {
            continue;
        };
        let mut v = match (s, *key) {
            (Section::Deployment, "litellm_params") => section(Section::LitellmParams),
            (Section::Deployment, "model_info") => nullable(section(Section::ModelInfo)),
            (Section::LitellmSettings, "cache_params") => nullable(section(Section::CacheParams)),
            (Section::RouterSettings, "retry_policy") => nullable(section(Section::RetryPolicy)),
            (Section::RouterSettings, "allowed_fails_policy") => {
                nullable(section(Section::AllowedFailsPolicy))
            }
            (Section::RouterSettings, "routing_strategy") => enumeration("routing_strategy"),
            (Section::CacheParams, "type") => enumeration("cache_type"),
            (Section::ModelInfo, "mode") => enumeration("model_info_mode"),
            (Section::McpServer, "transport") => enumeration("mcp_transport"),
            _ => key_type(info.ty),
        };
        if let (Value::Object(o), Some(only)) = (&mut v, info.releases.only()) {
            o.insert("description".into(), json!(format!("LiteLLM {only} only")));
        }
        properties.insert((*key).into(), v);
    }
    let open = matches!(s.unknown_keys(), UnknownKeys::Kept | UnknownKeys::Forwarded);
    let mut o = json!({
        "type": "object",
        "properties": properties,
        "patternProperties": {"^(x-|#)": {}},
        "additionalProperties": open,
    });
    match s {
        Section::Deployment => o["required"] = json!(["model_name", "litellm_params"]),
        Section::LitellmParams => o["required"] = json!(["model"]),
        _ => {}
    }
    o
}

fn enumeration(name: &str) -> Value {
    json!({"anyOf": [{"enum": catalogue().enum_values(name)}, {"$ref": "#/$defs/env"}, {"type": "null"}]})
}

/// Lenient as the validator is: null and `os.environ/` references are always allowed, and
/// numbers may be written as strings.
fn key_type(t: KeyType) -> Value {
    let def = match t {
        KeyType::Bool => "bool",
        KeyType::Int | KeyType::Float => "number",
        KeyType::Str => "scalar",
        KeyType::List => "list",
        KeyType::Dict => "mapping",
        KeyType::Any => return json!({}),
    };
    json!({"$ref": format!("#/$defs/{def}")})
}
