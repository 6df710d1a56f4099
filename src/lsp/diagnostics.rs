//! aiblint's diagnostics as LSP diagnostics: severity, code, link to the rule's docs,
//! source, related locations from secondary labels, tags, and the fix in `data`.

use tower_lsp::lsp_types::{
    self as lsp, CodeDescription, DiagnosticRelatedInformation, DiagnosticSeverity, DiagnosticTag,
    Location, NumberOrString, Url,
};

use super::actions::fix_data;
use super::convert::Lines;
use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{rule_by_code, Tag};

/// The `source` of every diagnostic aiblint publishes.
pub(crate) const SOURCE: &str = "aiblint";

/// Converts one diagnostic of the document `uri` at `version`.
pub(crate) fn to_lsp(
    d: &Diagnostic,
    uri: &Url,
    lines: Lines<'_>,
    version: Option<i32>,
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
        .map(|label| DiagnosticRelatedInformation {
            location: Location::new(uri.clone(), lines.range(label.range)),
            message: label.message.clone().unwrap_or_default(),
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
        let out = to_lsp(&d, &uri, lines, Some(3));
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
}
