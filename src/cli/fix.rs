//! `aiblint check --fix` and `--diff`: the files the fix loop (`crate::fix`) changed, written
//! atomically only when they still hold the bytes that were checked, or shown as a diff.

use std::path::{Path, PathBuf};

use similar::TextDiff;

use super::atomic::atomic_write_with;
use crate::fix::{FixOutcome, MAX_PASSES};
use crate::model::secrets::Secrets;
use crate::model::{FileKind, SourceFile};
use crate::workspace::display_path;

/// A file the fixes changed: where it is, the text read and the text fixed.
pub(super) struct FixedFile {
    path: PathBuf,
    shown: String,
    original: String,
    fixed: String,
    kind: Option<FileKind>,
    fixes: usize,
    codes: Vec<&'static str>,
}

impl FixedFile {
    pub(super) fn path(&self) -> &Path {
        &self.path
    }
}

/// The changed members of a fixed set (`paths` parallel to its members).
pub(super) fn fixed_files(outcome: &FixOutcome, paths: &[PathBuf]) -> Vec<FixedFile> {
    outcome
        .changed()
        .filter_map(|(i, original, file)| {
            let mut codes: Vec<&'static str> = outcome
                .applied
                .iter()
                .filter(|f| f.member == i)
                .map(|f| f.code)
                .collect();
            codes.sort_unstable();
            codes.dedup();
            Some(FixedFile {
                path: paths.get(i)?.clone(),
                shown: file.path.clone(),
                original: original.to_string(),
                fixed: file.file.text.clone(),
                kind: file.file.kind,
                fixes: outcome.applied_to(i),
                codes,
            })
        })
        .collect()
}

/// What the loop left undone, one line each: fixes that would have brought an error (or,
/// a bug, changed nothing), and fixes that kept coming back (a bug).
pub(super) fn bugs(outcome: &FixOutcome) -> Vec<String> {
    let mut out: Vec<String> = outcome
        .rejected
        .iter()
        .map(|(f, codes)| {
            let path = outcome
                .files
                .get(f.member)
                .map_or("", |file| file.path.as_str());
            if codes.is_empty() {
                format!(
                    "bug: the fix \"{}\" of {} in {path} changes nothing; it was not applied (please report it)",
                    f.title, f.code
                )
            } else {
                format!(
                    "not applied: the fix \"{}\" of {} in {path} would bring new errors ({}); fix it by hand",
                    f.title,
                    f.code,
                    codes.join(", ")
                )
            }
        })
        .collect();
    if !outcome.not_converged.is_empty() {
        out.push(format!(
            "bug: the fixes of {} still applied after {MAX_PASSES} passes; the files hold the fixes of the passes made (please report it)",
            outcome.not_converged.join(", ")
        ));
    }
    out
}

/// What `--diff` prints: a unified diff of every file the fixes change, and how many fixes
/// (for stderr, after the diff).
pub(super) fn diff_report(fixed: &[FixedFile]) -> (String, Option<String>) {
    let mut text = String::new();
    for file in fixed {
        let (original, fixed) = (
            masked(file.kind, &file.original),
            masked(file.kind, &file.fixed),
        );
        text += &TextDiff::from_lines(original.as_str(), fixed.as_str())
            .unified_diff()
            .context_radius(3)
            .header(&format!("a/{}", file.shown), &format!("b/{}", file.shown))
            .to_string();
    }
    let fixes: usize = fixed.iter().map(|f| f.fixes).sum();
    let count = (fixes > 0).then(|| {
        format!(
            "Would fix {fixes} problem{} in {} file{}.",
            plural(fixes),
            fixed.len(),
            plural(fixed.len())
        )
    });
    (text, count)
}

/// What writing the fixes did: a note per file, and whether any could not be written.
pub(super) struct Written {
    pub notes: Vec<String>,
    pub failed: bool,
}

/// Writes each fixed file atomically, unless it no longer holds the bytes that were checked
/// (edited meanwhile: it is left alone and said so).
pub(super) fn write_fixes(fixed: &[FixedFile]) -> Written {
    let mut written = Written {
        notes: Vec::new(),
        failed: false,
    };
    for file in fixed {
        let unchanged = || -> std::io::Result<()> {
            if crate::workspace::read_bounded(&file.path).ok().as_deref()
                == Some(file.original.as_bytes())
            {
                Ok(())
            } else {
                Err(std::io::Error::other(
                    "it changed on disk while aiblint was fixing it",
                ))
            }
        };
        match atomic_write_with(&file.path, file.fixed.as_bytes(), unchanged) {
            Ok(()) => written.notes.push(format!(
                "fixed {} problem{} in {} ({})",
                file.fixes,
                plural(file.fixes),
                file.shown,
                file.codes.join(", ")
            )),
            Err(e) => {
                written.failed = true;
                written.notes.push(format!(
                    "did not write the fixes of {}: {e}",
                    display_path(Path::new(&file.path))
                ));
            }
        }
    }
    written
}

/// `text` with the secrets written in it masked, as every output shows a file's lines.
pub(super) fn masked(kind: Option<FileKind>, text: &str) -> String {
    let file = SourceFile::analyze(kind, text.to_string());
    Secrets::of(&file).mask_text(text).into_owned()
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
