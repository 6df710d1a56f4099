//! Every output format on one shared config set (`fixtures/emit/`), through the real binary:
//! snapshots of each format, the JSON checked against `docs/json-schema.json`, positions
//! recomputed independently, SARIF checked against the rule registry, fingerprints across
//! edits, and the `--output-file`, `--quiet` and `--statistics` flags.

use crate::common;

use std::fs;
use std::path::Path;
use std::process::Output;

use aiblint::rules::all_rules;
use common::{aiblint, root};
use serde_json::Value;

const FIXTURE: &str = "fixtures/emit";

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("UTF-8 output")
}

/// `aiblint check fixtures/emit --format <format>`: exit 1 (the set has errors), its stdout.
fn check_fixture(format: &str) -> String {
    let out = aiblint(root(), &["check", FIXTURE, "--format", format]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}{}",
        stdout(&out),
        String::from_utf8_lossy(&out.stderr)
    );
    stdout(&out)
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).expect("valid JSON")
}

macro_rules! snapshot_settings {
    () => {{
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_path("../../fixtures/emit/snapshots");
        settings.set_prepend_module_to_snapshot(false);
        settings
    }};
}

#[test]
fn snapshot_full() {
    let text = check_fixture("full");
    snapshot_settings!().bind(|| insta::assert_snapshot!("full", text));
}

#[test]
fn snapshot_concise() {
    let text = check_fixture("concise");
    snapshot_settings!().bind(|| insta::assert_snapshot!("concise", text));
}

#[test]
fn snapshot_github() {
    let text = check_fixture("github");
    snapshot_settings!().bind(|| insta::assert_snapshot!("github", text));
}

#[test]
fn snapshot_json() {
    let text = check_fixture("json");
    snapshot_settings!().bind(|| insta::assert_snapshot!("json", text));
}

#[test]
fn snapshot_sarif() {
    let sarif = json(&check_fixture("sarif"));
    // The tool version changes with every release; the rule list and rule indices grow with
    // the registry and are checked against it in `sarif_rules_mirror_the_registry`.
    snapshot_settings!().bind(|| {
        insta::assert_json_snapshot!("sarif", sarif, {
            ".runs[].tool.driver.version" => "[version]",
            ".runs[].tool.driver.semanticVersion" => "[version]",
            ".runs[].tool.driver.rules" => "[every rule of the registry]",
            ".runs[].results[].ruleIndex" => "[index of ruleId in rules]",
        })
    });
}

// --- github ------------------------------------------------------------------------------------

#[test]
fn github_annotations_follow_the_workflow_command_syntax() {
    let text = check_fixture("github");
    let command = regex::Regex::new(
        r"^::(error|warning|notice) file=[^,:%]+,line=\d+,(col=\d+,)?endLine=\d+,(endColumn=\d+,)?title=aiblint [A-Z]\d{3}::[^\r\n]+$",
    )
    .unwrap();
    let mut kinds = Vec::new();
    for line in text.lines() {
        assert!(command.is_match(line), "not a workflow command: {line}");
        kinds.push(line[2..].split(' ').next().unwrap().to_string());
    }
    // Info diagnostics become notices.
    for kind in ["error", "warning", "notice"] {
        assert!(kinds.iter().any(|k| k == kind), "no {kind} in\n{text}");
    }
    // A multi-line range carries no columns; a one-line range carries both.
    let wrong_type = text.lines().find(|l| l.contains("S102")).unwrap();
    assert!(
        wrong_type.contains("line=14,endLine=15,title="),
        "{wrong_type}"
    );
    assert!(!wrong_type.contains("col="), "{wrong_type}");
    // `%` in a message and the line break before the help are escaped.
    assert!(text.contains("unknown key `env_var%25` in provider%0Ahelp: "));
    // Columns count characters: `base_ur` follows `Ünïcode 🦙` on its line.
    assert!(text.contains("line=16,col=54,endLine=16,endColumn=61,title=aiblint S101"));
}

// --- json --------------------------------------------------------------------------------------

fn schema_validator() -> jsonschema::Validator {
    let schema = json(&fs::read_to_string(root().join("docs/json-schema.json")).unwrap());
    jsonschema::draft202012::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("docs/json-schema.json is a valid schema")
}

