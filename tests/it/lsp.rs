//! The language server end to end: the real `aiblint lsp` binary driven over stdio with
//! JSON-RPC framing (`Content-Length` headers), as an editor drives it.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

const TIMEOUT: Duration = Duration::from_secs(30);

const PROVIDERS: &str = r#"metadata:
  schema_version: "2.0.0"
providers:
  ollama:
    type: ollama
    base_url: http://127.0.0.1:11434
    status: active
    description: Local Ollama — café
    models:
      - name: llama3.1:8b
        size: "8B"
      - qwen2.5-coder:7b
  vllm-qwen:
    type: vllm
    base_url: http://127.0.0.1:8001
    status: active
    description: vLLM serving Qwen
    models:
      - Qwen/Qwen2.5-Coder-14B-Instruct-AWQ
"#;

/// Line 9 has non-ASCII text (é, ☕ and 🦙, which is two UTF-16 units and four bytes)
/// before the unknown provider `vllm-qwn`.
const MAPPINGS: &str = r#"metadata:
  schema_version: "2.0.0"
exact_matches:
  "llama3.1:8b":
    provider: ollama
    priority: primary
    fallback: vllm-qwen
    description: Llama — général 🦙
  "qwen-coder": {description: "café ☕ 🦙", provider: vllm-qwn, backend_model: Qwen/Qwen2.5-Coder-14B-Instruct-AWQ}
  "qwen2.5-coder:7b":
    provider: ollama
fallback_chains:
  "llama3.1:8b":
    chain: ["qwen2.5-coder:7b"]
"#;

// ------------------------------------------------------------------ test client

/// The server process and what it has sent that no test has consumed yet.
struct Client {
    child: Child,
    stdin: Arc<Mutex<ChildStdin>>,
    incoming: Receiver<Value>,
    backlog: VecDeque<Value>,
    next_id: i64,
    utf8: bool,
    pub initialize_result: Value,
}

fn frame(body: &[u8]) -> Vec<u8> {
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body);
    out
}

fn read_message(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(v) = line.strip_prefix("Content-Length: ") {
            length = v.parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    Some(serde_json::from_slice(&body).expect("the server sent invalid JSON"))
}

impl Client {
    /// Starts `aiblint lsp` and initializes it with `capabilities`, the workspace at `root`.
    fn start(root: &Path, capabilities: Value) -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_aiblint"))
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("cannot start aiblint lsp");
        let stdin = Arc::new(Mutex::new(child.stdin.take().unwrap()));
        let stdout = child.stdout.take().unwrap();
        let (tx, incoming) = channel();
        let replies = stdin.clone();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(message) = read_message(&mut reader) {
                // Answer the server's own requests (registerCapability, refresh) at once.
                if message.get("method").is_some() {
                    if let Some(id) = message.get("id") {
                        let reply = json!({"jsonrpc": "2.0", "id": id, "result": null});
                        let bytes = frame(reply.to_string().as_bytes());
                        let _ = replies.lock().unwrap().write_all(&bytes);
                    }
                }
                if tx.send(message).is_err() {
                    break;
                }
            }
        });
        let utf8 = capabilities["general"]["positionEncodings"]
            .as_array()
            .is_some_and(|a| a.contains(&json!("utf-8")));
        let mut client = Client {
            child,
            stdin,
            incoming,
            backlog: VecDeque::new(),
            next_id: 0,
            utf8,
            initialize_result: Value::Null,
        };
        let root_uri = uri(root);
        let result = client.request(
            "initialize",
            json!({"processId": null, "rootUri": root_uri, "capabilities": capabilities}),
        );
        client.initialize_result = result["result"].clone();
        client.notify("initialized", json!({}));
        client
    }

    fn send_raw(&self, bytes: &[u8]) {
        let mut stdin = self.stdin.lock().unwrap();
        stdin.write_all(bytes).unwrap();
        stdin.flush().unwrap();
    }

    fn send(&self, message: &Value) {
        self.send_raw(&frame(message.to_string().as_bytes()));
    }

    fn notify(&mut self, method: &str, params: Value) {
        let mut message = json!({"jsonrpc": "2.0", "method": method});
        if !params.is_null() {
            message["params"] = params;
        }
        self.send(&message);
    }

    /// Sends a request and returns the whole response (`result` or `error`).
    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let mut message = json!({"jsonrpc": "2.0", "id": id, "method": method});
        if !params.is_null() {
            message["params"] = params;
        }
        self.send(&message);
        self.wait_for(&format!("the response to {method}"), |m| {
            m.get("method").is_none() && m["id"] == json!(id)
        })
    }

    /// The next message (consumed or not yet) that satisfies `pred`, waiting for it.
    fn wait_for(&mut self, what: &str, pred: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self.backlog.iter().position(&pred) {
            return self.backlog.remove(i).unwrap();
        }
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let message = self
                .incoming
                .recv_timeout(left)
                .unwrap_or_else(|_| panic!("timed out waiting for {what}"));
            if pred(&message) {
                return message;
            }
            self.backlog.push_back(message);
        }
    }

    /// The diagnostics published for `uri` at `version`.
    fn diagnostics(&mut self, uri: &str, version: Option<i64>) -> Vec<Value> {
        let message = self.wait_for(&format!("diagnostics of {uri} v{version:?}"), |m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && m["params"]["version"].as_i64() == version
        });
        message["params"]["diagnostics"].as_array().unwrap().clone()
    }

    fn open(&mut self, uri: &str, version: i64, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "yaml", "version": version, "text": text}}),
        );
    }

    /// Replaces the text between two byte offsets, sending an incremental change.
    fn edit(
        &mut self,
        uri: &str,
        version: i64,
        text: &mut String,
        start: usize,
        end: usize,
        new: &str,
    ) {
        let range = json!({"start": position(text, start, self.utf8), "end": position(text, end, self.utf8)});
        text.replace_range(start..end, new);
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version},
                   "contentChanges": [{"range": range, "text": new}]}),
        );
    }

    fn server_text(&mut self, uri: &str) -> Value {
        self.request(
            "aiblint/documentText",
            json!({"textDocument": {"uri": uri}}),
        )["result"]
            .clone()
    }

    /// Shuts the server down cleanly and returns its exit status.
    fn shutdown(mut self) -> std::process::ExitStatus {
        let response = self.request("shutdown", Value::Null);
        assert!(response.get("error").is_none(), "{response}");
        self.notify("exit", Value::Null);
        self.exit_status()
    }

    /// Waits for the server to exit and returns its status.
    fn exit_status(&mut self) -> std::process::ExitStatus {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(Instant::now() < deadline, "the server did not exit");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// Splits `text` into lines as LSP does (`\n`, `\r\n` or a lone `\r` ends one): the byte
/// offset where each line starts.
fn line_starts(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut starts = vec![0];
    for (i, b) in bytes.iter().enumerate() {
        if *b == b'\n' || (*b == b'\r' && bytes.get(i + 1) != Some(&b'\n')) {
            starts.push(i + 1);
        }
    }
    starts
}

/// The LSP position of a byte offset, counted independently of the server's code.
fn position(text: &str, offset: usize, utf8: bool) -> Value {
    let starts = line_starts(text);
    let line = starts.partition_point(|&s| s <= offset) - 1;
    let prefix = &text[starts[line]..offset];
    let character = if utf8 {
        prefix.len()
    } else {
        prefix.encode_utf16().count()
    };
    json!({"line": line, "character": character})
}

/// The position of `plus` bytes into the first `needle` of `text`.
fn at(utf8: bool, text: &str, needle: &str, plus: usize) -> Value {
    let offset = text
        .find(needle)
        .unwrap_or_else(|| panic!("`{needle}` not in text"))
        + plus;
    position(text, offset, utf8)
}

/// The byte offset of an LSP position (the test's own oracle).
fn offset(text: &str, pos: &Value, utf8: bool) -> usize {
    let starts = line_starts(text);
    let line = pos["line"].as_u64().unwrap() as usize;
    let mut character = pos["character"].as_u64().unwrap() as usize;
    let start = starts[line];
    let mut at = start;
    for c in text[start..].chars() {
        if character == 0 || c == '\n' || c == '\r' {
            break;
        }
        character -= if utf8 { c.len_utf8() } else { c.len_utf16() };
        at += c.len_utf8();
    }
    at
}

/// Applies LSP text edits (non-overlapping) to `text`.
fn apply(text: &str, edits: &[Value], utf8: bool) -> String {
    let mut spans: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|e| {
            let r = &e["range"];
            (
                offset(text, &r["start"], utf8),
                offset(text, &r["end"], utf8),
                e["newText"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    spans.sort();
    let mut out = text.to_string();
    for (start, end, new) in spans.into_iter().rev() {
        out.replace_range(start..end, &new);
    }
    out
}

/// A config set in a temporary directory.
fn workspace(files: &[(&str, &str)]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    for (name, text) in files {
        std::fs::write(root.join(name), text).unwrap();
    }
    (dir, root)
}

fn utf16_client() -> Value {
    json!({})
}

fn utf8_client() -> Value {
    json!({"general": {"positionEncodings": ["utf-8", "utf-16"]}})
}

// ------------------------------------------------------------------ tests

#[test]
fn diagnostics_on_open_carry_codes_ranges_and_links_in_both_encodings() {
    for (capabilities, encoding) in [(utf16_client(), "utf-16"), (utf8_client(), "utf-8")] {
        let (_dir, root) = workspace(&[("providers.yaml", PROVIDERS)]);
        let mut client = Client::start(&root, capabilities);
        assert_eq!(
            client.initialize_result["capabilities"]["positionEncoding"],
            encoding
        );
        let mappings = uri(&root.join("model-mappings.yaml"));
        client.open(&mappings, 1, MAPPINGS);
        let diagnostics = client.diagnostics(&mappings, Some(1));
        assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
        let d = &diagnostics[0];
        assert_eq!(d["code"], "R201");
        assert_eq!(d["severity"], 1);
        assert_eq!(d["source"], "aiblint");
        assert!(d["codeDescription"]["href"]
            .as_str()
            .unwrap()
            .ends_with("docs/rules.md#r201"));
        assert!(d["message"]
            .as_str()
            .unwrap()
            .starts_with("unknown provider `vllm-qwn`"));
        assert!(d["message"]
            .as_str()
            .unwrap()
            .contains("did you mean `vllm-qwen`?"));
        let start = MAPPINGS.find("vllm-qwn").unwrap();
        let expected = json!({
            "start": position(MAPPINGS, start, client.utf8),
            "end": position(MAPPINGS, start + "vllm-qwn".len(), client.utf8),
        });
        assert_eq!(d["range"], expected, "{encoding}");
        // The column differs between the encodings: 🦙 and ☕ before it.
        let column = expected["start"]["character"].as_u64().unwrap();
        assert_eq!(column, if client.utf8 { 58 } else { 53 });
        assert_eq!(client.shutdown().code(), Some(0));
    }
}

#[test]
fn diagnostics_carry_related_locations_and_tags() {
    let mappings_text = r#"metadata:
  schema_version: "2.0.0"
exact_matches:
  "llama3.1:8b":
    provider: ollama
  "qwen2.5-coder:7b":
    provider: ollama
  "qwen-coder":
    provider: vllm-qwen
    backend_model: Qwen/Qwen2.5-Coder-14B-Instruct-AWQ
patterns:
  - pattern: "^qwen.*"
    provider: ollama
  - pattern: "^qwen.*"
    provider: vllm-qwen
fallback_chains:
  "llama3.1:8b":
    chain: ["qwen2.5-coder:7b"]
  "qwen2.5-coder:7b":
    chain: ["qwen-coder"]
  "qwen-coder":
    chain: ["llama3.1:8b"]
special_cases:
  foo: bar
"#;
    let (_dir, root) = workspace(&[("providers.yaml", PROVIDERS)]);
    let mut client = Client::start(&root, utf16_client());
    let mappings = uri(&root.join("model-mappings.yaml"));
    client.open(&mappings, 1, mappings_text);
    let diagnostics = client.diagnostics(&mappings, Some(1));
    let by_code = |code: &str| {
        diagnostics
            .iter()
            .find(|d| d["code"] == code)
            .unwrap_or_else(|| panic!("no {code} in {diagnostics:#?}"))
    };
    assert_eq!(by_code("L308")["tags"], json!([1]), "unnecessary");
    assert_eq!(by_code("L308")["severity"], 2);
    assert_eq!(by_code("V504")["tags"], json!([2]), "deprecated");
    let cycle = by_code("L301");
    let hops = cycle["relatedInformation"].as_array().unwrap();
    // A cycle of three: the primary label is one hop, the other two are related.
    assert_eq!(hops.len(), 2, "{cycle:#}");
    for hop in hops {
        assert_eq!(hop["location"]["uri"], mappings);
        assert!(
            hop["message"]
                .as_str()
                .unwrap()
                .starts_with("falls back to"),
            "{hop}"
        );
    }
}

#[test]
fn a_quickfix_is_applied_and_an_incremental_edit_clears_the_error() {
    let (_dir, root) = workspace(&[("providers.yaml", PROVIDERS)]);
    let mut client = Client::start(&root, utf16_client());
    let mappings = uri(&root.join("model-mappings.yaml"));
    client.open(&mappings, 1, MAPPINGS);
    let diagnostic = client.diagnostics(&mappings, Some(1)).remove(0);
    assert!(
        diagnostic["data"].is_object(),
        "the fix travels in data: {diagnostic}"
    );
    let response = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": mappings}, "range": diagnostic["range"],
               "context": {"diagnostics": [diagnostic]}}),
    );
    let actions = response["result"].as_array().unwrap();
    assert_eq!(actions.len(), 1, "{actions:#?}");
    let action = &actions[0];
    assert_eq!(action["kind"], "quickfix");
    assert_eq!(action["title"], "Replace `vllm-qwn` with `vllm-qwen`");
    // A did-you-mean is a guess: not preferred, so no editor applies it unasked.
    assert!(action.get("isPreferred").is_none(), "{action}");
    assert_eq!(action["diagnostics"][0]["code"], "R201");
    let edits = action["edit"]["changes"][&mappings].as_array().unwrap();
    let fixed = apply(MAPPINGS, edits, false);
    assert_eq!(fixed, MAPPINGS.replace("vllm-qwn", "vllm-qwen"));

    // The editor applies the fix as an incremental change: version 2 is clean.
    let mut text = MAPPINGS.to_string();
    let start = text.find("vllm-qwn").unwrap();
    client.edit(
        &mappings,
        2,
        &mut text,
        start,
        start + "vllm-qwn".len(),
        "vllm-qwen",
    );
    assert_eq!(text, fixed);
    assert_eq!(client.diagnostics(&mappings, Some(2)), Vec::<Value>::new());
    let server = client.server_text(&mappings);
    assert_eq!(
        (server["version"].as_i64(), server["text"].as_str()),
        (Some(2), Some(fixed.as_str()))
    );

    // A fix computed for version 1 is not offered against version 2.
    let stale = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": mappings}, "range": diagnostic["range"],
               "context": {"diagnostics": [diagnostic]}}),
    );
    assert_eq!(stale["result"], json!([]));
    assert_eq!(client.shutdown().code(), Some(0));
}

