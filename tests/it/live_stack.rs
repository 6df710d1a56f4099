//! `aiblint ports` and `aiblint probe` against the stack `.ci/run` starts: a real
//! `redis-server` (with a password) and the mock servers, on free loopback ports given in
//! `AIBLINT_LIVE_*` variables. Without them (plain `cargo test` on a machine without Redis)
//! every test here says SKIPPED on stderr and passes; `.ci/run` sets them and requires
//! `AIBLINT_LIVE_REQUIRED=1`, so there a missing stack fails instead.

use crate::live_support;

use live_support::*;

/// The stack's ports and what its mocks serve, from the environment.
struct Stack {
    redis: u16,
    redis_password: String,
    ollama: u16,
    ollama_models: Vec<String>,
    vllm: u16,
    vllm_models: Vec<String>,
    llama_cpp: u16,
    llama_cpp_models: Vec<String>,
    gateway: u16,
}

fn stack(test: &str) -> Option<Stack> {
    let var = |name: &str| std::env::var(format!("AIBLINT_LIVE_{name}")).ok();
    let port = |name: &str| var(name).and_then(|v| v.parse::<u16>().ok());
    let models = |name: &str| {
        var(name)
            .unwrap_or_default()
            .split(',')
            .filter(|m| !m.is_empty())
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    let found = (|| {
        Some(Stack {
            redis: port("REDIS_PORT")?,
            redis_password: var("REDIS_PASSWORD")?,
            ollama: port("OLLAMA_PORT")?,
            ollama_models: models("OLLAMA_MODELS"),
            vllm: port("VLLM_PORT")?,
            vllm_models: models("VLLM_MODELS"),
            llama_cpp: port("LLAMA_CPP_PORT")?,
            llama_cpp_models: models("LLAMA_CPP_MODELS"),
            gateway: port("GATEWAY_PORT")?,
        })
    })();
    if found.is_none() {
        assert!(
            var("REQUIRED").is_none(),
            "AIBLINT_LIVE_REQUIRED is set but the stack's variables are not all set"
        );
        skip(
            test,
            "no live stack (.ci/run starts redis-server and the mocks and sets AIBLINT_LIVE_*)",
        );
    }
    found
}

fn quoted(models: &[String]) -> String {
    let list: Vec<String> = models.iter().map(|m| format!("\"{m}\"")).collect();
    format!("[{}]", list.join(", "))
}

/// A config set whose providers serve exactly what the stack's mocks serve, with a Redis cache.
fn providers(stack: &Stack, extra_ollama_model: Option<&str>) -> String {
    let mut ollama = stack.ollama_models.clone();
    ollama.extend(extra_ollama_model.map(str::to_string));
    format!(
        "metadata:\n  schema_version: \"2.0.0\"\nproviders:\n  ollama:\n    type: ollama\n    base_url: http://127.0.0.1:{}\n    status: active\n    description: Ollama\n    models: {}\n  vllm-qwen:\n    type: vllm\n    base_url: http://127.0.0.1:{}/v1\n    status: active\n    description: vLLM\n    models: {}\n  llama_cpp:\n    type: llama_cpp\n    base_url: http://127.0.0.1:{}\n    status: active\n    description: llama.cpp\n    models: {}\ncaching:\n  type: redis\n  ttl: 600\n",
        stack.ollama,
        quoted(&ollama),
        stack.vllm,
        quoted(&stack.vllm_models),
        stack.llama_cpp,
        quoted(&stack.llama_cpp_models),
    )
}

#[test]
fn ports_shows_redis_server_running_an_intruder_and_a_free_port() {
    let Some(stack) = stack("ports_shows_redis_server_running_an_intruder_and_a_free_port") else {
        return;
    };
    let free = closed_port();
    let ports = format!(
        "redis:\n  port: {}\n  required: true\nollama:\n  port: {}\n  expected_process: [mock-providers]\nvllm-qwen:\n  port: {}\n  required: true\ngrafana:\n  port: {free}\n",
        stack.redis, stack.ollama, stack.vllm
    );
    let dir = config_set(&[("ports.yaml", &ports)]);
    let out = aiblint(dir.path(), &["ports"], &[]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}{}", stderr(&out));
    let line = |port: u16| {
        text.lines()
            .find(|l| l.split_whitespace().nth(1) == Some(&port.to_string()))
            .unwrap_or_else(|| panic!("no line for port {port}:\n{text}"))
            .to_string()
    };
    let redis = line(stack.redis);
    assert!(
        redis.starts_with("✓") && redis.contains("RUNNING    `redis-server` (pid "),
        "{redis}"
    );
    let ollama = line(stack.ollama);
    assert!(ollama.contains("RUNNING    `mock-providers`"), "{ollama}");
    // The vLLM port is held by a mock, not by vLLM.
    let vllm = line(stack.vllm);
    assert!(
        vllm.starts_with("✗")
            && vllm.contains("CONFLICT   held by `mock-providers` (pid ")
            && vllm.ends_with("; expected vllm"),
        "{vllm}"
    );
    assert!(line(free).contains("AVAILABLE"), "{text}");
    assert!(
        text.contains(&format!(
            "┌─ {}",
            at(
                "config/ports.yaml",
                &ports,
                &format!("{}\n  required", stack.vllm)
            )
        )),
        "{text}"
    );
    assert!(text.contains("error[P610]: port"), "{text}");
}

#[test]
fn probe_finds_everything_served_and_the_cache_answering() {
    let Some(stack) = stack("probe_finds_everything_served_and_the_cache_answering") else {
        return;
    };
    let ports = format!(
        "litellm:\n  port: {}\nredis:\n  port: {}\n",
        stack.gateway, stack.redis
    );
    let dir = config_set(&[
        ("providers.yaml", &providers(&stack, None)),
        ("ports.yaml", &ports),
    ]);
    let redis_port = stack.redis.to_string();
    let env = [
        ("REDIS_HOST", "127.0.0.1"),
        ("REDIS_PORT", redis_port.as_str()),
        ("REDIS_PASSWORD", stack.redis_password.as_str()),
    ];
    let out = aiblint(dir.path(), &["probe"], &env);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}{}", stderr(&out));
    assert!(
        text.contains("✓ redis (cache)") && text.contains("PONG ("),
        "{text}"
    );
    assert!(text.contains("alive ("), "{text}");
    assert!(
        text.contains("Probed 3 of 3 providers, the gateway and the cache in"),
        "{text}"
    );
    assert!(!text.contains("Found"), "nothing to report:\n{text}");
}

