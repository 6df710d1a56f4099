//! `E004` alias-limit: alias expansion makes the document explode ("billion laughs").
use super::prelude::*;
use crate::syntax::{SyntaxErrorKind, MAX_ALIAS_EXPANSION};

declare_rule! {
    /// ## What it does
    /// Reports a document whose aliases (`*name`) would expand to more than 100,000 nodes.
    /// aiblint stops expanding at that point and checks the rest without those aliases.
    ///
    /// ## Why is this bad?
    /// Nested anchors and aliases grow exponentially ("billion laughs"): a few lines can make
    /// a YAML loader, and the gateway reading the file, use gigabytes of memory.
    ///
    /// ## Example
    /// ```yaml ports.yaml
    /// a: &a [x, x, x, x, x, x, x, x, x, x]
    /// b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
    /// c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]
    /// d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]
    /// e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]
    /// f: [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]
    /// ```
    ///
    /// ## How to fix
    /// Write the values out, or use aliases only for small, non-nested blocks.
    code: "E004", name: "alias-limit", severity: Error, fix: None
}

pub(crate) fn check(ctx: &mut RuleContext) {
    let file = ctx.file;
    for error in file
        .parse
        .errors
        .iter()
        .filter(|e| e.kind == SyntaxErrorKind::AliasLimit)
    {
        let d = ctx.diagnostic(
            error.message.clone(),
            Label::new(error.range, "expansion stopped here"),
        );
        ctx.report(d.with_note(format!(
            "aliases may add at most {MAX_ALIAS_EXPANSION} nodes to a document; later aliases were not expanded"
        )));
    }
}
