//! What each fuzz target checks, shared by the cargo-fuzz targets (`fuzz/fuzz_targets/`) and
//! by `tests/it/fuzz_corpus.rs`, which replays the corpus and every minimised finding on the
//! stable toolchain. Each function takes the raw input and panics when an oracle fails.
//!
//! Set inputs (lint, emit, migrate) are the files of a config set joined by two NUL bytes, in
//! the order of `SET_FILES`.
#![allow(dead_code)]

use aiblint::diagnostic::{apply_edits, Diagnostic, Edit};
use aiblint::emit::{self, OutputFormat};
use aiblint::fix::{self, FixMode};
use aiblint::lint::{self, LintedFile, RuleSelection};
use aiblint::migrate::{self, MigrationInput};
use aiblint::model::version::CURRENT;
use aiblint::model::{FileKind, SetMember, SourceFile};
use aiblint::syntax::{self, Node, NodeKind};
use aiblint::text::TextRange;
use serde_json::{json, Value};

/// The files of a set input, in order.
pub const SET_FILES: [&str; 4] = [
    "providers.yaml",
    "model-mappings.yaml",
    "litellm-unified.yaml",
    "ports.yaml",
];

/// Splits a set input into its files (at most four).
pub fn split_set(data: &[u8]) -> Vec<&[u8]> {
    let mut parts = Vec::new();
    let mut rest = data;
    while parts.len() + 1 < SET_FILES.len() {
        match rest.windows(2).position(|w| w == b"\0\0") {
            Some(at) => {
                parts.push(&rest[..at]);
                rest = &rest[at + 2..];
            }
            None => break,
        }
    }
    parts.push(rest);
    parts
}

// ------------------------------------------------------------------------------- parse

/// Parsing never panics, and every range it gives is inside the text, on character
/// boundaries, and ordered.
pub fn parse(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let parse = syntax::parse(&text);
    if let Some(root) = &parse.root {
        let mut budget = 1_000_000usize;
        check_node(&text, root, &mut budget);
    }
    for error in &parse.errors {
        check_range(&text, error.range, "syntax error");
        if let Some(related) = error.related {
            check_range(&text, related, "syntax error (related)");
        }
    }
}

fn check_range(text: &str, range: TextRange, what: &str) {
    let (start, end) = (range.start as usize, range.end as usize);
    assert!(
        start <= end && end <= text.len(),
        "{what}: range {start}..{end} outside a text of {} bytes",
        text.len()
    );
    assert!(
        text.is_char_boundary(start) && text.is_char_boundary(end),
        "{what}: range {start}..{end} splits a character"
    );
}

fn check_node(text: &str, node: &Node, budget: &mut usize) {
    if *budget == 0 {
        return;
    }
    *budget -= 1;
    check_range(text, node.range, "node");
    match &node.kind {
        NodeKind::Mapping(entries) => {
            for entry in entries {
                check_node(text, &entry.key, budget);
                check_node(text, &entry.value, budget);
            }
        }
        NodeKind::Sequence(items) => {
            for item in items {
                check_node(text, item, budget);
            }
        }
        // Alias targets are anchored nodes, checked where they are written.
        NodeKind::Scalar(_) | NodeKind::Alias(_) => {}
    }
}

// ------------------------------------------------------------------------------- lint

/// Linting a set of arbitrary files never panics; every diagnostic points inside its file on
/// character boundaries, and every fix applies whole and leaves text that can be parsed.
/// The fix loop of `check --fix --unsafe-fixes` never panics either, and leaves no file
/// with an error it did not have.
pub fn lint(data: &[u8]) {
    let files = lint_set(data);
    for file in &files {
        for d in &file.diagnostics {
            check_diagnostic(&files, file, d);
        }
    }
    if files
        .iter()
        .flat_map(|f| &f.diagnostics)
        .any(|d| d.fix.is_some())
    {
        let outcome = fix::fix_set(
            set_members(data),
            &RuleSelection::default(),
            FixMode::Unsafe,
            |_| true,
        );
        let new = fix::introduced_errors(&files, &outcome.files);
        assert!(
            new.is_empty(),
            "fixing brought errors: {:?}",
            new.iter()
                .flat_map(|f| f.diagnostics.iter().map(|d| d.code))
                .collect::<Vec<_>>()
        );
    }
}

