//! `S112` value-out-of-range: a number outside its allowed range.
use super::prelude::*;

declare_rule! {
    /// ## What it does
    /// Reports numbers outside their allowed range: `gpu_memory_utilization` in (0, 1],
    /// load-balancing `weight` in [0, 1], positive `context_length`, `max_model_len` and
    /// `min_context`.
    ///
    /// ## Why is this bad?
    /// vLLM refuses to start with `gpu_memory_utilization: 1.5`; a negative weight or
    /// context length makes routing decisions meaningless.
    ///
    /// ## Example
    /// ```yaml providers.yaml
    /// providers:
    ///   vllm-qwen:
    ///     type: vllm
    ///     base_url: http://127.0.0.1:8001/v1
    ///     status: active
    ///     description: vLLM on the GPU box
    ///     gpu_memory_utilization: 90
    /// ```
    ///
    /// ## How to fix
    /// Use a value in range; fractions are written `0.9`, not `90`.
    code: "S112", name: "value-out-of-range", severity: Error, fix: None
}

pub(crate) fn check(ctx: &mut RuleContext) {
    let issues = ctx.issues(|k| match k {
        IssueKind::OutOfRange { message } => Some(message),
        _ => None,
    });
    for (issue, message) in issues {
        let d = ctx.diagnostic(message.clone(), Label::new(issue.range, "out of range"));
        ctx.report(d);
    }
}
