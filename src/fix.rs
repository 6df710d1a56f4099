//! The fix pipeline that `aiblint check --fix`, the editor's fix-all and its quick fixes
//! share: which fixes may be applied together, the re-check-until-stable loop
//! ([`fix_set`]), one fix checked on its own ([`single_fix`], the editor's quick fix), and
//! the policy that an edit must not leave a file with an error it did not have (also
//! applied to migrations, by the CLI and the editor alike).
//!
//! A pass takes, in every file the caller lets it change, each fix of the allowed
//! applicability whose edits clash with no fix taken before it, applies them all, and checks
//! the whole set again. A pass whose result has a new error (or a file that no longer parses)
//! is undone and its leading half tried, then quarter, and so on (a number of checks
//! logarithmic in the fixes); a fix that brings an error on its own is set aside and reported
//! as a bug. Passes repeat until no fix is left, at most [`MAX_PASSES`] times; fixes still
//! offered then are reported as not converging.

use std::collections::HashSet;

use crate::diagnostic::{apply_edits, Applicability, Diagnostic, Edit, Fix, Severity};
use crate::lint::{check_set, LintedFile, RuleSelection};
use crate::model::{SetMember, SourceFile};
use crate::rules::rule_by_code;

/// How many check-and-fix passes run before the loop gives up (ruff's loop is capped too).
pub const MAX_PASSES: usize = 10;

/// How many rounds (passes, and rounds that only set a fix aside) run at most.
const MAX_ROUNDS: usize = 4 * MAX_PASSES;

/// Which fixes apply: `Safe` ones only (`--fix`, fix-all), or `Unsafe` ones too
/// (`--unsafe-fixes`). Display-only fixes never apply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FixMode {
    Safe,
    Unsafe,
}

impl FixMode {
    pub fn allows(self, applicability: Applicability) -> bool {
        match applicability {
            Applicability::Safe => true,
            Applicability::Unsafe => self == FixMode::Unsafe,
            Applicability::DisplayOnly => false,
        }
    }
}

/// A fix that was applied, or set aside.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AppliedFix {
    /// The member of the set it changed.
    pub member: usize,
    pub code: &'static str,
    pub title: String,
}

/// What the loop did to a config set.
#[derive(Debug)]
pub struct FixOutcome {
    /// The set as fixed, checked: what remains to report.
    pub files: Vec<LintedFile>,
    /// Per member, its text before any fix when a fix changed it.
    pub originals: Vec<Option<String>>,
    /// Every fix applied, in order.
    pub applied: Vec<AppliedFix>,
    /// Fixes not applied: each would have brought the errors of these codes (a file that
    /// no longer parses brings E001), or, with no code, would have changed nothing (a bug in
    /// the rule that offered it).
    pub rejected: Vec<(AppliedFix, Vec<&'static str>)>,
    /// The codes whose fixes were still offered after [`MAX_PASSES`] passes (a bug: each
    /// pass should remove the diagnostics it fixes). Empty when the loop converged.
    pub not_converged: Vec<&'static str>,
}

impl FixOutcome {
    /// The members a fix changed, with their fixed text.
    pub fn changed(&self) -> impl Iterator<Item = (usize, &str, &LintedFile)> {
        self.originals
            .iter()
            .enumerate()
            .filter_map(|(i, original)| Some((i, original.as_deref()?, self.files.get(i)?)))
            .filter(|(_, original, file)| *original != file.file.text)
    }

