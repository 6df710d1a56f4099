//! `L310` literal-secret: a credential written into a config file.
use super::prelude::*;
use crate::diagnostic::Diagnostic;
use crate::model::formats::{check_env_var, parse_url};
use crate::model::secrets::{is_secret_key, looks_secret, secret_label};
use crate::model::{value_subrange, Deployment, FileKind, ProvidersConfig};
use crate::syntax::{Node, NodeKind};

declare_rule! {
    /// ## What it does
    /// Reports a literal secret where an environment variable belongs:
    ///
    /// - in a LiteLLM config, a `litellm_params.api_key` that is not
    ///   `os.environ/NAME` (nor `${NAME}`, which is G411's) nor a placeholder for a server that needs no key (`none`,
    ///   `no-key`, `no-key-required`, `sk-no-key-required`, `not-needed`, `EMPTY`, `dummy`,
    ///   `fake-key`, `sk-fake-key`, any case: `aiblint generate` writes `none` for keyless OpenAI-compatible servers,
    ///   because LiteLLM would otherwise send them the `OPENAI_API_KEY`);
    /// - in providers.yaml, a `base_url` with credentials (`https://user:pass@host`);
    /// - in providers.yaml, an `env_var` whose value is a key rather than a variable name;
    /// - in providers.yaml, a secret-named key (`api_key`, `token`, `password`, `secret`,
    ///   or a key ending in `_api_key`, `_token`, `_password`, `_secret`) anywhere in a
    ///   provider (on the provider itself, in its `configuration`, in a model's `options`),
    ///   whose value looks like a secret: it starts with `sk-`, `sk_`, `ghp_`, `github_pat_`, `hf_` or `xoxb-`, or
    ///   it is a long random-looking token (20 characters or more of letters, digits and
    ///   `-_.+/=`, with both letters and digits).
    ///
    /// Messages show at most the first four characters of a secret.
    ///
    /// ## Why is this bad?
    /// These files live in git: a key written into them is shared with everyone who can
    /// read the repository and stays in its history after it is removed. LiteLLM reads
    /// `os.environ/NAME` from the environment at start-up, and providers.yaml names the
    /// variable in `env_var`.
    ///
    /// ## Example
    /// ```yaml litellm-unified.yaml
    /// model_list:
    ///   - model_name: gpt-4o
    ///     litellm_params:
    ///       model: openai/gpt-4o
    ///       api_base: https://api.openai.com/v1
    ///       api_key: sk-proj-3xAmPl3K3y0nly4D0cs
    /// ```
    ///
    /// ## How to fix
    /// Put the secret in an environment variable and reference it: `os.environ/NAME` in
    /// litellm-unified.yaml, `requires_api_key: true` and `env_var: NAME` in
    /// providers.yaml. Then rotate the key: once committed, it has leaked.
    ///
    /// ## Fix safety
    /// Unsafe, offered for litellm-unified.yaml only: the fix replaces the key with
    /// `os.environ/NAME`, which works only once the variable is set. `NAME` is the
    /// `env_var` of the provider whose `base_url` is the deployment's `api_base`; failing
    /// that, it is derived from the LiteLLM provider prefix of `model` (or from
    /// `custom_llm_provider`): `openai/gpt-4o` → `OPENAI_API_KEY` (`ollama_chat` counts as
    /// `ollama`). Without either there is no fix.
    code: "L310", name: "literal-secret", severity: Error, fix: Sometimes
}

pub(crate) fn check(ctx: &mut RuleContext) {
    if ctx.litellm_file().is_some() {
        check_litellm(ctx);
    }
    if ctx.is_set_file(FileKind::Providers) {
        check_providers(ctx);
    }
}

// ------------------------------------------------------------------ litellm-unified.yaml