#[test]
fn probe_reports_a_model_the_server_lacks_and_a_cache_it_cannot_log_into() {
    let Some(stack) =
        stack("probe_reports_a_model_the_server_lacks_and_a_cache_it_cannot_log_into")
    else {
        return;
    };
    let text = providers(&stack, Some("not-pulled:1b"));
    let dir = config_set(&[("providers.yaml", &text)]);
    let redis_port = stack.redis.to_string();
    let wrong = [
        ("REDIS_HOST", "127.0.0.1"),
        ("REDIS_PORT", redis_port.as_str()),
        ("REDIS_PASSWORD", "not-the-password"),
    ];
    let out = aiblint(dir.path(), &["probe", "--format", "concise"], &wrong);
    let report = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{report}");
    let path = "config/providers.yaml";
    assert!(
        report.contains(&format!(
            "{}: error[H803] model `not-pulled:1b` of provider `ollama` is not served by its server",
            at(path, &text, "\"not-pulled:1b\"")
        )),
        "{report}"
    );
    assert!(
        report.contains(&format!(
            "{}: error[H807] the Redis cache at 127.0.0.1:{} does not answer PING: authentication failed",
            at(path, &text, "redis\n"),
            stack.redis
        )),
        "{report}"
    );
    // No password at all: Redis says NOAUTH.
    let none = [
        ("REDIS_HOST", "127.0.0.1"),
        ("REDIS_PORT", redis_port.as_str()),
    ];
    let out = aiblint(dir.path(), &["probe", "--format", "concise"], &none);
    let report = stdout(&out);
    assert!(
        report.contains("[H807]") && report.contains("NOAUTH"),
        "{report}"
    );
}

#[test]
fn probe_reaches_the_cache_through_litellm_cache_params() {
    let Some(stack) = stack("probe_reaches_the_cache_through_litellm_cache_params") else {
        return;
    };
    let litellm = format!(
        "model_list: []\nlitellm_settings:\n  cache: true\n  cache_params:\n    type: redis\n    host: 127.0.0.1\n    port: {}\n    password: os.environ/STACK_REDIS_PASSWORD\n",
        stack.redis
    );
    let dir = config_set(&[
        ("providers.yaml", "providers: {}\n"),
        ("litellm-unified.yaml", &litellm),
    ]);
    let out = aiblint(
        dir.path(),
        &["probe"],
        &[("STACK_REDIS_PASSWORD", stack.redis_password.as_str())],
    );
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(
        text.contains(&format!("127.0.0.1:{}", stack.redis)) && text.contains("PONG ("),
        "{text}"
    );
}
