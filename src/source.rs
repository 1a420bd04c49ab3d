//! Rule files: where they are read from, and the texts read for one check.
//!
//! - [`FileProvider`]: the disk ([`Disk`]), a git revision read in memory ([`GitRevision`]),
//!   or an editor's unsaved buffers over another provider ([`Overlay`]).
//! - [`Sources`]: the files read, bytes checked as UTF-8 and text normalised to NFC (so a file
//!   saved with decomposed characters means the same as one saved composed), each with a
//!   [`LineIndex`] computed once. [`Sources`] is codespan-reporting's file database too.
//! - [`Span`]: a byte range in the normalised text of one of them, on every syntax node and
//!   diagnostic. Where the text as written differs (decomposed characters, bytes that are
//!   not UTF-8), lines and columns are still those of the file as written: people and
//!   editors see that file, not the parser's text.
//!
//! Nothing here knows about diagnostics: [`crate::diagnostic`] builds on this module.

mod git;
mod lines;
mod normal;
mod provider;

pub use git::{GitError, GitRevision};
pub use lines::{LineIndex, Utf16Position};
pub use provider::{
    Disk, Entry, FileProvider, LOOP, Overlay, describe_io, display_path, is_rule_file, normalize,
};

use codespan_reporting::files::{Error as FilesError, Files};
use normal::{OffsetMap, Side};
use serde::Serialize;
use std::ops::Range;

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
    /// The text the parser reads, NFC-normalised; invalid UTF-8 was replaced (by U+FFFD)
    /// before normalising. Spans are byte offsets in this text.
    pub text: String,
    /// INVARIANT: built from `text`, which [`Sources`] never changes after adding the file.
    lines: LineIndex,
    /// The text as written, when it differs from `text`; `None` for the usual file that was
    /// valid UTF-8 in NFC already.
    written: Option<Box<Written>>,
}

/// A file's text as written (invalid UTF-8 replaced, not normalised), its lines, and where
/// each piece of the normalised text came from.
#[derive(Debug, Clone)]
struct Written {
    text: String,
    /// INVARIANT: built from `text` above.
    lines: LineIndex,
    /// INVARIANT: maps the owning [`SourceFile::text`] to `text` above.
    map: OffsetMap,
}

impl SourceFile {
    /// A file from its text as written (already decoded): normalised, indexed once.
    fn new(name: String, written: &str) -> SourceFile {
        let (text, map) = OffsetMap::normalize(written);
        let written = map.map(|map| {
            Box::new(Written {
                lines: LineIndex::new(written),
                text: written.to_owned(),
                map,
            })
        });
        SourceFile {
            name,
            lines: LineIndex::new(&text),
            text,
            written,
        }
    }

    /// The line starts of the normalised text.
    pub fn lines(&self) -> &LineIndex {
        &self.lines
    }

    /// The text as written (invalid UTF-8 replaced by U+FFFD), which diagnostics show.
    pub fn written_text(&self) -> &str {
        match &self.written {
            Some(w) => &w.text,
            None => &self.text,
        }
    }

    /// The line starts of the text as written.
    fn written_lines(&self) -> &LineIndex {
        match &self.written {
            Some(w) => &w.lines,
            None => &self.lines,
        }
    }

    /// The byte range in the text as written of a range in the normalised text: a range
    /// that starts or ends inside a character normalisation changed grows to cover it.
    pub fn written_range(&self, start: u32, end: u32) -> Range<usize> {
        let (start, end) = (start as usize, end as usize);
        match &self.written {
            Some(w) => w.map.to_written(start, Side::Start)..w.map.to_written(end, Side::End),
            None => start..end,
        }
    }

    /// The offset in the normalised text of an offset in the text as written.
    fn nfc_offset(&self, written: usize, side: Side) -> usize {
        match &self.written {
            Some(w) => w.map.to_nfc(written, side),
            None => written,
        }
    }

    /// 1-based line and column (in characters as written) of a byte offset in the
    /// normalised text, for people.
    pub fn line_col(&self, offset: u32) -> (usize, usize) {
        let start = self.written_range(offset, offset).start;
        self.written_line_col(start)
    }

    /// 1-based line and column (in characters) of a byte offset in the text as written.
    pub fn written_line_col(&self, offset: usize) -> (usize, usize) {
        self.written_lines().line_col(self.written_text(), offset)
    }

    /// The editor's position (0-based line, UTF-16 column in the file as written) of a byte
    /// offset in the normalised text.
    pub fn utf16_position(&self, offset: u32) -> Utf16Position {
        let start = self.written_range(offset, offset).start;
        self.written_lines()
            .utf16_position(self.written_text(), start)
    }

    /// The byte offset in the normalised text of an editor's position in the file as
    /// written, if it is in the text.
    pub fn offset_of(&self, position: Utf16Position) -> Option<u32> {
        let written = self
            .written_lines()
            .offset_of(self.written_text(), position)?;
        u32::try_from(self.nfc_offset(written, Side::Start)).ok()
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
        let id = FileId::try_from(self.files.len()).expect("fewer than 2^32 files");
        self.files.push(SourceFile::new(name.into(), text));
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
                // The bytes before the first bad one were valid, so they are the same in the
                // text as written; the replacement character (three bytes) starts there.
                // Spans count bytes in `u32`, as everywhere: past 4 GiB the span stays at the
                // last offset it can name.
                let at = self.file(id).nfc_offset(error.valid_up_to(), Side::Start);
                let start = u32::try_from(at).unwrap_or(u32::MAX);
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
/// directly, with the line index computed when each file was added. The database holds the
/// texts as written, so byte ranges given to it are ranges in those texts
/// ([`SourceFile::written_range`]).
impl<'a> Files<'a> for Sources {
    type FileId = FileId;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: FileId) -> Result<&'a str, FilesError> {
        Ok(&self.get(id).ok_or(FilesError::FileMissing)?.name)
    }

    fn source(&'a self, id: FileId) -> Result<&'a str, FilesError> {
        Ok(self.get(id).ok_or(FilesError::FileMissing)?.written_text())
    }

    fn line_index(&'a self, id: FileId, byte_index: usize) -> Result<usize, FilesError> {
        Ok(self
            .get(id)
            .ok_or(FilesError::FileMissing)?
            .written_lines()
            .line_of(byte_index))
    }

    fn line_range(&'a self, id: FileId, line_index: usize) -> Result<Range<usize>, FilesError> {
        let lines = self.get(id).ok_or(FilesError::FileMissing)?.written_lines();
        lines
            .line_range(line_index)
            .ok_or_else(|| FilesError::LineTooLarge {
                given: line_index,
                max: lines.line_count().saturating_sub(1),
            })
    }
}
