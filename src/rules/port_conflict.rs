//! `P610` port-conflict: a declared port held by a process that is not the service's.
use super::prelude::*;
use crate::live::ports::{Declared, ExpectedFrom, PortState};
use crate::model::FileKind;

declare_rule! {
    /// ## What it does
    /// Reports a port that another program holds: a service of ports.yaml, or an active
    /// provider whose `base_url` is on this host, whose port is held by a process that is
    /// neither one of the service's expected processes nor a container runtime's port
    /// forwarder (`docker-proxy`, `rootlessport`, ...). `aiblint ports` reports it at the
    /// service's `port` (or the provider's `base_url`), naming the process and the expected ones.
    ///
    /// The expected processes are the service's `expected_process` list, else the defaults
    /// of the well-known service its id names (`litellm`, `ollama`, `redis-server`, `vllm`,
    /// `llama-server` or `llama_cpp.server`, `prometheus`, `grafana`) or the provider type on
    /// its port. A process matches by its name, its executable, or the script or `-m` module
    /// an interpreter runs (`python3 -m vllm.entrypoints.openai.api_server` is `vllm`). A
    /// service aiblint knows no process for is shown as IN USE, never as a conflict.
    ///
    /// ## Why is this bad?
    /// The service cannot bind its port while another program holds it, and clients that
    /// connect get the wrong program: LiteLLM sends completions to whatever answers there.
    ///
    /// ## Example
    /// ```yaml ports.yaml
    /// redis:
    ///   port: 6379
    ///   required: true
    ///   expected_process: [redis-server]
    /// ```
    ///
    /// With `nc -l 6379` holding the port, `aiblint ports` prints
    /// `✗ 6379   redis   CONFLICT   held by nc (pid 4242); expected redis-server` and
    /// reports this rule at `port: 6379`.
    ///
    /// ## How to fix
    /// Stop the process that holds the port, or move the service to a free port (in
    /// ports.yaml and in the service's own configuration). If the process is in fact the
    /// service under another name, add that name to `expected_process`.
    code: "P610", name: "port-conflict", severity: Error, fix: None, reported_by: Ports
}

pub(crate) fn check(ctx: &mut LiveContext) {
    for check in ctx.ports() {
        let target = &check.target;
        if check.state != PortState::Conflict || target.declared.is_reserved() {
            continue;
        }
        let intruders = check.holders_text(true);
        let expected = target.expected.join(", ");
        let (file, what) = match &target.declared {
            Declared::Service { id, .. } => (FileKind::Ports, format!("service `{}`", id.value)),
            Declared::Provider { id, .. } => {
                (FileKind::Providers, format!("provider `{}`", id.value))
            }
        };
        let why = match &target.expected_from {
            ExpectedFrom::Configured => format!("`expected_process` lists {expected}"),
            ExpectedFrom::WellKnown(service) => format!(
                "{service} runs as {expected} (set `expected_process` in ports.yaml if yours differs)"
            ),
            ExpectedFrom::Unknown | ExpectedFrom::Nobody => String::new(),
        };
        let d = ctx
            .diagnostic(
                format!(
                    "port {} of {what} is held by {intruders}, not by {expected}",
                    target.port
                ),
                Label::new(target.declared.range(), format!("held by {intruders}")),
            )
            .with_help(format!(
                "{why}; stop the other process or move {what} to a free port"
            ));
        ctx.report(file, d);
    }
}
