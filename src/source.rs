//! Rule files as read from disk: bytes checked as UTF-8, text normalised to NFC, so a file
//! saved with decomposed characters means the same as one saved composed.

use crate::diagnostic::{Code, Diagnostic, Span};
use std::path::{Path, PathBuf};
use unicode_normalization::UnicodeNormalization;

/// Index of a file in [`Sources`].
pub type FileId = u32;

/// One rule file.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path as shown to users (relative to the working directory when given so).
    pub name: String,
    /// The text, NFC-normalised; invalid UTF-8 was replaced before normalising.
    pub text: String,
}

/// All files read for one check: the national ruleset's and the region's.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    files: Vec<SourceFile>,
}

impl Sources {
    /// Adds a file of text (already decoded) and returns its id.
    pub fn add(&mut self, name: impl Into<String>, text: &str) -> FileId {
        let text: String = text.nfc().collect();
        self.files.push(SourceFile {
            name: name.into(),
            text,
        });
        FileId::try_from(self.files.len() - 1).unwrap_or(FileId::MAX)
    }

    /// Adds a file from its bytes; invalid UTF-8 gives a located diagnostic.
    pub fn add_bytes(
        &mut self,
        name: impl Into<String>,
        bytes: &[u8],
    ) -> (FileId, Option<Diagnostic>) {
        match std::str::from_utf8(bytes) {
            Ok(text) => (self.add(name, text), None),
            Err(error) => {
                let lossy = String::from_utf8_lossy(bytes);
                // The replacement character is three bytes: find where the bad byte landed.
                let valid = error.valid_up_to();
                let id = self.add(name, &lossy);
                let start = u32::try_from(valid).unwrap_or(u32::MAX);
                let span = Span::new(id, start, start.saturating_add(3));
                let diagnostic = Diagnostic::error(
                    Code::InvalidUtf8,
                    "filen är inte giltig UTF-8-text",
                    span,
                    "tecknet här går inte att läsa",
                )
                .with_help(
                    "spara filen som UTF-8 (i de flesta redigerare: Spara som … → Kodning: UTF-8)",
                );
                (id, Some(diagnostic))
            }
        }
    }

    /// The file with this id.
    pub fn get(&self, id: FileId) -> Option<&SourceFile> {
        self.files.get(id as usize)
    }

    /// All files, in the order they were added.
    pub fn iter(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, f)| (FileId::try_from(i).unwrap_or(FileId::MAX), f))
    }

    /// The text a span covers, or "" if the span is out of range.
    pub fn slice(&self, span: Span) -> &str {
        self.get(span.file)
            .and_then(|f| f.text.get(span.start as usize..span.end as usize))
            .unwrap_or("")
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, file: FileId, offset: u32) -> (usize, usize) {
        let Some(source) = self.get(file) else {
            return (1, 1);
        };
        let offset = (offset as usize).min(source.text.len());
        let before = source.text.get(..offset).unwrap_or("");
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let col = before.get(line_start..).map_or(0, |s| s.chars().count()) + 1;
        (line, col)
    }

    /// `file:line:col` for the start of a span.
    pub fn location(&self, span: Span) -> String {
        let (line, col) = self.line_col(span.file, span.start);
        let name = self.get(span.file).map_or("?", |f| f.name.as_str());
        format!("{name}:{line}:{col}")
    }
}

/// The `.regel` files of a ruleset directory, in name order.
pub fn rule_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_file() && path.extension().is_some_and(|e| e == "regel") {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}
