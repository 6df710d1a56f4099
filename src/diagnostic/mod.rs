//! The one diagnostic model every output is a view of, fixes as text edits, and did-you-mean.

mod apply;
mod suggest;

pub use apply::apply_edits;
pub use suggest::{did_you_mean, edit_distance, suggest, Candidates, MAX_TYPO_CHARS, WORK_BUDGET};

use crate::text::TextRange;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// A labelled range: in the file the diagnostic belongs to, or in another file of its set
/// (cross-file evidence, such as the definition a reference misses).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    pub range: TextRange,
    pub message: Option<String>,
    /// The other file the range is in, by the path its set shows it with (`SetMember::path`);
    /// `None` for the diagnostic's own file.
    pub file: Option<String>,
}

impl Label {
    /// A label in the diagnostic's own file.
    pub fn new(range: TextRange, message: impl Into<String>) -> Self {
        Label {
            range,
            message: Some(message.into()),
            file: None,
        }
    }

    pub fn bare(range: TextRange) -> Self {
        Label {
            range,
            message: None,
            file: None,
        }
    }

    /// A label in another file of the set, named by the path the set shows it with.
    pub fn in_file(path: impl Into<String>, range: TextRange, message: impl Into<String>) -> Self {
        Label {
            range,
            message: Some(message.into()),
            file: Some(path.into()),
        }
    }
}

/// How safe a fix is to apply without review.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Applicability {
    /// Keeps the meaning the author evidently intended; applied by fix-all.
    Safe,
    /// Probably right, but changes behaviour: offered, never applied in bulk.
    Unsafe,
    /// Shown as a hint only.
    DisplayOnly,
}

/// Replace `range` with `replacement`; an empty range inserts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    pub range: TextRange,
    pub replacement: String,
}

impl Edit {
    pub fn replace(range: TextRange, replacement: impl Into<String>) -> Self {
        Edit {
            range,
            replacement: replacement.into(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    /// Imperative: "Replace `actve` with `active`".
    pub title: String,
    pub applicability: Applicability,
    /// Sorted and disjoint.
    pub edits: Vec<Edit>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    /// Lowercase, no trailing period, YAML quoted in backticks.
    pub message: String,
    pub primary: Label,
    pub secondary: Vec<Label>,
    pub help: Option<String>,
    pub note: Option<String>,
    pub fix: Option<Fix>,
}

impl Diagnostic {
    pub fn new(
        code: &'static str,
        name: &'static str,
        severity: Severity,
        message: impl Into<String>,
        primary: Label,
    ) -> Self {
        Diagnostic {
            code,
            name,
            severity,
            message: message.into(),
            primary,
            secondary: Vec::new(),
            help: None,
            note: None,
            fix: None,
        }
    }

    pub fn with_secondary(mut self, label: Label) -> Self {
        self.secondary.push(label);
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.note = Some(note.into());
        self
    }

    pub fn with_fix(mut self, fix: Fix) -> Self {
        self.fix = Some(fix);
        self
    }

    pub fn range(&self) -> TextRange {
        self.primary.range
    }
}
