//! The rule harness: every fixture under `fixtures/rules/<CODE>-<name>/` is checked and
//! snapshotted next to itself, and the registry, fixtures and rule docs are kept in step.
//!
//! A case is either one file, `<case>.<file name>` (e.g. `invalid_port.providers.yaml`: the
//! file name after the first dot says which kind of file it is), or a directory `<case>/`
//! holding a config set with the usual file names, for rules that look across files.
//! Cases starting with `valid` must be clean under every rule; the others must trigger the
//! directory's rule and no other. Each case has one snapshot, `<case>.snap` beside it.
//! An `environment` file in a rule's directory lists the environment variables set while
//! its cases (and its documented example) are checked, as `aiblint check --env` sees them.
//! An `aiblint.toml` in a rule's directory is the settings of all its cases (an opt-in
//! rule's directory sets `strict = true`).
//! `V505` (legacy-schema) reports every file of a 1.x set, which some other rules' cases are
//! by design (1.x-only behaviour); it runs in its own directory only.

use std::fs;
use std::path::{Path, PathBuf};

use aiblint::diagnostic::{apply_edits, Diagnostic};
use aiblint::emit::render_text;
use aiblint::fix::{fix_set, FixMode};
use aiblint::lint::{check_set, LintedFile, RuleSelection};
use aiblint::model::{FileKind, SetMember, SourceFile};
use aiblint::rules::{rule_by_code, FixAvailability, RuleMeta, ALL_RULES, LIVE_RULES};
use aiblint::settings::{Level, Settings};

/// The rule that reports 1.x files (see above).
const LEGACY_SCHEMA: &str = "V505";

fn fixtures_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/rules")
}

fn rule_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = fs::read_dir(fixtures_root())
        .expect("fixtures/rules exists")
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

/// The kind of a one-file case, from the file name after the case name; a name that is no
/// set member's (`valid_plain.config.yaml`) is recognised as `aiblint check` would.
fn kind_of(file_name: &str, text: &str) -> Option<FileKind> {
    let (_, rest) = file_name.split_once('.')?;
    FileKind::from_file_name(rest).or_else(|| FileKind::detect(rest, text))
}

/// Lints a case: one file, or every file of a set directory.
fn lint(case: &Path, selection: &RuleSelection) -> Vec<LintedFile> {
    let rule_dir = case
        .parent()
        .unwrap()
        .file_name()
        .unwrap()
        .to_str()
        .unwrap();
    let member = |path: &Path, kind: Option<FileKind>, shown: String| SetMember {
        path: shown,
        file: SourceFile::from_bytes(kind, fs::read(path).unwrap()).into(),
    };
    let members = if case.is_dir() {
        let mut files: Vec<PathBuf> = fs::read_dir(case)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        files
            .iter()
            .map(|f| {
                let name = file_name(f);
                let text = fs::read_to_string(f).unwrap_or_default();
                let kind =
                    FileKind::from_file_name(&name).or_else(|| FileKind::detect(&name, &text));
                assert!(kind.is_some(), "{}: not a config file name", f.display());
                member(f, kind, format!("{rule_dir}/{}/{name}", file_name(case)))
            })
            .collect()
    } else {
        let name = file_name(case);
        let text = String::from_utf8_lossy(&fs::read(case).unwrap()).into_owned();
        vec![member(
            case,
            kind_of(&name, &text),
            format!("{rule_dir}/{name}"),
        )]
    };
    check_set(members, selection)
}

