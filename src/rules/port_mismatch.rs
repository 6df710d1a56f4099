//! `P602` port-mismatch: a ports.yaml service disagrees with its provider's `base_url` port.
use foldhash::{HashMap, HashMapExt};

use super::prelude::*;
use crate::model::formats::parse_url;
use crate::model::{FileKind, Provider};

declare_rule! {
    /// ## What it does
    /// Reports a service of `ports.yaml` whose id names a provider of `providers.yaml`
    /// (`-` and `_` alike, case-insensitive) but whose `port` differs from the port of that
    /// provider's `base_url`.
    ///
    /// ## Why is this bad?
    /// The two files describe the same server. When they disagree, either LiteLLM sends
    /// requests to a port nothing listens on, or `aiblint ports` checks the wrong port and
    /// reports a healthy server as missing (or a conflict as fine).
    ///
    /// ## Example
    /// A `providers.yaml` with a llama.cpp server on port 8080:
    ///
    /// ```yaml providers.yaml
    /// metadata:
    ///   schema_version: "2.0.0"
    /// providers:
    ///   llama_cpp:
    ///     type: llama_cpp
    ///     base_url: http://127.0.0.1:8080/v1
    ///     status: active
    ///     description: llama.cpp server
    ///     models:
    ///       - gemma-2-9b-it
    /// ```
    ///
    /// and, in the same directory, a `ports.yaml` that registers it on 8081:
    ///
    /// ```yaml ports.yaml
    /// llama-cpp:
    ///   port: 8081
    ///   protocol: http
    ///   description: llama.cpp server
    /// ```
    ///
    /// ## How to fix
    /// Find out which port the server really listens on (`aiblint ports` shows it) and
    /// correct the other file. Providers whose URL has a placeholder host (templates) and
    /// providers without `base_url` are not compared.
    code: "P602", name: "port-mismatch", severity: Error, fix: None
}

fn normalise(id: &str) -> String {
    id.to_lowercase().replace('-', "_")
}

pub(crate) fn check(ctx: &mut RuleContext) {
    if !ctx.is_set_file(FileKind::Ports) {
        return;
    }
    let (Some(ports), Some(providers)) = (ctx.set.ports(), ctx.set.providers()) else {
        return;
    };
    // Normalised id → the first provider with it (an exact id match is preferred below).
    let mut by_norm: HashMap<String, &Provider> = HashMap::new();
    for p in &providers.providers {
        by_norm.entry(normalise(&p.id.value)).or_insert(p);
    }
    for service in &ports.services {
        let Some(port) = &service.port else {
            continue;
        };
        let Some(provider) = ctx
            .set
            .provider(&service.id.value)
            .or_else(|| by_norm.get(&normalise(&service.id.value)).copied())
        else {
            continue;
        };
        let Some(base_url) = &provider.base_url else {
            continue;
        };
        let Ok(url) = parse_url(&base_url.value) else {
            continue; // S105 reports it.
        };
        if url.is_placeholder() {
            continue;
        }
        // A port outside 1..65535 is S106's, not a disagreement.
        let Some(url_port) = url.effective_port().filter(|p| (1..=65535).contains(p)) else {
            continue;
        };
        if u64::try_from(port.value).ok() == Some(url_port) {
            continue;
        }
        let default = if url.port.is_none() {
            format!(", the `{}` default", url.scheme)
        } else {
            String::new()
        };
        let mut d = ctx
            .diagnostic(
                format!(
                    "port `{}` of `{}` differs from the `base_url` port of provider `{}` (`{url_port}`)",
                    port.value, service.id.value, provider.id.value
                ),
                Label::new(
                    port.range,
                    format!("provider `{}` uses port {url_port}", provider.id.value),
                ),
            )
            .with_help(format!(
                "`base_url: {}` uses port {url_port}{default}; change one of the two files so they agree",
                base_url.value
            ));
        if let Some(label) = ctx.label_in_kind(
            FileKind::Providers,
            base_url.range,
            format!("the `base_url` of `{}`", provider.id.value),
        ) {
            d = d.with_secondary(label);
        }
        ctx.report(d);
    }
}
