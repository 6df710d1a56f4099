//! The YAML front-end: exact byte spans (keys, values, collections, block scalars, aliases),
//! syntax errors as values, and bounded work on hostile input.

use crate::common;

use aiblint::syntax::{parse, Node, NodeKind, ScanProblem, SyntaxErrorKind, Value};

fn root(text: &str) -> Node {
    let p = parse(text);
    assert!(p.errors.is_empty(), "unexpected errors: {:?}", p.errors);
    p.root.expect("a document")
}

fn slice<'a>(text: &'a str, node: &Node) -> &'a str {
    &text[node.range.as_range()]
}

#[test]
fn keys_and_values_have_byte_spans_after_multibyte_text() {
    let text = "a: \"é🦙\"\nbase_ur: http://x\n";
    let root = root(text);
    let entries = root.as_mapping().unwrap();
    assert_eq!(slice(text, &entries[0].value), "\"é🦙\"");
    assert_eq!(slice(text, &entries[1].key), "base_ur");
    assert_eq!(slice(text, &entries[1].value), "http://x");
}

#[test]
fn tags_decide_what_a_scalar_is() {
    let text = "s: !!str 8080\ni: !!int \"12\"\nf: !!float 1\nb: !!bool true\nn: !!null x\nc: !custom 12\nv: !<tag:yaml.org,2002:int> 7\nbad: !!int twelve\n";
    let root = root(text);
    let value = |k: &str| root.get(k).unwrap().as_scalar().unwrap().resolve();
    assert_eq!(value("s"), Value::Str("8080"));
    assert_eq!(value("i"), Value::Int(12));
    assert_eq!(value("f"), Value::Float(1.0));
    assert_eq!(value("b"), Value::Bool(true));
    assert_eq!(value("n"), Value::Null);
    assert_eq!(value("c"), Value::Str("12"));
    assert_eq!(value("v"), Value::Int(7));
    assert_eq!(value("bad"), Value::Str("twelve"));
}

#[test]
fn a_value_leads_to_its_entry() {
    let text = "model_list:\n  - model_name: a\n    litellm_params: &p\n      api_base: http://x\n  - model_name: b\n    litellm_params: {<<: *p, model: m}\nk: [1, {n: 2}]\n";
    let root = root(text);
    let key_of = |value: &Node| {
        let entry = root.entry_with_value(value.range).expect("an entry");
        slice(text, &entry.key)
    };
    let list = root.get("model_list").unwrap().as_sequence().unwrap();
    let second = list[1].get("litellm_params").unwrap();
    assert_eq!(key_of(second.get("model").unwrap()), "model");
    // A merged value is found where its anchor writes it.
    let merged = second.get_entry("api_base").unwrap();
    assert_eq!(
        root.entry_with_value(merged.value.range)
            .map(|e| e.key.range),
        Some(merged.key.range)
    );
    assert_eq!(
        key_of(list[0].get("litellm_params").unwrap()),
        "litellm_params"
    );
    let flow = root.get("k").unwrap().as_sequence().unwrap();
    assert_eq!(key_of(flow[1].get("n").unwrap()), "n");
    // Items and keys are not the values of an entry.
    assert!(root.entry_with_value(flow[0].range).is_none());
    assert!(root
        .entry_with_value(root.as_mapping().unwrap()[1].key.range)
        .is_none());
}

#[test]
fn crlf_files() {
    let text = "a: 1\r\nb:\r\n  c: é\r\n";
    let root = root(text);
    assert_eq!(slice(text, root.get("b").unwrap()), "c: é");
}

#[test]
fn block_collections_end_at_their_last_child() {
    let text = "a:\n  b: 1\n  c: [1, 2]\n\n# trailing comment\n\nz: 2\n";
    let root = root(text);
    assert_eq!(slice(text, root.get("a").unwrap()), "b: 1\n  c: [1, 2]");
}

#[test]
fn flow_collections_include_their_brackets() {
    let text = "k: [1, 2]\nm: {a: 1}\n";
    let root = root(text);
    assert_eq!(slice(text, root.get("k").unwrap()), "[1, 2]");
    assert_eq!(slice(text, root.get("m").unwrap()), "{a: 1}");
}

