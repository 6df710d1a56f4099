//! The rule registry: every rule's metadata, documentation and check, one file per rule.

mod context;
mod live_context;

mod alias_limit;
mod ambiguous_model;
mod api_base_without_v1;
mod balancing_member_other_model;
mod cache_unreachable;
mod disabled_provider_serving;
mod duplicate_dashboard_uid;
mod duplicate_deployment;
mod duplicate_key;
mod duplicate_model;
mod duplicate_panel_id;
mod duplicate_port;
mod empty_file;
mod fallback_cycle;
mod file_too_large;
mod gateway_unhealthy;
mod inactive_provider_route;
mod invalid_date;
mod invalid_duration;
mod invalid_enum;
mod invalid_env_var;
mod invalid_id;
mod invalid_litellm_value;
mod invalid_model_group_alias;
mod invalid_model_list;
mod invalid_path;
mod invalid_port_range;
mod invalid_promql;
mod invalid_regex;
mod invalid_semver;
mod invalid_size;
mod invalid_url;
mod invalid_utf8;
mod legacy_key;
mod legacy_schema;
mod litellm_ignored_key;
mod litellm_literal_secret;
mod litellm_missing_key;
mod litellm_unknown_key;
mod litellm_wrong_type;
mod literal_secret;
mod local_server_without_api_key;
mod metric_not_enabled;
mod misplaced_litellm_key;
mod missing_key;
mod missing_provider_prefix;
mod missing_schema_version;
mod model_not_on_server;
mod model_not_served;
mod multiple_active_vllm;
mod multiple_default_datasources;
mod multiple_documents;
mod nesting_limit;
mod non_portable_provisioning_path;
mod overlapping_panels;
mod panel_without_datasource;
mod port_conflict;
mod port_mismatch;
mod port_out_of_range;
mod provider_in_chain;
mod provider_unreachable;
mod required_service_down;
mod reserved_port_in_use;
mod route_not_generated;
mod scrape_port_mismatch;
mod self_fallback;
mod shadowed_fallbacks;
mod shared_endpoint;
mod stale_generated_config;
mod syntax_error;
mod undefined_variable;
mod unexpected_key;
mod unknown_backend_model;
mod unknown_datasource;
mod unknown_fallback_model;
mod unknown_key;
mod unknown_label;
mod unknown_metric;
mod unknown_model;
mod unknown_provider;
mod unknown_scrape_job;
mod unlisted_served_model;
mod unreachable_pattern;
mod unreadable_file;
mod unresolved_balancing_member;
mod unresolved_env_reference;
mod unrouted_model;
mod unset_env_variable;
mod unsupported_version;
mod value_out_of_range;
mod version_mismatch;
mod weights_sum;
mod wrong_type;

pub use context::{GeneratedCache, RuleContext, MAX_DIAGNOSTICS_PER_RULE};
pub use live_context::LiveContext;

use crate::diagnostic::{Diagnostic, Label, Severity};

/// Whether a rule's diagnostics carry fixes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FixAvailability {
    None,
    Sometimes,
    Always,
}

/// How an editor may show a rule's diagnostics, beyond their severity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tag {
    /// What it points at is obsolete (struck through): a key only schema 1.x allowed.
    Deprecated,
    /// What it points at has no effect (faded): a pattern that never matches first.
    Unnecessary,
}

/// The command whose run reports a rule: `aiblint check` reads files; `aiblint ports` and
/// `aiblint probe` compare the files with the live state of the host.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportedBy {
    Check,
    Ports,
    Probe,
}

impl ReportedBy {
    /// The command line that reports the rule, e.g. `aiblint ports`.
    pub fn command(self) -> &'static str {
        match self {
            ReportedBy::Check => "aiblint check",
            ReportedBy::Ports => "aiblint ports",
            ReportedBy::Probe => "aiblint probe",
        }
    }
}

