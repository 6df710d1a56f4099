//! `V504` legacy-key: a 1.x-only key in a 2.x model-mappings.yaml.
use super::missing_schema_version::declared_major;
use super::prelude::*;
use crate::model::version::CURRENT;
use crate::model::Config;

declare_rule! {
    /// ## What it does
    /// Reports a key that only schema 1.x allowed (`special_cases`,
    /// `routing_rules.request_metadata_routing`, `load_balancing.*.parameters` and
    /// `load_balancing.*.providers[].condition`) in a `model-mappings.yaml` that declares a
    /// 2.x `schema_version`.
    ///
    /// ## Why is this bad?
    /// Schema 2.0.0 removed these blocks because no component of the gateway ever
    /// implemented them: the routing they describe never happened. Keeping them in a 2.x file
    /// suggests behaviour that does not exist.
    ///
    /// ## Example
    /// ```yaml model-mappings.yaml
    /// metadata:
    ///   schema_version: "2.0.0"
    /// exact_matches:
    ///   "llama3.1:8b":
    ///     provider: ollama
    ///     priority: primary
    ///     description: Default chat model
    /// special_cases:
    ///   long_prompts:
    ///     provider: ollama
    /// ```
    ///
    /// ## How to fix
    /// Remove the key and its whole block: nothing reads it. `aiblint migrate` does the
    /// same for every 1.x-only key of a set.
    code: "V504", name: "legacy-key", severity: Error, fix: None, affects_generated: false,
    tag: Deprecated, migration_resolves: true
}

pub(crate) fn check(ctx: &mut RuleContext) {
    let Config::Mappings(mappings) = &ctx.file.config else {
        return;
    };
    let is_2x = ctx
        .file
        .version
        .as_ref()
        .and_then(declared_major)
        .is_some_and(|major| major >= 2);
    if !is_2x {
        return; // 1.x allows these keys.
    }
    for key in &mappings.legacy_keys {
        let what = match key.as_str() {
            "request_metadata_routing" => "`routing_rules.request_metadata_routing`".to_string(),
            "parameters" => "load-balancing `parameters`".to_string(),
            "condition" => "load-balancing member `condition`".to_string(),
            other => format!("`{other}`"),
        };
        let d = ctx
            .diagnostic(
                format!("{what} was removed in schema {CURRENT}"),
                Label::new(key.range, "1.x-only key"),
            )
            .with_help(
                "remove the block (no component ever implemented it), or run `aiblint migrate`, which removes it",
            );
        ctx.report(d);
    }
}
