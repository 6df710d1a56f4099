//! `L301` fallback-cycle: fallback chains that lead back to where they started.
use foldhash::{HashMap, HashMapExt};

use super::prelude::*;
use crate::model::{FallbackChain, FileKind};
use crate::text::TextRange;

declare_rule! {
    /// ## What it does
    /// Reports a cycle among `fallback_chains`: a model whose chain leads, directly or
    /// through other chains, back to itself.
    ///
    /// A chain member that has a chain of its own continues the fallback there, so the
    /// chains form a graph. Each cycle is reported once, on the chain member that closes
    /// it, with every hop of the cycle as a related location. Chains are followed in file
    /// order, starting from the first chain in the file, so the member reported is
    /// deterministic. A chain that lists its own key is a cycle of length one, reported by
    /// `L302` self-fallback instead.
    ///
    /// ## Why is this bad?
    /// When every model of the loop fails (a provider outage, a bad request), the router
    /// keeps falling back around the loop instead of giving up: requests hang until they
    /// time out and the providers are hit again and again.
    ///
    /// ## Example
    /// ```yaml model-mappings.yaml
    /// fallback_chains:
    ///   "llama3.1:8b":
    ///     chain:
    ///       - gemma-2-9b-it
    ///   gemma-2-9b-it:
    ///     chain:
    ///       - "llama3.1:8b"
    /// ```
    ///
    /// ## How to fix
    /// Remove one member of the loop from the chain that leads back, so that the fallback
    /// ends somewhere: a chain may end with a model whose own chain is `[]`.
    code: "L301", name: "fallback-cycle", severity: Error, fix: None
}

/// DFS colours.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Colour {
    White,
    Grey,
    Black,
}

/// One fallback hop: chain `from` lists `to`, at `range`.
#[derive(Clone, Copy)]
struct Edge {
    to: usize,
    range: TextRange,
}

pub(crate) fn check(ctx: &mut RuleContext) {
    if !ctx.is_set_file(FileKind::Mappings) {
        return;
    }
    let Some(mappings) = ctx.set.mappings() else {
        return;
    };
    let chains: &[FallbackChain] = &mappings.fallback_chains;
    // A duplicated key (E002) counts once, as YAML loaders keep the last one.
    let mut index: HashMap<&str, usize> = HashMap::with_capacity(chains.len());
    for (i, chain) in chains.iter().enumerate() {
        index.insert(chain.name.as_str(), i);
    }
    // The edges of every chain in one list, chain after chain (one allocation rather than
    // one per chain): those of chain `i` are `edges[starts[i]..starts[i + 1]]`.
    let mut edges: Vec<Edge> = Vec::new();
    let mut starts: Vec<usize> = Vec::with_capacity(chains.len() + 1);
    for (i, chain) in chains.iter().enumerate() {
        starts.push(edges.len());
        if index.get(chain.name.as_str()) != Some(&i) {
            continue;
        }
        edges.extend(chain.chain.iter().filter_map(|member| {
            let to = *index.get(member.as_str())?;
            // A chain listing its own key is L302's.
            (to != i).then_some(Edge {
                to,
                range: member.range,
            })
        }));
    }
    starts.push(edges.len());
    let edges_of = |node: usize| &edges[starts[node]..starts[node + 1]];

    let mut colour = vec![Colour::White; chains.len()];
    // The current DFS path: node, the edge that entered it (None for the root), and the
    // index of its next edge to follow.
    let mut path: Vec<(usize, Option<TextRange>, usize)> = Vec::new();
    let mut position: Vec<Option<usize>> = vec![None; chains.len()];
    let mut cycles: Vec<Vec<(usize, TextRange)>> = Vec::new();
    for root in 0..chains.len() {
        if colour[root] != Colour::White {
            continue;
        }
        colour[root] = Colour::Grey;
        position[root] = Some(0);
        path.push((root, None, 0));
        while let Some(top) = path.last_mut() {
            let (node, _, next) = *top;
            let Some(edge) = edges_of(node).get(next).copied() else {
                colour[node] = Colour::Black;
                position[node] = None;
                path.pop();
                continue;
            };
            top.2 += 1;
            match colour[edge.to] {
                Colour::White => {
                    colour[edge.to] = Colour::Grey;
                    position[edge.to] = Some(path.len());
                    path.push((edge.to, Some(edge.range), 0));
                }
                Colour::Grey => {
                    // A back edge closes a cycle: the path from `edge.to` to `node`.
                    let Some(start) = position[edge.to] else {
                        continue;
                    };
                    let mut hops: Vec<(usize, TextRange)> = path
                        .get(start + 1..)
                        .unwrap_or_default()
                        .iter()
                        .filter_map(|&(n, entered, _)| Some((n, entered?)))
                        .collect();
                    hops.push((edge.to, edge.range));
                    cycles.push(hops);
                }
                Colour::Black => {}
            }
        }
    }

    for hops in cycles {
        report(ctx, chains, &hops);
    }
}

/// Reports one cycle; `hops` are the members followed, in order, the last one closing it.
fn report(ctx: &mut RuleContext, chains: &[FallbackChain], hops: &[(usize, TextRange)]) {
    let name = |i: usize| chains.get(i).map_or("", |c| c.name.as_str());
    let Some(&(start, closing)) = hops.last() else {
        return;
    };
    let mut names = vec![format!("`{}`", name(start))];
    names.extend(hops.iter().map(|&(to, _)| format!("`{}`", name(to))));
    let closer = hops
        .len()
        .checked_sub(2)
        .and_then(|i| hops.get(i))
        .map_or(start, |&(n, _)| n);
    let mut d = ctx.diagnostic(
        format!("fallback cycle: {}", names.join(" → ")),
        Label::new(
            closing,
            format!("falls back to `{}`, closing the cycle", name(start)),
        ),
    );
    for &(to, range) in hops.iter().take(hops.len() - 1) {
        d = d.with_secondary(Label::new(range, format!("falls back to `{}`", name(to))));
    }
    d = d.with_help(format!(
        "remove `{}` from the chain of `{}`, or end the fallback elsewhere",
        name(start),
        name(closer)
    ));
    ctx.report(d);
}
