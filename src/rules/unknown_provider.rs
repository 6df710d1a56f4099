//! `R201` unknown-provider: model-mappings.yaml names a provider that providers.yaml does not
//! define.
use super::prelude::*;
use crate::diagnostic::Candidates;
use crate::model::{FileKind, RefKind};
use crate::syntax::rewrite_scalar;
use crate::text::TextRange;

declare_rule! {
    /// ## What it does
    /// Reports a provider id in model-mappings.yaml that is not a provider of providers.yaml,
    /// with the closest defined id as a suggestion.
    ///
    /// Every place that names a provider is checked: exact matches and patterns (`provider`,
    /// `fallback`), capabilities (`provider`, `fallback`), load-balancing members,
    /// `routing_rules.default_provider`, `default_fallback` and `model_size_routing`.
    ///
    /// ## Why is this bad?
    /// The gateway cannot route to a provider it does not know: requests for that model fail,
    /// or the fallback silently never happens. A one-letter typo (`vllm-qwn`) is enough.
    ///
    /// ## Example
    /// With this providers.yaml:
    ///
    /// ```yaml providers.yaml
    /// providers:
    ///   vllm-qwen:
    ///     type: vllm
    ///     base_url: http://127.0.0.1:8001/v1
    ///     status: active
    ///     description: vLLM coder
    ///     models:
    ///       - Qwen/Qwen2.5-Coder-14B-Instruct-AWQ
    /// ```
    ///
    /// this model-mappings.yaml routes to a provider that does not exist:
    ///
    /// ```yaml model-mappings.yaml
    /// exact_matches:
    ///   qwen-coder-vllm:
    ///     provider: vllm-qwn
    ///     priority: primary
    ///     backend_model: Qwen/Qwen2.5-Coder-14B-Instruct-AWQ
    ///     description: Coding model
    /// ```
    ///
    /// ## How to fix
    /// Correct the id (the fix offers the closest provider id), or define the provider in
    /// providers.yaml.
    ///
    /// ## Fix safety
    /// Unsafe: the suggestion is a guess at what was meant, and it changes where requests go.
    code: "R201", name: "unknown-provider", severity: Error, fix: Sometimes
}

pub(crate) fn check(ctx: &mut RuleContext) {
    if !ctx.is_set_file(FileKind::Mappings) || ctx.set.provider_table().is_none() {
        return;
    }
    let providers_path = ctx
        .set
        .member(FileKind::Providers)
        .map_or("providers.yaml", |m| m.path.as_str());
    let symbols = ctx.set.symbols();
    let mut ids: Option<(Vec<&str>, Candidates<'_>)> = None;
    for reference in symbols.references() {
        if reference.kind != RefKind::Provider || symbols.has_provider(reference.name) {
            continue;
        }
        if ctx.is_full() {
            ctx.skip();
            continue;
        }
        let name = reference.name;
        let (ids, candidates) = ids.get_or_insert_with(|| {
            let ids = symbols.provider_ids();
            let candidates = Candidates::new(ids.iter().copied());
            (ids, candidates)
        });
        let label = Label::new(reference.range, format!("not defined in {providers_path}"));
        let message = if name.trim().is_empty() {
            format!("empty provider id in {}", reference.role.describe())
        } else {
            format!("unknown provider `{name}`")
        };
        let mut d = ctx.diagnostic(message, label);
        let serving: Vec<&str> = symbols.model_defs(name).map(|m| m.provider).collect();
        // The closest id, or the provider of a model named here by mistake.
        let target = match (candidates.suggest(name), serving.as_slice()) {
            (Some(id), _) => {
                d = d.with_help(format!("did you mean `{id}`?"));
                if let Some(label) = ctx.set.provider(id).and_then(|p| {
                    ctx.label_in_kind(
                        FileKind::Providers,
                        p.id.range,
                        format!("`{id}` is defined here"),
                    )
                }) {
                    d = d.with_secondary(label);
                }
                Some(id)
            }
            (None, [provider]) => {
                d = d.with_help(format!(
                    "`{name}` is a model, not a provider; did you mean its provider `{provider}`?"
                ));
                Some(*provider)
            }
            (None, [_, _, ..]) => {
                d = d.with_help(format!(
                    "`{name}` is a model, not a provider; it is served by {}",
                    name_list(serving.iter().copied(), 5)
                ));
                None
            }
            (None, []) if !providers_of_type(ctx, name).is_empty() => {
                let of_type = providers_of_type(ctx, name);
                let active: Vec<&str> = of_type
                    .iter()
                    .filter(|(_, status)| *status == Some("active"))
                    .map(|(id, _)| *id)
                    .collect();
                let listed: Vec<String> = of_type
                    .iter()
                    .map(|(id, status)| match status {
                        Some(status) => format!("`{id}` ({status})"),
                        None => format!("`{id}`"),
                    })
                    .collect();
                d = d.with_help(format!(
                    "`{name}` is a provider type; the providers of that type are {}",
                    listed.join(", ")
                ));
                match active.as_slice() {
                    [one] => Some(*one),
                    _ => None,
                }
            }
            (None, []) => {
                d = d.with_help(if ids.is_empty() {
                    format!("{providers_path} defines no providers")
                } else if ids.len() <= 8 {
                    format!(
                        "defined providers: {}",
                        name_list(ids.iter().copied(), ids.len())
                    )
                } else {
                    format!("define `{name}` in {providers_path}, or use one of its providers")
                });
                None
            }
        };
        if let Some(id) = target {
            if let Some(fix) = replace_fix(&ctx.file.text, reference.range, name, id) {
                d = d.with_fix(fix);
            }
        }
        ctx.report(d);
    }
}

/// The providers whose `type` is `name`, with their status, in file order.
fn providers_of_type<'a>(ctx: &RuleContext<'a>, name: &str) -> Vec<(&'a str, Option<&'a str>)> {
    ctx.set
        .providers()
        .map(|p| {
            p.providers
                .iter()
                .filter(|p| p.provider_type() == Some(name))
                .map(|p| (p.id.as_str(), p.status()))
                .collect()
        })
        .unwrap_or_default()
}

/// `` `a`, `b`, `c` `` — at most `max` names, then "and N more".
pub(super) fn name_list<'a>(names: impl IntoIterator<Item = &'a str>, max: usize) -> String {
    let names: Vec<&str> = names.into_iter().collect();
    let mut out: Vec<String> = names.iter().take(max).map(|n| format!("`{n}`")).collect();
    if names.len() > max {
        out.push(format!("and {} more", names.len() - max));
    }
    out.join(", ")
}

/// An unsafe fix replacing the scalar at `range` (whose value is `old`) with `new`, or `None`
/// when the scalar is not written literally (an alias, a tag, escapes).
pub(super) fn replace_fix(source: &str, range: TextRange, old: &str, new: &str) -> Option<Fix> {
    let replacement = rewrite_scalar(source, range, old, new)?;
    Some(Fix {
        title: format!("Replace `{old}` with `{new}`"),
        applicability: Applicability::Unsafe,
        edits: vec![Edit::replace(range, replacement)],
    })
}
