//! `E008` unreadable-file: the file could not be read.
use super::prelude::*;
use crate::model::ReadProblem;
use crate::text::TextRange;

declare_rule! {
    /// ## What it does
    /// Reports a configuration file that exists but cannot be read (permissions, a
    /// directory with a config file's name, an I/O error).
    ///
    /// ## Why is this bad?
    /// The gateway cannot read it either.
    ///
    /// ## Example
    /// A `providers.yaml` with mode `000`.
    ///
    /// ## How to fix
    /// Fix the file's permissions or replace it with a regular file.
    code: "E008", name: "unreadable-file", severity: Error, fix: None
}

pub(crate) fn check(ctx: &mut RuleContext) {
    let Some(ReadProblem::Unreadable(reason)) = &ctx.file.read_problem else {
        return;
    };
    let d = ctx.diagnostic(
        format!("cannot read the file: {reason}"),
        Label::bare(TextRange::empty(0)),
    );
    ctx.report(d);
}
