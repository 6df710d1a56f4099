//! Renders diagnostics for people and tools. Every format is a view of the same
//! [`Diagnostic`](crate::diagnostic::Diagnostic) values; positions come from each file's
//! `LineIndex`, never from the emitters. `versions` renders the report of `aiblint versions`.

mod concise;
mod github;
mod human;
mod json;
mod sarif;
mod statistics;
pub mod versions;

pub use json::JSON_FORMAT_VERSION;

use crate::lint::LintedFile;
use crate::text::TextRange;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputFormat {
    /// Code frames, labels and help (codespan-reporting).
    Full,
    /// `path:line:col: severity[CODE] message (help)`, one line each.
    Concise,
    /// GitHub Actions workflow commands (`::error file=…::message`), one per diagnostic.
    Github,
    /// A versioned JSON document (`docs/json-schema.json`).
    Json,
    /// SARIF 2.1.0, for code scanning.
    Sarif,
}

impl OutputFormat {
    /// Whether this format is a machine-readable document that must be printed whole even when
    /// there is nothing to report (an empty list is still an answer).
    pub fn is_document(self) -> bool {
        matches!(self, OutputFormat::Json | OutputFormat::Sarif)
    }
}

/// Renders the diagnostics of `files`, in their order.
pub fn render(files: &[LintedFile], format: OutputFormat, color: bool) -> String {
    match format {
        OutputFormat::Full => human::render(files, color),
        OutputFormat::Concise => concise::render(files),
        OutputFormat::Github => github::render(files),
        OutputFormat::Json => json::render(files),
        OutputFormat::Sarif => sarif::render(files),
    }
}

/// The number of diagnostics per rule, most frequent first: a table, or JSON for
/// [`OutputFormat::Json`]. `None` for formats that have no statistics view.
pub fn render_statistics(files: &[LintedFile], format: OutputFormat) -> Option<String> {
    match format {
        OutputFormat::Full | OutputFormat::Concise => Some(statistics::render_table(files)),
        OutputFormat::Json => Some(statistics::render_json(files)),
        OutputFormat::Github | OutputFormat::Sarif => None,
    }
}

/// A position as every format reports it: 1-based line and column (characters), and the
/// byte offset it came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Point {
    line: u32,
    column: u32,
    offset: u32,
}

/// The start and end [`Point`] of `range` in `file`, from the file's `LineIndex`.
fn points(file: &LintedFile, range: TextRange) -> (Point, Point) {
    let at = |offset: u32| {
        let pos = file.line_col(offset as usize);
        Point {
            line: pos.line,
            column: pos.col,
            offset,
        }
    };
    (at(range.start), at(range.end))
}
