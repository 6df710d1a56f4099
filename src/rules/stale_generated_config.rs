//! `G401` stale-generated-config: litellm-unified.yaml is not what `aiblint generate` would
//! write from the set's providers.yaml and model-mappings.yaml.
use std::path::Path;

use super::prelude::*;
use crate::generate::{self, semantic};
use crate::model::data::Data;
use crate::model::{FileKind, SourceFile};
use crate::text::TextRange;

declare_rule! {
    /// ## What it does
    /// Reports a litellm-unified.yaml written by `aiblint generate` that differs from what it
    /// writes now from the providers.yaml, model-mappings.yaml and litellm-settings.yaml of
    /// the same directory: at its first differing line, with what regenerating changes in
    /// LiteLLM's terms (deployments, fallbacks, settings) as a note. Line endings and a
    /// byte-order mark do not count.
    ///
    /// The check runs only on a file that carries the generated header (a LiteLLM config
    /// written by people or by another tool is not stale: `aiblint generate --check` shows
    /// what adopting the generator would change), and only when both sources are in the
    /// set and none has an error that stops `aiblint generate`.
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
    code: "G401", name: "stale-generated-config", severity: Error, fix: Always, after_sources: true
}

pub(crate) fn check(ctx: &mut RuleContext) {
    if !ctx.is_set_file(FileKind::Litellm)
        || !ctx.sources_clean()
        || ctx.file.read_problem.is_some()
        || !generate::is_generated(&ctx.file.text)
    {
        return;
    }
    let Some(generated) = ctx.generated() else {
        return;
    };
    let expected = generated.text.as_str();
    let actual = ctx.file.text.as_str();
    if generate::same_text(expected, actual) {
        return;
    }
    let Some(first) = generate::first_difference(expected, actual) else {
        return;
    };
    let generated_file = SourceFile::analyze(Some(FileKind::Litellm), expected.to_string());
    let semantic = match (ctx.file.root(), generated_file.root()) {
        (Some(actual_root), Some(expected_root)) if ctx.file.parse.errors.is_empty() => {
            Some(semantic::compare(
                &Data::from_node(actual_root),
                &Data::from_node(expected_root),
            ))
        }
        _ => None,
    };
    // The line without its indentation.
    let line = &first.range;
    let indent = actual
        .get(line.clone())
        .map_or(0, |l| l.len() - l.trim_start_matches([' ', '\t']).len());
    let range = TextRange::new(line.start + indent, line.end);
    let label = match &first.expected_line {
        Some(l) if l.trim().is_empty() => "expected an empty line".to_string(),
        Some(l) => format!("expected `{}`", l.trim()),
        None => "not in the generated config".to_string(),
    };
    let dir = ctx
        .set
        .member(FileKind::Litellm)
        .and_then(|m| Path::new(&m.path).parent())
        .map(|d| d.display().to_string())
        .filter(|d| !d.is_empty())
        .unwrap_or_else(|| ".".to_string());
    let note = match &semantic {
        Some(diff) if diff.is_empty() => {
            "in LiteLLM's terms nothing differs: only comments, order or layout do".to_string()
        }
        Some(diff) => format!(
            "in LiteLLM's terms, regenerating changes: {}\n{}",
            diff.summary(),
            diff.render(8).trim_end()
        ),
        None => "the file does not parse as YAML".to_string(),
    };
    let d = ctx
        .diagnostic(
            "stale generated config: run `aiblint generate`",
            Label::new(range, label),
        )
        .with_help(format!(
            "run `aiblint generate {dir}` and commit the result; make lasting changes in \
             the sources (providers.yaml, model-mappings.yaml, litellm-settings.yaml)"
        ))
        .with_note(note)
        .with_fix(Fix {
            title: "Regenerate the file from its sources".to_string(),
            applicability: Applicability::Unsafe,
            edits: vec![Edit::replace(TextRange::new(0, actual.len()), expected)],
        });
    ctx.report(d);
}
