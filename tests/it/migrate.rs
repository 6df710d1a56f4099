//! Migrations end to end through the library: every case under `fixtures/migrate/v1-to-v2/`
//! (and the realistic legacy set `fixtures/sets/legacy-homelab/`) is planned, applied,
//! snapshotted as a unified diff, and held to the invariants of SPEC §2.
//!
//! A case is a file `<case>.<file name>` or a directory `<case>/` holding a config set.
//! Invariants checked for each: the output parses; a second run changes nothing (also when
//! the step itself is re-run on its output); every original line that no edit touches is
//! still there, in order (checked by an independent line diff); the result has no V501,
//! V504 or L307 diagnostic and no error that the input did not have.

use std::fs;
use std::path::{Path, PathBuf};

use aiblint::diagnostic::{apply_edits, Edit, Severity};
use aiblint::lint::{check_set, RuleSelection};
use aiblint::migrate::{self, plan, plan_with, Migration, MigrationInput, Plan, STEPS};
use aiblint::model::version::CURRENT;
use aiblint::model::{FileKind, SetMember, SourceFile};
use semver::Version;
use similar::TextDiff;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

fn file_name(p: &Path) -> String {
    p.file_name().unwrap().to_str().unwrap().to_string()
}

/// A case's files: (name shown, kind, text), sorted by name.
fn load(case: &Path) -> Vec<(String, FileKind, String)> {
    let mut files: Vec<(String, FileKind, String)> = if case.is_dir() {
        fs::read_dir(case)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter_map(|p| {
                let name = file_name(&p);
                let kind = FileKind::from_file_name(&name)?;
                Some((name, kind, fs::read_to_string(&p).unwrap()))
            })
            .collect()
    } else {
        let name = file_name(case);
        let (_, rest) = name.split_once('.').unwrap();
        let kind = FileKind::from_file_name(rest)
            .unwrap_or_else(|| panic!("{name}: name it <case>.<file name>"));
        vec![(rest.to_string(), kind, fs::read_to_string(case).unwrap())]
    };
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files
}

fn inputs(files: &[(String, FileKind, String)]) -> Vec<MigrationInput<'_>> {
    files
        .iter()
        .map(|(_, kind, text)| MigrationInput { kind: *kind, text })
        .collect()
}

fn apply(plan: &Plan, files: &[(String, FileKind, String)]) -> Vec<String> {
    files
        .iter()
        .enumerate()
        .map(|(i, (_, _, text))| {
            let (out, skipped) = apply_edits(text, plan.edits_for(i));
            assert!(skipped.is_empty(), "edits overlap: {skipped:?}");
            out
        })
        .collect()
}

fn lint(
    files: &[(String, FileKind, String)],
    texts: &[String],
) -> Vec<(String, &'static str, Severity, String)> {
    let members = files
        .iter()
        .zip(texts)
        .map(|((name, kind, _), text)| SetMember {
            path: name.clone(),
            file: SourceFile::analyze(Some(*kind), text.clone()).into(),
        })
        .collect();
    check_set(members, &RuleSelection::default())
        .into_iter()
        .flat_map(|f| {
            let path = f.path.clone();
            f.diagnostics
                .into_iter()
                .map(move |d| (path.clone(), d.code, d.severity, d.message))
        })
        .collect()
}

/// Every original line that no edit touches survives, in order: the untouched lines,
/// found by position and not through the edits' replacement texts, form a subsequence of the
/// output's lines (greedy matching finds an embedding whenever one exists).
fn untouched_lines_survive(name: &str, original: &str, edits: &[Edit], migrated: &str) {
    let mut line_starts = vec![0];
    line_starts.extend(original.match_indices('\n').map(|(i, _)| i + 1));
    let touched = |start: usize, end: usize| {
        edits.iter().any(|e| {
            let (s, t) = (e.range.start as usize, e.range.end as usize);
            if s == t {
                s > start && s < end // an insertion inside the line (not at its start)
            } else {
                s < end && t > start
            }
        })
    };
    let mut output = migrated.split_inclusive('\n');
    for (n, line) in original.split_inclusive('\n').enumerate() {
        let start = line_starts[n];
        if touched(start, start + line.len()) {
            continue;
        }
        assert!(
            output.any(|out| out == line),
            "{name}: untouched line {} is missing or out of order: {line:?}",
            n + 1
        );
    }
}

