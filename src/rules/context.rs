//! What a rule sees while it runs, and how it reports.

use super::RuleMeta;
use crate::diagnostic::{Diagnostic, Label};
use crate::model::{IssueKind, SchemaIssue, SourceFile};

pub struct RuleContext<'a> {
    pub file: &'a SourceFile,
    rule: &'static RuleMeta,
    diagnostics: Vec<Diagnostic>,
}

impl<'a> RuleContext<'a> {
    pub(crate) fn new(file: &'a SourceFile, rule: &'static RuleMeta) -> Self {
        RuleContext {
            file,
            rule,
            diagnostics: Vec::new(),
        }
    }

    /// A diagnostic of the running rule, at its default severity.
    pub fn diagnostic(&self, message: impl Into<String>, primary: Label) -> Diagnostic {
        Diagnostic::new(
            self.rule.code,
            self.rule.name,
            self.rule.severity,
            message,
            primary,
        )
    }

    pub fn report(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    /// The schema issues whose kind `select` accepts, with the file's lifetime.
    pub fn issues<T>(
        &self,
        select: impl Fn(&'a IssueKind) -> Option<T>,
    ) -> Vec<(&'a SchemaIssue, T)> {
        self.file
            .schema_issues
            .iter()
            .filter_map(|i| select(&i.kind).map(|t| (i, t)))
            .collect()
    }

    pub(crate) fn into_diagnostics(self) -> Vec<Diagnostic> {
        self.diagnostics
    }
}

impl RuleContext<'_> {
    /// Reports every [`IssueKind::BadFormat`] issue of one format: the shared body of the
    /// format rules (URL, date, size, ...).
    pub fn report_format_issues(
        &mut self,
        format: crate::model::schema::Format,
        label: &str,
        help: Option<&str>,
    ) {
        let issues = self.issues(|k| match k {
            IssueKind::BadFormat { format: f, message } if *f == format => Some(message),
            _ => None,
        });
        for (issue, message) in issues {
            let mut d = self.diagnostic(message.clone(), Label::new(issue.range, label));
            if let Some(help) = help {
                d = d.with_help(help);
            }
            self.report(d);
        }
    }
}
