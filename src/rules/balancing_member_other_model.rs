//! `L313` balancing-member-other-model: a share of a model's traffic goes to another model.
use super::prelude::*;
use crate::model::routing::resolve_member;
use crate::model::FileKind;

declare_rule! {
    /// ## What it does
    /// Reports a member of a `load_balancing` group named after a model (a model some
    /// provider serves, or an exact match) when the member's provider does not serve that
    /// model and the member stands for another one: its provider's only model, which
    /// clients asking for the group's model then get for the member's share of the
    /// requests. A member that names its model with `preferred_model` is not reported:
    /// that is a choice.
    ///
    /// ## Why is this bad?
    /// Clients that ask for `llama3.1:8b` expect Llama 3.1; a member that serves a
    /// different model answers a share of those requests with it, and nothing says so.
    ///
    /// ## Example
    /// With an `ollama` provider serving `llama3.1:8b` and a `llama_cpp` provider serving
    /// only `mistral-7b-instruct`:
    ///
    /// ```yaml providers.yaml
    /// providers:
    ///   ollama:
    ///     type: ollama
    ///     base_url: http://127.0.0.1:11434
    ///     status: active
    ///     description: Local Ollama daemon
    ///     models: ["llama3.1:8b"]
    ///   llama_cpp:
    ///     type: llama_cpp
    ///     base_url: http://127.0.0.1:8080
    ///     status: active
    ///     description: llama.cpp server
    ///     models: ["mistral-7b-instruct"]
    /// ```
    ///
    /// this group sends 30% of `llama3.1:8b` requests to a server without it:
    ///
    /// ```yaml model-mappings.yaml
    /// load_balancing:
    ///   "llama3.1:8b":
    ///     providers:
    ///       - provider: ollama
    ///         weight: 0.7
    ///       - provider: llama_cpp
    ///         weight: 0.3
    /// ```
    ///
    /// ## How to fix
    /// Serve the group's model on that provider (and list it in its `models`), set
    /// `preferred_model` to say the other model is meant, or remove the member.
    code: "L313", name: "balancing-member-other-model", severity: Warning, fix: None
}

pub(crate) fn check(ctx: &mut RuleContext) {
    if !ctx.is_set_file(FileKind::Mappings) {
        return;
    }
    let (Some(_), Some(mappings)) = (ctx.set.provider_table(), ctx.set.mappings()) else {
        return;
    };
    let symbols = ctx.set.symbols();
    let mut found = Vec::new();
    for group in &mappings.load_balancing {
        let name = group.name.as_str();
        if !symbols.is_model(name) {
            continue; // A group named for a purpose (`general-chat`) mixes models by design.
        }
        let total: f64 = group
            .members
            .iter()
            .filter_map(|m| m.weight.as_ref())
            .map(|w| w.value)
            .sum();
        for member in &group.members {
            if member.preferred_model.is_some() {
                continue;
            }
            let Ok((provider, served)) =
                resolve_member(|id| ctx.set.provider(id), mappings, name, member)
            else {
                continue;
            };
            let Some(id) = &member.provider else { continue };
            if served == name {
                continue;
            }
            let share = match &member.weight {
                Some(w) if total > 0.0 => format!("{}%", round(100.0 * w.value / total)),
                _ => "a share".to_string(),
            };
            found.push(
                ctx.diagnostic(
                    format!(
                        "{share} of `{name}` goes to `{}`, which serves `{served}`",
                        provider.id.value
                    ),
                    Label::new(id.range, format!("`{}` does not serve `{name}`", id.value)),
                )
                .with_help(format!(
                    "serve `{name}` on `{}` and list it in its `models`, set `preferred_model: \
                     {served}` if this is meant, or remove the member",
                    id.value
                )),
            );
        }
    }
    for d in found {
        ctx.report(d);
    }
}

/// A percentage without noise: `30`, `33.3`.
fn round(p: f64) -> String {
    let r = (p * 10.0).round() / 10.0;
    if r.fract() == 0.0 {
        format!("{r:.0}")
    } else {
        format!("{r:.1}")
    }
}
