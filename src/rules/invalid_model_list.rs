//! `H802` invalid-model-list: a provider answers its model-list request with something else.
use super::prelude::*;
use crate::live::probe::Failure;
use crate::model::FileKind;

declare_rule! {
    /// ## What it does
    /// Reports a provider whose server answers `aiblint probe`'s model-list request with
    /// HTTP 200 but a body that is not a model list: not JSON, or JSON without Ollama's
    /// `models` or OpenAI's `data` list of names. It is reported at the provider's `base_url`.
    ///
    /// ## Why is this bad?
    /// Something answers at the URL, but not the API the provider's `type` says: another
    /// program on the port, a web UI or a login page in front of the server, or the wrong
    /// `type`. LiteLLM's requests get the same kind of answer.
    ///
    /// ## Example
    /// ```yaml providers.yaml
    /// providers:
    ///   llama_cpp:
    ///     type: llama_cpp
    ///     base_url: http://127.0.0.1:8080
    ///     status: active
    ///     description: llama.cpp
    /// ```
    ///
    /// With a web page served on 8080, `aiblint probe` reports `provider `llama_cpp` answers
    /// GET http://127.0.0.1:8080/v1/models with something that is not a model list: the
    /// answer is not JSON (…)`.
    ///
    /// ## How to fix
    /// Point `base_url` at the server's API, or correct `type`; check which program holds the
    /// port with `aiblint ports`.
    code: "H802", name: "invalid-model-list", severity: Error, fix: None, reported_by: Probe
}

pub(crate) fn check(ctx: &mut LiveContext) {
    for (result, provider) in ctx.probed() {
        let Err(Failure::Garbage(why)) = &result.outcome else {
            continue;
        };
        if result.probe.disabled {
            continue;
        }
        let Some(base_url) = &provider.base_url else {
            continue;
        };
        let d = ctx
            .diagnostic(
                format!(
                    "provider `{}` answers GET {} with something that is not a model list: {why}",
                    result.probe.id.value, result.probe.url
                ),
                Label::new(base_url.range, "not a model list here"),
            )
            .with_help(
                "point `base_url` at the server's API and check `type`; `aiblint ports` shows \
                 which program holds the port",
            );
        ctx.report(FileKind::Providers, d);
    }
}