#[test]
fn workspace_edits_name_versions_when_the_client_supports_document_changes() {
    let (_dir, root) = workspace(&[("providers.yaml", PROVIDERS)]);
    let caps = json!({"workspace": {"workspaceEdit": {"documentChanges": true}}});
    let mut client = Client::start(&root, caps);
    let mappings = uri(&root.join("model-mappings.yaml"));
    client.open(&mappings, 5, MAPPINGS);
    let diagnostic = client.diagnostics(&mappings, Some(5)).remove(0);
    let response = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": mappings}, "range": diagnostic["range"],
               "context": {"diagnostics": [diagnostic], "only": ["quickfix"]}}),
    );
    let change = &response["result"][0]["edit"]["documentChanges"][0];
    assert_eq!(
        change["textDocument"],
        json!({"uri": mappings, "version": 5})
    );
    assert_eq!(change["edits"][0]["newText"], "vllm-qwen");
}

#[test]
fn fix_all_applies_only_safe_fixes() {
    // The R201 fix here is a did-you-mean guess (unsafe): fix-all must not apply it, so it
    // offers nothing here.
    let (_dir, root) = workspace(&[("providers.yaml", PROVIDERS)]);
    let mut client = Client::start(&root, utf16_client());
    let mappings = uri(&root.join("model-mappings.yaml"));
    client.open(&mappings, 1, MAPPINGS);
    client.diagnostics(&mappings, Some(1));
    let response = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": mappings},
               "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
               "context": {"diagnostics": [], "only": ["source.fixAll"]}}),
    );
    assert_eq!(response["result"], json!([]));
    assert_eq!(
        client.initialize_result["capabilities"]["codeActionProvider"]["codeActionKinds"],
        json!([
            "quickfix",
            "source.fixAll.aiblint",
            "source.migrate.aiblint"
        ])
    );
}

/// A LiteLLM config with two `${NAME}` values that LiteLLM never expands (G411: safe fixes)
/// and a key in a section that does not read it (G407: an unsafe fix, which fix-all leaves).
const MISPLACED_KEYS: &str = "model_list:\r\n  - model_name: gpt-4o\r\n    litellm_params:\r\n      model: openai/gpt-4o\r\n      api_key: ${OPENAI_API_KEY} # kept\r\ngeneral_settings:\r\n  master_key: \"${LITELLM_MASTER_KEY}\"\r\n  json_logs: true\r\n";

#[test]
fn fix_all_makes_the_edits_of_check_fix() {
    let (_dir, root) = workspace(&[("config.yaml", MISPLACED_KEYS)]);
    let mut client = Client::start(&root, utf16_client());
    let config = uri(&root.join("config.yaml"));
    client.open(&config, 1, MISPLACED_KEYS);
    assert_eq!(client.diagnostics(&config, Some(1)).len(), 3);
    let response = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": config},
               "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
               "context": {"diagnostics": [], "only": ["source.fixAll"]}}),
    );
    let action = &response["result"][0];
    assert_eq!(action["kind"], "source.fixAll.aiblint");
    let edits = action["edit"]["changes"][&config].as_array().unwrap();
    let in_editor = apply(MISPLACED_KEYS, edits, false);

    let cli = std::process::Command::new(env!("CARGO_BIN_EXE_aiblint"))
        .args(["check", "--fix", "config.yaml"])
        .current_dir(&root)
        .output()
        .unwrap();
    // The G407 warning is left: exit 0.
    assert_eq!(
        cli.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&cli.stdout)
    );
    let on_disk = std::fs::read_to_string(root.join("config.yaml")).unwrap();
    assert_eq!(in_editor, on_disk);
    assert_eq!(
        on_disk,
        "model_list:\r\n  - model_name: gpt-4o\r\n    litellm_params:\r\n      model: openai/gpt-4o\r\n      api_key: os.environ/OPENAI_API_KEY # kept\r\ngeneral_settings:\r\n  master_key: os.environ/LITELLM_MASTER_KEY\r\n  json_logs: true\r\n"
    );

    // Once applied, nothing safe is left to fix; the G407 warning stays.
    let mut text = MISPLACED_KEYS.to_string();
    client.edit(&config, 2, &mut text, 0, MISPLACED_KEYS.len(), &in_editor);
    let left = client.diagnostics(&config, Some(2));
    assert_eq!(left.len(), 1, "{left:?}");
    assert_eq!(left[0]["code"], "G407");
    let response = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": config},
               "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
               "context": {"diagnostics": [], "only": ["source.fixAll"]}}),
    );
    assert_eq!(response["result"], json!([]));
    assert_eq!(client.shutdown().code(), Some(0));
}

/// The quick fixes the editor offers for the diagnostics of `text` (open as `name` in
/// `root`), each applied to `text` on its own: (code, fixed text).
fn quick_fixes_applied(root: &Path, name: &str, text: &str) -> Vec<(String, String)> {
    let mut client = Client::start(root, utf16_client());
    let doc = uri(&root.join(name));
    client.open(&doc, 1, text);
    let mut out = Vec::new();
    for diagnostic in client.diagnostics(&doc, Some(1)) {
        let response = client.request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": doc}, "range": diagnostic["range"],
                   "context": {"diagnostics": [diagnostic], "only": ["quickfix"]}}),
        );
        for action in response["result"].as_array().unwrap() {
            let edits = action["edit"]["changes"][&doc].as_array().unwrap();
            let code = action["diagnostics"][0]["code"]
                .as_str()
                .unwrap()
                .to_string();
            out.push((code, apply(text, edits, false)));
        }
    }
    assert_eq!(client.shutdown().code(), Some(0));
    out
}

/// `aiblint check --fix` (with `extra` flags) on `name` in a copy of the set `files`: the
/// text it leaves in `name`.
fn fixed_by_the_cli(files: &[(&str, &str)], name: &str, extra: &[&str]) -> String {
    let (_dir, root) = workspace(files);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_aiblint"))
        .args(["check", "--fix"])
        .args(extra)
        .arg(name)
        .current_dir(&root)
        .output()
        .unwrap();
    assert!(
        out.status.code().is_some_and(|c| c <= 1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::read_to_string(root.join(name)).unwrap()
}

/// A diagnostic's quick fix is the edit `check --fix` makes for it: a safe fix as
/// `--fix` applies it, a did-you-mean as `--fix --unsafe-fixes` does.
#[test]
fn a_quick_fix_makes_the_edit_of_check_fix() {
    let one_variable = "model_list:\r\n  - model_name: gpt-4o\r\n    litellm_params:\r\n      model: openai/gpt-4o\r\n      api_key: ${OPENAI_API_KEY} # kept\r\n";
    let (_dir, root) = workspace(&[("config.yaml", one_variable)]);
    let in_editor = quick_fixes_applied(&root, "config.yaml", one_variable);
    assert_eq!(in_editor.len(), 1, "{in_editor:?}");
    assert_eq!(in_editor[0].0, "G411");
    let by_cli = fixed_by_the_cli(&[("config.yaml", one_variable)], "config.yaml", &[]);
    assert_ne!(by_cli, one_variable);
    assert_eq!(in_editor[0].1, by_cli);

    let (_dir, root) = workspace(&[("providers.yaml", PROVIDERS)]);
    let in_editor = quick_fixes_applied(&root, "model-mappings.yaml", MAPPINGS);
    let set = [
        ("providers.yaml", PROVIDERS),
        ("model-mappings.yaml", MAPPINGS),
    ];
    let by_cli = fixed_by_the_cli(&set, "model-mappings.yaml", &["--unsafe-fixes"]);
    assert_eq!(
        in_editor,
        [("R201".to_string(), by_cli.clone())],
        "a did-you-mean, as --unsafe-fixes applies it"
    );
    assert_eq!(
        fixed_by_the_cli(&set, "model-mappings.yaml", &[]),
        MAPPINGS,
        "--fix alone leaves it"
    );
}

/// Neovim 0.7 sends a diagnostic back with its range in bytes, not in the negotiated
/// encoding: the fix it carries in `data` identifies it, and is still offered.
#[test]
fn a_quick_fix_is_found_by_its_data_whatever_range_comes_back() {
    let text = MAPPINGS;
    let (_dir, root) = workspace(&[("providers.yaml", PROVIDERS)]);
    let mut client = Client::start(&root, utf16_client());
    let mappings = uri(&root.join("model-mappings.yaml"));
    client.open(&mappings, 1, text);
    let mut diagnostic = client.diagnostics(&mappings, Some(1)).remove(0);
    assert_eq!(diagnostic["code"], "R201");
    // Off by the bytes of a multi-byte character before it.
    let start = diagnostic["range"]["start"]["character"].as_u64().unwrap();
    diagnostic["range"]["start"]["character"] = json!(start + 5);
    let response = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": mappings}, "range": diagnostic["range"],
               "context": {"diagnostics": [diagnostic.clone()], "only": ["quickfix"]}}),
    );
    let actions = response["result"].as_array().unwrap();
    assert_eq!(actions.len(), 1, "{actions:#?}");
    let edits = actions[0]["edit"]["changes"][&mappings].as_array().unwrap();
    assert_eq!(
        apply(text, edits, false),
        text.replace("vllm-qwn", "vllm-qwen")
    );
    // Without its data, the range is what identifies it.
    diagnostic.as_object_mut().unwrap().remove("data");
    let response = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": mappings}, "range": diagnostic["range"],
               "context": {"diagnostics": [diagnostic], "only": ["quickfix"]}}),
    );
    assert_eq!(response["result"], json!([]));
    assert_eq!(client.shutdown().code(), Some(0));
}

