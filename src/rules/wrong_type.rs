//! `S102` wrong-type: a value of the wrong YAML type.
use super::prelude::*;

declare_rule! {
    /// ## What it does
    /// Reports a value whose type differs from what the schema expects (a list where a
    /// mapping belongs, a string where a number belongs), saying what was expected and what
    /// was found. A file whose top level is not a mapping is reported here too.
    ///
    /// ## Why is this bad?
    /// The gateway either refuses the file or reads something other than what you meant:
    /// `requires_api_key: "yes"` is a string, not `true`.
    ///
    /// ## Example
    /// ```yaml providers.yaml
    /// providers:
    ///   ollama:
    ///     type: ollama
    ///     base_url: http://127.0.0.1:11434
    ///     status: active
    ///     description: Local Ollama
    ///     requires_api_key: "yes"
    /// ```
    ///
    /// ## How to fix
    /// Write the value in the expected type: `true`/`false` unquoted for booleans, numbers
    /// unquoted, nested keys indented under their parent.
    code: "S102", name: "wrong-type", severity: Error, fix: None
}

pub(crate) fn check(ctx: &mut RuleContext) {
    let issues = ctx.issues(|k| match k {
        IssueKind::WrongType { expected, found } => Some((expected, found)),
        _ => None,
    });
    for (issue, (expected, found)) in issues {
        let d = ctx.diagnostic(
            format!("expected {expected}, found {found}"),
            Label::new(issue.range, format!("this is {found}")),
        );
        ctx.report(d);
    }
}
