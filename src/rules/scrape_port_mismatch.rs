//! `D710` scrape-port-mismatch: a scrape target's port is not the port of the service its
//! job is named after.
use super::prelude::*;
use crate::model::formats::parse_url;
use crate::model::monitoring::{is_local_host, ScrapeJob, ScrapeTarget};
use crate::model::{Config, FileKind};

declare_rule! {
    /// ## What it does
    /// Reports a `static_configs` target of a Prometheus scrape job whose port differs from
    /// the port of the service the job is named after: a service of `ports.yaml` (for a
    /// target on this host) or a provider of `providers.yaml` (on the provider's host).
    /// Names match as in P602: case-insensitive, `-` and `_` alike. The gateway config is
    /// the set's, or the nearest `config/` directory above the monitoring files.
    ///
    /// A service whose `protocol` is `tcp` or `grpc` (Redis) serves no metrics itself:
    /// its exporter has a port of its own and is not compared; a target on the port of a
    /// service named after the job's (`redis_exporter` for `redis`) is fine too.
    ///
    /// ## Why is this bad?
    /// Prometheus scrapes a port where the service is not: `up` is 0 and every panel of the
    /// service is empty, or (worse) it scrapes another service and its panels show the
    /// wrong data.
    ///
    /// ## Example
    /// With `ports.yaml` registering `litellm` on port 4000:
    ///
    /// ```yaml ports.yaml
    /// litellm:
    ///   port: 4000
    ///   protocol: http
    ///   description: LiteLLM proxy
    /// ```
    ///
    /// a `prometheus.yml` beside it scrapes port 4001:
    ///
    /// ```yaml monitoring/prometheus/prometheus.yml
    /// scrape_configs:
    ///   - job_name: litellm
    ///     static_configs:
    ///       - targets: ["127.0.0.1:4001"]
    /// ```
    ///
    /// ## How to fix
    /// Scrape the port the service listens on (LiteLLM and vLLM serve `/metrics` on their
    /// API port), or correct `ports.yaml`.
    code: "D710", name: "scrape-port-mismatch", severity: Error, fix: None
}

fn normalise(id: &str) -> String {
    id.to_lowercase().replace('-', "_")
}

pub(crate) fn check(ctx: &mut RuleContext) {
    let Config::PrometheusConfig(config) = &ctx.file.config else {
        return;
    };
    let mut found = Vec::new();
    for job in &config.jobs {
        for target in &job.targets {
            let Some(port) = target.port else {
                continue;
            };
            if let Some(problem) =
                port_service(ctx, job, target, port).or_else(|| provider(ctx, job, target, port))
            {
                found.push((target, problem));
            }
        }
    }
    for (target, (message, label, help, evidence)) in found {
        let mut d = ctx
            .diagnostic(message, Label::new(target.range, label))
            .with_help(help);
        if let Some(evidence) = evidence {
            d = d.with_secondary(evidence);
        }
        ctx.report(d);
    }
}

/// The message, the target's label, the help, and a label on the port the other file gives.
type Problem = (String, String, String, Option<Label>);

/// The disagreement with the ports.yaml service named like the job, for a local target.
fn port_service(
    ctx: &RuleContext,
    job: &ScrapeJob,
    target: &ScrapeTarget,
    port: u16,
) -> Option<Problem> {
    let ports = ctx.set.ports()?;
    let id = normalise(&job.name.value);
    let service = ports
        .services
        .iter()
        .find(|s| normalise(&s.id.value) == id)?;
    let registered = service.port.as_ref()?;
    let serves_http = service
        .protocol
        .as_ref()
        .is_none_or(|p| matches!(p.value.as_str(), "http" | "https"));
    if !target.is_local() || !serves_http || registered.value == i64::from(port) {
        return None;
    }
    let owner = ports
        .services
        .iter()
        .find(|s| s.port.as_ref().is_some_and(|p| p.value == i64::from(port)));
    if owner.is_some_and(|o| normalise(&o.id.value).contains(&id)) {
        return None; // the service's exporter
    }
    let taken = owner.map_or(String::new(), |o| {
        format!(", which is the port of `{}`", o.id.value)
    });
    Some((
        format!(
            "job `{}` scrapes port {port}{taken}, but `{}` listens on port {} (ports.yaml)",
            job.name.value, service.id.value, registered.value
        ),
        format!("ports.yaml says {}", registered.value),
        "scrape the port the service listens on, or correct ports.yaml".to_string(),
        ctx.label_in_kind(
            FileKind::Ports,
            registered.range,
            format!("the port of `{}`", service.id.value),
        ),
    ))
}

/// The disagreement with the provider named like the job, for a target on its host.
fn provider(
    ctx: &RuleContext,
    job: &ScrapeJob,
    target: &ScrapeTarget,
    port: u16,
) -> Option<Problem> {
    let providers = ctx.set.providers()?;
    let id = normalise(&job.name.value);
    let provider = providers
        .providers
        .iter()
        .find(|p| normalise(&p.id.value) == id)?;
    let base_url = provider.base_url.as_ref()?;
    let url = parse_url(&base_url.value).ok()?;
    if url.is_placeholder() {
        return None;
    }
    let url_port = url.effective_port()?;
    let same_host = url.host == target.host || (is_local_host(url.host) && target.is_local());
    if !same_host || url_port == u64::from(port) {
        return None;
    }
    Some((
        format!(
            "job `{}` scrapes port {port}, but provider `{}` listens on port {url_port}",
            job.name.value, provider.id.value
        ),
        format!("providers.yaml says {url_port}"),
        format!(
            "the provider's `base_url` is {}, and the server's /metrics is on its API port",
            base_url.value
        ),
        ctx.label_in_kind(
            FileKind::Providers,
            base_url.range,
            format!("the `base_url` of `{}`", provider.id.value),
        ),
    ))
}