/// A quick fix that would leave a new error is not offered, as `check --fix` does not
/// apply it: here the did-you-mean `actve` → `active` would make two active vLLM providers.
#[test]
fn a_quick_fix_that_would_bring_an_error_is_not_offered() {
    let text = r#"metadata:
  schema_version: "2.0.0"
providers:
  a:
    type: vllm
    base_url: http://127.0.0.1:8000/v1
    status: active
    description: d
    models: [m-a]
  b:
    type: vllm
    base_url: http://127.0.0.1:8001/v1
    status: actve
    description: d
    models: [m-b]
"#;
    let (_dir, root) = workspace(&[]);
    assert_eq!(quick_fixes_applied(&root, "providers.yaml", text), []);
    let by_cli = fixed_by_the_cli(
        &[("providers.yaml", text)],
        "providers.yaml",
        &["--unsafe-fixes"],
    );
    assert_eq!(by_cli, text, "the CLI leaves it too");
    // With the other provider disabled, the same fix is offered.
    let fine = text.replacen("status: active", "status: disabled", 1);
    let offered = quick_fixes_applied(&root, "providers.yaml", &fine);
    assert_eq!(offered.len(), 1, "{offered:?}");
    assert_eq!(
        offered[0],
        ("S104".to_string(), fine.replace("actve", "active"))
    );
}

#[test]
fn editing_providers_in_a_buffer_rechecks_the_open_mappings() {
    let fixed = MAPPINGS.replace("vllm-qwn", "vllm-qwen");
    let (_dir, root) = workspace(&[
        ("providers.yaml", PROVIDERS),
        ("model-mappings.yaml", &fixed),
    ]);
    let mut client = Client::start(&root, utf16_client());
    let mappings = uri(&root.join("model-mappings.yaml"));
    let providers = uri(&root.join("providers.yaml"));
    client.open(&mappings, 1, &fixed);
    assert!(client.diagnostics(&mappings, Some(1)).is_empty());
    client.open(&providers, 1, PROVIDERS);
    // Opening providers.yaml re-publishes the mappings too (same set).
    client.diagnostics(&mappings, Some(1));
    client.diagnostics(&providers, Some(1));

    // Rename the provider in the (unsaved) providers.yaml buffer.
    let mut text = PROVIDERS.to_string();
    let at = text.find("vllm-qwen:").unwrap();
    client.edit(
        &providers,
        2,
        &mut text,
        at,
        at + "vllm-qwen".len(),
        "vllm-qwen2",
    );
    let diagnostics = client.diagnostics(&mappings, Some(1));
    let codes: Vec<&str> = diagnostics
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["R201", "R201"], "{diagnostics:#?}");
    assert!(diagnostics[0]["message"]
        .as_str()
        .unwrap()
        .contains("did you mean `vllm-qwen2`?"));

    // And back: the mappings are clean again.
    let at = text.find("vllm-qwen2:").unwrap();
    client.edit(
        &providers,
        3,
        &mut text,
        at,
        at + "vllm-qwen2".len(),
        "vllm-qwen",
    );
    assert!(client.diagnostics(&mappings, Some(1)).is_empty());
    assert_eq!(client.shutdown().code(), Some(0));
}

#[test]
fn a_change_on_disk_of_an_unopened_member_rechecks_the_open_mappings() {
    let fixed = MAPPINGS.replace("vllm-qwn", "vllm-qwen");
    let (_dir, root) = workspace(&[("providers.yaml", PROVIDERS)]);
    let caps = json!({"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}}});
    let mut client = Client::start(&root, caps);
    let registration = client.wait_for("client/registerCapability", |m| {
        m["method"] == "client/registerCapability"
    });
    assert_eq!(
        registration["params"]["registrations"][0]["method"],
        "workspace/didChangeWatchedFiles"
    );
    let mappings = uri(&root.join("model-mappings.yaml"));
    client.open(&mappings, 1, &fixed);
    assert!(client.diagnostics(&mappings, Some(1)).is_empty());
    // `git checkout` rewrites providers.yaml without vllm-qwen.
    let without = PROVIDERS.replace("vllm-qwen:", "vllm-other:");
    std::fs::write(root.join("providers.yaml"), without).unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri(&root.join("providers.yaml")), "type": 2}]}),
    );
    let diagnostics = client.diagnostics(&mappings, Some(1));
    assert_eq!(diagnostics.len(), 2, "{diagnostics:#?}");
    assert!(diagnostics.iter().all(|d| d["code"] == "R201"));
}

/// With file watchers, a closed file of the set is read once and its analysis kept until
/// the client announces a change: a change on disk without the announcement is not seen,
/// even when an edit of the open file makes the server check the set again. Without
/// watchers, each edit looks at the disk again, so the same change is seen at the next edit.
#[test]
fn without_a_watched_file_event_the_cached_closed_file_is_used() {
    for watch in [true, false] {
        let fixed = MAPPINGS.replace("vllm-qwn", "vllm-qwen");
        let (_dir, root) = workspace(&[("providers.yaml", PROVIDERS)]);
        let mut client = start_watching(&root, watch);
        let mappings = uri(&root.join("model-mappings.yaml"));
        let mut text = fixed.clone();
        client.open(&mappings, 1, &text);
        assert!(client.diagnostics(&mappings, Some(1)).is_empty());
        let (checks, reads) = stats(&mut client);

        let without = PROVIDERS.replace("vllm-qwen:", "vllm-other:");
        std::fs::write(root.join("providers.yaml"), &without).unwrap();
        client.edit(&mappings, 2, &mut text, 0, 0, "# edited\n");
        let after_edit = client.diagnostics(&mappings, Some(2));
        let (checks_after, reads_after) = stats(&mut client);
        assert!(checks_after > checks, "the edit checks the set again");
        if !watch {
            assert!(
                reads_after > reads,
                "not watched: the edit looks at the disk"
            );
            assert_eq!(after_edit.len(), 2, "{after_edit:#?}");
            continue;
        }
        assert_eq!(after_edit, Vec::<Value>::new(), "the cached providers.yaml");
        assert_eq!(reads_after, reads, "watched: nothing read again");

        client.notify(
            "workspace/didChangeWatchedFiles",
            json!({"changes": [{"uri": uri(&root.join("providers.yaml")), "type": 2}]}),
        );
        let announced = client.diagnostics(&mappings, Some(2));
        assert_eq!(announced.len(), 2, "{announced:#?}");
        assert!(announced.iter().all(|d| d["code"] == "R201"));
        assert_eq!(client.shutdown().code(), Some(0));
    }
}

