//! The findings of issue #11 (and of the fuzzing it asked for), each as what a user sees
//! through the binary: files that are not files, files too large to read, ranges past the
//! end, migrations that changed a file's meaning, a character split in two, and inputs that
//! took minutes or gigabytes (their cost is measured by scripts/hostile-inputs.py and tabled
//! in docs/hostile-inputs.md; here, that the answers are right).

use crate::common;

use std::fs;
use std::io::Read;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::{stderr, stdout};
use serde_json::Value;

/// Nothing here takes more than a second; this only turns a hang into a failure.
const HANG: Duration = Duration::from_secs(60);

/// The binary run in `dir`, killed (and the test failed) if it does not finish.
fn run(dir: &Path, args: &[&str]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_aiblint"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Read as it comes, so that a full pipe never blocks the child.
    let drain = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            pipe.read_to_end(&mut bytes).unwrap();
            bytes
        })
    };
    let out = drain(Box::new(child.stdout.take().unwrap()));
    let err = drain(Box::new(child.stderr.take().unwrap()));
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > HANG {
            child.kill().unwrap();
            panic!("`aiblint {}` hung", args.join(" "));
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    Output {
        status,
        stdout: out.join().unwrap(),
        stderr: err.join().unwrap(),
    }
}

fn set(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("config")).unwrap();
    for (name, bytes) in files {
        fs::write(dir.path().join("config").join(name), bytes).unwrap();
    }
    dir
}

fn json(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout).unwrap()
}

const PROVIDERS: &str = "metadata:\n  schema_version: \"2.0.0\"\nproviders:\n  ollama:\n    type: ollama\n    base_url: http://127.0.0.1:11434\n    status: active\n    description: d\n    models: [llama3.1:8b]\n";

/// A FIFO named providers.yaml hung `check`, `versions` and `migrate --dry-run` (reading it
/// waits for a writer); /dev/zero was read until memory ran out; a symlink loop and a
/// directory are no better. Each is now an unreadable file (E008, exit 2), found without
/// reading, and the other files are still checked.
#[cfg(unix)]
#[test]
fn special_files_are_refused_without_reading() {
    type Make = fn(&Path);
    let cases: [(&str, Make); 4] = [
        ("a FIFO", |p| {
            rustix::fs::mkfifoat(rustix::fs::CWD, p, rustix::fs::Mode::from_raw_mode(0o600))
                .unwrap()
        }),
        ("a character device", |p| {
            std::os::unix::fs::symlink("/dev/zero", p).unwrap()
        }),
        ("a directory", |p| fs::create_dir(p).unwrap()),
        ("Too many levels of symbolic links", |p| {
            let other = p.with_file_name("ports.yaml");
            std::os::unix::fs::symlink(&other, p).unwrap();
            std::os::unix::fs::symlink(p, &other).unwrap();
        }),
    ];
    for (what, make) in cases {
        let dir = set(&[("model-mappings.yaml", b"exact_matchs: {}\n")]);
        make(&dir.path().join("config/providers.yaml"));
        let out = run(dir.path(), &["check", "config", "--format", "concise"]);
        assert_eq!(out.status.code(), Some(2), "{what}: {}", stdout(&out));
        let text = stdout(&out);
        assert!(
            text.contains("config/providers.yaml:1:1: error[E008]") && text.contains(what),
            "{what}: {text}"
        );
        assert!(
            text.contains("config/model-mappings.yaml:1:1: error[S101]"),
            "the other files are checked: {text}"
        );
        let out = run(dir.path(), &["versions", "config"]);
        assert_eq!(out.status.code(), Some(2), "{what}: {}", stdout(&out));
        let out = run(dir.path(), &["migrate", "--dry-run", "config"]);
        assert_eq!(out.status.code(), Some(2), "{what}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("cannot read config/"),
            "{what}: {}",
            stderr(&out)
        );
    }
}

/// A 3 GiB sparse file cost 8 s and 3 GiB of memory before E009 said it was too large: its
/// size is now read from its metadata, and nothing else.
#[test]
fn a_huge_sparse_file_is_reported_by_its_size() {
    let dir = set(&[("model-mappings.yaml", b"exact_matches: {}\n")]);
    let file = fs::File::create(dir.path().join("config/providers.yaml")).unwrap();
    file.set_len(3 << 30).unwrap();
    let out = run(dir.path(), &["check", "config", "--format", "concise"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out)
            .contains("error[E009] the file is 3072.0 MiB, above the 64 MiB aiblint analyses"),
        "{}",
        stdout(&out)
    );
}

