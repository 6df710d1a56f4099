//! `G416` unset-env-variable: with `aiblint check --env`, an `os.environ/NAME` reference of
//! a LiteLLM config to a variable this environment does not set.
use super::prelude::*;
use crate::model::litellm::walk_strings;

declare_rule! {
    /// ## What it does
    /// With `aiblint check --env` (run where the proxy runs, or with its environment
    /// loaded), reports an `os.environ/NAME` value of a LiteLLM config whose variable is not
    /// set. Without `--env` it reports nothing: the environment of a CI job or of your
    /// editor is not the proxy's.
    ///
    /// A variable defined only under the config's own `environment_variables` is
    /// reported too: LiteLLM resolves `os.environ/` references before it exports
    /// `environment_variables`, so such a reference finds nothing unless the variable is
    /// also set outside.
    ///
    /// ## Why is this bad?
    /// LiteLLM resolves an unset variable to nothing: the deployment goes out without its
    /// key (authentication errors from the provider), `master_key` is empty (LiteLLM 1.110
    /// refuses to start; older releases run without authentication), the database or Redis
    /// URL is missing.
    ///
    /// ## Example
    /// ```yaml litellm-unified.yaml
    /// model_list:
    ///   - model_name: gpt-4o
    ///     litellm_params:
    ///       model: openai/gpt-4o
    ///       api_key: os.environ/AIBLINT_EXAMPLE_UNSET_KEY
    /// ```
    ///
    /// ## How to fix
    /// Set the variable where the proxy runs (its systemd unit, container environment or
    /// `.env` file), or correct its name.
    code: "G416", name: "unset-env-variable", severity: Error, fix: None
}

pub(crate) fn check(ctx: &mut RuleContext) {
    let (Some(environment), Some(_)) = (ctx.environment(), ctx.litellm_analysis()) else {
        return;
    };
    let Some(root) = ctx.file.root() else {
        return;
    };
    let exported: Vec<&str> = root
        .get("environment_variables")
        .map(|e| {
            e.entries()
                .iter()
                .filter_map(|e| e.key.scalar_text())
                .collect()
        })
        .unwrap_or_default();
    let mut found = Vec::new();
    walk_strings(root, &mut |path, node| {
        let Some(name) = node
            .as_str()
            .and_then(|v| v.trim().strip_prefix("os.environ/"))
        else {
            return;
        };
        if name.is_empty() || environment.contains(name) {
            return;
        }
        found.push((
            name.to_string(),
            path.last().map(|k| k.to_string()),
            node.range,
        ));
    });
    for (name, key, range) in found {
        let within = key.map(|k| format!(" (in `{k}`)")).unwrap_or_default();
        let mut d = ctx.diagnostic(
            format!(
                "environment variable `{name}` is not set{within}: LiteLLM resolves it to nothing"
            ),
            Label::new(range, "not set in this environment"),
        );
        d = if exported.contains(&name.as_str()) {
            d.with_help(format!(
                "`{name}` is defined under `environment_variables`, but LiteLLM resolves `os.environ/` references before it exports those: set it where the proxy runs"
            ))
        } else {
            d.with_help(format!(
                "set `{name}` where the proxy runs, or correct the name"
            ))
        };
        ctx.report(d);
    }
}
