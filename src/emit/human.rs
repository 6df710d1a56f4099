//! The default format: rustc-style code frames via codespan-reporting.

use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;

use codespan_reporting::diagnostic::{
    Diagnostic as CsDiagnostic, Label as CsLabel, Severity as CsSeverity,
};
use codespan_reporting::files::{column_index, Error as FilesError, Files};
use codespan_reporting::term::{self, termcolor::Buffer, Config};

use super::{printable, Sources};
use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::lint::LintedFile;

/// The files of one diagnostic's frame, as codespan-reporting reads them: id 0 is the
/// diagnostic's own file, the others the files its labels point into. Each is shown whole
/// (control characters made printable, same byte offsets) or, when the labels sit on a line
/// too long to show, as an [`Excerpt`].
struct Frame<'a>(Vec<View<'a>>);

enum View<'a> {
    Whole(&'a LintedFile, &'a str),
    Window(Excerpt<'a>),
}

impl<'a> Files<'a> for Frame<'a> {
    type FileId = usize;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: usize) -> Result<&'a str, FilesError> {
        Ok(match self.view(id)? {
            View::Whole(file, _) => file.path.as_str(),
            View::Window(excerpt) => excerpt.file.path.as_str(),
        })
    }

    fn source(&'a self, id: usize) -> Result<&'a str, FilesError> {
        Ok(match self.view(id)? {
            View::Whole(_, text) => text,
            View::Window(excerpt) => &excerpt.source,
        })
    }

    fn line_index(&'a self, id: usize, byte_index: usize) -> Result<usize, FilesError> {
        Ok(match self.view(id)? {
            View::Whole(file, _) => file.file.line_index().line_of(byte_index),
            View::Window(excerpt) => excerpt.line_index(byte_index),
        })
    }

    fn line_range(&'a self, id: usize, line_index: usize) -> Result<Range<usize>, FilesError> {
        match self.view(id)? {
            View::Whole(file, _) => {
                let index = file.file.line_index();
                if line_index >= index.line_count() {
                    return Err(FilesError::LineTooLarge {
                        given: line_index,
                        max: index.line_count() - 1,
                    });
                }
                Ok(index.line_start(line_index)..index.line_start(line_index + 1))
            }
            View::Window(excerpt) => excerpt.line_range(line_index),
        }
    }

    fn line_number(&'a self, id: usize, line_index: usize) -> Result<usize, FilesError> {
        Ok(match self.view(id)? {
            View::Whole(..) => line_index + 1,
            View::Window(excerpt) => excerpt.first_line + line_index + 1,
        })
    }

    fn column_number(
        &'a self,
        id: usize,
        line_index: usize,
        byte_index: usize,
    ) -> Result<usize, FilesError> {
        let range = self.line_range(id, line_index)?;
        match self.view(id)? {
            View::Whole(_, text) => Ok(column_index(text, range, byte_index) + 1),
            View::Window(excerpt) => Ok(excerpt.column_number(range, line_index, byte_index)),
        }
    }
}

impl Frame<'_> {
    fn view(&self, id: usize) -> Result<&View<'_>, FilesError> {
        self.0.get(id).ok_or(FilesError::FileMissing)
    }
}