fn check_litellm(ctx: &mut RuleContext) {
    let Some(litellm) = ctx.litellm_file() else {
        return;
    };
    let providers = ctx.set.providers();
    let mut diagnostics = Vec::new();
    for deployment in &litellm.model_list {
        let Some(key) = &deployment.api_key else {
            continue;
        };
        let value = key.value.trim();
        // `${VAR}` and other unresolved references are G411's.
        if value.is_empty()
            || value.starts_with("os.environ/")
            || crate::model::litellm::is_placeholder_key(value)
            || crate::model::litellm::env_reference(value).is_some()
        {
            continue;
        }
        let mut d = ctx.diagnostic(
            format!(
                "literal API key in `api_key` of `{}`",
                deployment.model_name.value
            ),
            Label::new(key.range, secret_label(value)),
        );
        match env_var_for(deployment, providers) {
            None => {
                d = d.with_help("read the key from the environment: `api_key: os.environ/NAME`");
            }
            Some(name) => {
                let replacement = format!("os.environ/{name}");
                d = d
                    .with_help(format!(
                        "set the key in the environment variable `{name}` and write \
                     `api_key: {replacement}`"
                    ))
                    .with_fix(Fix {
                        title: format!("Replace the literal key with `{replacement}`"),
                        applicability: Applicability::Unsafe,
                        edits: vec![Edit::replace(key.range, replacement)],
                    });
            }
        }
        diagnostics.push(d.with_note("a key committed to git has leaked: rotate it"));
    }
    for d in diagnostics {
        ctx.report(d);
    }
}

/// The environment variable that should hold a deployment's key.
fn env_var_for(deployment: &Deployment, providers: Option<&ProvidersConfig>) -> Option<String> {
    let trim = |s: &str| s.trim().trim_end_matches('/').to_ascii_lowercase();
    if let (Some(api_base), Some(providers)) = (&deployment.api_base, providers) {
        let api_base = trim(&api_base.value);
        let from_provider = providers
            .providers
            .iter()
            .filter(|p| {
                p.base_url
                    .as_ref()
                    .is_some_and(|u| trim(&u.value) == api_base)
            })
            .find_map(|p| p.env_var.as_ref())
            .map(|v| v.value.to_string())
            .filter(|v| check_env_var(v).is_ok());
        if from_provider.is_some() {
            return from_provider;
        }
    }
    let prefix = match &deployment.custom_llm_provider {
        Some(p) => p.value.as_str(),
        None => deployment.model.as_ref()?.value.split_once('/')?.0,
    };
    let prefix = prefix.strip_suffix("_chat").unwrap_or(prefix);
    let name: String = prefix
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect();
    let name = format!("{name}_API_KEY");
    check_env_var(&name).is_ok().then_some(name)
}

// ------------------------------------------------------------------ providers.yaml

fn check_providers(ctx: &mut RuleContext) {
    let Some(providers) = ctx.file.root().and_then(|r| r.get("providers")) else {
        return;
    };
    let Some(entries) = own_entries(providers) else {
        return;
    };
    let mut diagnostics = Vec::new();
    for entry in entries {
        let Some(id) = entry.key.scalar_text() else {
            continue;
        };
        let provider = &entry.value;
        if let Some(url) = provider.get("base_url") {
            if let Some(d) = url_credentials(ctx, id, url) {
                diagnostics.push(d);
            }
        }
        // Secret-named keys anywhere in the provider (its `configuration`, or an `api_key`
        // written on the provider itself), then in each model's `options`.
        let whose = format!("provider `{id}`");
        if let NodeKind::Mapping(entries) = &provider.kind {
            for entry in entries
                .iter()
                .filter(|e| e.key.scalar_text() != Some("models"))
            {
                let single = Node {
                    range: provider.range,
                    kind: NodeKind::Mapping(vec![entry.clone()]),
                };
                walk(ctx, &single, &mut Vec::new(), &whose, &mut diagnostics);
            }
        }
        let models = provider.get("models").and_then(Node::as_sequence);
        for model in models.unwrap_or_default() {
            let Some(options) = model.get_entry("options") else {
                continue;
            };
            let name = model.get("name").and_then(Node::as_str).unwrap_or("?");
            let mut path = vec!["options".to_string()];
            let whose = format!("model `{name}`");
            walk(ctx, &options.value, &mut path, &whose, &mut diagnostics);
        }
        if let Some(env_var) = provider.get("env_var") {
            if let Some(value) = own_str(env_var).filter(|v| looks_secret(v)) {
                diagnostics.push(
                    ctx.diagnostic(
                        format!("`env_var` of `{id}` holds a secret, not a variable name"),
                        Label::new(env_var.range, secret_label(value)),
                    )
                    .with_help(
                        "put the key in an environment variable and write the variable's name \
                         here, e.g. `env_var: OPENAI_API_KEY`",
                    )
                    .with_note("a secret committed to git has leaked: rotate it"),
                );
            }
        }
    }
    for d in diagnostics {
        ctx.report(d);
    }
}

