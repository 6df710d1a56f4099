//! `V501` missing-schema-version: a providers or mappings file without `schema_version` in a
//! set whose other files are 2.x.
use super::prelude::*;
use crate::model::version::{VersionSource, CURRENT};
use crate::model::{DetectedVersion, SetMember};
use crate::text::TextRange;

declare_rule! {
    /// ## What it does
    /// Reports a `providers.yaml` or `model-mappings.yaml` without `metadata.schema_version`
    /// when another file of the same config set declares a 2.x schema version.
    ///
    /// ## Why is this bad?
    /// A file without `schema_version` is read as legacy schema 1.x, which allows keys and
    /// setups (several active vLLM providers, `special_cases`, ...) that 2.0.0 removed. In a
    /// set whose other file is 2.x, the missing version is almost always an oversight: the two
    /// halves of the routing configuration would be checked, migrated and generated under
    /// different rules. A set in which no file declares a version is a legacy 1.x set and is
    /// not reported.
    ///
    /// ## Example
    /// A `providers.yaml` that declares its version:
    ///
    /// ```yaml providers.yaml
    /// metadata:
    ///   schema_version: "2.0.0"
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
    /// and, in the same directory, a `model-mappings.yaml` that still carries a 1.x
    /// free-form version:
    ///
    /// ```yaml model-mappings.yaml
    /// metadata:
    ///   version: "1.7"
    /// exact_matches:
    ///   "llama3.1:8b":
    ///     provider: ollama
    ///     priority: primary
    ///     description: Default chat model
    /// ```
    ///
    /// ## How to fix
    /// Run `aiblint migrate`, which adds `schema_version: "2.0.0"` and removes what 2.0.0
    /// no longer allows; the editor offers the same as a quick fix. Or add
    /// `schema_version: "2.0.0"` under `metadata` by hand.
    code: "V501", name: "missing-schema-version", severity: Error, fix: None, affects_generated: false,
    migration_resolves: true
}

/// The major version a file declares in `metadata.schema_version`: from the parsed SemVer,
/// or, when the value is not SemVer (S111 reports it), from its leading number (`"2.0"` → 2).
/// `None` when the file declares no `schema_version`.
pub(super) fn declared_major(version: &DetectedVersion) -> Option<u64> {
    let VersionSource::SchemaVersion(raw) = &version.source else {
        return None;
    };
    if let Some(v) = &version.version {
        return Some(v.major);
    }
    let raw = raw.trim().trim_start_matches(['v', 'V']);
    let digits: String = raw.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// The first other versioned file of the set that declares a 2.x-or-later version.
pub(super) fn declares_2x_elsewhere<'a>(ctx: &RuleContext<'a>) -> Option<&'a SetMember> {
    ctx.set.members.iter().find(|m| {
        !std::ptr::eq(&*m.file, ctx.file)
            && m.file.kind.is_some_and(|k| k.is_versioned())
            && m.file
                .version
                .as_ref()
                .and_then(declared_major)
                .is_some_and(|major| major >= 2)
    })
}

pub(crate) fn check(ctx: &mut RuleContext) {
    if !ctx.file.kind.is_some_and(|k| k.is_versioned()) {
        return;
    }
    let Some(version) = &ctx.file.version else {
        return; // Not parsed, or not a mapping.
    };
    if matches!(version.source, VersionSource::SchemaVersion(_)) {
        return;
    }
    let Some(other) = declares_2x_elsewhere(ctx) else {
        return; // A legacy 1.x set (or a file on its own).
    };
    let (declared, declaration) = describe_declaration(ctx, other);
    let root = ctx.file.root();
    let (range, label) = match root.and_then(|r| r.get_entry("metadata")) {
        Some(entry) => (entry.key.range, "no `schema_version` under `metadata`"),
        None => (
            root.and_then(|r| r.entries().first().map(|e| e.key.range))
                .unwrap_or(TextRange::empty(0)),
            "no `metadata.schema_version` in this file",
        ),
    };
    // The label shows where; the note names the file, as it is known in the set.
    let name = other.path.rsplit(['/', '\\']).next().unwrap_or(&other.path);
    let mut note = format!("{name} declares `schema_version: \"{declared}\"`");
    if let VersionSource::LegacyVersion(free) = &version.source {
        note = format!(
            "`metadata.version: \"{free}\"` is a free-form 1.x version, not a `schema_version`, \
             so this file is read as schema 1.x; {note}"
        );
    }
    let mut d = ctx
        .diagnostic(
            format!(
                "missing `metadata.schema_version`: the rest of the config set uses schema `{declared}`"
            ),
            Label::new(range, label),
        )
        .with_help(format!(
            "run `aiblint migrate` to add `schema_version: \"{CURRENT}\"` (your editor offers the same as a quick fix)"
        ))
        .with_note(note);
    if let Some(label) = declaration {
        d = d.with_secondary(label);
    }
    ctx.report(d);
}

/// The version `member` declares, as written, and a label on its declaration.
fn describe_declaration(ctx: &RuleContext, member: &SetMember) -> (String, Option<Label>) {
    let Some(version) = &member.file.version else {
        return (CURRENT.to_string(), None);
    };
    let declared = match &version.source {
        VersionSource::SchemaVersion(raw) => raw.clone(),
        _ => CURRENT.to_string(),
    };
    let label = version
        .range
        .map(|range| ctx.label_in(member, range, format!("schema `{declared}` declared here")));
    (declared, label)
}
