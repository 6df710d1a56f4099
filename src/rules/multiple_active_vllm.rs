//! `L307` multiple-active-vllm: more than one active vLLM provider.
use super::prelude::*;
use crate::diagnostic::Severity;
use crate::model::FileKind;

declare_rule! {
    /// ## What it does
    /// Reports every provider with `type: vllm` and `status: active` after the first one
    /// (in file order).
    ///
    /// Schema 2.0.0 allows one active vLLM provider: this is an error in a 2.x
    /// providers.yaml. Schema 1.x allowed several, so in a 1.x file it is a warning (and
    /// `aiblint migrate` disables all but the first).
    ///
    /// ## Why is this bad?
    /// vLLM pre-allocates a share of its GPU's memory (`gpu_memory_utilization`, 0.9 by
    /// default) when it starts, so two vLLM servers on the same GPU do not fit: the second
    /// one fails to start, or both run out of memory under load, and the requests routed
    /// to it fail. Schema 2.0.0 therefore describes a gateway with one active vLLM
    /// provider; switching models means switching which one is active.
    ///
    /// ## Example
    /// ```yaml providers.yaml
    /// metadata:
    ///   schema_version: "2.0.0"
    /// providers:
    ///   vllm-qwen:
    ///     type: vllm
    ///     base_url: http://127.0.0.1:8001/v1
    ///     status: active
    ///     description: vLLM coder
    ///     models:
    ///       - Qwen/Qwen2.5-Coder-14B-Instruct-AWQ
    ///   vllm-dolphin:
    ///     type: vllm
    ///     base_url: http://127.0.0.1:8002/v1
    ///     status: active
    ///     description: vLLM chat
    ///     models:
    ///       - cognitivecomputations/Dolphin3.0-Llama3.1-8B
    /// ```
    ///
    /// ## How to fix
    /// Keep one vLLM provider active and set `status: disabled` on the others; swap the
    /// statuses to switch models. For a 1.x file, `aiblint migrate` does this.
    code: "L307", name: "multiple-active-vllm", severity: Error, fix: None, migration_resolves: true
}

pub(crate) fn check(ctx: &mut RuleContext) {
    if !ctx.is_set_file(FileKind::Providers) {
        return;
    }
    let Some(providers) = ctx.set.providers() else {
        return;
    };
    let legacy = ctx.file.version.as_ref().is_some_and(|v| v.is_legacy());
    let mut active = providers
        .providers
        .iter()
        .filter(|p| p.provider_type() == Some("vllm") && p.status() == Some("active"));
    let Some(first) = active.next() else {
        return;
    };
    let Some(first_status) = &first.status else {
        return;
    };
    let mut diagnostics = Vec::new();
    for other in active {
        let Some(status) = &other.status else {
            continue;
        };
        let mut d = ctx
            .diagnostic(
                format!(
                    "more than one active vllm provider: `{}` and `{}`",
                    first.id.value, other.id.value
                ),
                Label::new(status.range, "another active vllm provider"),
            )
            .with_secondary(Label::new(
                first_status.range,
                format!("`{}` is already active", first.id.value),
            ));
        if legacy {
            d.severity = Severity::Warning;
            d = d
                .with_help(
                    "schema 2.0.0 allows one active vllm provider: set `status: disabled` on \
                     all but one (`aiblint migrate` does this, keeping the first)",
                )
                .with_note(
                    "schema 1.x allowed several; each vLLM server reserves a share of its \
                     GPU's memory at start (`gpu_memory_utilization`), so two on one GPU do \
                     not fit",
                );
        } else {
            d = d
                .with_help(
                    "schema 2.0.0 allows one active vllm provider: set `status: disabled` on \
                     all but one",
                )
                .with_note(
                    "each vLLM server reserves a share of its GPU's memory at start \
                     (`gpu_memory_utilization`), so two on one GPU do not fit",
                );
        }
        diagnostics.push(d);
    }
    for d in diagnostics {
        ctx.report(d);
    }
}
