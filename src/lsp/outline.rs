//! Document symbols: providers and their models in providers.yaml; exact matches, patterns,
//! fallback chains and the other routing sections in model-mappings.yaml.

use compact_str::CompactString;
use tower_lsp::lsp_types::{DocumentSymbol, SymbolKind};

use super::convert::Lines;
use super::documents::Snapshot;
use crate::model::{Config, MappingsConfig, ProvidersConfig, SourceFile};
use crate::text::TextRange;

/// The outline of member `index`.
pub(crate) fn document_symbols(snapshot: &Snapshot, index: usize) -> Vec<DocumentSymbol> {
    let (Some(file), Some(lines)) = (snapshot.file(index), snapshot.lines(index)) else {
        return Vec::new();
    };
    match &file.config {
        Config::Providers(p) => providers(p, lines),
        Config::Mappings(m) => mappings(m, file, lines),
        _ => Vec::new(),
    }
}

#[allow(deprecated)] // `DocumentSymbol::deprecated` must be written, though deprecated.
fn symbol(
    lines: Lines<'_>,
    name: &str,
    detail: Option<String>,
    kind: SymbolKind,
    range: TextRange,
    selection: TextRange,
    children: Vec<DocumentSymbol>,
) -> DocumentSymbol {
    // The selection must lie inside the range: cover both.
    let range = range.cover(selection);
    DocumentSymbol {
        name: if name.is_empty() {
            "(empty)".into()
        } else {
            name.to_string()
        },
        detail,
        kind,
        tags: None,
        deprecated: None,
        range: lines.range(range),
        selection_range: lines.range(selection),
        children: (!children.is_empty()).then_some(children),
    }
}

fn providers(p: &ProvidersConfig, lines: Lines<'_>) -> Vec<DocumentSymbol> {
    p.providers
        .iter()
        .map(|provider| {
            let models = provider
                .models
                .iter()
                .map(|m| {
                    let detail = m.size.as_ref().map(|s| s.value.to_string());
                    let r = m.name.range;
                    symbol(
                        lines,
                        &m.name.value,
                        detail,
                        SymbolKind::FIELD,
                        r,
                        r,
                        Vec::new(),
                    )
                })
                .collect();
            let detail = format!(
                "{} · {}",
                provider.provider_type().unwrap_or("?"),
                provider.status().unwrap_or("?")
            );
            symbol(
                lines,
                &provider.id.value,
                Some(detail),
                SymbolKind::OBJECT,
                provider.entry_range,
                provider.id.range,
                models,
            )
        })
        .collect()
}

fn mappings(m: &MappingsConfig, file: &SourceFile, lines: Lines<'_>) -> Vec<DocumentSymbol> {
    let mut sections = Vec::new();
    let mut section = |key: &str, children: Vec<DocumentSymbol>| {
        let Some(entry) = file.root().and_then(|r| r.get_entry(key)) else {
            return;
        };
        sections.push(symbol(
            lines,
            key,
            None,
            SymbolKind::NAMESPACE,
            entry.range(),
            entry.key.range,
            children,
        ));
    };
    let arrow = |p: &Option<crate::model::Spanned<CompactString>>| {
        p.as_ref().map(|p| format!("→ {}", p.value))
    };
    section(
        "exact_matches",
        m.exact_matches
            .iter()
            .map(|e| {
                let (name, range) = (&e.name, e.entry_range);
                symbol(
                    lines,
                    &name.value,
                    arrow(&e.provider),
                    SymbolKind::KEY,
                    range,
                    name.range,
                    Vec::new(),
                )
            })
            .collect(),
    );
    section(
        "patterns",
        m.patterns
            .iter()
            .map(|p| {
                let (pat, range) = (&p.pattern, p.entry_range);
                symbol(
                    lines,
                    &pat.value,
                    arrow(&p.provider),
                    SymbolKind::STRING,
                    range,
                    pat.range,
                    Vec::new(),
                )
            })
            .collect(),
    );
    section(
        "capabilities",
        m.capabilities
            .iter()
            .map(|c| {
                symbol(
                    lines,
                    &c.name.value,
                    None,
                    SymbolKind::PROPERTY,
                    c.name.range,
                    c.name.range,
                    Vec::new(),
                )
            })
            .collect(),
    );
    section(
        "load_balancing",
        m.load_balancing
            .iter()
            .map(|g| {
                symbol(
                    lines,
                    &g.name.value,
                    None,
                    SymbolKind::PROPERTY,
                    g.name.range,
                    g.name.range,
                    Vec::new(),
                )
            })
            .collect(),
    );
    section(
        "fallback_chains",
        m.fallback_chains
            .iter()
            .map(|c| {
                let members: Vec<&str> = c.chain.iter().map(|m| m.as_str()).collect();
                let range = c.chain.iter().fold(c.name.range, |r, m| r.cover(m.range));
                let detail = Some(format!("→ {}", members.join(", ")));
                symbol(
                    lines,
                    &c.name.value,
                    detail,
                    SymbolKind::ARRAY,
                    range,
                    c.name.range,
                    Vec::new(),
                )
            })
            .collect(),
    );
    section("routing_rules", Vec::new());
    sections
}
