//! `S117` invalid-port-range: a `ranges` entry of ports.yaml that is not a port range.
use super::prelude::*;
use crate::model::schema::Format;

declare_rule! {
    /// ## What it does
    /// Reports a value under `ranges:` in ports.yaml that is not a list of port ranges:
    /// `"8000-8999"`, a single port, or several separated by commas
    /// (`"3000-3999,9000-9999"`), every port in 1..65535 and every range from low to high.
    ///
    /// ## Why is this bad?
    /// Port ranges tell where new services go and what port checks cover. A range that
    /// cannot be read, or that is empty (`9000-8000`), covers nothing, and the mistake
    /// goes unnoticed until two services collide.
    ///
    /// ## Example
    /// ```yaml ports.yaml
    /// ranges:
    ///   llm_inference: "8000-8999"
    ///   monitoring: "9999-9000"
    /// ```
    ///
    /// ## How to fix
    /// Write each range low to high, as `low-high`, and separate several with commas.
    code: "S117", name: "invalid-port-range", severity: Error, fix: None
}

pub(crate) fn check(ctx: &mut RuleContext) {
    ctx.report_format_issues(Format::PortRanges, "not a port range", None);
}
