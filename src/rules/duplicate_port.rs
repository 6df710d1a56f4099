//! `P601` duplicate-port: two services of ports.yaml on the same port.
use std::collections::HashMap;

use super::prelude::*;
use crate::model::Config;

declare_rule! {
    /// ## What it does
    /// Reports a service of `ports.yaml` whose port is already used by an earlier service of
    /// the same file.
    ///
    /// ## Why is this bad?
    /// Only one process can listen on a port: one of the two services cannot start, or the
    /// registry is wrong about which one holds the port. `http`, `https`, `tcp` and `grpc`
    /// all share the host's TCP port space, so two services clash whatever their protocols.
    ///
    /// ## Example
    /// ```yaml ports.yaml
    /// llama_cpp:
    ///   port: 8080
    ///   protocol: http
    ///   description: llama.cpp server
    /// open-webui:
    ///   port: 8080
    ///   protocol: http
    ///   description: Open WebUI
    /// ```
    ///
    /// ## How to fix
    /// Move one of the services to a free port (and update its unit file and any
    /// `base_url` pointing at it), or remove the stale entry.
    code: "P601", name: "duplicate-port", severity: Error, fix: None
}

pub(crate) fn check(ctx: &mut RuleContext) {
    let Config::Ports(ports) = &ctx.file.config else {
        return;
    };
    let mut first_by_port = HashMap::new();
    let mut found = Vec::new();
    for service in &ports.services {
        let Some(port) = &service.port else {
            continue;
        };
        match first_by_port.get(&port.value) {
            None => {
                first_by_port.insert(port.value, service);
            }
            Some(first) => found.push((service, port, *first)),
        }
    }
    for (service, port, first) in found {
        let mut d = ctx.diagnostic(
            format!(
                "port `{}` of `{}` is already used by `{}`",
                port.value, service.id.value, first.id.value
            ),
            Label::new(port.range, "used a second time here"),
        );
        if let Some(first_port) = &first.port {
            d = d.with_secondary(Label::new(
                first_port.range,
                format!("first used by `{}`", first.id.value),
            ));
        }
        d = d.with_help(format!(
            "give `{}` a free port, or remove the entry if the service no longer exists",
            service.id.value
        ));
        ctx.report(d);
    }
}
