//! The engine: analyse a file, run the selected rules, order the diagnostics.

use crate::diagnostic::Diagnostic;
use crate::model::{FileKind, SourceFile};
use crate::rules::{RuleContext, RuleMeta, ALL_RULES};
use crate::text::LineCol;

/// Which rules run. The default runs every rule.
#[derive(Clone, Debug, Default)]
pub struct RuleSelection {
    /// When set, only these codes run.
    pub only: Option<Vec<String>>,
}

impl RuleSelection {
    pub fn only(codes: &[&str]) -> Self {
        RuleSelection {
            only: Some(codes.iter().map(|c| c.to_string()).collect()),
        }
    }

    pub fn is_enabled(&self, rule: &RuleMeta) -> bool {
        match &self.only {
            Some(codes) => codes.iter().any(|c| c.eq_ignore_ascii_case(rule.code)),
            None => true,
        }
    }
}

/// One checked file: its path as given, the analysis and the diagnostics, sorted.
#[derive(Clone, Debug)]
pub struct LintedFile {
    pub path: String,
    pub file: SourceFile,
    pub diagnostics: Vec<Diagnostic>,
}

impl LintedFile {
    /// 1-based line and column (characters) of a byte offset in this file.
    pub fn line_col(&self, offset: usize) -> LineCol {
        self.file.line_index.line_col(&self.file.text, offset)
    }
}

/// Checks one analysed file.
pub fn check_file(path: &str, file: SourceFile, selection: &RuleSelection) -> LintedFile {
    let mut diagnostics = Vec::new();
    for (meta, check) in ALL_RULES {
        if !selection.is_enabled(meta) {
            continue;
        }
        let mut ctx = RuleContext::new(&file, meta);
        check(&mut ctx);
        diagnostics.extend(ctx.into_diagnostics());
    }
    diagnostics.sort_by(|a, b| {
        (a.primary.range.start, a.primary.range.end, a.code).cmp(&(
            b.primary.range.start,
            b.primary.range.end,
            b.code,
        ))
    });
    diagnostics.dedup();
    LintedFile {
        path: path.to_string(),
        file,
        diagnostics,
    }
}

/// Checks `text` as the file `path`, its kind detected from the name or content: the
/// simplest library entry point.
pub fn check_source(path: &str, text: &str) -> LintedFile {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    let kind = FileKind::detect(name, text);
    check_file(
        path,
        SourceFile::analyze(kind, text.to_string()),
        &RuleSelection::default(),
    )
}
