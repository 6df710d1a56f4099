//! Unit tests of `model::secrets`.

use super::*;
use crate::syntax::parse;

fn secrets(text: &str) -> Secrets {
    let parse = parse(text);
    Secrets::in_text(text, parse.root.as_ref())
}

#[test]
fn a_file_is_scanned_once_and_its_masked_copy_keeps_the_secrets_found() {
    let text = "providers:\n  a:\n    api_key: sk-proj-abcdefghijklmnop\n";
    let file = SourceFile::analyze(Some(super::super::FileKind::Providers), text.into());
    let found = Secrets::of(&file);
    assert_eq!(found, secrets(text));
    assert_eq!(Secrets::of(&file), found, "from the first scan");
    let mut masked = file.clone();
    masked.set_masked_text(found.mask_text(text).into_owned());
    assert_ne!(masked.text, file.text);
    assert_eq!(masked.text.len(), file.text.len());
    // Still at the same ranges, so masking the masked text again changes nothing.
    assert_eq!(Secrets::of(&masked), found);
    assert_eq!(found.mask_text(&masked.text), masked.text);
    assert_eq!(Secrets::of(&file), found);
}

#[test]
fn a_url_after_a_multibyte_space_is_scanned_from_a_char_boundary() {
    let text = "base_url: a\u{2028}http://user:pw@host/v1\n";
    let s = secrets(text);
    let masked = s.mask_text(text);
    assert_eq!(masked, "base_url: a\u{2028}http://user:**@host/v1\n");
}

#[test]
fn keys_urls_and_env_vars_are_masked_keeping_offsets() {
    let text = "providers:\n  openai:\n    api_key: \"sk-proj-abcdefghijklmnop\"\n    env_var: a8F3kq92LmZ0pQ7rT5vXy\n    base_url: https://user:hunter22@example.com/v1\n    token: os.environ/HF_TOKEN\n    api_key_placeholder: none\n";
    let s = secrets(text);
    let masked = s.mask_text(text);
    assert_eq!(masked.len(), text.len());
    let stars = |n: usize| "*".repeat(n);
    assert!(
        masked.contains(&format!("api_key: \"sk-p{}\"", stars(20))),
        "{masked}"
    );
    assert!(
        masked.contains("env_var: a8F3*****************"),
        "{masked}"
    );
    assert!(
        masked.contains("https://user:********@example.com/v1"),
        "{masked}"
    );
    assert!(masked.contains("os.environ/HF_TOKEN"), "{masked}");
    assert!(masked.contains("api_key_placeholder: none"), "{masked}");
    let words = s.mask_words("literal secret sk-proj-abcdefghijklmnop and hunter22");
    assert_eq!(words, "literal secret sk-p… and …");
    assert_eq!(
        Secrets::default().mask_words("`https://u:pw@host/v1`, http://h:1/"),
        "`https://u:…@host/v1`, http://h:1/"
    );
}

#[test]
fn a_file_that_does_not_parse_is_masked_by_lines() {
    let text = "general_settings:\n  master_key: sk-1234567890abcdef\n  broken: [\n";
    let masked = secrets(text).mask_text(text).into_owned();
    assert!(
        masked.contains("master_key: sk-1***************"),
        "{masked}"
    );
}

#[test]
fn lines_that_end_in_a_carriage_return_alone_are_masked_line_by_line() {
    for text in [
        "broken: a: b\rapi_key: sk-1234567890abcdef\rother: 1\r",
        "broken: a: b\r\napi_key: sk-1234567890abcdef\r\nother: 1\r\n",
    ] {
        let masked = secrets(text).mask_text(text).into_owned();
        assert!(
            masked.contains("api_key: sk-1***************\r"),
            "{masked:?}"
        );
        assert!(masked.contains("other: 1"), "{masked:?}");
    }
}

