//! What a live rule sees: the config set and what `aiblint ports` or `aiblint probe`
//! observed on the host; and how it reports, at a line of the file the observation contradicts.

use super::RuleMeta;
use crate::diagnostic::{Diagnostic, Label};
use crate::live::ports::PortCheck;
use crate::live::probe::{ProbeReport, ProviderResult};
use crate::live::Observed;
use crate::model::{ConfigSet, FileKind, Provider};

pub struct LiveContext<'a> {
    pub set: &'a ConfigSet,
    observed: &'a Observed,
    rule: &'static RuleMeta,
    diagnostics: Vec<(FileKind, Diagnostic)>,
}

impl<'a> LiveContext<'a> {
    pub(crate) fn new(set: &'a ConfigSet, observed: &'a Observed, rule: &'static RuleMeta) -> Self {
        LiveContext {
            set,
            observed,
            rule,
            diagnostics: Vec::new(),
        }
    }

    /// The port checks, when the command is `aiblint ports`.
    pub fn ports(&self) -> &'a [PortCheck] {
        match self.observed {
            Observed::Ports(checks) => checks,
            Observed::Probe(_) => &[],
        }
    }

    /// The probe's findings, when the command is `aiblint probe`.
    pub fn probe(&self) -> Option<&'a ProbeReport> {
        match self.observed {
            Observed::Probe(report) => Some(report.as_ref()),
            Observed::Ports(_) => None,
        }
    }

    /// The providers `aiblint probe` asked, each with its definition in providers.yaml.
    pub fn probed(&self) -> Vec<(&'a ProviderResult, &'a Provider)> {
        let set = self.set;
        self.probe()
            .map(|report| {
                report
                    .probed()
                    .filter_map(|r| Some((r, set.provider(&r.probe.id.value)?)))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// A diagnostic of the running rule, at its default severity.
    pub fn diagnostic(&self, message: impl Into<String>, primary: Label) -> Diagnostic {
        self.rule.diagnostic(message, primary)
    }

    /// Reports a diagnostic located in the set's file of `kind`.
    pub fn report(&mut self, kind: FileKind, diagnostic: Diagnostic) {
        self.diagnostics.push((kind, diagnostic));
    }

    pub(crate) fn into_diagnostics(self) -> Vec<(FileKind, Diagnostic)> {
        self.diagnostics
    }
}
