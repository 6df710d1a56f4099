//! `path:line:col: severity[CODE] message (help)`, one line per diagnostic, for grep and editors.

use std::fmt::Write;

use super::printable;
use crate::lint::LintedFile;

pub(super) fn render(files: &[LintedFile]) -> String {
    let mut out = String::new();
    for file in files {
        for d in &file.diagnostics {
            let pos = file.line_col(d.primary.range.start as usize);
            let _ = write!(
                out,
                "{}:{}:{}: {}[{}] {}",
                printable(&file.path),
                pos.line,
                pos.col,
                d.severity.as_str(),
                d.code,
                printable(&d.message)
            );
            if let Some(help) = &d.help {
                let _ = write!(out, " ({})", printable(help));
            }
            out.push('\n');
        }
    }
    out
}
