//! `regel lsp` driven over stdio as an editor drives it, on the Västra Götaland ruleset:
//! diagnostics from an unsaved buffer (with the national ruleset it builds on), hover,
//! definition, references, completion and formatting.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail by panicking"
)]

use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

struct Client {
    child: Child,
    input: ChildStdin,
    messages: Receiver<Value>,
    /// Notifications read while waiting for a response.
    notifications: Vec<Value>,
    next_id: i64,
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The `file://` URI of a path under the repository, as VS Code writes it.
fn uri(relative: &str) -> String {
    let mut out = String::from("file://");
    for b in root().join(relative).to_string_lossy().bytes() {
        if b.is_ascii_alphanumeric() || b"/-_.~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
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
        if let Some(n) = line.strip_prefix("Content-Length: ") {
            length = n.parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

impl Client {
    fn start() -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_regel"))
            .arg("lsp")
            .current_dir(root())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let input = child.stdin.take().unwrap();
        let mut output = BufReader::new(child.stdout.take().unwrap());
        let (send, messages) = channel();
        std::thread::spawn(move || {
            while let Some(message) = read_message(&mut output) {
                if send.send(message).is_err() {
                    break;
                }
            }
        });
        let mut client = Client {
            child,
            input,
            messages,
            notifications: Vec::new(),
            next_id: 1,
        };
        let root_uri = uri("");
        client.request(
            "initialize",
            json!({"processId": null, "rootUri": root_uri, "capabilities": {}}),
        );
        client.notify("initialized", json!({}));
        client
    }

    fn send(&mut self, message: &Value) {
        let body = message.to_string();
        write!(self.input, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.input.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    fn next(&mut self) -> Value {
        self.messages
            .recv_timeout(Duration::from_secs(60))
            .expect("the server answers within a minute")
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let message = self.next();
            if message["id"] == json!(id) {
                assert!(message.get("error").is_none(), "{method}: {message}");
                return message["result"].clone();
            }
            self.notifications.push(message);
        }
    }

    /// The next diagnostics published for `uri`.
    fn diagnostics_for(&mut self, uri: &str) -> Vec<Value> {
        loop {
            if let Some(i) = self.notifications.iter().position(|n| {
                n["method"] == "textDocument/publishDiagnostics" && n["params"]["uri"] == uri
            }) {
                let n = self.notifications.remove(i);
                return n["params"]["diagnostics"].as_array().unwrap().clone();
            }
            let message = self.next();
            self.notifications.push(message);
        }
    }

    fn open(&mut self, relative: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri(relative), "languageId": "regel", "version": 1, "text": text}}),
        );
    }

    fn change(&mut self, relative: &str, version: i64, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri(relative), "version": version}, "contentChanges": [{"text": text}]}),
        );
    }

    fn at(relative: &str, line: usize, character: usize) -> Value {
        json!({"textDocument": {"uri": uri(relative)}, "position": {"line": line, "character": character}})
    }

    fn stop(mut self) {
        self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        let status = self.child.wait().unwrap();
        assert!(
            status.success(),
            "the server exits 0 after shutdown: {status}"
        );
    }
}

/// The 0-based line and UTF-16 column of the first `needle` in the text (after `after`).
fn find(text: &str, after: &str, needle: &str) -> (usize, usize) {
    let from = text.find(after).unwrap();
    let at = from + text[from..].find(needle).unwrap();
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line = text[..at].matches('\n').count();
    (line, text[line_start..at].encode_utf16().count())
}

const SÖKORD: &str = "regions/vastra-gotaland/sökord.regel";

