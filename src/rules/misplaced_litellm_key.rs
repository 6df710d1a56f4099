//! `G407` misplaced-litellm-key: a key of one LiteLLM section written in another.
use super::prelude::*;
use crate::diagnostic::Severity;
use crate::model::litellm::LitellmIssueKind;
use crate::syntax::Node;
use crate::text::TextRange;

declare_rule! {
    /// ## What it does
    /// Reports a key of a LiteLLM config written in a section that does not read it but
    /// that another section does: `master_key` under `litellm_settings` (a
    /// `general_settings` key), `set_verbose` or `json_logs` under `general_settings`
    /// (`litellm_settings` keys), `max_parallel_requests` under `litellm_settings`,
    /// `timeout` under `litellm_settings` (a `router_settings` key), a settings key at the
    /// top level, or `api_base` on a `model_list` entry instead of in its `litellm_params`.
    ///
    /// The severity follows what LiteLLM does: a warning where it silently ignores the
    /// key; an error for `health_check_interval` or `health_check_concurrency` under
    /// `router_settings`, where LiteLLM refuses to start, and for a misplaced `master_key`,
    /// without which LiteLLM 1.110 refuses to start and older releases run without
    /// authentication.
    ///
    /// ## Why is this bad?
    /// Where it is, the key has no effect: LiteLLM ignores or drops it, and the setting the
    /// user wrote does not apply.
    ///
    /// ## Example
    /// ```yaml litellm-unified.yaml
    /// model_list:
    ///   - model_name: llama3.1
    ///     litellm_params:
    ///       model: ollama_chat/llama3.1
    /// litellm_settings:
    ///   master_key: os.environ/LITELLM_MASTER_KEY
    /// ```
    ///
    /// ## How to fix
    /// Move the key to the section the message names (the fix does it, for keys of
    /// `general_settings`, `litellm_settings` and `router_settings`).
    ///
    /// ## Fix safety
    /// Unsafe: the proxy runs today without the key, and once moved it takes effect, which
    /// changes how the proxy runs: a `master_key` turns on authentication, a
    /// `stream_timeout: 0` applies to every stream. The fix moves it, comments and value
    /// unchanged; `aiblint check --fix --unsafe-fixes` applies it.
    code: "G407", name: "misplaced-litellm-key", severity: Warning, fix: Sometimes
}

pub(crate) fn check(ctx: &mut RuleContext) {
    let mut diagnostics = Vec::new();
    for issue in ctx.litellm_issues() {
        let LitellmIssueKind::MisplacedKey {
            key,
            section,
            belongs,
            crashes,
        } = &issue.kind
        else {
            continue;
        };
        let message = if *crashes {
            format!(
                "LiteLLM refuses to start: `{key}` is a {} key, not a {} one",
                belongs.display(),
                section.display()
            )
        } else {
            format!(
                "`{key}` is a {} key: {} it has no effect",
                belongs.display(),
                section.place()
            )
        };
        let mut d = ctx
            .diagnostic(
                message,
                Label::new(issue.range, format!("belongs in {}", belongs.display())),
            )
            .with_help(format!("move `{key}` to {}", belongs.display()));
        if *crashes {
            d.severity = Severity::Error;
        }
        if key == "master_key" {
            d.severity = Severity::Error;
            d = d.with_note(
                "without a master key LiteLLM 1.110 refuses to start, and older releases accept requests without authentication",
            );
        }
        if let (Some(entry), Some(target)) = (issue.entry, belongs.block_name()) {
            if let Some(edits) = move_entry(ctx, entry, key, target) {
                d = d.with_fix(Fix {
                    title: format!("Move `{key}` to `{target}`"),
                    applicability: Applicability::Unsafe,
                    edits,
                });
            }
        }
        diagnostics.push(d);
    }
    for d in diagnostics {
        ctx.report(d);
    }
}

/// Edits that cut the entry's lines and paste them, re-indented, at the end of the
/// top-level block `target` (created at the end of the file when absent). `None` when the
/// entry does not stand on lines of its own, or `target` is not a block mapping.
fn move_entry(ctx: &RuleContext, entry: TextRange, key: &str, target: &str) -> Option<Vec<Edit>> {
    let text = &ctx.file.text;
    let lines = ctx.file.line_index();
    let root = ctx.file.root()?;
    let first = lines.line_of(entry.start as usize);
    let last = lines.line_of(entry.end as usize);
    let first_start = lines.line_start(first);
    let indent = entry.start as usize - first_start;
    if !text
        .get(first_start..entry.start as usize)?
        .trim()
        .is_empty()
    {
        return None;
    }
    let cut_end = lines.line_start(last + 1);
    // Pasted at the very end of a file without a final newline, the block needs one first.
    let at = |offset: usize, block: String| {
        if offset == text.len() && !text.ends_with('\n') && !text.is_empty() {
            Edit::replace(TextRange::empty(offset), format!("\n{block}"))
        } else {
            Edit::replace(TextRange::empty(offset), block)
        }
    };
    let block: Vec<&str> = (first..=last).map(|l| lines.line_text(text, l)).collect();
    let reindent = |new_indent: usize| -> String {
        let pad = " ".repeat(new_indent);
        let mut out = String::new();
        for line in &block {
            let rest = line.get(indent.min(line.len())..).unwrap_or("");
            let rest = if line.len() >= indent && line[..indent].trim().is_empty() {
                rest
            } else {
                line.trim_start()
            };
            let rest = rest.trim_end_matches(['\r', '\n']);
            // A blank line inside the block stays blank, without the new indentation.
            if !rest.trim().is_empty() {
                out.push_str(&pad);
                out.push_str(rest);
            }
            out.push('\n');
        }
        out
    };
    let insert = match root.get_entry(target) {
        None => {
            let sep = if text.ends_with('\n') || text.is_empty() {
                ""
            } else {
                "\n"
            };
            Edit::replace(
                TextRange::empty(text.len()),
                format!("{sep}{target}:\n{}", reindent(2)),
            )
        }
        Some(e) if e.value.is_null() => {
            let line = lines.line_of(e.key.range.start as usize);
            if lines.line_of(e.value.range.end as usize) != line {
                return None;
            }
            at(lines.line_start(line + 1), reindent(2))
        }
        Some(e) => {
            let entries = block_entries(&e.value)?;
            if entries.iter().any(|k| k.scalar_text() == Some(key)) {
                return None; // already set there: moving would duplicate it
            }
            let first_key = entries.first()?;
            let key_line = lines.line_of(first_key.range.start as usize);
            let new_indent = first_key.range.start as usize - lines.line_start(key_line);
            let end_line = lines.line_of(e.value.range.end as usize);
            at(lines.line_start(end_line + 1), reindent(new_indent))
        }
    };
    let cut = Edit::replace(TextRange::new(first_start, cut_end), "");
    if insert.range.start as usize >= first_start && (insert.range.start as usize) < cut_end {
        return None;
    }
    let mut edits = vec![cut, insert];
    edits.sort_by_key(|e| e.range.start);
    Some(edits)
}

/// The keys of a block (not flow) mapping.
fn block_entries(node: &Node) -> Option<Vec<&Node>> {
    let entries = node.as_mapping()?;
    if entries.is_empty() {
        return None;
    }
    Some(entries.iter().map(|e| &e.key).collect())
}
