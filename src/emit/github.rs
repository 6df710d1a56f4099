//! GitHub Actions workflow commands: one `::error|warning|notice …::message` line per
//! diagnostic, which the runner turns into annotations on the pull request.

use std::fmt::Write;

use super::{points, printable, Sources};
use crate::diagnostic::Severity;

/// An annotation has one location: the primary one. Labels in other files of the set are
/// told in the message (`path:line:col: label`), so that no evidence is lost.
pub(super) fn render(sources: &Sources) -> String {
    let mut out = String::new();
    for file in sources.files {
        for d in &file.diagnostics {
            let (start, end) = points(file, d.primary.range);
            let command = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "notice",
            };
            let mut properties = vec![
                ("file", file.path.clone()),
                ("line", start.line.to_string()),
            ];
            // GitHub ignores columns on annotations that span several lines.
            if start.line == end.line {
                properties.push(("col", start.column.to_string()));
            }
            properties.push(("endLine", end.line.to_string()));
            if start.line == end.line {
                properties.push(("endColumn", end.column.to_string()));
            }
            properties.push(("title", format!("aiblint {}", d.code)));
            let properties: Vec<String> = properties
                .into_iter()
                .map(|(key, value)| format!("{key}={}", escape_property(&printable(&value))))
                .collect();

            let mut message = d.message.clone();
            if let Some(help) = &d.help {
                let _ = write!(message, "\nhelp: {help}");
            }
            if let Some(note) = &d.note {
                let _ = write!(message, "\nnote: {note}");
            }
            for elsewhere in sources.elsewhere(file, d) {
                let _ = write!(message, "\n{elsewhere}");
            }
            let _ = writeln!(
                out,
                "::{command} {}::{}",
                properties.join(","),
                escape_data(&printable(&message))
            );
        }
    }
    out
}

/// Escapes a command's message as GitHub's toolkit does (`escapeData`): `%`, `\r`, `\n`.
pub(crate) fn escape_data(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            _ => out.push(c),
        }
    }
    out
}

/// Escapes a property value as GitHub's toolkit does (`escapeProperty`): what
/// [`escape_data`] escapes, plus `:` and `,`, which end a property.
pub(crate) fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_escapes_percent_and_line_breaks_only() {
        assert_eq!(escape_data("100% done"), "100%25 done");
        assert_eq!(escape_data("a\r\nb\nc\rd"), "a%0D%0Ab%0Ac%0Dd");
        assert_eq!(escape_data("a: b, c"), "a: b, c");
        // `%` is escaped first, so an existing escape is not mistaken for one.
        assert_eq!(escape_data("%0A"), "%250A");
        assert_eq!(escape_data("café 🦙"), "café 🦙");
    }

    #[test]
    fn properties_also_escape_colon_and_comma() {
        assert_eq!(escape_property("a: b, c"), "a%3A b%2C c");
        assert_eq!(escape_property("C:\\x,y%\n"), "C%3A\\x%2Cy%25%0A");
        assert_eq!(escape_property("%3A"), "%253A");
        assert_eq!(escape_property("aiblint S101"), "aiblint S101");
    }
}
