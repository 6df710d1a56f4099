//! `aiblint explain CODE` and `aiblint rules`: the rule documentation from the registry.

use miette::{miette, Result};

use super::{out, ListFormat, EXIT_OK};
use crate::diagnostic::suggest;
use crate::rules::{all_rules, rule_by_code};

pub(super) fn explain(code: &str) -> Result<u8> {
    let rule = rule_by_code(code).ok_or_else(|| {
        let rules = all_rules();
        let names = rules.iter().flat_map(|r| [r.code, r.name]);
        let help = match suggest(code, names) {
            Some(s) => format!("did you mean `{s}`? (`aiblint rules` lists every code)"),
            None => "`aiblint rules` lists every code".to_string(),
        };
        miette!(help = help, "no rule has the code or name `{code}`")
    })?;
    let reported_by = if rule.is_live() {
        format!(
            "Reported by `{}`, not by `aiblint check`.\n\n",
            rule.reported_by.command()
        )
    } else {
        String::new()
    };
    out(&format!(
        "# {} {} ({})\n\n{reported_by}{}\n\nMore: {}\n",
        rule.code,
        rule.name,
        rule.severity.as_str(),
        rule.docs().trim_end(),
        rule.url()
    ));
    Ok(EXIT_OK)
}

pub(super) fn list(format: ListFormat) -> Result<u8> {
    if format == ListFormat::Json {
        out(&crate::emit::rules_json(&all_rules()).map_err(|e| miette::miette!("{e}"))?);
        return Ok(EXIT_OK);
    }
    let mut text = String::new();
    let width = all_rules().iter().map(|r| r.name.len()).max().unwrap_or(0);
    for rule in all_rules() {
        let by = if rule.is_live() {
            format!("[{}] ", rule.reported_by.command())
        } else {
            String::new()
        };
        text += &format!(
            "{:<6} {:<width$} {:<8} {by}{}\n",
            rule.code,
            rule.name,
            rule.severity.as_str(),
            rule.summary()
        );
    }
    out(&text);
    Ok(EXIT_OK)
}
