//! `L312` unresolved-balancing-member: a load-balancing member that stands for no model.
use super::prelude::*;
use crate::model::routing::{resolve_member, Unresolved};
use crate::model::FileKind;

declare_rule! {
    /// ## What it does
    /// Reports a member of a `load_balancing` group whose provider cannot say which model
    /// the member serves for the group: the provider serves several models and none is
    /// named like the group, it lists no models (and no exact match asks it for one), its
    /// `preferred_model` is not one of its models, or it is a tool server or web UI.
    ///
    /// A member stands for its `preferred_model`; else for the model named like the group,
    /// when its provider serves one; else for its provider's only model.
    ///
    /// ## Why is this bad?
    /// LiteLLM load-balances deployments, not providers. A member that stands for no model
    /// cannot become a deployment, so its share of the traffic silently goes to the other
    /// members (or the group serves nothing at all).
    ///
    /// ## Example
    /// With an `ollama` provider that serves `llama3.1:8b` and `qwen2.5-coder:7b`:
    ///
    /// ```yaml providers.yaml
    /// providers:
    ///   ollama:
    ///     type: ollama
    ///     base_url: http://127.0.0.1:11434
    ///     status: active
    ///     description: Local Ollama daemon
    ///     models: ["llama3.1:8b", "qwen2.5-coder:7b"]
    /// ```
    ///
    /// this group is no model name, and its member does not say which model to serve:
    ///
    /// ```yaml model-mappings.yaml
    /// load_balancing:
    ///   general-chat:
    ///     providers:
    ///       - provider: ollama
    ///         weight: 1.0
    /// ```
    ///
    /// ## How to fix
    /// Set `preferred_model` on the member to the model it serves for the group.
    code: "L312", name: "unresolved-balancing-member", severity: Error, fix: None
}

pub(crate) fn check(ctx: &mut RuleContext) {
    if !ctx.is_set_file(FileKind::Mappings) {
        return;
    }
    let (Some(_), Some(mappings)) = (ctx.set.provider_table(), ctx.set.mappings()) else {
        return;
    };
    let mut found = Vec::new();
    for group in &mappings.load_balancing {
        let name = group.name.as_str();
        for member in &group.members {
            let Some(id) = &member.provider else { continue };
            let provider = id.as_str();
            let why = match resolve_member(|id| ctx.set.provider(id), mappings, name, member) {
                Ok(_) | Err(Unresolved::UnknownProvider | Unresolved::Inactive { .. }) => continue,
                // A `preferred_model` no provider serves is R202's unknown model.
                Err(Unresolved::PreferredNotServed { preferred, .. })
                    if !ctx.set.symbols().is_model(&preferred) =>
                {
                    continue
                }
                Err(why) => why,
            };
            let (at, label, help) = match why {
                Unresolved::Ambiguous { served } => (
                    id.range,
                    format!("`{provider}` serves {} models", served.len()),
                    format!(
                        "`{provider}` serves {}, and none is named `{name}`: set \
                         `preferred_model` to the one this member serves",
                        names(&served)
                    ),
                ),
                Unresolved::NoModels => (
                    id.range,
                    format!("`{provider}` lists no models"),
                    format!(
                        "list the model `{provider}` serves under its `models` in \
                         providers.yaml, or set `preferred_model`"
                    ),
                ),
                Unresolved::PreferredNotServed { preferred, served } => (
                    member
                        .preferred_model
                        .as_ref()
                        .map_or(id.range, |p| p.range),
                    format!("`{provider}` does not serve `{preferred}`"),
                    format!("`{provider}` serves {}", names(&served)),
                ),
                Unresolved::NotAModelServer { provider_type } => (
                    id.range,
                    format!("`{provider}` is a `{provider_type}`"),
                    "only model servers can be load-balanced: remove this member".to_string(),
                ),
                Unresolved::UnknownProvider | Unresolved::Inactive { .. } => continue,
            };
            found.push(
                ctx.diagnostic(
                    format!(
                        "load-balancing member `{provider}` of `{name}` cannot be resolved to a model"
                    ),
                    Label::new(at, label),
                )
                .with_help(help)
                .with_note("LiteLLM balances deployments: this member's share goes to the others"),
            );
        }
    }
    for d in found {
        ctx.report(d);
    }
}

/// `` `a`, `b` `` — six names at most, then how many more.
pub(super) fn names(names: &[String]) -> String {
    let shown: Vec<String> = names.iter().take(6).map(|n| format!("`{n}`")).collect();
    match names.len().saturating_sub(6) {
        0 => shown.join(", "),
        more => format!("{}, and {more} more", shown.join(", ")),
    }
}