    /// How many fixes were applied to member `index`.
    pub fn applied_to(&self, index: usize) -> usize {
        self.applied.iter().filter(|f| f.member == index).count()
    }
}

/// Checks the set, then applies the fixes `mode` allows in the members `fixable` accepts
/// (by index), pass after pass, as the module docs describe.
pub fn fix_set(
    members: Vec<SetMember>,
    selection: &RuleSelection,
    mode: FixMode,
    fixable: impl Fn(usize) -> bool,
) -> FixOutcome {
    let mut files = check_set(members, selection);
    let mut originals: Vec<Option<String>> = vec![None; files.len()];
    let mut applied = Vec::new();
    let mut rejected: Vec<(AppliedFix, Vec<&'static str>)> = Vec::new();
    let mut set_aside: HashSet<(usize, &'static str, String)> = HashSet::new();
    // A pass applies fixes; a round may instead only find a fix to set aside. Both are
    // bounded, so a hostile file with thousands of fixes costs a bounded number of checks.
    let (mut passes, mut rounds) = (0, 0);
    while passes < MAX_PASSES && rounds < MAX_ROUNDS {
        rounds += 1;
        let candidates = pass_candidates(&files, mode, &fixable, &set_aside);
        if candidates.is_empty() {
            return FixOutcome {
                files,
                originals,
                applied,
                rejected,
                not_converged: Vec::new(),
            };
        }
        // All of them, or, when that brings an error, the longest leading half, quarter...
        // that does not; when even the first fix alone does, it is set aside.
        let mut take = candidates.len();
        let mut why = Vec::new();
        loop {
            if take == 0 {
                if let Some(first) = candidates.first() {
                    set_aside.insert(first.key());
                    rejected.push((first.applied(), why));
                }
                break;
            }
            match try_fixes(&files, &candidates[..take], selection) {
                Ok(next) => {
                    record(&mut originals, &files, &candidates[..take]);
                    applied.extend(candidates[..take].iter().map(Candidate::applied));
                    files = next;
                    passes += 1;
                    break;
                }
                Err(codes) => why = codes,
            }
            take /= 2;
        }
    }
    let mut not_converged: Vec<&'static str> = pass_candidates(&files, mode, &fixable, &set_aside)
        .iter()
        .map(|c| c.code)
        .collect();
    not_converged.sort_unstable();
    not_converged.dedup();
    FixOutcome {
        files,
        originals,
        applied,
        rejected,
        not_converged,
    }
}

/// One fix chosen for a pass.
#[derive(Clone, Debug)]
struct Candidate {
    member: usize,
    code: &'static str,
    fix: Fix,
}

impl Candidate {
    fn applied(&self) -> AppliedFix {
        AppliedFix {
            member: self.member,
            code: self.code,
            title: self.fix.title.clone(),
        }
    }

    /// What identifies a fix across passes (its ranges move as other fixes apply). Fixes of
    /// one rule with one title in one file share it: setting one aside sets them all aside,
    /// which errs on the side of changing less, and keeps a file with a thousand copies of
    /// one bad fix to a few checks.
    fn key(&self) -> (usize, &'static str, String) {
        (self.member, self.code, self.fix.title.clone())
    }
}

fn pass_candidates(
    files: &[LintedFile],
    mode: FixMode,
    fixable: &impl Fn(usize) -> bool,
    set_aside: &HashSet<(usize, &'static str, String)>,
) -> Vec<Candidate> {
    let mut out = Vec::new();
    for (member, file) in files.iter().enumerate() {
        if !fixable(member) || file.file.read_problem.is_some() {
            continue;
        }
        for d in compatible_fixes(&file.diagnostics, mode) {
            let Some(fix) = &d.fix else { continue };
            let candidate = Candidate {
                member,
                code: d.code,
                fix: fix.clone(),
            };
            if !set_aside.contains(&candidate.key()) {
                out.push(candidate);
            }
        }
    }
    out
}

/// The diagnostics whose fixes `mode` allows and that can be applied together, in order:
/// whole fixes only, a fix with an edit that overlaps (or replaces the same point as) an
/// edit of a fix taken before it is left for a later pass.
pub fn compatible_fixes(diagnostics: &[Diagnostic], mode: FixMode) -> Vec<&Diagnostic> {
    let mut taken: Vec<&Edit> = Vec::new();
    let mut out = Vec::new();
    for d in diagnostics {
        let Some(fix) = &d.fix else { continue };
        if !mode.allows(fix.applicability) || fix.edits.is_empty() {
            continue;
        }
        let clashes = |e: &Edit| {
            taken.iter().any(|t| {
                (e.range.start < t.range.end && t.range.start < e.range.end) || e.range == t.range
            })
        };
        if fix.edits.iter().any(clashes) {
            continue;
        }
        taken.extend(&fix.edits);
        out.push(d);
    }
    out
}

/// The edits of `fixes`, in the line ending of `text`: a fix that inserts lines writes `\n`,
/// which becomes `\r\n` in a file written with CRLF.
pub fn edits_for(text: &str, fixes: &[&Fix]) -> Vec<Edit> {
    let crlf = uses_crlf(text);
    fixes
        .iter()
        .flat_map(|f| &f.edits)
        .map(|e| {
            let mut edit = e.clone();
            if crlf && e.replacement.contains('\n') {
                edit.replacement = e.replacement.replace("\r\n", "\n").replace('\n', "\r\n");
            }
            edit
        })
        .collect()
}

/// One edit that turns `original` into `fixed`: the span between their common prefix and
/// common suffix (on character boundaries), for an editor that takes a fixed text as edits.
pub fn replacement_edit(original: &str, fixed: &str) -> Edit {
    let prefix = original
        .char_indices()
        .zip(fixed.chars())
        .find(|((_, a), b)| a != b)
        .map_or(original.len().min(fixed.len()), |((i, _), _)| i);
    let suffix = original[prefix..]
        .chars()
        .rev()
        .zip(fixed[prefix..].chars().rev())
        .take_while(|(a, b)| a == b)
        .map(|(a, _)| a.len_utf8())
        .sum::<usize>();
    Edit::replace(
        crate::text::TextRange::new(prefix, original.len() - suffix),
        &fixed[prefix..fixed.len() - suffix],
    )
}

/// The edits of one diagnostic's fix in member `member` of the checked set `files`, as the
/// loop applies it (in the file's line ending), when applying it alone brings no new error
/// (see [`introduced_errors`]); `None` when it would, when it changes nothing, or when the
/// diagnostic has no fix to apply. The editor's quick fix of a diagnostic is this.
pub fn single_fix(
    files: &[LintedFile],
    member: usize,
    diagnostic: &Diagnostic,
    selection: &RuleSelection,
) -> Option<Vec<Edit>> {
    let fix = diagnostic.fix.as_ref()?;
    if !FixMode::Unsafe.allows(fix.applicability) || fix.edits.is_empty() {
        return None;
    }
    let candidate = Candidate {
        member,
        code: diagnostic.code,
        fix: fix.clone(),
    };
    try_fixes(files, std::slice::from_ref(&candidate), selection).ok()?;
    Some(edits_for(&files.get(member)?.file.text, &[fix]))
}

/// Whether the first line break of `text` is CRLF.
fn uses_crlf(text: &str) -> bool {
    text.find('\n').is_some_and(|i| text[..i].ends_with('\r'))
}

/// The set with `candidates` applied and checked again; or the codes of the new errors that
/// brings (none when it changes nothing).
fn try_fixes(
    files: &[LintedFile],
    candidates: &[Candidate],
    selection: &RuleSelection,
) -> Result<Vec<LintedFile>, Vec<&'static str>> {
    let mut members = Vec::with_capacity(files.len());
    let mut changed = false;
    for (i, file) in files.iter().enumerate() {
        let fixes: Vec<&Fix> = candidates
            .iter()
            .filter(|c| c.member == i)
            .map(|c| &c.fix)
            .collect();
        let source = if fixes.is_empty() {
            file.file.clone()
        } else {
            let (text, skipped) = apply_edits(&file.file.text, &edits_for(&file.file.text, &fixes));
            if !skipped.is_empty() || text == file.file.text {
                return Err(Vec::new());
            }
            changed = true;
            SourceFile::analyze(file.file.kind, text).into()
        };
        members.push(SetMember {
            path: file.path.clone(),
            file: source,
        });
    }
    if !changed {
        return Err(Vec::new());
    }
    let next = check_set(members, selection);
    let mut codes: Vec<&'static str> = introduced_errors(files, &next)
        .iter()
        .flat_map(|f| f.diagnostics.iter().map(|d| d.code))
        .collect();
    if codes.is_empty() {
        return Ok(next);
    }
    codes.sort_unstable();
    codes.dedup();
    Err(codes)
}

fn record(originals: &mut [Option<String>], files: &[LintedFile], taken: &[Candidate]) {
    for c in taken {
        if let (Some(slot @ None), Some(file)) = (originals.get_mut(c.member), files.get(c.member))
        {
            *slot = Some(file.file.text.clone());
        }
    }
}

/// The errors of `after` that `before` did not have (same file, code and message; counted,
/// so a second copy of an old error is new), as files holding only those diagnostics.
///
/// Errors of rules that judge what `aiblint generate` makes of the sources (declared
/// `after_sources`, such as a stale litellm-unified.yaml) are left out: they follow from any
/// change to the sources, as the expected outcome of an edit, not a harm it did.
pub fn introduced_errors(before: &[LintedFile], after: &[LintedFile]) -> Vec<LintedFile> {
    let judges_generated =
        |d: &Diagnostic| rule_by_code(d.code).is_some_and(|rule| rule.after_sources);
    let counted = |d: &&Diagnostic| d.severity == Severity::Error && !judges_generated(d);
    let mut old: Vec<(&str, &str, &str)> = before
        .iter()
        .flat_map(|f| {
            f.diagnostics
                .iter()
                .filter(counted)
                .map(move |d| (f.path.as_str(), d.code, d.message.as_str()))
        })
        .collect();
    let mut out = Vec::new();
    for file in after {
        let mut fresh = Vec::new();
        for d in file.diagnostics.iter().filter(counted) {
            let key = (file.path.as_str(), d.code, d.message.as_str());
            match old.iter().position(|o| *o == key) {
                Some(i) => {
                    old.swap_remove(i);
                }
                None => fresh.push(d.clone()),
            }
        }
        if !fresh.is_empty() {
            out.push(LintedFile {
                path: file.path.clone(),
                file: file.file.clone(),
                diagnostics: fresh,
            });
        }
    }
    out
}

/// The new errors that replacing the text of some members of a checked set would bring
/// (see [`introduced_errors`]): what `aiblint migrate` and the editor's migrate action both
/// refuse. `texts` pairs a member index with its new text; `created` are files the change
/// adds, whose errors were carried over from the files they came from, so not counted.
pub fn edit_errors(
    before: &[LintedFile],
    texts: &[(usize, String)],
    created: Vec<SetMember>,
    selection: &RuleSelection,
) -> Vec<LintedFile> {
    let created_paths: Vec<String> = created.iter().map(|m| m.path.clone()).collect();
    let members = before
        .iter()
        .enumerate()
        .map(|(i, file)| SetMember {
            path: file.path.clone(),
            file: match texts.iter().find(|(index, _)| *index == i) {
                Some((_, text)) => SourceFile::analyze(file.file.kind, text.clone()).into(),
                None => file.file.clone(),
            },
        })
        .chain(created)
        .collect();
    let after = check_set(members, selection);
    introduced_errors(before, &after)
        .into_iter()
        .filter(|f| !created_paths.contains(&f.path))
        .collect()
}

#[cfg(test)]
mod tests;
