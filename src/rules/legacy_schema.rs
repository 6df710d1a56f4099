//! `V505` legacy-schema: a providers or mappings file of schema 1.x, in a set that is 1.x.
use super::missing_schema_version::declares_2x_elsewhere;
use super::prelude::*;
use crate::model::version::{VersionSource, CURRENT};
use crate::text::TextRange;

declare_rule! {
    /// ## What it does
    /// Reports, once per file, a `providers.yaml` or `model-mappings.yaml` of schema 1.x
    /// (no `metadata.schema_version`, or a 1.x one) in a config set where no file declares
    /// 2.x yet. It is information, not an error: 1.x files are still checked, and
    /// `aiblint check` does not fail on it.
    ///
    /// When another file of the set already declares 2.x, `V501` reports the file instead.
    ///
    /// ## Why is this bad?
    /// Schema 1.x allows routing keys that no component ever implemented (`special_cases`,
    /// `request_metadata_routing`, load-balancing `condition`s and `parameters`) and several
    /// active vLLM providers on one host; 2.0.0 removes them, so that what the files say is
    /// what the gateway does. A 1.x set stays on the old rules until it is migrated, and
    /// aiblint can only report the 1.x setups as warnings there.
    ///
    /// ## Example
    /// ```yaml providers.yaml
    /// metadata:
    ///   version: "1.6"
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
    /// ## How to fix
    /// Run `aiblint migrate` in the set's directory (`--diff` shows the changes first): it
    /// adds `schema_version: "2.0.0"` to both files, disables all active vLLM providers but
    /// the first and removes the 1.x-only keys, keeping comments and layout, with a backup of
    /// each file. In an editor, the quick fix "Migrate config set to schema 2.0.0" on this
    /// diagnostic applies the same edits to every file of the set.
    code: "V505", name: "legacy-schema", severity: Info, fix: None, migration_resolves: true
}

pub(crate) fn check(ctx: &mut RuleContext) {
    if !ctx.file.kind.is_some_and(|k| k.is_versioned()) {
        return;
    }
    let Some(version) = ctx.file.version.as_ref().filter(|v| v.is_legacy()) else {
        return;
    };
    if declares_2x_elsewhere(ctx).is_some() {
        return; // V501 reports this file.
    }
    let root = ctx.file.root();
    let metadata = root.and_then(|r| r.get_entry("metadata"));
    let (range, label) = match (&version.source, version.range, metadata) {
        (VersionSource::LegacyVersion(_), Some(range), _) => {
            (range, "a free-form 1.x version".to_string())
        }
        (VersionSource::SchemaVersion(_), Some(range), _) => {
            (range, "a 1.x schema version".to_string())
        }
        (_, _, Some(entry)) => (
            entry.key.range,
            "no `schema_version` here: the file is read as schema 1.x".to_string(),
        ),
        _ => (
            root.and_then(|r| r.entries().first().map(|e| e.key.range))
                .unwrap_or(TextRange::empty(0)),
            "no `metadata.schema_version`: the file is read as schema 1.x".to_string(),
        ),
    };
    let d = ctx
        .diagnostic(
            format!("schema 1.x: run `aiblint migrate` to upgrade this config set to {CURRENT}"),
            Label::new(range, label),
        )
        .with_help(
            "`aiblint migrate --diff` shows the changes first; your editor offers the same \
             migration as a quick fix",
        );
    ctx.report(d);
}
