//! `docs/rules.md` is generated from the rule registry; this test fails when they drift.
//! Regenerate with `AIBLINT_UPDATE_DOCS=1 cargo test --test it docs::`.

use aiblint::rules::{all_rules, RuleMeta};

fn generate() -> String {
    let mut out = String::from(
        "# aiblint rules\n\nGenerated from the rule registry (`src/rules/`); do not edit by hand.\n\
         Regenerate with `AIBLINT_UPDATE_DOCS=1 cargo test --test it docs::`.\n\n\
         Rules marked with a command compare the config set with the live state of the host and \
         are reported by that command only, never by `aiblint check`: `P610`-`P629` by \
         `aiblint ports` (who holds each port), the live-health family `H801`-`H829` by \
         `aiblint probe` (what each provider serves, the gateway's health, the cache).\n\n\
         | code | name | default severity | summary |\n|---|---|---|---|\n",
    );
    for rule in all_rules() {
        out += &format!(
            "| [{code}](#{anchor}) | `{name}` | {sev} | {summary} |\n",
            code = rule.code,
            anchor = rule.code.to_ascii_lowercase(),
            name = rule.name,
            sev = rule.severity.as_str(),
            summary = summary(rule)
        );
    }
    for rule in all_rules() {
        let docs = rule.docs().replace("## ", "### ");
        let reported_by = if rule.is_live() {
            format!(
                " · reported by `{}`, not by `aiblint check`",
                rule.reported_by.command()
            )
        } else {
            String::new()
        };
        out += &format!(
            "\n## {}\n\n`{}` · default severity: {}{reported_by}\n\n{}\n",
            rule.code,
            rule.name,
            rule.severity.as_str(),
            docs.trim_end()
        );
    }
    out
}

/// A rule's summary for a table; a live rule's names the command that reports it.
fn summary(rule: &RuleMeta) -> String {
    let summary = rule.summary().replace('|', "\\|");
    if rule.is_live() {
        format!("(`{}`) {summary}", rule.reported_by.command())
    } else {
        summary
    }
}

/// The README's "What aiblint finds" table, between its markers.
fn readme_table() -> String {
    let mut out = String::from("| code | name | severity | what it finds |\n|---|---|---|---|\n");
    for rule in all_rules() {
        out += &format!(
            "| `{}` | `{}` | {} | {} |\n",
            rule.code,
            rule.name,
            rule.severity.as_str(),
            summary(rule)
        );
    }
    out
}

#[test]
fn readme_table_matches_the_registry() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
    let readme = std::fs::read_to_string(&path).unwrap();
    let start_marker = "<!-- rules-table:start";
    let end_marker = "<!-- rules-table:end -->";
    let start = readme
        .find(start_marker)
        .expect("README has the rules-table start marker");
    let start = start + readme[start..].find("-->\n").unwrap() + 4;
    let end = readme
        .find(end_marker)
        .expect("README has the rules-table end marker");
    let expected = readme_table();
    if std::env::var_os("AIBLINT_UPDATE_DOCS").is_some() {
        let updated = format!("{}{}{}", &readme[..start], expected, &readme[end..]);
        std::fs::write(&path, updated).unwrap();
        return;
    }
    assert!(
        readme[start..end] == expected,
        "README's rule table is out of date: run AIBLINT_UPDATE_DOCS=1 cargo test --test it docs::"
    );
}

#[test]
fn rules_md_matches_the_registry() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules.md");
    let expected = generate();
    if std::env::var_os("AIBLINT_UPDATE_DOCS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &expected).unwrap();
    }
    let actual = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        actual == expected,
        "docs/rules.md is out of date: run AIBLINT_UPDATE_DOCS=1 cargo test --test it docs::"
    );
}

// ------------------------------------------------------------------ README examples

/// Replaces (with `AIBLINT_UPDATE_DOCS=1`) or checks the README's text between the line
/// that starts with `<!-- {name}:start` and `<!-- {name}:end -->`.
fn readme_block(name: &str, expected: &str) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
    let readme = std::fs::read_to_string(&path).unwrap();
    let start_marker = format!("<!-- {name}:start");
    let end_marker = format!("<!-- {name}:end -->");
    let start = readme
        .find(&start_marker)
        .unwrap_or_else(|| panic!("README has the {name} start marker"));
    let start = start + readme[start..].find("-->\n").unwrap() + 4;
    let end = readme
        .find(&end_marker)
        .unwrap_or_else(|| panic!("README has the {name} end marker"));
    if std::env::var_os("AIBLINT_UPDATE_DOCS").is_some() {
        let updated = format!("{}{}{}", &readme[..start], expected, &readme[end..]);
        std::fs::write(&path, updated).unwrap();
        return;
    }
    assert!(
        readme[start..end] == *expected,
        "README's {name} is out of date: run AIBLINT_UPDATE_DOCS=1 cargo test --test it docs::\n\
         expected:\n{expected}"
    );
}

