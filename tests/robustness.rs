//! Bad input through the whole pipeline: wrong types everywhere and hostile bytes give
//! diagnostics, never a panic.

mod common;

use aiblint::lint::check_source;
use aiblint::model::FileKind;

fn example(name: &str) -> String {
    std::fs::read_to_string(common::root().join("config").join(name)).unwrap()
}

/// Replaces every value of a `key: value` line with `replacement`.
fn replace_values(text: &str, replacement: &str) -> String {
    text.lines()
        .map(|line| match line.split_once(": ") {
            Some((key, _)) if !key.trim_start().starts_with('#') => format!("{key}: {replacement}"),
            _ => line.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn wrong_types_everywhere() {
    for kind in [FileKind::Providers, FileKind::Mappings, FileKind::Ports] {
        let text = example(kind.file_name());
        for replacement in [
            "[x, 1]",
            "{a: 1}",
            "12",
            "true",
            "~",
            "\"é🦙\"",
            "-1.5e300",
            "*nope",
        ] {
            let broken = replace_values(&text, replacement);
            let linted = check_source(kind.file_name(), &broken);
            if replacement != "*nope" {
                assert!(
                    !linted.diagnostics.is_empty() || replacement == "\"é🦙\"",
                    "{} with every value {replacement}: no diagnostics",
                    kind.file_name()
                );
            }
            for d in &linted.diagnostics {
                assert_ranges_are_whole_characters(&broken, d);
            }
        }
    }
}

#[test]
fn hostile_text_through_every_file_kind() {
    let fragments = [
        "providers:",
        "exact_matches:",
        "model_list:",
        "  ",
        "\n",
        "- ",
        "[",
        "]",
        "{",
        "}",
        "&a ",
        "*a",
        "type: ",
        "ollama",
        "base_url: ",
        "http://:99999",
        "http://a🦙b:80/",
        "\"^é(🦙\"",
        "env_var: é🦙",
        "pattern: ",
        "\"(\"",
        "port: ",
        "0x10",
        "é",
        "🦙",
        ": ",
        "|\n",
        "'",
        "\"",
        "#",
        ",",
        "? ",
        "---\n",
        "<<: *a\n",
        "models:",
        "name: ",
        "weight: ",
        ".nan",
    ];
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    for _ in 0..2_000 {
        let text = common::random_text(&fragments, &mut seed, 60);
        for kind in FileKind::ALL {
            let linted = check_source(kind.file_name(), &text);
            for d in &linted.diagnostics {
                assert_ranges_are_whole_characters(&text, d);
            }
        }
    }
}

/// Every label and fix edit of `d` lies inside `text` on character boundaries.
fn assert_ranges_are_whole_characters(text: &str, d: &aiblint::diagnostic::Diagnostic) {
    let labels = std::iter::once(&d.primary)
        .chain(&d.secondary)
        .map(|l| l.range);
    let edits = d.fix.iter().flat_map(|f| &f.edits).map(|e| e.range);
    for range in labels.chain(edits) {
        let (start, end) = (range.start as usize, range.end as usize);
        assert!(
            start <= end && end <= text.len(),
            "{} {range:?} outside the text",
            d.code
        );
        assert!(
            text.is_char_boundary(start) && text.is_char_boundary(end),
            "{} {range:?} cuts a character in {text:?}",
            d.code
        );
    }
}
