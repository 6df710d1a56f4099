//! `docs/rules.md` is generated from the rule registry; this test fails when they drift.
//! Regenerate with `AIBLINT_UPDATE_DOCS=1 cargo test --test docs`.

use aiblint::rules::{all_rules, RuleMeta};

fn generate() -> String {
    let mut out = String::from(
        "# aiblint rules\n\nGenerated from the rule registry (`src/rules/`); do not edit by hand.\n\
         Regenerate with `AIBLINT_UPDATE_DOCS=1 cargo test --test docs`.\n\n\
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
        "README's rule table is out of date: run AIBLINT_UPDATE_DOCS=1 cargo test --test docs"
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
        "docs/rules.md is out of date: run AIBLINT_UPDATE_DOCS=1 cargo test --test docs"
    );
}
