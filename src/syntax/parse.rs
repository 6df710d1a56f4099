//! Builds the [`Node`] tree from saphyr-parser's event stream, bounding depth and alias
//! expansion, and records syntax errors instead of failing.
//!
//! Size: one state machine over the event stream. The `Builder`'s event handler, the
//! closing of collections, anchors and aliases, and the duplicate-key check all work on its
//! one stack of open frames and its anchor table, so they stay together.

use std::collections::HashMap;

use foldhash::HashMapExt;
use std::sync::Arc;

use compact_str::CompactString;
use saphyr_parser::{Event, Parser, ScalarStyle as SaphyrStyle, Span};

use super::markers::Markers;
use super::node::{Alias, Entry, Node, NodeKind, Scalar, ScalarStyle, TagType};
use super::scan_error::{self, ScanProblem};
use crate::text::TextRange;

/// Collections nested deeper than this are replaced by null and reported.
pub const MAX_DEPTH: usize = 128;
/// The most nodes that alias expansion may add to one document ("billion laughs" guard).
pub const MAX_ALIAS_EXPANSION: u64 = 100_000;
/// The most nodes one file's tree may hold. Memory grows with the nodes, not the bytes:
/// a flow list of one-character items is a node per two bytes. A real config of the
/// 64 MiB size cap has about half this many; a file past it is reported, not analysed.
pub const MAX_NODES: u64 = 10_000_000;

/// The result of parsing one file: the tree (partial when there was a syntax error) and
/// every problem found on the way.
#[derive(Clone, Debug)]
pub struct Parse {
    /// `None` for a file without a document (empty or comments only).
    pub root: Option<Node>,
    pub errors: Vec<SyntaxError>,
    /// Whether a scan error stopped the parser before the end of the text.
    pub truncated: bool,
}

