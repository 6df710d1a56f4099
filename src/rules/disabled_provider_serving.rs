//! `H805` disabled-provider-serving: a provider marked `disabled` whose server is running.
use super::prelude::*;
use crate::model::FileKind;

declare_rule! {
    /// ## What it does
    /// Reports a provider with `status: disabled` whose server answers `aiblint probe`'s
    /// model-list request. It is reported at the provider's `status`.
    ///
    /// ## Why is this bad?
    /// No route uses a disabled provider, yet its server runs: a GPU server holds its memory
    /// for nothing, or the provider was meant to be enabled again.
    ///
    /// ## Example
    /// ```yaml providers.yaml
    /// providers:
    ///   vllm-dolphin:
    ///     type: vllm
    ///     base_url: http://127.0.0.1:8002
    ///     status: disabled
    ///     description: vLLM (off)
    /// ```
    ///
    /// With a vLLM server answering on 8002, `aiblint probe` reports
    /// `provider `vllm-dolphin` is disabled but its server is serving (1 model)`.
    ///
    /// ## How to fix
    /// Stop the server (`systemctl stop vllm-dolphin`), or set `status: active` to route to it.
    code: "H805", name: "disabled-provider-serving", severity: Info, fix: None, reported_by: Probe
}

pub(crate) fn check(ctx: &mut LiveContext) {
    for (result, provider) in ctx.probed() {
        let (true, Ok(served)) = (result.probe.disabled, &result.outcome) else {
            continue;
        };
        let Some(status) = &provider.status else {
            continue;
        };
        let count = match served.models.len() {
            1 => "1 model".to_string(),
            n => format!("{n} models"),
        };
        let d = ctx
            .diagnostic(
                format!(
                    "provider `{}` is disabled but its server is serving ({count})",
                    result.probe.id.value
                ),
                Label::new(status.range, "yet its server answers"),
            )
            .with_help("stop the server to free its resources, or set `status: active` to use it");
        ctx.report(FileKind::Providers, d);
    }
}
