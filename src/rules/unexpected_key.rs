//! `S116` unexpected-key: a key nothing reads, reported only in strict mode.
use super::prelude::*;
use crate::model::schema::MapSchema;
use crate::model::DetectedVersion;

declare_rule! {
    /// ## What it does
    /// Reports, when `strict = true` is set in aiblint.toml, a key that aiblint does not
    /// know in a provider, model, route, capability, chain or port entry, and that does
    /// not look like a misspelling of a known key (that is `S101`). Free-form mappings
    /// (`metadata`, `options`, `configuration`, `notes`) are never reported.
    ///
    /// This rule is off unless strict mode (or the rule itself) is enabled: such keys are
    /// valid data that the consumers ignore, not defects.
    ///
    /// ## Why is this bad?
    /// It is not, for the gateway. Teams that want every key of their files documented
    /// and reviewed turn this on to catch keys that nothing reads, such as a setting that
    /// was meant for another file.
    ///
    /// ## Example
    /// With `strict = true` in aiblint.toml:
    ///
    /// ```yaml providers.yaml
    /// providers:
    ///   ollama:
    ///     type: ollama
    ///     base_url: http://127.0.0.1:11434
    ///     status: active
    ///     description: Local Ollama
    ///     gpu_layers: 33
    /// ```
    ///
    /// ## How to fix
    /// Move the value where it is read (server settings belong under `configuration`),
    /// under `notes` if it is for people, or remove it.
    code: "S116", name: "unexpected-key", severity: Warning, fix: None, opt_in: true
}

pub(crate) fn check(ctx: &mut RuleContext) {
    let legacy_removed = matches!(
        &ctx.file.version,
        Some(DetectedVersion { version: Some(v), .. }) if v.major >= 2
    );
    let issues = ctx.issues(|k| match k {
        IssueKind::UnknownKey {
            key,
            schema,
            typo: None,
            ..
        } => Some((key, schema.0)),
        _ => None,
    });
    for (issue, (key, schema)) in issues {
        let mut d = ctx.diagnostic(
            format!("key `{key}` in {} is not read by aiblint", schema.name),
            Label::new(issue.range, "not a known key here"),
        );
        let known = known_keys(schema, legacy_removed);
        if known.len() <= 8 {
            d = d.with_help(format!("known keys: {}", known.join(", ")));
        }
        ctx.report(d);
    }
}

/// The keys a mapping of `schema` may hold, without those its file's version removed.
fn known_keys(schema: &MapSchema, legacy_removed: bool) -> Vec<String> {
    schema
        .literal_fields()
        .filter(|f| !(legacy_removed && f.legacy))
        .map(|f| format!("`{}`", f.key))
        .collect()
}