/// Runs the fix loop of `aiblint check --fix` over a linted case: every fix must apply
/// (none set aside for bringing an error or changing nothing), the loop must converge, each
/// applied fix must remove a diagnostic of its rule, and no diagnostic may appear that the
/// case did not have.
fn check_fix_loop(files: &[LintedFile], selection: &RuleSelection, mode: FixMode) -> Vec<String> {
    let members = files
        .iter()
        .map(|f| SetMember {
            path: f.path.clone(),
            file: f.file.clone(),
        })
        .collect();
    let outcome = fix_set(members, selection, mode, |_| true);
    let mut problems = Vec::new();
    for (rejected, codes) in &outcome.rejected {
        problems.push(format!(
            "the fix \"{}\" of {} brings errors {codes:?} (none: it changes nothing)",
            rejected.title, rejected.code
        ));
    }
    if !outcome.not_converged.is_empty() {
        problems.push(format!(
            "the fixes of {:?} do not converge",
            outcome.not_converged
        ));
    }
    let key = |f: &LintedFile, d: &Diagnostic| (f.path.clone(), d.code, d.message.clone());
    let mut before: Vec<_> = files
        .iter()
        .flat_map(|f| f.diagnostics.iter().map(move |d| key(f, d)))
        .collect();
    // Rules that judge what `aiblint generate` makes of the sources run only once the
    // sources are clean: a fix that cleans them lets them speak, which is not a new problem.
    let judges_generated = |code: &str| rule_by_code(code).is_some_and(|r| r.after_sources);
    for file in &outcome.files {
        for d in file
            .diagnostics
            .iter()
            .filter(|d| !judges_generated(d.code))
        {
            match before.iter().position(|b| *b == key(file, d)) {
                Some(i) => {
                    before.swap_remove(i);
                }
                None => problems.push(format!(
                    "fixing brought a new diagnostic: {} {} in {}",
                    d.code, d.message, file.path
                )),
            }
        }
    }
    // `before` now holds the diagnostics the fixes removed: at least as many of each rule
    // as fixes of that rule were applied.
    for applied in &outcome.applied {
        let removed = before
            .iter()
            .filter(|(_, code, _)| *code == applied.code)
            .count();
        let fixes = outcome
            .applied
            .iter()
            .filter(|a| a.code == applied.code)
            .count();
        if removed < fixes {
            problems.push(format!(
                "{fixes} fixes of {} removed {removed} of its diagnostics",
                applied.code
            ));
        }
    }
    problems
}

fn check_fix_shape(rule: &RuleMeta, file: &LintedFile, d: &Diagnostic) {
    match (rule.fix, &d.fix) {
        (FixAvailability::Always, None) => panic!(
            "{}: declares fix: Always but `{}` has no fix",
            rule.code, d.message
        ),
        (FixAvailability::None, Some(_)) => panic!(
            "{}: declares fix: None but `{}` has a fix",
            rule.code, d.message
        ),
        _ => {}
    }
    if let Some(fix) = &d.fix {
        assert!(
            !fix.title.is_empty(),
            "{}: a fix has an empty title",
            rule.code
        );
        let mut end = 0;
        for edit in &fix.edits {
            assert!(
                edit.range.start >= end,
                "{}: fix edits overlap or are unsorted",
                rule.code
            );
            assert!(
                edit.range.end as usize <= file.file.text.len(),
                "{}: fix edit outside the source",
                rule.code
            );
            end = edit.range.end;
        }
    }
}

fn snapshot(files: &[LintedFile]) -> String {
    let mut out = String::new();
    for file in files {
        let one = std::slice::from_ref(file);
        if files.len() > 1 {
            out += &format!("## {}\n", file.path);
        }
        out += &format!("# Input\n{}\n", file.file.text);
        out += &format!("# Diagnostics\n{}\n", render_text(one, files, false, false));
        out += &format!("# Concise\n{}", render_text(one, files, true, false));
        let edits: Vec<_> = file
            .diagnostics
            .iter()
            .filter_map(|d| d.fix.as_ref())
            .flat_map(|f| f.edits.clone())
            .collect();
        if !edits.is_empty() {
            let (fixed, _) = apply_edits(&file.file.text, &edits);
            let after = SourceFile::analyze(file.file.kind, fixed.clone());
            assert!(
                after.parse.errors.is_empty(),
                "{}: the fixed text does not parse",
                file.path
            );
            out += &format!("\n# Fixed\n{fixed}");
        }
        if files.len() > 1 {
            out += "\n";
        }
    }
    out
}

