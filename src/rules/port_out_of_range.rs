//! `S106` port-out-of-range: a port outside 1..65535.
use super::prelude::*;

declare_rule! {
    /// ## What it does
    /// Reports ports outside 1..65535, in `ports.yaml` and in the port of any URL.
    ///
    /// ## Why is this bad?
    /// No socket can listen there; the service cannot start and the URL cannot be reached.
    ///
    /// ## Example
    /// ```yaml ports.yaml
    /// litellm:
    ///   port: 80000
    ///   protocol: http
    /// ```
    ///
    /// ## How to fix
    /// Use a port between 1 and 65535 (above 1024 for services that do not run as root).
    code: "S106", name: "port-out-of-range", severity: Error, fix: None
}

pub(crate) fn check(ctx: &mut RuleContext) {
    let issues = ctx.issues(|k| match k {
        IssueKind::PortOutOfRange { port } => Some(port),
        _ => None,
    });
    for (issue, port) in issues {
        let d = ctx.diagnostic(
            format!("port `{port}` is out of range"),
            Label::new(issue.range, "must be between 1 and 65535"),
        );
        ctx.report(d);
    }
}