fn assert_valid(validator: &jsonschema::Validator, instance: &Value) {
    let errors: Vec<String> = validator
        .iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "schema errors: {errors:#?}");
}

#[test]
fn json_output_matches_its_schema() {
    let validator = schema_validator();
    let report = json(&check_fixture("json"));
    assert_valid(&validator, &report);
    assert_eq!(report["version"], 1);
    assert_eq!(report["diagnostics"].as_array().unwrap().len(), 11);

    let out = aiblint(root(), &["check", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let clean = json(&stdout(&out));
    assert_valid(&validator, &clean);
    assert_eq!(clean["diagnostics"], Value::Array(Vec::new()));

    let out = aiblint(
        root(),
        &["check", FIXTURE, "--format", "json", "--statistics"],
    );
    assert_eq!(out.status.code(), Some(1));
    let statistics = json(&stdout(&out));
    assert_valid(&validator, &statistics);

    // The schema is strict enough to catch drift: a missing or unknown field fails it.
    let mut missing = report.clone();
    missing["diagnostics"][0]
        .as_object_mut()
        .unwrap()
        .remove("code");
    assert!(!validator.is_valid(&missing));
    let mut extra = report.clone();
    extra["diagnostics"][0]["start"]["utf16"] = Value::from(3);
    assert!(!validator.is_valid(&extra));
    let mut bad_fix = report;
    let with_fix = bad_fix["diagnostics"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|d| !d["fix"].is_null())
        .unwrap();
    with_fix["fix"]["applicability"] = Value::from("maybe");
    assert!(!validator.is_valid(&bad_fix));
}

/// Line and column (1-based, characters) of a byte offset, counted here independently of
/// aiblint's `LineIndex`.
fn line_col(text: &str, offset: usize) -> (u64, u64) {
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = text[line_start..offset].chars().count() + 1;
    (line as u64, col as u64)
}

#[test]
fn json_positions_are_characters_and_byte_offsets_of_the_file() {
    let report = json(&check_fixture("json"));
    let mut locations = 0;
    for d in report["diagnostics"].as_array().unwrap() {
        let file = d["file"].as_str().unwrap();
        let mut ranges = vec![(file, &d["start"], &d["end"])];
        // A label says its file: its own, or another file of the set.
        ranges.extend(
            d["labels"]
                .as_array()
                .unwrap()
                .iter()
                .map(|l| (l["file"].as_str().unwrap(), &l["start"], &l["end"])),
        );
        if let Some(edits) = d["fix"]["edits"].as_array() {
            ranges.extend(edits.iter().map(|e| (file, &e["start"], &e["end"])));
        }
        for (file, start, end) in ranges {
            let text = fs::read_to_string(root().join(file)).unwrap();
            for point in [start, end] {
                let offset = point["offset"].as_u64().unwrap() as usize;
                let (line, col) = line_col(&text, offset);
                assert_eq!(point["line"], line, "{d}");
                assert_eq!(point["column"], col, "{d}");
                locations += 1;
            }
            assert!(start["offset"].as_u64() <= end["offset"].as_u64());
        }
    }
    assert!(locations > 30);
    // The unknown key after non-ASCII text: byte offsets and character columns differ.
    let base_ur = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["message"] == "unknown key `base_ur` in provider")
        .unwrap();
    let text = fs::read_to_string(root().join(FIXTURE).join("providers.yaml")).unwrap();
    let (start, end) = (
        base_ur["start"]["offset"].as_u64().unwrap() as usize,
        base_ur["end"]["offset"].as_u64().unwrap() as usize,
    );
    assert_eq!(&text[start..end], "base_ur");
    assert_eq!(base_ur["start"]["column"], 54);
    let line_start = text[..start].rfind('\n').unwrap() + 1;
    assert_eq!(
        start - line_start + 1,
        59,
        "bytes differ from characters here"
    );
}

// --- sarif -------------------------------------------------------------------------------------

#[test]
fn sarif_rules_mirror_the_registry() {
    let sarif = json(&check_fixture("sarif"));
    assert_eq!(sarif["version"], "2.1.0");
    let run = &sarif["runs"][0];
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    assert_eq!(run["invocations"][0]["executionSuccessful"], true);
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "aiblint");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(driver["informationUri"], env!("CARGO_PKG_REPOSITORY"));

    let rules = driver["rules"].as_array().unwrap();
    // Every rule, the live ones (`aiblint ports`, `aiblint probe`) included, in code order.
    assert_eq!(rules.len(), all_rules().len());
    for (descriptor, rule) in rules.iter().zip(all_rules()) {
        assert_eq!(descriptor["id"], rule.code);
        assert_eq!(descriptor["name"], rule.name);
        assert_eq!(descriptor["shortDescription"]["text"], rule.summary());
        assert_eq!(descriptor["fullDescription"]["text"], rule.description());
        assert_eq!(descriptor["help"]["markdown"], rule.docs().trim_end());
        assert_eq!(descriptor["help"]["text"], rule.docs().trim_end());
        assert_eq!(descriptor["helpUri"], rule.url());
        let level = match rule.severity.as_str() {
            "info" => "note",
            other => other,
        };
        assert_eq!(descriptor["defaultConfiguration"]["level"], level);
    }

    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 11);
    for result in results {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
        let uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap();
        assert!(uri.starts_with("fixtures/emit/"), "relative URI: {uri}");
    }
    // Secondary labels are related locations; fixes are replacements of regions.
    let cycle = results.iter().find(|r| r["ruleId"] == "L301").unwrap();
    assert_eq!(cycle["relatedLocations"].as_array().unwrap().len(), 1);
    let enum_fix = &results.iter().find(|r| r["ruleId"] == "S104").unwrap()["fixes"][0];
    let replacement = &enum_fix["artifactChanges"][0]["replacements"][0];
    assert_eq!(replacement["insertedContent"]["text"], "active");
    assert_eq!(replacement["deletedRegion"]["startLine"], 9);
    assert_eq!(replacement["deletedRegion"]["startColumn"], 13);
    assert_eq!(replacement["deletedRegion"]["endColumn"], 18);
}

