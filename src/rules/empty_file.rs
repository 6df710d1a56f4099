//! `E007` empty-file: a config file without any content.
use super::prelude::*;
use crate::text::TextRange;

declare_rule! {
    /// ## What it does
    /// Reports a configuration file that is empty or holds only comments.
    ///
    /// ## Why is this bad?
    /// An empty providers or mappings file means no provider or no route: the gateway starts
    /// and serves nothing.
    ///
    /// ## Example
    /// ```yaml providers.yaml
    /// # providers go here
    /// ```
    ///
    /// ## How to fix
    /// Fill the file in (see the example `config/`), or delete it.
    code: "E007", name: "empty-file", severity: Error, fix: None
}

pub(crate) fn check(ctx: &mut RuleContext) {
    let file = ctx.file;
    if file.parse.root.is_some() || !file.parse.errors.is_empty() || file.read_problem.is_some() {
        return;
    }
    let what = file.kind.map_or("this file", |k| k.file_name());
    let d = ctx.diagnostic(
        format!("{what} is empty"),
        Label::new(TextRange::empty(0), "no YAML document here"),
    );
    ctx.report(d.with_help("a configuration file must hold a mapping at the top level"));
}
