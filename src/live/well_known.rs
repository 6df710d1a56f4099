//! The services aiblint knows the processes of: which process names may hold a port
//! declared for each.

/// A service aiblint knows the processes of.
pub(super) struct WellKnown {
    pub(super) name: &'static str,
    /// Service ids that name it (`-`, `_` and `.` alike): the id itself or its first words.
    pub(super) ids: &'static [&'static str],
    /// Provider types it serves.
    pub(super) provider_types: &'static [&'static str],
    pub(super) processes: &'static [&'static str],
}

pub(super) static WELL_KNOWN: &[WellKnown] = &[
    WellKnown {
        name: "LiteLLM",
        ids: &["litellm"],
        provider_types: &[],
        processes: &["litellm"],
    },
    WellKnown {
        name: "Ollama",
        ids: &["ollama"],
        provider_types: &["ollama"],
        processes: &["ollama"],
    },
    WellKnown {
        name: "Redis",
        ids: &["redis", "valkey"],
        provider_types: &[],
        processes: &["redis-server", "valkey-server"],
    },
    WellKnown {
        name: "vLLM",
        ids: &["vllm"],
        provider_types: &["vllm"],
        processes: &["vllm"],
    },
    WellKnown {
        name: "llama.cpp",
        ids: &["llama-cpp", "llamacpp", "llama-server"],
        provider_types: &["llama_cpp"],
        processes: &["llama-server", "llama_cpp.server"],
    },
    WellKnown {
        name: "Prometheus",
        ids: &["prometheus"],
        provider_types: &[],
        processes: &["prometheus"],
    },
    WellKnown {
        name: "Grafana",
        ids: &["grafana"],
        provider_types: &[],
        processes: &["grafana", "grafana-server"],
    },
];

/// Words of a service id that make it something else than the service its first word names:
/// `redis_exporter` is not Redis, `ollama-webui` is not Ollama.
pub(super) const OTHER_THING: &[&str] = &[
    "exporter",
    "ui",
    "webui",
    "web",
    "frontend",
    "dashboard",
    "pipelines",
];

/// Processes that hold a port on behalf of another: a container runtime's published port,
/// or systemd's socket activation. Their presence says the service is deployed, not who it is.
pub(super) static FORWARDERS: &[(&str, &str)] = &[
    ("docker-proxy", "a Docker container's published port"),
    ("rootlessport", "a rootless container's published port"),
    ("rootlesskit", "a rootless container's published port"),
    ("slirp4netns", "a rootless container's published port"),
    ("pasta", "a rootless container's published port"),
    ("pasta.avx2", "a rootless container's published port"),
    ("passt", "a rootless container's published port"),
    ("systemd", "systemd socket activation"),
];

pub(super) fn normalise(id: &str) -> String {
    id.to_ascii_lowercase().replace(['_', '.'], "-")
}

/// The well-known service a ports.yaml id names: `vllm-qwen`, `litellm_gateway` and
/// `llama_cpp_python` name vLLM, LiteLLM and llama.cpp; `redis_exporter` names nothing.
pub(super) fn well_known_by_id(id: &str) -> Option<&'static WellKnown> {
    let id = normalise(id);
    if id.split('-').any(|word| OTHER_THING.contains(&word)) {
        return None;
    }
    WELL_KNOWN.iter().find(|service| {
        service
            .ids
            .iter()
            .any(|name| id == *name || id.starts_with(&format!("{name}-")))
    })
}

/// The name of the well-known service a ports.yaml id names (`LiteLLM`, `Redis`, ...).
pub fn well_known_name(id: &str) -> Option<&'static str> {
    well_known_by_id(id).map(|k| k.name)
}

pub(super) fn well_known_by_type(provider_type: &str) -> Option<&'static WellKnown> {
    WELL_KNOWN
        .iter()
        .find(|service| service.provider_types.contains(&provider_type))
}
