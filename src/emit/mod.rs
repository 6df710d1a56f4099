//! Renders diagnostics for people and tools. Every format is a view of the same
//! [`Diagnostic`](crate::diagnostic::Diagnostic) values; positions come from each file's
//! `LineIndex`, never from the emitters. `versions` renders the report of `aiblint versions`.

mod concise;
pub mod generate;
mod github;
mod human;
mod json;
pub mod json_schema;
pub mod live;
mod sarif;
mod statistics;
pub mod versions;

pub use json::{render_rules as rules_json, JSON_FORMAT_VERSION};

use crate::lint::LintedFile;
use crate::model::secrets::Secrets;
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

/// A document that could not be serialised: reported, never printed as an empty document.
#[derive(Debug)]
pub struct EmitError(pub(crate) String);

impl std::fmt::Display for EmitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "cannot serialise the report: {} (a bug in aiblint)",
            self.0
        )
    }
}

impl std::error::Error for EmitError {}

/// Renders the diagnostics of `files`, in their order.
pub fn render(
    files: &[LintedFile],
    format: OutputFormat,
    color: bool,
) -> Result<String, EmitError> {
    let masked = masked(files);
    let files = masked.as_ref();
    match format {
        OutputFormat::Full => Ok(human::render(files, color)),
        OutputFormat::Concise => Ok(concise::render(files)),
        OutputFormat::Github => Ok(github::render(files)),
        OutputFormat::Json => json::render(files),
        OutputFormat::Sarif => sarif::render(files),
    }
}

/// Renders the diagnostics of `files` in a format for people (a code frame or a line
/// each), which cannot fail.
pub fn render_text(files: &[LintedFile], concise: bool, color: bool) -> String {
    let masked = masked(files);
    if concise {
        concise::render(masked.as_ref())
    } else {
        human::render(masked.as_ref(), color)
    }
}

/// The files with the secrets of their text masked (same lengths, so every range holds),
/// for the formats that show or hash lines of it: code frames, SARIF fingerprints. The
/// diagnostics' words were masked by `lint`.
fn masked(files: &[LintedFile]) -> std::borrow::Cow<'_, [LintedFile]> {
    // Only the lines of diagnostics are shown or hashed: a file without any needs no mask.
    let secrets: Vec<Secrets> = files
        .iter()
        .map(|f| {
            if f.diagnostics.is_empty() {
                Secrets::default()
            } else {
                Secrets::of(&f.file)
            }
        })
        .collect();
    if secrets.iter().all(Secrets::is_empty) {
        return std::borrow::Cow::Borrowed(files);
    }
    let masked = files
        .iter()
        .zip(&secrets)
        .map(|(f, secrets)| {
            let mut f = f.clone();
            if let std::borrow::Cow::Owned(text) = secrets.mask_text(&f.file.text) {
                f.file.text = text;
            }
            f
        })
        .collect();
    std::borrow::Cow::Owned(masked)
}

/// The number of diagnostics per rule, most frequent first: a table, or JSON for
/// [`OutputFormat::Json`]. `None` for formats that have no statistics view.
pub fn render_statistics(
    files: &[LintedFile],
    format: OutputFormat,
) -> Option<Result<String, EmitError>> {
    match format {
        OutputFormat::Full | OutputFormat::Concise => Some(Ok(statistics::render_table(files))),
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

/// Text safe to print on a terminal: control characters other than tab and line breaks
/// become `?` (and C1 controls `¿`), so that a hostile file cannot send escape sequences
/// through a code frame or a message. Byte lengths are kept, so byte ranges still apply.
pub(crate) fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    let unsafe_char =
        |c: char| (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || c == '\u{7f}';
    if !text.contains(unsafe_char) {
        return std::borrow::Cow::Borrowed(text);
    }
    text.chars()
        .map(|c| match c {
            c if !unsafe_char(c) => c,
            c if c.len_utf8() == 1 => '?',
            _ => '¿',
        })
        .collect()
}

#[cfg(test)]
mod printable_tests {
    use super::printable;

    #[test]
    fn control_characters_are_replaced_and_lengths_kept() {
        let hostile = "a\u{1b}[2Jb\u{7}\u{9b}c\td\r\n";
        let shown = printable(hostile);
        assert_eq!(shown, "a?[2Jb?¿c\td\r\n");
        assert_eq!(shown.len(), hostile.len());
        assert!(matches!(
            printable("plain é🦙"),
            std::borrow::Cow::Borrowed(_)
        ));
    }
}