/// The step re-run on its own output (as if the output were still at its `from` version)
/// finds nothing to do.
fn step_is_idempotent(name: &str, files: &[(String, FileKind, String)], migrated: &[String]) {
    let again = Migration {
        from: CURRENT,
        to: Version::new(2, 0, 1),
        id: "again",
        summary: "the 1.0.0 → 2.0.0 step, re-run",
        run: STEPS[0].run,
    };
    let inputs: Vec<MigrationInput<'_>> = files
        .iter()
        .zip(migrated)
        .map(|((_, kind, _), text)| MigrationInput { kind: *kind, text })
        .collect();
    let replan = plan_with(
        std::slice::from_ref(&again),
        &inputs,
        &Version::new(2, 0, 1),
    )
    .unwrap();
    assert!(
        !replan.is_pending(),
        "{name}: the step changes its own output: {replan:?}"
    );
}

fn snapshot(plan: &Plan, files: &[(String, FileKind, String)], migrated: &[String]) -> String {
    let mut out = format!(
        "# Plan\n{} → {}: {} step{}\n",
        plan.from,
        plan.to,
        plan.steps.len(),
        if plan.steps.len() == 1 { "" } else { "s" }
    );
    for step in &plan.steps {
        out += &format!(
            "  {} → {} {}: {}\n",
            step.from, step.to, step.id, step.summary
        );
    }
    for note in &plan.notes {
        out += &format!("  note: {note}\n");
    }
    for (i, (name, _, text)) in files.iter().enumerate() {
        if plan.edits_for(i).is_empty() {
            out += &format!("\n# {name}: unchanged\n");
            continue;
        }
        let crlf = text.contains("\r\n");
        out += &format!(
            "\n# {name}{}\n",
            if crlf { " (CRLF, shown as LF)" } else { "" }
        );
        let diff = TextDiff::from_lines(text.as_str(), migrated[i].as_str());
        out += &diff
            .unified_diff()
            .context_radius(2)
            .to_string()
            .replace('\r', "");
    }
    out
}

/// Runs one case and checks every invariant; returns the snapshot.
fn run_case(name: &str, case: &Path) -> String {
    let files = load(case);
    let plan = migrate::plan(&inputs(&files), &CURRENT).unwrap_or_else(|e| panic!("{name}: {e}"));
    let migrated = apply(&plan, &files);
    for (i, (file, kind, text)) in files.iter().enumerate() {
        let before = SourceFile::analyze(Some(*kind), text.clone());
        let after = SourceFile::analyze(Some(*kind), migrated[i].clone());
        if before.parse.errors.is_empty() {
            assert!(
                after.parse.errors.is_empty(),
                "{name}/{file}: output does not parse"
            );
        } else {
            assert!(
                plan.edits_for(i).is_empty(),
                "{name}/{file}: a broken file was edited"
            );
        }
        untouched_lines_survive(
            &format!("{name}/{file}"),
            text,
            plan.edits_for(i),
            &migrated[i],
        );
        if text.contains("\r\n") {
            let lone_lf = migrated[i]
                .match_indices('\n')
                .any(|(j, _)| !migrated[i][..j].ends_with('\r'));
            assert!(!lone_lf, "{name}/{file}: a CRLF file got a bare LF");
        }
    }
    // Migrating the result again does nothing.
    let again: Vec<(String, FileKind, String)> = files
        .iter()
        .zip(&migrated)
        .map(|((n, k, _), t)| (n.clone(), *k, t.clone()))
        .collect();
    let second = migrate::plan(&inputs(&again), &CURRENT).unwrap();
    assert!(
        !second.is_pending(),
        "{name}: a second migration changes something"
    );
    step_is_idempotent(name, &files, &migrated);

    let originals: Vec<String> = files.iter().map(|f| f.2.clone()).collect();
    let before = lint(&files, &originals);
    let after = lint(&files, &migrated);
    for d in &after {
        assert!(
            !matches!(d.1, "V501" | "V504" | "L307"),
            "{name}: {} still reports {} {}",
            d.0,
            d.1,
            d.3
        );
        if d.2 == Severity::Error {
            assert!(
                before
                    .iter()
                    .any(|b| b.0 == d.0 && b.1 == d.1 && b.3 == d.3),
                "{name}: the migration introduced {} {} in {}",
                d.1,
                d.3,
                d.0
            );
        }
    }
    snapshot(&plan, &files, &migrated)
}

fn assert_case_snapshot(dir: &Path, name: &str, text: String) {
    insta::with_settings!({
        snapshot_path => dir,
        prepend_module_to_snapshot => false,
        omit_expression => true,
    }, {
        insta::assert_snapshot!(name.to_string(), text);
    });
}