impl Parse {
    /// Whether the tree is the whole document: no scan error cut it short.
    pub fn is_complete(&self) -> bool {
        !self.truncated
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SyntaxErrorKind {
    /// The scanner or parser rejected the text, for this reason.
    Invalid(ScanProblem),
    /// A mapping has the same key twice; `related` is the first occurrence.
    DuplicateKey,
    /// Alias expansion exceeded [`MAX_ALIAS_EXPANSION`].
    AliasLimit,
    /// Collections nested deeper than [`MAX_DEPTH`].
    TooDeep,
    /// More than one YAML document in the file.
    MultipleDocuments,
    /// More than [`MAX_NODES`] nodes: the tree is dropped and the file not analysed.
    TooManyNodes,
}

#[derive(Clone, Debug)]
pub struct SyntaxError {
    pub kind: SyntaxErrorKind,
    pub range: TextRange,
    pub message: String,
    pub related: Option<TextRange>,
}

/// Parses `text` into a tree. Never panics, whatever the input.
pub fn parse(text: &str) -> Parse {
    parse_within(text, MAX_NODES)
}

/// [`parse`] with a tree of at most `max_nodes` nodes.
fn parse_within(text: &str, max_nodes: u64) -> Parse {
    let base = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let markers = Markers::new(text, base);
    let mut builder = Builder::new(markers, max_nodes);
    let mut parser = Parser::new_from_str(&text[base..]);
    let mut truncated = false;
    loop {
        match parser.next_event() {
            None => break,
            Some(Ok((event, span))) => {
                if builder.on_event(event, span) {
                    break;
                }
            }
            Some(Err(err)) => {
                // The parser repeats the same error forever: stop at the first.
                let mut at = builder.markers.offset(err.marker());
                let problem = scan_error::classify(err.info());
                if problem == ScanProblem::Tab {
                    at = nearby_tab(text, at).unwrap_or(at);
                }
                // The scanner's own flow-depth limit (255) is the same problem as ours.
                let too_deep = problem == ScanProblem::RecursionLimit;
                let reported = builder
                    .errors
                    .iter()
                    .any(|e| e.kind == SyntaxErrorKind::TooDeep);
                if !(too_deep && reported) {
                    let (kind, message) = if too_deep {
                        let m = format!("collections are nested deeper than {MAX_DEPTH} levels");
                        (SyntaxErrorKind::TooDeep, m)
                    } else {
                        (SyntaxErrorKind::Invalid(problem), err.info().to_string())
                    };
                    builder.error(kind, char_range(text, at), message);
                }
                builder.close_all();
                truncated = true;
                break;
            }
        }
    }
    if builder.nodes > max_nodes {
        // Not analysed: the partial tree would only bring diagnostics of a cut-off file.
        builder.root = None;
        truncated = true;
    }
    Parse {
        root: builder.root,
        errors: builder.errors,
        truncated,
    }
}

/// saphyr reports a tab at the token before or after it; the tab itself is within the
/// line of `at` or the two after it.
fn nearby_tab(text: &str, at: usize) -> Option<usize> {
    let line_start = text[..at.min(text.len())].rfind('\n').map_or(0, |i| i + 1);
    let window: String = text[line_start..].split_inclusive('\n').take(3).collect();
    window.find('\t').map(|i| line_start + i)
}

/// The character at `at` (or an empty range at the end of the text or a line).
fn char_range(text: &str, at: usize) -> TextRange {
    match text[at.min(text.len())..].chars().next() {
        Some(c) if c != '\n' && c != '\r' => TextRange::new(at, at + c.len_utf8()),
        _ => TextRange::empty(at.min(text.len())),
    }
}

enum FrameKind {
    Mapping {
        entries: Vec<Entry>,
        pending_key: Option<Node>,
    },
    Sequence(Vec<Node>),
}

struct Frame {
    start: usize,
    anchor: usize,
    size: u64,
    kind: FrameKind,
}

impl Frame {
    /// The child at `slot` of this collection being built (see [`Location`]).
    fn child(&self, slot: u32) -> Option<&Node> {
        let slot = slot as usize;
        match &self.kind {
            FrameKind::Mapping {
                entries,
                pending_key,
            } => match entries.get(slot / 2) {
                Some(entry) if slot.is_multiple_of(2) => Some(&entry.key),
                Some(entry) => Some(&entry.value),
                None if slot.is_multiple_of(2) && slot / 2 == entries.len() => pending_key.as_ref(),
                None => None,
            },
            FrameKind::Sequence(items) => items.get(slot),
        }
    }
}

/// The child at `slot` of a finished node: in a mapping, `2i` is the key of entry `i` and
/// `2i + 1` its value; in a sequence, `i` is item `i`.
fn child(node: &Node, slot: u32) -> Option<&Node> {
    let slot = slot as usize;
    match &node.kind {
        NodeKind::Mapping(entries) => entries.get(slot / 2).map(|e| {
            if slot.is_multiple_of(2) {
                &e.key
            } else {
                &e.value
            }
        }),
        NodeKind::Sequence(items) => items.get(slot),
        _ => None,
    }
}

/// Where an anchored node sits in the tree being built: a slot of the open collection
/// `frames[frame]` (or the root, when `frame` is `None`), then the slots down to it. Kept
/// reversed, so that closing a collection prepends its own slot by a push.
struct Location {
    frame: Option<usize>,
    path_rev: Vec<u32>,
}

/// An anchor's node: located in the tree until an alias first needs it, then shared.
enum AnchorNode {
    Located(Location),
    Shared(Arc<Node>),
    /// Not in the tree (a second document's, which is not kept).
    Lost,
}

struct Anchor {
    node: AnchorNode,
    /// The nodes it stands for, aliases counted at their expansion.
    size: u64,
}

struct Builder<'a> {
    markers: Markers<'a>,
    frames: Vec<Frame>,
    /// Nesting depth of collections skipped beyond [`MAX_DEPTH`], and where the skip began.
    skipping: Option<(usize, usize)>,
    /// Anchored nodes are not copied when defined (nested anchors would copy a subtree once
    /// per anchor); the first alias that uses one copies it once, within the alias budget.
    anchors: HashMap<usize, Anchor>,
    /// Per open collection (`frames[i]`), the anchors whose location starts in it.
    located: Vec<Vec<usize>>,
    expanded: u64,
    /// Nodes read so far, aliases counted once (their expansion is bounded apart).
    nodes: u64,
    max_nodes: u64,
    documents: usize,
    root: Option<Node>,
    errors: Vec<SyntaxError>,
}

impl<'a> Builder<'a> {
    fn new(markers: Markers<'a>, max_nodes: u64) -> Self {
        Builder {
            markers,
            frames: Vec::new(),
            skipping: None,
            anchors: HashMap::new(),
            located: Vec::new(),
            expanded: 0,
            nodes: 0,
            max_nodes,
            documents: 0,
            root: None,
            errors: Vec::new(),
        }
    }

