//! `E005` nesting-limit: collections nested absurdly deep.
use super::prelude::*;
use crate::syntax::SyntaxErrorKind;

declare_rule! {
    /// ## What it does
    /// Reports mappings or sequences nested deeper than 128 levels. aiblint skips the part
    /// below that depth.
    ///
    /// ## Why is this bad?
    /// No configuration needs such depth; it is generated garbage or an attack on the
    /// recursion of YAML loaders, which may crash with a stack overflow.
    ///
    /// ## Example
    /// ```yaml ports.yaml
    /// a: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]
    /// ```
    ///
    /// ## How to fix
    /// Flatten the structure.
    code: "E005", name: "nesting-limit", severity: Error, fix: None
}

pub(crate) fn check(ctx: &mut RuleContext) {
    let file = ctx.file;
    for error in file
        .parse
        .errors
        .iter()
        .filter(|e| e.kind == SyntaxErrorKind::TooDeep)
    {
        let d = ctx.diagnostic(
            error.message.clone(),
            Label::new(error.range, "too deep from here on"),
        );
        ctx.report(d);
    }
}