#[test]
fn indentless_sequences_start_at_the_dash() {
    let text = "k:\n- a\n- b\nz: 1\n";
    let root = root(text);
    assert_eq!(slice(text, root.get("k").unwrap()), "- a\n- b");
    let text = "k:\n  - name: a\n    size: 7B\n  - b\n";
    let root = self::root(text);
    assert_eq!(
        slice(text, root.get("k").unwrap()),
        "- name: a\n    size: 7B\n  - b"
    );
}

#[test]
fn block_scalars_include_their_header() {
    let text = "k: |\n  text\n  more\n\n\nz: >-  # folded\n  x\n";
    let root = root(text);
    assert_eq!(slice(text, root.get("k").unwrap()), "|\n  text\n  more");
    assert_eq!(root.get("k").unwrap().as_str(), Some("text\nmore\n"));
    assert_eq!(slice(text, root.get("z").unwrap()), ">-  # folded\n  x");
}

#[test]
fn aliases_keep_their_use_site() {
    let text = "base: &b {type: ollama}\nother: *b\n";
    let root = root(text);
    let alias = root.get("other").unwrap();
    assert_eq!(slice(text, alias), "*b");
    assert!(matches!(&alias.kind, NodeKind::Alias(a) if a.name == "b"));
    // Through the alias the content is the anchor's, with the anchor's spans.
    let target_type = alias.get("type").unwrap();
    assert_eq!(target_type.as_str(), Some("ollama"));
    assert_eq!(
        target_type.range.start as usize,
        text.find("ollama").unwrap()
    );
}

#[test]
fn duplicate_keys_point_at_the_second_with_the_first_related() {
    let text = "a: 1\nb: 2\na: 3\n";
    let p = parse(text);
    let dup: Vec<_> = p
        .errors
        .iter()
        .filter(|e| e.kind == SyntaxErrorKind::DuplicateKey)
        .collect();
    assert_eq!(dup.len(), 1);
    assert_eq!(dup[0].range.start, 10);
    assert_eq!(dup[0].related.unwrap().start, 0);
    // The tree keeps both entries; lookups see the last one, as YAML loaders do.
    assert_eq!(p.root.unwrap().get("a").unwrap().scalar_text(), Some("3"));
}

#[test]
fn syntax_errors_are_values_with_positions() {
    let text = "a: 1\nb: [1, 2\nc: 3\n";
    let p = parse(text);
    assert_eq!(p.errors.len(), 1);
    assert_eq!(
        p.errors[0].kind,
        SyntaxErrorKind::Invalid(ScanProblem::Other)
    );
    assert!(!p.is_complete());
    let text = "a:\n\tb: 1\n";
    assert_eq!(
        parse(text).errors[0].kind,
        SyntaxErrorKind::Invalid(ScanProblem::Tab)
    );
}

#[test]
fn empty_and_comment_only_files_have_no_document() {
    assert!(parse("").root.is_none());
    assert!(parse("# nothing\n\n").root.is_none());
    assert!(parse("").errors.is_empty());
}

#[test]
fn a_second_document_is_reported() {
    let p = parse("a: 1\n---\nb: 2\n");
    assert_eq!(p.errors[0].kind, SyntaxErrorKind::MultipleDocuments);
    assert!(p.root.unwrap().get("a").is_some());
}

#[test]
fn a_bom_is_skipped_and_offsets_stay_bytes() {
    let text = "\u{feff}a: é\nb: 2\n";
    let root = root(text);
    assert_eq!(slice(text, root.get("b").unwrap()), "2");
}

#[test]
fn billion_laughs_is_bounded() {
    let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..12 {
        let refs = vec![format!("*a{}", i - 1); 10].join(", ");
        text += &format!("a{i}: &a{i} [{refs}]\n");
    }
    let started = std::time::Instant::now();
    let p = parse(&text);
    assert!(p
        .errors
        .iter()
        .any(|e| e.kind == SyntaxErrorKind::AliasLimit));
    assert_eq!(p.errors.len(), 1, "reported once: {:?}", p.errors);
    // Sanity bound only (no timing assertion on speed): expansion is shared, not copied.
    assert!(started.elapsed().as_secs() < 10);
}