#[test]
fn sarif_reports_an_unreadable_file_as_a_failed_execution() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("config/providers.yaml")).unwrap();
    fs::copy(
        root().join("config/model-mappings.yaml"),
        dir.path().join("config/model-mappings.yaml"),
    )
    .unwrap();
    let out = aiblint(dir.path(), &["check", "config", "--format", "sarif"]);
    assert_eq!(out.status.code(), Some(2));
    let sarif = json(&stdout(&out));
    let invocation = &sarif["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    let notification = &invocation["toolExecutionNotifications"][0];
    assert_eq!(notification["level"], "error");
    assert!(notification["message"]["text"]
        .as_str()
        .unwrap()
        .starts_with("cannot read config/providers.yaml: "));
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 1);
    assert_eq!(results[0]["ruleId"], "E008");
}

/// `(ruleId + message, fingerprint, startLine)` of each result of a SARIF run over `dir/emit`.
fn fingerprints(dir: &Path) -> Vec<(String, String, u64)> {
    let out = aiblint(dir, &["check", "emit", "--format", "sarif"]);
    assert_eq!(out.status.code(), Some(1));
    let sarif = json(&stdout(&out));
    sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                // The message's first line: the help may cite positions in other files.
                format!(
                    "{} {}",
                    r["ruleId"],
                    r["message"]["text"]
                        .as_str()
                        .unwrap()
                        .lines()
                        .next()
                        .unwrap()
                ),
                r["partialFingerprints"]["aiblint/v1"]
                    .as_str()
                    .unwrap()
                    .to_string(),
                r["locations"][0]["physicalLocation"]["region"]["startLine"]
                    .as_u64()
                    .unwrap(),
            )
        })
        .collect()
}

