//! SARIF 2.1.0 for code scanning (serde-sarif's model): the rule registry as
//! `tool.driver.rules`, one result per diagnostic with its region, related locations, fixes
//! and a partial fingerprint that survives unrelated edits.

use std::collections::{BTreeMap, HashMap};

use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};
use serde_json::Value;
use serde_sarif::sarif::{
    ArtifactChange, ArtifactContent, ArtifactLocation, Fix as SarifFix, Invocation, Location,
    Message, MultiformatMessageString, Notification, PhysicalLocation, PropertyBag, Region,
    Replacement, ReportingConfiguration, ReportingDescriptor, Result as SarifResult,
    ResultColumnKind, ResultLevel, Run, Sarif, Tool, ToolComponent,
};
use sha2::{Digest, Sha256};

use super::json::to_json;
use super::{points, EmitError, Sources};
use crate::diagnostic::{Applicability, Diagnostic, Fix, Severity};
use crate::lint::LintedFile;
use crate::model::ReadProblem;
use crate::rules::{all_rules, RuleMeta};
use crate::text::TextRange;

/// The OASIS schema of SARIF 2.1.0 (errata 01), as the SARIF validator recommends.
const SCHEMA_URI: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// The key of aiblint's entry in `partialFingerprints`; the suffix versions the recipe.
const FINGERPRINT_KEY: &str = "aiblint/v1";

pub(super) fn render(sources: &Sources) -> Result<String, EmitError> {
    let files = sources.files;
    let rules = all_rules();
    let rule_index: HashMap<&str, usize> = rules
        .iter()
        .enumerate()
        .map(|(i, rule)| (rule.code, i))
        .collect();
    let mut results = Vec::new();
    for file in files {
        let uri = artifact_uri(&file.path);
        let mut seen: HashMap<(&str, &str), usize> = HashMap::new();
        for d in &file.diagnostics {
            let line = file.line_col(d.primary.range.start as usize).line as usize - 1;
            let text = file
                .file
                .line_index()
                .line_text(&file.file.text, line)
                .trim();
            let occurrence = seen.entry((d.code, text)).or_insert(0);
            let fingerprint = fingerprint(d.code, &uri, text, *occurrence);
            *occurrence += 1;
            let related = related_locations(sources, file, &uri, d);
            results.push(result(
                file,
                &uri,
                d,
                related,
                rule_index.get(d.code),
                fingerprint,
            ));
        }
    }

    let unreadable: Vec<Notification> = files
        .iter()
        .filter_map(|file| match &file.file.read_problem {
            Some(ReadProblem::Unreadable(why)) => Some(
                Notification::builder()
                    .level(level_value("error"))
                    .message(text_message(format!("cannot read {}: {why}", file.path)))
                    .build(),
            ),
            _ => None,
        })
        .collect();
    let invocation = Invocation::builder().execution_successful(unreadable.is_empty());
    let invocation = if unreadable.is_empty() {
        invocation.build()
    } else {
        invocation.tool_execution_notifications(unreadable).build()
    };

    let driver = ToolComponent::builder()
        .name("aiblint")
        .version(env!("CARGO_PKG_VERSION"))
        .semantic_version(env!("CARGO_PKG_VERSION"))
        .information_uri(env!("CARGO_PKG_REPOSITORY"))
        .rules(
            rules
                .iter()
                .map(|rule| descriptor(rule))
                .collect::<Vec<_>>(),
        )
        .build();
    let run = Run::builder()
        .tool(Tool::builder().driver(driver).build())
        .column_kind(serde_json::to_value(ResultColumnKind::UnicodeCodePoints).unwrap_or_default())
        .invocations(vec![invocation])
        .results(results)
        .build();
    let log = Sarif::builder()
        .schema(SCHEMA_URI)
        .version(Value::String("2.1.0".to_string()))
        .runs(vec![run])
        .build();
    to_json(&log)
}

/// A rule of the registry as a SARIF `reportingDescriptor`, its help from the rule docs.
fn descriptor(rule: &RuleMeta) -> ReportingDescriptor {
    let docs = rule.docs();
    let docs = docs.trim_end();
    ReportingDescriptor::builder()
        .id(rule.code)
        .name(rule.name)
        .short_description(plain(rule.summary()))
        .full_description(plain(rule.description()))
        .help(
            MultiformatMessageString::builder()
                .text(docs)
                .markdown(docs)
                .build(),
        )
        .help_uri(rule.url())
        .default_configuration(
            ReportingConfiguration::builder()
                .level(level_value(level(rule.severity)))
                .build(),
        )
        .build()
}

