//! `G440` route-not-generated: a route of the sources that `aiblint generate` leaves out,
//! for a reason no other rule reports.
use super::prelude::*;
use crate::diagnostic::{suggest, Severity};
use crate::generate::Dropped;
use crate::model::routing::Unresolved;
use crate::model::FileKind;

declare_rule! {
    /// ## What it does
    /// Reports a route of the sources that does not become part of the LiteLLM config
    /// `aiblint generate` writes, when no other rule reports why:
    ///
    /// - a capability none of whose `preferred_models` is a model of the config (info: the
    ///   capability has no effect in LiteLLM), or one named like an existing model;
    /// - a fallback or preferred model that only inactive providers serve (warning: the
    ///   fallback never happens);
    /// - a route to a provider LiteLLM cannot call, a `tool_server` or `web_ui` (warning);
    /// - a deployment that a load-balancing group of its name leaves out while setting
    ///   weights, so that LiteLLM gives it no traffic (warning);
    /// - deployment settings in litellm-settings.yaml for a name no deployment has
    ///   (warning).
    ///
    /// Routes left out for a reason another rule reports (an unknown provider or model, a
    /// disabled provider, a provider id in a chain, an unresolved load-balancing member)
    /// are reported by that rule only, and nothing is reported while a source has an error
    /// that stops `aiblint generate`.
    ///
    /// ## Why is this bad?
    /// What the sources say and what the gateway does should not differ silently: a
    /// fallback that is dropped, a capability that does nothing, or a deployment that gets
    /// no traffic all look configured.
    ///
    /// ## Example
    /// With this providers.yaml:
    ///
    /// ```yaml providers.yaml
    /// providers:
    ///   llama_cpp_native:
    ///     type: llama_cpp
    ///     base_url: http://127.0.0.1:8080
    ///     status: active
    ///     description: llama.cpp server
    ///     models:
    ///       - llama-3.1-8b-instruct
    /// ```
    ///
    /// this capability names no model, so clients cannot ask for it:
    ///
    /// ```yaml model-mappings.yaml
    /// capabilities:
    ///   low_latency:
    ///     description: Single-request speed
    ///     provider: llama_cpp_native
    /// ```
    ///
    /// ## How to fix
    /// Name the models a capability prefers in `preferred_models`; fall back to models an
    /// active provider serves; make every deployment of a weighted group one of its
    /// members.
    code: "G440", name: "route-not-generated", severity: Info, fix: None, after_sources: true
}

pub(crate) fn check(ctx: &mut RuleContext) {
    let Some(kind) = ctx.file.kind else { return };
    if !matches!(kind, FileKind::Mappings | FileKind::LitellmSettings) || !ctx.is_set_file(kind) {
        return;
    }
    if !ctx.sources_clean() {
        return; // The errors that stop `aiblint generate` come first.
    }
    let Some(generated) = ctx.generated() else {
        return;
    };
    let symbols = ctx.set.symbols();
    let mut found = Vec::new();
    for o in generated.omissions.iter().filter(|o| o.file == kind) {
        let severity = match &o.why {
            Dropped::CapabilityWithoutModels => Severity::Info,
            Dropped::NameTaken => Severity::Info,
            // An unknown model is R202's; a model only inactive providers serve is ours.
            Dropped::NoSuchModel { name } if symbols.is_model(name) => Severity::Warning,
            Dropped::ZeroWeight { .. } | Dropped::SettingsForUnknownDeployment => Severity::Warning,
            // Unknown and inactive providers are R201's and L303's; a route to a tool server
            // or web UI is ours.
            Dropped::Provider(Unresolved::NotAModelServer { .. }) => Severity::Warning,
            _ => continue,
        };
        let (message, label) = match &o.why {
            Dropped::ZeroWeight { .. } => (
                format!("{} gets no traffic", o.route),
                "its group sets weights without it",
            ),
            Dropped::SettingsForUnknownDeployment => (
                format!("{} apply to no generated deployment", o.route),
                "no deployment has this name",
            ),
            _ => (
                format!("{} is not in the generated config", o.route),
                "left out of the LiteLLM config",
            ),
        };
        let mut d = ctx
            .diagnostic(message, Label::new(o.range, label))
            .with_help(o.reason());
        if let Dropped::SettingsForUnknownDeployment = o.why {
            let name = o.route.split('`').nth(1).unwrap_or_default();
            if let Some(found) = suggest(name, generated.model_names.iter().map(|n| n.as_str())) {
                d = d.with_help(format!(
                    "no generated deployment is named `{name}`: did you mean `{found}`?"
                ));
            }
        }
        d.severity = severity;
        found.push(d);
    }
    for d in found {
        ctx.report(d);
    }
}