#[test]
fn rule_fixtures() {
    let mut failures = Vec::new();
    for dir in rule_dirs() {
        let dir_name = dir.file_name().unwrap().to_str().unwrap().to_string();
        let code = dir_name.split('-').next().unwrap();
        if let Some((live, _)) = LIVE_RULES.iter().find(|(m, _)| m.code == code) {
            panic!(
                "fixtures/rules/{dir_name}: {code} is reported by `{}`, which reads the live \
                 state of the host; its tests are tests/it/live.rs and tests/it/live_stack.rs",
                live.reported_by.command()
            );
        }
        let Some((rule, _)) = ALL_RULES.iter().find(|(m, _)| m.code == code) else {
            panic!("fixtures/rules/{dir_name}: no rule has the code {code}");
        };
        assert_eq!(
            dir_name,
            format!("{}-{}", rule.code, rule.name),
            "fixture directory must be CODE-name"
        );
        // A directory's aiblint.toml applies to all its cases (opt-in rules need one).
        let mut settings = match fs::read_to_string(dir.join("aiblint.toml")) {
            Ok(text) => Settings::from_toml(&text).unwrap(),
            Err(_) => Settings::default(),
        };
        if rule.code != LEGACY_SCHEMA {
            settings.rules.insert(LEGACY_SCHEMA.into(), Level::Off);
        }
        let selection = RuleSelection::from_settings(&settings).unwrap();
        let selection = with_environment(&dir, selection);
        let mut cases: Vec<PathBuf> = fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| {
                p.is_dir()
                    || p.extension()
                        .is_some_and(|e| e == "yaml" || e == "yml" || e == "json")
            })
            .collect();
        cases.sort();
        // E008 (unreadable file) and E009 (file too large) are not fixtures the harness
        // reads; tests/it/cli.rs covers them.
        if rule.code != "E008" && rule.code != "E009" {
            assert!(
                cases.iter().any(|c| file_name(c).starts_with("invalid")),
                "{dir_name}: no invalid case"
            );
        }
        for case in cases {
            let name = file_name(&case);
            assert!(
                case.is_dir()
                    || kind_of(&name, &String::from_utf8_lossy(&fs::read(&case).unwrap())).is_some(),
                "{dir_name}/{name}: name it <case>.<providers|model-mappings|ports|litellm-unified>.yaml, or give a monitoring file its content"
            );
            let files = lint(&case, &selection);
            let codes: Vec<&str> = files
                .iter()
                .flat_map(|f| &f.diagnostics)
                .map(|d| d.code)
                .collect();
            if name.starts_with("valid") {
                if !codes.is_empty() {
                    failures.push(format!(
                        "{dir_name}/{name}: a valid case has diagnostics {codes:?}"
                    ));
                }
            } else if codes.is_empty() || codes.iter().any(|c| *c != rule.code) {
                failures.push(format!(
                    "{dir_name}/{name}: expected only {}, got {codes:?}",
                    rule.code
                ));
            }
            for file in &files {
                for d in &file.diagnostics {
                    check_fix_shape(rule, file, d);
                }
            }
            for mode in [FixMode::Safe, FixMode::Unsafe] {
                failures.extend(
                    check_fix_loop(&files, &selection, mode)
                        .into_iter()
                        .map(|f| format!("{dir_name}/{name} ({mode:?} fixes): {f}")),
                );
            }
            insta::with_settings!({
                snapshot_path => dir.clone(),
                prepend_module_to_snapshot => false,
                omit_expression => true,
            }, {
                insta::assert_snapshot!(name.clone(), snapshot(&files));
            });
        }
    }
    assert!(
        failures.is_empty(),
        "fixture failures:\n{}",
        failures.join("\n")
    );
}

fn file_name(p: &Path) -> String {
    p.file_name().unwrap().to_str().unwrap().to_string()
}

#[test]
fn every_rule_has_a_fixture_directory() {
    let dirs: Vec<String> = rule_dirs().iter().map(|d| file_name(d)).collect();
    for (rule, _) in ALL_RULES {
        let expected = format!("{}-{}", rule.code, rule.name);
        assert!(
            dirs.contains(&expected),
            "missing fixtures/rules/{expected}/"
        );
    }
}

