//! `V503` version-mismatch: providers.yaml and model-mappings.yaml declare different major
//! schema versions.
use super::missing_schema_version::declared_major;
use super::prelude::*;
use crate::model::version::{VersionSource, CURRENT};
use crate::model::FileKind;

declare_rule! {
    /// ## What it does
    /// Reports a `model-mappings.yaml` whose `metadata.schema_version` has a different major
    /// version than the one `providers.yaml` of the same config set declares.
    ///
    /// ## Why is this bad?
    /// The two files describe one routing configuration: the mappings route to the providers'
    /// ids and models. Under different major versions they follow different rules (2.0.0
    /// removed keys and allows a single active vLLM provider), so the set cannot be checked,
    /// migrated or generated as a whole. A file without `schema_version` is reported by
    /// `V501` instead.
    ///
    /// ## Example
    /// A `providers.yaml` that declares 1.x:
    ///
    /// ```yaml providers.yaml
    /// metadata:
    ///   schema_version: "1.0.0"
    /// providers:
    ///   ollama:
    ///     type: ollama
    ///     base_url: http://127.0.0.1:11434
    ///     status: active
    ///     description: Local Ollama daemon
    ///     models:
    ///       - "llama3.1:8b"
    /// ```
    ///
    /// and, in the same directory, a `model-mappings.yaml` that declares 2.0.0:
    ///
    /// ```yaml model-mappings.yaml
    /// metadata:
    ///   schema_version: "2.0.0"
    /// exact_matches:
    ///   "llama3.1:8b":
    ///     provider: ollama
    ///     priority: primary
    ///     description: Default chat model
    /// ```
    ///
    /// ## How to fix
    /// Bring both files to the same major version: `aiblint migrate` moves a 1.x file to
    /// 2.0.0. A file written for a newer major than the other needs that file upgraded too.
    code: "V503", name: "version-mismatch", severity: Error, fix: None, affects_generated: false,
    migration_resolves: true
}

pub(crate) fn check(ctx: &mut RuleContext) {
    if !ctx.is_set_file(FileKind::Mappings) {
        return;
    }
    let Some(providers) = ctx.set.member(FileKind::Providers) else {
        return;
    };
    let (Some(ours), Some(theirs)) = (&ctx.file.version, &providers.file.version) else {
        return;
    };
    let (Some(our_major), Some(their_major)) = (declared_major(ours), declared_major(theirs))
    else {
        return; // A file without schema_version is V501's.
    };
    if our_major == their_major {
        return;
    }
    let (VersionSource::SchemaVersion(our_raw), VersionSource::SchemaVersion(their_raw)) =
        (&ours.source, &theirs.source)
    else {
        return;
    };
    let Some(range) = ours.range else {
        return;
    };
    let declaration = theirs
        .range
        .map(|r| ctx.label_in(providers, r, format!("major version {their_major}")));
    let help = if our_major.min(their_major) < CURRENT.major {
        format!(
            "run `aiblint migrate` to bring the 1.x file to schema `{CURRENT}`, so both files declare the same major version"
        )
    } else {
        "declare the same major version in both files".to_string()
    };
    let mut d = ctx
        .diagnostic(
            format!(
                "schema version `{our_raw}` has a different major version than providers.yaml (`{their_raw}`)"
            ),
            Label::new(range, format!("major version {our_major}")),
        )
        .with_help(help);
    if let Some(label) = declaration {
        d = d.with_secondary(label);
    }
    ctx.report(d);
}
