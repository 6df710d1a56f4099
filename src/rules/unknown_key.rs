//! `S101` unknown-key: a key the schema does not allow at that level.
use super::prelude::*;

declare_rule! {
    /// ## What it does
    /// Reports a mapping key that the schema does not define at that level, with the
    /// closest allowed key as a suggestion.
    ///
    /// ## Why is this bad?
    /// A misspelled key is ignored by the gateway: `base_ur` leaves the provider without a
    /// URL, `fallbak` leaves a route without its fallback, and nothing says so.
    ///
    /// ## Example
    /// ```yaml providers.yaml
    /// providers:
    ///   ollama:
    ///     type: ollama
    ///     base_ur: http://127.0.0.1:11434
    ///     status: active
    ///     description: Local Ollama
    /// ```
    ///
    /// ## How to fix
    /// Correct the key's spelling (the fix offers the closest allowed key), or move free-form
    /// remarks under `notes`.
    ///
    /// ## Fix safety
    /// Unsafe: the suggestion is a guess at what was meant.
    code: "S101", name: "unknown-key", severity: Error, fix: Sometimes
}

pub(crate) fn check(ctx: &mut RuleContext) {
    let issues = ctx.issues(|k| match k {
        IssueKind::UnknownKey {
            key,
            context,
            allowed,
            suggestion,
        } => Some((key, context, allowed, suggestion)),
        _ => None,
    });
    for (issue, (key, context, allowed, suggestion)) in issues {
        let mut d = ctx.diagnostic(
            format!("unknown key `{key}` in {context}"),
            Label::new(issue.range, "not a known key here"),
        );
        if let Some(s) = suggestion {
            d = d.with_help(format!("did you mean `{s}`?")).with_fix(Fix {
                title: format!("Replace `{key}` with `{s}`"),
                applicability: Applicability::Unsafe,
                edits: vec![Edit::replace(issue.range, *s)],
            });
        } else if looks_like_a_credential(key) {
            d = d.with_help(
                "keep keys out of config files: set `requires_api_key: true` and name the \
                 environment variable that holds the key in `env_var`",
            );
        } else if allowed.len() <= 8 {
            let list: Vec<String> = allowed.iter().map(|k| format!("`{k}`")).collect();
            d = d.with_help(format!("allowed keys: {}", list.join(", ")));
        } else {
            d = d.with_help("put free-form remarks under `notes`");
        }
        ctx.report(d);
    }
}

/// Key names under which people paste credentials.
fn looks_like_a_credential(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    ["key", "token", "password", "secret"]
        .iter()
        .any(|w| key.contains(w))
}
