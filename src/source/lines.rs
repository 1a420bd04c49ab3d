//! Where the lines of a text start, computed once per file: people read 1-based lines and
//! columns in characters, an editor (the language server protocol) counts 0-based lines and
//! UTF-16 code units, and codespan-reporting asks for the byte range of a line.

use serde::Serialize;
use std::ops::Range;

/// A place in a file the way an editor counts it (the language server protocol's
/// `Position`): 0-based line, and the column in UTF-16 code units from the line's start.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Utf16Position {
    pub line: u32,
    pub character: u32,
}

/// The byte offset of every line start of one text. Lines end at `\n`; a `\r` before it
/// belongs to the line, as codespan-reporting counts them.
#[derive(Clone, Debug)]
pub struct LineIndex {
    /// INVARIANT: starts with 0, strictly increasing, every entry <= `len`.
    starts: Vec<usize>,
    len: usize,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        LineIndex {
            starts,
            len: text.len(),
        }
    }

    /// How many lines there are (a text ending in `\n` has an empty last line).
    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// The 0-based line of a byte offset; an offset past the end is on the last line.
    pub fn line_of(&self, offset: usize) -> usize {
        // `starts` begins with 0, so the search never lands before the first line.
        match self.starts.binary_search(&offset) {
            Ok(line) => line,
            Err(next) => next.saturating_sub(1),
        }
    }

    /// The byte range of a 0-based line, with its `\n`; `None` past the last line.
    pub fn line_range(&self, line: usize) -> Option<Range<usize>> {
        let start = *self.starts.get(line)?;
        let end = self.starts.get(line + 1).copied().unwrap_or(self.len);
        Some(start..end)
    }

    /// The line `offset` is on, and the text from the line's start to `offset`, moved back
    /// onto a character boundary and into the text (a span may end at the text's end).
    /// `text` is the text the index was built from.
    #[expect(
        clippy::indexing_slicing,
        reason = "`line_of` returns an index into `starts`; a line starts at 0 or after a `\\n`, \
                  and `offset` was moved onto a character boundary within the text"
    )]
    fn line_and_prefix<'t>(&self, text: &'t str, offset: usize) -> (usize, &'t str) {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_of(offset);
        (line, &text[self.starts[line]..offset])
    }

    /// 1-based line and column (in characters) of a byte offset, for people.
    pub(super) fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let (line, before) = self.line_and_prefix(text, offset);
        (line + 1, before.chars().count() + 1)
    }

    /// The editor's position of a byte offset.
    pub(super) fn utf16_position(&self, text: &str, offset: usize) -> Utf16Position {
        let (line, before) = self.line_and_prefix(text, offset);
        Utf16Position {
            line: saturate(line),
            character: saturate(before.encode_utf16().count()),
        }
    }

    /// The byte offset of an editor's position; `None` when the line does not exist or the
    /// column is past the line's end or inside a character.
    pub(super) fn offset_of(&self, text: &str, position: Utf16Position) -> Option<usize> {
        let range = self.line_range(position.line as usize)?;
        let line = text.get(range.clone())?;
        let mut units = 0u32;
        for (i, c) in line.char_indices() {
            if units == position.character {
                return Some(range.start + i);
            }
            if units > position.character || c == '\n' {
                return None;
            }
            units += saturate(c.len_utf16());
        }
        (units == position.character).then_some(range.end)
    }
}

/// Lines and columns beyond four billion are not a text anyone edits; they stay at the top.
fn saturate(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests fail by panicking")]
    use super::*;

    #[test]
    fn lines_as_codespan_counts_them() {
        let text = "foo\nbar\r\n\nbaz";
        let index = LineIndex::new(text);
        assert_eq!(index.line_count(), 4);
        assert_eq!(index.line_range(1), Some(4..9));
        assert_eq!(index.line_range(3), Some(10..13));
        assert_eq!(index.line_range(4), None);
        assert_eq!(index.line_of(5), 1);
        assert_eq!(index.line_of(100), 3);
    }

    #[test]
    fn columns_in_characters_and_in_utf16() {
        // `å` is two bytes and one UTF-16 unit, `😀` four bytes and two units.
        let text = "a\nå😀x";
        let index = LineIndex::new(text);
        let x = text.find('x').unwrap();
        assert_eq!(index.line_col(text, x), (2, 3));
        let position = index.utf16_position(text, x);
        assert_eq!(
            position,
            Utf16Position {
                line: 1,
                character: 3
            }
        );
        assert_eq!(index.offset_of(text, position), Some(x));
        // Inside the emoji's surrogate pair: no byte offset.
        let inside = Utf16Position {
            line: 1,
            character: 2,
        };
        assert_eq!(index.offset_of(text, inside), None);
        // The end of the last line is a position; one past it is not.
        let end = Utf16Position {
            line: 1,
            character: 4,
        };
        assert_eq!(index.offset_of(text, end), Some(text.len()));
        let past = Utf16Position {
            line: 1,
            character: 5,
        };
        assert_eq!(index.offset_of(text, past), None);
    }

    #[test]
    fn an_offset_inside_a_character_counts_from_its_start() {
        let text = "å";
        let index = LineIndex::new(text);
        assert_eq!(index.line_col(text, 1), (1, 1));
    }
}
