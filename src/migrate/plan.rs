//! The planner: the steps of the shortest path applied file by file, each result checked
//! (it parses, holds the same data but for the step's changes, its edits do not overlap).

use semver::Version;

use super::{
    compose, detect_versions, lift, shortest_path, verify, Change, FileEdits, Migration,
    MigrationInput, NewFile, Plan, PlanError, StepInfo, StepInput,
};
use crate::diagnostic::{apply_edits, Edit};
use crate::model::{ConfigSet, SetMember, SourceFile};

/// [`plan`] over any registry of steps (tests register synthetic ones to prove chaining).
/// Versions are taken as declared, except that any 1.x is `1.0.0`.
pub fn plan_with(
    steps: &[Migration],
    inputs: &[MigrationInput<'_>],
    target: &Version,
) -> Result<Plan, PlanError> {
    let mut versions = detect_versions(steps, inputs, target)?;
    let original_versions = versions.clone();
    let from = versions.iter().flatten().min().cloned();
    let Some(from) = from else {
        return Ok(Plan {
            from: target.clone(),
            to: target.clone(),
            steps: Vec::new(),
            notes: Vec::new(),
            files: Vec::new(),
            created: Vec::new(),
        });
    };
    let path = shortest_path(steps, &from, target).ok_or_else(|| PlanError::NoPath {
        from: from.clone(),
        to: target.clone(),
    })?;

    let mut texts: Vec<String> = inputs.iter().map(|i| i.text.to_string()).collect();
    let mut total: Vec<Vec<Edit>> = vec![Vec::new(); inputs.len()];
    let mut notes: Vec<String> = inputs
        .iter()
        .zip(&versions)
        .filter(|(input, v)| input.kind.is_versioned() && v.is_none() && !path.is_empty())
        .map(|(input, _)| format!("{}: empty, left as it is", input.kind.file_name()))
        .collect();
    for step in &path {
        let members = inputs
            .iter()
            .zip(&texts)
            .map(|(input, text)| SetMember {
                path: input.kind.file_name().to_string(),
                file: SourceFile::analyze(Some(input.kind), text.clone()).into(),
            })
            .collect();
        let set = ConfigSet::new(members);
        let selected: Vec<bool> = inputs
            .iter()
            .enumerate()
            .map(|(i, input)| match &versions[i] {
                Some(v) => v == &step.from,
                // Unversioned files follow the set, when they parse.
                None => !input.kind.is_versioned() && set.members[i].file.parse.is_complete(),
            })
            .collect();
        for (i, member) in set.members.iter().enumerate() {
            if selected[i] && !member.file.parse.is_complete() {
                return Err(syntax_error(i, &member.file));
            }
        }
        let output = (step.run)(&StepInput {
            set: &set,
            selected: &selected,
        })
        .map_err(|e| PlanError::Unsupported {
            index: e.index,
            reason: e.reason,
        })?;
        notes.extend(output.notes);
        for (i, edits) in output.edits.into_iter().enumerate().take(inputs.len()) {
            if edits.is_empty() || !selected[i] {
                continue;
            }
            check_edits(&texts[i], &edits).map_err(|reason| PlanError::Verification {
                index: i,
                reason: format!("step {} produced bad edits: {reason}", step.id),
            })?;
            let (next, _) = apply_edits(&texts[i], &edits);
            let changes = output.changes.get(i).map_or(&[][..], Vec::as_slice);
            same_data(&set.members[i].file, &next, changes).map_err(|reason| {
                PlanError::Verification {
                    index: i,
                    reason: format!("step {}: {reason}", step.id),
                }
            })?;
            total[i] = compose(inputs[i].text, &total[i], &edits);
            texts[i] = next;
        }
        for (i, version) in versions.iter_mut().enumerate() {
            if selected[i] && version.is_some() {
                *version = Some(step.to.clone());
            }
        }
    }
    for (i, text) in texts.iter().enumerate() {
        if total[i].is_empty() {
            continue;
        }
        // What the CLI and the editor apply is `total` against the original: it must give
        // exactly the text the steps produced (and that is verified below).
        let (applied, skipped) = apply_edits(inputs[i].text, &total[i]);
        if !skipped.is_empty() || &applied != text {
            return Err(PlanError::Verification {
                index: i,
                reason: "the composed edits do not reproduce the migrated text".to_string(),
            });
        }
        let migrated = SourceFile::analyze(Some(inputs[i].kind), text.clone());
        if !migrated.parse.is_complete() {
            let message = migrated
                .parse
                .errors
                .first()
                .map_or_else(|| "it no longer parses".to_string(), |e| e.message.clone());
            return Err(PlanError::Verification {
                index: i,
                reason: message,
            });
        }
    }
    let files = total
        .into_iter()
        .enumerate()
        .filter(|(_, edits)| !edits.is_empty())
        .map(|(index, edits)| FileEdits {
            index,
            from: original_versions[index]
                .clone()
                .unwrap_or_else(|| from.clone()),
            edits,
        })
        .collect();
    Ok(Plan {
        from,
        to: target.clone(),
        steps: path
            .iter()
            .map(|s| StepInfo {
                from: s.from.clone(),
                to: s.to.clone(),
                id: s.id,
                summary: s.summary,
            })
            .collect(),
        created: lifted(inputs, &texts, &path, &mut notes),
        notes,
        files,
    })
}

/// The settings a migration lifts out of a hand-written litellm-unified.yaml, computed on
/// the migrated texts (see `lift.rs`); nothing when no step ran.
pub(super) fn lifted(
    inputs: &[MigrationInput<'_>],
    texts: &[String],
    path: &[&Migration],
    notes: &mut Vec<String>,
) -> Vec<NewFile> {
    if path.is_empty() {
        return Vec::new();
    }
    let members = inputs
        .iter()
        .zip(texts)
        .map(|(input, text)| SetMember {
            path: input.kind.file_name().to_string(),
            file: SourceFile::analyze(Some(input.kind), text.clone()).into(),
        })
        .collect();
    lift::lift(&ConfigSet::new(members), notes)
        .into_iter()
        .collect()
}

/// Whether `next`, the text a step made of `file`, parses as well as it did and holds the
/// same YAML data but for `changes`.
pub(super) fn same_data(file: &SourceFile, next: &str, changes: &[Change]) -> Result<(), String> {
    let migrated = crate::syntax::parse(next);
    if let Some(error) = migrated.errors.get(file.parse.errors.len()) {
        return Err(format!(
            "the migrated text does not parse: {}",
            error.message
        ));
    }
    match (file.root(), &migrated.root) {
        (Some(before), Some(after)) => verify::check(before, after, changes),
        (None, None) => Ok(()),
        _ => Err("the migrated text is not a document like the original".to_string()),
    }
}

pub(super) fn syntax_error(index: usize, file: &SourceFile) -> PlanError {
    PlanError::Syntax {
        index,
        message: file
            .parse
            .errors
            .first()
            .map_or_else(|| "it does not parse".to_string(), |e| e.message.clone()),
    }
}

/// Edits must be sorted, disjoint, inside the text and on character boundaries.
pub(super) fn check_edits(text: &str, edits: &[Edit]) -> Result<(), String> {
    let mut cursor = 0usize;
    for edit in edits {
        let (start, end) = (edit.range.start as usize, edit.range.end as usize);
        if start < cursor {
            return Err(format!("edit at {start} overlaps or is out of order"));
        }
        if end > text.len() || !text.is_char_boundary(start) || !text.is_char_boundary(end) {
            return Err(format!("edit {start}..{end} is outside the text"));
        }
        cursor = end;
    }
    Ok(())
}