/// A `base_url` with `user:pass@`.
fn url_credentials(ctx: &RuleContext, id: &str, node: &Node) -> Option<Diagnostic> {
    let value = node.as_str()?;
    let url = parse_url(value).ok()?;
    let userinfo = url.userinfo?;
    let range = value_subrange(&ctx.file.text, node, userinfo);
    Some(
        ctx.diagnostic(
            format!("`base_url` of `{id}` contains credentials"),
            Label::new(range, "credentials in the URL"),
        )
        .with_help(
            "move the credential into an environment variable: set `requires_api_key: true` \
             and `env_var`, and remove it from the URL",
        )
        .with_note("a credential committed to git has leaked: rotate it"),
    )
}

/// Reports secret-looking values under secret-named keys, anywhere inside `node`.
fn walk(
    ctx: &RuleContext,
    node: &Node,
    path: &mut Vec<String>,
    whose: &str,
    out: &mut Vec<Diagnostic>,
) {
    match &node.kind {
        NodeKind::Mapping(entries) => {
            for entry in entries.iter().filter(|e| !e.is_merge()) {
                let Some(key) = entry.key.scalar_text() else {
                    continue;
                };
                path.push(key.to_string());
                if is_secret_key(key) {
                    if let Some(value) = own_str(&entry.value).filter(|v| looks_secret(v)) {
                        out.push(
                            ctx.diagnostic(
                                format!("literal secret in `{}` of {whose}", path.join(".")),
                                Label::new(entry.value.range, secret_label(value)),
                            )
                            .with_help(
                                "move the secret into an environment variable, name it in the \
                                 provider's `env_var` and set `requires_api_key: true`",
                            )
                            .with_note("a secret committed to git has leaked: rotate it"),
                        );
                    }
                }
                walk(ctx, &entry.value, path, whose, out);
                path.pop();
            }
        }
        NodeKind::Sequence(items) => {
            for item in items {
                walk(ctx, item, path, whose, out);
            }
        }
        // Aliases are checked where their anchor is written.
        NodeKind::Scalar(_) | NodeKind::Alias(_) => {}
    }
}

/// The mapping's own entries, not through an alias.
fn own_entries(node: &Node) -> Option<&[crate::syntax::Entry]> {
    match &node.kind {
        NodeKind::Mapping(entries) => Some(entries),
        _ => None,
    }
}

/// A string scalar written here (not an alias).
fn own_str(node: &Node) -> Option<&str> {
    match &node.kind {
        NodeKind::Scalar(_) => node.as_str(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keyless_placeholders_are_not_secrets() {
        for v in ["none", "EMPTY", "sk-no-key-required", "No-Key"] {
            assert!(crate::model::litellm::is_placeholder_key(v), "{v}");
        }
        for v in ["sk-proj-abcdef123", "nonexistent", "hunter2"] {
            assert!(!crate::model::litellm::is_placeholder_key(v), "{v}");
        }
        assert_eq!(
            crate::syntax::writer::quote(crate::generate::KEYLESS_API_KEY),
            crate::generate::KEYLESS_API_KEY,
            "the generator's placeholder is written plain"
        );
        assert!(crate::model::litellm::is_placeholder_key(
            crate::generate::KEYLESS_API_KEY
        ));
    }

    #[test]
    fn no_env_var_without_a_provider_or_prefix() {
        use crate::model::Spanned;
        use crate::text::TextRange;
        let at = |s: &str| Some(Spanned::new(s.into(), TextRange::empty(0)));
        let deployment = |model: &str| Deployment {
            model_name: Spanned::new("m".into(), TextRange::empty(0)),
            entry_range: TextRange::empty(0),
            model: at(model),
            api_base: at("http://127.0.0.1:4001"),
            api_key: at("hunter2"),
            custom_llm_provider: None,
        };
        assert_eq!(env_var_for(&deployment("gpt-4o-mini"), None), None);
        assert_eq!(
            env_var_for(&deployment("ollama_chat/llama3.1:8b"), None).as_deref(),
            Some("OLLAMA_API_KEY")
        );
    }
}
