//! `E001` syntax-error: the file is not valid YAML.
use super::prelude::*;
use crate::syntax::friendly;
use crate::syntax::SyntaxErrorKind;

declare_rule! {
    /// ## What it does
    /// Reports YAML that cannot be parsed. The commonest mistakes are named as such: a
    /// missing `:` after a key or a missing space after it, a quote never closed, a
    /// backslash in double quotes (a regex such as `"^claude-\d+"`), a tab in the
    /// indentation, a list item where a key belongs; other errors are told in the parser's
    /// words, at the position where it gave up.
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
    /// Fix the YAML at the reported position: add the missing `:` or space, close the
    /// quote or bracket, put a regex in single quotes (where `\` is an ordinary
    /// character), indent with spaces, give a list a key of its own.
    ///
    /// ## Fix safety
    /// Unsafe, offered when the intent is plain: a space after `key:value`'s `:`, a `:`
    /// after `key value`'s key, and single quotes for a double-quoted string whose
    /// backslashes escape nothing. Review it: the parser could only guess at the rest.
    code: "E001", name: "syntax-error", severity: Error, fix: Sometimes
}

pub(crate) fn check(ctx: &mut RuleContext) {
    let file = ctx.file;
    for error in file
        .parse
        .errors
        .iter()
        .filter(|e| matches!(e.kind, SyntaxErrorKind::Invalid(_)))
    {
        let explained = friendly::explain(&file.text, error);
        let mut d = ctx.diagnostic(
            format!("invalid YAML: {}", explained.message),
            Label::new(explained.range, explained.label),
        );
        if let Some(help) = explained.help {
            d = d.with_help(help);
        }
        if explained.message != error.message {
            d = d.with_note(format!("the parser said: {}", error.message));
        }
        if let Some((title, range, replacement)) = explained.fix {
            d = d.with_fix(Fix {
                title,
                applicability: Applicability::Unsafe,
                edits: vec![Edit::replace(range, replacement)],
            });
        }
        ctx.report(d);
    }
}
