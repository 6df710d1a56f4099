//! `G406` litellm-ignored-key: a key LiteLLM reads and then ignores, so it has no effect.
use super::prelude::*;
use crate::model::litellm::{LitellmIssueKind, Section, UnknownKeys};

declare_rule! {
    /// ## What it does
    /// Reports a key of a LiteLLM config that LiteLLM reads and then ignores, and says what
    /// LiteLLM does with it:
    ///
    /// - a top-level section LiteLLM does not read (`server_settings`,
    ///   `rate_limit_settings`, `budget_settings`, `debug`, ...): ignored;
    /// - an unknown key of `general_settings`, or of a `guardrails`, `mcp_servers` or
    ///   `credential_list` entry: ignored;
    /// - an unknown key of `router_settings`: dropped, with a warning in LiteLLM's log;
    /// - an unknown key of `litellm_settings`: set as an attribute of the `litellm` module,
    ///   which nothing reads;
    /// - an unknown key of `retry_policy` or `allowed_fails_policy`: dropped.
    ///
    /// Keys LiteLLM passes on (`litellm_params`, `cache_params`) or keeps as metadata
    /// (`model_list` entries, `model_info`) are not reported, nor keys written as comments
    /// (`'# master_key': ...`) or extension keys (`x-...`). A key that is a typo of a known
    /// one is G405; a key of another section is G407.
    ///
    /// ## Why is this bad?
    /// The file says something the proxy does not do: CORS, rate limits or budgets that are
    /// not applied, a debug flag that is not set. Nothing at startup says so.
    ///
    /// ## Example
    /// ```yaml litellm-unified.yaml
    /// model_list:
    ///   - model_name: llama3.1
    ///     litellm_params:
    ///       model: ollama_chat/llama3.1
    /// server_settings:
    ///   port: 4000
    ///   cors:
    ///     allowed_origins: ["http://localhost:3000"]
    /// ```
    ///
    /// ## How to fix
    /// Remove the key, or set what it meant where LiteLLM reads it (the help says where,
    /// for the sections people commonly expect).
    code: "G406", name: "litellm-ignored-key", severity: Warning, fix: None
}

pub(crate) fn check(ctx: &mut RuleContext) {
    for issue in ctx.litellm_issues() {
        let LitellmIssueKind::IgnoredKey { key, section } = &issue.kind else {
            continue;
        };
        let (message, label) = match section.unknown_keys() {
            _ if *section == Section::Top => (
                format!("LiteLLM ignores the top-level key `{key}`: nothing set here has any effect"),
                "not a section LiteLLM reads",
            ),
            UnknownKeys::Warned => (
                format!(
                    "LiteLLM drops unknown {} keys (with a warning in its log): `{key}` has no effect",
                    section.display()
                ),
                "not a Router setting",
            ),
            UnknownKeys::SetAttr => (
                format!(
                    "LiteLLM sets unknown {} keys on its module, where nothing reads them: `{key}` has no effect",
                    section.display()
                ),
                "LiteLLM never reads this",
            ),
            _ => (
                format!(
                    "LiteLLM ignores unknown keys in {}: `{key}` has no effect",
                    section.display()
                ),
                "LiteLLM never reads this",
            ),
        };
        let mut d = ctx.diagnostic(message, Label::new(issue.range, label));
        if *section == Section::Top {
            if let Some(help) = where_instead(key) {
                d = d.with_help(help);
            }
        }
        ctx.report(d);
    }
}

/// Where LiteLLM reads what people commonly put in sections it does not have.
fn where_instead(key: &str) -> Option<&'static str> {
    Some(match key {
        "server_settings" => {
            "LiteLLM takes its host and port from its command line (`--host`, `--port`) and \
             reads no CORS settings from the config"
        }
        "rate_limit_settings" => {
            "set limits as `rpm` and `tpm` in each deployment's `litellm_params`, or per key"
        }
        "budget_settings" => "set `max_budget` and `budget_duration` in `litellm_settings`",
        "debug" | "debug_router" => {
            "for debug output, start the proxy with `--detailed_debug`, or set `set_verbose: \
             true` in `litellm_settings`"
        }
        _ => return None,
    })
}
