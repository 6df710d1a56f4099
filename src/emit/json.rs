//! The JSON report: versioned DTOs (`{"version": 1, "diagnostics": [...]}`) that mirror
//! `docs/json-schema.json`. The shape only grows; a breaking change bumps the version.

use serde::Serialize;

use super::{points, EmitError, Point, Sources};
use crate::diagnostic::{Applicability, Diagnostic, Label};
use crate::lint::LintedFile;
use crate::rules::{rule_by_code, FixAvailability, RuleMeta};
use crate::text::TextRange;

/// The `version` of the JSON documents aiblint writes (`docs/json-schema.json`).
pub const JSON_FORMAT_VERSION: u32 = 1;

#[derive(Serialize)]
struct Report<'a> {
    version: u32,
    diagnostics: Vec<JsonDiagnostic<'a>>,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    code: &'a str,
    name: &'a str,
    severity: &'a str,
    message: &'a str,
    file: &'a str,
    start: Location,
    end: Location,
    /// The primary label's text, if any.
    label: Option<&'a str>,
    /// Secondary labels, each with the file it is in.
    labels: Vec<JsonLabel<'a>>,
    help: Option<&'a str>,
    note: Option<&'a str>,
    fix: Option<JsonFix<'a>>,
    url: Option<String>,
}

#[derive(Serialize)]
struct Location {
    line: u32,
    column: u32,
    offset: u32,
}

#[derive(Serialize)]
struct JsonLabel<'a> {
    message: Option<&'a str>,
    /// The diagnostic's own file, or another file of its set (cross-file evidence).
    file: &'a str,
    start: Location,
    end: Location,
}

#[derive(Serialize)]
struct JsonFix<'a> {
    title: &'a str,
    applicability: &'a str,
    edits: Vec<JsonEdit<'a>>,
}

#[derive(Serialize)]
struct JsonEdit<'a> {
    start: Location,
    end: Location,
    replacement: &'a str,
}

#[derive(Serialize)]
pub(super) struct StatisticsReport<'a> {
    pub(super) version: u32,
    pub(super) statistics: Vec<RuleCount<'a>>,
}

#[derive(Serialize)]
pub(super) struct RuleCount<'a> {
    pub(super) code: &'a str,
    pub(super) name: &'a str,
    pub(super) count: usize,
}

pub(super) fn render(sources: &Sources) -> Result<String, EmitError> {
    let report = Report {
        version: JSON_FORMAT_VERSION,
        diagnostics: sources
            .files
            .iter()
            .flat_map(|file| {
                file.diagnostics
                    .iter()
                    .map(move |d| diagnostic(sources, file, d))
            })
            .collect(),
    };
    to_json(&report)
}

/// Pretty JSON and a final newline.
pub(super) fn to_json(value: &impl Serialize) -> Result<String, EmitError> {
    let mut text = serde_json::to_string_pretty(value).map_err(|e| EmitError(e.to_string()))?;
    text.push('\n');
    Ok(text)
}

fn diagnostic<'a>(
    sources: &Sources<'a>,
    file: &'a LintedFile,
    d: &'a Diagnostic,
) -> JsonDiagnostic<'a> {
    let (start, end) = locations(file, d.primary.range);
    JsonDiagnostic {
        code: d.code,
        name: d.name,
        severity: d.severity.as_str(),
        message: &d.message,
        file: &file.path,
        start,
        end,
        label: d.primary.message.as_deref(),
        labels: d
            .secondary
            .iter()
            .filter_map(|l| label(sources, file, l))
            .collect(),
        help: d.help.as_deref(),
        note: d.note.as_deref(),
        fix: d.fix.as_ref().map(|fix| JsonFix {
            title: &fix.title,
            applicability: match fix.applicability {
                Applicability::Safe => "safe",
                Applicability::Unsafe => "unsafe",
                Applicability::DisplayOnly => "display-only",
            },
            edits: fix
                .edits
                .iter()
                .map(|edit| {
                    let (start, end) = locations(file, edit.range);
                    JsonEdit {
                        start,
                        end,
                        replacement: &edit.replacement,
                    }
                })
                .collect(),
        }),
        url: rule_by_code(d.code).map(|rule| rule.url()),
    }
}

/// A secondary label of a diagnostic of `own`; `None` when it points into a file the
/// emitter was not given, whose positions are unknown (the command line gives them all).
fn label<'a>(
    sources: &Sources<'a>,
    own: &'a LintedFile,
    label: &'a Label,
) -> Option<JsonLabel<'a>> {
    let file = sources.file_of(own, label)?;
    let (start, end) = locations(file, label.range);
    Some(JsonLabel {
        message: label.message.as_deref(),
        file: &file.path,
        start,
        end,
    })
}

fn locations(file: &LintedFile, range: TextRange) -> (Location, Location) {
    let (start, end) = points(file, range);
    (location(start), location(end))
}

fn location(p: Point) -> Location {
    Location {
        line: p.line,
        column: p.column,
        offset: p.offset,
    }
}

/// `aiblint rules --format json`: every rule of the registry, in code order.
#[derive(Serialize)]
struct RulesReport {
    version: u32,
    rules: Vec<JsonRule>,
}

#[derive(Serialize)]
struct JsonRule {
    code: &'static str,
    name: &'static str,
    /// The default severity: `error`, `warning` or `info`.
    severity: &'static str,
    summary: String,
    /// `none`, `sometimes` or `always`.
    fix: &'static str,
    /// Off unless selected in aiblint.toml (or by `strict = true`).
    opt_in: bool,
    /// The command that reports it: `aiblint check`, `aiblint ports` or `aiblint probe`.
    reported_by: &'static str,
    url: String,
}

/// The registry as a versioned JSON document (`{"version": 1, "rules": [...]}`).
pub fn render_rules(rules: &[&RuleMeta]) -> Result<String, EmitError> {
    let report = RulesReport {
        version: JSON_FORMAT_VERSION,
        rules: rules
            .iter()
            .map(|r| JsonRule {
                code: r.code,
                name: r.name,
                severity: r.severity.as_str(),
                summary: r.summary(),
                fix: match r.fix {
                    FixAvailability::None => "none",
                    FixAvailability::Sometimes => "sometimes",
                    FixAvailability::Always => "always",
                },
                opt_in: r.opt_in,
                reported_by: r.reported_by.command(),
                url: r.url(),
            })
            .collect(),
    };
    to_json(&report)
}
