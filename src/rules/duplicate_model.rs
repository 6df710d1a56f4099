//! `S115` duplicate-model: a provider lists the same model twice.
use super::prelude::*;

declare_rule! {
    /// ## What it does
    /// Reports a model name listed twice under one provider's `models`.
    ///
    /// ## Why is this bad?
    /// Model names are unique within a provider; the generator would emit two identical
    /// deployments, and the two entries' details (size, context length) may disagree.
    ///
    /// ## Example
    /// ```yaml providers.yaml
    /// providers:
    ///   ollama:
    ///     type: ollama
    ///     base_url: http://127.0.0.1:11434
    ///     status: active
    ///     description: Local Ollama
    ///     models:
    ///       - llama3.1:8b
    ///       - name: llama3.1:8b
    ///         size: 8B
    /// ```
    ///
    /// ## How to fix
    /// Keep one entry and merge the details into it.
    code: "S115", name: "duplicate-model", severity: Error, fix: None, affects_generated: false
}

pub(crate) fn check(ctx: &mut RuleContext) {
    let issues = ctx.issues(|k| match k {
        IssueKind::DuplicateName { name, first } => Some((name, first)),
        _ => None,
    });
    for (issue, (name, first)) in issues {
        let d = ctx
            .diagnostic(
                format!("model `{name}` is listed twice in this provider"),
                Label::new(issue.range, "listed again here"),
            )
            .with_secondary(Label::new(*first, "first listed here"));
        ctx.report(d);
    }
}
