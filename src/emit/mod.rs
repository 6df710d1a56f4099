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

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use crate::diagnostic::{Diagnostic, Label};
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

/// Renders the diagnostics of `files`, in their order. `context` holds the other files of
/// their sets, checked but not reported (the siblings of a file named on the command line):
/// labels may point into them, and their frames and positions are shown from there.
pub fn render(
    files: &[LintedFile],
    context: &[LintedFile],
    format: OutputFormat,
    color: bool,
) -> Result<String, EmitError> {
    let (files, context) = masked(files, context);
    let sources = Sources::new(&files, &context);
    match format {
        OutputFormat::Full => Ok(human::render(&sources, color)),
        OutputFormat::Concise => Ok(concise::render(&files)),
        OutputFormat::Github => Ok(github::render(&sources)),
        OutputFormat::Json => json::render(&sources),
        OutputFormat::Sarif => sarif::render(&sources),
    }
}

/// Renders the diagnostics of `files` in a format for people (a code frame or a line
/// each), which cannot fail; `context` as for [`render`].
pub fn render_text(
    files: &[LintedFile],
    context: &[LintedFile],
    concise: bool,
    color: bool,
) -> String {
    let (files, context) = masked(files, context);
    if concise {
        concise::render(&files)
    } else {
        human::render(&Sources::new(&files, &context), color)
    }
}

/// The reported files, and every file a label may point into, by the path labels name.
struct Sources<'a> {
    files: &'a [LintedFile],
    by_path: HashMap<&'a str, &'a LintedFile>,
}

impl<'a> Sources<'a> {
    fn new(files: &'a [LintedFile], context: &'a [LintedFile]) -> Self {
        let mut by_path = HashMap::new();
        // A reported file wins over a context file of the same path.
        for file in context.iter().chain(files) {
            by_path.insert(file.path.as_str(), file);
        }
        Sources { files, by_path }
    }

    /// The file `label` of a diagnostic of `own` is in: `own`, or the other file it names;
    /// `None` when that file is not among the files given (its position cannot be shown).
    fn file_of(&self, own: &'a LintedFile, label: &Label) -> Option<&'a LintedFile> {
        match &label.file {
            None => Some(own),
            Some(path) => self.by_path.get(path.as_str()).copied(),
        }
    }

    /// The secondary labels of `d` that point into another file, one line each for the
    /// formats that show one location per diagnostic: `path:line:col: message`.
    fn elsewhere(&self, own: &'a LintedFile, d: &Diagnostic) -> Vec<String> {
        d.secondary
            .iter()
            .filter_map(|label| {
                let path = label.file.as_deref()?;
                let at = match self.file_of(own, label) {
                    Some(file) => {
                        let (start, _) = points(file, label.range);
                        format!("{path}:{}:{}", start.line, start.column)
                    }
                    None => path.to_string(),
                };
                Some(match &label.message {
                    Some(message) => format!("{at}: {message}"),
                    None => at,
                })
            })
            .collect()
    }
}

/// The files with the secrets of their text masked (same lengths, so every range holds),
/// for the formats that show or hash lines of it: code frames, SARIF fingerprints. The
/// diagnostics' words were masked by `lint`. Only the lines of diagnostics are shown or
/// hashed: a reported file without any, or a context file no label points into, needs no
/// mask.
fn masked<'a>(
    files: &'a [LintedFile],
    context: &'a [LintedFile],
) -> (Cow<'a, [LintedFile]>, Cow<'a, [LintedFile]>) {
    let pointed_at: HashSet<&str> = files
        .iter()
        .flat_map(|f| &f.diagnostics)
        .flat_map(|d| &d.secondary)
        .filter_map(|l| l.file.as_deref())
        .collect();
    (
        masked_where(files, |f| {
            !f.diagnostics.is_empty() || pointed_at.contains(f.path.as_str())
        }),
        masked_where(context, |f| pointed_at.contains(f.path.as_str())),
    )
}