#[test]
fn hover_shows_providers_models_and_keys() {
    let (_dir, root) = workspace(&[("providers.yaml", PROVIDERS)]);
    let mut client = Client::start(&root, utf8_client());
    let mappings = uri(&root.join("model-mappings.yaml"));
    client.open(&mappings, 1, MAPPINGS);
    let u8 = client.utf8;
    let hover = |client: &mut Client, position: Value| {
        let r = client.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": mappings}, "position": position}),
        );
        r["result"]["contents"]["value"]
            .as_str()
            .unwrap_or("")
            .to_string()
    };
    let text = hover(&mut client, at(u8, MAPPINGS, "fallback: vllm-qwen", 12));
    for expected in [
        "**provider** `vllm-qwen`",
        "`vllm`, active",
        "`http://127.0.0.1:8001`",
        "Qwen/Qwen2.5-Coder-14B-Instruct-AWQ",
        "providers.yaml:13:3",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    let text = hover(&mut client, at(u8, MAPPINGS, "[\"qwen2.5-coder:7b\"]", 3));
    for expected in [
        "**model** `qwen2.5-coder:7b`",
        "served by `ollama` (ollama, active)",
        "exact match → `ollama`",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    let text = hover(&mut client, at(u8, MAPPINGS, "priority:", 2));
    assert!(text.contains("**`priority`** · exact match key"), "{text}");
    assert!(
        text.contains("`primary`, `secondary` or `tertiary`"),
        "{text}"
    );
    // A provider id where a model belongs (a 1.x chain) says it is a provider.
    let mut chained = MAPPINGS.to_string();
    let end = chained.len();
    client.edit(
        &mappings,
        2,
        &mut chained,
        end,
        end,
        "  \"qwen2.5-coder:7b\":\n    chain: [vllm-qwen]\n",
    );
    let text = hover(&mut client, at(u8, &chained, "[vllm-qwen]", 3));
    for expected in [
        "`vllm-qwen` is a **provider**, not a model",
        "**provider** `vllm-qwen` — `vllm`, active",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    // Nothing to say about a comment-free blank position.
    let r = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": mappings}, "position": {"line": 0, "character": 0}}),
    );
    assert!(r.get("error").is_none());
}

#[test]
fn definition_and_references_cross_files() {
    let (_dir, root) = workspace(&[("providers.yaml", PROVIDERS)]);
    let mut client = Client::start(&root, utf16_client());
    let mappings = uri(&root.join("model-mappings.yaml"));
    let providers = uri(&root.join("providers.yaml"));
    client.open(&mappings, 1, MAPPINGS);
    let r = client.request(
        "textDocument/definition",
        json!({"textDocument": {"uri": mappings}, "position": at(client.utf8, MAPPINGS, "fallback: vllm-qwen", 12)}),
    );
    let start = PROVIDERS.find("vllm-qwen:").unwrap();
    assert_eq!(
        r["result"],
        json!({"uri": providers, "range": {"start": position(PROVIDERS, start, false),
                                           "end": position(PROVIDERS, start + 9, false)}})
    );
    // A model: its provider's listing and its exact match.
    let r = client.request(
        "textDocument/definition",
        json!({"textDocument": {"uri": mappings}, "position": at(client.utf8, MAPPINGS, "[\"qwen2.5-coder:7b\"]", 4)}),
    );
    let targets: Vec<&str> = r["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["uri"].as_str().unwrap())
        .collect();
    assert_eq!(targets, [providers.as_str(), mappings.as_str()]);

    // References of the provider from its definition in providers.yaml.
    client.open(&providers, 1, PROVIDERS);
    let r = client.request(
        "textDocument/references",
        json!({"textDocument": {"uri": providers}, "position": at(client.utf8, PROVIDERS, "  ollama:", 3),
               "context": {"includeDeclaration": false}}),
    );
    let lines: Vec<(String, u64)> = r["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["uri"].as_str().unwrap().to_string(),
                l["range"]["start"]["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(lines, [(mappings.clone(), 4), (mappings.clone(), 10)]);
}

#[test]
fn completion_offers_provider_ids_models_keys_and_enum_values() {
    let (_dir, root) = workspace(&[("providers.yaml", PROVIDERS)]);
    let mut client = Client::start(&root, utf16_client());
    let mappings = uri(&root.join("model-mappings.yaml"));
    let mut text = MAPPINGS.replace("vllm-qwn", "vllm-qwen");
    client.open(&mappings, 1, &text);
    let labels = |client: &mut Client, uri: &str, position: Value| -> Vec<String> {
        let r = client.request(
            "textDocument/completion",
            json!({"textDocument": {"uri": uri}, "position": position}),
        );
        let items = r["result"].as_array().cloned().unwrap_or_default();
        items
            .iter()
            .map(|i| i["label"].as_str().unwrap().to_string())
            .collect()
    };
    // A provider reference being typed.
    let at = text.find("    provider: ollama\n    priority").unwrap() + "    provider: ".len();
    client.edit(&mappings, 2, &mut text, at, at + "ollama".len(), "ol");
    let got = labels(&mut client, &mappings, position(&text, at + 2, false));
    assert_eq!(got, ["ollama", "vllm-qwen"]);
    // A model in a fallback chain.
    let at = text.find("\"qwen2.5-coder:7b\"]").unwrap() + 1;
    let got = labels(&mut client, &mappings, position(&text, at, false));
    assert!(
        got.contains(&"llama3.1:8b".to_string()) && got.contains(&"qwen2.5-coder:7b".to_string()),
        "{got:?}"
    );
    // Keys of an exact match, on a new line: those it does not have yet.
    let at = text.find("    priority: primary\n").unwrap();
    client.edit(&mappings, 3, &mut text, at, at, "    pri\n");
    let got = labels(&mut client, &mappings, position(&text, at + 7, false));
    assert_eq!(got, ["backend_model", "notes"]);
    // Enum values in providers.yaml.
    let providers = uri(&root.join("providers.yaml"));
    let ptext = PROVIDERS.replace(
        "    status: active\n    description: Local",
        "    status: \n    description: Local",
    );
    client.open(&providers, 1, &ptext);
    let at = ptext.find("status: \n").unwrap() + "status: ".len();
    let got = labels(&mut client, &providers, position(&ptext, at, false));
    assert_eq!(
        got,
        ["active", "disabled", "pending_integration", "template"]
    );
}

#[test]
fn rename_a_provider_across_the_set() {
    let (_dir, root) = workspace(&[("providers.yaml", PROVIDERS)]);
    let mut client = Client::start(&root, utf16_client());
    let mappings = uri(&root.join("model-mappings.yaml"));
    let providers = uri(&root.join("providers.yaml"));
    let text = MAPPINGS.replace("vllm-qwn", "vllm-qwen");
    client.open(&mappings, 1, &text);
    let position = at(client.utf8, &text, "fallback: vllm-qwen", 12);
    let prepared = client.request(
        "textDocument/prepareRename",
        json!({"textDocument": {"uri": mappings}, "position": position}),
    );
    assert_eq!(prepared["result"]["placeholder"], "vllm-qwen");
    let refused = client.request(
        "textDocument/prepareRename",
        json!({"textDocument": {"uri": mappings}, "position": at(client.utf8, &text, "priority", 1)}),
    );
    assert!(refused["error"]["message"]
        .as_str()
        .unwrap()
        .contains("only provider ids and model names"));

    let r = client.request(
        "textDocument/rename",
        json!({"textDocument": {"uri": mappings}, "position": position, "newName": "vllm-coder"}),
    );
    let changes = &r["result"]["changes"];
    let new_mappings = apply(&text, changes[&mappings].as_array().unwrap(), false);
    let new_providers = apply(PROVIDERS, changes[&providers].as_array().unwrap(), false);
    assert_eq!(new_mappings, text.replace("vllm-qwen", "vllm-coder"));
    assert_eq!(
        new_providers,
        PROVIDERS.replace("vllm-qwen:", "vllm-coder:")
    );
    // The renamed set checks clean with the CLI.
    std::fs::write(root.join("providers.yaml"), &new_providers).unwrap();
    std::fs::write(root.join("model-mappings.yaml"), &new_mappings).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_aiblint"))
        .args(["check", "--format", "concise"])
        .arg(&root)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );

    let bad = client.request(
        "textDocument/rename",
        json!({"textDocument": {"uri": mappings}, "position": position, "newName": "has space"}),
    );
    assert!(bad["error"]["message"]
        .as_str()
        .unwrap()
        .contains("not a valid provider id"));
}

#[test]
fn document_symbols_outline_providers_and_routes() {
    let (_dir, root) = workspace(&[]);
    let mut client = Client::start(&root, utf16_client());
    let providers = uri(&root.join("providers.yaml"));
    client.open(&providers, 1, PROVIDERS);
    let r = client.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": providers}}),
    );
    let symbols = r["result"].as_array().unwrap();
    let names: Vec<&str> = symbols
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["ollama", "vllm-qwen"]);
    let models: Vec<&str> = symbols[0]["children"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(models, ["llama3.1:8b", "qwen2.5-coder:7b"]);
    let mappings = uri(&root.join("model-mappings.yaml"));
    client.open(&mappings, 1, MAPPINGS);
    let r = client.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": mappings}}),
    );
    let sections: Vec<&str> = r["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(sections, ["exact_matches", "fallback_chains"]);
    assert_eq!(r["result"][0]["children"].as_array().unwrap().len(), 3);
}

#[test]
fn pull_diagnostics_for_clients_that_ask() {
    let (_dir, root) = workspace(&[("providers.yaml", PROVIDERS)]);
    let caps = json!({"textDocument": {"diagnostic": {"dynamicRegistration": false}},
                      "workspace": {"diagnostics": {"refreshSupport": true}}});
    let mut client = Client::start(&root, caps);
    assert_eq!(
        client.initialize_result["capabilities"]["diagnosticProvider"]["interFileDependencies"],
        true
    );
    let mappings = uri(&root.join("model-mappings.yaml"));
    client.open(&mappings, 1, MAPPINGS);
    let r = client.request(
        "textDocument/diagnostic",
        json!({"textDocument": {"uri": mappings}}),
    );
    assert_eq!(r["result"]["kind"], "full");
    assert_eq!(r["result"]["items"][0]["code"], "R201");
    // Nothing was pushed: the client pulls.
    let pushed = client
        .backlog
        .iter()
        .any(|m| m["method"] == "textDocument/publishDiagnostics");
    assert!(!pushed);
}

#[test]
fn bad_input_never_stops_the_server() {
    let (_dir, root) = workspace(&[("providers.yaml", PROVIDERS)]);
    let mut client = Client::start(&root, utf16_client());
    // Malformed JSON-RPC: a body that is not JSON, then one that is not a request.
    client.send_raw(&frame(b"{this is not json"));
    let error = client.wait_for("a parse error", |m| m["error"]["code"] == -32700);
    assert_eq!(error["id"], Value::Null);
    client.send_raw(&frame(br#"{"jsonrpc": "2.0", "id": 99, "params": 3}"#));
    client.send_raw(&frame(br#"[1, 2, 3]"#));
    let error = client.wait_for("an invalid request error", |m| m["error"]["code"] == -32600);
    assert_eq!(error["id"], Value::Null);
    client.send_raw(b"Content-Length: many\r\n\r\n");
    client.send_raw(b"no header at all\r\n\r\n");
    // An unknown method and bad params.
    let r = client.request("aiblint/noSuchMethod", json!({}));
    assert_eq!(r["error"]["code"], -32601);
    let r = client.request("textDocument/hover", json!({"textDocument": 42}));
    assert_eq!(r["error"]["code"], -32602);
    // Unknown documents.
    let ghost = uri(&root.join("ghost.yaml"));
    let r = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": ghost}, "position": {"line": 0, "character": 0}}),
    );
    assert_eq!(r["result"], Value::Null);
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": ghost, "version": 2}, "contentChanges": [{"text": "x"}]}),
    );
    client.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": "untitled:never-opened"}}),
    );
    // Out-of-range positions, in requests and in edits.
    let mappings = uri(&root.join("model-mappings.yaml"));
    client.open(&mappings, 1, MAPPINGS);
    client.diagnostics(&mappings, Some(1));
    for position in [
        json!({"line": 9999, "character": 0}),
        json!({"line": 2, "character": 9999}),
    ] {
        for method in [
            "textDocument/hover",
            "textDocument/definition",
            "textDocument/completion",
            "textDocument/references",
            "textDocument/prepareRename",
        ] {
            let r = client.request(
                method,
                json!({"textDocument": {"uri": mappings}, "position": position,
                       "context": {"includeDeclaration": true}}),
            );
            assert!(
                r.get("result").is_some() || r.get("error").is_some(),
                "{method}: {r}"
            );
        }
    }
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": mappings, "version": 2}, "contentChanges": [
            {"range": {"start": {"line": 500, "character": 3}, "end": {"line": 2, "character": 999}}, "text": "\n# tail ☕\n"}]}),
    );
    client.diagnostics(&mappings, Some(2));
    // Malformed YAML is a diagnostic, not a crash.
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": mappings, "version": 3}, "contentChanges": [{"text": "a: [\n\t- {{{\n"}]}),
    );
    let diagnostics = client.diagnostics(&mappings, Some(3));
    assert_eq!(diagnostics[0]["code"], "E001");
    // Still serving.
    let text = client.server_text(&mappings);
    assert_eq!(text["text"], "a: [\n\t- {{{\n");
    assert_eq!(client.shutdown().code(), Some(0));
}

/// A deterministic PRNG (xorshift64*), so that a failure can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Thousands of random incremental edits (multi-byte text, line breaks of every kind,
/// several changes per notification): the server's text must equal the client's, and the
/// server must still answer.
fn edit_storm(capabilities: Value, seed: u64, notifications: usize) {
    let (_dir, root) = workspace(&[("providers.yaml", PROVIDERS)]);
    let mut client = Client::start(&root, capabilities);
    let utf8 = client.utf8;
    let mappings = uri(&root.join("model-mappings.yaml"));
    let mut text = MAPPINGS.to_string();
    client.open(&mappings, 1, &text);
    let pieces = [
        "a",
        "é",
        "🦙",
        "漢字",
        "\n",
        "\r\n",
        "  - x: ☕\n",
        "",
        "provider: vllm-qwen",
        "\"",
        ": ",
    ];
    let mut rng = Rng(seed);
    let mut changes_sent = 0;
    for n in 0..notifications {
        let version = n as i64 + 2;
        let mut changes = Vec::new();
        for _ in 0..1 + rng.below(3) {
            // Every char boundary except inside a CRLF pair, which is no LSP position.
            let boundaries: Vec<usize> = text
                .char_indices()
                .map(|(i, _)| i)
                .chain([text.len()])
                .filter(|&i| !(text[..i].ends_with('\r') && text[i..].starts_with('\n')))
                .collect();
            let a = boundaries[rng.below(boundaries.len())];
            let len = rng.below(12);
            let b = boundaries
                .iter()
                .copied()
                .filter(|&x| x >= a)
                .nth(len)
                .unwrap_or(text.len());
            let new = if text.len() > 6000 {
                ""
            } else {
                pieces[rng.below(pieces.len())]
            };
            let range = json!({"start": position(&text, a, utf8), "end": position(&text, b, utf8)});
            text.replace_range(a..b, new);
            changes.push(json!({"range": range, "text": new}));
        }
        changes_sent += changes.len();
        client.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": mappings, "version": version}, "contentChanges": changes}),
        );
        if n % 250 == 249 || n + 1 == notifications {
            let server = client.server_text(&mappings);
            assert_eq!(server["version"].as_i64(), Some(version));
            assert_eq!(
                server["text"].as_str(),
                Some(text.as_str()),
                "after {changes_sent} changes"
            );
        }
    }
    assert!(changes_sent >= 2000, "only {changes_sent} changes");
    // Diagnostics were published in version order, and the last one for the last version.
    let last = notifications as i64 + 1;
    client.diagnostics(&mappings, Some(last));
    let versions: Vec<i64> = client
        .backlog
        .iter()
        .filter(|m| m["method"] == "textDocument/publishDiagnostics")
        .filter_map(|m| m["params"]["version"].as_i64())
        .collect();
    assert!(
        versions.windows(2).all(|w| w[0] < w[1]),
        "out of order: {versions:?}"
    );
    let r = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": mappings}, "position": {"line": 0, "character": 1}}),
    );
    assert!(r.get("error").is_none());
    assert_eq!(client.shutdown().code(), Some(0));
}