    fn error(&mut self, kind: SyntaxErrorKind, range: TextRange, message: String) {
        self.errors.push(SyntaxError {
            kind,
            range,
            message,
            related: None,
        });
    }

    /// Handles one event; returns true to stop reading.
    fn on_event(&mut self, event: Event<'_>, span: Span) -> bool {
        if let Some((depth, start)) = self.skipping.as_mut() {
            match event {
                Event::MappingStart(..) | Event::SequenceStart(..) => *depth += 1,
                Event::MappingEnd | Event::SequenceEnd => {
                    *depth -= 1;
                    if *depth == 0 {
                        let start = *start;
                        self.skipping = None;
                        let end = self.markers.offset(&span.end).max(start);
                        self.finish(null_node(TextRange::new(start, end)), 0, 1);
                    }
                }
                _ => {}
            }
            return false;
        }
        if matches!(
            event,
            Event::Scalar(..)
                | Event::Alias(_)
                | Event::MappingStart(..)
                | Event::SequenceStart(..)
        ) {
            self.nodes += 1;
            if self.nodes > self.max_nodes {
                let at = self.markers.range(&span).start as usize;
                let text = self.markers.text();
                self.error(
                    SyntaxErrorKind::TooManyNodes,
                    char_range(text, at),
                    format!("the file holds more than {} YAML nodes", self.max_nodes),
                );
                return true;
            }
        }
        match event {
            Event::DocumentStart(_) => {
                self.documents += 1;
                if self.documents > 1 {
                    // The `---` when there is one; a document after `...` may start without.
                    let start = self.markers.range(&span).start as usize;
                    let text = self.markers.text();
                    let range = if text[start..].starts_with("---") {
                        TextRange::new(start, start + 3)
                    } else {
                        char_range(text, start)
                    };
                    self.error(
                        SyntaxErrorKind::MultipleDocuments,
                        range,
                        "a configuration file holds one YAML document; this starts a second"
                            .to_string(),
                    );
                    return true;
                }
            }
            Event::Scalar(value, style, anchor, tag) => {
                let style = convert_style(style);
                let range = self.markers.scalar_range(&span, style);
                // saphyr reserves a whole input buffer (128 bytes) for every plain scalar:
                // kept, `[1,1,1,...]` would cost 64 bytes per byte of input. A copy of the
                // exact size, not a shrink in place: the big buffer is then freed whole and
                // reused for the next scalar, instead of leaving a hole no scalar fits.
                let value = CompactString::from(value.as_ref());
                let node = Node {
                    range,
                    kind: NodeKind::Scalar(Scalar {
                        value,
                        style,
                        tag: tag.map(|t| TagType::of(&format!("{}{}", t.handle, t.suffix))),
                    }),
                };
                self.finish(node, anchor, 1);
            }
            Event::Alias(id) => {
                let range = self.markers.range(&span);
                let name = self.markers.property_name(range.start as usize);
                let size = self.anchors.get(&id).map(|a| a.size);
                let (target, size) = match size {
                    Some(size) if self.expanded.saturating_add(size) <= MAX_ALIAS_EXPANSION => {
                        self.expanded += size;
                        (self.shared(id), size)
                    }
                    Some(_) => {
                        if !self
                            .errors
                            .iter()
                            .any(|e| e.kind == SyntaxErrorKind::AliasLimit)
                        {
                            self.error(
                                SyntaxErrorKind::AliasLimit,
                                range,
                                format!(
                                    "alias `*{name}` expands the document past {MAX_ALIAS_EXPANSION} nodes"
                                ),
                            );
                        }
                        (None, 1)
                    }
                    None => (None, 1),
                };
                let node = Node {
                    range,
                    kind: NodeKind::Alias(Box::new(Alias { name, target })),
                };
                self.finish(node, 0, size);
            }
            Event::MappingStart(anchor, _) | Event::SequenceStart(anchor, _) => {
                let start = self.markers.offset(&span.start);
                if self.frames.len() >= MAX_DEPTH {
                    self.skipping = Some((1, start));
                    if !self
                        .errors
                        .iter()
                        .any(|e| e.kind == SyntaxErrorKind::TooDeep)
                    {
                        self.error(
                            SyntaxErrorKind::TooDeep,
                            char_range(self.markers.text(), start),
                            format!("collections are nested deeper than {MAX_DEPTH} levels"),
                        );
                    }
                    return false;
                }
                let kind = if matches!(event, Event::MappingStart(..)) {
                    FrameKind::Mapping {
                        entries: Vec::new(),
                        pending_key: None,
                    }
                } else {
                    FrameKind::Sequence(Vec::new())
                };
                self.frames.push(Frame {
                    start,
                    anchor,
                    size: 1,
                    kind,
                });
                self.located.push(Vec::new());
            }
            Event::MappingEnd | Event::SequenceEnd => self.close(Some(&span)),
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd | Event::Nothing => {}
        }
        false
    }

