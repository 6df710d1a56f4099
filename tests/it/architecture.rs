//! Architecture invariants of ARCHITECTURE.md, checked by reading the sources.

use std::fs;
use std::path::{Path, PathBuf};

fn sources() -> Vec<(String, String)> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    walk(&root.join("src"), &mut files);
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let rel = p
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (rel, fs::read_to_string(&p).unwrap())
        })
        .collect()
}

fn offenders(allowed: impl Fn(&str) -> bool, needle: &str) -> Vec<String> {
    sources()
        .into_iter()
        .filter(|(path, text)| !allowed(path) && mentions(text, needle))
        .map(|(path, _)| path)
        .collect()
}

/// Whether `text` contains `needle` as a whole name: `println!` is not found in `eprintln!`.
fn mentions(text: &str, needle: &str) -> bool {
    text.match_indices(needle).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        !before.is_some_and(|c| c.is_alphanumeric() || c == '_')
    })
}

/// A source file longer than 500 lines says in its header why it is one file (a `//! Size:`
/// line), so that the module map stays easy to read and a long file is a decision.
#[test]
fn a_long_source_file_says_why_it_is_one_file() {
    for (path, text) in sources() {
        let lines = text.lines().count();
        let says_why = text
            .lines()
            .take_while(|line| line.starts_with("//!"))
            .any(|line| line.starts_with("//! Size:"));
        assert!(
            lines <= 500 || says_why,
            "{path} has {lines} lines: split it, or say in a `//! Size:` line of its header why it is one file"
        );
    }
}

#[test]
fn every_source_file_states_its_job() {
    for (path, text) in sources() {
        assert!(
            text.starts_with("//!"),
            "{path} must open with a `//!` line saying what it is for"
        );
    }
}

#[test]
fn nothing_imports_the_cli() {
    let bad = offenders(
        |p| p.starts_with("src/cli/") || p == "src/main.rs" || p == "src/lib.rs",
        "crate::cli",
    );
    assert!(bad.is_empty(), "only main.rs may call into cli: {bad:?}");
}

#[test]
fn only_the_cli_and_the_language_server_do_io() {
    let cli = |p: &str| p.starts_with("src/cli/") || p == "src/main.rs";
    let lsp = |p: &str| p.starts_with("src/lsp/");
    let host = |p: &str| p.starts_with("src/host/");
    // The language server reads the unopened files of a config set and logs to stderr; both
    // find a set's files and settings and read them through `src/workspace/` (its bounded
    // reader, `read.rs`).
    let reader = |p: &str| p.starts_with("src/workspace/");
    let bad = offenders(|p| cli(p) || lsp(p) || host(p) || reader(p), "std::fs");
    assert!(
        bad.is_empty(),
        "`std::fs` outside src/cli, src/lsp, src/host and src/workspace: {bad:?}"
    );
    let bad = offenders(|p| cli(p) || lsp(p) || host(p), "eprintln!");
    assert!(
        bad.is_empty(),
        "`eprintln!` outside src/cli, src/lsp and src/host: {bad:?}"
    );
    // `host` reads the live state of the machine for `aiblint ports` and `aiblint probe`
    // (sockets, /proc, HTTP, Redis): nothing else opens a connection or reads /proc, and only
    // the CLI calls it.
    for needle in [
        "ureq",
        "redis::",
        "procfs",
        "std::net::TcpStream",
        "UdpSocket",
    ] {
        let bad = offenders(|p| p.starts_with("src/host/"), needle);
        assert!(bad.is_empty(), "`{needle}` outside src/host: {bad:?}");
    }
    let bad = offenders(
        |p| p.starts_with("src/host/") || cli(p) || p == "src/lib.rs",
        "crate::host",
    );
    assert!(bad.is_empty(), "only the CLI calls host: {bad:?}");
    let bad = offenders(|p| p.starts_with("src/host/"), "std::env");
    // The workspace asks for the current directory only, to show paths relative to it.
    assert!(
        bad.iter()
            .all(|p| p.starts_with("src/cli/") || p == "src/workspace/paths.rs"),
        "the environment is read by the CLI only (live plans take an `env` function): {bad:?}"
    );
    for needle in ["std::process", "println!", "std::io::stdout"] {
        let bad = offenders(|p| cli(p), needle);
        assert!(bad.is_empty(), "`{needle}` outside src/cli: {bad:?}");
    }
}