/// The server's cap on a message body (`MAX_BODY` in src/lsp/transport.rs).
const MAX_BODY: usize = 256 * 1024 * 1024;

/// A body over the cap is skipped, not read as headers: the request after it is answered.
/// The refused body's own bytes look like a frame header that, read as headers, would swallow
/// the request that follows.
#[test]
fn a_body_over_the_cap_is_skipped_and_the_next_request_answered() {
    let (_dir, root) = workspace(&[("providers.yaml", PROVIDERS)]);
    let mut client = Client::start(&root, utf16_client());
    let n = MAX_BODY + 1;
    let inner = format!("Content-Length: {MAX_BODY}\r\n\r\n");
    client.send_raw(format!("Content-Length: {n}\r\n\r\n{inner}").as_bytes());
    let zeros = vec![0u8; 1024 * 1024];
    let mut left = n - inner.len();
    while left > 0 {
        let chunk = left.min(zeros.len());
        client.send_raw(&zeros[..chunk]);
        left -= chunk;
    }
    let error = client.wait_for("the error for the refused frame", |m| {
        m["error"]["code"] == -32700
    });
    assert_eq!(error["id"], Value::Null);
    let r = client.request("aiblint/noSuchMethod", json!({}));
    assert_eq!(r["error"]["code"], -32601, "{r}");
    assert_eq!(client.shutdown().code(), Some(0));
}

/// A header line of a megabyte without a line end is read in pieces, not buffered whole;
/// the server survives it and answers what follows (here even the frame glued onto it, found
/// again by its `Content-Length`).
#[test]
fn a_huge_header_line_does_not_stop_the_server() {
    let (_dir, root) = workspace(&[("providers.yaml", PROVIDERS)]);
    let mut client = Client::start(&root, utf16_client());
    let mut bytes = vec![b'x'; 1024 * 1024];
    bytes.extend(frame(
        br#"{"jsonrpc": "2.0", "id": 1001, "method": "aiblint/noSuchMethod"}"#,
    ));
    client.send_raw(&bytes);
    let r = client.request("aiblint/noSuchMethod", json!({}));
    assert_eq!(r["error"]["code"], -32601, "{r}");
    let glued = client.wait_for("the answer to the glued frame", |m| m["id"] == 1001);
    assert_eq!(glued["error"]["code"], -32601, "{glued}");
    assert_eq!(client.shutdown().code(), Some(0));
}

/// JSON with a duplicated key is valid for `serde_json::Value` (the last one wins) but not
/// for tower-lsp's decoding, which gave up reading for good on it: the server answered
/// "Invalid request" and then nothing more. Each such message is refused on its own now.
#[test]
fn a_duplicated_json_key_does_not_stop_the_server() {
    let (_dir, root) = workspace(&[("providers.yaml", PROVIDERS)]);
    let mut client = Client::start(&root, utf16_client());
    for body in [
        &br#"{"jsonrpc":"2.0","method":"initialized","method":"initialized","params":{}}"#[..],
        br#"{"jsonrpc":"2.0","id":7,"id":7,"method":"aiblint/noSuchMethod"}"#,
    ] {
        client.send_raw(&frame(body));
        let error = client.wait_for("the invalid request error", |m| {
            m["error"]["code"] == -32600
        });
        assert_eq!(error["id"], Value::Null);
    }
    let r = client.request("aiblint/noSuchMethod", json!({}));
    assert_eq!(r["error"]["code"], -32601, "{r}");
    assert_eq!(client.shutdown().code(), Some(0));
}

/// A buffer that starts with a byte-order mark: the editor counts it as a character, so an
/// edit at line 0, character 0 goes before it, and one at character 1 after it (edits went
/// one character too far; found by the lsp fuzz target).
#[test]
fn positions_count_a_byte_order_mark_as_the_editor_does() {
    let (_dir, root) = workspace(&[]);
    for capabilities in [utf16_client(), utf8_client()] {
        let mut client = Client::start(&root, capabilities);
        let providers = uri(&root.join("providers.yaml"));
        client.open(&providers, 1, "\u{feff}a: 1\n");
        let at = |character: usize| json!({"line": 0, "character": character});
        let mark = if client.utf8 { 3 } else { 1 };
        client.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": providers, "version": 2}, "contentChanges": [
                {"range": {"start": at(mark), "end": at(mark + 1)}, "text": "b"},
                {"range": {"start": at(0), "end": at(0)}, "text": "# c\n"}]}),
        );
        let text = client.server_text(&providers);
        assert_eq!(text["text"], "# c\n\u{feff}b: 1\n");
        assert_eq!(client.shutdown().code(), Some(0));
    }
}

/// The editor's migrate action on a root mapping indented by two spaces: it returned the
/// edit that moved every routing block under `metadata:`; it now adds `metadata` at the root's
/// own indentation, the same edit the CLI writes.
#[test]
fn the_migrate_action_keeps_an_indented_root_a_root() {
    let mappings_text = "  exact_matches:\n    llama3.1:8b:\n      provider: ollama\n";
    let (_dir, root) = workspace(&[("model-mappings.yaml", mappings_text)]);
    let mut client = Client::start(&root, utf16_client());
    let mappings = uri(&root.join("model-mappings.yaml"));
    client.open(&mappings, 1, mappings_text);
    client.diagnostics(&mappings, Some(1));
    let start = json!({"line": 0, "character": 2});
    let actions = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": mappings},
            "range": {"start": start, "end": start},
            "context": {"diagnostics": [], "only": ["source"]},
        }),
    );
    let actions = actions["result"].as_array().unwrap();
    let migrate = actions
        .iter()
        .find(|a| a["title"] == "Migrate config set to schema 2.0.0")
        .unwrap_or_else(|| panic!("no migrate action in {actions:?}"));
    let edits = migrate["edit"]["changes"][&mappings].as_array().unwrap();
    assert_eq!(
        apply(mappings_text, edits, false),
        "  metadata:\n    schema_version: \"2.0.0\"\n  exact_matches:\n    llama3.1:8b:\n      provider: ollama\n"
    );
    assert_eq!(client.shutdown().code(), Some(0));
}

#[test]
fn exit_without_shutdown_ends_with_status_1() {
    let (_dir, root) = workspace(&[]);
    let mut client = Client::start(&root, utf16_client());
    client.notify("exit", Value::Null);
    let status = client.exit_status();
    assert_eq!(status.code(), Some(1));
}

#[test]
fn random_edit_storm_utf16() {
    edit_storm(utf16_client(), 0x9E37_79B9_7F4A_7C15, 1200);
}

#[test]
fn random_edit_storm_utf8() {
    edit_storm(utf8_client(), 0xD1B5_4A32_D192_ED03, 1200);
}

/// "Migrate config set to schema 2.0.0": a source action in a 1.x file and a quick fix on
/// version diagnostics, whose WorkspaceEdit over both files yields the very bytes that
/// `aiblint migrate` writes.
#[test]
fn the_migrate_action_edits_both_files_as_the_cli_does() {
    let legacy = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/sets/legacy-homelab");
    let providers_text = std::fs::read_to_string(legacy.join("providers.yaml")).unwrap();
    let mappings_text = std::fs::read_to_string(legacy.join("model-mappings.yaml")).unwrap();
    let (_dir, root) = workspace(&[
        ("providers.yaml", &providers_text),
        ("model-mappings.yaml", &mappings_text),
    ]);
    let mut client = Client::start(&root, utf16_client());
    let mappings = uri(&root.join("model-mappings.yaml"));
    let providers = uri(&root.join("providers.yaml"));
    client.open(&mappings, 1, &mappings_text);
    client.diagnostics(&mappings, Some(1));
    let actions = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": mappings},
            "range": {"start": at(false, &mappings_text, "exact_matches", 0), "end": at(false, &mappings_text, "exact_matches", 0)},
            "context": {"diagnostics": [], "only": ["source"]},
        }),
    );
    let actions = actions["result"].as_array().unwrap();
    let migrate = actions
        .iter()
        .find(|a| a["title"] == "Migrate config set to schema 2.0.0")
        .unwrap_or_else(|| panic!("no migrate action in {actions:?}"));
    assert_eq!(migrate["kind"], "source.migrate.aiblint");
    let changes = &migrate["edit"]["changes"];
    let new_mappings = apply(
        &mappings_text,
        changes[&mappings].as_array().unwrap(),
        false,
    );
    let new_providers = apply(
        &providers_text,
        changes[&providers].as_array().unwrap(),
        false,
    );

    // The CLI on a copy of the same set.
    let (_cli_dir, cli_root) = workspace(&[
        ("providers.yaml", &providers_text),
        ("model-mappings.yaml", &mappings_text),
    ]);
    let out = Command::new(env!("CARGO_BIN_EXE_aiblint"))
        .args(["migrate", "--no-backup"])
        .arg(&cli_root)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let read = |name: &str| std::fs::read_to_string(cli_root.join(name)).unwrap();
    assert_eq!(new_mappings, read("model-mappings.yaml"));
    assert_eq!(new_providers, read("providers.yaml"));
    assert_ne!(new_providers, providers_text);

    // In a 2.x-era set the legacy file's V501 offers the same migration as a quick fix.
    std::fs::write(root.join("providers.yaml"), &new_providers).unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": providers, "type": 2}]}),
    );
    let mut edited = mappings_text.clone();
    client.edit(&mappings, 2, &mut edited, 0, 0, "# edited\n");
    let diagnostics = client.diagnostics(&mappings, Some(2));
    let v501: Vec<Value> = diagnostics
        .into_iter()
        .filter(|d| d["code"] == "V501")
        .collect();
    assert_eq!(v501.len(), 1, "expected V501 on the legacy mappings");
    let actions = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": mappings},
            "range": v501[0]["range"],
            "context": {"diagnostics": v501, "only": ["quickfix"]},
        }),
    );
    let actions = actions["result"].as_array().unwrap();
    let fix = actions
        .iter()
        .find(|a| a["title"] == "Migrate config set to schema 2.0.0")
        .unwrap_or_else(|| panic!("no migrate quick fix in {actions:?}"));
    assert_eq!(fix["kind"], "quickfix");
    assert_eq!(fix["diagnostics"][0]["code"], "V501");
    assert!(fix["edit"]["changes"][&mappings]
        .as_array()
        .is_some_and(|e| !e.is_empty()));
    // Nothing to migrate in providers.yaml any more: the edit leaves it alone.
    assert!(fix["edit"]["changes"].get(&providers).is_none());
}

