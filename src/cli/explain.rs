//! `aiblint explain CODE` and `aiblint rules`: the rule documentation from the registry.

use miette::{miette, Result};

use super::{out, EXIT_OK};
use crate::diagnostic::suggest;
use crate::rules::{rule_by_code, ALL_RULES};

pub(super) fn explain(code: &str) -> Result<u8> {
    let rule = rule_by_code(code).ok_or_else(|| {
        let names = ALL_RULES.iter().flat_map(|(r, _)| [r.code, r.name]);
        let help = match suggest(code, names) {
            Some(s) => format!("did you mean `{s}`? (`aiblint rules` lists every code)"),
            None => "`aiblint rules` lists every code".to_string(),
        };
        miette!(help = help, "no rule has the code or name `{code}`")
    })?;
    out(&format!(
        "# {} {} ({})\n\n{}\n\nMore: {}\n",
        rule.code,
        rule.name,
        rule.severity.as_str(),
        rule.docs().trim_end(),
        rule.url()
    ));
    Ok(EXIT_OK)
}

pub(super) fn list() -> Result<u8> {
    let mut text = String::new();
    for (rule, _) in ALL_RULES {
        text += &format!(
            "{:<6} {:<24} {:<8} {}\n",
            rule.code,
            rule.name,
            rule.severity.as_str(),
            rule.summary()
        );
    }
    out(&text);
    Ok(EXIT_OK)
}
