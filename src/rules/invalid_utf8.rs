//! `E003` invalid-utf8: the file is not UTF-8 text.
use super::prelude::*;
use crate::model::ReadProblem;
use crate::text::TextRange;

declare_rule! {
    /// ## What it does
    /// Reports a file that is not UTF-8 text: at the first offending byte, or, for binary
    /// content (a NUL byte, which no YAML file holds), as a whole and without showing it.
    ///
    /// ## Why is this bad?
    /// YAML is UTF-8 (or UTF-16 with a byte-order mark); a file in Latin-1 or binary data
    /// breaks the gateway's loader or, worse, is read with mangled names.
    ///
    /// ## Example
    /// A file saved as Latin-1 with `description: café` stores `é` as the single byte 0xE9;
    /// a compiled program or an archive saved as `providers.yaml` is binary.
    ///
    /// ## How to fix
    /// Re-save the file as UTF-8 (`iconv -f latin1 -t utf-8`); replace a binary file with
    /// the YAML it should be.
    code: "E003", name: "invalid-utf8", severity: Error, fix: None
}

pub(crate) fn check(ctx: &mut RuleContext) {
    let d = match ctx.file.read_problem {
        Some(ReadProblem::InvalidUtf8 { at }) => ctx
            .diagnostic(
                format!("the file is not valid UTF-8: invalid byte at offset {at}"),
                Label::new(TextRange::new(at, at + '\u{fffd}'.len_utf8()), "not UTF-8"),
            )
            .with_note("the rest of the file was not checked"),
        Some(ReadProblem::Binary { at }) => ctx
            .diagnostic(
                format!("not a text file: binary data (a NUL byte at offset {at})"),
                Label::bare(TextRange::empty(0)),
            )
            .with_note("the file was not checked; is it the file you meant?"),
        _ => return,
    };
    ctx.report(d);
}
