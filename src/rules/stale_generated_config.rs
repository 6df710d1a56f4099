//! `G401` stale-generated-config: litellm-unified.yaml is not what `aiblint generate` would
//! write from the set's providers.yaml and model-mappings.yaml.
use std::path::Path;

use super::prelude::*;
use crate::generate::{self, Change};
use crate::model::FileKind;
use crate::text::TextRange;

declare_rule! {
    /// ## What it does
    /// Reports a litellm-unified.yaml that differs from what `aiblint generate` writes from
    /// the providers.yaml and model-mappings.yaml of the same directory, at its first
    /// differing line, with the number of lines that differ.
    ///
    /// The check runs only when both sources are in the set and have no errors: a broken
    /// source generates nothing, and its own diagnostics come first.
    ///
    /// ## Why is this bad?
    /// LiteLLM reads litellm-unified.yaml, not the sources. When someone edits
    /// providers.yaml or model-mappings.yaml and forgets to regenerate, or edits the
    /// generated file by hand, the gateway serves something other than what the reviewed
    /// sources say, and the next `aiblint generate` silently drops the hand edits.
    ///
    /// ## Example
    /// A hand edit: the generated file has `request_timeout: 600`.
    ///
    /// ```yaml
    /// litellm_settings:
    ///   drop_params: true
    ///   request_timeout: 30
    /// ```
    ///
    /// ## How to fix
    /// Run `aiblint generate <directory>` and commit the result; make lasting changes in
    /// the sources. In CI, `aiblint generate --check` fails when the file is stale.
    ///
    /// ## Fix safety
    /// Unsafe: the fix replaces the whole file with the generated text, discarding any
    /// hand edits.
    code: "G401", name: "stale-generated-config", severity: Error, fix: Always
}

pub(crate) fn check(ctx: &mut RuleContext) {
    if !ctx.is_set_file(FileKind::Litellm)
        || !ctx.sources_clean()
        || ctx.file.read_problem.is_some()
    {
        return;
    }
    let Some(expected) = generate::from_set(ctx.set) else {
        return;
    };
    let actual = ctx.file.text.as_str();
    let Some(stale) = generate::compare(&expected, actual) else {
        return;
    };
    // The line without its indentation.
    let line = &stale.first_difference;
    let indent = actual
        .get(line.clone())
        .map_or(0, |l| l.len() - l.trim_start_matches([' ', '\t']).len());
    let range = TextRange::new(line.start + indent, line.end);
    let shown = |line: &str| {
        if line.trim().is_empty() {
            "an empty line".to_string()
        } else {
            format!("`{}`", line.trim())
        }
    };
    let label = match (stale.change, &stale.expected_line) {
        (Change::Changed, Some(line)) => format!("expected {}", shown(line)),
        (Change::Missing, Some(line)) if range.is_empty() => {
            format!("missing from here on: {}", shown(line))
        }
        (Change::Missing, Some(line)) => format!("missing before this line: {}", shown(line)),
        _ => "not in the generated config".to_string(),
    };
    let dir = ctx
        .set
        .member(FileKind::Litellm)
        .and_then(|m| Path::new(&m.path).parent())
        .map(|d| d.display().to_string())
        .filter(|d| !d.is_empty())
        .unwrap_or_else(|| ".".to_string());
    let n = stale.differing_lines;
    let d = ctx
        .diagnostic(
            "stale generated config: run `aiblint generate`",
            Label::new(range, label),
        )
        .with_help(format!(
            "run `aiblint generate {dir}` and commit the result; make lasting changes in \
             providers.yaml and model-mappings.yaml"
        ))
        .with_note(format!(
            "{n} line{} differ{} from the generated config",
            if n == 1 { "" } else { "s" },
            if n == 1 { "s" } else { "" }
        ))
        .with_fix(Fix {
            title: "Regenerate the file from its sources".to_string(),
            applicability: Applicability::Unsafe,
            edits: vec![Edit::replace(
                TextRange::new(0, actual.len()),
                expected.as_str(),
            )],
        });
    ctx.report(d);
}
