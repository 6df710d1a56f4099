//! `S107` invalid-regex: a routing pattern that does not compile.
use super::prelude::*;
use crate::model::schema::Format;

declare_rule! {
    /// ## What it does
    /// Compiles every `patterns[].pattern` and reports the error at the offending character inside the pattern. Look-around and back-references are accepted, as Python's `re` (which the gateway uses) supports them.
    ///
    /// ## Why is this bad?
    /// A pattern that does not compile makes the router fail at start-up or skip the route, so requests fall through to the default provider.
    ///
    /// ## Example
    /// ```yaml model-mappings.yaml
    /// patterns:
    ///   - pattern: "^llama(3.*"
    ///     provider: ollama
    /// ```
    ///
    /// ## How to fix
    /// Fix the pattern; escape literal `.`, `(`, `[` with a backslash.
    code: "S107", name: "invalid-regex", severity: Error, fix: None, affects_generated: false
}

pub(crate) fn check(ctx: &mut RuleContext) {
    ctx.report_format_issues(Format::Regex, "invalid here", None);
}
