//! `S104` invalid-enum: a value outside its fixed set of choices.
use super::prelude::*;

declare_rule! {
    /// ## What it does
    /// Reports a value that must be one of a fixed set (provider `type` and `status`,
    /// route `priority`, load-balancing `strategy`, port `protocol`) but is not, with the
    /// closest valid value as a suggestion.
    ///
    /// ## Why is this bad?
    /// `status: actve` is neither active nor disabled: tools disagree on whether the
    /// provider is routed to, and the generated LiteLLM config leaves it out.
    ///
    /// ## Example
    /// ```yaml providers.yaml
    /// providers:
    ///   ollama:
    ///     type: ollama
    ///     base_url: http://127.0.0.1:11434
    ///     status: actve
    ///     description: Local Ollama
    /// ```
    ///
    /// ## How to fix
    /// Use one of the listed values (the fix offers the closest one).
    ///
    /// ## Fix safety
    /// Unsafe: the suggestion is a guess at what was meant.
    code: "S104", name: "invalid-enum", severity: Error, fix: Sometimes
}

pub(crate) fn check(ctx: &mut RuleContext) {
    let issues = ctx.issues(|k| match k {
        IssueKind::BadEnum {
            key,
            value,
            allowed,
            suggestion,
        } => Some((key, value, allowed, suggestion)),
        _ => None,
    });
    for (issue, (key, value, allowed, suggestion)) in issues {
        let choices: Vec<String> = allowed.iter().map(|v| format!("`{v}`")).collect();
        let mut d = ctx
            .diagnostic(
                match key {
                    Some(key) => format!("`{value}` is not a valid `{key}`"),
                    None => format!("`{value}` is not a valid value"),
                },
                Label::new(issue.range, "not one of the allowed values"),
            )
            .with_note(format!("expected one of {}", choices.join(", ")));
        if let Some(s) = suggestion {
            d = d.with_help(format!("did you mean `{s}`?")).with_fix(Fix {
                title: format!("Replace `{value}` with `{s}`"),
                applicability: Applicability::Unsafe,
                edits: vec![Edit::replace(issue.range, *s)],
            });
        }
        ctx.report(d);
    }
}