/// What the registry knows of a rule, without running it.
#[derive(Debug)]
pub struct RuleMeta {
    /// Stable code, e.g. `S101`.
    pub code: &'static str,
    /// Kebab-case name of the problem, e.g. `unknown-key`.
    pub name: &'static str,
    pub severity: Severity,
    pub fix: FixAvailability,
    /// Off unless selected: by name or code in aiblint.toml, or by `strict = true`.
    pub opt_in: bool,
    /// Whether an error of this rule in a source of the generated config can change what
    /// `aiblint generate` writes (so that `generate` refuses to run). Rules about values
    /// the generator never reads (dates, regex patterns, version metadata) say `false`.
    pub affects_generated: bool,
    /// Whether the rule judges what `aiblint generate` makes of the sources: it runs after
    /// every other rule, knowing whether the sources would generate
    /// (`RuleContext::sources_clean`).
    pub after_sources: bool,
    /// Which command reports it (`check` for every rule of [`ALL_RULES`]).
    pub reported_by: ReportedBy,
    /// How editors show its diagnostics (struck through, faded), if specially.
    pub tag: Option<Tag>,
    /// Whether migrating the config set to the current schema resolves its diagnostics (the
    /// editor offers the migration as their quick fix).
    pub migration_resolves: bool,
    /// Markdown: `## What it does`, `## Why is this bad?`, `## Example`, `## How to fix`.
    docs: &'static str,
}

impl RuleMeta {
    /// The documentation, Markdown.
    pub fn docs(&self) -> String {
        self.docs
            .lines()
            .map(|l| l.strip_prefix(' ').unwrap_or(l))
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// The first sentence under `## What it does`. A sentence that introduces a list
    /// (`...belongs:`) ends there, with a full stop.
    pub fn summary(&self) -> String {
        let docs = self.docs();
        let body = docs
            .split("## What it does")
            .nth(1)
            .unwrap_or(&docs)
            .lines()
            .map(str::trim)
            .skip_while(|l| l.is_empty())
            .take_while(|l| !l.is_empty() && !l.starts_with('#'))
            .collect::<Vec<_>>()
            .join(" ");
        let sentence = match body.find(". ") {
            Some(i) => &body[..=i],
            None => &body,
        };
        match sentence.strip_suffix(':') {
            Some(intro) => format!("{intro}."),
            None => sentence.to_string(),
        }
    }

    /// The whole `## What it does` section, its lines joined into paragraphs.
    pub fn description(&self) -> String {
        let docs = self.docs();
        let section = docs
            .split("## What it does")
            .nth(1)
            .unwrap_or(&docs)
            .split("\n## ")
            .next()
            .unwrap_or("");
        let mut paragraphs: Vec<String> = Vec::new();
        let mut current = String::new();
        for line in section.split('\n').map(str::trim) {
            if line.is_empty() {
                if !current.is_empty() {
                    paragraphs.push(std::mem::take(&mut current));
                }
                continue;
            }
            // A list item starts a line of its own; other lines continue the paragraph.
            if !current.is_empty() {
                current.push(if line.starts_with(['-', '*']) {
                    '\n'
                } else {
                    ' '
                });
            }
            current.push_str(line);
        }
        if !current.is_empty() {
            paragraphs.push(current);
        }
        paragraphs.join("\n\n")
    }

    /// A diagnostic of this rule, at its default severity.
    pub fn diagnostic(&self, message: impl Into<String>, primary: Label) -> Diagnostic {
        Diagnostic::new(self.code, self.name, self.severity, message, primary)
    }

    /// Whether only a live command (`aiblint ports`, `aiblint probe`) reports the rule.
    pub fn is_live(&self) -> bool {
        self.reported_by != ReportedBy::Check
    }

    /// Where the rule's documentation is published.
    pub fn url(&self) -> String {
        format!("{DOCS_BASE_URL}#{}", self.code.to_ascii_lowercase())
    }
}

pub const DOCS_BASE_URL: &str = "https://github.com/aiblint/aiblint/blob/main/docs/rules.md";

pub type CheckFn = fn(&mut RuleContext);

/// The check of a live rule: it reads what `aiblint ports` or `aiblint probe` observed.
pub type LiveCheckFn = fn(&mut LiveContext);

/// Declares a rule's metadata as `pub static RULE`, with its doc comment as documentation.
/// A live rule names the command that reports it (`reported_by: Ports`).
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        code: $code:literal, name: $name:literal, severity: $severity:ident, fix: $fix:ident
        $(, opt_in: $opt_in:literal)? $(, affects_generated: $affects:literal)?
        $(, after_sources: $after:literal)? $(, reported_by: $by:ident)?
        $(, tag: $tag:ident)? $(, migration_resolves: $resolves:literal)? $(,)?
    ) => {
        $(#[doc = $doc])*
        pub static RULE: $crate::rules::RuleMeta = $crate::rules::RuleMeta {
            code: $code,
            name: $name,
            severity: $crate::diagnostic::Severity::$severity,
            fix: $crate::rules::FixAvailability::$fix,
            opt_in: false $(|| $opt_in)?,
            affects_generated: true $(&& $affects)?,
            after_sources: false $(|| $after)?,
            reported_by: $crate::rules::declare_rule!(@reported_by $($by)?),
            tag: $crate::rules::declare_rule!(@tag $($tag)?),
            migration_resolves: false $(|| $resolves)?,
            docs: concat!($($doc, "\n"),*),
        };
    };
    (@reported_by) => {
        $crate::rules::ReportedBy::Check
    };
    (@reported_by $by:ident) => {
        $crate::rules::ReportedBy::$by
    };
    (@tag) => {
        None
    };
    (@tag $tag:ident) => {
        Some($crate::rules::Tag::$tag)
    };
}
pub(crate) use declare_rule;