#[test]
fn deep_nesting_is_bounded() {
    let depth = 5_000;
    let mut text = String::new();
    for i in 0..depth {
        text += &" ".repeat(i);
        text += "k:\n";
    }
    text += &" ".repeat(depth);
    text += "v\n";
    let p = parse(&text);
    assert!(p.errors.iter().any(|e| e.kind == SyntaxErrorKind::TooDeep));
    let flow = "[".repeat(200) + &"]".repeat(200);
    assert!(parse(&flow)
        .errors
        .iter()
        .any(|e| e.kind == SyntaxErrorKind::TooDeep));
    // However the depth is reached (our limit or the scanner's), it is one E005.
    for flow in [
        "x: ".to_string() + &"[".repeat(1000),
        "{a: ".repeat(1000),
        "[".repeat(100_000),
    ] {
        let errors = parse(&flow).errors;
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].kind, SyntaxErrorKind::TooDeep);
    }
}

#[test]
fn hostile_bytes_never_panic() {
    // A deterministic pseudo-random walk over YAML-ish fragments and raw characters.
    let fragments = [
        "a:",
        " ",
        "\n",
        "- ",
        "[",
        "]",
        "{",
        "}",
        "&x ",
        "*x",
        "!!str ",
        "|",
        ">",
        "'",
        "\"",
        "#",
        ":",
        ",",
        "\t",
        "é",
        "🦙",
        "\r\n",
        "? ",
        "---\n",
        "...\n",
        "%YAML 1.2\n",
        "\\",
        "<<: *x\n",
        "\u{0}",
        "\u{feff}",
    ];
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    for _ in 0..3_000 {
        let text = common::random_text(&fragments, &mut seed, 40);
        let p = parse(&text);
        for e in &p.errors {
            assert!(e.range.end as usize <= text.len());
            assert!(text.is_char_boundary(e.range.start as usize));
        }
        if let Some(root) = &p.root {
            check_ranges(&text, root);
        }
    }
}

fn check_ranges(text: &str, node: &Node) {
    let r = node.range;
    assert!(
        r.start <= r.end && r.end as usize <= text.len(),
        "{r:?} in {text:?}"
    );
    assert!(text.is_char_boundary(r.start as usize) && text.is_char_boundary(r.end as usize));
    match &node.kind {
        NodeKind::Mapping(entries) => {
            for e in entries {
                check_ranges(text, &e.key);
                check_ranges(text, &e.value);
            }
        }
        NodeKind::Sequence(items) => items.iter().for_each(|i| check_ranges(text, i)),
        NodeKind::Scalar(_) | NodeKind::Alias(_) => {}
    }
}

#[test]
fn merge_keys_are_followed_and_explicit_keys_win() {
    let text = "x-base: &b {protocol: http, port: 1}\nsvc:\n  <<: [*b]\n  port: 4000\n";
    let root = root(text);
    let svc = root.get("svc").unwrap();
    assert_eq!(svc.get("port").unwrap().scalar_text(), Some("4000"));
    assert_eq!(svc.get("protocol").unwrap().as_str(), Some("http"));
    let keys: Vec<_> = svc
        .entries()
        .iter()
        .map(|e| e.key.scalar_text().unwrap())
        .collect();
    assert_eq!(keys, ["port", "protocol"]);
}

#[test]
fn quoted_scalars_end_at_their_closing_quote() {
    let text = "a: \"ftp://x\"   # c\nb: 'it''s'  # d\nc: [\"z\" , 'y']\nd: &q \"\\\"x\\\"\" # e\n";
    let root = root(text);
    assert_eq!(slice(text, root.get("a").unwrap()), "\"ftp://x\"");
    assert_eq!(slice(text, root.get("b").unwrap()), "'it''s'");
    let c = root.get("c").unwrap().as_sequence().unwrap();
    assert_eq!(slice(text, &c[0]), "\"z\"");
    assert_eq!(slice(text, root.get("d").unwrap()), "&q \"\\\"x\\\"\"");
}