pub(super) fn render(sources: &Sources, color: bool) -> String {
    // Every file a frame may show, made printable once.
    let printed: HashMap<&str, Cow<str>> = sources
        .by_path
        .values()
        .map(|f| (f.path.as_str(), printable(&f.file.text)))
        .collect();
    let config = Config::default();
    let mut buffer = if color {
        Buffer::ansi()
    } else {
        Buffer::no_color()
    };
    for file in sources.files {
        // Nothing of a file that was not read (unreadable, binary, too large) can be shown:
        // its diagnostics have no frame, only the file's path.
        let frameless = file.file.read_problem.is_some() && file.file.text.is_empty();
        for d in &file.diagnostics {
            let mut one = if color {
                Buffer::ansi()
            } else {
                Buffer::no_color()
            };
            let shown = if frameless {
                let mut cs = convert(d, &[], Vec::new());
                cs.labels.clear();
                term::emit_to_write_style(&mut one, &config, &Frame(Vec::new()), &cs)
            } else {
                let (frame, cs) = framed(sources, &printed, file, d);
                term::emit_to_write_style(&mut one, &config, &frame, &cs)
            };
            let text = utf8_lossy(one.as_slice());
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
    utf8_lossy(buffer.as_slice()).into_owned()
}

/// `String::from_utf8_lossy`, through the faster validation of `str::from_utf8` first: the
/// frames are valid UTF-8 but for what a file held that was not.
fn utf8_lossy(bytes: &[u8]) -> Cow<'_, str> {
    std::str::from_utf8(bytes).map_or_else(|_| String::from_utf8_lossy(bytes), Cow::Borrowed)
}

/// The frame of `d`, a diagnostic of `own`: the files its labels are in (own first), each
/// whole or as an excerpt, and the diagnostic with its labels placed in them. A label into
/// a file the emitter was not given becomes a note naming the file.
fn framed<'a>(
    sources: &Sources<'a>,
    printed: &'a HashMap<&'a str, Cow<'a, str>>,
    own: &'a LintedFile,
    d: &Diagnostic,
) -> (Frame<'a>, CsDiagnostic<usize>) {
    let labels: Vec<&Label> = std::iter::once(&d.primary).chain(&d.secondary).collect();
    // Per label: the frame file it is in, or `None` when that file is unknown.
    let mut files: Vec<&LintedFile> = vec![own];
    let mut placed: Vec<Option<usize>> = Vec::with_capacity(labels.len());
    for label in &labels {
        placed.push(sources.file_of(own, label).map(|file| {
            match files.iter().position(|f| std::ptr::eq(*f, file)) {
                Some(id) => id,
                None => {
                    files.push(file);
                    files.len() - 1
                }
            }
        }));
    }
    let mut ranges: Vec<Range<usize>> = labels
        .iter()
        .zip(&placed)
        .map(|(label, id)| match id {
            Some(id) => after_byte_order_mark(files[*id], label.range.as_range()),
            None => label.range.as_range(),
        })
        .collect();
    let mut views = Vec::with_capacity(files.len());
    for (id, file) in files.iter().enumerate() {
        let in_file: Vec<usize> = (0..labels.len())
            .filter(|&i| placed[i] == Some(id))
            .collect();
        let of_file: Vec<Range<usize>> = in_file.iter().map(|&i| ranges[i].clone()).collect();
        match Excerpt::of_long_lines(file, &of_file) {
            // A line too long to show whole: a window of it, with its real line and column
            // numbers, so that the frame costs the same on a line of megabytes.
            Some(excerpt) => {
                for &i in &in_file {
                    ranges[i] = excerpt.moved(ranges[i].clone());
                }
                views.push(View::Window(excerpt));
            }
            None => {
                let text = printed.get(file.path.as_str()).map_or("", |t| t.as_ref());
                views.push(View::Whole(file, text));
            }
        }
    }
    let unknown: Vec<String> = labels
        .iter()
        .zip(&placed)
        .filter(|(_, id)| id.is_none())
        .map(|(label, _)| {
            let path = label.file.as_deref().unwrap_or(&own.path);
            match &label.message {
                Some(message) => format!("see {}: {}", printable(path), printable(message)),
                None => format!("see {}", printable(path)),
            }
        })
        .collect();
    let located: Vec<Option<(usize, Range<usize>)>> = placed
        .iter()
        .zip(ranges)
        .map(|(id, range)| id.map(|id| (id, range)))
        .collect();
    (Frame(views), convert(d, &located, unknown))
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
fn after_byte_order_mark(file: &LintedFile, range: Range<usize>) -> Range<usize> {
    let mark = '\u{feff}'.len_utf8();
    if !file.file.text.starts_with('\u{feff}') || range.start >= mark {
        return range;
    }
    mark..range.end.max(mark)
}

/// Lines longer than this many bytes are shown as a window around the labels on them.
const LONG_LINE: usize = 240;
/// How much of a long line is shown on each side of the labels, in bytes (about).
const CONTEXT: usize = 60;
/// The most of a long line shown between the first label's start and the window's end.
const WINDOW: usize = 120;

/// The lines of a file that labels are on, long ones cut to a window around the labels, as
/// a source of its own; [`Excerpt::moved`] moves a range of the file into `source`.
struct Excerpt<'a> {
    file: &'a LintedFile,
    source: String,
    first_line: usize,
    /// Per line of `source`: its start there, the length of the `…` that opens it (0 when
    /// the line is shown from its start), and the original offset the text after it stands for.
    lines: Vec<(usize, usize, usize)>,
    /// Per line: the original window shown and where it starts in `source`.
    windows: Vec<(usize, usize, usize)>,
}

