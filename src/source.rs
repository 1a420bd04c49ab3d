//! Rule files: where they are read from, and the texts read for one check.
//!
//! - [`FileProvider`]: the disk ([`Disk`]), a git revision read in memory ([`GitRevision`]),
//!   or an editor's unsaved buffers over another provider ([`Overlay`]).
//! - [`Sources`]: the files read, bytes checked as UTF-8 and text normalised to NFC (so a file
//!   saved with decomposed characters means the same as one saved composed), each with a
//!   [`LineIndex`] computed once. [`Sources`] is codespan-reporting's file database too.
//! - [`Span`]: a byte range in one of them, on every syntax node and diagnostic.
//!
//! Nothing here knows about diagnostics: [`crate::diagnostic`] builds on this module.

mod git;
mod lines;
mod provider;

pub use git::{GitError, GitRevision};
pub use lines::{LineIndex, Utf16Position};
pub use provider::{Disk, Entry, FileProvider, Overlay, display_path, is_rule_file, normalize};

use codespan_reporting::files::{Error as FilesError, Files};
use serde::Serialize;
use std::ops::Range;
use unicode_normalization::UnicodeNormalization;

/// Index of a file in [`Sources`].
pub type FileId = u32;

/// A byte range in one source file. Spans never take part in equality, so two syntax trees
/// that differ only in layout compare equal.
#[derive(Clone, Copy, Debug, Default, Serialize)]
pub struct Span {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

impl PartialEq for Span {
    fn eq(&self, _: &Span) -> bool {
        true
    }
}
impl Eq for Span {}
impl std::hash::Hash for Span {
    fn hash<H: std::hash::Hasher>(&self, _: &mut H) {}
}

impl Span {
    pub fn new(file: FileId, start: u32, end: u32) -> Span {
        Span { file, start, end }
    }
    /// The span from the start of `self` to the end of `other` (same file).
    pub fn to(self, other: Span) -> Span {
        Span::new(
            self.file,
            self.start.min(other.start),
            self.end.max(other.end),
        )
    }
}

/// One rule file.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path as shown to users (relative to the working directory when given so, or
    /// `REV:path` from git).
    pub name: String,
    /// The text, NFC-normalised; invalid UTF-8 was replaced before normalising.
    pub text: String,
    /// INVARIANT: built from `text`, which [`Sources`] never changes after adding the file.
    lines: LineIndex,
}

impl SourceFile {
    /// The line starts of the text.
    pub fn lines(&self) -> &LineIndex {
        &self.lines
    }

    /// 1-based line and column (in characters) of a byte offset, for people.
    pub fn line_col(&self, offset: u32) -> (usize, usize) {
        self.lines.line_col(&self.text, offset as usize)
    }

    /// The editor's position (0-based line, UTF-16 column) of a byte offset.
    pub fn utf16_position(&self, offset: u32) -> Utf16Position {
        self.lines.utf16_position(&self.text, offset as usize)
    }

    /// The byte offset of an editor's position, if it is in the text.
    pub fn offset_of(&self, position: Utf16Position) -> Option<u32> {
        let offset = self.lines.offset_of(&self.text, position)?;
        u32::try_from(offset).ok()
    }
}

/// A file whose bytes were not valid UTF-8: where the first bad byte landed in its text.
#[derive(Clone, Copy, Debug)]
pub struct InvalidUtf8 {
    pub span: Span,
}

/// All files read for one check: the national ruleset's and the region's.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    files: Vec<SourceFile>,
}

impl Sources {
    /// Adds a file of text (already decoded) and returns its id.
    #[expect(
        clippy::expect_used,
        reason = "four billion files cannot be held in memory for one check"
    )]
    pub fn add(&mut self, name: impl Into<String>, text: &str) -> FileId {
        let text: String = text.nfc().collect();
        let id = FileId::try_from(self.files.len()).expect("fewer than 2^32 files");
        self.files.push(SourceFile {
            name: name.into(),
            lines: LineIndex::new(&text),
            text,
        });
        id
    }

    /// Adds a file from its bytes. Invalid UTF-8 is replaced, and where the first bad byte
    /// landed is returned for a diagnostic.
    pub fn add_bytes(
        &mut self,
        name: impl Into<String>,
        bytes: &[u8],
    ) -> (FileId, Option<InvalidUtf8>) {
        match std::str::from_utf8(bytes) {
            Ok(text) => (self.add(name, text), None),
            Err(error) => {
                let lossy = String::from_utf8_lossy(bytes);
                let id = self.add(name, &lossy);
                // The replacement character is three bytes, and the text before it was valid
                // (and so already composed unless it held decomposed characters; the offset
                // then points a little early, still on the bad line).
                // Spans count bytes in `u32`, as everywhere: past 4 GiB the span stays at the
                // last offset it can name.
                let start = u32::try_from(error.valid_up_to()).unwrap_or(u32::MAX);
                let span = Span::new(id, start, start.saturating_add(3));
                (id, Some(InvalidUtf8 { span }))
            }
        }
    }

    /// The file with this id, if these sources hold it.
    pub fn get(&self, id: FileId) -> Option<&SourceFile> {
        self.files.get(id as usize)
    }

    /// The file of an id these sources handed out (a span's file).
    #[expect(
        clippy::indexing_slicing,
        reason = "ids come from `add`, and files are never removed: an id from other sources \
                  is a bug that must stop the program"
    )]
    pub fn file(&self, id: FileId) -> &SourceFile {
        &self.files[id as usize]
    }

    /// All files, in the order they were added.
    pub fn iter(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        (0..).zip(&self.files)
    }

    /// The text a span covers; `None` when the span is not on character boundaries of its
    /// file.
    pub fn slice(&self, span: Span) -> Option<&str> {
        self.file(span.file)
            .text
            .get(span.start as usize..span.end as usize)
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, file: FileId, offset: u32) -> (usize, usize) {
        self.file(file).line_col(offset)
    }

    /// `file:line:col` for the start of a span.
    pub fn location(&self, span: Span) -> String {
        let file = self.file(span.file);
        let (line, col) = file.line_col(span.start);
        format!("{}:{line}:{col}", file.name)
    }
}

/// The sources are codespan-reporting's file database: diagnostics render from them
/// directly, with the line index computed when each file was added.
impl<'a> Files<'a> for Sources {
    type FileId = FileId;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: FileId) -> Result<&'a str, FilesError> {
        Ok(&self.get(id).ok_or(FilesError::FileMissing)?.name)
    }

    fn source(&'a self, id: FileId) -> Result<&'a str, FilesError> {
        Ok(&self.get(id).ok_or(FilesError::FileMissing)?.text)
    }

    fn line_index(&'a self, id: FileId, byte_index: usize) -> Result<usize, FilesError> {
        Ok(self
            .get(id)
            .ok_or(FilesError::FileMissing)?
            .lines
            .line_of(byte_index))
    }

    fn line_range(&'a self, id: FileId, line_index: usize) -> Result<Range<usize>, FilesError> {
        let lines = &self.get(id).ok_or(FilesError::FileMissing)?.lines;
        lines
            .line_range(line_index)
            .ok_or_else(|| FilesError::LineTooLarge {
                given: line_index,
                max: lines.line_count().saturating_sub(1),
            })
    }
}
