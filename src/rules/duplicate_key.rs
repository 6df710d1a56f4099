//! `E002` duplicate-key: a mapping defines the same key twice.
use super::prelude::*;
use crate::syntax::SyntaxErrorKind;

declare_rule! {
    /// ## What it does
    /// Checks for mapping keys that appear more than once in the same mapping.
    ///
    /// ## Why is this bad?
    /// YAML loaders keep the last value silently (or refuse the file), so the first entry is
    /// dead configuration that looks live: a provider you think you configured is not there.
    ///
    /// ## Example
    /// ```yaml providers.yaml
    /// providers:
    ///   ollama:
    ///     type: ollama
    ///     base_url: http://127.0.0.1:11434
    ///     base_url: http://127.0.0.1:11435
    /// ```
    ///
    /// ## How to fix
    /// Remove or rename one of the two entries.
    code: "E002", name: "duplicate-key", severity: Error, fix: None
}

pub(crate) fn check(ctx: &mut RuleContext) {
    let file = ctx.file;
    for error in file
        .parse
        .errors
        .iter()
        .filter(|e| e.kind == SyntaxErrorKind::DuplicateKey)
    {
        let mut d = ctx.diagnostic(
            error.message.clone(),
            Label::new(error.range, "defined again here"),
        );
        if let Some(first) = error.related {
            d = d.with_secondary(Label::new(first, "first defined here"));
        }
        ctx.report(d.with_help("YAML keeps only the last value; remove or rename one of them"));
    }
}