/// Every rule, sorted by the number of its code (families in SPEC order: E0xx, S1xx, R2xx,
/// L3xx, G4xx, V5xx, P6xx, D7xx).
#[rustfmt::skip]
pub static ALL_RULES: &[(&RuleMeta, CheckFn)] = &[
    (&syntax_error::RULE, syntax_error::check),
    (&duplicate_key::RULE, duplicate_key::check),
    (&invalid_utf8::RULE, invalid_utf8::check),
    (&alias_limit::RULE, alias_limit::check),
    (&nesting_limit::RULE, nesting_limit::check),
    (&multiple_documents::RULE, multiple_documents::check),
    (&empty_file::RULE, empty_file::check),
    (&unreadable_file::RULE, unreadable_file::check),
    (&file_too_large::RULE, file_too_large::check),
    (&unknown_key::RULE, unknown_key::check),
    (&wrong_type::RULE, wrong_type::check),
    (&missing_key::RULE, missing_key::check),
    (&invalid_enum::RULE, invalid_enum::check),
    (&invalid_url::RULE, invalid_url::check),
    (&port_out_of_range::RULE, port_out_of_range::check),
    (&invalid_regex::RULE, invalid_regex::check),
    (&invalid_env_var::RULE, invalid_env_var::check),
    (&invalid_date::RULE, invalid_date::check),
    (&invalid_size::RULE, invalid_size::check),
    (&invalid_semver::RULE, invalid_semver::check),
    (&value_out_of_range::RULE, value_out_of_range::check),
    (&invalid_id::RULE, invalid_id::check),
    (&invalid_path::RULE, invalid_path::check),
    (&duplicate_model::RULE, duplicate_model::check),
    (&unexpected_key::RULE, unexpected_key::check),
    (&invalid_port_range::RULE, invalid_port_range::check),
    (&unknown_provider::RULE, unknown_provider::check),
    (&unknown_model::RULE, unknown_model::check),
    (&model_not_served::RULE, model_not_served::check),
    (&unknown_backend_model::RULE, unknown_backend_model::check),
    (&fallback_cycle::RULE, fallback_cycle::check),
    (&self_fallback::RULE, self_fallback::check),
    (&inactive_provider_route::RULE, inactive_provider_route::check),
    (&ambiguous_model::RULE, ambiguous_model::check),
    (&weights_sum::RULE, weights_sum::check),
    (&shared_endpoint::RULE, shared_endpoint::check),
    (&multiple_active_vllm::RULE, multiple_active_vllm::check),
    (&unreachable_pattern::RULE, unreachable_pattern::check),
    (&unrouted_model::RULE, unrouted_model::check),
    (&literal_secret::RULE, literal_secret::check),
    (&provider_in_chain::RULE, provider_in_chain::check),
    (&unresolved_balancing_member::RULE, unresolved_balancing_member::check),
    (&balancing_member_other_model::RULE, balancing_member_other_model::check),
    (&stale_generated_config::RULE, stale_generated_config::check),
    (&duplicate_deployment::RULE, duplicate_deployment::check),
    (&missing_provider_prefix::RULE, missing_provider_prefix::check),
    (&unknown_fallback_model::RULE, unknown_fallback_model::check),
    (&litellm_unknown_key::RULE, litellm_unknown_key::check),
    (&litellm_ignored_key::RULE, litellm_ignored_key::check),
    (&misplaced_litellm_key::RULE, misplaced_litellm_key::check),
    (&litellm_wrong_type::RULE, litellm_wrong_type::check),
    (&invalid_litellm_value::RULE, invalid_litellm_value::check),
    (&litellm_missing_key::RULE, litellm_missing_key::check),
    (&unresolved_env_reference::RULE, unresolved_env_reference::check),
    (&litellm_literal_secret::RULE, litellm_literal_secret::check),
    (&invalid_model_group_alias::RULE, invalid_model_group_alias::check),
    (&api_base_without_v1::RULE, api_base_without_v1::check),
    (&local_server_without_api_key::RULE, local_server_without_api_key::check),
    (&unset_env_variable::RULE, unset_env_variable::check),
    (&route_not_generated::RULE, route_not_generated::check),
    (&shadowed_fallbacks::RULE, shadowed_fallbacks::check),
    (&missing_schema_version::RULE, missing_schema_version::check),
    (&unsupported_version::RULE, unsupported_version::check),
    (&version_mismatch::RULE, version_mismatch::check),
    (&legacy_key::RULE, legacy_key::check),
    (&legacy_schema::RULE, legacy_schema::check),
    (&duplicate_port::RULE, duplicate_port::check),
    (&port_mismatch::RULE, port_mismatch::check),
    (&invalid_promql::RULE, invalid_promql::check),
    (&unknown_metric::RULE, unknown_metric::check),
    (&unknown_label::RULE, unknown_label::check),
    (&unknown_datasource::RULE, unknown_datasource::check),
    (&undefined_variable::RULE, undefined_variable::check),
    (&duplicate_panel_id::RULE, duplicate_panel_id::check),
    (&overlapping_panels::RULE, overlapping_panels::check),
    (&multiple_default_datasources::RULE, multiple_default_datasources::check),
    (&non_portable_provisioning_path::RULE, non_portable_provisioning_path::check),
    (&scrape_port_mismatch::RULE, scrape_port_mismatch::check),
    (&invalid_duration::RULE, invalid_duration::check),
    (&unknown_scrape_job::RULE, unknown_scrape_job::check),
    (&panel_without_datasource::RULE, panel_without_datasource::check),
    (&duplicate_dashboard_uid::RULE, duplicate_dashboard_uid::check),
    (&metric_not_enabled::RULE, metric_not_enabled::check),
];

