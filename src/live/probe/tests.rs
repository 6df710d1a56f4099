//! Unit tests of `live::probe`.

use super::*;
use crate::model::{SetMember, SourceFile};

fn set(files: &[(FileKind, &str)]) -> ConfigSet {
    ConfigSet::new(
        files
            .iter()
            .map(|(kind, text)| SetMember {
                path: kind.file_name().to_string(),
                file: SourceFile::analyze(Some(*kind), text.to_string()).into(),
            })
            .collect(),
    )
}

const PROVIDERS: &str = "\
providers:
  ollama:
    type: ollama
    base_url: http://127.0.0.1:11434/v1
    status: active
  vllm:
    type: vllm
    base_url: http://127.0.0.1:8001
    status: disabled
    requires_api_key: true
    env_var: VLLM_KEY
  openai:
    type: openai
    base_url: https://api.openai.com/v1
    status: active
  lan:
    type: openai_compatible
    base_url: http://gpu-box:8000/v1
    status: active
  tmpl:
    type: openai_compatible
    base_url: http://localhost:CUSTOM_PORT
    status: template
  tools:
    type: tool_server
    base_url: http://127.0.0.1:8600
    status: active
caching:
  type: redis
";

#[test]
fn plans_one_request_per_provider_with_the_right_api() {
    let set = set(&[(FileKind::Providers, PROVIDERS)]);
    let plan = plan(&set, &ProbeOptions::default(), &|_| None);
    type Row = (String, Result<(String, Api, Option<String>, bool), Skip>);
    let summary: Vec<Row> = plan
        .providers
        .iter()
        .map(|(id, p)| {
            (
                id.value.to_string(),
                p.as_ref()
                    .map(|p| (p.url.clone(), p.api, p.key_var.clone(), p.disabled))
                    .map_err(Clone::clone),
            )
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            (
                "ollama".into(),
                Ok((
                    "http://127.0.0.1:11434/api/tags".into(),
                    Api::OllamaTags,
                    None,
                    false
                ))
            ),
            (
                "vllm".into(),
                Ok((
                    "http://127.0.0.1:8001/v1/models".into(),
                    Api::OpenAiModels,
                    Some("VLLM_KEY".into()),
                    true
                ))
            ),
            ("openai".into(), Err(Skip::Cloud)),
            (
                "lan".into(),
                Ok((
                    "http://gpu-box:8000/v1/models".into(),
                    Api::OpenAiModels,
                    None,
                    false
                ))
            ),
            ("tmpl".into(), Err(Skip::Status("template".into()))),
            ("tools".into(), Err(Skip::NoModelApi("tool_server".into()))),
        ]
    );
    let ollama = plan.providers[0].1.as_ref().unwrap();
    assert_eq!(
        ollama.alternative_url.as_deref(),
        Some("http://127.0.0.1:11434/v1/models")
    );
    let cloud = super::plan(
        &set,
        &ProbeOptions {
            cloud: true,
            only: vec!["openai".into()],
        },
        &|_| None,
    );
    assert_eq!(cloud.providers.len(), 1);
    assert_eq!(
        cloud.providers[0].1.as_ref().unwrap().url,
        "https://api.openai.com/v1/models"
    );
    assert!(cloud.cache.is_none(), "--provider leaves the cache out");
}

#[test]
fn the_cache_address_comes_from_cache_params_then_the_environment() {
    let litellm = "litellm_settings:\n  cache: true\n  cache_params:\n    type: redis\n    host: os.environ/REDIS_HOST\n    port: \"6380\"\n    password: os.environ/REDIS_PASSWORD\n";
    let ports = "redis:\n  port: 6390\n";
    let set1 = set(&[
        (FileKind::Providers, PROVIDERS),
        (FileKind::Litellm, litellm),
        (FileKind::Ports, ports),
    ]);
    let env = |var: &str| (var == "REDIS_PASSWORD").then(|| "s3cret".to_string());
    let cache = plan(&set1, &ProbeOptions::default(), &env).cache.unwrap();
    assert_eq!(cache.address(), "127.0.0.1:6380");
    assert_eq!(cache.password.as_deref(), Some("s3cret"));
    assert_eq!(cache.file, FileKind::Providers);
    assert_eq!(
        cache.notes,
        vec!["$REDIS_HOST is not set here", "probed 127.0.0.1"]
    );
    // Without cache_params: LiteLLM's REDIS_* variables, then ports.yaml.
    let set2 = set(&[
        (FileKind::Litellm, "litellm_settings:\n  cache: true\n"),
        (FileKind::Ports, ports),
    ]);
    let env = |var: &str| (var == "REDIS_HOST").then(|| "::1".to_string());
    let cache = plan(&set2, &ProbeOptions::default(), &env).cache.unwrap();
    assert_eq!(cache.address(), "[::1]:6390");
    assert_eq!(cache.file, FileKind::Litellm);
    // A local cache is not probed.
    let set3 = set(&[(
        FileKind::Litellm,
        "litellm_settings:\n  cache: true\n  cache_params:\n    type: local\n",
    )]);
    assert!(plan(&set3, &ProbeOptions::default(), &|_| None)
        .cache
        .is_none());
}

#[test]
fn the_gateway_is_the_litellm_service() {
    let set = set(&[(
        FileKind::Ports,
        "litellm_gateway:\n  port: 4000\n  protocol: http\n",
    )]);
    let gateway = plan(&set, &ProbeOptions::default(), &|_| None)
        .gateway
        .unwrap();
    assert_eq!(gateway.url, "http://127.0.0.1:4000/health/liveliness");
}

#[test]
fn reads_model_lists_and_says_what_is_wrong_with_others() {
    assert_eq!(
        parse_models(
            Api::OllamaTags,
            r#"{"models":[{"name":"a:1","model":"a:1"},{"model":"b"}]}"#
        ),
        Ok(vec!["a:1".to_string(), "b".to_string()])
    );
    assert_eq!(
        parse_models(
            Api::OpenAiModels,
            r#"{"object":"list","data":[{"id":"m"}]}"#
        ),
        Ok(vec!["m".to_string()])
    );
    let garbage = parse_models(Api::OpenAiModels, "<html>oops</html>").unwrap_err();
    assert!(garbage.starts_with("the answer is not JSON"), "{garbage}");
    assert_eq!(
        parse_models(Api::OllamaTags, r#"{"data":[]}"#),
        Err("the answer has no `models` list".to_string())
    );
}

#[test]
fn matches_and_suggests_served_names() {
    let served = vec![
        "qwen2.5-coder:7b-instruct-q4_K_M".to_string(),
        "llama3.1:latest".to_string(),
        "Qwen/Qwen2.5-Coder-14B-Instruct-AWQ".to_string(),
    ];
    assert!(is_served(Api::OllamaTags, "llama3.1", &served));
    assert!(!is_served(Api::OpenAiModels, "llama3.1", &served));
    assert_eq!(
        closest_served("qwen2.5-coder:7b", &served),
        vec!["qwen2.5-coder:7b-instruct-q4_K_M"]
    );
    assert_eq!(
        closest_served("qwen2.5-coder-14b-instruct-awq", &served),
        vec!["Qwen/Qwen2.5-Coder-14B-Instruct-AWQ"]
    );
    assert_eq!(
        closest_served("llama3.1:latst", &served),
        vec!["llama3.1:latest"]
    );
    assert!(closest_served("mistral", &served).is_empty());
}
