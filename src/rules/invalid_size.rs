//! `S110` invalid-size: a model size that is not `<number>(K|M|B|T)`, or a size range of
//! a size route that is not made of such sizes.
use super::prelude::*;
use crate::model::schema::Format;

declare_rule! {
    /// ## What it does
    /// Reports `size` and `min_model_size` values that are not a number followed by K, M, B or T.
    /// The `size` of a `routing_rules.model_size_routing` entry may also be a range:
    /// `"< 8B"`, `"<= 8B"`, `"> 13B"`, `">= 70B"` or `"8B - 13B"`; each size in it is
    /// checked, and the caret points at the one that is wrong.
    ///
    /// ## Why is this bad?
    /// Size-based routing compares these values; `7 billion` or `7b` cannot be compared and the model is never routed by size.
    ///
    /// ## Example
    /// ```yaml providers.yaml
    /// providers:
    ///   ollama:
    ///     type: ollama
    ///     base_url: http://127.0.0.1:11434
    ///     status: active
    ///     description: Local Ollama
    ///     models:
    ///       - name: llama3.1:8b
    ///         size: 8 billion
    /// ```
    ///
    /// ## How to fix
    /// Write the size as `"8B"`, `"0.5B"` or `"70B"`.
    code: "S110", name: "invalid-size", severity: Error, fix: None, affects_generated: false
}

pub(crate) fn check(ctx: &mut RuleContext) {
    ctx.report_format_issues(Format::Size, "not a model size", None);
    ctx.report_format_issues(Format::SizeRange, "not a model size", None);
}