fn set_members(data: &[u8]) -> Vec<SetMember> {
    split_set(data)
        .into_iter()
        .zip(SET_FILES)
        .map(|(bytes, name)| SetMember {
            path: format!("config/{name}"),
            file: SourceFile::from_bytes(FileKind::from_file_name(name), bytes.to_vec()).into(),
        })
        .collect()
}

fn lint_set(data: &[u8]) -> Vec<LintedFile> {
    lint::check_set(set_members(data), &RuleSelection::default())
}

/// Every range of `d`, a diagnostic of `file`, lies in the file it points into: a label
/// naming another file of the set, in that file.
fn check_diagnostic(files: &[LintedFile], file: &LintedFile, d: &Diagnostic) {
    let text = &file.file.text;
    for label in std::iter::once(&d.primary).chain(&d.secondary) {
        let text = match &label.file {
            None => text,
            Some(path) => match files.iter().find(|f| &f.path == path) {
                Some(other) => &other.file.text,
                None => panic!("{}: a label names {path}, which is not in the set", d.code),
            },
        };
        check_range(text, label.range, d.code);
    }
    if let Some(fix) = &d.fix {
        let mut cursor = 0;
        for edit in &fix.edits {
            check_range(text, edit.range, d.code);
            assert!(
                edit.range.start as usize >= cursor,
                "{}: fix edits overlap or are out of order",
                d.code
            );
            cursor = edit.range.end as usize;
        }
        let (fixed, skipped) = apply_edits(text, &fix.edits);
        assert!(skipped.is_empty(), "{}: a fix edit was skipped", d.code);
        syntax::parse(&fixed);
    }
}

// ------------------------------------------------------------------------------- emit

/// Every output format renders any set; JSON and SARIF are JSON documents.
pub fn emit(data: &[u8]) {
    let files = lint_set(data);
    for format in [
        OutputFormat::Full,
        OutputFormat::Concise,
        OutputFormat::Github,
        OutputFormat::Json,
        OutputFormat::Sarif,
    ] {
        let out = match emit::render(&files, &[], format, false) {
            Ok(out) => out,
            Err(e) => panic!("{format:?}: {e}"),
        };
        if matches!(format, OutputFormat::Json | OutputFormat::Sarif) {
            let parsed: Result<Value, _> = serde_json::from_str(&out);
            assert!(parsed.is_ok(), "{format:?} output is not JSON");
        }
        if let Some(stats) = emit::render_statistics(&files, format) {
            let stats = match stats {
                Ok(stats) => stats,
                Err(e) => panic!("{format:?} statistics: {e}"),
            };
            if format == OutputFormat::Json {
                assert!(serde_json::from_str::<Value>(&stats).is_ok());
            }
        }
    }
    emit::render_text(&files, &[], false, true);
    // Each file shown alone, the others of its set as the context its labels point into.
    for one in 0..files.len() {
        emit::render_text(&files[one..=one], &files, false, true);
    }
}

// ------------------------------------------------------------------------------- migrate

