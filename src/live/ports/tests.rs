//! Unit tests of `live::ports`.

use super::*;
use crate::model::{FileKind, SetMember};

fn process(pid: u32, name: &str, cmdline: &[&str]) -> ProcessInfo {
    ProcessInfo {
        pid,
        name: name.to_string(),
        exe: None,
        cmdline: cmdline.iter().map(|s| s.to_string()).collect(),
    }
}

fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

#[test]
fn recognises_processes_by_name_script_and_module() {
    let redis = process(1, "redis-server", &["/usr/bin/redis-server *:6379"]);
    assert!(is_expected(&redis, &names(&["redis-server"])));
    let vllm_module = process(
        2,
        "pt_main_thread",
        &["python3", "-m", "vllm.entrypoints.openai.api_server"],
    );
    assert!(is_expected(&vllm_module, &names(&["vllm"])));
    let vllm_script = process(
        3,
        "vllm",
        &["/usr/bin/python3", "/opt/venv/bin/vllm", "serve"],
    );
    assert!(is_expected(&vllm_script, &names(&["vllm"])));
    let llama_py = process(4, "python3", &["python3", "-m", "llama_cpp.server"]);
    assert!(is_expected(&llama_py, &names(&["llama_cpp.server"])));
    let long = process(5, "a-very-long-pro", &["x"]);
    assert!(is_expected(&long, &names(&["a-very-long-process-name"])));
    let nc = process(6, "nc", &["nc", "-l", "6379", "redis-server"]);
    assert!(!is_expected(&nc, &names(&["redis-server"])));
    assert!(!is_expected(&redis, &[]));
}

#[test]
fn ids_name_well_known_services_but_not_their_neighbours() {
    let name = |id: &str| well_known_by_id(id).map(|k| k.name);
    assert_eq!(name("litellm_gateway"), Some("LiteLLM"));
    assert_eq!(name("vllm-qwen"), Some("vLLM"));
    assert_eq!(name("llama_cpp_python"), Some("llama.cpp"));
    assert_eq!(name("Redis"), Some("Redis"));
    assert_eq!(name("redis_exporter"), None);
    assert_eq!(name("ollama-webui"), None);
    assert_eq!(name("openwebui_pipelines"), None);
    assert_eq!(name("loki"), None);
}

fn set(ports: &str, providers: &str) -> ConfigSet {
    ConfigSet::new(vec![
        SetMember::analyzed(FileKind::Ports, ports),
        SetMember::analyzed(FileKind::Providers, providers),
    ])
}

fn listener(port: u16, process: Option<ProcessInfo>) -> Listener {
    Listener {
        addr: SocketAddr::from(([0, 0, 0, 0], port)),
        uid: 999,
        process,
    }
}

const PROVIDERS: &str = "providers:\n  vllm-qwen:\n    type: vllm\n    base_url: http://127.0.0.1:8001/v1\n    status: active\n  far:\n    type: vllm\n    base_url: http://10.1.1.1:8002\n    status: active\n  old:\n    type: ollama\n    base_url: http://127.0.0.1:11434\n    status: disabled\n";

#[test]
fn plans_services_then_local_active_providers_not_declared() {
    let ports =
        "redis:\n  port: 6379\n  required: true\nweb:\n  port: 8080\n  expected_process: [nginx]\n";
    let set = set(ports, PROVIDERS);
    let targets = plan(&set, false, &|e| e.is_loopback());
    let summary: Vec<(&str, u16, Vec<String>, ExpectedFrom)> = targets
        .iter()
        .map(|t| {
            (
                t.declared.id(),
                t.port,
                t.expected.clone(),
                t.expected_from.clone(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            (
                "redis",
                6379,
                names(&["redis-server", "valkey-server"]),
                ExpectedFrom::WellKnown("Redis")
            ),
            ("web", 8080, names(&["nginx"]), ExpectedFrom::Configured),
            (
                "vllm-qwen",
                8001,
                names(&["vllm"]),
                ExpectedFrom::WellKnown("vLLM")
            ),
        ]
    );
    let required = plan(&set, true, &|e| e.is_loopback());
    assert_eq!(required.len(), 1);
    assert_eq!(required[0].declared.id(), "redis");
}

#[test]
fn reserved_ports_should_be_free() {
    let set = set(
            "reserved:\n  embeddings:\n    port: 8001\n    description: later\n  later:\n    port: 8003\n",
            PROVIDERS,
        );
    let targets = plan(&set, false, &|e| e.is_loopback());
    let ids: Vec<&str> = targets.iter().map(|t| t.declared.id()).collect();
    assert_eq!(
        ids,
        vec!["embeddings", "later"],
        "the provider's port is reserved"
    );
    assert!(plan(&set, true, &|_| true).is_empty());
    let vllm = process(7, "vllm", &["vllm", "serve"]);
    let checks = assess(targets, &[listener(8001, Some(vllm))]);
    assert_eq!(checks[0].state, PortState::Conflict);
    assert!(checks[0].target.declared.is_reserved());
    assert_eq!(checks[1].state, PortState::Available);
}

#[test]
fn a_service_on_a_providers_port_expects_that_providers_server() {
    let set = set("inference:\n  port: 8001\n", PROVIDERS);
    let targets = plan(&set, false, &|e| e.is_loopback());
    assert_eq!(
        targets.len(),
        1,
        "the provider's port is declared: one target"
    );
    assert_eq!(targets[0].expected_from, ExpectedFrom::WellKnown("vLLM"));
}

#[test]
fn states_from_listeners() {
    let set = set(
            "redis:\n  port: 6379\nmystery:\n  port: 7000\nfree:\n  port: 7001\nsecret:\n  port: 7002\n  expected_process: [x]\nbox:\n  port: 7003\n  expected_process: [ollama]\n",
            "providers: {}\n",
        );
    let targets = plan(&set, false, &|_| true);
    let listeners = vec![
        listener(6379, Some(process(10, "nc", &["nc"]))),
        listener(6379, Some(process(11, "redis-server", &["redis-server"]))),
        listener(7000, Some(process(12, "java", &["java"]))),
        listener(7002, None),
        listener(7003, Some(process(13, "docker-proxy", &["docker-proxy"]))),
    ];
    let checks = assess(targets, &listeners);
    let states: Vec<(&str, PortState)> = checks
        .iter()
        .map(|c| (c.target.declared.id(), c.state))
        .collect();
    assert_eq!(
        states,
        vec![
            ("redis", PortState::Conflict),
            ("mystery", PortState::InUse),
            ("free", PortState::Available),
            ("secret", PortState::Hidden),
            ("box", PortState::Running),
        ]
    );
    let intruders: Vec<u32> = checks[0].intruders().map(|h| h.process.pid).collect();
    assert_eq!(intruders, vec![10]);
    assert_eq!(checks[3].hidden_uids, vec![999]);
    assert!(checks[4].holders[0].forwarder.is_some());
}
