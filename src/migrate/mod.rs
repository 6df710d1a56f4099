//! Schema migrations of a config set, planned as text edits against the original bytes:
//! the registry of steps, the shortest path between two versions, and [`plan`], the pure
//! function the CLI and the language server share. Writing files is the caller's job.

mod adopt;
mod anchors;
mod compose;
mod edits;
mod lift;
mod plan;
mod v1_to_v2;
mod verify;

use std::collections::{HashMap, VecDeque};
use std::fmt;

use semver::Version;

use crate::diagnostic::Edit;
use crate::model::version::{self, VersionStatus, CURRENT};
use crate::model::{ConfigSet, FileKind, SourceFile};

pub use adopt::{adopt, AdoptError, Adoption, Difference, Note};
pub use compose::compose;
pub use lift::NewFile;
pub use plan::plan_with;
use plan::syntax_error;
pub use verify::{Change, Data};

/// One registered step from one schema version to the next.
pub struct Migration {
    pub from: Version,
    pub to: Version,
    /// Stable identifier, e.g. `v1-to-v2`.
    pub id: &'static str,
    /// One line for people: what the step does.
    pub summary: &'static str,
    /// Computes the step's edits over a whole set; see [`StepInput`].
    pub run: fn(&StepInput<'_>) -> Result<StepOutput, StepError>,
}

/// A member of the set that a step cannot migrate, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepError {
    pub index: usize,
    pub reason: String,
}

/// What a step sees: the set as it is before the step, and which members it must migrate
/// (the versioned files at the step's `from` version, and the unversioned files that parse).
/// A step may read every member but edits only selected ones; selected members parse.
pub struct StepInput<'a> {
    pub set: &'a ConfigSet,
    pub selected: &'a [bool],
}

/// What a step produces: per member of the set (same order), edits against the text the
/// step was given, sorted and disjoint, and the changes to the YAML data they make (the plan
/// is refused unless the edited text means exactly the original with those changes); and
/// notes for the user.
#[derive(Debug, Default)]
pub struct StepOutput {
    pub edits: Vec<Vec<Edit>>,
    pub changes: Vec<Vec<Change>>,
    pub notes: Vec<String>,
}

/// Every registered step. Paths between versions are found over this graph.
pub static STEPS: &[Migration] = &[Migration {
    from: version::LEGACY,
    to: CURRENT,
    id: "v1-to-v2",
    summary: "add `metadata.schema_version`, keep one active vLLM provider, remove the 1.x-only routing blocks, name models where chains named a provider",
    run: v1_to_v2::run,
}];

/// One file of the set to migrate.
#[derive(Clone, Copy, Debug)]
pub struct MigrationInput<'a> {
    pub kind: FileKind,
    pub text: &'a str,
}

/// A step of a plan, for display.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepInfo {
    pub from: Version,
    pub to: Version,
    pub id: &'static str,
    pub summary: &'static str,
}

/// The edits of one input, against its original text: sorted and disjoint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileEdits {
    /// Index into the inputs given to [`plan`].
    pub index: usize,
    /// The file's own version before the plan (the plan's `from` for unversioned files),
    /// e.g. for naming a backup `<file>.backup-v<from>`.
    pub from: Version,
    pub edits: Vec<Edit>,
}

/// A migration of a whole set, ready to apply.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Plan {
    /// The oldest version found among the versioned files (the target when there is none).
    pub from: Version,
    pub to: Version,
    /// The steps on the shortest path from `from` to `to`; empty when there is nothing to do.
    pub steps: Vec<StepInfo>,
    /// What the steps did that the user should know, in step order.
    pub notes: Vec<String>,
    /// Only the inputs that change, by index.
    pub files: Vec<FileEdits>,
    /// Files the migration creates (litellm-settings.yaml, lifted from a litellm-unified.yaml
    /// that `aiblint generate` did not write); they must not exist yet.
    pub created: Vec<NewFile>,
}

impl Plan {
    /// Whether applying the plan would change or create any file.
    pub fn is_pending(&self) -> bool {
        self.files.iter().any(|f| !f.edits.is_empty()) || !self.created.is_empty()
    }

    /// The edits for input `index` (empty when it does not change).
    pub fn edits_for(&self, index: usize) -> &[Edit] {
        self.files
            .iter()
            .find(|f| f.index == index)
            .map_or(&[], |f| f.edits.as_slice())
    }
}

/// Why a set cannot be migrated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PlanError {
    /// The target is not a version aiblint knows (or that the registry reaches).
    UnknownTarget {
        target: Version,
        known: Vec<Version>,
    },
    /// A file is newer than the target: migrations only go forward.
    Downgrade {
        index: usize,
        from: Version,
        to: Version,
    },
    /// A file declares a version this aiblint does not know.
    UnsupportedVersion { index: usize, version: Version },
    /// `metadata.schema_version` is not a SemVer version.
    InvalidVersion { index: usize, raw: String },
    /// A file to migrate does not parse: its structure cannot be trusted for editing.
    Syntax { index: usize, message: String },
    /// No chain of registered steps leads from `from` to `to`.
    NoPath { from: Version, to: Version },
    /// A step cannot migrate this file (e.g. `metadata` is not a mapping).
    Unsupported { index: usize, reason: String },
    /// The migrated text failed verification (it no longer parses, or a step misbehaved).
    Verification { index: usize, reason: String },
}

