//! `aiblint migrate` and what it must never do to the files of a set: show a private file's
//! backup to others, or overwrite an edit made while it was migrating.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const LEGACY: &str = "fixtures/sets/legacy-homelab";
const SET: [&str; 2] = ["model-mappings.yaml", "providers.yaml"];

/// The line the test hook `AIBLINT_TOUCH_BEFORE_WRITE` appends.
const CONCURRENT_EDIT: &[u8] = b"# edited while aiblint was migrating\n";

fn aiblint(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_aiblint"));
    command.args(args).current_dir(dir).env("NO_COLOR", "1");
    for (k, v) in env {
        command.env(k, v);
    }
    command.output().expect("runs")
}

fn output(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Stderr with line wrapping undone: runs of whitespace and `│` become one space.
fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr)
        .split(|c: char| c.is_whitespace() || c == '│')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A temp dir with `config/` holding a copy of the legacy set.
fn copy_set() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config");
    fs::create_dir(&config).unwrap();
    let from = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(LEGACY);
    for entry in fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        fs::copy(&path, config.join(path.file_name().unwrap())).unwrap();
    }
    dir
}

fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// A private providers.yaml (it may hold API keys) gets a private backup, and stays private.
/// (The backup is created with this mode, not chmod'ed after writing: see the unit test
/// `a_backup_is_created_with_the_original_mode` in src/cli/migrate.rs.)
#[cfg(unix)]
#[test]
fn a_private_file_gets_a_private_backup() {
    use std::os::unix::fs::PermissionsExt;
    let dir = copy_set();
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
#[test]
fn a_file_edited_while_migrating_is_not_overwritten() {
    for touched in SET {
        let dir = copy_set();
        let config = dir.path().join("config");
        let originals: Vec<Vec<u8>> = SET
            .iter()
            .map(|n| fs::read(config.join(n)).unwrap())
            .collect();
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
    let dir = copy_set();
    let out = aiblint(dir.path(), &["migrate", "--no-backup"], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", output(&out));
    assert_eq!(names(&dir.path().join("config")), SET);
}