// ------------------------------------------------------------------ what real clients do

/// A `file:` URI as VS Code writes it (vscode-uri's `URI.file`): every byte of the path but
/// `A-Z a-z 0-9 - . _ ~ /` percent-encoded, in upper-case hex (`+` is `%2B`, `:` is `%3A`).
fn vscode_uri(path: &Path) -> String {
    let mut out = String::from("file://");
    for b in path.to_str().unwrap().bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A `file:` URI as Neovim writes it: non-ASCII bytes percent-encoded in lower-case hex.
fn nvim_uri(path: &Path) -> String {
    let mut out = String::from("file://");
    for b in path.to_str().unwrap().bytes() {
        if b.is_ascii() && b != b' ' && b != b'%' {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02x}"));
        }
    }
    out
}

/// The server's work counters (`aiblint/stats`): sets checked, disk reads.
fn stats(client: &mut Client) -> (u64, u64) {
    let r = client.request("aiblint/stats", Value::Null);
    let checks = r["result"]["checks"].as_u64().unwrap();
    let reads = r["result"]["diskReads"].as_u64().unwrap();
    (checks, reads)
}

fn hover_text(client: &mut Client, uri: &str, position: Value) -> String {
    let r = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": position}),
    );
    r["result"]["contents"]["value"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

/// The server is found in the directory of a set however the client percent-encodes it, and
/// it answers with the client's own spelling.
#[test]
fn a_set_is_found_however_the_client_spells_its_directory() {
    let (_dir, base) = workspace(&[]);
    type Spell = fn(&Path) -> String;
    let spellings: [(&str, Spell); 3] = [
        ("gateway+lab (x):y", vscode_uri),
        ("modèles", nvim_uri),
        ("modèles-vscode", vscode_uri),
    ];
    for (name, spell) in spellings {
        let root = base.join(name);
        std::fs::create_dir(&root).unwrap();
        std::fs::write(root.join("providers.yaml"), PROVIDERS).unwrap();
        let mut client = Client::start(&root, utf16_client());
        let mappings = spell(&root.join("model-mappings.yaml"));
        assert_ne!(mappings, uri(&root.join("model-mappings.yaml")));
        client.open(&mappings, 1, MAPPINGS);
        let diagnostics = client.diagnostics(&mappings, Some(1));
        let r201 = diagnostics
            .iter()
            .find(|d| d["code"] == "R201")
            .unwrap_or_else(|| panic!("{name}: no R201 in {diagnostics:#?}"));
        assert!(
            r201["message"]
                .as_str()
                .unwrap()
                .contains("did you mean `vllm-qwen`?"),
            "{name}: providers.yaml was not found: {r201}"
        );
        let hover = hover_text(&mut client, &mappings, at(false, MAPPINGS, "ollama", 1));
        assert!(hover.contains("**provider** `ollama`"), "{name}: {hover}");
        let r = client.request(
            "textDocument/definition",
            json!({"textDocument": {"uri": mappings}, "position": at(false, MAPPINGS, "ollama", 1)}),
        );
        let target = r["result"]["uri"].as_str().unwrap_or_default().to_string();
        assert!(
            target.ends_with("/providers.yaml"),
            "{name}: definition {r}"
        );
        // The unopened providers.yaml is spelled as the client spells its directory.
        let dir = &mappings[..mappings.rfind('/').unwrap()];
        assert_eq!(target, format!("{dir}/providers.yaml"), "{name}");
        assert_eq!(client.shutdown().code(), Some(0));
    }
}

/// VS Code on Windows writes `file:///c%3A/...`, other clients `file:///C:/...`: one
/// directory, one set.
#[test]
fn drive_letters_in_either_spelling_are_one_directory() {
    let (_dir, root) = workspace(&[]);
    let mut client = Client::start(&root, utf16_client());
    let providers = "file:///c%3A/gateway/providers.yaml";
    let mappings = "file:///C:/gateway/model-mappings.yaml";
    client.open(providers, 1, PROVIDERS);
    client.open(mappings, 1, MAPPINGS);
    let diagnostics = client.diagnostics(mappings, Some(1));
    assert!(
        diagnostics.iter().any(|d| d["code"] == "R201"
            && d["message"]
                .as_str()
                .unwrap()
                .contains("did you mean `vllm-qwen`?")),
        "{diagnostics:#?}"
    );
    let r = client.request(
        "textDocument/definition",
        json!({"textDocument": {"uri": mappings}, "position": at(false, MAPPINGS, "ollama", 1)}),
    );
    assert_eq!(r["result"]["uri"], providers, "{r}");
}

/// A pull client that accepts `workspace/diagnostic/refresh` (VS Code says so under
/// `workspace.diagnostics`) is asked to pull again when another file of the set changes.
#[test]
fn pull_clients_are_asked_to_refresh_after_a_change_in_another_file() {
    let fixed = MAPPINGS.replace("vllm-qwn", "vllm-qwen");
    let (_dir, root) = workspace(&[
        ("providers.yaml", PROVIDERS),
        ("model-mappings.yaml", &fixed),
    ]);
    let caps = json!({
        "textDocument": {"diagnostic": {"dynamicRegistration": true, "relatedDocumentSupport": false}},
        "workspace": {"diagnostics": {"refreshSupport": true}},
    });
    let mut client = Client::start(&root, caps);
    assert!(client.initialize_result["capabilities"]["diagnosticProvider"].is_object());
    let mappings = uri(&root.join("model-mappings.yaml"));
    let providers = uri(&root.join("providers.yaml"));
    client.open(&mappings, 1, &fixed);
    client.open(&providers, 1, PROVIDERS);
    let pull = |client: &mut Client| {
        let r = client.request(
            "textDocument/diagnostic",
            json!({"textDocument": {"uri": mappings}}),
        );
        r["result"]["items"].as_array().unwrap().clone()
    };
    assert!(pull(&mut client).is_empty());
    let mut text = PROVIDERS.to_string();
    let at = text.find("vllm-qwen:").unwrap();
    client.edit(&providers, 2, &mut text, at, at + 9, "vllm-qwen2");
    client.wait_for("workspace/diagnostic/refresh", |m| {
        m["method"] == "workspace/diagnostic/refresh"
    });
    let items = pull(&mut client);
    let codes: Vec<&str> = items.iter().map(|d| d["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["R201", "R201"], "{items:#?}");
    assert_eq!(client.shutdown().code(), Some(0));
}

/// A client that pulls but cannot be asked to refresh (Neovim 0.10 and 0.11) gets the
/// diagnostics pushed, so that a change in providers.yaml reaches model-mappings.yaml.
#[test]
fn clients_that_pull_without_refresh_get_diagnostics_pushed() {
    let fixed = MAPPINGS.replace("vllm-qwn", "vllm-qwen");
    let (_dir, root) = workspace(&[("providers.yaml", PROVIDERS)]);
    let caps = json!({"textDocument": {"diagnostic": {"dynamicRegistration": false}}});
    let mut client = Client::start(&root, caps);
    assert!(client.initialize_result["capabilities"]["diagnosticProvider"].is_null());
    let mappings = uri(&root.join("model-mappings.yaml"));
    let providers = uri(&root.join("providers.yaml"));
    client.open(&mappings, 1, &fixed);
    assert!(client.diagnostics(&mappings, Some(1)).is_empty());
    client.open(&providers, 1, PROVIDERS);
    let mut text = PROVIDERS.to_string();
    let at = text.find("vllm-qwen:").unwrap();
    client.edit(&providers, 2, &mut text, at, at + 9, "vllm-qwen2");
    let diagnostics = loop {
        let d = client.diagnostics(&mappings, Some(1));
        if !d.is_empty() {
            break d;
        }
    };
    assert!(
        diagnostics.iter().all(|d| d["code"] == "R201"),
        "{diagnostics:#?}"
    );
}

/// Each 1.x file carries one V505, whose quick fix is the migration of the whole set; the
/// 1.x warning about several active vLLM providers offers it too.
#[test]
fn a_legacy_set_offers_the_migration_as_a_quick_fix() {
    let legacy = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/sets/legacy-homelab");
    let providers_text = std::fs::read_to_string(legacy.join("providers.yaml")).unwrap();
    let mappings_text = std::fs::read_to_string(legacy.join("model-mappings.yaml")).unwrap();
    let (_dir, root) = workspace(&[
        ("providers.yaml", &providers_text),
        ("model-mappings.yaml", &mappings_text),
    ]);
    let caps = json!({"workspace": {"workspaceEdit": {"documentChanges": true}}});
    let mut client = Client::start(&root, caps);
    let mappings = uri(&root.join("model-mappings.yaml"));
    let providers = uri(&root.join("providers.yaml"));
    client.open(&mappings, 1, &mappings_text);
    let diagnostics = client.diagnostics(&mappings, Some(1));
    let v505: Vec<Value> = diagnostics
        .iter()
        .filter(|d| d["code"] == "V505")
        .cloned()
        .collect();
    assert_eq!(v505.len(), 1, "one V505 per file: {diagnostics:#?}");
    assert_eq!(v505[0]["severity"], 3, "information, not a warning");
    assert!(v505[0]["message"]
        .as_str()
        .unwrap()
        .starts_with("schema 1.x: run `aiblint migrate`"));
    let quick_fix = |client: &mut Client, uri: &str, diagnostic: &Value| {
        let r = client.request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri}, "range": diagnostic["range"],
                   "context": {"diagnostics": [diagnostic], "only": ["quickfix"]}}),
        );
        r["result"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["title"] == "Migrate config set to schema 2.0.0")
            .cloned()
            .unwrap_or_else(|| panic!("no migrate quick fix: {r}"))
    };
    let fix = quick_fix(&mut client, &mappings, &v505[0]);
    assert_eq!(fix["kind"], "quickfix");
    assert_eq!(fix["diagnostics"][0]["code"], "V505");
    assert!(fix.get("isPreferred").is_none());
    let changes = fix["edit"]["documentChanges"].as_array().unwrap();
    let edited: Vec<(&str, &Value)> = changes
        .iter()
        .map(|c| {
            (
                c["textDocument"]["uri"].as_str().unwrap(),
                &c["textDocument"]["version"],
            )
        })
        .collect();
    assert_eq!(
        edited,
        [
            (mappings.as_str(), &json!(1)),
            (providers.as_str(), &Value::Null)
        ],
        "both files, the open one at its version"
    );
    let new_providers = apply(
        &providers_text,
        changes[1]["edits"].as_array().unwrap(),
        false,
    );
    assert!(new_providers.contains("schema_version: \"2.0.0\""));

    client.open(&providers, 1, &providers_text);
    let diagnostics = client.diagnostics(&providers, Some(1));
    assert_eq!(
        diagnostics.iter().filter(|d| d["code"] == "V505").count(),
        1
    );
    let l307 = diagnostics
        .iter()
        .find(|d| d["code"] == "L307")
        .expect("the second active vllm provider");
    let fix = quick_fix(&mut client, &providers, l307);
    assert_eq!(fix["diagnostics"][0]["code"], "L307");
    assert_eq!(fix["edit"]["documentChanges"].as_array().unwrap().len(), 2);
}

