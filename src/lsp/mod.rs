//! `regel lsp`: a language server over standard in and out, for editors.
//!
//! Synchronous and small, on `lsp-server`: every message is handled before the next is
//! read. Open documents are laid over the disk with [`Overlay`], so a ruleset is checked
//! from the unsaved buffers, with the national ruleset a region `bygger på` read the same
//! way. After every change each ruleset with an open file is checked again and its
//! diagnostics (the same codes and Swedish messages as `regel check`) are published.
//! Hover, definition, references and completion read the syntax trees of the ruleset
//! (see [`index`]); formatting is [`crate::format`]. Positions are UTF-16, as the protocol
//! counts them.

mod convert;
mod index;
mod paths;

use crate::Pipeline;
use crate::source::{Disk, FileId, FileProvider, Overlay, Sources, Utf16Position};
use crate::syntax::{self, ast};
use index::{Index, Symbol};
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument, Notification as _,
    PublishDiagnostics,
};
use lsp_types::request::{
    Completion, Formatting, GotoDefinition, HoverRequest, References, Request as _,
};
use lsp_types::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Runs the server on standard in and out until the client says `exit`.
pub fn run() -> Result<(), String> {
    let (connection, threads) = Connection::stdio();
    let capabilities = ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Kind(TextDocumentSyncKind::FULL)),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec![".".to_owned()]),
            ..CompletionOptions::default()
        }),
        document_formatting_provider: Some(OneOf::Left(true)),
        ..ServerCapabilities::default()
    };
    let capabilities = serde_json::to_value(capabilities).map_err(|e| e.to_string())?;
    connection
        .initialize(capabilities)
        .map_err(|e| format!("språkservern kunde inte starta: {e}"))?;
    let mut server = Server {
        connection,
        files: Overlay::new(Disk),
        open: BTreeSet::new(),
        published: BTreeMap::new(),
    };
    server.serve()?;
    drop(server);
    threads
        .join()
        .map_err(|e| format!("språkservern avslutades med ett fel: {e}"))
}

struct Server {
    connection: Connection,
    files: Overlay<Disk>,
    /// The open documents.
    open: BTreeSet<PathBuf>,
    /// For each ruleset directory, the files diagnostics were last published for.
    published: BTreeMap<PathBuf, BTreeSet<PathBuf>>,
}

/// A ruleset read for a request: its sources and the syntax trees' names.
struct Analysis {
    sources: Sources,
    index: Index,
}

impl Analysis {
    fn file(&self, path: &Path) -> Option<FileId> {
        self.sources
            .iter()
            .find(|(_, f)| paths::absolute(&f.name) == path)
            .map(|(id, _)| id)
    }
}

impl Server {
    fn serve(&mut self) -> Result<(), String> {
        while let Ok(message) = self.connection.receiver.recv() {
            match message {
                Message::Request(request) => {
                    let shutdown = self
                        .connection
                        .handle_shutdown(&request)
                        .map_err(|e| e.to_string())?;
                    if shutdown {
                        return Ok(());
                    }
                    let response = self.request(request);
                    self.send(Message::Response(response));
                }
                Message::Notification(notification) => self.notification(notification),
                Message::Response(_) => {}
            }
        }
        Ok(())
    }

    fn send(&self, message: Message) {
        // The client has gone when this fails; the loop then ends on the closed receiver.
        let _ = self.connection.sender.send(message);
    }

    fn request(&mut self, request: Request) -> Response {
        let Request { id, method, params } = request;
        let result = match method.as_str() {
            HoverRequest::METHOD => parse(params).map(|p| self.hover(p)).and_then(to_json),
            GotoDefinition::METHOD => parse(params).map(|p| self.definition(p)).and_then(to_json),
            References::METHOD => parse(params).map(|p| self.references(p)).and_then(to_json),
            Completion::METHOD => parse(params).map(|p| self.completion(p)).and_then(to_json),
            Formatting::METHOD => parse(params).map(|p| self.formatting(p)).and_then(to_json),
            _ => {
                return error(
                    id,
                    ErrorCode::MethodNotFound,
                    format!("okänd begäran `{method}`"),
                );
            }
        };
        match result {
            Ok(value) => Response::new_ok(id, value),
            Err(message) => error(id, ErrorCode::InvalidParams, message),
        }
    }