#[test]
fn the_language_server_on_the_vgr_ruleset() {
    let text = std::fs::read_to_string(root().join(SÖKORD)).unwrap();
    let national = std::fs::read_to_string(root().join("rules/ordförråd.regel")).unwrap();
    let mut client = Client::start();

    // Diagnostics as you type: a misspelt national group in an unsaved buffer.
    let broken = text.replacen("går före grupp urval", "går före grupp urvall", 1);
    client.open(SÖKORD, &broken);
    let diagnostics = client.diagnostics_for(&uri(SÖKORD));
    assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
    assert_eq!(diagnostics[0]["code"], "R0101");
    let (line, character) = find(&broken, "", "urvall");
    assert_eq!(
        diagnostics[0]["range"]["start"],
        json!({"line": line, "character": character})
    );
    assert!(
        diagnostics[0]["message"]
            .as_str()
            .unwrap()
            .contains("urvall")
    );

    // Fixed in the buffer: the diagnostics are cleared, the national group is found.
    client.change(SÖKORD, 2, &text);
    assert_eq!(client.diagnostics_for(&uri(SÖKORD)), Vec::<Value>::new());

    // Hover on a national fact used in the region: its declaration and comment.
    let (line, character) = find(&text, "avsteg VGR-S2", "post.undantag");
    let hover = client.request(
        "textDocument/hover",
        Client::at(SÖKORD, line, character + 2),
    );
    let shown = hover["contents"]["value"].as_str().unwrap();
    assert!(
        shown.contains("fakta post.undantag: Undantag = inget"),
        "{shown}"
    );
    assert!(shown.contains("rules/ordförråd.regel"), "{shown}");

    // Definition: the `fakta` line in the national vocabulary.
    let definition = client.request(
        "textDocument/definition",
        Client::at(SÖKORD, line, character),
    );
    let (fact_line, fact_col) = find(&national, "", "fakta post.undantag");
    assert_eq!(definition[0]["uri"], uri("rules/ordförråd.regel"));
    assert_eq!(
        definition[0]["range"]["start"],
        json!({"line": fact_line, "character": fact_col + "fakta ".len()})
    );

    // References of the national group `urval`: national rules and the region's.
    let (line, character) = find(&text, "", "grupp urval");
    let mut params = Client::at(SÖKORD, line, character + "grupp ".len());
    params["context"] = json!({"includeDeclaration": true});
    let references = client.request("textDocument/references", params);
    let uris: Vec<&str> = references
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["uri"].as_str().unwrap())
        .collect();
    assert!(uris.contains(&uri("rules/dölj.regel").as_str()), "{uris:?}");
    assert!(
        uris.iter().filter(|u| **u == uri(SÖKORD)).count() >= 2,
        "{uris:?}"
    );

    // Completion: facts (national ones too) and keywords after `om`, rule ids after `går före`.
    let (line, character) = find(&text, "avsteg VGR-S2", "om ");
    let completion = client.request(
        "textDocument/completion",
        Client::at(SÖKORD, line, character + 3),
    );
    let labels: Vec<&str> = completion
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["label"].as_str().unwrap())
        .collect();
    for wanted in ["post.undantag", "läsare", "patient.ålder", "och", "inte"] {
        assert!(labels.contains(&wanted), "{wanted} in {labels:?}");
    }
    let (line, character) = find(&text, "avsteg VGR-S2", "går före ");
    let completion = client.request(
        "textDocument/completion",
        Client::at(SÖKORD, line, character + "går före ".chars().count()),
    );
    let labels: Vec<&str> = completion
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["label"].as_str().unwrap())
        .collect();
    for wanted in ["N5", "N10", "VGR-S3", "urval"] {
        assert!(labels.contains(&wanted), "{wanted} in {labels:?}");
    }

    // Formatting an untidy buffer gives the file as it is in the repository.
    let untidy = text
        .replace("\n  källa", "\n        källa")
        .replace("går före grupp urval", "går   före grupp urval");
    client.change(SÖKORD, 3, &untidy);
    let edits = client.request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": uri(SÖKORD)}, "options": {"tabSize": 2, "insertSpaces": true}}),
    );
    assert_eq!(edits.as_array().unwrap().len(), 1, "{edits}");
    assert_eq!(edits[0]["newText"], text);
    assert_eq!(
        edits[0]["range"]["start"],
        json!({"line": 0, "character": 0})
    );

    client.stop();
}

const FÖRSEGLING: &str = "regions/jamtland-harjedalen/försegling.regel";
const ORDFÖRRÅD: &str = "rules/ordförråd.regel";

fn labels(completion: &Value) -> Vec<String> {
    completion
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["label"].as_str().unwrap().to_owned())
        .collect()
}