/// A migration plan applies whole, touches only its ranges, gives text that parses, changes
/// nothing when run again, and changes the YAML data only as the migration documents:
/// `metadata.schema_version`, the `status` of vLLM providers, the removal of the 1.x-only
/// blocks, and the fallback chain items that named a provider. Aliases are compared resolved, so an anchor that a removed block defined, or
/// redefined, is followed.
pub fn migrate(data: &[u8]) {
    let parts = split_set(data);
    let texts: Vec<&str> = parts
        .iter()
        .take(2)
        .filter_map(|p| std::str::from_utf8(p).ok())
        .collect();
    if texts.len() < parts.len().min(2) {
        return;
    }
    let kinds = [FileKind::Providers, FileKind::Mappings];
    let inputs: Vec<MigrationInput<'_>> = texts
        .iter()
        .zip(kinds)
        .map(|(text, kind)| MigrationInput { kind, text })
        .collect();
    let Ok(plan) = migrate::plan(&inputs, &CURRENT) else {
        return;
    };
    let mut migrated: Vec<String> = texts.iter().map(|t| t.to_string()).collect();
    for file in &plan.files {
        let text = texts[file.index];
        let mut cursor = 0;
        for edit in &file.edits {
            check_range(text, edit.range, "migration edit");
            assert!(
                edit.range.start as usize >= cursor,
                "migration edits overlap"
            );
            cursor = edit.range.end as usize;
        }
        let (out, skipped) = apply_edits(text, &file.edits);
        assert!(skipped.is_empty(), "a migration edit was skipped");
        assert_untouched_bytes_kept(text, &out, &file.edits);
        let before = syntax::parse(text);
        let after = syntax::parse(&out);
        assert!(
            after.is_complete() && after.errors.len() <= before.errors.len(),
            "the migrated text has new syntax errors: {:?}",
            after.errors.first().map(|e| &e.message)
        );
        assert_eq!(
            comparable(inputs[file.index].kind, before.root.as_ref()),
            comparable(inputs[file.index].kind, after.root.as_ref()),
            "the migration changed data it does not document changing"
        );
        migrated[file.index] = out;
    }
    let again: Vec<MigrationInput<'_>> = migrated
        .iter()
        .zip(kinds)
        .map(|(text, kind)| MigrationInput { kind, text })
        .collect();
    let replan = migrate::plan(&again, &CURRENT);
    assert!(
        replan.as_ref().is_ok_and(|p| !p.is_pending()),
        "migrating the migrated set again is not a no-op: {replan:?}"
    );
}

/// Every byte outside the edited ranges is still there, in order.
fn assert_untouched_bytes_kept(text: &str, out: &str, edits: &[Edit]) {
    let mut at = 0;
    let mut cursor = 0;
    for edit in edits {
        let kept = &text[cursor..edit.range.start as usize];
        assert_eq!(&out[at..at + kept.len()], kept, "untouched bytes changed");
        at += kept.len() + edit.replacement.len();
        cursor = edit.range.end as usize;
    }
    assert_eq!(&out[at..], &text[cursor..], "untouched bytes changed");
}

/// The YAML data of a file with what the migration documents changing taken out.
fn comparable(kind: FileKind, root: Option<&Node>) -> Value {
    let Some(root) = root else {
        return Value::Null;
    };
    let mut budget = 2_000_000usize;
    let mut data = to_data(root, &mut budget);
    // `get_mut`, never `[]`: indexing a `Value` mutably inserts what it does not find.
    fn list<'v>(value: &'v mut Value, kind: &str) -> Option<&'v mut Vec<Value>> {
        value.get_mut(kind).and_then(Value::as_array_mut)
    }
    let key_is = |e: &Value, k: &str| e[0] == json!({"str": k});
    let drop_key = |map: &mut Value, k: &str| {
        if let Some(entries) = list(map, "map") {
            entries.retain(|e| !key_is(e, k));
        }
    };
    let Some(entries) = list(&mut data, "map") else {
        return data;
    };
    for entry in entries.iter_mut() {
        let (name, value) = (entry[0].clone(), &mut entry[1]);
        let is = |k: &str| name == json!({"str": k});
        if is("metadata") {
            drop_key(value, "schema_version");
        }
        if kind == FileKind::Providers && is("providers") {
            for provider in list(value, "map").into_iter().flatten() {
                drop_key(&mut provider[1], "status");
            }
        }
        // A chain item naming a provider becomes the one model it serves.
        if kind == FileKind::Mappings && is("fallback_chains") {
            for chain in list(value, "map").into_iter().flatten() {
                for field in list(&mut chain[1], "map").into_iter().flatten() {
                    if key_is(field, "chain") {
                        for item in list(&mut field[1], "seq").into_iter().flatten() {
                            if item.get("str").is_some() {
                                *item = json!({"str": "a chain item"});
                            }
                        }
                    }
                }
            }
        }
        if kind == FileKind::Mappings && is("routing_rules") {
            drop_key(value, "request_metadata_routing");
        }
        if kind == FileKind::Mappings && is("load_balancing") {
            for group in list(value, "map").into_iter().flatten() {
                drop_key(&mut group[1], "parameters");
                for field in list(&mut group[1], "map").into_iter().flatten() {
                    if key_is(field, "providers") {
                        for item in list(&mut field[1], "seq").into_iter().flatten() {
                            drop_key(item, "condition");
                        }
                    }
                }
            }
        }
    }
    if kind == FileKind::Mappings {
        entries.retain(|e| !key_is(e, "special_cases"));
    }
    // A `metadata` the migration added, or filled when it was empty, holds nothing else.
    let empty = [json!({"map": []}), json!({"null": null})];
    entries.retain(|e| !(key_is(e, "metadata") && empty.contains(&e[1])));
    data
}