    /// Closes the innermost collection; `end` is its end event's span (`None` when the text
    /// was cut short by an error).
    fn close(&mut self, end: Option<&Span>) {
        let Some(frame) = self.frames.pop() else {
            return;
        };
        let inside = self.located.pop().unwrap_or_default();
        let (kind, children) = match frame.kind {
            FrameKind::Mapping {
                entries,
                pending_key,
            } => {
                let mut entries = entries;
                if let Some(key) = pending_key {
                    let at = key.range.end as usize;
                    entries.push(Entry {
                        key,
                        value: null_node(TextRange::empty(at)),
                    });
                }
                self.check_duplicate_keys(&entries);
                // Growth by doubling leaves up to half of a mapping's slots empty, and
                // the tree is kept for the whole check.
                let entries = crate::alloc::exact_len(entries);
                let children = entries
                    .first()
                    .zip(entries.last())
                    .map(|(f, l)| (f.key.range, l.value.range.cover(l.key.range)));
                (NodeKind::Mapping(entries), children)
            }
            FrameKind::Sequence(items) => {
                let items = crate::alloc::exact_len(items);
                let children = items
                    .first()
                    .zip(items.last())
                    .map(|(f, l)| (f.range, l.range));
                (NodeKind::Sequence(items), children)
            }
        };
        let range = match end {
            Some(span) => self.markers.collection_range(frame.start, span, children),
            None => {
                let end = children.map_or(frame.start, |(_, l)| l.end as usize);
                TextRange::new(frame.start, end)
            }
        };
        let placed = self.finish(Node { range, kind }, frame.anchor, frame.size);
        // The anchors inside move with the collection into its parent.
        for id in inside {
            let Some(anchor) = self.anchors.get_mut(&id) else {
                continue;
            };
            let AnchorNode::Located(location) = &mut anchor.node else {
                continue;
            };
            match placed {
                Some(Some((frame, slot))) => {
                    location.frame = Some(frame);
                    location.path_rev.push(slot);
                    if let Some(list) = self.located.get_mut(frame) {
                        list.push(id);
                    }
                }
                Some(None) => location.frame = None,
                None => anchor.node = AnchorNode::Lost,
            }
        }
    }

    fn close_all(&mut self) {
        while !self.frames.is_empty() {
            self.close(None);
        }
    }