#[test]
fn sarif_fingerprints_survive_edits_elsewhere_in_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("emit");
    fs::create_dir(&copy).unwrap();
    for name in ["providers.yaml", "model-mappings.yaml", "ports.yaml"] {
        fs::copy(root().join(FIXTURE).join(name), copy.join(name)).unwrap();
    }
    let before = fingerprints(dir.path());
    let mut unique: Vec<&str> = before.iter().map(|(_, f, _)| f.as_str()).collect();
    unique.sort();
    unique.dedup();
    assert_eq!(
        unique.len(),
        before.len(),
        "fingerprints are unique in a run"
    );
    assert_eq!(before, fingerprints(dir.path()), "and stable across runs");

    // Lines added above every result move them, but do not change their fingerprints.
    for name in ["providers.yaml", "model-mappings.yaml", "ports.yaml"] {
        let text = fs::read_to_string(copy.join(name)).unwrap();
        fs::write(
            copy.join(name),
            format!("# reviewed 2026-11\n# by the gateway team\n\n{text}"),
        )
        .unwrap();
    }
    let after = fingerprints(dir.path());
    assert_eq!(before.len(), after.len());
    for ((key, fingerprint, line), (key_after, fingerprint_after, line_after)) in
        before.iter().zip(&after)
    {
        assert_eq!(key, key_after);
        assert_eq!(*line_after, line + 3, "{key}");
        assert_eq!(fingerprint, fingerprint_after, "{key}");
    }

    // Editing the offending line itself gives a new fingerprint.
    let providers = copy.join("providers.yaml");
    let text = fs::read_to_string(&providers).unwrap();
    fs::write(&providers, text.replace("status: actve", "status:   actve")).unwrap();
    let edited = fingerprints(dir.path());
    let changed: Vec<&String> = after
        .iter()
        .zip(&edited)
        .filter(|(a, b)| a.1 != b.1)
        .map(|(a, _)| &a.0)
        .collect();
    assert_eq!(changed.len(), 1, "{changed:?}");
    assert!(changed[0].starts_with("\"S104\" "), "{changed:?}");
}

// --- flags -------------------------------------------------------------------------------------

