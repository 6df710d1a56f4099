//! The default format: rustc-style code frames via codespan-reporting.

use std::borrow::Cow;
use std::ops::Range;

use codespan_reporting::diagnostic::{
    Diagnostic as CsDiagnostic, Label as CsLabel, Severity as CsSeverity,
};
use codespan_reporting::files::{Error as FilesError, Files};
use codespan_reporting::term::{self, termcolor::Buffer, Config};

use super::printable;
use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::LintedFile;

/// Lets codespan-reporting read lines through each file's own `LineIndex`, showing the
/// text with control characters made printable (same byte offsets).
struct LintedFiles<'a>(&'a [LintedFile], Vec<Cow<'a, str>>);

impl<'a> Files<'a> for LintedFiles<'a> {
    type FileId = usize;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: usize) -> Result<&'a str, FilesError> {
        Ok(self.0.get(id).ok_or(FilesError::FileMissing)?.path.as_str())
    }

    fn source(&'a self, id: usize) -> Result<&'a str, FilesError> {
        Ok(self.1.get(id).ok_or(FilesError::FileMissing)?.as_ref())
    }

    fn line_index(&'a self, id: usize, byte_index: usize) -> Result<usize, FilesError> {
        let file = self.0.get(id).ok_or(FilesError::FileMissing)?;
        Ok(file.file.line_index.line_of(byte_index))
    }

    fn line_range(&'a self, id: usize, line_index: usize) -> Result<Range<usize>, FilesError> {
        let file = self.0.get(id).ok_or(FilesError::FileMissing)?;
        let index = &file.file.line_index;
        if line_index >= index.line_count() {
            return Err(FilesError::LineTooLarge {
                given: line_index,
                max: index.line_count() - 1,
            });
        }
        Ok(index.line_start(line_index)..index.line_start(line_index + 1))
    }
}

pub(super) fn render(files: &[LintedFile], color: bool) -> String {
    let db = LintedFiles(
        files,
        files.iter().map(|f| printable(&f.file.text)).collect(),
    );
    let config = Config::default();
    let mut buffer = if color {
        Buffer::ansi()
    } else {
        Buffer::no_color()
    };
    for (id, file) in files.iter().enumerate() {
        // Nothing of a file that was not read (unreadable, binary, too large) can be shown:
        // its diagnostics have no frame, only the file's path.
        let frameless = file.file.read_problem.is_some() && file.file.text.is_empty();
        for d in &file.diagnostics {
            let mut cs = convert(id, d);
            if frameless {
                cs.labels.clear();
            }
            let mut one = if color {
                Buffer::ansi()
            } else {
                Buffer::no_color()
            };
            let shown = term::emit_to_write_style(&mut one, &config, &db, &cs);
            let text = String::from_utf8_lossy(one.as_slice());
            let text = reworded(&text, d.severity, frameless.then_some(file.path.as_str()));
            let _ = std::io::Write::write_all(&mut buffer, text.as_bytes());
            if shown.is_err() {
                // A range the file cannot show (never expected): fall back to a header.
                let line = format!(
                    "{}[{}]: {} ({})\n",
                    d.severity.as_str(),
                    d.code,
                    d.message,
                    file.path
                );
                let _ = std::io::Write::write_all(&mut buffer, line.as_bytes());
            }
        }
    }
    String::from_utf8_lossy(buffer.as_slice()).into_owned()
}

/// One rendered diagnostic as aiblint says it: `info` where codespan-reporting says `note`
/// (aiblint's severities are error, warning and info in every format), and, when it has no
/// frame, the file's path under the header.
fn reworded(rendered: &str, severity: Severity, frameless: Option<&str>) -> String {
    let (header, rest) = rendered.split_once('\n').unwrap_or((rendered, ""));
    let header = if severity == Severity::Info {
        header.replacen("note", "info", 1)
    } else {
        header.to_string()
    };
    match frameless {
        Some(path) => {
            // Without a gutter the notes start one column left of the path: line them up.
            let rest: String = rest
                .split_inclusive('\n')
                .map(|l| {
                    if l.trim().is_empty() {
                        l.to_string()
                    } else {
                        format!(" {l}")
                    }
                })
                .collect();
            format!("{header}\n  ┌─ {}\n{rest}", printable(path))
        }
        None => format!("{header}\n{rest}"),
    }
}

fn convert(file_id: usize, d: &Diagnostic) -> CsDiagnostic<usize> {
    let severity = match d.severity {
        Severity::Error => CsSeverity::Error,
        Severity::Warning => CsSeverity::Warning,
        Severity::Info => CsSeverity::Note,
    };
    let mut primary = CsLabel::primary(file_id, d.primary.range.as_range());
    if let Some(message) = &d.primary.message {
        primary = primary.with_message(printable(message));
    }
    let mut labels = vec![primary];
    for label in &d.secondary {
        let mut l = CsLabel::secondary(file_id, label.range.as_range());
        if let Some(message) = &label.message {
            l = l.with_message(printable(message));
        }
        labels.push(l);
    }
    let mut notes = Vec::new();
    if let Some(help) = &d.help {
        notes.push(format!("help: {}", printable(help)));
    }
    if let Some(note) = &d.note {
        notes.push(format!("note: {}", printable(note)));
    }
    if let Some(fix) = &d.fix {
        notes.push(format!("fix: {}", printable(&fix.title)));
    }
    CsDiagnostic::new(severity)
        .with_code(d.code)
        .with_message(printable(&d.message))
        .with_labels(labels)
        .with_notes(notes)
}
