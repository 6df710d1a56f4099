//! `E001` syntax-error: the file is not valid YAML.
use super::prelude::*;
use crate::syntax::SyntaxErrorKind;

declare_rule! {
    /// ## What it does
    /// Reports YAML that cannot be parsed, at the position where the parser gave up.
    ///
    /// ## Why is this bad?
    /// LiteLLM and every other tool refuse the file, so the gateway does not start or
    /// keeps running on an old configuration. Nothing else in the file can be checked.
    ///
    /// ## Example
    /// ```yaml providers.yaml
    /// providers:
    ///   ollama:
    ///     type: ollama
    ///     base_url: [http://127.0.0.1:11434
    /// ```
    ///
    /// ## How to fix
    /// Fix the YAML at the reported position: unclosed brackets or quotes, a tab used for
    /// indentation, a `key:value` without a space, or inconsistent indentation.
    code: "E001", name: "syntax-error", severity: Error, fix: None
}

pub(crate) fn check(ctx: &mut RuleContext) {
    let file = ctx.file;
    for error in file
        .parse
        .errors
        .iter()
        .filter(|e| e.kind == SyntaxErrorKind::Invalid)
    {
        let mut d = ctx.diagnostic(
            format!("invalid YAML: {}", error.message),
            Label::new(error.range, "the parser stopped here"),
        );
        if error.message.contains("tab") {
            d = d.with_help("YAML indentation must use spaces, not tabs");
        }
        ctx.report(d);
    }
}
