//! `G411` unresolved-env-reference: `${VAR}` or `$VAR` in a LiteLLM config, which LiteLLM
//! never expands.
use super::prelude::*;
use crate::model::litellm::{env_reference, walk_strings, EnvProblem};

declare_rule! {
    /// ## What it does
    /// Reports a value of a LiteLLM config that is meant to come from an environment
    /// variable but is written in a form LiteLLM does not resolve: `${NAME}` or `$NAME`
    /// (shell and docker-compose syntax), `os.environ.NAME`, `os.getenv("NAME")`, or
    /// `os.environ/` followed by something no variable is named (`os.environ/${NAME}`).
    ///
    /// ## Why is this bad?
    /// LiteLLM loads its config with `yaml.safe_load` and resolves only string values that
    /// start with `os.environ/`. Anything else is used as it is written: the provider gets
    /// the text `${OPENAI_API_KEY}` as its API key, the proxy's master key is literally
    /// `$LITELLM_MASTER_KEY`, and requests fail with authentication errors that do not say
    /// why.
    ///
    /// ## Example
    /// ```yaml litellm-unified.yaml
    /// model_list:
    ///   - model_name: gpt-4o
    ///     litellm_params:
    ///       model: openai/gpt-4o
    ///       api_key: ${OPENAI_API_KEY}
    /// ```
    ///
    /// ## How to fix
    /// Write `os.environ/NAME` (the fix does it).
    ///
    /// ## Fix safety
    /// Safe: `os.environ/NAME` is what LiteLLM resolves, and the value names the variable.
    code: "G411", name: "unresolved-env-reference", severity: Error, fix: Sometimes
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
        if let Some(problem) = node.as_str().and_then(env_reference) {
            found.push((path.last().copied().unwrap_or(""), node.range, problem));
        }
    });
    for (key, range, problem) in found {
        let raw = ctx.file.text.get(range.as_range()).unwrap_or("");
        let key_part = if key.is_empty() {
            String::new()
        } else {
            format!(" in `{key}`")
        };
        let (message, name) = match &problem {
            EnvProblem::ShellSyntax { name } => (
                format!(
                    "LiteLLM does not expand `{}`{key_part}: it uses the text as it is",
                    raw.trim_matches(['"', '\''])
                ),
                Some(name),
            ),
            EnvProblem::Malformed { name } => (
                format!(
                    "`{}`{key_part} is not an environment reference LiteLLM resolves",
                    raw.trim_matches(['"', '\''])
                ),
                name.as_ref(),
            ),
        };
        let mut d = ctx.diagnostic(message, Label::new(range, "used literally"));
        match name {
            Some(name) => {
                let replacement = format!("os.environ/{name}");
                d = d.with_help(format!("write `{replacement}`")).with_fix(Fix {
                    title: format!("Replace with `{replacement}`"),
                    applicability: Applicability::Safe,
                    edits: vec![Edit::replace(range, replacement)],
                });
            }
            None => {
                d = d.with_help("write `os.environ/NAME`, NAME being the variable's name");
            }
        }
        ctx.report(d);
    }
}
