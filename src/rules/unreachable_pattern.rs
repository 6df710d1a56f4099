//! `L308` unreachable-pattern: a routing pattern that an earlier one always wins over.
use foldhash::{HashMap, HashMapExt};

use super::prelude::*;
use crate::model::FileKind;
use crate::text::TextRange;

declare_rule! {
    /// ## What it does
    /// Reports a pattern in `patterns` that can never be the first to match: one written
    /// exactly like an earlier pattern, or any pattern after a catch-all.
    ///
    /// A catch-all is a pattern that matches every model name. The rule recognises the
    /// usual spellings: `.*` or `.+`, lazy or not (`.*?`, `.+?`), optionally in a group
    /// (`(.*)`, `(?:.*)`), optionally anchored with `^` and/or `$`: `.*`, `^.*`, `.*$`,
    /// `^.*$`, `.+`, `^.+$`, `(.*)`, `^(.*)$`, ... (model names are never empty, so `.+`
    /// matches them all too). Patterns that merely happen to match everything
    /// (`[\s\S]*`, `^\S*`) are not recognised.
    ///
    /// ## Why is this bad?
    /// Patterns are tried top to bottom and the first match wins, so these patterns are
    /// dead: the routes they describe never apply, although the file says they do.
    ///
    /// ## Example
    /// ```yaml model-mappings.yaml
    /// patterns:
    ///   - pattern: "^.*$"
    ///     provider: ollama
    ///     description: Everything goes to local Ollama
    ///   - pattern: "^claude-"
    ///     provider: anthropic
    ///     description: Claude models go to Anthropic
    /// ```
    ///
    /// ## How to fix
    /// Move the catch-all to the end of the list, and remove (or change) a repeated
    /// pattern.
    code: "L308", name: "unreachable-pattern", severity: Warning, fix: None, tag: Unnecessary
}

pub(crate) fn check(ctx: &mut RuleContext) {
    if !ctx.is_set_file(FileKind::Mappings) {
        return;
    }
    let Some(mappings) = ctx.set.mappings() else {
        return;
    };
    let mut seen: HashMap<&str, TextRange> = HashMap::new();
    let mut catch_all: Option<(&str, TextRange)> = None;
    let mut diagnostics = Vec::new();
    for pattern in &mappings.patterns {
        let text = pattern.pattern.as_str();
        let range = pattern.pattern.range;
        if let Some((all, all_range)) = catch_all {
            diagnostics.push(
                ctx.diagnostic(
                    format!("pattern `{text}` is unreachable after the catch-all `{all}`"),
                    Label::new(range, "never reached"),
                )
                .with_secondary(Label::new(all_range, "this pattern matches every name"))
                .with_help("move the catch-all to the end of `patterns`"),
            );
            continue;
        }
        if let Some(&first) = seen.get(text) {
            diagnostics.push(
                ctx.diagnostic(
                    format!("pattern `{text}` is unreachable: it repeats an earlier pattern"),
                    Label::new(range, "never reached"),
                )
                .with_secondary(Label::new(first, "the same pattern, which matches first"))
                .with_help("remove this entry, or merge it into the earlier one"),
            );
            continue;
        }
        seen.insert(text, range);
        if is_catch_all(text) {
            catch_all = Some((text, range));
        }
    }
    for d in diagnostics {
        ctx.report(d);
    }
}

/// Whether `pattern` is one of the usual spellings of "match anything".
fn is_catch_all(pattern: &str) -> bool {
    let p = pattern.strip_prefix('^').unwrap_or(pattern);
    let p = p
        .strip_suffix('$')
        .filter(|p| !p.ends_with('\\'))
        .unwrap_or(p);
    let p = p
        .strip_prefix("(?:")
        .or_else(|| p.strip_prefix('('))
        .and_then(|p| p.strip_suffix(')'))
        .unwrap_or(p);
    matches!(p, ".*" | ".+" | ".*?" | ".+?")
}

#[cfg(test)]
mod tests {
    use super::is_catch_all;

    #[test]
    fn catch_alls() {
        for p in [
            ".*", "^.*", ".*$", "^.*$", ".+", "^.+$", "(.*)", "^(.*)$", "(?:.+)",
        ] {
            assert!(is_catch_all(p), "{p}");
        }
        for p in [
            "^claude-",
            "^.*coder",
            ".*\\$",
            "^.",
            "",
            "(.*",
            "^(gpt|o1)",
        ] {
            assert!(!is_catch_all(p), "{p}");
        }
    }
}
