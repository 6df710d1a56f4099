//! `L303` inactive-provider-route: traffic routed to a provider that is not active.
use super::prelude::*;
use crate::model::{FileKind, RefKind, RefRole};

declare_rule! {
    /// ## What it does
    /// Reports a route in model-mappings.yaml to a provider whose `status` in
    /// providers.yaml is `disabled`, `template` or `pending_integration`.
    ///
    /// Routes are every place that sends traffic to a provider: exact match `provider` and
    /// `fallback`, pattern `provider` and `fallback`, load-balancing members, and
    /// `routing_rules` (`default_provider`, `default_fallback`, size routes). A capability's
    /// `provider` is a hint, not a route, and is not checked.
    ///
    /// ## Why is this bad?
    /// Only active providers are included in the generated LiteLLM config. A request routed
    /// to any other provider fails (or, for a fallback, silently has no fallback), although
    /// the mapping looks fine.
    ///
    /// ## Example
    /// With this provider in providers.yaml:
    ///
    /// ```yaml providers.yaml
    /// providers:
    ///   vllm-dolphin:
    ///     type: vllm
    ///     base_url: http://127.0.0.1:8002/v1
    ///     status: disabled
    ///     description: vLLM serving Dolphin 3.0
    ///     models:
    ///       - cognitivecomputations/Dolphin3.0-Llama3.1-8B
    /// ```
    ///
    /// this exact match in model-mappings.yaml routes to a disabled provider:
    ///
    /// ```yaml model-mappings.yaml
    /// exact_matches:
    ///   dolphin:
    ///     provider: vllm-dolphin
    ///     priority: primary
    ///     backend_model: cognitivecomputations/Dolphin3.0-Llama3.1-8B
    ///     description: Uncensored chat
    /// ```
    ///
    /// ## How to fix
    /// Set the provider's `status: active` if it is in service, or route to an active
    /// provider instead.
    code: "L303", name: "inactive-provider-route", severity: Warning, fix: None
}

pub(crate) fn check(ctx: &mut RuleContext) {
    if !ctx.is_set_file(FileKind::Mappings) || ctx.set.provider_table().is_none() {
        return;
    }
    let mut diagnostics = Vec::new();
    for reference in ctx.set.symbols().references() {
        if reference.kind != RefKind::Provider || !reference.role.routes_traffic() {
            continue;
        }
        let Some(provider) = ctx.set.provider(reference.name) else {
            continue;
        };
        let Some(status) = &provider.status else {
            continue;
        };
        let (status, status_range) = (status.as_str(), status.range);
        if !matches!(status, "disabled" | "template" | "pending_integration") {
            continue;
        }
        let name = reference.name;
        let message = match reference.role {
            RefRole::DefaultProvider => {
                format!("`routing_rules.default_provider` is `{name}`, whose status is `{status}`")
            }
            RefRole::DefaultFallback => {
                format!("`routing_rules.default_fallback` is `{name}`, whose status is `{status}`")
            }
            role if role.is_fallback() => format!(
                "{} falls back to `{name}`, whose status is `{status}`",
                reference.route
            ),
            _ => format!(
                "{} routes to `{name}`, whose status is `{status}`",
                reference.route
            ),
        };
        let mut d = ctx
            .diagnostic(
                message,
                Label::new(reference.range, format!("`{name}` is `{status}`")),
            )
            .with_help(format!(
                "set `status: active` on `{name}` if it is in service, or route to an active provider"
            ));
        if let Some(label) = ctx.label_in_kind(
            FileKind::Providers,
            status_range,
            format!("status of `{name}`"),
        ) {
            d = d.with_secondary(label);
        }
        diagnostics.push(d);
    }
    for d in diagnostics {
        ctx.report(d);
    }
}