/// A directory's `environment` file lists the variables set while its cases are checked, as
/// `aiblint check --env` would see them (one name a line).
fn with_environment(dir: &Path, selection: RuleSelection) -> RuleSelection {
    match fs::read_to_string(dir.join("environment")) {
        Ok(text) => {
            selection.with_environment(text.split_whitespace().map(str::to_string).collect())
        }
        Err(_) => selection,
    }
}

/// The live rules (`aiblint ports`, `aiblint probe`) need processes and servers, not files:
/// their fixtures are the integration tests against real processes, which must assert each
/// code (as `[CODE]` in a report) at least once.
#[test]
fn every_live_rule_is_asserted_by_the_live_tests() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it");
    let tests: String = ["live.rs", "live_stack.rs"]
        .iter()
        .map(|f| fs::read_to_string(root.join(f)).unwrap())
        .collect();
    for (rule, _) in LIVE_RULES {
        let code = rule.code;
        assert!(
            tests.contains(&format!("[{code}]")) || tests.contains(&format!("\"{code}\"")),
            "{code} ({}) is asserted by no test of tests/it/live.rs or tests/it/live_stack.rs",
            rule.name
        );
    }
}

/// Each rule's `## Example` (a ```yaml block naming its file) triggers the rule. The examples
/// of the live rules describe a host as well as a file, so only `aiblint check`'s rules run
/// theirs; the live rules' examples are checked by hand against tests/it/live.rs.
#[test]
fn doc_examples_trigger_their_rule() {
    // Byte-level rules explain their example in prose: a binary file (E003), one that cannot
    // be read (E008), one above the size cap (E009). G401's example is a hand edit of a
    // generated file, which needs the sources it was generated from (tests/it/generate.rs).
    const UNCHECKED: [&str; 4] = ["E003", "E008", "E009", "G401"];
    for (rule, _) in ALL_RULES {
        if UNCHECKED.contains(&rule.code) {
            continue;
        }
        let docs = rule.docs();
        let example = docs.split("## Example").nth(1).unwrap();
        let example = example.split("\n## ").next().unwrap();
        // Every block names its file (```yaml providers.yaml); together they are a set.
        let mut members = Vec::new();
        let mut rest = example;
        while let Some(start) = rest.find("```") {
            let block = &rest[start + 3..];
            let (info, body) = block.split_once('\n').unwrap();
            let end = body.find("```").unwrap();
            rest = &body[end + 3..];
            let (lang, file_name) = info.split_once(' ').unwrap_or((info, ""));
            if lang != "yaml" && lang != "json" {
                continue;
            }
            assert!(
                !file_name.trim().is_empty(),
                "{}: an example block must name its file (```{lang} providers.yaml)",
                rule.code
            );
            let (file_name, body) = (file_name.trim(), &body[..end]);
            let base = file_name.rsplit('/').next().unwrap();
            let kind = FileKind::from_file_name(base).or_else(|| FileKind::detect(base, body));
            assert!(
                kind.is_some(),
                "{}: example names an unknown file `{file_name}`",
                rule.code
            );
            members.push(SetMember {
                path: file_name.to_string(),
                file: SourceFile::analyze(kind, body.to_string()).into(),
            });
        }
        assert!(
            !members.is_empty(),
            "{}: the example has no YAML or JSON block",
            rule.code
        );
        let dir = fixtures_root().join(format!("{}-{}", rule.code, rule.name));
        let shown: Vec<String> = members.iter().map(|m| m.path.clone()).collect();
        let linted = check_set(
            members,
            &with_environment(&dir, RuleSelection::only(&[rule.code])),
        );
        assert!(
            linted.iter().any(|f| !f.diagnostics.is_empty()),
            "{}: the documented example ({}) does not trigger the rule",
            rule.code,
            shown.join(", ")
        );
    }
}
