//! `aiblint explain CODE` and `aiblint rules`: the rule documentation from the registry.

use miette::{miette, Result};

use super::EXIT_OK;
use crate::rules::{rule_by_code, ALL_RULES};

pub(super) fn explain(code: &str) -> Result<u8> {
    let rule = rule_by_code(code).ok_or_else(|| {
        miette!(
            help = "`aiblint rules` lists every code",
            "no rule has the code or name `{code}`"
        )
    })?;
    println!(
        "# {} {} ({})\n",
        rule.code,
        rule.name,
        rule.severity.as_str()
    );
    println!("{}", rule.docs().trim_end());
    println!("\nMore: {}", rule.url());
    Ok(EXIT_OK)
}

pub(super) fn list() -> Result<u8> {
    for (rule, _) in ALL_RULES {
        println!(
            "{:<6} {:<22} {:<8} {}",
            rule.code,
            rule.name,
            rule.severity.as_str(),
            rule.summary()
        );
    }
    Ok(EXIT_OK)
}
