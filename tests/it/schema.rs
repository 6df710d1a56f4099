//! `aiblint schema --kind ...` through the real binary: every exported schema is a valid
//! draft 2020-12 schema, the shipped example files validate against theirs with the
//! independent `jsonschema` crate, and files with the mistakes the schemas describe do not.

use crate::common;

use std::fs;

use aiblint::syntax::{parse, Node, NodeKind, Value as Yaml};
use common::{aiblint, root};
use serde_json::{json, Map, Value};

fn schema(kind: &str) -> Value {
    let out = aiblint(root(), &["schema", "--kind", kind]);
    assert!(out.status.success(), "schema --kind {kind} fails");
    serde_json::from_slice(&out.stdout).expect("the schema is JSON")
}

fn validator(kind: &str) -> jsonschema::Validator {
    let schema = schema(kind);
    assert_eq!(
        schema["$schema"],
        json!("https://json-schema.org/draft/2020-12/schema")
    );
    jsonschema::draft202012::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap_or_else(|e| panic!("{kind}: not a valid JSON Schema: {e}"))
}

/// A YAML document as the JSON an editor's YAML support would see.
fn to_json(text: &str) -> Value {
    fn convert(node: &Node) -> Value {
        match &node.resolved().kind {
            NodeKind::Scalar(s) => match s.resolve() {
                Yaml::Null => Value::Null,
                Yaml::Bool(b) => json!(b),
                Yaml::Int(i) => json!(i),
                Yaml::Float(f) => json!(f),
                Yaml::Str(s) => json!(s),
            },
            NodeKind::Sequence(items) => Value::Array(items.iter().map(convert).collect()),
            NodeKind::Mapping(_) => {
                let mut map = Map::new();
                for e in node.entries() {
                    let key = e.key.scalar_text().unwrap_or_default().to_string();
                    map.insert(key, convert(&e.value));
                }
                Value::Object(map)
            }
            NodeKind::Alias(_) => Value::Null,
        }
    }
    let parsed = parse(text);
    assert!(parsed.errors.is_empty(), "the YAML parses");
    convert(parsed.root.as_ref().expect("a document"))
}

fn errors(validator: &jsonschema::Validator, yaml: &str) -> Vec<String> {
    validator
        .iter_errors(&to_json(yaml))
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect()
}

#[test]
fn the_shipped_example_validates_against_every_schema() {
    for (kind, file) in [
        ("providers", "providers.yaml"),
        ("mappings", "model-mappings.yaml"),
        ("litellm", "litellm-unified.yaml"),
        ("ports", "ports.yaml"),
    ] {
        let text = fs::read_to_string(root().join("config").join(file)).unwrap();
        let found = errors(&validator(kind), &text);
        assert!(found.is_empty(), "config/{file}: {found:#?}");
    }
}

#[test]
fn a_documented_litellm_config_validates() {
    let config = "\
model_list:
  - model_name: gpt-4o
    litellm_params:
      model: openai/gpt-4o
      api_key: os.environ/OPENAI_API_KEY
      rpm: 600
  - model_name: llama3.1
    litellm_params:
      model: ollama_chat/llama3.1
      api_base: http://localhost:11434
    model_info:
      mode: chat
litellm_settings:
  drop_params: true
  cache: true
  cache_params:
    type: redis
router_settings:
  routing_strategy: least-busy
  num_retries: 2
  fallbacks: [{gpt-4o: [llama3.1]}]
general_settings:
  master_key: os.environ/LITELLM_MASTER_KEY
  # only comments: null is an empty section
environment_variables:
  REDIS_HOST: localhost
";
    let found = errors(&validator("litellm"), config);
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn the_schemas_reject_what_the_rules_reject() {
    let litellm = validator("litellm");
    for (yaml, what) in [
        (
            "model_list:\n  - model_name: a\n",
            "a deployment without litellm_params",
        ),
        (
            "router_settings:\n  routing_strategy: least_busy\n",
            "an unknown routing strategy",
        ),
        (
            "general_settings:\n  enable_cors: true\n",
            "a key general_settings ignores",
        ),
        (
            "server_settings:\n  port: 4000\n",
            "a section LiteLLM ignores",
        ),
        (
            "router_settings:\n  enable_pre_call_checks: [true]\n",
            "a list where a boolean goes",
        ),
    ] {
        assert!(!errors(&litellm, yaml).is_empty(), "accepts {what}");
    }
    let providers = validator("providers");
    let bad = "providers:\n  ollama:\n    type: olama\n    base_url: http://127.0.0.1:11434\n    status: active\n    description: x\n";
    assert!(!errors(&providers, bad).is_empty(), "accepts a bad type");
    let ports = validator("ports");
    assert!(!errors(&ports, "redis:\n  port: 70000\n").is_empty());
}

#[test]
fn an_unknown_kind_is_a_usage_error() {
    let out = aiblint(root(), &["schema", "--kind", "grafana"]);
    assert_eq!(out.status.code(), Some(2));
}
