//! `S101` unknown-key: a key that looks like a misspelling of a key that is read there.
use super::prelude::*;

declare_rule! {
    /// ## What it does
    /// Reports a mapping key that looks like a misspelling of a key read at that level:
    /// the same key but for case or `-`/`_`, or one edit away from it (two for keys of
    /// eight characters or more), with a value of the same shape.
    ///
    /// Other keys that aiblint does not know are accepted: the files' consumers ignore
    /// them, so they are not defects (`strict = true` in aiblint.toml reports them, as
    /// `S116`).
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
    /// Correct the key's spelling (the fix offers the key it resembles). When the mapping
    /// already sets that key, remove the misspelt copy.
    ///
    /// ## Fix safety
    /// Unsafe: the suggestion is a guess at what was meant.
    code: "S101", name: "unknown-key", severity: Error, fix: Sometimes
}

pub(crate) fn check(ctx: &mut RuleContext) {
    let issues = ctx.issues(|k| match k {
        IssueKind::UnknownKey {
            key,
            schema,
            typo: Some(typo),
            already_set,
        } => Some((key, schema.0.name, *typo, *already_set)),
        _ => None,
    });
    for (issue, (key, context, typo, already_set)) in issues {
        let mut d = ctx.diagnostic(
            format!("unknown key `{key}` in {context}"),
            Label::new(issue.range, "not a known key here"),
        );
        match already_set {
            Some(existing) => {
                d = d
                    .with_secondary(Label::new(existing, format!("`{typo}` is set here")))
                    .with_help(format!(
                        "`{key}` looks like a misspelling of `{typo}`, which this {context} \
                         already sets: remove one of them"
                    ));
            }
            None => {
                d = d
                    .with_help(format!("did you mean `{typo}`?"))
                    .with_fix(Fix {
                        title: format!("Replace `{key}` with `{typo}`"),
                        applicability: Applicability::Unsafe,
                        edits: vec![Edit::replace(issue.range, typo)],
                    });
            }
        }
        ctx.report(d);
    }
}