    fn notification(&mut self, notification: Notification) {
        let Notification { method, params } = notification;
        match method.as_str() {
            DidOpenTextDocument::METHOD => {
                if let Ok(p) = parse::<DidOpenTextDocumentParams>(params)
                    && let Some(path) = paths::path_of(&p.text_document.uri)
                {
                    self.files.set(&path, p.text_document.text);
                    self.open.insert(path);
                    self.check_open();
                }
            }
            DidChangeTextDocument::METHOD => {
                if let Ok(p) = parse::<DidChangeTextDocumentParams>(params)
                    && let Some(path) = paths::path_of(&p.text_document.uri)
                    && let Some(change) = p.content_changes.into_iter().last()
                {
                    self.files.set(&path, change.text);
                    self.check_open();
                }
            }
            DidCloseTextDocument::METHOD => {
                if let Ok(p) = parse::<DidCloseTextDocumentParams>(params)
                    && let Some(path) = paths::path_of(&p.text_document.uri)
                {
                    self.files.remove(&path);
                    self.open.remove(&path);
                    self.check_open();
                }
            }
            _ => {}
        }
    }

    /// Checks every ruleset with an open file and publishes its diagnostics.
    fn check_open(&mut self) {
        let dirs: BTreeSet<PathBuf> = self
            .open
            .iter()
            .filter_map(|p| p.parent().map(Path::to_path_buf))
            .collect();
        for dir in dirs {
            self.publish(&dir);
        }
    }

    fn publish(&mut self, dir: &Path) {
        let Ok(pipeline) = Pipeline::load_from(&self.files, dir) else {
            return;
        };
        let mut by_file: BTreeMap<PathBuf, Vec<lsp_types::Diagnostic>> = BTreeMap::new();
        // Every rule file of the directory gets its list, an empty one clearing old ones.
        for path in self.files.rule_files(dir).unwrap_or_default() {
            by_file.insert(
                crate::source::normalize(&paths::absolute(&path.to_string_lossy())),
                Vec::new(),
            );
        }
        for d in &pipeline.diagnostics {
            let file = pipeline.sources.file(d.primary.span.file);
            let path = paths::absolute(&file.name);
            if let Some(list) = by_file.get_mut(&path) {
                list.push(convert::diagnostic(d, &pipeline.sources));
            }
        }
        let before = self.published.remove(dir).unwrap_or_default();
        for path in before.difference(&by_file.keys().cloned().collect()) {
            self.send_diagnostics(path, Vec::new());
        }
        let now: BTreeSet<PathBuf> = by_file.keys().cloned().collect();
        for (path, diagnostics) in by_file {
            self.send_diagnostics(&path, diagnostics);
        }
        self.published.insert(dir.to_path_buf(), now);
    }

    fn send_diagnostics(&self, path: &Path, diagnostics: Vec<lsp_types::Diagnostic>) {
        let Some(uri) = paths::uri_of(path) else {
            return;
        };
        let params = PublishDiagnosticsParams {
            uri,
            diagnostics,
            version: None,
        };
        if let Ok(params) = serde_json::to_value(params) {
            self.send(Message::Notification(Notification::new(
                PublishDiagnostics::METHOD.to_owned(),
                params,
            )));
        }
    }

    /// The ruleset of the file at `path`, read for a request.
    fn analyze(&self, path: &Path) -> Option<Analysis> {
        let dir = path.parent()?;
        let checked = crate::check::check_in(&self.files, dir).ok()?;
        let trees: Vec<ast::File> = checked
            .sources
            .iter()
            .map(|(id, f)| syntax::parse_file(id, &f.text).0)
            .collect();
        let index = Index::new(&trees);
        Some(Analysis {
            sources: checked.sources,
            index,
        })
    }