impl fmt::Display for PlanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PlanError::UnknownTarget { target, known } => {
                let known: Vec<String> = known.iter().map(Version::to_string).collect();
                write!(
                    f,
                    "unknown target schema version `{target}` (known: {})",
                    known.join(", ")
                )
            }
            PlanError::Downgrade { from, to, .. } => write!(
                f,
                "refusing to downgrade from schema {from} to {to}: migrations only go forward"
            ),
            PlanError::UnsupportedVersion { version, .. } => {
                write!(
                    f,
                    "schema version `{version}` is not one this aiblint knows"
                )
            }
            PlanError::InvalidVersion { raw, .. } => {
                write!(
                    f,
                    "`metadata.schema_version: {raw}` is not a SemVer version"
                )
            }
            PlanError::Syntax { message, .. } => {
                write!(f, "the file is not valid YAML ({message})")
            }
            PlanError::NoPath { from, to } => {
                write!(f, "no migration path from schema {from} to {to}")
            }
            PlanError::Unsupported { reason, .. } => write!(f, "cannot migrate: {reason}"),
            PlanError::Verification { reason, .. } => {
                write!(f, "the migrated text failed verification: {reason}")
            }
        }
    }
}

impl std::error::Error for PlanError {}

impl PlanError {
    /// The input the error is about, if it is about one.
    pub fn input_index(&self) -> Option<usize> {
        match self {
            PlanError::Downgrade { index, .. }
            | PlanError::UnsupportedVersion { index, .. }
            | PlanError::InvalidVersion { index, .. }
            | PlanError::Syntax { index, .. }
            | PlanError::Unsupported { index, .. }
            | PlanError::Verification { index, .. } => Some(*index),
            PlanError::UnknownTarget { .. } | PlanError::NoPath { .. } => None,
        }
    }
}

/// Plans the migration of a config set to `target` with the registered [`STEPS`].
///
/// Pure: text in, edits out. Each versioned file (providers, mappings) is migrated from its
/// own version, so a set whose files disagree (one 2.0.0, one 1.x) is brought together; an
/// empty file is left alone. The result is verified: every migrated text parses.
pub fn plan(inputs: &[MigrationInput<'_>], target: &Version) -> Result<Plan, PlanError> {
    if version::known(target).is_none_or(|info| &info.version != target) {
        return Err(PlanError::UnknownTarget {
            target: target.clone(),
            known: version::HISTORY.iter().map(|v| v.version.clone()).collect(),
        });
    }
    plan_with(STEPS, inputs, target)
}

/// The version of every versioned input (`None` for unversioned and empty files), checked
/// against the target and the registry.
fn detect_versions(
    steps: &[Migration],
    inputs: &[MigrationInput<'_>],
    target: &Version,
) -> Result<Vec<Option<Version>>, PlanError> {
    let in_graph = |v: &Version| v == target || steps.iter().any(|s| &s.from == v || &s.to == v);
    let mut versions = Vec::with_capacity(inputs.len());
    for (index, input) in inputs.iter().enumerate() {
        if !input.kind.is_versioned() {
            versions.push(None);
            continue;
        }
        let file = SourceFile::analyze(Some(input.kind), input.text.to_string());
        if file.root().is_none() && file.parse.is_complete() {
            versions.push(None); // Empty or comments only: nothing to migrate.
            continue;
        }
        if !file.parse.is_complete() {
            return Err(syntax_error(index, &file));
        }
        let Some(detected) = &file.version else {
            return Err(PlanError::Unsupported {
                index,
                reason: format!(
                    "the top level of {} is not a mapping",
                    input.kind.file_name()
                ),
            });
        };
        let Some(declared) = &detected.version else {
            let raw = match &detected.source {
                version::VersionSource::SchemaVersion(raw) => raw.clone(),
                _ => String::new(),
            };
            return Err(PlanError::InvalidVersion { index, raw });
        };
        let normalized = if declared.major == version::LEGACY.major {
            version::LEGACY
        } else {
            declared.clone()
        };
        if normalized > *target {
            let newer = matches!(
                version::validate_version(&normalized, &CURRENT),
                VersionStatus::NewerMajor | VersionStatus::NewerMinor
            );
            if newer && !in_graph(&normalized) {
                return Err(PlanError::UnsupportedVersion {
                    index,
                    version: declared.clone(),
                });
            }
            return Err(PlanError::Downgrade {
                index,
                from: normalized,
                to: target.clone(),
            });
        }
        if !in_graph(&normalized) {
            return Err(PlanError::UnsupportedVersion {
                index,
                version: declared.clone(),
            });
        }
        versions.push(Some(normalized));
    }
    Ok(versions)
}

/// The fewest steps from `from` to `to` (breadth-first; ties go to registry order).
fn shortest_path<'a>(
    steps: &'a [Migration],
    from: &Version,
    to: &Version,
) -> Option<Vec<&'a Migration>> {
    let mut came_by: HashMap<&Version, &'a Migration> = HashMap::new();
    let mut queue = VecDeque::from([from]);
    let mut seen = vec![from];
    while let Some(at) = queue.pop_front() {
        if at == to {
            let mut path = Vec::new();
            let mut cursor = at;
            while cursor != from {
                let step = came_by.get(cursor)?;
                path.push(*step);
                cursor = &step.from;
            }
            path.reverse();
            return Some(path);
        }
        for step in steps.iter().filter(|s| &s.from == at) {
            if !seen.contains(&&step.to) {
                seen.push(&step.to);
                came_by.insert(&step.to, step);
                queue.push_back(&step.to);
            }
        }
    }
    None
}
