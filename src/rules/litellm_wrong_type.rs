//! `G408` litellm-wrong-type: a LiteLLM setting whose value has the wrong type.
use super::prelude::*;
use crate::model::litellm::LitellmIssueKind;

declare_rule! {
    /// ## What it does
    /// Reports a value of a LiteLLM config whose type is not the one LiteLLM's sources
    /// declare for its key: a list or a mapping where a scalar goes, a scalar where a list
    /// or mapping goes (`fallbacks: gpt-4o`, `model_list:` holding a mapping), a quoted
    /// `"false"` for a boolean, a word for a number.
    ///
    /// It is lenient where Python is: numbers written as strings, and YAML 1.1 booleans
    /// such as `yes` and `off` (LiteLLM loads YAML with PyYAML, which reads them as
    /// booleans), are accepted; so is any `os.environ/NAME` reference. Keys whose type
    /// LiteLLM does not declare are not checked.
    ///
    /// ## Why is this bad?
    /// LiteLLM does not validate most settings: it hands them on as they are. A string
    /// `"false"` is true in Python, so `set_verbose: "false"` turns verbose logging on; a
    /// mapping where a list goes fails when the proxy starts or at the first request that
    /// reads it.
    ///
    /// ## Example
    /// ```yaml litellm-unified.yaml
    /// model_list:
    ///   - model_name: llama3.1
    ///     litellm_params:
    ///       model: ollama_chat/llama3.1
    /// litellm_settings:
    ///   set_verbose: "false"
    ///   success_callback: langfuse
    /// ```
    ///
    /// ## How to fix
    /// Write the value with the type the message names (unquoted `true`/`false` for
    /// booleans, `- item` lines for lists).
    code: "G408", name: "litellm-wrong-type", severity: Error, fix: None
}

pub(crate) fn check(ctx: &mut RuleContext) {
    for issue in ctx.litellm_issues() {
        let LitellmIssueKind::WrongType {
            key,
            expected,
            found,
        } = &issue.kind
        else {
            continue;
        };
        let message = if key.is_empty() {
            format!("expected {expected}, found {found}")
        } else {
            format!("`{key}` should be {expected}, found {found}")
        };
        let d = ctx.diagnostic(message, Label::new(issue.range, format!("not {expected}")));
        ctx.report(d);
    }
}
