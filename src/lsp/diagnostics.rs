//! aiblint's diagnostics as LSP diagnostics: severity, code, link to the rule's docs,
//! source, related locations from secondary labels, tags, and the fix in `data`.

use tower_lsp::lsp_types::{
    self as lsp, CodeDescription, DiagnosticRelatedInformation, DiagnosticSeverity, DiagnosticTag,
    Location, NumberOrString, Url,
};

use super::actions::fix_data;
use super::convert::Lines;
use super::documents::Snapshot;
use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{rule_by_code, Tag};

/// The `source` of every diagnostic aiblint publishes.
pub(crate) const SOURCE: &str = "aiblint";

/// The URI and positions of the other files of a set, by the path labels name them with
/// (`SetMember::path`): what the server analysed, an open document's text or the file on disk.
pub(crate) type OtherFiles<'a> = dyn Fn(&str) -> Option<(&'a Url, Lines<'a>)> + 'a;

/// Converts one diagnostic of the document `uri` at `version`. A secondary label in another
/// file of the set becomes related information at that file's URI (`others`), positioned in
/// the text the server analysed; one whose file the server does not have is left out.
pub(crate) fn to_lsp<'a>(
    d: &Diagnostic,
    uri: &Url,
    lines: Lines<'_>,
    version: Option<i32>,
    others: &OtherFiles<'a>,
) -> lsp::Diagnostic {
    let mut message = d.message.clone();
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    if let Some(note) = &d.note {
        message.push_str("\nnote: ");
        message.push_str(note);
    }
    let related: Vec<DiagnosticRelatedInformation> = d
        .secondary
        .iter()
        .filter_map(|label| {
            let location = match &label.file {
                None => Location::new(uri.clone(), lines.range(label.range)),
                Some(path) => {
                    let (uri, lines) = others(path)?;
                    Location::new(uri.clone(), lines.range(label.range))
                }
            };
            Some(DiagnosticRelatedInformation {
                location,
                message: label.message.clone().unwrap_or_default(),
            })
        })
        .collect();
    let href = rule_by_code(d.code).and_then(|rule| Url::parse(&rule.url()).ok());
    lsp::Diagnostic {
        range: lines.range(d.primary.range),
        severity: Some(match d.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
            Severity::Info => DiagnosticSeverity::INFORMATION,
        }),
        code: Some(NumberOrString::String(d.code.to_string())),
        code_description: href.map(|href| CodeDescription { href }),
        source: Some(SOURCE.to_string()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: tags(d.code),
        data: fix_data(d, lines.text(), version),
    }
}

/// The rule's tag (`RuleMeta::tag`), which editors show by striking through or fading.
fn tags(code: &str) -> Option<Vec<DiagnosticTag>> {
    let tag = match rule_by_code(code)?.tag? {
        Tag::Deprecated => DiagnosticTag::DEPRECATED,
        Tag::Unnecessary => DiagnosticTag::UNNECESSARY,
    };
    Some(vec![tag])
}

/// The LSP diagnostics of member `index` of a snapshot.
pub(crate) fn lsp_diagnostics(snapshot: &Snapshot, index: usize) -> Vec<lsp::Diagnostic> {
    let (Some(member), Some(lines), Some(diagnostics)) = (
        snapshot.members.get(index),
        snapshot.lines(index),
        snapshot.diagnostics.get(index),
    ) else {
        return Vec::new();
    };
    let others = |path: &str| {
        let other = snapshot.set.members.iter().position(|m| m.path == path)?;
        Some((&snapshot.members.get(other)?.uri, snapshot.lines(other)?))
    };
    diagnostics
        .iter()
        .map(|d| to_lsp(d, &member.uri, lines, member.version, &others))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Label;
    use crate::text::{LineIndex, PositionEncoding, TextRange};

    #[test]
    fn carries_code_link_source_related_and_tags() {
        let text = "a: 1\nb: 2\n";
        let index = LineIndex::new(text);
        let lines = Lines::new(text, &index, PositionEncoding::Utf16);
        let uri = Url::parse("file:///x/model-mappings.yaml").unwrap();
        let d = Diagnostic::new(
            "L308",
            "unreachable-pattern",
            Severity::Warning,
            "pattern never matches first",
            Label::new(TextRange::new(5, 6), "here"),
        )
        .with_secondary(Label::new(TextRange::new(0, 1), "earlier"))
        .with_help("Remove it.");
        let out = to_lsp(&d, &uri, lines, Some(3), &|_| None);
        assert_eq!(out.code, Some(NumberOrString::String("L308".into())));
        assert!(out
            .code_description
            .unwrap()
            .href
            .as_str()
            .ends_with("#l308"));
        assert_eq!(out.source.as_deref(), Some("aiblint"));
        assert_eq!(out.message, "pattern never matches first\nhelp: Remove it.");
        assert_eq!(out.tags, Some(vec![DiagnosticTag::UNNECESSARY]));
        let related = out.related_information.unwrap();
        assert_eq!(related[0].location.range.start, lsp::Position::new(0, 0));
        assert_eq!(related[0].message, "earlier");
        assert!(out.data.is_none());
    }

    #[test]
    fn a_label_in_another_file_relates_to_its_uri_or_is_left_out() {
        let text = "a: 1\n";
        let index = LineIndex::new(text);
        let lines = Lines::new(text, &index, PositionEncoding::Utf16);
        let other_text = "x: é🦙\nid: 2\n";
        let other_index = LineIndex::new(other_text);
        let other_lines = Lines::new(other_text, &other_index, PositionEncoding::Utf16);
        let uri = Url::parse("file:///x/model-mappings.yaml").unwrap();
        let other_uri = Url::parse("file:///x/providers.yaml").unwrap();
        let d = Diagnostic::new(
            "R201",
            "unknown-provider",
            Severity::Error,
            "unknown provider `i`",
            Label::new(TextRange::new(0, 1), "here"),
        )
        .with_secondary(Label::in_file(
            "x/providers.yaml",
            TextRange::new(10, 12),
            "defined here",
        ))
        .with_secondary(Label::in_file("x/gone.yaml", TextRange::new(0, 1), "lost"));
        let others = |path: &str| (path == "x/providers.yaml").then_some((&other_uri, other_lines));
        let related = to_lsp(&d, &uri, lines, None, &others)
            .related_information
            .unwrap();
        assert_eq!(related.len(), 1);
        assert_eq!(related[0].location.uri, other_uri);
        assert_eq!(related[0].location.range.start, lsp::Position::new(1, 0));
        assert_eq!(related[0].location.range.end, lsp::Position::new(1, 2));
        assert_eq!(related[0].message, "defined here");
    }
}
