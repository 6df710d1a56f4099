//! `E003` invalid-utf8: the file is not UTF-8 text.
use super::prelude::*;
use crate::model::ReadProblem;
use crate::text::TextRange;

declare_rule! {
    /// ## What it does
    /// Reports a file that is not valid UTF-8, at the first offending byte.
    ///
    /// ## Why is this bad?
    /// YAML is UTF-8 (or UTF-16 with a byte-order mark); a file in Latin-1 or binary data
    /// breaks the gateway's loader or, worse, is read with mangled names.
    ///
    /// ## Example
    /// A file saved as Latin-1 with `description: café` stores `é` as the single byte 0xE9.
    ///
    /// ## How to fix
    /// Re-save the file as UTF-8 (`iconv -f latin1 -t utf-8`).
    code: "E003", name: "invalid-utf8", severity: Error, fix: None
}

pub(crate) fn check(ctx: &mut RuleContext) {
    let Some(ReadProblem::InvalidUtf8 { at }) = ctx.file.read_problem else {
        return;
    };
    let d = ctx.diagnostic(
        format!("the file is not valid UTF-8: invalid byte at offset {at}"),
        Label::new(TextRange::new(at, at + '\u{fffd}'.len_utf8()), "not UTF-8"),
    );
    ctx.report(d.with_note("the rest of the file was not checked"));
}