/// The rules of the live commands, in code order: `aiblint ports` (P610–P629) and
/// `aiblint probe` (the live-health family H8xx). `aiblint check` never runs them; their
/// metadata and docs serve `explain`, SARIF and the documentation like any other rule's.
#[rustfmt::skip]
pub static LIVE_RULES: &[(&RuleMeta, LiveCheckFn)] = &[
    (&port_conflict::RULE, port_conflict::check),
    (&reserved_port_in_use::RULE, reserved_port_in_use::check),
    (&required_service_down::RULE, required_service_down::check),
    (&provider_unreachable::RULE, provider_unreachable::check),
    (&invalid_model_list::RULE, invalid_model_list::check),
    (&model_not_on_server::RULE, model_not_on_server::check),
    (&unlisted_served_model::RULE, unlisted_served_model::check),
    (&disabled_provider_serving::RULE, disabled_provider_serving::check),
    (&gateway_unhealthy::RULE, gateway_unhealthy::check),
    (&cache_unreachable::RULE, cache_unreachable::check),
];

/// Every rule, checked and live, sorted by the number of its code: the registry as
/// `aiblint rules`, `aiblint explain`, SARIF and the documentation show it.
pub fn all_rules() -> Vec<&'static RuleMeta> {
    let mut rules: Vec<&'static RuleMeta> = ALL_RULES
        .iter()
        .map(|(meta, _)| *meta)
        .chain(LIVE_RULES.iter().map(|(meta, _)| *meta))
        .collect();
    rules.sort_by_key(|m| code_number(m.code));
    rules
}

/// The number of a code (`P610` → 610), which orders the registry across families.
fn code_number(code: &str) -> u32 {
    code.get(1..)
        .and_then(|n| n.parse().ok())
        .unwrap_or(u32::MAX)
}

/// The rule with this code or name (the code case-insensitive), checked or live, if any.
pub fn rule_by_code(code: &str) -> Option<&'static RuleMeta> {
    ALL_RULES
        .iter()
        .map(|(meta, _)| *meta)
        .chain(LIVE_RULES.iter().map(|(meta, _)| *meta))
        .find(|m| m.code.eq_ignore_ascii_case(code) || m.name == code)
}

/// Shared imports of rule files.
pub(crate) mod prelude {
    pub(crate) use super::{declare_rule, LiveContext, RuleContext};
    pub(crate) use crate::diagnostic::{Applicability, Edit, Fix, Label};
    pub(crate) use crate::model::IssueKind;
}

#[cfg(test)]
mod tests;
