//! What a rule sees while it runs, and how it reports.

use super::RuleMeta;
use crate::diagnostic::{Diagnostic, Label};
use crate::model::{ConfigSet, FileKind, IssueKind, SchemaIssue, SetMember, SourceFile};

/// A rule runs once per file of a set: `file` is the one being checked, `set` gives the
/// others (cross-file rules report only on the file that holds the problem).
pub struct RuleContext<'a> {
    pub file: &'a SourceFile,
    pub set: &'a ConfigSet,
    member: &'a SetMember,
    rule: &'static RuleMeta,
    diagnostics: Vec<Diagnostic>,
    sources_clean: bool,
}

impl<'a> RuleContext<'a> {
    pub(crate) fn new(set: &'a ConfigSet, member: &'a SetMember, rule: &'static RuleMeta) -> Self {
        RuleContext {
            file: &member.file,
            set,
            member,
            rule,
            diagnostics: Vec::new(),
            sources_clean: true,
        }
    }

    /// Records whether the generated config's sources are free of errors (the engine
    /// checks them before litellm-unified.yaml).
    pub(crate) fn with_sources_clean(mut self, clean: bool) -> Self {
        self.sources_clean = clean;
        self
    }

    /// Whether providers.yaml and model-mappings.yaml are both in the set and have no
    /// error diagnostics, so that `aiblint generate` would write a config from them.
    pub fn sources_clean(&self) -> bool {
        self.sources_clean
    }

    /// Whether the file being checked is the set's file of `kind` (set-level rules run on
    /// that file only, so that each problem is reported once).
    pub fn is_set_file(&self, kind: FileKind) -> bool {
        self.file.kind == Some(kind) && self.set.is_primary(self.member)
    }

    /// A diagnostic of the running rule, at its default severity.
    pub fn diagnostic(&self, message: impl Into<String>, primary: Label) -> Diagnostic {
        self.rule.diagnostic(message, primary)
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