/// A node as data: aliases followed, mappings as ordered `[key, value]` pairs (duplicates
/// kept), scalars by what they resolve to.
/// A mapping key as aiblint reads keys: by its text, a tag written on it not applied
/// (`!!null schema_version:` is `schema_version` to every rule and to the migration).
fn key_data(key: &Node, budget: &mut usize) -> Value {
    match &key.resolved().kind {
        NodeKind::Scalar(s) if s.tag.is_some() => json!({"str": s.value.as_str()}),
        _ => to_data(key, budget),
    }
}

fn to_data(node: &Node, budget: &mut usize) -> Value {
    if *budget == 0 {
        return json!("budget exhausted");
    }
    *budget -= 1;
    let node = node.resolved();
    match &node.kind {
        NodeKind::Scalar(s) => match s.resolve() {
            syntax::Value::Null => json!({"null": null}),
            syntax::Value::Bool(b) => json!({"bool": b}),
            syntax::Value::Int(i) => json!({"int": i}),
            syntax::Value::Float(f) => json!({"float": f.to_bits()}),
            syntax::Value::Str(s) => json!({"str": s}),
        },
        NodeKind::Mapping(entries) => json!({"map": entries
            .iter()
            .map(|e| json!([key_data(&e.key, budget), to_data(&e.value, budget)]))
            .collect::<Vec<_>>()}),
        NodeKind::Sequence(items) => {
            json!({"seq": items.iter().map(|i| to_data(i, budget)).collect::<Vec<_>>()})
        }
        NodeKind::Alias(alias) => json!({"unresolved alias": alias.name}),
    }
}

// ------------------------------------------------------------------------------- lsp

/// A little byte reader for the LSP targets.
pub struct Bytes<'a>(&'a [u8]);

impl<'a> Bytes<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Bytes(data)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn byte(&mut self) -> u8 {
        match self.0.split_first() {
            Some((b, rest)) => {
                self.0 = rest;
                *b
            }
            None => 0,
        }
    }

    /// A small number, now and then a huge one (positions past the end).
    pub fn number(&mut self) -> u32 {
        match self.byte() {
            255 => u32::MAX,
            254 => 100_000,
            b => u32::from(b % 64),
        }
    }

    /// Up to 64 bytes, as text (lossy).
    pub fn text(&mut self) -> String {
        let len = usize::from(self.byte() % 64).min(self.0.len());
        let (chunk, rest) = self.0.split_at(len);
        self.0 = rest;
        String::from_utf8_lossy(chunk).into_owned()
    }

    /// Everything left, as text (lossy).
    pub fn rest(&mut self) -> String {
        let all = std::mem::take(&mut self.0);
        String::from_utf8_lossy(all).into_owned()
    }
}

/// The byte offset of an LSP position, as aiblint documents it: a line past the end is the
/// end of the text; a character past the line's end is its end; inside a character, its
/// start. An independent model of `LineIndex::offset_of`.
pub fn model_offset(text: &str, line: u32, character: u32, utf8: bool) -> usize {
    let mut starts = vec![0];
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\r' if bytes.get(i + 1) == Some(&b'\n') => {
                starts.push(i + 2);
                i += 2;
                continue;
            }
            b'\r' | b'\n' => starts.push(i + 1),
            _ => {}
        }
        i += 1;
    }
    let Some(&start) = starts.get(line as usize) else {
        return text.len();
    };
    let mut units = 0u64;
    for (i, c) in text[start..].char_indices() {
        if c == '\n' || c == '\r' {
            return start + i;
        }
        let width = if utf8 { c.len_utf8() } else { c.len_utf16() } as u64;
        if units + width > u64::from(character) {
            return start + i;
        }
        units += width;
    }
    text.len()
}

