//! `H806` gateway-unhealthy: the LiteLLM gateway of ports.yaml fails its liveness check.
use super::prelude::*;
use crate::model::FileKind;

declare_rule! {
    /// ## What it does
    /// Reports the LiteLLM gateway when it does not answer its liveness endpoint
    /// (`GET /health/liveliness` on 127.0.0.1 at the port of the ports.yaml service whose id
    /// names LiteLLM, such as `litellm` or `litellm_gateway`) with HTTP 200. It is reported at
    /// that service's `port`, with the error. The endpoint needs no key and calls no model.
    ///
    /// ## Why is this bad?
    /// Every client talks to the gateway: when it is down, nothing the config routes works.
    ///
    /// ## Example
    /// ```yaml ports.yaml
    /// litellm:
    ///   port: 4000
    ///   protocol: http
    ///   required: true
    /// ```
    ///
    /// With the proxy stopped, `aiblint probe` reports `the gateway `litellm` fails its
    /// health check: connection refused` at `port: 4000`.
    ///
    /// ## How to fix
    /// Start the proxy (`systemctl start litellm`), read its log if it exits at start-up (a
    /// config error stops it), or correct the port in ports.yaml.
    code: "H806", name: "gateway-unhealthy", severity: Error, fix: None, reported_by: Probe
}

pub(crate) fn check(ctx: &mut LiveContext) {
    let Some((gateway, Err(failure))) = ctx.probe().and_then(|r| r.gateway.as_ref()) else {
        return;
    };
    let d = ctx
        .diagnostic(
            format!(
                "the gateway `{}` fails its health check: {} (GET {})",
                gateway.id,
                failure.describe(),
                gateway.url
            ),
            Label::new(gateway.range, failure.describe()),
        )
        .with_help("start the LiteLLM proxy, or read its log: a config error stops it at start-up");
    ctx.report(FileKind::Ports, d);
}