    /// Places a completed node in its parent (or as the root) and registers its anchor.
    /// Returns where it went: `Some(Some((frame, slot)))` in an open collection, `Some(None)`
    /// as the root, `None` nowhere (a second root).
    fn finish(&mut self, node: Node, anchor: usize, size: u64) -> Option<Option<(usize, u32)>> {
        let depth = self.frames.len();
        let placed = match self.frames.last_mut() {
            None if self.root.is_none() => {
                self.root = Some(node);
                Some(None)
            }
            None => None,
            Some(parent) => {
                parent.size = parent.size.saturating_add(size);
                let slot = match &mut parent.kind {
                    FrameKind::Mapping {
                        entries,
                        pending_key,
                    } => match pending_key.take() {
                        None => {
                            *pending_key = Some(node);
                            2 * entries.len()
                        }
                        Some(key) => {
                            entries.push(Entry { key, value: node });
                            2 * entries.len() - 1
                        }
                    },
                    FrameKind::Sequence(items) => {
                        items.push(node);
                        items.len() - 1
                    }
                };
                Some(Some((depth - 1, u32::try_from(slot).unwrap_or(u32::MAX))))
            }
        };
        if anchor != 0 {
            let node = match placed {
                Some(Some((frame, slot))) => {
                    if let Some(list) = self.located.get_mut(frame) {
                        list.push(anchor);
                    }
                    AnchorNode::Located(Location {
                        frame: Some(frame),
                        path_rev: vec![slot],
                    })
                }
                Some(None) => AnchorNode::Located(Location {
                    frame: None,
                    path_rev: Vec::new(),
                }),
                None => AnchorNode::Lost,
            };
            self.anchors.insert(anchor, Anchor { node, size });
        }
        placed
    }

    /// The anchored node `id` as a shared copy, made on first use.
    fn shared(&mut self, id: usize) -> Option<Arc<Node>> {
        let anchor = self.anchors.get(&id)?;
        let shared = match &anchor.node {
            AnchorNode::Shared(node) => return Some(node.clone()),
            AnchorNode::Lost => return None,
            AnchorNode::Located(location) => Arc::new(self.locate(location)?.clone()),
        };
        if let Some(anchor) = self.anchors.get_mut(&id) {
            anchor.node = AnchorNode::Shared(shared.clone());
        }
        Some(shared)
    }

    fn locate(&self, location: &Location) -> Option<&Node> {
        let mut path = location.path_rev.iter().rev();
        let mut node = match location.frame {
            None => self.root.as_ref()?,
            Some(frame) => self.frames.get(frame)?.child(*path.next()?)?,
        };
        for &slot in path {
            node = child(node, slot)?;
        }
        Some(node)
    }

    fn check_duplicate_keys(&mut self, entries: &[Entry]) {
        // Most mappings have a handful of keys: comparing them pairwise costs less than
        // hashing them, and allocates nothing.
        const SMALL: usize = 12;
        // Keys are hashed with foldhash: SipHash was a tenth of a large file's check, and
        // a file is no interactive adversary that could learn the per-process seed.
        let mut seen: foldhash::HashMap<&str, TextRange> = foldhash::HashMap::new();
        for (i, entry) in entries.iter().enumerate() {
            let Some(key) = entry.key.scalar_text() else {
                continue;
            };
            let first = if entries.len() <= SMALL {
                entries[..i]
                    .iter()
                    .find(|e| e.key.scalar_text() == Some(key))
                    .map(|e| e.key.range)
            } else {
                let first = seen.get(key).copied();
                seen.entry(key).or_insert(entry.key.range);
                first
            };
            if let Some(first) = first {
                self.errors.push(SyntaxError {
                    kind: SyntaxErrorKind::DuplicateKey,
                    range: entry.key.range,
                    message: format!("key `{key}` is defined twice in this mapping"),
                    related: Some(first),
                });
            }
        }
    }
}

fn null_node(range: TextRange) -> Node {
    Node {
        range,
        kind: NodeKind::Scalar(Scalar {
            value: CompactString::default(),
            style: ScalarStyle::Plain,
            tag: None,
        }),
    }
}

fn convert_style(style: SaphyrStyle) -> ScalarStyle {
    match style {
        SaphyrStyle::Plain => ScalarStyle::Plain,
        SaphyrStyle::SingleQuoted => ScalarStyle::SingleQuoted,
        SaphyrStyle::DoubleQuoted => ScalarStyle::DoubleQuoted,
        SaphyrStyle::Literal => ScalarStyle::Literal,
        SaphyrStyle::Folded => ScalarStyle::Folded,
    }
}

#[cfg(test)]
mod tests;
