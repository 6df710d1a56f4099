//! `P612` required-service-down: a `required: true` service whose port nothing listens on.
use super::prelude::*;
use crate::live::ports::PortState;
use crate::model::FileKind;

declare_rule! {
    /// ## What it does
    /// Reports a service of ports.yaml marked `required: true` whose port nothing listens on:
    /// the service is not running (or listens elsewhere). `aiblint ports` reports it at the
    /// service's `port`.
    ///
    /// ## Why is this bad?
    /// ports.yaml says the gateway is broken without this service: with Redis down, LiteLLM's
    /// cache fails; with Ollama down, every route to it fails.
    ///
    /// ## Example
    /// ```yaml ports.yaml
    /// ollama:
    ///   port: 11434
    ///   required: true
    /// ```
    ///
    /// With nothing listening on 11434, `aiblint ports` prints
    /// `✓ 11434  ollama   AVAILABLE` (the port is free) and reports this rule as a warning.
    ///
    /// ## How to fix
    /// Start the service (`systemctl start <service>`), or correct its `port` if it listens
    /// elsewhere, or set `required: false` if the gateway works without it.
    code: "P612", name: "required-service-down", severity: Warning, fix: None, reported_by: Ports
}

pub(crate) fn check(ctx: &mut LiveContext) {
    for check in ctx.ports() {
        let target = &check.target;
        if check.state != PortState::Available || !target.declared.is_required() {
            continue;
        }
        let d = ctx
            .diagnostic(
                format!(
                    "required service `{}` is not running: nothing listens on port {}",
                    target.declared.id(),
                    target.port
                ),
                Label::new(target.declared.range(), "nothing listens here"),
            )
            .with_help("start the service, or correct its port if it listens elsewhere");
        ctx.report(FileKind::Ports, d);
    }
}