/// Emacs Eglot and IntelliJ's LSP4IJ send `shutdown` (and `exit`) with `"params": null`.
#[test]
fn shutdown_with_null_params_is_answered() {
    let (_dir, root) = workspace(&[]);
    let mut client = Client::start(&root, utf16_client());
    client.send(&json!({"jsonrpc": "2.0", "id": 99, "method": "shutdown", "params": null}));
    let response = client.wait_for("the response to shutdown", |m| m["id"] == 99);
    assert!(response.get("error").is_none(), "{response}");
    assert_eq!(response["result"], Value::Null);
    client.send(&json!({"jsonrpc": "2.0", "method": "exit", "params": null}));
    let status = client.exit_status();
    assert_eq!(status.code(), Some(0));
}

#[test]
fn renaming_a_model_onto_an_existing_model_is_refused() {
    let (_dir, root) = workspace(&[("providers.yaml", PROVIDERS)]);
    let mut client = Client::start(&root, utf16_client());
    let mappings = uri(&root.join("model-mappings.yaml"));
    client.open(&mappings, 1, MAPPINGS);
    let rename = |client: &mut Client, name: &str| {
        client.request(
            "textDocument/rename",
            json!({"textDocument": {"uri": mappings}, "position": at(false, MAPPINGS, "\"qwen-coder\"", 2),
                   "newName": name}),
        )
    };
    let r = rename(&mut client, "llama3.1:8b");
    let message = r["error"]["message"].as_str().unwrap_or_default();
    assert!(message.contains("already exists"), "{r}");
    let r = rename(&mut client, "qwen2.5-coder:7b");
    assert!(r.get("error").is_some(), "a model a provider serves: {r}");
    let r = rename(&mut client, "qwen-coder-2");
    assert!(r["result"]["changes"][&mappings].is_array(), "{r}");
}

#[test]
fn completion_skips_comments_and_keys_already_written() {
    let (_dir, root) = workspace(&[("providers.yaml", PROVIDERS)]);
    let mut client = Client::start(&root, utf16_client());
    let mappings = uri(&root.join("model-mappings.yaml"));
    let text = MAPPINGS.replace(
        "  \"qwen2.5-coder:7b\":\n    provider: ollama\n",
        "  \"qwen2.5-coder:7b\":\n    provider: ollama  # vl\n    \n    description: Coder\n",
    );
    client.open(&mappings, 1, &text);
    let complete = |client: &mut Client, position: Value| {
        let r = client.request(
            "textDocument/completion",
            json!({"textDocument": {"uri": mappings}, "position": position}),
        );
        r["result"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .iter()
            .map(|i| i["label"].as_str().unwrap().to_string())
            .collect::<Vec<String>>()
    };
    let in_comment = complete(&mut client, at(false, &text, "# vl", 4));
    assert!(in_comment.is_empty(), "{in_comment:?}");
    let keys = complete(&mut client, at(false, &text, "    \n    description", 4));
    assert!(keys.contains(&"priority".to_string()), "{keys:?}");
    assert!(!keys.contains(&"provider".to_string()), "{keys:?}");
    assert!(!keys.contains(&"description".to_string()), "{keys:?}");
}

#[test]
fn an_invalid_settings_file_is_shown_once() {
    let (_dir, root) = workspace(&[
        ("providers.yaml", PROVIDERS),
        ("aiblint.toml", "[rules]\nnot-a-rule = \"off\"\n"),
    ]);
    let mut client = Client::start(&root, utf16_client());
    let mappings = uri(&root.join("model-mappings.yaml"));
    let mut text = MAPPINGS.to_string();
    client.open(&mappings, 1, &text);
    let shown = client.wait_for("window/showMessage", |m| {
        m["method"] == "window/showMessage"
    });
    assert_eq!(shown["params"]["type"], 1, "an error: {shown}");
    let message = shown["params"]["message"].as_str().unwrap();
    assert!(
        message.contains("aiblint.toml") && message.contains("not-a-rule"),
        "{message}"
    );
    client.diagnostics(&mappings, Some(1));
    client.edit(&mappings, 2, &mut text, 0, 0, "# edited\n");
    client.diagnostics(&mappings, Some(2));
    let again = client
        .backlog
        .iter()
        .filter(|m| m["method"] == "window/showMessage")
        .count();
    assert_eq!(again, 0, "told once");
}

/// While a syntax error is being fixed, hover and the outline still show what parsed.
#[test]
fn hover_and_symbols_survive_a_syntax_error() {
    let (_dir, root) = workspace(&[("providers.yaml", PROVIDERS)]);
    let mut client = Client::start(&root, utf16_client());
    let mappings = uri(&root.join("model-mappings.yaml"));
    let mut text = MAPPINGS.to_string();
    client.open(&mappings, 1, &text);
    client.diagnostics(&mappings, Some(1));
    let end = text.len();
    client.edit(
        &mappings,
        2,
        &mut text,
        end,
        end,
        "  \"broken\": [\"unterminated\n",
    );
    let diagnostics = client.diagnostics(&mappings, Some(2));
    assert!(
        diagnostics.iter().any(|d| d["code"] == "E001"),
        "{diagnostics:#?}"
    );
    let hover = hover_text(&mut client, &mappings, at(false, &text, "ollama", 1));
    assert!(hover.contains("**provider** `ollama`"), "{hover}");
    let r = client.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": mappings}}),
    );
    let sections: Vec<&str> = r["result"]
        .as_array()
        .map(|a| a.iter().map(|s| s["name"].as_str().unwrap()).collect())
        .unwrap_or_default();
    assert!(sections.contains(&"exact_matches"), "{r}");
}

/// A burst of edits is checked at its newest version, not once per version.
#[test]
fn a_burst_of_edits_is_not_checked_once_per_version() {
    let mut mappings_text =
        String::from("metadata:\n  schema_version: \"2.0.0\"\nexact_matches:\n");
    for i in 0..2000 {
        mappings_text.push_str(&format!(
            "  \"model-{i}\":\n    provider: ollama\n    priority: primary\n    backend_model: llama3.1:8b\n    description: Route {i}\n"
        ));
    }
    let (_dir, root) = workspace(&[("providers.yaml", PROVIDERS)]);
    let mut client = Client::start(&root, utf16_client());
    let mappings = uri(&root.join("model-mappings.yaml"));
    let mut text = mappings_text;
    client.open(&mappings, 1, &text);
    client.diagnostics(&mappings, Some(1));
    let (before, _) = stats(&mut client);
    let edits = 100;
    for n in 0..edits {
        let end = text.len();
        client.edit(&mappings, n + 2, &mut text, end, end, "# edit\n");
    }
    let last = edits + 1;
    client.diagnostics(&mappings, Some(last));
    let (after, _) = stats(&mut client);
    let checks = after - before;
    assert!(
        checks < edits as u64 / 2,
        "{checks} checks for {edits} back-to-back edits"
    );
    assert_eq!(client.server_text(&mappings)["text"], text.as_str());
}

/// A client in `root` that registers file watchers (once the server asks) when `watch`.
fn start_watching(root: &Path, watch: bool) -> Client {
    let caps = json!({"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": watch}}});
    let mut client = Client::start(root, caps);
    if watch {
        client.wait_for("client/registerCapability", |m| {
            m["method"] == "client/registerCapability"
        });
    }
    client
}

/// Requests reuse what the server read from disk; only edits (without file watchers) or
/// watched-file notifications make it look again.
#[test]
fn requests_do_not_read_the_disk() {
    for watch in [true, false] {
        let (_dir, root) = workspace(&[("providers.yaml", PROVIDERS)]);
        let mut client = start_watching(&root, watch);
        let mappings = uri(&root.join("model-mappings.yaml"));
        let mut text = MAPPINGS.to_string();
        client.open(&mappings, 1, &text);
        client.diagnostics(&mappings, Some(1));
        // The registration's reply has been handled once a request after it is answered.
        let (_, reads) = stats(&mut client);
        for _ in 0..10 {
            hover_text(&mut client, &mappings, at(false, &text, "ollama", 1));
            client.request(
                "textDocument/completion",
                json!({"textDocument": {"uri": mappings}, "position": at(false, &text, "ollama", 1)}),
            );
            client.request(
                "textDocument/documentSymbol",
                json!({"textDocument": {"uri": mappings}}),
            );
        }
        assert_eq!(stats(&mut client).1, reads, "watch: {watch}");
        client.edit(&mappings, 2, &mut text, 0, 0, "# edited\n");
        client.diagnostics(&mappings, Some(2));
        let (_, after_edit) = stats(&mut client);
        if watch {
            assert_eq!(after_edit, reads, "watched: an edit does not read the disk");
            client.notify(
                "workspace/didChangeWatchedFiles",
                json!({"changes": [{"uri": uri(&root.join("providers.yaml")), "type": 2}]}),
            );
            client.diagnostics(&mappings, Some(2));
            assert!(stats(&mut client).1 > reads);
        } else {
            assert!(after_edit > reads, "not watched: an edit looks again");
        }
    }
}

