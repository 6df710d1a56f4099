//! `P611` reserved-port-in-use: a port of ports.yaml's `reserved` section that something holds.
use super::prelude::*;
use crate::live::ports::PortState;
use crate::model::FileKind;

declare_rule! {
    /// ## What it does
    /// Reports an entry of ports.yaml's `reserved` section (a port set aside for a service
    /// not deployed yet) whose port a process already holds. `aiblint ports` reports it at
    /// the entry's `port`, naming the process.
    ///
    /// ## Why is this bad?
    /// The registry says the port is free for the planned service. Either something took it
    /// (and the planned service will not start there), or the service is already running and
    /// the registry is out of date.
    ///
    /// ## Example
    /// ```yaml ports.yaml
    /// reserved:
    ///   embedding_service:
    ///     port: 8002
    ///     description: "Future: dedicated embedding service"
    /// ```
    ///
    /// With a vLLM server listening on 8002, `aiblint ports` prints
    /// `✗ 8002   embedding_service   CONFLICT   held by vllm (pid 77); reserved` and reports
    /// this rule at `port: 8002`.
    ///
    /// ## How to fix
    /// Move the process to its own port, or, when the service is deployed, move its entry
    /// from `reserved` to the services of ports.yaml; or reserve another port.
    code: "P611", name: "reserved-port-in-use", severity: Error, fix: None, reported_by: Ports
}

pub(crate) fn check(ctx: &mut LiveContext) {
    for check in ctx.ports() {
        let target = &check.target;
        if check.state != PortState::Conflict || !target.declared.is_reserved() {
            continue;
        }
        let holders = check.holders_text(false);
        let d = ctx
            .diagnostic(
                format!(
                    "reserved port {} (`{}`) is held by {holders}",
                    target.port,
                    target.declared.id()
                ),
                Label::new(target.declared.range(), format!("held by {holders}")),
            )
            .with_help(
                "a reserved port should be free; move the process, or move the entry out of \
                 `reserved` if the service is deployed",
            );
        ctx.report(FileKind::Ports, d);
    }
}