#[test]
fn non_ascii_secrets_keep_lengths() {
    let text = "password: pässwörd-lang-genug\n";
    let masked = secrets(text).mask_text(text).into_owned();
    assert_eq!(masked.len(), text.len());
    assert_eq!(masked.chars().count(), text.chars().count());
    assert!(masked.starts_with("password: päss"), "{masked}");
}

#[test]
fn counts_of_tokens_and_references_are_not_secrets() {
    let text = "litellm_settings:\n  max_tokens: 4096\n  api_key: os.environ/OPENAI_API_KEY\n  redis_password: ${REDIS_PASSWORD}\n";
    assert!(secrets(text).is_empty(), "{:?}", secrets(text));
}

#[test]
fn secret_values() {
    for v in [
        "sk-proj-abcdef123",
        "ghp_abcdefghij",
        "hf_abcdefghijkl",
        "xoxb-123456-abcdef",
        "a8F3kq92LmZ0pQ7rT5vX",
    ] {
        assert!(looks_secret(v), "{v}");
    }
    for v in [
        "os.environ/OPENAI_API_KEY",
        "${OPENAI_API_KEY}",
        "OPENAI_API_KEY_FOR_PRODUCTION",
        "none",
        "changeme",
        "sk-",
        "/run/secrets/openai_api_key_2024",
        "<your key here>",
    ] {
        assert!(!looks_secret(v), "{v}");
    }
}

#[test]
fn labels_hide_the_secret() {
    assert_eq!(secret_label("sk-proj-abcdef"), "literal secret `sk-p…`");
    assert_eq!(secret_label("hunter2"), "literal secret");
}

#[test]
fn secret_keys() {
    for k in [
        "api_key",
        "token",
        "HF_TOKEN",
        "db_password",
        "client_secret",
    ] {
        assert!(is_secret_key(k), "{k}");
    }
    for k in ["max_tokens", "keep_alive", "token_limit", "secrets_dir"] {
        assert!(!is_secret_key(k), "{k}");
    }
    assert!(holds_secret("master_key"));
    assert!(holds_secret("redis_password"));
    assert!(holds_secret("aws_secret_access_key"));
    assert!(holds_secret("aws_session_token"));
    assert!(!holds_secret("max_tokens"));
    assert!(!holds_secret("token_url"));
    assert!(env_name_holds_secret("OPENAI_API_KEY"));
    assert!(!env_name_holds_secret("REDIS_HOST"));
    assert!(url_has_password("postgresql://u:p@db:5432/litellm"));
    assert!(!url_has_password("postgresql://db:5432/litellm"));
}

#[test]
fn the_cheap_key_test_passes_every_key_the_exact_tests_name() {
    let parts = [
        "",
        "api",
        "_",
        "key",
        "KEY",
        "Key",
        "Token",
        "max",
        "password",
        "SECRET",
        "auth_value",
        "DATABASE_URL",
        "master_key",
        "apikey",
        "env",
        "x",
        "count",
        "-",
    ];
    for a in parts {
        for b in parts {
            for c in parts {
                let key = format!("{a}{b}{c}");
                if is_secret_key(&key)
                    || holds_secret_unfiltered(&key)
                    || env_name_holds_secret_unfiltered(&key)
                {
                    assert!(may_name_secret(&key), "{key}");
                }
            }
        }
    }
    for plain in [
        "model_name",
        "litellm_params",
        "api_base",
        "rpm",
        "timeout",
        "ollama",
    ] {
        assert!(!may_name_secret(plain), "{plain}");
    }
}

#[test]
fn urls_are_found_past_other_colons() {
    assert_eq!(find_scheme_separator("a: b:c http://x"), Some(11));
    assert_eq!(find_scheme_separator("no url: here"), None);
    assert_eq!(find_scheme_separator("ends with:"), None);
    assert_eq!(url_password("postgres://u:pw@h/db"), Some(13..15));
    assert_eq!(url_password("x:y://u:pw@h"), None);
    assert_eq!(before_comment(" value # note # more"), " value");
    assert_eq!(before_comment(" a#b"), " a#b");
}