/// E006 assumed a `---` of three characters where a document after `...` has none: its
/// range ran past the end of the file, or split a character, in JSON and SARIF.
#[test]
fn a_second_document_without_a_start_marker_is_pointed_at_inside_the_file() {
    let text = "exact_matches: {}\n...\né".as_bytes();
    let dir = set(&[("model-mappings.yaml", text)]);
    let out = run(dir.path(), &["check", "config", "--format", "json"]);
    let report = json(&out);
    let e006 = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "E006")
        .unwrap();
    let (start, end) = (
        e006["start"]["offset"].as_u64().unwrap() as usize,
        e006["end"]["offset"].as_u64().unwrap() as usize,
    );
    assert!(end <= text.len(), "{e006}");
    assert_eq!(&text[start..end], "é".as_bytes());
}

/// `size: "ȸ"` crashed `check` (a size's unit was cut at its last byte, inside a
/// character); found by the lint fuzz target.
#[test]
fn a_size_ending_in_a_wide_character_is_a_diagnostic() {
    let providers = PROVIDERS.replace(
        "models: [llama3.1:8b]",
        "models:\n      - name: m\n        size: \"ȸ\"",
    );
    let dir = set(&[("providers.yaml", providers.as_bytes())]);
    let out = run(dir.path(), &["check", "config", "--format", "concise"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("is not a model size like `7B`"),
        "{}",
        stdout(&out)
    );
}

/// A file holding only a byte-order mark: its code frame started before line 1 (an
/// overflow in the renderer); found by the emit fuzz target.
#[test]
fn a_file_of_only_a_byte_order_mark_is_shown() {
    let dir = set(&[("providers.yaml", "\u{feff}".as_bytes())]);
    let out = run(dir.path(), &["check", "config"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("config/providers.yaml:1:1"),
        "{}",
        stdout(&out)
    );
}

/// 40,000 unknown keys took 16 s; now every one (here, misspellings of `description`) is
/// still reported up to the per-rule cap, with the last saying how many more there are.
#[test]
fn many_unknown_keys_are_capped_per_rule() {
    let chars: Vec<char> = ('a'..='z').chain('0'..='9').collect();
    let keys: String = (0..1200)
        .map(|i| {
            let (a, b) = (chars[i / chars.len()], chars[i % chars.len()]);
            format!("    descriptio{a}{b}: d\n")
        })
        .collect();
    let providers = format!("{PROVIDERS}{keys}");
    let dir = set(&[("providers.yaml", providers.as_bytes())]);
    let out = run(dir.path(), &["check", "config", "--format", "json"]);
    let report = json(&out);
    let s101: Vec<&Value> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "S101")
        .collect();
    assert_eq!(s101.len(), 1001);
    let noted: Vec<&&Value> = s101.iter().filter(|d| !d["note"].is_null()).collect();
    assert_eq!(noted.len(), 1);
    assert!(
        noted[0]["note"]
            .as_str()
            .unwrap()
            .contains("199 more S101 diagnostics in this file are not shown"),
        "{}",
        noted[0]
    );
}

/// Merging a large anchor was quadratic (35 s for 20k keys): merged keys are still seen,
/// and the provider's own keys still win over merged ones.
#[test]
fn merge_keys_of_a_large_anchor_are_resolved() {
    let shared: String = (0..3000).map(|i| format!("  key_{i}: {i}\n")).collect();
    let providers = format!(
        "x-shared: &shared\n  type: ollama\n  status: disabled\n{shared}metadata:\n  schema_version: \"2.0.0\"\nproviders:\n  ollama:\n    <<: *shared\n    status: active\n    base_url: http://127.0.0.1:11434\n    description: d\n    models: [llama3.1:8b]\n"
    );
    let mappings = "metadata:\n  schema_version: \"2.0.0\"\nexact_matches:\n  llama3.1:8b:\n    provider: ollama\n    priority: primary\n";
    let dir = set(&[
        ("providers.yaml", providers.as_bytes()),
        ("model-mappings.yaml", mappings.as_bytes()),
    ]);
    let out = run(dir.path(), &["check", "config", "--format", "json"]);
    let codes: Vec<String> = json(&out)["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect();
    // `type` comes from the anchor; the own `status: active` wins (no L303 for a route to
    // a disabled provider); the merged extra keys are free-form extras of a provider.
    assert!(
        !codes.iter().any(|c| c == "S103" || c == "L303"),
        "{codes:?}"
    );
}

/// did-you-mean over thousands of provider ids for thousands of unknown references took
/// minutes: each unknown reference still gets the closest id.
#[test]
fn did_you_mean_scales_to_thousands_of_providers() {
    let mut providers = String::from("metadata:\n  schema_version: \"2.0.0\"\nproviders:\n");
    let mut mappings = String::from("metadata:\n  schema_version: \"2.0.0\"\nexact_matches:\n");
    for i in 0..1200 {
        providers += &format!("  gpu-box-{i:04}:\n    type: ollama\n    base_url: http://10.0.{}.{}:11434\n    status: active\n    description: d\n    models: [m-{i}]\n", i / 250, i % 250);
        mappings += &format!("  \"m-{i}\":\n    provider: gpu-bx-{i:04}\n    priority: primary\n");
    }
    let dir = set(&[
        ("providers.yaml", providers.as_bytes()),
        ("model-mappings.yaml", mappings.as_bytes()),
    ]);
    let out = run(dir.path(), &["check", "config", "--format", "json"]);
    let report = json(&out);
    let r201: Vec<&Value> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "R201")
        .collect();
    assert_eq!(r201.len(), 1001, "capped per rule");
    for d in r201.iter().take(1000) {
        let message = d["message"].as_str().unwrap();
        let typo = message
            .trim_start_matches("unknown provider `")
            .trim_end_matches('`');
        let expected = typo.replace("gpu-bx-", "gpu-box-");
        assert!(
            d["help"]
                .as_str()
                .unwrap()
                .starts_with(&format!("did you mean `{expected}`?")),
            "{d}"
        );
    }
}

/// `aiblint migrate` on the shapes whose migration changed the file's meaning, through the
/// binary: each file still means what it did, plus `schema_version`, minus the removed block.
#[test]
fn migrations_keep_the_meaning_of_the_file() {
    let cases: [(&str, &str, &str); 4] = [
        (
            "an indented root mapping",
            "  exact_matches:\n    llama3.1:8b:\n      provider: ollama\n",
            "  metadata:\n    schema_version: \"2.0.0\"\n  exact_matches:\n    llama3.1:8b:\n      provider: ollama\n",
        ),
        (
            "a blank line before `---`",
            "# head\n\n---\nexact_matches:\n  llama3.1:8b:\n    provider: ollama\n",
            "# head\n\n---\nmetadata:\n  schema_version: \"2.0.0\"\nexact_matches:\n  llama3.1:8b:\n    provider: ollama\n",
        ),
        (
            "an anchor redefined in a removed block",
            "exact_matches:\n  llama3.1:8b: &r {provider: ollama}\nspecial_cases:\n  x: &r {provider: gone}\nfallback_chains:\n  llama3.1:8b: {chain: []}\n  r: *r\n",
            "metadata:\n  schema_version: \"2.0.0\"\nexact_matches:\n  llama3.1:8b: &r {provider: ollama}\nfallback_chains:\n  llama3.1:8b: {chain: []}\n  r: &r {provider: gone}\n",
        ),
        (
            "an anchor defined only in a removed block",
            "special_cases:\n  x: &r\n    provider: ollama\nexact_matches:\n  llama3.1:8b: *r\n",
            "metadata:\n  schema_version: \"2.0.0\"\nexact_matches:\n  llama3.1:8b: &r\n    provider: ollama\n",
        ),
    ];
    for (what, before, after) in cases {
        let dir = set(&[("model-mappings.yaml", before.as_bytes())]);
        let out = run(dir.path(), &["migrate", "config", "--no-backup"]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{what}: {}{}",
            stdout(&out),
            stderr(&out)
        );
        let written = fs::read_to_string(dir.path().join("config/model-mappings.yaml")).unwrap();
        assert_eq!(written, after, "{what}");
    }
}

/// A `metadata` block that an alias repeats elsewhere is not migrated: `schema_version`
/// written into it would appear in every mapping that merges it. The file is left as it was.
#[test]
fn anchored_metadata_merged_elsewhere_is_left_for_the_user() {
    let before = "metadata: &shared\n  type: vllm\nproviders:\n  vllm-a:\n    <<: *shared\n    base_url: http://127.0.0.1:8001/v1\n";
    let dir = set(&[("providers.yaml", before.as_bytes())]);
    let out = run(dir.path(), &["migrate", "config", "--no-backup"]);
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    assert!(
        stderr(&out)
            .contains("cannot migrate config/providers.yaml: cannot migrate: `metadata` is"),
        "{}",
        stderr(&out)
    );
    let kept = fs::read_to_string(dir.path().join("config/providers.yaml")).unwrap();
    assert_eq!(kept, before);
}

/// An `include:` of a LiteLLM config is read too: naming a FIFO there must not hang `check`.
#[cfg(unix)]
#[test]
fn an_include_naming_a_fifo_does_not_hang() {
    let dir = set(&[(
        "litellm-unified.yaml",
        b"include:\n  - extra.yaml\nmodel_list: []\n",
    )]);
    let fifo = dir.path().join("config/extra.yaml");
    rustix::fs::mkfifoat(
        rustix::fs::CWD,
        &fifo,
        rustix::fs::Mode::from_raw_mode(0o600),
    )
    .unwrap();
    let out = run(dir.path(), &["check", "config", "--format", "concise"]);
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    assert!(
        stdout(&out).contains("config/extra.yaml:1:1: error[E008]"),
        "{}",
        stdout(&out)
    );
}