#[test]
fn the_language_server_keeps_stdout_for_the_protocol() {
    // stdout carries JSON-RPC frames: only the transport writes there, never a print
    // (`print!`, `println!` and `dbg!` are denied by clippy in src/lsp/mod.rs).
    let bad: Vec<String> = sources()
        .into_iter()
        .filter(|(p, text)| p.starts_with("src/lsp/") && mentions(text, "std::io::stdout"))
        .map(|(p, _)| p)
        .collect();
    assert!(
        bad.is_empty(),
        "`std::io::stdout` in the language server: {bad:?}"
    );
    let bad = offenders(|p| p == "src/lsp/mod.rs", "tokio::io::stdout");
    assert!(
        bad.is_empty(),
        "stdout is opened only by lsp::serve: {bad:?}"
    );
}

#[test]
fn only_the_language_server_names_lsp_types() {
    for needle in ["tower_lsp", "lsp_types"] {
        let bad = offenders(|p| p.starts_with("src/lsp/"), needle);
        assert!(bad.is_empty(), "`{needle}` outside src/lsp: {bad:?}");
    }
    let bad = offenders(
        |p| p.starts_with("src/lsp/") || p.starts_with("src/emit/"),
        "Serialize",
    );
    assert!(bad.is_empty(), "only emit and lsp serialise: {bad:?}");
}

#[test]
fn only_syntax_knows_saphyr() {
    let bad = offenders(|p| p.starts_with("src/syntax/"), "saphyr");
    assert!(bad.is_empty(), "saphyr outside src/syntax: {bad:?}");
    let bad = offenders(|p| p == "src/syntax/markers.rs", ".index()");
    assert!(
        bad.is_empty(),
        "marker indices are read only in syntax/markers.rs: {bad:?}"
    );
}

#[test]
fn only_text_computes_lines_and_columns() {
    let bad = offenders(|p| p == "src/text.rs", "struct LineIndex");
    assert!(bad.is_empty(), "{bad:?}");
    for (path, text) in sources() {
        let rule_file = path.starts_with("src/rules/") && !path.ends_with("/mod.rs");
        if !(path.starts_with("src/emit/") || rule_file || path == "src/lint.rs") {
            continue;
        }
        for needle in [".chars().count()", ".lines()"] {
            assert!(
                !text.contains(needle),
                "{path} computes positions itself (`{needle}`); use text::LineIndex"
            );
        }
    }
}

#[test]
fn the_core_never_panics_on_purpose() {
    for (path, text) in sources() {
        // A module's unit tests may live in its own `tests.rs`.
        if path.starts_with("src/cli/") || path.ends_with("/tests.rs") {
            continue;
        }
        let code = text.split("#[cfg(test)]").next().unwrap();
        for needle in [".unwrap()", ".expect(", "panic!(", "unreachable!("] {
            assert!(
                !code.contains(needle),
                "{path} uses `{needle}` outside tests"
            );
        }
    }
}

#[test]
fn rules_live_one_per_file() {
    for (path, text) in sources() {
        let Some(name) = path.strip_prefix("src/rules/") else {
            continue;
        };
        if ["mod.rs", "context.rs", "live_context.rs", "tests.rs"].contains(&name) {
            continue;
        }
        assert_eq!(
            text.matches("declare_rule! {").count(),
            1,
            "{path} must declare exactly one rule"
        );
        let module = name.trim_end_matches(".rs");
        let registry =
            fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/rules/mod.rs"))
                .unwrap();
        assert!(
            registry.contains(&format!("(&{module}::RULE, {module}::check)")),
            "{path} is not in ALL_RULES"
        );
    }
}

#[test]
fn the_generator_reads_the_model_only() {
    let mut seen = 0;
    for (path, text) in sources() {
        if !path.starts_with("src/generate/") {
            continue;
        }
        seen += 1;
        // The YAML writer (`syntax::writer`) is how it writes; the tree is off limits.
        let code = text.split("#[cfg(test)]").next().unwrap();
        let code = code.replace("crate::syntax::writer", "");
        for needle in [
            "crate::syntax",
            "crate::rules",
            "crate::lint",
            "crate::diagnostic",
            "crate::emit",
            "crate::settings",
        ] {
            assert!(
                !code.contains(needle),
                "{path} uses `{needle}`: the generator is a pure function of the typed model"
            );
        }
    }
    assert!(seen > 0, "no src/generate/");
}

#[test]
fn migrate_plans_edits_and_knows_no_rules() {
    // DESIGN §3: migrate → model, syntax, diagnostic, text; never lint, rules, emit or IO.
    for (path, text) in sources() {
        if !path.starts_with("src/migrate/") {
            continue;
        }
        for needle in [
            "crate::lint",
            "crate::rules",
            "crate::emit",
            "crate::settings",
            "crate::cli",
        ] {
            assert!(!text.contains(needle), "{path} uses `{needle}`");
        }
    }
    let bad = offenders(
        |p| {
            p.starts_with("src/migrate/")
                || p.starts_with("src/cli/")
                || p.starts_with("src/lsp/")
                || p == "src/lib.rs"
        },
        "crate::migrate",
    );
    assert!(bad.is_empty(), "only cli and lsp call migrate: {bad:?}");
}

