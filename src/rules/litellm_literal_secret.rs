//! `G412` litellm-literal-secret: a secret written into a LiteLLM config, outside the
//! deployments' `api_key` (which `L310` checks).
use super::prelude::*;
use crate::model::litellm::{env_reference, is_placeholder_key, walk_strings};
use crate::model::secrets::{env_name_holds_secret, holds_secret, url_has_password};

declare_rule! {
    /// ## What it does
    /// Reports a literal secret in a LiteLLM config, in any key that holds one:
    /// `master_key`, a key whose name contains `api_key`, `password` or `secret` or ends
    /// with `_token` (not `max_tokens` and the like: counts of tokens are not secrets),
    /// `auth_value`,
    /// `database_url` with a password, and variables of `environment_variables` whose name
    /// says they hold a key, password, secret or token.
    ///
    /// A value is literal unless it is `os.environ/NAME` (or another reference LiteLLM
    /// resolves: `oidc/...`), a reference G411 reports, or a placeholder for a server
    /// that needs no key (`none`, `EMPTY`, `sk-no-key-required`, ...). A deployment's
    /// `litellm_params.api_key` is L310's.
    ///
    /// `master_key: sk-1234`, the key of LiteLLM's examples, is reported whatever else
    /// holds: it is public, and LiteLLM 1.110 refuses to start with it.
    ///
    /// ## Why is this bad?
    /// The file lives in git: a secret written into it is shared with everyone who can
    /// read the repository, and stays in its history. A known master key is no
    /// authentication at all.
    ///
    /// ## Example
    /// ```yaml litellm-unified.yaml
    /// model_list:
    ///   - model_name: llama3.1
    ///     litellm_params:
    ///       model: ollama_chat/llama3.1
    /// general_settings:
    ///   master_key: sk-1234
    /// ```
    ///
    /// ## How to fix
    /// Put the secret in an environment variable and write `os.environ/NAME`; then rotate
    /// it, since it has leaked.
    code: "G412", name: "litellm-literal-secret", severity: Error, fix: None
}

pub(crate) fn check(ctx: &mut RuleContext) {
    if ctx.litellm_analysis().is_none() {
        return;
    }
    let Some(root) = ctx.file.root() else {
        return;
    };
    let mut found = Vec::new();
    walk_strings(root, &mut |path, node| {
        let Some(value) = node.as_str() else {
            return;
        };
        let Some(key) = path.last().copied() else {
            return;
        };
        let in_params = path.len() >= 2 && path[path.len() - 2] == "litellm_params";
        if in_params && key == "api_key" && path.first() == Some(&"model_list") {
            return; // L310
        }
        let env_block = path.first() == Some(&"environment_variables") && path.len() == 2;
        if !(holds_secret(key) || (env_block && env_name_holds_secret(key))) {
            return;
        }
        let v = value.trim();
        if key == "master_key" && v == "sk-1234" {
            found.push((key, node.range, true));
            return;
        }
        if v.is_empty()
            || v.starts_with("os.environ/")
            || v.starts_with("oidc/")
            || env_reference(v).is_some()
            || is_placeholder_key(v)
        {
            return;
        }
        if key == "database_url" && !url_has_password(v) {
            return;
        }
        found.push((key, node.range, false));
    });
    for (key, range, known) in found {
        let raw = ctx.file.text.get(range.as_range()).unwrap_or("");
        let shown: String = raw.trim_matches(['"', '\'']).chars().take(4).collect();
        let d = if known {
            ctx.diagnostic(
                "`master_key: sk-1234` is LiteLLM's example key, known to everyone",
                Label::new(range, "the public example key"),
            )
            .with_help("generate a key (`openssl rand -hex 32`, with the `sk-` prefix), keep it in an environment variable and write `master_key: os.environ/LITELLM_MASTER_KEY`")
            .with_note("LiteLLM 1.110 refuses to start with this master key")
        } else {
            ctx.diagnostic(
                format!("literal secret in `{key}`"),
                Label::new(range, format!("`{shown}…` written into the file")),
            )
            .with_help(format!(
                "keep it in an environment variable and write `{key}: os.environ/NAME`"
            ))
            .with_note("a secret committed to git has leaked: rotate it")
        };
        ctx.report(d);
    }
}
