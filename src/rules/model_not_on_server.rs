//! `H803` model-not-on-server: a configured model that the provider's server does not serve.
use super::prelude::*;
use crate::diagnostic::Severity;
use crate::live::probe::{closest_served, is_served};
use crate::model::FileKind;

declare_rule! {
    /// ## What it does
    /// Reports a model listed under an active provider's `models` that the provider's server
    /// does not serve, by the names its model list gives (`aiblint probe`). Ollama serves
    /// `llama3.1` as `llama3.1:latest`, which counts as served. It is reported at the model's
    /// name with the closest served names: a served name that extends the configured one
    /// (`qwen2.5-coder:7b` → `qwen2.5-coder:7b-instruct-q4_K_M`), contains it, or is a small
    /// edit away; else the list of served names.
    ///
    /// A `llama_cpp` provider gets a warning instead: llama.cpp's server answers every request
    /// with the model it loaded, whatever name the request gives.
    ///
    /// ## Why is this bad?
    /// LiteLLM sends the configured name; Ollama and vLLM answer `404 model not found`, so
    /// every request for the model fails (and falls back, if a chain says so). On llama.cpp
    /// the request works but another model than the configured one answers.
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
    ///       - "qwen2.5-coder:7b"
    /// ```
    ///
    /// When the server lists only `qwen2.5-coder:7b-instruct-q4_K_M`, `aiblint probe`
    /// reports `qwen2.5-coder:7b` with "did you mean `qwen2.5-coder:7b-instruct-q4_K_M`?".
    ///
    /// ## How to fix
    /// Use the name the server serves, or make the server serve the configured name
    /// (`ollama pull qwen2.5-coder:7b`, vLLM's `--served-model-name`, llama.cpp's `--alias`).
    code: "H803", name: "model-not-on-server", severity: Error, fix: None, reported_by: Probe
}

pub(crate) fn check(ctx: &mut LiveContext) {
    for (result, provider) in ctx.probed() {
        let Ok(served) = &result.outcome else {
            continue;
        };
        if result.probe.disabled {
            continue;
        }
        let llama_cpp = provider.provider_type() == Some("llama_cpp");
        for model in &provider.models {
            let name = &model.name.value;
            if is_served(result.probe.api, name, &served.models) {
                continue;
            }
            let close = closest_served(name, &served.models);
            let help = match close.as_slice() {
                [one] => format!("did you mean `{one}`?"),
                [] if served.models.is_empty() => "the server serves no model".to_string(),
                [] => format!("the server serves {}", listing(&served.models, 8)),
                several => format!("did you mean one of {}?", listing(several, 3)),
            };
            let mut d = ctx
                .diagnostic(
                    format!(
                        "model `{name}` of provider `{}` is not served by its server",
                        provider.id.value
                    ),
                    Label::new(model.name.range, "not in the server's model list"),
                )
                .with_help(help);
            if llama_cpp {
                d.severity = Severity::Warning;
                d = d.with_note(
                    "llama.cpp's server answers every request with the model it loaded: \
                     requests for this name get another model",
                );
            }
            ctx.report(FileKind::Providers, d);
        }
    }
}

/// `` `a`, `b`, `c` and 4 more ``.
fn listing<S: AsRef<str>>(names: &[S], at_most: usize) -> String {
    let shown: Vec<String> = names
        .iter()
        .take(at_most)
        .map(|n| format!("`{}`", n.as_ref()))
        .collect();
    match names.len().saturating_sub(at_most) {
        0 => shown.join(", "),
        more => format!("{} and {more} more", shown.join(", ")),
    }
}
