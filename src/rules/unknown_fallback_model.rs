//! `G404` unknown-fallback-model: a model named in `router_settings` fallbacks that no
//! `model_list` entry serves.
use super::prelude::*;
use crate::diagnostic::Candidates;
use crate::model::litellm::FallbackShape;
use crate::model::Spanned;
use crate::syntax::writer as yaml;
use compact_str::CompactString;
use foldhash::HashSet;

declare_rule! {
    /// ## What it does
    /// Reports a model named in a LiteLLM config's `fallbacks`,
    /// `context_window_fallbacks`, `content_policy_fallbacks` (keys and fallbacks) or
    /// `default_fallbacks`, under `router_settings` or `litellm_settings`, that is not the
    /// `model_name` of a `model_list` entry, with the closest model name as a suggestion.
    ///
    /// A key of `router_settings.model_group_alias` counts as a model, a `model_name` with
    /// `*` matches the names it covers (LiteLLM's wildcard routing), and `*` as a fallback
    /// key is LiteLLM's fallback for every model group. A fallback key `default` is
    /// reported as what it is: not a catch-all. An item that is not a one-key mapping of a
    /// group to a list (`{model: x, fallback_models: [...]}`) is reported as the wrong
    /// shape. When the config has `include:` files, which may define more groups, only the
    /// shape is checked.
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
    /// missing deployment. For fallbacks of every group, use the key `"*"` or
    /// `default_fallbacks`. For a generated file, fix `fallback_chains` in
    /// model-mappings.yaml and run `aiblint generate`.
    ///
    /// ## Fix safety
    /// Unsafe: the suggestion is a guess, and it changes where failed requests go.
    code: "G404", name: "unknown-fallback-model", severity: Error, fix: Sometimes
}

pub(crate) fn check(ctx: &mut RuleContext) {
    let Some(litellm) = ctx.litellm_file() else {
        return;
    };
    let analysis = &litellm.analysis;
    let mut diagnostics = Vec::new();
    for entry in &analysis.fallbacks {
        if let FallbackShape::Wrong {
            why,
            not_one_key,
            rewritten,
        } = &entry.shape
        {
            let help = match rewritten {
                Some(r) => format!(
                    "each item maps one model group to the groups tried after it, \
                     `[{{\"<group>\": [\"<fallback>\", ...]}}]`: here `{r}`"
                ),
                None => "each item maps one model group to the groups tried after it: \
                         `[{\"<group>\": [\"<fallback>\", ...]}]`, one `- <group>: [...]` line per group"
                    .to_string(),
            };
            let mut d = ctx
                .diagnostic(
                    format!("a `{}` item of the wrong shape: {why}", entry.list),
                    Label::new(entry.range, "not `<model group>: [<fallback>, ...]`"),
                )
                .with_help(help);
            if *not_one_key {
                d = d.with_note(
                    "LiteLLM refuses to start when a fallback item is not a one-key mapping",
                );
            }
            diagnostics.push(d);
        }
    }
    // The model groups may be defined in files LiteLLM merges with `include:`; without
    // them aiblint cannot know every group.
    let includes = ctx
        .file
        .root()
        .is_some_and(|r| r.get("include").is_some_and(|i| !i.is_null()));
    let mut names: Vec<&str> = litellm
        .model_list
        .iter()
        .map(|d| d.model_name.as_str())
        .chain(litellm.model_group_aliases.iter().map(Spanned::as_str))
        .collect();
    names.sort_unstable();
    names.dedup();
    let wildcards: Vec<&str> = names.iter().copied().filter(|n| n.contains('*')).collect();
    // A probe per name: a binary search over a large config misses the cache at each step.
    let name_set: HashSet<&str> = names.iter().copied().collect();
    let known = |name: &str| {
        includes || name_set.contains(name) || wildcards.iter().any(|n| wildcard_match(n, name))
    };
    // Built for the first unknown name: most configs have none.
    let mut candidates: Option<Candidates<'_>> = None;
    let mut unknown: Vec<&Spanned<CompactString>> = Vec::new();
    for entry in &analysis.fallbacks {
        let FallbackShape::Group { group, fallbacks } = &entry.shape else {
            continue;
        };
        if group.as_str() == "default" && !known("default") {
            diagnostics.push(
                ctx.diagnostic(
                    format!("`default` in `{}` is not LiteLLM's catch-all: it names a model group `default`, which never matches", entry.list),
                    Label::new(group.range, "no model group is called `default`"),
                )
                .with_help(
                    "for fallbacks of every model group write the key `\"*\"`, or list them in \
                     `router_settings.default_fallbacks`",
                ),
            );
        } else if group.as_str() != "*" && !known(group.as_str()) {
            unknown.push(group);
        }
        unknown.extend(fallbacks.iter().filter(|f| !known(f.as_str())));
    }
    unknown.extend(
        analysis
            .default_fallbacks
            .iter()
            .filter(|f| !known(f.as_str())),
    );
    for name in unknown {
        if diagnostics.len() > crate::rules::MAX_DIAGNOSTICS_PER_RULE {
            ctx.skip();
            continue;
        }
        let value = name.as_str();
        let mut d = ctx.diagnostic(
            format!("unknown model `{value}` in fallbacks"),
            Label::new(name.range, "no `model_list` entry has this `model_name`"),
        );
        let candidates = candidates.get_or_insert_with(|| Candidates::new(names.iter().copied()));
        match candidates.suggest(value) {
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
fn raw<'t>(text: &'t str, name: &Spanned<CompactString>) -> &'t str {
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