/// The second wave's syntax (`kan saknas`, `saknas`, `kräver`, `tolkning`) in RJH and the
/// national vocabulary: a change in an unsaved national buffer shows in the region, and
/// hover, definition, references, completion and formatting know the new clauses.
#[test]
fn the_language_server_on_optional_facts_and_kraver_across_rjh_and_the_national_rules() {
    let text = std::fs::read_to_string(root().join(FÖRSEGLING)).unwrap();
    let national = std::fs::read_to_string(root().join(ORDFÖRRÅD)).unwrap();
    let mut client = Client::start();
    client.open(FÖRSEGLING, &text);
    assert_eq!(
        client.diagnostics_for(&uri(FÖRSEGLING)),
        Vec::<Value>::new()
    );

    // The national fact made required in an unsaved buffer: the region's `kräver` is now
    // pointless, which the region's diagnostics say at once (`bygger på` read from the
    // buffer, not the disk).
    let required = national.replacen(
        "fakta vårdförsegling.slutdatum: datum, kan saknas",
        "fakta vårdförsegling.slutdatum: datum",
        1,
    );
    assert_ne!(required, national);
    client.open(ORDFÖRRÅD, &required);
    let diagnostics = client.diagnostics_for(&uri(FÖRSEGLING));
    assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
    assert_eq!(diagnostics[0]["code"], "R0113");
    let (line, character) = find(&text, "  kräver ", "vårdförsegling.slutdatum");
    assert_eq!(
        diagnostics[0]["range"]["start"],
        json!({"line": line, "character": character})
    );
    client.change(ORDFÖRRÅD, 2, &national);
    assert_eq!(
        client.diagnostics_for(&uri(FÖRSEGLING)),
        Vec::<Value>::new()
    );

    // Hover and definition on the fact after `kräver`: the national optional fact.
    let hover = client.request(
        "textDocument/hover",
        Client::at(FÖRSEGLING, line, character + 3),
    );
    let shown = hover["contents"]["value"].as_str().unwrap();
    assert!(
        shown.contains("fakta vårdförsegling.slutdatum: datum, kan saknas"),
        "{shown}"
    );
    assert!(shown.contains("Förseglingens sista dag"), "{shown}");
    // A section's heading above a blank line is not the first fact's comment.
    let (from_line, from_character) = find(&text, "regel RJH-F1", "begäran.från");
    let hover = client.request(
        "textDocument/hover",
        Client::at(FÖRSEGLING, from_line, from_character),
    );
    let shown = hover["contents"]["value"].as_str().unwrap();
    assert!(shown.contains("fakta begäran.från: Avsändare"), "{shown}");
    assert!(!shown.contains("Fakta för upplåsning"), "{shown}");
    let definition = client.request(
        "textDocument/definition",
        Client::at(FÖRSEGLING, line, character),
    );
    let (fact_line, _) = find(&national, "", "fakta vårdförsegling.slutdatum");
    assert_eq!(definition[0]["uri"], uri(ORDFÖRRÅD));
    assert_eq!(definition[0]["range"]["start"]["line"], json!(fact_line));

    // References: the region's `kräver` and the national rule's `saknas` test.
    let mut params = Client::at(FÖRSEGLING, line, character);
    params["context"] = json!({"includeDeclaration": false});
    let references = client.request("textDocument/references", params);
    let places: Vec<(String, u64)> = references
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["uri"].as_str().unwrap().to_owned(),
                r["range"]["start"]["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert!(
        places.contains(&(uri(FÖRSEGLING), line as u64)),
        "{places:?}"
    );
    let dölj = std::fs::read_to_string(root().join("rules/dölj.regel")).unwrap();
    let (saknas_line, _) = find(&dölj, "regel N7", "vårdförsegling.slutdatum saknas");
    assert!(
        places.contains(&(uri("rules/dölj.regel"), saknas_line as u64)),
        "{places:?}"
    );

    // Completion after `om`: the optional fact and the new keywords.
    let (line, character) = find(&text, "regel RJH-F1", "om ");
    let completion = client.request(
        "textDocument/completion",
        Client::at(FÖRSEGLING, line, character + 3),
    );
    let labels = labels(&completion);
    for wanted in [
        "vårdförsegling.slutdatum",
        "saknas",
        "finns",
        "kräver",
        "tolkning",
    ] {
        assert!(labels.iter().any(|l| l == wanted), "{wanted} in {labels:?}");
    }

    // Formatting puts `kräver` and `tolkning` back in place.
    let untidy = text
        .replacen(
            "\n  kräver vårdförsegling.slutdatum",
            "\n      kräver   vårdförsegling.slutdatum",
            1,
        )
        .replacen("\n  tolkning ", "\n tolkning   ", 1);
    assert_ne!(untidy, text);
    client.change(FÖRSEGLING, 2, &untidy);
    let edits = client.request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": uri(FÖRSEGLING)}, "options": {"tabSize": 2, "insertSpaces": true}}),
    );
    assert_eq!(edits.as_array().unwrap().len(), 1, "{edits}");
    assert_eq!(edits[0]["newText"], text);

    client.stop();
}

#[test]
fn regel_lsp_help_answers_so_the_editor_knows_the_server_exists() {
    let output = Command::new(env!("CARGO_BIN_EXE_regel"))
        .args(["lsp", "--help"])
        .output()
        .unwrap();
    assert!(output.status.success());
    assert!(String::from_utf8_lossy(&output.stdout).contains("språkservern"));
}