#[test]
fn only_emit_and_lsp_serialize() {
    for (path, text) in sources() {
        if path.starts_with("src/emit/") || path.starts_with("src/lsp/") {
            continue;
        }
        assert!(
            !text.replace("Deserialize", "").contains("Serialize"),
            "{path} derives or names Serialize; output shapes belong to emit (or lsp)"
        );
    }
    // Within emit, the JSON DTOs live in json.rs (diagnostics), versions.rs (the
    // `aiblint versions --format json` report) and generate.rs (the `aiblint generate
    // --format json` report); SARIF uses serde-sarif's model, named only in sarif.rs.
    let bad = offenders(
        |p| {
            p == "src/emit/json.rs"
                || p == "src/emit/versions.rs"
                || p == "src/emit/generate.rs"
                || p.starts_with("src/lsp/")
        },
        "derive(Serialize",
    );
    assert!(bad.is_empty(), "DTOs belong in src/emit/json.rs: {bad:?}");
    let bad = offenders(|p| p == "src/emit/sarif.rs", "serde_sarif");
    assert!(
        bad.is_empty(),
        "serde_sarif outside src/emit/sarif.rs: {bad:?}"
    );
}

#[test]
fn rules_know_neither_settings_nor_outputs() {
    // Rules read the model (and the generator, for G401) and return diagnostics; settings
    // are applied by lint, outputs by emit, and migrations never reach rules.
    for (path, text) in sources() {
        if !path.starts_with("src/rules/") {
            continue;
        }
        for needle in [
            "crate::settings",
            "crate::lint",
            "crate::emit",
            "crate::migrate",
            "crate::lsp",
            "crate::cli",
        ] {
            assert!(!text.contains(needle), "{path} uses `{needle}`");
        }
    }
}

/// Rule policy lives in rule metadata (`RuleMeta`: tag, fix applicability, whether a
/// migration resolves it, whether it judges the generated config): outside `rules/`, no code
/// names a rule by its code, except in tests.
#[test]
fn only_rules_name_rule_codes() {
    let is_code = |s: &str| {
        s.len() == 4 && "ESRLGVPDH".contains(&s[..1]) && s[1..].bytes().all(|b| b.is_ascii_digit())
    };
    for (path, text) in sources() {
        // Unit tests in a file of their own are tests too.
        if path.starts_with("src/rules/") || path.ends_with("/tests.rs") {
            continue;
        }
        let code: String = text
            .split("#[cfg(test)]")
            .next()
            .unwrap()
            .lines()
            .filter(|l| !l.trim_start().starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n");
        let named: Vec<&str> = code
            .split('"')
            .skip(1)
            .step_by(2)
            .filter(|s| is_code(s))
            .collect();
        assert!(
            named.is_empty(),
            "{path} names rule codes {named:?}: declare the policy in the rule's metadata"
        );
    }
}

/// The schema is declared for validation in `model/schema/` (and, for LiteLLM configs, in
/// LiteLLM's catalogue) and read into the typed model by `model/lower/`: every key the
/// lowering reads must be one the validation knows, or a key would be typed and used while
/// its mistakes went unreported (as `router_settings.default_fallbacks` once was).
#[test]
fn the_typed_model_reads_only_declared_keys() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let read = |p: &str| fs::read_to_string(root.join(p)).unwrap();
    let literals = |text: &str| -> Vec<String> {
        text.split('"')
            .skip(1)
            .step_by(2)
            .filter(|s| {
                s.starts_with(|c: char| c.is_ascii_lowercase())
                    && s.chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            })
            .map(str::to_string)
            .collect()
    };
    let lower: String = fs::read_dir(root.join("src/model/lower"))
        .unwrap()
        .map(|entry| fs::read_to_string(entry.unwrap().path()).unwrap())
        .map(|text| text.split("#[cfg(test)]").next().unwrap().to_string())
        .collect();
    let schema: Vec<String> = fs::read_dir(root.join("src/model/schema"))
        .unwrap()
        .flat_map(|entry| literals(&fs::read_to_string(entry.unwrap().path()).unwrap()))
        .collect();
    let catalogue = literals(&read("src/model/litellm/catalogue.json"));
    let mut undeclared: Vec<String> = literals(&lower)
        .into_iter()
        .filter(|key| !schema.contains(key) && !catalogue.contains(key))
        .collect();
    undeclared.sort();
    undeclared.dedup();
    assert!(
        undeclared.is_empty(),
        "model/lower/ reads keys that neither model/schema/ nor LiteLLM's catalogue declares: {undeclared:?}"
    );
}
