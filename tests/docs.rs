//! `docs/rules.md` is generated from the rule registry; this test fails when they drift.
//! Regenerate with `AIBLINT_UPDATE_DOCS=1 cargo test --test docs`.

use aiblint::rules::ALL_RULES;

fn generate() -> String {
    let mut out = String::from(
        "# aiblint rules\n\nGenerated from the rule registry (`src/rules/`); do not edit by hand.\n\
         Regenerate with `AIBLINT_UPDATE_DOCS=1 cargo test --test docs`.\n\n\
         | code | name | default severity | summary |\n|---|---|---|---|\n",
    );
    for (rule, _) in ALL_RULES {
        out += &format!(
            "| [{code}](#{anchor}) | `{name}` | {sev} | {summary} |\n",
            code = rule.code,
            anchor = rule.code.to_ascii_lowercase(),
            name = rule.name,
            sev = rule.severity.as_str(),
            summary = rule.summary().replace('|', "\\|")
        );
    }
    for (rule, _) in ALL_RULES {
        let docs = rule.docs().replace("## ", "### ");
        out += &format!(
            "\n## {}\n\n`{}` · default severity: {}\n\n{}\n",
            rule.code,
            rule.name,
            rule.severity.as_str(),
            docs.trim_end()
        );
    }
    out
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
