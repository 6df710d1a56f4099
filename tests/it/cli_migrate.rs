//! `aiblint versions` and `aiblint migrate` end to end: the real binary on copies of the
//! legacy fixtures, checking exit codes, output, the bytes written, backups, permissions,
//! and the rollbacks (a write that fails, a migration that would add errors).

use crate::common;

use std::fs;
use std::path::Path;

use aiblint::diagnostic::apply_edits;
use aiblint::migrate::{plan, MigrationInput};
use aiblint::model::version::CURRENT;
use aiblint::model::FileKind;
use common::{
    aiblint_env as aiblint, copy_set, fixture, names, stderr_unwrapped as stderr, stdout, LEGACY,
    SET,
};
#[cfg(unix)]
use common::{mode, set_mode};

fn read(dir: &Path, name: &str) -> Vec<u8> {
    fs::read(dir.join("config").join(name)).unwrap()
}

#[test]
fn legacy_set_check_dry_run_migrate_and_again() {
    let dir = copy_set(LEGACY);
    let originals: Vec<Vec<u8>> = SET.iter().map(|n| read(dir.path(), n)).collect();
    #[cfg(unix)]
    set_mode(&dir.path().join("config/providers.yaml"), 0o640);

    // --check: pending, exit 1, nothing written.
    let out = aiblint(dir.path(), &["migrate", "--check"], &[]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    let text = stdout(&out);
    assert!(
        text.starts_with("config: 1.0.0 → 2.0.0: 1 step\n"),
        "{text}"
    );
    assert!(
        text.contains("would change config/providers.yaml"),
        "{text}"
    );
    assert!(
        text.contains("migration pending: run `aiblint migrate config`"),
        "{text}"
    );

    // --dry-run --diff: a unified diff, nothing written.
    let out = aiblint(dir.path(), &["migrate", "--dry-run", "--diff"], &[]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    for expected in [
        "--- a/config/providers.yaml\n+++ b/config/providers.yaml\n",
        "\n-    status: active                       # second active vLLM: fine in 1.x\n",
        "\n+  schema_version: \"2.0.0\"\n",
        "\n-special_cases:\n",
        "dry run: nothing written",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }
    for (name, original) in SET.iter().zip(&originals) {
        assert_eq!(&read(dir.path(), name), original, "--dry-run wrote {name}");
    }
    assert_eq!(names(&dir.path().join("config")), SET);

    // The migration itself.
    let out = aiblint(dir.path(), &["migrate"], &[]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    let text = stdout(&out);
    for expected in [
        "config: 1.0.0 → 2.0.0: 1 step",
        "providers.yaml: 2 active vLLM providers: vllm-qwen, vllm-dolphin — disabling vllm-dolphin",
        "wrote config/model-mappings.yaml (backup: config/model-mappings.yaml.backup-v1.0.0)",
        "wrote config/providers.yaml (backup: config/providers.yaml.backup-v1.0.0)",
        "Migrated 2 files to schema 2.0.0; `aiblint check`: no errors, 2 warning(s).",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }
    // The bytes written are the library's plan applied to the originals.
    let texts: Vec<String> = originals
        .iter()
        .map(|b| String::from_utf8(b.clone()).unwrap())
        .collect();
    let inputs = [
        MigrationInput {
            kind: FileKind::Mappings,
            text: &texts[0],
        },
        MigrationInput {
            kind: FileKind::Providers,
            text: &texts[1],
        },
    ];
    let planned = plan(&inputs, &CURRENT).unwrap();
    for (i, name) in SET.iter().enumerate() {
        let (expected, _) = apply_edits(&texts[i], planned.edits_for(i));
        assert_eq!(read(dir.path(), name), expected.as_bytes(), "{name}");
        let backup = read(dir.path(), &format!("{name}.backup-v1.0.0"));
        assert_eq!(
            backup, originals[i],
            "the backup of {name} is a byte-exact copy"
        );
    }
    #[cfg(unix)]
    {
        let config = dir.path().join("config");
        assert_eq!(
            mode(&config.join("providers.yaml")),
            0o640,
            "permissions kept"
        );
        assert_eq!(mode(&config.join("providers.yaml.backup-v1.0.0")), 0o640);
    }
    let listing = names(&dir.path().join("config"));
    assert_eq!(
        listing,
        [
            "model-mappings.yaml",
            "model-mappings.yaml.backup-v1.0.0",
            "providers.yaml",
            "providers.yaml.backup-v1.0.0"
        ],
        "no temp files remain"
    );

    // The result checks clean of errors.
    let out = aiblint(dir.path(), &["check", "--format", "concise"], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(!stdout(&out).contains("error["), "{}", stdout(&out));

    // A second migration changes nothing and makes no backup.
    let migrated: Vec<Vec<u8>> = SET.iter().map(|n| read(dir.path(), n)).collect();
    let out = aiblint(dir.path(), &["migrate"], &[]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        stdout(&out),
        "config: already at schema 2.0.0, nothing to migrate\n"
    );
    for (name, bytes) in SET.iter().zip(&migrated) {
        assert_eq!(&read(dir.path(), name), bytes);
    }
    assert_eq!(names(&dir.path().join("config")), listing);
    let out = aiblint(dir.path(), &["migrate", "--check"], &[]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "nothing pending after migrating"
    );

    // Going back is refused.
    let out = aiblint(dir.path(), &["migrate", "--to", "1.0.0"], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("refusing to downgrade from schema 2.0.0 to 1.0.0"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn backups_are_never_overwritten() {
    let dir = copy_set(LEGACY);
    let config = dir.path().join("config");
    fs::write(
        config.join("providers.yaml.backup-v1.0.0"),
        "an older backup\n",
    )
    .unwrap();
    fs::write(
        config.join("providers.yaml.backup-v1.0.0.1"),
        "and another\n",
    )
    .unwrap();
    let original = read(dir.path(), "providers.yaml");
    let out = aiblint(dir.path(), &["migrate"], &[]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    assert!(
        stdout(&out).contains("(backup: config/providers.yaml.backup-v1.0.0.2)"),
        "{}",
        stdout(&out)
    );
    assert_eq!(
        fs::read_to_string(config.join("providers.yaml.backup-v1.0.0")).unwrap(),
        "an older backup\n"
    );
    assert_eq!(
        fs::read_to_string(config.join("providers.yaml.backup-v1.0.0.1")).unwrap(),
        "and another\n"
    );
    assert_eq!(
        fs::read(config.join("providers.yaml.backup-v1.0.0.2")).unwrap(),
        original
    );
}

#[test]
fn no_backup_keeps_no_copies() {
    let dir = copy_set(LEGACY);
    let out = aiblint(dir.path(), &["migrate", "--no-backup"], &[]);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        stdout(&out).contains("wrote config/providers.yaml\n"),
        "{}",
        stdout(&out)
    );
    assert_eq!(names(&dir.path().join("config")), SET);
}

/// Fault injection: the second file's write fails after its temp file was written. The
/// first file, already replaced, is restored; no temp file and no backup remains.
#[test]
fn a_failed_write_restores_every_file() {
    for after in ["1", "0"] {
        let dir = copy_set(LEGACY);
        let originals: Vec<Vec<u8>> = SET.iter().map(|n| read(dir.path(), n)).collect();
        let out = aiblint(
            dir.path(),
            &["migrate"],
            &[("AIBLINT_FAIL_WRITE_AFTER", after)],
        );
        assert_eq!(
            out.status.code(),
            Some(2),
            "{}{}",
            stdout(&out),
            stderr(&out)
        );
        let failed = if after == "1" {
            "providers.yaml"
        } else {
            "model-mappings.yaml"
        };
        let err = stderr(&out);
        assert!(
            err.contains(&format!(
                "cannot write config/{failed}: injected failure (AIBLINT_FAIL_WRITE_AFTER)"
            )),
            "{err}"
        );
        assert!(
            err.contains("migration rolled back, every file is as it was"),
            "{err}"
        );
        if after == "1" {
            assert!(
                stdout(&out).contains("config: 1.0.0 → 2.0.0"),
                "the plan was shown"
            );
        }
        for (name, original) in SET.iter().zip(&originals) {
            assert_eq!(&read(dir.path(), name), original, "{name} is restored");
        }
        assert_eq!(
            names(&dir.path().join("config")),
            SET,
            "no temp file or backup remains"
        );
    }
}

/// Settings make L303 an error: disabling the second vLLM provider would add errors, so the
/// re-check after writing rolls the whole set back.
#[test]
fn a_migration_that_adds_errors_is_rolled_back() {
    let dir = copy_set(LEGACY);
    fs::write(
        dir.path().join("aiblint.toml"),
        "[rules]\ninactive-provider-route = \"error\"\n",
    )
    .unwrap();
    let originals: Vec<Vec<u8>> = SET.iter().map(|n| read(dir.path(), n)).collect();
    let out = aiblint(dir.path(), &["migrate"], &[]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    let text = stdout(&out);
    assert!(
        text.contains("error[L303]: exact match `dolphin-vllm` routes to `vllm-dolphin`"),
        "{text}"
    );
    assert!(
        stderr(&out).contains("migration rolled back: it would introduce 2 new errors (above); every file of config is restored"),
        "{}",
        stderr(&out)
    );
    for (name, original) in SET.iter().zip(&originals) {
        assert_eq!(&read(dir.path(), name), original, "{name} is restored");
    }
    assert_eq!(names(&dir.path().join("config")), SET);
}

#[test]
fn a_set_with_one_file_behind_is_brought_together() {
    let dir = copy_set("fixtures/migrate/v1-to-v2/mixed");
    let out = aiblint(dir.path(), &["check", "--format", "concise"], &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("error[V501]"), "{}", stdout(&out));
    let providers = read(dir.path(), "providers.yaml");
    let out = aiblint(dir.path(), &["migrate"], &[]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    assert!(stdout(&out).contains("wrote config/model-mappings.yaml"));
    assert!(!stdout(&out).contains("wrote config/providers.yaml"));
    assert_eq!(read(dir.path(), "providers.yaml"), providers);
    let out = aiblint(dir.path(), &["check"], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}

#[cfg(unix)]
#[test]
fn a_symlinked_file_stays_a_symlink() {
    let dir = copy_set(LEGACY);
    let config = dir.path().join("config");
    let real = dir.path().join("real-providers.yaml");
    fs::rename(config.join("providers.yaml"), &real).unwrap();
    std::os::unix::fs::symlink(&real, config.join("providers.yaml")).unwrap();
    let out = aiblint(dir.path(), &["migrate"], &[]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    let link = fs::symlink_metadata(config.join("providers.yaml")).unwrap();
    assert!(link.file_type().is_symlink());
    assert!(fs::read_to_string(&real)
        .unwrap()
        .contains("schema_version: \"2.0.0\""));
}

#[test]
fn usage_errors() {
    let dir = copy_set(LEGACY);
    let out = aiblint(dir.path(), &["migrate", "--to", "3.0.0"], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("unknown target schema version `3.0.0` (known: 1.0.0, 2.0.0)"),
        "{}",
        stderr(&out)
    );
    let out = aiblint(dir.path(), &["migrate", "--to", "banana"], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("`--to banana` is not a version"),
        "{}",
        stderr(&out)
    );
    let out = aiblint(dir.path(), &["migrate", "config/providers.yaml"], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("works on a whole config set"),
        "{}",
        stderr(&out)
    );
    let out = aiblint(dir.path(), &["migrate", "nowhere"], &[]);
    assert_eq!(out.status.code(), Some(2));
    fs::write(dir.path().join("config/providers.yaml"), "providers: [\n").unwrap();
    let out = aiblint(dir.path(), &["migrate"], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("cannot migrate config/providers.yaml: the file is not valid YAML"),
        "{}",
        stderr(&out)
    );
    // --to accepts a bare major version.
    let dir = copy_set(LEGACY);
    let out = aiblint(dir.path(), &["migrate", "--to", "2", "--dry-run"], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn versions_text_and_json() {
    let dir = copy_set(LEGACY);
    fs::copy(
        fixture("config/ports.yaml"),
        dir.path().join("config/ports.yaml"),
    )
    .unwrap();
    let out = aiblint(dir.path(), &["versions"], &[]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    for expected in [
        "schema versions in config (current: 2.0.0)",
        "config/providers.yaml       1.0.0  metadata.version \"1.7\" (free-form, line 13): incompatible with 2.0.0, migration required",
        "config/ports.yaml           -      not versioned",
        "breaking changes from 1.0.0 to 2.0.0:\n  - `metadata.schema_version` is required",
        "run `aiblint migrate config` to migrate",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }

    let out = aiblint(dir.path(), &["versions", "config", "--format", "json"], &[]);
    assert_eq!(out.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["version"], 1);
    assert_eq!(json["current"], "2.0.0");
    assert_eq!(json["known"][1]["version"], "2.0.0");
    assert_eq!(json["known"][1]["breaking"], true);
    let providers = &json["files"][2];
    assert_eq!(providers["path"], "config/providers.yaml");
    assert_eq!(providers["detected"], "1.0.0");
    assert_eq!(providers["declared"], "1.7");
    assert_eq!(providers["source"], "metadata.version");
    assert_eq!(providers["line"], 13);
    assert_eq!(providers["compatible"], false);
    assert_eq!(providers["migration_required"], true);
    assert_eq!(providers["breaking_changes"].as_array().unwrap().len(), 6);
    assert_eq!(json["files"][1]["status"], "not-versioned");

    assert_eq!(
        aiblint(dir.path(), &["migrate"], &[]).status.code(),
        Some(0)
    );
    let out = aiblint(dir.path(), &["versions", "--format", "json"], &[]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["files"][2]["status"], "current");
    assert_eq!(json["files"][2]["migration_required"], false);
    assert_eq!(
        json["files"][2]["breaking_changes"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
}

/// A set with a generated litellm-unified.yaml migrates: the generated file going stale is
/// expected (it is reported, with the command to refresh it), not a reason to roll back.
#[test]
fn a_generated_config_going_stale_does_not_roll_back_the_migration() {
    let dir = tempfile::tempdir().unwrap();
    let legacy =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/sets/legacy-homelab");
    for name in ["providers.yaml", "model-mappings.yaml"] {
        std::fs::copy(legacy.join(name), dir.path().join(name)).unwrap();
    }
    let bin = env!("CARGO_BIN_EXE_aiblint");
    let run = |args: &[&str]| {
        std::process::Command::new(bin)
            .args(args)
            .current_dir(dir.path())
            .output()
            .unwrap()
    };
    assert_eq!(run(&["generate", "."]).status.code(), Some(0));
    let out = run(&["migrate", "."]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("run `aiblint generate`"), "{text}");
    assert!(text.contains("`aiblint check`: no errors"), "{text}");
    assert_eq!(run(&["generate", "."]).status.code(), Some(0));
    let out = run(&["check", "."]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

/// A hand-written litellm-unified.yaml beside a 1.x set: the migration lifts its LiteLLM
/// settings into a new litellm-settings.yaml (never overwriting one), says what it left
/// behind and why, and a rollback removes the file it created.
#[test]
fn a_hand_written_litellm_config_has_its_settings_lifted() {
    let hand_written = "\
model_list:
  - model_name: private-model
    litellm_params:
      model: openai/private-model
      api_base: http://10.0.0.5:9000/v1
litellm_settings:
  request_timeout: 60
  fallbacks: [{\"llama3.1:8b\": [\"private-model\"]}]
router_settings:
  cooldown_time: 30
  lab_extensions: {note: kept by our script}
server_settings:
  port: 4000
";
    let dir = copy_set(LEGACY);
    fs::write(dir.path().join("config/litellm-unified.yaml"), hand_written).unwrap();

    let dry = aiblint(dir.path(), &["migrate", "--dry-run"], &[]);
    assert_eq!(dry.status.code(), Some(0), "{}", stderr(&dry));
    let plan = stdout(&dry);
    assert!(
        plan.contains("would create config/litellm-settings.yaml"),
        "{plan}"
    );
    assert!(
        plan.contains("`server_settings`: LiteLLM ignores this section"),
        "{plan}"
    );
    assert!(
        plan.contains("`router_settings.lab_extensions`: not a Router setting; LiteLLM drops it"),
        "{plan}"
    );
    assert!(!dir.path().join("config/litellm-settings.yaml").exists());

    let out = aiblint(dir.path(), &["migrate", "--no-backup"], &[]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    assert!(stdout(&out).contains("created config/litellm-settings.yaml"));
    let settings = String::from_utf8(read(dir.path(), "litellm-settings.yaml")).unwrap();
    // The settings LiteLLM honours; the module-level fallbacks move to the router, where
    // `aiblint generate` merges them; the deployment the sources do not define is kept whole.
    for wanted in [
        "litellm_settings:\n  request_timeout: 60\n",
        "router_settings:\n  cooldown_time: 30\n  fallbacks:\n    - \"llama3.1:8b\":\n        - private-model\n",
        "  - model_name: private-model\n    litellm_params:\n      model: openai/private-model\n",
    ] {
        assert!(settings.contains(wanted), "no {wanted:?} in\n{settings}");
    }
    assert!(!settings.contains("server_settings"), "{settings}");
    assert!(!settings.contains("lab_extensions"), "{settings}");

    // Generating from the migrated set keeps them.
    let generated = aiblint(dir.path(), &["generate", "-o", "-"], &[]);
    let text = stdout(&generated);
    assert!(text.contains("  request_timeout: 60\n"), "{text}");
    assert!(text.contains("  cooldown_time: 30\n"), "{text}");
    assert!(text.contains("- model_name: private-model\n"), "{text}");

    // A second migration has nothing to do and creates nothing.
    let again = aiblint(dir.path(), &["migrate"], &[]);
    assert!(
        stdout(&again).contains("nothing to migrate"),
        "{}",
        stdout(&again)
    );

    // A migration rolled back (settings make its new warnings errors) leaves no new file.
    let dir = copy_set(LEGACY);
    fs::write(dir.path().join("config/litellm-unified.yaml"), hand_written).unwrap();
    fs::write(
        dir.path().join("aiblint.toml"),
        "[rules]\ninactive-provider-route = \"error\"\n",
    )
    .unwrap();
    let out = aiblint(dir.path(), &["migrate"], &[]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(!dir.path().join("config/litellm-settings.yaml").exists());
}