/// The language server, in process, under random opens, incremental edits (positions past
/// lines and text, inside surrogate pairs, inverted ranges) and requests: it never panics,
/// answers every request, and its copy of the document is the one the edits make.
pub fn lsp(data: &[u8]) {
    use futures::StreamExt;
    use tower::{Service, ServiceExt};
    use tower_lsp::jsonrpc::Request;

    let mut input = Bytes::new(data);
    let utf8 = input.byte().is_multiple_of(2);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a runtime");
    runtime.block_on(async move {
        let (mut service, mut socket) = aiblint::lsp::service();
        tokio::spawn(async move { while socket.next().await.is_some() {} });
        let mut next_id = 0i64;
        let mut call = |method: &'static str, params: Value, request: bool| {
            let builder = Request::build(method).params(params);
            let message = if request {
                next_id += 1;
                builder.id(next_id).finish()
            } else {
                builder.finish()
            };
            (message, request)
        };
        macro_rules! send {
            ($method:expr, $params:expr, $request:expr) => {{
                let (message, request) = call($method, $params, $request);
                let response = service
                    .ready()
                    .await
                    .expect("the service is ready")
                    .call(message)
                    .await
                    .expect("the service answers");
                assert_eq!(
                    response.is_some(),
                    request,
                    "{}: a request without an answer, or an answer to a notification",
                    $method
                );
                response
            }};
        }
        let encodings = if utf8 {
            json!(["utf-8", "utf-16"])
        } else {
            json!(["utf-16"])
        };
        send!(
            "initialize",
            json!({"processId": null, "rootUri": null,
                   "capabilities": {"general": {"positionEncodings": encodings}}}),
            true
        );
        send!("initialized", json!({}), false);
        let names = ["model-mappings.yaml", "providers.yaml", "notes.yaml"];
        let uri = format!(
            "file:///aiblint-fuzz/config/{}",
            names[usize::from(input.byte()) % names.len()]
        );
        let mut text = input.text();
        let mut version = 1;
        send!("textDocument/didOpen", json!({"textDocument": {"uri": uri, "languageId": "yaml", "version": version, "text": text}}), false);
        let mut open = true;
        while !input.is_empty() {
            let position = |input: &mut Bytes<'_>| {
                let (line, character) = (input.number(), input.number());
                (line, character, json!({"line": line, "character": character}))
            };
            let doc = json!({"uri": uri});
            match input.byte() % 16 {
                0..=5 => {
                    let (l1, c1, start) = position(&mut input);
                    let (l2, c2, end) = position(&mut input);
                    let new = input.text();
                    version += 1;
                    send!("textDocument/didChange", json!({"textDocument": {"uri": uri, "version": version},
                        "contentChanges": [{"range": {"start": start, "end": end}, "text": new}]}), false);
                    if open {
                        let (a, b) = (
                            model_offset(&text, l1, c1, utf8),
                            model_offset(&text, l2, c2, utf8),
                        );
                        text.replace_range(a.min(b)..a.max(b), &new);
                    }
                }
                6 => {
                    let new = input.text();
                    version += 1;
                    send!("textDocument/didChange", json!({"textDocument": {"uri": uri, "version": version},
                        "contentChanges": [{"text": new}]}), false);
                    if open {
                        text = new;
                    }
                }
                7 => {
                    if open {
                        send!("textDocument/didClose", json!({"textDocument": doc}), false);
                    } else {
                        text = input.text();
                        version += 1;
                        send!("textDocument/didOpen", json!({"textDocument": {"uri": uri, "languageId": "yaml", "version": version, "text": text}}), false);
                    }
                    open = !open;
                }
                op => {
                    let (_, _, at) = position(&mut input);
                    let (_, _, to) = position(&mut input);
                    let (method, params) = match op {
                        8 => ("textDocument/hover", json!({"textDocument": doc, "position": at})),
                        9 => ("textDocument/completion", json!({"textDocument": doc, "position": at})),
                        10 => ("textDocument/definition", json!({"textDocument": doc, "position": at})),
                        11 => ("textDocument/references", json!({"textDocument": doc, "position": at, "context": {"includeDeclaration": true}})),
                        12 => ("textDocument/documentSymbol", json!({"textDocument": doc})),
                        13 => ("textDocument/codeAction", json!({"textDocument": doc, "range": {"start": at, "end": to}, "context": {"diagnostics": []}})),
                        14 => ("textDocument/rename", json!({"textDocument": doc, "position": at, "newName": input.text()})),
                        _ => ("textDocument/prepareRename", json!({"textDocument": doc, "position": at})),
                    };
                    send!(method, params, true);
                }
            }
        }
        let response = send!(
            aiblint::lsp::DOCUMENT_TEXT_METHOD,
            json!({"textDocument": {"uri": uri}}),
            true
        )
        .expect("an answer");
        let result = response.result().cloned().unwrap_or(Value::Null);
        if open {
            assert_eq!(
                result["text"].as_str(),
                Some(text.as_str()),
                "the server's copy differs from the edits' result"
            );
        } else {
            assert!(result.is_null(), "a closed document is still held");
        }
        send!("shutdown", Value::Null, true);
    });
}

