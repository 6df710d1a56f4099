//! `G404` unknown-fallback-model: a model named in `router_settings` fallbacks that no
//! `model_list` entry serves.
use super::prelude::*;
use crate::diagnostic::suggest;
use crate::model::{FileKind, Spanned};
use crate::syntax::writer as yaml;

declare_rule! {
    /// ## What it does
    /// Reports a model named in litellm-unified.yaml's `router_settings.fallbacks`,
    /// `context_window_fallbacks`, `content_policy_fallbacks` (keys and fallbacks) or
    /// `default_fallbacks` that is not the `model_name` of a `model_list` entry, with the
    /// closest model name as a suggestion.
    ///
    /// A key of `router_settings.model_group_alias` counts as a model, a `model_name` with
    /// `*` matches the names it covers (LiteLLM's wildcard routing), and `*` as a fallback
    /// key is LiteLLM's fallback for every model group.
    ///
    /// ## Why is this bad?
    /// LiteLLM looks fallbacks up by model group name. A fallback key that names no group
    /// never fires, and a fallback that names no group fails at the moment it is needed:
    /// during an outage of the primary model.
    ///
    /// ## Example
    /// ```yaml litellm-unified.yaml
    /// model_list:
    ///   - model_name: gpt-4o
    ///     litellm_params:
    ///       model: openai/gpt-4o
    ///   - model_name: claude-sonnet-4
    ///     litellm_params:
    ///       model: anthropic/claude-sonnet-4-20250514
    /// router_settings:
    ///   fallbacks:
    ///     - gpt-4o:
    ///         - claude-sonet-4
    /// ```
    ///
    /// ## How to fix
    /// Name a `model_name` of `model_list` (the fix offers the closest one), or add the
    /// missing deployment. For a generated file, fix `fallback_chains` in
    /// model-mappings.yaml and run `aiblint generate`.
    ///
    /// ## Fix safety
    /// Unsafe: the suggestion is a guess, and it changes where failed requests go.
    code: "G404", name: "unknown-fallback-model", severity: Error, fix: Sometimes
}

pub(crate) fn check(ctx: &mut RuleContext) {
    if !ctx.is_set_file(FileKind::Litellm) {
        return;
    }
    let Some(litellm) = ctx.set.litellm() else {
        return;
    };
    let mut names: Vec<&str> = litellm
        .model_list
        .iter()
        .map(|d| d.model_name.as_str())
        .chain(litellm.model_group_aliases.iter().map(Spanned::as_str))
        .collect();
    names.sort_unstable();
    names.dedup();
    let known = |name: &str| {
        names.binary_search(&name).is_ok()
            || names
                .iter()
                .any(|n| n.contains('*') && wildcard_match(n, name))
    };
    let mut unknown: Vec<&Spanned<String>> = Vec::new();
    for (key, fallbacks) in &litellm.fallbacks {
        if key.as_str() != "*" && !known(key.as_str()) {
            unknown.push(key);
        }
        unknown.extend(fallbacks.iter().filter(|f| !known(f.as_str())));
    }
    unknown.extend(
        litellm
            .default_fallbacks
            .iter()
            .filter(|f| !known(f.as_str())),
    );
    let mut diagnostics = Vec::new();
    for name in unknown {
        let value = name.as_str();
        let mut d = ctx.diagnostic(
            format!("unknown model `{value}` in fallbacks"),
            Label::new(name.range, "no `model_list` entry has this `model_name`"),
        );
        match suggest(value, names.iter().copied()) {
            Some(s) => {
                d = d.with_help(format!("did you mean `{s}`?")).with_fix(Fix {
                    title: format!("Replace `{value}` with `{s}`"),
                    applicability: Applicability::Unsafe,
                    edits: vec![Edit::replace(
                        name.range,
                        yaml::replacement(raw(&ctx.file.text, name), s),
                    )],
                });
            }
            None => {
                d = d.with_help(
                    "add a `model_list` entry with this `model_name`, or fall back to one that \
                     exists",
                );
            }
        }
        diagnostics.push(d);
    }
    for d in diagnostics {
        ctx.report(d);
    }
}

/// The scalar as written in the source.
fn raw<'t>(text: &'t str, name: &Spanned<String>) -> &'t str {
    text.get(name.range.as_range()).unwrap_or("")
}

/// Whether `name` matches a LiteLLM wildcard model name, where `*` stands for any run of
/// characters, `/` included (`openai/*` matches `openai/gpt-4o`).
fn wildcard_match(pattern: &str, name: &str) -> bool {
    let mut parts = pattern.split('*');
    let first = parts.next().unwrap_or_default();
    let Some(mut rest) = name.strip_prefix(first) else {
        return false;
    };
    let mut parts: Vec<&str> = parts.collect();
    let last = parts.pop().unwrap_or_default();
    for part in parts {
        match rest.find(part) {
            Some(i) => rest = &rest[i + part.len()..],
            None => return false,
        }
    }
    rest.ends_with(last)
}

#[cfg(test)]
mod tests {
    use super::wildcard_match;

    #[test]
    fn wildcards_match_whole_model_names() {
        assert!(wildcard_match("openai/*", "openai/gpt-4o"));
        assert!(wildcard_match("gpt-*", "gpt-4o"));
        assert!(!wildcard_match("gpt-*", "openai/gpt-4o"));
        assert!(wildcard_match("*-mini", "gpt-4o-mini"));
        assert!(wildcard_match("a*b*c", "aXbYc"));
        assert!(!wildcard_match("a*b*c", "abx"));
        assert!(!wildcard_match("ab*ba", "aba"));
    }
}
