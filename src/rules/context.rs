//! What a rule sees while it runs, and how it reports.

use super::RuleMeta;
use crate::diagnostic::{Diagnostic, Label};
use crate::model::{ConfigSet, FileKind, IssueKind, SchemaIssue, SetMember, SourceFile};
use crate::text::TextRange;

/// The most diagnostics one rule reports in one file; past it, the next one says how many
/// more there are, and the rest are dropped. Real files have a handful; a hostile one could
/// have millions, each of which costs memory and output (with a line of megabytes, a code
/// frame each).
pub const MAX_DIAGNOSTICS_PER_RULE: usize = 1000;

/// What `aiblint generate` makes of a set, built by the first rule that asks for it and
/// shared by the others for the rest of the check (it costs as much as checking the set).
/// Rules run on the set's files in parallel: a rule that asks while another thread builds
/// it waits for that one.
pub type GeneratedCache = std::sync::OnceLock<Option<crate::generate::Generated>>;

/// A rule runs once per file of a set: `file` is the one being checked, `set` gives the
/// others (cross-file rules report only on the file that holds the problem).
pub struct RuleContext<'a> {
    pub file: &'a SourceFile,
    pub set: &'a ConfigSet,
    member: &'a SetMember,
    rule: &'static RuleMeta,
    diagnostics: Vec<Diagnostic>,
    /// Reported past [`MAX_DIAGNOSTICS_PER_RULE`] + 1 and dropped.
    dropped: usize,
    sources_clean: bool,
    environment: Option<std::sync::Arc<std::collections::BTreeSet<String>>>,
    generated: &'a GeneratedCache,
}

impl<'a> RuleContext<'a> {
    pub(crate) fn new(
        set: &'a ConfigSet,
        member: &'a SetMember,
        rule: &'static RuleMeta,
        generated: &'a GeneratedCache,
    ) -> Self {
        RuleContext {
            generated,
            file: &member.file,
            set,
            member,
            rule,
            diagnostics: Vec::new(),
            dropped: 0,
            sources_clean: true,
            environment: None,
        }
    }

    /// Records the environment variables known to be set (`check --env`).
    pub(crate) fn with_environment(
        mut self,
        environment: Option<std::sync::Arc<std::collections::BTreeSet<String>>>,
    ) -> Self {
        self.environment = environment;
        self
    }

    /// What `aiblint generate` builds from the set, computed once per check whichever
    /// rules ask. Its `text` is written only when the set has a LiteLLM config that
    /// `aiblint generate` wrote, the one G401 compares it with, and is empty otherwise.
    pub fn generated(&self) -> Option<&'a crate::generate::Generated> {
        self.generated
            .get_or_init(|| {
                let compared = self.set.member(FileKind::Litellm).is_some_and(|m| {
                    m.file.read_problem.is_none() && crate::generate::is_generated(&m.file.text)
                });
                if compared {
                    crate::generate::from_set(self.set)
                } else {
                    crate::generate::routes_of_set(self.set)
                }
            })
            .as_ref()
    }

    /// The names of the environment variables set where the gateway runs, when the user
    /// asked to check them (`aiblint check --env`).
    pub fn environment(&self) -> Option<&std::collections::BTreeSet<String>> {
        self.environment.as_deref()
    }

    /// Records whether the generated config's sources are free of errors (the engine
    /// checks them before litellm-unified.yaml).
    pub(crate) fn with_sources_clean(mut self, clean: bool) -> Self {
        self.sources_clean = clean;
        self
    }

    /// Whether providers.yaml and model-mappings.yaml are both in the set and no source
    /// has an error that stops `aiblint generate` (`lint::blocks_generation`), so that it
    /// would write a config from them.
    pub fn sources_clean(&self) -> bool {
        self.sources_clean
    }

    /// Whether the file being checked is the set's file of `kind` (set-level rules run on
    /// that file only, so that each problem is reported once).
    pub fn is_set_file(&self, kind: FileKind) -> bool {
        self.file.kind == Some(kind) && self.set.is_primary(self.member)
    }

    /// The typed content of the file being checked when it is a LiteLLM config (any of
    /// them: rules of a single LiteLLM file check every such file of a set).
    pub fn litellm_file(&self) -> Option<&'a crate::model::LitellmConfig> {
        match &self.file.config {
            crate::model::Config::Litellm(l) => Some(l),
            _ => None,
        }
    }

    /// What LiteLLM's catalogue says of the file being checked (`model::litellm`): the
    /// issues the G405-G410 rules report, for a LiteLLM config and for litellm-settings.yaml.
    pub fn litellm_issues(&self) -> &'a [crate::model::litellm::LitellmIssue] {
        self.litellm_analysis().map_or(&[], |a| a.issues.as_slice())
    }

    /// The catalogue's analysis of the file being checked when it holds LiteLLM settings:
    /// a LiteLLM config, or litellm-settings.yaml (whose sections `aiblint generate` copies
    /// into one). Rules about settings read this; rules about deployments read
    /// [`RuleContext::litellm_file`].
    pub fn litellm_analysis(&self) -> Option<&'a crate::model::litellm::Analysis> {
        match &self.file.config {
            crate::model::Config::Litellm(l) => Some(&l.analysis),
            crate::model::Config::LitellmSettings(s) => Some(&s.analysis),
            _ => None,
        }
    }

    /// A diagnostic of the running rule, at its default severity.
    pub fn diagnostic(&self, message: impl Into<String>, primary: Label) -> Diagnostic {
        self.rule.diagnostic(message, primary)
    }

    /// A label at `range` of `member`, a file of the set: a label of this file when `member`
    /// is the file being checked, else one that names the other file, so that every output
    /// shows the evidence where it is (a code frame, a SARIF related location, an editor link).
    pub fn label_in(
        &self,
        member: &SetMember,
        range: TextRange,
        message: impl Into<String>,
    ) -> Label {
        if std::ptr::eq(member, self.member) {
            Label::new(range, message)
        } else {
            Label::in_file(member.path.clone(), range, message)
        }
    }

    /// [`RuleContext::label_in`] the set's file of `kind`, if the set has one.
    pub fn label_in_kind(
        &self,
        kind: FileKind,
        range: TextRange,
        message: impl Into<String>,
    ) -> Option<Label> {
        Some(self.label_in(self.set.member(kind)?, range, message))
    }

    /// Whether a further report would be dropped (the rule has reported as many as it may):
    /// a rule with costly diagnostics (a did-you-mean each) then calls [`RuleContext::skip`]
    /// instead of building them.
    pub fn is_full(&self) -> bool {
        self.diagnostics.len() > MAX_DIAGNOSTICS_PER_RULE
    }

    /// Counts a diagnostic not built because the rule [`is_full`](RuleContext::is_full).
    pub fn skip(&mut self) {
        self.dropped += 1;
    }

    pub fn report(&mut self, diagnostic: Diagnostic) {
        if self.diagnostics.len() <= MAX_DIAGNOSTICS_PER_RULE {
            self.diagnostics.push(diagnostic);
        } else {
            self.dropped += 1;
        }
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

    pub(crate) fn into_diagnostics(mut self) -> Vec<Diagnostic> {
        if self.dropped > 0 {
            if let Some(last) = self.diagnostics.last_mut() {
                let note = format!(
                    "{} more {} diagnostics in this file are not shown (aiblint shows at most {} per rule and file)",
                    self.dropped,
                    self.rule.code,
                    MAX_DIAGNOSTICS_PER_RULE + 1
                );
                last.note = Some(match last.note.take() {
                    Some(own) => format!("{own}; {note}"),
                    None => note,
                });
            }
        }
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