#[test]
fn migration_fixtures() {
    let dir = root().join("fixtures/migrate/v1-to-v2");
    let mut cases: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir() || p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    cases.sort();
    assert!(cases.len() >= 10, "expected the edge cases of issue 5");
    for case in cases {
        let name = file_name(&case);
        let text = run_case(&name, &case);
        assert_case_snapshot(&dir, &name, text);
    }
}

/// The realistic legacy set: comments everywhere, two active vLLM providers, every 1.x-only
/// block. Migrated, it is clean of errors, and every byte outside the edits is identical.
#[test]
fn legacy_homelab_migrates_losslessly() {
    let case = root().join("fixtures/sets/legacy-homelab");
    let text = run_case("legacy-homelab", &case);
    assert_case_snapshot(&root().join("fixtures/migrate"), "legacy-homelab", text);

    let files = load(&case);
    let plan = plan(&inputs(&files), &CURRENT).unwrap();
    assert_eq!(plan.from, Version::new(1, 0, 0));
    assert_eq!(plan.steps.len(), 1);
    let migrated = apply(&plan, &files);
    let after = lint(&files, &migrated);
    let errors: Vec<_> = after.iter().filter(|d| d.2 == Severity::Error).collect();
    assert!(errors.is_empty(), "{errors:?}");

    // The non-edited regions, byte for byte: walking the edits, each stretch of the
    // original between two edits is found verbatim at the same place in the output.
    for (i, (name, _, original)) in files.iter().enumerate() {
        let edits = plan.edits_for(i);
        let mut shift: i64 = 0;
        let mut cursor = 0usize;
        for edit in edits.iter().chain(std::iter::once(&Edit::replace(
            aiblint::text::TextRange::empty(original.len()),
            "",
        ))) {
            let (s, e) = (edit.range.start as usize, edit.range.end as usize);
            let kept = &original[cursor..s];
            let at = (cursor as i64 + shift) as usize;
            assert_eq!(
                &migrated[i][at..at + kept.len()],
                kept,
                "{name}: bytes {cursor}..{s}"
            );
            shift += edit.replacement.len() as i64 - (e - s) as i64;
            cursor = e;
        }
        // Every comment of the original that is outside the removed blocks is still there.
        let removed: String = edits
            .iter()
            .map(|e| &original[e.range.start as usize..e.range.end as usize])
            .collect();
        for line in original.lines().filter(|l| l.trim_start().starts_with('#')) {
            if !removed.contains(line) {
                assert!(migrated[i].contains(line), "{name}: lost comment {line:?}");
            }
        }
    }
}

#[test]
fn nothing_to_do_for_a_current_set() {
    let config = root().join("config");
    let files = load(&config);
    let plan = plan(&inputs(&files), &CURRENT).unwrap();
    assert!(!plan.is_pending());
    assert!(plan.steps.is_empty());
    assert_eq!(plan.from, CURRENT);
}

#[test]
fn downgrades_unknown_targets_and_broken_files_are_refused() {
    let current = "metadata:\n  schema_version: \"2.0.0\"\nproviders: {}\n";
    let one = [MigrationInput {
        kind: FileKind::Providers,
        text: current,
    }];
    let err = plan(&one, &Version::new(1, 0, 0)).unwrap_err();
    assert!(
        matches!(err, migrate::PlanError::Downgrade { index: 0, .. }),
        "{err:?}"
    );
    assert!(err
        .to_string()
        .contains("refusing to downgrade from schema 2.0.0 to 1.0.0"));

    let err = plan(&one, &Version::new(3, 0, 0)).unwrap_err();
    assert!(
        err.to_string()
            .contains("unknown target schema version `3.0.0` (known: 1.0.0, 2.0.0)"),
        "{err}"
    );

    let newer = [MigrationInput {
        kind: FileKind::Providers,
        text: "metadata:\n  schema_version: \"3.1.0\"\nproviders: {}\n",
    }];
    let err = plan(&newer, &CURRENT).unwrap_err();
    assert!(
        matches!(err, migrate::PlanError::UnsupportedVersion { .. }),
        "{err:?}"
    );

    let broken = [MigrationInput {
        kind: FileKind::Mappings,
        text: "metadata:\n  version: \"1.0\"\nexact_matches: [\n",
    }];
    let err = plan(&broken, &CURRENT).unwrap_err();
    assert!(
        matches!(err, migrate::PlanError::Syntax { index: 0, .. }),
        "{err:?}"
    );

    let not_semver = [MigrationInput {
        kind: FileKind::Providers,
        text: "metadata:\n  schema_version: two\nproviders: {}\n",
    }];
    let err = plan(&not_semver, &CURRENT).unwrap_err();
    assert!(
        matches!(err, migrate::PlanError::InvalidVersion { .. }),
        "{err:?}"
    );
}