fn run(dir: &std::path::Path, args: &[&str]) -> String {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_aiblint"))
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap()
}

/// "What it looks like": what `aiblint check` prints on the shipped example with a typo of
/// a key and a broken regex.
#[test]
fn readme_sample_output_is_what_check_prints() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("config")).unwrap();
    for name in [
        "providers.yaml",
        "model-mappings.yaml",
        "ports.yaml",
        "litellm-unified.yaml",
    ] {
        let text = std::fs::read_to_string(root.join("config").join(name)).unwrap();
        let text = match name {
            "providers.yaml" => text.replacen(
                "    base_url: http://127.0.0.1:11434",
                "    base_ur: http://127.0.0.1:11434",
                1,
            ),
            "model-mappings.yaml" => {
                text.replacen("pattern: \"^qwen.*coder\"", "pattern: \"^qwen(.*coder\"", 1)
            }
            _ => text,
        };
        std::fs::write(dir.path().join("config").join(name), text).unwrap();
    }
    let printed = run(dir.path(), &["check"]);
    assert!(printed.contains("error[S101]") && printed.contains("error[S107]"));
    readme_block("sample-output", &format!("```\n{printed}```\n"));
}

/// "Getting started": what `aiblint init --from` says of a config with things it cannot
/// carry over.
#[test]
fn readme_init_example_is_what_init_prints() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        root.join("fixtures/init/aliases_and_unsupported.yaml"),
        dir.path().join("config.yaml"),
    )
    .unwrap();
    let printed = run(dir.path(), &["init", "gateway", "--from", "config.yaml"]);
    assert!(printed.starts_with("read config.yaml:"), "{printed}");
    readme_block(
        "init-example",
        &format!("```\n$ aiblint init gateway --from config.yaml\n{printed}```\n"),
    );
}

/// Every option the README shows with a command exists in that command's `--help`.
#[test]
fn readme_commands_use_options_that_exist() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let mut checked = 0;
    let mut command: Option<String> = None;
    let mut in_code = false;
    for line in readme.lines() {
        if line.starts_with("```") {
            in_code = !in_code;
            command = None;
            continue;
        }
        if !in_code {
            continue;
        }
        let words: Vec<&str> = line.split_whitespace().collect();
        let at = words
            .iter()
            .position(|w| *w == "aiblint")
            .filter(|&i| i == 0 || words[..i].iter().all(|w| *w == "$" || *w == "run:"));
        if let Some(i) = at {
            command = words
                .get(i + 1)
                .filter(|w| w.chars().all(|c| c.is_ascii_lowercase()))
                .map(|w| w.to_string());
        } else if !line.starts_with(' ') {
            command = None;
        }
        let Some(sub) = &command else { continue };
        let help = run(root, &[sub, "--help"]);
        for flag in words.iter().filter_map(|w| {
            let w = w.trim_matches(|c: char| "[]`,|".contains(c));
            let flag = w.split('=').next().unwrap_or(w);
            (flag.starts_with("--") && flag.len() > 2).then_some(flag)
        }) {
            assert!(
                help.contains(flag),
                "README: `aiblint {sub}` has no {flag} (in `{line}`)"
            );
            checked += 1;
        }
    }
    assert!(checked > 30, "only {checked} options found in the README");
    // The pre-commit example names hooks that exist, at a revision that does.
    let hooks = std::fs::read_to_string(root.join(".pre-commit-hooks.yaml")).unwrap();
    let example = readme
        .split("# .pre-commit-config.yaml")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("README has a pre-commit example");
    for id in example
        .lines()
        .filter_map(|l| l.trim().strip_prefix("- id: "))
    {
        assert!(hooks.contains(&format!("- id: {id}\n")), "no hook {id}");
    }
    assert!(example.contains("rev: main"), "{example}");
}