/// A client that sends `initialized` and `didOpen` right behind `initialize`, without
/// waiting for its response, still gets its diagnostics (nothing it sent is dropped).
#[test]
fn messages_pipelined_behind_initialize_are_not_dropped() {
    let (_dir, root) = workspace(&[("providers.yaml", PROVIDERS)]);
    let mut child = Command::new(env!("CARGO_BIN_EXE_aiblint"))
        .arg("lsp")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("cannot start aiblint lsp");
    let mappings = uri(&root.join("model-mappings.yaml"));
    let mut burst = Vec::new();
    for message in [
        json!({"jsonrpc": "2.0", "id": 1, "method": "initialize",
               "params": {"processId": null, "rootUri": uri(&root), "capabilities": {}}}),
        json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}),
        json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument":
               {"uri": mappings, "languageId": "yaml", "version": 1, "text": MAPPINGS}}}),
        json!({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}),
    ] {
        burst.extend(frame(message.to_string().as_bytes()));
    }
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(&burst).unwrap();
    stdin.flush().unwrap();
    let (tx, rx) = channel();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        let mut reader = BufReader::new(stdout);
        while let Some(message) = read_message(&mut reader) {
            if tx.send(message).is_err() {
                break;
            }
        }
    });
    let mut seen = Vec::new();
    let diagnostics = loop {
        let message = rx
            .recv_timeout(TIMEOUT)
            .unwrap_or_else(|_| panic!("no diagnostics; the server sent {seen:#?}"));
        if message["method"] == "textDocument/publishDiagnostics" {
            break message;
        }
        seen.push(message);
    };
    assert_eq!(diagnostics["params"]["uri"], mappings.as_str());
    assert!(diagnostics["params"]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["code"] == "R201"));
    stdin
        .write_all(&frame(br#"{"jsonrpc":"2.0","method":"exit"}"#))
        .unwrap();
    drop(stdin);
    let _ = child.wait();
}

/// A hand-written litellm-unified.yaml beside a 1.x set: the migration also creates
/// litellm-settings.yaml with its settings. A client that applies `CreateFile` gets that
/// file, with the bytes `aiblint migrate` writes; one that does not is told to run the CLI.
#[test]
fn the_migrate_action_creates_the_settings_file_as_the_cli_does() {
    let legacy = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/sets/legacy-homelab");
    let providers_text = std::fs::read_to_string(legacy.join("providers.yaml")).unwrap();
    let mappings_text = std::fs::read_to_string(legacy.join("model-mappings.yaml")).unwrap();
    let litellm_text = "# written by our own script\nmodel_list:\n  - model_name: \"llama3.1:8b\"\n    litellm_params:\n      model: ollama/llama3.1:8b\n      api_base: http://127.0.0.1:11434\n      stream_timeout: 45\nrouter_settings:\n  routing_strategy: usage-based-routing-v2\n  cooldown_time: 60\nlitellm_settings:\n  cache: true\n  cache_params:\n    type: redis\n    host: 127.0.0.1\n";
    let files = [
        ("providers.yaml", providers_text.as_str()),
        ("model-mappings.yaml", mappings_text.as_str()),
        ("litellm-unified.yaml", litellm_text),
    ];
    let (_cli_dir, cli_root) = workspace(&files);
    let out = Command::new(env!("CARGO_BIN_EXE_aiblint"))
        .args(["migrate", "--no-backup"])
        .arg(&cli_root)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let created = std::fs::read_to_string(cli_root.join("litellm-settings.yaml")).unwrap();
    assert!(created.contains("cooldown_time: 60"), "{created}");
    assert!(created.contains("stream_timeout: 45"), "{created}");

    let migrate_action = |capabilities: Value| {
        let (_dir, root) = workspace(&files);
        let mut client = Client::start(&root, capabilities);
        let mappings = uri(&root.join("model-mappings.yaml"));
        client.open(&mappings, 1, &mappings_text);
        client.diagnostics(&mappings, Some(1));
        let actions = client.request(
            "textDocument/codeAction",
            json!({
                "textDocument": {"uri": mappings},
                "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
                "context": {"diagnostics": [], "only": ["source"]},
            }),
        );
        let action = actions["result"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["kind"] == "source.migrate.aiblint")
            .cloned()
            .unwrap_or_else(|| panic!("no migrate action in {actions:?}"));
        (action, uri(&root.join("litellm-settings.yaml")))
    };

    let (action, settings) = migrate_action(json!({"workspace": {"workspaceEdit": {
        "documentChanges": true, "resourceOperations": ["create"]}}}));
    assert_eq!(action["title"], "Migrate config set to schema 2.0.0");
    let operations = action["edit"]["documentChanges"].as_array().unwrap();
    let create = operations
        .iter()
        .position(|op| op["kind"] == "create" && op["uri"] == settings)
        .unwrap_or_else(|| panic!("no CreateFile in {operations:?}"));
    assert_eq!(operations[create]["options"]["overwrite"], false);
    let insert = &operations[create + 1];
    assert_eq!(insert["textDocument"]["uri"], settings);
    assert_eq!(insert["edits"][0]["newText"], created);

    let (action, _) =
        migrate_action(json!({"workspace": {"workspaceEdit": {"documentChanges": true}}}));
    assert_eq!(
        action["title"],
        "Migrate config set to schema 2.0.0 (run `aiblint migrate` to also create litellm-settings.yaml)"
    );
}

/// A secret written in a file never leaves the server in clear: not in a diagnostic, not in
/// a hover (which quotes a provider's URL).
#[test]
fn secrets_are_masked_in_diagnostics_and_hovers() {
    let providers = "metadata:\n  schema_version: \"2.0.0\"\nproviders:\n  lan:\n    type: openai_compatible\n    base_url: http://admin:Sup3rSecretPw@192.168.1.42:1234/v1\n    status: active\n    description: LAN box\n    api_key: sk-proj-Xq81Lm2Vb7Tz9Kw4AbCdEf\n    models:\n      - llama3\n";
    let mappings =
        "metadata:\n  schema_version: \"2.0.0\"\nexact_matches:\n  llama3:\n    provider: lan\n";
    let (_dir, root) = workspace(&[
        ("providers.yaml", providers),
        ("model-mappings.yaml", mappings),
    ]);
    let mut client = Client::start(&root, utf8_client());
    let (p, m) = (
        uri(&root.join("providers.yaml")),
        uri(&root.join("model-mappings.yaml")),
    );
    client.open(&p, 1, providers);
    client.open(&m, 1, mappings);
    let on_providers = client.diagnostics(&p, Some(1));
    let on_mappings = client.diagnostics(&m, Some(1));
    assert!(
        on_providers
            .iter()
            .any(|d| d["code"] == "L310" && d["message"].as_str().unwrap().contains("api_key")),
        "{on_providers:?}"
    );
    let hover_in_mappings = hover_text(&mut client, &m, at(true, mappings, "provider: lan", 11));
    let hover_in_providers = hover_text(&mut client, &p, at(true, providers, "  lan:", 3));
    assert!(
        hover_in_mappings.contains("`http://admin:…@192.168.1.42:1234/v1`"),
        "{hover_in_mappings}"
    );
    let everything =
        format!("{on_providers:?}{on_mappings:?}{hover_in_mappings}{hover_in_providers}");
    for secret in ["Sup3rSecretPw", "Xq81Lm2Vb7Tz9Kw4AbCdEf"] {
        assert!(!everything.contains(secret), "{secret} in {everything}");
    }
    client.shutdown();
}

#[test]
fn monitoring_files_get_their_diagnostics_while_typing() {
    let alerts = "groups:\n  - name: gateway\n    rules:\n      - alert: Errors\n        expr: sum(rate(litellm_requests_total[5m])) > 1\n        for: 5 min\n";
    let dashboard = "{\"panels\": [{\"id\": 1, \"targets\": [{\"expr\": \"sum(rate(x{job=\\\"a\\\"}[5m])\"}]}]}";
    let (_dir, root) = workspace(&[]);
    let mut client = Client::start(&root, utf8_client());
    let rules = uri(&root.join("alerts.yml"));
    client.open(&rules, 1, alerts);
    let diagnostics = client.diagnostics(&rules, Some(1));
    let codes: Vec<&str> = diagnostics
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, vec!["D702", "D711"], "{diagnostics:#?}");
    let start = alerts.find("litellm_requests_total").unwrap();
    assert_eq!(
        diagnostics[0]["range"]["start"],
        position(alerts, start, client.utf8)
    );
    let board = uri(&root.join("overview.json"));
    client.open(&board, 1, dashboard);
    let diagnostics = client.diagnostics(&board, Some(1));
    assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
    assert_eq!(diagnostics[0]["code"], "D701");
    // The caret is on the `(` left open, inside the JSON string.
    let open = dashboard.find("(x").unwrap() - "rate".len() - 1;
    assert_eq!(
        diagnostics[0]["range"]["start"],
        position(dashboard, open, client.utf8)
    );
    assert_eq!(client.shutdown().code(), Some(0));
}

/// The migration the CLI would roll back (settings make L303 an error, and disabling the
/// second vLLM provider routes an exact match to a disabled provider) is not offered; with
/// the default settings it is.
#[test]
fn the_migrate_action_is_not_offered_when_the_cli_would_roll_it_back() {
    let legacy = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/sets/legacy-homelab");
    let providers_text = std::fs::read_to_string(legacy.join("providers.yaml")).unwrap();
    let mappings_text = std::fs::read_to_string(legacy.join("model-mappings.yaml")).unwrap();
    let migrate_titles = |settings: Option<&str>| -> Vec<Value> {
        let mut files = vec![
            ("providers.yaml", providers_text.as_str()),
            ("model-mappings.yaml", mappings_text.as_str()),
        ];
        if let Some(settings) = settings {
            files.push(("aiblint.toml", settings));
        }
        let (_dir, root) = workspace(&files);
        let mut client = Client::start(&root, utf16_client());
        let mappings = uri(&root.join("model-mappings.yaml"));
        client.open(&mappings, 1, &mappings_text);
        client.diagnostics(&mappings, Some(1));
        let actions = client.request(
            "textDocument/codeAction",
            json!({
                "textDocument": {"uri": mappings},
                "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
                "context": {"diagnostics": [], "only": ["source.migrate.aiblint"]},
            }),
        );
        assert_eq!(client.shutdown().code(), Some(0));
        actions["result"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["title"].clone())
            .collect()
    };
    assert_eq!(
        migrate_titles(None),
        [json!("Migrate config set to schema 2.0.0")]
    );
    assert_eq!(
        migrate_titles(Some("[rules]\ninactive-provider-route = \"error\"\n")),
        Vec::<Value>::new()
    );
}

/// A label in another file of the set is related information at that file's URI, positioned
/// in the text the server analysed: the file on disk, then the unsaved buffer once the
/// file is open (where non-ASCII text before the label makes UTF-8 and UTF-16 columns differ).
#[test]
fn related_information_points_into_the_other_file_of_the_set() {
    let buffer = "metadata:\n  schema_version: \"2.0.0\"\nproviders: {ollama: {type: ollama, \
                  base_url: \"http://127.0.0.1:11434\", status: active, description: \"café ☕ 🦙\", \
                  models: [\"llama3.1:8b\", \"qwen2.5-coder:7b\"]}, vllm-qwen: {type: vllm, \
                  base_url: \"http://127.0.0.1:8001\", status: active, description: x, \
                  models: [Qwen/Qwen2.5-Coder-14B-Instruct-AWQ]}}\n";
    for capabilities in [utf16_client(), utf8_client()] {
        let (_dir, root) = workspace(&[("providers.yaml", PROVIDERS)]);
        let mut client = Client::start(&root, capabilities);
        let utf8 = client.utf8;
        let mappings = uri(&root.join("model-mappings.yaml"));
        let providers = uri(&root.join("providers.yaml"));
        let related_of_r201 = |diagnostics: &[Value]| {
            let r201 = diagnostics
                .iter()
                .find(|d| d["code"] == "R201")
                .unwrap_or_else(|| panic!("no R201 in {diagnostics:#?}"));
            let related = r201["relatedInformation"].as_array().unwrap().clone();
            assert_eq!(related.len(), 1, "{r201:#}");
            assert!(
                !r201["message"].as_str().unwrap().contains("defined at"),
                "{r201:#}"
            );
            related[0].clone()
        };
        let range_of = |text: &str, needle: &str| {
            let start = text.find(needle).unwrap();
            json!({
                "start": position(text, start, utf8),
                "end": position(text, start + needle.len(), utf8),
            })
        };

        client.open(&mappings, 1, MAPPINGS);
        let on_disk = related_of_r201(&client.diagnostics(&mappings, Some(1)));
        assert_eq!(on_disk["location"]["uri"], providers);
        assert_eq!(
            on_disk["location"]["range"],
            range_of(PROVIDERS, "vllm-qwen")
        );
        assert_eq!(on_disk["message"], "`vllm-qwen` is defined here");

        // The buffer is not saved: the disk still holds PROVIDERS.
        client.open(&providers, 1, buffer);
        let in_buffer = related_of_r201(&client.diagnostics(&mappings, Some(1)));
        assert_eq!(in_buffer["location"]["uri"], providers);
        assert_eq!(
            in_buffer["location"]["range"],
            range_of(buffer, "vllm-qwen")
        );
        let column = in_buffer["location"]["range"]["start"]["character"]
            .as_u64()
            .unwrap();
        let before = &buffer[..buffer.find("vllm-qwen").unwrap()];
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let expected = if utf8 {
            before.len() - line_start
        } else {
            before[line_start..].encode_utf16().count()
        };
        assert_eq!(column as usize, expected);
        assert_eq!(client.shutdown().code(), Some(0));
    }
}
