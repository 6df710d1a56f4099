//! `--statistics`: how many diagnostics each rule produced, most frequent first (as ruff).

use std::collections::BTreeMap;
use std::fmt::Write;

use super::json::{to_json, RuleCount, StatisticsReport};
use super::{EmitError, JSON_FORMAT_VERSION};
use crate::lint::LintedFile;

/// `(code, name, count)` per rule with at least one diagnostic, by count (descending), then
/// code.
fn counts(files: &[LintedFile]) -> Vec<(&'static str, &'static str, usize)> {
    let mut by_code: BTreeMap<&'static str, (&'static str, usize)> = BTreeMap::new();
    for d in files.iter().flat_map(|f| &f.diagnostics) {
        by_code.entry(d.code).or_insert((d.name, 0)).1 += 1;
    }
    let mut counts: Vec<_> = by_code
        .into_iter()
        .map(|(code, (name, count))| (code, name, count))
        .collect();
    counts.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(b.0)));
    counts
}

/// One line per rule: `  3  S101  unknown-key`, the counts right-aligned.
pub(super) fn render_table(files: &[LintedFile]) -> String {
    let counts = counts(files);
    let count_width = counts
        .iter()
        .map(|(_, _, n)| n.to_string().len())
        .max()
        .unwrap_or(0)
        .max(3);
    let code_width = counts.iter().map(|(c, _, _)| c.len()).max().unwrap_or(0);
    let mut out = String::new();
    for (code, name, count) in counts {
        let _ = writeln!(out, "{count:>count_width$}  {code:<code_width$}  {name}");
    }
    out
}

/// `{"version": 1, "statistics": [{"code", "name", "count"}]}`.
pub(super) fn render_json(files: &[LintedFile]) -> Result<String, EmitError> {
    let report = StatisticsReport {
        version: JSON_FORMAT_VERSION,
        statistics: counts(files)
            .into_iter()
            .map(|(code, name, count)| RuleCount { code, name, count })
            .collect(),
    };
    to_json(&report)
}
