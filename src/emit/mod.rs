//! Renders diagnostics for people and tools. Every format is a view of the same
//! [`Diagnostic`](crate::diagnostic::Diagnostic) values; positions come from each file's
//! `LineIndex`, never from the emitters. `versions` renders the report of `aiblint versions`.

mod concise;
mod human;
pub mod versions;

use crate::lint::LintedFile;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputFormat {
    /// Code frames, labels and help (codespan-reporting).
    Full,
    /// `path:line:col: severity[CODE] message (help)`, one line each.
    Concise,
}

/// Renders the diagnostics of `files`, in their order.
pub fn render(files: &[LintedFile], format: OutputFormat, color: bool) -> String {
    match format {
        OutputFormat::Full => human::render(files, color),
        OutputFormat::Concise => concise::render(files),
    }
}