impl<'a> Excerpt<'a> {
    /// The excerpt of `file` that shows `ranges`, when one of their lines is too long to
    /// show whole.
    fn of_long_lines(file: &'a LintedFile, ranges: &[Range<usize>]) -> Option<Excerpt<'a>> {
        let index = file.file.line_index();
        let text = file.file.text.as_str();
        let first_line = ranges.iter().map(|r| index.line_of(r.start)).min()?;
        let last_line = ranges.iter().map(|r| index.line_of(r.end)).max()?;
        let line_end = |line: usize| index.line_content_end(text, line);
        if (first_line..=last_line).all(|l| line_end(l) - index.line_start(l) <= LONG_LINE) {
            return None;
        }
        let mut source = String::new();
        let mut lines = Vec::new();
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
        Some(Excerpt {
            file,
            source,
            first_line,
            lines,
            windows,
        })
    }

    /// `range` of the file, moved into `source` (clamped to the windows shown).
    fn moved(&self, range: Range<usize>) -> Range<usize> {
        let index = &self.file.file.line_index();
        let last_line = self.first_line + self.windows.len() - 1;
        let moved = |offset: usize| {
            let line = index.line_of(offset).clamp(self.first_line, last_line) - self.first_line;
            let (from, to, at) = self.windows[line];
            at + offset.clamp(from, to) - from
        };
        let (start, end) = (moved(range.start), moved(range.end));
        start..end.max(start)
    }

    fn line_index(&self, byte_index: usize) -> usize {
        self.lines
            .partition_point(|&(start, _, _)| start <= byte_index)
            .saturating_sub(1)
    }

    fn line_range(&self, line_index: usize) -> Result<Range<usize>, FilesError> {
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

    /// The column in the original line, not in the window.
    fn column_number(&self, range: Range<usize>, line_index: usize, byte_index: usize) -> usize {
        let (start, prefix, original) = self.lines[line_index];
        let in_window = byte_index
            .clamp(range.start, range.end)
            .saturating_sub(start + prefix);
        self.file.line_col(original + in_window).col as usize
    }
}

fn floor_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// `d` as codespan-reporting's diagnostic: `located` holds, per label (primary first), the
/// frame file and range it is shown at (`None`: not shown); `unknown` the notes of labels
/// whose file is not known.
fn convert(
    d: &Diagnostic,
    located: &[Option<(usize, Range<usize>)>],
    unknown: Vec<String>,
) -> CsDiagnostic<usize> {
    let severity = match d.severity {
        Severity::Error => CsSeverity::Error,
        Severity::Warning => CsSeverity::Warning,
        Severity::Info => CsSeverity::Note,
    };
    let labels: Vec<CsLabel<usize>> = std::iter::once(&d.primary)
        .chain(&d.secondary)
        .zip(located)
        .enumerate()
        .filter_map(|(i, (label, at))| {
            let (id, range) = at.clone()?;
            let l = if i == 0 {
                CsLabel::primary(id, range)
            } else {
                CsLabel::secondary(id, range)
            };
            Some(match &label.message {
                Some(message) => l.with_message(printable(message)),
                None => l,
            })
        })
        .collect();
    let mut notes = unknown;
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
