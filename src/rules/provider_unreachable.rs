//! `H801` provider-unreachable: an active provider whose server does not answer its model list.
use super::prelude::*;
use crate::live::endpoint::Endpoint;
use crate::live::probe::{Failure, ProviderResult};
use crate::model::{FileKind, Provider};

declare_rule! {
    /// ## What it does
    /// Reports an active provider whose server gives no model list when `aiblint probe` asks
    /// for it (Ollama's `GET /api/tags`, `GET /v1/models` of OpenAI-compatible servers): the
    /// connection is refused, no answer comes before the deadline, the host does not resolve,
    /// TLS fails, or the server answers with an HTTP error or a redirect. It is reported at the
    /// provider's `base_url`, with the error.
    ///
    /// After a `404`, aiblint asks the same server the other API (`/v1/models` for an
    /// `ollama` provider, `/api/tags` for the others) and says so when that answers: the
    /// provider's `type` is then wrong.
    ///
    /// ## Why is this bad?
    /// Every request LiteLLM routes to this provider fails the same way, and falls back (or
    /// fails) only after the timeout.
    ///
    /// ## Example
    /// ```yaml providers.yaml
    /// providers:
    ///   vllm-qwen:
    ///     type: vllm
    ///     base_url: http://127.0.0.1:8001
    ///     status: active
    ///     description: vLLM
    /// ```
    ///
    /// With nothing listening on 8001, `aiblint probe` reports
    /// `provider `vllm-qwen` is unreachable: connection refused` at the `base_url`.
    ///
    /// ## How to fix
    /// Start the server, or correct `base_url` (host, port, `/v1`) or `type`. For a `401`,
    /// set `requires_api_key: true` and `env_var`, and export the variable where aiblint
    /// and LiteLLM run.
    code: "H801", name: "provider-unreachable", severity: Error, fix: None, reported_by: Probe
}

pub(crate) fn check(ctx: &mut LiveContext) {
    for (result, provider) in ctx.probed() {
        let Err(failure) = &result.outcome else {
            continue;
        };
        if result.probe.disabled || matches!(failure, Failure::Garbage(_)) {
            continue;
        }
        let Some(base_url) = &provider.base_url else {
            continue;
        };
        let d = ctx
            .diagnostic(
                format!(
                    "provider `{}` is unreachable: {} (GET {})",
                    result.probe.id.value,
                    failure.describe(),
                    result.probe.url
                ),
                Label::new(base_url.range, failure.describe()),
            )
            .with_help(help(provider, result, failure));
        ctx.report(FileKind::Providers, d);
    }
}

fn help(provider: &Provider, result: &ProviderResult, failure: &Failure) -> String {
    let probe = &result.probe;
    let kind = provider.provider_type().unwrap_or("?");
    let endpoint = provider
        .base_url
        .as_ref()
        .and_then(|u| Endpoint::parse(&u.value));
    match failure {
        Failure::Refused => format!(
            "nothing listens on port {}: start the server, or correct `base_url` (`aiblint ports` shows what listens where)",
            endpoint.map_or(0, |e| e.port)
        ),
        Failure::Timeout(_) => "the server accepted no request before the deadline: it may be stuck or overloaded, or a firewall drops the packets (`--timeout` waits longer)".to_string(),
        Failure::UnknownHost => format!(
            "the host `{}` does not resolve from here",
            endpoint.map_or_else(String::new, |e| e.host)
        ),
        Failure::Tls(_) => "check the server's certificate, or use `http://` if the server does not speak TLS".to_string(),
        Failure::Status(401 | 403) => match &probe.key_var {
            Some(var) => format!("the server refused the key: is ${var} set here, and is it the server's key?"),
            None => "the server wants an API key: set `requires_api_key: true` and `env_var`, and export the variable".to_string(),
        },
        Failure::Status(404) if result.alternative_answers => format!(
            "the server has no {} but answers {}: is `type: {kind}` right?",
            probe.api.path(),
            probe.api.alternative().map_or("", |a| a.path())
        ),
        Failure::Status(404) => format!(
            "the server has no {}: is `base_url` the server's root (or its `/v1`), and is `type: {kind}` right?",
            probe.api.path()
        ),
        Failure::Redirect(_) => "set `base_url` to the URL the server answers at; aiblint does not follow redirects, so that an API key goes nowhere else".to_string(),
        _ => "the server is up but failing: see its logs".to_string(),
    }
}