/// The secondary labels of `d` as related locations, each in the file it points into (a
/// label into a file the emitter was not given keeps its file, without a region).
fn related_locations(
    sources: &Sources,
    file: &LintedFile,
    uri: &str,
    d: &Diagnostic,
) -> Vec<Location> {
    d.secondary
        .iter()
        .enumerate()
        .map(|(i, label)| {
            let message = label.message.as_deref();
            match (&label.file, sources.file_of(file, label)) {
                (None, _) => location(file, uri, label.range, message, Some(i)),
                (Some(_), Some(other)) => location(
                    other,
                    &artifact_uri(&other.path),
                    label.range,
                    message,
                    Some(i),
                ),
                (Some(path), None) => {
                    let mut location = Location::builder()
                        .physical_location(
                            PhysicalLocation::builder()
                                .artifact_location(artifact_location(&artifact_uri(path)))
                                .build(),
                        )
                        .build();
                    location.message = message.map(|m| text_message(m.to_string()));
                    location.id = Some(i as i64);
                    location
                }
            }
        })
        .collect()
}

fn result(
    file: &LintedFile,
    uri: &str,
    d: &Diagnostic,
    related: Vec<Location>,
    rule_index: Option<&usize>,
    fingerprint: String,
) -> SarifResult {
    let level = match d.severity {
        Severity::Error => ResultLevel::Error,
        Severity::Warning => ResultLevel::Warning,
        Severity::Info => ResultLevel::Note,
    };
    let primary = location(
        file,
        uri,
        d.primary.range,
        d.primary.message.as_deref(),
        None,
    );

    let mut fingerprints = BTreeMap::new();
    fingerprints.insert(FINGERPRINT_KEY.to_string(), fingerprint);

    let builder = SarifResult::builder()
        .rule_id(d.code)
        .level(level)
        .message(text_message(message_text(d)))
        .locations(vec![primary])
        .partial_fingerprints(fingerprints);
    // typed-builder fixes each optional field's presence in the type, so the optional
    // parts are set as fields after building.
    let mut result = builder.build();
    result.rule_index = rule_index.map(|&i| i as i64);
    if !related.is_empty() {
        result.related_locations = Some(related);
    }
    if let Some(fix) = &d.fix {
        result.fixes = Some(vec![sarif_fix(file, uri, fix)]);
    }
    result
}

/// The message shown for a result: the diagnostic's message, then its help and note.
fn message_text(d: &Diagnostic) -> String {
    let mut text = d.message.clone();
    if let Some(help) = &d.help {
        text += "\nhelp: ";
        text += help;
    }
    if let Some(note) = &d.note {
        text += "\nnote: ";
        text += note;
    }
    text
}

fn sarif_fix(file: &LintedFile, uri: &str, fix: &Fix) -> SarifFix {
    let replacements: Vec<Replacement> = fix
        .edits
        .iter()
        .map(|edit| {
            Replacement::builder()
                .deleted_region(region(file, edit.range))
                .inserted_content(
                    ArtifactContent::builder()
                        .text(edit.replacement.clone())
                        .build(),
                )
                .build()
        })
        .collect();
    let applicability = match fix.applicability {
        Applicability::Safe => "safe",
        Applicability::Unsafe => "unsafe",
        Applicability::DisplayOnly => "display-only",
    };
    let mut properties = BTreeMap::new();
    properties.insert("applicability".to_string(), Value::from(applicability));
    SarifFix::builder()
        .description(text_message(fix.title.clone()))
        .artifact_changes(vec![ArtifactChange::builder()
            .artifact_location(artifact_location(uri))
            .replacements(replacements)
            .build()])
        .properties(
            PropertyBag::builder()
                .additional_properties(properties)
                .build(),
        )
        .build()
}

/// A location in `file`, with its label's text; `id` numbers related locations.
fn location(
    file: &LintedFile,
    uri: &str,
    range: TextRange,
    message: Option<&str>,
    id: Option<usize>,
) -> Location {
    let mut location = Location::builder()
        .physical_location(
            PhysicalLocation::builder()
                .artifact_location(artifact_location(uri))
                .region(region(file, range))
                .build(),
        )
        .build();
    location.message = message.map(|m| text_message(m.to_string()));
    location.id = id.map(|i| i as i64);
    location
}

