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
            let moved = after_byte_order_mark(file, d);
            let d = moved.as_ref().unwrap_or(d);
            let mut one = if color {
                Buffer::ansi()
            } else {
                Buffer::no_color()
            };
            let shown = if frameless {
                let mut cs = convert(id, d);
                cs.labels.clear();
                term::emit_to_write_style(&mut one, &config, &db, &cs)
            } else {
                match Excerpt::of_long_lines(file, d) {
                    // A line too long to show whole: a window of it, with its real line and
                    // column numbers, so that the frame costs the same on a line of megabytes.
                    Some(excerpt) => {
                        let cs = convert(0, &excerpt.diagnostic);
                        term::emit_to_write_style(&mut one, &config, &excerpt, &cs)
                    }
                    None => term::emit_to_write_style(&mut one, &config, &db, &convert(id, d)),
                }
            };
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

/// In a file that starts with a byte-order mark, line 1 starts after it: a label at offset
/// 0 (an empty file's, say) is moved there, as code frames count from a line's start.
fn after_byte_order_mark(file: &LintedFile, d: &Diagnostic) -> Option<Diagnostic> {
    let mark = '\u{feff}'.len_utf8() as u32;
    if !file.file.text.starts_with('\u{feff}') {
        return None;
    }
    let mut d = d.clone();
    for label in std::iter::once(&mut d.primary).chain(&mut d.secondary) {
        if label.range.start < mark {
            let end = label.range.end.max(mark) as usize;
            label.range = crate::text::TextRange::new(mark as usize, end);
        }
    }
    Some(d)
}

/// Lines longer than this many bytes are shown as a window around the labels on them.
const LONG_LINE: usize = 240;
/// How much of a long line is shown on each side of the labels, in bytes (about).
const CONTEXT: usize = 60;
/// The most of a long line shown between the first label's start and the window's end.
const WINDOW: usize = 120;

/// The lines of one diagnostic, long ones cut to a window around its labels, as a source of
/// its own: `diagnostic` is the original with its ranges moved into `source`.
struct Excerpt<'a> {
    file: &'a LintedFile,
    source: String,
    diagnostic: Diagnostic,
    first_line: usize,
    /// Per line of `source`: its start there, the length of the `…` that opens it (0 when
    /// the line is shown from its start), and the original offset the text after it stands for.
    lines: Vec<(usize, usize, usize)>,
}

impl<'a> Excerpt<'a> {
    fn of_long_lines(file: &'a LintedFile, d: &Diagnostic) -> Option<Excerpt<'a>> {
        let index = &file.file.line_index;
        let text = file.file.text.as_str();
        let ranges: Vec<Range<usize>> = std::iter::once(&d.primary)
            .chain(&d.secondary)
            .map(|l| l.range.as_range())
            .collect();
        let first_line = ranges.iter().map(|r| index.line_of(r.start)).min()?;
        let last_line = ranges.iter().map(|r| index.line_of(r.end)).max()?;
        let line_end = |line: usize| index.line_content_end(text, line);
        if (first_line..=last_line).all(|l| line_end(l) - index.line_start(l) <= LONG_LINE) {
            return None;
        }
        let mut source = String::new();
        let mut lines = Vec::new();
        // Per line: the original window shown and where it starts in `source`.
        let mut windows: Vec<(usize, usize, usize)> = Vec::new();
        for line in first_line..=last_line {
            let (start, end) = (index.line_start(line), line_end(line));
            let (mut from, mut to) = (start, end);
            if end - start > LONG_LINE {
                let on_line: Vec<usize> = ranges
                    .iter()
                    .flat_map(|r| [r.start, r.end])
                    .filter(|&o| (start..=end).contains(&o))
                    .collect();
                let first = on_line.iter().copied().min().unwrap_or(start);
                let last = on_line.iter().copied().max().unwrap_or(start);
                from = floor_boundary(text, first.saturating_sub(CONTEXT).max(start));
                to = floor_boundary(text, (last.min(first + WINDOW) + CONTEXT).min(end));
            }
            let line_start = source.len();
            if from > start {
                source.push('…');
            }
            lines.push((line_start, source.len() - line_start, from));
            windows.push((from, to, source.len()));
            source.push_str(&printable(&text[from..to]));
            if to < end {
                source.push('…');
            }
            source.push('\n');
        }
        let moved = |offset: usize| {
            let line = index.line_of(offset).clamp(first_line, last_line) - first_line;
            let (from, to, at) = windows[line];
            at + offset.clamp(from, to) - from
        };
        let mut diagnostic = d.clone();
        for label in std::iter::once(&mut diagnostic.primary).chain(&mut diagnostic.secondary) {
            let (start, end) = (
                moved(label.range.start as usize),
                moved(label.range.end as usize),
            );
            label.range = crate::text::TextRange::new(start, end.max(start));
        }
        Some(Excerpt {
            file,
            source,
            diagnostic,
            first_line,
            lines,
        })
    }
}

fn floor_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

impl<'a> Files<'a> for Excerpt<'a> {
    type FileId = usize;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, _: usize) -> Result<&'a str, FilesError> {
        Ok(self.file.path.as_str())
    }

    fn source(&'a self, _: usize) -> Result<&'a str, FilesError> {
        Ok(&self.source)
    }

    fn line_index(&'a self, _: usize, byte_index: usize) -> Result<usize, FilesError> {
        Ok(self
            .lines
            .partition_point(|&(start, _, _)| start <= byte_index)
            .saturating_sub(1))
    }

    fn line_range(&'a self, _: usize, line_index: usize) -> Result<Range<usize>, FilesError> {
        let start = self.lines.get(line_index).ok_or(FilesError::LineTooLarge {
            given: line_index,
            max: self.lines.len().saturating_sub(1),
        })?;
        let end = self
            .lines
            .get(line_index + 1)
            .map_or(self.source.len(), |l| l.0);
        Ok(start.0..end)
    }

    fn line_number(&'a self, _: usize, line_index: usize) -> Result<usize, FilesError> {
        Ok(self.first_line + line_index + 1)
    }

    /// The column in the original line, not in the window.
    fn column_number(
        &'a self,
        id: usize,
        line_index: usize,
        byte_index: usize,
    ) -> Result<usize, FilesError> {
        let range = self.line_range(id, line_index)?;
        let (start, prefix, original) = self.lines[line_index];
        let in_window = byte_index
            .clamp(range.start, range.end)
            .saturating_sub(start + prefix);
        Ok(self.file.line_col(original + in_window).col as usize)
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
