//! `E006` multiple-documents: more than one YAML document in a config file.
use super::prelude::*;
use crate::syntax::SyntaxErrorKind;

declare_rule! {
    /// ## What it does
    /// Reports a second YAML document (`---`) in a configuration file.
    ///
    /// ## Why is this bad?
    /// The gateway's loaders read only the first document; everything after the second `---`
    /// is silently ignored.
    ///
    /// ## Example
    /// ```yaml ports.yaml
    /// litellm:
    ///   port: 4000
    /// ---
    /// redis:
    ///   port: 6379
    /// ```
    ///
    /// ## How to fix
    /// Merge the documents into one, or move the second into its own file.
    code: "E006", name: "multiple-documents", severity: Error, fix: None
}

pub(crate) fn check(ctx: &mut RuleContext) {
    let file = ctx.file;
    for error in file
        .parse
        .errors
        .iter()
        .filter(|e| e.kind == SyntaxErrorKind::MultipleDocuments)
    {
        let d = ctx.diagnostic(
            error.message.clone(),
            Label::new(error.range, "second document starts here"),
        );
        ctx.report(d.with_note("only the first document is read; the rest was not checked"));
    }
}
