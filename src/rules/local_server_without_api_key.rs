//! `G415` local-server-without-api-key: an `openai/` deployment on a self-hosted server
//! with no `api_key`, to which LiteLLM sends the environment's `OPENAI_API_KEY`.
use super::prelude::*;
use crate::model::formats::parse_url;
use crate::model::litellm::{is_local_host, provider_prefix, ProviderPrefix};

declare_rule! {
    /// ## What it does
    /// Reports a deployment of a LiteLLM config with the `openai/` prefix (or
    /// `custom_llm_provider: openai`) whose `api_base` is a server on this machine or a
    /// private network, and that sets no `api_key`.
    ///
    /// ## Why is this bad?
    /// Without `api_key`, LiteLLM's OpenAI client takes the key from the environment's
    /// `OPENAI_API_KEY`: the proxy sends the real OpenAI key to the local server with
    /// every request, or, when the variable is unset, every request fails with "The
    /// api_key client option must be set".
    ///
    /// ## Example
    /// ```yaml litellm-unified.yaml
    /// model_list:
    ///   - model_name: llama-cpp
    ///     litellm_params:
    ///       model: openai/qwen2.5-7b-instruct
    ///       api_base: http://127.0.0.1:8080/v1
    /// ```
    ///
    /// ## How to fix
    /// Give the deployment its own key: the server's key as `os.environ/NAME`, or a
    /// placeholder such as `none` for a server that checks none (the fix adds
    /// `api_key: none` after `api_base`).
    ///
    /// ## Fix safety
    /// Unsafe: a server that does check keys needs its real key instead.
    code: "G415", name: "local-server-without-api-key", severity: Warning, fix: Sometimes
}

pub(crate) fn check(ctx: &mut RuleContext) {
    let Some(litellm) = ctx.litellm_file() else {
        return;
    };
    let mut diagnostics = Vec::new();
    for d in &litellm.model_list {
        let (Some(base), None) = (&d.api_base, &d.api_key) else {
            continue;
        };
        let openai = match &d.custom_llm_provider {
            Some(c) => c.value.trim() == "openai",
            None => d
                .model
                .as_ref()
                .is_some_and(|m| provider_prefix(&m.value) == ProviderPrefix::Known("openai")),
        };
        let local = parse_url(base.value.trim()).is_ok_and(|u| is_local_host(u.host));
        if !openai || !local {
            continue;
        }
        let mut diag = ctx
            .diagnostic(
                format!(
                    "`{}` calls a self-hosted server with LiteLLM's OpenAI client but sets no `api_key`",
                    d.model_name.value
                ),
                Label::new(base.range, "a local server"),
            )
            .with_help("set `api_key`: the server's key as `os.environ/NAME`, or `none` if it checks none")
            .with_note("without one, LiteLLM sends the environment's OPENAI_API_KEY to this server, or fails when it is unset");
        let key = ctx
            .file
            .root()
            .and_then(|root| root.entry_with_value(base.range));
        if let Some(key_range) = key.map(|entry| entry.key.range) {
            let lines = ctx.file.line_index();
            let line = lines.line_of(key_range.start as usize);
            let start = lines.line_start(line);
            let indent = ctx
                .file
                .text
                .get(start..key_range.start as usize)
                .unwrap_or("");
            if indent.trim().is_empty() && lines.line_of(base.range.end as usize) == line {
                let at = lines.line_content_end(&ctx.file.text, line);
                diag = diag.with_fix(Fix {
                    title: "Add `api_key: none`".to_string(),
                    applicability: Applicability::Unsafe,
                    edits: vec![Edit::replace(
                        crate::text::TextRange::empty(at),
                        format!("\n{indent}api_key: none"),
                    )],
                });
            }
        }
        diagnostics.push(diag);
    }
    for d in diagnostics {
        ctx.report(d);
    }
}
