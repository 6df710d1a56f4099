//! Unit tests of `rules`.

use super::*;

#[test]
fn codes_are_unique_and_sorted() {
    for list in [
        ALL_RULES.iter().map(|(m, _)| *m).collect::<Vec<_>>(),
        LIVE_RULES.iter().map(|(m, _)| *m).collect(),
        all_rules(),
    ] {
        let numbers: Vec<u32> = list.iter().map(|m| m.code[1..].parse().unwrap()).collect();
        let mut sorted = numbers.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(numbers, sorted, "codes are unique and sorted by number");
    }
    for (m, _) in ALL_RULES {
        assert_eq!(m.reported_by, ReportedBy::Check, "{}", m.code);
    }
    for (m, _) in LIVE_RULES {
        assert!(
            m.is_live(),
            "{} is in LIVE_RULES but reported by check",
            m.code
        );
        let number: u32 = m.code[1..].parse().unwrap();
        let allocated = match m.reported_by {
            ReportedBy::Ports => m.code.starts_with('P') && (610..=629).contains(&number),
            ReportedBy::Probe => m.code.starts_with('H') && (801..=829).contains(&number),
            ReportedBy::Check => false,
        };
        assert!(allocated, "{}: outside its command's code range", m.code);
    }
    let families = [
        ('E', 0),
        ('S', 1),
        ('R', 2),
        ('L', 3),
        ('G', 4),
        ('V', 5),
        ('P', 6),
        ('D', 7),
        ('H', 8),
    ];
    for m in all_rules() {
        let family = m.code.chars().next().unwrap();
        let hundreds = m.code[1..].parse::<u32>().unwrap() / 100;
        assert!(
            families.contains(&(family, hundreds)),
            "{}: letter and number disagree",
            m.code
        );
    }
}

#[test]
fn description_is_the_what_it_does_section() {
    let unknown_key = rule_by_code("S101").unwrap();
    assert_eq!(
        unknown_key.description(),
        "Reports a mapping key that looks like a misspelling of a key read at that level: \
             the same key but for case or `-`/`_`, or one edit away from it (two for keys of \
             eight characters or more), with a value of the same shape.\n\n\
             Other keys that aiblint does not know are accepted: the files' consumers ignore \
             them, so they are not defects (`strict = true` in aiblint.toml reports them, as \
             `S116`)."
    );
    for rule in all_rules() {
        let description = rule.description();
        let summary = rule.summary();
        // A summary is a whole sentence, also where the description goes on into a
        // list (`...belongs:`), which `aiblint rules` would otherwise cut mid-way.
        assert!(summary.ends_with('.'), "{}: {summary}", rule.code);
        assert!(
            description.starts_with(summary.trim_end_matches('.')),
            "{}",
            rule.code
        );
        assert!(!description.contains("## "), "{}", rule.code);
    }
    // A list keeps one item per line.
    let literal_secret = rule_by_code("L310").unwrap().description();
    assert!(literal_secret.contains("\n- "), "{literal_secret}");
}

#[test]
fn names_are_kebab_case_and_unique() {
    let mut names: Vec<&str> = all_rules().iter().map(|m| m.name).collect();
    for n in &names {
        assert!(
            n.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
            "{n}"
        );
    }
    names.sort();
    let len = names.len();
    names.dedup();
    assert_eq!(names.len(), len);
}

#[test]
fn docs_have_the_required_sections() {
    for meta in all_rules() {
        let docs = meta.docs();
        for section in [
            "## What it does",
            "## Why is this bad?",
            "## Example",
            "## How to fix",
        ] {
            assert!(docs.contains(section), "{} lacks `{section}`", meta.code);
        }
        assert!(!meta.summary().is_empty(), "{} has no summary", meta.code);
    }
}