#[test]
fn output_file_receives_the_report_and_keeps_the_exit_status() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.sarif");
    let out = aiblint(
        root(),
        &[
            "check",
            FIXTURE,
            "--format",
            "sarif",
            "--output-file",
            path.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout(&out), "");
    let written = json(&fs::read_to_string(&path).unwrap());
    assert_eq!(written["runs"][0]["results"].as_array().unwrap().len(), 11);

    // The human format goes to the file too, summary included, without colour.
    let out = aiblint(
        root(),
        &[
            "check",
            FIXTURE,
            "--color",
            "always",
            "-o",
            path.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let written = fs::read_to_string(&path).unwrap();
    assert_eq!(written, check_fixture("full"));
    assert!(!written.contains('\u{1b}'));

    // A file that cannot be written is an I/O error.
    let missing = dir.path().join("no-such-dir").join("report.json");
    let out = aiblint(
        root(),
        &[
            "check",
            FIXTURE,
            "--format",
            "json",
            "--output-file",
            missing.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot write the report"));
}

#[test]
fn quiet_prints_diagnostics_only() {
    // Clean: nothing at all.
    let out = aiblint(root(), &["check", "--quiet"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout(&out), "");
    let out = aiblint(root(), &["check", "-q", "--format", "github"]);
    assert_eq!(stdout(&out), "");
    // Machine-readable documents are still written: an empty list is an answer.
    let out = aiblint(root(), &["check", "-q", "--format", "json"]);
    assert_eq!(json(&stdout(&out))["diagnostics"], Value::Array(Vec::new()));

    // With problems: the diagnostics, without the summary line.
    let out = aiblint(root(), &["check", FIXTURE, "--quiet"]);
    assert_eq!(out.status.code(), Some(1));
    let quiet = stdout(&out);
    let full = check_fixture("full");
    assert!(full.ends_with("Found 9 errors, 1 warning, 1 info in 3 files.\n"));
    assert_eq!(
        quiet,
        full.trim_end_matches("Found 9 errors, 1 warning, 1 info in 3 files.\n")
    );
}

#[test]
fn statistics_count_diagnostics_per_rule() {
    let out = aiblint(root(), &["check", FIXTURE, "--statistics"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "  2  S101  unknown-key");
    assert_eq!(lines[1], "  1  E002  duplicate-key");
    assert_eq!(lines[9], "  1  S104  invalid-enum");
    assert_eq!(lines[10], "");
    assert_eq!(lines[11], "Found 9 errors, 1 warning, 1 info in 3 files.");
    assert_eq!(lines.len(), 12);

    let out = aiblint(
        root(),
        &["check", FIXTURE, "--statistics", "--format", "json"],
    );
    let statistics = json(&stdout(&out));
    assert_eq!(
        statistics["statistics"][0],
        serde_json::json!({"code": "S101", "name": "unknown-key", "count": 2})
    );

    let out = aiblint(root(), &["check", "--statistics", "-q"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout(&out), "");

    let out = aiblint(root(), &["check", "--statistics", "--format", "sarif"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--statistics has no sarif form"));
}

// --- pre-commit ----------------------------------------------------------------------------------

/// The hook as pre-commit runs it: the `files` pattern picks the staged config files, and
/// `entry` gets them as arguments.
#[test]
fn the_pre_commit_hook_checks_the_files_it_matches() {
    let manifest = fs::read_to_string(root().join(".pre-commit-hooks.yaml")).unwrap();
    let parse = aiblint::syntax::parse(&manifest);
    assert!(parse.errors.is_empty(), "{:?}", parse.errors);
    let hooks = parse.root.unwrap();
    let hook = &hooks.as_sequence().unwrap()[0];
    let field = |key: &str| {
        hook.get(key)
            .and_then(|n| n.scalar_text())
            .unwrap()
            .to_string()
    };
    assert_eq!(field("id"), "aiblint");
    assert_eq!(field("language"), "rust");
    assert_eq!(field("pass_filenames"), "true");
    let files = regex::Regex::new(&field("files")).unwrap();
    for path in [
        "config/providers.yaml",
        "config/model-mappings.yml",
        "litellm-unified.yaml",
        "deploy/gateway/ports.yaml",
        "monitoring/grafana/dashboards/overview.json",
        "ops/monitoring/prometheus/alerts.yml",
    ] {
        assert!(files.is_match(path), "{path}");
    }
    for path in [
        "config/my-providers.yaml",
        "providers.json",
        "README.md",
        "monitoring/README.md",
        "web/package.json",
    ] {
        assert!(!files.is_match(path), "{path}");
    }

    let entry = field("entry");
    let mut words = entry.split_whitespace();
    assert_eq!(words.next(), Some("aiblint"));
    let staged = [
        "fixtures/emit/model-mappings.yaml",
        "fixtures/emit/ports.yaml",
        "README.md",
    ];
    let mut args: Vec<&str> = words.collect();
    args.extend(staged.iter().filter(|p| files.is_match(p)));
    args.extend(["--format", "concise"]);
    let out = aiblint(root(), &args);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    // The whole set of the staged files' directory is reported: the unstaged
    // providers.yaml too, since a change to one file can break another.
    assert!(text.contains(
        "fixtures/emit/model-mappings.yaml:10:15: error[R201] unknown provider `vllm-qwn`"
    ));
    assert!(text.contains("fixtures/emit/ports.yaml:9:9: error[P602]"));
    assert!(
        text.lines()
            .any(|l| l.starts_with("fixtures/emit/providers.yaml:")),
        "{text}"
    );
}

// --- labels in other files of the set ----------------------------------------------------

/// `aiblint check fixtures/emit/model-mappings.yaml`: only the mappings are named, as a
/// pre-commit hook names the files a commit changes; providers.yaml is read beside it.
fn check_mappings_only(format: &str) -> String {
    let out = aiblint(
        root(),
        &[
            "check",
            "fixtures/emit/model-mappings.yaml",
            "--format",
            format,
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    stdout(&out)
}

/// The line, 1-based, of the first occurrence of `needle` in a fixture file.
fn line_of(path: &str, needle: &str) -> u64 {
    common::line_of(root(), path, needle)
}

#[test]
fn full_output_frames_the_other_file_under_the_main_one() {
    let text = check_mappings_only("full");
    let r201 = text
        .split("\n\n")
        .find(|d| d.starts_with("error[R201]"))
        .unwrap_or_else(|| panic!("no R201 in {text}"));
    let line = line_of("fixtures/emit/providers.yaml", "  vllm-qwen:");
    let mappings = r201
        .find("┌─ fixtures/emit/model-mappings.yaml:10:15")
        .unwrap_or_else(|| panic!("{r201}"));
    let providers = r201
        .find(&format!("┌─ fixtures/emit/providers.yaml:{line}:3"))
        .unwrap_or_else(|| panic!("{r201}"));
    assert!(mappings < providers, "the main file comes first:\n{r201}");
    assert!(
        r201.contains(&format!("{line} │   vllm-qwen:")),
        "the other file's line is shown:\n{r201}"
    );
    assert!(r201.contains("`vllm-qwen` is defined here"), "{r201}");
    assert!(
        !text.contains("defined at"),
        "no position is pasted into prose:\n{text}"
    );
}

#[test]
fn sarif_related_locations_name_the_other_file() {
    let sarif = json(&check_mappings_only("sarif"));
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let r201 = results.iter().find(|r| r["ruleId"] == "R201").unwrap();
    let related = r201["relatedLocations"].as_array().unwrap();
    assert_eq!(related.len(), 1, "{r201:#}");
    let physical = &related[0]["physicalLocation"];
    assert_eq!(
        physical["artifactLocation"]["uri"],
        "fixtures/emit/providers.yaml"
    );
    assert_eq!(
        physical["region"]["startLine"],
        line_of("fixtures/emit/providers.yaml", "  vllm-qwen:")
    );
    assert_eq!(physical["region"]["startColumn"], 3);
    assert_eq!(related[0]["message"]["text"], "`vllm-qwen` is defined here");
    // The result itself stays in model-mappings.yaml.
    assert_eq!(
        r201["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "fixtures/emit/model-mappings.yaml"
    );
}

#[test]
fn json_labels_say_their_file() {
    let report = json(&check_mappings_only("json"));
    assert_valid(&schema_validator(), &report);
    let diagnostics = report["diagnostics"].as_array().unwrap();
    let r201 = diagnostics.iter().find(|d| d["code"] == "R201").unwrap();
    assert_eq!(r201["file"], "fixtures/emit/model-mappings.yaml");
    assert_eq!(r201["labels"][0]["file"], "fixtures/emit/providers.yaml");
    assert_eq!(
        r201["labels"][0]["start"]["line"],
        line_of("fixtures/emit/providers.yaml", "  vllm-qwen:")
    );
    let cycle = diagnostics.iter().find(|d| d["code"] == "L301").unwrap();
    assert_eq!(
        cycle["labels"][0]["file"],
        "fixtures/emit/model-mappings.yaml"
    );
}

#[test]
fn github_annotations_tell_the_other_position_in_the_message() {
    let text = check_mappings_only("github");
    let r201 = text
        .lines()
        .find(|l| l.contains("title=aiblint R201"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(
        r201.contains("file=fixtures/emit/model-mappings.yaml,line=10,"),
        "{r201}"
    );
    let line = line_of("fixtures/emit/providers.yaml", "  vllm-qwen:");
    assert!(
        r201.contains(&format!(
            "%0Afixtures/emit/providers.yaml:{line}:3: `vllm-qwen` is defined here"
        )),
        "{r201}"
    );
}

/// A secret on a line that a label in another file shows is masked, although that file is
/// only read beside the one checked and has no diagnostic of its own on show.
#[test]
fn secrets_in_the_other_file_of_a_frame_are_masked() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("providers.yaml"),
        "metadata:\n  schema_version: \"2.0.0\"\nproviders:\n  lan:\n    type: openai_compatible\n    \
         base_url: http://admin:Sup3rSecretPw@192.168.1.42:1234/v1\n    status: active\n    \
         description: LAN box\n    models:\n      - llama3\n",
    )
    .unwrap();
    fs::write(
        dir.path().join("ports.yaml"),
        "lan:\n  port: 1235\n  protocol: http\n  description: LAN box\n",
    )
    .unwrap();
    for format in ["full", "json", "sarif", "github"] {
        let out = aiblint(dir.path(), &["check", "ports.yaml", "--format", format]);
        let text = stdout(&out);
        assert!(text.contains("P602"), "{format}: {text}");
        assert!(
            !text.contains("Sup3rSecretPw"),
            "{format} prints the password:\n{text}"
        );
        if format == "full" {
            assert!(text.contains("┌─ providers.yaml:6:15"), "{text}");
            assert!(text.contains("http://admin:"), "{text}");
        }
    }
}