fn artifact_location(uri: &str) -> ArtifactLocation {
    ArtifactLocation::builder().uri(uri).build()
}

/// A region in lines and columns (Unicode code points, as the run's `columnKind` says);
/// `endColumn` is the column after the last character, as in SARIF.
fn region(file: &LintedFile, range: TextRange) -> Region {
    let (start, end) = points(file, range);
    Region::builder()
        .start_line(i64::from(start.line))
        .start_column(i64::from(start.column))
        .end_line(i64::from(end.line))
        .end_column(i64::from(end.column))
        .build()
}

fn plain(text: String) -> MultiformatMessageString {
    MultiformatMessageString::builder().text(text).build()
}

fn text_message(text: String) -> Message {
    Message::builder().text(text).build()
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn level_value(level: &str) -> Value {
    Value::String(level.to_string())
}

/// Characters escaped in a URI path segment (RFC 3986 §3.3): everything but unreserved
/// characters, sub-delims and `@`. `:` is escaped too, so that a relative path is never
/// read as a scheme.
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'/')
    .add(b':')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// The `artifactLocation.uri` of a path as the user gave it: a relative URI reference for a
/// relative path (GitHub resolves it against the repository root), a `file:` URI otherwise.
fn artifact_uri(path: &str) -> String {
    let normalized = if std::path::MAIN_SEPARATOR == '\\' {
        path.replace('\\', "/")
    } else {
        path.to_string()
    };
    let normalized = normalized.strip_prefix("./").unwrap_or(&normalized);
    let encode = |segment: &str| utf8_percent_encode(segment, SEGMENT).to_string();
    let is_drive = |segment: &str| {
        let bytes = segment.as_bytes();
        bytes.len() == 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':'
    };
    if std::path::Path::new(path).is_absolute() || normalized.starts_with('/') {
        let segments: Vec<String> = normalized
            .trim_start_matches('/')
            .split('/')
            .enumerate()
            .map(|(i, s)| {
                if i == 0 && is_drive(s) {
                    s.to_string()
                } else {
                    encode(s)
                }
            })
            .collect();
        format!("file:///{}", segments.join("/"))
    } else {
        normalized
            .split('/')
            .map(encode)
            .collect::<Vec<_>>()
            .join("/")
    }
}

/// A fingerprint that stays the same when lines are added above the result: the rule, the
/// file, the trimmed text of the result's first line and how many identical (rule, text)
/// pairs come before it in the file.
fn fingerprint(code: &str, uri: &str, line_text: &str, occurrence: usize) -> String {
    let mut hasher = Sha256::new();
    for part in [code, uri, line_text, &occurrence.to_string()] {
        hasher.update(part.as_bytes());
        hasher.update([0]);
    }
    let digest = format!("{:x}", hasher.finalize());
    digest[..32].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_become_relative_uri_references() {
        assert_eq!(
            artifact_uri("config/providers.yaml"),
            "config/providers.yaml"
        );
        assert_eq!(artifact_uri("./config/a b.yaml"), "config/a%20b.yaml");
        assert_eq!(artifact_uri("café/🦙.yaml"), "caf%C3%A9/%F0%9F%A6%99.yaml");
        assert_eq!(artifact_uri("a:b/c#1?.yaml"), "a%3Ab/c%231%3F.yaml");
        assert_eq!(artifact_uri("100%.yaml"), "100%25.yaml");
    }

    #[test]
    fn absolute_paths_become_file_uris() {
        assert_eq!(
            artifact_uri("/srv/gateway config/providers.yaml"),
            "file:///srv/gateway%20config/providers.yaml"
        );
    }

    #[test]
    fn fingerprints_depend_on_content_not_position() {
        let a = fingerprint("S101", "config/providers.yaml", "base_ur: x", 0);
        assert_eq!(a.len(), 32);
        assert_eq!(
            a,
            fingerprint("S101", "config/providers.yaml", "base_ur: x", 0)
        );
        assert_ne!(
            a,
            fingerprint("S101", "config/providers.yaml", "base_ur: x", 1)
        );
        assert_ne!(
            a,
            fingerprint("S104", "config/providers.yaml", "base_ur: x", 0)
        );
        assert_ne!(a, fingerprint("S101", "config/other.yaml", "base_ur: x", 0));
        // The parts are separated, so shifting text between them changes the hash.
        assert_ne!(
            fingerprint("S1", "01x", "t", 0),
            fingerprint("S10", "1x", "t", 0)
        );
    }
}