fn masked_where(
    files: &[LintedFile],
    shown: impl Fn(&LintedFile) -> bool,
) -> Cow<'_, [LintedFile]> {
    let secrets: Vec<Secrets> = files
        .iter()
        .map(|f| {
            if shown(f) {
                Secrets::of(&f.file)
            } else {
                Secrets::default()
            }
        })
        .collect();
    if secrets.iter().all(Secrets::is_empty) {
        return Cow::Borrowed(files);
    }
    let masked = files
        .iter()
        .zip(&secrets)
        .map(|(f, secrets)| {
            let mut f = f.clone();
            if let Cow::Owned(text) = secrets.mask_text(&f.file.text) {
                Arc::make_mut(&mut f.file).set_masked_text(text);
            }
            f
        })
        .collect();
    Cow::Owned(masked)
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
    if !has_control_character(text) {
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

/// Whether `text` holds a control character other than tab and line breaks: a C0 control or
/// DEL (one byte), or a C1 control (U+0080 to U+009F, `C2 80` to `C2 9F` in UTF-8). Read as
/// bytes, as every file a frame may show passes through here.
fn has_control_character(text: &str) -> bool {
    const CHUNK: usize = 64;
    let bytes = text.as_bytes();
    // A chunk is read without a branch per byte (so that it is vectorized) for a byte that may
    // start a control character; only such a chunk is read again, exactly.
    let may_start =
        |b: u8| (b < 0x20) & (b != b'\t') & (b != b'\n') & (b != b'\r') | (b == 0x7f) | (b == 0xc2);
    bytes.chunks(CHUNK).enumerate().any(|(n, chunk)| {
        chunk.iter().fold(false, |any, &b| any | may_start(b))
            && (n * CHUNK..n * CHUNK + chunk.len()).any(|i| match bytes[i] {
                b'\t' | b'\n' | b'\r' => false,
                0..=0x1f | 0x7f => true,
                0xc2 => bytes
                    .get(i + 1)
                    .is_some_and(|next| (0x80..=0x9f).contains(next)),
                _ => false,
            })
    })
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

    #[test]
    fn control_characters_are_found_byte_by_byte_as_char_by_char() {
        let is_unsafe =
            |c: char| (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || c == '\u{7f}';
        for c in (0..=0x3000u32).filter_map(char::from_u32) {
            let text = format!("a{c}b");
            assert_eq!(
                super::has_control_character(&text),
                is_unsafe(c),
                "U+{:04X}",
                c as u32
            );
        }
    }

    #[test]
    fn a_control_character_is_found_across_the_chunks_read() {
        for before in 0..140 {
            let padding = "x\n".repeat(before / 2) + &"x".repeat(before % 2);
            for (c, control) in [('\u{85}', true), ('\u{a0}', false), ('\u{1b}', true)] {
                let text = format!("{padding}{c}y\n");
                assert_eq!(
                    super::has_control_character(&text),
                    control,
                    "{before} {c:?}"
                );
            }
        }
    }
}

#[cfg(test)]
mod cross_file_tests {
    use super::*;
    use crate::diagnostic::Severity;
    use crate::model::{FileKind, SourceFile};

    fn linted(path: &str, text: &str, diagnostics: Vec<Diagnostic>) -> LintedFile {
        LintedFile {
            path: path.to_string(),
            file: SourceFile::analyze(Some(FileKind::Mappings), text.to_string()).into(),
            diagnostics,
        }
    }

    /// R201 on `olama` in `a: olama`, the file of `linted("m.yaml", ...)` below.
    fn unknown_olama() -> Diagnostic {
        Diagnostic::new(
            "R201",
            "unknown-provider",
            Severity::Error,
            "unknown provider `olama`",
            Label::new(TextRange::new(3, 8), "not defined"),
        )
    }

    /// A diagnostic of `m.yaml` with a label in `p.yaml` (given as context) and one in
    /// `gone.yaml` (not given).
    fn files() -> (Vec<LintedFile>, Vec<LintedFile>) {
        let d = unknown_olama()
            .with_secondary(Label::in_file(
                "p.yaml",
                TextRange::new(14, 20),
                "defined here",
            ))
            .with_secondary(Label::in_file("gone.yaml", TextRange::new(0, 1), "lost"));
        (
            vec![linted("m.yaml", "a: olama\n", vec![d])],
            vec![linted("p.yaml", "x: 1\n# é🦙\nollama: 2\n", Vec::new())],
        )
    }

    #[test]
    fn every_format_locates_a_label_in_the_other_file() {
        let (files, context) = files();
        let full = render_text(&files, &context, false, false);
        assert!(full.contains("┌─ p.yaml:3:1"), "{full}");
        assert!(full.contains("3 │ ollama: 2"), "{full}");
        assert!(full.contains("see gone.yaml: lost"), "{full}");
        let github = render(&files, &context, OutputFormat::Github, false).unwrap();
        assert!(
            github.contains("%0Ap.yaml:3:1: defined here%0Agone.yaml: lost"),
            "{github}"
        );
        let json = render(&files, &context, OutputFormat::Json, false).unwrap();
        let json: serde_json::Value = serde_json::from_str(&json).unwrap();
        let labels = json["diagnostics"][0]["labels"].as_array().unwrap();
        // The label into a file not given has no position to report, and is left out.
        assert_eq!(labels.len(), 1, "{json:#}");
        assert_eq!(labels[0]["file"], "p.yaml");
        assert_eq!(labels[0]["start"]["line"], 3);
        let sarif = render(&files, &context, OutputFormat::Sarif, false).unwrap();
        let sarif: serde_json::Value = serde_json::from_str(&sarif).unwrap();
        let related = sarif["runs"][0]["results"][0]["relatedLocations"]
            .as_array()
            .unwrap();
        assert_eq!(
            related[0]["physicalLocation"]["artifactLocation"]["uri"],
            "p.yaml"
        );
        assert_eq!(related[0]["physicalLocation"]["region"]["startLine"], 3);
        assert_eq!(
            related[1]["physicalLocation"]["artifactLocation"]["uri"],
            "gone.yaml"
        );
        assert!(related[1]["physicalLocation"].get("region").is_none());
    }

    /// The other file's line too long to show whole is shown as a window around the label,
    /// with the label's real column.
    #[test]
    fn a_long_line_of_the_other_file_is_shown_as_a_window() {
        let long = format!(
            "x: \"{}\"\nid: {{a: \"{}\", ollama: 2}}\n",
            "é".repeat(300),
            "y".repeat(400)
        );
        let at = long.find("ollama").unwrap();
        let d = unknown_olama().with_secondary(Label::in_file(
            "p.yaml",
            TextRange::new(at, at + 6),
            "defined here",
        ));
        let files = vec![linted("m.yaml", "a: olama\n", vec![d])];
        let context = vec![linted("p.yaml", &long, Vec::new())];
        let full = render_text(&files, &context, false, false);
        // ASCII before it on its line: characters are bytes there.
        let column = at - long.find("id:").unwrap() + 1;
        assert!(full.contains(&format!("┌─ p.yaml:2:{column}")), "{full}");
        assert!(full.contains("…yyyy"), "{full}");
        assert!(full.contains("ollama: 2}"), "{full}");
        assert!(!full.contains(&"y".repeat(400)), "{full}");
        assert!(!full.contains("ééé"), "the first line has no label: {full}");
    }
}
