//! `aiblint ports` and `aiblint probe` against real processes: the `mock-providers` example
//! as Ollama, vLLM, llama.cpp and LiteLLM servers, and ports held by this test. These tests
//! are the fixtures of the live rules (P610-P612, H801-H806); H807 against a real Redis is in
//! `tests/it/live_stack.rs`, which `.ci/run` runs with redis-server. Everything stays on loopback.

use crate::live_support;

use live_support::*;

// ---------------------------------------------------------------------------------- ports

#[test]
fn ports_shows_running_conflict_and_available_with_diagnostics_at_the_entry() {
    let vllm = Mock::start("vllm", &["m"], &[]);
    let intruder = hold("0.0.0.0:0");
    let intruder_port = intruder.local_addr().unwrap().port();
    let intruder6 = hold("[::1]:0");
    let intruder6_port = intruder6.local_addr().unwrap().port();
    let free = closed_port();
    let ports = format!(
        "vllm-qwen:\n  port: {vllm}\n  expected_process: [mock-providers]\n\
         redis:\n  port: {intruder_port}\n  required: true\n\
         grafana:\n  port: {intruder6_port}\n\
         ollama:\n  port: {free}\n  required: true\n",
        vllm = vllm.port
    );
    let dir = config_set(&[("ports.yaml", &ports)]);
    let out = aiblint(dir.path(), &["ports"], &[]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    let me = format!("`{}` (pid {})", own_name(), std::process::id());
    let line = |port: u16| {
        text.lines()
            .find(|l| l.split_whitespace().nth(1) == Some(&port.to_string()))
            .unwrap_or_else(|| panic!("no line for port {port}:\n{text}"))
            .to_string()
    };
    let running = line(vllm.port);
    assert!(running.starts_with("✓"), "{running}");
    assert!(running.contains("RUNNING"), "{running}");
    assert!(
        running.contains(&format!("`mock-providers` (pid {})", vllm.pid())),
        "{running}"
    );
    let conflict = line(intruder_port);
    assert!(conflict.starts_with("✗"), "{conflict}");
    assert!(
        conflict.contains(&format!(
            "CONFLICT   held by {me}; expected redis-server, valkey-server"
        )),
        "{conflict}"
    );
    // An IPv6 loopback bind is found as well.
    let conflict6 = line(intruder6_port);
    assert!(
        conflict6.contains(&format!("held by {me}; expected grafana")),
        "{conflict6}"
    );
    let available = line(free);
    assert!(available.starts_with("✓"), "{available}");
    assert!(available.contains("AVAILABLE"), "{available}");
    assert!(
        text.contains("4 ports: 1 running, 2 conflicts, 1 available. Found 2 errors, 1 warning."),
        "{text}"
    );
    // The conflicts are diagnostics at the service's `port`.
    let redis_port = at(
        "config/ports.yaml",
        &ports,
        &format!("{intruder_port}\n  required"),
    );
    assert!(
        text.contains(&format!("┌─ {redis_port}")),
        "no code frame at {redis_port}:\n{text}"
    );
    assert!(text.contains(&format!(
        "error[P610]: port {intruder_port} of service `redis` is held by {me}, not by redis-server, valkey-server"
    )));
    assert!(text.contains(&format!(
        "warning[P612]: required service `ollama` is not running: nothing listens on port {free}"
    )));
    drop(intruder);
    drop(intruder6);
}

#[test]
fn ports_reports_in_every_format_at_the_config_line() {
    let intruder = hold("127.0.0.1:0");
    let port = intruder.local_addr().unwrap().port();
    let ports = format!("litellm:\n  port: {port}\n");
    let dir = config_set(&[("ports.yaml", &ports)]);
    let location = at("config/ports.yaml", &ports, &port.to_string());

    let concise = aiblint(dir.path(), &["ports", "--format", "concise"], &[]);
    assert_eq!(concise.status.code(), Some(1));
    let text = stdout(&concise);
    assert!(
        text.starts_with(&format!(
            "{location}: error[P610] port {port} of service `litellm` is held by `{}`",
            own_name()
        )),
        "{text}"
    );
    assert_eq!(text.lines().count(), 1, "concise prints no table:\n{text}");

    let json = aiblint(dir.path(), &["ports", "--format", "json"], &[]);
    let doc: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let d = &doc["diagnostics"][0];
    assert_eq!(d["code"], "P610");
    assert_eq!(d["file"], "config/ports.yaml");
    assert_eq!(d["start"]["line"], 2);
    assert_eq!(d["start"]["column"], 9);
    assert!(d["url"].as_str().unwrap().ends_with("#p610"));

    let github = aiblint(dir.path(), &["ports", "--format", "github"], &[]);
    assert!(stdout(&github)
        .starts_with("::error file=config/ports.yaml,line=2,col=9,endLine=2,endColumn=",));

    let sarif = aiblint(dir.path(), &["ports", "--format", "sarif"], &[]);
    let log: serde_json::Value = serde_json::from_slice(&sarif.stdout).unwrap();
    let run = &log["runs"][0];
    let result = &run["results"][0];
    assert_eq!(result["ruleId"], "P610");
    let index = result["ruleIndex"].as_u64().unwrap() as usize;
    assert_eq!(run["tool"]["driver"]["rules"][index]["id"], "P610");
    drop(intruder);
}

#[test]
fn ports_wants_reserved_ports_free() {
    let intruder = hold("127.0.0.1:0");
    let port = intruder.local_addr().unwrap().port();
    let free = closed_port();
    let ports = format!(
        "reserved:\n  embedding_service:\n    port: {port}\n    description: later\n  ab_testing:\n    port: {free}\n    description: later\n"
    );
    let dir = config_set(&[("ports.yaml", &ports)]);
    let out = aiblint(dir.path(), &["ports"], &[]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    let me = format!("`{}` (pid {})", own_name(), std::process::id());
    assert!(
        text.contains(&format!(
            "✗ {port:<6} embedding_service  CONFLICT   held by {me}; reserved"
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "✓ {free:<6} ab_testing         AVAILABLE  free, reserved"
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "error[P611]: reserved port {port} (`embedding_service`) is held by {me}"
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "┌─ {}",
            at("config/ports.yaml", &ports, &port.to_string())
        )),
        "{text}"
    );
    drop(intruder);
}

#[test]
fn ports_required_checks_only_required_services() {
    let intruder = hold("127.0.0.1:0");
    let port = intruder.local_addr().unwrap().port();
    let free = closed_port();
    let ports = format!(
        "prometheus:\n  port: {port}\n  required: false\nredis:\n  port: {free}\n  required: true\n"
    );
    let dir = config_set(&[("ports.yaml", &ports)]);
    let out = aiblint(dir.path(), &["ports", "--required"], &[]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(!text.contains("prometheus"), "{text}");
    assert!(text.contains("1 port: 1 available."), "{text}");
    drop(intruder);
}

#[test]
fn ports_checks_local_providers_that_ports_yaml_does_not_declare() {
    let intruder = hold("127.0.0.1:0");
    let port = intruder.local_addr().unwrap().port();
    let providers = format!(
        "providers:\n  ollama:\n    type: ollama\n    base_url: http://localhost:{port}\n    status: active\n    description: Ollama\n  far:\n    type: vllm\n    base_url: http://203.0.113.9:{port}\n    status: active\n    description: elsewhere\n"
    );
    let dir = config_set(&[("providers.yaml", &providers)]);
    let out = aiblint(dir.path(), &["ports", "--format", "concise"], &[]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    let location = at("config/providers.yaml", &providers, "http://localhost");
    assert!(
        text.contains(&format!(
            "{location}: error[P610] port {port} of provider `ollama` is held by `{}`",
            own_name()
        )),
        "{text}"
    );
    assert_eq!(
        text.lines().count(),
        1,
        "a remote provider is not checked:\n{text}"
    );
    drop(intruder);
}

#[test]
fn ports_says_when_a_process_may_not_be_inspected() {
    // Needs two users: this test (root) holds the port, aiblint runs as `nobody`.
    if !std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .any(|l| l.starts_with("Uid:") && l.split_whitespace().nth(1) == Some("0"))
    {
        skip(
            "ports_says_when_a_process_may_not_be_inspected",
            "needs root (CI runs as root)",
        );
        return;
    }
    use std::os::unix::fs::PermissionsExt;
    use std::os::unix::process::CommandExt;
    let intruder = hold("127.0.0.1:0");
    let port = intruder.local_addr().unwrap().port();
    let dir = config_set(&[("ports.yaml", &format!("redis:\n  port: {port}\n"))]);
    for path in [dir.path().to_path_buf(), dir.path().join("config")] {
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_aiblint"));
    command
        .args(["ports"])
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .uid(65534)
        .gid(65534);
    let out = run_bounded(command);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}{}", stderr(&out));
    assert!(
        text.contains("?")
            && text.contains("IN USE")
            && text.contains("held by a process of uid 0 that aiblint may not inspect"),
        "{text}"
    );
    drop(intruder);
}

// ---------------------------------------------------------------------------------- probe

/// One provider of a test's providers.yaml: id, type, base_url, status, models, extra lines.
type ProviderEntry<'a> = (&'a str, &'a str, String, &'a str, &'a [&'a str], &'a str);

/// providers.yaml with `entries`.
fn providers(entries: &[ProviderEntry]) -> String {
    let mut text = String::from("providers:\n");
    for (id, kind, url, status, models, extra) in entries {
        text += &format!(
            "  {id}:\n    type: {kind}\n    base_url: {url}\n    status: {status}\n    description: {id}\n{extra}"
        );
        if !models.is_empty() {
            text += "    models:\n";
            for m in *models {
                text += &format!("      - \"{m}\"\n");
            }
        }
    }
    text
}

#[test]
fn probe_reports_each_model_difference_at_its_line_with_did_you_mean() {
    let ollama = Mock::start(
        "ollama",
        &[
            "qwen2.5-coder:7b-instruct-q4_K_M",
            "llama3.1:latest",
            "phi3:mini",
        ],
        &[],
    );
    let vllm = Mock::start("vllm", &["Qwen/Qwen2.5-Coder-14B-Instruct-AWQ"], &[]);
    let text = providers(&[
        (
            "ollama",
            "ollama",
            format!("http://127.0.0.1:{}", ollama.port),
            "active",
            &["qwen2.5-coder:7b", "llama3.1"],
            "",
        ),
        (
            "vllm-qwen",
            "vllm",
            format!("http://127.0.0.1:{}/v1", vllm.port),
            "active",
            &["Qwen2.5-Coder-14B-Instruct-AWQ", "mistral-7b"],
            "",
        ),
    ]);
    let dir = config_set(&[("providers.yaml", &text)]);
    let out = aiblint(dir.path(), &["probe", "--format", "concise"], &[]);
    let report = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{report}{}", stderr(&out));
    let path = "config/providers.yaml";
    let expected = [
        format!(
            "{}: info[H804] provider `ollama` serves 1 model that providers.yaml does not list: `phi3:mini`",
            at(path, &text, "ollama:")
        ),
        format!(
            "{}: error[H803] model `qwen2.5-coder:7b` of provider `ollama` is not served by its server (did you mean `qwen2.5-coder:7b-instruct-q4_K_M`?)",
            at(path, &text, "\"qwen2.5-coder:7b\"")
        ),
        format!(
            "{}: error[H803] model `Qwen2.5-Coder-14B-Instruct-AWQ` of provider `vllm-qwen` is not served by its server (did you mean `Qwen/Qwen2.5-Coder-14B-Instruct-AWQ`?)",
            at(path, &text, "\"Qwen2.5-Coder")
        ),
        format!(
            "{}: error[H803] model `mistral-7b` of provider `vllm-qwen` is not served by its server (the server serves `Qwen/Qwen2.5-Coder-14B-Instruct-AWQ`)",
            at(path, &text, "\"mistral-7b\"")
        ),
    ];
    let lines: Vec<&str> = report.lines().collect();
    for want in &expected {
        assert!(
            lines.iter().any(|l| l.starts_with(want.as_str())),
            "missing\n  {want}\nin\n{report}"
        );
    }
    assert_eq!(lines.len(), expected.len(), "{report}");
    // `llama3.1` is served as `llama3.1:latest`: not reported.
    assert!(!report.contains("`llama3.1`"), "{report}");
}

#[test]
fn probe_holds_its_deadline_against_a_server_that_never_answers() {
    let stuck = Mock::start("llama-cpp", &["m"], &["--behaviour", "hang"]);
    let fine = Mock::start("vllm", &["m"], &[]);
    let text = providers(&[
        (
            "stuck",
            "llama_cpp",
            format!("http://127.0.0.1:{}", stuck.port),
            "active",
            &["m"],
            "",
        ),
        (
            "fine",
            "vllm",
            format!("http://127.0.0.1:{}", fine.port),
            "active",
            &["m"],
            "",
        ),
    ]);
    let dir = config_set(&[("providers.yaml", &text)]);
    let out = aiblint(dir.path(), &["probe", "--timeout", "1s"], &[]);
    let report = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{report}");
    assert!(
        report.contains(&format!(
            "error[H801]: provider `stuck` is unreachable: no answer within 1s (GET http://127.0.0.1:{}/v1/models)",
            stuck.port
        )),
        "{report}"
    );
    // The other provider's answer is kept.
    assert!(report.contains("✓ fine"), "{report}");
    assert!(report.contains("1 model ("), "{report}");
}

#[test]
fn probe_reports_garbage_http_errors_and_closed_ports() {
    let junk = Mock::start("vllm", &["m"], &["--behaviour", "garbage"]);
    let failing = Mock::start("vllm", &["m"], &["--behaviour", "status=503"]);
    let closed = closed_port();
    let text = providers(&[
        (
            "junk",
            "vllm",
            format!("http://127.0.0.1:{}", junk.port),
            "active",
            &["m"],
            "",
        ),
        (
            "failing",
            "vllm",
            format!("http://127.0.0.1:{}", failing.port),
            "active",
            &["m"],
            "",
        ),
        (
            "gone",
            "openai_compatible",
            format!("http://127.0.0.1:{closed}/v1"),
            "active",
            &["m"],
            "",
        ),
    ]);
    let dir = config_set(&[("providers.yaml", &text)]);
    let out = aiblint(dir.path(), &["probe", "--format", "concise"], &[]);
    let report = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{report}");
    let path = "config/providers.yaml";
    for want in [
        format!(
            "{}: error[H802] provider `junk` answers GET http://127.0.0.1:{}/v1/models with something that is not a model list: the answer is not JSON",
            at(path, &text, &format!("http://127.0.0.1:{}", junk.port)),
            junk.port
        ),
        format!(
            "{}: error[H801] provider `failing` is unreachable: HTTP 503 Service Unavailable",
            at(path, &text, &format!("http://127.0.0.1:{}", failing.port))
        ),
        format!(
            "{}: error[H801] provider `gone` is unreachable: connection refused (GET http://127.0.0.1:{closed}/v1/models) (nothing listens on port {closed}",
            at(path, &text, &format!("http://127.0.0.1:{closed}"))
        ),
    ] {
        assert!(
            report.lines().any(|l| l.starts_with(&want)),
            "missing\n  {want}\nin\n{report}"
        );
    }
}

#[test]
fn probe_reports_a_failed_tls_handshake() {
    let plain = Mock::start("vllm", &["m"], &[]);
    let text = providers(&[(
        "tls",
        "vllm",
        format!("https://127.0.0.1:{}", plain.port),
        "active",
        &["m"],
        "",
    )]);
    let dir = config_set(&[("providers.yaml", &text)]);
    let out = aiblint(dir.path(), &["probe", "--format", "concise"], &[]);
    let report = stdout(&out);
    assert!(
        report.starts_with(&format!(
            "{}: error[H801] provider `tls` is unreachable: TLS handshake failed:",
            at("config/providers.yaml", &text, "https://")
        )) && report.contains("use `http://` if the server does not speak TLS"),
        "{report}"
    );
}

#[test]
fn probe_tells_a_wrong_type_by_the_api_the_server_answers() {
    let vllm = Mock::start("vllm", &["m"], &[]);
    let text = providers(&[(
        "local",
        "ollama",
        format!("http://127.0.0.1:{}", vllm.port),
        "active",
        &["m"],
        "",
    )]);
    let dir = config_set(&[("providers.yaml", &text)]);
    let out = aiblint(dir.path(), &["probe", "--format", "concise"], &[]);
    let report = stdout(&out);
    assert!(
        report.contains("HTTP 404 Not Found")
            && report.contains(
                "the server has no /api/tags but answers /v1/models: is `type: ollama` right?"
            ),
        "{report}"
    );
}

#[test]
fn probe_notes_a_disabled_provider_that_serves_and_exits_0_on_notes() {
    let vllm = Mock::start("vllm", &["dolphin"], &[]);
    let text = providers(&[(
        "vllm-dolphin",
        "vllm",
        format!("http://127.0.0.1:{}", vllm.port),
        "disabled",
        &["dolphin"],
        "",
    )]);
    let dir = config_set(&[("providers.yaml", &text)]);
    let out = aiblint(dir.path(), &["probe", "--format", "concise"], &[]);
    let report = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{report}");
    assert_eq!(
        report.trim_end(),
        format!(
            "{}: info[H805] provider `vllm-dolphin` is disabled but its server is serving (1 model) (stop the server to free its resources, or set `status: active` to use it)",
            at("config/providers.yaml", &text, "disabled")
        )
    );
    // A disabled provider that does not answer is as expected: nothing to report.
    let closed = closed_port();
    let quiet = providers(&[(
        "off",
        "vllm",
        format!("http://127.0.0.1:{closed}"),
        "disabled",
        &[],
        "",
    )]);
    let dir = config_set(&[("providers.yaml", &quiet)]);
    let out = aiblint(dir.path(), &["probe", "--format", "concise"], &[]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout(&out), "");
}

#[test]
fn probe_sends_an_api_key_only_to_its_own_provider() {
    // Both servers want the same key; only `keyed` is configured with it.
    let keyed = Mock::start("vllm", &["m"], &["--api-key", "k-123"]);
    let other = Mock::start("vllm", &["m"], &["--api-key", "k-123"]);
    let key_lines = "    requires_api_key: true\n    env_var: KEYED_API_KEY\n";
    let text = providers(&[
        (
            "keyed",
            "vllm",
            format!("http://127.0.0.1:{}", keyed.port),
            "active",
            &["m"],
            key_lines,
        ),
        (
            "other",
            "vllm",
            format!("http://127.0.0.1:{}", other.port),
            "active",
            &["m"],
            "",
        ),
    ]);
    let dir = config_set(&[("providers.yaml", &text)]);
    let out = aiblint(
        dir.path(),
        &["probe", "--format", "concise"],
        &[("KEYED_API_KEY", "k-123")],
    );
    let report = stdout(&out);
    assert_eq!(
        report.trim_end(),
        format!(
            "{}: error[H801] provider `other` is unreachable: HTTP 401 Unauthorized (GET http://127.0.0.1:{}/v1/models) (the server wants an API key: set `requires_api_key: true` and `env_var`, and export the variable)",
            at("config/providers.yaml", &text, &format!("http://127.0.0.1:{}", other.port)),
            other.port
        )
    );
    // A redirect is not followed: the key would travel to another URL.
    let elsewhere = format!("http://127.0.0.1:{}", keyed.port);
    let redirecting = Mock::start(
        "vllm",
        &["m"],
        &["--behaviour", &format!("redirect={elsewhere}")],
    );
    let moved = providers(&[(
        "moved",
        "vllm",
        format!("http://127.0.0.1:{}", redirecting.port),
        "active",
        &["m"],
        key_lines,
    )]);
    let moved_dir = config_set(&[("providers.yaml", &moved)]);
    let out = aiblint(
        moved_dir.path(),
        &["probe", "--format", "concise"],
        &[("KEYED_API_KEY", "k-123")],
    );
    assert!(
        stdout(&out).contains(&format!(
            "error[H801] provider `moved` is unreachable: redirects to {elsewhere}/v1/models (not followed)"
        )),
        "{}",
        stdout(&out)
    );
    // Without the variable, the keyed provider is refused too, and the help names it.
    let out = aiblint(dir.path(), &["probe", "--format", "concise"], &[]);
    assert!(
        stdout(&out).contains("is $KEYED_API_KEY set here"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn probe_checks_the_gateway_health_at_its_ports_yaml_entry() {
    let gateway = Mock::start("litellm", &["m"], &[]);
    let dir = config_set(&[
        ("providers.yaml", "providers: {}\n"),
        (
            "ports.yaml",
            &format!("litellm:\n  port: {}\n  protocol: http\n", gateway.port),
        ),
    ]);
    let out = aiblint(dir.path(), &["probe"], &[]);
    let report = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{report}");
    assert!(
        report.contains(&format!(
            "✓ litellm (gateway)  http://127.0.0.1:{}/health/liveliness  alive (",
            gateway.port
        )),
        "{report}"
    );
    let closed = closed_port();
    let ports = format!("litellm_gateway:\n  port: {closed}\n");
    let dir = config_set(&[
        ("providers.yaml", "providers: {}\n"),
        ("ports.yaml", &ports),
    ]);
    let out = aiblint(dir.path(), &["probe", "--format", "concise"], &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).starts_with(&format!(
        "{}: error[H806] the gateway `litellm_gateway` fails its health check: connection refused",
        at("config/ports.yaml", &ports, &closed.to_string())
    )));
}

#[test]
fn probe_reports_an_unreachable_cache_at_the_caching_block() {
    let closed = closed_port();
    let text = "providers: {}\ncaching:\n  type: redis\n  ttl: 600\n";
    let dir = config_set(&[("providers.yaml", text)]);
    let port = closed.to_string();
    let out = aiblint(
        dir.path(),
        &["probe", "--format", "concise"],
        &[("REDIS_HOST", "127.0.0.1"), ("REDIS_PORT", &port)],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).starts_with(&format!(
        "{}: error[H807] the Redis cache at 127.0.0.1:{closed} does not answer PING: connection refused",
        at("config/providers.yaml", text, "redis")
    )));
}

#[test]
fn probe_skips_cloud_apis_unless_asked_and_filters_by_provider() {
    let vllm = Mock::start("vllm", &["m"], &[]);
    let text = providers(&[
        (
            "openai",
            "openai",
            "https://api.openai.com/v1".to_string(),
            "active",
            &["gpt-4o"],
            "",
        ),
        (
            "local",
            "vllm",
            format!("http://127.0.0.1:{}", vllm.port),
            "active",
            &["m"],
            "",
        ),
    ]);
    let dir = config_set(&[("providers.yaml", &text)]);
    let out = aiblint(dir.path(), &["probe"], &[]);
    let report = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{report}");
    assert!(report.contains("- openai"), "{report}");
    assert!(
        report.contains("cloud API, skipped (--cloud probes it)"),
        "{report}"
    );
    assert!(report.contains("Probed 1 of 2 providers in"), "{report}");

    let out = aiblint(dir.path(), &["probe", "--provider", "local"], &[]);
    let report = stdout(&out);
    assert!(!report.contains("openai"), "{report}");
    assert!(report.contains("Probed 1 of 1 provider in"), "{report}");

    let out = aiblint(dir.path(), &["probe", "--provider", "locl"], &[]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("no provider `locl` in providers.yaml")
            && err.contains("did you mean `local`?"),
        "{err}"
    );
}

#[test]
fn a_file_that_does_not_parse_is_a_usage_error_not_a_clean_bill() {
    let dir = config_set(&[("ports.yaml", "redis:\n  port: [6379\n")]);
    let out = aiblint(dir.path(), &["ports"], &[]);
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    assert!(
        stderr(&out).contains("config/ports.yaml cannot be read as a ports.yaml"),
        "{}",
        stderr(&out)
    );
    let dir = config_set(&[("providers.yaml", "providers:\n  - [\n")]);
    let out = aiblint(dir.path(), &["probe"], &[]);
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
}

#[test]
fn live_settings_apply_as_for_check() {
    let intruder = hold("127.0.0.1:0");
    let port = intruder.local_addr().unwrap().port();
    let dir = config_set(&[("ports.yaml", &format!("redis:\n  port: {port}\n"))]);
    std::fs::write(
        dir.path().join("config/aiblint.toml"),
        "[rules]\nport-conflict = \"warning\"\n",
    )
    .unwrap();
    let out = aiblint(dir.path(), &["ports", "--format", "concise"], &[]);
    assert_eq!(out.status.code(), Some(0), "a warning does not fail");
    assert!(stdout(&out).contains("warning[P610]"), "{}", stdout(&out));
    drop(intruder);
}

#[test]
fn check_never_runs_the_live_rules_and_explain_says_who_does() {
    let out = aiblint(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")),
        &["explain", "H803"],
        &[],
    );
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        text.contains("Reported by `aiblint probe`, not by `aiblint check`."),
        "{text}"
    );
    let rules = stdout(&aiblint(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")),
        &["rules"],
        &[],
    ));
    assert!(rules.contains("P610") && rules.contains("H807"), "{rules}");
}

// ------------------------------------------------------------------ docker-compose.test.yml

/// docker-compose.test.yml publishes the ports fixtures/live/compose declares, and its mocks
/// serve the models that set configures; the set itself is clean.
#[test]
fn the_compose_stack_and_its_config_set_agree() {
    use aiblint::syntax::{parse, Node};
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let read = |p: &str| std::fs::read_to_string(root.join(p)).unwrap();
    let compose = parse(&read("docker-compose.test.yml"));
    let services = compose.root.as_ref().unwrap().get("services").unwrap();
    // Published host port → the mock's --models (empty for third-party images).
    let mut published: Vec<(u16, Vec<String>)> = Vec::new();
    for entry in services.entries() {
        let service = &entry.value;
        let words = |key: &str| -> Vec<String> {
            service
                .get(key)
                .and_then(Node::as_sequence)
                .unwrap_or_default()
                .iter()
                .filter_map(|n| n.as_str().map(str::to_string))
                .collect()
        };
        for port in words("ports") {
            let parts: Vec<&str> = port.split(':').collect();
            assert_eq!(parts.len(), 3, "`{port}`: publish on 127.0.0.1 only");
            assert_eq!(parts[0], "127.0.0.1", "`{port}`: publish on 127.0.0.1 only");
            let command = words("command");
            let models = command
                .iter()
                .position(|w| w == "--models")
                .map(|i| command[i + 1].split(',').map(str::to_string).collect())
                .unwrap_or_default();
            published.push((parts[1].parse().unwrap(), models));
        }
    }
    let set = "fixtures/live/compose";
    let ports = read(&format!("{set}/ports.yaml"));
    let mut declared: Vec<u16> = ports
        .lines()
        .filter_map(|l| l.trim().strip_prefix("port: ")?.parse().ok())
        .collect();
    let mut publishing: Vec<u16> = published.iter().map(|(p, _)| *p).collect();
    declared.sort_unstable();
    publishing.sort_unstable();
    assert_eq!(
        declared, publishing,
        "ports.yaml and the published ports differ"
    );

    let providers = aiblint::model::SourceFile::analyze(
        Some(aiblint::model::FileKind::Providers),
        read(&format!("{set}/providers.yaml")),
    );
    let aiblint::model::Config::Providers(providers) = providers.config else {
        panic!("providers.yaml does not parse");
    };
    let litellm = read(&format!("{set}/litellm-unified.yaml"));
    let mut gateway_models: Vec<String> = litellm
        .lines()
        .filter_map(|l| l.trim().strip_prefix("- model_name: "))
        .map(str::to_string)
        .collect();
    gateway_models.sort();
    for (port, mut models) in published.into_iter().filter(|(_, m)| !m.is_empty()) {
        models.sort();
        let provider = providers.providers.iter().find(|p| {
            p.base_url
                .as_ref()
                .is_some_and(|u| u.value.contains(&format!(":{port}")))
        });
        match provider {
            Some(provider) => {
                let mut configured: Vec<String> = provider
                    .models
                    .iter()
                    .map(|m| m.name.value.to_string())
                    .collect();
                configured.sort();
                assert_eq!(configured, models, "provider `{}`", provider.id.value);
            }
            None => assert_eq!(models, gateway_models, "the gateway mock on {port}"),
        }
    }
    let out = aiblint(root, &["check", set], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}