// ------------------------------------------------------------------------------- framing

/// The framing guard in front of tower-lsp, over memory streams. The input is segments
/// separated by 0xFE: each is sent framed (`Content-Length`) or raw, by its first byte. In the
/// first mode raw segments never name `Content-Length`, so no header can swallow what follows,
/// and a last request must be answered: whatever came before, the server still reads. In the
/// second mode the bytes go as they are, and the server must only end when the input does,
/// writing nothing but whole frames of JSON.
pub fn framing(data: &[u8]) {
    let Some((&mode, data)) = data.split_first() else {
        return;
    };
    let strict = mode % 2 == 0;
    let mut stream = Vec::new();
    let mut exits = false;
    for segment in data.split(|&b| b == 0xFE) {
        let Some((&how, body)) = segment.split_first() else {
            continue;
        };
        if !strict {
            stream.extend_from_slice(segment);
        } else if how % 2 == 0 {
            stream.extend_from_slice(format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes());
            stream.extend_from_slice(body);
            exits |= names_exit(body);
        } else if !String::from_utf8_lossy(body)
            .to_ascii_lowercase()
            .contains("content-length")
        {
            stream.extend_from_slice(body);
        }
    }
    let last = br#"{"jsonrpc":"2.0","id":"fuzz-last","method":"aiblint/noSuchMethod"}"#;
    if strict {
        // A blank line ends whatever header a raw segment left open.
        stream.extend_from_slice(b"\r\n\r\n");
        stream.extend_from_slice(format!("Content-Length: {}\r\n\r\n", last.len()).as_bytes());
        stream.extend_from_slice(last);
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let output = runtime.block_on(async move {
        let (mut to_server, input) = tokio::io::duplex(1 << 16);
        let (output, mut from_server) = tokio::io::duplex(1 << 16);
        let writer = tokio::spawn(async move {
            use tokio::io::AsyncWriteExt;
            let _ = to_server.write_all(&stream).await;
            let _ = to_server.shutdown().await;
        });
        let reader = tokio::spawn(async move {
            use tokio::io::AsyncReadExt;
            let mut out = Vec::new();
            let _ = from_server.read_to_end(&mut out).await;
            out
        });
        aiblint::lsp::serve_streams(input, output).await;
        let _ = writer.await;
        reader.await.unwrap_or_default()
    });
    let bodies = frames(&output);
    for body in &bodies {
        assert!(
            serde_json::from_slice::<Value>(body).is_ok(),
            "the server wrote a frame that is not JSON"
        );
    }
    if strict && !exits {
        let answered = bodies.iter().any(|b| {
            serde_json::from_slice::<Value>(b).is_ok_and(|v| v["id"] == json!("fuzz-last"))
        });
        assert!(answered, "the last request was not answered");
    }
}

/// Whether a body could be taken as an `exit` notification (after which the server stops).
fn names_exit(body: &[u8]) -> bool {
    let text = String::from_utf8_lossy(body);
    text.contains("exit")
}

/// The bodies of the frames in `out`; panics on anything that is not a whole frame.
fn frames(mut out: &[u8]) -> Vec<Vec<u8>> {
    let mut bodies = Vec::new();
    while !out.is_empty() {
        let end = out
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("a frame header ends with a blank line");
        let header = std::str::from_utf8(&out[..end]).expect("a UTF-8 header");
        let length: usize = header
            .strip_prefix("Content-Length: ")
            .and_then(|n| n.parse().ok())
            .expect("a Content-Length header");
        let body = &out[end + 4..];
        assert!(body.len() >= length, "a frame cut short");
        bodies.push(body[..length].to_vec());
        out = &body[length..];
    }
    bodies
}
