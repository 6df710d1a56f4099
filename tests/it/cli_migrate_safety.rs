//! `aiblint migrate` and what it must never do to the files of a set: show a private file's
//! backup to others, or overwrite an edit made while it was migrating.

use crate::common;

use std::fs;
use std::path::Path;
use std::process::Output;

#[cfg(unix)]
use common::mode;
use common::{copy_set, names, stderr_unwrapped as stderr, LEGACY, SET};

/// The line the test hook `AIBLINT_TOUCH_BEFORE_WRITE` appends.
const CONCURRENT_EDIT: &[u8] = b"# edited while aiblint was migrating\n";

/// The binary run in `dir` with `NO_COLOR=1` and then `env` set.
fn aiblint(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    common::aiblint_env(dir, args, &[&[("NO_COLOR", "1")], env].concat())
}

/// The bytes of the set's files, in `SET` order.
fn contents(config: &Path) -> Vec<Vec<u8>> {
    SET.iter()
        .map(|n| fs::read(config.join(n)).unwrap())
        .collect()
}

fn output(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// A private providers.yaml (it may hold API keys) gets a private backup, and stays private.
/// (The backup is created with this mode, not chmod'ed after writing: see the unit test
/// `a_backup_is_created_with_the_original_mode` in src/cli/migrate.rs.)
#[cfg(unix)]
#[test]
fn a_private_file_gets_a_private_backup() {
    use std::os::unix::fs::PermissionsExt;
    let dir = copy_set(LEGACY);
    let config = dir.path().join("config");
    let providers = config.join("providers.yaml");
    fs::set_permissions(&providers, fs::Permissions::from_mode(0o600)).unwrap();
    let out = aiblint(dir.path(), &["migrate"], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", output(&out));
    assert_eq!(mode(&config.join("providers.yaml.backup-v1.0.0")), 0o600);
    assert_eq!(mode(&providers), 0o600);
}

/// A file edited after the plan was made and before it is written: the migration is
/// abandoned (exit 2), the edit is kept, every other file is as it was, no backup remains.
/// Touching the second file written (providers.yaml) proves the first is put back.
// The concurrent-edit hook is compiled into debug builds only (src/cli/migrate.rs).
#[cfg(debug_assertions)]
#[test]
fn a_file_edited_while_migrating_is_not_overwritten() {
    for touched in SET {
        let dir = copy_set(LEGACY);
        let config = dir.path().join("config");
        let originals = contents(&config);
        let target = format!("config/{touched}");
        let out = aiblint(
            dir.path(),
            &["migrate"],
            &[("AIBLINT_TOUCH_BEFORE_WRITE", &target)],
        );
        assert_eq!(out.status.code(), Some(2), "{}", output(&out));
        let err = stderr(&out);
        assert!(
            err.contains(&format!(
                "config/{touched} changed on disk while migrating; migration abandoned, nothing was changed"
            )),
            "{err}"
        );
        assert!(!err.contains("except"), "{err}");
        for (name, original) in SET.iter().zip(&originals) {
            let mut expected = original.clone();
            if *name == touched {
                expected.extend_from_slice(CONCURRENT_EDIT);
            }
            assert!(
                fs::read(config.join(name)).unwrap() == expected,
                "{name} is not as the concurrent edit left it"
            );
        }
        assert_eq!(names(&config), SET, "no temp file or backup remains");
    }
}

/// Without the hook, the same set migrates (the check compares with the right bytes).
#[test]
fn an_untouched_set_migrates() {
    let dir = copy_set(LEGACY);
    let out = aiblint(dir.path(), &["migrate", "--no-backup"], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", output(&out));
    assert_eq!(names(&dir.path().join("config")), SET);
}

/// The journal an interrupted migration leaves in the set's directory.
const JOURNAL: &str = ".aiblint-migrate.journal";

/// kill -9 at three points of the transaction (before any file is replaced, after one, after
/// both): the backups already made are whole copies; `check` says the set may be half
/// migrated; `migrate --dry-run` refuses to plan over it; the next `migrate` puts every file
/// back, then migrates to exactly what an uninterrupted run writes, and leaves one backup per
/// file, no journal and no temporary file.
#[cfg(unix)]
#[test]
fn a_migration_killed_midway_is_undone_by_the_next_run() {
    let clean = copy_set(LEGACY);
    let out = aiblint(clean.path(), &["migrate"], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", output(&out));
    let config = clean.path().join("config");
    let migrated = contents(&config);
    for crash_after in ["0", "1", "2"] {
        let dir = copy_set(LEGACY);
        let config = dir.path().join("config");
        let originals = contents(&config);
        let out = aiblint(
            dir.path(),
            &["migrate"],
            &[("AIBLINT_CRASH_AFTER", crash_after)],
        );
        assert_eq!(
            out.status.code(),
            None,
            "killed by a signal: {}",
            output(&out)
        );
        assert!(config.join(JOURNAL).exists(), "the journal stays");
        for (name, original) in SET.iter().zip(&originals) {
            let backup = fs::read(config.join(format!("{name}.backup-v1.0.0"))).unwrap();
            assert!(&backup == original, "{name}: the backup is a whole copy");
        }
        let check = aiblint(dir.path(), &["check"], &[]);
        assert!(
            stderr(&check).contains(
                "a migration of config was interrupted and may have left it half migrated"
            ),
            "{}",
            output(&check)
        );
        let dry = aiblint(dir.path(), &["migrate", "--dry-run"], &[]);
        assert_eq!(dry.status.code(), Some(2), "{}", output(&dry));
        assert!(
            stderr(&dry).contains("a migration of config was interrupted"),
            "{}",
            output(&dry)
        );

        let out = aiblint(dir.path(), &["migrate"], &[]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "after {crash_after}: {}",
            output(&out)
        );
        let restored = output(&out)
            .matches("as it was before an interrupted migration")
            .count();
        assert_eq!(restored.to_string(), crash_after, "{}", output(&out));
        for ((name, original), migrated) in SET.iter().zip(&originals).zip(&migrated) {
            assert!(
                &fs::read(config.join(name)).unwrap() == migrated,
                "{name}: migrated"
            );
            let backup = fs::read(config.join(format!("{name}.backup-v1.0.0"))).unwrap();
            assert!(&backup == original, "{name}: its backup is the original");
        }
        let expected: Vec<String> = SET
            .iter()
            .flat_map(|n| [n.to_string(), format!("{n}.backup-v1.0.0")])
            .collect();
        let mut expected = expected;
        expected.sort();
        assert_eq!(
            names(&config),
            expected,
            "after {crash_after}: no journal, no temp file"
        );
    }
}

/// A file edited between the crash and the next run is not put back over the edit: the run
/// says so, keeps its backup, restores the other file, and does not migrate.
#[cfg(unix)]
#[test]
fn recovery_leaves_a_file_edited_since_the_crash() {
    let dir = copy_set(LEGACY);
    let config = dir.path().join("config");
    let mappings = fs::read(config.join("model-mappings.yaml")).unwrap();
    let out = aiblint(dir.path(), &["migrate"], &[("AIBLINT_CRASH_AFTER", "2")]);
    assert_eq!(out.status.code(), None, "{}", output(&out));
    let mut edited = fs::read(config.join("providers.yaml")).unwrap();
    edited.extend_from_slice(CONCURRENT_EDIT);
    fs::write(config.join("providers.yaml"), &edited).unwrap();
    let out = aiblint(dir.path(), &["migrate"], &[]);
    assert_eq!(out.status.code(), Some(2), "{}", output(&out));
    let err = stderr(&out);
    assert!(err.contains("providers.yaml changed since the interrupted migration and is left as it is; its original is in"), "{err}");
    assert_eq!(fs::read(config.join("providers.yaml")).unwrap(), edited);
    assert!(fs::read(config.join("model-mappings.yaml")).unwrap() == mappings);
    assert!(config.join("providers.yaml.backup-v1.0.0").exists());
    assert!(!config.join(JOURNAL).exists());
}

/// A process that still has a file open when it is replaced could write to the original
/// after migrate last looked at it: migrate waits a moment for it to close the file, and when
/// it does not, keeps the original as `<file>.aiblint-replaced`, where such a write lands.
#[cfg(target_os = "linux")]
#[test]
fn an_original_still_open_elsewhere_is_kept_aside() {
    use std::io::Write;
    let dir = copy_set(LEGACY);
    let config = dir.path().join("config");
    let mut held = fs::OpenOptions::new()
        .append(true)
        .open(config.join("providers.yaml"))
        .unwrap();
    let out = aiblint(dir.path(), &["migrate", "--no-backup"], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", output(&out));
    assert!(
        stderr(&out).contains("another process still has the replaced")
            && stderr(&out).contains("providers.yaml.aiblint-replaced"),
        "{}",
        output(&out)
    );
    held.write_all(CONCURRENT_EDIT).unwrap();
    let kept = fs::read(config.join("providers.yaml.aiblint-replaced")).unwrap();
    assert!(kept.ends_with(CONCURRENT_EDIT), "the late write is kept");
    assert!(!config.join("model-mappings.yaml.aiblint-replaced").exists());
}

/// A migration that also creates litellm-settings.yaml (settings lifted from a hand-written
/// litellm-unified.yaml), killed after it created it: the next run removes the file it
/// created with the rest of the undo, then migrates and creates it again.
#[cfg(unix)]
#[test]
fn a_file_created_by_a_killed_migration_is_removed_by_the_next_run() {
    let dir = copy_set(LEGACY);
    let config = dir.path().join("config");
    fs::write(
        config.join("litellm-unified.yaml"),
        "model_list: []\ngeneral_settings:\n  master_key: os.environ/LITELLM_MASTER_KEY\n",
    )
    .unwrap();
    let out = aiblint(dir.path(), &["migrate"], &[("AIBLINT_CRASH_AFTER", "2")]);
    assert_eq!(out.status.code(), None, "{}", output(&out));
    assert!(config.join("litellm-settings.yaml").exists());
    let out = aiblint(dir.path(), &["migrate"], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", output(&out));
    let text = output(&out);
    assert!(
        text.contains(
            "removed config/litellm-settings.yaml, which an interrupted migration created"
        ),
        "{text}"
    );
    assert!(
        text.contains("created config/litellm-settings.yaml"),
        "{text}"
    );
    assert!(!config.join(JOURNAL).exists());
}
