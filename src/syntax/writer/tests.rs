//! Unit tests of `syntax::writer`.

use super::*;

/// Strings that must be quoted, and how.
#[test]
fn quotes_what_loaders_would_misread() {
    let cases = [
        ("", r#""""#),
        ("yes", r#""yes""#),
        ("No", r#""No""#),
        ("on", r#""on""#),
        ("OFF", r#""OFF""#),
        ("y", r#""y""#),
        ("null", r#""null""#),
        ("Null", r#""Null""#),
        ("~", r#""~""#),
        ("true", r#""true""#),
        ("1.0", r#""1.0""#),
        ("42", r#""42""#),
        ("0777", r#""0777""#),
        ("0x1F", r#""0x1F""#),
        ("1_000", r#""1_000""#),
        ("1:20", r#""1:20""#),
        ("2025-10-19", r#""2025-10-19""#),
        ("7B", r#""7B""#),
        (".5", r#"".5""#),
        ("+1", r#""+1""#),
        (".inf", r#"".inf""#),
        (".NaN", r#"".NaN""#),
        ("<<", r#""<<""#),
        ("=", r#""=""#),
        ("a: b", r#""a: b""#),
        ("key:", r#""key:""#),
        ("#x", r##""#x""##),
        ("a #b", r##""a #b""##),
        (" leading", r#"" leading""#),
        ("trailing ", r#""trailing ""#),
        ("-", r#""-""#),
        ("- item", r#""- item""#),
        ("---", r#""---""#),
        ("...", r#""...""#),
        ("?x", r#""?x""#),
        (":x", r#"":x""#),
        ("[a]", r#""[a]""#),
        ("{a}", r#""{a}""#),
        ("&anchor", r#""&anchor""#),
        ("*alias", r#""*alias""#),
        ("!tag", r#""!tag""#),
        ("|", r#""|""#),
        (">", r#"">""#),
        ("'single'", r#""'single'""#),
        ("\"double\"", r#""\"double\"""#),
        ("%TAG", r#""%TAG""#),
        ("@at", r#""@at""#),
        ("`tick`", r#""`tick`""#),
        ("two\nlines", r#""two\nlines""#),
        ("tab\there", r#""tab\there""#),
        ("cr\r", r#""cr\r""#),
        ("bell\u{7}", r#""bell\x07""#),
        ("nel\u{85}x", r#""nel\Nx""#),
        ("ls\u{2028}x", r#""ls\Lx""#),
        ("\u{feff}bom", r#""\uFEFFbom""#),
        ("back\\slash: x", r#""back\\slash: x""#),
    ];
    for (input, expected) in cases {
        assert_eq!(quote(input), expected, "quoting {input:?}");
    }
}

/// Strings that stay plain, because every loader reads them back unchanged.
#[test]
fn leaves_ordinary_strings_plain() {
    for s in [
        "ollama_chat/qwen2.5-coder:7b",
        "http://127.0.0.1:11434",
        "os.environ/OPENAI_API_KEY",
        "Qwen/Qwen2.5-Coder-14B-Instruct-AWQ",
        "gpt-4o",
        "café",
        "llama☕🦙",
        "日本語モデル",
        "a#b",
        "x-y_z.w",
        "simple-shuffle",
        "none",
        "yesterday",
        "nullable",
        "o1-mini",
        "v1.0",
        "back\\slash",
        "say \"hi\"",
    ] {
        assert_eq!(quote(s), s, "{s:?} should stay plain");
    }
}

/// Every quoted string reads back as itself through aiblint's own YAML parser.
#[test]
fn quoted_strings_round_trip() {
    let inputs = [
        "",
        "yes",
        "1.0",
        "a: b",
        "#x",
        " x ",
        "two\nlines",
        "tab\t",
        "bell\u{7}",
        "nel\u{85}",
        "ls\u{2028}",
        "\u{feff}",
        "q\"uote",
        "back\\",
        "é☕🦙",
        "- x",
    ];
    for input in inputs {
        let doc = format!("k: {}\n", quote(input));
        let parse = crate::syntax::parse(&doc);
        let root = parse.root.expect("parses");
        let value = root.get("k").and_then(|n| n.as_str());
        assert_eq!(value, Some(input), "{doc:?}");
    }
}

#[test]
fn renders_block_style_with_comments() {
    let doc = Value::Map(vec![
        (
            "model_list".into(),
            Value::Seq(vec![Value::Commented(
                vec!["first group".into()],
                Box::new(Value::Map(vec![
                    ("model_name".into(), Value::str("gpt-4o")),
                    (
                        "litellm_params".into(),
                        Value::Map(vec![
                            ("model".into(), Value::str("openai/gpt-4o")),
                            ("weight".into(), Value::Float(1.0)),
                        ]),
                    ),
                ])),
            )]),
        ),
        (
            "router_settings".into(),
            Value::Map(vec![
                ("num_retries".into(), Value::Int(2)),
                ("drop_params".into(), Value::Bool(true)),
                ("fallbacks".into(), Value::Seq(vec![])),
                (
                    "nested".into(),
                    Value::Seq(vec![Value::Map(vec![(
                        "a:b".into(),
                        Value::Seq(vec![Value::str("c"), Value::str("yes")]),
                    )])]),
                ),
            ]),
        ),
    ]);
    assert_eq!(
        render(&doc),
        "model_list:\n\
             \x20 # first group\n\
             \x20 - model_name: gpt-4o\n\
             \x20   litellm_params:\n\
             \x20     model: openai/gpt-4o\n\
             \x20     weight: 1.0\n\
             router_settings:\n\
             \x20 num_retries: 2\n\
             \x20 drop_params: true\n\
             \x20 fallbacks: []\n\
             \x20 nested:\n\
             \x20   - \"a:b\":\n\
             \x20       - c\n\
             \x20       - \"yes\"\n"
    );
}

#[test]
fn fix_replacements_keep_quotes_and_stay_valid_in_flow_context() {
    assert_eq!(
        replacement("\"llama3.1:8B\"", "llama3.1:8b"),
        "\"llama3.1:8b\""
    );
    assert_eq!(replacement("'gpt-4'", "gpt-4o"), "\"gpt-4o\"");
    assert_eq!(replacement("gpt-4", "gpt-4o"), "gpt-4o");
    assert_eq!(replacement("x", "a:b"), "\"a:b\"");
    assert_eq!(replacement("x", "a,b"), "\"a,b\"");
    assert_eq!(replacement("x", "yes"), "\"yes\"");
}

#[test]
fn floats_read_back_as_floats() {
    assert_eq!(float(0.7), "0.7");
    assert_eq!(float(1.0), "1.0");
    assert_eq!(float(600.0), "600.0");
    assert_eq!(float(f64::INFINITY), ".inf");
    assert_eq!(float(f64::NAN), ".nan");
}

#[test]
fn plain_safety() {
    assert!(is_plain_safe("vllm-qwen"));
    assert!(is_plain_safe("qwen2.5-coder:7b"));
    assert!(is_plain_safe("Qwen/Qwen2.5-Coder-14B-Instruct-AWQ"));
    assert!(!is_plain_safe("1.5"));
    assert!(!is_plain_safe("true"));
    assert!(!is_plain_safe("null"));
    assert!(!is_plain_safe("a b"));
    assert!(!is_plain_safe("a:"));
    assert!(!is_plain_safe(""));
}

#[test]
fn replacements_keep_the_quote_style() {
    let src = "a: vllm-qwn\nb: \"vllm-qwn\"\nc: 'vllm-qwn'\nd: *x\n";
    let at = |needle: &str| {
        let start = src.find(needle).unwrap();
        TextRange::new(start, start + needle.len())
    };
    let r = |needle| rewrite_scalar(src, at(needle), "vllm-qwn", "vllm-qwen");
    assert_eq!(
        rewrite_scalar(src, TextRange::new(3, 11), "vllm-qwn", "vllm-qwen").as_deref(),
        Some("vllm-qwen")
    );
    assert_eq!(r("\"vllm-qwn\"").as_deref(), Some("\"vllm-qwen\""));
    assert_eq!(r("'vllm-qwn'").as_deref(), Some("'vllm-qwen'"));
    assert_eq!(rewrite_scalar(src, at("*x"), "vllm-qwn", "vllm-qwen"), None);
    assert_eq!(
        rewrite_scalar(src, TextRange::new(3, 11), "vllm-qwn", "1.0").as_deref(),
        Some("\"1.0\"")
    );
    // A YAML 1.1 boolean (PyYAML, LiteLLM's loader) is quoted; a line break is escaped,
    // in double quotes, whatever the quotes were.
    assert_eq!(
        rewrite_scalar(src, TextRange::new(3, 11), "vllm-qwn", "yes").as_deref(),
        Some("\"yes\"")
    );
    assert_eq!(r("'vllm-qwn'").as_deref(), Some("'vllm-qwen'"));
    let multi = |needle| rewrite_scalar(src, at(needle), "vllm-qwn", "a\nb");
    assert_eq!(multi("\"vllm-qwn\"").as_deref(), Some("\"a\\nb\""));
    assert_eq!(multi("'vllm-qwn'").as_deref(), Some("\"a\\nb\""));
}