/// Steps chain, and the path is the shortest over the registered graph: with a synthetic
/// 2.0.0 → 2.1.0 step, a 1.x file gets both steps, and their edits are composed into one
/// list against the original bytes.
#[test]
fn steps_chain_over_the_shortest_path() {
    fn rename_notes(
        input: &migrate::StepInput<'_>,
    ) -> Result<migrate::StepOutput, migrate::StepError> {
        // 2.1.0 (synthetic): the `schema_version` value is bumped and `host` becomes `hostname`.
        let mut out = migrate::StepOutput {
            edits: vec![Vec::new(); input.set.members.len()],
            changes: vec![Vec::new(); input.set.members.len()],
            notes: vec!["renamed `host` to `hostname`".to_string()],
        };
        for (i, member) in input.set.members.iter().enumerate() {
            if !input.selected[i] {
                continue;
            }
            let text = &member.file.text;
            let root = member.file.root().unwrap();
            let meta = root.get("metadata").unwrap();
            let version = meta.get("schema_version").unwrap();
            let mut edits = vec![Edit::replace(version.range, "\"2.1.0\"")];
            // What the edits change, as data: a plan is verified against it.
            let mut changes = vec![migrate::Change::SetString {
                node: version.range,
                value: "2.1.0".to_string(),
            }];
            if let Some(entry) = meta.get_entry("host") {
                assert_eq!(&text[entry.key.range.as_range()], "host");
                edits.push(Edit::replace(entry.key.range, "hostname"));
                changes.push(migrate::Change::RenameKey {
                    key: entry.key.range,
                    to: "hostname".to_string(),
                });
            }
            out.edits[i] = edits;
            out.changes[i] = changes;
        }
        Ok(out)
    }
    let v2_1 = Version::new(2, 1, 0);
    let v3 = Version::new(3, 0, 0);
    let registry = [
        Migration {
            from: STEPS[0].from.clone(),
            to: STEPS[0].to.clone(),
            id: STEPS[0].id,
            summary: STEPS[0].summary,
            run: STEPS[0].run,
        },
        Migration {
            from: CURRENT,
            to: v2_1.clone(),
            id: "v2-to-v2.1",
            summary: "rename host",
            run: rename_notes,
        },
        // A long way round to 3.0.0 and a short one: the short one wins.
        Migration {
            from: v2_1.clone(),
            to: v3.clone(),
            id: "v2.1-to-v3",
            summary: "long way",
            run: rename_notes,
        },
        Migration {
            from: Version::new(1, 0, 0),
            to: v3.clone(),
            id: "v1-to-v3",
            summary: "short way",
            run: |input| {
                Ok(migrate::StepOutput {
                    edits: vec![Vec::new(); input.set.members.len()],
                    ..Default::default()
                })
            },
        },
    ];
    let text = "# atlas\nmetadata:\n  version: \"1.7\"  # by hand\n  host: atlas\nproviders: {}\n";
    let inputs = [MigrationInput {
        kind: FileKind::Providers,
        text,
    }];
    let plan = plan_with(&registry, &inputs, &v2_1).unwrap();
    let ids: Vec<&str> = plan.steps.iter().map(|s| s.id).collect();
    assert_eq!(ids, ["v1-to-v2", "v2-to-v2.1"]);
    let (out, skipped) = apply_edits(text, plan.edits_for(0));
    assert!(skipped.is_empty());
    assert_eq!(
        out,
        "# atlas\nmetadata:\n  schema_version: \"2.1.0\"\n  version: \"1.7\"  # by hand\n  hostname: atlas\nproviders: {}\n"
    );
    // Edits are against the original: sorted, disjoint, inside it.
    let edits = plan.edits_for(0);
    assert!(edits.windows(2).all(|w| w[0].range.end <= w[1].range.start));
    assert!(plan.notes.iter().any(|n| n.contains("renamed")));

    let plan = plan_with(&registry, &inputs, &v3).unwrap();
    let ids: Vec<&str> = plan.steps.iter().map(|s| s.id).collect();
    assert_eq!(ids, ["v1-to-v3"], "the shortest path wins");
    let unreachable = plan_with(&registry[1..2], &inputs, &v2_1).unwrap_err();
    assert!(
        matches!(
            unreachable,
            migrate::PlanError::UnsupportedVersion { .. } | migrate::PlanError::NoPath { .. }
        ),
        "{unreachable:?}"
    );
}