    /// The ruleset, file and byte offset of a position in a document.
    fn locate(&self, at: &TextDocumentPositionParams) -> Option<(Analysis, FileId, u32)> {
        let path = paths::path_of(&at.text_document.uri)?;
        let analysis = self.analyze(&path)?;
        let file = analysis.file(&path)?;
        let offset = analysis.sources.file(file).offset_of(Utf16Position {
            line: at.position.line,
            character: at.position.character,
        })?;
        Some((analysis, file, offset))
    }

    fn hover(&self, p: HoverParams) -> Option<Hover> {
        let (analysis, file, offset) = self.locate(&p.text_document_position_params)?;
        let at = analysis.index.at(file, offset)?;
        let text = convert::describe(&at.symbol, &analysis.index, &analysis.sources)?;
        Some(Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value: text,
            }),
            range: Some(convert::range(at.span, &analysis.sources)),
        })
    }

    fn definition(&self, p: GotoDefinitionParams) -> Option<GotoDefinitionResponse> {
        let (analysis, file, offset) = self.locate(&p.text_document_position_params)?;
        let at = analysis.index.at(file, offset)?;
        let locations: Vec<Location> = analysis
            .index
            .of(&at.symbol)
            .filter(|o| o.declaration)
            .filter_map(|o| convert::location(o.span, &analysis.sources))
            .collect();
        Some(GotoDefinitionResponse::Array(locations))
    }

    fn references(&self, p: ReferenceParams) -> Option<Vec<Location>> {
        let (analysis, file, offset) = self.locate(&p.text_document_position)?;
        let at = analysis.index.at(file, offset)?;
        let with_declaration = p.context.include_declaration;
        Some(
            analysis
                .index
                .of(&at.symbol)
                .filter(|o| with_declaration || !o.declaration)
                .filter_map(|o| convert::location(o.span, &analysis.sources))
                .collect(),
        )
    }

    fn completion(&self, p: CompletionParams) -> Option<CompletionResponse> {
        let path = paths::path_of(&p.text_document_position.text_document.uri)?;
        let analysis = self.analyze(&path)?;
        let file = analysis.file(&path)?;
        let source = analysis.sources.file(file);
        let position = p.text_document_position.position;
        let offset = source.offset_of(Utf16Position {
            line: position.line,
            character: position.character,
        })?;
        let line_start = source
            .text
            .get(..offset as usize)?
            .rfind('\n')
            .map_or(0, |i| i + 1);
        let before = source.text.get(line_start..offset as usize)?;
        Some(CompletionResponse::Array(convert::completions(
            before,
            &analysis.index,
        )))
    }

    fn formatting(&self, p: DocumentFormattingParams) -> Option<Vec<TextEdit>> {
        let path = paths::path_of(&p.text_document.uri)?;
        let bytes = self.files.read(&path).ok()?;
        let original = String::from_utf8(bytes).ok()?;
        let mut sources = Sources::default();
        let id = sources.add(path.to_string_lossy(), &original);
        let formatted = crate::format::format_text(id, &sources.file(id).text).ok()?;
        if formatted == original {
            return Some(Vec::new());
        }
        Some(vec![TextEdit {
            range: Range {
                start: Position::new(0, 0),
                end: convert::end_of(&original),
            },
            new_text: formatted,
        }])
    }
}

fn parse<T: serde::de::DeserializeOwned>(params: serde_json::Value) -> Result<T, String> {
    serde_json::from_value(params).map_err(|e| format!("ogiltiga parametrar: {e}"))
}

fn to_json<T: serde::Serialize>(value: T) -> Result<serde_json::Value, String> {
    serde_json::to_value(value).map_err(|e| e.to_string())
}

fn error(id: RequestId, code: ErrorCode, message: String) -> Response {
    Response::new_err(id, code as i32, message)
}

/// The names a symbol kind gives, for completion.
pub(crate) fn symbol_name(kind: &Symbol) -> &str {
    match kind {
        Symbol::Fact(n)
        | Symbol::Type(n)
        | Symbol::Value(n)
        | Symbol::Decision(n)
        | Symbol::Rule(n)
        | Symbol::Group(n)
        | Symbol::Reason(n) => n,
    }
}
