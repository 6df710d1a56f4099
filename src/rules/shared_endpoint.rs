//! `L306` shared-endpoint: two providers on one host and port.
use foldhash::{HashMap, HashMapExt};

use super::prelude::*;
use crate::model::formats::parse_url;
use crate::model::{FileKind, Provider};
use crate::text::TextRange;

declare_rule! {
    /// ## What it does
    /// Reports two providers whose `base_url`s point at the same host and port.
    ///
    /// Hosts are compared case-insensitively, and the loopback and wildcard spellings
    /// `localhost`, `127.0.0.1`, `[::1]`, `0.0.0.0` and `[::]` count as one local host. A
    /// URL without a port uses its scheme's default (80 for `http`, 443 for `https`); the
    /// path is ignored. `template` providers and placeholder hosts (`<host>`, `${HOST}`)
    /// are skipped. The second provider (in file order) is reported.
    ///
    /// ## Why is this bad?
    /// Only one server can listen on a port. Two providers there are either a copy-paste
    /// mistake (one of them points at the wrong server, and its requests reach a server
    /// that does not have its models) or one server described twice, whose health and
    /// models are then tracked twice.
    ///
    /// ## Example
    /// ```yaml providers.yaml
    /// providers:
    ///   ollama:
    ///     type: ollama
    ///     base_url: http://127.0.0.1:11434
    ///     status: active
    ///     description: Local Ollama
    ///     models:
    ///       - "llama3.1:8b"
    ///   vllm-qwen:
    ///     type: vllm
    ///     base_url: http://localhost:11434/v1
    ///     status: active
    ///     description: vLLM coder
    ///     models:
    ///       - Qwen/Qwen2.5-Coder-14B-Instruct-AWQ
    /// ```
    ///
    /// ## How to fix
    /// Give each server its own port and correct the `base_url` of the one that is wrong,
    /// or merge the two entries into one provider listing all the models.
    code: "L306", name: "shared-endpoint", severity: Warning, fix: None
}

pub(crate) fn check(ctx: &mut RuleContext) {
    if !ctx.is_set_file(FileKind::Providers) {
        return;
    }
    let Some(providers) = ctx.set.providers() else {
        return;
    };
    let mut first_at: HashMap<(String, u64), (&Provider, TextRange)> = HashMap::new();
    let mut diagnostics = Vec::new();
    for provider in &providers.providers {
        if provider.status() == Some("template") {
            continue;
        }
        let Some(base_url) = &provider.base_url else {
            continue;
        };
        let Ok(url) = parse_url(&base_url.value) else {
            continue;
        };
        if url.is_placeholder() {
            continue;
        }
        let Some(port) = url.effective_port() else {
            continue;
        };
        let host = normalise_host(url.host);
        let shown = format!("{}:{port}", url.host);
        match first_at.get(&(host.clone(), port)) {
            None => {
                first_at.insert((host, port), (provider, base_url.range));
            }
            Some(&(first, first_range)) => {
                let id = provider.id.as_str();
                let other = first.id.as_str();
                diagnostics.push(
                    ctx.diagnostic(
                        format!("providers `{other}` and `{id}` share the endpoint `{shown}`"),
                        Label::new(base_url.range, format!("same host and port as `{other}`")),
                    )
                    .with_secondary(Label::new(first_range, format!("`{other}` listens here")))
                    .with_help(
                        "only one server can listen on a port: give each provider its own port, \
                         or merge the two into one provider",
                    ),
                );
            }
        }
    }
    for d in diagnostics {
        ctx.report(d);
    }
}

/// Lowercase; every loopback or wildcard spelling becomes `local`.
fn normalise_host(host: &str) -> String {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    match host.as_str() {
        "localhost" | "127.0.0.1" | "0.0.0.0" | "::1" | "[::1]" | "[::]" | "::" => {
            "local".to_string()
        }
        _ => host,
    }
}
