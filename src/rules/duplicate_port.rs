//! `P601` duplicate-port: two services of ports.yaml on the same port.
use foldhash::{HashMap, HashMapExt};

use super::prelude::*;
use crate::model::Config;

declare_rule! {
    /// ## What it does
    /// Reports a service of `ports.yaml` whose port is already used by an earlier service of
    /// the same file, and a port under `reserved:` that a service (or an earlier
    /// reservation) already uses. Overlapping `ranges` are not reported: ranges group ports
    /// for people and may nest.
    ///
    /// ## Why is this bad?
    /// Only one process can listen on a port: one of the two services cannot start, or the
    /// registry is wrong about which one holds the port. A reserved port that is in use is
    /// not free for the service it was set aside for. `http`, `https`, `tcp` and `grpc`
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
    let entries = ports
        .services
        .iter()
        .map(|s| (s, false))
        .chain(ports.reserved.iter().map(|r| (r, true)));
    for (entry, reserved) in entries {
        let Some(port) = &entry.port else {
            continue;
        };
        match first_by_port.get(&port.value) {
            None => {
                first_by_port.insert(port.value, (entry, reserved));
            }
            Some(&first) => found.push(((entry, reserved), port, first)),
        }
    }
    for ((entry, reserved), port, (first, first_reserved)) in found {
        let what = |reserved: bool| if reserved { "reserved for" } else { "used by" };
        let message = if reserved {
            format!(
                "port `{}` reserved for `{}` is already {} `{}`",
                port.value,
                entry.id.value,
                what(first_reserved),
                first.id.value
            )
        } else {
            format!(
                "port `{}` of `{}` is already used by `{}`",
                port.value, entry.id.value, first.id.value
            )
        };
        let mut d = ctx.diagnostic(message, Label::new(port.range, "used a second time here"));
        if let Some(first_port) = &first.port {
            d = d.with_secondary(Label::new(
                first_port.range,
                format!("first {} `{}`", what(first_reserved), first.id.value),
            ));
        }
        d = d.with_help(if reserved {
            format!(
                "reserve another port for `{}`, or remove the reservation if `{}` took it",
                entry.id.value, first.id.value
            )
        } else {
            format!(
                "give `{}` a free port, or remove the entry if the service no longer exists",
                entry.id.value
            )
        });
        ctx.report(d);
    }
}
